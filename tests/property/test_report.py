"""Properties of the results report: any valid figures render exactly; bad sums never build."""

from __future__ import annotations

import itertools
import random
from decimal import Decimal

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _support.report import expected_figures, page_figures, report_figures
from _support.strategies import examples
from otocore.errors import ValidationError
from otocore.report import ReportFigures, ReportTotals, render_report


@settings(max_examples=examples(0.15))  # a page takes half a second to draw
@given(report_figures())
def test_every_figure_is_on_the_page_exactly_once_with_its_exact_value(
    figures: ReportFigures,
) -> None:
    found = page_figures(render_report(figures))
    keys = [key for key, _, _ in found]
    assert len(keys) == len(set(keys))
    assert {key: (value, text) for key, value, text in found} == expected_figures(figures)


@given(report_figures(max_sellers=12), st.randoms(use_true_random=False))
def test_the_ranking_is_ordered_and_does_not_depend_on_the_rows_order(
    figures: ReportFigures, rng: random.Random
) -> None:
    ranking = figures.ranking
    assert sorted(s.seller_code for s in ranking) == sorted(s.seller_code for s in figures.sellers)
    for better, worse in itertools.pairwise(ranking):
        assert (better.revenue_gross, better.attributed_sales) >= (
            worse.revenue_gross,
            worse.attributed_sales,
        )
        if (better.revenue_gross, better.attributed_sales) == (
            worse.revenue_gross,
            worse.attributed_sales,
        ):
            assert better.seller_code < worse.seller_code
    shuffled = list(figures.sellers)
    rng.shuffle(shuffled)
    assert attrs.evolve(figures, sellers=shuffled).ranking == ranking


SUMMED = ["suggested", "started", "finished", "attributed_sales", "revenue_gross", "revenue_net"]


@given(report_figures(), st.sampled_from(SUMMED), st.integers(1, 1000))
def test_totals_that_do_not_add_up_never_build(
    figures: ReportFigures, name: str, more: int
) -> None:
    value = getattr(figures.totals, name)
    bumped = value + (Decimal(more) / 100 if isinstance(value, Decimal) else more)
    changes: dict[str, object] = {name: bumped}
    if name == "revenue_net" and bumped > figures.totals.revenue_gross:
        changes["revenue_gross"] = bumped
    if name == "started":
        changes["conversion_denominator"] = figures.totals.conversion_denominator + more
    totals = attrs.evolve(figures.totals, **changes)
    with pytest.raises(ValidationError) as caught:
        attrs.evolve(figures, totals=totals)
    assert f"ReportFigures.totals.{name}" in [e.field for e in caught.value.errors]


@given(report_figures())
def test_valid_figures_rebuild_equal(figures: ReportFigures) -> None:
    again = ReportFigures(
        brand=figures.brand,
        store_id=figures.store_id,
        first_day=figures.first_day,
        last_day=figures.last_day,
        totals=ReportTotals.of_sellers(
            figures.sellers,
            conversion_numerator=figures.totals.conversion_numerator,
            conversion_denominator=figures.totals.conversion_denominator,
        ),
        sellers=list(figures.sellers),
        trend=list(figures.trend),
    )
    assert again == figures
