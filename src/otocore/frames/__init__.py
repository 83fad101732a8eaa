"""Regras em colunas (columnar rules): RFV, preferred sellers, attribution, the customer dashboard.

The batch twins of :func:`otocore.rfv.rfv_scores`,
:func:`otocore.distribution.preferred_sellers`,
:func:`otocore.attribution.attribute` and the customer dashboard's
(:mod:`otocore.insights`): the same rules, to the centavo
and the tie-break, over a frame of orders instead of :class:`~otocore.orders.Order`
objects, returning a frame of the same library. pandas, Polars (eager and
lazy), PyArrow tables and DuckDB relations are accepted, with one
implementation written in `narwhals <https://narwhals-dev.github.io/narwhals/>`_;
a lazy input gives a lazy result (nothing is collected). The reference rules
stay the oracle: differential tests compare every engine with them.

**The orders frame** (see the *Engines* page for the table): ``order_id``,
``customer_id``, ``store_id`` (strings or integers), ``seller_code`` (strings,
null for an order without a seller), ``placed_at`` (a time-zone-aware
timestamp, any zone), ``total_cents`` (integer centavos, >= 0) and ``status``
(``"completed"`` or ``"cancelled"``). Other columns are ignored. A missing
column, a wrong type or a naive timestamp is a
:class:`~otocore.errors.ValidationError` naming the column (``orders.placed_at``)
before any work; for an eager frame, nulls, negative totals and unknown
statuses are too (a lazy frame gets the schema checks only, since checking its
data would run it).

>>> from datetime import date, datetime
>>> from zoneinfo import ZoneInfo
>>> import polars as pl
>>> SP = ZoneInfo("America/Sao_Paulo")
>>> orders = pl.DataFrame(
...     {
...         "order_id": ["P1", "P2", "P3", "P4"],
...         "customer_id": ["ANA", "ANA", "BIA", "BIA"],
...         "store_id": ["L01", "L01", "L01", "L02"],
...         "seller_code": ["V01", "V02", "V02", None],
...         "placed_at": [
...             datetime(2026, 5, 8, 12, tzinfo=SP),
...             datetime(2026, 4, 1, 12, tzinfo=SP),
...             datetime(2026, 5, 1, 12, tzinfo=SP),
...             datetime(2026, 5, 2, 12, tzinfo=SP),
...         ],
...         "total_cents": [30000, 20000, 12000, 5000],
...         "status": ["completed", "completed", "completed", "cancelled"],
...     }
... )
>>> rfv_scores(orders, date(2026, 5, 10)).rows()
[('ANA', 2, 2, 50000, 3, 3, 3, 'need_attention'), ('BIA', 9, 1, 12000, 1, 1, 1, 'hibernating')]
>>> preferred_sellers(orders, date(2026, 5, 10)).select(
...     "customer_id", "seller_code", "decided_by"
... ).rows()
[('ANA', 'V01', 'most_recent_sale'), ('BIA', 'V02', 'only_candidate')]
>>> rfv_scores(orders.drop("placed_at"), date(2026, 5, 10))
Traceback (most recent call last):
...
otocore.errors.ValidationError: orders.placed_at must be a column of the orders frame (a time-zone-aware timestamp); the frame's columns are, got ['order_id', 'customer_id', 'store_id', 'seller_code', 'total_cents', 'status']
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, timedelta
from typing import Any, TypeVar

import narwhals as nw

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE, window_start
from otocore.attribution import AttributionPolicy
from otocore.distribution import PreferredSellerPolicy
from otocore.errors import ValidationError
from otocore.frames import _contract, _insights, _rules
from otocore.frames._contract import contacts_frame, orders_frame, to_caller
from otocore.frames._rules import attribution_plan, preferred_plan, rfv_plan
from otocore.rfv import RfvPolicy

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "CONTACT_COLUMNS",
    "CUSTOMER_INSIGHT_COLUMNS",
    "LOYALTY_COLUMNS",
    "ORDER_COLUMNS",
    "PREFERRED_COLUMNS",
    "REGISTRY_COLUMNS",
    "RFV_COLUMNS",
    "STORE_INSIGHT_COLUMNS",
    "attribute",
    "customer_insights",
    "loyalty_participation",
    "preferred_sellers",
    "rfv_scores",
    "store_insights",
]

FrameT = TypeVar("FrameT")

ORDER_COLUMNS: tuple[str, ...] = _contract.ORDER_COLUMNS
"""The columns an orders frame must have, in the contract's order."""

