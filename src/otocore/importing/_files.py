"""Import files: their kinds and formats, where they are, and reading them row by row.

Private: :class:`RecordKind` and :class:`FileFormat` are public from
:mod:`otocore.importing`. A :class:`Reader` streams a file's physical lines
(gzip or not, never holding a line longer than :data:`MAX_LINE_BYTES`) and
turns them into :class:`Record` values: a row's cells, or the faults that
stop it from having any (malformed CSV or JSON, a bad header, undecodable
text). Cells become value types in :mod:`otocore.importing._rows`.
"""

from __future__ import annotations

import csv
import enum
import gzip
import json
import os
import re
import zlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any, NamedTuple, cast

import attrs

from otocore.errors import NotFound, ValidationError
from otocore.importing import _rows as rows
from otocore.importing._errors import ImportRejected, RowError

MAX_LINE_BYTES = 1 << 20
"""A physical line longer than this (1 MiB) is a row error, never read whole."""

_GZIP_MAGIC = b"\x1f\x8b"
_BOM = "\ufeff"
_SURROGATE = re.compile("[\ud800-\udfff]")


class RecordKind(enum.Enum):
    """What a file holds: lojas, vendedores, clientes, pedidos, opt-ins, bloqueios or contatos.

    A directory's files are imported in the members' order: stores, sellers,
    customers, orders, consent, blocks, contacts.

    >>> RecordKind("orders").columns
    ('order_id', 'customer_id', 'store_id', 'placed_at', 'total', 'seller_code', 'status', 'channel')
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


# sources ---------------------------------------------------------------------------


@attrs.frozen
class Source:
    """One file to import: where it is, what it holds, how it is written."""

    path: Path
    kind: RecordKind
    format: FileFormat

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def schema(self) -> rows.Schema:
        return rows.SCHEMAS[self.kind.value]


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


def source_of(path: Path | str, kind: RecordKind | None, fmt: FileFormat | None) -> Source:
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
    )


def directory_sources(directory: Path) -> list[Source]:
    """The import files of ``directory``: stores, sellers, customers, orders; by name within a kind."""
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
    sources = [source_of(path, kind, None) for kind, paths in found.items() for path in paths]
    if not sources:
        raise ValidationError(
            "directory",
            str(directory),
            "holds no stores, sellers, customers or orders file (.csv, .jsonl, .ndjson, + .gz)",
        )
    return sources


# reading ---------------------------------------------------------------------------


class Record(NamedTuple):
    """One row as read: where it starts and ends, its text, its cells or its faults."""

    line: int
    last_line: int
    raw: str
    cells: Mapping[str, Any]
    faults: list[rows.Fault]


class Reader:
    """Opens a source and streams its physical lines, knowing how far it has read."""

    def __init__(self, source: Source) -> None:
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

    def records(self) -> Iterator[Record]:
        if self.source.format is FileFormat.CSV:
            return _csv_records(self.source, self.lines())
        return _jsonl_records(self.source, self.lines())


def _too_long(line: int) -> rows.Fault:
    return rows.Fault(rows.ROW, f"<line {line}>", f"is longer than {MAX_LINE_BYTES} bytes")


def _surrogate_faults(cells: Mapping[str, Any]) -> list[rows.Fault]:
    return [
        rows.Fault(column, printable(value), "is not valid UTF-8 text")
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


def _csv_records(source: Source, lines: Iterator[tuple[bytes, bool]]) -> Iterator[Record]:
    buffer: list[str] = []
    long_lines: list[int] = []
    count = 0
    undecodable = [False]  # whether a line of the current row was not UTF-8

    def feed() -> Iterator[str]:
        nonlocal count
        for data, too_long in lines:
            count += 1
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError:  # kept as lone surrogates, reported below
                text = data.decode("utf-8", "surrogateescape")
                undecodable[0] = True
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
    undecodable[0] = False  # the header's own were reported by _csv_header
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
        if not (long_lines or error is not None or undecodable[0]) and len(cells) == columns:
            # the common row: its cells under the header's names, nothing to report
            # (tuple.__new__: Record(...) without the NamedTuple's Python-level __new__)
            mapping = dict(zip(header, cells, strict=False))
            yield _new(Record, (first, max(first, previous), raw, mapping, []))
            continue
        odd = _odd_row(header, raw, cells, error, long_lines, undecodable=undecodable[0])
        long_lines.clear()
        if odd is None:
            continue  # a blank line is not a row
        undecodable[0] = False
        yield Record(first, max(first, previous), raw, *odd)


def _odd_row(
    header: list[str],
    raw: str,
    cells: list[str],
    error: str | None,
    long_lines: list[int],
    *,
    undecodable: bool,
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
        faults = _surrogate_faults(mapping) if undecodable else []
    return mapping, faults


def _csv_header(source: Source, reader: Iterator[list[str]], long_lines: list[int]) -> list[str]:
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
            fault("(header)", printable(name), "is not valid UTF-8 text")
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


def _jsonl_records(source: Source, lines: Iterator[tuple[bytes, bool]]) -> Iterator[Record]:
    schema = source.schema
    known = ", ".join(schema.columns)
    for number, (data, too_long) in enumerate(lines, 1):
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
