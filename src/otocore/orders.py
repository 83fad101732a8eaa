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
from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import attrs

from otocore import _validate as v

__all__ = ["Channel", "Order", "OrderItem", "OrderStatus", "product_quantity"]


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


# validators --------------------------------------------------------------------
# A brand has millions of orders, so each check first tries the one usual form
# of a valid value at the cost of a type test; anything else goes to the
# kernel's check (otocore._validate), which accepts or words the error, so an
# Order refuses and accepts exactly what the kernel's validators would.

_CENT = Decimal("0.01")
_ZERO = Decimal(0)


def _id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    # the usual id: a str of 1 to 100 printable (so no control) characters, not all blank
    if not (
        type(value) is str and 0 < len(value) <= 100 and value.isprintable() and not value.isspace()
    ):
        v.require_text(v.field_name(instance, attribute), value, max_length=100)


def _optional_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _id(instance, attribute, value)


def _money(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    # same_quantum: the exponent is -2 (centavos); other exponents take the kernel's path
    if not (type(value) is Decimal and value.same_quantum(_CENT) and value >= _ZERO):
        v.require_money(v.field_name(instance, attribute), value)


def _status(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not OrderStatus:
        v.require_enum(v.field_name(instance, attribute), value, OrderStatus)


def _channel(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not Channel:
        v.require_enum(v.field_name(instance, attribute), value, Channel)


def _utc(value: Any, instance: Any, attribute: attrs.Attribute[Any]) -> Any:
    if type(value) is datetime and value.tzinfo is UTC:
        return value  # what astimezone(UTC) would return
    return v.require_utc(v.field_name(instance, attribute), value)


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
        discount: desconto, the amount taken off the sale's prices (a POS discount, a
            coupon, a category's discount): ``Decimal`` >= 0 with at most 2 places,
            default ``0.00``. ``total`` is what was paid after it, so the sale's value
            before the discount is ``total + discount``. The customer dashboard
            (:mod:`otocore.insights`) adds it up per customer.

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

    order_id: str = attrs.field(validator=_id)
    customer_id: str = attrs.field(validator=_id)
    store_id: str = attrs.field(validator=_id)
    placed_at: datetime = attrs.field(
        converter=attrs.Converter(_utc, takes_self=True, takes_field=True)  # type: ignore[misc]
    )
    total: Decimal = attrs.field(validator=_money)
    seller_code: str | None = attrs.field(validator=_optional_id)
    status: OrderStatus = attrs.field(default=OrderStatus.COMPLETED, validator=_status)
    channel: Channel = attrs.field(default=Channel.STORE, validator=_channel)
    discount: Decimal = attrs.field(default=Decimal("0.00"), validator=_money)


def _optional_money(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        _money(instance, attribute, value)


@attrs.frozen(kw_only=True)
class OrderItem:
    """Item do pedido (an order line): a product, how many, its list price and a manual price.

    A telesales operator may set a manual price on a line, higher or lower than
    the list price without limit ("Não há restrições sobre aumento e redução de
    preço", VTEX's Televendas help page); whether a store allows manual prices,
    and who must authorize them, is the business of the telesales flow and of
    :mod:`otocore.authorization`, not of the value.

    Attributes:
        sku: the product (stock-keeping unit) code, text of 1 to 100 characters.
        quantity: how many units, a positive integer.
        list_price: the unit price of the price list, ``Decimal`` >= 0 with at
            most 2 places.
        manual_price: the unit price the operator typed, or ``None`` (the list
            price applies); ``Decimal`` >= 0 with at most 2 places.

    >>> from decimal import Decimal
    >>> item = OrderItem(
    ...     sku="CAMISA-P", quantity=3, list_price=Decimal("100.00"), manual_price=Decimal("80.00")
    ... )
    >>> item.has_manual_price, item.effective_price, item.line_total
    (True, Decimal('80.00'), Decimal('240.00'))
    >>> OrderItem(sku="CAMISA-P", quantity=2, list_price=Decimal("59.90")).line_total
    Decimal('119.80')
    >>> OrderItem(sku="CAMISA-P", quantity=0, list_price=Decimal("1.00"))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: OrderItem.quantity must be >= 1, got 0
    >>> OrderItem(sku="X", quantity=1, list_price=Decimal("1.00"), manual_price=Decimal("-1"))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: OrderItem.manual_price must be >= 0 with at most 2 decimal places, got Decimal('-1')
    """

    sku: str = attrs.field(validator=_id)
    quantity: int = attrs.field(validator=v.integer(min_value=1))
    list_price: Decimal = attrs.field(validator=_money)
    manual_price: Decimal | None = attrs.field(default=None, validator=_optional_money)

    @property
    def has_manual_price(self) -> bool:
        """Whether the operator set a manual price (even one equal to the list price).

        >>> OrderItem(sku="A", quantity=1, list_price=Decimal("5.00")).has_manual_price
        False
        """
        return self.manual_price is not None

    @property
    def effective_price(self) -> Decimal:
        """The unit price charged: the manual price if there is one, else the list price.

        >>> OrderItem(sku="A", quantity=1, list_price=Decimal("5.00")).effective_price
        Decimal('5.00')
        """
        return self.list_price if self.manual_price is None else self.manual_price

    @property
    def line_total(self) -> Decimal:
        """``quantity`` times :attr:`effective_price` (exact: two places stay two places).

        >>> OrderItem(
        ...     sku="A", quantity=4, list_price=Decimal("5.00"), manual_price=Decimal("0.99")
        ... ).line_total
        Decimal('3.96')
        """
        return self.effective_price * self.quantity


def product_quantity(items: Iterable[OrderItem]) -> int:
    """Quantidade de produtos: the sum of the items' quantities (0 for no items).

    :class:`Order` itself carries no items yet: orders gain items with the
    telesales storage (the next step of the telesales flow), and this is the count those
    orders will report.

    >>> from decimal import Decimal
    >>> product_quantity(
    ...     [
    ...         OrderItem(sku="A", quantity=2, list_price=Decimal("1.00")),
    ...         OrderItem(sku="B", quantity=3, list_price=Decimal("2.00")),
    ...     ]
    ... )
    5
    >>> product_quantity([])
    0
    """
    return sum(item.quantity for item in v.iter_instances("items", items, OrderItem))
