"""Cadastros bloqueados (blocked CPFs): customers the brand keeps out of a feature.

Reshop's customer module help page ("Cadastros bloqueados"): "você tem a
opção de inserir o CPF do cliente e realizar o bloqueio do mesmo nas
funcionalidades de campanha, fidelidade, conecta e boomerang. Ao bloquear o CPF
de um cliente, ele será excluído ou desabilitado de participar dessas
funcionalidades", "seja por solicitação do cliente, por questões de
privacidade ou por qualquer outro motivo relevante".

**The rule, exactly.** A :class:`BlockEvent` blocks (or unblocks) one CPF for
one or more :class:`BlockFeature` values, with a reason, who and when. Events
are only appended: an unblock is another event, never a deletion.

* At an instant ``t``: a CPF is blocked for a feature iff the latest event for
  that CPF that names that feature, with ``at <= t``, is a block.
* On a local day ``D`` (in the given time zone, default
  ``"America/Sao_Paulo"``): the status at the end of ``D``, that is, of the
  latest such event before the first instant of ``D + 1``; a block registered
  at any time of ``D`` already holds for the whole of ``D`` (the same reading
  as :func:`otocore.consent.consent_on`).
* Two events at the same instant: a block wins over an unblock (the safer
  reading; the order the events were given in never matters).
* With no event, the CPF is not blocked.
* CPFs are compared by their 11 digits: ``"529.982.247-25"`` and
  ``"52998224725"`` are one CPF. A CPF given as text is parsed with
  :meth:`otocore.customers.Cpf.parse`; a malformed one is a
  :class:`~otocore.errors.ValidationError`.

The features are a closed set: ``"campaign"`` or ``"Campanhas"`` is refused,
never guessed.

>>> from datetime import date, datetime
>>> from zoneinfo import ZoneInfo
>>> from otocore.customers import Cpf
>>> SP = ZoneInfo("America/Sao_Paulo")
>>> ana = Cpf.parse("529.982.247-25")
>>> history = [
...     BlockEvent(
...         cpf=ana,
...         features=frozenset({BlockFeature.CAMPAIGNS}),
...         blocked=True,
...         reason="pediu para não receber ofertas",
...         by="u-gerente",
...         at=datetime(2026, 5, 10, 15, 0, tzinfo=SP),
...     ),
...     BlockEvent(
...         cpf=ana,
...         features=frozenset({BlockFeature.CAMPAIGNS}),
...         blocked=False,
...         reason="voltou a aceitar ofertas",
...         by="u-gerente",
...         at=datetime(2026, 6, 1, 9, 0, tzinfo=SP),
...     ),
... ]
>>> tuple(
...     is_blocked(history, "52998224725", BlockFeature.CAMPAIGNS, date(2026, 5, d))
...     for d in (9, 10)
... )
(False, True)
>>> is_blocked(history, ana, BlockFeature.LOYALTY, date(2026, 5, 10))  # only campaigns
False
>>> is_blocked(history, ana, BlockFeature.CAMPAIGNS, date(2026, 6, 1))  # unblocked
False

Bad input is a :class:`~otocore.errors.ValidationError` naming the field:

>>> is_blocked(history, "529.982.247-26", BlockFeature.CAMPAIGNS, date(2026, 5, 10))
Traceback (most recent call last):
...
otocore.errors.ValidationError: cpf has wrong check digits, got '529.982.247-26'
>>> BlockFeature.parse("Campanhas")
Traceback (most recent call last):
...
otocore.errors.ValidationError: feature must be one of 'campaigns', 'loyalty', 'conecta', 'boomerang', got 'Campanhas'
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
from otocore.customers import Cpf
from otocore.errors import ValidationError

__all__ = [
    "BlockEvent",
    "BlockFeature",
    "BlockList",
    "is_blocked",
]


class BlockFeature(enum.Enum):
    """Funcionalidade (feature) a CPF can be blocked for; the set is closed.

    | value       | pt-BR label | what a block means (the seed's words)             |
    |-------------|-------------|---------------------------------------------------|
    | `campaigns` | Campanha    | "não receberá ofertas de campanhas"; never suggested |
    | `loyalty`   | Fidelidade  | "não acumulará pontos de fidelidade"              |
    | `conecta`   | Conecta     | "não receberá comunicações através do Conecta"    |
    | `boomerang` | Boomerang   | "[não receberá comunicações através do] Boomerang" |

    >>> BlockFeature("loyalty").label
    'Fidelidade'
    """

    CAMPAIGNS = "campaigns"
    LOYALTY = "loyalty"
    CONECTA = "conecta"
    BOOMERANG = "boomerang"

    @property
    def label(self) -> str:
        """The pt-BR label shown to users.

        >>> BlockFeature.CAMPAIGNS.label
        'Campanha'
        """
        return _FEATURE_LABELS[self]

    @classmethod
    def parse(cls, text: str, *, field: str = "feature") -> BlockFeature:
        """The feature whose value is exactly ``text``; anything else is refused.

        Args:
            text: one of ``campaigns``, ``loyalty``, ``conecta``, ``boomerang``.
            field: the field named in a :class:`~otocore.errors.ValidationError`.

        Raises:
            ValidationError: not exactly one of the values (no plurals, case
                folding or labels: a typo must not become a new feature).

        >>> BlockFeature.parse("conecta")
        <BlockFeature.CONECTA: 'conecta'>
        >>> BlockFeature.parse("campaign")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: feature must be one of 'campaigns', 'loyalty', 'conecta', 'boomerang', got 'campaign'
        """
        return v.parse_enum(cls, text, field)


_FEATURE_LABELS = {
    BlockFeature.CAMPAIGNS: "Campanha",
    BlockFeature.LOYALTY: "Fidelidade",
    BlockFeature.CONECTA: "Conecta",
    BlockFeature.BOOMERANG: "Boomerang",
}
_FEATURE_RANK = {feature: i for i, feature in enumerate(BlockFeature)}
_FEATURES_RULE = "must be a non-empty set of BlockFeature such as {BlockFeature.CAMPAIGNS}"


def _sorted_features(features: Iterable[BlockFeature]) -> list[BlockFeature]:
    return sorted(features, key=_FEATURE_RANK.__getitem__)


def _to_features(value: Any, self_: Any, field: attrs.Attribute[Any]) -> frozenset[BlockFeature]:
    name = v.field_name(self_, field)
    refuse = (*v.NOT_A_COLLECTION, enum.Enum)
    items = list(v.require_iterable(name, value, rule=_FEATURES_RULE, refuse=refuse))
    for item in items:
        if not isinstance(item, BlockFeature):
            allowed = ", ".join(repr(f.value) for f in BlockFeature)
            raise ValidationError(
                name,
                item,
                f"must hold only BlockFeature members ({allowed}); read text with BlockFeature.parse",
            )
    if not items:
        raise ValidationError(name, value, _FEATURES_RULE)
    return frozenset(items)


def _features_repr(features: frozenset[BlockFeature]) -> str:
    return f"frozenset({{{', '.join(repr(f) for f in _sorted_features(features))}}})"


def _is_cpf(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    rule = "must be a Cpf (build it with Cpf.parse)"
    v.require_instance(v.field_name(instance, attribute), value, Cpf, rule=rule)


@attrs.frozen(kw_only=True)
class BlockEvent:
    """One block or unblock of a CPF: an entry of the append-only block log.

    Attributes:
        cpf: the blocked :class:`~otocore.customers.Cpf`.
        features: the :class:`BlockFeature` values the event is about; any
            non-empty collection is kept as a ``frozenset``.
        blocked: ``True`` to block, ``False`` to unblock.
        reason: why (free text, required for both directions).
        by: who: the user id of the brand's operator.
        at: when; aware, kept in UTC.
        event_id: an optional id from the system that recorded it (for
            storage and de-duplication); it never changes the status.

    >>> from datetime import UTC, datetime
    >>> from otocore.customers import Cpf
    >>> BlockEvent(
    ...     cpf=Cpf.parse("529.982.247-25"),
    ...     features=[BlockFeature.LOYALTY, BlockFeature.CAMPAIGNS],
    ...     blocked=True,
    ...     reason="fraude no programa de fidelidade",
    ...     by="u-gerente",
    ...     at=datetime(2026, 5, 10, 18, 0, tzinfo=UTC),
    ... )
    BlockEvent(cpf=Cpf('52998224725'), features=frozenset({<BlockFeature.CAMPAIGNS: 'campaigns'>, <BlockFeature.LOYALTY: 'loyalty'>}), blocked=True, reason='fraude no programa de fidelidade', by='u-gerente', at=datetime.datetime(2026, 5, 10, 18, 0, tzinfo=datetime.timezone.utc), event_id=None)
    >>> BlockEvent(
    ...     cpf=Cpf.parse("529.982.247-25"),
    ...     features=["campaigns"],
    ...     blocked=True,
    ...     reason="pedido do cliente",
    ...     by="u-gerente",
    ...     at=datetime(2026, 5, 10, 18, 0, tzinfo=UTC),
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: BlockEvent.features must hold only BlockFeature members ('campaigns', 'loyalty', 'conecta', 'boomerang'); read text with BlockFeature.parse, got 'campaigns'
    """

    cpf: Cpf = attrs.field(validator=_is_cpf)
    features: frozenset[BlockFeature] = attrs.field(
        converter=attrs.Converter(_to_features, takes_self=True, takes_field=True),  # type: ignore[misc]
        repr=_features_repr,
    )
    blocked: bool = attrs.field(validator=v.boolean)
    reason: str = attrs.field(validator=v.text(500))
    by: str = attrs.field(validator=v.text(100))
    at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    event_id: str | None = attrs.field(default=None, validator=v.optional_text(100))


def is_blocked(
    events: Iterable[BlockEvent],
    cpf: Cpf | str,
    feature: BlockFeature,
    on: date | datetime,
    *,
    time_zone: str = DEFAULT_TIME_ZONE,
) -> bool:
    """Whether ``cpf`` is blocked for ``feature`` on ``on`` (a local day or an instant).

    Args:
        events: the block log, any CPFs, in any order.
        cpf: a :class:`~otocore.customers.Cpf`, or a CPF as text
            ("529.982.247-25", "52998224725"), compared by its digits.
        feature: the :class:`BlockFeature`.
        on: a local day (``date``: the status at the end of that day in
            ``time_zone``) or an aware instant (``datetime``).
        time_zone: IANA zone of the local day (default ``"America/Sao_Paulo"``).

    Raises:
        ValidationError: a malformed CPF, a feature given as text, a naive
            datetime, an event that is not a :class:`BlockEvent`, an unknown zone.

    >>> from datetime import UTC, datetime
    >>> from otocore.customers import Cpf
    >>> noon = datetime(2026, 5, 10, 12, 0, tzinfo=UTC)
    >>> def event(blocked):
    ...     return BlockEvent(
    ...         cpf=Cpf("52998224725"),
    ...         features={BlockFeature.BOOMERANG},
    ...         blocked=blocked,
    ...         reason="teste",
    ...         by="u1",
    ...         at=noon,
    ...     )
    >>> is_blocked([event(False), event(True)], "529.982.247-25", BlockFeature.BOOMERANG, noon)
    True
    >>> is_blocked([event(True)], "52998224725", "boomerang", noon)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: feature must be a BlockFeature ('campaigns', 'loyalty', 'conecta', 'boomerang'), got 'boomerang'
    """
    zone = v.zone("time_zone", time_zone)
    digits = _cpf("cpf", cpf).digits
    v.require_enum("feature", feature, BlockFeature)
    bound = _bound(on, zone)
    best: BlockEvent | None = None
    for event in _checked_events(events):
        if event.cpf.digits != digits or feature not in event.features or event.at > bound:
            continue
        if best is None or _order(event) > _order(best):
            best = event
    return best is not None and best.blocked


class BlockList:
    """The block log indexed for fast look-ups: one dict access and a bisect.

    Build it once with :meth:`from_events` and append with :meth:`record`;
    there is no way to remove an event (an unblock is recorded, not a
    deletion). Its answers are exactly those of :func:`is_blocked` over the
    same events and time zone.

    ``on`` is either a local day (a ``date``: the status at the end of that
    day in ``time_zone``) or an aware instant (a ``datetime``). A CPF may be a
    :class:`~otocore.customers.Cpf` or text.

    Two block lists are equal when they hold the same events and time zone.

    >>> from datetime import UTC, date, datetime
    >>> from otocore.customers import Cpf
    >>> blocks = BlockList.from_events([])
    >>> blocks.record(
    ...     BlockEvent(
    ...         cpf=Cpf("52998224725"),
    ...         features={BlockFeature.CAMPAIGNS, BlockFeature.CONECTA},
    ...         blocked=True,
    ...         reason="pedido do cliente (LGPD)",
    ...         by="u-sac",
    ...         at=datetime(2026, 5, 10, 18, 0, tzinfo=UTC),
    ...     )
    ... )
    >>> blocks.is_blocked("529.982.247-25", BlockFeature.CAMPAIGNS, date(2026, 5, 10))
    True
    >>> sorted(f.value for f in blocks.blocked_features("52998224725", date(2026, 5, 10)))
    ['campaigns', 'conecta']
    """

    __slots__ = ("_all", "_bounds", "_by_key", "_time_zone", "_zone")

    def __init__(self, *, time_zone: str = DEFAULT_TIME_ZONE) -> None:
        """An empty block list; prefer :meth:`from_events`.

        >>> len(BlockList())
        0
        >>> BlockList(time_zone="SP")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: time_zone must be an IANA time zone name such as 'America/Sao_Paulo', got 'SP'
        """
        self._zone = v.zone("time_zone", time_zone)
        self._time_zone = time_zone
        self._by_key: dict[tuple[str, BlockFeature], list[BlockEvent]] = {}
        self._bounds: dict[date, datetime] = {}
        self._all: list[BlockEvent] = []

    @classmethod
    def from_events(
        cls, events: Iterable[BlockEvent], *, time_zone: str = DEFAULT_TIME_ZONE
    ) -> BlockList:
        """A block list holding ``events`` (any order); local days in ``time_zone``.

        Raises:
            ValidationError: ``events`` is not an iterable of :class:`BlockEvent`,
                or the zone is unknown.

        >>> BlockList.from_events("52998224725")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: events must be an iterable of BlockEvent, got '52998224725'
        """
        blocks = cls(time_zone=time_zone)
        for event in _checked_events(events):
            blocks._insert(event)
        return blocks

    @property
    def time_zone(self) -> str:
        """The IANA zone of local days.

        >>> BlockList().time_zone
        'America/Sao_Paulo'
        """
        return self._time_zone

    def record(self, event: BlockEvent) -> None:
        """Append one event (it may be older than events already held).

        Raises:
            ValidationError: ``event`` is not a :class:`BlockEvent`.

        >>> BlockList().record("52998224725")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: event must be a BlockEvent, got '52998224725'
        """
        self._insert(v.require_instance("event", event, BlockEvent))

    def latest(
        self, cpf: Cpf | str, feature: BlockFeature, on: date | datetime
    ) -> BlockEvent | None:
        """The event that decides the status on ``on``, or ``None`` (never blocked by then).

        Useful to explain a decision ("blocked for campaigns since 10/05: reason").

        >>> from datetime import date
        >>> BlockList().latest("52998224725", BlockFeature.LOYALTY, date(2026, 5, 10)) is None
        True
        """
        digits = _cpf("cpf", cpf).digits
        v.require_enum("feature", feature, BlockFeature)
        bound = self._bound(on)
        events = self._by_key.get((digits, feature))
        if not events:
            return None
        index = bisect.bisect_right(events, bound, key=_at)
        return events[index - 1] if index else None

    def is_blocked(self, cpf: Cpf | str, feature: BlockFeature, on: date | datetime) -> bool:
        """Whether ``cpf`` is blocked for ``feature`` on ``on``.

        >>> from datetime import date
        >>> BlockList().is_blocked("52998224725", BlockFeature.CAMPAIGNS, date(2026, 5, 10))
        False
        >>> BlockList().is_blocked("5299822472", BlockFeature.CAMPAIGNS, date(2026, 5, 10))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: cpf must be 11 ASCII digits (0-9), optionally written as 000.000.000-00, got '5299822472'
        """
        event = self.latest(cpf, feature, on)
        return event is not None and event.blocked

    def blocked_features(self, cpf: Cpf | str, on: date | datetime) -> frozenset[BlockFeature]:
        """The features ``cpf`` is blocked for on ``on``.

        >>> from datetime import date
        >>> BlockList().blocked_features("52998224725", date(2026, 5, 10))
        frozenset()
        """
        parsed = _cpf("cpf", cpf)
        return frozenset(f for f in BlockFeature if self.is_blocked(parsed, f, on))

    def blocked_cpfs(self, feature: BlockFeature, on: date | datetime) -> frozenset[Cpf]:
        """Every CPF blocked for ``feature`` on ``on`` (the "Clientes bloqueados" list).

        This walks the whole list; use :meth:`is_blocked` per customer.

        >>> from datetime import date
        >>> BlockList().blocked_cpfs(BlockFeature.CAMPAIGNS, date(2026, 5, 10))
        frozenset()
        """
        v.require_enum("feature", feature, BlockFeature)
        bound = self._bound(on)
        out = set()
        for (_, key_feature), events in self._by_key.items():
            if key_feature is not feature:
                continue
            index = bisect.bisect_right(events, bound, key=_at)
            latest = events[index - 1] if index else None
            if latest is not None and latest.blocked:
                out.add(latest.cpf)
        return frozenset(out)

    def events(self) -> Iterator[BlockEvent]:
        """Every event held, once each, by time (see the module's tie rule), then CPF.

        >>> list(BlockList().events())
        []
        """
        yield from sorted(self._all, key=lambda e: (_order(e), e.cpf.digits))

    def __len__(self) -> int:
        return len(self._all)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, BlockList):
            return NotImplemented
        return self._time_zone == other._time_zone and self._by_key == other._by_key

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<BlockList of {len(self._all)} events, time_zone={self._time_zone!r}>"

    def _insert(self, event: BlockEvent) -> None:
        for feature in event.features:
            events = self._by_key.setdefault((event.cpf.digits, feature), [])
            bisect.insort(events, event, key=_order)
        self._all.append(event)

    def _bound(self, on: Any) -> datetime:
        if isinstance(on, date) and not isinstance(on, datetime):
            bound = self._bounds.get(on)
            if bound is None:
                bound = self._bounds[on] = end_of_day("on", on, self._zone)
            return bound
        return _instant(on)


# private helpers ----------------------------------------------------------------


def _cpf(field: str, value: Any) -> Cpf:
    if isinstance(value, Cpf):
        return value
    if isinstance(value, str):
        # A look-up creates nothing, so repeated-digit CPFs (which a brand's
        # CpfPolicy may have accepted) are looked up rather than refused.
        return Cpf.parse(value, allow_repeated=True, field=field)
    raise ValidationError(
        field, value, "must be a Cpf or a CPF written as text such as '529.982.247-25'"
    )


def _bound(on: Any, zone: ZoneInfo) -> datetime:
    if isinstance(on, date) and not isinstance(on, datetime):
        return end_of_day("on", on, zone)
    return _instant(on)


def _instant(on: Any) -> datetime:
    """``on`` as an aware instant in UTC; anything but a local day or an instant is refused."""
    if isinstance(on, datetime):
        return instant_utc("on", on)
    raise ValidationError(
        "on", on, "must be a datetime.date (a local day) or an aware datetime (an instant)"
    )


def _at(event: BlockEvent) -> datetime:
    return event.at


def _order(event: BlockEvent) -> tuple[datetime, bool, str, str, str, tuple[str, ...]]:
    """A total order of events: time, then blocks after unblocks (a block wins a tie).

    The later fields only make the order (and so :meth:`BlockList.latest`)
    independent of the order events were given in; they never change a status.
    """
    return (
        event.at,
        event.blocked,
        event.reason,
        event.by,
        event.event_id or "",
        tuple(f.value for f in _sorted_features(event.features)),
    )


def _checked_events(events: Any) -> Iterator[BlockEvent]:
    return v.iter_instances("events", events, BlockEvent)
