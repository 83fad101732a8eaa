"""Benchmark: attribution (vendas a partir de contatos) on every engine beside a hand-written Polars query.

One seeded brand (``--orders`` orders over the year before ``AS_OF``, one customer
per ten orders, 500 stores of ten sellers (fewer below 1M orders); 70% store, 20% online, 10% telesales
orders, a third of the online ones with a seller code; 5% cancelled) and
``--contacts`` registered contacts (half of them in the ten days before one of
the customer's orders, half anywhere in the year; 1% started at the same
instant as another contact of the customer, so the tie-break is exercised) is
built once as two Arrow tables. Then, in the same run and on the same data,
each runner attributes the orders with the default policy (last contact, 7 days):

* ``otocore.frames.attribute`` on each engine it supports (``--engine``): a Polars
  DataFrame (its data checks included), the same DataFrame's ``.lazy()`` (schema
  checks only, as the anchor checks nothing), a pandas DataFrame, a PyArrow
  table and DuckDB relations over in-memory DuckDB tables;
* a hand-written Polars query of the same rule (the anchor): each order joined
  to its customer's contacts, the pairs in the window kept, sorted once, and
  each order's first pair; the fastest of the variants we measured (an as-of
  join among them: see :func:`polars_attribution`);
* the same query preceded by the input checks a careful user writes by hand
  (:func:`polars_checks`: nulls, negative totals, unknown statuses and channels,
  repeated ids), the like-for-like anchor of an eager input: the target (0.9)
  holds for a Polars DataFrame against this one and for a LazyFrame against
  the unchecked one.

The anchor's rows are checked equal to ``otocore.frames.attribute``'s (Polars)
before anything is timed, so the ratio compares the same work; every runner's
rows are checked against them after. The reference rule
(:func:`otocore.attribution.attribute` on ``Order`` and ``Contact`` objects) is
timed apart on a brand of ``--reference-orders`` orders (1M by default; the
objects are built before the clock starts), beside the anchor on the same brand,
and its attributed sales are checked equal to the anchor's.

It prints the median wall-clock seconds of ``--runs`` runs (taken round robin,
so that a shared machine's load falls on every runner alike), the CPU seconds
of all threads, the ratio of the anchor's time to each runner's (>= 1 means as
fast; the target is 0.9 on Polars) and each runner's peak memory: on Linux the
process's peak RSS (``VmHWM``, restarted before each run) above what it held
before the runs (``tracemalloc`` does not see Arrow's or Polars' allocations).

The views: the last whole month (April 2026), its orders and the contacts from a
window before it as Polars frames (the stand-in for reading them from a store;
timed), :func:`otocore.results.compute_results_frame` for the brand (what
``load_results`` runs), then :func:`otocore.report.render_report` of its figures
(target for the three: <= 10 s at 10M orders); beside them, one run of the
reference path (``Order`` and ``Contact`` values and
:func:`otocore.results.compute_results`), whose results must be equal. The
generated brand has no stored suggestions.

Usage::

    python benchmarks/results.py                        # 10M orders, 2M contacts, 3 runs
    python benchmarks/results.py --orders 2000000 --contacts 400000 --runs 5
    python benchmarks/results.py --engine polars --engine duckdb
    python benchmarks/results.py --quick                # 20k orders, a smoke run
"""

from __future__ import annotations

import argparse
import gc
import resource
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import duckdb
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from otocore import attribution, frames
from otocore._time import DEFAULT_TIME_ZONE
from otocore.attribution import AttributionModel, AttributionPolicy
from otocore.consent import ContactChannel
from otocore.contacts import Contact
from otocore.orders import Channel, Order, OrderStatus
from otocore.report import render_report
from otocore.results import Results, compute_results, compute_results_frame, report_figures
from otocore.sellers import Seller

