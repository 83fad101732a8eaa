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
* :func:`with_epoch_us`: an instant as integer microseconds (attribution
  compares the instants of two frames, which may differ in zone and unit). On
  DuckDB it is ``epoch_us``, added to the native relation.
* :func:`utc`: an instant column shown in UTC. A DuckDB ``TIMESTAMPTZ`` is an
  instant already; it is left as it is (DuckDB shows it in the session's
  ``TimeZone``).

One step narwhals can say on every engine, but not fast:

* :func:`pick_winners`: each customer's preferred seller among its tallies, and
  ``decided_by``. The portable plan narrows the field in three group-bys
  joined back (narwhals has no ordered window or sort-and-take-first on every
  engine, and its PyArrow window misaligns rows at scale); Polars and DuckDB sort each customer's tallies once instead (Polars:
  a sort and each customer's first two rows; DuckDB: one ordered window,
  ``row_number()`` and ``lead()``, with ``QUALIFY``), as a hand-written query
  does. On DuckDB the portable plan is worse than three windows: its optimiser
  turns the first window and filter into a join that scans the orders twice.

And one that narwhals says on every engine, but not fast or, on PyArrow, not right:

* :func:`pick_contacts`: the contact that earns each order (attribution), among the
  pairs of an order and a contact of its customer in the window. Polars sorts the pairs
  once and takes each order's first (as the fastest hand-written query does, on Polars'
  default streaming engine: faster than ``join_asof`` or windows); the other engines group
  by order and join back (narwhals' PyArrow window misaligns rows at scale).

And one data check of an eager frame:

* :func:`all_distinct`: whether ``order_id`` has no repeated value. Counting
  distinct strings is the dearest check by far (10M ids: 0.8 s on Polars,
  more than the RFV query itself); Polars counts distinct 64-bit hashes of the
  ids instead (0.3 s), which proves the ids distinct whenever the hashes are,
  and counts the ids themselves only when two hashes are equal.

A new engine that lacks one of these gets its own branch here, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import narwhals as nw

from otocore.distribution import DecidedBy

__all__ = [
    "all_distinct",
    "native_input",
    "pick_contacts",
    "pick_winners",
    "utc",
    "with_epoch_us",
    "with_local_day",
]

Plan = nw.LazyFrame[Any]

_DAY_US = 86_400_000_000


def native_input(orders: Any, name: str = "placed_at") -> Any:
    """The frame to hand to narwhals: ``orders`` itself, or for pandas column ``name`` in UTC."""
    if not nw.dependencies.is_pandas_dataframe(orders) or name not in orders.columns:
        return orders
    column = orders[name]
    if getattr(column.dtype, "tz", None) is None or str(column.dtype).endswith(", UTC]"):
        return orders
    return orders.assign(**{name: column.dt.tz_convert("UTC")})


def with_epoch_us(frame: nw.LazyFrame[Any], column: str, name: str) -> nw.LazyFrame[Any]:
    """Add column ``name``: the instant ``column`` as integer microseconds since 1970 (UTC).

    Instants of two frames (orders, contacts) may differ in zone and unit; as
    integers they compare and subtract on every engine. On DuckDB it is
    ``epoch_us(CAST(column AS TIMESTAMPTZ))``, added to the native relation.
    """
    if frame.implementation is nw.Implementation.DUCKDB:
        import duckdb  # only when the caller passed a DuckDB relation

        relation = frame.to_native()
        micros = duckdb.FunctionExpression(
            "epoch_us", duckdb.ColumnExpression(column).cast("TIMESTAMPTZ")
        )
        result: nw.LazyFrame[Any] = nw.from_native(
            relation.select(duckdb.StarExpression(), micros.alias(name))
        )
        return result
    return frame.with_columns(nw.col(column).dt.timestamp("us").cast(nw.Int64).alias(name))


def all_distinct(frame: nw.DataFrame[Any], column: str) -> bool:
    """Whether ``column`` of an eager frame holds no value twice (a null counts as a value)."""
    size = len(frame)
    if frame.implementation is nw.Implementation.POLARS:
        import polars as pl  # the caller passed a Polars frame

        native = frame.to_native()
        # Distinct hashes are distinct ids; equal hashes may be a collision, so then count ids.
        if native.select(pl.col(column).hash().n_unique()).item() == size:
            return True
    return bool(frame.select(nw.col(column).n_unique()).item() == size)


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


def pick_winners(tallies: Plan, portable: Callable[[Plan], Plan]) -> Plan:
    """Each customer's winner among ``tallies``, with ``decided_by``, sorted by ``customer_id``.

    ``tallies`` has one row per (customer, seller): ``customer_id``,
    ``seller_code``, ``visits``, ``tally`` and ``last_sale_at``. The winner
    has the highest tally, then the latest sale, then the lowest code; the
    runner-up (the next in that order) says which criterion decided. The
    result has :data:`~otocore.frames._rules.PREFERRED_COLUMNS` with
    ``last_sale_at`` in UTC (see :func:`utc`). Polars and DuckDB run their own
    step; any other engine runs ``portable``, the plain narwhals plan.
    """
    engine: nw.Implementation = tallies.implementation
    if engine is nw.Implementation.POLARS:
        return _polars_winners(tallies)
    if engine is nw.Implementation.DUCKDB:
        return _duckdb_winners(tallies)
    return portable(tallies)


def _polars_winners(tallies: Plan) -> Plan:
    """Polars: sort by customer and the tie-breaks once, then each customer's first two rows."""
    import polars as pl  # the caller passed a Polars frame

    ranked = tallies.to_native().sort(
        ["customer_id", "tally", "last_sale_at", "seller_code"],
        descending=[False, True, True, False],
    )
    per_customer = ranked.group_by("customer_id", maintain_order=True).agg(
        pl.col("seller_code", "visits", "tally", "last_sale_at").first(),
        pl.len().alias("_otocore_n"),
        pl.col("tally").slice(1, 1).first().alias("_otocore_next_tally"),
        pl.col("last_sale_at").slice(1, 1).first().alias("_otocore_next_at"),
    )
    decided = (
        pl.when(pl.col("_otocore_n") == 1)
        .then(pl.lit(DecidedBy.ONLY_CANDIDATE.value))
        .when(pl.col("tally") != pl.col("_otocore_next_tally"))
        .then(pl.lit(DecidedBy.TALLY.value))
        .when(pl.col("last_sale_at") != pl.col("_otocore_next_at"))
        .then(pl.lit(DecidedBy.MOST_RECENT_SALE.value))
        .otherwise(pl.lit(DecidedBy.SELLER_CODE.value))
    )
    result: Plan = nw.from_native(
        per_customer.select(
            "customer_id",
            "seller_code",
            "visits",
            "tally",
            pl.col("last_sale_at").dt.convert_time_zone("UTC"),
            decided.alias("decided_by"),
        )
    )
    return result


_DUCKDB_WINNERS = f"""
select customer_id, seller_code, visits, tally, last_sale_at,
       case when lead(seller_code) over w is null then '{DecidedBy.ONLY_CANDIDATE.value}'
            when tally <> lead(tally) over w then '{DecidedBy.TALLY.value}'
            when last_sale_at <> lead(last_sale_at) over w then '{DecidedBy.MOST_RECENT_SALE.value}'
            else '{DecidedBy.SELLER_CODE.value}' end as decided_by
from _otocore_tallies
window w as (partition by customer_id order by tally desc, last_sale_at desc, seller_code asc)
qualify row_number() over w = 1
order by customer_id
"""  # noqa: S608 - constant text: the names are otocore's own, the values DecidedBy's
"""One ordered window over each customer's tallies: the first row wins, the next is the runner-up."""


def _duckdb_winners(tallies: Plan) -> Plan:
    """DuckDB: ``row_number()`` and ``lead()`` over one ordered window, kept with ``QUALIFY``."""
    result: Plan = nw.from_native(tallies.to_native().query("_otocore_tallies", _DUCKDB_WINNERS))
    return result


def pick_contacts(
    pairs: Plan, started: str, *, latest: bool, portable: Callable[..., Plan]
) -> Plan:
    """Each order's winning pair among ``pairs`` (attribution): one row per attributed order.

    ``pairs`` has one row per order and candidate contact, with ``order_id``,
    ``contact_id`` and the contact's instant as integer microseconds in
    column ``started``. The winner has the latest instant (``latest``) or the
    earliest, then the lowest ``contact_id`` in code-point order; its row
    comes with all of ``pairs``' columns, in no particular order. Polars runs
    its own step; any other engine runs ``portable(pairs, latest=latest)``.
    """
    engine: nw.Implementation = pairs.implementation
    if engine is nw.Implementation.POLARS:
        return _polars_contacts(pairs, started, latest=latest)
    return portable(pairs, latest=latest)


def _polars_contacts(pairs: Plan, started: str, *, latest: bool) -> Plan:
    """Polars: sort the pairs by order, instant and ``contact_id`` once, then each order's first row."""
    import polars as pl  # the caller passed a Polars frame

    ranked = pairs.to_native().sort(
        ["order_id", started, "contact_id"], descending=[False, latest, False]
    )
    result: Plan = nw.from_native(
        ranked.group_by("order_id", maintain_order=True).agg(pl.all().first())
    )
    return result
