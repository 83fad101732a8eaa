# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of the registry search (``uow.customer_search``)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.customers import Cpf, Customer, Email, Loyalty, Mobile
from otocore.errors import ValidationError
from otocore.orders import Channel, Order, OrderStatus
from otocore.repositories import UnitOfWork
from otocore.search import (
    CustomerQuery,
    CustomerStats,
    PageRequest,
    SearchField,
    Sort,
    SortKey,
    customer_stats,
    hits_of,
    rank,
)
from otocore.testing import customers
from otocore.testing.storage._builders import PROPERTY_SETTINGS, MakeUow

_WHEN = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)


def _person(customer_id: str, name: str, **fields: object) -> Customer:
    return Customer(customer_id=customer_id, name=name, registered_at=_WHEN, **fields)  # type: ignore[arg-type]


def _sale(
    n: int,
    customer_id: str,
    when: datetime,
    total: str = "10.00",
    *,
    channel: Channel = Channel.STORE,
    status: OrderStatus = OrderStatus.COMPLETED,
) -> Order:
    return Order(
        order_id=f"P{n}",
        customer_id=customer_id,
        store_id="L01",
        placed_at=when,
        total=Decimal(total),
        seller_code=None,
        channel=channel,
        status=status,
    )


_PEOPLE = (
    _person(
        "C1",
        "João da Silva",
        cpf=Cpf("52998224725"),
        rg="MG-12.345.678",
        email=Email("joao@example.com"),
        mobile=Mobile("+5511987654321"),
        loyalty=Loyalty(program="Clube Brisa", card_number="6012345678"),
    ),
    _person("C2", "JOANA SÍLVIA Araújo", rg="12.345.678-9"),
    _person("C3", "Álvaro Souza", email=Email("alvaro@example.com")),
    _person("C4", "alvaro souza", mobile=Mobile("+5521998765432")),
    _person("C5", "Maria Sílvia"),
)


