"""The customer dashboard as narwhals plans: per customer, per store. Private.

:mod:`otocore.frames` is the API (:func:`~otocore.frames.customer_insights`,
:func:`~otocore.frames.store_insights`, :func:`~otocore.frames.loyalty_participation`);
:mod:`otocore.insights` holds the reference rule and its definitions. Local days are
integers (days since 1970-01-01, :func:`~otocore.frames._rules.day_number`) so every
engine compares and subtracts them the same way.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from typing import Any

import narwhals as nw

from otocore.errors import ValidationError
from otocore.frames._contract import Orders
from otocore.frames._engines import native_input, with_epoch_us, with_local_day
from otocore.frames._rules import day_number
from otocore.orders import Channel, OrderStatus

__all__ = [
    "CUSTOMER_INSIGHT_COLUMNS",
    "DISCOUNT_COLUMN",
    "LOYALTY_COLUMNS",
    "REGISTRY_COLUMNS",
    "STORE_INSIGHT_COLUMNS",
    "customer_plan",
    "loyalty_plan",
    "registry_frame",
    "require_discounts",
    "require_text_ids",
    "store_plan",
]

DISCOUNT_COLUMN = "discount_cents"
"""The optional column of an orders frame: the order's discount, integer centavos >= 0."""

CUSTOMER_INSIGHT_COLUMNS = (
    "customer_id",
    "total_cents",
    "discount_cents",
    "completed_orders",
    "visits",
    "first_visit",
    "last_visit",
    "purchase_days",
    "span_days",
    "frequency",
)
STORE_INSIGHT_COLUMNS = (
    "store_id",
    "sales",
    "revenue_cents",
    "identified_sales",
    "identified_revenue_cents",
    "customers",
    "returning_customers",
)
LOYALTY_COLUMNS = ("store_id", "loyalty_program", "loyalty_category", "customers")
REGISTRY_COLUMNS = ("customer_id", "loyalty_program", "loyalty_category")

_COMPLETED = OrderStatus.COMPLETED.value
_STORE = Channel.STORE.value
_DAY = "_otocore_day"
_FIRST = "_otocore_first"
_KNOWN = "_otocore_known"
_EPOCH_US = "_otocore_us"
_DAY_US = 86_400_000_000
_NONE = "\x00"  # no program or category: a text value can hold no control character


def require_text_ids(orders: Orders, names: tuple[str, ...] = ("customer_id", "store_id")) -> None:
    """The dashboard shows ids as text: ``customer_id`` and ``store_id`` must be strings."""
    schema = orders.frame.collect_schema()
    faults = [
        ValidationError(f"orders.{name}", schema[name], "must hold strings (the dashboard's ids)")
        for name in names
        if schema[name] != nw.String
    ]
    if faults:
        raise ValidationError.collect(faults)


def require_discounts(orders: Orders) -> nw.LazyFrame[Any]:
    """The plan with a :data:`DISCOUNT_COLUMN`: the caller's (checked) or 0 for every order."""
    frame = orders.frame
    schema = frame.collect_schema()
    if DISCOUNT_COLUMN not in schema:
        return frame.with_columns(nw.lit(0, nw.Int64).alias(DISCOUNT_COLUMN))
    field = f"orders.{DISCOUNT_COLUMN}"
    if not schema[DISCOUNT_COLUMN].is_integer():
        raise ValidationError(field, schema[DISCOUNT_COLUMN], "must hold integers (centavos, >= 0)")
    if orders.eager:
        nulls, negative = (
            frame.select(
                nw.col(DISCOUNT_COLUMN).null_count().alias("nulls"),
                (nw.col(DISCOUNT_COLUMN) < 0).sum().alias("negative"),
            )
            .collect()
            .row(0)
        )
        if nulls:
            raise ValidationError(field, f"{nulls} null(s)", "must not be null (0 for none)")
        if negative:
            raise ValidationError(field, f"{negative} value(s) < 0", "must be >= 0 (centavos)")
    return frame.with_columns(nw.col(DISCOUNT_COLUMN).cast(nw.Int64))