RFV_COLUMNS: tuple[str, ...] = _rules.RFV_COLUMNS
"""The columns of :func:`rfv_scores`' result, in order."""

PREFERRED_COLUMNS: tuple[str, ...] = _rules.PREFERRED_COLUMNS
"""The columns of :func:`preferred_sellers`' result, in order."""

CONTACT_COLUMNS: tuple[str, ...] = _contract.CONTACT_COLUMNS
"""The columns a contacts frame must have (:func:`attribute`), in the contract's order."""

ATTRIBUTION_COLUMNS: tuple[str, ...] = _rules.ATTRIBUTION_COLUMNS
"""The columns of :func:`attribute`'s result, in order."""

CUSTOMER_INSIGHT_COLUMNS: tuple[str, ...] = _insights.CUSTOMER_INSIGHT_COLUMNS
"""The columns of :func:`customer_insights`' result, in order."""

STORE_INSIGHT_COLUMNS: tuple[str, ...] = _insights.STORE_INSIGHT_COLUMNS
"""The columns of :func:`store_insights`' result, in order."""

LOYALTY_COLUMNS: tuple[str, ...] = _insights.LOYALTY_COLUMNS
"""The columns of :func:`loyalty_participation`'s result, in order."""

REGISTRY_COLUMNS: tuple[str, ...] = _insights.REGISTRY_COLUMNS
"""The columns a customers frame must have (:func:`store_insights`), in order."""


def rfv_scores(
    orders: FrameT,
    as_of: date,
    *,
    policy: RfvPolicy = RfvPolicy(),  # noqa: B008 - a frozen value, as in otocore.rfv
) -> FrameT:
    """RFV raw values, scores and segment of every customer: :func:`otocore.rfv.rfv_scores` on a frame.

    The rule is the reference's, exactly (the *RFV* page): an order's day is
    its ``placed_at`` in the policy's zone; COMPLETED orders on or before
    ``as_of`` count; ``recency_days`` is over all that history, ``frequency``
    and ``value_cents`` over the window ``as_of - window < day <= as_of``; R,
    F and V are ``1 + floor(bins * w / n)`` (``w`` customers strictly worse)
    or the policy's thresholds; the segment is the grid's cell ``(r, f)``.
    A repeated ``order_id`` in an eager frame is a ValidationError, as in the
    reference.

    Args:
        orders: the brand's orders, a frame following the contract (module docstring).
        as_of: the local day the scores are for.
        policy: the brand's :class:`~otocore.rfv.RfvPolicy`.

    Returns:
        A frame of the same library (lazy for a lazy input) with the columns
        :data:`RFV_COLUMNS`, one row per scored customer, sorted by
        ``customer_id``; ``value_cents`` is integer centavos.

    Examples:
        >>> from datetime import UTC, datetime
        >>> import polars as pl
        >>> orders = pl.DataFrame(
        ...     {
        ...         "order_id": [1, 2, 3],
        ...         "customer_id": [10, 20, 30],
        ...         "store_id": [1, 1, 1],
        ...         "seller_code": [None, None, None],
        ...         "placed_at": [datetime(2026, 5, d, 15, tzinfo=UTC) for d in (1, 5, 9)],
        ...         "total_cents": [1000, 1000, 1000],
        ...         "status": ["completed", "completed", "cancelled"],
        ...     },
        ...     schema_overrides={"seller_code": pl.String},
        ... )
        >>> rfv_scores(orders.lazy(), date(2026, 5, 10)).collect().select(
        ...     "customer_id", "r", "f", "v"
        ... ).rows()
        [(10, 1, 1, 1), (20, 3, 1, 1)]
    """
    v.require_instance("policy", policy, RfvPolicy)
    v.require_date("as_of", as_of)
    try:
        start = window_start(as_of, policy.window)
    except (OverflowError, ValueError):
        raise ValidationError(
            "as_of", as_of, "is too early for the policy's window (as_of - window is before year 1)"
        ) from None
    checked = orders_frame(orders, unique_ids=True)
    result: FrameT = to_caller(rfv_plan(checked, as_of, start, policy), checked)
    return result


