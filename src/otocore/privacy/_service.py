"""O serviço do SAC e da LGPD (the SAC and LGPD service): edits, the history, data-subject requests.

Every method is an audited action, as the account service's are: the acting
:class:`~otocore.access.Principal` is re-read from the store, authorized with the
permission table of :mod:`otocore.access` (``edit_customer``,
``view_customer_history``, ``handle_data_requests``: brand admins and the call center,
which is the SAC desk), and one audit entry (ALLOWED, DENIED or FAILED) is written with
the work, in one write transaction. The audit entries never carry a customer's values:
an edit's entry names the customer and the fields, a refused value is logged as "not
logged" (the audit log cannot be redacted when the customer is anonymized; the history
can).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import attrs

from otocore import _validate as v
from otocore._time import local_day
from otocore.access import Action, Principal, Target
from otocore.accounts._audit import Audited, require_principal
from otocore.clock import Clock
from otocore.customers import CpfPolicy, Customer
from otocore.errors import RuleViolation, ValidationError
from otocore.history import AccessAction, AccessEvent, HistoryChange, HistoryEntry, HistoryReason
from otocore.privacy._edits import edit_customer
from otocore.privacy._requests import (
    AnswerForm,
    DataSubjectRequest,
    FulfillingAction,
    PrivacyPolicy,
    RequestKind,
    RequestOutcome,
    answer_request,
)
from otocore.privacy._store import (
    DataSubjectRequestRepository,
    PrivacyUnitOfWork,
    answer_fulfilled,
    request_store,
    request_to_fulfil,
)
from otocore.repositories import UnitOfWork

__all__ = ["CustomerEdit", "PrivacyService"]

REQUEST_SEQUENCE = "data_request"
"""The sequence (``uow.sequences``) that numbers the requests the service opens."""


@attrs.frozen(kw_only=True)
class CustomerEdit:
    """The result of an SAC edit: the customer as now stored and the history entries written.

    ``entries`` is empty when the value given was the value already stored (nothing was
    written but the audit entry). ``request`` is the correction request the edit answered
    (given as ``request_id``), as stored with its answer, or ``None``.

    >>> from datetime import UTC, datetime
    >>> c = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> CustomerEdit(customer=c, entries=()).changed
    False
    """

    customer: Customer
    entries: tuple[HistoryEntry, ...]
    request: DataSubjectRequest | None = None

    @property
    def changed(self) -> bool:
        """Whether the edit changed any field."""
        return bool(self.entries)


class _NotLogged:
    def __repr__(self) -> str:
        return "(value not logged)"


class _Refused(ValidationError):
    """The audit's copy of a refused edit: the fields and rules, without the values."""

    def __init__(self, original: ValidationError) -> None:
        self.original = original
        fields = ", ".join(dict.fromkeys(e.field for e in original.errors))
        rules = "; ".join(f"{e.field} {e.rule}" for e in original.errors)
        super().__init__(fields, _NotLogged(), f"refused ({rules}); nothing changed")


def _customer_target(customer_id: str) -> Target:
    # a customer is not an account, a store or a seller: the target names it in account_id,
    # prefixed, so the audit entry says which customer (brand-scoped actions only)
    return Target(account_id=f"customer:{customer_id}")


_REQUESTS_TARGET = Target(account_id="lgpd:requests")


