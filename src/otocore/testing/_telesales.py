"""Telesales orders with realistic histories, made by driving the pure transitions."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from hypothesis import strategies as st

from otocore.auth import issue_token
from otocore.errors import InvalidToken, RuleViolation
from otocore.orders import OrderItem
from otocore.telesales import (
    PaymentMethod,
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
)
from otocore.testing._strategies import money

_OPERATORS = ("ana@marca.com.br", "bia@marca.com.br")
_APPROVERS = ("rui@marca.com.br", "ana@marca.com.br")
_SKUS = ("CAMISA-P", "CAMISA-M", "CALCA-42", "TENIS-40")
_POLICY = TelesalesPolicy(manual_price_stores=frozenset({"L01"}))
_S = TelesalesState
# the steps tried in each state: mostly the ones that move the order on, some that send it back
_ACTIONS = {
    _S.CART: ("item", "item", "item", "price", "remove", "share", "place", "complete", "cancel"),
    _S.PLACED: ("rules", "rules", "pay", "cancel"),
    _S.AWAITING_AUTHORIZATION: ("authorize", "authorize", "reject", "pay", "cancel"),
    _S.AUTHORIZED: ("pay", "pay", "price", "cancel"),
    _S.PAYMENT_APPROVED: ("ready", "ready", "ready", "item"),
    _S.READY_FOR_INVOICING: ("invoice", "invoice", "price"),
}


def _share(
    draw: Callable[..., object], order: TelesalesOrder, actor: str, at: datetime, links: list[str]
) -> TelesalesOrder:
    """Share the cart, mostly with a link (its token kept in ``links`` for the customer)."""
    if not draw(st.integers(0, 3)):
        links.clear()
        return share_cart(order, actor=actor, at=at)  # shared by other means: no link record
    raw = draw(st.binary(min_size=32, max_size=32))
    days = int(draw(st.integers(1, 30)))  # type: ignore[call-overload]
    token, record = issue_token(now=at, ttl=timedelta(days=days), rng_bytes=lambda _: raw)  # type: ignore[arg-type,return-value]
    shared = share_cart(order, actor=actor, at=at, link=record)
    links[:] = [token]  # sharing again replaces the link: only the newest token works
    return shared


def _step(
    draw: Callable[..., object],
    order: TelesalesOrder,
    action: str,
    at: datetime,
    links: list[str],
) -> TelesalesOrder:
    actor = str(draw(st.sampled_from(_OPERATORS)))
    sku = str(draw(st.sampled_from(_SKUS)))
    manual = draw(st.none() | money(max_value=Decimal("999.99")))
    if action == "item":
        item = OrderItem(
            sku=sku,
            quantity=int(draw(st.integers(1, 12))),  # type: ignore[call-overload]
            list_price=draw(money(min_value=Decimal("0.01"), max_value=Decimal("999.99"))),  # type: ignore[arg-type]
            manual_price=manual,  # type: ignore[arg-type]
        )
        return put_item(order, item, policy=_POLICY, actor=actor, at=at)
    if action == "price":
        return set_manual_price(order, sku, manual, policy=_POLICY, actor=actor, at=at)  # type: ignore[arg-type]
    if action == "remove":
        return remove_item(order, sku, actor=actor, at=at)
    if action == "share":
        return _share(draw, order, actor, at, links)
    method = draw(st.sampled_from(PaymentMethod))
    if action == "place":
        return place_on_behalf(order, payment_method=method, actor=actor, at=at)  # type: ignore[arg-type]
    if action == "complete":
        return complete_shared_cart(
            order,
            payment_method=method,  # type: ignore[arg-type]
            customer=order.customer_id,
            at=at,
            token=links[0] if links else None,
        )
    if action == "rules":
        return apply_rules(order, policy=_POLICY, at=at)
    approver = str(draw(st.sampled_from(_APPROVERS)))
    if action == "authorize":
        return authorize(order, actor=approver, reason="preço negociado", at=at)
    if action == "reject":
        return reject(order, actor=approver, reason="desconto alto demais", at=at)
    if action == "pay":
        if order.payment_method is PaymentMethod.GATEWAY:
            return approve_by_gateway(order, event_id=f"ev-{len(order.history)}", at=at)
        return approve_promissory_note(order, actor=actor, at=at)
    if action == "ready":
        return mark_ready_for_invoicing(order, actor=actor, at=at)
    if action == "invoice":
        return invoice(order, actor=actor, at=at)
    return cancel(order, actor=actor, reason="cliente desistiu", at=at)


@st.composite
def _orders(draw: st.DrawFn, max_steps: int) -> TelesalesOrder:
    at = draw(
        st.datetimes(
            min_value=datetime(2024, 1, 1),  # noqa: DTZ001 - bounds of naive draws, made UTC
            max_value=datetime(2030, 1, 1),  # noqa: DTZ001
            timezones=st.just(UTC),
        )
    )
    order = new_cart(
        order_id=draw(st.from_regex(r"\AT[0-9]{1,6}\Z")),
        customer_id=draw(st.sampled_from(("C1", "C2", "C3"))),
        store_id=draw(st.sampled_from(("L01", "L01", "L02"))),
        built_by=draw(st.sampled_from(_OPERATORS)),
        at=at,
        commercial_policy=draw(st.none() | st.just("importados")),
    )
    links: list[str] = []  # the token of the cart's current link, if it has one
    for _ in range(draw(st.integers(0, max_steps))):
        actions = _ACTIONS.get(order.state)
        if actions is None:
            break  # invoiced or cancelled: nothing moves it any more
        action = draw(st.sampled_from(actions))
        at += timedelta(minutes=draw(st.integers(0, 600)), microseconds=draw(st.integers(0, 999)))
        try:
            order = _step(draw, order, action, at, links)
        except (RuleViolation, InvalidToken):
            continue  # not legal in this state (or the link expired): the order stays as it was
    return order


def telesales_orders(*, max_steps: int = 30) -> st.SearchStrategy[TelesalesOrder]:
    """Telesales carts and orders reached by up to ``max_steps`` random transitions.

    Each draw opens a cart (store ``L01`` allows manual prices, ``L02`` does
    not) and tries random steps of :mod:`otocore.telesales` (items, manual
    prices, sharing (mostly with a link whose
    :class:`~otocore.auth.TokenRecord` lives 1 to 30 days), placing on the
    customer's behalf, the customer completing a shared cart with the link's
    token (which marks the record used), the default rules, authorizations by
    two approvers, rejections, payments, invoicing, cancelling) at increasing
    instants; a step the state forbids (or a link that expired) is skipped,
    so every history is one the rules produce.

    >>> from hypothesis import find
    >>> from otocore.telesales import TelesalesState, state_after
    >>> order = find(
    ...     telesales_orders(), lambda o: o.state is TelesalesState.INVOICED and o.operator_email
    ... )
    >>> state_after(order.history) is order.state
    True
    """
    if type(max_steps) is not int or max_steps < 0:
        raise ValueError(f"max_steps must be an integer >= 0, got {max_steps!r}")
    return _orders(max_steps)
