"""The results of a period and their "what if" comparison: :class:`Results`, :class:`Comparison`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE
from otocore.attribution import AttributionPolicy
from otocore.errors import ValidationError
from otocore.results import _tables
from otocore.results._values import (
    FIGURE_FIELDS,
    DayResults,
    Figures,
    SaleRow,
    Scope,
    SellerResults,
    StoreResults,
    tuple_of,
)


def _ranking_key(s: SellerResults) -> tuple[Decimal, int, str]:
    return (-s.figures.revenue_gross, -s.figures.attributed_sales, s.seller_code)


@attrs.frozen(kw_only=True)
class Results:
    """Vendas a partir de contatos: the figures of a scope over a period, every way round.

    Built by :func:`~otocore.results.compute_results` (or, from a store,
    :func:`~otocore.results.load_results`); checked whole when built: the stores add up
    to the totals, the sellers of each store to the store, the days to the totals (but
    conversion), and the sales to the attributed sales and revenue.

    Attributes:
        first_day: the first local day of the period.
        last_day: the last local day of the period (included).
        scope: the :class:`Scope`.
        policy: the :class:`~otocore.attribution.AttributionPolicy` the sales were
            attributed under.
        time_zone: the brand's IANA zone, in which days are taken.
        totals: the scope's :class:`Figures`.
        stores: one :class:`StoreResults` per store, by ``store_id``.
        sellers: one :class:`SellerResults` per seller, by store then seller code.
        days: one :class:`DayResults` per day of the period, in order.
        sales: one :class:`SaleRow` per attributed sale, by purchase then order id.

    >>> from otocore.results import compute_results
    >>> empty = compute_results(first_day=date(2026, 11, 1), last_day=date(2026, 11, 2))
    >>> empty.totals == Figures.zero(), len(empty.days), empty.ranking
    (True, 2, ())
    """

    first_day: date = attrs.field(validator=v.local_date)
    last_day: date = attrs.field(validator=v.local_date)
    scope: Scope = attrs.field(validator=v.instance_of(Scope))
    policy: AttributionPolicy = attrs.field(validator=v.instance_of(AttributionPolicy))
    time_zone: str = attrs.field(default=DEFAULT_TIME_ZONE, validator=v.time_zone)
    totals: Figures = attrs.field(validator=v.instance_of(Figures))
    stores: tuple[StoreResults, ...] = attrs.field(
        converter=v.list_to_tuple, validator=tuple_of(StoreResults)
    )
    sellers: tuple[SellerResults, ...] = attrs.field(
        converter=v.list_to_tuple, validator=tuple_of(SellerResults)
    )
    days: tuple[DayResults, ...] = attrs.field(
        converter=v.list_to_tuple, validator=tuple_of(DayResults)
    )
    sales: tuple[SaleRow, ...] = attrs.field(converter=v.list_to_tuple, validator=tuple_of(SaleRow))

    def __attrs_post_init__(self) -> None:
        faults = _faults(self)
        if faults:
            raise ValidationError.collect(faults)

    @property
    def ranking(self) -> tuple[SellerResults, ...]:
        """Ranking dos vendedores: attributed revenue (gross), then attributed sales, both
        descending, then seller code.

        >>> from otocore.results import compute_results
        >>> compute_results(first_day=date(2026, 11, 1), last_day=date(2026, 11, 1)).ranking
        ()
        """
        return tuple(sorted(self.sellers, key=_ranking_key))

    def seller(self, seller_code: str) -> SellerResults:
        """The row of ``seller_code``; a :class:`~otocore.errors.ValidationError` if none.

        >>> from otocore.results import compute_results
        >>> compute_results(first_day=date(2026, 11, 1), last_day=date(2026, 11, 1)).seller("V9")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: seller_code must be a seller of the results, got 'V9'
        """
        for row in self.sellers:
            if row.seller_code == seller_code:
                return row
        raise ValidationError("seller_code", seller_code, "must be a seller of the results")

    def to_rows(self, view: str = "totals") -> list[dict[str, Any]]:
        """One view as plain rows (dicts): ``totals``, ``stores``, ``sellers``, ``ranking``,
        ``days`` or ``sales``. Money is ``Decimal``, days are ``date``.

        >>> from otocore.results import compute_results
        >>> r = compute_results(first_day=date(2026, 11, 1), last_day=date(2026, 11, 1))
        >>> r.to_rows()[0]["revenue_gross"], r.to_rows("days")[0]["day"]
        (Decimal('0.00'), datetime.date(2026, 11, 1))
        """
        return _tables.result_rows(self, view)

    def to_frame(self, view: str = "totals", *, backend: str = "polars") -> Any:
        """One view as a data frame of ``backend`` (``polars``, ``pandas`` or ``pyarrow``,
        through narwhals): the rows of :meth:`to_rows`, the same numbers.

        >>> from otocore.results import compute_results
        >>> r = compute_results(first_day=date(2026, 11, 1), last_day=date(2026, 11, 1))
        >>> r.to_frame("days").shape
        (1, 8)
        """
        rows = self.to_rows(view)
        return _tables.to_frame(rows, _tables.RESULT_COLUMNS[view], backend)

    def _repr_html_(self) -> str:
        return _tables.results_html(self)


@attrs.frozen(kw_only=True)
class SellerComparison:
    """One seller's figures under two policies, side by side ("what if").

    >>> row = SellerComparison(
    ...     seller_code="V01",
    ...     seller_name="Ana",
    ...     store_id="L01",
    ...     base=Figures.zero(),
    ...     other=Figures.zero(),
    ... )
    >>> row.delta("revenue_gross")
    Decimal('0.00')
    """

    seller_code: str = attrs.field(validator=v.text(100))
    seller_name: str = attrs.field(validator=v.text(200))
    store_id: str = attrs.field(validator=v.text(100))
    base: Figures = attrs.field(validator=v.instance_of(Figures))
    other: Figures = attrs.field(validator=v.instance_of(Figures))

    def delta(self, figure: str) -> Any:
        """``other``'s figure minus ``base``'s (a figure of :class:`Figures`)."""
        return _delta(self.base, self.other, figure)


def _delta(base: Figures, other: Figures, figure: str) -> Any:
    if figure not in FIGURE_FIELDS:
        raise ValidationError("figure", figure, f"must be one of {', '.join(FIGURE_FIELDS)}")
    result: Any = getattr(other, figure) - getattr(base, figure)
    return result


@attrs.frozen(kw_only=True)
class Comparison:
    """E se? (what if): the same period and scope under two attribution policies.

    ``base`` is what the brand has, ``other`` the rule it considers; the sellers are the
    union of both sides, by store then seller code, and every delta is ``other - base``.
    Suggestions and conversations do not depend on the policy: only the sales, the revenue
    and the conversion's numerator move.

    >>> from otocore.attribution import AttributionPolicy
    >>> from otocore.results import compare_results
    >>> c = compare_results(
    ...     first_day=date(2026, 11, 1),
    ...     last_day=date(2026, 11, 1),
    ...     base=AttributionPolicy(),
    ...     other=AttributionPolicy(window_days=30),
    ... )
    >>> c.delta("attributed_sales"), c.to_rows()[0]["revenue_gross_delta"]
    (0, Decimal('0.00'))
    """

    base: Results = attrs.field(validator=v.instance_of(Results))
    other: Results = attrs.field(validator=v.instance_of(Results))
    sellers: tuple[SellerComparison, ...] = attrs.field(
        converter=v.list_to_tuple, validator=tuple_of(SellerComparison)
    )

    def delta(self, figure: str) -> Any:
        """The totals' ``figure`` under ``other`` minus under ``base``."""
        return _delta(self.base.totals, self.other.totals, figure)

    def to_rows(self, view: str = "totals") -> list[dict[str, Any]]:
        """``totals`` (one row) or ``sellers``: each figure as ``<figure>_base``,
        ``<figure>_other`` and ``<figure>_delta``.

        >>> from otocore.attribution import AttributionPolicy
        >>> from otocore.results import compare_results
        >>> c = compare_results(
        ...     first_day=date(2026, 11, 1),
        ...     last_day=date(2026, 11, 1),
        ...     base=AttributionPolicy(),
        ...     other=AttributionPolicy(),
        ... )
        >>> c.to_rows("sellers")
        []
        """
        return _tables.comparison_rows(self, view)

    def to_frame(self, view: str = "totals", *, backend: str = "polars") -> Any:
        """:meth:`to_rows` as a data frame of ``backend`` (through narwhals)."""
        rows = self.to_rows(view)
        return _tables.to_frame(rows, _tables.COMPARISON_COLUMNS[view], backend)

    def _repr_html_(self) -> str:
        return _tables.comparison_html(self)


