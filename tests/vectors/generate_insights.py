"""Write the golden vectors of the customer dashboard (``tests/vectors/insights``).

Run ``python tests/vectors/generate_insights.py`` from the repository root (with otocore
importable) to rewrite ``tests/vectors/insights/*.json``.

Like ``generate_results.py``, this script only **builds inputs** (otocore values written
with ``otocore.serialization.converter``). It never calls ``otocore.insights``: every
``expected`` below is a literal typed by hand from docs/insights.md, with the reasoning in
the ``description``. The replay test (``tests/unit/test_insights_vectors.py``) checks that
otocore agrees, on values and on a Polars frame.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from otocore.customers import Customer, Loyalty
from otocore.orders import Channel, Order, OrderStatus
from otocore.serialization import converter

HERE = Path(__file__).resolve().parent / "insights"
FORMAT = "otocore-insights-vector/1"
ALTEGIO = (
    "Altegio's customer database help page: A lista exibirá as principais informações sobre"
    " seus clientes: seus nomes, detalhes de contato, valores que gastaram, descontos, número"
    " de visitas, data da primeira e última visita."
)
RESHOP = (
    "Reshop's customer module help page: Vendas sem clientes por loja; Participação"
    " (Categoria); Frequência de Clientes (semanal, quinzenal ou mensal); Média de clientes;"
    " Percentual de retorno cliente por loja."
)
SP = ZoneInfo("America/Sao_Paulo")
POLICY = {
    "weekly_days": 7,
    "fortnightly_days": 15,
    "monthly_days": 31,
    "window_days": 365,
    "anonymous_customer_ids": ["0"],
}


def at(month: int, day: int, hour: int = 15, minute: int = 0) -> datetime:
    """An instant of 2026 in São Paulo (UTC-3 all year)."""
    return datetime(2026, month, day, hour, minute, tzinfo=SP)


def sale(  # noqa: PLR0917 - reads like the row it writes
    order_id: str,
    customer: str,
    placed: datetime,
    total: str,
    store: str = "L01",
    channel: Channel = Channel.STORE,
    discount: str = "0.00",
    cancelled: bool = False,
) -> Order:
    return Order(
        order_id=order_id,
        customer_id=customer,
        store_id=store,
        placed_at=placed,
        total=Decimal(total),
        seller_code=None,
        channel=channel,
        status=OrderStatus.CANCELLED if cancelled else OrderStatus.COMPLETED,
        discount=Decimal(discount),
    )


def person(customer_id: str, program: str | None = None, category: str | None = None) -> Customer:
    return Customer(
        customer_id=customer_id,
        name="Ana Souza",
        registered_at=datetime(2025, 1, 1, tzinfo=UTC),
        loyalty=None if program is None else Loyalty(program=program, category=category),
    )


def customer_row(  # noqa: PLR0917 - the figures in the order of the page
    customer_id: str,
    total_spent: str,
    discounts: str,
    completed_orders: int,
    average_ticket: str | None,
    visits: int,
    first_visit: str | None,
    last_visit: str | None,
    purchase_days: int,
    span_days: int,
    frequency: str | None,
) -> dict[str, Any]:
    return {
        "customer_id": customer_id,
        "total_spent": total_spent,
        "discounts": discounts,
        "completed_orders": completed_orders,
        "average_ticket": average_ticket,
        "visits": visits,
        "first_visit": first_visit,
        "last_visit": last_visit,
        "purchase_days": purchase_days,
        "span_days": span_days,
        "frequency": frequency,
    }


def figures(  # noqa: PLR0917 - the figures in the order of the page
    sales: int,
    revenue: str,
    identified_sales: int,
    identified_revenue: str,
    customers: int,
    returning: int,
    average: str | None,
    rate: str | None,
    loyalty: list[tuple[str | None, str | None, int]],
) -> dict[str, Any]:
    return {
        "sales": sales,
        "revenue": revenue,
        "identified_sales": identified_sales,
        "identified_revenue": identified_revenue,
        "customers": customers,
        "returning_customers": returning,
        "average_sale_per_customer": average,
        "return_rate": rate,
        "loyalty": [
            {"program": p, "category": c, "customers": n, "denominator": customers}
            for p, c, n in loyalty
        ],
    }


def write(name: str, data: dict[str, Any]) -> None:
    HERE.mkdir(exist_ok=True)
    text = json.dumps({"format": FORMAT, **data}, indent=2, ensure_ascii=False) + "\n"
    (HERE / f"{name}.json").write_text(text, encoding="utf-8")


def customers_vector(
    name: str, description: str, as_of: str, orders: list[Order], rows: list[dict[str, Any]]
) -> None:
    write(
        name,
        {
            "kind": "customers",
            "description": description,
            "seed": ALTEGIO,
            "time_zone": "America/Sao_Paulo",
            "policy": POLICY,
            "as_of": as_of,
            "orders": converter.unstructure(orders),
            "expected": {"customers": rows},
        },
    )


def stores_vector(  # noqa: PLR0917 - one vector, every part named
    name: str,
    description: str,
    period: tuple[str, str],
    window: int,
    orders: list[Order],
    customers: list[Customer],
    totals: dict[str, Any],
    stores: dict[str, dict[str, Any]],
) -> None:
    write(
        name,
        {
            "kind": "stores",
            "description": description,
            "seed": RESHOP,
            "time_zone": "America/Sao_Paulo",
            "policy": POLICY,
            "period": {"first_day": period[0], "last_day": period[1]},
            "return_window_days": window,
            "orders": converter.unstructure(orders),
            "customers": converter.unstructure(customers),
            "expected": {
                "totals": totals,
                "stores": [{"store_id": k, "figures": v} for k, v in stores.items()],
            },
        },
    )


def main() -> None:
    customers_vector(
        "visits_are_store_days_in_local_time",
        "Ana buys twice at the store on 2 Nov (15:00 and 23:30 São Paulo time, the second"
        " already 3 Nov in UTC) and once online on 5 Nov: 3 completed orders, but 1 visit (one"
        " local store day), first and last visit 2026-11-02. Her purchase days are 2 and 5 Nov:"
        " a mean interval of 3 days, WEEKLY.",
        "2026-11-30",
        [
            sale("P1", "ANA", at(11, 2), "100.00"),
            sale("P2", "ANA", at(11, 2, 23, 30), "20.00"),
            sale("P3", "ANA", at(11, 5), "30.00", channel=Channel.ONLINE),
        ],
        [
            customer_row(
                "ANA", "150.00", "0.00", 3, "50.00", 1, "2026-11-02", "2026-11-02", 2, 3, "weekly"
            )
        ],
    )
    customers_vector(
        "cancelled_orders_count_for_nothing",
        "Bia's completed orders total 100.00 with 10.00 of discounts; her cancelled order"
        " (500.00, a 50.00 discount) counts in no figure, not in the visits either. The average"
        " ticket is 100.00 / 1 order. One purchase day: no interval, no frequency class.",
        "2026-11-30",
        [
            sale("P1", "BIA", at(11, 3), "100.00", discount="10.00"),
            sale("P2", "BIA", at(11, 10), "500.00", discount="50.00", cancelled=True),
        ],
        [
            customer_row(
                "BIA", "100.00", "10.00", 1, "100.00", 1, "2026-11-03", "2026-11-03", 1, 0, None
            )
        ],
    )
    customers_vector(
        "frequency_thresholds_are_inclusive",
        "Purchase days 1, 8, 15 Nov: mean interval 14/2 = 7 days, WEEKLY (at most 7). Days 1"
        " and 16 Nov: 15 days, FORTNIGHTLY (at most 15). Days 1 Oct and 1 Nov: 31 days,"
        " MONTHLY (at most 31). Days 1 Oct and 2 Nov: 32 days, LESS_OFTEN. The average ticket"
        " rounds half to even: 100.00 / 3 orders = 33.33.",
        "2026-11-30",
        [
            sale("W1", "CAU", at(11, 1), "33.33"),
            sale("W2", "CAU", at(11, 8), "33.33"),
            sale("W3", "CAU", at(11, 15), "33.34"),
            sale("F1", "DIA", at(11, 1), "10.00"),
            sale("F2", "DIA", at(11, 16), "10.00"),
            sale("M1", "EVA", at(10, 1), "10.00"),
            sale("M2", "EVA", at(11, 1), "10.00"),
            sale("L1", "FABIO", at(10, 1), "10.00"),
            sale("L2", "FABIO", at(11, 2), "10.00"),
        ],
        [
            customer_row(
                "CAU", "100.00", "0.00", 3, "33.33", 3, "2026-11-01", "2026-11-15", 3, 14, "weekly"
            ),
            customer_row(
                "DIA",
                "20.00",
                "0.00",
                2,
                "10.00",
                2,
                "2026-11-01",
                "2026-11-16",
                2,
                15,
                "fortnightly",
            ),
            customer_row(
                "EVA", "20.00", "0.00", 2, "10.00", 2, "2026-10-01", "2026-11-01", 2, 31, "monthly"
            ),
            customer_row(
                "FABIO",
                "20.00",
                "0.00",
                2,
                "10.00",
                2,
                "2026-10-01",
                "2026-11-02",
                2,
                32,
                "less_often",
            ),
        ],
    )
    customers_vector(
        "the_frequency_window_and_as_of",
        "As of 2026-11-30 with a 365-day window: Gil's purchase of 2025-11-30 is outside the"
        " window (as_of - 365 days is excluded) but still in the totals and visits; his"
        " purchase of 2026-12-01 is after as_of and counts for nothing. In the window: one"
        " purchase day (2026-11-20), so no class. The anonymous id 0 gets no row.",
        "2026-11-30",
        [
            sale("G1", "GIL", at(11, 20), "40.00"),
            sale("G2", "GIL", datetime(2025, 11, 30, 15, tzinfo=SP), "60.00"),
            sale("G3", "GIL", at(12, 1), "99.00"),
            sale("Z1", "0", at(11, 20), "10.00"),
        ],
        [
            customer_row(
                "GIL", "100.00", "0.00", 2, "50.00", 2, "2025-11-30", "2026-11-20", 1, 0, None
            )
        ],
    )
    stores_vector(
        "sales_without_a_customer",
        "In 1-15 Nov at L01: Ana (registered) buys 100.00; the tills' anonymous id 0 buys"
        " 40.00; Hugo, whom the registry does not know, buys 60.00. Three sales (200.00), one"
        " identified (100.00): two sales without a customer (100.00). One customer, so the"
        " average sale per customer is 100.00; Ana did not come back: return rate 0.",
        ("2026-11-01", "2026-11-15"),
        30,
        [
            sale("P1", "ANA", at(11, 2), "100.00"),
            sale("P2", "0", at(11, 3), "40.00"),
            sale("P3", "HUGO", at(11, 4), "60.00"),
        ],
        [person("ANA")],
        figures(3, "200.00", 1, "100.00", 1, 0, "100.00", "0.0000", [(None, None, 1)]),
        {"L01": figures(3, "200.00", 1, "100.00", 1, 0, "100.00", "0.0000", [(None, None, 1)])},
    )
    stores_vector(
        "the_return_window_counts_from_the_first_purchase_day",
        "Window 7 days, period 1-15 Nov at L01. Ana first buys on 2 Nov and again on 9 Nov"
        " (2 + 7: returned). Bia first buys on 3 Nov, again the same day (not a return) and on"
        " 11 Nov (3 + 8: too late). Caio first buys on 14 Nov and again on 20 Nov, after the"
        " period but within the window: returned. Return rate 2/3 = 0.6667; the revenue of the"
        " period excludes the 20 Nov sale; average sale 350.00 / 3 = 116.67.",
        ("2026-11-01", "2026-11-15"),
        7,
        [
            sale("A1", "ANA", at(11, 2), "100.00"),
            sale("A2", "ANA", at(11, 9), "50.00"),
            sale("B1", "BIA", at(11, 3, 10), "20.00"),
            sale("B2", "BIA", at(11, 3, 18), "30.00"),
            sale("B3", "BIA", at(11, 11), "50.00"),
            sale("C1", "CAIO", at(11, 14), "100.00"),
            sale("C2", "CAIO", at(11, 20), "80.00"),
        ],
        [person("ANA"), person("BIA"), person("CAIO")],
        figures(6, "350.00", 6, "350.00", 3, 2, "116.67", "0.6667", [(None, None, 3)]),
        {"L01": figures(6, "350.00", 6, "350.00", 3, 2, "116.67", "0.6667", [(None, None, 3)])},
    )
    stores_vector(
        "a_return_at_another_store_counts_for_the_brand_only",
        "Ana buys at L01 on 2 Nov and at L02 on 5 Nov. At L01 she did not return (no later"
        " L01 sale); at L02 her first purchase is 5 Nov and nothing follows. For the brand her"
        " first purchase is 2 Nov and 5 Nov is a return: the brand's rate is 1/1 while each"
        " store's is 0/1. Sales and revenue add up; customers do not (1, not 2).",
        ("2026-11-01", "2026-11-15"),
        30,
        [
            sale("P1", "ANA", at(11, 2), "100.00"),
            sale("P2", "ANA", at(11, 5), "50.00", store="L02"),
        ],
        [person("ANA", "Clube", "Ouro")],
        figures(2, "150.00", 2, "150.00", 1, 1, "150.00", "1.0000", [("Clube", "Ouro", 1)]),
        {
            "L01": figures(
                1, "100.00", 1, "100.00", 1, 0, "100.00", "0.0000", [("Clube", "Ouro", 1)]
            ),
            "L02": figures(1, "50.00", 1, "50.00", 1, 0, "50.00", "0.0000", [("Clube", "Ouro", 1)]),
        },
    )
    stores_vector(
        "loyalty_participation_by_category",
        "Five customers buy at L01 in the period: two Clube/Ouro, one Clube/Prata, one Clube"
        " member without a category, one in no program; a sixth (VIP/Ouro) buys only before"
        " the period and does not count. Shares of 5: 0.4000, 0.2000, 0.2000, 0.2000; programs"
        " by name, a missing category after the categories, no program last.",
        ("2026-11-01", "2026-11-30"),
        30,
        [
            sale("P1", "ANA", at(11, 2), "10.00"),
            sale("P2", "BIA", at(11, 3), "10.00"),
            sale("P3", "CAIO", at(11, 4), "10.00"),
            sale("P4", "DIA", at(11, 5), "10.00"),
            sale("P5", "EVA", at(11, 6), "10.00"),
            sale("P6", "FABIO", at(10, 6), "10.00"),
        ],
        [
            person("ANA", "Clube", "Ouro"),
            person("BIA", "Clube", "Ouro"),
            person("CAIO", "Clube", "Prata"),
            person("DIA", "Clube"),
            person("EVA"),
            person("FABIO", "VIP", "Ouro"),
        ],
        figures(
            5,
            "50.00",
            5,
            "50.00",
            5,
            0,
            "10.00",
            "0.0000",
            [("Clube", "Ouro", 2), ("Clube", "Prata", 1), ("Clube", None, 1), (None, None, 1)],
        ),
        {
            "L01": figures(
                5,
                "50.00",
                5,
                "50.00",
                5,
                0,
                "10.00",
                "0.0000",
                [("Clube", "Ouro", 2), ("Clube", "Prata", 1), ("Clube", None, 1), (None, None, 1)],
            )
        },
    )


if __name__ == "__main__":
    main()
