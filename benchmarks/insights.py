"""Benchmark: the customer dashboard (otocore.insights) on frames beside hand-written queries.

One seeded brand (``--orders`` orders over the year before ``AS_OF``, one registered customer
per ten orders, 500 stores (fewer below 1M orders); 70% store, 20% online, 10% telesales
orders; 5% cancelled; 10% of the sales to the tills' anonymous id ``"0"`` and 2% to ids that
are not registered; a discount on 30% of the orders; 60% of the customers in a loyalty program,
most with a category) is built once as Arrow tables. Then, in the same run and on the same
data, each runner computes the two dashboards with the default policy (plus the anonymous id
``"0"``):

* the customer dashboard on ``AS_OF``: :func:`otocore.frames.customer_insights` (one row per
  customer: totals, discounts, orders, visits, first and last visit, purchase days, span and
  frequency class);
* the store dashboard for March 2026 with a 30-day return window (every return falls before
  ``AS_OF``): :func:`otocore.insights.compute_store_insights_frame`, the
  :class:`~otocore.insights.StoreDashboard` of the brand and every store (its four plans:
  :func:`otocore.frames.store_insights` and :func:`otocore.frames.loyalty_participation`, for
  the stores and for the brand, then a few hundred values).

The runners: ``otocore`` on a Polars DataFrame (the eager input: its data checks included), on
the same DataFrame's ``.lazy()`` (schema checks only) and on a DuckDB relation over an
in-memory table; beside them the anchors, a hand-written Polars query (lazy, collected) and
hand-written DuckDB SQL (materialised as Arrow), each the natural way to write the rule of the
*Customer dashboard* page: one group-by per customer with filtered aggregations; the stores'
sales, first days and returns by group-bys and one join. The anchors' rows are checked equal to
``otocore.frames``' before anything is timed, so the ratios compare the same work. Also timed,
for its cost: :func:`otocore.insights.compute_customer_insights_frame` (the same plan, then one
``CustomerInsights`` value per customer).

It prints the median wall-clock seconds of ``--runs`` runs (round robin, so that a shared
machine's load falls on every runner alike), orders per second, the ratio of the anchor's time
to each runner's (>= 1: as fast), the same for CPU seconds of all threads, and each runner's
peak memory above what the process held (Linux: peak RSS, restarted before each run); and the
machine's load average before and after.

Usage::

    python benchmarks/insights.py                    # 2M orders, 3 runs
    python benchmarks/insights.py --orders 10000000 --runs 3
    python benchmarks/insights.py --quick            # 20k orders, 2 runs: a smoke run
"""

from __future__ import annotations

import argparse
import gc
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

import duckdb
import numpy as np
import polars as pl
import polars.selectors as cs
import pyarrow as pa
import pyarrow.compute as pc

from otocore import frames
from otocore.insights import (
    InsightsPolicy,
    compute_customer_insights_frame,
    compute_store_insights_frame,
)

AS_OF = date(2026, 5, 10)
PERIOD = (date(2026, 3, 1), date(2026, 3, 31))
RETURN_WINDOW = 30
STORES = 500
DAYS = 365
ANONYMOUS = "0"
TZ = "America/Sao_Paulo"
EPOCH = date(1970, 1, 1)
_DAY_US = 86_400_000_000
POLARS_ANCHOR = "hand-written Polars"
DUCKDB_ANCHOR = "hand-written DuckDB SQL"


# the brand --------------------------------------------------------------------------------


