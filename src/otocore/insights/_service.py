"""The dashboards read from a store: a unit of work in, a dashboard out."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import polars as pl

from otocore import _validate as v
from otocore.errors import ValidationError
from otocore.insights._columnar import (
    compute_customer_insights_frame,
    compute_store_insights_frame,
)
from otocore.insights._compute import DEFAULT_RETURN_WINDOW_DAYS, customer_insights
from otocore.insights._dashboards import CustomerDashboard, StoreDashboard
from otocore.insights._values import CustomerInsights, InsightsPolicy
from otocore.repositories import UnitOfWork

_DEFAULT_POLICY = InsightsPolicy()
_EARLIEST = datetime(1, 1, 2, tzinfo=UTC)  # before any order a store can hold
_REGISTRY = dict.fromkeys(("customer_id", "loyalty_program", "loyalty_category"), pl.String)


def _day_after(day: date, policy: InsightsPolicy) -> datetime:
    """The first instant after local day ``day`` (in the policy's zone)."""
    zone = v.zone("time_zone", policy.time_zone)
    return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)


def load_customer(
    uow: UnitOfWork,
    customer_id: str,
    *,
    as_of: date,
    policy: InsightsPolicy = _DEFAULT_POLICY,
) -> CustomerInsights:
    """One customer's figures on ``as_of``, read from ``uow``: their orders through the
    reference rule (:func:`~otocore.insights.customer_insights`). An unknown customer is
    :class:`~otocore.errors.NotFound`.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> load_customer(InMemoryUnitOfWork(), "C9", as_of=date(2026, 11, 30))
    Traceback (most recent call last):
    ...
    otocore.errors.NotFound: Customer 'C9' not found
    """
    as_of = v.require_date("as_of", as_of)
    policy = v.require_instance("policy", policy, InsightsPolicy)
    with uow:
        uow.customers.get(customer_id)
        orders = uow.orders.for_customer(customer_id)
    return customer_insights(customer_id, orders, as_of=as_of, policy=policy)


def load_customer_insights(
    uow: UnitOfWork,
    *,
    as_of: date,
    policy: InsightsPolicy = _DEFAULT_POLICY,
) -> CustomerDashboard:
    """Every customer's figures on ``as_of``, read from ``uow`` as one frame of orders
    (``orders.placed_frame`` up to the end of ``as_of``) through
    :func:`~otocore.insights.compute_customer_insights_frame`.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> load_customer_insights(InMemoryUnitOfWork(), as_of=date(2026, 11, 30)).customers
    ()
    """
    as_of = v.require_date("as_of", as_of)
    policy = v.require_instance("policy", policy, InsightsPolicy)
    with uow:
        orders = uow.orders.placed_frame(since=_EARLIEST, until=_day_after(as_of, policy))
    return compute_customer_insights_frame(orders, as_of=as_of, policy=policy)


def load_store_insights(
    uow: UnitOfWork,
    first_day: date,
    last_day: date,
    *,
    store_id: str | None = None,
    return_window_days: int = DEFAULT_RETURN_WINDOW_DAYS,
    policy: InsightsPolicy = _DEFAULT_POLICY,
) -> StoreDashboard:
    """The period's figures by store (or of one store), read from ``uow``.

    Reads, in one block, the orders placed from ``first_day`` to ``last_day`` plus the
    return window (``orders.placed_frame``) and every registered customer's loyalty, then
    :func:`~otocore.insights.compute_store_insights_frame`. An unknown ``store_id`` is
    :class:`~otocore.errors.NotFound`.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> load_store_insights(InMemoryUnitOfWork(), date(2026, 11, 1), date(2026, 11, 30)).stores
    ()
    >>> load_store_insights(
    ...     InMemoryUnitOfWork(), date(2026, 11, 1), date(2026, 11, 30), store_id="L9"
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.NotFound: Store 'L9' not found
    """
    first_day = v.require_date("first_day", first_day)
    last_day = v.require_date("last_day", last_day)
    if last_day < first_day:
        raise ValidationError("last_day", last_day, f"must be on or after first_day {first_day}")
    window = v.require_int("return_window_days", return_window_days, min_value=1, max_value=3650)
    policy = v.require_instance("policy", policy, InsightsPolicy)
    zone = v.zone("time_zone", policy.time_zone)
    since = datetime.combine(first_day, time(0), tzinfo=zone)
    with uow:
        if store_id is not None:
            uow.stores.get(store_id)
        orders = uow.orders.placed_frame(
            since=since, until=_day_after(last_day + timedelta(days=window), policy)
        )
        registered = [
            (
                c.customer_id,
                None if c.loyalty is None else c.loyalty.program,
                None if c.loyalty is None else c.loyalty.category,
            )
            for c in uow.customers.list()
        ]
    customers = pl.DataFrame(registered, schema=_REGISTRY, orient="row")
    return compute_store_insights_frame(
        first_day=first_day,
        last_day=last_day,
        orders=orders,
        customers=customers,
        return_window_days=window,
        store_id=store_id,
        policy=policy,
    )
