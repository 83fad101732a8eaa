"""Acesso e portabilidade (LGPD art. 18 II and V): everything otocore holds on a customer, as JSON.

Also the steps every LGPD action of this package shares: who may act
(:data:`PRIVACY_ROLES`) and the audit entry each action leaves.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from otocore import _validate as v
from otocore.access import Outcome, Principal, Target, append_entry
from otocore.auth import Role
from otocore.errors import NotFound, PermissionDenied
from otocore.history import AccessAction, AccessEvent
from otocore.privacy._requests import DataSubjectRequest, FulfillingAction
from otocore.privacy._store import answer_fulfilled, request_to_fulfil
from otocore.repositories import UnitOfWork

SUBJECT_DATA_SCHEMA = "otocore.subject_data/1"
"""The ``schema`` member of :func:`export_subject_data`'s document (its version)."""

PRIVACY_ROLES = frozenset({Role.BRAND_ADMIN})
"""The roles that may export, anonymize, delete or remove customers and revoke their consent.

The LGPD's controller is the brand, so its administrators act on the requests.
"""

_TELESALES_PAGE = 1000


def require_privacy_role(principal: Principal, what: str) -> Principal:
    """``principal`` if one of its roles is in :data:`PRIVACY_ROLES`; else PermissionDenied."""
    v.require_instance("principal", principal, Principal)
    if not principal.roles & PRIVACY_ROLES:
        allowed = ", ".join(sorted(r.value for r in PRIVACY_ROLES))
        raise PermissionDenied(
            f"account {principal.account_id!r} may not {what} (needs: {allowed})"
        )
    return principal


def audit(uow: UnitOfWork, *, principal: Principal, at: datetime, action: str, detail: str) -> None:
    """Append the audit entry of an LGPD action (inside the action's write block).

    The audit log's targets are stores, accounts and sellers: the target is the
    acting account and the customer is named (by id, never by personal data) in
    ``detail``.
    """
    uow.audit.append(
        append_entry(
            uow.audit.tail(),
            at=at,
            actor=principal.account_id,
            action=action,
            target=Target(account_id=principal.account_id),
            outcome=Outcome.ALLOWED,
            detail=detail,
        )
    )


def answer_and_audit(
    uow: UnitOfWork,
    request: DataSubjectRequest,
    *,
    principal: Principal,
    action: FulfillingAction,
    at: datetime,
    answer: str,
) -> DataSubjectRequest:
    """Answer ``request`` as done by ``action``, with its audit entry (inside the block)."""
    done = answer_fulfilled(uow, request, action=action, at=at, answer=answer)
    audit(
        uow,
        principal=principal,
        at=at,
        action="lgpd_request_answered",
        detail=(
            f"request {done.request_id} ({done.kind.value}) answered by {action.value}:"
            f" {done.outcome.value if done.outcome is not None else ''}"
        ),
    )
    return done


def _data(value: Any) -> Any:
    from otocore.serialization import converter

    return converter.unstructure(value)


def _telesales(uow: UnitOfWork, customer_id: str) -> list[Any]:
    found: list[Any] = []
    while True:
        page = uow.telesales.list(customer_id=customer_id, limit=_TELESALES_PAGE, offset=len(found))
        found.extend(page)
        if len(page) < _TELESALES_PAGE:
            return sorted(found, key=lambda o: o.order_id)


def _history(uow: UnitOfWork, customer_id: str) -> list[dict[str, Any]]:
    return [
        {
            "sequence": e.sequence,
            "field": e.field,
            "old_value": e.old_value,
            "new_value": e.new_value,
            "redacted": e.redacted,
            "actor": e.actor,
            "at": e.at.isoformat(),
            "reason": e.reason.value,
        }
        for e in uow.customer_history.for_customer(customer_id)
    ]


