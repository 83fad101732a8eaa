"""The values of the results views: figures, rows by store, seller and day, sales, comparisons."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from otocore import _validate as v
from otocore.errors import ValidationError

_COUNT = v.integer(min_value=0)
_RATE_PLACES = Decimal("0.0001")


def tuple_of(cls: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        field = v.field_name(instance, attribute)
        if not isinstance(value, tuple):
            raise ValidationError(field, value, f"must be a tuple of {cls.__name__}")
        for i, item in enumerate(value):
            if not isinstance(item, cls):
                raise ValidationError(f"{field}[{i}]", item, f"must be {v.a_or_an(cls.__name__)}")

    return check


def _not_above(owner: str, name: str, value: Any, limit_name: str, limit: Any) -> list[Any]:
    if value > limit:
        return [ValidationError(f"{owner}.{name}", value, f"must be <= {limit_name} {limit}")]
    return []


@attrs.frozen(kw_only=True)
class Figures:
    """The figures of one scope over a period ("Em cada período é possível visualizar").

    Attributes:
        suggested: Atividades sugeridas: the stored suggestions of the period's days.
        started: Conversas iniciadas: the registered contacts that started in the period.
        finished: Conversas finalizadas: those of them whose outcome is FINISHED.
        attributed_sales: Vendas atribuídas: the orders placed in the period that a contact
            earned (:mod:`otocore.attribution`), cancelled or returned ones included.
        cancelled_sales: how many of ``attributed_sales`` were cancelled or returned since.
        revenue_gross: Receita atribuída: the total of the ``attributed_sales``.
        revenue_net: Receita gerando saldo: the total of those that still stand (not
            cancelled or returned), never above ``revenue_gross``.
        conversion_numerator: the conversations started in the period that earned at least
            one of the period's attributed sales (never above ``conversion_denominator``).
        conversion_denominator: the conversations started (``started``).

    >>> f = Figures(
    ...     suggested=10,
    ...     started=4,
    ...     finished=3,
    ...     attributed_sales=3,
    ...     cancelled_sales=1,
    ...     revenue_gross=Decimal("300.00"),
    ...     revenue_net=Decimal("200.00"),
    ...     conversion_numerator=2,
    ...     conversion_denominator=4,
    ... )
    >>> f.conversion_rate, f.standing_sales, f.revenue_cancelled
    (Decimal('0.5000'), 2, Decimal('100.00'))
    >>> attrs.evolve(f, conversion_numerator=5)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Figures.conversion_numerator must be <= conversion_denominator 4, got 5
    """

    suggested: int = attrs.field(validator=_COUNT)
    started: int = attrs.field(validator=_COUNT)
    finished: int = attrs.field(validator=_COUNT)
    attributed_sales: int = attrs.field(validator=_COUNT)
    cancelled_sales: int = attrs.field(validator=_COUNT)
    revenue_gross: Decimal = attrs.field(validator=v.money)
    revenue_net: Decimal = attrs.field(validator=v.money)
    conversion_numerator: int = attrs.field(validator=_COUNT)
    conversion_denominator: int = attrs.field(validator=_COUNT)

    def __attrs_post_init__(self) -> None:
        faults = [
            *_not_above("Figures", "finished", self.finished, "started", self.started),
            *_not_above(
                "Figures",
                "cancelled_sales",
                self.cancelled_sales,
                "attributed_sales",
                self.attributed_sales,
            ),
            *_not_above(
                "Figures", "revenue_net", self.revenue_net, "revenue_gross", self.revenue_gross
            ),
            *_not_above(
                "Figures",
                "conversion_numerator",
                self.conversion_numerator,
                "conversion_denominator",
                self.conversion_denominator,
            ),
        ]
        if self.conversion_denominator != self.started:
            faults.append(
                ValidationError(
                    "Figures.conversion_denominator",
                    self.conversion_denominator,
                    f"must equal started {self.started}",
                )
            )
        if faults:
            raise ValidationError.collect(faults)

    @property
    def conversion_rate(self) -> Decimal | None:
        """Taxa de conversão: numerator / denominator to 4 places (half to even); None for 0/0.

        >>> Figures.zero().conversion_rate is None
        True
        """
        if self.conversion_denominator == 0:
            return None
        rate = Decimal(self.conversion_numerator) / Decimal(self.conversion_denominator)
        return rate.quantize(_RATE_PLACES, rounding=ROUND_HALF_EVEN)

    @property
    def standing_sales(self) -> int:
        """The attributed sales that still stand: ``attributed_sales - cancelled_sales``.

        >>> Figures.zero().standing_sales
        0
        """
        return self.attributed_sales - self.cancelled_sales

    @property
    def revenue_cancelled(self) -> Decimal:
        """The attributed revenue of cancelled or returned orders: gross minus net.

        >>> Figures.zero().revenue_cancelled
        Decimal('0.00')
        """
        return self.revenue_gross - self.revenue_net

    @classmethod
    def zero(cls) -> Figures:
        """Figures of a scope where nothing happened.

        >>> Figures.zero().revenue_gross
        Decimal('0.00')
        """
        return cls(
            suggested=0,
            started=0,
            finished=0,
            attributed_sales=0,
            cancelled_sales=0,
            revenue_gross=Decimal("0.00"),
            revenue_net=Decimal("0.00"),
            conversion_numerator=0,
            conversion_denominator=0,
        )

    def __add__(self, other: Figures) -> Figures:
        """The figures of two disjoint scopes together (every figure adds up).

        >>> (Figures.zero() + Figures.zero()) == Figures.zero()
        True
        """
        if not isinstance(other, Figures):
            return NotImplemented
        return Figures(**{f: getattr(self, f) + getattr(other, f) for f in FIGURE_FIELDS})


FIGURE_FIELDS = tuple(a.name for a in attrs.fields(Figures))
"""The names of the fields of :class:`Figures`, in order."""


@attrs.frozen(kw_only=True)
class SellerResults:
    """One seller's figures over the period.

    Attributes:
        seller_code: the seller.
        seller_name: the seller's name (the code for a seller code no seller has).
        store_id: the seller's store (:data:`UNREGISTERED_STORE` for such a code).
        figures: the seller's :class:`Figures`.

    >>> SellerResults(seller_code="V01", seller_name="Ana", store_id="L01", figures=Figures.zero())
    ... # doctest: +ELLIPSIS
    SellerResults(seller_code='V01', seller_name='Ana', store_id='L01', figures=Figures(...))
    """

    seller_code: str = attrs.field(validator=v.text(100))
    seller_name: str = attrs.field(validator=v.text(200))
    store_id: str = attrs.field(validator=v.text(100))
    figures: Figures = attrs.field(validator=v.instance_of(Figures))


@attrs.frozen(kw_only=True)
class StoreResults:
    """One store's figures over the period: the sum of its sellers'.

    >>> StoreResults(store_id="L01", figures=Figures.zero()).store_id
    'L01'
    """

    store_id: str = attrs.field(validator=v.text(100))
    figures: Figures = attrs.field(validator=v.instance_of(Figures))


@attrs.frozen(kw_only=True)
class DayResults:
    """One local day of the period: what happened that day in the scope.

    Suggestions count on their day, contacts on the day they started, sales on the day the
    order was placed (o dia da compra). Conversion has no daily figure: a conversation
    started one day earns its sale another.

    >>> DayResults(
    ...     day=date(2026, 11, 3),
    ...     suggested=5,
    ...     started=2,
    ...     finished=2,
    ...     attributed_sales=1,
    ...     cancelled_sales=0,
    ...     revenue_gross=Decimal("99.90"),
    ...     revenue_net=Decimal("99.90"),
    ... ).revenue_net
    Decimal('99.90')
    """

    day: date = attrs.field(validator=v.local_date)
    suggested: int = attrs.field(validator=_COUNT)
    started: int = attrs.field(validator=_COUNT)
    finished: int = attrs.field(validator=_COUNT)
    attributed_sales: int = attrs.field(validator=_COUNT)
    cancelled_sales: int = attrs.field(validator=_COUNT)
    revenue_gross: Decimal = attrs.field(validator=v.money)
    revenue_net: Decimal = attrs.field(validator=v.money)


@attrs.frozen(kw_only=True)
class SaleRow:
    """One attributed sale, as a seller sees it ("Visão de resultados para Vendedores").

    Attributes:
        seller_code: the seller the sale is attributed to (the contact's seller).
        order_id: the order.
        customer_id: the customer (the way to the customer's profile).
        store_id: the order's store.
        contact_id: the contact that earned the sale.
        contact_day: o dia do contato, the local day the contact started.
        purchase_day: o dia da compra, the local day the order was placed.
        product_quantity: a quantidade de produtos, the sum of the order's items'
            quantities, or ``None`` when otocore does not know the order's items (an order
            imported as a total: a plain :class:`~otocore.orders.Order` has no items; only a
            telesales order has them). ``None`` is "not known", never 0.
        total: o valor total da compra, the order's total.
        cancelled: whether the order was cancelled or returned since (it then counts in the
            gross revenue, not in the net).

    >>> SaleRow(
    ...     seller_code="V01",
    ...     order_id="P1",
    ...     customer_id="C1",
    ...     store_id="L01",
    ...     contact_id="A1",
    ...     contact_day=date(2026, 11, 2),
    ...     purchase_day=date(2026, 11, 1),
    ...     product_quantity=None,
    ...     total=Decimal("10.00"),
    ...     cancelled=False,
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SaleRow.purchase_day must not be before contact_day 2026-11-02, got datetime.date(2026, 11, 1)
    """

    seller_code: str = attrs.field(validator=v.text(100))
    order_id: str = attrs.field(validator=v.text(100))
    customer_id: str = attrs.field(validator=v.text(100))
    store_id: str = attrs.field(validator=v.text(100))
    contact_id: str = attrs.field(validator=v.text(100))
    contact_day: date = attrs.field(validator=v.local_date)
    purchase_day: date = attrs.field(validator=v.local_date)
    product_quantity: int | None = attrs.field(validator=v.optional_integer(min_value=0))
    total: Decimal = attrs.field(validator=v.money)
    cancelled: bool = attrs.field(validator=v.boolean)

    def __attrs_post_init__(self) -> None:
        if self.purchase_day < self.contact_day:
            raise ValidationError(
                "SaleRow.purchase_day",
                self.purchase_day,
                f"must not be before contact_day {self.contact_day}",
            )


@attrs.frozen(kw_only=True)
class Scope:
    """Which part of the brand the results cover: the brand, one store, or one seller.

    >>> Scope(), Scope(store_id="L01").label, Scope(seller_code="V01").label
    (Scope(store_id=None, seller_code=None), 'store L01', 'seller V01')
    >>> Scope(store_id="L01", seller_code="V01")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Scope.seller_code must be None when store_id is given (a scope is the brand, one store or one seller), got 'V01'
    """

    store_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    seller_code: str | None = attrs.field(default=None, validator=v.optional_text(100))

    def __attrs_post_init__(self) -> None:
        if self.store_id is not None and self.seller_code is not None:
            raise ValidationError(
                "Scope.seller_code",
                self.seller_code,
                "must be None when store_id is given (a scope is the brand, one store or one"
                " seller)",
            )

    @property
    def label(self) -> str:
        """``"brand"``, ``"store <id>"`` or ``"seller <code>"``."""
        if self.store_id is not None:
            return f"store {self.store_id}"
        if self.seller_code is not None:
            return f"seller {self.seller_code}"
        return "brand"
