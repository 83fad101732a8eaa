"""Import files: their kinds and formats, where they are, and reading them row by row.

Private: :class:`RecordKind`, :class:`FileFormat` and :class:`FileRejected`
are public from :mod:`otocore.importing`. A :class:`Reader` streams a file's
physical lines (gzip or not, never holding a line longer than
:data:`MAX_LINE_BYTES`), or an ``.xlsx`` sheet's rows, and turns them into
:class:`Record` values: a row's cells, or the faults that stop it from having
any (malformed CSV or JSON, undecodable text). What the spreadsheet software
of a Brazilian back office writes is read here, for every kind: the
separator, the decimal comma and the encoding of a CSV file are detected (or
given, as a :class:`Dialect`), and an ``.xlsx`` sheet's numbers and dates
become the text cells a CSV file would hold. In a customers CSV file, the
formula quotes of otocore's own export are taken off again
(:func:`~otocore.exports.restore_formula`). A file that cannot be read as a
table of its kind at all is a :class:`FileRejected`. Cells become value types
in :mod:`otocore.importing._rows`.
"""

from __future__ import annotations

import codecs
import csv
import enum
import gzip
import io
import json
import os
import re
import zlib
from collections.abc import Iterator, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any, NamedTuple, cast

import attrs

from otocore.errors import NotFound, ValidationError
from otocore.exports import NEUTRALISED_COLUMNS, QUOTE, restore_formula
from otocore.importing import _rows as rows
from otocore.importing._errors import ImportRejected, RowError

MAX_LINE_BYTES = 1 << 20
"""A physical line longer than this (1 MiB) is a row error, never read whole."""

_GZIP_MAGIC = b"\x1f\x8b"
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, or a password-protected workbook
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_BOM = "\ufeff"
_SURROGATE = re.compile("[\ud800-\udfff]")
_CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_NUL = re.compile(rb"\x00")
_HEAD_BYTES = 4096

PORTUGUESE_NAMES: dict[str, str] = {
    "lojas": "stores",
    "vendedores": "sellers",
    "clientes": "customers",
    "pedidos": "orders",
    "consentimentos": "consent",
    "bloqueios": "blocks",
    "contatos": "contacts",
    "televendas": "telesales",
    "pedidos-televendas": "telesales",
}
"""The Portuguese name of each kind, as a file name or ``--kind`` may give it.

A name whose kind otocore does not import (yet) is ignored.
"""

MONEY_COLUMNS: dict[str, tuple[str, ...]] = {
    "orders": ("total",),
    "telesales": ("list_price", "manual_price"),
}
"""The columns of each kind that hold an amount of money (a decimal comma applies to them)."""

DELIMITERS = (",", ";", "\t", "|")
"""The separators a CSV file may use, in the order detection prefers them on a tie."""


class RecordKind(enum.Enum):
    """What a file holds: lojas, vendedores, clientes, pedidos, opt-ins, bloqueios, contatos or televendas.

    A directory's files are imported in the members' order: stores, sellers,
    customers, orders, consent, blocks, contacts, telesales.

    >>> RecordKind("orders").columns
    ... # doctest: +NORMALIZE_WHITESPACE
    ('order_id', 'customer_id', 'store_id', 'placed_at', 'total', 'seller_code', 'status',
     'channel', 'discount')
    >>> RecordKind.SELLERS.required_columns
    ('code', 'name', 'store_id')
    >>> RecordKind.CONSENT.required_columns
    ('customer_id', 'channel', 'granted', 'at')
    """

    STORES = "stores"
    SELLERS = "sellers"
    CUSTOMERS = "customers"
    ORDERS = "orders"
    CONSENT = "consent"
    """Opt-ins and opt-outs: :class:`~otocore.consent.ConsentEvent` rows."""
    BLOCKS = "blocks"
    """Blocked and unblocked CPFs: :class:`~otocore.blocking.BlockEvent` rows."""
    CONTACTS = "contacts"
    """The contact log: :class:`~otocore.contacts.Contact` rows."""
    TELESALES = "telesales"
    """Telesales orders from another platform, one row per item (``TelesalesRow``)."""

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

    @classmethod
    def from_name(cls, name: str) -> RecordKind:
        """The kind ``name`` means: its own value or its Portuguese name, in any case.

        Raises:
            ValidationError: ``name`` names no kind.

        >>> RecordKind.from_name("Pedidos")
        <RecordKind.ORDERS: 'orders'>
        >>> RecordKind.from_name("sellers")
        <RecordKind.SELLERS: 'sellers'>
        """
        kind = _kind_names().get(str(name).strip().lower())
        if kind is None:
            allowed = ", ".join(_kind_names())
            raise ValidationError("kind", name, f"must be one of {allowed}")
        return kind


def _kind_names() -> dict[str, RecordKind]:
    """Every name of every kind: its value, then its Portuguese name."""
    names = {kind.value: kind for kind in RecordKind}
    for portuguese, value in PORTUGUESE_NAMES.items():
        if value in names:
            names[portuguese] = names[value]
    return names


