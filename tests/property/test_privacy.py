"""Invariants of the LGPD deadlines (``otocore.privacy``)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from otocore._time import local_day
from otocore.privacy import (
    AnswerForm,
    DataSubjectRequest,
    PrivacyPolicy,
    answered_late,
    due_at,
    due_day,
    overdue_requests,
)
from otocore.serialization import converter
from otocore.testing import aware_datetimes, data_subject_requests, privacy_policies


@given(data_subject_requests(), privacy_policies())
def test_the_deadline_is_the_start_of_the_day_after_the_due_day(
    request: DataSubjectRequest, policy: PrivacyPolicy
) -> None:
    zone = ZoneInfo(policy.time_zone)
    received = local_day(request.received_at, zone)
    last = due_day(request, policy=policy)
    expected = 0 if request.form is AnswerForm.SIMPLIFIED else policy.complete_within_days
    assert (last - received).days == expected
    deadline = due_at(request, policy=policy)
    assert deadline > request.received_at
    assert local_day(deadline, zone) == last + timedelta(days=1)
    assert local_day(deadline - timedelta(microseconds=1), zone) == last


@given(
    st.lists(data_subject_requests(), max_size=8, unique_by=lambda r: r.request_id),
    aware_datetimes(),
    privacy_policies(),
)
def test_overdue_is_exactly_the_open_requests_past_their_deadline(
    requests: list[DataSubjectRequest], as_of: object, policy: PrivacyPolicy
) -> None:
    listed = overdue_requests(requests, as_of=as_of, policy=policy)  # type: ignore[arg-type]
    expected = [r for r in requests if r.is_open and as_of >= due_at(r, policy=policy)]  # type: ignore[operator]
    assert sorted(map(id, listed)) == sorted(map(id, expected))
    keys = [(due_at(r, policy=policy), r.request_id) for r in listed]
    assert keys == sorted(keys)
    assert overdue_requests(reversed(requests), as_of=as_of, policy=policy) == listed  # type: ignore[arg-type]


@given(data_subject_requests(answered=True), privacy_policies())
def test_late_means_answered_at_or_after_the_deadline(
    request: DataSubjectRequest, policy: PrivacyPolicy
) -> None:
    assert request.answered_at is not None
    assert answered_late(request, policy=policy) == (
        request.answered_at >= due_at(request, policy=policy)
    )
    assert overdue_requests([request], as_of=request.answered_at + timedelta(days=400)) == []


@given(data_subject_requests())
def test_a_shorter_policy_never_gives_a_later_deadline(request: DataSubjectRequest) -> None:
    days = [due_day(request, policy=PrivacyPolicy(complete_within_days=n)) for n in range(1, 16)]
    assert days == sorted(days)


@given(data_subject_requests(), privacy_policies())
def test_requests_and_policies_round_trip(
    request: DataSubjectRequest, policy: PrivacyPolicy
) -> None:
    assert converter.structure(converter.unstructure(request), DataSubjectRequest) == request
    assert converter.structure(converter.unstructure(policy), PrivacyPolicy) == policy
