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
    AllOf,
    AnyOf,
    BoughtInNotIn,
    Filter,
    HasPurchases,
    LoyaltyProgram,
    Not,
    ValueBetween,
    facts_for_brand,
    filter_to_data,
    parse_filter,
)
from otocore.orders import Order

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
