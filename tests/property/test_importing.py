"""Importação: generated records written to files import back equal; junk only raises otocore errors."""

from __future__ import annotations

import csv
import json
import tempfile
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from hypothesis import example, given, settings
from hypothesis import strategies as st

from _support.strategies import examples
from _support.telesales_import import telesales_rows
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.customers import CpfPolicy
from otocore.errors import OtocoreError
from otocore.importing import ImportFailed, ImportRejected, RecordKind, import_file, to_cells
from otocore.importing._rows import SCHEMAS
from otocore.orders import Order
from otocore.testing import (
    block_events,
    consent_events,
    contacts,
    customers,
    orders,
    sellers,
    stores,
)

T = TypeVar("T")

KEYS: dict[RecordKind, Callable[[Any], str]] = {
    RecordKind.STORES: lambda r: r.store_id,
    RecordKind.SELLERS: lambda r: r.code,
    RecordKind.CUSTOMERS: lambda r: r.customer_id,
    RecordKind.ORDERS: lambda r: r.order_id,
    RecordKind.CONSENT: lambda r: r.event_id,
    RecordKind.BLOCKS: lambda r: r.event_id,
    RecordKind.CONTACTS: lambda r: r.contact_id,
    RecordKind.TELESALES: lambda r: r.order_id,
}


def write_csv(path: Path, columns: Sequence[str], rows: Sequence[dict[str, Any]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(columns))
        writer.writeheader()
        for row in rows:
            writer.writerow({c: row.get(c) for c in columns})


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]], *, number_totals: bool) -> None:
    # surrogatepass: a junk cell with a lone surrogate becomes bytes that are not
    # UTF-8, which the importer must report as a row error
    with path.open("w", encoding="utf-8", errors="surrogatepass") as f:
        for row in rows:
            text = json.dumps(row, ensure_ascii=False)
            if number_totals and row.get("total") is not None:
                # the total as a bare JSON number token, exactly as written
                text = text.replace(f'"total": "{row["total"]}"', f'"total": {row["total"]}')
            f.write(text + "\n")


def outcome(call: Callable[[], T]) -> T | OtocoreError:
    """What ``call`` returned, or the otocore error it raised (any other error escapes)."""
    try:
        return call()
    except OtocoreError as exc:
        return exc


def stored(uow: InMemoryUnitOfWork, kind: RecordKind) -> list[Any]:
    with uow:
        if kind is RecordKind.ORDERS:
            return sorted(uow.orders.iter_all(), key=KEYS[kind])
        if kind in (RecordKind.CONSENT, RecordKind.BLOCKS):
            return sorted(getattr(uow, kind.value).iter_all(), key=KEYS[kind])
        if kind is RecordKind.CONTACTS:
            return sorted(uow.contacts.iter_since(datetime.min.replace(tzinfo=UTC)), key=KEYS[kind])
        if kind is RecordKind.TELESALES:
            return sorted(uow.telesales.list(limit=1000), key=KEYS[kind])
        repository = getattr(uow, kind.value)
        return sorted(repository.list(), key=KEYS[kind])


def round_trip(kind: RecordKind, records: list[Any], data: st.DataObject) -> None:
    columns = data.draw(st.permutations(kind.columns), label="column order")
    as_jsonl = data.draw(st.booleans(), label="jsonl")
    rows = [to_cells(r) for r in records]
    with tempfile.TemporaryDirectory() as folder:
        if as_jsonl:
            path = Path(folder) / f"{kind.value}.jsonl"
            write_jsonl(path, rows, number_totals=data.draw(st.booleans(), label="bare totals"))
        else:
            path = Path(folder) / f"{kind.value}.csv"
            write_csv(path, columns, rows)
        uow = InMemoryUnitOfWork()
        summary = import_file(
            uow, path, batch_size=data.draw(st.integers(1, 8)), check_references=False
        )
    assert (summary.rows_read, summary.imported, summary.rejected) == (len(records),) * 2 + (0,)
    assert stored(uow, kind) == sorted(records, key=KEYS[kind])


