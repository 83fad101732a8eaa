"""Benchmark: bulk import and streaming of orders through the SQL adapter.

Imports ``--orders`` synthetic orders with ``uow.orders.add_many`` in one unit
of work (one transaction), then streams them back with ``iter_all``, and
prints rows per second and the peak memory of each phase (tracemalloc, in a
separate untimed pass). The orders are generated lazily, so the import never
holds them all in memory.

Usage::

    python benchmarks/storage.py                                  # 1M orders, SQLite file
    python benchmarks/storage.py --orders 100000
    python benchmarks/storage.py --url postgresql+psycopg://user@host/db  # an empty database
    python benchmarks/storage.py --quick
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from otocore.adapters.sql import open_database
from otocore.orders import Channel, Order

START = datetime(2023, 5, 10, tzinfo=UTC)


def synthetic_orders(n: int, *, seed: int = 20260510) -> Iterator[Order]:
    """``n`` seeded orders over three years, generated one at a time."""
    rng = random.Random(seed)
    span = 3 * 365 * 24 * 3600
    for i in range(n):
        online = rng.random() < 0.15
        yield Order(
            order_id=f"P{i:09d}",
            customer_id=f"C{rng.randrange(max(1, n // 4)):08d}",
            store_id=f"L{rng.randrange(500):03d}",
            placed_at=START + timedelta(seconds=rng.randrange(span)),
            total=Decimal(rng.randrange(1, 200_000)).scaleb(-2),
            seller_code=None if online else f"V{rng.randrange(5000):05d}",
            channel=Channel.ONLINE if online else Channel.STORE,
        )


def run(url: str, n: int) -> None:
    """Import ``n`` orders into ``url`` and stream them back, printing the timings."""
    with open_database(url, upgrade=True) as db:
        uow = db.unit_of_work()
        began = time.perf_counter()
        with uow:
            uow.orders.add_many(synthetic_orders(n))
        imported = time.perf_counter() - began
        began = time.perf_counter()
        with uow:
            count = sum(1 for _ in uow.orders.iter_all())
        streamed = time.perf_counter() - began
        tracemalloc.start()
        with uow:
            for _ in uow.orders.iter_all():
                pass
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    print(f"database          {db.dialect}")
    print(f"orders            {count:,}")
    print(f"add_many          {imported:8.1f} s  {n / imported:10,.0f} orders/s")
    print(f"iter_all          {streamed:8.1f} s  {count / streamed:10,.0f} orders/s")
    print(f"iter_all peak     {peak / 2**20:8.1f} MiB (tracemalloc)")


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and run the benchmark."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--orders", type=int, default=1_000_000, help="orders to import")
    parser.add_argument("--url", help="an empty database (default: a new SQLite file)")
    parser.add_argument("--quick", action="store_true", help="10,000 orders")
    args = parser.parse_args(argv)
    n = 10_000 if args.quick else args.orders
    if args.url:
        run(args.url, n)
        return
    with tempfile.TemporaryDirectory() as folder:
        run(str(Path(folder) / "otocore.db"), n)


if __name__ == "__main__":
    main()
