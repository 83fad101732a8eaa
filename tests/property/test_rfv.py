"""Invariants of RFV: the exact formula, ties, order, noise, grids and round trips."""

from __future__ import annotations

import contextlib
import json
import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support.strategies import json_values
from otocore._time import in_window, local_day
from otocore.errors import OtocoreError, ValidationError
from otocore.orders import Order, OrderStatus
from otocore.rfv import (
    RawRfv,
    RfvPolicy,
    RfvScore,
    RfvThresholds,
    ScoreRectangle,
    Segment,
    SegmentGrid,
    quantile_scores,
    rfv_scores,
    score_raw,
)
from otocore.serialization import converter
from otocore.testing import aware_datetimes, customer_ids, money, orders
from otocore.testing._rfv import (
    raw_rfvs,
    rfv_policies,
    rfv_score_values,
    rfv_thresholds,
    segment_grids,
)

# a small pool of totals and customers, so that ties are common
TOTALS = st.sampled_from([Decimal("50.00"), Decimal("99.90"), Decimal("100"), Decimal(0)]) | money()


@st.composite
def brands(draw: st.DrawFn, *, max_orders: int = 40) -> tuple[list[Order], date]:
    """Orders of a few customers around a local day ``as_of`` (2017..2027, so DST years too)."""
    as_of = draw(st.dates(date(2017, 1, 1), date(2027, 12, 31)))
    noon = datetime.combine(as_of, time(12), tzinfo=UTC)
    placed = aware_datetimes(
        min_value=noon - timedelta(days=3 * 366), max_value=noon + timedelta(days=40)
    )
    history = draw(
        st.lists(
            orders(customer_id=customer_ids(max_count=8), placed_at=placed, total=TOTALS),
            max_size=max_orders,
            unique_by=lambda o: o.order_id,
        )
    )
    return history, as_of


# a brute-force reference, written straight from the docs' sentences ----------------


def reference(history: list[Order], as_of: date, policy: RfvPolicy) -> dict[str, RfvScore]:
    zone = ZoneInfo(policy.time_zone)
    counted = [
        o
        for o in history
        if o.status is OrderStatus.COMPLETED and local_day(o.placed_at, zone) <= as_of
    ]
    raws: dict[str, tuple[int, int, Decimal]] = {}
    for cid in sorted({o.customer_id for o in counted}):
        mine = [o for o in counted if o.customer_id == cid]
        last = max(local_day(o.placed_at, zone) for o in mine)
        inside = [o for o in mine if in_window(local_day(o.placed_at, zone), as_of, policy.window)]
        raws[cid] = ((as_of - last).days, len(inside), sum((o.total for o in inside), Decimal(0)))
    n = len(raws)
    bins = policy.bins
    cuts = policy.thresholds

    def score(dim: int, x: Any) -> int:
        lower_is_better = dim == 0
        if cuts is not None:
            points = (cuts.recency, cuts.frequency, cuts.value)[dim]
            beaten = [c for c in points if (x <= c if lower_is_better else x >= c)]
            return 1 + len(beaten)
        others = [values[dim] for values in raws.values()]
        worse = sum(1 for y in others if (y > x if lower_is_better else y < x))
        return 1 + (bins * worse) // n

    out = {}
    for cid, (days, freq, value) in raws.items():
        r, f, v = score(0, days), score(1, freq), score(2, value)
        cell = [
            s.key
            for s in policy.grid.segments
            for box in s.rectangles
            if box.r[0] <= r <= box.r[1] and box.f[0] <= f <= box.f[1]
        ]
        assert len(cell) == 1
        out[cid] = RfvScore(
            customer_id=cid,
            recency_days=days,
            frequency=freq,
            value=value,
            r=r,
            f=f,
            v=v,
            segment=cell[0],
        )
    return out


@given(brand=brands(), policy=rfv_policies())
def test_matches_the_brute_force_reference_with_scores_in_1_to_bins(
    brand: tuple[list[Order], date], policy: RfvPolicy
) -> None:
    history, as_of = brand
    got = rfv_scores(history, as_of, policy=policy)
    assert got == reference(history, as_of, policy)
    for s in got.values():
        assert {s.r, s.f, s.v} <= set(range(1, policy.bins + 1))
        assert s.segment == policy.grid.segment(s.r, s.f)


