"""Contas e acesso (accounts and access): login, lockout, recovery, PIN reset, user and seller management.

The service behind the seeds ``oto-faq.txt`` ("Como acesso o Oto?": e-mail,
senha and PIN; "Esqueci a minha senha"; "Esqueci o meu código PIN": the
manager resets it and "você receberá o novo código em seu e-mail cadastrado";
"Meu usuário foi bloqueado": the manager unlocks it, then "é preciso gerar uma
nova senha [...] ao clicar em 'esqueceu senha'") and
``oto-managers-and-campaigns.txt`` ("Gestão de Vendedores": activate and
inactivate sellers and redistribute their carteira; "Usuários e permissões":
"Novo Usuário").

:class:`AccountService` loads accounts through a unit of work, calls the pure
rules of :mod:`otocore.auth` and :mod:`otocore.access`, saves the result and
then sends e-mail through a :class:`~otocore.mail.Mailer`:

- every method opens its **own** unit of work from the factory it was given,
  so a login failure is committed even when the caller's own transaction
  rolls back;
- e-mail is sent only **after** that unit of work committed, and a PIN or
  token is never stored: only its hash is;
- every management action (unlock, PIN reset, new user, activate and
  deactivate a seller) is authorized with :func:`~otocore.access.authorize`'s
  table and written to the hash-chained audit log in the same transaction:
  ALLOWED with the work, DENIED (then :class:`~otocore.errors.PermissionDenied`
  is raised) or FAILED (the work raised an :class:`~otocore.errors.OtocoreError`
  and was rolled back; the error is re-raised).

Nothing is logged with a secret, a token, a PIN, a password, a hash or an
e-mail address; log lines name account ids.

Examples:
    >>> import random
    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.mail import InMemoryMailer
    >>> from otocore.adapters.memory import InMemoryDatabase
    >>> from otocore.auth import Role, SecretHasher
    >>> from otocore.clock import FixedClock
    >>> from otocore.sellers import Seller, Store
    >>> db, mailer = InMemoryDatabase(), InMemoryMailer()
    >>> service = AccountService(
    ...     db.unit_of_work,
    ...     mailer=mailer,
    ...     clock=FixedClock(datetime(2026, 5, 4, 9, 0, tzinfo=UTC)),
    ...     policy=SecurityPolicy(app_url="https://app.example.com"),
    ...     hasher=SecretHasher.insecure_for_tests(),
    ...     rng=random.Random(7),
    ... )
    >>> with db.unit_of_work() as uow:
    ...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
    ...     uow.sellers.add(Seller(code="V01", name="Ana Souza", store_id="L01"))
    >>> first = service.create_first_admin(
    ...     email="admin@example.com", password="cavalo correto bateria grampo", pin="482913"
    ... )
    >>> admin = service.login("Admin@Example.com ", "cavalo correto bateria grampo", "482913")
    >>> ana = service.create_account(
    ...     admin, email="ana.souza@example.com", roles=[Role.SELLER], seller_code="V01"
    ... )
    >>> [(m.to.address, m.kind.value) for m in mailer.outbox]
    [('ana.souza@example.com', 'welcome'), ('ana.souza@example.com', 'new_pin')]
    >>> service.login("ana.souza@example.com", "ainda não tenho senha", "000000")
    Traceback (most recent call last):
    ...
    otocore.errors.AuthenticationFailed: login refused: a new password is required; use password recovery to set one
"""

from __future__ import annotations

import logging
import random
import re
import secrets
from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime
from typing import TypeVar

import attrs

from otocore import _validate as v
from otocore.access import (
    PERMISSIONS,
    Action,
    Outcome,
    Principal,
    Target,
    append_entry,
    denial_reason,
    grantable_roles,
    permission_denied,
)
from otocore.auth import (
    REDACTED,
    Account,
    AccountState,
    AccountToken,
    LoginOutcome,
    PinDelivery,
    Role,
    SecretHasher,
    SecurityPolicy,
    TokenCheck,
    TokenPurpose,
    after_password_reset,
    after_unlock,
    check_pin_format,
    check_token,
    hash_token,
    is_trivial_pin,
    issue_token,
    login_decision,
    new_pin,
    normalize_login_email,
)
from otocore.clock import Clock
from otocore.customers import Email
from otocore.distribution import Balanced, RedistributionTarget, ToSeller
from otocore.errors import (
    AuthenticationFailed,
    InvalidToken,
    NotFound,
    OtocoreError,
    RuleViolation,
    ValidationError,
)
from otocore.mail import (
    Mailer,
    Message,
    new_pin_message,
    password_recovery_message,
    pin_link_message,
    welcome_message,
)
from otocore.management import activate_seller_in_transaction, deactivate_seller_in_transaction
from otocore.repositories import UnitOfWork

__all__ = ["AccountService", "SecurityPolicy"]

logger = logging.getLogger(__name__)

_T = TypeVar("_T")

