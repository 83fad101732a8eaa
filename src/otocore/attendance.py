"""Atendimento (the seller's day): generate the day's suggestions, register contacts, explain.

The services behind the seller app, on top of the pure rules of
:mod:`otocore.suggestions`, :mod:`otocore.contacts`, :mod:`otocore.consent`,
:mod:`otocore.blocking`, :mod:`otocore.quarantine` and :mod:`otocore.campaigns`.
Each takes a :class:`~otocore.repositories.UnitOfWork` and runs in one
transaction.

* :func:`generate_suggestions` loads what a day needs, plans it with
  :func:`~otocore.suggestions.plan_suggestions` and stores it. Generating a day
  again is idempotent and never overwrites a suggestion a seller already acted
  on (the repository keeps every suggestion that is no longer PENDING).
* :func:`register_contact` is the "registro do atendimento": it stores the
  contact, moves the suggestion it answers (pending → started → finished or
  dismissed), records a consent change as a consent event that takes effect
  at once, and marks whether the customer was in the seller's carteira. As the
  seed says, a contact that is not registered does not exist for otocore.
* :func:`explain_customer` says why a customer was or was not suggested on a day.
* :func:`load_campaigns_into` stores a brand's campaigns (upsert by id).

>>> from datetime import date
>>> from otocore.adapters.memory import InMemoryUnitOfWork
>>> plan = generate_suggestions(InMemoryUnitOfWork(), date(2026, 11, 2))
>>> plan.suggestions
()
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from otocore import _validate as v
from otocore._time import same_zone_as
from otocore.blocking import BlockList
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent, ConsentLedger, ConsentPolicy, ConsentSource
from otocore.contacts import Contact, settle
from otocore.errors import RuleViolation, ValidationError
from otocore.filters import facts_for_brand
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvScore
from otocore.serialization import load_campaigns
from otocore.suggestions import Explanation, SuggestionPlan, SuggestionPolicy, plan_suggestions

__all__ = [
    "AttendancePolicy",
    "explain_customer",
    "generate_suggestions",
    "load_campaigns_into",
    "register_contact",
]


@attrs.frozen(kw_only=True)
class AttendancePolicy:
    """The brand's settings for suggestions and consent, with otocore's defaults.

    >>> AttendancePolicy().consent.default_granted
    False
    """

    suggestions: SuggestionPolicy = attrs.field(
        factory=SuggestionPolicy, validator=v.instance_of(SuggestionPolicy)
    )
    consent: ConsentPolicy = attrs.field(
        factory=ConsentPolicy, validator=same_zone_as("suggestions", ConsentPolicy)
    )


def _policy(policy: Any) -> AttendancePolicy:
    if policy is None:
        return AttendancePolicy()
    return v.require_instance("policy", policy, AttendancePolicy)


def _plan(uow: UnitOfWork, day: date, policy: AttendancePolicy) -> SuggestionPlan:
    """Load what ``day`` needs and plan it; call inside an open block."""
    zone = ZoneInfo(policy.suggestions.time_zone)
    campaigns = uow.campaigns.list()
    quarantine = policy.suggestions.quarantine
    lookback = max(
        [
            quarantine.days_after_contact,
            quarantine.per_days or 0,
            *(c.quarantine_days for c in campaigns),
        ]
    )
    since = datetime.combine(day - timedelta(days=lookback + 1), time(), tzinfo=zone)
    contacts = {c.contact_id: c for c in uow.contacts.iter_since(since)}
    for contact in uow.contacts.follow_ups_due(day):
        contacts.setdefault(contact.contact_id, contact)
    earlier = list(
        uow.suggestions.iter_days(day - timedelta(days=lookback + 1), day - timedelta(days=1))
    )

    consent = ConsentLedger.from_events(uow.consent.iter_all(), policy=policy.consent)
    blocks = BlockList.from_events(uow.blocks.iter_all(), time_zone=policy.suggestions.time_zone)
    customers = uow.customers.list()
    granted = consent.channels_by_customer(day)  # read once; the planner reads it again
    no_event = consent.default_channels
    facts = facts_for_brand(
        customers,
        uow.orders.iter_all(),
        day,
        rfv_scores=_rfv_on(uow, day),
        consents={c.customer_id: granted.get(c.customer_id, no_event) for c in customers},
        time_zone=policy.suggestions.time_zone,
    )
    return plan_suggestions(
        day,
        sellers=uow.sellers.list(),
        stores=uow.stores.list(),
        assignments=uow.portfolio.list(),
        facts=facts,
        campaigns=campaigns,
        consent=consent,
        blocks=blocks,
        contacts=contacts.values(),
        earlier_suggestions=earlier,
        workloads=uow.workloads.all(),
        policy=policy.suggestions,
    )


def _rfv_on(uow: UnitOfWork, day: date) -> dict[str, RfvScore]:
    """The latest RFV snapshot on or before ``day`` (empty if none)."""
    dates = [d for d in uow.rfv.dates() if d <= day]
    return uow.rfv.get(max(dates)) if dates else {}


def generate_suggestions(
    uow: UnitOfWork, day: date, policy: AttendancePolicy | None = None
) -> SuggestionPlan:
    """Plan and store the suggestions of local day ``day`` for every active seller.

    Idempotent: generating the same day again replaces the day's PENDING
    suggestions and keeps every suggestion a seller already acted on. The RFV
    scores are the latest snapshot on or before ``day`` (run
    :func:`otocore.daily.run_daily` first).

    Returns:
        The :class:`~otocore.suggestions.SuggestionPlan` of the day.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> generate_suggestions(InMemoryUnitOfWork(), "2026-11-02")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: day must be a datetime.date (a local calendar day), got '2026-11-02'
    """
    v.require_date("day", day)
    policy = _policy(policy)
    with uow.writing():
        plan = _plan(uow, day, policy)
        uow.suggestions.save_day(day, plan.suggestions)
    return plan


def explain_customer(
    uow: UnitOfWork, customer_id: str, day: date, policy: AttendancePolicy | None = None
) -> Explanation:
    """Why ``customer_id`` was or was not suggested on ``day``.

    The day is planned again from the stored state (nothing is written), so
    the answer reflects contacts, consent changes and blocks registered since
    the day was generated.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> explain_customer(InMemoryUnitOfWork(), "C1", date(2026, 11, 2)).outcome.value
    'not_in_active_portfolio'
    """
    v.require_date("day", day)
    policy = _policy(policy)
    with uow:
        plan = _plan(uow, day, policy)
    return plan.explain(customer_id)


def register_contact(
    uow: UnitOfWork, contact: Contact, *, consent_policy: ConsentPolicy | None = None
) -> Contact:
    """Register an attendance ("registro do atendimento") and apply its effects.

    In one transaction: the seller and the customer must exist
    (:class:`~otocore.errors.NotFound`); ``in_portfolio`` is set from the
    carteira (a walk-in or a follow-up outside it is allowed and recorded as
    such); the suggestion it answers, if any, must be this customer's and moves
    to finished or dismissed (:func:`otocore.contacts.settle`); a consent change
    becomes a :class:`~otocore.consent.ConsentEvent` at the contact's end, so a
    revocation takes effect at once; the contact feeds quarantine from then on.

    Returns:
        The stored contact.
    """
    if not isinstance(contact, Contact):
        raise ValidationError("contact", contact, "must be a Contact")
    with uow.writing():
        uow.sellers.get(contact.seller_code)
        uow.customers.get(contact.customer_id)
        assignment = uow.portfolio.get(contact.customer_id)
        in_portfolio = assignment is not None and assignment.seller_code == contact.seller_code
        contact = attrs.evolve(contact, in_portfolio=in_portfolio)
        if contact.suggestion_id is not None:
            suggestion = uow.suggestions.get(contact.suggestion_id)
            if suggestion.customer_id != contact.customer_id:
                raise RuleViolation(
                    f"suggestion {suggestion.suggestion_id!r} is for customer "
                    f"{suggestion.customer_id!r}, not {contact.customer_id!r}"
                )
            uow.suggestions.set_status(
                suggestion.suggestion_id,
                settle(suggestion.status, contact.outcome),
                expected=suggestion.status,
            )
        if contact.consent_change is not None:
            uow.consent.append(
                ConsentEvent(
                    customer_id=contact.customer_id,
                    channel=contact.consent_change.channel,
                    granted=contact.consent_change.granted,
                    at=contact.finished_at,
                    source=ConsentSource.SELLER_APP,
                    recorded_by=contact.seller_code,
                    event_id=f"contact:{contact.contact_id}",
                )
            )
        uow.contacts.add(contact)
    return contact


def load_campaigns_into(uow: UnitOfWork, data: str | Iterable[Any]) -> tuple[Campaign, ...]:
    """Validate a list of campaigns (JSON text or data) and store them, upserting by id.

    Every fault of every campaign is reported at once, with its path; nothing
    is stored unless all are valid.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> load_campaigns_into(InMemoryUnitOfWork(), "[]")
    ()
    """
    campaigns = load_campaigns(data)  # type: ignore[arg-type]
    with uow:
        for campaign in campaigns:
            uow.campaigns.add(campaign)
    return campaigns
