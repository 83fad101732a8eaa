# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of data-subject requests (issue 15, SAC): ``uow.data_requests``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.privacy import (
    AnswerForm,
    DataSubjectRequest,
    RequestKind,
    RequestOutcome,
    answer_request,
    overdue_requests,
)
from otocore.privacy._store import RequestAlreadyAnswered
from otocore.testing._privacy import data_subject_requests
from otocore.testing.storage._builders import PROPERTY_SETTINGS

_AT = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


def _request(request_id: str, customer_id: str = "C1", **changes: Any) -> DataSubjectRequest:
    request = DataSubjectRequest(
        request_id=request_id,
        customer_id=customer_id,
        kind=RequestKind.ACCESS,
        received_at=_AT,
    )
    return attrs.evolve(request, **changes)


class DataRequestsContract:
    """The contract of the data-subject requests, as a pytest class.

    Subclass it and define a ``make_uow`` fixture, as for
    :class:`~otocore.testing.storage.UnitOfWorkContract`.

    >>> "test_a_request_is_answered_once" in dir(DataRequestsContract)
    True
    """

    @PROPERTY_SETTINGS
    @given(st.lists(data_subject_requests(), max_size=8, unique_by=lambda r: r.request_id))
    def test_requests_round_trip(
        self, make_uow: Callable[[], Any], requests: list[DataSubjectRequest]
    ) -> None:
        uow = make_uow()
        with uow.writing():
            for request in requests:
                uow.data_requests.add(request)
        with uow:
            for request in requests:
                assert uow.data_requests.get(request.request_id) == request
            expected = sorted(
                (r for r in requests if r.is_open), key=lambda r: (r.received_at, r.request_id)
            )
            assert uow.data_requests.list_open() == expected
            as_of = _AT + timedelta(days=30)
            assert uow.data_requests.overdue(as_of=as_of) == overdue_requests(requests, as_of=as_of)
            for customer in {r.customer_id for r in requests}:
                mine = [r for r in requests if r.customer_id == customer]
                assert uow.data_requests.for_customer(customer) == sorted(
                    mine, key=lambda r: (r.received_at, r.request_id)
                )

    def test_a_request_id_is_stored_once(self, make_uow: Callable[[], Any]) -> None:
        uow = make_uow()
        with uow.writing():
            uow.data_requests.add(_request("R1"))
        with pytest.raises(RuleViolation, match="already stored"), uow.writing():
            uow.data_requests.add(_request("R1", kind=RequestKind.DELETION))
        with uow:
            assert uow.data_requests.get("R1").kind is RequestKind.ACCESS

    def test_an_unknown_request_is_not_found(self, make_uow: Callable[[], Any]) -> None:
        uow = make_uow()
        with uow, pytest.raises(NotFound, match="R9"):
            uow.data_requests.get("R9")
        done = answer_request(
            _request("R9"), at=_AT + timedelta(days=1), outcome=RequestOutcome.FULFILLED
        )
        with uow.writing(), pytest.raises(NotFound, match="R9"):
            uow.data_requests.answer(done)

    def test_a_request_is_answered_once(self, make_uow: Callable[[], Any]) -> None:
        uow = make_uow()
        request = _request("R1", form=AnswerForm.SIMPLIFIED, detail="cópia dos dados")
        with uow.writing():
            uow.data_requests.add(request)
        first = answer_request(request, at=_AT, outcome=RequestOutcome.FULFILLED, answer="ok")
        second = answer_request(
            request, at=_AT + timedelta(hours=1), outcome=RequestOutcome.REFUSED, answer="não"
        )
        with uow.writing():
            uow.data_requests.answer(first)
        with pytest.raises(RequestAlreadyAnswered, match="R1"), uow.writing():
            uow.data_requests.answer(second)
        with uow:
            assert uow.data_requests.get("R1") == first
            assert uow.data_requests.list_open() == []
            assert uow.data_requests.for_customer("C1") == [first]

    def test_an_answer_changes_only_the_answer(self, make_uow: Callable[[], Any]) -> None:
        uow = make_uow()
        request = _request("R1")
        with uow.writing():
            uow.data_requests.add(request)
        other = answer_request(
            attrs.evolve(request, customer_id="C2"), at=_AT, outcome=RequestOutcome.FULFILLED
        )
        with pytest.raises(ValidationError, match="answer only") as caught, uow.writing():
            uow.data_requests.answer(other)
        assert caught.value.field == "answered"
        with pytest.raises(ValidationError, match="answer the request"), uow.writing():
            uow.data_requests.answer(request)
        with uow:
            assert uow.data_requests.get("R1") == request

    def test_overdue_is_the_rule_on_the_open_requests(self, make_uow: Callable[[], Any]) -> None:
        uow = make_uow()
        late = _request("R1")
        simplified = _request("R2", form=AnswerForm.SIMPLIFIED, received_at=_AT + timedelta(1))
        answered = answer_request(
            _request("R3"), at=_AT + timedelta(days=40), outcome=RequestOutcome.FULFILLED
        )
        with uow.writing():
            for r in (late, simplified, answered):
                uow.data_requests.add(r)
        with uow:
            at = datetime(2026, 12, 3, 3, 0, tzinfo=UTC)  # 3 Dec 00:00 in São Paulo
            assert [r.request_id for r in uow.data_requests.overdue(as_of=at)] == ["R2"]
            at = datetime(2026, 12, 17, 3, 0, tzinfo=UTC)
            assert [r.request_id for r in uow.data_requests.overdue(as_of=at)] == [
                "R2",
                "R1",
            ]  # most overdue first
