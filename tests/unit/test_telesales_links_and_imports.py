"""A shared cart's link (a token record on the cart) and orders imported from another platform.

VTEX's Televendas help page: the operator may "compartilhar o link do carrinho preenchido para
que o cliente possa finalizar a compra"; and "importar pedidos de outras plataformas [...]
associar uma política comercial específica com o pagamento por promissória (método de
pagamento aprovado imediatamente e manualmente pelo próprio operador)".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.auth import hash_token, issue_token
from otocore.authorization import AuthorizationRules, Outcome, PriceRange
from otocore.errors import InvalidToken, RuleViolation, ValidationError
from otocore.orders import OrderItem
from otocore.telesales import (
    PaymentMethod,
    PaymentStatus,
    TelesalesOrder,
    TelesalesPolicy,
    TelesalesState,
    complete_shared_cart,
    imported_order,
    new_cart,
    put_item,
    share_cart,
    state_after,
)

T0 = datetime(2026, 5, 10, 12, tzinfo=UTC)
POLICY = TelesalesPolicy(manual_price_stores=frozenset({"L01"}))
ITEM = OrderItem(sku="A", quantity=1, list_price=Decimal("10.00"))


def _shared(ttl: timedelta = timedelta(hours=1), seed: int = 1) -> tuple[str, TelesalesOrder]:
    cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=T0)
    cart = put_item(cart, ITEM, policy=POLICY, actor="ana", at=T0)
    token, record = issue_token(now=T0, ttl=ttl, rng_bytes=lambda n: bytes([seed]) * n)
    return token, share_cart(cart, actor="ana", at=T0, link=record)


def test_the_cart_keeps_only_the_hash_and_the_right_token_completes_it_once() -> None:
    token, cart = _shared()
    assert cart.share_link is not None
    assert cart.share_link.token_hash == hash_token(token)
    assert token not in repr(cart)
    placed = complete_shared_cart(
        cart,
        payment_method=PaymentMethod.GATEWAY,
        customer="customer:C1",
        at=T0 + timedelta(minutes=59),
        token=token,
    )
    assert placed.state is TelesalesState.PLACED
    assert placed.operator_email is None
    assert placed.share_link is not None
    assert placed.share_link.used_at == T0 + timedelta(minutes=59)
    with pytest.raises(RuleViolation, match="already an order"):
        complete_shared_cart(
            placed, payment_method=PaymentMethod.GATEWAY, customer="c", at=T0, token=token
        )


@pytest.mark.parametrize(
    ("presented", "minutes"),
    [("wrong", 10), (None, 10), ("right", 60), ("right", 61)],
    ids=["wrong-token", "no-token", "exactly-at-expiry", "after-expiry"],
)
def test_a_wrong_missing_or_expired_token_is_one_answer_and_changes_nothing(
    presented: str | None, minutes: int
) -> None:
    token, cart = _shared()
    text = token if presented == "right" else presented
    with pytest.raises(InvalidToken, match="invalid or has expired"):
        complete_shared_cart(
            cart,
            payment_method=PaymentMethod.GATEWAY,
            customer="customer:C1",
            at=T0 + timedelta(minutes=minutes),
            token=text,
        )


@given(st.text(max_size=60))
def test_no_other_text_opens_the_cart(guess: str) -> None:
    token, cart = _shared()
    if guess == token:
        return
    with pytest.raises(InvalidToken, match="invalid"):
        complete_shared_cart(
            cart,
            payment_method=PaymentMethod.GATEWAY,
            customer="c",
            at=T0,
            token=guess,
        )


def test_sharing_again_replaces_the_link() -> None:
    old, cart = _shared(seed=1)
    new, record = issue_token(now=T0, rng_bytes=lambda n: bytes([2]) * n)
    again = share_cart(cart, actor="ana", at=T0, link=record)
    with pytest.raises(InvalidToken, match="invalid"):
        complete_shared_cart(
            again, payment_method=PaymentMethod.GATEWAY, customer="c", at=T0, token=old
        )
    done = complete_shared_cart(
        again, payment_method=PaymentMethod.GATEWAY, customer="c", at=T0, token=new
    )
    assert done.state is TelesalesState.PLACED


def _imported(**overrides: object) -> TelesalesOrder:
    args: dict[str, object] = {
        "order_id": "EXT-1",
        "customer_id": "C1",
        "store_id": "L01",
        "items": [ITEM],
        "commercial_policy": "importados",
        "placed_at": T0,
        "operator_email": "ana@marca.com.br",
        "imported_by": "import",
        "at": T0 + timedelta(days=1),
        "policy": POLICY,
    }
    args.update(overrides)
    return imported_order(**args)  # type: ignore[arg-type]


def test_an_imported_order_is_placed_then_paid_by_promissory_note_under_its_policy() -> None:
    order = _imported()
    assert order.state is TelesalesState.PAYMENT_APPROVED  # invoicing is the brand's next step
    assert order.payment_method is PaymentMethod.PROMISSORY_NOTE
    assert order.payment_status is PaymentStatus.APPROVED
    assert order.commercial_policy == "importados"
    assert order.operator_email == "ana@marca.com.br"
    assert state_after(order.history) is order.state
    placed = next(t for t in order.history if t.to_state is TelesalesState.PLACED)
    assert placed.at == T0
    assert order.history[-1].who == "import"


def test_an_imported_manual_price_waits_or_is_denied_by_the_rules() -> None:
    manual = OrderItem(sku="A", quantity=1, list_price=Decimal(10), manual_price=Decimal(0))
    waiting = _imported(items=[manual])
    assert waiting.state is TelesalesState.AWAITING_AUTHORIZATION
    assert waiting.payment_status is PaymentStatus.APPROVED
    deny_free = TelesalesPolicy(
        manual_price_stores={"L01"},
        rules=AuthorizationRules(
            [
                PriceRange(rule_id="rest", outcome=Outcome.WAIT, lower=None,
                           lower_inclusive=False, upper=Decimal(100), upper_inclusive=False),
                PriceRange(rule_id="free", outcome=Outcome.DENY, lower=Decimal(100),
                           lower_inclusive=True, upper=Decimal(100), upper_inclusive=True),
            ]
        ),
    )  # fmt: skip
    denied = _imported(items=[manual], policy=deny_free)
    assert denied.state is TelesalesState.CANCELLED
    with pytest.raises(RuleViolation, match="not enabled for store L02"):
        _imported(items=[manual], store_id="L02")


def test_an_imported_order_needs_items_unique_skus_and_a_past_placement() -> None:
    with pytest.raises(RuleViolation, match="without items"):
        _imported(items=[])
    with pytest.raises(ValidationError, match=r"items\[1\]\.sku"):
        _imported(items=[ITEM, ITEM])
    with pytest.raises(ValidationError, match="before the order's last transition"):
        _imported(at=T0 - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="commercial_policy"):
        _imported(commercial_policy="")


def test_changing_the_list_price_under_a_manual_price_makes_a_price_setter() -> None:
    """Found by the races work: a list price raised to meet someone else's manual price shrank
    the divergence without the changer counting as a price setter, who could then authorize."""
    from otocore.telesales import authorize, place_on_behalf

    manual = OrderItem(sku="A", quantity=1, list_price=Decimal(100), manual_price=Decimal(50))
    cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="ana", at=T0)
    cart = put_item(cart, manual, policy=POLICY, actor="ana", at=T0)
    order = place_on_behalf(cart, payment_method=PaymentMethod.GATEWAY, actor="ana", at=T0)
    raised = put_item(
        order,
        OrderItem(sku="A", quantity=1, list_price=Decimal(50), manual_price=Decimal(50)),
        policy=POLICY,
        actor="rui",
        at=T0,
    )
    assert raised.price_setters == {"ana", "rui"}
    with pytest.raises(RuleViolation, match="rui set a manual price"):
        authorize(raised, actor="rui", reason="ok", at=T0)
    # a quantity change alone is not a price decision
    more = put_item(
        order,
        OrderItem(sku="A", quantity=3, list_price=Decimal(100), manual_price=Decimal(50)),
        policy=POLICY,
        actor="rui",
        at=T0,
    )
    assert more.price_setters == {"ana"}


def test_a_policy_refuses_a_single_store_id_given_as_a_string() -> None:
    """Found by the CLI work: "L01" silently became the stores {"L", "0", "1"}."""
    with pytest.raises(ValidationError, match="not a string"):
        TelesalesPolicy(manual_price_stores="L01")  # type: ignore[arg-type]
    assert TelesalesPolicy(manual_price_stores=["L01"]).manual_price_stores == {"L01"}
