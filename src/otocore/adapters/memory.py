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

from otocore.access import AuditEntry
from otocore.adapters._common import (
    UnitOfWorkBase,
    account_taken,
    campaign_sort_key,
    check_account,
    check_audit_successor,
    check_day_suggestions,
    check_order,
    check_scores,
    check_sequence_value,
    check_workload,
    contact_sort_key,
    contact_taken,
    optional_bool,
    optional_enum,
    require,
    require_day,
    require_instant,
    require_key,
    require_since,
    run_sort_key,
    same_event,
    status_taken,
    suggestion_sort_key,
    token_hash_key,
    token_taken,
)
from otocore.auth import REDACTED, Account, AccountToken, Role, TokenPurpose
from otocore.blocking import BlockEvent
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent
from otocore.contacts import Contact, SuggestionStatus
from otocore.customers import Cpf, Customer, Email
from otocore.errors import NotFound
from otocore.orders import Order
from otocore.portfolio import AssignmentReason, DailyRun, PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus, Store
from otocore.suggestions import SellerWorkload, Suggestion

__all__ = ["InMemoryDatabase", "InMemoryUnitOfWork"]


def _cpf_digits(customer: Customer) -> str | None:
    return customer.cpf.digits if customer.cpf is not None else None


def _customer_of(row: Order | ConsentEvent | Contact | Suggestion) -> str:
    return row.customer_id


def _day_of(suggestion: Suggestion) -> date:
    return suggestion.day


def _event_id_of(event: ConsentEvent | BlockEvent) -> str | None:
    return event.event_id


def _cpf_of(event: BlockEvent) -> str:
    return event.cpf.digits


def _follow_up_day(contact: Contact) -> date | None:
    return contact.follow_up.day if contact.follow_up is not None else None


_TABLES: Final = (
    "stores",
    "sellers",
    "customers",
    "orders",
    "portfolio",
    "rfv",
    "daily_runs",
    "sequences",
    "consent",
    "blocks",
    "contacts",
    "campaigns",
    "suggestions",
    "workloads",
    "accounts",
    "tokens",
    "audit",
)
# index name -> (table, function giving the indexed value of a row, or None)
_INDEXES: Final[dict[str, tuple[str, Callable[[Any], Hashable | None]]]] = {
    "orders_by_customer": ("orders", _customer_of),
    "customers_by_cpf": ("customers", _cpf_digits),
    "consent_by_customer": ("consent", _customer_of),
    "consent_by_event_id": ("consent", _event_id_of),
    "blocks_by_cpf": ("blocks", _cpf_of),
    "blocks_by_event_id": ("blocks", _event_id_of),
    "contacts_by_customer": ("contacts", _customer_of),
    "contacts_by_follow_up": ("contacts", _follow_up_day),
    "suggestions_by_day": ("suggestions", _day_of),
    "suggestions_by_customer": ("suggestions", _customer_of),
    "accounts_by_email": ("accounts", lambda a: a.email.address),
    "accounts_by_seller": ("accounts", lambda a: a.seller_code),
    "tokens_by_owner": ("tokens", lambda row: (row[1].account_id, row[1].purpose)),
}
_INDEXES_OF: Final = {
    table: [(name, key) for name, (t, key) in _INDEXES.items() if t == table] for table in _TABLES
}


class _Deleted:
    """The overlay's mark of a row the transaction deleted."""

    def __repr__(self) -> str:
        return "<deleted>"


_DELETED: Final = _Deleted()


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
        self._event_keys = itertools.count(1)
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
                merged = {**old, **new}
                for k, row in new.items():
                    if row is _DELETED:
                        del merged[k]
                rows[table] = merged
                for name, key in _INDEXES_OF[table]:
                    entries = dict(index[name])
                    for k, row in new.items():
                        before = old.get(k)
                        value = None if row is _DELETED else key(row)
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
            row = new[key]
            return None if row is _DELETED else row
        return self.snapshot.rows[table].get(key)

    def put(self, table: str, key: Any, row: Any) -> None:
        self.new[table][key] = row
        for name, index_key in _INDEXES_OF[table]:
            value = index_key(row)
            if value is not None:
                self.new_index[name].setdefault(value, set()).add(key)

    def delete(self, table: str, key: Any) -> None:
        if self.get(table, key) is not None:
            self.new[table][key] = _DELETED

    def rows(self, table: str) -> Mapping[Any, Any]:
        base, new = self.snapshot.rows[table], self.new[table]
        if not new:
            return base
        merged = {**base, **new}
        for k, row in new.items():
            if row is _DELETED:
                del merged[k]
        return merged

    def count(self, table: str) -> int:
        base = self.snapshot.rows[table]
        added = sum(
            1 for k, row in self.new[table].items() if k not in base and row is not _DELETED
        )
        deleted = sum(1 for k, row in self.new[table].items() if k in base and row is _DELETED)
        return len(base) + added - deleted

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
        self._consent = _Consent(self)
        self._blocks = _Blocks(self)
        self._contacts = _Contacts(self)
        self._campaigns = _Campaigns(self)
        self._suggestions = _Suggestions(self)
        self._workloads = _Workloads(self)
        self._accounts = _Accounts(self)
        self._tokens = _Tokens(self)
        self._audit = _Audit(self)

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


