"""Orders as frames of every engine, and results back as plain rows, for the otocore.frames tests.

``ENGINES`` names the inputs :mod:`otocore.frames` accepts; :func:`order_frame`
builds one from :class:`~otocore.orders.Order` objects (an Arrow table first,
then the engine's own conversion), :func:`rows` reads any result back as
tuples, and ``expected_rfv`` / ``expected_preferred`` put the reference rules'
answers in the same shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

import narwhals as nw
import pyarrow as pa

from otocore.distribution import Preference
from otocore.orders import Order
from otocore.rfv import RfvScore

__all__ = [
    "ENGINES",
    "NATIVE_TYPES",
    "convert",
    "expected_preferred",
    "expected_rfv",
    "order_frame",
    "rows",
]

ENGINES = ("pandas", "polars", "polars-lazy", "pyarrow", "duckdb")


def _native_types() -> dict[str, type]:
    import duckdb
    import pandas as pd
    import polars as pl

    return {
        "pandas": pd.DataFrame,
        "polars": pl.DataFrame,
        "polars-lazy": pl.LazyFrame,
        "pyarrow": pa.Table,
        "duckdb": duckdb.DuckDBPyRelation,
    }


NATIVE_TYPES = _native_types()


def convert(table: pa.Table, engine: str) -> Any:
    """An Arrow table as the engine's own frame."""
    if engine == "pyarrow":
        return table
    if engine == "pandas":
        return table.to_pandas()
    if engine in ("polars", "polars-lazy"):
        import polars as pl

        frame = pl.from_arrow(table)
        assert isinstance(frame, pl.DataFrame)
        return frame.lazy() if engine == "polars-lazy" else frame
    if engine == "duckdb":
        import duckdb

        return duckdb.from_arrow(table)
    raise ValueError(engine)


def order_frame(orders: Iterable[Order], engine: str, *, zone: str = "UTC") -> Any:
    """The orders as the contract's frame on ``engine``, ``placed_at`` shown in ``zone``."""
    listed = list(orders)
    table = pa.table(
        {
            "order_id": pa.array([o.order_id for o in listed], pa.string()),
            "customer_id": pa.array([o.customer_id for o in listed], pa.string()),
            "store_id": pa.array([o.store_id for o in listed], pa.string()),
            "seller_code": pa.array([o.seller_code for o in listed], pa.string()),
            "placed_at": pa.array([o.placed_at for o in listed], pa.timestamp("us", tz=zone)),
            "total_cents": pa.array([int(o.total * 100) for o in listed], pa.int64()),
            "status": pa.array([o.status.value for o in listed], pa.string()),
        }
    )
    return convert(table, engine)


def rows(result: Any) -> list[tuple[Any, ...]]:
    """Any engine's result as a list of plain tuples, in its row order."""
    frame = nw.from_native(result)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    return [tuple(_plain(x) for x in row) for row in frame.rows()]


def _plain(value: Any) -> Any:
    if isinstance(value, datetime) and hasattr(value, "to_pydatetime"):  # a pandas Timestamp
        plain: datetime = value.to_pydatetime()
        return plain
    return value


def expected_rfv(scores: Mapping[str, RfvScore]) -> list[tuple[Any, ...]]:
    """The reference's scores as the rows of :func:`otocore.frames.rfv_scores`."""
    return [
        (s.customer_id, s.recency_days, s.frequency, int(s.value * 100), s.r, s.f, s.v, s.segment)
        for s in scores.values()
    ]


def expected_preferred(prefs: Mapping[str, Preference]) -> list[tuple[Any, ...]]:
    """The reference's preferences as the rows of :func:`otocore.frames.preferred_sellers`."""
    return [
        (
            customer,
            p.seller_code,
            p.tallies[0].visits,
            p.tallies[0].tally,
            p.tallies[0].last_sale_at,
            p.decided_by.value,
        )
        for customer, p in prefs.items()
    ]
