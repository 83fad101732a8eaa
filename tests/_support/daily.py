"""Running the daily job twice, the reference way and the bulk way, and comparing what each left.

``load(uow, brand)`` writes a brand (stores, sellers, customers, orders, carteiras);
``outcome(uow)`` reads back everything the job writes (carteiras, every RFV snapshot, the
run log); ``compare_jobs`` runs :func:`otocore.testing.reference_daily` on one store and
:func:`otocore.daily.run_daily` on another loaded the same way, day after day, and asserts
that the two stores and the returned runs are the same, row for row.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import attrs

from otocore.clock import FixedClock
from otocore.daily import DailyPolicy, run_daily
from otocore.portfolio import AssignmentChange, DailyRun, PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.testing import reference_daily

CLOCK = FixedClock(datetime(2026, 5, 10, 9, tzinfo=UTC))

Step = Callable[[UnitOfWork], object]


@attrs.frozen
class Brand:
    stores: Sequence[Any] = ()
    sellers: Sequence[Any] = ()
    customers: Sequence[Any] = ()
    orders: Sequence[Any] = ()
    portfolio: Sequence[PortfolioAssignment] = ()


def load(uow: UnitOfWork, brand: Brand) -> None:
    with uow:
        for store in brand.stores:
            uow.stores.add(store)
        for seller in brand.sellers:
            uow.sellers.add(seller)
        for customer in brand.customers:
            uow.customers.add(customer)
        uow.orders.add_many(brand.orders)
        uow.portfolio.set_many(brand.portfolio)


def outcome(uow: UnitOfWork) -> tuple[Any, ...]:
    """Everything the daily job writes, as comparable values."""
    with uow:
        carteiras = uow.portfolio.list()
        snapshots = {d: sorted(uow.rfv.get(d).items()) for d in uow.rfv.dates()}
        runs = uow.daily_runs.list()
    return carteiras, snapshots, runs


def check_changes(run: DailyRun) -> None:
    """Every change of ``run`` is a valid AssignmentChange (the bulk job skips re-validation)."""
    for change in run.changes:
        assert isinstance(change, AssignmentChange)
        attrs.validate(change)
        rebuilt = AssignmentChange(**attrs.asdict(change, recurse=False))
        assert rebuilt == change


def compare_jobs(
    reference: UnitOfWork,
    bulk: UnitOfWork,
    days: Sequence[date],
    policy: DailyPolicy | None = None,
    *,
    between: Step | None = None,
) -> list[DailyRun]:
    """Run both jobs for each day (``between`` runs on both stores after each day but the last).

    Both stores must be loaded the same way. Asserts identical runs and stores
    after every day; returns the bulk job's runs.
    """
    runs = []
    for i, day in enumerate(days):
        expected = reference_daily(reference, day, policy, clock=CLOCK)
        got = run_daily(bulk, day, policy, clock=CLOCK)
        check_changes(got)
        assert got == expected
        assert outcome(bulk) == outcome(reference)
        runs.append(got)
        if between is not None and i < len(days) - 1:
            between(reference)
            between(bulk)
    return runs
