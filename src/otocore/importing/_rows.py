"""Row schemas and parsing for :mod:`otocore.importing`: one record's cells to one value type.

Private (:func:`to_cells` is public from :mod:`otocore.importing`). Each
record kind has a :class:`Schema`: its columns, which of them a CSV header
must have, and a ``build`` function that turns a mapping of column to cell
into a :class:`~otocore.sellers.Store`, :class:`~otocore.sellers.Seller`,
:class:`~otocore.customers.Customer`, :class:`~otocore.orders.Order`,
:class:`~otocore.consent.ConsentEvent`, :class:`~otocore.blocking.BlockEvent`,
:class:`~otocore.contacts.Contact` or :class:`TelesalesRow` (one item of a
telesales order), or into the list of every fault found
in the row; :func:`to_cells` goes back. An event or contact row without an id
gets one derived from its content (:func:`derived_id`).
Cells come from CSV (``str`` or ``None`` for an empty cell) or from JSON (any
JSON value; numbers arrive as :class:`JsonNumber` so that no float is ever
made).
"""

from __future__ import annotations

import enum
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, NamedTuple, TypeVar, cast

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE
from otocore.blocking import BlockEvent, BlockFeature
from otocore.consent import ConsentEvent, ConsentSource, ContactChannel
from otocore.contacts import ConsentChange, Contact, ContactOutcome, FollowUp
from otocore.customers import CpfPolicy, Customer, Email, Loyalty, MaritalStatus, Mobile, Sex
from otocore.errors import ValidationError
from otocore.orders import Channel, Order, OrderItem, OrderStatus
from otocore.sellers import Seller, SellerStatus, Store

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

ROW = "(row)"
"""The field named by a fault of the whole row rather than of one column."""

