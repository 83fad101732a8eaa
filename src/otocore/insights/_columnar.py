"""The dashboards on frames: the twins of ``compute_customer_insights`` and ``compute_store_insights``.

The same definitions (the *Customer dashboard* page), computed by
:func:`otocore.frames.customer_insights`, :func:`otocore.frames.store_insights` and
:func:`otocore.frames.loyalty_participation` over a frame of orders (pandas, Polars eager
or lazy, PyArrow or DuckDB) instead of :class:`~otocore.orders.Order` values; only the
small outputs (one row per customer, store, loyalty category) become values. The
reference functions stay the oracle: a differential Hypothesis test holds the two equal
on every engine, to the centavo.
"""

from __future__ import annotations

import math
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import narwhals as nw

from otocore import _validate as v
from otocore import frames
from otocore.errors import ValidationError
from otocore.frequency import FrequencyClass
from otocore.insights._compute import DEFAULT_RETURN_WINDOW_DAYS
from otocore.insights._dashboards import CustomerDashboard, StoreDashboard
from otocore.insights._values import (
    CustomerInsights,
    InsightsPolicy,
    LoyaltyShare,
    StoreFigures,
    StoreInsights,
    loyalty_key,
)

__all__ = ["compute_customer_insights_frame", "compute_store_insights_frame"]

_DEFAULT_POLICY = InsightsPolicy()
_EPOCH = date(1970, 1, 1)


