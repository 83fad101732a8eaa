"""In-memory repositories of the chained logs: the customer history and the data-access log.

The history keeps its chained entries (without values) in ``customer_history``
and the values beside them in ``history_values``, as the SQL stores do, so a
redaction deletes values and never touches an entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

import attrs

from otocore.adapters._common import (
    access_page_query,
    require,
    require_key,
    require_log_keys,
)
from otocore.adapters.memory._base import Repository
from otocore.history import (
    AccessAction,
    AccessEntry,
    AccessEvent,
    HistoryChange,
    HistoryEntry,
    redact_entry,
    seal_access,
    seal_change,
)
from otocore.ledger import LogKeyring


class _Keyed(Repository):
    def _keys(self, log: str) -> LogKeyring:
        return require_log_keys(self._uow.database.log_keys, log)


class CustomerHistory(_Keyed):
    def append(self, change: HistoryChange) -> HistoryEntry:
        checked = require("change", change, HistoryChange)
        keys = self._keys("customer history")
        self._uow._take_write_lock()
        entry = seal_change(checked, tail=self.tail(), key=keys.current_key)
        chained = attrs.evolve(entry, old_value=None, new_value=None)
        self._t.put("customer_history", entry.sequence, chained)
        self._t.put("history_values", entry.sequence, (entry.old_value, entry.new_value))
        return entry

    def append_many(self, changes: Iterable[HistoryChange]) -> list[HistoryEntry]:
        checked = [require(f"changes[{i}]", c, HistoryChange) for i, c in enumerate(changes)]
        return [self.append(change) for change in checked]

    def _full(self, chained: HistoryEntry) -> HistoryEntry:
        values: Any = self._t.get("history_values", chained.sequence)
        if values is None:
            return redact_entry(chained)
        return attrs.evolve(chained, old_value=values[0], new_value=values[1])

    def for_customer(self, customer_id: str) -> list[HistoryEntry]:
        key = require_key("customer_id", customer_id)
        rows = self._t.lookup("history_by_customer", key)
        return [self._full(e) for e in sorted(rows, key=lambda e: e.sequence)]

    def redact(self, customer_id: str) -> int:
        key = require_key("customer_id", customer_id)
        removed = 0
        for entry in self._t.lookup("history_by_customer", key):
            if self._t.get("history_values", entry.sequence) is not None:
                self._t.delete("history_values", entry.sequence)
                removed += 1
        return removed

    def tail(self) -> HistoryEntry | None:
        rows = self._t.rows("customer_history")
        return self._full(rows[max(rows)]) if rows else None

    def iter_all(self) -> Iterator[HistoryEntry]:
        rows = self._t.rows("customer_history")
        return iter([self._full(rows[k]) for k in sorted(rows)])

    def count(self) -> int:
        return self._t.count("customer_history")


class AccessLog(_Keyed):
    def append(self, event: AccessEvent) -> AccessEntry:
        checked = require("event", event, AccessEvent)
        keys = self._keys("data-access log")
        self._uow._take_write_lock()
        entry = seal_access(checked, tail=self.tail(), key=keys.current_key)
        self._t.put("access_log", entry.sequence, entry)
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
        rows = self._t.rows("access_log")
        found: list[AccessEntry] = []
        for sequence in sorted(k for k in rows if k > q.after):
            entry: AccessEntry = rows[sequence]
            if (
                (q.since is None or entry.at >= q.since)
                and (q.until is None or entry.at < q.until)
                and (q.account is None or entry.actor == q.account)
                and (q.action is None or entry.action is q.action)
                and (not q.query_contains or any(t in entry.query for t in q.query_contains))
            ):
                found.append(entry)
                if len(found) == q.limit:
                    break
        return found

    def tail(self) -> AccessEntry | None:
        rows = self._t.rows("access_log")
        return rows[max(rows)] if rows else None

    def iter_all(self) -> Iterator[AccessEntry]:
        rows = self._t.rows("access_log")
        return iter([rows[k] for k in sorted(rows)])

    def count(self) -> int:
        return self._t.count("access_log")
