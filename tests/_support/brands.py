"""Hypothesis strategies for the records of one day of suggestions, shared by the property tests.

``tests/property/test_suggestions.py``, ``test_suggestions_batch.py`` and
``test_explain_partial.py`` each assemble a brand for the day ``DAY`` out of these
pieces; where they explore differently (how far back events go, how many of them, how
often a contact leaves a follow-up or names a campaign) the piece takes a parameter and
each module passes its own, so none of them explores less than it did with its own copy.

>>> assignment("C01", "V01").since
datetime.date(2026, 4, 11)
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from _support.builders import at
from otocore.blocking import BlockEvent, BlockFeature
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.contacts import Contact, FollowUp
from otocore.customers import Cpf, Customer
from otocore.distribution import SuggestionLimiter
from otocore.filters import Filter
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.quarantine import QuarantinePolicy
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus
from otocore.suggestions import (
    SellerWorkload,
    Suggestion,
    SuggestionKind,
    SuggestionPolicy,
    SuggestionReason,
)

__all__ = [
    "CHANNELS",
    "CPFS",
    "DAY",
    "assignment",
    "block_events",
    "campaigns",
    "consent_events",
    "contacts",
    "customers",
    "earlier_suggestion",
    "rfv_scores",
    "sellers",
    "suggestion_policies",
]

DAY = date(2026, 5, 11)
CHANNELS = (ContactChannel.WHATSAPP, ContactChannel.SMS, ContactChannel.EMAIL)
CPFS = tuple(Cpf(d) for d in ("52998224725", "11144477735", "12345678909", "98765432100"))


@st.composite
def sellers(draw: st.DrawFn, codes: Sequence[str], store_ids: Sequence[str]) -> list[Seller]:
    """One seller per code, in one of ``store_ids``, inactive one time in five."""
    return [
        Seller(
            code=code,
            name=f"Vendedor {code}",
            store_id=draw(st.sampled_from(store_ids)),
            status=SellerStatus.INACTIVE if draw(st.integers(0, 4)) == 0 else SellerStatus.ACTIVE,
        )
        for code in codes
    ]


def assignment(customer_id: str, owner: str | None) -> PortfolioAssignment:
    """``customer_id`` in ``owner``'s carteira (or in none) since 30 days before ``DAY``."""
    return PortfolioAssignment(
        customer_id=customer_id,
        seller_code=owner,
        since=DAY - timedelta(days=30),
        reason=AssignmentReason.NONE if owner is None else AssignmentReason.DAILY_RULE,
    )


@st.composite
def customers(draw: st.DrawFn, customer_id: str, *, varied: bool = False) -> Customer:
    """A customer with any of three names, maybe a CPF of ``CPFS``.

    ``varied`` also draws the registration day (in 2026, up to ``DAY``) and the birth
    date (maybe none); otherwise the customer registered on 2025-01-01 with no birth date.
    """
    name = draw(st.sampled_from(["Ana Souza", "JOSÉ DA SILVA", "maria"]))
    if not varied:
        return Customer(
            customer_id=customer_id,
            name=name,
            registered_at=datetime(2025, 1, 1, tzinfo=UTC),
            cpf=draw(st.none() | st.sampled_from(CPFS)),
        )
    return Customer(
        customer_id=customer_id,
        name=name,
        registered_at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(days=draw(st.integers(0, 130))),
        cpf=draw(st.none() | st.sampled_from(CPFS)),
        birth_date=draw(st.none() | st.dates(date(1960, 1, 1), date(2005, 12, 31))),
    )


@st.composite
def rfv_scores(
    draw: st.DrawFn, customer_id: str, *, segments: Sequence[str] | None = None
) -> RfvScore | None:
    """No score, or one with any V; with ``segments``, every other field drawn as well."""
    v = draw(st.none() | st.integers(1, 5))
    if v is None:
        return None
    if segments is None:
        return RfvScore(
            customer_id=customer_id,
            recency_days=10,
            frequency=1,
            value=Decimal("10.00"),
            r=3,
            f=3,
            v=v,
            segment="loyal_customers",
        )
    return RfvScore(
        customer_id=customer_id,
        recency_days=draw(st.integers(0, 400)),
        frequency=draw(st.integers(1, 5)),
        value=Decimal(draw(st.integers(1, 500_000))).scaleb(-2),
        r=draw(st.integers(1, 5)),
        f=draw(st.integers(1, 5)),
        v=v,
        segment=draw(st.sampled_from(segments)),
    )