def _reais(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _value(value: Any) -> Any:
    """A cell as Python: pandas' NaN for a missing value is ``None``."""
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _rows(native: Any) -> list[tuple[Any, ...]]:
    """The rows of a (small) result of any engine, nulls as ``None``."""
    frame = nw.from_native(native)
    if isinstance(frame, nw.LazyFrame):
        frame = frame.collect()
    return [tuple(_value(cell) for cell in row) for row in frame.rows()]


def _day(number: Any) -> date | None:
    return None if number is None else _EPOCH + timedelta(days=int(number))


def compute_customer_insights_frame(
    orders: Any,
    *,
    as_of: date,
    policy: InsightsPolicy = _DEFAULT_POLICY,
) -> CustomerDashboard:
    """:func:`~otocore.insights.compute_customer_insights` over a frame: the same dashboard.

    Args:
        orders: the orders, a frame following the orders contract of
            :func:`otocore.frames.customer_insights` (pandas, Polars eager or lazy,
            PyArrow, DuckDB; ``channel``, string ids, optional ``discount_cents``).
        as_of: the local day the figures are for.
        policy: the :class:`InsightsPolicy`.

    Returns:
        The :class:`CustomerDashboard`, equal to the reference's on the same orders.

    Raises:
        ValidationError: a bad day, policy or frame.

    Examples:
        >>> from datetime import UTC, datetime
        >>> import polars as pl
        >>> orders = pl.DataFrame(
        ...     {
        ...         "order_id": ["P1", "P2"],
        ...         "customer_id": ["ANA", "ANA"],
        ...         "store_id": ["L01", "L01"],
        ...         "seller_code": [None, None],
        ...         "placed_at": [datetime(2026, 11, d, 15, tzinfo=UTC) for d in (2, 20)],
        ...         "total_cents": [10000, 5000],
        ...         "status": ["completed"] * 2,
        ...         "channel": ["store"] * 2,
        ...     },
        ...     schema_overrides={"seller_code": pl.String},
        ... )
        >>> ana = compute_customer_insights_frame(orders, as_of=date(2026, 11, 30)).customer("ANA")
        >>> ana.total_spent, ana.visits, ana.last_visit, ana.frequency
        (Decimal('150.00'), 2, datetime.date(2026, 11, 20), <FrequencyClass.MONTHLY: 'monthly'>)
    """
    as_of = v.require_date("as_of", as_of)
    policy = v.require_instance("policy", policy, InsightsPolicy)
    result = frames.customer_insights(
        orders,
        as_of,
        weekly_days=policy.weekly_days,
        fortnightly_days=policy.fortnightly_days,
        monthly_days=policy.monthly_days,
        window_days=policy.window_days,
        anonymous_customer_ids=policy.anonymous_customer_ids,
        time_zone=policy.time_zone,
    )
    rows = [
        CustomerInsights(
            customer_id=customer_id,
            total_spent=_reais(total),
            discounts=_reais(discount),
            completed_orders=int(count),
            visits=int(visits),
            first_visit=_day(first),
            last_visit=_day(last),
            purchase_days=int(days),
            span_days=int(span),
            frequency=None if frequency is None else FrequencyClass(frequency),
        )
        for (
            customer_id,
            total,
            discount,
            count,
            visits,
            first,
            last,
            days,
            span,
            frequency,
        ) in _rows(result)
    ]
    return CustomerDashboard(as_of=as_of, policy=policy, customers=rows)


def compute_store_insights_frame(
    *,
    first_day: date,
    last_day: date,
    orders: Any,
    customers: Any,
    return_window_days: int = DEFAULT_RETURN_WINDOW_DAYS,
    store_id: str | None = None,
    policy: InsightsPolicy = _DEFAULT_POLICY,
) -> StoreDashboard:
    """:func:`~otocore.insights.compute_store_insights` over frames: the same dashboard.

    Args:
        first_day: the period's first local day.
        last_day: its last local day (on or after ``first_day``).
        orders: the orders, a frame as for :func:`compute_customer_insights_frame`; for
            the returns, up to ``last_day`` plus the window.
        customers: the registered customers, a frame of the same library with
            :data:`otocore.frames.REGISTRY_COLUMNS`.
        return_window_days: N, the return window in days.
        store_id: one store, or ``None`` for every store.
        policy: the :class:`InsightsPolicy`.

    Returns:
        The :class:`StoreDashboard`, equal to the reference's on the same rows.

    Raises:
        ValidationError: a bad day, period, window, policy or frame.

    Examples:
        >>> from datetime import UTC, datetime
        >>> import polars as pl
        >>> orders = pl.DataFrame(
        ...     {
        ...         "order_id": ["P1", "P2"],
        ...         "customer_id": ["ANA", "ANA"],
        ...         "store_id": ["L01", "L01"],
        ...         "seller_code": [None, None],
        ...         "placed_at": [datetime(2026, 11, d, 15, tzinfo=UTC) for d in (2, 20)],
        ...         "total_cents": [10000, 5000],
        ...         "status": ["completed"] * 2,
        ...         "channel": ["store"] * 2,
        ...     },
        ...     schema_overrides={"seller_code": pl.String},
        ... )
        >>> customers = pl.DataFrame(
        ...     {"customer_id": ["ANA"], "loyalty_program": [None], "loyalty_category": [None]},
        ...     schema=dict.fromkeys(
        ...         ("customer_id", "loyalty_program", "loyalty_category"), pl.String
        ...     ),
        ... )
        >>> d = compute_store_insights_frame(
        ...     first_day=date(2026, 11, 1),
        ...     last_day=date(2026, 11, 15),
        ...     orders=orders,
        ...     customers=customers,
        ... )
        >>> d.totals.sales, d.totals.returning_customers, d.totals.return_rate
        (1, 1, Decimal('1.0000'))
    """
    first_day = v.require_date("first_day", first_day)
    last_day = v.require_date("last_day", last_day)
    if last_day < first_day:
        raise ValidationError("last_day", last_day, f"must be on or after first_day {first_day}")
    window = v.require_int("return_window_days", return_window_days, min_value=1, max_value=3650)
    if store_id is not None:
        store_id = v.require_text("store_id", store_id, max_length=100)
    policy = v.require_instance("policy", policy, InsightsPolicy)
    if store_id is not None:
        orders = _of_store(orders, store_id)
    common: dict[str, Any] = {
        "first_day": first_day,
        "last_day": last_day,
        "anonymous_customer_ids": policy.anonymous_customer_ids,
        "time_zone": policy.time_zone,
    }
    loyalty: dict[str | None, list[tuple[Any, Any, int]]] = {}
    figures: dict[str | None, tuple[Any, ...]] = {}
    for brand in (False, True):
        for row in _rows(
            frames.store_insights(
                orders, customers, return_window_days=window, brand=brand, **common
            )
        ):
            figures[None if brand else row[0]] = row[1:]
        for key, program, category, count in _rows(
            frames.loyalty_participation(orders, customers, brand=brand, **common)
        ):
            place = None if brand else key
            loyalty.setdefault(place, []).append((program, category, int(count)))

    def built(key: str | None) -> StoreFigures:
        if key not in figures:
            return StoreFigures.zero()
        sales, revenue, identified, identified_revenue, buyers, returning = figures[key]
        shares = sorted(
            (
                LoyaltyShare(
                    program=program, category=category, customers=count, denominator=int(buyers)
                )
                for program, category, count in loyalty.get(key, [])
            ),
            key=loyalty_key,
        )
        return StoreFigures(
            sales=int(sales),
            revenue=_reais(revenue),
            identified_sales=int(identified),
            identified_revenue=_reais(identified_revenue),
            customers=int(buyers),
            returning_customers=int(returning),
            loyalty=shares,
        )

    stores = [
        StoreInsights(store_id=key, figures=built(key))
        for key in sorted(k for k in figures if k is not None)
    ]
    return StoreDashboard(
        first_day=first_day,
        last_day=last_day,
        return_window_days=window,
        policy=policy,
        totals=built(None),
        stores=stores,
    )


def _of_store(orders: Any, store_id: str) -> Any:
    """The orders of one store, in the caller's library (a lazy frame stays lazy)."""
    try:
        frame = nw.from_native(orders)
    except TypeError:
        return orders  # not a frame: frames.store_insights says so, naming it
    if "store_id" not in frame.collect_schema():
        return orders
    return frame.filter(nw.col("store_id") == store_id).to_native()
