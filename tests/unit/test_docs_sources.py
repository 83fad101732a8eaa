"""The documentation cites only what its reader has, and its lists render as lists.

The rules come from the products' help pages (Oto's FAQ, Oto's help page for
managers and campaigns, Reshop's customer module help page, VTEX's Televendas
help page, Altegio's customer database help page). The project keeps copies of
them as text files, but a reader of the site has none: a page or a docstring
(mkdocstrings renders the docstrings into the API reference) names the help
page and quotes it, never a file name. Paths into the repository (``tests/``,
``benchmarks/``, ``scripts/``) are fine on a page that links the repository.

Python-Markdown, which renders the site, is stricter than most Markdown: a list
needs a blank line before it (otherwise its lines join the paragraph above),
and content nested in a list item (a paragraph after a blank line, a code
block, a sub-list) needs four spaces of indentation. Each page is rendered here
with the extensions mkdocs.yml configures, and every list item of the source
must come out as an ``<li>``.
"""

from __future__ import annotations

import ast
import functools
import importlib.util
import inspect
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import markdown
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
PACKAGE = ROOT / "src" / "otocore"
pytestmark = pytest.mark.source_tree  # it reads docs/ and src/

PAGES = sorted(DOCS.rglob("*.md"))
PAGE_IDS = [page.relative_to(DOCS).as_posix() for page in PAGES]
MODULES = sorted(PACKAGE.rglob("*.py"))

# The help pages' file names, with or without the extension (`oto-faq.txt`,
# "the `vtex-televendas` seed"), and any other text file a reader could not open.
SEED_STEMS = (
    "oto-faq",
    "oto-managers-and-campaigns",
    "oto-seller-app",
    "reshop-customers-module",
    "vtex-televendas",
    "altegio-customer-database",
)
SEED_NAME = re.compile(r"(?<![\w./-])(?:" + "|".join(map(re.escape, SEED_STEMS)) + r")\b")
TEXT_FILE = re.compile(r"[\w./-]*[\w-]+\.txt\b")
# Text files the reader does have: the package's own data (installed with it).
SHIPPED = {path.name for path in (PACKAGE / "data").glob("*.txt")}

FENCE = re.compile(r"^ *(```|~~~)")
REPOSITORY_PATH = re.compile(r"(?<![\w/.-])(?:tests|benchmarks|scripts)/[\w<*]")


def _file_citations(text: str) -> list[str]:
    found = [m.group(0) for m in SEED_NAME.finditer(text)]
    found += [
        m.group(0) for m in TEXT_FILE.finditer(text) if m.group(0).rsplit("/", 1)[-1] not in SHIPPED
    ]
    return found


@functools.cache
def _docstrings(module: Path) -> list[tuple[int, str]]:
    """Every string statement of a module: docstrings and attribute docstrings."""
    tree = ast.parse(module.read_text(encoding="utf-8"))
    return [
        (node.lineno, node.value.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr)
        and isinstance(node.value, ast.Constant)
        and isinstance(node.value.value, str)
    ]


