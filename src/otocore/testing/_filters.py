"""Hypothesis strategies for :mod:`otocore.filters`: filter trees and customer facts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import strategies as st

from otocore.consent import ContactChannel
from otocore.customers import MaritalStatus, Sex
from otocore.filters import (
    AgeBetween,
    AllOf,
    AnyOf,
    BirthdayInMonth,
    BirthdayWithin,
    BoughtInNotIn,
    BoughtOnline,
    ConsentOn,
    CustomerFacts,
    DaysSinceLastPurchase,
    Filter,
    FrequencyBetween,
    FScoreBetween,
    HasPurchases,
    IncompleteRegistration,
    LastPurchaseBetween,
    LoyaltyProgram,
    MaritalStatusIn,
    NewCustomer,
    Not,
    PreferredStoreIn,
    PurchaseFrequencyIn,
    RecencyBetween,
    RegistrationField,
    RScoreBetween,
    SegmentIn,
    SexIn,
    StoreIn,
    StoreVisitsBetween,
    ValueBetween,
    VScoreBetween,
)
from otocore.frequency import (
    DEFAULT_FORTNIGHTLY_DAYS,
    DEFAULT_MONTHLY_DAYS,
    DEFAULT_WEEKLY_DAYS,
    FrequencyClass,
)
from otocore.rfv import default_grid
from otocore.testing._customers import customers
from otocore.testing._rfv import rfv_score_values
from otocore.testing._strategies import customer_ids, money, orders, store_ids

__all__ = ["customer_facts", "filters"]

_ZONES = ("America/Sao_Paulo", "America/Manaus", "America/Noronha", "UTC")
_PROGRAMS = ("Clube Brisa", "Mais Brisa")
_CATEGORIES = ("Bronze", "Prata", "Ouro", "Diamante")
_EDGE_DAYS = (
    date(2025, 12, 31),
    date(2026, 1, 1),
    date(2026, 2, 28),
    date(2027, 2, 28),
    date(2028, 2, 28),
    date(2028, 2, 29),
    date(2028, 3, 1),
)
_EDGE_BIRTHS = (date(1992, 2, 29), date(2000, 2, 29), date(1990, 1, 1), date(1985, 12, 31))


def _ranges(
    build: Callable[..., Filter], values: st.SearchStrategy[Any]
) -> st.SearchStrategy[Filter]:
    """min/max ranges: either bound may be missing, never both; min <= max."""

    def make(pair: tuple[Any, Any], shape: int) -> Filter:
        lo, hi = sorted(pair)
        if shape == 0:
            return build(min=lo)
        if shape == 1:
            return build(max=hi)
        return build(min=lo, max=hi)

    return st.builds(make, st.tuples(values, values), st.integers(0, 2))


def _sets(values: st.SearchStrategy[Any], max_size: int = 3) -> st.SearchStrategy[list[Any]]:
    return st.lists(values, min_size=1, max_size=max_size)


def _months() -> st.SearchStrategy[tuple[int, int]]:
    return st.tuples(st.integers(2024, 2026), st.integers(1, 12))


def _leaves(segments: Sequence[str], stores: st.SearchStrategy[str]) -> st.SearchStrategy[Filter]:
    scores = st.integers(1, 5) | st.integers(1, 10)
    days = st.integers(0, 60) | st.integers(0, 800)
    a_day = st.dates(date(2023, 1, 1), date(2027, 12, 31))
    last_purchase = st.builds(
        lambda a, b, shape: (
            LastPurchaseBetween(start=min(a, b))
            if shape == 0
            else LastPurchaseBetween(end=max(a, b))
            if shape == 1
            else LastPurchaseBetween(start=min(a, b), end=max(a, b))
        ),
        a_day,
        a_day,
        st.integers(0, 2),
    )
    two_months = st.lists(_months(), min_size=2, max_size=2, unique=True)
    return st.one_of(
        _sets(st.sampled_from(list(segments))).map(SegmentIn),
        _ranges(RScoreBetween, scores),
        _ranges(FScoreBetween, scores),
        _ranges(VScoreBetween, scores),
        _ranges(RecencyBetween, days),
        _ranges(FrequencyBetween, st.integers(0, 20)),
        _ranges(ValueBetween, money(max_value=Decimal(5000))),
        _ranges(AgeBetween, st.integers(0, 100)),
        _ranges(DaysSinceLastPurchase, days),
        last_purchase,
        st.builds(
            BirthdayWithin,
            days_before=st.integers(0, 40) | st.integers(0, 366),
            days_after=st.integers(0, 40) | st.integers(0, 366),
        ),
        st.builds(BirthdayInMonth, month=st.none() | st.integers(1, 12)),
        st.builds(NewCustomer, days=st.integers(1, 1000)),
        st.builds(
            LoyaltyProgram,
            program=st.sampled_from(_PROGRAMS),
            categories=st.none() | _sets(st.sampled_from(_CATEGORIES)),
        ),
        st.builds(
            IncompleteRegistration,
            fields=_sets(st.sampled_from(RegistrationField), max_size=4),
        ),
        _sets(stores).map(StoreIn),
        _sets(stores).map(PreferredStoreIn),
        _sets(st.sampled_from(Sex)).map(SexIn),
        _sets(st.sampled_from(MaritalStatus)).map(MaritalStatusIn),
        _sets(st.sampled_from(ContactChannel)).map(ConsentOn),
        st.just(HasPurchases()),
        st.just(BoughtOnline()),
        two_months.map(lambda m: BoughtInNotIn(bought_in=m[0], not_in=m[1])),
        st.builds(
            lambda f, window: attrs.evolve(f, days=window),
            _ranges(StoreVisitsBetween, st.integers(0, 6)),
            st.none() | st.integers(1, 60) | st.integers(1, 900),
        ),
        _purchase_frequencies(),
    )


@st.composite
def _purchase_frequencies(draw: st.DrawFn) -> PurchaseFrequencyIn:
    weekly = draw(st.none() | st.integers(1, 20))
    low = DEFAULT_WEEKLY_DAYS if weekly is None else weekly
    fortnightly = draw(st.none() | st.integers(low + 1, low + 30))
    if fortnightly is None and low >= DEFAULT_FORTNIGHTLY_DAYS:
        fortnightly = low + 1
    mid = DEFAULT_FORTNIGHTLY_DAYS if fortnightly is None else fortnightly
    monthly = draw(st.none() | st.integers(mid + 1, mid + 60))
    if monthly is None and mid >= DEFAULT_MONTHLY_DAYS:
        monthly = mid + 1
    return PurchaseFrequencyIn(
        classes=draw(_sets(st.sampled_from(FrequencyClass))),
        window_days=draw(st.none() | st.integers(1, 60) | st.integers(1, 900)),
        weekly_days=weekly,
        fortnightly_days=fortnightly,
        monthly_days=monthly,
    )


def filters(
    *,
    max_leaves: int = 8,
    segments: Sequence[str] | None = None,
    store_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Filter]:
    """Valid filter trees: every predicate, combined with ``all``, ``any`` and ``not``.

    Parameters are drawn near the values :func:`customer_facts` draws, so
    filters match some customers and not others.

    Args:
        max_leaves: the most predicates in one tree.
        segments: segment keys to draw from (default: the default grid's).
        store_id: store ids to draw from (default :func:`~otocore.testing.store_ids`).

    >>> from hypothesis import find
    >>> tree = find(filters(), lambda f: isinstance(f, AllOf) and len(f.filters) > 1)
    >>> len(tree.filters)
    2
    """
    if isinstance(max_leaves, bool) or not isinstance(max_leaves, int) or max_leaves < 1:
        raise ValueError(f"max_leaves must be a positive int, got {max_leaves!r}")
    keys = [s.key for s in default_grid().segments] if segments is None else list(segments)
    if not keys:
        raise ValueError("segments must not be empty")
    leaves = _leaves(keys, store_ids() if store_id is None else store_id)

    def extend(children: st.SearchStrategy[Filter]) -> st.SearchStrategy[Filter]:
        some = st.lists(children, max_size=4)
        return st.one_of(some.map(AllOf), some.map(AnyOf), children.map(Not))

    return st.recursive(leaves, extend, max_leaves=max_leaves)


@st.composite
def _facts(draw: st.DrawFn, on: st.SearchStrategy[date]) -> CustomerFacts:
    day = draw(on)
    cid = draw(customer_ids())
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    registered = noon - timedelta(days=draw(st.integers(-30, 1500)), hours=draw(st.integers(0, 23)))
    customer = draw(
        customers(customer_id=st.just(cid), registered_at=st.just(registered)),
    )
    kind = draw(st.sampled_from(["none", "keep", "edge", "near"]))
    birth: date | None = customer.birth_date
    if kind == "none":
        birth = None
    elif kind == "edge":
        birth = draw(st.sampled_from(_EDGE_BIRTHS))
    elif kind == "near":  # a birthday close to the day, so birthday filters match
        years = draw(st.integers(18, 80))
        near = day - timedelta(days=draw(st.integers(-45, 45)))
        birth = near.replace(year=near.year - years, day=min(near.day, 28))
    customer = attrs.evolve(customer, birth_date=birth)
    # hours before the day's noon: any time in two years, or the last 60 days (so that
    # purchase frequencies of every class appear)
    hours = st.integers(-10 * 24, 800 * 24) | st.integers(0, 60 * 24)
    placed = hours.map(lambda h: noon - timedelta(hours=h))
    history = draw(
        st.lists(
            orders(customer_id=st.just(cid), placed_at=placed),
            max_size=6,
            unique_by=lambda o: o.order_id,
        )
    )
    score = draw(st.none() | rfv_score_values())
    if score is not None:
        score = attrs.evolve(score, customer_id=cid)
    return CustomerFacts.build(
        customer,
        history,
        day,
        rfv=score,
        consented=draw(st.frozensets(st.sampled_from(ContactChannel))),
        time_zone=draw(st.sampled_from(_ZONES)),
    )


def customer_facts(
    *, on: st.SearchStrategy[date] | None = None
) -> st.SearchStrategy[CustomerFacts]:
    """Facts of one customer on a day, built by :meth:`CustomerFacts.build` from generated data.

    The customer, their orders (any status and channel, some after the day),
    an RFV score or none, consent channels and the time zone are drawn; the
    day is drawn from ``on`` (default: 2025 to 2028, year ends and 29
    February often). Birth dates are often near the day or on 29 February.

    Args:
        on: the days to draw from.

    >>> from hypothesis import find
    >>> find(customer_facts(), lambda f: f.purchases > 1).purchases
    2
    """
    days = st.sampled_from(_EDGE_DAYS) | st.dates(date(2025, 1, 1), date(2028, 12, 31))
    return _facts(days if on is None else on)


def strategy_table() -> dict[type, st.SearchStrategy[object]]:
    """Default strategies for this module's types, for ``st.from_type`` registration.

    >>> sorted(cls.__name__ for cls in strategy_table())
    ['CustomerFacts', 'Filter']
    """
    return {Filter: filters(), CustomerFacts: customer_facts()}
