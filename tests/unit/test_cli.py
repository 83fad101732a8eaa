"""The command line: demo, db, import, daily, sellers, customers; exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from _support.builders import SAMPLES
from _support.cli import run as _run
from otocore.cli import app


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "brand.sqlite")


@pytest.mark.slow  # the demo brand, end to end
def test_demo_prints_segments_portfolios_and_decisions(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = _run(capsys, "demo", "--db", str(tmp_path / "demo.sqlite"))
    assert code == 0
    assert "RFV segments on 2026-11-01" in out
    assert "Campeões" in out
    assert "Carteira sizes" in out
    assert "decided by" in out
    assert (tmp_path / "demo.sqlite").exists()
    # issue 13: one telesales order with a manual price, walked to invoiced, a line per step,
    # before the daily job, which counts it (the customer's last order is the day before)
    walk = out[out.index("telesales: one order") : out.index("daily job for")]
    assert [line.strip() for line in walk.splitlines()[1:] if line.strip()] == [
        "admin@example.com enabled manual prices in L01 (every one waits)",
        "televendas@example.com opened cart T000001 for C000413 at L01",
        "televendas@example.com added 2 items, CAMISA-LINHO at 179.90 by hand (list 199.90)",
        "televendas@example.com placed it on the customer's behalf: awaiting_authorization",
        "televendas@example.com approved the promissory note: payment approved",
        "aprovador@example.com authorized the manual price: ready_for_invoicing",
        "televendas@example.com invoiced it: invoiced, total 759.70",
    ]
    assert (
        "the invoiced telesales order T000001 (759.70, placed 2026-10-31) counts in the RFV of "
        "C000413: last order 1 day(s) before, 4 orders, 1958.70 (Campeões)" in out
    )
    # the kept database answers `otocore orders` as the demo's accounts
    db = str(tmp_path / "demo.sqlite")
    code, out, err = _run(capsys, "orders", "show", "T000001", "--as", "aprovador@example.com",
                          "--db", db, "--json")  # fmt: skip
    assert code == 0, err
    shown = json.loads(out)
    assert (shown["state"], shown["operator_email"]) == ("invoiced", "televendas@example.com")
    assert shown["approval"]["decided_by"] == "aprovador@example.com"
    assert [i["manual_price"] for i in shown["items"]] == [None, "179.90"]


@pytest.mark.slow  # the demo brand, end to end
def test_demo_json_counts_match_the_bundled_brand(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "demo", "--json")
    assert code == 0
    data = json.loads(out)
    counts = data["counts"]
    assert counts["customers"] == 3000
    assert sum(data["segments"].values()) == counts["rfv_scored"]
    assert sum(data["portfolio_sizes"].values()) == (counts["customers"] - counts["unassigned"])
    sale = data["telesales"]
    assert (sale["order_id"], sale["state"], sale["total"]) == ("T000001", "invoiced", "759.70")
    assert sale["recency_days"] == 1  # the invoiced order, placed 2026-10-31, counted
    assert len(sale["steps"]) == 7
    # issue 14: the results report of the sample brand's September contacts, kept as a file
    report = Path(data["report"])
    assert report.name == "otocore-demo-report-2026-09.html"
    assert report.is_file()
    figures = data["report_figures"]
    assert (figures["first_day"], figures["last_day"]) == ("2026-09-01", "2026-09-30")
    assert figures["attributed_sales"] > 0
    page = report.read_text(encoding="utf-8")
    assert (
        f'data-figure="totals.attributed_sales" data-value="{figures["attributed_sales"]}"' in page
    )


def test_db_import_daily_show_and_deactivate(capsys: pytest.CaptureFixture[str], db: str) -> None:
    assert _run(capsys, "db", "upgrade", db)[0] == 0
    code, out, err = _run(capsys, "import", str(SAMPLES), "--db", db)
    assert code == 0, err
    assert "imported" in out
    code, out, _ = _run(capsys, "daily", "--db", db, "--as-of", "2026-06-01", "--json")
    assert code == 0
    run = json.loads(out)
    assert run["as_of"] == "2026-06-01"
    customer = run["changes"][0]["customer_id"]
    seller = run["changes"][0]["to_seller"]
    code, out, _ = _run(capsys, "customers", "show", customer, "--db", db, "--json")
    assert code == 0
    shown = json.loads(out)
    assert shown["portfolio"]["seller_code"] == seller
    admin = CliRunner().invoke(
        app,
        ["accounts", "create", "admin@example.com", "--bootstrap", "--db", db],
        input="cavalo correto bateria grampo\n" * 2 + "482913\n" * 2,
    )
    assert admin.exit_code == 0, admin.output
    code, out, err = _run(
        capsys, "sellers", "deactivate", seller, "--db", db, "--balanced", "--seed", "1",
        "--as-of", "2026-06-01", "--as", "admin@example.com", "--json",
    )  # fmt: skip
    assert code in (0, 1), err
    if code == 0:
        assert customer in json.loads(out)
    else:  # a store with a single seller: a rule violation, reported on stderr
        assert "no active seller" in err


def test_exit_codes(capsys: pytest.CaptureFixture[str], db: str) -> None:
    assert _run(capsys, "db", "upgrade", db)[0] == 0
    code, _, err = _run(capsys, "customers", "show", "NOPE", "--db", db)
    assert code == 1
    assert "not found" in err
    code, _, err = _run(capsys, "daily", "--db", db, "--as-of", "31/12/2026")
    assert code == 2
    code, _, _ = _run(capsys, "no-such-command")
    assert code == 2
    code, _, err = _run(
        capsys, "sellers", "deactivate", "V1", "--db", db, "--balanced", "--as", "a@example.com"
    )
    assert code == 2
    assert "--seed" in err
    code, _, err = _run(capsys, "sellers", "deactivate", "V1", "--db", db, "--balanced")
    assert code == 2
    assert "--as" in err


def test_an_old_or_missing_schema_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, _, err = _run(capsys, "daily", "--db", db, "--as-of", "2026-06-01")
    assert code == 1
    assert "otocore db upgrade" in err


@pytest.mark.slow  # the demo brand, end to end
def test_campaigns_suggestions_and_explain(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "demo.sqlite")
    assert _run(capsys, "demo", "--db", db, "--json")[0] == 0
    code, out, err = _run(
        capsys, "suggestions", "--db", db, "--seller", "V005", "--date", "2026-11-01", "--json"
    )
    assert code == 0, err
    listed = json.loads(out)
    assert listed
    assert all(s["seller_code"] == "V005" for s in listed)
    customer = listed[0]["customer_id"]
    code, out, _ = _run(
        capsys, "suggestions", "--db", db, "--seller", "V005", "--date", "2026-11-01",
        "--stored", "--status", "pending", "--campaign", listed[0]["campaign_id"], "--json",
    )  # fmt: skip
    assert code == 0
    assert [s["customer_id"] for s in json.loads(out)] == [
        s["customer_id"] for s in listed if s["campaign_id"] == listed[0]["campaign_id"]
    ]
    code, _, _ = _run(capsys, "suggestions", "--db", db, "--seller", "V005",
                      "--date", "2026-11-01", "--status", "done")  # fmt: skip
    assert code == 2
    code, out, _ = _run(capsys, "explain", customer, "--db", db, "--date", "2026-11-01", "--json")
    assert code == 0
    assert json.loads(out)["outcome"] == "suggested"
    code, out, _ = _run(capsys, "explain", customer, "--db", db, "--date", "2026-11-01")
    assert f"{customer} on 2026-11-01: suggested" in out
    code, again, _ = _run(
        capsys, "explain", customer, "--db", db, "--date", "2026-11-01", "--replan"
    )
    assert code == 0
    assert again == out  # nothing changed since the day was generated

    campaigns = tmp_path / "campaigns.json"
    campaigns.write_text('[{"campaign_id": "X", "priority": 0}]', encoding="utf-8")
    code, _, err = _run(capsys, "campaigns", "load", str(campaigns), "--db", db)
    assert code == 1
    assert "campaigns[0].priority" in err
    code, _, err = _run(capsys, "campaigns", "load", str(tmp_path / "none.json"), "--db", db)
    assert code == 2
    code, _, err = _run(
        capsys, "suggestions", "--db", db, "--seller", "V999", "--date", "2026-11-01"
    )
    assert code == 1
    assert "not found" in err
