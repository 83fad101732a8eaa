"""Importação of consent, blocks and contacts; references; duplicates (issue 12): properties.

Generated events and contacts written to a file import back equal; importing
again changes nothing; the summary always adds up; a reference is refused
exactly when it names nothing known.
"""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from _support.strategies import examples
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.customers import Customer
from otocore.importing import RecordKind, import_file, to_cells
from otocore.importing._rows import derived_id
from otocore.orders import Order
from otocore.sellers import Seller, Store
from otocore.testing import block_events, consent_events, contacts, orders

KEYS: dict[RecordKind, Callable[[Any], str]] = {
    RecordKind.CONSENT: lambda r: r.event_id,
    RecordKind.BLOCKS: lambda r: r.event_id,
    RecordKind.CONTACTS: lambda r: r.contact_id,
}
STRATEGIES = {
    RecordKind.CONSENT: consent_events(),
    RecordKind.BLOCKS: block_events(),
    RecordKind.CONTACTS: contacts(),
}
KINDS = st.sampled_from(list(STRATEGIES))


def with_id(kind: RecordKind, record: Any) -> Any:
    """The record as imported: an event or contact without an id gets the derived one."""
    if kind is RecordKind.CONTACTS or record.event_id is not None:
        return record
    return attrs.evolve(record, event_id=derived_id(kind.value, record))


def write_file(folder: Path, kind: RecordKind, rows: Sequence[dict[str, Any]], jsonl: bool) -> Path:
    if jsonl:
        path = folder / f"{kind.value}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        return path
    path = folder / f"{kind.value}.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(kind.columns))
        writer.writeheader()
        writer.writerows(rows)
    return path


def stored(uow: InMemoryUnitOfWork, kind: RecordKind) -> list[Any]:
    with uow:
        if kind is RecordKind.CONTACTS:
            found = list(uow.contacts.iter_since(datetime.min.replace(tzinfo=UTC)))
        else:
            found = list(getattr(uow, kind.value).iter_all())
    return sorted(found, key=KEYS[kind])


@st.composite
def records(draw: st.DrawFn, kind: RecordKind) -> list[Any]:
    """Records with distinct ids as imported (derived ids included)."""
    found = draw(st.lists(STRATEGIES[kind], max_size=8))
    unique: dict[str, Any] = {}
    for record in found:
        unique.setdefault(KEYS[kind](with_id(kind, record)), record)
    return list(unique.values())


@settings(max_examples=examples(3))
@given(KINDS, st.data())
def test_generated_events_and_contacts_import_back_equal_and_again_change_nothing(
    kind: RecordKind, data: st.DataObject
) -> None:
    originals = data.draw(records(kind), label="records")
    jsonl = data.draw(st.booleans(), label="jsonl")
    batch_size = data.draw(st.integers(1, 4), label="batch size")
    uow = InMemoryUnitOfWork()
    with tempfile.TemporaryDirectory() as folder:
        path = write_file(Path(folder), kind, [to_cells(r) for r in originals], jsonl)
        first = import_file(uow, path, batch_size=batch_size, check_references=False)
        after_first = stored(uow, kind)
        with uow:
            consent_after_first = list(uow.consent.iter_all())
        second = import_file(uow, path, batch_size=batch_size, check_references=False)
    expected = sorted((with_id(kind, r) for r in originals), key=KEYS[kind])
    assert after_first == expected
    n = len(originals)
    assert (first.rows_read, first.imported, first.rejected, first.duplicates) == (n, n, 0, 0)
    assert (second.rows_read, second.imported, second.rejected) == (n, n, 0)
    assert stored(uow, kind) == after_first
    with uow:
        assert list(uow.consent.iter_all()) == consent_after_first
    if kind is RecordKind.CONTACTS:  # each consent change became one consent event
        changes = [c for c in originals if c.consent_change is not None]
        assert sorted(e.event_id for e in consent_after_first) == sorted(
            f"contact:{c.contact_id}" for c in changes
        )