@given(st.lists(orders(), unique_by=lambda o: o.order_id, max_size=25), st.data())
def test_generated_orders_import_back_equal(records: list[Any], data: st.DataObject) -> None:
    round_trip(RecordKind.ORDERS, records, data)


@given(st.lists(customers(), unique_by=lambda c: c.customer_id, max_size=4), st.data())
def test_generated_customers_import_back_equal(records: list[Any], data: st.DataObject) -> None:
    round_trip(RecordKind.CUSTOMERS, records, data)


@given(st.lists(stores(), unique_by=lambda s: s.store_id, max_size=5), st.data())
def test_generated_stores_import_back_equal(records: list[Any], data: st.DataObject) -> None:
    round_trip(RecordKind.STORES, records, data)


@given(st.lists(sellers(), unique_by=lambda s: s.code, max_size=8), st.data())
def test_generated_sellers_import_back_equal(records: list[Any], data: st.DataObject) -> None:
    round_trip(RecordKind.SELLERS, records, data)


# junk ------------------------------------------------------------------------------

KINDS = st.sampled_from(list(RecordKind))
SUFFIXES = st.sampled_from([".csv", ".jsonl"])


def run_on_bytes(kind: RecordKind, suffix: str, content: bytes, *, skip_invalid: bool) -> None:
    """Import ``content``; only otocore errors may escape, and the counts must add up."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind.value}{suffix}"
        path.write_bytes(content)
        uow = InMemoryUnitOfWork()
        summary = outcome(lambda: import_file(uow, path, skip_invalid=skip_invalid))
        if isinstance(summary, OtocoreError):
            assert str(summary)
            # the memory store never refuses a valid row: an ImportFailed would be our own bug
            assert not isinstance(summary, ImportFailed)
            if isinstance(summary, ImportRejected):
                assert summary.errors
                assert all(e.file == path.name and e.line >= 0 for e in summary.errors)
            assert stored(uow, kind) == []
            return
        assert summary.rows_read == summary.imported + summary.rejected + summary.duplicates
        assert len(stored(uow, kind)) <= summary.imported
        if skip_invalid:
            assert summary.report_path is not None
            with summary.report_path.open(encoding="utf-8", newline="") as f:
                lines = {r["line"] for r in csv.DictReader(f)}
            assert len(lines) == summary.rejected
        else:
            assert summary.rejected == 0


@settings(max_examples=examples(2))
@given(KINDS, SUFFIXES, st.binary(max_size=300), st.booleans())
def test_junk_bytes_only_raise_otocore_errors(
    kind: RecordKind, suffix: str, junk: bytes, skip_invalid: bool
) -> None:
    run_on_bytes(kind, suffix, junk, skip_invalid=skip_invalid)


@settings(max_examples=examples(2))
@given(
    KINDS,
    st.lists(st.binary(max_size=60) | st.text(max_size=60).map(str.encode), max_size=6),
    st.booleans(),
)
def test_junk_lines_after_a_good_csv_header_only_raise_otocore_errors(
    kind: RecordKind, lines: list[bytes], skip_invalid: bool
) -> None:
    content = ",".join(kind.columns).encode() + b"\n" + b"\n".join(lines)
    run_on_bytes(kind, ".csv", content, skip_invalid=skip_invalid)


OFFSETS = st.timedeltas(timedelta(hours=-23, minutes=-59), timedelta(hours=23, minutes=59)).map(
    lambda d: timezone(timedelta(minutes=d // timedelta(minutes=1)))
)
CELL_TEXT = (
    st.text(max_size=40)
    | st.datetimes(timezones=OFFSETS).map(datetime.isoformat)
    | st.dates().map(date.isoformat)
    | st.decimals(allow_nan=True).map(str)
    | st.sampled_from(
        [
            "0001-01-01T00:00:00+03:00",
            "9999-12-31T23:59:59-03:00",
            "",
            "2026-05-10T15:30:00-03:00",
            "2026-05-10T15:30:00",
            "2026-02-30",
            "1990-05-10",
            "199.90",
            "1.234,56",
            "-0",
            "1" * 40,
            "completed",
            "telesales",
            "inactive",
            "529.982.247-25",
            "111.111.111-11",
            "(11) 98765-4321",
            "ana@example.com",
            "\x00",
            "\ud800",
        ]
    )
)


@settings(max_examples=examples(2))
@given(KINDS, st.data(), st.booleans())
def test_junk_cells_in_csv_only_raise_otocore_errors(
    kind: RecordKind, data: st.DataObject, skip_invalid: bool
) -> None:
    columns = data.draw(st.lists(st.sampled_from(kind.columns), unique=True, min_size=1))
    rows = data.draw(st.lists(st.fixed_dictionaries(dict.fromkeys(columns, CELL_TEXT)), max_size=4))
    content = []
    for row in rows:
        content.append(",".join(json.dumps(v) if "," in v or '"' in v else v for v in row.values()))
    text = ",".join(columns) + "\n" + "\n".join(content) + "\n"
    run_on_bytes(kind, ".csv", text.encode("utf-8", "surrogatepass"), skip_invalid=skip_invalid)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | CELL_TEXT,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=examples(2))
@given(KINDS, st.data(), st.booleans())
def test_junk_json_values_only_raise_otocore_errors(
    kind: RecordKind, data: st.DataObject, skip_invalid: bool
) -> None:
    keys = st.sampled_from(kind.columns) | st.text(max_size=8)
    objects = data.draw(
        st.lists(
            st.dictionaries(keys, JSON_VALUES, max_size=len(kind.columns)) | JSON_VALUES, max_size=4
        )
    )
    text = "\n".join(json.dumps(o) for o in objects) + "\n"
    run_on_bytes(kind, ".jsonl", text.encode("utf-8", "surrogatepass"), skip_invalid=skip_invalid)


@given(st.lists(orders(), unique_by=lambda o: o.order_id, min_size=1, max_size=10), st.data())
def test_default_mode_imports_exactly_when_skip_mode_rejects_nothing(
    records: list[Any], data: st.DataObject
) -> None:
    rows = [to_cells(r) for r in records]
    spoiled = data.draw(st.sets(st.integers(0, len(rows) - 1)))
    for i in spoiled:
        rows[i] = dict(rows[i], total=data.draw(st.sampled_from(["1.234,56", "-1", "x", "0.001"])))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "orders.csv"
        write_csv(path, RecordKind.ORDERS.columns, rows)
        strict, lenient = InMemoryUnitOfWork(), InMemoryUnitOfWork()
        summary = import_file(lenient, path, skip_invalid=True, check_references=False)
        rejected = outcome(lambda: import_file(strict, path, check_references=False))
    if isinstance(rejected, ImportRejected):
        assert rejected.bad_rows == summary.rejected == len(spoiled)
        assert {e.line for e in rejected.errors} == {i + 2 for i in spoiled}
        assert stored(strict, RecordKind.ORDERS) == []
    else:
        assert not spoiled
        assert stored(strict, RecordKind.ORDERS) == stored(lenient, RecordKind.ORDERS)
    kept = [r for i, r in enumerate(records) if i not in spoiled]
    assert stored(lenient, RecordKind.ORDERS) == sorted(kept, key=KEYS[RecordKind.ORDERS])


RECORDS = {
    RecordKind.STORES: stores(),
    RecordKind.SELLERS: sellers(),
    RecordKind.CUSTOMERS: customers(),
    RecordKind.ORDERS: orders(),
    RecordKind.CONSENT: consent_events(),
    RecordKind.BLOCKS: block_events(),
    RecordKind.CONTACTS: contacts(),
    RecordKind.TELESALES: telesales_rows(),
}


@settings(max_examples=examples(2))
@given(KINDS, st.data(), st.booleans(), st.booleans())
def test_good_rows_with_junk_cells_only_raise_otocore_errors(
    kind: RecordKind, data: st.DataObject, as_jsonl: bool, skip_invalid: bool
) -> None:
    rows = [to_cells(r) for r in data.draw(st.lists(RECORDS[kind], min_size=1, max_size=3))]
    for row in rows:
        spoiled = data.draw(st.lists(st.sampled_from(kind.columns), max_size=2, unique=True))
        for column in spoiled:
            row[column] = data.draw(CELL_TEXT)
    with tempfile.TemporaryDirectory() as folder:
        if as_jsonl:
            path = Path(folder) / "rows.jsonl"
            write_jsonl(path, rows, number_totals=False)
        else:
            path = Path(folder) / "rows.csv"
            with path.open("w", encoding="utf-8", newline="", errors="surrogatepass") as f:
                writer = csv.DictWriter(f, fieldnames=list(kind.columns))
                writer.writeheader()
                writer.writerows(rows)
        run_on_bytes(kind, path.suffix, path.read_bytes(), skip_invalid=skip_invalid)


SOME_ORDER = Order(
    order_id="P1",
    customer_id="C1",
    store_id="L01",
    placed_at=datetime(2026, 5, 10, tzinfo=UTC),
    total=Decimal("1.00"),
    seller_code=None,
)


@example(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=3))), SOME_ORDER, False)
@example(datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-3))), SOME_ORDER, True)
@given(st.datetimes(timezones=OFFSETS), orders(), st.booleans())
def test_any_instant_at_any_offset_imports_or_is_a_row_error(
    when: datetime, order: Any, as_jsonl: bool
) -> None:
    row = dict(to_cells(order), placed_at=when.isoformat())
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / ("orders.jsonl" if as_jsonl else "orders.csv")
        if as_jsonl:
            write_jsonl(path, [row], number_totals=False)
        else:
            write_csv(path, RecordKind.ORDERS.columns, [row])
        uow = InMemoryUnitOfWork()
        rejected = outcome(lambda: import_file(uow, path, check_references=False))
    if isinstance(rejected, ImportRejected):
        assert [(e.line, e.field) for e in rejected.errors] == [(1 if as_jsonl else 2, "placed_at")]
        return
    [stored_order] = stored(uow, RecordKind.ORDERS)
    assert stored_order.placed_at == when


# the quick path and the careful path (issue 11) ------------------------------------

RECORDS = {
    RecordKind.STORES: stores(),
    RecordKind.SELLERS: sellers(),
    RecordKind.CUSTOMERS: customers(),
    RecordKind.ORDERS: orders(),
    RecordKind.CONSENT: consent_events(),
    RecordKind.BLOCKS: block_events(),
    RecordKind.CONTACTS: contacts(),
    RecordKind.TELESALES: telesales_rows(),
}


@settings(max_examples=examples(3))
@given(KINDS, st.data(), st.sampled_from([CpfPolicy(), CpfPolicy(allow_repeated_digits=True)]))
def test_the_quick_path_builds_what_the_careful_path_builds(
    kind: RecordKind, data: st.DataObject, policy: CpfPolicy
) -> None:
    """A row the quick path builds is the value the careful path builds; else it defers.

    Rows are generated values' own cells (good rows), some cells replaced by
    junk text, JSON values or emptied (bad rows and rows good another way).
    """
    schema = SCHEMAS[kind.value]
    cells: dict[str, Any] = dict(to_cells(data.draw(RECORDS[kind])))
    replaced = data.draw(st.lists(st.sampled_from(kind.columns), unique=True, max_size=3))
    for column in replaced:
        cells[column] = data.draw(st.none() | CELL_TEXT | JSON_VALUES)
    if data.draw(st.booleans()):
        cells = {k: v for k, v in cells.items() if v is not None}  # a header without them
    quick = schema.quick(cells, policy)
    careful = schema.careful(cells, policy)
    if quick is not None:
        assert quick == careful
        assert type(quick) is type(careful)
    elif not replaced:
        assert isinstance(careful, list)  # a value's own cells take the quick path
    assert schema.build(cells, policy) == careful
