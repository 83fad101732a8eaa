"""The two file writers of :mod:`otocore.exporting`: CSV and .xlsx, one row at a time. Private."""

from __future__ import annotations

import csv
import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from otocore import _validate as v
from otocore.customers import Customer
from otocore.errors import OtocoreError
from otocore.exports import COLUMNS, ExportFormat, customer_cells

Progress = Callable[[int], None]
"""Called with the number of rows written so far (after each batch of rows, and at the end)."""

PROGRESS_EVERY = 1000
"""Rows between two calls of the progress callback."""

CSV_DELIMITER = ";"
"""The CSV separator: what Excel in Brazil writes and reads (the import detects it)."""

SHEET_NAME = "clientes"
"""The name of the .xlsx file's one worksheet."""

# characters XML 1.0 does not allow (the registry's validators refuse the control characters;
# a record rebuilt from a store without them may hold one): replaced by U+FFFD in .xlsx
_NOT_XML = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_CELL_SEPARATOR = "\x00"  # joins a row's cells before escaping; never in a validated text

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    ' xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    f'<sheets><sheet name="{SHEET_NAME}" sheetId="1" r:id="rId1"/></sheets>'
    "</workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2"'
    ' activePane="bottomLeft" state="frozen"/></sheetView></sheetViews><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"
_OPEN_CELL = '<c t="inlineStr"><is><t xml:space="preserve">'
_CLOSE_CELL = "</t></is></c>"
_BETWEEN_CELLS = _CLOSE_CELL + _OPEN_CELL


def _xml_row(number: int, cells: tuple[str, ...]) -> str:
    """One ``<row>`` of text cells (inline strings: never a number, a date or a formula)."""
    text = _CELL_SEPARATOR.join(cells)
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if _NOT_XML.search(text) is not None:
        text = _NOT_XML.sub("\ufffd", text)
    return f'<row r="{number}">{_OPEN_CELL}{text.replace(_CELL_SEPARATOR, _BETWEEN_CELLS)}{_CLOSE_CELL}</row>'


def _write_csv(out: IO[bytes], customers: Iterable[Customer], progress: Progress | None) -> int:
    text = open(out.fileno(), "w", encoding="utf-8-sig", newline="", closefd=False)  # noqa: SIM115
    with text:
        writer = csv.writer(text, delimiter=CSV_DELIMITER, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        count = 0
        batch: list[tuple[str, ...]] = []
        for customer in customers:
            batch.append(customer_cells(customer))
            if len(batch) == PROGRESS_EVERY:
                writer.writerows(batch)
                count += len(batch)
                batch.clear()
                if progress is not None:
                    progress(count)
        writer.writerows(batch)
        count += len(batch)
    if progress is not None:
        progress(count)
    return count


def _write_xlsx(out: IO[bytes], customers: Iterable[Customer], progress: Progress | None) -> int:
    count = 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/styles.xml", _STYLES)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START.encode())
            sheet.write(_xml_row(1, COLUMNS).encode())
            batch: list[str] = []
            for customer in customers:
                count += 1
                batch.append(_xml_row(count + 1, customer_cells(customer)))
                if len(batch) == PROGRESS_EVERY:
                    sheet.write("".join(batch).encode("utf-8"))
                    batch.clear()
                    if progress is not None:
                        progress(count)
            sheet.write("".join(batch).encode("utf-8"))
            sheet.write(_SHEET_END.encode())
    if progress is not None:
        progress(count)
    return count


def write_customers(
    path: str | os.PathLike[str],
    customers: Iterable[Customer],
    *,
    file_format: ExportFormat,
    on_progress: Progress | None = None,
) -> int:
    """Write ``customers`` to a new file at ``path``, streaming; return how many rows.

    The rows go to a temporary file in the same folder, renamed to ``path``
    once complete: an error leaves no file behind (and an existing ``path``
    untouched). Memory stays flat: one batch of :data:`PROGRESS_EVERY` rows
    at a time.

    ``csv``: UTF-8 with a byte-order mark (so Excel shows accents), ``;``
    separators, CRLF line ends, the header of :data:`~otocore.exports.COLUMNS`.
    ``xlsx``: one worksheet, ``clientes``, with the header in row 1 (frozen)
    and every cell an inline text string: a CPF never loses its zeros, a
    mobile never becomes a number and no cell is ever read as a formula.

    >>> import tempfile
    >>> from datetime import UTC, datetime
    >>> from pathlib import Path
    >>> ana = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "clientes.csv"
    ...     write_customers(path, [ana], file_format=ExportFormat.CSV)
    ...     path.read_text(encoding="utf-8-sig").splitlines()[1]
    1
    'C1;Ana;;;;;;;;;;;2026-01-01T00:00:00+00:00'
    """
    target = Path(path)
    v.require_instance("file_format", file_format, ExportFormat)
    write = _write_csv if file_format is ExportFormat.CSV else _write_xlsx
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as exc:
        raise OtocoreError(f"{target}: cannot write the export here ({exc.strerror})") from None
    try:
        with os.fdopen(handle, "wb") as out:
            count = write(out, customers, on_progress)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
