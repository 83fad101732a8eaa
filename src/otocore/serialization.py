"""Serialização (serialization): every public value type to JSON-ready data and back.

Serialization lives here, never on the classes. :data:`converter` is a cattrs
converter configured for otocore: datetimes become ISO 8601 strings with their
offset, dates ISO strings, :class:`~decimal.Decimal` a string (so no float ever
touches money), enums their value. :func:`make_converter` builds a fresh one
to customize; :func:`configure_converter` applies otocore's hooks to a
converter of your own.

>>> from datetime import datetime, UTC
>>> from decimal import Decimal
>>> from otocore.orders import Order
>>> order = Order(
...     order_id="P1",
...     customer_id="C1",
...     store_id="L1",
...     placed_at=datetime(2026, 5, 10, 18, 30, tzinfo=UTC),
...     total=Decimal("199.90"),
...     seller_code="V01",
... )
>>> data = converter.unstructure(order)
>>> data["placed_at"], data["total"], data["status"]
('2026-05-10T18:30:00+00:00', '199.90', 'completed')
>>> converter.structure(data, Order) == order
True

Malformed input is a :class:`~otocore.errors.ValidationError` naming the path
of every bad field, never a bare ``KeyError`` or ``TypeError``:

>>> bad = dict(data, total="R$ 3", placed_at="2026-05-10T18:30:00")
>>> converter.structure(bad, Order)
Traceback (most recent call last):
...
otocore.errors.ValidationError: 2 errors:
  Order.placed_at must be an ISO 8601 datetime with a UTC offset, got '2026-05-10T18:30:00'
  Order.total must be a decimal string such as '199.90', got 'R$ 3'
>>> converter.structure(dict(data, total="-3"), Order)
Traceback (most recent call last):
...
otocore.errors.ValidationError: Order.total must be >= 0 with at most 2 decimal places, got Decimal('-3')
"""

from __future__ import annotations

import enum
import json
from collections.abc import Set as AbstractSet
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, cast, get_origin

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from dateutil.relativedelta import relativedelta

from otocore.errors import OtocoreError, ValidationError

__all__ = [
    "OtocoreConverter",
    "configure_converter",
    "converter",
    "make_converter",
    "structure",
]

T = TypeVar("T")

_RELATIVEDELTA_FIELDS = ("years", "months", "weeks", "days")


class OtocoreConverter(cattrs.Converter):
    """A cattrs converter whose ``structure`` raises only otocore errors.

    Every fault found while structuring is reported, each with its path.

    >>> conv = make_converter()
    >>> conv.structure({"store_id": "L1"}, __import__("otocore").Store)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Store.name is required, got <missing>
    """

    def structure(self, obj: Any, cl: Any) -> Any:
        """Structure ``obj`` into ``cl``; any fault is a ValidationError."""
        root = getattr(cl, "__name__", "") if attrs.has(cl) else ""
        try:
            return super().structure(obj, cl)
        except OtocoreError as exc:
            if isinstance(exc, ValidationError):
                raise _reroot(exc, root) from None
            raise
        except Exception as exc:  # noqa: BLE001 - every fault becomes a typed error
            faults = _faults(exc, root, obj)
            raise ValidationError.collect(faults) from None


def _reroot(exc: ValidationError, path: str) -> ValidationError:
    """Give a fault raised by a class constructor the path it was found at."""
    fixed = []
    for e in exc.errors:
        field = e.field
        if not field:
            # raised by a hook, which does not know where its value sits
            field = path or "$"
        elif path and "." in field:
            # "Order.total" raised by Order(...) found at "Batch.orders[2]"
            field = f"{path}.{field.split('.', 1)[1]}"
        fixed.append(ValidationError(field, e.value, e.rule))
    return ValidationError.collect(fixed)


_MISSING = type("_Missing", (), {"__repr__": lambda self: "<missing>"})()


