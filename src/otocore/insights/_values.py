"""The values of the customer dashboard: the policy, a customer's figures, a store's figures."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE
from otocore.errors import ValidationError
from otocore.frequency import FrequencyClass, check_thresholds, frequency_class

_COUNT = v.integer(min_value=0)
_RATE_PLACES = Decimal("0.0001")
_CENT = Decimal("0.01")
_ZERO = Decimal("0.00")


def tuple_of(cls: type) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        field = v.field_name(instance, attribute)
        if not isinstance(value, tuple):
            raise ValidationError(field, value, f"must be a tuple of {cls.__name__}")
        for i, item in enumerate(value):
            if not isinstance(item, cls):
                raise ValidationError(f"{field}[{i}]", item, f"must be {v.a_or_an(cls.__name__)}")

    return check


def ratio(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator`` to 4 places (half to even); ``None`` for a zero denominator.

    >>> ratio(1, 3), ratio(0, 0)
    (Decimal('0.3333'), None)
    """
    if denominator == 0:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(
        _RATE_PLACES, rounding=ROUND_HALF_EVEN
    )


def average(amount: Decimal, count: int) -> Decimal | None:
    """``amount / count`` to the centavo (half to even); ``None`` for a count of 0.

    >>> average(Decimal("100.00"), 3), average(Decimal("0.00"), 0)
    (Decimal('33.33'), None)
    """
    if count == 0:
        return None
    return (amount / count).quantize(_CENT, rounding=ROUND_HALF_EVEN)


def _not_above(owner: str, name: str, value: Any, limit_name: str, limit: Any) -> list[Any]:
    if value > limit:
        return [ValidationError(f"{owner}.{name}", value, f"must be <= {limit_name} {limit}")]
    return []


def _ids(value: Any) -> frozenset[str]:
    if isinstance(value, str) or not isinstance(value, frozenset | set | list | tuple):
        raise ValidationError(
            "InsightsPolicy.anonymous_customer_ids", value, "must be a set of customer ids"
        )
    for item in value:
        v.require_text("InsightsPolicy.anonymous_customer_ids", item, max_length=100)
    return frozenset(value)


@attrs.frozen(kw_only=True)
class InsightsPolicy:
    """The brand's choices for the dashboard, with documented defaults.

    Attributes:
        weekly_days: the mean interval between purchase days (in days) at or below which
            a customer buys WEEKLY (default 7).
        fortnightly_days: ... at or below which FORTNIGHTLY (default 15).
        monthly_days: ... at or below which MONTHLY (default 31); above it LESS_OFTEN.
        window_days: the frequency looks at the purchase days of the last ``window_days``
            local days up to the day it is computed for (default 365).
        anonymous_customer_ids: the customer ids the brand's tills use for a sale to a
            customer they did not identify (Reshop's "vendas sem clientes", the
            "consumidor não identificado"); default none.
        time_zone: the brand's IANA zone, in which days are taken.

    >>> InsightsPolicy().monthly_days
    31
    >>> InsightsPolicy(weekly_days=20)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: InsightsPolicy.fortnightly_days must be > weekly_days 20, got 15
    """

    weekly_days: int = attrs.field(default=7, validator=v.integer(min_value=1, max_value=3650))
    fortnightly_days: int = attrs.field(
        default=15, validator=v.integer(min_value=1, max_value=3650)
    )
    monthly_days: int = attrs.field(default=31, validator=v.integer(min_value=1, max_value=3650))
    window_days: int = attrs.field(default=365, validator=v.integer(min_value=1, max_value=36500))
    anonymous_customer_ids: frozenset[str] = attrs.field(default=frozenset(), converter=_ids)
    time_zone: str = attrs.field(default=DEFAULT_TIME_ZONE, validator=v.time_zone)

    def __attrs_post_init__(self) -> None:
        check_thresholds(
            "InsightsPolicy", self.weekly_days, self.fortnightly_days, self.monthly_days
        )

    def frequency_of(self, span_days: int, intervals: int) -> FrequencyClass | None:
        """The class of a mean interval ``span_days / intervals`` (exact: no rounding).

        ``intervals`` is the number of purchase days minus one; with none (one purchase
        day or none) there is no interval, and no class.

        >>> p = InsightsPolicy()
        >>> p.frequency_of(14, 2), p.frequency_of(15, 2), p.frequency_of(31, 1)
        (<FrequencyClass.WEEKLY: 'weekly'>, <FrequencyClass.FORTNIGHTLY: 'fortnightly'>, <FrequencyClass.MONTHLY: 'monthly'>)
        >>> p.frequency_of(32, 1), p.frequency_of(0, 0)
        (<FrequencyClass.LESS_OFTEN: 'less_often'>, None)
        """
        return frequency_class(
            span_days,
            intervals,
            weekly_days=self.weekly_days,
            fortnightly_days=self.fortnightly_days,
            monthly_days=self.monthly_days,
        )


