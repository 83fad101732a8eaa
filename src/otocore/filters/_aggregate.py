"""One pass over a brand's orders: the purchase facts of each customer. Private.

:func:`aggregate` is shared by ``CustomerFacts.build`` (one customer) and
``facts_for_brand`` (many), so the two always agree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import attrs
from dateutil.relativedelta import relativedelta

from otocore._time import window_start
from otocore.errors import ValidationError
from otocore.orders import Channel, Order, OrderStatus

PREFERRED_STORE_WINDOW = relativedelta(months=12)


@attrs.frozen
class Tally:
    """The purchase facts of one customer with at least one purchase."""

    last: date
    count: int
    months: frozenset[tuple[int, int]]
    online: bool
    preferred_store: str | None
    store_days: frozenset[date]
    purchase_days: frozenset[date]


def aggregate(
    orders: Iterable[Order], wanted: frozenset[str], on: date, zone: ZoneInfo
) -> dict[str, Tally]:
    """Customer id -> :class:`Tally`, for the customers in ``wanted`` with a purchase.

    A purchase is a COMPLETED order whose local day in ``zone`` is on or
    before ``on``. Every item must be an Order and order ids unique.
    """
    try:
        start: date | None = window_start(on, PREFERRED_STORE_WINDOW)
    except (OverflowError, ValueError):
        start = None  # the 12 months reach before year 1: every day is inside
    listed = orders if isinstance(orders, list | tuple) else list(orders)
    completed = OrderStatus.COMPLETED
    online_channel = Channel.ONLINE
    store_channel = Channel.STORE
    # One small list per customer, [count, last day, purchase days, online, store days]; the
    # months are those of the purchase days, taken once per distinct day at the end: at
    # millions of orders, dict look-ups and allocations are what cost.
    state: dict[str, list[Any]] = {}
    visits: set[tuple[str, str, date]] = set()
    seen: set[str] = set()
    remember = seen.add
    for i, order in enumerate(listed):
        if not isinstance(order, Order):
            raise ValidationError(f"orders[{i}]", order, "must be an otocore.orders.Order")
        remember(order.order_id)
        if order.status is not completed:
            continue
        cid = order.customer_id
        if cid not in wanted:
            continue
        try:
            day = order.placed_at.astimezone(zone).date()
        except OverflowError:
            raise ValidationError(
                f"orders[{i}].placed_at",
                order.placed_at,
                "has no local day in the time zone (too near year 1 or 9999)",
            ) from None
        if day > on:
            continue
        held = state.get(cid)
        channel = order.channel
        if held is None:
            held = state[cid] = [1, day, {day}, channel is online_channel, set()]
        else:
            held[0] += 1
            if day > held[1]:  # noqa: PLR1730 - max() is slower in this loop
                held[1] = day
            held[2].add(day)
            if channel is online_channel:
                held[3] = True
        if channel is store_channel:
            held[4].add(day)
        if start is None or day > start:
            visits.add((cid, order.store_id, day))
    if len(seen) != len(listed):
        _raise_duplicate(listed)
    return _tallies(state, _preferred_stores(visits))


def _tallies(state: dict[str, list[Any]], preferred: dict[str, str]) -> dict[str, Tally]:
    month_of: dict[date, tuple[int, int]] = {}  # one interned (year, month) pair per day
    single: dict[tuple[int, int], frozenset[tuple[int, int]]] = {}
    out: dict[str, Tally] = {}
    for cid, (count, last, days, online, store_days) in state.items():
        months = set()
        for day in days:
            month = month_of.get(day)
            if month is None:
                month = month_of[day] = (day.year, day.month)
            months.add(month)
        if len(months) == 1:  # share the set between customers with one month
            (only,) = months
            frozen = single.get(only)
            if frozen is None:
                frozen = single[only] = frozenset(months)
        else:
            frozen = frozenset(months)
        out[cid] = Tally(
            last,
            count,
            frozen,
            online,
            preferred.get(cid),
            _frozen_days(store_days),
            frozenset(days),
        )
    return out


_NO_DAYS: frozenset[date] = frozenset()


def _frozen_days(days: set[date]) -> frozenset[date]:
    return frozenset(days) if days else _NO_DAYS


def _preferred_stores(visits: set[tuple[str, str, date]]) -> dict[str, str]:
    """Most visits; ties to the latest visit, then the lowest store id."""
    counts: dict[tuple[str, str], int] = {}
    latest: dict[tuple[str, str], date] = {}
    for cid, store, day in visits:
        key = (cid, store)
        counts[key] = counts.get(key, 0) + 1
        held = latest.get(key)
        if held is None or day > held:
            latest[key] = day
    best: dict[str, tuple[int, date, str]] = {}
    for key, n in counts.items():
        cid, store = key
        rank = (n, latest[key])
        held_best = best.get(cid)
        if (
            held_best is None
            or rank > held_best[:2]
            or (rank == held_best[:2] and store < held_best[2])
        ):
            best[cid] = (n, latest[key], store)
    return {cid: store for cid, (_, _, store) in best.items()}


def _raise_duplicate(orders: list[Order] | tuple[Order, ...]) -> None:
    seen: set[str] = set()
    for i, order in enumerate(orders):
        if order.order_id in seen:
            raise ValidationError(
                f"orders[{i}].order_id",
                order.order_id,
                "must be unique; the same order was given twice",
            )
        seen.add(order.order_id)
