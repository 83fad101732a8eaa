"""Strategies for :mod:`otocore.attribution`: policies and attributed sales."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import strategies as st

from otocore.attribution import (
    MAX_WINDOW_DAYS,
    Attribution,
    AttributionModel,
    AttributionPolicy,
)
from otocore.orders import Channel, OrderStatus
from otocore.testing._strategies import aware_datetimes, customer_ids, money, seller_codes

__all__ = ["attribution_policies", "attributions", "strategy_table"]


def attribution_policies(
    *, window_days: st.SearchStrategy[int] | None = None
) -> st.SearchStrategy[AttributionPolicy]:
    """Attribution policies: any window from 1 to 365 days (often the usual ones), either model.

    >>> from hypothesis import find
    >>> find(attribution_policies(), lambda p: p.window_days > 300).window_days > 300
    True
    """
    days = (
        st.sampled_from([1, 7, 14, 30]) | st.integers(1, MAX_WINDOW_DAYS)
        if window_days is None
        else window_days
    )
    return st.builds(AttributionPolicy, window_days=days, model=st.sampled_from(AttributionModel))


def attributions() -> st.SearchStrategy[Attribution]:
    """Attributed sales: an order and a contact of the same customer that started before it.

    >>> from hypothesis import find
    >>> sale = find(attributions(), lambda a: True)
    >>> sale.contact_started_at < sale.placed_at
    True
    """

    @st.composite
    def build(draw: st.DrawFn) -> Attribution:
        placed = draw(aware_datetimes())
        gap = timedelta(microseconds=draw(st.integers(1, MAX_WINDOW_DAYS * 86_400_000_000)))
        return Attribution(
            order_id=f"P{draw(st.uuids()).hex[:12]}",
            customer_id=draw(customer_ids()),
            store_id=draw(st.sampled_from(["L01", "L02", "ONLINE"])),
            channel=draw(st.sampled_from(Channel)),
            placed_at=placed,
            total=draw(money()),
            status=draw(st.sampled_from(OrderStatus)),
            contact_id=f"A{draw(st.uuids()).hex[:12]}",
            seller_code=draw(seller_codes()),
            contact_started_at=placed - gap,
        )

    return build()


def strategy_table() -> dict[type, st.SearchStrategy[object]]:
    """The default strategy of each attribution value type, for ``st.from_type``."""
    return {AttributionPolicy: attribution_policies(), Attribution: attributions()}
