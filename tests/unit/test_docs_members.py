"""Reference pages that list a module's members by hand list every public name.

Some pages give mkdocstrings an explicit ``members:`` list to keep the order of
a module that became a package of private parts (suggestions, sample,
importing, repositories). A name added to the module's ``__all__`` but not to
that list would silently vanish from the reference; these tests catch it, and
a listed name that no longer exists.
"""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
BLOCK = re.compile(
    r"^::: (?P<module>otocore[\w.]*)\n    options:\n(?:      (?!members:).*\n)*"
    r"      members:\n(?P<items>(?:        - \w+\n)+)",
    re.MULTILINE,
)


def _listed() -> list[tuple[str, str, list[str]]]:
    found = []
    for page in sorted(DOCS.rglob("*.md")):
        for match in BLOCK.finditer(page.read_text(encoding="utf-8")):
            names = re.findall(r"- (\w+)", match["items"])
            found.append((page.relative_to(DOCS).as_posix(), match["module"], names))
    return found


LISTED = _listed()


def test_the_pages_that_list_members_are_found() -> None:
    modules = {module for _, module, _ in LISTED}
    assert {"otocore.suggestions", "otocore.sample", "otocore.repositories"} <= modules


@pytest.mark.parametrize(("page", "module", "names"), LISTED, ids=lambda x: str(x)[:40])
def test_a_members_list_names_every_public_name_and_nothing_else(
    page: str, module: str, names: list[str]
) -> None:
    mod = importlib.import_module(module)
    missing = sorted(set(mod.__all__) - set(names))
    unknown = sorted(n for n in names if not hasattr(mod, n))
    assert (missing, unknown) == ([], []), page
