"""Two units of work on the same telesales order at once, on memory, an SQLite file and PostgreSQL.

The contract (``otocore.testing.storage.TelesalesContract``) checks a stale save with blocks
one after the other; here the loser's block is open (it has read the order) while the winner's
block commits, in another thread: exactly one wins, the loser gets ``ConcurrentUpdate`` and
nothing of it is written. (Races between processes are the service's tests.)
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from otocore.adapters.memory import InMemoryDatabase
from otocore.adapters.sql import open_database
from otocore.errors import ConcurrentUpdate
from otocore.orders import OrderItem
from otocore.telesales import (
    PaymentMethod,
    TelesalesOrder,
    TelesalesPolicy,
    TelesalesState,
    apply_rules,
    authorize,
    new_cart,
    place_on_behalf,
    put_item,
    reject,
    set_manual_price,
)

from .conftest import emptied

T0 = datetime(2026, 5, 10, 12, tzinfo=UTC)
POLICY = TelesalesPolicy(manual_price_stores=frozenset({"L01"}))
ANA, RUI, BIA = "ana@marca.com.br", "rui@marca.com.br", "bia@marca.com.br"
Move = Callable[[TelesalesOrder], TelesalesOrder]


def _waiting() -> TelesalesOrder:
    cart = new_cart(order_id="T1", customer_id="C1", store_id="L01", built_by=ANA, at=T0)
    cart = put_item(
        cart,
        OrderItem(sku="A", quantity=2, list_price=Decimal("100.00"), manual_price=Decimal("70")),
        policy=POLICY,
        actor=ANA,
        at=T0,
    )
    placed = place_on_behalf(cart, payment_method=PaymentMethod.GATEWAY, actor=ANA, at=T0)
    return apply_rules(placed, policy=POLICY, at=T0)


LATER = T0 + timedelta(minutes=5)
MOVES: dict[str, tuple[Move, Move]] = {
    "two approvers": (
        lambda o: authorize(o, actor=RUI, reason="ok", at=LATER),
        lambda o: reject(o, actor=BIA, reason="não", at=LATER),
    ),
    "an approval and a price change": (
        lambda o: authorize(o, actor=RUI, reason="ok", at=LATER),
        lambda o: set_manual_price(o, "A", Decimal("1.00"), policy=POLICY, actor=ANA, at=LATER),
    ),
    "a price change and an approval": (
        lambda o: set_manual_price(o, "A", Decimal("1.00"), policy=POLICY, actor=ANA, at=LATER),
        lambda o: authorize(o, actor=RUI, reason="ok", at=LATER),
    ),
}


@pytest.fixture(params=["memory", "sqlite-file", "postgresql"])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "memory":
        yield InMemoryDatabase()
    elif request.param == "sqlite-file":
        db = open_database(str(tmp_path / "race.db"), upgrade=True, durable=False)
        yield db
        db.close()
    else:
        yield emptied(request.getfixturevalue("postgres_database"))


def _save(uow: Any, order: TelesalesOrder, read: TelesalesOrder) -> None:
    uow.telesales.save(order, expected_state=read.state, expected_length=len(read.history))


@pytest.mark.parametrize("race", sorted(MOVES))
def test_the_first_save_wins_and_the_open_block_loses(database: Any, race: str) -> None:
    winner, loser = MOVES[race]
    with database.unit_of_work() as uow:
        uow.telesales.add(_waiting())
    has_read, won = threading.Event(), threading.Event()
    lost: list[BaseException] = []

    def late() -> None:
        uow = database.unit_of_work()
        try:
            with uow:
                read = uow.telesales.get("T1")
                has_read.set()
                won.wait(timeout=30)
                _save(uow, loser(read), read)
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            lost.append(exc)

    thread = threading.Thread(target=late)
    thread.start()
    assert has_read.wait(timeout=30)
    with database.unit_of_work() as uow:
        read = uow.telesales.get("T1")
        first = winner(read)
        _save(uow, first, read)
    won.set()
    thread.join(timeout=60)
    assert len(lost) == 1
    assert isinstance(lost[0], ConcurrentUpdate), lost[0]
    assert lost[0].expected == "awaiting_authorization/4"
    with database.unit_of_work() as uow:
        stored = uow.telesales.get("T1")
    assert stored == first
    assert stored.state in {TelesalesState.AUTHORIZED, TelesalesState.AWAITING_AUTHORIZATION}
