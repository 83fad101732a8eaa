"""One HTML table of exact values, for the notebook views (``_repr_html_``). Private.

The results views and the customer dashboard render their rows the same way: a
titled table whose every cell shows a formatted value and carries the exact one
in ``data-value`` (so a test, or a script scraping the page, reads the number
otocore computed, not its pt-BR rendering).
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

TABLE_STYLE = "border-collapse:collapse;margin:4px 0 12px"
CELL_STYLE = "border-bottom:1px solid #d9e2ec;padding:3px 8px"


def exact(value: Any) -> str:
    """The exact text of a value: ``""`` for None, ``true``/``false``, a Decimal's digits, ISO dates.

    >>> from datetime import date
    >>> [exact(v) for v in (None, True, Decimal("1.50"), date(2026, 5, 1), 3)]
    ['', 'true', '1.50', '2026-05-01', '3']
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return str(value)
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def table(
    title: str,
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    heading: Callable[[str], str],
    left: Callable[[str], bool],
    text: Callable[[str, Any, dict[str, Any]], str],
) -> str:
    """A titled table of ``rows`` over ``columns``; an em dash row when there is none.

    ``heading(column)`` is the column's title, ``left(column)`` whether it is
    left-aligned (text and days; numbers go right), ``text(column, value, row)``
    the value as shown.

    >>> print(
    ...     table(
    ...         "T",
    ...         [{"n": 2}],
    ...         ["n"],
    ...         heading=str.upper,
    ...         left=lambda c: False,
    ...         text=lambda c, v, r: f"{v}!",
    ...     )
    ... )  # doctest: +ELLIPSIS
    <table ...><caption ...>T</caption><thead><tr><th ...>N</th></tr></thead><tbody><tr><td ... data-column="n" data-value="2">2!</td></tr></tbody></table>
    """
    head = "".join(
        f'<th style="{CELL_STYLE};text-align:left">{html.escape(heading(c))}</th>' for c in columns
    )
    body = []
    for row in rows:
        cells = "".join(
            f'<td style="{CELL_STYLE};text-align:{"left" if left(c) else "right"}"'
            f' data-column="{c}" data-value="{html.escape(exact(row[c]))}">'
            f"{html.escape(text(c, row[c], row))}</td>"
            for c in columns
        )
        body.append(f"<tr>{cells}</tr>")
    if not rows:
        body.append(f'<tr><td colspan="{len(columns)}" style="{CELL_STYLE}">—</td></tr>')
    return (
        f'<table style="{TABLE_STYLE}"><caption style="text-align:left;font-weight:600">'
        f"{html.escape(title)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )
