"""The SQL unit of work: one connection and one transaction per ``with`` block."""

from __future__ import annotations

from types import TracebackType

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from otocore.adapters._common import UnitOfWorkBase
from otocore.adapters.sql import _schema
from otocore.adapters.sql._accounts import Accounts, Audit, Tokens
from otocore.adapters.sql._base import CONCURRENT_WRITE
from otocore.adapters.sql._categories import Categories
from otocore.adapters.sql._contacts import (
    Blocks,
    Campaigns,
    Consent,
    Contacts,
    Suggestions,
    Workloads,
)
from otocore.adapters.sql._engine import ADVISORY_LOCK_KEY, WRITE_OPTION
from otocore.adapters.sql._errors import open_blocks, storage_error, store_name, translated
from otocore.adapters.sql._exports import Exports
from otocore.adapters.sql._logs import AccessLog, CustomerHistory
from otocore.adapters.sql._outcomes import Outcomes
from otocore.adapters.sql._portfolio import (
    Customers,
    DailyRuns,
    Orders,
    Portfolio,
    Rfv,
    Sellers,
    Sequences,
    Stores,
)
from otocore.adapters.sql._privacy import DataRequests
from otocore.adapters.sql._registry import CustomerSearch
from otocore.adapters.sql._subject import SubjectData
from otocore.adapters.sql._telesales import Telesales
from otocore.errors import RuleViolation, StorageError, ValidationError
from otocore.ledger import LogKeyring
from otocore.repositories import UnitOfWork


class Database:
    """An open SQLite or PostgreSQL database whose schema is at this otocore's revision.

    Build it with :func:`otocore.adapters.sql.open_database`; get units of work
    from :meth:`unit_of_work`. ``log_keys`` seals the entries of the chained
    logs (the audit log, the customer history, the data-access log). Close it (or use it as a context manager) to
    release its connections.

    >>> from otocore.adapters.sql import open_database
    >>> with open_database(":memory:", upgrade=True) as db:
    ...     db.dialect, db.revision() == db.expected_revision
    ('sqlite', True)
    """

    def __init__(self, engine: Engine, *, log_keys: LogKeyring | None = None) -> None:
        if log_keys is not None and not isinstance(log_keys, LogKeyring):
            raise ValidationError("log_keys", log_keys, "must be a LogKeyring or None")
        self.engine = engine
        self.log_keys = log_keys
        self._open_blocks = open_blocks(engine)

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return str(self.engine.dialect.name)

    @property
    def expected_revision(self) -> str:
        """The schema revision this version of otocore needs."""
        return _schema.head()

    def revision(self) -> str | None:
        """The schema revision the database is at (``None``: no otocore schema)."""
        with translated(self._open_blocks.store), self.engine.connect() as connection:
            found = _schema.revision_of(connection)
            connection.rollback()
        return found

    def unit_of_work(self) -> SqlUnitOfWork:
        """A new unit of work on this database."""
        return SqlUnitOfWork(self)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({store_name(self.engine.url)!r})"