@attrs.frozen(kw_only=True)
class CustomerInsights:
    """One customer's dashboard figures (Altegio's list: "valores que gastaram, descontos,
    número de visitas, data da primeira e última visita").

    Attributes:
        customer_id: the customer.
        total_spent: the sum of the totals of their COMPLETED orders (any channel).
        discounts: the sum of the discounts of those orders.
        completed_orders: how many COMPLETED orders (any channel): the average ticket's
            denominator.
        visits: the distinct local days with a COMPLETED order of channel STORE.
        first_visit: the earliest such day, ``None`` without a visit.
        last_visit: the latest such day, ``None`` without a visit.
        purchase_days: the distinct local days with a COMPLETED order (any channel) in the
            frequency's window.
        span_days: days from the first to the last of those days (0 with fewer than two).
        frequency: the :class:`FrequencyClass` of the mean interval
            ``span_days / (purchase_days - 1)``; ``None`` with fewer than two purchase days.

    >>> c = CustomerInsights(
    ...     customer_id="ANA",
    ...     total_spent=Decimal("300.00"),
    ...     discounts=Decimal("20.00"),
    ...     completed_orders=4,
    ...     visits=2,
    ...     first_visit=date(2026, 11, 2),
    ...     last_visit=date(2026, 11, 9),
    ...     purchase_days=3,
    ...     span_days=14,
    ...     frequency=FrequencyClass.WEEKLY,
    ... )
    >>> c.average_ticket, c.mean_interval_days
    (Decimal('75.00'), Decimal('7.0'))
    >>> attrs.evolve(c, last_visit=date(2026, 11, 1))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: CustomerInsights.last_visit must not be before first_visit 2026-11-02, got datetime.date(2026, 11, 1)
    """

    customer_id: str = attrs.field(validator=v.text(100))
    total_spent: Decimal = attrs.field(validator=v.money)
    discounts: Decimal = attrs.field(validator=v.money)
    completed_orders: int = attrs.field(validator=_COUNT)
    visits: int = attrs.field(validator=_COUNT)
    first_visit: date | None = attrs.field(validator=v.optional_local_date)
    last_visit: date | None = attrs.field(validator=v.optional_local_date)
    purchase_days: int = attrs.field(validator=_COUNT)
    span_days: int = attrs.field(validator=_COUNT)
    frequency: FrequencyClass | None = attrs.field(
        validator=attrs.validators.optional(v.member_of(FrequencyClass))
    )

    def __attrs_post_init__(self) -> None:
        faults: list[ValidationError] = []
        if self.visits == 0:
            for name in ("first_visit", "last_visit"):
                if getattr(self, name) is not None:
                    faults.append(
                        ValidationError(
                            f"CustomerInsights.{name}",
                            getattr(self, name),
                            "must be None without a visit",
                        )
                    )
        elif self.first_visit is None or self.last_visit is None:
            faults.append(
                ValidationError(
                    "CustomerInsights.first_visit", self.first_visit, "must be a day with visits"
                )
            )
        elif self.last_visit < self.first_visit:
            faults.append(
                ValidationError(
                    "CustomerInsights.last_visit",
                    self.last_visit,
                    f"must not be before first_visit {self.first_visit}",
                )
            )
        faults += _not_above(
            "CustomerInsights", "visits", self.visits, "completed_orders", self.completed_orders
        )
        if (self.frequency is None) != (self.purchase_days < 2):
            faults.append(
                ValidationError(
                    "CustomerInsights.frequency",
                    self.frequency,
                    "must be None exactly when purchase_days < 2",
                )
            )
        if faults:
            raise ValidationError.collect(faults)

    @property
    def average_ticket(self) -> Decimal | None:
        """Ticket médio: ``total_spent / completed_orders`` to the centavo (half to even).

        ``None`` without a completed order.

        >>> CustomerInsights.nothing("C1").average_ticket is None
        True
        """
        return average(self.total_spent, self.completed_orders)

    @property
    def mean_interval_days(self) -> Decimal | None:
        """The mean interval between purchase days, ``span_days / (purchase_days - 1)``, to
        one place (half to even), as shown; the class is decided on the exact fraction.

        >>> CustomerInsights.nothing("C1").mean_interval_days is None
        True
        """
        if self.purchase_days < 2:
            return None
        mean = Decimal(self.span_days) / Decimal(self.purchase_days - 1)
        return mean.quantize(Decimal("0.1"), rounding=ROUND_HALF_EVEN)

    @classmethod
    def nothing(cls, customer_id: str) -> CustomerInsights:
        """The figures of a customer without a completed order.

        >>> CustomerInsights.nothing("C1").total_spent
        Decimal('0.00')
        """
        return cls(
            customer_id=customer_id,
            total_spent=_ZERO,
            discounts=_ZERO,
            completed_orders=0,
            visits=0,
            first_visit=None,
            last_visit=None,
            purchase_days=0,
            span_days=0,
            frequency=None,
        )


