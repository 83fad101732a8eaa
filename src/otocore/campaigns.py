"""Campanhas (campaigns): the brand's rules for whom sellers contact, when, and what they say.

Oto's FAQ ("O que é uma campanha?") says: "A campanha é um
conjunto de regras criadas pela marca para você interagir melhor com o seu
cliente, podendo aplicar filtros diversos para organizar e priorizar os seus
contatos", and Oto's help page for managers and campaigns: "As mensagens sugeridas no
Oto foram definidas pela marca [...] É possível editar a mensagem, se
necessário."

A :class:`Campaign` has an id, a name, a ``priority`` (1 is the highest; ties
go to the lower ``campaign_id``, see :func:`by_priority`), the first and last
local day it runs (both included), an audience (a filter of
:mod:`otocore.filters`), the channels it may use, a message template in
Portuguese (with optional per-channel templates), its own quarantine
(``quarantine_days``, see :mod:`otocore.quarantine`) and an ``active`` flag.

**Templates.** A template is text with placeholders ``{primeiro_nome}`` (the
customer's first name), ``{vendedor}`` (the seller's name) and ``{loja}``
(the store's name); ``{{`` and ``}}`` write literal braces. Any other
placeholder, an empty ``{}``, a conversion or format (``{loja!r}``,
``{loja:>10}``) or an unmatched brace is a
:class:`~otocore.errors.ValidationError` when the campaign is built, never
when the message is sent. Every fault of a campaign is reported at once.

>>> from datetime import date
>>> from otocore.consent import ContactChannel
>>> from otocore.filters import BirthdayInMonth
>>> bday = Campaign(
...     campaign_id="ANIVERSARIO",
...     name="Aniversariantes do mês",
...     priority=1,
...     first_day=date(2026, 1, 1),
...     last_day=date(2026, 12, 31),
...     audience=BirthdayInMonth(),
...     channels=[ContactChannel.WHATSAPP, ContactChannel.SMS],
...     message="Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}. Feliz aniversário!",
...     quarantine_days=30,
... )
>>> bday.runs_on(date(2026, 5, 10))
True
>>> render(
...     bday,
...     channel=ContactChannel.SMS,
...     customer_first_name="Ana",
...     seller_name="Bruno",
...     store_name="Loja Centro",
... )
'Olá, Ana! Aqui é Bruno, da Loja Centro. Feliz aniversário!'
>>> attrs.evolve(bday, priority=0, message="Oi {nome}, {vendedor:>10}")
Traceback (most recent call last):
...
otocore.errors.ValidationError: 3 errors:
  Campaign.priority must be >= 1, got 0
  Campaign.message has an unknown placeholder {nome}; use {primeiro_nome}, {vendedor} or {loja}, got 'Oi {nome}, {vendedor:>10}'
  Campaign.message has a conversion or format in {vendedor:>10}; write just {vendedor}, got 'Oi {nome}, {vendedor:>10}'

Campaigns come from JSON with :func:`otocore.serialization.load_campaigns`
(``otocore campaigns load FILE.json``); every fault is named by its path:

>>> from otocore.serialization import load_campaigns
>>> load_campaigns('[{"campaign_id": "X", "audience": {"all": [{"age_between": {"min": -1}}]}}]')
Traceback (most recent call last):
...
otocore.errors.ValidationError: 7 errors:
  campaigns[0].name is required, got <missing>
  campaigns[0].priority is required, got <missing>
  campaigns[0].first_day is required, got <missing>
  campaigns[0].last_day is required, got <missing>
  campaigns[0].audience.all[0].age_between.min must be >= 0, got -1
  campaigns[0].channels is required, got <missing>
  campaigns[0].message is required, got <missing>
"""

from __future__ import annotations

import json
import string
import warnings
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from importlib import resources
from typing import TYPE_CHECKING, Any

import attrs

from otocore import _validate as v
from otocore.consent import ContactChannel
from otocore.errors import ValidationError
from otocore.filters import Filter, parse_filter

if TYPE_CHECKING:
    from otocore.rfv import SegmentGrid

__all__ = [
    "PLACEHOLDERS",
    "Campaign",
    "by_priority",
    "dump_campaigns",
    "load_campaigns",
    "render",
    "sample_campaigns",
    "template_faults",
]

PLACEHOLDERS = ("primeiro_nome", "vendedor", "loja")
"""The placeholders a template may use: the customer's first name, the seller, the store."""

_MAX_TEMPLATE = 1000
_MAX_PRIORITY = 1_000_000
_MAX_QUARANTINE = 3660
_CHANNEL_ORDER = {channel: i for i, channel in enumerate(ContactChannel)}
_FORMATTER = string.Formatter()
_USE = "use {primeiro_nome}, {vendedor} or {loja}"


