"""Invariants of the account service, for any input and any sequence of management actions.

- Login never raises anything but AuthenticationFailed for string input, never lets
  anyone in without the right password and PIN, and an e-mail that names no account
  gets exactly the answer a wrong password gets ("wrong_credentials").
- Asking for password recovery answers the same for every e-mail and mails only the
  account's own address.
- Over any sequence of management actions by any actor (seed: "Ative ou inative
  vendedores [...] crie novos usuários para a loja através do acesso do Gerente de
  Loja"; "seu gerente [...] resetar o código PIN"; "desbloqueá-lo"): each call appends
  exactly one audit entry, whose outcome matches what the caller saw (ALLOWED: no
  error; DENIED: PermissionDenied; FAILED: another OtocoreError), a refused call
  changes nothing else, and ``verify_audit_log`` is ok at the end.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from datetime import date
from typing import Any

from hypothesis import event, given, settings
from hypothesis import strategies as st

from _support.builders import HASHER, START
from _support.strategies import examples
from otocore.access import Outcome, Principal, verify_audit_log
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.auth import Account, Role, TokenPurpose, normalize_login_email
from otocore.clock import FixedClock
from otocore.distribution import Balanced, ToSeller
from otocore.errors import (
    AuthenticationFailed,
    OtocoreError,
    PermissionDenied,
    ValidationError,
)
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.sellers import Seller, SellerStatus, Store
from otocore.testing import emails

# account id -> e-mail, roles, seller, store, password and PIN
ACCOUNTS = {
    "u-admin": ("admin@example.com", {Role.BRAND_ADMIN}, None, None, "senha do admin", "482913"),
    "u-g1": ("g1@example.com", {Role.STORE_MANAGER}, None, "L01", "senha do gerente um", "593028"),
    "u-g2": ("g2@example.com", {Role.STORE_MANAGER}, None, "L02", "senha do gerente dois", "604139"),
    "u-ana": ("ana@example.com", {Role.SELLER}, "V01", "L01", "senha da ana souza", "826351"),
    "u-bia": ("bia@example.com", {Role.SELLER}, "V02", "L01", "senha da bia lima", "937462"),
    "u-caio": ("caio@example.com", {Role.SELLER}, "V03", "L02", "senha do caio dias", "148573"),
}  # fmt: skip


def _brand() -> tuple[InMemoryDatabase, InMemoryMailer, AccountService]:
    db, mailer = InMemoryDatabase(), InMemoryMailer()
    with db.unit_of_work() as uow:
        for store in ("L01", "L02"):
            uow.stores.add(Store(store_id=store, name=f"Loja {store}"))
        for code, store in (("V01", "L01"), ("V02", "L01"), ("V03", "L02"), ("V04", "L02")):
            uow.sellers.add(Seller(code=code, name=f"Vendedor {code}", store_id=store))
        uow.sellers.add(Seller(code="V05", name="Eva", store_id="L01"))
        for n in range(4):
            uow.portfolio.set(
                PortfolioAssignment(
                    customer_id=f"C{n}",
                    seller_code=f"V0{n + 1}",
                    since=date(2026, 1, 1),
                    reason=AssignmentReason.DAILY_RULE,
                )
            )
        for account_id, (email, roles, code, store, password, pin) in ACCOUNTS.items():
            uow.accounts.add(
                Account(
                    account_id=account_id,
                    email=normalize_login_email(email),
                    roles=roles,
                    seller_code=code,
                    store_id=store,
                    password_hash=HASHER.hash(password),
                    pin_hash=HASHER.hash(pin),
                )
            )
    service = AccountService(
        db.unit_of_work,
        mailer=mailer,
        clock=FixedClock(START),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=HASHER,
        rng=random.Random(0),
        token_bytes=random.Random(1).randbytes,
    )
    return db, mailer, service


def _attempt(call: Callable[[], object]) -> object:
    """What ``call`` returned, or the OtocoreError it raised."""
    try:
        return call()
    except OtocoreError as error:
        return error


def _everything_but_the_log(db: InMemoryDatabase) -> tuple[Any, ...]:
    with db.unit_of_work() as uow:
        accounts = uow.accounts.list()
        tokens = [uow.tokens.newest(a.account_id, p) for a in accounts for p in TokenPurpose]
        return accounts, tokens, uow.sellers.list(), uow.portfolio.list()


# login ------------------------------------------------------------------------------

_PINS = st.one_of(st.text(max_size=10), st.text("0123456789", min_size=6, max_size=6))


@given(email=st.text(max_size=60), password=st.text(max_size=40), pin=_PINS)
@settings(max_examples=examples(0.6))
def test_login_with_any_text_is_refused_with_an_authentication_error_only(
    email: str, password: str, pin: str
) -> None:
    _, _, service = _brand()
    answer = _attempt(lambda: service.login(email, password, pin))
    if isinstance(answer, AuthenticationFailed):
        assert answer.reason in {"wrong_credentials", "locked"}
        for secret in (password, pin):
            if len(secret) >= 4:
                assert secret not in str(answer)
    else:  # only the exact password and PIN of the account the e-mail names
        assert isinstance(answer, Principal)
        account_id = answer.account_id
        assert normalize_login_email(email).address == ACCOUNTS[account_id][0]
        assert (password, pin) == ACCOUNTS[account_id][4:]


@given(
    account_id=st.sampled_from(sorted(ACCOUNTS)),
    stranger=emails(),
    password=st.text(max_size=30),
    pin=_PINS,
)
@settings(max_examples=examples(0.6))
def test_an_unknown_email_is_answered_exactly_as_a_wrong_password(
    account_id: str, stranger: Any, password: str, pin: str
) -> None:
    _, _, service = _brand()
    known = ACCOUNTS[account_id][0]
    if stranger.address in {a[0] for a in ACCOUNTS.values()}:
        return
    if (password, pin) == ACCOUNTS[account_id][4:]:
        password += "!"
    answers = []
    for email in (known, stranger.address):
        try:
            service.login(email, password, pin)
        except AuthenticationFailed as refused:
            answers.append((type(refused), refused.reason, str(refused), refused.args))
    assert len(answers) == 2
    assert answers[0] == answers[1]
    assert answers[0][1] == "wrong_credentials"


@given(st.lists(st.booleans(), max_size=12))
def test_the_account_locks_exactly_at_the_limit(attempts: list[bool]) -> None:
    """True: the right password and PIN; False: a wrong one. Limit 5 (the default)."""
    db, _, service = _brand()
    failures, locked = 0, False
    for right in attempts:
        password = "senha da ana souza" if right else "senha errada"
        try:
            service.login("ana@example.com", password, "826351")
            outcome = "success"
        except AuthenticationFailed as refused:
            outcome = refused.reason
        if locked:
            expected = "locked"
        elif right:
            expected, failures = "success", 0
        else:
            failures += 1
            locked = failures == 5
            expected = "locked" if locked else "wrong_credentials"
        assert outcome == expected
        with db.unit_of_work() as uow:
            state = uow.accounts.get("u-ana").state
        assert (state.failures, state.locked) == (failures, locked)


# recovery ---------------------------------------------------------------------------


@given(st.lists(st.one_of(emails(), st.sampled_from([a[0] for a in ACCOUNTS.values()]))))
@settings(max_examples=examples(0.5))
def test_recovery_answers_the_same_and_mails_only_the_account_itself(asked: list[Any]) -> None:
    _, mailer, service = _brand()
    known = {a[0] for a in ACCOUNTS.values()}
    for email in asked:
        address = email if isinstance(email, str) else email.address
        assert service.request_password_recovery(address) is None
    texts = [e if isinstance(e, str) else e.address for e in asked]
    for address in {m.to.address for m in mailer.outbox}:
        assert address in known
        asked_count = sum(1 for t in texts if normalize_login_email(t).address == address)
        sent = sum(1 for m in mailer.outbox if m.to.address == address)
        assert sent == min(asked_count, 3)  # the rate limit, per account


# management and the audit log --------------------------------------------------------

_ACTORS = st.sampled_from(sorted(ACCOUNTS))
_ACCOUNT_IDS = st.sampled_from([*sorted(ACCOUNTS), "u-ninguem"])
_CODES = st.sampled_from(["V01", "V02", "V03", "V04", "V05", "V99"])
_TARGETS = st.one_of(st.none(), _CODES.map(ToSeller), st.integers(0, 9).map(Balanced))

_CALLS = st.one_of(
    st.tuples(st.just("unlock"), _ACTORS, _ACCOUNT_IDS),
    st.tuples(st.just("reset_pin"), _ACTORS, _ACCOUNT_IDS),
    st.tuples(st.just("activate"), _ACTORS, _CODES),
    st.tuples(st.just("deactivate"), _ACTORS, _CODES, _TARGETS),
    st.tuples(
        st.just("create"),
        _ACTORS,
        st.sampled_from(["nova@example.com", "ana@example.com", "Nova@Example.com"]),
        st.sampled_from([Role.SELLER, Role.STORE_MANAGER, Role.CALL_CENTER, Role.BRAND_ADMIN]),
        _CODES,
        st.sampled_from([None, "L01", "L02", "L99"]),
    ),
)


def _run(service: AccountService, call: tuple[Any, ...]) -> None:
    kind, actor_id = call[0], call[1]
    actor = service.principal_for(actor_id)
    if kind == "unlock":
        service.unlock(actor, call[2])
    elif kind == "reset_pin":
        service.reset_pin(actor, call[2])
    elif kind == "activate":
        service.activate_seller(actor, call[2])
    elif kind == "deactivate":
        service.deactivate_seller(actor, call[2], call[3], as_of=date(2026, 5, 4))
    else:
        _, _, email, role, code, store = call
        service.create_account(
            actor,
            email=email,
            roles=[role],
            seller_code=code if role is Role.SELLER else None,
            store_id=store,
        )


@given(st.lists(_CALLS, max_size=12))
def test_every_management_call_is_audited_once_and_the_log_always_verifies(
    calls: list[tuple[Any, ...]],
) -> None:
    db, _, service = _brand()
    for call in calls:
        before = _everything_but_the_log(db)
        with db.unit_of_work() as uow:
            entries_before = uow.audit.count()
        error = _attempt(functools.partial(_run, service, call))
        if isinstance(error, ValidationError):  # bad input: nothing at all, not even an entry
            with db.unit_of_work() as uow:
                assert uow.audit.count() == entries_before, error
            assert _everything_but_the_log(db) == before
            continue
        with db.unit_of_work() as uow:
            log = list(uow.audit.iter_all())
        assert len(log) == entries_before + 1
        entry = log[-1]
        assert entry.actor == call[1]
        event(f"{call[0]}: {entry.outcome.value}")
        if error is None:
            assert entry.outcome is Outcome.ALLOWED
        elif isinstance(error, PermissionDenied):
            assert entry.outcome is Outcome.DENIED
            assert _everything_but_the_log(db) == before
        else:
            assert entry.outcome is Outcome.FAILED
            assert _everything_but_the_log(db) == before
            assert entry.detail
    with db.unit_of_work() as uow:
        log = list(uow.audit.iter_all())
    assert verify_audit_log(log).ok


@given(
    actor=st.sampled_from(["u-g1", "u-g2"]),
    code=st.sampled_from(["V01", "V02", "V03", "V04"]),
    action=st.sampled_from(["activate", "deactivate", "unlock", "reset_pin"]),
)
def test_a_manager_acting_on_another_stores_seller_is_denied_and_nothing_changes(
    actor: str, code: str, action: str
) -> None:
    db, mailer, service = _brand()
    with db.unit_of_work() as uow:
        seller = uow.sellers.get(code)
        account = uow.accounts.for_seller(code)
        own_store = uow.accounts.get(actor).store_id
    if seller.store_id == own_store:
        return
    before = _everything_but_the_log(db)
    manager = service.principal_for(actor)
    if action == "activate":
        denied = _attempt(lambda: service.activate_seller(manager, code))
    elif action == "deactivate":
        denied = _attempt(
            lambda: service.deactivate_seller(manager, code, None, as_of=date(2026, 5, 4))
        )
    elif account is not None:
        denied = _attempt(lambda: getattr(service, action)(manager, account.account_id))
    else:
        return
    assert isinstance(denied, PermissionDenied), "a manager acted on another store's seller"
    assert seller.store_id in str(denied)
    assert _everything_but_the_log(db) == before
    assert mailer.outbox == []
    with db.unit_of_work() as uow:
        (entry,) = uow.audit.iter_all()
    assert entry.outcome is Outcome.DENIED
    assert seller.status is SellerStatus.ACTIVE
