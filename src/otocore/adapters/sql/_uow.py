"""The SQL unit of work and repositories, on SQLAlchemy Core (no ORM)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Final, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Engine

from otocore.adapters._common import (
    UnitOfWorkBase,
    cents,
    check_order,
    check_scores,
    check_sequence_value,
    optional_enum,
    require,
    require_day,
    require_key,
    require_since,
)
from otocore.adapters.sql import _schema
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._engine import ADVISORY_LOCK_KEY, WRITE_OPTION
from otocore.customers import Cpf, Customer, Email, Loyalty, MaritalStatus, Mobile, Sex
from otocore.errors import NotFound, ValidationError
from otocore.orders import Channel, Order, OrderStatus
from otocore.portfolio import AssignmentChange, AssignmentReason, DailyRun, PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus, Store

CHUNK: Final = 5_000
"""Rows per ``executemany`` in bulk writes."""
STREAM: Final = 2_000
"""Rows fetched at a time by ``iter_all``."""

E = TypeVar("E", SellerStatus, OrderStatus, Channel, AssignmentReason, Sex, MaritalStatus)


class Database:
    """An open SQLite or PostgreSQL database whose schema is at this otocore's revision.

    Build it with :func:`otocore.adapters.sql.open_database`; get units of work
    from :meth:`unit_of_work`. Close it (or use it as a context manager) to
    release its connections.

    >>> from otocore.adapters.sql import open_database
    >>> with open_database(":memory:", upgrade=True) as db:
    ...     db.dialect, db.revision() == db.expected_revision
    ('sqlite', True)
    """

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @property
    def dialect(self) -> str:
        """``"sqlite"`` or ``"postgresql"``."""
        return str(self.engine.dialect.name)

    @property
    def expected_revision(self) -> str:
        """The schema revision this version of otocore needs."""
        return _schema.head()

    def revision(self) -> str | None:
        """The schema revision the database is at (``None``: no otocore schema)."""
        with self.engine.connect() as connection:
            found = _schema.revision_of(connection)
            connection.rollback()
        return found

    def unit_of_work(self) -> SqlUnitOfWork:
        """A new unit of work on this database."""
        return SqlUnitOfWork(self)

    def close(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()

    def __enter__(self) -> Database:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Database({self.engine.url.render_as_string(hide_password=True)!r})"


class SqlUnitOfWork(UnitOfWorkBase):
    """A :class:`~otocore.repositories.UnitOfWork` on SQLite or PostgreSQL.

    Each block runs on one connection in one database transaction. A plain
    block begins with ``BEGIN`` (SQLite: deferred; PostgreSQL: READ
    COMMITTED). A ``writing()`` block takes the write lock first: SQLite
    ``BEGIN IMMEDIATE``; PostgreSQL a transaction-level advisory lock (one
    writing block at a time) and ``SELECT ... FOR UPDATE`` on the rows that
    ``get``-like methods read.

    Args:
        database: a :class:`Database` (already checked), or a SQLAlchemy
            ``Engine`` made by otocore, whose schema revision is checked here
            (:class:`~otocore.errors.SchemaVersionError` if it differs).

    >>> from otocore.adapters.sql import open_database
    >>> from otocore.sellers import Store
    >>> db = open_database(":memory:", upgrade=True)
    >>> uow = SqlUnitOfWork(db)
    >>> with uow:
    ...     uow.stores.add(Store(store_id="L01", name="Loja Centro"))
    >>> with uow:
    ...     uow.stores.get("L01").name
    'Loja Centro'
    >>> db.close()
    """

    def __init__(self, database: Database | Engine) -> None:
        if isinstance(database, Database):
            engine = database.engine
        elif isinstance(database, Engine):
            _schema.check(database)
            engine = database
        else:
            raise ValidationError("database", database, "must be a Database or an Engine")
        self._engine = engine
        self._connection: sa.Connection | None = None
        self._transaction: sa.RootTransaction | None = None
        self._stores = _Stores(self)
        self._sellers = _Sellers(self)
        self._customers = _Customers(self)
        self._orders = _Orders(self)
        self._portfolio = _Portfolio(self)
        self._rfv = _Rfv(self)
        self._daily_runs = _DailyRuns(self)
        self._sequences = _Sequences(self)

    # life cycle ---------------------------------------------------------------

    def _begin(self, *, write: bool) -> None:
        if self._connection is None:
            self._connection = self._engine.connect()
        conn = self._connection
        try:
            conn.execution_options(**{WRITE_OPTION: write})
            self._transaction = conn.begin()
            if write and conn.dialect.name == "postgresql":
                conn.execute(
                    sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": ADVISORY_LOCK_KEY}
                )
        except BaseException:
            self._close()
            raise

    def _commit(self) -> None:
        if self._transaction is not None:
            self._transaction.commit()
            self._transaction = None

    def _rollback(self) -> None:
        if self._transaction is not None:
            self._transaction.rollback()
            self._transaction = None

    def _close(self) -> None:
        self._transaction = None
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    def _conn(self) -> sa.Connection:
        self._check_active()
        assert self._connection is not None  # noqa: S101 - set whenever a block is active
        return self._connection

    # repositories ---------------------------------------------------------------

    @property
    def stores(self) -> _Stores:
        """The stores."""
        self._check_active()
        return self._stores

    @property
    def sellers(self) -> _Sellers:
        """The sellers."""
        self._check_active()
        return self._sellers

    @property
    def customers(self) -> _Customers:
        """The customer records."""
        self._check_active()
        return self._customers

    @property
    def orders(self) -> _Orders:
        """The orders."""
        self._check_active()
        return self._orders

    @property
    def portfolio(self) -> _Portfolio:
        """The carteira assignments."""
        self._check_active()
        return self._portfolio

    @property
    def rfv(self) -> _Rfv:
        """The RFV snapshots."""
        self._check_active()
        return self._rfv

    @property
    def daily_runs(self) -> _DailyRuns:
        """The daily job's log."""
        self._check_active()
        return self._daily_runs

    @property
    def sequences(self) -> _Sequences:
        """Named counters."""
        self._check_active()
        return self._sequences


