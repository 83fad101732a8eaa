"""The import service: files in, rows checked, rows written through a unit of work.

Private: :func:`import_file` and :func:`import_directory` are public from
:mod:`otocore.importing`, whose docstring states the rules. A file is read
once: each row is parsed and checked once, and written in batches inside one
``with uow.writing():`` block, so a failure (or, by default, a bad row anywhere) leaves
nothing behind.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from operator import attrgetter
from pathlib import Path
from typing import Any, NamedTuple, TypeVar, cast

import attrs

from otocore import _validate as v
from otocore.blocking import BlockEvent
from otocore.clock import Clock, SystemClock
from otocore.consent import ConsentEvent, ConsentSource
from otocore.contacts import Contact
from otocore.customers import CpfPolicy, Customer
from otocore.errors import (
    ConfigurationError,
    NotFound,
    OtocoreError,
    RuleViolation,
    StorageError,
    StoreBusy,
    ValidationError,
)
from otocore.history import HistoryChange
from otocore.importing import _rows as rows
from otocore.importing._errors import MAX_LISTED_ROWS, ImportFailed, ImportRejected, RowError, cap
from otocore.importing._files import (
    FileFormat,
    Reader,
    Record,
    RecordKind,
    Source,
    dialect_of,
    directory_sources,
    source_of,
)
from otocore.importing._history import IMPORT_ACTOR, ImportHistory
from otocore.importing._report import (
    ImportProgress,
    ImportStage,
    ImportSummary,
    RejectedRows,
    default_report_path,
)
from otocore.repositories import UnitOfWork
from otocore.telesales import TelesalesOrder, TelesalesPolicy, TelesalesState, imported_order

_T = TypeVar("_T")

PROGRESS_EVERY = 1000
"""How many rows an import reads between two :class:`ImportProgress` reports."""

_BATCH_INDEX = re.compile(r"\w*\[(\d+)\]")

Progress = Callable[[ImportProgress], None]
"""The type of a ``progress`` callback."""


def import_file(
    uow: UnitOfWork,
    path: Path | str,
    kind: RecordKind | None = None,
    *,
    format: FileFormat | None = None,
    delimiter: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    skip_invalid: bool = False,
    report_path: Path | str | None = None,
    progress: Progress | None = None,
    batch_size: int = 5000,
    cpf_policy: CpfPolicy | None = None,
    check_references: bool = True,
    timer: Callable[[], float] = time.perf_counter,
    clock: Clock | None = None,
    actor: str = IMPORT_ACTOR,
) -> ImportSummary:
    """Import one file of stores, sellers, customers, orders, consent, blocks, contacts or telesales.

    The file is read once, each row parsed and checked once, and the rows are
    written in batches of ``batch_size`` inside one ``with uow.writing():`` block
    (the store's write lock, taken first), so a failure leaves nothing behind. By default a bad row stops the writing; the
    rest of the file is still read, then :class:`ImportRejected` lists the bad
    rows (and, given ``report_path``, every bad row is written there) and the
    block is rolled back: nothing is imported. With ``skip_invalid`` good rows
    are written and bad rows go to the report (``report_path``, or
    :func:`default_report_path`). Header faults (an unknown, duplicated or
    missing required column) always reject the file.

    Stores, sellers, customers and orders are upserted by id; consent and
    block events and contacts are appended, each once: a row whose id is
    stored already, equal, is not stored again, and a row without an id gets
    one derived from its content (the import page). A reference to an
    unknown store, seller or customer (an order's ``store_id`` and
    ``seller_code``; a consent event's ``customer_id``; a contact's
    ``customer_id`` and ``seller_code``) is a row error unless
    ``check_references`` is false. An id repeated within the file is counted
    in the summary's ``duplicates``: the last row wins for stores, sellers,
    customers and orders; a repeated event or contact must repeat the same
    row (a different one is a row error). A telesales file's rows are the
    items of orders (:class:`~otocore.importing.TelesalesRow`): each order is
    built whole by :func:`otocore.telesales.imported_order` at ``clock``'s
    now, a bad row rejects every row of its order, and an order stored
    already is never replaced (the same: its rows are duplicates; another:
    bad rows). The telesales policy is read from ``uow.telesales.policy()``
    when an order has a manual price.

    A customers row that changes a customer stored before the call appends,
    in the same transaction, one entry per changed field to
    ``uow.customer_history`` (reason ``IMPORT``, by ``actor``, at ``clock``'s
    now); the stored customers of each batch are read with one
    ``uow.customers.get_many``. A customer the call creates is its own first
    record (no entry); an unchanged row writes nothing.

    Args:
        uow: the unit of work to write through; not inside an open block
            (the import opens its own).
        path: the file: ``.csv``, ``.tsv``, ``.jsonl`` or ``.ndjson``,
            gzip-compressed or not, or an ``.xlsx`` workbook (its first sheet).
        kind: what the file holds; by default told from the file name, in
            English or Portuguese (``orders.csv``, ``pedidos-2026-05.xlsx``).
        format: CSV, JSON Lines or XLSX; by default told from the suffix.
        delimiter: a CSV file's separator (``','``, ``';'``, ``'\\t'``,
            ``'|'``); ``None`` detects it from the header line.
        decimal: the decimal separator of money cells, ``'.'`` or ``','``;
            ``None``: ``','`` in a ``';'``-separated CSV file, else ``'.'``.
        encoding: a CSV file's encoding (``'utf-8'``, ``'cp1252'``,
            ``'latin-1'``); ``None`` detects UTF-8 or Windows-1252.
        skip_invalid: import the good rows and report the bad ones.
        report_path: where to write the rejected rows (CSV with the columns
            :data:`REPORT_COLUMNS`).
        progress: called with an :class:`ImportProgress` as the pass over
            the file starts, every 1000 rows, and as it ends (the command
            line draws its progress bar from these); ``None`` reports nothing.
        batch_size: how many rows to hold before writing them.
        cpf_policy: the brand's :class:`~otocore.customers.CpfPolicy`.
        check_references: refuse rows naming a store, seller or customer that
            is neither stored nor imported earlier in this call.
        timer: the monotonic clock the summary's ``seconds`` is measured with.
        clock: where the import's "now" comes from (read once, as the import
            starts): the instant a telesales file's orders have their rules
            applied and their promissory notes approved, and the ``at`` of the
            customer history's entries; by default the system clock.
        actor: who imports (an account id): the ``actor`` of the customer
            history's entries (``"import"`` by default).

    Returns:
        The :class:`ImportSummary`.

    Raises:
        ImportRejected: bad rows (default mode) or a bad header (any mode).
        ImportFailed: the store refused valid rows (a database constraint).
        FileRejected: the file cannot be read as a table of its kind (empty,
            not a CSV/JSON Lines/.xlsx file, a missing or unknown column); an
            :class:`ImportRejected`.
        ValidationError: the kind or format cannot be told from the file name,
            or a bad argument.
        NotFound: the file does not exist.
        ConfigurationError: a customers row changes a stored customer and the
            store was opened without log keys (the history is MAC-chained);
            nothing is imported.

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
    source = source_of(path, kind, format, dialect_of(delimiter, decimal, encoding))
    report = _report_path(source, skip_invalid=skip_invalid, report_path=report_path)
    options = _options(batch_size, cpf_policy, progress, check_references, clock, actor=actor)
    started = timer()
    if report is not None and skip_invalid:
        counts = _transaction(
            uow,
            source.name,
            lambda: _write_skipping(uow, source, report, options, _Known(uow, options)),
        )
    else:

        def all_or_nothing() -> _Counts:
            writer = _Writer()
            counts = _write_checked(
                uow, source, report, options, writer, known=_Known(uow, options)
            )
            writer.finish([source.name] if writer.bad_rows else [])
            return counts

        counts = _transaction(uow, source.name, all_or_nothing)
    return _summary(source, counts, timer() - started, report)


