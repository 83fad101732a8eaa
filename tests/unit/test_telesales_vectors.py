"""Replay the golden telesales vectors in ``tests/vectors/telesales``.

Each file is one JSON object another implementation can replay without otocore; the state
machine is stated in docs/telesales.md. Format ``"otocore-telesales-vector/1"``:

* ``description``: what the sequence pins and why the expected history is right;
* ``seed``: the passage of VTEX's Televendas help page it comes from;
* ``policy``: ``manual_price_stores`` and the authorization ``rules`` (as in
  ``tests/vectors/authorization``);
* ``cart``: ``order_id``, ``customer_id``, ``store_id``, ``built_by``, ``at`` of the new cart;
* ``steps``: ``{"op": ..., ...}``, one per transition function (``put_item``,
  ``set_manual_price``, ``share_cart``, ``place_on_behalf``, ``complete_shared_cart``,
  ``apply_rules``, ``authorize``, ``approve_promissory_note``, ``approve_by_gateway``,
  ``mark_ready_for_invoicing``, ``invoice``), plus ``replace_items``: another writer
  replacing the items without a transition (the race invoicing must survive);
* ``expected_error`` (optional): ``{"step", "message"}``, the last step refused with that
  RuleViolation, changing nothing;
* ``expected``: the final ``state``, ``operator_email``, ``completed_by_customer``,
  ``payment_status``, ``approval`` (``decided_by``, ``by_rule``, ``outcome``, or null) and
  the whole ``history``, each entry ``[from, to, who, at, why]``.

Every expected value was typed by hand (``tests/vectors/generate_telesales.py`` builds the
inputs only), then checked against otocore here.
"""

from __future__ import annotations

import json
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from otocore import telesales as t
from otocore.authorization import AuthorizationRules
from otocore.errors import RuleViolation
from otocore.orders import OrderItem
from otocore.serialization import converter

FORMAT = "otocore-telesales-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "telesales"
VECTORS = sorted(FOLDER.glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _step(
    order: t.TelesalesOrder, step: dict[str, Any], policy: t.TelesalesPolicy
) -> t.TelesalesOrder:
    op = step["op"]
    if op == "replace_items":
        items = tuple(converter.structure(i, OrderItem) for i in step["items"])
        return attrs.evolve(order, items=items)
    when = datetime.fromisoformat(step["at"]) if "at" in step else None
    assert when is not None
    if op == "put_item":
        item = converter.structure(step["item"], OrderItem)
        return t.put_item(order, item, policy=policy, actor=step["actor"], at=when)
    if op == "set_manual_price":
        price = None if step["price"] is None else Decimal(step["price"])
        return t.set_manual_price(
            order, step["sku"], price, policy=policy, actor=step["actor"], at=when
        )
    if op == "share_cart":
        return t.share_cart(order, actor=step["actor"], at=when)
    if op == "place_on_behalf":
        method = t.PaymentMethod(step["method"])
        return t.place_on_behalf(order, payment_method=method, actor=step["actor"], at=when)
    if op == "complete_shared_cart":
        method = t.PaymentMethod(step["method"])
        return t.complete_shared_cart(
            order, payment_method=method, customer=step["customer"], at=when
        )
    if op == "apply_rules":
        return t.apply_rules(order, policy=policy, at=when)
    if op in {"authorize", "reject"}:
        decide = t.authorize if op == "authorize" else t.reject
        return decide(order, actor=step["actor"], reason=step["reason"], at=when)
    if op == "approve_promissory_note":
        return t.approve_promissory_note(order, actor=step["actor"], at=when)
    if op == "approve_by_gateway":
        return t.approve_by_gateway(order, event_id=step["event_id"], at=when)
    if op == "mark_ready_for_invoicing":
        return t.mark_ready_for_invoicing(order, actor=step["actor"], at=when)
    assert op == "invoice", op
    return t.invoice(order, actor=step["actor"], at=when)


def _summary(order: t.TelesalesOrder) -> dict[str, Any]:
    approval = order.approval
    return {
        "state": order.state.value,
        "operator_email": order.operator_email,
        "completed_by_customer": order.completed_by_customer,
        "payment_status": order.payment_status.value,
        "approval": None
        if approval is None
        else {
            "decided_by": approval.decided_by,
            "by_rule": approval.by_rule,
            "outcome": approval.outcome.value,
        },
        "history": [
            [e.from_state.value, e.to_state.value, e.who, e.at.isoformat(), e.why]
            for e in order.history
        ],
    }


def test_the_vectors_are_there() -> None:
    assert len(VECTORS) >= 7


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_vector(path: Path) -> None:
    vector = _load(path)
    assert vector["format"] == FORMAT
    assert vector["description"]
    assert vector["seed"].startswith("VTEX's Televendas help page")
    policy = t.TelesalesPolicy(
        manual_price_stores=frozenset(vector["policy"]["manual_price_stores"]),
        rules=converter.structure(vector["policy"]["rules"], AuthorizationRules),
    )
    spec = vector["cart"]
    order = t.new_cart(
        order_id=spec["order_id"],
        customer_id=spec["customer_id"],
        store_id=spec["store_id"],
        built_by=spec["built_by"],
        at=datetime.fromisoformat(spec["at"]),
    )
    error = vector.get("expected_error")
    steps = vector["steps"]
    for index, step in enumerate(steps):
        if error is not None and index == error["step"]:
            assert index == len(steps) - 1, "a refused step is the last one"
            before = order
            with pytest.raises(RuleViolation) as refused:
                _step(order, step, policy)
            assert str(refused.value) == error["message"]
            assert order == before
            break
        order = _step(order, step, policy)
    else:
        assert error is None, "the refused step was never reached"
    assert _summary(order) == vector["expected"]
    assert t.state_after(order.history) is order.state
