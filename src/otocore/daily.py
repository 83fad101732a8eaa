"""Rotina diária (the daily portfolio job): carteiras and the RFV snapshot for a day.

Oto's help page for managers and campaigns says: "Para distribuir os clientes
entre os vendedores, é feito um cálculo diariamente que direciona o cliente
para o vendedor que tem a maior quantidade de vendas realizada para o
respectivo cliente naquele momento." :func:`run_daily` is that calculation.

For the local day ``as_of``, it:

1. computes every customer's preferred seller
   (:func:`otocore.distribution.preferred_sellers`, run by its columnar twin
   :func:`otocore.frames.preferred_sellers`) among the ACTIVE sellers;
2. decides each customer's carteira with these rules, in order:

    * a customer with an active candidate goes to their preferred seller
      (reason ``DAILY_RULE``);
    * a customer with no active candidate keeps a manual (redistribution)
      assignment if that seller is still active (reason ``MANUAL``);
    * otherwise the customer is unassigned (reason ``NONE``) and listed for the
      store manager (:func:`unassigned_by_store`);

3. stores the RFV snapshot of ``as_of`` (:func:`otocore.rfv.rfv_scores`, run
   by :func:`otocore.frames.rfv_scores`);
4. appends a :class:`~otocore.portfolio.DailyRun` to the run log: ``as_of``,
   start and end, counts, and every customer whose seller changed (from, to,
   and the rule that decided).

The customers considered are those with a customer record, those with at
least one order and those already in a carteira. ``since`` is the day a customer entered the current seller's
carteira (or became unassigned): it does not move while the seller stays.

**How it runs.** It reads what the rules need in bulk, as Polars frames, in a
plain block (no write lock): the completed orders that can fall in the windows
(a day of margin on each side for time zones), each customer's last
completed order before them (RFV recency), customer ids, the active
sellers and the carteiras. It computes and decides outside any block. Then one
short ``with uow.writing():`` block re-reads the carteiras and the active
sellers, decides again only if they changed since the read (so a
redistribution made meanwhile is never overwritten by a stale decision), and
writes the changed carteiras, the snapshot and the run log in bulk. Logins and other writers wait at most for that block. The
object-at-a-time job is kept as :func:`otocore.testing.reference_daily`; tests
prove the two leave the same store, row for row (see *The daily job* in the documentation).

Running the job twice for the same ``as_of`` leaves the same carteiras and the
same snapshot; the second run logs no change. A failure anywhere leaves the
database exactly as it was (everything is written in that one ``writing()``
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
from datetime import UTC, date, datetime, time, timedelta

import attrs
import polars as pl

from otocore import _validate as v
from otocore import frames
from otocore._time import same_zone_as, window_start
from otocore.clock import Clock, SystemClock
from otocore.customers import ANONYMOUS_ID_PREFIX
from otocore.distribution import PreferredSellerPolicy
from otocore.orders import OrderStatus
from otocore.portfolio import AssignmentChange, AssignmentReason, DailyRun
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvPolicy
from otocore.sellers import SellerStatus

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

    Reads what the rules need in bulk (a plain block), computes with
    :mod:`otocore.frames` and decides outside any lock, then writes the changed
    carteiras, the snapshot and the run log in one short ``uow.writing()``
    block, which re-reads the carteiras and the active sellers first and
    decides again if they changed, so its decisions are those of the store it
    writes to (module docstring, *The daily job* in the documentation).

    Args:
        uow: the brand's unit of work; the job opens its own blocks.
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
    since, until = _read_bounds(as_of, policy)

    # 1. read, in a plain block: no lock held, writers and logins go on
    with uow:
        active: frozenset[str] = frozenset(uow.sellers.codes(status=SellerStatus.ACTIVE))
        window = uow.orders.completed_frame(since=since, until=until)
        earlier = uow.orders.last_completed(before=since)
        known = [uow.customers.ids(), uow.orders.customer_ids()]
        before = uow.portfolio.frame()

    # 2. compute, outside any block
    orders = _rule_orders(window, earlier)
    preferences_plan = frames.preferred_sellers(
        orders, as_of, policy=policy.preferred_seller, eligible=active
    )
    scores_plan = frames.rfv_scores(orders, as_of, policy=policy.rfv)
    preferences, scores = pl.collect_all([preferences_plan, scores_plan])
    customers = (
        pl.concat([*known, window.select("customer_id"), earlier.select("customer_id")])
        .unique()
        # an anonymized customer's orders keep an anonymous id: it joins no carteira (LGPD)
        .filter(~pl.col("customer_id").str.starts_with(ANONYMOUS_ID_PREFIX))
    )
    # decide on the carteiras read, outside the lock; the write block keeps it if they are unchanged
    plan = _plan(customers, before, preferences, active, as_of)

    # 3. write, in one short writing block, deciding against the store as it is now
    with uow.writing():
        current = uow.portfolio.frame()
        active_now: frozenset[str] = frozenset(uow.sellers.codes(status=SellerStatus.ACTIVE))
        if active_now != active:  # a seller changed status since the read: decide with today's
            preferences = frames.preferred_sellers(
                orders, as_of, policy=policy.preferred_seller, eligible=active_now
            ).collect()
        if active_now != active or not current.equals(before):
            plan = _plan(customers, current, preferences, active_now, as_of)
        decided, counts, changes = plan
        uow.portfolio.set_many(
            decided.filter(pl.col("_write")).select("customer_id", "seller_code", "since", "reason")
        )
        uow.rfv.save(as_of, scores)
        counts["rfv_scored"] = scores.height
        run = DailyRun(
            as_of=as_of,
            started_at=started_at,
            finished_at=max(clock.now(), started_at),
            counts=counts,
            changes=changes,
        )
        uow.daily_runs.add(run)
    return run


def _read_bounds(as_of: date, policy: DailyPolicy) -> tuple[datetime, datetime]:
    """The instants the job reads orders between: the windows' days, plus a day each side.

    A local day is at most 14 hours from UTC, so every order whose local day
    is in ``(start, as_of]`` was placed in ``[start - 1 day, as_of + 2 days)``
    (as UTC midnights); the rules then keep exactly the days they count. An
    ``as_of`` too close to the calendar's ends reads everything and leaves
    the refusal to the rules.
    """
    try:
        first = min(
            window_start(as_of, policy.rfv.window),
            window_start(as_of, policy.preferred_seller.window),
        )
        since = datetime.combine(first, time(), UTC) - timedelta(days=1)
        until = datetime.combine(as_of + timedelta(days=2), time(), UTC)
    except (OverflowError, ValueError):
        return datetime.min.replace(tzinfo=UTC), datetime.max.replace(tzinfo=UTC)
    return since, until


def _rule_orders(window: pl.DataFrame, earlier: pl.DataFrame) -> pl.LazyFrame:
    """The orders frame the rules read: the window's orders and each customer's last before it.

    An earlier order counts only for RFV recency (its day is before both
    windows), so it carries no seller, store or total. ``order_id`` is a row
    number: the rules never read it, and the store's keys are unique already.
    Lazy, so the two rules share one plan and the store's rows are not
    checked again (the store validated them when they were written).
    """
    earlier_rows = earlier.select(
        "customer_id",
        pl.lit("", pl.String).alias("store_id"),
        pl.lit(None, pl.String).alias("seller_code"),
        "placed_at",
        pl.lit(0, pl.Int64).alias("total_cents"),
    )
    rows = pl.concat(
        [
            window.select("customer_id", "store_id", "seller_code", "placed_at", "total_cents"),
            earlier_rows,
        ]
    )
    return rows.lazy().with_columns(
        pl.int_range(pl.len(), dtype=pl.Int64).alias("order_id"),
        pl.lit(OrderStatus.COMPLETED.value, pl.String).alias("status"),
    )


_DAILY = AssignmentReason.DAILY_RULE.value
_MANUAL = AssignmentReason.MANUAL.value
_NONE = AssignmentReason.NONE.value


def _plan(
    customers: pl.DataFrame,
    current: pl.DataFrame,
    preferences: pl.DataFrame,
    active: frozenset[str],
    as_of: date,
) -> tuple[pl.DataFrame, dict[str, int], list[AssignmentChange]]:
    """:func:`_decide` on ``current``, with the run's tallies and changes built from it."""
    decided = _decide(customers, current, preferences, active, as_of)
    return decided, _counts(decided), _changes(decided)