@settings(max_examples=examples(3))
@given(
    st.sampled_from([*STRATEGIES, RecordKind.ORDERS]),
    st.data(),
    st.booleans(),
)
def test_the_summary_adds_up_with_repeated_and_bad_rows(
    kind: RecordKind, data: st.DataObject, jsonl: bool
) -> None:
    """rows read = imported + rejected + duplicates; imported = the ids stored."""
    strategy = orders() if kind is RecordKind.ORDERS else STRATEGIES[kind]
    key = (lambda o: o.order_id) if kind is RecordKind.ORDERS else KEYS[kind]
    base = data.draw(st.lists(strategy, min_size=1, max_size=5), label="records")
    rows: list[dict[str, Any]] = []
    for _ in range(data.draw(st.integers(1, 10), label="rows")):
        row = dict(to_cells(data.draw(st.sampled_from(base))))
        choice = data.draw(st.sampled_from(["same", "same", "spoiled", "changed"]))
        column = data.draw(st.sampled_from(kind.columns))
        if choice == "spoiled":
            row[column] = "?!"  # a bad cell, or (free text) a row that says something else
        elif choice == "changed":
            other = to_cells(data.draw(strategy))
            row = {c: (other[c] if c == column else v) for c, v in row.items()}
        rows.append(row)
    uow = InMemoryUnitOfWork()
    with tempfile.TemporaryDirectory() as folder:
        path = write_file(Path(folder), kind, rows, jsonl)
        summary = import_file(uow, path, skip_invalid=True, check_references=False)
        assert summary.report_path is not None
        with summary.report_path.open(encoding="utf-8", newline="") as f:
            rejected_lines = {r["line"] for r in csv.DictReader(f)}
    assert summary.rows_read == len(rows)
    assert summary.rows_read == summary.imported + summary.rejected + summary.duplicates
    assert len(rejected_lines) == summary.rejected
    if kind is RecordKind.ORDERS:
        with uow:
            kept = list(uow.orders.iter_all())
    else:
        kept = stored(uow, kind)
    assert len(kept) == summary.imported
    assert len({key(r) for r in kept}) == summary.imported


STORE_IDS = st.sampled_from(["L01", "L02", "L03"])
SELLER_CODES = st.sampled_from(["V01", "V02", "V03"]) | st.none()


@settings(max_examples=examples(3))
@given(
    st.lists(
        orders(store_id=STORE_IDS, seller_code=SELLER_CODES),
        unique_by=lambda o: o.order_id,
        max_size=8,
    ),
    st.sets(st.sampled_from(["L01", "L02", "L03"])),
    st.sets(st.sampled_from(["V01", "V02", "V03"])),
)
def test_an_order_is_refused_exactly_when_it_names_an_unknown_store_or_seller(
    records: list[Order], stores: set[str], sellers: set[str]
) -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        for store_id in stores:
            uow.stores.add(Store(store_id=store_id, name="Loja"))
        for code in sellers:
            uow.sellers.add(Seller(code=code, name="Vendedor", store_id="L01"))
    known = [
        o
        for o in records
        if o.store_id in stores and (o.seller_code is None or o.seller_code in sellers)
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.csv"
        with path.open("w", encoding="utf-8", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(RecordKind.ORDERS.columns))
            writer.writeheader()
            writer.writerows(to_cells(o) for o in records)
        summary = import_file(uow, path, skip_invalid=True)
    assert (summary.imported, summary.rejected) == (len(known), len(records) - len(known))
    with uow:
        assert sorted(uow.orders.iter_all(), key=lambda o: o.order_id) == sorted(
            known, key=lambda o: o.order_id
        )


@settings(max_examples=examples(2))
@given(st.lists(contacts(customer_id=st.sampled_from(["C1", "C2"])), max_size=5), st.booleans())
def test_a_contact_is_refused_exactly_when_its_customer_or_seller_is_unknown(
    found: list[Any], c2_known: bool
) -> None:
    unique = list({c.contact_id: c for c in found}.values())
    uow = InMemoryUnitOfWork()
    codes = {c.seller_code for c in unique}
    known_sellers = set(sorted(codes)[: len(codes) // 2])
    with uow:
        for cid in ["C1", "C2"] if c2_known else ["C1"]:
            uow.customers.add(
                Customer(
                    customer_id=cid, name="Ana", registered_at=datetime(2020, 1, 1, tzinfo=UTC)
                )
            )
        for code in known_sellers:
            uow.sellers.add(Seller(code=code, name="Vendedor", store_id="L01"))
    good = [
        c for c in unique if (c.customer_id == "C1" or c2_known) and c.seller_code in known_sellers
    ]
    with tempfile.TemporaryDirectory() as folder:
        path = write_file(Path(folder), RecordKind.CONTACTS, [to_cells(c) for c in unique], False)
        summary = import_file(uow, path, skip_invalid=True)
    assert (summary.imported, summary.rejected) == (len(good), len(unique) - len(good))
    assert stored(uow, RecordKind.CONTACTS) == sorted(good, key=KEYS[RecordKind.CONTACTS])
