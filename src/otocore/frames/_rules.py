"""The columnar rules as narwhals plans. Private: :mod:`otocore.frames` is the API.

Each plan is built from scalars computed in Python (the window's first and
last day as day numbers, the policy's cut points and grid) and column
expressions; nothing is collected, so a lazy input stays lazy.
"""

from __future__ import annotations

import functools
import math
import operator
from datetime import date
from decimal import Decimal
from typing import Any

import narwhals as nw

from otocore.attribution import AttributionModel, AttributionPolicy
from otocore.distribution import DecidedBy, PreferredSellerPolicy
from otocore.frames._contract import Orders
from otocore.frames._engines import (
    pick_contacts,
    pick_winners,
    utc,
    with_epoch_us,
    with_local_day,
)
from otocore.orders import Channel, OrderStatus
from otocore.rfv import RfvPolicy, SegmentGrid

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "PREFERRED_COLUMNS",
    "RFV_COLUMNS",
    "attribution_plan",
    "day_number",
    "preferred_plan",
    "rfv_plan",
]

RFV_COLUMNS = ("customer_id", "recency_days", "frequency", "value_cents", "r", "f", "v", "segment")
PREFERRED_COLUMNS = (
    "customer_id",
    "seller_code",
    "visits",
    "tally",
    "last_sale_at",
    "decided_by",
)

ATTRIBUTION_COLUMNS = (
    "order_id",
    "customer_id",
    "store_id",
    "channel",
    "placed_at",
    "total_cents",
    "status",
    "contact_id",
    "seller_code",
    "contact_started_at",
)

_EPOCH = date(1970, 1, 1)
_COMPLETED = OrderStatus.COMPLETED.value
_DAY = "_otocore_day"  # DuckDB names are case-insensitive: every helper column is distinct
_ONLINE = Channel.ONLINE.value
_DAY_US = 86_400_000_000
_PLACED = "_otocore_placed_us"
_STARTED = "_otocore_started_us"
_CODE = "_otocore_order_code"
_BEST = "_otocore_best_us"
_FIRST_ID = "_otocore_first_contact"


def day_number(day: date) -> int:
    """Days since 1970-01-01: the integer the plans compare local days as."""
    return (day - _EPOCH).days


# RFV ---------------------------------------------------------------------------------


def rfv_plan(orders: Orders, as_of: date, start: date, policy: RfvPolicy) -> nw.LazyFrame[Any]:
    """Raw values per customer, then scores and segment; ``start`` is ``as_of - window``."""
    last_day, first_day = day_number(as_of), day_number(start)
    counted = with_local_day(
        orders.frame.filter(nw.col("status") == _COMPLETED), policy.time_zone, _DAY
    ).filter(nw.col(_DAY) <= last_day)
    in_window = nw.col(_DAY) > first_day
    raw = (
        counted.with_columns(
            nw.when(in_window).then(1).otherwise(0).cast(nw.Int64).alias("_otocore_f"),
            nw.when(in_window)
            .then(nw.col("total_cents").cast(nw.Int64))
            .otherwise(0)
            .cast(nw.Int64)
            .alias("_otocore_v"),
        )
        .group_by("customer_id")
        .agg(
            nw.col(_DAY).max().alias("_otocore_last"),
            nw.col("_otocore_f").sum().alias("frequency"),
            nw.col("_otocore_v").sum().alias("value_cents"),
        )
        .select(
            "customer_id",
            (last_day - nw.col("_otocore_last")).cast(nw.Int64).alias("recency_days"),
            nw.col("frequency").cast(nw.Int64),
            nw.col("value_cents").cast(nw.Int64),
        )
    )
    scored = raw.with_columns(*_scores(policy))
    return scored.with_columns(_segment(policy.grid)).select(*RFV_COLUMNS).sort("customer_id")


