"""Open -> act -> answered, on every store (issue 15, round 3).

A property over sequences of steps, on memory, SQLite (in memory and in a file) and
PostgreSQL: each step stores a data-subject request (or reuses an answered one) and carries
out an LGPD action (export, SAC edit, anonymize, delete, revoke consent) on a customer,
naming the request. A model says what must happen: the request answered with the action,
with the outcome of :func:`otocore.privacy.fulfilment`, or a typed error and nothing
written (the request, the customers, the consent log, the history, the audit and the
data-access logs unchanged). After every step the stored requests equal the model's, and
the overdue list holds exactly the open ones.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otocore.access import Principal
from otocore.auth import Account, Role, normalize_login_email
from otocore.clock import FixedClock
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.history import HistoryReason
from otocore.orders import Order
from otocore.privacy import (
    DataSubjectRequest,
    FulfillingAction,
    PrivacyService,
    RequestKind,
    RequestOutcome,
    anonymize_customer,
    delete_customer,
    export_subject_data,
    fulfilment,
    revoke_consent,
)
from otocore.repositories import UnitOfWork
from otocore.testing.storage._builders import _customer

T0 = datetime(2026, 12, 1, 13, tzinfo=UTC)
FAR = T0 + timedelta(days=400)
ADMIN = Principal(account_id="u-admin", roles={Role.BRAND_ADMIN})
CUSTOMERS = ("C1", "C2")  # C1 has an order (a fiscal record), C2 none


@attrs.define
class Model:
    """What the store must hold: each request's outcome (None while open), how each customer left."""

    outcomes: dict[str, RequestOutcome | None] = attrs.Factory(dict)
    owners: dict[str, str] = attrs.Factory(dict)
    erased: dict[str, str] = attrs.Factory(dict)  # customer -> "anonymized" | "deleted"


@attrs.frozen
class Step:
    customer: str  # whose request
    kind: RequestKind
    action: FulfillingAction
    target: str  # the customer acted on
    reuse: bool  # name the oldest answered request instead of a new one


@st.composite
def steps(draw: st.DrawFn) -> Step:
    """Mostly a request the action answers, on the customer who asked; sometimes not."""
    action = draw(st.sampled_from(FulfillingAction))
    answered = [k for k in RequestKind if fulfilment(action, k) is not None]
    kind = draw(st.sampled_from(answered) | st.sampled_from(RequestKind))
    customer = draw(st.sampled_from(CUSTOMERS))
    target = draw(st.just(customer) | st.sampled_from(CUSTOMERS))
    return Step(customer, kind, action, target, reuse=draw(st.booleans()))


def _setup(uow: UnitOfWork) -> None:
    with uow.writing():
        for key in CUSTOMERS:
            uow.customers.add(_customer(key))
        uow.orders.add(
            Order(
                order_id="P1",
                customer_id="C1",
                store_id="L01",
                placed_at=T0 - timedelta(days=30),
                total=Decimal("80.00"),
                seller_code=None,
            )
        )
        uow.accounts.add(
            Account(
                account_id="u-admin",
                email=normalize_login_email("admin@example.com"),
                roles={Role.BRAND_ADMIN},
            )
        )


def _written(uow: Any) -> tuple[Any, ...]:
    with uow:
        return (
            uow.customers.count(),
            len(list(uow.consent.iter_all())),
            sum(len(uow.customer_history.for_customer(c)) for c in CUSTOMERS),
            uow.audit.tail(),
            len(list(uow.access_log.iter_all())),
            sorted(
                (r.request_id, r.outcome)
                for c in CUSTOMERS
                for r in uow.data_requests.for_customer(c)
            ),
        )