def import_directory(
    uow: UnitOfWork,
    directory: Path | str,
    *,
    delimiter: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    skip_invalid: bool = False,
    report_dir: Path | str | None = None,
    progress: Progress | None = None,
    batch_size: int = 5000,
    cpf_policy: CpfPolicy | None = None,
    check_references: bool = True,
    timer: Callable[[], float] = time.perf_counter,
    clock: Clock | None = None,
    actor: str = IMPORT_ACTOR,
) -> tuple[ImportSummary, ...]:
    """Import the files of ``directory``: stores, sellers, customers, orders, ..., telesales.

    The files are found by name: ``<kind>.csv``, ``.tsv``, ``.jsonl`` or
    ``.ndjson``, each optionally ``.gz``, or ``<kind>.xlsx``, the kind in
    English or Portuguese (``pedidos.csv``); other files are ignored, a
    kind may be absent, and two files of one kind are both imported (in name
    order). The whole directory is imported in one ``with uow.writing():`` block, each
    file read once; by default a bad row in any file stops the writing, every
    file is still read to list the bad rows, and nothing at all is imported.
    With ``skip_invalid`` each file's report goes to ``report_dir`` (default:
    next to the file). A reference may name a row of an earlier file of the
    same call (an order's store in ``stores.csv``), whether or not it is
    stored yet.

    Args:
        uow: the unit of work to write through.
        directory: the folder holding the files.
        delimiter: the separator of its CSV files, as for :func:`import_file`.
        decimal: the decimal separator of money cells, as for :func:`import_file`.
        encoding: the encoding of its CSV files, as for :func:`import_file`.
        skip_invalid: import the good rows and report the bad ones.
        report_dir: where reports go (default: the files' own folder).
        progress: called with an :class:`ImportProgress` as the pass over
            each file starts, every 1000 rows, and as it ends.
        batch_size: how many rows to hold before writing them.
        cpf_policy: the brand's :class:`~otocore.customers.CpfPolicy`.
        check_references: refuse rows naming a store, seller or customer that
            is neither stored nor imported earlier in this call.
        timer: the monotonic clock the summaries' ``seconds`` are measured with.
        clock: where the import's "now" comes from, as for :func:`import_file`.
        actor: who imports, as for :func:`import_file`.

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
    >>> from otocore.importing import format_summary
    >>> for summary in import_directory(InMemoryUnitOfWork(), folder):
    ...     print(format_summary(summary).split(" in ")[0])
    stores.csv: 1 row read, 1 imported, 0 rejected
    sellers.csv: 1 row read, 1 imported, 0 rejected
    """
    sources = directory_sources(Path(directory), dialect_of(delimiter, decimal, encoding))
    options = _options(batch_size, cpf_policy, progress, check_references, clock, actor=actor)
    reports: dict[Path, Path] = {}
    for source in sources:
        folder = source.path.parent if report_dir is None else Path(report_dir)
        reports[source.path] = folder / default_report_path(source.path).name
    summaries: list[ImportSummary] = []
    if skip_invalid:
        started = timer()

        def run() -> None:
            nonlocal started
            known = _Known(uow, options)
            for source in sources:
                report = reports[source.path]
                counts = _write_skipping(uow, source, report, options, known)
                now = timer()
                summaries.append(_summary(source, counts, now - started, report))
                started = now

        _transaction(uow, str(directory), run)
        return tuple(summaries)

    def all_or_nothing() -> None:
        nonlocal started
        started = timer()
        writer = _Writer()
        known = _Known(uow, options)
        bad_files: list[str] = []
        for source in sources:
            bad_before = writer.bad_rows
            counts = _write_checked(uow, source, None, options, writer, known=known)
            if writer.bad_rows > bad_before:
                bad_files.append(source.name)
            now = timer()
            summaries.append(_summary(source, counts, now - started, None))
            started = now
        writer.finish(bad_files)

    started = timer()
    _transaction(uow, str(directory), all_or_nothing)
    return tuple(summaries)


