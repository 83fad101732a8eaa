"""Repositórios e unidade de trabalho (repositories and the unit of work): how state is kept.

Rules in otocore are pure functions over value types; the state they read and
write (stores, sellers, the cadastro of customers, orders, the carteira, RFV
snapshots, the daily job's log) lives behind the :class:`typing.Protocol`
classes of this module. Services take a :class:`UnitOfWork`, open a block,
read through its repositories, call the rules and write the results back. The
shape is the "cosmic python" repository and unit of work; the seeds
(``oto-faq.txt``, ``oto-managers-and-campaigns.txt``,
``reshop-customers-module.txt``) describe the records kept.

Two adapters implement the protocols: :mod:`otocore.adapters.memory` (a real,
transactional fake for tests and small tools) and :mod:`otocore.adapters.sql`
(SQLite or PostgreSQL through SQLAlchemy Core). Both pass the same contract
suite, shipped as :mod:`otocore.testing.storage` so your own repositories can
be checked against it.

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

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager
from datetime import date, datetime
from types import TracebackType
from typing import Protocol, Self

from otocore.customers import Cpf, Customer
from otocore.errors import OtocoreError
from otocore.orders import Order
from otocore.portfolio import AssignmentReason, DailyRun, PortfolioAssignment
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus, Store

__all__ = [
    "CustomerRepository",
    "DailyRunRepository",
    "OrderRepository",
    "PortfolioRepository",
    "RfvSnapshotRepository",
    "SellerRepository",
    "SequenceRepository",
    "StoreRepository",
    "UnitOfWork",
    "UnitOfWorkError",
]


class UnitOfWorkError(OtocoreError, RuntimeError):
    """A unit of work used the wrong way: nested blocks, or a repository outside a block.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> uow.orders
    Traceback (most recent call last):
    ...
    otocore.repositories.UnitOfWorkError: repositories are only available inside `with uow:`
    """


class StoreRepository(Protocol):
    """Lojas (stores), keyed by ``store_id``.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.stores.add(Store(store_id="L02", name="Shopping Norte"))
    ...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
    ...     print(*(s.store_id for s in uow.stores.list()))
    L01 L02
    """

    def add(self, store: Store) -> None:
        """Insert ``store``, or replace the store with the same ``store_id``."""

    def get(self, store_id: str) -> Store:
        """The store with this id; raises :class:`~otocore.errors.NotFound`."""

    def list(self) -> list[Store]:
        """Every store, sorted by ``store_id``."""


class SellerRepository(Protocol):
    """Vendedores (sellers), keyed by their seller ``code``.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.sellers.add(Seller(code="V02", name="Bruno", store_id="L01"))
    ...     uow.sellers.add(
    ...         Seller(code="V01", name="Ana", store_id="L01", status=SellerStatus.INACTIVE)
    ...     )
    ...     print(*(s.code for s in uow.sellers.list(status=SellerStatus.ACTIVE)))
    V02
    """

    def add(self, seller: Seller) -> None:
        """Insert ``seller``, or replace the seller with the same ``code``."""

    def get(self, code: str) -> Seller:
        """The seller with this code; raises :class:`~otocore.errors.NotFound`."""

    def list(
        self, *, store_id: str | None = None, status: SellerStatus | None = None
    ) -> list[Seller]:
        """Sellers, optionally only those of ``store_id`` and/or with ``status``; sorted by code."""


class CustomerRepository(Protocol):
    """O cadastro (customer records), keyed by ``customer_id``.

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> ana = Customer(
    ...     customer_id="C1",
    ...     name="Ana",
    ...     registered_at=datetime(2026, 1, 1, tzinfo=UTC),
    ...     cpf=Cpf("52998224725"),
    ... )
    >>> with uow:
    ...     uow.customers.add(ana)
    ...     uow.customers.find_by_cpf(Cpf("52998224725")) == ana, uow.customers.count()
    (True, 1)
    """

    def add(self, customer: Customer) -> None:
        """Insert ``customer``, or replace the customer with the same ``customer_id``."""

    def get(self, customer_id: str) -> Customer:
        """The customer with this id; raises :class:`~otocore.errors.NotFound`."""

    def list(self) -> list[Customer]:
        """Every customer, sorted by ``customer_id``."""

    def find_by_cpf(self, cpf: Cpf) -> Customer | None:
        """The customer with this CPF, or ``None``.

        CPFs are not unique in real records (placeholders such as
        111.111.111-11 are shared), so when several customers have it, the one
        with the lowest ``customer_id`` is returned.
        """

    def count(self) -> int:
        """How many customers are stored."""


class OrderRepository(Protocol):
    """Pedidos (orders), keyed by ``order_id``.

    ``iter_all`` streams orders by ``(placed_at, order_id)``, oldest first,
    without loading them all; iterate it inside the block that opened it.

    >>> from datetime import UTC, datetime
    >>> from decimal import Decimal
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> def order(n, day):
    ...     return Order(
    ...         order_id=f"P{n}",
    ...         customer_id="C1",
    ...         store_id="L01",
    ...         placed_at=datetime(2026, 5, day, tzinfo=UTC),
    ...         total=Decimal("10.5"),
    ...         seller_code=None,
    ...     )
    >>> with uow:
    ...     uow.orders.add_many([order(2, 3), order(1, 9)])
    ...     print(
    ...         *(o.order_id for o in uow.orders.iter_all(since=datetime(2026, 5, 5, tzinfo=UTC)))
    ...     )
    P1
    """

    def add(self, order: Order) -> None:
        """Insert ``order``, or replace the order with the same ``order_id``."""

    def add_many(self, orders: Iterable[Order]) -> None:
        """Insert or replace many orders at once (bulk import; consumed lazily, in chunks).

        If ``orders`` repeats an ``order_id``, the last one wins.
        """

    def get(self, order_id: str) -> Order:
        """The order with this id; raises :class:`~otocore.errors.NotFound`."""

    def for_customer(self, customer_id: str) -> list[Order]:
        """The customer's orders, sorted by ``(placed_at, order_id)``; empty if none."""

    def iter_all(self, *, since: datetime | None = None) -> Iterator[Order]:
        """Stream every order (placed at or after ``since``, if given) by ``(placed_at, order_id)``."""

    def count(self) -> int:
        """How many orders are stored."""


