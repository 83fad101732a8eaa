"""Direitos do titular: the LGPD's data-subject requests, with their deadlines, as a service.

Reshop's customer module help page has the SAC desk change "data de nascimento, e-mail e
número de celular" at the customer's request; the LGPD (Lei 13.709/2018) makes such
requests a duty with a deadline. The rule of the deadlines (articles 18 and 19) is
:func:`due_at`, :func:`overdue_requests` and :func:`answer_request` over frozen
:class:`DataSubjectRequest` values; the documentation's "LGPD duties" page tells what otocore does
and what the integrator must still do.

>>> from datetime import UTC, datetime
>>> request = DataSubjectRequest(
...     request_id="R1",
...     customer_id="C1",
...     kind=RequestKind.ACCESS,
...     received_at=datetime(2026, 12, 1, 12, tzinfo=UTC),
... )
>>> due_at(request).isoformat()
'2026-12-17T03:00:00+00:00'
"""

from __future__ import annotations

from otocore.privacy._access_log import (
    ACCESS_LOG_PAGE,
    MAX_ACCESS_LOG_PAGE,
    AccessLogFilter,
    AccessLogPage,
    AccessLogService,
)
from otocore.privacy._edits import (
    EDITABLE_FIELDS,
    FieldChange,
    edit_customer,
    replay_history,
    unwind_history,
)
from otocore.privacy._erasure import (
    CONFIRMATION_WORD,
    ConsentRevocation,
    ErasureOutcome,
    ErasureReport,
    RemovalPlan,
    anonymize_customer,
    delete_customer,
    plan_removal,
    remove_customers,
    revoke_consent,
)
from otocore.privacy._export import PRIVACY_ROLES, SUBJECT_DATA_SCHEMA, export_subject_data
from otocore.privacy._requests import (
    LEGAL_COMPLETE_DAYS,
    AnswerForm,
    DataSubjectRequest,
    FulfillingAction,
    PrivacyPolicy,
    RequestKind,
    RequestOutcome,
    answer_request,
    answered_late,
    check_fulfilment,
    due_at,
    due_day,
    fulfilment,
    overdue_requests,
)
from otocore.privacy._service import CustomerEdit, PrivacyService
from otocore.privacy._store import (
    DataSubjectRequestRepository,
    PrivacyUnitOfWork,
    RequestAlreadyAnswered,
)

__all__ = [
    "ACCESS_LOG_PAGE",
    "CONFIRMATION_WORD",
    "EDITABLE_FIELDS",
    "LEGAL_COMPLETE_DAYS",
    "MAX_ACCESS_LOG_PAGE",
    "PRIVACY_ROLES",
    "SUBJECT_DATA_SCHEMA",
    "AccessLogFilter",
    "AccessLogPage",
    "AccessLogService",
    "AnswerForm",
    "ConsentRevocation",
    "CustomerEdit",
    "DataSubjectRequest",
    "DataSubjectRequestRepository",
    "ErasureOutcome",
    "ErasureReport",
    "FieldChange",
    "FulfillingAction",
    "PrivacyPolicy",
    "PrivacyService",
    "PrivacyUnitOfWork",
    "RemovalPlan",
    "RequestAlreadyAnswered",
    "RequestKind",
    "RequestOutcome",
    "anonymize_customer",
    "answer_request",
    "answered_late",
    "check_fulfilment",
    "delete_customer",
    "due_at",
    "due_day",
    "edit_customer",
    "export_subject_data",
    "fulfilment",
    "overdue_requests",
    "plan_removal",
    "remove_customers",
    "replay_history",
    "revoke_consent",
    "unwind_history",
]
