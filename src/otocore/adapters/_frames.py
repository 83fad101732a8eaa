"""The bulk frames every store reads and writes: their schemas and the checks of a frame written.

The batch rules (:mod:`otocore.frames`) and the daily job read the store as
columns, not as validated objects. These are the Polars schemas of those
frames, the same for every adapter, and the checks a frame passes before a
store writes it: the checks the value types would make, on whole columns,
each fault a :class:`~otocore.errors.ValidationError` naming the column and a
faulty value (all faults together), before anything is written.
"""

from __future__ import annotations

from typing import Any, Final

import polars as pl

from otocore.adapters._common import require_day
from otocore.errors import ValidationError
from otocore.orders import OrderStatus
from otocore.portfolio import AssignmentReason
from otocore.rfv import MAX_BINS

UTC_US: Final = pl.Datetime("us", "UTC")
"""An instant: microseconds, in UTC (exact for every stored instant)."""

ORDERS: Final[dict[str, Any]] = {
    "customer_id": pl.String,
    "store_id": pl.String,
    "seller_code": pl.String,
    "placed_at": UTC_US,
    "total_cents": pl.Int64,
}
PLACED_ORDERS: Final[dict[str, Any]] = {
    "order_id": pl.String,
    "customer_id": pl.String,
    "store_id": pl.String,
    "seller_code": pl.String,
    "placed_at": UTC_US,
    "total_cents": pl.Int64,
    "status": pl.String,
    "channel": pl.String,
    "discount_cents": pl.Int64,
}
CONTACTS: Final[dict[str, Any]] = {
    "contact_id": pl.String,
    "seller_code": pl.String,
    "customer_id": pl.String,
    "started_at": UTC_US,
    "outcome": pl.String,
}
SUGGESTION_DAYS: Final[dict[str, Any]] = {"day": pl.Date, "seller_code": pl.String}
LAST_ORDER: Final[dict[str, Any]] = {"customer_id": pl.String, "placed_at": UTC_US}
IDS: Final[dict[str, Any]] = {"customer_id": pl.String}
ASSIGNMENTS: Final[dict[str, Any]] = {
    "customer_id": pl.String,
    "seller_code": pl.String,
    "since": pl.Date,
    "reason": pl.String,
}
SCORES: Final[dict[str, Any]] = {
    "customer_id": pl.String,
    "recency_days": pl.Int64,
    "frequency": pl.Int64,
    "value_cents": pl.Int64,
    "r": pl.Int64,
    "f": pl.Int64,
    "v": pl.Int64,
    "segment": pl.String,
}

COMPLETED: Final = OrderStatus.COMPLETED.value
_CONTROL: Final = r"[\x00-\x1f\x7f]"
_REASONS: Final = [r.value for r in AssignmentReason]
_NONE: Final = AssignmentReason.NONE.value


def empty(schema: dict[str, Any]) -> pl.DataFrame:
    """A frame with no rows and ``schema``'s columns."""
    return pl.DataFrame(schema=schema)


def parse_instants(column: str) -> pl.Expr:
    """Column ``column`` of stored instants (SQLite's fixed-width UTC ISO text) as ``UTC_US``."""
    return (
        pl.col(column)
        .str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%:z", time_unit="us", time_zone="UTC")
        .alias(column)
    )


def check_assignments(frame: Any) -> pl.DataFrame:
    """The assignments frame, checked as :class:`~otocore.portfolio.PortfolioAssignment` would be.

    Returns its columns in order, one row per customer (the last one wins).
    """
    checked = _columns("assignments", frame, ASSIGNMENTS)
    faults = [
        *_keys("assignments.customer_id", checked, "customer_id", nullable=False),
        *_keys("assignments.seller_code", checked, "seller_code", nullable=True),
    ]
    faults += _first(
        checked,
        "since",
        pl.col("since").is_null(),
        "assignments.since",
        "must not be null (a local day)",
    )
    reason = pl.col("reason")
    known = ", ".join(repr(r) for r in _REASONS)
    faults += _first(
        checked,
        "reason",
        reason.is_null() | ~reason.is_in(_REASONS),
        "assignments.reason",
        f"must be an AssignmentReason value ({known})",
    )
    faults += _first(
        checked,
        "seller_code",
        (reason == _NONE) & pl.col("seller_code").is_not_null(),
        "assignments.seller_code",
        "must be null when the reason is 'none'",
    )
    faults += _first(
        checked,
        "seller_code",
        (reason != _NONE) & pl.col("seller_code").is_null(),
        "assignments.seller_code",
        "must name a seller unless the reason is 'none'",
    )
    if faults:
        raise ValidationError.collect(faults)
    return checked.unique("customer_id", keep="last", maintain_order=True)