def _conforms(uow: SqlUnitOfWork) -> UnitOfWork:  # checked by mypy
    return uow


# helpers ----------------------------------------------------------------------

_UPSERTS: dict[tuple[str, str], sa.Executable] = {}


def _upsert(dialect: str, table: sa.Table) -> sa.Executable:
    """``INSERT ... ON CONFLICT (primary key) DO UPDATE`` for ``table`` on ``dialect``."""
    cached = _UPSERTS.get((dialect, table.name))
    if cached is not None:
        return cached
    insert = sqlite_dialect.insert if dialect == "sqlite" else pg_dialect.insert
    stmt = insert(table)
    keys = [c.name for c in table.primary_key.columns]
    updates = {c.name: stmt.excluded[c.name] for c in table.columns if c.name not in keys}
    result = stmt.on_conflict_do_update(index_elements=keys, set_=updates)
    _UPSERTS[(dialect, table.name)] = result
    return result


def _enum(cls: type[E], value: Any, field: str) -> E:
    try:
        return cls(value)
    except ValueError:
        raise ValidationError(field, value, f"is not a {cls.__name__} (stored value)") from None


class _Repository:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    @property
    def _c(self) -> sa.Connection:
        return self._uow._conn()

    def _for_read(self, stmt: sa.Select[Any]) -> sa.Select[Any]:
        """Lock the rows read (PostgreSQL ``FOR UPDATE``) inside a writing block."""
        return stmt.with_for_update() if self._uow._write else stmt

    def _upsert_many(self, table: sa.Table, rows: Iterable[dict[str, Any]]) -> None:
        conn = self._c
        stmt = _upsert(conn.dialect.name, table)
        keys = [c.name for c in table.primary_key.columns]
        chunk: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in rows:
            # a repeated key in one executemany: keep the last row, as sequential upserts would
            chunk[tuple(row[k] for k in keys)] = row
            if len(chunk) >= CHUNK:
                conn.execute(stmt, list(chunk.values()))
                chunk.clear()
        if chunk:
            conn.execute(stmt, list(chunk.values()))


# stores and sellers -------------------------------------------------------------