def registry_frame(customers: Any, orders: Orders) -> nw.LazyFrame[Any]:
    """Check a frame of registered customers (:data:`REGISTRY_COLUMNS`, strings; loyalty
    nullable) of the same library as ``orders``; eager: ``customer_id`` not null, unique."""
    engine = orders.implementation
    rule = f"must be a data frame of customers of the same library as the orders ({engine.name.lower()})"
    try:
        wrapped = nw.from_native(native_input(customers, "_otocore_none"))
    except TypeError:
        raise ValidationError("customers", type(customers).__name__, rule) from None
    if wrapped.implementation is not engine:
        raise ValidationError("customers", type(customers).__name__, rule)
    schema = dict(wrapped.collect_schema())
    faults = []
    for name in REGISTRY_COLUMNS:
        if name not in schema:
            faults.append(
                ValidationError(
                    f"customers.{name}",
                    list(schema),
                    "must be a column of the customers frame (strings); the frame's columns are",
                )
            )
        elif schema[name] != nw.String:
            faults.append(ValidationError(f"customers.{name}", schema[name], "must hold strings"))
    if faults:
        raise ValidationError.collect(faults)
    if isinstance(wrapped, nw.DataFrame):
        if wrapped.get_column("customer_id").null_count():
            raise ValidationError("customers.customer_id", "null(s)", "must not be null")
        if wrapped.get_column("customer_id").n_unique() != len(wrapped):
            repeated = wrapped.filter(nw.col("customer_id").is_duplicated())
            raise ValidationError(
                "customers.customer_id",
                repeated.item(0, "customer_id"),
                "must be unique; the same customer was given twice",
            )
        return wrapped.lazy().select(*REGISTRY_COLUMNS)
    plan: nw.LazyFrame[Any] = wrapped.select(*REGISTRY_COLUMNS)
    return plan


def _completed(
    frame: nw.LazyFrame[Any], time_zone: str, anonymous: Collection[str]
) -> nw.LazyFrame[Any]:
    """The COMPLETED orders of known customers, with their local day as :data:`_DAY`."""
    done = frame.filter(nw.col("status") == _COMPLETED)
    if anonymous:
        done = done.filter(~nw.col("customer_id").is_in(sorted(anonymous)))
    return with_local_day(done, time_zone, _DAY)


def customer_plan(  # noqa: PLR0917 - private: the public function's arguments
    frame: nw.LazyFrame[Any],
    as_of: date,
    window_days: int,
    thresholds: tuple[int, int, int],
    time_zone: str,
    anonymous: Collection[str],
) -> nw.LazyFrame[Any]:
    """One row per customer with a COMPLETED order on or before ``as_of``: the reference's
    figures in integers (centavos, day numbers), sorted by ``customer_id``."""
    last = day_number(as_of)
    done = _completed(frame, time_zone, anonymous).filter(nw.col(_DAY) <= last)
    # elementary aggregations only (PyArrow's group-by takes no other), cast afterwards
    totals = done.group_by("customer_id").agg(
        nw.col("total_cents").sum(),
        nw.col(DISCOUNT_COLUMN).sum(),
        nw.len().alias("completed_orders"),
    )
    visits = (
        done.filter(nw.col("channel") == _STORE)
        .with_columns(
            nw.col(_DAY).alias("first_visit"),
            nw.col(_DAY).alias("last_visit"),
        )
        .group_by("customer_id")
        .agg(
            nw.col(_DAY).n_unique().alias("visits"),
            nw.col("first_visit").min(),
            nw.col("last_visit").max(),
        )
    )
    bought = (
        done.filter(nw.col(_DAY) > last - window_days)
        .with_columns(nw.col(_DAY).alias("_otocore_from"), nw.col(_DAY).alias("_otocore_to"))
        .group_by("customer_id")
        .agg(
            nw.col(_DAY).n_unique().alias("purchase_days"),
            nw.col("_otocore_from").min(),
            nw.col("_otocore_to").max(),
        )
        .select(
            "customer_id",
            "purchase_days",
            (nw.col("_otocore_to") - nw.col("_otocore_from")).alias("span_days"),
        )
    )
    joined = (
        totals.join(visits, on="customer_id", how="left")
        .join(bought, on="customer_id", how="left")
        .with_columns(
            nw.col("total_cents").cast(nw.Int64),
            nw.col(DISCOUNT_COLUMN).cast(nw.Int64),
            nw.col("completed_orders").cast(nw.Int64),
            nw.col("visits").fill_null(0).cast(nw.Int64),
            nw.col("purchase_days").fill_null(0).cast(nw.Int64),
            nw.col("span_days").fill_null(0).cast(nw.Int64),
        )
    )
    weekly, fortnightly, monthly = thresholds
    intervals = nw.col("purchase_days") - 1
    span = nw.col("span_days")
    label = (
        nw.when(span <= intervals * weekly)
        .then(nw.lit("weekly"))
        .otherwise(
            nw.when(span <= intervals * fortnightly)
            .then(nw.lit("fortnightly"))
            .otherwise(
                nw.when(span <= intervals * monthly)
                .then(nw.lit("monthly"))
                .otherwise(nw.lit("less_often"))
            )
        )
    )
    frequency = nw.when(nw.col("purchase_days") >= 2).then(label)
    return (
        joined.with_columns(frequency.alias("frequency"))
        .select(*CUSTOMER_INSIGHT_COLUMNS)
        .sort("customer_id")
    )


