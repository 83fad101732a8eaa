"""What the memory and SQL stores share for data-subject requests: the checks of a write."""

from __future__ import annotations

from typing import Any

import attrs

from otocore.adapters._common import require
from otocore.errors import RuleViolation, ValidationError
from otocore.privacy import DataSubjectRequest
from otocore.privacy._store import RequestAlreadyAnswered


def check_request(request: Any) -> DataSubjectRequest:
    """A :class:`DataSubjectRequest` to store."""
    return require("request", request, DataSubjectRequest)


def request_taken(request_id: str) -> RuleViolation:
    """The error of adding a request whose id is already stored."""
    return RuleViolation(
        f"a data-subject request {request_id!r} is already stored; requests are never replaced"
    )


def check_answer(stored: DataSubjectRequest, answered: DataSubjectRequest) -> None:
    """``answered`` may replace ``stored``: the same request, now answered; ``stored`` open."""
    if answered.is_open:
        raise ValidationError("answered.answered_at", None, "must be set (answer the request)")
    if not stored.is_open:
        raise RequestAlreadyAnswered(stored.request_id)
    reopened = attrs.evolve(answered, answered_at=None, outcome=None, answer=None)
    if reopened != stored:
        raise ValidationError(
            "answered",
            answered.request_id,
            "must be the stored request with its answer only (the request itself never changes)",
        )
