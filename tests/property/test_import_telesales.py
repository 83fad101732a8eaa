"""Importação of telesales orders (issue 13): properties.

Generated orders, their rows shuffled into one file, import as exactly the
orders :func:`otocore.telesales.imported_order` builds; importing again only
counts duplicates; a spoiled row rejects its whole order, in both modes alike.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from _support.strategies import examples
from _support.telesales_import import (
    NOW,
    brand,
    stored_telesales,
    telesales_files,
    write_telesales,
)
from otocore.clock import FixedClock
from otocore.errors import OtocoreError
from otocore.importing import ImportRejected, TelesalesRow, import_file, to_cells
from otocore.telesales import TelesalesOrder, TelesalesPolicy, imported_order

POLICY = TelesalesPolicy(manual_price_stores=frozenset({"L01"}))


def expected(order_rows: list[TelesalesRow]) -> TelesalesOrder | OtocoreError:
    first = order_rows[0]
    try:
        return imported_order(
            order_id=first.order_id,
            customer_id=first.customer_id,
            store_id=first.store_id,
            items=[row.item for row in order_rows],
            commercial_policy=first.commercial_policy,
            placed_at=first.placed_at,
            operator_email=first.operator_email,
            imported_by="import",
            at=NOW,
            policy=POLICY,
        )
    except OtocoreError as exc:
        return exc


def summary_adds_up(summary: Any) -> bool:
    return bool(summary.rows_read == summary.imported + summary.rejected + summary.duplicates)


@settings(max_examples=examples(0.5))
@given(telesales_files(), st.randoms(use_true_random=False))
def test_generated_orders_import_as_imported_order_builds_them_and_again_as_duplicates(
    orders: list[list[TelesalesRow]], random: Any
) -> None:
    rows = [row for order_rows in orders for row in order_rows]
    random.shuffle(rows)
    in_file: dict[str, list[TelesalesRow]] = {}
    for row in rows:  # an order's items in the order its rows come in the file
        in_file.setdefault(row.order_id, []).append(row)
    orders = [in_file[order_rows[0].order_id] for order_rows in orders]
    built = [expected(order_rows) for order_rows in orders]
    good = sorted(
        (order for order in built if isinstance(order, TelesalesOrder)),
        key=lambda order: order.order_id,
    )
    good_rows = sum(
        len(o) for o, b in zip(orders, built, strict=True) if not isinstance(b, Exception)
    )
    with tempfile.TemporaryDirectory() as folder:
        path = write_telesales(Path(folder) / "telesales.csv", rows)
        uow = brand()
        with uow:
            uow.telesales.set_policy(POLICY)
        clock = FixedClock(NOW)
        summary = import_file(uow, path, clock=clock, skip_invalid=True)
        assert summary_adds_up(summary)
        assert (summary.imported, summary.rejected) == (good_rows, len(rows) - good_rows)
        assert stored_telesales(uow) == good
        again = import_file(uow, path, clock=clock, skip_invalid=True)
    assert summary_adds_up(again)
    assert (again.imported, again.duplicates) == (0, good_rows)
    assert stored_telesales(uow) == good


@settings(max_examples=examples(0.5))
@given(telesales_files(manual=False), st.data())
def test_a_spoiled_row_rejects_its_order_in_both_modes_alike(
    orders: list[list[TelesalesRow]], data: st.DataObject
) -> None:
    cells = [(i, to_cells(row)) for i, order_rows in enumerate(orders) for row in order_rows]
    spoiled = data.draw(
        st.sets(st.integers(0, max(len(cells) - 1, 0))) if cells else st.just(set())
    )
    for n in spoiled:
        cells[n][1]["quantity"] = data.draw(st.sampled_from(["0", "-1", "x", "1.5", ""]))
    bad_orders = {cells[n][0] for n in spoiled}
    with tempfile.TemporaryDirectory() as folder:
        path = write_telesales(Path(folder) / "telesales.csv", [c for _, c in cells])
        strict, lenient = brand(), brand()
        clock = FixedClock(NOW)
        summary = import_file(lenient, path, clock=clock, skip_invalid=True)
        try:
            import_file(strict, path, clock=clock)
            rejected = None
        except ImportRejected as exc:
            rejected = exc
    bad_rows = sum(len(orders[i]) for i in bad_orders)
    assert summary.rejected == bad_rows
    assert summary_adds_up(summary)
    kept = sorted(
        (orders[i][0].order_id for i in range(len(orders)) if i not in bad_orders),
    )
    assert [o.order_id for o in stored_telesales(lenient)] == kept
    if bad_orders:
        assert rejected is not None
        assert rejected.bad_rows == bad_rows
        assert stored_telesales(strict) == []
    else:
        assert rejected is None
        assert stored_telesales(strict) == stored_telesales(lenient)
