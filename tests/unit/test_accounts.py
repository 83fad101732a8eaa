"""The account service, worked through the seeds' own stories, on the in-memory store.

"informe o seu e-mail que foi vinculado pela marca, digite a sua senha e em seguida
insira o PIN de acesso" (Como acesso o Oto?); "Caso você erre a sua senha por um
determinado número de vezes em sequência [...] o seu usuário será bloqueado. Para
desbloquear é necessário entrar em contato com seu gerente [...] Após o desbloqueio é
preciso gerar uma nova senha [...] ao clicar em 'esqueceu senha'" (Meu usuário foi
bloqueado); "seu gerente para que ele possa resetar o código PIN [...] você receberá o
novo código em seu e-mail cadastrado" (Esqueci o meu código PIN); "Ative ou inative
vendedores, redistribua a carteira [...] ou crie novos usuários para a loja" (Gestão de
Vendedores, Usuários e permissões).
"""

from __future__ import annotations

import contextlib
import json
import logging
import random
import re
import smtplib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import argon2
import attrs
import pytest

from _support.builders import HASHER, START
from otocore.access import AuditEntry, Outcome, Principal, verify_audit_log
from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase, InMemoryUnitOfWork
from otocore.auth import (
    MIN_MEMORY_KIB,
    REDACTED,
    Account,
    AccountState,
    LockoutPolicy,
    PinDelivery,
    PinPolicy,
    RecoveryRateLimit,
    Role,
    SecretHasher,
    TokenPurpose,
    check_pin_format,
    hash_token,
    is_trivial_pin,
    normalize_login_email,
)
from otocore.clock import FixedClock
from otocore.distribution import Balanced, ToSeller
from otocore.errors import (
    AuthenticationFailed,
    InvalidToken,
    NotFound,
    OtocoreError,
    PermissionDenied,
    RuleViolation,
    ValidationError,
)
from otocore.mail import Message, MessageKind
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.sellers import Seller, SellerStatus, Store
from otocore.serialization import converter

APP_URL = "https://app.example.com"

# account id -> (e-mail, roles, seller code, store, password, PIN)
PEOPLE: dict[str, tuple[str, set[Role], str | None, str | None, str, str]] = {
    "u-admin": ("admin@example.com", {Role.BRAND_ADMIN}, None, None, "cavalo correto admin", "482913"),
    "u-gerente": ("gerente.l01@example.com", {Role.STORE_MANAGER}, None, "L01", "gerente da loja um", "593028"),
    "u-gerente2": ("gerente.l02@example.com", {Role.STORE_MANAGER}, None, "L02", "gerente da loja dois", "604139"),
    "u-tele": ("tele@example.com", {Role.CALL_CENTER}, None, None, "televendas da marca", "715240"),
    "u-ana": ("ana.souza@example.com", {Role.SELLER}, "V01", "L01", "senha da ana souza", "826351"),
    "u-bruno": ("bruno@example.com", {Role.SELLER}, "V02", "L01", "senha do bruno lima", "937462"),
    "u-carla": ("carla@example.com", {Role.SELLER}, "V03", "L02", "senha da carla dias", "148573"),
}  # fmt: skip
ANA = "ana.souza@example.com"
ADMIN_PASSWORD = "cavalo correto bateria grampo"  # noqa: S105 - a test secret
ANA_PASSWORD = PEOPLE["u-ana"][4]
ANA_PIN = PEOPLE["u-ana"][5]


@attrs.define
class World:
    """A brand: stores L01 and L02, sellers V01, V02 (L01), V03 (L02), their accounts."""

    db: InMemoryDatabase
    mailer: Any
    clock: FixedClock
    service: AccountService

    def uow(self) -> InMemoryUnitOfWork:
        return self.db.unit_of_work()

    def account(self, account_id: str) -> Account:
        with self.uow() as uow:
            return uow.accounts.get(account_id)

    def audit(self) -> list[AuditEntry]:
        with self.uow() as uow:
            return list(uow.audit.iter_all())

    def principal(self, account_id: str) -> Principal:
        return self.service.principal_for(account_id)

    def snapshot(self) -> tuple[Any, ...]:
        """Everything but the audit log, to check that a refused call changed nothing."""
        with self.uow() as uow:
            accounts = uow.accounts.list()
            tokens = [
                uow.tokens.newest(a.account_id, purpose)
                for a in accounts
                for purpose in TokenPurpose
            ]
            return (
                accounts,
                tokens,
                uow.sellers.list(),
                uow.portfolio.list(),
            )

    def stored_text(self) -> str:
        """Every stored account, token and audit entry, hashes included, as JSON."""
        with self.uow() as uow:
            accounts = uow.accounts.list()
            tokens = [
                uow.tokens.newest(a.account_id, purpose)
                for a in accounts
                for purpose in TokenPurpose
            ]
            rows = [converter.unstructure(x) for x in [*accounts, *tokens] if x is not None]
            rows += [converter.unstructure(e) for e in uow.audit.iter_all()]
        return json.dumps(rows, ensure_ascii=False)


def make_world(
    *,
    policy: SecurityPolicy | None = None,
    hasher: SecretHasher = HASHER,
    stored_hasher: SecretHasher = HASHER,
    mailer: Any = None,
    rng: random.Random | None = None,
    token_bytes: Any = None,
    db: InMemoryDatabase | None = None,
) -> World:
    db = db if db is not None else InMemoryDatabase()
    clock = FixedClock(START)
    with db.unit_of_work() as uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        uow.stores.add(Store(store_id="L02", name="Shopping Norte"))
        uow.sellers.add(Seller(code="V01", name="Ana Souza", store_id="L01"))
        uow.sellers.add(Seller(code="V02", name="Bruno Lima", store_id="L01"))
        uow.sellers.add(Seller(code="V03", name="Carla Dias", store_id="L02"))
        uow.sellers.add(
            Seller(code="V04", name="Davi", store_id="L02", status=SellerStatus.INACTIVE)
        )
        uow.sellers.add(Seller(code="V05", name="Eva", store_id="L01"))
        for n, customer in enumerate(["C1", "C2", "C3"]):
            uow.portfolio.set(
                PortfolioAssignment(
                    customer_id=customer,
                    seller_code="V01" if n < 2 else "V02",
                    since=date(2026, 1, 1),
                    reason=AssignmentReason.DAILY_RULE,
                )
            )
        for account_id, (email, roles, code, store, password, pin) in PEOPLE.items():
            uow.accounts.add(
                Account(
                    account_id=account_id,
                    email=normalize_login_email(email),
                    roles=roles,
                    seller_code=code,
                    store_id=store,
                    password_hash=stored_hasher.hash(password),
                    pin_hash=stored_hasher.hash(pin),
                )
            )
    extra: dict[str, Any] = {}
    if token_bytes is not None:
        extra["token_bytes"] = token_bytes
    mailer = mailer if mailer is not None else InMemoryMailer()
    service = AccountService(
        db.unit_of_work,
        mailer=mailer,
        clock=clock,
        policy=policy if policy is not None else SecurityPolicy(app_url=APP_URL),
        hasher=hasher,
        rng=rng if rng is not None else random.Random(2026),
        **extra,
    )
    return World(db=db, mailer=mailer, clock=clock, service=service)


@pytest.fixture
def world() -> World:
    return make_world()


def refused(world: World, email: str, password: str, pin: str) -> str:
    with pytest.raises(AuthenticationFailed) as info:
        world.service.login(email, password, pin)
    return info.value.reason


def token_in(message: Message, page: str) -> str:
    found = re.search(rf"{re.escape(APP_URL)}/{page}\?token=([A-Za-z0-9_\-]+)", message.body)
    assert found, message.kind
    return found.group(1)


def pin_in(message: Message) -> str:
    runs = re.findall(r"\d+", message.body)
    assert len(runs) == 1, "a PIN e-mail holds the PIN and no other number"
    return str(runs[0])


def recovery_token(world: World, email: str = ANA) -> str:
    world.mailer.outbox.clear()
    world.service.request_password_recovery(email)
    (message,) = world.mailer.outbox
    assert message.kind is MessageKind.PASSWORD_RECOVERY
    return token_in(message, "nova-senha")