@attrs.frozen
class _Options:
    batch_size: int
    cpf_policy: CpfPolicy
    progress: Progress | None
    now: datetime  # the import's "now": telesales rules and payments, history entries
    check_references: bool = True
    actor: str = IMPORT_ACTOR  # who imports: the actor of the customer history's entries


def _options(
    batch_size: int,
    cpf_policy: CpfPolicy | None,
    progress: Progress | None,
    check_references: bool = True,
    clock: Clock | None = None,
    *,
    actor: str = IMPORT_ACTOR,
) -> _Options:
    if progress is not None and not callable(progress):
        raise ValidationError(
            "progress", progress, "must be None or a callable that takes an ImportProgress"
        )
    if not isinstance(check_references, bool):
        raise ValidationError("check_references", check_references, "must be True or False")
    if clock is not None and not isinstance(clock, Clock):
        raise ValidationError("clock", clock, "must be None or a Clock (something with now())")
    now = v.require_utc("clock.now()", (SystemClock() if clock is None else clock).now())
    return _Options(
        batch_size=_batch_size(batch_size),
        cpf_policy=cpf_policy or CpfPolicy(),
        progress=progress,
        check_references=check_references,
        now=now,
        actor=v.require_text("actor", actor, max_length=200),
    )


class _Counts(NamedTuple):
    rows_read: int
    imported: int
    rejected: int
    duplicates: int = 0


def _report_path(
    source: Source, *, skip_invalid: bool, report_path: Path | str | None
) -> Path | None:
    if report_path is not None:
        return Path(report_path)
    return default_report_path(source.path) if skip_invalid else None


def _batch_size(batch_size: int) -> int:
    if isinstance(batch_size, bool) or not isinstance(batch_size, int) or batch_size < 1:
        raise ValidationError("batch_size", batch_size, "must be an integer >= 1")
    return batch_size


def _summary(source: Source, counts: _Counts, seconds: float, report: Path | None) -> ImportSummary:
    return ImportSummary(
        file=source.path,
        kind=source.kind,
        format=source.format,
        rows_read=counts.rows_read,
        imported=counts.imported,
        rejected=counts.rejected,
        duplicates=counts.duplicates,
        seconds=seconds,
        report_path=report,
    )


def _parse(source: Source, record: Record, options: _Options) -> object | list[rows.Fault]:
    if record.faults:
        return record.faults
    return source.schema.build(record.cells, options.cpf_policy)


def _row_errors(source: Source, record: Record, faults: Iterable[rows.Fault]) -> list[RowError]:
    return [
        RowError(file=source.name, line=record.line, field=f.column, value=f.value, rule=f.rule)
        for f in faults
    ]


# references and repeated ids -------------------------------------------------------

_KEY_COLUMNS: dict[RecordKind, str] = {
    RecordKind.STORES: "store_id",
    RecordKind.SELLERS: "code",
    RecordKind.CUSTOMERS: "customer_id",
    RecordKind.ORDERS: "order_id",
    RecordKind.CONSENT: "event_id",
    RecordKind.BLOCKS: "event_id",
    RecordKind.CONTACTS: "contact_id",
    RecordKind.TELESALES: "order_id",
}
"""The column whose value identifies a row of each kind (a telesales row: its order)."""

_LOGS = frozenset({RecordKind.CONSENT, RecordKind.BLOCKS, RecordKind.CONTACTS})
"""The kinds whose rows are facts, stored once and never replaced."""

