"""The bulk daily job against the reference job on every store, PostgreSQL included.

``make_uow`` (conftest.py) gives a new, empty store of each kind; the reference job runs
on one and the bulk job on the next, on the same generated brand, through two days with a
seller's deactivation between them, and the two stores must hold the same carteiras, RFV
snapshots and run log, row for row.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from _support.daily import CLOCK, Brand, check_changes, load, outcome
from otocore.daily import run_daily
from otocore.distribution import Balanced
from otocore.management import deactivate_seller
from otocore.repositories import UnitOfWork
from otocore.sample import generate_brand
from otocore.testing import reference_daily

AS_OF = date(2026, 11, 1)


def _brand() -> Brand:
    sample = generate_brand(seed=11, stores=2, sellers_per_store=4, customers=150, orders=3000)
    return Brand(sample.stores, sample.sellers, sample.customers, sample.orders)


def _days(uow: UnitOfWork, job: Callable[..., object]) -> tuple[list[object], tuple[object, ...]]:
    runs = [job(uow, AS_OF, clock=CLOCK)]
    with uow:
        leaving = uow.sellers.list()[0].code
    deactivate_seller(uow, leaving, Balanced(seed=5), as_of=AS_OF)
    runs += [job(uow, AS_OF + timedelta(days=1), clock=CLOCK) for _ in range(2)]
    return runs, outcome(uow)


def test_the_bulk_job_leaves_what_the_reference_leaves(make_uow: Callable[[], UnitOfWork]) -> None:
    brand = _brand()
    reference = make_uow()
    load(reference, brand)
    expected_runs, expected = _days(reference, reference_daily)
    bulk = make_uow()  # a new, empty store (the same database, emptied, for some kinds)
    load(bulk, brand)
    runs, got = _days(bulk, run_daily)
    for run in runs:
        check_changes(run)  # type: ignore[arg-type]
    assert runs == expected_runs
    assert got == expected
    assert runs[0].count("changed") > 50  # type: ignore[attr-defined]
    assert runs[-1].count("changed") == 0  # type: ignore[attr-defined]
