"""Benchmark: ``otocore.importing`` beside a hand-written loader, into SQLite.

Generates a seeded brand with ``otocore.sample`` (default 1,000,000 customers and
1,000,000 orders, 500 stores x 10 sellers) and writes it as CSV with
``write_brand``, as ``otocore import`` reads it (the files are kept in ``--files``,
default a folder under the temporary directory named after the sizes, and reused).
Then, ``--repeat`` times, round robin so that a shared machine's load falls on
both alike, each loader imports customers.csv and orders.csv into a new SQLite
file made by otocore's migrations, each in a child process of its own (its peak
resident memory is its own):

* otocore: ``import_file(uow, path)`` in default mode (all or nothing), references
  checked (the stores and sellers an order names are imported first, untimed);
* the anchor, written by hand: the csv module, the same normalisation calls
  (``datetime.fromisoformat`` to UTC, ``Decimal`` to centavos, ``CpfPolicy().parse``,
  ``Email.parse``, ``Mobile.parse``), and ``sqlite3`` ``executemany`` of the same
  upsert into the same tables, 5,000 rows at a time, in one transaction. It checks
  nothing else (no text rules, no enum check, no error report): what a hurried
  engineer would write to load a trusted file.

It prints, per kind, the median rows per second and peak RSS of each loader and
the ratio otocore / anchor (1.0 = as fast as the hand-written loader), and checks
that both stored the same rows.

With ``--postgresql`` otocore also imports the same files into PostgreSQL: a
throwaway server started from Debian's binaries as tests/contract/conftest.py
starts it (fsync off), a new database per run, printed beside the SQLite figures.

    python benchmarks/import.py --customers 100000 --orders 100000 --repeat 3
    flock /work/bench.lock python benchmarks/import.py          # 1M + 1M, 3 runs
    flock /work/bench.lock python benchmarks/import.py --postgresql
    python benchmarks/import.py --brazilian    # also as a Brazilian back office exports them
    python benchmarks/import.py --customers 100000 --orders 1000 --reimport 0.1

With ``--reimport SHARE`` otocore also re-imports customers.csv into SQLite with
that share of its customers changed (their name and e-mail; ``customers_changed.csv``
beside the files): the base is imported first, untimed, then the changed file is
timed (only that runs). The store has a log key, so each changed field is also written to the
customer history (reason IMPORT); it prints the rate and the entries written.

With ``--brazilian`` otocore also imports the same rows as a back office's
spreadsheet exports them: ``pedidos.csv`` and ``clientes.csv``, ``;``-separated,
decimal commas (``1234,56``), Windows-1252; the separator, the decimal comma and the
encoding are detected. It prints that rate beside otocore's on the plain files (the
ratio is the cost of detection and conversion) and checks the same rows were stored.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import multiprocessing as mp
import resource
import sqlite3
import statistics
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

KINDS = ("customers", "orders")
CHUNK = 5_000


def generate(directory: Path, args: argparse.Namespace) -> None:
    from otocore.sample import generate_brand, iter_orders, write_brand

    sizes: dict[str, Any] = {
        "seed": args.seed,
        "stores": 500,
        "sellers_per_store": 10,
        "customers": args.customers,
    }
    brand = generate_brand(**sizes, orders=1)
    write_brand(brand, directory, orders=iter_orders(**sizes, orders=args.orders))


def new_database(path: str) -> None:
    from otocore.adapters.sql import open_database

    open_database(path, upgrade=True).engine.dispose()


def run_otocore(kind: str, csv_path: str, db: str, out: Any) -> None:
    from otocore.adapters.sql import open_database
    from otocore.importing import import_file

    database = open_database(db)
    uow = database.unit_of_work()
    if kind == "orders":  # the stores and sellers its rows name (references are checked)
        for name in ("stores.csv", "sellers.csv"):
            import_file(uow, Path(csv_path).with_name(name))
    start = time.perf_counter()
    summary = import_file(uow, csv_path)
    seconds = time.perf_counter() - start
    database.engine.dispose()
    out.send((summary.imported, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


def changed_copy(files: Path, share: float) -> tuple[Path, int]:
    """customers.csv with every ``1/share``-th customer's name and e-mail changed."""
    target = files / f"customers_changed_{share:g}.csv"
    every = max(1, round(1 / share))
    changed = 0
    with (
        (files / "customers.csv").open(encoding="utf-8", newline="") as source,
        target.open("w", encoding="utf-8", newline="") as out,
    ):
        reader = csv.DictReader(source)
        writer = csv.DictWriter(out, fieldnames=list(reader.fieldnames or ()))
        writer.writeheader()
        for i, row in enumerate(reader):
            if i % every == 0:
                row["name"] = f"{row['name']} Filho"
                row["email"] = f"novo.{row['customer_id'].lower()}@example.com"
                changed += 1
            writer.writerow(row)
    return target, changed


