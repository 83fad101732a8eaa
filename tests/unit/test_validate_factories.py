"""The attrs validators of the toolkit, each built inside its test.

The validator factories (``text``, ``integer``, ``member_of``, ...) run when a
value class is defined, which is at import time for the library's own classes.
Each test here defines its class inside the test function, so the factory runs
during the test (and mutation testing sees its mutants). Every refusal is
asserted by its field path, its rule and the value it reports.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

from otocore import _validate as v
from otocore.errors import ValidationError


def fault(call: Any, *args: Any, **kwargs: Any) -> tuple[str, Any, str]:
    """The field, value and rule of the ValidationError that ``call`` raises."""
    with pytest.raises(ValidationError) as raised:
        call(*args, **kwargs)
    return raised.value.field, raised.value.value, raised.value.rule


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


COLOURS = "must be a Colour ('red', 'green')"


def test_text_accepts_up_to_max_length_and_names_the_field() -> None:
    @attrs.frozen
    class Note:
        body: str = attrs.field(validator=v.text(5))

    assert Note("abcde").body == "abcde"
    assert fault(Note, "abcdef") == ("Note.body", "abcdef", "must be at most 5 characters")
    assert fault(Note, " ") == ("Note.body", " ", "must not be empty")
    assert fault(Note, 5) == ("Note.body", 5, "must be a string")
    assert fault(Note, "a\nb") == ("Note.body", "a\nb", "must not contain control characters")
    with pytest.raises(
        ValidationError, match=r"^Note\.body must be at most 5 characters, got 'x{6}'$"
    ):
        Note("x" * 6)


def test_text_defaults_to_200_characters_on_one_line() -> None:
    @attrs.frozen
    class Name:
        value: str = attrs.field(validator=v.text())

    assert Name("n" * 200).value == "n" * 200
    assert fault(Name, "n" * 201) == ("Name.value", "n" * 201, "must be at most 200 characters")
    assert fault(Name, "a\tb")[2] == "must not contain control characters"


def test_text_multiline_allows_line_breaks_only() -> None:
    @attrs.frozen
    class Memo:
        body: str = attrs.field(validator=v.text(10, multiline=True))

    assert Memo("a\r\n\tb").body == "a\r\n\tb"
    assert fault(Memo, "a\x00b") == ("Memo.body", "a\x00b", "must not contain control characters")
    assert fault(Memo, "m" * 11)[2] == "must be at most 10 characters"


def test_optional_text_accepts_none_and_checks_the_rest() -> None:
    @attrs.frozen
    class Card:
        title: str | None = attrs.field(default=None, validator=v.optional_text(3))
        note: str | None = attrs.field(default=None, validator=v.optional_text(4, multiline=True))
        tag: str | None = attrs.field(default=None, validator=v.optional_text())

    assert Card().title is None
    assert Card("abc", "a\nbc", "t" * 200) == Card(title="abc", note="a\nbc", tag="t" * 200)
    assert fault(Card, "abcd") == ("Card.title", "abcd", "must be at most 3 characters")
    assert fault(Card, "") == ("Card.title", "", "must not be empty")
    assert fault(Card, None, "a\x01") == (
        "Card.note",
        "a\x01",
        "must not contain control characters",
    )
    assert fault(Card, None, "abcde")[2] == "must be at most 4 characters"
    assert fault(Card, None, None, "t" * 201) == (
        "Card.tag",
        "t" * 201,
        "must be at most 200 characters",
    )
    assert fault(Card, None, None, "a\nb") == (
        "Card.tag",
        "a\nb",
        "must not contain control characters",
    )
    with pytest.raises(ValidationError, match=r"^Card\.title must be a string, got 7$"):
        Card(7)


def test_integer_bounds_are_inclusive_and_a_bool_is_not_an_integer() -> None:
    @attrs.frozen
    class Bins:
        count: int = attrs.field(validator=v.integer(min_value=2, max_value=10))
        any_: int = attrs.field(default=0, validator=v.integer())

    assert Bins(2).count == 2
    assert Bins(10).count == 10
    assert Bins(5, -(10**20)).any_ == -(10**20)
    assert fault(Bins, 1) == ("Bins.count", 1, "must be >= 2")
    assert fault(Bins, 11) == ("Bins.count", 11, "must be <= 10")
    assert fault(Bins, True) == ("Bins.count", True, "must be an integer")
    assert fault(Bins, 3.0) == ("Bins.count", 3.0, "must be an integer")
    assert fault(Bins, 3, False) == ("Bins.any_", False, "must be an integer")
    with pytest.raises(ValidationError, match=r"^Bins\.count must be <= 10, got 11$"):
        Bins(11)


def test_optional_integer_accepts_none_and_keeps_both_bounds() -> None:
    @attrs.frozen
    class Cap:
        limit: int | None = attrs.field(
            default=None, validator=v.optional_integer(min_value=1, max_value=3)
        )

    assert Cap().limit is None
    assert Cap(1).limit == 1
    assert Cap(3).limit == 3
    assert fault(Cap, 0) == ("Cap.limit", 0, "must be >= 1")
    assert fault(Cap, 4) == ("Cap.limit", 4, "must be <= 3")
    assert fault(Cap, True) == ("Cap.limit", True, "must be an integer")
    with pytest.raises(ValidationError, match=r"^Cap\.limit must be an integer, got '2'$"):
        Cap("2")


def test_instance_of_names_the_class_and_the_field() -> None:
    @attrs.frozen
    class Holder:
        when: date = attrs.field(validator=v.instance_of(date))

    day = date(2026, 5, 10)
    assert Holder(day).when == day
    assert fault(Holder, "2026-05-10") == ("Holder.when", "2026-05-10", "must be a date")
    assert fault(Holder, None) == ("Holder.when", None, "must be a date")
    with pytest.raises(ValidationError, match=r"^Holder\.when must be a date, got 1$"):
        Holder(1)


def test_optional_instance_of_accepts_none_and_ends_the_rule_with_the_hint() -> None:
    @attrs.frozen
    class Slot:
        day: date | None = attrs.field(default=None, validator=v.optional_instance_of(date))
        zone: tzinfo | None = attrs.field(
            default=None, validator=v.optional_instance_of(tzinfo, hint=" (build it with ZoneInfo)")
        )

    day = date(2026, 5, 10)
    assert Slot() == Slot(None, None)
    assert Slot(day, UTC) == Slot(day=day, zone=UTC)
    assert fault(Slot, "x") == ("Slot.day", "x", "must be a date or None")
    assert fault(Slot, None, "UTC") == (
        "Slot.zone",
        "UTC",
        "must be a tzinfo or None (build it with ZoneInfo)",
    )
    with pytest.raises(ValidationError, match=r"^Slot\.day must be a date or None, got 0$"):
        Slot(0)


def test_member_of_wants_a_member_not_its_value() -> None:
    @attrs.frozen
    class Paint:
        colour: Colour = attrs.field(validator=v.member_of(Colour))

    assert Paint(Colour.GREEN).colour is Colour.GREEN
    assert fault(Paint, "red") == ("Paint.colour", "red", COLOURS)
    assert fault(Paint, None) == ("Paint.colour", None, COLOURS)
    with pytest.raises(
        ValidationError, match=r"^Paint\.colour must be a Colour \('red', 'green'\), got 1$"
    ):
        Paint(1)


def test_boolean_wants_true_or_false() -> None:
    @attrs.frozen
    class Flag:
        on: bool = attrs.field(validator=v.boolean)

    assert Flag(True).on is True
    assert Flag(False).on is False
    assert fault(Flag, 1) == ("Flag.on", 1, "must be True or False")
    assert fault(Flag, "yes") == ("Flag.on", "yes", "must be True or False")
    with pytest.raises(ValidationError, match=r"^Flag\.on must be True or False, got 0$"):
        Flag(0)


def test_boolean_with_rule_says_its_own_rule() -> None:
    @attrs.frozen
    class Switch:
        on: bool = attrs.field(validator=v.boolean_with_rule("must be a bool"))

    assert Switch(False).on is False
    assert fault(Switch, 1) == ("Switch.on", 1, "must be a bool")
    assert fault(Switch, None) == ("Switch.on", None, "must be a bool")


class NoOffset(tzinfo):
    """A tzinfo that knows no offset: a datetime in it is naive."""

    def utcoffset(self, dt: datetime | None) -> timedelta | None:
        return None


def test_aware_refuses_naive_datetimes_and_other_types() -> None:
    @attrs.frozen
    class Stamp:
        at: datetime = attrs.field(validator=v.aware)

    at = datetime(2026, 5, 10, 12, tzinfo=UTC)
    assert Stamp(at).at == at
    naive = datetime(2026, 5, 10, 12)
    assert fault(Stamp, naive) == ("Stamp.at", naive, "must be timezone-aware")
    no_offset = datetime(2026, 5, 10, 12, tzinfo=NoOffset())
    assert fault(Stamp, no_offset) == ("Stamp.at", no_offset, "must be timezone-aware")
    day = date(2026, 5, 10)
    assert fault(Stamp, day) == ("Stamp.at", day, "must be a timezone-aware datetime")
    with pytest.raises(
        ValidationError, match=r"^Stamp\.at must be a timezone-aware datetime, got None$"
    ):
        Stamp(None)


def test_instant_converts_to_utc_and_keeps_an_optional_none() -> None:
    @attrs.frozen
    class Event:
        at: datetime = attrs.field(converter=v.instant)
        until: datetime | None = attrs.field(default=None, converter=v.instant)

    minus3 = timezone(timedelta(hours=-3))
    event = Event(
        datetime(2026, 5, 10, 12, tzinfo=minus3), datetime(2026, 5, 10, 13, tzinfo=minus3)
    )
    assert event.at == datetime(2026, 5, 10, 15, tzinfo=UTC)
    assert event.at.tzinfo is UTC
    assert event.until == datetime(2026, 5, 10, 16, tzinfo=UTC)
    assert event.until.tzinfo is UTC
    assert Event(datetime(2026, 5, 10, tzinfo=UTC)).until is None
    assert Event(datetime(2026, 5, 10, tzinfo=UTC), None).until is None
    assert fault(Event, None) == ("Event.at", None, "must be a timezone-aware datetime")
    naive = datetime(2026, 5, 10)
    assert fault(Event, naive) == ("Event.at", naive, "must be timezone-aware")
    assert fault(Event, event.at, naive) == ("Event.until", naive, "must be timezone-aware")


def test_local_dates_want_a_date_and_never_a_datetime() -> None:
    @attrs.frozen
    class Visit:
        day: date = attrs.field(validator=v.local_date)
        free_on: date | None = attrs.field(default=None, validator=v.optional_local_date)

    day = date(2026, 5, 10)
    assert Visit(day) == Visit(day, None)
    assert Visit(day, day).free_on == day
    moment = datetime(2026, 5, 10, tzinfo=UTC)
    rule = "must be a datetime.date (a local calendar day)"
    assert fault(Visit, moment) == ("Visit.day", moment, rule)
    assert fault(Visit, None) == ("Visit.day", None, rule)
    assert fault(Visit, day, moment) == ("Visit.free_on", moment, rule)
    assert fault(Visit, day, "2026-05-10") == ("Visit.free_on", "2026-05-10", rule)
    with pytest.raises(
        ValidationError,
        match=r"^Visit\.free_on must be a datetime\.date \(a local calendar day\), got 0$",
    ):
        Visit(day, 0)


def test_money_wants_a_decimal_with_two_places() -> None:
    @attrs.frozen
    class Order:
        total: Decimal = attrs.field(validator=v.money)

    assert Order(Decimal("10.50")).total == Decimal("10.50")
    assert fault(Order, 10.5) == ("Order.total", 10.5, "must be a decimal.Decimal (never a float)")
    assert fault(Order, Decimal("0.001"))[:2] == ("Order.total", Decimal("0.001"))


def test_time_zone_loads_iana_names_and_names_the_field() -> None:
    @attrs.frozen
    class Store:
        time_zone: str = attrs.field(validator=v.time_zone)

    assert Store("America/Sao_Paulo").time_zone == "America/Sao_Paulo"
    rule = "must be an IANA time zone name such as 'America/Sao_Paulo'"
    assert fault(Store, "Mars/Olympus") == ("Store.time_zone", "Mars/Olympus", rule)
    assert fault(Store, None) == ("Store.time_zone", None, rule)
    with pytest.raises(
        ValidationError,
        match=r"^Store\.time_zone must be an IANA time zone name such as 'America/Sao_Paulo', got 'America'$",
    ):
        Store("America")


def test_zone_loads_a_zone_and_refuses_anything_else() -> None:
    assert v.zone("tz", "America/Manaus") == ZoneInfo("America/Manaus")
    assert v.zone("tz", "UTC").key == "UTC"
    rule = "must be an IANA time zone name such as 'America/Sao_Paulo'"
    for bad in (None, 1, "", b"UTC"):  # not a name at all
        assert fault(v.zone, "tz", bad) == ("tz", bad, rule)
    for bad in ("Mars/Olympus", "America", "utc", "../UTC", "UTC\x00", "a" * 300):  # no such zone
        assert fault(v.zone, "tz", bad) == ("tz", bad, rule)
