"""docs/design.md's layer diagram and module table are generated from the code.

``scripts/layers.py`` reads the layers contract in pyproject.toml and the
imports the code makes (grimp); this test fails when the page no longer matches,
so the picture a newcomer sees stays true. Regenerate with
``python scripts/layers.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.source_tree  # it reads src/ and scripts/


def _layers(*args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "scripts" / "layers.py"), *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_design_page_matches_the_code() -> None:
    result = _layers("--check")
    assert result.returncode == 0, result.stderr


def test_every_module_of_the_package_is_in_the_table() -> None:
    page = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")
    top = ROOT / "src" / "otocore"
    names = {p.stem for p in top.glob("*.py") if p.stem != "__init__"}
    names |= {p.name for p in top.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    missing = sorted(n for n in names if f"`otocore.{n}`" not in page)
    assert missing == []
