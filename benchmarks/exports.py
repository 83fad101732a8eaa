"""Benchmark: ``otocore.exporting`` (CSV and .xlsx) beside hand-written writers, from SQLite.

Seeds an SQLite file made by otocore's migrations with a generated brand's customers
(``otocore.sample.generate_brand``, default 1,000,000 customers; the file is kept
under the temporary directory, named after the size and seed, and reused) and a
brand administrator's account. Then, for each format, each runner exports every
customer in a child process of its own (its peak resident memory is its own):

* otocore: ``ExportService.request(principal, AllCustomers(), ...)``: keyset pages of
  1,000 customers through the SQL store (``customers.page``, each row rebuilt as a
  ``Customer``), ``otocore.exports.customer_cells``, the streaming writer, the export
  record, its entry in the data-access log, the e-mail (an in-memory mailer). A .xlsx
  export of more than 10,000 rows runs XlsxWriter in a writer process of its own, fed
  through a pipe, on a machine with two CPUs or more (``write_customers``): its CPU
  seconds are counted with otocore's, and its peak RSS is printed apart;
* the anchor, written by hand: one ``sqlite3`` cursor over the same table
  (``SELECT ... ORDER BY customer_id``, ``fetchmany(1000)``), the same cells formatted
  inline (in the CSV, a free-text or e-mail cell that starts with ``=``, ``+``, ``-``,
  ``@``, a tab, a carriage return or a ``'`` gets a leading ``'``, as
  ``otocore.exports.csv_cells`` does), and ``csv.writer`` (same dialect) or XlsxWriter's
  constant-memory workbook (``_write_string``, ``write_string``'s body without its
  cell-name decorator, per non-empty cell: the fastest way we measured to drive it, and
  what otocore's writer does too, so the ratio is the cost of the store and the values).

It prints, per format and runner, the seconds, the CPU seconds (of every process the
runner used), the rows per second, the peak RSS
after the first 100,000 rows (or a tenth of the rows, if fewer), after half of them and
at the end (flat memory: the last two agree; otocore's SQLite connection fills its page
cache, bounded at 64 MiB, during the first part), and the ratio otocore / anchor of the seconds (below 1.0:
otocore is faster). It checks that otocore's CSV and the anchor's are the same bytes
and that the .xlsx files hold the same rows.

    python benchmarks/exports.py --quick                 # 2,000 customers, a smoke run
    flock /work/bench.lock python benchmarks/exports.py  # 1M customers
    python benchmarks/exports.py --customers 100000 --formats csv
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import multiprocessing as mp
import os
import resource
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ACCOUNT = "u-bench"
COLUMNS_SQL = (
    "customer_id, name, cpf, rg, birth_date, email, mobile, sex, marital_status,"
    " home_store_id, loyalty_program, loyalty_category, loyalty_card, registered_at"
)


def _rss_mib() -> float:
    """This process's peak resident memory so far (MiB).

    Linux's VmHWM, which starts afresh in a spawned child (``ru_maxrss`` is kept across
    ``exec`` and would report the parent's peak); ``ru_maxrss`` elsewhere.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def seed(path: Path, customers: int, seed_value: int) -> None:
    """A new SQLite file at ``path`` with ``customers`` generated customers and one admin."""
    from otocore.adapters.sql import open_database
    from otocore.auth import Account, Role, normalize_login_email
    from otocore.sample import generate_brand

    brand = generate_brand(
        seed=seed_value, stores=50, sellers_per_store=5, customers=customers, orders=1
    )
    partial = path.with_suffix(".part")
    partial.unlink(missing_ok=True)
    with open_database(f"sqlite:///{partial}", upgrade=True) as db:
        uow = db.unit_of_work()
        with uow.writing():
            uow.customers.add_many(brand.customers)
            uow.accounts.add(
                Account(
                    account_id=ACCOUNT,
                    email=normalize_login_email("bench@example.com"),
                    roles={Role.BRAND_ADMIN},
                )
            )
    partial.rename(path)