def _between_days(
    frame: nw.LazyFrame[Any], time_zone: str, first: int, last: int
) -> nw.LazyFrame[Any]:
    """The rows of ``frame`` whose local day (added as :data:`_DAY`) is ``first`` to ``last``.

    The local day is the dear step (a time-zone conversion per row), so the rows are first
    narrowed on the instant itself, as integer microseconds: a local day ``d`` lies within
    ``d - 1`` and ``d + 2`` at 00:00 UTC in every zone (offsets are within a day), so the
    narrowing keeps every row of the days, and the day filter after it is the exact one.
    """
    low, high = (first - 1) * _DAY_US, (last + 2) * _DAY_US
    narrowed = with_epoch_us(frame, "placed_at", _EPOCH_US).filter(
        (nw.col(_EPOCH_US) >= low) & (nw.col(_EPOCH_US) < high)
    )
    columns = [name for name in frame.collect_schema() if name != _EPOCH_US]
    dated = with_local_day(narrowed.select(*columns), time_zone, _DAY)
    return dated.filter((nw.col(_DAY) >= first) & (nw.col(_DAY) <= last))


def _scoped(  # noqa: PLR0917 - private: the plans' arguments
    frame: nw.LazyFrame[Any],
    registry: nw.LazyFrame[Any],
    time_zone: str,
    anonymous: Collection[str],
    brand: str | None,
    days: tuple[int, int],
) -> tuple[nw.LazyFrame[Any], nw.LazyFrame[Any], nw.LazyFrame[Any]]:
    """The completed orders (customer, store, day, total, known) of the local days ``days``
    (first and last, included), for one scope key.

    ``brand`` replaces every ``store_id`` by one key (the brand's figures); ``None``
    keeps the stores. Also the registry without the anonymous ids, and that registry's
    ids with the known flag.
    """
    known = registry
    if anonymous:
        known = known.filter(~nw.col("customer_id").is_in(sorted(anonymous)))
    flags = known.select("customer_id", nw.lit(1, nw.Int64).alias(_KNOWN))
    done = _between_days(frame.filter(nw.col("status") == _COMPLETED), time_zone, *days)
    if brand is not None:
        done = done.with_columns(nw.lit(brand).alias("store_id"))
    done = (
        done.select("store_id", "customer_id", _DAY, nw.col("total_cents").cast(nw.Int64))
        .join(flags, on="customer_id", how="left")
        .with_columns(nw.col(_KNOWN).fill_null(0).cast(nw.Int64))
    )
    return done, known, flags


