"""Worked examples of the results views, in the words of Oto's help page for managers.

The week is :data:`_support.results.WEEK` (November 2 to 8, 2026): "Em cada período é possível
visualizar: Atividades sugeridas; Conversas iniciadas; Conversas finalizadas; Vendas
atribuídas; Receita atribuída; Taxa de conversão; Receita gerando saldo".
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from _support.results import FIRST, LAST, WEEK, at, sale, talk
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.attribution import AttributionModel, AttributionPolicy
from otocore.errors import NotFound, ValidationError
from otocore.orders import OrderItem
from otocore.report import render_report
from otocore.results import (
    UNREGISTERED_STORE,
    Figures,
    Scope,
    compare_results,
    comparison_of,
    compute_results,
    load_comparison,
    load_results,
    report_figures,
)
from otocore.telesales import TelesalesPolicy, new_cart, put_item


def week(**changes: object) -> object:
    return compute_results(first_day=FIRST, last_day=LAST, **{**WEEK.inputs(), **changes})


def test_the_brands_figures_of_the_week() -> None:
    t = week().totals
    assert t == Figures(
        suggested=6,  # the suggestions of 2 and 3 November; the 9th is after the period
        started=4,  # A1, A2 (dismissed: "cliente não respondeu"), A3, A5; A0 and A4 before
        finished=3,  # A2 was dismissed
        attributed_sales=5,  # P1..P5; P6 had no contact within 7 days, P7 is after the period
        cancelled_sales=1,  # P4
        revenue_gross=Decimal("1050.00"),  # Receita atribuída: 300 + 120 + 80 + 500 + 50
        revenue_net=Decimal("550.00"),  # Receita gerando saldo: without the cancelled P4
        conversion_numerator=3,  # A1, A3 and A5 sold; A4 sold too but started before
        conversion_denominator=4,
    )
    assert t.conversion_rate == Decimal("0.7500")


def test_a_contact_that_earns_two_orders_counts_once_in_the_conversion() -> None:
    carla = week().seller("V03").figures
    assert (carla.attributed_sales, carla.conversion_numerator, carla.started) == (3, 1, 1)


def test_by_store_and_by_seller_add_up() -> None:
    r = week()
    assert [(s.store_id, s.figures.revenue_gross) for s in r.stores] == [
        ("L01", Decimal("420.00")),
        ("L02", Decimal("630.00")),
    ]
    assert [s.seller_code for s in r.sellers] == ["V01", "V02", "V03"]  # V04 inactive, idle
    assert sum((s.figures for s in r.sellers), Figures.zero()) == r.totals


def test_the_ranking_is_by_revenue_then_sales_then_code() -> None:
    assert [s.seller_code for s in week().ranking] == ["V03", "V01", "V02"]
    tie = [
        talk("B1", "V02", "X", at(11, 2, 9)),
        talk("B2", "V01", "Y", at(11, 2, 9)),
    ]
    r = compute_results(
        first_day=FIRST,
        last_day=LAST,
        contacts=tie,
        orders=[sale("Q1", "X", at(11, 3), "10.00"), sale("Q2", "Y", at(11, 3), "10.00")],
        sellers=WEEK.sellers,
    )
    assert [s.seller_code for s in r.ranking][:2] == ["V01", "V02"]


def test_the_sellers_rows_say_the_day_of_contact_the_day_of_purchase_and_the_total() -> None:
    r = week(quantities={"P5": 3})
    rows = [
        (s.order_id, s.contact_day, s.purchase_day, s.product_quantity, s.total, s.cancelled)
        for s in r.sales
        if s.seller_code == "V03"
    ]
    assert rows == [
        ("P3", date(2026, 10, 30), date(2026, 11, 2), None, Decimal("80.00"), False),
        ("P4", date(2026, 11, 5), date(2026, 11, 6), None, Decimal("500.00"), True),
        ("P5", date(2026, 11, 5), date(2026, 11, 7), 3, Decimal("50.00"), False),
    ]


def test_scopes_store_and_seller() -> None:
    store = week(scope=Scope(store_id="L02"))
    assert store.totals == week().stores[1].figures
    assert [s.seller_code for s in store.sellers] == ["V03"]
    seller = week(scope=Scope(seller_code="V01"))
    assert seller.totals == week().seller("V01").figures
    assert [s.order_id for s in seller.sales] == ["P1"]


def test_days_count_suggestions_contacts_and_sales_on_their_own_days() -> None:
    days = {d.day: d for d in week().days}
    assert len(days) == 7
    assert (days[date(2026, 11, 2)].suggested, days[date(2026, 11, 2)].attributed_sales) == (4, 1)
    assert days[date(2026, 11, 5)].started == 1  # A5 at 23:59 is the 5th, not the 6th
    assert days[date(2026, 11, 6)].revenue_gross == Decimal("500.00")
    assert days[date(2026, 11, 6)].revenue_net == Decimal("0.00")


def test_a_seller_code_no_seller_has_is_shown_under_its_own_store() -> None:
    r = compute_results(
        first_day=FIRST,
        last_day=LAST,
        contacts=[talk("Z1", "V99", "ZÉ", at(11, 2))],
        orders=[sale("Z2", "ZÉ", at(11, 3), "10.00")],
    )
    assert [(s.seller_code, s.seller_name, s.store_id) for s in r.sellers] == [
        ("V99", "V99", UNREGISTERED_STORE)
    ]


def test_what_if_a_30_day_window() -> None:
    c = week_comparison(AttributionPolicy(window_days=30))
    assert c.delta("attributed_sales") == 1
    assert c.delta("revenue_gross") == Decimal("999.00")  # P6, through A0 (15 days before)
    bruno = next(s for s in c.sellers if s.seller_code == "V02")
    assert (bruno.delta("attributed_sales"), bruno.delta("revenue_net")) == (1, Decimal("999.00"))
    assert c.delta("suggested") == c.delta("started") == 0


def test_what_if_the_first_contact_gets_the_sale() -> None:
    c = week_comparison(AttributionPolicy(model=AttributionModel.FIRST_CONTACT))
    moved = {s.seller_code: s.delta("revenue_gross") for s in c.sellers}
    assert moved == {"V01": Decimal("120.00"), "V02": Decimal("-120.00"), "V03": Decimal("0.00")}
    assert c.delta("revenue_gross") == 0
    assert c.delta("conversion_numerator") == -1  # A3 no longer sold anything


def week_comparison(other: AttributionPolicy) -> object:
    return compare_results(
        first_day=FIRST, last_day=LAST, base=AttributionPolicy(), other=other, **WEEK.inputs()
    )


def test_comparison_of_different_periods_is_refused() -> None:
    with pytest.raises(
        ValidationError, match=re.escape("other.last_day must be the base's last_day")
    ):
        comparison_of(week(), compute_results(first_day=FIRST, last_day=date(2026, 11, 9)))


def test_the_report_shows_the_same_figures() -> None:
    figures = report_figures(week(), brand="Moda Exemplo")
    t = figures.totals
    assert (t.attributed_sales, t.revenue_gross, t.revenue_net) == (
        5,
        Decimal("1050.00"),
        Decimal("550.00"),
    )
    assert (t.conversion_numerator, t.conversion_denominator) == (3, 4)
    assert [(d.day.day, d.attributed_sales) for d in figures.trend] == [
        (2, 1),
        (3, 1),
        (5, 1),
        (6, 1),
        (7, 1),
    ]
    page = render_report(figures)
    assert 'data-figure="totals.conversion" data-value="3/4"' in page
    assert "conversas iniciadas que geraram ao menos uma venda atribuída ÷ conversas" in page


def test_a_seller_scoped_report_is_of_the_sellers_store() -> None:
    figures = report_figures(week(scope=Scope(seller_code="V03")), brand="B")
    assert figures.store_id == "L02"


def test_results_check_that_their_parts_add_up() -> None:
    r = week()
    with pytest.raises(
        ValidationError, match=re.escape("Results.totals must be the sum of the stores'")
    ):
        attrs.evolve(r, totals=Figures.zero())
    with pytest.raises(
        ValidationError, match=re.escape("Results.days must be every day of the period")
    ):
        attrs.evolve(r, days=r.days[1:])


def test_bad_inputs_are_named() -> None:
    with pytest.raises(ValidationError, match=r"last_day must be on or after first_day"):
        compute_results(first_day=LAST, last_day=FIRST)
    with pytest.raises(ValidationError, match=r"orders\[0\] must be an Order"):
        compute_results(first_day=FIRST, last_day=LAST, orders=["P1"])
    with pytest.raises(ValidationError, match=r"quantities\['P1'\] must be"):
        week(quantities={"P1": -1})
    with pytest.raises(ValidationError, match="view must be one of totals"):
        week().to_rows("everything")
    with pytest.raises(ValidationError, match="backend must be one of polars"):
        week().to_frame(backend="excel")
    with pytest.raises(ValidationError, match=re.escape("Scope.seller_code must be None")):
        Scope(store_id="L01", seller_code="V01")


def test_from_a_store() -> None:
    uow = InMemoryUnitOfWork()
    WEEK.load(uow)
    assert load_results(uow, FIRST, LAST) == week()
    assert load_results(uow, FIRST, LAST, store_id="L01") == week(scope=Scope(store_id="L01"))
    c = load_comparison(
        uow, FIRST, LAST, base=AttributionPolicy(), other=AttributionPolicy(window_days=30)
    )
    assert c == week_comparison(AttributionPolicy(window_days=30))
    with pytest.raises(NotFound, match="V77"):
        load_results(uow, FIRST, LAST, seller_code="V77")


def test_the_notebook_view_shows_the_figures_with_their_exact_values() -> None:
    page = week()._repr_html_()
    assert "Receita gerando saldo" in page
    assert 'data-column="revenue_net" data-value="550.00">R$ 550,00<' in page
    assert 'data-column="conversion_rate" data-value="0.7500">75,0%<' in page
    what_if = week_comparison(AttributionPolicy(window_days=30))._repr_html_()
    assert 'data-column="revenue_gross_delta" data-value="999.00">+R$ 999,00<' in what_if


@pytest.mark.source_tree
def test_the_docs_examples_run() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "results.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.DOTALL)
    assert len(blocks) == 2  # the views, and "what if"
    for code in blocks:
        exec(compile(code, "docs/results.md", "exec"), {})  # noqa: S102 - our own docs


def test_the_quantity_of_products_comes_from_the_telesales_store() -> None:
    uow = InMemoryUnitOfWork()
    WEEK.load(uow)
    cart = new_cart(order_id="P5", customer_id="DANI", store_id="L02", built_by="op", at=at(11, 7))
    for sku, quantity in (("CAMISA-P", 2), ("MEIA", 3)):
        item = OrderItem(sku=sku, quantity=quantity, list_price=Decimal("10.00"))
        cart = put_item(
            cart, item, policy=TelesalesPolicy(manual_price_stores=()), actor="op", at=at(11, 7)
        )
    with uow:
        uow.telesales.add(cart)
    quantities = {s.order_id: s.product_quantity for s in load_results(uow, FIRST, LAST).sales}
    assert quantities == {"P1": None, "P2": None, "P3": None, "P4": None, "P5": 5}
