"""The races of the telesales service: the stores' seed, the two steps of each race, a service.

Shared by ``tests/contract/test_telesales_races.py`` (threads on memory, and the serial
runs every race is compared with) and its worker processes
(``tests/contract/_telesales_worker.py``, on an SQLite file and PostgreSQL). Every
round of a race has its own order ``T1``, ``T2``...: the same order, seeded straight
into the store with the pure functions of :mod:`otocore.telesales`.

>>> sorted(RACES)[:2]
['approve+approve', 'approve+reject']
>>> seeded_order("T1", "approve+approve").state.value
'awaiting_authorization'
>>> seeded_order("T1", "invoice+add").state.value
'ready_for_invoicing'
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.auth import Account, Role, SecretHasher, issue_token, normalize_login_email
from otocore.clock import FixedClock
from otocore.customers import Customer
from otocore.errors import OtocoreError
from otocore.orders import OrderItem
from otocore.repositories import UnitOfWork
from otocore.sellers import Seller, Store
from otocore.telesales import (
    PaymentMethod,
    TelesalesOrder,
    TelesalesPolicy,
    apply_rules,
    approve_by_gateway,
    authorize,
    mark_ready_for_invoicing,
    new_cart,
    place_on_behalf,
    put_item,
    share_cart,
)

__all__ = [
    "LATER",
    "POLICY",
    "RACES",
    "SEEN",
    "T0",
    "TOKEN",
    "attempt",
    "email",
    "seed",
    "seeded_order",
    "service",
]

T0 = datetime(2026, 5, 10, 12, tzinfo=UTC)
"""When the seeded orders were built, placed (and, for invoicing, authorized and paid)."""

LATER = T0 + timedelta(hours=1)
"""The fixed "now" of every service racing on the seeded orders."""

POLICY = TelesalesPolicy(manual_price_stores=frozenset({"L01"}))
"""Manual prices in L01; every manual price waits for a person (the default rules)."""

ACCOUNTS = {
    "u-admin": {Role.BRAND_ADMIN},
    "u-tele": {Role.CALL_CENTER},  # built and placed the seeded orders; seller V01
    "u-tele2": {Role.CALL_CENTER},  # changes the items while the others decide
    "u-aprov": {Role.ORDER_APPROVER},
    "u-aprov2": {Role.ORDER_APPROVER},
}


def email(account_id: str) -> str:
    """The login e-mail of a seeded account (the ``who`` of its history entries).

    >>> email("u-aprov")
    'u-aprov@marca.com.br'
    """
    return f"{account_id}@marca.com.br"


_ITEM = OrderItem(sku="A", quantity=2, list_price=Decimal("100.00"), manual_price=Decimal("70.00"))

TOKEN, _LINK = issue_token(now=T0, ttl=timedelta(days=3), rng_bytes=lambda n: b"\x07" * n)
"""The token of the link the seeded shared carts were sent with (and its record)."""


def seeded_order(order_id: str, race: str) -> TelesalesOrder:
    """The order a round of ``race`` starts from.

    Awaiting a person's authorization (u-tele set a manual price, 30% off), or, for the
    invoicing races, also authorized by u-aprov, paid by the gateway and ready for invoicing;
    for the completing races, the cart shared with the customer through :data:`TOKEN`.
    """
    tele = email("u-tele")
    cart = new_cart(order_id=order_id, customer_id="C1", store_id="L01", built_by=tele, at=T0)
    cart = put_item(cart, _ITEM, policy=POLICY, actor=tele, at=T0)
    if race.startswith("complete"):
        return share_cart(cart, actor=tele, at=T0, link=_LINK)
    placed = place_on_behalf(cart, payment_method=PaymentMethod.GATEWAY, actor=tele, at=T0)
    order = apply_rules(placed, policy=POLICY, at=T0)
    if not race.startswith("invoice"):
        return order
    order = authorize(order, actor=email("u-aprov"), reason="ok", at=T0)
    order = approve_by_gateway(order, event_id=f"ev-{order_id}", at=T0)
    return mark_ready_for_invoicing(order, actor="rules", at=T0)


SEEN = seeded_order("T", "approve+approve").digest
"""The digest of the seeded items: what an approver saw before the race began."""


def seed(uow: UnitOfWork, race: str, rounds: int) -> None:
    """Put the store, seller, customer, accounts, policy and ``rounds`` orders into a store."""
    with uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        uow.sellers.add(Seller(code="V01", name="Ana", store_id="L01"))
        uow.customers.add(
            Customer(
                customer_id="C1",
                name="Cliente",
                registered_at=datetime(2025, 1, 1, tzinfo=UTC),
                home_store_id="L01",
            )
        )
        for account_id, roles in ACCOUNTS.items():
            extra: dict[str, Any] = {"seller_code": "V01"} if account_id == "u-tele" else {}
            uow.accounts.add(
                Account(
                    account_id=account_id,
                    email=normalize_login_email(email(account_id)),
                    roles=frozenset(roles),
                    **extra,
                )
            )
        uow.telesales.set_policy(POLICY)
        for n in range(1, rounds + 1):
            uow.telesales.add(seeded_order(f"T{n}", race))


def service(unit_of_work: Callable[[], UnitOfWork]) -> AccountService:
    """An account service on a store, its clock stopped at :data:`LATER`."""
    return AccountService(
        unit_of_work,
        mailer=InMemoryMailer(),
        clock=FixedClock(LATER),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=SecretHasher.insecure_for_tests(),
    )


Step = Callable[[AccountService, str], TelesalesOrder]


def _as(svc: AccountService, account_id: str) -> Any:
    return svc.principal_for(account_id)


STEPS: dict[str, Step] = {
    "approve": lambda s, o: s.authorize_order(_as(s, "u-aprov"), o, reason="ok"),
    "approve-seen": lambda s, o: s.authorize_order(
        _as(s, "u-aprov"), o, reason="ok", seen_digest=SEEN
    ),
    "approve2": lambda s, o: s.authorize_order(_as(s, "u-aprov2"), o, reason="eu também"),
    "reject2": lambda s, o: s.reject_order(_as(s, "u-aprov2"), o, reason="desconto demais"),
    "reprice": lambda s, o: s.set_cart_manual_price(_as(s, "u-tele2"), o, "A", Decimal("10.00")),
    "add": lambda s, o: s.put_cart_item(
        _as(s, "u-tele2"), o, OrderItem(sku="B", quantity=1, list_price=Decimal("35.00"))
    ),
    "invoice": lambda s, o: s.invoice_order(_as(s, "u-tele"), o),
    "complete": lambda s, o: s.complete_shared_cart(o, TOKEN, payment_method=PaymentMethod.GATEWAY),
    "complete2": lambda s, o: s.complete_shared_cart(
        o, TOKEN, payment_method=PaymentMethod.PROMISSORY_NOTE
    ),
    "place": lambda s, o: s.place_order(
        _as(s, "u-tele"), o, payment_method=PaymentMethod.PROMISSORY_NOTE
    ),
}

RACES: dict[str, tuple[str, str]] = {
    # (a) two approvers decide the same order
    "approve+approve": ("approve", "approve2"),
    "approve+reject": ("approve", "reject2"),
    # (b) an approval racing a price change: blind, and bound to the digest the approver saw
    "approve+reprice": ("approve", "reprice"),
    "approve-seen+reprice": ("approve-seen", "reprice"),
    # (c) an invoicing racing an item change (a new line, or a new manual price)
    "invoice+add": ("invoice", "add"),
    "invoice+reprice": ("invoice", "reprice"),
    # a shared cart becomes an order once: the customer twice (two tabs), or customer and operator
    "complete+complete": ("complete", "complete2"),
    "complete+place": ("complete", "place"),
}
"""Each race: the two steps taken at once on the same order."""


def attempt(svc: AccountService, step: str, order_id: str) -> str:
    """Take one step: ``"won"``, or ``"lost <error class>: <message>"`` for an OtocoreError."""
    try:
        STEPS[step](svc, order_id)
    except OtocoreError as error:
        return f"lost {type(error).__name__}: {error}"
    return "won"
