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


# The parameterised checks, loaders and dumpers below are small frozen callables
# rather than closures: their bodies run when a value is checked, not when the
# node classes are defined, so a test of the check exercises the code it names.


@attrs.frozen
class validator:  # noqa: N801 - used like a function: validator(check)
    """The attrs validator that runs ``check`` with the field named ``"Type.attribute"``."""

    check: Check

    def __call__(self, instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        self.check(v.field_name(instance, attribute), value, type(instance))


def meta(check: Check, load: Load, dump: Dump) -> dict[str, Codec]:
    """The attrs metadata that carries a parameter's :class:`Codec`."""
    return {META: Codec(check, load, dump)}


def codec(field: attrs.Attribute[Any]) -> Codec:
    found: Codec = field.metadata[META]
    return found


# loaders (JSON -> Python); faults have a field relative to the parameter --------


def load_same(value: Any) -> Any:
    """A JSON value kept as it is, for parameters whose check says all there is to say.

    Integers are read this way: ``check_int`` refuses anything but an int (a
    bool included) with the same path, rule and value a loader would report.
    """
    return value


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


@attrs.frozen
class load_enum:  # noqa: N801 - used like a function: load_enum(Sex)
    """A member of ``kind`` written as its value."""

    kind: type[enum.Enum]

    def __call__(self, value: Any) -> enum.Enum:
        if isinstance(value, str):
            for member in self.kind:
                if member.value == value:
                    return member
        allowed = ", ".join(repr(m.value) for m in self.kind)
        raise ValidationError("", value, f"must be one of {allowed}")


@attrs.frozen
class load_list:  # noqa: N801 - used like a function: load_list(load_str)
    """A JSON array whose items are read by ``item``; every bad item is reported."""

    item: Load

    def __call__(self, value: Any) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise ValidationError("", value, "must be a JSON array")
        out: list[Any] = []
        faults: list[ValidationError] = []
        for i, raw in enumerate(value):
            try:
                out.append(self.item(raw))
            except ValidationError as exc:
                faults.append(exc.with_prefix(f"[{i}]"))
        if faults:
            raise ValidationError.collect(faults)
        return tuple(out)


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


@attrs.frozen
class dump_list:  # noqa: N801 - used like a function: dump_list(dump_enum)
    """A tuple written as a JSON array, each item by ``item``."""

    item: Dump

    def __call__(self, value: tuple[Any, ...]) -> list[Any]:
        return [self.item(x) for x in value]


# checks (field, value, node class) -----------------------------------------------


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


@attrs.frozen
class check_int:  # noqa: N801 - used like a function: check_int(1, 12)
    """An integer in ``lowest..highest`` (or ``None`` when ``optional``)."""

    lowest: int
    highest: int | None = None
    optional: bool = attrs.field(default=False, kw_only=True)

    def __call__(self, field: str, value: Any, cls: type) -> None:
        if value is None and self.optional:
            return
        if not _is_int(value):
            raise ValidationError(field, value, "must be an integer")
        if value < self.lowest:
            raise ValidationError(field, value, f"must be >= {self.lowest}")
        if self.highest is not None and value > self.highest:
            raise ValidationError(field, value, f"must be <= {self.highest}")


def check_bound(field: str, value: Any, cls: type) -> None:
    """A range bound of an integer range node: ``None`` or an int within the node's limits."""
    if value is None:
        return
    # every integer range node declares its limits (_IntRange: 0 and no highest)
    lowest: int = cls._lowest  # type: ignore[attr-defined]
    highest: int | None = cls._highest  # type: ignore[attr-defined]
    check_int(lowest, highest)(field, value, cls)


def check_money_bound(field: str, value: Any, cls: type) -> None:
    if value is not None:
        v.require_money(field, value)  # a Decimal (never a float) >= 0, two places


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


@attrs.frozen
class check_member:  # noqa: N801 - used like a function: check_member(Sex)
    """A member of ``kind``."""

    kind: type[enum.Enum]

    def __call__(self, field: str, value: Any, cls: type) -> None:
        v.require_enum(field, value, self.kind)


@attrs.frozen
class check_set:  # noqa: N801 - used like a function: check_set(check_text)
    """A non-empty tuple whose items each pass ``item`` (``None`` too when ``optional``)."""

    item: Check
    optional: bool = attrs.field(default=False, kw_only=True)

    def __call__(self, field: str, value: Any, cls: type) -> None:
        if value is None and self.optional:
            return
        if not isinstance(value, tuple):
            raise ValidationError(field, value, "must be a non-empty list")
        if not value:
            raise ValidationError(field, value, "must not be empty")
        faults: list[ValidationError] = []
        for i, x in enumerate(value):
            try:
                self.item(f"{field}[{i}]", x, cls)
            except ValidationError as exc:
                faults.append(exc)
        if faults:
            raise ValidationError.collect(faults)


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
