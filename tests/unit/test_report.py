"""The results report (otocore.report): its input is validated whole, its page is exact."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import otocore.report
from _support.report import expected_figures, page_figures, sample_figures
from otocore.errors import OtocoreError, ValidationError
from otocore.report import (
    DayFigures,
    ReportFigures,
    ReportTotals,
    SellerFigures,
    format_brl,
    format_count,
    format_rate,
    render_report,
)

NOV_1, NOV_30 = date(2026, 11, 1), date(2026, 11, 30)


def _seller(code: str = "V01", **changes: object) -> SellerFigures:
    fields: dict[str, object] = {
        "seller_code": code,
        "seller_name": "Ana Souza",
        "store_id": "L01",
        "suggested": 10,
        "started": 5,
        "finished": 4,
        "attributed_sales": 2,
        "revenue_gross": Decimal("100.00"),
        "revenue_net": Decimal("80.00"),
    }
    fields.update(changes)
    return SellerFigures(**fields)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def sample_page() -> str:
    return render_report(sample_figures())


# -- the page ---------------------------------------------------------------------------------


def test_the_totals_are_shown_in_pt_br_and_carried_exactly(sample_page: str) -> None:
    found = {key: (value, text) for key, value, text in page_figures(sample_page)}
    assert found["totals.suggested"] == ("1782", "1.782")
    assert found["totals.revenue_gross"] == ("2469134", "R$ 24.691,34")
    assert found["totals.revenue_net"] == ("1100000", "R$ 11.000,00")
    assert found["totals.conversion"] == ("17/753", "2,3%")
    assert found["first_day"] == ("2026-11-01", "01/11/2026")
    assert found["trend.2026-11-30.revenue"] == ("1", "R$ 0,01")


def test_the_page_shows_every_figure_once_and_nothing_else(sample_page: str) -> None:
    found = page_figures(sample_page)
    keys = [key for key, _, _ in found]
    assert len(keys) == len(set(keys))
    assert {key: (value, text) for key, value, text in found} == expected_figures(sample_figures())


def test_the_ranking_breaks_a_revenue_tie_by_sales_then_code(sample_page: str) -> None:
    # V01 and V02 have the same revenue; V01 sold more. V03 sold nothing.
    found = {key: value for key, value, _ in page_figures(sample_page)}
    assert [found[f"ranking.{i}.seller_code"] for i in (1, 2, 3)] == ["V01", "V02", "V03"]
    tie = [_seller("V2", attributed_sales=1), _seller("V1", attributed_sales=1)]
    figures = ReportFigures(
        brand="B",
        first_day=NOV_1,
        last_day=NOV_1,
        totals=ReportTotals.of_sellers(tie),
        sellers=tie,
        trend=[DayFigures(day=NOV_1, attributed_sales=2, revenue=Decimal("200.00"))],
    )
    assert [s.seller_code for s in figures.ranking] == ["V1", "V2"]


def test_the_labels_are_the_products_words_in_portuguese(sample_page: str) -> None:
    for label in (
        "Vendas a partir de contatos",
        "Atividades sugeridas",
        "Conversas iniciadas",
        "Conversas finalizadas",
        "Vendas atribuídas",
        "Receita atribuída",
        "Receita gerando saldo",
        "Taxa de conversão",
        "Funil: das sugestões às vendas",
        "Receita por vendedor",
        "Ranking dos vendedores",
        "Tendência diária",
    ):
        assert label in sample_page, label
    assert '<html lang="pt-BR">' in sample_page


def test_the_page_is_self_contained(sample_page: str) -> None:
    assert "<script" not in sample_page
    assert "<link" not in sample_page
    assert "@import" not in sample_page
    assert re.findall(r'\b(?:src|href)="(?!#)', sample_page) == []
    # the only URLs are the SVG namespaces, which are names, never fetched
    assert set(re.findall(r"https?://[^\s\"')]+", sample_page)) == {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }
    assert sample_page.count("<figure ") == 4
    assert sample_page.count("<svg ") == 4


def test_the_charts_ids_do_not_clash_between_charts(sample_page: str) -> None:
    ids = re.findall(r'\bid="([^"]+)"', sample_page)
    assert len(ids) == len(set(ids))
    for reference in re.findall(r'href="#([^"]+)"|url\(#([^)]+)\)', sample_page):
        assert next(r for r in reference if r) in ids


def test_the_same_figures_give_the_same_page(sample_page: str) -> None:
    assert render_report(sample_figures()) == sample_page


def test_text_is_escaped() -> None:
    seller = _seller(seller_name='<b>"Zé" & Cia</b>', store_id="L<1>")
    figures = ReportFigures(
        brand="Moda <Exemplo> & Filhos",
        first_day=NOV_1,
        last_day=NOV_30,
        totals=ReportTotals.of_sellers([seller]),
        sellers=[seller],
        trend=[DayFigures(day=NOV_30, attributed_sales=2, revenue=Decimal("100.00"))],
    )
    page = render_report(figures)
    assert "<b>" not in page
    assert "Moda &lt;Exemplo&gt; &amp; Filhos" in page
    found = {key: (value, text) for key, value, text in page_figures(page)}
    assert found["sellers.V01.seller_name"] == ('<b>"Zé" & Cia</b>', '<b>"Zé" & Cia</b>')


def test_an_empty_period_renders_with_its_charts_saying_so() -> None:
    figures = ReportFigures(
        brand="Moda Exemplo",
        store_id="L09",
        first_day=NOV_1,
        last_day=NOV_30,
        totals=ReportTotals.of_sellers([]),
    )
    page = render_report(figures)
    found = {key: (value, text) for key, value, text in page_figures(page)}
    assert found == expected_figures(figures)
    assert found["totals.conversion"] == ("0/0", "—")
    assert "Nenhum vendedor no período" in page
    assert "Nenhuma venda atribuída no período" in page


def test_render_report_refuses_anything_but_figures() -> None:
    with pytest.raises(ValidationError, match="figures must be a ReportFigures, got"):
        render_report({"brand": "B"})  # type: ignore[arg-type]


# -- pt-BR formatting -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("0", "R$ 0,00"),
        ("0.01", "R$ 0,01"),
        ("999.99", "R$ 999,99"),
        ("1000", "R$ 1.000,00"),
        ("1234.56", "R$ 1.234,56"),
        ("1234567.8", "R$ 1.234.567,80"),
    ],
)
def test_money_is_written_as_brazilians_write_it(amount: str, text: str) -> None:
    assert format_brl(Decimal(amount)) == text


def test_counts_and_rates() -> None:
    assert format_count(0) == "0"
    assert format_count(1000) == "1.000"
    assert format_rate(17, 753) == "2,3%"
    assert format_rate(1, 8) == "12,5%"  # 12.5 exactly: one decimal, nothing to round
    assert format_rate(1, 16) == "6,2%"  # 6.25 rounds half to even
    assert format_rate(3, 16) == "18,8%"  # 18.75 rounds half to even, up
    assert format_rate(12345, 12345) == "100,0%"


# -- validation -----------------------------------------------------------------------------------


def test_every_fault_of_the_figures_is_reported_at_once() -> None:
    a, b = _seller("V01"), _seller("V01", store_id="L02")
    with pytest.raises(ValidationError) as caught:
        ReportFigures(
            brand="B",
            store_id="L01",
            first_day=NOV_30,
            last_day=NOV_1,
            totals=ReportTotals.of_sellers([a]),
            sellers=[a, b],
            trend=[
                DayFigures(day=NOV_30, attributed_sales=1, revenue=Decimal("1.00")),
                DayFigures(day=NOV_1, attributed_sales=1, revenue=Decimal("1.00")),
            ],
        )
    fields = [e.field for e in caught.value.errors]
    assert fields == [
        "ReportFigures.last_day",
        "ReportFigures.sellers[1].seller_code",
        "ReportFigures.sellers[1].store_id",
        "ReportFigures.totals.suggested",
        "ReportFigures.totals.started",
        "ReportFigures.totals.finished",
        "ReportFigures.totals.attributed_sales",
        "ReportFigures.totals.revenue_gross",
        "ReportFigures.totals.revenue_net",
        "ReportFigures.trend[0].day",
        "ReportFigures.trend[1].day",
        "ReportFigures.trend[1].day",
        "ReportFigures.trend",
    ]
    assert "must be unique, already at sellers[0]" in str(caught.value)
    assert "must be the report's store L01" in str(caught.value)
    assert "must equal the sellers' sum 20" in str(caught.value)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"suggested": -1}, r"SellerFigures\.suggested must be >= 0, got -1"),
        ({"started": True}, r"SellerFigures\.started must be an int"),
        ({"revenue_gross": 10.5}, r"SellerFigures\.revenue_gross must be a decimal\.Decimal"),
        ({"revenue_gross": Decimal("1.001")}, r"at most 2 decimal places"),
        ({"revenue_net": Decimal("100.01")}, r"revenue_net must be <= revenue_gross 100\.00"),
        ({"seller_code": " "}, r"SellerFigures\.seller_code must not be empty"),
        ({"seller_name": "Ana\nSouza"}, r"SellerFigures\.seller_name must not contain control"),
    ],
)
def test_a_seller_row_is_validated(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        _seller(**changes)


def test_the_totals_are_validated() -> None:
    totals = ReportTotals.of_sellers([_seller()])
    with pytest.raises(ValidationError, match=r"conversion_numerator must be <= conversion_denom"):
        attrs.evolve(totals, conversion_numerator=6)
    with pytest.raises(ValidationError, match=r"ReportTotals\.finished must be >= 0"):
        attrs.evolve(totals, finished=-3)
    assert totals.conversion_numerator == 2
    assert totals.conversion_denominator == 5


def test_the_figures_fields_are_typed() -> None:
    totals = ReportTotals.of_sellers([])
    with pytest.raises(ValidationError, match=r"ReportFigures\.first_day must be a datetime\.date"):
        ReportFigures(brand="B", first_day="2026-11-01", last_day=NOV_1, totals=totals)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"ReportFigures\.totals must be a ReportTotals"):
        ReportFigures(brand="B", first_day=NOV_1, last_day=NOV_1, totals=None)  # type: ignore[arg-type]
    with pytest.raises(
        ValidationError, match=r"ReportFigures\.sellers\[0\] must be a SellerFigures"
    ):
        ReportFigures(brand="B", first_day=NOV_1, last_day=NOV_1, totals=totals, sellers=["V01"])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match=r"ReportFigures\.trend must be a tuple or list"):
        ReportFigures(brand="B", first_day=NOV_1, last_day=NOV_1, totals=totals, trend="x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"ReportFigures\.brand must not be empty"):
        ReportFigures(brand="", first_day=NOV_1, last_day=NOV_1, totals=totals)
    with pytest.raises(ValidationError, match=r"DayFigures\.day must be a datetime\.date"):
        DayFigures(day=None, attributed_sales=0, revenue=Decimal(0))  # type: ignore[arg-type]


def test_the_trend_must_add_up_to_the_totals() -> None:
    seller = _seller()
    with pytest.raises(ValidationError) as caught:
        ReportFigures(
            brand="B",
            first_day=NOV_1,
            last_day=NOV_30,
            totals=ReportTotals.of_sellers([seller]),
            sellers=[seller],
            trend=[DayFigures(day=NOV_1, attributed_sales=1, revenue=Decimal("99.99"))],
        )
    assert [str(e) for e in caught.value.errors] == [
        "ReportFigures.trend attributed sales must add up to totals.attributed_sales 2, got 1",
        "ReportFigures.trend revenue must add up to totals.revenue_gross 100.00, got Decimal('99.99')",
    ]
    assert isinstance(caught.value, OtocoreError)


def test_a_name_in_a_script_the_chart_font_lacks_renders_without_a_warning() -> None:
    # found by Hypothesis: Matplotlib warned "Glyph 1741 ... missing from font(s) DejaVu Sans"
    # (an error under this suite's filterwarnings) for a seller named "ۍ"; the charts draw
    # boxes for it, the tables show it
    seller = _seller(seller_name="ۍ 山田")
    figures = ReportFigures(
        brand="ブランド",
        first_day=NOV_1,
        last_day=NOV_1,
        totals=ReportTotals.of_sellers([seller]),
        sellers=[seller],
        trend=[DayFigures(day=NOV_1, attributed_sales=2, revenue=Decimal("100.00"))],
    )
    found = {key: value for key, value, _ in page_figures(render_report(figures))}
    assert found["sellers.V01.seller_name"] == "ۍ 山田"


@pytest.mark.source_tree
def test_the_example_of_the_docs_runs() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "report.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.DOTALL)
    assert blocks
    for code in blocks:
        exec(compile(code, "docs/report.md", "exec"), {})  # noqa: S102 - our own docs


def test_the_ranking_chart_draws_the_first_15_and_the_table_ranks_everyone() -> None:
    rows = [
        _seller(f"V{i:02d}", revenue_gross=Decimal(i), revenue_net=Decimal(0)) for i in range(40)
    ]
    figures = ReportFigures(
        brand="B",
        first_day=NOV_1,
        last_day=NOV_1,
        totals=ReportTotals.of_sellers(rows),
        sellers=rows,
        trend=[DayFigures(day=NOV_1, attributed_sales=80, revenue=Decimal(780))],
    )
    page = render_report(figures)
    assert "Ranking dos vendedores: os 15 primeiros de 40" in page
    ranking_chart = page.split('data-chart="ranking"')[1].split("</figure>")[0]
    assert len(re.findall(r'id="ranking-bar-\d+"', ranking_chart)) == 15
    assert "V39" in ranking_chart
    assert "V24" not in ranking_chart  # the 16th
    found = {key: value for key, value, _ in page_figures(page)}
    assert found["ranking.40.seller_code"] == "V00"
    # past 30 sellers, the revenue chart draws the 30 of the highest gross revenue (V10..V39)
    assert "Receita por vendedor: os 30 de maior receita, de 40" in page
    revenue_chart = page.split('data-chart="revenue-by-seller"')[1].split("</figure>")[0]
    assert len(re.findall(r'id="revenue-by-seller-bar-\d+"', revenue_chart)) == 60
    assert "V10" in revenue_chart
    assert "V09" not in revenue_chart


def test_importing_the_report_does_not_load_matplotlib() -> None:
    # Matplotlib (and NumPy) load when a report is drawn, not when otocore.report is imported
    code = "import otocore.report, sys; print('matplotlib' in sys.modules, 'numpy' in sys.modules)"
    src = str(Path(otocore.report.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=src, HYPOTHESIS_NO_PLUGINS="1")
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    assert out.stdout.split() == ["False", "False"]
