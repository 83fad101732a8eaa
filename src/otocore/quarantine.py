"""Quarentena (quarantine): how long a contacted customer rests before the next suggestion.

Oto's help page for managers and campaigns ("O que é uma Quarentena?") says:
"A quarentena é uma periodicidade configurada para que a marca seja efetiva em
sua mensagem, entregando as informações para o cliente certo e com a melhor
frequência possível." Only registered contacts count: "se você não registra
e formaliza o atendimento dentro do Oto, as informações sobre o seu
atendimento [...] não ficam salvos" (Oto's FAQ), so a contact that is
not a :class:`~otocore.contacts.Contact` does not exist here.

**The rule, exactly.** Every date is a local day in the policy's
``time_zone``; a contact's day ``c`` is the local day of its ``started_at``.
The status on day ``D`` only looks at contacts with ``c <= D`` (a contact
after ``D`` had not happened yet), and each rule holds the customer on the
days ``D`` with ``start <= D < free``:

* **AFTER_CONTACT**: the latest contact's day ``c`` blocks ``c`` up to
  ``c + days_after_contact - 1``; the customer is free on
  ``c + days_after_contact`` ("no new suggestion until that many local days
  have passed"). ``days_after_contact = 0`` turns the rule off.
* **MAX_CONTACTS** (when ``max_contacts = m`` and ``per_days = p`` are set):
  the customer is held on ``D`` iff at least ``m`` contacts have their day
  in ``(D - p, D]``, the last ``p`` days including ``D``. Free on
  ``d_m + p``, where ``d_m`` is the day of the m-th latest contact.
* **CAMPAIGN** (only when asked about a campaign): the latest contact whose
  ``campaign_id`` is the campaign's, or the latest earlier day the campaign
  was suggested to the customer (``suggested_on``, days before ``D`` only),
  on day ``c`` blocks that campaign up to ``c + quarantine_days - 1``.

The customer is free on the first day every rule has released them (the
latest of the rules' free days), and :attr:`QuarantineStatus.rule` names the
rule that holds longest (ties: AFTER_CONTACT, MAX_CONTACTS, CAMPAIGN). Until
a new contact is registered, a customer once free stays free.

A contact on Sunday 2026-05-10 at 23:59 in São Paulo (02:59 UTC on the 11th)
is on local day 10; with the default 7 days, the customer is free on the 17th:

>>> from datetime import UTC, date, datetime
>>> from zoneinfo import ZoneInfo
>>> from otocore.consent import ContactChannel
>>> from otocore.contacts import Contact
>>> SP = ZoneInfo("America/Sao_Paulo")
>>> def contact(n, when, campaign=None):
...     return Contact(
...         contact_id=f"A{n}",
...         seller_code="V01",
...         customer_id="C1",
...         campaign_id=campaign,
...         channel=ContactChannel.WHATSAPP,
...         started_at=when,
...         finished_at=when,
...         in_portfolio=True,
...     )
>>> late = contact(1, datetime(2026, 5, 10, 23, 59, tzinfo=SP))
>>> policy = QuarantinePolicy()
>>> quarantine_status([late], date(2026, 5, 16), policy)
QuarantineStatus(on=datetime.date(2026, 5, 16), in_quarantine=True, rule=<QuarantineRule.AFTER_CONTACT: 'after_contact'>, free_on=datetime.date(2026, 5, 17))
>>> quarantine_status([late], date(2026, 5, 17), policy).in_quarantine
False

At most 2 contacts in any 30 days, with no AFTER_CONTACT rule: contacts on
April 1 and April 20 hold the customer through April 30; on May 1 the window
``(April 1, May 1]`` no longer holds April 1:

>>> two = QuarantinePolicy(days_after_contact=0, max_contacts=2, per_days=30)
>>> april = [
...     contact(2, datetime(2026, 4, 1, 10, tzinfo=SP)),
...     contact(3, datetime(2026, 4, 20, 10, tzinfo=SP)),
... ]
>>> status = quarantine_status(april, date(2026, 4, 21), two)
>>> status.rule, status.free_on
(<QuarantineRule.MAX_CONTACTS: 'max_contacts'>, datetime.date(2026, 5, 1))

A campaign with ``quarantine_days = 30`` is not suggested again within 30 days
of the last contact about it (other campaigns may be):

>>> bday = CampaignQuarantine(campaign_id="ANIVERSARIO", quarantine_days=30)
>>> about = [contact(4, datetime(2026, 4, 20, 10, tzinfo=SP), campaign="ANIVERSARIO")]
>>> s = quarantine_status(about, date(2026, 5, 1), policy, campaign=bday)
>>> s.rule, s.free_on
(<QuarantineRule.CAMPAIGN: 'campaign'>, datetime.date(2026, 5, 20))
>>> quarantine_status(about, date(2026, 5, 1), policy).in_quarantine
False

Bad input is a :class:`~otocore.errors.ValidationError`:

>>> QuarantinePolicy(max_contacts=3)
Traceback (most recent call last):
...
otocore.errors.ValidationError: QuarantinePolicy.per_days must be given together with max_contacts (both or neither), got None
>>> quarantine_status([late], datetime(2026, 5, 16, tzinfo=SP), policy)
Traceback (most recent call last):
...
otocore.errors.ValidationError: on must be a datetime.date (a local calendar day), got datetime.datetime(2026, 5, 16, 0, 0, tzinfo=zoneinfo.ZoneInfo(key='America/Sao_Paulo'))
"""