class RegistryContract:
    """The contract of the registry search, as a pytest test class to subclass.

    Every field of a query (name words and prefixes, CPF, RG, e-mail, mobile,
    card number), sorting by every key both ways with the ``customer_id``
    tie-break, paging, the figures (total spent, visits, last visit) and a
    Hypothesis comparison with the reference rules of :mod:`otocore.search`.

    >>> "test_a_name_is_found_by_word_prefixes" in dir(RegistryContract)
    True
    """

    def _filled(self, make_uow: MakeUow) -> UnitOfWork:
        uow = make_uow()
        with uow:
            uow.customers.add_many(_PEOPLE)
        return uow

    def test_a_name_is_found_by_word_prefixes(self, make_uow: MakeUow) -> None:
        uow = self._filled(make_uow)
        with uow:
            find = uow.customer_search
            assert find.search(CustomerQuery.parse("joao sil")).customer_ids == ["C1"]
            assert find.search(CustomerQuery.parse("SILV")).customer_ids == ["C2", "C1", "C5"]
            assert find.search(CustomerQuery.parse("álvaro")).customer_ids == ["C3", "C4"]
            assert find.search(CustomerQuery.parse("souza alv")).customer_ids == ["C3", "C4"]
            assert find.search(CustomerQuery.parse("joao xavier")).customer_ids == []
            assert find.matching_ids(CustomerQuery.parse("jo")) == ["C1", "C2"]

    def test_exact_fields_are_found_in_any_formatting(self, make_uow: MakeUow) -> None:
        uow = self._filled(make_uow)
        queries = [
            "529.982.247-25",
            "52998224725",
            " 529 982 247 25 ",
            "JOAO@EXAMPLE.COM",
            "(11) 98765-4321",
            "+55 11 98765 4321",
            "011987654321",
            "mg 12345678",
            "6012 3456 78",
        ]
        with uow:
            for text in queries:
                found = uow.customer_search.search(CustomerQuery.parse(text))
                assert found.customer_ids == ["C1"], text
            by_rg = CustomerQuery.parse("123456789", field=SearchField.RG)
            assert uow.customer_search.matching_ids(by_rg) == ["C2"]

    def test_an_empty_query_finds_everyone_and_junk_no_one(self, make_uow: MakeUow) -> None:
        uow = self._filled(make_uow)
        with uow:
            everyone = uow.customer_search.search(CustomerQuery.parse(""))
            assert everyone.total == 5
            assert everyone.customer_ids == ["C3", "C4", "C2", "C1", "C5"]
            assert uow.customer_search.matching_ids(CustomerQuery.parse("!!!")) == []

    def test_name_order_both_ways_with_the_id_tie_break(self, make_uow: MakeUow) -> None:
        uow = self._filled(make_uow)
        with uow:
            down = Sort(key=SortKey.NAME, descending=True)
            found = uow.customer_search.search(CustomerQuery.parse(""), sort=down)
            # "alvaro souza" twice (C3, C4): the lower id first in both directions
            assert found.customer_ids == ["C5", "C1", "C2", "C3", "C4"]

    def test_pages_cover_every_match_once_in_order(self, make_uow: MakeUow) -> None:
        uow = self._filled(make_uow)
        with uow:
            query = CustomerQuery.parse("")
            whole = uow.customer_search.search(query).customer_ids
            seen: list[str] = []
            for number in (1, 2, 3):
                page = uow.customer_search.search(query, page=PageRequest(number=number, size=2))
                assert page.total == 5
                assert page.pages == 3
                seen += page.customer_ids
            assert seen == whole
            beyond = uow.customer_search.search(query, page=PageRequest(number=4, size=2))
            assert beyond.customer_ids == []
            assert beyond.total == 5

    def test_the_figures_and_sorting_by_them(self, make_uow: MakeUow) -> None:
        uow = self._filled(make_uow)
        late = datetime(2026, 5, 10, 2, 30, tzinfo=UTC)  # 9 May, 23:30 in São Paulo
        with uow:
            uow.orders.add_many(
                [
                    _sale(1, "C1", late, "100.00"),
                    _sale(2, "C1", datetime(2026, 5, 9, 15, tzinfo=UTC), "0.50"),  # same day
                    _sale(3, "C1", datetime(2026, 5, 20, 15, tzinfo=UTC), "10.00"),
                    _sale(
                        4,
                        "C2",
                        datetime(2026, 6, 1, 15, tzinfo=UTC),
                        "500.00",
                        channel=Channel.ONLINE,
                    ),
                    _sale(
                        5,
                        "C3",
                        datetime(2026, 6, 2, 15, tzinfo=UTC),
                        "999.00",
                        status=OrderStatus.CANCELLED,
                    ),
                    _sale(6, "C4", datetime(2026, 4, 1, 15, tzinfo=UTC), "20.00"),
                ]
            )
        with uow:
            search = uow.customer_search.search
            everyone = CustomerQuery.parse("")
            by_spent = search(everyone, sort=Sort(key=SortKey.TOTAL_SPENT, descending=True))
            assert by_spent.customer_ids == ["C2", "C1", "C4", "C3", "C5"]
            first = {h.customer.customer_id: h.stats for h in by_spent.hits}
            assert first["C1"] == CustomerStats(
                total_spent=Decimal("110.50"),
                visits=2,
                first_visit=date(2026, 5, 9),
                last_visit=date(2026, 5, 20),
            )
            assert first["C2"] == CustomerStats(total_spent=Decimal("500.00"))
            assert first["C3"] == CustomerStats()
            by_visits = search(everyone, sort=Sort(key=SortKey.VISITS))
            assert by_visits.customer_ids == ["C2", "C3", "C5", "C4", "C1"]
            by_last = search(everyone, sort=Sort(key=SortKey.LAST_VISIT))
            assert by_last.customer_ids == ["C4", "C1", "C2", "C3", "C5"]
            by_last_down = search(everyone, sort=Sort(key=SortKey.LAST_VISIT, descending=True))
            assert by_last_down.customer_ids == ["C1", "C4", "C2", "C3", "C5"]
            paged = search(
                CustomerQuery.parse("a"),
                sort=Sort(key=SortKey.TOTAL_SPENT),
                page=PageRequest(number=2, size=2),
            )
            assert paged.total == 3  # a word beginning with "a": Araújo, Álvaro, alvaro
            assert paged.customer_ids == ["C2"]

    def test_a_changed_name_is_found_by_the_new_one_only(self, make_uow: MakeUow) -> None:
        uow = self._filled(make_uow)
        with uow:
            uow.customers.add(attrs.evolve(_PEOPLE[0], name="Joel Pereira"))
        with uow:
            assert uow.customer_search.matching_ids(CustomerQuery.parse("joao")) == []
            assert uow.customer_search.matching_ids(CustomerQuery.parse("pere jo")) == ["C1"]

    def test_a_rolled_back_customer_is_not_found(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.customers.add(_PEOPLE[1])
            uow.rollback()
            uow.customers.add(_PEOPLE[2])
        with uow:
            assert uow.customer_search.matching_ids(CustomerQuery.parse("jo")) == []
            assert uow.customer_search.matching_ids(CustomerQuery.parse("alv")) == ["C3"]

    def test_bad_arguments_are_validation_errors(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            search = uow.customer_search
            with pytest.raises(ValidationError, match="query"):
                search.search("joao")  # type: ignore[arg-type]
            with pytest.raises(ValidationError, match="sort"):
                search.search(CustomerQuery.parse(""), sort="name")  # type: ignore[arg-type]
            with pytest.raises(ValidationError, match="page"):
                search.search(CustomerQuery.parse(""), page=2)  # type: ignore[arg-type]
            with pytest.raises(ValidationError, match="time_zone"):
                search.search(CustomerQuery.parse(""), time_zone="Brasil")
            with pytest.raises(ValidationError, match="query"):
                search.matching_ids(None)  # type: ignore[arg-type]

    @PROPERTY_SETTINGS
    @given(
        people=st.lists(customers(), min_size=1, max_size=8, unique_by=lambda c: c.customer_id),
        data=st.data(),
    )
    def test_the_store_answers_as_the_reference_rules(
        self, make_uow: MakeUow, people: list[Customer], data: st.DataObject
    ) -> None:
        someone = data.draw(st.sampled_from(people))
        texts = [someone.name, someone.name.split()[0][:3], ""]
        if someone.cpf is not None:
            texts.append(someone.cpf.formatted)
        if someone.email is not None:
            texts.append(someone.email.address.upper())
        if someone.mobile is not None:
            texts.append(someone.mobile.formatted)
        if someone.rg is not None:
            texts.append(someone.rg)
        text = data.draw(st.sampled_from(texts))
        sort = Sort(key=data.draw(st.sampled_from(SortKey)), descending=data.draw(st.booleans()))
        page = PageRequest(number=data.draw(st.integers(1, 3)), size=data.draw(st.integers(1, 4)))
        sales = [
            _sale(i, data.draw(st.sampled_from(people)).customer_id, when, total, channel=channel)
            for i, (when, total, channel) in enumerate(
                data.draw(
                    st.lists(
                        st.tuples(
                            st.datetimes(
                                min_value=datetime(2026, 1, 1),  # noqa: DTZ001 - naive: timezones= sets it
                                max_value=datetime(2026, 3, 1),  # noqa: DTZ001
                                timezones=st.just(UTC),
                            ),
                            st.sampled_from(["1.00", "10.00", "99.99"]),
                            st.sampled_from(Channel),
                        ),
                        max_size=6,
                    )
                )
            )
        ]
        query = CustomerQuery.parse(text)
        stats = customer_stats(sales)
        expected = rank(
            hits_of([c for c in people if query.matches(c)], stats), sort=sort, page=page
        )
        uow = make_uow()
        with uow:
            uow.customers.add_many(people)
            uow.orders.add_many(sales)
        with uow:
            found = uow.customer_search.search(query, sort=sort, page=page)
            assert found == expected
            assert uow.customer_search.matching_ids(query) == sorted(
                c.customer_id for c in people if query.matches(c)
            )
