"""An LGPD action answers the stored data-subject request it fulfils (issue 15, round 3).

Export, anonymize, delete, revoke consent and the SAC edit take ``request_id``: the request
is checked in the action's transaction (it exists, is the same customer's, of a kind the
action answers, still open) and answered with the action; a wrong request writes nothing.
The golden vectors of ``tests/vectors/privacy/fulfilment`` pin which action answers which
kind (written by ``tests/vectors/generate_privacy_fulfilment.py``, expectations typed by
hand): format ``"otocore-privacy-fulfilment-vector/1"``, ``cases`` of ``action``,
``customer_id``, ``at``, ``request`` and ``expected`` (an ``outcome``, or an ``error`` with
its ``field`` and a text it ``contains``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support.sac import NOW, SacWorld, sac_world
from otocore.consent import ContactChannel
from otocore.customers import Cpf, Customer
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.history import AccessAction, HistoryReason
from otocore.orders import Order
from otocore.privacy import (
    DataSubjectRequest,
    ErasureOutcome,
    FulfillingAction,
    RequestKind,
    RequestOutcome,
    anonymize_customer,
    check_fulfilment,
    delete_customer,
    export_subject_data,
    fulfilment,
    revoke_consent,
)
from otocore.serialization import converter

FORMAT = "otocore-privacy-fulfilment-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "privacy" / "fulfilment"
VECTORS = sorted(FOLDER.glob("*.json"))
FAR = NOW + timedelta(days=400)  # every request of these tests is overdue by then

ANA = Customer(  # has an order: a fiscal record the law keeps
    customer_id="C1",
    name="Ana Souza",
    registered_at=datetime(2025, 3, 1, 12, tzinfo=UTC),
    cpf=Cpf("52998224725"),
)
BIA = Customer(customer_id="C2", name="Bia Lima", registered_at=datetime(2025, 3, 1, tzinfo=UTC))


@pytest.fixture
def world() -> SacWorld:
    w = sac_world()
    w.add(ANA, BIA)
    with w.db.unit_of_work().writing() as uow:
        uow.orders.add(
            Order(
                order_id="P1",
                customer_id="C1",
                store_id="L01",
                placed_at=datetime(2026, 1, 5, tzinfo=UTC),
                total=Decimal("50.00"),
                seller_code=None,
            )
        )
    return w


def _open(world: SacWorld, customer_id: str, kind: RequestKind) -> str:
    return world.service.open_request(world.sac, customer_id, kind).request_id


def _stored(world: SacWorld, request_id: str) -> DataSubjectRequest:
    with world.db.unit_of_work() as uow:
        return uow.data_requests.get(request_id)


def _overdue(world: SacWorld) -> list[str]:
    with world.db.unit_of_work() as uow:
        return [r.request_id for r in uow.data_requests.overdue(as_of=FAR)]


def _state(world: SacWorld) -> tuple[Any, ...]:
    """Everything an action could write: compared before and after a refused one."""
    with world.db.unit_of_work() as uow:
        customers = []
        for key in ("C1", "C2"):
            try:
                customers.append(uow.customers.get(key))
            except NotFound:
                customers.append(None)
        return (
            customers,
            [o.customer_id for o in uow.orders.for_customer("C1")],
            list(uow.consent.iter_all()),
            uow.customer_history.for_customer("C1") + uow.customer_history.for_customer("C2"),
            list(uow.audit.iter_all()),
            list(uow.access_log.iter_all()),
            uow.data_requests.for_customer("C1") + uow.data_requests.for_customer("C2"),
        )


def _act(world: SacWorld, action: FulfillingAction, customer_id: str, request_id: str) -> Any:
    at = world.clock.now()
    uow = world.db.unit_of_work()
    admin = world.admin
    if action is FulfillingAction.EXPORT:
        return export_subject_data(uow, customer_id, principal=admin, at=at, request_id=request_id)
    if action is FulfillingAction.ANONYMIZE:
        return anonymize_customer(uow, customer_id, principal=admin, at=at, request_id=request_id)
    if action is FulfillingAction.DELETE:
        return delete_customer(uow, customer_id, principal=admin, at=at, request_id=request_id)
    if action is FulfillingAction.REVOKE_CONSENT:
        return revoke_consent(uow, customer_id, principal=admin, at=at, request_id=request_id)
    return world.service.edit_customer(
        world.sac,
        customer_id,
        "email",
        "nova@example.com",
        reason=HistoryReason.LGPD_CORRECTION,
        request_id=request_id,
    )


# the rule: golden vectors and properties --------------------------------------------


def test_there_are_vectors() -> None:
    assert len(VECTORS) >= 5


@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_vector(path: Path) -> None:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    assert data["format"] == FORMAT
    for case in data["cases"]:
        request = converter.structure(case["request"], DataSubjectRequest)
        action = FulfillingAction(case["action"])
        expected = case["expected"]
        at = datetime.fromisoformat(case["at"])
        customer_id = case["customer_id"]
        if "outcome" in expected:
            got = check_fulfilment(request, action=action, customer_id=customer_id, at=at)
            assert got.value == expected["outcome"], case
            assert fulfilment(action, request.kind) is RequestOutcome(expected["outcome"])
            continue
        with pytest.raises(ValidationError) as refused:
            check_fulfilment(request, action=action, customer_id=customer_id, at=at)
        assert refused.value.field == expected["error"]["field"], case
        assert expected["error"]["contains"] in str(refused.value), case


requests = st.builds(
    DataSubjectRequest,
    request_id=st.sampled_from(["R1", "LGPD-000042"]),
    customer_id=st.sampled_from(["C1", "C2"]),
    kind=st.sampled_from(RequestKind),
    received_at=st.datetimes(
        min_value=datetime(2026, 1, 1), max_value=datetime(2027, 1, 1), timezones=st.just(UTC)
    ),
)


@given(request=requests, action=st.sampled_from(FulfillingAction), later=st.integers(0, 10**6))
def test_an_open_request_of_the_customer_is_answered_as_the_table_says(
    request: DataSubjectRequest, action: FulfillingAction, later: int
) -> None:
    at = request.received_at + timedelta(seconds=later)
    expected = fulfilment(action, request.kind)
    if expected is None:
        with pytest.raises(ValidationError, match="does not answer") as refused:
            check_fulfilment(request, action=action, customer_id=request.customer_id, at=at)
        assert (refused.value.field, refused.value.value) == ("request_id", request.request_id)
    else:
        assert check_fulfilment(request, action=action, customer_id=request.customer_id, at=at) is (
            expected
        )


@given(request=requests, action=st.sampled_from(FulfillingAction))
def test_a_foreign_or_answered_request_is_never_answered(
    request: DataSubjectRequest, action: FulfillingAction
) -> None:
    at = request.received_at + timedelta(days=1)
    other = "C2" if request.customer_id == "C1" else "C1"
    with pytest.raises(ValidationError, match="request") as foreign:
        check_fulfilment(request, action=action, customer_id=other, at=at)
    assert (foreign.value.field, foreign.value.value) == ("request_id", request.request_id)
    answered = attrs.evolve(
        request, answered_at=at, outcome=RequestOutcome.FULFILLED, answer="feito"
    )
    with pytest.raises(ValidationError, match="request_id") as closed:
        check_fulfilment(answered, action=action, customer_id=request.customer_id, at=at)
    assert closed.value.value == request.request_id


def test_every_kind_but_vii_and_viii_is_answered_by_some_action() -> None:
    answered = {k for a in FulfillingAction for k in RequestKind if fulfilment(a, k) is not None}
    assert set(RequestKind) - answered == {
        RequestKind.SHARING_INFORMATION,
        RequestKind.CONSENT_INFORMATION,
    }


def test_the_rule_refuses_junk() -> None:
    with pytest.raises(ValidationError, match="action") as bad:
        fulfilment("export", RequestKind.ACCESS)  # type: ignore[arg-type]
    assert bad.value.field == "action"


# each action answers its request, and the request leaves the overdue list ---------------

ANSWERS = [
    (FulfillingAction.EXPORT, "C1", RequestKind.ACCESS, RequestOutcome.FULFILLED),
    (FulfillingAction.EXPORT, "C1", RequestKind.PORTABILITY, RequestOutcome.FULFILLED),
    (FulfillingAction.EXPORT, "C2", RequestKind.CONFIRMATION, RequestOutcome.FULFILLED),
    (FulfillingAction.CORRECT, "C1", RequestKind.CORRECTION, RequestOutcome.FULFILLED),
    (FulfillingAction.ANONYMIZE, "C1", RequestKind.ANONYMIZATION, RequestOutcome.FULFILLED),
    (FulfillingAction.ANONYMIZE, "C1", RequestKind.DELETION, RequestOutcome.PARTIALLY_FULFILLED),
    (FulfillingAction.DELETE, "C2", RequestKind.DELETION, RequestOutcome.FULFILLED),
    (FulfillingAction.DELETE, "C2", RequestKind.ANONYMIZATION, RequestOutcome.FULFILLED),
    (
        FulfillingAction.REVOKE_CONSENT,
        "C2",
        RequestKind.CONSENT_REVOCATION,
        RequestOutcome.FULFILLED,
    ),
]


@pytest.mark.parametrize(("action", "customer_id", "kind", "outcome"), ANSWERS)
def test_the_action_answers_the_request_and_it_is_no_longer_overdue(
    world: SacWorld,
    action: FulfillingAction,
    customer_id: str,
    kind: RequestKind,
    outcome: RequestOutcome,
) -> None:
    rid = _open(world, customer_id, kind)
    assert _overdue(world) == [rid]  # left alone, it would be late
    world.clock.advance(timedelta(hours=3))
    result = _act(world, action, customer_id, rid)
    stored = _stored(world, rid)
    assert (stored.outcome, stored.answered_at) == (outcome, world.clock.now())
    assert stored.answer is not None
    assert stored.answer.startswith(f"{kind.value} ({kind.article}): ")
    assert _overdue(world) == []
    with world.db.unit_of_work() as uow:
        tail = uow.audit.tail()
    assert tail is not None
    assert rid in tail.detail
    if action is not FulfillingAction.EXPORT:  # the export returns the document itself
        assert result.request == stored


def test_an_anonymized_customer_anonymized_again_still_answers(world: SacWorld) -> None:
    rid = _open(world, "C1", RequestKind.ANONYMIZATION)
    first = anonymize_customer(world.db.unit_of_work(), "C1", principal=world.admin, at=NOW)
    assert _stored(world, rid).is_open  # done without the request: it stays open
    again = anonymize_customer(
        world.db.unit_of_work(), "C1", principal=world.admin, at=NOW, request_id=rid
    )
    assert again.outcome is ErasureOutcome.ALREADY_DONE
    assert again.request is not None
    assert again.request.outcome is RequestOutcome.FULFILLED
    assert "already anonymized" in (again.request.answer or "")
    assert first.anonymous_id is not None
    assert first.anonymous_id not in (again.request.answer or "")  # never stored beside C1


def test_a_refused_deletion_leaves_the_request_open_and_anonymizing_answers_it(
    world: SacWorld,
) -> None:
    rid = _open(world, "C1", RequestKind.DELETION)
    before = _state(world)
    with pytest.raises(RuleViolation, match=f"request {rid} stays open") as refused:
        delete_customer(
            world.db.unit_of_work(), "C1", principal=world.admin, at=NOW, request_id=rid
        )
    assert "art. 16 I" in str(refused.value)
    assert f"otocore lgpd anonymize C1 --request {rid}" in str(refused.value)
    assert _state(world) == before  # nothing written: the customer, the logs, the request
    assert _overdue(world) == [rid]  # still the SAC's to answer, within the deadline
    report = anonymize_customer(
        world.db.unit_of_work(), "C1", principal=world.admin, at=NOW, request_id=rid
    )
    assert report.request is not None
    assert report.request.outcome is RequestOutcome.PARTIALLY_FULFILLED
    assert "the deletion is partial" in (report.request.answer or "")
    assert "LGPD art. 16 I" in (report.request.answer or "")
    assert report.anonymous_id not in (report.request.answer or "")


def test_an_anonymization_of_a_customer_deleted_before_fulfils_a_deletion(
    world: SacWorld,
) -> None:
    rid = _open(world, "C2", RequestKind.DELETION)
    delete_customer(world.db.unit_of_work(), "C2", principal=world.admin, at=NOW)
    report = anonymize_customer(
        world.db.unit_of_work(), "C2", principal=world.admin, at=NOW, request_id=rid
    )
    assert report.outcome is ErasureOutcome.ALREADY_DONE
    assert report.request is not None
    assert report.request.outcome is RequestOutcome.FULFILLED  # it was deleted, not anonymized


def test_a_deletion_of_an_anonymized_customer_answers_a_deletion_partially(
    world: SacWorld,
) -> None:
    rid = _open(world, "C1", RequestKind.DELETION)
    anonymize_customer(world.db.unit_of_work(), "C1", principal=world.admin, at=NOW)
    report = delete_customer(
        world.db.unit_of_work(), "C1", principal=world.admin, at=NOW, request_id=rid
    )
    assert report.request is not None
    assert report.request.outcome is RequestOutcome.PARTIALLY_FULFILLED


def test_the_export_with_its_request_is_logged_once_and_answered(world: SacWorld) -> None:
    rid = _open(world, "C1", RequestKind.ACCESS)
    document = export_subject_data(
        world.db.unit_of_work(), "C1", principal=world.admin, at=NOW, request_id=rid
    )
    assert document["customer_id"] == "C1"
    with world.db.unit_of_work() as uow:
        exported = [
            e for e in uow.access_log.iter_all() if e.action is AccessAction.SUBJECT_DATA_EXPORTED
        ]
        actions = [str(e.action) for e in uow.audit.iter_all()][-2:]
    assert len(exported) == 1
    assert actions == ["lgpd_export", "lgpd_request_answered"]


def test_the_consent_revocation_answers_and_opts_out(world: SacWorld) -> None:
    rid = _open(world, "C2", RequestKind.CONSENT_REVOCATION)
    done = revoke_consent(
        world.db.unit_of_work(), "C2", principal=world.admin, at=NOW, request_id=rid
    )
    assert done.request_id == rid
    with world.db.unit_of_work() as uow:
        events = uow.consent.for_customer("C2")
    assert {e.event_id for e in events} == {f"lgpd:{rid}:{c.value}" for c in ContactChannel}


def test_a_correction_of_a_value_already_stored_still_answers(world: SacWorld) -> None:
    rid = _open(world, "C2", RequestKind.CORRECTION)
    edit = world.service.edit_customer(
        world.sac, "C2", "name", "Bia Lima", reason=HistoryReason.LGPD_CORRECTION, request_id=rid
    )
    assert not edit.changed
    assert edit.request is not None
    assert edit.request.answer == "correction (art. 18, III): corrected name (already that value)"


# a wrong request writes nothing ---------------------------------------------------------

ACTIONS = list(FulfillingAction)
RIGHT_KIND = {
    FulfillingAction.EXPORT: RequestKind.ACCESS,
    FulfillingAction.CORRECT: RequestKind.CORRECTION,
    FulfillingAction.ANONYMIZE: RequestKind.ANONYMIZATION,
    FulfillingAction.DELETE: RequestKind.DELETION,
    FulfillingAction.REVOKE_CONSENT: RequestKind.CONSENT_REVOCATION,
}
WRONG_KIND = {
    FulfillingAction.EXPORT: RequestKind.CORRECTION,
    FulfillingAction.CORRECT: RequestKind.ACCESS,
    FulfillingAction.ANONYMIZE: RequestKind.PORTABILITY,
    FulfillingAction.DELETE: RequestKind.CONSENT_REVOCATION,
    FulfillingAction.REVOKE_CONSENT: RequestKind.DELETION,
}


def _unchanged(world: SacWorld, action: FulfillingAction, before: tuple[Any, ...]) -> None:
    after = _state(world)
    if action is FulfillingAction.CORRECT:
        # the service audits every attempt: one FAILED entry, and nothing else
        assert after[:4] + after[5:] == before[:4] + before[5:]
        assert [e.outcome.value for e in after[4][len(before[4]) :]] == ["failed"]
    else:
        assert after == before


@pytest.mark.parametrize("action", ACTIONS)
def test_an_unknown_request_writes_nothing(world: SacWorld, action: FulfillingAction) -> None:
    before = _state(world)
    with pytest.raises(NotFound, match="DataSubjectRequest 'LGPD-999999' not found"):
        _act(world, action, "C2", "LGPD-999999")
    _unchanged(world, action, before)


@pytest.mark.parametrize("action", ACTIONS)
def test_another_customers_request_writes_nothing(
    world: SacWorld, action: FulfillingAction
) -> None:
    rid = _open(world, "C1", RIGHT_KIND[action])
    before = _state(world)
    with pytest.raises(ValidationError, match="is customer C1's request, not customer C2's") as e:
        _act(world, action, "C2", rid)
    assert (e.value.field, e.value.value) == ("request_id", rid)
    _unchanged(world, action, before)
    assert _stored(world, rid).is_open


@pytest.mark.parametrize("action", ACTIONS)
def test_a_request_of_another_kind_writes_nothing(
    world: SacWorld, action: FulfillingAction
) -> None:
    rid = _open(world, "C2", WRONG_KIND[action])
    before = _state(world)
    with pytest.raises(ValidationError, match="does not answer") as e:
        _act(world, action, "C2", rid)
    assert (e.value.field, e.value.value) == ("request_id", rid)
    _unchanged(world, action, before)


@pytest.mark.parametrize("action", ACTIONS)
def test_an_answered_request_writes_nothing(world: SacWorld, action: FulfillingAction) -> None:
    rid = _open(world, "C2", RIGHT_KIND[action])
    world.service.answer_request(
        world.sac, rid, outcome=RequestOutcome.REFUSED, answer="identidade não confirmada"
    )
    before = _state(world)
    with pytest.raises(ValidationError, match="was already answered") as e:
        _act(world, action, "C2", rid)
    assert (e.value.field, e.value.value) == ("request_id", rid)
    _unchanged(world, action, before)


def test_an_action_dated_before_the_request_writes_nothing(world: SacWorld) -> None:
    rid = _open(world, "C2", RequestKind.DELETION)
    before = _state(world)
    with pytest.raises(ValidationError, match="must not be before request") as e:
        delete_customer(
            world.db.unit_of_work(),
            "C2",
            principal=world.admin,
            at=NOW - timedelta(minutes=1),
            request_id=rid,
        )
    assert e.value.field == "at"
    assert _state(world) == before
