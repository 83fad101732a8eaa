"""Distribuição da carteira (portfolio distribution): vendedor de preferência, redistribuição, limitador de sugestões.

Three rules decide which seller gets which customer and how many suggestions a
seller sees a day. They come from Oto's FAQ ("Como é feita a
distribuição das sugestões da carteira de clientes dentro do Oto?") and
Oto's help page for managers and campaigns ("Inative um vendedor", "Aleatório",
"Limitador de Sugestões").

**Vendedor de preferência (preferred seller).** A candidate order is a
COMPLETED order with a seller code whose local day ``d`` (in the policy's time
zone) satisfies ``as_of - window < d <= as_of``. A seller counts once per
(store, local day): those are the seller's *visits* with the customer. A
seller's *tally* is ``min(visits, cap)``. The preferred seller has the highest
tally; ties go to the most recent sale (latest ``placed_at``), then to the
lowest seller code in plain string order.

>>> from datetime import date, datetime
>>> from decimal import Decimal
>>> from zoneinfo import ZoneInfo
>>> from otocore.orders import Order
>>> SP = ZoneInfo("America/Sao_Paulo")
>>> def order(n, seller, day, store="L01", hour=12):
...     return Order(
...         order_id=f"P{n}",
...         customer_id="C1",
...         store_id=store,
...         placed_at=datetime(2026, 5, day, hour, tzinfo=SP),
...         total=Decimal("100.00"),
...         seller_code=seller,
...     )
>>> history = [
...     order(1, "V01", 2),
...     order(2, "V01", 2, hour=18),  # same store, same day: still one visit
...     order(3, "V02", 3),
...     order(4, "V02", 4),
... ]
>>> pref = preferred_seller(history, date(2026, 5, 10))
>>> pref.seller_code, pref.decided_by
('V02', <DecidedBy.TALLY: 'tally'>)
>>> for t in pref.tallies:
...     print(t.seller_code, t.visits, t.tally)
V02 2 2
V01 1 1

**Redistribuição (redistribution).** Once a seller is inactive, the store
manager moves that seller's customers either all to one named active seller of
the same store (:class:`ToSeller`) or, "Aleatório", balanced across all the
store's active sellers (:class:`Balanced`): the numbers they receive differ by
at most one, and the same seed gives the same result.

>>> from otocore.sellers import Seller, SellerStatus
>>> ana = Seller(code="V01", name="Ana", store_id="L01", status=SellerStatus.INACTIVE)
>>> team = [ana, Seller(code="V02", name="Bruno", store_id="L01")]
>>> redistribute(["C1", "C2"], ana, team, ToSeller("V02"))
{'C1': 'V02', 'C2': 'V02'}

**Limitador de sugestões (suggestion limiter).** The daily limit is
``floor(hours_worked * 60 * idle_share / avg_conversation_minutes)``, computed
exactly, then clamped to ``[minimum, maximum]``.

>>> SuggestionLimiter(5, 40).daily_limit(8, Decimal("0.25"), 6)
20

Errors: bad input is a :class:`~otocore.errors.ValidationError`, a request the
rules forbid a :class:`~otocore.errors.RuleViolation`, an unknown seller code a
:class:`~otocore.errors.NotFound`.

>>> someone_else = Order(
...     order_id="P9",
...     customer_id="C2",
...     store_id="L01",
...     placed_at=datetime(2026, 5, 2, tzinfo=SP),
...     total=Decimal("50.00"),
...     seller_code="V01",
... )
>>> preferred_seller([order(1, "V01", 2), someone_else], date(2026, 5, 10))
Traceback (most recent call last):
...
otocore.errors.ValidationError: orders must all belong to one customer (found 'C1' and 'C2'); use preferred_sellers() for a whole brand, got 'C2'
>>> redistribute(["C1"], team[1], team, ToSeller("V01"))
Traceback (most recent call last):
...
otocore.errors.RuleViolation: seller 'V02' is still active; inactivate it before redistributing its customers
>>> redistribute(["C1"], ana, team, ToSeller("V99"))
Traceback (most recent call last):
...
otocore.errors.NotFound: Seller 'V99' not found
>>> SuggestionLimiter(5, 40).daily_limit(8, 0.25, 6)
Traceback (most recent call last):
...
otocore.errors.ValidationError: idle_share must be an int or a decimal.Decimal such as Decimal('0.25'); floats are refused because the floor must be exact, got 0.25
"""

