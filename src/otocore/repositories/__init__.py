"""Repositórios e unidade de trabalho (repositories and the unit of work): how state is kept.

Rules in otocore are pure functions over value types; the state they read and
write (stores, sellers, the cadastro of customers, orders, the carteira, RFV
snapshots, the daily job's log, the opt-in/opt-out and blocked-CPF logs, the
contact log, campaigns, the daily suggestions and the sellers' workload
figures) lives behind the :class:`typing.Protocol` classes of this package. Services take a :class:`UnitOfWork`, open a block,
read through its repositories, call the rules and write the results back. The
shape is the "cosmic python" repository and unit of work; the seeds
(Oto's FAQ, Oto's help page for managers and campaigns,
Reshop's customer module help page) describe the records kept.

Two adapters implement the protocols: :mod:`otocore.adapters.memory` (a real,
transactional fake for tests and small tools) and :mod:`otocore.adapters.sql`
(SQLite or PostgreSQL through SQLAlchemy Core). Both pass the same contract
suite, shipped as :mod:`otocore.testing.storage` so your own repositories can
be checked against it.

The protocols are kept by area, in private modules that line up file by file
with the stores (``adapters/memory/``, ``adapters/sql/``) and the contract
(``testing/storage/``): ``_portfolio.py`` (stores, sellers, customers, orders,
carteira, RFV snapshots, daily runs, sequences), ``_contacts.py`` (the consent
and block logs, contacts, campaigns, suggestions, seller workloads),
``_accounts.py`` (login accounts, tokens, the audit log), ``_outcomes.py`` (each
customer's outcome of a generated day), ``_telesales.py`` (telesales carts and
orders), ``_categories.py`` (customer categories and their members) and ``_uow.py`` (the
unit of work and :class:`UnitOfWorkError`). Import every name from
``otocore.repositories``.

**The unit of work.** Everything written inside one ``with uow:`` block
commits together when the block exits cleanly, or not at all when an exception
leaves it (the exception propagates). Reads inside the block see the block's
own writes. :meth:`UnitOfWork.commit` and :meth:`UnitOfWork.rollback` give
explicit control inside a block: each ends the current transaction and starts
a new one in the same block. Repositories are reachable only inside a block;
entering a block that is already open, or touching a repository outside one,
raises :class:`UnitOfWorkError`.

**The write lock.** A block that reads a value and writes a new one computed
from it (a counter, a state transition such as a login-failure count) must
not lose a concurrent update. Open such a block with
``with uow.writing():``: it takes the write lock up front. Writing blocks of
one database run one at a time (SQLite ``BEGIN IMMEDIATE``; a PostgreSQL
transaction-level advisory lock), and on PostgreSQL every row a repository
reads in the block is also locked ``FOR UPDATE`` until the block ends.
Plain ``with uow:`` blocks do not wait for the lock; use them for reads and
blind writes (imports, upserts).

>>> from datetime import UTC, datetime
>>> from decimal import Decimal
>>> from otocore.adapters.memory import InMemoryUnitOfWork
>>> from otocore.orders import Order
>>> uow = InMemoryUnitOfWork()
>>> with uow:
...     uow.orders.add(
...         Order(
...             order_id="P1",
...             customer_id="C1",
...             store_id="L01",
...             placed_at=datetime(2026, 5, 10, 18, 30, tzinfo=UTC),
...             total=Decimal("199.90"),
...             seller_code="V01",
...         )
...     )
>>> with uow:
...     print(*(o.total for o in uow.orders.for_customer("C1")))
199.90

An exception inside the block leaves nothing behind:

>>> import attrs
>>> try:
...     with uow:
...         uow.orders.add(attrs.evolve(uow.orders.get("P1"), order_id="P2"))
...         raise RuntimeError("boom")
... except RuntimeError:
...     pass
>>> with uow:
...     uow.orders.count()
1
>>> with uow:
...     uow.orders.get("P9")
Traceback (most recent call last):
...
otocore.errors.NotFound: Order 'P9' not found
"""

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
from otocore.repositories._uow import UnitOfWork, UnitOfWorkError

__all__ = [
    "AccountRepository",
    "AuditLogRepository",
    "AuthTokenRepository",
    "BlockRepository",
    "CampaignRepository",
    "CategoryRepository",
    "ConsentRepository",
    "ContactRepository",
    "CustomerHistoryRepository",
    "CustomerRepository",
    "CustomerSearchRepository",
    "DailyRunRepository",
    "DataAccessLogRepository",
    "ExportRepository",
    "OrderRepository",
    "OutcomeRepository",
    "PortfolioRepository",
    "RfvSnapshotRepository",
    "SellerRepository",
    "SellerWorkloadRepository",
    "SequenceRepository",
    "StoreRepository",
    "SubjectDataRepository",
    "SuggestionRepository",
    "TelesalesRepository",
    "UnitOfWork",
    "UnitOfWorkError",
]

# the error reads as raised from here, where users catch it (``otocore.repositories.UnitOfWorkError``)
UnitOfWorkError.__module__ = __name__
