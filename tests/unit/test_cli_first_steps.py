"""A new user's first steps on the command line (issue 12).

The bootstrap's prompts with piped input, the e-mail checked before any secret, date options
that name themselves, tables that fit the terminal, e-mails written as files, the sample brand
as files, and the demo's database, QR code and "unassigned" line.
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _support.cli import run
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.cli import app
from otocore.cli._common import console
from otocore.importing import import_file
from otocore.sample import COLUMNS, consent_events, load_bundled_brand, sample_contacts

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "cavalo correto bateria grampo"  # noqa: S105 - a test password
PIN = "482913"
SECRETS = f"{PASSWORD}\n{PASSWORD}\n{PIN}\n{PIN}\n"


@pytest.fixture
def brand(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The sample brand written as files, imported, with its daily job run for 2026-11-01."""
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "sample", "write", str(tmp_path / "sample"))[0] == 0
    assert run(capsys, "db", "upgrade", db)[0] == 0
    assert run(capsys, "import", str(tmp_path / "sample"), "--db", db)[0] == 0
    assert run(capsys, "daily", "--as-of", "2026-11-01", "--db", db)[0] == 0
    return db


def _otocore(*argv: str, stdin: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``otocore ARGV`` in a child process with ``stdin`` piped in and no terminal at all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTOCORE_")}
    return subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "-m", "otocore.cli", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
        check=False,
        start_new_session=True,  # no controlling terminal: getpass cannot read /dev/tty
    )


# the bootstrap's prompts -----------------------------------------------------------------


def test_piped_prompts_end_their_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "db", "upgrade", db)[0] == 0
    done = _otocore(
        "accounts", "create", "admin@example.com", "--bootstrap", "--db", db,
        stdin=SECRETS, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr.splitlines() == [
        "Password:",
        "Repeat for confirmation:",
        "PIN (6 digits):",
        "Repeat for confirmation:",
    ]
    assert done.stdout.startswith("brand admin ")
    assert PASSWORD not in done.stdout + done.stderr
    assert PIN not in done.stdout + done.stderr


def test_piped_input_that_ends_early_is_one_line_and_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "db", "upgrade", db)[0] == 0
    done = _otocore(
        "accounts", "create", "admin@example.com", "--bootstrap", "--db", db,
        stdin=f"{PASSWORD}\n{PASSWORD}\n", cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.splitlines()[-1] == (
        "Error: standard input ended before the answer to 'PIN (6 digits)'; nothing was created"
    )
    assert "Traceback" not in done.stderr
    assert run(capsys, "accounts", "list", "--db", db, "--json")[1].strip() == "[]"


def test_the_e_mail_is_checked_before_any_secret_is_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "db", "upgrade", db)[0] == 0
    result = CliRunner().invoke(
        app, ["accounts", "create", "admin@bad", "--bootstrap", "--db", db], input=SECRETS
    )
    assert result.exit_code == 1
    assert "login.email" in str(result.exception)
    assert "'admin@bad'" in str(result.exception)
    assert "Password" not in result.output


def test_the_pin_policy_is_checked_before_any_secret_is_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "brand.sqlite")
    assert run(capsys, "db", "upgrade", db)[0] == 0
    result = CliRunner().invoke(
        app,
        ["accounts", "create", "admin@example.com", "--bootstrap", "--pin-delivery", "sms"],
        input=SECRETS,
        env={"OTOCORE_DB": db},
    )
    assert result.exit_code == 2
    assert "--pin-delivery" in result.output
    assert "Password" not in result.output


