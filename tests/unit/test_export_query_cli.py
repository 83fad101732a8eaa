"""``--query`` (a registry search) for ``customers export``, ``categories add-customers`` and
``customers message``, and ``SearchSelection`` in the library (issue 15).

The issue's command line is ``otocore customers export --query ... --out FILE.xlsx`` and the
bulk actions act on "the customers of a search or a selection": the search text is read as
``otocore customers search`` reads it, and the export's data-access log entry keeps the
query as typed (CPFs masked), not the ids it found. ``--query``, ``--filter`` and ``--ids``
are exclusive; an empty query is a usage error.
"""

from __future__ import annotations

import csv
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from _support.cli import keyed_brand, run
from otocore.access import Principal
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.adapters.sql import open_database
from otocore.auth import Account, Role, normalize_login_email
from otocore.clock import FixedClock
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.customers import Cpf, Customer, Mobile, Sex
from otocore.errors import ValidationError
from otocore.exporting import ExportService, SearchSelection
from otocore.exports import ExportFormat, ExportPolicy
from otocore.ledger import LogKey, LogKeyring
from otocore.registry import SearchField

ADMIN = "admin@example.com"
WHEN = datetime(2025, 1, 1, tzinfo=UTC)


def _people() -> list[Customer]:
    return [
        Customer(
            customer_id="C1",
            name="João da Silva",
            registered_at=WHEN,
            cpf=Cpf("52998224725"),
            mobile=Mobile("+5511987654321"),
            sex=Sex.MALE,
        ),
        Customer(customer_id="C2", name="Joana Silveira", registered_at=WHEN, sex=Sex.FEMALE),
        Customer(customer_id="C3", name="Bia Lima", registered_at=WHEN, sex=Sex.FEMALE),
    ]


@pytest.fixture
def brand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    db, database = keyed_brand(tmp_path, monkeypatch)
    with database.unit_of_work() as uow:
        uow.customers.add_many(_people())
        uow.accounts.add(
            Account(
                account_id="u-admin", email=normalize_login_email(ADMIN), roles={Role.BRAND_ADMIN}
            )
        )
        uow.categories.save(_category())
        for cid in ("C1", "C2", "C3"):
            uow.consent.append(
                ConsentEvent(
                    customer_id=cid,
                    channel=ContactChannel.SMS,
                    granted=True,
                    at=WHEN,
                    source=ConsentSource.SELLER_APP,
                    recorded_by="V01",
                )
            )
    database.close()
    exports, mail = tmp_path / "exports", tmp_path / "mail"
    exports.mkdir()
    mail.mkdir()
    return {"db": str(db), "exports": str(exports), "mail": str(mail), "tmp": str(tmp_path)}


def _category() -> object:
    from otocore.categories import CustomerCategory

    return CustomerCategory("VIP", "Clientes VIP", "#c0392b")


def _export(brand: dict[str, str], *extra: str) -> list[str]:
    return [
        "customers", "export", "--db", brand["db"], "--as", ADMIN,
        "--export-dir", brand["exports"], "--mail-to-dir", brand["mail"],
        "--mail-from", "oto@example.com", "--app-url", "https://admin.example.com",
        *extra,
    ]  # fmt: skip


def _ids_in(path: str) -> list[str]:
    with Path(path).open(encoding="utf-8-sig", newline="") as f:
        return [row[0] for row in csv.reader(f, delimiter=";")][1:]


def _access_queries(db: str) -> list[tuple[str, str | None, int | None]]:
    database = open_database(db)
    try:
        with database.unit_of_work() as uow:
            return [(e.action.value, e.query, e.customers) for e in uow.access_log.iter_all()]
    finally:
        database.close()


# customers export --query ----------------------------------------------------------------


def test_export_a_search_by_name_and_the_log_keeps_the_text(
    capsys: pytest.CaptureFixture[str], brand: dict[str, str]
) -> None:
    code, out, err = run(capsys, *_export(brand, "--query", "jo sil", "--out", "s.csv", "--json"))
    assert code == 0, err
    receipt = json.loads(out)
    assert receipt["count"] == 2
    assert _ids_in(receipt["file"]) == ["C1", "C2"]
    assert _access_queries(brand["db"]) == [("export_requested", 'search "jo sil"', 2)]