def _store_row(store: Store) -> dict[str, Any]:
    return {
        "store_id": store.store_id,
        "name": store.name,
        "city": store.city,
        "state": store.state,
    }


def _store(row: Any) -> Store:
    return Store(store_id=row.store_id, name=row.name, city=row.city, state=row.state)


class _Stores(_Repository):
    def add(self, store: Store) -> None:
        self._upsert_many(t.stores, [_store_row(require("store", store, Store))])

    def get(self, store_id: str) -> Store:
        stmt = sa.select(t.stores).where(t.stores.c.store_id == require_key("store_id", store_id))
        row = self._c.execute(self._for_read(stmt)).first()
        if row is None:
            raise NotFound("Store", store_id)
        return _store(row)

    def list(self) -> list[Store]:
        rows = self._c.execute(sa.select(t.stores).order_by(t.stores.c.store_id))
        return [_store(r) for r in rows]


def _seller_row(seller: Seller) -> dict[str, Any]:
    return {
        "code": seller.code,
        "name": seller.name,
        "store_id": seller.store_id,
        "status": seller.status.value,
    }


def _seller(row: Any) -> Seller:
    return Seller(
        code=row.code,
        name=row.name,
        store_id=row.store_id,
        status=_enum(SellerStatus, row.status, "Seller.status"),
    )


class _Sellers(_Repository):
    def add(self, seller: Seller) -> None:
        self._upsert_many(t.sellers, [_seller_row(require("seller", seller, Seller))])

    def get(self, code: str) -> Seller:
        stmt = sa.select(t.sellers).where(t.sellers.c.code == require_key("code", code))
        row = self._c.execute(self._for_read(stmt)).first()
        if row is None:
            raise NotFound("Seller", code)
        return _seller(row)

    def list(
        self, *, store_id: str | None = None, status: SellerStatus | None = None
    ) -> list[Seller]:
        stmt = sa.select(t.sellers).order_by(t.sellers.c.code)
        if store_id is not None:
            stmt = stmt.where(t.sellers.c.store_id == require_key("store_id", store_id))
        if optional_enum("status", status, SellerStatus) is not None:
            assert status is not None  # noqa: S101 - narrowed above
            stmt = stmt.where(t.sellers.c.status == status.value)
        return [_seller(r) for r in self._c.execute(stmt)]


# customers ------------------------------------------------------------------------


def _customer_row(c: Customer) -> dict[str, Any]:
    return {
        "customer_id": c.customer_id,
        "name": c.name,
        "registered_at": c.registered_at,
        "cpf": c.cpf.digits if c.cpf is not None else None,
        "rg": c.rg,
        "birth_date": c.birth_date,
        "email": c.email.address if c.email is not None else None,
        "mobile": c.mobile.e164 if c.mobile is not None else None,
        "sex": c.sex.value if c.sex is not None else None,
        "marital_status": c.marital_status.value if c.marital_status is not None else None,
        "home_store_id": c.home_store_id,
        "loyalty_program": c.loyalty.program if c.loyalty is not None else None,
        "loyalty_category": c.loyalty.category if c.loyalty is not None else None,
    }


def _customer(row: Any) -> Customer:
    cpf = None
    if row.cpf is not None:
        # a repeated-digit CPF was accepted by the brand's policy when it was stored
        cpf = Cpf(row.cpf, allow_repeated=len(set(row.cpf)) == 1)
    return Customer(
        customer_id=row.customer_id,
        name=row.name,
        registered_at=row.registered_at,
        cpf=cpf,
        rg=row.rg,
        birth_date=row.birth_date,
        email=Email(row.email) if row.email is not None else None,
        mobile=Mobile(row.mobile) if row.mobile is not None else None,
        sex=_enum(Sex, row.sex, "Customer.sex") if row.sex is not None else None,
        marital_status=(
            _enum(MaritalStatus, row.marital_status, "Customer.marital_status")
            if row.marital_status is not None
            else None
        ),
        home_store_id=row.home_store_id,
        loyalty=(
            Loyalty(program=row.loyalty_program, category=row.loyalty_category)
            if row.loyalty_program is not None
            else None
        ),
    )


