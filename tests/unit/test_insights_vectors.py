"""Replay the golden vectors of the customer dashboard in ``tests/vectors/insights``.

Each file is one JSON object another implementation can replay without otocore; the rules are
stated in docs/insights.md. Format ``"otocore-insights-vector/1"``:

* ``format``, ``kind`` (``"customers"`` or ``"stores"``), ``description`` (the rule the vector
  pins and why the expected figures are right), ``seed`` (the help page's words it serves);
* ``time_zone`` and ``policy`` (``weekly_days``, ``fortnightly_days``, ``monthly_days``,
  ``window_days``, ``anonymous_customer_ids``);
* ``customers`` kind: ``as_of`` (ISO local day), ``orders`` (otocore's JSON of each order) and
  ``expected.customers``: one object per customer, by id, with ``total_spent``, ``discounts``,
  ``average_ticket`` (decimal strings or null), ``completed_orders``, ``visits``,
  ``first_visit``, ``last_visit`` (ISO days or null), ``purchase_days``, ``span_days`` and
  ``frequency`` (``"weekly"``, ``"fortnightly"``, ``"monthly"``, ``"less_often"`` or null);
* ``stores`` kind: ``period`` (``first_day``, ``last_day``), ``return_window_days``,
  ``orders``, ``customers`` (otocore's JSON of each customer) and ``expected``: ``totals`` (the
  brand's figures: ``sales``, ``revenue``, ``identified_sales``, ``identified_revenue``,
  ``customers``, ``returning_customers``, ``average_sale_per_customer``, ``return_rate``,
  ``loyalty``: ``{"program", "category", "customers", "denominator"}`` rows) and ``stores``
  (``{"store_id", "figures"}`` by store id).

Every expected value was derived by hand; ``tests/vectors/generate_insights.py`` builds the
inputs and never calls ``otocore.insights``.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from otocore.customers import Customer
from otocore.insights import (
    CustomerDashboard,
    InsightsPolicy,
    StoreDashboard,
    StoreFigures,
    compute_customer_insights,
    compute_customer_insights_frame,
    compute_store_insights,
    compute_store_insights_frame,
)
from otocore.orders import Order
from otocore.serialization import converter

FORMAT = "otocore-insights-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "insights"
VECTORS = sorted(FOLDER.glob("*.json"))
_UTC = pl.Datetime("us", "UTC")


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _policy(data: dict[str, Any]) -> InsightsPolicy:
    p = data["policy"]
    return InsightsPolicy(
        weekly_days=p["weekly_days"],
        fortnightly_days=p["fortnightly_days"],
        monthly_days=p["monthly_days"],
        window_days=p["window_days"],
        anonymous_customer_ids=frozenset(p["anonymous_customer_ids"]),
        time_zone=data["time_zone"],
    )


def _text(value: Any) -> Any:
    return None if value is None else str(value)


def _day(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _customers(d: CustomerDashboard) -> list[dict[str, Any]]:
    return [
        {
            "customer_id": c.customer_id,
            "total_spent": str(c.total_spent),
            "discounts": str(c.discounts),
            "completed_orders": c.completed_orders,
            "average_ticket": _text(c.average_ticket),
            "visits": c.visits,
            "first_visit": _day(c.first_visit),
            "last_visit": _day(c.last_visit),
            "purchase_days": c.purchase_days,
            "span_days": c.span_days,
            "frequency": None if c.frequency is None else c.frequency.value,
        }
        for c in d.customers
    ]


def _figures(f: StoreFigures) -> dict[str, Any]:
    return {
        "sales": f.sales,
        "revenue": str(f.revenue),
        "identified_sales": f.identified_sales,
        "identified_revenue": str(f.identified_revenue),
        "customers": f.customers,
        "returning_customers": f.returning_customers,
        "average_sale_per_customer": _text(f.average_sale_per_customer),
        "return_rate": _text(f.return_rate),
        "loyalty": [
            {
                "program": s.program,
                "category": s.category,
                "customers": s.customers,
                "denominator": s.denominator,
            }
            for s in f.loyalty
        ],
    }


def _stores(d: StoreDashboard) -> dict[str, Any]:
    return {
        "totals": _figures(d.totals),
        "stores": [{"store_id": s.store_id, "figures": _figures(s.figures)} for s in d.stores],
    }


def _order_frame(orders: list[Order]) -> pl.DataFrame:
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
        schema_overrides={"seller_code": pl.String, "placed_at": _UTC},
    )


def _customer_frame(customers: list[Customer]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "customer_id": [c.customer_id for c in customers],
            "loyalty_program": [
                None if c.loyalty is None else c.loyalty.program for c in customers
            ],
            "loyalty_category": [
                None if c.loyalty is None else c.loyalty.category for c in customers
            ],
        },
        schema=dict.fromkeys(("customer_id", "loyalty_program", "loyalty_category"), pl.String),
    )


def test_there_are_vectors_of_both_kinds_with_unique_descriptions() -> None:
    kinds = [_load(p)["kind"] for p in VECTORS]
    assert kinds.count("customers") >= 4
    assert kinds.count("stores") >= 4
    descriptions = [_load(p)["description"] for p in VECTORS]
    assert len(set(descriptions)) == len(descriptions)


@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_otocore_agrees_on_values_and_on_frames(path: Path) -> None:
    data = _load(path)
    assert data["format"] == FORMAT
    policy = _policy(data)
    orders = converter.structure(data["orders"], list[Order])
    if data["kind"] == "customers":
        as_of = date.fromisoformat(data["as_of"])
        reference = compute_customer_insights(orders, as_of=as_of, policy=policy)
        columnar = compute_customer_insights_frame(_order_frame(orders), as_of=as_of, policy=policy)
        assert _customers(reference) == data["expected"]["customers"]
    else:
        customers = converter.structure(data["customers"], list[Customer])
        period = {
            "first_day": date.fromisoformat(data["period"]["first_day"]),
            "last_day": date.fromisoformat(data["period"]["last_day"]),
            "return_window_days": data["return_window_days"],
            "policy": policy,
        }
        reference = compute_store_insights(orders=orders, customers=customers, **period)
        columnar = compute_store_insights_frame(
            orders=_order_frame(orders), customers=_customer_frame(customers), **period
        )
        assert _stores(reference) == data["expected"]
    assert columnar == reference


@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_the_file_is_well_formed(path: Path) -> None:
    data = _load(path)
    common = {"format", "kind", "description", "seed", "time_zone", "policy", "orders", "expected"}
    extra = (
        {"as_of"} if data["kind"] == "customers" else {"period", "return_window_days", "customers"}
    )
    assert set(data) == common | extra
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    assert path.read_text(encoding="utf-8") == text
