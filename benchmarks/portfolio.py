"""Benchmark: RFV scores and preferred sellers over a synthetic brand.

Generates a seeded brand (500 stores, 5,000 sellers, three years of history,
about 15% online orders without a seller code and 5% cancelled orders) and
prints, for :func:`otocore.rfv.rfv_scores` and
:func:`otocore.distribution.preferred_sellers`, the orders processed per second
(median of ``--repeat`` timed runs, wall-clock and CPU time, since CPU time
is steadier on a shared machine) and the peak memory the call allocates
(measured by :mod:`tracemalloc` in one extra, untimed run, since tracing slows
the code down).

Usage::

    python benchmarks/portfolio.py                     # 100k and 1M orders
    python benchmarks/portfolio.py --sizes 50000 --repeat 5
    python benchmarks/portfolio.py --quick             # a tiny smoke run
"""

from __future__ import annotations

import argparse
import gc
import random
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from otocore.distribution import preferred_sellers
from otocore.orders import Channel, Order, OrderStatus

AS_OF = date(2026, 5, 10)
STORES = 500
SELLERS = 5_000
YEARS = 3
ONLINE_SHARE = 0.15
CANCELLED_SHARE = 0.05
ORDERS_PER_CUSTOMER = 4


def make_brand(n_orders: int, *, seed: int = 20260510) -> list[Order]:
    """A seeded synthetic brand's orders, placed over the ``YEARS`` before ``AS_OF``."""
    rng = random.Random(seed)
    stores = [f"L{n:03d}" for n in range(STORES)]
    per_store = SELLERS // STORES
    sellers = [[f"V{s:03d}{k:02d}" for k in range(per_store)] for s in range(STORES)]
    n_customers = max(1, n_orders // ORDERS_PER_CUSTOMER)
    customers = [f"C{n:07d}" for n in range(n_customers)]
    home = [rng.randrange(STORES) for _ in range(n_customers)]
    favourite = [rng.randrange(per_store) for _ in range(n_customers)]
    totals = [Decimal(rng.randrange(1_000, 100_000)).scaleb(-2) for _ in range(997)]
    end = datetime(AS_OF.year, AS_OF.month, AS_OF.day, 23, 59, tzinfo=UTC)
    span = int(timedelta(days=365 * YEARS).total_seconds())
    orders: list[Order] = []
    for n in range(n_orders):
        c = rng.randrange(n_customers)
        store = home[c] if rng.random() < 0.9 else rng.randrange(STORES)
        online = rng.random() < ONLINE_SHARE
        if online:
            seller = None
        elif store == home[c] and rng.random() < 0.6:
            seller = sellers[store][favourite[c]]
        else:
            seller = rng.choice(sellers[store])
        cancelled = rng.random() < CANCELLED_SHARE
        orders.append(
            Order(
                order_id=f"P{n:08d}",
                customer_id=customers[c],
                store_id=stores[store],
                placed_at=end - timedelta(seconds=rng.randrange(span)),
                total=totals[n % len(totals)],
                seller_code=seller,
                status=OrderStatus.CANCELLED if cancelled else OrderStatus.COMPLETED,
                channel=Channel.ONLINE if online else Channel.STORE,
            )
        )
    return orders


def _rules() -> list[tuple[str, Callable[[list[Order]], Any] | None]]:
    try:
        from otocore.rfv import rfv_scores
    except ImportError:
        rfv: Callable[[list[Order]], Any] | None = None
    else:

        def rfv(orders: list[Order]) -> Any:
            return rfv_scores(orders, AS_OF)

    def preferred(orders: list[Order]) -> Any:
        return preferred_sellers(orders, AS_OF)

    return [("rfv_scores", rfv), ("preferred_sellers", preferred)]


def _time_runs(
    fn: Callable[[list[Order]], Any], orders: list[Order], repeat: int
) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of ``repeat`` runs."""
    wall, cpu = [], []
    for _ in range(repeat):
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        fn(orders)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


def _peak_bytes(fn: Callable[[list[Order]], Any], orders: list[Order]) -> int:
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        result = fn(orders)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def _maxrss_mib() -> float:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # kilobytes on Linux, bytes on macOS
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def run(sizes: Sequence[int], repeat: int, seed: int) -> None:
    """Print one line per (size, rule)."""
    rules = _rules()
    print(f"python {sys.version.split()[0]}, repeat={repeat}, seed={seed}, as_of={AS_OF}")
    header = (
        f"{'rule':<18} {'orders':>10} {'wall s':>8} {'cpu s':>8} "
        f"{'orders/s':>10} {'orders/cpu s':>12} {'peak MiB':>9}"
    )
    for size in sizes:
        start = time.perf_counter()
        orders = make_brand(size, seed=seed)
        built = time.perf_counter() - start
        print(f"\nbrand of {size:,} orders built in {built:.1f} s")
        print(header)
        for name, fn in rules:
            if fn is None:
                print(f"{name:<18} {size:>10,} skipped: otocore.rfv is not available")
                continue
            wall, cpu = _time_runs(fn, orders, repeat)
            peak = _peak_bytes(fn, orders) / (1024 * 1024)
            rate = size / wall if wall else float("inf")
            cpu_rate = size / cpu if cpu else float("inf")
            print(
                f"{name:<18} {size:>10,} {wall:>8.3f} {cpu:>8.3f} "
                f"{rate:>10,.0f} {cpu_rate:>12,.0f} {peak:>9.1f}"
            )
        del orders
        gc.collect()
    print(f"\nprocess max RSS: {_maxrss_mib():,.0f} MiB")


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the flags and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--sizes",
        default="100000,1000000",
        help="comma-separated numbers of orders (default: 100000,1000000)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per size (median)")
    parser.add_argument("--seed", type=int, default=20260510, help="seed of the synthetic brand")
    parser.add_argument("--quick", action="store_true", help="one tiny size, one run")
    args = parser.parse_args(argv)
    if args.quick:
        sizes, repeat = [2_000], 1
    else:
        sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
        repeat = args.repeat
    if repeat < 1 or any(s < 1 for s in sizes):
        parser.error("--sizes and --repeat must be positive")
    run(sizes, repeat, args.seed)


if __name__ == "__main__":
    main()
