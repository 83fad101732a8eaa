"""Shared validators. Private: the public names live in the domain modules.

Every check names the field it checks and raises
:class:`~otocore.errors.ValidationError` with the offending value and the rule:
``require_*(field, value, ...)`` functions return the checked value, and the
lowercase names below ``attrs-style validators`` plug into ``attrs.field``.

>>> require_int("bins", 11, min_value=2, max_value=10)
Traceback (most recent call last):
...
otocore.errors.ValidationError: bins must be <= 10, got 11
>>> require_instances("orders", "P1", int, rule="must be an iterable of int")
Traceback (most recent call last):
...
otocore.errors.ValidationError: orders must be an iterable of int, got 'P1'
"""

from __future__ import annotations

import enum
import re
import urllib.parse
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, TypeGuard, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from otocore.errors import ValidationError

E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

NOT_A_COLLECTION: tuple[type, ...] = (str, bytes, Mapping)
"""What an iterable guard refuses although Python can iterate it: text and a mapping's keys."""


def field_name(instance: Any, attribute: attrs.Attribute[Any]) -> str:
    """The path ``Class.attribute`` that an attrs validator or converter names in its errors.

    >>> @attrs.frozen
    ... class Box:
    ...     size: int
    >>> field_name(Box(1), attrs.fields(Box).size)
    'Box.size'
    """
    return f"{type(instance).__name__}.{attribute.name}"


_field = field_name


def a_or_an(name: str) -> str:
    """``name`` with its English indefinite article, for rules such as "must be an Order".

    >>> a_or_an("Order"), a_or_an("Seller")
    ('an Order', 'a Seller')
    """
    return f"{'an' if name[:1] in 'AEIOUaeiou' else 'a'} {name}"


def is_int(value: Any) -> TypeGuard[int]:
    """Whether ``value`` is an int and not a bool (``True`` is an int to Python).

    >>> is_int(3), is_int(True), is_int(3.0)
    (True, False, False)
    """
    return isinstance(value, int) and not isinstance(value, bool)


def require_int(
    field: str, value: Any, *, min_value: int | None = None, max_value: int | None = None
) -> int:
    """Return ``value`` if it is an int (never a bool) within the bounds given.

    >>> require_int("cap", True)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: cap must be an integer, got True
    """
    if not is_int(value):
        raise ValidationError(field, value, "must be an integer")
    if min_value is not None and value < min_value:
        raise ValidationError(field, value, f"must be >= {min_value}")
    if max_value is not None and value > max_value:
        raise ValidationError(field, value, f"must be <= {max_value}")
    return value


def require_bool(field: str, value: Any, *, rule: str = "must be True or False") -> bool:
    """Return ``value`` if it is ``True`` or ``False`` (never 0, 1 or "yes").

    >>> require_bool("granted", 1)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: granted must be True or False, got 1
    """
    if not isinstance(value, bool):
        raise ValidationError(field, value, rule)
    return value


def require_instance(field: str, value: Any, cls: type[T], *, rule: str | None = None) -> T:
    """Return ``value`` if it is a ``cls``; the rule defaults to "must be a(n) <cls>".

    >>> require_instance("policy", None, ValidationError)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: policy must be a ValidationError, got None
    """
    if not isinstance(value, cls):
        raise ValidationError(field, value, rule or f"must be {a_or_an(cls.__name__)}")
    return value


def require_iterable(
    field: str, value: Any, *, rule: str, refuse: tuple[type, ...] = NOT_A_COLLECTION
) -> Iterable[Any]:
    """Return ``value`` if it is an iterable of items: not a str, bytes or mapping.

    ``refuse`` lists the iterable types that are still refused (a str would
    iterate its characters, a mapping its keys).

    >>> require_iterable("events", {"a": 1}, rule="must be an iterable of events")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: events must be an iterable of events, got {'a': 1}
    """
    if isinstance(value, refuse) or not isinstance(value, Iterable):
        raise ValidationError(field, value, rule)
    return value


