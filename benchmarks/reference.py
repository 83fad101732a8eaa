"""Benchmark: the reference rules on ``Order`` objects beside a plain Python loop over them.

One seeded brand (``--orders`` orders, one customer per ten orders, 500 stores of
ten sellers, three years before ``as_of``, 15% online orders without a seller, 5%
cancelled; instants in UTC, as the stores give them) is drawn once as plain
Python values. Then, in the same run:

* **building** the ``Order`` objects from those values, timed, beside the same
  values put into a bare ``attrs.frozen`` class of the same fields without any
  validation (the floor of an attrs value in CPython);
* **the reference rules** ``otocore.rfv.rfv_scores`` and
  ``otocore.distribution.preferred_sellers`` with their default policies, timed
  together, beside **a plain loop**: two straightforward Python functions
  (one per rule, as a programmer would write them, with nothing from otocore
  but the policy's values) that compute the same results from the same
  ``Order`` objects: raw RFV values, quantile scores and segments; visits,
  tallies, the tie-breaks and ``decided_by``.

The script checks, every time, that the reference and the loop agree customer
for customer, to the centavo and the tie-break. It prints the median
wall-clock seconds of ``--repeat`` runs (taken round robin, so that a shared
machine's load falls on every runner alike), orders per second, the ratios
(the loop's time over the reference's: >= 1 means the reference is as fast;
the rules' time over the building time: >= 1 means building costs no more than
the rules that read it) and the peak RSS after each stage.

Usage::

    python benchmarks/reference.py                   # 1M orders, 3 runs
    python benchmarks/reference.py --orders 100000   # while developing
    flock /work/bench.lock python benchmarks/reference.py --repeat 5
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import time
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import attrs

from otocore.distribution import PreferredSellerPolicy, preferred_sellers
from otocore.orders import Channel, Order, OrderStatus
from otocore.rfv import RfvPolicy, rfv_scores

AS_OF = date(2026, 5, 10)
STORES = 500
SELLERS_PER_STORE = 10
YEARS = 3

T = TypeVar("T")


# the brand --------------------------------------------------------------------------------


Row = tuple[str, str, str, datetime, Decimal, str | None, OrderStatus, Channel]


def make_values(n_orders: int, *, seed: int = 20260510) -> list[Row]:
    """The fields of ``n_orders`` orders of a seeded brand, as rows of plain Python values."""
    rng = random.Random(seed)
    n_customers = max(1, n_orders // 10)
    customers = [f"C{c:08d}" for c in range(n_customers)]
    stores = [f"L{s:03d}" for s in range(STORES)]
    sellers = [f"V{s:05d}" for s in range(STORES * SELLERS_PER_STORE)]
    end = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 23, 59, tzinfo=UTC)
    span = int(timedelta(days=365 * YEARS).total_seconds())
    epoch = datetime(1970, 1, 1, tzinfo=UTC)
    end_s = int((end - epoch).total_seconds())
    completed, cancelled = OrderStatus.COMPLETED, OrderStatus.CANCELLED
    rows: list[Row] = []
    for n in range(n_orders):
        customer = rng.randrange(n_customers)
        home = customer % STORES  # most of a customer's orders are in their home store
        store = home if rng.random() < 0.8 else rng.randrange(STORES)
        online = rng.random() < 0.15
        seller = None if online else sellers[store * SELLERS_PER_STORE + rng.randrange(10)]
        rows.append(
            (
                f"P{n:09d}",
                customers[customer],
                stores[store],
                epoch + timedelta(seconds=end_s - rng.randrange(span)),
                Decimal(rng.randrange(1_000, 100_000)).scaleb(-2),
                seller,
                cancelled if rng.random() < 0.05 else completed,
                Channel.ONLINE if online else Channel.STORE,
            )
        )
    return rows


@attrs.frozen(kw_only=True)
class BareOrder:
    """The fields of ``Order`` in a frozen attrs class without validators or converters."""

    order_id: str
    customer_id: str
    store_id: str
    placed_at: datetime
    total: Decimal
    seller_code: str | None
    status: OrderStatus = OrderStatus.COMPLETED
    channel: Channel = Channel.STORE


def build_orders(rows: list[Row]) -> list[Order]:
    return [
        Order(
            order_id=order_id,
            customer_id=customer_id,
            store_id=store_id,
            placed_at=placed_at,
            total=total,
            seller_code=seller_code,
            status=status,
            channel=channel,
        )
        for order_id, customer_id, store_id, placed_at, total, seller_code, status, channel in rows
    ]


def build_bare(rows: list[Row]) -> list[BareOrder]:
    return [
        BareOrder(
            order_id=order_id,
            customer_id=customer_id,
            store_id=store_id,
            placed_at=placed_at,
            total=total,
            seller_code=seller_code,
            status=status,
            channel=channel,
        )
        for order_id, customer_id, store_id, placed_at, total, seller_code, status, channel in rows
    ]


# the plain loop ---------------------------------------------------------------------------

RfvRow = tuple[int, int, Decimal, int, int, int, str]
PreferenceRow = tuple[str, str, tuple[tuple[str, int, int, datetime], ...]]


def loop_rfv(orders: Sequence[Order], as_of: date, policy: RfvPolicy) -> dict[str, RfvRow]:
    """RFV scores and segments: one pass to aggregate, then rank each of R, F and V."""
    zone = ZoneInfo(policy.time_zone)
    start = as_of - policy.window
    per: dict[str, list[Any]] = {}  # customer -> [last day, frequency, value]
    for o in orders:
        if o.status is not OrderStatus.COMPLETED:
            continue
        day = o.placed_at.astimezone(zone).date()
        if day > as_of:
            continue
        acc = per.get(o.customer_id)
        if acc is None:
            acc = per[o.customer_id] = [day, 0, Decimal(0)]
        elif day > acc[0]:
            acc[0] = day
        if day > start:
            acc[1] += 1
            acc[2] += o.total
    ids = sorted(per)
    n, bins = len(ids), policy.bins

    def scores(values: list[Any], *, lower_is_better: bool) -> list[int]:
        first: dict[Any, int] = {}  # value -> score of its first place, worst first
        for i, x in enumerate(sorted(values, reverse=lower_is_better)):
            if x not in first:
                first[x] = 1 + bins * i // n
        return [first[x] for x in values]

    recency = [(as_of - per[c][0]).days for c in ids]
    frequency = [per[c][1] for c in ids]
    value = [per[c][2] for c in ids]
    r = scores(recency, lower_is_better=True)
    f = scores(frequency, lower_is_better=False)
    v = scores(value, lower_is_better=False)
    cells = {
        cell: segment.key
        for segment in policy.grid.segments
        for box in segment.rectangles
        for cell in box.cells()
    }
    return {
        c: (recency[i], frequency[i], value[i], r[i], f[i], v[i], cells[r[i], f[i]])
        for i, c in enumerate(ids)
    }


def loop_preferred(
    orders: Sequence[Order], as_of: date, policy: PreferredSellerPolicy
) -> dict[str, PreferenceRow]:
    """Preferred sellers: visits per (customer, seller), then rank each customer's sellers."""
    zone = ZoneInfo(policy.time_zone)
    start = as_of - policy.window
    per: dict[tuple[str, str], list[Any]] = {}  # (customer, seller) -> [{(store, day)}, last]
    for o in orders:
        if o.status is not OrderStatus.COMPLETED or o.seller_code is None:
            continue
        day = o.placed_at.astimezone(zone).date()
        if not start < day <= as_of:
            continue
        acc = per.get((o.customer_id, o.seller_code))
        if acc is None:
            per[o.customer_id, o.seller_code] = [{(o.store_id, day)}, o.placed_at]
        else:
            acc[0].add((o.store_id, day))
            acc[1] = max(acc[1], o.placed_at)
    sellers: dict[str, list[tuple[str, int, int, datetime]]] = {}
    for (customer, code), (visits, last) in per.items():
        row = (code, len(visits), min(len(visits), policy.cap), last)
        sellers.setdefault(customer, []).append(row)
    result: dict[str, PreferenceRow] = {}
    for customer in sorted(sellers):
        by_code = sorted(sellers[customer])  # lowest code first among equals
        ranked = tuple(sorted(by_code, key=lambda t: (t[2], t[3]), reverse=True))
        if len(ranked) == 1:
            decided_by = "only_candidate"
        elif ranked[0][2] != ranked[1][2]:
            decided_by = "tally"
        elif ranked[0][3] != ranked[1][3]:
            decided_by = "most_recent_sale"
        else:
            decided_by = "seller_code"
        result[customer] = (ranked[0][0], decided_by, ranked)
    return result


