"""Invariants of the results views, over random small brands (Hypothesis)."""

from __future__ import annotations

from decimal import Decimal

import narwhals as nw
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support.results import CODES, P_FIRST, P_LAST, Brand, brands, policies
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.attribution import AttributionPolicy
from otocore.results import (
    FIGURE_FIELDS,
    Figures,
    Results,
    Scope,
    compare_results,
    compute_results,
    load_results,
    report_figures,
)
from otocore.results._tables import COMPARISON_COLUMNS, RESULT_COLUMNS


def results(brand: Brand, policy: AttributionPolicy, scope: Scope | None = None) -> Results:
    return compute_results(
        first_day=P_FIRST, last_day=P_LAST, scope=scope, policy=policy, **brand.inputs()
    )


@given(brand=brands(), policy=policies())
def test_sellers_add_up_to_their_store_and_stores_to_the_brand(
    brand: Brand, policy: AttributionPolicy
) -> None:
    r = results(brand, policy)
    assert sum((s.figures for s in r.stores), Figures.zero()) == r.totals
    for store in r.stores:
        mine = [s.figures for s in r.sellers if s.store_id == store.store_id]
        assert sum(mine, Figures.zero()) == store.figures
        # the store's own results are the brand's row of that store
        assert results(brand, policy, Scope(store_id=store.store_id)).totals == store.figures
    for seller in r.sellers:
        assert results(brand, policy, Scope(seller_code=seller.seller_code)).totals == (
            seller.figures
        )


@given(brand=brands(), policy=policies())
def test_conversion_numerator_never_exceeds_its_denominator(
    brand: Brand, policy: AttributionPolicy
) -> None:
    r = results(brand, policy)
    for f in [r.totals, *(s.figures for s in r.stores), *(s.figures for s in r.sellers)]:
        assert f.conversion_numerator <= f.conversion_denominator == f.started
        assert f.conversion_numerator <= f.attributed_sales
        assert f.revenue_net <= f.revenue_gross


@given(brand=brands(), policy=policies())
def test_every_sale_is_an_attributed_sale_of_the_period(
    brand: Brand, policy: AttributionPolicy
) -> None:
    r = results(brand, policy)
    assert len(r.sales) == r.totals.attributed_sales
    assert len({s.order_id for s in r.sales}) == len(r.sales)
    for s in r.sales:
        assert P_FIRST <= s.purchase_day <= P_LAST
        assert (s.purchase_day - s.contact_day).days <= policy.window_days


@given(brand=brands(), policy=policies(), data=st.data())
def test_the_same_inputs_in_any_order_give_the_same_results(
    brand: Brand, policy: AttributionPolicy, data: st.DataObject
) -> None:
    shuffled = Brand(
        stores=brand.stores,
        sellers=tuple(data.draw(st.permutations(brand.sellers))),
        suggestions=tuple(data.draw(st.permutations(brand.suggestions))),
        contacts=tuple(data.draw(st.permutations(brand.contacts))),
        orders=tuple(data.draw(st.permutations(brand.orders))),
    )
    assert results(shuffled, policy) == results(brand, policy)


def _frame_rows(frame: object) -> list[dict[str, object]]:
    return nw.from_native(frame, eager_only=True).rows(named=True)


@pytest.mark.parametrize("backend", ["polars", "pandas", "pyarrow"])
@given(brand=brands(), policy=policies())
def test_values_rows_and_frames_hold_the_same_numbers(
    backend: str, brand: Brand, policy: AttributionPolicy
) -> None:
    r = results(brand, policy)
    totals = r.to_rows("totals")[0]
    assert {n: totals[n] for n in FIGURE_FIELDS} == {n: getattr(r.totals, n) for n in FIGURE_FIELDS}
    assert [row["seller_code"] for row in r.to_rows("ranking")] == [
        s.seller_code for s in r.ranking
    ]
    for view, columns in RESULT_COLUMNS.items():
        rows = r.to_rows(view)
        frame = r.to_frame(view, backend=backend)
        assert list(nw.from_native(frame, eager_only=True).columns) == list(columns)
        assert _frame_rows(frame) == rows, view
    html = r._repr_html_()
    for s in r.stores:
        assert f'data-column="revenue_gross" data-value="{s.figures.revenue_gross}"' in html


@given(brand=brands(), policy=policies(), scope=st.sampled_from([None, *CODES]))
def test_what_if_with_the_same_policy_changes_nothing(
    brand: Brand, policy: AttributionPolicy, scope: str | None
) -> None:
    c = compare_results(
        first_day=P_FIRST,
        last_day=P_LAST,
        base=policy,
        other=policy,
        scope=None if scope is None else Scope(seller_code=scope),
        **brand.inputs(),
    )
    for name in FIGURE_FIELDS:
        assert c.delta(name) == 0
        assert all(s.delta(name) == 0 for s in c.sellers)
    for row in c.to_rows("sellers") + c.to_rows("totals"):
        assert all(row[k] in {0, Decimal(0), None} for k in row if k.endswith("_delta"))
    for view, columns in COMPARISON_COLUMNS.items():
        assert _frame_rows(c.to_frame(view, backend="polars")) == c.to_rows(view)
        assert list(c.to_rows(view)[0]) == list(columns) if c.to_rows(view) else True


@given(brand=brands(), base=policies(), other=policies())
def test_what_if_adds_up_per_seller_and_in_total(
    brand: Brand, base: AttributionPolicy, other: AttributionPolicy
) -> None:
    c = compare_results(
        first_day=P_FIRST, last_day=P_LAST, base=base, other=other, **brand.inputs()
    )
    for name in FIGURE_FIELDS:
        assert sum(s.delta(name) for s in c.sellers) == c.delta(name)
    assert c.base == results(brand, base)
    assert c.other == results(brand, other)


@given(brand=brands(), policy=policies(), store=st.sampled_from([None, "L1", "L2"]))
def test_the_report_takes_the_results_as_they_are(
    brand: Brand, policy: AttributionPolicy, store: str | None
) -> None:
    r = results(brand, policy, None if store is None else Scope(store_id=store))
    figures = report_figures(r, brand="Marca")  # ReportFigures checks that everything adds up
    t = figures.totals
    assert (t.suggested, t.started, t.finished, t.attributed_sales) == (
        r.totals.suggested,
        r.totals.started,
        r.totals.finished,
        r.totals.attributed_sales,
    )
    assert (t.revenue_gross, t.revenue_net) == (r.totals.revenue_gross, r.totals.revenue_net)
    assert (t.conversion_numerator, t.conversion_denominator) == (
        r.totals.conversion_numerator,
        r.totals.conversion_denominator,
    )
    assert [s.seller_code for s in figures.ranking] == [s.seller_code for s in r.ranking]
    assert figures.store_id == store


@given(brand=brands(), policy=policies())
def test_read_from_a_store_the_results_are_the_same(
    brand: Brand, policy: AttributionPolicy
) -> None:
    uow = InMemoryUnitOfWork()
    brand.load(uow)
    assert load_results(uow, P_FIRST, P_LAST, policy=policy) == results(brand, policy)
