"""Anonymization leaves no trace of the old personal data in any repository (issue 15).

Every store (memory, SQLite in memory and in a file, PostgreSQL): a customer with
data in every table keyed by them (record, orders, telesales cart, carteira, RFV,
consent, blocks, contacts with notes, suggestions, day outcomes, categories and a
history of SAC edits) is anonymized; then EVERY column of EVERY table of the SQL
stores (the FTS5 shadow tables included), or every row of the memory store, is
scanned for the old CPF (digits and formatted), name, e-mail, mobile and RG.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otocore.access import Principal
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.auth import Role
from otocore.blocking import BlockEvent, BlockFeature
from otocore.categories import CustomerCategory
from otocore.consent import ContactChannel
from otocore.contacts import Contact, FollowUp
from otocore.customers import Cpf, Customer, Email, Mobile
from otocore.errors import RuleViolation
from otocore.history import HistoryChange, HistoryReason
from otocore.orders import Order
from otocore.privacy import (
    DataSubjectRequest,
    ErasureOutcome,
    RequestKind,
    anonymize_customer,
    delete_customer,
    export_subject_data,
)
from otocore.registry import find_customer_ids
from otocore.repositories import UnitOfWork
from otocore.search import name_key
from otocore.suggestions import Explanation, SuggestionOutcome
from otocore.telesales import new_cart
from otocore.testing.storage._builders import DAY, _assigned, _consent, _score, _suggestion

AT = datetime(2026, 6, 1, 12, tzinfo=UTC)
ADMIN = Principal(account_id="u-dpo", roles={Role.BRAND_ADMIN})

_word = st.from_regex(r"[A-Z][a-z]{5,8}", fullmatch=True)


@attrs.frozen
class Person:
    name: str
    cpf: Cpf
    email: Email
    mobile: Mobile
    rg: str

    def traces(self) -> list[str]:
        """The texts that must not be found anywhere after anonymization (lowercased)."""
        return [
            t.lower()
            for t in (
                self.name,
                name_key(self.name),  # what the search indexes: unaccented, lowercased
                self.cpf.digits,
                self.cpf.formatted,
                self.email.address,
                self.mobile.e164,
                self.mobile.e164[3:],  # the national number: area code and number
                self.rg,
            )
        ]


@st.composite
def people(draw: st.DrawFn) -> Person:
    first, last = draw(_word), draw(_word)
    cpf = draw(st.integers(0, 999_999_999).filter(lambda n: len(set(f"{n:09d}")) > 1))
    base = f"{cpf:09d}"
    mobile_digits = draw(st.integers(10_000_000, 99_999_999))
    return Person(
        name=f"{first} {last}",
        cpf=Cpf.parse(_with_check_digits(base)),
        email=Email.parse(f"{first.lower()}.{last.lower()}@example.com"),
        mobile=Mobile.parse(f"(11) 9{mobile_digits}"),
        rg=f"{draw(st.integers(10_000_000, 99_999_999))}-X",
    )


def _with_check_digits(base: str) -> str:
    digits = [int(c) for c in base]
    for n in (10, 11):
        total = sum(d * w for d, w in zip(digits, range(n, 1, -1), strict=False))
        digits.append((total * 10 % 11) % 10)
    return "".join(map(str, digits))


def _populate(uow: UnitOfWork, person: Person) -> None:
    """The customer C1 everywhere; an unrelated customer C2 beside them."""
    first = person.name.split()[0]
    with uow.writing():
        uow.customers.add(
            Customer(
                customer_id="C1",
                name=person.name,
                registered_at=AT,
                cpf=person.cpf,
                rg=person.rg,
                birth_date=date(1990, 3, 4),
                email=person.email,
                mobile=person.mobile,
                home_store_id="L01",
            )
        )
        uow.customers.add(Customer(customer_id="C2", name="Outra Pessoa", registered_at=AT))
        for n, who in ((1, "C1"), (2, "C1"), (3, "C2")):
            uow.orders.add(
                Order(
                    order_id=f"P{n}",
                    customer_id=who,
                    store_id="L01",
                    placed_at=AT,
                    total=Decimal("99.90"),
                    seller_code="V01",
                )
            )
        uow.telesales.add(
            new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by="u-op", at=AT)
        )
        uow.portfolio.set(_assigned("C1", "V01"))
        uow.rfv.save(DAY, {"C1": _score("C1"), "C2": _score("C2")})
        uow.consent.append(_consent("C1"))
        uow.blocks.append(
            BlockEvent(
                cpf=person.cpf,
                features={BlockFeature.CAMPAIGNS},
                blocked=True,
                reason=f"{person.name} pediu ({person.email.address})",
                by="u-gerente",
                at=AT,
            )
        )
        uow.contacts.add(
            Contact(
                contact_id="A1",
                seller_code="V01",
                customer_id="C1",
                channel=ContactChannel.WHATSAPP,
                started_at=AT,
                finished_at=AT,
                follow_up=FollowUp(day=date(2026, 6, 9), note=f"ligar para {person.mobile.e164}"),
                notes=f"{person.name}, RG {person.rg}, CPF {person.cpf.formatted}",
                in_portfolio=True,
            )
        )
        suggestion = attrs.evolve(
            _suggestion("C1", 1), message=f"Olá, {first}! ({person.email.address})"
        )
        uow.suggestions.save_day(DAY, [suggestion])
        uow.outcomes.save_day(
            DAY,
            [
                Explanation(
                    customer_id="C1",
                    day=DAY,
                    outcome=SuggestionOutcome.NO_CAMPAIGN_MATCHED,
                    detail="no campaign",
                    seller_code="V01",
                )
            ],
        )
        uow.categories.save(CustomerCategory("VIP", "Clientes VIP", "#c0392b"))
        uow.categories.add_members("VIP", ["C1", "C2"])
        uow.data_requests.add(  # type: ignore[attr-defined]
            DataSubjectRequest(
                request_id="R1",
                customer_id="C1",
                kind=RequestKind.CORRECTION,
                received_at=AT,
                detail=f"{person.name}: e-mail novo {person.email.address}, RG {person.rg}",
            )
        )
        for field, old, new in (
            ("email", None, person.email.address),
            ("mobile", None, person.mobile.e164),
            ("rg", None, person.rg),
            ("name", "Nome Antigo", person.name),
        ):
            uow.customer_history.append(
                HistoryChange(
                    customer_id="C1",
                    field=field,
                    old_value=old,
                    new_value=new,
                    actor="u-sac",
                    at=AT,
                    reason=HistoryReason.SAC_CALL,
                )
            )


def _texts(uow: UnitOfWork) -> list[tuple[str, str]]:
    """(where, text) for every stored value of the store, lowercased."""
    if isinstance(uow, InMemoryUnitOfWork):
        rows = uow.database._snapshot.rows
        return [(table, repr(row).lower()) for table in rows for row in rows[table].values()]
    engine: sa.Engine = uow._engine  # type: ignore[attr-defined]
    found: list[tuple[str, str]] = []
    with engine.connect() as conn:
        for table in sa.inspect(conn).get_table_names():
            quoted = conn.dialect.identifier_preparer.quote(table)
            result = conn.execute(sa.text(f"SELECT * FROM {quoted}"))  # noqa: S608 - reflected names
            columns = list(result.keys())
            for row in result:
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, bytes):
                        text = value.decode("utf-8", "replace")
                    elif value is None:
                        continue
                    else:
                        text = str(value)
                    found.append((f"{table}.{column}", text.lower()))
    return found


def _left(uow: UnitOfWork, person: Person) -> list[str]:
    texts = _texts(uow)
    return [
        f"{trace!r} in {where}" for trace in person.traces() for where, t in texts if trace in t
    ]


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(person=people())
def test_anonymization_leaves_no_trace_in_any_table(make_uow: Any, person: Person) -> None:
    uow = make_uow()
    _populate(uow, person)
    export_subject_data(uow, "C1", principal=ADMIN, at=AT)  # the access log's entry stays
    assert _left(uow, person) != []  # the scan sees the data before
    report = anonymize_customer(uow, "C1", principal=ADMIN, at=AT)
    assert report.outcome is ErasureOutcome.ANONYMIZED
    assert _left(uow, person) == []
    # the orders and the fiscal records stay, linked to the anonymous id
    anonymous = report.anonymous_id
    assert anonymous is not None
    with uow:
        assert [o.order_id for o in uow.orders.for_customer(anonymous)] == ["P1", "P2"]
        assert uow.orders.get("P3").customer_id == "C2"
        assert uow.telesales.get("T1").customer_id == anonymous
        assert uow.customers.count() == 1
        history = uow.customer_history.for_customer("C1")
        assert all(e.old_value is None and e.new_value is None for e in history)
        assert (history[-1].field, history[-1].reason) == ("record", HistoryReason.ANONYMIZATION)
        assert uow.categories.members("VIP") == ["C2"]
        assert uow.portfolio.get("C1") is None
        assert sorted(uow.rfv.get(DAY)) == ["C2"]
        # the request stays as the record of the answer; what the customer wrote is gone
        (request,) = uow.data_requests.for_customer("C1")  # type: ignore[attr-defined]
        assert (request.request_id, request.kind, request.detail) == (
            "R1",
            RequestKind.CORRECTION,
            None,
        )
    assert report.changed["redacted_request_details"] == 1


def test_nothing_is_searchable_by_the_old_data_after_anonymization(make_uow: Any) -> None:
    person = Person(
        name="João da Silva",
        cpf=Cpf.parse("529.982.247-25"),
        email=Email.parse("joao.silva@example.com"),
        mobile=Mobile.parse("(11) 98765-4321"),
        rg="12.345.678-9",
    )
    uow = make_uow()
    _populate(uow, person)
    queries = [
        "529.982.247-25",
        "52998224725",
        "João da Silva",
        "joao sil",
        "joao.silva@example.com",
        "(11) 98765-4321",
        "11987654321",
        "12.345.678-9",
    ]
    for query in queries:
        assert find_customer_ids(uow, query) == ["C1"], query
    report = anonymize_customer(uow, "C1", principal=ADMIN, at=AT)
    for query in queries:
        found = find_customer_ids(uow, query)
        assert "C1" not in found, query
        assert report.anonymous_id not in found, query
    assert find_customer_ids(uow, "Outra Pessoa") == ["C2"]


def test_anonymizing_twice_is_harmless(make_uow: Any) -> None:
    uow = make_uow()
    _populate(
        uow,
        Person(
            "Maria Souza",
            Cpf.parse("52998224725"),
            Email.parse("m@example.com"),
            Mobile.parse("11987654321"),
            "1234567",
        ),
    )
    first = anonymize_customer(uow, "C1", principal=ADMIN, at=AT)
    with uow:
        audit_before, history_before = uow.audit.tail(), uow.customer_history.count()
    again = anonymize_customer(uow, "C1", principal=ADMIN, at=AT)
    assert again.outcome is ErasureOutcome.ALREADY_DONE
    assert again.message == "customer C1 was already anonymized; nothing to do"
    assert first.anonymous_id is not None
    anonymous = anonymize_customer(uow, first.anonymous_id, principal=ADMIN, at=AT)
    assert anonymous.outcome is ErasureOutcome.ALREADY_DONE
    with uow:
        assert uow.audit.tail() == audit_before
        assert uow.customer_history.count() == history_before
        assert len(uow.orders.for_customer(first.anonymous_id)) == 2


def test_deletion_without_orders_leaves_no_trace(make_uow: Any) -> None:
    person = Person(
        "Beatriz Lima",
        Cpf.parse("52998224725"),
        Email.parse("bia@example.com"),
        Mobile.parse("11987654321"),
        "7654321",
    )
    uow = make_uow()
    _populate(uow, person)
    with uow:  # the orders and the cart go to C2, so C1 has none
        for order_id in ("P1", "P2"):
            uow.orders.add(attrs.evolve(uow.orders.get(order_id), customer_id="C2"))
    with pytest.raises(RuleViolation, match="fiscal records"):
        delete_customer(uow, "C1", principal=ADMIN, at=AT)  # the telesales cart is still C1's
    with uow.writing():
        uow.subject_data.relink("C1", "C2")  # a test shortcut: move the cart (and contacts) away
    report = delete_customer(uow, "C1", principal=ADMIN, at=AT)
    assert report.outcome is ErasureOutcome.DELETED
    assert _left(uow, person) == []
    with uow:
        assert uow.customer_history.for_customer("C1")[-1].reason is HistoryReason.DELETION
