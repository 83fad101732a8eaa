"""Strategies for :mod:`otocore.contacts`, :mod:`otocore.quarantine` and :mod:`otocore.campaigns`."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from otocore.campaigns import PLACEHOLDERS, Campaign
from otocore.consent import ContactChannel
from otocore.contacts import ConsentChange, Contact, ContactOutcome, FollowUp
from otocore.filters import Filter
from otocore.quarantine import (
    CampaignQuarantine,
    ContactHistory,
    QuarantinePolicy,
    QuarantineRule,
    QuarantineStatus,
    contact_histories,
)
from otocore.testing._strategies import aware_datetimes, customer_ids, seller_codes

__all__ = [
    "campaign_ids",
    "campaign_quarantines",
    "campaigns",
    "consent_changes",
    "contact_history_values",
    "contacts",
    "follow_ups",
    "message_templates",
    "quarantine_policies",
    "quarantine_statuses",
]

_ZONES = ("America/Sao_Paulo", "America/Manaus", "America/Recife", "America/Noronha", "UTC")
_NOTES = (
    "Voltar a falar do vestido azul",
    "Chegou o tamanho 38",
    "Ligar depois das 18h\nSó WhatsApp",
)
_SKUS = ("SKU-001", "SKU-002", "SKU-003", "CAM-P-AZUL", "VEST-38")
_REASONS = ("Cliente não respondeu", "Número errado", "Já comprou esta semana")
_DAY_MIN = date(2018, 1, 1)
_DAY_MAX = date(2030, 12, 31)


def campaign_ids(*, max_count: int = 5) -> st.SearchStrategy[str]:
    """Campaign ids from a small pool (``CAMP01``...), so that contacts share campaigns.

    >>> from hypothesis import find
    >>> find(campaign_ids(), lambda c: True)
    'CAMP01'
    """
    return st.integers(1, max_count).map(lambda n: f"CAMP{n:02d}")


def follow_ups(
    *, min_day: date = _DAY_MIN, max_day: date = _DAY_MAX
) -> st.SearchStrategy[FollowUp]:
    """Follow-ups (agendamentos) on a day in ``[min_day, max_day]``.

    >>> from hypothesis import find
    >>> find(follow_ups(min_day=date(2026, 5, 11)), lambda f: True).day
    datetime.date(2026, 5, 11)
    """
    return st.builds(
        FollowUp,
        day=st.dates(min_value=min_day, max_value=max_day),
        note=st.sampled_from(_NOTES),
    )


def consent_changes() -> st.SearchStrategy[ConsentChange]:
    """Opt-ins and opt-outs on any channel.

    >>> from hypothesis import find
    >>> find(consent_changes(), lambda c: not c.granted).granted
    False
    """
    return st.builds(ConsentChange, channel=st.sampled_from(ContactChannel), granted=st.booleans())


def contacts(
    *,
    customer_id: st.SearchStrategy[str] | None = None,
    seller_code: st.SearchStrategy[str] | None = None,
    campaign_id: st.SearchStrategy[str | None] | None = None,
    started_at: st.SearchStrategy[datetime] | None = None,
    time_zone: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Contact]:
    """Registered contacts, consistent with every rule of :class:`~otocore.contacts.Contact`.

    A contact lasts up to three hours; a DISMISSED one names its suggestion
    and a reason; a follow-up falls 1 to 60 days after the local day the
    contact finished on. Contact ids are random and long.

    Args:
        customer_id: strategy for the customer (default a small pool).
        seller_code: strategy for the seller (default a small pool).
        campaign_id: strategy for the campaign id (default ``None`` or
            :func:`campaign_ids`).
        started_at: strategy for the start instant (default 2018 to 2030,
            Brazilian zones, UTC and fixed offsets).
        time_zone: strategy for the contact's time zone (default Brazilian
            zones or UTC).

    >>> from hypothesis import find
    >>> c = find(contacts(), lambda c: c.outcome is ContactOutcome.DISMISSED)
    >>> c.suggestion_id is not None and c.dismiss_reason is not None
    True
    """
    starts = aware_datetimes() if started_at is None else started_at
    zones = st.sampled_from(_ZONES) if time_zone is None else time_zone
    suggestion_ids = st.uuids().map(lambda u: f"S{u.hex[:10]}")
    contact_ids = st.uuids().map(lambda u: f"A{u.hex[:12]}")
    sellers = seller_codes() if seller_code is None else seller_code
    customers = customer_ids() if customer_id is None else customer_id
    campaigns = (st.none() | campaign_ids()) if campaign_id is None else campaign_id
    skus = st.lists(st.sampled_from(_SKUS), max_size=3, unique=True)
    changes = st.none() | consent_changes()
    notes = st.none() | st.sampled_from(_NOTES)
    reasons = st.sampled_from(_REASONS)
    channels = st.sampled_from(ContactChannel)
    outcomes = st.sampled_from(ContactOutcome)
    offsets = st.integers(1, 60)
    follow_up_notes = st.sampled_from(_NOTES)

    @st.composite
    def build(draw: st.DrawFn) -> Contact:
        start = draw(starts)
        zone = draw(zones)
        finish = start + timedelta(seconds=draw(st.integers(0, 3 * 3600)))
        outcome = draw(outcomes)
        dismissed = outcome is ContactOutcome.DISMISSED
        suggestion = draw(suggestion_ids) if dismissed else None
        if not dismissed and draw(st.booleans()):
            suggestion = draw(suggestion_ids)
        follow_up = None
        if draw(st.booleans()):
            after = finish.astimezone(ZoneInfo(zone)).date()
            if after < date.max - timedelta(days=61):
                day = after + timedelta(days=draw(offsets))
                follow_up = FollowUp(day=day, note=draw(follow_up_notes))
        return Contact(
            contact_id=draw(contact_ids),
            seller_code=draw(sellers),
            customer_id=draw(customers),
            suggestion_id=suggestion,
            campaign_id=draw(campaigns),
            channel=draw(channels),
            started_at=start,
            finished_at=finish,
            products_offered=draw(skus),
            follow_up=follow_up,
            consent_change=draw(changes),
            notes=draw(notes),
            outcome=outcome,
            dismiss_reason=draw(reasons) if dismissed else None,
            in_portfolio=draw(st.booleans()),
            time_zone=zone,
        )

    return build()


def quarantine_policies(
    *,
    days_after_contact: st.SearchStrategy[int] | None = None,
    time_zone: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[QuarantinePolicy]:
    """Quarantine policies: 0 to 30 days after a contact, with or without a rolling cap.

    >>> from hypothesis import find
    >>> find(quarantine_policies(), lambda p: p.max_contacts is not None).per_days >= 1
    True
    """

    @st.composite
    def build(draw: st.DrawFn) -> QuarantinePolicy:
        capped = draw(st.booleans())
        return QuarantinePolicy(
            days_after_contact=draw(
                st.integers(0, 30) if days_after_contact is None else days_after_contact
            ),
            max_contacts=draw(st.integers(1, 4)) if capped else None,
            per_days=draw(st.integers(1, 60)) if capped else None,
            time_zone=draw(st.sampled_from(_ZONES) if time_zone is None else time_zone),
        )

    return build()


def campaign_quarantines(
    *, campaign_id: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[CampaignQuarantine]:
    """A campaign id and its own quarantine of 0 to 60 days.

    >>> from hypothesis import find
    >>> find(campaign_quarantines(), lambda c: c.quarantine_days > 0).quarantine_days
    1
    """
    return st.builds(
        CampaignQuarantine,
        campaign_id=campaign_ids() if campaign_id is None else campaign_id,
        quarantine_days=st.integers(0, 60),
    )


def quarantine_statuses() -> st.SearchStrategy[QuarantineStatus]:
    """Quarantine statuses, free or held by a rule until a later day.

    >>> from hypothesis import find
    >>> s = find(quarantine_statuses(), lambda s: s.in_quarantine)
    >>> s.free_on > s.on
    True
    """
    days = st.dates(min_value=_DAY_MIN, max_value=_DAY_MAX)
    held = st.builds(
        lambda on, rule, n: QuarantineStatus(
            on=on, in_quarantine=True, rule=rule, free_on=on + timedelta(days=n)
        ),
        days,
        st.sampled_from(QuarantineRule),
        st.integers(1, 400),
    )
    return st.one_of(days.map(QuarantineStatus.free), held)


def contact_history_values(
    *, policy: st.SearchStrategy[QuarantinePolicy] | None = None, max_contacts: int = 8
) -> st.SearchStrategy[ContactHistory]:
    """:class:`~otocore.quarantine.ContactHistory` values built from drawn contacts of one customer.

    >>> from hypothesis import find
    >>> len(find(contact_history_values(), lambda h: len(h.days) > 1).days)
    2
    """

    policies = quarantine_policies() if policy is None else policy
    lists = st.lists(contacts(customer_id=st.just("C001")), max_size=max_contacts)

    @st.composite
    def build(draw: st.DrawFn) -> ContactHistory:
        chosen = draw(policies)
        items = draw(lists)
        return contact_histories(items, chosen).get("C001", ContactHistory(policy=chosen))

    return build()


def message_templates() -> st.SearchStrategy[str]:
    """Valid Portuguese message templates using the placeholders, with literal braces now and then.

    >>> from hypothesis import find
    >>> "{" in find(message_templates(), lambda t: "{" in t)
    True
    """
    pieces = st.sampled_from(
        ["Olá, ", "Oi ", "! ", "Aqui é ", ", da ", "Sentimos sua falta. ", "{{promo}} ", "\n"]
    )
    fields = st.sampled_from([f"{{{name}}}" for name in PLACEHOLDERS])
    parts = st.lists(pieces | fields, min_size=1, max_size=8).map("".join)
    return parts.filter(lambda t: bool(t.strip()))


def campaigns(
    *,
    campaign_id: st.SearchStrategy[str] | None = None,
    priority: st.SearchStrategy[int] | None = None,
    audience: st.SearchStrategy[Filter] | None = None,
    active: st.SearchStrategy[bool] | None = None,
) -> st.SearchStrategy[Campaign]:
    """Valid campaigns, with 1 to 3 channels, per-channel templates now and then.

    Args:
        campaign_id: strategy for the id (default :func:`campaign_ids`).
        priority: strategy for the priority (default 1 to 5, so that ties happen).
        audience: strategy for the audience (default :func:`otocore.testing.filters`
            with at most 3 leaves).
        active: strategy for the active flag (default either).

    >>> from hypothesis import find
    >>> c = find(campaigns(), lambda c: len(c.channels) > 1)
    >>> len(set(c.channels)) == len(c.channels)
    True
    """
    from otocore.testing._filters import filters

    ids = campaign_ids() if campaign_id is None else campaign_id
    priorities = st.integers(1, 5) if priority is None else priority
    audiences = filters(max_leaves=3) if audience is None else audience
    actives = st.booleans() if active is None else active
    templates = message_templates()

    @st.composite
    def build(draw: st.DrawFn) -> Campaign:
        first = draw(st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)))
        last = first + timedelta(days=draw(st.integers(0, 400)))
        channels = draw(
            st.lists(st.sampled_from(ContactChannel), min_size=1, max_size=3, unique=True)
        )
        own = draw(st.lists(st.sampled_from(channels), max_size=len(channels), unique=True))
        return Campaign(
            campaign_id=draw(ids),
            name=draw(st.sampled_from(["Aniversariantes do mês", "Pós-venda", "Reconquista"])),
            priority=draw(priorities),
            first_day=first,
            last_day=last,
            audience=draw(audiences),
            channels=channels,
            message=draw(templates),
            channel_messages={c: draw(templates) for c in own},
            quarantine_days=draw(st.integers(0, 90)),
            active=draw(actives),
        )

    return build()


def strategy_table() -> dict[type, st.SearchStrategy[object]]:
    """Default strategies for this module's types, for ``st.from_type`` registration.

    >>> sorted(cls.__name__ for cls in strategy_table())
    ['Campaign', 'CampaignQuarantine', 'ConsentChange', 'Contact', 'ContactHistory', 'FollowUp', 'QuarantinePolicy', 'QuarantineStatus']
    """
    return {
        Campaign: campaigns(),
        CampaignQuarantine: campaign_quarantines(),
        ConsentChange: consent_changes(),
        Contact: contacts(),
        ContactHistory: contact_history_values(),
        FollowUp: follow_ups(),
        QuarantinePolicy: quarantine_policies(),
        QuarantineStatus: quarantine_statuses(),
    }