@pytest.fixture
def argon2_verifications(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts real Argon2 verifications (the expensive step) made during a test."""
    calls: list[int] = []
    original = argon2.PasswordHasher.verify

    def counting(self: argon2.PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        calls.append(1)
        return original(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting)
    return calls


# login ("Como acesso o Oto?") -----------------------------------------------------


def test_login_with_email_password_and_pin_returns_the_principal(world: World) -> None:
    principal = world.service.login("  Ana.Souza@EXAMPLE.com ", ANA_PASSWORD, ANA_PIN)
    assert principal == Principal(
        account_id="u-ana", roles={Role.SELLER}, store_id="L01", seller_code="V01"
    )
    gerente = world.service.login("gerente.l01@example.com", *PEOPLE["u-gerente"][4:])
    assert (gerente.roles, gerente.store_id, gerente.seller_code) == (
        frozenset({Role.STORE_MANAGER}),
        "L01",
        None,
    )


@pytest.mark.parametrize(
    ("password", "pin"),
    [
        ("senha errada da ana", ANA_PIN),  # wrong password
        (ANA_PASSWORD, "826350"),  # wrong PIN, right format
        (ANA_PASSWORD, PEOPLE["u-bruno"][5]),  # another seller's PIN
        (PEOPLE["u-bruno"][4], ANA_PIN),  # another seller's password
    ],
)
def test_a_wrong_password_or_pin_is_one_counted_failure(
    world: World, password: str, pin: str
) -> None:
    assert refused(world, ANA, password, pin) == "wrong_credentials"
    assert world.account("u-ana").state.failures == 1


@pytest.mark.parametrize(
    ("password", "pin"),
    [
        ("", ANA_PIN),  # empty password
        ("x" * 100_000, ANA_PIN),  # overlong password
        (ANA_PASSWORD, ""),  # empty PIN
        (ANA_PASSWORD, "82635"),  # short PIN
        (ANA_PASSWORD, "8263510"),  # long PIN
        (ANA_PASSWORD, "82635a"),  # a letter
        (
            ANA_PASSWORD,
            "\uff18\uff12\uff16\uff13\uff15\uff11",
        ),  # full-width digits are not ASCII digits
        (ANA_PASSWORD, " 826351"),
    ],
)
def test_a_malformed_password_or_pin_is_a_counted_failure_not_an_exception(
    world: World, password: str, pin: str
) -> None:
    assert refused(world, ANA, password, pin) == "wrong_credentials"
    assert world.account("u-ana").state.failures == 1


@pytest.mark.parametrize("position", [0, 1, 2])
@pytest.mark.parametrize("bad", [None, 826351, b"826351", ["826351"]])
def test_an_argument_that_is_not_a_string_is_a_validation_error_with_the_value_hidden(
    world: World, position: int, bad: object
) -> None:
    args: list[Any] = [ANA, ANA_PASSWORD, ANA_PIN]
    args[position] = bad
    with pytest.raises(ValidationError) as info:
        world.service.login(*args)
    assert info.value.value == REDACTED
    assert "826351" not in str(info.value)
    assert world.account("u-ana").state == AccountState()


@pytest.mark.parametrize(
    "email",
    [
        "ninguem@example.com",  # no such account
        "ana.souza@example.org",
        "não é um e-mail",  # malformed
        "",
        "ana.souza@",
        "a" * 5000 + "@example.com",
    ],
)
def test_an_unknown_or_malformed_email_gets_the_same_answer_as_a_wrong_password(
    world: World, email: str
) -> None:
    with pytest.raises(AuthenticationFailed) as wrong_password:
        world.service.login(ANA, "senha errada da ana", ANA_PIN)
    with pytest.raises(AuthenticationFailed) as unknown:
        world.service.login(email, "senha errada da ana", ANA_PIN)
    assert type(unknown.value) is type(wrong_password.value)
    assert unknown.value.reason == wrong_password.value.reason == "wrong_credentials"
    assert str(unknown.value) == str(wrong_password.value)
    assert unknown.value.args == wrong_password.value.args


@pytest.mark.parametrize(
    ("email", "password", "pin"),
    [
        (ANA, ANA_PASSWORD, ANA_PIN),  # success
        (ANA, "senha errada da ana", ANA_PIN),
        (ANA, ANA_PASSWORD, "826350"),
        (ANA, "", ""),  # malformed password and PIN
        (ANA, "x" * 10_000, "12a"),
        ("ninguem@example.com", ANA_PASSWORD, ANA_PIN),  # unknown e-mail
        ("ninguem@example.com", "", "1"),
        ("não é e-mail", "qualquer senha", "826351"),  # malformed e-mail
    ],
)
def test_every_login_does_the_same_argon2_work(
    world: World, argon2_verifications: list[int], email: str, password: str, pin: str
) -> None:
    """Two Argon2 verifications, whatever the e-mail and input: timing tells nothing."""
    with contextlib.suppress(AuthenticationFailed):
        world.service.login(email, password, pin)
    assert len(argon2_verifications) == 2


def test_a_locked_or_new_password_account_does_the_same_argon2_work(
    world: World, argon2_verifications: list[int]
) -> None:
    with world.uow() as uow:
        ana = uow.accounts.get("u-ana")
        uow.accounts.save(attrs.evolve(ana, state=AccountState(failures=5, locked=True)))
        bruno = uow.accounts.get("u-bruno")
        uow.accounts.save(
            attrs.evolve(bruno, password_hash=None, state=AccountState(must_change_password=True))
        )
    assert refused(world, ANA, ANA_PASSWORD, ANA_PIN) == "locked"
    assert len(argon2_verifications) == 2
    assert refused(world, "bruno@example.com", "qualquer senha", PEOPLE["u-bruno"][5]) == (
        "new_password_required"
    )
    assert len(argon2_verifications) == 4


# lockout ("o seu usuário será bloqueado") ------------------------------------------------


@pytest.mark.parametrize("limit", [1, 3, 5])
def test_n_minus_one_failures_do_not_lock_and_the_nth_does(limit: int) -> None:
    world = make_world(
        policy=SecurityPolicy(app_url=APP_URL, lockout=LockoutPolicy(max_failures=limit))
    )
    for n in range(1, limit):
        assert refused(world, ANA, f"errada {n}", ANA_PIN) == "wrong_credentials"
        assert world.account("u-ana").state == AccountState(failures=n)
    assert refused(world, ANA, ANA_PASSWORD, "000001") == "locked"  # the N-th answers locked
    assert world.account("u-ana").state == AccountState(failures=limit, locked=True)
    # a locked account: the same answer to right and wrong credentials, nothing counted
    assert refused(world, ANA, ANA_PASSWORD, ANA_PIN) == "locked"
    assert refused(world, ANA, "errada", "000000") == "locked"
    assert refused(world, ANA, "", "") == "locked"
    assert world.account("u-ana").state == AccountState(failures=limit, locked=True)


def test_the_default_limit_is_five(world: World) -> None:
    reasons = [refused(world, ANA, "errada", ANA_PIN) for _ in range(6)]
    assert reasons == ["wrong_credentials"] * 4 + ["locked", "locked"]


def test_a_success_resets_the_count(world: World) -> None:
    for _ in range(4):
        refused(world, ANA, "errada", ANA_PIN)
    world.service.login(ANA, ANA_PASSWORD, ANA_PIN)
    assert world.account("u-ana").state.failures == 0
    for _ in range(4):
        assert refused(world, ANA, ANA_PASSWORD, "000001") == "wrong_credentials"
    assert refused(world, ANA, ANA_PASSWORD, "000001") == "locked"


def test_failures_are_counted_per_account_and_case_variants_are_one_account(world: World) -> None:
    for email in (ANA, "ANA.SOUZA@example.com", " ana.souza@Example.Com"):
        refused(world, email, "errada", ANA_PIN)
    assert world.account("u-ana").state.failures == 3
    assert world.account("u-bruno").state.failures == 0
    world.service.login("bruno@example.com", *PEOPLE["u-bruno"][4:])


class _CallerError(Exception):
    pass


def test_a_failure_is_committed_even_when_the_callers_transaction_rolls_back(
    world: World,
) -> None:
    caller = world.uow()

    def callers_own_work() -> None:
        with caller:
            caller.sellers.add(Seller(code="V09", name="Nova", store_id="L01"))
            with pytest.raises(
                AuthenticationFailed, match=r"^login refused: wrong e-mail, password or PIN$"
            ):
                world.service.login(ANA, "errada", ANA_PIN)
            raise _CallerError  # the caller's transaction rolls back

    with pytest.raises(_CallerError):
        callers_own_work()
    assert world.account("u-ana").state.failures == 1
    with world.uow() as uow:
        assert [s.code for s in uow.sellers.list()] == ["V01", "V02", "V03", "V04", "V05"]


def test_an_inactive_seller_answers_inactive_to_right_and_wrong_credentials(world: World) -> None:
    with world.uow() as uow:
        uow.sellers.add(attrs.evolve(uow.sellers.get("V01"), status=SellerStatus.INACTIVE))
    assert refused(world, ANA, ANA_PASSWORD, ANA_PIN) == "inactive"
    assert refused(world, ANA, "errada", "000000") == "inactive"
    assert world.account("u-ana").state == AccountState()  # nothing counted or stored
    with world.uow() as uow:
        ana = uow.accounts.get("u-ana")
        uow.accounts.save(attrs.evolve(ana, state=AccountState(active=False)))
        uow.sellers.add(attrs.evolve(uow.sellers.get("V01"), status=SellerStatus.ACTIVE))
    assert refused(world, ANA, ANA_PASSWORD, ANA_PIN) == "inactive"


def test_a_stored_hash_with_older_parameters_is_replaced_after_a_successful_login() -> None:
    old, new = SecretHasher(), SecretHasher(memory_cost=2 * MIN_MEMORY_KIB)
    world = make_world(hasher=new, stored_hasher=old)
    before = world.account("u-ana")
    assert new.needs_rehash(before.password_hash)
    assert new.needs_rehash(before.pin_hash)
    refused(world, ANA, "errada", ANA_PIN)  # a failure re-hashes nothing
    assert world.account("u-ana").password_hash == before.password_hash
    world.service.login(ANA, ANA_PASSWORD, ANA_PIN)
    after = world.account("u-ana")
    assert f"m={2 * MIN_MEMORY_KIB}," in str(after.password_hash)
    assert f"m={2 * MIN_MEMORY_KIB}," in str(after.pin_hash)
    assert not new.needs_rehash(after.password_hash)
    assert not new.needs_rehash(after.pin_hash)
    assert new.verify(after.password_hash, ANA_PASSWORD)
    assert new.verify(after.pin_hash, ANA_PIN)
    world.service.login(ANA, ANA_PASSWORD, ANA_PIN)
    assert world.account("u-ana").password_hash == after.password_hash  # not again


@attrs.frozen
class _RacingHasher(SecretHasher):
    """Verifies like SecretHasher; the first verification lets "another process" act first."""

    def verify(self, stored_hash: object, secret: object) -> bool:
        meanwhile = _MEANWHILE.pop() if _MEANWHILE else None
        if meanwhile is not None:
            meanwhile()
        return super().verify(stored_hash, secret)


_MEANWHILE: list[Any] = []


def test_hashes_changed_during_verification_are_verified_again_under_the_lock() -> None:
    racing = _RacingHasher(memory_cost=8, time_cost=1, insecure=True)
    world = make_world(hasher=racing)
    new_hash = HASHER.hash("a nova senha da ana")

    def recovery_elsewhere() -> None:
        with world.uow() as uow:
            ana = uow.accounts.get("u-ana")
            uow.accounts.save(attrs.evolve(ana, password_hash=new_hash))

    _MEANWHILE.append(recovery_elsewhere)
    # the old password verified against the old hash, but the hash changed before the decision
    assert refused(world, ANA, ANA_PASSWORD, ANA_PIN) == "wrong_credentials"
    assert world.account("u-ana").state.failures == 1
    assert world.service.login(ANA, "a nova senha da ana", ANA_PIN).account_id == "u-ana"


# unlock ("Após o desbloqueio é preciso gerar uma nova senha") -------------------------------


def _lock(world: World, email: str = ANA) -> None:
    for _ in range(5):
        refused(world, email, "errada", "000000")
    assert world.account("u-ana" if email == ANA else "u-carla").state.locked


def test_the_manager_unlocks_and_then_the_seller_must_set_a_new_password(world: World) -> None:
    _lock(world)
    world.service.unlock(world.principal("u-gerente"), "u-ana")
    ana = world.account("u-ana")
    assert ana.state == AccountState(must_change_password=True)
    assert ana.password_hash is None
    # the old, right password no longer works
    assert refused(world, ANA, ANA_PASSWORD, ANA_PIN) == "new_password_required"
    assert refused(world, ANA, "errada", "000000") == "new_password_required"
    assert world.account("u-ana").state.failures == 0  # not counted
    # "esqueceu senha", then a new password: login works again
    world.service.reset_password(recovery_token(world), "a nova senha da ana")
    assert world.service.login(ANA, "a nova senha da ana", ANA_PIN).account_id == "u-ana"
    (entry,) = world.audit()
    assert (entry.actor, entry.action.value, entry.outcome) == (
        "u-gerente",
        "unlock_account",
        Outcome.ALLOWED,
    )
    assert (entry.target.store_id, entry.target.account_id) == ("L01", "u-ana")


def test_a_brand_admin_unlocks_in_any_store(world: World) -> None:
    _lock(world, "carla@example.com")
    world.service.unlock(world.principal("u-admin"), "u-carla")
    assert world.account("u-carla").state == AccountState(must_change_password=True)


@pytest.mark.parametrize(
    ("actor", "account_id", "why"),
    [
        ("u-gerente2", "u-ana", "own store (L02)"),  # another store's manager
        ("u-gerente", "u-gerente", "own account"),  # oneself
        ("u-admin", "u-admin", "own account"),
        ("u-bruno", "u-ana", "no role of seller grants unlock_account"),  # a colleague
        ("u-tele", "u-ana", "no role of call_center"),
        ("u-gerente", "u-gerente2", "own store (L01)"),
        ("u-gerente", "u-admin", "names no store"),
    ],
)
def test_only_the_stores_manager_or_an_admin_unlocks_and_never_their_own_account(
    world: World, actor: str, account_id: str, why: str
) -> None:
    _lock(world)
    before = world.snapshot()
    with pytest.raises(PermissionDenied, match=re.escape(why)):
        world.service.unlock(world.principal(actor), account_id)
    assert world.snapshot() == before
    (entry,) = world.audit()
    assert (entry.actor, entry.outcome) == (actor, Outcome.DENIED)
    assert why in entry.detail


def test_a_manager_does_not_unlock_another_manager_of_the_same_store(world: World) -> None:
    with world.uow() as uow:
        uow.accounts.add(
            Account(
                account_id="u-sub",
                email=normalize_login_email("subgerente@example.com"),
                roles={Role.STORE_MANAGER},
                store_id="L01",
            )
        )
    with pytest.raises(PermissionDenied, match="roles it may grant"):
        world.service.unlock(world.principal("u-gerente"), "u-sub")
    world.service.unlock(world.principal("u-admin"), "u-sub")


def test_unlocking_an_unknown_account_is_not_found_and_audited_failed(world: World) -> None:
    with pytest.raises(NotFound, match=r"^Account 'u-ninguem' not found"):
        world.service.unlock(world.principal("u-admin"), "u-ninguem")
    (entry,) = world.audit()
    assert (entry.outcome, entry.target.account_id) == (Outcome.FAILED, "u-ninguem")
    # someone with no role granting it learns nothing: denied
    with pytest.raises(
        PermissionDenied,
        match=r"^seller u-bruno may not unlock_account on account u-ninguem: no role of seller grants unlock_account",
    ):
        world.service.unlock(world.principal("u-bruno"), "u-ninguem")
    assert world.audit()[-1].outcome is Outcome.DENIED


def test_an_inactive_or_unknown_actor_may_not_act(world: World) -> None:
    gerente = world.principal("u-gerente")
    with world.uow() as uow:
        account = uow.accounts.get("u-gerente")
        uow.accounts.save(attrs.evolve(account, state=AccountState(active=False)))
    with pytest.raises(PermissionDenied, match="acting account is inactive"):
        world.service.unlock(gerente, "u-ana")
    ghost = Principal(account_id="u-ghost", roles={Role.BRAND_ADMIN})
    with pytest.raises(PermissionDenied, match="acting account does not exist"):
        world.service.activate_seller(ghost, "V04")
    assert [e.outcome for e in world.audit()] == [Outcome.DENIED, Outcome.DENIED]


def test_authority_comes_from_the_stored_account_not_the_principal_passed(world: World) -> None:
    forged = Principal(account_id="u-bruno", roles={Role.BRAND_ADMIN})
    with pytest.raises(PermissionDenied, match="seller"):
        world.service.unlock(forged, "u-ana")


# recovery ("esqueceu senha") ---------------------------------------------------------


def test_recovery_answers_the_same_for_every_email_and_mails_only_the_account(
    world: World,
) -> None:
    with world.uow() as uow:
        uow.sellers.add(attrs.evolve(uow.sellers.get("V03"), status=SellerStatus.INACTIVE))
    for email in (ANA, "ninguem@example.com", "carla@example.com", "ANA.souza@example.com "):
        assert world.service.request_password_recovery(email) is None
    assert [(m.to.address, m.kind) for m in world.mailer.outbox] == [
        (ANA, MessageKind.PASSWORD_RECOVERY),
        (ANA, MessageKind.PASSWORD_RECOVERY),
    ]  # none to the unknown e-mail, none to the inactive seller


@pytest.mark.parametrize("email", ["não é e-mail", "", "ana@", None, 42])
def test_recovery_with_a_malformed_email_is_a_validation_error(world: World, email: Any) -> None:
    with pytest.raises(
        ValidationError, match=r"email (must be a string|is not a valid e-mail address)"
    ):
        world.service.request_password_recovery(email)
    assert world.mailer.outbox == []


def test_the_token_comes_from_token_bytes_has_256_bits_and_is_stored_only_hashed() -> None:
    asked: list[int] = []

    def token_bytes(n: int) -> bytes:
        asked.append(n)
        return bytes(range(100, 100 + n))

    world = make_world(token_bytes=token_bytes)
    token = recovery_token(world)
    assert asked == [32]
    assert len(token) == 43  # 32 bytes, URL-safe base64 without padding
    with world.uow() as uow:
        stored = uow.tokens.newest("u-ana", TokenPurpose.PASSWORD)
    assert stored is not None
    assert stored.record.token_hash == hash_token(token)
    assert stored.record.expires_at - stored.record.issued_at == timedelta(hours=1)
    assert token not in world.stored_text()


def test_a_token_works_once(world: World) -> None:
    token = recovery_token(world)
    world.service.reset_password(token, "a nova senha da ana")
    with pytest.raises(
        InvalidToken, match=r"^the link is invalid or has expired; ask for a new one$"
    ):
        world.service.reset_password(token, "outra senha da ana")
    world.service.login(ANA, "a nova senha da ana", ANA_PIN)


def test_a_token_expires_after_the_policys_ttl(world: World) -> None:
    token = recovery_token(world)
    world.clock.advance(timedelta(hours=1))
    with pytest.raises(
        InvalidToken, match=r"^the link is invalid or has expired; ask for a new one$"
    ):
        world.service.reset_password(token, "a nova senha da ana")
    world2 = make_world(policy=SecurityPolicy(app_url=APP_URL, token_ttl=timedelta(minutes=15)))
    token2 = recovery_token(world2)
    world2.clock.advance(timedelta(minutes=14, seconds=59))
    world2.service.reset_password(token2, "a nova senha da ana")


def test_a_newer_token_kills_the_older_one(world: World) -> None:
    first = recovery_token(world)
    second = recovery_token(world)
    with pytest.raises(
        InvalidToken, match=r"^the link is invalid or has expired; ask for a new one$"
    ):
        world.service.reset_password(first, "a nova senha da ana")
    world.service.reset_password(second, "a nova senha da ana")


@pytest.mark.parametrize("token", ["", "x", "A" * 43, "A" * 10_000, "\ud800"])
def test_a_made_up_token_is_invalid(world: World, token: str) -> None:
    recovery_token(world)
    with pytest.raises(InvalidToken) as info:
        world.service.reset_password(token, "a nova senha da ana")
    assert str(info.value) == "the link is invalid or has expired; ask for a new one"


def test_a_pin_token_does_not_set_a_password_nor_the_other_way_round() -> None:
    world = make_world(
        policy=SecurityPolicy(app_url=APP_URL, pin=PinPolicy(delivery=PinDelivery.EMAIL_LINK))
    )
    world.service.reset_pin(world.principal("u-gerente"), "u-ana")
    (link,) = world.mailer.outbox
    pin_token = token_in(link, "novo-pin")
    with pytest.raises(
        InvalidToken, match=r"^the link is invalid or has expired; ask for a new one$"
    ):
        world.service.reset_password(pin_token, "a nova senha da ana")
    password_token = recovery_token(world)
    with pytest.raises(
        InvalidToken, match=r"^the link is invalid or has expired; ask for a new one$"
    ):
        world.service.set_pin(password_token, "307519")
    world.service.set_pin(pin_token, "307519")


def test_recovery_is_rate_limited_per_account(world: World) -> None:
    for _ in range(5):
        world.service.request_password_recovery(ANA)
        world.service.request_password_recovery("bruno@example.com")
        world.clock.advance(timedelta(minutes=1))
    to = [m.to.address for m in world.mailer.outbox]
    assert to.count(ANA) == 3  # default: 3 an hour
    assert to.count("bruno@example.com") == 3
    world.clock.set(START + timedelta(hours=1, seconds=1))
    world.service.request_password_recovery(ANA)
    assert [m.to.address for m in world.mailer.outbox].count(ANA) == 4


def test_a_custom_rate_limit() -> None:
    limit = RecoveryRateLimit(max_requests=1, per=timedelta(minutes=10))
    world = make_world(policy=SecurityPolicy(app_url=APP_URL, recovery_limit=limit))
    first = recovery_token(world)
    world.service.request_password_recovery(ANA)
    assert len(world.mailer.outbox) == 1  # refused silently: the first token still works
    world.service.reset_password(first, "a nova senha da ana")


def test_the_new_password_follows_the_policy_and_a_refused_one_changes_nothing(
    world: World,
) -> None:
    token = recovery_token(world)
    before = world.snapshot()
    for bad in ("curta", "", "x" * 129, "senha123", "PASSWORD", "12345678"):
        with pytest.raises(ValidationError) as info:
            world.service.reset_password(token, bad)
        assert info.value.value == REDACTED
        assert world.snapshot() == before
    with pytest.raises(ValidationError, match=r"^password must be a string"):
        world.service.reset_password(token, 12345678)  # type: ignore[arg-type]
    # no composition rules: lower-case words are fine, and 128 characters too
    world.service.reset_password(token, "a" * 120 + " bcdefg")


def test_using_the_token_clears_failures_and_new_password_required_without_logging_in(
    world: World,
) -> None:
    for _ in range(3):
        refused(world, ANA, "errada", ANA_PIN)
    with world.uow() as uow:
        ana = uow.accounts.get("u-ana")
        uow.accounts.save(
            attrs.evolve(ana, state=attrs.evolve(ana.state, must_change_password=True))
        )
    assert world.service.reset_password(recovery_token(world), "a nova senha da ana") is None
    assert world.account("u-ana").state == AccountState()
    assert not HASHER.verify(world.account("u-ana").password_hash, ANA_PASSWORD)


def test_recovery_does_not_unlock_a_locked_account(world: World) -> None:
    _lock(world)
    world.service.reset_password(recovery_token(world), "a nova senha da ana")
    assert world.account("u-ana").state == AccountState(failures=0, locked=True)
    assert refused(world, ANA, "a nova senha da ana", ANA_PIN) == "locked"


def test_a_deactivated_sellers_outstanding_link_stops_working(world: World) -> None:
    token = recovery_token(world)
    world.service.deactivate_seller(
        world.principal("u-gerente"), "V01", None, as_of=date(2026, 5, 4)
    )
    with pytest.raises(
        InvalidToken, match=r"^the link is invalid or has expired; ask for a new one$"
    ):
        world.service.reset_password(token, "a nova senha da ana")


def test_a_mailer_error_during_recovery_is_logged_not_raised(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken:
        def send(self, message: Message) -> None:
            raise smtplib.SMTPServerDisconnected("the server went away")

    world = make_world(mailer=Broken(), token_bytes=lambda n: bytes([9]) * n)
    with caplog.at_level(logging.DEBUG):
        assert world.service.request_password_recovery(ANA) is None
    assert "u-ana" in caplog.text
    assert "SMTPServerDisconnected" in caplog.text
    assert ANA not in caplog.text
    with world.uow() as uow:  # the token was committed before the e-mail was tried
        assert uow.tokens.newest("u-ana", TokenPurpose.PASSWORD) is not None


# PIN reset ("resetar o código PIN [...] você receberá o novo código em seu e-mail") ------------


def test_the_manager_resets_a_pin_and_only_the_seller_gets_it(world: World) -> None:
    world.service.reset_pin(world.principal("u-gerente"), "u-ana")
    (message,) = world.mailer.outbox
    assert (message.to.address, message.kind) == (ANA, MessageKind.NEW_PIN)
    pin = pin_in(message)
    assert check_pin_format(pin, PinPolicy())
    assert not is_trivial_pin(pin)
    assert pin != ANA_PIN
    # the old PIN stops working at once, the new one works
    assert refused(world, ANA, ANA_PASSWORD, ANA_PIN) == "wrong_credentials"
    assert world.service.login(ANA, ANA_PASSWORD, pin).account_id == "u-ana"
    assert pin not in world.stored_text()
    assert HASHER.verify(world.account("u-ana").pin_hash, pin)
    entry = world.audit()[-1]
    assert (entry.actor, entry.action.value, entry.outcome) == (
        "u-gerente",
        "reset_pin",
        Outcome.ALLOWED,
    )
    assert pin not in entry.detail


class _ScriptedRandom(random.Random):
    """Draws the scripted digits first, then carries on as a seeded Random."""

    def __init__(self, digits: str) -> None:
        super().__init__(1)
        self.script = [int(d) for d in digits]

    def randrange(self, *args: Any, **kwargs: Any) -> int:
        if self.script:
            return self.script.pop(0)
        return super().randrange(*args, **kwargs)


def test_a_reset_pin_is_never_trivial() -> None:
    world = make_world(rng=_ScriptedRandom("000000" + "123456" + "121212" + "307519"))
    world.service.reset_pin(world.principal("u-gerente"), "u-ana")
    assert pin_in(world.mailer.outbox[0]) == "307519"


@pytest.mark.parametrize("length", [4, 8])
def test_the_pin_has_the_brands_length(length: int) -> None:
    world = make_world(policy=SecurityPolicy(app_url=APP_URL, pin=PinPolicy(length=length)))
    world.service.reset_pin(world.principal("u-admin"), "u-carla")
    assert len(pin_in(world.mailer.outbox[0])) == length


def test_the_same_seed_draws_the_same_pin() -> None:
    pins = []
    for seed in (7, 7, 8):
        world = make_world(rng=random.Random(seed))
        world.service.reset_pin(world.principal("u-gerente"), "u-ana")
        pins.append(pin_in(world.mailer.outbox[0]))
    assert pins[0] == pins[1] != pins[2]


def test_email_link_delivery_sends_a_single_use_link_and_no_pin() -> None:
    world = make_world(
        policy=SecurityPolicy(app_url=APP_URL, pin=PinPolicy(delivery=PinDelivery.EMAIL_LINK))
    )
    world.service.reset_pin(world.principal("u-gerente"), "u-ana")
    (message,) = world.mailer.outbox
    assert (message.to.address, message.kind) == (ANA, MessageKind.PIN_LINK)
    assert not re.search(r"\d{4,}", message.body.replace(token_in(message, "novo-pin"), ""))
    token = token_in(message, "novo-pin")
    assert world.account("u-ana").pin_hash is None  # the old PIN stopped working at once
    assert refused(world, ANA, ANA_PASSWORD, ANA_PIN) == "wrong_credentials"
    for bad in ("123456", "000000", "12a456", "1234", "1234567"):
        with pytest.raises(ValidationError) as info:
            world.service.set_pin(token, bad)
        assert info.value.value == REDACTED
    assert world.account("u-ana").pin_hash is None  # refused PINs changed nothing
    world.service.set_pin(token, "307519")
    with pytest.raises(
        InvalidToken, match=r"^the link is invalid or has expired; ask for a new one$"
    ):
        world.service.set_pin(token, "418620")
    assert world.service.login(ANA, ANA_PASSWORD, "307519").account_id == "u-ana"
    assert "307519" not in world.stored_text()


@pytest.mark.parametrize(
    ("actor", "account_id", "error"),
    [
        ("u-gerente2", "u-ana", PermissionDenied),
        ("u-gerente", "u-carla", PermissionDenied),
        ("u-gerente", "u-gerente", PermissionDenied),
        ("u-ana", "u-ana", PermissionDenied),
        ("u-bruno", "u-ana", PermissionDenied),
        ("u-admin", "u-ninguem", NotFound),
    ],
)
def test_a_refused_pin_reset_changes_nothing_and_sends_nothing(
    world: World, actor: str, account_id: str, error: type[OtocoreError]
) -> None:
    before = world.snapshot()
    with pytest.raises(error):
        world.service.reset_pin(world.principal(actor), account_id)
    assert world.snapshot() == before
    assert world.mailer.outbox == []
    (entry,) = world.audit()
    assert entry.outcome is (Outcome.FAILED if error is NotFound else Outcome.DENIED)


def test_an_inactive_account_gets_no_new_pin(world: World) -> None:
    with world.uow() as uow:
        uow.sellers.add(attrs.evolve(uow.sellers.get("V01"), status=SellerStatus.INACTIVE))
    before = world.snapshot()
    with pytest.raises(RuleViolation, match="inactive"):
        world.service.reset_pin(world.principal("u-gerente"), "u-ana")
    assert world.snapshot() == before
    assert world.mailer.outbox == []
    assert world.audit()[-1].outcome is Outcome.FAILED


# e-mail only after the commit; secrets never stored ----------------------------------------


class _CommittedStateMailer:
    """From inside send(), opens a new unit of work and checks that the change is committed."""

    def __init__(self, db: Any) -> None:
        self.db = db  # anything with unit_of_work(): the in-memory or an SQL database
        self.checked: list[MessageKind] = []
        self.problems: list[str] = []

    def send(self, message: Message) -> None:
        with self.db.unit_of_work() as uow:
            account = uow.accounts.find_by_email(message.to)
            assert account is not None
            if message.kind is MessageKind.NEW_PIN:
                ok = HASHER.verify(account.pin_hash, pin_in(message))
            else:
                page = "novo-pin" if message.kind is MessageKind.PIN_LINK else "nova-senha"
                found = uow.tokens.find(hash_token(token_in(message, page)))
                ok = found is not None and found.account_id == account.account_id
        if not ok:
            self.problems.append(f"{message.kind.value}: not committed when sent")
        self.checked.append(message.kind)


@pytest.mark.parametrize("delivery", list(PinDelivery))
def test_the_mailer_is_called_only_after_the_commit(delivery: PinDelivery) -> None:
    db = InMemoryDatabase()
    mailer = _CommittedStateMailer(db)
    world = make_world(
        db=db,
        mailer=mailer,
        policy=SecurityPolicy(app_url=APP_URL, pin=PinPolicy(delivery=delivery)),
    )
    world.service.reset_pin(world.principal("u-gerente"), "u-ana")
    world.service.request_password_recovery("bruno@example.com")
    world.service.create_account(
        world.principal("u-gerente"),
        email="eva@example.com",
        roles=[Role.SELLER],
        seller_code="V05",
    )
    pin_kind = MessageKind.NEW_PIN if delivery is PinDelivery.EMAIL_PIN else MessageKind.PIN_LINK
    assert mailer.checked == [
        pin_kind,
        MessageKind.PASSWORD_RECOVERY,
        MessageKind.WELCOME,
        pin_kind,
    ]
    assert mailer.problems == []


def test_a_mailer_error_after_a_pin_reset_is_raised_and_the_new_pin_stays() -> None:
    class Broken:
        def send(self, message: Message) -> None:
            raise ConnectionRefusedError("nobody listens")

    world = make_world(mailer=Broken())
    with pytest.raises(ConnectionRefusedError):
        world.service.reset_pin(world.principal("u-gerente"), "u-ana")
    assert refused(world, ANA, ANA_PASSWORD, ANA_PIN) == "wrong_credentials"  # PIN replaced
    assert world.audit()[-1].outcome is Outcome.ALLOWED


def test_no_secret_is_stored_logged_or_shown_in_a_repr(caplog: pytest.LogCaptureFixture) -> None:
    world = make_world(
        policy=SecurityPolicy(app_url=APP_URL, pin=PinPolicy(delivery=PinDelivery.EMAIL_PIN))
    )
    gerente = world.principal("u-gerente")
    with caplog.at_level(logging.DEBUG):
        world.service.create_account(
            gerente, email="eva@example.com", roles=[Role.SELLER], seller_code="V05"
        )
        welcome, first_pin = world.mailer.outbox
        world.service.reset_password(token_in(welcome, "nova-senha"), "a senha da eva")
        world.service.login("eva@example.com", "a senha da eva", pin_in(first_pin))
        world.service.reset_pin(gerente, "u-ana")
        world.service.request_password_recovery(ANA)
        refused(world, ANA, "uma senha errada", "000000")
    secrets_seen = {"a senha da eva", "uma senha errada", ANA_PASSWORD}
    for message in world.mailer.outbox:
        if message.kind is MessageKind.NEW_PIN:
            secrets_seen.add(pin_in(message))
        else:
            secrets_seen.add(token_in(message, "nova-senha"))
        assert message.body not in repr(message)
    stored = world.stored_text()
    for secret in secrets_seen:
        assert secret not in stored
        assert secret not in caplog.text
        assert hash_token(secret) not in caplog.text
    assert "$argon2" not in caplog.text
    assert "@example.com" not in caplog.text  # log lines name account ids, not addresses
    assert "argon2" not in repr(world.account("u-ana"))


# create accounts ("Usuários e permissões": Novo Usuário) --------------------------------


def test_an_admin_creates_a_manager_who_gets_a_welcome_link_and_a_pin(world: World) -> None:
    account = world.service.create_account(
        world.principal("u-admin"),
        email=" Nova.Gerente@Example.com",
        roles=[Role.STORE_MANAGER],
        store_id="L02",
    )
    assert account.email.address == "nova.gerente@example.com"
    assert (account.roles, account.store_id) == (frozenset({Role.STORE_MANAGER}), "L02")
    assert account.password_hash is None
    assert account.state == AccountState(must_change_password=True)
    assert world.account(account.account_id) == account
    welcome, pin_message = world.mailer.outbox
    assert {welcome.to.address, pin_message.to.address} == {"nova.gerente@example.com"}
    assert (welcome.kind, pin_message.kind) == (MessageKind.WELCOME, MessageKind.NEW_PIN)
    # until the welcome link is used, login asks for a new password
    pin = pin_in(pin_message)
    assert refused(world, "nova.gerente@example.com", "qualquer", pin) == "new_password_required"
    world.service.reset_password(token_in(welcome, "nova-senha"), "senha da nova gerente")
    principal = world.service.login("nova.gerente@example.com", "senha da nova gerente", pin)
    assert principal.store_id == "L02"
    (entry,) = world.audit()
    assert (entry.actor, entry.action.value, entry.outcome) == (
        "u-admin",
        "create_user",
        Outcome.ALLOWED,
    )
    assert (entry.target.store_id, entry.target.account_id) == ("L02", account.account_id)


def test_a_manager_creates_a_seller_of_its_store_and_the_store_comes_from_the_seller(
    world: World,
) -> None:
    account = world.service.create_account(
        world.principal("u-gerente"),
        email="eva@example.com",
        roles=[Role.SELLER],
        seller_code="V05",
    )
    assert (account.seller_code, account.store_id) == ("V05", "L01")
    assert re.fullmatch(r"u-[0-9a-f]{16}", account.account_id)


def test_account_ids_come_from_the_rng_or_the_caller() -> None:
    ids = []
    for seed in (1, 1, 2):
        world = make_world(rng=random.Random(seed))
        ids.append(
            world.service.create_account(
                world.principal("u-admin"), email="x@example.com", roles=[Role.CALL_CENTER]
            ).account_id
        )
    assert ids[0] == ids[1] != ids[2]
    world = make_world()
    given = world.service.create_account(
        world.principal("u-admin"),
        email="x@example.com",
        roles=[Role.CALL_CENTER],
        account_id="u-x",
    )
    assert given.account_id == "u-x"


@pytest.mark.parametrize(
    ("actor", "kwargs", "error", "outcome"),
    [
        # a manager acts within its own store only
        ("u-gerente", {"roles": [Role.SELLER], "seller_code": "V03"}, PermissionDenied, Outcome.DENIED),
        ("u-gerente", {"roles": [Role.STORE_MANAGER], "store_id": "L02"}, PermissionDenied, Outcome.DENIED),
        # and grants only SELLER
        ("u-gerente", {"roles": [Role.STORE_MANAGER], "store_id": "L01"}, PermissionDenied, Outcome.DENIED),
        ("u-gerente", {"roles": [Role.BRAND_ADMIN]}, PermissionDenied, Outcome.DENIED),
        ("u-gerente", {"roles": [Role.SELLER, Role.ORDER_APPROVER], "seller_code": "V05"}, PermissionDenied, Outcome.DENIED),
        # sellers and call-center operators create no one
        ("u-ana", {"roles": [Role.SELLER], "seller_code": "V05"}, PermissionDenied, Outcome.DENIED),
        ("u-tele", {"roles": [Role.CALL_CENTER]}, PermissionDenied, Outcome.DENIED),
        # unknown seller or store
        ("u-admin", {"roles": [Role.SELLER], "seller_code": "V99"}, NotFound, Outcome.FAILED),
        ("u-admin", {"roles": [Role.STORE_MANAGER], "store_id": "L99"}, NotFound, Outcome.FAILED),
        # a seller of another store, an inactive one, one with an account already
        ("u-admin", {"roles": [Role.SELLER], "seller_code": "V03", "store_id": "L01"}, RuleViolation, Outcome.FAILED),
        ("u-admin", {"roles": [Role.SELLER], "seller_code": "V04"}, RuleViolation, Outcome.FAILED),
        ("u-gerente", {"roles": [Role.SELLER], "seller_code": "V01"}, RuleViolation, Outcome.FAILED),
        # an id or e-mail taken (case variants are one e-mail)
        ("u-admin", {"roles": [Role.CALL_CENTER], "account_id": "u-ana"}, RuleViolation, Outcome.FAILED),
        ("u-admin", {"roles": [Role.CALL_CENTER], "email": "ANA.SOUZA@example.com"}, RuleViolation, Outcome.FAILED),
    ],
)  # fmt: skip
def test_a_refused_creation_changes_nothing_but_the_audit_log(
    world: World,
    actor: str,
    kwargs: dict[str, Any],
    error: type[OtocoreError],
    outcome: Outcome,
) -> None:
    before = world.snapshot()
    arguments = {"email": "nova@example.com", **kwargs}
    with pytest.raises(error):
        world.service.create_account(world.principal(actor), **arguments)
    assert world.snapshot() == before
    assert world.mailer.outbox == []
    (entry,) = world.audit()
    assert (entry.actor, entry.action.value, entry.outcome) == (actor, "create_user", outcome)
    assert verify_audit_log(world.audit()).ok


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"email": "não é e-mail", "roles": [Role.CALL_CENTER]}, "email is not a valid e-mail"),
        ({"email": "", "roles": [Role.CALL_CENTER]}, "email is not a valid e-mail"),
        ({"email": 42, "roles": [Role.CALL_CENTER]}, "^email must be a string"),
        ({"email": "x@example.com", "roles": []}, "^roles must not be empty"),
        ({"email": "x@example.com", "roles": "seller"}, "^roles must be a set of Role"),
        ({"email": "x@example.com", "roles": ["seller"]}, "^roles must be a Role"),
        (
            {"email": "x@example.com", "roles": [Role.SELLER]},
            "^seller_code must be set for a SELLER",
        ),
        (
            {"email": "x@example.com", "roles": [Role.STORE_MANAGER]},
            "^store_id must be set for a STORE_MANAGER",
        ),
        (
            {"email": "x@example.com", "roles": [Role.CALL_CENTER], "store_id": ""},
            "^store_id must not be empty",
        ),
        (
            {"email": "x@example.com", "roles": [Role.CALL_CENTER], "account_id": "a" * 101},
            "^account_id must be at most 100 characters",
        ),
        (
            {"email": "x@example.com", "roles": [Role.SELLER], "seller_code": "V\n01"},
            "^seller_code must not contain control characters",
        ),
    ],
)
def test_malformed_input_is_a_validation_error_and_changes_nothing_at_all(
    world: World, kwargs: dict[str, Any], says: str
) -> None:
    before = world.snapshot()
    with pytest.raises(ValidationError, match=says):
        world.service.create_account(world.principal("u-admin"), **kwargs)
    assert world.snapshot() == before
    assert world.audit() == []
    assert world.mailer.outbox == []


def test_the_actor_must_be_a_principal(world: World) -> None:
    with pytest.raises(ValidationError, match=r"^actor must be a Principal, got 'u-admin'"):
        world.service.unlock("u-admin", "u-ana")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^actor must be a Principal, got None"):
        world.service.activate_seller(None, "V01")  # type: ignore[arg-type]
    assert world.audit() == []


# the first brand admin ---------------------------------------------------------------


def test_the_first_admin_is_created_only_on_an_empty_brand() -> None:
    db = InMemoryDatabase()
    mailer = InMemoryMailer()
    service = AccountService(
        db.unit_of_work,
        mailer=mailer,
        clock=FixedClock(START),
        policy=SecurityPolicy(app_url=APP_URL),
        hasher=HASHER,
        rng=random.Random(1),
    )
    for password, pin in (
        ("curta", "482913"),
        ("senha123", "482913"),
        ("cavalo correto bateria grampo", "123456"),
        ("cavalo correto bateria grampo", "48291"),
        ("cavalo correto bateria grampo", "48291a"),
    ):
        with pytest.raises(ValidationError) as info:
            service.create_first_admin(email="admin@example.com", password=password, pin=pin)
        assert password not in str(info.value)
        assert pin not in str(info.value)
    with db.unit_of_work() as uow:
        assert uow.accounts.list() == []
        assert uow.audit.count() == 0
    admin = service.create_first_admin(
        email="Admin@Example.com", password=ADMIN_PASSWORD, pin="482913"
    )
    assert admin.roles == frozenset({Role.BRAND_ADMIN})
    assert admin.state == AccountState()
    assert service.login("admin@example.com", "cavalo correto bateria grampo", "482913")
    with pytest.raises(RuleViolation, match="already has 1 account"):
        service.create_first_admin(email="outro@example.com", password=ADMIN_PASSWORD, pin="482913")
    with db.unit_of_work() as uow:
        log = list(uow.audit.iter_all())
        assert len(uow.accounts.list()) == 1
    assert [(e.actor, e.action.value, e.outcome) for e in log] == [
        ("bootstrap", "create_user", Outcome.ALLOWED),
        ("bootstrap", "create_user", Outcome.FAILED),
    ]
    assert verify_audit_log(log).ok
    assert mailer.outbox == []


# seller management ("Gestão de Vendedores") -------------------------------------------------


def test_the_manager_deactivates_a_seller_and_redistributes_the_carteira(world: World) -> None:
    moved = world.service.deactivate_seller(
        world.principal("u-gerente"), "V01", ToSeller("V02"), as_of=date(2026, 5, 4)
    )
    assert moved == {"C1": "V02", "C2": "V02"}
    with world.uow() as uow:
        assert uow.sellers.get("V01").status is SellerStatus.INACTIVE
        assert uow.portfolio.get("C1").reason is AssignmentReason.MANUAL
    assert world.account("u-ana").state.active is False
    assert refused(world, ANA, ANA_PASSWORD, ANA_PIN) == "inactive"
    (entry,) = world.audit()
    assert (entry.actor, entry.action.value, entry.outcome) == (
        "u-gerente",
        "deactivate_seller",
        Outcome.ALLOWED,
    )
    assert (entry.target.store_id, entry.target.seller_code, entry.target.account_id) == (
        "L01",
        "V01",
        "u-ana",
    )
    assert entry.detail == "2 customers redistributed"
    world.service.activate_seller(world.principal("u-gerente"), "V01")
    assert world.account("u-ana").state.active is True
    assert world.service.login(ANA, ANA_PASSWORD, ANA_PIN).seller_code == "V01"
    assert [e.action.value for e in world.audit()] == ["deactivate_seller", "activate_seller"]


def test_balanced_redistribution_and_a_seller_without_account(world: World) -> None:
    moved = world.service.deactivate_seller(
        world.principal("u-admin"), "V02", Balanced(3), as_of=date(2026, 5, 4)
    )
    assert set(moved) == {"C3"}
    assert moved["C3"] in {"V01", "V05"}
    world.service.deactivate_seller(world.principal("u-admin"), "V05", None, as_of=date(2026, 5, 4))
    assert world.audit()[-1].target.account_id is None


@pytest.mark.parametrize(
    ("call", "error", "outcome"),
    [
        # a manager acting on another store's seller
        (lambda s, p: s.activate_seller(p("u-gerente"), "V04"), PermissionDenied, Outcome.DENIED),
        (lambda s, p: s.deactivate_seller(p("u-gerente"), "V03", None, as_of=date(2026, 5, 4)), PermissionDenied, Outcome.DENIED),
        (lambda s, p: s.deactivate_seller(p("u-gerente2"), "V01", ToSeller("V02"), as_of=date(2026, 5, 4)), PermissionDenied, Outcome.DENIED),
        # a seller manages no one
        (lambda s, p: s.deactivate_seller(p("u-bruno"), "V01", None, as_of=date(2026, 5, 4)), PermissionDenied, Outcome.DENIED),
        # unknown seller codes
        (lambda s, p: s.activate_seller(p("u-admin"), "V99"), NotFound, Outcome.FAILED),
        (lambda s, p: s.activate_seller(p("u-gerente"), "V99"), NotFound, Outcome.FAILED),
        (lambda s, p: s.deactivate_seller(p("u-gerente"), "V01", ToSeller("V99"), as_of=date(2026, 5, 4)), NotFound, Outcome.FAILED),
        # the work fails: a target of another store, an inactive target
        (lambda s, p: s.deactivate_seller(p("u-admin"), "V01", ToSeller("V03"), as_of=date(2026, 5, 4)), RuleViolation, Outcome.FAILED),
        (lambda s, p: s.deactivate_seller(p("u-admin"), "V03", ToSeller("V04"), as_of=date(2026, 5, 4)), RuleViolation, Outcome.FAILED),
    ],
)  # fmt: skip
def test_refused_seller_management_changes_nothing_but_the_audit_log(
    world: World, call: Any, error: type[OtocoreError], outcome: Outcome
) -> None:
    before = world.snapshot()
    with pytest.raises(error):
        call(world.service, world.principal)
    assert world.snapshot() == before
    (entry,) = world.audit()
    assert entry.outcome is outcome
    assert verify_audit_log(world.audit()).ok


def test_a_permission_denied_names_the_other_store(world: World) -> None:
    with pytest.raises(PermissionDenied) as info:
        world.service.activate_seller(world.principal("u-gerente"), "V04")
    assert "L02" in str(info.value)
    assert "store_manager u-gerente may not activate_seller" in str(info.value)


@pytest.mark.parametrize(
    ("call", "says"),
    [
        (lambda s, p: s.activate_seller(p, ""), "^code must not be empty"),
        (lambda s, p: s.activate_seller(p, 1), "^code must be a string"),
        (
            lambda s, p: s.deactivate_seller(p, "V01", "V02", as_of=date(2026, 5, 4)),
            "^target must be ToSeller, Balanced or None",
        ),
        (
            lambda s, p: s.deactivate_seller(
                p, "V01", None, as_of=datetime(2026, 5, 4, tzinfo=UTC)
            ),
            r"^as_of must be a datetime\.date \(a local calendar day\)",
        ),
        (
            lambda s, p: s.deactivate_seller(p, "V01", None, as_of="2026-05-04"),
            r"^as_of must be a datetime\.date \(a local calendar day\)",
        ),
        (lambda s, p: s.unlock(p, ""), "^account_id must not be empty"),
        (lambda s, p: s.reset_pin(p, None), "^account_id must be a string"),
    ],
)
def test_malformed_management_input_is_a_validation_error(
    world: World, call: Any, says: str
) -> None:
    before = world.snapshot()
    with pytest.raises(ValidationError, match=says):
        call(world.service, world.principal("u-admin"))
    assert world.snapshot() == before
    assert world.audit() == []


def test_the_audit_log_verifies_after_a_day_of_management(world: World) -> None:
    admin, gerente = world.principal("u-admin"), world.principal("u-gerente")
    calls = [
        lambda: world.service.reset_pin(gerente, "u-ana"),
        lambda: world.service.reset_pin(gerente, "u-carla"),
        lambda: world.service.unlock(gerente, "u-bruno"),
        lambda: world.service.unlock(admin, "u-ninguem"),
        lambda: world.service.deactivate_seller(gerente, "V02", ToSeller("V01"), as_of=date(2026, 5, 4)),
        lambda: world.service.activate_seller(gerente, "V04"),
        lambda: world.service.activate_seller(admin, "V04"),
        lambda: world.service.create_account(gerente, email="eva@example.com", roles=[Role.SELLER], seller_code="V05"),
    ]  # fmt: skip
    for call in calls:
        with contextlib.suppress(OtocoreError):
            call()
    log = world.audit()
    assert [e.outcome for e in log] == [
        Outcome.ALLOWED,
        Outcome.DENIED,
        Outcome.ALLOWED,
        Outcome.FAILED,
        Outcome.ALLOWED,
        Outcome.DENIED,
        Outcome.ALLOWED,
        Outcome.ALLOWED,
    ]
    assert verify_audit_log(log, tail_hash=log[-1].entry_hash).ok
    assert [e.sequence for e in log] == list(range(1, 9))
    assert all(e.at == START for e in log)


# the policy and the service's own arguments ---------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "https://app.example.com",
        "https://app.example.com/",
        "https://brand.example.com/oto",
        "https://app.example.com:8443",
        "http://localhost:8000",
        "http://127.0.0.1",
    ],
)
def test_accepted_app_urls(url: str) -> None:
    policy = SecurityPolicy(app_url=url)
    assert policy.app_url == url.rstrip("/")
    assert not policy.app_url.endswith("/")


@pytest.mark.parametrize(
    "url",
    [
        "http://app.example.com",  # clear text outside localhost
        "ftp://app.example.com",
        "app.example.com",
        "https://",
        "https://user:senha@app.example.com",
        "https://app.example.com/?x=1",
        "https://app.example.com/#frag",
        "https://app.example.com:99999",
        "https://app example.com",
        "",
        None,
        42,
    ],
)
def test_refused_app_urls(url: Any) -> None:
    with pytest.raises(ValidationError) as info:
        SecurityPolicy(app_url=url)
    assert info.value.field == "SecurityPolicy.app_url"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("token_ttl", timedelta(0)),
        ("token_ttl", timedelta(days=8)),
        ("token_ttl", 3600),
        ("lockout", 5),
        ("pin", "6"),
        ("password", None),
        ("recovery_limit", 3),
    ],
)
def test_refused_policy_values(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        SecurityPolicy(app_url=APP_URL, **{field: value})
    assert info.value.field == f"SecurityPolicy.{field}"


def test_the_policys_defaults() -> None:
    policy = SecurityPolicy(app_url=APP_URL)
    assert policy.lockout.max_failures == 5
    assert (policy.pin.length, policy.pin.delivery) == (6, PinDelivery.EMAIL_PIN)
    assert (policy.password.min_length, policy.password.max_length) == (8, 128)
    assert policy.token_ttl == timedelta(hours=1)
    assert policy.recovery_limit == RecoveryRateLimit(max_requests=3, per=timedelta(hours=1))


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("mailer", object()),
        ("clock", "now"),
        ("policy", {"app_url": APP_URL}),
        ("hasher", "argon2"),
        ("rng", 42),
        ("token_bytes", b"fixed"),
    ],
)
def test_the_services_arguments_are_checked(name: str, value: Any) -> None:
    arguments: dict[str, Any] = {
        "mailer": InMemoryMailer(),
        "clock": FixedClock(START),
        "policy": SecurityPolicy(app_url=APP_URL),
        name: value,
    }
    with pytest.raises(ValidationError) as info:
        AccountService(InMemoryDatabase().unit_of_work, **arguments)
    assert info.value.field == name


def test_the_service_needs_a_factory_of_units_of_work_not_one_unit() -> None:
    with pytest.raises(ValidationError, match=r"db\.unit_of_work, not db\.unit_of_work\(\)"):
        AccountService(
            InMemoryDatabase().unit_of_work(),  # type: ignore[arg-type]
            mailer=InMemoryMailer(),
            clock=FixedClock(START),
            policy=SecurityPolicy(app_url=APP_URL),
        )


def test_principal_for_reads_the_current_roles(world: World) -> None:
    assert world.service.principal_for("u-carla") == Principal(
        account_id="u-carla", roles={Role.SELLER}, store_id="L02", seller_code="V03"
    )
    with pytest.raises(NotFound, match=r"^Account 'u-ninguem' not found"):
        world.service.principal_for("u-ninguem")
    with pytest.raises(ValidationError, match=r"^account_id must not be empty"):
        world.service.principal_for("")


# the same story on SQLite (a file: two units of work may be open at once) ----------------


def test_the_whole_story_on_an_sqlite_file(tmp_path: Any) -> None:
    from otocore.adapters.sql import open_database

    with open_database(f"sqlite:///{tmp_path / 'brand.sqlite'}", upgrade=True) as db:
        with db.unit_of_work() as uow:
            uow.stores.add(Store(store_id="L01", name="Loja Centro"))
            uow.sellers.add(Seller(code="V01", name="Ana Souza", store_id="L01"))
        mailer = _CommittedStateMailer(db)
        outbox = InMemoryMailer()

        class Both:
            def send(self, message: Message) -> None:
                mailer.send(message)
                outbox.send(message)

        clock = FixedClock(START)
        service = AccountService(
            db.unit_of_work,
            mailer=Both(),
            clock=clock,
            policy=SecurityPolicy(app_url=APP_URL, lockout=LockoutPolicy(max_failures=3)),
            hasher=HASHER,
            rng=random.Random(5),
        )
        service.create_first_admin(email="admin@example.com", password=ADMIN_PASSWORD, pin="482913")
        admin = service.login("admin@example.com", ADMIN_PASSWORD, "482913")
        gerente = service.create_account(
            admin, email="gerente@example.com", roles=[Role.STORE_MANAGER], store_id="L01"
        )
        ana = service.create_account(
            service.principal_for(gerente.account_id),
            email=ANA,
            roles=[Role.SELLER],
            seller_code="V01",
        )
        welcome, first_pin = outbox.outbox[-2:]
        assert {welcome.to.address, first_pin.to.address} == {ANA}
        service.reset_password(token_in(welcome, "nova-senha"), ANA_PASSWORD)
        pin = pin_in(first_pin)
        assert service.login(ANA, ANA_PASSWORD, pin).seller_code == "V01"
        reasons = []
        for _ in range(4):
            with pytest.raises(AuthenticationFailed) as info:
                service.login(ANA, "errada", pin)
            reasons.append(info.value.reason)
        assert reasons == ["wrong_credentials", "wrong_credentials", "locked", "locked"]
        service.unlock(service.principal_for(gerente.account_id), ana.account_id)
        with pytest.raises(AuthenticationFailed, match="new password"):
            service.login(ANA, ANA_PASSWORD, pin)
        service.request_password_recovery(ANA)
        service.reset_password(token_in(outbox.outbox[-1], "nova-senha"), "a nova senha da ana")
        assert service.login(ANA, "a nova senha da ana", pin).account_id == ana.account_id
        assert mailer.problems == []
        assert mailer.checked == [
            MessageKind.WELCOME,
            MessageKind.NEW_PIN,
            MessageKind.WELCOME,
            MessageKind.NEW_PIN,
            MessageKind.PASSWORD_RECOVERY,
        ]
        with db.unit_of_work() as uow:
            log = list(uow.audit.iter_all())
        assert [(e.action.value, e.outcome) for e in log] == [
            ("create_user", Outcome.ALLOWED),
            ("create_user", Outcome.ALLOWED),
            ("create_user", Outcome.ALLOWED),
            ("unlock_account", Outcome.ALLOWED),
        ]
        assert verify_audit_log(log).ok