_REFERENCES: dict[RecordKind, tuple[tuple[str, RecordKind], ...]] = {
    RecordKind.ORDERS: (("store_id", RecordKind.STORES), ("seller_code", RecordKind.SELLERS)),
    RecordKind.CONSENT: (("customer_id", RecordKind.CUSTOMERS),),
    RecordKind.CONTACTS: (
        ("customer_id", RecordKind.CUSTOMERS),
        ("seller_code", RecordKind.SELLERS),
    ),
    RecordKind.TELESALES: (
        ("customer_id", RecordKind.CUSTOMERS),
        ("store_id", RecordKind.STORES),
    ),
}
"""The columns that must name a known row of another kind (``check_references``)."""

_NOUNS = {
    RecordKind.STORES: "store",
    RecordKind.SELLERS: "seller",
    RecordKind.CUSTOMERS: "customer",
}

Reference = tuple[str, Callable[[Any], Any], set[str], str]  # column, getter, known ids, rule


class _Known:
    """The ids a reference may name in one import call: stored, or imported earlier in it.

    It also holds the call's :class:`ImportHistory` (the customers the call created).
    """

    def __init__(self, uow: UnitOfWork, options: _Options) -> None:
        self.uow = uow
        self.enabled = options.check_references
        self.imported: dict[RecordKind, set[str]] = {}  # valid rows of earlier files
        self.history = ImportHistory(options.actor, options.now)

    def references(self, kind: RecordKind) -> list[Reference]:
        """The checks of a file of ``kind``, with the known ids loaded now (once per file)."""
        if not self.enabled:
            return []
        checks: list[Reference] = []
        for column, target in _REFERENCES.get(kind, ()):
            known = self._stored(target)
            known.update(self.imported.get(target, ()))
            noun = _NOUNS[target]
            rule = f"is not a known {noun} (neither stored nor imported earlier in this run)"
            checks.append((column, attrgetter(column), known, rule))
        return checks

    def remember(self, kind: RecordKind, ids: set[str]) -> None:
        """The valid rows of a file just read, for the files after it."""
        if self.enabled and kind in _NOUNS:
            held = self.imported.get(kind)
            if held is None:
                self.imported[kind] = ids  # kept as is: the file's set is not changed again
            else:
                held.update(ids)

    def _stored(self, kind: RecordKind) -> set[str]:
        uow = self.uow
        if kind is RecordKind.STORES:
            return {store.store_id for store in uow.stores.list()}
        if kind is RecordKind.SELLERS:
            return set(uow.sellers.codes())
        return set(uow.customers.ids().get_column("customer_id").to_list())


Check = Callable[[Any, int], list[rows.Fault] | bool]


class _Checks:
    """One file's checks of a parsed row: its references and whether its id came before.

    :attr:`check` takes the row's value and line and returns the row's faults,
    else whether to write it (``False``: it repeats an earlier row, stored
    once). For the upserted kinds it is a closure doing only set look-ups, and
    their duplicates are counted from the ids: accepted rows minus distinct ids.
    """

    def __init__(self, source: Source, known: _Known) -> None:
        kind = source.kind
        self.kind = kind
        self.column = _KEY_COLUMNS[kind]
        self.key: Callable[[Any], str] = attrgetter(self.column)
        self.log = kind in _LOGS
        self.references = known.references(kind)
        self.ids: set[str] = set()  # upserted kinds: the ids of the accepted rows
        # logs: id -> (hash of the row, line). Two different rows with one id are told
        # apart by their 64-bit hashes: equal hashes for different rows have a 2**-64 chance
        self.rows: dict[str, tuple[int, int]] = {}
        self.repeats = 0  # logs: rows that repeated an earlier one
        self.check: Check = self._log_check if self.log else self._upsert_check()

    def duplicates(self, accepted: int) -> int:
        """How many of the ``accepted`` rows (those :attr:`check` let through) were duplicates."""
        return self.repeats if self.log else accepted - len(self.ids)

    def _reference_faults(self, value: object) -> list[rows.Fault]:
        faults: list[rows.Fault] = []
        for column, get, known, rule in self.references:
            ref = get(value)
            if ref is not None and ref not in known:
                faults.append(rows.Fault(column, ref, rule))
        return faults

    def _upsert_check(self) -> Check:
        add, key = self.ids.add, self.key
        references = [(get, known) for _, get, known, _ in self.references]
        faults_of = self._reference_faults

        def check(value: Any, line: int) -> list[rows.Fault] | bool:
            for get, known in references:
                ref = get(value)
                if ref not in known and ref is not None:
                    return faults_of(value)
            add(key(value))  # again: upserted again, the last row wins
            return True

        return check

    def _log_check(self, value: Any, line: int) -> list[rows.Fault] | bool:
        faults = self._reference_faults(value)
        if faults:
            return faults
        key = self.key(value)
        digest = hash(value)
        before = self.rows.get(key)
        if before is None:
            self.rows[key] = (digest, line)
            return True
        if before[0] == digest:
            self.repeats += 1  # the same fact again: stored once
            return False
        return [
            rows.Fault(
                self.column,
                key,
                f"is repeated with different content (first on line {before[1]});"
                f" {self.kind.value} rows are never replaced",
            )
        ]


