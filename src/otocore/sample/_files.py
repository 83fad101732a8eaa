"""The sample brand's files: writing and reading the four CSV files, and the bundled brand."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any, TextIO

from otocore.contacts import Contact
from otocore.customers import Cpf, Customer, Email, MaritalStatus, Mobile, Sex
from otocore.errors import OtocoreError, ValidationError
from otocore.importing import RecordKind, to_cells
from otocore.orders import Channel, Order, OrderStatus
from otocore.sample._brand import ZONE, SampleBrand
from otocore.sellers import Seller, SellerStatus, Store

# the generated brand has no loyalty card numbers, so its files leave that import column out
# the sample brand generates no card numbers and grants no discounts: columns left out
_NOT_WRITTEN = frozenset({"loyalty_card_number", "discount"})
COLUMNS: dict[str, tuple[str, ...]] = {
    f"{kind}.csv": tuple(c for c in RecordKind(kind).columns if c not in _NOT_WRITTEN)
    for kind in ("stores", "sellers", "customers", "orders")
}
"""The four files of a brand and their columns, in order (the import's, but an order's
optional ``discount``: the sample brand grants none)."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(ZONE).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Cpf):
        return value.digits
    if isinstance(value, Email):
        return value.address
    if isinstance(value, Mobile):
        return value.e164
    if isinstance(value, SellerStatus | OrderStatus | Channel | Sex | MaritalStatus):
        return str(value.value)
    return str(value)


def _rows(name: str, items: Iterable[Any]) -> Iterator[list[str]]:
    columns = COLUMNS[name]
    for item in items:
        if isinstance(item, Customer):
            loyalty = item.loyalty
            values: dict[str, object] = {c: getattr(item, c, None) for c in columns}
            values["loyalty_program"] = loyalty.program if loyalty else None
            values["loyalty_category"] = loyalty.category if loyalty else None
            yield [_cell(values[c]) for c in columns]
        else:
            yield [_cell(getattr(item, c)) for c in columns]


def write_brand(
    brand: SampleBrand, directory: str | Path, *, orders: Iterable[Order] | None = None
) -> tuple[Path, ...]:
    """Write ``brand`` as stores.csv, sellers.csv, customers.csv and orders.csv.

    UTF-8 without BOM, ``\\n`` line ends, a header row, an empty cell for
    ``None``; instants in America/Sao_Paulo with their offset. Existing files
    are replaced; the directory is created if needed.

    Args:
        brand: the brand to write.
        directory: where to write the four files.
        orders: write these orders instead of ``brand.orders``, for instance
            :func:`iter_orders` to stream millions of them to disk.

    Returns:
        The paths written, in the order above.

    >>> import tempfile
    >>> from otocore.sample import generate_brand
    >>> brand = generate_brand(seed=1, stores=1, sellers_per_store=1, customers=2, orders=3)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = write_brand(brand, tmp)
    ...     print(paths[1].read_text(encoding="utf-8"), end="")
    ...     read_brand(tmp) == brand
    code,name,store_id,status
    V001,... ...,L01,active
    True
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    sources: dict[str, Iterable[Any]] = {
        "stores.csv": brand.stores,
        "sellers.csv": brand.sellers,
        "customers.csv": brand.customers,
        "orders.csv": brand.orders if orders is None else orders,
    }
    paths = []
    for name, items in sources.items():
        path = folder / name
        with path.open("w", encoding="utf-8", newline="") as stream:
            writer = csv.writer(stream, lineterminator="\n")
            writer.writerow(COLUMNS[name])
            writer.writerows(_rows(name, items))
        paths.append(path)
    return tuple(paths)


CONTACTS_FILE = "contacts.csv"
"""The name of a sample brand's contact log, beside its four files (an import file of kind ``contacts``)."""


