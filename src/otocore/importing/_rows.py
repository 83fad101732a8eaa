"""Row schemas and parsing for :mod:`otocore.importing`: one record's cells to one value type.

Private (:func:`to_cells` is public from :mod:`otocore.importing`). Each
record kind has a :class:`Schema`: its columns, which of them a CSV header
must have, and a ``build`` function that turns a mapping of column to cell
into a :class:`~otocore.sellers.Store`, :class:`~otocore.sellers.Seller`,
:class:`~otocore.customers.Customer` or :class:`~otocore.orders.Order`, or
into the list of every fault found in the row; :func:`to_cells` goes back.
Cells come from CSV (``str`` or ``None`` for an empty cell) or from JSON (any
JSON value; numbers arrive as :class:`JsonNumber` so that no float is ever
made).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar, cast

import attrs

from otocore.customers import CpfPolicy, Customer, Email, Loyalty, MaritalStatus, Mobile, Sex
from otocore.errors import ValidationError
from otocore.orders import Channel, Order, OrderStatus
from otocore.sellers import Seller, SellerStatus, Store

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

ROW = "(row)"
"""The field named by a fault of the whole row rather than of one column."""

_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_DATETIME_RULE = (
    "must be an ISO 8601 datetime with a UTC offset, such as '2026-05-10T15:30:00-03:00'"
)
_NAIVE_RULE = (
    "must have a UTC offset (a datetime without one names no instant),"
    " such as '2026-05-10T15:30:00-03:00'"
)
_DATE_RULE = "must be an ISO 8601 date such as '1990-05-10'"
_MONEY_RULE = "must be a decimal number written with digits and '.', such as '1234.56'"
_COMMA_RULE = (
    "must use '.' as the decimal separator and no thousands separator,"
    " such as '1234.56' (Brazilian '1.234,56' is not accepted: pass --decimal ',' to read decimal commas)"
)


class Fault(NamedTuple):
    """One fault of one row: the column (or :data:`ROW`), the cell as found, the rule."""

    column: str
    value: Any
    rule: str


class JsonNumber:
    """A JSON number token kept as its text, so money is never a float.

    ``json.loads(..., parse_float=JsonNumber, parse_int=JsonNumber)`` yields
    these; the repr is the token itself, as the file spells it.
    """

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, JsonNumber) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


Build = Callable[[Mapping[str, Any], CpfPolicy], object | list[Fault]]


@attrs.frozen
class Schema:
    """The columns of one record kind and how to build its value type.

    ``build`` tries the row's fast path first (:func:`_quick`: text cells
    converted once, the value type's constructor validating once) and falls
    back to ``careful``, which finds every fault of a bad row; for a good row
    both give equal values (tests/property/test_importing.py compares them).
    """

    kind: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    careful: Build
    quick: Callable[[Mapping[str, Any], CpfPolicy], object | None]  # see _quick

    def build(self, cells: Mapping[str, Any], cpf_policy: CpfPolicy) -> object | list[Fault]:
        """The value of one row, or every fault found in it."""
        built = self.quick(cells, cpf_policy)
        return self.careful(cells, cpf_policy) if built is None else built


class _Cells:
    """Reads the cells of one row, collecting every fault instead of stopping."""

    def __init__(self, cells: Mapping[str, Any], required: tuple[str, ...]) -> None:
        self.cells = cells
        self.required = required
        self.faults: list[Fault] = []

    def fail(self, column: str, rule: str) -> None:
        self.faults.append(Fault(column, self.cells.get(column), rule))

    def raw(self, column: str) -> Any:
        value = self.cells.get(column)
        if value is None or value == "":
            if column in self.required:
                self.fail(column, "is required")
            return None
        return value

    def text(self, column: str) -> str | None:
        value = self.raw(column)
        if value is None or isinstance(value, str):
            return value
        self.fail(column, "must be a string")
        return None

    def instant(self, column: str) -> datetime | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            self.fail(column, _DATETIME_RULE)
            return None
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            self.fail(column, _NAIVE_RULE)
            return None
        try:
            return parsed.astimezone(UTC)
        except OverflowError:  # 0001-01-01T00:00+03:00 is before the first UTC instant
            self.fail(column, "must be an instant between years 1 and 9999 in UTC")
            return None

    def day(self, column: str) -> date | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            if len(value) != 10:
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self.fail(column, _DATE_RULE)
            return None

    def money(self, column: str) -> Decimal | None:
        value = self.raw(column)
        if value is None:
            return None
        text = value.text if isinstance(value, JsonNumber) else value
        if isinstance(text, str) and _PLAIN_DECIMAL.fullmatch(text):
            return Decimal(text)
        if isinstance(text, str) and "," in text:
            self.fail(column, _COMMA_RULE)
        else:
            self.fail(column, _MONEY_RULE)
        return None

    def member(self, column: str, enum_type: type[E], default: E | None) -> E | None:
        value = self.text(column)
        if value is None:
            return default
        try:
            return enum_type(value)
        except ValueError:
            allowed = ", ".join(repr(m.value) for m in enum_type)
            self.fail(column, f"must be one of {allowed}")
            return None

    def parsed(self, column: str, parse: Callable[[str], T]) -> T | None:
        value = self.text(column)
        if value is None:
            return None
        try:
            return parse(value)
        except ValidationError as exc:
            self.fail(column, exc.rule)
            return None

    def construct(self, cls: type[T], values: Mapping[str, Any], *, prefix: str = "") -> T | None:
        """Build ``cls(**values)``; on faults, record them all and return ``None``.

        The constructor stops at its first fault, so when it refuses the row
        (or a cell already failed) each attribute's own attrs validator is run
        too, and the row reports every bad cell. Attribute ``a`` is read from
        column ``prefix + a``; attributes whose column already has a fault
        are not checked again.
        """
        if not self.faults:
            try:
                return cls(**values)
            except ValidationError as exc:
                refused = [self._fault(err, prefix) for err in exc.errors]
        else:
            refused = []
        faulty = {f.column for f in self.faults}
        found: list[Fault] = []
        stub = object.__new__(cls)  # only its type name is read, for the field path
        for attribute in attrs.fields(cast(Any, cls)):
            column = prefix + attribute.name
            if attribute.validator is None or column in faulty or attribute.name not in values:
                continue
            try:
                attribute.validator(stub, attribute, values[attribute.name])
            except ValidationError as exc:
                found.extend(self._fault(err, prefix) for err in exc.errors)
        self.faults.extend(found or refused)
        return None

    def _fault(self, err: ValidationError, prefix: str) -> Fault:
        name = err.field.split(".", 1)[1] if "." in err.field else err.field
        column = prefix + name
        if column in self.cells:
            return Fault(column, self.cells[column], err.rule)
        return Fault(column if name else ROW, err.value, err.rule)

    def result(self, record: object | None) -> object | list[Fault]:
        return self.faults if self.faults or record is None else record


# the fast path -------------------------------------------------------------------
#
# A good row needs each cell converted once and its value type's constructor
# run once. _quick does that and nothing else; at the first sign of trouble (a
# missing required cell, a cell that is not text, a conversion or constructor
# that refuses) it gives up with None, and the careful path above reads the row
# again to name every fault. Each converter returns _NO for "give up".

_NO: Any = object()
Convert = Callable[[str], Any]
Cell = tuple[str, bool, Any, Convert | None]  # column, required, default for empty, converter


def _quick_instant(text: str) -> Any:
    try:
        parsed = datetime.fromisoformat(text)
        if parsed.tzinfo is None or parsed.utcoffset() is None:
            return _NO
        return parsed.astimezone(UTC)
    except (ValueError, OverflowError):
        return _NO


def _quick_day(text: str) -> Any:
    if len(text) != 10:
        return _NO
    try:
        return date.fromisoformat(text)
    except ValueError:
        return _NO


def _quick_member(enum_type: type[E]) -> Convert:
    members = {m.value: m for m in enum_type}

    def convert(text: str) -> Any:
        return members.get(text, _NO)

    return convert


def _quick_values(cells: Mapping[str, Any], spec: tuple[Cell, ...]) -> dict[str, Any] | None:
    values: dict[str, Any] = {}
    get = cells.get
    for column, required, default, convert in spec:
        value = get(column)
        if value is None or value == "":
            if required:
                return None
            values[column] = default
        elif type(value) is not str:  # JSON numbers, lists, ...: the careful path says why
            return None
        elif convert is None:
            values[column] = value
        else:
            value = convert(value)
            if value is _NO:
                return None
            values[column] = value
    return values


Quick = Callable[[Mapping[str, Any], CpfPolicy], object | None]


def _quick(cls: type[object], spec: tuple[Cell, ...]) -> Quick:
    def quick(cells: Mapping[str, Any], _: CpfPolicy) -> object | None:
        values = _quick_values(cells, spec)
        if values is None:
            return None
        try:
            return cls(**values)
        except ValidationError:
            return None

    return quick


_STATUSES = {m.value: m for m in OrderStatus}
_CHANNELS = {m.value: m for m in Channel}


def _quick_order(cells: Mapping[str, Any], _: CpfPolicy) -> object | None:
    """The quick path of an order row, written out: the most frequent row, by far."""
    get = cells.get
    order_id, customer_id, store_id = get("order_id"), get("customer_id"), get("store_id")
    placed_at, total = get("placed_at"), get("total")
    if not (
        type(order_id) is str
        and type(customer_id) is str
        and type(store_id) is str
        and type(placed_at) is str
        and type(total) is str
        and order_id
        and customer_id
        and store_id
        and _PLAIN_DECIMAL.fullmatch(total)
    ):
        return None
    seller_code, status, channel = get("seller_code"), get("status"), get("channel")
    for optional in (seller_code, status, channel):
        if optional is not None and type(optional) is not str:
            return None
    instant = _quick_instant(placed_at)
    status = OrderStatus.COMPLETED if status is None or status == "" else _STATUSES.get(status)
    channel = Channel.STORE if channel is None or channel == "" else _CHANNELS.get(channel)
    if instant is _NO or status is None or channel is None:
        return None
    try:
        return Order(
            order_id=order_id,
            customer_id=customer_id,
            store_id=store_id,
            placed_at=instant,
            total=Decimal(total),
            seller_code=seller_code or None,
            status=status,
            channel=channel,
        )
    except ValidationError:
        return None


_STORE_CELLS: tuple[Cell, ...] = (
    ("store_id", True, None, None),
    ("name", True, None, None),
    ("city", False, None, None),
    ("state", False, None, None),
)
_SELLER_CELLS: tuple[Cell, ...] = (
    ("code", True, None, None),
    ("name", True, None, None),
    ("store_id", True, None, None),
    ("status", False, SellerStatus.ACTIVE, _quick_member(SellerStatus)),
)
_SEXES = {m.value: m for m in Sex}
_MARITAL = {m.value: m for m in MaritalStatus}
_CUSTOMER_OPTIONAL = (
    "cpf",
    "rg",
    "birth_date",
    "email",
    "mobile",
    "sex",
    "marital_status",
    "home_store_id",
    "loyalty_program",
    "loyalty_category",
)


def _quick_customer(cells: Mapping[str, Any], cpf_policy: CpfPolicy) -> object | None:
    """The quick path of a customer row, written out (as :func:`_quick_order`)."""
    get = cells.get
    customer_id, name, registered_at = get("customer_id"), get("name"), get("registered_at")
    if not (
        type(customer_id) is str
        and type(name) is str
        and type(registered_at) is str
        and customer_id
        and name
        and registered_at
    ):
        return None
    optional = [get(column) for column in _CUSTOMER_OPTIONAL]
    for value in optional:
        if value is not None and type(value) is not str:
            return None
    cpf, rg, birth, email, mobile, sex, marital, home, program, category = (
        value or None for value in optional
    )
    instant = _quick_instant(registered_at)
    birth_date = None if birth is None else _quick_day(birth)
    sex_member = None if sex is None else _SEXES.get(sex)
    marital_member = None if marital is None else _MARITAL.get(marital)
    if (
        instant is _NO
        or birth_date is _NO
        or (sex is not None and sex_member is None)
        or (marital is not None and marital_member is None)
        or (program is None and category is not None)
    ):
        return None
    try:
        return Customer(
            customer_id=customer_id,
            name=name,
            registered_at=instant,
            cpf=None if cpf is None else cpf_policy.parse(cpf, field="cpf"),
            rg=rg,
            birth_date=birth_date,
            email=None if email is None else Email.parse(email, field="email"),
            mobile=None if mobile is None else Mobile.parse(mobile, field="mobile"),
            sex=sex_member,
            marital_status=marital_member,
            home_store_id=home,
            loyalty=None if program is None else Loyalty(program=program, category=category),
        )
    except ValidationError:
        return None


# the four kinds ---------------------------------------------------------------


def _build_store(cells: Mapping[str, Any], _: CpfPolicy) -> object | list[Fault]:
    row = _Cells(cells, SCHEMAS["stores"].required)
    values = {
        "store_id": row.text("store_id"),
        "name": row.text("name"),
        "city": row.text("city"),
        "state": row.text("state"),
    }
    return row.result(row.construct(Store, values))


def _build_seller(cells: Mapping[str, Any], _: CpfPolicy) -> object | list[Fault]:
    row = _Cells(cells, SCHEMAS["sellers"].required)
    values = {
        "code": row.text("code"),
        "name": row.text("name"),
        "store_id": row.text("store_id"),
        "status": row.member("status", SellerStatus, SellerStatus.ACTIVE),
    }
    return row.result(row.construct(Seller, values))


def _build_customer(cells: Mapping[str, Any], cpf_policy: CpfPolicy) -> object | list[Fault]:
    row = _Cells(cells, SCHEMAS["customers"].required)
    values = {
        "customer_id": row.text("customer_id"),
        "name": row.text("name"),
        "registered_at": row.instant("registered_at"),
        "cpf": row.parsed("cpf", lambda t: cpf_policy.parse(t, field="cpf")),
        "rg": row.text("rg"),
        "birth_date": row.day("birth_date"),
        "email": row.parsed("email", lambda t: Email.parse(t, field="email")),
        "mobile": row.parsed("mobile", lambda t: Mobile.parse(t, field="mobile")),
        "sex": row.member("sex", Sex, None),
        "marital_status": row.member("marital_status", MaritalStatus, None),
        "home_store_id": row.text("home_store_id"),
        "loyalty": _loyalty(row),
    }
    return row.result(row.construct(Customer, values))


def _loyalty(row: _Cells) -> Loyalty | None:
    program = row.text("loyalty_program")
    category = row.text("loyalty_category")
    if program is None:
        if category is not None:
            row.fail("loyalty_category", "needs a loyalty_program in the same row")
        return None
    return row.construct(Loyalty, {"program": program, "category": category}, prefix="loyalty_")


def _build_order(cells: Mapping[str, Any], _: CpfPolicy) -> object | list[Fault]:
    row = _Cells(cells, SCHEMAS["orders"].required)
    values = {
        "order_id": row.text("order_id"),
        "customer_id": row.text("customer_id"),
        "store_id": row.text("store_id"),
        "placed_at": row.instant("placed_at"),
        "total": row.money("total"),
        "seller_code": row.text("seller_code"),
        "status": row.member("status", OrderStatus, OrderStatus.COMPLETED),
        "channel": row.member("channel", Channel, Channel.STORE),
    }
    return row.result(row.construct(Order, values))


SCHEMAS: dict[str, Schema] = {
    "stores": Schema(
        kind="stores",
        columns=("store_id", "name", "city", "state"),
        required=("store_id", "name"),
        careful=_build_store,
        quick=_quick(Store, _STORE_CELLS),
    ),
    "sellers": Schema(
        kind="sellers",
        columns=("code", "name", "store_id", "status"),
        required=("code", "name", "store_id"),
        careful=_build_seller,
        quick=_quick(Seller, _SELLER_CELLS),
    ),
    "customers": Schema(
        kind="customers",
        columns=(
            "customer_id",
            "name",
            "cpf",
            "rg",
            "birth_date",
            "email",
            "mobile",
            "sex",
            "marital_status",
            "registered_at",
            "home_store_id",
            "loyalty_program",
            "loyalty_category",
        ),
        required=("customer_id", "name", "registered_at"),
        careful=_build_customer,
        quick=_quick_customer,
    ),
    "orders": Schema(
        kind="orders",
        columns=(
            "order_id",
            "customer_id",
            "store_id",
            "placed_at",
            "total",
            "seller_code",
            "status",
            "channel",
        ),
        required=("order_id", "customer_id", "store_id", "placed_at", "total"),
        careful=_build_order,
        quick=_quick_order,
    ),
}


# writing rows back (the sample files, the tests, an export) -----------------------


def to_cells(record: object) -> dict[str, str | None]:
    """The cells a file needs for ``record`` to import back equal (``None`` = empty cell).

    Useful to write import files from value types (an export, test data).
    The inverse of a schema's ``build``: ``build(to_cells(x))`` equals ``x``.

    >>> from otocore.sellers import Seller
    >>> to_cells(Seller(code="V01", name="Ana Souza", store_id="L01"))
    {'code': 'V01', 'name': 'Ana Souza', 'store_id': 'L01', 'status': 'active'}

    Raises:
        ValidationError: ``record`` is not a Store, Seller, Customer or Order.
    """
    if isinstance(record, Store):
        return {
            "store_id": record.store_id,
            "name": record.name,
            "city": record.city,
            "state": record.state,
        }
    if isinstance(record, Seller):
        return {
            "code": record.code,
            "name": record.name,
            "store_id": record.store_id,
            "status": record.status.value,
        }
    if isinstance(record, Customer):
        return {
            "customer_id": record.customer_id,
            "name": record.name,
            "cpf": None if record.cpf is None else record.cpf.digits,
            "rg": record.rg,
            "birth_date": None if record.birth_date is None else record.birth_date.isoformat(),
            "email": None if record.email is None else record.email.address,
            "mobile": None if record.mobile is None else record.mobile.e164,
            "sex": None if record.sex is None else record.sex.value,
            "marital_status": None
            if record.marital_status is None
            else record.marital_status.value,
            "registered_at": record.registered_at.isoformat(),
            "home_store_id": record.home_store_id,
            "loyalty_program": None if record.loyalty is None else record.loyalty.program,
            "loyalty_category": None if record.loyalty is None else record.loyalty.category,
        }
    if isinstance(record, Order):
        return {
            "order_id": record.order_id,
            "customer_id": record.customer_id,
            "store_id": record.store_id,
            "placed_at": record.placed_at.isoformat(),
            "total": str(record.total),
            "seller_code": record.seller_code,
            "status": record.status.value,
            "channel": record.channel.value,
        }
    raise ValidationError("record", record, "must be a Store, Seller, Customer or Order")
