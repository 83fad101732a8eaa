"""Recovery tokens: single-use, expiring, stored as a SHA-256 hash; and their rate limit. Private.

Re-exported by :mod:`otocore.auth`.
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

import attrs

from otocore import _validate as v
from otocore.auth._secrets import REDACTED
from otocore.errors import ValidationError

_TOKEN_BYTES = 32


def hash_token(token_text: object) -> str:
    """The SHA-256 hex digest under which a recovery token is stored.

    >>> len(hash_token("abc"))
    64
    >>> hash_token(None)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: token_text must be a string, got '<redacted>'
    """
    if not isinstance(token_text, str):
        raise ValidationError("token_text", REDACTED, "must be a string")
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
    try:
        expires = issued + ttl
    except OverflowError:
        raise ValidationError(
            "issue_token.ttl", ttl, "must end before the year 10000 (now + ttl)"
        ) from None
    record = TokenRecord(token_hash=hash_token(text), issued_at=issued, expires_at=expires)
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


_TIMES_RULE = "must be an iterable of timezone-aware datetimes"


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
        conservatively); when ``now - per`` is before the year 1, all of them.

        >>> from datetime import UTC, datetime
        >>> RecoveryRateLimit().allowed([], datetime(2026, 5, 4, tzinfo=UTC))
        True
        """
        now = v.require_aware("RecoveryRateLimit.now", now)
        field = "RecoveryRateLimit.previous_request_times"
        times = v.require_iterable(field, previous_request_times, rule=_TIMES_RULE)
        try:
            start: datetime | None = now - self.per
        except OverflowError:
            start = None  # the window reaches back past the year 1: every request counts
        recent = 0
        for item in times:
            at = v.require_aware(field, item)
            if start is None or at > start:
                recent += 1
        return recent < self.max_requests