from __future__ import annotations

import bisect
import enum
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

import attrs

from otocore import _validate as v
from otocore._time import DEFAULT_TIME_ZONE, local_day
from otocore.contacts import Contact
from otocore.errors import ValidationError

__all__ = [
    "CampaignQuarantine",
    "ContactHistory",
    "QuarantinePolicy",
    "QuarantineRule",
    "QuarantineStatus",
    "QuarantinedCampaign",
    "contact_histories",
    "contact_history",
    "quarantine_status",
]

_MAX_DAYS = 3660
_MAX_CONTACTS = 1000


@attrs.frozen(kw_only=True)
class QuarantinePolicy:
    """A brand's quarantine; the defaults are otocore's.

    Attributes:
        days_after_contact: after any registered contact on local day ``c``,
            no new suggestion before day ``c + days_after_contact`` (default
            7: a week between two contacts; 0 turns the rule off; at most
            3660).
        max_contacts: at most this many contacts within any ``per_days``
            consecutive local days (default ``None``: no such limit; 1 to
            1000).
        per_days: the length of that rolling window in days (default
            ``None``; 1 to 3660). Give both ``max_contacts`` and ``per_days``
            or neither.
        time_zone: IANA zone of the brand's local days (default
            ``"America/Sao_Paulo"``).

    >>> QuarantinePolicy()
    QuarantinePolicy(days_after_contact=7, max_contacts=None, per_days=None, time_zone='America/Sao_Paulo')
    >>> QuarantinePolicy(days_after_contact=-1)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: QuarantinePolicy.days_after_contact must be >= 0, got -1
    """

    days_after_contact: int = attrs.field(
        default=7, validator=v.integer(min_value=0, max_value=_MAX_DAYS)
    )
    max_contacts: int | None = attrs.field(
        default=None, validator=v.optional_integer(min_value=1, max_value=_MAX_CONTACTS)
    )
    per_days: int | None = attrs.field(
        default=None, validator=v.optional_integer(min_value=1, max_value=_MAX_DAYS)
    )
    time_zone: str = attrs.field(default=DEFAULT_TIME_ZONE, validator=v.time_zone)

    def __attrs_post_init__(self) -> None:
        if (self.max_contacts is None) != (self.per_days is None):
            name = "per_days" if self.per_days is None else "max_contacts"
            other = "max_contacts" if name == "per_days" else "per_days"
            raise ValidationError(
                f"QuarantinePolicy.{name}",
                None,  # the one of the two that is missing
                f"must be given together with {other} (both or neither)",
            )

    @property
    def zone(self) -> ZoneInfo:
        """The :class:`~zoneinfo.ZoneInfo` for :attr:`time_zone`.

        >>> QuarantinePolicy().zone.key
        'America/Sao_Paulo'
        """
        return ZoneInfo(self.time_zone)


class QuarantineRule(enum.Enum):
    """Which rule holds a customer in quarantine.

    >>> QuarantineRule("max_contacts")
    <QuarantineRule.MAX_CONTACTS: 'max_contacts'>
    """

    AFTER_CONTACT = "after_contact"
    MAX_CONTACTS = "max_contacts"
    CAMPAIGN = "campaign"


_RULE_ORDER = {rule: i for i, rule in enumerate(QuarantineRule)}