def _decide(
    customers: pl.DataFrame,
    current: pl.DataFrame,
    preferences: pl.DataFrame,
    active: frozenset[str],
    as_of: date,
) -> pl.DataFrame:
    """Every customer's new carteira, the one before, and whether to write or log it.

    The rules of the module docstring, as columns; sorted by ``customer_id``.
    """
    everyone = pl.concat([customers, current.select("customer_id")]).unique()
    before = current.rename(
        {"seller_code": "_before_seller", "since": "_before_since", "reason": "_before_reason"}
    )
    preferred = preferences.select(
        "customer_id", pl.col("seller_code").alias("_preferred"), "decided_by"
    )
    joined = everyone.join(preferred, on="customer_id", how="left").join(
        before, on="customer_id", how="left"
    )
    has_preference = pl.col("_preferred").is_not_null()
    keeps_manual = (pl.col("_before_reason") == _MANUAL) & pl.col("_before_seller").is_in(
        sorted(active)
    )
    decided = joined.with_columns(
        pl.when(has_preference)
        .then(pl.col("_preferred"))
        .when(keeps_manual)
        .then(pl.col("_before_seller"))
        .otherwise(pl.lit(None, pl.String))
        .alias("seller_code"),
        pl.when(has_preference)
        .then(pl.lit(_DAILY))
        .when(keeps_manual)
        .then(pl.lit(_MANUAL))
        .otherwise(pl.lit(_NONE))
        .alias("reason"),
        pl.when(has_preference)
        .then(pl.col("decided_by"))
        .when(keeps_manual)
        .then(pl.lit("kept"))
        .otherwise(pl.lit(NO_ACTIVE_CANDIDATE))
        .alias("decided_by"),
    )
    had = pl.col("_before_reason").is_not_null()
    same_seller = pl.col("_before_seller").eq_missing(pl.col("seller_code"))
    decided = decided.with_columns(
        pl.when(had & same_seller)
        .then(pl.col("_before_since"))
        .otherwise(pl.lit(as_of, pl.Date))
        .alias("since"),
        (~(had & same_seller)).alias("_moved"),
    ).with_columns(
        (
            ~had
            | pl.col("_moved")
            | (pl.col("since") != pl.col("_before_since"))
            | (pl.col("reason") != pl.col("_before_reason"))
        ).alias("_write"),
        # a change is a new seller; a new customer left unassigned changes nothing
        (~pl.col("_before_seller").eq_missing(pl.col("seller_code"))).alias("_changed"),
    )
    return decided.sort("customer_id")