from __future__ import annotations

import enum
import math
import random
from collections.abc import Collection, Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fractions import Fraction
from itertools import groupby
from operator import attrgetter, itemgetter
from typing import Any, TypeAlias
from zoneinfo import ZoneInfo

import attrs
from dateutil.relativedelta import relativedelta

from otocore import _time
from otocore import _validate as v
from otocore._time import window_start
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.orders import Order, OrderStatus
from otocore.sellers import Seller

__all__ = [
    "Balanced",
    "DecidedBy",
    "Preference",
    "PreferredSellerPolicy",
    "RedistributionTarget",
    "SellerTally",
    "SuggestionLimiter",
    "ToSeller",
    "preferred_seller",
    "preferred_sellers",
    "redistribute",
]


# --------------------------------------------------------------------------
# Preferred seller
# --------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PreferredSellerPolicy:
    """How the preferred seller is computed; the defaults are the seed's.

    Attributes:
        time_zone: IANA zone in which an order's instant becomes a local day
            (default ``"America/Sao_Paulo"``).
        window: how far back orders count: local days ``d`` with
            ``as_of - window < d <= as_of``. A :class:`~dateutil.relativedelta.relativedelta`
            of whole years, months, weeks or days (default 12 months: "os
            últimos 12 meses").
        cap: the most visits a seller can score with one customer (default 5:
            "os últimos 5 pedidos com o mesmo vendedor").

    >>> PreferredSellerPolicy()
    PreferredSellerPolicy(time_zone='America/Sao_Paulo', window=relativedelta(years=+1), cap=5)
    >>> PreferredSellerPolicy(cap=0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: PreferredSellerPolicy.cap must be >= 1, got 0
    >>> PreferredSellerPolicy(time_zone="Mars/Olympus")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: PreferredSellerPolicy.time_zone must be an IANA time zone name such as 'America/Sao_Paulo', got 'Mars/Olympus'
    """

    time_zone: str = attrs.field(default=_time.DEFAULT_TIME_ZONE, validator=v.time_zone)
    window: relativedelta = attrs.field(
        factory=lambda: relativedelta(months=12), validator=_time.window
    )
    cap: int = attrs.field(default=5, validator=v.integer(min_value=1))

    @property
    def zone(self) -> ZoneInfo:
        """The :class:`~zoneinfo.ZoneInfo` for :attr:`time_zone`.

        >>> PreferredSellerPolicy().zone.key
        'America/Sao_Paulo'
        """
        return ZoneInfo(self.time_zone)


class DecidedBy(enum.Enum):
    """Which rule picked the preferred seller over the runner-up.

    ONLY_CANDIDATE: a single seller competed. TALLY: the winner had the
    highest tally. MOST_RECENT_SALE: tallies tied, the winner sold most
    recently ("o primeiro critério de desempate é a venda mais recente").
    SELLER_CODE: tallies and last sales tied, the winner has the lowest code
    ("se o empate persistir, o critério será o código do vendedor").

    >>> DecidedBy("most_recent_sale")
    <DecidedBy.MOST_RECENT_SALE: 'most_recent_sale'>
    """

    ONLY_CANDIDATE = "only_candidate"
    TALLY = "tally"
    MOST_RECENT_SALE = "most_recent_sale"
    SELLER_CODE = "seller_code"


@attrs.frozen(kw_only=True)
class SellerTally:
    """One seller's score with one customer.

    Attributes:
        seller_code: the seller.
        visits: distinct (store, local day) pairs among the seller's candidate
            orders for the customer.
        tally: ``min(visits, cap)``.
        last_sale_at: latest ``placed_at`` among those orders (kept in UTC).

    >>> from datetime import UTC
    >>> SellerTally(
    ...     seller_code="V01", visits=7, tally=5, last_sale_at=datetime(2026, 5, 1, tzinfo=UTC)
    ... )
    SellerTally(seller_code='V01', visits=7, tally=5, last_sale_at=datetime.datetime(2026, 5, 1, 0, 0, tzinfo=datetime.timezone.utc))
    >>> SellerTally(
    ...     seller_code="V01", visits=2, tally=3, last_sale_at=datetime(2026, 5, 1, tzinfo=UTC)
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SellerTally.tally must be <= visits (2), got 3
    """

    seller_code: str = attrs.field(validator=v.text(100))
    visits: int = attrs.field(validator=v.integer(min_value=1))
    tally: int = attrs.field(validator=v.integer(min_value=1))
    last_sale_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]

    def __attrs_post_init__(self) -> None:
        if self.tally > self.visits:
            raise ValidationError(
                "SellerTally.tally", self.tally, f"must be <= visits ({self.visits})"
            )


