"""Importação (import): stores, sellers, customers and orders from CSV or JSON Lines files.

The seed ``vtex-televendas.txt`` names the use case: "importar pedidos de
outras plataformas"; ``reshop-customers-module.txt`` describes the *Cadastro*
that the customers file fills. :func:`import_file` reads one file and upserts
its rows by id through a unit of work; :func:`import_directory` imports
``stores``, ``sellers``, ``customers`` and ``orders`` files of one directory,
in that order. The command ``otocore import`` calls them.

The rules, exactly (the columns of each kind are in ``docs/import.md``):

* A file is CSV (comma-separated, UTF-8, a header line naming the columns) or
  JSON Lines (one JSON object per line, keys = the same column names),
  optionally gzip-compressed. The file is streamed: memory stays flat however
  large it is.
* Every cell goes through the validators of the value type it builds, so a
  row obeys every rule a hand-built value does. An empty cell (or a JSON
  ``null``, a missing key, ``""``) means "no value"; ``status`` and
  ``channel`` then take their defaults. Instants are ISO 8601 *with* a UTC
  offset; totals are plain decimals with ``'.'`` (``1234.56``, never
  ``1.234,56``).
* A bad row is a :class:`RowError` naming the file, the line, the column and
  the value. By default a file with any bad row imports nothing and raises
  :class:`ImportRejected`; with ``skip_invalid=True`` the good rows are
  imported and the bad ones are written, with their reasons, to a report.
* Rows are upserted by id, so importing the same file twice changes nothing.

>>> import tempfile
>>> from pathlib import Path
>>> from otocore.adapters.memory import InMemoryUnitOfWork
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "stores.csv").write_text(
...     "store_id,name,city,state\\nL01,Loja Centro,São Paulo,SP\\n", encoding="utf-8"
... )
>>> uow = InMemoryUnitOfWork()
>>> summary = import_file(uow, folder / "stores.csv")
>>> summary.rows_read, summary.imported, summary.rejected
(1, 1, 0)

A bad cell names the file, the line, the column and the value, and nothing
is imported:

>>> _ = (folder / "orders.csv").write_text(
...     "order_id,customer_id,store_id,placed_at,total\\n"
...     "P1,C1,L01,2026-05-10T15:30:00-03:00,199.90\\n"
...     "P2,C1,L01,2026-05-10T16:00:00-03:00,\\"1.234,56\\"\\n",
...     encoding="utf-8",
... )
>>> import_file(uow, folder / "orders.csv")
Traceback (most recent call last):
...
otocore.importing.ImportRejected: 1 bad row in orders.csv, nothing imported:
  orders.csv line 3: total must use '.' as the decimal separator and no thousands separator, such as '1234.56' (Brazilian '1.234,56' is not accepted), got '1.234,56'
"""

from __future__ import annotations

import contextlib
import csv
import enum
import gzip
import json
import os
import re
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, NamedTuple, TypeVar, cast

import attrs

from otocore import _import_rows as rows
from otocore.customers import CpfPolicy
from otocore.errors import NotFound, OtocoreError, RuleViolation, ValidationError
from otocore.repositories import UnitOfWork

__all__ = [
    "FileFormat",
    "ImportFailed",
    "ImportRejected",
    "ImportSummary",
    "RecordKind",
    "RowError",
    "default_report_path",
    "format_summary",
    "import_directory",
    "import_file",
    "to_cells",
]

_T = TypeVar("_T")

MAX_LISTED_ROWS = 20
"""How many bad rows an :class:`ImportRejected` lists (the rest are counted)."""

MAX_LINE_BYTES = 1 << 20
"""A physical line longer than this (1 MiB) is a row error, never read whole."""

REPORT_COLUMNS = ("line", "field", "value", "reason", "raw")
"""The columns of a report of rejected rows."""

_GZIP_MAGIC = b"\x1f\x8b"
_BOM = "\ufeff"
_SURROGATE = re.compile("[\ud800-\udfff]")
_PROGRESS_EVERY = 1000
_BATCH_INDEX = re.compile(r"\w*\[(\d+)\]")