def _act(uow: Any, step: Step, request_id: str, at: datetime) -> None:
    if step.action is FulfillingAction.EXPORT:
        export_subject_data(uow, step.target, principal=ADMIN, at=at, request_id=request_id)
    elif step.action is FulfillingAction.ANONYMIZE:
        anonymize_customer(uow, step.target, principal=ADMIN, at=at, request_id=request_id)
    elif step.action is FulfillingAction.DELETE:
        delete_customer(uow, step.target, principal=ADMIN, at=at, request_id=request_id)
    elif step.action is FulfillingAction.REVOKE_CONSENT:
        revoke_consent(uow, step.target, principal=ADMIN, at=at, request_id=request_id)
    else:
        PrivacyService(lambda: uow, clock=FixedClock(at)).edit_customer(
            ADMIN,
            step.target,
            "name",
            f"Nome Corrigido {at.minute}",
            reason=HistoryReason.LGPD_CORRECTION,
            request_id=request_id,
        )


def _expected(model: Model, step: Step, request_id: str, kind: RequestKind) -> Any:
    """The outcome the request gets, or the error class (nothing written)."""
    if model.owners[request_id] != step.target:
        return ValidationError
    if fulfilment(step.action, kind) is None:
        return ValidationError
    if model.outcomes[request_id] is not None:
        return ValidationError
    erased = model.erased.get(step.target)
    if step.action in {FulfillingAction.ANONYMIZE, FulfillingAction.DELETE}:
        if erased == "deleted":
            return fulfilment(FulfillingAction.DELETE, kind)
        if erased == "anonymized":
            return fulfilment(FulfillingAction.ANONYMIZE, kind)
        if step.action is FulfillingAction.DELETE and step.target == "C1":
            return RuleViolation  # the order is a fiscal record: refused, request left open
        return fulfilment(step.action, kind)
    if erased is not None:
        return NotFound  # nothing left to export, edit or opt out
    return fulfilment(step.action, kind)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=st.lists(steps(), min_size=1, max_size=8))
def test_open_act_answered_on_every_store(make_uow: Any, plan: list[Step]) -> None:
    uow = make_uow()
    _setup(uow)
    model = Model()
    kinds: dict[str, RequestKind] = {}
    for n, step in enumerate(plan, start=1):
        at = T0 + timedelta(hours=n)
        answered = sorted(r for r, o in model.outcomes.items() if o is not None)
        if step.reuse and answered:
            request_id = answered[0]
        else:
            request_id = f"LGPD-{n:06d}"
            with uow.writing():
                uow.data_requests.add(
                    DataSubjectRequest(
                        request_id=request_id,
                        customer_id=step.customer,
                        kind=step.kind,
                        received_at=T0,
                    )
                )
            model.outcomes[request_id] = None
            model.owners[request_id] = step.customer
            kinds[request_id] = step.kind
        expected = _expected(model, step, request_id, kinds[request_id])
        before = _written(uow)
        succeeded = isinstance(expected, RequestOutcome)
        if succeeded:
            _act(uow, step, request_id, at)
            model.outcomes[request_id] = expected
            if step.action is FulfillingAction.ANONYMIZE:
                model.erased.setdefault(step.target, "anonymized")
            elif step.action is FulfillingAction.DELETE:
                model.erased.setdefault(step.target, "deleted")
        else:
            with pytest.raises(expected) as failed:
                _act(uow, step, request_id, at)
            assert type(failed.value) is expected, step
            after = _written(uow)
            if step.action is not FulfillingAction.CORRECT:
                assert after == before, step
            else:  # the service audits the failure (a FAILED entry), and writes nothing else
                assert after[:3] + after[4:] == before[:3] + before[4:], step
        with uow:
            stored = {
                r.request_id: r.outcome
                for c in CUSTOMERS
                for r in uow.data_requests.for_customer(c)
            }
            overdue = {r.request_id for r in uow.data_requests.overdue(as_of=FAR)}
            answered_at = uow.data_requests.get(request_id).answered_at
        assert stored == model.outcomes
        assert overdue == {r for r, o in model.outcomes.items() if o is None}
        assert (answered_at == at) is succeeded
