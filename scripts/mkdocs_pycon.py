"""MkDocs hook: a docstring's doctest renders as a ``pycon`` code block, not as quotes.

mkdocstrings renders docstrings as Markdown, and its Google-style parser reads
``>>>`` lines as code only inside an ``Examples:`` section. otocore's docstrings
put their doctests in the text, where Markdown reads ``>>>`` as three nested
block quotes and joins the code and its output into one paragraph. This hook
adds a Markdown preprocessor (to the pages and, through mkdocs.yml's extension
list that mkdocstrings reuses, to the docstrings) that fences every run of
doctest lines, from a ``>>>`` line to the next blank line, as a ``pycon`` block
for pymdownx.superfences and pymdownx.highlight. Doctest flags
(``# doctest: +ELLIPSIS``) are dropped and ``<BLANKLINE>`` shows as an empty
line. Fenced code is left alone. Listed under ``hooks:`` in mkdocs.yml;
tests/unit/test_docs_sources.py checks it on every docstring.
"""

from __future__ import annotations

import re
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

FENCE = re.compile(r"^(?P<indent> *)(?P<mark>`{3,}|~{3,})")
PROMPT = re.compile(r"^(?P<indent> *)>>>(?: |$)")
FLAGS = re.compile(r"\s*#\s*doctest:.*$")
BLANKLINE = re.compile(r"^\s*<BLANKLINE>\s*$")


def fence_doctests(lines: list[str]) -> list[str]:
    """Wrap each run of doctest lines outside fenced code in a ``pycon`` fence.

    >>> fence_doctests(["Text:", "", ">>> 1 + 1  # doctest: +SKIP", "2", "", "More."])
    ['Text:', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'More.']
    >>> fence_doctests(["```", ">>> 1", "```"])
    ['```', '>>> 1', '```']
    """
    out: list[str] = []
    open_fence = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        fence = FENCE.match(line)
        prompt = PROMPT.match(line)
        if open_fence:
            if fence and fence["mark"].startswith(open_fence) and not line.strip(" `~"):
                open_fence = ""
            out.append(line)
        elif fence:
            open_fence = fence["mark"]
            out.append(line)
        elif prompt:
            indent = prompt["indent"]
            if out and out[-1].strip():
                out.append("")
            out.append(f"{indent}```pycon")
            while index < len(lines) and lines[index].strip():
                text = FLAGS.sub("", lines[index])
                out.append(indent if BLANKLINE.match(text) else text)
                index += 1
            out.append(f"{indent}```")
            continue
        else:
            out.append(line)
        index += 1
    return out


class _Doctests(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return fence_doctests(lines)


class PyconExtension(Extension):
    """The preprocessor, after pymdownx.snippets (32) and before pymdownx.superfences (25)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(_Doctests(md), "otocore_pycon", 30)


def on_config(config: Any) -> Any:
    """MkDocs hook: add the extension (mkdocstrings renders docstrings with the same list)."""
    config.markdown_extensions.append(PyconExtension())
    return config
