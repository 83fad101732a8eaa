"""otocore.frames.preferred_sellers on a generated brand large enough for the engines' threads.

The differential Hypothesis tests draw a few dozen orders; a multi-threaded engine only
splits its work past a few thousand rows. Here a seeded brand of 200,000 orders is run on
every engine and compared with the reference, row for row. (It failed on PyArrow before:
narwhals' window over ``customer_id`` joined the aggregate back and read it in the input's
row order, which PyArrow's multi-threaded hash join does not keep, so some runs lost
customers or gave them another customer's winner.)
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from _support.frames import ENGINES, expected_preferred, order_frame, rows
from otocore import distribution, frames
from otocore.orders import Order, OrderStatus

AS_OF = date(2026, 5, 10)


def _brand(n_orders: int) -> list[Order]:
    rng = random.Random(14)
    customers = n_orders // 10
    end = datetime(2026, 5, 10, 12, tzinfo=UTC)
    return [
        Order(
            order_id=f"P{n}",
            customer_id=f"C{rng.randrange(customers)}",
            store_id=f"L{rng.randrange(3)}",
            seller_code=rng.choice([None, "V1", "V2", "V3", "V10"]),
            placed_at=end - timedelta(seconds=rng.randrange(400 * 86_400)),
            total=Decimal(rng.randrange(100, 10_000)).scaleb(-2),
            status=OrderStatus.CANCELLED if rng.random() < 0.05 else OrderStatus.COMPLETED,
        )
        for n in range(n_orders)
    ]


ORDERS = _brand(200_000)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_generated_brand_gets_the_references_preferred_sellers(engine: str) -> None:
    wanted = expected_preferred(distribution.preferred_sellers(ORDERS, AS_OF))
    assert len(wanted) > 5_000  # enough customers to mean something
    frame = order_frame(ORDERS, engine)
    for _ in range(3):  # a thread schedule is not the same twice: three runs
        got = rows(frames.preferred_sellers(frame, AS_OF))
        wrong = sum(a != b for a, b in zip(got, wanted, strict=False))
        assert (len(got), wrong) == (len(wanted), 0)  # counts, not a diff of 20k rows