# event logs -------------------------------------------------------------------------


def _event_key(item: tuple[int, ConsentEvent | BlockEvent]) -> tuple[datetime, int]:
    return (item[1].at, item[0])


class _EventLog(_Repository):
    """An append-only log; keys are database-wide increasing integers (append order)."""

    _table: str
    _by_event_id: str
    _cls: type[Any]
    _kind: str

    def _append(self, field: str, event: Any) -> None:
        require(field, event, self._cls)
        txn = self._t
        if event.event_id is not None:
            stored = txn.lookup(self._by_event_id, event.event_id)
            if stored and same_event(self._kind, stored[0], event):
                return
        txn.put(self._table, next(self._uow.database._event_keys), event)

    def _sorted(self, items: Iterable[tuple[int, Any]]) -> list[Any]:
        return [event for _, event in sorted(items, key=_event_key)]

    def _keyed(self, index: str, value: Hashable) -> list[Any]:
        txn = self._t
        keys = set(txn.snapshot.index[index].get(value, frozenset()))
        keys |= txn.new_index[index].get(value, set())
        return self._sorted((k, txn.get(self._table, k)) for k in keys)

    def _stream(self) -> Iterator[Any]:
        yield from self._sorted(self._t.rows(self._table).items())


class _Consent(_EventLog):
    _table = "consent"
    _by_event_id = "consent_by_event_id"
    _cls = ConsentEvent
    _kind = "ConsentEvent"

    def append(self, event: ConsentEvent) -> None:
        self._append("event", event)

    def append_many(self, events: Iterable[ConsentEvent]) -> None:
        for i, event in enumerate(events):
            self._append(f"events[{i}]", event)

    def for_customer(self, customer_id: str) -> list[ConsentEvent]:
        return self._keyed("consent_by_customer", require_key("customer_id", customer_id))

    def iter_all(self) -> Iterator[ConsentEvent]:
        self._uow._check_active()  # now, not at the first next()
        return self._stream()


class _Blocks(_EventLog):
    _table = "blocks"
    _by_event_id = "blocks_by_event_id"
    _cls = BlockEvent
    _kind = "BlockEvent"

    def append(self, event: BlockEvent) -> None:
        self._append("event", event)

    def append_many(self, events: Iterable[BlockEvent]) -> None:
        for i, event in enumerate(events):
            self._append(f"events[{i}]", event)

    def for_cpf(self, cpf: Cpf) -> list[BlockEvent]:
        return self._keyed("blocks_by_cpf", require("cpf", cpf, Cpf).digits)

    def iter_all(self) -> Iterator[BlockEvent]:
        self._uow._check_active()  # now, not at the first next()
        return self._stream()


# contacts -------------------------------------------------------------------------


class _Contacts(_Repository):
    def _add(self, field: str, contact: Any) -> None:
        require(field, contact, Contact)
        txn = self._t
        if txn.get("contacts", contact.contact_id) is not None:
            raise contact_taken(contact.contact_id)
        txn.put("contacts", contact.contact_id, contact)

    def add(self, contact: Contact) -> None:
        self._add("contact", contact)

    def add_many(self, contacts: Iterable[Contact]) -> None:
        for i, contact in enumerate(contacts):
            self._add(f"contacts[{i}]", contact)

    def get(self, contact_id: str) -> Contact:
        found: Contact | None = self._t.get("contacts", require_key("contact_id", contact_id))
        if found is None:
            raise NotFound("Contact", contact_id)
        return found

    def for_customer(self, customer_id: str) -> list[Contact]:
        found: list[Contact] = self._t.lookup(
            "contacts_by_customer", require_key("customer_id", customer_id)
        )
        return sorted(found, key=contact_sort_key)

    def iter_since(self, since: datetime) -> Iterator[Contact]:
        start = require_instant("since", since)  # checked now, not at the first next()
        return self._since(self._t, start)

    @staticmethod
    def _since(txn: _Txn, start: datetime) -> Iterator[Contact]:
        chosen = [c for c in txn.rows("contacts").values() if c.started_at >= start]
        chosen.sort(key=contact_sort_key)
        yield from chosen

    def follow_ups_due(self, day: date) -> list[Contact]:
        found: list[Contact] = self._t.lookup("contacts_by_follow_up", require_day("day", day))
        return sorted(found, key=contact_sort_key)

    def count(self) -> int:
        return self._t.count("contacts")


