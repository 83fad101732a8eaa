"""Importação of a brand's own consent, blocks and contacts; references; duplicates (issue 12).

Worked examples: the sample files of docs/samples/attendance, one rule at a time.
"""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from _support.builders import SAMPLES
from _support.cli import run
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.adapters.sql import open_database
from otocore.attendance import register_contact
from otocore.blocking import BlockFeature, BlockList
from otocore.consent import ConsentLedger, ConsentSource, ContactChannel
from otocore.contacts import ConsentChange, Contact
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.importing import (
    FileFormat,
    ImportFailed,
    ImportRejected,
    ImportSummary,
    RecordKind,
    format_summary,
    import_directory,
    import_file,
)
from otocore.importing._rows import derived_id
from otocore.sellers import Seller, Store

ATTENDANCE = SAMPLES / "attendance"
ORDER_HEADER = "order_id,customer_id,store_id,placed_at,total,seller_code\n"
CONSENT_HEADER = "event_id,customer_id,channel,granted,at,source,recorded_by\n"
CONTACT_HEADER = "contact_id,seller_code,customer_id,channel,started_at,finished_at\n"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def brand() -> InMemoryUnitOfWork:
    """The sample brand: stores L01-L03, sellers V01-V04, customers C001-C005."""
    uow = InMemoryUnitOfWork()
    import_directory(uow, SAMPLES)
    return uow


def counts(summary: ImportSummary) -> tuple[int, int, int, int]:
    return summary.rows_read, summary.imported, summary.rejected, summary.duplicates


# the three new kinds ------------------------------------------------------------------


def test_the_new_kinds_are_told_from_their_names_and_come_after_orders() -> None:
    assert [k.value for k in RecordKind][4:] == ["consent", "blocks", "contacts", "telesales"]
    uow = brand()
    summaries = import_directory(uow, ATTENDANCE)
    assert [(s.file.name, s.kind) for s in summaries] == [
        ("consent.csv", RecordKind.CONSENT),
        ("blocks.csv", RecordKind.BLOCKS),
        ("contacts.csv", RecordKind.CONTACTS),
    ]
    assert [counts(s) for s in summaries] == [(5, 5, 0, 0), (3, 3, 0, 0), (3, 3, 0, 0)]


def test_a_directory_with_every_kind_imports_them_in_dependency_order(tmp_path: Path) -> None:
    for sample in [*SAMPLES.glob("*.csv"), *ATTENDANCE.glob("*.csv")]:
        write(tmp_path / sample.name, sample.read_text(encoding="utf-8"))
    names = [s.file.name for s in import_directory(InMemoryUnitOfWork(), tmp_path)]
    assert names == [
        "stores.csv",
        "sellers.csv",
        "customers.csv",
        "orders.csv",
        "consent.csv",
        "blocks.csv",
        "contacts.csv",
    ]


def test_consent_rows_become_the_ledger_the_suggestions_read() -> None:
    uow = brand()
    import_file(uow, ATTENDANCE / "consent.csv")
    with uow:
        events = list(uow.consent.iter_all())
    ledger = ConsentLedger.from_events(events)
    assert ledger.granted("C001", ContactChannel.WHATSAPP, date(2026, 5, 10))
    # C002 opted in on WhatsApp in 2025, then out on 10/05/2026 at 15:00 (São Paulo)
    assert ledger.granted("C002", ContactChannel.WHATSAPP, date(2026, 5, 9))
    assert not ledger.granted("C002", ContactChannel.WHATSAPP, date(2026, 5, 10))
    # empty source and recorded_by: an import
    [c004] = [e for e in events if e.customer_id == "C004"]
    assert (c004.source, c004.recorded_by) == (ConsentSource.IMPORT, "import")
    assert c004.at == datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_block_rows_block_their_features_from_their_instant() -> None:
    uow = brand()
    import_file(uow, ATTENDANCE / "blocks.csv")
    with uow:
        blocks = BlockList.from_events(uow.blocks.iter_all())
    pedro = "987.654.321-00"
    assert blocks.is_blocked(pedro, BlockFeature.CAMPAIGNS, date(2026, 2, 10))
    assert not blocks.is_blocked(pedro, BlockFeature.CAMPAIGNS, date(2026, 2, 9))
    assert blocks.is_blocked(pedro, BlockFeature.CONECTA, date(2026, 3, 31))
    assert not blocks.is_blocked(pedro, BlockFeature.CONECTA, date(2026, 4, 1))  # unblocked
    assert blocks.is_blocked("39053344705", BlockFeature.LOYALTY, date(2026, 3, 20))


