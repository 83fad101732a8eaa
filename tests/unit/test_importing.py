"""Importação: stores, sellers, customers and orders from CSV / JSON Lines files.

Worked examples: the sample files of docs/samples, and one bad cell at a time.
The seed (vtex-televendas.txt) names the case: "importar pedidos de outras
plataformas".
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import sqlite3
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from _support.builders import SAMPLES
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.adapters.sql import open_database
from otocore.customers import Cpf, CpfPolicy, Email, Loyalty, MaritalStatus, Mobile, Sex
from otocore.errors import NotFound, OtocoreError, StorageError, StoreBusy, ValidationError
from otocore.importing import (
    MAX_LINE_BYTES,
    MAX_LISTED_ROWS,
    REPORT_COLUMNS,
    FileFormat,
    ImportFailed,
    ImportProgress,
    ImportRejected,
    ImportSummary,
    RecordKind,
    RowError,
    default_report_path,
    format_summary,
    import_directory,
    import_file,
    to_cells,
)
from otocore.orders import Channel, Order, OrderStatus
from otocore.sellers import Seller, SellerStatus, Store

ORDER_HEADER = "order_id,customer_id,store_id,placed_at,total,seller_code,status,channel\n"


def good_order(n: int, *, total: str = "10.00") -> str:
    return f"P{n},C1,L01,2026-05-10T15:30:00-03:00,{total},V01,completed,store\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def stored_orders(uow: InMemoryUnitOfWork) -> list[Order]:
    with uow:
        return list(uow.orders.iter_all())


def read_report(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# the sample files -----------------------------------------------------------------


def test_sample_directory_imports_cleanly_in_dependency_order() -> None:
    uow = InMemoryUnitOfWork()
    summaries = import_directory(uow, SAMPLES)
    assert [(s.file.name, s.rows_read, s.imported, s.rejected) for s in summaries] == [
        ("stores.csv", 3, 3, 0),
        ("sellers.csv", 4, 4, 0),
        ("customers.csv", 5, 5, 0),
        ("orders.csv", 6, 6, 0),
        ("orders.jsonl", 6, 6, 0),
    ]
    with uow:
        assert uow.stores.get("L02") == Store(
            store_id="L02", name="Shopping Recife, Piso 2", city="Recife", state="PE"
        )
        assert uow.stores.get("L03").city is None
        # an empty status cell takes the default
        assert uow.sellers.get("V02").status is SellerStatus.ACTIVE
        assert uow.sellers.get("V04").status is SellerStatus.INACTIVE
        assert uow.customers.count() == 5
        assert uow.orders.count() == 6


def test_sample_customer_goes_through_every_value_type() -> None:
    uow = InMemoryUnitOfWork()
    import_file(uow, SAMPLES / "customers.csv")
    with uow:
        maria = uow.customers.get("C001")
        bare = uow.customers.get("C003")
        luiza = uow.customers.get("C005")
    assert maria.cpf == Cpf("52998224725")
    assert maria.email == Email("maria.oliveira@example.com")  # lowercased by Email.parse
    assert maria.mobile == Mobile("+5511987654321")
    assert maria.rg == "12.345.678-9"
    assert maria.birth_date == date(1985, 3, 14)
    assert maria.sex is Sex.FEMALE
    assert maria.marital_status is MaritalStatus.MARRIED
    assert maria.registered_at == datetime(2024, 1, 15, 13, 0, tzinfo=UTC)
    assert maria.loyalty == Loyalty(program="Clube Brisa", category="Ouro")
    assert bare.cpf is bare.email is bare.mobile is bare.loyalty is bare.sex is None
    assert luiza.loyalty == Loyalty(program="Clube Brisa", category="Prata")


def test_sample_orders_csv_and_jsonl_hold_the_same_orders() -> None:
    from_csv, from_jsonl = InMemoryUnitOfWork(), InMemoryUnitOfWork()
    import_file(from_csv, SAMPLES / "orders.csv", check_references=False)
    import_file(from_jsonl, SAMPLES / "orders.jsonl", check_references=False)
    orders = stored_orders(from_csv)
    assert orders == stored_orders(from_jsonl)
    by_id = {o.order_id: o for o in orders}
    # empty status and channel cells (CSV) and absent keys (JSONL) take the defaults
    assert by_id["P0002"].status is OrderStatus.COMPLETED
    assert by_id["P0002"].channel is Channel.STORE
    # a JSON number total is read exactly, never through a float
    assert by_id["P0002"].total == Decimal("89.90")
    assert str(by_id["P0002"].total) == "89.90"
    assert by_id["P0004"].seller_code is None
    assert by_id["P0004"].channel is Channel.ONLINE
    assert by_id["P0005"].status is OrderStatus.CANCELLED
    assert by_id["P0001"].placed_at == datetime(2026, 5, 10, 18, 30, tzinfo=UTC)


def test_reimporting_the_samples_changes_nothing() -> None:
    uow = InMemoryUnitOfWork()
    first = import_directory(uow, SAMPLES)
    with uow:
        before = (uow.stores.list(), uow.sellers.list(), uow.customers.list())
        orders_before = list(uow.orders.iter_all())
    second = import_directory(uow, SAMPLES)
    with uow:
        after = (uow.stores.list(), uow.sellers.list(), uow.customers.list())
        orders_after = list(uow.orders.iter_all())
    assert [(s.rows_read, s.imported, s.rejected) for s in first] == [
        (s.rows_read, s.imported, s.rejected) for s in second
    ]
    assert before == after
    assert orders_before == orders_after


# one bad row: nothing imported, a clear error --------------------------------------------


def test_a_bad_row_in_the_middle_imports_nothing_and_names_file_line_field_value(
    tmp_path: Path,
) -> None:
    text = ORDER_HEADER + good_order(1) + good_order(2, total='"1.234,56"') + good_order(3)
    path = write(tmp_path / "orders.csv", text)
    uow = InMemoryUnitOfWork()
    with pytest.raises(ImportRejected) as caught:
        import_file(uow, path, check_references=False)
    err = caught.value
    assert isinstance(err, ValidationError)
    assert err.bad_rows == 1
    assert len(err.errors) == 1
    row = err.errors[0]
    assert (row.file, row.line, row.field, row.value) == ("orders.csv", 3, "total", "1.234,56")
    assert "decimal separator" in row.rule
    message = str(err)
    assert "orders.csv line 3: total" in message
    assert "'1.234,56'" in message
    assert "nothing imported" in message
    assert stored_orders(uow) == []


def test_every_fault_of_a_row_is_reported(tmp_path: Path) -> None:
    row = "P1,,L01,2026-05-10T15:30:00,-3,V01,done,web\n"
    path = write(tmp_path / "orders.csv", ORDER_HEADER + row)
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path)
    faults = {(e.field, e.value) for e in caught.value.errors}
    assert faults == {
        ("customer_id", ""),
        ("placed_at", "2026-05-10T15:30:00"),
        ("total", "-3"),
        ("status", "done"),
        ("channel", "web"),
    }
    rules = {e.field: e.rule for e in caught.value.errors}
    assert rules["customer_id"] == "is required"
    assert "UTC offset" in rules["placed_at"]
    assert rules["total"] == "must be >= 0 with at most 2 decimal places"
    assert rules["status"] == "must be one of 'completed', 'cancelled'"


def test_line_numbers_count_physical_lines_across_quoted_newlines(tmp_path: Path) -> None:
    text = (
        "store_id,name,city,state\n"
        'L01,"Loja\nCentro",São Paulo,SP\n'  # lines 2-3: a name with a newline is refused
        "\n"  # line 4: blank, not a row
        "L02,,Recife,PE\n"  # line 5
    )
    path = write(tmp_path / "stores.csv", text)
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path)
    assert [(e.line, e.field) for e in caught.value.errors] == [(2, "name"), (5, "name")]
    assert caught.value.errors[0].rule == "must not contain control characters"


def test_the_listing_is_capped_but_every_bad_row_is_counted(tmp_path: Path) -> None:
    rows = "".join(good_order(n, total="x") for n in range(MAX_LISTED_ROWS + 5))
    path = write(tmp_path / "orders.csv", ORDER_HEADER + rows)
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path)
    assert caught.value.bad_rows == MAX_LISTED_ROWS + 5
    assert len({e.line for e in caught.value.errors}) == MAX_LISTED_ROWS
    assert str(caught.value).endswith("... and 5 more bad rows")


def test_report_path_in_default_mode_lists_every_bad_row(tmp_path: Path) -> None:
    rows = "".join(good_order(n, total="x") for n in range(MAX_LISTED_ROWS + 5))
    path = write(tmp_path / "orders.csv", ORDER_HEADER + good_order(99) + rows)
    report = tmp_path / "out" / "bad.csv"
    uow = InMemoryUnitOfWork()
    with pytest.raises(ImportRejected, match=r"^25 bad rows in orders\.csv, nothing imported"):
        import_file(uow, path, report_path=report, check_references=False)
    assert len(read_report(report)) == MAX_LISTED_ROWS + 5
    assert stored_orders(uow) == []


# skip_invalid -----------------------------------------------------------------------


def test_skip_invalid_imports_the_good_rows_and_reports_the_bad_ones(tmp_path: Path) -> None:
    text = (
        ORDER_HEADER
        + good_order(1)
        + "P2,C1,L01,2026-05-10,10.00,V01,completed,store\n"
        + good_order(3)
        + "P4,C1,L01\n"
        + good_order(5, total="1e3")
    )
    path = write(tmp_path / "orders.csv", text)
    uow = InMemoryUnitOfWork()
    summary = import_file(uow, path, skip_invalid=True, check_references=False)
    assert (summary.rows_read, summary.imported, summary.rejected) == (5, 2, 3)
    assert summary.report_path == tmp_path / "orders.csv.rejected.csv"
    assert [o.order_id for o in stored_orders(uow)] == ["P1", "P3"]
    with summary.report_path.open(encoding="utf-8", newline="") as f:
        assert tuple(next(csv.reader(f))) == REPORT_COLUMNS
    report = read_report(summary.report_path)
    assert [(r["line"], r["field"], r["value"]) for r in report] == [
        ("3", "placed_at", "2026-05-10"),
        ("5", "(row)", "P4,C1,L01"),
        ("6", "total", "1e3"),
    ]
    assert report[0]["reason"].startswith("must have a UTC offset")
    assert report[1]["reason"] == "has 3 cells but the header has 8 columns"
    assert report[2]["raw"] == good_order(5, total="1e3").rstrip("\n")


def test_skip_invalid_writes_an_empty_report_when_every_row_is_good(tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", ORDER_HEADER + good_order(1))
    stale = default_report_path(path)
    write(stale, "line,field,value,reason,raw\n9,total,x,old,old\n")
    summary = import_file(InMemoryUnitOfWork(), path, skip_invalid=True, check_references=False)
    assert summary.rejected == 0
    assert read_report(stale) == []


def test_skip_invalid_still_refuses_a_bad_header(tmp_path: Path) -> None:
    path = write(tmp_path / "stores.csv", "store_id,nome\nL01,Centro\n")
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path, skip_invalid=True)
    fields = [(e.line, e.field) for e in caught.value.errors]
    assert fields == [(1, "nome"), (1, "name")]


def test_skip_invalid_reimport_is_idempotent(tmp_path: Path) -> None:
    text = ORDER_HEADER + good_order(1) + good_order(2, total="abc") + good_order(3)
    path = write(tmp_path / "orders.csv", text)
    uow = InMemoryUnitOfWork()
    first = import_file(uow, path, skip_invalid=True, check_references=False)
    orders = stored_orders(uow)
    second = import_file(uow, path, skip_invalid=True, check_references=False)
    assert (first.rows_read, first.imported, first.rejected) == (3, 2, 1)
    assert (second.rows_read, second.imported, second.rejected) == (3, 2, 1)
    assert stored_orders(uow) == orders


def test_a_later_file_updates_rows_by_id(tmp_path: Path) -> None:
    uow = InMemoryUnitOfWork()
    import_file(
        uow, write(tmp_path / "orders.csv", ORDER_HEADER + good_order(1)), check_references=False
    )
    import_file(
        uow,
        write(tmp_path / "orders-fix.csv", ORDER_HEADER + good_order(1, total="12.00")),
        check_references=False,
    )
    assert [o.total for o in stored_orders(uow)] == [Decimal("12.00")]


# headers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field", "rule_start"),
    [
        ("store_id,name,cidade\n", "cidade", "is not a column of stores"),
        ("store_id,city\n", "name", "is a required column of stores"),
        ("store_id,name,name\n", "name", "appears twice"),
        ("store_id,name,\n", "(header)", "column 3 has no name"),
        ("", "(header)", "is empty"),
    ],
)
def test_header_faults_name_the_column(
    tmp_path: Path, header: str, field: str, rule_start: str
) -> None:
    path = write(tmp_path / "stores.csv", header)
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path)
    err = caught.value.errors[0]
    assert (err.file, err.line, err.field) == ("stores.csv", 1, field)
    assert err.rule.startswith(rule_start)


def test_a_semicolon_separated_file_read_with_commas_gets_the_hint_first(tmp_path: Path) -> None:
    path = write(tmp_path / "stores.csv", "store_id;name\nL01;Centro\n")
    with pytest.raises(
        ImportRejected, match=r"^stores\.csv looks ';'-separated: pass --delimiter ';'"
    ):
        import_file(InMemoryUnitOfWork(), path, delimiter=",")
    assert import_file(InMemoryUnitOfWork(), path).imported == 1  # detected


def test_optional_columns_may_be_left_out_and_take_their_defaults(tmp_path: Path) -> None:
    text = "order_id,customer_id,store_id,placed_at,total\nP1,C1,L01,2026-05-10T12:00:00Z,5\n"
    uow = InMemoryUnitOfWork()
    import_file(uow, write(tmp_path / "orders.csv", text), check_references=False)
    [order] = stored_orders(uow)
    assert (order.seller_code, order.status, order.channel) == (
        None,
        OrderStatus.COMPLETED,
        Channel.STORE,
    )


def test_bom_and_crlf_line_endings_are_read(tmp_path: Path) -> None:
    path = tmp_path / "sellers.csv"
    path.write_bytes("\ufeffcode,name,store_id\r\nV01,Ana,L01\r\nV02,Bruno,L01\r\n".encode())
    uow = InMemoryUnitOfWork()
    assert import_file(uow, path).imported == 2
    with uow:
        assert uow.sellers.get("V01") == Seller(code="V01", name="Ana", store_id="L01")


# cell rules ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("total", "rule_part"),
    [
        ('"1.234,56"', "Brazilian '1.234,56' is not accepted"),
        ('"10,5"', "decimal separator"),
        ("R$ 10", "digits and '.'"),
        ("1e3", "digits and '.'"),
        ("NaN", "digits and '.'"),
        ("10.005", "at most 2 decimal places"),
    ],
)
def test_totals_are_plain_decimals_with_a_dot(tmp_path: Path, total: str, rule_part: str) -> None:
    path = write(tmp_path / "orders.csv", ORDER_HEADER + good_order(1, total=total))
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path)
    assert caught.value.field == "total"
    assert rule_part in caught.value.rule


def test_customer_cells_use_the_value_types_rules(tmp_path: Path) -> None:
    header = "customer_id,name,registered_at,cpf,email,mobile,birth_date,loyalty_category\n"
    row = "C1,Ana,2026-01-01T00:00:00Z,529.982.247-26,ana@,(11) 3456-7890,10/05/1990,Ouro\n"
    path = write(tmp_path / "customers.csv", header + row)
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path)
    rules = {e.field: (e.value, e.rule) for e in caught.value.errors}
    assert rules["cpf"] == ("529.982.247-26", "has wrong check digits")
    assert rules["email"][0] == "ana@"
    assert rules["email"][1].startswith("is not a valid e-mail address")
    assert rules["mobile"] == ("(11) 3456-7890", "must be a mobile number (this is a fixed line)")
    assert rules["birth_date"] == ("10/05/1990", "must be an ISO 8601 date such as '1990-05-10'")
    assert rules["loyalty_category"] == ("Ouro", "needs a loyalty_program in the same row")


def test_cpf_policy_decides_on_repeated_digit_cpfs(tmp_path: Path) -> None:
    header = "customer_id,name,registered_at,cpf\n"
    path = write(
        tmp_path / "customers.csv", header + "C1,Ana,2026-01-01T00:00:00Z,111.111.111-11\n"
    )
    with pytest.raises(ImportRejected, match="repeat one digit"):
        import_file(InMemoryUnitOfWork(), path)
    uow = InMemoryUnitOfWork()
    import_file(uow, path, cpf_policy=CpfPolicy(allow_repeated_digits=True))
    with uow:
        assert uow.customers.get("C1").cpf == Cpf("11111111111", allow_repeated=True)


def test_invalid_utf8_is_a_row_error_naming_the_column(tmp_path: Path) -> None:
    path = tmp_path / "stores.csv"
    path.write_bytes(b"store_id,name\nL01,Loja S\xe3o Paulo\nL02,Centro\n")
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), path, encoding="utf-8")
    err = caught.value.errors[0]
    assert (err.line, err.field, err.rule) == (2, "name", "is not valid UTF-8 text")
    assert caught.value.bad_rows == 1


def test_malformed_csv_quoting_is_a_row_error(tmp_path: Path) -> None:
    text = 'store_id,name\nL01,"Centro"x\nL02,Norte\n'
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), write(tmp_path / "stores.csv", text))
    err = caught.value.errors[0]
    assert (err.line, err.field) == (2, "(row)")
    assert err.rule.startswith("is not valid CSV")


def test_a_line_longer_than_the_limit_is_a_row_error_not_a_memory_spike(tmp_path: Path) -> None:
    path = tmp_path / "stores.csv"
    with path.open("w", encoding="utf-8") as f:
        f.write("store_id,name\nL01,Centro\n")
        f.write("L02," + "x" * (MAX_LINE_BYTES + 10) + "\n")
        f.write("L03,Norte\n")
    uow = InMemoryUnitOfWork()
    summary = import_file(uow, path, skip_invalid=True)
    assert (summary.imported, summary.rejected) == (2, 1)
    [bad] = read_report(default_report_path(path))
    assert (bad["line"], bad["field"]) == ("3", "(row)")
    assert bad["reason"] == f"is longer than {MAX_LINE_BYTES} bytes"


# JSON Lines --------------------------------------------------------------------------


def test_jsonl_faults(tmp_path: Path) -> None:
    lines = [
        '{"order_id": "P1", "customer_id": "C1", "store_id": "L01", "placed_at": "2026-05-10T12:00:00Z", "total": 10.5}',
        "",  # blank: not a row
        '{"order_id": "P2", "customer_id": "C1", "store_id": "L01", "placed_at": "2026-05-10T12:00:00Z", "total": 1e400}',
        '{"order_id": "P3", "customer_id": 7, "store_id": "L01", "placed_at": "2026-05-10T12:00:00Z", "total": "1"}',
        '{"order_id": "P4", "customer_id": "C1", "store_id": "L01", "placed_at": "2026-05-10T12:00:00Z", "total": NaN}',
        '["P5"]',
        '{"order_id": "P6", "order_id": "P7"}',
        '{"order_id": "P8", "customer_id": "C1", "store_id": "L01", "placed_at": "2026-05-10T12:00:00Z", "total": 1, "vendedor": "V1"}',
        '{"order_id": "P9", "customer_id": "C1", "store_id": "L01", "placed_at": "2026-05-10T12:00:00Z", "total": 9.999}',
    ]
    path = write(tmp_path / "orders.jsonl", "\n".join(lines) + "\n")
    uow = InMemoryUnitOfWork()
    summary = import_file(uow, path, skip_invalid=True, check_references=False)
    assert (summary.rows_read, summary.imported, summary.rejected) == (8, 1, 7)
    assert stored_orders(uow)[0].total == Decimal("10.5")
    report = {
        r["line"]: (r["field"], r["value"], r["reason"]) for r in read_report(summary.report_path)
    }
    assert report["3"][:2] == ("total", "1e400")
    assert report["4"] == ("customer_id", "7", "must be a string")
    assert report["5"][0] == "(row)"
    assert "not a JSON number" in report["5"][2]
    assert report["6"][2] == "must be a JSON object whose keys are the column names"
    assert "appears twice" in report["7"][2]
    assert report["8"][:2] == ("vendedor", "V1")
    assert report["9"] == ("total", "9.999", "must be >= 0 with at most 2 decimal places")


def test_ndjson_and_gzip_are_read(tmp_path: Path) -> None:
    data = (SAMPLES / "orders.jsonl").read_bytes()
    (tmp_path / "orders.ndjson.gz").write_bytes(gzip.compress(data))
    (tmp_path / "orders.csv.gz").write_bytes(gzip.compress((SAMPLES / "orders.csv").read_bytes()))
    a, b, c = InMemoryUnitOfWork(), InMemoryUnitOfWork(), InMemoryUnitOfWork()
    assert (
        import_file(a, tmp_path / "orders.ndjson.gz", check_references=False).format
        is FileFormat.JSONL
    )
    assert (
        import_file(b, tmp_path / "orders.csv.gz", check_references=False).format is FileFormat.CSV
    )
    import_file(c, SAMPLES / "orders.csv", check_references=False)
    assert stored_orders(a) == stored_orders(b) == stored_orders(c)


def test_a_corrupt_gzip_file_is_rejected_cleanly(tmp_path: Path) -> None:
    compressed = gzip.compress((SAMPLES / "orders.csv").read_bytes())
    path = tmp_path / "orders.csv.gz"
    path.write_bytes(compressed[: len(compressed) // 2])
    with pytest.raises(ImportRejected, match="gzip"):
        import_file(InMemoryUnitOfWork(), path)


# kinds, formats, arguments ------------------------------------------------------------


def test_kind_and_format_are_told_from_the_file_name(tmp_path: Path) -> None:
    path = tmp_path / "vendas.txt"
    path.write_bytes((SAMPLES / "orders.csv").read_bytes())
    with pytest.raises(ValidationError, match="kind cannot be told"):
        import_file(InMemoryUnitOfWork(), path, format=FileFormat.CSV, check_references=False)
    with pytest.raises(ValidationError, match="format cannot be told"):
        import_file(InMemoryUnitOfWork(), path, RecordKind.ORDERS, check_references=False)
    summary = import_file(
        InMemoryUnitOfWork(), path, RecordKind.ORDERS, format=FileFormat.CSV, check_references=False
    )
    assert summary.imported == 6
    named = tmp_path / "orders_2026-05.csv"
    named.write_bytes((SAMPLES / "orders.csv").read_bytes())
    assert (
        import_file(InMemoryUnitOfWork(), named, check_references=False).kind is RecordKind.ORDERS
    )


def test_a_file_of_another_kind_fails_on_its_header(tmp_path: Path) -> None:
    with pytest.raises(ImportRejected, match=r"unknown columns 'name', 'city', 'state'"):
        import_file(InMemoryUnitOfWork(), SAMPLES / "stores.csv", RecordKind.ORDERS)


def test_missing_file_and_bad_arguments_are_otocore_errors(tmp_path: Path) -> None:
    with pytest.raises(NotFound, match=r"^File '.*orders\.csv' not found"):
        import_file(InMemoryUnitOfWork(), tmp_path / "orders.csv")
    with pytest.raises(ValidationError, match="batch_size"):
        import_file(InMemoryUnitOfWork(), SAMPLES / "orders.csv", batch_size=0)
    with pytest.raises(ValidationError, match="must be a RecordKind"):
        import_file(InMemoryUnitOfWork(), SAMPLES / "orders.csv", "orders")  # type: ignore[arg-type]
    with pytest.raises(NotFound, match=r"^Directory '.*nowhere' not found"):
        import_directory(InMemoryUnitOfWork(), tmp_path / "nowhere")
    with pytest.raises(ValidationError, match="holds no stores"):
        import_directory(InMemoryUnitOfWork(), tmp_path)


@pytest.mark.parametrize("batch_size", [1, 2, 5000])
def test_batch_size_does_not_change_the_result(batch_size: int) -> None:
    uow = InMemoryUnitOfWork()
    import_file(uow, SAMPLES / "orders.csv", batch_size=batch_size, check_references=False)
    reference = InMemoryUnitOfWork()
    import_file(reference, SAMPLES / "orders.csv", check_references=False)
    assert stored_orders(uow) == stored_orders(reference)


# directories ------------------------------------------------------------------------


def test_a_bad_row_in_any_file_of_a_directory_imports_nothing(tmp_path: Path) -> None:
    for name in ("stores.csv", "sellers.csv", "customers.csv"):
        (tmp_path / name).write_bytes((SAMPLES / name).read_bytes())
    write(tmp_path / "orders.csv", ORDER_HEADER + good_order(1) + good_order(2, total="-1"))
    write(tmp_path / "notes.txt", "ignored")
    uow = InMemoryUnitOfWork()
    with pytest.raises(ImportRejected) as caught:
        import_directory(uow, tmp_path)
    assert caught.value.files == ("orders.csv",)
    assert caught.value.errors[0].line == 3
    with uow:
        assert uow.stores.list() == []
        assert uow.customers.count() == 0


def test_directory_skip_invalid_puts_reports_in_report_dir(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    write(data / "orders.csv", ORDER_HEADER + good_order(1) + good_order(2, total="-1"))
    write(data / "stores.csv", "store_id,name\nL01,Centro\n")
    uow = InMemoryUnitOfWork()
    summaries = import_directory(
        uow, data, skip_invalid=True, report_dir=tmp_path / "reports", check_references=False
    )
    assert [(s.kind, s.imported, s.rejected) for s in summaries] == [
        (RecordKind.STORES, 1, 0),
        (RecordKind.ORDERS, 1, 1),
    ]
    assert summaries[1].report_path == tmp_path / "reports" / "orders.csv.rejected.csv"
    assert [r["field"] for r in read_report(tmp_path / "reports" / "orders.csv.rejected.csv")] == [
        "total"
    ]
    # the report left next to the files is never taken for an import file
    write(data / "orders.csv", ORDER_HEADER + good_order(1))
    write(data / "orders.csv.rejected.csv", "line,field,value,reason,raw\n")
    again = import_directory(InMemoryUnitOfWork(), data, skip_invalid=True, check_references=False)
    assert [s.file.name for s in again] == ["stores.csv", "orders.csv"]
    assert (data / "orders.csv.rejected.csv").exists()


# the store refusing rows ---------------------------------------------------------------


class RefusingUnitOfWork(InMemoryUnitOfWork):
    """A memory unit of work whose orders table has a foreign key on stores."""

    @property
    def orders(self) -> Any:
        repo = super().orders
        stores = super().stores

        class Checked:
            def add_many(self, orders: Any) -> None:
                for order in orders:
                    try:
                        stores.get(order.store_id)
                    except NotFound:
                        raise sqlite3.IntegrityError("FOREIGN KEY constraint failed") from None
                    repo.add(order)

        return Checked()


def test_a_database_constraint_becomes_import_failed_and_nothing_stays(tmp_path: Path) -> None:
    text = ORDER_HEADER + good_order(1) + good_order(2).replace("L01", "L99")
    path = write(tmp_path / "orders.csv", text)
    uow = RefusingUnitOfWork()
    with uow:
        uow.stores.add(Store(store_id="L01", name="Centro"))
    with pytest.raises(ImportFailed) as caught:
        import_file(uow, path, batch_size=1, check_references=False)
    err = caught.value
    assert isinstance(err, OtocoreError)
    assert (err.file, err.lines) == ("orders.csv", (3, 3))
    assert "FOREIGN KEY constraint failed" in str(err)
    assert isinstance(err.__cause__, sqlite3.IntegrityError)
    assert stored_orders(InMemoryUnitOfWork(database=uow.database)) == []


# summary and progress --------------------------------------------------------------------


def fake_timer(*readings: float) -> Any:
    values: Iterator[float] = iter(readings)
    return lambda: next(values)


def test_summary_seconds_come_from_the_timer_and_format_on_one_line() -> None:
    summary = import_file(
        InMemoryUnitOfWork(),
        SAMPLES / "orders.csv",
        timer=fake_timer(10.0, 11.84),
        check_references=False,
    )
    assert summary == ImportSummary(
        file=SAMPLES / "orders.csv",
        kind=RecordKind.ORDERS,
        format=FileFormat.CSV,
        rows_read=6,
        imported=6,
        rejected=0,
        seconds=pytest.approx(1.84),  # type: ignore[arg-type]
    )
    assert format_summary(summary) == "orders.csv: 6 rows read, 6 imported, 0 rejected in 1.8 s"


def test_progress_goes_to_the_callback_and_changes_nothing(
    capsys: pytest.CaptureFixture[str],
) -> None:
    uow = InMemoryUnitOfWork()
    seen: list[ImportProgress] = []
    summary = import_file(uow, SAMPLES / "orders.csv", progress=seen.append, check_references=False)
    assert summary.imported == 6
    assert capsys.readouterr().out == ""
    assert len(stored_orders(uow)) == 6
    assert [(p.rows_read, p.done) for p in seen] == [(0, False), (6, True)]  # one pass


# errors and helpers ---------------------------------------------------------------------


def test_row_error_is_a_validation_error_with_file_and_line() -> None:
    err = RowError(file="o.csv", line=4, field="total", value="x", rule="must be a number")
    assert isinstance(err, ValidationError)
    assert str(err) == "o.csv line 4: total must be a number, got 'x'"
    assert (err.field, err.value, err.rule) == ("total", "x", "must be a number")


def test_to_cells_writes_rows_that_import_back(tmp_path: Path) -> None:
    order = Order(
        order_id="P1",
        customer_id="C1",
        store_id="L01",
        placed_at=datetime(2026, 5, 10, 18, 30, tzinfo=UTC),
        total=Decimal("199.90"),
        seller_code=None,
        channel=Channel.ONLINE,
    )
    cells = to_cells(order)
    assert list(cells) == list(RecordKind.ORDERS.columns)
    assert cells["seller_code"] is None
    path = tmp_path / "orders.csv"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(cells))
        writer.writeheader()
        writer.writerow(cells)
    uow = InMemoryUnitOfWork()
    import_file(uow, path, check_references=False)
    assert stored_orders(uow) == [order]
    with pytest.raises(
        ValidationError,
        match=r"^record must be a Store, Seller, Customer, Order, ConsentEvent, BlockEvent, Contact"
        r" or TelesalesRow",
    ):
        to_cells("not a record")


def test_an_instant_outside_the_utc_range_is_a_row_error(tmp_path: Path) -> None:
    text = ORDER_HEADER + good_order(1).replace(
        "2026-05-10T15:30:00-03:00", "0001-01-01T00:00:00+03:00"
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(InMemoryUnitOfWork(), write(tmp_path / "orders.csv", text))
    assert (caught.value.field, caught.value.value) == ("placed_at", "0001-01-01T00:00:00+03:00")


# memory stays flat ------------------------------------------------------------------------


class CountingUnitOfWork:
    """Takes orders and keeps only their number: what is measured is the importer's memory."""

    def __init__(self) -> None:
        self.count = 0
        self.orders = self

    def add_many(self, orders: Any) -> None:
        self.count += sum(1 for _ in orders)

    def __enter__(self) -> CountingUnitOfWork:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def writing(self) -> CountingUnitOfWork:  # an import runs in a writing block
        return self