_PLAIN_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_WHOLE = re.compile(r"-?[0-9]{1,18}")
_WHOLE_RULE = "must be a whole number written with digits, such as '2'"
_DATETIME_RULE = (
    "must be an ISO 8601 datetime with a UTC offset, such as '2026-05-10T15:30:00-03:00'"
)
_NAIVE_RULE = (
    "must have a UTC offset (a datetime without one names no instant),"
    " such as '2026-05-10T15:30:00-03:00'"
)
_DATE_RULE = "must be an ISO 8601 date such as '1990-05-10'"
_MONEY_RULE = "must be a decimal number written with digits and '.', such as '1234.56'"
_FLAG_RULE = "must be true or false"
_ITEMS_RULE = "must be text with items separated by '|' (or a JSON list of strings)"
ITEM_SEPARATOR = "|"
"""What separates the items of a list cell (``features``, ``products_offered``)."""
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

    def whole(self, column: str) -> int | None:
        """A whole-number cell (``2``; a JSON integer too): at most 18 digits, no sign but ``-``."""
        value = self.raw(column)
        if value is None:
            return None
        text = value.text if isinstance(value, JsonNumber) else value
        if isinstance(text, str) and _WHOLE.fullmatch(text):
            return int(text)
        self.fail(column, _WHOLE_RULE)
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

    def flag(self, column: str, default: bool | None) -> bool | None:
        """A ``true`` or ``false`` cell (a JSON boolean too); empty is ``default``."""
        value = self.raw(column)
        if value is None:
            return default
        if value is True or value == "true":
            return True
        if value is False or value == "false":
            return False
        self.fail(column, _FLAG_RULE)
        return None

    def items(self, column: str) -> list[str] | None:
        """A list cell: items separated by ``|`` (spaces around each dropped), or a JSON list."""
        value = self.raw(column)
        if value is None:
            return None
        if isinstance(value, str):
            return [item.strip() for item in value.split(ITEM_SEPARATOR)]
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return list(value)
        self.fail(column, _ITEMS_RULE)
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
    discount = get("discount")
    for optional in (seller_code, status, channel, discount):
        if optional is not None and type(optional) is not str:
            return None
    if discount is None or discount == "":
        discount = "0.00"
    elif not _PLAIN_DECIMAL.fullmatch(discount):
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
            discount=Decimal(discount),
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
    "loyalty_card_number",
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
    cpf, rg, birth, email, mobile, sex, marital, home, program, category, card = (
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
        or (program is None and (category is not None or card is not None))
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
            loyalty=None
            if program is None
            else Loyalty(
                program=program,
                category=category,
                card_number=None
                if card is None
                else Loyalty.normalize_card_number(card, field="loyalty_card_number"),
            ),
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
    card = row.parsed(
        "loyalty_card_number",
        lambda t: Loyalty.normalize_card_number(t, field="loyalty_card_number"),
    )
    if program is None:
        if category is not None:
            row.fail("loyalty_category", "needs a loyalty_program in the same row")
        if card is not None:
            row.fail("loyalty_card_number", "needs a loyalty_program in the same row")
        return None
    return row.construct(
        Loyalty,
        {"program": program, "category": category, "card_number": card},
        prefix="loyalty_",
    )


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
    discount = row.money("discount")
    if discount is not None:
        values["discount"] = discount
    return row.result(row.construct(Order, values))


# telesales: one row per item ----------------------------------------------------------


def _optional_money(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        v.money(instance, attribute, value)


@attrs.frozen(kw_only=True)
class TelesalesRow:
    """One row of a telesales file: the columns of its order, and one item of it.

    A telesales file holds orders brought from another platform, one row per
    item; the rows of one order share its ``order_id`` and must agree on the
    order's columns (``customer_id``, ``store_id``, ``placed_at``,
    ``commercial_policy``, ``operator_email``). The import groups them and
    builds each order with :func:`otocore.telesales.imported_order` (the
    *Import formats* page states the rules). :func:`to_cells` writes one back.

    Attributes:
        order_id: the order's id on the other platform (1 to 100 characters).
        customer_id: the customer it is for.
        store_id: the store it is booked to.
        placed_at: when it was placed there, an aware instant (kept in UTC).
        commercial_policy: the brand's commercial policy it is imported under.
        sku: the item's product code.
        quantity: how many units, a whole number >= 1.
        list_price: the unit list price, ``Decimal`` >= 0 with at most 2 places.
        manual_price: a manual unit price, or ``None``.
        operator_email: the operator who placed it, or ``None``.

    >>> from datetime import UTC, datetime
    >>> row = TelesalesRow(
    ...     order_id="EXT-1",
    ...     customer_id="C1",
    ...     store_id="L01",
    ...     placed_at=datetime(2026, 3, 1, 12, tzinfo=UTC),
    ...     commercial_policy="importados",
    ...     sku="CAMISA-P",
    ...     quantity=2,
    ...     list_price=Decimal("59.90"),
    ... )
    >>> row.item
    OrderItem(sku='CAMISA-P', quantity=2, list_price=Decimal('59.90'), manual_price=None)
    """

    order_id: str = attrs.field(validator=v.text(100))
    customer_id: str = attrs.field(validator=v.text(100))
    store_id: str = attrs.field(validator=v.text(100))
    placed_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    commercial_policy: str = attrs.field(validator=v.text(100))
    sku: str = attrs.field(validator=v.text(100))
    quantity: int = attrs.field(validator=v.integer(min_value=1))
    list_price: Decimal = attrs.field(validator=v.money)
    manual_price: Decimal | None = attrs.field(default=None, validator=_optional_money)
    operator_email: str | None = attrs.field(default=None, validator=v.optional_text(200))

    @property
    def item(self) -> OrderItem:
        """The row's :class:`~otocore.orders.OrderItem`.

        Raises:
            ValidationError: the item refuses the row's cells (a SKU
                :class:`~otocore.orders.OrderItem` does not accept).
        """
        return OrderItem(
            sku=self.sku,
            quantity=self.quantity,
            list_price=self.list_price,
            manual_price=self.manual_price,
        )


TELESALES_ORDER_COLUMNS = (
    "customer_id",
    "store_id",
    "placed_at",
    "commercial_policy",
    "operator_email",
)
"""The columns of a telesales row that belong to its order: every row of it must agree."""


def _build_telesales(cells: Mapping[str, Any], _: CpfPolicy) -> object | list[Fault]:
    row = _Cells(cells, SCHEMAS["telesales"].required)
    values = {
        "order_id": row.text("order_id"),
        "customer_id": row.text("customer_id"),
        "store_id": row.text("store_id"),
        "placed_at": row.instant("placed_at"),
        "commercial_policy": row.text("commercial_policy"),
        "sku": row.text("sku"),
        "quantity": row.whole("quantity"),
        "list_price": row.money("list_price"),
        "manual_price": row.money("manual_price"),
        "operator_email": row.text("operator_email"),
    }
    return row.result(row.construct(TelesalesRow, values))


# the event logs and the contact log -------------------------------------------------

DERIVED_ID_PREFIX = "import:"
"""How an id derived from a row's content begins (:func:`derived_id`)."""

_ID_COLUMNS = {"consent": "event_id", "blocks": "event_id", "contacts": "contact_id"}


def derived_id(kind: str, record: object) -> str:
    """The id an event or contact row without one gets: a digest of its content.

    ``"import:"`` followed by the first 32 hexadecimal digits of the SHA-256 of
    the UTF-8 text ``kind + "\\n" + json.dumps(cells, ensure_ascii=False,
    separators=(",", ":"))``, where ``cells`` is :func:`to_cells` of the
    record without its id column (so the cells as normalised: instants in
    UTC, CPF digits, features in their documented order). Two rows that say
    the same thing get the same id however they were written, so importing a
    file again stores nothing twice; rows that differ in any cell get
    different ids.

    >>> from datetime import UTC, datetime
    >>> event = ConsentEvent(
    ...     customer_id="C1",
    ...     channel=ContactChannel.WHATSAPP,
    ...     granted=True,
    ...     at=datetime(2026, 5, 10, 18, 0, tzinfo=UTC),
    ...     source=ConsentSource.IMPORT,
    ...     recorded_by="import",
    ... )
    >>> derived_id("consent", event)
    'import:8d14db5a9a3654f24c4fcec8f8319caf'
    """
    cells = to_cells(record)
    cells.pop(_ID_COLUMNS[kind], None)
    text = kind + "\n" + json.dumps(cells, ensure_ascii=False, separators=(",", ":"))
    return DERIVED_ID_PREFIX + hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _features(row: _Cells) -> list[BlockFeature] | None:
    items = row.items("features")
    if items is None:
        return None
    found: list[BlockFeature] = []
    for item in items:
        try:
            found.append(BlockFeature.parse(item, field="features"))
        except ValidationError as exc:
            row.faults.append(Fault("features", row.cells.get("features"), exc.rule))
            return None
    return found


def _build_consent(cells: Mapping[str, Any], _: CpfPolicy) -> object | list[Fault]:
    row = _Cells(cells, SCHEMAS["consent"].required)
    values = {
        "event_id": row.text("event_id"),
        "customer_id": row.text("customer_id"),
        "channel": row.member("channel", ContactChannel, None),
        "granted": row.flag("granted", None),
        "at": row.instant("at"),
        "source": row.member("source", ConsentSource, ConsentSource.IMPORT),
        "recorded_by": row.text("recorded_by") or "import",
    }
    event = row.construct(ConsentEvent, values)
    if event is not None and event.event_id is None:
        event = attrs.evolve(event, event_id=derived_id("consent", event))
    return row.result(event)


def _build_block(cells: Mapping[str, Any], cpf_policy: CpfPolicy) -> object | list[Fault]:
    row = _Cells(cells, SCHEMAS["blocks"].required)
    values = {
        "event_id": row.text("event_id"),
        "cpf": row.parsed("cpf", lambda t: cpf_policy.parse(t, field="cpf")),
        "features": _features(row),
        "blocked": row.flag("blocked", None),
        "reason": row.text("reason"),
        "by": row.text("by"),
        "at": row.instant("at"),
    }
    event = row.construct(BlockEvent, values)
    if event is not None and event.event_id is None:
        event = attrs.evolve(event, event_id=derived_id("blocks", event))
    return row.result(event)


_NO_ID = "-"  # a stand-in contact_id while the real one is derived
_CONTACT_FIELDS = {"follow_up.day": "follow_up_day", "follow_up": "follow_up_day"}


def _contact_column(column: str) -> str:
    """The column a fault of a Contact attribute belongs to (``products_offered[1]``...)."""
    if column.startswith("products_offered["):
        return "products_offered"
    return _CONTACT_FIELDS.get(column, column)


def _follow_up(row: _Cells) -> FollowUp | None:
    day = row.day("follow_up_day")
    note = row.text("follow_up_note")
    if day is None and note is None:
        return None
    if day is None or note is None:
        missing = "follow_up_day" if day is None else "follow_up_note"
        if missing not in {f.column for f in row.faults}:
            row.fail(missing, "is required when the other follow_up column is filled")
        return None
    return row.construct(FollowUp, {"day": day, "note": note}, prefix="follow_up_")


def _consent_change(row: _Cells) -> ConsentChange | None:
    channel = row.member("consent_channel", ContactChannel, None)
    granted = row.flag("consent_granted", None)
    filled = [c for c in ("consent_channel", "consent_granted") if row.raw(c) is not None]
    if not filled:
        return None
    if len(filled) == 1:
        missing = "consent_granted" if filled == ["consent_channel"] else "consent_channel"
        row.fail(missing, "is required when the other consent column is filled")
        return None
    values = {"channel": channel, "granted": granted}
    return row.construct(ConsentChange, values, prefix="consent_")


def _build_contact(cells: Mapping[str, Any], _: CpfPolicy) -> object | list[Fault]:
    row = _Cells(cells, SCHEMAS["contacts"].required)
    contact_id = row.text("contact_id")
    values = {
        "contact_id": _NO_ID if contact_id is None else contact_id,
        "seller_code": row.text("seller_code"),
        "customer_id": row.text("customer_id"),
        "suggestion_id": row.text("suggestion_id"),
        "campaign_id": row.text("campaign_id"),
        "channel": row.member("channel", ContactChannel, None),
        "started_at": row.instant("started_at"),
        "finished_at": row.instant("finished_at"),
        "products_offered": tuple(row.items("products_offered") or ()),
        "follow_up": _follow_up(row),
        "consent_change": _consent_change(row),
        "notes": row.text("notes"),
        "outcome": row.member("outcome", ContactOutcome, ContactOutcome.FINISHED),
        "dismiss_reason": row.text("dismiss_reason"),
        "in_portfolio": row.flag("in_portfolio", False),
        "time_zone": row.text("time_zone") or DEFAULT_TIME_ZONE,
    }
    contact = row.construct(Contact, values)
    row.faults = [
        f if column == f.column else Fault(column, cells.get(column), f.rule)
        for f in row.faults
        for column in (_contact_column(f.column),)
    ]
    if contact is not None and contact_id is None:
        contact = attrs.evolve(contact, contact_id=derived_id("contacts", contact))
    return row.result(contact)


def _careful_only(careful: Build) -> Quick:
    """The quick path of a kind read rarely: the careful path, deferring on any fault."""

    def quick(cells: Mapping[str, Any], cpf_policy: CpfPolicy) -> object | None:
        built = careful(cells, cpf_policy)
        return None if isinstance(built, list) else built

    return quick


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
            "loyalty_card_number",
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
            "discount",
        ),
        required=("order_id", "customer_id", "store_id", "placed_at", "total"),
        careful=_build_order,
        quick=_quick_order,
    ),
    "consent": Schema(
        kind="consent",
        columns=("event_id", "customer_id", "channel", "granted", "at", "source", "recorded_by"),
        required=("customer_id", "channel", "granted", "at"),
        careful=_build_consent,
        quick=_careful_only(_build_consent),
    ),
    "blocks": Schema(
        kind="blocks",
        columns=("event_id", "cpf", "features", "blocked", "reason", "by", "at"),
        required=("cpf", "features", "blocked", "reason", "by", "at"),
        careful=_build_block,
        quick=_careful_only(_build_block),
    ),
    "contacts": Schema(
        kind="contacts",
        columns=(
            "contact_id",
            "seller_code",
            "customer_id",
            "channel",
            "started_at",
            "finished_at",
            "outcome",
            "dismiss_reason",
            "suggestion_id",
            "campaign_id",
            "products_offered",
            "follow_up_day",
            "follow_up_note",
            "consent_channel",
            "consent_granted",
            "notes",
            "in_portfolio",
            "time_zone",
        ),
        required=("seller_code", "customer_id", "channel", "started_at", "finished_at"),
        careful=_build_contact,
        quick=_careful_only(_build_contact),
    ),
    "telesales": Schema(
        kind="telesales",
        columns=(
            "order_id",
            "customer_id",
            "store_id",
            "placed_at",
            "commercial_policy",
            "operator_email",
            "sku",
            "quantity",
            "list_price",
            "manual_price",
        ),
        required=(
            "order_id",
            "customer_id",
            "store_id",
            "placed_at",
            "commercial_policy",
            "sku",
            "quantity",
            "list_price",
        ),
        careful=_build_telesales,
        quick=_careful_only(_build_telesales),
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
        ValidationError: ``record`` is not a Store, Seller, Customer, Order,
            ConsentEvent, BlockEvent, Contact or TelesalesRow, or a contact's
            SKU holds ``|`` (the separator of a list cell).
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
            "loyalty_card_number": None if record.loyalty is None else record.loyalty.card_number,
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
            "discount": str(record.discount),
        }
    if isinstance(record, ConsentEvent):
        return {
            "event_id": record.event_id,
            "customer_id": record.customer_id,
            "channel": record.channel.value,
            "granted": _flag_text(record.granted),
            "at": record.at.isoformat(),
            "source": record.source.value,
            "recorded_by": record.recorded_by,
        }
    if isinstance(record, BlockEvent):
        return {
            "event_id": record.event_id,
            "cpf": record.cpf.digits,
            "features": ITEM_SEPARATOR.join(f.value for f in BlockFeature if f in record.features),
            "blocked": _flag_text(record.blocked),
            "reason": record.reason,
            "by": record.by,
            "at": record.at.isoformat(),
        }
    if isinstance(record, Contact):
        return _contact_cells(record)
    if isinstance(record, TelesalesRow):
        return {
            "order_id": record.order_id,
            "customer_id": record.customer_id,
            "store_id": record.store_id,
            "placed_at": record.placed_at.isoformat(),
            "commercial_policy": record.commercial_policy,
            "operator_email": record.operator_email,
            "sku": record.sku,
            "quantity": str(record.quantity),
            "list_price": str(record.list_price),
            "manual_price": None if record.manual_price is None else str(record.manual_price),
        }
    raise ValidationError(
        "record",
        record,
        "must be a Store, Seller, Customer, Order, ConsentEvent, BlockEvent, Contact"
        " or TelesalesRow",
    )


