"""Write the golden vectors of the LGPD deadlines (``tests/vectors/privacy``).

Run ``python tests/vectors/generate_privacy.py`` from the repository root (with otocore
importable) to rewrite ``tests/vectors/privacy/*.json``.

This script only **builds inputs** (``DataSubjectRequest`` values written with
``otocore.serialization.converter``); it never calls ``otocore.privacy``'s functions:
every ``expected`` below is a literal typed by hand from docs/privacy.md, with the
reasoning in the ``description``. ``tests/unit/test_privacy_vectors.py`` replays them.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from otocore.privacy import AnswerForm, DataSubjectRequest, RequestKind, RequestOutcome
from otocore.serialization import converter

HERE = Path(__file__).resolve().parent / "privacy"
FORMAT = "otocore-privacy-vector/1"
LAW = (
    "LGPD (Lei 13.709/2018), art. 19: I - em formato simplificado, imediatamente; ou II - por"
    " meio de declaração clara e completa [...] fornecida no prazo de até 15 (quinze) dias,"
    " contado da data do requerimento do titular."
)
SP = ZoneInfo("America/Sao_Paulo")
DEFAULT = {"complete_within_days": 15, "time_zone": "America/Sao_Paulo"}


def request(
    request_id: str,
    received: datetime,
    *,
    kind: RequestKind = RequestKind.ACCESS,
    form: AnswerForm = AnswerForm.COMPLETE,
    answered: datetime | None = None,
) -> DataSubjectRequest:
    return DataSubjectRequest(
        request_id=request_id,
        customer_id="C1",
        kind=kind,
        received_at=received,
        form=form,
        answered_at=answered,
        outcome=None if answered is None else RequestOutcome.FULFILLED,
    )


def vector(
    name: str,
    description: str,
    requests: list[DataSubjectRequest],
    as_of: datetime,
    expected: dict[str, Any],
    *,
    policy: dict[str, Any] | None = None,
) -> None:
    data = {
        "format": FORMAT,
        "description": description,
        "law": LAW,
        "policy": DEFAULT if policy is None else policy,
        "requests": converter.unstructure(requests),
        "as_of": as_of.isoformat(),
        "expected": expected,
    }
    (HERE / f"{name}.json").write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def main() -> None:
    HERE.mkdir(exist_ok=True)
    vector(
        "fifteen_days_counted_from_the_day_after",
        "An access received on 1 Dec 2026 at 16:30 in São Paulo: day 1 of 15 is 2 Dec (the day"
        " of the request is excluded, Civil Code art. 132), day 15 is 16 Dec; it is late from"
        " 17 Dec 00:00 local (03:00 UTC). At 16 Dec 23:59:59 it is not yet overdue.",
        [request("R1", datetime(2026, 12, 1, 16, 30, tzinfo=SP))],
        datetime(2026, 12, 16, 23, 59, 59, tzinfo=SP),
        {
            "due": {"R1": {"day": "2026-12-16", "at": "2026-12-17T03:00:00+00:00"}},
            "overdue": [],
            "answered_late": {},
        },
    )
    vector(
        "overdue_from_the_first_instant_of_the_day_after",
        "The same access, looked at on 17 Dec 00:00 in São Paulo: overdue.",
        [request("R1", datetime(2026, 12, 1, 16, 30, tzinfo=SP))],
        datetime(2026, 12, 17, 0, 0, tzinfo=SP),
        {
            "due": {"R1": {"day": "2026-12-16", "at": "2026-12-17T03:00:00+00:00"}},
            "overdue": ["R1"],
            "answered_late": {},
        },
    )
    vector(
        "request_at_23_30_local_is_of_that_local_day",
        "A deletion received at 02:30 UTC of 1 Dec, which is 23:30 of 30 Nov in São Paulo:"
        " the request's day is 30 Nov, so day 15 is 15 Dec, late from 16 Dec 00:00 local.",
        [request("R1", datetime(2026, 12, 1, 2, 30, tzinfo=UTC), kind=RequestKind.DELETION)],
        datetime(2026, 12, 15, 12, 0, tzinfo=SP),
        {
            "due": {"R1": {"day": "2026-12-15", "at": "2026-12-16T03:00:00+00:00"}},
            "overdue": [],
            "answered_late": {},
        },
    )
    vector(
        "simplified_answer_due_by_the_end_of_the_day",
        "A confirmation asked for in simplified form ('imediatamente') at 23:00 of 1 Dec in São"
        " Paulo is due by the end of 1 Dec: overdue at 2 Dec 00:00 local. A complete access"
        " received at the same instant is not.",
        [
            request(
                "R-simple",
                datetime(2026, 12, 1, 23, 0, tzinfo=SP),
                kind=RequestKind.CONFIRMATION,
                form=AnswerForm.SIMPLIFIED,
            ),
            request("R-complete", datetime(2026, 12, 1, 23, 0, tzinfo=SP)),
        ],
        datetime(2026, 12, 2, 0, 0, tzinfo=SP),
        {
            "due": {
                "R-simple": {"day": "2026-12-01", "at": "2026-12-02T03:00:00+00:00"},
                "R-complete": {"day": "2026-12-16", "at": "2026-12-17T03:00:00+00:00"},
            },
            "overdue": ["R-simple"],
            "answered_late": {},
        },
    )
    vector(
        "deadline_on_christmas_is_not_moved",
        "A correction received on Thursday 10 Dec 2026: day 15 is Friday 25 Dec, a holiday."
        " otocore keeps the calendar date (no holiday calendar; the earlier, safer reading).",
        [request("R1", datetime(2026, 12, 10, 10, 0, tzinfo=SP), kind=RequestKind.CORRECTION)],
        datetime(2026, 12, 26, 0, 0, tzinfo=SP),
        {
            "due": {"R1": {"day": "2026-12-25", "at": "2026-12-26T03:00:00+00:00"}},
            "overdue": ["R1"],
            "answered_late": {},
        },
    )
    vector(
        "a_brand_of_ten_days",
        "A brand that answers in 10 days: an access of 1 Dec is due by the end of 11 Dec.",
        [request("R1", datetime(2026, 12, 1, 9, 0, tzinfo=SP))],
        datetime(2026, 12, 12, 0, 0, tzinfo=SP),
        {
            "due": {"R1": {"day": "2026-12-11", "at": "2026-12-12T03:00:00+00:00"}},
            "overdue": ["R1"],
            "answered_late": {},
        },
        policy={"complete_within_days": 10, "time_zone": "America/Sao_Paulo"},
    )
    vector(
        "answered_on_the_last_minute_and_one_minute_late",
        "Two portability requests of 1 Dec: one answered on 16 Dec at 23:59 local (on time),"
        " one on 17 Dec at 00:01 local (late). Answered requests are never overdue.",
        [
            request(
                "R-on-time",
                datetime(2026, 12, 1, 9, 0, tzinfo=SP),
                kind=RequestKind.PORTABILITY,
                answered=datetime(2026, 12, 16, 23, 59, tzinfo=SP),
            ),
            request(
                "R-late",
                datetime(2026, 12, 1, 9, 0, tzinfo=SP),
                kind=RequestKind.PORTABILITY,
                answered=datetime(2026, 12, 17, 0, 1, tzinfo=SP),
            ),
        ],
        datetime(2027, 1, 31, 0, 0, tzinfo=SP),
        {
            "due": {
                "R-on-time": {"day": "2026-12-16", "at": "2026-12-17T03:00:00+00:00"},
                "R-late": {"day": "2026-12-16", "at": "2026-12-17T03:00:00+00:00"},
            },
            "overdue": [],
            "answered_late": {"R-on-time": False, "R-late": True},
        },
    )
    vector(
        "the_most_overdue_first_then_by_id",
        "Three open accesses: R-c of 1 Nov (due 16 Nov), R-b and R-a of 10 Nov at different"
        " hours (both due 25 Nov, so by id: R-a, R-b), and R-d of 5 Dec (due 20 Dec, not yet)."
        " On 6 Dec the list is R-c, R-a, R-b.",
        [
            request("R-d", datetime(2026, 12, 5, 9, 0, tzinfo=SP)),
            request("R-b", datetime(2026, 11, 10, 8, 0, tzinfo=SP)),
            request("R-a", datetime(2026, 11, 10, 18, 0, tzinfo=SP)),
            request("R-c", datetime(2026, 11, 1, 9, 0, tzinfo=SP)),
        ],
        datetime(2026, 12, 6, 12, 0, tzinfo=SP),
        {
            "due": {
                "R-d": {"day": "2026-12-20", "at": "2026-12-21T03:00:00+00:00"},
                "R-b": {"day": "2026-11-25", "at": "2026-11-26T03:00:00+00:00"},
                "R-a": {"day": "2026-11-25", "at": "2026-11-26T03:00:00+00:00"},
                "R-c": {"day": "2026-11-16", "at": "2026-11-17T03:00:00+00:00"},
            },
            "overdue": ["R-c", "R-a", "R-b"],
            "answered_late": {},
        },
    )
    vector(
        "a_year_boundary",
        "An access received on 31 Dec 2026 at 23:59 in São Paulo is due by the end of 15 Jan 2027.",
        [request("R1", datetime(2026, 12, 31, 23, 59, tzinfo=SP))],
        datetime(2027, 1, 15, 23, 0, tzinfo=SP),
        {
            "due": {"R1": {"day": "2027-01-15", "at": "2027-01-16T03:00:00+00:00"}},
            "overdue": [],
            "answered_late": {},
        },
    )


if __name__ == "__main__":
    main()
