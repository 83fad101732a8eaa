"""What the category stores share: argument checks. Private."""

from __future__ import annotations

from typing import Any

from otocore import _validate as v
from otocore.adapters._common import require, require_key
from otocore.categories import CustomerCategory


def check_category(value: Any) -> CustomerCategory:
    """``value`` if it is a :class:`CustomerCategory` (ValidationError otherwise)."""
    return require("category", value, CustomerCategory)


def check_customer_ids(value: Any) -> list[str]:
    """The distinct customer ids of ``value`` (an iterable of ids), in their first order."""
    items = v.require_iterable("customer_ids", value, rule="must be an iterable of customer ids")
    seen: dict[str, None] = {}
    for i, item in enumerate(items):
        seen.setdefault(require_key(f"customer_ids[{i}]", item), None)
    return list(seen)


def sort_key(category: CustomerCategory) -> tuple[str, str]:
    """Lists of categories: by name, then id."""
    return (category.name, category.category_id)
