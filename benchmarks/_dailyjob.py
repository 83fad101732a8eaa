"""Support for the daily-job benchmarks: stores, a PostgreSQL server, the hand-written anchor.

* :func:`build_sqlite_store` fills a fresh SQLite store with a generated brand, either
  through ``otocore.importing`` (``otocore.sample``'s brand as CSV files, the way a brand is
  really loaded) or, with ``bulk=True``, with customers and orders drawn columnar with
  NumPy and written with ADBC ingest in the adapter's stored forms (10M orders in
  minutes; the generator and the importer would take hours).
* :class:`PostgresServer` starts a throwaway PostgreSQL cluster the way
  ``tests/contract/conftest.py`` does (Debian's binaries, ``runuser -u postgres`` as
  root, ``fsync=off``); :func:`copy_to_postgresql` bulk-loads a SQLite store into a
  migrated PostgreSQL database with ``COPY``.
* :func:`anchor_job` is the hand-written daily job: ADBC reads, plain Polars expressions of
  docs/rules/rfv.md, docs/rules/preferred-seller.md and ``otocore.daily``'s carteira
  rules, bulk writes (ADBC ingest) in one transaction at the end.
* :func:`job_output` reads what a daily run left in a store (carteiras, the RFV snapshot,
  the run log's counts and changes) so that two stores can be compared row for row.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl

from otocore._time import window_start
from otocore.distribution import PreferredSellerPolicy
from otocore.rfv import RfvPolicy

TZ = "America/Sao_Paulo"
ADVISORY_LOCK_KEY = 0x6F746F636F7265  # otocore's writing-block lock on PostgreSQL
BATCH = 100_000
# what copy_to_postgresql copies (the run log is not: no rule reads it)
LOAD_TABLES = (
    "stores",
    "sellers",
    "customers",
    "orders",
    "portfolio",
    "rfv_snapshots",
    "rfv_scores",
)


# building a store ---------------------------------------------------------------------


def brand_sizes(args: Any) -> dict[str, Any]:
    return {
        "seed": args.seed,
        "stores": args.stores,
        "sellers_per_store": args.sellers_per_store,
        "customers": args.customers,
    }


def build_sqlite_store(db: str, sizes: dict[str, Any], orders: int, *, bulk: bool) -> str:
    """Fill a fresh SQLite store; return a one-line description of how long it took."""
    from otocore.adapters.sql import open_database
    from otocore.sample import generate_brand, iter_orders, write_brand

    began = time.perf_counter()
    if not bulk:
        from otocore.importing import import_directory

        with tempfile.TemporaryDirectory(prefix="otocore-bench-csv-") as files:
            brand = generate_brand(**sizes, orders=0)
            write_brand(brand, files, orders=iter_orders(**sizes, orders=orders))
            generated = time.perf_counter() - began
            database = open_database(db, upgrade=True)
            start = time.perf_counter()
            summaries = import_directory(database.unit_of_work(), files)
            seconds = time.perf_counter() - start
            database.close()
        rows = sum(s.imported for s in summaries)
        return (
            f"generated as CSV in {generated:.1f} s; imported {rows:,} rows with "
            f"otocore.importing in {seconds:.1f} s ({rows / seconds:,.0f} rows/s)"
        )

    database = open_database(db, upgrade=True)
    database.close()
    brand = generate_brand(**{**sizes, "customers": 0}, orders=0)
    conn = connect(db)
    for table, frame in _columnar_brand(brand, sizes, orders):
        _ingest(conn, table, frame, temporary=False)
    conn.commit()
    conn.close()
    return (
        f"--bulk-load: stores and sellers from otocore.sample, customers and orders drawn "
        f"columnar with NumPy (ids, home stores, 4 years, 15% online without a seller, 5% "
        f"cancelled) and written with ADBC ingest, in {time.perf_counter() - began:.1f} s"
    )


def _columnar_brand(
    brand: Any, sizes: dict[str, Any], n_orders: int
) -> Iterator[tuple[str, pl.DataFrame]]:
    """The rows of a seeded brand as frames, in the SQLite adapter's stored forms."""
    import numpy as np

    rng = np.random.default_rng(sizes["seed"])
    yield (
        "stores",
        pl.DataFrame(
            [(s.store_id, s.name, s.city, s.state) for s in brand.stores],
            schema=["store_id", "name", "city", "state"],
            orient="row",
        ),
    )
    yield (
        "sellers",
        pl.DataFrame(
            [(s.code, s.name, s.store_id, s.status.value) for s in brand.sellers],
            schema=["code", "name", "store_id", "status"],
            orient="row",
        ),
    )
    n_customers, n_stores = sizes["customers"], len(brand.stores)
    width = max(6, len(str(n_customers)))
    first = datetime(2022, 11, 1, 3, tzinfo=UTC)  # local midnight in Sao Paulo
    span_us = (datetime(2026, 11, 1, 3, tzinfo=UTC) - first) // _US
    first_us = (first - datetime(1970, 1, 1, tzinfo=UTC)) // _US
    instant = "%Y-%m-%dT%H:%M:%S%.6f+00:00"  # otocore's Instant on SQLite
    homes = rng.integers(0, n_stores, n_customers)
    store_ids = pl.Series([s.store_id for s in brand.stores])
    number = pl.int_range(1, n_customers + 1, eager=True).cast(pl.String)
    yield (
        "customers",
        pl.DataFrame(
            {
                "customer_id": "C" + number.str.zfill(width),
                "name": "Cliente " + number,
                "registered_at": pl.Series(first_us - rng.integers(0, span_us, n_customers))
                .cast(pl.Datetime("us", "UTC"))
                .dt.strftime(instant),
                "home_store_id": store_ids.gather(homes),
            }
        ),
    )
    by_store: dict[str, list[str]] = {}
    for seller in brand.sellers:
        by_store.setdefault(seller.store_id, []).append(seller.code)
    per_store = max(len(codes) for codes in by_store.values())
    codes = pl.Series(
        [
            by_store[s.store_id][k % len(by_store[s.store_id])]
            for s in brand.stores
            for k in range(per_store)
        ]
    )
    for start in range(0, n_orders, 2_000_000):  # in parts, to keep memory flat
        n = min(2_000_000, n_orders - start)
        customer = rng.integers(0, n_customers, n)
        store = np.where(rng.random(n) < 0.8, homes[customer], rng.integers(0, n_stores, n))
        seller = codes.gather(store * per_store + rng.integers(0, per_store, n))
        online = rng.random(n) < 0.15
        order_number = pl.int_range(start + 1, start + n + 1, eager=True).cast(pl.String)
        yield (
            "orders",
            pl.DataFrame(
                {
                    "order_id": "P" + order_number.str.zfill(max(8, len(str(n_orders)))),
                    "customer_id": "C" + pl.Series(customer + 1).cast(pl.String).str.zfill(width),
                    "store_id": store_ids.gather(store),
                    "placed_at": pl.Series(first_us + rng.integers(0, span_us, n))
                    .cast(pl.Datetime("us", "UTC"))
                    .dt.strftime(instant),
                    "total_cents": rng.integers(1_000, 100_000, n),
                    "seller_code": seller.scatter(np.flatnonzero(online), None),
                    "status": np.where(rng.random(n) < 0.05, "cancelled", "completed"),
                    "channel": np.where(online, "online", "store"),
                }
            ),
        )


