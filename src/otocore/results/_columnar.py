"""The results views on frames: :func:`compute_results_frame`, the twin of ``compute_results``.

The same definitions (the *Results* page), computed over Polars frames of the period's orders
and contacts instead of :class:`~otocore.orders.Order` and
:class:`~otocore.contacts.Contact` values: the attribution is
:func:`otocore.frames.attribute` (differential-tested equal to the reference rule), the
tallies are group-bys in integer centavos, and only the small outputs (one row per seller,
day and attributed sale) become values. :func:`~otocore.results.compute_results` stays the
oracle: a differential Hypothesis test holds the two equal, to the centavo and the
tie-break.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import UTC, date, timedelta
from decimal import Decimal
from typing import Any

import polars as pl

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE
from otocore.attribution import AttributionPolicy
from otocore.contacts import ContactOutcome
from otocore.errors import ValidationError
from otocore.frames import attribute
from otocore.orders import OrderStatus
from otocore.results._compute import (
    UNREGISTERED_STORE,
    _quantities,
    _quantity,
    period_bounds,
)
from otocore.results._results import Results
from otocore.results._values import (
    DayResults,
    Figures,
    SaleRow,
    Scope,
    SellerResults,
    StoreResults,
)
from otocore.sellers import Seller, SellerStatus
from otocore.suggestions import Suggestion

__all__ = ["CONTACT_FRAME_COLUMNS", "SUGGESTION_FRAME_COLUMNS", "compute_results_frame"]

CONTACT_FRAME_COLUMNS = ("contact_id", "seller_code", "customer_id", "started_at", "outcome")
"""The columns of the contacts frame of :func:`compute_results_frame`: those of
:data:`otocore.frames.CONTACT_COLUMNS` and ``outcome`` (a :class:`~otocore.contacts.ContactOutcome` value)."""

SUGGESTION_FRAME_COLUMNS = ("day", "seller_code")
"""The columns of a suggestions frame: the suggestion's local ``day`` and its ``seller_code``."""

_DEFAULT_POLICY = AttributionPolicy()
_FINISHED = ContactOutcome.FINISHED.value
_CANCELLED = OrderStatus.CANCELLED.value
_TALLIES = ("suggested", "started", "finished", "sales", "cancelled", "gross", "net")


def _reais(cents: int) -> Decimal:
    return Decimal(cents).scaleb(-2)


def _frame(name: str, value: Any, columns: Iterable[str]) -> pl.DataFrame:
    if not isinstance(value, pl.DataFrame):
        raise ValidationError(name, type(value).__name__, "must be a Polars DataFrame")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        raise ValidationError(
            f"{name}.{missing[0]}", value.columns, "must be a column; the frame's columns are"
        )
    return value


def _suggestion_frame(suggestions: Any) -> pl.DataFrame:
    if isinstance(suggestions, pl.DataFrame):
        return _frame("suggestions", suggestions, SUGGESTION_FRAME_COLUMNS)
    found = list(v.iter_instances("suggestions", suggestions, Suggestion))
    return pl.DataFrame(
        {"day": [s.day for s in found], "seller_code": [s.seller_code for s in found]},
        schema={"day": pl.Date, "seller_code": pl.String},
    )


