"""Regras em colunas (columnar rules): RFV, preferred sellers and attribution over data frames.

The batch twins of :func:`otocore.rfv.rfv_scores`,
:func:`otocore.distribution.preferred_sellers` and
:func:`otocore.attribution.attribute`: the same rules, to the centavo
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

from otocore import _validate as v
from otocore._time import window_start
from otocore.attribution import AttributionPolicy
from otocore.distribution import PreferredSellerPolicy
from otocore.errors import ValidationError
from otocore.frames import _contract, _rules
from otocore.frames._contract import contacts_frame, orders_frame, to_caller
from otocore.frames._rules import attribution_plan, preferred_plan, rfv_plan
from otocore.rfv import RfvPolicy

__all__ = [
    "ATTRIBUTION_COLUMNS",
    "CONTACT_COLUMNS",
    "ORDER_COLUMNS",
    "PREFERRED_COLUMNS",
    "RFV_COLUMNS",
    "attribute",
    "preferred_sellers",
    "rfv_scores",
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
