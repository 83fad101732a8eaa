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
* :func:`explain_customer` says why a customer was or was not suggested on a
  day: the stored answer of a generated day (one row), or, for a day not
  generated, a plan of only what that customer's answer depends on.
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
from otocore.customers import Customer
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.filters import facts_for_brand
from otocore.portfolio import PortfolioAssignment
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
    "register_contact_in_transaction",
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

    In the same transaction it stores every customer's outcome
    (:meth:`SuggestionPlan.explain_all <otocore.suggestions.SuggestionPlan.explain_all>`,
    written in bulk to :attr:`UnitOfWork.outcomes
    <otocore.repositories.UnitOfWork.outcomes>`), replacing the day's earlier
    outcomes, so :func:`explain_customer` answers from one stored row: all of
    it, or nothing if anything fails.

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
        uow.outcomes.save_day(day, plan.explain_all())
    return plan


def explain_customer(
    uow: UnitOfWork,
    customer_id: str,
    day: date,
    policy: AttendancePolicy | None = None,
    *,
    replan: bool = False,
) -> Explanation:
    """Why ``customer_id`` was or was not suggested on ``day``.

    **A generated day** (:func:`generate_suggestions` ran for it) is answered
    from the store: the explanation the day's plan gave when it was generated
    (the list the seller got), one row read, whatever was registered since. A
    contact, a consent change or a block registered after generation does
    not change that answer; generating the day again does. Its
    ``suggestion`` is the suggestion as planned (status pending): read
    :meth:`uow.suggestions.get <otocore.repositories.SuggestionRepository.get>`
    for what the seller did with it. A customer the day's plan did not know
    (no record, no carteira, no follow-up then) is "in no carteira", as the
    plan would have said. The stored answer is that of the policy the day was
    generated with; ``policy`` applies only when planning.

    **A day not generated**, or ``replan=True``, is planned now from the
    stored state, but only what the customer's answer depends on: their own
    records, and the carteiras of their seller and of the sellers of their
    follow-ups due that day (the daily limit cuts among those sellers'
    candidates). Nothing is written. The answer equals that of the whole
    brand's plan (:func:`generate_suggestions` run now) for that customer, so
    ``replan=True`` on a generated day says what the day would decide today.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> explain_customer(InMemoryUnitOfWork(), "C1", date(2026, 11, 2)).outcome.value
    'not_in_active_portfolio'
    """
    v.require_date("day", day)
    v.require_text("customer_id", customer_id, max_length=100)
    policy = _policy(policy)
    if not isinstance(replan, bool):
        raise ValidationError("replan", replan, "must be True or False")
    with uow:
        if not replan:
            stored = uow.outcomes.get(day, customer_id)
            if stored is not None:
                return stored
            if day in uow.outcomes.days():
                return _nobody_plan(day, policy).explain(customer_id)
        plan = _plan_customer(uow, day, policy, customer_id)
    return plan.explain(customer_id)


def _nobody_plan(day: date, policy: AttendancePolicy) -> SuggestionPlan:
    """A plan that knows no customer: its answer for any id is "in no carteira"."""
    return plan_suggestions(
        day,
        sellers=(),
        stores=(),
        assignments=(),
        facts={},
        campaigns=(),
        consent=ConsentLedger.from_events((), policy=policy.consent),
        blocks=BlockList(time_zone=policy.suggestions.time_zone),
        policy=policy.suggestions,
    )


