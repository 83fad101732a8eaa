"""Benchmark: import a generated brand into SQLite, then run the daily job.

Generates a seeded brand (default 1,000,000 orders, 100,000 customers, 500 stores x 10 sellers),
writes it as CSV, imports it into a fresh SQLite file with ``otocore.importing`` and runs
``otocore.daily.run_daily``. Prints rows per second for the import, seconds for the job and the
peak resident memory of each phase, as the median of ``--repeat`` runs. Each phase runs in a
child process so its peak memory is its own.

    python benchmarks/daily.py                 # 1M orders, 3 runs
    python benchmarks/daily.py --orders 100000 --repeat 1
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import resource
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

AS_OF = date(2026, 11, 1)


def _generate(directory: Path, args: argparse.Namespace) -> None:
    from otocore.sample import generate_brand, iter_orders, write_brand

    sizes: dict[str, Any] = {
        "seed": args.seed,
        "stores": args.stores,
        "sellers_per_store": args.sellers_per_store,
        "customers": args.customers,
    }
    brand = generate_brand(**sizes, orders=1)
    write_brand(brand, directory, orders=iter_orders(**sizes, orders=args.orders))


def _import(directory: str, db: str, out: Any) -> None:
    from otocore.adapters.sql import open_database
    from otocore.importing import import_directory

    uow = open_database(db, upgrade=True).unit_of_work()
    start = time.perf_counter()
    summaries = import_directory(uow, directory)
    seconds = time.perf_counter() - start
    rows = sum(s.imported for s in summaries)
    out.send((rows, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def _daily(db: str, out: Any) -> None:
    from otocore.adapters.sql import open_database
    from otocore.daily import run_daily

    uow = open_database(db).unit_of_work()
    start = time.perf_counter()
    run = run_daily(uow, AS_OF)
    seconds = time.perf_counter() - start
    out.send((dict(run.counts), seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def _in_child(target: Any, *args: Any) -> Any:
    ctx = mp.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(*args, send))
    proc.start()
    result = receive.recv()
    proc.join()
    if proc.exitcode != 0:
        raise SystemExit(f"{target.__name__} failed with exit code {proc.exitcode}")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--sellers-per-store", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="otocore-bench-") as tmp:
        files = Path(tmp) / "brand"
        files.mkdir()
        start = time.perf_counter()
        _generate(files, args)
        print(f"generated {args.orders:,} orders in {time.perf_counter() - start:.1f} s")
        imports, jobs = [], []
        for i in range(args.repeat):
            db = str(Path(tmp) / f"brand-{i}.sqlite")
            rows, seconds, rss = _in_child(_import, str(files), db)
            imports.append((rows / seconds, seconds, rss))
            counts, seconds, rss = _in_child(_daily, db)
            jobs.append((seconds, rss))
            print(
                f"run {i + 1}: import {rows:,} rows in {imports[-1][1]:.1f} s "
                f"({imports[-1][0]:,.0f} rows/s, peak {imports[-1][2] / 1024:.0f} MiB); "
                f"daily job {seconds:.1f} s (peak {rss / 1024:.0f} MiB); {counts}"
            )
        print(
            "median: import "
            f"{statistics.median(r for r, _, _ in imports):,.0f} rows/s "
            f"({statistics.median(s for _, s, _ in imports):.1f} s, "
            f"peak {statistics.median(m for _, _, m in imports) / 1024:.0f} MiB); "
            f"daily job {statistics.median(s for s, _ in jobs):.1f} s "
            f"(peak {statistics.median(m for _, m in jobs) / 1024:.0f} MiB)"
        )


if __name__ == "__main__":
    main()