def test_a_contact_with_a_consent_change_has_the_effect_of_registering_it(tmp_path: Path) -> None:
    imported, registered = brand(), brand()
    import_file(imported, ATTENDANCE / "contacts.csv")
    with imported:
        contact = imported.contacts.get("AT-0002")
    assert contact.consent_change == ConsentChange(channel=ContactChannel.WHATSAPP, granted=False)
    assert contact.notes == "Pediu para não receber\nmensagens no WhatsApp"
    register_contact(registered, contact)
    with imported, registered:
        assert imported.consent.for_customer("C002") == registered.consent.for_customer("C002")
        [event] = imported.consent.for_customer("C002")
    assert (event.event_id, event.granted, event.at) == (
        "contact:AT-0002",
        False,
        contact.finished_at,
    )
    assert (event.source, event.recorded_by) == (ConsentSource.SELLER_APP, "V01")


def test_contact_columns_fill_every_attribute() -> None:
    uow = brand()
    import_file(uow, ATTENDANCE / "contacts.csv")
    with uow:
        first = uow.contacts.get("AT-0001")
        [walk_in] = uow.contacts.for_customer("C005")
    assert first.products_offered == ("SKU-001", "VEST-38")
    assert first.follow_up is not None
    assert first.follow_up.day == date(2026, 5, 17)
    assert (first.campaign_id, first.in_portfolio, first.time_zone) == (
        "POS_VENDA_30",
        True,
        "America/Sao_Paulo",
    )
    # every optional column empty: the model's defaults; in_portfolio false; an id derived
    assert walk_in.in_portfolio is False
    assert walk_in.contact_id == derived_id("contacts", walk_in)
    assert walk_in.contact_id.startswith("import:")


def test_reimporting_events_and_contacts_changes_nothing() -> None:
    uow = brand()
    first = import_directory(uow, ATTENDANCE)
    with uow:
        before = (list(uow.consent.iter_all()), list(uow.blocks.iter_all()), uow.contacts.count())
    second = import_directory(uow, ATTENDANCE)
    with uow:
        after = (list(uow.consent.iter_all()), list(uow.blocks.iter_all()), uow.contacts.count())
    assert before == after
    assert len(before[0]) == 6  # five rows and the consent change of AT-0002
    assert [counts(s) for s in first] == [counts(s) for s in second]


def test_reimporting_contacts_into_sqlite_changes_nothing() -> None:
    with open_database(":memory:", upgrade=True) as db:
        uow = db.unit_of_work()
        import_directory(uow, SAMPLES)
        import_directory(uow, ATTENDANCE)
        import_directory(uow, ATTENDANCE)
        with uow:
            assert uow.contacts.count() == 3
            assert len(list(uow.consent.iter_all())) == 6
            assert len(list(uow.blocks.iter_all())) == 3


def test_a_contact_stored_with_other_content_is_refused_naming_its_line(tmp_path: Path) -> None:
    uow = brand()
    row = "A1,V01,C001,whatsapp,2026-05-10T14:00:00-03:00,2026-05-10T14:10:00-03:00\n"
    import_file(uow, write(tmp_path / "contacts.csv", CONTACT_HEADER + row))
    changed = row.replace("whatsapp", "sms")
    other = "A2,V01,C001,sms,2026-05-10T14:00:00-03:00,2026-05-10T14:10:00-03:00\n"
    with pytest.raises(ImportFailed, match="already registered with different content") as info:
        import_file(uow, write(tmp_path / "contacts.csv", CONTACT_HEADER + other + changed))
    assert info.value.lines == (3, 3)
    with uow:
        assert uow.contacts.count() == 1  # nothing of the second file


