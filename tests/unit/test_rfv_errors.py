"""What RFV's errors say: the field path, the rule and the value, word for word.

Every refusal of :mod:`otocore.rfv` is a :class:`~otocore.errors.ValidationError`
(never a bare ``TypeError`` or ``KeyError``) that reads ``<field> <rule>, got
<value>``. These cases pin each message exactly, at the limits the docs give:
100 characters for ids and labels, 50 for segment keys, scores 1..10, 2..10
bins.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from types import FrameType
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta

from otocore import rfv
from otocore.errors import NotFound, ValidationError
from otocore.orders import Order, OrderStatus
from otocore.rfv import (
    MAX_BINS,
    MIN_BINS,
    RawRfv,
    RfvPolicy,
    RfvScore,
    RfvThresholds,
    ScoreRectangle,
    Segment,
    SegmentGrid,
    default_grid,
    quantile_scores,
    raw_values,
    rfv_scores,
    score_raw,
    threshold_score,
)

AS_OF = date(2026, 5, 10)
BOX = ScoreRectangle(r=(1, 5), f=(1, 5))
THRESHOLDS = RfvThresholds(
    recency=(30, 60, 90, 180),
    frequency=(2, 3, 5, 8),
    value=(Decimal(100), Decimal(500), Decimal(1000), Decimal(3000)),
)
RANGE_RULE = "must be a pair (lo, hi) of scores with 1 <= lo <= hi <= 10"
KEY_RULE = "must be a snake_case key such as 'cant_lose' (a-z, 0-9, _; max 50)"


def exactly(message: str) -> str:
    """A ``match=`` pattern for the whole message and nothing else."""
    return f"^{re.escape(message)}$"


def refused(call: Callable[[], object], field: str, value: Any, rule: str) -> ValidationError:
    """Run ``call``, expect one ValidationError saying ``field rule, got value``; return it."""
    with pytest.raises(ValidationError, match=exactly(f"{field} {rule}, got {value!r}")) as info:
        call()
    err = info.value
    assert (err.field, err.rule) == (field, rule)
    assert type(err.value) is type(value)  # the value as given (NaN is not == itself)
    return err


def order(
    n: int,
    customer: str = "A",
    day: date = date(2026, 5, 1),
    status: OrderStatus = OrderStatus.COMPLETED,
) -> Order:
    return Order(
        order_id=f"P{n}",
        customer_id=customer,
        store_id="L01",
        placed_at=datetime(day.year, day.month, day.day, 15, tzinfo=UTC),
        total=Decimal("10.00"),
        seller_code=None,
        status=status,
    )


def segment(key: str = "all", **changes: Any) -> Segment:
    fields: dict[str, Any] = {
        "key": key,
        "label_en": "All",
        "label_pt": "Todos",
        "rectangles": [BOX],
    }
    fields.update(changes)
    return Segment(**fields)


def score(**changes: Any) -> RfvScore:
    fields: dict[str, Any] = {
        "customer_id": "A",
        "recency_days": 2,
        "frequency": 4,
        "value": Decimal("1150.00"),
        "r": 5,
        "f": 5,
        "v": 4,
        "segment": "champions",
    }
    fields.update(changes)
    return RfvScore(**fields)


def raw(**changes: Any) -> RawRfv:
    fields: dict[str, Any] = {
        "customer_id": "A",
        "recency_days": 3,
        "frequency": 2,
        "value": Decimal("99.80"),
    }
    fields.update(changes)
    return RawRfv(**fields)


def thresholds(**changes: Any) -> RfvThresholds:
    fields: dict[str, Any] = {
        "recency": THRESHOLDS.recency,
        "frequency": THRESHOLDS.frequency,
        "value": THRESHOLDS.value,
    }
    fields.update(changes)
    return RfvThresholds(**fields)


def test_the_bounds_are_the_documented_ones() -> None:
    assert (MIN_BINS, MAX_BINS) == (2, 10)


# ScoreRectangle ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pair",
    [(1, 1), (1, 10), (10, 10), [3, 4]],
    ids=["ones", "widest", "tens", "list"],
)
def test_score_ranges_from_1_to_10_are_accepted(pair: Any) -> None:
    box = ScoreRectangle(r=pair, f=pair)
    assert box.r == box.f == tuple(pair)


@pytest.mark.parametrize(
    "pair",
    [
        5,  # not a pair at all: must not escape as a TypeError from len()
        None,
        "ab",  # two items, but a str
        (1,),
        (1, 2, 3),
        (),
        (1, "2"),
        ("1", 2),
        (1, 2.0),
        (True, 2),
        (1, True),
        (0, 1),
        (2, 1),
        (1, 11),
        (11, 11),
        (-1, 1),
    ],
)
@pytest.mark.parametrize("name", ["r", "f"])
def test_score_ranges_are_refused_with_the_rule(name: str, pair: Any) -> None:
    good: dict[str, Any] = {"r": (1, 1), "f": (1, 1)}
    refused(
        lambda: ScoreRectangle(**{**good, name: pair}), f"ScoreRectangle.{name}", pair, RANGE_RULE
    )


def test_cells_are_the_whole_inclusive_rectangle() -> None:
    assert ScoreRectangle(r=(2, 3), f=(4, 4)).cells() == [(2, 4), (3, 4)]
    assert len(ScoreRectangle(r=(1, 10), f=(1, 10)).cells()) == 100


# Segment --------------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["a", "cant_lose", "r5f5", "a" * 50, "x_" + "9" * 48])
def test_segment_keys_up_to_50_characters_are_accepted(key: str) -> None:
    assert segment(key).key == key


@pytest.mark.parametrize(
    "key",
    [
        "a" * 51,
        "Champions",
        "5_stars",
        "_hidden",
        "cant-lose",
        "cant lose",
        "cant_lose\n",
        "",
        5,
        None,
        b"cant_lose",
    ],
)
def test_segment_keys_are_refused_with_the_rule(key: Any) -> None:
    refused(lambda: segment(key), "Segment.key", key, KEY_RULE)


@pytest.mark.parametrize("name", ["label_en", "label_pt"])
def test_segment_labels_of_up_to_100_characters(name: str) -> None:
    assert getattr(segment(**{name: "L" * 100}), name) == "L" * 100
    long = "L" * 101
    refused(
        lambda: segment(**{name: long}), f"Segment.{name}", long, "must be at most 100 characters"
    )
    refused(lambda: segment(**{name: "  "}), f"Segment.{name}", "  ", "must not be empty")
    refused(lambda: segment(**{name: 7}), f"Segment.{name}", 7, "must be a string")


@pytest.mark.parametrize("rectangles", [(), [], None, "r1", BOX])
def test_segment_rectangles_must_be_a_non_empty_list(rectangles: Any) -> None:
    value = tuple(rectangles) if isinstance(rectangles, list) else rectangles
    refused(
        lambda: segment(rectangles=rectangles),
        "Segment.rectangles",
        value,
        "must be a non-empty list of ScoreRectangle",
    )


def test_each_rectangle_of_a_segment_must_be_a_score_rectangle() -> None:
    refused(
        lambda: segment(rectangles=[BOX, {"r": [1, 1], "f": [1, 1]}]),
        "Segment.rectangles[1]",
        {"r": [1, 1], "f": [1, 1]},
        "must be a ScoreRectangle",
    )


# SegmentGrid -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bins", "rule"),
    [
        (1, "must be >= 2"),
        (11, "must be <= 10"),
        (True, "must be an integer"),
        (2.0, "must be an integer"),
    ],
)
def test_grid_bins_are_2_to_10(bins: Any, rule: str) -> None:
    refused(lambda: SegmentGrid(bins=bins, segments=[segment()]), "SegmentGrid.bins", bins, rule)


def test_grids_of_2_and_10_bins_are_accepted() -> None:
    for bins in (2, 10):
        grid = SegmentGrid(
            bins=bins,
            segments=[segment(rectangles=[ScoreRectangle(r=(1, bins), f=(1, bins))])],
        )
        assert grid.segment(bins, 1) == grid.segment(1, bins) == "all"


@pytest.mark.parametrize("segments", [(), [], None, segment()])
def test_grid_segments_must_be_a_non_empty_list(segments: Any) -> None:
    value = tuple(segments) if isinstance(segments, list) else segments
    refused(
        lambda: SegmentGrid(bins=5, segments=segments),
        "SegmentGrid.segments",
        value,
        "must be a non-empty list of Segment",
    )


def test_each_segment_of_a_grid_must_be_a_segment() -> None:
    refused(
        lambda: SegmentGrid(bins=5, segments=[segment(), "lost"]),
        "SegmentGrid.segments[1]",
        "lost",
        "must be a Segment",
    )


def test_duplicate_key_names_the_first_segment_with_it() -> None:
    half = ScoreRectangle(r=(1, 1), f=(1, 2))
    other = ScoreRectangle(r=(2, 2), f=(1, 2))
    segs = [
        segment("a", rectangles=[half]),
        segment("b", rectangles=[ScoreRectangle(r=(2, 2), f=(1, 1))]),
        segment("a", rectangles=[ScoreRectangle(r=(2, 2), f=(2, 2))]),
    ]
    refused(
        lambda: SegmentGrid(bins=2, segments=segs),
        "SegmentGrid.segments[2].key",
        "a",
        "must be unique; segments[0] has the same key",
    )
    assert (
        SegmentGrid(bins=2, segments=[segment("a", rectangles=[half, other])]).segment(2, 2) == "a"
    )


def test_rectangle_beyond_the_bins_is_named_with_its_range() -> None:
    segs = [
        segment(
            "a",
            rectangles=[
                ScoreRectangle(r=(1, 2), f=(1, 1)),
                ScoreRectangle(r=(1, 1), f=(2, 3)),
                ScoreRectangle(r=(2, 2), f=(2, 2)),
            ],
        )
    ]
    err = refused(
        lambda: SegmentGrid(bins=2, segments=segs),
        "SegmentGrid.segments[0].rectangles[1].f",
        (2, 3),
        "must lie within 1..2",
    )
    assert len(err.errors) == 1  # its cell (1, 3) beyond the bins is skipped, not a gap or overlap
    segs = [
        segment(
            "a", rectangles=[ScoreRectangle(r=(1, 2), f=(1, 2)), ScoreRectangle(r=(3, 3), f=(3, 3))]
        )
    ]
    with pytest.raises(ValidationError) as info:
        SegmentGrid(bins=2, segments=segs)
    assert [(e.field, e.value, e.rule) for e in info.value.errors] == [
        ("SegmentGrid.segments[0].rectangles[1].r", (3, 3), "must lie within 1..2"),
        ("SegmentGrid.segments[0].rectangles[1].f", (3, 3), "must lie within 1..2"),
    ]


def test_an_overlap_names_both_rectangles_and_every_shared_pair() -> None:
    segs = [
        segment(
            "a", rectangles=[ScoreRectangle(r=(1, 1), f=(1, 2)), ScoreRectangle(r=(2, 2), f=(1, 2))]
        ),
        segment("b", label_en="B", rectangles=[ScoreRectangle(r=(1, 2), f=(2, 2))]),
    ]
    with pytest.raises(ValidationError) as info:
        SegmentGrid(bins=2, segments=segs)
    assert [(e.field, e.value) for e in info.value.errors] == [
        ("SegmentGrid.segments[1].rectangles[0]", [(1, 2)]),
        ("SegmentGrid.segments[1].rectangles[0]", [(2, 2)]),
    ]
    first, second = info.value.errors
    assert first.rule == (
        "overlaps segments[0].rectangles[0] ('a') on (r=1, f=2); "
        "every pair must belong to exactly one segment"
    )
    assert second.rule == (
        "overlaps segments[0].rectangles[1] ('a') on (r=2, f=2); "
        "every pair must belong to exactly one segment"
    )
    assert str(info.value) == (
        "2 errors:\n"
        f"  SegmentGrid.segments[1].rectangles[0] {first.rule}, got [(1, 2)]\n"
        f"  SegmentGrid.segments[1].rectangles[0] {second.rule}, got [(2, 2)]"
    )


def test_an_overlap_of_several_pairs_lists_them_all() -> None:
    segs = [
        segment("a", rectangles=[ScoreRectangle(r=(1, 2), f=(1, 2))]),
        segment("b", rectangles=[ScoreRectangle(r=(2, 2), f=(1, 2))]),
    ]
    err = refused(
        lambda: SegmentGrid(bins=2, segments=segs),
        "SegmentGrid.segments[1].rectangles[0]",
        [(2, 1), (2, 2)],
        "overlaps segments[0].rectangles[0] ('a') on (r=2, f=1), (r=2, f=2); "
        "every pair must belong to exactly one segment",
    )
    assert len(err.errors) == 1


def test_the_first_owner_of_a_pair_keeps_it() -> None:
    # the overlap is refused; the pair belonged to the first rectangle that held it
    segs = [
        segment("a", rectangles=[ScoreRectangle(r=(1, 2), f=(1, 1))]),
        segment("b", rectangles=[ScoreRectangle(r=(1, 2), f=(1, 2))]),
    ]
    with pytest.raises(ValidationError) as info:
        SegmentGrid(bins=2, segments=segs)
    (fault,) = info.value.errors
    assert fault.value == [(1, 1), (2, 1)]
    assert "segments[0].rectangles[0] ('a')" in fault.rule


def test_gaps_are_listed_in_order() -> None:
    segs = [segment("a", rectangles=[ScoreRectangle(r=(2, 3), f=(2, 3))])]
    refused(
        lambda: SegmentGrid(bins=3, segments=segs),
        "SegmentGrid.segments",
        [(1, 1), (1, 2), (1, 3), (2, 1), (3, 1)],
        "leave score pairs uncovered: (r=1, f=1), (r=1, f=2), (r=1, f=3), (r=2, f=1), (r=3, f=1); "
        "every pair with scores 1..3 must belong to exactly one segment",
    )


@pytest.mark.parametrize(
    ("r", "f", "field", "rule"),
    [
        (0, 1, "r", "must be >= 1"),
        (6, 1, "r", "must be <= 5"),
        (1, 0, "f", "must be >= 1"),
        (1, 6, "f", "must be <= 5"),  # once a KeyError
        (5, 6, "f", "must be <= 5"),
        ("1", 1, "r", "must be an integer"),
        (1, True, "f", "must be an integer"),
    ],
)
def test_segment_lookup_outside_the_grid(r: Any, f: Any, field: str, rule: str) -> None:
    value = r if field == "r" else f
    refused(lambda: default_grid().segment(r, f), field, value, rule)


def test_segment_lookup_at_the_corners() -> None:
    grid = default_grid()
    assert [grid.segment(r, f) for r, f in [(1, 1), (1, 5), (5, 1), (5, 5)]] == [
        "hibernating",
        "cant_lose",
        "new_customers",
        "champions",
    ]


def test_label_lookups() -> None:
    grid = default_grid()
    assert grid.label("champions") == grid.label("champions", lang="pt") == "Campeões"
    assert grid.label("champions", lang="en") == "Champions"
    refused(lambda: grid.label("champions", lang="es"), "lang", "es", "must be 'pt' or 'en'")
    refused(lambda: grid.label("champions", lang="PT"), "lang", "PT", "must be 'pt' or 'en'")
    with pytest.raises(NotFound, match=exactly("Segment 'lost' not found")):
        grid.label("lost")
    with pytest.raises(NotFound, match=exactly("Segment 'lost' not found")):
        grid.label("lost", lang="en")


# RfvThresholds --------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["recency", "frequency", "value"])
@pytest.mark.parametrize("points", [(), [], None, 30, "30"])
def test_cut_points_must_be_a_non_empty_list(name: str, points: Any) -> None:
    value = tuple(points) if isinstance(points, list) else points
    refused(
        lambda: thresholds(**{name: points}),
        f"RfvThresholds.{name}",
        value,
        "must be a non-empty list of cut points",
    )


@pytest.mark.parametrize("name", ["recency", "frequency"])
@pytest.mark.parametrize(
    ("point", "rule"),
    [
        (-1, "must be >= 0"),
        (2.5, "must be an integer"),
        (True, "must be an integer"),
        (Decimal(3), "must be an integer"),
    ],
)
def test_day_and_order_cut_points_are_integers_from_0(name: str, point: Any, rule: str) -> None:
    refused(lambda: thresholds(**{name: (1, point)}), f"RfvThresholds.{name}[1]", point, rule)
    assert getattr(thresholds(**{name: (0, 1)}), name) == (0, 1)


@pytest.mark.parametrize(
    ("point", "rule"),
    [
        (2, "must be a decimal.Decimal (never a float)"),
        (2.5, "must be a decimal.Decimal (never a float)"),
        (True, "must be a decimal.Decimal (never a float)"),
        ("2", "must be a decimal.Decimal (never a float)"),
        (Decimal(-1), "must be a finite decimal >= 0"),
        (Decimal("-0.01"), "must be a finite decimal >= 0"),
        (Decimal("Infinity"), "must be a finite decimal >= 0"),
    ],
)
def test_value_cut_points_are_decimals_from_0(point: Any, rule: str) -> None:
    refused(lambda: thresholds(value=(point,)), "RfvThresholds.value[0]", point, rule)


def test_a_nan_cut_point_is_named_not_compared() -> None:
    # NaN compares with nothing: it is refused by its index before any comparison.
    with pytest.raises(
        ValidationError,
        match=r"^RfvThresholds\.value\[1\] must be a finite decimal >= 0, got Decimal\('NaN'\)$",
    ):
        thresholds(value=(Decimal(0), Decimal("NaN")))


def test_value_cut_points_from_0_and_below_1_are_accepted() -> None:
    points = (Decimal(0), Decimal("0.5"), Decimal("0.99"), Decimal(1))
    assert thresholds(value=points).value == points


@pytest.mark.parametrize("name", ["recency", "frequency"])
@pytest.mark.parametrize("points", [(5, 5), (1, 5, 5), (5, 4), (1, 2, 3, 2)])
def test_cut_points_must_be_strictly_ascending(name: str, points: tuple[int, ...]) -> None:
    refused(
        lambda: thresholds(**{name: points}),
        f"RfvThresholds.{name}",
        points,
        "must be strictly ascending (each cut point above the one before)",
    )


def test_value_cut_points_must_be_strictly_ascending() -> None:
    points = (Decimal(1), Decimal("1.00"))
    refused(
        lambda: thresholds(value=points),
        "RfvThresholds.value",
        points,
        "must be strictly ascending (each cut point above the one before)",
    )


# RfvPolicy ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("bins", "rule"),
    [
        (1, "must be >= 2"),
        (11, "must be <= 10"),
        (True, "must be an integer"),
        ("5", "must be an integer"),
    ],
)
def test_policy_bins(bins: Any, rule: str) -> None:
    refused(lambda: RfvPolicy(bins=bins), "RfvPolicy.bins", bins, rule)


def test_policy_window_over_100_years_is_refused_by_its_cap() -> None:
    window = relativedelta(years=100, days=1)
    refused(
        lambda: RfvPolicy(window=window), "RfvPolicy.window", window, "must be at most 100 years"
    )
    assert RfvPolicy(window=relativedelta(years=100)).window == relativedelta(years=100)


def test_policy_thresholds_of_the_wrong_type() -> None:
    refused(
        lambda: RfvPolicy(thresholds="quantile"),  # type: ignore[arg-type]
        "RfvPolicy.thresholds",
        "quantile",
        "must be None (quantile scoring) or an RfvThresholds (threshold scoring)",
    )


@pytest.mark.parametrize("name", ["recency", "frequency", "value"])
def test_policy_thresholds_need_bins_minus_one_points_in_every_dimension(name: str) -> None:
    points = getattr(THRESHOLDS, name)[:3]
    cut = thresholds(**{name: points})
    refused(
        lambda: RfvPolicy(thresholds=cut),
        f"RfvPolicy.thresholds.{name}",
        points,
        "must have bins - 1 = 4 cut points for bins=5",
    )


def test_policy_thresholds_for_two_bins() -> None:
    grid = SegmentGrid(bins=2, segments=[segment(rectangles=[ScoreRectangle(r=(1, 2), f=(1, 2))])])
    cut = RfvThresholds(recency=(30,), frequency=(2,), value=(Decimal(100),))
    policy = RfvPolicy(bins=2, grid=grid, thresholds=cut)
    assert policy.thresholds == cut
    refused(
        lambda: RfvPolicy(bins=2, grid=grid, thresholds=THRESHOLDS),
        "RfvPolicy.thresholds.recency",
        THRESHOLDS.recency,
        "must have bins - 1 = 1 cut points for bins=2",
    )


def test_policy_grid() -> None:
    refused(lambda: RfvPolicy(grid="default"), "RfvPolicy.grid", "default", "must be a SegmentGrid")  # type: ignore[arg-type]
    grid = SegmentGrid(bins=2, segments=[segment(rectangles=[ScoreRectangle(r=(1, 2), f=(1, 2))])])
    refused(
        lambda: RfvPolicy(grid=grid),
        "RfvPolicy.grid.bins",
        2,
        "must equal RfvPolicy.bins (5); the default grid is for 5 bins, so pass a grid of your own",
    )


# RawRfv and RfvScore ---------------------------------------------------------------------


@pytest.mark.parametrize("build", [raw, score], ids=["RawRfv", "RfvScore"])
def test_customer_ids_of_up_to_100_characters(build: Callable[..., Any]) -> None:
    cls = "RawRfv" if build is raw else "RfvScore"
    assert build(customer_id="C" * 100).customer_id == "C" * 100
    long = "C" * 101
    refused(
        lambda: build(customer_id=long),
        f"{cls}.customer_id",
        long,
        "must be at most 100 characters",
    )
    refused(lambda: build(customer_id=""), f"{cls}.customer_id", "", "must not be empty")


@pytest.mark.parametrize("build", [raw, score], ids=["RawRfv", "RfvScore"])
def test_raw_numbers(build: Callable[..., Any]) -> None:
    cls = "RawRfv" if build is raw else "RfvScore"
    refused(lambda: build(recency_days=-1), f"{cls}.recency_days", -1, "must be >= 0")
    refused(lambda: build(frequency=-1), f"{cls}.frequency", -1, "must be >= 0")
    refused(lambda: build(frequency=2.0), f"{cls}.frequency", 2.0, "must be an integer")
    refused(
        lambda: build(value=10.5), f"{cls}.value", 10.5, "must be a decimal.Decimal (never a float)"
    )
    refused(
        lambda: build(value=Decimal(-1)),
        f"{cls}.value",
        Decimal(-1),
        "must be a finite decimal >= 0",
    )
    refused(
        lambda: build(frequency=0, value=Decimal("0.01")),
        f"{cls}.value",
        Decimal("0.01"),
        "must be 0 when frequency is 0 (no orders, no value)",
    )
    none = build(recency_days=0, frequency=0, value=Decimal("0.00"))
    assert (none.recency_days, none.frequency, none.value) == (0, 0, Decimal(0))
    assert build(frequency=1, value=Decimal(0)).value == 0


@pytest.mark.parametrize("name", ["r", "f", "v"])
def test_scores_are_1_to_10(name: str) -> None:
    refused(lambda: score(**{name: 0}), f"RfvScore.{name}", 0, "must be >= 1")
    refused(lambda: score(**{name: 11}), f"RfvScore.{name}", 11, "must be <= 10")
    refused(lambda: score(**{name: True}), f"RfvScore.{name}", True, "must be an integer")
    assert getattr(score(**{name: 1}), name) == 1
    assert getattr(score(**{name: 10}), name) == 10


def test_score_segment_is_a_key() -> None:
    refused(lambda: score(segment="Champions"), "RfvScore.segment", "Champions", KEY_RULE)


# quantile_scores and threshold_score -----------------------------------------------------


@pytest.mark.parametrize(
    ("bins", "rule"), [(1, "must be >= 2"), (11, "must be <= 10"), (True, "must be an integer")]
)
def test_quantile_bins(bins: Any, rule: str) -> None:
    refused(lambda: quantile_scores([1], bins=bins, lower_is_better=False), "bins", bins, rule)
    assert quantile_scores([1, 2], bins=2, lower_is_better=False) == [1, 2]
    assert quantile_scores(range(10), bins=10, lower_is_better=True) == list(range(10, 0, -1))


@pytest.mark.parametrize("values", ["123", b"12", {1: 2}, 5, None])
def test_quantile_values_must_be_an_iterable(values: Any) -> None:
    refused(
        lambda: quantile_scores(values, bins=5, lower_is_better=False),
        "values",
        values,
        "must be an iterable of int or Decimal",
    )


@pytest.mark.parametrize(
    ("values", "field", "value", "rule"),
    [
        ([1, 2.5], "values[1]", 2.5, "must be an int or a decimal.Decimal"),
        ([True], "values[0]", True, "must be an int or a decimal.Decimal"),
        ([1, "2"], "values[1]", "2", "must be an int or a decimal.Decimal"),
        ([Decimal(1), Decimal("NaN")], "values[1]", Decimal("NaN"), "must be a finite number"),
        ([Decimal("-Infinity")], "values[0]", Decimal("-Infinity"), "must be a finite number"),
        ([1, Decimal(2)], "values", [1, Decimal(2)], "must be all int or all Decimal, not a mix"),
    ],
)
def test_quantile_values_are_all_ints_or_all_finite_decimals(
    values: list[Any], field: str, value: Any, rule: str
) -> None:
    refused(lambda: quantile_scores(values, bins=5, lower_is_better=False), field, value, rule)


def test_quantile_values_may_be_any_iterable() -> None:
    assert quantile_scores(iter([3, 1]), bins=2, lower_is_better=False) == [2, 1]
    assert quantile_scores((Decimal(1), Decimal(-1)), bins=2, lower_is_better=False) == [2, 1]
    assert quantile_scores([], bins=5, lower_is_better=False) == []


@pytest.mark.parametrize("points", [(2, 2), (1, 3, 3), (3, 2), (Decimal(1), Decimal("1.0"))])
def test_threshold_cut_points_must_be_strictly_ascending(points: tuple[Any, ...]) -> None:
    x = points[0]
    for lower_is_better in (False, True):
        refused(
            lambda: threshold_score(x, points, lower_is_better=lower_is_better),  # noqa: B023
            "cut_points",
            points,
            "must be strictly ascending",
        )


@pytest.mark.parametrize("points", [[1, 2], None, 2, "12"])
def test_threshold_cut_points_must_be_a_tuple(points: Any) -> None:
    refused(
        lambda: threshold_score(1, points, lower_is_better=False),
        "cut_points",
        points,
        "must be a tuple of ascending cut points",
    )


@pytest.mark.parametrize(
    ("x", "points", "field", "value", "rule"),
    [
        (1.5, (1, 2), "cut_points[2]", 1.5, "must be an int or a decimal.Decimal"),
        (1, (1, 2.5), "cut_points[1]", 2.5, "must be an int or a decimal.Decimal"),
        (
            1,
            (Decimal(1),),
            "cut_points",
            [Decimal(1), 1],
            "must be all int or all Decimal, not a mix",
        ),
        (Decimal("NaN"), (Decimal(1),), "cut_points[1]", Decimal("NaN"), "must be a finite number"),
    ],
)
def test_threshold_operands_are_compared_exactly(
    x: Any, points: tuple[Any, ...], field: str, value: Any, rule: str
) -> None:
    refused(lambda: threshold_score(x, points, lower_is_better=False), field, value, rule)


def test_threshold_with_a_single_cut_point() -> None:
    assert [threshold_score(x, (5,), lower_is_better=False) for x in (4, 5, 6)] == [1, 2, 2]
    assert [threshold_score(x, (5,), lower_is_better=True) for x in (4, 5, 6)] == [2, 2, 1]
    assert threshold_score(0, (), lower_is_better=False) == 1


# raw_values, score_raw and rfv_scores ------------------------------------------------------


@pytest.mark.parametrize("call", [raw_values, rfv_scores], ids=["raw_values", "rfv_scores"])
def test_as_of_and_policy_are_checked(call: Callable[..., Any]) -> None:
    refused(
        lambda: call([], "2026-05-10"),
        "as_of",
        "2026-05-10",
        "must be a datetime.date (a local calendar day)",
    )
    refused(lambda: call([], AS_OF, policy=None), "policy", None, "must be a RfvPolicy")
    refused(
        lambda: call([], date(1, 12, 31)),
        "as_of",
        date(1, 12, 31),
        "is too early for the policy's window (as_of - window is before year 1)",
    )
    assert call([], date(2, 1, 1)) in (None, {})


@pytest.mark.parametrize("call", [raw_values, rfv_scores], ids=["raw_values", "rfv_scores"])
def test_orders_are_checked_one_by_one(call: Callable[..., Any]) -> None:
    for junk in ("P1", {"P1": 1}, 7, None):
        refused(lambda: call(junk, AS_OF), "orders", junk, "must be an iterable of Order")  # noqa: B023
    refused(
        lambda: call([order(1), "P2"], AS_OF), "orders[1]", "P2", "must be an otocore.orders.Order"
    )
    one = order(1)
    refused(
        lambda: call([one, order(2), one], AS_OF),
        "orders[2].order_id",
        "P1",
        "must be unique; the same order was given twice",
    )


def test_a_cancelled_duplicate_is_still_a_duplicate() -> None:
    cancelled = order(1, status=OrderStatus.CANCELLED)
    refused(
        lambda: rfv_scores([order(2), cancelled, cancelled], AS_OF),
        "orders[2].order_id",
        "P1",
        "must be unique; the same order was given twice",
    )


def test_raw_values_of_two_customers_names_both() -> None:
    history = [order(1, "B"), order(2, "A"), order(3, "C", status=OrderStatus.CANCELLED)]
    refused(
        lambda: raw_values(history, AS_OF),
        "orders",
        "B",
        "must all belong to one customer (found 'A' and 'B'); use rfv_scores() for a whole brand",
    )


def test_raw_values_of_one_customer_from_any_iterable() -> None:
    history = (order(1), order(2, day=date(2026, 5, 9)))
    expected = RawRfv(customer_id="A", recency_days=1, frequency=2, value=Decimal("20.00"))
    assert raw_values(history, AS_OF) == expected
    assert raw_values(iter(history), AS_OF) == expected
    assert raw_values([], AS_OF) is None


def test_score_raw_checks_policy_and_each_raw() -> None:
    refused(lambda: score_raw([], policy="default"), "policy", "default", "must be a RfvPolicy")  # type: ignore[arg-type]
    refused(lambda: score_raw("A"), "raws", "A", "must be an iterable of RawRfv")  # type: ignore[arg-type]
    refused(
        lambda: score_raw([raw(), {"customer_id": "B"}]),
        "raws[1]",
        {"customer_id": "B"},
        "must be a RawRfv",
    )  # type: ignore[list-item]
    refused(
        lambda: score_raw([raw(customer_id="A"), raw(customer_id="B"), raw(customer_id="A")]),
        "raws[2].customer_id",
        "A",
        "must be unique among raws",
    )


def test_pairs_beyond_the_bins_are_neither_owned_nor_overlapping() -> None:
    # Two rectangles share (1, 3) and (2, 3), outside a 2-bin grid: each is
    # refused for its range, and the shared pairs are not reported as overlaps.
    segs = [
        segment("a", rectangles=[ScoreRectangle(r=(1, 2), f=(1, 3))]),
        segment("b", rectangles=[ScoreRectangle(r=(1, 2), f=(3, 3))]),
        segment("c", rectangles=[ScoreRectangle(r=(3, 3), f=(1, 2))]),
        segment("d", rectangles=[ScoreRectangle(r=(3, 3), f=(1, 1))]),
    ]
    with pytest.raises(ValidationError) as info:
        SegmentGrid(bins=2, segments=segs)
    assert [(e.field, e.value, e.rule) for e in info.value.errors] == [
        ("SegmentGrid.segments[0].rectangles[0].f", (1, 3), "must lie within 1..2"),
        ("SegmentGrid.segments[1].rectangles[0].f", (3, 3), "must lie within 1..2"),
        ("SegmentGrid.segments[2].rectangles[0].r", (3, 3), "must lie within 1..2"),
        ("SegmentGrid.segments[3].rectangles[0].r", (3, 3), "must lie within 1..2"),
    ]


# the shipped default grid and the deprecated loader -------------------------------------

DEFAULT_LABELS = {
    "champions": ("Champions", "Campeões"),
    "loyal_customers": ("Loyal customers", "Clientes fiéis"),
    "potential_loyalists": ("Potential loyalists", "Potenciais fiéis"),
    "new_customers": ("New customers", "Clientes novos"),
    "promising": ("Promising", "Promissores"),
    "need_attention": ("Need attention", "Precisam de atenção"),
    "about_to_sleep": ("About to sleep", "Quase dormindo"),
    "at_risk": ("At risk", "Em risco"),
    "cant_lose": ("Can't lose them", "Não podemos perder"),
    "hibernating": ("Hibernating", "Hibernando"),
}
DEFAULT_ROWS = {  # R from 5 down to 1, F from 1 to 5, as in default_grid's docstring
    5: ["new_customers", "potential_loyalists", "potential_loyalists", "champions", "champions"],
    4: [
        "promising",
        "potential_loyalists",
        "potential_loyalists",
        "loyal_customers",
        "loyal_customers",
    ],
    3: ["about_to_sleep", "about_to_sleep", "need_attention", "loyal_customers", "loyal_customers"],
    2: ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
    1: ["hibernating", "hibernating", "at_risk", "at_risk", "cant_lose"],
}


def test_the_data_file_reads_to_the_documented_grid_every_time() -> None:
    # default_grid() is cached; its body is run again, uncached, to read the file afresh.
    fresh = default_grid.__wrapped__()
    assert fresh is not default_grid()
    assert fresh == default_grid()
    assert fresh.bins == 5
    assert {s.key: (s.label_en, s.label_pt) for s in fresh.segments} == DEFAULT_LABELS
    assert list(DEFAULT_LABELS) == [s.key for s in fresh.segments]
    for r, row in DEFAULT_ROWS.items():
        assert [fresh.segment(r, f) for f in range(1, 6)] == row
    assert all(isinstance(box.r, tuple) for s in fresh.segments for box in s.rectangles)


def test_from_json_warns_at_the_callers_line() -> None:
    text = (
        '{"bins": 2, "segments": [{"key": "all", "label_en": "All", "label_pt": "Todos",'
        ' "rectangles": [{"r": [1, 2], "f": [1, 2]}]}]}'
    )
    # stacklevel=2: the warning points at the line that called the function that
    # warns. That line is recorded when the call happens (it is this file's, or
    # that of a wrapper such as mutmut's trampoline when one sits in between).
    callers: list[tuple[str, int]] = []

    def record(frame: FrameType, event: str, arg: object) -> None:
        code = frame.f_code
        if event == "call" and code.co_filename == rfv.__file__ and "from_json" in code.co_name:
            caller = frame.f_back
            assert caller is not None
            callers.append((caller.f_code.co_filename, caller.f_lineno))

    previous = sys.getprofile()
    sys.setprofile(record)
    try:
        with pytest.warns(
            DeprecationWarning, match="^SegmentGrid.from_json is deprecated"
        ) as caught:
            grid = SegmentGrid.from_json(text)
    finally:
        sys.setprofile(previous)
    (warning,) = caught
    assert (warning.filename, warning.lineno) == callers[-1]
    assert warning.filename != rfv.__file__
    assert "_pytest" not in Path(warning.filename).parts
    assert str(warning.message) == (
        "SegmentGrid.from_json is deprecated; use otocore.serialization.loads(text, SegmentGrid)"
    )
    assert grid.segment(2, 2) == "all"
    with pytest.warns(DeprecationWarning, match="from_json"):
        assert SegmentGrid.from_json(text.encode()) == grid
    with pytest.warns(DeprecationWarning, match="from_json"):
        assert SegmentGrid.from_json(json.loads(text)) == grid


@pytest.mark.parametrize(
    ("as_of", "window"),
    [
        (date(1, 12, 31), relativedelta(months=12)),  # year 0: a ValueError inside
        (date(1, 1, 30), relativedelta(days=30)),  # before date.min: an OverflowError inside
        (date(1, 1, 1), relativedelta(days=1)),
    ],
)
def test_a_window_reaching_before_year_1_is_named(as_of: date, window: relativedelta) -> None:
    policy = RfvPolicy(window=window)
    for call in (raw_values, rfv_scores):
        refused(
            lambda: call([], as_of, policy=policy),  # noqa: B023
            "as_of",
            as_of,
            "is too early for the policy's window (as_of - window is before year 1)",
        )
    assert rfv_scores([], date(1, 1, 31), policy=RfvPolicy(window=relativedelta(days=30))) == {}