# campaigns ------------------------------------------------------------------------


class _Campaigns(_Repository):
    def add(self, campaign: Campaign) -> None:
        require("campaign", campaign, Campaign)
        self._t.put("campaigns", campaign.campaign_id, campaign)

    def get(self, campaign_id: str) -> Campaign:
        found: Campaign | None = self._t.get("campaigns", require_key("campaign_id", campaign_id))
        if found is None:
            raise NotFound("Campaign", campaign_id)
        return found

    def list(self, *, active: bool | None = None) -> list[Campaign]:
        optional_bool("active", active)
        rows = self._t.rows("campaigns").values()
        chosen = [c for c in rows if active is None or c.active is active]
        return sorted(chosen, key=campaign_sort_key)


# suggestions ----------------------------------------------------------------------

_PENDING: Final = SuggestionStatus.PENDING


class _Suggestions(_Repository):
    def _of_day(self, txn: _Txn, day: date) -> list[Suggestion]:
        found: list[Suggestion] = txn.lookup("suggestions_by_day", day)
        return found

    def save_day(self, day: date, suggestions: Iterable[Suggestion]) -> None:
        chosen = check_day_suggestions(day, suggestions)
        txn = self._t
        kept = set()
        for stored in self._of_day(txn, day):
            if stored.status is _PENDING:
                txn.delete("suggestions", stored.suggestion_id)
            else:
                kept.add(stored.suggestion_id)
        for suggestion in chosen:
            if suggestion.suggestion_id in kept:
                continue  # a seller acted on it: never overwritten
            txn.put("suggestions", suggestion.suggestion_id, suggestion)

    def list_day(
        self,
        day: date,
        *,
        seller_code: str | None = None,
        campaign_id: str | None = None,
        status: SuggestionStatus | None = None,
    ) -> list[Suggestion]:
        require_day("day", day)
        if seller_code is not None:
            require_key("seller_code", seller_code)
        if campaign_id is not None:
            require_key("campaign_id", campaign_id)
        optional_enum("status", status, SuggestionStatus)
        chosen = [
            s
            for s in self._of_day(self._t, day)
            if (seller_code is None or s.seller_code == seller_code)
            and (campaign_id is None or s.campaign_id == campaign_id)
            and (status is None or s.status is status)
        ]
        return sorted(chosen, key=suggestion_sort_key)

    def get(self, suggestion_id: str) -> Suggestion:
        found: Suggestion | None = self._t.get(
            "suggestions", require_key("suggestion_id", suggestion_id)
        )
        if found is None:
            raise NotFound("Suggestion", suggestion_id)
        return found

    def set_status(
        self,
        suggestion_id: str,
        status: SuggestionStatus,
        *,
        expected: SuggestionStatus | None = None,
    ) -> Suggestion:
        require("status", status, SuggestionStatus)
        optional_enum("expected", expected, SuggestionStatus)
        # a state transition: like a database update, it takes the write lock
        self._uow._take_write_lock()
        current = self.get(suggestion_id)
        if expected is not None and current.status is not expected:
            raise status_taken(suggestion_id, current.status, expected)
        updated = attrs.evolve(current, status=status)
        self._t.put("suggestions", suggestion_id, updated)
        return updated

    def delete_pending(self, day: date) -> int:
        require_day("day", day)
        txn = self._t
        pending = [s for s in self._of_day(txn, day) if s.status is _PENDING]
        for suggestion in pending:
            txn.delete("suggestions", suggestion.suggestion_id)
        return len(pending)

    def for_customer(self, customer_id: str) -> list[Suggestion]:
        found: list[Suggestion] = self._t.lookup(
            "suggestions_by_customer", require_key("customer_id", customer_id)
        )
        return sorted(found, key=suggestion_sort_key)

    def iter_days(self, first: date, last: date) -> Iterator[Suggestion]:
        require_day("first", first)
        require_day("last", last)
        return self._between(self._t, first, last)

    @staticmethod
    def _between(txn: _Txn, first: date, last: date) -> Iterator[Suggestion]:
        chosen = [s for s in txn.rows("suggestions").values() if first <= s.day <= last]
        chosen.sort(key=suggestion_sort_key)
        yield from chosen

    def days(self) -> list[date]:
        return sorted({s.day for s in self._t.rows("suggestions").values()})


