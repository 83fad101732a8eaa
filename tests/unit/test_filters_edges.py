"""Audience filter facts at their edges: ties of the preferred store, shared month sets."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

import attrs
import pytest

from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.filters import (
    MAX_DEPTH,
    AgeBetween,
    AllOf,
    AnyOf,
    BirthdayInMonth,
    BirthdayWithin,
    BoughtInNotIn,
    CustomerFacts,
    Filter,
    HasPurchases,
    LastPurchaseBetween,
    LoyaltyProgram,
    Not,
    ValueBetween,
    VScoreBetween,
    facts_for_brand,
    filter_to_data,
    parse_filter,
)
from otocore.orders import Order
from otocore.rfv import RfvScore

DAY = date(2026, 5, 10)


def _person(cid: str) -> Customer:
    return Customer(customer_id=cid, name="Ana", registered_at=datetime(2024, 3, 1, 15, tzinfo=UTC))


def _sale(order_id: str, cid: str, store: str, day: tuple[int, int, int]) -> Order:
    return Order(
        order_id=order_id,
        customer_id=cid,
        store_id=store,
        placed_at=datetime(*day, 15, tzinfo=UTC),
        total=Decimal("50.00"),
        seller_code=None,
    )


def test_a_tie_on_visits_and_day_goes_to_the_lowest_store_id_for_every_customer() -> None:
    # Many customers, each with one visit to three stores on the same day: the
    # tie-break must not depend on the order in which visits happen to be kept.
    people = [_person(f"C{n:02d}") for n in range(24)]
    orders = [
        _sale(f"P{n}-{store}", f"C{n:02d}", store, (2026, 4, 2))
        for n in range(24)
        for store in (("L03", "L01", "L02") if n % 2 else ("L02", "L03", "L01"))
    ]
    found = facts_for_brand(people, orders, DAY)
    assert {f.preferred_store_id for f in found.values()} == {"L01"}


def test_a_tie_on_visits_goes_to_the_latest_visit_for_every_customer() -> None:
    people = [_person(f"C{n:02d}") for n in range(24)]
    orders = [
        _sale(f"P{n}-{store}", f"C{n:02d}", store, day)
        for n in range(24)
        for store, day in (("L01", (2026, 4, 2)), ("L09", (2026, 4, 3)), ("L05", (2026, 4, 1)))
    ]
    found = facts_for_brand(people, orders, DAY)
    assert {f.preferred_store_id for f in found.values()} == {"L09"}


def test_more_visits_beat_a_later_visit_and_a_lower_store_id() -> None:
    orders = [
        _sale("P1", "C1", "L02", (2026, 1, 5)),
        _sale("P2", "C1", "L02", (2026, 1, 6)),
        _sale("P3", "C1", "L01", (2026, 4, 1)),
        _sale("P4", "C1", "L02", (2026, 1, 6)),  # the same visit again: still two visits
    ]
    found = facts_for_brand([_person("C1")], orders, DAY)
    assert found["C1"].preferred_store_id == "L02"
    three = [
        *orders,
        _sale("P5", "C1", "L01", (2026, 4, 2)),
        _sale("P6", "C1", "L01", (2026, 4, 3)),
    ]
    assert facts_for_brand([_person("C1")], three, DAY)["C1"].preferred_store_id == "L01"


def test_customers_with_purchases_in_one_month_share_one_set_of_months() -> None:
    people = [_person("C1"), _person("C2"), _person("C3")]
    orders = [
        _sale("P1", "C1", "L01", (2026, 4, 2)),
        _sale("P2", "C2", "L01", (2026, 4, 20)),
        _sale("P3", "C3", "L01", (2026, 3, 2)),
        _sale("P4", "C3", "L01", (2026, 4, 2)),
    ]
    found = facts_for_brand(people, orders, DAY)
    assert found["C1"].purchase_months == found["C2"].purchase_months == {(2026, 4)}
    assert found["C1"].purchase_months is found["C2"].purchase_months  # one set, not a copy each
    assert found["C3"].purchase_months == {(2026, 3), (2026, 4)}


def test_a_decimal_string_may_carry_spaces() -> None:
    assert parse_filter({"value_between": {"min": " 10.50 "}}) == ValueBetween(min=Decimal("10.50"))


def test_a_bare_filter_object_is_not_a_child() -> None:
    bare = object.__new__(Filter)  # Filter() itself refuses; this sidesteps it
    with pytest.raises(
        ValidationError,
        match=r"^AllOf\.filters\[0\] must be a filter \(a node of otocore\.filters\), got <",
    ):
        AllOf([bare])
    with pytest.raises(ValidationError, match=r"^Not\.filter must be a filter"):
        Not(bare)


def test_an_object_that_only_looks_like_facts_is_refused() -> None:
    fake = SimpleNamespace(on=DAY, purchases=1)
    with pytest.raises(ValidationError, match=r"^facts must be a CustomerFacts, got namespace\("):
        HasPurchases().matches(fake, DAY)  # type: ignore[arg-type]


def _chain(levels: int) -> Filter:
    tree: Filter = HasPurchases()
    for n in range(levels - 1):
        tree = Not(tree) if n % 2 else AllOf([HasPurchases(), tree])
    return tree


def test_a_tree_may_nest_exactly_max_depth_levels() -> None:
    assert MAX_DEPTH == 32
    deepest = Not(_chain(MAX_DEPTH - 1))  # 32 levels
    assert AnyOf([HasPurchases(), _chain(MAX_DEPTH - 1)]).filters[1] == _chain(MAX_DEPTH - 1)
    assert deepest.filter == _chain(MAX_DEPTH - 1)
    with pytest.raises(ValidationError, match=r"^Not\.filter must not nest deeper than 32 levels"):
        Not(deepest)
    with pytest.raises(
        ValidationError, match=r"^AllOf\.filters\[1\] must not nest deeper than 32 levels"
    ):
        AllOf([HasPurchases(), _chain(MAX_DEPTH)])
    # The depth is that of the deepest branch, wherever it is among the children.
    wide = AllOf([_chain(MAX_DEPTH - 1), HasPurchases(), AnyOf([])])
    with pytest.raises(ValidationError, match=r"^Not\.filter must not nest deeper"):
        Not(wide)


def test_the_first_month_of_year_1_is_a_month() -> None:
    parsed = parse_filter({"bought_in_not_in": {"bought_in": "0001-01", "not_in": "9999-12"}})
    assert parsed == BoughtInNotIn(bought_in=(1, 1), not_in=(9999, 12))
    assert filter_to_data(parsed) == {
        "bought_in_not_in": {"bought_in": "0001-01", "not_in": "9999-12"}
    }


def test_a_node_class_outside_the_language_is_not_written() -> None:
    @attrs.frozen
    class Mine(HasPurchases):
        pass

    mine = Mine()
    assert mine.matches(facts_for_brand([_person("C1")], [], DAY)["C1"], DAY) is False
    with pytest.raises(ValidationError) as info:
        filter_to_data(mine)
    assert str(info.value) == f"filter must be a filter (a node of otocore.filters), got {mine!r}"
    with pytest.raises(ValidationError) as info:
        filter_to_data(AllOf([mine]))  # a nested one too
    assert str(info.value) == f"filter must be a filter (a node of otocore.filters), got {mine!r}"


def _nest_json(levels: int, key: str) -> dict[str, object]:
    data: dict[str, object] = {"has_purchases": {}}
    for _ in range(levels - 1):
        data = {key: [data]} if key != "not" else {key: data}
    return data


@pytest.mark.parametrize("key", ["all", "any", "not"])
def test_json_nests_max_depth_levels_through_every_combinator(key: str) -> None:
    assert isinstance(parse_filter(_nest_json(MAX_DEPTH, key)), AllOf | AnyOf | Not)
    step = f".{key}[0]" if key != "not" else ".not"
    with pytest.raises(ValidationError) as info:
        parse_filter(_nest_json(MAX_DEPTH + 1, key))
    assert str(info.value) == (
        "filter" + step * MAX_DEPTH + " must not nest deeper than 32 levels, got <nested filter>"
    )


def test_every_key_of_an_object_with_several_is_still_read() -> None:
    data = {"not": {"age_between": {"min": -1}}, "all": [{"sex_in": ["x"]}]}
    with pytest.raises(ValidationError) as info:
        parse_filter(data, path="f")
    assert str(info.value) == (
        "3 errors:\n"
        '  f must have exactly one key; combine filters with {"all": [...]} or {"any": [...]},'
        " got ['all', 'not']\n"
        "  f.not.age_between.min must be >= 0, got -1\n"
        "  f.all[0].sex_in[0] must be one of 'female', 'male', 'other', got 'x'"
    )


def test_null_categories_mean_any_member_of_the_program() -> None:
    data = {"loyalty_program": {"program": "Clube", "categories": None}}
    assert parse_filter(data) == LoyaltyProgram(program="Clube")
    assert filter_to_data(LoyaltyProgram(program="Clube")) == {
        "loyalty_program": {"program": "Clube"}
    }


def _facts_with(**customer: object) -> CustomerFacts:
    person = Customer(
        customer_id="C1",
        name="Ana",
        registered_at=datetime(2024, 3, 1, 15, tzinfo=UTC),
        **customer,  # type: ignore[arg-type]
    )
    return CustomerFacts.build(person, [], DAY)


def test_bounds_are_inclusive_at_both_ends() -> None:
    score = RfvScore(
        customer_id="C1",
        recency_days=12,
        frequency=4,
        value=Decimal("1150.00"),
        r=5,
        f=4,
        v=3,
        segment="champions",
    )
    scored = CustomerFacts.build(_person("C1"), [], DAY, rfv=score)
    assert VScoreBetween(min=3, max=3).matches(scored, DAY)
    assert not VScoreBetween(min=4).matches(scored, DAY)
    assert ValueBetween(max=Decimal("1150.00")).matches(scored, DAY)
    assert ValueBetween(min=Decimal("1150.00"), max=Decimal("1150.00")).matches(scored, DAY)
    assert not ValueBetween(max=Decimal("1149.99")).matches(scored, DAY)
    bought = facts_for_brand([_person("C1")], [_sale("P1", "C1", "L01", (2026, 4, 2))], DAY)["C1"]
    day = date(2026, 4, 2)
    assert LastPurchaseBetween(start=day, end=day).matches(bought, DAY)
    assert LastPurchaseBetween(start=day).matches(bought, DAY)
    assert not LastPurchaseBetween(start=date(2026, 4, 3)).matches(bought, DAY)


def test_combinators_pass_the_day_to_their_children() -> None:
    may = _facts_with(birth_date=date(1990, 5, 20))
    assert AnyOf([HasPurchases(), BirthdayInMonth()]).matches(may, DAY)
    assert not Not(BirthdayInMonth()).matches(may, DAY)
    assert AllOf([BirthdayInMonth()]).matches(may, DAY)


@pytest.mark.parametrize(
    ("year", "leap"), [(1900, False), (2000, True), (2024, True), (2025, False), (2100, False)]
)
def test_29_february_birthdays_in_century_years(year: int, leap: bool) -> None:
    leapling = Customer(
        customer_id="C1",
        name="Ana",
        registered_at=datetime(2024, 3, 1, 15, tzinfo=UTC),
        birth_date=date(1904, 2, 29),
    )
    feb28 = date(year, 2, 28)
    facts = CustomerFacts.build(leapling, [], feb28)
    # In a common year the birthday is 28 February; in a leap year it is the 29th.
    assert BirthdayWithin().matches(facts, feb28) is not leap
    assert BirthdayWithin(days_after=1).matches(facts, feb28)


def test_birthday_windows_reaching_the_ends_of_the_calendar() -> None:
    last = date(9999, 12, 30)
    born_31 = Customer(
        customer_id="C1",
        name="Ana",
        registered_at=datetime(2024, 3, 1, 15, tzinfo=UTC),
        birth_date=date(1990, 12, 31),
    )
    facts = CustomerFacts.build(born_31, [], last)
    assert BirthdayWithin(days_after=5).matches(facts, last)  # the window stops at 9999-12-31
    assert BirthdayWithin(days_after=366).matches(facts, last)
    first = date(1, 1, 2)
    born_1 = Customer(
        customer_id="C2",
        name="Bia",
        registered_at=datetime(2024, 3, 1, 15, tzinfo=UTC),
        birth_date=date(1990, 1, 1),
    )
    facts = CustomerFacts.build(born_1, [], first)
    assert BirthdayWithin(days_before=5).matches(facts, first)  # the window starts at 0001-01-01


def test_parameters_of_a_node_are_named_and_each_fault_reported() -> None:
    with pytest.raises(ValidationError) as info:
        parse_filter({"age_between": 5}, path="f")
    assert str(info.value) == (
        "f.age_between must be a JSON object of the filter's parameters (min, max), got 5"
    )
    with pytest.raises(ValidationError) as info:
        parse_filter({"r_score_between": {"min": 0, "max": 11}}, path="f")
    assert str(info.value) == (
        "2 errors:\n"
        "  f.r_score_between.min must be >= 1, got 0\n"
        "  f.r_score_between.max must be <= 10, got 11"
    )


def test_a_window_past_the_last_day_stops_at_the_last_day() -> None:
    def born(day: date, on: date) -> CustomerFacts:
        person = Customer(
            customer_id="C1",
            name="Ana",
            registered_at=datetime(2024, 3, 1, 15, tzinfo=UTC),
            birth_date=day,
        )
        return CustomerFacts.build(person, [], on)

    last = date.max  # 9999-12-31
    assert BirthdayWithin(days_after=1).matches(born(date(1990, 12, 31), last), last)
    # No birthday of someone born on 1 January falls in the last days of 9999.
    eve = date(9999, 12, 30)
    assert not BirthdayWithin(days_after=5).matches(born(date(1990, 1, 1), eve), eve)
    first = date.min  # 0001-01-01
    assert BirthdayWithin(days_before=1).matches(born(date(1990, 1, 1), first), first)


def test_a_null_parameter_is_left_out_and_the_next_one_still_read() -> None:
    assert parse_filter({"age_between": {"min": None, "max": 30}}) == AgeBetween(max=30)
    assert parse_filter({"last_purchase_between": {"start": None, "end": "2026-01-31"}}) == (
        LastPurchaseBetween(end=date(2026, 1, 31))
    )
