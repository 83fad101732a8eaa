"""Benchmark: one page of the data-access log (registro de acesso a dados) out of 1M entries.

``AccessLogService.read`` used to stream the whole log from its first entry and filter it
in Python, under the write lock of its audited block; it now asks the store for a keyed
page (``uow.access_log.page``: ``sequence > after``, the filters in SQL, ``LIMIT``) and
checks the customer filter's boundaries in Python. This script writes ``--entries``
entries (1M by default) to a fresh SQLite file, then times, for each kind of read:

* *before*: the old reader: ``iter_all()`` from the first entry, ``AccessLogFilter.matches``
  on each, stopping when the page (plus one, to know whether more follow) is full;
* *after*: what ``read`` does now to gather its page (``_matching``: the store's pages);
* *anchor*: the hand-written SQL of the same page on the same connection, rows fetched
  as tuples (no entries built): what the store cannot beat.

Each figure is the median of ``--repeat`` runs (the *before* of the reads that scan the
log once only, with ``--repeat-before``), in milliseconds, with the ratio after/anchor.
The entries are written as rows, their MACs placeholders (a read does not verify them;
``verify_access_log`` is not what is timed here). Not timed: authorization, the audit
entry and the read's own log entry, the same before and after.

Usage::

    python benchmarks/access_log.py                 # 1M entries
    python benchmarks/access_log.py --quick         # 20,000 entries, a smoke run
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from otocore.adapters.sql import open_database
from otocore.adapters.sql._tables import access_log
from otocore.history import AccessAction, AccessEntry
from otocore.ledger import LogKey, LogKeyring
from otocore.privacy import AccessLogFilter
from otocore.privacy._access_log import _matching
from otocore.repositories import UnitOfWork

SEED = 20261206
T0 = datetime(2025, 1, 1, tzinfo=UTC)
KEYS = LogKeyring.of(LogKey(key_id="bench", secret=bytes(32)))
PAGE = 100
ACTORS = [f"u-sac-{n:02d}" for n in range(40)] + ["u-dpo"]
ACTIONS = [a for a in AccessAction if a is not AccessAction.ACCESS_LOG_READ]


def rows(count: int) -> list[dict[str, Any]]:
    """``count`` access-log rows: mostly SAC history reads, some exports, a rare DPO."""
    pick = random.Random(SEED)
    out = []
    for n in range(1, count + 1):
        action = pick.choice(ACTIONS)
        customer = f"C{pick.randrange(200_000)}"
        if action is AccessAction.HISTORY_READ:
            query = f"customer {customer}"
        elif action is AccessAction.SUBJECT_DATA_EXPORTED:
            query = f"customer_id={customer}"
        else:
            query = f"name = ana; store = L{pick.randrange(30):02d}"
        actor = "u-dpo" if n % 50_000 == 0 else pick.choice(ACTORS[:-1])
        out.append(
            {
                "sequence": n,
                "actor": actor,
                "at": T0 + timedelta(seconds=30 * n),
                "action": action.value,
                "query": query,
                "customers": 1,
                "detail": "",
                "key_id": "bench",
                "mac": f"{n:064x}",  # a placeholder: reads do not verify MACs
            }
        )
    return out


def before(uow: UnitOfWork, wanted: AccessLogFilter, after: int) -> list[AccessEntry]:
    """The reader of round 3: the whole log streamed from entry 1, filtered here."""
    found: list[AccessEntry] = []
    entries = uow.access_log.iter_all()
    for entry in entries:
        if entry.sequence <= after or not wanted.matches(entry):
            continue
        found.append(entry)
        if len(found) == PAGE + 1:
            break
    close = getattr(entries, "close", None)
    if close is not None:
        close()
    return found


def anchor(conn: sa.Connection, wanted: AccessLogFilter, after: int) -> list[Any]:
    """The same page by hand: one SELECT on the primary key, tuples out."""
    sql = "SELECT * FROM access_log WHERE sequence > :after"
    params: dict[str, Any] = {"after": after, "limit": PAGE + 1}
    if wanted.since is not None:
        sql += " AND at >= :since"
        params["since"] = wanted.since.isoformat(timespec="microseconds")
    if wanted.until is not None:
        sql += " AND at < :until"
        params["until"] = wanted.until.isoformat(timespec="microseconds")
    if wanted.account is not None:
        sql += " AND actor = :account"
        params["account"] = wanted.account
    if wanted.action is not None:
        sql += " AND action = :action"
        params["action"] = wanted.action.value
    if wanted.customer_id is not None:
        sql += " AND (instr(query, :a) > 0 OR instr(query, :b) > 0)"
        params["a"] = f"customer {wanted.customer_id}"
        params["b"] = f"customer_id={wanted.customer_id}"
    sql += " ORDER BY sequence LIMIT :limit"
    return list(conn.exec_driver_sql(_positional(sql, params), tuple(_values(sql, params))))


def _positional(sql: str, params: dict[str, Any]) -> str:
    for name in params:
        sql = sql.replace(f":{name}", "?")
    return sql


def _values(sql: str, params: dict[str, Any]) -> list[Any]:
    order = sorted(params, key=lambda name: sql.index(f":{name}"))
    return [params[name] for name in order]


def _median_ms(run: Callable[[], object], times: int) -> float:
    laps = []
    for _ in range(times):
        began = time.perf_counter()
        run()
        laps.append((time.perf_counter() - began) * 1000)
    return statistics.median(laps)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--repeat-before", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="20,000 entries")
    args = parser.parse_args(argv)
    if args.quick:
        args.entries = 20_000
    count = args.entries
    reads: list[tuple[str, AccessLogFilter, int]] = [
        ("first page, no filter", AccessLogFilter(), 0),
        ("last page, no filter", AccessLogFilter(), count - PAGE),
        ("the rare account (1 in 50,000)", AccessLogFilter(account="u-dpo"), 0),
        (
            "one action, the last day",
            AccessLogFilter(
                action=AccessAction.SUBJECT_DATA_EXPORTED,
                since=T0 + timedelta(seconds=30 * (count - 2_880)),
            ),
            0,
        ),
        ("one customer (C4242)", AccessLogFilter(customer_id="C4242"), 0),
    ]
    with tempfile.TemporaryDirectory(prefix="otocore-bench-access-") as folder:
        url = str(Path(folder) / "access.db")
        began = time.perf_counter()
        with open_database(url, upgrade=True, durable=False, log_keys=KEYS) as db:
            with db.engine.begin() as conn:
                table = rows(count)
                for start in range(0, count, 50_000):
                    conn.execute(sa.insert(access_log), table[start : start + 50_000])
                del table
            print(f"{count:,} entries written in {time.perf_counter() - began:.1f} s (SQLite file)")
            print(
                f"{'read':34} | {'before':>10} | {'after':>8} | {'anchor':>8} | after/anchor"
                f" | entries"
            )
            uow = db.unit_of_work()
            with uow:
                conn = uow._conn()  # the anchor runs on the unit of work's connection
                for name, wanted, after in reads:
                    old = partial(before, uow, wanted, after)
                    new = partial(_matching, uow, wanted, after, PAGE + 1)
                    by_hand = partial(anchor, conn, wanted, after)
                    page = new()
                    if page != old() or len(by_hand()) < len(page):
                        raise SystemExit(f"{name}: the pages differ")
                    t_before = _median_ms(old, args.repeat_before)
                    t_after = _median_ms(new, args.repeat)
                    t_anchor = _median_ms(by_hand, args.repeat)
                    print(
                        f"{name:34} | {t_before:8.1f}ms | {t_after:6.2f}ms | {t_anchor:6.2f}ms |"
                        f" {t_after / max(t_anchor, 1e-6):12.1f} | {len(page)}"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