def preferred_sellers(
    orders: FrameT,
    as_of: date,
    *,
    policy: PreferredSellerPolicy = PreferredSellerPolicy(),  # noqa: B008 - a frozen value
    eligible: Collection[str] | None = None,
) -> FrameT:
    """The preferred seller of every customer: :func:`otocore.distribution.preferred_sellers` on a frame.

    The rule is the reference's, exactly (the *Preferred seller* page):
    COMPLETED orders with a seller code whose local day is in the window (and,
    with ``eligible``, whose seller is in it) are candidates; a seller's visits
    are its distinct ``(store_id, local day)`` pairs, its tally ``min(visits,
    cap)``; the highest tally wins, then the latest sale (as instants), then
    the lowest seller code in code-point order. ``decided_by`` names the rule
    that put the winner ahead of the runner-up (:class:`~otocore.distribution.DecidedBy`'s values).

    Args:
        orders: the brand's orders, a frame following the contract (module docstring).
        as_of: the local day the rule is computed for.
        policy: the :class:`~otocore.distribution.PreferredSellerPolicy`.
        eligible: the seller codes allowed to win, or ``None`` for all.

    Returns:
        A frame of the same library (lazy for a lazy input) with the columns
        :data:`PREFERRED_COLUMNS`, one row per customer with a candidate,
        sorted by ``customer_id``. ``last_sale_at`` is in UTC (on DuckDB, a
        ``TIMESTAMPTZ``: an instant, shown in the connection's time zone).

    Examples:
        >>> from datetime import UTC, datetime
        >>> import polars as pl
        >>> orders = pl.DataFrame(
        ...     {
        ...         "order_id": ["P1", "P2", "P3"],
        ...         "customer_id": ["C1", "C1", "C1"],
        ...         "store_id": ["L1", "L1", "L1"],
        ...         "seller_code": ["V9", "V10", "V10"],
        ...         "placed_at": [datetime(2026, 1, 5, 15, tzinfo=UTC)] * 3,
        ...         "total_cents": [1000, 1000, 1000],
        ...         "status": ["completed"] * 3,
        ...     }
        ... )
        >>> preferred_sellers(orders, date(2026, 1, 31)).rows()
        [('C1', 'V10', 1, 1, datetime.datetime(2026, 1, 5, 15, 0, tzinfo=zoneinfo.ZoneInfo(key='UTC')), 'seller_code')]
        >>> preferred_sellers(orders, date(2026, 1, 31), eligible={"V01"}).height
        0
    """
    v.require_instance("policy", policy, PreferredSellerPolicy)
    allowed = _check_eligible(eligible)
    v.require_date("as_of", as_of)
    try:
        start = window_start(as_of, policy.window)
        as_of + timedelta(days=2)
    except (OverflowError, ValueError):
        raise ValidationError(
            "as_of", as_of, "must leave room for the window on the calendar"
        ) from None
    checked = orders_frame(orders, unique_ids=False)
    result: FrameT = to_caller(preferred_plan(checked, as_of, start, policy, allowed), checked)
    return result