@given(brand=brands(), policy=rfv_policies(), seed=st.randoms(use_true_random=False))
def test_input_order_never_matters(
    brand: tuple[list[Order], date], policy: RfvPolicy, seed: random.Random
) -> None:
    history, as_of = brand
    shuffled = list(history)
    seed.shuffle(shuffled)
    expected = rfv_scores(history, as_of, policy=policy)
    got = rfv_scores(iter(shuffled), as_of, policy=policy)
    assert got == expected
    assert list(got) == list(expected)


@given(
    brand=brands(),
    noise=st.lists(orders(customer_id=customer_ids(max_count=12), total=TOTALS), max_size=15),
    policy=rfv_policies(),
)
def test_cancelled_orders_and_orders_after_as_of_change_nothing(
    brand: tuple[list[Order], date], noise: list[Order], policy: RfvPolicy
) -> None:
    history, as_of = brand
    zone = ZoneInfo(policy.time_zone)
    after = datetime.combine(as_of + timedelta(days=1), time(0), tzinfo=zone)
    extra = []
    for i, o in enumerate(noise):
        cancelled = Order(
            order_id=f"X{i}",
            customer_id=o.customer_id,
            store_id=o.store_id,
            placed_at=o.placed_at,
            total=o.total,
            seller_code=None,
            status=OrderStatus.CANCELLED,
        )
        future = Order(
            order_id=f"F{i}",
            customer_id=o.customer_id,
            store_id=o.store_id,
            placed_at=after
            + (o.placed_at - datetime(2018, 1, 1, tzinfo=UTC)) % timedelta(days=900),
            total=o.total,
            seller_code=None,
        )
        extra += [cancelled, future]
    assert rfv_scores(history + extra, as_of, policy=policy) == rfv_scores(
        history, as_of, policy=policy
    )


# scoring raw values -----------------------------------------------------------------

SMALL_RAWS = st.lists(
    st.builds(
        lambda days, freq, cents: (days, freq, Decimal(cents).scaleb(-2) if freq else Decimal(0)),
        st.sampled_from([0, 1, 7, 30, 365]) | st.integers(0, 1000),
        st.integers(0, 6),
        st.sampled_from([0, 5000, 9990]) | st.integers(0, 10**6),
    ),
    max_size=40,
)


def as_raws(rows: list[tuple[int, int, Decimal]]) -> list[RawRfv]:
    return [
        RawRfv(customer_id=f"C{i:03d}", recency_days=d, frequency=f, value=v)
        for i, (d, f, v) in enumerate(rows)
    ]


@given(rows=SMALL_RAWS, policy=rfv_policies())
def test_equal_raw_values_get_equal_scores_and_scores_are_monotonic(
    rows: list[tuple[int, int, Decimal]], policy: RfvPolicy
) -> None:
    scores = list(score_raw(as_raws(rows), policy=policy).values())
    for a in scores:
        for b in scores:
            if a.recency_days == b.recency_days:
                assert a.r == b.r
            if a.recency_days < b.recency_days:
                assert a.r >= b.r
            if a.frequency == b.frequency:
                assert a.f == b.f
            if a.frequency < b.frequency:
                assert a.f <= b.f
            if a.value == b.value:
                assert a.v == b.v
            if a.value < b.value:
                assert a.v <= b.v


@given(rows=SMALL_RAWS, policy=rfv_policies(), seed=st.randoms(use_true_random=False))
def test_score_raw_ignores_the_order_of_raws(
    rows: list[tuple[int, int, Decimal]], policy: RfvPolicy, seed: random.Random
) -> None:
    raws = as_raws(rows)
    shuffled = list(raws)
    seed.shuffle(shuffled)
    assert score_raw(shuffled, policy=policy) == score_raw(raws, policy=policy)


