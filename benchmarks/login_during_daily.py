"""Benchmark: the latency of logins while the daily job runs, beside logins with no job running.

A seeded brand (default 1,000,000 orders, 100,000 customers) is bulk-loaded into a SQLite
store (as ``benchmarks/daily.py --bulk-load`` does: customers and orders drawn with NumPy,
not ``otocore.sample``'s brand), with one brand-admin account. Then,
each on a fresh copy of that store:

1. the job alone: ``run_daily(uow, as_of)`` in a child process, timed (D seconds);
2. the anchor: ``--logins`` logins (``AccountService.login`` with the right e-mail,
   password and PIN) from another process, with no job running;
3. during the job: the job starts in one child process and, as soon as it is inside
   ``run_daily``, the same logins are made from another.

The logins are scheduled open-loop, evenly over 90% of D (the same schedule in 2 and 3),
from a pool of 8 threads, so a login stuck behind the job's write lock does not delay the
schedule of the next ones; a login's latency runs from its scheduled start to its answer
(its wait for a free thread included). A login that fails (``StoreBusy`` after SQLite's
30 s busy timeout, say) counts with the time it took, and is reported.

The accounts use ``SecretHasher.insecure_for_tests()`` (Argon2id, 8 KiB, 1 pass: about a
millisecond) instead of production parameters (benchmarks/login.py measures those), so the
figures are waiting for the store, not hashing. Prints p50/p95/p99/max latency of both,
and how many logins started while the job was still running. Target: p99 <= 250 ms.

    python benchmarks/login_during_daily.py --orders 100000 --customers 10000
    flock /work/bench.lock python benchmarks/login_during_daily.py --postgresql     # 1M
"""

from __future__ import annotations

import argparse
import math
import multiprocessing as mp
import shutil
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

AS_OF = date(2026, 11, 1)
EMAIL = "admin@example.com"
PASSWORD = "cavalo correto bateria grampo"  # noqa: S105 - a benchmark account's password
PIN = "482913"
THREADS = 8


def _url(store: str) -> str:
    return store.replace("postgresql://", "postgresql+psycopg://", 1)


def _service(database: Any) -> Any:
    from otocore.accounts import AccountService, SecurityPolicy
    from otocore.adapters.mail import InMemoryMailer
    from otocore.auth import LockoutPolicy, SecretHasher
    from otocore.clock import SystemClock

    return AccountService(
        database.unit_of_work,
        mailer=InMemoryMailer(),
        clock=SystemClock(),
        policy=SecurityPolicy(
            app_url="https://app.example.com", lockout=LockoutPolicy(max_failures=100)
        ),
        hasher=SecretHasher.insecure_for_tests(),  # measure waiting, not hashing
    )


def _make_account(store: str) -> None:
    from otocore.adapters.sql import open_database

    database = open_database(_url(store))
    _service(database).create_first_admin(email=EMAIL, password=PASSWORD, pin=PIN)
    database.close()


def _build(db: str, sizes: dict[str, Any], orders: int, out: Any) -> None:
    import _dailyjob as dj

    text = dj.build_sqlite_store(db, sizes, orders, bulk=True)
    _make_account(db)
    out.send(text)


def _job(store: str, ready: Any, go: Any, out: Any) -> None:
    from otocore.adapters.sql import open_database
    from otocore.daily import run_daily

    database = open_database(_url(store))
    uow = database.unit_of_work()
    ready.set()
    go.wait()
    began = time.time()
    run_daily(uow, AS_OF)
    ended = time.time()
    database.close()
    out.send((began, ended))


def _probe(store: str, schedule: tuple[int, float], ready: Any, go: Any, out: Any) -> None:
    from otocore.adapters.sql import open_database

    logins, interval = schedule
    database = open_database(_url(store))
    service = _service(database)
    with ThreadPoolExecutor(THREADS) as pool:  # warm-up: one connection per thread
        list(pool.map(lambda _: service.login(EMAIL, PASSWORD, PIN), range(THREADS)))
    ready.set()
    go.wait()
    start = time.time() + 0.2  # let the job get inside run_daily first
    results: list[tuple[float, float, str]] = [(0.0, 0.0, "")] * logins

    def login(i: int) -> None:
        scheduled = start + i * interval
        delay = scheduled - time.time()
        if delay > 0:
            time.sleep(delay)
        error = ""
        try:
            service.login(EMAIL, PASSWORD, PIN)
        except Exception as exc:  # noqa: BLE001 - a failed login is a figure, not a crash
            error = type(exc).__name__
        results[i] = (scheduled, time.time(), error)

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(login, range(logins)))
    database.close()
    out.send(results)


def _spawn(ctx: Any, target: Any, *args: Any) -> tuple[Any, Any]:
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(*args, send))
    proc.start()
    send.close()
    return proc, receive