_US = timedelta(microseconds=1)


# PostgreSQL -----------------------------------------------------------------------------


def _pg_bin() -> Path:
    found = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0,
    )
    if not found:
        raise SystemExit("PostgreSQL binaries not found under /usr/lib/postgresql/*/bin")
    return Path(found[-1]).parent


def _run(cmd: list[str], *, as_user: str | None) -> subprocess.CompletedProcess[str]:
    if as_user is not None:
        cmd = ["runuser", "-u", as_user, "--", *cmd]
    return subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=300)  # noqa: S603


@dataclass(frozen=True)
class PostgresServer:
    host: str
    port: int
    user: str

    def url(self, database: str) -> str:
        """SQLAlchemy's URL of a database (what ``open_database`` takes)."""
        return f"postgresql+psycopg://{self.user}@{self.host}:{self.port}/{database}"

    def uri(self, database: str) -> str:
        """libpq's URI of a database (what psycopg and ADBC take)."""
        return f"postgresql://{self.user}@{self.host}:{self.port}/{database}"

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.uri("postgres"), autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway cluster, as tests/contract/conftest.py starts it; removed at the end."""
    bindir = _pg_bin()
    as_user = "postgres" if os.geteuid() == 0 else None
    directory = Path(tempfile.mkdtemp(prefix="otocore-bench-pg-"))
    data, log = directory / "data", directory / "server.log"
    if as_user is not None:
        pw = pwd.getpwnam(as_user)
        os.chown(directory, pw.pw_uid, pw.pw_gid)
    directory.chmod(0o700)
    init = _run(
        [
            *(str(bindir / "initdb"), "-D", str(data), "-U", "postgres", "--auth=trust"),
            *("--encoding=UTF8", "--no-locale", "--no-sync"),
        ],
        as_user=as_user,
    )
    if init.returncode != 0:
        shutil.rmtree(directory, ignore_errors=True)
        raise SystemExit(f"initdb failed:\n{init.stdout}\n{init.stderr}")
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    options = (
        f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={directory}"
        " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        " -c max_connections=100 -c shared_buffers=256MB -c work_mem=64MB"
    )
    start = _run(
        [str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start"],
        as_user=as_user,
    )
    if start.returncode != 0:
        text = log.read_text() if log.exists() else ""
        shutil.rmtree(directory, ignore_errors=True)
        raise SystemExit(f"pg_ctl start failed:\n{start.stdout}\n{start.stderr}\n{text}")
    try:
        yield PostgresServer(host="127.0.0.1", port=port, user="postgres")
    finally:
        _run(
            [str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"],
            as_user=as_user,
        )
        shutil.rmtree(directory, ignore_errors=True)


def copy_to_postgresql(sqlite_db: str, server: PostgresServer, database: str) -> float:
    """Create and migrate ``database``, COPY the brand's tables into it; return seconds."""
    import sqlite3

    import psycopg

    from otocore.adapters.sql import open_database

    began = time.perf_counter()
    server.execute(f'CREATE DATABASE "{database}"')
    open_database(server.url(database), upgrade=True).close()
    source = sqlite3.connect(sqlite_db)
    with psycopg.connect(server.uri(database)) as conn, conn.cursor() as cur:
        for table in LOAD_TABLES:
            columns = [row[1] for row in source.execute(f"PRAGMA table_info({table})")]
            names = ", ".join(columns)
            with cur.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # type: ignore[arg-type]
                for row in source.execute(f"SELECT {names} FROM {table}"):  # noqa: S608
                    copy.write_row(row)
        cur.execute("ANALYZE")
    source.close()
    return time.perf_counter() - began


