"""SQL repositories of the chained logs: the customer history and the data-access log.

A history entry is two rows: ``customer_history`` (what the MAC chain covers;
the triggers of migration 0009 refuse UPDATE and DELETE) and
``customer_history_values`` (its old and new values; a redaction deletes
them). The data-access log is one row per entry in ``access_log``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from otocore.adapters._common import (
    access_page_query,
    require,
    require_key,
    require_log_keys,
)
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._base import Repository
from otocore.adapters.sql._rows import RowMap
from otocore.errors import RuleViolation
from otocore.history import (
    AccessAction,
    AccessEntry,
    AccessEvent,
    HistoryChange,
    HistoryEntry,
    HistoryReason,
    seal_access,
    seal_change,
)
from otocore.ledger import LogKeyring

_H = t.customer_history.c
_HV = t.customer_history_values.c
_A = t.access_log.c

_HISTORY = RowMap(
    HistoryEntry,
    ("sequence", "customer_id", "field", "actor", "at", "values_digest", "key_id", "mac"),
    {"reason": HistoryReason},
)
_ACCESS = RowMap(
    AccessEntry,
    ("sequence", "actor", "at", "query", "customers", "detail", "key_id", "mac"),
    {"action": AccessAction},
)
_HISTORY_SELECT = sa.select(
    t.customer_history, _HV.sequence.label("kept"), _HV.old_value, _HV.new_value
).select_from(t.customer_history.outerjoin(t.customer_history_values, _HV.sequence == _H.sequence))


def _history(row: Any) -> HistoryEntry:
    kept = row.kept is not None
    return _HISTORY.load(
        row,
        old_value=row.old_value if kept else None,
        new_value=row.new_value if kept else None,
        redacted=not kept,
    )


def _conflict(log: str, sequence: int) -> RuleViolation:
    # every append takes the write lock first: only a writer that bypassed otocore gets here
    return RuleViolation(
        f"{log} entry {sequence} was appended by a concurrent transaction;"
        " the log is append-only: nothing was written, retry the block"
    )


class _Keyed(Repository):
    def _keys(self, log: str) -> LogKeyring:
        return require_log_keys(self._uow._log_keys, log)

    def _tail_locked(self) -> None:
        """Take the store's write lock before the tail is read: appends follow one another."""
        self._uow._take_write_lock()


class CustomerHistory(_Keyed):
    def append(self, change: HistoryChange) -> HistoryEntry:
        checked = require("change", change, HistoryChange)
        keys = self._keys("customer history")
        self._tail_locked()
        entry = seal_change(checked, tail=self.tail(), key=keys.current_key)
        row = _HISTORY.row(entry)
        self._write_once(
            sa.insert(t.customer_history).values(**row),
            lambda: _conflict("customer history", entry.sequence),
        )
        self._c.execute(
            sa.insert(t.customer_history_values).values(
                sequence=entry.sequence, old_value=entry.old_value, new_value=entry.new_value
            )
        )
        return entry

    def append_many(self, changes: Iterable[HistoryChange]) -> list[HistoryEntry]:
        checked = [require(f"changes[{i}]", c, HistoryChange) for i, c in enumerate(changes)]
        if not checked:
            return []
        keys = self._keys("customer history")
        self._tail_locked()
        tail = self.tail()
        entries: list[HistoryEntry] = []
        for change in checked:
            tail = seal_change(change, tail=tail, key=keys.current_key)
            entries.append(tail)
        self._write_once(
            sa.insert(t.customer_history),
            functools.partial(_conflict, "customer history", entries[0].sequence),
            [_HISTORY.row(e) for e in entries],
        )
        self._c.execute(
            sa.insert(t.customer_history_values),
            [
                {"sequence": e.sequence, "old_value": e.old_value, "new_value": e.new_value}
                for e in entries
            ],
        )
        return entries

    def for_customer(self, customer_id: str) -> list[HistoryEntry]:
        key = require_key("customer_id", customer_id)
        stmt = _HISTORY_SELECT.where(_H.customer_id == key).order_by(_H.sequence)
        return [_history(row) for row in self._c.execute(stmt)]

    def redact(self, customer_id: str) -> int:
        key = require_key("customer_id", customer_id)
        mine = sa.select(_H.sequence).where(_H.customer_id == key)
        result = self._c.execute(sa.delete(t.customer_history_values).where(_HV.sequence.in_(mine)))
        return int(result.rowcount)

    def tail(self) -> HistoryEntry | None:
        # no FOR UPDATE (the outer join's nullable side cannot be locked): a writing
        # block holds the write lock, and the primary key refuses a second entry n
        row = self._c.execute(_HISTORY_SELECT.order_by(_H.sequence.desc()).limit(1)).first()
        return None if row is None else _history(row)

    def iter_all(self) -> Iterator[HistoryEntry]:
        return self._streamed(_HISTORY_SELECT.order_by(_H.sequence), _history)

    def count(self) -> int:
        return self._count(t.customer_history)


def _access(row: Any) -> AccessEntry:
    return _ACCESS.load(row)


class AccessLog(_Keyed):
    def append(self, event: AccessEvent) -> AccessEntry:
        checked = require("event", event, AccessEvent)
        keys = self._keys("data-access log")
        self._tail_locked()
        entry = seal_access(checked, tail=self.tail(), key=keys.current_key)
        self._write_once(
            sa.insert(t.access_log).values(**_ACCESS.row(entry)),
            lambda: _conflict("data-access log", entry.sequence),
        )
        return entry

    def page(
        self,
        after: int,
        limit: int,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
        account: str | None = None,
        action: AccessAction | None = None,
        query_contains: Iterable[str] = (),
    ) -> list[AccessEntry]:
        q = access_page_query(
            after,
            limit,
            since=since,
            until=until,
            account=account,
            action=action,
            query_contains=query_contains,
        )
        # keyset by the primary key: the scan starts after ``after`` and stops at ``limit``
        stmt = sa.select(t.access_log).where(_A.sequence > q.after)
        if q.since is not None:
            stmt = stmt.where(_A.at >= q.since)
        if q.until is not None:
            stmt = stmt.where(_A.at < q.until)
        if q.account is not None:
            stmt = stmt.where(_A.actor == q.account)
        if q.action is not None:
            stmt = stmt.where(_A.action == q.action.value)
        if q.query_contains:
            # exact, case-sensitive substrings (LIKE is case-insensitive on SQLite, and
            # would need its wildcards escaped): SQLite instr, PostgreSQL strpos
            find = sa.func.strpos if self._c.dialect.name == "postgresql" else sa.func.instr
            stmt = stmt.where(sa.or_(*(find(_A.query, text) > 0 for text in q.query_contains)))
        return self._all(stmt.order_by(_A.sequence).limit(q.limit), _access)

    def tail(self) -> AccessEntry | None:
        return self._find(sa.select(t.access_log).order_by(_A.sequence.desc()).limit(1), _access)

    def iter_all(self) -> Iterator[AccessEntry]:
        return self._streamed(sa.select(t.access_log).order_by(_A.sequence), _access)

    def count(self) -> int:
        return self._count(t.access_log)