class PrivacyService(Audited):
    """The SAC edit, the customer history and the data-subject requests, authorized and audited.

    Args:
        unit_of_work: a callable returning a new unit of work that has
            ``data_requests`` (both of otocore's stores: ``db.unit_of_work``).
        clock: the clock that dates every edit, read and request.
        policy: the deadlines and the time zone of the local day (a birth date after
            today's local day is refused); :class:`PrivacyPolicy` by default.
        cpf_policy: how CPFs are checked, as in the customers import.

    >>> from datetime import UTC, datetime
    >>> from otocore.accounts import AccountService, SecurityPolicy
    >>> from otocore.adapters.mail import InMemoryMailer
    >>> from otocore.adapters.memory import InMemoryDatabase
    >>> from otocore.auth import SecretHasher
    >>> from otocore.clock import FixedClock
    >>> from otocore.ledger import LogKey, LogKeyring
    >>> db = InMemoryDatabase(log_keys=LogKeyring.of(LogKey(key_id="k1", secret=bytes(32))))
    >>> clock = FixedClock(datetime(2026, 11, 2, 13, tzinfo=UTC))
    >>> accounts = AccountService(
    ...     db.unit_of_work,
    ...     mailer=InMemoryMailer(),
    ...     clock=clock,
    ...     policy=SecurityPolicy(app_url="https://app.example.com"),
    ...     hasher=SecretHasher.insecure_for_tests(),
    ... )
    >>> admin = accounts.principal_for(
    ...     accounts.create_first_admin(
    ...         email="admin@example.com", password="cavalo correto bateria grampo", pin="482913"
    ...     ).account_id
    ... )
    >>> with db.unit_of_work().writing() as uow:
    ...     uow.customers.add(
    ...         Customer(
    ...             customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC)
    ...         )
    ...     )
    >>> sac = PrivacyService(db.unit_of_work, clock=clock)
    >>> edit = sac.edit_customer(
    ...     admin, "C1", "email", "ana@example.com", reason=HistoryReason.CUSTOMER_REQUEST
    ... )
    >>> edit.customer.email.address
    'ana@example.com'
    >>> [(e.field, e.old_value, e.new_value) for e in sac.customer_history(admin, "C1")]
    [('email', None, 'ana@example.com')]
    >>> sac.edit_customer(admin, "C1", "birth_date", "2026-11-03", reason=HistoryReason.SAC_CALL)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: birth_date must not be in the future (the local day is 2026-11-02), got '2026-11-03'
    """

    def __init__(
        self,
        unit_of_work: Callable[[], PrivacyUnitOfWork],
        *,
        clock: Clock,
        policy: PrivacyPolicy | None = None,
        cpf_policy: CpfPolicy | None = None,
    ) -> None:
        self._bind(unit_of_work, clock)
        self.privacy_policy = PrivacyPolicy() if policy is None else policy
        v.require_instance("policy", self.privacy_policy, PrivacyPolicy)
        self.cpf_policy = CpfPolicy() if cpf_policy is None else cpf_policy
        v.require_instance("cpf_policy", self.cpf_policy, CpfPolicy)

    # SAC edits and the history ------------------------------------------------------

    def edit_customer(
        self,
        actor: Principal,
        customer_id: str,
        field: str,
        value: str | None,
        *,
        reason: HistoryReason,
        request_id: str | None = None,
    ) -> CustomerEdit:
        """Change one registry field of a stored customer, with the reason; audited.

        The value is text, as in a customers file, checked exactly as the customers import
        checks that column (:func:`~otocore.privacy.edit_customer`), and a birth date after
        the policy's local day is refused. The customer is written through
        ``uow.customers`` (the search keys follow) and one history entry per changed field
        (old and new value, who, when, ``reason``) is appended, all in one transaction
        with the ALLOWED audit entry. A value equal to the stored one writes no history.

        With ``request_id``, the stored request the edit fulfils (this customer's
        correction request, still open) is checked first and answered FULFILLED in the
        same transaction (:attr:`CustomerEdit.request`); a correction of several fields
        gives it on its last edit. A wrong request changes nothing (the audit entry is
        FAILED).

        Raises:
            ValidationError: a bad field or value, naming it; nothing changes (the audit
                entry is FAILED, without the value).
            RuleViolation: a CPF another customer already has.
            NotFound: no such customer, or no such request.
            ValidationError: ``request_id`` is another customer's, not a correction, or
                already answered (nothing changes).
            PermissionDenied: the actor may not edit customers (logged DENIED).
            ConfigurationError: the store was opened without log keys.
        """
        who = require_principal(actor)
        key = v.require_text("customer_id", customer_id, max_length=100)
        cause = v.require_enum("reason", reason, HistoryReason)
        zone = ZoneInfo(self.privacy_policy.time_zone)

        def work(uow: UnitOfWork, now: datetime) -> CustomerEdit:
            if request_id is None:
                return edit(uow, now)
            request = request_to_fulfil(
                uow, request_id, action=FulfillingAction.CORRECT, customer_id=key, at=now
            )
            done = edit(uow, now)
            fields = ", ".join(e.field for e in done.entries) or f"{field} (already that value)"
            answered = answer_fulfilled(
                uow,
                request,
                action=FulfillingAction.CORRECT,
                at=now,
                answer=f"{request.kind.value} ({request.kind.article}): corrected {fields}",
            )
            return attrs.evolve(done, request=answered)

        def edit(uow: UnitOfWork, now: datetime) -> CustomerEdit:
            customer = uow.customers.get(key)
            try:
                edited, changes = edit_customer(
                    customer, field, value, today=local_day(now, zone), cpf_policy=self.cpf_policy
                )
            except ValidationError as error:
                raise _Refused(error) from None
            if edited.cpf is not None and edited.cpf != customer.cpf:
                holder = uow.customers.find_by_cpf(edited.cpf)
                if holder is not None and holder.customer_id != key:
                    raise RuleViolation(
                        f"cpf is already customer {holder.customer_id}'s; nothing changed"
                    )
            if not changes:
                return CustomerEdit(customer=customer, entries=())
            uow.customers.add(edited)
            entries = tuple(
                uow.customer_history.append(
                    HistoryChange(
                        customer_id=key,
                        field=change.field,
                        old_value=change.old_value,
                        new_value=change.new_value,
                        actor=who.account_id,
                        at=now,
                        reason=cause,
                    )
                )
                for change in changes
            )
            return CustomerEdit(customer=edited, entries=entries)

        def detail(edit: CustomerEdit) -> str:
            fields = ", ".join(e.field for e in edit.entries) or f"{field} (unchanged)"
            answered = edit.request
            return f"customer {key}: {fields}; reason {cause.value}" + (
                ""
                if answered is None or answered.outcome is None
                else f"; request {answered.request_id} answered: {answered.outcome.value}"
            )

        try:
            return self._audited(
                who,
                [Action.EDIT_CUSTOMER],
                locate=lambda uow: _customer_target(key),
                fallback=_customer_target(key),
                work=work,
                detail=detail,
            )
        except _Refused as refused:
            raise refused.original from None

    def customer_history(self, actor: Principal, customer_id: str) -> list[HistoryEntry]:
        """The customer's history, oldest first; the read is written to the data-access log.

        Each read appends a ``history_read`` entry (who, when, which customer, how many
        entries) to the data-access log, with the audit entry, in one transaction.
        Redacted entries (an anonymized customer) come without their values.

        Raises:
            PermissionDenied: the actor may not read histories (logged DENIED).
            ConfigurationError: the store was opened without log keys.
        """
        who = require_principal(actor)
        key = v.require_text("customer_id", customer_id, max_length=100)

        def work(uow: UnitOfWork, now: datetime) -> list[HistoryEntry]:
            entries = uow.customer_history.for_customer(key)
            uow.access_log.append(
                AccessEvent(
                    actor=who.account_id,
                    at=now,
                    action=AccessAction.HISTORY_READ,
                    query=f"customer {key}",
                    customers=1,
                    detail=f"{len(entries)} history entries",
                )
            )
            return entries

        return self._audited(
            who,
            [Action.VIEW_CUSTOMER_HISTORY],
            locate=lambda uow: _customer_target(key),
            fallback=_customer_target(key),
            work=work,
            detail=lambda entries: f"customer {key}: {len(entries)} history entries read",
        )

    # data-subject requests ------------------------------------------------------------

    def open_request(
        self,
        actor: Principal,
        customer_id: str,
        kind: RequestKind,
        *,
        form: AnswerForm = AnswerForm.COMPLETE,
        detail: str | None = None,
    ) -> DataSubjectRequest:
        """Record a stored customer's request, received now; its id is ``LGPD-`` and a number.

        Raises:
            ValidationError: a bad kind, form or detail (a SIMPLIFIED answer for a kind
                other than confirmation or access).
            NotFound: no such customer.
            PermissionDenied: the actor may not handle requests (logged DENIED).
        """
        who = require_principal(actor)
        key = v.require_text("customer_id", customer_id, max_length=100)
        what = v.require_enum("kind", kind, RequestKind)
        how = v.require_enum("form", form, AnswerForm)

        def work(uow: UnitOfWork, now: datetime) -> DataSubjectRequest:
            uow.customers.get(key)
            number = uow.sequences.next(REQUEST_SEQUENCE)
            request = DataSubjectRequest(
                request_id=f"LGPD-{number:06d}",
                customer_id=key,
                kind=what,
                received_at=now,
                form=how,
                detail=detail,
            )
            _requests(uow).add(request)
            return request

        return self._audited(
            who,
            [Action.HANDLE_DATA_REQUESTS],
            locate=lambda uow: _customer_target(key),
            fallback=_customer_target(key),
            work=work,
            detail=lambda r: f"request {r.request_id} opened: {r.kind.value} ({r.kind.article})",
        )

    def answer_request(
        self,
        actor: Principal,
        request_id: str,
        *,
        outcome: RequestOutcome,
        answer: str | None = None,
    ) -> DataSubjectRequest:
        """Answer an open request now, once (a refusal gives its reasons); audited.

        Raises:
            NotFound: no such request.
            RuleViolation: the request was already answered (also when someone answered
                it since it was read: :class:`~otocore.privacy.RequestAlreadyAnswered`).
            ValidationError: a bad outcome, or a refusal without reasons.
            PermissionDenied: the actor may not handle requests (logged DENIED).
        """
        who = require_principal(actor)
        key = v.require_text("request_id", request_id, max_length=100)
        result = v.require_enum("outcome", outcome, RequestOutcome)

        def work(uow: UnitOfWork, now: datetime) -> DataSubjectRequest:
            store = _requests(uow)
            done = answer_request(store.get(key), at=now, outcome=result, answer=answer)
            store.answer(done)
            return done

        return self._audited(
            who,
            [Action.HANDLE_DATA_REQUESTS],
            locate=lambda uow: _REQUESTS_TARGET,
            fallback=_REQUESTS_TARGET,
            work=work,
            detail=lambda r: f"request {r.request_id} answered: {result.value}",
        )

    def open_requests(self, actor: Principal) -> list[DataSubjectRequest]:
        """The open requests, oldest first; audited."""
        return self._list(actor, "open", lambda store, now: store.list_open())

    def overdue_requests(
        self, actor: Principal, *, as_of: datetime | None = None
    ) -> list[DataSubjectRequest]:
        """The open requests late at ``as_of`` (default now), the most overdue first; audited.

        Late by the service's :class:`PrivacyPolicy` (:func:`~otocore.privacy.due_at`).
        """
        when = None if as_of is None else v.require_aware("as_of", as_of)
        return self._list(
            actor,
            "overdue",
            lambda store, now: store.overdue(
                as_of=now if when is None else when, policy=self.privacy_policy
            ),
        )

    def requests_of(self, actor: Principal, customer_id: str) -> list[DataSubjectRequest]:
        """The customer's requests, open and answered, oldest first; audited."""
        key = v.require_text("customer_id", customer_id, max_length=100)
        return self._list(actor, f"of customer {key}", lambda store, now: store.for_customer(key))

    def _list(
        self,
        actor: Principal,
        which: str,
        read: Callable[[DataSubjectRequestRepository, datetime], list[DataSubjectRequest]],
    ) -> list[DataSubjectRequest]:
        who = require_principal(actor)
        return self._audited(
            who,
            [Action.HANDLE_DATA_REQUESTS],
            locate=lambda uow: _REQUESTS_TARGET,
            fallback=_REQUESTS_TARGET,
            work=lambda uow, now: read(_requests(uow), now),
            detail=lambda found: f"{len(found)} requests listed ({which})",
        )


def _requests(uow: UnitOfWork) -> DataSubjectRequestRepository:
    return request_store(uow)
