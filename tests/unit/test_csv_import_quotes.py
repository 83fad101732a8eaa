"""otocore's customers import takes the CSV export's formula quotes off, and nothing else.

The ``restore`` cases of ``tests/vectors/exports/03_csv_formulas.json`` in a CSV file
written by hand, column by column; the same cells in an .xlsx workbook and a JSON Lines
file (never stripped), in another kind's CSV (never stripped); a value at its maximum
length that the export quoted; the report of a rejected row; and the table of cases that
docs/exports.md and docs/import.md print.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import xlsxwriter

from otocore.adapters.memory import InMemoryDatabase
from otocore.customers import Customer, Email, Loyalty
from otocore.exporting import write_customers
from otocore.exports import FORMULA_TRIGGERS, NEUTRALISED_COLUMNS, ExportFormat, csv_cells
from otocore.importing import RecordKind, import_file

VECTOR = Path(__file__).parent.parent / "vectors" / "exports" / "03_csv_formulas.json"
RESTORE: list[dict[str, str]] = json.loads(VECTOR.read_text("utf-8"))["restore"]
# the cases a stored value can hold: the validators refuse a blank value and control characters
VALID = [
    case
    for case in RESTORE
    if case["expected"].strip() and not {"\t", "\r"} & set(case["expected"])
]
AT = "2026-01-01T00:00:00+00:00"


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _imported(path: Path, kind: RecordKind = RecordKind.CUSTOMERS) -> InMemoryDatabase:
    database = InMemoryDatabase()
    import_file(database.unit_of_work(), path, kind)
    return database


def _names(database: InMemoryDatabase) -> dict[str, str]:
    with database.unit_of_work() as uow:
        return {c.customer_id: c.name for c in uow.customers.list()}


def test_every_restore_case_of_the_vector_is_read_as_its_value_in_a_csv_name(
    tmp_path: Path,
) -> None:
    rows = [[f"C{i:02d}", case["cell"], AT] for i, case in enumerate(VALID)]
    path = _write_csv(tmp_path / "clientes.csv", ["customer_id", "name", "registered_at"], rows)
    names = _names(_imported(path))
    assert names == {f"C{i:02d}": case["expected"] for i, case in enumerate(VALID)}
    assert names["C00"] == "=1+1"  # the export's quote off; "'Zé" stays "'Zé"
    assert "'Zé" in names.values()


@pytest.mark.parametrize("column", NEUTRALISED_COLUMNS)
def test_each_neutralised_column_loses_the_exports_quote_only(tmp_path: Path, column: str) -> None:
    cells = {
        "customer_id": "C1",
        "name": "Ana",
        "email": "ana@example.com",
        "home_store_id": "L01",
        "loyalty_program": "Clube",
        "loyalty_category": "Ouro",
        "registered_at": AT,
    }
    header = list(cells)
    quoted, kept = dict(cells), dict(cells)
    quoted[column] = "'=x" if column != "email" else "'=x@example.com"
    kept[column] = "'x" if column != "email" else "'x@example.com"
    if column == "customer_id":
        kept["customer_id"] = "'C2"  # two customers
    else:
        kept["customer_id"] = "C2"
    path = _write_csv(
        tmp_path / "clientes.csv", header, [list(quoted.values()), list(kept.values())]
    )
    database = _imported(path)
    with database.unit_of_work() as uow:
        first, second = (
            uow.customers.get(quoted[column][1:] if column == "customer_id" else "C1"),
            uow.customers.get(kept["customer_id"]),
        )
    assert _cell(first, column) == quoted[column][1:]
    assert _cell(second, column) == kept[column]
    for other in NEUTRALISED_COLUMNS:  # the row's other cells are read as they are
        if other not in {column, "customer_id"}:
            assert _cell(first, other) == cells[other]


def _cell(customer: Customer, column: str) -> str | None:
    loyalty = customer.loyalty
    if column == "email":
        return None if customer.email is None else customer.email.address
    if column.startswith("loyalty_"):
        return None if loyalty is None else getattr(loyalty, column.removeprefix("loyalty_"))
    value: str | None = getattr(customer, column)
    return value


def test_an_xlsx_workbook_is_never_stripped(tmp_path: Path) -> None:
    path = tmp_path / "clientes.xlsx"
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    sheet = book.add_worksheet()
    for row, cells in enumerate(
        [["customer_id", "name", "registered_at"]]
        + [[f"C{i:02d}", case["cell"], AT] for i, case in enumerate(VALID)]
    ):
        for column, cell in enumerate(cells):
            sheet.write_string(row, column, cell)  # text cells, "=1+1" too
    book.close()
    assert _names(_imported(path)) == {f"C{i:02d}": case["cell"] for i, case in enumerate(VALID)}


def test_a_json_lines_file_is_never_stripped(tmp_path: Path) -> None:
    path = tmp_path / "clientes.jsonl"
    lines = [
        json.dumps({"customer_id": f"C{i:02d}", "name": case["cell"], "registered_at": AT})
        for i, case in enumerate(VALID)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert _names(_imported(path)) == {f"C{i:02d}": case["cell"] for i, case in enumerate(VALID)}


def test_another_kinds_csv_is_never_stripped(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "lojas.csv", ["store_id", "name"], [["'=L1", "'=Loja"]])
    database = _imported(path, RecordKind.STORES)
    with database.unit_of_work() as uow:
        (store,) = uow.stores.list()
    assert (store.store_id, store.name) == ("'=L1", "'=Loja")


def test_a_quoted_value_at_its_maximum_length_imports_back(tmp_path: Path) -> None:
    # the export's quote makes the cell one character longer than the value may be
    longest = Customer(
        customer_id="-" + "9" * 99,
        name="=" + "a" * 199,
        registered_at=datetime(2026, 1, 1, tzinfo=UTC),
        email=Email.parse("'x@example.com"),
        home_store_id="'" * 100,
        loyalty=Loyalty(program="@" * 100, category="+" + "b" * 99),
    )
    cells = csv_cells(longest)
    assert len(cells[0]) == 101
    assert len(cells[1]) == 201
    path = tmp_path / "clientes.csv"
    write_customers(path, [longest], file_format=ExportFormat.CSV)
    database = _imported(path)
    with database.unit_of_work() as uow:
        assert uow.customers.list() == [longest]


def test_a_rejected_rows_report_keeps_the_files_line(tmp_path: Path) -> None:
    too_long = "'=" + "a" * 200  # 200 characters once the quote is off: one too many
    path = _write_csv(
        tmp_path / "clientes.csv",
        ["customer_id", "name", "registered_at"],
        [["C1", too_long, AT], ["C2", "'=ok", AT]],
    )
    report = tmp_path / "report.csv"
    database = InMemoryDatabase()
    summary = import_file(
        database.unit_of_work(), path, RecordKind.CUSTOMERS, skip_invalid=True, report_path=report
    )
    assert (summary.imported, summary.rejected) == (1, 1)
    assert _names(database) == {"C2": "=ok"}
    with report.open(encoding="utf-8", newline="") as f:
        (row,) = list(csv.DictReader(f))
    assert row["field"] == "name"
    assert row["value"] == too_long[1:]  # the cell as validated
    assert row["raw"] == f"C1;{too_long};{AT}"  # the file's own text


# the docs' tables are the vector's --------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _doc_table(page: str) -> list[tuple[str, str]]:
    text = (DOCS / page).read_text(encoding="utf-8")
    start = text.index("| the cell in the file | read as | why |")
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        cell, value = (part.strip() for part in line.split(" | ")[:2])
        rows.append((_doc_cell(cell.removeprefix("| ")), _doc_cell(value)))
    return rows


def _doc_cell(text: str) -> str:
    if text == "(empty)":
        return ""
    assert text.startswith("`")
    assert text.endswith("`")
    return text[1:-1].replace("\\t", "\t").replace("\\r", "\r")


@pytest.mark.source_tree
@pytest.mark.parametrize("page", ["exports.md", "import.md"])
def test_the_docs_table_of_cases_is_the_vectors(page: str) -> None:
    assert _doc_table(page) == [(case["cell"], case["expected"]) for case in RESTORE]


@pytest.mark.source_tree
def test_the_exports_page_claims_the_round_trip_without_an_exception() -> None:
    text = (DOCS / "exports.md").read_text(encoding="utf-8")
    assert "so an exported file imports back unchanged" in text
    assert "One exception, in CSV files only" not in text


def test_the_triggers_are_all_in_the_vectors_restore_cases() -> None:
    firsts = {case["cell"][1:2] for case in RESTORE if case["cell"][:1] == "'"}
    assert firsts >= FORMULA_TRIGGERS