# the hand-written daily job -------------------------------------------------------------


def connect(store: str) -> Any:
    """An ADBC connection: ``store`` is a SQLite path or a ``postgresql://`` URI.

    The ADBC drivers are imported here, not with the module: the registry benchmark
    borrows :func:`postgres_server` and runs where they are not installed.
    """
    if store.startswith("postgresql://"):
        import adbc_driver_postgresql.dbapi

        return adbc_driver_postgresql.dbapi.connect(store)
    import adbc_driver_sqlite.dbapi

    return adbc_driver_sqlite.dbapi.connect(store)


def _query(conn: Any, sql: str) -> pl.DataFrame:
    with conn.cursor() as cur:
        cur.execute(sql)
        frame = pl.from_arrow(cur.fetch_arrow_table())
    if not isinstance(frame, pl.DataFrame):
        raise TypeError(type(frame))
    return frame


def _execute(conn: Any, sql: str) -> Any:
    with conn.cursor() as cur:
        cur.execute(sql)
        return cur.fetchall() if cur.description else None


def _ingest(conn: Any, table: str, frame: pl.DataFrame, *, temporary: bool) -> None:
    with conn.cursor() as cur:
        cur.adbc_ingest(
            table, frame.to_arrow(), mode="create" if temporary else "append", temporary=temporary
        )


