"""Replay the golden LGPD-deadline vectors in ``tests/vectors/privacy``.

Format ``"otocore-privacy-vector/1"``: ``description`` (the edge, and why the expected
answers are right), ``law`` (the article the rule serves), ``policy``
(``{"complete_within_days", "time_zone"}``), ``requests`` (DataSubjectRequest objects,
instants ISO 8601 with offset), ``as_of`` (ISO 8601) and ``expected``: ``due`` (per
request id, the last local ``day`` on time and the UTC instant ``at`` from which it is
late), ``overdue`` (ids, most overdue first) and ``answered_late`` (per answered id).
Written by ``tests/vectors/generate_privacy.py`` with hand-typed expectations.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from otocore.privacy import (
    DataSubjectRequest,
    PrivacyPolicy,
    answered_late,
    due_at,
    due_day,
    overdue_requests,
)
from otocore.serialization import converter

FORMAT = "otocore-privacy-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "privacy"
VECTORS = sorted(FOLDER.glob("*.json"))


def test_there_are_vectors() -> None:
    assert len(VECTORS) >= 9


@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_vector(path: Path) -> None:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT
    policy = PrivacyPolicy(**data["policy"])
    requests = converter.structure(data["requests"], list[DataSubjectRequest])
    as_of = datetime.fromisoformat(data["as_of"])
    expected = data["expected"]
    got = {
        r.request_id: {
            "day": due_day(r, policy=policy).isoformat(),
            "at": due_at(r, policy=policy).isoformat(),
        }
        for r in requests
    }
    assert got == expected["due"]
    assert [r.request_id for r in overdue_requests(requests, as_of=as_of, policy=policy)] == (
        expected["overdue"]
    )
    late = {r.request_id: answered_late(r, policy=policy) for r in requests if not r.is_open}
    assert late == expected["answered_late"]