class RecordKind(enum.Enum):
    """What a file holds: lojas, vendedores, clientes or pedidos.

    >>> RecordKind("orders").columns
    ('order_id', 'customer_id', 'store_id', 'placed_at', 'total', 'seller_code', 'status', 'channel')
    >>> RecordKind.SELLERS.required_columns
    ('code', 'name', 'store_id')
    """

    STORES = "stores"
    SELLERS = "sellers"
    CUSTOMERS = "customers"
    ORDERS = "orders"

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column a file of this kind may have, in the documented order.

        >>> RecordKind.STORES.columns
        ('store_id', 'name', 'city', 'state')
        """
        return rows.SCHEMAS[self.value].columns

    @property
    def required_columns(self) -> tuple[str, ...]:
        """The columns a CSV header must have and a row must fill.

        >>> RecordKind.CUSTOMERS.required_columns
        ('customer_id', 'name', 'registered_at')
        """
        return rows.SCHEMAS[self.value].required


class FileFormat(enum.Enum):
    """The format of an import file; gzip compression is detected separately.

    >>> FileFormat.from_path(Path("orders.jsonl.gz"))
    <FileFormat.JSONL: 'jsonl'>
    """

    CSV = "csv"
    JSONL = "jsonl"

    @classmethod
    def from_path(cls, path: Path) -> FileFormat:
        """The format named by the file's suffix: ``.csv``, ``.jsonl`` or ``.ndjson`` (+ ``.gz``).

        Raises:
            ValidationError: the suffix names no known format.

        >>> FileFormat.from_path(Path("clientes.CSV"))
        <FileFormat.CSV: 'csv'>
        >>> FileFormat.from_path(Path("orders.xlsx"))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: format cannot be told from the file name (use .csv, .jsonl or .ndjson, optionally + .gz, or pass format=), got 'orders.xlsx'
        """
        suffix = _format_suffix(path.name)
        if suffix == ".csv":
            return cls.CSV
        if suffix in {".jsonl", ".ndjson"}:
            return cls.JSONL
        raise ValidationError(
            "format",
            path.name,
            "cannot be told from the file name"
            " (use .csv, .jsonl or .ndjson, optionally + .gz, or pass format=)",
        )


class RowError(ValidationError):
    """One fault of one row of an import file.

    ``field`` is the column name (``"(row)"`` for a fault of the whole row,
    such as malformed CSV or JSON), ``value`` the cell as found in the file,
    ``rule`` what would be valid; ``file`` and ``line`` say where. ``line`` is
    the physical line the row starts on (the CSV header is line 1).

    >>> err = RowError(file="orders.csv", line=7, field="total", value="-3", rule="must be >= 0")
    >>> print(err)
    orders.csv line 7: total must be >= 0, got '-3'
    >>> err.field, err.line
    ('total', 7)
    """

    file: str
    line: int

    def __init__(self, *, file: str, line: int, field: str, value: Any, rule: str) -> None:
        super().__init__(field, value, rule)
        self.file = file
        self.line = line
        self.args = (f"{file} line {line}: {field} {rule}, got {value!r}",)


class ImportRejected(ValidationError):
    """A file (or a directory's files) that was not imported because of bad rows.

    ``errors`` lists the faults of the first :data:`MAX_LISTED_ROWS` bad
    rows, each a :class:`RowError`; ``bad_rows`` counts every bad row and
    ``files`` names every file that has one. ``field``, ``value`` and
    ``rule`` are those of the first fault.

    >>> err = ImportRejected(
    ...     [RowError(file="s.csv", line=2, field="name", value=None, rule="is required")],
    ...     bad_rows=3,
    ... )
    >>> print(err)
    3 bad rows in s.csv, nothing imported:
      s.csv line 2: name is required, got None
      ... and 2 more bad rows
    >>> err.bad_rows, err.files
    (3, ('s.csv',))
    """

    errors: tuple[RowError, ...]
    bad_rows: int
    files: tuple[str, ...]

    def __init__(
        self,
        errors: Sequence[RowError],
        *,
        bad_rows: int | None = None,
        files: Sequence[str] = (),
    ) -> None:
        if not errors:
            raise ValueError("ImportRejected needs at least one RowError")
        first = errors[0]
        super().__init__(first.field, first.value, first.rule)
        listed_rows = len({(e.file, e.line) for e in errors})
        self.errors = tuple(errors)
        self.bad_rows = listed_rows if bad_rows is None else bad_rows
        self.files = tuple(dict.fromkeys([*(e.file for e in errors), *files]))
        noun = "row" if self.bad_rows == 1 else "rows"
        lines = [f"{self.bad_rows} bad {noun} in {', '.join(self.files)}, nothing imported:"]
        lines += [f"  {e}" for e in errors]
        more = self.bad_rows - listed_rows
        if more > 0:
            lines.append(f"  ... and {more} more bad row{'s' if more > 1 else ''}")
        self.args = ("\n".join(lines),)


class ImportFailed(RuleViolation):
    """The store refused rows that were valid on their own (a constraint, a limit).

    Nothing of the file was imported. ``file`` names it; ``lines`` is the
    first and last line of what the store refused: one row when the store
    said which, else the batch; ``None`` when it refused the whole
    transaction at commit.

    >>> print(ImportFailed("orders.csv", (2, 5001), "FOREIGN KEY constraint failed"))
    orders.csv lines 2-5001: the store refused the rows (FOREIGN KEY constraint failed); nothing was imported
    """

    file: str
    lines: tuple[int, int] | None
    reason: str

    def __init__(self, file: str, lines: tuple[int, int] | None, reason: str) -> None:
        self.file = file
        self.lines = lines
        self.reason = reason
        if lines is None:
            where, what = file, "the rows"
        elif lines[0] == lines[1]:
            where, what = f"{file} line {lines[0]}", "the row"
        else:
            where, what = f"{file} lines {lines[0]}-{lines[1]}", "the rows"
        super().__init__(f"{where}: the store refused {what} ({reason}); nothing was imported")


@attrs.frozen(kw_only=True)
class ImportSummary:
    """What one import did: rows read, imported and rejected, and how long it took.

    ``rows_read`` counts data rows (blank lines are not rows);
    ``rows_read == imported + rejected``. ``report_path`` is the report of
    rejected rows, if one was written.

    >>> s = ImportSummary(
    ...     file=Path("orders.csv"),
    ...     kind=RecordKind.ORDERS,
    ...     format=FileFormat.CSV,
    ...     rows_read=3,
    ...     imported=2,
    ...     rejected=1,
    ...     seconds=0.25,
    ... )
    >>> s.report_path is None
    True
    """

    file: Path
    kind: RecordKind
    format: FileFormat
    rows_read: int
    imported: int
    rejected: int
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
    """
    rows_read = f"{summary.rows_read} row{'' if summary.rows_read == 1 else 's'} read"
    line = (
        f"{summary.file.name}: {rows_read}, {summary.imported} imported,"
        f" {summary.rejected} rejected in {summary.seconds:.1f} s"
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


def to_cells(record: object) -> dict[str, str | None]:
    """The cells a file needs for ``record`` to import back equal (``None`` = empty cell).

    Useful to write import files from value types (an export, test data).

    >>> from otocore.sellers import Seller
    >>> to_cells(Seller(code="V01", name="Ana Souza", store_id="L01"))
    {'code': 'V01', 'name': 'Ana Souza', 'store_id': 'L01', 'status': 'active'}

    Raises:
        ValidationError: ``record`` is not a Store, Seller, Customer or Order.
    """
    return rows.cells_of(record)


def import_file(
    uow: UnitOfWork,
    path: Path | str,
    kind: RecordKind | None = None,
    *,
    format: FileFormat | None = None,
    skip_invalid: bool = False,
    report_path: Path | str | None = None,
    progress: bool = False,
    batch_size: int = 5000,
    cpf_policy: CpfPolicy | None = None,
    timer: Callable[[], float] = time.perf_counter,
) -> ImportSummary:
    """Import one file of stores, sellers, customers or orders, upserting by id.

    By default the file is read twice: a first pass checks every row; if any
    is bad, :class:`ImportRejected` lists them (and, given ``report_path``,
    every bad row is written there) and nothing is imported. The second pass
    writes the rows in batches of ``batch_size`` inside one ``with uow:``
    block, so a failure leaves nothing behind. With ``skip_invalid`` the file
    is read once: good rows are written, bad rows go to the report
    (``report_path``, or :func:`default_report_path`). Header faults (an
    unknown, duplicated or missing required column) always reject the file.

    Args:
        uow: the unit of work to write through; not inside an open block
            (the import opens its own).
        path: the file: ``.csv``, ``.jsonl`` or ``.ndjson``, gzip-compressed or not.
        kind: what the file holds; by default told from the file name
            (``orders.csv``, ``orders-2026-05.jsonl.gz``).
        format: CSV or JSON Lines; by default told from the suffix.
        skip_invalid: import the good rows and report the bad ones.
        report_path: where to write the rejected rows (CSV with the columns
            :data:`REPORT_COLUMNS`).
        progress: show a transient rich progress bar on stderr.
        batch_size: how many rows to hold before writing them.
        cpf_policy: the brand's :class:`~otocore.customers.CpfPolicy`.
        timer: the monotonic clock the summary's ``seconds`` is measured with.

    Returns:
        The :class:`ImportSummary`.

    Raises:
        ImportRejected: bad rows (default mode) or a bad header (any mode).
        ImportFailed: the store refused valid rows (a database constraint).
        ValidationError: the kind or format cannot be told from the file name,
            or a bad argument.
        NotFound: the file does not exist.

    >>> import tempfile
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> path = Path(tempfile.mkdtemp()) / "sellers.jsonl"
    >>> _ = path.write_text(
    ...     '{"code": "V01", "name": "Ana Souza", "store_id": "L01"}\\n'
    ...     '{"code": "V02", "name": "", "store_id": "L01"}\\n',
    ...     encoding="utf-8",
    ... )
    >>> summary = import_file(InMemoryUnitOfWork(), path, skip_invalid=True)
    >>> summary.imported, summary.rejected, summary.report_path.name
    (1, 1, 'sellers.jsonl.rejected.csv')
    >>> import csv
    >>> with summary.report_path.open(encoding="utf-8", newline="") as report:
    ...     rejected = list(csv.DictReader(report))
    >>> for row in rejected:
    ...     print(row["line"], row["field"], repr(row["value"]), row["reason"], "|", row["raw"])
    2 name '' is required | {"code": "V02", "name": "", "store_id": "L01"}
    """
    source = _source(path, kind, format)
    report = _report_path(source, skip_invalid=skip_invalid, report_path=report_path)
    options = _Options(batch_size=_batch_size(batch_size), cpf_policy=cpf_policy or CpfPolicy())
    started = timer()
    with _progress_display(progress) as display:
        if report is not None and skip_invalid:
            counts = _transaction(
                uow,
                source.name,
                lambda: _write_skipping(uow, source, report, options, display),
            )
        else:
            _validate(source, report, options, display)
            counts = _transaction(
                uow, source.name, lambda: _write_valid(uow, source, options, display)
            )
    return _summary(source, counts, timer() - started, report)


def import_directory(
    uow: UnitOfWork,
    directory: Path | str,
    *,
    skip_invalid: bool = False,
    report_dir: Path | str | None = None,
    progress: bool = False,
    batch_size: int = 5000,
    cpf_policy: CpfPolicy | None = None,
    timer: Callable[[], float] = time.perf_counter,
) -> tuple[ImportSummary, ...]:
    """Import the stores, sellers, customers and orders files of ``directory``, in that order.

    The files are found by name: ``<kind>.csv``, ``<kind>.jsonl`` or
    ``<kind>.ndjson``, each optionally ``.gz``; other files are ignored, a
    kind may be absent, and two files of one kind are both imported (in name
    order). By default every file is checked before anything
    is written and the whole directory is imported in one ``with uow:``
    block: a bad row in any file imports nothing at all. With
    ``skip_invalid`` each file's report goes to ``report_dir`` (default: next
    to the file).

    Args:
        uow: the unit of work to write through.
        directory: the folder holding the files.
        skip_invalid: import the good rows and report the bad ones.
        report_dir: where reports go (default: the files' own folder).
        progress: show a transient rich progress bar on stderr.
        batch_size: how many rows to hold before writing them.
        cpf_policy: the brand's :class:`~otocore.customers.CpfPolicy`.
        timer: the monotonic clock the summaries' ``seconds`` are measured with.

    Returns:
        One :class:`ImportSummary` per file, in import order.

    Raises:
        ImportRejected: bad rows in any file (listing them across files).
        ImportFailed: the store refused valid rows.
        ValidationError: no import file in ``directory``.
        NotFound: ``directory`` does not exist.

    >>> import tempfile
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "stores.csv").write_text("store_id,name\\nL01,Centro\\n", encoding="utf-8")
    >>> _ = (folder / "sellers.csv").write_text(
    ...     "code,name,store_id\\nV01,Ana,L01\\n", encoding="utf-8"
    ... )
    >>> for summary in import_directory(InMemoryUnitOfWork(), folder):
    ...     print(format_summary(summary).split(" in ")[0])
    stores.csv: 1 row read, 1 imported, 0 rejected
    sellers.csv: 1 row read, 1 imported, 0 rejected
    """
    sources = _directory_sources(Path(directory))
    options = _Options(batch_size=_batch_size(batch_size), cpf_policy=cpf_policy or CpfPolicy())
    reports: dict[Path, Path] = {}
    for source in sources:
        folder = source.path.parent if report_dir is None else Path(report_dir)
        reports[source.path] = folder / default_report_path(source.path).name
    summaries: list[ImportSummary] = []
    with _progress_display(progress) as display:
        if skip_invalid:
            started = timer()

            def run() -> None:
                nonlocal started
                for source in sources:
                    report = reports[source.path]
                    counts = _write_skipping(uow, source, report, options, display)
                    now = timer()
                    summaries.append(_summary(source, counts, now - started, report))
                    started = now

            _transaction(uow, str(directory), run)
            return tuple(summaries)
        faults: list[RowError] = []
        bad_rows = 0
        bad_files: list[str] = []
        checking: list[float] = []  # seconds each file's first pass took
        for source in sources:
            started = timer()
            listed, bad = _scan_faults(source, None, options, display)
            checking.append(timer() - started)
            faults += listed
            bad_rows += bad
            if bad:
                bad_files.append(source.name)
        if bad_rows:
            raise ImportRejected(_cap(faults), bad_rows=bad_rows, files=bad_files)

        def write_all() -> None:
            for source, checked in zip(sources, checking, strict=True):
                started = timer()
                counts = _write_valid(uow, source, options, display)
                seconds = checked + timer() - started
                summaries.append(_summary(source, counts, seconds, None))

        _transaction(uow, str(directory), write_all)
    return tuple(summaries)


# sources ---------------------------------------------------------------------------


@attrs.frozen
class _Source:
    path: Path
    kind: RecordKind
    format: FileFormat

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def schema(self) -> rows.Schema:
        return rows.SCHEMAS[self.kind.value]


@attrs.frozen
class _Options:
    batch_size: int
    cpf_policy: CpfPolicy


class _Counts(NamedTuple):
    rows_read: int
    imported: int
    rejected: int


def _format_suffix(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".gz"):
        lower = lower[:-3]
    for suffix in (".csv", ".jsonl", ".ndjson"):
        if lower.endswith(suffix):
            return suffix
    return ""


def _kind_from_name(path: Path) -> RecordKind:
    name = path.name.lower()
    for kind in RecordKind:
        if name.startswith(kind.value) and name[len(kind.value) : len(kind.value) + 1] in {
            ".",
            "-",
            "_",
        }:
            return kind
    raise ValidationError(
        "kind",
        path.name,
        "cannot be told from the file name (name it stores, sellers, customers or orders,"
        " such as 'orders.csv' or 'orders-2026-05.jsonl', or pass kind=)",
    )


def _source(path: Path | str, kind: RecordKind | None, fmt: FileFormat | None) -> _Source:
    path = Path(path)
    if kind is not None and not isinstance(kind, RecordKind):
        raise ValidationError("kind", kind, "must be a RecordKind")
    if fmt is not None and not isinstance(fmt, FileFormat):
        raise ValidationError("format", fmt, "must be a FileFormat")
    if not path.is_file():
        raise NotFound("File", str(path))
    return _Source(
        path=path,
        kind=_kind_from_name(path) if kind is None else kind,
        format=FileFormat.from_path(path) if fmt is None else fmt,
    )


def _directory_sources(directory: Path) -> list[_Source]:
    if not directory.is_dir():
        raise NotFound("Directory", str(directory))
    kinds = {kind.value: kind for kind in RecordKind}
    found: dict[RecordKind, list[Path]] = {kind: [] for kind in RecordKind}
    for path in sorted(directory.iterdir()):
        name = path.name[:-3] if path.name.lower().endswith(".gz") else path.name
        suffix = _format_suffix(name)
        kind = kinds.get(name[: len(name) - len(suffix)].lower()) if suffix else None
        if kind is not None and path.is_file():
            found[kind].append(path)
    sources = [_source(path, kind, None) for kind, paths in found.items() for path in paths]
    if not sources:
        raise ValidationError(
            "directory",
            str(directory),
            "holds no stores, sellers, customers or orders file (.csv, .jsonl, .ndjson, + .gz)",
        )
    return sources


def _report_path(
    source: _Source, *, skip_invalid: bool, report_path: Path | str | None
) -> Path | None:
    if report_path is not None:
        return Path(report_path)
    return default_report_path(source.path) if skip_invalid else None


def _batch_size(batch_size: int) -> int:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValidationError("batch_size", batch_size, "must be an integer >= 1")
    return batch_size


def _summary(
    source: _Source, counts: _Counts, seconds: float, report: Path | None
) -> ImportSummary:
    return ImportSummary(
        file=source.path,
        kind=source.kind,
        format=source.format,
        rows_read=counts.rows_read,
        imported=counts.imported,
        rejected=counts.rejected,
        seconds=seconds,
        report_path=report,
    )


# reading ---------------------------------------------------------------------------


class _Record(NamedTuple):
    """One row as read: where it starts and ends, its text, its cells or its faults."""

    line: int
    last_line: int
    raw: str
    cells: Mapping[str, Any]
    faults: list[rows.Fault]


class _Reader:
    """Opens a source and streams its physical lines, knowing how far it has read."""

    def __init__(self, source: _Source) -> None:
        self.source = source
        self.size = os.path.getsize(source.path)
        self._raw: IO[bytes] = open(source.path, "rb")  # noqa: SIM115 - closed in close()
        self._stream: IO[bytes] = self._raw
        if self._raw.read(2) == _GZIP_MAGIC:
            self._raw.seek(0)
            self._stream = cast(IO[bytes], gzip.GzipFile(fileobj=self._raw, mode="rb"))
        else:
            self._raw.seek(0)

    def position(self) -> int:
        return self._raw.tell()

    def close(self) -> None:
        if self._stream is not self._raw:
            self._stream.close()
        self._raw.close()

    def __enter__(self) -> _Reader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def lines(self) -> Iterator[tuple[bytes, bool]]:
        """Each physical line, and whether it was too long (then only ``b"\\n"``)."""
        readline = self._stream.readline
        try:
            while True:
                line = readline(MAX_LINE_BYTES + 1)
                if not line:
                    return
                if len(line) > MAX_LINE_BYTES and not line.endswith(b"\n"):
                    while True:  # skip the rest of the line without holding it
                        more = readline(MAX_LINE_BYTES)
                        if not more or more.endswith(b"\n"):
                            break
                    yield b"\n", True
                    continue
                yield line, False
        except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
            raise ImportRejected(
                [
                    RowError(
                        file=self.source.name,
                        line=0,
                        field="(file)",
                        value=self.source.name,
                        rule=f"is not a readable gzip file ({exc})",
                    )
                ]
            ) from None

    def records(self) -> Iterator[_Record]:
        if self.source.format is FileFormat.CSV:
            return _csv_records(self.source, self.lines())
        return _jsonl_records(self.source, self.lines())


def _too_long(line: int) -> rows.Fault:
    return rows.Fault(rows.ROW, f"<line {line}>", f"is longer than {MAX_LINE_BYTES} bytes")


def _surrogate_faults(cells: Mapping[str, Any]) -> list[rows.Fault]:
    return [
        rows.Fault(column, _printable(value), "is not valid UTF-8 text")
        for column, value in cells.items()
        if isinstance(value, str) and _SURROGATE.search(value)
    ]


def _printable(value: str) -> str:
    """``value`` as valid text: undecodable bytes and lone surrogates as backslash escapes."""
    if not _SURROGATE.search(value):
        return value
    try:  # bytes that were not UTF-8, kept by the "surrogateescape" decoding
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate from a JSON escape
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


def _csv_records(source: _Source, lines: Iterator[tuple[bytes, bool]]) -> Iterator[_Record]:
    buffer: list[str] = []
    long_lines: list[int] = []
    count = 0

    def feed() -> Iterator[str]:
        nonlocal count
        for data, too_long in lines:
            count += 1
            text = data.decode("utf-8", "surrogateescape")
            if count == 1 and text.startswith(_BOM):
                text = text[1:]
            buffer.append(text)
            if too_long:
                long_lines.append(count)
            yield text

    reader = csv.reader(feed(), strict=True)
    header = _csv_header(source, reader, long_lines)
    previous = reader.line_num
    buffer.clear()
    while True:
        error = None
        try:
            cells: list[str] = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            cells, error = [], str(exc)
        first, previous = previous + 1, reader.line_num
        raw = "".join(buffer)
        buffer.clear()
        faults: list[rows.Fault] = [_too_long(n) for n in long_lines]
        long_lines.clear()
        mapping: dict[str, Any] = {}
        if faults:
            pass
        elif error is not None:
            faults.append(rows.Fault(rows.ROW, raw.rstrip("\r\n"), f"is not valid CSV ({error})"))
        elif not cells:
            continue  # a blank line is not a row
        elif len(cells) != len(header):
            faults.append(
                rows.Fault(
                    rows.ROW,
                    raw.rstrip("\r\n"),
                    f"has {len(cells)} cells but the header has {len(header)} columns",
                )
            )
        else:
            mapping = dict(zip(header, cells, strict=True))
            faults = _surrogate_faults(mapping) if _SURROGATE.search(raw) else []
        yield _Record(first, max(first, previous), raw, mapping, faults)


def _csv_header(source: _Source, reader: Iterator[list[str]], long_lines: list[int]) -> list[str]:
    def reject(column: str, value: Any, rule: str) -> ImportRejected:
        return ImportRejected(
            [RowError(file=source.name, line=1, field=column, value=value, rule=rule)]
        )

    try:
        header = next(reader)
    except StopIteration:
        raise reject(
            "(header)", "", "is missing: a CSV file starts with a line of column names"
        ) from None
    except csv.Error as exc:
        raise reject("(header)", "", f"is not valid CSV ({exc})") from None
    if long_lines:
        raise reject("(header)", "<line 1>", f"is longer than {MAX_LINE_BYTES} bytes")
    if not header:
        raise reject("(header)", "", "is empty: a CSV file starts with a line of column names")
    schema = source.schema
    known = ", ".join(schema.columns)
    errors: list[RowError] = []

    def fault(column: str, value: Any, rule: str) -> None:
        errors.append(RowError(file=source.name, line=1, field=column, value=value, rule=rule))

    seen: set[str] = set()
    for position, name in enumerate(header, 1):
        if _SURROGATE.search(name):
            fault("(header)", _printable(name), "is not valid UTF-8 text")
        elif not name:
            fault("(header)", name, f"column {position} has no name")
        elif name in seen:
            fault(name, name, "appears twice in the header")
        elif name not in schema.columns:
            hint = ""
            if ";" in name or "\t" in name:
                hint = "; the file looks semicolon- or tab-separated, but otocore reads comma-separated CSV"
            fault(name, name, f"is not a column of {schema.kind} (columns: {known}){hint}")
        seen.add(name)
    for name in schema.required:
        if name not in seen:
            fault(
                name, None, f"is a required column of {schema.kind} and is missing from the header"
            )
    if errors:
        raise ImportRejected(errors)
    return header


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key {key!r} appears twice")
        out[key] = value
    return out


def _jsonl_records(source: _Source, lines: Iterator[tuple[bytes, bool]]) -> Iterator[_Record]:
    schema = source.schema
    known = ", ".join(schema.columns)
    for number, (data, too_long) in enumerate(lines, 1):
        raw = data.decode("utf-8", "replace").rstrip("\r\n")
        if too_long:
            yield _Record(number, number, raw, {}, [_too_long(number)])
            continue
        if not data.strip():
            continue
        try:
            text = data.decode("utf-8")
            if number == 1 and text.startswith(_BOM):
                text = text[1:]
            obj = json.loads(
                text,
                parse_float=rows.JsonNumber,
                parse_int=rows.JsonNumber,
                parse_constant=_refuse_constant,
                object_pairs_hook=_no_duplicates,
            )
        except UnicodeDecodeError:
            yield _Record(
                number, number, raw, {}, [rows.Fault(rows.ROW, raw, "is not valid UTF-8 text")]
            )
            continue
        except (ValueError, RecursionError) as exc:
            yield _Record(
                number, number, raw, {}, [rows.Fault(rows.ROW, raw, f"is not valid JSON ({exc})")]
            )
            continue
        if not isinstance(obj, dict):
            yield _Record(
                number,
                number,
                raw,
                {},
                [
                    rows.Fault(
                        rows.ROW, raw, "must be a JSON object whose keys are the column names"
                    )
                ],
            )
            continue
        faults = [
            rows.Fault(key, obj[key], f"is not a column of {schema.kind} (columns: {known})")
            for key in obj
            if key not in schema.columns
        ]
        if b"\\u" in data:  # only an escape can smuggle a lone surrogate into JSON
            faults += _surrogate_faults(obj)
        yield _Record(number, number, raw, obj, faults)


def _parse(source: _Source, record: _Record, options: _Options) -> object | list[rows.Fault]:
    if record.faults:
        return record.faults
    return source.schema.build(record.cells, options.cpf_policy)


def _row_errors(source: _Source, record: _Record, faults: Iterable[rows.Fault]) -> list[RowError]:
    return [
        RowError(file=source.name, line=record.line, field=f.column, value=f.value, rule=f.rule)
        for f in faults
    ]


def _cap(errors: list[RowError]) -> list[RowError]:
    listed: list[RowError] = []
    seen: set[tuple[str, int]] = set()
    for err in errors:
        key = (err.file, err.line)
        if key not in seen and len(seen) >= MAX_LISTED_ROWS:
            break
        seen.add(key)
        listed.append(err)
    return listed


# reports ---------------------------------------------------------------------------


class _Report:
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

    def write(self, record: _Record, faults: Iterable[rows.Fault]) -> None:
        if self._writer is None:
            return
        raw = _printable(record.raw.rstrip("\r\n"))
        for fault in faults:
            self._writer.writerow(
                [record.line, fault.column, _cell_text(fault.value), fault.rule, raw]
            )

    def close(self) -> None:
        if self._file is not None:
            self._file.close()

    def __enter__(self) -> _Report:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return _printable(value)
    if isinstance(value, rows.JsonNumber):
        return value.text
    return _printable(json.dumps(value, default=repr, ensure_ascii=False))


# the passes ------------------------------------------------------------------------


def _scan_faults(
    source: _Source, report: Path | None, options: _Options, display: _Display
) -> tuple[list[RowError], int]:
    """First pass: every row checked, nothing written. Returns listed faults, bad row count."""
    listed: list[RowError] = []
    bad_rows = 0
    with _Reader(source) as reader, _Report(report) as out:
        task = display.start(f"checking {source.name}", reader.size)
        for n, record in enumerate(reader.records(), 1):
            parsed = _parse(source, record, options)
            if isinstance(parsed, list):
                bad_rows += 1
                out.write(record, parsed)
                if bad_rows <= MAX_LISTED_ROWS:
                    listed += _row_errors(source, record, parsed)
            if n % _PROGRESS_EVERY == 0:
                display.update(task, reader.position())
        display.finish(task)
    return listed, bad_rows


def _validate(source: _Source, report: Path | None, options: _Options, display: _Display) -> None:
    listed, bad_rows = _scan_faults(source, report, options, display)
    if bad_rows:
        raise ImportRejected(listed, bad_rows=bad_rows)


def _write_valid(uow: UnitOfWork, source: _Source, options: _Options, display: _Display) -> _Counts:
    """Second pass: parse again and write in batches; any bad row now aborts."""
    batch = _Batch(uow, source, options.batch_size)
    read = 0
    with _Reader(source) as reader:
        task = display.start(f"importing {source.name}", reader.size)
        for record in reader.records():
            parsed = _parse(source, record, options)
            if isinstance(parsed, list):  # the file changed since the first pass
                raise ImportRejected(_row_errors(source, record, parsed))
            read += 1
            batch.add(parsed, record)
            if read % _PROGRESS_EVERY == 0:
                display.update(task, reader.position())
        batch.flush()
        display.finish(task)
    return _Counts(rows_read=read, imported=read, rejected=0)


def _write_skipping(
    uow: UnitOfWork, source: _Source, report: Path, options: _Options, display: _Display
) -> _Counts:
    """One pass: good rows written in batches, bad rows to the report."""
    batch = _Batch(uow, source, options.batch_size)
    read = rejected = 0
    with _Reader(source) as reader, _Report(report) as out:
        task = display.start(f"importing {source.name}", reader.size)
        for record in reader.records():
            read += 1
            parsed = _parse(source, record, options)
            if isinstance(parsed, list):
                rejected += 1
                out.write(record, parsed)
            else:
                batch.add(parsed, record)
            if read % _PROGRESS_EVERY == 0:
                display.update(task, reader.position())
        batch.flush()
        display.finish(task)
    return _Counts(rows_read=read, imported=read - rejected, rejected=rejected)


class _Batch:
    """Holds at most ``size`` parsed rows, then hands them to the repository."""

    def __init__(self, uow: UnitOfWork, source: _Source, size: int) -> None:
        self.repository = getattr(uow, source.kind.value)
        self.source = source
        self.size = size
        self.items: list[object] = []
        self.lines: list[int] = []
        self.last_line = 0

    def add(self, item: object, record: _Record) -> None:
        self.items.append(item)
        self.lines.append(record.line)
        self.last_line = record.last_line
        if len(self.items) >= self.size:
            self.flush()

    def flush(self) -> None:
        if not self.items:
            return
        add_many = getattr(self.repository, "add_many", None)
        done = 0  # with one add() per row: the row being added
        try:
            if add_many is not None:
                add_many(self.items)
            else:
                for done, item in enumerate(self.items):  # noqa: B007 - read in the handler
                    self.repository.add(item)
        except ValidationError as exc:  # a limit of the store, e.g. a total too large for it
            first = exc.errors[0]
            index = done if add_many is None else _batch_index(first.field)
            column = first.field.split(".", 1)[-1]
            raise self._failed(index, f"{column} {first.rule}, got {first.value!r}") from exc
        except OtocoreError:
            raise
        except Exception as exc:
            raise self._failed(None, _reason(exc)) from exc
        self.items = []
        self.lines = []

    def _failed(self, index: int | None, reason: str) -> ImportFailed:
        if index is not None and 0 <= index < len(self.lines):
            lines = (self.lines[index], self.lines[index])
        else:
            lines = (self.lines[0], self.last_line)
        return ImportFailed(self.source.name, lines, reason)


def _batch_index(field: str) -> int | None:
    """The position in a batch named by a field path such as ``orders[3].total``."""
    found = _BATCH_INDEX.match(field)
    return int(found.group(1)) if found else None


def _transaction(uow: UnitOfWork, name: str, work: Callable[[], _T]) -> _T:
    """Run ``work`` in one ``with uow:`` block; a store's failure to commit is :class:`ImportFailed`.

    Errors raised by ``work`` itself leave the block (rolling it back) unchanged.
    """
    committing = False
    try:
        with uow:
            result = work()
            committing = True
    except OtocoreError:
        raise
    except Exception as exc:
        if not committing:
            raise
        raise ImportFailed(name, None, _reason(exc)) from exc
    return result


def _reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None)  # SQLAlchemy wraps the driver's error
    text = str(orig if orig is not None else exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


# progress ----------------------------------------------------------------------------


class _Display:
    """No progress shown; :class:`_RichDisplay` shows a bar."""

    def start(self, description: str, total: int) -> Any:
        return None

    def update(self, task: Any, completed: int) -> None:
        return None

    def finish(self, task: Any) -> None:
        return None


class _RichDisplay(_Display):
    def __init__(self, progress: Any) -> None:
        self.progress = progress
        self.totals: dict[Any, int] = {}

    def start(self, description: str, total: int) -> Any:
        task = self.progress.add_task(description, total=max(total, 1))
        self.totals[task] = max(total, 1)
        return task

    def update(self, task: Any, completed: int) -> None:
        self.progress.update(task, completed=completed)

    def finish(self, task: Any) -> None:
        self.progress.update(task, completed=self.totals[task])


@contextlib.contextmanager
def _progress_display(enabled: bool) -> Iterator[_Display]:
    """A rich progress bar on stderr (transient), or nothing."""
    if not enabled:
        yield _Display()
        return
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        yield _RichDisplay(bar)
