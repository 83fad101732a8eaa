"""Worked examples of the LGPD's deadlines (``otocore.privacy``), at their edges."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest

from otocore.errors import RuleViolation, ValidationError
from otocore.privacy import (
    AnswerForm,
    DataSubjectRequest,
    PrivacyPolicy,
    RequestKind,
    RequestOutcome,
    answer_request,
    answered_late,
    due_at,
    due_day,
    overdue_requests,
)

SP = ZoneInfo("America/Sao_Paulo")


def request(
    received: datetime,
    *,
    kind: RequestKind = RequestKind.ACCESS,
    form: AnswerForm = AnswerForm.COMPLETE,
    request_id: str = "R1",
) -> DataSubjectRequest:
    return DataSubjectRequest(
        request_id=request_id, customer_id="C1", kind=kind, received_at=received, form=form
    )


def test_fifteen_days_exclude_the_day_of_the_request_and_include_the_last() -> None:
    # art. 19, II: fifteen days "contado da data do requerimento do titular"
    r = request(datetime(2026, 12, 1, 9, 0, tzinfo=SP))
    assert due_day(r) == date(2026, 12, 16)
    assert due_at(r) == datetime(2026, 12, 17, 0, 0, tzinfo=SP)
    assert overdue_requests([r], as_of=datetime(2026, 12, 16, 23, 59, 59, 999999, tzinfo=SP)) == []
    assert overdue_requests([r], as_of=datetime(2026, 12, 17, 0, 0, tzinfo=SP)) == [r]


def test_the_local_day_of_the_request_counts_not_the_utc_day() -> None:
    # 23:30 in São Paulo is 02:30 UTC of the next day: the request is of 30 November
    r = request(datetime(2026, 12, 1, 2, 30, tzinfo=UTC))
    assert due_day(r) == date(2026, 12, 15)
    # in Manaus (UTC-4) it is 22:30 of 30 November too; in UTC it is 1 December
    assert due_day(r, policy=PrivacyPolicy(time_zone="UTC")) == date(2026, 12, 16)


def test_a_simplified_answer_is_due_by_the_end_of_the_day() -> None:
    # "em formato simplificado, imediatamente"
    r = request(datetime(2026, 12, 1, 23, 59, tzinfo=SP), form=AnswerForm.SIMPLIFIED)
    assert due_day(r) == date(2026, 12, 1)
    assert overdue_requests([r], as_of=datetime(2026, 12, 1, 23, 59, 59, tzinfo=SP)) == []
    assert overdue_requests([r], as_of=datetime(2026, 12, 2, 0, 0, tzinfo=SP)) == [r]


def test_a_deadline_on_a_weekend_or_holiday_is_not_moved() -> None:
    # received on Thursday 10 Dec 2026: day 15 is Friday 25 December (Natal), kept as is
    r = request(datetime(2026, 12, 10, 10, 0, tzinfo=SP))
    assert due_day(r) == date(2026, 12, 25)


def test_a_brand_may_answer_sooner_never_later() -> None:
    r = request(datetime(2026, 12, 1, 9, 0, tzinfo=SP))
    assert due_day(r, policy=PrivacyPolicy(complete_within_days=1)) == date(2026, 12, 2)
    with pytest.raises(ValidationError, match=r"complete_within_days must be <= 15, got 16"):
        PrivacyPolicy(complete_within_days=16)
    with pytest.raises(ValidationError, match=r"complete_within_days must be >= 1, got 0"):
        PrivacyPolicy(complete_within_days=0)


@pytest.mark.parametrize(
    "kind", [k for k in RequestKind if k not in {RequestKind.CONFIRMATION, RequestKind.ACCESS}]
)
def test_only_confirmation_and_access_may_be_simplified(kind: RequestKind) -> None:
    with pytest.raises(ValidationError, match=r"DataSubjectRequest\.form may be SIMPLIFIED only"):
        request(datetime(2026, 12, 1, tzinfo=SP), kind=kind, form=AnswerForm.SIMPLIFIED)


def test_a_request_is_answered_once() -> None:
    r = request(datetime(2026, 12, 1, 9, 0, tzinfo=SP))
    done = answer_request(r, at=datetime(2026, 12, 2, tzinfo=SP), outcome=RequestOutcome.FULFILLED)
    assert (done.is_open, done.outcome, r.is_open) == (False, RequestOutcome.FULFILLED, True)
    with pytest.raises(
        RuleViolation, match=r"request R1 was already answered at 2026-12-02T03:00:00\+00:00"
    ):
        answer_request(
            done, at=datetime(2026, 12, 3, tzinfo=SP), outcome=RequestOutcome.REFUSED, answer="x"
        )


def test_a_refusal_gives_its_reasons_and_an_answer_does_not_precede_the_request() -> None:
    r = request(datetime(2026, 12, 1, 9, 0, tzinfo=SP))
    with pytest.raises(ValidationError, match=r"DataSubjectRequest\.answer must give the reasons"):
        answer_request(r, at=datetime(2026, 12, 2, tzinfo=SP), outcome=RequestOutcome.REFUSED)
    with pytest.raises(
        ValidationError, match=r"DataSubjectRequest\.answered_at must not be before"
    ):
        answer_request(
            r, at=datetime(2026, 12, 1, 8, 0, tzinfo=SP), outcome=RequestOutcome.FULFILLED
        )
    with pytest.raises(
        ValidationError, match=r"DataSubjectRequest\.outcome and answered_at must be given together"
    ):
        attrs.evolve(r, outcome=RequestOutcome.FULFILLED)
    with pytest.raises(ValidationError, match=r"outcome must be"):
        answer_request(r, at=datetime(2026, 12, 2, tzinfo=SP), outcome="fulfilled")  # type: ignore[arg-type]


def test_late_answers_and_the_most_overdue_first() -> None:
    early = request(datetime(2026, 11, 1, 9, 0, tzinfo=SP), request_id="R-early")
    later = request(datetime(2026, 11, 10, 9, 0, tzinfo=SP), request_id="R-later")
    same_a = request(datetime(2026, 11, 10, 18, 0, tzinfo=SP), request_id="R-a")
    fresh = request(datetime(2026, 12, 5, 9, 0, tzinfo=SP), request_id="R-fresh")
    as_of = datetime(2026, 12, 6, 12, 0, tzinfo=SP)
    listed = overdue_requests([fresh, same_a, later, early], as_of=as_of)
    assert [r.request_id for r in listed] == ["R-early", "R-a", "R-later"]
    done_late = answer_request(
        later, at=datetime(2026, 11, 26, 0, 0, tzinfo=SP), outcome=RequestOutcome.FULFILLED
    )
    done_on_time = answer_request(
        later, at=datetime(2026, 11, 25, 23, 59, tzinfo=SP), outcome=RequestOutcome.FULFILLED
    )
    assert (answered_late(done_late), answered_late(done_on_time), answered_late(later)) == (
        True,
        False,
        False,
    )
    assert overdue_requests([done_late], as_of=as_of) == []


def test_bad_arguments_are_named() -> None:
    with pytest.raises(ValidationError, match=r"as_of must be timezone-aware"):
        overdue_requests([], as_of=datetime(2026, 12, 1))
    with pytest.raises(ValidationError, match=r"requests\[0\] must be a DataSubjectRequest"):
        overdue_requests(["R1"], as_of=datetime(2026, 12, 1, tzinfo=UTC))  # type: ignore[list-item]
    twice = request(datetime(2026, 12, 1, tzinfo=UTC))
    with pytest.raises(ValidationError, match=r"requests\[1\]\.request_id must not repeat"):
        overdue_requests([twice, twice], as_of=datetime(2026, 12, 1, tzinfo=UTC))
    with pytest.raises(ValidationError, match=r"policy must be a PrivacyPolicy"):
        due_day(request(datetime(2026, 12, 1, tzinfo=UTC)), policy=15)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"DataSubjectRequest\.kind must be"):
        DataSubjectRequest(
            request_id="R1",
            customer_id="C1",
            kind="access",
            received_at=datetime(2026, 12, 1, tzinfo=UTC),
        )  # type: ignore[arg-type]


def test_every_kind_cites_its_item_of_article_18() -> None:
    assert [k.article for k in RequestKind] == [
        f"art. 18, {item}" for item in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX")
    ]


@pytest.mark.source_tree
def test_the_worked_examples_of_the_docs_run() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "privacy.md").read_text("utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, re.DOTALL)
    assert len(blocks) >= 1
    for code in blocks:
        exec(compile(code, "docs/privacy.md", "exec"), {})  # noqa: S102 - our own docs