def test_an_event_id_stored_with_other_content_is_refused_by_the_store(tmp_path: Path) -> None:
    uow = brand()
    row = "E1,C001,sms,true,2026-05-10T14:00:00-03:00,,\n"
    import_file(uow, write(tmp_path / "consent.csv", CONSENT_HEADER + row))
    other = "E2,C001,sms,true,2026-05-11T14:00:00-03:00,,\n"
    changed = CONSENT_HEADER + other + row.replace("true", "false")
    with pytest.raises(ImportFailed, match="'E1' is already stored with different content") as info:
        import_file(uow, write(tmp_path / "consent.csv", changed))
    assert info.value.lines == (3, 3)
    with uow:
        assert len(list(uow.consent.iter_all())) == 1  # nothing of the second file


def test_bad_cells_of_the_new_kinds_name_their_column(tmp_path: Path) -> None:
    text = CONSENT_HEADER + "E1,C001,WhatsApp,yes,2026-05-10T14:00:00,app,\n"
    with pytest.raises(ImportRejected) as info:
        import_file(brand(), write(tmp_path / "consent.csv", text))
    assert [e.field for e in info.value.errors] == ["channel", "granted", "at", "source"]
    assert (
        str(info.value.errors[1]) == "consent.csv line 2: granted must be true or false, got 'yes'"
    )
    blocks = (
        "cpf,features,blocked,reason,by,at\n529.982.247-25,campaign,true,x,u,2026-05-10T14:00:00Z\n"
    )
    with pytest.raises(ImportRejected, match="features must be one of 'campaigns'"):
        import_file(brand(), write(tmp_path / "blocks.csv", blocks))
    contact = (
        CONTACT_HEADER.rstrip("\n")
        + ",follow_up_day,follow_up_note\n"
        + "A1,V01,C001,sms,2026-05-10T14:00:00-03:00,2026-05-10T14:10:00-03:00,2026-05-10,Ligar\n"
    )
    with pytest.raises(ImportRejected) as info:
        import_file(brand(), write(tmp_path / "contacts.csv", contact))
    [error] = info.value.errors
    assert (error.field, error.value) == ("follow_up_day", "2026-05-10")
    assert "must be after the contact's local day" in error.rule
    half = (
        CONTACT_HEADER.rstrip("\n")
        + ",consent_channel\n"
        + contact.splitlines()[1].rsplit(",", 2)[0]
        + ",sms\n"
    )
    with pytest.raises(ImportRejected, match="consent_granted is required when"):
        import_file(brand(), write(tmp_path / "contacts.csv", half))


def test_derived_ids_do_not_depend_on_how_an_instant_is_written(tmp_path: Path) -> None:
    text = (
        CONSENT_HEADER
        + ",C001,sms,true,2026-05-10T15:00:00-03:00,,\n"
        + ",C001,sms,true,2026-05-10T18:00:00Z,,\n"
        + ",C001,sms,false,2026-05-10T18:00:00Z,,\n"
    )
    uow = brand()
    summary = import_file(uow, write(tmp_path / "consent.csv", text))
    assert counts(summary) == (3, 2, 0, 1)  # the first two say the same thing
    with uow:
        ids = [e.event_id for e in uow.consent.iter_all()]
    assert len(set(ids)) == 2


# references ---------------------------------------------------------------------------


