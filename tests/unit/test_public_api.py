"""The public API is explicit: literal ``__all__``, docstrings, reference pages."""

from __future__ import annotations

import ast
import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import otocore

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "otocore"


def _public_modules() -> list[str]:
    names = ["otocore"]
    for info in pkgutil.walk_packages(otocore.__path__, "otocore."):
        parts = info.name.split(".")
        if any(p.startswith("_") for p in parts) or ".migrations" in info.name:
            continue
        names.append(info.name)
    return sorted(names)


PUBLIC = _public_modules()


@pytest.mark.parametrize("name", PUBLIC)
def test_module_declares_a_literal_all(name: str) -> None:
    module = importlib.import_module(name)
    source = inspect.getsource(module)
    tree = ast.parse(source)
    literal = [
        node
        for node in tree.body
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets)
    ]
    assert literal, f"{name} has no __all__"
    assert isinstance(literal[0].value, ast.List | ast.Tuple)
    exported = ast.literal_eval(literal[0].value)
    assert len(set(exported)) == len(exported), f"{name}.__all__ repeats a name"
    for item in exported:
        assert hasattr(module, item), f"{name}.__all__ names missing {item}"


@pytest.mark.parametrize("name", PUBLIC)
def test_every_public_name_is_exported_and_documented(name: str) -> None:
    module = importlib.import_module(name)
    assert module.__doc__, f"{name} has no module docstring"
    for attr, value in vars(module).items():
        if attr.startswith("_") or inspect.ismodule(value):
            continue
        defined_here = getattr(value, "__module__", None) == name
        if (inspect.isclass(value) or inspect.isfunction(value)) and defined_here:
            assert attr in module.__all__, f"{name}.{attr} is public but not in __all__"
    for item in module.__all__:
        value = getattr(module, item)
        if inspect.isclass(value) or inspect.isfunction(value):
            assert inspect.getdoc(value), f"{name}.{item} has no docstring"


def test_reference_pages_cover_every_public_module() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "docs").rglob("*.md"))
    documented = {line.split()[1] for line in text.splitlines() if line.startswith("::: ")}
    missing = [m for m in PUBLIC if m != "otocore" and m not in documented]
    assert not missing, f"no API reference page for {missing}"