def run_reimport(base: str, changed: str, db: str, out: Any) -> None:
    """Import ``base`` (untimed), then time the import of ``changed`` over it."""
    from otocore.adapters.sql import open_database
    from otocore.importing import RecordKind, import_file
    from otocore.ledger import LogKey, LogKeyring

    keys = LogKeyring.of(LogKey(key_id="bench", secret=bytes(range(32))))
    database = open_database(db, log_keys=keys)
    uow = database.unit_of_work()
    import_file(uow, base)
    start = time.perf_counter()
    summary = import_file(uow, changed, RecordKind.CUSTOMERS)
    seconds = time.perf_counter() - start
    with uow:
        entries = uow.customer_history.count()
    database.engine.dispose()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    out.send((summary.imported, seconds, rss, entries))


def _upsert(table: str, columns: list[str]) -> str:
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns[1:])
    marks = ", ".join("?" for _ in columns)
    return (
        f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608
        f" ON CONFLICT ({columns[0]}) DO UPDATE SET {updates}"
    )


def _instant(text: str) -> str:
    return datetime.fromisoformat(text).astimezone(UTC).isoformat(timespec="microseconds")


ORDER_COLUMNS = [
    "order_id",
    "customer_id",
    "store_id",
    "placed_at",
    "total_cents",
    "seller_code",
    "status",
    "channel",
]
CUSTOMER_COLUMNS = [
    "customer_id",
    "name",
    "registered_at",
    "cpf",
    "rg",
    "birth_date",
    "email",
    "mobile",
    "sex",
    "marital_status",
    "home_store_id",
    "loyalty_program",
    "loyalty_category",
]


def _order_rows(reader: Any) -> Any:
    header = next(reader)
    at = {name: i for i, name in enumerate(header)}
    i_id, i_c, i_s, i_p, i_t = (at[n] for n in [*ORDER_COLUMNS[:4], "total"])
    i_sc, i_st, i_ch = at["seller_code"], at["status"], at["channel"]
    for row in reader:
        yield (
            row[i_id],
            row[i_c],
            row[i_s],
            _instant(row[i_p]),
            int(Decimal(row[i_t]).scaleb(2)),
            row[i_sc] or None,
            row[i_st] or "completed",
            row[i_ch] or "store",
        )


def _customer_rows(reader: Any) -> Any:
    from otocore.customers import CpfPolicy, Email, Mobile

    policy = CpfPolicy()
    header = next(reader)
    at = {name: i for i, name in enumerate(header)}
    for row in reader:
        cell = {name: row[i] or None for name, i in at.items()}
        birth = cell["birth_date"]
        yield (
            cell["customer_id"],
            cell["name"],
            _instant(row[at["registered_at"]]),
            None if cell["cpf"] is None else policy.parse(cell["cpf"]).digits,
            cell["rg"],
            None if birth is None else date.fromisoformat(birth).isoformat(),
            None if cell["email"] is None else Email.parse(cell["email"]).address,
            None if cell["mobile"] is None else Mobile.parse(cell["mobile"]).e164,
            cell["sex"],
            cell["marital_status"],
            cell["home_store_id"],
            cell["loyalty_program"],
            cell["loyalty_category"],
        )


def run_anchor(kind: str, csv_path: str, db: str, out: Any) -> None:
    import otocore.customers  # noqa: F401 - imported before the clock starts, as import_file is
    from otocore.adapters.sql._engine import CACHE_KIB

    columns = CUSTOMER_COLUMNS if kind == "customers" else ORDER_COLUMNS
    make_rows = _customer_rows if kind == "customers" else _order_rows
    sql = _upsert(kind, columns)
    start = time.perf_counter()
    conn = sqlite3.connect(db, isolation_level=None)
    for pragma in ("journal_mode = WAL", "synchronous = NORMAL", f"cache_size = -{CACHE_KIB}"):
        conn.execute(f"PRAGMA {pragma}")  # as otocore's engine sets them
    conn.execute("BEGIN IMMEDIATE")
    count = 0
    with open(csv_path, encoding="utf-8", newline="") as f:
        chunk: list[tuple[Any, ...]] = []
        for values in make_rows(csv.reader(f)):
            chunk.append(values)
            if len(chunk) >= CHUNK:
                conn.executemany(sql, chunk)
                count += len(chunk)
                chunk = []
        conn.executemany(sql, chunk)
        count += len(chunk)
    conn.execute("COMMIT")
    conn.close()
    seconds = time.perf_counter() - start
    out.send((count, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))


class Postgres:
    """A throwaway PostgreSQL server (what tests/contract/conftest.py's fixture does)."""

    def __init__(self) -> None:
        import glob
        import os
        import pwd
        import socket
        import subprocess

        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise SystemExit("--postgresql needs Debian's PostgreSQL server binaries")
        self.bindir = Path(found[-1]).parent
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.directory = Path(tempfile.mkdtemp(prefix="otocore-pg-bench-"))
        if self.as_user:
            pw = pwd.getpwnam("postgres")
            os.chown(self.directory, pw.pw_uid, pw.pw_gid)
        self.data = self.directory / "data"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.run = lambda *cmd: subprocess.run(  # noqa: S603
            [*self.as_user, *cmd], check=True, capture_output=True, text=True, timeout=120
        )
        self.run(
            str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
            "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip
        options = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port}"
            f" -c unix_socket_directories={self.directory}"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        log = str(self.directory / "server.log")
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-o", options, "-l", log,
                 "-w", "start")  # fmt: skip

    def new_database(self, name: str) -> str:
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"
        new_database(url)
        return url

    def stop(self) -> None:
        import shutil

        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "-w",
                 "stop")  # fmt: skip
        shutil.rmtree(self.directory, ignore_errors=True)


def in_child(target: Any, *args: Any) -> Any:
    ctx = mp.get_context("spawn")
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=target, args=(*args, send))
    proc.start()
    result = receive.recv()
    proc.join()
    if proc.exitcode != 0:
        raise SystemExit(f"{target.__name__} failed with exit code {proc.exitcode}")
    return result


PORTUGUESE = {"customers": "clientes", "orders": "pedidos"}


def write_brazilian(files: Path) -> Path:
    """The plain files as a Brazilian back office exports them, in ``files / "br"``."""
    folder = files / "br"
    if (folder / "pedidos.csv").exists():
        return folder
    folder.mkdir(exist_ok=True)
    for name in ("stores.csv", "sellers.csv"):  # what an order names, as in the plain run
        (folder / name).write_bytes((files / name).read_bytes())
    for kind, name in PORTUGUESE.items():
        with (
            (files / f"{kind}.csv").open(encoding="utf-8", newline="") as source,
            (folder / f"{name}.csv").open("w", encoding="cp1252", newline="") as target,
        ):
            reader = csv.reader(source)
            writer = csv.writer(target, delimiter=";", lineterminator="\r\n")
            header = next(reader)
            writer.writerow(header)
            money = header.index("total") if "total" in header else None
            for row in reader:
                if money is not None:
                    row[money] = row[money].replace(".", ",")
                writer.writerow(row)
    return folder


