"""Secret hashing: Argon2id hashes of passwords and PINs, and redaction. Private.

Passwords and PINs are normalised (Unicode NFKC) and kept only as Argon2id
hashes at or above OWASP's minimum cost; no secret appears in an error, whose
value is :data:`REDACTED` instead. Re-exported by :mod:`otocore.auth`.
"""

from __future__ import annotations

import functools
import unicodedata

import argon2
import attrs

from otocore import _validate as v
from otocore.errors import ValidationError

REDACTED = "<redacted>"
"""The value an error carries instead of a secret."""

MIN_MEMORY_KIB = 19456
"""OWASP's minimum Argon2id memory cost (19 MiB), in KiB."""

MIN_TIME_COST = 2
"""OWASP's minimum Argon2id iterations at :data:`MIN_MEMORY_KIB`."""

_ARGON2_MAX = 0xFFFF_FFFF  # Argon2 keeps its costs in 32-bit unsigned integers
_UNICODE_RULE = "must be valid Unicode text (no lone surrogates)"


def prepare_secret(secret: str) -> str:
    # NIST SP 800-63B 5.1.1.2: normalise Unicode so one password typed on two
    # keyboards is one password. Digits (PINs) are unaffected.
    return unicodedata.normalize("NFKC", secret)


def is_unicode_text(text: str) -> bool:
    # A str may hold lone surrogates (JSON's "\ud800" decodes to one); no encoder takes them.
    try:
        text.encode()
    except UnicodeEncodeError:
        return False
    return True


_positive = v.integer(min_value=1, max_value=_ARGON2_MAX)


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
    insecure: bool = attrs.field(default=False, repr=False, validator=v.boolean)

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
        return cls(memory_cost=8, time_cost=1, insecure=True)

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
            ValidationError: ``secret`` is not a non-empty string of Unicode text
                (value redacted).

        >>> SecretHasher.insecure_for_tests().hash("1234").count("$")
        5
        """
        if not isinstance(secret, str) or not secret:
            raise ValidationError("secret", REDACTED, "must be a non-empty string")
        prepared = prepare_secret(secret)
        if not is_unicode_text(prepared):
            raise ValidationError("secret", REDACTED, _UNICODE_RULE)
        return self._hasher().hash(prepared)

    def verify(self, stored_hash: object, secret: object) -> bool:
        """True when ``secret`` matches ``stored_hash``; never raises for a wrong one.

        A malformed hash or a secret that is not a string (or not Unicode text)
        is simply ``False``.
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
            return self._hasher().verify(stored_hash, prepare_secret(secret))
        except (
            argon2.exceptions.VerificationError,
            argon2.exceptions.InvalidHashError,
            UnicodeEncodeError,  # lone surrogates in the hash or the secret
        ):
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