@attrs.frozen(kw_only=True)
class QuarantineStatus:
    """Whether a customer is in quarantine on a local day, why, and until when.

    Attributes:
        on: the local day asked about.
        in_quarantine: whether a rule holds the customer on ``on``.
        rule: the :class:`QuarantineRule` that holds the customer longest, or
            ``None`` when free.
        free_on: the first local day after ``on`` on which no rule holds the
            customer (if no other contact is registered), or ``None`` when
            free.

    >>> QuarantineStatus.free(date(2026, 5, 10))
    QuarantineStatus(on=datetime.date(2026, 5, 10), in_quarantine=False, rule=None, free_on=None)
    >>> QuarantineStatus(
    ...     on=date(2026, 5, 10),
    ...     in_quarantine=True,
    ...     rule=QuarantineRule.AFTER_CONTACT,
    ...     free_on=date(2026, 5, 10),
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: QuarantineStatus.free_on must be after on (2026-05-10), got datetime.date(2026, 5, 10)
    """

    on: date = attrs.field(validator=v.local_date)
    in_quarantine: bool = attrs.field()
    rule: QuarantineRule | None = attrs.field(default=None)
    free_on: date | None = attrs.field(default=None, validator=v.optional_local_date)

    def __attrs_post_init__(self) -> None:
        v.require_bool("QuarantineStatus.in_quarantine", self.in_quarantine)
        if self.in_quarantine:
            v.require_enum("QuarantineStatus.rule", self.rule, QuarantineRule)
            if self.free_on is None:
                raise ValidationError(
                    "QuarantineStatus.free_on", None, "must be set when in_quarantine is True"
                )
            if self.free_on <= self.on:
                raise ValidationError(
                    "QuarantineStatus.free_on", self.free_on, f"must be after on ({self.on})"
                )
        else:
            for name in ("rule", "free_on"):
                if getattr(self, name) is not None:
                    raise ValidationError(
                        f"QuarantineStatus.{name}",
                        getattr(self, name),
                        "must be None when in_quarantine is False",
                    )

    @classmethod
    def free(cls, on: date) -> QuarantineStatus:
        """The status of a customer no rule holds on ``on``.

        >>> QuarantineStatus.free(date(2026, 5, 10)).in_quarantine
        False
        """
        return cls(on=on, in_quarantine=False)


class QuarantinedCampaign(Protocol):
    """What the CAMPAIGN rule needs of a campaign.

    :class:`otocore.campaigns.Campaign` and :class:`CampaignQuarantine` both
    fit.

    >>> from otocore.campaigns import sample_campaigns
    >>> bday = sample_campaigns()[0]
    >>> bday.campaign_id, bday.quarantine_days
    ('ANIVERSARIO_DO_MES', 30)
    >>> quarantine_status([], date(2026, 5, 10), QuarantinePolicy(), campaign=bday).in_quarantine
    False
    """

    @property
    def campaign_id(self) -> str:
        """The campaign's id, matched against :attr:`Contact.campaign_id`."""

    @property
    def quarantine_days(self) -> int:
        """Days the campaign rests for a customer after a contact about it."""


@attrs.frozen(kw_only=True)
class CampaignQuarantine:
    """A campaign's id and its own quarantine, without the rest of the campaign.

    Attributes:
        campaign_id: the campaign.
        quarantine_days: after a contact about the campaign (or a suggestion
            of it) on local day ``c``, the campaign is not suggested to that
            customer again before ``c + quarantine_days``; 0 means never held.

    >>> CampaignQuarantine(campaign_id="POS_VENDA_30", quarantine_days=30).quarantine_days
    30
    >>> CampaignQuarantine(campaign_id="POS_VENDA_30", quarantine_days=-2)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: CampaignQuarantine.quarantine_days must be >= 0, got -2
    """

    campaign_id: str = attrs.field(validator=v.text(100))
    quarantine_days: int = attrs.field(validator=v.integer(min_value=0, max_value=_MAX_DAYS))


_DAYS_RULE = "must be a list of dates in ascending order"


def _to_days(value: Any, self_: Any, field: attrs.Attribute[Any]) -> tuple[date, ...]:
    name = v.field_name(self_, field)
    return _ascending_days(name, tuple(v.require_iterable(name, value, rule=_DAYS_RULE)))


def _ascending_days(field: str, days: tuple[Any, ...]) -> tuple[date, ...]:
    for i, day in enumerate(days):
        v.require_date(f"{field}[{i}]", day)
        if i and days[i - 1] > day:
            raise ValidationError(f"{field}[{i}]", day, "must not be before the day listed before")
    return days


