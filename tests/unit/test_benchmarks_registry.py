"""benchmarks/registry.py runs at its smoke size on both stores (not a timing test)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "benchmarks" / "registry.py"


@pytest.mark.slow
@pytest.mark.source_tree
def test_the_registry_benchmark_runs_and_every_search_finds_its_customer(
    capsys: pytest.CaptureFixture[str],
) -> None:
    spec = importlib.util.spec_from_file_location("benchmark_registry", SCRIPT)
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
    assert "WRONG ANSWERS" not in out
    for store in ("sqlite", "postgresql"):
        assert f"{store}, part search:" in out
    for kind in ("name", "cpf", "email", "phone"):
        assert out.count(f"  {kind} ") == 2, out
    assert out.count("anchor p50") == 8
    assert "sqlite, part export:" in out
    for fmt in ("csv", "xlsx"):
        assert f"{fmt:4} otocore      3,000 rows in" in out, out
        assert f"{fmt:4} the anchor's file holds the same rows" in out, out
