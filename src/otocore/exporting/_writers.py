"""The two file writers of :mod:`otocore.exporting`: CSV and .xlsx, one row at a time. Private."""

from __future__ import annotations

import contextlib
import csv
import itertools
import os
import pickle
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from otocore import _validate as v
from otocore.customers import Customer
from otocore.errors import OtocoreError
from otocore.exporting import _xlsx_process
from otocore.exports import COLUMNS, ExportFormat, csv_cells, customer_cells

Progress = Callable[[int], None]
"""Called with the number of rows written so far (after each batch of rows, and at the end)."""

PROGRESS_EVERY = 1000
"""Rows between two calls of the progress callback."""

CSV_DELIMITER = ";"
"""The CSV separator: what Excel in Brazil writes and reads (the import detects it)."""

PROCESS_AFTER = 10_000
"""Rows after which a .xlsx export hands XlsxWriter to a second process (two CPUs or more)."""

SHEET_NAME = "clientes"
"""The name of the .xlsx file's one worksheet."""

# characters XML 1.0 does not allow (the registry's validators refuse the control characters;
# a record rebuilt from a store without them may hold one): replaced by U+FFFD in .xlsx
_NOT_XML = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


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


def _xlsx_rows(customers: Iterable[Customer]) -> Iterator[tuple[str, ...]]:
    """Each customer's cells as a worksheet holds them (XML's forbidden characters replaced)."""
    search = _NOT_XML.search
    for customer in customers:
        cells = customer_cells(customer)
        if search("".join(cells)) is not None:  # rare: one search per row, not per cell
            cells = tuple(map(_excel_text, cells))
        yield cells


def _cpus() -> int:
    """The CPUs this process may run on."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)


def _write_in_writer_process(
    path: Path, rows: Iterator[tuple[str, ...]], progress: Progress | None, target: Path
) -> int:
    """Stream ``rows`` to a second Python process that runs XlsxWriter; wait for it.

    This process reads the store and builds the cells while the other one writes
    the XML and compresses it: on two CPUs the export takes about as long as
    XlsxWriter alone. The rows go through a pipe in pickled batches of
    :data:`PROGRESS_EVERY` (the pipe's own buffer holds back a fast reader, so memory
    stays flat). The child is otocore's own script, run by this interpreter.
    """
    import xlsxwriter  # where this process finds it: the writer's last resort

    library = str(Path(xlsxwriter.__file__).resolve().parents[1])
    with tempfile.TemporaryFile() as errors:
        try:
            # -P: the script's folder is not put on the path (only the interpreter's own)
            child = subprocess.Popen(  # noqa: S603 - this interpreter and otocore's own script
                [sys.executable, "-P", _xlsx_process.__file__, str(path), library],
                stdin=subprocess.PIPE,
                stdout=subprocess.DEVNULL,
                stderr=errors,
            )
        except OSError:  # no interpreter to start (an embedded Python): write it here
            return _write_here(path, rows, progress)
        pipe = child.stdin
        assert pipe is not None  # noqa: S101 - stdin=PIPE
        count = 0
        try:
            with contextlib.suppress(BrokenPipeError):  # the writer stopped: it says why
                pickle.dump((SHEET_NAME, COLUMNS), pipe, protocol=pickle.HIGHEST_PROTOCOL)
                batch: list[tuple[str, ...]] = []
                for cells in rows:
                    batch.append(cells)
                    if len(batch) == PROGRESS_EVERY:
                        pickle.dump(batch, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                        count += len(batch)
                        batch.clear()
                        if progress is not None:
                            progress(count)
                pickle.dump(batch, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                pickle.dump(None, pipe, protocol=pickle.HIGHEST_PROTOCOL)
                count += len(batch)
                pipe.close()
            child.wait()
        except BaseException:
            child.kill()
            child.wait()
            raise
        finally:
            with contextlib.suppress(BrokenPipeError):
                pipe.close()
        if child.returncode != 0:
            errors.seek(0)
            lines = errors.read().decode("utf-8", "replace").strip().splitlines()
            why = lines[-1] if lines else f"exit status {child.returncode}"
            raise OtocoreError(f"{target}: the .xlsx writer stopped: {why}")
    return count


def _write_here(path: Path, rows: Iterable[tuple[str, ...]], progress: Progress | None) -> int:
    return _xlsx_process.write_sheet(
        str(path), SHEET_NAME, COLUMNS, rows, progress=progress, every=PROGRESS_EVERY
    )


def _write_xlsx(
    path: Path,
    customers: Iterable[Customer],
    progress: Progress | None,
    writer_process: bool | None,
    target: Path,
) -> int:
    rows = _xlsx_rows(customers)
    if writer_process is None:
        first = list(itertools.islice(rows, PROCESS_AFTER))
        writer_process = (
            len(first) == PROCESS_AFTER
            and _cpus() > 1
            and bool(sys.executable)
            and Path(_xlsx_process.__file__).is_file()  # not from a zip archive
        )
        rows = itertools.chain(first, rows)
    if writer_process:
        count = _write_in_writer_process(path, rows, progress, target)
    else:
        count = _write_here(path, rows, progress)
    if progress is not None:
        progress(count)
    return count


def write_customers(
    path: str | os.PathLike[str],
    customers: Iterable[Customer],
    *,
    file_format: ExportFormat,
    on_progress: Progress | None = None,
    writer_process: bool | None = None,
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

    XlsxWriter writes about 15,000 rows a second, one CPU's worth; reading the
    store and building the cells costs a CPU too. So, by default
    (``writer_process=None``), an export of more than :data:`PROCESS_AFTER`
    rows on a machine with two CPUs or more runs XlsxWriter in a second Python
    process (this interpreter, running otocore's sheet writer as a script)
    and streams the cells to it through a pipe, while this process goes on
    reading: the file is the same, written in about the time of XlsxWriter
    alone. ``writer_process=True`` always does, ``False`` never does (for a
    host that may not start processes). If the writer process cannot start,
    the export is written here; if it stops, the error is an
    :class:`~otocore.errors.OtocoreError` with its reason and no file is left.

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
    if writer_process is not None:
        v.require_bool("writer_process", writer_process, rule="must be True, False or None")
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
            count = _write_xlsx(Path(temporary), customers, on_progress, writer_process, target)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count