@attrs.frozen(kw_only=True)
class LoyaltyShare:
    """Participação (categoria): the customers of one loyalty program's category.

    ``program`` ``None`` is the customers in no program; ``category`` ``None`` with a
    program is its members not yet placed in a category.

    >>> s = LoyaltyShare(program="Clube", category="Ouro", customers=3, denominator=12)
    >>> s.share
    Decimal('0.2500')
    """

    program: str | None = attrs.field(validator=v.optional_text(100))
    category: str | None = attrs.field(validator=v.optional_text(100))
    customers: int = attrs.field(validator=_COUNT)
    denominator: int = attrs.field(validator=_COUNT)

    def __attrs_post_init__(self) -> None:
        faults = _not_above(
            "LoyaltyShare", "customers", self.customers, "denominator", self.denominator
        )
        if self.program is None and self.category is not None:
            faults.append(
                ValidationError(
                    "LoyaltyShare.category", self.category, "must be None without a program"
                )
            )
        if faults:
            raise ValidationError.collect(faults)

    @property
    def share(self) -> Decimal | None:
        """``customers / denominator`` to 4 places (half to even)."""
        return ratio(self.customers, self.denominator)


def loyalty_key(share: LoyaltyShare) -> tuple[bool, str, bool, str]:
    """The order of the loyalty rows: programs by name (none last), then categories (none last)."""
    return (
        share.program is None,
        share.program or "",
        share.category is None,
        share.category or "",
    )


