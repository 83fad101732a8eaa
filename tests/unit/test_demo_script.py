"""scripts/demo.sh installs only what the demo needs, and only when pyproject.toml changed.

The scripts run for real, in a copy of the repository's scripts and pyproject.toml, over a
stand-in ``.venv`` whose ``python`` records how it was called (``-c`` goes to this
interpreter) and whose ``otocore`` says it ran: nothing is downloaded.
"""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.source_tree

ROOT = Path(__file__).resolve().parents[2]
BASH = shutil.which("bash") or "/bin/bash"


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    (tmp_path / "scripts").mkdir()
    for name in ("bootstrap.sh", "demo.sh"):
        shutil.copy(ROOT / "scripts" / name, tmp_path / "scripts" / name)
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    _script(
        venv / "python",
        f'echo "$*" >> "{tmp_path}/python.log"\n'
        f'if [ "$1" = -c ]; then exec "{sys.executable}" "$@"; fi\n',
    )
    _script(venv / "otocore", f'echo "otocore $*" >> "{tmp_path}/otocore.log"\n')
    return tmp_path


def _script(path: Path, body: str) -> None:
    path.write_text("#!/usr/bin/env bash\n" + body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)


def _run(clone: Path, script: str, *args: str) -> list[str]:
    """Run ``scripts/SCRIPT ARGS``; the pip installs it made."""
    log = clone / "python.log"
    log.unlink(missing_ok=True)
    subprocess.run(  # noqa: S603 - our own scripts
        [BASH, f"scripts/{script}", *args], cwd=clone, check=True, timeout=60
    )
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [line for line in lines if "pip install" in line]


def test_demo_installs_the_package_without_extras_or_dev_tools(clone: Path) -> None:
    installs = _run(clone, "demo.sh", "--db", "brand.sqlite")
    assert installs == ["-m pip install --quiet --disable-pip-version-check -e ."]
    assert (clone / "otocore.log").read_text(encoding="utf-8") == "otocore demo --db brand.sqlite\n"


def test_demo_run_again_installs_nothing_until_pyproject_changes(clone: Path) -> None:
    assert len(_run(clone, "demo.sh")) == 1
    assert _run(clone, "demo.sh") == []
    with (clone / "pyproject.toml").open("a", encoding="utf-8") as file:
        file.write("\n# a new dependency\n")
    assert len(_run(clone, "demo.sh")) == 1


def test_the_full_set_up_installs_the_dev_tools_and_serves_the_demo(clone: Path) -> None:
    installs = _run(clone, "bootstrap.sh")
    assert any("--group dev" in line and ".[testing,postgresql]" in line for line in installs)
    assert _run(clone, "bootstrap.sh") == []
    assert _run(clone, "demo.sh") == []  # the full set-up includes the demo's


def test_bootstrap_refuses_an_unknown_kind(clone: Path) -> None:
    done = subprocess.run(  # noqa: S603 - our own script
        [BASH, "scripts/bootstrap.sh", "everything"],
        cwd=clone,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert done.returncode == 2
    assert "usage: bash scripts/bootstrap.sh [runtime]" in done.stderr
