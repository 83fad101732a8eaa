"""Rebuilding stored values without running their validators: for the stores only.

Private, and used only by :mod:`otocore.adapters` (an import-linter contract
and tests/unit/test_trusted.py fail if anything else imports it). A value read
back from a store was validated when it was written, so checking it again on
every read (email-validator, phonenumbers, the CPF check digits, every text
rule) only repeats work: :func:`rebuild` builds the frozen attrs instance from
its fields directly, as attrs' own ``__init__`` would after its validators
passed. What the database cannot guarantee (a stored text that must be an enum
member, JSON of the right shape) the adapters still check before calling it.

tests/property/test_trusted.py writes every kind of valid value to each store
and reads it back through this path: equal values, which the validators accept.

>>> import attrs
>>> @attrs.frozen
... class Box:
...     size: int = attrs.field(validator=attrs.validators.gt(0))
>>> rebuild(Box, size=3)
Box(size=3)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

import attrs

__all__ = ["rebuild", "rebuilder"]

T = TypeVar("T")

_FIELDS: dict[type, frozenset[str]] = {}
_new = object.__new__
_set = object.__setattr__


def rebuild(cls: type[T], /, **fields: Any) -> T:
    """An instance of the frozen attrs class ``cls`` holding ``fields``, unchecked.

    Every attribute must be given (a missing one would leave the instance
    half-built, so it is a ``TypeError``, as attrs' ``__init__`` raises);
    converters and validators do not run: the caller promises the fields are
    what the validating constructor would have stored.

    Raises:
        TypeError: ``fields`` does not name exactly the attributes of ``cls``.

    >>> import attrs
    >>> @attrs.frozen
    ... class Pair:
    ...     a: int
    ...     b: int = 0
    >>> rebuild(Pair, a=1)
    Traceback (most recent call last):
    ...
    TypeError: rebuild(Pair) needs exactly its attributes ['a', 'b'], got ['a']
    """
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = frozenset(a.name for a in attrs.fields(cast(Any, cls)))
    if len(fields) != len(names) or not names.issuperset(fields):
        raise TypeError(
            f"rebuild({cls.__name__}) needs exactly its attributes {sorted(names)},"
            f" got {sorted(fields)}"
        )
    obj = _new(cls)
    for name, value in fields.items():
        _set(obj, name, value)
    return obj


def rebuilder(cls: type[T], names: tuple[str, ...], /) -> Callable[..., T]:
    """A fast :func:`rebuild` of ``cls`` taking its attributes positionally, in ``names``' order.

    For the stores' bulk reads (an export reads a whole base): the names are
    checked once, here, not on every call.

    Raises:
        TypeError: ``names`` is not exactly the attributes of ``cls``.

    >>> import attrs
    >>> @attrs.frozen
    ... class Pair:
    ...     a: int
    ...     b: int = 0
    >>> rebuilder(Pair, ("b", "a"))(2, 1)
    Pair(a=1, b=2)
    """
    rebuild(cls, **dict.fromkeys(names))  # the same check of the names, once
    setters = tuple(names)

    def build(*values: Any) -> T:
        obj = _new(cls)
        for name, value in zip(setters, values, strict=True):
            _set(obj, name, value)
        return obj

    return build
