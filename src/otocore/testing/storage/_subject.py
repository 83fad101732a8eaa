# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of a customer's erasure (``SubjectDataRepository``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import attrs
import pytest

from otocore.categories import CustomerCategory
from otocore.contacts import ContactOutcome
from otocore.errors import NotFound, ValidationError
from otocore.repositories import UnitOfWork
from otocore.suggestions import Explanation, SuggestionOutcome
from otocore.telesales import new_cart
from otocore.testing.storage._builders import (
    ANA_CPF,
    DAY,
    MakeUow,
    _assigned,
    _block,
    _consent,
    _contact,
    _customer,
    _order,
    _score,
    _suggestion,
)

AT = datetime(2026, 5, 10, 15, tzinfo=UTC)


def _everywhere(uow: UnitOfWork, customer_id: str, n: int) -> None:
    """A customer with a row in every table keyed by a customer id (inside a block)."""
    uow.customers.add(_customer(customer_id, cpf=ANA_CPF if n == 1 else None))
    uow.orders.add(_order(n, customer=customer_id))
    uow.telesales.add(
        new_cart(order_id=f"T{n}", customer_id=customer_id, store_id="L01", built_by="ana", at=AT)
    )
    uow.portfolio.set(_assigned(customer_id, "V01"))
    uow.consent.append(_consent(customer_id))
    contact = _contact(f"A{n}", customer=customer_id, follow_up=date(2026, 5, 17))
    uow.contacts.add(attrs.evolve(contact, notes="prefere ligações à tarde"))
    uow.contacts.add(
        attrs.evolve(
            _contact(f"D{n}", customer=customer_id),
            outcome=ContactOutcome.DISMISSED,
            dismiss_reason="disse que mudou de cidade",
            suggestion_id=f"{DAY.isoformat()}:{customer_id}",
        )
    )
    uow.categories.save(CustomerCategory("VIP", "Clientes VIP", "#c0392b"))
    uow.categories.add_members("VIP", [customer_id])


def _explanation(customer_id: str) -> Explanation:
    return Explanation(
        customer_id=customer_id,
        day=DAY,
        outcome=SuggestionOutcome.NO_CAMPAIGN_MATCHED,
        detail="no campaign",
        seller_code="V01",
    )


class SubjectDataContract:
    """Relinking to an anonymous id keeps the orders and the consent log; erasing leaves nothing."""

    def _two(self, make_uow: MakeUow) -> UnitOfWork:
        uow = make_uow()
        with uow:
            _everywhere(uow, "C1", 1)
            _everywhere(uow, "C2", 2)
            uow.rfv.save(DAY, {"C1": _score("C1"), "C2": _score("C2")})
            uow.suggestions.save_day(DAY, [_suggestion("C1", 1), _suggestion("C2", 2)])
            uow.outcomes.save_day(DAY, [_explanation("C1"), _explanation("C2")])
            uow.blocks.append(_block())
        return uow

    def test_relink_moves_orders_consent_and_contacts_without_free_text(
        self, make_uow: MakeUow
    ) -> None:
        uow = self._two(make_uow)
        with uow:
            counts = uow.subject_data.relink("C1", "anon-x")
        assert counts == {
            "orders": 1,
            "telesales_orders": 1,
            "consent_events": 1,
            "contacts": 2,
        }
        with uow:
            assert uow.orders.get("P1").customer_id == "anon-x"
            assert uow.orders.get("P2").customer_id == "C2"
            assert uow.telesales.get("T1").customer_id == "anon-x"
            assert uow.telesales.get("T2").customer_id == "C2"
            assert [e.customer_id for e in uow.consent.for_customer("anon-x")] == ["anon-x"]
            assert uow.consent.for_customer("C1") == []
            kept = {c.contact_id: c for c in uow.contacts.for_customer("anon-x")}
            assert sorted(kept) == ["A1", "D1"]
            assert kept["A1"].notes is None
            assert kept["A1"].follow_up is None
            assert kept["D1"].dismiss_reason == "anonimizado"
            assert kept["D1"].suggestion_id == f"{DAY.isoformat()}:anon-x"
            assert uow.contacts.follow_ups_due(date(2026, 5, 17))[0].customer_id == "C2"
            assert uow.contacts.get("A2").notes == "prefere ligações à tarde"
        with uow:  # a second time finds nothing to move
            assert set(uow.subject_data.relink("C1", "anon-x").values()) == {0}

    def test_erase_deletes_every_row_of_the_customer_and_no_other(self, make_uow: MakeUow) -> None:
        uow = self._two(make_uow)
        with uow:
            counts = uow.subject_data.erase("C1")
        assert counts == {
            "customers": 1,
            "portfolio": 1,
            "rfv_scores": 1,
            "suggestions": 1,
            "day_outcomes": 1,
            "category_members": 1,
            "consent_events": 1,
            "contacts": 2,
        }
        with uow:
            with pytest.raises(NotFound, match="C1"):
                uow.customers.get("C1")
            assert uow.portfolio.get("C1") is None
            assert sorted(uow.rfv.get(DAY)) == ["C2"]
            assert [s.customer_id for s in uow.suggestions.list_day(DAY)] == ["C2"]
            assert uow.outcomes.get(DAY, "C1") is None
            assert uow.outcomes.get(DAY, "C2") is not None
            assert uow.categories.members("VIP") == ["C2"]
            assert uow.consent.for_customer("C1") == []
            assert uow.contacts.for_customer("C1") == []
            assert [c.customer_id for c in uow.customers.list()] == ["C2"]
            # orders are never erased
            assert uow.orders.get("P1").customer_id == "C1"
            assert uow.telesales.get("T1").customer_id == "C1"
        with uow:
            assert set(uow.subject_data.erase("C1").values()) == {0}

    def test_erase_blocks_deletes_the_cpf_events_only(self, make_uow: MakeUow) -> None:
        uow = self._two(make_uow)
        with uow:
            uow.blocks.append(_block(blocked=False))
        with uow:
            assert uow.subject_data.erase_blocks(ANA_CPF) == 2
            assert uow.blocks.for_cpf(ANA_CPF) == []
        with uow:
            assert uow.subject_data.erase_blocks(ANA_CPF) == 0

    def test_erasing_is_undone_with_the_block(self, make_uow: MakeUow) -> None:
        uow = self._two(make_uow)

        def erase_then_fail() -> None:
            with uow:
                uow.subject_data.relink("C1", "anon-x")
                uow.subject_data.erase("C1")
                raise RuntimeError("boom")

        with pytest.raises(RuntimeError, match="boom"):
            erase_then_fail()
        with uow:
            assert uow.customers.get("C1").customer_id == "C1"
            assert uow.orders.get("P1").customer_id == "C1"

    def test_bad_ids_are_refused(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            with pytest.raises(ValidationError, match="anonymous_id"):
                uow.subject_data.relink("C1", "C1")
            with pytest.raises(ValidationError, match="customer_id"):
                uow.subject_data.erase("")
            with pytest.raises(ValidationError, match="cpf"):
                uow.subject_data.erase_blocks("52998224725")  # type: ignore[arg-type]
