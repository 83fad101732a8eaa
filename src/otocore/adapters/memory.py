"""Armazenamento em memória (in-memory storage): a real, transactional fake.

:class:`InMemoryUnitOfWork` implements :class:`otocore.repositories.UnitOfWork`
with dictionaries, for tests, examples and small tools. Its transactions are
real: a block's writes go to a private overlay that its own reads see, and
are applied to the shared state only when the block commits; a rollback (or
an exception leaving the block) throws the overlay away. It passes the same
contract suite as the SQL adapter (:mod:`otocore.testing.storage`).

Several units of work may share one :class:`InMemoryDatabase` (one per thread,
say). A plain block reads the state as it was committed when the block began;
commits are atomic. ``with uow.writing():`` holds the database's lock for the
whole block, so read-then-update blocks of different threads never interleave.
Nothing is persisted: the state lives as long as the :class:`InMemoryDatabase`.

>>> from otocore.sellers import Store
>>> db = InMemoryDatabase()
>>> first, second = db.unit_of_work(), db.unit_of_work()
>>> with first:
...     first.stores.add(Store(store_id="L01", name="Loja Centro"))
...     with second:
...         second.stores.list()  # not committed yet
[]
>>> with second:
...     print(*(s.name for s in second.stores.list()))
Loja Centro
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import Any, Final

import attrs

from otocore.adapters._common import (
    UnitOfWorkBase,
    check_order,
    check_scores,
    check_sequence_value,
    optional_enum,
    require,
    require_day,
    require_key,
    require_since,
    run_sort_key,
)
from otocore.customers import Cpf, Customer
from otocore.errors import NotFound
from otocore.orders import Order
from otocore.portfolio import AssignmentReason, DailyRun, PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus, Store

__all__ = ["InMemoryDatabase", "InMemoryUnitOfWork"]


def _cpf_digits(customer: Customer) -> str | None:
    return customer.cpf.digits if customer.cpf is not None else None


def _customer_of(order: Order) -> str:
    return order.customer_id


_TABLES: Final = (
    "stores",
    "sellers",
    "customers",
    "orders",
    "portfolio",
    "rfv",
    "daily_runs",
    "sequences",
)
# index name -> (table, function giving the indexed value of a row, or None)
_INDEXES: Final[dict[str, tuple[str, Callable[[Any], Hashable | None]]]] = {
    "orders_by_customer": ("orders", _customer_of),
    "customers_by_cpf": ("customers", _cpf_digits),
}
_INDEXES_OF: Final = {
    table: [(name, key) for name, (t, key) in _INDEXES.items() if t == table] for table in _TABLES
}


@attrs.frozen
class _Snapshot:
    """Committed state. Never mutated: a commit builds a new snapshot."""

    rows: Mapping[str, Mapping[Any, Any]]
    index: Mapping[str, Mapping[Any, frozenset[Any]]]


class InMemoryDatabase:
    """The committed state that units of work share; lives as long as this object.

    >>> db = InMemoryDatabase()
    >>> with db.unit_of_work() as uow:
    ...     uow.sequences.next("batch")
    1
    >>> with db.unit_of_work() as uow:
    ...     uow.sequences.current("batch")
    1
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._run_keys = itertools.count(1)
        self._snapshot = _Snapshot(
            rows={t: {} for t in _TABLES}, index={name: {} for name in _INDEXES}
        )

    def unit_of_work(self) -> InMemoryUnitOfWork:
        """A new unit of work over this database.

        >>> InMemoryDatabase().unit_of_work().database is not None
        True
        """
        return InMemoryUnitOfWork(database=self)

    def _apply(self, txn: _Txn) -> None:
        with self._lock:
            snap = self._snapshot
            rows = dict(snap.rows)
            index = dict(snap.index)
            for table, new in txn.new.items():
                if not new:
                    continue
                old = snap.rows[table]
                rows[table] = {**old, **new}
                for name, key in _INDEXES_OF[table]:
                    entries = dict(index[name])
                    for k, row in new.items():
                        before = old.get(k)
                        value = key(row)
                        if before is not None:
                            was = key(before)
                            if was is not None and was != value:
                                entries[was] = entries[was] - {k}
                        if value is not None:
                            entries[value] = entries.get(value, frozenset()) | {k}
                    index[name] = entries
            self._snapshot = _Snapshot(rows=rows, index=index)


