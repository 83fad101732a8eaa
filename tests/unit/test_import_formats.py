"""How ``otocore import`` reads files: kinds and formats, CSV dialects, .xlsx, file-level errors.

Issue 12, "A brand's own data in": the exports a Brazilian back office really
produces (``pedidos.csv``, ``;``-separated with decimal commas, Windows-1252,
``.xlsx``) are read, and a file that cannot be read fails in one clear line.
"""

from __future__ import annotations

import re
import zipfile
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from _support.cli import run
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.errors import ValidationError
from otocore.importing import (
    FileFormat,
    FileRejected,
    ImportRejected,
    RecordKind,
    format_summary,
    import_directory,
    import_file,
)
from otocore.orders import Order
from otocore.sellers import Store

ORDERS = "order_id,customer_id,store_id,placed_at,total\n"
PLACED = "2026-05-10T15:30:00-03:00"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def orders_of(uow: InMemoryUnitOfWork) -> dict[str, Order]:
    with uow:
        return {o.order_id: o for o in uow.orders.iter_all()}


def stores_of(uow: InMemoryUnitOfWork) -> dict[str, Store]:
    with uow:
        return {s.store_id: s for s in uow.stores.list()}


def totals(uow: InMemoryUnitOfWork) -> dict[str, Decimal]:
    return {key: order.total for key, order in orders_of(uow).items()}


def workbook(path: Path, rows: list[list[Any]], *, title: str = "Planilha1") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def replace_in_sheet(path: Path, old: str, new: str) -> None:
    """Rewrite a stored cell value in the sheet's XML, as another spreadsheet program wrote it."""
    with zipfile.ZipFile(path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    assert old.encode() in members[sheet]
    members[sheet] = members[sheet].replace(old.encode(), new.encode())
    with zipfile.ZipFile(path, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)


# kinds and formats --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("pedidos.csv", RecordKind.ORDERS),
        ("Pedidos 2026-05.csv", RecordKind.ORDERS),
        ("lojas.csv", RecordKind.STORES),
        ("vendedores_loja1.csv", RecordKind.SELLERS),
        ("clientes-maio.csv", RecordKind.CUSTOMERS),
    ],
)
def test_portuguese_file_names_tell_the_kind(tmp_path: Path, name: str, kind: RecordKind) -> None:
    # before issue 12: "kind cannot be told from the file name"
    header = ",".join(kind.required_columns) + "\n"
    summary = import_file(InMemoryUnitOfWork(), write(tmp_path / name, header))
    assert summary.kind is kind


def test_record_kind_from_name_takes_english_or_portuguese() -> None:
    assert RecordKind.from_name(" Clientes ") is RecordKind.CUSTOMERS
    assert RecordKind.from_name("orders") is RecordKind.ORDERS
    with pytest.raises(ValidationError, match="must be one of stores, sellers") as caught:
        RecordKind.from_name("vendas")
    assert caught.value.field == "kind"


def test_a_name_that_tells_nothing_says_exactly_what_to_pass(tmp_path: Path) -> None:
    path = write(tmp_path / "export_vendas.csv", ORDERS + f"P1,C1,L01,{PLACED},10.00\n")
    with pytest.raises(ValidationError) as caught:
        import_file(InMemoryUnitOfWork(), path, check_references=False)
    message = str(caught.value)
    assert message.startswith("export_vendas.csv: kind cannot be told from the file name; ")
    assert "pass --kind stores|sellers|customers|orders" in message
    assert "kind=RecordKind.ORDERS" in message
    assert "pedidos.csv" in message
    assert (
        import_file(InMemoryUnitOfWork(), path, RecordKind.ORDERS, check_references=False).imported
        == 1
    )


