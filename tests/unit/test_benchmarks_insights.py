"""benchmarks/insights.py runs at its smoke size, so that it never rots (not a timing test)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "insights.py"


@pytest.mark.slow
@pytest.mark.source_tree
def test_the_insights_benchmark_runs_and_the_anchors_give_otocores_rows(
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = importlib.util.spec_from_file_location("benchmark_insights", SCRIPT)
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
    assert "DIFFERENT" not in out
    assert "DIFFER " not in out
    for engine in ("Polars", "Polars lazy", "DuckDB"):
        assert (
            f"otocore.frames, {engine}: customer dashboard identical to the hand-written queries'"
            in out
        )
        assert f"otocore.insights, {engine} " in out  # timed, with its ratio
    assert out.count("x ") >= 8  # a ratio for every otocore runner
    assert "median of 2 runs, the store dashboard" in out
