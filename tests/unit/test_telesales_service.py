"""The audited telesales part of AccountService: carts to invoices, through roles and the audit log.

Issue 13: only the call center sells on a customer's behalf, only an order approver or a brand
admin authorizes, nobody authorizes their own manual price, a shared cart's link is an
unguessable expiring token stored as a hash, every step is audited, and an invoiced order feeds
RFV as a completed order.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from _support.builders import HASHER
from otocore.access import Action, Outcome, Principal, verify_audit_log
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.adapters.sql import open_database
from otocore.auth import Account, Role, hash_token, normalize_login_email
from otocore.authorization import AuthorizationRules, PriceRange
from otocore.authorization import Outcome as Rule
from otocore.clock import FixedClock
from otocore.customers import Customer
from otocore.errors import InvalidToken, NotFound, PermissionDenied, RuleViolation, ValidationError
from otocore.orders import Channel, OrderItem
from otocore.sellers import Seller, Store
from otocore.telesales import PaymentMethod, PaymentStatus, TelesalesPolicy, TelesalesState

NOW = datetime(2026, 11, 2, 13, 0, tzinfo=UTC)
S = TelesalesState


def _account(account_id: str, roles: set[Role], **kw: str) -> Account:
    return Account(
        account_id=account_id,
        email=normalize_login_email(f"{account_id}@marca.com.br"),
        roles=frozenset(roles),
        **kw,
    )


@pytest.fixture(params=["memory", "sqlite"])
def db(request: pytest.FixtureRequest) -> Iterator[InMemoryDatabase]:
    """L01 and L02; V01 is the operator u-tele's seller record; C1 a customer; one account per role.

    On the memory store and on SQLite (the links, the policy and the audit log round-trip).
    """
    database: Any = InMemoryDatabase()
    if request.param == "sqlite":
        database = open_database(":memory:", upgrade=True)
    with database.unit_of_work() as uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        uow.stores.add(Store(store_id="L02", name="Loja Norte"))
        uow.sellers.add(Seller(code="V01", name="Ana", store_id="L01"))
        uow.customers.add(
            Customer(
                customer_id="C1",
                name="Cliente",
                registered_at=datetime(2025, 1, 1, tzinfo=UTC),
                home_store_id="L01",
            )
        )
        uow.accounts.add(_account("u-admin", {Role.BRAND_ADMIN}))
        uow.accounts.add(_account("u-tele", {Role.CALL_CENTER}, seller_code="V01", store_id="L01"))
        uow.accounts.add(_account("u-tele2", {Role.CALL_CENTER}))
        uow.accounts.add(_account("u-aprov", {Role.ORDER_APPROVER}))
        uow.accounts.add(_account("u-both", {Role.CALL_CENTER, Role.ORDER_APPROVER}))
        uow.accounts.add(_account("u-ana", {Role.SELLER}, seller_code="V01", store_id="L01"))
    yield database
    if request.param == "sqlite":
        database.close()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def service(db: InMemoryDatabase, clock: FixedClock) -> AccountService:
    tokens = iter(range(1, 1000))
    svc = AccountService(
        db.unit_of_work,
        mailer=InMemoryMailer(),
        clock=clock,
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=HASHER,
        token_bytes=lambda n: next(tokens).to_bytes(n, "big"),
    )
    svc.set_telesales_policy(
        _p(svc, "u-admin"), TelesalesPolicy(manual_price_stores=frozenset({"L01"}))
    )
    return svc


def _p(service: AccountService, account_id: str) -> Principal:
    return service.principal_for(account_id)


def _manual(price: str = "90.00", sku: str = "A") -> OrderItem:
    return OrderItem(sku=sku, quantity=2, list_price=Decimal("100.00"), manual_price=Decimal(price))


def _cart(service: AccountService, who: str = "u-tele", *items: OrderItem) -> str:
    cart = service.open_cart(_p(service, who), customer_id="C1", store_id="L01")
    for item in items or (_manual(),):
        service.put_cart_item(_p(service, who), cart.order_id, item)
    return cart.order_id


def _audit(db: InMemoryDatabase) -> list[tuple[str, str, str, str]]:
    with db.unit_of_work() as uow:
        entries = list(uow.audit.iter_all())
    verify_audit_log(entries)
    return [
        (e.actor, getattr(e.action, "value", e.action), e.outcome.value, e.detail) for e in entries
    ]


def test_the_whole_flow_places_authorizes_pays_and_invoices_into_rfv(
    service: AccountService, db: InMemoryDatabase, clock: FixedClock
) -> None:
    order_id = _cart(service)
    assert order_id == "T000001"
    placed = service.place_order(
        _p(service, "u-tele"), order_id, payment_method=PaymentMethod.PROMISSORY_NOTE
    )
    assert placed.state is S.AWAITING_AUTHORIZATION  # the default rules: a person decides
    assert placed.operator_email == "u-tele@marca.com.br"
    paid = service.approve_promissory_note(_p(service, "u-tele"), order_id)
    assert (paid.state, paid.payment_status) == (S.AWAITING_AUTHORIZATION, PaymentStatus.APPROVED)
    clock.advance(timedelta(hours=1))
    ready = service.authorize_order(_p(service, "u-aprov"), order_id, reason="cliente fiel")
    assert ready.state is S.READY_FOR_INVOICING  # paid and authorized: ready at once
    assert ready.approval is not None
    assert ready.approval.decided_by == "u-aprov@marca.com.br"
    invoiced = service.invoice_order(_p(service, "u-tele"), order_id)
    assert invoiced.state is S.INVOICED
    with db.unit_of_work() as uow:
        completed = uow.orders.get(order_id)
    assert completed.channel is Channel.TELESALES
    assert completed.total == Decimal("180.00")
    assert completed.seller_code == "V01"  # the operator's account names its seller record
    assert completed.placed_at == NOW
    actions = [(actor, action, outcome) for actor, action, outcome, _ in _audit(db)]
    assert ("u-aprov", "approve_order", "allowed") in actions
    assert ("u-tele", "invoice_order", "allowed") in actions


def test_an_operator_without_a_seller_record_invoices_an_order_with_no_seller(
    service: AccountService, db: InMemoryDatabase
) -> None:
    order_id = _cart(service, "u-tele2", OrderItem(sku="A", quantity=1, list_price=Decimal("5")))
    service.place_order(_p(service, "u-tele2"), order_id, payment_method=PaymentMethod.GATEWAY)
    ready = service.record_gateway_payment(order_id, event_id="ev-1")
    assert ready.state is S.READY_FOR_INVOICING  # no manual price: the rules authorized it
    service.invoice_order(_p(service, "u-admin"), order_id)
    with db.unit_of_work() as uow:
        assert uow.orders.get(order_id).seller_code is None
    assert ("gateway:ev-1", "approve_payment", "allowed") in [e[:3] for e in _audit(db)]


def test_only_the_call_center_sells_and_only_approvers_authorize(
    service: AccountService, db: InMemoryDatabase
) -> None:
    for who in ("u-admin", "u-aprov", "u-ana"):
        with pytest.raises(PermissionDenied, match="sell_on_behalf"):
            service.open_cart(_p(service, who), customer_id="C1", store_id="L01")
    order_id = _cart(service)
    service.place_order(_p(service, "u-tele"), order_id, payment_method=PaymentMethod.GATEWAY)
    for who in ("u-tele2", "u-ana"):
        with pytest.raises(PermissionDenied, match="approve_order"):
            service.authorize_order(_p(service, who), order_id, reason="ok")
    with pytest.raises(PermissionDenied, match="configure_telesales"):
        service.set_telesales_policy(
            _p(service, "u-tele"), TelesalesPolicy(manual_price_stores=frozenset({"L02"}))
        )
    assert service.telesales_policy().manual_price_stores == frozenset({"L01"})
    denied = [e for e in _audit(db) if e[2] == "denied"]
    assert len(denied) == 6
    # a brand admin authorizes
    done = service.authorize_order(_p(service, "u-admin"), order_id, reason="ok")
    assert done.state is S.AUTHORIZED


def test_nobody_authorizes_their_own_manual_price(
    service: AccountService, db: InMemoryDatabase
) -> None:
    order_id = _cart(service, "u-both")
    service.place_order(_p(service, "u-both"), order_id, payment_method=PaymentMethod.GATEWAY)
    with pytest.raises(RuleViolation, match="four eyes"):
        service.authorize_order(_p(service, "u-both"), order_id, reason="eu mesmo")
    last = _audit(db)[-1]
    assert last[:3] == ("u-both", "approve_order", "failed")
    with db.unit_of_work() as uow:
        assert uow.telesales.get(order_id).state is S.AWAITING_AUTHORIZATION


def test_a_manual_price_needs_the_store_enabled(service: AccountService) -> None:
    cart = service.open_cart(_p(service, "u-tele"), customer_id="C1", store_id="L02")
    with pytest.raises(RuleViolation, match="not enabled for store L02"):
        service.put_cart_item(_p(service, "u-tele"), cart.order_id, _manual())
    service.put_cart_item(
        _p(service, "u-tele"), cart.order_id, OrderItem(sku="A", quantity=1, list_price=Decimal(1))
    )
    with pytest.raises(RuleViolation, match="not enabled for store L02"):
        service.set_cart_manual_price(_p(service, "u-tele"), cart.order_id, "A", Decimal("0.50"))


def test_rules_authorize_small_discounts_and_deny_free_items(service: AccountService) -> None:
    rules = AuthorizationRules(
        [
            PriceRange(rule_id="raise", outcome=Rule.WAIT, lower=None, lower_inclusive=False,
                       upper=Decimal(0), upper_inclusive=False),
            PriceRange(rule_id="small", outcome=Rule.AUTHORIZE, lower=Decimal(0),
                       lower_inclusive=True, upper=Decimal(10), upper_inclusive=True),
            PriceRange(rule_id="large", outcome=Rule.WAIT, lower=Decimal(10),
                       lower_inclusive=False, upper=Decimal(100), upper_inclusive=False),
            PriceRange(rule_id="free", outcome=Rule.DENY, lower=Decimal(100),
                       lower_inclusive=True, upper=Decimal(100), upper_inclusive=True),
        ]
    )  # fmt: skip
    service.set_telesales_policy(
        _p(service, "u-admin"), TelesalesPolicy(manual_price_stores={"L01"}, rules=rules)
    )
    small = _cart(service, "u-tele", _manual("90.00"))
    placed = service.place_order(_p(service, "u-tele"), small, payment_method=PaymentMethod.GATEWAY)
    assert placed.state is S.AUTHORIZED
    assert placed.approval is not None
    assert placed.approval.decided_by == "small"
    free = _cart(service, "u-tele", _manual("0.00"))
    denied = service.place_order(_p(service, "u-tele"), free, payment_method=PaymentMethod.GATEWAY)
    assert denied.state is S.CANCELLED


def test_a_price_change_after_approval_sends_the_order_back_and_invoicing_checks_again(
    service: AccountService, db: InMemoryDatabase
) -> None:
    order_id = _cart(service)
    service.place_order(_p(service, "u-tele"), order_id, payment_method=PaymentMethod.GATEWAY)
    service.authorize_order(_p(service, "u-aprov"), order_id, reason="ok")
    back = service.set_cart_manual_price(_p(service, "u-tele"), order_id, "A", Decimal("1.00"))
    assert back.state is S.AWAITING_AUTHORIZATION
    assert back.approval is None
    with pytest.raises(RuleViolation, match="cannot be invoiced"):
        service.invoice_order(_p(service, "u-tele"), order_id)


def test_reject_cancels_with_the_reason(service: AccountService) -> None:
    order_id = _cart(service)
    service.place_order(_p(service, "u-tele"), order_id, payment_method=PaymentMethod.GATEWAY)
    gone = service.reject_order(_p(service, "u-aprov"), order_id, reason="desconto alto demais")
    assert gone.state is S.CANCELLED
    assert gone.history[-1].why == "rejected: desconto alto demais"
    assert gone.history[-1].who == "u-aprov@marca.com.br"


def test_a_shared_cart_link_is_a_hashed_expiring_single_use_token(
    service: AccountService, db: InMemoryDatabase, clock: FixedClock
) -> None:
    order_id = _cart(service)
    shared = service.share_cart(_p(service, "u-tele"), order_id, valid_for=timedelta(hours=2))
    parts = urlsplit(shared.link)
    assert parts.path == f"/carrinho/{order_id}"
    token = parse_qs(parts.query)["token"][0]
    assert len(token) == 43  # 256 bits, URL-safe base64
    assert token not in repr(shared)
    with db.unit_of_work() as uow:
        stored = uow.telesales.get(order_id)
    assert stored.share_link is not None
    assert stored.share_link.token_hash == hash_token(token)
    assert all(token not in e[3] for e in _audit(db))
    with pytest.raises(InvalidToken, match="invalid or has expired"):
        service.complete_shared_cart(
            order_id, token[:-1] + "x", payment_method=PaymentMethod.GATEWAY
        )
    placed = service.complete_shared_cart(order_id, token, payment_method=PaymentMethod.GATEWAY)
    assert placed.operator_email is None
    assert placed.built_by == "u-tele@marca.com.br"
    assert placed.state is S.AWAITING_AUTHORIZATION
    with pytest.raises(RuleViolation, match="already an order"):
        service.complete_shared_cart(order_id, token, payment_method=PaymentMethod.GATEWAY)
    audit = _audit(db)
    assert ("customer:C1", "complete_shared_cart", "allowed") in [e[:3] for e in audit]
    assert ("customer:C1", "complete_shared_cart", "failed") in [e[:3] for e in audit]
    # an expired link
    other = _cart(service)
    link = service.share_cart(_p(service, "u-tele"), other, valid_for=timedelta(hours=2)).link
    clock.advance(timedelta(hours=2))
    with pytest.raises(InvalidToken, match="invalid or has expired"):
        service.complete_shared_cart(
            other, parse_qs(urlsplit(link).query)["token"][0], payment_method=PaymentMethod.GATEWAY
        )


def test_sharing_again_kills_the_older_link(service: AccountService) -> None:
    order_id = _cart(service)
    first = service.share_cart(_p(service, "u-tele"), order_id).link
    second = service.share_cart(_p(service, "u-tele"), order_id).link
    old, new = (parse_qs(urlsplit(x).query)["token"][0] for x in (first, second))
    with pytest.raises(InvalidToken, match="invalid or has expired"):
        service.complete_shared_cart(order_id, old, payment_method=PaymentMethod.GATEWAY)
    assert service.complete_shared_cart(order_id, new, payment_method=PaymentMethod.GATEWAY).state


def test_views_list_newest_first_and_the_queue_oldest_first(
    service: AccountService, clock: FixedClock
) -> None:
    ids = []
    for _ in range(3):
        order_id = _cart(service)
        service.place_order(_p(service, "u-tele"), order_id, payment_method=PaymentMethod.GATEWAY)
        ids.append(order_id)
        clock.advance(timedelta(minutes=5))
    listed = service.telesales_orders(_p(service, "u-aprov"), operator_email="u-tele@marca.com.br")
    assert [o.order_id for o in listed] == ids[::-1]
    queue = service.authorization_queue(_p(service, "u-aprov"))
    assert [o.order_id for o in queue] == ids
    with pytest.raises(PermissionDenied, match="view_orders"):
        service.telesales_orders(_p(service, "u-ana"))
    assert service.telesales_order(_p(service, "u-tele"), ids[0]).order_id == ids[0]
    with pytest.raises(NotFound, match="T999"):
        service.telesales_order(_p(service, "u-tele"), "T999")


def test_bad_input_is_typed_and_names_the_field(service: AccountService) -> None:
    with pytest.raises(ValidationError, match="valid_for"):
        service.share_cart(_p(service, "u-tele"), "T1", valid_for=timedelta(days=31))
    with pytest.raises(ValidationError, match="payment_method"):
        service.place_order(_p(service, "u-tele"), "T1", payment_method="pix")  # type: ignore[arg-type]
    with pytest.raises(NotFound, match="C404"):
        service.open_cart(_p(service, "u-tele"), customer_id="C404", store_id="L01")
    with pytest.raises(NotFound, match="L404"):
        service.open_cart(_p(service, "u-tele"), customer_id="C1", store_id="L404")


def test_every_step_writes_one_audit_entry_naming_the_transition(
    service: AccountService, db: InMemoryDatabase
) -> None:
    before = len(_audit(db))
    order_id = _cart(service)
    service.place_order(_p(service, "u-tele"), order_id, payment_method=PaymentMethod.GATEWAY)
    entries = _audit(db)[before:]
    assert [e[1] for e in entries] == ["sell_on_behalf"] * 3
    assert entries[-1][3] == (
        f"order {order_id}: cart -> placed: placed on the customer's behalf by"
        " u-tele@marca.com.br (gateway); placed -> awaiting_authorization: waits: A:"
        " divergence 10% is in rule 'every-manual-price-waits' (-inf, 100]"
    )
    assert Action.SELL_ON_BEHALF.value == "sell_on_behalf"
    assert Outcome.ALLOWED.value == "allowed"


def test_an_invoiced_order_counts_in_the_daily_job_rfv_and_preferred_seller(
    service: AccountService, db: InMemoryDatabase
) -> None:
    from otocore.daily import run_daily

    order_id = _cart(service)
    service.place_order(_p(service, "u-tele"), order_id, payment_method=PaymentMethod.GATEWAY)
    service.authorize_order(_p(service, "u-aprov"), order_id, reason="ok")
    service.record_gateway_payment(order_id, event_id="ev-9")
    # a cancelled order of the same customer never counts
    other = _cart(service)
    service.cancel_order(_p(service, "u-tele"), other, reason="desistiu")
    day = (NOW + timedelta(days=1)).date()
    run_daily(db.unit_of_work(), day)
    with db.unit_of_work() as uow:
        assert "C1" not in uow.rfv.get(day) or uow.rfv.get(day)["C1"].frequency == 0
    service.invoice_order(_p(service, "u-tele"), order_id)
    run_daily(db.unit_of_work(), day)
    with db.unit_of_work() as uow:
        score = uow.rfv.get(day)["C1"]
        assignment = uow.portfolio.get("C1")
    assert (score.frequency, score.value) == (1, Decimal("180.00"))
    assert assignment is not None
    assert assignment.seller_code == "V01"  # the operator's seller record sold it
