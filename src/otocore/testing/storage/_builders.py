"""Builders and settings shared by the parts of the storage contract."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, settings

from otocore._time import DEFAULT_TIME_ZONE
from otocore.access import (
    Action,
    AuditEntry,
    Outcome,
    Target,
    append_entry,
)
from otocore.auth import (
    Account,
    AccountState,
    AccountToken,
    Role,
    SecretHasher,
    TokenPurpose,
    issue_token,
    normalize_login_email,
)
from otocore.blocking import BlockEvent, BlockFeature
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.contacts import Contact, FollowUp, SuggestionStatus
from otocore.customers import Cpf, Customer
from otocore.filters import (
    SegmentIn,
)
from otocore.orders import Order
from otocore.portfolio import AssignmentChange, AssignmentReason, DailyRun, PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvScore
from otocore.suggestions import (
    Suggestion,
    SuggestionKind,
    SuggestionReason,
    suggestion_id_for,
)

MakeUow = Callable[[], UnitOfWork]
SP = ZoneInfo(DEFAULT_TIME_ZONE)
DAY = date(2026, 5, 10)
# a quarter of the loaded profile's examples (25 under a 100-example profile): each example
# writes to a real store, so these properties draw fewer than a pure rule's
PROPERTY_SETTINGS = settings(
    max_examples=max(5, settings().max_examples // 4),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _order(
    n: int | str,
    *,
    customer: str = "C1",
    when: datetime = datetime(2026, 5, 10, 12, 0, tzinfo=UTC),
    total: str = "10.50",
    seller: str | None = "V01",
) -> Order:
    return Order(
        order_id=f"P{n}",
        customer_id=customer,
        store_id="L01",
        placed_at=when,
        total=Decimal(total),
        seller_code=seller,
    )


def _customer(customer_id: str, *, cpf: Cpf | None = None, name: str = "Ana Souza") -> Customer:
    return Customer(
        customer_id=customer_id,
        name=name,
        registered_at=datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC),
        cpf=cpf,
    )


def _score(customer_id: str, value: str = "1150.00", segment: str = "champions") -> RfvScore:
    return RfvScore(
        customer_id=customer_id,
        recency_days=2,
        frequency=4,
        value=Decimal(value),
        r=5,
        f=5,
        v=4,
        segment=segment,
    )


def _run(as_of: date, minute: int, **counts: int) -> DailyRun:
    start = datetime(as_of.year, as_of.month, as_of.day, 6, minute, tzinfo=UTC)
    return DailyRun(
        as_of=as_of,
        started_at=start,
        finished_at=start + timedelta(seconds=90),
        counts=counts,
        changes=(
            AssignmentChange(
                customer_id="C1",
                from_seller=None,
                to_seller="V01",
                reason=AssignmentReason.DAILY_RULE,
                decided_by="tally",
            ),
            AssignmentChange(
                customer_id="C2",
                from_seller="V01",
                to_seller=None,
                reason=AssignmentReason.NONE,
            ),
        ),
    )


def _assigned(customer_id: str, seller: str | None, *, since: date = DAY) -> PortfolioAssignment:
    if seller is None:
        return PortfolioAssignment.unassigned(customer_id, since=since)
    return PortfolioAssignment(
        customer_id=customer_id, seller_code=seller, since=since, reason=AssignmentReason.DAILY_RULE
    )


def _consent(
    customer: str = "C1",
    *,
    channel: ContactChannel = ContactChannel.WHATSAPP,
    granted: bool = True,
    when: datetime = datetime(2026, 5, 10, 12, 0, tzinfo=UTC),
    event_id: str | None = None,
    by: str = "V01",
) -> ConsentEvent:
    return ConsentEvent(
        customer_id=customer,
        channel=channel,
        granted=granted,
        at=when,
        source=ConsentSource.SELLER_APP,
        recorded_by=by,
        event_id=event_id,
    )


ANA_CPF = Cpf("52998224725")


def _block(
    cpf: Cpf = ANA_CPF,
    *,
    features: frozenset[BlockFeature] = frozenset({BlockFeature.CAMPAIGNS}),
    blocked: bool = True,
    when: datetime = datetime(2026, 5, 10, 12, 0, tzinfo=UTC),
    event_id: str | None = None,
    reason: str = "pediu para não receber ofertas",
) -> BlockEvent:
    return BlockEvent(
        cpf=cpf,
        features=features,
        blocked=blocked,
        reason=reason,
        by="u-gerente",
        at=when,
        event_id=event_id,
    )


def _contact(
    contact_id: str,
    *,
    customer: str = "C1",
    when: datetime = datetime(2026, 5, 10, 14, 0, tzinfo=SP),
    follow_up: date | None = None,
    campaign: str | None = None,
) -> Contact:
    return Contact(
        contact_id=contact_id,
        seller_code="V01",
        customer_id=customer,
        campaign_id=campaign,
        channel=ContactChannel.WHATSAPP,
        started_at=when,
        finished_at=when + timedelta(minutes=12),
        follow_up=(
            None if follow_up is None else FollowUp(day=follow_up, note="Voltar a falar do vestido")
        ),
        in_portfolio=True,
    )


def _campaign(campaign_id: str, priority: int, *, active: bool = True) -> Campaign:
    return Campaign(
        campaign_id=campaign_id,
        name=f"Campanha {campaign_id}",
        priority=priority,
        first_day=date(2026, 1, 1),
        last_day=date(2026, 12, 31),
        audience=SegmentIn(["at_risk"]),
        channels=[ContactChannel.WHATSAPP],
        message="Oi, {primeiro_nome}!",
        active=active,
    )


def _suggestion(
    customer: str,
    rank: int,
    *,
    day: date = DAY,
    seller: str = "V01",
    campaign: str | None = "ANIVERSARIO",
    status: SuggestionStatus = SuggestionStatus.PENDING,
    message: str = "Olá, Ana! Aqui é Bruno, da Loja Centro.",
) -> Suggestion:
    follow_up = campaign is None
    return Suggestion(
        suggestion_id=suggestion_id_for(day, customer),
        day=day,
        seller_code=seller,
        customer_id=customer,
        kind=SuggestionKind.FOLLOW_UP if follow_up else SuggestionKind.CAMPAIGN,
        campaign_id=campaign,
        channel=ContactChannel.WHATSAPP,
        message=message,
        reason=SuggestionReason.FOLLOW_UP if follow_up else SuggestionReason.CAMPAIGN,
        detail="follow-up scheduled by V01" if follow_up else f"campaign {campaign}",
        rank=rank,
        contact_id="A1" if follow_up else None,
        status=status,
    )


# accounts, tokens and the audit log ------------------------------------------------

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
PASSWORD = "cavalo correto bateria grampo"  # noqa: S105 - a test password
PIN = "042917"


@functools.cache
def _hashed(secret: str) -> str:
    """An Argon2id hash of ``secret`` (the cheap test hasher), made once per session."""
    return SecretHasher.insecure_for_tests().hash(secret)


def _account(
    account_id: str = "u-ana",
    email: str = "ana@example.com",
    *,
    roles: frozenset[Role] = frozenset({Role.SELLER}),
    seller: str | None = "V01",
    store: str | None = "L01",
    state: AccountState | None = None,
    hashed: bool = True,
) -> Account:
    return Account(
        account_id=account_id,
        email=normalize_login_email(email),
        roles=roles,
        seller_code=seller,
        store_id=store,
        password_hash=_hashed(PASSWORD) if hashed else None,
        pin_hash=_hashed(PIN) if hashed else None,
        state=state or AccountState(),
    )


def _token(
    n: int,
    *,
    account: str = "u-ana",
    purpose: TokenPurpose = TokenPurpose.PASSWORD,
    at: datetime = T0,
) -> tuple[str, AccountToken]:
    """Token number ``n`` (its text is drawn from bytes all equal to ``n``) and its record."""
    text, record = issue_token(now=at, rng_bytes=lambda size: bytes([n]) * size)
    return text, AccountToken(account_id=account, purpose=purpose, record=record)


def _entry(
    tail: AuditEntry | None,
    *,
    action: Action | str = Action.UNLOCK_ACCOUNT,
    outcome: Outcome = Outcome.ALLOWED,
    detail: str = "",
) -> AuditEntry:
    sequence = 1 if tail is None else tail.sequence + 1
    return append_entry(
        tail,
        at=T0 + timedelta(minutes=sequence),
        actor="u-gerente",
        action=action,
        target=Target(store_id="L01", account_id=f"u-{sequence:03d}", seller_code="V01"),
        outcome=outcome,
        detail=detail,
    )
