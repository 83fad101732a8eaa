"""The repository protocol of customer categories and their members (Altegio's *categorias*)."""

from __future__ import annotations

import builtins
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the protocols loads no domain module
    from otocore.categories import CustomerCategory


class CategoryRepository(Protocol):
    """Categorias de clientes: the brand's :class:`~otocore.categories.CustomerCategory` values and who is in each.

    A category is saved by id (:meth:`save` adds or replaces it, its members
    kept); :meth:`delete` removes it with its memberships. Memberships are a
    set of (category, customer) pairs: adding one twice or removing one that
    is not there changes nothing. The repository does not check that a
    customer exists (the services of :mod:`otocore.bulk` do, before writing).
    Lists come back sorted: categories by name, then id; customer ids
    ascending.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.categories import CustomerCategory
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.categories.save(CustomerCategory("VIP", "Clientes VIP", "#c0392b"))
    ...     uow.categories.add_members("VIP", ["C2", "C1", "C2"])
    2
    >>> with uow:
    ...     uow.categories.members("VIP"), [c.name for c in uow.categories.for_customer("C1")]
    (['C1', 'C2'], ['Clientes VIP'])
    """

    def save(self, category: CustomerCategory) -> None:
        """Add ``category``, or replace the stored one of the same id (its members stay)."""

    def get(self, category_id: str) -> CustomerCategory:
        """The category ``category_id``; :class:`~otocore.errors.NotFound` when there is none."""

    def list(self) -> builtins.list[CustomerCategory]:
        """Every category, by name then id."""

    def delete(self, category_id: str) -> int:
        """Remove the category and its memberships; return how many members it had.

        :class:`~otocore.errors.NotFound` when there is no such category.
        """

    def add_members(self, category_id: str, customer_ids: Iterable[str]) -> int:
        """Put the customers in the category; return how many were not in it before.

        :class:`~otocore.errors.NotFound` when there is no such category.
        """

    def remove_members(self, category_id: str, customer_ids: Iterable[str]) -> int:
        """Take the customers out of the category; return how many were in it.

        :class:`~otocore.errors.NotFound` when there is no such category.
        """

    def members(self, category_id: str) -> builtins.list[str]:
        """The ids of the category's customers, ascending (NotFound: no such category)."""

    def count_members(self, category_id: str) -> int:
        """How many customers the category has (NotFound: no such category)."""

    def for_customer(self, customer_id: str) -> builtins.list[CustomerCategory]:
        """The categories the customer is in, by name then id (empty when none)."""
