"""The README's tour runs and prints exactly what the README says it prints."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_tour_prints_what_the_readme_shows() -> None:
    match = re.search(
        r"## A short tour\n\n```python\n(.*?)```\n\nprints\n\n```text\n(.*?)```", README, re.S
    )
    assert match, "the README lost its tour"
    code, expected = match.groups()
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "README.md", "exec"), {})  # noqa: S102 - our own README
    assert out.getvalue() == expected
