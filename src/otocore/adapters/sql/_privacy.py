"""The SQL repository of data-subject requests (issue 15), table ``data_requests``."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from otocore.adapters._common import require_key
from otocore.adapters._privacy import check_answer, check_request, request_taken
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._base import Repository
from otocore.adapters.sql._rows import RowMap
from otocore.privacy import (
    AnswerForm,
    DataSubjectRequest,
    PrivacyPolicy,
    RequestKind,
    RequestOutcome,
    overdue_requests,
)
from otocore.privacy._store import RequestAlreadyAnswered

_R = t.data_requests.c
_REQUEST = RowMap(
    DataSubjectRequest,
    ("request_id", "customer_id", "received_at", "detail", "answered_at", "answer"),
    {"kind": RequestKind, "form": AnswerForm, "outcome": RequestOutcome},
)
_ORDER = (_R.received_at, _R.request_id)


def _load(row: Any) -> DataSubjectRequest:
    return _REQUEST.load(row)


class DataRequests(Repository):
    def add(self, request: DataSubjectRequest) -> None:
        row = _REQUEST.row(check_request(request))
        if self._first(sa.select(_R.request_id).where(_R.request_id == row["request_id"])):
            raise request_taken(row["request_id"])
        self._write_once(
            sa.insert(t.data_requests).values(**row), lambda: request_taken(row["request_id"])
        )

    def get(self, request_id: str) -> DataSubjectRequest:
        return self._get_by(
            _R.request_id, require_key("request_id", request_id), _load, "DataSubjectRequest"
        )

    def answer(self, answered: DataSubjectRequest) -> None:
        checked = check_request(answered)
        check_answer(self.get(checked.request_id), checked)
        assert checked.outcome is not None  # noqa: S101 - check_answer: answered
        stmt = (
            sa.update(t.data_requests)
            .where(_R.request_id == checked.request_id, _R.answered_at.is_(None))
            .values(
                answered_at=checked.answered_at,
                outcome=checked.outcome.value,
                answer=checked.answer,
            )
        )
        if self._c.execute(stmt).rowcount == 0:  # answered since it was read
            raise RequestAlreadyAnswered(checked.request_id)

    def list_open(self) -> builtins.list[DataSubjectRequest]:
        stmt = sa.select(t.data_requests).where(_R.answered_at.is_(None)).order_by(*_ORDER)
        return self._all(stmt, _load)

    def overdue(
        self, *, as_of: datetime, policy: PrivacyPolicy | None = None
    ) -> builtins.list[DataSubjectRequest]:
        return overdue_requests(self.list_open(), as_of=as_of, policy=policy)

    def for_customer(self, customer_id: str) -> builtins.list[DataSubjectRequest]:
        key = require_key("customer_id", customer_id)
        stmt = sa.select(t.data_requests).where(_R.customer_id == key).order_by(*_ORDER)
        return self._all(stmt, _load)

    def redact_details(self, customer_id: str) -> int:
        key = require_key("customer_id", customer_id)
        stmt = (
            sa.update(t.data_requests)
            .where(_R.customer_id == key, _R.detail.is_not(None))
            .values(detail=None)
        )
        return int(self._c.execute(stmt).rowcount)
