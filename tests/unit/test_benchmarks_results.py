"""benchmarks/results.py runs at its smoke size, so that it never rots (not a timing test)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "results.py"


@pytest.mark.slow
@pytest.mark.source_tree
def test_the_results_benchmark_runs_and_every_runner_agrees(
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = importlib.util.spec_from_file_location("benchmark_results", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        code = module.main(["--quick"])
    finally:
        del sys.modules[spec.name]
    out = capsys.readouterr().out
    assert code == 0, out
    assert "the hand-written query gives otocore's rows" in out
    assert "DIFFERENT" not in out
    assert "DIFFERS" not in out
    for runner in ("polars", "polars-lazy", "pandas", "pyarrow", "duckdb"):
        assert f"otocore.frames, {runner}: identical" in out
    assert "otocore.attribution: identical" in out
    assert "views: the same count of sales as otocore.frames" in out
    assert "the report, in all" in out
