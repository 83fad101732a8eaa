"""Properties of ``discount_for``: only the customer's own, valid categories; the best wins; order is irrelevant."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from otocore.categories import (
    CategoryMembership,
    CustomerCategory,
    DiscountReason,
    discount_for,
    tie_order,
)
from otocore.testing import category_memberships, customer_categories

CUSTOMERS = ("C1", "C2", "C3")
DAYS = st.integers(-10, 130).map(lambda n: date(2026, 1, 1) + timedelta(days=n))


@st.composite
def brands(draw: st.DrawFn) -> tuple[list[CustomerCategory], list[CategoryMembership]]:
    categories = draw(
        st.lists(customer_categories(), max_size=7, unique_by=lambda c: c.category_id)
    )
    ids = [c.category_id for c in categories]
    members = (
        draw(
            st.lists(
                st.builds(CategoryMembership, st.sampled_from(ids), st.sampled_from(CUSTOMERS)),
                max_size=12,
            )
        )
        if ids
        else []
    )
    return categories, members


@given(brands(), st.sampled_from(CUSTOMERS), DAYS)
def test_only_the_customers_own_valid_categories_count_and_the_best_wins(
    brand: tuple[list[CustomerCategory], list[CategoryMembership]], customer: str, day: date
) -> None:
    categories, members = brand
    got = discount_for(customer, day, categories=categories, memberships=members)
    mine = {m.category_id for m in members if m.customer_id == customer}
    applying = [
        c
        for c in categories
        if c.category_id in mine and c.discount is not None and c.discount.valid_on(day)
    ]
    if not applying:
        assert got.percentage is None
        assert got.category is None
        assert got.reason is not DiscountReason.BEST_CATEGORY
        if not mine:
            assert got.reason is DiscountReason.IN_NO_CATEGORY
        return
    assert got.category is not None
    assert got.category.discount is not None
    assert got.category.category_id in mine  # never a category the customer is not in
    assert got.category.discount.valid_on(day)  # never an expired (or not yet valid) one
    assert got.percentage == got.category.discount.percentage
    assert got.percentage == max(c.discount.percentage for c in applying if c.discount)  # best
    # the tie rule: no applying category comes before the winner
    assert all(tie_order(got.category) <= tie_order(c) for c in applying)


@given(brands(), st.sampled_from(CUSTOMERS), DAYS, st.randoms(use_true_random=False))
def test_the_order_of_categories_and_memberships_is_irrelevant(
    brand: tuple[list[CustomerCategory], list[CategoryMembership]],
    customer: str,
    day: date,
    random: object,
) -> None:
    categories, members = brand
    got = discount_for(customer, day, categories=categories, memberships=members)
    shuffled_c, shuffled_m = list(categories), list(members) * 2  # repeats are harmless
    random.shuffle(shuffled_c)  # type: ignore[attr-defined]
    random.shuffle(shuffled_m)  # type: ignore[attr-defined]
    assert discount_for(customer, day, categories=shuffled_c, memberships=shuffled_m) == got


@given(st.lists(category_memberships(), max_size=5), DAYS)
def test_without_categories_nobody_gets_a_discount(
    members: list[CategoryMembership], day: date
) -> None:
    mine = [m for m in members if m.customer_id != "C9"]
    got = discount_for("C9", day, categories=[], memberships=mine)
    assert got.reason is DiscountReason.IN_NO_CATEGORY
    assert got.percentage is None