def check_scores(as_of: Any, frame: Any) -> pl.DataFrame:
    """An RFV snapshot frame (:data:`otocore.frames.RFV_COLUMNS`), checked as RfvScore would be."""
    require_day("as_of", as_of)
    checked = _columns("scores", frame, SCORES)
    faults = list(_keys("scores.customer_id", checked, "customer_id", nullable=False))
    repeated = checked.filter(pl.col("customer_id").is_duplicated())
    if repeated.height:
        faults.append(
            ValidationError(
                "scores.customer_id",
                repeated.item(0, "customer_id"),
                "must appear once (one score per customer)",
            )
        )
    for name in ("recency_days", "frequency", "value_cents"):
        faults += _first(
            checked,
            name,
            pl.col(name).is_null() | (pl.col(name) < 0),
            f"scores.{name}",
            "must be an integer >= 0",
        )
    for name in ("r", "f", "v"):
        faults += _first(
            checked,
            name,
            pl.col(name).is_null() | (pl.col(name) < 1) | (pl.col(name) > MAX_BINS),
            f"scores.{name}",
            f"must be an integer from 1 to {MAX_BINS}",
        )
    segment = pl.col("segment")
    faults += _first(
        checked,
        "segment",
        segment.is_null()
        | ~segment.str.contains(r"^[a-z][a-z0-9_]*$")
        | (segment.str.len_chars() > 50),
        "scores.segment",
        "must be a snake_case key such as 'cant_lose' (a-z, 0-9, _; max 50)",
    )
    if faults:
        raise ValidationError.collect(faults)
    return checked


def score_values(frame: pl.DataFrame) -> pl.Expr:
    """The stored text of each score's value: ``"0"`` at frequency 0, else the cents with two places.

    The reference rule sums ``Decimal`` totals read back from the store (two
    places each) and starts a customer without counted orders at
    ``Decimal(0)``; this is ``str()`` of the same Decimal.
    """
    cents = pl.col("value_cents")
    text = (cents // 100).cast(pl.String) + pl.lit(".") + (cents % 100).cast(pl.String).str.zfill(2)
    return pl.when(pl.col("frequency") == 0).then(pl.lit("0")).otherwise(text).alias("value")


# private -----------------------------------------------------------------------------


def _columns(name: str, frame: Any, schema: dict[str, Any]) -> pl.DataFrame:
    if not isinstance(frame, pl.DataFrame):
        raise ValidationError(name, type(frame).__name__, "must be a Polars DataFrame")
    faults: list[ValidationError] = []
    for column, dtype in schema.items():
        if column not in frame.columns:
            faults.append(
                ValidationError(
                    f"{name}.{column}", frame.columns, "must be a column; the frame's columns are"
                )
            )
            continue
        found = frame.schema[column]
        ok = found.is_integer() if dtype == pl.Int64 else found in (dtype, pl.Null)
        if not ok:
            faults.append(ValidationError(f"{name}.{column}", found, f"must be of type {dtype}"))
    if faults:
        raise ValidationError.collect(faults)
    return frame.select(pl.col(c).cast(t) for c, t in schema.items())


def _keys(field: str, frame: pl.DataFrame, column: str, *, nullable: bool) -> list[ValidationError]:
    col = pl.col(column)
    faults = []
    if not nullable:
        faults += _first(frame, column, col.is_null(), field, "must not be null")
    bad = (col.str.strip_chars() == "") | (col.str.len_chars() > 100) | col.str.contains(_CONTROL)
    faults += _first(
        frame,
        column,
        bad.fill_null(value=False),
        field,
        "must be a non-blank text of at most 100 characters without control characters",
    )
    return faults


def _first(
    frame: pl.DataFrame, column: str, bad: pl.Expr, field: str, rule: str
) -> list[ValidationError]:
    found = frame.filter(bad)
    if not found.height:
        return []
    return [ValidationError(field, found.item(0, column), rule)]