_PASSWORD_PAGE = "nova-senha"  # noqa: S105 - a page of the app, not a secret
_PIN_PAGE = "novo-pin"
_BOOTSTRAP_ACTOR = "bootstrap"
_MAX_DETAIL = 1000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


# Helpers --------------------------------------------------------------------------


def _require_str(field: str, value: object) -> str:
    """A secret (or login) argument must be a str; the value is never echoed."""
    if not isinstance(value, str):
        raise ValidationError(field, REDACTED, "must be a string")
    return value


def _require_principal(value: object) -> Principal:
    if not isinstance(value, Principal):
        raise ValidationError("actor", value, "must be a Principal")
    return value


def _optional_key(field: str, value: object, max_length: int = 100) -> str | None:
    if value is None:
        return None
    return v.require_text(field, value, max_length=max_length)


def _principal_of(account: Account) -> Principal:
    return Principal(
        account_id=account.account_id,
        roles=account.roles,
        store_id=account.store_id,
        seller_code=account.seller_code,
    )


def _target_of(account: Account) -> Target:
    return Target(
        store_id=account.store_id, account_id=account.account_id, seller_code=account.seller_code
    )


def _detail(text: str) -> str:
    """Text an audit entry can carry: one line, valid Unicode, at most 1000 characters."""
    clean = text.encode("utf-8", "replace").decode("utf-8")
    clean = _CONTROL.sub(" ", clean).strip()
    if len(clean) > _MAX_DETAIL:
        clean = clean[: _MAX_DETAIL - 3].rstrip() + "..."
    return clean


def _grants(principal: Principal, action: Action) -> bool:
    return any(action in PERMISSIONS[role] for role in principal.roles)


def _seller_active(uow: UnitOfWork, account: Account) -> bool:
    if account.seller_code is None:
        return True
    try:
        return uow.sellers.get(account.seller_code).is_active
    except NotFound:
        return True  # no seller record: the account's own flag decides


def _is_active(uow: UnitOfWork, account: Account) -> bool:
    return account.state.active and _seller_active(uow, account)


# The service ---------------------------------------------------------------------