def _counts(decided: pl.DataFrame) -> dict[str, int]:
    """The run's tallies, as the reference job counts them (a tally of 0 is not listed)."""
    label = (
        pl.when(pl.col("seller_code").is_null())
        .then(pl.lit("unassigned"))
        .otherwise(pl.lit("assigned_") + pl.col("reason"))
    )
    tallies = decided.group_by(label.alias("name")).len()
    counts = dict(tallies.iter_rows())
    counts["customers"] = decided.height
    counts["changed"] = int(decided["_changed"].sum())
    return counts


def _changes(decided: pl.DataFrame) -> list[AssignmentChange]:
    """One :class:`~otocore.portfolio.AssignmentChange` per customer whose seller changed.

    Built without re-running the value's validators (a brand's first run logs
    a change per customer: 700k objects at 1M customers, 0.5 s of checks):
    every field is valid by construction. The ids and codes come from the
    store, which validated them when they were written; ``reason`` is a member;
    ``decided_by`` one of the rule's names; ``to_seller`` is null exactly when
    the reason is ``NONE`` and differs from ``from_seller`` (the filter).
    tests/unit/test_daily_bulk.py validates every change of its runs.
    """
    moved = decided.filter(pl.col("_changed")).select(
        "customer_id", "_before_seller", "seller_code", "reason", "decided_by"
    )
    reasons = {r.value: r for r in AssignmentReason}
    new, put = object.__new__, object.__setattr__
    out: list[AssignmentChange] = []
    for customer_id, from_seller, to_seller, reason, decided_by in moved.iter_rows():
        change = new(AssignmentChange)
        put(change, "customer_id", customer_id)
        put(change, "from_seller", from_seller)
        put(change, "to_seller", to_seller)
        put(change, "reason", reasons[reason])
        put(change, "decided_by", decided_by)
        out.append(change)
    return out


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
