"""In-memory repositories of the portfolio: stores, sellers, customers, orders, carteira, RFV, runs."""

from __future__ import annotations

import builtins
import heapq
import sys
from collections.abc import Iterable, Iterator, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # Polars is imported by the bulk methods only, when called
    import polars as pl


from otocore.adapters._common import (
    check_order,
    check_scores,
    check_sequence_value,
    optional_enum,
    require,
    require_day,
    require_instant,
    require_key,
    require_since,
    run_sort_key,
)
from otocore.adapters._exports import check_ids, check_page
from otocore.adapters.memory._base import Repository, Txn
from otocore.customers import Cpf, Customer
from otocore.errors import NotFound, ValidationError
from otocore.orders import Order, OrderStatus
from otocore.portfolio import AssignmentReason, DailyRun, PortfolioAssignment
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus, Store


def _is_frame(value: object) -> bool:
    """True for a Polars DataFrame; never imports Polars (a frame means it is loaded already)."""
    polars = sys.modules.get("polars")
    return polars is not None and isinstance(value, polars.DataFrame)


class Stores(Repository):
    def add(self, store: Store) -> None:
        require("store", store, Store)
        self._t.put("stores", store.store_id, store)

    def get(self, store_id: str) -> Store:
        return self._get("stores", "store_id", store_id, Store)

    def list(self) -> list[Store]:
        return self._by_key("stores", Store)


class Sellers(Repository):
    def add(self, seller: Seller) -> None:
        require("seller", seller, Seller)
        self._t.put("sellers", seller.code, seller)

    def get(self, code: str) -> Seller:
        return self._get("sellers", "code", code, Seller)

    def list(
        self, *, store_id: str | None = None, status: SellerStatus | None = None
    ) -> list[Seller]:
        if store_id is not None:
            require_key("store_id", store_id)
        optional_enum("status", status, SellerStatus)
        return [
            s
            for s in self._by_key("sellers", Seller)
            if (store_id is None or s.store_id == store_id)
            and (status is None or s.status is status)
        ]

    def codes(self, *, status: SellerStatus | None = None) -> builtins.list[str]:
        return [s.code for s in self.list(status=status)]


class Customers(Repository):
    def add(self, customer: Customer) -> None:
        require("customer", customer, Customer)
        self._t.put("customers", customer.customer_id, customer)

    def add_many(self, customers: Iterable[Customer]) -> None:
        txn = self._t
        for i, customer in enumerate(customers):
            require(f"customers[{i}]", customer, Customer)
            txn.put("customers", customer.customer_id, customer)

    def get(self, customer_id: str) -> Customer:
        return self._get("customers", "customer_id", customer_id, Customer)

    def list(self) -> list[Customer]:
        return self._by_key("customers", Customer)

    def find_by_cpf(self, cpf: Cpf) -> Customer | None:
        require("cpf", cpf, Cpf)
        found: list[Customer] = self._t.lookup("customers_by_cpf", cpf.digits)
        return min(found, key=lambda c: c.customer_id) if found else None

    def count(self) -> int:
        return self._t.count("customers")

    def ids(self) -> pl.DataFrame:
        import polars as pl

        from otocore.adapters import _frames as fr

        return pl.DataFrame({"customer_id": sorted(self._t.rows("customers"))}, schema=fr.IDS)

    # paged reads for exports (issue 15)

    def page(self, *, after: str | None = None, limit: int = 1000) -> builtins.list[Customer]:
        start, size = check_page(after, limit)
        rows = self._t.rows("customers")
        keys = rows if start is None else (k for k in rows if k > start)
        return [rows[k] for k in heapq.nsmallest(size, keys)]

    def get_many(self, customer_ids: Iterable[str]) -> builtins.list[Customer]:
        txn = self._t
        found = (txn.get("customers", k) for k in check_ids(customer_ids))
        return [c for c in found if c is not None]


def _order_key(order: Order) -> tuple[datetime, str]:
    return (order.placed_at, order.order_id)


