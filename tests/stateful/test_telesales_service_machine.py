"""The audited telesales service driven by random carts, prices, links, decisions, payments, invoices.

Issue 13's machine, one level up from ``test_telesales_machine.py``: every step goes
through :class:`~otocore.accounts.AccountService` on the memory store, as an account with
its roles (three operators, one of them also an order approver, two approvers, a brand
admin and a store seller who may do none of it), or as the customer holding a shared
cart's link (the right one, an older one, a made-up one, or one past its expiry: the
clock is a FixedClock the machine advances), or as the payment gateway. The brand admin
switches the stores with manual prices and the automatic rules now and then.

Each call either succeeds, with the order's history extended (never rewritten), or
raises a typed error (PermissionDenied exactly when no role of the actor grants the
action; RuleViolation, InvalidToken or NotFound otherwise) and leaves the order as it
was; either way it writes exactly one audit entry. At every step:

* no order is authorized, paid, ready for invoicing or invoiced unless an authorizing
  decision is bound to its current items (in particular no manual price goes
  unauthorized);
* nobody authorized an order they set a manual price on (four eyes);
* the history replays to the current state (:func:`otocore.telesales.state_after`);
* an order placed through a shared cart never carries an operator e-mail;
* every invoiced order is exactly one completed order in the orders, with its total and
  the operator's seller (and nothing else is);
* the audit log verifies and has one entry per service call.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from _support.builders import HASHER
from otocore.access import PERMISSIONS, Action, verify_audit_log
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.auth import Account, Role, normalize_login_email
from otocore.authorization import AuthorizationRules, Outcome, PriceRange
from otocore.clock import FixedClock
from otocore.customers import Customer
from otocore.errors import InvalidToken, NotFound, OtocoreError, PermissionDenied, RuleViolation
from otocore.orders import OrderItem
from otocore.sellers import Seller, Store
from otocore.telesales import (
    PaymentMethod,
    PaymentStatus,
    TelesalesOrder,
    TelesalesPolicy,
    TelesalesState,
    state_after,
)

S = TelesalesState
START = datetime(2026, 11, 2, 13, tzinfo=UTC)
ROLES = {
    "u-ana": {Role.CALL_CENTER},  # seller V01
    "u-bia": {Role.CALL_CENTER, Role.ORDER_APPROVER},
    "u-caio": {Role.CALL_CENTER},
    "u-rui": {Role.ORDER_APPROVER},
    "u-sol": {Role.ORDER_APPROVER},
    "u-admin": {Role.BRAND_ADMIN},
    "u-vera": {Role.SELLER},  # a store seller: no telesales at all
}
SELLER_OF = {"u-ana@marca.com.br": "V01"}
OPERATORS = ("u-ana", "u-bia", "u-caio")
APPROVERS = ("u-bia", "u-rui", "u-sol", "u-admin")
# mostly the people whose job it is; now and then anyone at all
SELLERS = st.sampled_from(OPERATORS * 4 + tuple(sorted(ROLES)))
DECIDERS = st.sampled_from(APPROVERS * 3 + tuple(sorted(ROLES)))
SKUS = st.sampled_from(("A", "A", "B", "C"))
_PRICES = ("0.00", "10.00", "80.00", "95.00", "100.00", "150.00")
PRICES = st.sampled_from(_PRICES).map(Decimal)
MANUAL = st.sampled_from((None, *_PRICES)).map(lambda p: None if p is None else Decimal(p))
METHODS = st.sampled_from((PaymentMethod.GATEWAY, PaymentMethod.PROMISSORY_NOTE))
INDEX = st.integers(0, 200)


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
    TelesalesPolicy(manual_price_stores=frozenset({"L01", "L02"}), rules=BRAND),
    TelesalesPolicy(manual_price_stores=frozenset()),
)
_CHECKED = frozenset({S.AUTHORIZED, S.PAYMENT_APPROVED, S.READY_FOR_INVOICING, S.INVOICED})
_PAID = frozenset({S.PAYMENT_APPROVED, S.READY_FOR_INVOICING, S.INVOICED})
_PAYABLE = frozenset({S.PLACED, S.AWAITING_AUTHORIZATION, S.AUTHORIZED})
_EDITABLE = frozenset(
    {S.CART, S.PLACED, S.AWAITING_AUTHORIZATION, S.AUTHORIZED, S.PAYMENT_APPROVED}
)


def _email(account_id: str) -> str:
    return f"{account_id}@marca.com.br"


def _grants(account_id: str, action: Action) -> bool:
    return any(action in PERMISSIONS[role] for role in ROLES[account_id])


def _token(link: str) -> str:
    return parse_qs(urlsplit(link).query)["token"][0]


class TelesalesService(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.db = InMemoryDatabase()
        with self.db.unit_of_work() as uow:
            uow.stores.add(Store(store_id="L01", name="Loja Centro"))
            uow.stores.add(Store(store_id="L02", name="Loja Norte"))
            uow.sellers.add(Seller(code="V01", name="Ana", store_id="L01"))
            for customer in ("C1", "C2"):
                uow.customers.add(
                    Customer(
                        customer_id=customer,
                        name=f"Cliente {customer}",
                        registered_at=datetime(2025, 1, 1, tzinfo=UTC),
                        home_store_id="L01",
                    )
                )
            for account_id, roles in ROLES.items():
                uow.accounts.add(
                    Account(
                        account_id=account_id,
                        email=normalize_login_email(_email(account_id)),
                        roles=frozenset(roles),
                        seller_code="V01" if account_id in {"u-ana", "u-vera"} else None,
                        store_id="L01" if account_id == "u-vera" else None,
                    )
                )
        self.clock = FixedClock(START)
        counter = itertools.count(1)
        self.service = AccountService(
            self.db.unit_of_work,
            mailer=InMemoryMailer(),
            clock=self.clock,
            policy=SecurityPolicy(app_url="https://app.example.com"),
            hasher=HASHER,
            token_bytes=lambda n: next(counter).to_bytes(n, "big"),
        )
        self.calls = 0
        self.order_ids: list[str] = []
        self.links: dict[str, list[str]] = {}  # order id -> every token issued, newest last
        self.seen: dict[tuple[str, str], str] = {}  # (who, order id) -> the digest they saw
        self.policy = POLICIES[0]
        self.call(lambda: self.service.set_telesales_policy(self.p("u-admin"), self.policy))

    # -- helpers ----------------------------------------------------------------------------

    def p(self, account_id: str):  # type: ignore[no-untyped-def]
        return self.service.principal_for(account_id)

    def stored(self, order_id: str) -> TelesalesOrder:
        with self.db.unit_of_work() as uow:
            return uow.telesales.get(order_id)

    def every_order(self) -> list[TelesalesOrder]:
        return [self.stored(order_id) for order_id in self.order_ids]

    def has(self, *states: TelesalesState) -> bool:
        return any(o.state in states for o in self.every_order())

    def pick(
        self,
        index: int,
        *states: TelesalesState,
        method: PaymentMethod | None = None,
    ) -> str:
        # mostly an order the step accepts (so orders get far); one draw in eight any order,
        # so the refusals are exercised too
        fit = [
            o.order_id
            for o in self.every_order()
            if o.state in states
            and (
                method is None
                or (o.payment_method is method and o.payment_status.value == "pending")
            )
        ]
        pool = fit if fit and index % 8 != 7 else self.order_ids
        return pool[index // 8 % len(pool)]

    def audit_count(self) -> int:
        with self.db.unit_of_work() as uow:
            return uow.audit.count()

    def call(self, work: Callable[[], object]) -> OtocoreError | None:
        """Make one service call: it writes exactly one audit entry, whatever happens."""
        before = self.audit_count()
        self.calls += 1
        error = None
        try:
            work()
        except OtocoreError as raised:
            error = raised
        assert error is None or isinstance(
            error, (PermissionDenied, RuleViolation, InvalidToken, NotFound)
        ), error
        assert self.audit_count() == before + 1
        return error

    def step(
        self, order_id: str, actor: str | None, action: Action | None, work: Callable[[], object]
    ) -> tuple[TelesalesOrder, TelesalesOrder, OtocoreError | None]:
        """A call on an order: refused exactly when no role grants it, unchanged when it fails."""
        before = self.stored(order_id)
        error = self.call(work)
        after = self.stored(order_id)
        if actor is not None and action is not None:
            assert isinstance(error, PermissionDenied) is (not _grants(actor, action)), (
                actor,
                action,
                error,
            )
        if error is not None:
            assert after == before, error
        else:
            assert len(after.history) > len(before.history)
            assert after.history[: len(before.history)] == before.history
        return before, after, error

    def tick(self) -> None:
        self.clock.advance(timedelta(minutes=1))

    # -- rules ------------------------------------------------------------------------------

    @precondition(lambda self: len(self.order_ids) < 4)
    @rule(
        actor=SELLERS,
        customer=st.sampled_from(("C1", "C2")),
        store=st.sampled_from(("L01", "L01", "L02")),
        manual=MANUAL,
    )
    def open_cart(self, actor: str, customer: str, store: str, manual: Decimal | None) -> None:
        self.tick()
        opened: list[TelesalesOrder] = []
        error = self.call(
            lambda: opened.append(
                self.service.open_cart(self.p(actor), customer_id=customer, store_id=store)
            )
        )
        assert isinstance(error, PermissionDenied) is (not _grants(actor, Action.SELL_ON_BEHALF))
        if error is None:
            cart = opened[0]
            assert cart.state is S.CART
            assert cart.built_by == _email(actor)
            assert cart.order_id not in self.order_ids
            self.order_ids.append(cart.order_id)
            first = OrderItem(
                sku="A", quantity=1, list_price=Decimal("100.00"), manual_price=manual
            )
            self.step(
                cart.order_id,
                actor,
                Action.SELL_ON_BEHALF,
                lambda: self.service.put_cart_item(self.p(actor), cart.order_id, first),
            )

    @precondition(lambda self: self.order_ids)
    @rule(
        index=INDEX,
        actor=SELLERS,
        sku=SKUS,
        quantity=st.integers(1, 3),
        price=PRICES,
        manual=MANUAL,
    )
    def put_item(  # noqa: PLR0917 - one argument per drawn value
        self,
        index: int,
        actor: str,
        sku: str,
        quantity: int,
        price: Decimal,
        manual: Decimal | None,
    ) -> None:
        self.tick()
        order_id = self.pick(index, *_EDITABLE)
        item = OrderItem(sku=sku, quantity=quantity, list_price=price, manual_price=manual)
        before, after, error = self.step(
            order_id,
            actor,
            Action.SELL_ON_BEHALF,
            lambda: self.service.put_cart_item(self.p(actor), order_id, item),
        )
        old = next((i for i in before.items if i.sku == sku), None)
        new_price = manual is not None and (old is None or old.manual_price != manual)
        if error is None and new_price and before.store_id not in self.policy.manual_price_stores:
            raise AssertionError("a manual price in a store without manual prices")
        if error is None and new_price:
            assert _email(actor) in after.price_setters
        if error is None and before.state is not S.CART:
            assert after.state is S.AWAITING_AUTHORIZATION
            assert after.approval is None

    @precondition(lambda self: self.order_ids)
    @rule(index=INDEX, actor=SELLERS, sku=SKUS, manual=MANUAL)
    def set_manual_price(self, index: int, actor: str, sku: str, manual: Decimal | None) -> None:
        self.tick()
        order_id = self.pick(index, *_EDITABLE)
        _, after, error = self.step(
            order_id,
            actor,
            Action.SELL_ON_BEHALF,
            lambda: self.service.set_cart_manual_price(self.p(actor), order_id, sku, manual),
        )
        if error is None:
            line = next(i for i in after.items if i.sku == sku)
            assert line.manual_price == manual

    @precondition(lambda self: self.order_ids)
    @rule(index=INDEX, actor=SELLERS, sku=SKUS)
    def remove_item(self, index: int, actor: str, sku: str) -> None:
        self.tick()
        order_id = self.pick(index, *_EDITABLE)
        _, after, error = self.step(
            order_id,
            actor,
            Action.SELL_ON_BEHALF,
            lambda: self.service.remove_cart_item(self.p(actor), order_id, sku),
        )
        if error is None:
            assert sku not in {i.sku for i in after.items}

    @precondition(lambda self: self.order_ids)
    @rule(index=INDEX, actor=SELLERS, hours=st.integers(1, 48))
    def share(self, index: int, actor: str, hours: int) -> None:
        self.tick()
        order_id = self.pick(index, S.CART)
        shared: list[str] = []
        _, after, error = self.step(
            order_id,
            actor,
            Action.SELL_ON_BEHALF,
            lambda: shared.append(
                self.service.share_cart(
                    self.p(actor), order_id, valid_for=timedelta(hours=hours)
                ).link
            ),
        )
        if error is None:
            token = _token(shared[0])
            self.links.setdefault(order_id, []).append(token)
            assert after.shared
            assert after.share_link is not None
            assert after.share_link.expires_at == self.clock.now() + timedelta(hours=hours)

    @precondition(lambda self: self.links)
    @rule(
        index=INDEX,
        which=st.sampled_from(("newest", "newest", "older", "made-up")),
        method=METHODS,
    )
    def complete_shared_cart(self, index: int, which: str, method: PaymentMethod) -> None:
        self.tick()
        carts = [key for key in sorted(self.links) if self.stored(key).state is S.CART]
        pool = carts if carts and index % 8 != 7 else sorted(self.links)
        order_id = pool[index // 8 % len(pool)]
        tokens = self.links[order_id]
        token = {
            "newest": tokens[-1],
            "older": tokens[0],
            "made-up": tokens[-1][:-2] + ("xy" if not tokens[-1].endswith("xy") else "zw"),
        }[which]
        before, after, error = self.step(
            order_id,
            None,
            None,
            lambda: self.service.complete_shared_cart(order_id, token, payment_method=method),
        )
        link = before.share_link
        assert link is not None
        usable = (
            before.state is S.CART
            and token == tokens[-1]
            and self.clock.now() < link.expires_at
            and before.items
        )
        if error is None:
            assert usable
            assert after.operator_email is None
            assert after.completed_by_customer
            assert after.built_by == before.built_by
            assert after.history[len(before.history)].who == f"customer:{before.customer_id}"
        else:
            assert not usable, error
            if before.state is S.CART and before.items:
                assert isinstance(error, InvalidToken)

    @rule(hours=st.sampled_from((1, 6, 24)))
    def time_passes(self, hours: int) -> None:
        self.clock.advance(timedelta(hours=hours))

    @precondition(lambda self: self.order_ids)
    @rule(index=INDEX, actor=SELLERS, method=METHODS)
    def place(self, index: int, actor: str, method: PaymentMethod) -> None:
        self.tick()
        order_id = self.pick(index, S.CART)
        before, after, error = self.step(
            order_id,
            actor,
            Action.SELL_ON_BEHALF,
            lambda: self.service.place_order(self.p(actor), order_id, payment_method=method),
        )
        if error is None:
            assert before.state is S.CART
            assert after.operator_email == _email(actor)
            assert after.payment_method is method
            # the automatic rules ran at once
            assert after.state in {S.AWAITING_AUTHORIZATION, S.AUTHORIZED, S.CANCELLED}

    @precondition(lambda self: self.order_ids)
    @rule(index=INDEX, actor=SELLERS)
    def promissory_note(self, index: int, actor: str) -> None:
        self.tick()
        order_id = self.pick(index, *_PAYABLE, method=PaymentMethod.PROMISSORY_NOTE)
        before, after, error = self.step(
            order_id,
            actor,
            Action.SELL_ON_BEHALF,
            lambda: self.service.approve_promissory_note(self.p(actor), order_id),
        )
        if error is None:
            assert before.payment_method is PaymentMethod.PROMISSORY_NOTE
            assert after.payment_status is PaymentStatus.APPROVED

    @precondition(lambda self: self.order_ids)
    @rule(index=INDEX, event=st.sampled_from(("ev-1", "ev-2")))
    def gateway(self, index: int, event: str) -> None:
        self.tick()
        order_id = self.pick(index, *_PAYABLE, method=PaymentMethod.GATEWAY)
        before, after, error = self.step(
            order_id,
            None,
            None,
            lambda: self.service.record_gateway_payment(order_id, event_id=event),
        )
        if error is None:
            assert before.payment_method is PaymentMethod.GATEWAY
            assert after.payment_status is PaymentStatus.APPROVED
            assert after.history[len(before.history)].who == f"gateway:{event}"

    @precondition(lambda self: self.order_ids)
    @rule(index=INDEX, actor=DECIDERS)
    def look(self, index: int, actor: str) -> None:
        """An approver (or anyone) opens an order; what they saw is what they may authorize."""
        order_id = self.pick(index, S.AWAITING_AUTHORIZATION)
        shown: list[TelesalesOrder] = []
        error = self.call(
            lambda: shown.append(self.service.telesales_order(self.p(actor), order_id))
        )
        assert isinstance(error, PermissionDenied) is (not _grants(actor, Action.VIEW_ORDERS))
        if error is None:
            assert shown[0] == self.stored(order_id)
            self.seen[actor, order_id] = shown[0].digest

    @precondition(lambda self: self.order_ids)
    @rule(index=INDEX, actor=DECIDERS, seen=st.booleans())
    def authorize(self, index: int, actor: str, seen: bool) -> None:
        self.tick()
        order_id = self.pick(index, S.AWAITING_AUTHORIZATION)
        # with what the approver saw when they last looked (maybe before a price change)
        digest = self.seen.get((actor, order_id)) if seen else None
        before, after, error = self.step(
            order_id,
            actor,
            Action.APPROVE_ORDER,
            lambda: self.service.authorize_order(
                self.p(actor), order_id, reason="ok", seen_digest=digest
            ),
        )
        stale = digest is not None and digest != before.digest
        if error is None:
            assert not stale
            assert _email(actor) not in before.price_setters
            assert after.approval is not None
            assert after.approval.decided_by == _email(actor)
            assert after.approval.digest == before.digest
            assert after.state in {S.AUTHORIZED, S.READY_FOR_INVOICING}
        elif stale and _grants(actor, Action.APPROVE_ORDER):
            assert "changed since they were seen" in str(error)
        elif before.state is S.AWAITING_AUTHORIZATION and _grants(actor, Action.APPROVE_ORDER):
            assert _email(actor) in before.price_setters
            assert "four eyes" in str(error)

    @precondition(lambda self: self.order_ids)
    @rule(index=INDEX, actor=DECIDERS)
    def reject(self, index: int, actor: str) -> None:
        self.tick()
        order_id = self.pick(index, S.AWAITING_AUTHORIZATION)
        before, after, error = self.step(
            order_id,
            actor,
            Action.APPROVE_ORDER,
            lambda: self.service.reject_order(self.p(actor), order_id, reason="não"),
        )
        if error is None:
            assert before.state is S.AWAITING_AUTHORIZATION
            assert after.state is S.CANCELLED
            assert after.history[-1].who == _email(actor)

    @precondition(lambda self: self.order_ids)
    @rule(index=INDEX, actor=SELLERS)
    def cancel(self, index: int, actor: str) -> None:
        self.tick()
        # one draw in four any order; else an order it must refuse (so that orders go on)
        done = [o.order_id for o in self.every_order() if o.state in {S.INVOICED, S.CANCELLED}]
        if index % 4 == 3:
            pool = self.order_ids
        elif done:
            pool = done
        else:
            return  # nothing to refuse: let the orders go on
        order_id = pool[index // 4 % len(pool)]
        _, after, error = self.step(
            order_id,
            actor,
            Action.SELL_ON_BEHALF,
            lambda: self.service.cancel_order(self.p(actor), order_id, reason="desistiu"),
        )
        if error is None:
            assert after.state is S.CANCELLED

    @precondition(lambda self: self.order_ids)
    @rule(
        index=INDEX,
        actor=st.sampled_from(("u-ana", "u-caio", "u-admin") * 3 + tuple(sorted(ROLES))),
    )
    def invoice(self, index: int, actor: str) -> None:
        self.tick()
        order_id = self.pick(index, S.READY_FOR_INVOICING)
        before, after, error = self.step(
            order_id,
            actor,
            Action.INVOICE_ORDER,
            lambda: self.service.invoice_order(self.p(actor), order_id),
        )
        if error is None:
            assert before.state is S.READY_FOR_INVOICING
            assert after.state is S.INVOICED  # nothing changed the items behind the approval

    @rule(actor=st.sampled_from(("u-admin", "u-admin", "u-ana", "u-rui")), which=INDEX)
    def set_policy(self, actor: str, which: int) -> None:
        policy = POLICIES[which % len(POLICIES)]
        error = self.call(lambda: self.service.set_telesales_policy(self.p(actor), policy))
        assert isinstance(error, PermissionDenied) is (
            not _grants(actor, Action.CONFIGURE_TELESALES)
        )
        if error is None:
            self.policy = policy
        assert self.service.telesales_policy() == self.policy

    # -- invariants -------------------------------------------------------------------------

    @invariant()
    def no_unauthorized_manual_price_goes_on(self) -> None:
        for order in self.every_order():
            if order.state in _CHECKED:
                assert order.prices_authorized, order
            if order.state in _PAID:
                assert order.payment_status is PaymentStatus.APPROVED

    @invariant()
    def nobody_authorized_their_own_manual_price(self) -> None:
        # four eyes bind the authorization; rejecting one's own price (which cancels the
        # order) is allowed, the safe direction (docs/telesales.md, "Four eyes")
        for order in self.every_order():
            approval = order.approval
            if approval is not None and approval.outcome is Outcome.AUTHORIZE:
                assert approval.decided_by not in order.price_setters, order

    @invariant()
    def the_history_replays(self) -> None:
        for order in self.every_order():
            assert state_after(order.history) is order.state
            times = [t.at for t in order.history]
            assert times == sorted(times)

    @invariant()
    def a_shared_cart_order_carries_no_operator_email(self) -> None:
        for order in self.every_order():
            if order.completed_by_customer:
                assert order.operator_email is None
                assert order.shared
            if order.state is S.CART:
                assert order.operator_email is None

    @invariant()
    def every_invoiced_order_is_one_completed_order(self) -> None:
        with self.db.unit_of_work() as uow:
            completed = list(uow.orders.iter_all())
        invoiced = {o.order_id: o for o in self.every_order() if o.state is S.INVOICED}
        assert sorted(o.order_id for o in completed) == sorted(invoiced)
        for done in completed:
            order = invoiced[done.order_id]
            assert done.total == order.total
            assert done.customer_id == order.customer_id
            assert done.store_id == order.store_id
            operator = order.operator_email or order.built_by
            assert done.seller_code == SELLER_OF.get(operator)

    @invariant()
    def the_audit_log_has_one_verified_entry_per_call(self) -> None:
        with self.db.unit_of_work() as uow:
            entries = list(uow.audit.iter_all())
        assert verify_audit_log(entries).ok
        assert len(entries) == self.calls


TelesalesService.TestCase.settings = settings(
    TelesalesService.TestCase.settings, stateful_step_count=100
)
TestTelesalesService = TelesalesService.TestCase
pytestmark = pytest.mark.slow  # 100 service steps an example, each audited
