# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of the bulk reads and writes: the columns the batch rules work on."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import polars as pl
import pytest

from otocore.errors import ValidationError
from otocore.orders import Channel, OrderStatus
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus
from otocore.testing.storage._builders import DAY, SP, MakeUow, _assigned, _customer, _order

_UTC_US: Any = pl.Datetime("us", "UTC")
_ORDER_SCHEMA: dict[str, Any] = {
    "customer_id": pl.String,
    "store_id": pl.String,
    "seller_code": pl.String,
    "placed_at": _UTC_US,
    "total_cents": pl.Int64,
}
_ASSIGNMENT_SCHEMA: dict[str, Any] = {
    "customer_id": pl.String,
    "seller_code": pl.String,
    "since": pl.Date,
    "reason": pl.String,
}


def _scores_frame(rows: list[tuple[object, ...]]) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "customer_id": pl.String,
            "recency_days": pl.Int64,
            "frequency": pl.Int64,
            "value_cents": pl.Int64,
            "r": pl.Int64,
            "f": pl.Int64,
            "v": pl.Int64,
            "segment": pl.String,
        },
        orient="row",
    )


class BulkContract:
    """The bulk reads and writes of the portfolio's repositories (part of :class:`PortfolioContract`).

    Frames of columns for :mod:`otocore.frames` and the daily job: completed
    orders in a range of instants, each customer's last completed order,
    customer ids, seller codes, the carteiras; carteiras and RFV snapshots
    written from frames. Same contract as the objects: exact instants and
    centavos, the block's own writes seen, bad frames refused before writing.

    >>> "test_completed_frame_holds_exact_instants_and_centavos" in dir(BulkContract)
    True
    """

    def test_completed_frame_holds_exact_instants_and_centavos(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        edge = datetime(2026, 5, 10, 23, 59, 59, 999999, tzinfo=SP)
        with uow:
            uow.orders.add_many(
                [
                    _order(1, when=edge, total="10.5"),
                    _order(2, customer="C2", when=edge + timedelta(microseconds=1), seller=None),
                    _order(3, when=datetime(2026, 5, 9, tzinfo=UTC), total="0.01"),
                    attrs.evolve(_order(4, when=edge), status=OrderStatus.CANCELLED),
                    _order(5, when=datetime(2026, 5, 8, 23, 59, 59, 999999, tzinfo=UTC)),
                ]
            )
        with uow:
            frame = uow.orders.completed_frame(
                since=datetime(2026, 5, 8, 21, tzinfo=SP),  # 2026-05-09 00:00 UTC, inclusive
                until=edge + timedelta(microseconds=1),  # exclusive
            )
        assert frame.schema == pl.Schema(_ORDER_SCHEMA)
        assert sorted(frame.rows(), key=lambda row: row[3]) == [
            ("C1", "L01", "V01", datetime(2026, 5, 9, tzinfo=UTC), 1),
            ("C1", "L01", "V01", edge.astimezone(UTC), 1050),
        ]
        with uow:
            everything = uow.orders.completed_frame(
                since=datetime(2026, 1, 1, tzinfo=UTC), until=datetime(2027, 1, 1, tzinfo=UTC)
            )
            none = uow.orders.completed_frame(since=edge, until=edge)
        assert everything.height == 4  # P1, P2, P3, P5
        assert everything.filter(pl.col("customer_id") == "C2")["seller_code"].to_list() == [None]
        assert none.schema == pl.Schema(_ORDER_SCHEMA)
        assert none.height == 0

    def test_placed_frame_holds_every_order_of_the_range(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        edge = datetime(2026, 5, 10, 23, 59, 59, 999999, tzinfo=SP)
        with uow:
            uow.orders.add_many(
                [
                    _order(1, when=edge, total="10.5"),
                    _order(2, customer="C2", when=edge + timedelta(microseconds=1), seller=None),
                    attrs.evolve(
                        _order(3, when=datetime(2026, 5, 9, tzinfo=UTC), total="0.01", seller=None),
                        channel=Channel.ONLINE,
                    ),
                    attrs.evolve(
                        _order(4, when=edge),
                        status=OrderStatus.CANCELLED,
                        discount=Decimal("2.50"),
                    ),
                    _order(5, when=datetime(2026, 5, 8, 23, 59, 59, 999999, tzinfo=UTC)),
                ]
            )
        with uow:
            frame = uow.orders.placed_frame(
                since=datetime(2026, 5, 8, 21, tzinfo=SP),  # 2026-05-09 00:00 UTC, inclusive
                until=edge + timedelta(microseconds=1),  # exclusive
            )
            none = uow.orders.placed_frame(since=edge, until=edge)
        schema = {
            "order_id": pl.String,
            **_ORDER_SCHEMA,
            "status": pl.String,
            "channel": pl.String,
            "discount_cents": pl.Int64,
        }
        assert frame.schema == pl.Schema(schema)
        at = edge.astimezone(UTC)
        day9 = datetime(2026, 5, 9, tzinfo=UTC)
        assert sorted(frame.rows()) == [
            ("P1", "C1", "L01", "V01", at, 1050, "completed", "store", 0),
            ("P3", "C1", "L01", None, day9, 1, "completed", "online", 0),
            ("P4", "C1", "L01", "V01", at, 1050, "cancelled", "store", 250),
        ]
        assert none.schema == pl.Schema(schema)
        assert none.height == 0

    def test_last_completed_is_each_customers_latest_before(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        t0 = datetime(2026, 5, 10, 12, tzinfo=UTC)
        with uow:
            uow.orders.add_many(
                [
                    _order(1, when=t0 - timedelta(days=30)),
                    _order(2, when=t0 - timedelta(days=3)),
                    _order(3, when=t0),  # not before t0
                    _order(4, customer="C2", when=t0 - timedelta(days=40)),
                    attrs.evolve(
                        _order(5, customer="C2", when=t0 - timedelta(days=1)),
                        status=OrderStatus.CANCELLED,
                    ),
                    _order(6, customer="C3", when=t0 + timedelta(days=1)),
                ]
            )
        with uow:
            last = uow.orders.last_completed(before=t0)
            assert uow.orders.last_completed(before=t0 - timedelta(days=90)).height == 0
        assert last.schema == pl.Schema({"customer_id": pl.String, "placed_at": _UTC_US})
        assert last.rows() == [
            ("C1", t0 - timedelta(days=3)),
            ("C2", t0 - timedelta(days=40)),
        ]

    def test_ids_and_codes_without_records(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            for code, status in [("V02", SellerStatus.ACTIVE), ("V01", SellerStatus.INACTIVE)]:
                uow.sellers.add(Seller(code=code, name="x", store_id="L01", status=status))
            uow.sellers.add(Seller(code="V03", name="y", store_id="L02"))
            uow.customers.add(_customer("C2"))
            uow.customers.add(_customer("C1"))
            assert uow.customers.ids()["customer_id"].to_list() == ["C1", "C2"]  # own writes
            uow.orders.add_many(
                [
                    _order(1, customer="C9"),
                    _order(2, customer="C1"),
                    attrs.evolve(_order(3, customer="C5"), status=OrderStatus.CANCELLED),
                ]
            )
        with uow:
            assert uow.sellers.codes() == ["V01", "V02", "V03"]
            assert uow.sellers.codes(status=SellerStatus.ACTIVE) == ["V02", "V03"]
            assert uow.sellers.codes(status=SellerStatus.INACTIVE) == ["V01"]
            assert uow.orders.customer_ids().rows() == [("C1",), ("C5",), ("C9",)]
            assert uow.orders.customer_ids().schema == pl.Schema({"customer_id": pl.String})
        empty = make_uow()
        with empty:
            assert empty.customers.ids().schema == pl.Schema({"customer_id": pl.String})
            assert empty.customers.ids().height == 0
            assert empty.sellers.codes() == []

    def test_portfolio_frame_round_trips_and_upserts(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        manual = PortfolioAssignment(
            customer_id="C3",
            seller_code="V02",
            since=date(2025, 12, 31),
            reason=AssignmentReason.MANUAL,
        )
        with uow:
            assert uow.portfolio.frame().schema == pl.Schema(_ASSIGNMENT_SCHEMA)
            uow.portfolio.set_many([_assigned("C2", None), manual, _assigned("C1", "V01")])
            frame = uow.portfolio.frame()
        assert frame.rows() == [
            ("C1", "V01", DAY, "daily_rule"),
            ("C2", None, DAY, "none"),
            ("C3", "V02", date(2025, 12, 31), "manual_redistribution"),
        ]
        update = pl.DataFrame(
            [
                ("C2", "V09", date(2026, 6, 1), "daily_rule"),
                ("C4", None, date(2026, 6, 1), "none"),
                ("C2", "V08", date(2026, 6, 2), "daily_rule"),  # a repeated customer: the last wins
            ],
            schema=_ASSIGNMENT_SCHEMA,
            orient="row",
        )
        with uow:
            uow.portfolio.set_many(update)
            uow.portfolio.set_many(update.clear())
        with uow:
            assert uow.portfolio.get("C2") == PortfolioAssignment(
                customer_id="C2",
                seller_code="V08",
                since=date(2026, 6, 2),
                reason=AssignmentReason.DAILY_RULE,
            )
            assert uow.portfolio.get("C4") == _assigned("C4", None, since=date(2026, 6, 1))
            assert uow.portfolio.get("C3") == manual
            assert uow.portfolio.frame().height == 4

    def test_a_bad_portfolio_frame_writes_nothing(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        good = ("C1", "V01", DAY, "daily_rule")
        cases = [
            (("C2", None, DAY, "daily_rule"), r"assignments\.seller_code must name a seller"),
            (("C2", "V01", DAY, "none"), r"assignments\.seller_code must be null"),
            (("C2", "V01", DAY, "sideways"), r"assignments\.reason must be an AssignmentReason"),
            (("", "V01", DAY, "daily_rule"), r"assignments\.customer_id must be a non-blank"),
            (("C2", "V01", None, "daily_rule"), r"assignments\.since must not be null"),
        ]
        for bad, message in cases:
            frame = pl.DataFrame([good, bad], schema=_ASSIGNMENT_SCHEMA, orient="row")
            with uow, pytest.raises(ValidationError, match=message):
                uow.portfolio.set_many(frame)
        with uow, pytest.raises(ValidationError, match=r"assignments\.since must be a column"):
            uow.portfolio.set_many(
                pl.DataFrame([good[:2]], schema=["customer_id", "seller_code"], orient="row")
            )
        with uow:
            assert uow.portfolio.frame().height == 0

    def test_rfv_snapshot_from_a_frame(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        frame = _scores_frame(
            [
                ("C1", 2, 4, 115000, 5, 5, 4, "champions"),
                ("C2", 400, 0, 0, 1, 1, 1, "lost"),
                ("C3", 9, 1, 5, 2, 1, 1, "hibernating"),
            ]
        )
        with uow:
            uow.rfv.save(DAY, frame)
        with uow:
            got = uow.rfv.get(DAY)
        assert got == {
            "C1": RfvScore(
                customer_id="C1",
                recency_days=2,
                frequency=4,
                value=Decimal("1150.00"),
                r=5,
                f=5,
                v=4,
                segment="champions",
            ),
            "C2": RfvScore(
                customer_id="C2",
                recency_days=400,
                frequency=0,
                value=Decimal(0),
                r=1,
                f=1,
                v=1,
                segment="lost",
            ),
            "C3": RfvScore(
                customer_id="C3",
                recency_days=9,
                frequency=1,
                value=Decimal("0.05"),
                r=2,
                f=1,
                v=1,
                segment="hibernating",
            ),
        }
        # as the reference computes it: a Decimal(0) start, two places from stored totals
        assert str(got["C1"].value) == "1150.00"
        assert str(got["C3"].value) == "0.05"
        with uow:
            uow.rfv.save(DAY, frame.clear())
        with uow:
            assert uow.rfv.get(DAY) == {}

    def test_a_bad_rfv_frame_writes_nothing(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        good = ("C1", 2, 4, 115000, 5, 5, 4, "champions")
        with uow:
            uow.rfv.save(DAY, _scores_frame([good]))
        cases = [
            (("C1", 3, 1, 100, 1, 1, 1, "lost"), r"scores\.customer_id must appear once"),
            (("C2", -1, 1, 100, 1, 1, 1, "lost"), r"scores\.recency_days must be an integer >= 0"),
            (("C2", 1, 1, 100, 11, 1, 1, "lost"), r"scores\.r must be an integer from 1 to 10"),
            (("C2", 1, 1, 100, 1, 1, 1, "Lost"), r"scores\.segment must be a snake_case key"),
        ]
        for bad, message in cases:
            with uow, pytest.raises(ValidationError, match=message):
                uow.rfv.save(date(2026, 5, 11), _scores_frame([good, bad]))
        with uow, pytest.raises(ValidationError, match=r"scores\.value_cents must be a column"):
            uow.rfv.save(date(2026, 5, 11), _scores_frame([good]).drop("value_cents"))
        with uow:
            assert uow.rfv.dates() == [DAY]