def test_format_is_told_by_xlsx_and_tsv_suffixes_or_given() -> None:
    assert FileFormat.from_path(Path("pedidos.xlsx")) is FileFormat.XLSX
    assert FileFormat.from_path(Path("orders.tsv.gz")) is FileFormat.CSV
    with pytest.raises(ValidationError, match=r"^vendas\.txt: format cannot be told .* --format"):
        FileFormat.from_path(Path("vendas.txt"))
    with pytest.raises(ValidationError, match=r"^orders\.xls is an Excel 97-2003 workbook"):
        FileFormat.from_path(Path("orders.xls"))


def test_cli_kind_and_format_for_names_that_tell_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # before issue 12 the command had no --kind nor --format (a usage error)
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "db", "upgrade", db)[0] == 0
    path = write(tmp_path / "export_vendas.txt", ORDERS + f"P1,C1,L01,{PLACED},10.00\n")
    code, out, err = run(capsys, "import", "--no-check-references", str(path), "--db", db)
    assert code == 1
    assert err.count("\n") == 1
    assert "pass --kind stores|sellers|customers|orders|consent|blocks|contacts" in err
    code, out, err = run(
        capsys, "import", "--no-check-references", str(path), "--kind", "pedidos", "--db", db
    )
    assert (code, err.count("\n")) == (1, 1)
    assert "export_vendas.txt: format cannot be told from the file name; pass --format" in err
    code, out, err = run(
        capsys,
        "import",
        "--no-check-references",
        str(path),
        "--kind",
        "pedidos",
        "--format",
        "csv",
        "--db",
        db,
    )
    assert (code, err) == (0, "")
    assert "export_vendas.txt: 1 row read, 1 imported, 0 rejected" in out


def test_cli_refuses_unknown_kind_and_format_and_kind_for_a_directory(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "brand.sqlite")
    path = write(tmp_path / "x.csv", ORDERS)
    assert run(capsys, "import", str(path), "--kind", "vendas", "--db", db)[0] == 2
    assert run(capsys, "import", str(path), "--format", "xls", "--db", db)[0] == 2
    assert run(capsys, "import", str(tmp_path), "--kind", "orders", "--db", db)[0] == 2
    assert run(capsys, "import", str(path), "--delimiter", ":", "--db", db)[0] == 2
    assert run(capsys, "import", str(path), "--decimal", "x", "--db", db)[0] == 2
    code, _, err = run(capsys, "import", str(path), "--encoding", "utf-16", "--db", db)
    assert code == 2
    assert "--encoding must be a text encoding that keeps ASCII as ASCII" in err


def test_a_directory_of_portuguese_names_imports_in_kind_order(tmp_path: Path) -> None:
    write(tmp_path / "pedidos.csv", ORDERS + f"P1,C1,L01,{PLACED},10.00\n")
    write(tmp_path / "lojas.csv", "store_id,name\nL01,Centro\n")
    write(
        tmp_path / "clientes.csv", "customer_id,name,registered_at\nC1,Ana,2026-01-01T00:00:00Z\n"
    )
    workbook(tmp_path / "vendedores.xlsx", [["code", "name", "store_id"], ["V01", "Ana", "L01"]])
    summaries = import_directory(InMemoryUnitOfWork(), tmp_path)
    assert [s.file.name for s in summaries] == [
        "lojas.csv",
        "vendedores.xlsx",
        "clientes.csv",
        "pedidos.csv",
    ]


# CSV dialects -------------------------------------------------------------------------


def test_a_semicolon_file_with_decimal_commas_is_read(tmp_path: Path) -> None:
    # before issue 12: refused on its header ("semicolon- or tab-separated")
    text = (
        "order_id;customer_id;store_id;placed_at;total\r\n"
        f"P1;C1;L01;{PLACED};1.234,56\r\n"
        f"P2;C1;L01;{PLACED};199,90\r\n"
        f"P3;C1;L01;{PLACED};150\r\n"
        f"P4;C1;L01;{PLACED};1.000.000,5\r\n"
    )
    uow = InMemoryUnitOfWork()
    summary = import_file(uow, write(tmp_path / "pedidos.csv", text), check_references=False)
    assert (summary.rows_read, summary.imported) == (4, 4)
    assert totals(uow) == {
        "P1": Decimal("1234.56"),
        "P2": Decimal("199.90"),
        "P3": Decimal("150"),
        "P4": Decimal("1000000.5"),
    }


