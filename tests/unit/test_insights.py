"""The customer dashboard (otocore.insights): worked examples, views, loaders, CLI, errors.

Also the order's discount (``Order.discount``) through the CSV import and the SQL store,
which the dashboard's "descontos" column adds up.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from _support.cli import run
from otocore import frames
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.adapters.sql import open_database
from otocore.customers import Customer, Loyalty
from otocore.errors import NotFound, ValidationError
from otocore.importing import ImportRejected, import_file
from otocore.insights import (
    CUSTOMER_COLUMNS,
    STORE_COLUMNS,
    CustomerInsights,
    FrequencyClass,
    InsightsPolicy,
    LoyaltyShare,
    StoreFigures,
    compute_customer_insights,
    compute_customer_insights_frame,
    compute_store_insights,
    compute_store_insights_frame,
    customer_insights,
    load_customer,
    load_customer_insights,
    load_store_insights,
)
from otocore.orders import Channel, Order, OrderStatus
from otocore.sellers import Store

SP = ZoneInfo("America/Sao_Paulo")
AS_OF = date(2026, 11, 30)
NOV = {"first_day": date(2026, 11, 1), "last_day": date(2026, 11, 15)}


def sale(  # noqa: PLR0917 - reads like the order it builds
    order_id: str,
    customer: str,
    day: int,
    total: str,
    store: str = "L01",
    channel: Channel = Channel.STORE,
    discount: str = "0.00",
    status: OrderStatus = OrderStatus.COMPLETED,
) -> Order:
    return Order(
        order_id=order_id,
        customer_id=customer,
        store_id=store,
        seller_code=None,
        placed_at=datetime(2026, 11, day, 15, tzinfo=SP),
        total=Decimal(total),
        channel=channel,
        discount=Decimal(discount),
        status=status,
    )


def person(customer_id: str, program: str | None = None, category: str | None = None) -> Customer:
    return Customer(
        customer_id=customer_id,
        name="Ana Souza",
        registered_at=datetime(2025, 1, 1, tzinfo=UTC),
        loyalty=None if program is None else Loyalty(program=program, category=category),
    )


ORDERS = [
    sale("P1", "ANA", 2, "100.00", discount="10.00"),
    sale("P2", "ANA", 9, "50.00", channel=Channel.ONLINE, discount="5.00"),
    sale("P3", "ANA", 16, "60.00"),
    sale("P4", "ANA", 20, "999.00", status=OrderStatus.CANCELLED, discount="99.00"),
    sale("P5", "BIA", 3, "80.00", store="L02"),
    sale("P6", "0", 3, "40.00"),
]
CUSTOMERS = [person("ANA", "Clube", "Ouro"), person("BIA")]


# the figures, worked out ------------------------------------------------------------------


def test_altegio_s_list_for_one_customer() -> None:
    """ "valores que gastaram, descontos, número de visitas, data da primeira e última visita"."""
    ana = customer_insights("ANA", ORDERS, as_of=AS_OF)
    assert (ana.total_spent, ana.discounts, ana.completed_orders) == (
        Decimal("210.00"),
        Decimal("15.00"),  # the cancelled order's 99.00 is no discount given
        3,
    )
    assert ana.average_ticket == Decimal("70.00")  # 210.00 / 3 completed orders
    assert (ana.visits, ana.first_visit, ana.last_visit) == (
        2,
        date(2026, 11, 2),
        date(2026, 11, 16),
    )
    assert (ana.purchase_days, ana.span_days, ana.mean_interval_days) == (3, 14, Decimal("7.0"))
    assert ana.frequency is FrequencyClass.WEEKLY


def test_a_customer_without_orders_has_nothing_and_no_class() -> None:
    assert customer_insights("ZE", ORDERS, as_of=AS_OF) == CustomerInsights.nothing("ZE")
    assert CustomerInsights.nothing("ZE").average_ticket is None


def test_the_anonymous_id_gets_no_row() -> None:
    policy = InsightsPolicy(anonymous_customer_ids={"0"})
    ids = [
        c.customer_id
        for c in compute_customer_insights(ORDERS, as_of=AS_OF, policy=policy).customers
    ]
    assert ids == ["ANA", "BIA"]
    assert "0" in [c.customer_id for c in compute_customer_insights(ORDERS, as_of=AS_OF).customers]


def test_reshop_s_store_figures() -> None:
    d = compute_store_insights(
        orders=ORDERS,
        customers=CUSTOMERS,
        policy=InsightsPolicy(anonymous_customer_ids={"0"}),
        **NOV,
    )
    t = d.totals
    assert (t.sales, t.revenue, t.unidentified_sales, t.unidentified_revenue) == (
        4,
        Decimal("270.00"),
        1,
        Decimal("40.00"),
    )
    assert (t.customers, t.average_sale_per_customer) == (2, Decimal("115.00"))
    # Ana's first purchase in the period is 2 Nov; she came back on 9 Nov (and 16 Nov)
    assert (t.returning_customers, t.return_rate) == (1, Decimal("0.5000"))
    assert [(s.program, s.category, s.customers) for s in t.loyalty] == [
        ("Clube", "Ouro", 1),
        (None, None, 1),
    ]
    l01 = d.store("L01")
    assert (l01.sales, l01.identified_sales, l01.customers, l01.returning_customers) == (3, 2, 1, 1)
    assert l01.unidentified_share == Decimal("0.3333")
    assert d.store("L02").return_rate == Decimal("0.0000")


def test_an_unregistered_customer_is_a_sale_without_a_customer() -> None:
    d = compute_store_insights(orders=ORDERS, customers=[person("ANA")], **NOV)
    assert d.totals.unidentified_sales == 2  # "0" and BIA are not in the registry
    assert d.totals.customers == 1


# the values refuse what cannot be -----------------------------------------------------------


def test_policy_thresholds_must_grow() -> None:
    with pytest.raises(ValidationError, match=r"fortnightly_days must be > weekly_days 7, got 7"):
        InsightsPolicy(fortnightly_days=7)
    with pytest.raises(ValidationError, match="anonymous_customer_ids must be a set"):
        InsightsPolicy(anonymous_customer_ids="0")


def test_figures_refuse_a_numerator_above_its_denominator() -> None:
    with pytest.raises(ValidationError, match="returning_customers must be <= customers 0"):
        attrs.evolve(StoreFigures.zero(), returning_customers=1)
    with pytest.raises(ValidationError, match="customers must be <= denominator 1"):
        LoyaltyShare(program="Clube", category=None, customers=2, denominator=1)
    with pytest.raises(ValidationError, match="category must be None without a program"):
        LoyaltyShare(program=None, category="Ouro", customers=1, denominator=1)


def test_bad_arguments_name_the_field() -> None:
    with pytest.raises(ValidationError, match="last_day must be on or after first_day"):
        compute_store_insights(first_day=date(2026, 11, 2), last_day=date(2026, 11, 1))
    with pytest.raises(ValidationError, match="return_window_days must be <= 3650"):
        compute_store_insights(**NOV, return_window_days=4000)
    with pytest.raises(ValidationError, match=r"orders\[0\] must be an Order"):
        compute_customer_insights(["P1"], as_of=AS_OF)  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="policy must be an InsightsPolicy"):
        compute_customer_insights([], as_of=AS_OF, policy=None)  # type: ignore[arg-type]


# rows, frames, HTML -------------------------------------------------------------------------


def test_rows_and_frames_hold_the_same_numbers() -> None:
    d = compute_store_insights(orders=ORDERS, customers=CUSTOMERS, **NOV)
    rows = d.to_rows("stores")
    assert [r["store_id"] for r in rows] == ["L01", "L02"]
    assert tuple(rows[0]) == STORE_COLUMNS["stores"]
    polars = d.to_frame("stores")
    assert polars["revenue"].to_list() == [Decimal("190.00"), Decimal("80.00")]
    arrow = d.to_frame("loyalty", backend="pyarrow")
    assert isinstance(arrow, pa.Table)
    assert arrow.column("share").to_pylist()[0] == Decimal("0.5000")
    pandas = d.to_frame("totals", backend="pandas")
    assert isinstance(pandas, pd.DataFrame)
    assert pandas["return_rate"].iloc[0] == Decimal("0.5000")
    c = compute_customer_insights(ORDERS, as_of=AS_OF)
    assert tuple(c.to_rows()[0]) == CUSTOMER_COLUMNS
    assert c.to_frame().filter(pl.col("customer_id") == "ANA")["frequency"].item() == "weekly"
    with pytest.raises(ValidationError, match="backend must be one of polars, pandas, pyarrow"):
        c.to_frame(backend="excel")
    with pytest.raises(ValidationError, match="view must be one of totals, stores, loyalty"):
        d.to_rows("sellers")


def test_the_notebook_view_shows_the_figures_and_keeps_exact_values() -> None:
    page = compute_store_insights(orders=ORDERS, customers=CUSTOMERS, **NOV)._repr_html_()
    assert "Percentual de retorno" in page
    assert "Vendas sem cliente" in page
    assert 'data-column="return_rate" data-value="0.5000"' in page
    people = compute_customer_insights(ORDERS, as_of=AS_OF)._repr_html_()
    assert "semanal" in people
    assert 'data-column="discounts" data-value="15.00"' in people


# the frame twins refuse a bad frame -----------------------------------------------------------


def _frame(orders: list[Order]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "order_id": [o.order_id for o in orders],
            "customer_id": [o.customer_id for o in orders],
            "store_id": [o.store_id for o in orders],
            "seller_code": [o.seller_code for o in orders],
            "placed_at": [o.placed_at for o in orders],
            "total_cents": [int(o.total * 100) for o in orders],
            "status": [o.status.value for o in orders],
            "channel": [o.channel.value for o in orders],
            "discount_cents": [int(o.discount * 100) for o in orders],
        },
        schema_overrides={"seller_code": pl.String},
    )


def _registry(customers: list[Customer]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            (c.customer_id, c.loyalty and c.loyalty.program, c.loyalty and c.loyalty.category)
            for c in customers
        ],
        schema=dict.fromkeys(frames.REGISTRY_COLUMNS, pl.String),
        orient="row",
    )


def test_the_frame_twins_agree_here_too() -> None:
    assert compute_customer_insights_frame(_frame(ORDERS), as_of=AS_OF) == (
        compute_customer_insights(ORDERS, as_of=AS_OF)
    )
    assert compute_store_insights_frame(
        orders=_frame(ORDERS), customers=_registry(CUSTOMERS), store_id="L01", **NOV
    ) == compute_store_insights(orders=ORDERS, customers=CUSTOMERS, store_id="L01", **NOV)


def test_a_frame_without_discounts_has_none() -> None:
    got = compute_customer_insights_frame(_frame(ORDERS).drop("discount_cents"), as_of=AS_OF)
    assert got.customer("ANA").discounts == Decimal("0.00")


def test_bad_frames_are_named() -> None:
    orders = _frame(ORDERS)
    with pytest.raises(ValidationError, match=r"orders.discount_cents must be >= 0"):
        frames.customer_insights(orders.with_columns(pl.lit(-1).alias("discount_cents")), AS_OF)
    with pytest.raises(ValidationError, match=r"orders.discount_cents must hold integers"):
        frames.customer_insights(orders.with_columns(pl.lit("1").alias("discount_cents")), AS_OF)
    with pytest.raises(ValidationError, match=r"orders.customer_id must hold strings"):
        frames.customer_insights(orders.with_columns(pl.lit(1).alias("customer_id")), AS_OF)
    with pytest.raises(ValidationError, match=r"customers must be a data frame of customers"):
        frames.store_insights(orders, _registry(CUSTOMERS).to_pandas(), **NOV)
    with pytest.raises(ValidationError, match=r"customers.loyalty_category must be a column"):
        frames.store_insights(orders, _registry(CUSTOMERS).drop("loyalty_category"), **NOV)
    twice = pl.concat([_registry(CUSTOMERS), _registry(CUSTOMERS)])
    with pytest.raises(ValidationError, match=r"customers.customer_id must be unique"):
        frames.store_insights(orders, twice, **NOV)
    with pytest.raises(ValidationError, match="anonymous_customer_ids must be a collection"):
        frames.customer_insights(orders, AS_OF, anonymous_customer_ids="0")


# the discount, stored and imported --------------------------------------------------------------


def _load_brand(uow: Any) -> None:
    with uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        uow.stores.add(Store(store_id="L02", name="Loja Sul"))
        uow.customers.add_many(CUSTOMERS)
        uow.orders.add_many(ORDERS)
        uow.commit()


def test_the_loaders_read_the_store_memory_and_sqlite(tmp_path: Path) -> None:
    memory = InMemoryUnitOfWork()
    _load_brand(memory)
    with open_database(str(tmp_path / "x.sqlite"), upgrade=True) as db:
        _load_brand(db.unit_of_work())
        with db.unit_of_work() as uow:
            assert uow.orders.get("P1").discount == Decimal("10.00")  # stored as discount_cents
        for uow_of in (lambda: memory, db.unit_of_work):
            assert load_customer(uow_of(), "ANA", as_of=AS_OF) == customer_insights(
                "ANA", ORDERS, as_of=AS_OF
            )
            assert load_customer_insights(uow_of(), as_of=AS_OF) == compute_customer_insights(
                ORDERS, as_of=AS_OF
            )
            got = load_store_insights(uow_of(), NOV["first_day"], NOV["last_day"], store_id="L01")
            assert got == compute_store_insights(
                orders=ORDERS, customers=CUSTOMERS, store_id="L01", **NOV
            )
        with pytest.raises(NotFound, match="Customer 'ZE' not found"):
            load_customer(db.unit_of_work(), "ZE", as_of=AS_OF)


def test_the_order_import_reads_an_optional_discount_column(tmp_path: Path) -> None:
    header = "order_id,customer_id,store_id,placed_at,total,discount\n"
    good = tmp_path / "orders.csv"
    good.write_text(
        header
        + "P1,C1,L01,2026-11-02T15:00:00-03:00,100.00,12.50\n"
        + "P2,C1,L01,2026-11-02T15:00:00-03:00,100.00,\n",
        encoding="utf-8",
    )
    uow = InMemoryUnitOfWork()
    import_file(uow, good, check_references=False)
    with uow:
        assert uow.orders.get("P1").discount == Decimal("12.50")
        assert uow.orders.get("P2").discount == Decimal("0.00")
    bad = tmp_path / "orders-bad.csv"
    bad.write_text(header + "P3,C1,L01,2026-11-02T15:00:00-03:00,100.00,-1\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), bad, check_references=False)
    assert [(e.field, e.value) for e in caught.value.errors] == [("discount", "-1")]


def test_order_discount_is_money() -> None:
    with pytest.raises(
        ValidationError, match=r"Order.discount must be >= 0 with at most 2 decimal"
    ):
        attrs.evolve(ORDERS[0], discount=Decimal("0.001"))


@pytest.mark.source_tree
def test_the_docs_example_runs() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "insights.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.DOTALL)
    assert len(blocks) == 1
    exec(compile(blocks[0], "docs/insights.md", "exec"), {})  # noqa: S102 - our own docs


# the command line -----------------------------------------------------------------------------


@pytest.fixture
def brand_db(tmp_path: Path) -> str:
    path = str(tmp_path / "brand.sqlite")
    with open_database(path, upgrade=True) as db:
        _load_brand(db.unit_of_work())
    return path


def test_cli_customer(capsys: pytest.CaptureFixture[str], brand_db: str) -> None:
    code, out, _ = run(
        capsys, "insights", "customer", "ANA", "--db", brand_db, "--as-of", "2026-11-30"
    )
    assert code == 0
    assert "R$ 210,00" in out
    assert "R$ 15,00" in out
    assert "semanal (weekly)" in out
    code, out, _ = run(
        capsys, "insights", "customer", "ANA", "--db", brand_db, "--as-of", "2026-11-30", "--json"
    )
    data = json.loads(out)
    assert (data["total_spent"], data["average_ticket"], data["visits"]) == ("210.00", "70.00", 2)
    assert data["first_visit"] == "2026-11-02"


def test_cli_store(capsys: pytest.CaptureFixture[str], brand_db: str) -> None:
    argv = ("insights", "store", "--db", brand_db, "--from", "2026-11-01", "--to", "2026-11-15")
    code, out, _ = run(capsys, *argv, "--anonymous-id", "0", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["totals"][0]["unidentified_sales"] == 1
    assert data["totals"][0]["return_rate"] == "0.5000"
    assert [r["store_id"] for r in data["stores"]] == ["L01", "L02"]
    code, out, _ = run(capsys, *argv, "--store", "L02", "--return-window", "7")
    assert code == 0
    assert "Participação (categoria)" in out
    assert "store L02" in out


def test_cli_errors_are_one_line(capsys: pytest.CaptureFixture[str], brand_db: str) -> None:
    code, _, err = run(capsys, "insights", "customer", "ZE", "--db", brand_db)
    assert (code, err.strip()) == (1, "error: Customer 'ZE' not found")
    code, _, err = run(capsys, "insights", "store", "--db", brand_db, "--from", "2026-11-01",
                       "--to", "2026-11-15", "--store", "L9")  # fmt: skip
    assert (code, err.strip()) == (1, "error: Store 'L9' not found")
    code, _, err = run(capsys, "insights", "store", "--db", brand_db, "--from", "2026-11-02",
                       "--to", "2026-11-01")  # fmt: skip
    assert code == 2
    assert "--to (2026-11-01) must be on or after --from (2026-11-02)" in err
    code, _, err = run(capsys, "insights", "store", "--db", brand_db, "--from", "2026-11-01",
                       "--to", "2026-11-15", "--return-window", "0")  # fmt: skip
    assert code == 2
    assert "--return-window must be 1 to 3650 days, got 0" in err
