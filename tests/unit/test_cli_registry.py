"""``otocore customers search``: the registry search on the command line."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from _support.cli import run
from otocore.adapters.sql import open_database
from otocore.customers import Cpf, Customer, Email, Loyalty, Mobile, Sex
from otocore.orders import Order

WHEN = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "brand.sqlite")
    database = open_database(path, upgrade=True)
    uow = database.unit_of_work()
    with uow:
        uow.customers.add_many(
            [
                Customer(
                    customer_id="C1",
                    name="João da Silva",
                    registered_at=WHEN,
                    cpf=Cpf("52998224725"),
                    mobile=Mobile("+5511987654321"),
                    sex=Sex.MALE,
                    loyalty=Loyalty(program="Clube Brisa", card_number="6012345678"),
                ),
                Customer(
                    customer_id="C2",
                    name="Joana Silveira",
                    registered_at=WHEN,
                    email=Email("joana@example.com"),
                    sex=Sex.FEMALE,
                    birth_date=date(1980, 1, 1),
                ),
                Customer(customer_id="C3", name="Silvio Araújo", registered_at=WHEN),
            ]
        )
        uow.orders.add(
            Order(
                order_id="P1",
                customer_id="C2",
                store_id="L01",
                placed_at=datetime(2026, 4, 1, 15, tzinfo=UTC),
                total=Decimal("250.00"),
                seller_code=None,
            )
        )
    database.close()
    return path


def _ids(out: str) -> list[str]:
    return [c["customer"]["customer_id"] for c in json.loads(out)["customers"]]


def test_a_name_search_prints_a_table(
    capsys: pytest.CaptureFixture[str], db: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "160")  # a table as wide as a terminal's
    code, out, err = run(capsys, "customers", "search", "joao sil", "--db", db)
    assert code == 0, err
    assert "1 customer(s)" in out
    assert "C1" in out
    assert "***.982.247-**" in out  # the list shows the CPF masked
    assert "C2" not in out


def test_every_kind_of_query_as_json(capsys: pytest.CaptureFixture[str], db: str) -> None:
    for text, expected in [
        ("529.982.247-25", ["C1"]),
        ("(11) 98765-4321", ["C1"]),
        ("JOANA@example.com", ["C2"]),
        ("6012 3456 78", ["C1"]),
        ("silv", ["C2", "C1", "C3"]),
    ]:
        code, out, err = run(capsys, "customers", "search", text, "--db", db, "--json")
        assert code == 0, err
        assert _ids(out) == expected, text


def test_sorting_paging_and_the_figures(capsys: pytest.CaptureFixture[str], db: str) -> None:
    argv = ["customers", "search", "", "--sort", "total_spent", "--desc", "--page-size", "2"]
    code, out, err = run(capsys, *argv, "--db", db, "--json")
    assert code == 0, err
    page = json.loads(out)
    assert (page["total"], page["pages"], page["sort"], page["descending"]) == (
        3,
        2,
        "total_spent",
        True,
    )
    assert _ids(out) == ["C2", "C1"]
    first = page["customers"][0]
    assert (first["total_spent"], first["visits"], first["last_visit"]) == (
        "250.00",
        1,
        "2026-04-01",
    )
    code, out, _ = run(capsys, *argv, "--page", "2", "--db", db, "--json")
    assert _ids(out) == ["C3"]


def test_a_filter_inline_or_from_a_file(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "customers", "search", "", "--filter", '{"sex_in": ["female"]}',
                         "--on", "2026-05-10", "--db", db, "--json")  # fmt: skip
    assert code == 0, err
    assert _ids(out) == ["C2"]
    path = tmp_path / "audience.json"
    path.write_text(json.dumps({"age_between": {"min": 40}}), encoding="utf-8")
    code, out, err = run(capsys, "customers", "search", "", "--filter", str(path),
                         "--on", "2026-05-10", "--db", db, "--json")  # fmt: skip
    assert code == 0, err
    assert _ids(out) == ["C2"]


def test_bad_input_is_one_error_line(capsys: pytest.CaptureFixture[str], db: str) -> None:
    code, _, err = run(capsys, "customers", "search", "123", "--field", "cpf", "--db", db)
    assert code == 1
    assert err.startswith("error: query ")
    assert "Traceback" not in err
    code, _, err = run(capsys, "customers", "search", "", "--filter", '{"sex_in": ["f"]}',
                       "--db", db)  # fmt: skip
    assert code == 1
    assert "--filter.sex_in[0] must be one of" in err
    code, _, err = run(capsys, "customers", "search", "", "--filter", "{not json", "--db", db)
    assert code == 1
    assert "is not JSON" in err
    code, _, err = run(capsys, "customers", "search", "", "--filter", "/no/such.json", "--db", db)
    assert code == 1
    assert "cannot be read" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], db: str) -> None:
    for argv in (
        ["--sort", "age"],
        ["--field", "phone"],
        ["--page", "0"],
        ["--page-size", "1001"],
        ["--on", "2026-05-10"],
    ):
        code, _, _ = run(capsys, "customers", "search", "ana", *argv, "--db", db)
        assert code == 2, argv


@pytest.mark.slow  # the demo brand, end to end
def test_the_demo_shows_a_registry_search(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(capsys, "demo", "--db", str(tmp_path / "demo.sqlite"))
    assert code == 0, err
    shown = out[out.index("registry search (otocore customers search) for C000413") :]
    lines = shown.splitlines()[:3]
    assert lines[1].startswith("  'vanessa per': 3 customer(s): C000413 Vanessa Araújo Pereira")
    assert lines[2] == "  '535.523.991-94': 1 customer(s): C000413 Vanessa Araújo Pereira"