class _Txn:
    """One transaction: the snapshot it reads and the overlay of its writes."""

    def __init__(self, snapshot: _Snapshot) -> None:
        self.snapshot = snapshot
        self.new: dict[str, dict[Any, Any]] = {t: {} for t in _TABLES}
        self.new_index: dict[str, dict[Any, set[Any]]] = {name: {} for name in _INDEXES}

    def get(self, table: str, key: Any) -> Any:
        new = self.new[table]
        if key in new:
            return new[key]
        return self.snapshot.rows[table].get(key)

    def put(self, table: str, key: Any, row: Any) -> None:
        self.new[table][key] = row
        for name, index_key in _INDEXES_OF[table]:
            value = index_key(row)
            if value is not None:
                self.new_index[name].setdefault(value, set()).add(key)

    def rows(self, table: str) -> Mapping[Any, Any]:
        base, new = self.snapshot.rows[table], self.new[table]
        return {**base, **new} if new else base

    def count(self, table: str) -> int:
        base = self.snapshot.rows[table]
        return len(base) + sum(1 for k in self.new[table] if k not in base)

    def lookup(self, name: str, value: Hashable) -> list[Any]:
        table, index_key = _INDEXES[name]
        keys = set(self.snapshot.index[name].get(value, frozenset()))
        keys |= self.new_index[name].get(value, set())
        found = (self.get(table, k) for k in keys)
        return [row for row in found if row is not None and index_key(row) == value]


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
        self._txn: _Txn | None = None
        self._locked = False
        self._stores = _Stores(self)
        self._sellers = _Sellers(self)
        self._customers = _Customers(self)
        self._orders = _Orders(self)
        self._portfolio = _Portfolio(self)
        self._rfv = _Rfv(self)
        self._daily_runs = _DailyRuns(self)
        self._sequences = _Sequences(self)

    # life cycle ---------------------------------------------------------------

    def _begin(self, *, write: bool) -> None:
        if write and not self._locked:
            self.database._lock.acquire()
            self._locked = True
        self._txn = _Txn(self.database._snapshot)

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

    def _tx(self) -> _Txn:
        self._check_active()
        assert self._txn is not None  # noqa: S101 - set whenever the block is active
        return self._txn

    # repositories ---------------------------------------------------------------

    @property
    def stores(self) -> _Stores:
        """The stores."""
        self._check_active()
        return self._stores

    @property
    def sellers(self) -> _Sellers:
        """The sellers."""
        self._check_active()
        return self._sellers

    @property
    def customers(self) -> _Customers:
        """The customer records."""
        self._check_active()
        return self._customers

    @property
    def orders(self) -> _Orders:
        """The orders."""
        self._check_active()
        return self._orders

    @property
    def portfolio(self) -> _Portfolio:
        """The carteira assignments."""
        self._check_active()
        return self._portfolio

    @property
    def rfv(self) -> _Rfv:
        """The RFV snapshots."""
        self._check_active()
        return self._rfv

    @property
    def daily_runs(self) -> _DailyRuns:
        """The daily job's log."""
        self._check_active()
        return self._daily_runs

    @property
    def sequences(self) -> _Sequences:
        """Named counters."""
        self._check_active()
        return self._sequences


class _Repository:
    def __init__(self, uow: InMemoryUnitOfWork) -> None:
        self._uow = uow

    @property
    def _t(self) -> _Txn:
        return self._uow._tx()


class _Stores(_Repository):
    def add(self, store: Store) -> None:
        require("store", store, Store)
        self._t.put("stores", store.store_id, store)

    def get(self, store_id: str) -> Store:
        found: Store | None = self._t.get("stores", require_key("store_id", store_id))
        if found is None:
            raise NotFound("Store", store_id)
        return found

    def list(self) -> list[Store]:
        rows = self._t.rows("stores")
        return [rows[k] for k in sorted(rows)]


class _Sellers(_Repository):
    def add(self, seller: Seller) -> None:
        require("seller", seller, Seller)
        self._t.put("sellers", seller.code, seller)

    def get(self, code: str) -> Seller:
        found: Seller | None = self._t.get("sellers", require_key("code", code))
        if found is None:
            raise NotFound("Seller", code)
        return found

    def list(
        self, *, store_id: str | None = None, status: SellerStatus | None = None
    ) -> list[Seller]:
        if store_id is not None:
            require_key("store_id", store_id)
        optional_enum("status", status, SellerStatus)
        rows = self._t.rows("sellers")
        return [
            s
            for s in (rows[k] for k in sorted(rows))
            if (store_id is None or s.store_id == store_id)
            and (status is None or s.status is status)
        ]


class _Customers(_Repository):
    def add(self, customer: Customer) -> None:
        require("customer", customer, Customer)
        self._t.put("customers", customer.customer_id, customer)

    def get(self, customer_id: str) -> Customer:
        found: Customer | None = self._t.get("customers", require_key("customer_id", customer_id))
        if found is None:
            raise NotFound("Customer", customer_id)
        return found

    def list(self) -> list[Customer]:
        rows = self._t.rows("customers")
        return [rows[k] for k in sorted(rows)]

    def find_by_cpf(self, cpf: Cpf) -> Customer | None:
        require("cpf", cpf, Cpf)
        found: list[Customer] = self._t.lookup("customers_by_cpf", cpf.digits)
        return min(found, key=lambda c: c.customer_id) if found else None

    def count(self) -> int:
        return self._t.count("customers")


