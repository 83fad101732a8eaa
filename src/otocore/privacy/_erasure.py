"""Anonimização, eliminação e revogação (LGPD art. 16 and 18 IV, VI, IX): a customer leaves otocore.

What each action does to each store is decided here, table by table, and
documented on the "LGPD duties" page:

* **anonymize** (:func:`anonymize_customer`): the record, the carteira, the RFV
  scores, the suggestions, the day outcomes and the category memberships are
  deleted; the orders and telesales orders (fiscal records, art. 16 I), the
  consent log (proof of what was agreed, art. 8 §2) and the contacts (the
  sellers' results) stay, moved to a random anonymous id (never derived from
  the CPF), the contacts without their free text; the CPF's block events are
  deleted unless another record has the same CPF; the customer history keeps
  its entries without their values, plus one ``anonymization`` entry without
  values; the audit log says who did it.
* **delete** (:func:`delete_customer`): only for a customer without orders (no
  fiscal record); everything keyed by the customer goes, contacts and consent
  log included; the history is redacted and keeps one ``deletion`` entry. With
  orders, deletion is refused and says that anonymization is what the law
  allows.
* **remove** (:func:`plan_removal`, :func:`remove_customers`): Altegio's
  "remove from the database", confirmed by typing :data:`CONFIRMATION_WORD`:
  each customer without orders is deleted, each one with orders anonymized.
* **revoke consent** (:func:`revoke_consent`): an opt-out on every channel.
"""

from __future__ import annotations

import enum
import secrets
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Any

import attrs

from otocore import _validate as v
from otocore.access import Principal
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.customers import ANONYMOUS_ID_PREFIX, Customer, is_anonymous_id
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.history import HistoryChange, HistoryReason
from otocore.privacy._export import answer_and_audit, audit, require_privacy_role
from otocore.privacy._requests import DataSubjectRequest, FulfillingAction, RequestKind
from otocore.privacy._store import request_store, request_to_fulfil
from otocore.repositories import UnitOfWork

CONFIRMATION_WORD = "EXCLUIR"
"""The word a removal from the database must be confirmed with (Altegio asks for "DELETE")."""

RECORD_FIELD = "record"
"""The ``field`` of the history entry that records an anonymization or a deletion (no values)."""

_NO_DIGITS = str.maketrans("0123456789abcdef", "abcdefghijklmnop")
_ERASING = (HistoryReason.ANONYMIZATION, HistoryReason.DELETION)


def _frozen_counts(counts: Mapping[str, int]) -> Mapping[str, int]:
    rule = "must be a mapping of table names (str) to row counts (int >= 0)"
    if not isinstance(counts, Mapping):
        raise ValidationError("ErasureReport.changed", counts, rule)
    for name, count in counts.items():
        if not isinstance(name, str) or not v.is_int(count) or count < 0:
            raise ValidationError("ErasureReport.changed", counts, rule)
    return MappingProxyType(dict(counts))


class ErasureOutcome(enum.Enum):
    """What an anonymization or a deletion did.

    >>> ErasureOutcome("already_done")
    <ErasureOutcome.ALREADY_DONE: 'already_done'>
    """

    ANONYMIZED = "anonymized"
    """Personal data removed; orders, consent log and contacts moved to an anonymous id."""
    DELETED = "deleted"
    """The customer had no orders: the record and every row keyed by it were deleted."""
    ALREADY_DONE = "already_done"
    """The customer was anonymized or deleted before (or the id is anonymous): nothing done."""