class FileFormat(enum.Enum):
    """The format of an import file; gzip compression is detected separately.

    >>> FileFormat.from_path(Path("orders.jsonl.gz"))
    <FileFormat.JSONL: 'jsonl'>
    """

    CSV = "csv"
    JSONL = "jsonl"
    XLSX = "xlsx"

    @classmethod
    def from_path(cls, path: Path) -> FileFormat:
        """The format named by the file's suffix.

        ``.csv`` or ``.tsv`` is CSV, ``.jsonl`` or ``.ndjson`` JSON Lines (each
        optionally + ``.gz``), ``.xlsx`` an Excel workbook.

        Raises:
            ValidationError: the suffix names no known format.

        >>> FileFormat.from_path(Path("clientes.CSV"))
        <FileFormat.CSV: 'csv'>
        >>> FileFormat.from_path(Path("pedidos.xlsx"))
        <FileFormat.XLSX: 'xlsx'>
        >>> FileFormat.from_path(Path("orders.dat"))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: orders.dat: format cannot be told from the file name; pass --format csv, jsonl or xlsx (format=FileFormat.CSV in Python), or name it .csv, .tsv, .jsonl, .ndjson or .xlsx
        """
        suffix = _format_suffix(path.name)
        if suffix in {".csv", ".tsv"}:
            return cls.CSV
        if suffix in {".jsonl", ".ndjson"}:
            return cls.JSONL
        if suffix == ".xlsx":
            return cls.XLSX
        if path.name.lower().endswith(".xls"):
            rule = (
                "is an Excel 97-2003 workbook (.xls), which otocore does not read;"
                " save it as .xlsx or as CSV UTF-8"
            )
            raise _error("format", path.name, rule, f"{path.name} {rule}")
        rule = (
            "cannot be told from the file name; pass --format csv, jsonl or xlsx"
            " (format=FileFormat.CSV in Python), or name it .csv, .tsv, .jsonl, .ndjson or .xlsx"
        )
        raise _error("format", path.name, rule, f"{path.name}: format {rule}")


def _error(field: str, value: Any, rule: str, message: str) -> ValidationError:
    """A :class:`ValidationError` of ``field``/``value``/``rule`` whose message is ``message``."""
    err = ValidationError(field, value, rule)
    err.args = (message,)
    return err


@attrs.frozen
class Dialect:
    """How a CSV file is written; ``None`` = detected (the import page states the rules).

    ``delimiter`` is one of :data:`DELIMITERS`; ``decimal`` ``'.'`` or ``','``
    (money cells only: ``1.234,56`` then means 1234.56); ``encoding`` a
    Python codec name that keeps ASCII as ASCII (``'utf-8'``, ``'cp1252'``,
    ``'latin-1'``).
    """

    delimiter: str | None = None
    decimal: str | None = None
    encoding: str | None = None


def dialect_of(delimiter: str | None, decimal: str | None, encoding: str | None) -> Dialect:
    """The :class:`Dialect` of these arguments, checked; a bad one is a :class:`ValidationError`."""
    if delimiter is not None and delimiter not in DELIMITERS:
        raise ValidationError(
            "delimiter",
            delimiter,
            "must be one of ',', ';', '\\t' (tab) or '|', or None to detect it",
        )
    if decimal is not None and decimal not in (".", ","):
        raise ValidationError("decimal", decimal, "must be '.' or ',', or None to detect it")
    if encoding is not None:
        encoding = _codec_name(encoding)
    return Dialect(delimiter=delimiter, decimal=decimal, encoding=encoding)


def _codec_name(encoding: str) -> str:
    rule = "must be a text encoding such as 'utf-8', 'cp1252' or 'latin-1'"
    if not isinstance(encoding, str):
        raise ValidationError("encoding", encoding, rule)
    try:
        name = codecs.lookup(encoding).name
        name = "utf-8" if name == "utf-8-sig" else name  # the mark is dropped anyway
        ascii_kept = '\r\n,;\t|"'.encode(name) == b'\r\n,;\t|"'
    except (LookupError, UnicodeError, TypeError, ValueError):
        raise ValidationError("encoding", encoding, rule) from None
    if not ascii_kept:
        raise ValidationError(
            "encoding",
            encoding,
            "must keep ASCII as ASCII ('utf-8', 'cp1252', 'latin-1'); save UTF-16 files as CSV UTF-8",
        )
    return name


# sources ---------------------------------------------------------------------------


@attrs.frozen
class Source:
    """One file to import: where it is, what it holds, how it is written."""

    path: Path
    kind: RecordKind
    format: FileFormat
    dialect: Dialect = Dialect()

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def schema(self) -> rows.Schema:
        return rows.SCHEMAS[self.kind.value]


_SUFFIXES = (".csv", ".tsv", ".jsonl", ".ndjson", ".xlsx")