# the passes ------------------------------------------------------------------------


class _Writer:
    """What the default mode's passes share: the bad rows found, and whether to write at all.

    The first bad row stops the writing (the block will be rolled back), but
    the files are read to the end to list every bad row. A store's refusal
    of valid rows (:class:`ImportFailed`) stops the writing too; it is raised
    only if no row is bad, as bad rows are what the user must fix first.
    """

    def __init__(self) -> None:
        self.listed: list[RowError] = []  # the faults of the first MAX_LISTED_ROWS bad rows
        self.bad_rows = 0
        self.failed: ImportFailed | None = None

    @property
    def writing(self) -> bool:
        return not self.bad_rows and self.failed is None

    def bad(self, source: Source, record: Record, faults: list[rows.Fault]) -> None:
        self.bad_rows += 1
        if self.bad_rows <= MAX_LISTED_ROWS:
            self.listed += _row_errors(source, record, faults)

    def write(self, batch: _Batch, flush: Callable[[], None]) -> None:
        try:
            flush()
        except ImportFailed as exc:
            self.failed = exc
            batch.items, batch.lines = [], []

    def finish(self, bad_files: list[str]) -> None:
        if self.bad_rows:
            raise ImportRejected(cap(self.listed), bad_rows=self.bad_rows, files=bad_files)
        if self.failed is not None:
            raise self.failed


def _write_checked(
    uow: UnitOfWork,
    source: Source,
    report: Path | None,
    options: _Options,
    writer: _Writer,
    *,
    known: _Known,
) -> _Counts:
    """Default mode: one pass, each row parsed once; good rows written until a row is bad."""
    if source.kind is RecordKind.TELESALES:
        return _write_telesales(uow, source, report, options, known=known, writer=writer)
    batch = _Batch(uow, source, options.batch_size, known.history)
    checks = _Checks(source, known)
    check = checks.check
    read = 0
    build = source.schema.build
    policy = options.cpf_policy
    items, lines = batch.items, batch.lines
    size = options.batch_size
    writing = writer.writing
    with Reader(source) as reader, RejectedRows(report) as out:
        tracker = _Tracker(options.progress, source, ImportStage.IMPORTING, reader, None)
        for record in reader.records():
            read += 1
            parsed = record.faults or build(record.cells, policy)
            if type(parsed) is not list:
                verdict = check(parsed, record.line)
                if verdict is not True:
                    parsed = verdict  # faults, or False: a repeated row, written once
            if type(parsed) is list:
                writer.bad(source, record, parsed)
                out.write(record, parsed)
                writing = False
            elif writing and parsed is not False:
                items.append(parsed)
                lines.append(record.line)
                batch.last_line = record.last_line
                if len(items) >= size:
                    writer.write(batch, batch.flush)
                    items, lines = batch.items, batch.lines
                    writing = writer.writing
            if read % PROGRESS_EVERY == 0:
                tracker.advance(read)
        if writer.writing:
            writer.write(batch, batch.flush)
        tracker.finish(read)
    known.remember(source.kind, checks.ids)
    duplicates = checks.duplicates(read)
    return _Counts(rows_read=read, imported=read - duplicates, rejected=0, duplicates=duplicates)


def _write_skipping(
    uow: UnitOfWork, source: Source, report: Path, options: _Options, known: _Known
) -> _Counts:
    """One pass: good rows written in batches, bad rows to the report."""
    if source.kind is RecordKind.TELESALES:
        return _write_telesales(uow, source, report, options, known=known, writer=None)
    batch = _Batch(uow, source, options.batch_size, known.history)
    checks = _Checks(source, known)
    read = rejected = 0
    with Reader(source) as reader, RejectedRows(report) as out:
        tracker = _Tracker(options.progress, source, ImportStage.IMPORTING, reader, None)
        for record in reader.records():
            read += 1
            parsed = _parse(source, record, options)
            if not isinstance(parsed, list):
                verdict = checks.check(parsed, record.line)
                if verdict is not True:
                    parsed = verdict
            if isinstance(parsed, list):
                rejected += 1
                out.write(record, parsed)
            elif parsed is not False:
                batch.add(parsed, record)
            if read % PROGRESS_EVERY == 0:
                tracker.advance(read)
        batch.flush()
        tracker.finish(read)
    known.remember(source.kind, checks.ids)
    duplicates = checks.duplicates(read - rejected)
    return _Counts(
        rows_read=read,
        imported=read - rejected - duplicates,
        rejected=rejected,
        duplicates=duplicates,
    )


# telesales: rows grouped into orders ------------------------------------------------

IMPORTED_BY = "import"
"""Who an import is, in a telesales order's history: placed (when no operator is named) and paid."""


@attrs.define
class _TelesalesLine:
    """One row of a telesales file as read: where it is, its value, its faults."""

    record: Record
    row: rows.TelesalesRow | None
    faults: list[rows.Fault]


