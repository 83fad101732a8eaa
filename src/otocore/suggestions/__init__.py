"""Sugestões do dia (daily suggestions): whom each seller contacts today, on which channel, and why.

The heart of the seller app: every morning each active seller gets a list of
customers of their carteira to contact, each with the campaign, the channel,
the suggested message and the reason. Its sources: Oto's FAQ ("O que é uma
campanha?": "podendo aplicar filtros diversos para organizar e priorizar os
seus contatos"; "O que é opt-in?") and Oto's help page for managers and campaigns
("O Limitador de Sugestões define a quantidade ideal de sugestões diárias,
considerando: horas trabalhadas, ociosidade, tempo médio de conversa"; "O que
é uma Quarentena?"; "caso o cliente responda não, realize o Opt-out no Oto").

**The rule, exactly.** For a local day ``D``, each customer ``c`` is looked at
once, cheap checks first:

1. ``c`` is anonymized: not suggested (ANONYMIZED).
2. A *follow-up* (a :class:`~otocore.contacts.FollowUp` of a registered
   contact whose day is ``D``) goes to the seller who scheduled it, or, when
   that seller is no longer active, to ``c``'s current seller if active.
   Several due the same day: the one of an active seller, then the latest
   registered (``finished_at``, then ``contact_id``) wins.
3. Without a follow-up, ``c`` must be in the carteira of an ACTIVE seller
   (NOT_IN_ACTIVE_PORTFOLIO otherwise), and have a customer record (facts).
4. ``c``'s CPF is blocked for campaigns on ``D``: not suggested (BLOCKED),
   follow-up or not.
5. A follow-up is suggested on the contact's own channel if ``c`` has
   consent on it on ``D`` (OPTED_OUT otherwise; the customer then gets no
   campaign that day either). It ignores the quarantine.
6. ``c`` is in quarantine on ``D`` (after a contact, or too many contacts):
   not suggested (QUARANTINED, with the day they are free).
7. The first campaign, by priority then ``campaign_id``, that runs on ``D``
   (active and in its period), whose audience matches ``c``'s facts, whose
   own quarantine is clear for ``c`` (contacts about it and earlier
   suggestions of it), and on one of whose channels ``c`` has consent. The
   suggestion names the first such channel in the campaign's order. None:
   NO_CAMPAIGN_MATCHED, or, when the first campaign whose audience matched
   failed on its quarantine or on consent, QUARANTINED or OPTED_OUT.

At most one suggestion per customer per day, brand-wide. Each seller's
candidates are ordered by priority (follow-ups first, then the campaign's
priority), then RFV value score ``v`` (higher first; no score last), then
customer id, and cut at the seller's daily limit from the
:class:`~otocore.distribution.SuggestionLimiter` and the seller's
:class:`SellerWorkload` (each missing figure taken from the brand's default).
A customer below the cut is CUT_BY_LIMIT and does not move to another seller.

>>> from datetime import UTC, date, datetime
>>> from otocore.campaigns import Campaign
>>> from otocore.consent import ConsentEvent, ConsentLedger, ConsentSource, ContactChannel
>>> from otocore.blocking import BlockList
>>> from otocore.customers import Customer
>>> from otocore.filters import AllOf, CustomerFacts
>>> from otocore.portfolio import AssignmentReason, PortfolioAssignment
>>> from otocore.sellers import Seller, Store
>>> day = date(2026, 5, 11)
>>> ana = Customer(
...     customer_id="C1", name="ANA SOUZA", registered_at=datetime(2025, 1, 1, tzinfo=UTC)
... )
>>> welcome = Campaign(
...     campaign_id="BOAS_VINDAS",
...     name="Boas-vindas",
...     priority=1,
...     first_day=date(2026, 5, 1),
...     last_day=date(2026, 5, 31),
...     audience=AllOf([]),
...     channels=[ContactChannel.WHATSAPP, ContactChannel.SMS],
...     message="Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}.",
... )
>>> sms_ok = ConsentEvent(
...     customer_id="C1",
...     channel=ContactChannel.SMS,
...     granted=True,
...     at=datetime(2026, 5, 1, 12, tzinfo=UTC),
...     source=ConsentSource.IMPORT,
...     recorded_by="import",
... )
>>> plan = plan_suggestions(
...     day,
...     sellers=[Seller(code="V01", name="Bruno", store_id="L01")],
...     stores=[Store(store_id="L01", name="Loja Centro")],
...     assignments=[
...         PortfolioAssignment(
...             customer_id="C1", seller_code="V01", since=day, reason=AssignmentReason.DAILY_RULE
...         )
...     ],
...     facts={"C1": CustomerFacts.build(ana, [], day)},
...     campaigns=[welcome],
...     consent=ConsentLedger.from_events([sms_ok]),
...     blocks=BlockList(),
... )
>>> for s in plan.for_seller("V01"):
...     print(s.rank, s.customer_id, s.campaign_id, s.channel.value)
1 C1 BOAS_VINDAS sms
>>> plan.for_seller("V01")[0].message
'Olá, Ana! Aqui é Bruno, da Loja Centro.'
>>> plan.explain("C1").outcome
<SuggestionOutcome.SUGGESTED: 'suggested'>
>>> plan.explain("C2").detail
'C2 is in no carteira'

Bad input is a :class:`~otocore.errors.ValidationError` naming the field:

>>> SellerWorkload(idle_share=0.25)
Traceback (most recent call last):
...
otocore.errors.ValidationError: SellerWorkload.idle_share must be an int or a decimal.Decimal such as Decimal('0.25'); floats are refused, got 0.25
>>> plan.for_seller("V99")
Traceback (most recent call last):
...
otocore.errors.NotFound: Seller 'V99' not found
"""

from __future__ import annotations

from otocore.suggestions._plan import SuggestionPlan, plan_suggestions
from otocore.suggestions._values import (
    DEFAULT_FOLLOW_UP_MESSAGE,
    Explanation,
    SellerWorkload,
    Suggestion,
    SuggestionKind,
    SuggestionOutcome,
    SuggestionPolicy,
    SuggestionReason,
    suggestion_id_for,
)

__all__ = [
    "DEFAULT_FOLLOW_UP_MESSAGE",
    "Explanation",
    "SellerWorkload",
    "Suggestion",
    "SuggestionKind",
    "SuggestionOutcome",
    "SuggestionPlan",
    "SuggestionPolicy",
    "SuggestionReason",
    "plan_suggestions",
    "suggestion_id_for",
]