def _instant_text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _rfv(orders: pl.LazyFrame, as_of: date) -> pl.LazyFrame:
    """RFV scores and segments (docs/rules/rfv.md, quantile scoring, the default grid)."""
    policy = RfvPolicy()
    start, bins = window_start(as_of, policy.window), policy.bins
    counted = orders.filter(pl.col("day") <= as_of)
    inside = pl.col("day") > start
    raw = counted.group_by("customer_id").agg(
        last=pl.col("day").max(),
        frequency=inside.sum().cast(pl.Int64),
        value_cents=pl.col("total_cents").filter(inside).sum().cast(pl.Int64),
    )

    def score(column: str, *, descending: bool) -> pl.Expr:
        worse = pl.col(column).rank("min", descending=descending).cast(pl.Int64) - 1
        return 1 + (bins * worse) // pl.len()

    cells = {
        r * 100 + f: policy.grid.segment(r, f)
        for r in range(1, bins + 1)
        for f in range(1, bins + 1)
    }
    return (
        raw.with_columns(recency_days=(pl.lit(as_of) - pl.col("last")).dt.total_days())
        .with_columns(
            r=score("recency_days", descending=True),
            f=score("frequency", descending=False),
            v=score("value_cents", descending=False),
        )
        .with_columns(
            segment=(pl.col("r") * 100 + pl.col("f")).replace_strict(cells, return_dtype=pl.String)
        )
        .select("customer_id", "recency_days", "frequency", "value_cents", "r", "f", "v", "segment")
    )


def _preferred(orders: pl.LazyFrame, as_of: date, active: list[str]) -> pl.LazyFrame:
    """Preferred sellers among ``active`` (docs/rules/preferred-seller.md)."""
    policy = PreferredSellerPolicy()
    start = window_start(as_of, policy.window)
    candidates = orders.filter(
        pl.col("seller_code").is_in(active) & (pl.col("day") > start) & (pl.col("day") <= as_of)
    )
    tallies = (
        candidates.group_by("customer_id", "seller_code")
        .agg(
            visits=pl.struct("store_id", "day").n_unique().cast(pl.Int64),
            last_sale_at=pl.col("placed_at").max(),
        )
        .with_columns(tally=pl.min_horizontal("visits", pl.lit(policy.cap, pl.Int64)))
        .sort(
            ["customer_id", "tally", "last_sale_at", "seller_code"],
            descending=[False, True, True, False],
        )
    )
    per = tallies.group_by("customer_id", maintain_order=True).agg(
        pl.col("seller_code", "tally", "last_sale_at").first(),
        n=pl.len(),
        next_tally=pl.col("tally").slice(1, 1).first(),
        next_sale=pl.col("last_sale_at").slice(1, 1).first(),
    )
    decided = (
        pl.when(pl.col("n") == 1)
        .then(pl.lit("only_candidate"))
        .when(pl.col("tally") != pl.col("next_tally"))
        .then(pl.lit("tally"))
        .when(pl.col("last_sale_at") != pl.col("next_sale"))
        .then(pl.lit("most_recent_sale"))
        .otherwise(pl.lit("seller_code"))
    )
    return per.select("customer_id", "seller_code", decided_by=decided)


def _with_day(orders: pl.LazyFrame, *, postgres: bool) -> pl.LazyFrame:
    """``placed_at`` as an instant in UTC, and ``day``, its local day in the brand's zone."""
    if not postgres:  # fixed-width ISO 8601 text in UTC (otocore's Instant on SQLite)
        orders = orders.with_columns(
            pl.col("placed_at")
            .str.slice(0, 26)
            .str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", time_unit="us")
            .dt.replace_time_zone("UTC")
        )
    else:
        orders = orders.with_columns(pl.col("placed_at").dt.convert_time_zone("UTC"))
    return orders.with_columns(pl.col("placed_at").dt.convert_time_zone(TZ).dt.date().alias("day"))


