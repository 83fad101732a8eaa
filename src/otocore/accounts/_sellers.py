"""Seller management ("Gestão de Vendedores"), audited.

:meth:`~otocore.accounts.AccountService.activate_seller` and
:meth:`~otocore.accounts.AccountService.deactivate_seller`: the work of
:mod:`otocore.management` in the same transaction as the permission check and
the audit entry, and the seller's login account follows the seller.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import attrs

from otocore import _validate as v
from otocore.access import Action, Principal, Target
from otocore.accounts._audit import Audited, require_principal
from otocore.accounts._core import logger
from otocore.distribution import Balanced, RedistributionTarget, ToSeller
from otocore.errors import ValidationError
from otocore.management import activate_seller_in_transaction, deactivate_seller_in_transaction
from otocore.repositories import UnitOfWork


class SellerManagement(Audited):
    """The seller management part of :class:`~otocore.accounts.AccountService`."""

    def activate_seller(self, actor: Principal, code: str) -> None:
        """Set a seller ACTIVE ("Ative um Vendedor") and its login account active.

        Authorized as ACTIVATE_SELLER on the seller's store; audited. The work
        is :func:`otocore.management.activate_seller`'s, in the same
        transaction as the audit entry.

        Raises:
            PermissionDenied: the actor may not (logged DENIED).
            NotFound: no such seller (logged FAILED).

        >>> from datetime import UTC, datetime
        >>> from otocore.accounts import AccountService, SecurityPolicy
        >>> from otocore.adapters.mail import InMemoryMailer
        >>> from otocore.adapters.memory import InMemoryDatabase
        >>> from otocore.auth import SecretHasher
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
        actor = require_principal(actor)
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
            >>> from otocore.accounts import AccountService, SecurityPolicy
            >>> from otocore.adapters.mail import InMemoryMailer
            >>> from otocore.adapters.memory import InMemoryDatabase
            >>> from otocore.auth import SecretHasher
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
        actor = require_principal(actor)
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
