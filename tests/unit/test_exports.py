"""Customer exports (issue 15): the file, the e-mailed link, its redemption, the access hook.

Worked examples on the memory store and on SQLite; the property tests (exactly the
customers of the query, in both formats, back through the import) are in
tests/property/test_exports.py, the stores' part in the storage contract
(otocore.testing.storage.ExportsContract).
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest

from otocore.access import Principal
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.adapters.sql import open_database
from otocore.auth import Account, Role, hash_token, normalize_login_email
from otocore.clock import FixedClock
from otocore.customers import Cpf, Customer, Email, Loyalty, MaritalStatus, Mobile, Sex
from otocore.errors import DownloadRefused, OtocoreError, PermissionDenied, ValidationError
from otocore.exporting import (
    AllCustomers,
    CustomerIds,
    ExportService,
    FilterSelection,
    write_customers,
)
from otocore.exports import (
    COLUMNS,
    ExportAccess,
    ExportAction,
    ExportFormat,
    ExportPolicy,
    ExportRecord,
    customer_cells,
)
from otocore.filters import SexIn
from otocore.importing import RecordKind, import_file
from otocore.importing._rows import SCHEMAS
from otocore.ledger import LogKey, LogKeyring
from otocore.mail import MessageKind
from otocore.repositories import UnitOfWork

AT = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
ADMIN = Principal(account_id="u-admin", roles={Role.BRAND_ADMIN})
OTHER_ADMIN = Principal(account_id="u-other", roles={Role.BRAND_ADMIN})
SELLER = Principal(account_id="u-seller", roles={Role.SELLER}, store_id="L01", seller_code="V01")


def _customers() -> list[Customer]:
    return [
        Customer(
            customer_id="C1",
            name="Ana Souza",
            registered_at=datetime(2025, 3, 1, 15, 0, tzinfo=UTC),
            cpf=Cpf("52998224725"),
            rg="12.345.678-9",
            birth_date=date(1990, 5, 10),
            email=Email("ana@example.com"),
            mobile=Mobile("+5511987654321"),
            sex=Sex.FEMALE,
            marital_status=MaritalStatus.STABLE_UNION,
            home_store_id="L01",
            loyalty=Loyalty(program="Clube", category="Ouro"),
        ),
        Customer(
            customer_id="C2",
            name="Bruno <&> Lima",
            registered_at=datetime(2025, 4, 2, tzinfo=UTC),
            mobile=Mobile("+16502530000"),
            sex=Sex.MALE,
        ),
        Customer(customer_id="C3", name="Carla", registered_at=datetime(2025, 5, 3, tzinfo=UTC)),
    ]


class Recorder:
    """The data-access log's stand-in: keeps every event it is given."""

    def __init__(self) -> None:
        self.events: list[ExportAccess] = []

    def __call__(self, uow: UnitOfWork, event: ExportAccess) -> None:
        self.events.append(event)


class World:
    def __init__(self, folder: Path, *, sql: bool = False) -> None:
        if sql:
            self.database: Any = open_database(f"sqlite:///{folder / 'brand.sqlite'}", upgrade=True)
        else:
            self.database = InMemoryDatabase()
        self.folder = folder / "exports"
        self.folder.mkdir()
        self.mailer = InMemoryMailer()
        self.clock = FixedClock(AT)
        self.log = Recorder()
        with self.database.unit_of_work() as uow:
            for account_id, email, roles in (
                ("u-admin", "admin@example.com", {Role.BRAND_ADMIN}),
                ("u-other", "other@example.com", {Role.BRAND_ADMIN}),
            ):
                uow.accounts.add(
                    Account(
                        account_id=account_id,
                        email=normalize_login_email(email),
                        roles=roles,
                    )
                )
            uow.customers.add_many(_customers())
        self.service = self.make_service()

    def make_service(self, **changes: Any) -> ExportService:
        arguments: dict[str, Any] = {
            "mailer": self.mailer,
            "clock": self.clock,
            "policy": ExportPolicy(base_url="https://admin.example.com/"),
            "directory": self.folder,
            "record_access": self.log,
        }
        arguments.update(changes)
        return ExportService(self.database.unit_of_work, **arguments)

    def token(self, n: int = -1) -> str:
        link = self.mailer.outbox[n].body.split()
        url = next(word for word in link if word.startswith("https://"))
        return parse_qs(urlsplit(url).query)["token"][0]

    def records(self) -> list[ExportRecord]:
        with self.database.unit_of_work() as uow:
            return uow.exports.list()


