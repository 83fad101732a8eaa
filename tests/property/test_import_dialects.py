"""Importação: a table written in any dialect Brazil's spreadsheets use imports as the plain CSV.

Any table of stores or orders written with a ``,``, ``;``, tab or ``|``
separator, in UTF-8 (with or without a byte-order mark) or Windows-1252, with
decimal points or decimal commas (with or without thousands separators), the
dialect detected or given, or written as an ``.xlsx`` workbook, imports to
exactly the records the plain CSV file (comma-separated UTF-8, decimal points)
imports to, and those are the records written.
"""

from __future__ import annotations

import contextlib
import csv
import io
import tempfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
from hypothesis import given, settings
from hypothesis import strategies as st

from _support.strategies import examples
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.errors import OtocoreError
from otocore.importing import FileFormat, RecordKind, import_file, to_cells
from otocore.orders import Order
from otocore.sellers import Store
from otocore.testing import money, orders

# Portuguese text Windows-1252 can hold, and the separators and quotes a cell may hide.
# Every letter outside ASCII is 0xC0 or above in Windows-1252 and never followed by a
# byte 0x80-0xBF, so a Windows-1252 line holding one is never valid UTF-8: detection
# has one right answer (docs/import.md states the rule for the other case).
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789 .,;|\"'-/áàâãéêíóôõúçÁÂÃÉÍÓÕÚÇ"
TEXT = st.text(alphabet=ALPHABET, min_size=1, max_size=20).filter(lambda s: not s.isspace())

STORES = st.builds(
    Store,
    store_id=st.from_regex(r"L[0-9]{1,4}", fullmatch=True),
    name=TEXT,
    city=st.none() | TEXT,
    state=st.none() | st.sampled_from(["SP", "PE", "RS"]),
)
ORDERS = orders(total=money(max_value=Decimal("9999999.99")))
KEYS = {RecordKind.STORES: lambda r: r.store_id, RecordKind.ORDERS: lambda r: r.order_id}
TABLES = st.one_of(
    st.tuples(st.just(RecordKind.STORES), st.lists(STORES, unique_by=KEYS[RecordKind.STORES])),
    st.tuples(st.just(RecordKind.ORDERS), st.lists(ORDERS, unique_by=KEYS[RecordKind.ORDERS])),
)


def brazilian(total: str, grouped: bool) -> str:
    """``1234.56`` as ``1234,56``, or grouped as ``1.234,56``."""
    whole, _, cents = total.partition(".")
    if grouped:
        whole = f"{int(whole):,}".replace(",", ".")
    return whole + ("," + cents if cents else "")


def write_csv(rows: list[dict[str, Any]], columns: list[str], delimiter: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["" if row[c] is None else row[c] for c in columns])
    return out.getvalue()


def stored(uow: InMemoryUnitOfWork, kind: RecordKind) -> list[Any]:
    with uow:
        if kind is RecordKind.ORDERS:
            found: list[Any] = list(uow.orders.iter_all())
        else:
            found = list(uow.stores.list())
    return sorted(found, key=KEYS[kind])


def imported(path: Path, kind: RecordKind, **options: Any) -> list[Any]:
    uow = InMemoryUnitOfWork()
    summary = import_file(
        uow, path, kind, check_references=False, **options
    )  # reading, not references
    assert summary.rejected == 0
    return stored(uow, kind)