class AccountService:
    """Login, lockout, recovery, PIN reset and the audited management actions.

    Args:
        unit_of_work: a factory of **new** units of work on the brand's
            database (``db.unit_of_work``); each method opens its own.
        mailer: where e-mail goes (:class:`~otocore.adapters.mail.SmtpMailer`,
            or :class:`~otocore.adapters.mail.InMemoryMailer` in tests).
        clock: "now", for lockout, token expiry and the audit log.
        policy: the brand's :class:`SecurityPolicy`.
        hasher: the Argon2id hasher (default ``SecretHasher()``, OWASP's
            minimum parameters).
        rng: draws new PINs and account ids (default
            ``secrets.SystemRandom()``; a seeded ``random.Random`` in tests).
        token_bytes: draws the 32 random bytes of a token (default
            :func:`secrets.token_bytes`).

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.mail import InMemoryMailer
    >>> from otocore.adapters.memory import InMemoryDatabase
    >>> from otocore.clock import FixedClock
    >>> AccountService(
    ...     InMemoryDatabase().unit_of_work(),
    ...     mailer=InMemoryMailer(),
    ...     clock=FixedClock(datetime(2026, 5, 4, tzinfo=UTC)),
    ...     policy=SecurityPolicy(app_url="https://app.example.com"),
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: unit_of_work must be a callable that returns a new UnitOfWork (pass db.unit_of_work, not db.unit_of_work()), got InMemoryUnitOfWork(...)
    """

    def __init__(
        self,
        unit_of_work: Callable[[], UnitOfWork],
        *,
        mailer: Mailer,
        clock: Clock,
        policy: SecurityPolicy,
        hasher: SecretHasher | None = None,
        rng: random.Random | None = None,
        token_bytes: Callable[[int], bytes] = secrets.token_bytes,
    ) -> None:
        if not callable(unit_of_work):
            raise ValidationError(
                "unit_of_work",
                _Shown(f"{type(unit_of_work).__name__}(...)"),
                "must be a callable that returns a new UnitOfWork "
                "(pass db.unit_of_work, not db.unit_of_work())",
            )
        if not isinstance(mailer, Mailer):
            raise ValidationError("mailer", mailer, "must have a send(message) method (a Mailer)")
        if not isinstance(clock, Clock):
            raise ValidationError("clock", clock, "must be a Clock")
        if not isinstance(policy, SecurityPolicy):
            raise ValidationError("policy", policy, "must be a SecurityPolicy")
        if hasher is not None and not isinstance(hasher, SecretHasher):
            raise ValidationError("hasher", hasher, "must be a SecretHasher or None")
        if rng is not None and not isinstance(rng, random.Random):
            raise ValidationError("rng", rng, "must be a random.Random or None")
        if not callable(token_bytes):
            raise ValidationError("token_bytes", token_bytes, "must be a callable(n) -> bytes")
        self._unit_of_work = unit_of_work
        self._mailer = mailer
        self._clock = clock
        self.policy = policy
        self._hasher = hasher if hasher is not None else SecretHasher()
        self._rng = rng if rng is not None else secrets.SystemRandom()
        self._token_bytes = token_bytes

    def __repr__(self) -> str:
        return f"AccountService(policy={self.policy!r})"

    # login ------------------------------------------------------------------

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
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
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
        _require_str("login.email", email)
        _require_str("login.password", password)
        _require_str("login.pin", pin)
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
        return _principal_of(signed_in)

    def _decide(
        self, uow: UnitOfWork, account: Account, *, password_ok: bool, pin_ok: bool
    ) -> tuple[LoginOutcome, Account]:
        state = account.state
        seen = state if _seller_active(uow, account) else attrs.evolve(state, active=False)
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
        if len(email) > 1000:
            return None
        try:
            return normalize_login_email(email)
        except ValidationError:
            return None

    def _spend_verification(self, secret: str, *, shaped: bool) -> None:
        # one Argon2 verification's worth of work against a dummy hash; a malformed secret
        # (empty, absurdly long) is replaced, as verify() would do no work for it
        self._hasher.verify_unknown(secret if shaped else "otocore")

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

    # recovery -----------------------------------------------------------------

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
            ValidationError: ``email`` is not a string or not an e-mail
                address (which says nothing about accounts).

        Examples:
            >>> from datetime import UTC, datetime
            >>> from otocore.adapters.mail import InMemoryMailer
            >>> from otocore.adapters.memory import InMemoryDatabase
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
        _require_str("email", email)
        address = normalize_login_email(email)
        uow = self._unit_of_work()
        message: Message | None = None
        account_id: str | None = None
        with uow.writing():
            now = self._now()
            account = uow.accounts.find_by_email(address)
            if account is None or not _is_active(uow, account):
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
                        link=self._link(_PASSWORD_PAGE, text),
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
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
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
        _require_str("token", token)
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
            >>> from otocore.adapters.mail import InMemoryMailer
            >>> from otocore.adapters.memory import InMemoryDatabase
            >>> from otocore.auth import PinDelivery, PinPolicy
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
        _require_str("token", token)
        self._check_new_pin(new_pin)
        pin_hash = self._hasher.hash(new_pin)
        uow = self._unit_of_work()
        with uow.writing():
            now = self._now()
            stored, account = self._redeem(uow, token, TokenPurpose.PIN, now)
            uow.accounts.save(attrs.evolve(account, pin_hash=pin_hash))
            uow.tokens.mark_used(stored.record.token_hash, now)
        logger.info("PIN set through a link for account %s", account.account_id)

    # management (audited) -------------------------------------------------------

    def unlock(self, actor: Principal, account_id: str) -> None:
        """Unlock an account ("desbloqueá-lo"); its owner must then set a new password.

        Allowed to a manager of the account's store and to a brand admin,
        never on one's own account, and only on accounts whose roles the actor
        could grant (a store manager unlocks sellers). The lock and the
        failure count are cleared, the password is removed and "new password
        required" is set (:func:`~otocore.auth.after_unlock`): until recovery
        sets a new one, login answers ``"new_password_required"`` even to the
        old, right password. Audited.

        Raises:
            PermissionDenied: the actor may not (logged DENIED).
            NotFound: no such account (logged FAILED).

        >>> from datetime import UTC, datetime
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.clock import FixedClock
        >>> service = AccountService(
        ...     InMemoryDatabase().unit_of_work,
        ...     mailer=InMemoryMailer(),
        ...     clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
        ...     policy=SecurityPolicy(app_url="https://app.example.com"),
        ...     hasher=SecretHasher.insecure_for_tests(),
        ... )
        >>> first = service.create_first_admin(
        ...     email="admin@example.com", password="cavalo correto bateria grampo", pin="482913"
        ... )
        >>> service.unlock(service.principal_for(first.account_id), first.account_id)
        Traceback (most recent call last):
        ...
        otocore.errors.PermissionDenied: brand_admin ... may not unlock_account on account ...: nobody may unlock_account on their own account
        """
        actor = _require_principal(actor)
        account_id = v.require_text("account_id", account_id, max_length=100)

        def locate(uow: UnitOfWork) -> Target:
            return _target_of(uow.accounts.get(account_id))

        def check(uow: UnitOfWork, current: Principal) -> str | None:
            return self._may_manage(current, uow.accounts.get(account_id))

        def work(uow: UnitOfWork, now: datetime) -> str:
            account = uow.accounts.get(account_id)
            state = after_unlock(account.state)
            uow.accounts.save(attrs.evolve(account, password_hash=None, state=state))
            return "password removed; a new password is required"

        self._audited(
            actor,
            [Action.UNLOCK_ACCOUNT],
            locate=locate,
            fallback=Target(account_id=account_id),
            work=work,
            check=check,
        )
        logger.info("account %s unlocked by %s", account_id, actor.account_id)

    def reset_pin(self, actor: Principal, account_id: str) -> None:
        """Reset an account's PIN ("resetar o código PIN"); the manager never sees it.

        Allowed as :meth:`unlock` is. With ``PinDelivery.EMAIL_PIN`` a new
        random, non-trivial PIN is drawn with ``rng``, its hash stored and the
        PIN e-mailed to the account's own registered address; with
        ``EMAIL_LINK`` the PIN is removed and a single-use ``novo-pin`` link is
        e-mailed instead. Either way the old PIN stops working at once. An
        inactive account gets no PIN (RuleViolation). Audited; the e-mail goes
        after the commit, and a mailer error is raised to the caller (the new
        PIN is already in place: reset again to send another).

        Raises:
            PermissionDenied: the actor may not (logged DENIED).
            NotFound: no such account (logged FAILED).
            RuleViolation: the account is inactive (logged FAILED).

        Examples:
            >>> from datetime import UTC, datetime
            >>> from otocore.adapters.mail import InMemoryMailer
            >>> from otocore.adapters.memory import InMemoryDatabase
            >>> from otocore.clock import FixedClock
            >>> from otocore.sellers import Seller, Store
            >>> db, mailer = InMemoryDatabase(), InMemoryMailer()
            >>> service = AccountService(
            ...     db.unit_of_work,
            ...     mailer=mailer,
            ...     clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
            ...     policy=SecurityPolicy(app_url="https://app.example.com"),
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
            >>> mailer.outbox.clear()
            >>> service.reset_pin(admin, ana.account_id)
            >>> [(m.to.address, m.kind.value) for m in mailer.outbox]
            [('ana@example.com', 'new_pin')]
        """
        actor = _require_principal(actor)
        account_id = v.require_text("account_id", account_id, max_length=100)
        delivery = self.policy.pin.delivery
        pin = new_pin(self._rng, self.policy.pin) if delivery is PinDelivery.EMAIL_PIN else None
        pin_hash = self._hasher.hash(pin) if pin is not None else None

        def locate(uow: UnitOfWork) -> Target:
            return _target_of(uow.accounts.get(account_id))

        def check(uow: UnitOfWork, current: Principal) -> str | None:
            return self._may_manage(current, uow.accounts.get(account_id))

        def work(uow: UnitOfWork, now: datetime) -> Message:
            account = uow.accounts.get(account_id)
            if not _is_active(uow, account):
                raise RuleViolation(f"account {account_id} is inactive; it gets no new PIN")
            uow.accounts.save(attrs.evolve(account, pin_hash=pin_hash))
            return self._pin_message(uow, account, pin, now)

        message = self._audited(
            actor,
            [Action.RESET_PIN],
            locate=locate,
            fallback=Target(account_id=account_id),
            work=work,
            check=check,
            detail=lambda _: f"delivery {delivery.value}",
        )
        logger.info("PIN of account %s reset by %s", account_id, actor.account_id)
        self._mailer.send(message)

    def create_account(
        self,
        actor: Principal,
        *,
        email: str,
        roles: Iterable[Role],
        seller_code: str | None = None,
        store_id: str | None = None,
        account_id: str | None = None,
    ) -> Account:
        """Create a login account ("Novo Usuário"); the welcome link and the PIN go by e-mail.

        Authorized as CREATE_USER on the account's store (a brand admin: any
        store; a store manager: its own), and ``roles`` must be among those
        the actor may grant (:func:`~otocore.access.grantable_roles`: a store
        manager grants only SELLER). A ``seller_code`` must name an active
        seller with no account yet; the store defaults to the seller's and
        must be the seller's. The account is created with no password and
        "new password required"; a PIN is set as :meth:`reset_pin` does. After
        the commit, the account's own address gets a WELCOME e-mail (a
        ``nova-senha`` link) and a NEW_PIN (or PIN_LINK) e-mail; a mailer error
        is raised to the caller (the account exists: use recovery and
        :meth:`reset_pin` to send new ones). Audited.

        Args:
            actor: who creates it.
            email: the new account's login e-mail (normalised).
            roles: its roles.
            seller_code: the seller it belongs to (required with SELLER).
            store_id: its store (required for a STORE_MANAGER with no seller).
            account_id: its id; drawn from ``rng`` (``u-`` and 16 hex digits)
                if ``None``.

        Returns:
            The stored :class:`~otocore.auth.Account`.

        Raises:
            ValidationError: malformed input (nothing is logged or changed).
            PermissionDenied: the actor may not (logged DENIED).
            NotFound: unknown seller or store (logged FAILED).
            RuleViolation: e-mail or id taken, seller inactive, of another
                store or with an account already (logged FAILED).

        >>> from datetime import UTC, datetime
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.clock import FixedClock
        >>> from otocore.sellers import Store
        >>> db = InMemoryDatabase()
        >>> service = AccountService(
        ...     db.unit_of_work,
        ...     mailer=InMemoryMailer(),
        ...     clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
        ...     policy=SecurityPolicy(app_url="https://app.example.com"),
        ...     hasher=SecretHasher.insecure_for_tests(),
        ... )
        >>> with db.unit_of_work() as uow:
        ...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        >>> admin = service.principal_for(
        ...     service.create_first_admin(
        ...         email="admin@example.com",
        ...         password="cavalo correto bateria grampo",
        ...         pin="482913",
        ...     ).account_id
        ... )
        >>> gerente = service.create_account(
        ...     admin,
        ...     email="Gerente.L01@example.com",
        ...     roles=[Role.STORE_MANAGER],
        ...     store_id="L01",
        ...     account_id="u-gerente",
        ... )
        >>> gerente.email, gerente.state.must_change_password, gerente.password_hash is None
        (Email('gerente.l01@example.com'), True, True)
        >>> service.create_account(
        ...     service.principal_for("u-gerente"), email="x@example.com", roles=[Role.BRAND_ADMIN]
        ... )
        Traceback (most recent call last):
        ...
        otocore.errors.PermissionDenied: store_manager u-gerente may not create_user on account u-...: store_manager acts only within its own store and the target names no store
        """
        actor = _require_principal(actor)
        _require_str("email", email)
        address = normalize_login_email(email)
        wanted = v.require_enum_set("roles", roles, Role)
        seller_code = _optional_key("seller_code", seller_code)
        store_id = _optional_key("store_id", store_id)
        account_id = _optional_key("account_id", account_id)
        if Role.SELLER in wanted and seller_code is None:
            raise ValidationError("seller_code", None, "must be set for a SELLER account")
        if Role.STORE_MANAGER in wanted and store_id is None and seller_code is None:
            raise ValidationError("store_id", None, "must be set for a STORE_MANAGER account")
        new_id = account_id if account_id is not None else self._new_account_id()
        delivery = self.policy.pin.delivery
        pin = new_pin(self._rng, self.policy.pin) if delivery is PinDelivery.EMAIL_PIN else None
        pin_hash = self._hasher.hash(pin) if pin is not None else None

        def locate(uow: UnitOfWork) -> Target:
            store = store_id
            if seller_code is not None:
                store = uow.sellers.get(seller_code).store_id
            elif store is not None:
                uow.stores.get(store)
            return Target(store_id=store, account_id=new_id, seller_code=seller_code)

        def check(uow: UnitOfWork, current: Principal) -> str | None:
            allowed = grantable_roles(current)
            if wanted <= allowed:
                return None
            names = ", ".join(sorted(r.value for r in allowed)) or "no role"
            asked = ", ".join(sorted(r.value for r in wanted - allowed))
            return f"may not grant {asked} (may grant: {names})"

        def work(uow: UnitOfWork, now: datetime) -> tuple[Account, list[Message]]:
            store = store_id
            if seller_code is not None:
                store = self._seller_for_new_account(uow, seller_code, store_id)
            account = Account(
                account_id=new_id,
                email=address,
                roles=wanted,
                seller_code=seller_code,
                store_id=store,
                pin_hash=pin_hash,
                state=AccountState(must_change_password=True),
            )
            uow.accounts.add(account)
            text = self._issue(uow, account, TokenPurpose.PASSWORD, now)
            link = self._link(_PASSWORD_PAGE, text)
            welcome = welcome_message(address, link=link, valid_for=self.policy.token_ttl)
            return account, [welcome, self._pin_message(uow, account, pin, now)]

        fallback = Target(store_id=store_id, account_id=new_id, seller_code=seller_code)
        account, messages = self._audited(
            actor,
            [Action.CREATE_USER],
            locate=locate,
            fallback=fallback,
            work=work,
            check=check,
            detail=lambda made: "roles " + ", ".join(sorted(r.value for r in made[0].roles)),
        )
        logger.info("account %s created by %s", account.account_id, actor.account_id)
        for message in messages:
            self._mailer.send(message)
        return account

    def create_first_admin(
        self, *, email: str, password: str, pin: str, account_id: str | None = None
    ) -> Account:
        """Create the brand's first account, a BRAND_ADMIN, with its password and PIN.

        Only while the brand has no account at all; audited with the actor
        ``"bootstrap"``. The password must pass ``policy.password`` and the
        PIN ``policy.pin`` (and not be trivial). Nothing is e-mailed.

        Raises:
            ValidationError: malformed e-mail, refused password or PIN (value
                not shown); nothing changes.
            RuleViolation: the brand already has accounts (logged FAILED).

        >>> from datetime import UTC, datetime
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.clock import FixedClock
        >>> service = AccountService(
        ...     InMemoryDatabase().unit_of_work,
        ...     mailer=InMemoryMailer(),
        ...     clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
        ...     policy=SecurityPolicy(app_url="https://app.example.com"),
        ...     hasher=SecretHasher.insecure_for_tests(),
        ... )
        >>> admin = service.create_first_admin(
        ...     email="admin@example.com",
        ...     password="cavalo correto bateria grampo",
        ...     pin="482913",
        ...     account_id="u-admin",
        ... )
        >>> admin
        Account(account_id='u-admin', email=Email('admin@example.com'), roles=frozenset({<Role.BRAND_ADMIN: 'brand_admin'>}), seller_code=None, store_id=None, state=AccountState(failures=0, locked=False, must_change_password=False, active=True))
        >>> service.create_first_admin(
        ...     email="outro@example.com", password="cavalo correto bateria grampo", pin="482913"
        ... )
        Traceback (most recent call last):
        ...
        otocore.errors.RuleViolation: the brand already has 1 account; the first brand admin is created only once
        """
        _require_str("email", email)
        address = normalize_login_email(email)
        self.policy.password.check_new_password(password)
        self._check_new_pin(pin)
        account_id = _optional_key("account_id", account_id)
        new_id = account_id if account_id is not None else self._new_account_id()
        password_hash = self._hasher.hash(password)
        pin_hash = self._hasher.hash(pin)
        target = Target(account_id=new_id)
        uow = self._unit_of_work()
        with uow.writing():
            now = self._now()
            existing = len(uow.accounts.list())
            if existing:
                error = RuleViolation(
                    f"the brand already has {existing} account{'s' if existing > 1 else ''}; "
                    "the first brand admin is created only once"
                )
                self._append(
                    uow,
                    now=now,
                    actor=_BOOTSTRAP_ACTOR,
                    action=Action.CREATE_USER,
                    target=target,
                    outcome=Outcome.FAILED,
                    detail=str(error),
                )
                uow.commit()
                raise error
            account = Account(
                account_id=new_id,
                email=address,
                roles={Role.BRAND_ADMIN},
                password_hash=password_hash,
                pin_hash=pin_hash,
            )
            uow.accounts.add(account)
            self._append(
                uow,
                now=now,
                actor=_BOOTSTRAP_ACTOR,
                action=Action.CREATE_USER,
                target=target,
                outcome=Outcome.ALLOWED,
                detail="first brand admin",
            )
        logger.info("first brand admin %s created", new_id)
        return account

    def activate_seller(self, actor: Principal, code: str) -> None:
        """Set a seller ACTIVE ("Ative um Vendedor") and its login account active.

        Authorized as ACTIVATE_SELLER on the seller's store; audited. The work
        is :func:`otocore.management.activate_seller`'s, in the same
        transaction as the audit entry.

        Raises:
            PermissionDenied: the actor may not (logged DENIED).
            NotFound: no such seller (logged FAILED).

        >>> from datetime import UTC, datetime
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.clock import FixedClock
        >>> from otocore.sellers import Seller, SellerStatus
        >>> db = InMemoryDatabase()
        >>> service = AccountService(
        ...     db.unit_of_work,
        ...     mailer=InMemoryMailer(),
        ...     clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
        ...     policy=SecurityPolicy(app_url="https://app.example.com"),
        ...     hasher=SecretHasher.insecure_for_tests(),
        ... )
        >>> with db.unit_of_work() as uow:
        ...     uow.sellers.add(
        ...         Seller(code="V01", name="Ana", store_id="L01", status=SellerStatus.INACTIVE)
        ...     )
        >>> admin = service.principal_for(
        ...     service.create_first_admin(
        ...         email="admin@example.com",
        ...         password="cavalo correto bateria grampo",
        ...         pin="482913",
        ...     ).account_id
        ... )
        >>> service.activate_seller(admin, "V01")
        >>> with db.unit_of_work() as uow:
        ...     uow.sellers.get("V01").is_active, [e.outcome.value for e in uow.audit.iter_all()]
        (True, ['allowed', 'allowed'])
        """
        actor = _require_principal(actor)
        code = v.require_text("code", code, max_length=100)

        def work(uow: UnitOfWork, now: datetime) -> None:
            activate_seller_in_transaction(uow, code)
            self._set_seller_account_active(uow, code, active=True)

        self._audited(
            actor,
            [Action.ACTIVATE_SELLER],
            locate=self._seller_target(code),
            fallback=Target(seller_code=code),
            work=work,
        )
        logger.info("seller %s activated by %s", code, actor.account_id)

    def deactivate_seller(
        self,
        actor: Principal,
        code: str,
        target: RedistributionTarget | None,
        *,
        as_of: date,
    ) -> dict[str, str]:
        """Set a seller INACTIVE ("Inative um vendedor"), redistribute the carteira, audited.

        Authorized as DEACTIVATE_SELLER on the seller's store, and also as
        REDISTRIBUTE_PORTFOLIO when ``target`` is given; one audit entry
        records the action. The work is
        :func:`otocore.management.deactivate_seller`'s, in the same
        transaction; the seller's login account becomes inactive too (login
        answers ``"inactive"``).

        Args:
            actor: who acts.
            code: the seller.
            target: :class:`~otocore.distribution.ToSeller`,
                :class:`~otocore.distribution.Balanced` ("Aleatório") or
                ``None`` (only deactivate).
            as_of: the local day the manual assignments start.

        Returns:
            customer_id -> the seller code each customer moved to.

        Raises:
            PermissionDenied: the actor may not (logged DENIED).
            NotFound: unknown seller or target seller (logged FAILED).
            RuleViolation: the target seller is inactive or of another store
                (logged FAILED; nothing else changes).

        Examples:
            >>> from datetime import UTC, datetime
            >>> from otocore.adapters.mail import InMemoryMailer
            >>> from otocore.adapters.memory import InMemoryDatabase
            >>> from otocore.clock import FixedClock
            >>> from otocore.distribution import ToSeller
            >>> from otocore.portfolio import AssignmentReason, PortfolioAssignment
            >>> from otocore.sellers import Seller
            >>> db = InMemoryDatabase()
            >>> service = AccountService(
            ...     db.unit_of_work,
            ...     mailer=InMemoryMailer(),
            ...     clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
            ...     policy=SecurityPolicy(app_url="https://app.example.com"),
            ...     hasher=SecretHasher.insecure_for_tests(),
            ... )
            >>> with db.unit_of_work() as uow:
            ...     uow.sellers.add(Seller(code="V01", name="Ana", store_id="L01"))
            ...     uow.sellers.add(Seller(code="V02", name="Bruno", store_id="L01"))
            ...     uow.portfolio.set(
            ...         PortfolioAssignment(
            ...             customer_id="C1",
            ...             seller_code="V01",
            ...             since=date(2026, 1, 1),
            ...             reason=AssignmentReason.DAILY_RULE,
            ...         )
            ...     )
            >>> admin = service.principal_for(
            ...     service.create_first_admin(
            ...         email="admin@example.com",
            ...         password="cavalo correto bateria grampo",
            ...         pin="482913",
            ...     ).account_id
            ... )
            >>> service.deactivate_seller(admin, "V01", ToSeller("V02"), as_of=date(2026, 5, 4))
            {'C1': 'V02'}
            >>> service.deactivate_seller(admin, "V02", ToSeller("V01"), as_of=date(2026, 5, 4))
            Traceback (most recent call last):
            ...
            otocore.errors.RuleViolation: ...
            >>> with db.unit_of_work() as uow:
            ...     [(e.action.value, e.outcome.value) for e in uow.audit.iter_all()][1:]
            [('deactivate_seller', 'allowed'), ('deactivate_seller', 'failed')]
        """
        actor = _require_principal(actor)
        code = v.require_text("code", code, max_length=100)
        if target is not None and not isinstance(target, ToSeller | Balanced):
            raise ValidationError("target", target, "must be ToSeller, Balanced or None")
        day = v.require_date("as_of", as_of)
        actions = [Action.DEACTIVATE_SELLER]
        if target is not None:
            actions.append(Action.REDISTRIBUTE_PORTFOLIO)

        def work(uow: UnitOfWork, now: datetime) -> dict[str, str]:
            moved = deactivate_seller_in_transaction(uow, code, target, as_of=day)
            self._set_seller_account_active(uow, code, active=False)
            return moved

        moved = self._audited(
            actor,
            actions,
            locate=self._seller_target(code),
            fallback=Target(seller_code=code),
            work=work,
            detail=lambda moved: "" if target is None else f"{len(moved)} customers redistributed",
        )
        logger.info("seller %s deactivated by %s", code, actor.account_id)
        return moved

    def principal_for(self, account_id: str) -> Principal:
        """The :class:`~otocore.access.Principal` of a stored account (its current roles).

        For tools that act as an account they already identified (the
        command line's ``--as``); an application gets principals from
        :meth:`login`.

        Raises:
            NotFound: no such account.

        >>> from datetime import UTC, datetime
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.clock import FixedClock
        >>> service = AccountService(
        ...     InMemoryDatabase().unit_of_work,
        ...     mailer=InMemoryMailer(),
        ...     clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
        ...     policy=SecurityPolicy(app_url="https://app.example.com"),
        ...     hasher=SecretHasher.insecure_for_tests(),
        ... )
        >>> service.principal_for("u-nobody")
        Traceback (most recent call last):
        ...
        otocore.errors.NotFound: Account 'u-nobody' not found
        """
        account_id = v.require_text("account_id", account_id, max_length=100)
        uow = self._unit_of_work()
        with uow:
            return _principal_of(uow.accounts.get(account_id))

    # internals ------------------------------------------------------------------

    def _now(self) -> datetime:
        return v.require_aware("clock.now()", self._clock.now())

    def _new_account_id(self) -> str:
        return f"u-{self._rng.getrandbits(64):016x}"

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
        if not _is_active(uow, account):
            raise InvalidToken
        return found, account

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

    @staticmethod
    def _seller_for_new_account(uow: UnitOfWork, seller_code: str, store_id: str | None) -> str:
        """The store of the seller a new account belongs to; refuses a taken or inactive one."""
        seller = uow.sellers.get(seller_code)
        if store_id is not None and store_id != seller.store_id:
            raise RuleViolation(
                f"seller {seller_code} works in store {seller.store_id}, not {store_id}"
            )
        if not seller.is_active:
            raise RuleViolation(
                f"seller {seller_code} is inactive; activate it before creating its account"
            )
        if uow.accounts.for_seller(seller_code) is not None:
            raise RuleViolation(f"seller {seller_code} already has an account")
        return seller.store_id

    def _may_manage(self, current: Principal, account: Account) -> str | None:
        allowed = grantable_roles(current)
        if account.roles <= allowed:
            return None
        roles = ", ".join(sorted(r.value for r in account.roles))
        return f"acts only on accounts with roles it may grant, and this account is {roles}"

    def _seller_target(self, code: str) -> Callable[[UnitOfWork], Target]:
        def locate(uow: UnitOfWork) -> Target:
            seller = uow.sellers.get(code)
            account = uow.accounts.for_seller(code)
            return Target(
                store_id=seller.store_id,
                seller_code=code,
                account_id=account.account_id if account is not None else None,
            )

        return locate

    @staticmethod
    def _set_seller_account_active(uow: UnitOfWork, code: str, *, active: bool) -> None:
        account = uow.accounts.for_seller(code)
        if account is not None and account.state.active is not active:
            state = attrs.evolve(account.state, active=active)
            uow.accounts.save(attrs.evolve(account, state=state))

    def _acting(self, uow: UnitOfWork, actor: Principal) -> tuple[Principal, str | None]:
        """The actor as stored now (its current roles), or why it may not act at all."""
        try:
            account = uow.accounts.get(actor.account_id)
        except NotFound:
            return actor, "the acting account does not exist"
        if not _is_active(uow, account):
            return actor, "the acting account is inactive"
        return _principal_of(account), None

    @staticmethod
    def _append(
        uow: UnitOfWork,
        *,
        now: datetime,
        actor: str,
        action: Action,
        target: Target,
        outcome: Outcome,
        detail: str,
    ) -> None:
        entry = append_entry(
            uow.audit.tail(),
            at=now,
            actor=actor,
            action=action,
            target=target,
            outcome=outcome,
            detail=_detail(detail),
        )
        uow.audit.append(entry)

    def _audited(
        self,
        actor: Principal,
        actions: Sequence[Action],
        *,
        locate: Callable[[UnitOfWork], Target],
        fallback: Target,
        work: Callable[[UnitOfWork, datetime], _T],
        check: Callable[[UnitOfWork, Principal], str | None] | None = None,
        detail: Callable[[_T], str] = lambda _: "",
    ) -> _T:
        """Authorize, do the work and append one audit entry, in one write-locked block.

        DENIED: the entry is committed, then PermissionDenied is raised.
        The work raises an OtocoreError: its writes are rolled back, a FAILED
        entry is committed and the error re-raised. Otherwise the work and
        the ALLOWED entry commit together. An unknown target is FAILED
        (NotFound) for an actor with some role granting the action, DENIED
        for anyone else.
        """
        main = actions[0]
        uow = self._unit_of_work()
        with uow.writing():
            now = self._now()

            def record(action: Action, target: Target, outcome: Outcome, detail: str) -> None:
                self._append(
                    uow,
                    now=now,
                    actor=actor.account_id,
                    action=action,
                    target=target,
                    outcome=outcome,
                    detail=detail,
                )

            current, reason = self._acting(uow, actor)
            try:
                target = locate(uow)
            except OtocoreError as missing:
                if reason is None and not _grants(current, main):
                    reason = denial_reason(current, main, fallback)
                if reason is not None:
                    record(main, fallback, Outcome.DENIED, reason)
                    uow.commit()
                    raise permission_denied(actor, main, fallback, reason) from None
                record(main, fallback, Outcome.FAILED, str(missing))
                uow.commit()
                raise
            denied_action = main
            if reason is None:
                for action in actions:
                    reason = denial_reason(current, action, target)
                    if reason is not None:
                        denied_action = action
                        break
            if reason is None and check is not None:
                reason = check(uow, current)
            if reason is not None:
                record(denied_action, target, Outcome.DENIED, reason)
                uow.commit()
                raise permission_denied(actor, denied_action, target, reason)
            try:
                result = work(uow, now)
            except OtocoreError as error:
                uow.rollback()
                record(main, target, Outcome.FAILED, str(error))
                uow.commit()
                raise
            record(main, target, Outcome.ALLOWED, detail(result))
        return result


class _Shown:
    """A value shown as given text in an error message."""

    def __init__(self, text: str) -> None:
        self._text = text

    def __repr__(self) -> str:
        return self._text
