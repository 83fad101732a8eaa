"""Bulk upserts of plain rows: one compiled statement, the driver's ``executemany``.

The import writes hundreds of thousands of orders and customers. SQLAlchemy
Core's ``conn.execute(stmt, [dict, ...])`` builds each row's parameters
through the compiler (a few microseconds a row); here the upsert is compiled
once per dialect and table, each row is a tuple in the table's column order,
only the columns whose type converts values (instants, dates) are converted,
with the type's own bind processor, and the rows go to the driver through
``Connection.exec_driver_sql`` (still one transaction, still SQLAlchemy's
error wrapping). The stored values are those ``conn.execute`` would store
(tests/contract/test_bulk_writes.py compares them).
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

    def parameters(self, row: Sequence[Any]) -> Any:
        if self.processors:
            row = list(row)
            for i, process in self.processors:
                row[i] = process(row[i])
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
    parameters = compiled.parameters
    pk = compiled.key
    single = pk[0] if len(pk) == 1 else None
    chunk: dict[Any, Any] = {}
    for row in rows:
        chunk[row[single] if single is not None else tuple(row[i] for i in pk)] = row
        if len(chunk) >= CHUNK:
            conn.exec_driver_sql(compiled.sql, [parameters(r) for r in chunk.values()])
            chunk.clear()
    if chunk:
        conn.exec_driver_sql(compiled.sql, [parameters(r) for r in chunk.values()])