def template_faults(field: str, template: Any) -> list[ValidationError]:
    """Every fault of a message template, each naming ``field``; empty when valid.

    Examples:
        >>> template_faults("message", "Oi, {primeiro_nome}! {{promo}} na {loja}")
        []
        >>> [e.rule for e in template_faults("message", "Oi, {cliente} {")]
        ["has malformed braces (Single '{' encountered in format string); write {{ and }} for literal braces"]
        >>> [e.rule for e in template_faults("message", "Oi, {cliente}! {}")]
        ['has an unknown placeholder {cliente}; use {primeiro_nome}, {vendedor} or {loja}', 'has an empty placeholder {}; use {primeiro_nome}, {vendedor} or {loja}']
    """
    try:
        v.require_text(field, template, max_length=_MAX_TEMPLATE, multiline=True)
    except ValidationError as exc:
        return [exc]
    try:
        parts = list(_FORMATTER.parse(template))
    except ValueError as exc:
        return [
            ValidationError(
                field,
                template,
                f"has malformed braces ({exc}); write {{{{ and }}}} for literal braces",
            )
        ]
    faults: list[ValidationError] = []
    seen: set[str] = set()
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        shown = (
            "{"
            + name
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        )
        if shown in seen:
            continue
        seen.add(shown)
        if name == "":
            faults.append(
                ValidationError(field, template, f"has an empty placeholder {shown}; {_USE}")
            )
        elif name not in PLACEHOLDERS:
            faults.append(
                ValidationError(field, template, f"has an unknown placeholder {shown}; {_USE}")
            )
        elif spec or conversion:
            faults.append(
                ValidationError(
                    field,
                    template,
                    f"has a conversion or format in {shown}; write just {{{name}}}",
                )
            )
    return faults


def _to_pairs(value: Any) -> Any:
    """attrs converter: a mapping becomes a tuple of (key, value) pairs, in its order."""
    if isinstance(value, Mapping):
        return tuple(value.items())
    return v.list_to_tuple(value)


