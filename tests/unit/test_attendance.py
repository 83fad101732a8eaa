"""The seller's day through a unit of work: generate, register contacts, explain."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.adapters.sql import open_database
from otocore.attendance import (
    AttendancePolicy,
    explain_customer,
    generate_suggestions,
    load_campaigns_into,
    register_contact,
)
from otocore.blocking import BlockEvent, BlockFeature
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.contacts import ConsentChange, Contact, FollowUp, SuggestionStatus
from otocore.customers import Cpf, Customer
from otocore.daily import run_daily
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.orders import Order
from otocore.repositories import UnitOfWork
from otocore.sellers import Seller, Store
from otocore.suggestions import SuggestionKind, SuggestionOutcome

DAY = date(2026, 6, 1)
CPFS = ["52998224725", "11144477735", "39053344705", "15350946056"]

CAMPAIGNS = json.dumps(
    [
        {
            "campaign_id": "RECOMPRA",
            "name": "Recompra",
            "priority": 1,
            "first_day": "2026-01-01",
            "last_day": "2026-12-31",
            "audience": {"has_purchases": {}},
            "channels": ["whatsapp", "sms"],
            "message": "Oi {primeiro_nome}! Aqui é {vendedor}, da {loja}.",
            "quarantine_days": 10,
        }
    ]
)


def _brand(uow: UnitOfWork) -> None:
    with uow:
        uow.stores.add(Store(store_id="L01", name="Loja Centro"))
        uow.sellers.add(Seller(code="V01", name="Ana Souza", store_id="L01"))
        uow.sellers.add(Seller(code="V02", name="Bruno Lima", store_id="L01"))
        for i, cpf in enumerate(CPFS, start=1):
            uow.customers.add(
                Customer(
                    customer_id=f"C{i}",
                    name=f"Cliente {i} Silva",
                    cpf=Cpf(cpf),
                    registered_at=datetime(2025, 1, 1, tzinfo=UTC),
                    home_store_id="L01",
                )
            )
            uow.orders.add(
                Order(
                    order_id=f"P{i}",
                    customer_id=f"C{i}",
                    store_id="L01",
                    placed_at=datetime(2026, 5, i, 15, tzinfo=UTC),
                    total=Decimal("100.00") * i,
                    seller_code="V01",
                )
            )
            if i != 3:  # C3 never opted in
                uow.consent.append(
                    ConsentEvent(
                        customer_id=f"C{i}",
                        channel=ContactChannel.WHATSAPP,
                        granted=True,
                        at=datetime(2025, 1, 1, tzinfo=UTC),
                        source=ConsentSource.IMPORT,
                        recorded_by="import",
                    )
                )
        uow.blocks.append(
            BlockEvent(
                cpf=Cpf(CPFS[3]),
                features=frozenset({BlockFeature.CAMPAIGNS}),
                blocked=True,
                reason="pedido do cliente",
                by="admin",
                at=datetime(2026, 1, 1, tzinfo=UTC),
            )
        )
    load_campaigns_into(uow, CAMPAIGNS)
    run_daily(uow, DAY - timedelta(days=1))


def _brand_units(kind: str, tmp_path: Path) -> Iterator[UnitOfWork]:
    """The brand in memory or in an SQLite file under ``tmp_path`` (closed afterwards)."""
    if kind == "memory":
        unit: UnitOfWork = InMemoryUnitOfWork()
        _brand(unit)
        yield unit
        return
    db = open_database(tmp_path / "brand.sqlite", upgrade=True)
    unit = db.unit_of_work()
    _brand(unit)
    try:
        yield unit
    finally:
        db.close()


@pytest.fixture(params=["memory", "sqlite"])
def uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UnitOfWork]:
    yield from _brand_units(request.param, tmp_path)


def _contact(n: int, customer: str, *, seller: str = "V01", **kw: object) -> Contact:
    start = datetime(2026, 6, 1, 14, n, tzinfo=UTC)
    fields: dict[str, object] = {
        "contact_id": f"K{n}",
        "seller_code": seller,
        "customer_id": customer,
        "channel": ContactChannel.WHATSAPP,
        "started_at": start,
        "finished_at": start + timedelta(minutes=5),
        "in_portfolio": True,
    }
    fields.update(kw)
    return Contact(**fields)  # type: ignore[arg-type]


def test_the_day_suggests_consenting_unblocked_customers_of_the_portfolio(uow: UnitOfWork) -> None:
    plan = generate_suggestions(uow, DAY)
    suggested = [s.customer_id for s in plan.for_seller("V01")]
    # C3 has no consent, C4's CPF is blocked for campaigns; value score orders the rest
    assert suggested == ["C2", "C1"]
    first = plan.for_seller("V01")[0]
    assert first.campaign_id == "RECOMPRA"
    assert first.channel is ContactChannel.WHATSAPP
    assert first.message == "Oi Cliente! Aqui é Ana Souza, da Loja Centro."
    assert explain_customer(uow, "C3", DAY).outcome is SuggestionOutcome.OPTED_OUT
    assert explain_customer(uow, "C4", DAY).outcome is SuggestionOutcome.BLOCKED
    with uow:
        stored = uow.suggestions.list_day(DAY, seller_code="V01")
    assert [s.customer_id for s in stored] == ["C2", "C1"]


def test_generating_again_keeps_what_the_seller_did(uow: UnitOfWork) -> None:
    plan = generate_suggestions(uow, DAY)
    first = plan.for_seller("V01")[0]
    register_contact(uow, _contact(1, first.customer_id, suggestion_id=first.suggestion_id))
    generate_suggestions(uow, DAY)
    with uow:
        again = uow.suggestions.get(first.suggestion_id)
        day = uow.suggestions.list_day(DAY)
    assert again.status is SuggestionStatus.FINISHED
    assert len({s.customer_id for s in day}) == len(day)  # still one per customer


def test_an_opt_out_during_a_contact_takes_effect_at_once(uow: UnitOfWork) -> None:
    contact = _contact(
        2, "C1", consent_change=ConsentChange(channel=ContactChannel.WHATSAPP, granted=False)
    )
    register_contact(uow, contact)
    with uow:
        events = uow.consent.for_customer("C1")
    assert events[-1].granted is False
    assert events[-1].recorded_by == "V01"
    # the contact also started C1's quarantine, so look far enough ahead for it to end
    later = DAY + timedelta(days=20)
    assert explain_customer(uow, "C1", later).outcome is SuggestionOutcome.OPTED_OUT


def test_a_contact_quarantines_and_a_follow_up_comes_back_on_its_day(uow: UnitOfWork) -> None:
    follow = FollowUp(day=DAY + timedelta(days=3), note="trazer a nova coleção")
    register_contact(uow, _contact(3, "C2", follow_up=follow))
    tomorrow = explain_customer(uow, "C2", DAY + timedelta(days=1))
    assert tomorrow.outcome is SuggestionOutcome.QUARANTINED
    assert tomorrow.free_on == DAY + timedelta(days=7)
    plan = generate_suggestions(uow, DAY + timedelta(days=3))
    follow_ups = [s for s in plan.for_seller("V01") if s.kind is SuggestionKind.FOLLOW_UP]
    assert [s.customer_id for s in follow_ups] == ["C2"]
    assert plan.for_seller("V01")[0].customer_id == "C2"  # ahead of every campaign


def test_a_walk_in_outside_the_portfolio_is_recorded_as_such(uow: UnitOfWork) -> None:
    stored = register_contact(uow, _contact(4, "C1", seller="V02"))
    assert stored.in_portfolio is False
    assert register_contact(uow, _contact(5, "C2")).in_portfolio is True


def test_bad_contacts_change_nothing(uow: UnitOfWork) -> None:
    plan = generate_suggestions(uow, DAY)
    other = plan.for_seller("V01")[1]
    with pytest.raises(NotFound, match=r"^Customer 'C9' not found"):
        register_contact(uow, _contact(6, "C9"))
    with pytest.raises(NotFound, match=r"^Seller 'V99' not found"):
        register_contact(uow, _contact(6, "C1", seller="V99"))
    wrong = "C1" if other.customer_id != "C1" else "C2"
    with pytest.raises(
        RuleViolation, match=r"is for customer 'C1', not 'C2'"
    ):  # the suggestion is another customer's
        register_contact(uow, _contact(6, wrong, suggestion_id=other.suggestion_id))
    with uow:
        assert uow.contacts.count() == 0
        assert uow.suggestions.get(other.suggestion_id).status is SuggestionStatus.PENDING
    with pytest.raises(ValidationError, match=r"^contact must be a Contact"):
        register_contact(uow, "K6")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^policy must be an AttendancePolicy"):
        generate_suggestions(uow, DAY, policy="x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"campaigns\[0\]"):
        load_campaigns_into(uow, json.dumps([{"campaign_id": "X"}]))
    assert AttendancePolicy() == AttendancePolicy()


def test_a_suggestion_policy_of_the_wrong_type_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match=r"AttendancePolicy\.suggestions"):
        AttendancePolicy(suggestions=None)  # type: ignore[arg-type]