class Orders(Repository):
    def add(self, order: Order) -> None:
        check_order("order", order)
        self._t.put("orders", order.order_id, order)

    def add_many(self, orders: Iterable[Order]) -> None:
        txn = self._t
        for i, order in enumerate(orders):
            check_order(f"orders[{i}]", order)
            txn.put("orders", order.order_id, order)

    def get(self, order_id: str) -> Order:
        return self._get("orders", "order_id", order_id, Order)

    def for_customer(self, customer_id: str) -> list[Order]:
        found: list[Order] = self._t.lookup(
            "orders_by_customer", require_key("customer_id", customer_id)
        )
        return sorted(found, key=_order_key)

    def iter_all(self, *, since: datetime | None = None) -> Iterator[Order]:
        start = require_since(since)  # checked now, not at the first next()
        return self._sorted(self._t, start)

    @staticmethod
    def _sorted(txn: Txn, start: datetime | None) -> Iterator[Order]:
        rows = txn.rows("orders").values()
        chosen = [o for o in rows if start is None or o.placed_at >= start]
        chosen.sort(key=_order_key)
        yield from chosen

    def count(self) -> int:
        return self._t.count("orders")

    def completed_frame(self, *, since: datetime, until: datetime) -> pl.DataFrame:
        import polars as pl

        from otocore.adapters import _frames as fr

        start, end = _bounds(since=since, until=until)
        chosen = [
            o
            for o in self._t.rows("orders").values()
            if o.status is OrderStatus.COMPLETED and start <= o.placed_at < end
        ]
        return pl.DataFrame(
            {
                "customer_id": [o.customer_id for o in chosen],
                "store_id": [o.store_id for o in chosen],
                "seller_code": [o.seller_code for o in chosen],
                "placed_at": [o.placed_at.astimezone(UTC) for o in chosen],
                "total_cents": [_cents(o.total) for o in chosen],
            },
            schema=fr.ORDERS,
        )

    def placed_frame(self, *, since: datetime, until: datetime) -> pl.DataFrame:
        import polars as pl

        from otocore.adapters import _frames as fr

        start, end = _bounds(since=since, until=until)
        chosen = [o for o in self._t.rows("orders").values() if start <= o.placed_at < end]
        return pl.DataFrame(
            [
                (
                    o.order_id,
                    o.customer_id,
                    o.store_id,
                    o.seller_code,
                    o.placed_at.astimezone(UTC),
                    _cents(o.total),
                    o.status.value,
                    o.channel.value,
                    _cents(o.discount),
                )
                for o in chosen
            ],
            schema=fr.PLACED_ORDERS,
            orient="row",
        )

    def last_completed(self, *, before: datetime) -> pl.DataFrame:
        import polars as pl

        from otocore.adapters import _frames as fr

        (end,) = _bounds(before=before)
        last: dict[str, datetime] = {}
        for o in self._t.rows("orders").values():
            if o.status is OrderStatus.COMPLETED and o.placed_at < end:
                seen = last.get(o.customer_id)
                if seen is None or o.placed_at > seen:
                    last[o.customer_id] = o.placed_at
        ids = sorted(last)
        return pl.DataFrame(
            {"customer_id": ids, "placed_at": [last[c].astimezone(UTC) for c in ids]},
            schema=fr.LAST_ORDER,
        )

    def customer_ids(self) -> pl.DataFrame:
        import polars as pl

        from otocore.adapters import _frames as fr

        ids = {o.customer_id for o in self._t.rows("orders").values()}
        return pl.DataFrame({"customer_id": sorted(ids)}, schema=fr.IDS)


def _bounds(**instants: Any) -> tuple[datetime, ...]:
    return tuple(require_instant(name, value) for name, value in instants.items())


def _cents(total: Decimal) -> int:
    return int(total.scaleb(2))


