"""Worked examples for RFV (recência, frequência, valor).

The seed ``oto-faq.txt`` defines the three numbers: "Recência: número de dias
desde sua última compra; Frequência: número de compras; Valor: valor monetário
(R$)". ``reshop-customers-module.txt`` counts purchases "em um período
específico". Every expected number below is worked out by hand in the comments.
"""

from __future__ import annotations

import json
import re
import sqlite3
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from _support.builders import SP
from otocore._time import in_window, local_day, window_start
from otocore.errors import NotFound, ValidationError
from otocore.orders import Order, OrderStatus
from otocore.rfv import (
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
from otocore.serialization import converter

_counter = iter(range(1, 10**9))


def order(
    customer: str,
    when: datetime,
    total: str = "100.00",
    status: OrderStatus = OrderStatus.COMPLETED,
) -> Order:
    return Order(
        order_id=f"P{next(_counter)}",
        customer_id=customer,
        store_id="L01",
        placed_at=when,
        total=Decimal(total),
        seller_code=None,
        status=status,
    )


def noon(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 12, tzinfo=SP)


def raw(cid: str, days: int, freq: int, value: str) -> RawRfv:
    return RawRfv(customer_id=cid, recency_days=days, frequency=freq, value=Decimal(value))


# the small brand of the module docstring ------------------------------------------


def small_brand() -> list[Order]:
    return [
        order("ANA", noon(2026, 5, 8), "300.00"),
        order("ANA", noon(2026, 4, 1), "200.00"),
        order("ANA", noon(2025, 12, 10), "500.00"),
        order("ANA", noon(2025, 9, 1), "150.00"),
        order("BIA", noon(2026, 5, 1), "120.00"),
        order("CAIO", noon(2025, 11, 20), "80.00"),
        order("CAIO", noon(2025, 6, 15), "80.00"),
        order("DUDA", noon(2026, 2, 14), "450.00"),
        order("DUDA", noon(2026, 1, 10), "450.00"),
        order("DUDA", noon(2025, 10, 5), "300.00"),
        order("EDU", noon(2024, 12, 24), "900.00"),
    ]


def test_small_brand_by_hand() -> None:
    # as_of 2026-05-10, 12 months: the window is 2025-05-11 .. 2026-05-10.
    # Recency: ANA 2, BIA 9, CAIO 171 (2025-11-20), DUDA 85 (2026-02-14),
    # EDU 502 (2024-12-24, outside the window: frequency 0, value 0).
    # n = 5 = bins, so score = 1 + floor(5 w / 5) = 1 + w (w = strictly worse).
    scores = rfv_scores(small_brand(), date(2026, 5, 10))
    got = {
        c: (s.recency_days, s.frequency, s.value, s.r, s.f, s.v, s.segment)
        for c, s in scores.items()
    }
    assert got == {
        "ANA": (2, 4, Decimal("1150.00"), 5, 5, 4, "champions"),
        "BIA": (9, 1, Decimal("120.00"), 4, 2, 2, "potential_loyalists"),
        "CAIO": (171, 2, Decimal("160.00"), 2, 3, 3, "at_risk"),
        "DUDA": (85, 3, Decimal("1200.00"), 3, 4, 5, "loyal_customers"),
        "EDU": (502, 0, Decimal(0), 1, 1, 1, "hibernating"),
    }
    assert list(scores) == sorted(scores)
    assert scores["ANA"] == RfvScore(
        customer_id="ANA",
        recency_days=2,
        frequency=4,
        value=Decimal("1150.00"),
        r=5,
        f=5,
        v=4,
        segment="champions",
    )


def test_ties_by_hand_with_more_customers_than_bins() -> None:
    # n = 8, bins = 5: score = 1 + floor(5 w / 8).
    raws = [
        raw("C1", 3, 5, "1000.00"),
        raw("C2", 3, 2, "300.00"),
        raw("C3", 40, 2, "300.00"),
        raw("C4", 40, 1, "80.00"),
        raw("C5", 100, 1, "80.00"),
        raw("C6", 200, 1, "50.00"),
        raw("C7", 400, 0, "0"),
        raw("C8", 400, 0, "0"),
    ]
    # recency, worst first: 400 x2 (w=0 -> 1), 200 (w=2 -> 1+10//8=2),
    #   100 (w=3 -> 1+15//8=2), 40 x2 (w=4 -> 1+20//8=3), 3 x2 (w=6 -> 1+30//8=4)
    # frequency: 0 x2 (w=0 -> 1), 1 x3 (w=2 -> 2), 2 x2 (w=5 -> 1+25//8=4), 5 (w=7 -> 5)
    # value: 0 x2 (1), 50 (w=2 -> 2), 80 x2 (w=3 -> 2), 300 x2 (w=5 -> 4), 1000 (w=7 -> 5)
    got = {c: (s.r, s.f, s.v, s.segment) for c, s in score_raw(raws).items()}
    assert got == {
        "C1": (4, 5, 5, "loyal_customers"),
        "C2": (4, 4, 4, "loyal_customers"),
        "C3": (3, 4, 4, "loyal_customers"),
        "C4": (3, 2, 2, "about_to_sleep"),
        "C5": (2, 2, 2, "hibernating"),
        "C6": (2, 2, 2, "hibernating"),
        "C7": (1, 1, 1, "hibernating"),
        "C8": (1, 1, 1, "hibernating"),
    }


def test_everyone_tied_scores_one_and_a_lone_customer_scores_one() -> None:
    # w = 0 for everyone: nobody is strictly worse than anybody.
    same = [raw(f"C{i}", 10, 2, "50.00") for i in range(7)]
    assert {(s.r, s.f, s.v) for s in score_raw(same).values()} == {(1, 1, 1)}
    assert [(s.r, s.f, s.v) for s in score_raw([raw("C1", 0, 9, "9.99")]).values()] == [(1, 1, 1)]
    assert score_raw([]) == {}
    assert rfv_scores([], date(2026, 5, 10)) == {}


def test_equal_values_with_different_exponents_are_ties() -> None:
    # Decimal("80.0") == Decimal("80.00"): compared exactly, as numbers.
    raws = [raw("A", 1, 1, "80.0"), raw("B", 1, 1, "80.00"), raw("C", 1, 1, "80.01")]
    scores = score_raw(raws)
    assert scores["A"].v == scores["B"].v < scores["C"].v


# local days, DST and the window edge ---------------------------------------------


def test_order_at_2330_local_on_the_window_edge_during_dst() -> None:
    # Brazil still had DST in 2018/19: UTC-2 from 2018-11-04 to 2019-02-17,
    # and from 2017-10-15 to 2018-02-18. as_of 2019-02-16, 12 months: the
    # window starts after 2018-02-16.
    as_of = date(2019, 2, 16)
    edge = datetime(2018, 2, 17, 1, 30, tzinfo=UTC)  # 2018-02-16 23:30 local (UTC-2)
    inside = datetime(2018, 2, 17, 2, 30, tzinfo=UTC)  # 2018-02-17 00:30 local
    assert local_day(edge, SP) == date(2018, 2, 16)
    assert edge.date() == date(2018, 2, 17)  # in UTC it would have counted
    assert not in_window(local_day(edge, SP), as_of, relativedelta(months=12))
    history = [
        order("A", edge, "70.00"),
        order("B", inside, "30.00"),
    ]
    scores = rfv_scores(history, as_of)
    assert (scores["A"].recency_days, scores["A"].frequency, scores["A"].value) == (
        365,
        0,
        Decimal(0),
    )
    assert (scores["B"].recency_days, scores["B"].frequency, scores["B"].value) == (
        364,
        1,
        Decimal("30.00"),
    )


def test_repeated_hour_at_the_end_of_dst_belongs_to_as_of() -> None:
    # DST ended at 2019-02-17 00:00 local: 23:00-23:59 of the 16th happened
    # twice. Both 23:30s are on the local day 2019-02-16 = as_of and count,
    # although both are on the 17th in UTC; 00:30 of the 17th is after as_of.
    first = datetime(2019, 2, 16, 23, 30, tzinfo=SP)  # fold=0, UTC-2
    second = datetime(2019, 2, 16, 23, 30, fold=1, tzinfo=SP)  # UTC-3
    later = datetime(2019, 2, 17, 0, 30, tzinfo=SP)
    assert first.astimezone(UTC) == datetime(2019, 2, 17, 1, 30, tzinfo=UTC)
    assert second.astimezone(UTC) == datetime(2019, 2, 17, 2, 30, tzinfo=UTC)
    history = [order("A", first, "10.00"), order("A", second, "20.00"), order("A", later)]
    got = raw_values(history, date(2019, 2, 16))
    assert got == RawRfv(customer_id="A", recency_days=0, frequency=2, value=Decimal("30.00"))


def test_policy_time_zone_changes_the_local_day() -> None:
    # 2026-05-11 01:00 UTC is the 10th in São Paulo (22:00) and the 11th in UTC.
    when = datetime(2026, 5, 11, 1, 0, tzinfo=UTC)
    history = [order("A", when)]
    assert raw_values(history, date(2026, 5, 10)) is not None
    assert raw_values(history, date(2026, 5, 10), policy=RfvPolicy(time_zone="UTC")) is None


def test_window_is_exclusive_at_the_start_and_inclusive_at_as_of() -> None:
    as_of = date(2026, 5, 10)
    history = [
        order("A", noon(2025, 5, 10), "1.00"),  # as_of - 12 months: outside
        order("A", noon(2025, 5, 11), "2.00"),  # first day inside
        order("A", noon(2026, 5, 10), "4.00"),  # as_of itself: inside
        order("A", noon(2026, 5, 11), "8.00"),  # after as_of: ignored entirely
    ]
    assert raw_values(history, as_of) == raw("A", 0, 2, "6.00")


def test_leap_day_window() -> None:
    # 2024-02-29 minus 12 months is 2023-02-28 (relativedelta clamps).
    assert window_start(date(2024, 2, 29), relativedelta(months=12)) == date(2023, 2, 28)
    history = [order("A", noon(2023, 2, 28), "1.00"), order("A", noon(2023, 3, 1), "2.00")]
    assert raw_values(history, date(2024, 2, 29)) == raw("A", 365, 1, "2.00")


def test_window_of_days() -> None:
    policy = RfvPolicy(window=relativedelta(days=30))
    history = [order("A", noon(2026, 4, 10), "1.00"), order("A", noon(2026, 4, 11), "2.00")]
    # 2026-05-10 - 30 days = 2026-04-10 (excluded)
    assert raw_values(history, date(2026, 5, 10), policy=policy) == raw("A", 29, 1, "2.00")


def test_cancelled_and_future_orders_do_not_count_even_for_recency() -> None:
    history = [
        order("A", noon(2026, 1, 10), "100.00"),
        order("A", noon(2026, 5, 9), "999.00", status=OrderStatus.CANCELLED),
        order("A", noon(2026, 6, 1), "999.00"),
    ]
    assert raw_values(history, date(2026, 5, 10)) == raw("A", 120, 1, "100.00")
    only_cancelled = [order("B", noon(2026, 5, 9), status=OrderStatus.CANCELLED)]
    assert raw_values(only_cancelled, date(2026, 5, 10)) is None
    assert rfv_scores(only_cancelled, date(2026, 5, 10)) == {}


def test_customer_outside_the_window_is_still_scored() -> None:
    history = [order("OLD", noon(2020, 1, 1)), order("NEW", noon(2026, 5, 1))]
    scores = rfv_scores(history, date(2026, 5, 10))
    assert (scores["OLD"].frequency, scores["OLD"].value) == (0, Decimal(0))
    assert (scores["OLD"].r, scores["OLD"].f, scores["OLD"].v) == (1, 1, 1)
    assert (scores["NEW"].r, scores["NEW"].f, scores["NEW"].v) == (3, 3, 3)  # 1 + 5*1//2


# threshold scoring -----------------------------------------------------------------


THRESHOLDS = RfvThresholds(
    recency=(30, 60, 90, 180),
    frequency=(2, 3, 5, 8),
    value=(Decimal(100), Decimal(500), Decimal(1000), Decimal(3000)),
)


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, 5), (30, 5), (31, 4), (60, 4), (61, 3), (90, 3), (91, 2), (180, 2), (181, 1), (999, 1)],
)
def test_threshold_recency(days: int, expected: int) -> None:
    assert threshold_score(days, THRESHOLDS.recency, lower_is_better=True) == expected


