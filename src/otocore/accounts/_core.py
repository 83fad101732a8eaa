"""The state and the steps the parts of :class:`~otocore.accounts.AccountService` share.

Private: the service's attributes (set by ``AccountService.__init__``), "now",
the links and tokens e-mailed by recovery and administration, the PIN check
and delivery, and the account helpers every part reads.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Callable
from datetime import datetime

from otocore import _validate as v
from otocore.access import Principal
from otocore.auth import (
    REDACTED,
    Account,
    AccountToken,
    SecretHasher,
    SecurityPolicy,
    TokenPurpose,
    check_pin_format,
    is_trivial_pin,
    issue_token,
)
from otocore.clock import Clock
from otocore.errors import NotFound, ValidationError
from otocore.mail import Mailer, Message, new_pin_message, pin_link_message
from otocore.repositories import UnitOfWork

logger = logging.getLogger("otocore.accounts")  # one logger name for the whole service

PASSWORD_PAGE = "nova-senha"  # noqa: S105 - a page of the app, not a secret
_PIN_PAGE = "novo-pin"

MAX_EMAIL_INPUT = 1000
"""The longest typed e-mail that is parsed at all (a valid address has at most 254 characters)."""

DUMMY_SECRET = "otocore: no such account"  # noqa: S105 - hashed once, to spend time on


def require_email_input(field: str, email: object) -> str:
    """A typed e-mail as a str of at most :data:`MAX_EMAIL_INPUT` characters.

    Longer text is refused before any parsing, and the error shows only its
    start and length, never the whole text.
    """
    text = require_str(field, email)
    if len(text) > MAX_EMAIL_INPUT:
        raise ValidationError(
            field,
            f"{text[:20]}... ({len(text)} characters)",
            f"must be at most {MAX_EMAIL_INPUT} characters",
        )
    return text


def require_str(field: str, value: object) -> str:
    """A secret (or login) argument must be a str; the value is never echoed."""
    if not isinstance(value, str):
        raise ValidationError(field, REDACTED, "must be a string")
    return value


def principal_of(account: Account) -> Principal:
    return Principal(
        account_id=account.account_id,
        roles=account.roles,
        store_id=account.store_id,
        seller_code=account.seller_code,
    )


def seller_active(uow: UnitOfWork, account: Account) -> bool:
    if account.seller_code is None:
        return True
    try:
        return uow.sellers.get(account.seller_code).is_active
    except NotFound:
        return True  # no seller record: the account's own flag decides


def is_active(uow: UnitOfWork, account: Account) -> bool:
    return account.state.active and seller_active(uow, account)


class ServiceCore:
    """What every part of the service reads: its collaborators and the shared steps."""

    _unit_of_work: Callable[[], UnitOfWork]
    _mailer: Mailer
    _clock: Clock
    policy: SecurityPolicy
    _hasher: SecretHasher
    _dummy_hash: str  # made with _hasher when the service starts; verified for unknown e-mails
    _rng: random.Random
    _token_bytes: Callable[[int], bytes]

    def _now(self) -> datetime:
        return v.require_aware("clock.now()", self._clock.now())

    def _link(self, page: str, token_text: str) -> str:
        return f"{self.policy.app_url}/{page}?token={token_text}"

    def _check_new_pin(self, pin: object) -> None:
        if not isinstance(pin, str) or not check_pin_format(pin, self.policy.pin):
            raise ValidationError(
                "pin", REDACTED, f"must be exactly {self.policy.pin.length} digits (0-9)"
            )
        if is_trivial_pin(pin):
            raise ValidationError(
                "pin",
                REDACTED,
                "must not be a trivial PIN (a repeated block, or consecutive digits up or down)",
            )

    def _issue(
        self, uow: UnitOfWork, account: Account, purpose: TokenPurpose, now: datetime
    ) -> str:
        text, record = issue_token(now=now, ttl=self.policy.token_ttl, rng_bytes=self._token_bytes)
        uow.tokens.add(AccountToken(account_id=account.account_id, purpose=purpose, record=record))
        return text

    def _pin_message(
        self, uow: UnitOfWork, account: Account, pin: str | None, now: datetime
    ) -> Message:
        """The PIN itself (EMAIL_PIN, ``pin`` given), or a ``novo-pin`` link with a new token."""
        if pin is not None:
            return new_pin_message(account.email, pin=pin)
        text = self._issue(uow, account, TokenPurpose.PIN, now)
        return pin_link_message(
            account.email, link=self._link(_PIN_PAGE, text), valid_for=self.policy.token_ttl
        )