@attrs.frozen(kw_only=True)
class ErasureReport:
    """What :func:`anonymize_customer` or :func:`delete_customer` did, table by table.

    ``anonymous_id`` is the new id of the kept rows (anonymization only). It is
    returned to the caller, never stored next to the old id: keep it out of
    logs and tickets, or the anonymization can be undone by joining them.
    ``changed`` counts the rows by what changed (``"relinked_orders"``,
    ``"deleted_customers"``, ``"redacted_history"``, ...). ``request`` is the
    data-subject request the action answered (given as ``request_id``), as
    stored with its answer, or ``None``.

    >>> ErasureReport(
    ...     customer_id="C1", outcome=ErasureOutcome.ALREADY_DONE, message="nothing to do"
    ... )
    ErasureReport(customer_id='C1', outcome=<ErasureOutcome.ALREADY_DONE: 'already_done'>, message='nothing to do', anonymous_id=None, changed=mappingproxy({}), request=None)
    """

    customer_id: str
    outcome: ErasureOutcome
    message: str
    anonymous_id: str | None = None
    changed: Mapping[str, int] = attrs.field(factory=dict, converter=_frozen_counts)
    request: DataSubjectRequest | None = None


@attrs.frozen(kw_only=True)
class RemovalPlan:
    """The dry run of a removal: who would be deleted, who anonymized, which ids are unknown.

    >>> plan = RemovalPlan(to_delete=("C2",), to_anonymize=("C1",), unknown=("C9",))
    >>> plan.count
    2
    """

    to_delete: tuple[str, ...]
    to_anonymize: tuple[str, ...]
    unknown: tuple[str, ...] = ()

    @property
    def count(self) -> int:
        """How many customers the removal would take out of the registry."""
        return len(self.to_delete) + len(self.to_anonymize)


@attrs.frozen(kw_only=True)
class ConsentRevocation:
    """A revocation of consent (LGPD art. 18 IX): the customer opted out of every channel.

    ``request`` is the data-subject request it answered (stored, with its answer), or
    ``None``; ``request_id`` is that request's id.

    >>> from datetime import UTC, datetime
    >>> ConsentRevocation(
    ...     customer_id="C1", at=datetime(2026, 6, 1, tzinfo=UTC), channels=(ContactChannel.SMS,)
    ... ).channels
    (<ContactChannel.SMS: 'sms'>,)
    """

    customer_id: str
    at: datetime
    channels: tuple[ContactChannel, ...]
    request_id: str | None = None
    request: DataSubjectRequest | None = None


def _key(customer_id: Any) -> str:
    return v.require_text("customer_id", customer_id, max_length=100)


def _erased_before(uow: UnitOfWork, key: str) -> HistoryReason | None:
    """How the customer ``key`` left before (anonymization or deletion), or None."""
    for entry in reversed(uow.customer_history.for_customer(key)):
        if entry.field == RECORD_FIELD and entry.reason in _ERASING:
            return entry.reason
    return None


def _customer_or_done(uow: UnitOfWork, key: str) -> Customer | ErasureReport:
    try:
        return uow.customers.get(key)
    except NotFound:
        pass
    if is_anonymous_id(key):
        return ErasureReport(
            customer_id=key,
            outcome=ErasureOutcome.ALREADY_DONE,
            message=f"{key} is an anonymous id (an anonymized customer's); nothing to do",
        )
    before = _erased_before(uow, key)
    if before is None:
        raise NotFound("Customer", key)
    done = "anonymized" if before is HistoryReason.ANONYMIZATION else "deleted"
    return ErasureReport(
        customer_id=key,
        outcome=ErasureOutcome.ALREADY_DONE,
        message=f"customer {key} was already {done}; nothing to do",
    )


def _order_count(uow: UnitOfWork, key: str) -> int:
    return len(uow.orders.for_customer(key)) + len(uow.telesales.list(customer_id=key, limit=1))


def _checked_request(
    uow: UnitOfWork,
    request_id: str | None,
    *,
    action: FulfillingAction,
    customer_id: str,
    at: datetime,
) -> DataSubjectRequest | None:
    if request_id is None:
        return None
    return request_to_fulfil(uow, request_id, action=action, customer_id=customer_id, at=at)