def _faults(exc: BaseException, path: str, obj: Any) -> list[ValidationError]:
    if isinstance(exc, ValidationError):
        return list(_reroot(exc, path).errors)
    if isinstance(exc, IterableValidationError):
        out: list[ValidationError] = []
        with_indices, without_index = exc.group_exceptions()
        for sub, inote in with_indices:
            item = _index(obj, inote.index)
            out += _faults(sub, f"{path}[{inote.index!r}]", item)
        for sub in without_index:
            out += _faults(sub, path, obj)
        return out
    if isinstance(exc, ClassValidationError):
        out = []
        with_names, without = exc.group_exceptions()
        for sub, note in with_names:
            sub_path = f"{path}.{note.name}" if path else note.name
            value = obj.get(note.name, _MISSING) if isinstance(obj, dict) else _MISSING
            if isinstance(sub, KeyError) and value is _MISSING:
                out.append(ValidationError(sub_path, _MISSING, "is required"))
            else:
                out += _faults(sub, sub_path, value)
        for sub in without:
            out += _faults(sub, path, obj)
        return out
    if isinstance(exc, ForbiddenExtraKeysError):
        return [
            ValidationError(
                f"{path}.{key}" if path else key,
                obj.get(key) if isinstance(obj, dict) else None,
                "is not a known field",
            )
            for key in sorted(exc.extra_fields)
        ]
    if isinstance(exc, ExceptionGroup):
        return [f for sub in exc.exceptions for f in _faults(sub, path, obj)]
    if isinstance(exc, KeyError | TypeError | AttributeError) and not isinstance(obj, dict):
        return [ValidationError(path or "$", obj, "must be a JSON object")]
    return [ValidationError(path or "$", obj, f"is malformed ({type(exc).__name__}: {exc})")]


def _index(obj: Any, index: Any) -> Any:
    try:
        return obj[index]
    except Exception:  # noqa: BLE001
        return _MISSING


# hooks ----------------------------------------------------------------------


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


def _is_set_type(t: Any) -> bool:
    return t in (set, frozenset) or get_origin(t) in (set, frozenset, AbstractSet)


def _unstructure_set(conv: cattrs.Converter, value: Any) -> list[Any]:
    """Sets become JSON arrays, sorted so the output is deterministic."""
    items = [conv.unstructure(item) for item in value]
    return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, default=str))


def configure_converter(conv: cattrs.Converter) -> None:
    """Install otocore's hooks on ``conv``.

    >>> conv = cattrs.Converter()
    >>> configure_converter(conv)
    >>> conv.unstructure(Decimal("1.50"))
    '1.50'
    """
    conv.register_unstructure_hook(datetime, lambda d: d.isoformat())
    conv.register_structure_hook(datetime, _structure_datetime)
    conv.register_unstructure_hook(date, lambda d: d.isoformat())
    conv.register_structure_hook(date, _structure_date)
    conv.register_unstructure_hook(Decimal, str)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _structure_enum
    )
    conv.register_unstructure_hook_func(_is_set_type, lambda value: _unstructure_set(conv, value))
    conv.register_unstructure_hook(relativedelta, _unstructure_relativedelta)
    conv.register_structure_hook(relativedelta, _structure_relativedelta)
    from otocore import (
        _hooks_access,
        _hooks_accounts,
        _hooks_auth,
        _hooks_blocking,
        _hooks_campaigns,
        _hooks_consent,
        _hooks_contacts,
        _hooks_customers,
        _hooks_distribution,
        _hooks_filters,
        _hooks_portfolio,
        _hooks_rfv,
    )

    for module in (
        _hooks_rfv,
        _hooks_distribution,
        _hooks_customers,
        _hooks_portfolio,
        _hooks_consent,
        _hooks_blocking,
        _hooks_filters,
        _hooks_contacts,
        _hooks_campaigns,
        _hooks_access,
        _hooks_auth,
        _hooks_accounts,
    ):
        module.configure(conv)


def make_converter() -> OtocoreConverter:
    """A new converter with otocore's hooks; customize it without touching :data:`converter`.

    >>> make_converter() is not converter
    True
    """
    conv = OtocoreConverter(forbid_extra_keys=True)
    configure_converter(conv)
    return conv


converter: OtocoreConverter = make_converter()
"""The converter otocore uses. Build your own with :func:`make_converter`."""


def structure(data: Any, cl: type[T]) -> T:
    """Shorthand for ``converter.structure(data, cl)``.

    >>> from otocore.sellers import Store
    >>> structure({"store_id": "L1", "name": "Centro", "city": None, "state": None}, Store)
    Store(store_id='L1', name='Centro', city=None, state=None)
    """
    return cast(T, converter.structure(data, cl))
