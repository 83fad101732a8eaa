"""The daily job: portfolio rules, idempotency, atomicity, the run log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.adapters.sql import open_database
from otocore.clock import FixedClock
from otocore.daily import DailyPolicy, run_daily, unassigned_by_store
from otocore.distribution import Balanced, ToSeller
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.management import activate_seller, deactivate_seller
from otocore.orders import Order, OrderStatus
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.sellers import Seller, SellerStatus, Store

AS_OF = date(2026, 5, 10)
CLOCK = FixedClock(datetime(2026, 5, 10, 9, 0, tzinfo=UTC))


def _order(n: int, customer: str, seller: str | None, day: int, **kw: Any) -> Order:
    return Order(
        order_id=f"P{n}",
        customer_id=customer,
        store_id=kw.pop("store", "L01"),
        placed_at=datetime(2026, 5, day, 15, tzinfo=UTC),
        total=Decimal("100.00"),
        seller_code=seller,
        **kw,
    )


def _brand(uow: UnitOfWork) -> None:
    with uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        uow.stores.add(Store(store_id="L02", name="Shopping Norte"))
        for code, store in [("V01", "L01"), ("V02", "L01"), ("V03", "L01"), ("V09", "L02")]:
            uow.sellers.add(Seller(code=code, name=f"Seller {code}", store_id=store))
        uow.orders.add_many(
            [
                _order(1, "C1", "V01", 2),
                _order(2, "C1", "V02", 3),
                _order(3, "C1", "V02", 4),  # C1: V02 has two visits
                _order(4, "C2", "V01", 5),  # C2: only V01
                _order(5, "C3", None, 6),  # C3: online, no seller code
                _order(6, "C4", "V03", 7, status=OrderStatus.CANCELLED),
            ]
        )


@pytest.fixture(params=["memory", "sqlite"])
def uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UnitOfWork]:
    if request.param == "memory":
        yield InMemoryUnitOfWork()
        return
    db = open_database(tmp_path / "brand.sqlite", upgrade=True)
    try:
        yield db.unit_of_work()
    finally:
        db.close()


def _state(uow: UnitOfWork) -> tuple[Any, ...]:
    with uow:
        assignments = sorted(uow.portfolio.list(), key=lambda a: a.customer_id)
        snapshots = {d: uow.rfv.get(d) for d in uow.rfv.dates()}
        sellers = uow.sellers.list()
    return assignments, snapshots, sellers


def test_customers_go_to_their_preferred_active_seller(uow: UnitOfWork) -> None:
    _brand(uow)
    run = run_daily(uow, AS_OF, clock=CLOCK)
    with uow:
        c1, c2, c3 = (uow.portfolio.get(c) for c in ("C1", "C2", "C3"))
        c4 = uow.portfolio.get("C4")
    assert c1 == PortfolioAssignment(
        customer_id="C1", seller_code="V02", since=AS_OF, reason=AssignmentReason.DAILY_RULE
    )
    assert c2 is not None
    assert (c2.seller_code, c2.reason) == ("V01", AssignmentReason.DAILY_RULE)
    # an online order without a seller code and a cancelled order give no candidate
    assert c3 == PortfolioAssignment.unassigned("C3", since=AS_OF)
    assert c4 == PortfolioAssignment.unassigned("C4", since=AS_OF)
    assert run.count("assigned_daily_rule") == 2
    assert run.count("unassigned") == 2
    assert run.count("customers") == 4
    assert {(c.customer_id, c.to_seller, c.decided_by) for c in run.changes} == {
        ("C1", "V02", "tally"),
        ("C2", "V01", "only_candidate"),
    }
    assert run.started_at == CLOCK.now()


def test_the_rfv_snapshot_is_stored_for_as_of(uow: UnitOfWork) -> None:
    _brand(uow)
    run_daily(uow, AS_OF, clock=CLOCK)
    with uow:
        snapshot = uow.rfv.get(AS_OF)
    assert set(snapshot) == {"C1", "C2", "C3"}  # C4 has only a cancelled order
    assert snapshot["C1"].frequency == 3
    assert snapshot["C1"].value == Decimal("300.00")


def test_running_twice_leaves_the_same_state_and_logs_no_change(uow: UnitOfWork) -> None:
    _brand(uow)
    first = run_daily(uow, AS_OF, clock=CLOCK)
    state = _state(uow)
    second = run_daily(uow, AS_OF, clock=CLOCK)
    assert _state(uow) == state
    assert first.changes
    assert second.changes == ()
    assert dict(second.counts) == {**dict(first.counts), "changed": 0}
    with uow:
        assert len(uow.daily_runs.list()) == 2


def test_since_stays_while_the_seller_stays(uow: UnitOfWork) -> None:
    _brand(uow)
    run_daily(uow, AS_OF, clock=CLOCK)
    run_daily(uow, date(2026, 5, 20), clock=CLOCK)
    with uow:
        assignment = uow.portfolio.get("C1")
    assert assignment is not None
    assert assignment.since == AS_OF


def test_a_manual_assignment_is_kept_only_while_its_seller_is_active(uow: UnitOfWork) -> None:
    _brand(uow)
    run_daily(uow, AS_OF, clock=CLOCK)
    # V01 leaves; C2 (only V01 as candidate) moves by hand to V03
    moved = deactivate_seller(uow, "V01", ToSeller("V03"), as_of=AS_OF)
    assert moved == {"C2": "V03"}
    run = run_daily(uow, date(2026, 5, 11), clock=CLOCK)
    with uow:
        c2 = uow.portfolio.get("C2")
    assert c2 == PortfolioAssignment(
        customer_id="C2", seller_code="V03", since=AS_OF, reason=AssignmentReason.MANUAL
    )
    assert run.count("assigned_manual_redistribution") == 1
    # then V03 leaves too, without redistribution: C2 is unassigned, listed for the manager
    deactivate_seller(uow, "V03", None, as_of=AS_OF)
    run = run_daily(uow, date(2026, 5, 12), clock=CLOCK)
    with uow:
        c2 = uow.portfolio.get("C2")
    assert c2 is not None
    assert c2.reason is AssignmentReason.NONE
    assert [(c.from_seller, c.to_seller, c.decided_by) for c in run.changes] == [
        ("V03", None, "no_active_candidate")
    ]
    assert "C2" in unassigned_by_store(uow)[None]


def test_preferred_seller_wins_over_a_manual_assignment(uow: UnitOfWork) -> None:
    _brand(uow)
    with uow:
        uow.portfolio.set(
            PortfolioAssignment(
                customer_id="C1", seller_code="V03", since=AS_OF, reason=AssignmentReason.MANUAL
            )
        )
    run_daily(uow, AS_OF, clock=CLOCK)
    with uow:
        c1 = uow.portfolio.get("C1")
    assert c1 is not None
    assert (c1.seller_code, c1.reason) == ("V02", AssignmentReason.DAILY_RULE)


def test_inactive_sellers_do_not_compete(uow: UnitOfWork) -> None:
    _brand(uow)
    with uow:
        uow.sellers.add(Seller(code="V02", name="x", store_id="L01", status=SellerStatus.INACTIVE))
    run_daily(uow, AS_OF, clock=CLOCK)
    with uow:
        c1 = uow.portfolio.get("C1")
    assert c1 is not None
    assert c1.seller_code == "V01"


def test_balanced_deactivation_spreads_the_portfolio(uow: UnitOfWork) -> None:
    _brand(uow)
    with uow:
        uow.portfolio.set_many(
            PortfolioAssignment(
                customer_id=f"X{i}",
                seller_code="V01",
                since=AS_OF,
                reason=AssignmentReason.DAILY_RULE,
            )
            for i in range(9)
        )
    moved = deactivate_seller(uow, "V01", Balanced(seed=3), as_of=AS_OF)
    counts = sorted(list(moved.values()).count(code) for code in ("V02", "V03"))
    assert counts == [4, 5]
    with uow:
        assert all(uow.portfolio.get(c).reason is AssignmentReason.MANUAL for c in moved)  # type: ignore[union-attr]


def test_a_refused_redistribution_writes_nothing(uow: UnitOfWork) -> None:
    _brand(uow)
    run_daily(uow, AS_OF, clock=CLOCK)
    before = _state(uow)
    with pytest.raises(RuleViolation, match=r"^seller 'V09' works in store 'L02', not in 'L01'"):
        deactivate_seller(uow, "V01", ToSeller("V09"), as_of=AS_OF)  # another store
    with pytest.raises(NotFound, match=r"^Seller 'V77' not found"):
        deactivate_seller(uow, "V01", ToSeller("V77"), as_of=AS_OF)
    assert _state(uow) == before  # V01 is still active: nothing half-written
    activate_seller(uow, "V01")
    assert _state(uow) == before


class _Boom(RuntimeError):
    pass


def test_a_failure_mid_way_leaves_the_database_as_before(tmp_path: Path) -> None:
    db = open_database(tmp_path / "brand.sqlite", upgrade=True)
    uow = db.unit_of_work()
    _brand(uow)
    run_daily(uow, AS_OF, clock=CLOCK)
    with uow:
        uow.orders.add(_order(7, "C2", "V03", 8))
        uow.orders.add(_order(8, "C2", "V03", 9))
    before = _state(uow)
    with uow:
        runs_before = uow.daily_runs.list()

    class FailingUow:
        """Delegates to the real unit of work; the RFV snapshot write fails."""

        def __init__(self, inner: UnitOfWork) -> None:
            self._inner = inner

        def __getattr__(self, name: str) -> Any:
            return getattr(self._inner, name)

        def __enter__(self) -> Any:  # a plain block (the job reads in one)
            self._inner.__enter__()
            return self

        def __exit__(self, *exc: object) -> None:
            self._inner.__exit__(*exc)  # type: ignore[arg-type]

        @property
        def rfv(self) -> Any:
            return self

        def save(self, *args: Any) -> None:
            raise _Boom("disk full")

    with pytest.raises(_Boom):
        run_daily(FailingUow(uow), date(2026, 5, 11), clock=CLOCK)  # type: ignore[arg-type]
    assert _state(uow) == before  # C2's move to V03 was rolled back with everything else
    with uow:
        assert uow.daily_runs.list() == runs_before
    db.close()


def test_bad_input() -> None:
    uow = InMemoryUnitOfWork()
    with pytest.raises(ValidationError, match="as_of"):
        run_daily(uow, datetime(2026, 5, 10, tzinfo=UTC), clock=CLOCK)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="policy"):
        run_daily(uow, AS_OF, policy="default", clock=CLOCK)  # type: ignore[arg-type]
    assert DailyPolicy() == DailyPolicy()


def test_a_policy_of_the_wrong_type_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match=r"DailyPolicy\.rfv must be a RfvPolicy"):
        DailyPolicy(rfv="12 months")  # type: ignore[arg-type]