def _plan_customer(
    uow: UnitOfWork, day: date, policy: AttendancePolicy, customer_id: str
) -> SuggestionPlan:
    """Plan only what ``customer_id``'s answer on ``day`` depends on; call inside an open block.

    The answer depends on the customer's own records and, when they are a
    candidate, on the other candidates of the seller whose list they would be
    in (the daily limit's cut and its count). That seller is the customer's
    carteira seller or the seller of one of their follow-ups due that day;
    every customer routed to one of those sellers is in that seller's
    carteira or has a follow-up due from them. So the plan gets those
    customers, each with all of its own records as :func:`_plan` loads them
    (orders, RFV score, consent and block events, contacts of the quarantine
    look-back plus its follow-ups due, earlier suggestions), the sellers they
    can be routed to (their carteiras' and their follow-ups' sellers), and the
    brand's stores, campaigns and workloads: each involved seller's list,
    limit and candidates are the whole brand's, and so is the answer.
    """
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
    first = day - timedelta(days=lookback + 1)
    since = datetime.combine(first, time(), tzinfo=zone)
    due = uow.contacts.follow_ups_due(day)
    assignments: dict[str, PortfolioAssignment] = {}
    own = uow.portfolio.get(customer_id)
    involved = {c.seller_code for c in due if c.customer_id == customer_id}
    if own is not None:
        assignments[customer_id] = own
        if own.seller_code is not None:
            involved.add(own.seller_code)
    for code in sorted(involved):
        for assignment in uow.portfolio.list(seller_code=code):
            assignments[assignment.customer_id] = assignment
    ids = {customer_id, *assignments}
    ids.update(c.customer_id for c in due if c.seller_code in involved)
    for cid in sorted(ids.difference(assignments)):
        found = uow.portfolio.get(cid)
        if found is not None:
            assignments[cid] = found

    customers: list[Customer] = []
    for cid in sorted(ids):
        try:
            customers.append(uow.customers.get(cid))
        except NotFound:
            continue  # in a carteira without a record: the plan says so
    contacts = [c for cid in sorted(ids) for c in uow.contacts.for_customer(cid)]
    contacts = [c for c in contacts if c.started_at >= since]
    contacts.extend(c for c in due if c.customer_id in ids)
    earlier = [
        s for cid in sorted(ids) for s in uow.suggestions.for_customer(cid) if first <= s.day < day
    ]
    consent = ConsentLedger.from_events(
        [e for cid in sorted(ids) for e in uow.consent.for_customer(cid)], policy=policy.consent
    )
    cpfs = sorted({c.cpf.digits: c.cpf for c in customers if c.cpf is not None}.items())
    blocks = BlockList.from_events(
        [e for _, cpf in cpfs for e in uow.blocks.for_cpf(cpf)],
        time_zone=policy.suggestions.time_zone,
    )
    snapshots = [d for d in uow.rfv.dates() if d <= day]  # the latest, as _rfv_on
    scores = uow.rfv.get_many(max(snapshots), ids) if snapshots else {}
    facts = facts_for_brand(
        customers,
        [o for c in customers for o in uow.orders.for_customer(c.customer_id)],
        day,
        rfv_scores=scores,
        consents={c.customer_id: consent.channels_granted(c.customer_id, day) for c in customers},
        time_zone=policy.suggestions.time_zone,
    )
    # the sellers the plan can route these customers to (their carteiras' sellers and the
    # sellers of their follow-ups due): a daily limit is computed for each active one given
    routes = {a.seller_code for a in assignments.values()}
    routes.update(c.seller_code for c in due if c.customer_id in ids)
    return plan_suggestions(
        day,
        sellers=[s for s in uow.sellers.list() if s.code in routes],
        stores=uow.stores.list(),
        assignments=assignments.values(),
        facts=facts,
        campaigns=campaigns,
        consent=consent,
        blocks=blocks,
        contacts=contacts,
        earlier_suggestions=earlier,
        workloads=uow.workloads.all(),
        policy=policy.suggestions,
    )


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
        contact = register_contact_in_transaction(uow, contact)
    return contact


def register_contact_in_transaction(uow: UnitOfWork, contact: Contact) -> Contact:
    """:func:`register_contact`'s work inside a transaction the caller opened and commits.

    Call it inside ``with uow.writing():`` (the audited
    :meth:`otocore.accounts.AccountService.register_contact` adds its audit
    entry to the same transaction).

    Returns:
        The stored contact (``in_portfolio`` set from the carteira).

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.consent import ContactChannel
    >>> when = datetime(2026, 5, 10, 17, tzinfo=UTC)
    >>> uow = InMemoryUnitOfWork()
    >>> with uow.writing():
    ...     register_contact_in_transaction(
    ...         uow,
    ...         Contact(
    ...             contact_id="A1",
    ...             seller_code="V01",
    ...             customer_id="C1",
    ...             channel=ContactChannel.SMS,
    ...             started_at=when,
    ...             finished_at=when,
    ...             in_portfolio=False,
    ...         ),
    ...     )
    Traceback (most recent call last):
    ...
    otocore.errors.NotFound: Seller 'V01' not found
    """
    if not isinstance(contact, Contact):
        raise ValidationError("contact", contact, "must be a Contact")
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