def attribute(
    orders: FrameT,
    contacts: Any,
    *,
    policy: AttributionPolicy = AttributionPolicy(),  # noqa: B008 - a frozen value
    include_cancelled: bool = False,
) -> FrameT:
    """The attributed sales: :func:`otocore.attribution.attribute` on two frames.

    The rule is the reference's, exactly (the *Attribution* page): an order is
    attributed to a contact of its customer with ``placed_at - window <=
    started_at < placed_at`` (instants, to the microsecond); an online order
    with a seller code only to a contact of that seller; LAST_CONTACT takes
    the latest start, FIRST_CONTACT the earliest, a tie the lowest
    ``contact_id``. Only COMPLETED orders are attributed, unless
    ``include_cancelled``: then the cancelled orders come too, with the
    contact they would have had (the reference's ``attributed`` and
    ``cancelled`` together), told apart by ``status``.

    Args:
        orders: the brand's orders, a frame following the contract (module
            docstring) plus a ``channel`` column (``"store"``, ``"online"`` or
            ``"telesales"``); ``order_id`` unique.
        contacts: the registered contacts, a frame of the same library with
            :data:`CONTACT_COLUMNS`: ``contact_id`` (unique) and
            ``customer_id`` (strings or integers, the same kind as the
            orders'), ``seller_code`` (strings), ``started_at`` (aware
            timestamp); no nulls.
        policy: the brand's :class:`~otocore.attribution.AttributionPolicy`.
        include_cancelled: also return the cancelled orders a contact would
            have earned.

    Returns:
        A frame of the same library (lazy for a lazy input) with the columns
        :data:`ATTRIBUTION_COLUMNS`, one row per attributed order, sorted by
        ``placed_at`` then ``order_id``; ``total_cents`` is integer centavos,
        ``placed_at`` and ``contact_started_at`` are in UTC (on DuckDB, a
        ``TIMESTAMPTZ``).

    Examples:
        >>> from datetime import UTC, datetime
        >>> import polars as pl
        >>> orders = pl.DataFrame(
        ...     {
        ...         "order_id": ["P1", "P2"],
        ...         "customer_id": ["ANA", "ANA"],
        ...         "store_id": ["L01", "L01"],
        ...         "seller_code": [None, "V02"],
        ...         "placed_at": [
        ...             datetime(2026, 5, 8, tzinfo=UTC),
        ...             datetime(2026, 5, 9, tzinfo=UTC),
        ...         ],
        ...         "total_cents": [19990, 5000],
        ...         "status": ["completed", "completed"],
        ...         "channel": ["store", "online"],
        ...     }
        ... )
        >>> contacts = pl.DataFrame(
        ...     {
        ...         "contact_id": ["A1", "A2"],
        ...         "seller_code": ["V02", "V01"],
        ...         "customer_id": ["ANA", "ANA"],
        ...         "started_at": [
        ...             datetime(2026, 5, 2, tzinfo=UTC),
        ...             datetime(2026, 5, 5, tzinfo=UTC),
        ...         ],
        ...     }
        ... )
        >>> attribute(orders, contacts).select("order_id", "contact_id", "seller_code").rows()
        [('P1', 'A2', 'V01'), ('P2', 'A1', 'V02')]
        >>> attribute(orders, contacts.drop("started_at"))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: contacts.started_at must be a column of the contacts frame (a time-zone-aware timestamp); the frame's columns are, got ['contact_id', 'seller_code', 'customer_id']
    """
    v.require_instance("policy", policy, AttributionPolicy)
    v.require_bool("include_cancelled", include_cancelled)
    checked = orders_frame(orders, unique_ids=True, channel=True)
    talks = contacts_frame(contacts, checked)
    plan = attribution_plan(checked, talks, policy, include_cancelled=include_cancelled)
    result: FrameT = to_caller(plan, checked)
    return result


def _check_eligible(eligible: Any) -> frozenset[str] | None:
    if eligible is None:
        return None
    rule = "must be a collection (e.g. a set) of seller codes, or None"
    if isinstance(eligible, str | bytes) or not isinstance(eligible, Collection):
        raise ValidationError("eligible", eligible, rule)
    for code in eligible:
        if not isinstance(code, str):
            raise ValidationError("eligible", code, "must contain only seller codes (str)")
    return frozenset(eligible)


