"""Opt-in / opt-out (consent): may the brand contact this customer on this channel?

Oto's FAQ ("O que é opt-in?") says: "Opt-in é a autorização que
o cliente dá para receber contatos, ofertas e conteúdo da marca [...] Caso o
cliente não queira receber contatos da marca, é necessário desabilitar essa
opção." Oto's help page for managers and campaigns ("Começando o contato") tells the
seller to ask "se o cliente tem interesse em continuar recebendo mensagens
suas, caso o cliente responda não, realize o Opt-out no Oto."

**The rule, exactly.** Consent is per customer and per
:class:`ContactChannel`. Every change is a :class:`ConsentEvent` appended to a
log (nothing is ever deleted): who, which channel, granted or revoked, the
instant, the :class:`ConsentSource` and who recorded it.

* At an instant ``t`` (:func:`consent_at`): the status is ``granted`` of the
  latest event for that customer and channel with ``at <= t``.
* On a local day ``D`` (:func:`consent_on`), in the policy's time zone: the
  status is the one at the *end* of ``D``, that is, of the latest event with
  ``at`` before the first instant of ``D + 1``. An opt-out registered at 15:00
  during a contact therefore already removes the customer from the rest of
  ``D``: "no later suggestion on that channel".
* Two events at the same instant: a revocation wins over a grant (the safer
  reading; the order the events were given in never matters).
* With no event at or before, :class:`ConsentPolicy` decides; its default is
  no consent.

>>> from datetime import date, datetime
>>> from zoneinfo import ZoneInfo
>>> SP = ZoneInfo("America/Sao_Paulo")
>>> history = [
...     ConsentEvent(
...         customer_id="C1",
...         channel=ContactChannel.WHATSAPP,
...         granted=True,
...         at=datetime(2026, 3, 2, 10, 0, tzinfo=SP),
...         source=ConsentSource.IMPORT,
...         recorded_by="import",
...     ),
...     ConsentEvent(  # "caso o cliente responda não, realize o Opt-out"
...         customer_id="C1",
...         channel=ContactChannel.WHATSAPP,
...         granted=False,
...         at=datetime(2026, 5, 10, 15, 0, tzinfo=SP),
...         source=ConsentSource.SELLER_APP,
...         recorded_by="V01",
...     ),
... ]
>>> tuple(consent_on(history, "C1", ContactChannel.WHATSAPP, date(2026, 5, d)) for d in (9, 10, 11))
(True, False, False)
>>> consent_at(history, "C1", ContactChannel.WHATSAPP, datetime(2026, 5, 10, 14, 59, tzinfo=SP))
True
>>> consent_on(history, "C1", ContactChannel.SMS, date(2026, 5, 9))  # no event: the policy
False

For a whole brand, build a :class:`ConsentLedger` once and ask it per customer:

>>> ledger = ConsentLedger.from_events(history)
>>> ledger.granted("C1", ContactChannel.WHATSAPP, date(2026, 5, 9))
True
>>> ledger.channels_granted("C1", date(2026, 5, 10))
frozenset()

Bad input is a :class:`~otocore.errors.ValidationError` naming the field:

>>> consent_at(history, "C1", "whatsapp", datetime(2026, 5, 10, 15, 0, tzinfo=SP))
Traceback (most recent call last):
...
otocore.errors.ValidationError: channel must be a ContactChannel ('whatsapp', 'sms', 'email', 'phone_call', 'push'), got 'whatsapp'
>>> consent_at(history, "C1", ContactChannel.WHATSAPP, datetime(2026, 5, 10, 15, 0))
Traceback (most recent call last):
...
otocore.errors.ValidationError: at must be timezone-aware, got datetime.datetime(2026, 5, 10, 15, 0)
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE, end_of_day, instant_utc
from otocore.errors import ValidationError

__all__ = [
    "ConsentEvent",
    "ConsentLedger",
    "ConsentPolicy",
    "ConsentSource",
    "ContactChannel",
    "consent_at",
    "consent_on",
]


# Enumerations -------------------------------------------------------------------


class ContactChannel(enum.Enum):
    """Canal de contato (contact channel): how the brand reaches a customer.

    | value        | pt-BR label       |
    |--------------|-------------------|
    | `whatsapp`   | WhatsApp          |
    | `sms`        | SMS               |
    | `email`      | E-mail            |
    | `phone_call` | Ligação           |
    | `push`       | Notificação push  |

    Not to be confused with :class:`otocore.orders.Channel`, where a sale
    happened.

    >>> ContactChannel("phone_call").label
    'Ligação'
    """

    WHATSAPP = "whatsapp"
    SMS = "sms"
    EMAIL = "email"
    PHONE_CALL = "phone_call"
    PUSH = "push"

    @property
    def label(self) -> str:
        """The pt-BR label shown to users.

        >>> ContactChannel.EMAIL.label
        'E-mail'
        """
        return _CHANNEL_LABELS[self]

    @classmethod
    def parse(cls, text: str, *, field: str = "channel") -> ContactChannel:
        """The channel whose value is exactly ``text``; anything else is refused.

        Args:
            text: one of ``whatsapp``, ``sms``, ``email``, ``phone_call``, ``push``.
            field: the field named in a :class:`~otocore.errors.ValidationError`.

        Raises:
            ValidationError: not exactly one of the values (no case folding,
                no labels, no guessing).

        >>> ContactChannel.parse("sms")
        <ContactChannel.SMS: 'sms'>
        >>> ContactChannel.parse("WhatsApp")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: channel must be one of 'whatsapp', 'sms', 'email', 'phone_call', 'push', got 'WhatsApp'
        """
        return v.parse_enum(cls, text, field)


_CHANNEL_LABELS = {
    ContactChannel.WHATSAPP: "WhatsApp",
    ContactChannel.SMS: "SMS",
    ContactChannel.EMAIL: "E-mail",
    ContactChannel.PHONE_CALL: "Ligação",
    ContactChannel.PUSH: "Notificação push",
}


class ConsentSource(enum.Enum):
    """Origem (source) of a consent change.

    | value              | pt-BR label        | when                                      |
    |--------------------|--------------------|-------------------------------------------|
    | `seller_app`       | App do vendedor    | the seller registered it during a contact |
    | `customer_request` | Pedido do cliente  | the customer asked the brand directly     |
    | `import`           | Importação         | loaded from the brand's systems           |
    | `brand`            | Marca              | decided by the brand (an admin)           |

    >>> ConsentSource("seller_app").label
    'App do vendedor'
    """

    SELLER_APP = "seller_app"
    CUSTOMER_REQUEST = "customer_request"
    IMPORT = "import"
    BRAND = "brand"

    @property
    def label(self) -> str:
        """The pt-BR label shown to users.

        >>> ConsentSource.IMPORT.label
        'Importação'
        """
        return _SOURCE_LABELS[self]

    @classmethod
    def parse(cls, text: str, *, field: str = "source") -> ConsentSource:
        """The source whose value is exactly ``text``; anything else is refused.

        >>> ConsentSource.parse("brand")
        <ConsentSource.BRAND: 'brand'>
        >>> ConsentSource.parse("app")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: source must be one of 'seller_app', 'customer_request', 'import', 'brand', got 'app'
        """
        return v.parse_enum(cls, text, field)


_SOURCE_LABELS = {
    ConsentSource.SELLER_APP: "App do vendedor",
    ConsentSource.CUSTOMER_REQUEST: "Pedido do cliente",
    ConsentSource.IMPORT: "Importação",
    ConsentSource.BRAND: "Marca",
}


# Values -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ConsentEvent:
    """One opt-in or opt-out: an entry of the append-only consent log.

    Attributes:
        customer_id: the customer.
        channel: the :class:`ContactChannel` it is about.
        granted: ``True`` for an opt-in, ``False`` for an opt-out (revocation).
        at: when it happened; aware, kept in UTC.
        source: the :class:`ConsentSource`.
        recorded_by: who recorded it: a seller code, a user id, or ``"import"``.
        event_id: an optional id from the system that recorded it (for
            storage and de-duplication); it never changes the status.

    >>> from datetime import UTC, datetime
    >>> ConsentEvent(
    ...     customer_id="C1",
    ...     channel=ContactChannel.SMS,
    ...     granted=False,
    ...     at=datetime(2026, 5, 10, 18, 0, tzinfo=UTC),
    ...     source=ConsentSource.CUSTOMER_REQUEST,
    ...     recorded_by="u-ana",
    ... ).granted
    False
    >>> ConsentEvent(
    ...     customer_id="C1",
    ...     channel=ContactChannel.SMS,
    ...     granted="no",
    ...     at=datetime(2026, 5, 10, 18, 0, tzinfo=UTC),
    ...     source=ConsentSource.CUSTOMER_REQUEST,
    ...     recorded_by="u-ana",
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: ConsentEvent.granted must be True or False, got 'no'
    """

    customer_id: str = attrs.field(validator=v.text(100))
    channel: ContactChannel = attrs.field(validator=v.member_of(ContactChannel))
    granted: bool = attrs.field(validator=v.boolean)
    at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    source: ConsentSource = attrs.field(validator=v.member_of(ConsentSource))
    recorded_by: str = attrs.field(validator=v.text(100))
    event_id: str | None = attrs.field(default=None, validator=v.optional_text(100))


@attrs.frozen(kw_only=True)
class ConsentPolicy:
    """The brand's consent policy: what holds with no event, and the local day.

    Attributes:
        default_granted: the status of a customer and channel with no event
            at or before the moment asked about (default ``False``: no event,
            no consent).
        time_zone: IANA zone in which local days begin and end (default
            ``"America/Sao_Paulo"``).

    >>> ConsentPolicy()
    ConsentPolicy(default_granted=False, time_zone='America/Sao_Paulo')
    >>> ConsentPolicy(time_zone="Brasil")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: ConsentPolicy.time_zone must be an IANA time zone name such as 'America/Sao_Paulo', got 'Brasil'
    """

    default_granted: bool = attrs.field(default=False, validator=v.boolean)
    time_zone: str = attrs.field(default=DEFAULT_TIME_ZONE, validator=v.time_zone)


_DEFAULT_POLICY = ConsentPolicy()
_ALL_CHANNELS = frozenset(ContactChannel)
_NO_CHANNELS: frozenset[ContactChannel] = frozenset()


# Pure functions -----------------------------------------------------------------


def consent_at(
    events: Iterable[ConsentEvent],
    customer_id: str,
    channel: ContactChannel,
    at: datetime,
    *,
    policy: ConsentPolicy = _DEFAULT_POLICY,
) -> bool:
    """Whether the customer consents to ``channel`` at the instant ``at``.

    The latest event for this customer and channel with ``event.at <= at``
    decides; at the same instant a revocation wins. With none, the policy's
    ``default_granted``.

    Args:
        events: the consent log, any customers and channels, in any order.
        customer_id: the customer.
        channel: the channel.
        at: an aware instant.
        policy: the brand's :class:`ConsentPolicy`.

    Raises:
        ValidationError: any argument malformed (an event that is not a
            :class:`ConsentEvent`, a naive ``at``, a channel given as text).

    >>> from datetime import UTC, datetime
    >>> noon = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
    >>> def event(granted):
    ...     return ConsentEvent(
    ...         customer_id="C1",
    ...         channel=ContactChannel.EMAIL,
    ...         granted=granted,
    ...         at=noon,
    ...         source=ConsentSource.IMPORT,
    ...         recorded_by="import",
    ...     )
    >>> consent_at([event(True), event(False)], "C1", ContactChannel.EMAIL, noon)
    False
    >>> consent_at([event(True)], "C1", ContactChannel.EMAIL, noon)
    True
    >>> consent_at([], "C1", ContactChannel.EMAIL, noon, policy=ConsentPolicy(default_granted=True))
    True
    """
    v.require_instance("policy", policy, ConsentPolicy)
    _check_key(customer_id, channel)
    bound = instant_utc("at", at)
    latest = _latest(events, customer_id, channel, bound)
    return policy.default_granted if latest is None else latest.granted


def consent_on(
    events: Iterable[ConsentEvent],
    customer_id: str,
    channel: ContactChannel,
    on: date,
    *,
    policy: ConsentPolicy = _DEFAULT_POLICY,
) -> bool:
    """Whether the customer consents to ``channel`` on the local day ``on``.

    The status at the end of ``on`` in the policy's time zone: the latest
    event with ``at`` before the first instant of the next local day decides.
    An opt-out at any time of ``on`` makes the whole of ``on`` "no consent",
    so no suggestion of that day is made (or kept) after it.

    Args:
        events: the consent log, any customers and channels, in any order.
        customer_id: the customer.
        channel: the channel.
        on: a local calendar day (a ``date``, not a ``datetime``).
        policy: the brand's :class:`ConsentPolicy`.

    Raises:
        ValidationError: any argument malformed.

    >>> from datetime import date, datetime
    >>> from zoneinfo import ZoneInfo
    >>> late = ConsentEvent(
    ...     customer_id="C1",
    ...     channel=ContactChannel.PUSH,
    ...     granted=True,
    ...     at=datetime(2026, 5, 10, 23, 59, tzinfo=ZoneInfo("America/Sao_Paulo")),
    ...     source=ConsentSource.SELLER_APP,
    ...     recorded_by="V01",
    ... )
    >>> late.at  # already the 11th in UTC
    datetime.datetime(2026, 5, 11, 2, 59, tzinfo=datetime.timezone.utc)
    >>> tuple(consent_on([late], "C1", ContactChannel.PUSH, date(2026, 5, d)) for d in (9, 10))
    (False, True)
    """
    v.require_instance("policy", policy, ConsentPolicy)
    _check_key(customer_id, channel)
    bound = end_of_day("on", on, ZoneInfo(policy.time_zone))
    latest = _latest(events, customer_id, channel, bound)
    return policy.default_granted if latest is None else latest.granted


# Ledger -------------------------------------------------------------------------


class ConsentLedger:
    """The consent log indexed by customer for fast look-ups: one dict access and a bisect.

    Build it once from the whole log with :meth:`from_events` (the daily
    suggestions ask about every customer of a brand) and append to it with
    :meth:`record`; there is no way to remove an event. Its answers are
    exactly those of :func:`consent_at` and :func:`consent_on` over the same
    events.

    ``on`` is either a local day (a ``date``: the status at the end of that day
    in the policy's time zone) or an aware instant (a ``datetime``).

    Two ledgers are equal when they hold the same events and policy.

    >>> from datetime import UTC, date, datetime
    >>> ledger = ConsentLedger.from_events([], policy=ConsentPolicy())
    >>> ledger.record(
    ...     ConsentEvent(
    ...         customer_id="C1",
    ...         channel=ContactChannel.WHATSAPP,
    ...         granted=True,
    ...         at=datetime(2026, 5, 1, 15, 0, tzinfo=UTC),
    ...         source=ConsentSource.SELLER_APP,
    ...         recorded_by="V01",
    ...     )
    ... )
    >>> ledger.granted("C1", ContactChannel.WHATSAPP, date(2026, 5, 1))
    True
    >>> ledger.granted("C1", ContactChannel.WHATSAPP, datetime(2026, 5, 1, 14, 0, tzinfo=UTC))
    False
    >>> len(ledger)
    1
    """

    __slots__ = (
        "_bounds",
        "_by_customer",
        "_count",
        "_final",
        "_last_at",
        "_latest_at",
        "_policy",
        "_zone",
    )

    def __init__(self, *, policy: ConsentPolicy = _DEFAULT_POLICY) -> None:
        """An empty ledger under ``policy``; prefer :meth:`from_events`.

        >>> len(ConsentLedger())
        0
        """
        v.require_instance("policy", policy, ConsentPolicy)
        self._policy = policy
        self._zone = ZoneInfo(policy.time_zone)
        # per customer, every channel's events in _order (time first)
        self._by_customer: dict[str, list[ConsentEvent]] = {}
        self._bounds: dict[date, datetime] = {}
        self._count = 0
        # per customer, the channels granted after all their events, and the
        # instant of their latest event: a status asked about on or after it is
        # read from here, with no walk over the events
        self._final: dict[str, frozenset[ContactChannel]] = {}
        self._last_at: dict[str, datetime] = {}
        self._latest_at: datetime | None = None  # of every event held

    @classmethod
    def from_events(
        cls, events: Iterable[ConsentEvent], *, policy: ConsentPolicy = _DEFAULT_POLICY
    ) -> ConsentLedger:
        """A ledger holding ``events`` (any order) under ``policy``.

        Raises:
            ValidationError: ``events`` is not an iterable of :class:`ConsentEvent`,
                or ``policy`` is not a :class:`ConsentPolicy`.

        >>> ConsentLedger.from_events(["opt-in"])
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: events[0] must be a ConsentEvent, got 'opt-in'
        """
        ledger = cls(policy=policy)
        for event in _checked_events(events):
            ledger._insert(event)
        return ledger

    @property
    def policy(self) -> ConsentPolicy:
        """The policy the ledger answers under.

        >>> ConsentLedger().policy.default_granted
        False
        """
        return self._policy

    def record(self, event: ConsentEvent) -> None:
        """Append one event (it may be older than events already held).

        Raises:
            ValidationError: ``event`` is not a :class:`ConsentEvent`.

        >>> ConsentLedger().record({"granted": True})
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: event must be a ConsentEvent, got {'granted': True}
        """
        v.require_instance("event", event, ConsentEvent)
        self._insert(event)

    def latest(
        self, customer_id: str, channel: ContactChannel, on: date | datetime
    ) -> ConsentEvent | None:
        """The event that decides the status on ``on``, or ``None`` (then the policy decides).

        Useful to explain a decision ("opted out on 10/05 in the seller app by V01").

        >>> from datetime import date
        >>> ConsentLedger().latest("C1", ContactChannel.SMS, date(2026, 5, 10)) is None
        True
        """
        _check_key(customer_id, channel)
        bound = self._bound(on)
        return _last_per_channel(self._by_customer.get(customer_id), bound).get(channel)

    def granted(self, customer_id: str, channel: ContactChannel, on: date | datetime) -> bool:
        """Whether the customer consents to ``channel`` on ``on`` (a local day or an instant).

        >>> from datetime import date
        >>> ConsentLedger(policy=ConsentPolicy(default_granted=True)).granted(
        ...     "C9", ContactChannel.PUSH, date(2026, 5, 10)
        ... )
        True
        """
        event = self.latest(customer_id, channel, on)
        return self._policy.default_granted if event is None else event.granted

    def channels_granted(self, customer_id: str, on: date | datetime) -> frozenset[ContactChannel]:
        """The channels on which the customer consents on ``on``.

        >>> from datetime import date
        >>> ConsentLedger().channels_granted("C1", date(2026, 5, 10))
        frozenset()
        >>> len(
        ...     ConsentLedger(policy=ConsentPolicy(default_granted=True)).channels_granted(
        ...         "C1", date(2026, 5, 10)
        ...     )
        ... )
        5
        """
        v.require_text("customer_id", customer_id, max_length=100)
        return self._channels(customer_id, self._bound(on))

    def channels_by_customer(self, on: date | datetime) -> dict[str, frozenset[ContactChannel]]:
        """:meth:`channels_granted` on ``on`` of every customer with an event, in one pass.

        A customer with no entry has no event: the policy decides
        (:attr:`default_channels`). The sets are shared between customers
        (there are only 32 of them); the dict is the caller's.

        >>> from datetime import UTC, date, datetime
        >>> ledger = ConsentLedger.from_events(
        ...     [
        ...         ConsentEvent(
        ...             customer_id="C1",
        ...             channel=ContactChannel.SMS,
        ...             granted=True,
        ...             at=datetime(2026, 5, 1, 15, 0, tzinfo=UTC),
        ...             source=ConsentSource.IMPORT,
        ...             recorded_by="import",
        ...         )
        ...     ]
        ... )
        >>> ledger.channels_by_customer(date(2026, 5, 1))
        {'C1': frozenset({<ContactChannel.SMS: 'sms'>})}
        >>> ledger.channels_by_customer(date(2026, 4, 30))
        {'C1': frozenset()}
        """
        bound = self._bound(on)
        latest = self._latest_at
        if latest is None or latest <= bound:
            return dict(self._final)
        last_at = self._last_at
        channels = self._channels
        return {
            cid: final if last_at[cid] <= bound else channels(cid, bound)
            for cid, final in self._final.items()
        }

    @property
    def default_channels(self) -> frozenset[ContactChannel]:
        """The channels granted to a customer with no event: every one or none, by the policy.

        >>> ConsentLedger().default_channels
        frozenset()
        """
        return _ALL_CHANNELS if self._policy.default_granted else _NO_CHANNELS

    def _channels(self, customer_id: str, bound: datetime) -> frozenset[ContactChannel]:
        last_at = self._last_at.get(customer_id)
        if last_at is None:
            return self.default_channels
        if last_at <= bound:
            return self._final[customer_id]
        default = self._policy.default_granted
        last = _last_per_channel(self._by_customer.get(customer_id), bound)
        if not last:
            return _ALL_CHANNELS if default else _NO_CHANNELS
        return _interned(
            frozenset(
                channel
                for channel in ContactChannel
                if (default if channel not in last else last[channel].granted)
            )
        )

    def events(self) -> Iterator[ConsentEvent]:
        """Every event held, by customer id then time (a revocation after a grant at the same instant).

        >>> list(ConsentLedger().events())
        []
        """
        for customer_id in sorted(self._by_customer):
            yield from self._by_customer[customer_id]

    def __len__(self) -> int:
        return self._count

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ConsentLedger):
            return NotImplemented
        return self._policy == other._policy and self._by_customer == other._by_customer

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<ConsentLedger of {self._count} events, {self._policy!r}>"

    def _insert(self, event: ConsentEvent) -> None:
        cid = event.customer_id
        events = self._by_customer.setdefault(cid, [])
        bisect.insort(events, event, key=_order)
        self._count += 1
        at = event.at
        if events[-1] is event:  # the latest of the customer's: one step from the state before
            held = self._final.get(cid)
            if held is None:
                held = self.default_channels
            self._final[cid] = _step(held, event.channel, event.granted)
            self._last_at[cid] = at
        else:  # an older event: the state after the latest is read again
            self._final[cid] = self._channels_after(events)
        if self._latest_at is None or at > self._latest_at:
            self._latest_at = at

    def _channels_after(self, events: list[ConsentEvent]) -> frozenset[ContactChannel]:
        held = self.default_channels
        for event in events:
            held = _step(held, event.channel, event.granted)
        return held

    def _bound(self, on: Any) -> datetime:
        if isinstance(on, datetime):
            return instant_utc("on", on)
        if isinstance(on, date):
            bound = self._bounds.get(on)
            if bound is None:
                bound = self._bounds[on] = end_of_day("on", on, self._zone)
            return bound
        raise ValidationError(
            "on", on, "must be a datetime.date (a local day) or an aware datetime (an instant)"
        )


# private helpers ----------------------------------------------------------------

_SETS: dict[frozenset[ContactChannel], frozenset[ContactChannel]] = {}
_STEPS: dict[tuple[frozenset[ContactChannel], ContactChannel, bool], frozenset[ContactChannel]] = {}


def _interned(channels: frozenset[ContactChannel]) -> frozenset[ContactChannel]:
    """One shared object per set of channels (there are 32)."""
    return _SETS.setdefault(channels, channels)


_interned(_ALL_CHANNELS)
_interned(_NO_CHANNELS)


def _step(
    held: frozenset[ContactChannel], channel: ContactChannel, granted: bool
) -> frozenset[ContactChannel]:
    """The channels granted after one more event, later than every one before it."""
    key = (held, channel, granted)
    found = _STEPS.get(key)
    if found is None:
        found = _STEPS[key] = _interned(held | {channel} if granted else held - {channel})
    return found


def _at(event: ConsentEvent) -> datetime:
    return event.at


def _last_per_channel(
    events: list[ConsentEvent] | None, bound: datetime
) -> dict[ContactChannel, ConsentEvent]:
    """Per channel, the last of ``events`` (kept in :func:`_order`) with ``at <= bound``."""
    if not events:
        return {}
    return {e.channel: e for e in events[: bisect.bisect_right(events, bound, key=_at)]}


def _order(event: ConsentEvent) -> tuple[datetime, bool, str, str, str, str]:
    """A total order of one customer's events: time, then revocations after grants.

    The later fields only make the order (and so :meth:`ConsentLedger.latest`)
    independent of the order events were given in; they never change a status.
    """
    return (
        event.at,
        not event.granted,
        event.source.value,
        event.recorded_by,
        event.event_id or "",
        event.channel.value,
    )


def _check_key(customer_id: Any, channel: Any) -> None:
    v.require_text("customer_id", customer_id, max_length=100)
    v.require_enum("channel", channel, ContactChannel)


def _checked_events(events: Any) -> Iterator[ConsentEvent]:
    return v.iter_instances("events", events, ConsentEvent)


def _latest(
    events: Iterable[ConsentEvent], customer_id: str, channel: ContactChannel, bound: datetime
) -> ConsentEvent | None:
    best: ConsentEvent | None = None
    for event in _checked_events(events):
        if event.customer_id != customer_id or event.channel is not channel or event.at > bound:
            continue
        if best is None or _order(event) > _order(best):
            best = event
    return best
