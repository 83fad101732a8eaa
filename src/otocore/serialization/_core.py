"""The converter class and the fault helpers every hook module shares. Private.

:class:`OtocoreConverter` turns every fault cattrs finds into one
:class:`~otocore.errors.ValidationError` naming each bad field by its path
(:func:`faults` does the walking; hook modules that run a generated function
themselves use it too).

It also installs the hooks of an area of the model (the types of
:mod:`otocore.rfv`, of :mod:`otocore.customers`, ...) only when a type of that
area is first seen, so structuring a :class:`~otocore.rfv.SegmentGrid` never
imports the account rules. A hook you register yourself always wins over
otocore's: registering first installs every area still pending.
"""

from __future__ import annotations

import json
import threading
import typing
from collections.abc import Callable, Iterator
from typing import Any

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)

from otocore.errors import OtocoreError, ValidationError

Installer = Callable[[cattrs.Converter], None]
"""Installs the hooks of one area on a converter."""

MISSING: Any = type("_Missing", (), {"__repr__": lambda self: "<missing>"})()
"""Stands for a field absent from the input (shown as ``<missing>``)."""


class OtocoreConverter(cattrs.Converter):
    """A cattrs converter whose ``structure`` raises only otocore errors.

    Every fault found while structuring is reported, each with its path.
    Build one with :func:`otocore.serialization.make_converter`.

    >>> from otocore.serialization import make_converter
    >>> from otocore.sellers import Store
    >>> conv = make_converter()
    >>> conv.structure({"store_id": "L1"}, Store)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Store.name is required, got <missing>
    >>> conv.loads('{"store_id": "L1", "name": "Centro"}', Store)
    Store(store_id='L1', name='Centro', city=None, state=None)
    >>> conv.dumps(Store(store_id="L1", name="Centro"))
    '{"store_id": "L1", "name": "Centro", "city": null, "state": null}'
    """

    def structure(self, obj: Any, cl: Any) -> Any:
        """Structure ``obj`` into ``cl``; any fault is a ValidationError."""
        root = getattr(cl, "__name__", "") if attrs.has(cl) else ""
        try:
            return super().structure(obj, cl)
        except OtocoreError as exc:
            if isinstance(exc, ValidationError):
                raise reroot(exc, root) from None
            raise
        except Exception as exc:  # noqa: BLE001 - every fault becomes a typed error
            raise ValidationError.collect(faults(exc, root, obj)) from None

    def loads(self, text: str | bytes | bytearray, cl: Any) -> Any:
        """Read JSON ``text`` into ``cl``; bad JSON or a bad value is a ValidationError."""
        root = getattr(cl, "__name__", "") if attrs.has(cl) else ""
        try:
            data = json.loads(text)
        except (ValueError, TypeError, RecursionError) as exc:
            raise ValidationError(root or "$", text, f"must be valid JSON ({exc})") from None
        return self.structure(data, cl)

    def dumps(self, obj: Any, *, unstructure_as: Any = None, indent: int | None = None) -> str:
        """Write ``obj`` as JSON text (UTF-8 characters kept as they are)."""
        data = self.unstructure(obj, unstructure_as=unstructure_as)
        return json.dumps(data, ensure_ascii=False, indent=indent)

    # lazy areas -------------------------------------------------------------------

    def copy(self, *args: Any, **kwargs: Any) -> Any:
        """A copy with every hook, otocore's pending areas installed first."""
        settle(self)
        return super().copy(*args, **kwargs)

    def register_structure_hook(self, *args: Any, **kwargs: Any) -> Any:
        """Register a structure hook (cattrs); it wins over otocore's own."""
        settle(self)
        return super().register_structure_hook(*args, **kwargs)

    def register_unstructure_hook(self, *args: Any, **kwargs: Any) -> Any:
        """Register an unstructure hook (cattrs); it wins over otocore's own."""
        settle(self)
        return super().register_unstructure_hook(*args, **kwargs)

    def register_structure_hook_func(self, *args: Any, **kwargs: Any) -> Any:
        """Register a structure hook for a predicate (cattrs); it wins over otocore's own."""
        settle(self)
        return super().register_structure_hook_func(*args, **kwargs)

    def register_unstructure_hook_func(self, *args: Any, **kwargs: Any) -> Any:
        """Register an unstructure hook for a predicate (cattrs); it wins over otocore's own."""
        settle(self)
        return super().register_unstructure_hook_func(*args, **kwargs)

    def register_structure_hook_factory(self, *args: Any, **kwargs: Any) -> Any:
        """Register a structure hook factory (cattrs); it wins over otocore's own."""
        settle(self)
        return super().register_structure_hook_factory(*args, **kwargs)

    def register_unstructure_hook_factory(self, *args: Any, **kwargs: Any) -> Any:
        """Register an unstructure hook factory (cattrs); it wins over otocore's own."""
        settle(self)
        return super().register_unstructure_hook_factory(*args, **kwargs)


# lazy areas --------------------------------------------------------------------------


@attrs.define
class _Areas:
    """The areas still to install on one converter, by the domain module they serve."""

    pending: dict[str, Installer]
    by_module: dict[str, tuple[str, ...]]
    lock: threading.RLock = attrs.field(factory=threading.RLock)
    installing: int = 0