def _answered(
    uow: UnitOfWork,
    request: DataSubjectRequest | None,
    report: ErasureReport,
    *,
    principal: Principal,
    at: datetime,
) -> ErasureReport:
    """``report`` with ``request`` answered by what was done (inside the action's block).

    What was done answers, not what was asked: an anonymization that finds the customer
    deleted before answers as a deletion.
    """
    if request is None:
        return report
    if report.outcome is ErasureOutcome.ALREADY_DONE:
        # what was done before answers: a deletion, or an anonymization
        before = _erased_before(uow, report.customer_id)
        done = (
            FulfillingAction.DELETE
            if before is HistoryReason.DELETION
            else FulfillingAction.ANONYMIZE
        )
    elif report.outcome is ErasureOutcome.DELETED:
        done = FulfillingAction.DELETE
    else:
        done = FulfillingAction.ANONYMIZE
    answer = f"{request.kind.value} ({request.kind.article}): {report.message}"
    if request.kind is RequestKind.DELETION and done is FulfillingAction.ANONYMIZE:
        answer += (
            "; the deletion is partial: the orders are fiscal records the law keeps"
            " (LGPD art. 16 I), so the customer was anonymized instead"
        )
    answered = answer_and_audit(
        uow, request, principal=principal, action=done, at=at, answer=answer
    )
    return attrs.evolve(report, request=answered)


def _forget(
    uow: UnitOfWork,
    customer: Customer,
    changed: dict[str, int],
    *,
    principal: Principal,
    at: datetime,
    reason: HistoryReason,
) -> None:
    """Erase what is left of the customer, its CPF's blocks, redact and log (inside a block)."""
    key = customer.customer_id
    for name, n in uow.subject_data.erase(key).items():
        changed[f"deleted_{name}"] = n
    cpf = customer.cpf
    blocks = 0
    if cpf is not None and uow.customers.find_by_cpf(cpf) is None:
        blocks = uow.subject_data.erase_blocks(cpf)
    changed["deleted_block_events"] = blocks
    changed["redacted_history"] = uow.customer_history.redact(key)
    changed["redacted_request_details"] = request_store(uow).redact_details(key)
    uow.customer_history.append(
        HistoryChange(
            customer_id=key,
            field=RECORD_FIELD,
            old_value=None,
            new_value=None,
            actor=principal.account_id,
            at=at,
            reason=reason,
        )
    )


def anonymize_in(
    uow: UnitOfWork,
    customer_id: str,
    *,
    principal: Principal,
    at: datetime,
    rng_bytes: Callable[[int], bytes] = secrets.token_bytes,
) -> ErasureReport:
    """:func:`anonymize_customer`'s work inside a write block the caller opened."""
    key = _key(customer_id)
    found = _customer_or_done(uow, key)
    if isinstance(found, ErasureReport):
        return found
    anonymous_id = ANONYMOUS_ID_PREFIX + rng_bytes(16).hex().translate(_NO_DIGITS)
    changed: dict[str, int] = {}
    for name, n in uow.subject_data.relink(key, anonymous_id).items():
        changed[f"relinked_{name}"] = n
    _forget(uow, found, changed, principal=principal, at=at, reason=HistoryReason.ANONYMIZATION)
    kept = changed["relinked_orders"] + changed["relinked_telesales_orders"]
    audit(
        uow,
        principal=principal,
        at=at,
        action="lgpd_anonymize",
        detail=f"anonymized customer {key}; {kept} orders kept under an anonymous id",
    )
    return ErasureReport(
        customer_id=key,
        outcome=ErasureOutcome.ANONYMIZED,
        message=(
            f"customer {key} anonymized: personal data removed; {kept} orders (fiscal records,"
            " LGPD art. 16) kept under an anonymous id"
        ),
        anonymous_id=anonymous_id,
        changed=changed,
    )


