"""The command line for seller codes and sellers: ``seller-code qr``, ``sellers list``, the demo."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from _support.builders import ROOT, SAMPLES
from _support.cli import run as _run
from otocore.cli import DEMO_STORE_URL

STORE = "https://loja.example.com.br/novidades?utm_source=oto&utm_medium=qrcode"


def _decode(path: Path) -> list[str]:
    image = Image.open(io.BytesIO(path.read_bytes()))
    return [r.text for r in zxingcpp.read_barcodes(image)]


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A database with docs/samples: V01 active (L01), V04 inactive (L02)."""
    path = str(tmp_path / "brand.sqlite")
    assert _run(capsys, "db", "upgrade", path)[0] == 0
    assert _run(capsys, "import", str(SAMPLES), "--db", path)[0] == 0
    return path


def test_qr_png_carries_the_link_with_the_canonical_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "k9x2mp.png"
    code, out, err = _run(
        capsys, "seller-code", "qr", "k9x-2mp", "--store-url", STORE, "--out", str(out_file)
    )
    assert code == 0, err
    link = "https://loja.example.com.br/novidades?utm_source=oto&utm_medium=qrcode&vendedor=K9X2MP"
    assert _decode(out_file) == [link]
    assert link in out
    assert str(out_file) in out


def test_qr_svg_and_a_custom_parameter(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    out_file = tmp_path / "qr.SVG"
    code, out, err = _run(
        capsys, "seller-code", "qr", "K9X2MP", "--store-url", "https://loja.example.com.br",
        "--out", str(out_file), "--parameter", "ref", "--json",
    )  # fmt: skip
    assert code == 0, err
    svg = out_file.read_text(encoding="utf-8")
    assert "<svg" in svg
    assert "<path" in svg
    assert not svg.startswith("\x89PNG")
    assert json.loads(out) == {
        "code": "K9X2MP",
        "link": "https://loja.example.com.br?ref=K9X2MP",
        "out": str(out_file),
    }


def test_a_legacy_code_is_kept_as_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    out_file = tmp_path / "v01.png"
    code, _, err = _run(
        capsys, "seller-code", "qr", "V01", "--store-url", STORE, "--out", str(out_file)
    )
    assert code == 0, err
    assert _decode(out_file)[0].endswith("&vendedor=V01")


def test_with_db_the_code_must_name_an_active_seller(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    out_file = tmp_path / "v01.png"
    code, _, err = _run(
        capsys, "seller-code", "qr", "V01", "--store-url", STORE, "--out", str(out_file), "--db", db
    )
    assert code == 0, err
    assert _decode(out_file) == [f"{STORE}&vendedor=V01"]

    inactive = tmp_path / "v04.png"
    code, _, err = _run(
        capsys, "seller-code", "qr", "V04", "--store-url", STORE, "--out", str(inactive), "--db", db
    )
    assert code == 1
    assert "seller V04 is inactive" in err
    assert not inactive.exists()

    unknown = tmp_path / "k9x2mp.png"
    code, _, err = _run(
        capsys, "seller-code", "qr", "k9x-2mp", "--store-url", STORE, "--out", str(unknown),
        "--db", db,
    )  # fmt: skip
    assert code == 1
    assert "Seller 'K9X2MP' not found" in err
    assert not unknown.exists()

    code, _, err = _run(
        capsys, "seller-code", "qr", "V99", "--store-url", STORE, "--out", str(unknown), "--db", db
    )
    assert code == 1
    assert "Seller 'V99' not found" in err
    assert not unknown.exists()


def test_bad_output_or_store_address_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    jpg = tmp_path / "qr.jpg"
    code, _, err = _run(
        capsys, "seller-code", "qr", "K9X2MP", "--store-url", STORE, "--out", str(jpg)
    )
    assert code == 2
    assert ".png or .svg" in err
    assert not jpg.exists()

    png = tmp_path / "qr.png"
    code, _, err = _run(
        capsys, "seller-code", "qr", "K9X2MP", "--store-url", "ftp://loja.example.com.br/",
        "--out", str(png),
    )  # fmt: skip
    assert code == 1
    assert "store_url must be an absolute http:// or https:// address" in err
    assert not png.exists()

    code, _, err = _run(capsys, "seller-code", "qr", "K9X2MP", "--out", str(png))
    assert code == 2
    assert "--store-url" in err

    missing_dir = tmp_path / "nope" / "qr.png"
    code, _, err = _run(
        capsys, "seller-code", "qr", "K9X2MP", "--store-url", STORE, "--out", str(missing_dir)
    )
    assert code == 2
    assert "cannot write" in err


def test_sellers_list_filters_by_store_and_status(
    capsys: pytest.CaptureFixture[str], db: str
) -> None:
    code, out, err = _run(capsys, "sellers", "list", "--db", db, "--json")
    assert code == 0, err
    everyone = json.loads(out)
    csv_codes = [
        line.split(",")[0]
        for line in (SAMPLES / "sellers.csv").read_text(encoding="utf-8").splitlines()[1:]
    ]
    assert [s["code"] for s in everyone] == sorted(csv_codes)

    code, out, _ = _run(capsys, "sellers", "list", "--db", db, "--status", "inactive", "--json")
    assert code == 0
    assert [(s["code"], s["status"]) for s in json.loads(out)] == [("V04", "inactive")]

    code, out, _ = _run(capsys, "sellers", "list", "--db", db, "--store", "L01", "--json")
    assert code == 0
    assert {s["store_id"] for s in json.loads(out)} == {"L01"}
    assert "V01" in [s["code"] for s in json.loads(out)]

    code, out, _ = _run(capsys, "sellers", "list", "--db", db, "--store", "L02")
    assert code == 0
    assert "V04" in out
    assert "inactive" in out
    assert "V01" not in out

    code, _, err = _run(capsys, "sellers", "list", "--db", db, "--status", "ativo")
    assert code == 2
    assert "active, inactive" in err


@pytest.mark.slow  # the demo brand, end to end
def test_the_demo_prints_a_seller_link_and_writes_its_qr_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = _run(capsys, "demo", "--db", str(tmp_path / "demo.sqlite"))
    assert code == 0, err
    link = f"{DEMO_STORE_URL}&vendedor=V005"
    qr = tmp_path / "demo-seller-V005-qr.png"
    assert "seller code of Daniel Marques (store L01): V005" in out
    assert f"seller link: {link}" in out
    assert f"QR code of the link: {qr}" in out
    assert _decode(qr) == [link]
    # the README shows these lines of the demo's output
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(seller code of .*?)```", readme, re.S)
    assert shown, "the README lost the demo's seller-link lines"
    *fixed, qr_line = shown.group(1).splitlines()
    assert all(line in out.splitlines() for line in fixed)
    assert qr_line.startswith("QR code of the link: ")
    assert qr_line.endswith(qr.name.replace("demo-", "otocore-demo-"))