def _format_suffix(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".xlsx"):
        return ".xlsx"
    if lower.endswith(".gz"):
        lower = lower[:-3]
    for suffix in _SUFFIXES[:-1]:
        if lower.endswith(suffix):
            return suffix
    return ""


def _kind_from_name(path: Path) -> RecordKind:
    name = path.name.lower()
    # the longest name first: pedidos-televendas.csv is telesales, not pedidos (orders)
    for word, kind in sorted(_kind_names().items(), key=lambda pair: -len(pair[0])):
        if name.startswith(word) and name[len(word) : len(word) + 1] in {".", "-", "_", " "}:
            return kind
    kinds = ", ".join(kind.value for kind in RecordKind)
    portuguese = ", ".join(f"{p}.csv" for p, v in PORTUGUESE_NAMES.items() if v in _kind_names())
    rule = (
        f"cannot be told from the file name; pass --kind {kinds.replace(', ', '|')}"
        " (kind=RecordKind.ORDERS in Python), or name the file after what it holds:"
        f" orders.csv, orders-2026-05.csv, {portuguese}"
    )
    raise _error("kind", path.name, rule, f"{path.name}: kind {rule}")


def source_of(
    path: Path | str,
    kind: RecordKind | None,
    fmt: FileFormat | None,
    dialect: Dialect = Dialect(),
) -> Source:
    """The file at ``path``; its kind and format told from its name unless given."""
    path = Path(path)
    if kind is not None and not isinstance(kind, RecordKind):
        raise ValidationError("kind", kind, "must be a RecordKind")
    if fmt is not None and not isinstance(fmt, FileFormat):
        raise ValidationError("format", fmt, "must be a FileFormat")
    if not path.is_file():
        raise NotFound("File", str(path))
    return Source(
        path=path,
        kind=_kind_from_name(path) if kind is None else kind,
        format=FileFormat.from_path(path) if fmt is None else fmt,
        dialect=dialect,
    )


def directory_sources(
    directory: Path,
    dialect: Dialect = Dialect(),
) -> list[Source]:
    """The import files of ``directory``, kind by kind in :class:`RecordKind` order; by name within a kind.

    A file is named ``<kind>.<suffix>``, the kind in English or Portuguese
    (``orders.csv``, ``pedidos.xlsx``).
    """
    if not directory.is_dir():
        raise NotFound("Directory", str(directory))
    kinds = _kind_names()
    found: dict[RecordKind, list[Path]] = {kind: [] for kind in RecordKind}
    for path in sorted(directory.iterdir()):
        name = path.name
        suffix = _format_suffix(name)
        if suffix and suffix != ".xlsx" and name.lower().endswith(".gz"):
            name = name[:-3]
        kind = kinds.get(name[: len(name) - len(suffix)].lower()) if suffix else None
        if kind is not None and path.is_file():
            found[kind].append(path)
    sources = [
        source_of(path, kind, None, dialect) for kind, paths in found.items() for path in paths
    ]
    if not sources:
        raise ValidationError(
            "directory",
            str(directory),
            "holds no stores, sellers, customers, orders, consent, blocks, contacts or"
            " telesales file"
            " (.csv, .tsv, .jsonl, .ndjson, + .gz, or .xlsx; English or Portuguese names)",
        )
    return sources


# reading ---------------------------------------------------------------------------


class FileRejected(ImportRejected):
    """A file that cannot be read as a table of its kind at all; nothing of it is imported.

    An empty file, a file that is not text (a zip, an old ``.xls``, binary
    data), a header that lacks a required column or names an unknown one, a
    separator other than the one given. The message is one line that starts
    with the file's name and says what to do; :attr:`errors` holds the same
    faults as :class:`RowError` values (line 1 for the header, 0 for the
    whole file), and ``bad_rows`` is 0: no row was read. It is an
    :class:`ImportRejected`, so code that catches that catches this too.

    >>> fault = RowError(
    ...     file="orders.csv", line=1, field="total", value="order_id", rule="is missing"
    ... )
    >>> err = FileRejected(
    ...     "orders.csv", "orders.csv: missing column 'total' (the header has: order_id)", [fault]
    ... )
    >>> print(err)
    orders.csv: missing column 'total' (the header has: order_id)
    >>> isinstance(err, ImportRejected), err.bad_rows, err.file
    (True, 0, 'orders.csv')
    """

    file: str

    def __init__(self, file: str, message: str, errors: Sequence[RowError]) -> None:
        super().__init__(errors, bad_rows=0, files=[file])
        self.file = file
        self.args = (message,)


def _whole_file(
    source: Source, message: str, rule: str, *, field: str = "(file)", line: int = 0
) -> FileRejected:
    fault = RowError(file=source.name, line=line, field=field, value=source.name, rule=rule)
    return FileRejected(source.name, message, [fault])


def _not_a(source: Source, what: str, why: str) -> FileRejected:
    article = "an" if what.startswith(".") else "a"
    rule = f"is not {article} {what} file: {why}"
    return _whole_file(source, f"{source.name} {rule}", rule)