@pytest.mark.parametrize(
    ("orders", "expected"), [(0, 1), (1, 1), (2, 2), (3, 3), (4, 3), (5, 4), (7, 4), (8, 5)]
)
def test_threshold_frequency(orders: int, expected: int) -> None:
    assert threshold_score(orders, THRESHOLDS.frequency, lower_is_better=False) == expected


def test_threshold_scoring_through_the_policy() -> None:
    policy = RfvPolicy(thresholds=THRESHOLDS)
    raws = [raw("A", 30, 8, "3000.00"), raw("B", 181, 1, "99.99"), raw("C", 45, 3, "500")]
    got = {c: (s.r, s.f, s.v, s.segment) for c, s in score_raw(raws, policy=policy).items()}
    # thresholds do not depend on the other customers: A alone scores the same
    assert got == {
        "A": (5, 5, 5, "champions"),
        "B": (1, 1, 1, "hibernating"),
        "C": (4, 3, 3, "potential_loyalists"),
    }
    assert score_raw(raws[:1], policy=policy)["A"].r == 5


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"recency": (30, 30, 90, 180)}, "RfvThresholds.recency", "must be strictly ascending"),
        ({"recency": (90, 60, 30, 10)}, "RfvThresholds.recency", "must be strictly ascending"),
        ({"frequency": (-1, 3, 5, 8)}, "RfvThresholds.frequency[0]", "must be >= 0"),
        ({"frequency": (1, 2.5, 5, 8)}, "RfvThresholds.frequency[1]", "must be an integer"),
        (
            {"value": (Decimal(1), 2, Decimal(3), Decimal(4))},
            "RfvThresholds.value[1]",
            "must be a decimal.Decimal",
        ),
        (
            {"value": (Decimal(1), Decimal("NaN"))},
            "RfvThresholds.value[1]",
            "must be a finite decimal >= 0",
        ),
        ({"value": ()}, "RfvThresholds.value", "must be a non-empty list of cut points"),
    ],
)
def test_bad_thresholds(changes: dict[str, object], field: str, rule: str) -> None:
    fields: dict[str, object] = {
        "recency": THRESHOLDS.recency,
        "frequency": THRESHOLDS.frequency,
        "value": THRESHOLDS.value,
    }
    fields.update(changes)
    with pytest.raises(ValidationError, match=rf"^{re.escape(field)} {re.escape(rule)}") as info:
        RfvThresholds(**fields)  # type: ignore[arg-type]
    assert info.value.field == field


