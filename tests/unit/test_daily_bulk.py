"""The bulk daily job against the reference job, row for row; and what the bulk job adds.

``run_daily`` (bulk reads, otocore.frames, one short write) must leave exactly what
``otocore.testing.reference_daily`` (the object-at-a-time job) leaves: carteiras, RFV
snapshots, run log, counts and changes. Hypothesis draws brands with ties, several orders
on a day, orders at 00:00 and 23:59:59.999999 local time on the windows' edges and around
``as_of`` (the read margins), Brazil's last daylight-saving dates, zones from UTC-11 to
UTC+14, cancellations, online orders without a seller, inactive sellers and existing
manual, daily and unassigned carteiras; the bundled sample brand runs through two days
with a seller's deactivation between them. Memory and SQLite here; PostgreSQL and every
store of the contract in tests/contract/test_daily_bulk.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import polars as pl
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from _support.daily import CLOCK, Brand, compare_jobs, load, outcome
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.adapters.sql import Database, open_database
from otocore.customers import Customer
from otocore.daily import DailyPolicy, _read_bounds, run_daily
from otocore.distribution import PreferredSellerPolicy, ToSeller
from otocore.management import deactivate_seller
from otocore.orders import Channel, Order, OrderStatus
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvPolicy
from otocore.sample import load_bundled_brand
from otocore.sellers import Seller, SellerStatus, Store
from otocore.testing import reference_daily

ZONES = [
    "America/Sao_Paulo",
    "America/Manaus",
    "UTC",
    "Pacific/Pago_Pago",  # UTC-11
    "Pacific/Kiritimati",  # UTC+14
]
# as_of days: ordinary, and Brazil's last daylight-saving changes (2018-11-04, 2019-02-16)
AS_OF_DAYS = [date(2026, 5, 10), date(2018, 11, 4), date(2019, 2, 17), date(2024, 2, 29)]
TIMES = [time(0), time(23, 59, 59, 999999), time(12), time(0, 30), time(21)]
SELLERS = ["V01", "V02", "V03", "V10", "V9"]
CUSTOMERS = [f"C{i}" for i in range(1, 9)]
REASONS = list(AssignmentReason)


@st.composite
def brands(draw: st.DrawFn) -> tuple[Brand, DailyPolicy, date]:
    zone = draw(st.sampled_from(ZONES))
    months = draw(st.sampled_from([1, 6, 12]))
    policy = DailyPolicy(
        rfv=RfvPolicy(time_zone=zone, window=relativedelta(months=draw(st.sampled_from([1, 12])))),
        preferred_seller=PreferredSellerPolicy(
            time_zone=zone,
            window=relativedelta(months=months),
            cap=draw(st.sampled_from([1, 2, 5])),
        ),
    )
    as_of = draw(st.sampled_from(AS_OF_DAYS))
    starts = [as_of - relativedelta(months=m) for m in (1, 6, 12)]
    edges = [as_of, as_of - timedelta(days=1), as_of + timedelta(days=1), as_of + timedelta(days=2)]
    for start in starts:
        edges += [start, start + timedelta(days=1), start - timedelta(days=1)]
    day = st.one_of(
        st.sampled_from(edges),
        st.integers(min_value=-800, max_value=3).map(lambda n: as_of + timedelta(days=n)),
    )
    tz = ZoneInfo(zone)
    statuses = [OrderStatus.COMPLETED, OrderStatus.COMPLETED, OrderStatus.CANCELLED]
    n = draw(st.integers(min_value=0, max_value=40))
    orders = []
    for i in range(n):
        local = datetime.combine(draw(day), draw(st.sampled_from(TIMES)), tz)
        seller = draw(st.sampled_from([*SELLERS, None]))
        orders.append(
            Order(
                order_id=f"P{i:03d}",
                customer_id=draw(st.sampled_from(CUSTOMERS)),
                store_id=draw(st.sampled_from(["L01", "L02"])),
                placed_at=local.astimezone(UTC) if draw(st.booleans()) else local,
                total=Decimal(draw(st.sampled_from([0, 1, 999, 10000, 12345]))).scaleb(-2),
                seller_code=seller,
                status=draw(st.sampled_from(statuses)),
                channel=Channel.ONLINE if seller is None else Channel.STORE,
            )
        )
    sellers = [
        Seller(
            code=code,
            name=f"Seller {code}",
            store_id="L01",
            status=draw(
                st.sampled_from([SellerStatus.ACTIVE, SellerStatus.ACTIVE, SellerStatus.INACTIVE])
            ),
        )
        for code in SELLERS
    ]
    records = draw(st.lists(st.sampled_from([*CUSTOMERS, "C90", "C91"]), unique=True, max_size=5))
    customers = [
        Customer(customer_id=c, name="Ana Souza", registered_at=datetime(2017, 1, 1, tzinfo=UTC))
        for c in records
    ]
    carteiras = []
    for c in draw(st.lists(st.sampled_from([*CUSTOMERS, "C92"]), unique=True, max_size=6)):
        reason = draw(st.sampled_from(REASONS))
        seller = None if reason is AssignmentReason.NONE else draw(st.sampled_from(SELLERS))
        since = as_of - timedelta(days=draw(st.sampled_from([0, 1, 30])))
        carteiras.append(
            PortfolioAssignment(customer_id=c, seller_code=seller, since=since, reason=reason)
        )
    stores = [Store(store_id="L01", name="Loja Centro"), Store(store_id="L02", name="Norte")]
    return Brand(stores, sellers, customers, orders, carteiras), policy, as_of


def _sqlite() -> Iterator[UnitOfWork]:
    db = open_database(":memory:", upgrade=True)
    try:
        yield db.unit_of_work()
    finally:
        db.close()


@pytest.fixture(scope="module")
def sqlite_db() -> Iterator[Database]:
    db = open_database(":memory:", upgrade=True)
    yield db
    db.close()


def _empty(db: Database) -> UnitOfWork:
    from _support.logs import delete_every_row

    with db.engine.begin() as conn:
        delete_every_row(conn)
    return db.unit_of_work()


SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@SETTINGS
@given(case=brands())
def test_bulk_job_equals_the_reference_in_memory(case: tuple[Brand, DailyPolicy, date]) -> None:
    brand, policy, as_of = case
    reference, bulk = InMemoryUnitOfWork(), InMemoryUnitOfWork()
    load(reference, brand)
    load(bulk, brand)
    compare_jobs(reference, bulk, [as_of, as_of, as_of + timedelta(days=40)], policy)


@SETTINGS
@given(case=brands())
def test_bulk_job_equals_the_reference_on_sqlite(
    case: tuple[Brand, DailyPolicy, date], sqlite_db: Database
) -> None:
    brand, policy, as_of = case
    reference = InMemoryUnitOfWork()  # the reference on memory, the bulk job on SQLite
    load(reference, brand)
    bulk = _empty(sqlite_db)
    load(bulk, brand)
    compare_jobs(reference, bulk, [as_of, as_of + timedelta(days=1)], policy)


@pytest.fixture(params=["memory", "sqlite"])
def two_stores(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[UnitOfWork, UnitOfWork]]:
    if request.param == "memory":
        yield InMemoryUnitOfWork(), InMemoryUnitOfWork()
        return
    first = open_database(tmp_path / "reference.sqlite", upgrade=True)
    second = open_database(tmp_path / "bulk.sqlite", upgrade=True)
    try:
        yield first.unit_of_work(), second.unit_of_work()
    finally:
        first.close()
        second.close()


@pytest.mark.slow
def test_the_sample_brand_over_two_days_and_a_deactivation(
    two_stores: tuple[UnitOfWork, UnitOfWork],
) -> None:
    sample = load_bundled_brand()
    brand = Brand(sample.stores, sample.sellers, sample.customers, sample.orders)
    reference, bulk = two_stores
    load(reference, brand)
    load(bulk, brand)
    first_day = date(2026, 11, 1)
    runs = compare_jobs(reference, bulk, [first_day], None)
    assert runs[0].count("changed") > 1000
    # a seller leaves, the carteira goes by hand to a colleague; then the next days
    with bulk:
        holder = max(
            {a.seller_code for a in bulk.portfolio.list() if a.seller_code},
            key=lambda code: len(bulk.portfolio.list(seller_code=code)),
        )
        store = bulk.sellers.get(holder).store_id
        target = next(
            s.code
            for s in bulk.sellers.list(store_id=store, status=SellerStatus.ACTIVE)
            if s.code != holder
        )

    def deactivate(uow: UnitOfWork) -> None:
        deactivate_seller(uow, holder, ToSeller(target), as_of=first_day)

    deactivate(reference)
    deactivate(bulk)
    runs = compare_jobs(
        reference, bulk, [first_day + timedelta(days=1), first_day + timedelta(days=1)]
    )
    assert runs[-1].count("changed") == 0


def test_a_seller_deactivated_between_the_read_and_the_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The write block re-reads the active sellers and the carteiras: it decides on today's store."""
    uow = InMemoryUnitOfWork()
    reference = InMemoryUnitOfWork()
    brand = Brand(
        stores=[Store(store_id="L01", name="Loja Centro")],
        sellers=[Seller(code=c, name=c, store_id="L01") for c in ("V01", "V02")],
        orders=[
            Order(
                order_id=f"P{i}",
                customer_id="C1",
                store_id="L01",
                placed_at=datetime(2026, 5, d, 15, tzinfo=UTC),
                total=Decimal("10.00"),
                seller_code=code,
            )
            for i, (code, d) in enumerate([("V01", 2), ("V01", 3), ("V02", 4)])
        ],
    )
    load(uow, brand)
    load(reference, brand)
    as_of = date(2026, 5, 10)
    real = pl.collect_all

    def deactivate_during(plans: Any) -> Any:
        # a manager deactivates V01 (moving C1 by hand to V02) while the job computes
        with uow.writing():
            uow.portfolio.set(
                PortfolioAssignment(
                    customer_id="C9", seller_code="V02", since=as_of, reason=AssignmentReason.MANUAL
                )
            )
        deactivate_seller(uow, "V01", None, as_of=as_of)
        return real(plans)

    monkeypatch.setattr(pl, "collect_all", deactivate_during)
    run = run_daily(uow, as_of, clock=CLOCK)
    monkeypatch.undo()
    # as if the job had run after the manager: the reference on the same final store
    with reference.writing():
        reference.portfolio.set(
            PortfolioAssignment(
                customer_id="C9", seller_code="V02", since=as_of, reason=AssignmentReason.MANUAL
            )
        )
    deactivate_seller(reference, "V01", None, as_of=as_of)
    expected = reference_daily(reference, as_of, clock=CLOCK)
    assert run == expected
    assert outcome(uow) == outcome(reference)
    with uow:
        assert uow.portfolio.get("C1").seller_code == "V02"  # type: ignore[union-attr]
        assert uow.portfolio.get("C9").reason is AssignmentReason.MANUAL  # type: ignore[union-attr]