class PortfolioRepository(Protocol):
    """A carteira: the current :class:`~otocore.portfolio.PortfolioAssignment` of each customer.

    >>> from datetime import date
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.portfolio.set_many(
    ...         [
    ...             PortfolioAssignment(
    ...                 customer_id="C1",
    ...                 seller_code="V01",
    ...                 since=date(2026, 5, 10),
    ...                 reason=AssignmentReason.DAILY_RULE,
    ...             ),
    ...             PortfolioAssignment.unassigned("C2", since=date(2026, 5, 10)),
    ...         ]
    ...     )
    ...     print(*(a.customer_id for a in uow.portfolio.list(reason=AssignmentReason.NONE)))
    C2
    """

    def set(self, assignment: PortfolioAssignment) -> None:
        """Record ``assignment``, replacing the customer's previous one."""

    def set_many(self, assignments: Iterable[PortfolioAssignment]) -> None:
        """Record many assignments at once; for a repeated customer the last one wins."""

    def get(self, customer_id: str) -> PortfolioAssignment | None:
        """The customer's assignment, or ``None`` if the customer was never assigned."""

    def list(
        self, *, seller_code: str | None = None, reason: AssignmentReason | None = None
    ) -> list[PortfolioAssignment]:
        """Assignments, optionally only a seller's and/or with ``reason``; sorted by customer."""


class RfvSnapshotRepository(Protocol):
    """RFV scores as computed on a day: one snapshot per ``as_of`` date.

    >>> from datetime import date
    >>> from decimal import Decimal
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> score = RfvScore(
    ...     customer_id="C1",
    ...     recency_days=2,
    ...     frequency=4,
    ...     value=Decimal("1150.00"),
    ...     r=5,
    ...     f=5,
    ...     v=4,
    ...     segment="champions",
    ... )
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.rfv.save(date(2026, 5, 10), {"C1": score})
    ...     uow.rfv.get(date(2026, 5, 10))["C1"] == score, uow.rfv.dates()
    (True, [datetime.date(2026, 5, 10)])
    """

    def save(self, as_of: date, scores: Mapping[str, RfvScore]) -> None:
        """Store the snapshot of ``as_of``, replacing any earlier one of that day.

        Keys must be the scores' ``customer_id`` (else
        :class:`~otocore.errors.ValidationError`). An empty mapping is a valid
        snapshot (a day with no customers).
        """

    def get(self, as_of: date) -> dict[str, RfvScore]:
        """The snapshot of ``as_of`` by customer id; raises :class:`~otocore.errors.NotFound`."""

    def dates(self) -> list[date]:
        """The days that have a snapshot, ascending."""


class DailyRunRepository(Protocol):
    """The log of the daily job: one :class:`~otocore.portfolio.DailyRun` per run.

    >>> from datetime import UTC, date, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> when = datetime(2026, 5, 10, 6, tzinfo=UTC)
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.daily_runs.add(DailyRun(as_of=date(2026, 5, 10), started_at=when, finished_at=when))
    ...     uow.daily_runs.latest().as_of, uow.daily_runs.latest(date(2026, 5, 9))
    (datetime.date(2026, 5, 10), None)
    """

    def add(self, run: DailyRun) -> None:
        """Append ``run`` to the log (runs are never replaced)."""

    def list(self) -> list[DailyRun]:
        """Every run, sorted by ``(as_of, started_at)``, then in the order added."""

    def latest(self, as_of: date | None = None) -> DailyRun | None:
        """The last run of :meth:`list` (only runs of ``as_of``, if given); ``None`` if none."""


class SequenceRepository(Protocol):
    """Named counters (sequências), such as the next seller number or an import batch.

    A counter that was never advanced is at 0. :meth:`next` is atomic on its
    own; code that reads with :meth:`current` and writes with :meth:`set`
    must run inside ``uow.writing()`` to never lose a concurrent update.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> with uow.writing():
    ...     uow.sequences.next("seller_code"), uow.sequences.next("seller_code")
    (1, 2)
    >>> with uow.writing():
    ...     uow.sequences.set("seller_code", uow.sequences.current("seller_code") + 10)
    ...     uow.sequences.current("seller_code")
    12
    """

    def current(self, name: str) -> int:
        """The counter's value; 0 if it was never set."""

    def set(self, name: str, value: int) -> None:
        """Set the counter to ``value`` (an integer >= 0)."""

    def next(self, name: str) -> int:
        """Advance the counter by one and return the new value."""


class UnitOfWork(Protocol):
    """A transaction over every repository: all of a block's writes, or none.

    Use ``with uow:`` for a transaction, ``with uow.writing():`` for one that
    reads then updates (it takes the write lock up front). A clean exit
    commits; an exception rolls back and propagates. Inside a block,
    :meth:`commit` and :meth:`rollback` end the current transaction and start
    a new one. Blocks do not nest (:class:`UnitOfWorkError`).

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