class _Customers(_Repository):
    def add(self, customer: Customer) -> None:
        self._upsert_many(t.customers, [_customer_row(require("customer", customer, Customer))])

    def get(self, customer_id: str) -> Customer:
        key = require_key("customer_id", customer_id)
        stmt = sa.select(t.customers).where(t.customers.c.customer_id == key)
        row = self._c.execute(self._for_read(stmt)).first()
        if row is None:
            raise NotFound("Customer", customer_id)
        return _customer(row)

    def list(self) -> list[Customer]:
        stmt = sa.select(t.customers).order_by(t.customers.c.customer_id)
        return [_customer(r) for r in self._c.execute(stmt)]

    def find_by_cpf(self, cpf: Cpf) -> Customer | None:
        digits = require("cpf", cpf, Cpf).digits
        stmt = (
            sa.select(t.customers)
            .where(t.customers.c.cpf == digits)
            .order_by(t.customers.c.customer_id)
            .limit(1)
        )
        row = self._c.execute(self._for_read(stmt)).first()
        return None if row is None else _customer(row)

    def count(self) -> int:
        return int(
            self._c.execute(sa.select(sa.func.count()).select_from(t.customers)).scalar_one()
        )


# orders ---------------------------------------------------------------------------


def _order_row(order: Order) -> dict[str, Any]:
    return {
        "order_id": order.order_id,
        "customer_id": order.customer_id,
        "store_id": order.store_id,
        "placed_at": order.placed_at,
        "total_cents": cents("Order.total", order.total),
        "seller_code": order.seller_code,
        "status": order.status.value,
        "channel": order.channel.value,
    }


def _order(row: Any) -> Order:
    return Order(
        order_id=row.order_id,
        customer_id=row.customer_id,
        store_id=row.store_id,
        placed_at=row.placed_at,
        total=Decimal(row.total_cents).scaleb(-2),
        seller_code=row.seller_code,
        status=_enum(OrderStatus, row.status, "Order.status"),
        channel=_enum(Channel, row.channel, "Order.channel"),
    )


_ORDER_SORT = (t.orders.c.placed_at, t.orders.c.order_id)


class _Orders(_Repository):
    def add(self, order: Order) -> None:
        self._upsert_many(t.orders, [_order_row(check_order("order", order))])

    def add_many(self, orders: Iterable[Order]) -> None:
        def rows() -> Iterator[dict[str, Any]]:
            for i, order in enumerate(orders):
                yield _order_row(check_order(f"orders[{i}]", order))

        self._upsert_many(t.orders, rows())

    def get(self, order_id: str) -> Order:
        stmt = sa.select(t.orders).where(t.orders.c.order_id == require_key("order_id", order_id))
        row = self._c.execute(self._for_read(stmt)).first()
        if row is None:
            raise NotFound("Order", order_id)
        return _order(row)

    def for_customer(self, customer_id: str) -> list[Order]:
        key = require_key("customer_id", customer_id)
        stmt = sa.select(t.orders).where(t.orders.c.customer_id == key).order_by(*_ORDER_SORT)
        return [_order(r) for r in self._c.execute(self._for_read(stmt))]

    def iter_all(self, *, since: datetime | None = None) -> Iterator[Order]:
        start = require_since(since)
        conn = self._c  # checked now, not at the first next()
        return self._stream(conn, start)

    @staticmethod
    def _stream(conn: sa.Connection, start: datetime | None) -> Iterator[Order]:
        stmt = sa.select(t.orders).order_by(*_ORDER_SORT)
        if start is not None:
            stmt = stmt.where(t.orders.c.placed_at >= start)
        result = conn.execute(stmt.execution_options(yield_per=STREAM))
        try:
            for row in result:
                yield _order(row)
        finally:
            result.close()

    def count(self) -> int:
        return int(self._c.execute(sa.select(sa.func.count()).select_from(t.orders)).scalar_one())


# carteira -------------------------------------------------------------------------


def _assignment_row(a: PortfolioAssignment) -> dict[str, Any]:
    return {
        "customer_id": a.customer_id,
        "seller_code": a.seller_code,
        "since": a.since,
        "reason": a.reason.value,
    }