def test_a_tab_separated_file_is_read(tmp_path: Path) -> None:
    text = ORDERS.replace(",", "\t") + f"P1\tC1\tL01\t{PLACED}\t199.90\n"
    uow = InMemoryUnitOfWork()
    import_file(uow, write(tmp_path / "orders.tsv", text), check_references=False)
    assert totals(uow) == {"P1": Decimal("199.90")}


def test_delimiter_and_decimal_can_be_given(tmp_path: Path) -> None:
    # a comma-separated file whose totals are quoted decimal commas
    path = write(tmp_path / "orders.csv", ORDERS + f'P1,C1,L01,{PLACED},"1.234,56"\n')
    with pytest.raises(ImportRejected, match="pass --decimal ','"):
        import_file(InMemoryUnitOfWork(), path, check_references=False)
    uow = InMemoryUnitOfWork()
    import_file(uow, path, delimiter=",", decimal=",", check_references=False)
    assert totals(uow) == {"P1": Decimal("1234.56")}
    # a ';' file whose totals are written with '.'
    dotted = write(tmp_path / "o2.csv", ORDERS.replace(",", ";") + f"P2;C1;L01;{PLACED};199.90\n")
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), dotted, RecordKind.ORDERS, check_references=False)
    [fault] = caught.value.errors
    assert (fault.line, fault.field, fault.value) == (2, "total", "199.90")
    assert "',' as the decimal separator" in fault.rule
    assert "pass --decimal '.'" in fault.rule
    uow = InMemoryUnitOfWork()
    import_file(uow, dotted, RecordKind.ORDERS, decimal=".", check_references=False)
    assert totals(uow) == {"P2": Decimal("199.90")}


def test_bad_dialect_arguments_are_validation_errors(tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", ORDERS)
    with pytest.raises(ValidationError, match="delimiter must be one of") as caught:
        import_file(InMemoryUnitOfWork(), path, delimiter=":")
    assert caught.value.field == "delimiter"
    with pytest.raises(ValidationError, match=r"decimal must be '\.' or ','"):
        import_file(InMemoryUnitOfWork(), path, decimal="x")
    with pytest.raises(ValidationError, match="encoding must be a text encoding"):
        import_file(InMemoryUnitOfWork(), path, encoding="klingon")
    with pytest.raises(ValidationError, match="encoding must keep ASCII as ASCII"):
        import_file(InMemoryUnitOfWork(), path, encoding="utf-16")


def test_a_windows_1252_file_is_detected_and_read_right(tmp_path: Path) -> None:
    # before issue 12: "name is not valid UTF-8 text", the row refused
    text = "store_id;name;city\nL00;Loja Centro;\nL01;Loja São João;São Paulo\nL02;Nº 2 \u2013 Ação;Maceió\n"
    uow = InMemoryUnitOfWork()
    import_file(uow, write(tmp_path / "lojas.csv", text, "cp1252"))
    assert stores_of(uow)["L01"] == Store(
        store_id="L01", name="Loja São João", city="São Paulo", state=None
    )
    assert stores_of(uow)["L02"].name == "Nº 2 \u2013 Ação"


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "iso-8859-1", "windows-1252"])
def test_an_encoding_can_be_given(tmp_path: Path, encoding: str) -> None:
    path = write(tmp_path / "lojas.csv", "store_id,name\nL01,Loja São João\n", "latin-1")
    uow = InMemoryUnitOfWork()
    import_file(uow, path, encoding=encoding)
    assert stores_of(uow)["L01"].name == "Loja São João"


