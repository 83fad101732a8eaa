"""The SQL repository of customer categories (tables ``customer_categories``, ``customer_category_members``)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect

from otocore.adapters._categories import check_category, check_customer_ids, sort_key
from otocore.adapters._common import require_key
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._base import CHUNK, Repository
from otocore.categories import CategoryDiscount, CustomerCategory
from otocore.errors import NotFound

_C = t.customer_categories.c
_M = t.customer_category_members.c


def category_row(c: CustomerCategory) -> dict[str, Any]:
    """The ``customer_categories`` row storing ``c``."""
    d = c.discount
    return {
        "category_id": c.category_id,
        "name": c.name,
        "colour": c.colour,
        "discount_percentage": None if d is None else d.percentage,
        "discount_first_day": None if d is None else d.first_day,
        "discount_last_day": None if d is None else d.last_day,
    }


def category(row: Any) -> CustomerCategory:
    """The :class:`CustomerCategory` stored in a ``customer_categories`` row."""
    discount = None
    if row.discount_percentage is not None:
        discount = CategoryDiscount(
            row.discount_percentage,
            first_day=row.discount_first_day,
            last_day=row.discount_last_day,
        )
    return CustomerCategory(row.category_id, row.name, row.colour, discount=discount)


class Categories(Repository):
    def _key(self, category_id: str) -> str:
        key = require_key("category_id", category_id)
        stmt = sa.select(_C.category_id).where(_C.category_id == key)
        if self._first(stmt) is None:
            raise NotFound("CustomerCategory", category_id)
        return key

    def save(self, category: CustomerCategory) -> None:
        self._upsert_many(t.customer_categories, [category_row(check_category(category))])

    def get(self, category_id: str) -> CustomerCategory:
        return self._get_by(_C.category_id, category_id, category, "CustomerCategory")

    def list(self) -> builtins.list[CustomerCategory]:
        # sorted here: a PostgreSQL collation may not order names as Python's str does
        return sorted(self._all(sa.select(t.customer_categories), category), key=sort_key)

    def delete(self, category_id: str) -> int:
        key = self._key(category_id)
        conn = self._c
        gone = conn.execute(
            sa.delete(t.customer_category_members).where(_M.category_id == key)
        ).rowcount
        conn.execute(sa.delete(t.customer_categories).where(_C.category_id == key))
        return int(gone)

    def _present(self, key: str, customer_ids: builtins.list[str]) -> set[str]:
        found: set[str] = set()
        for start in range(0, len(customer_ids), CHUNK):
            chunk = customer_ids[start : start + CHUNK]
            stmt = sa.select(_M.customer_id).where(_M.category_id == key, _M.customer_id.in_(chunk))
            found.update(self._c.execute(stmt).scalars())
        return found

    def add_members(self, category_id: str, customer_ids: Iterable[str]) -> int:
        ids = check_customer_ids(customer_ids)
        key = self._key(category_id)
        present = self._present(key, ids)
        new = [{"category_id": key, "customer_id": c} for c in ids if c not in present]
        # a concurrent block may add the same member: ON CONFLICT DO NOTHING keeps it one row
        conn = self._c
        insert = sqlite_dialect.insert if conn.dialect.name == "sqlite" else pg_dialect.insert
        stmt = insert(t.customer_category_members).on_conflict_do_nothing()
        for start in range(0, len(new), CHUNK):
            conn.execute(stmt, new[start : start + CHUNK])
        return len(new)

    def remove_members(self, category_id: str, customer_ids: Iterable[str]) -> int:
        ids = check_customer_ids(customer_ids)
        key = self._key(category_id)
        gone = 0
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            stmt = sa.delete(t.customer_category_members).where(
                _M.category_id == key, _M.customer_id.in_(chunk)
            )
            gone += int(self._c.execute(stmt).rowcount)
        return gone

    def members(self, category_id: str) -> builtins.list[str]:
        key = self._key(category_id)
        stmt = sa.select(_M.customer_id).where(_M.category_id == key).order_by(_M.customer_id)
        return list(self._c.execute(stmt).scalars())

    def count_members(self, category_id: str) -> int:
        key = self._key(category_id)
        stmt = sa.select(sa.func.count()).where(_M.category_id == key)
        return int(self._c.execute(stmt).scalar_one())

    def for_customer(self, customer_id: str) -> builtins.list[CustomerCategory]:
        key = require_key("customer_id", customer_id)
        stmt = (
            sa.select(t.customer_categories)
            .join(t.customer_category_members, _M.category_id == _C.category_id)
            .where(_M.customer_id == key)
        )
        return sorted(self._all(stmt, category), key=sort_key)
