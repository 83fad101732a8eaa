"""Acesso do vendedor (seller access): secrets, PINs, lockout and recovery tokens.

The pure core of login, from the seed ``oto-faq.txt`` ("Como acesso o Oto?",
"Esqueci a minha senha", "Esqueci o meu código PIN", "Meu usuário foi
bloqueado"): a seller signs in with the e-mail the brand registered, a
password and a personal PIN; "caso você erre a sua senha por um determinado
número de vezes em sequência [...] o seu usuário será bloqueado"; a manager
unlocks it and then the seller must set a new password through "esqueceu
senha". Nothing here reads storage, the clock or global randomness: the
service layer loads an :class:`Account`, calls these rules and saves the
result.

- Passwords and PINs are kept only as Argon2id hashes (:class:`SecretHasher`).
- :func:`login_decision` turns "was the password right? was the PIN right?"
  into a :class:`LoginOutcome` and the account's next :class:`AccountState`.
- Recovery tokens (:func:`issue_token`, :func:`check_token`) are 256-bit
  random strings stored only as a SHA-256 hash, single use, expiring.

No secret (password, PIN, token) ever appears in a ``repr``, a ``str`` or an
exception message: errors carry ``'<redacted>'`` as their value.

Five wrong tries lock the account (default policy):

>>> policy = LockoutPolicy()
>>> state = AccountState()
>>> for _ in range(4):
...     outcome, state = login_decision(state, password_ok=False, pin_ok=True, policy=policy)
>>> outcome, state.failures, state.locked
(<LoginOutcome.WRONG_CREDENTIALS: 'wrong_credentials'>, 4, False)
>>> outcome, state = login_decision(state, password_ok=False, pin_ok=True, policy=policy)
>>> outcome, state.locked
(<LoginOutcome.LOCKED: 'locked'>, True)
>>> login_decision(state, password_ok=True, pin_ok=True, policy=policy)[0]
<LoginOutcome.LOCKED: 'locked'>

A new password must pass the policy, and the error never shows it:

>>> PasswordPolicy().check_new_password("senha")
Traceback (most recent call last):
...
otocore.errors.ValidationError: password must be at least 8 characters, got '<redacted>'
"""

from __future__ import annotations

import base64
import enum
import functools
import hashlib
import hmac
import itertools
import random
import secrets
import unicodedata
import urllib.parse
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from importlib import resources
from typing import Any

import argon2
import attrs

from otocore import _validate as v
from otocore.customers import Email
from otocore.errors import ValidationError

__all__ = [
    "MIN_MEMORY_KIB",
    "MIN_TIME_COST",
    "REDACTED",
    "Account",
    "AccountState",
    "AccountToken",
    "LockoutPolicy",
    "LoginOutcome",
    "PasswordPolicy",
    "PinDelivery",
    "PinPolicy",
    "RecoveryRateLimit",
    "Role",
    "SecretHasher",
    "SecurityPolicy",
    "TokenCheck",
    "TokenPurpose",
    "TokenRecord",
    "after_failure",
    "after_password_reset",
    "after_success",
    "after_unlock",
    "check_pin_format",
    "check_token",
    "default_common_passwords",
    "hash_token",
    "is_trivial_pin",
    "issue_token",
    "login_decision",
    "mark_used",
    "new_pin",
    "normalize_login_email",
]

REDACTED = "<redacted>"
"""The value an error carries instead of a secret."""

MIN_MEMORY_KIB = 19456
"""OWASP's minimum Argon2id memory cost (19 MiB), in KiB."""

MIN_TIME_COST = 2
"""OWASP's minimum Argon2id iterations at :data:`MIN_MEMORY_KIB`."""


def _prepare(secret: str) -> str:
    # NIST SP 800-63B 5.1.1.2: normalise Unicode so one password typed on two
    # keyboards is one password. Digits (PINs) are unaffected.
    return unicodedata.normalize("NFKC", secret)


# Hashing ----------------------------------------------------------------------


_positive = v.integer(min_value=1)