def compute_results_frame(
    *,
    first_day: date,
    last_day: date,
    orders: pl.DataFrame,
    contacts: pl.DataFrame,
    suggestions: Iterable[Suggestion] | pl.DataFrame = (),
    sellers: Iterable[Seller] = (),
    quantities: Mapping[str, int] | Callable[[list[str]], Mapping[str, int]] | None = None,
    scope: Scope | None = None,
    policy: AttributionPolicy = _DEFAULT_POLICY,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> Results:
    """:func:`~otocore.results.compute_results` over Polars frames: the same :class:`Results`.

    Args:
        first_day: the period's first local day.
        last_day: its last local day (on or after ``first_day``).
        orders: the orders, a Polars frame following the orders contract of
            :func:`otocore.frames.attribute` (:data:`otocore.frames.ORDER_COLUMNS` and
            ``channel``; integer centavos; any status); it may hold more than the period.
        contacts: the registered contacts, a Polars frame with
            :data:`CONTACT_FRAME_COLUMNS`; it may hold more than the period and its window.
        suggestions: the stored suggestions, as values or as a Polars frame with
            :data:`SUGGESTION_FRAME_COLUMNS` (``day`` a Polars ``Date``).
        sellers: the registered sellers (any status).
        quantities: each order's quantity of products, as for ``compute_results``; or a
            function given the attributed sales' order ids (sorted) that returns their
            quantities (a store reads them in one go: ``uow.telesales.quantities``).
        scope: the :class:`Scope` (default the whole brand).
        policy: the :class:`~otocore.attribution.AttributionPolicy`.
        time_zone: the brand's IANA zone, in which days are taken.

    Returns:
        The :class:`Results`, equal to ``compute_results``' on the same rows.

    Raises:
        ValidationError: a bad day, period, scope, policy, zone or frame.

    Examples:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> SP = ZoneInfo("America/Sao_Paulo")
        >>> orders = pl.DataFrame(
        ...     {
        ...         "order_id": ["P1"],
        ...         "customer_id": ["ANA"],
        ...         "store_id": ["L01"],
        ...         "seller_code": [None],
        ...         "placed_at": [datetime(2026, 11, 3, 12, tzinfo=SP)],
        ...         "total_cents": [20000],
        ...         "status": ["completed"],
        ...         "channel": ["store"],
        ...     },
        ...     schema_overrides={"seller_code": pl.String},
        ... )
        >>> contacts = pl.DataFrame(
        ...     {
        ...         "contact_id": ["A1"],
        ...         "seller_code": ["V01"],
        ...         "customer_id": ["ANA"],
        ...         "started_at": [datetime(2026, 11, 2, 10, tzinfo=SP)],
        ...         "outcome": ["finished"],
        ...     }
        ... )
        >>> r = compute_results_frame(
        ...     first_day=date(2026, 11, 1),
        ...     last_day=date(2026, 11, 30),
        ...     orders=orders,
        ...     contacts=contacts,
        ... )
        >>> r.totals.revenue_gross, r.totals.conversion_numerator, r.sales[0].contact_day
        (Decimal('200.00'), 1, datetime.date(2026, 11, 2))
        >>> compute_results_frame(
        ...     first_day=date(2026, 11, 1),
        ...     last_day=date(2026, 11, 30),
        ...     orders=orders,
        ...     contacts=None,
        ... )
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: contacts must be a Polars DataFrame, got 'NoneType'
    """
    first_day = v.require_date("first_day", first_day)
    last_day = v.require_date("last_day", last_day)
    if last_day < first_day:
        raise ValidationError("last_day", last_day, f"must be on or after first_day {first_day}")
    scope = Scope() if scope is None else v.require_instance("scope", scope, Scope)
    policy = v.require_instance("policy", policy, AttributionPolicy)
    zone = v.zone("time_zone", time_zone)
    lookup = quantities if callable(quantities) else None
    known = {} if lookup is not None else _quantities(quantities)
    directory = {s.code: s for s in v.iter_instances("sellers", sellers, Seller)}
    orders = _frame("orders", orders, ("placed_at",))
    contacts = _frame("contacts", contacts, CONTACT_FRAME_COLUMNS)
    proposals = _suggestion_frame(suggestions)
    local, utc = period_bounds(first_day, last_day, zone)
    start, end = local.astimezone(UTC), utc.astimezone(UTC)
    window_start = start - policy.window

    def store_of(code: str) -> str:
        seller = directory.get(code)
        return UNREGISTERED_STORE if seller is None else seller.store_id

    def in_scope(code: str) -> bool:
        if scope.seller_code is not None:
            return code == scope.seller_code
        if scope.store_id is not None:
            return store_of(code) == scope.store_id
        return True

    def local_date(column: str) -> pl.Expr:
        return pl.col(column).dt.convert_time_zone(time_zone).dt.date()

    def instant(column: str) -> pl.Expr:
        return pl.col(column).dt.convert_time_zone("UTC").dt.cast_time_unit("us")

    # suggestions and contacts of the period: counts per (seller, day)
    suggested = (
        proposals.lazy()
        .filter(pl.col("day").is_between(first_day, last_day))
        .group_by("seller_code", "day")
        .agg(pl.len().cast(pl.Int64).alias("suggested"))
    )
    started_at = instant("started_at")
    talks = contacts.lazy().filter((started_at >= start) & (started_at < end))
    talked = talks.group_by("seller_code", local_date("started_at").alias("day")).agg(
        pl.len().cast(pl.Int64).alias("started"),
        (pl.col("outcome") == _FINISHED).sum().cast(pl.Int64).alias("finished"),
    )
    # the sales: the period's orders (any status) attributed to the window's contacts
    placed_at = instant("placed_at")
    period_orders = orders.filter((placed_at >= start) & (placed_at < end))
    relevant = contacts.filter((started_at >= window_start) & (started_at < end)).select(
        "contact_id", "seller_code", "customer_id", "started_at"
    )
    credits = attribute(period_orders, relevant, policy=policy, include_cancelled=True)
    codes = sorted(
        set(suggested.select("seller_code").collect().to_series().to_list())
        | set(talks.select("seller_code").collect().to_series().to_list())
        | set(credits.get_column("seller_code").to_list())
    )
    allowed = [c for c in codes if in_scope(c)]
    credits = credits.filter(pl.col("seller_code").is_in(allowed)).with_columns(
        local_date("placed_at").alias("purchase_day"),
        local_date("contact_started_at").alias("contact_day"),
        (pl.col("status") == _CANCELLED).alias("cancelled"),
    )
    sold = (
        credits.lazy()
        .group_by("seller_code", pl.col("purchase_day").alias("day"))
        .agg(
            pl.len().cast(pl.Int64).alias("sales"),
            pl.col("cancelled").sum().cast(pl.Int64).alias("cancelled"),
            pl.col("total_cents").sum().cast(pl.Int64).alias("gross"),
            pl.col("total_cents").filter(~pl.col("cancelled")).sum().cast(pl.Int64).alias("net"),
        )
    )
    tallies = (
        pl.concat(
            [suggested, talked, sold],
            how="diagonal_relaxed",
        )
        .filter(pl.col("seller_code").is_in(allowed))
        .group_by("seller_code", "day")
        .agg(pl.col(name).sum().cast(pl.Int64) for name in _TALLIES)
        .collect()
    )
    converted = dict(
        credits.filter(instant("contact_started_at") >= start)
        .group_by("seller_code")
        .agg(pl.col("contact_id").n_unique())
        .iter_rows()
    )
    per_seller = {
        row[0]: row[1:]
        for row in tallies.group_by("seller_code")
        .agg(pl.col(name).sum() for name in _TALLIES)
        .select("seller_code", *_TALLIES)
        .iter_rows()
    }
    per_day = {
        row[0]: row[1:]
        for row in tallies.group_by("day")
        .agg(pl.col(name).sum() for name in _TALLIES)
        .select("day", *_TALLIES)
        .iter_rows()
    }
    nothing = (0,) * len(_TALLIES)
    for code, seller in directory.items():
        if seller.status is SellerStatus.ACTIVE and in_scope(code):
            per_seller.setdefault(code, nothing)
    rows = sorted(
        (
            SellerResults(
                seller_code=code,
                seller_name=directory[code].name if code in directory else code,
                store_id=store_of(code),
                figures=_figures(counts, converted.get(code, 0)),
            )
            for code, counts in per_seller.items()
        ),
        key=lambda s: (s.store_id, s.seller_code),
    )
    by_store, totals = _stores_and_totals(per_seller, converted, store_of)
    days = [
        _day(day, per_day.get(day, nothing))
        for day in (first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1))
    ]
    if lookup is not None:
        known = _quantities(lookup(sorted(credits.get_column("order_id").to_list())))
    sales = _sale_rows(credits, known)
    return Results(
        first_day=first_day,
        last_day=last_day,
        scope=scope,
        policy=policy,
        time_zone=time_zone,
        totals=totals,
        stores=[StoreResults(store_id=k, figures=f) for k, f in sorted(by_store.items())],
        sellers=rows,
        days=days,
        sales=sales,
    )


