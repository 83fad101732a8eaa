"""Worked examples of the registry search (otocore.search, otocore.registry), from the seeds' wording."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.consent import ConsentEvent, ConsentPolicy, ConsentSource, ContactChannel
from otocore.customers import Cpf, Customer, Email, Loyalty, MaritalStatus, Mobile, Sex
from otocore.errors import ValidationError
from otocore.filters import (
    AgeBetween,
    AllOf,
    ConsentOn,
    HasPurchases,
    LoyaltyProgram,
    MaritalStatusIn,
    SexIn,
)
from otocore.orders import Channel, Order
from otocore.registry import (
    Criterion,
    CustomerQuery,
    CustomerStats,
    PageRequest,
    SearchField,
    SearchPage,
    Sort,
    SortKey,
    find_customer_ids,
    search_customers,
)
from otocore.search import customer_stats, name_key, sort_ids

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
DAY = date(2026, 5, 10)


def person(customer_id: str, name: str, **fields: object) -> Customer:
    return Customer(customer_id=customer_id, name=name, registered_at=WHEN, **fields)  # type: ignore[arg-type]


def sale(n: int, customer_id: str, when: datetime, total: str = "100.00") -> Order:
    return Order(
        order_id=f"P{n}",
        customer_id=customer_id,
        store_id="L01",
        placed_at=when,
        total=Decimal(total),
        seller_code=None,
    )


@pytest.fixture
def uow() -> InMemoryUnitOfWork:
    unit = InMemoryUnitOfWork()
    with unit:
        unit.customers.add_many(
            [
                person(
                    "C1",
                    "João da Silva",
                    cpf=Cpf("52998224725"),
                    sex=Sex.MALE,
                    birth_date=date(1990, 1, 1),
                    loyalty=Loyalty(
                        program="Clube Brisa", category="Ouro", card_number="6012345678"
                    ),
                ),
                person(
                    "C2",
                    "Joana Silveira",
                    sex=Sex.FEMALE,
                    marital_status=MaritalStatus.MARRIED,
                    birth_date=date(2000, 6, 1),
                    email=Email("joana@example.com"),
                    mobile=Mobile("+5511987654321"),
                    loyalty=Loyalty(program="Clube Brisa", category="Prata"),
                ),
                person("C3", "Silvio Santos", sex=Sex.MALE, rg="12.345.678-9"),
            ]
        )
        unit.orders.add_many(
            [
                sale(1, "C1", datetime(2026, 4, 1, 15, tzinfo=UTC), "300.00"),
                sale(2, "C2", datetime(2026, 4, 2, 15, tzinfo=UTC), "50.00"),
                sale(3, "C2", datetime(2026, 4, 3, 15, tzinfo=UTC), "50.00"),
            ]
        )
    return unit


def test_joao_sil_finds_joao_da_silva(uow: InMemoryUnitOfWork) -> None:
    # the example: "joao sil" finds "João da Silva"
    assert search_customers(uow, "joao sil").customer_ids == ["C1"]
    assert search_customers(uow, "JOÃO SIL").customer_ids == ["C1"]
    assert search_customers(uow, "sil").customer_ids == ["C2", "C1", "C3"]


def test_reshop_searches_by_cpf_or_rg(uow: InMemoryUnitOfWork) -> None:
    # "buscas de clientes com base em seu CPF ... ou RG"
    assert search_customers(uow, "529.982.247-25").customer_ids == ["C1"]
    assert search_customers(uow, "123456789").customer_ids == ["C3"]
    assert find_customer_ids(uow, "12.345.678-9", field=SearchField.RG) == ["C3"]


def test_altegio_searches_by_phone_email_and_card(uow: InMemoryUnitOfWork) -> None:
    # "digitando nome, telefone, e-mail ou número do cartão"
    assert search_customers(uow, "11 98765-4321").customer_ids == ["C2"]
    assert search_customers(uow, "Joana@Example.com").customer_ids == ["C2"]
    assert search_customers(uow, "6012-3456-78").customer_ids == ["C1"]


def test_sorted_by_a_column_of_the_users_choice(uow: InMemoryUnitOfWork) -> None:
    # "qual cliente gera mais receita": total spent, descending
    found = search_customers(uow, "", sort=Sort(key=SortKey.TOTAL_SPENT, descending=True))
    assert found.customer_ids == ["C1", "C2", "C3"]
    assert [h.stats.total_spent for h in found.hits] == [
        Decimal("300.00"),
        Decimal("100.00"),
        Decimal(0),
    ]
    by_visits = search_customers(uow, "", sort=Sort(key=SortKey.VISITS, descending=True))
    assert by_visits.customer_ids == ["C2", "C1", "C3"]
    # "qual cliente não o visita há muito tempo": last visit, ascending; never last
    by_last = search_customers(uow, "", sort=Sort(key=SortKey.LAST_VISIT))
    assert by_last.customer_ids == ["C1", "C2", "C3"]


def test_the_dashboard_filters_narrow_a_search(uow: InMemoryUnitOfWork) -> None:
    # Sexo, Estado civil, Faixa etária, Programa de fidelidade + Categoria, compras
    cases = [
        (SexIn([Sex.MALE]), ["C1", "C3"]),
        (MaritalStatusIn([MaritalStatus.MARRIED]), ["C2"]),
        (AgeBetween(min=30), ["C1"]),
        (LoyaltyProgram(program="Clube Brisa", categories=["Ouro"]), ["C1"]),
        (AllOf([HasPurchases(), SexIn([Sex.FEMALE])]), ["C2"]),
    ]
    for audience, expected in cases:
        found = search_customers(uow, "", filter=audience, on=DAY)
        assert sorted(found.customer_ids) == expected, audience
    # a text search and a filter together, sorted and paged
    found = search_customers(
        uow,
        "sil",
        filter=SexIn([Sex.MALE]),
        on=DAY,
        sort=Sort(key=SortKey.NAME, descending=True),
        page=PageRequest(size=1),
    )
    assert (found.customer_ids, found.total, found.pages) == (["C3"], 2, 2)


def test_a_consent_filter_reads_the_consent_log(uow: InMemoryUnitOfWork) -> None:
    with uow:
        uow.consent.append(
            ConsentEvent(
                customer_id="C3",
                channel=ContactChannel.WHATSAPP,
                granted=True,
                at=datetime(2026, 5, 1, tzinfo=UTC),
                source=ConsentSource.SELLER_APP,
                recorded_by="V01",
            )
        )
    audience = ConsentOn([ContactChannel.WHATSAPP])
    assert search_customers(uow, "", filter=audience, on=DAY).customer_ids == ["C3"]
    everyone_consents = ConsentPolicy(default_granted=True)
    found = search_customers(uow, "", filter=audience, on=DAY, consent_policy=everyone_consents)
    assert found.total == 3


def test_a_filter_needs_a_day_and_a_filter(uow: InMemoryUnitOfWork) -> None:
    with pytest.raises(ValidationError, match="on is required with a filter"):
        search_customers(uow, "", filter=HasPurchases())
    with pytest.raises(ValidationError, match="filter must be a filter"):
        search_customers(uow, "", filter={"has_purchases": {}}, on=DAY)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="query must be a str or a CustomerQuery"):
        search_customers(uow, 52998224725)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="field must be None"):
        search_customers(uow, CustomerQuery.parse("ana"), field=SearchField.NAME)
    with pytest.raises(ValidationError, match="time_zone"):
        search_customers(uow, "", time_zone="Brasil")
    with pytest.raises(ValidationError, match="query has wrong check digits"):
        search_customers(uow, "529.982.247-26", field=SearchField.CPF)


def test_an_explicit_field_reads_only_that_field(uow: InMemoryUnitOfWork) -> None:
    # 6012345678 is C1's card; as an RG it finds no one
    assert find_customer_ids(uow, "6012345678", field=SearchField.CARD) == ["C1"]
    assert find_customer_ids(uow, "6012345678", field=SearchField.RG) == []


def test_query_and_values_refuse_bad_input() -> None:
    with pytest.raises(ValidationError, match="query must be at most 200 characters"):
        CustomerQuery.parse("a" * 201)
    with pytest.raises(ValidationError, match=r"Criterion\.key must be a name key"):
        Criterion(SearchField.NAME, "João")
    with pytest.raises(ValidationError, match=r"PageRequest\.size must be <= 1000"):
        PageRequest(size=1001)
    with pytest.raises(ValidationError, match=r"PageRequest\.number must be >= 1"):
        PageRequest(number=0)
    with pytest.raises(ValidationError, match=r"Sort\.key"):
        Sort(key="name")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="field"):
        CustomerQuery.parse("ana", field="name")  # type: ignore[arg-type]


def test_a_name_query_longer_once_decomposed_is_cut_to_200() -> None:
    # one character that NFKD writes as four words (18 characters), 20 times
    query = CustomerQuery.parse("\ufdfa " * 20)
    (criterion,) = query.criteria
    assert len(criterion.key) <= 200
    assert name_key(criterion.key) == criterion.key


def test_visits_are_local_store_days_of_completed_orders() -> None:
    # the shared definitions: total spent = COMPLETED orders, any channel; visits =
    # distinct local days (São Paulo) with a COMPLETED STORE order
    night = datetime(2026, 5, 10, 2, 59, tzinfo=UTC)  # 9 May 23:59 in São Paulo
    morning = datetime(2026, 5, 10, 3, 0, tzinfo=UTC)  # 10 May 00:00
    online = Order(
        order_id="P9",
        customer_id="C1",
        store_id="L01",
        placed_at=morning,
        total=Decimal("1.00"),
        seller_code=None,
        channel=Channel.ONLINE,
    )
    stats = customer_stats([sale(1, "C1", night), sale(2, "C1", morning), online])
    assert stats["C1"] == CustomerStats(
        total_spent=Decimal("201.00"),
        visits=2,
        first_visit=date(2026, 5, 9),
        last_visit=date(2026, 5, 10),
    )
    utc = customer_stats([sale(1, "C1", night), sale(2, "C1", morning)], time_zone="UTC")
    assert utc["C1"].visits == 1


def test_ties_go_to_the_lowest_id_in_both_directions() -> None:
    same = {i: CustomerStats(visits=1) for i in ("C2", "C10", "C1")}
    for descending in (False, True):
        order = sort_ids(same, sort=Sort(key=SortKey.VISITS, descending=descending), stats=same)
        assert order == ["C1", "C10", "C2"]


def test_a_page_reports_its_size_and_count() -> None:
    page = SearchPage(hits=(), total=0, sort=Sort(), page=PageRequest(number=3, size=10))
    assert (page.pages, page.page.offset, page.customer_ids) == (0, 20, [])
