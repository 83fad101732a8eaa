"""The values of the daily suggestions: the suggestion, the explanation, the outcomes, the policy.

Private to :mod:`otocore.suggestions`, which re-exports every public name:
:class:`~otocore.suggestions.Suggestion`, :class:`~otocore.suggestions.Explanation`,
their enumerations, :class:`~otocore.suggestions.SellerWorkload`,
:class:`~otocore.suggestions.SuggestionPolicy` and
:func:`~otocore.suggestions.suggestion_id_for`.
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE
from otocore.campaigns import template_faults
from otocore.consent import ContactChannel
from otocore.contacts import SuggestionStatus
from otocore.distribution import SuggestionLimiter
from otocore.errors import ValidationError
from otocore.quarantine import QuarantinePolicy, QuarantineRule

_T = TypeVar("_T")

DEFAULT_FOLLOW_UP_MESSAGE = (
    "Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}. "
    "Como combinamos, estou passando para retomar a nossa conversa."
)
"""The brand's default message of a follow-up suggestion (a template like a campaign's)."""

_MAX_MESSAGE = 20_000


# enumerations ------------------------------------------------------------------


class SuggestionKind(enum.Enum):
    """What a suggestion comes from: a scheduled follow-up or a campaign.

    >>> SuggestionKind("follow_up")
    <SuggestionKind.FOLLOW_UP: 'follow_up'>
    """

    FOLLOW_UP = "follow_up"
    CAMPAIGN = "campaign"


class SuggestionReason(enum.Enum):
    """Why a suggestion was chosen.

    * ``FOLLOW_UP``: the seller scheduled it during a contact ("agendamento").
    * ``FOLLOW_UP_REASSIGNED``: a follow-up whose seller is no longer active,
      given to the customer's current seller.
    * ``CAMPAIGN``: the first campaign, by priority, whose audience, own
      quarantine and consent all hold for the customer.

    >>> SuggestionReason("campaign").value
    'campaign'
    """

    FOLLOW_UP = "follow_up"
    FOLLOW_UP_REASSIGNED = "follow_up_reassigned"
    CAMPAIGN = "campaign"

    @property
    def kind(self) -> SuggestionKind:
        """The :class:`SuggestionKind` this reason belongs to.

        >>> SuggestionReason.FOLLOW_UP_REASSIGNED.kind
        <SuggestionKind.FOLLOW_UP: 'follow_up'>
        """
        if self is SuggestionReason.CAMPAIGN:
            return SuggestionKind.CAMPAIGN
        return SuggestionKind.FOLLOW_UP


class SuggestionOutcome(enum.Enum):
    """What happened to a customer on a day: suggested, or why not.

    | value                     | meaning                                                   |
    |---------------------------|-----------------------------------------------------------|
    | `suggested`               | in a seller's list                                        |
    | `cut_by_limit`            | a candidate, below the seller's daily limit               |
    | `opted_out`               | no consent on the channel(s) it would be contacted on      |
    | `blocked`                 | CPF blocked for campaigns                                 |
    | `quarantined`             | contacted too recently (see ``free_on``)                  |
    | `no_campaign_matched`     | no running campaign has the customer in its audience      |
    | `not_in_active_portfolio` | unassigned, or the seller is inactive                     |
    | `anonymized`              | the customer's data was anonymized                        |
    | `no_customer_record`      | in a carteira but without a customer record (no facts)    |

    >>> SuggestionOutcome("opted_out").name
    'OPTED_OUT'
    """

    SUGGESTED = "suggested"
    CUT_BY_LIMIT = "cut_by_limit"
    OPTED_OUT = "opted_out"
    BLOCKED = "blocked"
    QUARANTINED = "quarantined"
    NO_CAMPAIGN_MATCHED = "no_campaign_matched"
    NOT_IN_ACTIVE_PORTFOLIO = "not_in_active_portfolio"
    ANONYMIZED = "anonymized"
    NO_CUSTOMER_RECORD = "no_customer_record"


# validators ----------------------------------------------------------------------


_message = v.text(_MAX_MESSAGE, multiline=True)


def _to_figure(value: Any, self_: Any, field: attrs.Attribute[Any]) -> Decimal | None:
    """attrs converter: an int or a finite Decimal becomes a Decimal; floats are refused."""
    name = v.field_name(self_, field)
    example = _EXAMPLES[field.name]
    rule = f"must be an int or a decimal.Decimal such as Decimal('{example}')"
    if value is None:
        return None
    if isinstance(value, float):
        raise ValidationError(name, value, f"{rule}; floats are refused")
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValidationError(name, value, rule)
    figure = Decimal(value)
    if not figure.is_finite():
        raise ValidationError(name, value, f"{rule} (finite)")
    return figure


_EXAMPLES = {"hours_worked": "7.5", "idle_share": "0.25", "avg_conversation_minutes": "4.5"}


# value types ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class SellerWorkload:
    """A seller's figures for the suggestion limiter; a missing one is the brand's default.

    "O Limitador de Sugestões define a quantidade ideal de sugestões diárias,
    considerando: horas trabalhadas, ociosidade, tempo médio de conversa."

    Attributes:
        hours_worked: hours the seller works a day (>= 0), or ``None``.
        idle_share: the share of that time that is idle ("ociosidade"), in
            ``[0, 1]``, or ``None``.
        avg_conversation_minutes: minutes one conversation takes (> 0), or
            ``None``.

    Each is given as an ``int`` or a :class:`~decimal.Decimal` (never a
    float) and kept as a ``Decimal``.

    >>> SellerWorkload(hours_worked=6)
    SellerWorkload(hours_worked=Decimal('6'), idle_share=None, avg_conversation_minutes=None)
    >>> SellerWorkload(avg_conversation_minutes=0)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SellerWorkload.avg_conversation_minutes must be > 0, got Decimal('0')
    """

    hours_worked: Decimal | None = attrs.field(
        default=None,
        converter=attrs.Converter(_to_figure, takes_self=True, takes_field=True),  # type: ignore[misc]
    )
    idle_share: Decimal | None = attrs.field(
        default=None,
        converter=attrs.Converter(_to_figure, takes_self=True, takes_field=True),  # type: ignore[misc]
    )
    avg_conversation_minutes: Decimal | None = attrs.field(
        default=None,
        converter=attrs.Converter(_to_figure, takes_self=True, takes_field=True),  # type: ignore[misc]
    )

    def __attrs_post_init__(self) -> None:
        hours, idle, minutes = self.hours_worked, self.idle_share, self.avg_conversation_minutes
        if hours is not None and hours < 0:
            raise ValidationError("SellerWorkload.hours_worked", hours, "must be >= 0")
        if idle is not None and not 0 <= idle <= 1:
            raise ValidationError("SellerWorkload.idle_share", idle, "must be between 0 and 1")
        if minutes is not None and minutes <= 0:
            raise ValidationError("SellerWorkload.avg_conversation_minutes", minutes, "must be > 0")

    @property
    def is_complete(self) -> bool:
        """True when all three figures are given.

        >>> SellerWorkload(hours_worked=8).is_complete
        False
        """
        return None not in (self.hours_worked, self.idle_share, self.avg_conversation_minutes)

    def with_defaults(self, default: SellerWorkload) -> SellerWorkload:
        """This workload with every missing figure taken from ``default``.

        >>> brand = SellerWorkload(
        ...     hours_worked=8, idle_share=Decimal("0.25"), avg_conversation_minutes=6
        ... )
        >>> SellerWorkload(hours_worked=4).with_defaults(brand).hours_worked
        Decimal('4')
        >>> SellerWorkload(hours_worked=4).with_defaults(brand).idle_share
        Decimal('0.25')
        """
        if not isinstance(default, SellerWorkload):
            raise ValidationError("default", default, "must be a SellerWorkload")
        return SellerWorkload(
            hours_worked=_first(self.hours_worked, default.hours_worked),
            idle_share=_first(self.idle_share, default.idle_share),
            avg_conversation_minutes=_first(
                self.avg_conversation_minutes, default.avg_conversation_minutes
            ),
        )

    def daily_limit(self, limiter: SuggestionLimiter) -> int:
        """The seller's daily number of suggestions under ``limiter``; needs every figure.

        >>> SellerWorkload(
        ...     hours_worked=8, idle_share=Decimal("0.25"), avg_conversation_minutes=6
        ... ).daily_limit(SuggestionLimiter(5, 40))
        20
        >>> SellerWorkload(hours_worked=8).daily_limit(SuggestionLimiter(5, 40))
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: SellerWorkload.idle_share is required to compute a daily limit (fill it with with_defaults), got None
        """
        if not isinstance(limiter, SuggestionLimiter):
            raise ValidationError("limiter", limiter, "must be a SuggestionLimiter")
        for name in ("hours_worked", "idle_share", "avg_conversation_minutes"):
            if getattr(self, name) is None:
                raise ValidationError(
                    f"SellerWorkload.{name}",
                    None,
                    "is required to compute a daily limit (fill it with with_defaults)",
                )
        assert self.hours_worked is not None  # noqa: S101 - narrowed above
        assert self.idle_share is not None  # noqa: S101
        assert self.avg_conversation_minutes is not None  # noqa: S101
        return limiter.daily_limit(
            self.hours_worked, self.idle_share, self.avg_conversation_minutes
        )


def _first(a: _T | None, b: _T | None) -> _T | None:
    return b if a is None else a


def _check_limiter(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, SuggestionLimiter):
        raise ValidationError(
            v.field_name(instance, attribute), value, "must be a SuggestionLimiter"
        )


def _check_default_workload(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    if not isinstance(value, SellerWorkload):
        raise ValidationError(field, value, "must be a SellerWorkload")
    if not value.is_complete:
        raise ValidationError(field, value, "must give all three figures (the brand's defaults)")


def _check_quarantine(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, QuarantinePolicy):
        raise ValidationError(
            v.field_name(instance, attribute), value, "must be a QuarantinePolicy"
        )


def _check_template(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    faults = template_faults(v.field_name(instance, attribute), value)
    if faults:
        raise ValidationError.collect(faults)


_DEFAULT_WORKLOAD = SellerWorkload(
    hours_worked=8, idle_share=Decimal("0.25"), avg_conversation_minutes=6
)


@attrs.frozen(kw_only=True)
class SuggestionPolicy:
    """The brand's settings for the daily suggestions; the defaults are otocore's.

    Attributes:
        limiter: the :class:`~otocore.distribution.SuggestionLimiter`
            (default ``SuggestionLimiter(5, 40)``).
        default_workload: the brand's :class:`SellerWorkload`, complete
            (default 8 hours, idle share 0.25, 6 minutes a conversation: 20
            suggestions a day).
        quarantine: the :class:`~otocore.quarantine.QuarantinePolicy`
            (default 7 days after any contact).
        follow_up_message: the template of a follow-up's message, with the
            campaign placeholders ``{primeiro_nome}``, ``{vendedor}`` and
            ``{loja}`` (default :data:`DEFAULT_FOLLOW_UP_MESSAGE`).
        time_zone: the brand's IANA zone of local days (default
            ``"America/Sao_Paulo"``); the quarantine policy, the consent
            ledger and the block list must use the same.

    >>> SuggestionPolicy().default_workload.daily_limit(SuggestionPolicy().limiter)
    20
    >>> SuggestionPolicy(follow_up_message="Oi {nome}")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SuggestionPolicy.follow_up_message has an unknown placeholder {nome}; use {primeiro_nome}, {vendedor} or {loja}, got 'Oi {nome}'
    >>> SuggestionPolicy(time_zone="America/Manaus")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SuggestionPolicy.quarantine must use the policy's time zone ('America/Manaus'), got 'America/Sao_Paulo'
    """

    limiter: SuggestionLimiter = attrs.field(
        factory=lambda: SuggestionLimiter(5, 40), validator=_check_limiter
    )
    default_workload: SellerWorkload = attrs.field(
        default=_DEFAULT_WORKLOAD, validator=_check_default_workload
    )
    quarantine: QuarantinePolicy = attrs.field(
        factory=QuarantinePolicy, validator=_check_quarantine
    )
    follow_up_message: str = attrs.field(
        default=DEFAULT_FOLLOW_UP_MESSAGE, validator=_check_template
    )
    time_zone: str = attrs.field(default=DEFAULT_TIME_ZONE, validator=v.time_zone)

    def __attrs_post_init__(self) -> None:
        if self.quarantine.time_zone != self.time_zone:
            raise ValidationError(
                "SuggestionPolicy.quarantine",
                self.quarantine.time_zone,
                f"must use the policy's time zone ({self.time_zone!r})",
            )


DEFAULT_POLICY = SuggestionPolicy()


def suggestion_id_for(day: date, customer_id: str) -> str:
    """The id of a customer's suggestion on ``day``: ``"<day>:<customer id>"``.

    At most one suggestion per customer per day, so the id is deterministic
    and generating a day again gives the same ids.

    >>> suggestion_id_for(date(2026, 5, 11), "C1")
    '2026-05-11:C1'
    """
    v.require_date("day", day)
    v.require_text("customer_id", customer_id, max_length=100)
    return f"{day.isoformat()}:{customer_id}"


def _check_rank(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.integer(min_value=1)(instance, attribute, value)


@attrs.frozen(kw_only=True)
class Suggestion:
    """Sugestão: one customer in one seller's list on one local day.

    Attributes:
        suggestion_id: :func:`suggestion_id_for` of ``day`` and ``customer_id``.
        day: the local day.
        seller_code: the seller whose list holds it.
        customer_id: the customer to contact.
        kind: :class:`SuggestionKind`.
        campaign_id: the campaign, or ``None`` for a follow-up.
        channel: the :class:`~otocore.consent.ContactChannel` to use (the
            customer has consent on it on ``day``).
        message: the suggested message, placeholders filled in (the seller
            may edit it: "É possível editar a mensagem, se necessário").
        reason: :class:`SuggestionReason`; agrees with ``kind``.
        detail: why, in a sentence.
        rank: the position in the seller's list, from 1.
        contact_id: for a follow-up, the contact that scheduled it; ``None``
            for a campaign.
        status: the :class:`~otocore.contacts.SuggestionStatus` (``PENDING``
            when planned).

    >>> s = Suggestion(
    ...     suggestion_id="2026-05-11:C1",
    ...     day=date(2026, 5, 11),
    ...     seller_code="V01",
    ...     customer_id="C1",
    ...     kind=SuggestionKind.CAMPAIGN,
    ...     campaign_id="ANIVERSARIO",
    ...     channel=ContactChannel.WHATSAPP,
    ...     message="Feliz aniversário, Ana!",
    ...     reason=SuggestionReason.CAMPAIGN,
    ...     detail="campaign ANIVERSARIO",
    ...     rank=1,
    ... )
    >>> s.status
    <SuggestionStatus.PENDING: 'pending'>
    >>> attrs.evolve(s, campaign_id=None)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Suggestion.campaign_id must name the campaign of a CAMPAIGN suggestion, got None
    """

    suggestion_id: str = attrs.field(validator=v.text(120))
    day: date = attrs.field(validator=v.local_date)
    seller_code: str = attrs.field(validator=v.text(100))
    customer_id: str = attrs.field(validator=v.text(100))
    kind: SuggestionKind = attrs.field(validator=v.member_of(SuggestionKind))
    campaign_id: str | None = attrs.field(validator=v.optional_text(100))
    channel: ContactChannel = attrs.field(validator=v.member_of(ContactChannel))
    message: str = attrs.field(validator=_message)
    reason: SuggestionReason = attrs.field(validator=v.member_of(SuggestionReason))
    detail: str = attrs.field(validator=_message)
    rank: int = attrs.field(validator=_check_rank)
    contact_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    status: SuggestionStatus = attrs.field(
        default=SuggestionStatus.PENDING, validator=v.member_of(SuggestionStatus)
    )

    def __attrs_post_init__(self) -> None:
        expected = f"{self.day.isoformat()}:{self.customer_id}"
        if self.suggestion_id != expected:
            raise ValidationError(
                "Suggestion.suggestion_id", self.suggestion_id, f"must be {expected!r}"
            )
        if self.reason.kind is not self.kind:
            raise ValidationError(
                "Suggestion.reason", self.reason, f"must be a reason of kind {self.kind.name}"
            )
        if self.kind is SuggestionKind.CAMPAIGN:
            if self.campaign_id is None:
                raise ValidationError(
                    "Suggestion.campaign_id",
                    None,
                    "must name the campaign of a CAMPAIGN suggestion",
                )
            if self.contact_id is not None:
                raise ValidationError(
                    "Suggestion.contact_id",
                    self.contact_id,
                    "must be None for a CAMPAIGN suggestion",
                )
        else:
            if self.campaign_id is not None:
                raise ValidationError(
                    "Suggestion.campaign_id", self.campaign_id, "must be None for a FOLLOW_UP"
                )
            if self.contact_id is None:
                raise ValidationError(
                    "Suggestion.contact_id",
                    None,
                    "must name the contact that scheduled the FOLLOW_UP",
                )


def _optional_suggestion(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and not isinstance(value, Suggestion):
        raise ValidationError(
            v.field_name(instance, attribute), value, "must be a Suggestion or None"
        )


@attrs.frozen(kw_only=True)
class Explanation:
    """Why a customer was or was not suggested on a day (the answer of ``explain``).

    Attributes:
        customer_id: the customer.
        day: the local day.
        outcome: the :class:`SuggestionOutcome`.
        detail: the reason in a sentence ("in quarantine (after_contact) until 2026-05-17").
        seller_code: the seller concerned (the list it is or would be in, or
            the inactive seller of the carteira), or ``None``.
        campaign_id: the campaign concerned, or ``None``.
        channel: the channel concerned (SUGGESTED, CUT_BY_LIMIT, or the
            channel of a follow-up without consent), or ``None``.
        free_on: for QUARANTINED, the first day the rule releases the customer.
        quarantine_rule: for QUARANTINED, the :class:`~otocore.quarantine.QuarantineRule`.
        suggestion: for SUGGESTED, the :class:`Suggestion`.

    >>> e = Explanation(
    ...     customer_id="C1",
    ...     day=date(2026, 5, 11),
    ...     outcome=SuggestionOutcome.QUARANTINED,
    ...     detail="in quarantine (after_contact) until 2026-05-17",
    ...     free_on=date(2026, 5, 17),
    ...     quarantine_rule=QuarantineRule.AFTER_CONTACT,
    ... )
    >>> e.suggested, e.free_on
    (False, datetime.date(2026, 5, 17))
    """

    customer_id: str = attrs.field(validator=v.text(100))
    day: date = attrs.field(validator=v.local_date)
    outcome: SuggestionOutcome = attrs.field(validator=v.member_of(SuggestionOutcome))
    detail: str = attrs.field(validator=_message)
    seller_code: str | None = attrs.field(default=None, validator=v.optional_text(100))
    campaign_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    channel: ContactChannel | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.member_of(ContactChannel))
    )
    free_on: date | None = attrs.field(default=None, validator=v.optional_local_date)
    quarantine_rule: QuarantineRule | None = attrs.field(
        default=None, validator=attrs.validators.optional(v.member_of(QuarantineRule))
    )
    suggestion: Suggestion | None = attrs.field(default=None, validator=_optional_suggestion)

    @property
    def suggested(self) -> bool:
        """True when the customer is in a seller's list that day.

        >>> Explanation(
        ...     customer_id="C1",
        ...     day=date(2026, 5, 11),
        ...     outcome=SuggestionOutcome.ANONYMIZED,
        ...     detail="anonymized",
        ... ).suggested
        False
        """
        return self.outcome is SuggestionOutcome.SUGGESTED
