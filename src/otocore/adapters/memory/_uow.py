"""The in-memory unit of work and the database its units of work share."""

from __future__ import annotations

import itertools
import threading

from otocore.adapters._common import UnitOfWorkBase
from otocore.adapters.memory._accounts import Accounts, Audit, Tokens
from otocore.adapters.memory._base import DELETED, INDEXES, INDEXES_OF, TABLES, Snapshot, Txn
from otocore.adapters.memory._categories import Categories
from otocore.adapters.memory._contacts import (
    Blocks,
    Campaigns,
    Consent,
    Contacts,
    Suggestions,
    Workloads,
)
from otocore.adapters.memory._exports import Exports
from otocore.adapters.memory._logs import AccessLog, CustomerHistory
from otocore.adapters.memory._outcomes import Outcomes
from otocore.adapters.memory._portfolio import (
    Customers,
    DailyRuns,
    Orders,
    Portfolio,
    Rfv,
    Sellers,
    Sequences,
    Stores,
)
from otocore.adapters.memory._privacy import DataRequests
from otocore.adapters.memory._registry import CustomerSearch
from otocore.adapters.memory._subject import SubjectData
from otocore.adapters.memory._telesales import Telesales
from otocore.errors import ValidationError
from otocore.ledger import LogKeyring
from otocore.repositories import UnitOfWork


class InMemoryDatabase:
    """The committed state that units of work share; lives as long as this object.

    ``log_keys`` (a :class:`~otocore.ledger.LogKeyring`) seals the entries of
    the audit log, the customer history and the data-access log; without it
    the audit log is only hash-chained and the other two refuse to append.

    >>> db = InMemoryDatabase()
    >>> with db.unit_of_work() as uow:
    ...     uow.sequences.next("batch")
    1
    >>> with db.unit_of_work() as uow:
    ...     uow.sequences.current("batch")
    1
    """

    def __init__(self, *, log_keys: LogKeyring | None = None) -> None:
        if log_keys is not None and not isinstance(log_keys, LogKeyring):
            raise ValidationError("log_keys", log_keys, "must be a LogKeyring or None")
        self.log_keys = log_keys
        self._lock = threading.RLock()
        self._run_keys = itertools.count(1)
        self._event_keys = itertools.count(1)
        self._snapshot = Snapshot(
            rows={t: {} for t in TABLES}, index={name: {} for name in INDEXES}
        )

    def unit_of_work(self) -> InMemoryUnitOfWork:
        """A new unit of work over this database.

        >>> InMemoryDatabase().unit_of_work().database is not None
        True
        """
        return InMemoryUnitOfWork(database=self)

    def _apply(self, txn: Txn) -> None:
        with self._lock:
            snap = self._snapshot
            rows = dict(snap.rows)
            index = dict(snap.index)
            for table, new in txn.new.items():
                if not new:
                    continue
                old = snap.rows[table]
                merged = {**old, **new}
                for k, row in new.items():
                    if row is DELETED:
                        del merged[k]
                rows[table] = merged
                for name, key in INDEXES_OF[table]:
                    entries = dict(index[name])
                    for k, row in new.items():
                        before = old.get(k)
                        value = None if row is DELETED else key(row)
                        if before is not None:
                            was = key(before)
                            if was is not None and was != value:
                                entries[was] = entries[was] - {k}
                        if value is not None:
                            entries[value] = entries.get(value, frozenset()) | {k}
                    index[name] = entries
            self._snapshot = Snapshot(rows=rows, index=index)


class InMemoryUnitOfWork(UnitOfWorkBase):
    """A :class:`~otocore.repositories.UnitOfWork` over an :class:`InMemoryDatabase`.

    Args:
        database: the state to work on; a new, empty one by default.

    >>> from otocore.sellers import Store
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
    ...     uow.stores.get("L01").name
    'Loja Centro'
    """

    def __init__(self, *, database: InMemoryDatabase | None = None) -> None:
        self.database = database if database is not None else InMemoryDatabase()
        self._txn: Txn | None = None
        self._locked = False
        self._stores = Stores(self)
        self._sellers = Sellers(self)
        self._customers = Customers(self)
        self._orders = Orders(self)
        self._portfolio = Portfolio(self)
        self._rfv = Rfv(self)
        self._daily_runs = DailyRuns(self)
        self._sequences = Sequences(self)
        self._consent = Consent(self)
        self._blocks = Blocks(self)
        self._contacts = Contacts(self)
        self._campaigns = Campaigns(self)
        self._suggestions = Suggestions(self)
        self._workloads = Workloads(self)
        self._outcomes = Outcomes(self)
        self._telesales = Telesales(self)
        self._accounts = Accounts(self)
        self._tokens = Tokens(self)
        self._audit = Audit(self)
        self._categories = Categories(self)  # issue 15, categories
        self._exports = Exports(self)  # exports (issue 15)
        # logs (issue 15)
        self._customer_history = CustomerHistory(self)
        self._access_log = AccessLog(self)
        self._customer_search = CustomerSearch(self)  # search (issue 15)
        self._data_requests = DataRequests(self)  # data-subject requests (issue 15, SAC)
        self._subject_data = SubjectData(self)  # erasure (issue 15)

    # life cycle ---------------------------------------------------------------

    def _begin(self, *, write: bool) -> None:
        if write and not self._locked:
            self.database._lock.acquire()
            self._locked = True
        self._txn = Txn(self.database._snapshot)

    def _commit(self) -> None:
        if self._txn is not None:
            self.database._apply(self._txn)
        self._txn = None

    def _rollback(self) -> None:
        self._txn = None

    def _close(self) -> None:
        self._txn = None
        if self._locked:
            self._locked = False
            self.database._lock.release()

    def _take_write_lock(self) -> None:
        txn = self._tx()
        if not self._locked:
            self.database._lock.acquire()
            self._locked = True
            txn.snapshot = self.database._snapshot

    def _tx(self) -> Txn:
        self._check_active()
        assert self._txn is not None  # noqa: S101 - set whenever the block is active
        return self._txn


def _conforms(uow: InMemoryUnitOfWork) -> UnitOfWork:  # checked by mypy
    return uow