def write_orders(path: Path, rows: int, *, bad_every: int | None) -> Path:
    path.parent.mkdir()
    with path.open("w", encoding="utf-8") as f:
        f.write(ORDER_HEADER)
        for i in range(rows):
            bad = bad_every is not None and i % bad_every == 0
            total = "x" if bad else f"{i % 1000}.{i % 100:02d}"
            f.write(f"P{i:07d},C{i % 5000:05d},L0{i % 7},2026-05-{1 + i % 28:02d}T15:30:00-03:00,")
            f.write(f"{total},V{i % 40:02d},completed,store\n")
    return path


def peak_bytes(path: Path, *, skip_invalid: bool) -> tuple[int, int]:
    uow = CountingUnitOfWork()
    tracemalloc.start()
    with contextlib.suppress(ImportRejected):
        import_file(  # type: ignore[arg-type]
            uow, path, skip_invalid=skip_invalid, batch_size=200, check_references=False
        )
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak, uow.count


@pytest.mark.parametrize(
    ("skip_invalid", "bad_every"),
    [(True, 97), (False, None), (False, 97)],
    ids=["skip-invalid", "clean-two-passes", "rejected-with-many-bad-rows"],
)
def test_memory_stays_flat_however_large_the_file(
    tmp_path: Path, skip_invalid: bool, bad_every: int | None
) -> None:
    small = write_orders(tmp_path / "small" / "orders.csv", 1_000, bad_every=bad_every)
    large = write_orders(tmp_path / "large" / "orders.csv", 4_000, bad_every=bad_every)
    warm = write_orders(tmp_path / "warm" / "orders.csv", 100, bad_every=bad_every)
    peak_bytes(warm, skip_invalid=skip_invalid)  # fill caches (regexes, zones) first
    small_peak, small_count = peak_bytes(small, skip_invalid=skip_invalid)
    large_peak, large_count = peak_bytes(large, skip_invalid=skip_invalid)
    if bad_every is None:
        assert (small_count, large_count) == (1_000, 4_000)
    elif skip_invalid:
        assert (small_count, large_count) == (1_000 - 11, 4_000 - 42)
    else:
        assert (small_count, large_count) == (0, 0)  # bad rows: nothing written
    # four times the rows (and the bad rows): no row is held after it is written; what
    # grows is the file's set of ids (duplicates are counted), under 120 bytes an id
    assert large_peak - small_peak < 3_000 * 120
    assert large_peak < 1_000_000