def test_a_utf8_file_with_a_bom_is_read_and_its_first_non_ascii_line_decides(
    tmp_path: Path,
) -> None:
    text = "store_id;name\nL01;Centro\nL02;Loja São João\n"
    uow = InMemoryUnitOfWork()
    import_file(uow, write(tmp_path / "lojas.csv", text, "utf-8-sig"))
    import_file(uow, write(tmp_path / "stores.csv", text, "utf-8"))
    assert stores_of(uow)["L02"].name == "Loja São João"


def test_a_bom_with_another_encoding_given_is_a_file_error(tmp_path: Path) -> None:
    path = write(tmp_path / "stores.csv", "store_id,name\nL01,Centro\n", "utf-8-sig")
    with pytest.raises(FileRejected, match=r"^stores\.csv starts with a UTF-8 byte-order mark"):
        import_file(InMemoryUnitOfWork(), path, encoding="cp1252")


def test_a_byte_undefined_in_windows_1252_is_a_row_error_naming_line_and_column(
    tmp_path: Path,
) -> None:
    data = "store_id,name\nL01,Loja São João\nL02,Loja \x81\nL03,Norte\n".encode("latin-1")
    path = tmp_path / "stores.csv"
    path.write_bytes(data)
    uow = InMemoryUnitOfWork()
    summary = import_file(uow, path, skip_invalid=True)
    assert (summary.imported, summary.rejected) == (2, 1)
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path)
    [fault] = caught.value.errors
    assert (fault.line, fault.field, fault.rule) == (3, "name", "is not valid Windows-1252 text")
    assert fault.value == "Loja \\x81"


def test_a_non_utf8_line_in_a_file_given_or_detected_as_utf8_is_a_row_error(
    tmp_path: Path,
) -> None:
    data = "store_id,name\nL01,Loja São João\n".encode() + b"L02,Loja S\xe3o\n"
    path = tmp_path / "stores.csv"
    path.write_bytes(data)
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path)
    [fault] = caught.value.errors
    assert (fault.line, fault.field) == (3, "name")
    assert fault.rule == "is not valid UTF-8 text (line 2 is UTF-8, so the file is read as UTF-8)"
    with pytest.raises(ImportRejected, match="line 3: name is not valid UTF-8 text, got"):
        import_file(InMemoryUnitOfWork(), path, encoding="utf-8")


def test_a_utf8_line_in_a_file_detected_as_windows_1252_is_a_row_error(tmp_path: Path) -> None:
    data = "store_id,name\nL01,Loja São João\n".encode("cp1252") + "L02,Loja Ação\n".encode()
    path = tmp_path / "stores.csv"
    path.write_bytes(data)
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path)
    [fault] = caught.value.errors
    assert (fault.line, fault.field) == (3, "name")
    assert fault.rule.startswith("is UTF-8 text, but line 2 is not, so the file is read as")
    # said to be Windows-1252, it is read as such
    uow = InMemoryUnitOfWork()
    import_file(uow, path, encoding="cp1252")
    assert stores_of(uow)["L02"].name == "Loja AÃ§Ã£o"


# .xlsx --------------------------------------------------------------------------------


def test_an_xlsx_workbook_is_read_from_its_first_sheet(tmp_path: Path) -> None:
    # before issue 12: "format cannot be told from the file name"
    path = workbook(
        tmp_path / "pedidos.xlsx",
        [
            ["order_id", "customer_id", "store_id", "placed_at", "total", "seller_code"],
            ["P1", "C1", "L01", PLACED, 199.9, "V01"],
            ["P2", 1234, "L01", PLACED, 150, None],
            [],
            ["P3", "C1", "L01", PLACED, "89.90", 7],
        ],
    )
    book = openpyxl.load_workbook(path)
    book.create_sheet("ignored").append(["anything"])
    book.save(path)
    uow = InMemoryUnitOfWork()
    summary = import_file(uow, path, check_references=False)
    assert (summary.format, summary.rows_read, summary.imported) == (FileFormat.XLSX, 3, 3)
    stored = orders_of(uow)
    assert stored["P1"].total == Decimal("199.90")
    assert str(stored["P1"].total) == "199.9"  # the number the cell holds, not rounded
    assert (stored["P2"].customer_id, stored["P2"].total) == ("1234", Decimal("150"))
    assert (stored["P3"].total, stored["P3"].seller_code) == (Decimal("89.90"), "7")