@attrs.frozen(kw_only=True)
class Campaign:
    """Campanha: a rule of the brand for whom sellers contact, when, and what they say.

    Every field is checked when the campaign is built, and every fault is
    reported at once (a :class:`~otocore.errors.ValidationError` whose
    ``errors`` lists them).

    Attributes:
        campaign_id: the brand's id of the campaign (what
            :attr:`otocore.contacts.Contact.campaign_id` holds).
        name: the name sellers see.
        priority: an integer >= 1; 1 is the highest. A customer gets the
            first campaign by priority, then by ``campaign_id``.
        first_day: the first local day the campaign runs.
        last_day: the last local day it runs (included); not before
            ``first_day``.
        audience: a :class:`~otocore.filters.Filter`: who the campaign is for.
        channels: the :class:`~otocore.consent.ContactChannel` values the
            campaign may use, each once, in order of preference (non-empty).
        message: the template of the suggested message, in Portuguese; used
            on every channel without its own template.
        channel_messages: optional per-channel templates (give a mapping
            ``{ContactChannel.EMAIL: "..."}``); each channel must be one of
            ``channels``. Kept as ``(channel, template)`` pairs in the order
            of :class:`~otocore.consent.ContactChannel`.
        quarantine_days: the campaign's own quarantine: after a contact about
            it (or a suggestion of it) on local day ``c``, it is not suggested
            to the same customer before ``c + quarantine_days`` (default 30;
            0 to 3660; 0 means no campaign quarantine).
        active: whether the brand has the campaign switched on (default
            ``True``).

    >>> from otocore.filters import SegmentIn
    >>> Campaign(
    ...     campaign_id="RECONQUISTA",
    ...     name="Reconquista: em risco",
    ...     priority=3,
    ...     first_day=date(2026, 6, 1),
    ...     last_day=date(2026, 5, 1),
    ...     audience=SegmentIn(["at_risk"]),
    ...     channels=[ContactChannel.EMAIL, ContactChannel.EMAIL],
    ...     message="Sentimos sua falta, {primeiro_nome}!",
    ...     channel_messages={ContactChannel.SMS: "Volte, {primeiro_nome}"},
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: 3 errors:
      Campaign.last_day must not be before first_day (2026-06-01), got datetime.date(2026, 5, 1)
      Campaign.channels[1] must appear once, got <ContactChannel.EMAIL: 'email'>
      Campaign.channel_messages['sms'] must be one of the campaign's channels ('email'), got 'Volte, {primeiro_nome}'
    """

    campaign_id: str = attrs.field()
    name: str = attrs.field()
    priority: int = attrs.field()
    first_day: date = attrs.field()
    last_day: date = attrs.field()
    audience: Filter = attrs.field()
    channels: tuple[ContactChannel, ...] = attrs.field(converter=v.list_to_tuple)
    message: str = attrs.field()
    channel_messages: tuple[tuple[ContactChannel, str], ...] = attrs.field(
        default=(), converter=_to_pairs
    )
    quarantine_days: int = attrs.field(default=30)
    active: bool = attrs.field(default=True)

    def __attrs_post_init__(self) -> None:
        values = {a.name: getattr(self, a.name) for a in attrs.fields(Campaign)}
        faults = _campaign_faults(values)
        if faults:
            raise ValidationError.collect(faults)
        ordered = tuple(sorted(self.channel_messages, key=lambda p: _CHANNEL_ORDER[p[0]]))
        object.__setattr__(self, "channel_messages", ordered)

    def in_period(self, day: date) -> bool:
        """Whether ``first_day <= day <= last_day`` (whatever :attr:`active` says).

        >>> from otocore.filters import HasPurchases
        >>> c = Campaign(
        ...     campaign_id="C",
        ...     name="C",
        ...     priority=1,
        ...     first_day=date(2026, 5, 1),
        ...     last_day=date(2026, 5, 31),
        ...     audience=HasPurchases(),
        ...     channels=[ContactChannel.SMS],
        ...     message="Oi, {primeiro_nome}!",
        ...     active=False,
        ... )
        >>> c.in_period(date(2026, 5, 31)), c.in_period(date(2026, 6, 1))
        (True, False)
        """
        v.require_date("day", day)
        return self.first_day <= day <= self.last_day

    def runs_on(self, day: date) -> bool:
        """Whether the campaign runs on local day ``day``: it is active and ``day`` is in its period.

        >>> from otocore.filters import HasPurchases
        >>> c = Campaign(
        ...     campaign_id="C",
        ...     name="C",
        ...     priority=1,
        ...     first_day=date(2026, 5, 1),
        ...     last_day=date(2026, 5, 31),
        ...     audience=HasPurchases(),
        ...     channels=[ContactChannel.SMS],
        ...     message="Oi, {primeiro_nome}!",
        ... )
        >>> c.runs_on(date(2026, 5, 1)), attrs.evolve(c, active=False).runs_on(date(2026, 5, 1))
        (True, False)
        """
        return self.in_period(day) and self.active

    def message_for(self, channel: ContactChannel) -> str:
        """The template used on ``channel``: its own template if it has one, else :attr:`message`.

        Raises:
            ValidationError: ``channel`` is not one of :attr:`channels`.

        >>> from otocore.filters import HasPurchases
        >>> c = Campaign(
        ...     campaign_id="C",
        ...     name="C",
        ...     priority=1,
        ...     first_day=date(2026, 5, 1),
        ...     last_day=date(2026, 5, 31),
        ...     audience=HasPurchases(),
        ...     channels=[ContactChannel.SMS, ContactChannel.EMAIL],
        ...     message="Oi!",
        ...     channel_messages={ContactChannel.EMAIL: "Prezada {primeiro_nome},"},
        ... )
        >>> c.message_for(ContactChannel.SMS), c.message_for(ContactChannel.EMAIL)
        ('Oi!', 'Prezada {primeiro_nome},')
        >>> c.message_for(ContactChannel.PUSH)
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: channel must be one of the campaign's channels ('sms', 'email'), got <ContactChannel.PUSH: 'push'>
        """
        v.require_enum("channel", channel, ContactChannel)
        if channel not in self.channels:
            raise ValidationError(
                "channel",
                channel,
                f"must be one of the campaign's channels ({_listed(self.channels)})",
            )
        return dict(self.channel_messages).get(channel, self.message)


