"""Bulk upserts of plain rows: one compiled statement, the driver's ``executemany``.

The import writes hundreds of thousands of orders and customers. SQLAlchemy
Core's ``conn.execute(stmt, [dict, ...])`` builds each row's parameters
through the compiler (a few microseconds a row); here the upsert is compiled
once per dialect and table, each row is a tuple in the table's column order,
only the columns whose type converts values (instants, dates) are converted,
with the type's own bind processor, and the rows go to the driver through
``Connection.exec_driver_sql`` (still one transaction, still SQLAlchemy's
error wrapping). On PostgreSQL each chunk is instead copied (``COPY ... FROM
STDIN``, psycopg's ``copy``) into a temporary table dropped at commit, then
upserted from it with one ``INSERT ... SELECT ... ON CONFLICT``: about twice as
fast as ``executemany``, in the same transaction. The stored values are those
``conn.execute`` would store (tests/contract/test_bulk_writes.py compares them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final, cast

import sqlalchemy as sa
from sqlalchemy.sql.compiler import SQLCompiler

from otocore.adapters.sql._base import CHUNK, upsert

Processor = Callable[[Any], Any]


class _Compiled:
    """An upsert compiled for one dialect: its SQL, parameter order and converters."""

    def __init__(self, conn: sa.Connection, table: sa.Table) -> None:
        dialect = conn.dialect
        statement = cast(sa.Insert, upsert(dialect.name, table))
        compiled: SQLCompiler = statement.compile(dialect=dialect)
        self.sql: Final = str(compiled)
        names = [c.name for c in table.columns]
        self.names: Final = tuple(names)
        self.positional: Final = bool(compiled.positional)
        order = list(compiled.positiontup or names) if self.positional else names
        self.order: Final = tuple(names.index(name) for name in order)
        self.in_order: Final = self.order == tuple(range(len(names)))
        self.processors: Final = tuple(
            (i, p)
            for i, c in enumerate(table.columns)
            if (p := c.type.dialect_impl(dialect).bind_processor(dialect)) is not None
        )
        self.key: Final = tuple(names.index(c.name) for c in table.primary_key.columns)
        self.copy: Final = dialect.name == "postgresql"
        if self.copy:
            keys = [c.name for c in table.primary_key.columns]
            columns = ", ".join(names)
            updates = ", ".join(f"{n} = excluded.{n}" for n in names if n not in keys)
            self.staging: Final = f"otocore_bulk_{table.name}"
            self.create: Final = (
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.staging}"
                f" (LIKE {table.name}) ON COMMIT DROP"
            )
            self.copy_sql: Final = f"COPY {self.staging} ({columns}) FROM STDIN"
            self.merge: Final = (
                f"INSERT INTO {table.name} ({columns}) SELECT {columns} FROM {self.staging}"  # noqa: S608
                f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {updates}"
            )

    def converted(self, row: Sequence[Any]) -> Sequence[Any]:
        if not self.processors:
            return row
        row = list(row)
        for i, process in self.processors:
            row[i] = process(row[i])
        return row

    def parameters(self, row: Sequence[Any]) -> Any:
        row = self.converted(row)
        if not self.positional:
            return dict(zip(self.names, row, strict=True))
        return tuple(row) if self.in_order else tuple(row[i] for i in self.order)


_COMPILED: dict[tuple[str, str], _Compiled] = {}


def bulk_upsert(conn: sa.Connection, table: sa.Table, rows: Iterable[Sequence[Any]]) -> None:
    """Upsert ``rows`` (tuples in ``table``'s column order) by primary key, ``CHUNK`` at a time.

    A key repeated within a chunk keeps its last row, as sequential upserts would.
    """
    key = (conn.dialect.name, table.name)
    compiled = _COMPILED.get(key)
    if compiled is None:
        compiled = _COMPILED[key] = _Compiled(conn, table)
    write = _copier(conn, compiled) if compiled.copy else _executemany(conn, compiled)
    pk = compiled.key
    single = pk[0] if len(pk) == 1 else None
    chunk: dict[Any, Any] = {}
    for row in rows:
        chunk[row[single] if single is not None else tuple(row[i] for i in pk)] = row
        if len(chunk) >= CHUNK:
            write(chunk.values())
            chunk.clear()
    if chunk:
        write(chunk.values())


Write = Callable[[Iterable[Sequence[Any]]], None]


def _executemany(conn: sa.Connection, compiled: _Compiled) -> Write:
    parameters = compiled.parameters

    def write(rows: Iterable[Sequence[Any]]) -> None:
        conn.exec_driver_sql(compiled.sql, [parameters(r) for r in rows])

    return write


def _copier(conn: sa.Connection, compiled: _Compiled) -> Write:
    """COPY into the staging table, then one upsert from it (PostgreSQL, psycopg 3)."""
    conn.exec_driver_sql(compiled.create)
    converted = compiled.converted
    driver = conn.connection.driver_connection

    def write(rows: Iterable[Sequence[Any]]) -> None:
        statement = compiled.copy_sql
        try:
            with driver.cursor() as cursor:  # type: ignore[union-attr]
                with cursor.copy(statement) as copy:
                    for row in rows:
                        copy.write_row(converted(row))
                statement = compiled.merge
                cursor.execute(statement)
                statement = f"TRUNCATE {compiled.staging}"
                cursor.execute(statement)
        except Exception as exc:
            # the driver's error as SQLAlchemy raises it, so the store names it as always
            dbapi = conn.dialect.loaded_dbapi
            if isinstance(exc, dbapi.Error):
                raise sa.exc.DBAPIError.instance(statement, None, exc, dbapi.Error) from exc
            raise

    return write