@st.composite
def campaigns(
    draw: st.DrawFn,
    campaign_ids: st.SearchStrategy[list[str]],
    *,
    audiences: st.SearchStrategy[Filter],
    channels: st.SearchStrategy[list[ContactChannel]],
    starts: st.SearchStrategy[int],
    lasts: st.SearchStrategy[int],
    active: st.SearchStrategy[bool],
) -> list[Campaign]:
    """A campaign per drawn id, from ``DAY + starts`` for ``lasts`` more days."""
    out = []
    for campaign_id in draw(campaign_ids):
        first_day = DAY + timedelta(days=draw(starts))
        out.append(
            Campaign(
                campaign_id=campaign_id,
                name=f"Campanha {campaign_id}",
                priority=draw(st.integers(1, 3)),
                first_day=first_day,
                last_day=first_day + timedelta(days=draw(lasts)),
                audience=draw(audiences),
                channels=draw(channels),
                message="Olá, {primeiro_nome}! {vendedor}, {loja}.",
                quarantine_days=draw(st.integers(0, 10)),
                active=draw(active),
            )
        )
    return out


@st.composite
def consent_events(
    draw: st.DrawFn,
    customer_ids: st.SearchStrategy[str],
    *,
    max_count: int,
    days_ago: tuple[int, int],
) -> list[ConsentEvent]:
    """Up to ``max_count`` imported events, granted three times in four, ``days_ago`` before ``DAY``."""
    return [
        ConsentEvent(
            customer_id=draw(customer_ids),
            channel=draw(st.sampled_from(CHANNELS)),
            granted=draw(st.integers(0, 3)) > 0,
            at=at(DAY - timedelta(days=draw(st.integers(*days_ago))), draw(st.integers(0, 23))),
            source=ConsentSource.IMPORT,
            recorded_by="import",
        )
        for _ in range(draw(st.integers(0, max_count)))
    ]


@st.composite
def block_events(
    draw: st.DrawFn, *, features: Sequence[BlockFeature], days_ago: tuple[int, int]
) -> list[BlockEvent]:
    """Up to three block or unblock events of one feature of a CPF of ``CPFS``."""
    return [
        BlockEvent(
            cpf=draw(st.sampled_from(CPFS)),
            features=frozenset({draw(st.sampled_from(features))}),
            blocked=draw(st.booleans()),
            reason="pedido do cliente",
            by="u-gerente",
            at=at(DAY - timedelta(days=draw(st.integers(*days_ago))), draw(st.integers(0, 23))),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]


@st.composite
def contacts(
    draw: st.DrawFn,
    customer_ids: st.SearchStrategy[str],
    *,
    seller_codes: Sequence[str],
    max_count: int,
    days_ago: tuple[int, int],
    follow_ups: st.SearchStrategy[date | None],
    campaign_ids: str,
    campaign_one_in: int,
) -> list[Contact]:
    """Up to ``max_count`` finished contacts, ``days_ago`` before ``DAY``.

    A contact made before ``DAY`` leaves a follow-up due on the day ``follow_ups`` draws
    (none when it draws ``None``); one in ``campaign_one_in`` names a campaign.
    """
    out = []
    for k in range(draw(st.integers(0, max_count))):
        ago = draw(st.integers(*days_ago))
        when = at(DAY - timedelta(days=ago), draw(st.integers(8, 20)))
        due = draw(follow_ups) if ago >= 1 else None
        with_campaign = draw(st.integers(0, campaign_one_in - 1)) == 0
        out.append(
            Contact(
                contact_id=f"A{k}",
                seller_code=draw(st.sampled_from(seller_codes)),
                customer_id=draw(customer_ids),
                campaign_id=draw(st.sampled_from(campaign_ids)) if with_campaign else None,
                channel=draw(st.sampled_from(CHANNELS)),
                started_at=when,
                finished_at=when + timedelta(minutes=5),
                follow_up=None if due is None else FollowUp(day=due, note="Retomar a conversa"),
                in_portfolio=True,
            )
        )
    return out


def earlier_suggestion(
    customer_id: str, day: date, seller_code: str, campaign_id: str, channel: ContactChannel
) -> Suggestion:
    """A campaign suggestion of an earlier ``day`` (it holds the campaign's quarantine)."""
    return Suggestion(
        suggestion_id=f"{day.isoformat()}:{customer_id}",
        day=day,
        seller_code=seller_code,
        customer_id=customer_id,
        kind=SuggestionKind.CAMPAIGN,
        campaign_id=campaign_id,
        channel=channel,
        message="Olá!",
        reason=SuggestionReason.CAMPAIGN,
        detail="earlier",
        rank=1,
    )


@st.composite
def suggestion_policies(
    draw: st.DrawFn, *, max_hours: int, rest_days: st.SearchStrategy[int]
) -> SuggestionPolicy:
    """Default hours 1..``max_hours``, ``rest_days`` after a contact, maybe a contact cap."""
    max_contacts = draw(st.none() | st.integers(1, 3))
    return SuggestionPolicy(
        limiter=SuggestionLimiter(0, 100),
        default_workload=SellerWorkload(
            hours_worked=draw(st.integers(1, max_hours)),
            idle_share=Decimal("0.25"),
            avg_conversation_minutes=15,
        ),
        quarantine=QuarantinePolicy(
            days_after_contact=draw(rest_days),
            max_contacts=max_contacts,
            per_days=None if max_contacts is None else 10,
        ),
    )