_rank_key = attrgetter("tally", "last_sale_at")
_code = attrgetter("seller_code")


def _rank(tallies: Iterable[SellerTally]) -> tuple[SellerTally, ...]:
    """Rank order: highest tally, then latest sale, then lowest code."""
    by_code = sorted(tallies, key=_code)
    return tuple(sorted(by_code, key=_rank_key, reverse=True))  # a stable sort keeps ties by code


def _decided_by(ranked: tuple[SellerTally, ...]) -> DecidedBy:
    if len(ranked) == 1:
        return DecidedBy.ONLY_CANDIDATE
    first, second = ranked[0], ranked[1]
    if first.tally != second.tally:
        return DecidedBy.TALLY
    if first.last_sale_at != second.last_sale_at:
        return DecidedBy.MOST_RECENT_SALE
    return DecidedBy.SELLER_CODE


def _check_tallies(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    rule = "must be a non-empty tuple of SellerTally"
    v.require_tuple_of(field, value, SellerTally, rule=rule)
    codes = [t.seller_code for t in value]
    if len(set(codes)) != len(codes):
        raise ValidationError(field, codes, "must name each seller once")
    if _rank(value) != value:
        raise ValidationError(
            field,
            codes,
            "must be in rank order (highest tally, then latest sale, then lowest code)",
        )


@attrs.frozen(kw_only=True)
class Preference:
    """The preferred seller of one customer, with the ranked tallies behind it.

    Attributes:
        customer_id: the customer.
        seller_code: the winner, ``tallies[0].seller_code``.
        tallies: every competing seller's :class:`SellerTally`, in rank order.
        decided_by: the rule that put the winner ahead of the runner-up.

    The constructor checks that the three agree:

    >>> from datetime import UTC
    >>> t = SellerTally(
    ...     seller_code="V01", visits=1, tally=1, last_sale_at=datetime(2026, 5, 1, tzinfo=UTC)
    ... )
    >>> Preference(
    ...     customer_id="C1", seller_code="V01", tallies=(t,), decided_by=DecidedBy.ONLY_CANDIDATE
    ... ).seller_code
    'V01'
    >>> Preference(customer_id="C1", seller_code="V01", tallies=(t,), decided_by=DecidedBy.TALLY)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Preference.decided_by must be DecidedBy.ONLY_CANDIDATE for these tallies, got <DecidedBy.TALLY: 'tally'>
    """

    customer_id: str = attrs.field(validator=v.text(100))
    seller_code: str = attrs.field(validator=v.text(100))
    tallies: tuple[SellerTally, ...] = attrs.field(validator=_check_tallies)
    decided_by: DecidedBy = attrs.field(validator=v.member_of(DecidedBy))

    def __attrs_post_init__(self) -> None:
        if self.seller_code != self.tallies[0].seller_code:
            raise ValidationError(
                "Preference.seller_code",
                self.seller_code,
                f"must be the first ranked seller ({self.tallies[0].seller_code!r})",
            )
        expected = _decided_by(self.tallies)
        if self.decided_by is not expected:
            raise ValidationError(
                "Preference.decided_by",
                self.decided_by,
                f"must be DecidedBy.{expected.name} for these tallies",
            )


def preferred_seller(
    orders: Iterable[Order],
    as_of: date,
    *,
    policy: PreferredSellerPolicy = PreferredSellerPolicy(),
    eligible: Collection[str] | None = None,
) -> Preference | None:
    """The preferred seller of one customer on local day ``as_of``.

    ``orders`` are one customer's orders, in any order; orders of several
    customers are a :class:`~otocore.errors.ValidationError`. Cancelled
    orders, orders without a seller code and orders whose local day is outside
    ``(as_of - policy.window, as_of]`` are ignored. When ``eligible`` is given
    (for instance the codes of the active sellers) only those sellers compete.

    Args:
        orders: the customer's orders.
        as_of: the local day the rule is computed for.
        policy: the :class:`PreferredSellerPolicy`; the default is the seed's rule.
        eligible: the seller codes allowed to win, or ``None`` for all.

    Returns:
        The :class:`Preference`, or ``None`` when no seller is a candidate.

    >>> from datetime import UTC
    >>> from decimal import Decimal
    >>> o = Order(
    ...     order_id="P1",
    ...     customer_id="C1",
    ...     store_id="L1",
    ...     placed_at=datetime(2026, 1, 5, 15, tzinfo=UTC),
    ...     total=Decimal("10.00"),
    ...     seller_code="V07",
    ... )
    >>> preferred_seller([o], date(2026, 1, 31)).decided_by
    <DecidedBy.ONLY_CANDIDATE: 'only_candidate'>
    >>> preferred_seller([o], date(2026, 1, 31), eligible={"V01"}) is None
    True
    """
    policy = v.require_instance("policy", policy, PreferredSellerPolicy)
    allowed = _check_eligible(eligible)
    _check_as_of(as_of, policy)
    materialised = v.require_instances("orders", orders, Order)
    customers = {o.customer_id for o in materialised}
    if len(customers) > 1:
        first = materialised[0].customer_id
        other = next(o.customer_id for o in materialised if o.customer_id != first)
        raise ValidationError(
            "orders",
            other,
            f"must all belong to one customer (found {first!r} and {other!r}); "
            "use preferred_sellers() for a whole brand",
        )
    result = _compute(materialised, as_of, policy, allowed)
    return next(iter(result.values()), None)


def preferred_sellers(
    orders: Iterable[Order],
    as_of: date,
    *,
    policy: PreferredSellerPolicy = PreferredSellerPolicy(),
    eligible: Collection[str] | None = None,
) -> dict[str, Preference]:
    """The preferred seller of every customer of a brand, in one pass.

    The same rule as :func:`preferred_seller`, applied to each customer of
    ``orders``. Customers with no candidate seller are absent from the
    result. The result is keyed by customer id, in sorted order.

    >>> from datetime import UTC
    >>> from decimal import Decimal
    >>> def o(n, customer, seller):
    ...     return Order(
    ...         order_id=f"P{n}",
    ...         customer_id=customer,
    ...         store_id="L1",
    ...         placed_at=datetime(2026, 1, n, 15, tzinfo=UTC),
    ...         total=Decimal("10.00"),
    ...         seller_code=seller,
    ...     )
    >>> prefs = preferred_sellers(
    ...     [o(1, "C1", "V01"), o(2, "C2", "V02"), o(3, "C3", None)], date(2026, 1, 31)
    ... )
    >>> {c: p.seller_code for c, p in prefs.items()}
    {'C1': 'V01', 'C2': 'V02'}
    """
    policy = v.require_instance("policy", policy, PreferredSellerPolicy)
    allowed = _check_eligible(eligible)
    _check_as_of(as_of, policy)
    return _compute(orders, as_of, policy, allowed)


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


def _check_as_of(as_of: Any, policy: PreferredSellerPolicy) -> None:
    v.require_date("as_of", as_of)
    try:
        as_of - policy.window
        as_of + timedelta(days=2)
    except (OverflowError, ValueError):
        raise ValidationError(
            "as_of", as_of, "must leave room for the window on the calendar"
        ) from None


def _utc_bounds(start: date, as_of: date) -> tuple[datetime, datetime]:
    """A UTC range that surely holds every instant whose local day ``d`` has ``start < d <= as_of``.

    A local day differs from the UTC day of the same instant by at most one,
    so two days of slack on each side only spare the time-zone conversion of
    orders that cannot count; the exact test is on the local day.
    """
    try:
        lo = datetime.combine(start - timedelta(days=2), time(0), UTC)
    except (OverflowError, ValueError):
        lo = datetime.min.replace(tzinfo=UTC)
    try:
        hi = datetime.combine(as_of + timedelta(days=3), time(0), UTC)
    except (OverflowError, ValueError):
        hi = datetime.max.replace(tzinfo=UTC)
    return lo, hi


def _compute(
    orders: Iterable[Order],
    as_of: date,
    policy: PreferredSellerPolicy,
    allowed: frozenset[str] | None,
) -> dict[str, Preference]:
    """One pass over the orders, grouping per customer, seller and (store, day)."""
    v.require_iterable("orders", orders, rule="must be an iterable of Order")
    zone = policy.zone
    start = window_start(as_of, policy.window)  # local days d with start < d <= as_of count
    lo, hi = _utc_bounds(start, as_of)
    completed = OrderStatus.COMPLETED
    # Plain dicts and a set of tuples of atomic values: the garbage collector
    # stops tracking such tuples, so a brand of millions of orders does not
    # make every full collection walk millions of small containers.
    visits: dict[tuple[str, str], int] = {}  # (customer, seller) -> visits
    last_sale: dict[tuple[str, str], datetime] = {}  # (customer, seller) -> latest placed_at
    seen: set[tuple[str, str, str, date]] = set()  # (customer, seller, store, local day)
    for i, order in enumerate(orders):
        if not isinstance(order, Order):
            raise ValidationError(f"orders[{i}]", order, "must be an Order")
        code = order.seller_code
        if code is None or order.status is not completed:
            continue
        at = order.placed_at
        if at < lo or at >= hi:
            continue
        if allowed is not None and code not in allowed:
            continue
        day = at.astimezone(zone).date()  # local_day(at, zone)
        if not start < day <= as_of:  # _time.in_window, with start computed once
            continue
        customer_id = order.customer_id
        visit = (customer_id, code, order.store_id, day)
        key = (customer_id, code)
        if visit not in seen:
            seen.add(visit)
            visits[key] = visits.get(key, 0) + 1
        last_sale[key] = max(at, last_sale.get(key, at))
    del seen

    # Results skip the validators: every field comes from validated Orders and
    # the policy, and the ranking is the one the constructors check; validating
    # again would cost more than the whole rule. The property tests rebuild
    # every result through the validating constructors.
    cap = policy.cap
    result: dict[str, Preference] = {}
    # sorted keys come grouped by customer, in sorted order
    for customer_id, keys in groupby(sorted(visits), key=itemgetter(0)):
        tallies = []
        for key in keys:
            count = visits[key]
            tallies.append(_trusted_tally(key[1], count, min(count, cap), last_sale[key]))
        ranked = _rank(tallies)
        result[customer_id] = _trusted_preference(customer_id, ranked, _decided_by(ranked))
    return result


_new = object.__new__
_set = object.__setattr__


def _trusted_tally(
    seller_code: str, visits: int, tally: int, last_sale_at: datetime
) -> SellerTally:
    """A SellerTally of values valid by construction, built without running its validators."""
    built = _new(SellerTally)
    _set(built, "seller_code", seller_code)
    _set(built, "visits", visits)
    _set(built, "tally", tally)
    _set(built, "last_sale_at", last_sale_at)
    return built


def _trusted_preference(
    customer_id: str, ranked: tuple[SellerTally, ...], decided_by: DecidedBy
) -> Preference:
    """A Preference of ranked tallies, built without running its validators."""
    built = _new(Preference)
    _set(built, "customer_id", customer_id)
    _set(built, "seller_code", ranked[0].seller_code)
    _set(built, "tallies", ranked)
    _set(built, "decided_by", decided_by)
    return built


# --------------------------------------------------------------------------
# Redistribution
# --------------------------------------------------------------------------


@attrs.frozen
class ToSeller:
    """Redistribute every customer to one named seller of the same store.

    >>> ToSeller("V02")
    ToSeller(code='V02')
    >>> ToSeller("")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: ToSeller.code must not be empty, got ''
    """

    code: str = attrs.field(validator=v.text(100))


@attrs.frozen
class Balanced:
    """ "Aleatório": spread the customers evenly, at random, over the store's active sellers.

    ``seed`` makes the draw repeatable: the same seed, customers and sellers
    give the same assignment.

    >>> Balanced(7)
    Balanced(seed=7)
    >>> Balanced("7")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Balanced.seed must be an integer, got '7'
    """

    seed: int = attrs.field(validator=v.integer())


RedistributionTarget: TypeAlias = ToSeller | Balanced
"""Where an inactive seller's customers go: :class:`ToSeller` or :class:`Balanced`."""


def redistribute(
    customer_ids: Iterable[str],
    from_seller: Seller,
    store_sellers: Iterable[Seller],
    target: RedistributionTarget,
) -> dict[str, str]:
    """Move an inactive seller's customers to active sellers of the same store.

    Every customer is assigned exactly once, and only to an ACTIVE seller of
    ``from_seller``'s store. With :class:`ToSeller` they all go to that
    seller. With :class:`Balanced` the customers (sorted by id) and the
    store's active sellers (sorted by code) are shuffled with
    ``random.Random(seed)`` and dealt round-robin, so the counts differ by at
    most one and the result depends only on the seed and the two sets, never
    on their input order.

    Args:
        customer_ids: the inactive seller's customers (no repeats).
        from_seller: the seller being emptied; must be INACTIVE.
        store_sellers: the sellers to choose from; sellers of other stores
            may be present and are never chosen.
        target: :class:`ToSeller` or :class:`Balanced`.

    Returns:
        ``customer_id -> seller code``, keyed in sorted customer order.

    Raises:
        ValidationError: malformed input or a repeated customer id.
        RuleViolation: ``from_seller`` still active, a target that is inactive
            or of another store, or a store without an active seller.
        NotFound: a :class:`ToSeller` code that is neither in ``store_sellers``
            nor ``from_seller``'s.

    >>> from otocore.sellers import SellerStatus
    >>> gone = Seller(code="V01", name="Ana", store_id="L01", status=SellerStatus.INACTIVE)
    >>> team = [gone] + [Seller(code=f"V0{n}", name="X", store_id="L01") for n in (2, 3)]
    >>> result = redistribute(["C1", "C2", "C3"], gone, team, Balanced(seed=1))
    >>> sorted(result), sorted(result.values()).count("V02") in (1, 2)
    (['C1', 'C2', 'C3'], True)
    """
    customers = _check_customer_ids(customer_ids)
    v.require_instance("from_seller", from_seller, Seller)
    sellers = _check_store_sellers(store_sellers, from_seller)
    if not isinstance(target, ToSeller | Balanced):
        raise ValidationError("target", target, "must be ToSeller(code) or Balanced(seed)")
    if from_seller.is_active:
        raise RuleViolation(
            f"seller {from_seller.code!r} is still active; "
            "inactivate it before redistributing its customers"
        )
    store = from_seller.store_id
    if isinstance(target, ToSeller):
        chosen = sellers.get(target.code)
        if chosen is None and target.code == from_seller.code:
            chosen = from_seller
        if chosen is None:
            raise NotFound("Seller", target.code)
        if chosen.store_id != store:
            raise RuleViolation(
                f"seller {chosen.code!r} works in store {chosen.store_id!r}, not in "
                f"{store!r}; customers can only move within the store"
            )
        if not chosen.is_active:
            raise RuleViolation(f"seller {chosen.code!r} is inactive and cannot receive customers")
        return dict.fromkeys(sorted(customers), chosen.code)

    active = sorted(
        s.code
        for s in sellers.values()
        if s.store_id == store and s.is_active and s.code != from_seller.code
    )
    if not active:
        raise RuleViolation(f"store {store!r} has no active seller to receive the customers")
    rng = random.Random(target.seed)  # noqa: S311 - a repeatable draw, not a secret
    ordered = sorted(customers)
    rng.shuffle(ordered)
    rng.shuffle(active)
    dealt = {customer: active[i % len(active)] for i, customer in enumerate(ordered)}
    return {customer: dealt[customer] for customer in sorted(dealt)}


def _check_customer_ids(customer_ids: Any) -> list[str]:
    rule = "must be an iterable of customer ids"
    out: list[str] = []
    seen: set[str] = set()
    for i, customer in enumerate(v.require_iterable("customer_ids", customer_ids, rule=rule)):
        v.require_text(f"customer_ids[{i}]", customer, max_length=100)
        if customer in seen:
            raise ValidationError(f"customer_ids[{i}]", customer, "must not repeat a customer id")
        seen.add(customer)
        out.append(customer)
    return out


def _check_store_sellers(store_sellers: Any, from_seller: Seller) -> dict[str, Seller]:
    out: dict[str, Seller] = {}
    for i, seller in enumerate(v.iter_instances("store_sellers", store_sellers, Seller)):
        if seller.code in out:
            raise ValidationError(
                f"store_sellers[{i}]", seller.code, "must not repeat a seller code"
            )
        if seller.code == from_seller.code and seller != from_seller:
            raise ValidationError(
                f"store_sellers[{i}]",
                seller,
                "must agree with from_seller, which has the same code",
            )
        out[seller.code] = seller
    return out


# --------------------------------------------------------------------------
# Suggestion limiter
# --------------------------------------------------------------------------

_NUMBER_RULE = "must be an int or a decimal.Decimal such as Decimal({example!r})"


def _exact(field: str, value: Any, example: str) -> Fraction:
    rule = _NUMBER_RULE.format(example=example)
    if isinstance(value, float):
        raise ValidationError(
            field, value, f"{rule}; floats are refused because the floor must be exact"
        )
    if isinstance(value, bool):
        raise ValidationError(field, value, rule)
    if isinstance(value, int | Fraction):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValidationError(field, value, f"{rule} (finite)")
        return Fraction(value)
    raise ValidationError(field, value, rule)


def _check_maximum(
    instance: SuggestionLimiter, attribute: attrs.Attribute[Any], value: Any
) -> None:
    if value < instance.minimum:
        raise ValidationError(
            "SuggestionLimiter.minimum",
            instance.minimum,
            f"must be <= maximum ({value})",
        )


@attrs.frozen
class SuggestionLimiter:
    """Limitador de sugestões: the brand's daily number of suggestions per seller.

    "O Limitador de Sugestões define a quantidade ideal de sugestões diárias,
    considerando: horas trabalhadas, ociosidade, tempo médio de conversa."

    Attributes:
        minimum: the fewest suggestions a seller gets a day (int >= 0).
        maximum: the most (int >= minimum).

    >>> SuggestionLimiter(10, 30)
    SuggestionLimiter(minimum=10, maximum=30)
    >>> SuggestionLimiter(30, 10)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SuggestionLimiter.minimum must be <= maximum (10), got 30
    """

    minimum: int = attrs.field(validator=v.integer(min_value=0))
    maximum: int = attrs.field(validator=[v.integer(min_value=0), _check_maximum])

    def daily_limit(
        self,
        hours_worked: int | Decimal,
        idle_share: int | Decimal,
        avg_conversation_minutes: int | Decimal,
    ) -> int:
        """``floor(hours_worked * 60 * idle_share / avg_conversation_minutes)`` clamped.

        The arithmetic is exact (in :class:`~fractions.Fraction`), so the
        floor never suffers from binary rounding. Inputs are ``int`` or
        :class:`~decimal.Decimal` (a :class:`~fractions.Fraction` is accepted
        too); floats are refused.

        Args:
            hours_worked: hours the seller works a day, >= 0.
            idle_share: share of that time that is idle ("ociosidade"), in
                ``[0, 1]``.
            avg_conversation_minutes: average minutes a conversation takes, > 0.

        Returns:
            The daily number of suggestions, in ``[minimum, maximum]``.

        >>> limiter = SuggestionLimiter(0, 100)
        >>> limiter.daily_limit(Decimal("7.5"), Decimal("0.3"), Decimal("4.5"))
        30
        >>> SuggestionLimiter(0, 10).daily_limit(8, 1, 1)
        10
        >>> limiter.daily_limit(8, Decimal("1.2"), 5)
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: idle_share must be between 0 and 1, got Decimal('1.2')
        """
        hours = _exact("hours_worked", hours_worked, "7.5")
        idle = _exact("idle_share", idle_share, "0.25")
        minutes = _exact("avg_conversation_minutes", avg_conversation_minutes, "4.5")
        if hours < 0:
            raise ValidationError("hours_worked", hours_worked, "must be >= 0")
        if not 0 <= idle <= 1:
            raise ValidationError("idle_share", idle_share, "must be between 0 and 1")
        if minutes <= 0:
            raise ValidationError(
                "avg_conversation_minutes", avg_conversation_minutes, "must be > 0"
            )
        raw = math.floor(hours * 60 * idle / minutes)
        return max(self.minimum, min(self.maximum, raw))