def test_thresholds_must_have_bins_minus_one_points() -> None:
    with pytest.raises(ValidationError, match=r"must have bins - 1 = 2 cut points") as info:
        RfvPolicy(bins=3, thresholds=THRESHOLDS, grid=three_bin_grid())
    assert info.value.field == "RfvPolicy.thresholds.recency"


# the segment grid ----------------------------------------------------------------


def three_bin_grid() -> SegmentGrid:
    with pytest.warns(DeprecationWarning, match="from_json"):
        return SegmentGrid.from_json(
            {
                "bins": 3,
                "segments": [
                    {
                        "key": "best",
                        "label_en": "Best",
                        "label_pt": "Melhores",
                        "rectangles": [{"r": [3, 3], "f": [2, 3]}],
                    },
                    {
                        "key": "fresh",
                        "label_en": "Fresh",
                        "label_pt": "Recentes",
                        "rectangles": [{"r": [3, 3], "f": [1, 1]}, {"r": [2, 2], "f": [1, 3]}],
                    },
                    {
                        "key": "gone",
                        "label_en": "Gone",
                        "label_pt": "Sumidos",
                        "rectangles": [{"r": [1, 1], "f": [1, 3]}],
                    },
                ],
            }
        )


def test_default_grid_is_the_usual_map() -> None:
    # The regex map of the RFM guides: [1-2][1-2] hibernating, [1-2][3-4] at_risk,
    # [1-2]5 cant_lose, 3[1-2] about_to_sleep, 33 need_attention,
    # [3-4][4-5] loyal_customers, 41 promising, 51 new_customers,
    # [4-5][2-3] potential_loyalists, 5[4-5] champions.
    patterns = {
        r"[1-2][1-2]": "hibernating",
        r"[1-2][3-4]": "at_risk",
        r"[1-2]5": "cant_lose",
        r"3[1-2]": "about_to_sleep",
        r"33": "need_attention",
        r"[3-4][4-5]": "loyal_customers",
        r"41": "promising",
        r"51": "new_customers",
        r"[4-5][2-3]": "potential_loyalists",
        r"5[4-5]": "champions",
    }
    grid = default_grid()
    for r in range(1, 6):
        for f in range(1, 6):
            matches = [k for p, k in patterns.items() if re.fullmatch(p, f"{r}{f}")]
            assert matches == [grid.segment(r, f)]
    labels = {s.key: s.label_pt for s in grid.segments}
    assert labels["champions"] == "Campeões"
    assert labels["cant_lose"] == "Não podemos perder"
    assert grid.label("need_attention", lang="en") == "Need attention"


