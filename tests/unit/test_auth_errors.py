"""otocore.auth's errors say what they mean: the field path, the rule and the value (or '<redacted>').

One row per validation rule of the auth values, policies and functions, with the
whole message each one gives; then the boundaries and the malformed inputs that
once escaped as a builtin error.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import argon2
import pytest

from _support.builders import HASHER
from _support.builders import START as AT
from otocore.accounts import SecurityPolicy
from otocore.auth import (
    REDACTED,
    Account,
    AccountState,
    AccountToken,
    LockoutPolicy,
    LoginOutcome,
    PasswordPolicy,
    PinPolicy,
    RecoveryRateLimit,
    Role,
    SecretHasher,
    TokenCheck,
    TokenPurpose,
    TokenRecord,
    check_token,
    hash_token,
    is_trivial_pin,
    issue_token,
    login_decision,
    normalize_login_email,
)
from otocore.customers import Email
from otocore.errors import ValidationError

EMAIL = Email("ana@loja.com.br")
APP = "https://app.example.com"
NAIVE = datetime(2026, 5, 4, 9, 0)
_, RECORD = issue_token(now=AT, rng_bytes=bytes)
URL_RULE = (
    "must be an https:// address (http:// only for localhost or 127.0.0.1), "
    "without user, query or fragment"
)
LONG_URL = f"{APP}/{'a' * (2000 - len(APP))}"  # 2001 characters


def _account(**changes: object) -> Account:
    fields: dict[str, object] = {
        "account_id": "A1",
        "email": EMAIL,
        "roles": frozenset({Role.BRAND_ADMIN}),
    }
    return Account(**(fields | changes))  # type: ignore[arg-type]


def _policy(**changes: object) -> SecurityPolicy:
    return SecurityPolicy(**({"app_url": APP} | changes))  # type: ignore[arg-type]


CASES: list[tuple[str, Callable[[], object], str]] = [
    # accounts
    (
        "login-email",
        lambda: normalize_login_email("not-an-email"),
        "login.email is not a valid e-mail address (An email address must have an @-sign.),"
        " got 'not-an-email'",
    ),
    ("account-id", lambda: _account(account_id=""), "Account.account_id must not be empty, got ''"),
    (
        "account-email",
        lambda: _account(email="ana@loja.com.br"),
        "Account.email must be a Email, got 'ana@loja.com.br'",
    ),
    (
        "account-roles-str",
        lambda: _account(roles="seller"),
        "Account.roles must be a set of Role, got 'seller'",
    ),
    (
        "account-roles-empty",
        lambda: _account(roles=frozenset()),
        "Account.roles must not be empty, got frozenset()",
    ),
    (
        "account-roles-member",
        lambda: _account(roles={"seller"}),
        "Account.roles must be a Role ('seller', 'store_manager', 'brand_admin', 'call_center',"
        " 'order_approver'), got 'seller'",
    ),
    (
        "account-password-hash",
        lambda: _account(password_hash="$argon2i$v=19$m=8,t=1,p=1$c2FsdA$aGFzaA"),  # noqa: S106
        "Account.password_hash must be an Argon2id hash or None, got '<redacted>'",
    ),
    (
        "account-pin-hash",
        lambda: _account(pin_hash=123456),
        "Account.pin_hash must be an Argon2id hash or None, got '<redacted>'",
    ),
    (
        "account-seller-code",
        lambda: _account(roles={Role.SELLER}, store_id="L01"),
        "Account.seller_code must be set for a SELLER account, got None",
    ),
    (
        "account-seller-store",
        lambda: _account(roles={Role.SELLER}, seller_code="V01"),
        "Account.store_id must be set for a SELLER account, got None",
    ),
    (
        "account-manager-store",
        lambda: _account(roles={Role.STORE_MANAGER}),
        "Account.store_id must be set for a STORE_MANAGER, got None",
    ),
    (
        "account-state",
        lambda: _account(state=None),
        "Account.state must be a AccountState, got None",
    ),
    # lockout
    (
        "lockout-min",
        lambda: LockoutPolicy(max_failures=0),
        "LockoutPolicy.max_failures must be >= 1, got 0",
    ),
    (
        "lockout-max",
        lambda: LockoutPolicy(max_failures=101),
        "LockoutPolicy.max_failures must be <= 100, got 101",
    ),
    (
        "state-failures",
        lambda: AccountState(failures=-1),
        "AccountState.failures must be >= 0, got -1",
    ),
    ("state-locked", lambda: AccountState(locked=1), "AccountState.locked must be a bool, got 1"),
    (
        "state-must-change",
        lambda: AccountState(must_change_password=None),
        "AccountState.must_change_password must be a bool, got None",
    ),
    (
        "state-active",
        lambda: AccountState(active="yes"),
        "AccountState.active must be a bool, got 'yes'",
    ),
    (
        "decision-state",
        lambda: login_decision(None, password_ok=True, pin_ok=True, policy=LockoutPolicy()),  # type: ignore[arg-type]
        "login_decision.state must be an AccountState, got None",
    ),
    (
        "decision-policy",
        lambda: login_decision(AccountState(), password_ok=True, pin_ok=True, policy=5),  # type: ignore[arg-type]
        "login_decision.policy must be a LockoutPolicy, got 5",
    ),
    (
        "decision-password-ok",
        lambda: login_decision(AccountState(), password_ok=1, pin_ok=True, policy=LockoutPolicy()),  # type: ignore[arg-type]
        "login_decision.password_ok must be a bool, got 1",
    ),
    (
        "decision-pin-ok",
        lambda: login_decision(
            AccountState(), password_ok=True, pin_ok=None, policy=LockoutPolicy()
        ),  # type: ignore[arg-type]
        "login_decision.pin_ok must be a bool, got None",
    ),
    # passwords
    (
        "common-str",
        lambda: PasswordPolicy(common="senha123"),  # type: ignore[arg-type]
        "PasswordPolicy.common must be a set of strings, got 'senha123'",
    ),
    (
        "common-items",
        lambda: PasswordPolicy(common=["senha123", 123]),  # type: ignore[arg-type]
        "PasswordPolicy.common must contain only strings, got '<redacted>'",
    ),
    (
        "common-bytes",
        lambda: PasswordPolicy(common=b"senha123"),  # type: ignore[arg-type]
        "PasswordPolicy.common must contain only strings, got '<redacted>'",
    ),
    (
        "min-length-low",
        lambda: PasswordPolicy(min_length=7),
        "PasswordPolicy.min_length must be >= 8, got 7",
    ),
    (
        "min-length-high",
        lambda: PasswordPolicy(min_length=129),
        "PasswordPolicy.min_length must be <= 128, got 129",
    ),
    (
        "max-length-high",
        lambda: PasswordPolicy(max_length=1025),
        "PasswordPolicy.max_length must be <= 1024, got 1025",
    ),
    (
        "max-below-min",
        lambda: PasswordPolicy(min_length=20, max_length=19),
        "PasswordPolicy.max_length must be >= min_length (20), got 19",
    ),
    (
        "password-type",
        lambda: PasswordPolicy().check_new_password(12345678),
        "password must be a string, got '<redacted>'",
    ),
    (
        "password-surrogate",
        lambda: PasswordPolicy().check_new_password("senha forte \ud800"),
        "password must be valid Unicode text (no lone surrogates), got '<redacted>'",
    ),
    (
        "password-short",
        lambda: PasswordPolicy(min_length=10).check_new_password("abcdefghi"),
        "password must be at least 10 characters, got '<redacted>'",
    ),
    (
        "password-long",
        lambda: PasswordPolicy(max_length=10).check_new_password("abcdefghijk"),
        "password must be at most 10 characters, got '<redacted>'",
    ),
    (
        "password-common",
        lambda: PasswordPolicy().check_new_password("Senha123"),
        "password must not be a commonly used password, got '<redacted>'",
    ),
    # PINs
    ("pin-length-low", lambda: PinPolicy(length=3), "PinPolicy.length must be >= 4, got 3"),
    ("pin-length-high", lambda: PinPolicy(length=9), "PinPolicy.length must be <= 8, got 9"),
    (
        "pin-delivery",
        lambda: PinPolicy(delivery="email_pin"),  # type: ignore[arg-type]
        "PinPolicy.delivery must be a PinDelivery ('email_pin', 'email_link'), got 'email_pin'",
    ),
    (
        "trivial-not-digits",
        lambda: is_trivial_pin("12a4"),
        "pin must be a string of ASCII digits, got '<redacted>'",
    ),
    (
        "trivial-not-str",
        lambda: is_trivial_pin(1234),
        "pin must be a string of ASCII digits, got '<redacted>'",
    ),
    # hashing
    (
        "memory-low",
        lambda: SecretHasher(memory_cost=0),
        "SecretHasher.memory_cost must be >= 1, got 0",
    ),
    (
        "memory-high",
        lambda: SecretHasher(memory_cost=2**32),
        "SecretHasher.memory_cost must be <= 4294967295, got 4294967296",
    ),
    ("time-low", lambda: SecretHasher(time_cost=0), "SecretHasher.time_cost must be >= 1, got 0"),
    (
        "time-high",
        lambda: SecretHasher(time_cost=2**32),
        "SecretHasher.time_cost must be <= 4294967295, got 4294967296",
    ),
    (
        "parallelism-low",
        lambda: SecretHasher(parallelism=0),
        "SecretHasher.parallelism must be >= 1, got 0",
    ),
    (
        "parallelism-high",
        lambda: SecretHasher(parallelism=17),
        "SecretHasher.parallelism must be <= 16, got 17",
    ),
    (
        "insecure-flag",
        lambda: SecretHasher(insecure="no"),  # type: ignore[arg-type]
        "SecretHasher.insecure must be True or False, got 'no'",
    ),
    (
        "insecure-memory",
        lambda: SecretHasher(memory_cost=15, time_cost=1, parallelism=2, insecure=True),
        "SecretHasher.memory_cost must be >= 8 * parallelism, got 15",
    ),
    (
        "owasp-memory",
        lambda: SecretHasher(memory_cost=19455),
        "SecretHasher.memory_cost must be >= 19456 KiB (OWASP minimum for Argon2id), got 19455",
    ),
    (
        "owasp-time",
        lambda: SecretHasher(time_cost=1),
        "SecretHasher.time_cost must be >= 2 (OWASP minimum for Argon2id), got 1",
    ),
    (
        "secret-empty",
        lambda: HASHER.hash(""),
        "secret must be a non-empty string, got '<redacted>'",
    ),
    (
        "secret-surrogate",
        lambda: HASHER.hash("\ud800"),
        "secret must be valid Unicode text (no lone surrogates), got '<redacted>'",
    ),
    # the brand's security settings
    (
        "url-none",
        lambda: _policy(app_url=None),
        "SecurityPolicy.app_url must be a string, got None",
    ),
    ("url-empty", lambda: _policy(app_url="/"), "SecurityPolicy.app_url must not be empty, got ''"),
    (
        "url-long",
        lambda: _policy(app_url=LONG_URL),
        f"SecurityPolicy.app_url must be at most 2000 characters, got '{LONG_URL}'",
    ),
    *(
        (
            f"url-{name}",
            lambda url=url: _policy(app_url=url),
            f"SecurityPolicy.app_url {URL_RULE}, got '{url}'",
        )
        for name, url in [
            ("space", "https://app example.com"),
            ("port", "https://app.example.com:99999"),
            ("query", "https://app.example.com?x=1"),
            ("fragment", "https://app.example.com#x"),
            ("user", "https://ana@app.example.com"),
            ("no-host", "https:///caminho"),
            ("ftp", "ftp://app.example.com"),
            ("http", "http://app.example.com"),
        ]
    ),
    (
        "ttl-above-7-days",
        lambda: _policy(token_ttl=timedelta(days=7, microseconds=1)),
        "SecurityPolicy.token_ttl must be a timedelta above 0 and at most 7 days,"
        " got datetime.timedelta(days=7, microseconds=1)",
    ),
    (
        "ttl-zero",
        lambda: _policy(token_ttl=timedelta(0)),
        "SecurityPolicy.token_ttl must be a timedelta above 0 and at most 7 days,"
        " got datetime.timedelta(0)",
    ),
    (
        "ttl-int",
        lambda: _policy(token_ttl=3600),
        "SecurityPolicy.token_ttl must be a timedelta above 0 and at most 7 days, got 3600",
    ),
    (
        "policy-lockout",
        lambda: _policy(lockout=5),
        "SecurityPolicy.lockout must be a LockoutPolicy, got 5",
    ),
    ("policy-pin", lambda: _policy(pin=6), "SecurityPolicy.pin must be a PinPolicy, got 6"),
    (
        "policy-password",
        lambda: _policy(password=None),
        "SecurityPolicy.password must be a PasswordPolicy, got None",
    ),
    (
        "policy-recovery-limit",
        lambda: _policy(recovery_limit=3),
        "SecurityPolicy.recovery_limit must be a RecoveryRateLimit, got 3",
    ),
    # recovery tokens
    ("hash-token", lambda: hash_token(None), "token_text must be a string, got '<redacted>'"),
    (
        "record-hash",
        lambda: TokenRecord(token_hash="A" * 64, issued_at=AT, expires_at=AT + timedelta(hours=1)),
        "TokenRecord.token_hash must be a lowercase SHA-256 hex digest, got '<redacted>'",
    ),
    (
        "record-hash-short",
        lambda: TokenRecord(token_hash="abc", issued_at=AT, expires_at=AT + timedelta(hours=1)),  # noqa: S106
        "TokenRecord.token_hash must be a lowercase SHA-256 hex digest, got '<redacted>'",
    ),
    (
        "record-hash-not-hex",
        lambda: TokenRecord(token_hash="X" * 64, issued_at=AT, expires_at=AT + timedelta(hours=1)),
        "TokenRecord.token_hash must be a lowercase SHA-256 hex digest, got '<redacted>'",
    ),
    (
        "record-hash-none",
        lambda: TokenRecord(token_hash=None, issued_at=AT, expires_at=AT + timedelta(hours=1)),  # type: ignore[arg-type]
        "TokenRecord.token_hash must be a lowercase SHA-256 hex digest, got '<redacted>'",
    ),
    (
        "record-issued",
        lambda: TokenRecord(token_hash="a" * 64, issued_at=NAIVE, expires_at=AT),
        "TokenRecord.issued_at must be timezone-aware, got datetime.datetime(2026, 5, 4, 9, 0)",
    ),
    (
        "record-expires",
        lambda: TokenRecord(token_hash="a" * 64, issued_at=AT, expires_at=AT),
        "TokenRecord.expires_at must be after issued_at,"
        " got datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.timezone.utc)",
    ),
    (
        "record-used",
        lambda: TokenRecord(
            token_hash="a" * 64, issued_at=AT, expires_at=AT + timedelta(hours=1), used_at="x"
        ),
        "TokenRecord.used_at must be a timezone-aware datetime, got 'x'",
    ),
    (
        "issue-ttl",
        lambda: issue_token(now=AT, ttl=timedelta(0)),
        "issue_token.ttl must be a positive timedelta, got datetime.timedelta(0)",
    ),
    (
        "issue-ttl-past-9999",
        lambda: issue_token(now=datetime.max.replace(tzinfo=UTC), ttl=timedelta(seconds=1)),
        "issue_token.ttl must end before the year 10000 (now + ttl),"
        " got datetime.timedelta(seconds=1)",
    ),
    (
        "issue-rng",
        lambda: issue_token(now=AT, rng_bytes=lambda n: bytes(n - 1)),
        "issue_token.rng_bytes must return 32 bytes, got '<redacted>'",
    ),
    (
        "issue-rng-str",
        lambda: issue_token(now=AT, rng_bytes=lambda n: "x" * n),  # type: ignore[arg-type,return-value]
        "issue_token.rng_bytes must return 32 bytes, got '<redacted>'",
    ),
    (
        "issue-now",
        lambda: issue_token(now=NAIVE),
        "issue_token.now must be timezone-aware, got datetime.datetime(2026, 5, 4, 9, 0)",
    ),
    (
        "check-now",
        lambda: check_token(RECORD, "x", NAIVE, newest=RECORD),
        "check_token.now must be timezone-aware, got datetime.datetime(2026, 5, 4, 9, 0)",
    ),
    (
        "check-newest",
        lambda: check_token(RECORD, "x", AT, newest=5),  # type: ignore[arg-type]
        "check_token.newest must be a TokenRecord, got 5",
    ),
    (
        "account-token-id",
        lambda: AccountToken(account_id="", purpose=TokenPurpose.PIN, record=RECORD),
        "AccountToken.account_id must not be empty, got ''",
    ),
    (
        "account-token-purpose",
        lambda: AccountToken(account_id="A1", purpose="pin", record=RECORD),  # type: ignore[arg-type]
        "AccountToken.purpose must be a TokenPurpose ('password', 'pin'), got 'pin'",
    ),
    (
        "account-token-record",
        lambda: AccountToken(account_id="A1", purpose=TokenPurpose.PIN, record=None),  # type: ignore[arg-type]
        "AccountToken.record must be a TokenRecord, got None",
    ),
    (
        "limit-min",
        lambda: RecoveryRateLimit(max_requests=0),
        "RecoveryRateLimit.max_requests must be >= 1, got 0",
    ),
    (
        "limit-max",
        lambda: RecoveryRateLimit(max_requests=101),
        "RecoveryRateLimit.max_requests must be <= 100, got 101",
    ),
    (
        "limit-per",
        lambda: RecoveryRateLimit(per=timedelta(0)),
        "RecoveryRateLimit.per must be a positive timedelta, got datetime.timedelta(0)",
    ),
    (
        "limit-now",
        lambda: RecoveryRateLimit().allowed([], NAIVE),
        "RecoveryRateLimit.now must be timezone-aware, got datetime.datetime(2026, 5, 4, 9, 0)",
    ),
    (
        "limit-times",
        lambda: RecoveryRateLimit().allowed(AT, AT),  # type: ignore[arg-type]
        "RecoveryRateLimit.previous_request_times must be an iterable of timezone-aware"
        " datetimes, got datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.timezone.utc)",
    ),
    (
        "limit-time",
        lambda: RecoveryRateLimit().allowed([AT, NAIVE], AT),
        "RecoveryRateLimit.previous_request_times must be timezone-aware,"
        " got datetime.datetime(2026, 5, 4, 9, 0)",
    ),
]


@pytest.mark.parametrize(("build", "message"), [pytest.param(b, m, id=i) for i, b, m in CASES])
def test_each_error_names_the_field_the_rule_and_the_value(
    build: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValidationError, match=f"^{re.escape(message)}$") as info:
        build()
    assert info.value.field == message.split(" ", 1)[0]
    assert [e.field for e in info.value.errors] == [info.value.field]


def test_secret_bearing_errors_carry_the_redacted_marker() -> None:
    for _, build, message in CASES:
        if message.endswith(f"got '{REDACTED}'"):
            with pytest.raises(ValidationError) as info:
                build()
            assert info.value.value == REDACTED


# Boundaries ---------------------------------------------------------------------


def test_app_url_boundaries() -> None:
    at_limit = LONG_URL[:-1]
    assert len(at_limit) == 2000
    assert _policy(app_url=at_limit).app_url == at_limit
    # only slashes are dropped from the end, whatever the path ends with
    assert _policy(app_url=f"{APP}/loja-X/").app_url == f"{APP}/loja-X"
    assert _policy(app_url=f"{APP}//").app_url == APP
    for local in ["http://localhost:8080", "http://127.0.0.1", "http://[::1]:5000"]:
        assert _policy(app_url=local).app_url == local


def test_a_link_may_live_exactly_seven_days() -> None:
    assert _policy(token_ttl=timedelta(days=7)).token_ttl == timedelta(days=7)
    assert _policy(token_ttl=timedelta(microseconds=1)).token_ttl == timedelta(microseconds=1)


def test_test_hasher_parameters_and_the_insecure_memory_floor() -> None:
    fast = SecretHasher.insecure_for_tests()
    assert (fast.memory_cost, fast.time_cost, fast.parallelism) == (8, 1, 1)
    assert fast.hash("1234").startswith("$argon2id$v=19$m=8,t=1,p=1$")
    two = SecretHasher(memory_cost=16, time_cost=1, parallelism=2, insecure=True)
    assert two.hash("1234").startswith("$argon2id$v=19$m=16,t=1,p=2$")
    top = SecretHasher(memory_cost=2**32 - 1, time_cost=2**32 - 1, parallelism=16)
    assert (top.memory_cost, top.time_cost, top.parallelism) == (2**32 - 1, 2**32 - 1, 16)


def test_hashes_have_a_16_byte_salt_and_a_32_byte_hash() -> None:
    *_, salt, digest = HASHER.hash("1234").split("$")
    assert len(base64.b64decode(salt + "==")) == 16
    assert len(base64.b64decode(digest + "=")) == 32


def test_verify_is_false_for_an_empty_secret_or_a_hash_that_is_not_a_str() -> None:
    # argon2 itself would accept the empty password this hash was made from
    empty = argon2.PasswordHasher(memory_cost=8, time_cost=1, parallelism=1).hash("")
    assert HASHER.verify(empty, "") is False
    assert HASHER.verify(None, "1234") is False
    assert HASHER.verify(HASHER.hash("1234").encode(), "1234") is False
    assert HASHER.verify(HASHER.hash("1234"), 1234) is False


def test_needs_rehash_of_something_that_is_not_a_hash() -> None:
    assert HASHER.needs_rehash(None)
    assert HASHER.needs_rehash(12345)
    assert HASHER.needs_rehash("$argon2id$garbage")
    assert not HASHER.needs_rehash(HASHER.hash("1234"))


def test_a_pin_of_all_ten_digits_is_checked_not_refused() -> None:
    assert is_trivial_pin("0123456789")  # a run: still ASCII digits
    assert not is_trivial_pin("0192837465")
    assert not is_trivial_pin("")
    assert not is_trivial_pin("7")  # no shorter block to repeat, no run
    assert not is_trivial_pin("15")


# Malformed input that escaped as a builtin error ----------------------------------


def test_lone_surrogates_never_match_and_never_raise() -> None:
    # JSON's "\ud800" decodes to a lone surrogate, which no UTF-8 encoder takes
    stored = HASHER.hash("senha forte")
    assert HASHER.verify(stored, "senha forte \ud800") is False
    assert HASHER.verify("$argon2id$\ud800", "senha forte") is False
    assert HASHER.verify_unknown("\ud800") is False
    assert check_token(RECORD, "\ud800", AT, newest=RECORD) is TokenCheck.WRONG


def test_a_token_life_past_the_year_9999_is_refused_and_just_inside_is_kept() -> None:
    last = datetime.max.replace(tzinfo=UTC) - timedelta(hours=1)
    _, record = issue_token(now=last, ttl=timedelta(hours=1))
    assert record.expires_at == datetime.max.replace(tzinfo=UTC)
    with pytest.raises(ValidationError, match=r"^issue_token\.ttl must end before the year 10000"):
        issue_token(now=AT, ttl=timedelta.max)


def test_a_rate_limit_window_reaching_past_the_year_1_counts_every_request() -> None:
    first = datetime.min.replace(tzinfo=UTC)
    limit = RecoveryRateLimit(max_requests=2, per=timedelta(days=1))
    assert limit.allowed([first], first + timedelta(hours=1))
    assert not limit.allowed([first, first], first + timedelta(hours=1))
    huge = RecoveryRateLimit(max_requests=2, per=timedelta(days=999_999_999))
    assert not huge.allowed([first, AT], AT)
    assert huge.allowed([AT], AT)
    assert limit.allowed(iter([AT - timedelta(days=1)]), AT)  # any iterable, left the window
    assert not limit.allowed((AT, AT - timedelta(hours=23)), AT)


def test_hash_token_is_the_sha256_of_the_text() -> None:
    assert hash_token("abc") == ("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    # a lone surrogate is hashed as its surrogatepass bytes, never an error
    assert hash_token("\ud800") == hashlib.sha256(b"\xed\xa0\x80").hexdigest()


def test_login_decision_checks_its_arguments_before_the_state() -> None:
    # an inactive account answers INACTIVE, but a non-bool is refused first
    inactive = AccountState(active=False)
    assert login_decision(inactive, password_ok=True, pin_ok=True, policy=LockoutPolicy()) == (
        LoginOutcome.INACTIVE,
        inactive,
    )
    with pytest.raises(ValidationError, match=r"^login_decision\.pin_ok must be a bool"):
        login_decision(inactive, password_ok=True, pin_ok="yes", policy=LockoutPolicy())  # type: ignore[arg-type]
