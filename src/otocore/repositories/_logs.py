"""Repository protocols of the chained logs: the customer history and the data-access log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the protocols loads no domain module
    from datetime import datetime

    from otocore.history import (
        AccessAction,
        AccessEntry,
        AccessEvent,
        HistoryChange,
        HistoryEntry,
    )


class CustomerHistoryRepository(Protocol):
    """Histórico do cliente (the customer history): append-only, MAC-chained, redactable.

    :meth:`append` seals the change with the store's current log key
    (:func:`~otocore.history.seal_change`, after the stored tail) and stores
    it; a store opened without log keys refuses with a
    :class:`~otocore.errors.ConfigurationError`. An append takes the store's
    write lock itself before it reads the tail (as ``uow.writing()`` does when
    it begins), so appends of concurrent blocks follow one another, in any
    kind of block; on SQLite a plain block that read before a concurrent
    writer committed cannot take it, and the append is a RuleViolation with
    nothing written (retry the block). Entries are never updated or deleted (the SQL stores'
    triggers refuse it); only their values can be removed, by
    :meth:`redact`, which keeps every entry and its chain.

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryDatabase
    >>> from otocore.history import HistoryChange, HistoryReason
    >>> from otocore.ledger import LogKey, LogKeyring
    >>> db = InMemoryDatabase(log_keys=LogKeyring.of(LogKey(key_id="k1", secret=bytes(32))))
    >>> with db.unit_of_work().writing() as uow:
    ...     entry = uow.customer_history.append(
    ...         HistoryChange(
    ...             customer_id="C1",
    ...             field="email",
    ...             old_value=None,
    ...             new_value="ana@example.com",
    ...             actor="u-sac",
    ...             at=datetime(2026, 6, 1, tzinfo=UTC),
    ...             reason=HistoryReason.SAC_CALL,
    ...         )
    ...     )
    ...     [e.new_value for e in uow.customer_history.for_customer("C1")]
    ['ana@example.com']
    >>> with db.unit_of_work() as uow:
    ...     uow.customer_history.redact("C1"), uow.customer_history.for_customer("C1")[0].redacted
    (1, True)
    """

    def append(self, change: HistoryChange) -> HistoryEntry:
        """Seal ``change`` after the tail with the current key, store it and return the entry."""

    def append_many(self, changes: Iterable[HistoryChange]) -> list[HistoryEntry]:
        """:meth:`append` each change in order, as one write (a bulk import's entries)."""

    def for_customer(self, customer_id: str) -> list[HistoryEntry]:
        """The customer's entries, oldest first (by sequence); redacted ones without values."""

    def redact(self, customer_id: str) -> int:
        """Remove the values of every entry of the customer; how many entries lost their values.

        The entries stay (their chain still verifies, each reported redacted);
        redacting again removes nothing and returns 0.
        """

    def tail(self) -> HistoryEntry | None:
        """The last entry, or ``None`` for an empty history."""

    def iter_all(self) -> Iterator[HistoryEntry]:
        """Every entry, by sequence."""

    def count(self) -> int:
        """How many entries the history holds."""


class DataAccessLogRepository(Protocol):
    """Registro de acesso a dados (the data-access log): append-only, MAC-chained.

    :meth:`append` seals the event with the store's current log key
    (:func:`~otocore.history.seal_access`) after the stored tail, taking the
    store's write lock first as the customer history's append does; a store
    opened without log keys refuses with a ConfigurationError. CPFs in the
    event's text were masked when it was built. Who may read the log is the
    calling service's decision; :meth:`page` reads it a page at a time.

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryDatabase
    >>> from otocore.history import AccessAction, AccessEvent
    >>> from otocore.ledger import LogKey, LogKeyring
    >>> db = InMemoryDatabase(log_keys=LogKeyring.of(LogKey(key_id="k1", secret=bytes(32))))
    >>> with db.unit_of_work().writing() as uow:
    ...     uow.access_log.append(
    ...         AccessEvent(
    ...             actor="u-gerente",
    ...             at=datetime(2026, 6, 1, tzinfo=UTC),
    ...             action=AccessAction.EXPORT_REQUESTED,
    ...             query="cpf 52998224725",
    ...             customers=1,
    ...         )
    ...     ).query
    'cpf ***982247**'
    """

    def append(self, event: AccessEvent) -> AccessEntry:
        """Seal ``event`` after the tail with the current key, store it and return the entry."""

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
        """At most ``limit`` entries after sequence ``after`` that pass every filter, by sequence.

        A keyed page: the next one starts after the last sequence of this one.
        ``since`` (inclusive) and ``until`` (exclusive) bound ``at``;
        ``account`` is the ``actor``; ``action`` an
        :class:`~otocore.history.AccessAction`; ``query_contains``: the
        entries whose ``query`` contains at least one of these texts, exactly
        (case-sensitive; ``()``: any query). The SQL stores run the filters in
        the database and stop at ``limit`` rows. A bad argument is a
        ValidationError naming it (``after`` >= 0, ``limit`` >= 1, aware
        instants, non-empty texts).

        >>> from datetime import UTC, datetime
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.history import AccessAction, AccessEvent
        >>> from otocore.ledger import LogKey, LogKeyring
        >>> db = InMemoryDatabase(log_keys=LogKeyring.of(LogKey(key_id="k1", secret=bytes(32))))
        >>> with db.unit_of_work() as uow:
        ...     for n, query in enumerate(["customer C1", "name = ana", "customer C1"]):
        ...         _ = uow.access_log.append(
        ...             AccessEvent(
        ...                 actor="u-sac",
        ...                 at=datetime(2026, 6, 1, n, tzinfo=UTC),
        ...                 action=AccessAction.HISTORY_READ,
        ...                 query=query,
        ...                 customers=1,
        ...             )
        ...         )
        ...     first = uow.access_log.page(0, 1, query_contains=["customer C1"])
        ...     rest = uow.access_log.page(first[-1].sequence, 10, query_contains=["customer C1"])
        >>> [e.sequence for e in first], [e.sequence for e in rest]
        ([1], [3])
        """

    def tail(self) -> AccessEntry | None:
        """The last entry, or ``None`` for an empty log."""

    def iter_all(self) -> Iterator[AccessEntry]:
        """Every entry, by sequence."""

    def count(self) -> int:
        """How many entries the log holds."""
