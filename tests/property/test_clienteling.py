"""Invariants of the audited consent, block and contact actions (issue 12), for any sequence.

Over any sequence of ``record_consent``, ``block_cpf``, ``unblock_cpf`` and
``register_contact`` calls by any actor on any customer, CPF or seller:

- each call appends exactly one audit entry, whose outcome matches what the caller saw
  (ALLOWED: no error; DENIED: PermissionDenied; FAILED: another OtocoreError);
- it is DENIED exactly when otocore.access's table refuses the action on the target the
  service names (the customer's carteira seller, else their home store; the brand for a
  CPF; the contact's seller), so the table in docs/access.md is what the service enforces;
- a refused or failed call writes nothing else, and the audit chain verifies at the end.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from _support.builders import HASHER
from _support.strategies import examples
from otocore.access import Action, Outcome, Target, is_allowed, verify_audit_log
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.auth import Account, Role, normalize_login_email
from otocore.blocking import BlockFeature
from otocore.clock import FixedClock
from otocore.consent import ConsentSource, ContactChannel
from otocore.contacts import Contact
from otocore.customers import Cpf, Customer
from otocore.errors import OtocoreError, PermissionDenied
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.sellers import Seller, Store

NOW = datetime(2026, 11, 2, 13, tzinfo=UTC)
SELLERS = {"V01": "L01", "V02": "L01", "V03": "L02"}
CARTEIRA = {"C1": "V01", "C2": "V02", "C3": "V03"}  # C4: none, home store L02; C5: unknown
HOME = {"C1": "L01", "C2": "L01", "C3": "L02", "C4": "L02"}
CPFS = [Cpf.parse("529.982.247-25"), Cpf.parse("111.444.777-35")]
ACCOUNTS = {
    "u-admin": ({Role.BRAND_ADMIN}, None, None),
    "u-g1": ({Role.STORE_MANAGER}, "L01", None),
    "u-g2": ({Role.STORE_MANAGER}, "L02", None),
    "u-v01": ({Role.SELLER}, "L01", "V01"),
    "u-v03": ({Role.SELLER}, "L02", "V03"),
    "u-tele": ({Role.CALL_CENTER}, None, None),
    "u-aprov": ({Role.ORDER_APPROVER}, None, None),
}


def _brand() -> tuple[InMemoryDatabase, AccountService]:
    db = InMemoryDatabase()
    with db.unit_of_work() as uow:
        for store in ("L01", "L02"):
            uow.stores.add(Store(store_id=store, name=f"Loja {store}"))
        for code, store in SELLERS.items():
            uow.sellers.add(Seller(code=code, name=f"Vendedor {code}", store_id=store))
        for cid, home in HOME.items():
            uow.customers.add(
                Customer(
                    customer_id=cid,
                    name=f"Cliente {cid}",
                    registered_at=datetime(2025, 1, 1, tzinfo=UTC),
                    home_store_id=home,
                )
            )
        for cid, code in CARTEIRA.items():
            uow.portfolio.set(
                PortfolioAssignment(
                    customer_id=cid,
                    seller_code=code,
                    since=date(2026, 1, 1),
                    reason=AssignmentReason.DAILY_RULE,
                )
            )
        for account_id, (roles, store, code) in ACCOUNTS.items():
            uow.accounts.add(
                Account(
                    account_id=account_id,
                    email=normalize_login_email(f"{account_id}@example.com"),
                    roles=frozenset(roles),
                    store_id=store,
                    seller_code=code,
                )
            )
    service = AccountService(
        db.unit_of_work,
        mailer=InMemoryMailer(),
        clock=FixedClock(NOW),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=HASHER,
    )
    return db, service


def _customer_target(customer: str) -> Target:
    if customer in CARTEIRA:
        code = CARTEIRA[customer]
        return Target(store_id=SELLERS[code], seller_code=code)
    return Target(store_id=HOME[customer])


CUSTOMERS = st.sampled_from(["C1", "C2", "C3", "C4", "C5"])
consent_calls = st.tuples(
    st.just("consent"),
    CUSTOMERS,
    st.sampled_from(list(ContactChannel)),
    st.booleans(),
)
block_calls = st.tuples(
    st.sampled_from(["block", "unblock"]),
    st.sampled_from(CPFS),
    st.frozensets(st.sampled_from(list(BlockFeature)), min_size=1),
)
contact_calls = st.tuples(
    st.just("contact"), CUSTOMERS, st.sampled_from([*SELLERS, "V99"]), st.integers(0, 10**6)
)
calls = st.tuples(st.sampled_from(sorted(ACCOUNTS)), consent_calls | block_calls | contact_calls)


def _counts(db: InMemoryDatabase) -> tuple[int, int, int]:
    with db.unit_of_work() as uow:
        consent = sum(1 for _ in uow.consent.iter_all())
        blocks = sum(1 for _ in uow.blocks.iter_all())
        return consent, blocks, uow.contacts.count()


def _call(service: AccountService, actor: Any, call: tuple[Any, ...]) -> None:
    kind = call[0]
    if kind == "consent":
        _, customer, channel, granted = call
        service.record_consent(
            actor, customer, channel, granted=granted, source=ConsentSource.CUSTOMER_REQUEST
        )
    elif kind in {"block", "unblock"}:
        _, cpf, features = call
        method = service.block_cpf if kind == "block" else service.unblock_cpf
        method(actor, cpf, features, reason="pedido")
    else:
        _, customer, seller, n = call
        service.register_contact(
            actor,
            Contact(
                contact_id=f"K{n}",
                seller_code=seller,
                customer_id=customer,
                channel=ContactChannel.WHATSAPP,
                started_at=NOW - timedelta(minutes=5),
                finished_at=NOW,
                in_portfolio=False,
            ),
        )


def _customer_target_or_none(customer: str) -> Target:
    if customer in HOME:
        return _customer_target(customer)
    return Target(account_id=f"customer:{customer}")


@settings(max_examples=examples(0.5))
@given(st.lists(calls, min_size=1, max_size=8))
def test_every_call_is_audited_once_and_denied_exactly_as_the_table_says(
    sequence: list[tuple[str, tuple[Any, ...]]],
) -> None:
    db, service = _brand()
    for account_id, call in sequence:
        actor = service.principal_for(account_id)
        before = _counts(db)
        with db.unit_of_work() as uow:
            entries = uow.audit.count()
        outcome = Outcome.ALLOWED
        try:
            _call(service, actor, call)
        except PermissionDenied:
            outcome = Outcome.DENIED
        except OtocoreError:
            outcome = Outcome.FAILED
        # the action and target the service decides on, rebuilt here from the brand's data
        expected_action, expected_target = _expected(call)
        with db.unit_of_work() as uow:
            log = list(uow.audit.iter_all())
        assert len(log) == entries + 1
        assert log[-1].outcome is outcome
        assert log[-1].action is expected_action
        known = not (call[0] == "contact" and call[2] == "V99") and not (
            call[0] in {"consent", "contact"} and call[1] == "C5"
        )
        if known:
            allowed = is_allowed(actor, expected_action, expected_target)
            assert (outcome is Outcome.DENIED) == (not allowed)
        if outcome is not Outcome.ALLOWED:
            assert _counts(db) == before
    with db.unit_of_work() as uow:
        assert verify_audit_log(list(uow.audit.iter_all())).ok


def _expected(call: tuple[Any, ...]) -> tuple[Action, Target]:
    if call[0] == "consent":
        return Action.MANAGE_CONSENT, _customer_target_or_none(call[1])
    if call[0] in {"block", "unblock"}:
        return Action.MANAGE_BLOCKS, Target(account_id=f"cpf:{call[1].masked}")
    seller = call[2]
    store = SELLERS.get(seller)
    return Action.REGISTER_CONTACT, (
        Target(store_id=store, seller_code=seller) if store else Target(seller_code=seller)
    )