@pytest.fixture(params=["memory", "sqlite"])
def world(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[World]:
    made = World(tmp_path, sql=request.param == "sqlite")
    yield made
    if request.param == "sqlite":
        made.database.close()


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f, delimiter=";"))


def _xlsx_rows(path: Path) -> list[tuple[Any, ...]]:
    book = openpyxl.load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in book["clientes"].iter_rows(values_only=True)]
    finally:
        book.close()


# the file ------------------------------------------------------------------------------


def test_the_columns_are_the_names_the_customer_import_reads() -> None:
    assert set(COLUMNS) == set(SCHEMAS["customers"].columns)
    assert len(COLUMNS) == len(SCHEMAS["customers"].columns)


def test_a_customers_cells_are_formatted_as_brazilians_write_them() -> None:
    ana, bruno, carla = _customers()
    assert customer_cells(ana) == (
        "C1",
        "Ana Souza",
        "529.982.247-25",
        "12.345.678-9",
        "1990-05-10",
        "ana@example.com",
        "(11) 98765-4321",
        "female",
        "stable_union",
        "L01",
        "Clube",
        "Ouro",
        "",
        "2025-03-01T15:00:00+00:00",
    )
    assert customer_cells(bruno)[6] == "+16502530000"  # not Brazilian: E.164
    assert customer_cells(carla)[2:13] == ("",) * 11


def test_the_mobile_cell_is_what_phonenumbers_writes_for_a_brazilian_number() -> None:
    for typed in ("21 99876-5432", "(11) 91234-0000", "+55 85 98888 7777"):
        mobile = Mobile.parse(typed)
        someone = Customer(customer_id="C", name="N", registered_at=AT, mobile=mobile)
        assert customer_cells(someone)[6] == mobile.formatted


def test_the_csv_file_is_utf8_with_a_bom_semicolons_and_crlf(tmp_path: Path) -> None:
    path = tmp_path / "clientes.csv"
    assert write_customers(path, _customers(), file_format=ExportFormat.CSV) == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf" + ";".join(COLUMNS).encode() + b"\r\n")
    rows = _csv_rows(path)
    assert rows[1][1] == "Ana Souza"
    assert rows[2][1] == "Bruno <&> Lima"
    assert [r[0] for r in rows[1:]] == ["C1", "C2", "C3"]


def test_the_xlsx_file_holds_text_cells_only(tmp_path: Path) -> None:
    path = tmp_path / "clientes.xlsx"
    weird = Customer(customer_id="C4", name="=HYPERLINK(1) +55 &amp;", registered_at=AT)
    assert write_customers(path, [*_customers(), weird], file_format=ExportFormat.XLSX) == 4
    rows = _xlsx_rows(path)
    assert rows[0] == COLUMNS
    assert rows[1] == tuple(
        cell or None for cell in customer_cells(_customers()[0])
    )  # empty: no cell
    assert rows[2][1] == "Bruno <&> Lima"
    assert rows[4][1] == "=HYPERLINK(1) +55 &amp;"  # a string, never a formula
    book = openpyxl.load_workbook(path)
    cell = book["clientes"]["B5"]
    assert cell.data_type == "s"
    book.close()


def test_progress_is_reported_by_thousands_and_at_the_end(tmp_path: Path) -> None:
    many = [Customer(customer_id=f"C{n:05d}", name="Ana", registered_at=AT) for n in range(2500)]
    for file_format in ExportFormat:
        seen: list[int] = []
        path = tmp_path / f"many.{file_format.value}"
        assert write_customers(path, many, file_format=file_format, on_progress=seen.append) == 2500
        assert seen == [1000, 2000, 2500]


def test_a_failure_while_writing_leaves_no_file(tmp_path: Path) -> None:
    class Boom(Exception):
        pass

    def failing() -> Iterator[Customer]:
        yield from _customers()
        raise Boom

    for file_format in ExportFormat:
        path = tmp_path / f"clientes.{file_format.value}"
        with pytest.raises(Boom):
            write_customers(path, failing(), file_format=file_format)
        assert list(tmp_path.iterdir()) == []


def test_an_unwritable_folder_is_one_otocore_error(tmp_path: Path) -> None:
    with pytest.raises(OtocoreError, match="cannot write the export here"):
        write_customers(tmp_path / "missing" / "x.csv", [], file_format=ExportFormat.CSV)


# the request -----------------------------------------------------------------------------