class SqlUnitOfWork(UnitOfWorkBase):
    """A :class:`~otocore.repositories.UnitOfWork` on SQLite or PostgreSQL.

    Each block runs on one connection in one database transaction. A plain
    block begins with ``BEGIN`` (SQLite: deferred; PostgreSQL: READ
    COMMITTED). A ``writing()`` block takes the write lock first: SQLite
    ``BEGIN IMMEDIATE``; PostgreSQL a transaction-level advisory lock (one
    writing block at a time) and ``SELECT ... FOR UPDATE`` on the rows that
    ``get``-like methods read.

    A failure of the database is a :class:`~otocore.errors.StorageError` naming
    it; a write lock that was not released in time is a
    :class:`~otocore.errors.StoreBusy`, raised at once, without waiting, when
    the lock is held by another unit of work of the same thread (say, a block
    that wrote and then called a service that opens its own unit of work):
    commit or roll back that block first.

    Args:
        database: a :class:`Database` (already checked), or a SQLAlchemy
            ``Engine`` made by otocore, whose schema revision is checked here
            (:class:`~otocore.errors.SchemaVersionError` if it differs).

    >>> from otocore.adapters.sql import open_database
    >>> from otocore.sellers import Store
    >>> db = open_database(":memory:", upgrade=True)
    >>> uow = SqlUnitOfWork(db)
    >>> with uow:
    ...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
    >>> with uow:
    ...     uow.stores.get("L01").name
    'Loja Centro'
    >>> db.close()
    """

    def __init__(self, database: Database | Engine) -> None:
        self._log_keys: LogKeyring | None = None
        if isinstance(database, Database):
            engine = database.engine
            self._log_keys = database.log_keys
        elif isinstance(database, Engine):
            with translated(store_name(database.url)):
                _schema.check(database)
            engine = database
        else:
            raise ValidationError("database", database, "must be a Database or an Engine")
        self._engine = engine
        self._open_blocks = open_blocks(engine)
        self._connection: sa.Connection | None = None
        self._locked = False  # the block holds the write lock
        self._transaction: sa.RootTransaction | None = None
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
        self._locked = write
        try:
            with translated(self._open_blocks.store):
                if self._connection is None:
                    self._connection = self._engine.connect()
                conn = self._connection
                self._open_blocks.begin(conn, writing=write)  # StoreBusy now, not after waiting
                conn.execution_options(**{WRITE_OPTION: write})
                self._transaction = conn.begin()
                if write and conn.dialect.name == "postgresql":
                    conn.execute(
                        sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
                    )
        except BaseException:
            self._close()
            raise

    def _take_write_lock(self) -> None:
        """Take the write lock now if the block does not hold it (a chained log's append).

        A ``writing()`` block holds it already. A plain block takes it here,
        as a writing block does when it begins: PostgreSQL the advisory lock
        (waiting for the block that holds it; its commit is seen by the
        statements that follow, READ COMMITTED); SQLite the database's write
        lock, by a write that changes no row. SQLite cannot make a block that
        read wait for another writer (it answers "busy" at once): that is the
        RuleViolation a lost race is, nothing written, the block may be
        retried. Held until the transaction ends.
        """
        conn = self._conn()
        if self._locked:
            return
        self._open_blocks.may_lock(conn)  # StoreBusy now if this thread holds it in another block
        try:
            if conn.dialect.name == "postgresql":
                conn.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
            else:
                conn.execute(_SQLITE_LOCK)
        except sa.exc.DBAPIError as exc:
            if str(getattr(exc.orig, "sqlite_errorname", "")).startswith("SQLITE_BUSY"):
                raise RuleViolation(CONCURRENT_WRITE) from None
            raise self._storage_error(exc) from exc
        self._open_blocks.locked(conn)
        self._locked = True

    def _commit(self) -> None:
        self._end(commit=True)

    def _rollback(self) -> None:
        self._end(commit=False)

    def _end(self, *, commit: bool) -> None:
        transaction, self._transaction = self._transaction, None
        try:
            if transaction is not None:
                with translated(self._open_blocks.store):
                    if commit:
                        transaction.commit()
                    else:
                        transaction.rollback()
        finally:
            if self._connection is not None:
                self._open_blocks.end(self._connection)

    def _close(self) -> None:
        self._transaction = None
        connection, self._connection = self._connection, None
        if connection is not None:
            self._open_blocks.end(connection)
            with translated(self._open_blocks.store):
                connection.close()

    def _storage_error(self, exc: sa.exc.DBAPIError) -> StorageError:
        return storage_error(exc, self._open_blocks.store)

    def _conn(self) -> sa.Connection:
        self._check_active()
        assert self._connection is not None  # noqa: S101 - set whenever a block is active
        return self._connection


_SQLITE_LOCK = sa.text("UPDATE alembic_version SET version_num = version_num WHERE 0 = 1")
"""A write that changes no row: SQLite's write lock, taken in a block begun with ``BEGIN``."""


def _conforms(uow: SqlUnitOfWork) -> UnitOfWork:  # checked by mypy
    return uow
