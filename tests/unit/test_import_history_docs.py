"""docs/import.md's "The customer history" example runs and prints what the page shows."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "import.md"


@pytest.mark.source_tree
def test_the_customer_history_example_of_the_import_page_runs() -> None:
    text = PAGE.read_text(encoding="utf-8")
    section = text.split("## The customer history\n", 1)[1].split("\n## ", 1)[0]
    code, shown = re.findall(r"^```(?:python|text)\n(.*?)^```", section, re.M | re.S)[:2]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(PAGE), "exec"), {})  # noqa: S102 - the page's own example
    assert out.getvalue() == shown
