"""otocore.frames against the reference rules, on every engine, to the centavo and the tie-break.

Brands are small and dense with the cases that break columnar code: ties
(shared instants, a small pool of totals, sellers and stores), several orders
on one local day, orders at 23:59 and 00:00 local time on the window's edges
and on ``as_of``, Brazil's last daylight-saving changes (2018-02-17,
2018-11-04, 2019-02-16, whose 23:00-23:59 happened twice), cancelled orders,
online orders without a seller, and orders after ``as_of``. Policies come
from ``otocore.testing`` (zones, windows, bins, thresholds, grids, caps), and
the frame's ``placed_at`` is shown in a zone of its own.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from _support.frames import ENGINES, expected_preferred, expected_rfv, order_frame, rows
from otocore import distribution, frames, rfv
from otocore.distribution import PreferredSellerPolicy
from otocore.frames import _rules
from otocore.orders import Order, OrderStatus
from otocore.rfv import RfvPolicy
from otocore.testing import money, orders
from otocore.testing._distribution import preferred_seller_policies
from otocore.testing._rfv import rfv_policies

DST_DAYS = [date(2018, 2, 17), date(2018, 11, 4), date(2019, 2, 16), date(2019, 2, 17)]
AS_OFS = st.sampled_from([*DST_DAYS, date(2018, 11, 3), date(2024, 2, 29), date(2026, 5, 10)])
TIMES = st.sampled_from([time(0, 0), time(0, 30), time(12, 0), time(23, 30), time(23, 59)])
TOTALS = st.sampled_from([Decimal("50.00"), Decimal("99.90"), Decimal(0)]) | money()
FRAME_ZONES = st.sampled_from(["UTC", "America/Sao_Paulo", "America/Manaus", "Asia/Tokyo"])
SELLERS = st.sampled_from([None, "V1", "V2", "V9", "V10"])


@st.composite
def brands(draw: st.DrawFn, policy: Any) -> tuple[list[Order], date]:
    """A few customers' orders around ``as_of``, on the days where the rule can go wrong."""
    as_of = draw(AS_OFS | st.dates(date(2017, 1, 1), date(2027, 12, 31)))
    zone = ZoneInfo(policy.time_zone)
    start = as_of - policy.window
    edges = [start, start + timedelta(days=1), as_of - timedelta(days=1), as_of]
    days = st.sampled_from([*edges, as_of + timedelta(days=1), *DST_DAYS])
    days = days | st.integers(-400, 2).map(lambda n: as_of + timedelta(days=n))

    @st.composite
    def local_instant(draw: st.DrawFn) -> datetime:
        at = datetime.combine(draw(days), draw(TIMES), zone)
        return at.replace(fold=draw(st.integers(0, 1)))  # both 23:30s of 2019-02-16

    shared = draw(st.lists(local_instant(), min_size=1, max_size=3))
    instants = st.sampled_from(shared) | local_instant()
    history = draw(
        st.lists(
            orders(
                customer_id=st.sampled_from(["C1", "C2", "C3", "C10"]),
                store_id=st.sampled_from(["L1", "L2"]),
                seller_code=SELLERS,
                status=st.sampled_from(
                    [OrderStatus.COMPLETED, OrderStatus.COMPLETED, OrderStatus.CANCELLED]
                ),
                placed_at=instants,
                total=TOTALS,
            ),
            max_size=14,
            unique_by=lambda o: o.order_id,
        )
    )
    return history, as_of


@st.composite
def rfv_cases(draw: st.DrawFn) -> tuple[list[Order], date, RfvPolicy, str]:
    policy = draw(st.just(RfvPolicy()) | rfv_policies())
    history, as_of = draw(brands(policy))
    return history, as_of, policy, draw(FRAME_ZONES)


@st.composite
def preferred_cases(
    draw: st.DrawFn,
) -> tuple[list[Order], date, PreferredSellerPolicy, frozenset[str] | None, str]:
    policy = draw(st.just(PreferredSellerPolicy()) | preferred_seller_policies())
    history, as_of = draw(brands(policy))
    eligible = draw(st.none() | st.frozensets(st.sampled_from(["V1", "V2", "V9", "V10", "V99"])))
    return history, as_of, policy, eligible, draw(FRAME_ZONES)


def _dst_tie() -> tuple[list[Order], date, PreferredSellerPolicy, frozenset[str] | None, str]:
    """Two sellers tied on visits and on the same instant, on the night DST ended."""
    sp = ZoneInfo("America/Sao_Paulo")
    at = datetime(2019, 2, 16, 23, 30, tzinfo=sp)
    history = [
        Order(
            order_id=f"P{i}",
            customer_id="C1",
            store_id="L1",
            placed_at=at.replace(fold=fold),
            total=Decimal(10),
            seller_code=code,
        )
        for i, (code, fold) in enumerate([("V9", 0), ("V10", 0), ("V9", 1)])
    ]
    return history, date(2019, 2, 16), PreferredSellerPolicy(), None, "UTC"


@pytest.mark.parametrize("engine", ENGINES)
@given(case=rfv_cases())
def test_rfv_scores_match_the_reference(
    engine: str, case: tuple[list[Order], date, RfvPolicy, str]
) -> None:
    history, as_of, policy, zone = case
    got = frames.rfv_scores(order_frame(history, engine, zone=zone), as_of, policy=policy)
    assert rows(got) == expected_rfv(rfv.rfv_scores(history, as_of, policy=policy))


@pytest.mark.parametrize("engine", ENGINES)
@given(case=preferred_cases())
@example(case=_dst_tie())
def test_preferred_sellers_match_the_reference(
    engine: str,
    case: tuple[list[Order], date, PreferredSellerPolicy, frozenset[str] | None, str],
) -> None:
    history, as_of, policy, eligible, zone = case
    frame = order_frame(history, engine, zone=zone)
    got = frames.preferred_sellers(frame, as_of, policy=policy, eligible=eligible)
    expected = distribution.preferred_sellers(history, as_of, policy=policy, eligible=eligible)
    assert rows(got) == expected_preferred(expected)


@pytest.mark.parametrize("engine", ["polars", "polars-lazy", "duckdb"])
@given(case=preferred_cases())
@example(case=_dst_tie())
def test_the_portable_winner_step_matches_the_reference_on_engines_with_their_own(
    engine: str,
    case: tuple[list[Order], date, PreferredSellerPolicy, frozenset[str] | None, str],
) -> None:
    """Polars and DuckDB pick winners with their own step; the narwhals plan must stay right there too.

    It is what pandas, PyArrow and any engine added later run (docs/engines.md).
    """
    history, as_of, policy, eligible, zone = case
    frame = order_frame(history, engine, zone=zone)
    portable = mock.patch.object(_rules, "pick_winners", lambda tallies, plan: plan(tallies))
    with portable:
        got = rows(frames.preferred_sellers(frame, as_of, policy=policy, eligible=eligible))
    expected = distribution.preferred_sellers(history, as_of, policy=policy, eligible=eligible)
    assert got == expected_preferred(expected)
