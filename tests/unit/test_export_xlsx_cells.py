"""The .xlsx writer's sheet is the one XlsxWriter's public ``write_string`` writes.

otocore's writer calls ``Worksheet._write_string`` (the body of ``write_string`` without its
"A1" cell-name decorator, one call less per cell). This test writes the same customers
through the public method, cell by cell, and compares the worksheet XML byte for byte.
"""

from __future__ import annotations

import tempfile
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st

from otocore.customers import Customer
from otocore.exporting import write_customers
from otocore.exports import COLUMNS, ExportFormat, customer_cells
from otocore.testing import customers

SHEET = "xl/worksheets/sheet1.xml"


def _public(path: Path, people: list[Customer]) -> None:
    book = xlsxwriter.Workbook(
        str(path),
        {
            "constant_memory": True,
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    sheet = book.add_worksheet("clientes")
    sheet.freeze_panes(1, 0)
    for column, name in enumerate(COLUMNS):
        sheet.write_string(0, column, name)
    for row, person in enumerate(people, start=1):
        for column, cell in enumerate(customer_cells(person)):
            if cell:
                sheet.write_string(row, column, cell)
    book.close()


@settings(max_examples=20, deadline=None)
@given(st.lists(customers(), max_size=5, unique_by=lambda c: c.customer_id))
def test_the_sheet_is_what_the_public_api_writes(people: list[Customer]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        ours, theirs = Path(folder) / "ours.xlsx", Path(folder) / "theirs.xlsx"
        assert write_customers(ours, people, file_format=ExportFormat.XLSX) == len(people)
        _public(theirs, people)
        with zipfile.ZipFile(ours) as a, zipfile.ZipFile(theirs) as b:
            assert a.read(SHEET) == b.read(SHEET)


def test_a_control_character_becomes_the_replacement_character() -> None:
    # a record rebuilt from a store without the validators may hold one (the writer's rule)
    import attrs

    ana = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    odd = attrs.evolve(ana)
    object.__setattr__(odd, "name", "Ana\x01Souza")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.xlsx"
        write_customers(path, [odd, ana], file_format=ExportFormat.XLSX)
        with zipfile.ZipFile(path) as z:
            sheet = z.read(SHEET).decode("utf-8")
    assert "Ana\ufffdSouza" in sheet
    assert "\x01" not in sheet
