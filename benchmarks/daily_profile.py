"""Profile of the daily job on an existing SQLite store: seconds per phase, beside the anchor.

Runs ``otocore.daily.run_daily`` on fresh copies of a store (``--store``, a SQLite file of
a generated brand, e.g. one left by ``benchmarks/daily.py``), each in a child process so
its peak RSS is its own, alternating with the hand-written Polars job of
``benchmarks/_dailyjob.py`` (when that file is there) on copies of the same store; prints
the medians, the ratio and, with ``--phases``, where one run of the job spends its time
(read, rules, decide, write). ``--reference`` adds the object-at-a-time job
(``otocore.testing.reference_daily``).

    python benchmarks/daily_profile.py --store brand-1m.sqlite --repeat 3 --phases
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

AS_OF = date(2026, 11, 1)
HERE = Path(__file__).resolve().parent


def _fresh_copy(store: str, directory: str, name: str) -> str:
    target = os.path.join(directory, name)
    shutil.copy(store, target)
    for ext in ("-wal", "-shm"):
        if os.path.exists(target + ext):
            os.remove(target + ext)
    return target


def _child(which: str, db: str) -> None:
    """Run one job on ``db``; print seconds, peak RSS and counts as one JSON line."""
    if which == "anchor":
        sys.path.insert(0, str(HERE))
        from _dailyjob import anchor_job  # type: ignore[import-not-found]

        start = time.perf_counter()
        counts = anchor_job(db, AS_OF)
    else:
        from otocore.adapters.sql import open_database
        from otocore.daily import run_daily
        from otocore.testing import reference_daily

        job = reference_daily if which == "reference" else run_daily
        uow = open_database(db).unit_of_work()
        start = time.perf_counter()
        counts = dict(job(uow, AS_OF).counts)
    seconds = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mib": rss, "counts": counts}))


def _phases(db: str) -> None:
    """One run of the job's steps, timed one by one (the steps of ``run_daily``)."""
    import polars as pl

    from otocore import daily, frames
    from otocore.adapters.sql import open_database
    from otocore.portfolio import DailyRun
    from otocore.sellers import SellerStatus

    uow = open_database(db).unit_of_work()
    policy = daily.DailyPolicy()
    marks: list[tuple[str, float]] = []
    last = time.perf_counter()

    def mark(label: str) -> None:
        nonlocal last
        now = time.perf_counter()
        marks.append((label, now - last))
        last = now

    since, until = daily._read_bounds(AS_OF, policy)
    with uow:
        active = frozenset(uow.sellers.codes(status=SellerStatus.ACTIVE))
        window = uow.orders.completed_frame(since=since, until=until)
        mark(f"read: window's completed orders ({window.height:,} rows)")
        earlier = uow.orders.last_completed(before=since)
        mark(f"read: last order before it ({earlier.height:,} customers)")
        known = [uow.customers.ids(), uow.orders.customer_ids()]
        mark("read: customer ids, active sellers")
    orders = daily._rule_orders(window, earlier)
    preferences, scores = pl.collect_all(
        [
            frames.preferred_sellers(
                orders, AS_OF, policy=policy.preferred_seller, eligible=active
            ),
            frames.rfv_scores(orders, AS_OF, policy=policy.rfv),
        ]
    )
    customers = pl.concat([*known, window.select("customer_id")]).unique()
    mark("rules (otocore.frames, Polars)")
    with uow.writing():
        current = uow.portfolio.frame()
        active = frozenset(uow.sellers.codes(status=SellerStatus.ACTIVE))
        mark("write block: re-read carteiras and sellers")
        decided = daily._decide(customers, current, preferences, active, AS_OF)
        counts, changes = daily._counts(decided), daily._changes(decided)
        mark(f"write block: decide, {len(changes):,} changes")
        uow.portfolio.set_many(
            decided.filter(pl.col("_write")).select("customer_id", "seller_code", "since", "reason")
        )
        mark("write block: carteiras")
        uow.rfv.save(AS_OF, scores)
        mark(f"write block: RFV snapshot ({scores.height:,} rows)")
        now = datetime.now(UTC)
        uow.daily_runs.add(
            DailyRun(as_of=AS_OF, started_at=now, finished_at=now, counts=counts, changes=changes)
        )
        mark("write block: run log")
    mark("commit")
    for label, seconds in marks:
        print(f"  {label:55s} {seconds:6.2f} s")
    print(f"  {'total':55s} {sum(s for _, s in marks):6.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, help="a SQLite file of a generated brand")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--phases", action="store_true", help="also time the job's phases")
    parser.add_argument("--reference", action="store_true", help="also run reference_daily")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    jobs = ["ours"]
    if (HERE / "_dailyjob.py").exists():
        jobs.append("anchor")
    if args.reference:
        jobs.append("reference")
    results: dict[str, list[dict[str, float]]] = {job: [] for job in jobs}
    with tempfile.TemporaryDirectory(prefix="otocore-daily-profile-") as tmp:
        for i in range(args.repeat):
            for job in jobs:
                db = _fresh_copy(args.store, tmp, f"{job}-{i}.sqlite")
                out = subprocess.run(  # noqa: S603 - this interpreter, this script
                    [sys.executable, __file__, "--store", args.store, "--child", job, db],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                result = json.loads(out.stdout.strip().splitlines()[-1])
                results[job].append(result)
                print(
                    f"run {i + 1} {job:9s} {result['seconds']:6.2f} s  peak {result['rss_mib']:5.0f} MiB"
                )
                os.remove(db)
        for job, runs in results.items():
            seconds = statistics.median(r["seconds"] for r in runs)
            rss = statistics.median(r["rss_mib"] for r in runs)
            print(f"median {job:9s} {seconds:6.2f} s  peak {rss:5.0f} MiB  {runs[0]['counts']}")
        if "anchor" in results:
            ours = statistics.median(r["seconds"] for r in results["ours"])
            anchor = statistics.median(r["seconds"] for r in results["anchor"])
            print(f"ratio ours / anchor: {ours / anchor:.2f}")
        if args.phases:
            print("phases of one run of run_daily:")
            _phases(_fresh_copy(args.store, tmp, "phases.sqlite"))


if __name__ == "__main__":
    main()