def _write_telesales(
    uow: UnitOfWork,
    source: Source,
    report: Path | None,
    options: _Options,
    *,
    known: _Known,
    writer: _Writer | None,
) -> _Counts:
    """Both modes for a telesales file: every row read and grouped by order, then each order checked.

    ``writer`` is the default mode's (a bad row anywhere stops the writing);
    ``None`` is ``skip_invalid``: a bad order's rows go to the report and the
    good orders are written. A telesales file is held whole, as rows of one
    order need not be adjacent. An order is good when every row of it is;
    otherwise every row of it is rejected, the rows that are not bad
    themselves with a fault naming the first bad row.
    """
    read, lines, orders = _read_telesales(source, options, known.references(source.kind))
    batch = _Batch(uow, source, options.batch_size)
    imported_rows = duplicates = 0
    policy: TelesalesPolicy | None = None
    for order_id, group in orders.items():
        _check_order(order_id, group)
        items = [line.row for line in group if line.row is not None]
        if not any(line.faults for line in group):
            if policy is None and any(row.manual_price is not None for row in items):
                policy = uow.telesales.policy()  # read once, when a manual price needs it
            order = _build_order(order_id, group, items, policy, options.now)
            stored = None if order is None else _stored_order(uow, order_id)
            if order is None:
                pass  # every row faulted with the rule that refused it
            elif stored is None:
                imported_rows += len(group)
                if writer is None or writer.writing:
                    batch.items.append(order)
                    batch.lines.append(group[0].record.line)
                    batch.last_line = max(batch.last_line, group[-1].record.last_line)
                    if len(batch.items) >= batch.size:
                        _flush(batch, writer)
            elif _same_content(stored, order):
                duplicates += len(group)  # imported before: the same order, stored once
            else:
                _refuse_order(group, _differs(stored, order))
        _blame_order(order_id, group)
    rejected = 0
    with RejectedRows(report) as out:
        for line in lines:
            if line.faults:
                rejected += 1
                out.write(line.record, line.faults)
                if writer is not None:
                    writer.bad(source, line.record, line.faults)
    if writer is None or writer.writing:
        _flush(batch, writer)
    if writer is not None:
        return _Counts(
            rows_read=read, imported=read - duplicates, rejected=0, duplicates=duplicates
        )
    return _Counts(rows_read=read, imported=imported_rows, rejected=rejected, duplicates=duplicates)


def _read_telesales(
    source: Source, options: _Options, references: list[Reference]
) -> tuple[int, list[_TelesalesLine], dict[str, list[_TelesalesLine]]]:
    """Every row of a telesales file, parsed and checked alone; and the rows of each order id."""
    orders: dict[str, list[_TelesalesLine]] = {}
    lines: list[_TelesalesLine] = []
    read = 0
    with Reader(source) as reader:
        tracker = _Tracker(options.progress, source, ImportStage.IMPORTING, reader, None)
        for record in reader.records():
            read += 1
            parsed = _parse(source, record, options)
            if isinstance(parsed, list):
                line = _TelesalesLine(record, None, list(parsed))
                order_id = record.cells.get("order_id")
            else:
                assert isinstance(parsed, rows.TelesalesRow)  # noqa: S101 - the schema's type
                line = _TelesalesLine(record, parsed, _row_faults(parsed, record, references))
                if parsed.placed_at > options.now:
                    line.faults.append(
                        rows.Fault(
                            "placed_at",
                            record.cells.get("placed_at"),
                            f"must not be after the import's time ({options.now.isoformat()})",
                        )
                    )
                order_id = parsed.order_id
            lines.append(line)
            if type(order_id) is str and order_id:
                orders.setdefault(order_id, []).append(line)
            if read % PROGRESS_EVERY == 0:
                tracker.advance(read)
        tracker.finish(read)
    return read, lines, orders


def _row_faults(
    row: rows.TelesalesRow, record: Record, references: list[Reference]
) -> list[rows.Fault]:
    faults: list[rows.Fault] = []
    for column, get, ids, rule in references:
        ref = get(row)
        if ref not in ids:
            faults.append(rows.Fault(column, record.cells.get(column, ref), rule))
    return faults


def _flush(batch: _Batch, writer: _Writer | None) -> None:
    if writer is None:
        batch.flush()
    else:
        writer.write(batch, batch.flush)


def _check_order(order_id: str, group: list[_TelesalesLine]) -> None:
    """Fault the rows of one order that disagree with its first row, or repeat a sku."""
    first = next((line for line in group if line.row is not None), None)
    if first is None or first.row is None:
        return
    skus: dict[str, int] = {}
    for line in group:
        row = line.row
        if row is None:
            continue
        if line is not first:
            for column in rows.TELESALES_ORDER_COLUMNS:
                if getattr(row, column) != getattr(first.row, column):
                    here = line.record.cells.get(column)
                    there = first.record.cells.get(column)
                    line.faults.append(
                        rows.Fault(
                            column,
                            here,
                            f"must be the same on every row of order {order_id}:"
                            f" line {first.record.line} has {there!r}, this row has {here!r}",
                        )
                    )
        before = skus.setdefault(row.sku, line.record.line)
        if before != line.record.line:
            line.faults.append(
                rows.Fault(
                    "sku",
                    line.record.cells.get("sku"),
                    f"is repeated in order {order_id} (first on line {before});"
                    " an order has one row per sku",
                )
            )