_STATE = "_otocore_areas"


def install_lazily(
    conv: OtocoreConverter,
    installers: dict[str, Installer],
    by_module: dict[str, tuple[str, ...]],
) -> None:
    """Install each area of ``installers`` on ``conv`` when a type of it is first seen.

    ``by_module`` maps a domain module (``"otocore.rfv"``) to the areas whose
    hooks its types need; a type is of a module when its ``__module__`` is
    that module or inside it (``otocore.filters._nodes`` is of
    ``otocore.filters``).
    """
    state = _Areas(dict(installers), by_module)
    object.__setattr__(conv, _STATE, state)

    def wanted(t: Any) -> bool:
        return bool(state.pending) and any(a in state.pending for a in _areas_of(t, by_module))

    def install_then_dispatch_structure(t: Any) -> Any:
        _install(conv, state, _areas_of(t, by_module))
        return conv.get_structure_hook(t)

    def install_then_dispatch_unstructure(t: Any) -> Any:
        _install(conv, state, _areas_of(t, by_module))
        return conv.get_unstructure_hook(t)

    state.installing += 1  # registering the triggers must not install everything
    try:
        conv.register_structure_hook_factory(wanted, install_then_dispatch_structure)
        conv.register_unstructure_hook_factory(wanted, install_then_dispatch_unstructure)
    finally:
        state.installing -= 1


def settle(conv: cattrs.Converter) -> None:
    """Install every area still pending on ``conv`` (before a hook of the user's)."""
    state: _Areas | None = getattr(conv, _STATE, None)
    if state is None or state.installing or not state.pending:
        return
    _install(conv, state, tuple(state.pending))


def _install(conv: cattrs.Converter, state: _Areas, names: tuple[str, ...]) -> None:
    with state.lock:
        state.installing += 1
        try:
            for name in names:
                installer = state.pending.pop(name, None)
                if installer is not None:
                    installer(conv)
        finally:
            state.installing -= 1


def _areas_of(t: Any, by_module: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    found: list[str] = []
    for module in _modules_of(t, 0):
        parts = module.split(".")
        for end in range(len(parts), 1, -1):
            areas = by_module.get(".".join(parts[:end]))
            if areas is not None:
                found += [a for a in areas if a not in found]
                break
    return tuple(found)


def _modules_of(t: Any, depth: int) -> Iterator[str]:
    """The modules of ``t`` and of its type arguments (``Action | str``, ``list[Order]``)."""
    if depth > 8:
        return
    module = getattr(t, "__module__", None)
    if isinstance(module, str) and module.startswith("otocore."):
        yield module
    for arg in typing.get_args(t):
        yield from _modules_of(arg, depth + 1)


# faults ------------------------------------------------------------------------------


def reroot(exc: ValidationError, path: str) -> ValidationError:
    """Give a fault raised by a class constructor the path it was found at."""
    fixed = []
    for e in exc.errors:
        field = e.field
        if not field:
            # raised by a hook, which does not know where its value sits
            field = path or "$"
        elif path and (field == "$" or field.startswith("$[")):
            # a nested structure call named its own root "$": it sits at ``path``
            field = path + field[1:]
        elif path and "." in field:
            # "Order.total" raised by Order(...) found at "Batch.orders[2]"
            field = f"{path}.{field.split('.', 1)[1]}"
        fixed.append(ValidationError(field, e.value, e.rule))
    return ValidationError.collect(fixed)


def faults(exc: BaseException, path: str, obj: Any) -> list[ValidationError]:
    """Every fault in a cattrs exception (or group), each with its path from ``path``."""
    if isinstance(exc, ValidationError):
        return list(reroot(exc, path).errors)
    if isinstance(exc, IterableValidationError):
        out: list[ValidationError] = []
        with_indices, without_index = exc.group_exceptions()
        for sub, inote in with_indices:
            item = _index(obj, inote.index)
            out += faults(sub, f"{path}[{inote.index!r}]", item)
        for sub in without_index:
            out += faults(sub, path, obj)
        return out
    if isinstance(exc, ClassValidationError):
        out = []
        with_names, without = exc.group_exceptions()
        for sub, note in with_names:
            sub_path = f"{path}.{note.name}" if path else note.name
            value = obj.get(note.name, MISSING) if isinstance(obj, dict) else MISSING
            if isinstance(sub, KeyError) and value is MISSING:
                out.append(ValidationError(sub_path, MISSING, "is required"))
            else:
                out += faults(sub, sub_path, value)
        for sub in without:
            out += faults(sub, path, obj)
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
        return [f for sub in exc.exceptions for f in faults(sub, path, obj)]
    if isinstance(exc, KeyError | TypeError | AttributeError) and not isinstance(obj, dict):
        return [ValidationError(path or "$", obj, "must be a JSON object")]
    return [ValidationError(path or "$", obj, f"is malformed ({type(exc).__name__}: {exc})")]


def _index(obj: Any, index: Any) -> Any:
    try:
        return obj[index]
    except Exception:  # noqa: BLE001
        return MISSING
