"""cattrs hooks for the standard types every part of the model uses. Private.

Datetimes travel as ISO 8601 strings with their offset, dates as ISO strings,
:class:`~decimal.Decimal` as a string (so no float ever touches money), enums
as their value, a :class:`~dateutil.relativedelta.relativedelta` as an object
of whole ``years``, ``months`` and ``days``, and sets as sorted arrays.
``int``, ``str`` and ``bool`` are read strictly (``"3"`` is not an integer,
``1`` is not true).
"""

from __future__ import annotations

import enum
import json
from collections.abc import Set as AbstractSet
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, get_origin

import cattrs
from dateutil.relativedelta import relativedelta

from otocore.errors import ValidationError

_RELATIVEDELTA_FIELDS = ("years", "months", "weeks", "days")


def _structure_datetime(value: Any, _: type) -> datetime:
    rule = "must be an ISO 8601 datetime with a UTC offset"
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value)
        except ValueError:
            raise ValidationError("", value, rule) from None
    else:
        raise ValidationError("", value, rule)
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise ValidationError("", value, rule)
    return parsed


def _structure_date(value: Any, _: type) -> date:
    rule = "must be an ISO 8601 date such as '2026-05-10'"
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise ValidationError("", value, rule)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError("", value, rule) from None


def _structure_decimal(value: Any, _: type) -> Decimal:
    rule = "must be a decimal string such as '199.90'"
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise ValidationError("", value, rule)
    try:
        parsed = Decimal(value)
    except InvalidOperation:
        raise ValidationError("", value, rule) from None
    if not parsed.is_finite():
        raise ValidationError("", value, rule)
    return parsed


def _structure_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("", value, "must be an integer")
    return value


def _structure_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise ValidationError("", value, "must be a string")
    return value


def _structure_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise ValidationError("", value, "must be true or false")
    return value


def _structure_enum(value: Any, cl: type[enum.Enum]) -> enum.Enum:
    try:
        return cl(value)
    except ValueError:
        allowed = ", ".join(repr(m.value) for m in cl)
        raise ValidationError("", value, f"must be one of {allowed}") from None


def _unstructure_relativedelta(value: relativedelta) -> dict[str, int]:
    value = value.normalized()
    out = {"years": value.years, "months": value.months, "days": value.days}
    return {k: v for k, v in out.items() if v}


def _structure_relativedelta(value: Any, _: type) -> relativedelta:
    rule = "must be an object with integer 'years', 'months', 'weeks' or 'days'"
    if not isinstance(value, dict) or not value or set(value) - set(_RELATIVEDELTA_FIELDS):
        raise ValidationError("", value, rule)
    if any(isinstance(v, bool) or not isinstance(v, int) for v in value.values()):
        raise ValidationError("", value, rule)
    return relativedelta(**value)


def _is_enum(t: Any) -> bool:
    return isinstance(t, type) and issubclass(t, enum.Enum)


def _is_set_type(t: Any) -> bool:
    return t in (set, frozenset) or get_origin(t) in (set, frozenset, AbstractSet)


def _unstructure_set(conv: cattrs.Converter, value: Any) -> list[Any]:
    """Sets become JSON arrays, sorted so the output is deterministic."""
    items = [conv.unstructure(item) for item in value]
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, default=str))


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks of the standard types on ``conv``."""
    conv.register_unstructure_hook(datetime, lambda d: d.isoformat())
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(date, lambda d: d.isoformat())
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook_func(_is_enum, _structure_enum)
    conv.register_unstructure_hook_func(_is_set_type, lambda value: _unstructure_set(conv, value))
    conv.register_unstructure_hook(relativedelta, _unstructure_relativedelta)
    conv.register_structure_hook(relativedelta, _structure_relativedelta)
