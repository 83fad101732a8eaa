"""Importação of telesales orders from another platform (issue 13): worked examples and row errors.

A telesales file has one row per item; the rows of an order (they need not be
adjacent) are built into one order by ``otocore.telesales.imported_order``:
placed at ``placed_at``, rules applied and the promissory note approved at the
import's clock.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from _support.builders import SAMPLES
from _support.cli import run
from _support.telesales_import import NOW, brand, stored_telesales, write_telesales
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.authorization import AuthorizationRules, Outcome, PriceRange
from otocore.clock import FixedClock
from otocore.errors import ValidationError
from otocore.importing import (
    ImportRejected,
    RecordKind,
    TelesalesRow,
    import_directory,
    import_file,
    to_cells,
)
from otocore.orders import OrderItem
from otocore.sellers import Store
from otocore.telesales import (
    PaymentMethod,
    PaymentStatus,
    TelesalesPolicy,
    TelesalesState,
    authorize,
    imported_order,
)

CLOCK = FixedClock(NOW)
PLACED = "2026-03-01T12:00:00-03:00"
PLACED_UTC = datetime(2026, 3, 1, 15, tzinfo=UTC)
HEADER = (
    "order_id,customer_id,store_id,placed_at,commercial_policy,operator_email,"
    "sku,quantity,list_price,manual_price\n"
)
DENY_ABOVE_10 = AuthorizationRules(
    (
        PriceRange(
            rule_id="raise-waits",
            outcome=Outcome.WAIT,
            lower=None,
            lower_inclusive=False,
            upper=Decimal(0),
            upper_inclusive=False,
        ),
        PriceRange(
            rule_id="up-to-10-authorized",
            outcome=Outcome.AUTHORIZE,
            lower=Decimal(0),
            lower_inclusive=True,
            upper=Decimal(10),
            upper_inclusive=True,
        ),
        PriceRange(
            rule_id="over-10-denied",
            outcome=Outcome.DENY,
            lower=Decimal(10),
            lower_inclusive=False,
            upper=Decimal(100),
            upper_inclusive=True,
        ),
    )
)


def write(tmp_path: Path, body: str, name: str = "telesales.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + body, encoding="utf-8")
    return path


def with_policy(uow: InMemoryUnitOfWork, policy: TelesalesPolicy) -> InMemoryUnitOfWork:
    with uow:
        uow.telesales.set_policy(policy)
    return uow


def counts(summary: Any) -> tuple[int, int, int, int]:
    return summary.rows_read, summary.imported, summary.rejected, summary.duplicates


def faults(err: ImportRejected) -> list[tuple[int, str]]:
    return [(e.line, e.field) for e in err.errors]


# worked examples ---------------------------------------------------------------------


def test_an_order_without_manual_prices_is_imported_paid_by_promissory_note(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        f"EXT-1,C1,L01,{PLACED},importados,,CAMISA-P,2,59.90,\n"
        f"EXT-1,C1,L01,{PLACED},importados,,CALCA-42,1,120.00,\n",
    )
    uow = brand()
    summary = import_file(uow, path, clock=CLOCK)
    assert summary.kind is RecordKind.TELESALES
    assert counts(summary) == (2, 2, 0, 0)
    [order] = stored_telesales(uow)
    assert order.state is TelesalesState.PAYMENT_APPROVED
    assert order.payment_method is PaymentMethod.PROMISSORY_NOTE
    assert order.payment_status is PaymentStatus.APPROVED
    assert order.commercial_policy == "importados"
    assert order.operator_email is None
    assert order.total == Decimal("239.80")
    assert [i.sku for i in order.items] == ["CAMISA-P", "CALCA-42"]
    placed = next(t for t in order.history if t.to_state is TelesalesState.PLACED)
    assert (placed.who, placed.at) == ("import", PLACED_UTC)
    assert "commercial policy importados" in placed.why
    assert order.history[-1].who == "import"
    assert order.history[-1].at == NOW
    assert order == imported_order(
        order_id="EXT-1",
        customer_id="C1",
        store_id="L01",
        items=[
            OrderItem(sku="CAMISA-P", quantity=2, list_price=Decimal("59.90")),
            OrderItem(sku="CALCA-42", quantity=1, list_price=Decimal("120.00")),
        ],
        commercial_policy="importados",
        placed_at=PLACED_UTC,
        operator_email=None,
        imported_by="import",
        at=NOW,
        policy=TelesalesPolicy(manual_price_stores=frozenset()),
    )


def test_a_manual_price_waits_for_a_person_by_default_and_the_operator_is_recorded(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        f"EXT-2,C1,L01,{PLACED},importados,ana@marca.com.br,TENIS-40,1,300.00,250.00\n",
    )
    uow = with_policy(brand(), TelesalesPolicy(manual_price_stores=frozenset({"L01"})))
    assert counts(import_file(uow, path, clock=CLOCK)) == (1, 1, 0, 0)
    [order] = stored_telesales(uow)
    assert order.state is TelesalesState.AWAITING_AUTHORIZATION
    assert order.payment_status is PaymentStatus.APPROVED  # paid, still waiting
    assert order.operator_email == "ana@marca.com.br"
    assert order.price_setters == {"ana@marca.com.br"}
    # a person authorizes it later; it is paid, so it goes straight to payment_approved
    later = authorize(order, actor="rui@marca.com.br", reason="ok", at=NOW)
    assert later.state is TelesalesState.PAYMENT_APPROVED


def test_a_manual_price_a_rule_denies_is_imported_cancelled(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"EXT-3,C1,L01,{PLACED},importados,,TENIS-40,1,300.00,150.00\n"
        f"EXT-4,C1,L01,{PLACED},importados,,TENIS-40,1,300.00,285.00\n",
    )
    policy = TelesalesPolicy(manual_price_stores=frozenset({"L01"}), rules=DENY_ABOVE_10)
    uow = with_policy(brand(), policy)
    assert counts(import_file(uow, path, clock=CLOCK)) == (2, 2, 0, 0)
    denied, authorized = stored_telesales(uow)
    assert denied.state is TelesalesState.CANCELLED
    assert denied.payment_status is PaymentStatus.PENDING  # a cancelled order is not paid
    assert denied.approval is not None
    assert denied.approval.decided_by == "over-10-denied"
    assert authorized.state is TelesalesState.PAYMENT_APPROVED
    assert authorized.approval is not None
    assert authorized.approval.decided_by == "up-to-10-authorized"


def test_the_rows_of_an_order_need_not_be_adjacent(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"A,C1,L01,{PLACED},importados,,S1,1,10.00,\n"
        f"B,C2,L02,{PLACED},atacado,,S1,3,5.00,\n"
        f"A,C1,L01,2026-03-01T15:00:00Z,importados,,S2,2,1.50,\n",
    )
    uow = brand()
    assert counts(import_file(uow, path, clock=CLOCK)) == (3, 3, 0, 0)
    a, b = stored_telesales(uow)
    assert [(i.sku, i.quantity) for i in a.items] == [("S1", 1), ("S2", 2)]
    assert a.total == Decimal("13.00")
    assert (b.customer_id, b.store_id, b.commercial_policy) == ("C2", "L02", "atacado")


# row errors ----------------------------------------------------------------------------


def test_order_columns_must_agree_across_an_orders_rows(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"A,C1,L01,{PLACED},importados,,S1,1,10.00,\n"
        f"A,C1,L02,{PLACED},importados,,S2,1,10.00,\n"
        f"A,C1,L01,{PLACED},atacado,,S3,1,10.00,\n",
    )
    uow = brand()
    with pytest.raises(ImportRejected) as caught:
        import_file(uow, path, clock=CLOCK)
    err = caught.value
    assert err.bad_rows == 3  # the whole order: its first row is refused with it
    assert faults(err) == [(2, "order_id"), (3, "store_id"), (4, "commercial_policy")]
    message = str(err)
    assert "line 3: store_id must be the same on every row of order A:" in message
    assert "line 2 has 'L01', this row has 'L02'" in message
    assert "line 2 has 'importados', this row has 'atacado'" in message
    assert "order A has a bad row (line 3)" in message
    assert stored_telesales(uow) == []


def test_a_repeated_sku_in_an_order_is_a_row_error(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"A,C1,L01,{PLACED},importados,,S1,1,10.00,\n"
        f"B,C1,L01,{PLACED},importados,,S1,1,10.00,\n"
        f"A,C1,L01,{PLACED},importados,,S1,2,10.00,\n",
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(brand(), path, clock=CLOCK)
    assert faults(caught.value) == [(2, "order_id"), (4, "sku")]
    assert "sku is repeated in order A (first on line 2)" in str(caught.value)


def test_a_manual_price_in_a_store_without_manual_prices_is_a_row_error_on_each_row(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        f"A,C1,L02,{PLACED},importados,,S1,1,10.00,\n"
        f"A,C1,L02,{PLACED},importados,,S2,1,10.00,9.00\n",
    )
    uow = with_policy(brand(), TelesalesPolicy(manual_price_stores=frozenset({"L01"})))
    with pytest.raises(ImportRejected) as caught:
        import_file(uow, path, clock=CLOCK)
    assert faults(caught.value) == [(2, "order_id"), (3, "order_id")]
    assert "manual prices are not enabled for store L02" in caught.value.errors[0].rule


def test_unknown_customers_and_stores_are_row_errors_unless_unchecked(tmp_path: Path) -> None:
    path = write(tmp_path, f"A,C9,L09,{PLACED},importados,,S1,1,10.00,\n")
    with pytest.raises(ImportRejected) as caught:
        import_file(brand(), path, clock=CLOCK)
    assert faults(caught.value) == [(2, "customer_id"), (2, "store_id")]
    assert "is not a known customer" in str(caught.value)
    uow = brand()
    assert counts(import_file(uow, path, clock=CLOCK, check_references=False)) == (1, 1, 0, 0)
    assert [o.customer_id for o in stored_telesales(uow)] == ["C9"]


def test_bad_cells_and_a_future_placement_are_row_errors(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"A,C1,L01,{PLACED},importados,,S1,0,10.00,\n"
        f"B,C1,L01,{PLACED},importados,,S1,2.5,10.001,\n"
        "C,C1,L01,2026-03-01T12:00:00,,,S1,1,10.00,\n"
        "D,C1,L01,2026-03-02T09:00:01Z,importados,,S1,1,10.00,\n",
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(brand(), path, clock=CLOCK)
    assert faults(caught.value) == [
        (2, "quantity"),
        (3, "quantity"),
        (3, "list_price"),
        (4, "placed_at"),
        (4, "commercial_policy"),
        (5, "placed_at"),
    ]
    assert "must not be after the import's time (2026-03-02T09:00:00+00:00)" in str(caught.value)


def test_a_row_without_an_order_id_is_bad_alone(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f",C1,L01,{PLACED},importados,,S1,1,10.00,\nA,C1,L01,{PLACED},importados,,S1,1,10.00,\n",
    )
    uow = brand()
    summary = import_file(uow, path, clock=CLOCK, skip_invalid=True)
    assert counts(summary) == (2, 1, 1, 0)
    assert [o.order_id for o in stored_telesales(uow)] == ["A"]


# all or nothing, skip-invalid ----------------------------------------------------------


def test_a_bad_order_imports_nothing_by_default(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"GOOD,C1,L01,{PLACED},importados,,S1,1,10.00,\n"
        f"BAD,C1,L01,{PLACED},importados,,S1,1,10.00,\n"
        f"BAD,C1,L01,{PLACED},importados,,S2,-1,10.00,\n",
    )
    uow = brand()
    with pytest.raises(ImportRejected, match=r"^2 bad rows in telesales\.csv, nothing imported"):
        import_file(uow, path, clock=CLOCK)
    assert stored_telesales(uow) == []


def test_skip_invalid_skips_whole_orders_and_reports_every_row(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"BAD,C1,L01,{PLACED},importados,,S1,1,10.00,\n"
        f"GOOD,C1,L01,{PLACED},importados,,S1,1,10.00,\n"
        f"BAD,C1,L01,{PLACED},importados,,S2,x,10.00,\n"
        f"GOOD,C1,L01,{PLACED},importados,,S2,1,10.00,\n",
    )
    uow = brand()
    summary = import_file(uow, path, clock=CLOCK, skip_invalid=True)
    assert counts(summary) == (4, 2, 2, 0)
    assert [o.order_id for o in stored_telesales(uow)] == ["GOOD"]
    assert summary.report_path is not None
    with summary.report_path.open(encoding="utf-8", newline="") as f:
        report = [(r["line"], r["field"], r["value"]) for r in csv.DictReader(f)]
    assert report == [("2", "order_id", "BAD"), ("4", "quantity", "x")]


# re-import -----------------------------------------------------------------------------


def test_importing_the_same_orders_again_counts_duplicates_and_changes_nothing(
    tmp_path: Path,
) -> None:
    path = write(
        tmp_path,
        f"A,C1,L01,{PLACED},importados,ana@marca.com.br,S1,1,10.00,9.00\n"
        f"A,C1,L01,{PLACED},importados,ana@marca.com.br,S2,2,10.00,\n"
        f"B,C2,L01,{PLACED},importados,,S1,1,10.00,\n",
    )
    uow = with_policy(brand(), TelesalesPolicy(manual_price_stores=frozenset({"L01"})))
    import_file(uow, path, clock=CLOCK)
    first = stored_telesales(uow)
    # A moves on after the first import: an approver authorizes it
    a = first[0]
    with uow:
        uow.telesales.save(
            authorize(a, actor="rui@marca.com.br", reason="ok", at=NOW),
            expected_state=a.state,
            expected_length=len(a.history),
        )
    moved = stored_telesales(uow)
    later = FixedClock(datetime(2026, 4, 1, tzinfo=UTC))
    summary = import_file(uow, path, clock=later)
    assert counts(summary) == (3, 0, 0, 3)
    assert stored_telesales(uow) == moved
    assert moved[0].state is TelesalesState.PAYMENT_APPROVED
    # the same orders, their rows in another order (an export sorted differently)
    shuffled = write(
        tmp_path,
        f"B,C2,L01,{PLACED},importados,,S1,1,10.00,\n"
        f"A,C1,L01,2026-03-01T15:00:00+00:00,importados,ana@marca.com.br,S2,2,10.00,\n"
        f"A,C1,L01,{PLACED},importados,ana@marca.com.br,S1,1,10.00,9.00\n",
        name="televendas.csv",
    )
    assert counts(import_file(uow, shuffled, clock=later)) == (3, 0, 0, 3)
    assert stored_telesales(uow) == moved


def test_an_order_stored_with_other_content_is_never_replaced(tmp_path: Path) -> None:
    uow = brand()
    import_file(uow, write(tmp_path, f"A,C1,L01,{PLACED},importados,,S1,1,10.00,\n"), clock=CLOCK)
    before = stored_telesales(uow)
    changed = write(
        tmp_path,
        f"A,C1,L01,{PLACED},importados,,S1,1,10.00,\nA,C1,L01,{PLACED},importados,,S2,1,10.00,\n",
        name="televendas.csv",
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(uow, changed, clock=CLOCK)
    assert faults(caught.value) == [(2, "order_id"), (3, "order_id")]
    assert "is already stored with a different items; a telesales order is never replaced" in (
        caught.value.errors[0].rule
    )
    summary = import_file(uow, changed, clock=CLOCK, skip_invalid=True)
    assert counts(summary) == (2, 0, 2, 0)
    assert stored_telesales(uow) == before


# names, formats, directories -----------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["telesales.csv", "televendas.csv", "pedidos-televendas.csv", "Televendas-2026.csv"]
)
def test_telesales_files_are_told_from_their_names(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, f"A,C1,L01,{PLACED},importados,,S1,1,10.00,\n", name=name)
    assert import_file(brand(), path, clock=CLOCK).kind is RecordKind.TELESALES
    assert RecordKind.from_name("pedidos-televendas") is RecordKind.TELESALES
    assert RecordKind.from_name("pedidos") is RecordKind.ORDERS


def test_a_semicolon_file_reads_decimal_commas_in_both_prices(tmp_path: Path) -> None:
    path = tmp_path / "televendas.csv"
    path.write_text(
        HEADER.replace(",", ";") + f"A;C1;L01;{PLACED};importados;;S1;1;1.234,56;1.200,00\n",
        encoding="utf-8",
    )
    uow = with_policy(brand(), TelesalesPolicy(manual_price_stores=frozenset({"L01"})))
    import_file(uow, path, clock=CLOCK)
    [order] = stored_telesales(uow)
    assert order.items == (
        OrderItem(
            sku="S1", quantity=1, list_price=Decimal("1234.56"), manual_price=Decimal("1200.00")
        ),
    )


def test_an_xlsx_file_of_telesales_orders_imports(tmp_path: Path) -> None:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(RecordKind.TELESALES.columns))
    sheet.append(["A", "C1", "L01", PLACED, "importados", None, "S1", 2, 59.9, None])
    sheet.append(["A", "C1", "L01", PLACED, "importados", None, "S2", 1, 120, None])
    path = tmp_path / "televendas.xlsx"
    workbook.save(path)
    uow = brand()
    assert counts(import_file(uow, path, clock=CLOCK)) == (2, 2, 0, 0)
    [order] = stored_telesales(uow)
    assert [(i.sku, i.quantity, i.list_price) for i in order.items] == [
        ("S1", 2, Decimal("59.9")),
        ("S2", 1, Decimal("120")),
    ]
    assert order.total == Decimal("239.80")


def test_a_json_lines_file_takes_numbers_for_quantities_and_prices(tmp_path: Path) -> None:
    path = tmp_path / "telesales.jsonl"
    order = {
        "order_id": "A",
        "customer_id": "C1",
        "store_id": "L01",
        "placed_at": PLACED,
        "commercial_policy": "importados",
    }
    first = json.dumps({**order, "sku": "S1", "quantity": 2, "manual_price": None})
    first = first[:-1] + ', "list_price": 59.9}'  # a bare JSON number
    second = json.dumps({**order, "sku": "S2", "list_price": "1"})[:-1] + ', "quantity": 1.5}'
    path.write_text(
        first + "\n" + second + "\n",
        encoding="utf-8",
    )
    with pytest.raises(ImportRejected) as caught:
        import_file(brand(), path, clock=CLOCK)
    assert faults(caught.value) == [(1, "order_id"), (2, "quantity")]
    assert "quantity must be a whole number written with digits" in str(caught.value)
    uow = brand()
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text(lines[0] + "\n", encoding="utf-8")
    assert counts(import_file(uow, path, clock=CLOCK)) == (1, 1, 0, 0)
    [order] = stored_telesales(uow)
    assert order.items == (OrderItem(sku="S1", quantity=2, list_price=Decimal("59.9")),)


def test_a_directory_imports_telesales_after_the_stores_and_customers_they_name(
    tmp_path: Path,
) -> None:
    (tmp_path / "stores.csv").write_text("store_id,name\nL07,Loja Sul\n", encoding="utf-8")
    (tmp_path / "clientes.csv").write_text(
        f"customer_id,name,registered_at\nC7,Bia,{PLACED}\n", encoding="utf-8"
    )
    (tmp_path / "orders.csv").write_text(
        f"order_id,customer_id,store_id,placed_at,total\nP1,C7,L07,{PLACED},10.00\n",
        encoding="utf-8",
    )
    write(tmp_path, f"A,C7,L07,{PLACED},importados,,S1,1,10.00,\n", name="televendas.csv")
    uow = InMemoryUnitOfWork()
    summaries = import_directory(uow, tmp_path, clock=CLOCK)
    assert [s.kind for s in summaries] == [
        RecordKind.STORES,
        RecordKind.CUSTOMERS,
        RecordKind.ORDERS,
        RecordKind.TELESALES,
    ]
    assert [o.order_id for o in stored_telesales(uow)] == ["A"]


def test_to_cells_writes_a_telesales_row_that_imports_back(tmp_path: Path) -> None:
    row = TelesalesRow(
        order_id="A",
        customer_id="C1",
        store_id="L01",
        placed_at=PLACED_UTC,
        commercial_policy="importados",
        sku="S1",
        quantity=3,
        list_price=Decimal("10.00"),
        manual_price=Decimal("8.50"),
        operator_email="ana@marca.com.br",
    )
    assert list(to_cells(row)) == list(RecordKind.TELESALES.columns)
    uow = with_policy(brand(), TelesalesPolicy(manual_price_stores=frozenset({"L01"})))
    import_file(uow, write_telesales(tmp_path / "telesales.csv", [row]), clock=CLOCK)
    [order] = stored_telesales(uow)
    assert order.items == (row.item,)


def test_a_clock_that_is_not_a_clock_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, f"A,C1,L01,{PLACED},importados,,S1,1,10.00,\n")
    with pytest.raises(ValidationError, match=r"^clock must be None or a Clock"):
        import_file(brand(), path, clock="2026-03-02")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^clock\.now\(\) must be timezone-aware"):
        import_file(brand(), path, clock=datetime)  # type: ignore[arg-type]


# the command line ----------------------------------------------------------------------


def test_otocore_import_takes_a_telesales_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "db", "upgrade", db)[0] == 0
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "lojas.csv").write_text("store_id,name\nL01,Centro\n", encoding="utf-8")
    (folder / "clientes.csv").write_text(
        f"customer_id,name,registered_at\nC1,Ana,{PLACED}\n", encoding="utf-8"
    )
    write(
        folder,
        f"A,C1,L01,{PLACED},importados,,S1,2,59.90,\nA,C1,L01,{PLACED},importados,,S2,1,120.00,\n",
        name="pedidos-televendas.csv",
    )
    code, out, err = run(capsys, "import", str(folder), "--db", db)
    assert (code, err) == (0, "")
    assert "pedidos-televendas.csv: 2 rows read, 2 imported, 0 rejected" in out
    # again: the order is stored already, the same: duplicates, and no failure
    code, out, _ = run(capsys, "import", str(folder), "--db", db)
    assert code == 0
    assert "pedidos-televendas.csv: 2 rows read, 0 imported, 0 rejected, 2 duplicates" in out
    # a file the name does not tell, with a bad row: one error line, exit 1
    other = write(tmp_path, f"B,C1,L01,{PLACED},importados,,S1,0,1.00,\n", name="export.csv")
    code, out, err = run(capsys, "import", str(other), "--kind", "televendas", "--db", db)
    assert code == 1
    assert err.startswith("error: 1 bad row in export.csv, nothing imported:")
    assert "export.csv line 2: quantity must be >= 1, got '0'" in err


def test_the_stores_a_file_names_may_also_be_given_by_the_api(tmp_path: Path) -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        uow.stores.add(Store(store_id="L01", name="Centro"))
    path = write(tmp_path, f"A,C1,L01,{PLACED},importados,,S1,1,10.00,\n")
    with pytest.raises(ImportRejected) as caught:
        import_file(uow, path, clock=CLOCK)
    assert faults(caught.value) == [(2, "customer_id")]


# the sample file -----------------------------------------------------------------------


def test_the_sample_telesales_file_imports_as_the_import_page_shows() -> None:
    uow = InMemoryUnitOfWork()
    import_directory(uow, SAMPLES)  # the stores and customers the orders name
    with_policy(uow, TelesalesPolicy(manual_price_stores=frozenset({"L01"})))
    clock = FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))
    sample = SAMPLES / "telesales" / "televendas.csv"
    assert counts(import_file(uow, sample, clock=clock)) == (4, 4, 0, 0)
    shown = [(o.order_id, o.state.value, o.operator_email, o.total) for o in stored_telesales(uow)]
    assert shown == [
        ("EXT-1001", "payment_approved", None, Decimal("269.70")),
        ("EXT-1002", "payment_approved", "bia@marca.com.br", Decimal("299.90")),
        ("EXT-1003", "awaiting_authorization", "ana@marca.com.br", Decimal("179.00")),
    ]
    assert counts(import_file(uow, sample, clock=clock)) == (4, 0, 0, 4)