def iter_instances(
    field: str,
    value: Any,
    cls: type[T],
    *,
    rule: str | None = None,
    item_rule: str | None = None,
    refuse: tuple[type, ...] = NOT_A_COLLECTION,
) -> Iterator[T]:
    """Check ``value`` is an iterable (now), then yield its items, each checked to be a ``cls``.

    The iterable is refused as by :func:`require_iterable` with ``rule``
    (default "must be an iterable of <cls>"); item ``i`` that is not a ``cls``
    is refused as ``field[i]`` with ``item_rule`` (default "must be a(n) <cls>")
    when the iteration reaches it, so a long stream is never copied.

    >>> list(iter_instances("numbers", [1, "2"], int))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: numbers[1] must be an int, got '2'
    """
    rule = rule or f"must be an iterable of {cls.__name__}"
    items = require_iterable(field, value, rule=rule, refuse=refuse)
    return _each_instance(field, items, cls, item_rule or f"must be {a_or_an(cls.__name__)}")


def _each_instance(field: str, items: Iterable[Any], cls: type[T], rule: str) -> Iterator[T]:
    for i, item in enumerate(items):
        if not isinstance(item, cls):
            raise ValidationError(f"{field}[{i}]", item, rule)
        yield item


def require_instances(
    field: str,
    value: Any,
    cls: type[T],
    *,
    rule: str | None = None,
    item_rule: str | None = None,
) -> list[T]:
    """The items of ``value`` as a list, checked as by :func:`iter_instances`.

    >>> require_instances("numbers", (3, 1), int)
    [3, 1]
    """
    return list(iter_instances(field, value, cls, rule=rule, item_rule=item_rule))


def require_tuple_of(field: str, value: Any, cls: type[T], *, rule: str) -> tuple[T, ...]:
    """Return ``value`` if it is a non-empty tuple of ``cls``; item ``i`` is named ``field[i]``.

    >>> require_tuple_of("tallies", (), int, rule="must be a non-empty tuple of int")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: tallies must be a non-empty tuple of int, got ()
    """
    if not isinstance(value, tuple) or not value:
        raise ValidationError(field, value, rule)
    for i, item in enumerate(value):
        if not isinstance(item, cls):
            raise ValidationError(f"{field}[{i}]", item, f"must be {a_or_an(cls.__name__)}")
    return value


def iter_pairs(field: str, value: Any, *, rule: str) -> Iterator[tuple[Any, Any]]:
    """The ``(key, value)`` pairs of a mapping, or of a tuple or list of 2-item pairs.

    Anything else is refused now with ``rule``; a malformed pair is refused
    (naming the whole ``value``) when the iteration reaches it.

    >>> list(iter_pairs("counts", [("a", 1), ["b", 2]], rule="must map names to counts"))
    [('a', 1), ('b', 2)]
    >>> list(iter_pairs("counts", [("a", 1, 2)], rule="must map names to counts"))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: counts must map names to counts, got [('a', 1, 2)]
    """
    if isinstance(value, Mapping):
        return iter(value.items())
    if isinstance(value, tuple | list):
        return _each_pair(field, value, rule)
    raise ValidationError(field, value, rule)


def _each_pair(field: str, value: tuple[Any, ...] | list[Any], rule: str) -> Iterator[Any]:
    for pair in value:
        if not isinstance(pair, tuple | list) or len(pair) != 2:
            raise ValidationError(field, value, rule)
        yield tuple(pair)


def build_trusted(cls: type[T], /, **fields: Any) -> T:
    """Build a frozen attrs value from fields that are valid by construction.

    No validator or converter runs, so the caller promises every field is what
    the constructor would accept (the property tests of each caller rebuild its
    results through the validating constructor). Use it only where validating
    again costs more than the rule itself, in bulk results.

    >>> @attrs.frozen
    ... class Box:
    ...     size: int = attrs.field(validator=integer(min_value=1))
    >>> build_trusted(Box, size=3)
    Box(size=3)
    """
    obj = _new(cls)
    for name, value in fields.items():
        _set(obj, name, value)
    return obj


_new = object.__new__
_set = object.__setattr__


def require_aware(field: str, value: Any) -> datetime:
    """Return ``value`` if it is a timezone-aware datetime, else raise."""
    if not isinstance(value, datetime):
        raise ValidationError(field, value, "must be a timezone-aware datetime")
    if value.tzinfo is None or value.tzinfo.utcoffset(value) is None:
        raise ValidationError(field, value, "must be timezone-aware")
    return value