def anonymize_customer(
    uow: UnitOfWork,
    customer_id: str,
    *,
    principal: Principal,
    at: datetime,
    rng_bytes: Callable[[int], bytes] = secrets.token_bytes,
    request_id: str | None = None,
) -> ErasureReport:
    """Anonimização (LGPD art. 18 IV): remove the customer's personal data, keep the orders.

    In one write block: the orders, telesales orders, consent log and contacts
    move to a new anonymous id (``anon-`` and 32 letters made from 16 bytes of
    ``rng_bytes``: random, never a hash of the CPF, so nothing leads back to the
    person); the contacts lose their free text; the record (and its search
    keys), the carteira, the RFV scores, the suggestions, the day outcomes and
    the category memberships are deleted, and the CPF's block events unless
    another record has that CPF; the customer history's values are redacted and
    an ``anonymization`` entry without values is appended; an audit entry
    (``lgpd_anonymize``) names the acting account. Anonymizing again (or an
    anonymous id) is a no-op that says so (:attr:`ErasureOutcome.ALREADY_DONE`).

    With ``request_id``, the stored request it fulfils is checked first (this
    customer's, an anonymization or a deletion request, still open) and answered in
    the same block (:attr:`ErasureReport.request`): an anonymization request
    FULFILLED; a deletion request PARTIALLY_FULFILLED, since the orders are kept
    (art. 16 I), unless the customer had been deleted before. Anonymizing an
    anonymized customer still answers. A wrong request writes nothing.

    Raises:
        PermissionDenied: the principal is not a brand administrator.
        NotFound: no such customer, and none was anonymized or deleted under that id;
            or no such request.
        ValidationError: ``request_id`` is another customer's, of another kind, or
            already answered.
        ConfigurationError: the store has no log keys.

    >>> from datetime import UTC, datetime
    >>> from decimal import Decimal
    >>> from otocore.adapters.memory import InMemoryDatabase
    >>> from otocore.auth import Role
    >>> from otocore.customers import Cpf, Customer
    >>> from otocore.ledger import LogKey, LogKeyring
    >>> from otocore.orders import Order
    >>> from otocore.registry import find_customer_ids
    >>> db = InMemoryDatabase(log_keys=LogKeyring.of(LogKey(key_id="k1", secret=bytes(32))))
    >>> at = datetime(2026, 6, 1, tzinfo=UTC)
    >>> with db.unit_of_work() as uow:
    ...     uow.customers.add(
    ...         Customer(
    ...             customer_id="C1", name="Ana Souza", registered_at=at, cpf=Cpf("52998224725")
    ...         )
    ...     )
    ...     uow.orders.add(
    ...         Order(
    ...             order_id="P1",
    ...             customer_id="C1",
    ...             store_id="L01",
    ...             placed_at=at,
    ...             total=Decimal("99.90"),
    ...             seller_code=None,
    ...         )
    ...     )
    >>> admin = Principal(account_id="u-dpo", roles={Role.BRAND_ADMIN})
    >>> report = anonymize_customer(
    ...     db.unit_of_work(), "C1", principal=admin, at=at, rng_bytes=lambda n: bytes(n)
    ... )
    >>> report.outcome.value, report.anonymous_id
    ('anonymized', 'anon-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')
    >>> (
    ...     find_customer_ids(db.unit_of_work(), "529.982.247-25"),
    ...     find_customer_ids(db.unit_of_work(), "ana"),
    ... )
    ([], [])
    >>> with db.unit_of_work() as uow:
    ...     uow.orders.get("P1").customer_id
    'anon-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'
    >>> anonymize_customer(db.unit_of_work(), "C1", principal=admin, at=at).message
    'customer C1 was already anonymized; nothing to do'
    """
    require_privacy_role(principal, "anonymize a customer")
    when = v.require_aware("at", at)
    if not callable(rng_bytes):
        raise ValidationError("rng_bytes", rng_bytes, "must be a callable")
    key = _key(customer_id)
    with uow.writing():
        request = _checked_request(
            uow, request_id, action=FulfillingAction.ANONYMIZE, customer_id=key, at=when
        )
        report = anonymize_in(uow, key, principal=principal, at=when, rng_bytes=rng_bytes)
        return _answered(uow, request, report, principal=principal, at=when)