def test_an_order_for_an_unknown_store_or_seller_is_a_row_error(tmp_path: Path) -> None:
    text = (
        ORDER_HEADER
        + "P1,C001,L01,2026-05-10T15:30:00-03:00,10.00,V01\n"
        + "P2,C001,L99,2026-05-10T15:30:00-03:00,10.00,V01\n"
        + "P3,C001,L01,2026-05-10T15:30:00-03:00,10.00,V99\n"
        + "P4,C999,L01,2026-05-10T15:30:00-03:00,10.00,\n"
    )
    path = write(tmp_path / "orders.csv", text)
    with pytest.raises(ImportRejected) as info:
        import_file(brand(), path)
    assert [str(e) for e in info.value.errors] == [
        "orders.csv line 3: store_id is not a known store"
        " (neither stored nor imported earlier in this run), got 'L99'",
        "orders.csv line 4: seller_code is not a known seller"
        " (neither stored nor imported earlier in this run), got 'V99'",
    ]
    # an order for a customer without a record is not checked (docs/import.md says why)
    summary = import_file(brand(), path, skip_invalid=True)
    assert counts(summary) == (4, 2, 2, 0)
    relaxed = import_file(brand(), path, check_references=False)
    assert counts(relaxed) == (4, 4, 0, 0)


def test_consent_and_contacts_for_unknown_customers_or_sellers_are_row_errors(
    tmp_path: Path,
) -> None:
    consent = CONSENT_HEADER + "E1,C999,sms,true,2026-05-10T14:00:00-03:00,,\n"
    with pytest.raises(ImportRejected, match="customer_id is not a known customer"):
        import_file(brand(), write(tmp_path / "consent.csv", consent))
    contact = CONTACT_HEADER + "A1,V99,C999,sms,2026-05-10T14:00:00Z,2026-05-10T14:00:00Z\n"
    with pytest.raises(ImportRejected) as info:
        import_file(brand(), write(tmp_path / "contacts.csv", contact))
    assert [(e.field, e.value) for e in info.value.errors] == [
        ("customer_id", "C999"),
        ("seller_code", "V99"),
    ]
    assert import_file(brand(), tmp_path / "contacts.csv", check_references=False).imported == 1


def test_references_to_an_earlier_file_of_the_run_count_as_known(tmp_path: Path) -> None:
    write(tmp_path / "stores.csv", "store_id,name\nL07,Nova\n")
    write(tmp_path / "sellers.csv", "code,name,store_id\nV07,Vera,L07\n")
    write(
        tmp_path / "customers.csv", "customer_id,name,registered_at\nC7,Rita,2026-01-01T10:00:00Z\n"
    )
    write(tmp_path / "orders.csv", ORDER_HEADER + "P7,C7,L07,2026-05-10T15:30:00Z,5.00,V07\n")
    write(
        tmp_path / "contacts.csv",
        CONTACT_HEADER + "A7,V07,C7,sms,2026-05-10T14:00:00Z,2026-05-10T14:00:00Z\n",
    )
    summaries = import_directory(InMemoryUnitOfWork(), tmp_path)
    assert [s.imported for s in summaries] == [1, 1, 1, 1, 1]
    # known even when the writing stopped at a bad row of an earlier file: only that row is listed
    write(
        tmp_path / "customers.csv",
        "customer_id,name,registered_at\nC7,Rita,2026-01-01T10:00:00Z\nC8,,x\n",
    )
    with pytest.raises(ImportRejected) as info:
        import_directory(InMemoryUnitOfWork(), tmp_path)
    assert [(e.file, e.line) for e in info.value.errors] == [
        ("customers.csv", 3),
        ("customers.csv", 3),
    ]


def test_a_rejected_row_is_not_known_to_the_files_after_it(tmp_path: Path) -> None:
    write(tmp_path / "stores.csv", "store_id,name\nL07,\n")
    write(tmp_path / "orders.csv", ORDER_HEADER + "P7,C7,L07,2026-05-10T15:30:00Z,5.00,\n")
    stores, orders = import_directory(InMemoryUnitOfWork(), tmp_path, skip_invalid=True)
    assert (stores.rejected, orders.rejected) == (1, 1)


