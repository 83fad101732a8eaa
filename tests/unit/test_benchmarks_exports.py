"""benchmarks/exports.py runs at its smoke size, so that it never rots (not a timing test)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "exports.py"


@pytest.mark.slow
@pytest.mark.source_tree
def test_the_exports_benchmark_runs_and_the_anchor_writes_the_same_rows(tmp_path: Path) -> None:
    # a process of its own: the runners are spawned children, which import the script by path
    done = subprocess.run(  # noqa: S603 - our own script, with this interpreter
        [sys.executable, str(SCRIPT), "--quick", "--db", str(tmp_path / "seeded.sqlite")],
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    out = done.stdout
    for fmt in ("csv", "xlsx"):
        assert f"{fmt:4} otocore      2,000 rows" in out
        assert f"{fmt:4} anchor       2,000 rows" in out
        assert f"{fmt:4} otocore / anchor: " in out
        assert f"{fmt:4} the anchor's file holds the same rows" in out
    assert "DIFFERENT" not in out