def subject_data(uow: UnitOfWork, customer_id: str, *, at: datetime) -> dict[str, Any]:
    """The document of :func:`export_subject_data`, read inside an open block; nothing written."""
    customer = uow.customers.get(customer_id)
    key = customer.customer_id
    rfv = []
    for day in uow.rfv.dates():
        score = uow.rfv.get_many(day, [key]).get(key)
        if score is not None:
            rfv.append({"as_of": day.isoformat(), **_data(score)})
    assignment = uow.portfolio.get(key)
    return {
        "schema": SUBJECT_DATA_SCHEMA,
        "customer_id": key,
        "exported_at": at.isoformat(),
        "customer": _data(customer),
        "orders": [_data(o) for o in uow.orders.for_customer(key)],
        "telesales_orders": [_data(o) for o in _telesales(uow, key)],
        "consent_events": [_data(e) for e in uow.consent.for_customer(key)],
        "block_events": []
        if customer.cpf is None
        else [_data(e) for e in uow.blocks.for_cpf(customer.cpf)],
        "contacts": [_data(c) for c in uow.contacts.for_customer(key)],
        "suggestions": [_data(s) for s in uow.suggestions.for_customer(key)],
        "portfolio": None if assignment is None else _data(assignment),
        "rfv": rfv,
        "categories": [_data(c) for c in uow.categories.for_customer(key)],
        "history": _history(uow, key),
    }


def export_subject_data(
    uow: UnitOfWork,
    customer_id: str,
    *,
    principal: Principal,
    at: datetime,
    request_id: str | None = None,
) -> dict[str, Any]:
    """Everything otocore holds on the customer, as a JSON-able document (LGPD art. 18 II and V).

    The same document answers an access request and a portability request; the
    read is written to the data-access log (``subject_data_exported``, the
    customer's id as the query, 1 customer) and to the audit log, in the same
    block as the read. The store must have log keys.

    The document (``schema`` ``"otocore.subject_data/1"``): ``customer_id``,
    ``exported_at`` (ISO 8601), ``customer`` (the record: CPF as 11 digits,
    e-mail, mobile in E.164, birth date, loyalty), ``orders``,
    ``telesales_orders`` (with their items, prices and history),
    ``consent_events``, ``block_events`` (of the customer's CPF), ``contacts``,
    ``suggestions``, ``portfolio`` (the carteira assignment, or null), ``rfv``
    (one score per stored snapshot, with its ``as_of``), ``categories`` and
    ``history`` (the customer history, oldest first; redacted entries without
    values). Values are as :data:`otocore.serialization.converter` writes them:
    instants in ISO 8601 with their offset, days ISO, money as decimal text,
    enums as their values; lists in the stores' order.

    With ``request_id``, the stored request the export fulfils (a confirmation,
    access or portability request of this customer, still open) is checked first
    and answered FULFILLED at ``at`` in the same block: a wrong request writes
    nothing. Read the answered request back with ``uow.data_requests.get``.

    Raises:
        PermissionDenied: the principal is not a brand administrator.
        NotFound: no such customer, or no such request.
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
    ...     uow.customers.add(Customer(customer_id="C1", name="Ana", registered_at=at))
    >>> admin = Principal(account_id="u-dpo", roles={Role.BRAND_ADMIN})
    >>> doc = export_subject_data(db.unit_of_work(), "C1", principal=admin, at=at)
    >>> doc["schema"], doc["customer"]["name"], doc["orders"]
    ('otocore.subject_data/1', 'Ana', [])
    >>> with db.unit_of_work() as uow:
    ...     [e.action.value for e in uow.access_log.iter_all()]
    ['subject_data_exported']
    """
    require_privacy_role(principal, "export a customer's data")
    when = v.require_aware("at", at)
    key = v.require_text("customer_id", customer_id, max_length=100)
    with uow.writing():
        request = (
            None
            if request_id is None
            else request_to_fulfil(
                uow, request_id, action=FulfillingAction.EXPORT, customer_id=key, at=when
            )
        )
        try:
            document = subject_data(uow, key, at=when)
        except NotFound:
            raise NotFound("Customer", key) from None
        uow.access_log.append(
            AccessEvent(
                actor=principal.account_id,
                at=when,
                action=AccessAction.SUBJECT_DATA_EXPORTED,
                query=f"customer_id={key}",
                customers=1,
                detail="LGPD art. 18 II/V: access and portability",
            )
        )
        audit(
            uow,
            principal=principal,
            at=when,
            action="lgpd_export",
            detail=f"exported the data of customer {key}",
        )
        if request is not None:
            answer_and_audit(
                uow,
                request,
                principal=principal,
                action=FulfillingAction.EXPORT,
                at=when,
                answer=(
                    f"{request.kind.value} ({request.kind.article}): everything otocore holds on"
                    f" customer {key} exported as JSON ({SUBJECT_DATA_SCHEMA})"
                ),
            )
    return document