def test_the_references_are_read_from_the_store_too(tmp_path: Path) -> None:
    uow = InMemoryUnitOfWork()
    with uow:
        uow.stores.add(Store(store_id="L07", name="Nova"))
        uow.sellers.add(Seller(code="V07", name="Vera", store_id="L07"))
        uow.customers.add(
            Customer(customer_id="C7", name="Rita", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
        )
    import_file(
        uow,
        write(tmp_path / "orders.csv", ORDER_HEADER + "P7,C7,L07,2026-05-10T15:30:00Z,5.00,V07\n"),
    )
    consent = CONSENT_HEADER + ",C7,sms,true,2026-05-10T14:00:00Z,,\n"
    assert import_file(uow, write(tmp_path / "consent.csv", consent)).imported == 1


def test_check_references_must_be_a_bool(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="check_references must be True or False"):
        import_file(InMemoryUnitOfWork(), ATTENDANCE / "consent.csv", check_references="no")  # type: ignore[arg-type]


# duplicates within a file ---------------------------------------------------------------


def test_an_id_twice_in_a_file_is_counted_and_the_last_row_wins(tmp_path: Path) -> None:
    text = (
        ORDER_HEADER
        + "P1,C001,L01,2026-05-10T15:30:00-03:00,10.00,V01\n"
        + "P2,C001,L01,2026-05-10T15:30:00-03:00,20.00,V01\n"
        + "P1,C001,L01,2026-05-10T15:30:00-03:00,30.00,V01\n"
        + "P1,C001,L01,2026-05-10T15:30:00-03:00,40.00,V01\n"
    )
    path = write(tmp_path / "orders.csv", text)
    for batch_size in (1, 2, 5000):
        uow = brand()
        summary = import_file(uow, path, batch_size=batch_size)
        assert counts(summary) == (4, 2, 0, 2)
        with uow:
            assert str(uow.orders.get("P1").total) == "40.00"
    assert format_summary(summary).startswith(
        "orders.csv: 4 rows read, 2 imported, 0 rejected, 2 duplicates in "
    )
    skipped = import_file(brand(), path, skip_invalid=True)
    assert counts(skipped) == (4, 2, 0, 2)


def test_an_event_repeated_with_other_content_is_a_row_error(tmp_path: Path) -> None:
    text = (
        CONSENT_HEADER
        + "E1,C001,sms,true,2026-05-10T14:00:00-03:00,,\n"
        + "E1,C001,sms,true,2026-05-10T17:00:00Z,,\n"  # the same instant: the same row
        + "E1,C001,sms,false,2026-05-10T14:00:00-03:00,,\n"
    )
    path = write(tmp_path / "consent.csv", text)
    with pytest.raises(ImportRejected) as info:
        import_file(brand(), path)
    [error] = info.value.errors
    assert str(error) == (
        "consent.csv line 4: event_id is repeated with different content (first on line 2);"
        " consent rows are never replaced, got 'E1'"
    )
    uow = brand()
    summary = import_file(uow, path, skip_invalid=True)
    assert counts(summary) == (3, 1, 1, 1)
    with uow:
        [event] = uow.consent.iter_all()
    assert event.granted is True


def test_the_summary_prints_duplicates_only_when_there_are_some() -> None:
    summary = ImportSummary(
        file=Path("consent.csv"),
        kind=RecordKind.CONSENT,
        format=FileFormat.CSV,
        rows_read=2,
        imported=1,
        rejected=0,
        duplicates=1,
        seconds=0.0,
    )
    assert (
        format_summary(summary)
        == "consent.csv: 2 rows read, 1 imported, 0 rejected, 1 duplicate in 0.0 s"
    )


# the command line -----------------------------------------------------------------------


def test_the_command_line_checks_references_unless_told_not_to(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "db", "upgrade", db)[0] == 0
    path = write(tmp_path / "orders.csv", ORDER_HEADER + "P1,C1,L99,2026-05-10T15:30:00Z,1.00,\n")
    code, out, err = run(capsys, "import", str(path), "--db", db)
    assert code == 1
    assert "orders.csv line 2: store_id is not a known store" in err
    assert "Traceback" not in out + err
    code, out, _ = run(capsys, "import", str(path), "--db", db, "--no-check-references")
    assert code == 0
    assert "1 imported" in out


def test_the_report_lists_reference_errors(tmp_path: Path) -> None:
    path = write(tmp_path / "orders.csv", ORDER_HEADER + "P1,C1,L99,2026-05-10T15:30:00Z,1.00,\n")
    summary = import_file(InMemoryUnitOfWork(), path, skip_invalid=True)
    assert summary.report_path is not None
    with summary.report_path.open(encoding="utf-8", newline="") as f:
        [row] = list(csv.DictReader(f))
    assert (row["line"], row["field"], row["value"]) == ("2", "store_id", "L99")


def test_a_contact_value_round_trips_through_its_cells() -> None:
    contact = Contact(
        contact_id="A1",
        seller_code="V01",
        customer_id="C1",
        channel=ContactChannel.SMS,
        started_at=datetime(2026, 5, 10, 12, tzinfo=UTC),
        finished_at=datetime(2026, 5, 10, 12, tzinfo=UTC),
        products_offered=("A|B",),
        in_portfolio=True,
    )
    from otocore.importing import to_cells

    with pytest.raises(ValidationError, match=r"products_offered\[0\] cannot be written"):
        to_cells(contact)


# golden vectors of derived ids ------------------------------------------------------------

VECTORS = Path(__file__).resolve().parents[1] / "vectors" / "import_ids"


def _vectors() -> list[Path]:
    return sorted(VECTORS.glob("*.json"))


def test_there_are_id_vectors_with_unique_descriptions() -> None:
    found = [json.loads(p.read_text(encoding="utf-8")) for p in _vectors()]
    assert len(found) >= 7
    assert len({v["description"] for v in found}) == len(found)
    for path, vector in zip(_vectors(), found, strict=True):
        assert vector["format"] == "otocore-import-id-vector/1"
        text = json.dumps(vector, indent=2, ensure_ascii=False) + "\n"
        assert path.read_text(encoding="utf-8") == text


@pytest.mark.parametrize("path", _vectors(), ids=lambda p: p.stem)
def test_derived_ids_match_the_golden_vectors(path: Path, tmp_path: Path) -> None:
    """``otocore-import-id-vector/1``: each of ``rows`` (cells as a file holds them, null =
    empty) of ``kind`` imports with the id ``expected_id``; when derived, that id is
    ``"import:"`` + the first 32 hex digits of SHA-256 of ``canonical`` (UTF-8), the text
    docs/import.md defines, checked here with hashlib alone.
    """
    vector = json.loads(path.read_text(encoding="utf-8"))
    kind = RecordKind(vector["kind"])
    if vector["canonical"] is not None:
        digest = hashlib.sha256(vector["canonical"].encode("utf-8")).hexdigest()
        assert vector["expected_id"] == "import:" + digest[:32]
    file = tmp_path / f"{kind.value}.csv"
    with file.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(vector["rows"][0]))
        writer.writeheader()
        writer.writerows(vector["rows"])
    uow = InMemoryUnitOfWork()
    summary = import_file(uow, file, check_references=False)
    assert summary.imported == 1
    assert summary.duplicates == len(vector["rows"]) - 1
    with uow:
        if kind is RecordKind.CONTACTS:
            ids = [c.contact_id for c in uow.contacts.iter_since(datetime.min.replace(tzinfo=UTC))]
        else:
            ids = [e.event_id for e in getattr(uow, kind.value).iter_all()]
    assert ids == [vector["expected_id"]]


def test_a_later_file_on_the_command_line_may_name_an_earlier_files_rows(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "db", "upgrade", db)[0] == 0
    stores = write(tmp_path / "stores.csv", "store_id,name\nL07,Nova\n")
    orders = write(tmp_path / "orders.csv", ORDER_HEADER + "P1,C1,L07,2026-05-10T15:30:00Z,1.00,\n")
    code, out, err = run(capsys, "import", str(stores), str(orders), "--db", db)
    assert (code, err.strip()) == (0, "")  # the transient progress bar leaves blank lines
    assert "orders.csv: 1 row read, 1 imported, 0 rejected" in out
