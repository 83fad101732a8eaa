"""The in-memory store: real transactions shared by units of work, across threads."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from otocore.adapters.memory import InMemoryDatabase, InMemoryUnitOfWork
from otocore.orders import Order
from otocore.repositories import UnitOfWork, UnitOfWorkError
from otocore.sellers import Store

CENTRO = Store(store_id="L01", name="Loja Centro")


def _order(n: int, customer: str) -> Order:
    return Order(
        order_id=f"P{n}",
        customer_id=customer,
        store_id="L01",
        placed_at=datetime(2026, 5, 10, tzinfo=UTC),
        total=Decimal("1.00"),
        seller_code=None,
    )


def test_it_is_a_unit_of_work() -> None:
    uow: UnitOfWork = InMemoryUnitOfWork()
    with uow:
        assert uow.stores.list() == []


def test_uncommitted_writes_are_invisible_to_other_units_of_work() -> None:
    db = InMemoryDatabase()
    writer, reader = db.unit_of_work(), db.unit_of_work()
    with writer:
        writer.stores.add(CENTRO)
        with reader:
            assert reader.stores.list() == []
        assert writer.stores.list() == [CENTRO]
    with reader:
        assert reader.stores.list() == [CENTRO]


def test_separate_in_memory_units_of_work_do_not_share_state() -> None:
    one, two = InMemoryUnitOfWork(), InMemoryUnitOfWork()
    with one:
        one.stores.add(CENTRO)
    with two:
        assert two.stores.list() == []


def test_moving_an_order_to_another_customer_updates_the_index() -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        uow.orders.add(_order(1, "C1"))
    with uow:
        uow.orders.add(_order(1, "C2"))
        assert uow.orders.for_customer("C1") == []
    with uow:
        assert uow.orders.for_customer("C1") == []
        assert uow.orders.for_customer("C2") == [_order(1, "C2")]


def test_writing_blocks_of_many_threads_never_lose_an_update() -> None:
    db = InMemoryDatabase()
    threads, times = 8, 200

    def work() -> None:
        uow = db.unit_of_work()
        for _ in range(times):
            with uow.writing():
                uow.sequences.set("n", uow.sequences.current("n") + 1)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    with db.unit_of_work() as uow:
        assert uow.sequences.current("n") == threads * times


def test_next_is_atomic_in_plain_blocks_across_threads() -> None:
    db = InMemoryDatabase()
    got: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        uow = db.unit_of_work()
        for _ in range(100):
            with uow:
                value = uow.sequences.next("n")
            with lock:
                got.append(value)

    pool = [threading.Thread(target=work) for _ in range(4)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert sorted(got) == list(range(1, 401))


def test_a_writing_block_holds_the_lock_until_it_ends() -> None:
    db = InMemoryDatabase()
    first, second = db.unit_of_work(), db.unit_of_work()
    entered = threading.Event()

    def other() -> None:
        with second.writing():
            entered.set()

    thread = threading.Thread(target=other)
    with first.writing():
        thread.start()
        assert not entered.wait(0.2)
    thread.join(timeout=5)
    assert entered.is_set()


def test_exit_without_enter_is_a_usage_error() -> None:
    with pytest.raises(UnitOfWorkError, match=r"__exit__ without a matching __enter__"):
        InMemoryUnitOfWork().__exit__(None, None, None)
