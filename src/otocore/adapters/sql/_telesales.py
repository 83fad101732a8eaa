"""The SQL repository of telesales orders (``telesales_orders``, ``_items``, ``_history``).

And of the brand's telesales policy (``telesales_settings``, one row).
"""

from __future__ import annotations

import builtins
import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from otocore import _validate as v
from otocore.adapters._common import require_key
from otocore.adapters._telesales import (
    check_expected,
    check_filters,
    check_limit,
    check_telesales_order,
    opened_at,
    placed_at,
    stale,
)
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._base import Repository
from otocore.adapters.sql._rows import stored_enum
from otocore.auth import TokenRecord
from otocore.authorization import Decision, Outcome
from otocore.errors import ConcurrentUpdate, NotFound, RuleViolation, ValidationError
from otocore.orders import OrderItem
from otocore.telesales import (
    PaymentMethod,
    PaymentStatus,
    TelesalesOrder,
    TelesalesPolicy,
    TelesalesState,
    Transition,
)

_T = t.telesales_orders.c
_I = t.telesales_items.c
_H = t.telesales_history.c
_P = t.telesales_settings.c
_POLICY_ROW = 1  # the one row of telesales_settings
_POLICY_FIELD = "telesales_settings.policy"


def _order_row(order: TelesalesOrder) -> dict[str, Any]:
    a = order.approval
    link = order.share_link
    placed = placed_at(order)
    opened = opened_at(order)
    return {
        "order_id": order.order_id,
        "customer_id": order.customer_id,
        "store_id": order.store_id,
        "state": order.state.value,
        "built_by": order.built_by,
        "operator_email": order.operator_email,
        "shared": order.shared,
        "completed_by_customer": order.completed_by_customer,
        "manual_price_setters": json.dumps(
            [list(pair) for pair in order.manual_price_setters], ensure_ascii=False
        ),
        "payment_method": None if order.payment_method is None else order.payment_method.value,
        "payment_status": order.payment_status.value,
        "commercial_policy": order.commercial_policy,
        "approval_decided_by": None if a is None else a.decided_by,
        "approval_by_rule": None if a is None else a.by_rule,
        "approval_at": None if a is None else a.at,
        "approval_outcome": None if a is None else a.outcome.value,
        "approval_reason": None if a is None else a.reason,
        "approval_digest": None if a is None else a.digest,
        "opened_at": opened,
        "placed_at": placed,
        "sort_at": opened if placed is None else placed,
        "history_length": len(order.history),
        "share_token_hash": None if link is None else link.token_hash,
        "share_issued_at": None if link is None else link.issued_at,
        "share_expires_at": None if link is None else link.expires_at,
        "share_used_at": None if link is None else link.used_at,
    }


def _item_rows(order: TelesalesOrder) -> list[dict[str, Any]]:
    return [
        {
            "order_id": order.order_id,
            "position": position,
            "sku": item.sku,
            "quantity": item.quantity,
            "list_price": item.list_price,
            "manual_price": item.manual_price,
        }
        for position, item in enumerate(order.items)
    ]


def _history_rows(order: TelesalesOrder, start: int) -> list[dict[str, Any]]:
    return [
        {
            "order_id": order.order_id,
            "position": position,
            "from_state": entry.from_state.value,
            "to_state": entry.to_state.value,
            "who": entry.who,
            "at": entry.at,
            "why": entry.why,
        }
        for position, entry in enumerate(order.history)
        if position >= start
    ]


def _item(row: Any) -> OrderItem:
    return OrderItem(
        sku=row.sku,
        quantity=row.quantity,
        list_price=row.list_price,
        manual_price=row.manual_price,
    )


def _transition(row: Any) -> Transition:
    return Transition(
        from_state=stored_enum(TelesalesState, row.from_state, "Transition.from_state"),
        to_state=stored_enum(TelesalesState, row.to_state, "Transition.to_state"),
        who=row.who,
        at=row.at,
        why=row.why,
    )


