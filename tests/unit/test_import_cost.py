"""Importing a value module, or serialization, loads only what it needs (issue 10).

Each check runs a fresh interpreter, since this process has imported
everything already; the child imports the same ``otocore`` as this test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import otocore

SERVICES = ("daily", "accounts", "management", "attendance", "importing", "sample")
VALIDATORS = ("email_validator", "phonenumbers", "stdnum", "argon2", "sqlalchemy")


def _modules_after(code: str) -> list[str]:
    """The names in ``sys.modules`` after a fresh interpreter runs ``code``."""
    src = str(Path(otocore.__file__).resolve().parents[1])
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([src, os.environ.get("PYTHONPATH", "")]))
    env["HYPOTHESIS_NO_PLUGINS"] = "1"  # keep the Hypothesis entry point out of the count
    out = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", f"{code}\nimport json, sys; print(json.dumps(sorted(sys.modules)))"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
    ).stdout
    names: list[str] = json.loads(out.splitlines()[-1])
    return names


def _loaded(names: list[str], package: str) -> list[str]:
    return [n for n in names if n == package or n.startswith(package + ".")]


def test_importing_orders_loads_no_service_adapter_serialization_or_validator() -> None:
    names = _modules_after("import otocore.orders")
    assert "otocore.orders" in names
    for forbidden in (
        *(f"otocore.{s}" for s in SERVICES),
        "otocore.adapters",
        "otocore.cli",
        "otocore.serialization",
        *VALIDATORS,
    ):
        assert _loaded(names, forbidden) == [], forbidden


def test_importing_otocore_loads_no_other_module_of_it() -> None:
    names = _modules_after("import otocore")
    assert _loaded(names, "otocore") == ["otocore"]


def test_importing_serialization_builds_nothing_and_loads_no_rule() -> None:
    names = _modules_after("import otocore.serialization")
    mine = _loaded(names, "otocore")
    assert set(mine) <= {
        "otocore",
        "otocore.errors",
        "otocore.serialization",
        "otocore.serialization._core",
        "otocore.serialization._primitives",
    }, mine


def test_reading_a_grid_loads_only_the_rfv_part_of_serialization() -> None:
    code = (
        "from otocore.rfv import SegmentGrid, default_grid\n"
        "from otocore.serialization import dumps, loads\n"
        "assert loads(dumps(default_grid()), SegmentGrid) == default_grid()\n"
    )
    names = _modules_after(code)
    hooks = [n for n in _loaded(names, "otocore.serialization") if n.count(".") == 2]
    assert sorted(hooks) == [
        "otocore.serialization._core",
        "otocore.serialization._primitives",
        "otocore.serialization._rfv",
    ]
    for forbidden in ("otocore.auth", "otocore.accounts", "otocore.customers", *VALIDATORS):
        assert _loaded(names, forbidden) == [], forbidden
