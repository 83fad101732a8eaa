"""Login with lockout: :meth:`~otocore.accounts.AccountService.login`.

E-mail, password and PIN ("Como acesso o Oto?"); every attempt does the same
Argon2 work, and :func:`~otocore.auth.login_decision` counts failures and
locks in one write-locked transaction.
"""

from __future__ import annotations

import attrs

from otocore.access import Principal
from otocore.accounts._core import (
    MAX_EMAIL_INPUT,
    ServiceCore,
    logger,
    principal_of,
    require_str,
    seller_active,
)
from otocore.auth import (
    Account,
    LoginOutcome,
    check_pin_format,
    login_decision,
    normalize_login_email,
)
from otocore.customers import Email
from otocore.errors import AuthenticationFailed, NotFound, ValidationError
from otocore.repositories import UnitOfWork


class Login(ServiceCore):
    """The login part of :class:`~otocore.accounts.AccountService`."""

    def login(self, email: str, password: str, pin: str) -> Principal:
        """Sign in with e-mail, password and PIN ("Como acesso o Oto?").

        The e-mail is normalised (case and surrounding spaces don't matter).
        Every attempt does the same Argon2 work, two verifications, whether
        the e-mail names an account or not and whatever the input looks like,
        so neither the answer nor its timing tells which e-mails exist. Then,
        in one write-locked transaction, :func:`~otocore.auth.login_decision`
        decides on the account's current state (a seller whose seller is
        inactive answers "inactive") and the new state is committed: a
        wrong or malformed password or PIN counts one failure, the
        ``lockout.max_failures``-th locks, a success resets the count. On
        success, a hash made with other parameters than the service's hasher
        is replaced.

        Args:
            email: the login e-mail as typed.
            password: the password as typed.
            pin: the PIN as typed.

        Returns:
            The :class:`~otocore.access.Principal` (account, roles, store,
            seller code).

        Raises:
            AuthenticationFailed: ``reason`` is ``"wrong_credentials"`` (also
                for an unknown or malformed e-mail), ``"locked"``,
                ``"new_password_required"`` or ``"inactive"``.
            ValidationError: an argument is not a string (the value is not
                shown); nothing is counted.

        >>> from datetime import UTC, datetime
        >>> from otocore.accounts import AccountService, SecurityPolicy
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.auth import SecretHasher
        >>> from otocore.clock import FixedClock
        >>> service = AccountService(
        ...     InMemoryDatabase().unit_of_work,
        ...     mailer=InMemoryMailer(),
        ...     clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
        ...     policy=SecurityPolicy(app_url="https://app.example.com"),
        ...     hasher=SecretHasher.insecure_for_tests(),
        ... )
        >>> _ = service.create_first_admin(
        ...     email="admin@example.com", password="cavalo correto bateria grampo", pin="482913"
        ... )
        >>> service.login("admin@example.com", "cavalo correto bateria grampo", "482913").roles
        frozenset({<Role.BRAND_ADMIN: 'brand_admin'>})
        >>> for wrong_pin in ("000001", "000002", "000003", "00000a"):
        ...     try:
        ...         service.login("admin@example.com", "cavalo correto bateria grampo", wrong_pin)
        ...     except AuthenticationFailed as refused:
        ...         print(refused.reason)
        wrong_credentials
        wrong_credentials
        wrong_credentials
        wrong_credentials
        >>> service.login("admin@example.com", "cavalo correto bateria grampo", "999999")
        Traceback (most recent call last):
        ...
        otocore.errors.AuthenticationFailed: login refused: the account is locked; ask your store manager to unlock it
        >>> service.login("ninguem@example.com", "cavalo correto bateria grampo", "482913")
        Traceback (most recent call last):
        ...
        otocore.errors.AuthenticationFailed: login refused: wrong e-mail, password or PIN
        """
        require_str("login.email", email)
        require_str("login.password", password)
        require_str("login.pin", pin)
        address = self._login_address(email)
        uow = self._unit_of_work()
        account: Account | None = None
        if address is not None:
            with uow:
                account = uow.accounts.find_by_email(address)
        if account is None or address is None:
            # the work of an existing account's two verifications, then the same answer
            self._spend_verification(password, shaped=self._password_shaped(password))
            self._spend_verification(pin, shaped=check_pin_format(pin, self.policy.pin))
            logger.info("login refused (wrong_credentials): no account for the e-mail given")
            raise AuthenticationFailed(LoginOutcome.WRONG_CREDENTIALS.value)
        # the slow part, outside the write lock
        password_ok, pin_ok = self._verify(account, password, pin)
        signed_in: Account | None = None
        with uow.writing():
            try:
                fresh: Account | None = uow.accounts.get(account.account_id)
            except NotFound:
                fresh = None
            if fresh is None or fresh.email != address:
                outcome = LoginOutcome.WRONG_CREDENTIALS  # the account changed meanwhile
            else:
                if (fresh.password_hash, fresh.pin_hash) != (
                    account.password_hash,
                    account.pin_hash,
                ):
                    password_ok, pin_ok = self._verify(fresh, password, pin)
                outcome, updated = self._decide(uow, fresh, password_ok=password_ok, pin_ok=pin_ok)
                if outcome is LoginOutcome.SUCCESS:
                    updated = self._rehashed(updated, password, pin)
                    signed_in = updated
                if updated != fresh:
                    uow.accounts.save(updated)
        if signed_in is None:
            logger.info("login refused (%s) for account %s", outcome.value, account.account_id)
            raise AuthenticationFailed(outcome.value)
        logger.info("login succeeded for account %s", signed_in.account_id)
        return principal_of(signed_in)

    def _decide(
        self, uow: UnitOfWork, account: Account, *, password_ok: bool, pin_ok: bool
    ) -> tuple[LoginOutcome, Account]:
        state = account.state
        seen = state if seller_active(uow, account) else attrs.evolve(state, active=False)
        outcome, after = login_decision(
            seen, password_ok=password_ok, pin_ok=pin_ok, policy=self.policy.lockout
        )
        if outcome is LoginOutcome.INACTIVE:
            return outcome, account  # nothing changes, nothing is counted
        return outcome, attrs.evolve(account, state=attrs.evolve(after, active=state.active))

    def _rehashed(self, account: Account, password: str, pin: str) -> Account:
        updated = account
        if self._hasher.needs_rehash(account.password_hash):
            updated = attrs.evolve(updated, password_hash=self._hasher.hash(password))
        if self._hasher.needs_rehash(account.pin_hash):
            updated = attrs.evolve(updated, pin_hash=self._hasher.hash(pin))
        if updated is not account:
            logger.info(
                "re-hashed the secrets of account %s with new parameters", account.account_id
            )
        return updated

    def _login_address(self, email: str) -> Email | None:
        if len(email) > MAX_EMAIL_INPUT:
            return None
        try:
            return normalize_login_email(email)
        except ValidationError:
            return None

    def _spend_verification(self, secret: str, *, shaped: bool) -> None:
        # one Argon2 verification's worth of work against the dummy hash made when the
        # service started (so the first unknown e-mail costs no hashing on top); a malformed
        # secret (empty, absurdly long) is replaced, as verify() would do no work for it
        self._hasher.verify(self._dummy_hash, secret if shaped else "otocore")

    def _password_shaped(self, password: str) -> bool:
        # a generous bound: normalisation may shorten a password a little
        return 0 < len(password) <= 4 * self.policy.password.max_length

    def _check_one(self, stored: str | None, secret: str, *, shaped: bool) -> bool:
        if stored is None or not shaped:
            self._spend_verification(secret, shaped=shaped)
            return False
        return self._hasher.verify(stored, secret)

    def _verify(self, account: Account, password: str, pin: str) -> tuple[bool, bool]:
        password_ok = self._check_one(
            account.password_hash, password, shaped=self._password_shaped(password)
        )
        pin_ok = self._check_one(
            account.pin_hash, pin, shaped=check_pin_format(pin, self.policy.pin)
        )
        return password_ok, pin_ok