def _scores(policy: RfvPolicy) -> list[nw.Expr]:
    """R, F and V: quantile (``1 + floor(bins * w / n)``, w from a 'min' rank) or thresholds."""
    thresholds = policy.thresholds
    if thresholds is None:
        bins = policy.bins
        count = nw.len().cast(nw.Int64)

        def quantile(column: str, *, lower_is_better: bool) -> nw.Expr:
            worse = nw.col(column).rank(method="min", descending=lower_is_better).cast(nw.Int64) - 1
            return (1 + (bins * worse) // count).cast(nw.Int64)

        return [
            quantile("recency_days", lower_is_better=True).alias("r"),
            quantile("frequency", lower_is_better=False).alias("f"),
            quantile("value_cents", lower_is_better=False).alias("v"),
        ]

    def at_least(column: str, cuts: tuple[int, ...]) -> nw.Expr:
        return _one_plus(nw.col(column) >= c for c in cuts)

    recency = _one_plus(nw.col("recency_days") <= c for c in thresholds.recency)
    value_cuts = tuple(_cents_ceiling(c) for c in thresholds.value)
    return [
        recency.alias("r"),
        at_least("frequency", thresholds.frequency).alias("f"),
        at_least("value_cents", value_cuts).alias("v"),
    ]


def _one_plus(conditions: Any) -> nw.Expr:
    total: nw.Expr = nw.lit(1, nw.Int64)
    for condition in conditions:
        total = total + condition.cast(nw.Int64)
    return total.cast(nw.Int64)


def _cents_ceiling(amount: Decimal) -> int:
    """The fewest whole centavos reaching ``amount``: ``cents >= ceil(100 * amount)`` iff reais >= amount."""
    return math.ceil(amount * 100)


def _segment(grid: SegmentGrid) -> nw.Expr:
    """The key of the grid's cell ``(r, f)``, as nested when/otherwise over the segments."""
    segments = list(grid.segments)
    result: nw.Expr = nw.lit(segments[-1].key, nw.String)
    for segment in reversed(segments[:-1]):
        hits = [
            (nw.col("r") >= box.r[0])
            & (nw.col("r") <= box.r[1])
            & (nw.col("f") >= box.f[0])
            & (nw.col("f") <= box.f[1])
            for box in segment.rectangles
        ]
        inside = functools.reduce(operator.or_, hits)
        result = nw.when(inside).then(nw.lit(segment.key, nw.String)).otherwise(result)
    return result.alias("segment")


# preferred seller -------------------------------------------------------------------


def preferred_plan(
    orders: Orders,
    as_of: date,
    start: date,
    policy: PreferredSellerPolicy,
    eligible: frozenset[str] | None,
) -> nw.LazyFrame[Any]:
    """Visits per (customer, seller), the tally, then the winner and the rule that decided."""
    last_day, first_day = day_number(as_of), day_number(start)
    candidate = (nw.col("status") == _COMPLETED) & ~nw.col("seller_code").is_null()
    if eligible is not None:
        candidate = candidate & (
            nw.col("seller_code").is_in(sorted(eligible)) if eligible else nw.lit(value=False)
        )
    rows = with_local_day(orders.frame.filter(candidate), policy.time_zone, _DAY).filter(
        (nw.col(_DAY) > first_day) & (nw.col(_DAY) <= last_day)
    )
    pair = ["customer_id", "seller_code"]
    visits = rows.group_by([*pair, "store_id", _DAY]).agg(
        nw.col("placed_at").max().alias("_otocore_at")
    )
    tallies = (
        visits.group_by(pair)
        .agg(
            nw.len().alias("visits"),
            nw.col("_otocore_at").max().alias("last_sale_at"),
        )
        .with_columns(nw.col("visits").cast(nw.Int64))
        .with_columns(
            nw.when(nw.col("visits") > policy.cap)
            .then(nw.lit(policy.cap, nw.Int64))
            .otherwise(nw.col("visits"))
            .cast(nw.Int64)
            .alias("tally")
        )
    )
    return pick_winners(tallies, _narrowed)


def _narrowed(tallies: nw.LazyFrame[Any]) -> nw.LazyFrame[Any]:
    """The winner of each customer in plain narwhals, for engines with no step of their own.

    Narrow the field one criterion at a time, counting who is left at each step:
    one seller in all is ONLY_CANDIDATE, one with the top tally TALLY, one with
    the top tally and the latest sale MOST_RECENT_SALE, else SELLER_CODE. Each
    step is a group-by over the customer joined back, not a window: narwhals'
    PyArrow window joins the aggregate back and reads it in the input's row
    order, which PyArrow's multi-threaded join does not keep. (The engines in
    :mod:`otocore.frames._engines` sort once instead.)
    """
    customer = "customer_id"

    def narrowed(
        field: nw.LazyFrame[Any], best: nw.Expr, column: str, count: str
    ) -> nw.LazyFrame[Any]:
        kept = field.group_by(customer).agg(best.alias("_otocore_best"), nw.len().alias(count))
        return field.join(kept, on=customer).filter(nw.col(column) == nw.col("_otocore_best"))

    top = narrowed(tallies, nw.col("tally").max(), "tally", "_otocore_n_all")
    latest = narrowed(
        top.drop("_otocore_best"), nw.col("last_sale_at").max(), "last_sale_at", "_otocore_n_top"
    )
    winners = narrowed(
        latest.drop("_otocore_best"),
        nw.col("seller_code").min(),
        "seller_code",
        "_otocore_n_recent",
    )
    decided = (
        nw.when(nw.col("_otocore_n_all") == 1)
        .then(nw.lit(DecidedBy.ONLY_CANDIDATE.value, nw.String))
        .otherwise(
            nw.when(nw.col("_otocore_n_top") == 1)
            .then(nw.lit(DecidedBy.TALLY.value, nw.String))
            .otherwise(
                nw.when(nw.col("_otocore_n_recent") == 1)
                .then(nw.lit(DecidedBy.MOST_RECENT_SALE.value, nw.String))
                .otherwise(nw.lit(DecidedBy.SELLER_CODE.value, nw.String))
            )
        )
    )
    return winners.select(
        "customer_id",
        "seller_code",
        "visits",
        "tally",
        utc("last_sale_at", tallies.implementation).alias("last_sale_at"),
        decided.alias("decided_by"),
    ).sort("customer_id")


# attribution -------------------------------------------------------------------------


def attribution_plan(
    orders: Orders, contacts: Orders, policy: AttributionPolicy, *, include_cancelled: bool
) -> nw.LazyFrame[Any]:
    """Each order joined to its customer's contacts in the window, then the model's winner.

    The same rule as :func:`otocore.attribution.attribute`: a contact is a
    candidate when ``placed - window <= started < placed`` (integer
    microseconds) and, for an online order with a seller code, when it is
    that seller's; LAST_CONTACT keeps the latest start, FIRST_CONTACT the
    earliest, then the lowest ``contact_id``. Each order is joined to its
    customer's contacts; :func:`~otocore.frames._engines.pick_contacts` keeps
    each order's winning pair (Polars: one sort; the others: :func:`_grouped`).
    """
    order_rows = orders.frame
    if not include_cancelled:
        order_rows = order_rows.filter(nw.col("status") == _COMPLETED)
    placed = with_epoch_us(order_rows, "placed_at", _PLACED).select(
        "order_id",
        "customer_id",
        "store_id",
        "channel",
        "placed_at",
        "total_cents",
        "status",
        nw.col("seller_code").alias(_CODE),
        _PLACED,
    )
    started = with_epoch_us(contacts.frame, "started_at", _STARTED).select(
        "contact_id",
        "seller_code",
        "customer_id",
        nw.col("started_at").alias("contact_started_at"),
        _STARTED,
    )
    window_us = policy.window_days * _DAY_US
    code_rule = (
        (nw.col("channel") != _ONLINE)
        | nw.col(_CODE).is_null()
        | (nw.col("seller_code") == nw.col(_CODE).fill_null(""))
    )
    pairs = placed.join(started, on="customer_id", how="inner").filter(
        nw.col(_STARTED) < nw.col(_PLACED),
        (nw.col(_PLACED) - nw.col(_STARTED)) <= window_us,
        code_rule,
    )
    latest = policy.model is AttributionModel.LAST_CONTACT
    winners = pick_contacts(pairs, _STARTED, latest=latest, portable=_grouped)
    engine = pairs.implementation
    return winners.select(
        "order_id",
        "customer_id",
        "store_id",
        "channel",
        utc("placed_at", engine).alias("placed_at"),
        nw.col("total_cents").cast(nw.Int64),
        "status",
        "contact_id",
        "seller_code",
        utc("contact_started_at", engine).alias("contact_started_at"),
    ).sort("placed_at", "order_id")


def _grouped(pairs: nw.LazyFrame[Any], *, latest: bool) -> nw.LazyFrame[Any]:
    """Each order's winning pair in plain narwhals, for engines with no step of their own.

    The order's best instant, then among the contacts at that instant the
    lowest ``contact_id``, each a group-by joined back on the order.
    (Group-bys and joins, not windows over ``order_id``: narwhals' PyArrow
    window joins the aggregate back and reads it in the input's row order,
    which PyArrow's multi-threaded join does not keep.)
    """
    best = nw.col(_STARTED).max() if latest else nw.col(_STARTED).min()
    instants = pairs.group_by("order_id").agg(best.alias(_BEST))
    tied = pairs.join(instants, left_on=["order_id", _STARTED], right_on=["order_id", _BEST])
    lowest = tied.group_by("order_id").agg(nw.col("contact_id").min().alias(_FIRST_ID))
    return tied.join(lowest, left_on=["order_id", "contact_id"], right_on=["order_id", _FIRST_ID])
