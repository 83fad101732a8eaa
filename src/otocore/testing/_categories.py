"""Hypothesis strategies for :mod:`otocore.categories`, re-exported by :mod:`otocore.testing`."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from otocore.categories import (
    CategoryDiscount,
    CategoryMembership,
    CustomerCategory,
    DiscountDecision,
    discount_for,
)
from otocore.testing._strategies import customer_ids

__all__ = [
    "category_discounts",
    "category_ids",
    "category_memberships",
    "customer_categories",
    "discount_decisions",
]

_NAMES = ("Clientes VIP", "Ouro", "Prata", "Aniversariantes", "Novos clientes", "Atacado", "Ouro")
_FIRST = date(2026, 1, 1)


def category_ids(*, max_count: int = 6) -> st.SearchStrategy[str]:
    """Category ids from a small pool (``K1`` ...), so that collisions happen.

    >>> from hypothesis import find
    >>> find(category_ids(), lambda x: True).startswith("K")
    True
    """
    return st.integers(1, max_count).map(lambda n: f"K{n}")


def category_discounts(
    *, first: date = _FIRST, days: int = 120
) -> st.SearchStrategy[CategoryDiscount]:
    """Discounts of 0.01% to 100% (a few whole values, so that ties happen), any period in ``days`` days from ``first``.

    >>> from hypothesis import find
    >>> find(category_discounts(), lambda d: True).percentage > 0
    True
    """
    percentages = st.one_of(
        st.sampled_from([Decimal(5), Decimal(10), Decimal("12.5"), Decimal(100)]),
        st.integers(1, 10_000).map(lambda n: Decimal(n).scaleb(-2)),
    )
    ends = st.none() | st.integers(0, days).map(lambda n: first + timedelta(days=n))

    def build(p: Decimal, a: date | None, b: date | None) -> CategoryDiscount:
        if a is not None and b is not None and b < a:
            a, b = b, a
        return CategoryDiscount(p, first_day=a, last_day=b)

    return st.builds(build, percentages, ends, ends)


def customer_categories(
    *, ids: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[CustomerCategory]:
    """Categories with a name from a small pool (so that ties on the name happen), maybe a discount.

    >>> from hypothesis import find
    >>> find(customer_categories(), lambda c: True).colour.startswith("#")
    True
    """
    colours = st.integers(0, 0xFFFFFF).map(lambda n: f"#{n:06X}")
    return st.builds(
        CustomerCategory,
        ids if ids is not None else category_ids(),
        st.sampled_from(_NAMES),
        colours,
        discount=st.none() | category_discounts(),
    )


def category_memberships() -> st.SearchStrategy[CategoryMembership]:
    """Memberships of a small pool of categories and customers.

    >>> from hypothesis import find
    >>> find(category_memberships(), lambda m: True).category_id.startswith("K")
    True
    """
    return st.builds(CategoryMembership, category_ids(), customer_ids(max_count=5))


@st.composite
def _decision(draw: st.DrawFn) -> DiscountDecision:
    categories = draw(
        st.lists(customer_categories(), max_size=5, unique_by=lambda c: c.category_id)
    )
    mine = (
        draw(st.sets(st.sampled_from([c.category_id for c in categories]))) if categories else set()
    )
    day = _FIRST + timedelta(days=draw(st.integers(-10, 130)))
    members = [CategoryMembership(cid, "C1") for cid in sorted(mine)]
    return discount_for("C1", day, categories=categories, memberships=members)


def discount_decisions() -> st.SearchStrategy[DiscountDecision]:
    """What :func:`~otocore.categories.discount_for` answers for customer ``C1`` of a drawn brand.

    >>> from hypothesis import find
    >>> find(discount_decisions(), lambda d: d.applies).category is not None
    True
    """
    return _decision()


def strategy_table() -> dict[type, st.SearchStrategy[object]]:
    """The default strategy of each category value type, for ``st.from_type``."""
    return {
        CategoryDiscount: category_discounts(),
        CustomerCategory: customer_categories(),
        CategoryMembership: category_memberships(),
        DiscountDecision: discount_decisions(),
    }