@settings(max_examples=examples(2))
@given(TABLES, st.data())
def test_a_table_in_any_dialect_imports_as_the_plain_csv(
    table: tuple[RecordKind, list[Store | Order]], data: st.DataObject
) -> None:
    kind, records = table
    columns = data.draw(st.permutations(kind.columns), label="column order")
    rows = [to_cells(r) for r in records]
    as_xlsx = data.draw(st.booleans(), label="xlsx")
    delimiter = data.draw(st.sampled_from([",", ";", "\t", "|"]), label="delimiter")
    decimal = data.draw(st.sampled_from([".", ","]), label="decimal")
    encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]), label="encoding")
    given_options = data.draw(st.booleans(), label="dialect given")
    if kind is RecordKind.ORDERS and decimal == ",":
        for row in rows:
            grouped = data.draw(st.booleans(), label="thousands grouped")
            row["total"] = brazilian(row["total"], grouped)
    with tempfile.TemporaryDirectory() as folder:
        plain = Path(folder) / "plain.csv"
        plain.write_text(write_csv([to_cells(r) for r in records], columns, ","), "utf-8")
        expected = imported(plain, kind)
        options: dict[str, Any] = {}
        if as_xlsx:
            path = Path(folder) / "table.xlsx"
            book = openpyxl.Workbook()
            sheet = book.active
            assert sheet is not None
            sheet.append(columns)
            for record, row in zip(records, rows, strict=True):
                cells: list[Any] = [row[c] for c in columns]
                if isinstance(record, Order) and data.draw(st.booleans(), label="number"):
                    cells[columns.index("total")] = float(record.total)  # a number cell
                sheet.append(cells)
            book.save(path)
            if decimal == ",":
                options["decimal"] = ","
        else:
            path = Path(folder) / "table.csv"
            path.write_bytes(write_csv(rows, columns, delimiter).encode(encoding))
            detected_decimal = "," if delimiter == ";" else "."
            if given_options:
                options = {"delimiter": delimiter, "decimal": decimal, "encoding": encoding}
            elif decimal != detected_decimal:
                options["decimal"] = decimal
        got = imported(path, kind, **options)
    assert expected == sorted(records, key=KEYS[kind])
    assert got == expected


def only_otocore_errors(path: Path, kind: RecordKind, **options: Any) -> None:
    """Import ``path`` both ways; anything but an otocore error escapes and fails the test."""
    for skip_invalid in (False, True):
        with contextlib.suppress(OtocoreError):
            import_file(InMemoryUnitOfWork(), path, kind, skip_invalid=skip_invalid, **options)


DIALECT_OPTIONS = st.fixed_dictionaries(
    {},
    optional={
        "delimiter": st.sampled_from([",", ";", "\t", "|"]),
        "decimal": st.sampled_from([".", ","]),
        "encoding": st.sampled_from(["utf-8", "cp1252", "latin-1"]),
    },
)


@settings(max_examples=examples(2))
@given(
    st.sampled_from(list(RecordKind)),
    st.sampled_from([FileFormat.CSV, FileFormat.JSONL, FileFormat.XLSX]),
    st.binary(max_size=300) | st.binary(max_size=300).map(lambda b: b"PK\x03\x04" + b),
    DIALECT_OPTIONS,
)
def test_junk_bytes_in_any_format_and_dialect_only_raise_otocore_errors(
    kind: RecordKind, fmt: FileFormat, junk: bytes, options: dict[str, Any]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "junk"
        path.write_bytes(junk)
        only_otocore_errors(path, kind, format=fmt, **options)


SHEET_VALUES = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(9999, 12, 31))
    | st.dates(min_value=date(1900, 3, 1)).map(lambda d: datetime(d.year, d.month, d.day))
    | st.text(
        st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from(",;.\t"), max_size=12
    )
    | st.sampled_from(["1.234,56", "199,90", "199.90", "2026-05-10T15:30:00-03:00", "=1+1"])
)


@settings(max_examples=examples(2))
@given(st.sampled_from(list(RecordKind)), st.data(), DIALECT_OPTIONS)
def test_junk_cells_in_a_workbook_only_raise_otocore_errors(
    kind: RecordKind, data: st.DataObject, options: dict[str, Any]
) -> None:
    columns = data.draw(st.lists(st.sampled_from(kind.columns), unique=True, min_size=1))
    rows = data.draw(st.lists(st.lists(SHEET_VALUES, max_size=len(columns) + 2), max_size=4))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "junk.xlsx"
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(columns)
        for row in rows:
            sheet.append(row)
        book.save(path)
        only_otocore_errors(path, kind, **options)
