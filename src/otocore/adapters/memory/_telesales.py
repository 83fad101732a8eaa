"""The in-memory repository of telesales carts and orders."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from otocore import _validate as v
from otocore.adapters._common import require_key
from otocore.adapters._telesales import (
    check_expected,
    check_filters,
    check_limit,
    check_telesales_order,
    newest_key,
    oldest_key,
    stale,
)
from otocore.adapters.memory._base import Repository
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.orders import product_quantity
from otocore.telesales import TelesalesOrder, TelesalesPolicy, TelesalesState


class Telesales(Repository):
    """One row per order: the frozen :class:`TelesalesOrder` value itself."""

    def add(self, order: TelesalesOrder) -> None:
        checked = check_telesales_order(order)
        if self._t.get("telesales", checked.order_id) is not None:
            raise RuleViolation(f"telesales order {checked.order_id!r} already exists")
        self._t.put("telesales", checked.order_id, checked)

    def get(self, order_id: str) -> TelesalesOrder:
        return self._get("telesales", "order_id", order_id, TelesalesOrder)

    def quantities(self, order_ids: Iterable[str]) -> dict[str, int]:
        keys = _ids(order_ids)
        txn = self._t
        found = {k: txn.get("telesales", k) for k in keys}
        return {k: product_quantity(o.items) for k, o in found.items() if o is not None}

    def save(
        self, order: TelesalesOrder, *, expected_state: TelesalesState, expected_length: int
    ) -> None:
        checked = check_telesales_order(order)
        expected = check_expected(checked, expected_state, expected_length)
        # the write lock: the compare and the set are one step among this database's blocks
        self._uow._take_write_lock()
        found = self._t.get("telesales", checked.order_id)
        if found is None:
            raise NotFound("TelesalesOrder", checked.order_id)
        if (found.state, len(found.history)) != expected:
            raise stale(checked.order_id, expected, found)
        self._t.put("telesales", checked.order_id, checked)

    def list(
        self,
        *,
        state: TelesalesState | None = None,
        operator_email: str | None = None,
        customer_id: str | None = None,
        store_id: str | None = None,
        placed_from: datetime | None = None,
        placed_to: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> builtins.list[TelesalesOrder]:
        given: dict[str, Any] = {
            "state": state,
            "operator_email": operator_email,
            "customer_id": customer_id,
            "store_id": store_id,
            "placed_from": placed_from,
            "placed_to": placed_to,
            "limit": limit,
            "offset": offset,
        }
        f = check_filters(**given)
        rows = [o for o in self._t.rows("telesales").values() if f.matches(o)]
        rows.sort(key=newest_key, reverse=True)
        return rows[f.offset : f.offset + f.limit]

    def awaiting_authorization(self, *, limit: int = 50) -> builtins.list[TelesalesOrder]:
        top = check_limit(limit)
        rows = [
            o
            for o in self._t.rows("telesales").values()
            if o.state is TelesalesState.AWAITING_AUTHORIZATION
        ]
        rows.sort(key=oldest_key)
        return rows[:top]

    def policy(self) -> TelesalesPolicy:
        stored = self._t.get("telesales_policy", "policy")
        if stored is None:
            return TelesalesPolicy(manual_price_stores=frozenset())
        return stored  # type: ignore[no-any-return]

    def set_policy(self, policy: TelesalesPolicy) -> None:
        policy = v.require_instance("policy", policy, TelesalesPolicy)
        self._uow._take_write_lock()
        self._t.put("telesales_policy", "policy", policy)


def _ids(order_ids: Iterable[str]) -> list[str]:
    if isinstance(order_ids, str | bytes):
        raise ValidationError("order_ids", order_ids, "must be an iterable of ids")
    return sorted({require_key("order_ids[]", k) for k in order_ids})