def require_utc(field: str, value: Any) -> datetime:
    """An aware datetime, converted to UTC; a ValidationError naming ``field`` otherwise.

    >>> from datetime import timedelta, timezone
    >>> require_utc("at", datetime(2026, 5, 10, 12, tzinfo=timezone(timedelta(hours=-3))))
    datetime.datetime(2026, 5, 10, 15, 0, tzinfo=datetime.timezone.utc)
    """
    aware = require_aware(field, value)
    try:
        return aware.astimezone(UTC)
    except OverflowError:
        raise ValidationError(
            field, value, "must be an instant between years 1 and 9999 in UTC"
        ) from None


def require_positive_timedelta(field: str, value: Any) -> timedelta:
    """Return ``value`` if it is a :class:`~datetime.timedelta` above zero.

    >>> require_positive_timedelta("ttl", timedelta(0))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: ttl must be a positive timedelta, got datetime.timedelta(0)
    """
    if not isinstance(value, timedelta) or value <= timedelta(0):
        raise ValidationError(field, value, "must be a positive timedelta")
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
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def require_str(field: str, value: Any) -> str:
    """Return ``value`` if it is a str (any str: see :func:`require_text` for names and ids).

    >>> require_str("code", b"V01")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: code must be a string, got b'V01'
    """
    if not isinstance(value, str):
        raise ValidationError(field, value, "must be a string")
    return value


def require_text(field: str, value: Any, *, max_length: int = 200, multiline: bool = False) -> str:
    """Return ``value`` if it is a non-blank str without control characters.

    With ``multiline``, line breaks (``\\n``, ``\\r``) and tabs are allowed:
    free text a person types, such as a seller's note.

    >>> require_text("note", "Ligar\\namanhã", multiline=True)
    'Ligar\\namanhã'
    >>> require_text("name", "Ana\\nMaria")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: name must not contain control characters, got 'Ana\\nMaria'
    """
    checked = require_str(field, value)
    if not checked.strip():
        raise ValidationError(field, checked, "must not be empty")
    if len(checked) > max_length:
        raise ValidationError(field, checked, f"must be at most {max_length} characters")
    if (_CONTROL_BUT_LINES if multiline else _CONTROL).search(checked):
        raise ValidationError(field, checked, "must not contain control characters")
    return checked


def require_enum(field: str, value: Any, enum_type: type[E]) -> E:
    """Return ``value`` if it is a member of ``enum_type``."""
    if not isinstance(value, enum_type):
        allowed = ", ".join(repr(m.value) for m in enum_type)
        raise ValidationError(field, value, f"must be a {enum_type.__name__} ({allowed})")
    return value


def require_enum_set(field: str, value: Any, enum_type: type[E]) -> frozenset[E]:
    """A non-empty collection of ``enum_type`` members, as a frozenset.

    A str, bytes, a mapping and a single member (a :class:`enum.Flag` member
    iterates its flags) are refused, not iterated: ``{Role.BRAND_ADMIN: False}``
    must not grant its keys.

    >>> class Role(enum.Enum):
    ...     ADMIN = "admin"
    >>> require_enum_set("roles", [Role.ADMIN, Role.ADMIN], Role)
    frozenset({<Role.ADMIN: 'admin'>})
    >>> require_enum_set("roles", {Role.ADMIN: False}, Role)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: roles must be a set of Role, got {<Role.ADMIN: 'admin'>: False}
    """
    rule = f"must be a set of {enum_type.__name__}"
    refuse = (str, bytes, Mapping, enum.Enum)
    items = list(require_iterable(field, value, rule=rule, refuse=refuse))
    if not items:
        raise ValidationError(field, value, "must not be empty")
    for member in items:  # each is checked before hashing: a list item must not escape as TypeError
        require_enum(field, member, enum_type)
    return frozenset(items)


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


def list_to_tuple(value: Any) -> Any:
    """attrs converter: a list becomes a tuple; anything else is left for the validator.

    >>> list_to_tuple([1, 2]), list_to_tuple("ab")
    ((1, 2), 'ab')
    """
    return tuple(value) if isinstance(value, list) else value


