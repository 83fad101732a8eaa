"""Layering: value types, rules and services never import an adapter or a database library.

Three layers, one direction (docs/design.md, STYLE.md): domain modules and
services take a unit of work; only the adapters (``otocore.adapters``) and the
command line (``otocore.cli``), which wires a real database to the services, may
import ``otocore.adapters``, SQLAlchemy, Alembic or psycopg. Doctests may show
adapters in docstrings: only import statements count.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "otocore"
FORBIDDEN = ("otocore.adapters", "sqlalchemy", "alembic", "psycopg")
# packages allowed to build adapters: the command line wires a database to the services
OUTER = {"adapters", "cli"}


def forbidden_imports(source: str) -> list[str]:
    """The forbidden modules that ``source`` imports, anywhere (also inside functions)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        found += [n for n in names if any(n == f or n.startswith(f + ".") for f in FORBIDDEN)]
    return sorted(set(found))


def _domain_modules() -> list[Path]:
    modules = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC)
        if relative.parts[0] in OUTER:
            continue
        modules.append(path)
    return modules


def test_the_checker_sees_every_kind_of_import() -> None:
    source = (
        "import sqlalchemy as sa\n"
        "from otocore.adapters.memory import InMemoryUnitOfWork\n"
        "def later():\n"
        "    from otocore import adapters\n"
        "    import psycopg.rows\n"
        "from otocore.orders import Order\n"
        "'''>>> from otocore.adapters.sql import open_database'''\n"
    )
    assert forbidden_imports(source) == [
        "otocore.adapters",
        "otocore.adapters.memory",
        "otocore.adapters.memory.InMemoryUnitOfWork",
        "psycopg.rows",
        "sqlalchemy",
    ]


def test_there_are_domain_modules_to_check() -> None:
    names = {p.relative_to(SRC).as_posix() for p in _domain_modules()}
    assert {"orders.py", "repositories/__init__.py", "portfolio.py", "sellers.py"} <= names


@pytest.mark.parametrize("path", _domain_modules(), ids=lambda p: p.relative_to(SRC).as_posix())
def test_domain_modules_do_not_import_storage(path: Path) -> None:
    assert forbidden_imports(path.read_text(encoding="utf-8")) == []


pytestmark = pytest.mark.source_tree  # reads the files under src/otocore
