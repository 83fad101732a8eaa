"""Registro do atendimento (contact log): the record of one contact with a customer.

Oto's FAQ ("Por que eu devo registrar o atendimento do Oto?")
says: "Se você não registra e formaliza o atendimento dentro do Oto, as
informações sobre o seu atendimento, produtos oferecidos, agendamentos e
opt-in não ficam salvos". So, for otocore, **a contact that is not registered
does not exist**: only a :class:`Contact` counts for quarantine
(:mod:`otocore.quarantine`) and for attributing sales.

A :class:`Contact` records who (seller, customer), which suggestion and
campaign it answers (if any), the channel, when it started and finished (aware
instants, kept in UTC), the products offered (SKUs), a scheduled follow-up
("agendamento", a :class:`FollowUp`), a consent change (the seed's opt-in /
opt-out, a :class:`ConsentChange`), notes, and how it ended
(:class:`ContactOutcome`). ``in_portfolio`` is ``False`` for a customer outside
the seller's carteira (a walk-in or a follow-up of someone else's customer):
allowed, and recorded as such.

A suggestion moves through :class:`SuggestionStatus` by :func:`advance`:
``pending -> started -> finished | dismissed`` and ``pending -> dismissed``,
never back. :func:`settle` applies a registered contact's outcome in one step.

>>> from datetime import date, datetime
>>> from zoneinfo import ZoneInfo
>>> from otocore.consent import ContactChannel
>>> SP = ZoneInfo("America/Sao_Paulo")
>>> contact = Contact(
...     contact_id="A1",
...     seller_code="V01",
...     customer_id="C1",
...     suggestion_id="S1",
...     campaign_id="ANIVERSARIO",
...     channel=ContactChannel.WHATSAPP,
...     started_at=datetime(2026, 5, 10, 14, 0, tzinfo=SP),
...     finished_at=datetime(2026, 5, 10, 14, 12, tzinfo=SP),
...     products_offered=["SKU-123", "SKU-456"],
...     follow_up=FollowUp(day=date(2026, 5, 17), note="Voltar a falar do vestido azul"),
...     in_portfolio=True,
... )
>>> contact.local_day, contact.products_offered
(datetime.date(2026, 5, 10), ('SKU-123', 'SKU-456'))
>>> settle(SuggestionStatus.PENDING, contact.outcome)
<SuggestionStatus.FINISHED: 'finished'>

Inconsistent records are refused when they are built; an illegal move of a
suggestion is a :class:`~otocore.errors.RuleViolation`:

>>> Contact(
...     contact_id="A2",
...     seller_code="V01",
...     customer_id="C1",
...     channel=ContactChannel.SMS,
...     started_at=datetime(2026, 5, 10, 14, 0, tzinfo=SP),
...     finished_at=datetime(2026, 5, 10, 13, 0, tzinfo=SP),
...     in_portfolio=True,
... )
Traceback (most recent call last):
...
otocore.errors.ValidationError: Contact.finished_at must not be before started_at (2026-05-10T17:00:00+00:00), got datetime.datetime(2026, 5, 10, 16, 0, tzinfo=datetime.timezone.utc)
>>> advance(SuggestionStatus.FINISHED, SuggestionEvent.START)
Traceback (most recent call last):
...
otocore.errors.RuleViolation: a finished suggestion cannot start: it is final
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE, local_day
from otocore.consent import ContactChannel
from otocore.errors import RuleViolation, ValidationError

__all__ = [
    "ConsentChange",
    "Contact",
    "ContactOutcome",
    "FollowUp",
    "SuggestionEvent",
    "SuggestionStatus",
    "advance",
    "settle",
]

_MAX_NOTE = 2000


def _to_skus(value: Any, self_: Any, field: attrs.Attribute[Any]) -> tuple[str, ...]:
    name = v.field_name(self_, field)
    items = tuple(v.require_iterable(name, value, rule="must be a list of SKUs (strings)"))
    seen: set[str] = set()
    for i, sku in enumerate(items):
        v.require_text(f"{name}[{i}]", sku, max_length=100)
        if sku in seen:
            raise ValidationError(f"{name}[{i}]", sku, "must name each SKU once")
        seen.add(sku)
    return items


class ContactOutcome(enum.Enum):
    """How a registered contact ended.

    * ``FINISHED``: the conversation was concluded ("conversas finalizadas").
    * ``DISMISSED``: the seller dismissed the suggestion it answered, with a
      reason (for example "cliente não respondeu").

    >>> ContactOutcome("dismissed")
    <ContactOutcome.DISMISSED: 'dismissed'>
    """

    FINISHED = "finished"
    DISMISSED = "dismissed"


@attrs.frozen(kw_only=True)
class FollowUp:
    """Agendamento (a scheduled follow-up): the day to talk again and why.

    The follow-up becomes a suggestion on ``day``, ahead of every campaign
    (see :mod:`otocore.quarantine`: it ignores the quarantine, since seller
    and customer agreed on it). The day must be after the local day the
    contact finished on; :class:`Contact` checks that.

    Attributes:
        day: the local day of the follow-up.
        note: what to talk about (non-blank, at most 2000 characters; line
            breaks allowed).

    >>> FollowUp(day=date(2026, 5, 17), note="Chegou o tamanho 38").day
    datetime.date(2026, 5, 17)
    >>> FollowUp(day=date(2026, 5, 17), note="  ")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: FollowUp.note must not be empty, got '  '
    """

    day: date = attrs.field(validator=v.local_date)
    note: str = attrs.field(validator=v.text(_MAX_NOTE, multiline=True))


@attrs.frozen(kw_only=True)
class ConsentChange:
    """An opt-in or opt-out the customer gave during the contact.

    The contact service turns it into a :class:`~otocore.consent.ConsentEvent`
    (source: the seller app; recorded by: the seller) that takes effect at the
    contact's ``finished_at``. The channel may differ from the contact's own
    (a customer reached on WhatsApp may refuse e-mails).

    Attributes:
        channel: the channel the consent is about.
        granted: ``True`` for opt-in, ``False`` for opt-out.

    >>> ConsentChange(channel=ContactChannel.WHATSAPP, granted=False).granted
    False
    >>> ConsentChange(channel="whatsapp", granted=False)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: ConsentChange.channel must be a ContactChannel ('whatsapp', 'sms', 'email', 'phone_call', 'push'), got 'whatsapp'
    """

    channel: ContactChannel = attrs.field(validator=v.member_of(ContactChannel))
    granted: bool = attrs.field(validator=v.boolean)


@attrs.frozen(kw_only=True)
class Contact:
    """One registered attendance (registro do atendimento).

    Attributes:
        contact_id: the id of the record, unique in the brand.
        seller_code: the seller who attended.
        customer_id: the customer attended.
        suggestion_id: the suggestion this contact answers, or ``None`` (a
            walk-in or a contact the seller started on their own).
        campaign_id: the campaign the contact was about, or ``None``. A
            contact with a campaign feeds that campaign's own quarantine.
        channel: the :class:`~otocore.consent.ContactChannel` used.
        started_at: when the contact started (aware; kept in UTC).
        finished_at: when it finished (aware; kept in UTC), not before
            ``started_at``.
        products_offered: SKUs offered, each once, in the order given.
        follow_up: a :class:`FollowUp`, or ``None``. Its day must be after
            the local day (in ``time_zone``) of ``finished_at``.
        consent_change: a :class:`ConsentChange` (opt-in / opt-out), or
            ``None``.
        notes: the seller's notes (at most 2000 characters; line breaks
            allowed), or ``None``.
        outcome: :class:`ContactOutcome`, default ``FINISHED``.
        dismiss_reason: why the suggestion was dismissed; required when
            ``outcome`` is ``DISMISSED`` (which also needs a
            ``suggestion_id``), ``None`` otherwise.
        in_portfolio: whether the customer was in the seller's carteira when
            the contact was registered. ``False`` records a walk-in or a
            follow-up outside the carteira; it is never refused.
        time_zone: the brand's IANA time zone, in which the contact's local
            day is taken (default ``"America/Sao_Paulo"``).

    >>> from zoneinfo import ZoneInfo
    >>> SP = ZoneInfo("America/Sao_Paulo")
    >>> walk_in = Contact(
    ...     contact_id="A3",
    ...     seller_code="V02",
    ...     customer_id="C7",
    ...     channel=ContactChannel.PHONE_CALL,
    ...     started_at=datetime(2026, 5, 10, 23, 50, tzinfo=SP),
    ...     finished_at=datetime(2026, 5, 11, 0, 5, tzinfo=SP),
    ...     in_portfolio=False,
    ... )
    >>> walk_in.local_day, walk_in.finished_local_day
    (datetime.date(2026, 5, 10), datetime.date(2026, 5, 11))
    >>> attrs.evolve(walk_in, follow_up=FollowUp(day=date(2026, 5, 11), note="Ligar"))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Contact.follow_up.day must be after the contact's local day (2026-05-11 in America/Sao_Paulo), got datetime.date(2026, 5, 11)
    >>> attrs.evolve(walk_in, outcome=ContactOutcome.DISMISSED, dismiss_reason="Não atendeu")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Contact.suggestion_id must name the suggestion a DISMISSED contact dismisses, got None
    """

    contact_id: str = attrs.field(validator=v.text(100))
    seller_code: str = attrs.field(validator=v.text(100))
    customer_id: str = attrs.field(validator=v.text(100))
    suggestion_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    campaign_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    channel: ContactChannel = attrs.field(validator=v.member_of(ContactChannel))
    started_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    finished_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    products_offered: tuple[str, ...] = attrs.field(
        default=(),
        converter=attrs.Converter(_to_skus, takes_self=True, takes_field=True),  # type: ignore[misc]
    )
    follow_up: FollowUp | None = attrs.field(
        default=None, validator=v.optional_instance_of(FollowUp)
    )
    consent_change: ConsentChange | None = attrs.field(
        default=None, validator=v.optional_instance_of(ConsentChange)
    )
    notes: str | None = attrs.field(
        default=None, validator=v.optional_text(_MAX_NOTE, multiline=True)
    )
    outcome: ContactOutcome = attrs.field(
        default=ContactOutcome.FINISHED, validator=v.member_of(ContactOutcome)
    )
    dismiss_reason: str | None = attrs.field(
        default=None, validator=v.optional_text(500, multiline=True)
    )
    in_portfolio: bool = attrs.field(validator=v.boolean)
    time_zone: str = attrs.field(default=DEFAULT_TIME_ZONE, validator=v.time_zone)

    def __attrs_post_init__(self) -> None:
        if self.finished_at < self.started_at:
            raise ValidationError(
                "Contact.finished_at",
                self.finished_at,
                f"must not be before started_at ({self.started_at.isoformat()})",
            )
        if self.outcome is ContactOutcome.DISMISSED:
            if self.dismiss_reason is None:
                raise ValidationError(
                    "Contact.dismiss_reason", None, "must say why the suggestion was dismissed"
                )
            if self.suggestion_id is None:
                raise ValidationError(
                    "Contact.suggestion_id",
                    None,
                    "must name the suggestion a DISMISSED contact dismisses",
                )
        elif self.dismiss_reason is not None:
            raise ValidationError(
                "Contact.dismiss_reason",
                self.dismiss_reason,
                "must be None unless the outcome is DISMISSED",
            )
        if self.follow_up is not None:
            finished = self.finished_local_day
            if self.follow_up.day <= finished:
                raise ValidationError(
                    "Contact.follow_up.day",
                    self.follow_up.day,
                    f"must be after the contact's local day ({finished} in {self.time_zone})",
                )

    @property
    def zone(self) -> ZoneInfo:
        """The :class:`~zoneinfo.ZoneInfo` for :attr:`time_zone`.

        >>> from datetime import UTC
        >>> when = datetime(2026, 5, 10, 12, tzinfo=UTC)
        >>> Contact(
        ...     contact_id="A1",
        ...     seller_code="V01",
        ...     customer_id="C1",
        ...     channel=ContactChannel.SMS,
        ...     started_at=when,
        ...     finished_at=when,
        ...     in_portfolio=True,
        ...     time_zone="America/Manaus",
        ... ).zone.key
        'America/Manaus'
        """
        return ZoneInfo(self.time_zone)

    @property
    def local_day(self) -> date:
        """The local day (in :attr:`time_zone`) the contact started on.

        >>> from datetime import UTC
        >>> Contact(
        ...     contact_id="A1",
        ...     seller_code="V01",
        ...     customer_id="C1",
        ...     channel=ContactChannel.SMS,
        ...     started_at=datetime(2026, 5, 11, 2, 59, tzinfo=UTC),  # 23:59 in São Paulo
        ...     finished_at=datetime(2026, 5, 11, 2, 59, tzinfo=UTC),
        ...     in_portfolio=True,
        ... ).local_day
        datetime.date(2026, 5, 10)
        """
        return local_day(self.started_at, self.zone)

    @property
    def finished_local_day(self) -> date:
        """The local day (in :attr:`time_zone`) the contact finished on.

        >>> from datetime import UTC
        >>> Contact(
        ...     contact_id="A1",
        ...     seller_code="V01",
        ...     customer_id="C1",
        ...     channel=ContactChannel.SMS,
        ...     started_at=datetime(2026, 5, 11, 2, 50, tzinfo=UTC),  # 23:50 on the 10th
        ...     finished_at=datetime(2026, 5, 11, 3, 10, tzinfo=UTC),  # 00:10 on the 11th
        ...     in_portfolio=True,
        ... ).finished_local_day
        datetime.date(2026, 5, 11)
        """
        return local_day(self.finished_at, self.zone)


class SuggestionStatus(enum.Enum):
    """Where a suggestion stands: what the seller did with it.

    ``PENDING`` (not acted on yet), ``STARTED`` ("conversas iniciadas"),
    ``FINISHED`` ("conversas finalizadas") or ``DISMISSED``. FINISHED and
    DISMISSED are final.

    >>> SuggestionStatus.STARTED.is_final, SuggestionStatus.DISMISSED.is_final
    (False, True)
    """

    PENDING = "pending"
    STARTED = "started"
    FINISHED = "finished"
    DISMISSED = "dismissed"

    @property
    def is_final(self) -> bool:
        """True for FINISHED and DISMISSED: no event moves the suggestion any more."""
        return self in (SuggestionStatus.FINISHED, SuggestionStatus.DISMISSED)


class SuggestionEvent(enum.Enum):
    """What the seller does to a suggestion: START, FINISH or DISMISS it.

    >>> SuggestionEvent("dismiss")
    <SuggestionEvent.DISMISS: 'dismiss'>
    """

    START = "start"
    FINISH = "finish"
    DISMISS = "dismiss"


_MOVES: dict[tuple[SuggestionStatus, SuggestionEvent], SuggestionStatus] = {
    (SuggestionStatus.PENDING, SuggestionEvent.START): SuggestionStatus.STARTED,
    (SuggestionStatus.PENDING, SuggestionEvent.DISMISS): SuggestionStatus.DISMISSED,
    (SuggestionStatus.STARTED, SuggestionEvent.FINISH): SuggestionStatus.FINISHED,
    (SuggestionStatus.STARTED, SuggestionEvent.DISMISS): SuggestionStatus.DISMISSED,
}

_VERBS = {
    SuggestionEvent.START: "start",
    SuggestionEvent.FINISH: "finish",
    SuggestionEvent.DISMISS: "be dismissed",
}


def advance(status: SuggestionStatus, event: SuggestionEvent) -> SuggestionStatus:
    """Return the status a suggestion moves to when ``event`` happens.

    The only moves are ``PENDING --START--> STARTED``,
    ``PENDING --DISMISS--> DISMISSED``, ``STARTED --FINISH--> FINISHED`` and
    ``STARTED --DISMISS--> DISMISSED``. Nothing goes back, and nothing moves
    a final suggestion; a pending suggestion must start before it finishes.

    Raises:
        ValidationError: ``status`` or ``event`` is not a member of its enum.
        RuleViolation: the move is not allowed.

    >>> advance(SuggestionStatus.PENDING, SuggestionEvent.START)
    <SuggestionStatus.STARTED: 'started'>
    >>> advance(SuggestionStatus.PENDING, SuggestionEvent.DISMISS)
    <SuggestionStatus.DISMISSED: 'dismissed'>
    >>> advance(SuggestionStatus.PENDING, SuggestionEvent.FINISH)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: a pending suggestion cannot finish: it must start first
    >>> advance(SuggestionStatus.STARTED, SuggestionEvent.START)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: a started suggestion cannot start: it has already started
    """
    v.require_enum("status", status, SuggestionStatus)
    v.require_enum("event", event, SuggestionEvent)
    moved = _MOVES.get((status, event))
    if moved is not None:
        return moved
    verb = _VERBS[event]
    if status.is_final:
        why = "it is final"
    elif status is SuggestionStatus.PENDING:
        why = "it must start first"
    else:
        why = "it has already started"
    raise RuleViolation(f"a {status.value} suggestion cannot {verb}: {why}")


def settle(status: SuggestionStatus, outcome: ContactOutcome) -> SuggestionStatus:
    """Apply a registered contact's outcome to the suggestion it answers.

    A PENDING suggestion starts first, then finishes or is dismissed; a
    STARTED one just finishes or is dismissed. Registering a contact for a
    final suggestion is a :class:`~otocore.errors.RuleViolation`.

    >>> settle(SuggestionStatus.PENDING, ContactOutcome.FINISHED)
    <SuggestionStatus.FINISHED: 'finished'>
    >>> settle(SuggestionStatus.STARTED, ContactOutcome.DISMISSED)
    <SuggestionStatus.DISMISSED: 'dismissed'>
    >>> settle(SuggestionStatus.DISMISSED, ContactOutcome.FINISHED)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: a dismissed suggestion cannot start: it is final
    """
    v.require_enum("status", status, SuggestionStatus)
    v.require_enum("outcome", outcome, ContactOutcome)
    if status is not SuggestionStatus.STARTED:
        status = advance(status, SuggestionEvent.START)
    last = SuggestionEvent.FINISH if outcome is ContactOutcome.FINISHED else SuggestionEvent.DISMISS
    return advance(status, last)