def test_custom_grid_with_three_bins() -> None:
    policy = RfvPolicy(bins=3, grid=three_bin_grid())
    raws = [raw("A", 1, 9, "900"), raw("B", 2, 1, "10"), raw("C", 500, 3, "300")]
    got = {c: (s.r, s.f, s.segment) for c, s in score_raw(raws, policy=policy).items()}
    # n = 3 = bins: 1 + w
    assert got == {"A": (3, 3, "best"), "B": (2, 1, "fresh"), "C": (1, 2, "gone")}
    assert policy.grid.label("gone") == "Sumidos"


def test_grid_for_other_bins_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"^RfvPolicy\.grid\.bins must equal") as info:
        RfvPolicy(bins=3)
    assert info.value.field == "RfvPolicy.grid.bins"
    with pytest.raises(ValidationError, match=r"must equal RfvPolicy.bins \(5\)"):
        RfvPolicy(grid=three_bin_grid())


def test_gap_is_named() -> None:
    data = converter.unstructure(default_grid())
    del data["segments"][5]  # need_attention: the single cell (3, 3)
    with (
        pytest.raises(
            ValidationError,
            match=r"^SegmentGrid\.segments leave score pairs uncovered: \(r=3, f=3\);",
        ) as info,
        pytest.warns(DeprecationWarning, match="from_json"),
    ):
        SegmentGrid.from_json(data)
    assert info.value.field == "SegmentGrid.segments"
    assert info.value.value == [(3, 3)]
    assert "(r=3, f=3)" in str(info.value)


