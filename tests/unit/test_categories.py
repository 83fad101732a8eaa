"""Customer categories and ``discount_for``: worked examples in Altegio's words."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from otocore.categories import (
    CategoryDiscount,
    CategoryMembership,
    CustomerCategory,
    DiscountReason,
    discount_for,
    tie_order,
)
from otocore.errors import ValidationError

DAY = date(2026, 5, 10)


def _category(cid: str, name: str, percentage: str | None, **period: date) -> CustomerCategory:
    discount = None if percentage is None else CategoryDiscount(Decimal(percentage), **period)
    return CustomerCategory(cid, name, "#123abc", discount=discount)


def test_altegio_grants_the_category_discount_automatically() -> None:
    # "você pode conceder descontos automaticamente aos clientes e adicionar clientes a
    # determinadas categorias" (Altegio's customer database help page)
    vip = _category("VIP", "Clientes VIP", "10")
    got = discount_for("ANA", DAY, categories=[vip], memberships=[CategoryMembership("VIP", "ANA")])
    assert got.applies
    assert (got.percentage, got.category, got.reason) == (
        Decimal(10),
        vip,
        DiscountReason.BEST_CATEGORY,
    )
    assert got.detail == (
        "10% from category 'Clientes VIP' (VIP), the only category with a discount valid on 2026-05-10"
    )


def test_the_reasons_without_a_discount_are_told_apart() -> None:
    new = _category("NOVOS", "Novos clientes", None)
    may = _category(
        "MAIO",
        "Aniversariantes de maio",
        "15",
        first_day=date(2026, 5, 1),
        last_day=date(2026, 5, 31),
    )
    members = [CategoryMembership("NOVOS", "BIA"), CategoryMembership("MAIO", "ANA")]
    brand = [new, may]
    caio = discount_for("CAIO", DAY, categories=brand, memberships=members)
    assert (caio.reason, caio.detail) == (DiscountReason.IN_NO_CATEGORY, "CAIO is in no category")
    bia = discount_for("BIA", DAY, categories=brand, memberships=members)
    assert bia.reason is DiscountReason.NO_CATEGORY_DISCOUNT
    assert bia.detail == "none of BIA's 1 category carries a discount"
    ana = discount_for("ANA", date(2026, 6, 1), categories=brand, memberships=members)
    assert ana.reason is DiscountReason.NOT_VALID_ON_DAY
    assert ana.detail == (
        "no discount of ANA's categories is valid on 2026-06-01"
        " ('Aniversariantes de maio': 2026-05-01 to 2026-05-31)"
    )
    assert ana.percentage is None
    assert ana.category is None
    assert not ana.applies


def test_the_tie_rule_is_name_then_id() -> None:
    a = _category("K2", "Ouro", "10")
    b = _category("K1", "Ouro", "10")
    c = _category("K3", "Diamante", "10")
    d = _category("K0", "Zebra", "10.01")
    assert sorted([a, b, c, d], key=tie_order) == [d, c, b, a]
    members = [CategoryMembership(x.category_id, "ANA") for x in (a, b, c)]
    got = discount_for("ANA", DAY, categories=[a, b, c, d], memberships=members)
    assert got.category == c  # K0 gives more but ANA is not in it


def test_colours_are_checked_and_kept_in_lowercase() -> None:
    assert CustomerCategory("X", "X", "#ABCDEF").colour == "#abcdef"
    for bad in ("ABCDEF", "#abc", "#abcdeg", "#abcdef0", 0xABCDEF, None):
        with pytest.raises(ValidationError, match=r"CustomerCategory\.colour must be a hex colour"):
            CustomerCategory("X", "X", bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "bad",
    [
        Decimal(0),
        Decimal("-1"),
        Decimal("100.01"),
        Decimal("10.001"),
        Decimal("NaN"),
        Decimal("Infinity"),
    ],
)
def test_a_percentage_is_above_0_at_most_100_with_2_places(bad: Decimal) -> None:
    with pytest.raises(
        ValidationError, match=r"CategoryDiscount\.percentage must be > 0 and <= 100"
    ) as info:
        CategoryDiscount(bad)
    assert info.value.field == "CategoryDiscount.percentage"


def test_a_float_percentage_or_a_datetime_day_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"must be a decimal\.Decimal"):
        CategoryDiscount(10.5)  # type: ignore[arg-type]
    with pytest.raises(
        ValidationError, match=r"CategoryDiscount\.first_day must be a datetime\.date"
    ):
        CategoryDiscount(Decimal(1), first_day="2026-05-01")  # type: ignore[arg-type]
    assert CategoryDiscount(Decimal("100")).percentage == 100
    assert CategoryDiscount(Decimal("0.01"), first_day=DAY, last_day=DAY).valid_on(DAY)


def test_bad_arguments_of_discount_for_name_the_field() -> None:
    vip = _category("VIP", "Clientes VIP", "10")
    with pytest.raises(ValidationError, match=r"categories\[1\]\.category_id must not repeat"):
        discount_for("ANA", DAY, categories=[vip, vip], memberships=[])
    with pytest.raises(ValidationError, match=r"on must be a datetime\.date"):
        discount_for("ANA", "2026-05-10", categories=[vip], memberships=[])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"memberships\[0\] must be a CategoryMembership"):
        discount_for("ANA", DAY, categories=[vip], memberships=[("VIP", "ANA")])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="customer_id must not be empty"):
        discount_for("", DAY, categories=[vip], memberships=[])
    # a membership of another customer naming an unknown category is not this customer's concern
    other = [CategoryMembership("GONE", "BIA")]
    assert discount_for("ANA", DAY, categories=[vip], memberships=other).reason is (
        DiscountReason.IN_NO_CATEGORY
    )
