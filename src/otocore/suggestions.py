"""Sugestões do dia (daily suggestions): whom each seller contacts today, on which channel, and why.

The heart of the seller app: every morning each active seller gets a list of
customers of their carteira to contact, each with the campaign, the channel,
the suggested message and the reason. The seeds: ``oto-faq.txt`` ("O que é uma
campanha?": "podendo aplicar filtros diversos para organizar e priorizar os
seus contatos"; "O que é opt-in?") and ``oto-managers-and-campaigns.txt``
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

import enum
import heapq
import re
from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

import attrs

from otocore import _validate as v
from otocore._time import local_day
from otocore.blocking import BlockFeature, BlockList
from otocore.campaigns import Campaign, render, template_faults
from otocore.consent import ConsentLedger, ContactChannel
from otocore.contacts import Contact, SuggestionStatus
from otocore.distribution import SuggestionLimiter
from otocore.errors import NotFound, ValidationError
from otocore.filters import CustomerFacts
from otocore.portfolio import PortfolioAssignment
from otocore.quarantine import ContactHistory, QuarantinePolicy, QuarantineRule, contact_histories
from otocore.sellers import Seller, Store

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

_T = TypeVar("_T")

DEFAULT_FOLLOW_UP_MESSAGE = (
    "Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}. "
    "Como combinamos, estou passando para retomar a nossa conversa."
)
"""The brand's default message of a follow-up suggestion (a template like a campaign's)."""

_MAX_MESSAGE = 20_000
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_FOLLOW_UP_PRIORITY = 0


# enumerations ------------------------------------------------------------------


class SuggestionKind(enum.Enum):
    """What a suggestion comes from: a scheduled follow-up or a campaign.

    >>> SuggestionKind("follow_up")
    <SuggestionKind.FOLLOW_UP: 'follow_up'>
    """

    FOLLOW_UP = "follow_up"
    CAMPAIGN = "campaign"


class SuggestionReason(enum.Enum):
    """Why a suggestion was chosen.

    * ``FOLLOW_UP``: the seller scheduled it during a contact ("agendamento").
    * ``FOLLOW_UP_REASSIGNED``: a follow-up whose seller is no longer active,
      given to the customer's current seller.
    * ``CAMPAIGN``: the first campaign, by priority, whose audience, own
      quarantine and consent all hold for the customer.

    >>> SuggestionReason("campaign").value
    'campaign'
    """

    FOLLOW_UP = "follow_up"
    FOLLOW_UP_REASSIGNED = "follow_up_reassigned"
    CAMPAIGN = "campaign"

    @property
    def kind(self) -> SuggestionKind:
        """The :class:`SuggestionKind` this reason belongs to.

        >>> SuggestionReason.FOLLOW_UP_REASSIGNED.kind
        <SuggestionKind.FOLLOW_UP: 'follow_up'>
        """
        if self is SuggestionReason.CAMPAIGN:
            return SuggestionKind.CAMPAIGN
        return SuggestionKind.FOLLOW_UP


class SuggestionOutcome(enum.Enum):
    """What happened to a customer on a day: suggested, or why not.

    | value                     | meaning                                                   |
    |---------------------------|-----------------------------------------------------------|
    | `suggested`               | in a seller's list                                        |
    | `cut_by_limit`            | a candidate, below the seller's daily limit               |
    | `opted_out`               | no consent on the channel(s) it would be contacted on      |
    | `blocked`                 | CPF blocked for campaigns                                 |
    | `quarantined`             | contacted too recently (see ``free_on``)                  |
    | `no_campaign_matched`     | no running campaign has the customer in its audience      |
    | `not_in_active_portfolio` | unassigned, or the seller is inactive                     |
    | `anonymized`              | the customer's data was anonymized                        |
    | `no_customer_record`      | in a carteira but without a customer record (no facts)    |

    >>> SuggestionOutcome("opted_out").name
    'OPTED_OUT'
    """

    SUGGESTED = "suggested"
    CUT_BY_LIMIT = "cut_by_limit"
    OPTED_OUT = "opted_out"
    BLOCKED = "blocked"
    QUARANTINED = "quarantined"
    NO_CAMPAIGN_MATCHED = "no_campaign_matched"
    NOT_IN_ACTIVE_PORTFOLIO = "not_in_active_portfolio"
    ANONYMIZED = "anonymized"
    NO_CUSTOMER_RECORD = "no_customer_record"


# validators ----------------------------------------------------------------------


def _field(instance: Any, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{attribute.name}"


def _require_message(field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError(field, value, "must be a string")
    if not value.strip():
        raise ValidationError(field, value, "must not be empty")
    if len(value) > _MAX_MESSAGE:
        raise ValidationError(field, value, f"must be at most {_MAX_MESSAGE} characters")
    if _CONTROL_BUT_LINES.search(value):
        raise ValidationError(field, value, "must not contain control characters")
    return value


def _message(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    _require_message(_field(instance, attribute), value)


def _to_figure(value: Any, self_: Any, field: attrs.Attribute[Any]) -> Decimal | None:
    """attrs converter: an int or a finite Decimal becomes a Decimal; floats are refused."""
    name = f"{type(self_).__name__}.{field.name}"
    example = _EXAMPLES[field.name]
    rule = f"must be an int or a decimal.Decimal such as Decimal('{example}')"
    if value is None:
        return None
    if isinstance(value, float):
        raise ValidationError(name, value, f"{rule}; floats are refused")
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValidationError(name, value, rule)
    figure = Decimal(value)
    if not figure.is_finite():
        raise ValidationError(name, value, f"{rule} (finite)")
    return figure


_EXAMPLES = {"hours_worked": "7.5", "idle_share": "0.25", "avg_conversation_minutes": "4.5"}


# value types ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SellerWorkload:
    """A seller's figures for the suggestion limiter; a missing one is the brand's default.

    "O Limitador de Sugestões define a quantidade ideal de sugestões diárias,
    considerando: horas trabalhadas, ociosidade, tempo médio de conversa."

    Attributes:
        hours_worked: hours the seller works a day (>= 0), or ``None``.
        idle_share: the share of that time that is idle ("ociosidade"), in
            ``[0, 1]``, or ``None``.
        avg_conversation_minutes: minutes one conversation takes (> 0), or
            ``None``.

    Each is given as an ``int`` or a :class:`~decimal.Decimal` (never a
    float) and kept as a ``Decimal``.

    >>> SellerWorkload(hours_worked=6)
    SellerWorkload(hours_worked=Decimal('6'), idle_share=None, avg_conversation_minutes=None)
    >>> SellerWorkload(avg_conversation_minutes=0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SellerWorkload.avg_conversation_minutes must be > 0, got Decimal('0')
    """

    hours_worked: Decimal | None = attrs.field(
        default=None,
        converter=attrs.Converter(_to_figure, takes_self=True, takes_field=True),  # type: ignore[misc]
    )
    idle_share: Decimal | None = attrs.field(
        default=None,
        converter=attrs.Converter(_to_figure, takes_self=True, takes_field=True),  # type: ignore[misc]
    )
    avg_conversation_minutes: Decimal | None = attrs.field(
        default=None,
        converter=attrs.Converter(_to_figure, takes_self=True, takes_field=True),  # type: ignore[misc]
    )

    def __attrs_post_init__(self) -> None:
        hours, idle, minutes = self.hours_worked, self.idle_share, self.avg_conversation_minutes
        if hours is not None and hours < 0:
            raise ValidationError("SellerWorkload.hours_worked", hours, "must be >= 0")
        if idle is not None and not 0 <= idle <= 1:
            raise ValidationError("SellerWorkload.idle_share", idle, "must be between 0 and 1")
        if minutes is not None and minutes <= 0:
            raise ValidationError("SellerWorkload.avg_conversation_minutes", minutes, "must be > 0")

    @property
    def is_complete(self) -> bool:
        """True when all three figures are given.

        >>> SellerWorkload(hours_worked=8).is_complete
        False
        """
        return None not in (self.hours_worked, self.idle_share, self.avg_conversation_minutes)

    def with_defaults(self, default: SellerWorkload) -> SellerWorkload:
        """This workload with every missing figure taken from ``default``.

        >>> brand = SellerWorkload(
        ...     hours_worked=8, idle_share=Decimal("0.25"), avg_conversation_minutes=6
        ... )
        >>> SellerWorkload(hours_worked=4).with_defaults(brand).hours_worked
        Decimal('4')
        >>> SellerWorkload(hours_worked=4).with_defaults(brand).idle_share
        Decimal('0.25')
        """
        if not isinstance(default, SellerWorkload):
            raise ValidationError("default", default, "must be a SellerWorkload")
        return SellerWorkload(
            hours_worked=_first(self.hours_worked, default.hours_worked),
            idle_share=_first(self.idle_share, default.idle_share),
            avg_conversation_minutes=_first(
                self.avg_conversation_minutes, default.avg_conversation_minutes
            ),
        )

    def daily_limit(self, limiter: SuggestionLimiter) -> int:
        """The seller's daily number of suggestions under ``limiter``; needs every figure.

        >>> SellerWorkload(
        ...     hours_worked=8, idle_share=Decimal("0.25"), avg_conversation_minutes=6
        ... ).daily_limit(SuggestionLimiter(5, 40))
        20
        >>> SellerWorkload(hours_worked=8).daily_limit(SuggestionLimiter(5, 40))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: SellerWorkload.idle_share is required to compute a daily limit (fill it with with_defaults), got None
        """
        if not isinstance(limiter, SuggestionLimiter):
            raise ValidationError("limiter", limiter, "must be a SuggestionLimiter")
        for name in ("hours_worked", "idle_share", "avg_conversation_minutes"):
            if getattr(self, name) is None:
                raise ValidationError(
                    f"SellerWorkload.{name}",
                    None,
                    "is required to compute a daily limit (fill it with with_defaults)",
                )
        assert self.hours_worked is not None  # noqa: S101 - narrowed above
        assert self.idle_share is not None  # noqa: S101
        assert self.avg_conversation_minutes is not None  # noqa: S101
        return limiter.daily_limit(
            self.hours_worked, self.idle_share, self.avg_conversation_minutes
        )


def _first(a: _T | None, b: _T | None) -> _T | None:
    return b if a is None else a


def _check_limiter(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, SuggestionLimiter):
        raise ValidationError(_field(instance, attribute), value, "must be a SuggestionLimiter")


def _check_default_workload(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = _field(instance, attribute)
    if not isinstance(value, SellerWorkload):
        raise ValidationError(field, value, "must be a SellerWorkload")
    if not value.is_complete:
        raise ValidationError(field, value, "must give all three figures (the brand's defaults)")


def _check_quarantine(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, QuarantinePolicy):
        raise ValidationError(_field(instance, attribute), value, "must be a QuarantinePolicy")


def _check_template(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    faults = template_faults(_field(instance, attribute), value)
    if faults:
        raise ValidationError.collect(faults)


_DEFAULT_WORKLOAD = SellerWorkload(
    hours_worked=8, idle_share=Decimal("0.25"), avg_conversation_minutes=6
)


@attrs.frozen(kw_only=True)
class SuggestionPolicy:
    """The brand's settings for the daily suggestions; the defaults are otocore's.

    Attributes:
        limiter: the :class:`~otocore.distribution.SuggestionLimiter`
            (default ``SuggestionLimiter(5, 40)``).
        default_workload: the brand's :class:`SellerWorkload`, complete
            (default 8 hours, idle share 0.25, 6 minutes a conversation: 20
            suggestions a day).
        quarantine: the :class:`~otocore.quarantine.QuarantinePolicy`
            (default 7 days after any contact).
        follow_up_message: the template of a follow-up's message, with the
            campaign placeholders ``{primeiro_nome}``, ``{vendedor}`` and
            ``{loja}`` (default :data:`DEFAULT_FOLLOW_UP_MESSAGE`).
        time_zone: the brand's IANA zone of local days (default
            ``"America/Sao_Paulo"``); the quarantine policy, the consent
            ledger and the block list must use the same.

    >>> SuggestionPolicy().default_workload.daily_limit(SuggestionPolicy().limiter)
    20
    >>> SuggestionPolicy(follow_up_message="Oi {nome}")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SuggestionPolicy.follow_up_message has an unknown placeholder {nome}; use {primeiro_nome}, {vendedor} or {loja}, got 'Oi {nome}'
    >>> SuggestionPolicy(time_zone="America/Manaus")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SuggestionPolicy.quarantine must use the policy's time zone ('America/Manaus'), got 'America/Sao_Paulo'
    """

    limiter: SuggestionLimiter = attrs.field(
        factory=lambda: SuggestionLimiter(5, 40), validator=_check_limiter
    )
    default_workload: SellerWorkload = attrs.field(
        default=_DEFAULT_WORKLOAD, validator=_check_default_workload
    )
    quarantine: QuarantinePolicy = attrs.field(
        factory=QuarantinePolicy, validator=_check_quarantine
    )
    follow_up_message: str = attrs.field(
        default=DEFAULT_FOLLOW_UP_MESSAGE, validator=_check_template
    )
    time_zone: str = attrs.field(default="America/Sao_Paulo", validator=v.time_zone)

    def __attrs_post_init__(self) -> None:
        if self.quarantine.time_zone != self.time_zone:
            raise ValidationError(
                "SuggestionPolicy.quarantine",
                self.quarantine.time_zone,
                f"must use the policy's time zone ({self.time_zone!r})",
            )


_DEFAULT_POLICY = SuggestionPolicy()


def suggestion_id_for(day: date, customer_id: str) -> str:
    """The id of a customer's suggestion on ``day``: ``"<day>:<customer id>"``.

    At most one suggestion per customer per day, so the id is deterministic
    and generating a day again gives the same ids.

    >>> suggestion_id_for(date(2026, 5, 11), "C1")
    '2026-05-11:C1'
    """
    v.require_date("day", day)
    v.require_text("customer_id", customer_id, max_length=100)
    return f"{day.isoformat()}:{customer_id}"


def _check_rank(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.integer(min_value=1)(instance, attribute, value)


@attrs.frozen(kw_only=True)
class Suggestion:
    """Sugestão: one customer in one seller's list on one local day.

    Attributes:
        suggestion_id: :func:`suggestion_id_for` of ``day`` and ``customer_id``.
        day: the local day.
        seller_code: the seller whose list holds it.
        customer_id: the customer to contact.
        kind: :class:`SuggestionKind`.
        campaign_id: the campaign, or ``None`` for a follow-up.
        channel: the :class:`~otocore.consent.ContactChannel` to use (the
            customer has consent on it on ``day``).
        message: the suggested message, placeholders filled in (the seller
            may edit it: "É possível editar a mensagem, se necessário").
        reason: :class:`SuggestionReason`; agrees with ``kind``.
        detail: why, in a sentence.
        rank: the position in the seller's list, from 1.
        contact_id: for a follow-up, the contact that scheduled it; ``None``
            for a campaign.
        status: the :class:`~otocore.contacts.SuggestionStatus` (``PENDING``
            when planned).

    >>> s = Suggestion(
    ...     suggestion_id="2026-05-11:C1",
    ...     day=date(2026, 5, 11),
    ...     seller_code="V01",
    ...     customer_id="C1",
    ...     kind=SuggestionKind.CAMPAIGN,
    ...     campaign_id="ANIVERSARIO",
    ...     channel=ContactChannel.WHATSAPP,
    ...     message="Feliz aniversário, Ana!",
    ...     reason=SuggestionReason.CAMPAIGN,
    ...     detail="campaign ANIVERSARIO",
    ...     rank=1,
    ... )
    >>> s.status
    <SuggestionStatus.PENDING: 'pending'>
    >>> attrs.evolve(s, campaign_id=None)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Suggestion.campaign_id must name the campaign of a CAMPAIGN suggestion, got None
    """

    suggestion_id: str = attrs.field(validator=v.text(120))
    day: date = attrs.field(validator=v.local_date)
    seller_code: str = attrs.field(validator=v.text(100))
    customer_id: str = attrs.field(validator=v.text(100))
    kind: SuggestionKind = attrs.field(validator=v.member_of(SuggestionKind))
    campaign_id: str | None = attrs.field(validator=v.optional_text(100))
    channel: ContactChannel = attrs.field(validator=v.member_of(ContactChannel))
    message: str = attrs.field(validator=_message)
    reason: SuggestionReason = attrs.field(validator=v.member_of(SuggestionReason))
    detail: str = attrs.field(validator=_message)
    rank: int = attrs.field(validator=_check_rank)
    contact_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    status: SuggestionStatus = attrs.field(
        default=SuggestionStatus.PENDING, validator=v.member_of(SuggestionStatus)
    )

    def __attrs_post_init__(self) -> None:
        expected = f"{self.day.isoformat()}:{self.customer_id}"
        if self.suggestion_id != expected:
            raise ValidationError(
                "Suggestion.suggestion_id", self.suggestion_id, f"must be {expected!r}"
            )
        if self.reason.kind is not self.kind:
            raise ValidationError(
                "Suggestion.reason", self.reason, f"must be a reason of kind {self.kind.name}"
            )
        if self.kind is SuggestionKind.CAMPAIGN:
            if self.campaign_id is None:
                raise ValidationError(
                    "Suggestion.campaign_id",
                    None,
                    "must name the campaign of a CAMPAIGN suggestion",
                )
            if self.contact_id is not None:
                raise ValidationError(
                    "Suggestion.contact_id",
                    self.contact_id,
                    "must be None for a CAMPAIGN suggestion",
                )
        else:
            if self.campaign_id is not None:
                raise ValidationError(
                    "Suggestion.campaign_id", self.campaign_id, "must be None for a FOLLOW_UP"
                )
            if self.contact_id is None:
                raise ValidationError(
                    "Suggestion.contact_id",
                    None,
                    "must name the contact that scheduled the FOLLOW_UP",
                )


def _optional_suggestion(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, Suggestion):
        raise ValidationError(_field(instance, attribute), value, "must be a Suggestion or None")


@attrs.frozen(kw_only=True)
class Explanation:
    """Why a customer was or was not suggested on a day (the answer of ``explain``).

    Attributes:
        customer_id: the customer.
        day: the local day.
        outcome: the :class:`SuggestionOutcome`.
        detail: the reason in a sentence ("in quarantine (after_contact) until 2026-05-17").
        seller_code: the seller concerned (the list it is or would be in, or
            the inactive seller of the carteira), or ``None``.
        campaign_id: the campaign concerned, or ``None``.
        channel: the channel concerned (SUGGESTED, CUT_BY_LIMIT, or the
            channel of a follow-up without consent), or ``None``.
        free_on: for QUARANTINED, the first day the rule releases the customer.
        quarantine_rule: for QUARANTINED, the :class:`~otocore.quarantine.QuarantineRule`.
        suggestion: for SUGGESTED, the :class:`Suggestion`.

    >>> e = Explanation(
    ...     customer_id="C1",
    ...     day=date(2026, 5, 11),
    ...     outcome=SuggestionOutcome.QUARANTINED,
    ...     detail="in quarantine (after_contact) until 2026-05-17",
    ...     free_on=date(2026, 5, 17),
    ...     quarantine_rule=QuarantineRule.AFTER_CONTACT,
    ... )
    >>> e.suggested, e.free_on
    (False, datetime.date(2026, 5, 17))
    """

    customer_id: str = attrs.field(validator=v.text(100))
    day: date = attrs.field(validator=v.local_date)
    outcome: SuggestionOutcome = attrs.field(validator=v.member_of(SuggestionOutcome))
    detail: str = attrs.field(validator=_message)
    seller_code: str | None = attrs.field(default=None, validator=v.optional_text(100))
    campaign_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    channel: ContactChannel | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.member_of(ContactChannel))
    )
    free_on: date | None = attrs.field(default=None, validator=v.optional_local_date)
    quarantine_rule: QuarantineRule | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.member_of(QuarantineRule))
    )
    suggestion: Suggestion | None = attrs.field(default=None, validator=_optional_suggestion)

    @property
    def suggested(self) -> bool:
        """True when the customer is in a seller's list that day.

        >>> Explanation(
        ...     customer_id="C1",
        ...     day=date(2026, 5, 11),
        ...     outcome=SuggestionOutcome.ANONYMIZED,
        ...     detail="anonymized",
        ... ).suggested
        False
        """
        return self.outcome is SuggestionOutcome.SUGGESTED


# the plan -------------------------------------------------------------------------


class SuggestionPlan:
    """One day's suggestions for a whole brand, and the answer to "why (not)?" for any customer.

    Built by :func:`plan_suggestions`; read it with :meth:`for_seller`,
    :meth:`suggestion_for` and :meth:`explain`. Two plans are equal when
    they are for the same day with the same limits and suggestions.

    Attributes:
        day: the local day.
        suggestions: every suggestion, by seller code, then rank.
        limits: the daily limit of every active seller, by seller code.
    """

    __slots__ = (
        "_by_customer",
        "_by_seller",
        "_candidates",
        "_engine",
        "day",
        "limits",
        "suggestions",
    )

    day: date
    suggestions: tuple[Suggestion, ...]
    limits: Mapping[str, int]

    def __init__(
        self,
        engine: _Engine,
        by_seller: dict[str, tuple[Suggestion, ...]],
        candidates: dict[str, int],
    ) -> None:
        self._engine = engine
        self.day = engine.day
        self.limits = MappingProxyType(dict(sorted(engine.limits.items())))
        self._by_seller = by_seller
        self.suggestions = tuple(s for code in sorted(by_seller) for s in by_seller[code])
        self._by_customer = {s.customer_id: s for s in self.suggestions}
        self._candidates = candidates

    def for_seller(self, seller_code: str) -> tuple[Suggestion, ...]:
        """The seller's list, by rank; empty for an inactive seller.

        Raises:
            NotFound: no seller has that code.

        >>> _tiny_plan().for_seller("V01")[0].customer_id
        'C1'
        """
        v.require_text("seller_code", seller_code, max_length=100)
        if seller_code not in self._engine.sellers:
            raise NotFound("Seller", seller_code)
        return self._by_seller.get(seller_code, ())

    def suggestion_for(self, customer_id: str) -> Suggestion | None:
        """The customer's suggestion that day, or ``None``.

        >>> _tiny_plan().suggestion_for("C9") is None
        True
        """
        v.require_text("customer_id", customer_id, max_length=100)
        return self._by_customer.get(customer_id)

    def candidates(self, seller_code: str) -> int:
        """How many customers were candidates for the seller's list before the cut.

        >>> _tiny_plan().candidates("V01")
        1
        """
        v.require_text("seller_code", seller_code, max_length=100)
        if seller_code not in self._engine.sellers:
            raise NotFound("Seller", seller_code)
        return self._candidates.get(seller_code, 0)

    def explain(self, customer_id: str) -> Explanation:
        """Why the customer was or was not suggested on :attr:`day`.

        >>> _tiny_plan().explain("C1").detail
        'campaign TODOS (Todos, priority 1): audience matched, quarantine clear, consent on whatsapp'
        """
        v.require_text("customer_id", customer_id, max_length=100)
        found = self._engine.evaluate(customer_id, explain=True)
        if isinstance(found, Explanation):
            return found
        assert found is not None  # noqa: S101 - explain=True never returns None
        kept = self._by_customer.get(customer_id)
        if kept is not None:
            return Explanation(
                customer_id=customer_id,
                day=self.day,
                outcome=SuggestionOutcome.SUGGESTED,
                detail=kept.detail,
                seller_code=kept.seller_code,
                campaign_id=kept.campaign_id,
                channel=kept.channel,
                suggestion=kept,
            )
        seller = found.seller_code
        limit = self.limits[seller]
        return Explanation(
            customer_id=customer_id,
            day=self.day,
            outcome=SuggestionOutcome.CUT_BY_LIMIT,
            detail=(
                f"cut by the limit: {seller} gets {limit} suggestions on {self.day} "
                f"and {self._candidates.get(seller, 0)} customers were candidates"
            ),
            seller_code=seller,
            campaign_id=None if found.campaign is None else found.campaign.campaign_id,
            channel=found.channel,
        )

    def __iter__(self) -> Iterator[Suggestion]:
        return iter(self.suggestions)

    def __len__(self) -> int:
        return len(self.suggestions)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SuggestionPlan):
            return NotImplemented
        return (self.day, self.limits, self.suggestions) == (
            other.day,
            other.limits,
            other.suggestions,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"<SuggestionPlan for {self.day}: {len(self.suggestions)} suggestions, "
            f"{len(self.limits)} active sellers>"
        )


def plan_suggestions(
    day: date,
    *,
    sellers: Iterable[Seller],
    stores: Iterable[Store],
    assignments: Iterable[PortfolioAssignment],
    facts: Mapping[str, CustomerFacts],
    campaigns: Iterable[Campaign],
    consent: ConsentLedger,
    blocks: BlockList,
    contacts: Iterable[Contact] = (),
    earlier_suggestions: Iterable[Suggestion] = (),
    workloads: Mapping[str, SellerWorkload] | None = None,
    anonymized: Collection[str] = frozenset(),
    policy: SuggestionPolicy = _DEFAULT_POLICY,
) -> SuggestionPlan:
    """Plan the suggestions of local day ``day`` for every active seller of a brand.

    A pure function of its arguments: the same values, given in any order,
    give the same plan. See the module docstring for the rule.

    Args:
        day: the local day (in ``policy.time_zone``).
        sellers: every seller of the brand (codes unique); only ACTIVE ones get a list.
        stores: the stores (ids unique); each active seller's store must be
            there (its name fills ``{loja}``).
        assignments: the carteira, one :class:`~otocore.portfolio.PortfolioAssignment`
            per customer.
        facts: :class:`~otocore.filters.CustomerFacts` by customer id, built for
            ``day`` (as :func:`otocore.filters.facts_for_brand` returns them);
            a customer without facts has no customer record. ``facts.rfv``
            gives the value score used to order the list.
        campaigns: every campaign (ids unique); those that run on ``day`` compete.
        consent: the brand's :class:`~otocore.consent.ConsentLedger`.
        blocks: the brand's :class:`~otocore.blocking.BlockList`.
        contacts: registered contacts: at least those whose day is within
            the quarantine windows before ``day``, and those with a follow-up
            on ``day`` (more never changes the result). Contact ids are unique.
        earlier_suggestions: stored suggestions of earlier days (later ones
            are ignored): a campaign suggested to a customer holds that
            campaign for its ``quarantine_days``.
        workloads: the :class:`SellerWorkload` of sellers that differ from
            the brand's default, by seller code.
        anonymized: ids of anonymized customers; never suggested.
        policy: the brand's :class:`SuggestionPolicy`.

    Returns:
        The :class:`SuggestionPlan`.

    Raises:
        ValidationError: any argument malformed or inconsistent (repeated
            ids, facts built for another day or filed under another id, a
            missing store, a ledger or block list in another time zone).

    >>> plan = _tiny_plan()
    >>> for s in plan:
    ...     print(s.seller_code, s.rank, s.customer_id, s.campaign_id)
    V01 1 C1 TODOS
    """
    engine = _Engine(
        day=day,
        sellers=sellers,
        stores=stores,
        assignments=assignments,
        facts=facts,
        campaigns=campaigns,
        consent=consent,
        blocks=blocks,
        contacts=contacts,
        earlier_suggestions=earlier_suggestions,
        workloads=workloads,
        anonymized=anonymized,
        policy=policy,
    )
    return engine.plan()


# the engine -------------------------------------------------------------------------


class _Choice(NamedTuple):
    """A customer's candidate suggestion before the cut; its first four fields are the sort key.

    Customer ids are unique, so two choices never tie on the key and the
    later fields are never compared. One flat tuple per candidate keeps the
    allocations (and the garbage collector's work) low at a million customers.
    """

    priority: int  # 0 for a follow-up, else the campaign's priority
    unscored: int  # 1 without an RFV score (last), else 0
    minus_v: int  # minus the RFV value score (higher first)
    customer_id: str
    seller_code: str
    facts: CustomerFacts
    reason: SuggestionReason
    channel: ContactChannel
    campaign: Campaign | None
    contact: Contact | None


def _choice(
    cid: str,
    seller_code: str,
    facts: CustomerFacts,
    channel: ContactChannel,
    campaign: Campaign | None,
    *,
    contact: Contact | None = None,
    reason: SuggestionReason = SuggestionReason.CAMPAIGN,
) -> _Choice:
    priority = _FOLLOW_UP_PRIORITY if campaign is None else campaign.priority
    score = facts.rfv
    if score is None:
        return _Choice(priority, 1, 0, cid, seller_code, facts, reason, channel, campaign, contact)
    return _Choice(
        priority, 0, -score.v, cid, seller_code, facts, reason, channel, campaign, contact
    )


class _Route(NamedTuple):
    """Where a customer's evaluation goes after the cheap checks."""

    seller_code: str
    facts: CustomerFacts
    contact: Contact | None
    reason: SuggestionReason


class _Offers(NamedTuple):
    """What the running campaigns offer a customer with a given set of consented channels."""

    firsts: tuple[ContactChannel | None, ...]  # aligned with the running campaigns
    usable: tuple[tuple[Campaign, ContactChannel], ...]  # those with a channel, in order


class _Engine:
    """The inputs of one day, checked and indexed once; evaluates one customer at a time."""

    def __init__(
        self,
        *,
        day: date,
        sellers: Iterable[Seller],
        stores: Iterable[Store],
        assignments: Iterable[PortfolioAssignment],
        facts: Mapping[str, CustomerFacts],
        campaigns: Iterable[Campaign],
        consent: ConsentLedger,
        blocks: BlockList,
        contacts: Iterable[Contact],
        earlier_suggestions: Iterable[Suggestion],
        workloads: Mapping[str, SellerWorkload] | None,
        anonymized: Collection[str],
        policy: SuggestionPolicy,
    ) -> None:
        v.require_date("day", day)
        if not isinstance(policy, SuggestionPolicy):
            raise ValidationError("policy", policy, "must be a SuggestionPolicy")
        _check_zones(consent, blocks, policy.time_zone)
        self.day = day
        self.policy = policy
        self.consent = consent
        self.blocks = blocks
        self.blocked = frozenset(
            cpf.digits for cpf in blocks.blocked_cpfs(BlockFeature.CAMPAIGNS, day)
        )
        self.sellers = _unique("sellers", sellers, Seller, "code")
        self.active = {code: s for code, s in self.sellers.items() if s.is_active}
        self.stores = _unique("stores", stores, Store, "store_id")
        for code in sorted(self.active):
            store_id = self.active[code].store_id
            if store_id not in self.stores:
                raise ValidationError(
                    "stores",
                    store_id,
                    f"must include the store of every active seller ({code} works in {store_id})",
                )
        self.owner = {
            cid: a.seller_code
            for cid, a in _unique(
                "assignments", assignments, PortfolioAssignment, "customer_id"
            ).items()
        }
        if not isinstance(facts, Mapping):
            raise ValidationError(
                "facts", facts, "must be a mapping of customer id to CustomerFacts"
            )
        self.facts = facts
        self.campaigns = _unique("campaigns", campaigns, Campaign, "campaign_id")
        self.running = tuple(
            sorted(
                (c for c in self.campaigns.values() if c.runs_on(day)),
                key=lambda c: (c.priority, c.campaign_id),
            )
        )
        by_id = _unique_contacts(contacts)
        self.histories = contact_histories(by_id.values(), policy.quarantine)
        self.no_history = ContactHistory(policy=policy.quarantine)
        due: dict[str, list[Contact]] = {}
        for contact in by_id.values():
            if contact.follow_up is not None and contact.follow_up.day == day:
                due.setdefault(contact.customer_id, []).append(contact)
        self.follow_ups = {
            cid: max(options, key=self._follow_up_key) for cid, options in due.items()
        }
        self.suggested = _suggested_days(earlier_suggestions, day)
        self.offers: dict[frozenset[ContactChannel], _Offers] = {}
        self.limits = _limits(self.active, workloads, policy)
        if isinstance(anonymized, str | bytes) or not isinstance(anonymized, Collection):
            raise ValidationError("anonymized", anonymized, "must be a set of customer ids")
        self.anonymized = frozenset(anonymized)

    def _follow_up_key(self, contact: Contact) -> tuple[bool, datetime, str]:
        return (contact.seller_code in self.active, contact.finished_at, contact.contact_id)

    # planning ----------------------------------------------------------------------

    def plan(self) -> SuggestionPlan:
        universe = {cid for cid, code in self.owner.items() if code in self.active}
        universe.update(self.follow_ups)
        queues: dict[str, list[_Choice]] = {}
        for cid in universe:
            choice = self.evaluate(cid, explain=False)
            if not isinstance(choice, _Choice):
                continue
            queue = queues.get(choice.seller_code)
            if queue is None:
                queues[choice.seller_code] = [choice]
            else:
                queue.append(choice)
        by_seller: dict[str, tuple[Suggestion, ...]] = {}
        counts: dict[str, int] = {}
        for code in sorted(queues):
            queue = queues[code]
            counts[code] = len(queue)
            limit = self.limits[code]
            kept = heapq.nsmallest(limit, queue) if limit < len(queue) else sorted(queue)
            made = tuple(self._suggestion(choice, rank) for rank, choice in enumerate(kept, 1))
            if made:
                by_seller[code] = made
        return SuggestionPlan(self, by_seller, counts)

    def _suggestion(self, choice: _Choice, rank: int) -> Suggestion:
        seller = self.active[choice.seller_code]
        store = self.stores[seller.store_id]
        first_name = choice.facts.customer.first_name
        campaign = choice.campaign
        if campaign is None:
            contact = choice.contact
            assert contact is not None  # noqa: S101 - a follow-up always has its contact
            message = self.policy.follow_up_message.format_map(
                {"primeiro_nome": first_name, "vendedor": seller.name, "loja": store.name}
            )
            return Suggestion(
                suggestion_id=f"{self.day.isoformat()}:{choice.customer_id}",
                day=self.day,
                seller_code=seller.code,
                customer_id=choice.customer_id,
                kind=SuggestionKind.FOLLOW_UP,
                campaign_id=None,
                channel=choice.channel,
                message=message,
                reason=choice.reason,
                detail=_follow_up_detail(contact, choice.reason, seller.code),
                rank=rank,
                contact_id=contact.contact_id,
            )
        message = render(
            campaign,
            channel=choice.channel,
            customer_first_name=first_name,
            seller_name=seller.name,
            store_name=store.name,
        )
        return Suggestion(
            suggestion_id=f"{self.day.isoformat()}:{choice.customer_id}",
            day=self.day,
            seller_code=seller.code,
            customer_id=choice.customer_id,
            kind=SuggestionKind.CAMPAIGN,
            campaign_id=campaign.campaign_id,
            channel=choice.channel,
            message=message,
            reason=SuggestionReason.CAMPAIGN,
            detail=(
                f"campaign {campaign.campaign_id} ({campaign.name}, priority {campaign.priority}): "
                f"audience matched, quarantine clear, consent on {choice.channel.value}"
            ),
            rank=rank,
        )

    # one customer ------------------------------------------------------------------

    def evaluate(self, cid: str, *, explain: bool) -> _Choice | Explanation | None:
        """The customer's candidate suggestion, or why there is none.

        With ``explain=False`` (planning) a customer without a candidate gives
        ``None`` and the campaign checks run cheapest first; with
        ``explain=True`` it gives an :class:`Explanation`. Both pick the same
        campaign: the first for which every check holds.
        """
        route = self._route(cid, explain)
        if not isinstance(route, _Route):
            return route
        seller_code, facts, contact, reason = route
        day = self.day
        if contact is not None:
            channel = contact.channel
            if self.consent.granted(cid, channel, day):
                return _choice(
                    cid, seller_code, facts, channel, None, contact=contact, reason=reason
                )
            return self._no(
                explain,
                cid,
                SuggestionOutcome.OPTED_OUT,
                f"no consent on {channel.value} for the follow-up scheduled in contact "
                f"{contact.contact_id}",
                seller=seller_code,
                channel=channel,
            )
        history = self.histories.get(cid)
        if history is not None:
            status = history.status(day)
            if status.in_quarantine:
                rule = status.rule
                return self._no(
                    explain,
                    cid,
                    SuggestionOutcome.QUARANTINED,
                    f"in quarantine ({'' if rule is None else rule.value}) until {status.free_on}",
                    seller=seller_code,
                    free_on=status.free_on,
                    rule=rule,
                )
        if explain:
            return self._explain_campaigns(cid, seller_code, facts, history)
        return self._first_campaign(cid, seller_code, facts, history)

    def _route(self, cid: str, explain: bool) -> _Route | Explanation | None:
        """The cheap checks: anonymized, follow-up or carteira, customer record, block."""
        owner = self.owner.get(cid)
        if cid in self.anonymized:
            return self._no(
                explain,
                cid,
                SuggestionOutcome.ANONYMIZED,
                "the customer's data was anonymized",
                seller=owner,
            )
        contact = self.follow_ups.get(cid)
        reason = SuggestionReason.FOLLOW_UP
        seller_code = owner
        if contact is not None:
            if contact.seller_code in self.active:
                seller_code = contact.seller_code
            elif owner is not None and owner in self.active:
                reason = SuggestionReason.FOLLOW_UP_REASSIGNED
            else:
                contact = None
        if seller_code is None or seller_code not in self.active:
            return self._no(
                explain,
                cid,
                SuggestionOutcome.NOT_IN_ACTIVE_PORTFOLIO,
                self._portfolio_detail(cid, owner),
                seller=owner,
            )
        facts = self.facts.get(cid)
        if facts is None:
            return self._no(
                explain,
                cid,
                SuggestionOutcome.NO_CUSTOMER_RECORD,
                f"{cid} has no customer record (no facts for {self.day})",
                seller=seller_code,
            )
        if not isinstance(facts, CustomerFacts) or facts.customer.customer_id != cid:
            raise ValidationError(f"facts[{cid!r}]", facts, f"must be the CustomerFacts of {cid!r}")
        if facts.on != self.day:
            raise ValidationError(
                f"facts[{cid!r}].on", facts.on, f"must be the planned day ({self.day})"
            )
        cpf = facts.customer.cpf
        if cpf is not None and cpf.digits in self.blocked:
            return self._no(
                explain,
                cid,
                SuggestionOutcome.BLOCKED,
                self._block_detail(cpf.digits),
                seller=seller_code,
            )
        return _Route(seller_code, facts, contact, reason)

    def _offers(self, granted: frozenset[ContactChannel]) -> _Offers:
        """For a set of consented channels: each running campaign's first channel in it."""
        offers = self.offers.get(granted)
        if offers is None:
            firsts = tuple(
                next((ch for ch in c.channels if ch in granted), None) for c in self.running
            )
            usable = tuple(
                (c, ch) for c, ch in zip(self.running, firsts, strict=True) if ch is not None
            )
            offers = self.offers[granted] = _Offers(firsts, usable)
        return offers

    def _first_campaign(
        self,
        cid: str,
        seller_code: str,
        facts: CustomerFacts,
        history: ContactHistory | None,
    ) -> _Choice | None:
        """The first campaign whose every check holds; cheapest checks first."""
        day = self.day
        suggested = self.suggested.get(cid)
        held = history is not None or suggested is not None
        for campaign, channel in self._offers(self.consent.channels_granted(cid, day)).usable:
            if (
                held
                and campaign.quarantine_days
                and self._campaign_held(history, campaign, suggested) is not None
            ):
                continue
            if not campaign.audience.matches(facts, day):
                continue
            return _choice(cid, seller_code, facts, channel, campaign)
        return None

    def _explain_campaigns(
        self,
        cid: str,
        seller_code: str,
        facts: CustomerFacts,
        history: ContactHistory | None,
    ) -> _Choice | Explanation:
        """The campaign checks in the rule's order (audience, own quarantine, consent)."""
        day = self.day
        suggested = self.suggested.get(cid)
        firsts = self._offers(self.consent.channels_granted(cid, day)).firsts
        first_failure: Explanation | None = None
        for campaign, channel_found in zip(self.running, firsts, strict=True):
            if not campaign.audience.matches(facts, day):
                continue
            free_on = (
                self._campaign_held(history, campaign, suggested)
                if campaign.quarantine_days
                else None
            )
            if free_on is None and channel_found is not None:
                return _choice(cid, seller_code, facts, channel_found, campaign)
            if first_failure is not None:
                continue
            if free_on is not None:
                first_failure = self._why(
                    cid,
                    SuggestionOutcome.QUARANTINED,
                    f"campaign {campaign.campaign_id} is in its own quarantine for the "
                    f"customer until {free_on}",
                    seller=seller_code,
                    campaign=campaign.campaign_id,
                    free_on=free_on,
                    rule=QuarantineRule.CAMPAIGN,
                )
            else:
                listed = ", ".join(c.value for c in campaign.channels)
                first_failure = self._why(
                    cid,
                    SuggestionOutcome.OPTED_OUT,
                    f"no consent on any channel of campaign {campaign.campaign_id} ({listed})",
                    seller=seller_code,
                    campaign=campaign.campaign_id,
                )
        if first_failure is not None:
            return first_failure
        if not self.running:
            detail = f"no campaign runs on {day}"
        else:
            detail = f"no campaign running on {day} has the customer in its audience"
        return self._why(cid, SuggestionOutcome.NO_CAMPAIGN_MATCHED, detail, seller=seller_code)

    def _campaign_held(
        self,
        history: ContactHistory | None,
        campaign: Campaign,
        suggested: dict[str, list[date]] | None,
    ) -> date | None:
        """The day the campaign's own quarantine frees the customer, or None when clear."""
        days = () if suggested is None else suggested.get(campaign.campaign_id, ())
        if history is None:
            if not days:
                return None
            history = self.no_history
        status = history.status(self.day, campaign=campaign, suggested_on=days)
        return status.free_on if status.in_quarantine else None

    def _no(
        self,
        explain: bool,
        cid: str,
        outcome: SuggestionOutcome,
        detail: str,
        **extra: Any,
    ) -> Explanation | None:
        return self._why(cid, outcome, detail, **extra) if explain else None

    def _why(
        self,
        cid: str,
        outcome: SuggestionOutcome,
        detail: str,
        *,
        seller: str | None = None,
        campaign: str | None = None,
        channel: ContactChannel | None = None,
        free_on: date | None = None,
        rule: QuarantineRule | None = None,
    ) -> Explanation:
        return Explanation(
            customer_id=cid,
            day=self.day,
            outcome=outcome,
            detail=detail,
            seller_code=seller,
            campaign_id=campaign,
            channel=channel,
            free_on=free_on,
            quarantine_rule=rule,
        )

    def _portfolio_detail(self, cid: str, owner: str | None) -> str:
        if cid not in self.owner:
            return f"{cid} is in no carteira"
        if owner is None:
            return f"{cid} is unassigned (in nobody's carteira)"
        if owner not in self.sellers:
            return f"the seller of {cid}'s carteira ({owner}) is unknown"
        return f"the seller of {cid}'s carteira ({owner}) is inactive"

    def _block_detail(self, digits: str) -> str:
        event = self.blocks.latest(digits, BlockFeature.CAMPAIGNS, self.day)
        masked = f"***.{digits[3:6]}.{digits[6:9]}-**"
        if event is None:  # pragma: no cover - blocked implies an event
            return f"CPF {masked} is blocked for campaigns"
        since = local_day(event.at, ZoneInfo(self.policy.time_zone))
        return f"CPF {masked} is blocked for campaigns since {since} by {event.by}: {event.reason}"


def _check_zones(consent: Any, blocks: Any, zone: str) -> None:
    if not isinstance(consent, ConsentLedger):
        raise ValidationError("consent", consent, "must be a ConsentLedger")
    if consent.policy.time_zone != zone:
        raise ValidationError("consent", consent, f"must use the policy's time zone ({zone!r})")
    if not isinstance(blocks, BlockList):
        raise ValidationError("blocks", blocks, "must be a BlockList")
    if blocks.time_zone != zone:
        raise ValidationError("blocks", blocks, f"must use the policy's time zone ({zone!r})")


def _unique(field: str, items: Any, kind: type[_T], key: str) -> dict[str, _T]:
    out: dict[str, _T] = {}
    for i, item in enumerate(_items(field, items)):
        if not isinstance(item, kind):
            raise ValidationError(f"{field}[{i}]", item, f"must be a {kind.__name__}")
        value = getattr(item, key)
        if value in out:
            raise ValidationError(f"{field}[{i}].{key}", value, "must be unique")
        out[value] = item
    return out


def _unique_contacts(contacts: Any) -> dict[str, Contact]:
    by_id: dict[str, Contact] = {}
    for i, contact in enumerate(_items("contacts", contacts)):
        if not isinstance(contact, Contact):
            raise ValidationError(f"contacts[{i}]", contact, "must be a Contact")
        known = by_id.get(contact.contact_id)
        if known is None:
            by_id[contact.contact_id] = contact
        elif known != contact:
            raise ValidationError(
                f"contacts[{i}].contact_id",
                contact.contact_id,
                "must be unique (two different contacts share it)",
            )
    return by_id


def _suggested_days(earlier: Any, day: date) -> dict[str, dict[str, list[date]]]:
    """Customer id -> campaign id -> days it was suggested before ``day``."""
    out: dict[str, dict[str, list[date]]] = {}
    for i, suggestion in enumerate(_items("earlier_suggestions", earlier)):
        if not isinstance(suggestion, Suggestion):
            raise ValidationError(f"earlier_suggestions[{i}]", suggestion, "must be a Suggestion")
        if suggestion.campaign_id is None or suggestion.day >= day:
            continue
        per = out.setdefault(suggestion.customer_id, {})
        per.setdefault(suggestion.campaign_id, []).append(suggestion.day)
    return out


def _limits(
    active: Mapping[str, Seller], workloads: Any, policy: SuggestionPolicy
) -> dict[str, int]:
    if workloads is None:
        workloads = {}
    if not isinstance(workloads, Mapping):
        raise ValidationError(
            "workloads", workloads, "must be a mapping of seller code to SellerWorkload"
        )
    default = policy.default_workload
    limits: dict[str, int] = {}
    for code in sorted(active):
        workload = workloads.get(code)
        if workload is None:
            workload = default
        elif not isinstance(workload, SellerWorkload):
            raise ValidationError(f"workloads[{code!r}]", workload, "must be a SellerWorkload")
        limits[code] = workload.with_defaults(default).daily_limit(policy.limiter)
    return limits


def _follow_up_detail(contact: Contact, reason: SuggestionReason, seller_code: str) -> str:
    assert contact.follow_up is not None  # noqa: S101 - only contacts with a follow-up get here
    text = (
        f"follow-up scheduled by {contact.seller_code} in contact {contact.contact_id} "
        f"on {contact.local_day}: {contact.follow_up.note}"
    )
    if reason is SuggestionReason.FOLLOW_UP_REASSIGNED:
        text += f" ({contact.seller_code} is inactive; {seller_code} has the customer now)"
    return text


def _items(field: str, value: Any) -> Iterable[Any]:
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise ValidationError(field, value, "must be an iterable")
    return value


def _tiny_plan() -> SuggestionPlan:
    """A one-customer plan for the doctests."""
    from datetime import UTC

    from otocore.consent import ConsentEvent, ConsentSource
    from otocore.customers import Customer
    from otocore.filters import AllOf
    from otocore.portfolio import AssignmentReason

    day = date(2026, 5, 11)
    ana = Customer(customer_id="C1", name="Ana", registered_at=datetime(2025, 1, 1, tzinfo=UTC))
    everyone = Campaign(
        campaign_id="TODOS",
        name="Todos",
        priority=1,
        first_day=day,
        last_day=day,
        audience=AllOf([]),
        channels=[ContactChannel.WHATSAPP],
        message="Oi, {primeiro_nome}!",
    )
    opt_in = ConsentEvent(
        customer_id="C1",
        channel=ContactChannel.WHATSAPP,
        granted=True,
        at=datetime(2026, 5, 1, 12, tzinfo=UTC),
        source=ConsentSource.IMPORT,
        recorded_by="import",
    )
    return plan_suggestions(
        day,
        sellers=[Seller(code="V01", name="Bruno", store_id="L01")],
        stores=[Store(store_id="L01", name="Loja Centro")],
        assignments=[
            PortfolioAssignment(
                customer_id="C1", seller_code="V01", since=day, reason=AssignmentReason.DAILY_RULE
            )
        ],
        facts={"C1": CustomerFacts.build(ana, [], day)},
        campaigns=[everyone],
        consent=ConsentLedger.from_events([opt_in]),
        blocks=BlockList(),
    )