def _to_campaign_days(
    value: Any, self_: Any, field: attrs.Attribute[Any]
) -> tuple[tuple[str, tuple[date, ...]], ...]:
    name = v.field_name(self_, field)
    rule = "must map campaign ids to lists of dates in ascending order"
    out: dict[str, tuple[date, ...]] = {}
    for key, listed in v.iter_pairs(name, value, rule=rule):
        path = f"{name}[{key!r}]"
        v.require_text(path, key, max_length=100)
        if key in out:
            raise ValidationError(path, listed, "must appear once")
        if not isinstance(listed, tuple | list):
            raise ValidationError(path, listed, _DAYS_RULE)
        days = _ascending_days(path, tuple(listed))
        if not days:
            raise ValidationError(path, days, "must list at least one day")
        out[key] = days
    return tuple(sorted(out.items()))


@attrs.frozen(kw_only=True)
class ContactHistory:
    """One customer's contacts reduced to local days, sorted once, for fast status checks.

    Build it with :func:`contact_history` (one customer) or
    :func:`contact_histories` (many); then :meth:`status` answers for any day
    and campaign in ``O(log n)``. This is what a daily run over a whole brand
    uses: group the contacts once, ask many times.

    Attributes:
        policy: the :class:`QuarantinePolicy` the days were taken in.
        customer_id: the customer, or ``None`` for a customer with no contact.
        days: the local day of every contact, ascending (repeats kept: two
            contacts on one day count twice for MAX_CONTACTS).
        campaign_days: for each campaign id with contacts, their local days,
            ascending; pairs sorted by campaign id (give a mapping).

    >>> from datetime import date
    >>> h = ContactHistory(
    ...     policy=QuarantinePolicy(),
    ...     customer_id="C1",
    ...     days=[date(2026, 5, 2), date(2026, 5, 10)],
    ...     campaign_days={"ANIVERSARIO": [date(2026, 5, 2)]},
    ... )
    >>> h.status(date(2026, 5, 12)).free_on
    datetime.date(2026, 5, 17)
    >>> h.campaign_days
    (('ANIVERSARIO', (datetime.date(2026, 5, 2),)),)
    >>> ContactHistory(
    ...     policy=QuarantinePolicy(), customer_id="C1", days=[date(2026, 5, 10), date(2026, 5, 2)]
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: ContactHistory.days[1] must not be before the day listed before, got datetime.date(2026, 5, 2)
    """

    policy: QuarantinePolicy = attrs.field(validator=v.instance_of(QuarantinePolicy))
    customer_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    days: tuple[date, ...] = attrs.field(
        default=(),
        converter=attrs.Converter(_to_days, takes_self=True, takes_field=True),  # type: ignore[misc]
    )
    campaign_days: tuple[tuple[str, tuple[date, ...]], ...] = attrs.field(
        default=(),
        converter=attrs.Converter(_to_campaign_days, takes_self=True, takes_field=True),  # type: ignore[misc]
    )
    _by_campaign: dict[str, tuple[date, ...]] = attrs.field(
        init=False, repr=False, eq=False, hash=False, factory=dict
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_campaign", dict(self.campaign_days))

    def status(
        self,
        on: date,
        *,
        campaign: QuarantinedCampaign | None = None,
        suggested_on: Iterable[date] = (),
    ) -> QuarantineStatus:
        """The customer's :class:`QuarantineStatus` on local day ``on``.

        Args:
            on: the local day asked about.
            campaign: ask whether this campaign may be suggested: adds the
                CAMPAIGN rule. Any object with ``campaign_id`` and
                ``quarantine_days`` (a :class:`~otocore.campaigns.Campaign`
                or a :class:`CampaignQuarantine`).
            suggested_on: local days on which ``campaign`` was suggested to
                this customer before (from stored suggestions). Days on or
                after ``on`` are ignored, so regenerating a day does not hold
                the customer because of that day's own suggestion. Needs
                ``campaign``.

        Examples:
            >>> h = ContactHistory(
            ...     policy=QuarantinePolicy(days_after_contact=3),
            ...     customer_id="C1",
            ...     days=[date(2026, 5, 10)],
            ... )
            >>> [h.status(date(2026, 5, d)).in_quarantine for d in (9, 10, 12, 13)]
            [False, True, True, False]
            >>> promo = CampaignQuarantine(campaign_id="PROMO", quarantine_days=10)
            >>> h.status(
            ...     date(2026, 5, 20), campaign=promo, suggested_on=[date(2026, 5, 15)]
            ... ).free_on
            datetime.date(2026, 5, 25)
        """
        v.require_date("on", on)
        wanted = _campaign_ref(campaign)
        earlier, given = _suggested_before(suggested_on, on)
        if given and wanted is None:
            raise ValidationError(
                "suggested_on", suggested_on, "needs the campaign it is about (campaign=...)"
            )
        policy = self.policy
        holds: list[tuple[date, QuarantineRule]] = []
        i = bisect.bisect_right(self.days, on)  # contacts on or before ``on``
        if policy.days_after_contact and i:
            free = _plus(self.days[i - 1], policy.days_after_contact)
            if free > on:
                holds.append((free, QuarantineRule.AFTER_CONTACT))
        m, p = policy.max_contacts, policy.per_days
        if m is not None and p is not None and i >= m:
            free = _plus(self.days[i - m], p)
            if free > on:
                holds.append((free, QuarantineRule.MAX_CONTACTS))
        if wanted is not None and wanted[1]:
            cid, quarantine_days = wanted
            cdays = self._by_campaign.get(cid, ())
            j = bisect.bisect_right(cdays, on)
            last = max(
                (d for d in (cdays[j - 1] if j else None, earlier) if d is not None),
                default=None,
            )
            if last is not None:
                free = _plus(last, quarantine_days)
                if free > on:
                    holds.append((free, QuarantineRule.CAMPAIGN))
        if not holds:
            return QuarantineStatus.free(on)
        free_on = max(free for free, _ in holds)
        rule = min((r for free, r in holds if free == free_on), key=_RULE_ORDER.__getitem__)
        return QuarantineStatus(on=on, in_quarantine=True, rule=rule, free_on=free_on)

    def _rests(self, on: date) -> bool:
        """``self.status(on).in_quarantine``, without building the status (raises as it does)."""
        policy = self.policy
        days = self.days
        i = bisect.bisect_right(days, on)
        after = policy.days_after_contact
        held = bool(after and i and _plus(days[i - 1], after) > on)
        m, p = policy.max_contacts, policy.per_days
        if m is not None and p is not None and i >= m and _plus(days[i - m], p) > on:
            held = True
        return held


def contact_history(contacts: Iterable[Contact], policy: QuarantinePolicy) -> ContactHistory:
    """Reduce one customer's registered contacts to a :class:`ContactHistory`.

    Raises:
        ValidationError: a contact is not a :class:`~otocore.contacts.Contact`
            or the contacts belong to more than one customer.

    >>> contact_history([], QuarantinePolicy()).days
    ()
    """
    histories = contact_histories(contacts, policy)
    if len(histories) > 1:
        first, second = sorted(histories)[:2]
        raise ValidationError(
            "contacts",
            second,
            f"must all belong to one customer (found {first!r} and {second!r}); "
            "use contact_histories() for many customers",
        )
    if not histories:
        return ContactHistory(policy=policy)  # contact_histories() checked the policy
    return next(iter(histories.values()))


def contact_histories(
    contacts: Iterable[Contact], policy: QuarantinePolicy
) -> dict[str, ContactHistory]:
    """Group a brand's contacts by customer and reduce each group to a :class:`ContactHistory`.

    The order of ``contacts`` never matters. A customer with no contact has
    no entry; use ``ContactHistory(policy=policy)`` for them.

    >>> from datetime import UTC, datetime
    >>> from otocore.consent import ContactChannel
    >>> def contact(n, customer, day):
    ...     when = datetime(2026, 5, day, 15, tzinfo=UTC)
    ...     return Contact(
    ...         contact_id=f"A{n}",
    ...         seller_code="V01",
    ...         customer_id=customer,
    ...         channel=ContactChannel.SMS,
    ...         started_at=when,
    ...         finished_at=when,
    ...         in_portfolio=True,
    ...     )
    >>> hs = contact_histories(
    ...     [contact(1, "C2", 9), contact(2, "C1", 10), contact(3, "C2", 3)], QuarantinePolicy()
    ... )
    >>> {c: [d.day for d in h.days] for c, h in sorted(hs.items())}
    {'C1': [10], 'C2': [3, 9]}
    """
    policy = v.require_instance("policy", policy, QuarantinePolicy)
    checked = v.iter_instances("contacts", contacts, Contact)
    zone = policy.zone
    days: dict[str, list[date]] = {}
    by_campaign: dict[str, dict[str, list[date]]] = {}
    for contact in checked:
        day = local_day(contact.started_at, zone)
        days.setdefault(contact.customer_id, []).append(day)
        if contact.campaign_id is not None:
            per = by_campaign.setdefault(contact.customer_id, {})
            per.setdefault(contact.campaign_id, []).append(day)
    no_campaigns: dict[str, list[date]] = {}
    return {
        customer: _trusted_history(
            policy, customer, customer_days, by_campaign.get(customer, no_campaigns)
        )
        for customer, customer_days in days.items()
    }


def _trusted_history(
    policy: QuarantinePolicy,
    customer: str,
    days: list[date],
    campaign_days: dict[str, list[date]],
) -> ContactHistory:
    """The :class:`ContactHistory` the constructor builds from these checked contacts' days.

    Ids come from checked contacts and the days from their instants, so the
    constructor's checks always pass; at a brand's scale they cost more than
    the grouping (tests compare both).
    """
    if campaign_days:
        pairs = tuple(sorted((cid, tuple(sorted(cdays))) for cid, cdays in campaign_days.items()))
        by_campaign = dict(pairs)
    else:
        pairs, by_campaign = (), {}
    history = _new(ContactHistory)  # v.build_trusted, unrolled
    _set(history, "policy", policy)
    _set(history, "customer_id", customer)
    _set(history, "days", tuple(sorted(days)) if len(days) > 1 else tuple(days))
    _set(history, "campaign_days", pairs)
    _set(history, "_by_campaign", by_campaign)
    return history


_new = object.__new__
_set = object.__setattr__


def quarantine_status(
    customer_contacts: Iterable[Contact],
    on: date,
    policy: QuarantinePolicy,
    *,
    campaign: QuarantinedCampaign | None = None,
    suggested_on: Iterable[date] = (),
) -> QuarantineStatus:
    """Whether one customer is in quarantine on local day ``on``, by which rule, until when.

    Same as ``contact_history(customer_contacts, policy).status(on, ...)``; see
    :meth:`ContactHistory.status` for ``campaign`` and ``suggested_on``. For
    many customers or many days, build the histories once instead.

    Daylight saving: São Paulo had it until 2019. On 2018-11-04 clocks jumped
    from 00:00 to 01:00, and on 2019-02-16 the hour 23:00-23:59 happened twice;
    both are still one local day each, and day arithmetic counts calendar
    days, never hours:

    >>> from datetime import UTC, datetime
    >>> from otocore.consent import ContactChannel
    >>> def contact(n, when):
    ...     return Contact(
    ...         contact_id=f"A{n}",
    ...         seller_code="V01",
    ...         customer_id="C1",
    ...         channel=ContactChannel.SMS,
    ...         started_at=when,
    ...         finished_at=when,
    ...         in_portfolio=True,
    ...     )
    >>> second_2330 = contact(1, datetime(2019, 2, 17, 2, 30, tzinfo=UTC))  # 23:30 -03:00
    >>> quarantine_status([second_2330], date(2019, 2, 22), QuarantinePolicy()).free_on
    datetime.date(2019, 2, 23)
    >>> first_hour = contact(2, datetime(2018, 11, 4, 3, 0, tzinfo=UTC))  # 01:00 -02:00
    >>> quarantine_status([first_hour], date(2018, 11, 4), QuarantinePolicy()).free_on
    datetime.date(2018, 11, 11)
    """
    history = contact_history(customer_contacts, policy)
    return history.status(on, campaign=campaign, suggested_on=suggested_on)


# helpers ----------------------------------------------------------------------


def _campaign_ref(campaign: Any) -> tuple[str, int] | None:
    if campaign is None:
        return None
    cid = getattr(campaign, "campaign_id", None)
    days = getattr(campaign, "quarantine_days", None)
    if not isinstance(cid, str) or not cid or not v.is_int(days) or not 0 <= days <= _MAX_DAYS:
        raise ValidationError(
            "campaign",
            campaign,
            "must be a Campaign or a CampaignQuarantine (a non-empty campaign_id and "
            f"quarantine_days from 0 to {_MAX_DAYS})",
        )
    return cid, days


def _suggested_before(suggested_on: Any, on: date) -> tuple[date | None, bool]:
    """The latest day of ``suggested_on`` before ``on``, and whether any day was given."""
    listed = v.require_iterable("suggested_on", suggested_on, rule="must be an iterable of dates")
    days = [v.require_date(f"suggested_on[{i}]", day) for i, day in enumerate(listed)]
    return max((day for day in days if day < on), default=None), bool(days)


def _plus(day: date, days: int) -> date:
    try:
        return day + timedelta(days=days)
    except OverflowError:
        raise ValidationError(
            "on", day, f"is too close to the end of the calendar to add {days} days"
        ) from None