def test_export_a_search_by_cpf_masks_the_cpf_in_the_log(
    capsys: pytest.CaptureFixture[str], brand: dict[str, str]
) -> None:
    code, out, err = run(
        capsys, *_export(brand, "--query", "529.982.247-25", "--field", "cpf", "--out", "c.csv", "--json")
    )  # fmt: skip
    assert code == 0, err
    assert _ids_in(json.loads(out)["file"]) == ["C1"]
    assert _access_queries(brand["db"]) == [("export_requested", 'search cpf "***.982.247-**"', 1)]


def test_export_query_and_filter_together_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], brand: dict[str, str]
) -> None:
    code, out, err = run(
        capsys, *_export(brand, "--query", "ana", "--filter", '{"sex_in": ["female"]}', "--out", "x.csv")
    )  # fmt: skip
    assert code == 2
    assert out == ""
    assert "give --query or --filter, not both" in err
    assert list(Path(brand["exports"]).iterdir()) == []


@pytest.mark.parametrize("query", ["", "   "])
def test_an_empty_export_query_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], brand: dict[str, str], query: str
) -> None:
    code, _, err = run(capsys, *_export(brand, "--query", query, "--out", "x.csv"))
    assert code == 2
    assert "--query must not be empty" in err
    assert list(Path(brand["exports"]).iterdir()) == []


def test_a_field_without_a_query_or_an_unknown_field_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], brand: dict[str, str]
) -> None:
    code, _, err = run(capsys, *_export(brand, "--field", "cpf", "--out", "x.csv"))
    assert (code, "--field says how to read --query" in err) == (2, True)
    code, _, err = run(
        capsys, *_export(brand, "--query", "ana", "--field", "cep", "--out", "x.csv")
    )
    assert (code, "--field must be one of name, cpf, rg, email, mobile, card" in err) == (2, True)
    code, _, err = run(
        capsys, *_export(brand, "--query", "ana", "--on", "2026-05-04", "--out", "x.csv")
    )
    assert (code, "--on is the filter's day" in err) == (2, True)
    assert list(Path(brand["exports"]).iterdir()) == []


def test_a_query_that_is_not_its_field_is_one_error_line_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], brand: dict[str, str]
) -> None:
    code, out, err = run(
        capsys, *_export(brand, "--query", "529.982.247-26", "--field", "cpf", "--out", "x.csv")
    )
    assert code == 1
    assert out == ""
    assert err == "error: query has wrong check digits, got '529.982.247-26'\n"
    assert list(Path(brand["exports"]).iterdir()) == []
    assert _access_queries(brand["db"]) == []


# categories add-customers / remove-customers --query ------------------------------------------


def test_categories_add_and_remove_the_customers_of_a_search(
    capsys: pytest.CaptureFixture[str], brand: dict[str, str]
) -> None:
    db = brand["db"]
    code, out, err = run(
        capsys, "categories", "add-customers", "VIP", "--query", "joao", "--as", ADMIN, "--db", db
    )
    assert (code, out.strip()) == (0, "category VIP: 1 added, 0 already in; 1 customers now"), err
    code, out, err = run(
        capsys, "categories", "add-customers", "VIP", "--query", "(11) 98765-4321",
        "--field", "mobile", "--json", "--as", ADMIN, "--db", db,
    )  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["changed"] == 0
    code, out, err = run(
        capsys, "categories", "add-customers", "VIP", "--query", "sil", "--as", ADMIN, "--db", db
    )
    assert (code, out.strip()) == (0, "category VIP: 1 added, 1 already in; 2 customers now"), err
    code, out, err = run(
        capsys,
        "categories",
        "remove-customers",
        "VIP",
        "--query",
        "joana",
        "--as",
        ADMIN,
        "--db",
        db,
    )
    assert (code, out.strip()) == (0, "category VIP: 1 removed, 0 not in it; 1 customers now"), err


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (("--query", "ana", "--ids", "C1"), "give one of --ids, --filter or --query"),
        (("--query", "ana", "--filter", '{"sex_in": ["female"]}'), "give one of --ids"),
        ((), "give one of --ids, --filter or --query"),
        (("--query", ""), "--query must not be empty"),
        (("--ids", "C1", "--field", "name"), "--field says how to read --query"),
        (("--query", "ana", "--on", "2026-05-04"), "--on is the filter's day"),
    ],
)
def test_categories_add_customers_bad_selections_are_usage_errors(
    capsys: pytest.CaptureFixture[str],
    brand: dict[str, str],
    extra: tuple[str, ...],
    message: str,
) -> None:
    code, out, err = run(
        capsys, "categories", "add-customers", "VIP", *extra, "--as", ADMIN, "--db", brand["db"]
    )
    assert code == 2
    assert out == ""
    assert message in err
    database = open_database(brand["db"])
    with database.unit_of_work() as uow:
        assert uow.categories.members("VIP") == []
    database.close()