def delete_in(
    uow: UnitOfWork,
    customer_id: str,
    *,
    principal: Principal,
    at: datetime,
    request_id: str | None = None,
) -> ErasureReport:
    """:func:`delete_customer`'s work inside a write block the caller opened.

    ``request_id`` only words the refusal (the request stays open); nothing checks it here.
    """
    key = _key(customer_id)
    found = _customer_or_done(uow, key)
    if isinstance(found, ErasureReport):
        return found
    orders = _order_count(uow, key)
    if orders:
        raise RuleViolation(
            f"customer {key} has orders: they are fiscal records the law keeps (LGPD art. 16 I),"
            " so the customer cannot be deleted; anonymization is what the law allows"
            + (
                f" (otocore lgpd anonymize {key})"
                if request_id is None
                else f"; request {request_id} stays open: anonymizing with it"
                f" (otocore lgpd anonymize {key} --request {request_id}) answers it as"
                " partially fulfilled"
            )
        )
    changed: dict[str, int] = {}
    _forget(uow, found, changed, principal=principal, at=at, reason=HistoryReason.DELETION)
    audit(uow, principal=principal, at=at, action="lgpd_delete", detail=f"deleted customer {key}")
    return ErasureReport(
        customer_id=key,
        outcome=ErasureOutcome.DELETED,
        message=f"customer {key} deleted with all their personal data (they had no orders)",
        changed=changed,
    )


def delete_customer(
    uow: UnitOfWork,
    customer_id: str,
    *,
    principal: Principal,
    at: datetime,
    request_id: str | None = None,
) -> ErasureReport:
    """Eliminação (LGPD art. 18 VI): delete a customer who has no orders, and all their data.

    A customer with orders or telesales orders (fiscal records, which article
    16 I keeps) is refused with a :class:`~otocore.errors.RuleViolation` that
    says anonymization is what the law allows; nothing is written. Otherwise,
    in one write block: every row keyed by the customer (record, carteira, RFV,
    suggestions, day outcomes, categories, consent log, contacts) and the CPF's
    block events (unless another record has that CPF) are deleted, the history
    is redacted and keeps one ``deletion`` entry without values, and an audit
    entry (``lgpd_delete``) names the acting account. Deleting again is a no-op
    that says so.

    With ``request_id``, the stored request it fulfils is checked first (this
    customer's, a deletion or an anonymization request, still open) and answered
    FULFILLED in the same block (:attr:`ErasureReport.request`). A wrong request
    writes nothing. A refusal (the customer has orders) writes nothing either: the
    request stays open, and the refusal says that anonymizing with the request
    answers it as partially fulfilled (a customer anonymized before answers so too).

    Raises:
        PermissionDenied: the principal is not a brand administrator.
        NotFound: no such customer (never deleted nor anonymized), or no such request.
        RuleViolation: the customer has orders (fiscal records, art. 16 I).
        ValidationError: ``request_id`` is another customer's, of another kind, or
            already answered.
        ConfigurationError: the store has no log keys.

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryDatabase
    >>> from otocore.auth import Role
    >>> from otocore.customers import Customer
    >>> from otocore.ledger import LogKey, LogKeyring
    >>> db = InMemoryDatabase(log_keys=LogKeyring.of(LogKey(key_id="k1", secret=bytes(32))))
    >>> at = datetime(2026, 6, 1, tzinfo=UTC)
    >>> with db.unit_of_work() as uow:
    ...     uow.customers.add(Customer(customer_id="C2", name="Bia", registered_at=at))
    >>> admin = Principal(account_id="u-dpo", roles={Role.BRAND_ADMIN})
    >>> delete_customer(db.unit_of_work(), "C2", principal=admin, at=at).outcome.value
    'deleted'
    >>> delete_customer(db.unit_of_work(), "C2", principal=admin, at=at).message
    'customer C2 was already deleted; nothing to do'
    """
    require_privacy_role(principal, "delete a customer")
    when = v.require_aware("at", at)
    key = _key(customer_id)
    with uow.writing():
        request = _checked_request(
            uow, request_id, action=FulfillingAction.DELETE, customer_id=key, at=when
        )
        report = delete_in(
            uow,
            key,
            principal=principal,
            at=when,
            request_id=None if request is None else request.request_id,
        )
        return _answered(uow, request, report, principal=principal, at=when)


