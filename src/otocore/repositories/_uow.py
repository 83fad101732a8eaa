"""The unit of work protocol over every repository, and the error of a unit of work misused."""

from __future__ import annotations

from contextlib import AbstractContextManager
from types import TracebackType
from typing import Protocol, Self

from otocore.errors import OtocoreError
from otocore.repositories._accounts import (
    AccountRepository,
    AuditLogRepository,
    AuthTokenRepository,
)
from otocore.repositories._categories import CategoryRepository
from otocore.repositories._contacts import (
    BlockRepository,
    CampaignRepository,
    ConsentRepository,
    ContactRepository,
    SellerWorkloadRepository,
    SuggestionRepository,
)
from otocore.repositories._exports import ExportRepository
from otocore.repositories._logs import CustomerHistoryRepository, DataAccessLogRepository
from otocore.repositories._outcomes import OutcomeRepository
from otocore.repositories._portfolio import (
    CustomerRepository,
    DailyRunRepository,
    OrderRepository,
    PortfolioRepository,
    RfvSnapshotRepository,
    SellerRepository,
    SequenceRepository,
    StoreRepository,
)
from otocore.repositories._registry import CustomerSearchRepository
from otocore.repositories._subject import SubjectDataRepository
from otocore.repositories._telesales import TelesalesRepository


class UnitOfWorkError(OtocoreError, RuntimeError):
    """A unit of work used the wrong way: nested blocks, or a repository outside a block.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> uow.orders
    Traceback (most recent call last):
    ...
    otocore.repositories.UnitOfWorkError: repositories are only available inside `with uow:`
    """


class UnitOfWork(Protocol):
    """A transaction over every repository: all of a block's writes, or none.

    Use ``with uow:`` for a transaction, ``with uow.writing():`` for one that
    reads then updates (it takes the write lock up front). A clean exit
    commits; an exception rolls back and propagates. Inside a block,
    :meth:`commit` and :meth:`rollback` end the current transaction and start
    a new one. Blocks do not nest (:class:`UnitOfWorkError`).

    >>> from otocore.sellers import Store
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
    ...     uow.rollback()
    ...     uow.stores.add(Store(store_id="L02", name="Shopping Norte"))
    >>> with uow:
    ...     print(*(s.store_id for s in uow.stores.list()))
    L02
    >>> with uow:
    ...     with uow:
    ...         pass
    Traceback (most recent call last):
    ...
    otocore.repositories.UnitOfWorkError: this unit of work is already inside a `with` block; blocks do not nest
    """

    @property
    def stores(self) -> StoreRepository:
        """The stores."""

    @property
    def sellers(self) -> SellerRepository:
        """The sellers."""

    @property
    def customers(self) -> CustomerRepository:
        """The customer records."""

    @property
    def orders(self) -> OrderRepository:
        """The orders."""

    @property
    def portfolio(self) -> PortfolioRepository:
        """The carteira assignments."""

    @property
    def rfv(self) -> RfvSnapshotRepository:
        """The RFV snapshots."""

    @property
    def daily_runs(self) -> DailyRunRepository:
        """The daily job's log."""

    @property
    def sequences(self) -> SequenceRepository:
        """Named counters."""

    @property
    def consent(self) -> ConsentRepository:
        """The consent (opt-in/opt-out) log."""

    @property
    def blocks(self) -> BlockRepository:
        """The blocked-CPF log."""

    @property
    def contacts(self) -> ContactRepository:
        """The contact log (registros de atendimento)."""

    @property
    def campaigns(self) -> CampaignRepository:
        """The campaigns."""

    @property
    def suggestions(self) -> SuggestionRepository:
        """The daily suggestions."""

    @property
    def workloads(self) -> SellerWorkloadRepository:
        """The sellers' workload figures (suggestion limiter overrides)."""

    @property
    def outcomes(self) -> OutcomeRepository:
        """Each customer's outcome (explanation) of the generated days."""

    @property
    def telesales(self) -> TelesalesRepository:
        """The telesales carts and orders, with their items and histories."""

    @property
    def accounts(self) -> AccountRepository:
        """The login accounts."""

    @property
    def tokens(self) -> AuthTokenRepository:
        """The single-use recovery and PIN-setting tokens (hashes only)."""

    @property
    def audit(self) -> AuditLogRepository:
        """The audit log of management actions."""

    # issue 15, categories: customer categories (Altegio)
    @property
    def categories(self) -> CategoryRepository:
        """The customer categories and their members."""

    # exports (issue 15) ---------------------------------------------------------

    @property
    def exports(self) -> ExportRepository:
        """The customer exports and their download links (hashes only)."""

    # logs (issue 15): the customer history and the data-access log --------------

    @property
    def customer_history(self) -> CustomerHistoryRepository:
        """The customer history (LGPD history of registry edits), MAC-chained."""

    @property
    def access_log(self) -> DataAccessLogRepository:
        """The data-access log (exports, downloads, history reads), MAC-chained."""

    # search: the registry search (issue 15)
    @property
    def customer_search(self) -> CustomerSearchRepository:
        """The registry search over customers (CPF, RG, name, e-mail, mobile, card)."""

    # erasure (issue 15): the LGPD anonymization and deletion steps
    @property
    def subject_data(self) -> SubjectDataRepository:
        """The steps that anonymize or delete a customer's rows (LGPD art. 16 and 18)."""

    def __enter__(self) -> Self:
        """Begin a transaction."""

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Commit on a clean exit; roll back if an exception is leaving the block."""

    def writing(self) -> AbstractContextManager[Self]:
        """A block like ``with uow:`` that takes the write lock when it begins."""

    def commit(self) -> None:
        """Commit what the block wrote so far and start a new transaction."""

    def rollback(self) -> None:
        """Discard what the block wrote since it began (or since the last commit)."""