def store_plan(  # noqa: PLR0917 - private: the public function's arguments
    frame: nw.LazyFrame[Any],
    registry: nw.LazyFrame[Any],
    first_day: date,
    last_day: date,
    window: int,
    time_zone: str,
    anonymous: Collection[str],
    brand: str | None,
) -> nw.LazyFrame[Any]:
    """One row per store (or one for the brand) with a sale in the period:
    :data:`STORE_INSIGHT_COLUMNS`, sorted by ``store_id``."""
    first, last = day_number(first_day), day_number(last_day)
    # a return is on a day d0 < d <= d0 + window, d0 in the period: no order after last + window counts
    done, _, _ = _scoped(frame, registry, time_zone, anonymous, brand, (first, last + window))
    period = done.filter(nw.col(_DAY) <= last)
    sales = (
        period.with_columns(
            nw.col("total_cents").alias("revenue_cents"),
            nw.col(_KNOWN).alias("identified_sales"),
            (nw.col("total_cents") * nw.col(_KNOWN)).alias("identified_revenue_cents"),
        )
        .group_by("store_id")
        .agg(
            nw.len().alias("sales"),
            nw.col("revenue_cents").sum(),
            nw.col("identified_sales").sum(),
            nw.col("identified_revenue_cents").sum(),
        )
    )
    firsts = (
        period.filter(nw.col(_KNOWN) == 1)
        .group_by("store_id", "customer_id")
        .agg(nw.col(_DAY).min().alias(_FIRST))
    )
    customers = firsts.group_by("store_id").agg(nw.len().alias("customers"))
    returned = (
        done.join(firsts, on=["store_id", "customer_id"], how="inner")
        .filter((nw.col(_DAY) > nw.col(_FIRST)) & (nw.col(_DAY) <= nw.col(_FIRST) + window))
        .group_by("store_id", "customer_id")
        .agg(nw.len().alias("_otocore_n"))
        .group_by("store_id")
        .agg(nw.len().alias("returning_customers"))
    )
    return (
        sales.join(customers, on="store_id", how="left")
        .join(returned, on="store_id", how="left")
        .with_columns(
            nw.col("sales").cast(nw.Int64),
            nw.col("revenue_cents").cast(nw.Int64),
            nw.col("identified_sales").cast(nw.Int64),
            nw.col("identified_revenue_cents").cast(nw.Int64),
            nw.col("customers").fill_null(0).cast(nw.Int64),
            nw.col("returning_customers").fill_null(0).cast(nw.Int64),
        )
        .select(*STORE_INSIGHT_COLUMNS)
        .sort("store_id")
    )


def loyalty_plan(  # noqa: PLR0917 - private: the public function's arguments
    frame: nw.LazyFrame[Any],
    registry: nw.LazyFrame[Any],
    first_day: date,
    last_day: date,
    time_zone: str,
    anonymous: Collection[str],
    brand: str | None,
) -> nw.LazyFrame[Any]:
    """The period's identified customers of each store (or of the brand) by loyalty
    program and category: :data:`LOYALTY_COLUMNS`, no program or category as null."""
    first, last = day_number(first_day), day_number(last_day)
    done, known, _ = _scoped(frame, registry, time_zone, anonymous, brand, (first, last))
    buyers = (
        done.filter(nw.col(_KNOWN) == 1)
        .group_by("store_id", "customer_id")
        .agg(nw.len().alias("_otocore_n"))
        .select("store_id", "customer_id")
    )
    counted = (
        buyers.join(known, on="customer_id", how="inner")
        .with_columns(
            nw.col("loyalty_program").fill_null(_NONE),
            nw.col("loyalty_category").fill_null(_NONE),
        )
        .group_by("store_id", "loyalty_program", "loyalty_category")
        .agg(nw.len().alias("customers"))
        .with_columns(nw.col("customers").cast(nw.Int64))
    )

    def restored(name: str) -> nw.Expr:
        return nw.when(nw.col(name) != _NONE).then(nw.col(name)).alias(name)

    return (
        counted.with_columns(restored("loyalty_program"), restored("loyalty_category"))
        .select(*LOYALTY_COLUMNS)
        .sort("store_id", "loyalty_program", "loyalty_category", nulls_last=True)
    )