_DAY_SUMMED = (
    "suggested",
    "started",
    "finished",
    "attributed_sales",
    "cancelled_sales",
    "revenue_gross",
    "revenue_net",
)


def _sum(rows: Any, name: str) -> Any:
    return sum((getattr(r, name) for r in rows), Decimal("0.00") if "revenue" in name else 0)


def _faults(r: Results) -> list[ValidationError]:
    """Every way the parts of ``r`` disagree with its totals."""
    faults: list[ValidationError] = []
    if r.last_day < r.first_day:
        faults.append(
            ValidationError(
                "Results.last_day", r.last_day, f"must be on or after first_day {r.first_day}"
            )
        )
        return faults
    stores = Figures.zero()
    by_store: dict[str, list[Figures]] = {}
    for seller in r.sellers:  # grouped once: 5,000 sellers in 500 stores is not 2.5M looks
        by_store.setdefault(seller.store_id, []).append(seller.figures)
    for i, store in enumerate(r.stores):
        added = sum(by_store.get(store.store_id, []), Figures.zero())
        if added != store.figures:
            faults.append(
                ValidationError(
                    f"Results.stores[{i}].figures", store.figures, "must be the sum of its sellers'"
                )
            )
        stores = stores + store.figures
    if {s.store_id for s in r.sellers} != {s.store_id for s in r.stores}:
        faults.append(
            ValidationError(
                "Results.stores",
                tuple(s.store_id for s in r.stores),
                "must be the stores of the sellers",
            )
        )
    if stores != r.totals:
        faults.append(ValidationError("Results.totals", r.totals, "must be the sum of the stores'"))
    expected_days = (r.last_day - r.first_day).days + 1
    if [d.day for d in r.days] != [
        date.fromordinal(r.first_day.toordinal() + i) for i in range(expected_days)
    ]:
        faults.append(
            ValidationError(
                "Results.days", len(r.days), "must be every day of the period, in order"
            )
        )
    for name in _DAY_SUMMED:
        if _sum(r.days, name) != getattr(r.totals, name):
            faults.append(
                ValidationError(
                    "Results.days", _sum(r.days, name), f"{name} must add up to the totals'"
                )
            )
    gross = _sum(r.sales, "total")
    net = sum((s.total for s in r.sales if not s.cancelled), Decimal("0.00"))
    if (len(r.sales), gross, net) != (
        r.totals.attributed_sales,
        r.totals.revenue_gross,
        r.totals.revenue_net,
    ):
        faults.append(
            ValidationError(
                "Results.sales",
                len(r.sales),
                "must be the attributed sales, their totals adding up to the revenue",
            )
        )
    return faults
