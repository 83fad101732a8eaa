"""The two file writers of :mod:`otocore.exporting`: CSV and .xlsx, one row at a time. Private."""

from __future__ import annotations

import csv
import os
import re
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO

from otocore import _validate as v
from otocore.customers import Customer
from otocore.errors import OtocoreError
from otocore.exports import COLUMNS, ExportFormat, csv_cells, customer_cells

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

_EXCEL_OPTIONS = {
    "constant_memory": True,  # one row in memory at a time: flat memory whatever the size
    "strings_to_numbers": False,  # every cell stays the text it was (a CPF keeps its zeros)
    "strings_to_formulas": False,  # a cell starting with "=" is text, never a formula
    "strings_to_urls": False,
}


def _excel_text(text: str) -> str:
    """``text`` as a worksheet cell can hold it: XML 1.0's forbidden characters become U+FFFD."""
    return _NOT_XML.sub("\ufffd", text) if _NOT_XML.search(text) is not None else text


def _write_csv(out: IO[bytes], customers: Iterable[Customer], progress: Progress | None) -> int:
    text = open(out.fileno(), "w", encoding="utf-8-sig", newline="", closefd=False)  # noqa: SIM115
    with text:
        writer = csv.writer(text, delimiter=CSV_DELIMITER, lineterminator="\r\n")
        writer.writerow(COLUMNS)
        count = 0
        batch: list[tuple[str, ...]] = []
        for customer in customers:
            batch.append(csv_cells(customer))
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


def _write_xlsx(path: Path, customers: Iterable[Customer], progress: Progress | None) -> int:
    import xlsxwriter  # only when a workbook is written

    book = xlsxwriter.Workbook(str(path), _EXCEL_OPTIONS)
    try:
        sheet = book.add_worksheet(SHEET_NAME)
        sheet.freeze_panes(1, 0)
        # ``write_string`` is ``_write_string`` behind a decorator that also accepts "A1"
        # cell names; given row and column numbers it only costs one more call per cell
        # (about 5% of a large export). Both write the same file (tests compare them).
        write = getattr(sheet, "_write_string", sheet.write_string)
        for column, name in enumerate(COLUMNS):
            write(0, column, name)
        count = 0
        search = _NOT_XML.search
        for customer in customers:
            count += 1
            cells = customer_cells(customer)
            if search("".join(cells)) is not None:  # rare: one search per row, not per cell
                cells = tuple(map(_excel_text, cells))
            for column, cell in enumerate(cells):
                if cell:
                    write(count, column, cell)
            if progress is not None and count % PROGRESS_EVERY == 0:
                progress(count)
    finally:
        book.close()
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
    separators, CRLF line ends, the header of :data:`~otocore.exports.COLUMNS`,
    each row :func:`~otocore.exports.csv_cells`: a free-text or e-mail cell
    starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
    leading ``'`` (OWASP's CSV injection rule), so no spreadsheet reads it as
    a formula; so does one starting with a ``'``, so that otocore's CSV import
    can take exactly its own quotes off again
    (:func:`~otocore.exports.restore_formula`).
    ``xlsx``: written by XlsxWriter in its constant-memory mode: one
    worksheet, ``clientes``, with the header in row 1 (frozen) and every cell
    a text string (an empty cell for an empty value): a CPF never loses its
    zeros, a mobile never becomes a number and no cell is ever read as a
    formula.

    >>> import tempfile
    >>> from datetime import UTC, datetime
    >>> from pathlib import Path
    >>> ana = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "clientes.csv"
    ...     write_customers(path, [ana], file_format=ExportFormat.CSV)
    ...     path.read_text(encoding="utf-8-sig").splitlines()[1]
    1
    'C1;Ana;;;;;;;;;;;;2026-01-01T00:00:00+00:00'
    >>> evil = Customer(customer_id="C2", name="=1+1", registered_at=ana.registered_at)
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "clientes.csv"
    ...     write_customers(path, [evil], file_format=ExportFormat.CSV)
    ...     path.read_text(encoding="utf-8-sig").splitlines()[1]
    1
    "C2;'=1+1;;;;;;;;;;;;2026-01-01T00:00:00+00:00"
    """
    target = Path(path)
    v.require_instance("file_format", file_format, ExportFormat)
    try:
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=".part"
        )
    except OSError as exc:
        raise OtocoreError(f"{target}: cannot write the export here ({exc.strerror})") from None
    try:
        if file_format is ExportFormat.CSV:
            with os.fdopen(handle, "wb") as out:
                count = _write_csv(out, customers, on_progress)
        else:
            os.close(handle)
            count = _write_xlsx(Path(temporary), customers, on_progress)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
