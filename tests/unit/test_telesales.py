"""Worked examples of the telesales state machine (otocore.telesales, docs/telesales.md).

VTEX's Televendas help page: "Quando o operador de televendas fecha um pedido em nome do
cliente, o email do operador é registrado nas informações do pedido"; for a shared cart
"Nesse caso, o email do operador não é registrado"; "Após fechar o pedido, o preço manual
precisa ser aprovado pelo administrador da loja ou por um usuário com permissão no sistema de
Autorização de Pedidos"; and the promissory note, "método de pagamento aprovado imediatamente e
manualmente pelo próprio operador".
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from otocore.authorization import AuthorizationRules, Outcome, PriceRange
from otocore.errors import RuleViolation, ValidationError
from otocore.orders import Channel, Order, OrderItem, OrderStatus
from otocore.telesales import (
    PaymentMethod,
    PaymentStatus,
    TelesalesOrder,
    TelesalesPolicy,
    TelesalesState,
    Transition,
    apply_rules,
    approve_by_gateway,
    approve_promissory_note,
    as_completed_order,
    authorize,
    cancel,
    complete_shared_cart,
    invoice,
    mark_ready_for_invoicing,
    new_cart,
    place_on_behalf,
    put_item,
    reject,
    remove_item,
    set_manual_price,
    share_cart,
    state_after,
)

S = TelesalesState
T0 = datetime(2026, 5, 10, 12, tzinfo=UTC)
ANA = "ana@marca.com.br"  # operator
BIA = "bia@marca.com.br"  # another operator
RUI = "rui@marca.com.br"  # order approver
POLICY = TelesalesPolicy(manual_price_stores=frozenset({"L01"}))


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def plain(sku: str = "A", price: str = "100.00", quantity: int = 1) -> OrderItem:
    return OrderItem(sku=sku, quantity=quantity, list_price=Decimal(price))


def manual(sku: str = "A", price: str = "100.00", to: str = "80.00") -> OrderItem:
    return OrderItem(sku=sku, quantity=1, list_price=Decimal(price), manual_price=Decimal(to))


def cart(store: str = "L01", by: str = ANA) -> TelesalesOrder:
    return new_cart(order_id="T1", customer_id="C1", store_id=store, built_by=by, at=at(0))


def placed_with_manual_price(method: PaymentMethod = PaymentMethod.GATEWAY) -> TelesalesOrder:
    order = put_item(cart(), manual(), policy=POLICY, actor=ANA, at=at(1))
    order = place_on_behalf(order, payment_method=method, actor=ANA, at=at(2))
    return apply_rules(order, policy=POLICY, at=at(3))


def assert_replays(order: TelesalesOrder) -> None:
    assert state_after(order.history) is order.state


# placing -----------------------------------------------------------------------------------


def test_placing_on_behalf_records_the_operator_email() -> None:
    # "Quando o operador de televendas fecha um pedido em nome do cliente, o email do
    # operador é registrado"
    order = put_item(cart(), plain(), policy=POLICY, actor=ANA, at=at(1))
    placed = place_on_behalf(order, payment_method=PaymentMethod.GATEWAY, actor=ANA, at=at(2))
    assert placed.state is S.PLACED
    assert placed.operator_email == ANA
    assert placed.payment_method is PaymentMethod.GATEWAY
    assert placed.history[-1] == Transition(
        from_state=S.CART,
        to_state=S.PLACED,
        who=ANA,
        at=at(2),
        why=f"placed on the customer's behalf by {ANA} (gateway)",
    )
    assert_replays(placed)


def test_a_shared_cart_completed_by_the_customer_records_no_operator_email() -> None:
    # "Nesse caso, o email do operador não é registrado"
    order = put_item(cart(), plain(), policy=POLICY, actor=ANA, at=at(1))
    order = share_cart(order, actor=ANA, at=at(2))
    done = complete_shared_cart(
        order, payment_method=PaymentMethod.GATEWAY, customer="C1", at=at(3)
    )
    assert done.state is S.PLACED
    assert done.operator_email is None
    assert done.completed_by_customer
    assert done.built_by == ANA  # the cart keeps who built it, for the audit log
    assert done.history[-1].who == "C1"
    assert_replays(done)


def test_a_shared_cart_cannot_be_completed_twice() -> None:
    order = share_cart(
        put_item(cart(), plain(), policy=POLICY, actor=ANA, at=at(1)), actor=ANA, at=at(2)
    )
    done = complete_shared_cart(
        order, payment_method=PaymentMethod.GATEWAY, customer="C1", at=at(3)
    )
    with pytest.raises(RuleViolation, match=r"^order T1 is placed: cannot complete the shared"):
        complete_shared_cart(done, payment_method=PaymentMethod.GATEWAY, customer="C1", at=at(4))


def test_a_cart_not_shared_cannot_be_completed_by_the_customer() -> None:
    order = put_item(cart(), plain(), policy=POLICY, actor=ANA, at=at(1))
    with pytest.raises(RuleViolation, match=r"^order T1 is cart: the cart was not shared$"):
        complete_shared_cart(order, payment_method=PaymentMethod.GATEWAY, customer="C1", at=at(2))


def test_an_empty_cart_cannot_be_placed() -> None:
    with pytest.raises(RuleViolation, match=r"^order T1 is cart: cannot be placed without items$"):
        place_on_behalf(cart(), payment_method=PaymentMethod.GATEWAY, actor=ANA, at=at(1))


# manual prices -----------------------------------------------------------------------------


def test_a_manual_price_where_the_store_has_not_enabled_them_is_a_rule_violation() -> None:
    start = cart(store="L09")
    with pytest.raises(
        RuleViolation, match=r"^order T1 is cart: manual prices are not enabled for store L09$"
    ):
        put_item(start, manual(), policy=POLICY, actor=ANA, at=at(1))
    with_item = put_item(start, plain(), policy=POLICY, actor=ANA, at=at(1))
    with pytest.raises(RuleViolation, match=r"not enabled for store L09"):
        set_manual_price(with_item, "A", Decimal("1.00"), policy=POLICY, actor=ANA, at=at(2))


def test_any_raise_or_cut_is_accepted_and_records_who_set_it() -> None:
    # "Não há restrições sobre aumento e redução de preço"
    order = put_item(cart(), plain(), policy=POLICY, actor=ANA, at=at(1))
    raised = set_manual_price(order, "A", Decimal("1000.00"), policy=POLICY, actor=BIA, at=at(2))
    free = set_manual_price(raised, "A", Decimal("0.00"), policy=POLICY, actor=ANA, at=at(3))
    assert free.items == (manual(to="0.00"),)
    assert free.manual_price_setters == (("A", BIA), ("A", ANA))
    assert free.price_setters == {ANA, BIA}
    assert free.state is S.CART
    assert [t.why for t in free.history[1:]] == ["item A added", "item A changed", "item A changed"]


def test_after_placing_the_manual_price_must_be_approved() -> None:
    # "Após fechar o pedido, o preço manual precisa ser aprovado" (by default every manual
    # price waits for a person)
    order = placed_with_manual_price()
    assert order.state is S.AWAITING_AUTHORIZATION
    assert order.approval is None
    assert order.history[-1].who == "rules"
    approved = authorize(order, actor=RUI, reason="cliente VIP", at=at(4))
    assert approved.state is S.AUTHORIZED
    assert approved.approval is not None
    assert approved.approval.decided_by == RUI
    assert approved.approval.by_rule is False
    assert approved.approval.digest == approved.digest
    assert approved.prices_authorized
    assert_replays(approved)


def test_nobody_who_set_a_manual_price_may_authorize_it() -> None:
    order = placed_with_manual_price()
    with pytest.raises(RuleViolation, match=r"ana@marca.com.br set a manual price .*four eyes"):
        authorize(order, actor=ANA, reason="ok", at=at(4))


def test_a_rejection_cancels_and_records_the_reason() -> None:
    order = reject(placed_with_manual_price(), actor=RUI, reason="desconto alto", at=at(4))
    assert order.state is S.CANCELLED
    assert order.approval is not None
    assert order.approval.outcome is Outcome.DENY
    assert order.history[-1].why == "rejected: desconto alto"


def test_a_rejection_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match=r"^Decision.reason "):
        reject(placed_with_manual_price(), actor=RUI, reason="  ", at=at(4))


def brand_rules() -> AuthorizationRules:
    def rng(rule_id: str, outcome: Outcome, lower: str | None, upper: str) -> PriceRange:
        return PriceRange(
            rule_id=rule_id,
            outcome=outcome,
            lower=None if lower is None else Decimal(lower),
            lower_inclusive=lower is not None and lower != "10",
            upper=Decimal(upper),
            upper_inclusive=upper in {"100", "10"},
        )

    return AuthorizationRules(
        [
            rng("raise", Outcome.WAIT, None, "0"),
            rng("small", Outcome.AUTHORIZE, "0", "10"),
            rng("large", Outcome.DENY, "10", "100"),
        ]
    )


def test_the_automatic_rules_authorize_deny_or_wait() -> None:
    policy = TelesalesPolicy(manual_price_stores=frozenset({"L01"}), rules=brand_rules())

    def placed(to: str) -> TelesalesOrder:
        order = put_item(cart(), manual(to=to), policy=policy, actor=ANA, at=at(1))
        order = place_on_behalf(order, payment_method=PaymentMethod.GATEWAY, actor=ANA, at=at(2))
        return apply_rules(order, policy=policy, at=at(3))

    small = placed("90.00")
    assert small.state is S.AUTHORIZED
    assert small.approval is not None
    assert (small.approval.decided_by, small.approval.by_rule) == ("small", True)
    assert small.prices_authorized
    denied = placed("50.00")
    assert denied.state is S.CANCELLED
    assert denied.history[-1].why.startswith("denied: A: divergence 50% is in rule 'large'")
    assert placed("120.00").state is S.AWAITING_AUTHORIZATION


# payment and invoicing ---------------------------------------------------------------------


def test_a_promissory_note_is_approved_by_hand_by_the_operator() -> None:
    # the promissory note is "aprovado imediatamente e manualmente pelo próprio operador"
    order = authorize(
        placed_with_manual_price(PaymentMethod.PROMISSORY_NOTE), actor=RUI, reason="ok", at=at(4)
    )
    paid = approve_promissory_note(order, actor=ANA, at=at(5))
    assert paid.state is S.PAYMENT_APPROVED
    assert paid.payment_status is PaymentStatus.APPROVED
    assert paid.history[-1].why == "promissory note approved by hand"
    with pytest.raises(RuleViolation, match=r"only a promissory note is approved by hand"):
        approve_promissory_note(
            authorize(placed_with_manual_price(), actor=RUI, reason="ok", at=at(4)),
            actor=ANA,
            at=at(5),
        )


def test_a_gateway_payment_is_approved_by_the_gateway_event() -> None:
    order = authorize(placed_with_manual_price(), actor=RUI, reason="ok", at=at(4))
    paid = approve_by_gateway(order, event_id="ev-9", at=at(5))
    assert paid.state is S.PAYMENT_APPROVED
    assert paid.history[-1].who == "gateway:ev-9"
    with pytest.raises(RuleViolation, match=r"not by a gateway$"):
        approve_by_gateway(
            placed_with_manual_price(PaymentMethod.PROMISSORY_NOTE), event_id="ev-1", at=at(5)
        )


def test_a_payment_before_the_authorization_waits_for_it() -> None:
    order = approve_by_gateway(placed_with_manual_price(), event_id="ev-1", at=at(4))
    assert order.state is S.AWAITING_AUTHORIZATION
    assert order.payment_status is PaymentStatus.APPROVED
    assert order.history[-1].from_state is order.history[-1].to_state
    with pytest.raises(RuleViolation, match=r"the payment is already approved$"):
        approve_by_gateway(order, event_id="ev-2", at=at(5))
    authorized = authorize(order, actor=RUI, reason="ok", at=at(5))
    assert authorized.state is S.PAYMENT_APPROVED
    assert_replays(authorized)


def walk_to_ready() -> TelesalesOrder:
    order = authorize(placed_with_manual_price(), actor=RUI, reason="ok", at=at(4))
    order = approve_by_gateway(order, event_id="ev-1", at=at(5))
    return mark_ready_for_invoicing(order, actor=ANA, at=at(6))


def test_the_whole_walk_to_invoiced_and_the_completed_order() -> None:
    ready = walk_to_ready()
    assert ready.state is S.READY_FOR_INVOICING
    done = invoice(ready, actor=ANA, at=at(7))
    assert done.state is S.INVOICED
    assert [t.to_state.value for t in done.history] == [
        "cart",
        "cart",
        "placed",
        "awaiting_authorization",
        "authorized",
        "payment_approved",
        "ready_for_invoicing",
        "invoiced",
    ]
    assert_replays(done)
    assert as_completed_order(done, seller_codes={ANA: "V007"}) == Order(
        order_id="T1",
        customer_id="C1",
        store_id="L01",
        placed_at=at(2),
        total=Decimal("80.00"),
        seller_code="V007",
        status=OrderStatus.COMPLETED,
        channel=Channel.TELESALES,
    )
    assert as_completed_order(done).seller_code is None
    assert as_completed_order(done, seller_codes={BIA: "V005"}).seller_code is None


def test_a_shared_cart_is_credited_to_who_built_it() -> None:
    order = put_item(cart(by=BIA), plain(quantity=2), policy=POLICY, actor=BIA, at=at(1))
    order = share_cart(order, actor=BIA, at=at(2))
    order = complete_shared_cart(
        order, payment_method=PaymentMethod.GATEWAY, customer="C1", at=at(3)
    )
    order = apply_rules(order, policy=POLICY, at=at(4))
    assert order.state is S.AUTHORIZED  # no manual price: nothing to authorize
    order = approve_by_gateway(order, event_id="ev", at=at(5))
    order = invoice(mark_ready_for_invoicing(order, actor=BIA, at=at(6)), actor=BIA, at=at(7))
    completed = as_completed_order(order, seller_codes={BIA: "V005"})
    assert (completed.seller_code, completed.total) == ("V005", Decimal("200.00"))


def test_invoicing_rechecks_the_digest_and_sends_a_changed_order_back() -> None:
    ready = walk_to_ready()
    # the items changed behind the approval (a stored order raced by another writer)
    raced = attrs.evolve(ready, items=(manual(to="1.00"),))
    back = invoice(raced, actor=ANA, at=at(7))
    assert back.state is S.AWAITING_AUTHORIZATION
    assert back.approval is None
    assert "items changed since the approval" in back.history[-1].why
    assert_replays(back)
    paid = attrs.evolve(
        authorize(
            approve_by_gateway(placed_with_manual_price(), event_id="e", at=at(4)),
            actor=RUI,
            reason="ok",
            at=at(5),
        ),
        items=(manual(to="2.00"),),
    )
    assert mark_ready_for_invoicing(paid, actor=ANA, at=at(6)).state is S.AWAITING_AUTHORIZATION


def test_changing_a_price_after_authorization_sends_the_order_back_to_waiting() -> None:
    ready = walk_to_ready()
    changed = set_manual_price(ready, "A", Decimal("70.00"), policy=POLICY, actor=BIA, at=at(7))
    assert changed.state is S.AWAITING_AUTHORIZATION
    assert changed.approval is None
    assert changed.history[-1].why == (
        "item A changed after placing: back to awaiting authorization"
    )
    assert changed.payment_status is PaymentStatus.APPROVED
    with pytest.raises(RuleViolation, match=r"four eyes"):
        authorize(changed, actor=BIA, reason="ok", at=at(8))
    again = authorize(changed, actor=RUI, reason="ok", at=at(8))
    assert again.state is S.PAYMENT_APPROVED
    removed = remove_item(again, "A", actor=ANA, at=at(9))
    assert removed.state is S.AWAITING_AUTHORIZATION


def test_cancel_records_the_reason() -> None:
    order = cancel(placed_with_manual_price(), actor=ANA, reason="cliente desistiu", at=at(4))
    assert order.state is S.CANCELLED
    assert order.history[-1].why == "cancelled: cliente desistiu"


# illegal transitions name the state and change nothing -------------------------------------


def _illegal() -> list[tuple[str, TelesalesOrder, Callable[[TelesalesOrder], Any]]]:
    ready = walk_to_ready()
    done = invoice(ready, actor=ANA, at=at(7))
    gone = cancel(placed_with_manual_price(), actor=ANA, reason="x", at=at(4))
    empty = cart()
    later = at(30)
    return [
        ("cart", empty, lambda o: authorize(o, actor=RUI, reason="ok", at=later)),
        ("cart", empty, lambda o: reject(o, actor=RUI, reason="no", at=later)),
        ("cart", empty, lambda o: apply_rules(o, policy=POLICY, at=later)),
        ("cart", empty, lambda o: approve_by_gateway(o, event_id="e", at=later)),
        ("cart", empty, lambda o: invoice(o, actor=ANA, at=later)),
        ("cart", empty, as_completed_order),
        ("ready_for_invoicing", ready, lambda o: authorize(o, actor=RUI, reason="x", at=later)),
        (
            "ready_for_invoicing",
            ready,
            lambda o: place_on_behalf(o, payment_method=PaymentMethod.GATEWAY, actor=ANA, at=later),
        ),
        ("ready_for_invoicing", ready, lambda o: share_cart(o, actor=ANA, at=later)),
        ("invoiced", done, lambda o: cancel(o, actor=ANA, reason="x", at=later)),
        (
            "invoiced",
            done,
            lambda o: put_item(o, plain("B"), policy=POLICY, actor=ANA, at=later),
        ),
        ("invoiced", done, lambda o: invoice(o, actor=ANA, at=later)),
        ("cancelled", gone, lambda o: cancel(o, actor=ANA, reason="x", at=later)),
        ("cancelled", gone, lambda o: approve_promissory_note(o, actor=ANA, at=later)),
        ("cancelled", gone, lambda o: remove_item(o, "A", actor=ANA, at=later)),
        ("cancelled", gone, lambda o: mark_ready_for_invoicing(o, actor=ANA, at=later)),
    ]


@pytest.mark.parametrize(("state", "order", "step"), _illegal())
def test_an_illegal_transition_names_the_state_and_changes_nothing(
    state: str, order: TelesalesOrder, step: Callable[[TelesalesOrder], Any]
) -> None:
    before = attrs.evolve(order)
    with pytest.raises(RuleViolation, match=rf"^order T1 is {state}: "):
        step(order)
    assert order == before


def test_time_does_not_run_backwards() -> None:
    order = put_item(cart(), plain(), policy=POLICY, actor=ANA, at=at(5))
    with pytest.raises(ValidationError, match=r"^at must not be before the order's last"):
        share_cart(order, actor=ANA, at=at(4))


def test_a_naive_time_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"^at must be timezone-aware"):
        share_cart(cart(), actor=ANA, at=datetime(2026, 5, 10, 13))


def test_an_order_with_two_lines_of_one_sku_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"^TelesalesOrder.items\[1\].sku must be unique"):
        attrs.evolve(cart(), items=(plain(), plain()))


def test_a_broken_history_does_not_replay() -> None:
    order = placed_with_manual_price()
    with pytest.raises(
        RuleViolation, match=r"^history\[1\] starts at placed but the order was cart$"
    ):
        state_after([order.history[0], order.history[-1]])
    assert state_after([]) is S.CART


@pytest.mark.source_tree
def test_the_worked_example_of_the_docs_runs() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "telesales.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.DOTALL)
    assert blocks
    for code in blocks:
        exec(compile(code, "docs/telesales.md", "exec"), {})  # noqa: S102 - our own docs


def test_a_cancellation_needs_a_reason() -> None:
    with pytest.raises(ValidationError, match=r"^reason must not be empty"):
        cancel(cart(), actor=ANA, reason=" ", at=at(1))


def test_the_policy_refuses_a_store_that_is_not_text() -> None:
    with pytest.raises(ValidationError, match=r"^TelesalesPolicy.manual_price_stores "):
        TelesalesPolicy(manual_price_stores=frozenset({""}))
    with pytest.raises(ValidationError, match=r"must be a set of store ids"):
        TelesalesPolicy(manual_price_stores="L01")
