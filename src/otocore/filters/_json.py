"""The JSON form of filters: a tagged union of one-key objects. Private.

:func:`parse` reads parsed JSON into a filter and collects every fault with a
path relative to the filter's root (``""`` for the root itself,
``".all[2].age_between.min"`` below it); :func:`parse_filter` and
:func:`check_segments` put the root's name in front. :func:`dump` writes the
JSON form (:func:`filter_to_data`). The node modules never import this one:
only the package's ``__init__`` sees both.
"""

from __future__ import annotations

import difflib
import functools
import re
from typing import Any

import attrs

from otocore.errors import ValidationError
from otocore.filters import _predicates as p
from otocore.filters._fields import codec
from otocore.filters._tree import MAX_DEPTH, AllOf, AnyOf, Filter, Not
from otocore.rfv import SegmentGrid

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_ONE_KEY = (
    'must be a JSON object with one key naming the filter, such as {"has_purchases": {}} '
    'or {"all": [...]}'
)


@functools.cache
def tags() -> dict[str, type[Filter]]:
    """Every node class by its JSON key."""
    classes: list[type[Filter]] = [
        AllOf,
        AnyOf,
        Not,
        p.SegmentIn,
        p.RScoreBetween,
        p.FScoreBetween,
        p.VScoreBetween,
        p.RecencyBetween,
        p.FrequencyBetween,
        p.ValueBetween,
        p.BirthdayWithin,
        p.BirthdayInMonth,
        p.NewCustomer,
        p.LoyaltyProgram,
        p.IncompleteRegistration,
        p.StoreIn,
        p.SexIn,
        p.MaritalStatusIn,
        p.AgeBetween,
        p.HasPurchases,
        p.BoughtOnline,
        p.LastPurchaseBetween,
        p.BoughtInNotIn,
        p.PreferredStoreIn,
        p.DaysSinceLastPurchase,
        p.ConsentOn,
        p.StoreVisitsBetween,
        p.PurchaseFrequencyIn,
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

    def node(self, data: Any, path: str, depth: int) -> Filter | None:
        if depth > MAX_DEPTH:
            self.fault(path, _NESTED, f"must not nest deeper than {MAX_DEPTH} levels")
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

    def entry(self, key: Any, value: Any, path: str, depth: int) -> Filter | None:
        here = _key_path(path, key)
        cls = tags().get(key) if isinstance(key, str) else None
        if cls is None:
            self.fault(here, value, f"is not a known filter{_suggest(key)}")
            return None
        if key == "not":
            child = self.node(value, here, depth + 1)
            return None if child is None else Not(child)
        if key in ("all", "any"):
            return self.combination(cls, value, here, depth)
        if cls._shape == "list":
            return self.list_node(cls, value, here)
        return self.object_node(cls, value, here)

    def combination(self, cls: type[Filter], value: Any, path: str, depth: int) -> Filter | None:
        if not isinstance(value, list):
            self.fault(path, value, "must be a JSON array of filters")
            return None
        children = [self.node(item, f"{path}[{i}]", depth + 1) for i, item in enumerate(value)]
        if any(child is None for child in children):
            return None
        node: Filter = cls(children)
        return node

    def list_node(self, cls: type[Filter], value: Any, path: str) -> Filter | None:
        (field,) = _fields(cls)
        loaded = self.load(cls, field, value, path)
        if loaded is _BAD:
            return None
        if cls is p.SegmentIn and self.grid_keys is not None:
            # a fault makes the whole parse fail, so the node is built all the same
            for i, key in enumerate(loaded):
                if key not in self.grid_keys:
                    known = ", ".join(sorted(self.grid_keys))
                    self.fault(f"{path}[{i}]", key, f"must be a segment of the grid ({known})")
        # the items passed the load and the check, which are the constructor's own
        return self.build(cls, {field.name: loaded}, path)

    def object_node(self, cls: type[Filter], value: Any, path: str) -> Filter | None:
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
        return self.build(cls, kwargs, path)

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
        cls: type[Filter],
        kwargs: dict[str, Any],
        path: str,
    ) -> Filter | None:
        """Construct the node; a rule across parameters (min <= max) is a fault too."""
        try:
            node: Filter = cls(**kwargs)
        except ValidationError as exc:
            for e in exc.errors:
                rel = e.field.split(".", 1)[1] if "." in e.field else ""
                self.fault(f"{path}.{rel}" if rel else path, e.value, e.rule)
            return None
        return node


_BAD: Any = type("_Bad", (), {})()
_NESTED = type("_Nested", (), {"__repr__": lambda self: "<nested filter>"})()
_MISSING = type("_Missing", (), {"__repr__": lambda self: "<missing>"})()


def _suggest(key: Any) -> str:
    if not isinstance(key, str):
        return ""
    close = difflib.get_close_matches(key, list(tags()))  # best first
    if close:
        return f" (did you mean {close[0]!r}?)"
    return f" (expected one of: {', '.join(sorted(tags()))})"