def run_otocore(db: str, fmt: str, out_dir: str, marks: tuple[int, ...], queue: Any) -> None:
    from otocore.access import Principal
    from otocore.adapters.mail import InMemoryMailer
    from otocore.adapters.sql import open_database
    from otocore.auth import Role
    from otocore.clock import SystemClock
    from otocore.exporting import AllCustomers, ExportService
    from otocore.exports import ExportFormat, ExportPolicy

    seen: list[float] = []
    stop_watching, writer_peak = _watch_writers()

    def progress(done: int) -> None:
        if len(seen) < len(marks) and done >= marks[len(seen)]:
            seen.append(_rss_mib())

    from otocore.ledger import LogKey, LogKeyring

    def cpu_seconds() -> float:  # this process and the writer process it waited for
        times = os.times()
        return times.user + times.system + times.children_user + times.children_system

    # the request is written to the data-access log, as in production: a fixed bench key;
    # a seeded file kept from an older otocore is upgraded first
    keys = LogKeyring.of(LogKey(key_id="bench", secret=b"\x01" * 32))
    with open_database(f"sqlite:///{db}", upgrade=True, log_keys=keys) as database:
        service = ExportService(
            database.unit_of_work,
            mailer=InMemoryMailer(),
            clock=SystemClock(),
            policy=ExportPolicy(base_url="https://admin.example.com"),
            directory=out_dir,
        )
        principal = Principal(account_id=ACCOUNT, roles={Role.BRAND_ADMIN})
        start, cpu = time.perf_counter(), cpu_seconds()
        receipt = service.request(
            principal,
            AllCustomers(),
            file_format=ExportFormat(fmt),
            name="otocore",
            on_progress=progress,
        )
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
    stop_watching.set()
    writer = writer_peak[0]  # 0: no writer process (a small export, or not Linux)
    queue.put(
        (seconds, receipt.count, _filled(seen, marks), _rss_mib(), str(receipt.path), cpu, writer)
    )


# OWASP's formula triggers, and the quote itself (quoted too, so the import can take the
# export's quotes off exactly)
_QUOTED_STARTS = ("=", "+", "-", "@", "\t", "\r", "'")


def _text(cell: str | None) -> str:
    """A free-text CSV cell: a leading ``'`` when it starts with a formula trigger or a quote."""
    if not cell:
        return ""
    return "'" + cell if cell.startswith(_QUOTED_STARTS) else cell


def _cells(row: tuple[Any, ...], *, csv_text: bool = False) -> tuple[str, ...]:
    cid, name, cpf, rg, birth, email, mobile, sex, marital, home, program, category, card, at = row
    if mobile and len(mobile) == 14 and mobile.startswith("+55"):
        mobile = f"({mobile[3:5]}) {mobile[5:10]}-{mobile[10:]}"
    text = _text if csv_text else (lambda cell: cell or "")
    return (
        text(cid),
        text(name),
        f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}" if cpf else "",
        rg or "",
        birth or "",
        text(email),
        mobile or "",
        sex or "",
        marital or "",
        text(home),
        text(program),
        text(category),
        card or "",
        datetime.fromisoformat(at).astimezone(UTC).isoformat(),
    )


HEADER = tuple(
    "loyalty_card_number" if c.strip() == "loyalty_card" else c.strip()
    for c in COLUMNS_SQL.split(",")
)


def _filled(seen: list[float], marks: tuple[int, ...]) -> list[float]:
    return seen + [_rss_mib()] * (len(marks) - len(seen))


def run_anchor(db: str, fmt: str, out_dir: str, marks: tuple[int, ...], queue: Any) -> None:
    path = Path(out_dir) / f"anchor.{fmt}"
    start, cpu = time.perf_counter(), time.process_time()
    connection = sqlite3.connect(db)
    cursor = connection.execute(
        f"SELECT {COLUMNS_SQL} FROM customers ORDER BY customer_id"  # noqa: S608
    )
    count, seen = 0, []
    if fmt == "csv":
        with path.open("w", encoding="utf-8-sig", newline="") as f:
            writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
            writer.writerow(HEADER)
            while rows := cursor.fetchmany(1000):
                writer.writerows([_cells(r, csv_text=True) for r in rows])
                count += len(rows)
                if len(seen) < len(marks) and count >= marks[len(seen)]:
                    seen.append(_rss_mib())
    else:
        import xlsxwriter

        book = xlsxwriter.Workbook(
            str(path),
            {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False},
        )
        sheet = book.add_worksheet("clientes")
        write = sheet._write_string  # what otocore's writer calls (write_string's own body)
        for column, name in enumerate(HEADER):
            write(0, column, name)
        while rows := cursor.fetchmany(1000):
            for r in rows:
                count += 1
                for column, cell in enumerate(_cells(r)):
                    if cell:
                        write(count, column, cell)
            if len(seen) < len(marks) and count >= marks[len(seen)]:
                seen.append(_rss_mib())
        book.close()
    connection.close()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    queue.put((seconds, count, _filled(seen, marks), _rss_mib(), str(path), cpu, 0.0))


def _watch_writers() -> tuple[Any, list[float]]:
    """Record the peak RSS (VmHWM) of every process this one starts, until the event is set.

    otocore's .xlsx writer process is started with ``subprocess.Popen``: this wraps it to
    learn the process ids, and a thread reads their ``/proc/PID/status`` every 50 ms
    (Linux; elsewhere nothing is recorded). ``ru_maxrss`` of the children would report the
    parent's size at the fork instead of the writer's own.
    """
    import subprocess
    import threading

    pids: list[int] = []
    peak = [0.0]
    stop = threading.Event()
    popen = subprocess.Popen

    def recording(*args: Any, **kwargs: Any) -> Any:
        child = popen(*args, **kwargs)
        pids.append(child.pid)
        return child

    def poll() -> None:
        while not stop.wait(0.05):
            for pid in pids:
                try:
                    text = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
                except OSError:
                    continue
                for line in text.splitlines():
                    if line.startswith("VmHWM:"):
                        peak[0] = max(peak[0], int(line.split()[1]) / 1024)

    subprocess.Popen = recording  # type: ignore[misc]
    threading.Thread(target=poll, daemon=True).start()
    return stop, peak


