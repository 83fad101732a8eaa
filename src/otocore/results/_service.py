"""The results views read from a store: a unit of work in, :class:`Results` out."""

from __future__ import annotations

from datetime import date
from typing import Any

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE
from otocore.attribution import AttributionPolicy
from otocore.errors import ValidationError
from otocore.repositories import UnitOfWork
from otocore.results._columnar import compute_results_frame
from otocore.results._compute import comparison_of, period_bounds
from otocore.results._results import Comparison, Results
from otocore.results._values import Scope

_DEFAULT_POLICY = AttributionPolicy()


def _inputs(  # noqa: PLR0917 - private: the public functions' arguments, passed on
    uow: UnitOfWork,
    first_day: date,
    last_day: date,
    scope: Scope,
    windows: list[AttributionPolicy],
    time_zone: str,
) -> dict[str, Any]:
    """What the views read, inside an open block: the period's and the window's rows."""
    first_day = v.require_date("first_day", first_day)
    last_day = v.require_date("last_day", last_day)
    if last_day < first_day:
        raise ValidationError("last_day", last_day, f"must be on or after first_day {first_day}")
    start, end = period_bounds(first_day, last_day, v.zone("time_zone", time_zone))
    if scope.store_id is not None:
        uow.stores.get(scope.store_id)
    if scope.seller_code is not None:
        uow.sellers.get(scope.seller_code)
    since = start - max(p.window for p in windows)
    return {
        "first_day": first_day,
        "last_day": last_day,
        "suggestions": uow.suggestions.days_frame(first_day, last_day),
        # columns, not Contact and Order values: the views run on frames
        "contacts": uow.contacts.started_frame(since=since, until=end),
        "orders": uow.orders.placed_frame(since=start, until=end),
        "sellers": uow.sellers.list(),
        "quantities": uow.telesales.quantities,
        "scope": scope,
        "time_zone": time_zone,
    }


def load_results(
    uow: UnitOfWork,
    first_day: date,
    last_day: date,
    *,
    store_id: str | None = None,
    seller_code: str | None = None,
    policy: AttributionPolicy = _DEFAULT_POLICY,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> Results:
    """The results of a period (local days, both included) and a scope, read from ``uow``.

    Reads, in one block: the suggestions of the period's days, the contacts that started
    from the window before the period to its end, the orders placed in the period, every
    seller, and the quantity of products of each attributed sale the telesales store knows;
    then :func:`~otocore.results.compute_results_frame` (the orders, contacts and suggestions
    are read as frames, never as values: the same results as
    :func:`~otocore.results.compute_results`). ``store_id`` or ``seller_code`` (not both)
    narrows the scope; an unknown one is :class:`~otocore.errors.NotFound`.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> r = load_results(InMemoryUnitOfWork(), date(2026, 11, 1), date(2026, 11, 30))
    >>> r.totals.started, len(r.days)
    (0, 30)
    >>> load_results(InMemoryUnitOfWork(), date(2026, 11, 1), date(2026, 11, 30), store_id="L9")
    Traceback (most recent call last):
    ...
    otocore.errors.NotFound: Store 'L9' not found
    """
    scope = Scope(store_id=store_id, seller_code=seller_code)
    policy = v.require_instance("policy", policy, AttributionPolicy)
    with uow:
        inputs = _inputs(uow, first_day, last_day, scope, [policy], time_zone)
        return compute_results_frame(policy=policy, **inputs)


def load_comparison(
    uow: UnitOfWork,
    first_day: date,
    last_day: date,
    *,
    base: AttributionPolicy,
    other: AttributionPolicy,
    store_id: str | None = None,
    seller_code: str | None = None,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> Comparison:
    """E se? (what if): :func:`load_results` under ``base`` and ``other``, side by side.

    The store is read once (contacts from the longer window on).

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> c = load_comparison(
    ...     InMemoryUnitOfWork(),
    ...     date(2026, 11, 1),
    ...     date(2026, 11, 30),
    ...     base=AttributionPolicy(),
    ...     other=AttributionPolicy(window_days=30),
    ... )
    >>> c.delta("revenue_gross")
    Decimal('0.00')
    """
    scope = Scope(store_id=store_id, seller_code=seller_code)
    base = v.require_instance("base", base, AttributionPolicy)
    other = v.require_instance("other", other, AttributionPolicy)
    with uow:
        inputs = _inputs(uow, first_day, last_day, scope, [base, other], time_zone)
        return comparison_of(
            compute_results_frame(policy=base, **inputs),
            compute_results_frame(policy=other, **inputs),
        )