def test_a_request_writes_the_file_records_it_and_mails_the_requester(world: World) -> None:
    receipt = world.service.request(ADMIN, AllCustomers(), file_format=ExportFormat.CSV)
    assert receipt.count == 3
    assert receipt.path.parent == world.folder
    assert receipt.path.name.endswith("-clientes.csv")
    assert [r[0] for r in _csv_rows(receipt.path)[1:]] == ["C1", "C2", "C3"]
    # the e-mail: to the requester's own login e-mail, the link from the configured address
    [message] = world.mailer.outbox
    assert message.kind is MessageKind.EXPORT_READY
    assert str(message.to) == "admin@example.com"
    assert "https://admin.example.com/exportacoes/download?token=" in message.body
    token = world.token()
    assert len(token) == 43  # 256 random bits, URL-safe base64
    # the record: the hash, never the token
    [record] = world.records()
    assert record.token_hash == hash_token(token)
    assert token not in repr(record)
    assert (record.account_id, record.count, record.query) == ("u-admin", 3, "all customers")
    assert record.expires_at == AT + timedelta(hours=24)
    assert token not in repr(receipt)
    # the access log
    assert world.log.events == [
        ExportAccess(
            action=ExportAction.REQUESTED,
            account_id="u-admin",
            at=AT,
            export_id=record.export_id,
            query="all customers",
            count=3,
        )
    ]


def test_a_role_that_may_not_export_writes_nothing(world: World) -> None:
    with pytest.raises(PermissionDenied, match="may not export customers"):
        world.service.request(SELLER, AllCustomers(), file_format=ExportFormat.XLSX)
    assert list(world.folder.iterdir()) == []
    assert world.records() == []
    assert world.mailer.outbox == []
    assert world.log.events == []


def test_a_failing_access_log_undoes_the_export(world: World) -> None:
    def refuse(uow: UnitOfWork, event: ExportAccess) -> None:
        raise OtocoreError("the data-access log is down")

    service = world.make_service(record_access=refuse)
    with pytest.raises(OtocoreError, match="the data-access log is down"):
        service.request(ADMIN, AllCustomers(), file_format=ExportFormat.CSV)
    assert list(world.folder.iterdir()) == []
    assert world.records() == []
    assert world.mailer.outbox == []


def test_a_mail_failure_says_the_export_was_kept(world: World) -> None:
    class DownMailer:
        def send(self, message: object) -> None:
            raise ConnectionRefusedError("smtp down")

    service = world.make_service(mailer=DownMailer())
    with pytest.raises(
        OtocoreError, match=r"was written \(3 customers\), but its link could not be e-mailed"
    ):
        service.request(ADMIN, AllCustomers(), file_format=ExportFormat.CSV)
    assert len(world.records()) == 1


def test_ids_select_the_stored_ones(world: World) -> None:
    receipt = world.service.request(
        ADMIN, CustomerIds(["C3", "C9", "C1"]), file_format=ExportFormat.XLSX
    )
    assert receipt.count == 2
    assert [r[0] for r in _xlsx_rows(receipt.path)[1:]] == ["C1", "C3"]
    assert world.records()[0].query == "a selection of 3 customer ids"


def test_a_filter_selects_its_audience(world: World) -> None:
    selection = FilterSelection(filter=SexIn([Sex.FEMALE]), on=date(2026, 5, 4))
    receipt = world.service.request(ADMIN, selection, file_format=ExportFormat.CSV, page_size=1)
    assert [r[0] for r in _csv_rows(receipt.path)[1:]] == ["C1"]
    assert world.records()[0].query == 'filter {"sex_in": ["female"]} on 2026-05-04'


def test_the_user_given_name_cannot_leave_the_export_directory(world: World) -> None:
    receipt = world.service.request(
        ADMIN, AllCustomers(), file_format=ExportFormat.CSV, name="../../etc/pass wd.csv"
    )
    assert receipt.path.parent == world.folder
    assert receipt.path.name.endswith("-pass_wd.csv")


def test_the_link_comes_from_the_policy_never_from_anything_else() -> None:
    with pytest.raises(
        ValidationError, match=r"ExportPolicy\.base_url must be an https:// address"
    ):
        ExportPolicy(base_url="https://admin.example.com/?next=evil")
    with pytest.raises(ValidationError, match=r"ExportPolicy\.link_ttl must be a timedelta"):
        ExportPolicy(base_url="https://admin.example.com", link_ttl=timedelta(days=8))
    with pytest.raises(ValidationError, match=r"ExportPolicy\.roles must not be empty"):
        ExportPolicy(base_url="https://admin.example.com", roles=[])


