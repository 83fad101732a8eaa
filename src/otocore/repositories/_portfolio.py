"""Repository protocols of the portfolio: stores, sellers, customers, orders, carteira, RFV, runs."""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the protocols loads no domain module
    import polars as pl

    from otocore.customers import Cpf, Customer
    from otocore.orders import Order
    from otocore.portfolio import AssignmentReason, DailyRun, PortfolioAssignment
    from otocore.rfv import RfvScore
    from otocore.sellers import Seller, SellerStatus, Store


class StoreRepository(Protocol):
    """Lojas (stores), keyed by ``store_id``.

    >>> from otocore.sellers import Store
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

    >>> from otocore.sellers import Seller, SellerStatus
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

    def codes(self, *, status: SellerStatus | None = None) -> builtins.list[str]:
        """The codes of the sellers (only those with ``status``, if given), sorted; no records built."""


class CustomerRepository(Protocol):
    """O cadastro (customer records), keyed by ``customer_id``.

    >>> from otocore.customers import Cpf, Customer
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

    def add_many(self, customers: Iterable[Customer]) -> None:
        """Insert or replace many customers at once (bulk import; consumed lazily, in chunks).

        If ``customers`` repeats a ``customer_id``, the last one wins.
        """

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

    def ids(self) -> pl.DataFrame:
        """Every customer's id, without building the records: a Polars frame.

        One String column ``customer_id``, sorted.
        """

    # paged reads for exports (issue 15) -------------------------------------------

    def page(self, *, after: str | None = None, limit: int = 1000) -> builtins.list[Customer]:
        """The next ``limit`` customers by ``customer_id`` after ``after`` (from the first if None).

        Keyset paging: read a whole base one page at a time, passing the last
        id of a page as the next ``after``, and never hold more than a page;
        an empty page is the end. ``limit`` is 1 to 100000.
        """

    def get_many(self, customer_ids: Iterable[str]) -> builtins.list[Customer]:
        """The stored customers among ``customer_ids``, sorted by id; unknown ids are skipped."""


class OrderRepository(Protocol):
    """Pedidos (orders), keyed by ``order_id``.

    ``iter_all`` streams orders by ``(placed_at, order_id)``, oldest first,
    without loading them all; iterate it inside the block that opened it.

    >>> from otocore.orders import Order
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

    # bulk reads for the batch rules (otocore.frames): columns, not Order objects

    def completed_frame(self, *, since: datetime, until: datetime) -> pl.DataFrame:
        """The COMPLETED orders placed at or after ``since`` and before ``until``: a Polars frame.

        The columns the batch rules read, no more (the daily job reads a year
        of orders): ``customer_id``, ``store_id``, ``seller_code`` (String,
        null for none), ``placed_at`` (``Datetime("us", "UTC")``, the exact
        instant) and ``total_cents`` (Int64); rows in no particular order.
        ``since`` and ``until`` are aware datetimes. For
        :mod:`otocore.frames`, add ``status`` (``"completed"``) and an
        ``order_id`` (a row number will do: the store's keys are unique).
        """

    def placed_frame(self, *, since: datetime, until: datetime) -> pl.DataFrame:
        """Every order (any status) placed at or after ``since`` and before ``until``: a frame.

        The orders frame of :func:`otocore.frames.attribute` (the results views read it):
        ``order_id``, ``customer_id``, ``store_id``, ``seller_code`` (String, null for
        none), ``placed_at`` (``Datetime("us", "UTC")``), ``total_cents`` (Int64),
        ``status`` and ``channel`` (the enums' values) and ``discount_cents`` (Int64, the
        order's :attr:`~otocore.orders.Order.discount`); rows in no particular order.
        """

    def last_completed(self, *, before: datetime) -> pl.DataFrame:
        """Each customer's latest COMPLETED order placed before ``before``: a Polars frame.

        Columns ``customer_id`` (String) and ``placed_at`` (``Datetime("us",
        "UTC")``), one row per customer who has such an order, sorted by
        ``customer_id``.
        """

    def customer_ids(self) -> pl.DataFrame:
        """The distinct ``customer_id`` of the orders (any status): a one-column frame, sorted."""


class PortfolioRepository(Protocol):
    """A carteira: the current :class:`~otocore.portfolio.PortfolioAssignment` of each customer.

    >>> from otocore.portfolio import AssignmentReason, PortfolioAssignment
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

    def set_many(self, assignments: Iterable[PortfolioAssignment] | pl.DataFrame) -> None:
        """Record many assignments at once; for a repeated customer the last one wins.

        ``assignments`` may also be a Polars frame with the columns of
        :meth:`frame` (a bulk write: no objects built), checked as a whole
        before anything is written (:class:`~otocore.errors.ValidationError`
        naming the column and a faulty value).
        """

    def get(self, customer_id: str) -> PortfolioAssignment | None:
        """The customer's assignment, or ``None`` if the customer was never assigned."""

    def list(
        self, *, seller_code: str | None = None, reason: AssignmentReason | None = None
    ) -> list[PortfolioAssignment]:
        """Assignments, optionally only a seller's and/or with ``reason``; sorted by customer."""

    def frame(self) -> pl.DataFrame:
        """Every assignment as a Polars frame, without building the objects; sorted by customer.

        Columns ``customer_id`` (String), ``seller_code`` (String, null when
        unassigned), ``since`` (Date) and ``reason`` (String: an
        :class:`~otocore.portfolio.AssignmentReason` value).
        """


class RfvSnapshotRepository(Protocol):
    """RFV scores as computed on a day: one snapshot per ``as_of`` date.

    >>> from otocore.rfv import RfvScore
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

    def save(self, as_of: date, scores: Mapping[str, RfvScore] | pl.DataFrame) -> None:
        """Store the snapshot of ``as_of``, replacing any earlier one of that day.

        Keys must be the scores' ``customer_id`` (else
        :class:`~otocore.errors.ValidationError`). An empty mapping is a valid
        snapshot (a day with no customers).

        ``scores`` may also be a Polars frame with the columns of
        :data:`otocore.frames.RFV_COLUMNS` (what :func:`otocore.frames.rfv_scores`
        returns; ``value_cents`` in integer centavos): a bulk write, checked as
        a whole first. A customer with ``frequency`` 0 is stored with value
        ``Decimal(0)``, any other with ``value_cents`` as a two-place Decimal,
        exactly as the reference rule computes them from stored orders.
        """

    def get(self, as_of: date) -> dict[str, RfvScore]:
        """The snapshot of ``as_of`` by customer id; raises :class:`~otocore.errors.NotFound`."""

    def get_many(self, as_of: date, customer_ids: Iterable[str]) -> dict[str, RfvScore]:
        """The scores of ``customer_ids`` in the snapshot of ``as_of`` (those without one left out).

        Reads only those customers' scores (what explaining one customer needs);
        raises :class:`~otocore.errors.NotFound` when there is no such snapshot.
        """

    def dates(self) -> list[date]:
        """The days that have a snapshot, ascending."""


class DailyRunRepository(Protocol):
    """The log of the daily job: one :class:`~otocore.portfolio.DailyRun` per run.

    >>> from otocore.portfolio import DailyRun
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