def test_an_xlsx_money_cell_is_never_rounded(tmp_path: Path) -> None:
    header = ["order_id", "customer_id", "store_id", "placed_at", "total"]
    path = workbook(
        tmp_path / "orders.xlsx",
        [header, ["P1", "C1", "L01", PLACED, 199.9], ["P2", "C1", "L01", PLACED, 12.5]],
    )
    # what Excel stores for =0.1+0.2, and for 199.90 typed in a cell
    replace_in_sheet(path, "<v>12.5</v>", "<v>0.30000000000000004</v>")
    replace_in_sheet(path, "<v>199.9</v>", "<v>199.90</v>")
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path, check_references=False)
    [fault] = caught.value.errors
    assert (fault.line, fault.field, fault.value) == (3, "total", "0.30000000000000004")
    assert "at most 2 decimal places" in fault.rule
    uow = InMemoryUnitOfWork()
    summary = import_file(uow, path, skip_invalid=True, check_references=False)
    assert (summary.imported, summary.rejected) == (1, 1)
    assert totals(uow) == {"P1": Decimal("199.90")}


def test_xlsx_dates_become_the_cells_a_csv_gives(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "clientes.xlsx",
        [
            ["customer_id", "name", "registered_at", "birth_date"],
            ["C1", "Ana", "2026-01-01T00:00:00-03:00", datetime(1990, 5, 10)],
            ["C2", "Bia", datetime(2026, 1, 1, 10, 30), None],
        ],
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path)
    [fault] = caught.value.errors  # a sheet's date-time has no UTC offset, as in a CSV file
    assert (fault.line, fault.field, fault.value) == (3, "registered_at", "2026-01-01T10:30:00")
    assert fault.rule.startswith("must have a UTC offset")
    uow = InMemoryUnitOfWork()
    import_file(uow, path, skip_invalid=True)
    with uow:
        customer = uow.customers.get("C1")
    assert customer.birth_date == datetime(1990, 5, 10).date()
    assert customer.registered_at == datetime(2026, 1, 1, 3, tzinfo=UTC)


def test_xlsx_text_money_cells_take_the_decimal_option(tmp_path: Path) -> None:
    header = ["order_id", "customer_id", "store_id", "placed_at", "total"]
    path = workbook(
        tmp_path / "orders.xlsx",
        [header, ["P1", "C1", "L01", PLACED, "1.234,56"], ["P2", "C1", "L01", PLACED, 10.5]],
    )
    with pytest.raises(ImportRejected, match="pass --decimal ','"):
        import_file(InMemoryUnitOfWork(), path, check_references=False)
    uow = InMemoryUnitOfWork()
    import_file(uow, path, decimal=",", check_references=False)
    assert totals(uow) == {"P1": Decimal("1234.56"), "P2": Decimal("10.5")}


def test_xlsx_header_only_rows_too_long_and_an_empty_sheet(tmp_path: Path) -> None:
    header = ["store_id", "name"]
    assert (
        import_file(InMemoryUnitOfWork(), workbook(tmp_path / "lojas.xlsx", [header])).rows_read
        == 0
    )
    long_row = workbook(tmp_path / "stores.xlsx", [header, ["L01", "Centro", None, "x"]])
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), long_row)
    assert caught.value.errors[0].rule == "has 4 cells but the header has 2 columns"
    with pytest.raises(FileRejected, match=r"^stores\.xlsx is empty: its first sheet \('Vendas'\)"):
        import_file(InMemoryUnitOfWork(), workbook(tmp_path / "stores.xlsx", [], title="Vendas"))


