"""Worked examples of the SAC edit, the customer history and the stored data-subject requests
(otocore.privacy.PrivacyService; issue 15, "SAC edits and the LGPD history")."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from _support.sac import KEYS, NOW, SacWorld, sac_world
from otocore.access import Outcome
from otocore.customers import Cpf, Customer
from otocore.errors import NotFound, PermissionDenied, RuleViolation, ValidationError
from otocore.history import AccessAction, HistoryReason, verify_history
from otocore.privacy import (
    EDITABLE_FIELDS,
    AnswerForm,
    RequestAlreadyAnswered,
    RequestKind,
    RequestOutcome,
    edit_customer,
    replay_history,
)

ANA = Customer(
    customer_id="C1",
    name="Ana Souza",
    registered_at=datetime(2025, 3, 1, 12, tzinfo=UTC),
    cpf=Cpf("52998224725"),
    email=None,
)


@pytest.fixture
def world() -> SacWorld:
    w = sac_world()
    w.add(ANA)
    return w


def _stored(world: SacWorld, customer_id: str = "C1") -> Customer:
    with world.db.unit_of_work() as uow:
        return uow.customers.get(customer_id)


def _history(world: SacWorld, customer_id: str = "C1") -> list[tuple[str, str | None, str | None]]:
    with world.db.unit_of_work() as uow:
        return [
            (e.field, e.old_value, e.new_value)
            for e in uow.customer_history.for_customer(customer_id)
        ]


def _audit(world: SacWorld) -> list[tuple[str, str, str]]:
    with world.db.unit_of_work() as uow:
        return [(e.actor, str(e.action), e.outcome.value) for e in uow.audit.iter_all()]


# the edit -------------------------------------------------------------------------


def test_the_sac_changes_birth_date_email_and_mobile_each_written_to_the_history(
    world: SacWorld,
) -> None:
    s = world.service
    s.edit_customer(world.sac, "C1", "birth_date", "1990-04-12", reason=HistoryReason.SAC_CALL)
    s.edit_customer(
        world.sac, "C1", "email", "Ana@Example.com", reason=HistoryReason.CUSTOMER_REQUEST
    )
    edit = s.edit_customer(
        world.admin, "C1", "mobile", "(11) 98765-4321", reason=HistoryReason.SAC_CALL
    )
    assert edit.changed
    stored = _stored(world)
    assert stored.birth_date == date(1990, 4, 12)
    assert stored.mobile is not None
    assert stored.mobile.e164 == "+5511987654321"
    assert stored.email is not None
    assert _history(world) == [
        ("birth_date", None, "1990-04-12"),
        ("email", None, stored.email.address),
        ("mobile", None, "+5511987654321"),
    ]
    with world.db.unit_of_work() as uow:
        entries = uow.customer_history.for_customer("C1")
    assert [(e.actor, e.at, e.reason) for e in entries] == [
        ("u-sac", NOW, HistoryReason.SAC_CALL),
        ("u-sac", NOW, HistoryReason.CUSTOMER_REQUEST),
        (world.admin.account_id, NOW, HistoryReason.SAC_CALL),
    ]
    assert verify_history(entries, keys=KEYS).ok


def test_a_reason_must_be_a_history_reason(world: SacWorld) -> None:
    with pytest.raises(ValidationError, match="reason") as caught:
        world.service.edit_customer(world.sac, "C1", "rg", "12.345.678-9", reason="sac_call")  # type: ignore[arg-type]
    assert caught.value.field == "reason"
    assert _history(world) == []


def test_every_registry_field_may_be_edited_and_the_search_follows(world: SacWorld) -> None:
    assert set(EDITABLE_FIELDS) == {
        "name",
        "cpf",
        "rg",
        "birth_date",
        "email",
        "mobile",
        "sex",
        "marital_status",
        "home_store_id",
        "loyalty_program",
        "loyalty_category",
        "loyalty_card_number",
    }
    s = world.service
    for field, value in [
        ("name", "Ana Souza Lima"),
        ("cpf", "111.444.777-35"),
        ("rg", "12.345.678-9"),
        ("sex", "female"),
        ("marital_status", "married"),
        ("home_store_id", "L01"),
        ("loyalty_program", "Clube Brisa"),
        ("loyalty_category", "Prata"),
        ("loyalty_card_number", "000123"),
    ]:
        s.edit_customer(world.sac, "C1", field, value, reason=HistoryReason.SAC_CALL)
    stored = _stored(world)
    assert stored.name == "Ana Souza Lima"
    assert stored.cpf == Cpf("11144477735")
    assert stored.loyalty is not None
    assert stored.loyalty.card_number == "000123"
    with world.db.unit_of_work() as uow:
        assert uow.customers.find_by_cpf(Cpf("11144477735")) == stored
        assert uow.customers.find_by_cpf(Cpf("52998224725")) is None
    assert [f for f, _, _ in _history(world)][:2] == ["name", "cpf"]


def test_clearing_an_optional_field_is_a_change_to_none(world: SacWorld) -> None:
    world.service.edit_customer(world.sac, "C1", "cpf", "", reason=HistoryReason.CUSTOMER_REQUEST)
    assert _stored(world).cpf is None
    assert _history(world) == [("cpf", "52998224725", None)]


def test_the_same_value_writes_no_history(world: SacWorld) -> None:
    edit = world.service.edit_customer(
        world.sac, "C1", "cpf", "529.982.247-25", reason=HistoryReason.SAC_CALL
    )
    assert not edit.changed
    assert _history(world) == []


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("cpf", "529.982.247-24", "cpf"),  # a wrong check digit
        ("email", "ana@", "email"),
        ("mobile", "12345", "mobile"),
        ("birth_date", "2026-11-03", "birth_date"),  # tomorrow in São Paulo
        ("birth_date", "31/12/1990", "birth_date"),
        ("sex", "x", "sex"),
        ("name", "", "name"),
        ("loyalty_category", "Prata", "loyalty_category"),  # no program
        ("registered_at", "2026-01-01T00:00:00+00:00", "field"),
        ("customer_id", "C2", "field"),
    ],
)
def test_a_bad_value_changes_nothing_and_names_the_field(
    world: SacWorld, field: str, value: str, named: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        world.service.edit_customer(world.sac, "C1", field, value, reason=HistoryReason.SAC_CALL)
    assert {e.field for e in caught.value.errors} == {named}
    assert _stored(world) == ANA
    assert _history(world) == []
    with world.db.unit_of_work() as uow:
        failed = [e for e in uow.audit.iter_all() if e.outcome is Outcome.FAILED]
    assert len(failed) == 1
    assert value not in failed[0].detail or value in {"x", ""}  # the value is never logged
    assert "(value not logged)" in failed[0].detail


def test_a_birth_date_today_is_accepted_and_the_day_is_the_local_one() -> None:
    # 02:00 UTC on 3 Nov is still 2 Nov in São Paulo
    world = sac_world(datetime(2026, 11, 3, 2, 0, tzinfo=UTC))
    world.add(ANA)
    with pytest.raises(ValidationError, match="2026-11-02"):
        world.service.edit_customer(
            world.sac, "C1", "birth_date", "2026-11-03", reason=HistoryReason.SAC_CALL
        )
    world.service.edit_customer(
        world.sac, "C1", "birth_date", "2026-11-02", reason=HistoryReason.SAC_CALL
    )
    assert _stored(world).birth_date == date(2026, 11, 2)


def test_a_cpf_of_another_customer_is_refused(world: SacWorld) -> None:
    world.add(Customer(customer_id="C2", name="Bia", registered_at=NOW, cpf=Cpf("11144477735")))
    with pytest.raises(RuleViolation, match="already customer C2's"):
        world.service.edit_customer(
            world.sac, "C1", "cpf", "111.444.777-35", reason=HistoryReason.SAC_CALL
        )
    assert _stored(world) == ANA
    assert _history(world) == []


def test_an_unknown_customer_is_not_found_and_audited_failed(world: SacWorld) -> None:
    with pytest.raises(NotFound, match="C9"):
        world.service.edit_customer(world.sac, "C9", "rg", "1", reason=HistoryReason.SAC_CALL)
    assert _audit(world)[-1][2] == "failed"


def test_a_store_manager_may_not_edit_nor_read_and_is_audited_denied(world: SacWorld) -> None:
    with pytest.raises(PermissionDenied, match="edit_customer"):
        world.service.edit_customer(
            world.manager, "C1", "email", "a@example.com", reason=HistoryReason.SAC_CALL
        )
    with pytest.raises(PermissionDenied, match="view_customer_history"):
        world.service.customer_history(world.manager, "C1")
    with pytest.raises(PermissionDenied, match="handle_data_requests"):
        world.service.open_requests(world.manager)
    assert [o for a, _, o in _audit(world) if a == "u-gerente"] == ["denied"] * 3
    assert _stored(world) == ANA
    with world.db.unit_of_work() as uow:
        assert uow.access_log.count() == 0


def test_an_edit_is_audited_without_the_values(world: SacWorld) -> None:
    world.service.edit_customer(
        world.sac, "C1", "email", "ana@example.com", reason=HistoryReason.SAC_CALL
    )
    with world.db.unit_of_work() as uow:
        last = list(uow.audit.iter_all())[-1]
    assert last.outcome is Outcome.ALLOWED
    assert last.detail == "customer C1: email; reason sac_call"
    assert last.target.account_id == "customer:C1"


# the history read ------------------------------------------------------------------


def test_reading_the_history_writes_the_data_access_log(world: SacWorld) -> None:
    s = world.service
    s.edit_customer(world.sac, "C1", "rg", "12.345.678-9", reason=HistoryReason.SAC_CALL)
    s.edit_customer(world.sac, "C1", "rg", "98.765.432-1", reason=HistoryReason.SAC_CALL)
    entries = s.customer_history(world.admin, "C1")
    assert [(e.old_value, e.new_value) for e in entries] == [
        (None, "12.345.678-9"),
        ("12.345.678-9", "98.765.432-1"),
    ]
    assert [e.sequence for e in entries] == sorted(e.sequence for e in entries)
    with world.db.unit_of_work() as uow:
        (read,) = list(uow.access_log.iter_all())
    assert (read.actor, read.action, read.at) == (
        world.admin.account_id,
        AccessAction.HISTORY_READ,
        NOW,
    )
    assert (read.query, read.customers, read.detail) == ("customer C1", 1, "2 history entries")


def test_replaying_the_stored_history_gives_the_stored_customer(world: SacWorld) -> None:
    s = world.service
    s.edit_customer(world.sac, "C1", "email", "ana@example.com", reason=HistoryReason.SAC_CALL)
    s.edit_customer(world.sac, "C1", "cpf", "", reason=HistoryReason.SAC_CALL)
    s.edit_customer(world.sac, "C1", "email", "ana.s@example.com", reason=HistoryReason.SAC_CALL)
    assert replay_history(ANA, s.customer_history(world.sac, "C1")) == _stored(world)


def test_replay_refuses_a_redacted_history(world: SacWorld) -> None:
    world.service.edit_customer(
        world.sac, "C1", "email", "ana@example.com", reason=HistoryReason.SAC_CALL
    )
    with world.db.unit_of_work().writing() as uow:
        uow.customer_history.redact("C1")
        entries = uow.customer_history.for_customer("C1")
    with pytest.raises(ValidationError, match="redacted") as caught:
        replay_history(ANA, entries)
    assert caught.value.field == "entries[0]"


def test_the_pure_edit_refuses_a_field_that_is_not_editable() -> None:
    with pytest.raises(ValidationError, match="editable fields") as caught:
        edit_customer(ANA, "nome", "Ana", today=date(2026, 1, 1))
    assert caught.value.field == "field"


# data-subject requests ---------------------------------------------------------------


def test_a_request_is_opened_answered_once_and_listed_while_overdue(world: SacWorld) -> None:
    s = world.service
    access = s.open_request(world.sac, "C1", RequestKind.ACCESS, detail="cópia dos dados")
    quick = s.open_request(world.sac, "C1", RequestKind.CONFIRMATION, form=AnswerForm.SIMPLIFIED)
    assert (access.request_id, quick.request_id) == ("LGPD-000001", "LGPD-000002")
    assert access.received_at == NOW
    assert s.open_requests(world.admin) == [access, quick]
    assert s.overdue_requests(world.admin) == []
    tomorrow = datetime(2026, 11, 3, 3, 0, tzinfo=UTC)  # 3 Nov 00:00 in São Paulo
    assert s.overdue_requests(world.admin, as_of=tomorrow) == [quick]
    assert s.overdue_requests(world.admin, as_of=tomorrow + timedelta(days=15)) == [quick, access]
    done = s.answer_request(
        world.sac, "LGPD-000002", outcome=RequestOutcome.FULFILLED, answer="sim, tratamos"
    )
    assert done.answered_at == NOW
    with pytest.raises(RuleViolation, match="already answered"):
        s.answer_request(world.sac, "LGPD-000002", outcome=RequestOutcome.FULFILLED)
    assert s.open_requests(world.admin) == [access]
    assert s.requests_of(world.admin, "C1") == [access, done]


def test_a_request_needs_a_stored_customer_and_a_refusal_its_reasons(world: SacWorld) -> None:
    with pytest.raises(NotFound, match="C9"):
        world.service.open_request(world.sac, "C9", RequestKind.DELETION)
    request = world.service.open_request(world.sac, "C1", RequestKind.DELETION)
    with pytest.raises(ValidationError, match="reasons") as caught:
        world.service.answer_request(world.sac, request.request_id, outcome=RequestOutcome.REFUSED)
    assert caught.value.field == "DataSubjectRequest.answer"
    assert world.service.open_requests(world.sac) == [request]


def test_the_answer_is_a_compare_and_set(world: SacWorld) -> None:
    from otocore.privacy import answer_request

    request = world.service.open_request(world.sac, "C1", RequestKind.PORTABILITY)
    first = answer_request(request, at=NOW, outcome=RequestOutcome.FULFILLED)
    with world.db.unit_of_work().writing() as uow:
        uow.data_requests.answer(first)
    late = answer_request(request, at=NOW, outcome=RequestOutcome.PARTIALLY_FULFILLED)
    uow = world.db.unit_of_work()
    with pytest.raises(RequestAlreadyAnswered, match=request.request_id), uow.writing():
        uow.data_requests.answer(late)