def test_overlap_is_named_with_both_rectangles() -> None:
    data = converter.unstructure(default_grid())
    data["segments"][0]["rectangles"][0]["f"] = [3, 5]  # champions grows into (5, 3)
    with (
        pytest.raises(
            ValidationError,
            match=r"^SegmentGrid\.segments\[2\]\.rectangles\[0\] overlaps segments\[0\]",
        ) as info,
        pytest.warns(DeprecationWarning, match="from_json"),
    ):
        SegmentGrid.from_json(json.dumps(data))
    (fault,) = info.value.errors
    # potential_loyalists (segments[2]) is listed after champions, so it is the
    # one found overlapping.
    assert fault.field == "SegmentGrid.segments[2].rectangles[0]"
    assert fault.value == [(5, 3)]
    assert "overlaps segments[0].rectangles[0] ('champions')" in fault.rule


def test_every_fault_of_a_grid_is_reported_at_once() -> None:
    box = ScoreRectangle(r=(1, 2), f=(1, 2))
    segs = [
        Segment(key="a", label_en="A", label_pt="A", rectangles=[box]),
        Segment(key="a", label_en="B", label_pt="B", rectangles=[box]),
        Segment(
            key="c", label_en="C", label_pt="C", rectangles=[ScoreRectangle(r=(1, 3), f=(3, 3))]
        ),
    ]
    with pytest.raises(
        ValidationError, match=r"^4 errors:\n  SegmentGrid\.segments\[1\]\.key must be unique"
    ) as info:
        SegmentGrid(bins=2, segments=segs)
    fields = [e.field for e in info.value.errors]
    assert fields == [
        "SegmentGrid.segments[1].key",
        "SegmentGrid.segments[1].rectangles[0]",
        "SegmentGrid.segments[2].rectangles[0].r",
        "SegmentGrid.segments[2].rectangles[0].f",
    ]