# SQLite ------------------------------------------------------------------------------------


def test_samples_import_into_sqlite_and_reimport_changes_nothing() -> None:
    memory = InMemoryUnitOfWork()
    import_directory(memory, SAMPLES)
    with open_database(":memory:", upgrade=True) as db:
        uow = db.unit_of_work()
        first = import_directory(uow, SAMPLES)
        with uow:
            before = (uow.stores.list(), uow.sellers.list(), uow.customers.list())
            orders = list(uow.orders.iter_all())
        second = import_directory(uow, SAMPLES)
        with uow:
            after = (uow.stores.list(), uow.sellers.list(), uow.customers.list())
            assert list(uow.orders.iter_all()) == orders
    assert [s.imported for s in first] == [s.imported for s in second] == [3, 4, 5, 6, 6]
    assert before == after
    with memory:
        assert before == (memory.stores.list(), memory.sellers.list(), memory.customers.list())
        assert orders == list(memory.orders.iter_all())


def test_sqlite_gets_nothing_from_a_file_with_a_bad_row(tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", ORDER_HEADER + good_order(1) + good_order(2, total="x"))
    with open_database(":memory:", upgrade=True) as db:
        uow = db.unit_of_work()
        with pytest.raises(
            ImportRejected, match=r"orders\.csv line 3: total must be a decimal number"
        ):
            import_file(uow, path)
        with uow:
            assert uow.orders.count() == 0


def test_a_row_beyond_the_stores_limits_is_import_failed_naming_the_lines(tmp_path: Path) -> None:
    text = ORDER_HEADER + good_order(1) + good_order(2, total="99999999999999999999")
    path = write(tmp_path / "orders.csv", text)
    with open_database(":memory:", upgrade=True) as db:
        uow = db.unit_of_work()
        with pytest.raises(ImportFailed) as caught:
            import_file(uow, path, check_references=False)
        with uow:
            assert uow.orders.count() == 0
    assert caught.value.lines == (3, 3)
    assert str(caught.value).startswith("orders.csv line 3: the store refused the row (total must")
    assert "99999999999999999999" in str(caught.value)


class StorageRefusingUnitOfWork(InMemoryUnitOfWork):
    """A memory unit of work whose orders repository fails as the SQL stores do."""

    def __init__(self, error: type[StorageError]) -> None:
        super().__init__()
        self.error = error

    @property
    def orders(self) -> Any:
        error = self.error

        class Failing:
            def add_many(self, orders: Any) -> None:
                cause = sqlite3.IntegrityError("FOREIGN KEY constraint failed")
                raise error("the database sqlite:///x failed: ...", store="sqlite:///x") from cause

        return Failing()


def test_a_storage_error_of_the_store_becomes_import_failed_in_the_drivers_words(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "orders.csv", ORDER_HEADER + good_order(1) + good_order(2))
    with pytest.raises(ImportFailed) as caught:
        import_file(StorageRefusingUnitOfWork(StorageError), path, check_references=False)
    err = caught.value
    assert (err.file, err.lines) == ("orders.csv", (2, 3))
    assert err.reason == "FOREIGN KEY constraint failed"
    assert isinstance(err.__cause__, StorageError)


def test_a_busy_store_is_not_a_refusal_of_the_rows(tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", ORDER_HEADER + good_order(1))
    with pytest.raises(StoreBusy, match=r"^the database sqlite:///x failed"):
        import_file(StorageRefusingUnitOfWork(StoreBusy), path, check_references=False)
