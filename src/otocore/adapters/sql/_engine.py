"""Engines for SQLite and PostgreSQL, set up the way otocore needs them."""

from __future__ import annotations

import os
import shlex
import urllib.parse
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.pool import StaticPool

from otocore.errors import ConfigurationError, StoreUnavailable, ValidationError

WRITE_OPTION = "otocore_write"
"""Connection execution option: the next transaction takes the write lock."""

ADVISORY_LOCK_KEY = 0x6F746F636F7265  # "otocore": the PostgreSQL advisory lock of writing blocks

CACHE_KIB = 64 * 1024  # SQLite page cache per connection

_FILE_KEY = "otocore_sqlite_file"  # connection info: (st_dev, st_ino) of the file it opened

_SQLITE_DRIVERS = ("sqlite", "sqlite+pysqlite")
_POSTGRES_DRIVERS = ("postgresql", "postgres", "postgresql+psycopg")


def to_url(target: Any) -> URL:
    """A database URL from a URL string, a file path or ``":memory:"``.

    ``postgresql://`` and ``postgres://`` URLs use the psycopg 3 driver.
    """
    if isinstance(target, URL):
        url = target
    elif isinstance(target, os.PathLike):
        url = URL.create("sqlite", database=os.fspath(target))
    elif isinstance(target, str) and target:
        if target == ":memory:":
            url = URL.create("sqlite")
        elif "://" in target:
            try:
                url = make_url(target)
            except (ArgumentError, ValueError):
                raise ValidationError("url", target, "must be a database URL") from None
        else:
            url = URL.create("sqlite", database=target)
    else:
        raise ValidationError(
            "url",
            target,
            "must be a database URL (sqlite:///path, postgresql://...), a file path or ':memory:'",
        )
    if url.drivername in _POSTGRES_DRIVERS:
        return url.set(drivername="postgresql+psycopg")
    if url.drivername in _SQLITE_DRIVERS:
        return url.set(drivername="sqlite+pysqlite")
    raise ConfigurationError(
        f"otocore runs on SQLite (sqlite:///path) or PostgreSQL (postgresql+psycopg://...),"
        f" not {url.drivername!r}"
    )


def is_memory(url: URL) -> bool:
    """True for an in-memory SQLite database."""
    return url.drivername.startswith("sqlite") and url.database in (None, "", ":memory:")


def sqlite_path(url: URL) -> str | None:
    """The file of an SQLite file database (``None``: PostgreSQL, in memory, or a ``file:`` URI)."""
    if not url.drivername.startswith("sqlite") or is_memory(url) or "uri" in url.query:
        return None
    return str(url.database)


def shown_name(url: URL) -> str:
    """The database as a user names it: an SQLite file's path, else the URL (password hidden)."""
    path = sqlite_path(url)
    if path is not None:
        return path
    if is_memory(url):
        return "':memory:'"
    return url.render_as_string(hide_password=True)


def upgrade_command(url: URL) -> str:
    """The command line that creates or upgrades the database ``url`` names."""
    path = sqlite_path(url)
    target = path if path is not None else url.render_as_string(hide_password=True)
    return f"otocore db upgrade {shlex.quote(target)}"


def _file_identity(path: str) -> tuple[int, int] | None:
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return None
    return (found.st_dev, found.st_ino)


def create_engine(
    target: Any,
    *,
    durable: bool = True,
    busy_timeout: float = 30.0,
    echo: bool = False,
    create: bool = True,
) -> Engine:
    """An engine for ``target`` with otocore's connection set-up.

    SQLite: foreign keys on, WAL for files, ``synchronous=FULL`` unless
    ``durable`` is false (then NORMAL), ``busy_timeout``, a 64 MiB page cache; transactions are
    begun by otocore (``BEGIN``, or ``BEGIN IMMEDIATE`` for writing blocks) instead of
    by the sqlite3 module, which would begin them only at the first write.

    A file is opened read-write without being created (SQLite's ``mode=rw``)
    unless ``create``; and a transaction that begins after the file was
    deleted or replaced under an open connection is refused with
    :class:`~otocore.errors.StoreUnavailable` (SQLite would go on writing to
    the deleted file).
    """
    url = to_url(target)
    if isinstance(busy_timeout, bool) or not isinstance(busy_timeout, int | float):
        raise ValidationError("busy_timeout", busy_timeout, "must be a number of seconds >= 0")
    if busy_timeout < 0:
        raise ValidationError("busy_timeout", busy_timeout, "must be a number of seconds >= 0")
    if url.drivername.startswith("postgresql"):
        return sa.create_engine(url, echo=echo)
    memory = is_memory(url)
    kwargs: dict[str, Any] = {"connect_args": {"timeout": float(busy_timeout)}}
    if memory:
        kwargs["poolclass"] = StaticPool
        kwargs["connect_args"]["check_same_thread"] = False
    engine = sa.create_engine(url, echo=echo, **kwargs)
    synchronous = "FULL" if durable else "NORMAL"
    path = None if memory else os.path.abspath(str(url.database))
    if path is not None and not create and "uri" not in url.query:
        # "file:PATH?mode=rw": SQLite opens the file only if it exists, never creating it
        uri = f"file:{urllib.parse.quote(path)}?mode=rw"

        @event.listens_for(engine, "do_connect")
        def _no_create(_dialect: Any, _record: Any, cargs: list[Any], cparams: Any) -> None:
            cargs[:] = [uri]
            cparams["uri"] = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # otocore emits BEGIN itself
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute("PRAGMA foreign_keys = ON")
            if not memory:
                cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute(f"PRAGMA synchronous = {synchronous}")
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            # a page cache big enough for bulk imports into indexed tables
            # (allocated only as pages are used)
            cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        finally:
            cursor.close()
        if path is not None:
            _record.info[_FILE_KEY] = _file_identity(path)

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        if path is not None:
            _check_same_file(conn, path)
        write = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


def _check_same_file(conn: sa.Connection, path: str) -> None:
    """StoreUnavailable if the file ``conn`` opened was deleted or replaced since."""
    opened = conn.connection.info.get(_FILE_KEY)
    if opened is None or _file_identity(path) == opened:
        return
    store = conn.engine.url.render_as_string(hide_password=True)
    conn.invalidate()  # the pool must not hand out this connection to the old file again
    raise StoreUnavailable(
        f"lost the database {store}: its file was deleted or replaced while otocore had it"
        " open; nothing more was written to it: restore the file, then run again",
        store=store,
    )
