"""Shared validators. Private: the public names live in the domain modules."""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from otocore.errors import ValidationError

E = TypeVar("E", bound=enum.Enum)

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def _field(instance: Any, attribute: attrs.Attribute[Any]) -> str:
    return f"{type(instance).__name__}.{attribute.name}"


def require_aware(field: str, value: Any) -> datetime:
    """Return ``value`` if it is a timezone-aware datetime, else raise."""
    if not isinstance(value, datetime):
        raise ValidationError(field, value, "must be a timezone-aware datetime")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValidationError(field, value, "must be timezone-aware")
    return value


def require_date(field: str, value: Any) -> date:
    """Return ``value`` if it is a calendar date (not a datetime)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError(field, value, "must be a datetime.date (a local calendar day)")
    return value


def require_money(field: str, value: Any) -> Decimal:
    """Return ``value`` if it is a finite Decimal >= 0 with at most 2 places."""
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise ValidationError(field, value, "must be a decimal.Decimal (never a float)")
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        raise ValidationError(field, value, "must be >= 0 with at most 2 decimal places")
    return value


def parse_money(field: str, value: Any) -> Decimal:
    """Parse a str/int/Decimal into money; floats are refused."""
    if isinstance(value, Decimal):
        return require_money(field, value)
    if isinstance(value, bool | float):
        raise ValidationError(field, value, "must be a decimal string such as '10.50', not a float")
    if isinstance(value, int):
        return require_money(field, Decimal(value))
    if isinstance(value, str):
        try:
            parsed = Decimal(value.strip())
        except InvalidOperation:
            raise ValidationError(
                field, value, "must be a decimal number such as '10.50'"
            ) from None
        return require_money(field, parsed)
    raise ValidationError(field, value, "must be a decimal number such as '10.50'")


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def require_text(field: str, value: Any, *, max_length: int = 200) -> str:
    """Return ``value`` if it is a non-blank str without control characters."""
    if not isinstance(value, str):
        raise ValidationError(field, value, "must be a string")
    if not value.strip():
        raise ValidationError(field, value, "must not be empty")
    if len(value) > max_length:
        raise ValidationError(field, value, f"must be at most {max_length} characters")
    if _CONTROL.search(value):
        raise ValidationError(field, value, "must not contain control characters")
    return value


def require_enum(field: str, value: Any, enum_type: type[E]) -> E:
    """Return ``value`` if it is a member of ``enum_type``."""
    if not isinstance(value, enum_type):
        allowed = ", ".join(repr(m.value) for m in enum_type)
        raise ValidationError(field, value, f"must be a {enum_type.__name__} ({allowed})")
    return value


def require_enum_set(field: str, value: Any, enum_type: type[E]) -> frozenset[E]:
    """A non-empty collection of ``enum_type`` members, as a frozenset."""
    if isinstance(value, str | bytes | enum.Enum) or not isinstance(value, Iterable):
        raise ValidationError(field, value, f"must be a set of {enum_type.__name__}")
    members = frozenset(value)
    if not members:
        raise ValidationError(field, value, "must not be empty")
    for member in members:
        require_enum(field, member, enum_type)
    return members


def zone(field: str, name: Any) -> ZoneInfo:
    """Load an IANA time zone by name."""
    if not isinstance(name, str) or not name:
        raise ValidationError(
            field, name, "must be an IANA time zone name such as 'America/Sao_Paulo'"
        )
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):  # "America" is a tzdata folder
        raise ValidationError(
            field, name, "must be an IANA time zone name such as 'America/Sao_Paulo'"
        ) from None


def parse_enum(cls: type[E], text: Any, field: str) -> E:
    """The member of ``cls`` whose value is ``text`` (a str); else a ValidationError."""
    allowed = ", ".join(repr(m.value) for m in cls)
    if isinstance(text, str):
        for member in cls:
            if member.value == text:
                return member
    raise ValidationError(field, text, f"must be one of {allowed}")


# attrs-style validators -------------------------------------------------------


def boolean(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise ValidationError(_field(instance, attribute), value, "must be True or False")


def text(max_length: int = 200) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        require_text(_field(instance, attribute), value, max_length=max_length)

    return check


def optional_text(max_length: int = 200) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            require_text(_field(instance, attribute), value, max_length=max_length)

    return check


def _to_utc(value: Any, self_: Any, field: attrs.Attribute[Any]) -> Any:
    name = f"{type(self_).__name__}.{field.name}"
    if value is None and field.default is None:
        return None
    aware_value = require_aware(name, value)
    try:
        return aware_value.astimezone(UTC)
    except OverflowError:
        raise ValidationError(
            name, value, "must be an instant between years 1 and 9999 in UTC"
        ) from None


instant = attrs.Converter(_to_utc, takes_self=True, takes_field=True)
"""attrs converter: check an aware datetime and normalise it to UTC.

Instants are kept in UTC so that equality, hashing and ordering are plain
instant comparisons (an aware datetime in a named zone compares unequal to
the same instant elsewhere during a DST fold).
"""


def aware(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    require_aware(_field(instance, attribute), value)


def local_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    require_date(_field(instance, attribute), value)


def optional_local_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None:
        require_date(_field(instance, attribute), value)


def money(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    require_money(_field(instance, attribute), value)


def member_of(enum_type: type[E]) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        require_enum(_field(instance, attribute), value, enum_type)

    return check


def integer(*, min_value: int | None = None, max_value: int | None = None) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        field = _field(instance, attribute)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValidationError(field, value, "must be an integer")
        if min_value is not None and value < min_value:
            raise ValidationError(field, value, f"must be >= {min_value}")
        if max_value is not None and value > max_value:
            raise ValidationError(field, value, f"must be <= {max_value}")

    return check


def time_zone(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    zone(_field(instance, attribute), value)


def instance_of(cls: type) -> Validator:
    """Like ``attrs.validators.instance_of``, but a ValidationError naming the field."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            raise ValidationError(_field(instance, attribute), value, f"must be a {cls.__name__}")

    return check
