"""The JSON form of filters: a tagged union of one-key objects. Private.

:func:`parse` reads parsed JSON into a filter and collects every fault with a
path relative to the filter's root (``""`` for the root itself,
``".all[2].age_between.min"`` below it); the public functions put the root's
name in front. :func:`dump` writes the JSON form.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import Any

import attrs

from otocore import filters
from otocore._filters_fields import codec
from otocore.errors import ValidationError

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ONE_KEY = (
    'must be a JSON object with one key naming the filter, such as {"has_purchases": {}} '
    'or {"all": [...]}'
)


@functools.cache
def tags() -> dict[str, type[filters.Filter]]:
    """Every node class by its JSON key."""
    classes: list[type[filters.Filter]] = [
        filters.AllOf,
        filters.AnyOf,
        filters.Not,
        filters.SegmentIn,
        filters.RScoreBetween,
        filters.FScoreBetween,
        filters.VScoreBetween,
        filters.RecencyBetween,
        filters.FrequencyBetween,
        filters.ValueBetween,
        filters.BirthdayWithin,
        filters.BirthdayInMonth,
        filters.NewCustomer,
        filters.LoyaltyProgram,
        filters.IncompleteRegistration,
        filters.StoreIn,
        filters.SexIn,
        filters.MaritalStatusIn,
        filters.AgeBetween,
        filters.HasPurchases,
        filters.BoughtOnline,
        filters.LastPurchaseBetween,
        filters.BoughtInNotIn,
        filters.PreferredStoreIn,
        filters.DaysSinceLastPurchase,
        filters.ConsentOn,
    ]
    return {cls._tag: cls for cls in classes}


def _fields(cls: type) -> tuple[attrs.Attribute[Any], ...]:
    found: tuple[attrs.Attribute[Any], ...] = attrs.fields(cls)
    return found


def _key_path(path: str, key: Any) -> str:
    if isinstance(key, str) and _IDENT.match(key):
        return f"{path}.{key}"
    return f"{path}[{key!r}]"


class _Parser:
    def __init__(self, grid_keys: frozenset[str] | None) -> None:
        self.grid_keys = grid_keys
        self.faults: list[ValidationError] = []

    def fault(self, path: str, value: Any, rule: str) -> None:
        self.faults.append(ValidationError(path, value, rule))

    def node(self, data: Any, path: str, depth: int) -> filters.Filter | None:
        if depth > filters.MAX_DEPTH:
            self.fault(path, _NESTED, f"must not nest deeper than {filters.MAX_DEPTH} levels")
            return None
        if not isinstance(data, dict):
            self.fault(path, data, _ONE_KEY)
            return None
        if len(data) != 1:
            if not data:
                self.fault(path, data, _ONE_KEY)
                return None
            keys = sorted(map(str, data))
            self.fault(
                path,
                keys,
                'must have exactly one key; combine filters with {"all": [...]} or {"any": [...]}',
            )
            for key, value in data.items():
                self.entry(key, value, path, depth)
            return None
        ((key, value),) = data.items()
        return self.entry(key, value, path, depth)

    def entry(self, key: Any, value: Any, path: str, depth: int) -> filters.Filter | None:
        here = _key_path(path, key)
        cls = tags().get(key) if isinstance(key, str) else None
        if cls is None:
            self.fault(here, value, f"is not a known filter{_suggest(key)}")
            return None
        if key == "not":
            child = self.node(value, here, depth + 1)
            return None if child is None else filters.Not(child)
        if key in ("all", "any"):
            return self.combination(cls, value, here, depth)
        if getattr(cls, "_shape", "object") == "list":
            return self.list_node(cls, value, here)
        return self.object_node(cls, value, here)

    def combination(
        self, cls: type[filters.Filter], value: Any, path: str, depth: int
    ) -> filters.Filter | None:
        if not isinstance(value, list):
            self.fault(path, value, "must be a JSON array of filters")
            return None
        children = [self.node(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
        if any(child is None for child in children):
            return None
        node: filters.Filter = cls(children)
        return node

    def list_node(self, cls: type[filters.Filter], value: Any, path: str) -> filters.Filter | None:
        (field,) = _fields(cls)
        loaded = self.load(cls, field, value, path)
        if loaded is _BAD:
            return None
        if cls is filters.SegmentIn and self.grid_keys is not None:
            bad = False
            for i, key in enumerate(loaded):
                if key not in self.grid_keys:
                    bad = True
                    known = ", ".join(sorted(self.grid_keys))
                    self.fault(f"{path}[{i}]", key, f"must be a segment of the grid ({known})")
            if bad:
                return None
        return self.build(cls, {field.name: loaded}, path, list_field=field.name)

    def object_node(
        self, cls: type[filters.Filter], value: Any, path: str
    ) -> filters.Filter | None:
        fields = _fields(cls)
        names = [f.name for f in fields]
        if not isinstance(value, dict):
            expected = ", ".join(names) if names else "none"
            self.fault(
                path, value, f"must be a JSON object of the filter's parameters ({expected})"
            )
            return None
        before = len(self.faults)
        for key in value:
            if key not in names:
                expected = ", ".join(names) if names else "none"
                self.fault(
                    _key_path(path, key),
                    value[key],
                    f"is not a parameter of {cls._tag} (expected: {expected})",
                )
        kwargs: dict[str, Any] = {}
        for field in fields:
            here = f"{path}.{field.name}"
            if field.name not in value:
                if field.default is attrs.NOTHING:
                    self.fault(here, _MISSING, "is required")
                continue
            raw = value[field.name]
            if raw is None and field.default is None:
                continue
            loaded = self.load(cls, field, raw, here)
            if loaded is not _BAD:
                kwargs[field.name] = loaded
        if len(self.faults) > before:
            return None
        return self.build(cls, kwargs, path, list_field=None)

    def load(self, cls: type, field: attrs.Attribute[Any], raw: Any, path: str) -> Any:
        rules = codec(field)
        try:
            loaded = rules.load(raw)
        except ValidationError as exc:
            self.faults.extend(ValidationError(path + e.field, e.value, e.rule) for e in exc.errors)
            return _BAD
        try:
            rules.check(path, loaded, cls)
        except ValidationError as exc:
            # report what the JSON said ([] rather than (), '1.555' rather than Decimal)
            self.faults.extend(
                ValidationError(e.field, raw if e.value is loaded else e.value, e.rule)
                for e in exc.errors
            )
            return _BAD
        return loaded

    def build(
        self,
        cls: type[filters.Filter],
        kwargs: dict[str, Any],
        path: str,
        *,
        list_field: str | None,
    ) -> filters.Filter | None:
        """Construct the node; a rule across parameters (min <= max) is a fault too."""
        try:
            node: filters.Filter = cls(**kwargs)
        except ValidationError as exc:
            for e in exc.errors:
                rel = e.field.split(".", 1)[1] if "." in e.field else ""
                if list_field is not None and rel.startswith(list_field):
                    self.fault(path + rel[len(list_field) :], e.value, e.rule)
                else:
                    self.fault(f"{path}.{rel}" if rel else path, e.value, e.rule)
            return None
        return node


_BAD: Any = type("_Bad", (), {})()
_NESTED = type("_Nested", (), {"__repr__": lambda self: "<nested filter>"})()
_MISSING = type("_Missing", (), {"__repr__": lambda self: "<missing>"})()


def _suggest(key: Any) -> str:
    if not isinstance(key, str):
        return ""
    close = difflib.get_close_matches(key, list(tags()), n=1)
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (expected one of: {', '.join(sorted(tags()))})"


def parse(
    data: Any, grid_keys: frozenset[str] | None
) -> tuple[filters.Filter | None, list[ValidationError]]:
    """Read ``data``; return the filter (``None`` on faults) and the faults, paths relative."""
    parser = _Parser(grid_keys)
    node = parser.node(data, "", 1)
    return node, parser.faults


def dump(node: filters.Filter) -> dict[str, Any]:
    """The JSON form of ``node``."""
    if isinstance(node, filters.AllOf | filters.AnyOf):
        return {node._tag: [dump(child) for child in node.filters]}
    if isinstance(node, filters.Not):
        return {"not": dump(node.filter)}
    cls = type(node)
    if tags().get(cls._tag) is not cls:
        raise ValidationError("filter", node, "must be a filter (a node of otocore.filters)")
    fields = _fields(cls)
    if getattr(cls, "_shape", "object") == "list":
        (field,) = fields
        out: Any = codec(field).dump(getattr(node, field.name))
        return {cls._tag: out}
    params: dict[str, Any] = {}
    for field in fields:
        value = getattr(node, field.name)
        if value is not None:
            params[field.name] = codec(field).dump(value)
    return {cls._tag: params}
