"""What every in-memory repository shares: the tables, their indexes and one transaction."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator, Mapping
from datetime import date
from typing import Any, Final, Protocol, TypeVar

import attrs

from otocore.adapters._common import require, require_key
from otocore.blocking import BlockEvent
from otocore.consent import ConsentEvent
from otocore.contacts import Contact
from otocore.customers import Customer
from otocore.errors import NotFound
from otocore.ledger import LogKeyring
from otocore.orders import Order
from otocore.suggestions import Suggestion

V = TypeVar("V")


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


TABLES: Final = (
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
    "outcomes",
    "telesales",
    "telesales_policy",
    "accounts",
    "tokens",
    "audit",
    # issue 15, categories
    "categories",
    "category_members",
    "exports",  # exports (issue 15)
    # logs (issue 15): the customer history, its values (removable), the data-access log
    "customer_history",
    "history_values",
    "access_log",
    "data_requests",  # data-subject requests (issue 15, SAC)
)
# index name -> (table, function giving the indexed value of a row, or None)
INDEXES: Final[dict[str, tuple[str, Callable[[Any], Hashable | None]]]] = {
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
    # issue 15, categories
    "members_by_category": ("category_members", lambda m: m.category_id),
    "members_by_customer": ("category_members", lambda m: m.customer_id),
    "exports_by_token": ("exports", lambda record: record.token_hash),  # exports (issue 15)
    "history_by_customer": ("customer_history", lambda entry: entry.customer_id),
}
INDEXES_OF: Final = {
    table: [(name, key) for name, (t, key) in INDEXES.items() if t == table] for table in TABLES
}


class Deleted:
    """The overlay's mark of a row the transaction deleted."""

    def __repr__(self) -> str:
        return "<deleted>"


DELETED: Final = Deleted()


@attrs.frozen
class Snapshot:
    """Committed state. Never mutated: a commit builds a new snapshot."""

    rows: Mapping[str, Mapping[Any, Any]]
    index: Mapping[str, Mapping[Any, frozenset[Any]]]


class Txn:
    """One transaction: the snapshot it reads and the overlay of its writes."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.new: dict[str, dict[Any, Any]] = {t: {} for t in TABLES}
        self.new_index: dict[str, dict[Any, set[Any]]] = {name: {} for name in INDEXES}

    def get(self, table: str, key: Any) -> Any:
        new = self.new[table]
        if key in new:
            row = new[key]
            return None if row is DELETED else row
        return self.snapshot.rows[table].get(key)

    def put(self, table: str, key: Any, row: Any) -> None:
        self.new[table][key] = row
        for name, index_key in INDEXES_OF[table]:
            value = index_key(row)
            if value is not None:
                self.new_index[name].setdefault(value, set()).add(key)

    def delete(self, table: str, key: Any) -> None:
        if self.get(table, key) is not None:
            self.new[table][key] = DELETED

    def rows(self, table: str) -> Mapping[Any, Any]:
        base, new = self.snapshot.rows[table], self.new[table]
        if not new:
            return base
        merged = {**base, **new}
        for k, row in new.items():
            if row is DELETED:
                del merged[k]
        return merged

    def count(self, table: str) -> int:
        base = self.snapshot.rows[table]
        added = sum(1 for k, row in self.new[table].items() if k not in base and row is not DELETED)
        deleted = sum(1 for k, row in self.new[table].items() if k in base and row is DELETED)
        return len(base) + added - deleted

    def lookup(self, name: str, value: Hashable) -> list[Any]:
        table, index_key = INDEXES[name]
        keys = set(self.snapshot.index[name].get(value, frozenset()))
        keys |= self.new_index[name].get(value, set())
        found = (self.get(table, k) for k in keys)
        return [row for row in found if row is not None and index_key(row) == value]


class Keys(Protocol):
    """The database-wide counters that order the rows of logs and runs, and the log keys."""

    @property
    def _run_keys(self) -> Iterator[int]: ...

    @property
    def log_keys(self) -> LogKeyring | None: ...

    @property
    def _event_keys(self) -> Iterator[int]: ...


class Owner(Protocol):
    """The unit of work as its repositories see it."""

    @property
    def database(self) -> Keys: ...

    def _tx(self) -> Txn: ...

    def _take_write_lock(self) -> None: ...

    def _check_active(self) -> None: ...


class Repository:
    """A repository of an :class:`~otocore.adapters.memory.InMemoryUnitOfWork`."""

    def __init__(self, uow: Owner) -> None:
        self._uow = uow

    @property
    def _t(self) -> Txn:
        return self._uow._tx()

    def _get(self, table: str, field: str, key: Any, cls: type[V]) -> V:
        """The ``cls`` under the key ``key`` (named ``field``); else ``NotFound``."""
        found = self._t.get(table, require_key(field, key))
        if found is None:
            raise NotFound(cls.__name__, key)
        return require(table, found, cls)

    def _by_key(self, table: str, cls: type[V]) -> list[V]:
        """Every row of ``table`` (each a ``cls``), in the order of their keys."""
        rows = self._t.rows(table)
        return [rows[k] for k in sorted(rows)]