def _receive(proc: Any, receive: Any) -> Any:
    try:
        result = receive.recv()
    except EOFError:
        result = None
    proc.join()
    if proc.exitcode != 0 or result is None:
        raise SystemExit(f"a child process failed with exit code {proc.exitcode}")
    return result


def _session(store: str, *, job: bool, probe: bool, logins: int, interval: float) -> Any:
    """Start the job and/or the prober in child processes together; return what they send."""
    ctx = mp.get_context("spawn")
    go = ctx.Event()
    children = []
    if job:
        ready = ctx.Event()
        children.append((_spawn(ctx, _job, store, ready, go), ready))
    if probe:
        ready = ctx.Event()
        children.append((_spawn(ctx, _probe, store, (logins, interval), ready, go), ready))
    for _, ready in children:
        ready.wait()
    go.set()
    return [_receive(*child) for child, _ in children]


def _percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile: of 100 values, p99 is the 99th smallest."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(q * len(ordered)) - 1)]


def _report(
    name: str, results: list[tuple[float, float, str]], job: tuple[float, float] | None
) -> str:
    latencies = [(end - scheduled) * 1000 for scheduled, end, _ in results]
    errors: dict[str, int] = {}
    for _, _, error in results:
        if error:
            errors[error] = errors.get(error, 0) + 1
    line = (
        f"{name}: p50 {_percentile(latencies, 0.50):,.0f} ms, p95 {_percentile(latencies, 0.95):,.0f}"
        f" ms, p99 {_percentile(latencies, 0.99):,.0f} ms, max {max(latencies):,.0f} ms"
        f" (mean {statistics.fmean(latencies):,.0f} ms)"
    )
    if job is not None:
        during = sum(1 for scheduled, _, _ in results if job[0] <= scheduled <= job[1])
        line += f"; {during} of {len(results)} logins started while the job ran ({job[1] - job[0]:.1f} s)"
    if errors:
        line += f"; FAILED: {errors}"
    return line


def _measure(name: str, fresh: Any, logins: int) -> None:
    """The three sessions on fresh copies of one store (``fresh(i)`` makes copy ``i``)."""
    ((began, ended),) = _session(fresh(0), job=True, probe=False, logins=logins, interval=0)
    alone = ended - began
    interval = 0.9 * alone / logins
    print(
        f"{name}: the daily job alone {alone:.2f} s; {logins} logins scheduled every "
        f"{interval * 1000:.0f} ms",
        flush=True,
    )
    (anchor,) = _session(fresh(1), job=False, probe=True, logins=logins, interval=interval)
    print(_report(f"{name}, no daily job (anchor)", anchor, None), flush=True)
    job, during = _session(fresh(2), job=True, probe=True, logins=logins, interval=interval)
    print(_report(f"{name}, during the daily job", during, job), flush=True)
    p99 = _percentile([(e - s) * 1000 for s, e, _ in during], 0.99)
    verdict = "met" if p99 <= 250 else "MISSED"
    print(f"{name}: target p99 <= 250 ms during the job: {verdict} ({p99:,.0f} ms)", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--stores", type=int, default=500)
    parser.add_argument("--sellers-per-store", type=int, default=10)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--logins", type=int, default=100)
    parser.add_argument("--postgresql", action="store_true", help="also on PostgreSQL")
    parser.add_argument("--directory", default=None, help="where the stores go")
    args = parser.parse_args()

    import _dailyjob as dj

    with tempfile.TemporaryDirectory(prefix="otocore-bench-", dir=args.directory) as tmp:
        base = str(Path(tmp) / "brand.sqlite")
        ctx = mp.get_context("spawn")
        text = _receive(*_spawn(ctx, _build, base, dj.brand_sizes(args), args.orders))
        print(
            f"store: {args.orders:,} orders, {args.customers:,} customers; {text}; "
            f"accounts hashed with SecretHasher.insecure_for_tests() (Argon2id 8 KiB, 1 pass); "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            flush=True,
        )

        def sqlite_copy(i: int) -> str:
            path = str(Path(tmp) / f"copy-{i}.sqlite")
            shutil.copyfile(base, path)
            return path

        _measure("SQLite", sqlite_copy, args.logins)
        if args.postgresql:
            with dj.postgres_server() as server:
                dj.copy_to_postgresql(base, server, "brand")
                _make_account(server.uri("brand"))

                def pg_copy(i: int) -> str:
                    server.execute(f'CREATE DATABASE "copy_{i}" TEMPLATE "brand"')
                    return server.uri(f"copy_{i}")

                _measure("PostgreSQL", pg_copy, args.logins)


if __name__ == "__main__":
    main()
