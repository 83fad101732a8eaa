"""Audience filters: round trips, junk, fault paths, logic laws and a reference model."""

from __future__ import annotations

import itertools
import json
from collections import defaultdict
from datetime import date, timedelta
from fractions import Fraction
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from otocore.errors import OtocoreError, ValidationError
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
    RScoreBetween,
    SegmentIn,
    SexIn,
    StoreIn,
    StoreVisitsBetween,
    ValueBetween,
    VScoreBetween,
    check_segments,
    facts_for_brand,
    filter_to_data,
    parse_filter,
    select,
)
from otocore.frequency import FrequencyClass
from otocore.orders import Channel, Order, OrderStatus
from otocore.rfv import default_grid
from otocore.serialization import _filters as _hooks_filters
from otocore.serialization import make_converter
from otocore.testing import customers, orders
from otocore.testing._filters import customer_facts, filters

ON = date(2026, 5, 10)


# round trips and junk ------------------------------------------------------------------


@given(filters())
def test_round_trip_through_json_text(f: Filter) -> None:
    text = json.dumps(filter_to_data(f))
    assert parse_filter(json.loads(text)) == f


@given(filters())
def test_round_trip_through_a_configured_converter(f: Filter) -> None:
    conv = make_converter()
    _hooks_filters.configure(conv)
    assert conv.structure(conv.unstructure(f), Filter) == f
    assert conv.unstructure(f) == filter_to_data(f)


@given(filters())
def test_every_segment_drawn_from_the_grid_passes_the_grid_check(f: Filter) -> None:
    check_segments(f, default_grid())
    assert parse_filter(filter_to_data(f), grid=default_grid()) == f


_KEYS = st.sampled_from(
    [
        "all",
        "any",
        "not",
        "age_between",
        "segment_in",
        "value_between",
        "bought_in_not_in",
        "birthday_in_month",
        "loyalty_program",
        "min",
        "max",
        "month",
        "program",
        "categories",
        "bought_in",
        "not_in",
        "has_purchases",
    ]
) | st.text(max_size=8)
JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=10)
    | st.sampled_from(["2026-05", "2026-13", "2026-02-30", "1.005", "champions", "female"]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(_KEYS, children, max_size=3),
    max_leaves=20,
)


@given(JSON)
def test_junk_only_ever_raises_otocore_errors(junk: Any) -> None:
    try:
        f = parse_filter(junk)
    except OtocoreError:
        return
    assert parse_filter(filter_to_data(f)) == f


@given(filters(), st.data())
def test_mutated_filters_only_ever_raise_validation_errors(f: Filter, data: st.DataObject) -> None:
    mutated = _mutate(filter_to_data(f), data)
    try:
        parse_filter(mutated)
    except ValidationError as exc:
        fields = [e.field for e in exc.errors]
    else:
        return
    assert all(field.startswith("filter") for field in fields)


def _mutate(value: Any, data: st.DataObject) -> Any:
    if data.draw(st.integers(0, 3)) == 0:
        return data.draw(JSON)
    if isinstance(value, dict):
        return {k: _mutate(v, data) for k, v in value.items()}
    if isinstance(value, list):
        return [_mutate(v, data) for v in value]
    return value


# fault paths ------------------------------------------------------------------------------------


def _filter_paths(data: dict[str, Any], path: str) -> list[str]:
    ((key, value),) = data.items()
    out = [path]
    if key in ("all", "any"):
        for i, child in enumerate(value):
            out += _filter_paths(child, f"{path}.{key}[{i}]")
    elif key == "not":
        out += _filter_paths(value, f"{path}.not")
    return out


def _replace(data: dict[str, Any], path: str, target: str, new: Any) -> Any:
    if path == target:
        return new
    ((key, value),) = data.items()
    if key in ("all", "any"):
        return {key: [_replace(c, f"{path}.{key}[{i}]", target, new) for i, c in enumerate(value)]}
    if key == "not":
        return {"not": _replace(value, f"{path}.not", target, new)}
    return data


BAD_LEAVES = [
    ({"age_between": {"min": -1}}, ".age_between.min"),
    ({"age_between": {"min": 30, "max": 18}}, ".age_between.min"),
    ({"segment_in": ["Campeões"]}, ".segment_in[0]"),
    ({"new_customer": {"days": "30"}}, ".new_customer.days"),
    ({"value_between": {"max": 99.9}}, ".value_between.max"),
    ({"bought_in_not_in": {"bought_in": "2026-01"}}, ".bought_in_not_in.not_in"),
    ({"sex_in": ["female", "F"]}, ".sex_in[1]"),
    ({"has_purchases": {"since": "2020-01-01"}}, ".has_purchases.since"),
    ({"birthday": {}}, ".birthday"),
    ([], ""),
]


