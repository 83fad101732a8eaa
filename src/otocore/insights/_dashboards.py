"""The two dashboards: :class:`CustomerDashboard` (per customer), :class:`StoreDashboard` (per store)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from otocore import _validate as v
from otocore.errors import ValidationError
from otocore.insights import _tables
from otocore.insights._values import (
    CustomerInsights,
    InsightsPolicy,
    StoreFigures,
    StoreInsights,
    tuple_of,
)

_ADDITIVE = ("sales", "revenue", "identified_sales", "identified_revenue")


@attrs.frozen(kw_only=True)
class CustomerDashboard:
    """Every customer's figures on a day: Altegio's customer list, as values, rows and frames.

    Built by :func:`~otocore.insights.compute_customer_insights` (or
    :func:`~otocore.insights.load_customer_insights`); one :class:`CustomerInsights` per
    customer with a COMPLETED order on or before ``as_of``, by ``customer_id``.

    >>> from otocore.insights import compute_customer_insights
    >>> d = compute_customer_insights([], as_of=date(2026, 11, 30))
    >>> d.customers, d.to_rows()
    ((), [])
    """

    as_of: date = attrs.field(validator=v.local_date)
    policy: InsightsPolicy = attrs.field(validator=v.instance_of(InsightsPolicy))
    customers: tuple[CustomerInsights, ...] = attrs.field(
        converter=v.list_to_tuple, validator=tuple_of(CustomerInsights)
    )

    def __attrs_post_init__(self) -> None:
        ids = [c.customer_id for c in self.customers]
        if ids != sorted(set(ids)):
            raise ValidationError(
                "CustomerDashboard.customers", len(ids), "must be one row per customer, by id"
            )

    def customer(self, customer_id: str) -> CustomerInsights:
        """The figures of ``customer_id``: :meth:`CustomerInsights.nothing` for one without a
        completed order.

        >>> from otocore.insights import compute_customer_insights
        >>> compute_customer_insights([], as_of=date(2026, 11, 30)).customer("C9").visits
        0
        """
        customer_id = v.require_text("customer_id", customer_id, max_length=100)
        for row in self.customers:
            if row.customer_id == customer_id:
                return row
        return CustomerInsights.nothing(customer_id)

    def to_rows(self) -> list[dict[str, Any]]:
        """One plain row (dict) per customer, the columns of :data:`CUSTOMER_COLUMNS`: money
        ``Decimal``, days ``date``, the frequency its value (``"weekly"``) or ``None``."""
        return _tables.customer_rows(self)

    def to_frame(self, *, backend: str = "polars") -> Any:
        """:meth:`to_rows` as a data frame of ``backend`` (``polars``, ``pandas`` or
        ``pyarrow``, through narwhals): the same numbers.

        >>> from otocore.insights import compute_customer_insights
        >>> compute_customer_insights([], as_of=date(2026, 11, 30)).to_frame().shape
        (0, 12)
        """
        return _tables.to_frame(self.to_rows(), _tables.CUSTOMER_COLUMNS, backend)

    def _repr_html_(self) -> str:
        return _tables.customers_html(self)


@attrs.frozen(kw_only=True)
class StoreDashboard:
    """A period's figures by store and for the brand.

    Built by :func:`~otocore.insights.compute_store_insights` (or
    :func:`~otocore.insights.load_store_insights`); checked whole when built: the stores'
    sales, revenue, identified sales and identified revenue add up to the brand's. The
    customers do not add up: a customer who bought at two stores counts at each, and once
    for the brand (who "bought again" at another store counts as returning for the brand
    only).

    Attributes:
        first_day: the first local day of the period.
        last_day: the last local day of the period (included).
        return_window_days: the return window, in days after a customer's first purchase
            day in the period.
        policy: the :class:`InsightsPolicy` (its anonymous ids and zone).
        totals: the brand's :class:`StoreFigures` (or the one store's, for a store's
            dashboard).
        stores: one :class:`StoreInsights` per store with a sale, by ``store_id``.

    >>> from otocore.insights import compute_store_insights
    >>> d = compute_store_insights(first_day=date(2026, 11, 1), last_day=date(2026, 11, 30))
    >>> d.totals == StoreFigures.zero(), d.stores
    (True, ())
    """

    first_day: date = attrs.field(validator=v.local_date)
    last_day: date = attrs.field(validator=v.local_date)
    return_window_days: int = attrs.field(validator=v.integer(min_value=1, max_value=3650))
    policy: InsightsPolicy = attrs.field(validator=v.instance_of(InsightsPolicy))
    totals: StoreFigures = attrs.field(validator=v.instance_of(StoreFigures))
    stores: tuple[StoreInsights, ...] = attrs.field(
        converter=v.list_to_tuple, validator=tuple_of(StoreInsights)
    )

    def __attrs_post_init__(self) -> None:
        faults: list[ValidationError] = []
        if self.last_day < self.first_day:
            faults.append(
                ValidationError(
                    "StoreDashboard.last_day",
                    self.last_day,
                    f"must be on or after first_day {self.first_day}",
                )
            )
        ids = [s.store_id for s in self.stores]
        if ids != sorted(set(ids)):
            faults.append(
                ValidationError(
                    "StoreDashboard.stores", len(ids), "must be one row per store, by id"
                )
            )
        for name in _ADDITIVE:
            zero: Any = Decimal("0.00") if "revenue" in name else 0
            added = sum((getattr(s.figures, name) for s in self.stores), zero)
            if added != getattr(self.totals, name):
                faults.append(
                    ValidationError(
                        f"StoreDashboard.totals.{name}",
                        getattr(self.totals, name),
                        f"must be the sum of the stores' {added}",
                    )
                )
        if faults:
            raise ValidationError.collect(faults)

    def store(self, store_id: str) -> StoreFigures:
        """The figures of ``store_id``: zero for a store without a sale in the period.

        >>> from otocore.insights import compute_store_insights
        >>> d = compute_store_insights(first_day=date(2026, 11, 1), last_day=date(2026, 11, 1))
        >>> d.store("L9").sales
        0
        """
        store_id = v.require_text("store_id", store_id, max_length=100)
        for row in self.stores:
            if row.store_id == store_id:
                return row.figures
        return StoreFigures.zero()

    def to_rows(self, view: str = "totals") -> list[dict[str, Any]]:
        """One view as plain rows (dicts): ``totals``, ``stores`` or ``loyalty``.

        >>> from otocore.insights import compute_store_insights
        >>> d = compute_store_insights(first_day=date(2026, 11, 1), last_day=date(2026, 11, 1))
        >>> d.to_rows()[0]["sales"], d.to_rows("loyalty")
        (0, [])
        """
        return _tables.store_rows(self, view)

    def to_frame(self, view: str = "totals", *, backend: str = "polars") -> Any:
        """One view as a data frame of ``backend`` (through narwhals): :meth:`to_rows`' numbers.

        >>> from otocore.insights import compute_store_insights
        >>> d = compute_store_insights(first_day=date(2026, 11, 1), last_day=date(2026, 11, 1))
        >>> d.to_frame("stores").shape
        (0, 12)
        """
        return _tables.to_frame(self.to_rows(view), _tables.STORE_COLUMNS[view], backend)

    def _repr_html_(self) -> str:
        return _tables.stores_html(self)
