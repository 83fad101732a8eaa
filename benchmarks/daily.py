"""Benchmark: the daily job (``otocore.daily.run_daily``) beside a hand-written Polars job.

Generates a seeded brand (default 1,000,000 orders, 100,000 customers, 500 stores x 10
sellers, orders from 2022-11-01 to 2026-10-31), loads it ONCE into a SQLite store, then
for each of ``--repeat`` rounds copies that store twice and runs on the copies, in child
processes (so each peak RSS is its own):

* ours: ``run_daily(uow, as_of)`` through ``open_database(...).unit_of_work()``;
* the anchor: a hand-written job (benchmarks/_dailyjob.py ``anchor_job``): ADBC reads of
  the completed orders, plain Polars expressions of docs/rules/rfv.md,
  docs/rules/preferred-seller.md and otocore.daily's carteira rules, bulk writes (ADBC
  ingest) of the carteiras, the RFV snapshot and the run log in one transaction.

After every round it CHECKS that the two stores hold the same carteiras, RFV snapshot
(money compared as numbers), run counts and run changes, row for row, and stops if not.
It prints seconds, orders/s and peak RSS of each, and the ratio ours/anchor, as medians.

Loading: by default the brand is written as CSV and imported with ``otocore.importing``
(and the import's rows/s are printed). ``--bulk-load`` instead takes the stores and sellers
from ``otocore.sample`` and draws customers and orders columnar with NumPy (each customer a
home store, 80% of store orders there, four years of orders, 15% online without a seller,
5% cancelled), written with ADBC ingest in the SQLite adapter's stored forms: 10M orders load
in minutes, where the generator and the importer would take hours. The brand differs from
``otocore.sample``'s (no seasons, no favourite sellers), so compare figures of the same
loading only. ``--anchor-only`` runs the hand-written job alone (to try a size).

``--previous-day`` runs ``run_daily`` a week earlier on the store first, inactivates some
sellers and hands some customers out by hand, so that the measured run meets existing
carteiras (kept, moved, manual kept or dropped), as in production, instead of an empty table.

``--postgresql`` also starts a throwaway PostgreSQL server (as tests/contract does), COPYs
the store into it once, and runs both jobs there too (each round on a fresh
``CREATE DATABASE ... TEMPLATE`` copy), with the ratio of PostgreSQL to SQLite.

    python benchmarks/daily.py --orders 100000 --customers 10000 --repeat 1
    flock /work/bench.lock python benchmarks/daily.py --postgresql     # 1M orders, 3 rounds
    flock /work/bench.lock python benchmarks/daily.py --orders 10000000 --customers 1000000 \\
        --bulk-load --repeat 1
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import resource
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

AS_OF = date(2026, 11, 1)


def _ours(store: str, out: Any) -> None:
    from otocore.adapters.sql import open_database
    from otocore.daily import run_daily

    url = store.replace("postgresql://", "postgresql+psycopg://", 1)
    database = open_database(url)
    uow = database.unit_of_work()
    start = time.perf_counter()
    run = run_daily(uow, AS_OF)
    seconds = time.perf_counter() - start
    database.close()
    out.send((dict(run.counts), seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def _anchor(store: str, out: Any) -> None:
    import _dailyjob as dj  # not at the top: run_daily's child must not load Polars

    start = time.perf_counter()
    counts = dj.anchor_job(store, AS_OF)
    seconds = time.perf_counter() - start
    out.send((counts, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def _build(db: str, sizes: dict[str, Any], orders: int, flags: tuple[bool, bool], out: Any) -> None:
    import _dailyjob as dj  # not at the top: run_daily's child must not load Polars

    bulk, previous = flags
    text = dj.build_sqlite_store(db, sizes, orders, bulk=bulk)
    if previous:
        text += "; " + dj.previous_day(db, AS_OF)
    out.send((text, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def _compare(ours: str, anchor: str, out: Any) -> None:
    import _dailyjob as dj  # not at the top: run_daily's child must not load Polars

    out.send(dj.differences(dj.job_output(ours, AS_OF), dj.job_output(anchor, AS_OF)))


def _in_child(target: Any, *args: Any) -> Any:
    ctx = mp.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(*args, send))
    proc.start()
    send.close()  # so that recv() sees the end if the child dies
    try:
        result = receive.recv()
    except EOFError:
        result = None
    proc.join()
    if proc.exitcode != 0 or result is None:
        raise SystemExit(f"{target.__name__} failed with exit code {proc.exitcode}")
    return result


def _round(
    name: str, i: int, ours_store: str, anchor_store: str, *, anchor_only: bool = False
) -> dict[str, float]:
    """Run ours and the anchor on two fresh copies of the store; check; return the timings."""
    anchor_counts, anchor_seconds, anchor_rss = _in_child(_anchor, anchor_store)
    if anchor_only:
        print(
            f"{name} round {i + 1}: anchor only (--anchor-only: no run_daily, no check) "
            f"{anchor_seconds:.2f} s (peak {anchor_rss / 1024:,.0f} MiB); {anchor_counts}",
            flush=True,
        )
        nan = float("nan")
        return {
            "ours": nan,
            "ours_rss": nan,
            "anchor": anchor_seconds,
            "anchor_rss": anchor_rss / 1024,
        }
    counts, seconds, rss = _in_child(_ours, ours_store)
    faults = _in_child(_compare, ours_store, anchor_store)
    if faults or counts != anchor_counts:
        print(f"{name} round {i + 1}: the anchor's output DIFFERS from run_daily's:")
        for fault in faults or [f"counts {counts} vs {anchor_counts}"]:
            print(f"  {fault}")
        raise SystemExit(1)
    print(
        f"{name} round {i + 1}: run_daily {seconds:.2f} s (peak {rss / 1024:,.0f} MiB), "
        f"anchor {anchor_seconds:.2f} s (peak {anchor_rss / 1024:,.0f} MiB), "
        f"ratio {seconds / anchor_seconds:.1f}x; identical output "
        f"(carteiras, RFV snapshot, run counts and changes); {counts}",
        flush=True,
    )
    return {
        "ours": seconds,
        "ours_rss": rss / 1024,
        "anchor": anchor_seconds,
        "anchor_rss": anchor_rss / 1024,
    }


def _summary(name: str, figures: dict[str, list[float]], n_orders: int) -> float:
    ours, anchor = statistics.median(figures["ours"]), statistics.median(figures["anchor"])
    if math.isnan(ours):  # --anchor-only
        print(
            f"{name}, median of {len(figures['anchor'])}: hand-written Polars {anchor:.2f} s "
            f"({n_orders / anchor:,.0f} orders/s, "
            f"peak {statistics.median(figures['anchor_rss']):,.0f} MiB)"
        )
        return ours
    print(
        f"{name}, median of {len(figures['ours'])}: "
        f"run_daily {ours:.2f} s ({n_orders / ours:,.0f} orders/s, "
        f"peak {statistics.median(figures['ours_rss']):,.0f} MiB); "
        f"hand-written Polars {anchor:.2f} s ({n_orders / anchor:,.0f} orders/s, "
        f"peak {statistics.median(figures['anchor_rss']):,.0f} MiB); "
        f"ratio ours/anchor {ours / anchor:.1f}x"
    )
    return ours


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--sellers-per-store", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--bulk-load",
        action="store_true",
        help="write the generated brand straight into the tables instead of importing CSV",
    )
    parser.add_argument(
        "--previous-day",
        action="store_true",
        help="start from a store with an earlier run, inactivated sellers and manual carteiras",
    )
    parser.add_argument("--postgresql", action="store_true", help="also run on PostgreSQL")
    parser.add_argument(
        "--anchor-only",
        action="store_true",
        help="run only the hand-written job (no run_daily, no check): to try a size first",
    )
    parser.add_argument(
        "--directory", help="where the stores go (default: a temporary directory)", default=None
    )
    args = parser.parse_args()

    import _dailyjob as dj

    with tempfile.TemporaryDirectory(prefix="otocore-bench-", dir=args.directory) as tmp:
        base = str(Path(tmp) / "brand.sqlite")
        text, rss = _in_child(
            _build, base, dj.brand_sizes(args), args.orders, (args.bulk_load, args.previous_day)
        )
        size = Path(base).stat().st_size / 2**20
        print(
            f"store: {args.orders:,} orders, {args.customers:,} customers, "
            f"{args.stores} stores x {args.sellers_per_store} sellers; {text} "
            f"(peak {rss / 1024:,.0f} MiB; SQLite file {size:,.0f} MiB)"
        )

        def copies(i: int) -> tuple[str, str]:
            pair = (str(Path(tmp) / f"ours-{i}.sqlite"), str(Path(tmp) / f"anchor-{i}.sqlite"))
            for path in pair:
                shutil.copyfile(base, path)
            return pair

        sqlite_figures: dict[str, list[float]] = {}
        for i in range(args.repeat):  # one pair at a time: at 10M a store is gigabytes
            pair = copies(i)
            for key, value in _round("SQLite", i, *pair, anchor_only=args.anchor_only).items():
                sqlite_figures.setdefault(key, []).append(value)
            for path in pair:
                Path(path).unlink()
        sqlite_seconds = _summary("SQLite", sqlite_figures, args.orders)
        sqlite_anchor = statistics.median(sqlite_figures["anchor"])

        if args.postgresql:
            with dj.postgres_server() as server:
                seconds = dj.copy_to_postgresql(base, server, "brand")
                print(f"PostgreSQL: store COPYed from the SQLite file in {seconds:.1f} s")
                pg_figures: dict[str, list[float]] = {}
                for i in range(args.repeat):
                    pair = (f"ours_{i}", f"anchor_{i}")
                    for db in pair:
                        server.execute(f'CREATE DATABASE "{db}" TEMPLATE "brand"')
                    uris = (server.uri(pair[0]), server.uri(pair[1]))
                    for key, value in _round(
                        "PostgreSQL", i, *uris, anchor_only=args.anchor_only
                    ).items():
                        pg_figures.setdefault(key, []).append(value)
                    for db in pair:
                        server.execute(f'DROP DATABASE "{db}"')
                pg_seconds = _summary("PostgreSQL", pg_figures, args.orders)
                pg_anchor = statistics.median(pg_figures["anchor"])
                print(
                    f"PostgreSQL / SQLite: run_daily {pg_seconds / sqlite_seconds:.2f}x, "
                    f"hand-written {pg_anchor / sqlite_anchor:.2f}x; run_daily on PostgreSQL / "
                    f"hand-written on SQLite {pg_seconds / sqlite_anchor:.1f}x"
                )


if __name__ == "__main__":
    main()
