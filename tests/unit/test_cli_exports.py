"""``otocore customers export`` and ``otocore customers download`` (issue 15), on SQLite.

The export writes the file under --export-dir and e-mails the link (here as .eml files in
--mail-to-dir); the token is never printed. The download works for the requester only;
every refusal and every usage error is one line.
"""

from __future__ import annotations

import csv
import email
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest

from _support.cli import keyed_brand
from _support.cli import run as _run
from otocore.auth import Account, Role, normalize_login_email
from otocore.customers import Customer, Sex

ADMIN = "admin@example.com"
OTHER = "other@example.com"
SELLER = "seller@example.com"


@pytest.fixture
def brand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    # the exports write the data-access log, which is MAC-chained: the brand's log key
    db, database = keyed_brand(tmp_path, monkeypatch)
    with database.unit_of_work() as uow:
        for n, sex in ((1, Sex.FEMALE), (2, Sex.MALE), (3, Sex.FEMALE)):
            uow.customers.add(
                Customer(
                    customer_id=f"C{n}",
                    name=f"Cliente {n}",
                    registered_at=datetime(2025, 1, n, tzinfo=UTC),
                    sex=sex,
                )
            )
        for account_id, login, roles, extra in (
            ("u-admin", ADMIN, {Role.BRAND_ADMIN}, {}),
            ("u-other", OTHER, {Role.BRAND_ADMIN}, {}),
            ("u-seller", SELLER, {Role.SELLER}, {"seller_code": "V01", "store_id": "L01"}),
        ):
            uow.accounts.add(
                Account(
                    account_id=account_id,
                    email=normalize_login_email(login),
                    roles=roles,
                    **extra,
                )
            )
    database.close()
    exports, mail = tmp_path / "exports", tmp_path / "mail"
    exports.mkdir()
    mail.mkdir()
    return {
        "db": str(db),
        "exports": str(exports),
        "mail": str(mail),
        "tmp": str(tmp_path),
    }


def _export_args(brand: dict[str, str], *extra: str, actor: str = ADMIN) -> list[str]:
    return [
        "customers", "export", "--db", brand["db"], "--as", actor,
        "--export-dir", brand["exports"], "--mail-to-dir", brand["mail"],
        "--mail-from", "oto@example.com", "--app-url", "https://admin.example.com",
        *extra,
    ]  # fmt: skip


def _token(brand: dict[str, str]) -> str:
    [eml] = sorted(Path(brand["mail"]).iterdir())
    message = email.message_from_bytes(eml.read_bytes())
    assert message["To"] == ADMIN
    body = message.get_payload(decode=True)
    assert isinstance(body, bytes)
    found = re.search(
        r"https://admin\.example\.com/exportacoes/download\?token=(\S+)", body.decode()
    )
    assert found is not None
    return found.group(1)


def test_export_then_download_as_the_requester(
    capsys: pytest.CaptureFixture[str], brand: dict[str, str]
) -> None:
    code, out, err = _run(capsys, *_export_args(brand, "--out", "clientes.xlsx"))
    assert code == 0, err
    assert out.startswith("exported 3 customers to ")
    assert f"the download link was e-mailed to {ADMIN}" in out
    token = _token(brand)
    assert token not in out + err
    [written] = Path(brand["exports"]).iterdir()
    assert written.name.endswith("-clientes.xlsx")
    target = Path(brand["tmp"]) / "baixado.xlsx"
    code, out, err = _run(
        capsys, "customers", "download", "--db", brand["db"], "--as", ADMIN,
        "--export-dir", brand["exports"], "--out", str(target), "--", token,
    )  # fmt: skip
    assert code == 0, err
    assert out == f"downloaded the export to {target}\n"
    assert token not in out + err
    # the whole link, pasted from the e-mail, works too (and again: the link is not single-use)
    again = Path(brand["tmp"]) / "de-novo.xlsx"
    link = f"https://admin.example.com/exportacoes/download?token={token}"
    code, out, err = _run(
        capsys, "customers", "download", link, "--db", brand["db"], "--as", ADMIN,
        "--export-dir", brand["exports"], "--out", str(again),
    )  # fmt: skip
    assert code == 0, err
    assert again.read_bytes() == target.read_bytes()
    book = openpyxl.load_workbook(target, read_only=True)
    rows = [r[0] for r in book["clientes"].iter_rows(values_only=True)]
    book.close()
    assert rows == ["customer_id", "C1", "C2", "C3"]