def _assignment(row: Any) -> PortfolioAssignment:
    return PortfolioAssignment(
        customer_id=row.customer_id,
        seller_code=row.seller_code,
        since=row.since,
        reason=_enum(AssignmentReason, row.reason, "PortfolioAssignment.reason"),
    )


class _Portfolio(_Repository):
    def set(self, assignment: PortfolioAssignment) -> None:
        require("assignment", assignment, PortfolioAssignment)
        self._upsert_many(t.portfolio, [_assignment_row(assignment)])

    def set_many(self, assignments: Iterable[PortfolioAssignment]) -> None:
        def rows() -> Iterator[dict[str, Any]]:
            for i, a in enumerate(assignments):
                yield _assignment_row(require(f"assignments[{i}]", a, PortfolioAssignment))

        self._upsert_many(t.portfolio, rows())

    def get(self, customer_id: str) -> PortfolioAssignment | None:
        key = require_key("customer_id", customer_id)
        stmt = sa.select(t.portfolio).where(t.portfolio.c.customer_id == key)
        row = self._c.execute(self._for_read(stmt)).first()
        return None if row is None else _assignment(row)

    def list(
        self, *, seller_code: str | None = None, reason: AssignmentReason | None = None
    ) -> list[PortfolioAssignment]:
        stmt = sa.select(t.portfolio).order_by(t.portfolio.c.customer_id)
        if seller_code is not None:
            stmt = stmt.where(t.portfolio.c.seller_code == require_key("seller_code", seller_code))
        if optional_enum("reason", reason, AssignmentReason) is not None:
            assert reason is not None  # noqa: S101 - narrowed above
            stmt = stmt.where(t.portfolio.c.reason == reason.value)
        return [_assignment(r) for r in self._c.execute(stmt)]


# RFV snapshots --------------------------------------------------------------------


def _score_row(as_of: date, s: RfvScore) -> dict[str, Any]:
    return {
        "as_of": as_of,
        "customer_id": s.customer_id,
        "recency_days": s.recency_days,
        "frequency": s.frequency,
        "value": s.value,
        "r": s.r,
        "f": s.f,
        "v": s.v,
        "segment": s.segment,
    }


def _score(row: Any) -> RfvScore:
    return RfvScore(
        customer_id=row.customer_id,
        recency_days=row.recency_days,
        frequency=row.frequency,
        value=row.value,
        r=row.r,
        f=row.f,
        v=row.v,
        segment=row.segment,
    )


class _Rfv(_Repository):
    def save(self, as_of: date, scores: Mapping[str, RfvScore]) -> None:
        snapshot = check_scores(as_of, scores)
        conn = self._c
        conn.execute(sa.delete(t.rfv_scores).where(t.rfv_scores.c.as_of == as_of))
        conn.execute(sa.delete(t.rfv_snapshots).where(t.rfv_snapshots.c.as_of == as_of))
        conn.execute(sa.insert(t.rfv_snapshots), [{"as_of": as_of}])
        rows = [_score_row(as_of, s) for s in snapshot.values()]
        for start in range(0, len(rows), CHUNK):
            conn.execute(sa.insert(t.rfv_scores), rows[start : start + CHUNK])

    def get(self, as_of: date) -> dict[str, RfvScore]:
        day = require_day("as_of", as_of)
        conn = self._c
        exists = conn.execute(
            sa.select(t.rfv_snapshots.c.as_of).where(t.rfv_snapshots.c.as_of == day)
        ).first()
        if exists is None:
            raise NotFound("RFV snapshot", as_of)
        stmt = (
            sa.select(t.rfv_scores)
            .where(t.rfv_scores.c.as_of == day)
            .order_by(t.rfv_scores.c.customer_id)
        )
        return {row.customer_id: _score(row) for row in conn.execute(stmt)}

    def dates(self) -> list[date]:
        stmt = sa.select(t.rfv_snapshots.c.as_of).order_by(t.rfv_snapshots.c.as_of)
        return [row.as_of for row in self._c.execute(stmt)]


# daily runs -----------------------------------------------------------------------


def _change_row(run_id: int, position: int, c: AssignmentChange) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "position": position,
        "customer_id": c.customer_id,
        "from_seller": c.from_seller,
        "to_seller": c.to_seller,
        "reason": c.reason.value,
        "decided_by": c.decided_by,
    }