# the download ------------------------------------------------------------------------------


def _requested(world: World) -> tuple[str, Path]:
    receipt = world.service.request(ADMIN, AllCustomers(), file_format=ExportFormat.CSV)
    return world.token(), receipt.path


def test_the_requester_downloads_the_file_and_may_again_until_it_expires(world: World) -> None:
    token, path = _requested(world)
    world.clock.advance(timedelta(hours=1))
    assert world.service.download(token, ADMIN) == path
    world.clock.advance(timedelta(hours=2))
    assert world.service.download(token, ADMIN) == path  # not single-use: a retry works
    [record] = world.records()
    assert (record.downloads, record.downloaded_at) == (2, AT + timedelta(hours=3))
    assert [e.action for e in world.log.events] == [
        ExportAction.REQUESTED,
        ExportAction.DOWNLOADED,
        ExportAction.DOWNLOADED,
    ]
    assert world.log.events[1].count == 3


def _refused(world: World, token: object, principal: Principal) -> str:
    with pytest.raises(DownloadRefused) as refused:
        world.service.download(token, principal)  # type: ignore[arg-type]
    assert str(refused.value) == (
        "the download link is invalid, has expired or is not yours; ask for a new export"
    )
    last = world.log.events[-1]
    assert last.action is ExportAction.REFUSED
    assert last.account_id == principal.account_id
    assert last.reason == refused.value.reason
    return refused.value.reason


def test_an_expired_link_is_refused(world: World) -> None:
    token, _ = _requested(world)
    world.clock.advance(timedelta(hours=24))
    assert _refused(world, token, ADMIN) == "expired"
    assert world.records()[0].downloads == 0


def test_another_user_cannot_use_the_link(world: World) -> None:
    token, _ = _requested(world)
    assert _refused(world, token, OTHER_ADMIN) == "other_account"
    assert world.records()[0].downloads == 0


def test_a_tampered_or_foreign_token_is_refused(world: World) -> None:
    token, _ = _requested(world)
    tampered = ("B" if token[0] != "B" else "C") + token[1:]
    assert _refused(world, tampered, ADMIN) == "unknown"
    assert _refused(world, token + "x", ADMIN) == "unknown"
    assert _refused(world, "", ADMIN) == "unknown"
    assert _refused(world, None, ADMIN) == "unknown"
    assert world.log.events[-1].export_id is None


def test_a_removed_file_is_refused(world: World) -> None:
    token, path = _requested(world)
    path.unlink()
    assert _refused(world, token, ADMIN) == "file_missing"


def test_the_token_is_drawn_from_the_random_source(world: World) -> None:
    draws: list[int] = []

    def rng(n: int) -> bytes:
        draws.append(n)
        return bytes([len(draws)]) * n

    service = world.make_service(rng_bytes=rng)
    service.request(ADMIN, AllCustomers(), file_format=ExportFormat.CSV)
    assert draws == [16, 32]
    token = world.token()
    assert world.records()[0].token_hash == hashlib.sha256(token.encode()).hexdigest()


# back through the import -------------------------------------------------------------------


@pytest.mark.parametrize("file_format", list(ExportFormat))
def test_an_export_imports_back_into_the_same_customers(
    tmp_path: Path, file_format: ExportFormat
) -> None:
    path = tmp_path / f"clientes.{file_format.value}"
    write_customers(path, _customers(), file_format=file_format)
    database = InMemoryDatabase()
    summary = import_file(database.unit_of_work(), path, RecordKind.CUSTOMERS)
    assert summary.imported == 3
    with database.unit_of_work() as uow:
        assert uow.customers.list() == _customers()


# the docs' example ------------------------------------------------------------------------

DOCS = Path(__file__).resolve().parents[2] / "docs" / "exports.md"


@pytest.mark.source_tree
def test_the_docs_example_runs_and_prints_what_the_page_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = DOCS.read_text(encoding="utf-8")
    code = text.split("```python\n", 1)[1].split("```", 1)[0]
    printed = text.split("```text\n", 1)[1].split("```", 1)[0]
    exec(compile(code, str(DOCS), "exec"), {})  # noqa: S102 - the page's own example
    assert capsys.readouterr().out == printed


def test_bad_selections_name_the_field() -> None:
    with pytest.raises(ValidationError, match=r"CustomerIds\.customer_ids\[1\] must be a string"):
        CustomerIds(["C1", 2, "C3"])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="must be an iterable of ids"):
        CustomerIds("C1")
    with pytest.raises(ValidationError, match=r"filter must be a filter \(a node of otocore"):
        FilterSelection(filter="sex_in", on=date(2026, 5, 4))  # type: ignore[arg-type]


