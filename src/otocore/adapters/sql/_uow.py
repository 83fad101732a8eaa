"""The SQL unit of work and repositories, on SQLAlchemy Core (no ORM)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from types import TracebackType
from typing import Any, Final, TypeVar

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql as pg_dialect
from sqlalchemy.dialects import sqlite as sqlite_dialect
from sqlalchemy.engine import Engine

from otocore import _hooks_filters
from otocore.access import Action, AuditEntry, Outcome, Target
from otocore.adapters._common import (
    UnitOfWorkBase,
    account_taken,
    cents,
    check_account,
    check_audit_successor,
    check_day_suggestions,
    check_order,
    check_scores,
    check_sequence_value,
    check_workload,
    contact_taken,
    optional_bool,
    optional_enum,
    require,
    require_day,
    require_instant,
    require_key,
    require_since,
    same_event,
    status_taken,
    stored_action,
    token_hash_key,
    token_taken,
)
from otocore.adapters.sql import _schema
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._engine import ADVISORY_LOCK_KEY, WRITE_OPTION
from otocore.auth import (
    REDACTED,
    Account,
    AccountState,
    AccountToken,
    Role,
    TokenPurpose,
    TokenRecord,
)
from otocore.blocking import BlockEvent, BlockFeature
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.contacts import (
    ConsentChange,
    Contact,
    ContactOutcome,
    FollowUp,
    SuggestionStatus,
)
from otocore.customers import Cpf, Customer, Email, Loyalty, MaritalStatus, Mobile, Sex
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.filters import Filter
from otocore.orders import Channel, Order, OrderStatus
from otocore.portfolio import AssignmentChange, AssignmentReason, DailyRun, PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus, Store
from otocore.serialization import OtocoreConverter, make_converter
from otocore.suggestions import SellerWorkload, Suggestion, SuggestionKind, SuggestionReason

CHUNK: Final = 5_000
"""Rows per ``executemany`` in bulk writes."""
STREAM: Final = 2_000
"""Rows fetched at a time by ``iter_all``."""

E = TypeVar(
    "E",
    SellerStatus,
    OrderStatus,
    Channel,
    AssignmentReason,
    Sex,
    MaritalStatus,
    ContactChannel,
    ConsentSource,
    BlockFeature,
    ContactOutcome,
    SuggestionKind,
    SuggestionReason,
    SuggestionStatus,
    Role,
    TokenPurpose,
    Outcome,
)


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
        self._consent = _Consent(self)
        self._blocks = _Blocks(self)
        self._contacts = _Contacts(self)
        self._campaigns = _Campaigns(self)
        self._suggestions = _Suggestions(self)
        self._workloads = _Workloads(self)
        self._accounts = _Accounts(self)
        self._tokens = _Tokens(self)
        self._audit = _Audit(self)

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


_SQLITE_BUSY: Final = ("SQLITE_BUSY", "SQLITE_BUSY_SNAPSHOT")
_CONCURRENT_WRITE: Final = (
    "a concurrent transaction is writing (or wrote after this block read), so this write"
    " could not go ahead; nothing was written: retry the block, and use `with uow.writing():`"
    " for a block that reads then writes"
)


class _Repository:
    def __init__(self, uow: SqlUnitOfWork) -> None:
        self._uow = uow

    @property
    def _c(self) -> sa.Connection:
        return self._uow._conn()

    def _for_read(self, stmt: sa.Select[Any]) -> sa.Select[Any]:
        """Lock the rows read (PostgreSQL ``FOR UPDATE``) inside a writing block."""
        return stmt.with_for_update() if self._uow._write else stmt

    def _write_once(
        self, stmt: sa.Executable, conflict: Callable[[], RuleViolation]
    ) -> sa.CursorResult[Any]:
        """Run one write in a savepoint; a lost race is a RuleViolation, the block stays usable.

        A unique key taken by a concurrent transaction (IntegrityError) is
        ``conflict()``, built after the savepoint rolled back, so it may read.
        On SQLite, a block that read before writing cannot wait for another
        writer (that could deadlock): SQLite answers "busy" at once, which
        is reported the same way.
        """
        conn = self._c
        try:
            with conn.begin_nested():
                return conn.execute(stmt)
        except sa.exc.IntegrityError:
            raise conflict() from None
        except sa.exc.OperationalError as exc:
            if getattr(exc.orig, "sqlite_errorname", "") in _SQLITE_BUSY:
                raise RuleViolation(_CONCURRENT_WRITE) from None
            raise

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


# consent and block logs -----------------------------------------------------------


def _consent_row(e: ConsentEvent) -> dict[str, Any]:
    return {
        "customer_id": e.customer_id,
        "channel": e.channel.value,
        "granted": e.granted,
        "at": e.at,
        "source": e.source.value,
        "recorded_by": e.recorded_by,
        "event_id": e.event_id,
    }


def _consent(row: Any) -> ConsentEvent:
    return ConsentEvent(
        customer_id=row.customer_id,
        channel=_enum(ContactChannel, row.channel, "ConsentEvent.channel"),
        granted=bool(row.granted),
        at=row.at,
        source=_enum(ConsentSource, row.source, "ConsentEvent.source"),
        recorded_by=row.recorded_by,
        event_id=row.event_id,
    )


_FEATURE_ORDER = {f: i for i, f in enumerate(BlockFeature)}


def _block_row(e: BlockEvent) -> dict[str, Any]:
    return {
        "cpf": e.cpf.digits,
        "features": ",".join(f.value for f in sorted(e.features, key=_FEATURE_ORDER.__getitem__)),
        "blocked": e.blocked,
        "reason": e.reason,
        "by": e.by,
        "at": e.at,
        "event_id": e.event_id,
    }


def _stored_cpf(digits: str) -> Cpf:
    # a repeated-digit CPF was accepted by the brand's policy when it was stored
    return Cpf(digits, allow_repeated=len(set(digits)) == 1)


def _block(row: Any) -> BlockEvent:
    return BlockEvent(
        cpf=_stored_cpf(row.cpf),
        features=frozenset(
            _enum(BlockFeature, f, "BlockEvent.features") for f in row.features.split(",")
        ),
        blocked=bool(row.blocked),
        reason=row.reason,
        by=row.by,
        at=row.at,
        event_id=row.event_id,
    )


class _EventLog(_Repository):
    """An append-only log: ``seq`` (autoincrement) is the append order."""

    _table: sa.Table
    _cls: type[Any]
    _kind: str
    _row: Callable[[Any], dict[str, Any]]
    _load: Callable[[Any], Any]

    def _append_many(self, field: str, events: Iterable[Any], *, many: bool) -> None:
        conn = self._c
        chunk: list[Any] = []
        for i, event in enumerate(events):
            chunk.append(require(f"{field}[{i}]" if many else field, event, self._cls))
            if len(chunk) >= CHUNK:
                self._write(conn, chunk)
                chunk = []
        if chunk:
            self._write(conn, chunk)

    def _write(self, conn: sa.Connection, chunk: list[Any]) -> None:
        ids = {e.event_id for e in chunk if e.event_id is not None}
        seen: dict[str, Any] = {}
        if ids:
            column = self._table.c.event_id
            for row in conn.execute(sa.select(self._table).where(column.in_(sorted(ids)))):
                seen[row.event_id] = self._load(row)
        rows = []
        for event in chunk:
            if event.event_id is not None:
                stored = seen.get(event.event_id)
                if stored is not None and same_event(self._kind, stored, event):
                    continue
                seen[event.event_id] = event
            rows.append(self._row(event))
        if rows:
            try:
                conn.execute(sa.insert(self._table), rows)
            except sa.exc.IntegrityError:  # another transaction stored the same event_id
                raise RuleViolation(
                    f"{self._kind} event_id already stored by a concurrent transaction"
                ) from None

    def _select(self, where: Any) -> list[Any]:
        t_ = self._table
        stmt = sa.select(t_).where(where).order_by(t_.c.at, t_.c.seq)
        return [self._load(r) for r in self._c.execute(self._for_read(stmt))]

    def _stream_all(self) -> Iterator[Any]:
        conn = self._c  # checked now, not at the first next()
        return self._stream(conn)

    def _stream(self, conn: sa.Connection) -> Iterator[Any]:
        t_ = self._table
        stmt = sa.select(t_).order_by(t_.c.at, t_.c.seq)
        result = conn.execute(stmt.execution_options(yield_per=STREAM))
        load = self._load
        try:
            for row in result:
                yield load(row)
        finally:
            result.close()


class _Consent(_EventLog):
    _table = t.consent_events
    _cls = ConsentEvent
    _kind = "ConsentEvent"
    _row = staticmethod(_consent_row)
    _load = staticmethod(_consent)

    def append(self, event: ConsentEvent) -> None:
        self._append_many("event", [event], many=False)

    def append_many(self, events: Iterable[ConsentEvent]) -> None:
        self._append_many("events", events, many=True)

    def for_customer(self, customer_id: str) -> list[ConsentEvent]:
        key = require_key("customer_id", customer_id)
        return self._select(t.consent_events.c.customer_id == key)

    def iter_all(self) -> Iterator[ConsentEvent]:
        return self._stream_all()


class _Blocks(_EventLog):
    _table = t.block_events
    _cls = BlockEvent
    _kind = "BlockEvent"
    _row = staticmethod(_block_row)
    _load = staticmethod(_block)

    def append(self, event: BlockEvent) -> None:
        self._append_many("event", [event], many=False)

    def append_many(self, events: Iterable[BlockEvent]) -> None:
        self._append_many("events", events, many=True)

    def for_cpf(self, cpf: Cpf) -> list[BlockEvent]:
        digits = require("cpf", cpf, Cpf).digits
        return self._select(t.block_events.c.cpf == digits)

    def iter_all(self) -> Iterator[BlockEvent]:
        return self._stream_all()


# contacts -------------------------------------------------------------------------


def _contact_row(c: Contact) -> dict[str, Any]:
    return {
        "contact_id": c.contact_id,
        "seller_code": c.seller_code,
        "customer_id": c.customer_id,
        "suggestion_id": c.suggestion_id,
        "campaign_id": c.campaign_id,
        "channel": c.channel.value,
        "started_at": c.started_at,
        "finished_at": c.finished_at,
        "products_offered": json.dumps(list(c.products_offered), ensure_ascii=False),
        "follow_up_day": c.follow_up.day if c.follow_up is not None else None,
        "follow_up_note": c.follow_up.note if c.follow_up is not None else None,
        "consent_channel": (
            c.consent_change.channel.value if c.consent_change is not None else None
        ),
        "consent_granted": c.consent_change.granted if c.consent_change is not None else None,
        "notes": c.notes,
        "outcome": c.outcome.value,
        "dismiss_reason": c.dismiss_reason,
        "in_portfolio": c.in_portfolio,
        "time_zone": c.time_zone,
    }


def _skus(text: str) -> list[str]:
    try:
        value = json.loads(text)
    except ValueError:
        raise ValidationError(
            "Contact.products_offered", text, "is not a JSON array (stored value)"
        ) from None
    if not isinstance(value, list):
        raise ValidationError(
            "Contact.products_offered", text, "is not a JSON array (stored value)"
        )
    return value


def _contact(row: Any) -> Contact:
    follow_up = None
    if row.follow_up_day is not None:
        follow_up = FollowUp(day=row.follow_up_day, note=row.follow_up_note)
    consent_change = None
    if row.consent_channel is not None:
        consent_change = ConsentChange(
            channel=_enum(ContactChannel, row.consent_channel, "Contact.consent_change.channel"),
            granted=bool(row.consent_granted),
        )
    return Contact(
        contact_id=row.contact_id,
        seller_code=row.seller_code,
        customer_id=row.customer_id,
        suggestion_id=row.suggestion_id,
        campaign_id=row.campaign_id,
        channel=_enum(ContactChannel, row.channel, "Contact.channel"),
        started_at=row.started_at,
        finished_at=row.finished_at,
        products_offered=_skus(row.products_offered),
        follow_up=follow_up,
        consent_change=consent_change,
        notes=row.notes,
        outcome=_enum(ContactOutcome, row.outcome, "Contact.outcome"),
        dismiss_reason=row.dismiss_reason,
        in_portfolio=bool(row.in_portfolio),
        time_zone=row.time_zone,
    )


_CONTACT_SORT = (t.contacts.c.started_at, t.contacts.c.contact_id)


class _Contacts(_Repository):
    def _add_many(self, field: str, contacts: Iterable[Contact], *, many: bool) -> None:
        conn = self._c
        chunk: dict[str, dict[str, Any]] = {}
        for i, contact in enumerate(contacts):
            require(f"{field}[{i}]" if many else field, contact, Contact)
            if contact.contact_id in chunk:
                raise contact_taken(contact.contact_id)
            chunk[contact.contact_id] = _contact_row(contact)
            if len(chunk) >= CHUNK:
                self._insert(conn, chunk)
                chunk = {}
        if chunk:
            self._insert(conn, chunk)

    @staticmethod
    def _insert(conn: sa.Connection, chunk: dict[str, dict[str, Any]]) -> None:
        column = t.contacts.c.contact_id
        taken = conn.execute(
            sa.select(column).where(column.in_(list(chunk))).order_by(column).limit(1)
        ).scalar()
        if taken is not None:
            raise contact_taken(taken)
        try:
            conn.execute(sa.insert(t.contacts), list(chunk.values()))
        except sa.exc.IntegrityError:  # registered by a concurrent transaction meanwhile
            raise RuleViolation(
                "a contact id was registered by a concurrent transaction;"
                " contacts are never replaced"
            ) from None

    def add(self, contact: Contact) -> None:
        self._add_many("contact", [contact], many=False)

    def add_many(self, contacts: Iterable[Contact]) -> None:
        self._add_many("contacts", contacts, many=True)

    def get(self, contact_id: str) -> Contact:
        key = require_key("contact_id", contact_id)
        stmt = sa.select(t.contacts).where(t.contacts.c.contact_id == key)
        row = self._c.execute(self._for_read(stmt)).first()
        if row is None:
            raise NotFound("Contact", contact_id)
        return _contact(row)

    def for_customer(self, customer_id: str) -> list[Contact]:
        key = require_key("customer_id", customer_id)
        stmt = sa.select(t.contacts).where(t.contacts.c.customer_id == key).order_by(*_CONTACT_SORT)
        return [_contact(r) for r in self._c.execute(self._for_read(stmt))]

    def iter_since(self, since: datetime) -> Iterator[Contact]:
        start = require_instant("since", since)
        conn = self._c  # checked now, not at the first next()
        return self._stream(conn, start)

    @staticmethod
    def _stream(conn: sa.Connection, start: datetime) -> Iterator[Contact]:
        stmt = (
            sa.select(t.contacts)
            .where(t.contacts.c.started_at >= start)
            .order_by(*_CONTACT_SORT)
            .execution_options(yield_per=STREAM)
        )
        result = conn.execute(stmt)
        try:
            for row in result:
                yield _contact(row)
        finally:
            result.close()

    def follow_ups_due(self, day: date) -> list[Contact]:
        due = require_day("day", day)
        stmt = (
            sa.select(t.contacts).where(t.contacts.c.follow_up_day == due).order_by(*_CONTACT_SORT)
        )
        return [_contact(r) for r in self._c.execute(stmt)]

    def count(self) -> int:
        return int(self._c.execute(sa.select(sa.func.count()).select_from(t.contacts)).scalar_one())


# campaigns ------------------------------------------------------------------------


@functools.cache
def _converter() -> OtocoreConverter:
    """otocore's converter with the filters' hooks (built on first use, never at import)."""
    conv = make_converter()
    _hooks_filters.configure(conv)  # a no-op where serialization already installs them
    return conv


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _stored_json(field: str, text: str, kind: type) -> Any:
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, kind):
        raise ValidationError(field, text, f"is not a JSON {kind.__name__} (stored value)")
    return value


def _campaign_row(c: Campaign) -> dict[str, Any]:
    return {
        "campaign_id": c.campaign_id,
        "name": c.name,
        "priority": c.priority,
        "first_day": c.first_day,
        "last_day": c.last_day,
        "audience": _json(_converter().unstructure(c.audience, Filter)),
        "channels": _json([ch.value for ch in c.channels]),
        "message": c.message,
        "channel_messages": _json({ch.value: text for ch, text in c.channel_messages}),
        "quarantine_days": c.quarantine_days,
        "active": c.active,
    }


def _campaign(row: Any) -> Campaign:
    channels = _stored_json("Campaign.channels", row.channels, list)
    messages = _stored_json("Campaign.channel_messages", row.channel_messages, dict)
    audience = _converter().structure(_stored_json("Campaign.audience", row.audience, dict), Filter)
    return Campaign(
        campaign_id=row.campaign_id,
        name=row.name,
        priority=row.priority,
        first_day=row.first_day,
        last_day=row.last_day,
        audience=audience,
        channels=[_enum(ContactChannel, ch, "Campaign.channels") for ch in channels],
        message=row.message,
        channel_messages={
            _enum(ContactChannel, ch, "Campaign.channel_messages"): text
            for ch, text in messages.items()
        },
        quarantine_days=row.quarantine_days,
        active=bool(row.active),
    )


_CAMPAIGN_SORT = (t.campaigns.c.priority, t.campaigns.c.campaign_id)


class _Campaigns(_Repository):
    def add(self, campaign: Campaign) -> None:
        self._upsert_many(t.campaigns, [_campaign_row(require("campaign", campaign, Campaign))])

    def get(self, campaign_id: str) -> Campaign:
        key = require_key("campaign_id", campaign_id)
        stmt = sa.select(t.campaigns).where(t.campaigns.c.campaign_id == key)
        row = self._c.execute(self._for_read(stmt)).first()
        if row is None:
            raise NotFound("Campaign", campaign_id)
        return _campaign(row)

    def list(self, *, active: bool | None = None) -> list[Campaign]:
        stmt = sa.select(t.campaigns).order_by(*_CAMPAIGN_SORT)
        if optional_bool("active", active) is not None:
            stmt = stmt.where(t.campaigns.c.active == active)
        return [_campaign(r) for r in self._c.execute(stmt)]


# suggestions ----------------------------------------------------------------------


def _suggestion_row(s: Suggestion) -> dict[str, Any]:
    return {
        "suggestion_id": s.suggestion_id,
        "day": s.day,
        "seller_code": s.seller_code,
        "customer_id": s.customer_id,
        "kind": s.kind.value,
        "campaign_id": s.campaign_id,
        "channel": s.channel.value,
        "message": s.message,
        "reason": s.reason.value,
        "detail": s.detail,
        "rank": s.rank,
        "contact_id": s.contact_id,
        "status": s.status.value,
    }


def _suggestion(row: Any) -> Suggestion:
    return Suggestion(
        suggestion_id=row.suggestion_id,
        day=row.day,
        seller_code=row.seller_code,
        customer_id=row.customer_id,
        kind=_enum(SuggestionKind, row.kind, "Suggestion.kind"),
        campaign_id=row.campaign_id,
        channel=_enum(ContactChannel, row.channel, "Suggestion.channel"),
        message=row.message,
        reason=_enum(SuggestionReason, row.reason, "Suggestion.reason"),
        detail=row.detail,
        rank=row.rank,
        contact_id=row.contact_id,
        status=_enum(SuggestionStatus, row.status, "Suggestion.status"),
    )


_S = t.suggestions.c
_SUGGESTION_SORT = (_S.day, _S.seller_code, _S.rank, _S.suggestion_id)
_PENDING = SuggestionStatus.PENDING.value


class _Suggestions(_Repository):
    def save_day(self, day: date, suggestions: Iterable[Suggestion]) -> None:
        chosen = check_day_suggestions(day, suggestions)
        conn = self._c
        conn.execute(sa.delete(t.suggestions).where(_S.day == day, _S.status == _PENDING))
        # what sellers acted on stays; the same customer's new suggestion is dropped
        kept = {
            row.suggestion_id
            for row in conn.execute(sa.select(_S.suggestion_id).where(_S.day == day))
        }
        rows = [_suggestion_row(s) for s in chosen if s.suggestion_id not in kept]
        for start in range(0, len(rows), CHUNK):
            conn.execute(sa.insert(t.suggestions), rows[start : start + CHUNK])

    def list_day(
        self,
        day: date,
        *,
        seller_code: str | None = None,
        campaign_id: str | None = None,
        status: SuggestionStatus | None = None,
    ) -> list[Suggestion]:
        stmt = sa.select(t.suggestions).where(_S.day == require_day("day", day))
        if seller_code is not None:
            stmt = stmt.where(_S.seller_code == require_key("seller_code", seller_code))
        if campaign_id is not None:
            stmt = stmt.where(_S.campaign_id == require_key("campaign_id", campaign_id))
        if optional_enum("status", status, SuggestionStatus) is not None:
            assert status is not None  # noqa: S101 - narrowed above
            stmt = stmt.where(_S.status == status.value)
        return [_suggestion(r) for r in self._c.execute(stmt.order_by(*_SUGGESTION_SORT))]

    def get(self, suggestion_id: str) -> Suggestion:
        key = require_key("suggestion_id", suggestion_id)
        stmt = sa.select(t.suggestions).where(_S.suggestion_id == key)
        row = self._c.execute(self._for_read(stmt)).first()
        if row is None:
            raise NotFound("Suggestion", suggestion_id)
        return _suggestion(row)

    def set_status(
        self,
        suggestion_id: str,
        status: SuggestionStatus,
        *,
        expected: SuggestionStatus | None = None,
    ) -> Suggestion:
        key = require_key("suggestion_id", suggestion_id)
        require("status", status, SuggestionStatus)
        optional_enum("expected", expected, SuggestionStatus)
        stmt = sa.update(t.suggestions).where(_S.suggestion_id == key)
        if expected is not None:
            stmt = stmt.where(_S.status == expected.value)
        row = self._c.execute(stmt.values(status=status.value).returning(*t.suggestions.c)).first()
        if row is not None:
            return _suggestion(row)
        current = self.get(suggestion_id)  # NotFound, or the compare-and-set lost
        assert expected is not None  # noqa: S101 - without expected the update found the row
        raise status_taken(suggestion_id, current.status, expected)

    def delete_pending(self, day: date) -> int:
        stmt = sa.delete(t.suggestions).where(
            _S.day == require_day("day", day), _S.status == _PENDING
        )
        return int(self._c.execute(stmt).rowcount)

    def for_customer(self, customer_id: str) -> list[Suggestion]:
        key = require_key("customer_id", customer_id)
        stmt = sa.select(t.suggestions).where(_S.customer_id == key).order_by(*_SUGGESTION_SORT)
        return [_suggestion(r) for r in self._c.execute(stmt)]

    def iter_days(self, first: date, last: date) -> Iterator[Suggestion]:
        start, end = require_day("first", first), require_day("last", last)
        conn = self._c  # checked now, not at the first next()
        return self._stream(conn, start, end)

    @staticmethod
    def _stream(conn: sa.Connection, first: date, last: date) -> Iterator[Suggestion]:
        stmt = (
            sa.select(t.suggestions)
            .where(_S.day >= first, _S.day <= last)
            .order_by(*_SUGGESTION_SORT)
            .execution_options(yield_per=STREAM)
        )
        result = conn.execute(stmt)
        try:
            for row in result:
                yield _suggestion(row)
        finally:
            result.close()

    def days(self) -> list[date]:
        stmt = sa.select(_S.day).distinct().order_by(_S.day)
        return [row.day for row in self._c.execute(stmt)]


# seller workloads -----------------------------------------------------------------


class _Workloads(_Repository):
    def set(self, seller_code: str, workload: SellerWorkload) -> None:
        code, w = check_workload(seller_code, workload)
        row = {
            "seller_code": code,
            "hours_worked": w.hours_worked,
            "idle_share": w.idle_share,
            "avg_conversation_minutes": w.avg_conversation_minutes,
        }
        self._upsert_many(t.seller_workloads, [row])

    @staticmethod
    def _workload(row: Any) -> SellerWorkload:
        return SellerWorkload(
            hours_worked=row.hours_worked,
            idle_share=row.idle_share,
            avg_conversation_minutes=row.avg_conversation_minutes,
        )

    def get(self, seller_code: str) -> SellerWorkload | None:
        key = require_key("seller_code", seller_code)
        stmt = sa.select(t.seller_workloads).where(t.seller_workloads.c.seller_code == key)
        row = self._c.execute(self._for_read(stmt)).first()
        return None if row is None else self._workload(row)

    def all(self) -> dict[str, SellerWorkload]:
        stmt = sa.select(t.seller_workloads).order_by(t.seller_workloads.c.seller_code)
        return {row.seller_code: self._workload(row) for row in self._c.execute(stmt)}

    def delete(self, seller_code: str) -> None:
        key = require_key("seller_code", seller_code)
        self._c.execute(
            sa.delete(t.seller_workloads).where(t.seller_workloads.c.seller_code == key)
        )


# accounts, tokens and the audit log ---------------------------------------------------

_A = t.accounts.c


def _account_row(a: Account) -> dict[str, Any]:
    return {
        "account_id": a.account_id,
        "email": a.email.address,
        "roles": ",".join(sorted(r.value for r in a.roles)),
        "seller_code": a.seller_code,
        "store_id": a.store_id,
        "password_hash": a.password_hash,
        "pin_hash": a.pin_hash,
        "failures": a.state.failures,
        "locked": a.state.locked,
        "must_change_password": a.state.must_change_password,
        "active": a.state.active,
    }


def _account(row: Any) -> Account:
    return Account(
        account_id=row.account_id,
        email=Email(row.email),
        roles=frozenset(_enum(Role, r, "Account.roles") for r in row.roles.split(",")),
        seller_code=row.seller_code,
        store_id=row.store_id,
        password_hash=row.password_hash,
        pin_hash=row.pin_hash,
        state=AccountState(
            failures=int(row.failures),
            locked=bool(row.locked),
            must_change_password=bool(row.must_change_password),
            active=bool(row.active),
        ),
    )


class _Accounts(_Repository):
    def _clash(self, account: Account, *, new: bool) -> RuleViolation | None:
        """What stops ``account`` from being added (``new``) or saved; NotFound on save."""
        stmt = sa.select(_A.account_id, _A.email).where(
            sa.or_(_A.account_id == account.account_id, _A.email == account.email.address)
        )
        rows = self._c.execute(self._for_read(stmt)).all()
        ids = {row.account_id for row in rows}
        if new and account.account_id in ids:
            return account_taken("account_id", account.account_id)
        if not new and account.account_id not in ids:
            raise NotFound("Account", account.account_id)
        if any(row.account_id != account.account_id for row in rows):
            return account_taken("e-mail", account.email.address)
        return None

    def _raced(self, account: Account, *, new: bool) -> Callable[[], RuleViolation]:
        def conflict() -> RuleViolation:
            return self._clash(account, new=new) or RuleViolation(
                "the account's id or e-mail was taken by a concurrent transaction"
            )

        return conflict

    def add(self, account: Account) -> None:
        checked = check_account("account", account)
        clash = self._clash(checked, new=True)
        if clash is not None:
            raise clash
        stmt = sa.insert(t.accounts).values(**_account_row(checked))
        self._write_once(stmt, self._raced(checked, new=True))

    def get(self, account_id: str) -> Account:
        key = require_key("account_id", account_id)
        stmt = sa.select(t.accounts).where(_A.account_id == key)
        row = self._c.execute(self._for_read(stmt)).first()
        if row is None:
            raise NotFound("Account", account_id)
        return _account(row)

    def find_by_email(self, email: Email) -> Account | None:
        address = require("email", email, Email).address
        stmt = sa.select(t.accounts).where(_A.email == address)
        row = self._c.execute(self._for_read(stmt)).first()
        return None if row is None else _account(row)

    def for_seller(self, seller_code: str) -> Account | None:
        code = require_key("seller_code", seller_code)
        stmt = sa.select(t.accounts).where(_A.seller_code == code).order_by(_A.account_id).limit(1)
        row = self._c.execute(self._for_read(stmt)).first()
        return None if row is None else _account(row)

    def save(self, account: Account) -> None:
        checked = check_account("account", account)
        clash = self._clash(checked, new=False)
        if clash is not None:
            raise clash
        values = _account_row(checked)
        del values["account_id"]
        stmt = sa.update(t.accounts).where(_A.account_id == checked.account_id).values(**values)
        if self._write_once(stmt, self._raced(checked, new=False)).rowcount == 0:
            raise NotFound("Account", checked.account_id)  # pragma: no cover - never deleted

    def list(self, *, store_id: str | None = None, role: Role | None = None) -> list[Account]:
        stmt = sa.select(t.accounts).order_by(_A.account_id)
        if store_id is not None:
            stmt = stmt.where(_A.store_id == require_key("store_id", store_id))
        if optional_enum("role", role, Role) is not None:
            assert role is not None  # noqa: S101 - narrowed above
            roles = sa.literal(",") + _A.roles + sa.literal(",")
            stmt = stmt.where(roles.contains(f",{role.value},", autoescape=True))
        return [_account(r) for r in self._c.execute(stmt)]


_T = t.auth_tokens.c


def _token_row(token: AccountToken) -> dict[str, Any]:
    record = token.record
    return {
        "token_hash": record.token_hash,
        "account_id": token.account_id,
        "purpose": token.purpose.value,
        "issued_at": record.issued_at,
        "expires_at": record.expires_at,
        "used_at": record.used_at,
    }


def _token(row: Any) -> AccountToken:
    return AccountToken(
        account_id=row.account_id,
        purpose=_enum(TokenPurpose, row.purpose, "AccountToken.purpose"),
        record=TokenRecord(
            token_hash=row.token_hash,
            issued_at=row.issued_at,
            expires_at=row.expires_at,
            used_at=row.used_at,
        ),
    )


class _Tokens(_Repository):
    def add(self, token: AccountToken) -> None:
        row = _token_row(require("token", token, AccountToken))
        stmt = sa.select(_T.id).where(_T.token_hash == row["token_hash"])
        if self._c.execute(self._for_read(stmt)).first() is not None:
            raise token_taken()
        self._write_once(sa.insert(t.auth_tokens).values(**row), token_taken)

    def find(self, token_hash: str) -> AccountToken | None:
        key = token_hash_key(token_hash)
        stmt = sa.select(t.auth_tokens).where(_T.token_hash == key)
        row = self._c.execute(self._for_read(stmt)).first()
        return None if row is None else _token(row)

    def newest(self, account_id: str, purpose: TokenPurpose) -> AccountToken | None:
        key = require_key("account_id", account_id)
        value = require("purpose", purpose, TokenPurpose).value
        stmt = (
            sa.select(t.auth_tokens)
            .where(_T.account_id == key, _T.purpose == value)
            .order_by(_T.id.desc())
            .limit(1)
        )
        row = self._c.execute(self._for_read(stmt)).first()
        return None if row is None else _token(row)

    def mark_used(self, token_hash: str, used_at: datetime) -> None:
        key = token_hash_key(token_hash)
        when = require_instant("used_at", used_at)
        stmt = sa.update(t.auth_tokens).where(_T.token_hash == key).values(used_at=when)
        if self._write_once(stmt, token_taken).rowcount == 0:
            raise NotFound("Token", REDACTED)

    def issued_since(
        self, account_id: str, purpose: TokenPurpose, since: datetime
    ) -> list[datetime]:
        start = require_instant("since", since)
        key = require_key("account_id", account_id)
        value = require("purpose", purpose, TokenPurpose).value
        stmt = (
            sa.select(_T.issued_at)
            .where(_T.account_id == key, _T.purpose == value, _T.issued_at > start)
            .order_by(_T.issued_at)
        )
        return [row.issued_at for row in self._c.execute(stmt)]


_L = t.audit_log.c


def _audit_row(e: AuditEntry) -> dict[str, Any]:
    return {
        "sequence": e.sequence,
        "at": e.at,
        "actor": e.actor,
        "action": e.action.value if isinstance(e.action, Action) else e.action,
        "target_store_id": e.target.store_id,
        "target_account_id": e.target.account_id,
        "target_seller_code": e.target.seller_code,
        "outcome": e.outcome.value,
        "detail": e.detail,
        "previous_hash": e.previous_hash,
        "entry_hash": e.entry_hash,
    }


def _audit(row: Any) -> AuditEntry:
    return AuditEntry(
        sequence=int(row.sequence),
        at=row.at,
        actor=row.actor,
        action=stored_action(row.action),
        target=Target(
            store_id=row.target_store_id,
            account_id=row.target_account_id,
            seller_code=row.target_seller_code,
        ),
        outcome=_enum(Outcome, row.outcome, "AuditEntry.outcome"),
        detail=row.detail,
        previous_hash=row.previous_hash,
        entry_hash=row.entry_hash,
    )


class _Audit(_Repository):
    def append(self, entry: AuditEntry) -> None:
        checked = check_audit_successor(self.tail(), entry)

        def conflict() -> RuleViolation:
            return RuleViolation(
                f"audit entry {checked.sequence} was appended by a concurrent transaction;"
                " the log is append-only (append inside `with uow.writing():`)"
            )

        self._write_once(sa.insert(t.audit_log).values(**_audit_row(checked)), conflict)

    def tail(self) -> AuditEntry | None:
        stmt = sa.select(t.audit_log).order_by(_L.sequence.desc()).limit(1)
        row = self._c.execute(self._for_read(stmt)).first()
        return None if row is None else _audit(row)

    def iter_all(self) -> Iterator[AuditEntry]:
        conn = self._c  # checked now, not at the first next()
        return self._stream(conn)

    @staticmethod
    def _stream(conn: sa.Connection) -> Iterator[AuditEntry]:
        stmt = sa.select(t.audit_log).order_by(_L.sequence)
        result = conn.execute(stmt.execution_options(yield_per=STREAM))
        try:
            for row in result:
                yield _audit(row)
        finally:
            result.close()

    def count(self) -> int:
        return int(
            self._c.execute(sa.select(sa.func.count()).select_from(t.audit_log)).scalar_one()
        )