def boolean(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    require_bool(_field(instance, attribute), value)


def boolean_with_rule(rule: str) -> Validator:
    """A :func:`boolean` validator whose error says ``rule`` (e.g. "must be a bool")."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        require_bool(_field(instance, attribute), value, rule=rule)

    return check


def text(max_length: int = 200, *, multiline: bool = False) -> Validator:
    """attrs validator: :func:`require_text` naming ``Class.attribute``.

    A plain ``str`` that passes every rule is let through at once; anything
    else goes to :func:`require_text`, which raises its exact error.

    >>> @attrs.frozen
    ... class Tag:
    ...     name: str = attrs.field(validator=text(5))
    >>> Tag("ok").name
    'ok'
    >>> Tag("too long")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Tag.name must be at most 5 characters, got 'too long'
    """
    control = (_CONTROL_BUT_LINES if multiline else _CONTROL).search

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if (
            type(value) is str
            and value
            and len(value) <= max_length
            and not value.isspace()
            and control(value) is None
        ):
            return
        field = _field(instance, attribute)
        require_text(field, value, max_length=max_length, multiline=multiline)

    return check


def optional_text(max_length: int = 200, *, multiline: bool = False) -> Validator:
    """:func:`text` that also accepts ``None``."""
    required = text(max_length, multiline=multiline)

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            required(instance, attribute, value)

    return check


def _to_utc(value: Any, self_: Any, field: attrs.Attribute[Any]) -> Any:
    if type(value) is datetime and value.tzinfo is UTC:
        return value  # what astimezone(UTC) returns for it: the same object
    if value is None and field.default is None:
        return None
    return require_utc(_field(self_, field), value)


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
    if type(value) is Decimal and value.is_finite() and value >= 0:
        exponent = value.as_tuple().exponent
        if isinstance(exponent, int) and exponent >= -2:
            return
    require_money(_field(instance, attribute), value)


def member_of(enum_type: type[E]) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, enum_type):
            require_enum(_field(instance, attribute), value, enum_type)

    return check


def integer(*, min_value: int | None = None, max_value: int | None = None) -> Validator:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        require_int(_field(instance, attribute), value, min_value=min_value, max_value=max_value)

    return check


def optional_integer(*, min_value: int | None = None, max_value: int | None = None) -> Validator:
    """:func:`integer` that also accepts ``None``."""
    check = integer(min_value=min_value, max_value=max_value)

    def optional(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None:
            check(instance, attribute, value)

    return optional


def time_zone(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    zone(_field(instance, attribute), value)


def instance_of(cls: type) -> Validator:
    """Like ``attrs.validators.instance_of``, but a ValidationError naming the field."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not isinstance(value, cls):
            raise ValidationError(_field(instance, attribute), value, f"must be a {cls.__name__}")

    return check


def optional_instance_of(cls: type, *, hint: str = "") -> Validator:
    """:func:`instance_of` that also accepts ``None``; ``hint`` ends the rule (" (build ...)")."""

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value is not None and not isinstance(value, cls):
            rule = f"must be a {cls.__name__} or None{hint}"
            raise ValidationError(_field(instance, attribute), value, rule)

    return check


_LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
BASE_URL_RULE = (
    "must be an https:// address (http:// only for localhost or 127.0.0.1), "
    "without user, query or fragment"
)
"""What a brand's base address (the start of every link otocore builds) must be."""


def require_base_url(field: str, value: Any) -> str:
    """Check a brand's base address: ``https://`` (``http://`` only on this machine), a host,
    no user, query or fragment, a valid port if any.

    Links otocore sends (account links, share links, export links) start with it,
    so it comes from configuration, never from a request.

    >>> require_base_url("app_url", "https://app.example.com/oto")
    'https://app.example.com/oto'
    >>> require_base_url("app_url", "http://app.example.com")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: app_url must be an https:// address (http:// only for localhost or 127.0.0.1), without user, query or fragment, got 'http://app.example.com'
    """
    text = require_text(field, value, max_length=2000)
    if " " in text:
        raise ValidationError(field, value, BASE_URL_RULE)
    try:
        parts = urllib.parse.urlsplit(text)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError:
        raise ValidationError(field, value, BASE_URL_RULE) from None
    if parts.query or parts.fragment or "@" in parts.netloc or not host:
        raise ValidationError(field, value, BASE_URL_RULE)
    if parts.scheme == "https" or (parts.scheme == "http" and host in _LOCAL_HOSTS):
        return text
    raise ValidationError(field, value, BASE_URL_RULE)
