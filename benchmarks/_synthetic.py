"""What benchmarks/explain.py and benchmarks/suggestions.py share: one seeded customer at a time.

Both scripts build the same kind of synthetic brand (one streams it into a store,
the other keeps it in memory), so the customer, their one sale and its RFV score
are drawn here, in one order of ``rng`` calls, for both.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from otocore.customers import Cpf, Customer
from otocore.orders import Order
from otocore.rfv import RfvScore
from otocore.sellers import Seller

DAY = date(2026, 5, 11)
SP = ZoneInfo("America/Sao_Paulo")
REGISTERED = datetime(2020, 1, 1, tzinfo=UTC)


def cpf_of(base: int) -> Cpf:
    """The valid CPF whose first nine digits are ``base``."""
    digits = [int(c) for c in f"{base:09d}"]
    for length in (9, 10):
        total = sum(d * w for d, w in zip(digits, range(length + 1, 1, -1), strict=True))
        digits.append((total * 10) % 11 % 10)
    return Cpf("".join(map(str, digits)))


def at_hour(day: date, rng: random.Random) -> datetime:
    """A shop hour of ``day`` in São Paulo."""
    return datetime(day.year, day.month, day.day, rng.randrange(8, 21), tzinfo=SP)


def customer_with_sale(
    n: int, cid: str, rng: random.Random, sellers: Sequence[Seller], grid: Sequence[str]
) -> tuple[Customer, Order | None, RfvScore | None]:
    """Customer ``n``; for 60% of them one sale in the last year and an RFV score."""
    customer = Customer(
        customer_id=cid,
        name="MARIA DA SILVA" if n % 2 else "João Souza",
        registered_at=REGISTERED + timedelta(days=rng.randrange(2320)),
        cpf=cpf_of(100_000_000 + n) if rng.random() < 0.3 else None,
        birth_date=date(1960 + n % 45, 1 + n % 12, 1 + n % 28) if rng.random() < 0.7 else None,
    )
    if rng.random() >= 0.6:
        return customer, None, None
    seller = sellers[rng.randrange(len(sellers))]
    order = Order(
        order_id=f"P{n:08d}",
        customer_id=cid,
        store_id=seller.store_id,
        placed_at=at_hour(DAY - timedelta(days=rng.randrange(1, 365)), rng),
        total=Decimal(rng.randrange(1_000, 90_000)).scaleb(-2),
        seller_code=seller.code,
    )
    score = RfvScore(
        customer_id=cid,
        recency_days=rng.randrange(1, 365),
        frequency=1,
        value=Decimal("100.00"),
        r=rng.randint(1, 5),
        f=rng.randint(1, 5),
        v=rng.randint(1, 5),
        segment=rng.choice(grid),
    )
    return customer, order, score
