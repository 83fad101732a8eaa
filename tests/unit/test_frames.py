"""otocore.frames: the frame contract, and the rule pages' worked examples on every engine."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import narwhals as nw
import pyarrow as pa
import pytest

from _support.frames import (
    ENGINES,
    NATIVE_TYPES,
    convert,
    expected_preferred,
    expected_rfv,
    order_frame,
    rows,
)
from otocore import distribution, frames, rfv
from otocore.errors import ValidationError
from otocore.frames._engines import all_distinct, with_local_day
from otocore.orders import Order, OrderStatus

SP = ZoneInfo("America/Sao_Paulo")
EAGER = ("pandas", "polars", "pyarrow")
LAZY = ("polars-lazy", "duckdb")


def order(
    n: int,
    customer: str,
    at: datetime,
    total: str = "100.00",
    *,
    seller: str | None = None,
    store: str = "L01",
    status: OrderStatus = OrderStatus.COMPLETED,
) -> Order:
    return Order(
        order_id=f"P{n}",
        customer_id=customer,
        store_id=store,
        placed_at=at,
        total=Decimal(total),
        seller_code=seller,
        status=status,
    )


def local(y: int, m: int, d: int, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, tzinfo=SP)


# the worked examples ------------------------------------------------------------------

# docs/rules/rfv.md, "Worked example": a brand on 2026-05-10, default policy
RFV_BRAND = [
    order(1, "ANA", local(2026, 5, 8), "300.00"),
    order(2, "ANA", local(2026, 4, 1), "200.00"),
    order(3, "ANA", local(2025, 12, 10), "500.00"),
    order(4, "ANA", local(2025, 9, 1), "150.00"),
    order(5, "BIA", local(2026, 5, 1), "120.00"),
    order(6, "CAIO", local(2025, 11, 20), "80.00"),
    order(7, "CAIO", local(2025, 6, 15), "80.00"),
    order(8, "DUDA", local(2026, 2, 14), "450.00"),
    order(9, "DUDA", local(2026, 1, 10), "450.00"),
    order(10, "DUDA", local(2025, 10, 5), "300.00"),
    order(11, "EDU", local(2024, 12, 24), "900.00"),
]
RFV_TABLE = [
    ("ANA", 2, 4, 115000, 5, 5, 4, "champions"),
    ("BIA", 9, 1, 12000, 4, 2, 2, "potential_loyalists"),
    ("CAIO", 171, 2, 16000, 2, 3, 3, "at_risk"),
    ("DUDA", 85, 3, 120000, 3, 4, 5, "loyal_customers"),
    ("EDU", 502, 0, 0, 1, 1, 1, "hibernating"),
]


@pytest.mark.parametrize("engine", ENGINES)
def test_rfv_worked_example(engine: str) -> None:
    got = frames.rfv_scores(order_frame(RFV_BRAND, engine), date(2026, 5, 10))
    assert isinstance(got, NATIVE_TYPES[engine])
    assert nw.from_native(got).collect_schema().names() == list(frames.RFV_COLUMNS)
    assert rows(got) == RFV_TABLE
    assert expected_rfv(rfv.rfv_scores(RFV_BRAND, date(2026, 5, 10))) == RFV_TABLE


@pytest.mark.parametrize("engine", ENGINES)
def test_rfv_ties_with_more_customers_than_bins(engine: str) -> None:
    # "frequencies 0, 0, 1, 1, 1, 2, 2, 5 score 1, 1, 2, 2, 2, 4, 4, 5"
    brand = []
    for i, count in enumerate([0, 0, 1, 1, 1, 2, 2, 5]):
        customer = f"C{i}"
        brand.append(order(100 + i, customer, local(2024, 1, 1)))  # before the window
        brand += [order(10 * i + k, customer, local(2026, 5, 1 + k)) for k in range(count)]
    got = rows(frames.rfv_scores(order_frame(brand, engine), date(2026, 5, 10)))
    assert [row[5] for row in got] == [1, 1, 2, 2, 2, 4, 4, 5]


@pytest.mark.parametrize("engine", ENGINES)
def test_rfv_threshold_scoring_and_a_value_cut_point_between_centavos(engine: str) -> None:
    policy = rfv.RfvPolicy(
        thresholds=rfv.RfvThresholds(
            recency=(30, 60, 90, 180),
            frequency=(2, 3, 5, 8),
            value=(Decimal("99.995"), Decimal(500), Decimal(1000), Decimal(3000)),
        )
    )
    brand = [
        order(1, "A", local(2026, 5, 1), "99.99"),
        order(2, "B", local(2026, 3, 1), "100.00"),
        order(3, "C", local(2025, 12, 1), "3000.00"),
    ]
    got = rows(frames.rfv_scores(order_frame(brand, engine), date(2026, 5, 10), policy=policy))
    assert got == expected_rfv(rfv.rfv_scores(brand, date(2026, 5, 10), policy=policy))
    assert [row[6] for row in got] == [1, 2, 5]


# docs/rules/preferred-seller.md: the rule's example and the seed's bullets
def _seller_orders(*specs: tuple[str, datetime, str]) -> list[Order]:
    return [order(i, "C1", at, seller=s, store=st) for i, (s, at, st) in enumerate(specs)]


PREFERRED_CASES = {
    # V01 twice on one day and store (one visit), V02 on two days: V02 by tally
    "tally": (
        _seller_orders(
            ("V01", local(2026, 5, 2), "L01"),
            ("V01", local(2026, 5, 2, 18), "L01"),
            ("V02", local(2026, 5, 3), "L01"),
            ("V02", local(2026, 5, 4), "L01"),
        ),
        ("C1", "V02", 2, 2, "tally"),
    ),
    # V01 8 visits and V02 5 both tally 5; V02 sold last
    "cap": (
        _seller_orders(
            *[("V01", local(2026, 4, d), "L01") for d in range(1, 9)],
            *[("V02", local(2026, 4, 10 + d), "L01") for d in range(5)],
        ),
        ("C1", "V02", 5, 5, "most_recent_sale"),
    ),
    # equal tallies: 12:01 beats 12:00
    "most_recent_sale": (
        _seller_orders(
            ("V01", local(2026, 4, 1, 12, 0), "L01"), ("V02", local(2026, 4, 1, 12, 1), "L02")
        ),
        ("C1", "V02", 1, 1, "most_recent_sale"),
    ),
    # equal tallies and instants: "V10" < "V9" in code-point order
    "seller_code": (
        _seller_orders(("V9", local(2026, 4, 1), "L01"), ("V10", local(2026, 4, 1), "L02")),
        ("C1", "V10", 1, 1, "seller_code"),
    ),
    # 21:30 and 23:30 local are one day (23:30 is the next day in UTC); 00:30 is another
    "local_day": (
        _seller_orders(
            ("V01", local(2026, 5, 1, 21, 30), "L01"),
            ("V01", local(2026, 5, 1, 23, 30), "L01"),
            ("V01", local(2026, 5, 2, 0, 30), "L01"),
        ),
        ("C1", "V01", 2, 2, "only_candidate"),
    ),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("case", sorted(PREFERRED_CASES))
def test_preferred_seller_worked_examples(case: str, engine: str) -> None:
    history, (customer, code, visits, tally, decided) = PREFERRED_CASES[case]
    as_of = date(2026, 5, 10)
    got = frames.preferred_sellers(order_frame(history, engine), as_of)
    assert isinstance(got, NATIVE_TYPES[engine])
    assert nw.from_native(got).collect_schema().names() == list(frames.PREFERRED_COLUMNS)
    reference = distribution.preferred_sellers(history, as_of)
    assert rows(got) == expected_preferred(reference)
    assert [row[:4] + row[5:] for row in rows(got)] == [(customer, code, visits, tally, decided)]


@pytest.mark.parametrize("engine", ENGINES)
def test_preferred_window_edge_eligible_cancelled_and_online(engine: str) -> None:
    # as_of 2026-05-10: 2025-05-11 counts, 2025-05-10 does not; 01:30 UTC on the 11th
    # is the 10th in São Paulo
    history = [
        order(1, "C1", local(2025, 5, 10, 23, 59), seller="V01"),
        order(2, "C1", datetime(2025, 5, 11, 1, 30, tzinfo=UTC), seller="V01"),
        order(3, "C2", local(2025, 5, 11, 0, 0), seller="V02"),
        order(4, "C3", local(2026, 5, 1), seller="V03", status=OrderStatus.CANCELLED),
        order(5, "C3", local(2026, 5, 1), seller=None),
        order(6, "C4", local(2026, 5, 1), seller="V04"),
        order(7, "C4", local(2026, 5, 2), seller="V05"),
        order(8, "C5", local(2026, 5, 11, 0, 0), seller="V01"),  # after as_of
    ]
    as_of = date(2026, 5, 10)
    for eligible in (None, {"V02", "V04"}, set()):
        got = frames.preferred_sellers(order_frame(history, engine), as_of, eligible=eligible)
        reference = distribution.preferred_sellers(history, as_of, eligible=eligible)
        assert rows(got) == expected_preferred(reference), eligible
    winners = rows(frames.preferred_sellers(order_frame(history, engine), as_of))
    assert [(row[0], row[1]) for row in winners] == [("C2", "V02"), ("C4", "V05")]


@pytest.mark.parametrize("engine", ENGINES)
def test_integer_ids_and_any_column_zone(engine: str) -> None:
    table = pa.table(
        {
            "order_id": pa.array([1, 2, 3], pa.int64()),
            "customer_id": pa.array([7, 7, 3], pa.int32()),
            "store_id": pa.array([1, 1, 2], pa.int16()),
            "seller_code": pa.array(["V1", "V2", None], pa.string()),
            "placed_at": pa.array(
                [local(2026, 5, 1), local(2026, 5, 2), local(2026, 5, 3)],
                pa.timestamp("ms", tz="America/Manaus"),
            ),
            "total_cents": pa.array([100, 250, 999], pa.int32()),
            "status": pa.array(["completed"] * 3, pa.string()),
        }
    )
    scores = rows(frames.rfv_scores(convert(table, engine), date(2026, 5, 10)))
    assert [row[:4] for row in scores] == [(3, 7, 1, 999), (7, 8, 2, 350)]
    prefs = rows(frames.preferred_sellers(convert(table, engine), date(2026, 5, 10)))
    assert [(r[0], r[1], r[4]) for r in prefs] == [(7, "V2", local(2026, 5, 2))]


@pytest.mark.parametrize("engine", ENGINES)
def test_no_order_counts_gives_an_empty_frame_with_the_columns(engine: str) -> None:
    history = [order(1, "C1", local(2026, 5, 1), seller="V1", status=OrderStatus.CANCELLED)]
    for result, columns in (
        (frames.rfv_scores(order_frame(history, engine), date(2026, 5, 10)), frames.RFV_COLUMNS),
        (
            frames.preferred_sellers(order_frame(history, engine), date(2026, 5, 10)),
            frames.PREFERRED_COLUMNS,
        ),
    ):
        assert rows(result) == []
        assert nw.from_native(result).collect_schema().names() == list(columns)


@pytest.mark.parametrize("engine", ENGINES)
def test_lazy_inputs_stay_lazy(engine: str) -> None:
    got = frames.rfv_scores(order_frame(RFV_BRAND, engine), date(2026, 5, 10))
    assert isinstance(nw.from_native(got), nw.LazyFrame) == (engine in LAZY)


# the contract ---------------------------------------------------------------------------

SAMPLE = [order(1, "C1", local(2026, 5, 1), seller="V1"), order(2, "C2", local(2026, 5, 2))]


def _table(**changes: Any) -> pa.Table:
    table = order_frame(SAMPLE, "pyarrow")
    for name, column in changes.items():
        if column is None:
            table = table.drop_columns([name])
        else:
            table = table.set_column(table.schema.get_field_index(name), name, column)
    assert isinstance(table, pa.Table)
    return table


BAD_SCHEMAS = {
    "missing": ("placed_at", {"placed_at": None}, "must be a column of the orders frame"),
    "float ids": ("customer_id", {"customer_id": pa.array([1.0, 2.0])}, "strings or integers"),
    "float money": ("total_cents", {"total_cents": pa.array([1.5, 2.0])}, r"integers \(centavos"),
    "integer status": ("status", {"status": pa.array([1, 1])}, "must hold strings"),
    "integer seller": ("seller_code", {"seller_code": pa.array([1, 2])}, "must hold strings"),
    "naive": (
        "placed_at",
        {"placed_at": pa.array([datetime(2026, 5, 1)] * 2, pa.timestamp("us"))},
        "time-zone-aware",
    ),
    "text instants": ("placed_at", {"placed_at": pa.array(["2026-05-01"] * 2)}, "time-zone-aware"),
}


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("fault", sorted(BAD_SCHEMAS))
@pytest.mark.parametrize("rule", ["rfv", "preferred"])
def test_a_schema_fault_names_the_column_on_every_engine(
    fault: str, engine: str, rule: str
) -> None:
    column, changes, says = BAD_SCHEMAS[fault]
    frame = convert(_table(**changes), engine)
    run = frames.rfv_scores if rule == "rfv" else frames.preferred_sellers
    with pytest.raises(ValidationError, match=says) as info:
        run(frame, date(2026, 5, 10))
    assert info.value.field == f"orders.{column}"


def test_every_schema_fault_is_reported_at_once() -> None:
    frame = _table(placed_at=None, total_cents=pa.array(["1", "2"]))
    with pytest.raises(ValidationError, match="2 errors") as info:
        frames.rfv_scores(frame, date(2026, 5, 10))
    assert [e.field for e in info.value.errors] == ["orders.placed_at", "orders.total_cents"]


BAD_DATA = {
    "null customer": ("customer_id", {"customer_id": pa.array(["C1", None])}, "must not be null"),
    "null instant": (
        "placed_at",
        {"placed_at": pa.array([local(2026, 5, 1), None], pa.timestamp("us", tz="UTC"))},
        "must not be null",
    ),
    "negative": ("total_cents", {"total_cents": pa.array([100, -1])}, "must be >= 0"),
    "status": ("status", {"status": pa.array(["completed", "paid"])}, "must be one of"),
    "repeated id": ("order_id", {"order_id": pa.array(["P1", "P1"])}, "must be unique"),
}


@pytest.mark.parametrize("engine", EAGER)
@pytest.mark.parametrize("fault", sorted(BAD_DATA))
def test_a_data_fault_of_an_eager_frame_names_the_column(fault: str, engine: str) -> None:
    column, changes, says = BAD_DATA[fault]
    with pytest.raises(ValidationError, match=says) as info:
        frames.rfv_scores(convert(_table(**changes), engine), date(2026, 5, 10))
    assert info.value.field == f"orders.{column}"


def test_repeated_order_ids_are_refused_by_rfv_only_as_in_the_reference() -> None:
    frame = _table(order_id=pa.array(["P1", "P1"]))
    assert len(rows(frames.preferred_sellers(frame, date(2026, 5, 10)))) == 1


@pytest.mark.parametrize("engine", LAZY)
def test_a_lazy_frame_gets_the_schema_checks_only(engine: str) -> None:
    frame = convert(_table(total_cents=pa.array([100, -1])), engine)
    result = frames.rfv_scores(frame, date(2026, 5, 10))  # no data check: nothing ran yet
    assert isinstance(nw.from_native(result), nw.LazyFrame)
    naive = pa.array([datetime(2026, 5, 1)] * 2, pa.timestamp("us"))
    with pytest.raises(ValidationError, match="naive") as info:
        frames.rfv_scores(convert(_table(placed_at=naive), engine), date(2026, 5, 10))
    assert info.value.field == "orders.placed_at"


@pytest.mark.parametrize(
    "orders",
    [SAMPLE, {"order_id": ["P1"]}, "orders.csv", None],
    ids=["list", "dict", "str", "none"],
)
def test_what_is_not_a_frame_is_refused(orders: Any) -> None:
    with pytest.raises(ValidationError, match="must be a data frame of orders") as info:
        frames.rfv_scores(orders, date(2026, 5, 10))
    assert info.value.field == "orders"


def test_arguments_are_checked_like_the_reference() -> None:
    frame = _table()
    with pytest.raises(ValidationError, match=r"datetime\.date") as info:
        frames.rfv_scores(frame, datetime(2026, 5, 10, tzinfo=SP))  # type: ignore[arg-type]
    assert info.value.field == "as_of"
    with pytest.raises(ValidationError, match="RfvPolicy") as info:
        frames.rfv_scores(frame, date(2026, 5, 10), policy=distribution.PreferredSellerPolicy())  # type: ignore[arg-type]
    assert info.value.field == "policy"
    with pytest.raises(ValidationError, match="collection") as info:
        frames.preferred_sellers(frame, date(2026, 5, 10), eligible="V01")
    assert info.value.field == "eligible"
    with pytest.raises(ValidationError, match="too early") as info:
        frames.rfv_scores(frame, date(1, 3, 1))
    assert info.value.field == "as_of"


# time zones: the engines' databases against Python's -----------------------------------

# Brazil's last daylight-saving periods: 2017-10-15 .. 2018-02-17, 2018-11-04 .. 2019-02-16
# (the spring-forward midnight does not exist; the fall-back 23:00-23:59 happens twice).
TRANSITIONS = [
    datetime(2018, 2, 18, 0, tzinfo=UTC),
    datetime(2018, 11, 4, 0, tzinfo=UTC),
    datetime(2019, 2, 17, 0, tzinfo=UTC),
]
ZONES = ["America/Sao_Paulo", "America/Campo_Grande", "America/Cuiaba", "America/Manaus", "UTC"]


@pytest.mark.parametrize("engine", ENGINES)
def test_engines_agree_with_python_on_brazils_2018_2019_daylight_saving(engine: str) -> None:
    instants = [
        moment + timedelta(minutes=step)
        for moment in TRANSITIONS
        for step in range(0, 10 * 60, 15)  # 00:00 to 09:45 UTC around each change
    ]
    table = pa.table({"placed_at": pa.array(instants, pa.timestamp("us", tz="UTC"))})
    epoch = date(1970, 1, 1)
    for zone in ZONES:
        frame = nw.from_native(convert(table, engine))
        lazy = frame.lazy() if isinstance(frame, nw.DataFrame) else frame
        got = [row[0] for row in with_local_day(lazy, zone, "day").select("day").collect().rows()]
        python = [(at.astimezone(ZoneInfo(zone)).date() - epoch).days for at in instants]
        assert got == python, zone


# Zones whose rules changed recently, at an instant the change moves across midnight:
# each engine's zone data must be at least as new as the change (tzdata 2024b).
RECENT_CHANGES = [
    ("America/Asuncion", datetime(2025, 6, 1, 3, 30, tzinfo=UTC)),  # 2024b: -03 all year
    ("Asia/Almaty", datetime(2024, 6, 1, 18, 30, tzinfo=UTC)),  # 2024a: +05 from March 2024
    ("America/Ciudad_Juarez", datetime(2023, 6, 1, 5, 30, tzinfo=UTC)),  # 2022g: new zone
    ("America/Sao_Paulo", datetime(1963, 11, 1, 2, 30, tzinfo=UTC)),  # before 1970
    # past 2037 zoneinfo applies the zone's rule, not its table
    ("America/New_York", datetime(2050, 7, 1, 3, 30, tzinfo=UTC)),
]


@pytest.mark.parametrize("engine", ENGINES)
def test_what_differs_between_the_engines_time_zone_data(engine: str) -> None:
    """Pinned: each engine has its own copy of the zone data, and here none differs from Python's.

    Polars uses chrono-tz (compiled into the wheel), DuckDB ICU's data (compiled in),
    PyArrow the system's /usr/share/zoneinfo, pandas Python's zoneinfo (the system's,
    else the tzdata package). What can differ is the data's version: a zone changed by a
    tzdata release newer than an engine's copy gives that engine the old offsets until
    it is upgraded. This test fails when an engine's copy is older than 2024b.
    """
    epoch = date(1970, 1, 1)
    for zone, at in RECENT_CHANGES:
        table = pa.table({"placed_at": pa.array([at], pa.timestamp("us", tz="UTC"))})
        frame = nw.from_native(convert(table, engine))
        lazy = frame.lazy() if isinstance(frame, nw.DataFrame) else frame
        (got,) = with_local_day(lazy, zone, "day").select("day").collect().rows()
        assert got[0] == (at.astimezone(ZoneInfo(zone)).date() - epoch).days, zone
    midnight = datetime.combine(date(2018, 11, 4), time(0), SP)  # skipped: 00:00 became 01:00
    assert midnight.astimezone(UTC) == datetime(2018, 11, 4, 3, tzinfo=UTC)


def test_a_polars_caller_imports_no_other_frame_library() -> None:
    """Frames of libraries the caller did not pass are never imported (run in a fresh interpreter)."""
    code = """
