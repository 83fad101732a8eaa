"""The steps that narwhals cannot express the same way on every engine. Private.

Everything else in :mod:`otocore.frames` is one narwhals plan. Two steps touch
time zones, and DuckDB keeps a timestamp's zone in the connection, not in the
column type, so narwhals refuses ``convert_time_zone`` on a DuckDB relation:

* :func:`with_local_day`: the local day of ``placed_at`` in the policy's zone,
  as an integer (days since 1970-01-01). On DuckDB it is DuckDB's own
  ``timezone(zone, placed_at)`` expression, added to the native relation.
* :func:`native_input`: pandas only. narwhals (2.29) reads a pandas
  ``datetime64[us, America/Sao_Paulo]`` column as ``Unknown``: its pattern for
  zone names has no ``_``, ``-`` or digits. Such a column is converted to UTC
  (the same instants) with pandas' own ``tz_convert`` before narwhals sees it.
* :func:`utc`: an instant column shown in UTC. A DuckDB ``TIMESTAMPTZ`` is an
  instant already; it is left as it is (DuckDB shows it in the session's
  ``TimeZone``).

A new engine that lacks one of these gets its own branch here, and nowhere else.
"""

from __future__ import annotations

from typing import Any

import narwhals as nw

__all__ = ["native_input", "utc", "with_local_day"]

_DAY_US = 86_400_000_000


def native_input(orders: Any) -> Any:
    """The frame to hand to narwhals: ``orders`` itself, or for pandas a UTC ``placed_at``."""
    if not nw.dependencies.is_pandas_dataframe(orders) or "placed_at" not in orders.columns:
        return orders
    column = orders["placed_at"]
    if getattr(column.dtype, "tz", None) is None or str(column.dtype).endswith(", UTC]"):
        return orders
    return orders.assign(placed_at=column.dt.tz_convert("UTC"))


def with_local_day(frame: nw.LazyFrame[Any], time_zone: str, name: str) -> nw.LazyFrame[Any]:
    """Add column ``name``: the local day of ``placed_at`` in ``time_zone``, days since 1970-01-01.

    ``time_zone`` is an IANA name that a policy has validated.
    """
    if frame.implementation is nw.Implementation.DUCKDB:
        return _duckdb_local_day(frame, time_zone, name)
    wall = nw.col("placed_at").dt.convert_time_zone(time_zone).dt.replace_time_zone(None)
    return frame.with_columns((wall.dt.timestamp("us") // _DAY_US).cast(nw.Int64).alias(name))


def utc(name: str, implementation: nw.Implementation) -> nw.Expr:
    """Column ``name`` (an aware timestamp) in UTC; unchanged on DuckDB, whose instants have no zone."""
    if implementation is nw.Implementation.DUCKDB:
        return nw.col(name)
    return nw.col(name).dt.convert_time_zone("UTC")


def _duckdb_local_day(frame: nw.LazyFrame[Any], time_zone: str, name: str) -> nw.LazyFrame[Any]:
    """DuckDB: ``CAST(timezone(zone, placed_at) AS DATE) - DATE '1970-01-01'`` (ICU's zone data)."""
    import duckdb  # only when the caller passed a DuckDB relation

    relation = frame.to_native()
    local = duckdb.FunctionExpression(
        "timezone", duckdb.ConstantExpression(time_zone), duckdb.ColumnExpression("placed_at")
    )
    day = duckdb.FunctionExpression(
        "date_diff",
        duckdb.ConstantExpression("day"),
        duckdb.ConstantExpression("1970-01-01").cast("DATE"),
        local.cast("DATE"),
    )
    result: nw.LazyFrame[Any] = nw.from_native(
        relation.select(duckdb.StarExpression(), day.alias(name))
    )
    return result