def customer_insights(
    orders: FrameT,
    as_of: date,
    *,
    weekly_days: int = 7,
    fortnightly_days: int = 15,
    monthly_days: int = 31,
    window_days: int = 365,
    anonymous_customer_ids: Collection[str] = frozenset(),
    time_zone: str = DEFAULT_TIME_ZONE,
) -> FrameT:
    """Every customer's dashboard figures: :func:`otocore.insights.compute_customer_insights` on a frame.

    The rule is the reference's, exactly (the *Customer dashboard* page): COMPLETED
    orders whose local day is on or before ``as_of`` count; totals and discounts add up,
    visits are the distinct local days with a STORE order, the frequency is the class of
    ``span_days / (purchase_days - 1)`` over the purchase days of the window
    ``as_of - window_days < day <= as_of``, null with fewer than two. The arguments are
    :class:`~otocore.insights.InsightsPolicy`'s fields.

    Args:
        orders: a frame following the orders contract (module docstring) plus ``channel``,
            with string ``customer_id`` and ``store_id``, and optionally
            ``discount_cents`` (integer centavos >= 0; 0 when absent).
        as_of: the local day the figures are for.
        weekly_days: the class thresholds, in days (each above the last).
        fortnightly_days: see ``weekly_days``.
        monthly_days: see ``weekly_days``.
        window_days: the frequency's window, in days.
        anonymous_customer_ids: the ids of the sales without a customer (no row).
        time_zone: the brand's IANA zone.

    Returns:
        A frame of the same library (lazy for a lazy input) with
        :data:`CUSTOMER_INSIGHT_COLUMNS`, one row per customer, sorted by ``customer_id``:
        money in integer centavos, ``first_visit``/``last_visit`` as day numbers (days since
        1970-01-01; null without a visit, so pandas holds them as floats with NaN),
        ``frequency`` the class's value or null.

    Examples:
        >>> from datetime import UTC, datetime
        >>> import polars as pl
        >>> orders = pl.DataFrame(
        ...     {
        ...         "order_id": ["P1", "P2", "P3"],
        ...         "customer_id": ["ANA", "ANA", "ANA"],
        ...         "store_id": ["L01", "L01", "L01"],
        ...         "seller_code": [None, None, None],
        ...         "placed_at": [datetime(2026, 11, d, 15, tzinfo=UTC) for d in (2, 9, 16)],
        ...         "total_cents": [10000, 5000, 15000],
        ...         "status": ["completed"] * 3,
        ...         "channel": ["store", "online", "store"],
        ...         "discount_cents": [1000, 0, 0],
        ...     },
        ...     schema_overrides={"seller_code": pl.String},
        ... )
        >>> customer_insights(orders, date(2026, 11, 30)).rows()
        [('ANA', 30000, 1000, 3, 2, 20759, 20773, 3, 14, 'weekly')]
    """
    v.require_date("as_of", as_of)
    thresholds = (
        v.require_int("weekly_days", weekly_days, min_value=1),
        v.require_int("fortnightly_days", fortnightly_days, min_value=weekly_days + 1),
        v.require_int("monthly_days", monthly_days, min_value=fortnightly_days + 1),
    )
    v.require_int("window_days", window_days, min_value=1)
    v.zone("time_zone", time_zone)
    anonymous = _check_ids(anonymous_customer_ids)
    checked = orders_frame(orders, unique_ids=True, channel=True)
    _insights.require_text_ids(checked)
    frame = _insights.require_discounts(checked)
    plan = _insights.customer_plan(frame, as_of, window_days, thresholds, time_zone, anonymous)
    result: FrameT = to_caller(plan, checked)
    return result


_BRAND = ""


def store_insights(
    orders: FrameT,
    customers: Any,
    *,
    first_day: date,
    last_day: date,
    return_window_days: int = 30,
    anonymous_customer_ids: Collection[str] = frozenset(),
    time_zone: str = DEFAULT_TIME_ZONE,
    brand: bool = False,
) -> FrameT:
    """A period's figures per store: :func:`otocore.insights.compute_store_insights` on frames.

    The rule is the reference's, exactly (the *Customer dashboard* page): the period's
    COMPLETED orders by store; a customer is identified when registered (a row of
    ``customers``) and not anonymous; a customer returns with another COMPLETED order at
    the store on a local day ``d0 < d <= d0 + return_window_days`` after their first
    purchase day ``d0`` in the period. ``brand`` computes the brand's one row instead (every
    store as one; ``store_id`` null).

    Args:
        orders: as for :func:`customer_insights`; up to ``last_day`` plus the window.
        customers: the registered customers, a frame of the same library with
            :data:`REGISTRY_COLUMNS` (strings; the loyalty columns may be null).
        first_day: the period's first local day.
        last_day: its last local day.
        return_window_days: N, in days.
        anonymous_customer_ids: the ids of the sales without a customer.
        time_zone: the brand's IANA zone.
        brand: the brand's row instead of the stores'.

    Returns:
        A frame of the same library (lazy for a lazy input) with
        :data:`STORE_INSIGHT_COLUMNS`, one row per store with a sale, sorted by
        ``store_id``; money in integer centavos.

    Examples:
        >>> from datetime import UTC, datetime
        >>> import polars as pl
        >>> orders = pl.DataFrame(
        ...     {
        ...         "order_id": ["P1", "P2", "P3"],
        ...         "customer_id": ["ANA", "ANA", "0"],
        ...         "store_id": ["L01", "L01", "L01"],
        ...         "seller_code": [None, None, None],
        ...         "placed_at": [datetime(2026, 11, d, 15, tzinfo=UTC) for d in (2, 9, 3)],
        ...         "total_cents": [10000, 5000, 4000],
        ...         "status": ["completed"] * 3,
        ...         "channel": ["store"] * 3,
        ...     },
        ...     schema_overrides={"seller_code": pl.String},
        ... )
        >>> customers = pl.DataFrame(
        ...     {"customer_id": ["ANA"], "loyalty_program": ["Clube"], "loyalty_category": [None]},
        ...     schema_overrides={"loyalty_category": pl.String},
        ... )
        >>> store_insights(
        ...     orders, customers, first_day=date(2026, 11, 1), last_day=date(2026, 11, 5)
        ... ).rows()
        [('L01', 2, 14000, 1, 10000, 1, 1)]
    """
    window, anonymous, checked, frame, registry = _period_inputs(
        orders,
        customers,
        first_day,
        last_day,
        return_window_days,
        anonymous_customer_ids,
        time_zone,
    )
    v.require_bool("brand", brand)
    plan = _insights.store_plan(
        frame,
        registry,
        first_day,
        last_day,
        window,
        time_zone,
        anonymous,
        _BRAND if brand else None,
    )
    if brand:
        plan = plan.with_columns(nw.lit(None, nw.String).alias("store_id"))
    result: FrameT = to_caller(plan, checked)
    return result