def _order(row: Any, items: Sequence[OrderItem], history: Sequence[Transition]) -> TelesalesOrder:
    approval = None
    if row.approval_outcome is not None:
        approval = Decision(
            decided_by=row.approval_decided_by,
            by_rule=bool(row.approval_by_rule),
            at=row.approval_at,
            outcome=stored_enum(Outcome, row.approval_outcome, "Decision.outcome"),
            reason=row.approval_reason,
            digest=row.approval_digest,
        )
    link = None
    if row.share_token_hash is not None:
        link = TokenRecord(
            token_hash=row.share_token_hash,
            issued_at=row.share_issued_at,
            expires_at=row.share_expires_at,
            used_at=row.share_used_at,
        )
    method = row.payment_method
    return TelesalesOrder(
        order_id=row.order_id,
        customer_id=row.customer_id,
        store_id=row.store_id,
        items=tuple(items),
        state=stored_enum(TelesalesState, row.state, "TelesalesOrder.state"),
        built_by=row.built_by,
        operator_email=row.operator_email,
        shared=bool(row.shared),
        share_link=link,
        completed_by_customer=bool(row.completed_by_customer),
        manual_price_setters=tuple((sku, who) for sku, who in json.loads(row.manual_price_setters)),
        approval=approval,
        payment_method=None
        if method is None
        else stored_enum(PaymentMethod, method, "TelesalesOrder.payment_method"),
        payment_status=stored_enum(
            PaymentStatus, row.payment_status, "TelesalesOrder.payment_status"
        ),
        commercial_policy=row.commercial_policy,
        history=tuple(history),
    )


def _policy_text(policy: TelesalesPolicy) -> str:
    from otocore.serialization import converter  # built on first use, never at import

    data = converter.unstructure(policy, TelesalesPolicy)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def _stored_policy(text: str) -> TelesalesPolicy:
    """The policy stored as ``text``; a ValidationError naming the table if it no longer loads."""
    from otocore.serialization import converter  # built on first use, never at import

    try:
        policy: TelesalesPolicy = converter.structure(json.loads(text), TelesalesPolicy)
    except ValidationError as exc:
        faults = exc.errors
        more = f" (and {len(faults) - 1} more)" if len(faults) > 1 else ""
        why = f"{faults[0].field} {faults[0].rule}{more}"
    except ValueError as exc:  # not JSON at all
        why = f"not JSON ({exc})"
    else:
        return policy
    raise ValidationError(
        _POLICY_FIELD, text, f"does not load as a TelesalesPolicy (stored value): {why}"
    ) from None


