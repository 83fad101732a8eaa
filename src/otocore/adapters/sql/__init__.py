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

**Connections.** SQLite files use WAL, ``foreign_keys=ON`` and a busy timeout;
``durable=True`` adds ``synchronous=FULL`` (every commit is on disk before it
returns; use it for files that hold security state). See
:class:`SqlUnitOfWork` for transactions and the write lock.

**Errors.** A database that cannot be reached, a file that is not a database,
or a statement the database refuses is a :class:`~otocore.errors.StorageError`
naming the database (its URL with the password hidden), never a bare
SQLAlchemy error; a write lock held too long is a
:class:`~otocore.errors.StoreBusy` (see :class:`SqlUnitOfWork`).

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

A database without otocore's schema (or at another revision) is refused:

>>> open_database(":memory:")
Traceback (most recent call last):
...
otocore.errors.SchemaVersionError: database schema is at revision None but this otocore needs '0004'; run `otocore db upgrade URL` (or open_database(URL, upgrade=True)) to create it
"""

from __future__ import annotations

import os

from sqlalchemy.engine import URL

from otocore.adapters.sql import _schema
from otocore.adapters.sql._engine import create_engine
from otocore.adapters.sql._errors import store_name, translated
from otocore.adapters.sql._uow import Database, SqlUnitOfWork

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
    durable: bool = False,
    busy_timeout: float = 30.0,
    echo: bool = False,
) -> Database:
    """Open a database and check that its schema is at this otocore's revision.

    Args:
        target: a URL (``sqlite:///path/otocore.db``,
            ``postgresql+psycopg://user:pw@host/db``), a file path (SQLite),
            or ``":memory:"`` (an SQLite database that lives as long as the
            returned :class:`Database`).
        upgrade: create the schema, or upgrade an older one, first (as
            :func:`upgrade` does). A newer schema is never downgraded.
        durable: SQLite only: ``PRAGMA synchronous=FULL`` (default NORMAL,
            which in WAL mode cannot corrupt the file but may lose the last
            commits on power loss).
        busy_timeout: SQLite only: seconds to wait for another connection's
            write lock before failing with "database is locked".
        echo: log every SQL statement (SQLAlchemy's ``echo``).

    Returns:
        The open :class:`Database`.

    Raises:
        SchemaVersionError: the schema is missing, older or newer than this
            otocore expects (and ``upgrade`` was not asked, or it is newer).
        StorageError: the database cannot be reached or opened (a server that
            does not answer, a file that is not a database); the message
            names it, with any password hidden.
        StoreBusy: ``upgrade`` waited ``busy_timeout`` for the write lock.
        ValidationError: ``target`` is not a URL, path or ``":memory:"``.
        ConfigurationError: a URL for a database otocore does not support.

    >>> with open_database(":memory:", upgrade=True) as db:
    ...     db.revision()
    '0004'
    """
    engine = create_engine(target, durable=durable, busy_timeout=busy_timeout, echo=echo)
    try:
        with translated(store_name(engine.url)):
            if upgrade:
                _schema.upgrade_engine(engine)
            _schema.check(engine)
    except BaseException:
        engine.dispose()
        raise
    return Database(engine)


def upgrade(target: Target) -> str:
    """Create otocore's schema in ``target``, or upgrade it to this version's revision.

    Runs the Alembic migrations shipped in the package; safe to run again
    (it does nothing on an up-to-date database) and from several processes
    at once (they take the write lock). This is what ``otocore db upgrade
    URL`` calls.

    Args:
        target: a database URL or an SQLite file path (see :func:`open_database`).

    Returns:
        The revision the database is now at.

    Raises:
        SchemaVersionError: the database is at a revision this otocore does
            not know (written by a newer otocore).
        StorageError: the database cannot be reached or opened.

    >>> upgrade(":memory:")
    '0004'
    """
    engine = create_engine(target)
    try:
        with translated(store_name(engine.url)):
            return _schema.upgrade_engine(engine)
    finally:
        engine.dispose()


def current_revision(target: Target) -> str | None:
    """The schema revision ``target`` is at, ``None`` if it has no otocore schema.

    >>> current_revision(":memory:") is None
    True
    """
    engine = create_engine(target)
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
    '0004'
    """
    return _schema.head()
