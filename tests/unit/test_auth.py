"""Worked examples for otocore.auth, from the seed oto-faq.txt's wording."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from _support.builders import HASHER
from _support.builders import START as AT
from otocore.auth import (
    REDACTED,
    Account,
    AccountState,
    LockoutPolicy,
    LoginOutcome,
    PasswordPolicy,
    PinPolicy,
    RecoveryRateLimit,
    Role,
    SecretHasher,
    TokenCheck,
    after_password_reset,
    after_unlock,
    check_pin_format,
    check_token,
    default_common_passwords,
    is_trivial_pin,
    issue_token,
    login_decision,
    mark_used,
    new_pin,
    normalize_login_email,
)
from otocore.errors import ValidationError

POLICY = LockoutPolicy()


def _attempt(state: AccountState, *, password_ok: bool, pin_ok: bool = True):
    return login_decision(state, password_ok=password_ok, pin_ok=pin_ok, policy=POLICY)


# "Caso você erre a sua senha por um determinado número de vezes em sequência [...]
# o seu usuário será bloqueado."
def test_five_wrong_passwords_in_sequence_lock_the_account() -> None:
    state = AccountState()
    outcomes = []
    for _ in range(5):
        outcome, state = _attempt(state, password_ok=False)
        outcomes.append(outcome)
    assert outcomes == [LoginOutcome.WRONG_CREDENTIALS] * 4 + [LoginOutcome.LOCKED]
    assert state.locked
    assert state.failures == 5


def test_a_locked_account_answers_locked_to_right_and_wrong_credentials_alike() -> None:
    locked = AccountState(failures=5, locked=True)
    right = _attempt(locked, password_ok=True)
    wrong = _attempt(locked, password_ok=False)
    assert right == (LoginOutcome.LOCKED, locked)
    assert wrong == (LoginOutcome.LOCKED, locked)


def test_four_wrong_then_right_resets_the_sequence() -> None:
    state = AccountState()
    for _ in range(4):
        _, state = _attempt(state, password_ok=False)
    outcome, state = _attempt(state, password_ok=True)
    assert outcome is LoginOutcome.SUCCESS
    assert state.failures == 0
    for _ in range(4):
        outcome, state = _attempt(state, password_ok=False)
    assert outcome is LoginOutcome.WRONG_CREDENTIALS
    assert not state.locked


def test_a_wrong_pin_counts_like_a_wrong_password() -> None:
    state = AccountState()
    for _ in range(5):
        _, state = _attempt(state, password_ok=True, pin_ok=False)
    assert state.locked


def test_the_limit_is_the_brands_choice() -> None:
    policy = LockoutPolicy(max_failures=1)
    outcome, state = login_decision(AccountState(), password_ok=False, pin_ok=False, policy=policy)
    assert outcome is LoginOutcome.LOCKED
    assert state.locked
    with pytest.raises(
        ValidationError, match=r"^LockoutPolicy\.max_failures must be <= 100, got 101$"
    ):
        LockoutPolicy(max_failures=101)


# "Após o desbloqueio é preciso gerar uma nova senha para o seu usuário."
def test_unlock_then_new_password_required_then_recovery_clears_it() -> None:
    locked = AccountState(failures=5, locked=True)
    unlocked = after_unlock(locked)
    assert not unlocked.locked
    assert unlocked.failures == 0
    outcome, same = _attempt(unlocked, password_ok=True)
    assert outcome is LoginOutcome.NEW_PASSWORD_REQUIRED
    assert same == unlocked
    assert _attempt(unlocked, password_ok=False)[0] is LoginOutcome.NEW_PASSWORD_REQUIRED
    recovered = after_password_reset(unlocked)
    assert _attempt(recovered, password_ok=True) == (LoginOutcome.SUCCESS, recovered)


def test_password_reset_does_not_unlock() -> None:
    state = after_password_reset(AccountState(failures=5, locked=True))
    assert state.locked
    assert _attempt(state, password_ok=True)[0] is LoginOutcome.LOCKED


def test_an_inactive_account_is_inactive_whatever_the_credentials() -> None:
    inactive = AccountState(active=False, failures=2)
    assert _attempt(inactive, password_ok=True) == (LoginOutcome.INACTIVE, inactive)
    assert _attempt(inactive, password_ok=False) == (LoginOutcome.INACTIVE, inactive)


def test_login_decision_refuses_non_bool_answers() -> None:
    with pytest.raises(
        ValidationError, match=r"^login_decision\.password_ok must be a bool, got 1$"
    ):
        login_decision(AccountState(), password_ok=1, pin_ok=True, policy=POLICY)  # type: ignore[arg-type]


# Hashing ----------------------------------------------------------------------


def test_hash_verifies_only_the_same_secret_and_is_salted() -> None:
    first = HASHER.hash("Vendedora#Ana")
    second = HASHER.hash("Vendedora#Ana")
    assert first != second
    assert first.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert HASHER.verify(first, "Vendedora#Ana")
    assert HASHER.verify(second, "Vendedora#Ana")
    assert not HASHER.verify(first, "vendedora#ana")
    assert not HASHER.verify(first, "")
    assert not HASHER.verify("$argon2id$garbage", "Vendedora#Ana")


def test_default_hasher_meets_owasp_minimum_and_flags_older_hashes() -> None:
    strong = SecretHasher()
    assert (strong.memory_cost, strong.time_cost, strong.parallelism) == (19456, 2, 1)
    stored = strong.hash("123456")
    assert "$m=19456,t=2,p=1$" in stored
    assert not strong.needs_rehash(stored)
    old = HASHER.hash("123456")
    assert strong.needs_rehash(old)
    assert strong.verify(old, "123456")  # an older hash still verifies, then is re-hashed
    assert strong.needs_rehash("not a hash")


def test_unknown_accounts_cost_one_verification_and_never_match(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Not timed (timings belong in benchmarks/login.py): the same Argon2 work is one
    # verification against a hash made with the hasher's own parameters.
    import argon2

    strong = SecretHasher()
    verified: list[str] = []
    real_verify = argon2.PasswordHasher.verify

    def spy(self: argon2.PasswordHasher, hash: str, password: str | bytes) -> bool:
        verified.append(hash)
        return real_verify(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", spy)
    assert strong.verify_unknown("Vendedora#Ana") is False
    (dummy,) = verified
    used = argon2.extract_parameters(dummy)
    mine = argon2.extract_parameters(strong.hash("Vendedora#Ana"))
    assert (used.type, used.memory_cost, used.time_cost, used.parallelism) == (
        mine.type,
        mine.memory_cost,
        mine.time_cost,
        mine.parallelism,
    )
    assert (used.hash_len, used.salt_len) == (mine.hash_len, mine.salt_len)


def test_a_weak_hasher_needs_the_explicit_test_constructor() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^SecretHasher\.time_cost must be >= 2 \(OWASP minimum for Argon2id\), got 1$",
    ):
        SecretHasher(time_cost=1)
    with pytest.raises(
        ValidationError,
        match=r"^SecretHasher\.memory_cost must be >= 19456 KiB \(OWASP minimum for Argon2id\), got 19455$",
    ):
        SecretHasher(memory_cost=19455)


def test_unicode_variants_of_one_password_are_one_password() -> None:
    stored = HASHER.hash("coração-forte")  # composed
    assert HASHER.verify(stored, "corac\u0327a\u0303o-forte")  # decomposed


def test_hashing_a_non_string_is_refused_without_echoing_it() -> None:
    with pytest.raises(
        ValidationError, match=r"^secret must be a non-empty string, got '<redacted>'$"
    ) as info:
        HASHER.hash(123456)  # type: ignore[arg-type]
    assert "123456" not in str(info.value)
    assert info.value.value == REDACTED


# PINs -------------------------------------------------------------------------


@pytest.mark.parametrize("length", [4, 5, 6, 7, 8])
def test_new_pins_have_the_brands_length_and_are_never_trivial(length: int) -> None:
    policy = PinPolicy(length=length)
    rng = random.Random(length)
    pins = {new_pin(rng, policy) for _ in range(300)}
    assert all(check_pin_format(p, policy) for p in pins)
    assert not any(is_trivial_pin(p) for p in pins)
    assert len(pins) > 250  # random, not a fixed list


@pytest.mark.parametrize(
    "pin",
    [
        "000000",
        "999999",
        "123456",
        "654321",
        "234567",
        "890123",
        "109876",
        "121212",
        "123123",
        "1111",
        "1234",
        "4321",
        "1212",
        "12345678",
    ],
)
def test_trivial_pins(pin: str) -> None:
    assert is_trivial_pin(pin)


@pytest.mark.parametrize("pin", ["042917", "135790", "120000", "1235", "98765432"[::2] + "1234"])
def test_non_trivial_pins(pin: str) -> None:
    assert not is_trivial_pin(pin)


def test_new_pin_skips_trivial_draws() -> None:
    class Scripted(random.Random):
        def __init__(self, digits: str) -> None:
            super().__init__(0)
            self.digits = iter(int(d) for d in digits)

        def randrange(self, *args: object, **kwargs: object) -> int:  # type: ignore[override]
            return next(self.digits)

    assert new_pin(Scripted("123400008411"), PinPolicy(length=4)) == "8411"


def test_pin_format() -> None:
    policy = PinPolicy()
    assert check_pin_format("000123", policy)
    assert not check_pin_format("00012", policy)
    assert not check_pin_format("0001234", policy)
    assert not check_pin_format("00012a", policy)
    assert not check_pin_format("٠١٢٣٤٥", policy)  # Arabic-Indic digits are not ASCII digits
    assert not check_pin_format(None, policy)
    with pytest.raises(ValidationError, match=r"^PinPolicy\.length must be <= 8, got 9$"):
        PinPolicy(length=9)


# Passwords --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("password", "rule"),
    [
        ("", "must be at least 8 characters"),
        ("Ab1!xyz", "must be at least 8 characters"),
        ("x" * 129, "must be at most 128 characters"),
        ("qwerty123", "must not be a commonly used password"),
        ("SENHA123", "must not be a commonly used password"),
        ("Flamengo123", "must not be a commonly used password"),
    ],
)
def test_bad_new_passwords_are_refused_without_echoing_them(password: str, rule: str) -> None:
    with pytest.raises(ValidationError, match=f"^password {rule}, got '<redacted>'$") as info:
        PasswordPolicy().check_new_password(password)
    assert info.value.field == "password"
    assert info.value.value == REDACTED
    if password:
        assert password not in str(info.value)
        assert password not in repr(info.value)


def test_no_composition_rules() -> None:
    policy = PasswordPolicy()
    for ok in ("abcdefgz", "cavalo correto bateria", "x" * 128, "ÉÇÃÕ ção!"):
        policy.check_new_password(ok)


def test_brand_may_pass_its_own_common_list_and_lengths() -> None:
    policy = PasswordPolicy(min_length=12, common=frozenset({"LojaCentro2026"}))
    with pytest.raises(ValidationError, match=r"^password must not be a commonly used password"):
        policy.check_new_password("lojacentro2026")
    policy.check_new_password("password1234")  # not in the brand's own list
    with pytest.raises(ValidationError, match=r"^password must be at least 12 characters"):
        policy.check_new_password("abcdefghijk")
    with pytest.raises(ValidationError, match=r"^PasswordPolicy\.min_length must be >= 8, got 6$"):
        PasswordPolicy(min_length=6)
    with pytest.raises(
        ValidationError, match=r"^PasswordPolicy\.max_length must be >= min_length \(20\), got 10$"
    ):
        PasswordPolicy(min_length=20, max_length=10)


def test_bundled_common_list() -> None:
    common = default_common_passwords()
    assert len(common) >= 250
    assert {"123456789", "senha123", "qwerty123"} <= common
    assert "common" not in repr(PasswordPolicy())


# Recovery tokens --------------------------------------------------------------


def test_token_is_256_bits_urlsafe_and_stored_only_hashed() -> None:
    text, record = issue_token(now=AT)
    assert len(text) == 43
    assert set(text) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    assert text not in repr(record)
    assert record.token_hash != text
    assert record.expires_at == AT + timedelta(hours=1)
    other, _ = issue_token(now=AT)
    assert other != text


def test_token_lifecycle() -> None:
    text, record = issue_token(now=AT)
    soon = AT + timedelta(minutes=59)
    assert check_token(record, text, soon, newest=record) is TokenCheck.VALID
    assert check_token(record, text + "x", soon, newest=record) is TokenCheck.WRONG
    assert check_token(record, None, soon, newest=record) is TokenCheck.WRONG
    late = AT + timedelta(hours=1)
    assert check_token(record, text, late, newest=record) is TokenCheck.EXPIRED
    _, newer = issue_token(now=AT)  # same instant, still a newer token
    assert check_token(record, text, soon, newest=newer) is TokenCheck.SUPERSEDED
    used = mark_used(record, now=soon)
    assert check_token(used, text, soon, newest=used) is TokenCheck.USED


def test_token_ttl_and_random_source_are_checked() -> None:
    with pytest.raises(ValidationError, match=r"^issue_token\.ttl must be a positive timedelta"):
        issue_token(now=AT, ttl=timedelta(0))
    with pytest.raises(ValidationError, match=r"^issue_token\.rng_bytes must return 32 bytes"):
        issue_token(now=AT, rng_bytes=lambda n: bytes(n - 1))
    with pytest.raises(ValidationError, match=r"^issue_token\.now must be timezone-aware"):
        issue_token(now=datetime(2026, 5, 4, 9, 0))


def test_recovery_requests_are_rate_limited_per_window() -> None:
    limit = RecoveryRateLimit()
    three = [AT, AT + timedelta(minutes=10), AT + timedelta(minutes=20)]
    assert not limit.allowed(three, AT + timedelta(minutes=30))
    assert limit.allowed(three, AT + timedelta(hours=1))  # the first one left the window
    assert limit.allowed(three[:2], AT + timedelta(minutes=30))
    with pytest.raises(
        ValidationError, match=r"^RecoveryRateLimit\.per must be a positive timedelta"
    ):
        RecoveryRateLimit(per=timedelta(0))


# Accounts ---------------------------------------------------------------------


def test_login_email_case_and_spacing_variants_are_one_account() -> None:
    assert normalize_login_email(" Ana.Souza@Loja.COM.br ") == normalize_login_email(
        "ana.souza@loja.com.br"
    )
    with pytest.raises(ValidationError, match=r"^login\.email is not a valid e-mail address"):
        normalize_login_email("not-an-email")


def test_account_keeps_hashes_out_of_repr_and_checks_roles() -> None:
    password_hash = HASHER.hash("Vendedora#Ana")
    account = Account(
        account_id="A1",
        email=normalize_login_email("ana@loja.com.br"),
        roles=frozenset({Role.SELLER}),
        seller_code="V01",
        store_id="L01",
        password_hash=password_hash,
        pin_hash=HASHER.hash("042917"),
    )
    assert password_hash not in repr(account)
    assert "$argon2id$" not in repr(account)
    with pytest.raises(
        ValidationError, match=r"^Account\.store_id must be set for a STORE_MANAGER, got None$"
    ):
        Account(account_id="G1", email=account.email, roles=frozenset({Role.STORE_MANAGER}))
    with pytest.raises(ValidationError, match=r"^Account\.roles must not be empty"):
        Account(account_id="X", email=account.email, roles=frozenset())
    with pytest.raises(ValidationError, match=r"^Account\.roles must be a Role \("):
        Account(account_id="X", email=account.email, roles=frozenset({"seller"}))
    with pytest.raises(
        ValidationError,
        match=r"^Account\.password_hash must be an Argon2id hash or None, got '<redacted>'$",
    ) as info:
        Account(
            account_id="X",
            email=account.email,
            roles=frozenset({Role.BRAND_ADMIN}),
            password_hash="plain-text-password",  # noqa: S106
        )
    assert "plain-text-password" not in str(info.value)
    admin = Account(account_id="X", email=account.email, roles=frozenset({Role.BRAND_ADMIN}))
    assert admin.store_id is None
    assert admin.state == AccountState()


def test_auth_types_round_trip_through_json() -> None:
    import json

    from otocore.serialization import _auth as _hooks_auth
    from otocore.serialization import make_converter

    conv = make_converter()
    _hooks_auth.configure(conv)
    _, record = issue_token(now=AT)
    account = Account(
        account_id="A1",
        email=normalize_login_email("ana@loja.com.br"),
        roles=frozenset({Role.SELLER, Role.ORDER_APPROVER}),
        seller_code="V01",
        store_id="L01",
        password_hash=HASHER.hash("Vendedora#Ana"),
        state=AccountState(failures=2, must_change_password=True),
    )
    values = [
        account,
        record,
        mark_used(record, now=AT),
        LockoutPolicy(max_failures=7),
        PinPolicy(length=4),
        RecoveryRateLimit(max_requests=2, per=timedelta(minutes=30)),
        PasswordPolicy(min_length=10, common=frozenset({"LojaCentro2026"})),
    ]
    for value in values:
        text = json.dumps(conv.unstructure(value))
        assert conv.structure(json.loads(text), type(value)) == value
    assert json.loads(json.dumps(conv.unstructure(values[5]))) == {
        "max_requests": 2,
        "per_seconds": 1800.0,
    }
