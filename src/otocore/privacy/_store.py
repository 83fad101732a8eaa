"""Where data-subject requests are kept: the repository protocol and the unit of work that has it.

The request values live in this (services) layer, above :mod:`otocore.repositories`, so
their repository protocol is declared here and the stores' units of work
(:mod:`otocore.adapters.memory`, :mod:`otocore.adapters.sql`) have it as
``uow.data_requests``: :class:`PrivacyUnitOfWork`.
"""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Protocol, cast

from otocore import _validate as v
from otocore.errors import ConfigurationError, NotFound, RuleViolation
from otocore.privacy._requests import (
    DataSubjectRequest,
    FulfillingAction,
    PrivacyPolicy,
    answer_request,
    check_fulfilment,
    fulfilment,
)
from otocore.repositories import UnitOfWork

__all__ = ["DataSubjectRequestRepository", "PrivacyUnitOfWork", "RequestAlreadyAnswered"]


class RequestAlreadyAnswered(RuleViolation):
    """The request was answered by someone else since it was read (compare-and-set lost).

    >>> print(RequestAlreadyAnswered("R1"))
    request R1 was already answered; nothing was written
    """

    def __init__(self, request_id: str) -> None:
        self.request_id = request_id
        super().__init__(f"request {request_id} was already answered; nothing was written")


class DataSubjectRequestRepository(Protocol):
    """Requisições do titular (data-subject requests), keyed by ``request_id``; answered once.

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.privacy import RequestKind, RequestOutcome, answer_request
    >>> uow = InMemoryUnitOfWork()
    >>> request = DataSubjectRequest(
    ...     request_id="R1",
    ...     customer_id="C1",
    ...     kind=RequestKind.ACCESS,
    ...     received_at=datetime(2026, 12, 1, 12, tzinfo=UTC),
    ... )
    >>> with uow.writing():
    ...     uow.data_requests.add(request)
    ...     [
    ...         r.request_id
    ...         for r in uow.data_requests.overdue(as_of=datetime(2026, 12, 20, tzinfo=UTC))
    ...     ]
    ['R1']
    >>> done = answer_request(
    ...     request, at=datetime(2026, 12, 2, tzinfo=UTC), outcome=RequestOutcome.FULFILLED
    ... )
    >>> with uow.writing():
    ...     uow.data_requests.answer(done)
    ...     uow.data_requests.list_open()
    []
    """

    def add(self, request: DataSubjectRequest) -> None:
        """Store a new request; an id already stored is a RuleViolation (never replaced)."""

    def get(self, request_id: str) -> DataSubjectRequest:
        """The stored request (NotFound if none)."""

    def answer(self, answered: DataSubjectRequest) -> None:
        """Store the answer of a stored open request (compare-and-set on "still open").

        ``answered`` is the stored request with ``answered_at``, ``outcome`` and ``answer``
        set (:func:`~otocore.privacy.answer_request`). NotFound if the id is not stored;
        :class:`RequestAlreadyAnswered` if the stored one is answered already;
        ValidationError if ``answered`` is open or differs from the stored request in
        anything but its answer.
        """

    def list_open(self) -> builtins.list[DataSubjectRequest]:
        """The open requests, oldest first (by ``received_at``, then ``request_id``)."""

    def overdue(
        self, *, as_of: datetime, policy: PrivacyPolicy | None = None
    ) -> builtins.list[DataSubjectRequest]:
        """The open requests late at ``as_of``: :func:`~otocore.privacy.overdue_requests`."""

    def for_customer(self, customer_id: str) -> builtins.list[DataSubjectRequest]:
        """The customer's requests, open and answered, oldest first."""

    def redact_details(self, customer_id: str) -> int:
        """Remove the free-text ``detail`` of the customer's requests; the number changed.

        Anonymization and deletion call it: what the customer wrote ("e-mail novo: ...")
        is personal data; the request itself (kind, dates, outcome, answer) is the brand's
        record of having answered, and stays.
        """


class PrivacyUnitOfWork(UnitOfWork, Protocol):
    """A :class:`~otocore.repositories.UnitOfWork` that also keeps data-subject requests.

    Both of otocore's stores are one.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> with InMemoryUnitOfWork() as uow:
    ...     uow.data_requests.list_open()
    []
    """

    @property
    def data_requests(self) -> DataSubjectRequestRepository:
        """The data-subject requests (LGPD art. 18), answered once."""
        ...


def request_store(uow: UnitOfWork) -> DataSubjectRequestRepository:
    """``uow.data_requests``, or a ConfigurationError for a unit of work without it."""
    if not hasattr(type(uow), "data_requests"):
        raise ConfigurationError(
            f"the unit of work {type(uow).__name__} keeps no data-subject requests"
            " (uow.data_requests): use one of otocore's stores"
        )
    return cast(PrivacyUnitOfWork, uow).data_requests


def request_to_fulfil(
    uow: UnitOfWork,
    request_id: str,
    *,
    action: FulfillingAction,
    customer_id: str,
    at: datetime,
) -> DataSubjectRequest:
    """The stored request ``action`` will answer, checked, inside the action's write block.

    Raises:
        NotFound: no request ``request_id`` (kind ``DataSubjectRequest``).
        ValidationError: ``request_id`` is another customer's, of a kind the action
            does not answer, or already answered (:func:`check_fulfilment`).
    """
    key = v.require_text("request_id", request_id, max_length=100)
    store = request_store(uow)
    try:
        request = store.get(key)
    except NotFound:
        raise NotFound("DataSubjectRequest", key) from None
    check_fulfilment(request, action=action, customer_id=customer_id, at=at)
    return request


def answer_fulfilled(
    uow: UnitOfWork,
    request: DataSubjectRequest,
    *,
    action: FulfillingAction,
    at: datetime,
    answer: str,
) -> DataSubjectRequest:
    """Answer ``request`` as done by ``action`` (:func:`fulfilment`), in the action's block.

    ``action`` is what was done in the end: an anonymization that finds the customer
    deleted before answers as a deletion. A request someone answered meanwhile is
    :class:`RequestAlreadyAnswered` (compare-and-set), and the block rolls back.
    """
    outcome = fulfilment(action, request.kind)
    if outcome is None:  # the caller checked the kind; an anonymization found a deletion
        raise RuleViolation(
            f"request {request.request_id} ({request.kind.value}) is not answered by"
            f" {action.value}; nothing was written"
        )
    done = answer_request(request, at=at, outcome=outcome, answer=answer[:2000])
    request_store(uow).answer(done)
    return done