def anchor_job(store: str, as_of: date) -> dict[str, int]:
    """The daily job by hand: same carteiras, RFV snapshot and run log as ``run_daily``.

    Reads (one read transaction): the active sellers, the completed orders of the window
    (only the columns the rules use) and each customer's last completed order before it,
    the customer ids (customers, anyone with an order, anyone with
    a carteira) and the current carteiras. Computes with Polars. Writes in one short
    transaction at the end (PostgreSQL: under otocore's advisory lock, as ``writing()``
    takes it): the changed carteiras (ingested into a temporary table, then one
    ``INSERT ... ON CONFLICT``), the RFV snapshot, the run and its counts and changes.
    Returns the run's counts.
    """
    postgres = store.startswith("postgresql://")
    started_at = datetime.now(UTC)
    conn = connect(store)
    active = _query(conn, "SELECT code FROM sellers WHERE status = 'active'")["code"].to_list()
    # only what the rules read: the completed orders of the window (from a day before it,
    # in UTC; the local-day filters below cut the margin) and each customer's last
    # completed order before that, for recency (both windows are the default 12 months)
    low = window_start(as_of, RfvPolicy().window) - timedelta(days=1)
    if postgres:
        table, since = "orders", f"TIMESTAMPTZ '{low}T00:00:00+00:00'"
    else:  # a full scan beats the placed_at index's lookups for a year of four
        table, since = "orders NOT INDEXED", f"'{low}'"
    recent = _query(
        conn,
        f"SELECT customer_id, store_id, seller_code, placed_at, total_cents FROM {table}"  # noqa: S608
        f" WHERE status = 'completed' AND placed_at >= {since}",
    ).lazy()
    earlier = _query(
        conn,
        f"SELECT customer_id, max(placed_at) AS placed_at FROM {table}"  # noqa: S608
        f" WHERE status = 'completed' AND placed_at < {since} GROUP BY customer_id",
    ).lazy()
    orders, last_before = (_with_day(frame, postgres=postgres) for frame in (recent, earlier))
    for_rfv = pl.concat(
        [
            orders.select("customer_id", "day", "total_cents"),
            last_before.select("customer_id", "day", pl.lit(0, pl.Int64).alias("total_cents")),
        ]
    )
    customers = _query(
        conn,
        "SELECT customer_id FROM customers UNION SELECT customer_id FROM orders"
        " UNION SELECT customer_id FROM portfolio",
    ).lazy()
    current = _query(conn, "SELECT customer_id, seller_code, since, reason FROM portfolio")
    # an empty result has no values for ADBC's SQLite driver to infer types from
    current = current.cast(dict.fromkeys(current.columns, pl.String))
    scores, preferences = pl.collect_all(
        [_rfv(for_rfv, as_of).sort("customer_id"), _preferred(orders, as_of, active)]
    )

    before = current.lazy().rename(
        {"seller_code": "before_seller", "since": "before_since", "reason": "before_reason"}
    )
    had = pl.col("before_reason").is_not_null()
    keeps_manual = (
        had
        & (pl.col("before_reason") == "manual_redistribution")
        & pl.col("before_seller").is_in(active)
    )
    has_pref = pl.col("seller_code").is_not_null()
    decided = (
        customers.sort("customer_id")
        .join(preferences.lazy(), on="customer_id", how="left")
        .join(before, on="customer_id", how="left")
        .with_columns(
            seller=pl.when(has_pref)
            .then(pl.col("seller_code"))
            .when(keeps_manual)
            .then(pl.col("before_seller")),
            reason=pl.when(has_pref)
            .then(pl.lit("daily_rule"))
            .when(keeps_manual)
            .then(pl.lit("manual_redistribution"))
            .otherwise(pl.lit("none")),
            decided_by=pl.when(has_pref)
            .then(pl.col("decided_by"))
            .when(keeps_manual)
            .then(pl.lit("kept"))
            .otherwise(pl.lit("no_active_candidate")),
        )
        .with_columns(
            since=pl.when(had & pl.col("before_seller").eq_missing(pl.col("seller")))
            .then(pl.col("before_since"))
            .otherwise(pl.lit(str(as_of))),
            changed=pl.col("before_seller").ne_missing(pl.col("seller")),
        )
        .with_columns(
            rewrite=~had
            | pl.col("changed")
            | (pl.col("since") != pl.col("before_since"))
            | (pl.col("reason") != pl.col("before_reason")),
            bucket=pl.when(pl.col("seller").is_not_null())
            .then(pl.lit("assigned_") + pl.col("reason"))
            .otherwise(pl.lit("unassigned")),
        )
        .sort("customer_id")  # joins do not keep the left frame's order
        .collect()
    )
    assignments = decided.filter("rewrite").select(
        "customer_id", pl.col("seller").alias("seller_code"), "since", "reason"
    )
    changes = (
        decided.filter("changed")
        .select(
            "customer_id",
            pl.col("before_seller").alias("from_seller"),
            pl.col("seller").alias("to_seller"),
            "reason",
            "decided_by",
        )
        .with_row_index("position")
        .with_columns(pl.col("position").cast(pl.Int64))
    )
    counts = dict(decided["bucket"].value_counts().iter_rows())
    counts |= {"customers": len(decided), "changed": len(changes), "rfv_scored": len(scores)}
    value = pl.when(pl.col("frequency") == 0).then(pl.lit("0"))
    value = value.otherwise(
        (pl.col("value_cents") // 100).cast(pl.String)
        + "."
        + (pl.col("value_cents") % 100).cast(pl.String).str.zfill(2)
    )
    snapshot = scores.select(
        pl.lit(str(as_of)).alias("as_of"),
        "customer_id",
        "recency_days",
        "frequency",
        value.alias("value"),
        "r",
        "f",
        "v",
        "segment",
    )

    _write(
        conn,
        postgres=postgres,
        as_of=as_of,
        started_at=started_at,
        assignments=assignments,
        snapshot=snapshot,
        changes=changes,
        counts=counts,
    )
    conn.close()
    return counts


def _write(
    conn: Any,
    *,
    postgres: bool,
    as_of: date,
    started_at: datetime,
    assignments: pl.DataFrame,
    snapshot: pl.DataFrame,
    changes: pl.DataFrame,
    counts: dict[str, int],
) -> None:
    """The one write transaction of the hand-written job, ended by a commit."""
    as_of_sql = f"DATE '{as_of}'" if postgres else f"'{as_of}'"
    if postgres:
        _execute(conn, f"SELECT pg_advisory_xact_lock({ADVISORY_LOCK_KEY})")
        _ingest(conn, "bench_portfolio", assignments, temporary=True)
        _ingest(conn, "bench_rfv", snapshot, temporary=True)
        _ingest(conn, "bench_changes", changes, temporary=True)
    else:
        _ingest(conn, "bench_portfolio", assignments, temporary=True)
    since = "since::date" if postgres else "since"
    _execute(
        conn,
        f"INSERT INTO portfolio (customer_id, seller_code, since, reason)"  # noqa: S608
        f" SELECT customer_id, seller_code, {since}, reason FROM bench_portfolio WHERE true"
        " ON CONFLICT (customer_id) DO UPDATE SET seller_code = excluded.seller_code,"
        " since = excluded.since, reason = excluded.reason",
    )
    _execute(conn, f"DELETE FROM rfv_scores WHERE as_of = {as_of_sql}")  # noqa: S608
    _execute(conn, f"DELETE FROM rfv_snapshots WHERE as_of = {as_of_sql}")  # noqa: S608
    _execute(conn, f"INSERT INTO rfv_snapshots (as_of) VALUES ({as_of_sql})")  # noqa: S608
    finished_at = max(datetime.now(UTC), started_at)
    stamps = (
        f"TIMESTAMPTZ '{_instant_text(started_at)}', TIMESTAMPTZ '{_instant_text(finished_at)}'"
        if postgres
        else f"'{_instant_text(started_at)}', '{_instant_text(finished_at)}'"
    )
    ((run_id,),) = _execute(
        conn,
        f"INSERT INTO daily_runs (as_of, started_at, finished_at)"  # noqa: S608
        f" VALUES ({as_of_sql}, {stamps}) RETURNING run_id",
    )
    counts_frame = pl.DataFrame(
        {"run_id": [run_id] * len(counts), "name": list(counts), "value": list(counts.values())},
        schema={"run_id": pl.Int64, "name": pl.String, "value": pl.Int64},
    )
    changes = changes.select(pl.lit(run_id, pl.Int64).alias("run_id"), pl.all())
    if postgres:
        _execute(
            conn,
            "INSERT INTO rfv_scores SELECT as_of::date, customer_id, recency_days, frequency,"
            " value::numeric, r, f, v, segment FROM bench_rfv",
        )
        values = ", ".join(f"({run_id}, '{k}', {n})" for k, n in counts.items())
        _execute(conn, f"INSERT INTO daily_run_counts (run_id, name, value) VALUES {values}")  # noqa: S608
        _execute(
            conn,
            f"INSERT INTO daily_run_changes (run_id, position, customer_id, from_seller,"  # noqa: S608
            f" to_seller, reason, decided_by) SELECT {run_id}, position, customer_id,"
            " from_seller, to_seller, reason, decided_by FROM bench_changes",
        )
    else:
        _ingest(conn, "rfv_scores", snapshot, temporary=False)
        _ingest(conn, "daily_run_counts", counts_frame, temporary=False)
        _ingest(conn, "daily_run_changes", changes, temporary=False)
    conn.commit()


# what a run left behind -----------------------------------------------------------------


def job_output(store: str, as_of: date) -> dict[str, pl.DataFrame]:
    """Carteiras, the RFV snapshot of ``as_of`` and the latest run's counts and changes."""
    postgres = store.startswith("postgresql://")
    day = f"DATE '{as_of}'" if postgres else f"'{as_of}'"
    conn = connect(store)
    (run_id,) = _query(conn, "SELECT max(run_id) AS run_id FROM daily_runs")["run_id"]
    out = {
        "carteiras": _query(
            conn,
            "SELECT customer_id, seller_code, CAST(since AS TEXT) AS since, reason"
            " FROM portfolio ORDER BY customer_id",
        ),
        "RFV snapshot": _query(
            conn,
            f"SELECT customer_id, recency_days, frequency, CAST(value AS TEXT) AS value,"  # noqa: S608
            f" r, f, v, segment FROM rfv_scores WHERE as_of = {day} ORDER BY customer_id",
        ),
        "run counts": _query(
            conn,
            f"SELECT name, value FROM daily_run_counts WHERE run_id = {run_id} ORDER BY name",  # noqa: S608
        ),
        "run changes": _query(
            conn,
            "SELECT position, customer_id, from_seller, to_seller, reason, decided_by"  # noqa: S608
            f" FROM daily_run_changes WHERE run_id = {run_id} ORDER BY position",
        ),
    }
    conn.close()
    # compare money as numbers: Decimal("0") and Decimal("0.00") are the same value
    out["RFV snapshot"] = out["RFV snapshot"].with_columns(pl.col("value").cast(pl.Decimal(38, 2)))
    numbers = {"recency_days", "frequency", "r", "f", "v", "position", "value"}
    # an all-null column has no values for ADBC's SQLite driver to infer its type from
    return {
        name: frame.cast(
            {c: pl.Int64 if c in numbers else pl.String for c in frame.columns if c != "value"}
            | ({"value": pl.Int64} if name == "run counts" else {})
        )
        for name, frame in out.items()
    }


def differences(ours: dict[str, pl.DataFrame], anchor: dict[str, pl.DataFrame]) -> list[str]:
    """What differs between two runs' outputs (empty: identical, row for row)."""
    faults = []
    for name, frame in ours.items():
        other = anchor[name]
        if frame.columns != other.columns or frame.schema != other.schema:
            faults.append(f"{name}: columns {frame.schema} vs {other.schema}")
        elif not frame.equals(other):
            diff = frame.join(other, on=frame.columns, how="anti", nulls_equal=True)
            faults.append(
                f"{name}: {len(frame):,} vs {len(other):,} rows, {len(diff):,} of ours differ,"
                f" first: {diff.head(3).rows()}"
            )
    return faults


def previous_day(store: str, as_of: date, *, days: int = 7) -> str:
    """Make the store a day after earlier runs: what the job meets in production.

    Runs ``run_daily`` for ``as_of - days``, then (seeded) inactivates every 25th seller and
    hands every 50th customer to a seller by hand (``MANUAL``; every fifth of those to a
    seller just inactivated), so that the next run keeps and moves carteiras, keeps
    ``since`` and keeps or drops manual assignments: every branch of the carteira rules.
    """
    from datetime import timedelta

    import attrs

    from otocore.adapters.sql import open_database
    from otocore.daily import run_daily
    from otocore.portfolio import AssignmentReason, PortfolioAssignment
    from otocore.sellers import SellerStatus

    began = time.perf_counter()
    database = open_database(store.replace("postgresql://", "postgresql+psycopg://", 1))
    uow = database.unit_of_work()
    earlier = as_of - timedelta(days=days)
    run_daily(uow, earlier)
    with uow.writing():
        sellers = uow.sellers.list()
        gone = sellers[::25]
        for seller in gone:
            uow.sellers.add(attrs.evolve(seller, status=SellerStatus.INACTIVE))
        staying = [s for s in sellers if s not in gone]
        customers = [c.customer_id for c in uow.customers.list()][::50]
        uow.portfolio.set_many(
            PortfolioAssignment(
                customer_id=customer,
                seller_code=(gone if i % 5 == 0 else staying)[i % 7].code,
                since=earlier,
                reason=AssignmentReason.MANUAL,
            )
            for i, customer in enumerate(customers)
        )
    database.close()
    return (
        f"then run_daily for {earlier}, {len(gone)} sellers inactivated and {len(customers):,}"
        f" customers handed out by hand (--previous-day), in {time.perf_counter() - began:.1f} s"
    )