def revoke_consent(
    uow: UnitOfWork,
    customer_id: str,
    *,
    principal: Principal,
    at: datetime,
    request_id: str | None = None,
) -> ConsentRevocation:
    """Revogação do consentimento (LGPD art. 18 IX): opt the customer out of every channel.

    Appends one opt-out per :class:`~otocore.consent.ContactChannel` to the
    consent log (source ``customer_request``, recorded by the acting account;
    with ``request_id``, each event's id is ``lgpd:<request_id>:<channel>``) and
    an audit entry (``lgpd_consent_revocation``) naming the request, in one write
    block. The request (``request_id``) must be stored: this customer's consent
    revocation request, still open; it is answered FULFILLED in the same block
    (:attr:`ConsentRevocation.request`), so it is answered once. A wrong request
    writes nothing.

    Raises:
        PermissionDenied: the principal is not a brand administrator.
        NotFound: no such customer, or no such request.
        ValidationError: ``request_id`` is another customer's, of another kind, or
            already answered.

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryDatabase
    >>> from otocore.auth import Role
    >>> from otocore.consent import ConsentLedger
    >>> from otocore.customers import Customer
    >>> from otocore.ledger import LogKey, LogKeyring
    >>> db = InMemoryDatabase(log_keys=LogKeyring.of(LogKey(key_id="k1", secret=bytes(32))))
    >>> at = datetime(2026, 6, 1, 12, tzinfo=UTC)
    >>> with db.unit_of_work() as uow:
    ...     uow.customers.add(Customer(customer_id="C1", name="Ana", registered_at=at))
    >>> admin = Principal(account_id="u-dpo", roles={Role.BRAND_ADMIN})
    >>> done = revoke_consent(db.unit_of_work(), "C1", principal=admin, at=at)
    >>> len(done.channels)
    5
    >>> with db.unit_of_work() as uow:
    ...     [e.granted for e in uow.consent.for_customer("C1")] == [False] * 5
    True
    """
    require_privacy_role(principal, "revoke a customer's consent")
    when = v.require_aware("at", at)
    key = _key(customer_id)
    request = (
        None if request_id is None else v.require_text("request_id", request_id, max_length=60)
    )
    channels = tuple(ContactChannel)
    with uow.writing():
        checked = _checked_request(
            uow, request, action=FulfillingAction.REVOKE_CONSENT, customer_id=key, at=when
        )
        uow.customers.get(key)
        uow.consent.append_many(
            ConsentEvent(
                customer_id=key,
                channel=channel,
                granted=False,
                at=when,
                source=ConsentSource.CUSTOMER_REQUEST,
                recorded_by=principal.account_id[:100],
                event_id=None if request is None else f"lgpd:{request}:{channel.value}",
            )
            for channel in channels
        )
        audit(
            uow,
            principal=principal,
            at=when,
            action="lgpd_consent_revocation",
            detail=(
                f"revoked the consent of customer {key} on every channel"
                + ("" if request is None else f" (request {request})")
            ),
        )
        answered = (
            None
            if checked is None
            else answer_and_audit(
                uow,
                checked,
                principal=principal,
                action=FulfillingAction.REVOKE_CONSENT,
                at=when,
                answer=(
                    f"{checked.kind.value} ({checked.kind.article}): customer {key} opted out"
                    " of every channel"
                ),
            )
        )
    return ConsentRevocation(
        customer_id=key, at=when, channels=channels, request_id=request, request=answered
    )


