"""Direitos do titular (data-subject requests): the LGPD's articles 18 and 19, with their deadlines.

Reshop's customer module help page has the SAC desk change "data de nascimento, e-mail e
número de celular" at the customer's request; the LGPD (Lei 13.709/2018) makes such
requests a duty with a deadline. Article 18 lists what the customer (*o titular*) may ask
for (:class:`RequestKind`); article 19 says how fast the confirmation and the access must
come: "I - em formato simplificado, imediatamente; ou II - por meio de declaração clara e
completa [...] fornecida no prazo de até 15 (quinze) dias, contado da data do requerimento
do titular".

**The rule, exactly.** A :class:`DataSubjectRequest` is received at an instant (kept in
UTC) and answered at most once, with a :class:`RequestOutcome` (a refusal says why, as
article 18 §4 requires). Its deadline (:func:`due_at`) is the first instant after which an
unanswered request is late, with local days in the policy's time zone:

* a SIMPLIFIED answer (only a confirmation or an access may be asked for in that form) is
  due "imediatamente": the law gives no hours, so otocore reads it as *by the end of the
  local day the request was received*;
* a COMPLETE answer is due by the end of the local day ``received + N``, N being
  :attr:`PrivacyPolicy.complete_within_days` (15 by default, never more). The days are
  counted as the Civil Code's article 132 counts them: the day of the request is excluded,
  the last day included. A deadline that falls on a weekend or a holiday is *not* moved to
  the next working day: otocore has no holiday calendar, so it takes the earlier, safer
  date. Article 19 sets the 15 days for confirmation and access; the other requests of
  article 18 wait for a regulation (§5), so otocore gives them the same 15 days unless the
  brand chooses fewer.

A request is *overdue* at ``as_of`` when it is unanswered and ``as_of`` is at or past its
deadline (:func:`overdue_requests`); an answered request was *late* when its answer came
at or after the deadline (:func:`answered_late`).

>>> from datetime import datetime
>>> from zoneinfo import ZoneInfo
>>> SP = ZoneInfo("America/Sao_Paulo")
>>> request = DataSubjectRequest(
...     request_id="R1",
...     customer_id="C1",
...     kind=RequestKind.ACCESS,
...     received_at=datetime(2026, 12, 1, 16, 30, tzinfo=SP),
... )
>>> due_at(request).astimezone(SP).isoformat()
'2026-12-17T00:00:00-03:00'
>>> [
...     r.request_id
...     for r in overdue_requests([request], as_of=datetime(2026, 12, 16, 23, 59, tzinfo=SP))
... ]
[]
>>> [
...     r.request_id
...     for r in overdue_requests([request], as_of=datetime(2026, 12, 17, 0, 0, tzinfo=SP))
... ]
['R1']
>>> answered = answer_request(
...     request,
...     at=datetime(2026, 12, 10, 9, 0, tzinfo=SP),
...     outcome=RequestOutcome.FULFILLED,
...     answer="cópia dos dados enviada por e-mail",
... )
>>> answered.is_open, answered_late(answered)
(False, False)

Each error names the field and the value:

>>> DataSubjectRequest(
...     request_id="R2",
...     customer_id="C1",
...     kind=RequestKind.DELETION,
...     received_at=datetime(2026, 12, 1, 16, 30, tzinfo=SP),
...     form=AnswerForm.SIMPLIFIED,
... )
Traceback (most recent call last):
...
otocore.errors.ValidationError: DataSubjectRequest.form may be SIMPLIFIED only for a confirmation or an access (LGPD art. 19), got <AnswerForm.SIMPLIFIED: 'simplified'>
>>> answer_request(answered, at=datetime(2026, 12, 11, tzinfo=SP), outcome=RequestOutcome.FULFILLED)
Traceback (most recent call last):
...
otocore.errors.RuleViolation: request R1 was already answered at 2026-12-10T12:00:00+00:00
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE, local_day
from otocore.errors import RuleViolation, ValidationError

__all__ = [
    "LEGAL_COMPLETE_DAYS",
    "AnswerForm",
    "DataSubjectRequest",
    "FulfillingAction",
    "PrivacyPolicy",
    "RequestKind",
    "RequestOutcome",
    "answer_request",
    "answered_late",
    "check_fulfilment",
    "due_at",
    "due_day",
    "fulfilment",
    "overdue_requests",
]

LEGAL_COMPLETE_DAYS = 15
"""The LGPD's article 19, II: a complete answer "no prazo de até 15 (quinze) dias"."""