def _build_order(
    order_id: str,
    group: list[_TelesalesLine],
    items: list[rows.TelesalesRow],
    policy: TelesalesPolicy | None,
    now: datetime,
) -> TelesalesOrder | None:
    """The order of ``group`` (every row good), or ``None`` after faulting each row."""
    first = items[0]
    try:
        return imported_order(
            order_id=order_id,
            customer_id=first.customer_id,
            store_id=first.store_id,
            items=[row.item for row in items],
            commercial_policy=first.commercial_policy,
            placed_at=first.placed_at,
            operator_email=first.operator_email,
            imported_by=IMPORTED_BY,
            at=now,
            policy=TelesalesPolicy(manual_price_stores=frozenset()) if policy is None else policy,
        )
    except (RuleViolation, ValidationError) as exc:
        _refuse_order(group, f"cannot be imported: {exc}")
        return None


def _refuse_order(group: list[_TelesalesLine], rule: str) -> None:
    for line in group:
        line.faults.append(rows.Fault("order_id", line.record.cells.get("order_id"), rule))


def _blame_order(order_id: str, group: list[_TelesalesLine]) -> None:
    """Every row of an order with a bad row is rejected: fault the rows that are not bad themselves."""
    bad = next((line for line in group if line.faults), None)
    if bad is None:
        return
    for line in group:
        if not line.faults:
            line.faults.append(
                rows.Fault(
                    "order_id",
                    line.record.cells.get("order_id"),
                    f"is not imported: order {order_id} has a bad row (line {bad.record.line});"
                    " an order is imported whole or not at all",
                )
            )


def _stored_order(uow: UnitOfWork, order_id: str) -> TelesalesOrder | None:
    try:
        return uow.telesales.get(order_id)
    except NotFound:
        return None


def _placed_at(order: TelesalesOrder) -> datetime | None:
    return next((t.at for t in order.history if t.to_state is TelesalesState.PLACED), None)


_SAME = ("customer_id", "store_id", "commercial_policy", "operator_email")


def _content(order: TelesalesOrder) -> tuple[object, ...]:
    """What a file says of an order: its columns, when it was placed, its items in any order."""
    items = tuple(sorted(order.items, key=attrgetter("sku")))
    return (*(getattr(order, name) for name in _SAME), _placed_at(order), items)


def _differs(stored: TelesalesOrder, order: TelesalesOrder) -> str:
    """The rule of an order id stored already with other content: what differs."""
    names = [*_SAME, "placed_at", "items"]
    pairs = zip(_content(stored), _content(order), strict=True)
    names = [name for name, (a, b) in zip(names, pairs, strict=True) if a != b]
    return (
        f"is already stored with a different {', '.join(names)};"
        " a telesales order is never replaced by an import"
    )


def _same_content(stored: TelesalesOrder, order: TelesalesOrder) -> bool:
    """Whether a stored order is the one a file describes (imported before, maybe moved on since)."""
    return _content(stored) == _content(order)


class _Tracker:
    """Reports one pass over one file to the caller's ``progress`` callback, if any."""

    def __init__(
        self,
        progress: Progress | None,
        source: Source,
        stage: ImportStage,
        reader: Reader,
        rows_total: int | None,
    ) -> None:
        self.progress = progress
        self.source = source
        self.stage = stage
        self.reader = reader
        self.rows_total = rows_total
        self._report(0, done=False)

    def advance(self, rows_read: int) -> None:
        """Report ``rows_read`` (the caller calls this every PROGRESS_EVERY rows)."""
        self._report(rows_read, done=False)

    def finish(self, rows_read: int) -> None:
        self._report(rows_read, done=True)

    def _report(self, rows_read: int, *, done: bool) -> None:
        if self.progress is None:
            return
        self.progress(
            ImportProgress(
                file=self.source.path,
                kind=self.source.kind,
                stage=self.stage,
                rows_read=rows_read,
                rows_total=self.rows_total,
                bytes_read=self.reader.position(),
                bytes_total=self.reader.size,
                done=done,
            )
        )