AS_OF = date(2026, 5, 10)
STORES = 500
SELLERS_PER_STORE = 10
DAYS = 365
ENGINES = ("polars", "polars-lazy", "pandas", "pyarrow", "duckdb")
ANCHOR = "hand-written Polars"
CHECKED_ANCHOR = "hand-written Polars, checked"
PARTS = ("attribution", "reference", "views")
_DAY_US = 86_400_000_000


# the brand --------------------------------------------------------------------------------


def stores_of(n_orders: int) -> int:
    """The brand's stores: 500 from 1M orders on, fewer below (ten sellers each)."""
    return min(STORES, max(1, n_orders // 2_000))


def make_brand(
    n_orders: int, n_contacts: int, *, seed: int = 20260510
) -> tuple[pa.Table, pa.Table]:
    """The orders and contacts frames of a seeded synthetic brand, as Arrow tables."""
    rng = np.random.default_rng(seed)
    stores = stores_of(n_orders)
    n_customers = max(1, n_orders // 10)
    customer = rng.integers(0, n_customers, n_orders)
    home = customer % stores  # most of a customer's orders are in their home store
    store = np.where(rng.random(n_orders) < 0.8, home, rng.integers(0, stores, n_orders))
    seller = store * SELLERS_PER_STORE + rng.integers(0, SELLERS_PER_STORE, n_orders)
    draw = rng.random(n_orders)
    channel = np.where(draw < 0.7, "store", np.where(draw < 0.9, "online", "telesales"))
    # an online order carries a seller code a third of the time (a seller's link or QR code)
    coded = (channel != "online") | (rng.random(n_orders) < 1 / 3)
    end = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 23, 59, tzinfo=UTC)
    end_us = int(end.timestamp()) * 1_000_000
    placed = end_us - rng.integers(0, DAYS * _DAY_US, n_orders)

    # half of the contacts lead to one of the customer's orders (0 to 10 days before it),
    # half fall anywhere in the year; 1% share the instant of the contact before them
    n_led = n_contacts // 2
    led = rng.integers(0, n_orders, n_led)
    talk_customer = np.concatenate(
        [customer[led], rng.integers(0, n_customers, n_contacts - n_led)]
    )
    talk_seller = np.concatenate(
        [
            seller[led],
            (talk_customer[n_led:] % stores) * SELLERS_PER_STORE
            + rng.integers(0, SELLERS_PER_STORE, n_contacts - n_led),
        ]
    )
    started = np.concatenate(
        [
            placed[led] - rng.integers(1, 10 * _DAY_US, n_led),
            end_us - rng.integers(0, DAYS * _DAY_US, n_contacts - n_led),
        ]
    )
    tied = np.flatnonzero(rng.random(n_contacts) < 0.01)
    tied = tied[tied > 0]
    talk_customer[tied] = talk_customer[tied - 1]
    started[tied] = started[tied - 1]

    codes = pa.array([f"V{s:05d}" for s in seller], pa.string())
    orders = pa.table(
        {
            "order_id": pa.array([f"P{n:09d}" for n in range(n_orders)], pa.string()),
            "customer_id": pa.array([f"C{c:08d}" for c in customer], pa.string()),
            "store_id": pa.array([f"L{s:03d}" for s in store], pa.string()),
            "seller_code": pc.if_else(pa.array(coded), codes, pa.nulls(n_orders, pa.string())),
            "placed_at": pa.array(placed, pa.timestamp("us", tz="UTC")),
            "total_cents": pa.array(rng.integers(1_000, 100_000, n_orders), pa.int64()),
            "status": pa.array(
                np.where(rng.random(n_orders) < 0.05, "cancelled", "completed"), pa.string()
            ),
            "channel": pa.array(channel, pa.string()),
        }
    )
    contacts = pa.table(
        {
            # ids whose code-point order is not their numeric order, as real ones can be
            "contact_id": pa.array([f"A{n}" for n in range(n_contacts)], pa.string()),
            "seller_code": pa.array([f"V{s:05d}" for s in talk_seller], pa.string()),
            "customer_id": pa.array([f"C{c:08d}" for c in talk_customer], pa.string()),
            "started_at": pa.array(started, pa.timestamp("us", tz="UTC")),
        }
    )
    return orders, contacts


# the hand-written Polars query (the anchor) -----------------------------------------------


def polars_attribution(
    orders: pl.DataFrame, contacts: pl.DataFrame, policy: AttributionPolicy
) -> pl.DataFrame:
    """The attributed (completed) orders, as a Polars user writes it: a join and one sort.

    Each completed order joined to its customer's contacts, the pairs kept where the contact
    started strictly before the order and no longer ago than the window (and, for an online
    order with a seller code, is that seller's); then the pairs sorted by order, latest
    instant first, lowest ``contact_id`` first, and each order's first row. LAST_CONTACT only
    (the benchmark's policy).

    The fastest of the variants measured (2M orders, medians of 3, wall / CPU seconds): this
    one on Polars' default streaming engine, 0.24 / 0.45 s; the winner by two windows over
    ``order_id`` instead, 0.33 / 0.55 s (in memory 0.69 / 1.20 s); by group-bys joined back,
    0.35 / 0.64 s; two backward ``join_asof`` (by customer, and by customer and seller for the
    coded orders; the contacts sorted so that a tie keeps the lowest id), 0.49 / 0.91 s on the
    in-memory engine, 1.21 s CPU on the streaming one.
    """
    if policy.model is not AttributionModel.LAST_CONTACT:
        raise ValueError("the anchor writes the default model, LAST_CONTACT")
    sold = (
        orders.lazy().filter(pl.col("status") == "completed").rename({"seller_code": "order_code"})
    )
    talks = contacts.lazy().rename({"started_at": "contact_started_at"})
    pairs = sold.join(talks, on="customer_id").filter(
        pl.col("contact_started_at") < pl.col("placed_at"),
        pl.col("placed_at") - pl.col("contact_started_at") <= policy.window,
        (pl.col("channel") != "online")
        | pl.col("order_code").is_null()
        | (pl.col("seller_code") == pl.col("order_code")),
    )
    return (
        pairs.sort(
            ["order_id", "contact_started_at", "contact_id"], descending=[False, True, False]
        )
        .group_by("order_id", maintain_order=True)
        .first()
        .select(frames.ATTRIBUTION_COLUMNS)
        .sort("placed_at", "order_id")
        .collect()
    )


def polars_checks(orders: pl.DataFrame, contacts: pl.DataFrame) -> None:
    """The input checks a careful Polars user writes before trusting two eager frames.

    The same guarantees ``otocore.frames.attribute`` gives an eager input: no nulls
    where the rule needs a value, no negative total, only known statuses and
    channels, unique order and contact ids. One ``select`` per frame (Polars runs
    its expressions in parallel); raises ``ValueError`` on the first fault.
    """
    statuses = [s.value for s in OrderStatus]
    channels = [c.value for c in Channel]
    needed = ["order_id", "customer_id", "store_id", "placed_at", "total_cents", "status"]
    found = orders.select(
        pl.sum_horizontal(pl.col(*needed, "channel").null_count()).alias("nulls"),
        (pl.col("total_cents") < 0).sum().alias("negative"),
        (~pl.col("status").is_in(statuses)).sum().alias("unknown_status"),
        (~pl.col("channel").is_in(channels)).sum().alias("unknown_channel"),
        (pl.col("order_id").n_unique() != pl.len()).alias("repeated"),
    ).row(0, named=True)
    if any(found.values()):
        raise ValueError(f"bad orders: {found}")
    talks = contacts.select(
        pl.sum_horizontal(pl.all().null_count()).alias("nulls"),
        (pl.col("contact_id").n_unique() != pl.len()).alias("repeated"),
    ).row(0, named=True)
    if any(talks.values()):
        raise ValueError(f"bad contacts: {talks}")


def checked_polars_attribution(
    orders: pl.DataFrame, contacts: pl.DataFrame, policy: AttributionPolicy
) -> pl.DataFrame:
    """:func:`polars_checks`, then :func:`polars_attribution`: the anchor of an eager input."""
    polars_checks(orders, contacts)
    return polars_attribution(orders, contacts, policy)


# the reference path -----------------------------------------------------------------------


def as_objects(orders: pa.Table, contacts: pa.Table) -> tuple[list[Order], list[Contact]]:
    """The brand as ``Order`` and ``Contact`` values (built before the clock starts)."""
    built = [
        Order(
            order_id=row["order_id"],
            customer_id=row["customer_id"],
            store_id=row["store_id"],
            seller_code=row["seller_code"],
            placed_at=row["placed_at"],
            total=Decimal(row["total_cents"]).scaleb(-2),
            status=OrderStatus(row["status"]),
            channel=Channel(row["channel"]),
        )
        for row in orders.to_pylist()
    ]
    talks = [
        Contact(
            contact_id=row["contact_id"],
            seller_code=row["seller_code"],
            customer_id=row["customer_id"],
            channel=ContactChannel.WHATSAPP,
            started_at=row["started_at"],
            finished_at=row["started_at"],
            in_portfolio=True,
        )
        for row in contacts.to_pylist()
    ]
    return built, talks


def reference_rows(result: attribution.AttributionResult) -> list[tuple[str, str, str, int]]:
    """``(order_id, contact_id, seller_code, total_cents)`` of the attributed sales, in order."""
    return [
        (a.order_id, a.contact_id, a.seller_code, int(a.total * 100)) for a in result.attributed
    ]


# measuring --------------------------------------------------------------------------------


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


_HIGHEST = 0.0  # MiB: the highest VmHWM read, since restarting it also restarts ru_maxrss


def _reset_peak_rss() -> bool:
    """Restart the peak (``VmHWM``) at the current RSS (Linux >= 4.0); False where that is not possible."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def as_polars(result: Any) -> pl.DataFrame:
    """Any engine's result as a Polars DataFrame with its instants in UTC."""
    if isinstance(result, pl.LazyFrame):
        result = result.collect()
    elif isinstance(result, duckdb.DuckDBPyRelation):
        result = result.to_arrow_table()
    if not isinstance(result, pl.DataFrame):
        result = pl.from_pandas(result) if hasattr(result, "iloc") else pl.from_arrow(result)
    if not isinstance(result, pl.DataFrame):
        raise TypeError(type(result))
    return result.with_columns(
        pl.col(pl.Datetime).dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    )


class Measured:
    """Wall and CPU seconds of every run of every runner, and each runner's peak RSS above ``held``."""

    def __init__(self, names: Sequence[str]) -> None:
        self.walls: dict[str, list[float]] = {name: [] for name in names}
        self.cpus: dict[str, list[float]] = {name: [] for name in names}
        self.peaks: dict[str, float] = {}
        self.held: float | None = None

    def wall(self, name: str) -> float:
        return statistics.median(self.walls[name])

    def cpu(self, name: str) -> float:
        return statistics.median(self.cpus[name])


def measure(runners: dict[str, Callable[[], Any]], runs: int) -> tuple[Measured, dict[str, Any]]:
    """Warm every runner up once (keeping its result), then ``runs`` timed runs round robin."""
    measured = Measured(list(runners))
    results = {name: run() for name, run in runners.items()}
    gc.collect()
    measured.held = _rss_mib("VmRSS")
    for _ in range(runs):  # round robin, so that the machine's load falls on all alike
        for name, run in runners.items():
            resettable = _reset_peak_rss()
            wall, cpu = time.perf_counter(), time.process_time()
            result = run()
            measured.walls[name].append(time.perf_counter() - wall)
            measured.cpus[name].append(time.process_time() - cpu)
            peak = _rss_mib("VmHWM") if resettable else None
            global _HIGHEST  # noqa: PLW0603 - the whole run's peak, across the resets
            _HIGHEST = max(_HIGHEST, peak or 0.0)
            if peak is not None and measured.held is not None:
                measured.peaks[name] = max(measured.peaks.get(name, 0.0), peak - measured.held)
            del result
    return measured, results


def print_table(title: str, measured: Measured, anchor: str, n: int) -> None:
    """Seconds, orders per second, the ratios to ``anchor`` and the peak RSS of each runner.

    When the checked anchor ran too, a column ``vs checked`` gives the ratio to it: the
    like-for-like figure for an eager input, whose data otocore checks first.
    """
    checked = CHECKED_ANCHOR in measured.walls and anchor != CHECKED_ANCHOR
    print(title)
    print(
        f"{'runner':<32}{'seconds':>9}{'orders/s':>14}{'ratio':>8}"
        + (f"{'vs checked':>12}" if checked else "")
        + f"{'CPU s':>9}{'CPU ratio':>11}{'peak +MiB':>11}"
    )
    for name in measured.walls:
        is_anchor = name in (anchor, CHECKED_ANCHOR)
        ratio = "" if is_anchor else f"{measured.wall(anchor) / measured.wall(name):.2f}x"
        versus = (
            ""
            if is_anchor or not checked
            else f"{measured.wall(CHECKED_ANCHOR) / measured.wall(name):.2f}x"
        )
        cpu_ratio = "" if is_anchor else f"{measured.cpu(anchor) / measured.cpu(name):.2f}x"
        peak = f"{measured.peaks[name]:,.0f}" if name in measured.peaks else "n/a"
        print(
            f"{name:<32}{measured.wall(name):>9.3f}{n / measured.wall(name):>14,.0f}{ratio:>8}"
            + (f"{versus:>12}" if checked else "")
            + f"{measured.cpu(name):>9.3f}{cpu_ratio:>11}{peak:>11}"
        )
    held = f"{measured.held:,.0f} MiB" if measured.held is not None else "n/a"
    print(f"(ratio: the anchor's time / the runner's, >= 1 is as fast; the process held {held})")
    if checked:
        print(
            "(vs checked: the same ratio to the hand-written query preceded by the same input "
            "checks otocore makes on an eager frame; a lazy input is checked for its schema only)"
        )


# the runs ---------------------------------------------------------------------------------


_POLARS: dict[tuple[int, int], tuple[pl.DataFrame, pl.DataFrame]] = {}


def _polars_frames(orders: pa.Table, contacts: pa.Table) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The brand as Polars DataFrames, made once per pair of tables (the runners share them)."""
    key = (id(orders), id(contacts))
    if key not in _POLARS:
        _POLARS.clear()
        _POLARS[key] = (pl.DataFrame(pl.from_arrow(orders)), pl.DataFrame(pl.from_arrow(contacts)))
    return _POLARS[key]


def engine_inputs(
    engine: str, orders: pa.Table, contacts: pa.Table
) -> Callable[[], tuple[Any, Any]]:
    """A function returning the brand as ``engine``'s frames (cheap to call: no copy per run)."""
    if engine == "pyarrow":
        return lambda: (orders, contacts)
    if engine == "pandas":
        both = (orders.to_pandas(), contacts.to_pandas())
        return lambda: both
    if engine in ("polars", "polars-lazy"):
        frames_ = _polars_frames(orders, contacts)
        if engine == "polars":
            return lambda: frames_
        return lambda: (frames_[0].lazy(), frames_[1].lazy())
    if engine == "duckdb":
        con = duckdb.connect()
        for name, table in (("orders", orders), ("contacts", contacts)):
            con.register(f"arrow_{name}", table)
            con.execute(f"create table {name} as select * from arrow_{name}")  # noqa: S608 - own names
            con.unregister(f"arrow_{name}")
        return lambda: (con.table("orders"), con.table("contacts"))
    raise ValueError(engine)


def run_columnar(
    orders: pa.Table,
    contacts: pa.Table,
    engines: Sequence[str],
    runs: int,
    policy: AttributionPolicy,
) -> bool:
    """Time the anchor and ``frames.attribute`` on each engine; True when all agree with the anchor."""
    polars_orders, polars_contacts = engine_inputs("polars", orders, contacts)()
    anchor_rows = polars_attribution(polars_orders, polars_contacts, policy)
    ours = as_polars(frames.attribute(polars_orders, polars_contacts, policy=policy))
    if not ours.equals(anchor_rows):
        print("the hand-written query DIFFERS from otocore.frames.attribute: not timed")
        return False
    print(
        f"the hand-written query gives otocore's rows: {anchor_rows.height:,} attributed sales "
        f"of {orders.num_rows:,} orders"
    )
    runners: dict[str, Callable[[], Any]] = {
        ANCHOR: lambda: polars_attribution(polars_orders, polars_contacts, policy),
        CHECKED_ANCHOR: lambda: checked_polars_attribution(polars_orders, polars_contacts, policy),
    }
    for engine in engines:
        inputs = engine_inputs(engine, orders, contacts)

        def run(inputs: Callable[[], tuple[Any, Any]] = inputs, engine: str = engine) -> Any:
            result = frames.attribute(*inputs(), policy=policy)
            if engine == "polars-lazy":
                return result.collect()
            if engine == "duckdb":
                return result.to_arrow_table()
            return result

        runners[f"otocore.frames, {engine}"] = run
    measured, results = measure(runners, runs)
    print_table(
        f"median of {runs} runs, attribution, {orders.num_rows:,} orders, "
        f"{contacts.num_rows:,} contacts",
        measured,
        ANCHOR,
        orders.num_rows,
    )
    agree = True
    for name, result in results.items():
        same = as_polars(result).equals(anchor_rows)
        agree = agree and same
        print(f"{name}: {'identical' if same else 'DIFFERENT'} to the hand-written Polars rows")
    return agree


def run_reference(n_orders: int, n_contacts: int, runs: int, policy: AttributionPolicy) -> bool:
    """Time :func:`otocore.attribution.attribute` on objects beside the anchor on the same brand."""
    orders, contacts = make_brand(n_orders, n_contacts, seed=20260511)
    began = time.perf_counter()
    objects = as_objects(orders, contacts)
    print(
        f"reference brand: {n_orders:,} orders, {n_contacts:,} contacts built as objects "
        f"in {time.perf_counter() - began:.1f} s (not timed below)"
    )
    polars_orders, polars_contacts = engine_inputs("polars", orders, contacts)()
    runners: dict[str, Callable[[], Any]] = {
        ANCHOR: lambda: polars_attribution(polars_orders, polars_contacts, policy),
        "otocore.attribution (reference)": lambda: attribution.attribute(*objects, policy=policy),
    }
    measured, results = measure(runners, runs)
    print_table(
        f"median of {runs} runs, the reference rule on objects, {n_orders:,} orders",
        measured,
        ANCHOR,
        n_orders,
    )
    anchor = results[ANCHOR].select("order_id", "contact_id", "seller_code", "total_cents").rows()
    same = reference_rows(results["otocore.attribution (reference)"]) == anchor
    print(f"otocore.attribution: {'identical' if same else 'DIFFERENT'} to the hand-written rows")
    return same


# the views and the report -------------------------------------------------------------------


MONTH = (date(2026, 4, 1), date(2026, 4, 30))  # the last whole month before AS_OF


def month_of(
    orders: pa.Table, contacts: pa.Table, policy: AttributionPolicy
) -> tuple[pa.Table, pa.Table]:
    """The orders placed in :data:`MONTH` (local days) and the contacts that can earn them."""
    zone = ZoneInfo(DEFAULT_TIME_ZONE)
    first = datetime(MONTH[0].year, MONTH[0].month, MONTH[0].day, tzinfo=zone).astimezone(UTC)
    after = datetime(MONTH[1].year, MONTH[1].month, MONTH[1].day, tzinfo=zone) + timedelta(days=1)
    end = after.astimezone(UTC)
    instant = pa.timestamp("us", tz="UTC")

    def between(column: pa.ChunkedArray, low: datetime, high: datetime) -> Any:
        return pc.and_(
            pc.greater_equal(column, pa.scalar(low, instant)),
            pc.less(column, pa.scalar(high, instant)),
        )

    sold = orders.filter(between(orders["placed_at"], first, end))
    talks = contacts.filter(between(contacts["started_at"], first - policy.window, end))
    return sold, talks


def sellers_of_brand(n_orders: int) -> list[Seller]:
    """The brand's registered sellers, ten a store (5,000 from 1M orders on)."""
    return [
        Seller(code=f"V{s:05d}", name=f"Vendedor {s}", store_id=f"L{s // SELLERS_PER_STORE:03d}")
        for s in range(stores_of(n_orders) * SELLERS_PER_STORE)
    ]


def _time(run: Callable[[], Any], runs: int) -> tuple[float, float, float | None, Any]:
    """Median wall and CPU seconds of ``runs`` runs, the peak RSS above what was held, the result."""
    walls: list[float] = []
    cpus: list[float] = []
    gc.collect()
    held = _rss_mib("VmRSS")
    peak: float | None = None
    result: Any = None
    for _ in range(runs):
        del result
        resettable = _reset_peak_rss()
        wall, cpu = time.perf_counter(), time.process_time()
        result = run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
        high = _rss_mib("VmHWM") if resettable else None
        if high is not None and held is not None:
            global _HIGHEST  # noqa: PLW0603 - the whole run's peak, across the resets
            _HIGHEST = max(_HIGHEST, high)
            peak = max(peak or 0.0, high - held)
    return statistics.median(walls), statistics.median(cpus), peak, result


def month_frames(sold: pa.Table, talks: pa.Table) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The month's orders and contacts as the store's frames (``placed_frame``, ``started_frame``)."""
    orders = pl.DataFrame(pl.from_arrow(sold))
    contacts = pl.DataFrame(pl.from_arrow(talks)).with_columns(outcome=pl.lit("finished"))
    return orders, contacts


def run_views(orders: pa.Table, contacts: pa.Table, runs: int, policy: AttributionPolicy) -> bool:
    """Time the month's views and report: the columnar path, then the reference for comparison.

    The columnar path is what ``otocore results`` and ``otocore report`` run
    (:func:`otocore.results.load_results`): the month's orders and contacts as Polars frames
    (the stand-in for the store's ``placed_frame`` and ``started_frame``; timed),
    :func:`otocore.results.compute_results_frame`, then the report. The target (<= 10 s at
    10M orders) is for the three. The reference (``Order`` and ``Contact`` values, then
    :func:`otocore.results.compute_results`) is timed beside it, and the two results are
    checked equal.
    """
    sold, talks = month_of(orders, contacts, policy)
    sellers = sellers_of_brand(orders.num_rows)
    first, last = MONTH
    print(
        f"the views for {first:%Y-%m-%d} to {last:%Y-%m-%d}: {sold.num_rows:,} orders placed "
        f"in the month, {talks.num_rows:,} contacts from {policy.window_days} days before it"
    )
    steps: list[tuple[str, float, float, float | None]] = []
    wall, cpu, peak, month = _time(lambda: month_frames(sold, talks), runs)
    steps.append(("orders and contacts frames", wall, cpu, peak))

    def views() -> Results:
        return compute_results_frame(
            first_day=first,
            last_day=last,
            orders=month[0],
            contacts=month[1],
            sellers=sellers,
            policy=policy,
        )

    wall, cpu, peak, results = _time(views, runs)
    steps.append(("views (compute_results_frame)", wall, cpu, peak))
    wall, cpu, peak, page = _time(
        lambda: render_report(report_figures(results, brand="Marca Gerada")), runs
    )
    steps.append(("report (figures + HTML)", wall, cpu, peak))
    wall, cpu, peak, objects = _time(lambda: as_objects(sold, talks), 1)
    reference_steps = [("Order and Contact values", wall, cpu, peak)]

    def reference_views() -> Results:
        return compute_results(
            first_day=first,
            last_day=last,
            contacts=objects[1],
            orders=objects[0],
            sellers=sellers,
            policy=policy,
        )

    wall, cpu, peak, reference = _time(reference_views, 1)
    reference_steps.append(("views (compute_results)", wall, cpu, peak))
    print(f"median of {runs} runs (the reference: one run), one month of the brand")
    print(f"{'step':<40}{'seconds':>9}{'CPU s':>9}{'peak +MiB':>11}")
    for name, wall, cpu, peak in steps:
        shown = f"{peak:,.0f}" if peak is not None else "n/a"
        print(f"{name:<40}{wall:>9.3f}{cpu:>9.3f}{shown:>11}")
    total = sum(step[1] for step in steps)
    print(f"{'the report, in all':<40}{total:>9.3f}   (target: <= 10 s)")
    for name, wall, cpu, peak in reference_steps:
        shown = f"{peak:,.0f}" if peak is not None else "n/a"
        print(f"{'reference: ' + name:<40}{wall:>9.3f}{cpu:>9.3f}{shown:>11}")
    t = results.totals
    print(
        f"{t.attributed_sales:,} attributed sales, gross R$ {t.revenue_gross:,}, net "
        f"R$ {t.revenue_net:,}, {len(results.sellers):,} sellers ranked; "
        f"a page of {len(page) / 1e6:.1f} MB"
    )
    same = results == reference
    print(f"views: the columnar results are {'EQUAL' if same else 'NOT EQUAL'} to the reference's")
    # the views' attributed sales are the month's rows of the columnar attribution
    month_rows = as_polars(frames.attribute(sold, talks, policy=policy, include_cancelled=True))
    counted = t.attributed_sales == month_rows.height
    print(f"views: {'the same' if counted else 'a DIFFERENT'} count of sales as otocore.frames")
    return same and counted


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", type=int, default=10_000_000)
    parser.add_argument("--contacts", type=int, default=2_000_000)
    parser.add_argument("--reference-orders", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--engine",
        action="append",
        choices=ENGINES,
        help="an engine to run otocore.frames on (repeatable; default: all)",
    )
    parser.add_argument(
        "--part",
        action="append",
        choices=PARTS,
        help="a part to run (repeatable; default: all): the columnar attribution, the "
        "reference rule on objects, the month's views and report",
    )
    parser.add_argument(
        "--quick", action="store_true", help="20k orders, 4k contacts, 5k for the reference, 2 runs"
    )
    args = parser.parse_args(argv)
    if args.quick:
        n_orders, n_contacts, n_reference, runs = 20_000, 4_000, 5_000, 2
    else:
        n_orders, n_contacts, n_reference = args.orders, args.contacts, args.reference_orders
        runs = args.runs
    engines = args.engine or list(ENGINES)
    policy = AttributionPolicy()

    began = time.perf_counter()
    orders, contacts = make_brand(n_orders, n_contacts)
    print(
        f"{n_orders:,} orders and {n_contacts:,} contacts generated "
        f"in {time.perf_counter() - began:.1f} s"
    )
    parts = args.part or list(PARTS)
    ok = True
    if "attribution" in parts:
        ok = run_columnar(orders, contacts, engines, runs, policy)
    if "views" in parts:
        ok = run_views(orders, contacts, runs, policy) and ok
    del orders, contacts
    _POLARS.clear()
    gc.collect()
    if "reference" in parts:
        reference_contacts = max(1, n_reference * n_contacts // max(1, n_orders))
        ok = run_reference(n_reference, reference_contacts, runs, policy) and ok
    peak = max(_HIGHEST, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(f"peak RSS of the whole run: {peak:,.0f} MiB")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
