"""docs/registry.md's examples run and print what the page shows."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

PAGE = Path(__file__).resolve().parents[2] / "docs" / "registry.md"
BLOCK = re.compile(r"^```python\n(.*?)^```", re.MULTILINE | re.DOTALL)


@pytest.mark.source_tree
def test_the_registry_page_examples_run() -> None:
    blocks = BLOCK.findall(PAGE.read_text(encoding="utf-8"))
    assert len(blocks) >= 3
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(
        optionflags=doctest.NORMALIZE_WHITESPACE | doctest.ELLIPSIS, verbose=False
    )
    namespace: dict[str, object] = {}
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, namespace, f"registry.md[{i}]", str(PAGE), 0)
        runner.run(test, clear_globs=False)
        namespace.update(test.globs)  # a DocTest copies its globals: carry them on
    assert runner.failures == 0
