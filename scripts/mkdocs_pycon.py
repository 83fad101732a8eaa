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
line. Fenced code is left alone.

The docstrings also use Sphinx roles (``:class:`Cpf```, ``:func:`~otocore.rfv.rfv_scores```),
which Markdown shows as text. The preprocessor turns each into an optional
cross-reference of mkdocs-autorefs: a link when the name is a documented
object, the name as code otherwise (``~`` keeps the last part, as in Sphinx).

Listed under ``hooks:`` in mkdocs.yml; tests/unit/test_docs_sources.py checks it
on every docstring.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from markdown import Markdown
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor

FENCE = re.compile(r"^(?P<indent> *)(?P<mark>`{3,}|~{3,})")
PROMPT = re.compile(r"^(?P<indent> *)>>>(?: |$)")
FLAGS = re.compile(r"\s*#\s*doctest:.*$")
BLANKLINE = re.compile(r"^\s*<BLANKLINE>\s*$")
ROLE = re.compile(
    r":(?:py:)?(?:class|func|meth|attr|data|const|mod|exc|obj):`(?P<tilde>~?)(?P<body>[^`<]+?)"
    r"(?:\s*<(?P<target>[\w.]+)>)?`"
)


def _role(match: re.Match[str]) -> str:
    body = " ".join(match["body"].split())
    name = match["target"] or body.removesuffix("()")
    shown = body.rsplit(".", 1)[-1] if match["tilde"] else body
    return f'<autoref identifier="{name}" optional><code>{shown}</code></autoref>'


def roles_to_references(text: str) -> str:
    r"""Sphinx roles become optional mkdocs-autorefs cross-references.

    >>> roles_to_references("see :func:`~otocore.rfv.rfv_scores`.")
    'see <autoref identifier="otocore.rfv.rfv_scores" optional><code>rfv_scores</code></autoref>.'
    >>> roles_to_references(":meth:`Plan.explain\n<otocore.Plan.explain>`")
    '<autoref identifier="otocore.Plan.explain" optional><code>Plan.explain</code></autoref>'
    """
    return ROLE.sub(_role, text)


def _segments(lines: list[str]) -> Iterator[tuple[bool, list[str]]]:
    """Consecutive runs of lines: ``(True, a fenced block)`` or ``(False, prose)``."""
    run: list[str] = []
    open_fence = ""
    for line in lines:
        fence = FENCE.match(line)
        if open_fence:
            run.append(line)
            if fence and fence["mark"].startswith(open_fence) and not line.strip(" `~"):
                yield True, run
                run, open_fence = [], ""
        elif fence:
            if run:
                yield False, run
            run, open_fence = [line], fence["mark"]
        else:
            run.append(line)
    if run:
        yield bool(open_fence), run


def _prose(lines: list[str]) -> list[str]:
    out: list[str] = []
    text: list[str] = []

    def flush() -> None:
        if text:
            out.extend(roles_to_references("\n".join(text)).split("\n"))
            text.clear()

    index = 0
    while index < len(lines):
        prompt = PROMPT.match(lines[index])
        if not prompt:
            text.append(lines[index])
            index += 1
            continue
        flush()
        if out and out[-1].strip():
            out.append("")
        indent = prompt["indent"]
        out.append(f"{indent}```pycon")
        while index < len(lines) and lines[index].strip():
            line = FLAGS.sub("", lines[index])
            out.append(indent if BLANKLINE.match(line) else line)
            index += 1
        out.append(f"{indent}```")
    flush()
    return out


def rewrite(lines: list[str]) -> list[str]:
    """Fence each run of doctest lines as ``pycon`` and link roles, outside fenced code.

    >>> rewrite(["Text:", "", ">>> 1 + 1  # doctest: +SKIP", "2", "", "More."])
    ['Text:', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'More.']
    >>> rewrite(["```", ">>> 1", ":class:`Cpf`", "```"])
    ['```', '>>> 1', ':class:`Cpf`', '```']
    """
    out: list[str] = []
    for fenced, run in _segments(lines):
        out += run if fenced else _prose(run)
    return out


class _Doctests(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        return rewrite(lines)


class PyconExtension(Extension):
    """The preprocessor, after pymdownx.snippets (32) and before pymdownx.superfences (25)."""

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        md.preprocessors.register(_Doctests(md), "otocore_pycon", 30)


def on_config(config: Any) -> Any:
    """MkDocs hook: add the extension (mkdocstrings renders docstrings with the same list)."""
    config.markdown_extensions.append(PyconExtension())
    return config