def _change(row: Any) -> AssignmentChange:
    return AssignmentChange(
        customer_id=row.customer_id,
        from_seller=row.from_seller,
        to_seller=row.to_seller,
        reason=_enum(AssignmentReason, row.reason, "AssignmentChange.reason"),
        decided_by=row.decided_by,
    )


_RUN_ORDER = (t.daily_runs.c.as_of, t.daily_runs.c.started_at, t.daily_runs.c.run_id)


class _DailyRuns(_Repository):
    def add(self, run: DailyRun) -> None:
        require("run", run, DailyRun)
        conn = self._c
        insert = sa.insert(t.daily_runs).values(
            as_of=run.as_of, started_at=run.started_at, finished_at=run.finished_at
        )
        run_id = int(conn.execute(insert.returning(t.daily_runs.c.run_id)).scalar_one())
        if run.counts:
            conn.execute(
                sa.insert(t.daily_run_counts),
                [{"run_id": run_id, "name": k, "value": n} for k, n in run.counts],
            )
        rows = [_change_row(run_id, i, c) for i, c in enumerate(run.changes)]
        for start in range(0, len(rows), CHUNK):
            conn.execute(sa.insert(t.daily_run_changes), rows[start : start + CHUNK])

    def _load(self, where: Callable[[sa.Select[Any]], sa.Select[Any]]) -> list[DailyRun]:
        conn = self._c
        runs = conn.execute(where(sa.select(t.daily_runs).order_by(*_RUN_ORDER))).all()
        if not runs:
            return []
        ids = [r.run_id for r in runs]
        counts: dict[int, list[tuple[str, int]]] = {i: [] for i in ids}
        changes: dict[int, list[AssignmentChange]] = {i: [] for i in ids}
        for start in range(0, len(ids), 500):
            part = ids[start : start + 500]
            for row in conn.execute(
                sa.select(t.daily_run_counts).where(t.daily_run_counts.c.run_id.in_(part))
            ):
                counts[row.run_id].append((row.name, int(row.value)))
            for row in conn.execute(
                sa.select(t.daily_run_changes)
                .where(t.daily_run_changes.c.run_id.in_(part))
                .order_by(t.daily_run_changes.c.run_id, t.daily_run_changes.c.position)
            ):
                changes[row.run_id].append(_change(row))
        return [
            DailyRun(
                as_of=r.as_of,
                started_at=r.started_at,
                finished_at=r.finished_at,
                counts=counts[r.run_id],
                changes=changes[r.run_id],
            )
            for r in runs
        ]

    def list(self) -> list[DailyRun]:
        return self._load(lambda stmt: stmt)

    def latest(self, as_of: date | None = None) -> DailyRun | None:
        if as_of is not None:
            require_day("as_of", as_of)

        def last(stmt: sa.Select[Any]) -> sa.Select[Any]:
            stmt = stmt.order_by(None).order_by(*(c.desc() for c in _RUN_ORDER)).limit(1)
            return stmt if as_of is None else stmt.where(t.daily_runs.c.as_of == as_of)

        runs = self._load(last)
        return runs[0] if runs else None


# sequences ------------------------------------------------------------------------


class _Sequences(_Repository):
    def current(self, name: str) -> int:
        stmt = sa.select(t.sequences.c.value).where(t.sequences.c.name == require_key("name", name))
        value = self._c.execute(self._for_read(stmt)).scalar()
        return 0 if value is None else int(value)

    def set(self, name: str, value: int) -> None:
        row = {"name": require_key("name", name), "value": check_sequence_value(value)}
        self._upsert_many(t.sequences, [row])

    def next(self, name: str) -> int:
        conn = self._c
        insert = sqlite_dialect.insert if conn.dialect.name == "sqlite" else pg_dialect.insert
        stmt = insert(t.sequences).values(name=require_key("name", name), value=1)
        stmt = stmt.on_conflict_do_update(
            index_elements=["name"], set_={"value": t.sequences.c.value + 1}
        )
        return int(conn.execute(stmt.returning(t.sequences.c.value)).scalar_one())
