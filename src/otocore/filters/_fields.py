"""Parameters of the filter nodes: checks, JSON loaders and dumpers. Private.

Each parameter of a filter node is an attrs field validated by
``validator(check)`` and carrying ``meta(check, load, dump)``:

* ``check(field, value, cls)``: the rule the value must follow, raising
  :class:`~otocore.errors.ValidationError` naming ``field``. The attrs validator
  calls it with ``"AgeBetween.min"``; the JSON parser calls it with the JSON
  path (``"audience.all[2].age_between.min"``), so both report the same rule.
* ``load(value)``: JSON value to Python value. It raises a ValidationError
  whose field is relative to the parameter (``""`` or ``"[3]"``); the parser
  puts the path in front.
* ``dump(value)``: Python value to JSON value.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs

from otocore import _validate as v
from otocore.errors import ValidationError

Check = Callable[[str, Any, type], None]
Load = Callable[[Any], Any]
Dump = Callable[[Any], Any]

META = "otocore.filters"

_SEGMENT_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\Z")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})\Z")


@attrs.frozen
class Codec:
    """How one parameter is checked, read from JSON and written to JSON."""

    check: Check
    load: Load
    dump: Dump


def validator(check: Check) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """The attrs validator that runs ``check`` with the field named ``"Type.attribute"``."""

    def run(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        check(v.field_name(instance, attribute), value, type(instance))

    return run


def meta(check: Check, load: Load, dump: Dump) -> dict[str, Codec]:
    """The attrs metadata that carries a parameter's :class:`Codec`."""
    return {META: Codec(check, load, dump)}


def codec(field: attrs.Attribute[Any]) -> Codec:
    found: Codec = field.metadata[META]
    return found


# loaders (JSON -> Python); faults have a field relative to the parameter --------


def load_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("", value, "must be an integer")
    return value


def load_optional_int(value: Any) -> int | None:
    return None if value is None else load_int(value)


def load_decimal(value: Any) -> Decimal | None:
    rule = "must be a decimal string such as '1000.00' (never a float)"
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValidationError("", value, rule)
    try:
        parsed = Decimal(value)  # Decimal() itself drops surrounding whitespace
    except InvalidOperation:
        raise ValidationError("", value, rule) from None
    if not parsed.is_finite():
        raise ValidationError("", value, rule)
    return parsed


def load_date(value: Any) -> date | None:
    rule = "must be an ISO 8601 date such as '2026-05-10'"
    if value is None:
        return None
    if not isinstance(value, str) or not _DATE.match(value):
        raise ValidationError("", value, rule)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError("", value, rule) from None


def load_month(value: Any) -> tuple[int, int]:
    rule = "must be a month written 'YYYY-MM' such as '2026-05'"
    if not isinstance(value, str):
        raise ValidationError("", value, rule)
    match = _MONTH.match(value)
    if not match:
        raise ValidationError("", value, rule)
    year, month = int(match[1]), int(match[2])
    if year < 1 or not 1 <= month <= 12:
        raise ValidationError("", value, rule)
    return year, month


def load_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError("", value, "must be a string")
    return value


def load_enum(kind: type[enum.Enum]) -> Load:
    allowed = ", ".join(repr(m.value) for m in kind)

    def load(value: Any) -> enum.Enum:
        if isinstance(value, str):
            for member in kind:
                if member.value == value:
                    return member
        raise ValidationError("", value, f"must be one of {allowed}")

    return load


