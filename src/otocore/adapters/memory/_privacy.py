"""The in-memory repository of data-subject requests (issue 15)."""

from __future__ import annotations

import builtins
from datetime import datetime

import attrs

from otocore.adapters._common import require_key
from otocore.adapters._privacy import check_answer, check_request, request_taken
from otocore.adapters.memory._base import Repository
from otocore.privacy import DataSubjectRequest, PrivacyPolicy, overdue_requests


def _order(r: DataSubjectRequest) -> tuple[datetime, str]:
    return r.received_at, r.request_id


class DataRequests(Repository):
    """One row per request: the frozen :class:`DataSubjectRequest` itself, under its id."""

    def add(self, request: DataSubjectRequest) -> None:
        checked = check_request(request)
        self._uow._take_write_lock()
        if self._t.get("data_requests", checked.request_id) is not None:
            raise request_taken(checked.request_id)
        self._t.put("data_requests", checked.request_id, checked)

    def get(self, request_id: str) -> DataSubjectRequest:
        return self._get("data_requests", "request_id", request_id, DataSubjectRequest)

    def answer(self, answered: DataSubjectRequest) -> None:
        checked = check_request(answered)
        self._uow._take_write_lock()
        check_answer(self.get(checked.request_id), checked)
        self._t.put("data_requests", checked.request_id, checked)

    def list_open(self) -> builtins.list[DataSubjectRequest]:
        rows = [r for r in self._t.rows("data_requests").values() if r.is_open]
        return sorted(rows, key=_order)

    def overdue(
        self, *, as_of: datetime, policy: PrivacyPolicy | None = None
    ) -> builtins.list[DataSubjectRequest]:
        return overdue_requests(self.list_open(), as_of=as_of, policy=policy)

    def for_customer(self, customer_id: str) -> builtins.list[DataSubjectRequest]:
        key = require_key("customer_id", customer_id)
        rows = [r for r in self._t.rows("data_requests").values() if r.customer_id == key]
        return sorted(rows, key=_order)

    def redact_details(self, customer_id: str) -> int:
        key = require_key("customer_id", customer_id)
        self._uow._take_write_lock()
        changed = 0
        for request in self.for_customer(key):
            if request.detail is not None:
                self._t.put("data_requests", request.request_id, attrs.evolve(request, detail=None))
                changed += 1
        return changed