def _empty(source: Source, what: str) -> FileRejected:
    example = ",".join(source.schema.required)
    rule = (
        f"is empty: a {what} file starts with a header line naming its columns, such as {example}"
    )
    return _whole_file(source, f"{source.name} {rule}", rule, field="(header)", line=1)


def _not_text(
    source: Source, data: bytes, too_long: bool, what: str, head: bytes = b""
) -> FileRejected | None:
    """Why a CSV or JSON Lines file is not one, from its first line and first bytes; or ``None``.

    A zip (an .xlsx), an old .xls, UTF-16 text, a first line too long or
    holding a control character, or a NUL byte in the first 4 KiB (text never
    holds one) tell a file that is not text.
    """
    control = _CONTROL_BYTES.search(data) or _NUL.search(head)
    if data.startswith(_ZIP_MAGIC):
        why = "it is a zip archive, such as an .xlsx workbook: pass --format xlsx (format=FileFormat.XLSX)"
    elif data.startswith(_OLE_MAGIC):
        why = (
            "it is an Excel 97-2003 (.xls) or password-protected workbook;"
            " save it as .xlsx or as CSV UTF-8"
        )
    elif data.startswith(_UTF16_BOMS):
        why = "it is UTF-16 text (Excel's 'Unicode text'); save it as CSV UTF-8"
    elif too_long:
        why = f"its first line is longer than {MAX_LINE_BYTES} bytes"
    elif control is not None:
        where = "its first line" if _CONTROL_BYTES.search(data) else "its first 4 KiB"
        why = f"it holds binary data (byte 0x{control.group()[0]:02x} in {where})"
    else:
        return None
    return _not_a(source, what, why)


class Record(NamedTuple):
    """One row as read: where it starts and ends, its text, its cells or its faults."""

    line: int
    last_line: int
    raw: str
    cells: Mapping[str, Any]
    faults: list[rows.Fault]


class Reader:
    """Opens a source and streams its rows, knowing how far it has read."""

    def __init__(self, source: Source) -> None:
        self.source = source
        self.size = os.path.getsize(source.path)
        self._raw: IO[bytes] = open(source.path, "rb")  # noqa: SIM115 - closed in close()
        self._stream: IO[bytes] = self._raw
        if source.format is not FileFormat.XLSX and self._raw.read(2) == _GZIP_MAGIC:
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

    def __enter__(self) -> Reader:
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
            rule = f"is not a readable gzip file ({exc})"
            raise _whole_file(self.source, f"{self.source.name} {rule}", rule) from None

    def head(self) -> bytes:
        """The first bytes of the (decompressed) file, without consuming them."""
        peek = getattr(self._stream, "peek", None)
        try:
            return b"" if peek is None else bytes(peek(_HEAD_BYTES)[:_HEAD_BYTES])
        except (gzip.BadGzipFile, EOFError, zlib.error, OSError):
            return b""  # lines() reports a corrupt gzip file

    def records(self) -> Iterator[Record]:
        if self.source.format is FileFormat.CSV:
            return _csv_records(self.source, self.lines(), self.head())
        if self.source.format is FileFormat.XLSX:
            return _xlsx_records(self.source, self._raw)
        return _jsonl_records(self.source, self.lines(), self.head())


def _too_long(line: int) -> rows.Fault:
    return rows.Fault(rows.ROW, f"<line {line}>", f"is longer than {MAX_LINE_BYTES} bytes")


def _surrogate_faults(cells: Mapping[str, Any], label: str = "UTF-8") -> list[rows.Fault]:
    return [
        rows.Fault(column, printable(value), f"is not valid {label} text")
        for column, value in cells.items()
        if isinstance(value, str) and _SURROGATE.search(value)
    ]


def printable(value: str) -> str:
    """``value`` as valid text: undecodable bytes and lone surrogates as backslash escapes."""
    if not _SURROGATE.search(value):
        return value
    try:  # bytes that were not UTF-8, kept by the "surrogateescape" decoding
        return value.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate from a JSON escape
        return value.encode("utf-8", "backslashreplace").decode("utf-8")


_new = tuple.__new__


# CSV: the separator, the encoding, the decimal comma ------------------------------------

_LABELS = {"utf-8": "UTF-8", "cp1252": "Windows-1252", "iso8859-1": "Latin-1"}