def load_list(item: Load) -> Load:
    """A JSON array whose items are read by ``item``; every bad item is reported."""

    def load(value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise ValidationError("", value, "must be a JSON array")
        out: list[Any] = []
        faults: list[ValidationError] = []
        for i, raw in enumerate(value):
            try:
                out.append(item(raw))
            except ValidationError as exc:
                faults.append(exc.with_prefix(f"[{i}]"))
        if faults:
            raise ValidationError.collect(faults)
        return tuple(out)

    return load


def load_optional_list(item: Load) -> Load:
    inner = load_list(item)

    def load(value: Any) -> tuple[Any, ...] | None:
        return None if value is None else inner(value)

    return load


# dumpers (Python -> JSON) ----------------------------------------------------------


def dump_same(value: Any) -> Any:
    return value


def dump_str(value: Any) -> str:
    return str(value)


def dump_date(value: date) -> str:
    return value.isoformat()


def dump_month(value: tuple[int, int]) -> str:
    return f"{value[0]:04d}-{value[1]:02d}"


def dump_enum(value: enum.Enum) -> Any:
    return value.value


def dump_list(item: Dump) -> Dump:
    def dump(value: tuple[Any, ...]) -> list[Any]:
        return [item(x) for x in value]

    return dump


# checks (field, value, node class) -----------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_int(lowest: int, highest: int | None = None, *, optional: bool = False) -> Check:
    """An integer in ``lowest..highest`` (or ``None`` when ``optional``)."""

    def check(field: str, value: Any, cls: type) -> None:
        if value is None and optional:
            return
        if not _is_int(value):
            raise ValidationError(field, value, "must be an integer")
        if value < lowest:
            raise ValidationError(field, value, f"must be >= {lowest}")
        if highest is not None and value > highest:
            raise ValidationError(field, value, f"must be <= {highest}")

    return check


def check_bound(field: str, value: Any, cls: type) -> None:
    """A range bound of an integer range node: ``None`` or an int within the node's limits."""
    if value is None:
        return
    lowest: int = getattr(cls, "_lowest", 0)
    highest: int | None = getattr(cls, "_highest", None)
    check_int(lowest, highest)(field, value, cls)


def check_money_bound(field: str, value: Any, cls: type) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, Decimal):
        raise ValidationError(field, value, "must be a decimal.Decimal (never a float)")
    v.require_money(field, value)


def check_date_bound(field: str, value: Any, cls: type) -> None:
    if value is not None:
        v.require_date(field, value)


def check_month(field: str, value: Any, cls: type) -> None:
    rule = "must be a (year, month) pair such as (2026, 5)"
    if not isinstance(value, tuple) or len(value) != 2 or not all(_is_int(x) for x in value):
        raise ValidationError(field, value, rule)
    year, month = value
    if not 1 <= year <= 9999 or not 1 <= month <= 12:
        raise ValidationError(field, value, rule)


def check_text(field: str, value: Any, cls: type) -> None:
    v.require_text(field, value, max_length=100)


def check_segment_key(field: str, value: Any, cls: type) -> None:
    if not isinstance(value, str) or not _SEGMENT_KEY.match(value) or len(value) > 50:
        raise ValidationError(
            field, value, "must be a segment key such as 'cant_lose' (a-z, 0-9, _; max 50)"
        )


def check_member(kind: type[enum.Enum]) -> Check:
    def check(field: str, value: Any, cls: type) -> None:
        v.require_enum(field, value, kind)

    return check


def check_set(item: Check, *, optional: bool = False) -> Check:
    """A non-empty tuple whose items each pass ``item`` (``None`` too when ``optional``)."""

    def check(field: str, value: Any, cls: type) -> None:
        if value is None and optional:
            return
        if not isinstance(value, tuple):
            raise ValidationError(field, value, "must be a non-empty list")
        if not value:
            raise ValidationError(field, value, "must not be empty")
        faults: list[ValidationError] = []
        for i, x in enumerate(value):
            try:
                item(f"{field}[{i}]", x, cls)
            except ValidationError as exc:
                faults.append(exc)
        if faults:
            raise ValidationError.collect(faults)

    return check


# converters (Python API) ----------------------------------------------------------


def _sort_key(x: Any) -> Any:
    return x.value if isinstance(x, enum.Enum) else x


def sorted_set(value: Any) -> Any:
    """Lists, tuples and sets become a sorted tuple without repeats; junk is left for the check.

    Sets are stored sorted so that equality ignores order and repeats, and the
    repr and the JSON form are the same on every run.
    """
    if value is None or not isinstance(value, list | tuple | set | frozenset):
        return value
    items = tuple(value)
    try:
        return tuple(sorted(set(items), key=_sort_key))
    except (TypeError, InvalidOperation):  # unhashable, or not comparable (a NaN Decimal)
        return items
