"""The seller's day, audited: consent (opt-in, opt-out), blocked CPFs and the contact log.

:meth:`~otocore.accounts.AccountService.record_consent`,
:meth:`~otocore.accounts.AccountService.block_cpf`,
:meth:`~otocore.accounts.AccountService.unblock_cpf` and
:meth:`~otocore.accounts.AccountService.register_contact`: the work of
:mod:`otocore.attendance` and of the consent and block logs in the same
transaction as the permission check and the audit entry.

Whom each acts on (the audit entry's target):

- consent: the seller whose carteira holds the customer (their store and
  code), else the customer's home store, else the brand (``customer:<id>``);
  the detail names the customer, the channel and the change;
- blocks: the brand; the target is ``cpf:<masked CPF>`` (``***.982.247-**``),
  so the immutable audit log holds no whole CPF, and the block log's event has
  the same actor (``by``) and instant (``at``);
- contacts: the seller who attended (their store, code and account).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime

from otocore import _validate as v
from otocore.access import Action, Principal, Target
from otocore.accounts._audit import Audited, require_principal
from otocore.accounts._core import logger
from otocore.attendance import register_contact_in_transaction
from otocore.blocking import BlockEvent, BlockFeature, BlockList
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.contacts import Contact
from otocore.customers import Cpf
from otocore.errors import NotFound, RuleViolation
from otocore.repositories import UnitOfWork


def _feature_names(features: Iterable[BlockFeature]) -> str:
    return ", ".join(f.value for f in BlockFeature if f in set(features))


class Clienteling(Audited):
    """The consent, block and contact part of :class:`~otocore.accounts.AccountService`."""

    def record_consent(
        self,
        actor: Principal,
        customer_id: str,
        channel: ContactChannel,
        *,
        granted: bool,
        source: ConsentSource,
    ) -> ConsentEvent:
        """Record an opt-in (``granted=True``) or an opt-out of a customer on a channel.

        Authorized as MANAGE_CONSENT on the seller whose carteira holds the
        customer (a seller: their own customers; a store manager: their
        store's; a brand admin or a call-center operator: any), or on the
        customer's home store when no carteira holds them; audited. The event
        takes effect now (the service's clock) and is recorded by the acting
        account's id.

        Raises:
            PermissionDenied: the actor may not (logged DENIED).
            NotFound: no such customer (logged FAILED).

        >>> from datetime import UTC, datetime
        >>> from otocore.accounts import AccountService, SecurityPolicy
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.auth import SecretHasher
        >>> from otocore.clock import FixedClock
        >>> from otocore.customers import Customer
        >>> db = InMemoryDatabase()
        >>> service = AccountService(
        ...     db.unit_of_work,
        ...     mailer=InMemoryMailer(),
        ...     clock=FixedClock(datetime(2026, 11, 2, 13, tzinfo=UTC)),
        ...     policy=SecurityPolicy(app_url="https://app.example.com"),
        ...     hasher=SecretHasher.insecure_for_tests(),
        ... )
        >>> with db.unit_of_work() as uow:
        ...     uow.customers.add(
        ...         Customer(
        ...             customer_id="C1",
        ...             name="Ana",
        ...             registered_at=datetime(2025, 1, 1, tzinfo=UTC),
        ...             home_store_id="L01",
        ...         )
        ...     )
        >>> admin = service.principal_for(
        ...     service.create_first_admin(
        ...         email="admin@example.com",
        ...         password="cavalo correto bateria grampo",
        ...         pin="482913",
        ...     ).account_id
        ... )
        >>> event = service.record_consent(
        ...     admin, "C1", ContactChannel.WHATSAPP, granted=True, source=ConsentSource.BRAND
        ... )
        >>> event.granted, event.recorded_by == admin.account_id
        (True, True)
        >>> with db.unit_of_work() as uow:
        ...     last = list(uow.audit.iter_all())[-1]
        >>> last.action.value, last.target.store_id, last.detail
        ('manage_consent', 'L01', 'customer C1: whatsapp granted (brand)')
        """
        actor = require_principal(actor)
        customer_id = v.require_text("customer_id", customer_id, max_length=100)
        v.require_enum("channel", channel, ContactChannel)
        v.require_bool("granted", granted)
        v.require_enum("source", source, ConsentSource)

        def work(uow: UnitOfWork, now: datetime) -> ConsentEvent:
            event = ConsentEvent(
                customer_id=customer_id,
                channel=channel,
                granted=granted,
                at=now,
                source=source,
                recorded_by=actor.account_id,
            )
            uow.consent.append(event)
            return event

        change = "granted" if granted else "revoked"
        event = self._audited(
            actor,
            [Action.MANAGE_CONSENT],
            locate=self._customer_target(customer_id),
            fallback=Target(account_id=f"customer:{customer_id}"),
            work=work,
            detail=lambda _: f"customer {customer_id}: {channel.value} {change} ({source.value})",
        )
        logger.info("consent of %s %s by %s", customer_id, change, actor.account_id)
        return event

    def block_cpf(
        self, actor: Principal, cpf: Cpf, features: Iterable[BlockFeature], *, reason: str
    ) -> BlockEvent:
        """Block a CPF for some features ("Cadastros bloqueados"), from now on.

        Authorized as MANAGE_BLOCKS on the brand (brand admins); audited with
        the CPF masked. The block takes effect now (the service's clock); the
        event's ``by`` is the acting account's id.

        Raises:
            PermissionDenied: the actor may not (logged DENIED).

        >>> from datetime import UTC, datetime
        >>> from otocore.accounts import AccountService, SecurityPolicy
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.auth import SecretHasher
        >>> from otocore.clock import FixedClock
        >>> db = InMemoryDatabase()
        >>> service = AccountService(
        ...     db.unit_of_work,
        ...     mailer=InMemoryMailer(),
        ...     clock=FixedClock(datetime(2026, 11, 2, 13, tzinfo=UTC)),
        ...     policy=SecurityPolicy(app_url="https://app.example.com"),
        ...     hasher=SecretHasher.insecure_for_tests(),
        ... )
        >>> admin = service.principal_for(
        ...     service.create_first_admin(
        ...         email="admin@example.com",
        ...         password="cavalo correto bateria grampo",
        ...         pin="482913",
        ...     ).account_id
        ... )
        >>> cpf = Cpf.parse("529.982.247-25")
        >>> service.block_cpf(admin, cpf, [BlockFeature.CAMPAIGNS], reason="pedido LGPD").blocked
        True
        >>> service.unblock_cpf(admin, cpf, [BlockFeature.LOYALTY], reason="engano")
        Traceback (most recent call last):
        ...
        otocore.errors.RuleViolation: CPF ***.982.247-** is not blocked for loyalty; nothing to unblock
        """
        return self._set_block(actor, cpf, features, reason=reason, blocked=True)

    def unblock_cpf(
        self, actor: Principal, cpf: Cpf, features: Iterable[BlockFeature], *, reason: str
    ) -> BlockEvent:
        """Unblock a CPF for some features, from now on; the block stays in the log.

        Authorized and audited as :meth:`block_cpf`. Unblocking a CPF that is
        blocked for none of ``features`` is a
        :class:`~otocore.errors.RuleViolation` (logged FAILED): most likely a
        mistyped CPF.

        >>> from datetime import UTC, datetime
        >>> from otocore.accounts import AccountService, SecurityPolicy
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.auth import SecretHasher
        >>> from otocore.clock import FixedClock
        >>> db = InMemoryDatabase()
        >>> service = AccountService(
        ...     db.unit_of_work,
        ...     mailer=InMemoryMailer(),
        ...     clock=FixedClock(datetime(2026, 11, 2, 13, tzinfo=UTC)),
        ...     policy=SecurityPolicy(app_url="https://app.example.com"),
        ...     hasher=SecretHasher.insecure_for_tests(),
        ... )
        >>> admin = service.principal_for(
        ...     service.create_first_admin(
        ...         email="admin@example.com",
        ...         password="cavalo correto bateria grampo",
        ...         pin="482913",
        ...     ).account_id
        ... )
        >>> cpf = Cpf.parse("52998224725")
        >>> _ = service.block_cpf(admin, cpf, [BlockFeature.CAMPAIGNS], reason="pedido LGPD")
        >>> service.unblock_cpf(admin, cpf, [BlockFeature.CAMPAIGNS], reason="voltou").blocked
        False
        """
        return self._set_block(actor, cpf, features, reason=reason, blocked=False)

    def _set_block(
        self,
        actor: Principal,
        cpf: Cpf,
        features: Iterable[BlockFeature],
        *,
        reason: str,
        blocked: bool,
    ) -> BlockEvent:
        actor = require_principal(actor)
        cpf = v.require_instance("cpf", cpf, Cpf, rule="must be a Cpf (build it with Cpf.parse)")
        chosen = v.require_enum_set("features", features, BlockFeature)
        reason = v.require_text("reason", reason, max_length=500)
        names = _feature_names(chosen)
        target = Target(account_id=f"cpf:{cpf.masked}")

        def work(uow: UnitOfWork, now: datetime) -> BlockEvent:
            if not blocked:
                current = BlockList.from_events(uow.blocks.for_cpf(cpf))
                if not current.blocked_features(cpf, now) & chosen:
                    raise RuleViolation(
                        f"CPF {cpf.masked} is not blocked for {names}; nothing to unblock"
                    )
            event = BlockEvent(
                cpf=cpf,
                features=chosen,
                blocked=blocked,
                reason=reason,
                by=actor.account_id,
                at=now,
            )
            uow.blocks.append(event)
            return event

        verb = "blocked" if blocked else "unblocked"
        event = self._audited(
            actor,
            [Action.MANAGE_BLOCKS],
            locate=lambda _: target,
            fallback=target,
            work=work,
            detail=lambda _: f"{verb} for {names}: {reason}",
        )
        logger.info("a CPF %s for %s by %s", verb, names, actor.account_id)
        return event

    def register_contact(self, actor: Principal, contact: Contact) -> Contact:
        """Register an attendance ("registro do atendimento") as ``actor``, audited.

        Authorized as REGISTER_CONTACT on the contact's seller (a seller: their
        own contacts; a store manager: their store's sellers; a brand admin or
        a call-center operator: any). The work is
        :func:`otocore.attendance.register_contact`'s (the suggestion it
        answers moves on, a consent change becomes a consent event, the contact
        feeds quarantine), in the same transaction as the audit entry.

        Returns:
            The stored contact.

        Raises:
            PermissionDenied: the actor may not (logged DENIED).
            NotFound: unknown seller, customer or suggestion (logged FAILED
                for an actor whose roles grant registering contacts).
            RuleViolation: the suggestion is another customer's, or already
                final (logged FAILED; nothing else changes).

        >>> from datetime import UTC, datetime
        >>> from otocore.accounts import AccountService, SecurityPolicy
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.auth import SecretHasher
        >>> from otocore.clock import FixedClock
        >>> from otocore.customers import Customer
        >>> from otocore.sellers import Seller
        >>> db = InMemoryDatabase()
        >>> when = datetime(2026, 11, 2, 13, tzinfo=UTC)
        >>> service = AccountService(
        ...     db.unit_of_work,
        ...     mailer=InMemoryMailer(),
        ...     clock=FixedClock(when),
        ...     policy=SecurityPolicy(app_url="https://app.example.com"),
        ...     hasher=SecretHasher.insecure_for_tests(),
        ... )
        >>> with db.unit_of_work() as uow:
        ...     uow.sellers.add(Seller(code="V01", name="Ana", store_id="L01"))
        ...     uow.customers.add(
        ...         Customer(
        ...             customer_id="C1", name="Bia", registered_at=datetime(2025, 1, 1, tzinfo=UTC)
        ...         )
        ...     )
        >>> admin = service.principal_for(
        ...     service.create_first_admin(
        ...         email="admin@example.com",
        ...         password="cavalo correto bateria grampo",
        ...         pin="482913",
        ...     ).account_id
        ... )
        >>> stored = service.register_contact(
        ...     admin,
        ...     Contact(
        ...         contact_id="K1",
        ...         seller_code="V01",
        ...         customer_id="C1",
        ...         channel=ContactChannel.WHATSAPP,
        ...         started_at=when,
        ...         finished_at=when,
        ...         in_portfolio=False,
        ...     ),
        ... )
        >>> stored.in_portfolio  # a walk-in: outside the seller's carteira
        False
        >>> with db.unit_of_work() as uow:
        ...     last = list(uow.audit.iter_all())[-1]
        >>> last.action.value, last.outcome.value, last.target.seller_code, last.detail
        ('register_contact', 'allowed', 'V01', 'contact K1 with customer C1: finished')
        """
        actor = require_principal(actor)
        contact = v.require_instance("contact", contact, Contact)

        def locate(uow: UnitOfWork) -> Target:
            seller = uow.sellers.get(contact.seller_code)
            account = uow.accounts.for_seller(contact.seller_code)
            return Target(
                store_id=seller.store_id,
                seller_code=seller.code,
                account_id=account.account_id if account is not None else None,
            )

        def work(uow: UnitOfWork, now: datetime) -> Contact:
            return register_contact_in_transaction(uow, contact)

        def detail(stored: Contact) -> str:
            text = f"contact {stored.contact_id} with customer {stored.customer_id}: "
            text += stored.outcome.value
            change = stored.consent_change
            if change is not None:
                text += f"; {change.channel.value} {'granted' if change.granted else 'revoked'}"
            if stored.follow_up is not None:
                text += f"; follow-up on {stored.follow_up.day}"
            return text

        stored = self._audited(
            actor,
            [Action.REGISTER_CONTACT],
            locate=locate,
            fallback=Target(seller_code=contact.seller_code),
            work=work,
            detail=detail,
        )
        logger.info("contact %s registered by %s", stored.contact_id, actor.account_id)
        return stored

    def _customer_target(self, customer_id: str) -> Callable[[UnitOfWork], Target]:
        def locate(uow: UnitOfWork) -> Target:
            customer = uow.customers.get(customer_id)
            assignment = uow.portfolio.get(customer_id)
            if assignment is not None and assignment.seller_code is not None:
                try:
                    seller = uow.sellers.get(assignment.seller_code)
                except NotFound:
                    return Target(seller_code=assignment.seller_code)
                return Target(store_id=seller.store_id, seller_code=seller.code)
            if customer.home_store_id is not None:
                return Target(store_id=customer.home_store_id)
            return Target(account_id=f"customer:{customer_id}")

        return locate
