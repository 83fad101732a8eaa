"""cattrs hooks for :class:`otocore.campaigns.Campaign` (kept outside the model).

A campaign's JSON form is an object with every field of the class; the
audience is the filter's JSON form (:func:`otocore.filters.filter_to_data`),
dates are ISO strings, channels their values and ``channel_messages`` an
object from channel value to template::

    {
        "campaign_id": "POS_VENDA_30",
        "name": "Pós-venda 30 dias",
        "priority": 2,
        "first_day": "2026-01-01",
        "last_day": "2026-12-31",
        "audience": {"days_since_last_purchase": {"min": 30, "max": 30}},
        "channels": ["whatsapp"],
        "message": "Oi, {primeiro_nome}!",
        "channel_messages": {},
        "quarantine_days": 60,
        "active": true,
    }

``channel_messages`` (default ``{}``), ``quarantine_days`` (30) and ``active``
(``true``) may be left out. Reading reports every fault of the document at
once, in the order of the fields, each with its path
(``Campaign.audience.all[2].age_between.min``); this does not need the rest
of the converter, so :func:`load_campaigns` (a brand's campaign file, a JSON
array) uses it directly.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import attrs
import cattrs

from otocore.campaigns import Campaign, _campaign_faults
from otocore.consent import ContactChannel
from otocore.errors import ValidationError
from otocore.filters import filter_to_data, parse_filter
from otocore.serialization._core import MISSING

if TYPE_CHECKING:
    from otocore.rfv import SegmentGrid


def _read_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValidationError("", value, "must be a string")
    return value


def _read_int(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("", value, "must be an integer")
    return value


def _read_bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValidationError("", value, "must be true or false")
    return value


def _read_date(value: Any) -> date:
    rule = "must be an ISO 8601 date such as '2026-05-10'"
    if not isinstance(value, str) or len(value) != 10:
        raise ValidationError("", value, rule)
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError("", value, rule) from None


def _read_channel(value: Any) -> ContactChannel:
    allowed = ", ".join(repr(c.value) for c in ContactChannel)
    if not isinstance(value, str):
        raise ValidationError("", value, f"must be one of {allowed}")
    try:
        return ContactChannel(value)
    except ValueError:
        raise ValidationError("", value, f"must be one of {allowed}") from None


def _read_channels(value: Any) -> tuple[Any, ...]:
    if not isinstance(value, list | tuple):
        raise ValidationError("", value, "must be a JSON array of channels such as ['whatsapp']")
    out = []
    faults = []
    for i, item in enumerate(value):
        try:
            out.append(_read_channel(item))
        except ValidationError as exc:
            faults.append(ValidationError(f"[{i}]", exc.value, exc.rule))
    if faults:
        raise ValidationError.collect(faults)
    return tuple(out)


def _read_channel_messages(value: Any) -> tuple[tuple[Any, Any], ...]:
    if not isinstance(value, dict):
        raise ValidationError(
            "", value, "must be a JSON object from channel to template, such as {'email': '...'}"
        )
    out = []
    faults = []
    for key, template in value.items():
        try:
            channel = _read_channel(key)
        except ValidationError as exc:
            faults.append(ValidationError(f"[{key!r}]", template, f"has a key that {exc.rule}"))
            continue
        if not isinstance(template, str):
            faults.append(ValidationError(f"[{key!r}]", template, "must be a string"))
            continue
        out.append((channel, template))
    if faults:
        raise ValidationError.collect(faults)
    return tuple(out)


def _readers(grid: SegmentGrid | None, path: str) -> dict[str, Callable[[Any], Any]]:
    return {
        "campaign_id": _read_str,
        "name": _read_str,
        "priority": _read_int,
        "first_day": _read_date,
        "last_day": _read_date,
        # parse_filter puts the whole path in front of its faults
        "audience": lambda data: parse_filter(data, path=f"{path}.audience", grid=grid),
        "channels": _read_channels,
        "message": _read_str,
        "channel_messages": _read_channel_messages,
        "quarantine_days": _read_int,
        "active": _read_bool,
    }


def _at(path: str, name: str, exc: ValidationError) -> list[ValidationError]:
    base = f"{path}.{name}"
    out = []
    for e in exc.errors:
        if e.field.startswith(base):
            out.append(e)  # already has the whole path (the audience)
        elif e.field.startswith("Campaign."):
            out.append(ValidationError(path + e.field[len("Campaign") :], e.value, e.rule))
        else:
            joined = (
                f"{base}{e.field}"
                if not e.field or e.field.startswith("[")
                else f"{base}.{e.field}"
            )
            out.append(ValidationError(joined, e.value, e.rule))
    return out


def campaign_from_data(
    data: Any, *, path: str = "Campaign", grid: SegmentGrid | None = None
) -> Campaign:
    """Build a :class:`~otocore.campaigns.Campaign` from its JSON form, or report every fault."""
    if not isinstance(data, dict):
        raise ValidationError(path, data, "must be a JSON object")
    fields: tuple[attrs.Attribute[Any], ...] = attrs.fields(Campaign)
    order = {f.name: i for i, f in enumerate(fields)}
    readers = _readers(grid, path)
    faults: list[tuple[int, ValidationError]] = []
    values: dict[str, Any] = {}
    for f in fields:
        if f.name not in data:
            if f.default is attrs.NOTHING:
                faults.append(
                    (order[f.name], ValidationError(f"{path}.{f.name}", MISSING, "is required"))
                )
            continue
        try:
            values[f.name] = readers[f.name](data[f.name])
        except ValidationError as exc:
            faults += [(order[f.name], e) for e in _at(path, f.name, exc)]
    extra = len(fields)
    for key in sorted((k for k in data if k not in order), key=repr):
        faults.append((extra, ValidationError(f"{path}.{key}", data[key], "is not a known field")))
    for e in _campaign_faults(values):
        name = e.field.split(".", 1)[1].split("[", 1)[0]
        faults += [(order.get(name, extra), x) for x in _at(path, name, e)]
    if faults:
        faults.sort(key=lambda pair: pair[0])  # stable: the order found within a field
        raise ValidationError.collect([e for _, e in faults])
    return Campaign(**values)


def campaign_to_data(campaign: Campaign) -> dict[str, Any]:
    """The JSON form of a :class:`~otocore.campaigns.Campaign` (dicts, lists, str, int, bool)."""
    return {
        "campaign_id": campaign.campaign_id,
        "name": campaign.name,
        "priority": campaign.priority,
        "first_day": campaign.first_day.isoformat(),
        "last_day": campaign.last_day.isoformat(),
        "audience": filter_to_data(campaign.audience),
        "channels": [c.value for c in campaign.channels],
        "message": campaign.message,
        "channel_messages": {c.value: text for c, text in campaign.channel_messages},
        "quarantine_days": campaign.quarantine_days,
        "active": campaign.active,
    }


def load_campaigns(
    source: str | bytes | Sequence[Any], *, grid: SegmentGrid | None = None
) -> tuple[Campaign, ...]:
    """A brand's campaign file: see :func:`otocore.serialization.load_campaigns`."""
    data: Any = source
    if isinstance(source, str | bytes):
        try:
            data = json.loads(source)
        except (ValueError, RecursionError) as exc:
            shown = source[:80]
            raise ValidationError("campaigns", shown, f"must be valid JSON ({exc})") from None
    if not isinstance(data, list | tuple):
        raise ValidationError("campaigns", data, "must be a JSON array of campaign objects")
    faults: list[ValidationError] = []
    out: list[Campaign] = []
    first_index: dict[str, int] = {}
    for i, item in enumerate(data):
        path = f"campaigns[{i}]"
        try:
            campaign = campaign_from_data(item, path=path, grid=grid)
        except ValidationError as exc:
            faults += exc.errors
            cid = item.get("campaign_id") if isinstance(item, dict) else None
        else:
            out.append(campaign)
            cid = campaign.campaign_id
        if isinstance(cid, str):
            if cid in first_index:
                faults.append(
                    ValidationError(
                        f"{path}.campaign_id",
                        cid,
                        f"must be unique; campaigns[{first_index[cid]}] has the same id",
                    )
                )
            else:
                first_index[cid] = i
    if faults:
        raise ValidationError.collect(faults)
    return tuple(out)


def dump_campaigns(campaigns: Iterable[Campaign]) -> str:
    """A brand's campaign file: see :func:`otocore.serialization.dump_campaigns`."""
    if isinstance(campaigns, str | bytes | Mapping) or not isinstance(campaigns, Iterable):
        raise ValidationError("campaigns", campaigns, "must be an iterable of Campaign")
    items = []
    for i, c in enumerate(campaigns):
        if not isinstance(c, Campaign):
            raise ValidationError(f"campaigns[{i}]", c, "must be a Campaign")
        items.append(campaign_to_data(c))
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def configure(conv: cattrs.Converter, *, grid: SegmentGrid | None = None) -> None:
    """Install the hooks :class:`~otocore.campaigns.Campaign` needs on ``conv``.

    Args:
        conv: the converter to configure.
        grid: when given, every ``segment_in`` key of an audience must be a
            segment of this grid.
    """
    conv.register_unstructure_hook(Campaign, campaign_to_data)
    conv.register_structure_hook(Campaign, lambda data, _: campaign_from_data(data, grid=grid))