def test_a_filter_from_json_or_a_file_selects_the_audience(
    capsys: pytest.CaptureFixture[str], brand: dict[str, str]
) -> None:
    code, out, err = _run(
        capsys, *_export_args(brand, "--out", "mulheres.csv", "--filter", '{"sex_in": ["female"]}', "--json")
    )  # fmt: skip
    assert code == 0, err
    receipt = json.loads(out)
    assert receipt["count"] == 2
    assert "token" not in out
    with Path(receipt["file"]).open(encoding="utf-8-sig", newline="") as f:
        assert [r[0] for r in csv.reader(f, delimiter=";")] == ["customer_id", "C1", "C3"]
    path = Path(brand["tmp"]) / "homens.json"
    path.write_text('{"sex_in": ["male"]}', encoding="utf-8")
    code, out, err = _run(
        capsys, *_export_args(brand, "--out", "homens.csv", "--filter", str(path), "--json")
    )
    assert code == 0, err
    assert json.loads(out)["count"] == 1


def test_another_user_or_a_bad_token_is_one_line(
    capsys: pytest.CaptureFixture[str], brand: dict[str, str]
) -> None:
    assert _run(capsys, *_export_args(brand, "--out", "clientes.csv"))[0] == 0
    token = _token(brand)
    for actor, presented in (
        (OTHER, token),
        (ADMIN, token[:-1] + "A" if token[-1] != "A" else token[:-1] + "B"),
    ):
        target = Path(brand["tmp"]) / f"x-{actor}.csv"
        code, out, err = _run(
            capsys, "customers", "download", "--db", brand["db"], "--as", actor,
            "--export-dir", brand["exports"], "--out", str(target), "--", presented,
        )  # fmt: skip
        assert (code, out) == (1, "")
        assert err == (
            "error: the download link is invalid, has expired or is not yours;"
            " ask for a new export\n"
        )
        assert not target.exists()


def test_a_seller_may_not_export(capsys: pytest.CaptureFixture[str], brand: dict[str, str]) -> None:
    code, out, err = _run(capsys, *_export_args(brand, "--out", "c.csv", actor=SELLER))
    assert (code, out) == (1, "")
    assert err.startswith("error: account 'u-seller' may not export customers (needs: brand_admin)")
    assert list(Path(brand["exports"]).iterdir()) == []


def test_usage_errors(capsys: pytest.CaptureFixture[str], brand: dict[str, str]) -> None:
    args = _export_args(brand, "--out", "c.csv")
    no_dir = [a for a in args if a not in {"--export-dir", brand["exports"]}]
    code, _, err = _run(capsys, *no_dir)
    assert code == 2
    assert "pass --export-dir DIR (OTOCORE_EXPORT_DIR); nothing was exported" in err
    code, _, err = _run(capsys, *_export_args(brand, "--out", "c.ods"))
    assert (code, err) == (1, "error: --out must end in .csv or .xlsx, got 'c.ods'\n")
    code, _, err = _run(capsys, *_export_args(brand, "--out", "c.csv", "--filter", "{nope"))
    assert code == 2
    assert "--filter must be a JSON filter or the path of a file holding one" in err
    code, _, err = _run(
        capsys, *_export_args(brand, "--out", "c.csv", "--filter", '{"bought": {}}')
    )
    assert code == 1
    assert err.startswith("error: --filter.bought is not a known filter")
    code, _, err = _run(capsys, *_export_args(brand, "--out", "c.csv", "--on", "2026-05-04"))
    assert code == 2
    assert "--on is the filter's day: give it with --filter" in err
    assert list(Path(brand["exports"]).iterdir()) == []


def test_one_process_keeps_the_xlsx_writer_in_this_process(
    capsys: pytest.CaptureFixture[str], brand: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    from otocore.exporting import _writers

    started: list[object] = []
    popen = subprocess.Popen

    def spy(*args: object, **kwargs: object) -> object:
        started.append(args)
        return popen(*args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "Popen", spy)
    monkeypatch.setattr(_writers, "PROCESS_AFTER", 2)  # three customers: "a large export"
    monkeypatch.setattr(_writers, "_cpus", lambda: 2)
    for extra, processes in (((), 1), (("--one-process",), 1)):
        code, out, err = _run(capsys, *_export_args(brand, "--out", "c.xlsx", *extra))
        assert code == 0, err
        assert out.startswith("exported 3 customers to ")
        assert len(started) == processes  # the writer process by default, none with the flag
    for written in Path(brand["exports"]).iterdir():
        book = openpyxl.load_workbook(written, read_only=True)
        rows = [r[0] for r in book["clientes"].iter_rows(values_only=True)]
        book.close()
        assert rows == ["customer_id", "C1", "C2", "C3"]