class Telesales(Repository):
    def _load(self, rows: Sequence[Any]) -> list[TelesalesOrder]:
        """The orders of ``rows`` (of ``telesales_orders``), in that order, items and history read."""
        if not rows:
            return []
        ids = [row.order_id for row in rows]
        conn = self._c
        items: dict[str, list[OrderItem]] = defaultdict(list)
        stmt = sa.select(t.telesales_items).where(_I.order_id.in_(ids))
        for item in conn.execute(stmt.order_by(_I.order_id, _I.position)):
            items[item.order_id].append(_item(item))
        history: dict[str, list[Transition]] = defaultdict(list)
        stmt = sa.select(t.telesales_history).where(_H.order_id.in_(ids))
        for entry in conn.execute(stmt.order_by(_H.order_id, _H.position)):
            history[entry.order_id].append(_transition(entry))
        return [_order(row, items[row.order_id], history[row.order_id]) for row in rows]

    def add(self, order: TelesalesOrder) -> None:
        checked = check_telesales_order(order)

        def taken() -> RuleViolation:
            return RuleViolation(f"telesales order {checked.order_id!r} already exists")

        self._write_once(sa.insert(t.telesales_orders).values(**_order_row(checked)), taken)
        self._insert_all(t.telesales_items, _item_rows(checked))
        self._insert_all(t.telesales_history, _history_rows(checked, 0))

    def get(self, order_id: str) -> TelesalesOrder:
        key = require_key("order_id", order_id)
        row = self._first(sa.select(t.telesales_orders).where(_T.order_id == key))
        if row is None:
            raise NotFound("TelesalesOrder", order_id)
        return self._load([row])[0]

    def quantities(self, order_ids: Iterable[str]) -> dict[str, int]:
        if isinstance(order_ids, str | bytes):
            raise ValidationError("order_ids", order_ids, "must be an iterable of ids")
        keys = sorted({require_key("order_ids[]", k) for k in order_ids})
        found: dict[str, int] = {}
        summed = sa.func.coalesce(sa.func.sum(_I.quantity), 0)
        for start in range(0, len(keys), 500):
            stmt = (
                sa.select(_T.order_id, summed)
                .select_from(t.telesales_orders.outerjoin(t.telesales_items))
                .where(_T.order_id.in_(keys[start : start + 500]))
                .group_by(_T.order_id)
            )
            found.update((k, int(q)) for k, q in self._c.execute(stmt))
        return {k: found[k] for k in sorted(found)}

    def save(
        self, order: TelesalesOrder, *, expected_state: TelesalesState, expected_length: int
    ) -> None:
        checked = check_telesales_order(order)
        expected = check_expected(checked, expected_state, expected_length)
        key = checked.order_id
        conn = self._c
        # compare-and-set: one UPDATE that matches only the order as the caller read it
        update = (
            sa.update(t.telesales_orders)
            .where(_T.order_id == key)
            .where(_T.state == expected[0].value)
            .where(_T.history_length == expected[1])
            .values(**_order_row(checked))
        )
        try:
            with conn.begin_nested():
                done = conn.execute(update)
        except sa.exc.OperationalError as exc:
            # SQLite: this block read before a concurrent transaction committed a write;
            # its snapshot is stale, so the order may have changed since it was read
            if getattr(exc.orig, "sqlite_errorname", "") == "SQLITE_BUSY_SNAPSHOT":
                raise ConcurrentUpdate(
                    "TelesalesOrder",
                    key,
                    expected=f"{expected[0].value}/{expected[1]}",
                    found="a write committed by a concurrent transaction since this block read",
                ) from None
            raise
        if done.rowcount != 1:
            row = conn.execute(sa.select(t.telesales_orders).where(_T.order_id == key)).first()
            if row is None:
                raise NotFound("TelesalesOrder", key)
            raise stale(key, expected, self._load([row])[0])
        conn.execute(sa.delete(t.telesales_items).where(_I.order_id == key))
        self._insert_all(t.telesales_items, _item_rows(checked))
        self._insert_all(t.telesales_history, _history_rows(checked, expected[1]))

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
        f = check_filters(
            state=state,
            operator_email=operator_email,
            customer_id=customer_id,
            store_id=store_id,
            placed_from=placed_from,
            placed_to=placed_to,
            limit=limit,
            offset=offset,
        )
        stmt = sa.select(t.telesales_orders)
        if f.state is not None:
            stmt = stmt.where(_T.state == f.state.value)
        if f.operator_email is not None:
            stmt = stmt.where(_T.operator_email == f.operator_email)
        if f.customer_id is not None:
            stmt = stmt.where(_T.customer_id == f.customer_id)
        if f.store_id is not None:
            stmt = stmt.where(_T.store_id == f.store_id)
        if f.placed_from is not None:
            stmt = stmt.where(_T.placed_at >= f.placed_from)
        if f.placed_to is not None:
            stmt = stmt.where(_T.placed_at < f.placed_to)
        stmt = stmt.order_by(_T.sort_at.desc(), _T.order_id.desc()).limit(f.limit).offset(f.offset)
        return self._load(list(self._c.execute(stmt)))

    def awaiting_authorization(self, *, limit: int = 50) -> builtins.list[TelesalesOrder]:
        top = check_limit(limit)
        stmt = (
            sa.select(t.telesales_orders)
            .where(_T.state == TelesalesState.AWAITING_AUTHORIZATION.value)
            .order_by(_T.sort_at, _T.order_id)
            .limit(top)
        )
        return self._load(list(self._c.execute(stmt)))

    def policy(self) -> TelesalesPolicy:
        row = self._first(sa.select(_P.policy).where(_P.id == _POLICY_ROW))
        if row is None:
            return TelesalesPolicy(manual_price_stores=frozenset())
        return _stored_policy(row.policy)

    def set_policy(self, policy: TelesalesPolicy) -> None:
        checked = v.require_instance("policy", policy, TelesalesPolicy)
        self._upsert_many(
            t.telesales_settings, [{"id": _POLICY_ROW, "policy": _policy_text(checked)}]
        )
