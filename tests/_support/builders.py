"""Small builders and constants shared by the test modules.

Import what you need: ``from _support.builders import SP, order, sp``. Each builder
takes keyword changes over documented defaults, so a test spells out only what it is
about:

>>> order(total=Decimal("5.00")).total
Decimal('5.00')
>>> sp(10, 14).isoformat()
'2026-05-10T14:00:00-03:00'

A module that needs a terser builder for a table of examples (``order("V01", when)``)
keeps it next to its tests, written on top of these.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from otocore.auth import SecretHasher
from otocore.customers import Customer
from otocore.orders import Order
from otocore.sellers import Seller, SellerStatus

__all__ = [
    "HASHER",
    "ROOT",
    "SAMPLES",
    "SP",
    "START",
    "at",
    "customer",
    "order",
    "seller",
    "sp",
]

SP = ZoneInfo("America/Sao_Paulo")
"""São Paulo, the brands' zone in the seeds (UTC-3, no daylight saving since 2019)."""

START = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
"""The fixed "now" of the account and audit tests (a Monday, 06:00 in São Paulo)."""

HASHER = SecretHasher.insecure_for_tests()
"""The fast password hasher: same interface as the real one, milliseconds per hash."""

ROOT = Path(__file__).resolve().parents[2]
"""The repository (tests that read it carry the ``source_tree`` marker)."""

SAMPLES = ROOT / "docs" / "samples"
"""The sample brand's CSV files, as the README imports them."""


def sp(day: int, hour: int = 12, minute: int = 0, month: int = 5, year: int = 2026) -> datetime:
    """An instant in São Paulo, by default in May 2026 at noon.

    >>> sp(1, 23, 59, month=6)
    datetime.datetime(2026, 6, 1, 23, 59, tzinfo=zoneinfo.ZoneInfo(key='America/Sao_Paulo'))
    """
    return datetime(year, month, day, hour, minute, tzinfo=SP)


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """The São Paulo instant at ``hour:minute`` of the local ``day``.

    >>> at(date(2026, 5, 11), 9).isoformat()
    '2026-05-11T09:00:00-03:00'
    """
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SP)


def order(**changes: Any) -> Order:
    """An :class:`~otocore.orders.Order`: P1, by C1 in L01, R$ 199.90 credited to V01.

    Placed at 2026-05-10 15:30 in São Paulo; ``changes`` replace any field.

    >>> order(order_id="P2", seller_code=None).seller_code is None
    True
    """
    fields: dict[str, Any] = {
        "order_id": "P1",
        "customer_id": "C1",
        "store_id": "L01",
        "placed_at": datetime(2026, 5, 10, 15, 30, tzinfo=SP),
        "total": Decimal("199.90"),
        "seller_code": "V01",
    }
    fields.update(changes)
    return Order(**fields)


def customer(**changes: Any) -> Customer:
    """A :class:`~otocore.customers.Customer`: C1, Ana Souza, registered 2026-03-01 15:00 UTC.

    >>> customer(name="Bia Lima").first_name
    'Bia'
    """
    fields: dict[str, Any] = {
        "customer_id": "C1",
        "name": "Ana Souza",
        "registered_at": datetime(2026, 3, 1, 15, 0, tzinfo=UTC),
    }
    fields.update(changes)
    return Customer(**fields)


def seller(code: str, store: str = "L01", *, active: bool = True) -> Seller:
    """A :class:`~otocore.sellers.Seller` named after its code, active unless told.

    >>> seller("V04", "L02", active=False)
    Seller(code='V04', name='Vendedor V04', store_id='L02', status=<SellerStatus.INACTIVE: 'inactive'>)
    """
    status = SellerStatus.ACTIVE if active else SellerStatus.INACTIVE
    return Seller(code=code, name=f"Vendedor {code}", store_id=store, status=status)