@given(filters(), st.data(), st.sampled_from(BAD_LEAVES))
def test_a_fault_anywhere_is_named_by_its_json_path(
    f: Filter, data: st.DataObject, bad: tuple[Any, str]
) -> None:
    tree = filter_to_data(f)
    target = data.draw(st.sampled_from(_filter_paths(tree, "audience")))
    leaf, suffix = bad
    with pytest.raises(ValidationError) as info:
        parse_filter(_replace(tree, "audience", target, leaf), path="audience")
    assert [e.field for e in info.value.errors] == [target + suffix]


@given(st.lists(filters(max_leaves=3), min_size=1, max_size=6), st.data())
def test_every_fault_is_reported(children: list[Filter], data: st.DataObject) -> None:
    items = [filter_to_data(c) for c in children]
    broken = data.draw(st.sets(st.integers(0, len(items) - 1), min_size=1))
    for i in broken:
        items[i] = {"age_between": {"min": -1}}
    with pytest.raises(ValidationError) as info:
        parse_filter({"any": items}, path="audience")
    assert [e.field for e in info.value.errors] == [
        f"audience.any[{i}].age_between.min" for i in sorted(broken)
    ]


# logic laws -----------------------------------------------------------------------------------


@given(filters(), customer_facts())
def test_double_negation(f: Filter, facts: CustomerFacts) -> None:
    assert Not(Not(f)).matches(facts, facts.on) == f.matches(facts, facts.on)


@given(st.lists(filters(max_leaves=4), max_size=4), customer_facts())
def test_de_morgan(children: list[Filter], facts: CustomerFacts) -> None:
    on = facts.on
    negated = [Not(c) for c in children]
    assert Not(AllOf(children)).matches(facts, on) == AnyOf(negated).matches(facts, on)
    assert Not(AnyOf(children)).matches(facts, on) == AllOf(negated).matches(facts, on)


@given(st.lists(filters(max_leaves=4), max_size=5), customer_facts(), st.randoms())
def test_the_order_of_children_never_matters(
    children: list[Filter], facts: CustomerFacts, rnd: Any
) -> None:
    shuffled = list(children)
    rnd.shuffle(shuffled)
    on = facts.on
    assert AllOf(children).matches(facts, on) == AllOf(shuffled).matches(facts, on)
    assert AnyOf(children).matches(facts, on) == AnyOf(shuffled).matches(facts, on)
    assert AllOf(children).matches(facts, on) == all(c.matches(facts, on) for c in children)
    assert AnyOf(children).matches(facts, on) == any(c.matches(facts, on) for c in children)


@given(customer_facts())
def test_empty_all_is_true_and_empty_any_is_false(facts: CustomerFacts) -> None:
    assert AllOf([]).matches(facts, facts.on)
    assert not AnyOf([]).matches(facts, facts.on)


# the reference model -------------------------------------------------------------------------


def _birthday(year: int, born: date) -> date:
    try:
        return born.replace(year=year)
    except ValueError:  # 29 February in a common year
        return date(year, 2, 28)


def _in(x: Any, lo: Any, hi: Any) -> bool:
    return (lo is None or lo <= x) and (hi is None or x <= hi)


