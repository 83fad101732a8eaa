"""The reference computation of the dashboards: values in, dashboards out (the oracle)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from otocore import _validate as v
from otocore._time import local_day
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.insights._dashboards import CustomerDashboard, StoreDashboard
from otocore.insights._values import (
    CustomerInsights,
    InsightsPolicy,
    LoyaltyShare,
    StoreFigures,
    StoreInsights,
    loyalty_key,
)
from otocore.orders import Channel, Order, OrderStatus

_DEFAULT_POLICY = InsightsPolicy()
_ZERO = Decimal("0.00")
DEFAULT_RETURN_WINDOW_DAYS = 30
"""The return window when the user sets none: 30 days after the first purchase day."""

Loyalty = tuple[str | None, str | None]


def compute_customer_insights(
    orders: Iterable[Order],
    *,
    as_of: date,
    policy: InsightsPolicy = _DEFAULT_POLICY,
) -> CustomerDashboard:
    """Every customer's dashboard figures on ``as_of``, from their orders.

    Only COMPLETED orders whose local day (in the policy's zone) is on or before ``as_of``
    count; a customer id of the policy's ``anonymous_customer_ids`` is nobody and gets no
    row. For each customer: ``total_spent`` and ``discounts`` add up those orders' totals
    and discounts (any channel), ``completed_orders`` counts them; ``visits`` counts the
    distinct local days with one of channel STORE, ``first_visit`` and ``last_visit`` are
    the earliest and latest of them. The frequency looks at the distinct local days with
    a completed order (any channel) in the window ``as_of - window_days < day <= as_of``:
    with ``n >= 2`` of them, the mean interval is ``span_days / (n - 1)``, where
    ``span_days`` is the last day minus the first (the mean of the gaps between
    consecutive days); it is WEEKLY at or below ``weekly_days``, FORTNIGHTLY at or below
    ``fortnightly_days``, MONTHLY at or below ``monthly_days``, else LESS_OFTEN. With one
    purchase day or none there is no interval and no class (``None``).

    Args:
        orders: the orders (any status, any customer); they may hold days after ``as_of``.
        as_of: the local day the figures are for.
        policy: the :class:`InsightsPolicy`.

    Returns:
        The :class:`CustomerDashboard`.

    Raises:
        ValidationError: a bad day, policy or order.

    Examples:
        >>> from datetime import datetime
        >>> from zoneinfo import ZoneInfo
        >>> SP = ZoneInfo("America/Sao_Paulo")
        >>> def sale(order_id, day, total, channel=Channel.STORE, discount="0.00"):
        ...     return Order(
        ...         order_id=order_id,
        ...         customer_id="ANA",
        ...         store_id="L01",
        ...         seller_code=None,
        ...         placed_at=datetime(2026, 11, day, 15, tzinfo=SP),
        ...         total=Decimal(total),
        ...         channel=channel,
        ...         discount=Decimal(discount),
        ...     )
        >>> ana = compute_customer_insights(
        ...     [
        ...         sale("P1", 2, "120.00", discount="10.00"),
        ...         sale("P2", 2, "30.00"),
        ...         sale("P3", 9, "90.00", Channel.ONLINE),
        ...         sale("P4", 16, "60.00"),
        ...     ],
        ...     as_of=date(2026, 11, 30),
        ... ).customer("ANA")
        >>> ana.total_spent, ana.discounts, ana.completed_orders, ana.average_ticket
        (Decimal('300.00'), Decimal('10.00'), 4, Decimal('75.00'))
        >>> ana.visits, ana.first_visit, ana.last_visit
        (2, datetime.date(2026, 11, 2), datetime.date(2026, 11, 16))
        >>> ana.purchase_days, ana.span_days, ana.mean_interval_days, ana.frequency
        (3, 14, Decimal('7.0'), <FrequencyClass.WEEKLY: 'weekly'>)
        >>> compute_customer_insights([], as_of="2026-11-30")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: as_of must be a datetime.date (a local calendar day), got '2026-11-30'
    """
    as_of = v.require_date("as_of", as_of)
    policy = v.require_instance("policy", policy, InsightsPolicy)
    zone = v.zone("time_zone", policy.time_zone)
    spent: dict[str, Decimal] = defaultdict(lambda: _ZERO)
    discounts: dict[str, Decimal] = defaultdict(lambda: _ZERO)
    count: dict[str, int] = defaultdict(int)
    visits: dict[str, set[date]] = defaultdict(set)
    bought: dict[str, set[date]] = defaultdict(set)
    for order in v.iter_instances("orders", orders, Order):
        if order.status is not OrderStatus.COMPLETED:
            continue
        who = order.customer_id
        if who in policy.anonymous_customer_ids:
            continue
        day = local_day(order.placed_at, zone)
        if day > as_of:
            continue
        spent[who] += order.total
        discounts[who] += order.discount
        count[who] += 1
        if order.channel is Channel.STORE:
            visits[who].add(day)
        if (as_of - day).days < policy.window_days:
            bought[who].add(day)
    rows = []
    for who in sorted(count):
        days = bought.get(who, set())
        span = (max(days) - min(days)).days if len(days) >= 2 else 0
        stores = visits.get(who, set())
        rows.append(
            CustomerInsights(
                customer_id=who,
                total_spent=spent[who],
                discounts=discounts[who],
                completed_orders=count[who],
                visits=len(stores),
                first_visit=min(stores) if stores else None,
                last_visit=max(stores) if stores else None,
                purchase_days=len(days),
                span_days=span,
                frequency=policy.frequency_of(span, len(days) - 1),
            )
        )
    return CustomerDashboard(as_of=as_of, policy=policy, customers=rows)


def customer_insights(
    customer_id: str,
    orders: Iterable[Order],
    *,
    as_of: date,
    policy: InsightsPolicy = _DEFAULT_POLICY,
) -> CustomerInsights:
    """One customer's figures: :func:`compute_customer_insights` of their orders.

    ``orders`` may hold other customers' orders (they are skipped). A customer without a
    completed order gets :meth:`CustomerInsights.nothing`.

    >>> customer_insights("C1", [], as_of=date(2026, 11, 30)).frequency is None
    True
    """
    customer_id = v.require_text("customer_id", customer_id, max_length=100)
    mine = [o for o in v.iter_instances("orders", orders, Order) if o.customer_id == customer_id]
    return compute_customer_insights(mine, as_of=as_of, policy=policy).customer(customer_id)


def compute_store_insights(
    *,
    first_day: date,
    last_day: date,
    orders: Iterable[Order] = (),
    customers: Iterable[Customer] = (),
    return_window_days: int = DEFAULT_RETURN_WINDOW_DAYS,
    store_id: str | None = None,
    policy: InsightsPolicy = _DEFAULT_POLICY,
) -> StoreDashboard:
    """The period's figures by store and for the brand (or for one store).

    The period's sales are the COMPLETED orders (any channel) whose local day is from
    ``first_day`` to ``last_day``, each at its ``store_id``. A sale's customer is
    *identified* when the order's ``customer_id`` is a registered customer (one of
    ``customers``) and not one of the policy's ``anonymous_customer_ids``; the other
    sales are the sales without a customer (vendas sem clientes). For a store:

    * ``sales``/``revenue``: the period's sales and their totals; ``identified_*`` those
      of identified customers (the rest is ``unidentified_*``);
    * ``customers``: the distinct identified customers of the period's sales;
      ``average_sale_per_customer`` is ``identified_revenue / customers``;
    * ``returning_customers``: of those customers, the ones with another COMPLETED order
      at the store whose local day ``d`` is ``d0 < d <= d0 + return_window_days``, where
      ``d0`` is their first purchase day at the store in the period: a second purchase
      on the same day is not a return, and a return may fall after the period (the
      figure is final once ``last_day + return_window_days`` has passed);
      ``return_rate`` is ``returning_customers / customers``;
    * ``loyalty``: the ``customers`` by their :class:`~otocore.customers.Loyalty`
      program and category (a row for the customers in no program), each with its share
      of ``customers``.

    The brand's figures are the same rule with every store as one: a customer counts
    once, and a return at any store counts. With ``store_id``, the dashboard has that
    store only and its figures are the totals.

    Args:
        first_day: the period's first local day.
        last_day: its last local day (on or after ``first_day``).
        orders: the orders (any status); for the returns, up to ``last_day`` plus the
            window.
        customers: the registered customers (their loyalty).
        return_window_days: N, the return window in days (1 to 3650).
        store_id: one store, or ``None`` for every store.
        policy: the :class:`InsightsPolicy`.

    Returns:
        The :class:`StoreDashboard`.

    Raises:
        ValidationError: a bad day, period, window, policy, order or customer.

    Examples:
        >>> from datetime import UTC, datetime
        >>> from zoneinfo import ZoneInfo
        >>> from otocore.customers import Loyalty
        >>> SP = ZoneInfo("America/Sao_Paulo")
        >>> def sale(order_id, customer_id, day, total):
        ...     return Order(
        ...         order_id=order_id,
        ...         customer_id=customer_id,
        ...         store_id="L01",
        ...         seller_code=None,
        ...         placed_at=datetime(2026, 11, day, 15, tzinfo=SP),
        ...         total=Decimal(total),
        ...     )
        >>> def person(customer_id, loyalty=None):
        ...     at = datetime(2026, 1, 1, tzinfo=UTC)
        ...     return Customer(
        ...         customer_id=customer_id, name="Ana", registered_at=at, loyalty=loyalty
        ...     )
        >>> d = compute_store_insights(
        ...     first_day=date(2026, 11, 1),
        ...     last_day=date(2026, 11, 15),
        ...     orders=[
        ...         sale("P1", "ANA", 2, "100.00"),
        ...         sale("P2", "ANA", 20, "50.00"),  # after the period: a return
        ...         sale("P3", "BIA", 3, "80.00"),
        ...         sale("P4", "0", 3, "40.00"),  # the tills' "não identificado"
        ...     ],
        ...     customers=[person("ANA", Loyalty(program="Clube", category="Ouro")), person("BIA")],
        ...     return_window_days=30,
        ...     policy=InsightsPolicy(anonymous_customer_ids={"0"}),
        ... )
        >>> t = d.totals
        >>> t.sales, t.revenue, t.unidentified_sales, t.unidentified_revenue
        (3, Decimal('220.00'), 1, Decimal('40.00'))
        >>> t.customers, t.average_sale_per_customer, t.returning_customers, t.return_rate
        (2, Decimal('90.00'), 1, Decimal('0.5000'))
        >>> [(s.program, s.category, s.customers, s.share) for s in t.loyalty]
        [('Clube', 'Ouro', 1, Decimal('0.5000')), (None, None, 1, Decimal('0.5000'))]
        >>> compute_store_insights(
        ...     first_day=date(2026, 11, 1), last_day=date(2026, 11, 15), return_window_days=0
        ... )
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: return_window_days must be >= 1, got 0
    """
    first_day = v.require_date("first_day", first_day)
    last_day = v.require_date("last_day", last_day)
    if last_day < first_day:
        raise ValidationError("last_day", last_day, f"must be on or after first_day {first_day}")
    window = v.require_int("return_window_days", return_window_days, min_value=1, max_value=3650)
    if store_id is not None:
        store_id = v.require_text("store_id", store_id, max_length=100)
    policy = v.require_instance("policy", policy, InsightsPolicy)
    zone = v.zone("time_zone", policy.time_zone)
    registered: dict[str, Loyalty] = {}
    for c in v.iter_instances("customers", customers, Customer):
        loyalty = c.loyalty
        registered[c.customer_id] = (
            (None, None) if loyalty is None else (loyalty.program, loyalty.category)
        )
    for anonymous in policy.anonymous_customer_ids:
        registered.pop(anonymous, None)
    # the COMPLETED orders as (store, customer, day, total), of the store if one is asked
    sold = [
        (o.store_id, o.customer_id, local_day(o.placed_at, zone), o.total)
        for o in v.iter_instances("orders", orders, Order)
        if o.status is OrderStatus.COMPLETED and (store_id is None or o.store_id == store_id)
    ]
    by_store: dict[str, list[tuple[str, date, Decimal]]] = defaultdict(list)
    for store, who, day, total in sold:
        by_store[store].append((who, day, total))
    stores = []
    for store in sorted(by_store):
        figures = _figures(by_store[store], first_day, last_day, window, registered)
        if figures.sales:
            stores.append(StoreInsights(store_id=store, figures=figures))
    brand = [(who, day, total) for _, who, day, total in sold]
    return StoreDashboard(
        first_day=first_day,
        last_day=last_day,
        return_window_days=window,
        policy=policy,
        totals=_figures(brand, first_day, last_day, window, registered),
        stores=stores,
    )


def _figures(
    sold: list[tuple[str, date, Decimal]],
    first_day: date,
    last_day: date,
    window: int,
    registered: Mapping[str, Loyalty],
) -> StoreFigures:
    """The figures of one scope's completed orders ``(customer, day, total)``."""
    sales = identified_sales = 0
    revenue = identified_revenue = _ZERO
    first: dict[str, date] = {}
    for who, day, total in sold:
        if not first_day <= day <= last_day:
            continue
        sales += 1
        revenue += total
        if who in registered:
            identified_sales += 1
            identified_revenue += total
            if who not in first or day < first[who]:
                first[who] = day
    returned = {
        who for who, day, _ in sold if who in first and 0 < (day - first[who]).days <= window
    }
    tally: dict[Loyalty, int] = defaultdict(int)
    for who in first:
        tally[registered[who]] += 1
    loyalty = sorted(
        (
            LoyaltyShare(program=p, category=c, customers=n, denominator=len(first))
            for (p, c), n in tally.items()
        ),
        key=loyalty_key,
    )
    return StoreFigures(
        sales=sales,
        revenue=revenue,
        identified_sales=identified_sales,
        identified_revenue=identified_revenue,
        customers=len(first),
        returning_customers=len(returned),
        loyalty=loyalty,
    )