def sniff_delimiter(header: str, columns: Sequence[str]) -> str:
    """The separator of a CSV file, from its header line and the columns of its kind.

    The one of :data:`DELIMITERS` that splits the line into the most column
    names of the kind; on a tie, the one that splits it into the most cells;
    on a tie again, the first of :data:`DELIMITERS` (so ``,``).

    >>> sniff_delimiter("store_id;name;city\\r\\n", ("store_id", "name", "city", "state"))
    ';'
    >>> sniff_delimiter("codigo\\tnome", ("store_id", "name"))
    '\\t'
    """
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        score = _header_score(header, delimiter, columns)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _header_score(header: str, delimiter: str, columns: Sequence[str]) -> tuple[int, int]:
    try:
        names = next(csv.reader([header.rstrip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        names = []
    return sum(name in columns for name in set(names)), len(names)


def _shown(delimiter: str) -> str:
    return "tab" if delimiter == "\t" else repr(delimiter)


class _Decoder:
    """Decodes a CSV file's lines in its encoding: given, or detected as the lines come.

    Detected: the lines are read as UTF-8 until the first one holding a byte
    outside ASCII, which decides: the file is UTF-8 if that line is valid
    UTF-8, else Windows-1252 (the lines before it were ASCII, the same in
    both). After that, a line not valid in the file's encoding, or, in a file
    detected as Windows-1252, a line that is valid UTF-8 with a character
    outside ASCII (the file mixes the two), sets :attr:`bad` and
    :attr:`rule`, for the row to be reported.
    """

    def __init__(self, source: Source) -> None:
        given = source.dialect.encoding
        self.source = source
        self.given = given is not None
        self.encoding = given or "utf-8"
        self.label = _LABELS.get(self.encoding, self.encoding)
        self.undecided = given is None  # detecting, and every line so far was ASCII
        self.decided_at = 0  # the line that decided the encoding, when detected
        self.watch = False  # detected Windows-1252: look out for UTF-8 lines
        self.bad = [False]  # whether a line of the current row was not of the file's encoding
        self.mixed = False  # whether that line was UTF-8 in a file detected as Windows-1252
        self.rule = ""

    def first(self, data: bytes) -> str:
        """The header line's text; a UTF-8 byte-order mark is dropped (and decides UTF-8)."""
        if data.startswith(codecs.BOM_UTF8):
            if self.encoding != "utf-8":
                rule = (
                    f"starts with a UTF-8 byte-order mark, so it is UTF-8 text, not {self.label}:"
                    " leave --encoding out (encoding=None), or pass --encoding utf-8"
                )
                raise _whole_file(self.source, f"{self.source.name} {rule}", rule)
            self.undecided = False
            data = data[3:]
        try:
            text = data.decode(self.encoding)
        except UnicodeDecodeError:
            return self.fallback(data, 1)
        if self.undecided and len(text) != len(data):
            self.undecided, self.decided_at = False, 1
        return text

    def fallback(self, data: bytes, line: int) -> str:
        """The text of a line that is not valid in the current encoding."""
        if self.undecided:  # the first line outside ASCII, and not UTF-8: Windows-1252
            self.undecided, self.decided_at, self.watch = False, line, True
            self.encoding, self.label = "cp1252", _LABELS["cp1252"]
            try:
                return data.decode("cp1252")
            except UnicodeDecodeError:  # 0x81, 0x8d, 0x8f, 0x90, 0x9d: undefined in cp1252
                pass
        self.bad[0], self.mixed = True, False
        self.rule = f"is not valid {self.label} text"
        if not self.given and self.decided_at and self.encoding == "utf-8":
            self.rule += f" (line {self.decided_at} is UTF-8, so the file is read as UTF-8)"
        return data.decode(self.encoding, "surrogateescape")

    def check_mixed(self, data: bytes) -> None:
        """In a file detected as Windows-1252, a line outside ASCII that is valid UTF-8."""
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            return
        self.bad[0], self.mixed = True, True
        self.rule = (
            f"is UTF-8 text, but line {self.decided_at} is not, so the file is read as"
            " Windows-1252: the file mixes encodings (save it again as CSV UTF-8)"
        )


_COMMA_MONEY = re.compile(r"-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?")


def comma_money(text: str) -> str | None:
    """A money cell written with a decimal comma, as the plain decimal ``_rows`` reads; or ``None``.

    ``.`` separates thousands, in groups of three; ``,`` the decimals.

    >>> comma_money("1.234,56"), comma_money("199,90"), comma_money("150")
    ('1234.56', '199.90', '150')
    >>> comma_money("199.90") is None, comma_money("1.23,4") is None
    (True, True)
    """
    if _COMMA_MONEY.fullmatch(text) is None:
        return None
    return text.replace(".", "").replace(",", ".")


def _comma_money_fault(column: str, value: str) -> rows.Fault:
    rule = (
        "must be a number with ',' as the decimal separator (the file's decimal separator"
        " is ','), such as '199,90' or '1.234,56'"
    )
    if "." in value and "," not in value:
        rule += "; if the file's decimals are written with '.', pass --decimal '.'"
    return rows.Fault(column, value, rule)


def _decimal_commas(records: Iterator[Record], columns: tuple[str, ...]) -> Iterator[Record]:
    """The records, their money cells read with a decimal comma (a bad one is a fault)."""
    for record in records:
        cells = record.cells
        for column in columns:
            value = cells.get(column)
            if type(value) is str and value:
                plain = comma_money(value)
                if plain is None:
                    record.faults.append(_comma_money_fault(column, value))
                else:
                    cast(dict[str, Any], cells)[column] = plain
        yield record


def _formula_quotes(records: Iterator[Record]) -> Iterator[Record]:
    """The records of a customers CSV, the export's formula quotes taken off.

    otocore's CSV export puts a ``'`` before a cell of
    :data:`~otocore.exports.NEUTRALISED_COLUMNS` that starts with a formula
    trigger or a quote (:func:`~otocore.exports.neutralise_formula`); each such
    cell is read through :func:`~otocore.exports.restore_formula`, so an
    exported file imports back into the same values. A row without a quote
    anywhere in its text is passed on untouched.
    """
    for record in records:
        if QUOTE in record.raw:
            cells = cast(dict[str, Any], record.cells)
            for column in NEUTRALISED_COLUMNS:
                value = cells.get(column)
                if value and value[0] == QUOTE:
                    cells[column] = restore_formula(value)
        yield record


def _csv_records(
    source: Source, lines: Iterator[tuple[bytes, bool]], head: bytes
) -> Iterator[Record]:
    first = next(lines, None)
    if first is None:
        raise _empty(source, "CSV")
    refused = _not_text(source, *first, "CSV", head)
    if refused is not None:
        raise refused
    decoder = _Decoder(source)
    header = decoder.first(first[0])
    if not header.strip():
        raise _empty(source, "CSV")
    delimiter = source.dialect.delimiter or sniff_delimiter(header, source.schema.columns)
    decimal = source.dialect.decimal or ("," if delimiter == ";" else ".")
    records = _csv_rows(source, decoder, header, lines, delimiter)
    if source.kind is RecordKind.CUSTOMERS:
        records = _formula_quotes(records)
    money = MONEY_COLUMNS.get(source.kind.value, ())
    return _decimal_commas(records, money) if decimal == "," and money else records


def _decoded(
    decoder: _Decoder,
    header_text: str,
    lines: Iterator[tuple[bytes, bool]],
    buffer: list[str],
    long_lines: list[int],
) -> Iterator[str]:
    """The text of each physical line (the header's first), kept in ``buffer`` as well."""
    buffer.append(header_text)
    yield header_text
    count = 1
    encoding, undecided, watch = decoder.encoding, decoder.undecided, decoder.watch
    for data, too_long in lines:
        count += 1
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:  # kept as lone surrogates, reported by _odd_row
            text = decoder.fallback(data, count)
            encoding, undecided, watch = decoder.encoding, decoder.undecided, decoder.watch
        else:
            if undecided:
                if len(text) != len(data):  # the first line outside ASCII, and UTF-8
                    decoder.undecided = undecided = False
                    decoder.decided_at = count
            elif watch and not data.isascii():
                decoder.check_mixed(data)
        buffer.append(text)
        if too_long:
            long_lines.append(count)
        yield text


def _csv_rows(
    source: Source,
    decoder: _Decoder,
    header_text: str,
    lines: Iterator[tuple[bytes, bool]],
    delimiter: str,
) -> Iterator[Record]:
    buffer: list[str] = []
    long_lines: list[int] = []
    bad = decoder.bad  # whether a line of the current row was not of the file's encoding
    feed = _decoded(decoder, header_text, lines, buffer, long_lines)
    reader = csv.reader(feed, delimiter=delimiter, strict=True)
    header = _csv_header(source, reader, delimiter, header_text, decoder.label)
    if long_lines:  # a quoted header cell ran on into a long line
        rule = f"is longer than {MAX_LINE_BYTES} bytes"
        raise _whole_file(
            source, f"{source.name}: the header {rule}", rule, field="(header)", line=1
        )
    previous = reader.line_num
    buffer.clear()
    bad[0] = False  # the header's own were reported by _csv_header
    columns = len(header)
    while True:
        error = None
        try:
            cells: list[str] = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            cells, error = [], str(exc)
        first, previous = previous + 1, reader.line_num
        raw = buffer[0] if len(buffer) == 1 else "".join(buffer)
        buffer.clear()
        if not (long_lines or error is not None or bad[0]) and len(cells) == columns:
            # the common row: its cells under the header's names, nothing to report
            # (tuple.__new__: Record(...) without the NamedTuple's Python-level __new__)
            mapping = dict(zip(header, cells, strict=False))
            yield _new(Record, (first, max(first, previous), raw, mapping, []))
            continue
        odd = _odd_row(header, raw, cells, error, long_lines, decoder=decoder)
        long_lines.clear()
        if odd is None:
            continue  # a blank line is not a row
        bad[0] = False
        yield Record(first, max(first, previous), raw, *odd)


def _odd_row(
    header: list[str],
    raw: str,
    cells: list[str],
    error: str | None,
    long_lines: list[int],
    *,
    decoder: _Decoder,
) -> tuple[dict[str, Any], list[rows.Fault]] | None:
    """The cells and faults of a row that is not plain; ``None`` for a blank line."""
    faults: list[rows.Fault] = [_too_long(n) for n in long_lines]
    mapping: dict[str, Any] = {}
    if faults:
        pass
    elif error is not None:
        faults.append(rows.Fault(rows.ROW, raw.rstrip("\r\n"), f"is not valid CSV ({error})"))
    elif not cells:
        return None
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
        if decoder.bad[0]:
            faults = [
                rows.Fault(column, printable(value), decoder.rule)
                for column, value in mapping.items()
                if (not value.isascii() if decoder.mixed else _SURROGATE.search(value))
            ] or [rows.Fault(rows.ROW, printable(raw.rstrip("\r\n")), decoder.rule)]
    return mapping, faults


def _csv_header(
    source: Source, reader: Iterator[list[str]], delimiter: str, header_text: str, label: str
) -> list[str]:
    try:
        header = next(reader)
    except StopIteration:
        raise _empty(source, "CSV") from None
    except csv.Error as exc:
        rule = f"is not valid CSV ({exc})"
        raise _whole_file(
            source, f"{source.name}: the header {rule}", rule, field="(header)", line=1
        ) from None
    if not header:
        raise _empty(source, "CSV")
    columns = source.schema.columns
    better = sniff_delimiter(header_text, columns)
    hint = None
    if (
        better != delimiter
        and _header_score(header_text, better, columns)[0]
        > _header_score(header_text, delimiter, columns)[0]
    ):
        hint = (
            f"{source.name} looks {_shown(better)}-separated: pass --delimiter {_shown(better)}"
            f" (delimiter={better!r} in Python), or leave it out to have it detected"
        )
    check_header(source, header, label, hint)
    return header


def check_header(source: Source, header: list[str], label: str, hint: str | None) -> None:
    """Refuse a header with an unknown, empty or repeated column, or without a required one.

    Raises:
        FileRejected: one line naming every fault (``hint`` first, when given).
    """
    schema = source.schema
    known = ", ".join(schema.columns)
    errors: list[RowError] = []
    unknown: list[str] = []
    other: list[str] = []

    def fault(column: str, value: Any, rule: str) -> None:
        errors.append(RowError(file=source.name, line=1, field=column, value=value, rule=rule))

    seen: set[str] = set()
    for position, name in enumerate(header, 1):
        if _SURROGATE.search(name):
            fault("(header)", printable(name), f"is not valid {label} text")
            other.append(f"the header is not valid {label} text ({printable(name)!r})")
        elif not name:
            fault("(header)", name, f"column {position} has no name")
            other.append(f"column {position} of the header has no name")
        elif name in seen:
            fault(name, name, "appears twice in the header")
            other.append(f"column {name!r} appears twice in the header")
        elif name not in schema.columns:
            fault(name, name, f"is not a column of {schema.kind} (columns: {known})")
            unknown.append(name)
        seen.add(name)
    shown = ", ".join(printable(name) for name in header)
    missing = [name for name in schema.required if name not in seen]
    for name in missing:
        fault(name, shown, f"is a required column of {schema.kind} and is missing from the header")
    if not errors:
        return
    parts = []
    if missing:
        names = ", ".join(repr(name) for name in missing)
        parts.append(
            f"missing column{'s' if len(missing) > 1 else ''} {names} (the header has: {shown})"
        )
    if unknown:
        names = ", ".join(repr(printable(name)) for name in unknown)
        parts.append(
            f"unknown column{'s' if len(unknown) > 1 else ''} {names}"
            f" (the columns of {schema.kind} are: {known})"
        )
    message = f"{source.name}: {'; '.join(parts + other)}" if hint is None else hint
    raise FileRejected(source.name, message, errors)


# .xlsx: the first sheet, through openpyxl in read-only mode -----------------------------


def xlsx_text(value: object) -> str | None:
    """The text cell a CSV file would hold for a value openpyxl read from a sheet.

    Text stays as it is; an integer is its digits; a float is the shortest
    decimal that is exactly that binary number (``repr``), never rounded, so a
    cell that is not what it shows is refused by the column's rule instead of
    read as something else; a date-time at midnight is its date, any other its
    ISO 8601 form (without an offset: a sheet has none); ``True``/``False``
    are ``true``/``false``; an empty cell is ``None``.

    >>> xlsx_text(199.9), xlsx_text(150), xlsx_text(0.1 + 0.2), xlsx_text(1e16)
    ('199.9', '150', '0.30000000000000004', '10000000000000000')
    >>> xlsx_text(datetime(1990, 5, 10)), xlsx_text(datetime(2026, 5, 10, 15, 30))
    ('1990-05-10', '2026-05-10T15:30:00')
    """
    if value is None or type(value) is str:
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        text = repr(value)
        if "e" in text:  # 1e+16, 1.5e-07: written out in digits
            text = format(Decimal(text), "f")
        return text
    if isinstance(value, datetime):
        if value.tzinfo is None and value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _csv_line(cells: Sequence[str | None]) -> str:
    """A row's cells as one CSV line: the ``raw`` text of a row read from a sheet."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(["" if c is None else c for c in cells])
    return out.getvalue()


def _unreadable(source: Source, exc: BaseException) -> FileRejected:
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return _not_a(source, ".xlsx", f"openpyxl cannot read it ({reason})")


def _xlsx_records(source: Source, file: IO[bytes]) -> Iterator[Record]:
    head = file.read(8)
    file.seek(0)
    if not head:
        raise _empty(source, ".xlsx")
    if head.startswith(_OLE_MAGIC):
        raise _not_a(
            source,
            ".xlsx",
            "it is an Excel 97-2003 (.xls) or password-protected workbook;"
            " save it as .xlsx (without a password) or as CSV UTF-8",
        )
    if not head.startswith(_ZIP_MAGIC):
        text = _CONTROL_BYTES.search(head) is None
        why = "it looks like text: pass --format csv" if text else "an .xlsx file is a zip archive"
        raise _not_a(source, ".xlsx", why)
    return _sheet_rows(source, file)


def _open_sheet(source: Source, file: IO[bytes]) -> tuple[str, Iterator[Sequence[object]]]:
    """The title and the rows of the workbook's first worksheet."""
    import warnings

    import openpyxl  # here: `otocore --help` and the CSV path do not pay for it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style", unsupported extensions
            workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
        if not workbook.worksheets:
            raise _not_a(source, ".xlsx", "it has no worksheet")
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers record wrong dimensions: read every row
        return sheet.title, _guarded(source, sheet.iter_rows(values_only=True))
    except FileRejected:
        raise
    except Exception as exc:  # noqa: BLE001 - zip, XML, openpyxl's own: all "cannot read it"
        raise _unreadable(source, exc) from None


def _guarded(source: Source, sheet_rows: Iterator[Sequence[object]]) -> Iterator[Sequence[object]]:
    while True:
        try:
            row = next(sheet_rows)
        except StopIteration:
            return
        except Exception as exc:  # noqa: BLE001 - as in _open_sheet
            raise _unreadable(source, exc) from None
        yield row


def _blank(text: str | None) -> bool:
    return text is None or text == ""


def _sheet_rows(source: Source, file: IO[bytes]) -> Iterator[Record]:
    title, sheet_rows = _open_sheet(source, file)
    line = 0
    texts: list[str | None] = []
    for line, row in enumerate(sheet_rows, 1):  # noqa: B007 - the header: the first row not empty
        texts = [xlsx_text(value) for value in row]
        if not all(_blank(text) for text in texts):
            break
    else:
        rule = f"is empty: its first sheet ({title!r}) has no rows"
        raise _whole_file(source, f"{source.name} {rule}", rule, field="(header)", line=1)
    while texts and _blank(texts[-1]):
        texts.pop()
    header = ["" if text is None else text for text in texts]
    check_header(source, header, "UTF-8", None)
    width = len(header)
    money = [(header.index(c), c) for c in MONEY_COLUMNS.get(source.kind.value, ()) if c in header]
    comma = source.dialect.decimal == ","
    for line, row in enumerate(sheet_rows, line + 1):  # noqa: B020 - numbering goes on
        cells = [xlsx_text(value) for value in row]
        used = len(cells)
        while used and _blank(cells[used - 1]):
            used -= 1
        if not used:
            continue  # an empty row is not a row
        raw = _csv_line(cells[:used])
        if used > width:
            rule = f"has {used} cells but the header has {width} columns"
            yield Record(line, line, raw, {}, [rows.Fault(rows.ROW, raw, rule)])
            continue
        cells += [None] * (width - len(cells))
        # an empty cell is "", as a CSV file holds it, so a row error names the same value
        mapping: dict[str, Any] = {
            column: "" if cell is None else cell for column, cell in zip(header, cells, strict=True)
        }
        faults: list[rows.Fault] = []
        for position, column in money:
            value = mapping[column]
            if comma and value and type(row[position]) is str:
                plain = comma_money(value)
                if plain is None:
                    faults.append(_comma_money_fault(column, value))
                else:
                    mapping[column] = plain
        yield Record(line, line, raw, mapping, faults)


# JSON Lines --------------------------------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise ValueError(f"key {key!r} appears twice")
        out[key] = value
    return out


def _jsonl_records(
    source: Source, lines: Iterator[tuple[bytes, bool]], head: bytes
) -> Iterator[Record]:
    schema = source.schema
    known = ", ".join(schema.columns)
    for number, (data, too_long) in enumerate(lines, 1):
        if number == 1:
            refused = _not_text(source, data, False, "JSON Lines", head)
            if refused is not None:
                raise refused
        raw = data.decode("utf-8", "replace").rstrip("\r\n")
        if too_long:
            yield Record(number, number, raw, {}, [_too_long(number)])
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
            yield Record(
                number, number, raw, {}, [rows.Fault(rows.ROW, raw, "is not valid UTF-8 text")]
            )
            continue
        except (ValueError, RecursionError) as exc:
            yield Record(
                number, number, raw, {}, [rows.Fault(rows.ROW, raw, f"is not valid JSON ({exc})")]
            )
            continue
        if not isinstance(obj, dict):
            yield Record(
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
        yield Record(number, number, raw, obj, faults)
