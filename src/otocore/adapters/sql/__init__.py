"""Armazenamento SQL (SQL storage): SQLite or PostgreSQL through SQLAlchemy Core.

One code base, two databases. SQLite is the embedded default (a file, or
``":memory:"``); PostgreSQL is used through the psycopg 3 driver
(``postgresql+psycopg://user:password@host/dbname``; a plain
``postgresql://`` URL is read the same way). The domain's attrs classes stay
as they are: the repositories map them to tables with SQLAlchemy Core, never
the ORM.

**Schema versions.** The schema is created and upgraded by Alembic migrations
shipped inside this package (no ``alembic.ini`` needed): :func:`upgrade`, or
``otocore db upgrade URL`` on the command line. :func:`open_database` checks
the database's revision and raises :class:`~otocore.errors.SchemaVersionError`
when it is older or newer than this version of otocore, never silently
working on a mismatched schema.

**Connections.** SQLite files use WAL, ``foreign_keys=ON``, a busy timeout
and ``synchronous=FULL`` (every commit is on disk before it returns: the
accounts and the audit log live there); ``durable=False`` trades that for
speed. Only :func:`upgrade` (``otocore db upgrade``) and ``upgrade=True``
create a file: :func:`open_database` of a path that does not exist fails and
leaves nothing behind. See :class:`SqlUnitOfWork` for transactions and the
write lock.

**Errors.** A database that cannot be opened or reached, or whose connection
is lost mid-run, is a :class:`~otocore.errors.StoreUnavailable`; a statement
the database refuses is a :class:`~otocore.errors.StorageError`; a write lock
held too long is a :class:`~otocore.errors.StoreBusy` (see
:class:`SqlUnitOfWork`). Each names the database (its URL with the password
hidden) and the driver's reason on one line, never a bare SQLAlchemy error.

>>> from datetime import UTC, datetime
>>> from decimal import Decimal
>>> from otocore.orders import Order
>>> db = open_database(":memory:", upgrade=True)
>>> uow = db.unit_of_work()
>>> with uow:
...     uow.orders.add(
...         Order(
...             order_id="P1",
...             customer_id="C1",
...             store_id="L01",
...             placed_at=datetime(2026, 5, 10, 18, 30, tzinfo=UTC),
...             total=Decimal("10.5"),
...             seller_code=None,
...         )
...     )
>>> with uow:
...     uow.orders.get("P1").total == Decimal("10.5")
True
>>> db.close()

A database without otocore's schema (or at another revision) is refused,
and a file that does not exist is not created:

>>> open_database(":memory:")
Traceback (most recent call last):
...
otocore.errors.SchemaVersionError: ':memory:' has no otocore schema; create it with `open_database(':memory:', upgrade=True)`
>>> open_database("no-such-folder/typo.sqlite")
Traceback (most recent call last):
...
otocore.errors.StoreUnavailable: no-such-folder/typo.sqlite does not exist; create it with `otocore db upgrade no-such-folder/typo.sqlite`
"""

from __future__ import annotations

import os

from sqlalchemy.engine import URL

from otocore.adapters.sql import _schema
from otocore.adapters.sql._engine import create_engine, sqlite_path, to_url, upgrade_command
from otocore.adapters.sql._errors import store_name, translated
from otocore.adapters.sql._uow import Database, SqlUnitOfWork
from otocore.errors import StoreUnavailable, ValidationError
from otocore.ledger import LogKeyring

__all__ = [
    "Database",
    "SqlUnitOfWork",
    "current_revision",
    "head_revision",
    "open_database",
    "upgrade",
]

Target = str | os.PathLike[str] | URL