def test_a_file_that_is_not_an_xlsx_workbook_is_one_clear_error(tmp_path: Path) -> None:
    text = write(tmp_path / "orders.xlsx", ORDERS)
    with pytest.raises(FileRejected, match=r"^orders\.xlsx is not an \.xlsx file: .*--format csv"):
        import_file(InMemoryUnitOfWork(), text)
    broken = tmp_path / "stores.xlsx"
    broken.write_bytes(b"PK\x03\x04" + bytes(200))
    with pytest.raises(FileRejected, match=r"^stores\.xlsx is not an \.xlsx file: openpyxl"):
        import_file(InMemoryUnitOfWork(), broken)
    old = tmp_path / "lojas.xlsx"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    with pytest.raises(FileRejected, match=r"Excel 97-2003 \(\.xls\)"):
        import_file(InMemoryUnitOfWork(), old)
    empty = write(tmp_path / "pedidos.xlsx", "")
    with pytest.raises(FileRejected, match=r"^pedidos\.xlsx is empty"):
        import_file(InMemoryUnitOfWork(), empty)


# file-level errors ----------------------------------------------------------------------


def test_a_missing_column_names_it_and_the_header_never_none(tmp_path: Path) -> None:
    # before issue 12: "total is a required column ... got None", in a two-line message
    path = write(tmp_path / "orders.csv", "order_id,customer_id,store_id,placed_at\n")
    with pytest.raises(FileRejected) as caught:
        import_file(InMemoryUnitOfWork(), path)
    assert str(caught.value) == (
        "orders.csv: missing column 'total' (the header has: order_id, customer_id, store_id,"
        " placed_at)"
    )
    assert "None" not in str(caught.value.errors[0])
    assert (caught.value.bad_rows, caught.value.file) == (0, "orders.csv")


def test_unknown_and_missing_columns_in_one_line(tmp_path: Path) -> None:
    path = write(tmp_path / "stores.csv", "codigo,nome\n")
    with pytest.raises(FileRejected) as caught:
        import_file(InMemoryUnitOfWork(), path)
    assert str(caught.value) == (
        "stores.csv: missing columns 'store_id', 'name' (the header has: codigo, nome);"
        " unknown columns 'codigo', 'nome' (the columns of stores are: store_id, name, city,"
        " state)"
    )


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", r"^orders\.csv is empty: a CSV file starts with a header line naming its columns"),
        (b"\n\n", r"^orders\.csv is empty"),
        (
            b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
            r"^orders\.csv is not a CSV file: it holds binary",
        ),
        (b"PK\x03\x04\x14\x00\x06\x00", r"^orders\.csv is not a CSV file: it is a zip archive"),
        (b"\xff\xfeo\x00r\x00", r"^orders\.csv is not a CSV file: it is UTF-16 text"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00", r"Excel 97-2003 \(\.xls\)"),
    ],
)
def test_file_level_errors_are_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "orders.csv"
    path.write_bytes(content)
    with pytest.raises(FileRejected, match=message) as caught:
        import_file(InMemoryUnitOfWork(), path, skip_invalid=True)
    assert "\n" not in str(caught.value)


def test_random_bytes_are_not_a_csv_file(tmp_path: Path) -> None:
    import random

    path = tmp_path / "x.csv"
    path.write_bytes(random.Random(12).randbytes(5000))
    with pytest.raises(FileRejected, match=r"^x\.csv is not a CSV file: it holds binary data"):
        import_file(InMemoryUnitOfWork(), path, RecordKind.ORDERS)


def test_a_binary_jsonl_file_is_not_a_json_lines_file(tmp_path: Path) -> None:
    path = tmp_path / "orders.jsonl"
    path.write_bytes(b"\x00\x01\x02{}\n")
    with pytest.raises(FileRejected, match=r"^orders\.jsonl is not a JSON Lines file"):
        import_file(InMemoryUnitOfWork(), path)


