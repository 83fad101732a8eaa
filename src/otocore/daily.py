"""Rotina diária (the daily portfolio job): carteiras and the RFV snapshot for a day.

The seed ``oto-managers-and-campaigns.txt`` says: "Para distribuir os clientes
entre os vendedores, é feito um cálculo diariamente que direciona o cliente
para o vendedor que tem a maior quantidade de vendas realizada para o
respectivo cliente naquele momento." :func:`run_daily` is that calculation.

In one transaction, for the local day ``as_of``, it:

1. computes every customer's preferred seller
   (:func:`otocore.distribution.preferred_sellers`) among the ACTIVE sellers;
2. decides each customer's carteira with these rules, in order:

   * a customer with an active candidate goes to their preferred seller
     (reason ``DAILY_RULE``);
   * a customer with no active candidate keeps a manual (redistribution)
     assignment if that seller is still active (reason ``MANUAL``);
   * otherwise the customer is unassigned (reason ``NONE``) and listed for the
     store manager (:func:`unassigned_by_store`);

3. stores the RFV snapshot of ``as_of`` (:func:`otocore.rfv.rfv_scores`);
4. appends a :class:`~otocore.portfolio.DailyRun` to the run log: ``as_of``,
   start and end, counts, and every customer whose seller changed (from, to,
   and the rule that decided).

The customers considered are those with a customer record and those with at
least one order. ``since`` is the day a customer entered the current seller's
carteira (or became unassigned): it does not move while the seller stays.

Running the job twice for the same ``as_of`` leaves the same carteiras and the
same snapshot; the second run logs no change. A failure anywhere leaves the
database exactly as it was (the whole job is one ``with uow.writing():``
block).

>>> from datetime import UTC, date, datetime
>>> from decimal import Decimal
>>> from otocore.adapters.memory import InMemoryUnitOfWork
>>> from otocore.clock import FixedClock
>>> from otocore.orders import Order
>>> from otocore.sellers import Seller, Store
>>> uow = InMemoryUnitOfWork()
>>> with uow:
...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
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
>>> run = run_daily(uow, date(2026, 5, 10), clock=FixedClock(datetime(2026, 5, 10, 6, tzinfo=UTC)))
>>> (
...     run.count("assigned_daily_rule"),
...     [(c.customer_id, c.to_seller, c.decided_by) for c in run.changes],
... )
(1, [('C1', 'V01', 'only_candidate')])
>>> with uow:
...     uow.portfolio.get("C1").seller_code, uow.rfv.get(date(2026, 5, 10))["C1"].frequency
('V01', 1)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from datetime import date

import attrs

from otocore import _validate as v
from otocore._time import same_zone_as
from otocore.clock import Clock, SystemClock
from otocore.distribution import PreferredSellerPolicy, preferred_sellers
from otocore.orders import Order
from otocore.portfolio import AssignmentChange, AssignmentReason, DailyRun, PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvPolicy, rfv_scores

__all__ = ["DailyPolicy", "run_daily", "unassigned_by_store"]

NO_ACTIVE_CANDIDATE = "no_active_candidate"
"""``decided_by`` of a change to unassigned: no active seller could take the customer."""


@attrs.frozen(kw_only=True)
class DailyPolicy:
    """The brand's settings for the daily job: the RFV and preferred-seller policies.

    Both must use the same time zone, since ``as_of`` is one local day.

    >>> DailyPolicy().rfv.time_zone
    'America/Sao_Paulo'
    >>> DailyPolicy(preferred_seller=PreferredSellerPolicy(time_zone="America/Manaus"))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: DailyPolicy.preferred_seller.time_zone must equal DailyPolicy.rfv.time_zone ('America/Sao_Paulo'): a brand has one time zone, got 'America/Manaus'
    """

    rfv: RfvPolicy = attrs.field(factory=RfvPolicy, validator=v.instance_of(RfvPolicy))
    preferred_seller: PreferredSellerPolicy = attrs.field(
        factory=PreferredSellerPolicy, validator=same_zone_as("rfv", PreferredSellerPolicy)
    )


def run_daily(
    uow: UnitOfWork,
    as_of: date,
    policy: DailyPolicy | None = None,
    *,
    clock: Clock | None = None,
) -> DailyRun:
    """Assign every customer to a carteira and snapshot RFV for ``as_of``, atomically.

    Args:
        uow: the brand's unit of work; the job opens its own ``writing()`` block.
        as_of: the local day (in the policy's time zone) the job computes.
        policy: the brand's :class:`DailyPolicy`; the defaults if omitted.
        clock: where the run's start and end times come from (the run log
            only; no rule reads it). :class:`~otocore.clock.SystemClock` if
            omitted.

    Returns:
        The :class:`~otocore.portfolio.DailyRun` appended to the run log.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> run_daily(InMemoryUnitOfWork(), "2026-05-10")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: as_of must be a datetime.date (a local calendar day), got '2026-05-10'
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


def unassigned_by_store(uow: UnitOfWork) -> dict[str | None, list[str]]:
    """The unassigned customers, grouped by home store, for the store managers.

    A customer without a customer record or a home store is listed under
    ``None`` (the brand's own list).

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> unassigned_by_store(InMemoryUnitOfWork())
    {}
    """
    out: dict[str | None, list[str]] = defaultdict(list)
    with uow:
        homes = {c.customer_id: c.home_store_id for c in uow.customers.list()}
        for a in uow.portfolio.list(reason=AssignmentReason.NONE):
            out[homes.get(a.customer_id)].append(a.customer_id)
    return {store: sorted(ids) for store, ids in out.items()}