@given(
    values=st.lists(st.integers(0, 20) | st.integers(), max_size=60),
    bins=st.integers(2, 10),
    lower_is_better=st.booleans(),
)
def test_quantile_formula_against_brute_force_and_sql(
    values: list[int], bins: int, lower_is_better: bool
) -> None:
    n = len(values)
    expected = [
        1 + bins * sum(1 for y in values if (y > x if lower_is_better else y < x)) // n
        for x in values
    ]
    got = quantile_scores(values, bins=bins, lower_is_better=lower_is_better)
    assert got == expected
    assert all(1 <= s <= bins for s in got)
    # The SQL of the docs, run by SQLite, gives the same numbers.
    db = sqlite3.connect(":memory:")
    db.execute("create table raw (i integer, x text)")  # text keeps big ints exact
    db.executemany("insert into raw values (?, ?)", [(i, str(x)) for i, x in enumerate(values)])
    direction = "desc" if lower_is_better else "asc"
    rows = db.execute(
        f"select i, 1 + ({bins} * (rank() over (order by cast(x as numeric) {direction}) - 1))"  # noqa: S608
        " / count(*) over () from raw order by i"
    ).fetchall()
    if all(abs(x) < 2**53 for x in values):  # SQLite numerics are exact in this range
        assert [s for _, s in rows] == got


@given(
    values=st.lists(money(max_value=Decimal(300)) | st.just(Decimal("10.0")), max_size=40),
    bins=st.integers(2, 10),
)
def test_decimal_values_rank_exactly(values: list[Decimal], bins: int) -> None:
    n = len(values)
    expected = [1 + bins * sum(1 for y in values if y < x) // n for x in values]
    assert quantile_scores(values, bins=bins, lower_is_better=False) == expected


@given(thresholds=rfv_thresholds(bins=5), rows=SMALL_RAWS)
def test_threshold_scores_do_not_depend_on_other_customers(
    thresholds: RfvThresholds, rows: list[tuple[int, int, Decimal]]
) -> None:
    policy = RfvPolicy(thresholds=thresholds)
    raws = as_raws(rows)
    together = score_raw(raws, policy=policy)
    for raw in raws:
        assert score_raw([raw], policy=policy)[raw.customer_id] == together[raw.customer_id]


# grid validation ---------------------------------------------------------------------


@st.composite
def loose_grids(draw: st.DrawFn) -> tuple[int, list[Segment]]:
    """Segments with arbitrary rectangles: gaps, overlaps and out-of-range boxes happen."""
    bins = draw(st.integers(2, 6))

    def span() -> st.SearchStrategy[tuple[int, int]]:
        return st.tuples(st.integers(1, bins + 1), st.integers(1, bins + 1)).map(
            lambda p: (min(p), max(p))
        )

    count = draw(st.integers(1, 5))
    segments = [
        Segment(
            key=f"s{i}",
            label_en=f"S{i}",
            label_pt=f"S{i}",
            rectangles=draw(
                st.lists(st.builds(ScoreRectangle, r=span(), f=span()), min_size=1, max_size=3)
            ),
        )
        for i in range(count)
    ]
    return bins, segments


@given(loose_grids())
def test_grid_validation_finds_every_gap_and_overlap(grid: tuple[int, list[Segment]]) -> None:
    bins, segments = grid
    cover: dict[tuple[int, int], list[str]] = {}
    out_of_range = 0
    for seg in segments:
        for box in seg.rectangles:
            out_of_range += (box.r[1] > bins) + (box.f[1] > bins)
            for cell in box.cells():
                if max(cell) <= bins:
                    cover.setdefault(cell, []).append(seg.key)
    cells = [(r, f) for r in range(1, bins + 1) for f in range(1, bins + 1)]
    gaps = [c for c in cells if c not in cover]
    overlaps = {c for c in cells if len(cover.get(c, [])) > 1}
    try:
        built = SegmentGrid(bins=bins, segments=segments)
    except ValidationError as err:
        faults = err.errors
    else:
        assert not gaps
        assert not overlaps
        assert not out_of_range
        assert all(built.segment(*c) == cover[c][0] for c in cells)
        return
    gap_faults = [e for e in faults if e.field == "SegmentGrid.segments"]
    assert [e.value for e in gap_faults] == ([gaps] if gaps else [])
    overlap_faults = [e for e in faults if e.field.endswith("]") and "overlaps" in e.rule]
    assert {c for e in overlap_faults for c in e.value} == overlaps
    range_faults = [e for e in faults if e.field.endswith((".r", ".f"))]
    assert len(range_faults) == out_of_range
    assert len(faults) == len(gap_faults) + len(overlap_faults) + len(range_faults)


# serialization -------------------------------------------------------------------------


def _round_trip(value: Any) -> Any:
    return converter.structure(json.loads(json.dumps(converter.unstructure(value))), type(value))


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(rfv_policies(), id="RfvPolicy"),
        pytest.param(st.integers(2, 10).flatmap(lambda b: segment_grids(bins=b)), id="SegmentGrid"),
        pytest.param(
            st.integers(2, 10).flatmap(lambda b: rfv_thresholds(bins=b)), id="RfvThresholds"
        ),
        pytest.param(raw_rfvs(), id="RawRfv"),
        pytest.param(rfv_score_values(), id="RfvScore"),
    ],
)
@given(draws=st.data())
def test_round_trip_through_json(values: st.SearchStrategy[Any], draws: st.DataObject) -> None:
    value = draws.draw(values, label="value")
    assert _round_trip(value) == value


