"""Gestão de vendedores (seller management): activate, deactivate, redistribute.

From Oto's help page for managers and campaigns ("Inative um vendedor"): the store
manager sets a seller's status to Inativo and then may redistribute that
seller's carteira "para um vendedor específico de sua loja" or "de forma
equilibrada entre todos os seus vendedores cadastrados e ativos"
("Aleatório"). :func:`deactivate_seller` does both in one transaction and
writes the moved customers as manual assignments
(:attr:`~otocore.portfolio.AssignmentReason.MANUAL`) since ``as_of``; the
daily job keeps them while the customer has no active preferred seller
(see :mod:`otocore.daily`).

These functions neither authorize nor audit: they are for tools that already
decided who may act (imports, scripts). An application acting for a manager
uses :meth:`otocore.accounts.AccountService.activate_seller` and
:meth:`~otocore.accounts.AccountService.deactivate_seller`, which do the same
work inside one transaction with the permission check and the audit entry, and
also set the seller's login account active or inactive.

>>> from datetime import date
>>> from otocore.adapters.memory import InMemoryUnitOfWork
>>> from otocore.distribution import ToSeller
>>> from otocore.portfolio import AssignmentReason, PortfolioAssignment
>>> from otocore.sellers import Seller, Store
>>> uow = InMemoryUnitOfWork()
>>> with uow:
...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
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
>>> deactivate_seller(uow, "V01", ToSeller("V02"), as_of=date(2026, 5, 10))
{'C1': 'V02'}
>>> with uow:
...     uow.sellers.get("V01").status.value, uow.portfolio.get("C1").reason.value
('inactive', 'manual_redistribution')
"""

from __future__ import annotations

from datetime import date

import attrs

from otocore import _validate as v
from otocore.distribution import RedistributionTarget, redistribute
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.sellers import SellerStatus

__all__ = [
    "activate_seller",
    "activate_seller_in_transaction",
    "deactivate_seller",
    "deactivate_seller_in_transaction",
]


def deactivate_seller(
    uow: UnitOfWork,
    code: str,
    target: RedistributionTarget | None,
    *,
    as_of: date,
) -> dict[str, str]:
    """Set seller ``code`` INACTIVE and redistribute their carteira, atomically.

    Args:
        uow: the brand's unit of work.
        code: the seller to deactivate (already inactive is fine: the
            carteira is redistributed again).
        target: :class:`~otocore.distribution.ToSeller` or
            :class:`~otocore.distribution.Balanced`; ``None`` only deactivates,
            leaving the customers to the next daily run.
        as_of: the local day the manual assignments start.

    Returns:
        customer_id -> the seller code each customer moved to.

    Raises:
        NotFound: no seller ``code``, or an unknown target seller.
        RuleViolation: the target is inactive or of another store, or the
            store has no other active seller; nothing is written.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> deactivate_seller(InMemoryUnitOfWork(), "V9", None, as_of=date(2026, 5, 10))
    Traceback (most recent call last):
    ...
    otocore.errors.NotFound: Seller 'V9' not found
    """
    v.require_date("as_of", as_of)
    with uow.writing():
        moved = deactivate_seller_in_transaction(uow, code, target, as_of=as_of)
    return moved


def activate_seller(uow: UnitOfWork, code: str) -> None:
    """Set seller ``code`` ACTIVE; the next daily run may give them customers.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.sellers import Seller
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.sellers.add(
    ...         Seller(code="V01", name="Ana", store_id="L01", status=SellerStatus.INACTIVE)
    ...     )
    >>> activate_seller(uow, "V01")
    >>> with uow:
    ...     uow.sellers.get("V01").is_active
    True
    """
    with uow.writing():
        activate_seller_in_transaction(uow, code)


# The same work for a caller that already opened ``uow.writing()`` (the audited
# versions in :class:`otocore.accounts.AccountService` add their permission check and
# audit entry to the same transaction).


def deactivate_seller_in_transaction(
    uow: UnitOfWork, code: str, target: RedistributionTarget | None, *, as_of: date
) -> dict[str, str]:
    """:func:`deactivate_seller`'s work inside a transaction the caller opened and commits.

    For a caller that writes more in the same transaction (the audited
    :meth:`otocore.accounts.AccountService.deactivate_seller` adds its audit
    entry): call it inside ``with uow.writing():``. It neither opens nor
    commits; if it raises, nothing it wrote is kept once the caller's block
    rolls back.

    Args:
        uow: the brand's unit of work, inside ``uow.writing()``.
        code: the seller to deactivate.
        target: :class:`~otocore.distribution.ToSeller`,
            :class:`~otocore.distribution.Balanced` or ``None``.
        as_of: the local day the manual assignments start.

    Returns:
        customer_id -> the seller code each customer moved to.

    Raises:
        NotFound: no seller ``code``, or an unknown target seller.
        RuleViolation: the target is inactive or of another store, or the
            store has no other active seller.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.distribution import ToSeller
    >>> from otocore.sellers import Seller
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
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
    >>> with uow.writing():
    ...     moved = deactivate_seller_in_transaction(
    ...         uow, "V01", ToSeller("V02"), as_of=date(2026, 5, 10)
    ...     )
    ...     # ... the caller's own writes go here, in the same transaction
    >>> moved
    {'C1': 'V02'}
    >>> with uow:
    ...     uow.sellers.get("V01").is_active, uow.portfolio.get("C1").since
    (False, datetime.date(2026, 5, 10))
    """
    v.require_date("as_of", as_of)
    seller = uow.sellers.get(code)
    inactive = attrs.evolve(seller, status=SellerStatus.INACTIVE)
    uow.sellers.add(inactive)
    if target is None:
        return {}
    customers = [a.customer_id for a in uow.portfolio.list(seller_code=code)]
    moved = redistribute(customers, inactive, uow.sellers.list(), target)
    uow.portfolio.set_many(
        PortfolioAssignment(
            customer_id=customer_id,
            seller_code=to_seller,
            since=as_of,
            reason=AssignmentReason.MANUAL,
        )
        for customer_id, to_seller in sorted(moved.items())
    )
    return moved


def activate_seller_in_transaction(uow: UnitOfWork, code: str) -> None:
    """:func:`activate_seller`'s work inside a transaction the caller opened and commits.

    Call it inside ``with uow.writing():`` (the audited
    :meth:`otocore.accounts.AccountService.activate_seller` adds its audit
    entry and the seller's login account to the same transaction).

    Raises:
        NotFound: no seller ``code``.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.sellers import Seller
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.sellers.add(
    ...         Seller(code="V01", name="Ana", store_id="L01", status=SellerStatus.INACTIVE)
    ...     )
    >>> with uow.writing():
    ...     activate_seller_in_transaction(uow, "V01")
    >>> with uow:
    ...     uow.sellers.get("V01").is_active
    True
    """
    seller = uow.sellers.get(code)
    uow.sellers.add(attrs.evolve(seller, status=SellerStatus.ACTIVE))