class Portfolio(Repository):
    def set(self, assignment: PortfolioAssignment) -> None:
        require("assignment", assignment, PortfolioAssignment)
        self._t.put("portfolio", assignment.customer_id, assignment)

    def set_many(self, assignments: Iterable[PortfolioAssignment] | pl.DataFrame) -> None:
        from otocore.adapters import _frames as fr

        txn = self._t
        items: Iterable[Any] = assignments
        if _is_frame(assignments):
            items = [
                PortfolioAssignment(
                    customer_id=c, seller_code=s, since=d, reason=AssignmentReason(r)
                )
                for c, s, d, r in fr.check_assignments(assignments).iter_rows()
            ]
        for i, assignment in enumerate(items):
            require(f"assignments[{i}]", assignment, PortfolioAssignment)
            txn.put("portfolio", assignment.customer_id, assignment)

    def get(self, customer_id: str) -> PortfolioAssignment | None:
        found: PortfolioAssignment | None = self._t.get(
            "portfolio", require_key("customer_id", customer_id)
        )
        return found

    def list(
        self, *, seller_code: str | None = None, reason: AssignmentReason | None = None
    ) -> list[PortfolioAssignment]:
        if seller_code is not None:
            require_key("seller_code", seller_code)
        optional_enum("reason", reason, AssignmentReason)
        return [
            a
            for a in self._by_key("portfolio", PortfolioAssignment)
            if (seller_code is None or a.seller_code == seller_code)
            and (reason is None or a.reason is reason)
        ]

    def frame(self) -> pl.DataFrame:
        import polars as pl

        from otocore.adapters import _frames as fr

        rows = [
            (a.customer_id, a.seller_code, a.since, a.reason.value)
            for a in self._by_key("portfolio", PortfolioAssignment)
        ]
        return pl.DataFrame(rows, schema=fr.ASSIGNMENTS, orient="row")


class Rfv(Repository):
    def save(self, as_of: date, scores: Mapping[str, RfvScore] | pl.DataFrame) -> None:
        from otocore.adapters import _frames as fr

        if _is_frame(scores):
            scores = _score_objects(fr.check_scores(as_of, scores))
        snapshot = check_scores(as_of, scores)
        self._t.put("rfv", as_of, snapshot)

    def get(self, as_of: date) -> dict[str, RfvScore]:
        found: dict[str, RfvScore] | None = self._t.get("rfv", require_day("as_of", as_of))
        if found is None:
            raise NotFound("RFV snapshot", as_of)
        return dict(found)

    def get_many(self, as_of: date, customer_ids: Iterable[str]) -> dict[str, RfvScore]:
        if isinstance(customer_ids, str | bytes):
            raise ValidationError("customer_ids", customer_ids, "must be an iterable of ids")
        keys = sorted({require_key("customer_ids[]", c) for c in customer_ids})
        found: dict[str, RfvScore] | None = self._t.get("rfv", require_day("as_of", as_of))
        if found is None:
            raise NotFound("RFV snapshot", as_of)
        return {k: found[k] for k in keys if k in found}

    def dates(self) -> list[date]:
        return sorted(self._t.rows("rfv"))


def _score_objects(frame: pl.DataFrame) -> dict[str, RfvScore]:
    from otocore.adapters import _frames as fr

    values = frame.select(fr.score_values(frame)).to_series()
    return {
        cid: RfvScore(
            customer_id=cid,
            recency_days=days,
            frequency=freq,
            value=Decimal(value),
            r=r,
            f=f,
            v=v,
            segment=segment,
        )
        for (cid, days, freq, _, r, f, v, segment), value in zip(
            frame.iter_rows(), values, strict=True
        )
    }


class DailyRuns(Repository):
    def add(self, run: DailyRun) -> None:
        require("run", run, DailyRun)
        # keys order the runs by when they were added, and are unique in the database
        self._t.put("daily_runs", next(self._uow.database._run_keys), run)

    def list(self) -> list[DailyRun]:
        rows = self._t.rows("daily_runs")
        return sorted((rows[k] for k in sorted(rows)), key=run_sort_key)

    def latest(self, as_of: date | None = None) -> DailyRun | None:
        if as_of is not None:
            require_day("as_of", as_of)
        runs = [r for r in self.list() if as_of is None or r.as_of == as_of]
        return runs[-1] if runs else None


class Sequences(Repository):
    def current(self, name: str) -> int:
        value: int | None = self._t.get("sequences", require_key("name", name))
        return value or 0

    def set(self, name: str, value: int) -> None:
        self._t.put("sequences", require_key("name", name), check_sequence_value(value))

    def next(self, name: str) -> int:
        # like a database write, this takes the write lock until the block ends
        # and reads the latest committed value, so concurrent blocks never get
        # the same number
        self._uow._take_write_lock()
        value = self.current(name) + 1
        self.set(name, value)
        return value