@given(st.integers(2, 10).flatmap(lambda b: segment_grids(bins=b)))
def test_grid_from_json_reads_what_the_converter_writes(grid: SegmentGrid) -> None:
    text = json.dumps(converter.unstructure(grid), ensure_ascii=False)
    with pytest.warns(DeprecationWarning, match="from_json"):
        assert SegmentGrid.from_json(text) == grid
    with pytest.warns(DeprecationWarning, match="from_json"):
        assert SegmentGrid.from_json(text.encode()) == grid


JSON = json_values(integers=st.integers(-3, 12), text_size=8)
RFV_TYPES = [RfvPolicy, SegmentGrid, Segment, ScoreRectangle, RfvThresholds, RawRfv, RfvScore]


@pytest.mark.parametrize("cls", RFV_TYPES)
@given(junk=JSON)
def test_junk_raises_only_validation_error(cls: type, junk: Any) -> None:
    with contextlib.suppress(ValidationError):
        converter.structure(junk, cls)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(data, dict):
        for k, v in data.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out += _paths(v, (*prefix, i))
    return out


def _replace(data: Any, path: tuple[Any, ...], junk: Any) -> Any:
    if not path:
        return junk
    copy = json.loads(json.dumps(data))
    node = copy
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = junk
    return copy


@given(
    grid=st.integers(2, 6).flatmap(lambda b: segment_grids(bins=b)),
    junk=JSON,
    pick=st.integers(0, 10**6),
)
def test_a_grid_with_one_bad_leaf_raises_only_otocore_errors(
    grid: SegmentGrid, junk: Any, pick: int
) -> None:
    data = converter.unstructure(grid)
    paths = _paths(data)
    broken = _replace(data, paths[pick % len(paths)], junk)
    for load in (SegmentGrid.from_json, lambda d: SegmentGrid.from_json(json.dumps(d))):
        with pytest.warns(DeprecationWarning, match="from_json"), contextlib.suppress(OtocoreError):
            load(broken)


@given(text=st.text(max_size=40) | st.binary(max_size=40))
def test_junk_text_raises_only_otocore_errors(text: str | bytes) -> None:
    with pytest.warns(DeprecationWarning, match="from_json"), contextlib.suppress(OtocoreError):
        SegmentGrid.from_json(text)


@pytest.mark.parametrize(
    "call",
    [
        lambda junk: rfv_scores(junk, date(2026, 5, 10)),
        lambda junk: rfv_scores([], junk),
        score_raw,
        lambda junk: quantile_scores(junk, bins=5, lower_is_better=False),
    ],
)
@given(junk=JSON)
def test_functions_raise_only_otocore_errors_for_junk(
    call: Callable[[Any], Any], junk: Any
) -> None:
    with contextlib.suppress(OtocoreError):
        call(junk)
