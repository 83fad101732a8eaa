"""The strategies behind :mod:`otocore.testing`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from otocore.orders import Channel, Order, OrderStatus
from otocore.sellers import Seller, SellerStatus, Store

_BR_ZONES = ("America/Sao_Paulo", "America/Manaus", "America/Recife", "America/Noronha")


def money(
    *, min_value: Decimal = Decimal(0), max_value: Decimal = Decimal("99999.99")
) -> st.SearchStrategy[Decimal]:
    """Decimal amounts with two places in ``[min_value, max_value]``.

    The examples below use ``hypothesis.find`` to draw one value:

    >>> from hypothesis import find

    >>> from hypothesis import find
    >>> find(money(), lambda x: True) >= 0
    True
    """
    lo = int(min_value * 100)
    hi = int(max_value * 100)
    return st.integers(lo, hi).map(lambda c: Decimal(c).scaleb(-2))


def aware_datetimes(
    *,
    min_value: datetime = datetime(2018, 1, 1, tzinfo=UTC),
    max_value: datetime = datetime(2030, 12, 31, tzinfo=UTC),
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes in Brazilian zones, UTC and fixed offsets.

    >>> from hypothesis import find
    >>> find(aware_datetimes(), lambda x: True).tzinfo is not None
    True
    """
    zones = st.sampled_from([*(ZoneInfo(z) for z in _BR_ZONES), UTC, timezone(timedelta(hours=-3))])
    span = int((max_value - min_value).total_seconds())
    return st.builds(
        lambda secs, tz: (min_value + timedelta(seconds=secs)).astimezone(tz),
        st.integers(0, span),
        zones,
    )


def _ids(prefix: str, *, max_count: int) -> st.SearchStrategy[str]:
    return st.integers(1, max_count).map(lambda n: f"{prefix}{n:03d}")


def customer_ids(*, max_count: int = 50) -> st.SearchStrategy[str]:
    """Customer ids drawn from a small pool, so that collisions happen.

    >>> from hypothesis import find
    >>> find(customer_ids(), lambda x: True).startswith("C")
    True
    """
    return _ids("C", max_count=max_count)


def store_ids(*, max_count: int = 5) -> st.SearchStrategy[str]:
    """Store ids from a small pool.

    >>> from hypothesis import find
    >>> find(store_ids(), lambda x: True).startswith("L")
    True
    """
    return _ids("L", max_count=max_count)


def seller_codes(*, max_count: int = 12) -> st.SearchStrategy[str]:
    """Seller codes from a small pool.

    >>> from hypothesis import find
    >>> find(seller_codes(), lambda x: True).startswith("V")
    True
    """
    return _ids("V", max_count=max_count)


def stores(*, store_id: st.SearchStrategy[str] | None = None) -> st.SearchStrategy[Store]:
    """Stores of a brand.

    >>> from hypothesis import find
    >>> isinstance(find(stores(), lambda s: True), Store)
    True
    """
    return st.builds(
        Store,
        store_id=store_ids() if store_id is None else store_id,
        name=st.sampled_from(["Loja Centro", "Shopping Norte", "Outlet Sul"]),
        city=st.none() | st.sampled_from(["São Paulo", "Recife", "Porto Alegre"]),
        state=st.none() | st.sampled_from(["SP", "PE", "RS"]),
    )


def sellers(
    *,
    code: st.SearchStrategy[str] | None = None,
    store_id: st.SearchStrategy[str] | None = None,
    status: st.SearchStrategy[SellerStatus] | None = None,
) -> st.SearchStrategy[Seller]:
    """Sellers of stores, active or inactive.

    >>> from hypothesis import find
    >>> isinstance(find(sellers(), lambda s: True), Seller)
    True
    """
    return st.builds(
        Seller,
        code=seller_codes() if code is None else code,
        name=st.sampled_from(["Ana Souza", "Bruno Lima", "Carla Dias", "Diego Alves"]),
        store_id=store_ids() if store_id is None else store_id,
        status=st.sampled_from(SellerStatus) if status is None else status,
    )


def orders(
    *,
    customer_id: st.SearchStrategy[str] | None = None,
    store_id: st.SearchStrategy[str] | None = None,
    seller_code: st.SearchStrategy[str | None] | None = None,
    status: st.SearchStrategy[OrderStatus] | None = None,
    channel: st.SearchStrategy[Channel] | None = None,
    placed_at: st.SearchStrategy[datetime] | None = None,
    total: st.SearchStrategy[Decimal] | None = None,
    discount: st.SearchStrategy[Decimal] | None = None,
) -> st.SearchStrategy[Order]:
    """Orders of a brand; pass a strategy for any field to pin or narrow it.

    Order ids are random and long, so a list of orders rarely repeats one;
    use ``st.lists(orders(), unique_by=lambda o: o.order_id)`` to be sure.

    >>> from hypothesis import find
    >>> find(orders(customer_id=st.just("C1")), lambda o: True).customer_id
    'C1'
    """
    return st.builds(
        Order,
        order_id=st.uuids().map(lambda u: f"P{u.hex[:12]}"),
        customer_id=customer_ids() if customer_id is None else customer_id,
        store_id=store_ids() if store_id is None else store_id,
        placed_at=aware_datetimes() if placed_at is None else placed_at,
        total=money() if total is None else total,
        seller_code=seller_code if seller_code is not None else (st.none() | seller_codes()),
        status=st.sampled_from(OrderStatus) if status is None else status,
        channel=st.sampled_from(Channel) if channel is None else channel,
        discount=(st.just(Decimal("0.00")) | money()) if discount is None else discount,
    )