def parse(
    data: Any, grid_keys: frozenset[str] | None
) -> tuple[Filter | None, list[ValidationError]]:
    """Read ``data``; return the filter (``None`` on faults) and the faults, paths relative."""
    parser = _Parser(grid_keys)
    node = parser.node(data, "", 1)
    return node, parser.faults


def dump(node: Filter) -> dict[str, Any]:
    """The JSON form of ``node``."""
    if isinstance(node, AllOf | AnyOf):
        return {node._tag: [dump(child) for child in node.filters]}
    if isinstance(node, Not):
        return {"not": dump(node.filter)}
    cls = type(node)
    if tags().get(cls._tag) is not cls:
        raise ValidationError("filter", node, "must be a filter (a node of otocore.filters)")
    fields = _fields(cls)
    if cls._shape == "list":
        (field,) = fields
        out: Any = codec(field).dump(getattr(node, field.name))
        return {cls._tag: out}
    params: dict[str, Any] = {}
    for field in fields:
        value = getattr(node, field.name)
        if value is not None:
            params[field.name] = codec(field).dump(value)
    return {cls._tag: params}


def parse_filter(data: Any, *, path: str = "filter", grid: SegmentGrid | None = None) -> Filter:
    """Read a filter from its JSON form (parsed JSON: dicts, lists, strings, numbers).

    Every fault is reported at once, each named by its JSON path from
    ``path`` (``audience.all[2].age_between.min``).

    Args:
        data: the JSON value.
        path: the name of the root in fault paths (``"$"`` when empty).
        grid: when given, every ``segment_in`` key must be a segment of it.

    Returns:
        The :class:`Filter`.

    Raises:
        ValidationError: the filter is malformed; ``errors`` lists every fault.

    >>> parse_filter({"not": {"segment_in": ["champions"]}})
    Not(filter=SegmentIn(segments=('champions',)))
    >>> from otocore.rfv import default_grid
    >>> parse_filter({"segment_in": ["champions", "vips"]}, path="audience", grid=default_grid())
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: audience.segment_in[1] must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating, loyal_customers, need_attention, new_customers, potential_loyalists, promising), got 'vips'
    """
    if not isinstance(path, str):
        raise ValidationError("path", path, "must be a string")
    keys = _grid_keys(grid)
    node, faults = parse(data, keys)
    if faults:
        root = path or "$"
        raise ValidationError.collect([_rooted(root, e) for e in faults])
    assert node is not None  # noqa: S101 - no faults means a node
    return node


def _rooted(root: str, fault: ValidationError) -> ValidationError:
    rel = fault.field
    if rel.startswith(".") and root == "$":
        return ValidationError(rel[1:], fault.value, fault.rule)
    return ValidationError(root + rel, fault.value, fault.rule)


def _grid_keys(grid: Any) -> frozenset[str] | None:
    if grid is None:
        return None
    if not isinstance(grid, SegmentGrid):
        raise ValidationError("grid", grid, "must be an otocore.rfv.SegmentGrid or None")
    return frozenset(s.key for s in grid.segments)


def filter_to_data(filter: Filter) -> dict[str, Any]:
    """Write a filter in its JSON form (dicts, lists, strings and integers only).

    Sets are written sorted and optional parameters left out when unset, so
    the output is the same on every run and ``parse_filter`` reads it back
    to an equal filter.

    >>> from otocore.filters import DaysSinceLastPurchase, SegmentIn
    >>> filter_to_data(AnyOf([SegmentIn(["at_risk"]), DaysSinceLastPurchase.exactly(30)]))
    {'any': [{'segment_in': ['at_risk']}, {'days_since_last_purchase': {'min': 30, 'max': 30}}]}
    """
    if not isinstance(filter, Filter):
        raise ValidationError("filter", filter, "must be a filter (a node of otocore.filters)")
    return dump(filter)


def check_segments(filter: Filter, grid: SegmentGrid, *, path: str = "filter") -> None:
    """Check that every ``segment_in`` key of ``filter`` is a segment of ``grid``.

    Paths name positions in :func:`filter_to_data`'s output (keys sorted).

    Raises:
        ValidationError: every unknown key, each with its path.

    >>> from otocore.filters import SegmentIn
    >>> from otocore.rfv import default_grid
    >>> check_segments(AllOf([SegmentIn(["champions"])]), default_grid())
    >>> check_segments(AllOf([Not(SegmentIn(["vip"]))]), default_grid())
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: filter.all[0].not.segment_in[0] must be a segment of the grid (about_to_sleep, at_risk, cant_lose, champions, hibernating, loyal_customers, need_attention, new_customers, potential_loyalists, promising), got 'vip'
    """
    if not isinstance(filter, Filter):
        raise ValidationError("filter", filter, "must be a filter (a node of otocore.filters)")
    keys = _grid_keys(grid)
    if keys is None:
        raise ValidationError("grid", grid, "must be an otocore.rfv.SegmentGrid")
    _, faults = parse(filter_to_data(filter), keys)
    if faults:
        root = path or "$"
        raise ValidationError.collect([_rooted(root, e) for e in faults])