class RequestKind(enum.Enum):
    """What the customer asks for: the items of the LGPD's article 18.

    >>> RequestKind("access").article
    'art. 18, II'
    """

    CONFIRMATION = "confirmation"
    """I: "confirmação da existência de tratamento"."""
    ACCESS = "access"
    """II: "acesso aos dados"."""
    CORRECTION = "correction"
    """III: "correção de dados incompletos, inexatos ou desatualizados"."""
    ANONYMIZATION = "anonymization"
    """IV: "anonimização, bloqueio ou eliminação de dados desnecessários, excessivos ou tratados
    em desconformidade"."""
    PORTABILITY = "portability"
    """V: "portabilidade dos dados a outro fornecedor de serviço ou produto"."""
    DELETION = "deletion"
    """VI: "eliminação dos dados pessoais tratados com o consentimento do titular"."""
    SHARING_INFORMATION = "sharing_information"
    """VII: "informação das entidades públicas e privadas com as quais o controlador realizou
    uso compartilhado de dados"."""
    CONSENT_INFORMATION = "consent_information"
    """VIII: "informação sobre a possibilidade de não fornecer consentimento e sobre as
    consequências da negativa"."""
    CONSENT_REVOCATION = "consent_revocation"
    """IX: "revogação do consentimento"."""

    @property
    def article(self) -> str:
        """The item of article 18 this kind is, as a citation (``'art. 18, IV'``)."""
        return f"art. 18, {_ITEMS[self]}"


