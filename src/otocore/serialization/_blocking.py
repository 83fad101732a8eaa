"""cattrs hooks for the types of :mod:`otocore.blocking` Private.

A :class:`~otocore.blocking.BlockEvent`'s ``features`` travel as a JSON array of
the features' values sorted alphabetically (``["campaigns", "loyalty"]``); on
the way in the array must be non-empty, hold only known values (exactly: a
``"campaign"`` is refused with its index) and not repeat one. The CPF travels as
its 11 digits (the hooks of :mod:`otocore.customers`). A
:class:`~otocore.blocking.BlockList` travels as ``{"time_zone": ..., "events":
[...]}`` and is rebuilt with :meth:`~otocore.blocking.BlockList.from_events`.

The generated functions are built on first use, so that they see the hooks of
every module whatever the order in which the modules configured ``conv``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs
import cattrs
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from otocore.blocking import BlockEvent, BlockFeature, BlockList
from otocore.errors import ValidationError
from otocore.serialization._core import faults

_ARRAY = 'must be a non-empty JSON array of features such as ["campaigns"]'


@attrs.frozen
class _BlockListDocument:
    time_zone: str
    events: list[BlockEvent]


def _features_out(features: frozenset[BlockFeature]) -> list[str]:
    return sorted(f.value for f in features)


def configure(conv: cattrs.Converter) -> None:
    """Install the hooks this module's types need on ``conv``."""
    forbid = getattr(conv, "forbid_extra_keys", False)

    def features_in(value: Any, _: type) -> frozenset[BlockFeature]:
        if not isinstance(value, list) or not value:
            raise ValidationError("", value, _ARRAY)
        items: list[BlockFeature] = conv.get_structure_hook(list[BlockFeature])(
            value, list[BlockFeature]
        )
        if len(set(items)) != len(items):
            raise ValidationError("", value, "must not repeat a feature")
        return frozenset(items)

    @functools.cache
    def event_out() -> Callable[[BlockEvent], dict[str, Any]]:
        return make_dict_unstructure_fn(
            BlockEvent, conv, features=override(unstruct_hook=_features_out)
        )

    @functools.cache
    def event_in() -> Callable[[Any, type], BlockEvent]:
        return make_dict_structure_fn(
            BlockEvent,
            conv,
            _cattrs_forbid_extra_keys=forbid,
            features=override(struct_hook=features_in),
        )

    @functools.cache
    def document_in() -> Callable[[Any, type], _BlockListDocument]:
        return make_dict_structure_fn(_BlockListDocument, conv, _cattrs_forbid_extra_keys=forbid)

    def unstructure_list(blocks: BlockList) -> dict[str, Any]:
        return {
            "time_zone": blocks.time_zone,
            "events": [conv.unstructure(e, BlockEvent) for e in blocks.events()],
        }

    def structure_list(data: Any, _: type) -> BlockList:
        if isinstance(data, dict) and not isinstance(data.get("events", []), list):
            raise ValidationError(
                "BlockList.events", data["events"], "must be a JSON array of events"
            )
        try:
            document = document_in()(data, _BlockListDocument)
        except ValidationError:
            raise
        except Exception as exc:  # noqa: BLE001 - every fault becomes a typed error
            raise ValidationError.collect(faults(exc, "BlockList", data)) from None
        try:
            return BlockList.from_events(document.events, time_zone=document.time_zone)
        except ValidationError as exc:
            raise exc.with_prefix("BlockList") from None

    def unstructure_event(event: BlockEvent) -> dict[str, Any]:
        return event_out()(event)  # built on first use: see the module docstring

    def structure_event(data: Any, cl: type) -> BlockEvent:
        return event_in()(data, cl)

    conv.register_unstructure_hook(BlockEvent, unstructure_event)
    conv.register_structure_hook(BlockEvent, structure_event)
    conv.register_unstructure_hook(BlockList, unstructure_list)
    conv.register_structure_hook(BlockList, structure_list)