def _ids(customer_ids: Iterable[str]) -> list[str]:
    if isinstance(customer_ids, str | bytes):
        raise ValidationError("customer_ids", customer_ids, "must be an iterable of ids, not a str")
    return sorted({_key(c) for c in customer_ids})


def plan_in(uow: UnitOfWork, customer_ids: Iterable[str]) -> RemovalPlan:
    """:func:`plan_removal`'s reads inside a block the caller opened."""
    delete: list[str] = []
    anonymize: list[str] = []
    unknown: list[str] = []
    for key in _ids(customer_ids):
        try:
            uow.customers.get(key)
        except NotFound:
            unknown.append(key)
            continue
        (anonymize if _order_count(uow, key) else delete).append(key)
    return RemovalPlan(
        to_delete=tuple(delete), to_anonymize=tuple(anonymize), unknown=tuple(unknown)
    )


def plan_removal(uow: UnitOfWork, customer_ids: Iterable[str]) -> RemovalPlan:
    """The dry run of :func:`remove_customers`: how many customers, and what happens to each.

    Reads only. Customers without orders would be deleted, those with orders
    anonymized (their orders are fiscal records); ids not in the registry are
    listed as unknown.

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.customers import Customer
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.customers.add(
    ...         Customer(
    ...             customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC)
    ...         )
    ...     )
    >>> plan_removal(uow, ["C1", "C9"])
    RemovalPlan(to_delete=('C1',), to_anonymize=(), unknown=('C9',))
    """
    with uow:
        return plan_in(uow, customer_ids)


def remove_customers(
    uow: UnitOfWork,
    customer_ids: Iterable[str],
    *,
    confirm: str,
    principal: Principal,
    at: datetime,
    rng_bytes: Callable[[int], bytes] = secrets.token_bytes,
) -> list[ErasureReport]:
    """Remoção da base (Altegio's removal from the database), confirmed by typing :data:`CONFIRMATION_WORD`.

    ``confirm`` must be exactly ``"EXCLUIR"`` (else a ValidationError and
    nothing is done): show :func:`plan_removal`'s count first. Then, in one
    write block, each customer without orders is deleted
    (:func:`delete_customer`) and each with orders anonymized
    (:func:`anonymize_customer`), since their orders are fiscal records the law
    keeps. Unknown ids are a NotFound, and nothing is removed. Returns one report
    per customer, by id.

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.auth import Role
    >>> admin = Principal(account_id="u-dpo", roles={Role.BRAND_ADMIN})
    >>> remove_customers(
    ...     InMemoryUnitOfWork(),
    ...     ["C1"],
    ...     confirm="excluir",
    ...     principal=admin,
    ...     at=datetime(2026, 6, 1, tzinfo=UTC),
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: confirm must be the word EXCLUIR, typed exactly, to remove customers from the database, got 'excluir'
    """
    require_privacy_role(principal, "remove customers from the database")
    when = v.require_aware("at", at)
    if confirm != CONFIRMATION_WORD:
        raise ValidationError(
            "confirm",
            confirm,
            f"must be the word {CONFIRMATION_WORD}, typed exactly, to remove customers from the database",
        )
    ids = _ids(customer_ids)
    reports = []
    with uow.writing():
        plan = plan_in(uow, ids)
        if plan.unknown:
            raise NotFound("Customer", plan.unknown[0])
        anonymize = set(plan.to_anonymize)
        for key in ids:
            if key in anonymize:
                reports.append(
                    anonymize_in(uow, key, principal=principal, at=when, rng_bytes=rng_bytes)
                )
            else:
                reports.append(delete_in(uow, key, principal=principal, at=when))
    return reports
