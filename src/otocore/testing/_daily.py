"""The daily job as it was written first: one ``Order`` object at a time, the reference.

:func:`otocore.daily.run_daily` reads the store in bulk and runs the columnar
rules (:mod:`otocore.frames`); :func:`reference_daily` is the same job over
the reference rules (:func:`otocore.rfv.rfv_scores`,
:func:`otocore.distribution.preferred_sellers`) on ``Order`` objects streamed
from the store, in one ``writing()`` block. Tests compare the two row for row
(carteiras, RFV snapshot, run log); use it to check your own store or policy
the same way. It is slow on a big brand: that is why the job no longer runs it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

from otocore import _validate as v
from otocore.clock import Clock, SystemClock
from otocore.daily import NO_ACTIVE_CANDIDATE, DailyPolicy
from otocore.distribution import preferred_sellers
from otocore.orders import Order
from otocore.portfolio import AssignmentChange, AssignmentReason, DailyRun, PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.rfv import rfv_scores

__all__ = ["reference_daily"]


def reference_daily(
    uow: UnitOfWork,
    as_of: date,
    policy: DailyPolicy | None = None,
    *,
    clock: Clock | None = None,
) -> DailyRun:
    """:func:`otocore.daily.run_daily` on the reference rules, one object at a time.

    Same arguments, same effects on the store, same :class:`~otocore.portfolio.DailyRun`;
    the whole job is one ``uow.writing()`` block.

    >>> from datetime import UTC, datetime
    >>> from decimal import Decimal
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.clock import FixedClock
    >>> from otocore.sellers import Seller
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.sellers.add(Seller(code="V01", name="Ana", store_id="L01"))
    ...     uow.orders.add(
    ...         Order(
    ...             order_id="P1",
    ...             customer_id="C1",
    ...             store_id="L01",
    ...             placed_at=datetime(2026, 5, 2, 15, tzinfo=UTC),
    ...             total=Decimal("120.00"),
    ...             seller_code="V01",
    ...         )
    ...     )
    >>> clock = FixedClock(datetime(2026, 5, 10, 6, tzinfo=UTC))
    >>> (change,) = reference_daily(uow, date(2026, 5, 10), clock=clock).changes
    >>> change.customer_id, change.to_seller, change.decided_by
    ('C1', 'V01', 'only_candidate')
    """
    v.require_date("as_of", as_of)
    policy = DailyPolicy() if policy is None else policy
    v.require_instance("policy", policy, DailyPolicy)
    clock = SystemClock() if clock is None else clock
    started_at = clock.now()
    with uow.writing():
        active = {s.code for s in uow.sellers.list() if s.is_active}
        buyers: set[str] = set()
        preferences = preferred_sellers(
            _collect_customers(uow.orders.iter_all(), buyers),
            as_of,
            policy=policy.preferred_seller,
            eligible=active,
        )
        scores = rfv_scores(uow.orders.iter_all(), as_of, policy=policy.rfv)
        current = {a.customer_id: a for a in uow.portfolio.list()}
        customers = {c.customer_id for c in uow.customers.list()}
        customers |= buyers | current.keys()

        counts: dict[str, int] = defaultdict(int)
        assignments: list[PortfolioAssignment] = []
        changes: list[AssignmentChange] = []
        for customer_id in sorted(customers):
            before = current.get(customer_id)
            preference = preferences.get(customer_id)
            if preference is not None:
                seller, reason = preference.seller_code, AssignmentReason.DAILY_RULE
                decided_by: str = preference.decided_by.value
            elif (
                before is not None
                and before.reason is AssignmentReason.MANUAL
                and before.seller_code in active
            ):
                seller, reason, decided_by = before.seller_code, AssignmentReason.MANUAL, "kept"
            else:
                seller, reason, decided_by = None, AssignmentReason.NONE, NO_ACTIVE_CANDIDATE
            counts[f"assigned_{reason.value}" if seller else "unassigned"] += 1

            previous_seller = before.seller_code if before is not None else None
            since = before.since if before is not None and previous_seller == seller else as_of
            assignment = PortfolioAssignment(
                customer_id=customer_id, seller_code=seller, since=since, reason=reason
            )
            if assignment != before:
                assignments.append(assignment)
            if previous_seller != seller:
                changes.append(
                    AssignmentChange(
                        customer_id=customer_id,
                        from_seller=previous_seller,
                        to_seller=seller,
                        reason=reason,
                        decided_by=decided_by,
                    )
                )
        uow.portfolio.set_many(assignments)
        uow.rfv.save(as_of, scores)
        counts["customers"] = len(customers)
        counts["changed"] = len(changes)
        counts["rfv_scored"] = len(scores)
        run = DailyRun(
            as_of=as_of,
            started_at=started_at,
            finished_at=max(clock.now(), started_at),
            counts=dict(counts),
            changes=tuple(changes),
        )
        uow.daily_runs.add(run)
    return run


def _collect_customers(orders: Iterable[Order], seen: set[str]) -> Iterator[Order]:
    for order in orders:
        seen.add(order.customer_id)
        yield order