def loyalty_participation(
    orders: FrameT,
    customers: Any,
    *,
    first_day: date,
    last_day: date,
    anonymous_customer_ids: Collection[str] = frozenset(),
    time_zone: str = DEFAULT_TIME_ZONE,
    brand: bool = False,
) -> FrameT:
    """Participação (categoria): the period's identified customers of each store by loyalty
    program and category (:func:`store_insights`' customers, shared out).

    Returns:
        A frame of the same library with :data:`LOYALTY_COLUMNS`, one row per store,
        program and category (null for none) with a customer, sorted by them (nulls last);
        with ``brand``, the brand's rows (``store_id`` null).

    Examples:
        >>> from datetime import UTC, datetime
        >>> import polars as pl
        >>> orders = pl.DataFrame(
        ...     {
        ...         "order_id": ["P1", "P2"],
        ...         "customer_id": ["ANA", "BIA"],
        ...         "store_id": ["L01", "L01"],
        ...         "seller_code": [None, None],
        ...         "placed_at": [datetime(2026, 11, 2, 15, tzinfo=UTC)] * 2,
        ...         "total_cents": [10000, 5000],
        ...         "status": ["completed"] * 2,
        ...         "channel": ["store"] * 2,
        ...     },
        ...     schema_overrides={"seller_code": pl.String},
        ... )
        >>> customers = pl.DataFrame(
        ...     {
        ...         "customer_id": ["ANA", "BIA"],
        ...         "loyalty_program": ["Clube", None],
        ...         "loyalty_category": ["Ouro", None],
        ...     }
        ... )
        >>> loyalty_participation(
        ...     orders, customers, first_day=date(2026, 11, 1), last_day=date(2026, 11, 5)
        ... ).rows()
        [('L01', 'Clube', 'Ouro', 1), ('L01', None, None, 1)]
    """
    _, anonymous, checked, frame, registry = _period_inputs(
        orders, customers, first_day, last_day, 1, anonymous_customer_ids, time_zone
    )
    v.require_bool("brand", brand)
    plan = _insights.loyalty_plan(
        frame, registry, first_day, last_day, time_zone, anonymous, _BRAND if brand else None
    )
    if brand:
        plan = plan.with_columns(nw.lit(None, nw.String).alias("store_id"))
    result: FrameT = to_caller(plan, checked)
    return result


def _period_inputs(  # noqa: PLR0917 - private: the public functions' arguments
    orders: Any,
    customers: Any,
    first_day: Any,
    last_day: Any,
    window: Any,
    anonymous: Any,
    time_zone: Any,
) -> tuple[int, frozenset[str], Any, Any, Any]:
    v.require_date("first_day", first_day)
    v.require_date("last_day", last_day)
    if last_day < first_day:
        raise ValidationError("last_day", last_day, f"must be on or after first_day {first_day}")
    checked_window = v.require_int("return_window_days", window, min_value=1, max_value=3650)
    v.zone("time_zone", time_zone)
    ids = _check_ids(anonymous)
    checked = orders_frame(orders, unique_ids=True, channel=True)
    _insights.require_text_ids(checked)
    registry = _insights.registry_frame(customers, checked)
    return checked_window, ids, checked, checked.frame, registry


def _check_ids(value: Any) -> frozenset[str]:
    rule = "must be a collection (e.g. a set) of customer ids"
    if isinstance(value, str | bytes) or not isinstance(value, Collection):
        raise ValidationError("anonymous_customer_ids", value, rule)
    for item in value:
        if not isinstance(item, str):
            raise ValidationError("anonymous_customer_ids", item, "must contain only ids (str)")
    return frozenset(value)
