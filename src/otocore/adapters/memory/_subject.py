"""The in-memory repository of a customer's erasure (relink to an anonymous id, delete)."""

from __future__ import annotations

from collections.abc import Hashable
from types import MappingProxyType
from typing import Any

import attrs

from otocore.adapters._common import require, require_key
from otocore.adapters._subject import ERASED, RELINKED, check_ids, scrubbed_contact
from otocore.adapters.memory._base import Repository
from otocore.customers import Cpf


class SubjectData(Repository):
    """Reads and writes the other repositories' tables, in the same transaction."""

    def _keys(self, index: str, value: Hashable) -> set[Any]:
        txn = self._t
        keys = set(txn.snapshot.index[index].get(value, frozenset()))
        keys |= txn.new_index[index].get(value, set())
        return keys

    def _event_keys(self, table: str, index: str, value: Hashable, attr: str) -> list[Any]:
        txn = self._t
        found = []
        for k in self._keys(index, value):
            row = txn.get(table, k)
            if row is not None and _attr(row, attr) == value:
                found.append(k)
        return found

    def relink(self, customer_id: str, anonymous_id: str) -> dict[str, int]:
        old, new = check_ids(customer_id, anonymous_id)
        txn = self._t
        counts = dict.fromkeys(RELINKED, 0)
        for order in txn.lookup("orders_by_customer", old):
            txn.put("orders", order.order_id, attrs.evolve(order, customer_id=new))
            counts["orders"] += 1
        for order in [o for o in txn.rows("telesales").values() if o.customer_id == old]:
            txn.put("telesales", order.order_id, attrs.evolve(order, customer_id=new))
            counts["telesales_orders"] += 1
        for key in self._event_keys("consent", "consent_by_customer", old, "customer_id"):
            txn.put("consent", key, attrs.evolve(txn.get("consent", key), customer_id=new))
            counts["consent_events"] += 1
        for contact in txn.lookup("contacts_by_customer", old):
            txn.put("contacts", contact.contact_id, scrubbed_contact(contact, new))
            counts["contacts"] += 1
        return counts

    def erase(self, customer_id: str) -> dict[str, int]:
        old = require_key("customer_id", customer_id)
        txn = self._t
        counts = dict.fromkeys(ERASED, 0)
        for table, name in (("customers", "customers"), ("portfolio", "portfolio")):
            if txn.get(table, old) is not None:
                txn.delete(table, old)
                counts[name] += 1
        for table, name in (("rfv", "rfv_scores"), ("outcomes", "day_outcomes")):
            for key, by_customer in list(txn.rows(table).items()):
                if old in by_customer:
                    kept = {k: v for k, v in by_customer.items() if k != old}
                    txn.put(table, key, MappingProxyType(kept))
                    counts[name] += 1
        for suggestion in txn.lookup("suggestions_by_customer", old):
            txn.delete("suggestions", suggestion.suggestion_id)
            counts["suggestions"] += 1
        for member in txn.lookup("members_by_customer", old):
            txn.delete("category_members", (member.category_id, member.customer_id))
            counts["category_members"] += 1
        for key in self._event_keys("consent", "consent_by_customer", old, "customer_id"):
            txn.delete("consent", key)
            counts["consent_events"] += 1
        for contact in txn.lookup("contacts_by_customer", old):
            txn.delete("contacts", contact.contact_id)
            counts["contacts"] += 1
        return counts

    def erase_blocks(self, cpf: Cpf) -> int:
        digits = require("cpf", cpf, Cpf).digits
        txn = self._t
        keys = [
            k for k in self._keys("blocks_by_cpf", digits) if _cpf(txn.get("blocks", k)) == digits
        ]
        for key in keys:
            txn.delete("blocks", key)
        return len(keys)


def _attr(row: Any, name: str) -> Any:
    return getattr(row, name)


def _cpf(row: Any) -> str | None:
    return None if row is None else row.cpf.digits
