"""Errors are asserted by what they say, not only by their type.

A ``pytest.raises(SomeError)`` with neither ``match=`` nor a look at the caught error
(``as raised`` and then ``raised.value...``) passes for any error of that type: a
wrong field, a wrong rule, an error raised for another reason. Mutation testing
(docs/mutation.md) found mutants that changed an error's field or message surviving
for exactly that reason. This test holds every test file to the habit.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import otocore
from otocore.errors import OtocoreError

TESTS = Path(__file__).resolve().parent.parent


def _otocore_errors() -> frozenset[str]:
    """The names of every error class of otocore (the hierarchy under OtocoreError)."""
    for module in pkgutil.walk_packages(otocore.__path__, "otocore."):
        if "._" not in module.name and not module.name.startswith("otocore.testing"):
            importlib.import_module(module.name)
    found: set[str] = set()
    todo: list[type] = [OtocoreError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return frozenset(found)


#: Only otocore's own errors: a test's sentinel exception or a third party's error
#: (ConnectionRefusedError from a mail server) is what it is, whatever it says.
ERRORS = _otocore_errors()


def _names(node: ast.expr) -> set[str]:
    if isinstance(node, ast.Tuple):
        return {name for element in node.elts for name in _names(element)}
    if isinstance(node, ast.Attribute):
        return {node.attr}
    if isinstance(node, ast.Name):
        return {node.id}
    return set()


def _is_raises(node: ast.expr, errors: frozenset[str]) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "raises"
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "pytest"
        and bool(node.args)
        and bool(_names(node.args[0]) & errors)
    )


def unasserted_raises(source: str, errors: frozenset[str] = ERRORS) -> list[int]:
    """The lines of ``pytest.raises(<an otocore error>)`` whose error is never looked at.

    >>> unasserted_raises("with pytest.raises(ValidationError):\\n    f()\\n")
    [1]
    >>> unasserted_raises("with pytest.raises(ValidationError, match='x'):\\n    f()\\n")
    []
    >>> code = "with pytest.raises(NotFound) as e:\\n    f()\\nassert e.value.key == 'x'\\n"
    >>> unasserted_raises(code)
    []
    >>> unasserted_raises("with pytest.raises(ConnectionRefusedError):\\n    f()\\n")
    []
    """
    tree = ast.parse(source)
    used = {
        node.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load)
    }
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                call = item.context_expr
                if not _is_raises(call, errors):
                    continue
                assert isinstance(call, ast.Call)
                if any(k.arg == "match" for k in call.keywords):
                    continue
                target = item.optional_vars
                if isinstance(target, ast.Name) and target.id in used:
                    continue
                lines.append(call.lineno)
        elif isinstance(node, ast.Call) and _is_raises(node, errors) and len(node.args) > 1:
            # pytest.raises(E, f, *args): the call form; it returns the ExceptionInfo
            lines.append(node.lineno)
    return sorted(lines)


FILES = sorted(p for p in TESTS.rglob("test_*.py") if "vectors" not in p.parts)


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(TESTS)))
def test_every_expected_error_is_asserted_by_what_it_says(path: Path) -> None:
    lines = unasserted_raises(path.read_text(encoding="utf-8"))
    assert not lines, (
        f"{path.relative_to(TESTS)}: pytest.raises without match= (or a look at the error) "
        f"on lines {lines}"
    )