class _Workloads(_Repository):
    def set(self, seller_code: str, workload: SellerWorkload) -> None:
        code, checked = check_workload(seller_code, workload)
        self._t.put("workloads", code, checked)

    def get(self, seller_code: str) -> SellerWorkload | None:
        found: SellerWorkload | None = self._t.get(
            "workloads", require_key("seller_code", seller_code)
        )
        return found

    def all(self) -> dict[str, SellerWorkload]:
        rows = self._t.rows("workloads")
        return {k: rows[k] for k in sorted(rows)}

    def delete(self, seller_code: str) -> None:
        self._t.delete("workloads", require_key("seller_code", seller_code))


# accounts, tokens and the audit log ---------------------------------------------------


class _Accounts(_Repository):
    def _owner_of_email(self, email: Email) -> Account | None:
        found: list[Account] = self._t.lookup("accounts_by_email", email.address)
        return found[0] if found else None

    def add(self, account: Account) -> None:
        check_account("account", account)
        # uniqueness holds across concurrent blocks only under the write lock
        self._uow._take_write_lock()
        txn = self._t
        if txn.get("accounts", account.account_id) is not None:
            raise account_taken("account_id", account.account_id)
        if self._owner_of_email(account.email) is not None:
            raise account_taken("e-mail", account.email.address)
        txn.put("accounts", account.account_id, account)

    def get(self, account_id: str) -> Account:
        found: Account | None = self._t.get("accounts", require_key("account_id", account_id))
        if found is None:
            raise NotFound("Account", account_id)
        return found

    def find_by_email(self, email: Email) -> Account | None:
        return self._owner_of_email(require("email", email, Email))

    def for_seller(self, seller_code: str) -> Account | None:
        found: list[Account] = self._t.lookup(
            "accounts_by_seller", require_key("seller_code", seller_code)
        )
        return min(found, key=lambda a: a.account_id) if found else None

    def save(self, account: Account) -> None:
        check_account("account", account)
        self._uow._take_write_lock()
        self.get(account.account_id)
        owner = self._owner_of_email(account.email)
        if owner is not None and owner.account_id != account.account_id:
            raise account_taken("e-mail", account.email.address)
        self._t.put("accounts", account.account_id, account)

    def list(self, *, store_id: str | None = None, role: Role | None = None) -> list[Account]:
        if store_id is not None:
            require_key("store_id", store_id)
        optional_enum("role", role, Role)
        rows = self._t.rows("accounts")
        return [
            a
            for a in (rows[k] for k in sorted(rows))
            if (store_id is None or a.store_id == store_id) and (role is None or role in a.roles)
        ]


class _Tokens(_Repository):
    def add(self, token: AccountToken) -> None:
        require("token", token, AccountToken)
        self._uow._take_write_lock()
        key = token.record.token_hash
        if self._t.get("tokens", key) is not None:
            raise token_taken()
        self._t.put("tokens", key, (next(self._uow.database._event_keys), token))

    def find(self, token_hash: str) -> AccountToken | None:
        row = self._t.get("tokens", token_hash_key(token_hash))
        return None if row is None else row[1]

    def _owned(self, account_id: str, purpose: TokenPurpose) -> list[tuple[int, AccountToken]]:
        key = (require_key("account_id", account_id), require("purpose", purpose, TokenPurpose))
        return sorted(self._t.lookup("tokens_by_owner", key), key=lambda row: row[0])

    def newest(self, account_id: str, purpose: TokenPurpose) -> AccountToken | None:
        owned = self._owned(account_id, purpose)
        return owned[-1][1] if owned else None

    def mark_used(self, token_hash: str, used_at: datetime) -> None:
        key = token_hash_key(token_hash)
        require_instant("used_at", used_at)
        self._uow._take_write_lock()
        row = self._t.get("tokens", key)
        if row is None:
            raise NotFound("Token", REDACTED)
        order, token = row
        record = attrs.evolve(token.record, used_at=used_at)
        self._t.put("tokens", key, (order, attrs.evolve(token, record=record)))

    def issued_since(
        self, account_id: str, purpose: TokenPurpose, since: datetime
    ) -> list[datetime]:
        start = require_instant("since", since)
        return sorted(
            t.record.issued_at
            for _, t in self._owned(account_id, purpose)
            if t.record.issued_at > start
        )


class _Audit(_Repository):
    def append(self, entry: AuditEntry) -> None:
        self._uow._take_write_lock()
        checked = check_audit_successor(self.tail(), entry)
        self._t.put("audit", checked.sequence, checked)

    def tail(self) -> AuditEntry | None:
        rows = self._t.rows("audit")
        return rows[max(rows)] if rows else None

    def iter_all(self) -> Iterator[AuditEntry]:
        rows = self._t.rows("audit")
        return iter([rows[k] for k in sorted(rows)])

    def count(self) -> int:
        return self._t.count("audit")


def _conforms(uow: InMemoryUnitOfWork) -> UnitOfWork:  # checked by mypy
    return uow