# the data-access log ---------------------------------------------------------------------


@pytest.mark.parametrize("store", ["memory", "sqlite"])
def test_by_default_every_request_download_and_refusal_is_in_the_data_access_log(
    store: str, tmp_path: Path
) -> None:
    from otocore.history import AccessAction, verify_access_log
    from otocore.ledger import LogKey, LogKeyring

    keys = LogKeyring.of(LogKey(key_id="k1", secret=bytes(range(32))))
    world = World(tmp_path, sql=store == "sqlite")
    if store == "sqlite":
        world.database.close()
    world.database = (
        open_database(f"sqlite:///{tmp_path / 'brand.sqlite'}", log_keys=keys)
        if store == "sqlite"
        else InMemoryDatabase(log_keys=keys)
    )
    if store == "memory":  # a new memory store: its accounts and customers again
        world.folder = tmp_path / "exports-memory"
        world.folder.mkdir()
        with world.database.unit_of_work() as uow:
            for account_id, email in (
                ("u-admin", "admin@example.com"),
                ("u-other", "other@example.com"),
            ):
                uow.accounts.add(
                    Account(
                        account_id=account_id,
                        email=normalize_login_email(email),
                        roles={Role.BRAND_ADMIN},
                    )
                )
            uow.customers.add_many(_customers())
    service = ExportService(
        world.database.unit_of_work,
        mailer=world.mailer,
        clock=world.clock,
        policy=ExportPolicy(base_url="https://admin.example.com/"),
        directory=world.folder,
    )
    selection = CustomerIds(["C1"], description="registry search: cpf 529.982.247-25")
    receipt = service.request(ADMIN, selection, file_format=ExportFormat.CSV)
    token = world.token()
    assert service.download(token, ADMIN) == receipt.path
    with pytest.raises(DownloadRefused, match=r"the download link is invalid"):
        service.download(token, OTHER_ADMIN)
    with world.database.unit_of_work() as uow:
        entries = list(uow.access_log.iter_all())
    assert [(e.action, e.actor, e.customers) for e in entries] == [
        (AccessAction.EXPORT_REQUESTED, "u-admin", 1),
        (AccessAction.EXPORT_DOWNLOADED, "u-admin", 1),
        (AccessAction.EXPORT_REFUSED, "u-other", 0),
    ]
    assert all(receipt.export_id in e.detail for e in entries[:2])
    assert entries[2].detail.endswith("other_account")
    for entry in entries:  # the query named a CPF: the log keeps it masked
        assert "52998224725" not in entry.query.replace(".", "").replace("-", "")
    assert "***.982.247-**" in entries[0].query
    assert verify_access_log(entries, keys=keys).ok
    if store == "sqlite":
        world.database.close()


def test_an_export_id_has_no_digit_so_the_access_log_never_masks_it(tmp_path: Path) -> None:
    # a hex id holds a run of 11 digits with valid CPF check digits once in a few hundred
    # exports; the data-access log masks every CPF, so such an id lost its link to the log
    cpf_like = bytes.fromhex("52998224725000000000000000000000" * 2)
    world_ids: list[str] = []
    for rng in (lambda n: cpf_like[:n], lambda n: b"\x01" * n):
        database = InMemoryDatabase(
            log_keys=LogKeyring.of(LogKey(key_id="k1", secret=bytes(range(32))))
        )
        with database.unit_of_work() as uow:
            uow.accounts.add(
                Account(
                    account_id="u-admin",
                    email=normalize_login_email("admin@example.com"),
                    roles={Role.BRAND_ADMIN},
                )
            )
            uow.customers.add_many(_customers())
        folder = tmp_path / f"exports-{len(world_ids)}"
        folder.mkdir()
        service = ExportService(
            database.unit_of_work,
            mailer=InMemoryMailer(),
            clock=FixedClock(AT),
            policy=ExportPolicy(base_url="https://admin.example.com/"),
            directory=folder,
            rng_bytes=rng,
        )
        receipt = service.request(ADMIN, AllCustomers(), file_format=ExportFormat.CSV)
        assert not any(c.isdigit() for c in receipt.export_id)
        with database.unit_of_work() as uow:
            [entry] = uow.access_log.iter_all()
        assert receipt.export_id in entry.detail
        world_ids.append(receipt.export_id)
    assert world_ids[0] != world_ids[1]