def table_digest(db: str, kind: str) -> str:
    conn = sqlite3.connect(db)
    digest = hashlib.sha256()
    for row in conn.execute(f"SELECT * FROM {kind} ORDER BY 1"):  # noqa: S608
        digest.update(repr(row).encode())
    conn.close()
    return digest.hexdigest()


def main() -> None:  # noqa: PLR0915 - a script: parse, generate, run, print
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--files", type=Path, help="where the CSV files are kept")
    parser.add_argument("--generate-only", action="store_true")
    parser.add_argument("--postgresql", action="store_true", help="otocore into PostgreSQL too")
    parser.add_argument(
        "--brazilian", action="store_true", help="otocore on ;-separated cp1252 copies too"
    )
    parser.add_argument(
        "--reimport",
        type=float,
        metavar="SHARE",
        help="also re-import customers.csv with this share of customers changed (0 to 1)",
    )
    args = parser.parse_args()
    if args.reimport is not None and not 0 < args.reimport <= 1:
        parser.error("--reimport must be a share above 0 and at most 1, such as 0.1")

    files = args.files or Path(tempfile.gettempdir()) / (
        f"otocore-import-bench-{args.seed}-{args.customers}-{args.orders}"
    )
    if not (files / "orders.csv").exists():
        files.mkdir(parents=True, exist_ok=True)
        start = time.perf_counter()
        generate(files, args)
        print(f"generated the files in {files} in {time.perf_counter() - start:.0f} s")
    brazilian = write_brazilian(files) if args.brazilian else None
    if args.generate_only:
        return
    results: dict[tuple[str, str], list[tuple[int, float, int]]] = {}
    postgres = Postgres() if args.postgresql else None
    changed = None if args.reimport is None else changed_copy(files, args.reimport)
    reimports: list[tuple[int, float, int, int]] = []
    with tempfile.TemporaryDirectory(prefix="otocore-import-bench-") as tmp:
        for i in range(args.repeat):
            if changed is not None:
                db = str(Path(tmp) / f"reimport-{i}.sqlite")
                new_database(db)
                run = in_child(run_reimport, str(files / "customers.csv"), str(changed[0]), db)
                reimports.append(run)
                Path(db).unlink()
                print(
                    f"run {i + 1} re-import ({changed[1]:,} changed): {run[0]:,} rows in"
                    f" {run[1]:.2f} s ({run[0] / run[1]:,.0f} rows/s, peak {run[2] / 1024:.0f}"
                    f" MiB), {run[3]:,} history entries",
                    flush=True,
                )
                continue  # --reimport runs only the re-import
            for kind in KINDS:
                if postgres is not None:
                    url = postgres.new_database(f"bench_{kind}_{i}")
                    rows, seconds, rss = in_child(
                        run_otocore, kind, str(files / f"{kind}.csv"), url
                    )
                    results.setdefault((kind, "postgresql"), []).append((rows, seconds, rss))
                    print(
                        f"run {i + 1} {kind:9} otocore into PostgreSQL: {rows:,} rows in"
                        f" {seconds:.2f} s ({rows / seconds:,.0f} rows/s, peak {rss / 1024:.0f} MiB)",
                        flush=True,
                    )
                digests = {}
                loaders = [
                    ("otocore", run_otocore, files / f"{kind}.csv"),
                    ("anchor", run_anchor, files / f"{kind}.csv"),
                ]
                if brazilian is not None:
                    path = brazilian / f"{PORTUGUESE[kind]}.csv"
                    loaders.append(("br", run_otocore, path))
                for name, target, path in loaders:
                    db = str(Path(tmp) / f"{name}-{kind}-{i}.sqlite")
                    new_database(db)
                    rows, seconds, rss = in_child(target, kind, str(path), db)
                    results.setdefault((kind, name), []).append((rows, seconds, rss))
                    print(
                        f"run {i + 1} {kind:9} {name:7}: {rows:,} rows in {seconds:.2f} s"
                        f" ({rows / seconds:,.0f} rows/s, peak {rss / 1024:.0f} MiB)",
                        flush=True,
                    )
                    if i == 0:  # the first run checks the rows: the others store the same
                        digests[name] = table_digest(db, kind)
                    Path(db).unlink()
                if digests.get("otocore") != digests.get("anchor"):
                    raise SystemExit(f"{kind}: otocore and the anchor stored different rows")
                if i == 0 and brazilian is not None and digests["br"] != digests["otocore"]:
                    raise SystemExit(f"{kind}: the Brazilian export stored different rows")
    if reimports:
        rate = statistics.median(r / s for r, s, _, _ in reimports)
        seconds = statistics.median(s for _, s, _, _ in reimports)
        rss = statistics.median(m for _, _, m, _ in reimports) / 1024
        print(
            f"\nre-import of customers.csv, {changed[1] if changed else 0:,} changed (median):"
            f" {seconds:.2f} s, {rate:,.0f} rows/s, peak {rss:.0f} MiB,"
            f" {reimports[0][3]:,} history entries"
        )
        return
    print(f"\nmedians of {args.repeat} runs (same rows stored by both):")
    print("| kind | rows | otocore rows/s | peak RSS | anchor rows/s | peak RSS | otocore/anchor |")
    print("|---|---|---|---|---|---|---|")
    for kind in KINDS:
        ours, anchor = results[(kind, "otocore")], results[(kind, "anchor")]
        rate = statistics.median(r / s for r, s, _ in ours)
        rate_a = statistics.median(r / s for r, s, _ in anchor)
        rss = statistics.median(m for _, _, m in ours) / 1024
        rss_a = statistics.median(m for _, _, m in anchor) / 1024
        print(
            f"| {kind} | {ours[0][0]:,} | {rate:,.0f} | {rss:.0f} MiB | {rate_a:,.0f}"
            f" | {rss_a:.0f} MiB | {rate / rate_a:.2f} |"
        )
    if brazilian is not None:
        print("\notocore on the Brazilian exports (;, decimal commas, Windows-1252, detected):")
        print("| kind | rows/s | peak RSS | of otocore on the plain file | of the anchor |")
        print("|---|---|---|---|---|")
        for kind in KINDS:
            runs = results[(kind, "br")]
            rate = statistics.median(r / s for r, s, _ in runs)
            plain = statistics.median(r / s for r, s, _ in results[(kind, "otocore")])
            anchor_rate = statistics.median(r / s for r, s, _ in results[(kind, "anchor")])
            rss = statistics.median(m for _, _, m in runs) / 1024
            print(
                f"| {kind} | {rate:,.0f} | {rss:.0f} MiB | {rate / plain:.2f}"
                f" | {rate / anchor_rate:.2f} |"
            )
    if postgres is not None:
        postgres.stop()
        print("\notocore into PostgreSQL (medians), and its ratio to otocore into SQLite:")
        for kind in KINDS:
            runs = results[(kind, "postgresql")]
            rate = statistics.median(r / s for r, s, _ in runs)
            sqlite_rate = statistics.median(r / s for r, s, _ in results[(kind, "otocore")])
            rss = statistics.median(m for _, _, m in runs) / 1024
            print(
                f"| {kind} | {runs[0][0]:,} | {rate:,.0f} rows/s | {rss:.0f} MiB"
                f" | {rate / sqlite_rate:.2f} of SQLite |"
            )


if __name__ == "__main__":
    main()
