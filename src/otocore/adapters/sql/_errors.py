"""The driver's errors as otocore's, and the waits a database can tell would never end.

**Translation.** Every SQLAlchemy ``DBAPIError`` that leaves a repository,
a unit of work or :func:`~otocore.adapters.sql.open_database` becomes a
:class:`~otocore.errors.StorageError` naming the store (its URL with the
password hidden) and saying what to check; a lock that was not released in
time is a :class:`~otocore.errors.StoreBusy`. The driver's error stays as the
``__cause__``; its statement and parameters are never put in the message.

**Waits on oneself.** A unit of work that would wait for the write lock while
another unit of work *of the same thread* holds it would wait forever (SQLite:
for the whole busy timeout, then fail), since that thread cannot end the other
block while it waits. :class:`OpenBlocks` keeps the blocks open on one
database in this process and refuses such a wait at once with
:class:`~otocore.errors.StoreBusy`:

* SQLite file: a writing block, or the first write of a plain block, while the
  thread has another block that wrote or is a writing block;
* SQLite in memory (one connection, one transaction at a time): any block
  while another is open;
* PostgreSQL: a writing block (its advisory lock) while the thread has another
  writing block. A plain block's row locks are not tracked: PostgreSQL waits
  for them as usual.

A plain block that appends to a chained log takes the write lock there
(:meth:`OpenBlocks.may_lock`, then :meth:`OpenBlocks.locked`): from then on it
counts as a writing block.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import URL, Engine

from otocore.adapters.sql._engine import is_memory
from otocore.errors import StorageError, StoreBusy, StoreUnavailable

_PG_BUSY: Final = frozenset({"55P03", "40P01"})  # lock_not_available, deadlock_detected
_END_IT: Final = (
    "commit or roll back that transaction first (end its `with` block),"
    " or do this work inside that same unit of work"
)


def store_name(url: URL) -> str:
    """The URL as shown in messages: its password hidden."""
    return url.render_as_string(hide_password=True)


def _detail(exc: sa.exc.DBAPIError) -> str:
    """The driver's message on one line (never the statement or its parameters).

    psycopg's messages span lines: a header ending in ``:`` ("Multiple
    connection attempts failed. All failures were:"), the server's
    ``FATAL:  ...``, hints ("Is the server running ...?"). The first line
    that says something is kept, with the header before it, spaces squeezed.
    """
    lines = [" ".join(line.split()) for line in str(exc.orig).strip().splitlines()]
    lines = [line.lstrip("- ") for line in lines if line]
    if not lines:
        return type(exc.orig).__name__
    shown = lines[0]
    if shown.endswith(":") and len(lines) > 1:
        shown = f"{shown} {lines[1]}"
    return shown


def _is_sqlite(store: str) -> bool:
    return store.startswith("sqlite")


def storage_error(exc: sa.exc.DBAPIError, store: str) -> StorageError:
    """The :class:`StorageError` that ``exc`` means, for ``store``.

    :class:`StoreBusy` for a lock not released in time, :class:`StoreUnavailable`
    for a database that cannot be opened or reached or whose connection was
    lost, a plain :class:`StorageError` for a statement the database refused.
    """
    detail = _detail(exc)
    code = str(getattr(exc.orig, "sqlite_errorname", ""))
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or (
        getattr(exc.orig, "sqlstate", None) in _PG_BUSY
    ):
        return StoreBusy(
            f"the database {store} is locked by another transaction ({detail}): if this"
            " program has a transaction open on it (a `with uow:` block that wrote, or a"
            " `with uow.writing():` block), commit or roll back that transaction first;"
            " otherwise retry",
            store=store,
        )
    if code in ("SQLITE_NOTADB", "SQLITE_CORRUPT"):
        return StoreUnavailable(
            f"{store} is not a usable SQLite database ({detail}): check the path", store=store
        )
    if exc.statement is None:
        check = (
            "check the path, and that its directory exists and can be written"
            if _is_sqlite(store)
            else "check the URL, the credentials, and that the server is running"
        )
        return StoreUnavailable(
            f"cannot open the database {store} ({detail}): {check}", store=store
        )
    if exc.connection_invalidated or code in ("SQLITE_IOERR", "SQLITE_CANTOPEN"):
        check = (
            "check the file and its directory"
            if _is_sqlite(store)
            else "check that the server is running"
        )
        return StoreUnavailable(
            f"lost the connection to the database {store} ({detail}): {check}, then run again",
            store=store,
        )
    return StorageError(f"the database {store} failed: {detail}", store=store)


@contextmanager
def translated(store: str) -> Iterator[None]:
    """Turn the ``DBAPIError`` raised inside the block into a :func:`storage_error`."""
    try:
        yield
    except sa.exc.DBAPIError as exc:
        raise storage_error(exc, store) from exc


class _Block:
    """A block open on one connection: its thread, and whether it holds the write lock."""

    __slots__ = ("thread", "writing", "wrote")

    def __init__(self, *, writing: bool) -> None:
        self.thread = threading.get_ident()
        self.writing = writing
        self.wrote = False


class OpenBlocks:
    """The blocks open on one database in this process (see the module's docstring)."""

    def __init__(self, kind: str, store: str) -> None:
        self.kind = kind  # "memory", "sqlite" or "postgresql"
        self.store = store
        self._lock = threading.Lock()
        self._open: dict[sa.Connection, _Block] = {}

    def begin(self, conn: sa.Connection, *, writing: bool) -> None:
        """Register a block about to begin on ``conn``; StoreBusy if it would wait on its thread."""
        block = _Block(writing=writing)
        with self._lock:
            self._refuse_if_held(block, wants_lock=writing)
            self._open[conn] = block

    def may_lock(self, conn: sa.Connection) -> None:
        """The block on ``conn`` is about to take the write lock: StoreBusy if it would wait on
        its own thread (another block of this thread holds the lock)."""
        with self._lock:
            block = self._open.get(conn)
            if block is None or block.writing:
                return
            self._refuse_if_held(block, wants_lock=True)

    def locked(self, conn: sa.Connection) -> None:
        """The block on ``conn`` took the write lock: from now on it counts as a writing block."""
        with self._lock:
            block = self._open.get(conn)
            if block is not None:
                block.writing = True

    def end(self, conn: sa.Connection) -> None:
        """The transaction on ``conn`` ended (committed, rolled back, or its block closed)."""
        with self._lock:
            self._open.pop(conn, None)

    def before_execute(self, conn: sa.Connection, context: Any) -> None:
        """SQLite: the first write of a plain block takes the write lock; check it first."""
        block = self._open.get(conn)
        if block is None or block.writing or block.wrote:
            return
        if context is None or not (context.isinsert or context.isupdate or context.isdelete):
            return
        with self._lock:
            self._refuse_if_held(block, wants_lock=True)
            block.wrote = True

    def _refuse_if_held(self, block: _Block, *, wants_lock: bool) -> None:
        for other in self._open.values():
            if other is block:
                continue
            if self.kind == "memory":
                raise StoreBusy(
                    "the in-memory SQLite database (':memory:') has another block open, and"
                    f" it has one connection, so one block at a time: {_END_IT}",
                    store=self.store,
                )
            if other.thread != block.thread or not wants_lock:
                continue
            if other.writing or (self.kind == "sqlite" and other.wrote):
                what = "a `with uow.writing():` block" if other.writing else "a block that wrote"
                raise StoreBusy(
                    f"the database {self.store} is locked by another unit of work of this same"
                    f" thread ({what}), which cannot end while this one waits: {_END_IT}",
                    store=self.store,
                )


_BY_ENGINE: weakref.WeakKeyDictionary[Engine, OpenBlocks] = weakref.WeakKeyDictionary()
_BY_STORE: weakref.WeakValueDictionary[tuple[Any, ...], OpenBlocks] = weakref.WeakValueDictionary()
_REGISTRY = threading.Lock()


def _store_key(url: URL) -> tuple[Any, ...] | None:
    """What names one database across engines of this process (None: an in-memory one)."""
    if is_memory(url):
        return None
    if url.drivername.startswith("sqlite"):
        return ("sqlite", os.path.realpath(str(url.database)))
    return ("postgresql", url.host, url.port, url.database)


def open_blocks(engine: Engine) -> OpenBlocks:
    """The :class:`OpenBlocks` of ``engine``'s database, shared by its engines in this process."""
    with _REGISTRY:
        found = _BY_ENGINE.get(engine)
        if found is not None:
            return found
        url = engine.url
        key = _store_key(url)
        found = _BY_STORE.get(key) if key is not None else None
        if found is None:
            kind = "memory" if key is None else str(key[0])
            found = OpenBlocks(kind, store_name(url))
            if key is not None:
                _BY_STORE[key] = found
        _BY_ENGINE[engine] = found
        if found.kind == "sqlite":
            blocks = found

            def before_cursor_execute(**kw: Any) -> None:
                blocks.before_execute(kw["conn"], kw["context"])

            event.listen(engine, "before_cursor_execute", before_cursor_execute, named=True)
        return found