def test_a_carteira_changed_between_the_read_and_the_write(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The decision made before the lock is dropped when the carteiras changed meanwhile."""
    uow = InMemoryUnitOfWork()
    reference = InMemoryUnitOfWork()
    brand = Brand(
        stores=[Store(store_id="L01", name="Loja Centro")],
        sellers=[Seller(code=c, name=c, store_id="L01") for c in ("V01", "V02")],
        orders=[
            Order(
                order_id=f"P{i}",
                customer_id=customer,
                store_id="L01",
                placed_at=datetime(2026, 5, 2 + i, 15, tzinfo=UTC),
                total=Decimal("10.00"),
                seller_code=code,
            )
            for i, (customer, code) in enumerate([("C1", "V01"), ("C2", None)])
        ],
    )
    load(uow, brand)
    load(reference, brand)
    as_of = date(2026, 5, 10)
    by_hand = PortfolioAssignment(
        customer_id="C2", seller_code="V02", since=as_of, reason=AssignmentReason.MANUAL
    )
    real = pl.collect_all

    def assign_during(plans: Any) -> Any:
        # a manager puts C2 (no preferred seller) in V02's carteira while the job computes
        with uow.writing():
            uow.portfolio.set(by_hand)
        return real(plans)

    monkeypatch.setattr(pl, "collect_all", assign_during)
    run = run_daily(uow, as_of, clock=CLOCK)
    monkeypatch.undo()
    with reference.writing():
        reference.portfolio.set(by_hand)
    expected = reference_daily(reference, as_of, clock=CLOCK)
    assert run == expected
    assert outcome(uow) == outcome(reference)
    with uow:
        assert uow.portfolio.get("C2") == by_hand  # kept: a manual carteira of an active seller


def test_the_job_reads_orders_a_day_beyond_each_end_of_the_windows() -> None:
    policy = DailyPolicy(
        rfv=RfvPolicy(window=relativedelta(months=1)),
        preferred_seller=PreferredSellerPolicy(window=relativedelta(months=12)),
    )
    since, until = _read_bounds(date(2026, 5, 10), policy)
    assert since == datetime(2025, 5, 9, tzinfo=UTC)  # the wider window's start, less a day
    assert until == datetime(2026, 5, 12, tzinfo=UTC)  # as_of's local day ends by 05-11 12:00 UTC
    assert _read_bounds(date(1, 1, 1), DailyPolicy()) == (
        datetime.min.replace(tzinfo=UTC),
        datetime.max.replace(tzinfo=UTC),
    )


def test_an_as_of_too_early_for_the_window_is_refused_as_the_reference_refuses_it() -> None:
    from otocore.errors import ValidationError

    with pytest.raises(ValidationError) as bulk:
        run_daily(InMemoryUnitOfWork(), date(1, 3, 1), clock=CLOCK)
    with pytest.raises(ValidationError) as reference:
        reference_daily(InMemoryUnitOfWork(), date(1, 3, 1), clock=CLOCK)
    assert bulk.value.field == reference.value.field == "as_of"


def test_a_database_error_in_a_bulk_read_or_write_is_a_storage_error(tmp_path: Path) -> None:
    from otocore.errors import StorageError

    db = open_database(tmp_path / "broken.sqlite", upgrade=True)
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE portfolio")
    uow = db.unit_of_work()
    with uow, pytest.raises(StorageError, match="portfolio"):
        uow.portfolio.frame()
    frame = pl.DataFrame(
        [("C1", None, date(2026, 5, 10), "none")],
        schema={
            "customer_id": pl.String,
            "seller_code": pl.String,
            "since": pl.Date,
            "reason": pl.String,
        },
        orient="row",
    )
    with uow.writing(), pytest.raises(StorageError, match="portfolio"):
        uow.portfolio.set_many(frame)
    db.close()