@attrs.frozen(kw_only=True)
class SecretHasher:
    """Argon2id hashing of passwords and PINs (argon2-cffi).

    Defaults: ``memory_cost=19456`` KiB (19 MiB), ``time_cost=2``,
    ``parallelism=1``, 16-byte salt, 32-byte hash: OWASP's Password Storage
    Cheat Sheet minimum for Argon2id. The constructor refuses anything weaker;
    :meth:`insecure_for_tests` builds a cheap hasher for test suites only.

    Verification reads the parameters from the stored hash itself, so a hash
    made with older (or test) parameters still verifies, and
    :meth:`needs_rehash` says it should be replaced after the next successful
    login.

    >>> hasher = SecretHasher.insecure_for_tests()
    >>> stored = hasher.hash("correct horse")
    >>> stored.startswith("$argon2id$")
    True
    >>> hasher.verify(stored, "correct horse"), hasher.verify(stored, "wrong horse")
    (True, False)
    >>> SecretHasher().needs_rehash(stored)
    True
    >>> SecretHasher(memory_cost=1024)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SecretHasher.memory_cost must be >= 19456 KiB (OWASP minimum for Argon2id), got 1024
    """

    memory_cost: int = attrs.field(default=MIN_MEMORY_KIB, validator=_positive)
    time_cost: int = attrs.field(default=MIN_TIME_COST, validator=_positive)
    parallelism: int = attrs.field(default=1, validator=v.integer(min_value=1, max_value=16))
    insecure: bool = attrs.field(default=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.insecure:
            if self.memory_cost < 8 * self.parallelism:
                raise ValidationError(
                    "SecretHasher.memory_cost", self.memory_cost, "must be >= 8 * parallelism"
                )
            return
        if self.memory_cost < MIN_MEMORY_KIB:
            raise ValidationError(
                "SecretHasher.memory_cost",
                self.memory_cost,
                f"must be >= {MIN_MEMORY_KIB} KiB (OWASP minimum for Argon2id)",
            )
        if self.time_cost < MIN_TIME_COST:
            raise ValidationError(
                "SecretHasher.time_cost",
                self.time_cost,
                f"must be >= {MIN_TIME_COST} (OWASP minimum for Argon2id)",
            )

    @classmethod
    def insecure_for_tests(cls) -> SecretHasher:
        """A fast, weak hasher (8 KiB, 1 pass). Test suites only, never production.

        >>> SecretHasher.insecure_for_tests().memory_cost
        8
        """
        return cls(memory_cost=8, time_cost=1, parallelism=1, insecure=True)

    def _hasher(self) -> argon2.PasswordHasher:
        return argon2.PasswordHasher(
            time_cost=self.time_cost,
            memory_cost=self.memory_cost,
            parallelism=self.parallelism,
            hash_len=32,
            salt_len=16,
            type=argon2.Type.ID,
        )

    def hash(self, secret: str) -> str:
        """Hash a password or PIN with a fresh random salt.

        Args:
            secret: the password or PIN in clear.

        Returns:
            The encoded Argon2id hash (``$argon2id$v=19$m=...``).

        Raises:
            ValidationError: ``secret`` is not a non-empty string (value redacted).

        >>> SecretHasher.insecure_for_tests().hash("1234").count("$")
        5
        """
        if not isinstance(secret, str) or not secret:
            raise ValidationError("secret", REDACTED, "must be a non-empty string")
        return self._hasher().hash(_prepare(secret))

    def verify(self, stored_hash: object, secret: object) -> bool:
        """True when ``secret`` matches ``stored_hash``; never raises for a wrong one.

        A malformed hash or a secret that is not a string is simply ``False``.
        The comparison is argon2's own (constant time).

        >>> hasher = SecretHasher.insecure_for_tests()
        >>> hasher.verify(hasher.hash("123456"), "123456")
        True
        >>> hasher.verify("not a hash", "123456")
        False
        """
        if not isinstance(stored_hash, str) or not isinstance(secret, str) or not secret:
            return False
        try:
            return self._hasher().verify(stored_hash, _prepare(secret))
        except (argon2.exceptions.VerificationError, argon2.exceptions.InvalidHashError):
            return False

    def verify_unknown(self, secret: object) -> bool:
        """Spend the time of one :meth:`verify` and answer False.

        For a login with an e-mail that names no account: checking the password
        against a dummy hash of the same parameters makes the failure take about
        as long as a real one, so timing does not reveal which e-mails exist.

        >>> SecretHasher.insecure_for_tests().verify_unknown("anything")
        False
        """
        self.verify(_dummy_hash(self.memory_cost, self.time_cost, self.parallelism), secret)
        return False

    def needs_rehash(self, stored_hash: object) -> bool:
        """True when ``stored_hash`` was made with other parameters (or is unreadable).

        >>> hasher = SecretHasher.insecure_for_tests()
        >>> hasher.needs_rehash(hasher.hash("x"))
        False
        """
        if not isinstance(stored_hash, str):
            return True
        try:
            return self._hasher().check_needs_rehash(stored_hash)
        except argon2.exceptions.InvalidHashError:
            return True


@functools.cache
def _dummy_hash(memory_cost: int, time_cost: int, parallelism: int) -> str:
    hasher = argon2.PasswordHasher(
        time_cost=time_cost, memory_cost=memory_cost, parallelism=parallelism, type=argon2.Type.ID
    )
    return hasher.hash("otocore: no such account")


# PINs -------------------------------------------------------------------------


class PinDelivery(enum.Enum):
    """How a reset PIN reaches the seller (a brand's choice).

    ``EMAIL_PIN`` (default, as the seed says): otocore draws the PIN and
    e-mails it. ``EMAIL_LINK``: a single-use link where the seller sets the
    PIN, so no secret travels in the e-mail (OWASP ASVS's preference).

    >>> PinDelivery("email_link")
    <PinDelivery.EMAIL_LINK: 'email_link'>
    """

    EMAIL_PIN = "email_pin"
    EMAIL_LINK = "email_link"


@attrs.frozen(kw_only=True)
class PinPolicy:
    """A brand's PIN rule: ``length`` digits (default 6, the brand may choose 4 to 8).

    >>> PinPolicy().length
    6
    >>> PinPolicy(length=3)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: PinPolicy.length must be >= 4, got 3
    """

    length: int = attrs.field(default=6, validator=v.integer(min_value=4, max_value=8))
    delivery: PinDelivery = attrs.field(
        default=PinDelivery.EMAIL_PIN, validator=v.member_of(PinDelivery)
    )


_DIGITS = frozenset("0123456789")


def check_pin_format(pin: object, policy: PinPolicy) -> bool:
    """True when ``pin`` is exactly ``policy.length`` ASCII digits.

    >>> check_pin_format("042917", PinPolicy()), check_pin_format("04291", PinPolicy())
    (True, False)
    >>> check_pin_format("04a917", PinPolicy()), check_pin_format(42917, PinPolicy())
    (False, False)
    """
    return isinstance(pin, str) and len(pin) == policy.length and set(pin) <= _DIGITS


def is_trivial_pin(pin: str) -> bool:
    """True for PINs :func:`new_pin` never draws.

    Trivial: (1) a shorter block repeated (``000000``, ``121212``,
    ``123123``, ``1212``); (2) a run where each digit is the previous one
    plus one, or minus one, modulo 10 (``123456``, ``654321``, ``890123``,
    ``2109``).

    >>> is_trivial_pin("000000"), is_trivial_pin("123456"), is_trivial_pin("654321")
    (True, True, True)
    >>> is_trivial_pin("121212"), is_trivial_pin("042917")
    (True, False)
    """
    n = len(pin)
    for size in range(1, n // 2 + 1):
        if n % size == 0 and pin == pin[:size] * (n // size):
            return True
    digits = [int(c) for c in pin]
    steps = {(b - a) % 10 for a, b in itertools.pairwise(digits)}
    return steps in ({1}, {9})


def new_pin(rng: random.Random, policy: PinPolicy) -> str:
    """Draw a random, non-trivial PIN of ``policy.length`` digits.

    Args:
        rng: the random source; pass ``secrets.SystemRandom()`` in production,
            a seeded ``random.Random`` in tests.
        policy: the brand's PIN policy.

    Returns:
        A PIN for which :func:`is_trivial_pin` is False.

    >>> pin = new_pin(random.Random(7), PinPolicy(length=4))
    >>> check_pin_format(pin, PinPolicy(length=4)), is_trivial_pin(pin)
    (True, False)
    """
    while True:
        pin = "".join(str(rng.randrange(10)) for _ in range(policy.length))
        if not is_trivial_pin(pin):
            return pin


# Passwords --------------------------------------------------------------------


@functools.cache
def default_common_passwords() -> frozenset[str]:
    """The bundled list of very common passwords (casefolded).

    Taken from public common-password lists (plus Brazilian favourites such as
    ``senha123``); a brand passes its own set as ``PasswordPolicy(common=...)``.

    >>> "password" in default_common_passwords()
    True
    """
    text = resources.files("otocore").joinpath("data/common_passwords.txt").read_text("utf-8")
    return frozenset(
        _prepare(line.strip()).casefold()
        for line in text.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _casefold_all(values: Iterable[str]) -> frozenset[str]:
    rule = "must be a set of strings"
    items = list(v.require_iterable("PasswordPolicy.common", values, rule=rule, refuse=(str,)))
    if not all(isinstance(item, str) for item in items):
        raise ValidationError("PasswordPolicy.common", REDACTED, "must contain only strings")
    return frozenset(_prepare(item).casefold() for item in items)


@attrs.frozen(kw_only=True)
class PasswordPolicy:
    """Rules for a new password: length and a common-password list, no composition rules.

    Length is counted in characters after Unicode NFKC normalisation (the
    form that is hashed). ``min_length`` is 8 to 128 (default 8),
    ``max_length`` is ``min_length`` to 1024 (default 128). A password whose
    casefolded form is in ``common`` is refused; ``common`` defaults to
    :func:`default_common_passwords`. ``repr`` leaves the list out.

    >>> PasswordPolicy().check_new_password("cavalo correto bateria grampo")
    >>> PasswordPolicy(common=frozenset({"carnaval2026"})).check_new_password("Carnaval2026")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: password must not be a commonly used password, got '<redacted>'
    """

    min_length: int = attrs.field(default=8, validator=v.integer(min_value=8, max_value=128))
    max_length: int = attrs.field(default=128, validator=v.integer(max_value=1024))
    common: frozenset[str] = attrs.field(
        factory=default_common_passwords, converter=_casefold_all, repr=False
    )

    @max_length.validator
    def _check_max(self, attribute: attrs.Attribute[int], value: int) -> None:
        if value < self.min_length:
            raise ValidationError(
                "PasswordPolicy.max_length", value, f"must be >= min_length ({self.min_length})"
            )

    def check_new_password(self, password: object) -> None:
        """Raise unless ``password`` may be chosen; the error's value is ``'<redacted>'``.

        Raises:
            ValidationError: not a string, too short, too long or too common.

        >>> PasswordPolicy().check_new_password("x" * 129)
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: password must be at most 128 characters, got '<redacted>'
        """
        if not isinstance(password, str):
            raise ValidationError("password", REDACTED, "must be a string")
        prepared = _prepare(password)
        if len(prepared) < self.min_length:
            raise ValidationError(
                "password", REDACTED, f"must be at least {self.min_length} characters"
            )
        if len(prepared) > self.max_length:
            raise ValidationError(
                "password", REDACTED, f"must be at most {self.max_length} characters"
            )
        if prepared.casefold() in self.common:
            raise ValidationError("password", REDACTED, "must not be a commonly used password")


# Lockout ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class LockoutPolicy:
    """How many consecutive failures lock an account: ``max_failures`` (default 5, 1 to 100).

    >>> LockoutPolicy(max_failures=0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: LockoutPolicy.max_failures must be >= 1, got 0
    """

    max_failures: int = attrs.field(default=5, validator=v.integer(min_value=1, max_value=100))


_flag = v.boolean_with_rule("must be a bool")


@attrs.frozen(kw_only=True)
class AccountState:
    """The login state of one account: consecutive failures and three flags.

    >>> AccountState()
    AccountState(failures=0, locked=False, must_change_password=False, active=True)
    """

    failures: int = attrs.field(default=0, validator=v.integer(min_value=0))
    locked: bool = attrs.field(default=False, validator=_flag)
    must_change_password: bool = attrs.field(default=False, validator=_flag)
    active: bool = attrs.field(default=True, validator=_flag)


class LoginOutcome(enum.Enum):
    """The answer to one login attempt.

    >>> LoginOutcome("locked")
    <LoginOutcome.LOCKED: 'locked'>
    """

    SUCCESS = "success"
    WRONG_CREDENTIALS = "wrong_credentials"
    LOCKED = "locked"
    NEW_PASSWORD_REQUIRED = "new_password_required"  # noqa: S105 (an outcome, not a secret)
    INACTIVE = "inactive"


def after_failure(state: AccountState, policy: LockoutPolicy) -> AccountState:
    """Count one wrong password or PIN; the ``max_failures``-th failure locks.

    A locked account is returned unchanged (its count never exceeds the limit).

    >>> after_failure(AccountState(failures=4), LockoutPolicy()).locked
    True
    >>> after_failure(AccountState(failures=3), LockoutPolicy()).locked
    False
    """
    if state.locked:
        return state
    failures = min(state.failures + 1, policy.max_failures)
    return attrs.evolve(state, failures=failures, locked=failures >= policy.max_failures)


def after_success(state: AccountState) -> AccountState:
    """A successful login resets the consecutive failures.

    >>> after_success(AccountState(failures=3)).failures
    0
    """
    return attrs.evolve(state, failures=0)


def after_unlock(state: AccountState) -> AccountState:
    """A manager's unlock: no lock, no failures, and a new password is required.

    >>> after_unlock(AccountState(failures=5, locked=True))
    AccountState(failures=0, locked=False, must_change_password=True, active=True)
    """
    return attrs.evolve(state, failures=0, locked=False, must_change_password=True)


def after_password_reset(state: AccountState) -> AccountState:
    """A new password set through recovery: clears "new password required" and failures.

    It does not unlock a locked account: only a manager does that.

    >>> after_password_reset(AccountState(failures=2, must_change_password=True))
    AccountState(failures=0, locked=False, must_change_password=False, active=True)
    """
    return attrs.evolve(state, failures=0, must_change_password=False)


def login_decision(
    state: AccountState, *, password_ok: bool, pin_ok: bool, policy: LockoutPolicy
) -> tuple[LoginOutcome, AccountState]:
    """Decide one login attempt and the account's next state.

    In order: an inactive account answers INACTIVE; a locked one LOCKED; one
    that must change its password NEW_PASSWORD_REQUIRED (the old password
    stopped working at unlock). These three answers ignore the credentials and
    change nothing. Otherwise right password and PIN is SUCCESS (failures
    reset); anything else, including a malformed password or PIN (pass
    ``False``), counts one failure and answers WRONG_CREDENTIALS, or LOCKED
    when that failure reaches the limit.

    >>> login_decision(AccountState(), password_ok=True, pin_ok=False, policy=LockoutPolicy())
    (<LoginOutcome.WRONG_CREDENTIALS: 'wrong_credentials'>, AccountState(failures=1, locked=False, must_change_password=False, active=True))
    >>> login_decision(
    ...     AccountState(must_change_password=True),
    ...     password_ok=True,
    ...     pin_ok=True,
    ...     policy=LockoutPolicy(),
    ... )[0]
    <LoginOutcome.NEW_PASSWORD_REQUIRED: 'new_password_required'>
    """
    for name, value in (("password_ok", password_ok), ("pin_ok", pin_ok)):
        v.require_bool(f"login_decision.{name}", value, rule="must be a bool")
    if not state.active:
        return LoginOutcome.INACTIVE, state
    if state.locked:
        return LoginOutcome.LOCKED, state
    if state.must_change_password:
        return LoginOutcome.NEW_PASSWORD_REQUIRED, state
    if password_ok and pin_ok:
        return LoginOutcome.SUCCESS, after_success(state)
    after = after_failure(state, policy)
    return (LoginOutcome.LOCKED if after.locked else LoginOutcome.WRONG_CREDENTIALS), after


# Recovery tokens --------------------------------------------------------------

_TOKEN_BYTES = 32


def hash_token(token_text: str) -> str:
    """The SHA-256 hex digest under which a recovery token is stored.

    >>> len(hash_token("abc"))
    64
    """
    return hashlib.sha256(token_text.encode("utf-8", "surrogatepass")).hexdigest()


def _token_hash(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    ok = isinstance(value, str) and len(value) == 64 and set(value) <= set("0123456789abcdef")
    if not ok:
        raise ValidationError(
            "TokenRecord.token_hash", REDACTED, "must be a lowercase SHA-256 hex digest"
        )


@attrs.frozen(kw_only=True)
class TokenRecord:
    """What otocore keeps of a recovery token: its SHA-256 hash and its times.

    ``expires_at`` must be after ``issued_at``; ``used_at`` is set once it is used.
    Instants are kept in UTC. The hash is left out of ``repr``.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    >>> TokenRecord(token_hash="0" * 64, issued_at=at, expires_at=at + timedelta(hours=1))
    TokenRecord(issued_at=datetime.datetime(2026, 5, 4, 9, 0, tzinfo=datetime.timezone.utc), expires_at=datetime.datetime(2026, 5, 4, 10, 0, tzinfo=datetime.timezone.utc), used_at=None)
    """

    token_hash: str = attrs.field(validator=_token_hash, repr=False)
    issued_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    expires_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    used_at: datetime | None = attrs.field(default=None, converter=v.instant)  # type: ignore[misc]

    @expires_at.validator
    def _check_expiry(self, attribute: attrs.Attribute[datetime], value: datetime) -> None:
        if value <= self.issued_at:
            raise ValidationError("TokenRecord.expires_at", value, "must be after issued_at")


class TokenCheck(enum.Enum):
    """The answer to presenting a recovery token.

    >>> TokenCheck("superseded")
    <TokenCheck.SUPERSEDED: 'superseded'>
    """

    VALID = "valid"
    EXPIRED = "expired"
    SUPERSEDED = "superseded"
    USED = "used"
    WRONG = "wrong"


def issue_token(
    *,
    now: datetime,
    ttl: timedelta = timedelta(hours=1),
    rng_bytes: Callable[[int], bytes] = secrets.token_bytes,
) -> tuple[str, TokenRecord]:
    """Draw a recovery token: 32 random bytes (256 bits), URL-safe base64.

    Only its SHA-256 hash is kept: the token is high-entropy, so a fast hash
    cannot be brute-forced and lets the service look a token up by its hash
    (a salted, slow Argon2 hash would not).

    Args:
        now: the instant of issue (aware).
        ttl: how long it lives (default one hour).
        rng_bytes: the random source, ``secrets.token_bytes`` by default.

    Returns:
        ``(token_text, record)``: send the text, store the record.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    >>> text, record = issue_token(now=at, rng_bytes=lambda n: bytes(n))
    >>> text
    'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'
    >>> record.expires_at - record.issued_at
    datetime.timedelta(seconds=3600)
    """
    v.require_positive_timedelta("issue_token.ttl", ttl)
    raw = rng_bytes(_TOKEN_BYTES)
    if not isinstance(raw, bytes) or len(raw) != _TOKEN_BYTES:
        raise ValidationError(
            "issue_token.rng_bytes", REDACTED, f"must return {_TOKEN_BYTES} bytes"
        )
    text = base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")
    issued = v.require_aware("issue_token.now", now)
    record = TokenRecord(token_hash=hash_token(text), issued_at=issued, expires_at=issued + ttl)
    return text, record


def check_token(
    record: TokenRecord, token_text: object, now: datetime, *, newest: TokenRecord
) -> TokenCheck:
    """Check a presented token against its record.

    In order: WRONG when the text does not hash to the record (compared with
    ``hmac.compare_digest``; nothing else is revealed); USED when it was used;
    SUPERSEDED when ``newest`` (the account's latest record) is another token,
    even one issued in the same instant; EXPIRED outside
    ``issued_at <= now < expires_at``; otherwise VALID.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    >>> text, record = issue_token(now=at, rng_bytes=lambda n: bytes(n))
    >>> check_token(record, text, at + timedelta(minutes=5), newest=record)
    <TokenCheck.VALID: 'valid'>
    >>> check_token(record, text, at + timedelta(hours=1), newest=record)
    <TokenCheck.EXPIRED: 'expired'>
    """
    now = v.require_aware("check_token.now", now)
    if not isinstance(newest, TokenRecord):
        raise ValidationError("check_token.newest", newest, "must be a TokenRecord")
    if not isinstance(token_text, str):
        return TokenCheck.WRONG
    presented = hash_token(token_text).encode("ascii")
    if not hmac.compare_digest(presented, record.token_hash.encode("ascii")):
        return TokenCheck.WRONG
    if record.used_at is not None:
        return TokenCheck.USED
    if newest.token_hash != record.token_hash:
        return TokenCheck.SUPERSEDED
    if not record.issued_at <= now < record.expires_at:
        return TokenCheck.EXPIRED
    return TokenCheck.VALID


def mark_used(record: TokenRecord, *, now: datetime) -> TokenRecord:
    """The record after its token was used at ``now``.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    >>> text, record = issue_token(now=at, rng_bytes=lambda n: bytes(n))
    >>> check_token(mark_used(record, now=at), text, at, newest=record)
    <TokenCheck.USED: 'used'>
    """
    return attrs.evolve(record, used_at=now)


class TokenPurpose(enum.Enum):
    """What a single-use token lets its holder do.

    PASSWORD: set a new password (recovery, or a new account's first
    password); PIN: set a new PIN (the ``EMAIL_LINK`` PIN delivery). A newer
    token kills the older ones of the same account and purpose only.

    >>> TokenPurpose("pin")
    <TokenPurpose.PIN: 'pin'>
    """

    PASSWORD = "password"  # noqa: S105 (a purpose, not a secret)
    PIN = "pin"


@attrs.frozen(kw_only=True)
class AccountToken:
    """A stored token: whose it is, what it is for, and its :class:`TokenRecord`.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    >>> _, record = issue_token(now=at, rng_bytes=lambda n: bytes(n))
    >>> AccountToken(account_id="A1", purpose=TokenPurpose.PASSWORD, record=record).purpose
    <TokenPurpose.PASSWORD: 'password'>
    """

    account_id: str = attrs.field(validator=v.text(100))
    purpose: TokenPurpose = attrs.field(validator=v.member_of(TokenPurpose))
    record: TokenRecord = attrs.field(validator=v.instance_of(TokenRecord))


def _positive_period(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.require_positive_timedelta("RecoveryRateLimit.per", value)


@attrs.frozen(kw_only=True)
class RecoveryRateLimit:
    """At most ``max_requests`` recovery requests per account in any window of ``per``.

    Defaults: 3 per hour. ``max_requests`` is 1 to 100.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    >>> limit = RecoveryRateLimit()
    >>> limit.allowed([at - timedelta(minutes=m) for m in (5, 20)], at)
    True
    >>> limit.allowed([at - timedelta(minutes=m) for m in (5, 20, 59)], at)
    False
    >>> limit.allowed([at - timedelta(minutes=m) for m in (5, 20, 60)], at)
    True
    """

    max_requests: int = attrs.field(default=3, validator=v.integer(min_value=1, max_value=100))
    per: timedelta = attrs.field(default=timedelta(hours=1), validator=_positive_period)

    def allowed(self, previous_request_times: Iterable[datetime], now: datetime) -> bool:
        """True when one more request at ``now`` stays within the limit.

        Requests in ``(now - per, now]`` count (and any dated after ``now``,
        conservatively).

        >>> from datetime import UTC, datetime
        >>> RecoveryRateLimit().allowed([], datetime(2026, 5, 4, tzinfo=UTC))
        True
        """
        now = v.require_aware("RecoveryRateLimit.now", now)
        start = now - self.per
        recent = 0
        for at in previous_request_times:
            if v.require_aware("RecoveryRateLimit.previous_request_times", at) > start:
                recent += 1
        return recent < self.max_requests


# Accounts ---------------------------------------------------------------------


class Role(enum.Enum):
    """Papel (role) of an account.

    >>> Role("store_manager")
    <Role.STORE_MANAGER: 'store_manager'>
    """

    SELLER = "seller"
    STORE_MANAGER = "store_manager"
    BRAND_ADMIN = "brand_admin"
    CALL_CENTER = "call_center"
    ORDER_APPROVER = "order_approver"


def normalize_login_email(text: str) -> Email:
    """The account key for a typed login e-mail: case and surrounding spaces don't matter.

    >>> normalize_login_email("  Ana.Souza@Example.COM ")
    Email('ana.souza@example.com')
    """
    return Email.parse(text, field="login.email")


def _roles(value: Any) -> frozenset[Role]:
    return v.require_enum_set("Account.roles", value, Role)


def _argon2_hash(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not (isinstance(value, str) and value.startswith("$argon2id$")):
        raise ValidationError(
            f"Account.{attribute.name}", REDACTED, "must be an Argon2id hash or None"
        )


@attrs.frozen(kw_only=True)
class Account:
    """A login account: a seller, manager, admin, call-center operator or order approver.

    ``email`` is the login key (normalised, unique in the brand). An account
    with the SELLER role names its ``seller_code`` and ``store_id``; a
    STORE_MANAGER names its ``store_id``. ``password_hash`` and ``pin_hash``
    are Argon2id hashes (None until set) and stay out of ``repr``.

    >>> account = Account(
    ...     account_id="A1",
    ...     email=normalize_login_email("ana@example.com"),
    ...     roles=frozenset({Role.SELLER}),
    ...     seller_code="V01",
    ...     store_id="L01",
    ... )
    >>> account.state.locked, "hash" in repr(account)
    (False, False)
    >>> Account(account_id="A2", email=account.email, roles=frozenset({Role.SELLER}))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Account.seller_code must be set for a SELLER account, got None
    """

    account_id: str = attrs.field(validator=v.text(100))
    email: Email = attrs.field(validator=v.instance_of(Email))
    roles: frozenset[Role] = attrs.field(converter=_roles)
    seller_code: str | None = attrs.field(default=None, validator=v.optional_text(100))
    store_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    password_hash: str | None = attrs.field(default=None, validator=_argon2_hash, repr=False)
    pin_hash: str | None = attrs.field(default=None, validator=_argon2_hash, repr=False)
    state: AccountState = attrs.field(factory=AccountState, validator=v.instance_of(AccountState))

    def __attrs_post_init__(self) -> None:
        if Role.SELLER in self.roles:
            if self.seller_code is None:
                raise ValidationError(
                    "Account.seller_code", None, "must be set for a SELLER account"
                )
            if self.store_id is None:
                raise ValidationError("Account.store_id", None, "must be set for a SELLER account")
        if Role.STORE_MANAGER in self.roles and self.store_id is None:
            raise ValidationError("Account.store_id", None, "must be set for a STORE_MANAGER")


# The brand's security settings ----------------------------------------------------

_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
_MAX_LINK_TTL = timedelta(days=7)
_APP_URL_RULE = (
    "must be an https:// address (http:// only for localhost or 127.0.0.1), "
    "without user, query or fragment"
)


def _app_url(value: Any) -> Any:
    if not isinstance(value, str):
        return value  # the validator names the field
    return value.rstrip("/")


def _check_app_url(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    name = "SecurityPolicy.app_url"
    v.require_text(name, value, max_length=2000)
    if " " in value:
        raise ValidationError(name, value, _APP_URL_RULE)
    try:
        parts = urllib.parse.urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValidationError(name, value, _APP_URL_RULE) from None
    if parts.query or parts.fragment or "@" in parts.netloc or not host:
        raise ValidationError(name, value, _APP_URL_RULE)
    if parts.scheme == "https" or (parts.scheme == "http" and host in _LOCAL_HOSTS):
        return
    raise ValidationError(name, value, _APP_URL_RULE)


def _check_link_ttl(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, timedelta) or not timedelta(0) < value <= _MAX_LINK_TTL:
        raise ValidationError(
            "SecurityPolicy.token_ttl", value, "must be a timedelta above 0 and at most 7 days"
        )


@attrs.frozen(kw_only=True)
class SecurityPolicy:
    """A brand's security settings for :class:`~otocore.accounts.AccountService`.

    The policy values above, gathered with the app's address and the life of
    an e-mailed link. Importable from :mod:`otocore.accounts` too.

    Attributes:
        app_url: the brand app's address; e-mailed links are
            ``{app_url}/nova-senha?token=...`` (set a password) and
            ``{app_url}/novo-pin?token=...`` (set a PIN). ``https://``, or
            ``http://`` only for ``localhost``/``127.0.0.1`` (development); a
            trailing ``/`` is dropped. Required.
        lockout: consecutive failures that lock an account (default 5).
        pin: PIN length (default 6) and how a reset PIN is delivered
            (default ``EMAIL_PIN``: the PIN itself, by e-mail).
        password: the rules for a new password (8 to 128 characters, not a
            common password).
        token_ttl: how long a password or PIN link works (default 1 hour, at
            most 7 days).
        recovery_limit: password links an account may be sent (default 3 an
            hour; the welcome link counts).

    >>> SecurityPolicy(app_url="https://app.example.com/").app_url
    'https://app.example.com'
    >>> SecurityPolicy(app_url="http://app.example.com")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SecurityPolicy.app_url must be an https:// address (http:// only for localhost or 127.0.0.1), without user, query or fragment, got 'http://app.example.com'
    """

    app_url: str = attrs.field(converter=_app_url, validator=_check_app_url)
    lockout: LockoutPolicy = attrs.field(
        factory=LockoutPolicy, validator=v.instance_of(LockoutPolicy)
    )
    pin: PinPolicy = attrs.field(factory=PinPolicy, validator=v.instance_of(PinPolicy))
    password: PasswordPolicy = attrs.field(
        factory=PasswordPolicy, validator=v.instance_of(PasswordPolicy)
    )
    token_ttl: timedelta = attrs.field(default=timedelta(hours=1), validator=_check_link_ttl)
    recovery_limit: RecoveryRateLimit = attrs.field(
        factory=RecoveryRateLimit, validator=v.instance_of(RecoveryRateLimit)
    )