def test_the_checks_see_a_seed_file_name_and_let_the_package_data_be() -> None:
    assert _file_citations("Source: `oto-faq.txt` (*O que é opt-in?*)") == [
        "oto-faq",
        "oto-faq.txt",
    ]
    assert _file_citations("as the `vtex-televendas` seed puts it") == ["vtex-televendas"]
    assert _file_citations("see notes/reshop.txt") == ["notes/reshop.txt"]
    assert _file_citations("Source: Oto's FAQ (*O que é opt-in?*)") == []
    assert "common_passwords.txt" in SHIPPED
    assert _file_citations("`otocore/data/common_passwords.txt`") == []


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_a_page_cites_no_file_the_reader_does_not_have(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    cited = [
        f"{number}: {name}"
        for number, line in enumerate(text.splitlines(), 1)
        for name in _file_citations(line)
    ]
    assert cited == [], "name the product's help page instead"


def test_no_docstring_cites_a_file_the_reader_does_not_have() -> None:
    cited = [
        f"{module.relative_to(ROOT)}:{lineno}: {name}"
        for module in MODULES
        for lineno, text in _docstrings(module)
        for name in _file_citations(text)
    ]
    assert cited == [], "name the product's help page instead"


DOCS_PATH = re.compile(r"(?<![\w/.-])docs/[\w/-]+\.md\b")


def _rendered_docstrings(module: Path) -> list[tuple[int, str]]:
    """The docstrings the API reference can show: all but a private module's own."""
    dotted = ".".join(module.relative_to(PACKAGE.parent).with_suffix("").parts)
    private = any(part.startswith("_") and part != "__init__" for part in dotted.split("."))
    if not private or dotted in DOCUMENTED:
        return _docstrings(module)
    module_docstring = ast.get_docstring(ast.parse(module.read_text(encoding="utf-8")), clean=False)
    return [(n, text) for n, text in _docstrings(module) if text != module_docstring]


DOCUMENTED = {
    name for page in PAGES for name in re.findall(r"^::: ([\w.]+)", page.read_text("utf-8"), re.M)
}


def test_no_rendered_docstring_cites_a_docs_file() -> None:
    """The reader of the site or of ``help()`` has pages, not docs/*.md: name the page."""
    cited = [
        f"{module.relative_to(ROOT)}:{lineno}: {name}"
        for module in MODULES
        for lineno, text in _rendered_docstrings(module)
        for name in DOCS_PATH.findall(text)
    ]
    assert cited == []


def _repo_url() -> str:
    match = re.search(r"^repo_url: (\S+)$", (ROOT / "mkdocs.yml").read_text("utf-8"), re.M)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_a_page_naming_repository_files_links_the_first_to_the_repository(page: Path) -> None:
    """The first ``tests/``, ``benchmarks/`` or ``scripts/`` path of a page's text is a link."""
    in_fence = False
    for line in page.read_text(encoding="utf-8").splitlines():
        if FENCE.match(line):
            in_fence = not in_fence
        elif not in_fence and REPOSITORY_PATH.search(line):
            assert f"]({_repo_url()}/" in line, "link the path to the repository"
            return


# ---- lists ------------------------------------------------------------------------------


@functools.cache
def _extensions() -> tuple[list[str], dict[str, dict[str, Any]]]:
    """The Markdown extensions of mkdocs.yml, as the `markdown` package takes them."""
    text = (ROOT / "mkdocs.yml").read_text("utf-8")
    config = yaml.safe_load(re.sub(r"!!python/name:\S+", "''", text))  # a function, by name
    names: list[str] = []
    options: dict[str, dict[str, Any]] = {}
    for entry in config["markdown_extensions"]:
        name, value = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        names.append(name)
        options[name] = dict(value or {})
    options["pymdownx.superfences"] = {}  # its custom fence is mermaid's, not needed here
    options["pymdownx.snippets"] = {"base_path": [str(ROOT)], "check_paths": True}
    return names, options


SNIPPET = re.compile(r'^--8<-- "(.*)"$', re.MULTILINE)
AUTODOC = re.compile(r"^::: .*\n(?:(?:    .*)?\n)*", re.MULTILINE)  # mkdocstrings' blocks
ITEM = re.compile(r"^( *)(\d+\.|[-*+]) +\S")
PARAGRAPH_ENDS = (" ", "#", "|", "<")  # a nested line, a heading, a table, HTML
QUOTE = re.compile(r" *>(?!>>)")  # a doctest (>>>) is code: scripts/mkdocs_pycon.py
LEAKED = re.compile(r" *(\d+\.|[-*+]) +\S")  # a list item read as a line of text
CODE = re.compile(r'<pre.*?</pre>|<div class="highlight">.*?</div>', re.DOTALL)


def _source(page: Path) -> str:
    """The page as Markdown sees it: included Markdown files in, API blocks out."""
    text = page.read_text(encoding="utf-8")
    text = SNIPPET.sub(
        lambda m: (ROOT / m[1]).read_text("utf-8") if m[1].endswith(".md") else "", text
    )
    return AUTODOC.sub("", text)


@functools.cache
def _markdown(*extra: Any) -> markdown.Markdown:
    """One converter per set of extensions (building one per docstring is slow)."""
    extensions, options = _extensions()  # read when a test runs: the wheel's run has no mkdocs.yml
    return markdown.Markdown(extensions=[*extensions, *extra], extension_configs=options)


def _render(text: str, *extra: Any) -> str:
    html = _markdown(*extra).reset().convert(text)
    return CODE.sub("", html)


def _items_and_faults(text: str) -> tuple[int, int, list[str]]:
    """Count the source's list items and ordered lists; name the lines Python-Markdown misreads."""
    items = ordered = 0
    faults: list[str] = []
    in_fence = False
    previous = ""
    for number, line in enumerate(text.splitlines(), 1):
        indent = len(line) - len(line.lstrip(" "))
        after_blank = not previous.strip()
        if FENCE.match(line):
            if not in_fence and after_blank and indent % 4 > 0:
                faults.append(f"{number}: a code block in a list item needs 4 spaces")
            in_fence = not in_fence
        elif in_fence:
            pass
        elif item := ITEM.match(line):
            items += 1
            ordered += item[2] == "1."
            if indent % 4:
                faults.append(f"{number}: a nested list needs 4 spaces per level")
            elif (
                indent == 0
                and not after_blank
                and not ITEM.match(previous)
                and not previous.startswith(PARAGRAPH_ENDS)
            ):
                faults.append(f"{number}: a list needs a blank line before it")
        elif line.strip() and after_blank and indent % 4 > 0:
            faults.append(f"{number}: a paragraph in a list item needs 4 spaces")
        elif QUOTE.match(line) and not after_blank and previous.lstrip()[:1] != ">":
            faults.append(f"{number}: a line starting '>' is a quote: rewrap the paragraph")
        previous = line
    return items, ordered, faults


def test_the_list_checks_see_the_faults() -> None:
    glued = "Steps:\n1. one\n2. two\n"
    assert _items_and_faults(glued)[2] == ["2: a list needs a blank line before it"]
    assert "<ol>" not in _render(glued)
    shallow = "1. one\n\n   more\n2. two\n   - nested\n"
    assert _items_and_faults(shallow)[2] == [
        "3: a paragraph in a list item needs 4 spaces",
        "5: a nested list needs 4 spaces per level",
    ]
    assert _items_and_faults("- a target of\n  >= 0.9x\n")[2] == [
        "2: a line starting '>' is a quote: rewrap the paragraph"
    ]
    good = "Steps:\n\n1. one\n\n    more\n\n2. two\n    - nested\n"
    assert _items_and_faults(good) == (3, 1, [])
    assert _render(good).count("<li>") == 3


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_every_list_of_a_page_renders_as_a_list(page: Path) -> None:
    text = _source(page)
    items, ordered, faults = _items_and_faults(text)
    html = _render(text)
    leaked = [line for line in html.splitlines() if LEAKED.match(line)]
    assert (faults, leaked) == ([], [])
    assert (html.count("<li>") + html.count("<li "), html.count("<ol>")) == (items, ordered)


def test_every_list_of_a_docstring_renders_as_a_list() -> None:
    """mkdocstrings renders docstrings with the same Markdown into the API reference."""
    faulty = []
    for module in MODULES:
        for lineno, doc in _docstrings(module):
            text = inspect.cleandoc(doc)
            faults = _items_and_faults(text)[2]
            faults += [line for line in _render(text).splitlines() if LEAKED.match(line)]
            faulty += [f"{module.relative_to(ROOT)}:{lineno}: {fault}" for fault in faults]
    assert faulty == []


def _pycon_hook() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "mkdocs_pycon", ROOT / "scripts" / "mkdocs_pycon.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_site_loads_the_doctest_hook() -> None:
    assert re.search(
        r"^hooks:\n  - scripts/mkdocs_pycon\.py\b", (ROOT / "mkdocs.yml").read_text(), re.M
    )


def test_the_hook_fences_doctests_links_roles_and_leaves_fenced_code_alone() -> None:
    fence = _pycon_hook().rewrite
    text = ["Text:", ">>> f(1)  # doctest: +ELLIPSIS", "...", "<BLANKLINE>", "", "More."]
    assert fence(text) == ["Text:", "", "```pycon", ">>> f(1)", "...", "", "```", "", "More."]
    assert fence(["    >>> 1", "    1"]) == ["    ```pycon", "    >>> 1", "    1", "    ```"]
    assert fence(["~~~", ">>> 1", "~~~"]) == ["~~~", ">>> 1", "~~~"]
    assert fence(["See :class:`~otocore.customers.Cpf` and :meth:`Cpf.parse`."]) == [
        'See <autoref identifier="otocore.customers.Cpf" optional><code>Cpf</code></autoref>'
        ' and <autoref identifier="Cpf.parse" optional><code>Cpf.parse</code></autoref>.'
    ]
    assert fence(["```", ":class:`Cpf`", "```"]) == ["```", ":class:`Cpf`", "```"]


def test_every_doctest_and_role_of_a_docstring_renders_as_code() -> None:
    """Without the hook, ``>>>`` reads as three nested block quotes (mkdocstrings' Markdown),
    and ``:class:`Cpf``` shows its role as text."""
    extension = _pycon_hook().PyconExtension()
    quoted = []
    for module in MODULES:
        for lineno, doc in _docstrings(module):
            text = inspect.cleandoc(doc)
            if ">>>" not in text and ":`" not in text:
                continue
            html = _markdown(extension).reset().convert(text)
            quotes = "<blockquote>" in html or (">>>" in text and "&gt;&gt;&gt;" not in html)
            if quotes or re.search(r":[a-z]+:<code>", html):
                quoted.append(f"{module.relative_to(ROOT)}:{lineno}")
    assert quoted == []


def test_the_rfv_rule_is_one_numbered_list_of_seven_steps() -> None:
    html = _render(_source(DOCS / "rules" / "rfv.md"))
    section = html.split('id="the-rule-exactly"', 1)[1].split("<h2", 1)[0]
    steps = re.search(r"<ol>(.*?)</ol>", section, re.DOTALL)
    assert steps is not None
    titles = re.findall(r"<li>\s*(?:<p>)?<strong>([^<]+)</strong>", steps[1])
    assert titles == [
        "Local days.",
        "Window.",
        "Raw values.",
        "Who is scored.",
        "Quantile scoring (the default).",
        "Threshold scoring",
        "Segment.",
    ]
