"""What an import reports: progress while it runs, a summary when done, the rejected rows.

Private: :class:`ImportProgress`, :class:`ImportStage`, :class:`ImportSummary`,
:func:`format_summary` and :func:`default_report_path` are public from
:mod:`otocore.importing`. Progress goes to the caller's callback, never to a
terminal: the command line draws its progress bar from it.
"""

from __future__ import annotations

import csv
import enum
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import attrs

from otocore.importing import _rows as rows
from otocore.importing._files import FileFormat, Record, RecordKind, printable

REPORT_COLUMNS = ("line", "field", "value", "reason", "raw")
"""The columns of a report of rejected rows."""


class ImportStage(enum.Enum):
    """Which pass over a file an import is making.

    :func:`~otocore.importing.import_file` and
    :func:`~otocore.importing.import_directory` read each file once, each row
    parsed and checked once as it is written: they report ``IMPORTING``.
    ``CHECKING`` (the first of two passes, when files were read twice) is no
    longer reported; it stays so that callbacks matching on it keep working.

    >>> ImportStage("checking")
    <ImportStage.CHECKING: 'checking'>
    """

    CHECKING = "checking"
    IMPORTING = "importing"


@attrs.frozen(kw_only=True)
class ImportProgress:
    """How far an import has got through one file: what a ``progress`` callback receives.

    :func:`~otocore.importing.import_file` and
    :func:`~otocore.importing.import_directory` call ``progress`` with one of
    these when a pass over a file starts (``rows_read == 0``), after every
    1000 rows, and when the pass ends (``done``). ``bytes_read`` of
    ``bytes_total`` is how much of the file as stored (compressed, for a
    ``.gz`` file) has been read, so their ratio is the fraction done;
    ``rows_total`` is the number of rows when it is known, else ``None`` (a
    file is read once, so the imports report ``None``). The callback runs
    between rows, in the caller's thread; an exception it raises stops the
    import, and nothing of it is written.

    The command line draws its progress bar from these; a program can log them:

    >>> import tempfile
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.importing import import_file
    >>> path = Path(tempfile.mkdtemp()) / "stores.csv"
    >>> _ = path.write_text("store_id,name\\nL01,Centro\\nL02,Norte\\n", encoding="utf-8")
    >>> seen = []
    >>> summary = import_file(InMemoryUnitOfWork(), path, progress=seen.append)
    >>> for p in seen:
    ...     print(p.stage.value, p.file.name, p.rows_read, p.rows_total, p.bytes_read, p.done)
    importing stores.csv 0 None 0 False
    importing stores.csv 2 None 35 True
    >>> seen[-1].bytes_total
    35
    """

    file: Path
    kind: RecordKind
    stage: ImportStage
    rows_read: int
    rows_total: int | None
    bytes_read: int
    bytes_total: int
    done: bool


@attrs.frozen(kw_only=True)
class ImportSummary:
    """What one import did: rows read, imported, rejected and repeated, and how long it took.

    ``rows_read`` counts data rows (blank lines are not rows; a telesales row
    is one item of an order), and always
    ``rows_read == imported + rejected + duplicates``:

    * ``imported``: the rows now in the store, one per id (written, or an
      event or contact stored already, equal);
    * ``rejected``: the bad rows (with ``skip_invalid``; else the import raised);
    * ``duplicates``: the rows whose id an earlier good row of the same file
      had. For stores, sellers, customers and orders the last of them is the
      one stored (an upsert, as a later file would do); for consent, blocks
      and contacts the repeat was the same row and is stored once (a repeat
      with different content is a bad row). For telesales, whose rows are
      the items of orders, the rows of an order stored already with the same
      content (imported before): it is left as it is, never written again.

    ``report_path`` is the report of rejected rows, if one was written.

    >>> s = ImportSummary(
    ...     file=Path("orders.csv"),
    ...     kind=RecordKind.ORDERS,
    ...     format=FileFormat.CSV,
    ...     rows_read=3,
    ...     imported=2,
    ...     rejected=1,
    ...     seconds=0.25,
    ... )
    >>> s.report_path is None, s.duplicates
    (True, 0)
    """

    file: Path
    kind: RecordKind
    format: FileFormat
    rows_read: int
    imported: int
    rejected: int
    duplicates: int = 0
    seconds: float
    report_path: Path | None = None


def format_summary(summary: ImportSummary) -> str:
    """The one-line summary the command line prints after an import.

    >>> print(
    ...     format_summary(
    ...         ImportSummary(
    ...             file=Path("data/orders.csv"),
    ...             kind=RecordKind.ORDERS,
    ...             format=FileFormat.CSV,
    ...             rows_read=30000,
    ...             imported=29998,
    ...             rejected=2,
    ...             seconds=1.84,
    ...             report_path=Path("data/orders.csv.rejected.csv"),
    ...         )
    ...     )
    ... )
    orders.csv: 30000 rows read, 29998 imported, 2 rejected in 1.8 s (report: data/orders.csv.rejected.csv)

    Ids repeated within the file are counted when there are any:

    >>> print(
    ...     format_summary(
    ...         ImportSummary(
    ...             file=Path("customers.csv"),
    ...             kind=RecordKind.CUSTOMERS,
    ...             format=FileFormat.CSV,
    ...             rows_read=5,
    ...             imported=3,
    ...             rejected=0,
    ...             duplicates=2,
    ...             seconds=0.01,
    ...         )
    ...     )
    ... )
    customers.csv: 5 rows read, 3 imported, 0 rejected, 2 duplicates in 0.0 s
    """
    rows_read = f"{summary.rows_read} row{'' if summary.rows_read == 1 else 's'} read"
    repeated = ""
    if summary.duplicates:
        repeated = f", {summary.duplicates} duplicate{'' if summary.duplicates == 1 else 's'}"
    line = (
        f"{summary.file.name}: {rows_read}, {summary.imported} imported,"
        f" {summary.rejected} rejected{repeated} in {summary.seconds:.1f} s"
    )
    if summary.report_path is not None and summary.rejected:
        line += f" (report: {summary.report_path})"
    return line


def default_report_path(path: Path) -> Path:
    """Where ``skip_invalid`` writes the rejected rows of ``path`` unless told otherwise.

    The report sits next to the file and is named after it (without ``.gz``),
    so two files of one kind (``orders.csv``, ``orders.jsonl``) never share
    a report, and a report is never taken for an import file.

    >>> default_report_path(Path("data/orders.jsonl.gz"))
    PosixPath('data/orders.jsonl.rejected.csv')
    """
    name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
    return path.with_name(f"{name}.rejected.csv")


# the report of rejected rows -----------------------------------------------------------


class RejectedRows:
    """Writes rejected rows as CSV: line, field, value, reason, raw."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._file: IO[str] | None = None
        self._writer: Any = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._file = open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115
            self._writer = csv.writer(self._file)
            self._writer.writerow(REPORT_COLUMNS)

    def write(self, record: Record, faults: Iterable[rows.Fault]) -> None:
        if self._writer is None:
            return
        raw = printable(record.raw.rstrip("\r\n"))
        for fault in faults:
            self._writer.writerow(
                [record.line, fault.column, _cell_text(fault.value), fault.rule, raw]
            )

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def __enter__(self) -> RejectedRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return printable(value)
    if isinstance(value, rows.JsonNumber):
        return value.text
    return printable(json.dumps(value, default=repr, ensure_ascii=False))
