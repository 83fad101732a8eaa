"""Importing telesales orders gives the same stored orders on every store (issue 13)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from _support.builders import SAMPLES
from _support.telesales_import import NOW
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.clock import FixedClock
from otocore.importing import ImportRejected, import_directory, import_file
from otocore.repositories import UnitOfWork

UowFactory = Any
CLOCK = FixedClock(NOW)
FILE = (
    "order_id,customer_id,store_id,placed_at,commercial_policy,operator_email,sku,quantity,"
    "list_price,manual_price\n"
    "EXT-1,C001,L01,2026-01-10T15:30:00-03:00,importados,,CAMISA-P,2,59.90,\n"
    "EXT-2,C002,L02,2026-01-11T10:00:00-03:00,importados,bia@marca.com.br,TENIS-40,1,299.90,\n"
    "EXT-1,C001,L01,2026-01-10T15:30:00-03:00,importados,,CALCA-42,1,149.90,\n"
)


def telesales(uow: UnitOfWork) -> list[Any]:
    with uow:
        return sorted(uow.telesales.list(limit=1000), key=lambda order: order.order_id)


def test_telesales_orders_import_alike_and_again_change_nothing(
    make_uow: UowFactory, tmp_path: Path
) -> None:
    path = tmp_path / "televendas.csv"
    path.write_text(FILE, encoding="utf-8")
    memory = InMemoryUnitOfWork()
    import_directory(memory, SAMPLES)
    import_file(memory, path, clock=CLOCK)
    uow = make_uow()
    import_directory(uow, SAMPLES)
    first = import_file(uow, path, clock=CLOCK)
    stored = telesales(uow)
    again = import_file(uow, path, clock=CLOCK)
    assert stored == telesales(memory)
    assert [o.order_id for o in stored] == ["EXT-1", "EXT-2"]
    assert (first.imported, first.duplicates) == (3, 0)
    assert (again.imported, again.duplicates) == (0, 3)
    assert telesales(uow) == stored


def test_a_bad_order_leaves_every_store_as_it_was(make_uow: UowFactory, tmp_path: Path) -> None:
    path = tmp_path / "televendas.csv"
    path.write_text(
        FILE + "EXT-3,C001,L99,2026-01-12T10:00:00Z,importados,,S1,1,1.00,\n", encoding="utf-8"
    )
    uow = make_uow()
    import_directory(uow, SAMPLES)
    with pytest.raises(ImportRejected, match=r"line 5: store_id is not a known store"):
        import_file(uow, path, clock=CLOCK)
    assert telesales(uow) == []