# customers message --query ---------------------------------------------------------------------


def test_a_bulk_message_to_the_customers_of_a_search(
    capsys: pytest.CaptureFixture[str], brand: dict[str, str]
) -> None:
    outbox = Path(brand["tmp"]) / "outbox.jsonl"
    base = (
        "customers", "message", "--channel", "sms", "--text", "Oi!", "--as", ADMIN,
        "--outbox", str(outbox), "--i-accept-responsibility", "--db", brand["db"],
    )  # fmt: skip
    code, out, err = run(capsys, *base, "--query", "jo sil", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["sent"] == ["C1"]
    assert [s["customer_id"] for s in report["skipped"]] == ["C2"]  # no mobile
    code, _, err = run(capsys, *base, "--query", "jo", "--ids", "C3")
    assert (code, "give one of --ids, --filter or --query" in err) == (2, True)
    code, _, err = run(capsys, *base, "--query", " ")
    assert (code, "--query must not be empty" in err) == (2, True)
    assert len(outbox.read_text(encoding="utf-8").splitlines()) == 1


# SearchSelection in the library --------------------------------------------------------------


def test_a_search_selection_refuses_an_empty_or_malformed_query() -> None:
    with pytest.raises(ValidationError, match=r"SearchSelection\.query must not be empty"):
        SearchSelection("")
    with pytest.raises(ValidationError, match="query has wrong check digits"):
        SearchSelection("529.982.247-26", field=SearchField.CPF)
    with pytest.raises(ValidationError, match=r"SearchSelection\.field"):
        SearchSelection("ana", field="name")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"SearchSelection\.query"):
        SearchSelection(12)  # type: ignore[arg-type]


def test_the_default_access_log_keeps_the_search_text_with_cpfs_masked(tmp_path: Path) -> None:
    keys = LogKeyring.of(LogKey(key_id="k1", secret=bytes(range(32))))
    database = InMemoryDatabase(log_keys=keys)
    with database.unit_of_work() as uow:
        uow.customers.add_many(_people())
        uow.accounts.add(
            Account(
                account_id="u-admin", email=normalize_login_email(ADMIN), roles={Role.BRAND_ADMIN}
            )
        )
    service = ExportService(
        database.unit_of_work,
        mailer=InMemoryMailer(),
        clock=FixedClock(datetime(2026, 5, 4, 12, tzinfo=UTC)),
        policy=ExportPolicy(base_url="https://admin.example.com"),
        directory=tmp_path,
    )
    admin = Principal(account_id="u-admin", roles={Role.BRAND_ADMIN})
    receipt = service.request(admin, SearchSelection("52998224725"), file_format=ExportFormat.XLSX)
    assert receipt.count == 1
    with database.unit_of_work() as uow:
        [entry] = uow.access_log.iter_all()
        record = uow.exports.get(receipt.export_id)
    assert (entry.query, entry.customers) == ('search "***982247**"', 1)
    assert record.query == 'search "52998224725"'  # the record keeps it; the log masks it


@pytest.mark.source_tree
def test_the_exports_pages_search_example_prints_what_the_page_says(
    capsys: pytest.CaptureFixture[str],
) -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "exports.md"
    text = page.read_text(encoding="utf-8")
    [(code, printed)] = [
        (block.split("```", 1)[0], block.split("```text\n", 1)[1].split("```", 1)[0])
        for block in text.split("```python\n")[1:]
        if "SearchSelection(" in block.split("```", 1)[0]
    ]
    exec(compile(code, str(page), "exec"), {})  # noqa: S102 - the page's own example
    assert capsys.readouterr().out == printed
