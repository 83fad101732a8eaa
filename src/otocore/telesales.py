"""Televendas (telesales): the pure state machine of a call-center order, from cart to invoice.

An operator builds a cart for a customer, may type manual prices, and either
places the order on the customer's behalf ("Quando o operador de televendas
fecha um pedido em nome do cliente, o email do operador é registrado") or
shares the cart so the customer completes it ("Nesse caso, o email do operador
não é registrado"). "Após fechar o pedido, o preço manual precisa ser
aprovado" (VTEX's Televendas help page): the automatic rules of
:mod:`otocore.authorization` authorize, deny or leave it to a person.

Every function here takes a :class:`TelesalesOrder` and returns a **new** one
with exactly one :class:`Transition` appended to its history, or raises
:class:`~otocore.errors.RuleViolation` naming the current state and changes
nothing. Nothing is stored: the service layer (roles, audit log, share-link
tokens and their expiry, storage and races) is built on top of these values.

The states (the Telesales page of the documentation draws the diagram):

* ``cart``: items may be added and priced; a cart may be shared;
* ``placed``: placed on the customer's behalf or completed through a shared
  cart; the automatic rules have not run yet (:func:`apply_rules`);
* ``awaiting_authorization``: a manual price waits for a person;
* ``authorized``: every manual price is authorized (or there is none), the
  payment is still pending;
* ``payment_approved``: authorized **and** paid;
* ``ready_for_invoicing``, ``invoiced``; ``cancelled`` (denied, rejected or
  cancelled).

Payment is a flag beside the state: a payment approved before the prices are
authorized is recorded (the state stays), and the authorization then goes
straight to ``payment_approved``. So ``payment_approved``,
``ready_for_invoicing`` and ``invoiced`` always mean both: paid, and an
approval whose digest is the digest of the current items.

>>> from datetime import UTC, datetime
>>> from decimal import Decimal
>>> from otocore.orders import OrderItem
>>> at = datetime(2026, 5, 10, 15, tzinfo=UTC)
>>> policy = TelesalesPolicy(manual_price_stores=frozenset({"L01"}))
>>> cart = new_cart(
...     order_id="T1", customer_id="C1", store_id="L01", built_by="ana@marca.com.br", at=at
... )
>>> cart = put_item(
...     cart,
...     OrderItem(sku="A", quantity=1, list_price=Decimal("100.00"), manual_price=Decimal("90.00")),
...     policy=policy,
...     actor="ana@marca.com.br",
...     at=at,
... )
>>> order = place_on_behalf(
...     cart, payment_method=PaymentMethod.PROMISSORY_NOTE, actor="ana@marca.com.br", at=at
... )
>>> order.operator_email
'ana@marca.com.br'
>>> order = apply_rules(order, policy=policy, at=at)
>>> order.state
<TelesalesState.AWAITING_AUTHORIZATION: 'awaiting_authorization'>
>>> authorize(order, actor="ana@marca.com.br", reason="ok", at=at)
Traceback (most recent call last):
...
otocore.errors.RuleViolation: order T1 is awaiting_authorization: ana@marca.com.br set a manual price on it and cannot authorize it (four eyes)
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

import attrs

from otocore import _validate as v
from otocore.auth import TokenCheck, TokenRecord, check_token, mark_used
from otocore.authorization import (
    AuthorizationRules,
    Decision,
    Outcome,
    decide_order,
    items_digest,
)
from otocore.errors import InvalidToken, RuleViolation, ValidationError
from otocore.orders import Channel, Order, OrderItem

__all__ = [
    "PaymentMethod",
    "PaymentStatus",
    "TelesalesOrder",
    "TelesalesPolicy",
    "TelesalesState",
    "Transition",
    "apply_rules",
    "approve_by_gateway",
    "approve_promissory_note",
    "as_completed_order",
    "authorize",
    "cancel",
    "complete_shared_cart",
    "imported_order",
    "invoice",
    "mark_ready_for_invoicing",
    "new_cart",
    "place_on_behalf",
    "put_item",
    "reject",
    "remove_item",
    "set_manual_price",
    "share_cart",
    "state_after",
]

RULES_ACTOR = "rules"
"""The ``who`` of a transition made by the automatic authorization rules."""


class TelesalesState(enum.Enum):
    """The state of a telesales order (see the module and the Telesales page).

    >>> TelesalesState("awaiting_authorization")
    <TelesalesState.AWAITING_AUTHORIZATION: 'awaiting_authorization'>
    """

    CART = "cart"
    PLACED = "placed"
    AWAITING_AUTHORIZATION = "awaiting_authorization"
    AUTHORIZED = "authorized"
    PAYMENT_APPROVED = "payment_approved"
    READY_FOR_INVOICING = "ready_for_invoicing"
    INVOICED = "invoiced"
    CANCELLED = "cancelled"


class PaymentMethod(enum.Enum):
    """Forma de pagamento: a promissory note (approved by hand by the operator) or a gateway.

    >>> PaymentMethod("promissory_note")
    <PaymentMethod.PROMISSORY_NOTE: 'promissory_note'>
    """

    PROMISSORY_NOTE = "promissory_note"
    GATEWAY = "gateway"


class PaymentStatus(enum.Enum):
    """Whether the payment is approved.

    >>> PaymentStatus("pending")
    <PaymentStatus.PENDING: 'pending'>
    """

    PENDING = "pending"
    APPROVED = "approved"


_S = TelesalesState
_AFTER_PLACING = frozenset(
    {
        _S.PLACED,
        _S.AWAITING_AUTHORIZATION,
        _S.AUTHORIZED,
        _S.PAYMENT_APPROVED,
        _S.READY_FOR_INVOICING,
    }
)
_PAYABLE = frozenset({_S.PLACED, _S.AWAITING_AUTHORIZATION, _S.AUTHORIZED})


@attrs.frozen(kw_only=True)
class Transition:
    """One entry of an order's history: from, to, who, when and why.

    Attributes:
        from_state: the state before.
        to_state: the state after (the same state for a change within it, such
            as adding an item to a cart).
        who: the actor: an account's e-mail or id, ``"rules"`` for the
            automatic rules, ``"gateway:<event>"`` for a payment gateway.
        at: when, timezone-aware, kept in UTC.
        why: one line saying what happened.

    >>> from datetime import UTC, datetime
    >>> Transition(
    ...     from_state=TelesalesState.CART,
    ...     to_state=TelesalesState.PLACED,
    ...     who="ana@marca.com.br",
    ...     at=datetime(2026, 5, 10, tzinfo=UTC),
    ...     why="placed on the customer's behalf",
    ... ).to_state
    <TelesalesState.PLACED: 'placed'>
    """

    from_state: TelesalesState = attrs.field(validator=v.member_of(TelesalesState))
    to_state: TelesalesState = attrs.field(validator=v.member_of(TelesalesState))
    who: str = attrs.field(validator=v.text(200))
    at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    why: str = attrs.field(validator=v.text(500, multiline=True))


def _items(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _unique_items(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    if not isinstance(value, tuple):
        raise ValidationError(field, value, "must be a tuple of OrderItem")
    seen: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, OrderItem):
            raise ValidationError(f"{field}[{index}]", item, "must be an OrderItem")
        if item.sku in seen:
            raise ValidationError(f"{field}[{index}].sku", item.sku, "must be unique in the order")
        seen.add(item.sku)


def _setters(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    if not isinstance(value, tuple):
        raise ValidationError(field, value, "must be a tuple of (sku, who) pairs")
    for index, pair in enumerate(value):
        if not (
            isinstance(pair, tuple) and len(pair) == 2 and all(isinstance(p, str) for p in pair)
        ):
            raise ValidationError(f"{field}[{index}]", pair, "must be a (sku, who) pair of text")


def _history(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    if not isinstance(value, tuple):
        raise ValidationError(field, value, "must be a tuple of Transition")
    for index, entry in enumerate(value):
        if not isinstance(entry, Transition):
            raise ValidationError(f"{field}[{index}]", entry, "must be a Transition")


def _optional_approval(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, Decision):
        raise ValidationError(v.field_name(instance, attribute), value, "must be a Decision")


def _optional_link(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, TokenRecord):
        raise ValidationError(v.field_name(instance, attribute), value, "must be a TokenRecord")


def _optional_method(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        v.require_enum(v.field_name(instance, attribute), value, PaymentMethod)


@attrs.frozen(kw_only=True)
class TelesalesOrder:
    """A telesales cart or order, with everything its transitions need, and its history.

    Build one with :func:`new_cart`; every change is a function of this module.

    Attributes:
        order_id: the brand's id of the order.
        customer_id: the customer it is for.
        store_id: the store it is booked to (manual prices need the store enabled).
        items: the lines, one per sku.
        state: :class:`TelesalesState`.
        built_by: who built the cart (kept for the audit log, even when the
            customer completes a shared cart).
        operator_email: the operator who placed it on the customer's behalf, or
            ``None`` (a cart, or an order the customer completed through a
            shared cart).
        shared: whether the cart was shared with the customer.
        share_link: the :class:`~otocore.auth.TokenRecord` of the link's
            token (its SHA-256 hash, when it was issued, when it expires, when
            it was used), or ``None``: the token itself is never kept.
        completed_by_customer: whether the customer completed a shared cart.
        manual_price_setters: ``(sku, who)`` for every manual price ever set on
            the order, in order; nobody named here may authorize it (four eyes).
        approval: the last authorization :class:`~otocore.authorization.Decision`
            (a rule's or a person's), bound to the items' digest, or ``None``.
        payment_method: :class:`PaymentMethod`, set when placed.
        payment_status: :class:`PaymentStatus`.
        commercial_policy: the brand's commercial policy (política comercial), or ``None``.
        history: every :class:`Transition`, oldest first.

    >>> from datetime import UTC, datetime
    >>> cart = new_cart(
    ...     order_id="T1",
    ...     customer_id="C1",
    ...     store_id="L01",
    ...     built_by="ana",
    ...     at=datetime(2026, 1, 2, tzinfo=UTC),
    ... )
    >>> cart.state, cart.operator_email, len(cart.history)
    (<TelesalesState.CART: 'cart'>, None, 1)
    """

    order_id: str = attrs.field(validator=v.text(100))
    customer_id: str = attrs.field(validator=v.text(100))
    store_id: str = attrs.field(validator=v.text(100))
    items: tuple[OrderItem, ...] = attrs.field(converter=_items, validator=_unique_items)
    state: TelesalesState = attrs.field(validator=v.member_of(TelesalesState))
    built_by: str = attrs.field(validator=v.text(200))
    operator_email: str | None = attrs.field(default=None, validator=v.optional_text(200))
    shared: bool = attrs.field(default=False, validator=v.boolean)
    share_link: TokenRecord | None = attrs.field(default=None, validator=_optional_link)
    completed_by_customer: bool = attrs.field(default=False, validator=v.boolean)
    manual_price_setters: tuple[tuple[str, str], ...] = attrs.field(
        default=(), converter=_items, validator=_setters
    )
    approval: Decision | None = attrs.field(default=None, validator=_optional_approval)
    payment_method: PaymentMethod | None = attrs.field(default=None, validator=_optional_method)
    payment_status: PaymentStatus = attrs.field(
        default=PaymentStatus.PENDING, validator=v.member_of(PaymentStatus)
    )
    commercial_policy: str | None = attrs.field(default=None, validator=v.optional_text(100))
    history: tuple[Transition, ...] = attrs.field(default=(), converter=_items, validator=_history)

    @property
    def digest(self) -> str:
        """The :func:`~otocore.authorization.items_digest` of the current items.

        >>> from datetime import UTC, datetime
        >>> len(
        ...     new_cart(
        ...         order_id="T",
        ...         customer_id="C",
        ...         store_id="L",
        ...         built_by="a",
        ...         at=datetime(2026, 1, 1, tzinfo=UTC),
        ...     ).digest
        ... )
        64
        """
        return items_digest(self.items)

    @property
    def price_setters(self) -> frozenset[str]:
        """Everyone who set a manual price on the order (four eyes).

        >>> from datetime import UTC, datetime
        >>> new_cart(
        ...     order_id="T",
        ...     customer_id="C",
        ...     store_id="L",
        ...     built_by="a",
        ...     at=datetime(2026, 1, 1, tzinfo=UTC),
        ... ).price_setters
        frozenset()
        """
        return frozenset(who for _, who in self.manual_price_setters)

    @property
    def prices_authorized(self) -> bool:
        """Whether an authorizing decision is bound to exactly the current items.

        >>> from datetime import UTC, datetime
        >>> new_cart(
        ...     order_id="T",
        ...     customer_id="C",
        ...     store_id="L",
        ...     built_by="a",
        ...     at=datetime(2026, 1, 1, tzinfo=UTC),
        ... ).prices_authorized
        False
        """
        return (
            self.approval is not None
            and self.approval.outcome is Outcome.AUTHORIZE
            and self.approval.digest == self.digest
        )

    @property
    def total(self) -> Decimal:
        """The sum of the line totals.

        >>> from datetime import UTC, datetime
        >>> new_cart(
        ...     order_id="T",
        ...     customer_id="C",
        ...     store_id="L",
        ...     built_by="a",
        ...     at=datetime(2026, 1, 1, tzinfo=UTC),
        ... ).total
        Decimal('0.00')
        """
        return sum((item.line_total for item in self.items), Decimal("0.00"))


def _stores(value: Iterable[str]) -> frozenset[str]:
    if isinstance(value, str | bytes):  # "L01" would become {"L", "0", "1"}
        raise ValidationError(
            "TelesalesPolicy.manual_price_stores", value, "must be a set of store ids, not a string"
        )
    items = v.require_iterable(
        "TelesalesPolicy.manual_price_stores", value, rule="must be a set of store ids"
    )
    # each id is checked before it is hashed: a list inside is a ValidationError, not a TypeError
    return frozenset(
        v.require_text("TelesalesPolicy.manual_price_stores", store, max_length=100)
        for store in items
    )


@attrs.frozen(kw_only=True)
class TelesalesPolicy:
    """A brand's telesales settings: the stores with manual prices, and the authorization rules.

    Attributes:
        manual_price_stores: the stores where the brand enabled manual prices
            (VTEX: "a funcionalidade de preço manual tenha sido habilitada").
        rules: the :class:`~otocore.authorization.AuthorizationRules`; by
            default every manual price waits for a person.

    >>> TelesalesPolicy(
    ...     manual_price_stores=frozenset({"L01"})
    ... ).rules == AuthorizationRules.default()
    True
    """

    manual_price_stores: frozenset[str] = attrs.field(converter=_stores)
    rules: AuthorizationRules = attrs.field(factory=AuthorizationRules.default)

    @rules.validator
    def _rules(self, attribute: attrs.Attribute[Any], value: Any) -> None:
        v.require_instance(v.field_name(self, attribute), value, AuthorizationRules)


# helpers -----------------------------------------------------------------------


def _refuse(order: TelesalesOrder, what: str) -> RuleViolation:
    return RuleViolation(f"order {order.order_id} is {order.state.value}: {what}")


def _require_state(order: TelesalesOrder, allowed: Iterable[TelesalesState], what: str) -> None:
    v.require_instance("order", order, TelesalesOrder)
    if order.state not in set(allowed):
        raise _refuse(order, f"cannot {what}")


def _move(
    order: TelesalesOrder, to: TelesalesState, *, who: str, at: datetime, why: str, **changes: Any
) -> TelesalesOrder:
    when = v.require_utc("at", at)
    who = v.require_text("actor", who, max_length=200)
    if order.history and when < order.history[-1].at:
        raise ValidationError(
            "at", at, f"must not be before the order's last transition ({order.history[-1].at})"
        )
    entry = Transition(from_state=order.state, to_state=to, who=who, at=when, why=why)
    return attrs.evolve(order, state=to, history=(*order.history, entry), **changes)


def _after_authorization(order: TelesalesOrder) -> TelesalesState:
    return _S.PAYMENT_APPROVED if order.payment_status is PaymentStatus.APPROVED else _S.AUTHORIZED


def _change_items(
    order: TelesalesOrder,
    items: tuple[OrderItem, ...],
    setter: tuple[str, str] | None,
    *,
    actor: str,
    at: datetime,
    why: str,
) -> TelesalesOrder:
    setters = (
        order.manual_price_setters if setter is None else (*order.manual_price_setters, setter)
    )
    if order.state is _S.CART:
        return _move(
            order, _S.CART, who=actor, at=at, why=why, items=items, manual_price_setters=setters
        )
    return _move(
        order,
        _S.AWAITING_AUTHORIZATION,
        who=actor,
        at=at,
        why=f"{why} after placing: back to awaiting authorization",
        items=items,
        manual_price_setters=setters,
        approval=None,
    )


def _check_manual_price(order: TelesalesOrder, policy: TelesalesPolicy) -> None:
    v.require_instance("policy", policy, TelesalesPolicy)
    if order.store_id not in policy.manual_price_stores:
        raise _refuse(order, f"manual prices are not enabled for store {order.store_id}")


_EDITABLE = frozenset({_S.CART, *_AFTER_PLACING})


# transitions -------------------------------------------------------------------


def new_cart(
    *,
    order_id: str,
    customer_id: str,
    store_id: str,
    built_by: str,
    at: datetime,
    commercial_policy: str | None = None,
) -> TelesalesOrder:
    """An empty cart built by ``built_by``; its history starts with "cart created".

    >>> from datetime import UTC, datetime
    >>> cart = new_cart(
    ...     order_id="T1",
    ...     customer_id="C1",
    ...     store_id="L01",
    ...     built_by="ana",
    ...     at=datetime(2026, 1, 2, tzinfo=UTC),
    ... )
    >>> cart.history[0].why
    'cart created'
    """
    cart = TelesalesOrder(
        order_id=order_id,
        customer_id=customer_id,
        store_id=store_id,
        items=(),
        state=_S.CART,
        built_by=built_by,
        commercial_policy=commercial_policy,
    )
    return _move(cart, _S.CART, who=built_by, at=at, why="cart created")


def put_item(
    order: TelesalesOrder,
    item: OrderItem,
    *,
    policy: TelesalesPolicy,
    actor: str,
    at: datetime,
) -> TelesalesOrder:
    """Add a line, or replace the line of the same sku.

    In a cart the state stays ``cart``; after placing (and before invoicing)
    the change sends the order back to ``awaiting_authorization`` and drops
    its approval. A new or changed manual price, or a changed list price under
    a manual price (the divergence is measured against it), needs the store
    enabled and records ``actor`` as its setter.

    >>> from datetime import UTC, datetime
    >>> from decimal import Decimal
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L09", built_by="ana", at=at)
    >>> put_item(
    ...     cart,
    ...     OrderItem(
    ...         sku="A", quantity=1, list_price=Decimal("10.00"), manual_price=Decimal("1.00")
    ...     ),
    ...     policy=TelesalesPolicy(manual_price_stores=frozenset({"L01"})),
    ...     actor="ana",
    ...     at=at,
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: order T1 is cart: manual prices are not enabled for store L09
    """
    _require_state(order, _EDITABLE, "change its items")
    v.require_instance("item", item, OrderItem)
    old = next((i for i in order.items if i.sku == item.sku), None)
    setter = None
    # a manual price's divergence is measured against the list price, so changing either one
    # makes the changer a price setter (four eyes): a list price raised to meet a manual
    # price is as much a price decision as the manual price itself
    if item.manual_price is not None and (
        old is None or (old.manual_price, old.list_price) != (item.manual_price, item.list_price)
    ):
        _check_manual_price(order, policy)
        setter = (item.sku, actor)
    items = tuple(item if i.sku == item.sku else i for i in order.items)
    if old is None:
        items = (*order.items, item)
    why = f"item {item.sku} {'added' if old is None else 'changed'}"
    return _change_items(order, items, setter, actor=actor, at=at, why=why)


def set_manual_price(
    order: TelesalesOrder,
    sku: str,
    price: Decimal | None,
    *,
    policy: TelesalesPolicy,
    actor: str,
    at: datetime,
) -> TelesalesOrder:
    """Set (or, with ``None``, clear) the manual price of the line ``sku``.

    Any price, up or down ("Não há restrições sobre aumento e redução de
    preço"), where the store has manual prices enabled.

    >>> from datetime import UTC, datetime
    >>> from decimal import Decimal
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> policy = TelesalesPolicy(manual_price_stores=frozenset({"L01"}))
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> cart = put_item(
    ...     cart,
    ...     OrderItem(sku="A", quantity=2, list_price=Decimal("10.00")),
    ...     policy=policy,
    ...     actor="ana",
    ...     at=at,
    ... )
    >>> cart = set_manual_price(cart, "A", Decimal("12.50"), policy=policy, actor="bia", at=at)
    >>> cart.items[0].manual_price, cart.price_setters
    (Decimal('12.50'), frozenset({'bia'}))
    """
    v.require_instance("order", order, TelesalesOrder)
    old = next((i for i in order.items if i.sku == sku), None)
    if old is None:
        _require_state(order, _EDITABLE, "change its items")
        raise _refuse(order, f"has no item {sku!r}")
    return put_item(order, attrs.evolve(old, manual_price=price), policy=policy, actor=actor, at=at)


def remove_item(order: TelesalesOrder, sku: str, *, actor: str, at: datetime) -> TelesalesOrder:
    """Remove the line ``sku`` (after placing, back to awaiting authorization).

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> remove_item(cart, "A", actor="ana", at=at)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: order T1 is cart: has no item 'A'
    """
    _require_state(order, _EDITABLE, "change its items")
    if not any(i.sku == sku for i in order.items):
        raise _refuse(order, f"has no item {sku!r}")
    items = tuple(i for i in order.items if i.sku != sku)
    return _change_items(order, items, None, actor=actor, at=at, why=f"item {sku} removed")


def share_cart(
    order: TelesalesOrder, *, actor: str, at: datetime, link: TokenRecord | None = None
) -> TelesalesOrder:
    """Share the cart with the customer; ``link`` is the record of the link's token.

    The service draws the token (:func:`~otocore.auth.issue_token`: 256
    random bits, only its hash kept) and sends the link; sharing again
    replaces the record, so an older link stops working.

    >>> from datetime import UTC, datetime, timedelta
    >>> from otocore.auth import issue_token
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> token, record = issue_token(now=at, ttl=timedelta(days=2), rng_bytes=lambda n: bytes(n))
    >>> shared = share_cart(cart, actor="ana", at=at, link=record)
    >>> shared.shared, shared.share_link.expires_at
    (True, datetime.datetime(2026, 1, 4, 0, 0, tzinfo=datetime.timezone.utc))
    """
    _require_state(order, {_S.CART}, "share the cart")
    if link is not None:
        v.require_instance("link", link, TokenRecord)
    return _move(
        order,
        _S.CART,
        who=actor,
        at=at,
        why="cart shared with the customer",
        shared=True,
        share_link=link,
    )


def _require_items(order: TelesalesOrder) -> None:
    if not order.items:
        raise _refuse(order, "cannot be placed without items")


def place_on_behalf(
    order: TelesalesOrder,
    *,
    payment_method: PaymentMethod,
    actor: str,
    at: datetime,
) -> TelesalesOrder:
    """The operator places the order in the customer's name: the operator's e-mail is recorded.

    "Quando o operador de televendas fecha um pedido em nome do cliente, o
    email do operador é registrado" (VTEX's Televendas help page).

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> place_on_behalf(cart, payment_method=PaymentMethod.GATEWAY, actor="ana", at=at)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: order T1 is cart: cannot be placed without items
    """
    _require_state(order, {_S.CART}, "be placed on the customer's behalf")
    _require_items(order)
    method = v.require_enum("payment_method", payment_method, PaymentMethod)
    return _move(
        order,
        _S.PLACED,
        who=actor,
        at=at,
        why=f"placed on the customer's behalf by {actor} ({method.value})",
        operator_email=actor,
        payment_method=method,
    )


def complete_shared_cart(
    order: TelesalesOrder,
    *,
    payment_method: PaymentMethod,
    customer: str,
    at: datetime,
    token: str | None = None,
) -> TelesalesOrder:
    """The customer completes a shared cart: no operator e-mail is recorded.

    "Nesse caso, o email do operador não é registrado" (VTEX's Televendas help
    page). The cart keeps ``built_by``. A cart already turned into an order
    can't be completed twice. When the cart was shared with a link, ``token``
    must be that link's token, presented before it expires
    (:class:`~otocore.errors.InvalidToken` otherwise, one answer for every
    cause); the record is marked used.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> complete_shared_cart(cart, payment_method=PaymentMethod.GATEWAY, customer="C1", at=at)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: order T1 is cart: the cart was not shared
    """
    _require_state(order, {_S.CART}, "complete the shared cart (already an order)")
    if not order.shared:
        raise _refuse(order, "the cart was not shared")
    link = order.share_link
    if link is not None:
        when = v.require_utc("at", at)
        if check_token(link, token, when, newest=link) is not TokenCheck.VALID:
            raise InvalidToken
        link = mark_used(link, now=when)
    _require_items(order)
    method = v.require_enum("payment_method", payment_method, PaymentMethod)
    return _move(
        order,
        _S.PLACED,
        who=customer,
        at=at,
        why=f"shared cart completed by the customer ({method.value})",
        operator_email=None,
        completed_by_customer=True,
        payment_method=method,
        share_link=link,
    )


def apply_rules(order: TelesalesOrder, *, policy: TelesalesPolicy, at: datetime) -> TelesalesOrder:
    """Run the automatic authorization rules on a placed order: authorize, deny or wait.

    AUTHORIZE records a rule's :class:`~otocore.authorization.Decision` bound
    to the items' digest (``authorized``, or ``payment_approved`` when already
    paid); DENY cancels; WAIT leaves it to a person.

    >>> from datetime import UTC, datetime
    >>> from decimal import Decimal
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> policy = TelesalesPolicy(manual_price_stores=frozenset())
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> cart = put_item(
    ...     cart,
    ...     OrderItem(sku="A", quantity=1, list_price=Decimal("5.00")),
    ...     policy=policy,
    ...     actor="ana",
    ...     at=at,
    ... )
    >>> order = place_on_behalf(cart, payment_method=PaymentMethod.GATEWAY, actor="ana", at=at)
    >>> apply_rules(order, policy=policy, at=at).state
    <TelesalesState.AUTHORIZED: 'authorized'>
    """
    _require_state(order, {_S.PLACED}, "apply the authorization rules")
    v.require_instance("policy", policy, TelesalesPolicy)
    decision = decide_order(policy.rules, order.items)
    if decision.outcome is Outcome.WAIT:
        waiting = [d for d in decision.items if d.outcome is Outcome.WAIT]
        why = "; ".join(f"{d.item.sku}: {d.reason}" for d in waiting)
        return _move(order, _S.AWAITING_AUTHORIZATION, who=RULES_ACTOR, at=at, why=f"waits: {why}")
    deciding = [d for d in decision.items if d.outcome is decision.outcome]
    rule_ids = sorted({d.rule_id for d in deciding if d.rule_id is not None})
    reason = "; ".join(f"{d.item.sku}: {d.reason}" for d in deciding) or "no items"
    approval = Decision(
        decided_by=(",".join(rule_ids) or "no manual price")[:100],
        by_rule=True,
        at=at,
        outcome=decision.outcome,
        reason=reason[:500],
        digest=order.digest,
    )
    if decision.outcome is Outcome.DENY:
        return _move(
            order,
            _S.CANCELLED,
            who=RULES_ACTOR,
            at=at,
            why=f"denied: {reason}"[:500],
            approval=approval,
        )
    return _move(
        order,
        _after_authorization(order),
        who=RULES_ACTOR,
        at=at,
        why=f"authorized: {reason}"[:500],
        approval=approval,
    )


def authorize(order: TelesalesOrder, *, actor: str, reason: str, at: datetime) -> TelesalesOrder:
    """A person authorizes the manual prices; nobody who set one may (four eyes).

    The approval is bound to the digest of the items it saw.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> authorize(cart, actor="rui", reason="ok", at=at)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: order T1 is cart: cannot authorize manual prices
    """
    _require_state(order, {_S.AWAITING_AUTHORIZATION}, "authorize manual prices")
    if actor in order.price_setters:
        raise _refuse(
            order, f"{actor} set a manual price on it and cannot authorize it (four eyes)"
        )
    approval = Decision(
        decided_by=actor, by_rule=False, at=at, outcome=Outcome.AUTHORIZE, reason=reason,
        digest=order.digest,
    )  # fmt: skip
    return _move(
        order, _after_authorization(order), who=actor, at=at, why=f"authorized: {reason}",
        approval=approval,
    )  # fmt: skip


def reject(order: TelesalesOrder, *, actor: str, reason: str, at: datetime) -> TelesalesOrder:
    """A person rejects the manual prices, with a reason: the order is cancelled.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> reject(cart, actor="rui", reason="too low", at=at)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: order T1 is cart: cannot reject manual prices
    """
    _require_state(order, {_S.AWAITING_AUTHORIZATION}, "reject manual prices")
    approval = Decision(
        decided_by=actor, by_rule=False, at=at, outcome=Outcome.DENY, reason=reason,
        digest=order.digest,
    )  # fmt: skip
    return _move(
        order, _S.CANCELLED, who=actor, at=at, why=f"rejected: {reason}", approval=approval
    )


def _approve_payment(order: TelesalesOrder, *, who: str, at: datetime, why: str) -> TelesalesOrder:
    if order.payment_status is PaymentStatus.APPROVED:
        raise _refuse(order, "the payment is already approved")
    to = _S.PAYMENT_APPROVED if order.state is _S.AUTHORIZED else order.state
    return _move(order, to, who=who, at=at, why=why, payment_status=PaymentStatus.APPROVED)


def approve_promissory_note(order: TelesalesOrder, *, actor: str, at: datetime) -> TelesalesOrder:
    """The operator approves a promissory note by hand ("aprovado imediatamente e manualmente").

    Before the prices are authorized the payment is recorded and the state
    stays; an authorized order becomes ``payment_approved``.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> approve_promissory_note(cart, actor="ana", at=at)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: order T1 is cart: cannot approve a payment
    """
    _require_state(order, _PAYABLE, "approve a payment")
    if order.payment_method is not PaymentMethod.PROMISSORY_NOTE:
        raise _refuse(
            order, "only a promissory note is approved by hand; this one is paid by gateway"
        )
    return _approve_payment(order, who=actor, at=at, why="promissory note approved by hand")


def approve_by_gateway(order: TelesalesOrder, *, event_id: str, at: datetime) -> TelesalesOrder:
    """The payment gateway's event approves the payment; ``who`` is ``gateway:<event_id>``.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> approve_by_gateway(cart, event_id="ev-1", at=at)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: order T1 is cart: cannot approve a payment
    """
    _require_state(order, _PAYABLE, "approve a payment")
    if order.payment_method is not PaymentMethod.GATEWAY:
        raise _refuse(order, "a promissory note is approved by the operator, not by a gateway")
    event = v.require_text("event_id", event_id, max_length=100)
    return _approve_payment(order, who=f"gateway:{event}", at=at, why=f"gateway event {event}")


def _recheck(
    order: TelesalesOrder, *, actor: str, at: datetime, what: str
) -> TelesalesOrder | None:
    if order.prices_authorized:
        return None
    return _move(
        order,
        _S.AWAITING_AUTHORIZATION,
        who=actor,
        at=at,
        why=f"not {what}: the items changed since the approval; back to awaiting authorization",
        approval=None,
    )


def mark_ready_for_invoicing(order: TelesalesOrder, *, actor: str, at: datetime) -> TelesalesOrder:
    """``payment_approved`` → ``ready_for_invoicing``, if the approval still matches the items.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> mark_ready_for_invoicing(cart, actor="ana", at=at)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: order T1 is cart: cannot be made ready for invoicing
    """
    _require_state(order, {_S.PAYMENT_APPROVED}, "be made ready for invoicing")
    back = _recheck(order, actor=actor, at=at, what="ready for invoicing")
    if back is not None:
        return back
    return _move(order, _S.READY_FOR_INVOICING, who=actor, at=at, why="ready for invoicing")


def invoice(order: TelesalesOrder, *, actor: str, at: datetime) -> TelesalesOrder:
    """Invoice: the approval's digest is checked against the current items once more.

    A mismatch (the items changed after the approval) sends the order back to
    ``awaiting_authorization`` instead of invoicing it.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> invoice(cart, actor="ana", at=at)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: order T1 is cart: cannot be invoiced
    """
    _require_state(order, {_S.READY_FOR_INVOICING}, "be invoiced")
    back = _recheck(order, actor=actor, at=at, what="invoiced")
    if back is not None:
        return back
    return _move(order, _S.INVOICED, who=actor, at=at, why="invoiced")


def cancel(order: TelesalesOrder, *, actor: str, reason: str, at: datetime) -> TelesalesOrder:
    """Cancel a cart or an order that is not invoiced (nor already cancelled).

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> gone = cancel(cart, actor="ana", reason="cliente desistiu", at=at)
    >>> gone.state, gone.history[-1].why
    (<TelesalesState.CANCELLED: 'cancelled'>, 'cancelled: cliente desistiu')
    """
    _require_state(order, _EDITABLE, "be cancelled")
    why = v.require_text("reason", reason, max_length=480, multiline=True)
    return _move(order, _S.CANCELLED, who=actor, at=at, why=f"cancelled: {why}")


def imported_order(
    *,
    order_id: str,
    customer_id: str,
    store_id: str,
    items: Iterable[OrderItem],
    commercial_policy: str,
    placed_at: datetime,
    operator_email: str | None,
    imported_by: str,
    at: datetime,
    policy: TelesalesPolicy,
) -> TelesalesOrder:
    """An order brought from another platform: placed, paid by promissory note, rules applied.

    "Um caso de uso do televendas é importar pedidos de outras plataformas
    [...] associar uma política comercial específica com o pagamento por
    promissória (método de pagamento aprovado imediatamente e manualmente
    pelo próprio operador)" (VTEX's Televendas help page).

    The history says what happened: the cart is created and placed at
    ``placed_at`` (by ``operator_email`` if the other platform named one,
    else by ``imported_by``, and the order records that operator e-mail or
    none); then, at ``at`` (the import), the automatic rules run and the
    promissory note is approved by ``imported_by``. Manual prices follow the
    same rules as anywhere else: the store must have them enabled, and a
    price that waits for a person leaves the order awaiting authorization
    (paid); a denied one cancels it.

    >>> from datetime import UTC, datetime
    >>> from decimal import Decimal
    >>> order = imported_order(
    ...     order_id="EXT-1",
    ...     customer_id="C1",
    ...     store_id="L01",
    ...     items=[OrderItem(sku="A", quantity=2, list_price=Decimal("50.00"))],
    ...     commercial_policy="importados",
    ...     placed_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
    ...     operator_email=None,
    ...     imported_by="u-admin",
    ...     at=datetime(2026, 3, 2, 9, tzinfo=UTC),
    ...     policy=TelesalesPolicy(manual_price_stores=frozenset()),
    ... )
    >>> order.state.value, order.payment_status.value, order.commercial_policy, order.total
    ('payment_approved', 'approved', 'importados', Decimal('100.00'))
    """
    policy_name = v.require_text("commercial_policy", commercial_policy, max_length=100)
    v.require_instance("policy", policy, TelesalesPolicy)
    placer = (
        imported_by
        if operator_email is None
        else v.require_text("operator_email", operator_email, max_length=200)
    )
    order = new_cart(
        order_id=order_id,
        customer_id=customer_id,
        store_id=store_id,
        built_by=placer,
        at=placed_at,
        commercial_policy=policy_name,
    )
    skus: set[str] = set()
    for index, item in enumerate(v.iter_instances("items", items, OrderItem)):
        if item.sku in skus:
            raise ValidationError(f"items[{index}].sku", item.sku, "must be unique in the order")
        skus.add(item.sku)
        order = put_item(order, item, policy=policy, actor=placer, at=placed_at)
    _require_items(order)
    order = _move(
        order,
        _S.PLACED,
        who=placer,
        at=placed_at,
        why=f"imported from another platform under commercial policy {policy_name}",
        operator_email=operator_email,
        payment_method=PaymentMethod.PROMISSORY_NOTE,
    )
    order = apply_rules(order, policy=policy, at=at)
    if order.state is _S.CANCELLED:
        return order
    return approve_promissory_note(order, actor=imported_by, at=at)


def state_after(transitions: Iterable[Transition]) -> TelesalesState:
    """Replay a history: the state it ends in, checking each entry starts where the last ended.

    An empty history is a cart; a broken chain is a RuleViolation naming the entry.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> state_after(cancel(cart, actor="ana", reason="x", at=at).history)
    <TelesalesState.CANCELLED: 'cancelled'>
    >>> state_after(
    ...     [
    ...         Transition(
    ...             from_state=TelesalesState.PLACED,
    ...             to_state=TelesalesState.INVOICED,
    ...             who="x",
    ...             at=at,
    ...             why="?",
    ...         )
    ...     ]
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: history[0] starts at placed but the order was cart
    """
    state = _S.CART
    for index, entry in enumerate(v.iter_instances("transitions", transitions, Transition)):
        if entry.from_state is not state:
            raise RuleViolation(
                f"history[{index}] starts at {entry.from_state.value} but the order was"
                f" {state.value}"
            )
        state = entry.to_state
    return state


def as_completed_order(
    order: TelesalesOrder, *, seller_codes: Mapping[str, str] | None = None
) -> Order:
    """The plain :class:`~otocore.orders.Order` an invoiced telesales order feeds to RFV.

    ``placed_at`` is when it was placed, ``total`` the sum of the line totals,
    the channel TELESALES, and the seller the brand's seller record for the
    operator (``operator_email``, or ``built_by`` for a shared cart), if the
    brand maps one in ``seller_codes``, else ``None``.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 1, 2, tzinfo=UTC)
    >>> cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=at)
    >>> as_completed_order(cart)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: order T1 is cart: cannot be completed for RFV (not invoiced)
    """
    _require_state(order, {_S.INVOICED}, "be completed for RFV (not invoiced)")
    placed_at = next(t.at for t in order.history if t.to_state is _S.PLACED)
    operator = order.operator_email if order.operator_email is not None else order.built_by
    seller = None if seller_codes is None else seller_codes.get(operator)
    return Order(
        order_id=order.order_id,
        customer_id=order.customer_id,
        store_id=order.store_id,
        placed_at=placed_at,
        total=order.total,
        seller_code=seller,
        channel=Channel.TELESALES,
    )
