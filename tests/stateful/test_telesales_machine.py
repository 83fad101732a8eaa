"""Telesales orders driven by random carts, prices, placements, decisions, payments and invoices.

Several operators build carts and type manual prices in two stores (one with manual prices
enabled), place them on the customer's behalf or share them, several approvers (and the
operators themselves) try to authorize or reject, payments arrive by promissory note or gateway
event, and orders are made ready, invoiced or cancelled; now and then another writer changes an
order's items behind its approval just before invoicing (the race the stores must survive).
Every step either appends exactly one history entry or raises a RuleViolation naming the
state and changes nothing, and at every step:

* no order is authorized, paid-and-authorized, ready for invoicing or invoiced with a manual
  price that is not authorized (the approval's digest is the digest of the current items);
* nobody authorizes their own manual price (four eyes);
* the history replays to the current state;
* an order placed through a shared cart never carries an operator e-mail.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import attrs
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from otocore.authorization import AuthorizationRules, Outcome, PriceRange
from otocore.errors import RuleViolation
from otocore.orders import OrderItem
from otocore.telesales import (
    PaymentMethod,
    PaymentStatus,
    TelesalesOrder,
    TelesalesPolicy,
    TelesalesState,
    apply_rules,
    approve_by_gateway,
    approve_promissory_note,
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
START = datetime(2026, 5, 10, 12, tzinfo=UTC)
OPERATORS = ("ana@marca.com.br", "bia@marca.com.br", "caio@marca.com.br")
APPROVERS = ("rui@marca.com.br", "sol@marca.com.br")
PEOPLE = st.sampled_from(OPERATORS + APPROVERS)
SKUS = st.sampled_from(("A", "B", "C"))
PRICES = st.sampled_from(("0.00", "10.00", "80.00", "95.00", "100.00", "150.00")).map(Decimal)
MANUAL = st.none() | PRICES
METHODS = st.sampled_from(PaymentMethod)


def _range(  # noqa: PLR0917 - reads like the interval it builds
    rule_id: str, outcome: Outcome, lower: str | None, li: bool, upper: str, ui: bool
) -> PriceRange:
    return PriceRange(
        rule_id=rule_id,
        outcome=outcome,
        lower=None if lower is None else Decimal(lower),
        lower_inclusive=li,
        upper=Decimal(upper),
        upper_inclusive=ui,
    )


# raises wait; up to 10% off is authorized; above 10% up to 50% waits; above 50% is denied
BRAND = AuthorizationRules(
    [
        _range("raise", Outcome.WAIT, None, False, "0", False),
        _range("small", Outcome.AUTHORIZE, "0", True, "10", True),
        _range("medium", Outcome.WAIT, "10", False, "50", True),
        _range("large", Outcome.DENY, "50", False, "100", True),
    ]
)
POLICIES = (
    TelesalesPolicy(manual_price_stores=frozenset({"L01"})),
    TelesalesPolicy(manual_price_stores=frozenset({"L01"}), rules=BRAND),
)
_CHECKED = frozenset({S.AUTHORIZED, S.PAYMENT_APPROVED, S.READY_FOR_INVOICING, S.INVOICED})
_PAID = frozenset({S.PAYMENT_APPROVED, S.READY_FOR_INVOICING, S.INVOICED})
_PAYABLE = frozenset({S.PLACED, S.AWAITING_AUTHORIZATION, S.AUTHORIZED})
_EDITABLE = frozenset(
    {S.CART, S.PLACED, S.AWAITING_AUTHORIZATION, S.AUTHORIZED, S.PAYMENT_APPROVED}
)


class Telesales(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.orders: dict[str, TelesalesOrder] = {}
        self.now = START
        self.refused = 0

    # -- helpers ----------------------------------------------------------------------------

    def tick(self) -> datetime:
        self.now += timedelta(minutes=1)
        return self.now

    def has(self, *states: TelesalesState) -> bool:
        return any(o.state in states for o in self.orders.values())

    def pick(self, index: int, *states: TelesalesState) -> TelesalesOrder:
        # mostly an order the step accepts (so orders get far); one draw in eight any order,
        # so the refusals are exercised too
        ids = sorted(self.orders)
        fit = [i for i in ids if self.orders[i].state in states]
        pool = fit if fit and index % 8 else ids
        return self.orders[pool[index // 8 % len(pool)]]

    def attempt(
        self, order: TelesalesOrder, step: Callable[[TelesalesOrder], TelesalesOrder]
    ) -> TelesalesOrder | None:
        before = attrs.evolve(order)
        message = None
        try:
            after = step(order)
        except RuleViolation as refused:
            message = str(refused)
        if message is not None:
            assert message.startswith(f"order {order.order_id} is {order.state.value}: ")
            assert order == before  # nothing changed
            self.refused += 1
            return None
        assert order == before  # the input is never changed, a new value is returned
        assert after.history[: len(order.history)] == order.history
        assert len(after.history) == len(order.history) + 1
        assert after.history[-1].from_state is order.state
        assert after.history[-1].to_state is after.state
        self.orders[after.order_id] = after
        return after

    # -- rules ------------------------------------------------------------------------------

    @precondition(lambda self: len(self.orders) < 3)
    @rule(builder=st.sampled_from(OPERATORS), store=st.sampled_from(("L01", "L01", "L02")))
    def new_cart(self, builder: str, store: str) -> None:
        order_id = f"T{len(self.orders) + 1}"
        cart = new_cart(
            order_id=order_id, customer_id="C1", store_id=store, built_by=builder, at=self.tick()
        )
        item = OrderItem(sku="A", quantity=1, list_price=Decimal("100.00"))
        self.orders[order_id] = put_item(
            cart, item, policy=POLICIES[0], actor=builder, at=self.tick()
        )

    @precondition(lambda self: self.has(*_EDITABLE))
    @rule(
        index=st.integers(0, 200),
        sku=SKUS,
        quantity=st.integers(1, 3),
        price=PRICES,
        manual=MANUAL,
        actor=st.sampled_from(OPERATORS),
        policy=st.sampled_from(POLICIES),
    )
    def put_item(  # noqa: PLR0917 - one argument per drawn value
        self,
        index: int,
        sku: str,
        quantity: int,
        price: Decimal,
        manual: Decimal | None,
        actor: str,
        policy: TelesalesPolicy,
    ) -> None:
        order = self.pick(index, *_EDITABLE)
        item = OrderItem(sku=sku, quantity=quantity, list_price=price, manual_price=manual)
        after = self.attempt(
            order, lambda o: put_item(o, item, policy=policy, actor=actor, at=self.tick())
        )
        if after is not None and order.state is not S.CART:
            assert after.state is S.AWAITING_AUTHORIZATION
            assert after.approval is None

    @precondition(lambda self: self.has(*_EDITABLE))
    @rule(
        index=st.integers(0, 200),
        sku=SKUS,
        manual=MANUAL,
        actor=st.sampled_from(OPERATORS),
        policy=st.sampled_from(POLICIES),
    )
    def set_manual_price(
        self, index: int, sku: str, manual: Decimal | None, actor: str, policy: TelesalesPolicy
    ) -> None:
        order = self.pick(index, *_EDITABLE)
        after = self.attempt(
            order,
            lambda o: set_manual_price(o, sku, manual, policy=policy, actor=actor, at=self.tick()),
        )
        if after is not None and manual is not None and order.items != after.items:
            assert actor in after.price_setters

    @precondition(lambda self: self.has(*_EDITABLE))
    @rule(index=st.integers(0, 200), sku=SKUS, actor=st.sampled_from(OPERATORS))
    def remove_item(self, index: int, sku: str, actor: str) -> None:
        order = self.pick(index, *_EDITABLE)
        self.attempt(order, lambda o: remove_item(o, sku, actor=actor, at=self.tick()))

    @precondition(lambda self: self.has(S.CART))
    @rule(index=st.integers(0, 200), actor=st.sampled_from(OPERATORS))
    def share(self, index: int, actor: str) -> None:
        self.attempt(self.pick(index, S.CART), lambda o: share_cart(o, actor=actor, at=self.tick()))

    @precondition(lambda self: self.has(S.CART))
    @rule(index=st.integers(0, 200), actor=st.sampled_from(OPERATORS), method=METHODS)
    def place_on_behalf(self, index: int, actor: str, method: PaymentMethod) -> None:
        after = self.attempt(
            self.pick(index, S.CART),
            lambda o: place_on_behalf(o, payment_method=method, actor=actor, at=self.tick()),
        )
        if after is not None:
            assert after.operator_email == actor

    @precondition(lambda self: self.has(S.CART))
    @rule(index=st.integers(0, 200), method=METHODS)
    def complete_shared(self, index: int, method: PaymentMethod) -> None:
        after = self.attempt(
            self.pick(index, S.CART),
            lambda o: complete_shared_cart(
                o, payment_method=method, customer=o.customer_id, at=self.tick()
            ),
        )
        if after is not None:
            assert after.operator_email is None

    @precondition(lambda self: self.has(S.PLACED))
    @rule(index=st.integers(0, 200), policy=st.sampled_from(POLICIES))
    def apply_rules(self, index: int, policy: TelesalesPolicy) -> None:
        self.attempt(
            self.pick(index, S.PLACED), lambda o: apply_rules(o, policy=policy, at=self.tick())
        )

    @precondition(lambda self: self.has(S.AWAITING_AUTHORIZATION))
    @rule(index=st.integers(0, 200), actor=PEOPLE)
    def authorize(self, index: int, actor: str) -> None:
        order = self.pick(index, S.AWAITING_AUTHORIZATION)
        after = self.attempt(
            order, lambda o: authorize(o, actor=actor, reason="ok", at=self.tick())
        )
        if after is not None:
            assert actor not in order.price_setters
        elif order.state is S.AWAITING_AUTHORIZATION:
            assert actor in order.price_setters

    @precondition(lambda self: self.has(S.AWAITING_AUTHORIZATION))
    @rule(index=st.integers(0, 200), actor=st.sampled_from(APPROVERS))
    def reject(self, index: int, actor: str) -> None:
        after = self.attempt(
            self.pick(index, S.AWAITING_AUTHORIZATION),
            lambda o: reject(o, actor=actor, reason="no", at=self.tick()),
        )
        if after is not None:
            assert after.state is S.CANCELLED

    @precondition(lambda self: self.has(*_PAYABLE))
    @rule(index=st.integers(0, 200), actor=st.sampled_from(OPERATORS))
    def promissory_note(self, index: int, actor: str) -> None:
        self.attempt(
            self.pick(index, *_PAYABLE),
            lambda o: approve_promissory_note(o, actor=actor, at=self.tick()),
        )

    @precondition(lambda self: self.has(*_PAYABLE))
    @rule(index=st.integers(0, 200), event=st.sampled_from(("ev-1", "ev-2")))
    def gateway(self, index: int, event: str) -> None:
        self.attempt(
            self.pick(index, *_PAYABLE),
            lambda o: approve_by_gateway(o, event_id=event, at=self.tick()),
        )

    @precondition(lambda self: self.has(S.PAYMENT_APPROVED))
    @rule(index=st.integers(0, 200), actor=st.sampled_from(OPERATORS))
    def ready(self, index: int, actor: str) -> None:
        self.attempt(
            self.pick(index, S.PAYMENT_APPROVED),
            lambda o: mark_ready_for_invoicing(o, actor=actor, at=self.tick()),
        )

    @precondition(lambda self: self.has(S.READY_FOR_INVOICING))
    @rule(index=st.integers(0, 200), actor=st.sampled_from(OPERATORS))
    def invoice(self, index: int, actor: str) -> None:
        self.attempt(
            self.pick(index, S.READY_FOR_INVOICING),
            lambda o: invoice(o, actor=actor, at=self.tick()),
        )

    @precondition(lambda self: self.has(S.PAYMENT_APPROVED, S.READY_FOR_INVOICING))
    @rule(
        index=st.integers(0, 200),
        actor=st.sampled_from(OPERATORS),
        price=PRICES,
        manual=MANUAL,
        ready=st.booleans(),
    )
    def invoice_racing_a_change(
        self, index: int, actor: str, price: Decimal, manual: Decimal | None, ready: bool
    ) -> None:
        # another writer replaced the items behind the approval, without a transition
        order = self.pick(index, S.PAYMENT_APPROVED, S.READY_FOR_INVOICING)
        raced = attrs.evolve(
            order,
            items=(OrderItem(sku="Z", quantity=1, list_price=price, manual_price=manual),),
        )
        step = mark_ready_for_invoicing if ready else invoice
        after = self.attempt(raced, lambda o: step(o, actor=actor, at=self.tick()))
        if after is not None and raced.digest != order.digest:
            assert after.state is S.AWAITING_AUTHORIZATION

    @precondition(lambda self: self.orders)
    @rule(index=st.integers(0, 200), actor=st.sampled_from(OPERATORS))
    def cancel(self, index: int, actor: str) -> None:
        self.attempt(
            self.pick(index, S.INVOICED, S.CANCELLED),
            lambda o: cancel(o, actor=actor, reason="desistiu", at=self.tick()),
        )

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def no_unauthorized_manual_price_goes_on(self) -> None:
        for order in self.orders.values():
            if order.state in _CHECKED:
                assert order.prices_authorized, order
                assert order.approval is not None
                assert order.approval.digest == order.digest
            if order.state in _PAID:
                assert order.payment_status is PaymentStatus.APPROVED

    @invariant()
    def nobody_authorizes_their_own_manual_price(self) -> None:
        for order in self.orders.values():
            approval = order.approval
            if approval is not None and not approval.by_rule:
                assert approval.decided_by not in order.price_setters

    @invariant()
    def the_history_replays(self) -> None:
        for order in self.orders.values():
            assert state_after(order.history) is order.state
            times = [t.at for t in order.history]
            assert times == sorted(times)

    @invariant()
    def a_shared_cart_order_carries_no_operator_email(self) -> None:
        for order in self.orders.values():
            if order.completed_by_customer:
                assert order.operator_email is None
                assert order.shared
            if order.state is S.CART:
                assert order.operator_email is None


TestTelesales = Telesales.TestCase
