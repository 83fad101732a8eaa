"""Order items (otocore.orders.OrderItem, product_quantity): the lines of a telesales order.

VTEX's Televendas help page: "Não há restrições sobre aumento e redução de preço" (an
operator may raise or lower a price without limit); a manual price is authorized by the rules
of otocore.authorization.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from otocore.errors import ValidationError
from otocore.orders import OrderItem, product_quantity


def item(
    list_price: str, manual: str | None, *, sku: str = "CAMISA", quantity: int = 1
) -> OrderItem:
    return OrderItem(
        sku=sku,
        quantity=quantity,
        list_price=Decimal(list_price),
        manual_price=None if manual is None else Decimal(manual),
    )


# --- OrderItem -----------------------------------------------------------------------


def test_an_item_without_manual_price_charges_the_list_price() -> None:
    plain = item("59.90", None, quantity=3)
    assert (plain.has_manual_price, plain.effective_price, plain.line_total) == (
        False,
        Decimal("59.90"),
        Decimal("179.70"),
    )


def test_no_restriction_on_raising_or_lowering_a_price() -> None:
    # "Não há restrições sobre aumento e redução de preço"
    raised = item("10.00", "1000000.00", quantity=2)
    lowered = item("10.00", "0.00")
    assert raised.line_total == Decimal("2000000.00")
    assert lowered.line_total == Decimal("0.00")
    assert raised.has_manual_price
    assert lowered.has_manual_price


@pytest.mark.parametrize(
    ("field", "kwargs"),
    [
        ("OrderItem.quantity", {"quantity": 0}),
        ("OrderItem.quantity", {"quantity": True}),
        ("OrderItem.list_price", {"list_price": Decimal("1.001")}),
        ("OrderItem.list_price", {"list_price": 1.5}),
        ("OrderItem.manual_price", {"manual_price": Decimal("-0.01")}),
        ("OrderItem.sku", {"sku": ""}),
    ],
)
def test_bad_items_are_refused_naming_the_field(field: str, kwargs: dict[str, object]) -> None:
    fields: dict[str, object] = {"sku": "A", "quantity": 1, "list_price": Decimal("1.00")}
    with pytest.raises(ValidationError) as caught:
        OrderItem(**{**fields, **kwargs})  # type: ignore[arg-type]
    assert caught.value.field == field


def test_product_quantity_is_the_sum_of_quantities() -> None:
    assert product_quantity([item("1.00", None, quantity=2), item("1.00", "0.50", quantity=5)]) == 7
    with pytest.raises(ValidationError, match=r"items\[1\] must be an OrderItem"):
        product_quantity([item("1.00", None), "A"])


def test_a_manual_price_equal_to_the_list_price_is_still_a_manual_price() -> None:
    same = item("10.00", "10.00", quantity=2)
    assert (same.has_manual_price, same.effective_price, same.line_total) == (
        True,
        Decimal("10.00"),
        Decimal("20.00"),
    )


def test_items_are_frozen_values() -> None:
    one = item("10.00", "9.00")
    assert one == item("10.00", "9.00")
    assert hash(one) == hash(item("10.00", "9.00"))
    with pytest.raises(AttributeError):
        one.quantity = 2  # type: ignore[misc]