def reference(f: Filter, facts: CustomerFacts, on: date) -> bool:
    """Each rule as docs/filters.md states it, written as plainly as possible."""
    c, rfv = facts.customer, facts.rfv
    if isinstance(f, AllOf):
        return all(reference(x, facts, on) for x in f.filters)
    if isinstance(f, AnyOf):
        return any(reference(x, facts, on) for x in f.filters)
    if isinstance(f, Not):
        return not reference(f.filter, facts, on)
    scored = {
        SegmentIn: lambda: rfv.segment in f.segments,
        RScoreBetween: lambda: _in(rfv.r, f.min, f.max),
        FScoreBetween: lambda: _in(rfv.f, f.min, f.max),
        VScoreBetween: lambda: _in(rfv.v, f.min, f.max),
        RecencyBetween: lambda: _in(rfv.recency_days, f.min, f.max),
        FrequencyBetween: lambda: _in(rfv.frequency, f.min, f.max),
        ValueBetween: lambda: _in(rfv.value, f.min, f.max),
    }
    if type(f) in scored:
        return rfv is not None and scored[type(f)]()  # type: ignore[no-untyped-call]
    if isinstance(f, BirthdayWithin):
        if c.birth_date is None:
            return False
        days = range(-f.days_before, f.days_after + 1)
        return any((d := on + timedelta(days=n)) == _birthday(d.year, c.birth_date) for n in days)
    if isinstance(f, BirthdayInMonth):
        return c.birth_date is not None and c.birth_date.month == (f.month or on.month)
    if isinstance(f, AgeBetween):
        if c.birth_date is None or c.birth_date > on:
            return False
        return _in(c.age_on(on), f.min, f.max)
    if isinstance(f, NewCustomer):
        return on - timedelta(days=f.days) < facts.registered_on <= on
    if isinstance(f, LoyaltyProgram):
        loyalty = c.loyalty
        return (
            loyalty is not None
            and loyalty.program == f.program
            and (f.categories is None or loyalty.category in f.categories)
        )
    if isinstance(f, IncompleteRegistration):
        return any(getattr(c, field.value) is None for field in f.fields)
    if isinstance(f, StoreIn):
        return c.home_store_id in f.store_ids
    if isinstance(f, SexIn):
        return c.sex in f.sexes
    if isinstance(f, MaritalStatusIn):
        return c.marital_status in f.statuses
    if isinstance(f, HasPurchases):
        return facts.purchases > 0
    if isinstance(f, BoughtOnline):
        return facts.bought_online
    if isinstance(f, LastPurchaseBetween):
        return facts.last_purchase is not None and _in(facts.last_purchase, f.start, f.end)
    if isinstance(f, BoughtInNotIn):
        return f.bought_in in facts.purchase_months and f.not_in not in facts.purchase_months
    if isinstance(f, PreferredStoreIn):
        return facts.preferred_store_id in f.store_ids
    if isinstance(f, DaysSinceLastPurchase):
        last = facts.last_purchase
        return last is not None and _in((on - last).days, f.min, f.max)
    if isinstance(f, ConsentOn):
        return bool(facts.consented & set(f.channels))
    if isinstance(f, StoreVisitsBetween):
        window = [d for d in facts.store_days if f.days is None or on - d < timedelta(f.days)]
        return _in(len(window), f.min, f.max)
    if isinstance(f, PurchaseFrequencyIn):
        return _frequency_reference(f, facts, on) in f.classes
    raise AssertionError(f"no reference for {f!r}")


def _frequency_reference(f: PurchaseFrequencyIn, facts: CustomerFacts, on: date) -> Any:
    """The mean of the gaps between consecutive purchase days, as a Fraction, then classed."""
    window = 365 if f.window_days is None else f.window_days
    days = sorted(d for d in facts.purchase_days if on - d < timedelta(window))
    if len(days) < 2:
        return None
    mean = Fraction(sum((b - a).days for a, b in itertools.pairwise(days)), len(days) - 1)
    limits = [
        (7 if f.weekly_days is None else f.weekly_days, FrequencyClass.WEEKLY),
        (15 if f.fortnightly_days is None else f.fortnightly_days, FrequencyClass.FORTNIGHTLY),
        (31 if f.monthly_days is None else f.monthly_days, FrequencyClass.MONTHLY),
    ]
    return next((kind for limit, kind in limits if mean <= limit), FrequencyClass.LESS_OFTEN)


@given(filters(), customer_facts())
def test_filters_follow_the_reference_model(f: Filter, facts: CustomerFacts) -> None:
    assert f.matches(facts, facts.on) == reference(f, facts, facts.on)


@given(
    st.lists(customer_facts(on=st.just(ON)), max_size=5, unique_by=lambda x: x.customer_id),
    filters(),
    st.randoms(),
)
def test_select_is_sorted_ids_of_the_matching_customers(
    everyone: list[CustomerFacts], f: Filter, rnd: Any
) -> None:
    expected = sorted(x.customer_id for x in everyone if reference(f, x, ON))
    rnd.shuffle(everyone)
    assert select(f, everyone, ON) == expected


# facts -------------------------------------------------------------------------------------


