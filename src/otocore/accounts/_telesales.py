"""Televendas, audited: carts, manual prices, placing, sharing, authorizing, paying and invoicing.

The steps are the pure functions of :mod:`otocore.telesales`; this part adds
who may take them (:class:`~otocore.access.Action` ``SELL_ON_BEHALF`` for the
call center, ``APPROVE_ORDER`` for order approvers and brand admins,
``INVOICE_ORDER``, ``VIEW_ORDERS`` and ``CONFIGURE_TELESALES``), the
hash-chained audit entry of each, the shared cart's link and storage.

Every step runs in one write-locked unit of work: read the order, apply the
rule, save it with a compare-and-set on the state and history length read
(:meth:`~otocore.repositories.TelesalesRepository.save`), and append the
audit entry. So of two approvers deciding the same order at once exactly one
wins, and the other's attempt is logged FAILED with the state it found; a
failure leaves the order as it was.

Who is who:

- the actor of an order's history is the acting account's login **e-mail**
  (VTEX's "o email do operador é registrado"), so placing on the customer's
  behalf records it as the operator e-mail, and the four-eyes rule compares
  e-mails (an account's login e-mail never changes);
- a customer completing a shared cart is ``customer:<id>`` and a payment
  gateway ``gateway:<event id>``: neither is an account, so their audit entries
  name them as the actor and carry no permission check (the link's token, and
  the injected gateway call, are the credentials).

After each step the service settles what follows by itself: placing (or
completing a shared cart) runs the automatic authorization rules; an order
both authorized and paid is made ready for invoicing at once. Invoicing
checks the approval's digest again, in the same transaction; an order whose
items changed since goes back to awaiting authorization instead. An invoiced
order is also written to the orders (:func:`~otocore.telesales.as_completed_order`)
so RFV, the preferred seller and results count it; its seller is the seller
code of the operator's account, if it has one.
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

import attrs

from otocore import _validate as v
from otocore import telesales as ts
from otocore.access import Action, Outcome, Principal, Target
from otocore.accounts._audit import Audited, require_principal
from otocore.accounts._core import logger
from otocore.auth import issue_token, normalize_login_email
from otocore.errors import NotFound, OtocoreError, RuleViolation, ValidationError
from otocore.orders import OrderItem
from otocore.repositories import UnitOfWork

_CART_PAGE = "carrinho"
_MAX_LINK_TTL = timedelta(days=30)
_Step = Callable[[ts.TelesalesOrder, str, datetime, ts.TelesalesPolicy], ts.TelesalesOrder]


@attrs.frozen(kw_only=True)
class SharedCart:
    """A shared cart and the link to send the customer (shown once, never stored).

    Attributes:
        order: the cart, now shared.
        link: the page and its token; only the token's SHA-256 hash is kept.
        expires_at: when the link stops working.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = ts.new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="a", at=at)
    >>> SharedCart(order=cart, link="https://app.example.com/carrinho/T1?token=x", expires_at=at)
    SharedCart(order_id='T1', expires_at=datetime.datetime(2026, 1, 2, 0, 0, tzinfo=datetime.timezone.utc))
    """

    order: ts.TelesalesOrder = attrs.field(repr=False)
    link: str = attrs.field(repr=False)
    expires_at: datetime

    @property
    def order_id(self) -> str:
        """The cart's id.

        >>> from datetime import UTC, datetime
        >>> at = datetime(2026, 1, 2, tzinfo=UTC)
        >>> SharedCart(
        ...     order=ts.new_cart(
        ...         order_id="T9", customer_id="C", store_id="L", built_by="a", at=at
        ...     ),
        ...     link="",
        ...     expires_at=at,
        ... ).order_id
        'T9'
        """
        return self.order.order_id

    def __repr__(self) -> str:
        return f"SharedCart(order_id={self.order_id!r}, expires_at={self.expires_at!r})"


_POLICY_TARGET = Target(account_id="telesales:policy")
_ORDERS_TARGET = Target(account_id="telesales:orders")


def _target_of(order: ts.TelesalesOrder) -> Target:
    """The audit target of a stored order: its store, and the order as ``order:<id>``."""
    return Target(store_id=order.store_id, account_id=f"order:{order.order_id}")


def _order_target(order_id: str) -> Target:
    return Target(account_id=f"order:{order_id}")


def _settle(
    order: ts.TelesalesOrder, at: datetime, policy: ts.TelesalesPolicy
) -> ts.TelesalesOrder:
    """The steps that follow by themselves: the rules after placing, readiness once paid."""
    if order.state is ts.TelesalesState.PLACED:
        order = ts.apply_rules(order, policy=policy, at=at)
    if order.state is ts.TelesalesState.PAYMENT_APPROVED:
        order = ts.mark_ready_for_invoicing(order, actor=ts.RULES_ACTOR, at=at)
    return order


def _steps(before: ts.TelesalesOrder, after: ts.TelesalesOrder) -> str:
    new = after.history[len(before.history) :]
    moves = "; ".join(f"{t.from_state.value} -> {t.to_state.value}: {t.why}" for t in new)
    return f"order {after.order_id}: {moves}"


class Telesales(Audited):
    """The telesales part of :class:`~otocore.accounts.AccountService`."""

    # reading -------------------------------------------------------------------

    def telesales_policy(self) -> ts.TelesalesPolicy:
        """The brand's stored :class:`~otocore.telesales.TelesalesPolicy` (a read; not audited).

        >>> from datetime import UTC, datetime
        >>> from otocore.accounts import AccountService, SecurityPolicy
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.auth import SecretHasher
        >>> from otocore.clock import FixedClock
        >>> service = AccountService(
        ...     InMemoryDatabase().unit_of_work,
        ...     mailer=InMemoryMailer(),
        ...     clock=FixedClock(datetime(2026, 5, 4, tzinfo=UTC)),
        ...     policy=SecurityPolicy(app_url="https://app.example.com"),
        ...     hasher=SecretHasher.insecure_for_tests(),
        ... )
        >>> service.telesales_policy().manual_price_stores
        frozenset()
        """
        uow = self._unit_of_work()
        with uow:
            return uow.telesales.policy()

    def telesales_order(self, actor: Principal, order_id: str) -> ts.TelesalesOrder:
        """One order with its items and history (VIEW_ORDERS; audited).

        Raises:
            PermissionDenied: the actor may not view orders.
            NotFound: no such order (logged FAILED).
        """
        actor = require_principal(actor)
        order_id = v.require_text("order_id", order_id, max_length=100)
        return self._audited(
            actor,
            [Action.VIEW_ORDERS],
            locate=self._locate(order_id),
            fallback=_order_target(order_id),
            work=lambda uow, _now: uow.telesales.get(order_id),
            detail=lambda order: f"viewed order {order.order_id} ({order.state.value})",
        )

    def telesales_orders(
        self,
        actor: Principal,
        *,
        state: ts.TelesalesState | None = None,
        operator_email: str | None = None,
        customer_id: str | None = None,
        store_id: str | None = None,
        placed_from: datetime | None = None,
        placed_to: datetime | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> builtins.list[ts.TelesalesOrder]:
        """ "Todos os pedidos": orders by state, operator, customer, store and period, newest first.

        VIEW_ORDERS (call center, order approvers, brand admins); audited with
        the filters and the number of orders shown. The period is of
        placement, ``placed_from <= placed_at < placed_to``; paged by
        ``limit`` (at most 1000) and ``offset``.

        Raises:
            PermissionDenied: the actor may not view orders.
        """
        actor = require_principal(actor)
        shown = ", ".join(
            f"{name}={value}"
            for name, value in (
                ("state", None if state is None else getattr(state, "value", state)),
                ("operator", operator_email),
                ("customer", customer_id),
                ("store", store_id),
                ("from", placed_from),
                ("to", placed_to),
            )
            if value is not None
        )

        def work(uow: UnitOfWork, _now: datetime) -> builtins.list[ts.TelesalesOrder]:
            return uow.telesales.list(
                state=state,
                operator_email=operator_email,
                customer_id=customer_id,
                store_id=store_id,
                placed_from=placed_from,
                placed_to=placed_to,
                limit=limit,
                offset=offset,
            )

        return self._audited(
            actor,
            [Action.VIEW_ORDERS],
            locate=lambda _uow: _ORDERS_TARGET,
            fallback=_ORDERS_TARGET,
            work=work,
            detail=lambda rows: f"listed {len(rows)} orders ({shown or 'no filter'})",
        )

    def authorization_queue(
        self, actor: Principal, *, limit: int = 50
    ) -> builtins.list[ts.TelesalesOrder]:
        """The orders waiting for a person's authorization, oldest placed first.

        VIEW_ORDERS; audited. The approver's queue: an approver who set a
        manual price on one of them still sees it, and may not authorize it.
        """
        actor = require_principal(actor)
        return self._audited(
            actor,
            [Action.VIEW_ORDERS],
            locate=lambda _uow: _ORDERS_TARGET,
            fallback=_ORDERS_TARGET,
            work=lambda uow, _now: uow.telesales.awaiting_authorization(limit=limit),
            detail=lambda rows: f"listed {len(rows)} orders awaiting authorization",
        )

    # configuring ---------------------------------------------------------------

    def set_telesales_policy(
        self, actor: Principal, policy: ts.TelesalesPolicy
    ) -> ts.TelesalesPolicy:
        """Store the stores with manual prices and the authorization rules (CONFIGURE_TELESALES).

        Brand admins only; audited with the stores and every range. Orders
        already placed keep the decisions they had; the new rules apply from
        the next placing.

        Raises:
            PermissionDenied: the actor may not configure telesales.
        """
        actor = require_principal(actor)
        policy = v.require_instance("policy", policy, ts.TelesalesPolicy)

        def work(uow: UnitOfWork, _now: datetime) -> ts.TelesalesPolicy:
            uow.telesales.set_policy(policy)
            return policy

        def detail(stored: ts.TelesalesPolicy) -> str:
            stores = ", ".join(sorted(stored.manual_price_stores)) or "none"
            rules = ", ".join(
                f"{r.rule_id} {r.interval} {r.outcome.value}" for r in stored.rules.ranges
            )
            return f"manual prices in: {stores}; rules: {rules}"

        return self._audited(
            actor,
            [Action.CONFIGURE_TELESALES],
            locate=lambda _uow: _POLICY_TARGET,
            fallback=_POLICY_TARGET,
            work=work,
            detail=detail,
        )

    # the call center -----------------------------------------------------------

    def open_cart(
        self,
        actor: Principal,
        *,
        customer_id: str,
        store_id: str,
        order_id: str | None = None,
        commercial_policy: str | None = None,
    ) -> ts.TelesalesOrder:
        """A new, empty cart for a customer, built by the acting operator (SELL_ON_BEHALF).

        ``order_id`` defaults to the next ``T000001``-style number of the
        brand's ``telesales`` sequence (skipping ids already taken). An id
        given must be free among the telesales orders **and** the orders, where
        the invoiced order will be written. The customer and the store must
        exist.

        Raises:
            PermissionDenied: the actor is not in the call center.
            NotFound: no such customer or store (logged FAILED).
            RuleViolation: the order id is taken (logged FAILED).
        """
        actor = require_principal(actor)
        customer_id = v.require_text("customer_id", customer_id, max_length=100)
        store_id = v.require_text("store_id", store_id, max_length=100)
        if order_id is not None:
            order_id = v.require_text("order_id", order_id, max_length=100)
        if commercial_policy is not None:
            commercial_policy = v.require_text(
                "commercial_policy", commercial_policy, max_length=100
            )

        def locate(uow: UnitOfWork) -> Target:
            uow.stores.get(store_id)
            return Target(store_id=store_id, account_id=f"customer:{customer_id}")

        def work(uow: UnitOfWork, now: datetime) -> ts.TelesalesOrder:
            uow.customers.get(customer_id)
            chosen = order_id
            while chosen is None or (order_id is None and _order_id_taken(uow, chosen)):
                chosen = f"T{uow.sequences.next('telesales'):06d}"
            if _order_id_taken(uow, chosen):
                # an invoiced order is written to the orders under its id: both must be free
                raise RuleViolation(f"order id {chosen!r} is already taken")
            cart = ts.new_cart(
                order_id=chosen,
                customer_id=customer_id,
                store_id=store_id,
                built_by=self._email(uow, actor),
                at=now,
                commercial_policy=commercial_policy,
            )
            uow.telesales.add(cart)
            return cart

        return self._audited(
            actor,
            [Action.SELL_ON_BEHALF],
            locate=locate,
            fallback=Target(store_id=store_id),
            work=work,
            detail=lambda cart: f"order {cart.order_id}: cart opened for customer {customer_id}",
        )

    def put_cart_item(self, actor: Principal, order_id: str, item: OrderItem) -> ts.TelesalesOrder:
        """Add a line, or replace the line of its sku (SELL_ON_BEHALF).

        A manual price needs the store enabled in the stored policy; after
        placing, the change sends the order back to awaiting authorization.
        """
        item = v.require_instance("item", item, OrderItem)
        return self._change(
            actor,
            Action.SELL_ON_BEHALF,
            order_id,
            lambda order, who, now, policy: ts.put_item(
                order, item, policy=policy, actor=who, at=now
            ),
        )

    def set_cart_manual_price(
        self, actor: Principal, order_id: str, sku: str, price: Decimal | None
    ) -> ts.TelesalesOrder:
        """Type a manual price on a line, or clear it with ``None`` (SELL_ON_BEHALF)."""
        return self._change(
            actor,
            Action.SELL_ON_BEHALF,
            order_id,
            lambda order, who, now, policy: ts.set_manual_price(
                order, sku, price, policy=policy, actor=who, at=now
            ),
        )

    def remove_cart_item(self, actor: Principal, order_id: str, sku: str) -> ts.TelesalesOrder:
        """Remove a line (SELL_ON_BEHALF); after placing, back to awaiting authorization."""
        return self._change(
            actor,
            Action.SELL_ON_BEHALF,
            order_id,
            lambda order, who, now, _policy: ts.remove_item(order, sku, actor=who, at=now),
        )

    def share_cart(
        self, actor: Principal, order_id: str, *, valid_for: timedelta = timedelta(days=3)
    ) -> SharedCart:
        """Share the cart: a link with an unguessable token that expires (SELL_ON_BEHALF).

        The token is 256 random bits; only its SHA-256 hash is stored with the
        cart, and sharing again replaces it (the older link dies). The link is
        ``<app_url>/carrinho/<order id>?token=<token>``, valid for
        ``valid_for`` (default three days, at most 30).
        """
        valid_for = v.require_positive_timedelta("valid_for", valid_for)
        if valid_for > _MAX_LINK_TTL:
            raise ValidationError("valid_for", valid_for, "must be at most 30 days")
        token: list[str] = []

        def step(
            order: ts.TelesalesOrder, who: str, now: datetime, _policy: ts.TelesalesPolicy
        ) -> ts.TelesalesOrder:
            text, record = issue_token(now=now, ttl=valid_for, rng_bytes=self._token_bytes)
            token.append(text)
            return ts.share_cart(order, actor=who, at=now, link=record)

        order = self._change(actor, Action.SELL_ON_BEHALF, order_id, step)
        assert order.share_link is not None  # noqa: S101 - share_cart just set it
        link = self._link(f"{_CART_PAGE}/{order.order_id}", token[0])
        return SharedCart(order=order, link=link, expires_at=order.share_link.expires_at)

    def place_order(
        self, actor: Principal, order_id: str, *, payment_method: ts.PaymentMethod
    ) -> ts.TelesalesOrder:
        """Place the cart on the customer's behalf (SELL_ON_BEHALF); the operator's e-mail is kept.

        The automatic rules run at once: the order is authorized, denied
        (cancelled) or left awaiting a person.
        """
        method = v.require_enum("payment_method", payment_method, ts.PaymentMethod)
        return self._change(
            actor,
            Action.SELL_ON_BEHALF,
            order_id,
            lambda order, who, now, _policy: ts.place_on_behalf(
                order, payment_method=method, actor=who, at=now
            ),
        )

    def approve_promissory_note(self, actor: Principal, order_id: str) -> ts.TelesalesOrder:
        """The operator approves a promissory note by hand (SELL_ON_BEHALF)."""
        return self._change(
            actor,
            Action.SELL_ON_BEHALF,
            order_id,
            lambda order, who, now, _policy: ts.approve_promissory_note(order, actor=who, at=now),
        )

    def cancel_order(self, actor: Principal, order_id: str, *, reason: str) -> ts.TelesalesOrder:
        """Cancel a cart or an order not yet invoiced, with a reason (SELL_ON_BEHALF)."""
        return self._change(
            actor,
            Action.SELL_ON_BEHALF,
            order_id,
            lambda order, who, now, _policy: ts.cancel(order, actor=who, reason=reason, at=now),
        )

    # approvers -----------------------------------------------------------------

    def authorize_order(
        self,
        actor: Principal,
        order_id: str,
        *,
        reason: str,
        seen_digest: str | None = None,
    ) -> ts.TelesalesOrder:
        """Authorize an order's manual prices (APPROVE_ORDER), bound to the items seen.

        Nobody who set a manual price on the order may (four eyes: a
        RuleViolation, logged FAILED). A paid order becomes ready for
        invoicing at once.

        ``seen_digest`` is the :attr:`~otocore.telesales.TelesalesOrder.digest`
        of the order the approver looked at: if the items or prices changed
        since (an operator repriced it while the approver read it), the
        authorization is refused (RuleViolation, logged FAILED) instead of
        being bound to prices the approver never saw. Without it, the
        approval binds to the items as they are when it is written.
        """
        seen = _seen("authorizing", seen_digest)

        def step(
            order: ts.TelesalesOrder, who: str, now: datetime, _policy: ts.TelesalesPolicy
        ) -> ts.TelesalesOrder:
            seen(order)
            return ts.authorize(order, actor=who, reason=reason, at=now)

        return self._change(actor, Action.APPROVE_ORDER, order_id, step)

    def reject_order(
        self,
        actor: Principal,
        order_id: str,
        *,
        reason: str,
        seen_digest: str | None = None,
    ) -> ts.TelesalesOrder:
        """Reject an order's manual prices, with a reason (APPROVE_ORDER): it is cancelled.

        ``seen_digest`` works as in :meth:`authorize_order`: a rejection of
        prices that were changed since the approver looked is refused, so an
        order repriced meanwhile is not cancelled for a price it no longer has.
        """
        seen = _seen("rejecting", seen_digest)

        def step(
            order: ts.TelesalesOrder, who: str, now: datetime, _policy: ts.TelesalesPolicy
        ) -> ts.TelesalesOrder:
            seen(order)
            return ts.reject(order, actor=who, reason=reason, at=now)

        return self._change(actor, Action.APPROVE_ORDER, order_id, step)

    def invoice_order(self, actor: Principal, order_id: str) -> ts.TelesalesOrder:
        """Invoice an order ready for invoicing (INVOICE_ORDER), checking its approval again.

        If the items changed since the approval, the order goes back to
        awaiting authorization instead (the returned order says so). An
        invoiced order is written to the orders as completed, so RFV and
        results count it.
        """
        return self._change(
            actor,
            Action.INVOICE_ORDER,
            order_id,
            lambda order, who, now, _policy: ts.invoice(order, actor=who, at=now),
        )

    # neither an account nor a permission: the link's token, the gateway's call ----

    def complete_shared_cart(
        self, order_id: str, token: str, *, payment_method: ts.PaymentMethod
    ) -> ts.TelesalesOrder:
        """The customer completes a shared cart through its link; no operator e-mail is kept.

        The token is checked in constant time against the stored hash and its
        expiry; every failure is the same :class:`~otocore.errors.InvalidToken`
        (logged FAILED with actor ``customer``). A cart already turned into an
        order can't be completed twice. The automatic rules run at once.
        """
        method = v.require_enum("payment_method", payment_method, ts.PaymentMethod)

        def step(order: ts.TelesalesOrder, now: datetime) -> ts.TelesalesOrder:
            return ts.complete_shared_cart(
                order,
                payment_method=method,
                customer=f"customer:{order.customer_id}",
                at=now,
                token=token,
            )

        return self._unattended("customer", "complete_shared_cart", order_id, step)

    def record_gateway_payment(self, order_id: str, *, event_id: str) -> ts.TelesalesOrder:
        """The payment gateway's event approves an order's payment (the injected call).

        Call it from the gateway's webhook handler once the brand has
        verified the event; the actor is ``gateway:<event_id>``. A paid and
        authorized order becomes ready for invoicing at once.
        """
        event = v.require_text("event_id", event_id, max_length=100)

        def step(order: ts.TelesalesOrder, now: datetime) -> ts.TelesalesOrder:
            return ts.approve_by_gateway(order, event_id=event, at=now)

        return self._unattended(f"gateway:{event}", "approve_payment", order_id, step)

    # the shared steps ------------------------------------------------------------

    @staticmethod
    def _locate(order_id: str) -> Callable[[UnitOfWork], Target]:
        def locate(uow: UnitOfWork) -> Target:
            order = uow.telesales.get(order_id)
            return _target_of(order)

        return locate

    @staticmethod
    def _email(uow: UnitOfWork, actor: Principal) -> str:
        return uow.accounts.get(actor.account_id).email.address

    @staticmethod
    def _commit_step(
        uow: UnitOfWork, before: ts.TelesalesOrder, after: ts.TelesalesOrder, now: datetime
    ) -> ts.TelesalesOrder:
        after = _settle(after, now, uow.telesales.policy())
        uow.telesales.save(after, expected_state=before.state, expected_length=len(before.history))
        if after.state is ts.TelesalesState.INVOICED:
            uow.orders.add(ts.as_completed_order(after, seller_codes=_seller_codes(uow, after)))
        return after

    def _change(
        self,
        actor: Principal,
        action: Action,
        order_id: str,
        step: _Step,
    ) -> ts.TelesalesOrder:
        actor = require_principal(actor)
        order_id = v.require_text("order_id", order_id, max_length=100)
        before: list[ts.TelesalesOrder] = []

        def work(uow: UnitOfWork, now: datetime) -> ts.TelesalesOrder:
            order = uow.telesales.get(order_id)
            before.append(order)
            after = step(order, self._email(uow, actor), now, uow.telesales.policy())
            return self._commit_step(uow, order, after, now)

        order = self._audited(
            actor,
            [action],
            locate=self._locate(order_id),
            fallback=_order_target(order_id),
            work=work,
            detail=lambda after: _steps(before[-1], after),
        )
        logger.info("telesales order %s: %s by %s", order_id, order.state.value, actor.account_id)
        return order

    def _unattended(
        self,
        actor: str,
        action: str,
        order_id: str,
        step: Callable[[ts.TelesalesOrder, datetime], ts.TelesalesOrder],
    ) -> ts.TelesalesOrder:
        order_id = v.require_text("order_id", order_id, max_length=100)
        uow = self._unit_of_work()
        with uow.writing():
            now = self._now()
            target = _order_target(order_id)
            try:
                order = uow.telesales.get(order_id)
                if actor == "customer":
                    actor = f"customer:{order.customer_id}"
                target = _target_of(order)
                after = self._commit_step(uow, order, step(order, now), now)
            except OtocoreError as error:
                uow.rollback()
                self._append(
                    uow,
                    now=now,
                    actor=actor,
                    action=action,
                    target=target,
                    outcome=Outcome.FAILED,
                    detail=str(error),
                )
                uow.commit()
                raise
            self._append(
                uow,
                now=now,
                actor=actor,
                action=action,
                target=target,
                outcome=Outcome.ALLOWED,
                detail=_steps(order, after),
            )
        logger.info("telesales order %s: %s by %s", order_id, after.state.value, actor)
        return after


def _order_id_taken(uow: UnitOfWork, order_id: str) -> bool:
    for read in (uow.telesales.get, uow.orders.get):
        try:
            read(order_id)
        except NotFound:
            continue
        return True
    return False


def _seen(doing: str, seen_digest: str | None) -> Callable[[ts.TelesalesOrder], None]:
    """A check that the order's items are still those the approver saw (when given)."""
    if seen_digest is not None:
        seen_digest = v.require_text("seen_digest", seen_digest, max_length=64)

    def check(order: ts.TelesalesOrder) -> None:
        if seen_digest is not None and seen_digest != order.digest:
            raise RuleViolation(
                f"order {order.order_id} is {order.state.value}: its items changed since"
                f" they were seen (digest {seen_digest[:12]}..., now {order.digest[:12]}...);"
                f" look at the order again before {doing} it"
            )

    return check


def _seller_codes(uow: UnitOfWork, order: ts.TelesalesOrder) -> dict[str, str]:
    """The operator's seller code, when the operator's account has one (else no seller)."""
    operator = order.operator_email if order.operator_email is not None else order.built_by
    try:
        address = normalize_login_email(operator)
    except ValidationError:  # not an e-mail: "import", or another platform's operator name
        return {}
    account = uow.accounts.find_by_email(address)
    if account is None or account.seller_code is None:
        return {}
    return {operator: account.seller_code}
