"""Repository protocols of the chained logs: the customer history and the data-access log."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the protocols loads no domain module
    from otocore.history import AccessEntry, AccessEvent, HistoryChange, HistoryEntry


class CustomerHistoryRepository(Protocol):
    """Histórico do cliente (the customer history): append-only, MAC-chained, redactable.

    :meth:`append` seals the change with the store's current log key
    (:func:`~otocore.history.seal_change`, after the stored tail) and stores
    it; a store opened without log keys refuses with a
    :class:`~otocore.errors.ConfigurationError`. Append inside
    ``uow.writing()``: a concurrent append that took the same sequence is a
    RuleViolation. Entries are never updated or deleted (the SQL stores'
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
    (:func:`~otocore.history.seal_access`) after the stored tail; a store
    opened without log keys refuses with a ConfigurationError. Append inside
    ``uow.writing()``. CPFs in the event's text were masked when it was
    built. Who may read the log is the calling service's decision.

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

    def tail(self) -> AccessEntry | None:
        """The last entry, or ``None`` for an empty log."""

    def iter_all(self) -> Iterator[AccessEntry]:
        """Every entry, by sequence."""

    def count(self) -> int:
        """How many entries the log holds."""