# date options ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["daily", "--as-of", "tomorrow"], "--as-of"),
        (["suggestions", "--seller", "V005", "--date", "tomorrow"], "--date"),
        (["explain", "C000413", "--date", "tomorrow"], "--date"),
        (
            ["sellers", "deactivate", "V007", "--as-of", "tomorrow", "--as", "a@example.com"],
            "--as-of",
        ),
    ],
)
def test_date_options_name_themselves_in_their_errors(
    tmp_path: Path, argv: list[str], option: str
) -> None:
    # no database at all: the date is read first, so the error is about the date
    result = CliRunner().invoke(app, [*argv, "--db", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2
    assert f"{option}: expected YYYY-MM-DD, got 'tomorrow'" in result.output
    assert not (tmp_path / "none.sqlite").exists()


# tables fit the terminal -----------------------------------------------------------------


def test_the_console_takes_the_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    assert console().width == 60
    assert console(stderr=True).width == 60


@pytest.mark.slow  # the sample brand's 30,000 orders
def test_tables_fit_sixty_columns_and_cut_no_e_mail(
    brand: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = CliRunner().invoke(
        app,
        ["accounts", "create", "admin@example.com", "--bootstrap", "--db", brand],
        input=SECRETS,
    )
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("COLUMNS", "60")
    for argv in (
        ["accounts", "list"],
        ["sellers", "list", "--store", "L01"],
        ["customers", "show", "C000413"],
    ):
        code, out, err = run(capsys, *argv, "--db", brand)
        assert code == 0, err
        assert max(len(line) for line in out.splitlines()) <= 60, out
    code, out, _ = run(capsys, "accounts", "list", "--db", brand)
    assert "admin@example.com" in out  # folded if need be, never cut


# e-mails as files ------------------------------------------------------------------------


@pytest.mark.slow  # the sample brand's 30,000 orders
def test_mail_to_dir_writes_each_e_mail_as_a_file(
    brand: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    result = CliRunner().invoke(
        app,
        ["accounts", "create", "admin@example.com", "--bootstrap", "--db", brand],
        input=SECRETS,
    )
    assert result.exit_code == 0, result.output
    for name in ("OTOCORE_SMTP_HOST", "OTOCORE_SMTP_USER", "OTOCORE_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("OTOCORE_MAIL_FROM", "oto@example.com")
    monkeypatch.setenv("OTOCORE_APP_URL", "https://app.example.com")
    mail = tmp_path / "mail"
    code, out, err = run(
        capsys, "accounts", "create", "ana@example.com", "--role", "seller", "--seller", "V005",
        "--as", "admin@example.com", "--db", brand, "--mail-to-dir", str(mail),
    )  # fmt: skip
    assert code == 0, err
    assert f"written as a file in {mail}" in out
    monkeypatch.setenv("OTOCORE_MAIL_TO_DIR", str(mail))
    code, out, err = run(
        capsys, "accounts", "reset-pin", "ana@example.com", "--as", "admin@example.com",
        "--db", brand,
    )  # fmt: skip
    assert code == 0, err
    names = sorted(p.name for p in mail.iterdir())
    assert names == [
        "0001-welcome-ana@example.com.eml",
        "0002-new_pin-ana@example.com.eml",
        "0003-new_pin-ana@example.com.eml",
    ]
    message = email.message_from_bytes((mail / names[0]).read_bytes(), policy=email.policy.default)
    assert message["To"] == "ana@example.com"
    assert message["From"] == "oto@example.com"
    body = message.get_body()
    assert body is not None
    assert "https://app.example.com/" in body.get_content()


@pytest.mark.slow  # the sample brand's 30,000 orders
def test_without_smtp_or_a_mail_folder_the_error_names_both(
    brand: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("OTOCORE_SMTP_HOST", "OTOCORE_MAIL_TO_DIR"):
        monkeypatch.delenv(name, raising=False)
    code, _, err = run(
        capsys, "accounts", "reset-pin", "ana@example.com", "--as", "admin@example.com",
        "--db", brand, "--mail-from", "oto@example.com", "--app-url", "https://app.example.com",
    )  # fmt: skip
    assert code == 2
    assert "--smtp-host (OTOCORE_SMTP_HOST), or --mail-to-dir" in err


# the sample brand as files ---------------------------------------------------------------


def test_sample_write_writes_the_bundled_brand_and_keeps_existing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "sample"
    code, _, err = run(capsys, "sample", "write", str(folder))
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [*COLUMNS, "consent.csv", "contacts.csv", "campaigns.json"]
    )
    # the seeded opt-ins the demo records, as an import file that reads back to the same events
    uow = InMemoryUnitOfWork()
    for name in ("stores", "sellers", "customers", "orders", "consent"):
        import_file(uow, folder / f"{name}.csv")
    with uow:
        imported = sorted(
            (e.customer_id, e.channel.value, e.granted, e.at) for e in uow.consent.iter_all()
        )
    expected = consent_events(load_bundled_brand().customers)
    assert imported == sorted((e.customer_id, e.channel.value, e.granted, e.at) for e in expected)
    # and the September contact log the demo imports, which reads back to the generator's
    import_file(uow, folder / "contacts.csv")
    with uow:
        contacts = sorted(uow.contacts.iter_since(datetime(2000, 1, 1, tzinfo=UTC)),
                          key=lambda c: c.contact_id)  # fmt: skip
    assert contacts == list(sample_contacts(load_bundled_brand()))
    header = (folder / "orders.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(COLUMNS["orders.csv"])
    (folder / "stores.csv").write_text("mine\n", encoding="utf-8")
    code, _, err = run(capsys, "sample", "write", str(folder))
    assert code == 2
    assert "already exist; pass --force" in err
    assert (folder / "stores.csv").read_text(encoding="utf-8") == "mine\n"
    assert run(capsys, "sample", "write", str(folder), "--force")[0] == 0
    assert (folder / "stores.csv").read_text(encoding="utf-8").startswith("store_id,")


# the demo --------------------------------------------------------------------------------


def _table(out: str, title: str) -> list[str]:
    """The lines of the table titled ``title`` in ``out``, title to bottom border."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == title)
    end = next(i for i in range(start, len(lines)) if lines[i].startswith("└"))
    return lines[start : end + 1]


@pytest.mark.slow  # the sample brand's 30,000 orders
def test_the_demo_keeps_a_given_database_with_its_qr_code_next_to_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    db = tmp_path / "demo.sqlite"
    code, out, err = run(capsys, "demo", "--db", str(db))
    assert code == 0, err
    assert db.is_file()
    assert f"the database is kept in {db}" in out
    assert f"`otocore orders show T000001 --as aprovador@example.com --db {db}`" in out
    qr = tmp_path / "demo-seller-V005-qr.png"
    assert f"QR code of the link: {qr}" in out
    assert qr.read_bytes().startswith(b"\x89PNG")
    assert (
        "unassigned customers: 891 (no completed order with an active seller in the 12 months "
        "before 2026-11-01)\n" in out
    )
    for title in (
        "RFV segments on 2026-11-01",
        "Carteira sizes (portfolio per seller)",
        "Preferred-seller decisions (one per deciding rule)",
    ):
        table = _table(out, title)
        assert len(table) > 5
        assert max(len(line) for line in table) <= 60, "\n".join(table)
    # the results report of the sample brand's September, next to the database
    report = tmp_path / "demo-report-2026-09.html"
    assert f"report of 2026-09-01..2026-09-30: {report}\n" in out
    _assert_a_report_with_sales(report)
    # the README shows these lines of the demo's output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(sales from contacts .*?)```", readme, re.S)
    assert shown, "the README lost the demo's report lines"
    figures, where = shown.group(1).splitlines()
    assert f"\n{figures}\n" in out
    assert where == "report of 2026-09-01..2026-09-30: /tmp/otocore-demo-report-2026-09.html"
    # the kept database answers the other commands
    code, out, err = run(capsys, "sellers", "list", "--store", "L01", "--db", str(db), "--json")
    assert code == 0, err
    # `otocore report` writes the same file from it
    again = tmp_path / "again.html"
    code, _, err = run(capsys, "report", "--from", "2026-09-01", "--to", "2026-09-30",
                       "--brand", "Brisa", "--out", str(again), "--db", str(db))  # fmt: skip
    assert code == 0, err
    assert again.read_bytes() == report.read_bytes()


def _assert_a_report_with_sales(report: Path) -> None:
    """``report`` is a self-contained results report with attributed sales (issue 14)."""
    page = report.read_text(encoding="utf-8")
    assert "<script" not in page
    assert "<link" not in page
    assert "@import" not in page
    assert re.findall(r'\b(?:src|href)="(?!#)', page) == []
    # no http(s) URL to load: the only ones are the SVG namespaces, names never fetched
    assert set(re.findall(r"https?://[^\s\"')]+", page)) == {
        "http://www.w3.org/2000/svg",
        "http://www.w3.org/1999/xlink",
    }
    figures = dict(re.findall(r'data-figure="totals\.([a-z_]+)" data-value="([^"]+)"', page))
    assert int(figures["attributed_sales"]) > 0
    assert int(figures["revenue_gross"]) > int(figures["revenue_net"]) > 0  # a cancelled sale
    assert int(figures["started"]) > int(figures["finished"]) > 0


@pytest.mark.slow  # the sample brand's 30,000 orders
def test_the_demo_says_its_temporary_database_is_deleted_and_writes_the_qr_to_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the demo's temporary folder
    qr = tmp_path / "qr" / "seller.png"
    qr.parent.mkdir()
    code, out, err = run(capsys, "demo", "--out", str(qr))
    assert code == 0, err
    assert out.rstrip().splitlines()[-1] == (
        "the database was a temporary file, deleted; "
        "pass --db brand.sqlite to keep it and try the other commands on it"
    )
    assert f"QR code of the link: {qr}" in out
    assert qr.read_bytes().startswith(b"\x89PNG")
    # the report, like a QR code without --out, outlives the temporary database
    report = tmp_path / "otocore-demo-report-2026-09.html"
    assert f"report of 2026-09-01..2026-09-30: {report}\n" in out
    _assert_a_report_with_sales(report)
