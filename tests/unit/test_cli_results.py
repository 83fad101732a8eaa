"""``otocore results`` and ``otocore report`` on a SQLite file holding the worked week."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from _support import browser
from _support.cli import run
from _support.report import expected_figures
from _support.results import FIRST, LAST, WEEK
from otocore.adapters.sql import open_database
from otocore.attribution import AttributionPolicy
from otocore.results import Scope, compute_results, report_figures

PERIOD = ("--from", FIRST.isoformat(), "--to", LAST.isoformat())


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "brand.sqlite")
    database = open_database(path, upgrade=True)
    try:
        WEEK.load(database.unit_of_work())
    finally:
        database.close()
    return path


def week(**changes: object) -> object:
    return compute_results(first_day=FIRST, last_day=LAST, **{**WEEK.inputs(), **changes})


def test_results_prints_the_figures_the_stores_and_the_ranking(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, err = run(capsys, "results", "--db", db, *PERIOD)
    assert (code, err) == (0, "")
    assert "Receita gerando saldo" in out
    assert "R$ 1.050,00" in out  # Receita atribuída
    assert "R$ 550,00" in out  # Receita gerando saldo
    assert "75,0% (3 de 4)" in out  # Taxa de conversão
    assert out.index("Carla Dias") < out.index("Ana Souza") < out.index("Bruno Lima")


def test_results_json_has_the_librarys_rows(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, _ = run(capsys, "results", "--db", db, *PERIOD, "--store", "L02", "--json")
    assert code == 0
    data = json.loads(out)
    expected = week(scope=Scope(store_id="L02"))
    assert data["totals"][0]["revenue_net"] == str(expected.totals.revenue_net)
    assert data["totals"][0]["conversion_rate"] == "1.0000"
    assert [r["seller_code"] for r in data["ranking"]] == ["V03"]


def test_results_of_a_seller_lists_each_sale(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, _ = run(capsys, "results", "--db", db, *PERIOD, "--seller", "V03")
    assert code == 0
    assert "30/10/2026" in out  # o dia do contato of P3
    (p4,) = [line for line in out.splitlines() if " P4 " in line]
    assert "R$ 500,00" in p4
    assert "cancelada" in p4
    code, out, _ = run(capsys, "results", "--db", db, *PERIOD, "--seller", "V03", "--json")
    assert [s["order_id"] for s in json.loads(out)["sales"]] == ["P3", "P4", "P5"]


def test_what_if_a_30_day_window(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, out, _ = run(capsys, "results", "--db", db, *PERIOD, "--compare-window", "30")
    assert code == 0
    assert "+R$ 999,00" in out
    code, out, _ = run(capsys, "results", "--db", db, *PERIOD, "--compare-window", "30", "--json")
    totals = json.loads(out)["totals"][0]
    assert (totals["revenue_gross_delta"], totals["attributed_sales_delta"]) == ("999.00", 1)


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("--from", "2026-11-31", "--to", "2026-12-01"), "--from: expected YYYY-MM-DD"),
        (("--from", "2026-11-08", "--to", "2026-11-02"), "must be on or after --from"),
        ((*PERIOD, "--store", "L01", "--seller", "V01"), "not both"),
        ((*PERIOD, "--window", "0"), "--window must be 1 to 365 days"),
        ((*PERIOD, "--model", "linear"), "--model must be one of last_contact"),
        ((*PERIOD, "--compare-window", "400"), "--compare-window must be 1 to 365"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], db: str, argv: tuple[str, ...], message: str
) -> None:
    code, _, err = run(capsys, "results", "--db", db, *argv)
    assert code == 2
    assert message in err


def test_an_unknown_store_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, err = run(capsys, "results", "--db", db, *PERIOD, "--store", "L77")
    assert (code, out) == (1, "")
    assert err.strip() == "error: Store 'L77' not found"


def test_report_cannot_write_there(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    target = tmp_path / "missing" / "report.html"
    code, _, err = run(capsys, "report", "--db", db, *PERIOD, "--out", str(target))
    assert code == 1
    assert err.startswith("error: --out must be a file that can be written")
    assert len(err.strip().splitlines()) == 1
    assert not target.parent.exists()


@pytest.mark.slow  # starts Chromium
def test_report_in_a_browser_shows_the_librarys_figures(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    target = tmp_path / "report.html"
    code, out, err = run(
        capsys, "report", "--db", db, *PERIOD, "--brand", "Moda Exemplo", "--out", str(target)
    )
    assert (code, err) == (0, "")
    assert out.startswith(f"wrote {target} (brand, 2026-11-02 to 2026-11-08: 5 attributed sales")
    expected = report_figures(week(), brand="Moda Exemplo")
    page = browser.load(target.read_text(encoding="utf-8"))
    assert page.resources == ()
    shown = {key: (f.value, f.text) for key, f in page.figures.items()}
    assert shown == expected_figures(expected)
    assert shown["totals.revenue_net"] == ("55000", "R$ 550,00")
    assert shown["totals.conversion"] == ("3/4", "75,0%")
    for name, chart in page.charts.items():
        assert chart.width > 300, name
        assert chart.drawn("bar") or chart.drawn("line"), name
    assert len(page.charts["ranking"].drawn("bar")) == 3


def test_report_of_a_store_under_another_window(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    target = tmp_path / "l01.html"
    code, _, _ = run(
        capsys,
        "report",
        "--db",
        db,
        *PERIOD,
        "--store",
        "L01",
        "--window",
        "30",
        "--out",
        str(target),
    )
    assert code == 0
    page = target.read_text(encoding="utf-8")
    gross = week(scope=Scope(store_id="L01"), policy=AttributionPolicy(window_days=30))
    cents = int(gross.totals.revenue_gross * 100)
    assert gross.totals.revenue_gross == Decimal("1419.00")
    assert f'data-figure="totals.revenue_gross" data-value="{cents}"' in page
    assert 'data-figure="store_id" data-value="L01"' in page
