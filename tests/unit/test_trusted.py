"""``otocore._trusted`` (values rebuilt without their validators) is for the stores only.

The stores rebuild what they read without validating it again, since it was
validated when written; nothing else may build unchecked values that way. The
import-linter contract ``trusted`` says so for the modules it lists; this test
reads every module of the package, so a module added later is covered too.
tests/contract/test_bulk_writes.py checks that the stores' trusted path gives
back every valid value equal, and valid.
"""

from __future__ import annotations

import ast
from pathlib import Path

import attrs
import pytest

from otocore import _trusted

SRC = Path(__file__).resolve().parents[2] / "src" / "otocore"


def _imports_trusted(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = {alias.name for alias in node.names}
            if module == "otocore._trusted" or (module == "otocore" and "_trusted" in names):
                return True
            if node.level and (module == "_trusted" or "_trusted" in names):
                return True
        elif isinstance(node, ast.Import) and any(
            alias.name == "otocore._trusted" for alias in node.names
        ):
            return True
    return False


@pytest.mark.source_tree  # reads src/otocore
def test_only_the_adapters_import_the_trusted_constructor() -> None:
    users = sorted(
        str(path.relative_to(SRC)) for path in SRC.rglob("*.py") if _imports_trusted(path)
    )
    assert users, "the stores rebuild through otocore._trusted"
    outside = [u for u in users if not u.startswith("adapters/") and u != "_trusted.py"]
    assert outside == []


def test_rebuild_needs_exactly_the_attributes() -> None:
    @attrs.frozen
    class Pair:
        a: int
        b: int = 0

    assert _trusted.rebuild(Pair, a=1, b=2) == Pair(1, 2)
    with pytest.raises(TypeError, match=r"needs exactly its attributes \['a', 'b'\], got \['a'\]"):
        _trusted.rebuild(Pair, a=1)
    with pytest.raises(TypeError, match=r"got \['a', 'b', 'c'\]"):
        _trusted.rebuild(Pair, a=1, b=2, c=3)


def test_rebuild_runs_no_validator() -> None:
    @attrs.frozen
    class Positive:
        n: int = attrs.field(validator=attrs.validators.gt(0))

    assert _trusted.rebuild(Positive, n=-1).n == -1  # the caller's promise, unchecked
