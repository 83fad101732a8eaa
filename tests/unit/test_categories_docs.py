"""The worked examples of docs/categories.md run, in order, as one program."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "categories.md"


@pytest.mark.source_tree
def test_the_worked_examples_of_the_categories_page_run() -> None:
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 5
    namespace: dict[str, object] = {}
    for code in blocks:
        exec(compile(code, "docs/categories.md", "exec"), namespace)  # noqa: S102 - our own docs
