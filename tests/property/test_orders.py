"""An Order accepts and refuses exactly what the kernel's checks accept and refuse.

``Order``'s validators test the usual form of each value first (a plain str id,
a Decimal in centavos, a UTC datetime, an enum member) and hand anything else to
the kernel (``otocore._validate``). These tests build an Order with one field
replaced and compare the outcome with the kernel's check of that value: the same
stored value, or the same error (field, value and rule).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from _support.builders import order
from otocore import _validate as v
from otocore.errors import ValidationError
from otocore.orders import Channel, Order, OrderStatus

ID_FIELDS = ("order_id", "customer_id", "store_id", "seller_code")


class Text(str):
    """A str subclass: never the fast path, the kernel decides."""


class Money(Decimal):
    """A Decimal subclass: never the fast path, the kernel decides."""


class Moment(datetime):
    """A datetime subclass: never the fast path, the kernel decides."""


def case_ids(values: list[Any]) -> list[str]:
    """Plain ASCII test ids (a value's repr may hold characters a node id cannot)."""
    return [f"{type(value).__name__}-{i}" for i, value in enumerate(values)]


def kernel(field: str, value: Any) -> Any:
    """What the kernel's validator of ``Order.<field>`` makes of ``value``."""
    name = f"Order.{field}"
    if field in ID_FIELDS:
        if field == "seller_code" and value is None:
            return None
        return v.require_text(name, value, max_length=100)
    if field == "total":
        return v.require_money(name, value)
    if field == "placed_at":
        return v.require_utc(name, value)
    enum_type = OrderStatus if field == "status" else Channel
    return v.require_enum(name, value, enum_type)


def outcome(build: Any) -> tuple[str, Any]:
    try:
        return "ok", build()
    except ValidationError as exc:
        return "error", (exc.field, exc.value, exc.rule)


def assert_same_as_kernel(field: str, value: Any) -> None:
    expected = outcome(lambda: kernel(field, value))
    got = outcome(lambda: getattr(order(**{field: value}), field))
    if expected[0] == "ok" and got[0] == "ok":
        assert got[1] == expected[1]
        assert type(got[1]) is type(expected[1])
        if isinstance(expected[1], datetime):
            assert got[1].tzinfo is expected[1].tzinfo is UTC
    else:
        assert got[0] == expected[0] == "error"
        field_name, bad, rule = got[1]
        assert (field_name, rule) == expected[1][::2]
        assert bad is value or bad == value


TEXTS = [
    "P1",
    "x",
    "x" * 99,
    "x" * 100,
    "x" * 101,
    "",
    " ",
    "\t",
    "  P1  ",
    "P\x001",
    "P1\n",
    "\x7f",
    "P\xa01",  # not printable, not a control character: the kernel accepts it
    "\xa0",  # blank to str.strip
    "P\u20281",  # a line separator: not printable, accepted
    "Ação 7",
    "\U0001f600",
    Text("P1"),
    Text(""),
    b"P1",
    7,
    None,
]


@pytest.mark.parametrize("field", ID_FIELDS)
@pytest.mark.parametrize("value", TEXTS, ids=case_ids(TEXTS))
def test_ids_as_the_kernel_checks_them(field: str, value: Any) -> None:
    assert_same_as_kernel(field, value)


@given(field=st.sampled_from(ID_FIELDS), value=st.text(max_size=110))
@example(field="order_id", value="\x85")  # a C1 control: refused by neither
@example(field="store_id", value="\u3000")  # an ideographic space: blank
def test_any_text_as_the_kernel_checks_it(field: str, value: str) -> None:
    assert_same_as_kernel(field, value)


MONEY = [
    Decimal("199.90"),
    Decimal("0.00"),
    Decimal("-0.00"),
    Decimal("-0.01"),
    Decimal("1"),
    Decimal("1.5"),
    Decimal("1.005"),
    Decimal("1.000"),
    Decimal("1E+3"),
    Decimal("12345678901234567890123456789.01"),
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("Infinity"),
    Decimal("-Infinity"),
    Money("1.00"),
    Money("-1.00"),
    10,
    10.5,
    True,
    "1.00",
    None,
]


@pytest.mark.parametrize("value", MONEY, ids=case_ids(MONEY))
def test_totals_as_the_kernel_checks_them(value: Any) -> None:
    assert_same_as_kernel("total", value)


@given(
    st.decimals(allow_nan=True, allow_infinity=True, places=None)
    | st.integers(-(10**6), 10**6).map(lambda c: Decimal(c).scaleb(-2))
)
@example(Decimal("5.000"))
@example(Decimal("-5.00"))
def test_any_decimal_as_the_kernel_checks_it(value: Decimal) -> None:
    assert_same_as_kernel("total", value)


MOMENTS = [
    datetime(2026, 5, 10, 18, 30, tzinfo=UTC),
    datetime(2026, 5, 10, 15, 30, tzinfo=ZoneInfo("America/Sao_Paulo")),
    datetime(2026, 5, 10, 18, 30, tzinfo=ZoneInfo("UTC")),
    datetime(2026, 5, 10, 18, 30, tzinfo=timezone(timedelta(0))),
    datetime(2026, 5, 10, 18, 30, tzinfo=timezone(timedelta(hours=-3))),
    datetime(2026, 5, 10, 18, 30),
    datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=3))),
    datetime.max.replace(tzinfo=UTC),
    Moment(2026, 5, 10, 18, 30, tzinfo=UTC),
    date(2026, 5, 10),
    "2026-05-10T18:30:00+00:00",
    None,
]


@pytest.mark.parametrize("value", MOMENTS, ids=case_ids(MOMENTS))
def test_instants_as_the_kernel_checks_them(value: Any) -> None:
    assert_same_as_kernel("placed_at", value)


def test_an_instant_already_in_utc_is_kept_as_given() -> None:
    moment = datetime(2026, 5, 10, 18, 30, tzinfo=UTC)
    assert order(placed_at=moment).placed_at is moment


MEMBERS: list[Any] = [*OrderStatus, *Channel, "completed", "store", None, 0]


@pytest.mark.parametrize("field", ["status", "channel"])
@pytest.mark.parametrize("value", MEMBERS, ids=case_ids(MEMBERS))
def test_members_as_the_kernel_checks_them(field: str, value: Any) -> None:
    assert_same_as_kernel(field, value)


def test_the_first_bad_field_is_the_one_named() -> None:
    # placed_at is converted before any validator runs, then the fields in order
    with pytest.raises(ValidationError, match=r"^Order\.placed_at must be timezone-aware"):
        order(order_id="", placed_at=datetime(2026, 5, 10))
    with pytest.raises(ValidationError, match=r"^Order\.customer_id must not be empty"):
        order(customer_id="", total=Decimal("-1"))
    with pytest.raises(ValidationError, match=r"^Order\.total must be >= 0"):
        order(total=Decimal("-1"), seller_code="")


def test_each_field_keeps_its_own_validator() -> None:
    # the importer runs them one by one to report every bad cell of a row
    stub = object.__new__(Order)
    validators: dict[str, Any] = {f.name: f.validator for f in attrs.fields(Order)}
    assert [name for name, check in validators.items() if check is None] == ["placed_at"]
    fields = attrs.fields(Order)
    with pytest.raises(ValidationError, match=r"^Order\.store_id must not be empty, got ''$"):
        validators["store_id"](stub, fields.store_id, "")
    with pytest.raises(ValidationError, match=r"^Order\.channel must be a Channel "):
        validators["channel"](stub, fields.channel, "store")
