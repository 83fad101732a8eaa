"""Categories and their members, driven by random service calls, against a dict model.

Adding a selection that names an unknown customer must write nothing; adding and
removing otherwise behave as set operations; a customer's discount is always the one
the pure rule gives for the model's memberships.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.bulk import UnknownCustomers, add_to_category, category_discount, remove_from_category
from otocore.categories import CategoryDiscount, CategoryMembership, CustomerCategory, discount_for
from otocore.customers import Customer

KNOWN = ("C1", "C2", "C3", "C4")
IDS = st.lists(st.sampled_from((*KNOWN, "X1", "X2")), max_size=5)
CATEGORIES = (
    CustomerCategory("OURO", "Ouro", "#ffd700", discount=CategoryDiscount(Decimal(10))),
    CustomerCategory("PRATA", "Prata", "#c0c0c0", discount=CategoryDiscount(Decimal(10))),
    CustomerCategory(
        "MAIO",
        "Maio",
        "#2e86c1",
        discount=CategoryDiscount(
            Decimal(15), first_day=date(2026, 5, 1), last_day=date(2026, 5, 31)
        ),
    ),
    CustomerCategory("NOVOS", "Novos", "#27ae60"),
)
NAMES = st.sampled_from([c.category_id for c in CATEGORIES])
DAYS = st.sampled_from([date(2026, 4, 30), date(2026, 5, 1), date(2026, 5, 31), date(2026, 6, 1)])


class CategoriesMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.uow = InMemoryUnitOfWork()
        when = datetime(2026, 1, 1, tzinfo=UTC)
        with self.uow:
            for cid in KNOWN:
                self.uow.customers.add(Customer(customer_id=cid, name=cid, registered_at=when))
            for category in CATEGORIES:
                self.uow.categories.save(category)
        self.model: dict[str, set[str]] = {c.category_id: set() for c in CATEGORIES}

    @rule(category=NAMES, ids=IDS)
    def add(self, category: str, ids: list[str]) -> None:
        unknown = sorted({i for i in ids if i not in KNOWN})
        if unknown:
            with pytest.raises(UnknownCustomers) as info:
                add_to_category(self.uow, category, ids)
            assert list(info.value.customer_ids) == unknown
            return
        change = add_to_category(self.uow, category, ids)
        new = set(ids) - self.model[category]
        assert change.changed == len(new)
        self.model[category] |= set(ids)
        assert change.members == len(self.model[category])

    @rule(category=NAMES, ids=IDS)
    def remove(self, category: str, ids: list[str]) -> None:
        change = remove_from_category(self.uow, category, ids)
        assert change.changed == len(set(ids) & self.model[category])
        self.model[category] -= set(ids)

    @rule(customer=st.sampled_from(KNOWN), day=DAYS)
    def discount(self, customer: str, day: date) -> None:
        members = [
            CategoryMembership(category, cid) for category, ids in self.model.items() for cid in ids
        ]
        expected = discount_for(customer, day, categories=CATEGORIES, memberships=members)
        assert category_discount(self.uow, customer, day) == expected

    @invariant()
    def the_store_holds_the_model(self) -> None:
        with self.uow:
            for category, ids in self.model.items():
                assert self.uow.categories.members(category) == sorted(ids)


TestCategoriesMachine = CategoriesMachine.TestCase
TestCategoriesMachine.settings = settings(stateful_step_count=20, deadline=None)
