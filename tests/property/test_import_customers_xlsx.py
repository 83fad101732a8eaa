"""Customers from an .xlsx workbook: the same columns, validation and row errors as the CSV import.

Any table of customers, some rows spoiled (a bad CPF, e-mail, mobile, date, sex, a
missing required cell), written once as CSV and once as an ``.xlsx`` workbook, gives the
same report through ``import_file``: the same bad lines, columns, values and rules, and
nothing imported (all or nothing) when a row is bad; the same customers otherwise; and
with ``skip_invalid`` the same customers imported and the same rows reported. Adding
each row by hand (``customer_from_cells``) names the same faults as the import does.
"""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from _support.strategies import examples
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.errors import ValidationError
from otocore.importing import (
    CUSTOMER_COLUMNS,
    ImportRejected,
    RecordKind,
    customer_from_cells,
    import_file,
    to_cells,
)
from otocore.testing import customers

# spoiled cells: column -> bad values a back office's spreadsheet holds
BAD = {
    "cpf": ["529.982.247-26", "111.111.111-11", "5.29982E+10", "123"],
    "email": ["ana@", "ana souza@example.com"],
    "mobile": ["(11) 3456-7890", "12345"],
    "birth_date": ["10/05/1990", "2990-01-01"],
    "registered_at": ["2026-05-10 15:00", "2026-05-10T15:00:00"],
    "sex": ["x"],
    "name": [None, "   "],
    "customer_id": [None],
    "loyalty_category": ["Ouro"],  # without a loyalty_program
}


@st.composite
def rows(draw: st.DrawFn) -> list[dict[str, Any]]:
    people = draw(st.lists(customers(), min_size=1, max_size=6, unique_by=lambda c: c.customer_id))
    table = [to_cells(c) for c in people]
    for row in table:
        if draw(st.booleans()):
            column = draw(st.sampled_from(sorted(BAD)))
            if column == "loyalty_category":
                row["loyalty_program"] = None
            row[column] = draw(st.sampled_from(BAD[column]))
    return table


def write_csv(path: Path, table: list[dict[str, Any]]) -> None:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CUSTOMER_COLUMNS)
    for row in table:
        writer.writerow(["" if row.get(c) is None else row[c] for c in CUSTOMER_COLUMNS])
    path.write_text(out.getvalue(), encoding="utf-8")


def write_xlsx(path: Path, table: list[dict[str, Any]]) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(CUSTOMER_COLUMNS))
    for row in table:
        sheet.append([row.get(c) for c in CUSTOMER_COLUMNS])
    book.save(path)


def skipping(path: Path) -> tuple[Any, ...]:
    """Import with ``skip_invalid``: the counts, the stored customers, the report's rows but ``raw``."""
    uow = InMemoryUnitOfWork()
    report = path.with_name(path.name + ".report.csv")
    summary = import_file(uow, path, RecordKind.CUSTOMERS, skip_invalid=True, report_path=report)
    with report.open(encoding="utf-8", newline="") as f:
        rejected = [row[:4] for row in csv.reader(f)]
    with uow:
        return (summary.imported, summary.rejected, uow.customers.list(), rejected)


def outcome(path: Path) -> tuple[Any, ...]:
    uow = InMemoryUnitOfWork()
    try:
        summary = import_file(uow, path, RecordKind.CUSTOMERS)
    except ImportRejected as err:
        with uow:
            assert uow.customers.count() == 0  # all or nothing
        faults = [(e.line, e.field, e.value, e.rule) for e in err.errors]  # type: ignore[attr-defined]
        return ("rejected", err.bad_rows, faults)
    with uow:
        return ("imported", summary.imported, uow.customers.list())


@settings(max_examples=examples(1), deadline=None)
@given(rows())
def test_the_same_rows_give_the_same_report_in_csv_and_xlsx(table: list[dict[str, Any]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        as_csv, as_xlsx = Path(folder) / "clientes.csv", Path(folder) / "clientes.xlsx"
        write_csv(as_csv, table)
        write_xlsx(as_xlsx, table)
        from_csv, from_xlsx = outcome(as_csv), outcome(as_xlsx)
        # with skip_invalid: the same good rows imported, the same bad rows reported
        assert skipping(as_xlsx) == skipping(as_csv)
    assert from_xlsx == from_csv
    if from_csv[0] == "rejected":
        # ... and adding each bad row by hand names the same faults (the xlsx line n is row n-2)
        by_line: dict[int, set[tuple[str, str]]] = {}
        for line, field, _, rule in from_csv[2]:
            by_line.setdefault(line, set()).add((field, rule))
        for line, faults in by_line.items():
            cells = {k: v for k, v in table[line - 2].items() if v is not None}
            with pytest.raises(ValidationError) as info:
                customer_from_cells(cells)
            assert {(e.field, e.rule) for e in info.value.errors} == faults
    else:
        assert from_csv[1] == len(table)