def _flag_text(value: bool) -> str:
    return "true" if value else "false"


def _contact_cells(contact: Contact) -> dict[str, str | None]:
    for i, sku in enumerate(contact.products_offered):
        if ITEM_SEPARATOR in sku:
            raise ValidationError(
                f"products_offered[{i}]",
                sku,
                f"cannot be written to a file: it holds {ITEM_SEPARATOR!r}",
            )
    follow_up, change = contact.follow_up, contact.consent_change
    return {
        "contact_id": contact.contact_id,
        "seller_code": contact.seller_code,
        "customer_id": contact.customer_id,
        "channel": contact.channel.value,
        "started_at": contact.started_at.isoformat(),
        "finished_at": contact.finished_at.isoformat(),
        "outcome": contact.outcome.value,
        "dismiss_reason": contact.dismiss_reason,
        "suggestion_id": contact.suggestion_id,
        "campaign_id": contact.campaign_id,
        "products_offered": ITEM_SEPARATOR.join(contact.products_offered) or None,
        "follow_up_day": None if follow_up is None else follow_up.day.isoformat(),
        "follow_up_note": None if follow_up is None else follow_up.note,
        "consent_channel": None if change is None else change.channel.value,
        "consent_granted": None if change is None else _flag_text(change.granted),
        "notes": contact.notes,
        "in_portfolio": _flag_text(contact.in_portfolio),
        "time_zone": contact.time_zone,
    }