def _order_key(order: Order) -> tuple[datetime, str]:
    return (order.placed_at, order.order_id)


class _Orders(_Repository):
    def add(self, order: Order) -> None:
        check_order("order", order)
        self._t.put("orders", order.order_id, order)

    def add_many(self, orders: Iterable[Order]) -> None:
        txn = self._t
        for i, order in enumerate(orders):
            check_order(f"orders[{i}]", order)
            txn.put("orders", order.order_id, order)

    def get(self, order_id: str) -> Order:
        found: Order | None = self._t.get("orders", require_key("order_id", order_id))
        if found is None:
            raise NotFound("Order", order_id)
        return found

    def for_customer(self, customer_id: str) -> list[Order]:
        found: list[Order] = self._t.lookup(
            "orders_by_customer", require_key("customer_id", customer_id)
        )
        return sorted(found, key=_order_key)

    def iter_all(self, *, since: datetime | None = None) -> Iterator[Order]:
        start = require_since(since)  # checked now, not at the first next()
        return self._sorted(self._t, start)

    @staticmethod
    def _sorted(txn: _Txn, start: datetime | None) -> Iterator[Order]:
        rows = txn.rows("orders").values()
        chosen = [o for o in rows if start is None or o.placed_at >= start]
        chosen.sort(key=_order_key)
        yield from chosen

    def count(self) -> int:
        return self._t.count("orders")


class _Portfolio(_Repository):
    def set(self, assignment: PortfolioAssignment) -> None:
        require("assignment", assignment, PortfolioAssignment)
        self._t.put("portfolio", assignment.customer_id, assignment)

    def set_many(self, assignments: Iterable[PortfolioAssignment]) -> None:
        txn = self._t
        for i, assignment in enumerate(assignments):
            require(f"assignments[{i}]", assignment, PortfolioAssignment)
            txn.put("portfolio", assignment.customer_id, assignment)

    def get(self, customer_id: str) -> PortfolioAssignment | None:
        found: PortfolioAssignment | None = self._t.get(
            "portfolio", require_key("customer_id", customer_id)
        )
        return found

    def list(
        self, *, seller_code: str | None = None, reason: AssignmentReason | None = None
    ) -> list[PortfolioAssignment]:
        if seller_code is not None:
            require_key("seller_code", seller_code)
        optional_enum("reason", reason, AssignmentReason)
        rows = self._t.rows("portfolio")
        return [
            a
            for a in (rows[k] for k in sorted(rows))
            if (seller_code is None or a.seller_code == seller_code)
            and (reason is None or a.reason is reason)
        ]


class _Rfv(_Repository):
    def save(self, as_of: date, scores: Mapping[str, RfvScore]) -> None:
        snapshot = check_scores(as_of, scores)
        self._t.put("rfv", as_of, snapshot)

    def get(self, as_of: date) -> dict[str, RfvScore]:
        found: dict[str, RfvScore] | None = self._t.get("rfv", require_day("as_of", as_of))
        if found is None:
            raise NotFound("RFV snapshot", as_of)
        return dict(found)

    def dates(self) -> list[date]:
        return sorted(self._t.rows("rfv"))


class _DailyRuns(_Repository):
    def add(self, run: DailyRun) -> None:
        require("run", run, DailyRun)
        # keys order the runs by when they were added, and are unique in the database
        self._t.put("daily_runs", next(self._uow.database._run_keys), run)

    def list(self) -> list[DailyRun]:
        rows = self._t.rows("daily_runs")
        return sorted((rows[k] for k in sorted(rows)), key=run_sort_key)

    def latest(self, as_of: date | None = None) -> DailyRun | None:
        if as_of is not None:
            require_day("as_of", as_of)
        runs = [r for r in self.list() if as_of is None or r.as_of == as_of]
        return runs[-1] if runs else None


class _Sequences(_Repository):
    def current(self, name: str) -> int:
        value: int | None = self._t.get("sequences", require_key("name", name))
        return value or 0

    def set(self, name: str, value: int) -> None:
        self._t.put("sequences", require_key("name", name), check_sequence_value(value))

    def next(self, name: str) -> int:
        # like a database write, this takes the write lock until the block ends
        # and reads the latest committed value, so concurrent blocks never get
        # the same number
        self._uow._take_write_lock()
        value = self.current(name) + 1
        self.set(name, value)
        return value


def _conforms(uow: InMemoryUnitOfWork) -> UnitOfWork:  # checked by mypy
    return uow
