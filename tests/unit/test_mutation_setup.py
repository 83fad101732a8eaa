"""The mutation-testing set-up stays true as the package grows (docs/mutation.md).

Every module of the rules layer (the import-linter contract in pyproject.toml) has a
section of equivalent mutants in docs/mutation.md, ``scripts/mutation.sh`` can find it
and the tests that exercise it, and every mutant named as equivalent belongs to the
module whose table names it.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.source_tree  # it reads pyproject.toml, scripts/ and docs/


def _rule_modules() -> list[str]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    (layers,) = (
        c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c["id"] == "layers"
    )
    (rules,) = (layer for layer in layers if "rfv" in layer.split(" : "))
    return rules.split(" : ")


RULES = _rule_modules()


def _report(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(ROOT / "scripts" / "mutation_report.py"), *args],
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_rules_layer_is_read() -> None:
    assert {"rfv", "distribution", "quarantine", "suggestions", "auth"} <= set(RULES)


@pytest.mark.parametrize("module", RULES)
def test_every_rule_module_has_a_section_of_equivalent_mutants(module: str) -> None:
    page = (ROOT / "docs" / "mutation.md").read_text("utf-8")
    assert f"### `{module}`" in page


@pytest.mark.parametrize("module", RULES)
def test_the_script_finds_each_rule_module_and_its_tests(module: str) -> None:
    listed = _report("--tests", module)
    assert listed.returncode == 0, listed.stderr
    paths = listed.stdout.split()
    assert any(p.startswith("tests/unit/") for p in paths), paths
    assert paths[-1] in {f"src/otocore/{module}.py", f"src/otocore/{module}"}
    assert all((ROOT / p).exists() for p in paths)


def test_an_unknown_module_is_refused() -> None:
    refused = _report("--target", "nosuchmodule")
    assert refused.returncode != 0
    assert "no module or package named 'nosuchmodule'" in refused.stderr


def test_each_equivalent_mutant_is_listed_under_its_own_module() -> None:
    page = (ROOT / "docs" / "mutation.md").read_text("utf-8")
    row = re.compile(
        r"^\|\s*(?P<module>\w+)\s*\|\s*`(?P<mutant>otocore\.[^`]+)`\s*\|\s*(?P<why>.*)\|"
    )
    rows = [m for m in map(row.match, page.splitlines()) if m]
    for match in rows:
        assert match["mutant"].startswith(f"otocore.{match['module']}."), match[0]
        assert len(match["why"].strip()) > 10, f"say why: {match[0]}"