def _child(target: Any, *args: Any) -> tuple[float, int, list[float], float, str, float, float]:
    context = mp.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=target, args=(*args, queue))
    process.start()
    while True:
        try:
            result = queue.get(timeout=1)
            break
        except Exception:  # noqa: BLE001 - queue.Empty: is the child still there?
            if not process.is_alive():
                raise SystemExit(
                    f"{target.__name__} failed (exit code {process.exitcode})"
                ) from None
    process.join()
    if process.exitcode != 0:
        raise SystemExit(f"{target.__name__} failed (exit code {process.exitcode})")
    return result  # type: ignore[no-any-return]


def _xlsx_digest(path: str) -> str:
    """A SHA-256 of the worksheet's rows, read one at a time (openpyxl's read-only mode)."""
    import openpyxl

    digest = hashlib.sha256()
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        for row in book["clientes"].iter_rows(values_only=True):
            digest.update("\x00".join(c or "" for c in row).encode("utf-8", "surrogatepass"))
            digest.update(b"\n")
    finally:
        book.close()
    return digest.hexdigest()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--formats", default="csv,xlsx", help="csv, xlsx or both (csv,xlsx)")
    parser.add_argument("--db", type=Path, default=None, help="the seeded SQLite file (reused)")
    parser.add_argument("--quick", action="store_true", help="2,000 customers: a smoke run")
    parser.add_argument("--runs", type=int, default=3, help="runs of each runner (medians)")
    args = parser.parse_args(argv)
    if args.quick:
        args.customers = 2_000
    db = (
        args.db
        or Path(tempfile.gettempdir()) / f"otocore-exports-{args.customers}-{args.seed}.sqlite"
    )
    if not db.exists():
        print(f"seeding {args.customers:,} customers into {db} ...", flush=True)
        seeding = mp.get_context("spawn").Process(target=seed, args=(db, args.customers, args.seed))
        seeding.start()
        seeding.join()
        if seeding.exitcode != 0:
            raise SystemExit(f"seeding failed (exit code {seeding.exitcode})")
    marks = (min(100_000, max(1, args.customers // 10)), max(1, args.customers // 2))
    failed = False
    with tempfile.TemporaryDirectory() as out_dir:
        for fmt in args.formats.split(","):
            runs: dict[str, list[Any]] = {"otocore": [], "anchor": []}
            for _ in range(args.runs):  # alternated, so that a change of load hits both
                runs["otocore"].append(_child(run_otocore, str(db), fmt, out_dir, marks))
                runs["anchor"].append(_child(run_anchor, str(db), fmt, out_dir, marks))
            for label, results in runs.items():
                seconds = statistics.median(r[0] for r in results)
                cpu = statistics.median(r[5] for r in results)
                count, at_marks, peak = results[0][1], results[0][2], max(r[3] for r in results)
                writer = max(r[6] for r in results)
                print(
                    f"{fmt:4} {label:8} {count:>9,} rows in {seconds:7.2f} s"
                    f" (CPU {cpu:7.2f} s) = {count / seconds:>9,.0f} rows/s;"
                    f" peak RSS {at_marks[0]:6.1f} MiB at {marks[0]:,} rows,"
                    f" {at_marks[1]:6.1f} MiB at {marks[1]:,}, {peak:6.1f} MiB at {count:,}"
                    + (f"; writer process peak RSS {writer:.1f} MiB" if writer else "")
                )
            ours, anchor = runs["otocore"][-1], runs["anchor"][-1]
            wall = [statistics.median(r[0] for r in runs[k]) for k in ("otocore", "anchor")]
            cpus = [statistics.median(r[5] for r in runs[k]) for k in ("otocore", "anchor")]
            print(
                f"{fmt:4} otocore / anchor: {wall[0] / wall[1]:.2f} (CPU {cpus[0] / cpus[1]:.2f});"
                f" medians of {args.runs} run(s); load average {os.getloadavg()[0]:.1f}"
            )
            if ours[1] != args.customers or anchor[1] != args.customers:
                print(f"{fmt}: DIFFERENT counts ({ours[1]} and {anchor[1]})")
                failed = True
            if fmt == "csv":
                same = (
                    hashlib.sha256(Path(ours[4]).read_bytes()).digest()
                    == hashlib.sha256(Path(anchor[4]).read_bytes()).digest()
                )
            else:
                same = _xlsx_digest(ours[4]) == _xlsx_digest(anchor[4])
            print(f"{fmt:4} the anchor's file {'holds the same rows' if same else 'is DIFFERENT'}")
            failed = failed or not same
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
