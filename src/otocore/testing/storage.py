# ruff: noqa: S101 - a test suite: its checks are asserts
"""Contrato de armazenamento (storage contract): one test suite for every store.

:class:`UnitOfWorkContract` holds the tests every implementation of
:class:`otocore.repositories.UnitOfWork` must pass: each repository method,
upsert semantics, :class:`~otocore.errors.NotFound`, atomic commit and
rollback, exact money and instants, streaming, and Hypothesis round trips.
otocore runs it against its in-memory store, SQLite (in memory and in a file)
and PostgreSQL; run it against your own repositories by subclassing it in a
test module and providing a ``make_uow`` fixture: a zero-argument callable
returning a unit of work on a new, empty store each time it is called (the
property tests call it once per example).

Needs pytest and Hypothesis (``pip install otocore[testing] pytest``).

>>> import pytest
>>> from otocore.adapters.memory import InMemoryUnitOfWork
>>> class TestMyStore(UnitOfWorkContract):
...     @pytest.fixture
...     def make_uow(self):
...         return InMemoryUnitOfWork
>>> "test_an_exception_leaves_nothing_behind" in dir(TestMyStore)
True
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otocore.access import (
    Action,
    AuditEntry,
    Outcome,
    Target,
    append_entry,
    entry_hash,
    verify_audit_log,
)
from otocore.auth import (
    Account,
    AccountState,
    AccountToken,
    Role,
    SecretHasher,
    TokenPurpose,
    hash_token,
    issue_token,
    normalize_login_email,
)
from otocore.blocking import BlockEvent, BlockFeature
from otocore.campaigns import Campaign, sample_campaigns
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.contacts import ConsentChange, Contact, ContactOutcome, FollowUp, SuggestionStatus
from otocore.customers import Cpf, Customer, Email, Loyalty, MaritalStatus, Mobile, Sex
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.filters import (
    AgeBetween,
    AllOf,
    AnyOf,
    BirthdayWithin,
    ConsentOn,
    Filter,
    LastPurchaseBetween,
    Not,
    SegmentIn,
    ValueBetween,
)
from otocore.orders import Channel, Order, OrderStatus
from otocore.portfolio import AssignmentChange, AssignmentReason, DailyRun, PortfolioAssignment
from otocore.repositories import UnitOfWork, UnitOfWorkError
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus, Store
from otocore.suggestions import (
    SellerWorkload,
    Suggestion,
    SuggestionKind,
    SuggestionReason,
    suggestion_id_for,
)
from otocore.testing import (
    account_tokens,
    accounts,
    audit_logs,
    block_events,
    consent_events,
    customers,
    filters,
    orders,
)

__all__ = ["UnitOfWorkContract"]

MakeUow = Callable[[], UnitOfWork]
SP = ZoneInfo("America/Sao_Paulo")
DAY = date(2026, 5, 10)
PROPERTY_SETTINGS = settings(
    max_examples=25,
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


class UnitOfWorkContract:
    """The storage contract, as a pytest test class to subclass.

    Subclass it in a test module (its name must start with ``Test``) and
    define a ``make_uow`` fixture returning a factory of units of work on
    new, empty stores. Every test of this class then runs against yours.

    >>> issubclass(UnitOfWorkContract, object)
    True
    """

    # stores -------------------------------------------------------------------

    def test_store_add_get_and_list_sorted(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        centro = Store(store_id="L01", name="Loja Centro", city="São Paulo", state="SP")
        with uow:
            uow.stores.add(Store(store_id="L02", name="Shopping Norte"))
            uow.stores.add(centro)
        with uow:
            assert uow.stores.get("L01") == centro
            assert [s.store_id for s in uow.stores.list()] == ["L01", "L02"]

    def test_store_add_replaces_the_same_id(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.stores.add(Store(store_id="L01", name="Loja Centro", city="Recife"))
        with uow:
            uow.stores.add(Store(store_id="L01", name="Loja Centro Nova"))
        with uow:
            assert uow.stores.list() == [Store(store_id="L01", name="Loja Centro Nova")]

    def test_unknown_store_is_not_found(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow, pytest.raises(NotFound) as info:
            uow.stores.get("L99")
        assert (info.value.kind, info.value.key) == ("Store", "L99")

    # sellers ------------------------------------------------------------------

    def test_seller_add_get_and_replace(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        ana = Seller(code="V01", name="Ana Souza", store_id="L01")
        with uow:
            uow.sellers.add(ana)
        with uow:
            assert uow.sellers.get("V01") == ana
            inactive = attrs.evolve(ana, status=SellerStatus.INACTIVE)
            uow.sellers.add(inactive)
        with uow:
            assert uow.sellers.get("V01") == inactive
            assert uow.sellers.list() == [inactive]
            with pytest.raises(NotFound):
                uow.sellers.get("V02")

    def test_seller_list_filters_by_store_and_status(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        team = [
            Seller(code="V03", name="Carla", store_id="L01"),
            Seller(code="V01", name="Ana", store_id="L01", status=SellerStatus.INACTIVE),
            Seller(code="V02", name="Bruno", store_id="L02"),
        ]
        with uow:
            for seller in team:
                uow.sellers.add(seller)
        with uow:
            assert [s.code for s in uow.sellers.list()] == ["V01", "V02", "V03"]
            assert [s.code for s in uow.sellers.list(store_id="L01")] == ["V01", "V03"]
            active = uow.sellers.list(status=SellerStatus.ACTIVE)
            assert [s.code for s in active] == ["V02", "V03"]
            both = uow.sellers.list(store_id="L01", status=SellerStatus.INACTIVE)
            assert [s.code for s in both] == ["V01"]
            assert uow.sellers.list(store_id="L09") == []

    # customers ----------------------------------------------------------------

    def test_complete_customer_round_trips(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        ana = Customer(
            customer_id="C1",
            name="Ana Clara Souza",
            registered_at=datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=SP),
            cpf=Cpf.parse("529.982.247-25"),
            rg="12.345.678-X",
            birth_date=date(1990, 2, 28),
            email=Email.parse("José.Silva@Exemplo.COM.br"),
            mobile=Mobile.parse("(11) 98765-4321"),
            sex=Sex.FEMALE,
            marital_status=MaritalStatus.STABLE_UNION,
            home_store_id="L01",
            loyalty=Loyalty(program="Clube Brisa", category="Ouro"),
        )
        placeholder = _customer("C2", cpf=Cpf("11111111111", allow_repeated=True))
        bare_member = attrs.evolve(placeholder, customer_id="C3", loyalty=Loyalty(program="Clube"))
        with uow:
            for c in (ana, placeholder, bare_member):
                uow.customers.add(c)
        with uow:
            assert uow.customers.get("C1") == ana
            assert uow.customers.get("C1").registered_at == ana.registered_at
            assert uow.customers.get("C2") == placeholder
            assert uow.customers.get("C3") == bare_member
            assert uow.customers.list() == [ana, placeholder, bare_member]

    def test_customer_upsert_and_count(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            assert uow.customers.count() == 0
            uow.customers.add(_customer("C2"))
            uow.customers.add(_customer("C1"))
            uow.customers.add(_customer("C1", name="Ana Maria"))
            assert uow.customers.count() == 2
        with uow:
            assert uow.customers.get("C1").name == "Ana Maria"
            assert [c.customer_id for c in uow.customers.list()] == ["C1", "C2"]
            with pytest.raises(NotFound) as info:
                uow.customers.get("C9")
            assert info.value.kind == "Customer"

    def test_find_by_cpf(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        cpf = Cpf("52998224725")
        with uow:
            assert uow.customers.find_by_cpf(cpf) is None
            uow.customers.add(_customer("C7", cpf=cpf))
            uow.customers.add(_customer("C5", cpf=cpf))  # shared: the lowest id wins
            uow.customers.add(_customer("C1", cpf=Cpf("11144477735")))
        with uow:
            found = uow.customers.find_by_cpf(Cpf.parse("529.982.247-25"))
            assert found is not None
            assert found.customer_id == "C5"
            uow.customers.add(_customer("C5"))  # the CPF was removed from C5's record
            found = uow.customers.find_by_cpf(cpf)
            assert found is not None
            assert found.customer_id == "C7"
            assert uow.customers.find_by_cpf(Cpf("39053344705")) is None

    # orders -------------------------------------------------------------------

    def test_money_and_instants_come_back_exactly(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        local = datetime(2026, 5, 10, 23, 59, 59, 999999, tzinfo=SP)
        order = _order(1, when=local, total="10.5")
        with uow:
            uow.orders.add(order)
        with uow:
            back = uow.orders.get("P1")
        assert back == order
        assert back.total == Decimal("10.5")
        assert back.placed_at == local
        assert back.placed_at.utcoffset() == timedelta(0)
        assert back.placed_at.astimezone(SP).date() == date(2026, 5, 10)

    def test_order_upsert_replaces(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        first = _order(1, total="10.00")
        second = attrs.evolve(
            first,
            total=Decimal("12.34"),
            status=OrderStatus.CANCELLED,
            channel=Channel.ONLINE,
            seller_code=None,
        )
        with uow:
            uow.orders.add(first)
        with uow:
            uow.orders.add(second)
        with uow:
            assert uow.orders.get("P1") == second
            assert uow.orders.count() == 1
            with pytest.raises(NotFound) as info:
                uow.orders.get("P2")
            assert (info.value.kind, info.value.key) == ("Order", "P2")

    def test_add_many_is_lazy_chunked_and_the_last_duplicate_wins(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        start = datetime(2026, 1, 1, tzinfo=UTC)
        n = 12_003  # more than two chunks of the SQL adapter

        def generate() -> Iterator[Order]:
            for i in range(n):
                yield _order(f"{i:05d}", customer=f"C{i % 100}", when=start + timedelta(minutes=i))
            yield _order("00007", customer="C7", when=start, total="99.99")

        with uow:
            uow.orders.add_many(generate())
            uow.orders.add_many([])
        with uow:
            assert uow.orders.count() == n
            assert uow.orders.get("P00007").total == Decimal("99.99")
            assert uow.orders.get("P12002").customer_id == "C2"

    def test_for_customer_sorted_by_time_then_id(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        noon = datetime(2026, 5, 10, 12, tzinfo=UTC)
        with uow:
            uow.orders.add_many(
                [
                    _order("B", when=noon),
                    _order("C", when=noon - timedelta(days=1)),
                    _order("A", when=noon),
                    _order("D", customer="C2", when=noon),
                ]
            )
        with uow:
            assert [o.order_id for o in uow.orders.for_customer("C1")] == ["PC", "PA", "PB"]
            assert uow.orders.for_customer("C9") == []

    def test_iter_all_streams_in_time_order_from_since(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        t0 = datetime(2026, 5, 10, 12, tzinfo=UTC)
        with uow:
            uow.orders.add_many(
                [
                    _order(3, when=t0 + timedelta(hours=1)),
                    _order(1, when=t0 - timedelta(microseconds=1)),
                    _order(2, when=t0),
                    _order(0, when=t0 + timedelta(hours=1)),
                ]
            )
        with uow:
            everything = uow.orders.iter_all()
            assert not isinstance(everything, list | tuple)
            assert next(everything).order_id == "P1"
            assert [o.order_id for o in everything] == ["P2", "P0", "P3"]
            # since is inclusive and an instant: 09:00 in São Paulo is 12:00 UTC
            since = datetime(2026, 5, 10, 9, tzinfo=SP)
            assert [o.order_id for o in uow.orders.iter_all(since=since)] == ["P2", "P0", "P3"]
            late = t0 + timedelta(days=1)
            assert list(uow.orders.iter_all(since=late)) == []

    # carteira -----------------------------------------------------------------

    def test_portfolio_set_get_and_replace(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            assert uow.portfolio.get("C1") is None
            uow.portfolio.set(_assigned("C1", "V01"))
        with uow:
            assert uow.portfolio.get("C1") == _assigned("C1", "V01")
            manual = PortfolioAssignment(
                customer_id="C1",
                seller_code="V02",
                since=date(2026, 5, 11),
                reason=AssignmentReason.MANUAL,
            )
            uow.portfolio.set(manual)
        with uow:
            assert uow.portfolio.get("C1") == manual
            assert uow.portfolio.list() == [manual]

    def test_portfolio_list_filters_and_set_many(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.portfolio.set_many(
                [
                    _assigned("C3", "V01"),
                    _assigned("C1", "V02"),
                    _assigned("C2", None),
                    _assigned("C1", "V01"),  # repeated customer: the last one wins
                ]
            )
        with uow:
            assert [a.customer_id for a in uow.portfolio.list()] == ["C1", "C2", "C3"]
            assert [a.customer_id for a in uow.portfolio.list(seller_code="V01")] == ["C1", "C3"]
            unassigned = uow.portfolio.list(reason=AssignmentReason.NONE)
            assert unassigned == [_assigned("C2", None)]
            assert uow.portfolio.list(seller_code="V01", reason=AssignmentReason.MANUAL) == []

    # RFV ----------------------------------------------------------------------

    def test_rfv_snapshot_save_get_and_replace(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        first = {"C1": _score("C1"), "C2": _score("C2", value="0.125")}
        with uow:
            uow.rfv.save(DAY, first)
            uow.rfv.save(date(2026, 5, 9), {})
        with uow:
            got = uow.rfv.get(DAY)
            assert got == first
            assert got["C2"].value == Decimal("0.125")
            assert uow.rfv.get(date(2026, 5, 9)) == {}
            assert uow.rfv.dates() == [date(2026, 5, 9), DAY]
            uow.rfv.save(DAY, {"C3": _score("C3", segment="at_risk")})
        with uow:
            assert uow.rfv.get(DAY) == {"C3": _score("C3", segment="at_risk")}
            with pytest.raises(NotFound):
                uow.rfv.get(date(2026, 5, 8))

    def test_rfv_keys_must_be_the_scores_customers(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow, pytest.raises(ValidationError):
            uow.rfv.save(DAY, {"C2": _score("C1")})

    # daily runs ---------------------------------------------------------------

    def test_daily_runs_round_trip_in_order(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        late = _run(DAY, 30, assigned=10, unassigned=2)
        early = _run(DAY, 0, assigned=9)
        before = _run(date(2026, 5, 9), 0)
        with uow:
            assert uow.daily_runs.list() == []
            assert uow.daily_runs.latest() is None
            for run in (late, before, early):
                uow.daily_runs.add(run)
        with uow:
            assert uow.daily_runs.list() == [before, early, late]
            assert uow.daily_runs.latest() == late
            assert uow.daily_runs.latest(date(2026, 5, 9)) == before
            assert uow.daily_runs.latest(date(2026, 5, 1)) is None
            assert dict(late.counts) == {"assigned": 10, "unassigned": 2}
            # a run repeated with the same start time is a second run, listed after
            uow.daily_runs.add(early)
            assert uow.daily_runs.list() == [before, early, early, late]

    # sequences ----------------------------------------------------------------

    def test_sequences_count_from_zero(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing():
            assert uow.sequences.current("seller_code") == 0
            assert [uow.sequences.next("seller_code") for _ in range(3)] == [1, 2, 3]
            uow.sequences.set("batch", 41)
        with uow:
            assert uow.sequences.next("batch") == 42
            assert uow.sequences.current("seller_code") == 3
        with uow, pytest.raises(ValidationError):
            uow.sequences.set("batch", -1)

    # consent ------------------------------------------------------------------

    def test_consent_log_comes_back_in_time_order(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        t0 = datetime(2026, 5, 10, 15, 0, tzinfo=SP)
        grant = _consent(when=t0 - timedelta(days=30), by="import")
        opt_out = _consent(granted=False, when=t0)  # "realize o Opt-out no Oto"
        same_instant = _consent(channel=ContactChannel.SMS, when=t0)
        other = _consent("C2", when=t0 - timedelta(days=1))
        with uow:
            assert uow.consent.for_customer("C1") == []
            uow.consent.append(opt_out)
            uow.consent.append_many([same_instant, other])
            uow.consent.append(grant)
            assert uow.consent.for_customer("C1") == [grant, opt_out, same_instant]
        with uow:
            # by instant, then in the order appended
            assert uow.consent.for_customer("C1") == [grant, opt_out, same_instant]
            assert uow.consent.for_customer("C2") == [other]
            everything = uow.consent.iter_all()
            assert not isinstance(everything, list | tuple)
            assert list(everything) == [grant, other, opt_out, same_instant]
            back = uow.consent.for_customer("C1")[1]
            assert back.at == t0
            assert back.at.utcoffset() == timedelta(0)

    def test_consent_events_are_never_replaced_and_event_ids_deduplicate(
        self, make_uow: MakeUow
    ) -> None:
        uow = make_uow()
        imported = _consent(event_id="crm-1", by="import")
        with uow:
            uow.consent.append(imported)
            uow.consent.append(_consent())
            uow.consent.append(_consent())  # no event_id: a second, equal event is kept
        with uow:
            uow.consent.append_many([imported, imported])  # re-running the import
            assert len(uow.consent.for_customer("C1")) == 3
            with pytest.raises(RuleViolation, match="crm-1"):
                uow.consent.append(attrs.evolve(imported, granted=False))
        with pytest.raises(RuleViolation), uow:  # the failed block keeps nothing
            uow.consent.append_many(
                [_consent(event_id="crm-2"), _consent(granted=False, event_id="crm-2")]
            )
        with uow:
            assert [e.event_id for e in uow.consent.for_customer("C1")] == ["crm-1", None, None]

    def test_consent_append_many_is_lazy_and_chunked(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        start = datetime(2026, 1, 1, tzinfo=UTC)
        n = 5_003  # more than one chunk of the SQL adapter

        def generate() -> Iterator[ConsentEvent]:
            for i in range(n):
                yield _consent(f"C{i % 7}", when=start + timedelta(minutes=i), event_id=f"E{i}")
            yield _consent("C0", when=start, event_id="E0")  # repeats the first, a chunk later

        with uow:
            uow.consent.append_many(generate())
        with uow:
            assert sum(1 for _ in uow.consent.iter_all()) == n
            assert len(uow.consent.for_customer("C0")) == len(range(0, n, 7))

    # blocked CPFs -------------------------------------------------------------

    def test_block_log_round_trips_by_cpf_in_time_order(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        t0 = datetime(2026, 5, 10, 15, 0, tzinfo=SP)
        both = frozenset({BlockFeature.LOYALTY, BlockFeature.CAMPAIGNS})
        block = _block(features=both, when=t0, event_id="B1")
        unblock = _block(blocked=False, when=t0 + timedelta(days=22), reason="voltou a aceitar")
        placeholder = _block(Cpf("11111111111", allow_repeated=True), when=t0 - timedelta(hours=1))
        every = frozenset(BlockFeature)
        other = _block(Cpf("11144477735"), features=every, when=t0)
        with uow:
            uow.blocks.append(unblock)
            uow.blocks.append_many([block, placeholder, other, block])
        with uow:
            assert uow.blocks.for_cpf(Cpf.parse("529.982.247-25")) == [block, unblock]
            assert uow.blocks.for_cpf(ANA_CPF)[0].features == both
            assert uow.blocks.for_cpf(Cpf("11111111111", allow_repeated=True)) == [placeholder]
            assert uow.blocks.for_cpf(Cpf("11144477735"))[0].features == every
            assert uow.blocks.for_cpf(Cpf("39053344705")) == []
            # same instant: append order (unblock... then block, other)
            assert list(uow.blocks.iter_all()) == [placeholder, block, other, unblock]
            with pytest.raises(RuleViolation):
                uow.blocks.append(attrs.evolve(block, blocked=False))

    # contacts -----------------------------------------------------------------

    def test_complete_contact_round_trips(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        full = Contact(
            contact_id="A1",
            seller_code="V01",
            customer_id="C1",
            suggestion_id="S1",
            campaign_id="ANIVERSARIO",
            channel=ContactChannel.WHATSAPP,
            started_at=datetime(2026, 5, 10, 23, 59, 59, 123456, tzinfo=SP),
            finished_at=datetime(2026, 5, 11, 0, 12, tzinfo=SP),
            products_offered=["SKU-123", "Vestido azul 38", "SKU-001"],
            follow_up=FollowUp(day=date(2026, 5, 17), note="Chegou o tamanho 38.\nLigar à tarde"),
            consent_change=ConsentChange(channel=ContactChannel.EMAIL, granted=False),
            notes="Cliente prefere WhatsApp; não gosta de e-mail",
            outcome=ContactOutcome.DISMISSED,
            dismiss_reason="Já comprou na loja",
            in_portfolio=False,
            time_zone="America/Manaus",
        )
        bare = _contact("A2")
        with uow:
            uow.contacts.add(full)
            uow.contacts.add(bare)
        with uow:
            back = uow.contacts.get("A1")
            assert back == full
            assert back.products_offered == ("SKU-123", "Vestido azul 38", "SKU-001")
            assert back.started_at == full.started_at
            assert back.local_day == date(2026, 5, 10)
            assert uow.contacts.get("A2") == bare
            assert uow.contacts.count() == 2
            with pytest.raises(NotFound) as info:
                uow.contacts.get("A9")
            assert (info.value.kind, info.value.key) == ("Contact", "A9")

    def test_a_contact_id_is_registered_once(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        first = _contact("A1")
        with uow:
            uow.contacts.add(first)
            with pytest.raises(RuleViolation, match="A1"):
                uow.contacts.add(first)  # even equal: contacts are facts
        with uow, pytest.raises(RuleViolation, match="A1"):
            uow.contacts.add(attrs.evolve(first, customer_id="C2"))
        # a failed add_many may have written part of its input: let the error leave the block
        with pytest.raises(RuleViolation, match="A3"), uow:
            uow.contacts.add_many([_contact("A2"), _contact("A3"), _contact("A3")])
        with pytest.raises(RuleViolation, match="A1"), uow:
            uow.contacts.add_many([_contact("A2"), _contact("A1")])
        with uow:
            assert uow.contacts.count() == 1
            assert uow.contacts.get("A1") == first

    def test_contacts_by_customer_since_and_follow_up(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        t0 = datetime(2026, 5, 10, 14, 0, tzinfo=SP)
        later = _contact("A1", when=t0 + timedelta(days=3), follow_up=date(2026, 5, 20))
        early = _contact("A2", when=t0, follow_up=date(2026, 5, 20))
        tie = _contact("A0", when=t0 + timedelta(days=3))
        elsewhere = _contact("A3", customer="C2", when=t0 - timedelta(days=40))
        due_other_day = _contact("A4", customer="C2", when=t0, follow_up=date(2026, 5, 21))
        with uow:
            uow.contacts.add_many([later, early, tie, elsewhere, due_other_day])
        with uow:
            assert uow.contacts.for_customer("C1") == [early, tie, later]
            assert uow.contacts.for_customer("C9") == []
            since = uow.contacts.iter_since(datetime(2026, 5, 10, 17, 0, tzinfo=UTC))  # 14:00 SP
            assert not isinstance(since, list | tuple)
            assert list(since) == [early, due_other_day, tie, later]
            late = datetime(2026, 5, 10, 17, 0, 0, 1, tzinfo=UTC)
            assert list(uow.contacts.iter_since(late)) == [tie, later]
            assert uow.contacts.follow_ups_due(date(2026, 5, 20)) == [early, later]
            assert uow.contacts.follow_ups_due(date(2026, 5, 21)) == [due_other_day]
            assert uow.contacts.follow_ups_due(date(2026, 5, 19)) == []

    # campaigns ----------------------------------------------------------------

    def test_complete_campaign_round_trips(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        audience = AllOf(
            [
                AnyOf([SegmentIn(["at_risk", "hibernating"]), BirthdayWithin(days_after=7)]),
                Not(AgeBetween(max=17)),
                ValueBetween(min=Decimal("199.90"), max=Decimal("1000.05")),
                LastPurchaseBetween(start=date(2025, 11, 1), end=date(2026, 2, 28)),
                ConsentOn([ContactChannel.EMAIL, ContactChannel.SMS]),
            ]
        )
        campaign = Campaign(
            campaign_id="RECONQUISTA",
            name="Reconquista: clientes em risco",
            priority=3,
            first_day=date(2026, 5, 1),
            last_day=date(2026, 5, 31),
            audience=audience,
            channels=[ContactChannel.EMAIL, ContactChannel.WHATSAPP],
            message="Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}. {{novidades}}",
            channel_messages={ContactChannel.EMAIL: "Olá, {primeiro_nome},\n\nsentimos sua falta!"},
            quarantine_days=45,
            active=False,
        )
        with uow:
            uow.campaigns.add(campaign)
        with uow:
            back = uow.campaigns.get("RECONQUISTA")
            assert back == campaign
            assert back.audience == audience
            assert back.channels == (ContactChannel.EMAIL, ContactChannel.WHATSAPP)
            with pytest.raises(NotFound) as info:
                uow.campaigns.get("NATAL")
            assert (info.value.kind, info.value.key) == ("Campaign", "NATAL")

    def test_campaigns_upsert_and_list_by_priority_then_id(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            assert uow.campaigns.list() == []
            assert uow.suggestions.days() == []
            assert uow.workloads.all() == {}
            uow.campaigns.add(_campaign("B", 2))
            uow.campaigns.add(_campaign("C", 1, active=False))
            uow.campaigns.add(_campaign("A", 2))
            uow.campaigns.add(_campaign("Z", 10))
            uow.campaigns.add(_campaign("Z", 1))  # the same id: replaced
        with uow:
            assert [c.campaign_id for c in uow.campaigns.list()] == ["C", "Z", "A", "B"]
            assert [c.campaign_id for c in uow.campaigns.list(active=True)] == ["Z", "A", "B"]
            assert [c.campaign_id for c in uow.campaigns.list(active=False)] == ["C"]
            assert uow.campaigns.get("Z").priority == 1
            for sample in sample_campaigns():
                uow.campaigns.add(sample)
            assert uow.campaigns.get("POS_VENDA_30") == sample_campaigns()[1]

    # daily suggestions --------------------------------------------------------

    def test_suggestions_of_a_day_are_listed_with_filters(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        follow_up = _suggestion("C5", 1, campaign=None)
        bday = _suggestion("C2", 2)
        win_back = _suggestion("C1", 3, campaign="RECONQUISTA")
        other_seller = _suggestion("C3", 1, seller="V02")
        next_day = _suggestion("C1", 1, day=DAY + timedelta(days=1))
        with uow:
            assert uow.suggestions.days() == []
            assert uow.suggestions.list_day(DAY) == []
            uow.suggestions.save_day(DAY, [win_back, other_seller, bday, follow_up])
            uow.suggestions.save_day(DAY + timedelta(days=1), [next_day])
        with uow:
            assert uow.suggestions.list_day(DAY) == [follow_up, bday, win_back, other_seller]
            assert uow.suggestions.list_day(DAY, seller_code="V02") == [other_seller]
            assert uow.suggestions.list_day(DAY, campaign_id="ANIVERSARIO") == [
                bday,
                other_seller,
            ]
            pending = uow.suggestions.list_day(
                DAY, seller_code="V01", status=SuggestionStatus.PENDING
            )
            assert pending == [follow_up, bday, win_back]
            assert uow.suggestions.list_day(DAY, status=SuggestionStatus.FINISHED) == []
            assert uow.suggestions.get("2026-05-10:C5") == follow_up
            assert uow.suggestions.days() == [DAY, DAY + timedelta(days=1)]
            assert uow.suggestions.for_customer("C1") == [win_back, next_day]
            assert uow.suggestions.for_customer("C9") == []
            stream = uow.suggestions.iter_days(DAY - timedelta(days=7), DAY)
            assert not isinstance(stream, list | tuple)
            assert list(stream) == [follow_up, bday, win_back, other_seller]
            both = uow.suggestions.iter_days(DAY, DAY + timedelta(days=1))
            assert [s.suggestion_id for s in both][-1] == "2026-05-11:C1"
            assert (
                list(uow.suggestions.iter_days(DAY + timedelta(days=2), DAY + timedelta(days=9)))
                == []
            )
            with pytest.raises(NotFound) as info:
                uow.suggestions.get("2026-05-10:C9")
            assert (info.value.kind, info.value.key) == ("Suggestion", "2026-05-10:C9")

    def test_saving_a_day_again_never_overwrites_what_a_seller_did(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        first = [_suggestion("C1", 1), _suggestion("C2", 2), _suggestion("C3", 3)]
        elsewhere = _suggestion("C1", 1, day=DAY - timedelta(days=1))
        with uow.writing():
            uow.suggestions.save_day(DAY - timedelta(days=1), [elsewhere])
            uow.suggestions.save_day(DAY, first)
            started = uow.suggestions.set_status("2026-05-10:C1", SuggestionStatus.STARTED)
            dismissed = uow.suggestions.set_status("2026-05-10:C2", SuggestionStatus.DISMISSED)
        # generated again (a campaign changed): new seller, message and ranks
        again = [
            _suggestion("C4", 1, seller="V02"),
            _suggestion("C1", 2, seller="V02", message="Outra mensagem"),
            _suggestion("C2", 3, seller="V02"),
        ]
        with uow:
            uow.suggestions.save_day(DAY, again)
        with uow:
            assert uow.suggestions.list_day(DAY) == [started, dismissed, again[0]]
            assert uow.suggestions.get("2026-05-10:C1").message == first[0].message
            uow.suggestions.save_day(DAY, again)  # idempotent
            assert uow.suggestions.list_day(DAY) == [started, dismissed, again[0]]
            uow.suggestions.save_day(DAY, [])  # clears only what is pending
            assert uow.suggestions.list_day(DAY) == [started, dismissed]
            assert uow.suggestions.list_day(DAY - timedelta(days=1)) == [elsewhere]

    def test_suggestion_status_moves_and_pending_ones_are_deleted(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.suggestions.save_day(DAY, [_suggestion(f"C{i}", i) for i in range(1, 5)])
        with uow.writing():
            now = uow.suggestions.get("2026-05-10:C1")
            moved = uow.suggestions.set_status(
                now.suggestion_id, SuggestionStatus.STARTED, expected=now.status
            )
            assert moved == attrs.evolve(now, status=SuggestionStatus.STARTED)
            assert uow.suggestions.get("2026-05-10:C1") == moved
        with uow:
            # a compare-and-set that lost: someone else moved it meanwhile
            with pytest.raises(RuleViolation, match="started"):
                uow.suggestions.set_status(
                    "2026-05-10:C1", SuggestionStatus.DISMISSED, expected=SuggestionStatus.PENDING
                )
            assert uow.suggestions.get("2026-05-10:C1").status is SuggestionStatus.STARTED
            finished = uow.suggestions.set_status("2026-05-10:C1", SuggestionStatus.FINISHED)
            assert finished.status is SuggestionStatus.FINISHED
            with pytest.raises(NotFound):
                uow.suggestions.set_status("2026-05-10:C9", SuggestionStatus.STARTED)
            with pytest.raises(NotFound):
                uow.suggestions.set_status(
                    "2026-05-10:C9", SuggestionStatus.STARTED, expected=SuggestionStatus.PENDING
                )
        with uow:
            assert uow.suggestions.delete_pending(DAY) == 3
            assert uow.suggestions.delete_pending(DAY) == 0
            assert uow.suggestions.list_day(DAY) == [finished]
            assert uow.suggestions.days() == [DAY]

    def test_save_day_refuses_other_days_and_repeated_customers(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with pytest.raises(ValidationError, match=r"suggestions\[1\]\.day"), uow:
            uow.suggestions.save_day(
                DAY, [_suggestion("C1", 1), _suggestion("C2", 1, day=date(2026, 5, 11))]
            )
        with pytest.raises(ValidationError, match="once a day"), uow:
            uow.suggestions.save_day(
                DAY, [_suggestion("C1", 1), _suggestion("C1", 2, seller="V02")]
            )
        with uow:
            assert uow.suggestions.days() == []

    # seller workloads ---------------------------------------------------------

    def test_seller_workloads_round_trip_exactly(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        full = SellerWorkload(
            hours_worked=Decimal("7.5"),
            idle_share=Decimal("0.125"),
            avg_conversation_minutes=Decimal("4.50"),
        )
        partial = SellerWorkload(hours_worked=4)
        with uow:
            assert uow.workloads.all() == {}
            uow.workloads.set("V02", partial)
            uow.workloads.set("V01", SellerWorkload())
            uow.workloads.set("V01", full)
        with uow:
            assert uow.workloads.get("V01") == full
            assert uow.workloads.get("V01").avg_conversation_minutes == Decimal("4.50")  # type: ignore[union-attr]
            assert uow.workloads.get("V02") == partial
            assert uow.workloads.get("V03") is None
            assert list(uow.workloads.all().items()) == [("V01", full), ("V02", partial)]
            uow.workloads.delete("V02")
            uow.workloads.delete("V09")
        with uow:
            assert uow.workloads.all() == {"V01": full}

    # accounts -----------------------------------------------------------------

    def test_account_add_get_and_find_by_email(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        state = AccountState(failures=3, locked=True, must_change_password=True, active=False)
        ana = _account(state=state)
        with uow:
            uow.accounts.add(ana)
        with uow:
            stored = uow.accounts.get("u-ana")
            assert stored == ana  # hashes and state exactly as given
            assert stored.password_hash == _hashed(PASSWORD)
            assert stored.pin_hash == _hashed(PIN)
            assert stored.state == state
            assert uow.accounts.find_by_email(normalize_login_email(" ANA@Example.COM ")) == ana
            assert uow.accounts.find_by_email(normalize_login_email("bruno@example.com")) is None
            assert uow.accounts.for_seller("V01") == ana
            assert uow.accounts.for_seller("V99") is None
            with pytest.raises(NotFound, match="u-bruno"):
                uow.accounts.get("u-bruno")

    def test_an_account_without_secrets_round_trips(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        admin = _account(
            "u-admin",
            "admin@example.com",
            roles=frozenset(Role),
            store="L09",
            seller="V09",
            hashed=False,
        )
        with uow:
            uow.accounts.add(admin)
        with uow:
            stored = uow.accounts.get("u-admin")
            assert stored == admin
            assert stored.password_hash is None
            assert stored.pin_hash is None
            assert stored.roles == frozenset(Role)

    def test_account_ids_and_emails_are_unique(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        ana = _account()
        with uow:
            uow.accounts.add(ana)
        with uow:
            with pytest.raises(RuleViolation, match="account_id"):
                uow.accounts.add(_account(email="outra@example.com"))
            with pytest.raises(RuleViolation, match="e-mail"):
                uow.accounts.add(_account("u-bruno", "Ana@Example.com", seller="V02"))
            # the block is still usable after a refused add
            uow.accounts.add(_account("u-bruno", "bruno@example.com", seller="V02"))
        with uow:
            assert [a.account_id for a in uow.accounts.list()] == ["u-ana", "u-bruno"]
            assert uow.accounts.get("u-ana") == ana

    def test_account_save_replaces_and_keeps_emails_unique(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        ana = _account()
        bruno = _account("u-bruno", "bruno@example.com", seller="V02")
        with uow:
            uow.accounts.add(ana)
            uow.accounts.add(bruno)
        failed = attrs.evolve(ana, state=AccountState(failures=1), pin_hash=_hashed("73902846"))
        with uow.writing():
            uow.accounts.save(failed)
            assert uow.accounts.get("u-ana") == failed  # the block reads its own write
        with uow:
            assert uow.accounts.get("u-ana") == failed
            with pytest.raises(RuleViolation, match="e-mail"):
                uow.accounts.save(attrs.evolve(failed, email=bruno.email))
            with pytest.raises(NotFound):
                uow.accounts.save(_account("u-carla", "carla@example.com"))
            moved = attrs.evolve(failed, email=normalize_login_email("ana.souza@example.com"))
            uow.accounts.save(moved)
        with uow:
            assert uow.accounts.get("u-ana") == moved
            assert uow.accounts.find_by_email(ana.email) is None
            assert uow.accounts.find_by_email(moved.email) == moved
            assert uow.accounts.get("u-bruno") == bruno
            assert [a.account_id for a in uow.accounts.list()] == ["u-ana", "u-bruno"]

    def test_account_list_filters_by_store_and_role(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        people = [
            _account("u-4", "d@example.com", roles=frozenset({Role.CALL_CENTER}), seller=None),
            _account("u-1", "a@example.com", seller="V01"),
            _account("u-3", "c@example.com", roles=frozenset({Role.STORE_MANAGER}), seller=None),
            _account("u-2", "b@example.com", seller="V02", store="L02"),
            _account(
                "u-5",
                "e@example.com",
                roles=frozenset({Role.BRAND_ADMIN, Role.ORDER_APPROVER}),
                seller=None,
                store=None,
            ),
        ]
        with uow:
            for person in people:
                uow.accounts.add(person)
        with uow:

            def ids(found: list[Account]) -> list[str]:
                return [a.account_id for a in found]

            assert ids(uow.accounts.list()) == ["u-1", "u-2", "u-3", "u-4", "u-5"]
            assert ids(uow.accounts.list(store_id="L01")) == ["u-1", "u-3", "u-4"]
            assert ids(uow.accounts.list(role=Role.SELLER)) == ["u-1", "u-2"]
            assert ids(uow.accounts.list(role=Role.STORE_MANAGER)) == ["u-3"]
            assert ids(uow.accounts.list(role=Role.ORDER_APPROVER)) == ["u-5"]
            assert ids(uow.accounts.list(store_id="L02", role=Role.SELLER)) == ["u-2"]
            assert ids(uow.accounts.list(store_id="L09")) == []
            assert uow.accounts.list(store_id="L01", role=Role.BRAND_ADMIN) == []

    def test_for_seller_gives_the_lowest_account_id(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.accounts.add(_account("u-2", "b@example.com"))
            uow.accounts.add(_account("u-1", "a@example.com"))
        with uow:
            found = uow.accounts.for_seller("V01")
            assert found is not None
            assert found.account_id == "u-1"

    # tokens -------------------------------------------------------------------

    def test_tokens_are_found_by_hash_and_the_last_added_is_newest(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        text1, first = _token(1)
        text2, second = _token(2)  # issued in the same instant as the first
        _, pin = _token(3, purpose=TokenPurpose.PIN)
        with uow:
            uow.tokens.add(first)
            uow.tokens.add(second)
            assert uow.tokens.newest("u-ana", TokenPurpose.PASSWORD) == second
        with uow:
            uow.tokens.add(pin)
        with uow:
            assert uow.tokens.find(hash_token(text1)) == first
            assert uow.tokens.find(hash_token(text2)) == second
            assert uow.tokens.find(hash_token("not a token")) is None
            assert uow.tokens.newest("u-ana", TokenPurpose.PASSWORD) == second
            assert uow.tokens.newest("u-ana", TokenPurpose.PIN) == pin
            assert uow.tokens.newest("u-bruno", TokenPurpose.PASSWORD) is None

    def test_newest_is_the_token_added_last_not_the_latest_issued(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        _, later = _token(1, at=T0 + timedelta(minutes=30))
        _, earlier = _token(2, at=T0)
        with uow:
            uow.tokens.add(later)
        with uow:
            uow.tokens.add(earlier)
        with uow:
            assert uow.tokens.newest("u-ana", TokenPurpose.PASSWORD) == earlier

    def test_a_token_hash_is_stored_once(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        text, token = _token(1)
        with uow:
            uow.tokens.add(token)
        with uow:
            with pytest.raises(RuleViolation) as info:
                uow.tokens.add(attrs.evolve(token, account_id="u-bruno"))
            assert token.record.token_hash not in str(info.value)
            assert text not in str(info.value)
            _, other = _token(2)
            uow.tokens.add(other)  # the block is still usable
        with uow:
            assert uow.tokens.find(token.record.token_hash) == token
            assert uow.tokens.newest("u-bruno", TokenPurpose.PASSWORD) is None
            assert uow.tokens.newest("u-ana", TokenPurpose.PASSWORD) == other

    def test_mark_used_records_the_instant_in_utc(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        text, token = _token(1)
        when = datetime(2026, 5, 4, 6, 15, 0, 123456, tzinfo=SP)
        with uow.writing():
            uow.tokens.add(token)
            uow.tokens.mark_used(hash_token(text), when)
        with uow:
            found = uow.tokens.find(hash_token(text))
            assert found is not None
            assert found.record.used_at == when
            assert found.record.used_at.utcoffset() == timedelta(0)
            assert found == attrs.evolve(token, record=attrs.evolve(token.record, used_at=when))
            unknown = hash_token("not a token")
            with pytest.raises(NotFound) as info:
                uow.tokens.mark_used(unknown, when)
            assert unknown not in str(info.value)

    def test_issued_since_counts_tokens_issued_after_the_instant(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        minute = timedelta(minutes=1)
        with uow:
            for n, (purpose, at) in enumerate(
                [
                    (TokenPurpose.PASSWORD, T0 + 10 * minute),
                    (TokenPurpose.PASSWORD, T0),
                    (TokenPurpose.PASSWORD, T0),
                    (TokenPurpose.PIN, T0 + 20 * minute),
                ],
                start=1,
            ):
                uow.tokens.add(_token(n, purpose=purpose, at=at)[1])
            uow.tokens.add(_token(9, account="u-bruno", at=T0 + minute)[1])
        with uow:
            since = uow.tokens.issued_since
            assert since("u-ana", TokenPurpose.PASSWORD, T0 - minute) == [T0, T0, T0 + 10 * minute]
            assert since("u-ana", TokenPurpose.PASSWORD, T0) == [T0 + 10 * minute]  # strictly after
            assert since("u-ana", TokenPurpose.PIN, T0.astimezone(SP)) == [T0 + 20 * minute]
            assert since("u-ana", TokenPurpose.PASSWORD, T0 + 10 * minute) == []
            assert since("u-carla", TokenPurpose.PASSWORD, T0 - minute) == []

    # the audit log ------------------------------------------------------------

    def test_the_audit_log_appends_only_the_successor_of_its_tail(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        first = _entry(None)
        second = _entry(first, outcome=Outcome.DENIED, detail="not this store")
        third = _entry(second)
        with uow.writing():
            assert uow.audit.tail() is None
            assert uow.audit.count() == 0
            with pytest.raises(RuleViolation):
                uow.audit.append(second)  # the log is empty: only a first entry follows
            uow.audit.append(first)
            assert uow.audit.tail() == first
        with uow.writing():
            forked = append_entry(
                first,
                at=T0,
                actor="u-outro",
                action=Action.RESET_PIN,
                target=Target(account_id="u-ana"),
                outcome=Outcome.ALLOWED,
            )
            uow.audit.append(second)
            for wrong in (
                first,  # already there
                attrs.evolve(third, sequence=4),  # a gap
                forked,  # sequence 2 again
                attrs.evolve(third, previous_hash=first.entry_hash),
            ):
                with pytest.raises(RuleViolation):
                    uow.audit.append(wrong)
            assert uow.audit.count() == 2  # nothing written by the refused appends
            uow.audit.append(third)
        with uow:
            assert uow.audit.tail() == third
            assert uow.audit.count() == 3
            assert list(uow.audit.iter_all()) == [first, second, third]
            assert verify_audit_log(uow.audit.iter_all(), tail_hash=third.entry_hash).ok

    def test_audit_actions_come_back_as_actions_or_free_text(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing():
            named = _entry(None, action="reset_pin")  # the text of an Action
            uow.audit.append(named)
            free = _entry(uow.audit.tail(), action="exportar relatório")
            uow.audit.append(free)
        with uow:
            stored = list(uow.audit.iter_all())
            assert [e.action for e in stored] == [Action.RESET_PIN, "exportar relatório"]
            assert stored[0] == attrs.evolve(named, action=Action.RESET_PIN)
            assert stored[1] == free
            assert entry_hash(stored[0]) == named.entry_hash  # the same entry to the chain
            assert verify_audit_log(stored).ok

    # the unit of work ---------------------------------------------------------

    def test_an_exception_leaves_nothing_behind(self, make_uow: MakeUow) -> None:
        uow = make_uow()

        class Boom(Exception):
            pass

        def write_everything_then_fail() -> None:
            with uow:
                uow.stores.add(Store(store_id="L01", name="Loja Centro"))
                uow.sellers.add(Seller(code="V01", name="Ana", store_id="L01"))
                uow.customers.add(_customer("C1"))
                uow.orders.add_many([_order(1), _order(2)])
                uow.portfolio.set(_assigned("C1", "V01"))
                uow.rfv.save(DAY, {"C1": _score("C1")})
                uow.daily_runs.add(_run(DAY, 0))
                uow.sequences.next("batch")
                uow.consent.append(_consent())
                uow.blocks.append(_block())
                uow.contacts.add(_contact("A1"))
                uow.campaigns.add(_campaign("A", 1))
                uow.suggestions.save_day(DAY, [_suggestion("C1", 1)])
                uow.workloads.set("V01", SellerWorkload(hours_worked=4))
                uow.accounts.add(_account())
                uow.tokens.add(_token(1)[1])
                uow.audit.append(_entry(None))
                assert uow.orders.count() == 2  # the block reads its own writes
                assert uow.audit.count() == 1
                assert uow.contacts.count() == 1
                raise Boom

        with pytest.raises(Boom):
            write_everything_then_fail()
        with uow:
            assert uow.stores.list() == []
            assert uow.sellers.list() == []
            assert uow.customers.count() == 0
            assert uow.orders.count() == 0
            assert uow.portfolio.list() == []
            assert uow.rfv.dates() == []
            assert uow.daily_runs.list() == []
            assert uow.sequences.current("batch") == 0
            assert list(uow.consent.iter_all()) == []
            assert list(uow.blocks.iter_all()) == []
            assert uow.contacts.count() == 0
            assert uow.campaigns.list() == []
            assert uow.accounts.list() == []
            assert uow.tokens.find(_token(1)[1].record.token_hash) is None
            assert uow.audit.count() == 0
            assert uow.audit.tail() is None

    def test_explicit_commit_and_rollback(self, make_uow: MakeUow) -> None:
        uow = make_uow()

        def commit_rollback_commit_then_fail() -> None:
            with uow:
                uow.stores.add(Store(store_id="L01", name="Loja Centro"))
                uow.commit()
                uow.stores.add(Store(store_id="L02", name="Shopping Norte"))
                uow.rollback()
                assert [s.store_id for s in uow.stores.list()] == ["L01"]
                uow.stores.add(Store(store_id="L03", name="Outlet Sul"))
                uow.commit()
                uow.stores.add(Store(store_id="L04", name="Quiosque"))
                raise RuntimeError("after two commits")

        with pytest.raises(RuntimeError):
            commit_rollback_commit_then_fail()
        with uow:
            assert [s.store_id for s in uow.stores.list()] == ["L01", "L03"]

    def test_writing_blocks_commit_and_roll_back_like_plain_ones(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing() as same:
            assert same is uow
            uow.sequences.set("x", uow.sequences.current("x") + 5)

        def write_then_fail() -> None:
            with uow.writing():
                uow.sequences.set("x", 100)
                raise KeyError("x")

        with pytest.raises(KeyError):
            write_then_fail()
        with uow:
            assert uow.sequences.current("x") == 5

    def test_blocks_do_not_nest_and_repositories_need_a_block(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with pytest.raises(UnitOfWorkError):
            uow.orders.count()
        with pytest.raises(UnitOfWorkError):
            uow.commit()
        with pytest.raises(UnitOfWorkError):
            uow.rollback()

        def nest(inner: Callable[[], AbstractContextManager[object]]) -> None:
            with uow:
                uow.stores.add(Store(store_id="L01", name="Loja Centro"))
                with inner():
                    pass  # pragma: no cover - never reached

        with pytest.raises(UnitOfWorkError, match="do not nest"):
            nest(lambda: uow)
        with pytest.raises(UnitOfWorkError, match="do not nest"):
            nest(uow.writing)
        with uow:  # still usable; the outer blocks were rolled back
            assert uow.stores.list() == []

    def test_bad_arguments_are_validation_errors(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            with pytest.raises(ValidationError):
                uow.orders.add("P1")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.orders.add_many([_order(1), None])  # type: ignore[list-item]
            with pytest.raises(ValidationError):  # more than a signed 64-bit count of centavos
                uow.orders.add(_order(1, total="92233720368547758.08"))
            uow.orders.add(_order(2, total="92233720368547758.07"))
            assert uow.orders.get("P2").total == Decimal("92233720368547758.07")
            with pytest.raises(ValidationError):
                uow.stores.get(42)  # type: ignore[arg-type]
            with pytest.raises(ValidationError):  # at the call, not at the first next()
                uow.orders.iter_all(since=datetime(2026, 5, 10))  # noqa: DTZ001
            with pytest.raises(ValidationError):
                uow.customers.find_by_cpf("52998224725")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.sellers.list(status="active")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.rfv.get(datetime(2026, 5, 10, tzinfo=UTC))
            with pytest.raises(ValidationError):
                uow.consent.append(_block())  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.consent.append_many([_consent(), None])  # type: ignore[list-item]
            with pytest.raises(ValidationError):
                uow.blocks.for_cpf("52998224725")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.contacts.add(_consent())  # type: ignore[arg-type]
            with pytest.raises(ValidationError):  # at the call, not at the first next()
                uow.contacts.iter_since(datetime(2026, 5, 10))  # noqa: DTZ001
            with pytest.raises(ValidationError):
                uow.contacts.iter_since(date(2026, 5, 10))  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.contacts.follow_ups_due(datetime(2026, 5, 10, tzinfo=UTC))
            with pytest.raises(ValidationError):
                uow.campaigns.add(sample_campaigns()[0].audience)  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.campaigns.list(active="yes")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.suggestions.save_day(DAY, _suggestion("C1", 1))  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.suggestions.list_day(DAY, status="pending")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.suggestions.set_status("2026-05-10:C1", "started")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):  # at the call, not at the first next()
                uow.suggestions.iter_days(DAY, datetime(2026, 5, 10, tzinfo=UTC))
            with pytest.raises(ValidationError):
                uow.workloads.set("V01", {"hours_worked": 8})  # type: ignore[arg-type]

    def test_bad_account_token_and_audit_arguments_are_validation_errors(
        self, make_uow: MakeUow
    ) -> None:
        uow = make_uow()
        with uow:
            with pytest.raises(ValidationError):
                uow.accounts.add("u-ana")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.accounts.get(42)  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.accounts.find_by_email("ana@example.com")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.accounts.list(role="seller")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):  # more than a signed 64-bit count
                uow.accounts.add(_account(state=AccountState(failures=2**63)))
            with pytest.raises(ValidationError) as info:
                uow.tokens.find("secret-token-text")
            assert "secret-token-text" not in str(info.value)
            with pytest.raises(ValidationError):
                uow.tokens.add(_token(1)[1].record)  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.tokens.newest("u-ana", "password")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.tokens.mark_used(hash_token("x"), datetime(2026, 5, 4))  # noqa: DTZ001
            with pytest.raises(ValidationError):
                uow.tokens.issued_since("u-ana", TokenPurpose.PIN, date(2026, 5, 4))  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.audit.append(_consent())  # type: ignore[arg-type]

    # properties ---------------------------------------------------------------

    @PROPERTY_SETTINGS
    @given(
        batch=st.lists(orders(), min_size=1, max_size=15, unique_by=lambda o: o.order_id),
        since=st.datetimes(
            min_value=datetime(2018, 1, 1),  # noqa: DTZ001 - made aware by timezones=
            max_value=datetime(2031, 1, 1),  # noqa: DTZ001
            timezones=st.sampled_from([UTC, SP, timezone(timedelta(hours=5, minutes=45))]),
        ),
    )
    def test_orders_round_trip(
        self, make_uow: MakeUow, batch: list[Order], since: datetime
    ) -> None:
        uow = make_uow()
        with uow:
            uow.orders.add_many(batch)
        with uow:
            for order in batch:
                assert uow.orders.get(order.order_id) == order
            by_time = sorted(batch, key=lambda o: (o.placed_at, o.order_id))
            assert list(uow.orders.iter_all()) == by_time
            assert list(uow.orders.iter_all(since=since)) == [
                o for o in by_time if o.placed_at >= since
            ]
            some = batch[0].customer_id
            assert uow.orders.for_customer(some) == [o for o in by_time if o.customer_id == some]

    @PROPERTY_SETTINGS
    @given(people=st.lists(customers(), max_size=6, unique_by=lambda c: c.customer_id))
    def test_customers_round_trip(self, make_uow: MakeUow, people: list[Customer]) -> None:
        uow = make_uow()
        with uow:
            for person in people:
                uow.customers.add(person)
        with uow:
            assert uow.customers.list() == sorted(people, key=lambda c: c.customer_id)
            for person in people:
                if person.cpf is not None:
                    found = uow.customers.find_by_cpf(person.cpf)
                    assert found is not None
                    assert found.cpf == person.cpf

    @PROPERTY_SETTINGS
    @given(
        moves=st.lists(
            st.tuples(
                st.sampled_from(["C1", "C2", "C3"]),
                st.none() | st.sampled_from(["V01", "V02"]),
                st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
            ),
            max_size=8,
        )
    )
    def test_assignment_round_trip(
        self, make_uow: MakeUow, moves: list[tuple[str, str | None, date]]
    ) -> None:
        uow = make_uow()
        expected: dict[str, PortfolioAssignment] = {}
        with uow:
            for customer_id, seller, since in moves:
                assignment = _assigned(customer_id, seller, since=since)
                uow.portfolio.set(assignment)
                expected[customer_id] = assignment
        with uow:
            assert uow.portfolio.list() == [expected[k] for k in sorted(expected)]

    @PROPERTY_SETTINGS
    @given(
        events=st.lists(consent_events(), max_size=12, unique_by=lambda e: e.event_id or object()),
        split=st.integers(0, 12),
    )
    def test_consent_log_round_trip(
        self, make_uow: MakeUow, events: list[ConsentEvent], split: int
    ) -> None:
        uow = make_uow()
        with uow:
            for event in events[:split]:
                uow.consent.append(event)
            uow.consent.append_many(events[split:])
        by_time = sorted(events, key=lambda e: e.at)  # stable: ties keep the append order
        with uow:
            assert list(uow.consent.iter_all()) == by_time
            for customer in {e.customer_id for e in events}:
                mine = [e for e in by_time if e.customer_id == customer]
                assert uow.consent.for_customer(customer) == mine

    @PROPERTY_SETTINGS
    @given(events=st.lists(block_events(), max_size=10, unique_by=lambda e: e.event_id or object()))
    def test_block_log_round_trip(self, make_uow: MakeUow, events: list[BlockEvent]) -> None:
        uow = make_uow()
        with uow:
            uow.blocks.append_many(events)
        by_time = sorted(events, key=lambda e: e.at)
        with uow:
            assert list(uow.blocks.iter_all()) == by_time
            for cpf in {e.cpf for e in events}:
                assert uow.blocks.for_cpf(cpf) == [e for e in by_time if e.cpf == cpf]

    @PROPERTY_SETTINGS
    @given(
        audiences=st.lists(filters(max_leaves=6), min_size=1, max_size=3),
        priorities=st.lists(st.integers(1, 3), min_size=3, max_size=3),
    )
    def test_campaigns_round_trip(
        self, make_uow: MakeUow, audiences: list[Filter], priorities: list[int]
    ) -> None:
        uow = make_uow()
        made = [
            attrs.evolve(_campaign(f"K{i}", priorities[i]), audience=audience)
            for i, audience in enumerate(audiences)
        ]
        with uow:
            for campaign in made:
                uow.campaigns.add(campaign)
        with uow:
            assert uow.campaigns.list() == sorted(made, key=lambda c: (c.priority, c.campaign_id))

    @PROPERTY_SETTINGS
    @given(
        steps=st.lists(
            st.one_of(
                st.tuples(
                    st.just("save"),
                    st.sampled_from([DAY, DAY + timedelta(days=1)]),
                    st.lists(st.sampled_from(["C1", "C2", "C3", "C4"]), unique=True),
                ),
                st.tuples(
                    st.just("act"),
                    st.sampled_from([DAY, DAY + timedelta(days=1)]),
                    st.sampled_from(["C1", "C2", "C3", "C4"]),
                ),
            ),
            max_size=8,
        ),
    )
    def test_regenerated_days_never_lose_what_sellers_did(
        self, make_uow: MakeUow, steps: list[tuple[str, date, object]]
    ) -> None:
        uow = make_uow()
        model: dict[str, Suggestion] = {}
        for n, (op, day, arg) in enumerate(steps):
            with uow.writing():
                if op == "save":
                    assert isinstance(arg, list)
                    new = [
                        _suggestion(c, rank, day=day, seller=f"V{n % 2}")
                        for rank, c in enumerate(arg, 1)
                    ]
                    uow.suggestions.save_day(day, new)
                    model = {
                        k: s
                        for k, s in model.items()
                        if s.day != day or s.status is not SuggestionStatus.PENDING
                    }
                    for s in new:
                        model.setdefault(s.suggestion_id, s)
                else:
                    key = suggestion_id_for(day, str(arg))
                    if key in model:
                        done = uow.suggestions.set_status(key, SuggestionStatus.FINISHED)
                        model[key] = done
        with uow:
            for day in (DAY, DAY + timedelta(days=1)):
                expected = sorted(
                    (s for s in model.values() if s.day == day),
                    key=lambda s: (s.seller_code, s.rank, s.suggestion_id),
                )
                assert uow.suggestions.list_day(day) == expected

    @PROPERTY_SETTINGS
    @given(
        people=st.lists(
            accounts(),
            max_size=6,
            unique_by=(lambda a: a.account_id, lambda a: a.email.address),
        )
    )
    def test_accounts_round_trip(self, make_uow: MakeUow, people: list[Account]) -> None:
        uow = make_uow()
        with uow:
            for person in people:
                uow.accounts.add(person)
        by_id = sorted(people, key=lambda a: a.account_id)
        with uow:
            assert uow.accounts.list() == by_id
            for person in people:
                assert uow.accounts.get(person.account_id) == person
                assert uow.accounts.find_by_email(person.email) == person
            for code in {a.seller_code for a in people if a.seller_code is not None}:
                assert uow.accounts.for_seller(code) == next(
                    a for a in by_id if a.seller_code == code
                )
            for role in Role:
                assert uow.accounts.list(role=role) == [a for a in by_id if role in a.roles]
            for store in {a.store_id for a in people if a.store_id is not None}:
                assert uow.accounts.list(store_id=store) == [
                    a for a in by_id if a.store_id == store
                ]

    @PROPERTY_SETTINGS
    @given(
        tokens=st.lists(
            account_tokens(account_id=st.sampled_from(["u-ana", "u-bruno"])),
            max_size=8,
            unique_by=lambda t: t.record.token_hash,
        ),
        since=st.datetimes(
            min_value=datetime(2026, 4, 30),  # noqa: DTZ001 - made aware by timezones=
            max_value=datetime(2026, 6, 2),  # noqa: DTZ001
            timezones=st.sampled_from([UTC, SP]),
        ),
    )
    def test_tokens_round_trip(
        self, make_uow: MakeUow, tokens: list[AccountToken], since: datetime
    ) -> None:
        uow = make_uow()
        with uow:
            for token in tokens:
                uow.tokens.add(token)
        with uow:
            for token in tokens:
                assert uow.tokens.find(token.record.token_hash) == token
            for account_id in ("u-ana", "u-bruno"):
                for purpose in TokenPurpose:
                    mine = [
                        t for t in tokens if t.account_id == account_id and t.purpose is purpose
                    ]
                    assert uow.tokens.newest(account_id, purpose) == (mine[-1] if mine else None)
                    assert uow.tokens.issued_since(account_id, purpose, since) == sorted(
                        t.record.issued_at for t in mine if t.record.issued_at > since
                    )

    @PROPERTY_SETTINGS
    @given(log=audit_logs(max_size=8), split=st.integers(0, 8))
    def test_audit_log_round_trip(
        self, make_uow: MakeUow, log: list[AuditEntry], split: int
    ) -> None:
        uow = make_uow()
        with uow.writing():
            for entry in log[:split]:
                uow.audit.append(entry)
        with uow.writing():
            for entry in log[split:]:
                uow.audit.append(entry)
        with uow:
            assert list(uow.audit.iter_all()) == log
            assert uow.audit.tail() == (log[-1] if log else None)
            assert uow.audit.count() == len(log)
            assert verify_audit_log(uow.audit.iter_all()).ok