# running ----------------------------------------------------------------------------------


def _timed(run: Callable[[], T]) -> tuple[float, float, T]:
    """Wall-clock and CPU seconds of ``run()``, and its result."""
    gc.collect()  # every runner starts with the same heap and no garbage of the one before
    began, began_cpu = time.perf_counter(), time.process_time()
    result = run()
    return time.perf_counter() - began, time.process_time() - began_cpu, result


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reference_rows(
    scores: dict[str, Any], prefs: dict[str, Any]
) -> tuple[list[tuple[str, RfvRow]], list[tuple[str, PreferenceRow]]]:
    rfv = [
        (c, (s.recency_days, s.frequency, s.value, s.r, s.f, s.v, s.segment))
        for c, s in scores.items()
    ]
    preferred = [
        (
            c,
            (
                p.seller_code,
                p.decided_by.value,
                tuple((t.seller_code, t.visits, t.tally, t.last_sale_at) for t in p.tallies),
            ),
        )
        for c, p in prefs.items()
    ]
    return rfv, preferred


Times = dict[str, tuple[float, float]]  # runner -> median wall-clock and CPU seconds


def _medians(walls: dict[str, list[float]], cpus: dict[str, list[float]]) -> Times:
    return {name: (statistics.median(walls[name]), statistics.median(cpus[name])) for name in walls}