def _reference_facts(history: list[Order], on: date, zone: ZoneInfo) -> dict[str, Any]:
    days = [
        (o.placed_at.astimezone(zone).date(), o)
        for o in history
        if o.status is OrderStatus.COMPLETED and o.placed_at.astimezone(zone).date() <= on
    ]
    window = {(o.store_id, d) for d, o in days if d > on - relativedelta(months=12)}
    visits: dict[str, list[date]] = defaultdict(list)
    for store, d in window:
        visits[store].append(d)
    ranked = sorted(visits, key=lambda s: (-len(visits[s]), -max(visits[s]).toordinal(), s))
    return {
        "purchases": len(days),
        "last_purchase": max((d for d, _ in days), default=None),
        "purchase_months": {(d.year, d.month) for d, _ in days},
        "bought_online": any(o.channel is Channel.ONLINE for _, o in days),
        "preferred_store_id": ranked[0] if ranked else None,
    }


_ZONE = st.sampled_from(["America/Sao_Paulo", "America/Manaus", "UTC"])


@given(
    customers(customer_id=st.just("C001")),
    st.lists(
        orders(customer_id=st.just("C001"), store_id=st.sampled_from(["L1", "L2", "L3"])),
        max_size=12,
        unique_by=lambda o: o.order_id,
    ),
    st.dates(date(2018, 6, 1), date(2031, 1, 31)),
    _ZONE,
)
def test_build_follows_the_reference(
    customer: Any, history: list[Order], on: date, zone: str
) -> None:
    facts = CustomerFacts.build(customer, history, on, time_zone=zone)
    expected = _reference_facts(history, on, ZoneInfo(zone))
    got = {name: getattr(facts, name) for name in expected}
    assert got == expected
    assert facts.registered_on == customer.registered_at.astimezone(ZoneInfo(zone)).date()


@given(
    st.lists(customers(), max_size=6, unique_by=lambda c: c.customer_id),
    st.lists(orders(), max_size=25, unique_by=lambda o: o.order_id),
    st.dates(date(2018, 6, 1), date(2031, 1, 31)),
    _ZONE,
    st.randoms(),
)
def test_facts_for_brand_equals_build_one_by_one(
    people: list[Any], history: list[Order], on: date, zone: str, rnd: Any
) -> None:
    rnd.shuffle(history)
    bulk = facts_for_brand(people, history, on, time_zone=zone)
    assert list(bulk) == sorted(c.customer_id for c in people)
    for c in people:
        own = [o for o in history if o.customer_id == c.customer_id]
        assert bulk[c.customer_id] == CustomerFacts.build(c, own, on, time_zone=zone)


@given(customer_facts(), st.data())
def test_predicates_built_from_the_customers_own_facts_match(
    facts: CustomerFacts, data: st.DataObject
) -> None:
    on, c, rfv = facts.on, facts.customer, facts.rfv
    own: list[Filter] = [NewCustomer(days=10000)] if facts.registered_on <= on else []
    if facts.purchase_months:
        month = data.draw(st.sampled_from(sorted(facts.purchase_months)))
        other = data.draw(
            st.tuples(st.integers(2015, 2030), st.integers(1, 12)).filter(
                lambda m: m not in facts.purchase_months
            )
        )
        own.append(BoughtInNotIn(bought_in=month, not_in=other))
        assert not BoughtInNotIn(bought_in=other, not_in=month).matches(facts, on)
    if facts.last_purchase is not None:
        own.append(LastPurchaseBetween(start=facts.last_purchase, end=facts.last_purchase))
        own.append(DaysSinceLastPurchase.exactly((on - facts.last_purchase).days))
    if facts.preferred_store_id is not None:
        own.append(PreferredStoreIn([facts.preferred_store_id]))
    if rfv is not None:
        own.append(SegmentIn([rfv.segment]))
        own.append(RScoreBetween(min=rfv.r, max=rfv.r))
        own.append(ValueBetween(min=rfv.value, max=rfv.value))
    if c.birth_date is not None and c.birth_date <= on:
        age = c.age_on(on)
        assert age is not None
        own.append(AgeBetween(min=age, max=age))
        own.append(BirthdayInMonth(month=c.birth_date.month))
        this_year = _birthday(on.year, c.birth_date)
        gap = (this_year - on).days
        if 0 <= gap <= 366:
            own.append(BirthdayWithin(days_after=gap))
            if gap > 0:  # one day short of the birthday
                assert not BirthdayWithin(days_after=gap - 1).matches(facts, on)
        elif -366 <= gap < 0:
            own.append(BirthdayWithin(days_before=-gap))
    if c.loyalty is not None:
        own.append(LoyaltyProgram(program=c.loyalty.program))
    if facts.consented:
        own.append(ConsentOn(sorted(facts.consented, key=lambda ch: ch.value)[:1]))
    for f in own:
        assert f.matches(facts, on), f
    assert AllOf(own).matches(facts, on)
