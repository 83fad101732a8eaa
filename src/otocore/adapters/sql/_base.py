"""What every SQL repository shares: its block's connection, reads, upserts and streams."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable, Iterator
from types import GeneratorType
from typing import Any, Final, Protocol, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from otocore.adapters._common import optional_enum, require_key
from otocore.errors import NotFound, RuleViolation, StorageError
from otocore.ledger import LogKeyring

CHUNK: Final = 5_000
"""Rows per ``executemany`` in bulk writes."""
STREAM: Final = 2_000
"""Rows fetched at a time by the ``iter_*`` methods."""

V = TypeVar("V")
S = TypeVar("S", bound=sa.Select[Any])
Load = Callable[[Any], V]

_SQLITE_BUSY: Final = ("SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT")
CONCURRENT_WRITE: Final = (
    "a concurrent transaction is writing (or wrote after this block read), so this write"
    " could not go ahead; nothing was written: retry the block, and use `with uow.writing():`"
    " for a block that reads then writes"
)


class Owner(Protocol):
    """The unit of work as its repositories see it."""

    _write: bool
    _log_keys: LogKeyring | None

    def _conn(self) -> sa.Connection: ...

    def _take_write_lock(self) -> None: ...

    def _storage_error(self, exc: sa.exc.DBAPIError) -> StorageError: ...


_UPSERTS: dict[tuple[str, str], sa.Executable] = {}


def upsert(dialect: str, table: sa.Table) -> sa.Executable:
    """``INSERT ... ON CONFLICT (primary key) DO UPDATE`` for ``table`` on ``dialect``."""
    cached = _UPSERTS.get((dialect, table.name))
    if cached is not None:
        return cached
    insert = sqlite_dialect.insert if dialect == "sqlite" else pg_dialect.insert
    stmt = insert(table)
    keys = [c.name for c in table.primary_key.columns]
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    result = stmt.on_conflict_do_update(index_elements=keys, set_=updates)
    _UPSERTS[(dialect, table.name)] = result
    return result


def stream(conn: sa.Connection, stmt: sa.Select[Any], load: Load[V]) -> Iterator[V]:
    """The rows of ``stmt``, fetched ``STREAM`` at a time, as values (run at the first next())."""
    result = conn.execute(stmt.execution_options(yield_per=STREAM))
    try:
        for row in result:
            yield load(row)
    finally:
        result.close()


def where_key(stmt: S, column: sa.Column[Any], field: str, value: Any) -> S:
    """``stmt`` kept to rows whose ``column`` is the key ``value``; unchanged if it is None."""
    return stmt if value is None else stmt.where(column == require_key(field, value))


def where_enum(stmt: S, column: sa.Column[Any], field: str, value: Any, cls: type[Any]) -> S:
    """``stmt`` kept to rows whose ``column`` is the member ``value``; unchanged if it is None."""
    member = optional_enum(field, value, cls)
    return stmt if member is None else stmt.where(column == member.value)


def _translating(method: Callable[..., Any]) -> Callable[..., Any]:
    """``method`` whose driver errors, raised or met while streaming, are StorageErrors."""

    @functools.wraps(method)
    def translated(self: Repository, *args: Any, **kwargs: Any) -> Any:
        try:
            result = method(self, *args, **kwargs)
        except sa.exc.DBAPIError as exc:
            raise self._uow._storage_error(exc) from exc
        if isinstance(result, GeneratorType):
            return _translated_stream(self._uow, result)
        return result

    return translated


def _translated_stream(uow: Owner, values: Iterator[V]) -> Iterator[V]:
    try:
        yield from values
    except sa.exc.DBAPIError as exc:
        raise uow._storage_error(exc) from exc


class Repository:
    """A repository of a :class:`~otocore.adapters.sql.SqlUnitOfWork`.

    Its subclasses' public methods are wrapped so that a driver error leaving
    them (or met while iterating what they stream) is a
    :class:`~otocore.errors.StorageError` naming the database.
    """

    def __init__(self, uow: Owner) -> None:
        self._uow = uow

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name, value in list(vars(cls).items()):
            if not name.startswith("_") and inspect.isfunction(value):
                setattr(cls, name, _translating(value))

    @property
    def _c(self) -> sa.Connection:
        return self._uow._conn()

    def _for_read(self, stmt: sa.Select[Any]) -> sa.Select[Any]:
        """Lock the rows read (PostgreSQL ``FOR UPDATE``) inside a writing block."""
        return stmt.with_for_update() if self._uow._write else stmt

    def _first(self, stmt: sa.Select[Any]) -> Any:
        """The first row of ``stmt`` (locked in a writing block), or None."""
        return self._c.execute(self._for_read(stmt)).first()

    def _find(self, stmt: sa.Select[Any], load: Load[V]) -> V | None:
        """The value in the first row of ``stmt`` (locked in a writing block), or None."""
        row = self._first(stmt)
        return None if row is None else load(row)

    def _get(self, stmt: sa.Select[Any], load: Load[V], kind: str, key: Any) -> V:
        """The value in the first row of ``stmt``; ``NotFound(kind, key)`` when none."""
        row = self._first(stmt)
        if row is None:
            raise NotFound(kind, key)
        return load(row)

    def _get_by(self, column: sa.Column[Any], key: Any, load: Load[V], kind: str) -> V:
        """The value whose key ``column`` is ``key``; ``NotFound(kind, key)`` when none."""
        stmt = sa.select(column.table).where(column == require_key(column.name, key))
        return self._get(stmt, load, kind, key)

    def _find_by(self, column: sa.Column[Any], key: Any, load: Load[V]) -> V | None:
        """The value whose key ``column`` is ``key``, or None."""
        return self._find(
            sa.select(column.table).where(column == require_key(column.name, key)), load
        )

    def _all(self, stmt: sa.Select[Any], load: Load[V], *, lock: bool = False) -> list[V]:
        """Every row of ``stmt`` as a value (``lock``: locked in a writing block)."""
        return [load(row) for row in self._c.execute(self._for_read(stmt) if lock else stmt)]

    def _count(self, table: sa.Table) -> int:
        return int(self._c.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())

    def _streamed(self, stmt: sa.Select[Any], load: Load[V]) -> Iterator[V]:
        conn = self._c  # checked now, not at the first next()
        return stream(conn, stmt, load)

    def _insert_all(self, table: sa.Table, rows: list[dict[str, Any]]) -> None:
        """Insert ``rows``, ``CHUNK`` at a time."""
        conn = self._c
        for start in range(0, len(rows), CHUNK):
            conn.execute(sa.insert(table), rows[start : start + CHUNK])

    def _upsert_many(self, table: sa.Table, rows: Iterable[dict[str, Any]]) -> None:
        conn = self._c
        stmt = upsert(conn.dialect.name, table)
        keys = [c.name for c in table.primary_key.columns]
        chunk: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in rows:
            # a repeated key in one executemany: keep the last row, as sequential upserts would
            chunk[tuple(row[k] for k in keys)] = row
            if len(chunk) >= CHUNK:
                conn.execute(stmt, list(chunk.values()))
                chunk.clear()
        if chunk:
            conn.execute(stmt, list(chunk.values()))

    def _write_once(
        self,
        stmt: sa.Executable,
        conflict: Callable[[], RuleViolation],
        rows: list[dict[str, Any]] | None = None,
    ) -> sa.CursorResult[Any]:
        """Run one write in a savepoint; a lost race is a RuleViolation, the block stays usable.

        A unique key taken by a concurrent transaction (IntegrityError) is
        ``conflict()``, built after the savepoint rolled back, so it may read.
        On SQLite, a block that read before writing cannot wait for another
        writer (that could deadlock): SQLite answers "busy" at once, which
        is reported the same way.
        """
        conn = self._c
        try:
            with conn.begin_nested():  # ``rows``: one executemany of the statement
                return conn.execute(stmt) if rows is None else conn.execute(stmt, rows)
        except sa.exc.IntegrityError:
            raise conflict() from None
        except sa.exc.OperationalError as exc:
            if getattr(exc.orig, "sqlite_errorname", "") in _SQLITE_BUSY:
                raise RuleViolation(CONCURRENT_WRITE) from None
            raise
