# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of the portfolio: stores, sellers, customers, orders, carteira, RFV, runs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.customers import Cpf, Customer, Email, Loyalty, MaritalStatus, Mobile, Sex
from otocore.errors import NotFound, ValidationError
from otocore.orders import Channel, Order, OrderStatus
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.sellers import Seller, SellerStatus, Store
from otocore.testing import (
    customers,
    orders,
)
from otocore.testing.storage._builders import (
    DAY,
    PROPERTY_SETTINGS,
    SP,
    MakeUow,
    _assigned,
    _customer,
    _order,
    _run,
    _score,
)
from otocore.testing.storage._bulk import BulkContract


class PortfolioContract(BulkContract):
    """The contract of the portfolio's repositories, as a pytest test class to subclass.

    Stores, sellers, customers, orders (exact money and instants, streaming),
    carteira assignments, RFV snapshots, daily runs and sequences, with
    Hypothesis round trips of orders, customers and assignments. Subclass it
    (in a class whose name starts with ``Test``) and define a ``make_uow``
    fixture, as for :class:`~otocore.testing.storage.UnitOfWorkContract`.

    >>> "test_order_upsert_replaces" in dir(PortfolioContract)
    True
    """

    # stores -------------------------------------------------------------------

    def test_store_add_get_and_list_sorted(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        centro = Store(store_id="L01", name="Loja Centro", city="São Paulo", state="SP")
        with uow:
            uow.stores.add(Store(store_id="L02", name="Shopping Norte"))
            uow.stores.add(centro)
        with uow:
            assert uow.stores.get("L01") == centro
            assert [s.store_id for s in uow.stores.list()] == ["L01", "L02"]

    def test_store_add_replaces_the_same_id(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.stores.add(Store(store_id="L01", name="Loja Centro", city="Recife"))
        with uow:
            uow.stores.add(Store(store_id="L01", name="Loja Centro Nova"))
        with uow:
            assert uow.stores.list() == [Store(store_id="L01", name="Loja Centro Nova")]

    def test_unknown_store_is_not_found(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow, pytest.raises(NotFound) as info:
            uow.stores.get("L99")
        assert (info.value.kind, info.value.key) == ("Store", "L99")

    # sellers ------------------------------------------------------------------

    def test_seller_add_get_and_replace(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        ana = Seller(code="V01", name="Ana Souza", store_id="L01")
        with uow:
            uow.sellers.add(ana)
        with uow:
            assert uow.sellers.get("V01") == ana
            inactive = attrs.evolve(ana, status=SellerStatus.INACTIVE)
            uow.sellers.add(inactive)
        with uow:
            assert uow.sellers.get("V01") == inactive
            assert uow.sellers.list() == [inactive]
            with pytest.raises(NotFound):
                uow.sellers.get("V02")

    def test_seller_list_filters_by_store_and_status(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        team = [
            Seller(code="V03", name="Carla", store_id="L01"),
            Seller(code="V01", name="Ana", store_id="L01", status=SellerStatus.INACTIVE),
            Seller(code="V02", name="Bruno", store_id="L02"),
        ]
        with uow:
            for seller in team:
                uow.sellers.add(seller)
        with uow:
            assert [s.code for s in uow.sellers.list()] == ["V01", "V02", "V03"]
            assert [s.code for s in uow.sellers.list(store_id="L01")] == ["V01", "V03"]
            active = uow.sellers.list(status=SellerStatus.ACTIVE)
            assert [s.code for s in active] == ["V02", "V03"]
            both = uow.sellers.list(store_id="L01", status=SellerStatus.INACTIVE)
            assert [s.code for s in both] == ["V01"]
            assert uow.sellers.list(store_id="L09") == []

    # customers ----------------------------------------------------------------

    def test_complete_customer_round_trips(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        ana = Customer(
            customer_id="C1",
            name="Ana Clara Souza",
            registered_at=datetime(2026, 3, 1, 12, 30, 15, 123456, tzinfo=SP),
            cpf=Cpf.parse("529.982.247-25"),
            rg="12.345.678-X",
            birth_date=date(1990, 2, 28),
            email=Email.parse("José.Silva@Exemplo.COM.br"),
            mobile=Mobile.parse("(11) 98765-4321"),
            sex=Sex.FEMALE,
            marital_status=MaritalStatus.STABLE_UNION,
            home_store_id="L01",
            loyalty=Loyalty(program="Clube Brisa", category="Ouro"),
        )
        placeholder = _customer("C2", cpf=Cpf("11111111111", allow_repeated=True))
        bare_member = attrs.evolve(placeholder, customer_id="C3", loyalty=Loyalty(program="Clube"))
        with uow:
            for c in (ana, placeholder, bare_member):
                uow.customers.add(c)
        with uow:
            assert uow.customers.get("C1") == ana
            assert uow.customers.get("C1").registered_at == ana.registered_at
            assert uow.customers.get("C2") == placeholder
            assert uow.customers.get("C3") == bare_member
            assert uow.customers.list() == [ana, placeholder, bare_member]

    def test_customer_upsert_and_count(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            assert uow.customers.count() == 0
            uow.customers.add(_customer("C2"))
            uow.customers.add(_customer("C1"))
            uow.customers.add(_customer("C1", name="Ana Maria"))
            assert uow.customers.count() == 2
        with uow:
            assert uow.customers.get("C1").name == "Ana Maria"
            assert [c.customer_id for c in uow.customers.list()] == ["C1", "C2"]
            with pytest.raises(NotFound) as info:
                uow.customers.get("C9")
            assert info.value.kind == "Customer"

    def test_find_by_cpf(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        cpf = Cpf("52998224725")
        with uow:
            assert uow.customers.find_by_cpf(cpf) is None
            uow.customers.add(_customer("C7", cpf=cpf))
            uow.customers.add(_customer("C5", cpf=cpf))  # shared: the lowest id wins
            uow.customers.add(_customer("C1", cpf=Cpf("11144477735")))
        with uow:
            found = uow.customers.find_by_cpf(Cpf.parse("529.982.247-25"))
            assert found is not None
            assert found.customer_id == "C5"
            uow.customers.add(_customer("C5"))  # the CPF was removed from C5's record
            found = uow.customers.find_by_cpf(cpf)
            assert found is not None
            assert found.customer_id == "C7"
            assert uow.customers.find_by_cpf(Cpf("39053344705")) is None

    # orders -------------------------------------------------------------------

    def test_money_and_instants_come_back_exactly(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        local = datetime(2026, 5, 10, 23, 59, 59, 999999, tzinfo=SP)
        order = _order(1, when=local, total="10.5")
        with uow:
            uow.orders.add(order)
        with uow:
            back = uow.orders.get("P1")
        assert back == order
        assert back.total == Decimal("10.5")
        assert back.placed_at == local
        assert back.placed_at.utcoffset() == timedelta(0)
        assert back.placed_at.astimezone(SP).date() == date(2026, 5, 10)

    def test_order_upsert_replaces(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        first = _order(1, total="10.00")
        second = attrs.evolve(
            first,
            total=Decimal("12.34"),
            status=OrderStatus.CANCELLED,
            channel=Channel.ONLINE,
            seller_code=None,
        )
        with uow:
            uow.orders.add(first)
        with uow:
            uow.orders.add(second)
        with uow:
            assert uow.orders.get("P1") == second
            assert uow.orders.count() == 1
            with pytest.raises(NotFound) as info:
                uow.orders.get("P2")
            assert (info.value.kind, info.value.key) == ("Order", "P2")

    def test_add_many_is_lazy_chunked_and_the_last_duplicate_wins(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        start = datetime(2026, 1, 1, tzinfo=UTC)
        n = 12_003  # more than two chunks of the SQL adapter

        def generate() -> Iterator[Order]:
            for i in range(n):
                yield _order(f"{i:05d}", customer=f"C{i % 100}", when=start + timedelta(minutes=i))
            yield _order("00007", customer="C7", when=start, total="99.99")

        with uow:
            uow.orders.add_many(generate())
            uow.orders.add_many([])
        with uow:
            assert uow.orders.count() == n
            assert uow.orders.get("P00007").total == Decimal("99.99")
            assert uow.orders.get("P12002").customer_id == "C2"

    def test_for_customer_sorted_by_time_then_id(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        noon = datetime(2026, 5, 10, 12, tzinfo=UTC)
        with uow:
            uow.orders.add_many(
                [
                    _order("B", when=noon),
                    _order("C", when=noon - timedelta(days=1)),
                    _order("A", when=noon),
                    _order("D", customer="C2", when=noon),
                ]
            )
        with uow:
            assert [o.order_id for o in uow.orders.for_customer("C1")] == ["PC", "PA", "PB"]
            assert uow.orders.for_customer("C9") == []

    def test_iter_all_streams_in_time_order_from_since(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        t0 = datetime(2026, 5, 10, 12, tzinfo=UTC)
        with uow:
            uow.orders.add_many(
                [
                    _order(3, when=t0 + timedelta(hours=1)),
                    _order(1, when=t0 - timedelta(microseconds=1)),
                    _order(2, when=t0),
                    _order(0, when=t0 + timedelta(hours=1)),
                ]
            )
        with uow:
            everything = uow.orders.iter_all()
            assert not isinstance(everything, list | tuple)
            assert next(everything).order_id == "P1"
            assert [o.order_id for o in everything] == ["P2", "P0", "P3"]
            # since is inclusive and an instant: 09:00 in São Paulo is 12:00 UTC
            since = datetime(2026, 5, 10, 9, tzinfo=SP)
            assert [o.order_id for o in uow.orders.iter_all(since=since)] == ["P2", "P0", "P3"]
            late = t0 + timedelta(days=1)
            assert list(uow.orders.iter_all(since=late)) == []

    # carteira -----------------------------------------------------------------

    def test_portfolio_set_get_and_replace(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            assert uow.portfolio.get("C1") is None
            uow.portfolio.set(_assigned("C1", "V01"))
        with uow:
            assert uow.portfolio.get("C1") == _assigned("C1", "V01")
            manual = PortfolioAssignment(
                customer_id="C1",
                seller_code="V02",
                since=date(2026, 5, 11),
                reason=AssignmentReason.MANUAL,
            )
            uow.portfolio.set(manual)
        with uow:
            assert uow.portfolio.get("C1") == manual
            assert uow.portfolio.list() == [manual]

    def test_portfolio_list_filters_and_set_many(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.portfolio.set_many(
                [
                    _assigned("C3", "V01"),
                    _assigned("C1", "V02"),
                    _assigned("C2", None),
                    _assigned("C1", "V01"),  # repeated customer: the last one wins
                ]
            )
        with uow:
            assert [a.customer_id for a in uow.portfolio.list()] == ["C1", "C2", "C3"]
            assert [a.customer_id for a in uow.portfolio.list(seller_code="V01")] == ["C1", "C3"]
            unassigned = uow.portfolio.list(reason=AssignmentReason.NONE)
            assert unassigned == [_assigned("C2", None)]
            assert uow.portfolio.list(seller_code="V01", reason=AssignmentReason.MANUAL) == []

    # RFV ----------------------------------------------------------------------

    def test_rfv_snapshot_save_get_and_replace(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        first = {"C1": _score("C1"), "C2": _score("C2", value="0.125")}
        with uow:
            uow.rfv.save(DAY, first)
            uow.rfv.save(date(2026, 5, 9), {})
        with uow:
            got = uow.rfv.get(DAY)
            assert got == first
            assert got["C2"].value == Decimal("0.125")
            assert uow.rfv.get(date(2026, 5, 9)) == {}
            assert uow.rfv.dates() == [date(2026, 5, 9), DAY]
            uow.rfv.save(DAY, {"C3": _score("C3", segment="at_risk")})
        with uow:
            assert uow.rfv.get(DAY) == {"C3": _score("C3", segment="at_risk")}
            with pytest.raises(NotFound):
                uow.rfv.get(date(2026, 5, 8))

    def test_rfv_scores_of_some_customers(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        scores = {c: _score(c) for c in ("C1", "C2", "C3")}
        with uow:
            uow.rfv.save(DAY, scores)
            assert uow.rfv.get_many(DAY, iter(["C3", "C1", "C9", "C1"])) == {
                "C1": scores["C1"],
                "C3": scores["C3"],
            }
            assert uow.rfv.get_many(DAY, []) == {}
            with pytest.raises(NotFound) as info:
                uow.rfv.get_many(date(2026, 5, 8), ["C1"])
            assert info.value.key == date(2026, 5, 8)
            with pytest.raises(ValidationError, match=r"^customer_ids must be an iterable of ids"):
                uow.rfv.get_many(DAY, "C1")

    def test_rfv_keys_must_be_the_scores_customers(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow, pytest.raises(ValidationError):
            uow.rfv.save(DAY, {"C2": _score("C1")})

    # daily runs ---------------------------------------------------------------

    def test_daily_runs_round_trip_in_order(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        late = _run(DAY, 30, assigned=10, unassigned=2)
        early = _run(DAY, 0, assigned=9)
        before = _run(date(2026, 5, 9), 0)
        with uow:
            assert uow.daily_runs.list() == []
            assert uow.daily_runs.latest() is None
            for run in (late, before, early):
                uow.daily_runs.add(run)
        with uow:
            assert uow.daily_runs.list() == [before, early, late]
            assert uow.daily_runs.latest() == late
            assert uow.daily_runs.latest(date(2026, 5, 9)) == before
            assert uow.daily_runs.latest(date(2026, 5, 1)) is None
            assert dict(late.counts) == {"assigned": 10, "unassigned": 2}
            # a run repeated with the same start time is a second run, listed after
            uow.daily_runs.add(early)
            assert uow.daily_runs.list() == [before, early, early, late]

    # sequences ----------------------------------------------------------------

    def test_sequences_count_from_zero(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing():
            assert uow.sequences.current("seller_code") == 0
            assert [uow.sequences.next("seller_code") for _ in range(3)] == [1, 2, 3]
            uow.sequences.set("batch", 41)
        with uow:
            assert uow.sequences.next("batch") == 42
            assert uow.sequences.current("seller_code") == 3
        with uow, pytest.raises(ValidationError):
            uow.sequences.set("batch", -1)

    # properties ---------------------------------------------------------------

    @PROPERTY_SETTINGS
    @given(
        batch=st.lists(orders(), min_size=1, max_size=15, unique_by=lambda o: o.order_id),
        since=st.datetimes(
            min_value=datetime(2018, 1, 1),  # noqa: DTZ001 - made aware by timezones=
            max_value=datetime(2031, 1, 1),  # noqa: DTZ001
            timezones=st.sampled_from([UTC, SP, timezone(timedelta(hours=5, minutes=45))]),
        ),
    )
    def test_orders_round_trip(
        self, make_uow: MakeUow, batch: list[Order], since: datetime
    ) -> None:
        uow = make_uow()
        with uow:
            uow.orders.add_many(batch)
        with uow:
            for order in batch:
                assert uow.orders.get(order.order_id) == order
            by_time = sorted(batch, key=lambda o: (o.placed_at, o.order_id))
            assert list(uow.orders.iter_all()) == by_time
            assert list(uow.orders.iter_all(since=since)) == [
                o for o in by_time if o.placed_at >= since
            ]
            some = batch[0].customer_id
            assert uow.orders.for_customer(some) == [o for o in by_time if o.customer_id == some]

    @PROPERTY_SETTINGS
    @given(people=st.lists(customers(), max_size=6, unique_by=lambda c: c.customer_id))
    def test_customers_round_trip(self, make_uow: MakeUow, people: list[Customer]) -> None:
        uow = make_uow()
        with uow:
            for person in people:
                uow.customers.add(person)
        with uow:
            assert uow.customers.list() == sorted(people, key=lambda c: c.customer_id)
            for person in people:
                if person.cpf is not None:
                    found = uow.customers.find_by_cpf(person.cpf)
                    assert found is not None
                    assert found.cpf == person.cpf

    @PROPERTY_SETTINGS
    @given(
        moves=st.lists(
            st.tuples(
                st.sampled_from(["C1", "C2", "C3"]),
                st.none() | st.sampled_from(["V01", "V02"]),
                st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
            ),
            max_size=8,
        )
    )
    def test_assignment_round_trip(
        self, make_uow: MakeUow, moves: list[tuple[str, str | None, date]]
    ) -> None:
        uow = make_uow()
        expected: dict[str, PortfolioAssignment] = {}
        with uow:
            for customer_id, seller, since in moves:
                assignment = _assigned(customer_id, seller, since=since)
                uow.portfolio.set(assignment)
                expected[customer_id] = assignment
        with uow:
            assert uow.portfolio.list() == [expected[k] for k in sorted(expected)]
