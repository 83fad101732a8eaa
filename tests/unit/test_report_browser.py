"""The results report in a real browser: headless Chromium, no network (tests/_support/browser.py).

Each chart must have drawn: its SVG has a size on screen, and it has one mark per value (a bar
per funnel step, two per seller for gross and net revenue, one per ranked seller, one per day
and the revenue line), every mark of a nonzero value with area and paint. The figures the
browser shows are the input's, exactly, and the page requested nothing.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from _support import browser
from _support.report import expected_figures, sample_figures
from otocore.report import ReportFigures, ReportTotals, render_report

pytestmark = pytest.mark.slow  # starts Chromium


@pytest.fixture(scope="module")
def figures() -> ReportFigures:
    return sample_figures()


@pytest.fixture(scope="module")
def page(figures: ReportFigures) -> browser.Page:
    return browser.load(render_report(figures))


def _nonzero(values: list[int] | list[Decimal]) -> int:
    return sum(1 for v in values if v)


def test_the_page_loads_nothing_from_anywhere(page: browser.Page) -> None:
    assert page.resources == ()
    assert page.height > 1000


def test_the_figures_the_browser_shows_are_the_inputs_exactly(
    figures: ReportFigures, page: browser.Page
) -> None:
    assert page.duplicate_keys == ()
    shown = {key: (f.value, f.text) for key, f in page.figures.items()}
    assert shown == expected_figures(figures)
    hidden = [key for key, f in page.figures.items() if not f.shown]
    assert hidden == []


def test_every_chart_drew_one_mark_per_value(figures: ReportFigures, page: browser.Page) -> None:
    assert set(page.charts) == {"funnel", "revenue-by-seller", "ranking", "daily-trend"}
    for name, chart in page.charts.items():
        assert chart.width > 300, name
        assert chart.height > 100, name
    t = figures.totals
    funnel = [t.suggested, t.started, t.finished, t.attributed_sales]
    gross = [s.revenue_gross for s in figures.sellers]
    net = [s.revenue_net for s in figures.sellers]
    daily = [p.attributed_sales for p in figures.trend]
    expected = {
        "funnel": (len(funnel), _nonzero(funnel)),
        "revenue-by-seller": (2 * len(gross), _nonzero(gross) + _nonzero(net)),
        "ranking": (min(len(gross), 15), _nonzero(sorted(gross, reverse=True)[:15])),
        "daily-trend": (len(daily), _nonzero(daily)),
    }
    for name, (marks, drawn) in expected.items():
        bars = [m for m in page.charts[name].marks if m.kind == "bar"]
        assert len(bars) == marks, name
        assert len(page.charts[name].drawn("bar")) == drawn, name
    # the sample has zero values (a seller with no sales, a net of zero, a day with none),
    # so the counts above tell a drawn bar from an empty one
    assert drawn < marks
    assert len(page.charts["daily-trend"].drawn("line")) == 1


def test_a_bar_is_as_long_as_its_value(figures: ReportFigures, page: browser.Page) -> None:
    # the ranking's bars, in ranking order, are proportional to the revenue (V01 and V02 tie)
    bars = sorted(page.charts["ranking"].drawn("bar"), key=lambda m: m.index)
    widths = [m.width for m in bars]
    assert len(widths) == 2
    assert widths[0] == pytest.approx(widths[1])
    t = figures.totals
    funnel = sorted(page.charts["funnel"].drawn("bar"), key=lambda m: m.index)
    ratio = funnel[1].width / funnel[0].width
    assert ratio == pytest.approx(t.started / t.suggested, rel=1e-3)


def test_an_empty_report_draws_no_mark_and_still_shows_its_totals() -> None:
    empty = ReportFigures(
        brand="Moda Exemplo",
        first_day=sample_figures().first_day,
        last_day=sample_figures().last_day,
        totals=ReportTotals.of_sellers([]),
    )
    page = browser.load(render_report(empty))
    assert page.resources == ()
    assert {key: (f.value, f.text) for key, f in page.figures.items()} == expected_figures(empty)
    assert [len(c.marks) for c in page.charts.values()] == [4, 0, 0, 0]
    assert page.charts["funnel"].drawn("bar") == []