def _figures(counts: tuple[int, ...], converted: int) -> Figures:
    suggested, started, finished, sales, cancelled, gross, net = counts
    return Figures(
        suggested=suggested,
        started=started,
        finished=finished,
        attributed_sales=sales,
        cancelled_sales=cancelled,
        revenue_gross=_reais(gross),
        revenue_net=_reais(net),
        conversion_numerator=converted,
        conversion_denominator=started,
    )


def _day(day: date, counts: tuple[int, ...]) -> DayResults:
    suggested, started, finished, sales, cancelled, gross, net = counts
    return DayResults(
        day=day,
        suggested=suggested,
        started=started,
        finished=finished,
        attributed_sales=sales,
        cancelled_sales=cancelled,
        revenue_gross=_reais(gross),
        revenue_net=_reais(net),
    )


def _sale_rows(credits: pl.DataFrame, known: Mapping[str, int]) -> list[SaleRow]:
    """One :class:`SaleRow` per attributed sale, by purchase day then order id."""
    return [
        SaleRow(
            seller_code=seller_code,
            order_id=order_id,
            customer_id=customer_id,
            store_id=store_id,
            contact_id=contact_id,
            contact_day=contact_day,
            purchase_day=purchase_day,
            product_quantity=_quantity(known, order_id),
            total=_reais(total),
            cancelled=cancelled,
        )
        for (
            seller_code,
            order_id,
            customer_id,
            store_id,
            contact_id,
            contact_day,
            purchase_day,
            total,
            cancelled,
        ) in credits.sort("purchase_day", "order_id")
        .select(
            "seller_code",
            "order_id",
            "customer_id",
            "store_id",
            "contact_id",
            "contact_day",
            "purchase_day",
            "total_cents",
            "cancelled",
        )
        .iter_rows()
    ]


def _stores_and_totals(
    per_seller: Mapping[str, tuple[int, ...]],
    converted: Mapping[str, int],
    store_of: Callable[[str], str],
) -> tuple[dict[str, Figures], Figures]:
    """The stores' and the brand's figures from the sellers' integer tallies: one Figures each."""
    store_counts: dict[str, list[int]] = {}
    for code, counts in per_seller.items():
        summed = store_counts.setdefault(store_of(code), [0] * (len(_TALLIES) + 1))
        for i, count in enumerate((*counts, converted.get(code, 0))):
            summed[i] += count
    by_store = {k: _figures(tuple(c[:-1]), c[-1]) for k, c in store_counts.items()}
    if not store_counts:
        return by_store, Figures.zero()
    brand = [sum(column) for column in zip(*store_counts.values(), strict=True)]
    return by_store, _figures(tuple(brand[:-1]), brand[-1])
