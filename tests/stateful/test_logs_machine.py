"""The chained logs against a model: appends, redactions, key rotations and exported heads.

Two machines, one per store (in memory, SQLite in memory). Each step appends a history
change or a data access, redacts a customer, rotates the log key (the store is opened again
with the new keyring, the old key kept for verification) or exports the heads. After every
step the stores agree with the model (each customer's history in order, with the values the
model still holds; the access log), the three logs verify with the keyring, and every head
exported so far still verifies: nothing was rewritten or cut.
"""

from __future__ import annotations

from typing import Any

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from otocore.adapters.memory import InMemoryDatabase
from otocore.adapters.sql import open_database
from otocore.history import (
    AccessEvent,
    HistoryChange,
    access_head,
    history_head,
    verify_access_log,
    verify_history,
)
from otocore.ledger import LogHead, LogKey, LogKeyring
from otocore.testing import access_events, history_changes

CUSTOMERS = ("C1", "C2", "C3")


class _Logs(RuleBasedStateMachine):
    def _open(self, keys: LogKeyring) -> Any:
        raise NotImplementedError

    def _rekey(self, keys: LogKeyring) -> None:
        raise NotImplementedError

    @initialize()
    def start(self) -> None:
        self.generation = 1
        self.keys = LogKeyring.of(LogKey(key_id="g1", secret=bytes([1]) * 32))
        self.db = self._open(self.keys)
        self.changes: list[HistoryChange] = []
        self.redacted: set[int] = set()
        self.accesses: list[AccessEvent] = []
        self.heads: list[LogHead] = []

    def teardown(self) -> None:
        close = getattr(getattr(self, "db", None), "close", None)
        if close is not None:
            close()

    @rule(change=history_changes(customer_ids=st.sampled_from(CUSTOMERS)))
    def append_change(self, change: HistoryChange) -> None:
        with self.db.unit_of_work().writing() as uow:
            entry = uow.customer_history.append(change)
        self.changes.append(change)
        assert entry.sequence == len(self.changes)
        assert entry.key_id == self.keys.current

    @rule(event=access_events())
    def append_access(self, event: AccessEvent) -> None:
        with self.db.unit_of_work().writing() as uow:
            entry = uow.access_log.append(event)
        self.accesses.append(event)
        assert entry.sequence == len(self.accesses)

    @rule(customer=st.sampled_from(CUSTOMERS))
    def redact(self, customer: str) -> None:
        mine = {n for n, c in enumerate(self.changes, 1) if c.customer_id == customer}
        with self.db.unit_of_work() as uow:
            assert uow.customer_history.redact(customer) == len(mine - self.redacted)
        self.redacted |= mine

    @rule()
    def rotate_key(self) -> None:
        self.generation += 1
        new = LogKey(key_id=f"g{self.generation}", secret=bytes([self.generation]) * 32)
        self.keys = LogKeyring.of(new, *self.keys.keys.values())
        self._rekey(self.keys)

    @rule()
    def export_heads(self) -> None:
        with self.db.unit_of_work() as uow:
            history, access = uow.customer_history.tail(), uow.access_log.tail()
        if history is not None:
            self.heads.append(history_head(history))
        if access is not None:
            self.heads.append(access_head(access))

    @invariant()
    def stores_agree_with_the_model_and_verify(self) -> None:
        with self.db.unit_of_work() as uow:
            history = list(uow.customer_history.iter_all())
            accesses = list(uow.access_log.iter_all())
            by_customer = {c: uow.customer_history.for_customer(c) for c in CUSTOMERS}
        assert len(history) == len(self.changes)
        for n, (entry, change) in enumerate(zip(history, self.changes, strict=True), start=1):
            assert (entry.customer_id, entry.field, entry.at) == (
                change.customer_id,
                change.field,
                change.at,
            )
            if n in self.redacted:
                assert (entry.redacted, entry.old_value, entry.new_value) == (True, None, None)
            else:
                assert (entry.old_value, entry.new_value) == (change.old_value, change.new_value)
        for customer, entries in by_customer.items():
            assert entries == [e for e in history if e.customer_id == customer]
        assert [(a.action, a.query, a.customers) for a in accesses] == [
            (e.action, e.query, e.customers) for e in self.accesses
        ]
        result = verify_history(history, keys=self.keys)
        assert result.ok, result.problem
        assert set(result.redacted) == self.redacted
        assert verify_access_log(accesses, keys=self.keys).ok
        for head in self.heads:
            if head.log == "customer_history":
                assert verify_history(history, keys=self.keys, head=head).ok
            else:
                assert verify_access_log(accesses, keys=self.keys, head=head).ok


class MemoryLogs(_Logs):
    def _open(self, keys: LogKeyring) -> Any:
        return InMemoryDatabase(log_keys=keys)

    def _rekey(self, keys: LogKeyring) -> None:
        self.db.log_keys = keys  # as if the process restarted with the rotated key file


class SqliteLogs(_Logs):
    def _open(self, keys: LogKeyring) -> Any:
        return open_database(":memory:", upgrade=True, log_keys=keys)

    def _rekey(self, keys: LogKeyring) -> None:
        self.db.log_keys = keys


TestMemoryLogs = MemoryLogs.TestCase
TestMemoryLogs.settings = settings(stateful_step_count=20, deadline=None)
TestSqliteLogs = SqliteLogs.TestCase
TestSqliteLogs.settings = settings(stateful_step_count=15, deadline=None)
