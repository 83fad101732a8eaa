# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of customer categories (``CategoryRepository``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.categories import CategoryDiscount, CustomerCategory
from otocore.errors import NotFound, ValidationError
from otocore.testing._categories import customer_categories
from otocore.testing.storage._builders import PROPERTY_SETTINGS, MakeUow

VIP = CustomerCategory(
    "VIP",
    "Clientes VIP",
    "#c0392b",
    discount=CategoryDiscount(
        Decimal("12.50"), first_day=date(2026, 5, 1), last_day=date(2026, 5, 31)
    ),
)
NEW = CustomerCategory("NOVOS", "Novos clientes", "#27ae60")
GOLD = CustomerCategory("OURO", "Clientes VIP", "#ffd700", discount=CategoryDiscount(Decimal(5)))


class CategoriesContract:
    """Customer categories: saved by id, memberships as a set, sorted lists, NotFound."""

    def test_a_category_round_trips_with_its_discount(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            for c in (VIP, NEW, GOLD):
                uow.categories.save(c)
        with uow:
            assert uow.categories.get("VIP") == VIP
            assert uow.categories.get("VIP").discount.percentage == Decimal("12.50")  # type: ignore[union-attr]
            assert uow.categories.get("NOVOS").discount is None
            # by name, then id: two "Clientes VIP" come in id order
            assert [c.category_id for c in uow.categories.list()] == ["OURO", "VIP", "NOVOS"]

    def test_saving_again_replaces_the_category_and_keeps_its_members(
        self, make_uow: MakeUow
    ) -> None:
        uow = make_uow()
        with uow:
            uow.categories.save(VIP)
            uow.categories.add_members("VIP", ["C1"])
        renamed = CustomerCategory("VIP", "VIP 2026", "#000000")
        with uow:
            uow.categories.save(renamed)
        with uow:
            assert uow.categories.list() == [renamed]
            assert uow.categories.members("VIP") == ["C1"]

    def test_memberships_are_a_set(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.categories.save(VIP)
            uow.categories.save(NEW)
            assert uow.categories.add_members("VIP", ["C2", "C1", "C2"]) == 2
            assert uow.categories.add_members("VIP", ["C1", "C3"]) == 1
            assert uow.categories.add_members("NOVOS", iter(["C1"])) == 1
        with uow:
            assert uow.categories.members("VIP") == ["C1", "C2", "C3"]
            assert uow.categories.count_members("VIP") == 3
            assert uow.categories.for_customer("C1") == [VIP, NEW]
            assert uow.categories.for_customer("C9") == []
            assert uow.categories.remove_members("VIP", ["C1", "C9", "C1"]) == 1
        with uow:
            assert uow.categories.members("VIP") == ["C2", "C3"]
            assert uow.categories.for_customer("C1") == [NEW]

    def test_deleting_a_category_takes_its_members_with_it(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.categories.save(VIP)
            uow.categories.save(NEW)
            uow.categories.add_members("VIP", ["C1", "C2"])
            uow.categories.add_members("NOVOS", ["C1"])
        with uow:
            assert uow.categories.delete("VIP") == 2
        with uow:
            assert uow.categories.list() == [NEW]
            assert uow.categories.for_customer("C1") == [NEW]
            assert uow.categories.for_customer("C2") == []
            uow.categories.save(VIP)  # a new category of the old id starts empty
            assert uow.categories.members("VIP") == []

    def test_an_unknown_category_is_not_found(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            for call in (
                lambda: uow.categories.get("X"),
                lambda: uow.categories.delete("X"),
                lambda: uow.categories.add_members("X", ["C1"]),
                lambda: uow.categories.remove_members("X", ["C1"]),
                lambda: uow.categories.members("X"),
                lambda: uow.categories.count_members("X"),
            ):
                with pytest.raises(NotFound, match="'X' not found"):
                    call()

    def test_bad_arguments_write_nothing(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.categories.save(VIP)
        with uow:
            with pytest.raises(ValidationError, match=r"customer_ids\[1\]"):
                uow.categories.add_members("VIP", ["C1", ""])
            with pytest.raises(ValidationError, match="customer_ids must be an iterable"):
                uow.categories.add_members("VIP", "C1")
            with pytest.raises(ValidationError, match="category must be a CustomerCategory"):
                uow.categories.save("VIP")  # type: ignore[arg-type]
            assert uow.categories.members("VIP") == []

    def test_a_rolled_back_block_leaves_no_membership(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.categories.save(VIP)

        def fail() -> None:
            with uow:
                uow.categories.add_members("VIP", ["C1"])
                uow.categories.save(NEW)
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            fail()
        with uow:
            assert uow.categories.list() == [VIP]
            assert uow.categories.members("VIP") == []

    @PROPERTY_SETTINGS
    @given(
        st.lists(customer_categories(), max_size=6, unique_by=lambda c: c.category_id),
        st.data(),
    )
    def test_categories_and_memberships_read_back_as_saved(
        self, make_uow: MakeUow, categories: list[CustomerCategory], data: st.DataObject
    ) -> None:
        uow = make_uow()
        members = {
            c.category_id: data.draw(st.sets(st.sampled_from(["C1", "C2", "C3", "C4"])))
            for c in categories
        }
        with uow:
            for c in categories:
                uow.categories.save(c)
                uow.categories.add_members(c.category_id, sorted(members[c.category_id]))
        with uow:
            assert uow.categories.list() == sorted(
                categories, key=lambda c: (c.name, c.category_id)
            )
            for c in categories:
                assert uow.categories.members(c.category_id) == sorted(members[c.category_id])
            for customer in ("C1", "C2", "C3", "C4"):
                mine = [c for c in categories if customer in members[c.category_id]]
                assert uow.categories.for_customer(customer) == sorted(
                    mine, key=lambda c: (c.name, c.category_id)
                )