def _campaign_faults(values: Mapping[str, Any]) -> list[ValidationError]:
    """Every fault of a campaign's field values, each named ``Campaign.<field>``.

    Only the fields present in ``values`` are checked (a field missing or
    already found faulty is left out); checks that involve two fields run
    when both are present. :class:`Campaign` calls it with every field; the
    JSON reader calls it with the fields it could read, so a document's
    faults are all reported at once.

    >>> [e.field for e in _campaign_faults({"priority": 0, "quarantine_days": -1})]
    ['Campaign.priority', 'Campaign.quarantine_days']
    """
    faults: list[ValidationError] = []

    def check(name: str, fn: Any, **kwargs: Any) -> None:
        if name in values:
            try:
                fn(f"Campaign.{name}", values[name], **kwargs)
            except ValidationError as exc:
                faults.extend(exc.errors)

    check("campaign_id", v.require_text, max_length=100)
    check("name", v.require_text, max_length=200)
    check("priority", v.require_int, min_value=1, max_value=_MAX_PRIORITY)
    check("first_day", v.require_date)
    check("last_day", v.require_date)
    first, last = values.get("first_day"), values.get("last_day")
    both_days = all(isinstance(d, date) and not isinstance(d, datetime) for d in (first, last))
    if both_days and isinstance(first, date) and isinstance(last, date) and last < first:
        faults.append(
            ValidationError("Campaign.last_day", last, f"must not be before first_day ({first})")
        )
    check("audience", v.require_instance, cls=Filter, rule=_FILTER_RULE)
    allowed: tuple[ContactChannel, ...] | None = None
    if "channels" in values:
        channels = values["channels"]
        faults += _channel_faults(channels)
        if isinstance(channels, tuple):
            allowed = tuple(dict.fromkeys(c for c in channels if isinstance(c, ContactChannel)))
    if "message" in values:
        faults += template_faults("Campaign.message", values["message"])
    if "channel_messages" in values:
        faults += _channel_message_faults(values["channel_messages"], allowed)
    check("quarantine_days", v.require_int, min_value=0, max_value=_MAX_QUARANTINE)
    check("active", v.require_bool)
    return faults


def render(
    campaign: Campaign,
    *,
    channel: ContactChannel,
    customer_first_name: str,
    seller_name: str,
    store_name: str,
) -> str:
    """The suggested message of ``campaign`` on ``channel``, with its placeholders filled in.

    ``{primeiro_nome}`` becomes ``customer_first_name`` (see
    :attr:`otocore.customers.Customer.first_name`), ``{vendedor}``
    ``seller_name`` and ``{loja}`` ``store_name``; the values are inserted
    as they are (braces in them are not placeholders).

    Raises:
        ValidationError: ``channel`` is not one of the campaign's channels,
            or a name is empty or not a string.

    >>> from otocore.filters import SegmentIn
    >>> c = Campaign(
    ...     campaign_id="C",
    ...     name="C",
    ...     priority=1,
    ...     first_day=date(2026, 5, 1),
    ...     last_day=date(2026, 5, 31),
    ...     audience=SegmentIn(["at_risk"]),
    ...     channels=[ContactChannel.WHATSAPP],
    ...     message="{primeiro_nome}, a {loja} sente sua falta! {{{vendedor}}}",
    ... )
    >>> render(
    ...     c,
    ...     channel=ContactChannel.WHATSAPP,
    ...     customer_first_name="José",
    ...     seller_name="Ana {x}",
    ...     store_name="Loja Centro",
    ... )
    'José, a Loja Centro sente sua falta! {Ana {x}}'
    >>> render(
    ...     c,
    ...     channel=ContactChannel.WHATSAPP,
    ...     customer_first_name="",
    ...     seller_name="Ana",
    ...     store_name="Loja Centro",
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: customer_first_name must not be empty, got ''
    """
    v.require_instance("campaign", campaign, Campaign)
    template = campaign.message_for(channel)
    values = {
        "primeiro_nome": v.require_text("customer_first_name", customer_first_name),
        "vendedor": v.require_text("seller_name", seller_name),
        "loja": v.require_text("store_name", store_name),
    }
    return template.format_map(values)


def by_priority(campaigns: Iterable[Campaign]) -> tuple[Campaign, ...]:
    """The campaigns in the order they are tried: by ``priority`` (1 first), then ``campaign_id``.

    Examples:
        >>> [c.campaign_id for c in by_priority(sample_campaigns())]
        ['ANIVERSARIO_DO_MES', 'POS_VENDA_30', 'RECONQUISTA_EM_RISCO']
    """
    items = v.require_instances("campaigns", campaigns, Campaign)
    return tuple(sorted(items, key=lambda c: (c.priority, c.campaign_id)))


def load_campaigns(
    source: str | bytes | Sequence[Any], *, grid: SegmentGrid | None = None
) -> tuple[Campaign, ...]:
    """Deprecated: use :func:`otocore.serialization.load_campaigns`, which this calls.

    Examples:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     campaigns = load_campaigns("[]")
        >>> campaigns, str(caught[0].message)
        ((), 'otocore.campaigns.load_campaigns is deprecated; use otocore.serialization.load_campaigns')
    """
    from otocore import serialization  # the deprecated alias's only way up

    _deprecated("load_campaigns")
    return serialization.load_campaigns(source, grid=grid)