def time_building(rows: list[Row], repeat: int) -> tuple[Times, list[Order]]:
    """Median seconds of building the Orders and the bare values; the Orders of the last run."""
    builders: dict[str, Callable[[list[Row]], list[Any]]] = {
        "bare attrs class": build_bare,
        "Order(...)": build_orders,
    }
    walls: dict[str, list[float]] = {name: [] for name in builders}
    cpus: dict[str, list[float]] = {name: [] for name in builders}
    orders: list[Order] = []
    for _ in range(repeat):  # round robin
        for name, build in builders.items():
            orders = []
            wall, cpu, built = _timed(lambda build=build: build(rows))  # type: ignore[misc]
            walls[name].append(wall)
            cpus[name].append(cpu)
            if name == "Order(...)":
                orders = built
            del built
    return _medians(walls, cpus), orders


def time_rules(orders: list[Order], repeat: int) -> tuple[Times, tuple[int, int]]:
    """Median seconds of the reference rules and of the loop, checked equal on every run."""
    rfv_policy, preferred_policy = RfvPolicy(), PreferredSellerPolicy()

    def reference() -> tuple[dict[str, Any], dict[str, Any]]:
        return (
            rfv_scores(orders, AS_OF, policy=rfv_policy),
            preferred_sellers(orders, AS_OF, policy=preferred_policy),
        )

    def loop() -> tuple[dict[str, RfvRow], dict[str, PreferenceRow]]:
        return loop_rfv(orders, AS_OF, rfv_policy), loop_preferred(orders, AS_OF, preferred_policy)

    walls: dict[str, list[float]] = {"reference rules": [], "plain loop": []}
    cpus: dict[str, list[float]] = {"reference rules": [], "plain loop": []}
    for _ in range(repeat):  # round robin, so that the machine's load falls on both alike
        wall, cpu, (scores, prefs) = _timed(reference)
        walls["reference rules"].append(wall)
        cpus["reference rules"].append(cpu)
        got = _reference_rows(scores, prefs)  # untimed: the loop's shape, for the comparison
        del scores, prefs
        wall, cpu, (rfv_rows, preferred_rows) = _timed(loop)
        walls["plain loop"].append(wall)
        cpus["plain loop"].append(cpu)
        if got != (list(rfv_rows.items()), list(preferred_rows.items())):
            raise SystemExit("the reference rules and the plain loop DISAGREE")
        del rfv_rows, preferred_rows
    return _medians(walls, cpus), (len(got[0]), len(got[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    n, repeat = args.orders, args.repeat

    rows = make_values(n)
    print(f"{n:,} orders drawn; peak RSS {_peak_mib():,.0f} MiB")
    build, orders = time_building(rows, repeat)
    del rows
    gc.collect()
    build_peak = _peak_mib()
    rules, (scored, preferred) = time_rules(orders, repeat)
    rules_peak = _peak_mib()

    print(f"median of {repeat} runs, {n:,} orders, as_of {AS_OF}, default policies")
    print(f"{'step':<40}{'seconds':>9}{'orders/s':>12}{'CPU s':>8}")

    def line(name: str, seconds: tuple[float, float]) -> None:
        print(f"{name:<40}{seconds[0]:>9.3f}{n / seconds[0]:>12,.0f}{seconds[1]:>8.3f}")

    line("build Order objects", build["Order(...)"])
    line("  anchor: build a bare attrs class", build["bare attrs class"])
    line("rfv_scores + preferred_sellers", rules["reference rules"])
    line("  anchor: plain loop, same results", rules["plain loop"])

    def ratio(name: str, top: tuple[float, float], bottom: tuple[float, float], note: str) -> None:
        print(f"{name}: {top[0] / bottom[0]:.2f}x (CPU {top[1] / bottom[1]:.2f}x) {note}")

    ratio(
        "reference rules vs plain loop",
        rules["plain loop"],
        rules["reference rules"],
        "the loop's time / the reference's; >= 1: the reference is as fast",
    )
    ratio(
        "rules vs building",
        rules["reference rules"],
        build["Order(...)"],
        "the rules' time / the building time; >= 1: building costs no more",
    )
    ratio(
        "building vs bare attrs",
        build["Order(...)"],
        build["bare attrs class"],
        "what validation adds",
    )
    print("CPU: process time, steadier than wall-clock on a shared machine")
    print(
        f"{scored:,} customers scored and {preferred:,} preferred sellers, "
        "identical in the reference and the loop on every run"
    )
    print(f"peak RSS: {build_peak:,.0f} MiB after building, {rules_peak:,.0f} MiB after the rules")


if __name__ == "__main__":
    main()