_ITEMS = dict(
    zip(RequestKind, ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX"), strict=True)
)
_MAY_BE_SIMPLIFIED = frozenset({RequestKind.CONFIRMATION, RequestKind.ACCESS})


class AnswerForm(enum.Enum):
    """How the answer is asked for (article 19): at once and simplified, or complete.

    >>> AnswerForm("complete")
    <AnswerForm.COMPLETE: 'complete'>
    """

    SIMPLIFIED = "simplified"
    """"em formato simplificado, imediatamente" (confirmation and access only)."""
    COMPLETE = "complete"
    """"por meio de declaração clara e completa", within the policy's days."""


class RequestOutcome(enum.Enum):
    """How a request was answered.

    >>> RequestOutcome("refused")
    <RequestOutcome.REFUSED: 'refused'>
    """

    FULFILLED = "fulfilled"
    PARTIALLY_FULFILLED = "partially_fulfilled"
    """Done in part, the answer saying which part was not and why (say, the orders kept for
    the fiscal records, as article 16 allows)."""
    REFUSED = "refused"
    """Not done; the answer must give the reasons (article 18 §4)."""


@attrs.frozen(kw_only=True)
class PrivacyPolicy:
    """The brand's deadlines for data-subject requests.

    Attributes:
        complete_within_days: the days a complete answer may take, counted from the day
            after the request (1 to 15; the law allows at most 15).
        time_zone: IANA zone in which local days begin and end (default
            ``"America/Sao_Paulo"``).

    >>> PrivacyPolicy()
    PrivacyPolicy(complete_within_days=15, time_zone='America/Sao_Paulo')
    >>> PrivacyPolicy(complete_within_days=20)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: PrivacyPolicy.complete_within_days must be <= 15, got 20
    """

    complete_within_days: int = attrs.field(
        default=LEGAL_COMPLETE_DAYS,
        validator=v.integer(min_value=1, max_value=LEGAL_COMPLETE_DAYS),
    )
    time_zone: str = attrs.field(default=DEFAULT_TIME_ZONE, validator=v.time_zone)


def _check_form(instance: DataSubjectRequest, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.require_enum(v.field_name(instance, attribute), value, AnswerForm)
    if value is AnswerForm.SIMPLIFIED and instance.kind not in _MAY_BE_SIMPLIFIED:
        raise ValidationError(
            v.field_name(instance, attribute),
            value,
            "may be SIMPLIFIED only for a confirmation or an access (LGPD art. 19)",
        )


def _check_answer(instance: DataSubjectRequest) -> None:
    name = type(instance).__name__
    if (instance.answered_at is None) != (instance.outcome is None):
        raise ValidationError(
            f"{name}.outcome",
            instance.outcome,
            "and answered_at must be given together (an answered request has both)",
        )
    if instance.answered_at is not None and instance.answered_at < instance.received_at:
        raise ValidationError(
            f"{name}.answered_at",
            instance.answered_at,
            f"must not be before received_at {instance.received_at.isoformat()}",
        )
    if instance.outcome is RequestOutcome.REFUSED and instance.answer is None:
        raise ValidationError(
            f"{name}.answer",
            instance.answer,
            "must give the reasons of a refusal (LGPD art. 18 §4)",
        )


@attrs.frozen(kw_only=True)
class DataSubjectRequest:
    """Requisição do titular: one request of a customer under article 18, and its answer.

    Attributes:
        request_id: the brand's id of the request (a protocol number).
        customer_id: the customer who asked.
        kind: what was asked for (:class:`RequestKind`).
        received_at: when the request arrived; aware, kept in UTC.
        form: SIMPLIFIED or COMPLETE (:class:`AnswerForm`; default COMPLETE).
        detail: what the customer said (which data to correct, say), or ``None``.
        answered_at: when the answer was given, or ``None`` while open; kept in UTC.
        outcome: the :class:`RequestOutcome`, given with ``answered_at``.
        answer: what the brand answered, or ``None`` (required for a refusal: its reasons).

    >>> from datetime import UTC, datetime
    >>> DataSubjectRequest(
    ...     request_id="R1",
    ...     customer_id="C1",
    ...     kind=RequestKind.CORRECTION,
    ...     received_at=datetime(2026, 12, 1, 12, tzinfo=UTC),
    ...     detail="e-mail novo: ana@example.com",
    ... ).is_open
    True
    """

    request_id: str = attrs.field(validator=v.text(100))
    customer_id: str = attrs.field(validator=v.text(100))
    kind: RequestKind = attrs.field(validator=v.member_of(RequestKind))
    received_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    form: AnswerForm = attrs.field(default=AnswerForm.COMPLETE, validator=_check_form)
    detail: str | None = attrs.field(default=None, validator=v.optional_text(2000, multiline=True))
    answered_at: datetime | None = attrs.field(default=None, converter=v.instant)  # type: ignore[misc]
    outcome: RequestOutcome | None = attrs.field(
        default=None, validator=v.optional_instance_of(RequestOutcome)
    )
    answer: str | None = attrs.field(default=None, validator=v.optional_text(2000, multiline=True))

    def __attrs_post_init__(self) -> None:
        _check_answer(self)

    @property
    def is_open(self) -> bool:
        """Whether the request still waits for its answer."""
        return self.answered_at is None


def due_day(request: DataSubjectRequest, *, policy: PrivacyPolicy | None = None) -> date:
    """The last local day on which the answer is on time.

    The day of the request for a SIMPLIFIED answer; ``policy.complete_within_days`` days
    after it for a COMPLETE one (the day of the request excluded, the last day included).

    >>> from datetime import datetime
    >>> from zoneinfo import ZoneInfo
    >>> SP = ZoneInfo("America/Sao_Paulo")
    >>> r = DataSubjectRequest(
    ...     request_id="R1",
    ...     customer_id="C1",
    ...     kind=RequestKind.CONFIRMATION,
    ...     received_at=datetime(2026, 12, 31, 23, 59, tzinfo=SP),
    ... )
    >>> due_day(r), due_day(r, policy=PrivacyPolicy(complete_within_days=5))
    (datetime.date(2027, 1, 15), datetime.date(2027, 1, 5))
    >>> due_day(attrs.evolve(r, form=AnswerForm.SIMPLIFIED))
    datetime.date(2026, 12, 31)
    """
    v.require_instance("request", request, DataSubjectRequest)
    rules = _policy(policy)
    received = local_day(request.received_at, ZoneInfo(rules.time_zone))
    if request.form is AnswerForm.SIMPLIFIED:
        return received
    return received + timedelta(days=rules.complete_within_days)


def due_at(request: DataSubjectRequest, *, policy: PrivacyPolicy | None = None) -> datetime:
    """The first instant (UTC) at which an unanswered request is late: the start of the day
    after :func:`due_day`.

    >>> from datetime import UTC, datetime
    >>> r = DataSubjectRequest(
    ...     request_id="R1",
    ...     customer_id="C1",
    ...     kind=RequestKind.ACCESS,
    ...     received_at=datetime(2026, 12, 1, 2, 0, tzinfo=UTC),  # 23:00 of 30 Nov in São Paulo
    ...     form=AnswerForm.SIMPLIFIED,
    ... )
    >>> due_at(r).isoformat()
    '2026-12-01T03:00:00+00:00'
    """
    rules = _policy(policy)
    last = due_day(request, policy=rules)
    start = datetime.combine(last + timedelta(days=1), time(0), tzinfo=ZoneInfo(rules.time_zone))
    return start.astimezone(UTC)


def answer_request(
    request: DataSubjectRequest,
    *,
    at: datetime,
    outcome: RequestOutcome,
    answer: str | None = None,
) -> DataSubjectRequest:
    """The request answered at ``at``: a new value (requests are frozen).

    Raises:
        RuleViolation: the request was already answered (a request is answered once; a
            new request is a new value).
        ValidationError: ``at`` is before the request was received, ``outcome`` is not a
            :class:`RequestOutcome`, or a refusal gives no reasons.

    >>> from datetime import UTC, datetime
    >>> r = DataSubjectRequest(
    ...     request_id="R1",
    ...     customer_id="C1",
    ...     kind=RequestKind.DELETION,
    ...     received_at=datetime(2026, 12, 1, 12, tzinfo=UTC),
    ... )
    >>> answer_request(r, at=datetime(2026, 12, 2, tzinfo=UTC), outcome=RequestOutcome.REFUSED)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: DataSubjectRequest.answer must give the reasons of a refusal (LGPD art. 18 §4), got None
    """
    v.require_instance("request", request, DataSubjectRequest)
    if request.answered_at is not None:
        raise RuleViolation(
            f"request {request.request_id} was already answered at "
            f"{request.answered_at.isoformat()}"
        )
    v.require_enum("outcome", outcome, RequestOutcome)
    return attrs.evolve(request, answered_at=at, outcome=outcome, answer=answer)


def answered_late(request: DataSubjectRequest, *, policy: PrivacyPolicy | None = None) -> bool:
    """Whether an answered request was answered at or after its deadline (False while open).

    >>> from datetime import UTC, datetime
    >>> r = DataSubjectRequest(
    ...     request_id="R1",
    ...     customer_id="C1",
    ...     kind=RequestKind.PORTABILITY,
    ...     received_at=datetime(2026, 12, 1, 12, tzinfo=UTC),
    ... )
    >>> done = answer_request(
    ...     r, at=datetime(2026, 12, 17, 3, 0, tzinfo=UTC), outcome=RequestOutcome.FULFILLED
    ... )
    >>> answered_late(done)  # 17 Dec 00:00 in São Paulo: one day late
    True
    """
    v.require_instance("request", request, DataSubjectRequest)
    if request.answered_at is None:
        return False
    return request.answered_at >= due_at(request, policy=policy)


def overdue_requests(
    requests: Iterable[DataSubjectRequest],
    *,
    as_of: datetime,
    policy: PrivacyPolicy | None = None,
) -> list[DataSubjectRequest]:
    """The open requests whose deadline has passed at ``as_of``: the most overdue first.

    Sorted by deadline, then ``request_id``, whatever order they were given in. A request
    is overdue from the first instant of the day after :func:`due_day`.

    Raises:
        ValidationError: ``as_of`` is not an aware datetime, ``requests`` holds
            something that is not a :class:`DataSubjectRequest`, or two requests share a
            ``request_id``.

    >>> from datetime import UTC, datetime
    >>> overdue_requests([], as_of=datetime(2026, 12, 1))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: as_of must be timezone-aware, got datetime.datetime(2026, 12, 1, 0, 0)
    """
    now = v.require_aware("as_of", as_of)
    rules = _policy(policy)
    late = []
    seen: set[str] = set()
    for i, request in enumerate(v.iter_instances("requests", requests, DataSubjectRequest)):
        if request.request_id in seen:
            raise ValidationError(
                f"requests[{i}].request_id", request.request_id, "must not repeat an earlier one"
            )
        seen.add(request.request_id)
        if request.is_open:
            late.append((due_at(request, policy=rules), request.request_id, request))
    return [request for due, _, request in sorted(late, key=lambda t: t[:2]) if now >= due]


def _policy(policy: PrivacyPolicy | None) -> PrivacyPolicy:
    if policy is None:
        return PrivacyPolicy()
    return v.require_instance("policy", policy, PrivacyPolicy)


class FulfillingAction(enum.Enum):
    """An LGPD action of :mod:`otocore.privacy` that can answer the request it carries out.

    >>> FulfillingAction("anonymize")
    <FulfillingAction.ANONYMIZE: 'anonymize'>
    """

    EXPORT = "export"
    """:func:`~otocore.privacy.export_subject_data`: the JSON of everything otocore holds."""
    CORRECT = "correct"
    """:meth:`~otocore.privacy.PrivacyService.edit_customer`: the SAC edit."""
    ANONYMIZE = "anonymize"
    """:func:`~otocore.privacy.anonymize_customer`."""
    DELETE = "delete"
    """:func:`~otocore.privacy.delete_customer`."""
    REVOKE_CONSENT = "revoke_consent"
    """:func:`~otocore.privacy.revoke_consent`."""


_FULFILS: dict[FulfillingAction, dict[RequestKind, RequestOutcome]] = {
    # the export is the complete declaration of art. 19 II: it confirms the processing
    # (I), gives access (II) and is the portable copy (V)
    FulfillingAction.EXPORT: {
        RequestKind.CONFIRMATION: RequestOutcome.FULFILLED,
        RequestKind.ACCESS: RequestOutcome.FULFILLED,
        RequestKind.PORTABILITY: RequestOutcome.FULFILLED,
    },
    FulfillingAction.CORRECT: {RequestKind.CORRECTION: RequestOutcome.FULFILLED},
    # asked to delete (VI), a customer whose orders the law keeps (art. 16 I) is
    # anonymized instead: the orders stay, so the deletion is only partial
    FulfillingAction.ANONYMIZE: {
        RequestKind.ANONYMIZATION: RequestOutcome.FULFILLED,
        RequestKind.DELETION: RequestOutcome.PARTIALLY_FULFILLED,
    },
    # item IV reads "anonimização, bloqueio ou eliminação": deleting fulfils it too
    FulfillingAction.DELETE: {
        RequestKind.DELETION: RequestOutcome.FULFILLED,
        RequestKind.ANONYMIZATION: RequestOutcome.FULFILLED,
    },
    FulfillingAction.REVOKE_CONSENT: {RequestKind.CONSENT_REVOCATION: RequestOutcome.FULFILLED},
}


def fulfilment(action: FulfillingAction, kind: RequestKind) -> RequestOutcome | None:
    """How ``action`` answers a request of ``kind``, or ``None`` if it does not answer it.

    * ``EXPORT`` answers CONFIRMATION, ACCESS and PORTABILITY: FULFILLED;
    * ``CORRECT`` answers CORRECTION: FULFILLED;
    * ``ANONYMIZE`` answers ANONYMIZATION: FULFILLED, and DELETION: PARTIALLY_FULFILLED (the
      orders are kept, art. 16 I);
    * ``DELETE`` answers DELETION and ANONYMIZATION (item IV: "eliminação"): FULFILLED;
    * ``REVOKE_CONSENT`` answers CONSENT_REVOCATION: FULFILLED.

    >>> fulfilment(FulfillingAction.ANONYMIZE, RequestKind.DELETION)
    <RequestOutcome.PARTIALLY_FULFILLED: 'partially_fulfilled'>
    >>> fulfilment(FulfillingAction.EXPORT, RequestKind.CORRECTION) is None
    True
    """
    done = v.require_enum("action", action, FulfillingAction)
    asked = v.require_enum("kind", kind, RequestKind)
    return _FULFILS[done].get(asked)


_NOUNS = {
    FulfillingAction.EXPORT: "an export",
    FulfillingAction.CORRECT: "an edit",
    FulfillingAction.ANONYMIZE: "an anonymization",
    FulfillingAction.DELETE: "a deletion",
    FulfillingAction.REVOKE_CONSENT: "a consent revocation",
}


def _kinds(action: FulfillingAction) -> str:
    return ", ".join(k.value for k in RequestKind if k in _FULFILS[action])


def check_fulfilment(
    request: DataSubjectRequest,
    *,
    action: FulfillingAction,
    customer_id: str,
    at: datetime,
) -> RequestOutcome:
    """The outcome with which ``action`` on ``customer_id`` at ``at`` answers ``request``.

    The request must be the same customer's, of a kind the action answers
    (:func:`fulfilment`), still open, and received at or before ``at``.

    Raises:
        ValidationError: ``request_id`` (naming the request) when it is another
            customer's, of a kind the action does not answer, or already answered;
            ``at`` when it is before the request was received.

    >>> from datetime import UTC, datetime
    >>> r = DataSubjectRequest(
    ...     request_id="R1",
    ...     customer_id="C1",
    ...     kind=RequestKind.CORRECTION,
    ...     received_at=datetime(2026, 12, 1, 12, tzinfo=UTC),
    ... )
    >>> check_fulfilment(
    ...     r,
    ...     action=FulfillingAction.EXPORT,
    ...     customer_id="C1",
    ...     at=datetime(2026, 12, 2, tzinfo=UTC),
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: request_id is a correction request (art. 18, III), which an export does not answer (it answers: confirmation, access, portability), got 'R1'
    """
    v.require_instance("request", request, DataSubjectRequest)
    done = v.require_enum("action", action, FulfillingAction)
    key = v.require_text("customer_id", customer_id, max_length=100)
    when = v.require_aware("at", at)
    rid = request.request_id
    if request.customer_id != key:
        raise ValidationError(
            "request_id",
            rid,
            f"is customer {request.customer_id}'s request, not customer {key}'s",
        )
    outcome = _FULFILS[done].get(request.kind)
    if outcome is None:
        raise ValidationError(
            "request_id",
            rid,
            f"is a {request.kind.value} request ({request.kind.article}), which"
            f" {_NOUNS[done]} does not answer (it answers: {_kinds(done)})",
        )
    if request.answered_at is not None:
        raise ValidationError(
            "request_id",
            rid,
            f"was already answered at {request.answered_at.isoformat()}"
            f" ({request.outcome.value if request.outcome else ''}); a request is answered once",
        )
    if when < request.received_at:
        raise ValidationError(
            "at",
            when,
            f"must not be before request {rid} was received ({request.received_at.isoformat()})",
        )
    return outcome
