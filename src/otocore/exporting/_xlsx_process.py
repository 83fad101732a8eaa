"""The .xlsx sheet writer of :mod:`otocore.exporting`, also run as a process of its own. Private.

:func:`otocore.exporting.write_customers` writes a .xlsx export with :func:`write_sheet`:
in its own process for a small export, and for a large one by running this file as a
script with the same interpreter (``python -P .../_xlsx_process.py PATH [FOLDER]``), so that
XlsxWriter has a CPU of its own while the caller reads the store. The parent writes to
the script's standard input, pickled: ``(sheet_name, header)``, then batches of rows
(lists of tuples of cell texts, ready for XML), then ``None``. The script writes the
workbook at ``PATH``, exits 0, or prints the reason on standard error and exits 1. Its
input comes only from the otocore process that started it, through a pipe.

It imports nothing of otocore (nor its package): run as a script it starts in a few
hundredths of a second, with the standard library and XlsxWriter alone. ``FOLDER``, the
folder where the parent found XlsxWriter, goes at the end of the path: the interpreter's own
XlsxWriter comes first, and the parent's serves when the interpreter has none (a notebook
that added a folder to its path).
"""

from __future__ import annotations

import pickle
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import BinaryIO

__all__ = ["EXCEL_OPTIONS", "main", "write_sheet"]

EXCEL_OPTIONS = {
    "constant_memory": True,  # one row in memory at a time: flat memory whatever the size
    "strings_to_numbers": False,  # every cell stays the text it was (a CPF keeps its zeros)
    "strings_to_formulas": False,  # a cell starting with "=" is text, never a formula
    "strings_to_urls": False,
}
"""XlsxWriter's workbook options for an export."""


def write_sheet(
    path: str,
    sheet_name: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    progress: Callable[[int], None] | None = None,
    every: int = 1000,
) -> int:
    """Write a one-sheet workbook at ``path``: ``header`` (frozen), then ``rows``; the row count.

    Every cell is a text string; an empty text is an empty cell. The cells must be
    text XML can hold (the caller replaces the characters it cannot). ``progress`` is
    called with the rows written so far, every ``every`` rows.

    >>> import tempfile, zipfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = str(Path(folder) / "x.xlsx")
    ...     write_sheet(path, "clientes", ["id", "name"], [("C1", "Ana"), ("C2", "")])
    ...     sheet = zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    2
    >>> "Ana" in sheet, sheet.count("<row ")
    (True, 3)
    """
    import xlsxwriter  # only when a workbook is written

    book = xlsxwriter.Workbook(path, EXCEL_OPTIONS)
    try:
        sheet = book.add_worksheet(sheet_name)
        sheet.freeze_panes(1, 0)
        # ``write_string`` is ``_write_string`` behind a decorator that also accepts "A1"
        # cell names; given row and column numbers it only costs one more call per cell
        # (about 5% of a large export). Both write the same file (tests compare them).
        write = getattr(sheet, "_write_string", sheet.write_string)
        for column, name in enumerate(header):
            write(0, column, name)
        count = 0
        for cells in rows:
            count += 1
            for column, cell in enumerate(cells):
                if cell:
                    write(count, column, cell)
            if progress is not None and count % every == 0:
                progress(count)
    finally:
        book.close()
    return count


def _rows(pipe: BinaryIO) -> Iterator[tuple[str, ...]]:
    while (batch := pickle.load(pipe)) is not None:  # noqa: S301 - our own parent's pipe
        yield from batch


def main(argv: Sequence[str] | None = None, stdin: BinaryIO | None = None) -> int:
    """Write the workbook at ``argv``'s path (then, optionally, XlsxWriter's folder); the status.

    ``argv`` defaults to the command line's arguments, ``stdin`` to standard input.

    >>> import io, pickle, tempfile, zipfile
    >>> from pathlib import Path
    >>> feed = [("clientes", ("id", "name")), [("C1", "Ana")], None]
    >>> pipe = io.BytesIO(b"".join(pickle.dumps(part) for part in feed))
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = str(Path(folder) / "x.xlsx")
    ...     status = main([path], stdin=pipe)
    ...     "Ana" in zipfile.ZipFile(path).read("xl/worksheets/sheet1.xml").decode()
    True
    >>> status
    0
    """
    path, *library = sys.argv[1:] if argv is None else argv
    sys.path.extend(library)
    pipe = stdin if stdin is not None else sys.stdin.buffer
    try:
        sheet_name, header = pickle.load(pipe)  # noqa: S301 - our own parent's pipe
        write_sheet(path, sheet_name, header, _rows(pipe))
    except Exception as exc:  # noqa: BLE001 - the parent turns it into an OtocoreError
        sys.stderr.write(f"{type(exc).__name__}: {exc}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
