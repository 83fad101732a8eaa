"""Repository protocol of the registry search: customers found by CPF, RG, name, e-mail, mobile, card."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the protocols loads no domain module
    from otocore.search import CustomerQuery, PageRequest, SearchPage, Sort


class CustomerSearchRepository(Protocol):
    """Busca no cadastro (registry search) over the stored customers and their orders.

    Both methods read :class:`~otocore.search.CustomerQuery` exactly as
    :meth:`CustomerQuery.matches <otocore.search.CustomerQuery.matches>` does;
    :meth:`search` sorts and pages as :func:`otocore.search.rank` does, with
    the figures of :func:`otocore.search.customer_stats` (local days in
    ``time_zone``). The SQL stores answer from indexes made for it (SQLite
    FTS5, a PostgreSQL GIN full-text index; see the *Customer registry* page).

    >>> from datetime import UTC, datetime
    >>> from otocore.customers import Customer
    >>> from otocore.search import CustomerQuery
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> when = datetime(2026, 1, 1, tzinfo=UTC)
    >>> with uow:
    ...     uow.customers.add(Customer(customer_id="C1", name="João da Silva", registered_at=when))
    ...     uow.customer_search.search(CustomerQuery.parse("joao sil")).customer_ids
    ['C1']
    """

    def search(
        self,
        query: CustomerQuery,
        *,
        sort: Sort | None = None,
        page: PageRequest | None = None,
        time_zone: str | None = None,
    ) -> SearchPage:
        """One page of the customers matching ``query``, sorted; with the total count.

        ``sort`` defaults to the name, ascending; ``page`` to the first 50;
        ``time_zone`` (for visits) to ``America/Sao_Paulo``.
        """

    def matching_ids(self, query: CustomerQuery) -> list[str]:
        """The ids of every customer matching ``query``, sorted."""