def test_malformed_grid_json_names_the_path() -> None:
    with (
        pytest.raises(
            ValidationError, match=r"^SegmentGrid\.segments\[0\]\.rectangles\[0\]\.f "
        ) as info,
        pytest.warns(DeprecationWarning, match="from_json"),
    ):
        SegmentGrid.from_json(
            '{"bins": 5, "segments": [{"key": "x", "label_en": "X", '
            '"label_pt": "X", "rectangles": [{"r": [1, "5"], "f": 3}]}]}'
        )
    fields = sorted(e.field for e in info.value.errors)
    assert fields == ["SegmentGrid.segments[0].rectangles[0].f"]
    with (
        pytest.raises(ValidationError, match=r"^SegmentGrid must be valid JSON") as info,
        pytest.warns(DeprecationWarning, match="from_json"),
    ):
        SegmentGrid.from_json("{not json")
    assert info.value.field == "SegmentGrid"
    with (
        pytest.raises(ValidationError, match=r"SegmentGrid\.extra ") as info,
        pytest.warns(DeprecationWarning, match="from_json"),
    ):
        SegmentGrid.from_json('{"bins": 5, "segments": [], "extra": 1}')
    assert sorted(e.field for e in info.value.errors) == ["SegmentGrid.extra"]


def test_grid_lookups() -> None:
    grid = default_grid()
    with pytest.raises(NotFound, match=r"^Segment 'lost' not found$"):
        grid.label("lost")
    with pytest.raises(ValidationError, match=r"^lang must be 'pt' or 'en', got 'es'$"):
        grid.label("champions", lang="es")
    with pytest.raises(ValidationError, match=r"^r must be >= 1, got 0$"):
        grid.segment(0, 1)
    with pytest.raises(ValidationError, match=r"^f must be <= 5, got 6$"):  # once a KeyError
        grid.segment(1, 6)
    assert default_grid() is default_grid()


# the API's guards ---------------------------------------------------------------------


def test_raw_values_refuses_orders_of_two_customers() -> None:
    with pytest.raises(ValidationError, match=r"must all belong to one customer"):
        raw_values([order("A", noon(2026, 5, 1)), order("B", noon(2020, 5, 1))], date(2026, 5, 10))


def test_duplicate_order_ids_are_refused() -> None:
    one = order("A", noon(2026, 5, 1))
    with pytest.raises(
        ValidationError,
        match=r"^orders\[2\]\.order_id must be unique; the same order was given twice",
    ) as info:
        rfv_scores([one, order("B", noon(2026, 5, 2)), one], date(2026, 5, 10))
    assert info.value.field == "orders[2].order_id"


