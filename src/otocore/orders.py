"""Pedido (order): one sale of a brand, in a store, online or by telesales.

An :class:`Order` is the input of every portfolio rule. Its ``placed_at`` is a
timezone-aware instant (rules convert it to the brand's local day), its
``total`` is a :class:`~decimal.Decimal` with at most two places, and
``seller_code`` is ``None`` for an online order that carries no seller code.

>>> from datetime import datetime
>>> from decimal import Decimal
>>> from zoneinfo import ZoneInfo
>>> order = Order(
...     order_id="P1",
...     customer_id="C1",
...     store_id="L01",
...     placed_at=datetime(2026, 5, 10, 15, 30, tzinfo=ZoneInfo("America/Sao_Paulo")),
...     total=Decimal("199.90"),
...     seller_code="V01",
... )
>>> order.placed_at
datetime.datetime(2026, 5, 10, 18, 30, tzinfo=datetime.timezone.utc)
>>> order.status, order.channel
(<OrderStatus.COMPLETED: 'completed'>, <Channel.STORE: 'store'>)

Bad input is refused when the order is built:

>>> Order(
...     order_id="P2",
...     customer_id="C1",
...     store_id="L01",
...     placed_at=datetime(2026, 5, 10, 15, 30),
...     total=Decimal("1"),
...     seller_code=None,
... )
Traceback (most recent call last):
...
otocore.errors.ValidationError: Order.placed_at must be timezone-aware, got datetime.datetime(2026, 5, 10, 15, 30)
>>> Order(
...     order_id="P2",
...     customer_id="C1",
...     store_id="L01",
...     placed_at=order.placed_at,
...     total=Decimal("-1.005"),
...     seller_code=None,
... )
Traceback (most recent call last):
...
otocore.errors.ValidationError: Order.total must be >= 0 with at most 2 decimal places, got Decimal('-1.005')
"""

from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import attrs

from otocore import _validate as v

__all__ = ["Channel", "Order", "OrderStatus"]


class OrderStatus(enum.Enum):
    """Situação do pedido (order status). Only COMPLETED orders count for the rules.

    >>> OrderStatus("cancelled")
    <OrderStatus.CANCELLED: 'cancelled'>
    """

    COMPLETED = "completed"
    CANCELLED = "cancelled"


class Channel(enum.Enum):
    """Canal de venda (sales channel): loja física, loja online or televendas.

    >>> Channel("telesales")
    <Channel.TELESALES: 'telesales'>
    """

    STORE = "store"
    ONLINE = "online"
    TELESALES = "telesales"


@attrs.frozen(kw_only=True)
class Order:
    """A completed or cancelled sale.

    Attributes:
        order_id: the brand's id of the order, unique in the brand.
        customer_id: the buyer.
        store_id: the store the sale belongs to (for online orders, the
            store the brand books them to).
        placed_at: when the order was placed; timezone-aware, naive is
            refused. Kept as the same instant in UTC, so equality and
            ordering are instant comparisons.
        total: the amount paid, ``Decimal`` >= 0 with at most 2 places.
        seller_code: the seller credited, or ``None`` (online order without
            a seller code).
        status: :class:`OrderStatus`, default COMPLETED.
        channel: :class:`Channel`, default STORE.

    >>> from datetime import UTC
    >>> Order(
    ...     order_id="P1",
    ...     customer_id="C1",
    ...     store_id="L1",
    ...     placed_at=datetime(2026, 1, 2, tzinfo=UTC),
    ...     total=Decimal("10.5"),
    ...     seller_code=None,
    ...     channel=Channel.ONLINE,
    ... ).seller_code is None
    True
    """

    order_id: str = attrs.field(validator=v.text(100))
    customer_id: str = attrs.field(validator=v.text(100))
    store_id: str = attrs.field(validator=v.text(100))
    placed_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    total: Decimal = attrs.field(validator=v.money)
    seller_code: str | None = attrs.field(validator=v.optional_text(100))
    status: OrderStatus = attrs.field(
        default=OrderStatus.COMPLETED, validator=v.member_of(OrderStatus)
    )
    channel: Channel = attrs.field(default=Channel.STORE, validator=v.member_of(Channel))