import sys
from datetime import UTC, date, datetime
import polars as pl
from otocore import frames
orders = pl.DataFrame({
    "order_id": ["P1"], "customer_id": ["C1"], "store_id": ["L1"], "seller_code": ["V1"],
    "placed_at": [datetime(2026, 5, 1, tzinfo=UTC)], "total_cents": [100], "status": ["completed"],
})
frames.rfv_scores(orders, date(2026, 5, 10))
frames.preferred_sellers(orders.lazy(), date(2026, 5, 10)).collect()
print(sorted(m for m in ("pandas", "pyarrow", "duckdb", "numpy") if m in sys.modules))
"""
    env = dict(os.environ, HYPOTHESIS_NO_PLUGINS="1")
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("engine", EAGER)
def test_a_repeated_order_id_among_many_is_found_on_every_eager_engine(engine: str) -> None:
    ids = [f"P{n}" for n in range(5_000)]
    distinct = pa.table({"order_id": pa.array(ids)})
    repeated = pa.table({"order_id": pa.array([*ids, "P4321"])})
    assert all_distinct(nw.from_native(convert(distinct, engine), eager_only=True), "order_id")
    assert not all_distinct(nw.from_native(convert(repeated, engine), eager_only=True), "order_id")


def test_equal_hashes_of_distinct_ids_do_not_refuse_a_polars_frame() -> None:
    """Polars checks the hashes of the ids first; on a collision it counts the ids themselves."""
    import polars as pl

    frame = convert(_table(), "polars")
    with mock.patch.object(pl.Expr, "hash", return_value=pl.lit(0, pl.UInt64)) as hashed:
        assert len(rows(frames.rfv_scores(frame, date(2026, 5, 10)))) == 2
        with pytest.raises(ValidationError, match="must be unique") as info:
            frames.rfv_scores(
                convert(_table(order_id=pa.array(["P1", "P1"])), "polars"), date(2026, 5, 10)
            )
    assert info.value.field == "orders.order_id"
    assert hashed.call_count == 2