def test_a_wrong_separator_gives_the_hint_first(tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", ORDERS.replace(",", ";") + f"P1;C1;L01;{PLACED};10\n")
    with pytest.raises(FileRejected) as caught:
        import_file(InMemoryUnitOfWork(), path, delimiter=",")
    assert str(caught.value).startswith("orders.csv looks ';'-separated: pass --delimiter ';'")
    tabbed = write(tmp_path / "o.csv", ORDERS.replace(",", "\t"))
    with pytest.raises(FileRejected, match=r"^o\.csv looks tab-separated: pass --delimiter tab"):
        import_file(InMemoryUnitOfWork(), tabbed, RecordKind.ORDERS, delimiter=";")


def test_a_header_only_file_is_zero_rows_read(tmp_path: Path) -> None:
    summary = import_file(InMemoryUnitOfWork(), write(tmp_path / "orders.csv", ORDERS))
    assert (summary.rows_read, summary.imported, summary.rejected) == (0, 0, 0)
    assert format_summary(summary).startswith("orders.csv: 0 rows read, 0 imported, 0 rejected")


@pytest.mark.parametrize(
    ("content", "start"),
    [
        ("", "error: orders.csv is empty: a CSV file starts with a header line"),
        ("order_id,customer_id,store_id,placed_at\n", "error: orders.csv: missing column 'total'"),
        (
            "order_id;customer_id;store_id;placed_at;total\n",
            "error: orders.csv looks ';'-separated: pass --delimiter ';'",
        ),
        ("\x00\x01binary", "error: orders.csv is not a CSV file: it holds binary data"),
    ],
)
def test_cli_file_errors_are_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, start: str
) -> None:
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "db", "upgrade", db)[0] == 0
    path = write(tmp_path / "orders.csv", content)
    code, out, err = run(capsys, "import", str(path), "--delimiter", ",", "--db", db)
    assert (code, out) == (1, "")
    assert err.startswith(start)
    assert err.count("\n") == 1


# the summary and --skip-invalid ---------------------------------------------------------


def test_cli_skip_invalid_exits_1_when_every_row_was_rejected(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # before issue 12: exit 0 although nothing of the file was imported
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "db", "upgrade", db)[0] == 0
    bad = write(tmp_path / "orders.csv", ORDERS + "P1,C1,L01,yesterday,10\nP2,C1,L01,x,1\n")
    code, out, err = run(
        capsys, "import", "--no-check-references", str(bad), "--skip-invalid", "--db", db
    )
    assert code == 1
    assert "orders.csv: 2 rows read, 0 imported, 2 rejected" in out
    assert re.fullmatch(
        r"error: orders\.csv: every row was rejected, nothing imported \(report: .*\)\n", err
    )
    some = write(tmp_path / "pedidos.csv", ORDERS + f"P1,C1,L01,{PLACED},10\nP2,C1,L01,x,1\n")
    code, out, err = run(
        capsys, "import", "--no-check-references", str(some), "--skip-invalid", "--db", db
    )
    assert (code, err) == (0, "")
    assert "pedidos.csv: 2 rows read, 1 imported, 1 rejected" in out
    empty = write(tmp_path / "stores.csv", "store_id,name\n")
    assert (
        run(capsys, "import", "--no-check-references", str(empty), "--skip-invalid", "--db", db)[0]
        == 0
    )


def test_cli_reads_a_brazilian_export_end_to_end(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "db", "upgrade", db)[0] == 0
    write(tmp_path / "lojas.csv", "store_id;name;city\r\nL01;Loja São João;São Paulo\r\n", "cp1252")
    pedidos = (
        "order_id;customer_id;store_id;placed_at;total\r\n" + f"P1;C1;L01;{PLACED};1.234,56\r\n"
    )
    write(tmp_path / "pedidos.csv", pedidos, "cp1252")
    code, out, err = run(capsys, "import", str(tmp_path), "--db", db)
    assert (code, err) == (0, "")
    assert "lojas.csv: 1 row read, 1 imported" in out
    assert "pedidos.csv: 1 row read, 1 imported" in out
