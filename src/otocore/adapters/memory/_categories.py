"""The in-memory repository of customer categories and their members."""

from __future__ import annotations

import builtins
from collections.abc import Iterable

from otocore.adapters._categories import check_category, check_customer_ids, sort_key
from otocore.adapters._common import require_key
from otocore.adapters.memory._base import Repository
from otocore.categories import CategoryMembership, CustomerCategory


class Categories(Repository):
    """Two tables: ``categories`` (id -> category) and ``category_members`` ((category, customer) -> membership)."""

    def _category(self, category_id: str) -> CustomerCategory:
        return self._get("categories", "category_id", category_id, CustomerCategory)

    def save(self, category: CustomerCategory) -> None:
        checked = check_category(category)
        self._t.put("categories", checked.category_id, checked)

    def get(self, category_id: str) -> CustomerCategory:
        return self._category(category_id)

    def list(self) -> builtins.list[CustomerCategory]:
        return sorted(self._t.rows("categories").values(), key=sort_key)

    def delete(self, category_id: str) -> int:
        key = self._category(category_id).category_id
        members = self._t.lookup("members_by_category", key)
        for member in members:
            self._t.delete("category_members", (key, member.customer_id))
        self._t.delete("categories", key)
        return len(members)

    def add_members(self, category_id: str, customer_ids: Iterable[str]) -> int:
        key = self._category(category_id).category_id
        added = 0
        for customer_id in check_customer_ids(customer_ids):
            if self._t.get("category_members", (key, customer_id)) is None:
                self._t.put(
                    "category_members", (key, customer_id), CategoryMembership(key, customer_id)
                )
                added += 1
        return added

    def remove_members(self, category_id: str, customer_ids: Iterable[str]) -> int:
        key = self._category(category_id).category_id
        removed = 0
        for customer_id in check_customer_ids(customer_ids):
            if self._t.get("category_members", (key, customer_id)) is not None:
                self._t.delete("category_members", (key, customer_id))
                removed += 1
        return removed

    def members(self, category_id: str) -> builtins.list[str]:
        key = self._category(category_id).category_id
        return sorted(m.customer_id for m in self._t.lookup("members_by_category", key))

    def count_members(self, category_id: str) -> int:
        key = self._category(category_id).category_id
        return len(self._t.lookup("members_by_category", key))

    def for_customer(self, customer_id: str) -> builtins.list[CustomerCategory]:
        key = require_key("customer_id", customer_id)
        found = (
            self._t.get("categories", m.category_id)
            for m in self._t.lookup("members_by_customer", key)
        )
        return sorted((c for c in found if c is not None), key=sort_key)