def test_duplicate_customers_in_raws_are_refused() -> None:
    with pytest.raises(
        ValidationError, match=r"^raws\[1\]\.customer_id must be unique among raws, got 'A'$"
    ) as info:
        score_raw([raw("A", 1, 1, "1"), raw("A", 2, 2, "2")])
    assert info.value.field == "raws[1].customer_id"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda: rfv_scores(["not an order"], date(2026, 5, 10)),  # type: ignore[list-item]
            r"orders\[0\] must be an otocore\.orders\.Order, got 'not an order'",
        ),
        (
            lambda: rfv_scores("P1", date(2026, 5, 10)),  # type: ignore[arg-type]
            r"orders must be an iterable of Order, got 'P1'",
        ),
        (
            lambda: rfv_scores([], "2026-05-10"),  # type: ignore[arg-type]
            r"as_of must be a datetime\.date \(a local calendar day\), got '2026-05-10'",
        ),
        (
            lambda: rfv_scores([], date(1, 3, 1)),
            r"as_of is too early for the policy's window \(as_of - window is before year 1\), "
            r"got datetime\.date\(1, 3, 1\)",
        ),
        (
            lambda: rfv_scores([], date(2026, 5, 10), policy="default"),  # type: ignore[arg-type]
            r"policy must be a RfvPolicy, got 'default'",
        ),
        (
            lambda: score_raw([{"customer_id": "A"}]),  # type: ignore[list-item]
            r"raws\[0\] must be a RawRfv, got \{'customer_id': 'A'\}",
        ),
        (
            lambda: quantile_scores([1, Decimal(2)], bins=5, lower_is_better=False),
            r"values must be all int or all Decimal, not a mix, got \[1, Decimal\('2'\)\]",
        ),
        (
            lambda: quantile_scores([1.5], bins=5, lower_is_better=False),  # type: ignore[list-item]
            r"values\[0\] must be an int or a decimal\.Decimal, got 1\.5",
        ),
        (
            lambda: quantile_scores([1], bins=11, lower_is_better=False),
            r"bins must be <= 10, got 11",
        ),
        (
            lambda: threshold_score(1, (3, 2), lower_is_better=False),
            r"cut_points must be strictly ascending, got \(3, 2\)",
        ),
        (
            lambda: threshold_score(1, (2, 2), lower_is_better=False),  # equal cut points
            r"cut_points must be strictly ascending, got \(2, 2\)",
        ),
        (
            lambda: threshold_score(1, [1, 2], lower_is_better=False),  # type: ignore[arg-type]
            r"cut_points must be a tuple of ascending cut points, got \[1, 2\]",
        ),
    ],
)
def test_bad_calls_raise_validation_error(call: object, message: str) -> None:
    with pytest.raises(ValidationError, match=f"^{message}$"):
        call()  # type: ignore[operator]


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"bins": 1}, "RfvPolicy.bins", "must be >= 2"),
        ({"bins": 11}, "RfvPolicy.bins", "must be <= 10"),
        ({"bins": True}, "RfvPolicy.bins", "must be an integer"),
        ({"time_zone": "Brasil/Sao_Paulo"}, "RfvPolicy.time_zone", "must be an IANA time zone"),
        ({"window": relativedelta()}, "RfvPolicy.window", "must be a positive relativedelta"),
        (
            {"window": relativedelta(months=1, days=-1)},
            "RfvPolicy.window",
            "must be a positive relativedelta",
        ),
        ({"window": relativedelta(hours=36)}, "RfvPolicy.window", "must be a positive"),
        ({"window": relativedelta(month=5)}, "RfvPolicy.window", "must be a positive"),
        ({"window": relativedelta(years=101)}, "RfvPolicy.window", "must be at most 100 years"),
        ({"window": 365}, "RfvPolicy.window", "must be a positive relativedelta"),
        ({"thresholds": "quantile"}, "RfvPolicy.thresholds", "must be None (quantile scoring)"),
        ({"grid": "default"}, "RfvPolicy.grid", "must be a SegmentGrid"),
    ],
)
def test_bad_policy(changes: dict[str, object], field: str, rule: str) -> None:
    with pytest.raises(ValidationError, match=f"^{re.escape(field)} {re.escape(rule)}") as info:
        RfvPolicy(**changes)  # type: ignore[arg-type]
    assert info.value.field.endswith(field)


