"""Carteira value types: PortfolioAssignment, AssignmentChange, DailyRun (oto-managers-and-campaigns.txt)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.errors import ValidationError
from otocore.portfolio import AssignmentChange, AssignmentReason, DailyRun, PortfolioAssignment
from otocore.serialization import converter

DAY = date(2026, 5, 10)
SIX = datetime(2026, 5, 10, 6, 0, tzinfo=UTC)


def test_a_customer_is_in_one_sellers_carteira_by_the_daily_rule() -> None:
    a = PortfolioAssignment(
        customer_id="C1", seller_code="V01", since=DAY, reason=AssignmentReason.DAILY_RULE
    )
    assert a.is_assigned
    assert a.reason.value == "daily_rule"


def test_redistributing_an_inactive_sellers_carteira_is_manual() -> None:
    # "redistribua a carteira de clientes de um vendedor inativado"
    a = PortfolioAssignment(
        customer_id="C1", seller_code="V02", since=DAY, reason=AssignmentReason.MANUAL
    )
    assert AssignmentReason("manual_redistribution") is a.reason


def test_unassigned_customers_have_no_seller_and_reason_none() -> None:
    a = PortfolioAssignment.unassigned("C9", since=DAY)
    assert (a.seller_code, a.reason, a.is_assigned) == (None, AssignmentReason.NONE, False)


@pytest.mark.parametrize(
    ("seller", "reason"),
    [
        (None, AssignmentReason.DAILY_RULE),
        (None, AssignmentReason.MANUAL),
        ("V01", AssignmentReason.NONE),
    ],
)
def test_seller_code_is_none_exactly_when_the_reason_is_none(
    seller: str | None, reason: AssignmentReason
) -> None:
    with pytest.raises(ValidationError) as info:
        PortfolioAssignment(customer_id="C1", seller_code=seller, since=DAY, reason=reason)
    assert info.value.field == "PortfolioAssignment.seller_code"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("customer_id", ""),
        ("seller_code", " "),
        ("since", datetime(2026, 5, 10, tzinfo=UTC)),
        ("since", "2026-05-10"),
        ("reason", "daily_rule"),
    ],
)
def test_assignment_fields_are_validated(field: str, value: object) -> None:
    good: dict[str, object] = {
        "customer_id": "C1",
        "seller_code": "V01",
        "since": DAY,
        "reason": AssignmentReason.DAILY_RULE,
    }
    with pytest.raises(ValidationError) as info:
        PortfolioAssignment(**{**good, field: value})  # type: ignore[arg-type]
    assert info.value.field == f"PortfolioAssignment.{field}"


def test_a_change_must_change_the_seller() -> None:
    with pytest.raises(ValidationError, match="must differ"):
        AssignmentChange(
            customer_id="C1", from_seller=None, to_seller=None, reason=AssignmentReason.NONE
        )
    with pytest.raises(ValidationError, match="must name a seller"):
        AssignmentChange(
            customer_id="C1", from_seller="V01", to_seller=None, reason=AssignmentReason.MANUAL
        )
    moved = AssignmentChange(
        customer_id="C1",
        from_seller="V01",
        to_seller=None,
        reason=AssignmentReason.NONE,
        decided_by="gerente.loja01",
    )
    assert moved.decided_by == "gerente.loja01"


def test_daily_run_counts_are_frozen_sorted_pairs() -> None:
    one = DailyRun(as_of=DAY, started_at=SIX, finished_at=SIX, counts={"b": 2, "a": 1})
    two = DailyRun(as_of=DAY, started_at=SIX, finished_at=SIX, counts=[("a", 1), ("b", 2)])
    assert one == two
    assert hash(one) == hash(two)
    assert one.counts == (("a", 1), ("b", 2))
    assert (one.count("a"), one.count("missing")) == (1, 0)


@pytest.mark.parametrize(
    "counts",
    [{"a": -1}, {"a": 1.0}, {"a": True}, {"": 1}, [("a", 1), ("a", 2)], "a=1", [("a",)]],
)
def test_bad_counts_are_refused(counts: object) -> None:
    with pytest.raises(ValidationError) as info:
        DailyRun(as_of=DAY, started_at=SIX, finished_at=SIX, counts=counts)  # type: ignore[arg-type]
    assert info.value.field.startswith("DailyRun.counts")


def test_a_run_cannot_finish_before_it_starts_and_times_are_utc() -> None:
    with pytest.raises(ValidationError, match="finished_at"):
        DailyRun(as_of=DAY, started_at=SIX, finished_at=SIX - timedelta(seconds=1))
    with pytest.raises(ValidationError, match="started_at"):
        DailyRun(as_of=DAY, started_at=datetime(2026, 5, 10, 6), finished_at=SIX)
    with pytest.raises(ValidationError, match=r"changes\[0\]"):
        DailyRun(as_of=DAY, started_at=SIX, finished_at=SIX, changes=["C1"])  # type: ignore[list-item]


CHANGES = st.builds(
    AssignmentChange,
    customer_id=st.sampled_from(["C1", "C2"]),
    from_seller=st.none() | st.sampled_from(["V01", "V02"]),
    to_seller=st.just("V03"),
    reason=st.sampled_from([AssignmentReason.DAILY_RULE, AssignmentReason.MANUAL]),
    decided_by=st.none() | st.sampled_from(["tally", "recency", "gerente"]),
)
RUNS = st.builds(
    DailyRun,
    as_of=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    started_at=st.just(SIX),
    finished_at=st.just(SIX + timedelta(minutes=3)),
    counts=st.dictionaries(
        st.sampled_from(["assigned", "moved", "unassigned"]), st.integers(0, 10**6)
    ),
    changes=st.lists(CHANGES, max_size=4).map(tuple),
)


@given(RUNS)
def test_daily_runs_round_trip_through_json(run: DailyRun) -> None:
    data = converter.unstructure(run)
    assert isinstance(data["counts"], dict)
    assert converter.structure(json.loads(json.dumps(data)), DailyRun) == run


@given(
    st.builds(
        PortfolioAssignment,
        customer_id=st.just("C1"),
        seller_code=st.just("V01"),
        since=st.dates(),
        reason=st.sampled_from([AssignmentReason.DAILY_RULE, AssignmentReason.MANUAL]),
    )
    | st.builds(PortfolioAssignment.unassigned, st.just("C2"), since=st.dates())
)
def test_assignments_round_trip_through_json(assignment: PortfolioAssignment) -> None:
    data = json.loads(json.dumps(converter.unstructure(assignment)))
    assert converter.structure(data, PortfolioAssignment) == assignment


def test_bad_json_counts_name_the_field() -> None:
    data = converter.unstructure(DailyRun(as_of=DAY, started_at=SIX, finished_at=SIX))
    with pytest.raises(ValidationError) as info:
        converter.structure(dict(data, counts=["x"]), DailyRun)
    assert info.value.field == "DailyRun.counts"