def stores_of(n_orders: int) -> int:
    """The brand's stores: 500 from 1M orders on, fewer below."""
    return min(STORES, max(1, n_orders // 2_000))


def make_brand(n_orders: int, *, seed: int = 20260510) -> tuple[pa.Table, pa.Table]:
    """The orders and registered customers of a seeded synthetic brand, as Arrow tables."""
    rng = np.random.default_rng(seed)
    stores = stores_of(n_orders)
    n_customers = max(1, n_orders // 10)
    customer = rng.integers(0, n_customers, n_orders)
    home = customer % stores  # most of a customer's orders are in their home store
    store = np.where(rng.random(n_orders) < 0.8, home, rng.integers(0, stores, n_orders))
    ids = np.char.add("C", np.char.zfill(customer.astype(str), 8)).astype(object)
    who = rng.random(n_orders)
    ids[who < 0.10] = ANONYMOUS  # the tills' "consumidor não identificado"
    unregistered = (who >= 0.10) & (who < 0.12)
    ids[unregistered] = np.char.add("X", customer[unregistered].astype(str)).astype(object)
    draw = rng.random(n_orders)
    channel = np.where(draw < 0.7, "store", np.where(draw < 0.9, "online", "telesales"))
    end = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 23, 59, tzinfo=UTC)
    placed = int(end.timestamp()) * 1_000_000 - rng.integers(0, DAYS * _DAY_US, n_orders)
    total = rng.integers(1_000, 100_000, n_orders)
    discount = np.where(rng.random(n_orders) < 0.3, rng.integers(0, 2_000, n_orders), 0)
    orders = pa.table(
        {
            "order_id": pa.array([f"P{n:09d}" for n in range(n_orders)], pa.string()),
            "customer_id": pa.array(ids, pa.string()),
            "store_id": pa.array([f"L{s:03d}" for s in store], pa.string()),
            "seller_code": pa.nulls(n_orders, pa.string()),
            "placed_at": pa.array(placed, pa.timestamp("us", tz="UTC")),
            "total_cents": pa.array(total, pa.int64()),
            "status": pa.array(
                np.where(rng.random(n_orders) < 0.05, "cancelled", "completed"), pa.string()
            ),
            "channel": pa.array(channel, pa.string()),
            "discount_cents": pa.array(discount, pa.int64()),
        }
    )
    program = rng.random(n_customers)
    category = rng.random(n_customers)
    programs = pa.array(np.where(program < 0.4, "Clube", "VIP"), pa.string())
    categories = pa.array(np.where(category < 0.5, "Ouro", "Prata"), pa.string())
    none = pa.nulls(n_customers, pa.string())
    in_program = pa.array(program < 0.6)
    customers = pa.table(
        {
            "customer_id": pa.array([f"C{c:08d}" for c in range(n_customers)], pa.string()),
            "loyalty_program": pc.if_else(in_program, programs, none),
            "loyalty_category": pc.if_else(
                pc.and_(in_program, pa.array(category < 0.8)), categories, none
            ),
        }
    )
    return orders, customers


# the hand-written Polars queries (the anchor) ---------------------------------------------


def _polars_day() -> pl.Expr:
    """The local day of ``placed_at`` in the brand's zone, as days since 1970-01-01."""
    return pl.col("placed_at").dt.convert_time_zone(TZ).dt.date().cast(pl.Int64).alias("day")


def _frequency(span: pl.Expr, days: pl.Expr, policy: InsightsPolicy) -> pl.Expr:
    intervals = days - 1
    return (
        pl.when(days < 2)
        .then(None)
        .when(span <= intervals * policy.weekly_days)
        .then(pl.lit("weekly"))
        .when(span <= intervals * policy.fortnightly_days)
        .then(pl.lit("fortnightly"))
        .when(span <= intervals * policy.monthly_days)
        .then(pl.lit("monthly"))
        .otherwise(pl.lit("less_often"))
    )


def polars_customers(orders: pl.DataFrame, policy: InsightsPolicy) -> pl.DataFrame:
    """Every customer's figures on :data:`AS_OF`: one group-by with filtered aggregations."""
    last = (AS_OF - EPOCH).days
    day = pl.col("day")
    at_store = pl.col("channel") == "store"
    recent = day.filter(day > last - policy.window_days)
    per_customer = (
        orders.lazy()
        .filter(
            pl.col("status") == "completed",
            ~pl.col("customer_id").is_in(sorted(policy.anonymous_customer_ids)),
        )
        .with_columns(_polars_day())
        .filter(day <= last)
        .group_by("customer_id")
        .agg(
            pl.col("total_cents").sum(),
            pl.col("discount_cents").sum(),
            pl.len().alias("completed_orders"),
            day.filter(at_store).n_unique().alias("visits"),
            day.filter(at_store).min().alias("first_visit"),
            day.filter(at_store).max().alias("last_visit"),
            recent.n_unique().alias("purchase_days"),
            (recent.max() - recent.min()).fill_null(0).alias("span_days"),
        )
    )
    return (
        per_customer.with_columns(
            _frequency(pl.col("span_days"), pl.col("purchase_days"), policy).alias("frequency")
        )
        .select(frames.CUSTOMER_INSIGHT_COLUMNS)
        .sort("customer_id")
        .collect()
    )


def polars_stores(
    orders: pl.DataFrame, customers: pl.DataFrame, policy: InsightsPolicy
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """The period's figures and loyalty rows, of the stores and of the brand (``store_id`` null).

    The completed orders with their local day and whether their customer is identified
    (registered, not anonymous); then, for each scope (a store, or the brand as one key),
    the period's sales, each identified customer's first day, the returns within the window
    after it (one join), and the customers by loyalty (one join with the registry).
    """
    first, last = ((d - EPOCH).days for d in PERIOD)
    known_ids = customers.lazy().filter(
        ~pl.col("customer_id").is_in(sorted(policy.anonymous_customer_ids))
    )
    done = (
        orders.lazy()
        .filter(pl.col("status") == "completed")
        .select("store_id", "customer_id", "total_cents", _polars_day())
        .join(
            known_ids.select("customer_id", pl.lit(1, pl.Int64).alias("known")),
            on="customer_id",
            how="left",
        )
        .with_columns(pl.col("known").fill_null(0))
    )

    def scope(brand: bool) -> tuple[pl.LazyFrame, pl.LazyFrame]:
        scoped = done.with_columns(pl.lit(None, pl.String).alias("store_id")) if brand else done
        period = scoped.filter(pl.col("day").is_between(first, last))
        sales = period.group_by("store_id").agg(
            pl.len().alias("sales"),
            pl.col("total_cents").sum().alias("revenue_cents"),
            pl.col("known").sum().alias("identified_sales"),
            (pl.col("total_cents") * pl.col("known")).sum().alias("identified_revenue_cents"),
        )
        firsts = (
            period.filter(pl.col("known") == 1)
            .group_by("store_id", "customer_id")
            .agg(pl.col("day").min().alias("first"))
        )
        returned = (
            scoped.join(firsts, on=["store_id", "customer_id"], nulls_equal=True)
            .filter(
                pl.col("day") > pl.col("first"), pl.col("day") <= pl.col("first") + RETURN_WINDOW
            )
            .group_by("store_id")
            .agg(pl.col("customer_id").n_unique().alias("returning_customers"))
        )
        figures = (
            sales.join(
                firsts.group_by("store_id").agg(pl.len().alias("customers")),
                on="store_id",
                how="left",
                nulls_equal=True,
            )
            .join(returned, on="store_id", how="left", nulls_equal=True)
            .with_columns(pl.col("customers", "returning_customers").fill_null(0))
            .select(frames.STORE_INSIGHT_COLUMNS)
            .sort("store_id")
        )
        loyalty = (
            firsts.join(known_ids, on="customer_id")
            .group_by("store_id", "loyalty_program", "loyalty_category")
            .agg(pl.len().alias("customers"))
            .select(frames.LOYALTY_COLUMNS)
            .sort("store_id", "loyalty_program", "loyalty_category", nulls_last=True)
        )
        return figures, loyalty

    (stores, store_loyalty), (brand, brand_loyalty) = scope(False), scope(True)
    stores_, brand_, store_loyalty_, brand_loyalty_ = pl.collect_all(
        [stores, brand, store_loyalty, brand_loyalty]
    )
    return stores_, brand_, store_loyalty_, brand_loyalty_


# the hand-written DuckDB SQL (the anchor) -------------------------------------------------


def _anonymous_sql(policy: InsightsPolicy) -> str:
    return ", ".join(f"'{i}'" for i in sorted(policy.anonymous_customer_ids)) or "null"


def duckdb_customers(con: duckdb.DuckDBPyConnection, policy: InsightsPolicy) -> pa.Table:
    """Every customer's figures on :data:`AS_OF`: one ``GROUP BY`` with ``FILTER`` clauses."""
    last = (AS_OF - EPOCH).days
    start = last - policy.window_days
    # the policy's constants and dates only, no outside input (hence noqa: S608)
    sql = f"""
    with counted as (
        select customer_id, total_cents, discount_cents, channel,
               cast(timezone('{TZ}', placed_at) as date) - date '1970-01-01' as day
        from orders
        where status = 'completed' and customer_id not in ({_anonymous_sql(policy)})
    ), per_customer as (
        select customer_id,
               sum(total_cents)::bigint as total_cents,
               sum(discount_cents)::bigint as discount_cents,
               count(*) as completed_orders,
               count(distinct day) filter (where channel = 'store') as visits,
               min(day) filter (where channel = 'store') as first_visit,
               max(day) filter (where channel = 'store') as last_visit,
               count(distinct day) filter (where day > {start}) as purchase_days,
               coalesce(max(day) filter (where day > {start})
                        - min(day) filter (where day > {start}), 0) as span_days
        from counted where day <= {last} group by customer_id
    )
    select *,
           case when purchase_days < 2 then null
                when span_days <= (purchase_days - 1) * {policy.weekly_days} then 'weekly'
                when span_days <= (purchase_days - 1) * {policy.fortnightly_days} then 'fortnightly'
                when span_days <= (purchase_days - 1) * {policy.monthly_days} then 'monthly'
                else 'less_often' end as frequency
    from per_customer order by customer_id
    """  # noqa: S608
    return con.sql(sql).to_arrow_table()


def duckdb_stores(
    con: duckdb.DuckDBPyConnection, policy: InsightsPolicy
) -> tuple[pa.Table, pa.Table, pa.Table, pa.Table]:
    """The same four results as :func:`polars_stores`, in SQL (the brand: ``store_id`` null)."""
    first, last = ((d - EPOCH).days for d in PERIOD)
    # the policy's constants and dates only, no outside input (hence noqa: S608)
    con.execute(f"""
    create or replace temp table done as
    select o.store_id, o.customer_id, o.total_cents,
           cast(timezone('{TZ}', o.placed_at) as date) - date '1970-01-01' as day,
           (k.customer_id is not null)::bigint as known
    from orders o left join customers k
      on k.customer_id = o.customer_id and k.customer_id not in ({_anonymous_sql(policy)})
    where o.status = 'completed'
    """)  # noqa: S608

    def scope(key: str) -> tuple[pa.Table, pa.Table]:
        scoped = f"(select {key} as store_id, customer_id, total_cents, day, known from done)"  # noqa: S608 - own names
        figures = f"""
        with scoped as {scoped},
        period as (select * from scoped where day between {first} and {last}),
        sales as (
            select store_id, count(*) as sales, sum(total_cents)::bigint as revenue_cents,
                   sum(known)::bigint as identified_sales,
                   sum(total_cents * known)::bigint as identified_revenue_cents
            from period group by store_id
        ), firsts as (
            select store_id, customer_id, min(day) as first
            from period where known = 1 group by store_id, customer_id
        ), returned as (
            select f.store_id, count(distinct f.customer_id) as returning_customers
            from firsts f join scoped s
              on s.store_id is not distinct from f.store_id and s.customer_id = f.customer_id
            where s.day > f.first and s.day <= f.first + {RETURN_WINDOW}
            group by f.store_id
        ), counted as (
            select store_id, count(*) as customers from firsts group by store_id
        )
        select s.store_id, s.sales, s.revenue_cents, s.identified_sales,
               s.identified_revenue_cents, coalesce(c.customers, 0) as customers,
               coalesce(r.returning_customers, 0) as returning_customers
        from sales s
        left join counted c on c.store_id is not distinct from s.store_id
        left join returned r on r.store_id is not distinct from s.store_id
        order by s.store_id
        """  # noqa: S608
        loyalty = f"""
        with scoped as {scoped},
        buyers as (
            select distinct store_id, customer_id from scoped
            where day between {first} and {last} and known = 1
        )
        select b.store_id, k.loyalty_program, k.loyalty_category, count(*) as customers
        from buyers b join customers k using (customer_id)
        group by all
        order by b.store_id, k.loyalty_program nulls last, k.loyalty_category nulls last
        """  # noqa: S608
        return con.sql(figures).to_arrow_table(), con.sql(loyalty).to_arrow_table()

    (stores, store_loyalty), (brand, brand_loyalty) = scope("store_id"), scope("null::varchar")
    return stores, brand, store_loyalty, brand_loyalty


# otocore --------------------------------------------------------------------------------


def otocore_stores(
    orders: Any, customers: Any, policy: InsightsPolicy
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, pl.DataFrame]:
    """``otocore.frames``' four store plans (checked against the anchors, not timed)."""
    common: dict[str, Any] = {
        "first_day": PERIOD[0],
        "last_day": PERIOD[1],
        "anonymous_customer_ids": policy.anonymous_customer_ids,
        "time_zone": policy.time_zone,
    }
    return (
        as_polars(
            frames.store_insights(orders, customers, return_window_days=RETURN_WINDOW, **common)
        ),
        as_polars(
            frames.store_insights(
                orders, customers, return_window_days=RETURN_WINDOW, brand=True, **common
            )
        ),
        as_polars(frames.loyalty_participation(orders, customers, **common)),
        as_polars(frames.loyalty_participation(orders, customers, brand=True, **common)),
    )


def store_dashboard(orders: Any, customers: Any, policy: InsightsPolicy) -> Any:
    """The :class:`~otocore.insights.StoreDashboard` of :data:`PERIOD` (the timed store runner)."""
    return compute_store_insights_frame(
        first_day=PERIOD[0],
        last_day=PERIOD[1],
        orders=orders,
        customers=customers,
        return_window_days=RETURN_WINDOW,
        policy=policy,
    )


# measuring --------------------------------------------------------------------------------


def as_polars(result: Any) -> pl.DataFrame:
    """Any engine's (small) result as a Polars DataFrame, every number as Int64."""
    if isinstance(result, pl.LazyFrame):
        result = result.collect()
    elif isinstance(result, duckdb.DuckDBPyRelation):
        result = result.to_arrow_table()
    if isinstance(result, pa.Table):
        result = pl.from_arrow(result)
    if not isinstance(result, pl.DataFrame):
        raise TypeError(type(result))
    return result.with_columns(cs.numeric().cast(pl.Int64))


def _rss_mib(field: str) -> float | None:
    """``VmRSS`` (now) or ``VmHWM`` (the peak) of this process in MiB, from Linux's /proc; else None."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def _reset_peak_rss() -> bool:
    """Restart the peak (``VmHWM``) at the current RSS (Linux >= 4.0); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def _load() -> str:
    try:
        one, five, fifteen = os.getloadavg()
    except OSError:
        return "n/a"
    return f"{one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} cores"


def measure(
    runners: dict[str, Callable[[], Any]], runs: int
) -> tuple[dict[str, float], dict[str, float], dict[str, float], float | None]:
    """Median wall and CPU seconds of ``runs`` runs of each runner (round robin, after a
    warm-up), and each runner's peak RSS above what the process held before the runs."""
    for run in runners.values():
        run()  # warm-up: imports, plan caches
    gc.collect()
    held = _rss_mib("VmRSS")
    walls: dict[str, list[float]] = {name: [] for name in runners}
    cpus: dict[str, list[float]] = {name: [] for name in runners}
    peaks: dict[str, float] = {}
    for _ in range(runs):  # round robin, so that the machine's load falls on all alike
        for name, run in runners.items():
            resettable = _reset_peak_rss()
            wall, cpu = time.perf_counter(), time.process_time()
            result = run()
            walls[name].append(time.perf_counter() - wall)
            cpus[name].append(time.process_time() - cpu)
            del result
            peak = _rss_mib("VmHWM") if resettable else None
            if peak is not None and held is not None:
                peaks[name] = max(peaks.get(name, 0.0), peak - held)
    wall_medians = {name: statistics.median(times) for name, times in walls.items()}
    cpu_medians = {name: statistics.median(times) for name, times in cpus.items()}
    return wall_medians, cpu_medians, peaks, held


def print_table(
    title: str,
    measured: tuple[dict[str, float], dict[str, float], dict[str, float], float | None],
    anchors: dict[str, str],
    n: int,
) -> None:
    """Seconds, orders per second, the ratios to each runner's anchor and the peak RSS."""
    walls, cpus, peaks, held = measured
    print(title)
    print(
        f"{'runner':<38}{'seconds':>9}{'orders/s':>13}{'ratio':>8}{'CPU s':>9}{'CPU ratio':>11}"
        f"{'peak +MiB':>11}"
    )
    for name, wall in walls.items():
        anchor = anchors.get(name)
        ratio = f"{walls[anchor] / wall:.2f}x" if anchor else ""
        cpu_ratio = f"{cpus[anchor] / cpus[name]:.2f}x" if anchor else ""
        peak = f"{peaks[name]:,.0f}" if name in peaks else "n/a"
        print(
            f"{name:<38}{wall:>9.3f}{n / wall:>13,.0f}{ratio:>8}{cpus[name]:>9.3f}"
            f"{cpu_ratio:>11}{peak:>11}"
        )
    held_text = f"{held:,.0f} MiB" if held is not None else "n/a"
    print(
        f"(ratio: the anchor's time / the runner's, >= 1 is as fast; the process held {held_text})"
    )


# the run ----------------------------------------------------------------------------------


Inputs = dict[str, Callable[[], tuple[Any, Any]]]


def check_outputs(
    inputs: Inputs,
    polars_inputs: tuple[Any, Any],
    con: duckdb.DuckDBPyConnection,
    policy: InsightsPolicy,
) -> bool:
    """Whether ``otocore.frames`` on every engine gives the anchors' rows (printed; not timed)."""
    anchor_customers = polars_customers(polars_inputs[0], policy)
    duckdb_rows = as_polars(duckdb_customers(con, policy))
    anchor_stores = polars_stores(*polars_inputs, policy)
    duckdb_store_rows = tuple(as_polars(t) for t in duckdb_stores(con, policy))
    ok = True
    for engine, make in inputs.items():
        ours = as_polars(frames.customer_insights(make()[0], AS_OF, **_arguments(policy)))
        same = ours.equals(anchor_customers) and duckdb_rows.equals(anchor_customers)
        mine = otocore_stores(*make(), policy)
        same_stores = all(
            a.equals(b) and a.equals(c)
            for a, b, c in zip(mine, anchor_stores, duckdb_store_rows, strict=True)
        )
        ok = ok and same and same_stores
        print(
            f"otocore.frames, {engine}: customer dashboard "
            f"{'identical' if same else 'DIFFERENT'} to the hand-written queries' "
            f"({ours.height:,} customers); store dashboard "
            f"{'identical' if same_stores else 'DIFFERENT'} ({mine[0].height} stores, "
            f"{mine[2].height:,} loyalty rows)"
        )
    return ok


def runners_of(
    inputs: Inputs,
    polars_inputs: tuple[Any, Any],
    con: duckdb.DuckDBPyConnection,
    policy: InsightsPolicy,
) -> tuple[dict[str, Callable[[], Any]], dict[str, Callable[[], Any]], dict[str, str]]:
    """The customer dashboard's runners, the store dashboard's, and each runner's anchor."""
    customer_runners: dict[str, Callable[[], Any]] = {}
    store_runners: dict[str, Callable[[], Any]] = {}
    anchors: dict[str, str] = {}
    for engine, make in inputs.items():

        def customers_of(make: Callable[[], tuple[Any, Any]] = make) -> Any:
            return as_polars(frames.customer_insights(make()[0], AS_OF, **_arguments(policy)))

        def stores_of_(make: Callable[[], tuple[Any, Any]] = make) -> Any:
            return store_dashboard(*make(), policy)

        anchor = DUCKDB_ANCHOR if engine == "DuckDB" else POLARS_ANCHOR
        customer_runners[f"otocore.frames, {engine}"] = customers_of
        store_runners[f"otocore.insights, {engine}"] = stores_of_
        anchors[f"otocore.frames, {engine}"] = anchors[f"otocore.insights, {engine}"] = anchor
        if engine == "Polars":
            customer_runners[POLARS_ANCHOR] = lambda: polars_customers(polars_inputs[0], policy)
            customer_runners["otocore.insights values, Polars"] = lambda: (
                compute_customer_insights_frame(polars_inputs[0], as_of=AS_OF, policy=policy)
            )
            anchors["otocore.insights values, Polars"] = POLARS_ANCHOR
            store_runners[POLARS_ANCHOR] = lambda: polars_stores(*polars_inputs, policy)
    customer_runners[DUCKDB_ANCHOR] = lambda: duckdb_customers(con, policy)
    store_runners[DUCKDB_ANCHOR] = lambda: duckdb_stores(con, policy)
    return customer_runners, store_runners, anchors


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", type=int, default=2_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="20k orders, 2 runs: a smoke run")
    args = parser.parse_args(argv)
    n, runs = (20_000, 2) if args.quick else (args.orders, args.runs)
    print(f"load average before: {_load()}")
    policy = InsightsPolicy(anonymous_customer_ids={ANONYMOUS})

    began = time.perf_counter()
    orders, customers = make_brand(n)
    print(
        f"{n:,} orders, {customers.num_rows:,} registered customers, {stores_of(n)} stores "
        f"generated in {time.perf_counter() - began:.1f} s"
    )
    polars_inputs = (pl.DataFrame(pl.from_arrow(orders)), pl.DataFrame(pl.from_arrow(customers)))
    con = duckdb.connect()
    for name, table in (("orders", orders), ("customers", customers)):
        con.register(f"arrow_{name}", table)
        con.execute(f"create table {name} as select * from arrow_{name}")  # noqa: S608 - own names
        con.unregister(f"arrow_{name}")
    inputs: Inputs = {
        "Polars": lambda: polars_inputs,
        "Polars lazy": lambda: (polars_inputs[0].lazy(), polars_inputs[1].lazy()),
        "DuckDB": lambda: (con.table("orders"), con.table("customers")),
    }
    if not check_outputs(inputs, polars_inputs, con, policy):
        print("the hand-written queries DIFFER from otocore.frames: not timed")
        return 1
    totals = store_dashboard(*polars_inputs, policy).totals
    print(
        f"the store dashboard, {PERIOD[0]} to {PERIOD[1]}, return window {RETURN_WINDOW} days: "
        f"{totals.sales:,} sales ({totals.unidentified_sales:,} without a customer), "
        f"{totals.customers:,} customers, return rate {totals.return_rate}"
    )
    customer_runners, store_runners, anchors = runners_of(inputs, polars_inputs, con, policy)
    print_table(
        f"median of {runs} runs, the customer dashboard on {AS_OF}, {n:,} orders",
        measure(customer_runners, runs),
        anchors,
        n,
    )
    print_table(
        f"median of {runs} runs, the store dashboard of {PERIOD[0]} to {PERIOD[1]}, {n:,} orders",
        measure(store_runners, runs),
        anchors,
        n,
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the whole run: {peak:,.0f} MiB")
    print(f"load average after: {_load()}")
    return 0


def _arguments(policy: InsightsPolicy) -> dict[str, Any]:
    return {
        "weekly_days": policy.weekly_days,
        "fortnightly_days": policy.fortnightly_days,
        "monthly_days": policy.monthly_days,
        "window_days": policy.window_days,
        "anonymous_customer_ids": policy.anonymous_customer_ids,
        "time_zone": policy.time_zone,
    }


if __name__ == "__main__":
    sys.exit(main())
