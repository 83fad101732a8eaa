"""docs/filters.md's examples run and print what the page shows.

The page's blocks of Python prompts (``>>>``) share one namespace, in order; blocks without
prompts (the sketches of "Building the facts") are not run.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "filters.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


@pytest.mark.source_tree
def test_the_filters_page_examples_run() -> None:
    blocks = [b for b in BLOCK.findall(PAGE.read_text(encoding="utf-8")) if ">>> " in b]
    assert len(blocks) >= 15
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False
    )
    namespace: dict[str, object] = {}
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, namespace, f"filters.md[{i}]", str(PAGE), 0)
        runner.run(test, clear_globs=False)
        namespace.update(test.globs)  # a DocTest copies its globals: carry them on
    results = runner.summarize(verbose=False)
    assert results.attempted > 40
    assert results.failed == 0
