"""otocore.frames.attribute on a generated brand large enough for the engines' threads.

The differential Hypothesis tests draw a few dozen orders; a multi-threaded engine
only splits its work past a few thousand rows. Here a seeded brand of 30,000 orders
and 6,000 contacts is attributed on every engine and compared with the reference,
row for row. (It failed on PyArrow before: narwhals' window over ``order_id``
joined the aggregate back and read it in the input's row order, which PyArrow's
multi-threaded hash join does not keep, so some runs paired orders with another
order's best instant and lost most of the sales.)
"""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from _support.attribution import contact, contact_frame, expected_rows, in_utc, order, order_frame
from _support.frames import ENGINES, rows
from otocore import attribution, frames
from otocore.attribution import AttributionModel, AttributionPolicy
from otocore.contacts import Contact
from otocore.orders import Channel, Order, OrderStatus

START = datetime(2026, 1, 1, tzinfo=UTC)


def _brand(n_orders: int, n_contacts: int) -> tuple[list[Order], list[Contact]]:
    rng = random.Random(14)
    customers = n_orders // 10
    orders = [
        order(
            f"P{n}",
            f"C{rng.randrange(customers)}",
            START + timedelta(seconds=rng.randrange(90 * 86_400)),
            str(Decimal(rng.randrange(100, 10_000)).scaleb(-2)),
            channel=rng.choice(list(Channel)),
            seller=rng.choice([None, "V1", "V2", "V3"]),
            status=OrderStatus.CANCELLED if rng.random() < 0.05 else OrderStatus.COMPLETED,
        )
        for n in range(n_orders)
    ]
    contacts = [
        contact(
            f"A{n}",
            rng.choice(["V1", "V2", "V3"]),
            f"C{rng.randrange(customers)}",
            START + timedelta(seconds=rng.randrange(90 * 86_400)),
        )
        for n in range(n_contacts)
    ]
    return orders, contacts


ORDERS, CONTACTS = _brand(30_000, 6_000)


def _normal(found: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    return [(*row[:4], in_utc(row[4]), *row[5:9], in_utc(row[9])) for row in found]


@pytest.mark.parametrize("model", list(AttributionModel))
@pytest.mark.parametrize("engine", ENGINES)
def test_a_generated_brand_is_attributed_as_the_reference_does(
    engine: str, model: AttributionModel
) -> None:
    policy = AttributionPolicy(model=model)
    wanted = _normal(
        expected_rows(attribution.attribute(ORDERS, CONTACTS, policy=policy).attributed)
    )
    assert len(wanted) > 2_000  # the brand attributes enough sales to mean something
    orders, contacts = order_frame(ORDERS, engine), contact_frame(CONTACTS, engine)
    for _ in range(3):  # a thread schedule is not the same twice: three runs
        got = _normal(rows(frames.attribute(orders, contacts, policy=policy)))
        wrong = sum(a != b for a, b in zip(got, wanted, strict=False))
        assert (len(got), wrong) == (len(wanted), 0)  # counts, not a diff of 20k rows
