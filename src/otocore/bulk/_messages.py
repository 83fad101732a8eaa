"""Mensagem em massa (bulk message): the Messenger protocol and ``send_bulk``. Private."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import datetime
from typing import Any, Final, Protocol

import attrs

from otocore import _validate as v
from otocore.blocking import BlockFeature, BlockList
from otocore.bulk._categories import UnknownCustomers, selection
from otocore.consent import ConsentLedger, ConsentPolicy, ContactChannel
from otocore.customers import Customer
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.repositories import UnitOfWork

RESPONSIBILITY_STATEMENT: Final = (
    "I am responsible for this message and its recipients under the LGPD and the rules"
    " of the channel (consent, opt-out, content); otocore only skips customers without"
    " consent on the channel or blocked for the feature."
)
"""What the caller of :func:`send_bulk` acknowledges (the command line prints it).

Altegio asks the same before a bulk SMS: "marque a caixa ao lado da configuração Li e
compreendo a responsabilidade por violação da legislação vigente".
"""

MAX_TEXT: Final = 4_096
"""The longest message text, in characters."""

_BY_MOBILE: Final = frozenset(
    {ContactChannel.WHATSAPP, ContactChannel.SMS, ContactChannel.PHONE_CALL}
)


class AcknowledgmentRequired(RuleViolation):
    """:func:`send_bulk` was called without a :class:`ResponsibilityAcknowledgment`: nothing was sent.

    >>> print(AcknowledgmentRequired())
    a bulk message needs the sender's acknowledgment of legal responsibility (a ResponsibilityAcknowledgment; --i-accept-responsibility on the command line); nothing was sent
    """

    def __init__(self) -> None:
        super().__init__(
            "a bulk message needs the sender's acknowledgment of legal responsibility"
            " (a ResponsibilityAcknowledgment; --i-accept-responsibility on the command line);"
            " nothing was sent"
        )


@attrs.frozen
class ResponsibilityAcknowledgment:
    """The sender's explicit acknowledgment of legal responsibility for a bulk message.

    ``by`` is who acknowledged (a user, an e-mail), ``at`` when (an aware
    instant). Building one means accepting :data:`RESPONSIBILITY_STATEMENT`.

    >>> from datetime import UTC, datetime
    >>> ResponsibilityAcknowledgment(
    ...     by="gerente@loja.com.br", at=datetime(2026, 5, 10, 12, tzinfo=UTC)
    ... )
    ResponsibilityAcknowledgment(by='gerente@loja.com.br', at=datetime.datetime(2026, 5, 10, 12, 0, tzinfo=datetime.timezone.utc))
    """

    by: str = attrs.field(validator=v.text(200))
    at: datetime = attrs.field(validator=v.aware)


def _a_str(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if type(value) is not str:
        raise ValidationError(v.field_name(instance, attribute), value, "must be text (str)")


@attrs.frozen
class SendOutcome:
    """What a :class:`Messenger` says of one message: accepted for delivery or refused, and why.

    >>> SendOutcome(accepted=False, detail="invalid number")
    SendOutcome(accepted=False, detail='invalid number')
    """

    accepted: bool = attrs.field(validator=v.boolean)
    detail: str = attrs.field(default="", validator=_a_str)


class Messenger(Protocol):
    """Sends one message to one customer on one channel (WhatsApp, SMS, e-mail ...).

    An implementation talks to a provider; :func:`send_bulk` calls it once
    per customer that may be sent to, after the consent and block checks.
    :class:`otocore.adapters.messenger.InMemoryMessenger` records what it is
    given (for tests); :class:`otocore.adapters.messenger.JsonLinesMessenger`
    writes an outbox file.

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.messenger import InMemoryMessenger
    >>> from otocore.consent import ContactChannel
    >>> ana = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    >>> InMemoryMessenger().send(ana, ContactChannel.PUSH, "Oi, Ana!")
    SendOutcome(accepted=True, detail='')
    """

    def send(self, customer: Customer, channel: ContactChannel, text: str) -> SendOutcome:
        """Send ``text`` to ``customer`` on ``channel``; say whether it was accepted."""


class SkipReason(enum.Enum):
    """Why :func:`send_bulk` did not send to a customer.

    >>> SkipReason("no_consent").label
    'no consent on the channel'
    """

    NO_CONSENT = "no_consent"
    BLOCKED = "blocked"
    NO_ADDRESS = "no_address"
    REFUSED = "refused"

    @property
    def label(self) -> str:
        """The reason in words."""
        return _LABELS[self]


_LABELS: Final = {
    SkipReason.NO_CONSENT: "no consent on the channel",
    SkipReason.BLOCKED: "CPF blocked for the feature",
    SkipReason.NO_ADDRESS: "no mobile or e-mail for the channel",
    SkipReason.REFUSED: "the messenger refused the message",
}


@attrs.frozen
class Skipped:
    """A customer :func:`send_bulk` did not send to, the reason and its detail.

    >>> Skipped("C2", SkipReason.NO_CONSENT, "no consent on whatsapp on 2026-05-10T12:00:00+00:00")
    Skipped(customer_id='C2', reason=<SkipReason.NO_CONSENT: 'no_consent'>, detail='no consent on whatsapp on 2026-05-10T12:00:00+00:00')
    """

    customer_id: str = attrs.field(validator=v.text(100))
    reason: SkipReason = attrs.field(validator=v.member_of(SkipReason))
    detail: str = attrs.field(validator=_a_str)


def _str_tuple(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(v.iter_instances("BulkReport.sent", values, str))


def _skipped_tuple(values: Iterable[Skipped]) -> tuple[Skipped, ...]:
    return tuple(v.iter_instances("BulkReport.skipped", values, Skipped))


@attrs.frozen
class BulkReport:
    """The report of a bulk message: who was sent it, who was skipped and why.

    ``sent`` and ``skipped`` keep the order of the selection; every customer
    of the selection is in exactly one of them.

    >>> report = BulkReport(channel=ContactChannel.SMS, sent=("C1",), skipped=())
    >>> report.counts()
    {'sent': 1, 'no_consent': 0, 'blocked': 0, 'no_address': 0, 'refused': 0}
    """

    channel: ContactChannel = attrs.field(validator=v.member_of(ContactChannel))
    sent: tuple[str, ...] = attrs.field(converter=_str_tuple)
    skipped: tuple[Skipped, ...] = attrs.field(converter=_skipped_tuple)

    def counts(self) -> dict[str, int]:
        """How many were sent, and skipped for each reason."""
        counts = {"sent": len(self.sent)} | {r.value: 0 for r in SkipReason}
        for s in self.skipped:
            counts[s.reason.value] += 1
        return counts


def _has_address(customer: Customer, channel: ContactChannel) -> bool:
    if channel in _BY_MOBILE:
        return customer.mobile is not None
    if channel is ContactChannel.EMAIL:
        return customer.email is not None
    return True  # push: the app knows the device


def send_bulk(
    uow: UnitOfWork,
    messenger: Messenger,
    customer_ids: Iterable[str],
    *,
    channel: ContactChannel,
    text: str,
    at: datetime,
    acknowledgment: ResponsibilityAcknowledgment | None,
    feature: BlockFeature = BlockFeature.CAMPAIGNS,
    consent_policy: ConsentPolicy | None = None,
    time_zone: str | None = None,
) -> BulkReport:
    """Mensagem em massa: send ``text`` on ``channel`` to a selection, skipping who may not get it.

    An unaudited building block (no principal, nothing recorded): a person's act goes
    through :class:`~otocore.bulk.BulkService`, which authorizes and audits it.

    The rule, in order, for each customer of the selection (its order kept,
    repeats once):

    1. no consent on ``channel`` at ``at`` (:mod:`otocore.consent`, under
       ``consent_policy``): skipped, ``no_consent``;
    2. a CPF blocked for ``feature`` at ``at`` (:mod:`otocore.blocking`;
       campaigns by default): skipped, ``blocked``;
    3. no mobile (WhatsApp, SMS, phone call) or e-mail (e-mail) to send to:
       skipped, ``no_address``;
    4. otherwise the :class:`Messenger` is called once; a refusal is skipped,
       ``refused``, with the messenger's detail.

    Nothing is sent, and :class:`AcknowledgmentRequired` is raised, unless
    ``acknowledgment`` is a :class:`ResponsibilityAcknowledgment`; nothing is
    sent either when an id names no customer (:class:`UnknownCustomers`) or
    an argument is bad. The checks read the store in one block, before the
    first message; the sends happen after it closed. An exception raised by
    the messenger propagates (the messages before it were sent).

    Args:
        uow: the store.
        messenger: sends each message.
        customer_ids: the selection (a list, the ids of a search or filter).
        channel: the :class:`~otocore.consent.ContactChannel`.
        text: the message, 1 to :data:`MAX_TEXT` characters.
        at: the instant of the send (aware): consent and blocks are read there.
        acknowledgment: the sender's acknowledgment of legal responsibility.
        feature: the blocked-CPF feature the message belongs to.
        consent_policy: the brand's :class:`~otocore.consent.ConsentPolicy`.
        time_zone: the brand's zone for the block list (default: the
            consent policy's).

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.adapters.messenger import InMemoryMessenger
    >>> from otocore.consent import ConsentEvent, ConsentSource
    >>> from otocore.customers import Mobile
    >>> uow, messenger = InMemoryUnitOfWork(), InMemoryMessenger()
    >>> at = datetime(2026, 5, 10, 12, tzinfo=UTC)
    >>> with uow:
    ...     for cid in ("C1", "C2"):
    ...         uow.customers.add(
    ...             Customer(
    ...                 customer_id=cid,
    ...                 name=cid,
    ...                 registered_at=at,
    ...                 mobile=Mobile.parse("11987654321"),
    ...             )
    ...         )
    ...     uow.consent.append(
    ...         ConsentEvent(
    ...             customer_id="C1",
    ...             channel=ContactChannel.WHATSAPP,
    ...             granted=True,
    ...             at=datetime(2026, 1, 1, tzinfo=UTC),
    ...             source=ConsentSource.SELLER_APP,
    ...             recorded_by="V01",
    ...         )
    ...     )
    >>> ack = ResponsibilityAcknowledgment(by="gerente@loja.com.br", at=at)
    >>> report = send_bulk(
    ...     uow,
    ...     messenger,
    ...     ["C1", "C2"],
    ...     channel=ContactChannel.WHATSAPP,
    ...     text="Promoção de maio!",
    ...     at=at,
    ...     acknowledgment=ack,
    ... )
    >>> report.sent, [(s.customer_id, s.reason.value) for s in report.skipped]
    (('C1',), [('C2', 'no_consent')])
    >>> try:
    ...     send_bulk(
    ...         uow,
    ...         messenger,
    ...         ["C1"],
    ...         channel=ContactChannel.WHATSAPP,
    ...         text="Oi",
    ...         at=at,
    ...         acknowledgment=None,
    ...     )
    ... except AcknowledgmentRequired as err:
    ...     print(err)
    a bulk message needs the sender's acknowledgment of legal responsibility (a ResponsibilityAcknowledgment; --i-accept-responsibility on the command line); nothing was sent
    >>> len(messenger.sent)
    1
    """
    if not isinstance(acknowledgment, ResponsibilityAcknowledgment):
        raise AcknowledgmentRequired
    args = BulkArgs.checked(
        messenger,
        channel=channel,
        text=text,
        at=at,
        feature=feature,
        consent_policy=consent_policy,
        time_zone=time_zone,
    )
    ids = selection(customer_ids)
    with uow:
        plan = plan_bulk(uow, ids, args)
    return deliver(plan, messenger, args)


@attrs.frozen
class BulkArgs:
    """The checked arguments of a bulk message (private to otocore.bulk)."""

    channel: ContactChannel
    feature: BlockFeature
    text: str
    at: datetime
    policy: ConsentPolicy
    zone: str

    @classmethod
    def checked(
        cls,
        messenger: object,
        *,
        channel: object,
        text: object,
        at: object,
        feature: object,
        consent_policy: object,
        time_zone: object,
    ) -> BulkArgs:
        """The arguments of :func:`send_bulk`, checked (ValidationError naming a bad one)."""
        checked_channel = v.require_enum("channel", channel, ContactChannel)
        checked_feature = v.require_enum("feature", feature, BlockFeature)
        checked_text = v.require_text("text", text, max_length=MAX_TEXT, multiline=True)
        checked_at = v.require_aware("at", at)
        policy = v.require_instance(
            "consent_policy",
            ConsentPolicy() if consent_policy is None else consent_policy,
            ConsentPolicy,
        )
        zone = policy.time_zone if time_zone is None else time_zone
        v.zone("time_zone", zone)
        assert isinstance(zone, str)  # noqa: S101 - v.zone refused anything else
        if not callable(getattr(messenger, "send", None)):
            raise ValidationError(
                "messenger", messenger, "must be a Messenger (with a send method)"
            )
        return cls(checked_channel, checked_feature, checked_text, checked_at, policy, zone)


def plan_bulk(
    uow: UnitOfWork, ids: list[str], args: BulkArgs
) -> list[tuple[Customer, Skipped | None]]:
    """Each customer of ``ids`` with why it is skipped (``None``: send), inside an open block."""
    customers: dict[str, Customer] = {}
    unknown = []
    for cid in ids:
        try:
            customers[cid] = uow.customers.get(cid)
        except NotFound:
            unknown.append(cid)
    if unknown:
        raise UnknownCustomers(unknown)
    return [
        (
            customers[cid],
            _skip(uow, customers[cid], args.channel, args.feature, args.at, args.policy, args.zone),
        )
        for cid in ids
    ]


def deliver(
    plan: list[tuple[Customer, Skipped | None]], messenger: Messenger, args: BulkArgs
) -> BulkReport:
    """Send to the customers of ``plan`` not skipped; the report of who was sent and skipped."""
    sent: list[str] = []
    skipped: list[Skipped] = []
    for customer, skip in plan:
        if skip is not None:
            skipped.append(skip)
            continue
        outcome = messenger.send(customer, args.channel, args.text)
        if not isinstance(outcome, SendOutcome):
            raise ValidationError("Messenger.send", outcome, "must return a SendOutcome")
        if outcome.accepted:
            sent.append(customer.customer_id)
        else:
            skipped.append(Skipped(customer.customer_id, SkipReason.REFUSED, outcome.detail))
    return BulkReport(channel=args.channel, sent=sent, skipped=skipped)


def _skip(  # noqa: PLR0917 - a private helper of send_bulk's checks
    uow: UnitOfWork,
    customer: Customer,
    channel: ContactChannel,
    feature: BlockFeature,
    at: datetime,
    policy: ConsentPolicy,
    zone: str,
) -> Skipped | None:
    cid = customer.customer_id
    consent = ConsentLedger.from_events(uow.consent.for_customer(cid), policy=policy)
    if not consent.granted(cid, channel, at):
        return Skipped(
            cid, SkipReason.NO_CONSENT, f"no consent on {channel.value} at {at.isoformat()}"
        )
    cpf = customer.cpf
    if cpf is not None:
        blocks = BlockList.from_events(uow.blocks.for_cpf(cpf), time_zone=zone)
        if blocks.is_blocked(cpf, feature, at):
            return Skipped(cid, SkipReason.BLOCKED, f"the CPF is blocked for {feature.value}")
    if not _has_address(customer, channel):
        wanted = "e-mail" if channel is ContactChannel.EMAIL else "mobile"
        return Skipped(cid, SkipReason.NO_ADDRESS, f"no {wanted} for {channel.value}")
    return None
