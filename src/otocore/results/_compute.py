"""The pure computation of the results views: inputs in, :class:`Results` out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE, local_day
from otocore.attribution import Attribution, AttributionPolicy, attribute
from otocore.contacts import Contact, ContactOutcome
from otocore.errors import ValidationError
from otocore.orders import Order
from otocore.report import DayFigures, ReportFigures, ReportTotals, SellerFigures
from otocore.results._results import Comparison, Results, SellerComparison
from otocore.results._values import (
    DayResults,
    Figures,
    SaleRow,
    Scope,
    SellerResults,
    StoreResults,
)
from otocore.sellers import Seller, SellerStatus
from otocore.suggestions import Suggestion

UNREGISTERED_STORE = "(sem loja)"
"""The store of a seller code that no registered seller has (contacts imported ahead of
their sellers): its figures are shown under this store, with the code as the name."""

_DEFAULT_POLICY = AttributionPolicy()
_ZERO = Decimal("0.00")


def period_bounds(first_day: date, last_day: date, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The first instant of ``first_day`` and the first instant after ``last_day``, in ``zone``.

    >>> period_bounds(date(2026, 11, 1), date(2026, 11, 30), ZoneInfo("America/Sao_Paulo"))
    ... # doctest: +NORMALIZE_WHITESPACE
    (datetime.datetime(2026, 11, 1, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='America/Sao_Paulo')),
     datetime.datetime(2026, 12, 1, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='America/Sao_Paulo')))
    """
    start = datetime.combine(first_day, time(0), tzinfo=zone)
    end = datetime.combine(last_day + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


class _Tally:
    """Mutable counters of one seller (or one day) while the figures are computed."""

    __slots__ = (
        "attributed_sales",
        "cancelled_sales",
        "converted",
        "finished",
        "revenue_gross",
        "revenue_net",
        "started",
        "suggested",
    )

    def __init__(self) -> None:
        self.suggested = self.started = self.finished = 0
        self.attributed_sales = self.cancelled_sales = 0
        self.revenue_gross = self.revenue_net = _ZERO
        self.converted: set[str] = set()

    def figures(self) -> Figures:
        return Figures(
            suggested=self.suggested,
            started=self.started,
            finished=self.finished,
            attributed_sales=self.attributed_sales,
            cancelled_sales=self.cancelled_sales,
            revenue_gross=self.revenue_gross,
            revenue_net=self.revenue_net,
            conversion_numerator=len(self.converted),
            conversion_denominator=self.started,
        )

    def day(self, day: date) -> DayResults:
        return DayResults(
            day=day,
            suggested=self.suggested,
            started=self.started,
            finished=self.finished,
            attributed_sales=self.attributed_sales,
            cancelled_sales=self.cancelled_sales,
            revenue_gross=self.revenue_gross,
            revenue_net=self.revenue_net,
        )


def compute_results(
    *,
    first_day: date,
    last_day: date,
    suggestions: Iterable[Suggestion] = (),
    contacts: Iterable[Contact] = (),
    orders: Iterable[Order] = (),
    sellers: Iterable[Seller] = (),
    quantities: Mapping[str, int] | None = None,
    scope: Scope | None = None,
    policy: AttributionPolicy = _DEFAULT_POLICY,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> Results:
    """The results of ``scope`` from ``first_day`` to ``last_day`` (local days, both included).

    Pure: the same inputs give the same :class:`Results`, whatever their order. The inputs
    may hold more than the period: suggestions count on their ``day``, contacts on the local
    day they started, sales on the local day the order was placed, each only within the
    period; contacts that started before the period (up to the window) still earn its
    orders. See the module docstring for every definition.

    Args:
        first_day: the period's first local day.
        last_day: its last local day (on or after ``first_day``).
        suggestions: the stored suggestions (any status).
        contacts: the registered contacts (any outcome).
        orders: the orders (any status: a CANCELLED order is a cancelled or returned sale).
        sellers: the registered sellers (any status): their names and stores. Active
            sellers of the scope get a row even with nothing in the period.
        quantities: each order's quantity of products (``order_id`` to the sum of its
            items' quantities), for the orders whose items are known; default none.
        scope: the :class:`Scope` (default the whole brand).
        policy: the :class:`~otocore.attribution.AttributionPolicy`.
        time_zone: the brand's IANA zone, in which days are taken.

    Returns:
        The :class:`Results`.

    Raises:
        ValidationError: a bad day, period, scope, policy, zone or input item.

    Examples:
        >>> compute_results(first_day=date(2026, 11, 2), last_day=date(2026, 11, 1))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: last_day must be on or after first_day 2026-11-02, got datetime.date(2026, 11, 1)
    """
    first_day = v.require_date("first_day", first_day)
    last_day = v.require_date("last_day", last_day)
    if last_day < first_day:
        raise ValidationError("last_day", last_day, f"must be on or after first_day {first_day}")
    scope = Scope() if scope is None else v.require_instance("scope", scope, Scope)
    policy = v.require_instance("policy", policy, AttributionPolicy)
    zone = v.zone("time_zone", time_zone)
    known = _quantities(quantities)
    directory = {s.code: s for s in v.iter_instances("sellers", sellers, Seller)}
    start, end = period_bounds(first_day, last_day, zone)

    def in_scope(code: str) -> bool:
        if scope.seller_code is not None:
            return code == scope.seller_code
        if scope.store_id is not None:
            return _store_of(code, directory) == scope.store_id
        return True

    per_seller: dict[str, _Tally] = defaultdict(_Tally)
    per_day: dict[date, _Tally] = defaultdict(_Tally)
    for s in v.iter_instances("suggestions", suggestions, Suggestion):
        if first_day <= s.day <= last_day and in_scope(s.seller_code):
            per_seller[s.seller_code].suggested += 1
            per_day[s.day].suggested += 1
    talks = list(v.iter_instances("contacts", contacts, Contact))
    for c in talks:
        if start <= c.started_at < end and in_scope(c.seller_code):
            day = local_day(c.started_at, zone)
            finished = c.outcome is ContactOutcome.FINISHED
            for tally in (per_seller[c.seller_code], per_day[day]):
                tally.started += 1
                tally.finished += finished
    period_orders = [
        o for o in v.iter_instances("orders", orders, Order) if start <= o.placed_at < end
    ]
    window_start = start - policy.window
    relevant = [c for c in talks if window_start <= c.started_at < end]
    found = attribute(period_orders, relevant, policy=policy)
    sales: list[SaleRow] = []
    for credit, cancelled in _credits(found.attributed, found.cancelled):
        if not in_scope(credit.seller_code):
            continue
        purchase = local_day(credit.placed_at, zone)
        seller_tally = per_seller[credit.seller_code]
        for tally in (seller_tally, per_day[purchase]):
            tally.attributed_sales += 1
            tally.cancelled_sales += cancelled
            tally.revenue_gross += credit.total
            if not cancelled:
                tally.revenue_net += credit.total
        if start <= credit.contact_started_at:  # the contact is one of the period's
            seller_tally.converted.add(credit.contact_id)
        sales.append(
            SaleRow(
                seller_code=credit.seller_code,
                order_id=credit.order_id,
                customer_id=credit.customer_id,
                store_id=credit.store_id,
                contact_id=credit.contact_id,
                contact_day=local_day(credit.contact_started_at, zone),
                purchase_day=purchase,
                product_quantity=_quantity(known, credit.order_id),
                total=credit.total,
                cancelled=cancelled,
            )
        )
    for code, seller in directory.items():
        if seller.status is SellerStatus.ACTIVE and in_scope(code):
            per_seller[code]
    rows = sorted(
        (
            SellerResults(
                seller_code=code,
                seller_name=directory[code].name if code in directory else code,
                store_id=_store_of(code, directory),
                figures=tally.figures(),
            )
            for code, tally in per_seller.items()
        ),
        key=lambda s: (s.store_id, s.seller_code),
    )
    by_store: dict[str, Figures] = {}
    for row in rows:
        by_store[row.store_id] = by_store.get(row.store_id, Figures.zero()) + row.figures
    days = [
        per_day.get(day, _Tally()).day(day)
        for day in (first_day + timedelta(days=i) for i in range((last_day - first_day).days + 1))
    ]
    sales.sort(key=lambda s: (s.purchase_day, s.order_id))
    return Results(
        first_day=first_day,
        last_day=last_day,
        scope=scope,
        policy=policy,
        time_zone=time_zone,
        totals=sum(by_store.values(), Figures.zero()),
        stores=[StoreResults(store_id=k, figures=f) for k, f in sorted(by_store.items())],
        sellers=rows,
        days=days,
        sales=sales,
    )


def _quantities(value: Any) -> Mapping[str, int]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ValidationError("quantities", value, "must be a mapping of order_id to quantity")
    return value


def _quantity(known: Mapping[str, int], order_id: str) -> int | None:
    """The order's quantity of products, checked when read (a store's mapping reads lazily)."""
    quantity = known.get(order_id)
    if quantity is not None:
        v.require_int(f"quantities[{order_id!r}]", quantity, min_value=0)
    return quantity


def _credits(
    attributed: Iterable[Attribution], cancelled: Iterable[Attribution]
) -> Iterable[tuple[Attribution, bool]]:
    yield from ((a, False) for a in attributed)
    yield from ((a, True) for a in cancelled)


def _store_of(code: str, directory: Mapping[str, Seller]) -> str:
    seller = directory.get(code)
    return UNREGISTERED_STORE if seller is None else seller.store_id


def compare_results(
    *,
    first_day: date,
    last_day: date,
    base: AttributionPolicy,
    other: AttributionPolicy,
    suggestions: Iterable[Suggestion] = (),
    contacts: Iterable[Contact] = (),
    orders: Iterable[Order] = (),
    sellers: Iterable[Seller] = (),
    quantities: Mapping[str, int] | None = None,
    scope: Scope | None = None,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> Comparison:
    """E se? (what if): the results of the same period and scope under ``base`` and ``other``.

    The inputs are read once and given to :func:`compute_results` twice; the sellers are
    the union of both sides (a seller with a row on one side has zeros on the other).

    >>> from otocore.attribution import AttributionPolicy
    >>> compare_results(
    ...     first_day=date(2026, 11, 1),
    ...     last_day=date(2026, 11, 1),
    ...     base=AttributionPolicy(),
    ...     other=None,
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: other must be an AttributionPolicy, got None
    """
    base = v.require_instance("base", base, AttributionPolicy)
    other = v.require_instance("other", other, AttributionPolicy)
    inputs: dict[str, Any] = {
        "first_day": first_day,
        "last_day": last_day,
        "suggestions": list(suggestions),
        "contacts": list(contacts),
        "orders": list(orders),
        "sellers": list(sellers),
        "quantities": quantities,
        "scope": scope,
        "time_zone": time_zone,
    }
    a = compute_results(policy=base, **inputs)
    b = compute_results(policy=other, **inputs)
    return comparison_of(a, b)


def comparison_of(base: Results, other: Results) -> Comparison:
    """Put two :class:`Results` of the same period and scope side by side.

    >>> from otocore.attribution import AttributionPolicy
    >>> nov = compute_results(first_day=date(2026, 11, 1), last_day=date(2026, 11, 1))
    >>> dec = compute_results(first_day=date(2026, 12, 1), last_day=date(2026, 12, 1))
    >>> comparison_of(nov, dec)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: other.first_day must be the base's first_day 2026-11-01, got datetime.date(2026, 12, 1)
    """
    base = v.require_instance("base", base, Results)
    other = v.require_instance("other", other, Results)
    for name in ("first_day", "last_day", "scope", "time_zone"):
        if getattr(base, name) != getattr(other, name):
            raise ValidationError(
                f"other.{name}",
                getattr(other, name),
                f"must be the base's {name} {getattr(base, name)}",
            )
    left = {s.seller_code: s for s in base.sellers}
    right = {s.seller_code: s for s in other.sellers}
    rows = []
    for code in left.keys() | right.keys():
        known = left.get(code) or right[code]
        rows.append(
            SellerComparison(
                seller_code=code,
                seller_name=known.seller_name,
                store_id=known.store_id,
                base=left[code].figures if code in left else Figures.zero(),
                other=right[code].figures if code in right else Figures.zero(),
            )
        )
    rows.sort(key=lambda s: (s.store_id, s.seller_code))
    return Comparison(base=base, other=other, sellers=rows)


def report_figures(results: Results, *, brand: str) -> ReportFigures:
    """The :class:`~otocore.report.ReportFigures` of ``results``, for :func:`~otocore.report.render_report`.

    Every figure maps one to one: the totals and each seller's row (suggested, started,
    finished, attributed sales, gross and net revenue, the conversion's numerator and
    denominator), and the daily trend (one point per day with an attributed sale: its
    sales and gross revenue). A store-scoped result makes a report of that store; a
    seller-scoped one a report of the seller's store with that one seller.

    >>> figures = report_figures(
    ...     compute_results(first_day=date(2026, 11, 1), last_day=date(2026, 11, 30)),
    ...     brand="Moda Exemplo",
    ... )
    >>> figures.totals.conversion_denominator, figures.trend
    (0, ())
    """
    results = v.require_instance("results", results, Results)
    sellers = [
        SellerFigures(
            seller_code=s.seller_code,
            seller_name=s.seller_name,
            store_id=s.store_id,
            suggested=s.figures.suggested,
            started=s.figures.started,
            finished=s.figures.finished,
            attributed_sales=s.figures.attributed_sales,
            revenue_gross=s.figures.revenue_gross,
            revenue_net=s.figures.revenue_net,
        )
        for s in results.sellers
    ]
    t = results.totals
    store_id = results.scope.store_id
    if results.scope.seller_code is not None and results.sellers:
        store_id = results.sellers[0].store_id
    return ReportFigures(
        brand=brand,
        store_id=store_id,
        first_day=results.first_day,
        last_day=results.last_day,
        totals=ReportTotals.of_sellers(
            sellers,
            conversion_numerator=t.conversion_numerator,
            conversion_denominator=t.conversion_denominator,
        ),
        sellers=sellers,
        trend=[
            DayFigures(day=d.day, attributed_sales=d.attributed_sales, revenue=d.revenue_gross)
            for d in results.days
            if d.attributed_sales
        ],
    )
