"""Recovery: a password link ("Esqueci a minha senha"), a new password, a PIN by link.

:meth:`~otocore.accounts.AccountService.request_password_recovery`,
:meth:`~otocore.accounts.AccountService.reset_password` and
:meth:`~otocore.accounts.AccountService.set_pin`: single-use tokens, stored
only as their hash, redeemed once by an active account.
"""

from __future__ import annotations

from datetime import datetime

import attrs

from otocore.accounts._core import (
    PASSWORD_PAGE,
    ServiceCore,
    is_active,
    logger,
    require_email_input,
    require_str,
)
from otocore.auth import (
    Account,
    AccountToken,
    TokenCheck,
    TokenPurpose,
    after_password_reset,
    check_token,
    hash_token,
    normalize_login_email,
)
from otocore.errors import InvalidToken, NotFound
from otocore.mail import Message, password_recovery_message
from otocore.repositories import UnitOfWork


class Recovery(ServiceCore):
    """The recovery part of :class:`~otocore.accounts.AccountService`."""

    def request_password_recovery(self, email: str) -> None:
        """ "Esqueceu senha": e-mail a single-use link to set a new password.

        The answer is the same (``None``) for every well-formed e-mail. Only an
        existing, active account within ``policy.recovery_limit`` gets a
        token: 256 random bits from ``token_bytes``, stored only as its
        SHA-256 hash, valid for ``policy.token_ttl``, killed by a newer one.
        The e-mail goes to the account's own address after the token was
        committed; if sending fails, that is logged (with the account id)
        and not raised, so the answer still does not differ.

        Raises:
            ValidationError: ``email`` is not a string, is longer than 1000
                characters (refused before any parsing, and not echoed) or
                is not an e-mail address (which says nothing about accounts).

        Examples:
            >>> from datetime import UTC, datetime
            >>> from otocore.accounts import AccountService, SecurityPolicy
            >>> from otocore.adapters.mail import InMemoryMailer
            >>> from otocore.adapters.memory import InMemoryDatabase
            >>> from otocore.auth import SecretHasher
            >>> from otocore.clock import FixedClock
            >>> mailer = InMemoryMailer()
            >>> service = AccountService(
            ...     InMemoryDatabase().unit_of_work,
            ...     mailer=mailer,
            ...     clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
            ...     policy=SecurityPolicy(app_url="https://app.example.com"),
            ...     hasher=SecretHasher.insecure_for_tests(),
            ...     token_bytes=lambda n: bytes(range(n)),
            ... )
            >>> _ = service.create_first_admin(
            ...     email="admin@example.com",
            ...     password="cavalo correto bateria grampo",
            ...     pin="482913",
            ... )
            >>> service.request_password_recovery("ADMIN@example.com")
            >>> service.request_password_recovery("ninguem@example.com")
            >>> [(m.to.address, m.kind.value) for m in mailer.outbox]
            [('admin@example.com', 'password_recovery')]
            >>> print(mailer.outbox[0].body.splitlines()[5])
            https://app.example.com/nova-senha?token=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8
        """
        address = normalize_login_email(require_email_input("email", email))
        uow = self._unit_of_work()
        message: Message | None = None
        account_id: str | None = None
        with uow.writing():
            now = self._now()
            account = uow.accounts.find_by_email(address)
            if account is None or not is_active(uow, account):
                logger.info("password recovery asked for no active account; nothing sent")
            else:
                account_id = account.account_id
                limit = self.policy.recovery_limit
                previous = uow.tokens.issued_since(
                    account.account_id, TokenPurpose.PASSWORD, now - limit.per
                )
                if limit.allowed(previous, now):
                    text = self._issue(uow, account, TokenPurpose.PASSWORD, now)
                    message = password_recovery_message(
                        account.email,
                        link=self._link(PASSWORD_PAGE, text),
                        valid_for=self.policy.token_ttl,
                    )
                else:
                    logger.warning(
                        "password recovery for account %s refused: rate limit reached",
                        account.account_id,
                    )
        if message is not None:
            try:
                self._mailer.send(message)
            except Exception as error:  # noqa: BLE001 - the answer must not differ
                logger.warning(
                    "password recovery e-mail for account %s could not be sent (%s)",
                    account_id,
                    type(error).__name__,
                )
            else:
                logger.info("password recovery link sent to account %s", account_id)

    def reset_password(self, token: str, new_password: str) -> None:
        """Set a new password with a link's token (recovery or welcome).

        The password is checked first (``policy.password``: 8 to 128
        characters, not a common password); a refused one changes nothing and
        the token still works. The token must be the newest unused, unexpired
        PASSWORD token of an active account. Then the password hash is set,
        "new password required" and the failure count are cleared
        (:func:`~otocore.auth.after_password_reset`) and the token is used up.
        It does not log in and does not unlock a locked account.

        Raises:
            ValidationError: the new password is refused (value not shown), or
                an argument is not a string.
            InvalidToken: unknown, used, expired or superseded token (one
                answer for all).

        >>> from datetime import UTC, datetime
        >>> from otocore.accounts import AccountService, SecurityPolicy
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.auth import SecretHasher
        >>> from otocore.clock import FixedClock
        >>> mailer = InMemoryMailer()
        >>> service = AccountService(
        ...     InMemoryDatabase().unit_of_work,
        ...     mailer=mailer,
        ...     clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
        ...     policy=SecurityPolicy(app_url="https://app.example.com"),
        ...     hasher=SecretHasher.insecure_for_tests(),
        ...     token_bytes=lambda n: bytes(range(n)),
        ... )
        >>> _ = service.create_first_admin(
        ...     email="admin@example.com", password="cavalo correto bateria grampo", pin="482913"
        ... )
        >>> service.request_password_recovery("admin@example.com")
        >>> token = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"  # from the e-mailed link
        >>> service.reset_password(token, "senha123")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: password must not be a commonly used password, got '<redacted>'
        >>> service.reset_password(token, "brisa fresca de maio")
        >>> service.reset_password(token, "outra senha qualquer")
        Traceback (most recent call last):
        ...
        otocore.errors.InvalidToken: the link is invalid or has expired; ask for a new one
        >>> service.login(
        ...     "admin@example.com", "brisa fresca de maio", "482913"
        ... ).account_id == _.account_id
        True
        """
        require_str("token", token)
        self.policy.password.check_new_password(new_password)
        password_hash = self._hasher.hash(new_password)
        uow = self._unit_of_work()
        with uow.writing():
            now = self._now()
            stored, account = self._redeem(uow, token, TokenPurpose.PASSWORD, now)
            state = after_password_reset(account.state)
            uow.accounts.save(attrs.evolve(account, password_hash=password_hash, state=state))
            uow.tokens.mark_used(stored.record.token_hash, now)
        logger.info("password set through a link for account %s", account.account_id)

    def set_pin(self, token: str, new_pin: str) -> None:
        """Set a new PIN with a ``novo-pin`` link's token (``PinDelivery.EMAIL_LINK``).

        The PIN must have ``policy.pin.length`` ASCII digits and not be
        trivial (:func:`~otocore.auth.is_trivial_pin`); a refused one changes
        nothing and the token still works. The token must be the newest
        unused, unexpired PIN token of an active account; it is used up.

        Raises:
            ValidationError: the PIN is refused (value not shown).
            InvalidToken: unknown, used, expired or superseded token.

        Examples:
            >>> from datetime import UTC, datetime
            >>> from otocore.accounts import AccountService, SecurityPolicy
            >>> from otocore.adapters.mail import InMemoryMailer
            >>> from otocore.adapters.memory import InMemoryDatabase
            >>> from otocore.auth import PinDelivery, PinPolicy, Role, SecretHasher
            >>> from otocore.clock import FixedClock
            >>> from otocore.sellers import Seller, Store
            >>> db, mailer = InMemoryDatabase(), InMemoryMailer()
            >>> service = AccountService(
            ...     db.unit_of_work,
            ...     mailer=mailer,
            ...     clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
            ...     policy=SecurityPolicy(
            ...         app_url="https://app.example.com",
            ...         pin=PinPolicy(delivery=PinDelivery.EMAIL_LINK),
            ...     ),
            ...     hasher=SecretHasher.insecure_for_tests(),
            ... )
            >>> with db.unit_of_work() as uow:
            ...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
            ...     uow.sellers.add(Seller(code="V01", name="Ana Souza", store_id="L01"))
            >>> admin = service.principal_for(
            ...     service.create_first_admin(
            ...         email="admin@example.com",
            ...         password="cavalo correto bateria grampo",
            ...         pin="482913",
            ...     ).account_id
            ... )
            >>> ana = service.create_account(
            ...     admin, email="ana@example.com", roles=[Role.SELLER], seller_code="V01"
            ... )
            >>> [m.kind.value for m in mailer.outbox]
            ['welcome', 'pin_link']
            >>> pin_link = mailer.outbox[1].body.splitlines()[5]
            >>> pin_link.startswith("https://app.example.com/novo-pin?token=")
            True
            >>> token = pin_link.partition("token=")[2]
            >>> service.set_pin(token, "123456")
            Traceback (most recent call last):
            ...
            otocore.errors.ValidationError: pin must not be a trivial PIN (a repeated block, or consecutive digits up or down), got '<redacted>'
            >>> service.set_pin(token, "307519")
        """
        require_str("token", token)
        self._check_new_pin(new_pin)
        pin_hash = self._hasher.hash(new_pin)
        uow = self._unit_of_work()
        with uow.writing():
            now = self._now()
            stored, account = self._redeem(uow, token, TokenPurpose.PIN, now)
            uow.accounts.save(attrs.evolve(account, pin_hash=pin_hash))
            uow.tokens.mark_used(stored.record.token_hash, now)
        logger.info("PIN set through a link for account %s", account.account_id)

    def _redeem(
        self, uow: UnitOfWork, token: str, purpose: TokenPurpose, now: datetime
    ) -> tuple[AccountToken, Account]:
        found = uow.tokens.find(hash_token(token))
        if found is None or found.purpose is not purpose:
            raise InvalidToken
        newest = uow.tokens.newest(found.account_id, purpose)
        if newest is None:
            raise InvalidToken
        if check_token(found.record, token, now, newest=newest.record) is not TokenCheck.VALID:
            raise InvalidToken
        try:
            account = uow.accounts.get(found.account_id)
        except NotFound:
            raise InvalidToken from None
        if not is_active(uow, account):
            raise InvalidToken
        return found, account