def write_contacts(contacts: Iterable[Contact], directory: str | Path) -> Path:
    """Write ``contacts`` as ``contacts.csv`` in ``directory``, a ``contacts`` import file.

    The columns are the import's (``RecordKind.CONTACTS.columns``), written as
    :func:`write_brand` writes (UTF-8, ``\\n``, instants in America/Sao_Paulo with their
    offset); ``otocore import`` and ``import_directory`` read it back to the same contacts.

    >>> import tempfile
    >>> from otocore.sample import generate_brand, sample_contacts
    >>> brand = generate_brand(seed=1, stores=1, sellers_per_store=2, customers=30, orders=300)
    >>> log = sample_contacts(brand, seed=1, first_day=date(2026, 9, 1), last_day=date(2026, 9, 30))
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_contacts(log, tmp)
    ...     print(path.name, path.read_text(encoding="utf-8").split(",")[:3])
    contacts.csv ['contact_id', 'seller_code', 'customer_id']
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    columns = RecordKind.CONTACTS.columns
    path = folder / CONTACTS_FILE
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        for contact in contacts:
            cells = to_cells(contact)
            cells["started_at"] = _cell(contact.started_at)
            cells["finished_at"] = _cell(contact.finished_at)
            writer.writerow([cells.get(column) or "" for column in columns])
    return path


def read_brand(directory: str | Path) -> SampleBrand:
    """Read a brand written by :func:`write_brand`.

    Raises:
        ValidationError: a file is missing, a header differs from
            :data:`COLUMNS`, or a cell is invalid; faults are named
            ``<file>[<line>].<column>``.

    >>> read_brand("/nonexistent")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: stores.csv cannot be read (FileNotFoundError), got '/nonexistent/stores.csv'
    """
    folder = Path(directory)
    streams: dict[str, str] = {}
    for name in COLUMNS:
        path = folder / name
        try:
            streams[name] = path.read_text(encoding="utf-8")
        except (OSError, UnicodeError) as exc:
            raise ValidationError(
                name, str(path), f"cannot be read ({type(exc).__name__})"
            ) from None
    return _parse_brand(streams)


def load_bundled_brand() -> SampleBrand:
    """The small brand shipped with otocore, so a demo needs no generation step.

    It is exactly ``generate_brand(seed=BUNDLED_SEED)``: 6 stores, 42
    sellers, 3,000 customers and 30,000 orders from 2022-11-01 to 2026-10-31.

    >>> brand = load_bundled_brand()
    >>> brand
    <SampleBrand: 6 stores, 42 sellers, 3000 customers, 30000 orders>
    >>> brand.stores[0]
    Store(store_id='L01', name='Brisa São Paulo Centro', city='São Paulo', state='SP')
    """
    folder = resources.files("otocore").joinpath("data").joinpath("sample")
    streams = {name: folder.joinpath(name).read_text(encoding="utf-8") for name in COLUMNS}
    return _parse_brand(streams)


def _parse_brand(texts: dict[str, str]) -> SampleBrand:
    from otocore.serialization import converter

    parsed: dict[str, list[Any]] = {}
    kinds = {
        "stores.csv": Store,
        "sellers.csv": Seller,
        "customers.csv": Customer,
        "orders.csv": Order,
    }
    for name, cls in kinds.items():
        faults: list[ValidationError] = []
        items: list[Any] = []
        for line, record in _records(name, io.StringIO(texts[name])):
            if name == "customers.csv":
                program = record.pop("loyalty_program")
                category = record.pop("loyalty_category")
                if program is not None or category is not None:
                    record["loyalty"] = {"program": program, "category": category}
            try:
                items.append(converter.structure(record, cls))
            except OtocoreError as exc:
                if not isinstance(exc, ValidationError):  # pragma: no cover - contract
                    raise
                faults += [_at_line(e, name, line) for e in exc.errors]
                if len(faults) >= 20:
                    break
        if faults:
            raise ValidationError.collect(faults[:20])
        parsed[name] = items
    return SampleBrand(
        stores=tuple(parsed["stores.csv"]),
        sellers=tuple(parsed["sellers.csv"]),
        customers=tuple(parsed["customers.csv"]),
        orders=tuple(parsed["orders.csv"]),
    )


def _at_line(err: ValidationError, name: str, line: int) -> ValidationError:
    column = err.field.split(".", 1)[1] if "." in err.field else err.field
    if column.startswith("loyalty."):
        column = f"loyalty_{column.removeprefix('loyalty.')}"
    return ValidationError(f"{name}[{line}].{column}", err.value, err.rule)


def _records(name: str, stream: TextIO) -> Iterator[tuple[int, dict[str, Any]]]:
    columns = COLUMNS[name]
    reader = csv.reader(stream, strict=True)
    try:
        header = next(reader, None)
        if header is None or tuple(header) != columns:
            raise ValidationError(f"{name}[1]", header, f"must be the header {','.join(columns)}")
        for row in reader:
            if len(row) != len(columns):
                raise ValidationError(
                    f"{name}[{reader.line_num}]", row, f"must have {len(columns)} cells"
                )
            yield (
                reader.line_num,
                {c: (v if v != "" else None) for c, v in zip(columns, row, strict=True)},
            )
    except csv.Error as exc:
        raise ValidationError(
            f"{name}[{reader.line_num}]", None, f"is not valid CSV ({exc})"
        ) from None