def test_policy_defaults() -> None:
    policy = RfvPolicy()
    assert policy.time_zone == "America/Sao_Paulo"
    assert policy.window == relativedelta(months=12)
    assert policy.bins == 5
    assert policy.thresholds is None
    assert policy.grid == default_grid()
    assert RfvPolicy(window=relativedelta(weeks=2)).window == relativedelta(days=14)


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"r": 0}, "RfvScore.r", "must be >= 1"),
        ({"v": 11}, "RfvScore.v", "must be <= 10"),
        ({"segment": "Champions"}, "RfvScore.segment", "must be a snake_case key"),
        ({"value": 10.5}, "RfvScore.value", "must be a decimal.Decimal (never a float)"),
        ({"frequency": 0}, "RfvScore.value", "must be 0 when frequency is 0"),  # 1150, no orders
        ({"recency_days": -1}, "RfvScore.recency_days", "must be >= 0"),
    ],
)
def test_bad_score(changes: dict[str, object], field: str, rule: str) -> None:
    fields: dict[str, object] = {
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
    with pytest.raises(ValidationError, match=f"^{re.escape(field)} {re.escape(rule)}") as info:
        RfvScore(**fields)  # type: ignore[arg-type]
    assert info.value.field == field


def test_score_fields_are_in_the_agreed_order() -> None:
    import attrs

    assert [a.name for a in attrs.fields(RfvScore)] == [
        "customer_id",
        "recency_days",
        "frequency",
        "value",
        "r",
        "f",
        "v",
        "segment",
    ]


# peers' pitfalls ----------------------------------------------------------------


def test_ntile_splits_ties_and_otocore_does_not() -> None:
    # SQL NTILE(5) deals rows out in row order: of three customers with one
    # order each, some land in one bucket and some in the next.
    frequencies = {"C1": 0, "C2": 0, "C3": 1, "C4": 1, "C5": 1, "C6": 2, "C7": 2, "C8": 5}
    db = sqlite3.connect(":memory:")
    db.execute("create table raw (customer_id text, frequency integer)")
    db.executemany("insert into raw values (?, ?)", frequencies.items())
    ntile = dict(
        db.execute("select customer_id, ntile(5) over (order by frequency) from raw").fetchall()
    )
    assert len({ntile["C3"], ntile["C4"], ntile["C5"]}) > 1  # identical customers split
    ours = quantile_scores(list(frequencies.values()), bins=5, lower_is_better=False)
    mine = dict(zip(frequencies, ours, strict=True))
    assert mine["C3"] == mine["C4"] == mine["C5"] == 2
    # and otocore's score is exactly the rank() formula of the docs
    sql = dict(
        db.execute(
            "select customer_id, 1 + (5 * (rank() over (order by frequency) - 1))"
            " / count(*) over () from raw"
        ).fetchall()
    )
    assert sql == mine


def test_many_equal_values_do_not_break_scoring() -> None:
    # pandas.qcut(x, 5) raises "Bin edges must be unique" when most values are
    # equal: here the 20%, 40%, 60% and 80% quantiles of frequency are all 1.
    frequencies = [1] * 90 + [2] * 7 + [6] * 3
    edges = sorted(frequencies)
    quantile_edges = [edges[int(q * (len(edges) - 1))] for q in (0.2, 0.4, 0.6, 0.8)]
    assert len(set(quantile_edges)) == 1  # duplicated edges: what qcut rejects
    scores = quantile_scores(frequencies, bins=5, lower_is_better=False)
    assert set(scores[:90]) == {1}
    assert set(scores[90:97]) == {1 + 5 * 90 // 100}  # 5
    assert set(scores[97:]) == {1 + 5 * 97 // 100}  # 5


def test_rank_first_depends_on_row_order_and_otocore_does_not() -> None:
    # pandas' rank(method="first") breaks ties by position, so the same two
    # customers swap scores when the rows are swapped.
    def rank_first_scores(values: list[int], bins: int) -> list[int]:
        order = sorted(range(len(values)), key=lambda i: values[i])  # stable: row order
        out = [0] * len(values)
        for position, i in enumerate(order):
            out[i] = 1 + bins * position // len(values)
        return out

    values = [3, 3, 3, 3, 3]
    assert rank_first_scores(values, 5) == [1, 2, 3, 4, 5]  # five equal customers, five scores
    raws = [raw(f"C{i}", 10, v, "10.00") for i, v in enumerate(values)]
    forward = score_raw(raws)
    backward = score_raw(list(reversed(raws)))
    assert forward == backward
    assert {s.f for s in forward.values()} == {1}


# the doc page says what the code does ---------------------------------------------


def test_the_docs_grid_example_loads_and_adds_lost() -> None:
    import re
    from pathlib import Path

    # The checkout's docs page; scripts/mutation.sh runs a copy of tests/ that
    # sits inside the checkout (.mutation/rfv/mutants/tests), so look upwards.
    page = next(
        candidate
        for parent in Path(__file__).resolve().parents
        if (candidate := parent / "docs" / "rules" / "rfv.md").is_file()
    )
    text = page.read_text(encoding="utf-8")
    (block,) = re.findall(r"```json\n(.*?)```", text, re.S)
    with pytest.warns(DeprecationWarning, match="from_json"):
        grid = SegmentGrid.from_json(block)
    assert grid.segment(1, 1) == "lost"
    assert grid.label("lost") == "Perdidos"
    default = default_grid()
    changed = [
        (r, f)
        for r in range(1, 6)
        for f in range(1, 6)
        if grid.segment(r, f) != default.segment(r, f)
    ]
    assert changed == [(1, 1)]
    # the error text shown on the page is the real one
    data = converter.unstructure(default)
    data["segments"][0]["rectangles"][0]["f"] = [3, 5]
    del data["segments"][5]
    with (
        pytest.raises(ValidationError) as info,
        pytest.warns(DeprecationWarning, match="from_json"),
    ):
        SegmentGrid.from_json(data)
    for line in str(info.value).splitlines():
        assert line.strip() in text
