"""Administration of login accounts ("Usuários e permissões"), audited.

:meth:`~otocore.accounts.AccountService.unlock`,
:meth:`~otocore.accounts.AccountService.reset_pin`,
:meth:`~otocore.accounts.AccountService.create_account`,
:meth:`~otocore.accounts.AccountService.create_first_admin` and
:meth:`~otocore.accounts.AccountService.principal_for`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

import attrs

from otocore import _validate as v
from otocore.access import Action, Outcome, Principal, Target, grantable_roles
from otocore.accounts._audit import Audited, require_principal
from otocore.accounts._core import PASSWORD_PAGE, is_active, logger, principal_of, require_str
from otocore.auth import (
    Account,
    AccountState,
    PinDelivery,
    Role,
    TokenPurpose,
    after_unlock,
    new_pin,
    normalize_login_email,
)
from otocore.errors import RuleViolation, ValidationError
from otocore.mail import Message, welcome_message
from otocore.repositories import UnitOfWork

_BOOTSTRAP_ACTOR = "bootstrap"


def _optional_key(field: str, value: object, max_length: int = 100) -> str | None:
    if value is None:
        return None
    return v.require_text(field, value, max_length=max_length)


def _target_of(account: Account) -> Target:
    return Target(
        store_id=account.store_id, account_id=account.account_id, seller_code=account.seller_code
    )


class Administration(Audited):
    """The account administration part of :class:`~otocore.accounts.AccountService`."""

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
        >>> first = service.create_first_admin(
        ...     email="admin@example.com", password="cavalo correto bateria grampo", pin="482913"
        ... )
        >>> service.unlock(service.principal_for(first.account_id), first.account_id)
        Traceback (most recent call last):
        ...
        otocore.errors.PermissionDenied: brand_admin ... may not unlock_account on account ...: nobody may unlock_account on their own account
        """
        actor = require_principal(actor)
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
            >>> from otocore.accounts import AccountService, SecurityPolicy
            >>> from otocore.adapters.mail import InMemoryMailer
            >>> from otocore.adapters.memory import InMemoryDatabase
            >>> from otocore.auth import SecretHasher
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
        actor = require_principal(actor)
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
            if not is_active(uow, account):
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
        >>> from otocore.accounts import AccountService, SecurityPolicy
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.auth import SecretHasher
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
        actor = require_principal(actor)
        require_str("email", email)
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
            link = self._link(PASSWORD_PAGE, text)
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
        require_str("email", email)
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

    def principal_for(self, account_id: str) -> Principal:
        """The :class:`~otocore.access.Principal` of a stored account (its current roles).

        For tools that act as an account they already identified (the
        command line's ``--as``); an application gets principals from
        :meth:`login`.

        Raises:
            NotFound: no such account.

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
        >>> service.principal_for("u-nobody")
        Traceback (most recent call last):
        ...
        otocore.errors.NotFound: Account 'u-nobody' not found
        """
        account_id = v.require_text("account_id", account_id, max_length=100)
        uow = self._unit_of_work()
        with uow:
            return principal_of(uow.accounts.get(account_id))

    def _new_account_id(self) -> str:
        return f"u-{self._rng.getrandbits(64):016x}"

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