def dump_campaigns(campaigns: Iterable[Campaign]) -> str:
    """Deprecated: use :func:`otocore.serialization.dump_campaigns`, which this calls.

    Examples:
        >>> import warnings
        >>> with warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     text = dump_campaigns([])
        >>> text, str(caught[0].message)
        ('[]\\n', 'otocore.campaigns.dump_campaigns is deprecated; use otocore.serialization.dump_campaigns')
    """
    from otocore import serialization  # the deprecated alias's only way up

    _deprecated("dump_campaigns")
    return serialization.dump_campaigns(campaigns)


def _deprecated(name: str) -> None:
    warnings.warn(
        f"otocore.campaigns.{name} is deprecated; use otocore.serialization.{name}",
        DeprecationWarning,
        stacklevel=3,
    )


def sample_campaigns() -> tuple[Campaign, ...]:
    """The three sample campaigns shipped with otocore (``otocore/data/campaigns_sample.json``).

    Birthday of the month, post-sale 30 days and win back the "At risk" RFV
    segment, all running through 2026.

    Examples:
        >>> [(c.campaign_id, c.priority, c.quarantine_days) for c in sample_campaigns()]
        [('ANIVERSARIO_DO_MES', 1, 30), ('POS_VENDA_30', 2, 60), ('RECONQUISTA_EM_RISCO', 3, 45)]
    """
    data = resources.files("otocore").joinpath("data/campaigns_sample.json").read_bytes()
    return tuple(_shipped(item) for item in json.loads(data))  # JSON bytes are UTF-8


def _shipped(item: dict[str, Any]) -> Campaign:
    """A campaign of the file shipped with otocore, a trusted document in the JSON form.

    Reading a brand's file, with every fault reported, is
    :func:`otocore.serialization.load_campaigns`'s job; a test checks that it
    reads the shipped file to the same campaigns, and that the file is what
    :func:`otocore.serialization.dump_campaigns` writes (every field present).
    """
    return Campaign(
        **{
            **item,
            "first_day": date.fromisoformat(item["first_day"]),
            "last_day": date.fromisoformat(item["last_day"]),
            "audience": parse_filter(item["audience"]),
            "channels": [ContactChannel(c) for c in item["channels"]],
            "channel_messages": {
                ContactChannel(c): text for c, text in item["channel_messages"].items()
            },
        }
    )


# checks ----------------------------------------------------------------------------


_FILTER_RULE = "must be a filter (a node of otocore.filters)"


def _channel_faults(value: Any) -> list[ValidationError]:
    field = "Campaign.channels"
    if not isinstance(value, tuple):
        return [ValidationError(field, value, "must be a list of ContactChannel")]
    if not value:
        return [ValidationError(field, value, "must name at least one channel")]
    faults = []
    seen: set[Any] = set()
    for i, channel in enumerate(value):
        if not isinstance(channel, ContactChannel):
            faults.append(
                ValidationError(
                    f"{field}[{i}]", channel, f"must be a ContactChannel ({_allowed_channels()})"
                )
            )
        elif channel in seen:
            faults.append(ValidationError(f"{field}[{i}]", channel, "must appear once"))
        else:
            seen.add(channel)
    return faults


def _channel_message_faults(
    value: Any, channels: tuple[ContactChannel, ...] | None
) -> list[ValidationError]:
    field = "Campaign.channel_messages"
    rule = "must map channels of the campaign to templates"
    if not isinstance(value, tuple):
        return [ValidationError(field, value, rule)]
    faults: list[ValidationError] = []
    seen: set[ContactChannel] = set()
    for pair in value:
        if not isinstance(pair, tuple) or len(pair) != 2:
            faults.append(ValidationError(field, value, rule))
            continue
        channel, template = pair
        if not isinstance(channel, ContactChannel):
            faults.append(
                ValidationError(
                    f"{field}[{channel!r}]",
                    channel,
                    f"must be a ContactChannel ({_allowed_channels()})",
                )
            )
            continue
        path = f"{field}[{channel.value!r}]"
        if channel in seen:
            faults.append(ValidationError(path, template, "must appear once"))
            continue
        seen.add(channel)
        if channels is not None and channel not in channels:
            faults.append(
                ValidationError(
                    path, template, f"must be one of the campaign's channels ({_listed(channels)})"
                )
            )
        faults += template_faults(path, template)
    return faults


def _listed(channels: Iterable[ContactChannel]) -> str:
    return ", ".join(repr(c.value) for c in channels)


def _allowed_channels() -> str:
    return _listed(ContactChannel)