@attrs.frozen(kw_only=True)
class StoreFigures:
    """One store's (or the brand's) figures over a period.

    Attributes:
        sales: the COMPLETED orders placed in the period (any channel).
        revenue: their totals.
        identified_sales: those whose customer is identified (a registered customer whose
            id is not one of the policy's anonymous ids).
        identified_revenue: their totals: the average sale's numerator.
        customers: the distinct identified customers who bought: the average sale's
            denominator, and the return rate's and the loyalty shares'.
        returning_customers: those of them who bought again (a COMPLETED order at the
            same store, or at any store for the brand) on a later local day at most the
            return window after their first purchase day in the period.
        loyalty: the :class:`LoyaltyShare` rows of ``customers``, one per program and
            category, the customers in no program included; they add up to ``customers``.

    >>> f = StoreFigures(
    ...     sales=3,
    ...     revenue=Decimal("250.00"),
    ...     identified_sales=2,
    ...     identified_revenue=Decimal("200.00"),
    ...     customers=2,
    ...     returning_customers=1,
    ...     loyalty=(LoyaltyShare(program=None, category=None, customers=2, denominator=2),),
    ... )
    >>> f.average_sale_per_customer, f.return_rate, f.unidentified_sales, f.unidentified_revenue
    (Decimal('100.00'), Decimal('0.5000'), 1, Decimal('50.00'))
    """

    sales: int = attrs.field(validator=_COUNT)
    revenue: Decimal = attrs.field(validator=v.money)
    identified_sales: int = attrs.field(validator=_COUNT)
    identified_revenue: Decimal = attrs.field(validator=v.money)
    customers: int = attrs.field(validator=_COUNT)
    returning_customers: int = attrs.field(validator=_COUNT)
    loyalty: tuple[LoyaltyShare, ...] = attrs.field(
        converter=v.list_to_tuple, validator=tuple_of(LoyaltyShare)
    )

    def __attrs_post_init__(self) -> None:
        owner = "StoreFigures"
        faults = [
            *_not_above(owner, "identified_sales", self.identified_sales, "sales", self.sales),
            *_not_above(
                owner, "identified_revenue", self.identified_revenue, "revenue", self.revenue
            ),
            *_not_above(
                owner, "customers", self.customers, "identified_sales", self.identified_sales
            ),
            *_not_above(
                owner,
                "returning_customers",
                self.returning_customers,
                "customers",
                self.customers,
            ),
        ]
        counted = sum(s.customers for s in self.loyalty)
        if counted != self.customers or any(s.denominator != self.customers for s in self.loyalty):
            faults.append(
                ValidationError(
                    f"{owner}.loyalty", counted, f"must share out customers {self.customers}"
                )
            )
        if faults:
            raise ValidationError.collect(faults)

    @property
    def unidentified_sales(self) -> int:
        """Vendas sem clientes: ``sales - identified_sales``."""
        return self.sales - self.identified_sales

    @property
    def unidentified_revenue(self) -> Decimal:
        """The revenue of the sales without an identified customer."""
        return self.revenue - self.identified_revenue

    @property
    def average_sale_per_customer(self) -> Decimal | None:
        """Média de clientes: ``identified_revenue / customers`` to the centavo; ``None`` for 0."""
        return average(self.identified_revenue, self.customers)

    @property
    def return_rate(self) -> Decimal | None:
        """Percentual de retorno: ``returning_customers / customers`` to 4 places; ``None`` for 0."""
        return ratio(self.returning_customers, self.customers)

    @property
    def unidentified_share(self) -> Decimal | None:
        """The share of the sales without an identified customer, to 4 places."""
        return ratio(self.unidentified_sales, self.sales)

    @classmethod
    def zero(cls) -> StoreFigures:
        """The figures of a store without a sale.

        >>> StoreFigures.zero().return_rate is None
        True
        """
        return cls(
            sales=0,
            revenue=_ZERO,
            identified_sales=0,
            identified_revenue=_ZERO,
            customers=0,
            returning_customers=0,
            loyalty=(),
        )


@attrs.frozen(kw_only=True)
class StoreInsights:
    """One store's figures over the period.

    >>> StoreInsights(store_id="L01", figures=StoreFigures.zero()).store_id
    'L01'
    """

    store_id: str = attrs.field(validator=v.text(100))
    figures: StoreFigures = attrs.field(validator=v.instance_of(StoreFigures))