class _Batch:
    """Holds at most ``size`` parsed rows, then hands them to the repository."""

    def __init__(
        self, uow: UnitOfWork, source: Source, size: int, history: ImportHistory | None = None
    ) -> None:
        self.uow = uow
        self.repository = getattr(uow, source.kind.value)
        self.source = source
        self.size = size
        # customers: each field a row changes on a stored customer goes to the history
        self.history = history if source.kind is RecordKind.CUSTOMERS else None
        self.items: list[object] = []
        self.lines: list[int] = []
        self.last_line = 0

    def add(self, item: object, record: Record) -> None:
        self.items.append(item)
        self.lines.append(record.line)
        self.last_line = record.last_line
        if len(self.items) >= self.size:
            self.flush()

    def flush(self) -> None:
        if not self.items:
            return
        kind = self.source.kind
        add_many = getattr(self.repository, "add_many", None)
        if kind in (RecordKind.CONSENT, RecordKind.BLOCKS):
            add_many = self.repository.append_many  # stored once by event_id
        elif kind is RecordKind.CONTACTS:
            add_many = self._add_contacts
        done = 0  # with one add() per row: the row being added
        history: list[HistoryChange] = []
        if self.history is not None:  # a customers batch: its items are customers
            history = self.history.changes(self.uow, cast("list[Customer]", self.items))
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
        except StoreBusy:
            raise  # not a refusal of these rows: the store is busy, try again
        except StorageError as exc:  # a constraint of the store, in the driver's words
            raise self._failed(None, _reason(exc.__cause__ or exc)) from exc
        except ImportFailed:
            raise
        except RuleViolation as exc:  # an event_id stored with different content
            raise self._failed(self._conflict(), str(exc)) from exc
        except OtocoreError:
            raise
        except Exception as exc:
            raise self._failed(None, _reason(exc)) from exc
        if history:
            self._append_history(history)
        self.items = []
        self.lines = []

    def _append_history(self, changes: list[HistoryChange]) -> None:
        """Append the batch's history entries (after its rows, in the same transaction)."""
        try:
            self.uow.customer_history.append_many(changes)
        except ConfigurationError as exc:  # a store opened without log keys
            first = changes[0]
            ids = [getattr(item, "customer_id", None) for item in self.items]
            line = self.lines[ids.index(first.customer_id)]
            raise ConfigurationError(
                f"{self.source.name} line {line} changes stored customer"
                f" {first.customer_id!r} ({first.field}), and an import's changes are written"
                f" to the customer history; nothing was imported: {exc}"
            ) from None

    def _add_contacts(self, contacts: list[Contact]) -> None:
        """Register the batch's new contacts and their consent changes; skip those stored, equal.

        A contact stored already with different content is refused: contacts
        are never replaced. A consent change becomes the consent event
        :func:`otocore.attendance.register_contact` appends for it.
        """
        uow = self.uow
        stored = uow.contacts.get_many(c.contact_id for c in contacts)
        new: list[Contact] = []
        for index, contact in enumerate(contacts):
            before = stored.get(contact.contact_id)
            if before is None:
                new.append(contact)
            elif before != contact:
                raise self._failed(
                    index,
                    f"contact_id {contact.contact_id!r} is already registered with different"
                    " content; contacts are never replaced",
                )
        if new:
            uow.contacts.add_many(new)
            events = [_consent_event(c) for c in new if c.consent_change is not None]
            if events:
                uow.consent.append_many(events)

    def _conflict(self) -> int | None:
        """The batch's first event whose ``event_id`` is stored, for its subject, with other content.

        Read after the store refused the batch, to name the row; ``None`` when
        the store cannot say (then the batch's lines are named).
        """
        uow = self.uow
        try:
            for index, event in enumerate(self.items):
                stored: Sequence[ConsentEvent | BlockEvent]
                if isinstance(event, ConsentEvent):
                    stored = uow.consent.for_customer(event.customer_id)
                elif isinstance(event, BlockEvent):
                    stored = uow.blocks.for_cpf(event.cpf)
                else:
                    continue
                if any(s.event_id == event.event_id and s != event for s in stored):
                    return index
        except OtocoreError:  # the store cannot be read any more in this transaction
            return None
        return None

    def _failed(self, index: int | None, reason: str) -> ImportFailed:
        if index is not None and 0 <= index < len(self.lines):
            lines = (self.lines[index], self.lines[index])
        else:
            lines = (self.lines[0], self.last_line)
        return ImportFailed(self.source.name, lines, reason)


def _consent_event(contact: Contact) -> ConsentEvent:
    """The consent event of a contact's consent change, as ``register_contact`` records it."""
    change = contact.consent_change
    assert change is not None  # noqa: S101 - the caller's filter
    return ConsentEvent(
        customer_id=contact.customer_id,
        channel=change.channel,
        granted=change.granted,
        at=contact.finished_at,
        source=ConsentSource.SELLER_APP,
        recorded_by=contact.seller_code,
        event_id=f"contact:{contact.contact_id}",
    )


def _batch_index(field: str) -> int | None:
    """The position in a batch named by a field path such as ``orders[3].total``."""
    found = _BATCH_INDEX.match(field)
    return int(found.group(1)) if found else None


def _transaction(uow: UnitOfWork, name: str, work: Callable[[], _T]) -> _T:
    """Run ``work`` in one writing block; a store's failure to commit is :class:`ImportFailed`.

    The block takes the store's write lock when it begins (``uow.writing()``): the
    stored rows an import reads (a customer's fields, to write its history entries;
    the references) are the ones it overwrites, and it never waits for the lock while
    holding rows another writer needs (on PostgreSQL that was a deadlock with an SAC
    edit; on SQLite a read-then-write block is refused "busy" at once).
    Errors raised by ``work`` itself leave the block (rolling it back) unchanged.
    """
    committing = False
    try:
        with uow.writing():
            result = work()
            committing = True
    except StorageError as exc:
        if not committing or isinstance(exc, StoreBusy):
            raise
        raise ImportFailed(name, None, _reason(exc.__cause__ or exc)) from exc
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