def open_database(
    target: Target,
    *,
    upgrade: bool = False,
    durable: bool = True,
    busy_timeout: float = 30.0,
    echo: bool = False,
    log_keys: LogKeyring | None = None,
) -> Database:
    """Open a database and check that its schema is at this otocore's revision.

    Args:
        target: a URL (``sqlite:///path/otocore.db``,
            ``postgresql+psycopg://user:pw@host/db``), a file path (SQLite),
            or ``":memory:"`` (an SQLite database that lives as long as the
            returned :class:`Database`).
        upgrade: create the file and the schema, or upgrade an older schema,
            first (as :func:`upgrade` does). A newer schema is never
            downgraded. Without it, an SQLite file that does not exist is
            refused and not created.
        durable: SQLite only: ``PRAGMA synchronous=FULL``, the default (every
            commit is on disk when it returns). ``False`` sets NORMAL, which
            in WAL mode cannot corrupt the file but may lose the last commits
            on power loss: for scratch databases and bulk loads only, never
            for the accounts and audit log of a brand.
        busy_timeout: SQLite only: seconds to wait for another connection's
            write lock before failing with "database is locked".
        echo: log every SQL statement (SQLAlchemy's ``echo``).
        log_keys: the :class:`~otocore.ledger.LogKeyring` that seals the
            entries of the audit log, the customer history and the
            data-access log (never stored in the database). Without it the
            audit log is only hash-chained (refused once it is keyed) and the
            other two logs refuse to append.

    Returns:
        The open :class:`Database`.

    Raises:
        SchemaVersionError: the schema is missing, older or newer than this
            otocore expects (and ``upgrade`` was not asked, or it is newer).
        StoreUnavailable: the database cannot be reached or opened (a server
            that does not answer, an unknown database or role, a file that
            does not exist or is not a database); the message names it, with
            any password hidden.
        StoreBusy: ``upgrade`` waited ``busy_timeout`` for the write lock.
        ValidationError: ``target`` is not a URL, path or ``":memory:"``.
        ConfigurationError: a URL for a database otocore does not support.

    >>> with open_database(":memory:", upgrade=True) as db:
    ...     db.revision()
    '0013'
    """
    if log_keys is not None and not isinstance(log_keys, LogKeyring):
        raise ValidationError("log_keys", log_keys, "must be a LogKeyring or None")
    url = to_url(target)
    path = sqlite_path(url)
    if path is not None and not upgrade and not os.path.exists(path):
        raise StoreUnavailable(
            f"{path} does not exist; create it with `{upgrade_command(url)}`",
            store=store_name(url),
        )
    engine = create_engine(
        url, durable=durable, busy_timeout=busy_timeout, echo=echo, create=upgrade
    )
    try:
        with translated(store_name(engine.url)):
            if upgrade:
                _schema.upgrade_engine(engine)
            _schema.check(engine)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine, log_keys=log_keys)


def upgrade(target: Target, *, busy_timeout: float = 30.0) -> str:
    """Create otocore's schema in ``target``, or upgrade it to this version's revision.

    Runs the Alembic migrations shipped in the package; safe to run again
    (it does nothing on an up-to-date database) and from several processes
    at once (they take the write lock). This is what ``otocore db upgrade
    URL`` calls.

    Args:
        target: a database URL or an SQLite file path (see :func:`open_database`).
        busy_timeout: SQLite only: seconds to wait for another connection's
            write lock before failing with :class:`~otocore.errors.StoreBusy`.

    Returns:
        The revision the database is now at.

    Raises:
        SchemaVersionError: the database is at a revision this otocore does
            not know (written by a newer otocore).
        StoreUnavailable: the database cannot be reached or opened.

    >>> upgrade(":memory:")
    '0013'
    """
    engine = create_engine(target, busy_timeout=busy_timeout)
    try:
        with translated(store_name(engine.url)):
            return _schema.upgrade_engine(engine)
    finally:
        engine.dispose()


def current_revision(target: Target) -> str | None:
    """The schema revision ``target`` is at, ``None`` if it has no otocore schema.

    An SQLite file that does not exist has none (and is not created).

    >>> current_revision(":memory:") is None
    True
    >>> current_revision("no-such-folder/typo.sqlite") is None
    True
    """
    url = to_url(target)
    path = sqlite_path(url)
    if path is not None and not os.path.exists(path):
        return None
    engine = create_engine(url, create=False)
    try:
        with translated(store_name(engine.url)), engine.connect() as connection:
            found = _schema.revision_of(connection)
            connection.rollback()
        return found
    finally:
        engine.dispose()


def head_revision() -> str:
    """The schema revision this version of otocore needs.

    >>> head_revision()
    '0013'
    """
    return _schema.head()
