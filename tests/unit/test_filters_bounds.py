"""Edges of the filter nodes' parameter checks found by mutation testing (docs/mutation.md)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from _support.builders import at, customer, order
from otocore.errors import ValidationError
from otocore.filters import (
    CustomerFacts,
    FrequencyBetween,
    SegmentIn,
    ValueBetween,
    facts_for_brand,
)
from otocore.orders import Order

DAY = date(2026, 5, 10)


def test_a_segment_key_may_have_fifty_characters() -> None:
    key = "k" * 50
    assert SegmentIn(segments=(key,)).segments == (key,)
    with pytest.raises(ValidationError, match=r"^SegmentIn\.segments\[0\] must be a segment key"):
        SegmentIn(segments=("k" * 51,))


@pytest.mark.parametrize("bad", [5, 5.0, "5.00", True])
def test_a_money_bound_must_be_a_decimal(bad: Any) -> None:
    with pytest.raises(
        ValidationError, match=r"^ValueBetween\.min must be a decimal\.Decimal \(never a float\)"
    ):
        ValueBetween(min=bad)
    assert ValueBetween(min=Decimal("5.00")).min == Decimal("5.00")


def test_an_integer_range_uses_its_node_limits() -> None:
    assert FrequencyBetween(min=0).min == 0
    with pytest.raises(ValidationError, match=r"^FrequencyBetween\.min must be >= 0"):
        FrequencyBetween(min=-1)


def test_purchase_months_of_mixed_types_are_refused_by_the_rule_not_a_type_error() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^CustomerFacts\.purchase_months must be a \(year, month\) pair",
    ):
        CustomerFacts(
            customer=customer(),
            on=DAY,
            registered_on=date(2026, 3, 1),
            last_purchase=date(2026, 5, 1),
            purchases=1,
            purchase_months=frozenset({(2026, 5), "2026-05"}),
        )


def _store_sale(n: int, store: str, day: date) -> Order:
    return order(order_id=f"P{store}{n}", store_id=store, placed_at=at(day, 15))


def _tied_stores() -> list[Order]:
    # L01 and L02 have eleven visits each; L01's latest (the 30th) is the later one,
    # hidden among ten earlier visits, so it must be found, not whichever comes last.
    l01 = [date(2026, 1, d) for d in (*range(1, 11), 30)]
    l02 = [date(2026, 1, d) for d in range(11, 22)]
    return [_store_sale(n, "L01", d) for n, d in enumerate(l01)] + [
        _store_sale(n, "L02", d) for n, d in enumerate(l02)
    ]


def test_a_tie_in_visits_goes_to_the_store_with_the_latest_visit() -> None:
    built = CustomerFacts.build(customer(), _tied_stores(), DAY)
    assert built.preferred_store_id == "L01"
    assert CustomerFacts.build(customer(), list(reversed(_tied_stores())), DAY) == built


def test_orders_may_be_any_iterable_even_a_generator() -> None:
    orders = _tied_stores()
    from_list = CustomerFacts.build(customer(), orders, DAY)
    assert CustomerFacts.build(customer(), (o for o in orders), DAY) == from_list
    assert CustomerFacts.build(customer(), iter(orders), DAY).purchases == 22


def test_a_whole_brand_may_give_its_orders_as_a_generator() -> None:
    orders = _tied_stores()
    from_list = facts_for_brand([customer()], orders, DAY)
    assert facts_for_brand([customer()], (o for o in orders), DAY) == from_list
    assert from_list["C1"].purchases == 22
    assert from_list["C1"].preferred_store_id == "L01"
