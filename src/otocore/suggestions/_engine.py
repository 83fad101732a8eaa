"""The engine of ``plan_suggestions``: one day's inputs, checked once, one customer at a time.

Private. :class:`Engine` checks and indexes the inputs once, evaluates each
customer with the rule of :mod:`otocore.suggestions` (cheap checks first when
planning, every check in the rule's order when explaining) and allocates each
seller's list up to its daily limit.
"""

from __future__ import annotations

import heapq
import string
from collections.abc import Collection, Iterable, Mapping
from datetime import date, datetime
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar
from zoneinfo import ZoneInfo

from otocore import _validate as v
from otocore._time import local_day
from otocore.blocking import BlockFeature, BlockList
from otocore.campaigns import Campaign
from otocore.consent import ConsentLedger, ContactChannel
from otocore.contacts import Contact, SuggestionStatus
from otocore.customers import Customer
from otocore.errors import ValidationError
from otocore.filters import CustomerFacts
from otocore.portfolio import PortfolioAssignment
from otocore.quarantine import ContactHistory, QuarantineRule, contact_histories
from otocore.sellers import Seller, Store
from otocore.suggestions._values import (
    _MAX_MESSAGE,
    Explanation,
    SellerWorkload,
    Suggestion,
    SuggestionKind,
    SuggestionOutcome,
    SuggestionPolicy,
    SuggestionReason,
)

_T = TypeVar("_T")


_FOLLOW_UP_PRIORITY = 0
_MAX_NAME = 200  # render's limit on the names it fills in


class _Choice(NamedTuple):
    """A customer's candidate suggestion before the cut; its first three fields are the sort key.

    Customer ids are unique, so two choices never tie on the key and the
    later fields are never compared. One flat tuple per candidate keeps the
    allocations (and the garbage collector's work) low at a million customers.
    """

    priority: int  # 0 for a follow-up, else the campaign's priority
    minus_v: int  # minus the RFV value score (higher first); 0 without a score (last)
    customer_id: str
    seller_code: str
    facts: CustomerFacts
    reason: SuggestionReason
    channel: ContactChannel
    campaign: Campaign | None
    contact: Contact | None


def _choice(
    cid: str,
    seller_code: str,
    facts: CustomerFacts,
    channel: ContactChannel,
    campaign: Campaign | None,
    *,
    contact: Contact | None = None,
    reason: SuggestionReason = SuggestionReason.CAMPAIGN,
) -> _Choice:
    priority = _FOLLOW_UP_PRIORITY if campaign is None else campaign.priority
    score = facts.rfv
    v = 0 if score is None else score.v  # a score is 1 or more: no score comes after every one
    return _Choice(priority, -v, cid, seller_code, facts, reason, channel, campaign, contact)


class _Route(NamedTuple):
    """Where a customer's evaluation goes after the cheap checks."""

    seller_code: str
    facts: CustomerFacts
    contact: Contact | None
    reason: SuggestionReason


class _Offers(NamedTuple):
    """What the running campaigns offer a customer with a given set of consented channels."""

    firsts: tuple[tuple[Campaign, ContactChannel | None], ...]  # each running campaign's
    usable: tuple[tuple[Campaign, ContactChannel], ...]  # those with a channel, in order


class Engine:
    """The inputs of one day, checked and indexed once; evaluates one customer at a time."""

    def __init__(
        self,
        *,
        day: date,
        sellers: Iterable[Seller],
        stores: Iterable[Store],
        assignments: Iterable[PortfolioAssignment],
        facts: Mapping[str, CustomerFacts],
        campaigns: Iterable[Campaign],
        consent: ConsentLedger,
        blocks: BlockList,
        contacts: Iterable[Contact],
        earlier_suggestions: Iterable[Suggestion],
        workloads: Mapping[str, SellerWorkload] | None,
        anonymized: Collection[str],
        policy: SuggestionPolicy,
    ) -> None:
        v.require_date("day", day)
        if not isinstance(policy, SuggestionPolicy):
            raise ValidationError("policy", policy, "must be a SuggestionPolicy")
        _check_zones(consent, blocks, policy.time_zone)
        self.day = day
        self.policy = policy
        self.consent = consent
        # the day's consent, read once for every customer (planning asks about all of them)
        self.channels = consent.channels_by_customer(day)
        self.no_event_channels = consent.default_channels
        self.blocks = blocks
        self.blocked = frozenset(
            cpf.digits for cpf in blocks.blocked_cpfs(BlockFeature.CAMPAIGNS, day)
        )
        self.sellers = _unique("sellers", sellers, Seller, "code")
        self.active = {code: s for code, s in self.sellers.items() if s.is_active}
        self.stores = _unique("stores", stores, Store, "store_id")
        for code in sorted(self.active):
            store_id = self.active[code].store_id
            if store_id not in self.stores:
                raise ValidationError(
                    "stores",
                    store_id,
                    f"must include the store of every active seller ({code} works in {store_id})",
                )
        self.owner = _owners(assignments)
        if not isinstance(facts, Mapping):
            raise ValidationError(
                "facts", facts, "must be a mapping of customer id to CustomerFacts"
            )
        self.facts = facts
        self.campaigns = _unique("campaigns", campaigns, Campaign, "campaign_id")
        self.running = tuple(
            sorted(
                (c for c in self.campaigns.values() if c.runs_on(day)),
                key=lambda c: (c.priority, c.campaign_id),
            )
        )
        by_id = _unique_contacts(contacts)
        self.histories = contact_histories(by_id.values(), policy.quarantine)
        self.no_history = ContactHistory(policy=policy.quarantine)
        due: dict[str, list[Contact]] = {}
        for contact in by_id.values():
            if contact.follow_up is not None and contact.follow_up.day == day:
                due.setdefault(contact.customer_id, []).append(contact)
        self.follow_ups = {
            cid: max(options, key=self._follow_up_key) for cid, options in due.items()
        }
        self.suggested = _suggested_days(earlier_suggestions, day)
        self.offers: dict[frozenset[ContactChannel], _Offers] = {}
        self.templates: dict[tuple[str, ContactChannel], tuple[str, bool]] = {}
        self.first_names: dict[str, str] = {}  # by full name
        self.details: dict[tuple[str, ContactChannel], str] = {}
        self.limits = _limits(self.active, workloads, policy)
        if isinstance(anonymized, str | bytes) or not isinstance(anonymized, Collection):
            raise ValidationError("anonymized", anonymized, "must be a set of customer ids")
        self.anonymized = frozenset(anonymized)

    def _follow_up_key(self, contact: Contact) -> tuple[bool, datetime, str]:
        return (contact.seller_code in self.active, contact.finished_at, contact.contact_id)

    # planning ----------------------------------------------------------------------

    def allocate_each(self) -> tuple[dict[str, tuple[Suggestion, ...]], dict[str, int]]:
        """Every seller's list, cut at its limit, and each seller's number of candidates.

        One customer at a time, by :meth:`evaluate`: the reference the columnar
        planner (:mod:`otocore.suggestions._batch`) is tested against.
        """
        universe = {cid for cid, code in self.owner.items() if code in self.active}
        universe.update(self.follow_ups)
        queues: dict[str, list[_Choice]] = {}
        for cid in universe:
            choice = self.evaluate(cid, explain=False)
            if not isinstance(choice, _Choice):
                continue
            queue = queues.get(choice.seller_code)
            if queue is None:
                queues[choice.seller_code] = [choice]
            else:
                queue.append(choice)
        by_seller: dict[str, tuple[Suggestion, ...]] = {}
        counts: dict[str, int] = {}
        for code in sorted(queues):
            queue = queues[code]
            counts[code] = len(queue)
            limit = self.limits[code]
            kept = heapq.nsmallest(limit, queue)  # sorted(queue) when limit >= len(queue)
            by_seller[code] = tuple(
                self._suggestion(choice, rank) for rank, choice in enumerate(kept, 1)
            )
        return by_seller, counts

    def _suggestion(self, choice: _Choice, rank: int) -> Suggestion:
        seller = self.active[choice.seller_code]
        customer = choice.facts.customer
        campaign = choice.campaign
        if campaign is None:
            store = self.stores[seller.store_id]
            first_name = customer.first_name
            contact = choice.contact
            assert contact is not None  # noqa: S101 - a follow-up always has its contact
            message = self.policy.follow_up_message.format_map(
                {"primeiro_nome": first_name, "vendedor": seller.name, "loja": store.name}
            )
            detail = _follow_up_detail(contact, choice.reason, seller.code)
            v.require_text("Suggestion.detail", detail, max_length=_MAX_MESSAGE, multiline=True)
            return _built(
                checked=False,
                day=self.day,
                seller_code=seller.code,
                customer_id=choice.customer_id,
                kind=SuggestionKind.FOLLOW_UP,
                campaign_id=None,
                channel=choice.channel,
                message=message,
                reason=choice.reason,
                detail=detail,
                rank=rank,
                contact_id=contact.contact_id,
            )
        return self.campaign_suggestion(
            seller.code, choice.customer_id, customer, campaign, choice.channel, rank=rank
        )

    def campaign_suggestion(
        self,
        seller_code: str,
        customer_id: str,
        customer: Customer,
        campaign: Campaign,
        channel: ContactChannel,
        *,
        rank: int,
    ) -> Suggestion:
        """The suggestion of ``campaign`` on ``channel`` to the customer, at ``rank`` in the list."""
        seller = self.active[seller_code]
        first_name = self.first_names.get(customer.name)
        if first_name is None:
            first_name = self.first_names[customer.name] = customer.first_name
        store_name = self.stores[seller.store_id].name
        message, fits = self._render(campaign, channel, first_name, seller.name, store_name)
        return _built(
            checked=fits,
            day=self.day,
            seller_code=seller_code,
            customer_id=customer_id,
            kind=SuggestionKind.CAMPAIGN,
            campaign_id=campaign.campaign_id,
            channel=channel,
            message=message,
            reason=SuggestionReason.CAMPAIGN,
            detail=self._campaign_detail(campaign, channel),
            rank=rank,
            contact_id=None,
        )

    def _campaign_detail(self, campaign: Campaign, channel: ContactChannel) -> str:
        """The detail of a campaign's suggestion (the same for every customer given it)."""
        key = (campaign.campaign_id, channel)
        detail = self.details.get(key)
        if detail is None:
            detail = self.details[key] = (
                f"campaign {campaign.campaign_id} ({campaign.name}, priority {campaign.priority}): "
                f"audience matched, quarantine clear, consent on {channel.value}"
            )
        return detail

    def _render(
        self,
        campaign: Campaign,
        channel: ContactChannel,
        first_name: str,
        seller_name: str,
        store_name: str,
    ) -> tuple[str, bool]:
        """:func:`otocore.campaigns.render`, with each campaign's template looked up once.

        Also says whether every message of the template is a valid
        ``Suggestion.message`` whatever the names (then it needs no check):
        a checked template of plain placeholders, short enough that names of
        200 characters keep it within the limit.

        ``render`` checks its arguments; here the channel is one of the
        campaign's (the engine picked it there) and the three names come from
        checked records (a seller's and a store's name are ``text(200)``; the
        customer's first name is a word of a ``text(200)`` name, capitalized,
        which may make it longer), so only the first name's length can fail
        ``render``'s check; then it is checked as ``render`` checks it.
        """
        if len(first_name) > _MAX_NAME:  # the only way a first name fails render's check
            v.require_text("customer_first_name", first_name)
        key = (campaign.campaign_id, channel)
        found = self.templates.get(key)
        if found is None:
            found = self.templates[key] = _template(campaign.message_for(channel))
        template, fits = found
        message = template.format_map(
            {"primeiro_nome": first_name, "vendedor": seller_name, "loja": store_name}
        )
        return message, fits

    # one customer ------------------------------------------------------------------

    def evaluate(self, cid: str, *, explain: bool) -> _Choice | Explanation | None:
        """The customer's candidate suggestion, or why there is none.

        With ``explain=False`` (planning) a customer without a candidate gives
        ``None`` and the campaign checks run cheapest first; with
        ``explain=True`` it gives an :class:`Explanation`. Both pick the same
        campaign: the first for which every check holds.
        """
        route = self._route(cid, explain)
        if not isinstance(route, _Route):
            return route
        seller_code, facts, contact, reason = route
        day = self.day
        if contact is not None:
            channel = contact.channel
            if channel in self._granted(cid, explain):
                return _choice(
                    cid, seller_code, facts, channel, None, contact=contact, reason=reason
                )
            return self._no(
                explain,
                cid,
                SuggestionOutcome.OPTED_OUT,
                f"no consent on {channel.value} for the follow-up scheduled in contact "
                f"{contact.contact_id}",
                seller=seller_code,
                channel=channel,
            )
        history = self.histories.get(cid)
        if history is not None:
            status = history.status(day)
            if status.in_quarantine:
                rule = status.rule
                assert rule is not None  # noqa: S101 - a status in quarantine names its rule
                return self._no(
                    explain,
                    cid,
                    SuggestionOutcome.QUARANTINED,
                    f"in quarantine ({rule.value}) until {status.free_on}",
                    seller=seller_code,
                    free_on=status.free_on,
                    rule=rule,
                )
        if explain:
            return self._explain_campaigns(cid, seller_code, facts, history)
        return self._first_campaign(cid, seller_code, facts, history)

    def _route(self, cid: str, explain: bool) -> _Route | Explanation | None:
        """The cheap checks: anonymized, follow-up or carteira, customer record, block."""
        owner = self.owner.get(cid)
        if cid in self.anonymized:
            return self._no(
                explain,
                cid,
                SuggestionOutcome.ANONYMIZED,
                "the customer's data was anonymized",
                seller=owner,
            )
        contact = self.follow_ups.get(cid)
        reason = SuggestionReason.FOLLOW_UP
        seller_code = owner
        if contact is not None:
            if contact.seller_code in self.active:
                seller_code = contact.seller_code
            else:  # given to the customer's seller, if active (checked next)
                reason = SuggestionReason.FOLLOW_UP_REASSIGNED
        if seller_code is None or seller_code not in self.active:
            return self._no(
                explain,
                cid,
                SuggestionOutcome.NOT_IN_ACTIVE_PORTFOLIO,
                self._portfolio_detail(cid, owner),
                seller=owner,
            )
        facts = self.facts.get(cid)
        if facts is None:
            return self._no(
                explain,
                cid,
                SuggestionOutcome.NO_CUSTOMER_RECORD,
                f"{cid} has no customer record (no facts for {self.day})",
                seller=seller_code,
            )
        if not isinstance(facts, CustomerFacts) or facts.customer.customer_id != cid:
            raise ValidationError(f"facts[{cid!r}]", facts, f"must be the CustomerFacts of {cid!r}")
        if facts.on != self.day:
            raise ValidationError(
                f"facts[{cid!r}].on", facts.on, f"must be the planned day ({self.day})"
            )
        cpf = facts.customer.cpf
        if cpf is not None and cpf.digits in self.blocked:
            return self._no(
                explain,
                cid,
                SuggestionOutcome.BLOCKED,
                self._block_detail(cpf.digits),
                seller=seller_code,
            )
        return _Route(seller_code, facts, contact, reason)

    def _granted(self, cid: str, explain: bool) -> frozenset[ContactChannel]:
        """The channels ``cid`` consents on, on the day.

        Planning reads the day's index; explaining asks the ledger itself, as
        it always has (the same answer unless events were recorded since).
        """
        if explain:
            return self.consent.channels_granted(cid, self.day)
        return self.channels.get(cid, self.no_event_channels)

    def _offers(self, granted: frozenset[ContactChannel]) -> _Offers:
        """For a set of consented channels: each running campaign's first channel in it."""
        offers = self.offers.get(granted)
        if offers is None:
            firsts = tuple(
                (c, next((ch for ch in c.channels if ch in granted), None)) for c in self.running
            )
            usable = tuple((c, ch) for c, ch in firsts if ch is not None)
            offers = self.offers[granted] = _Offers(firsts, usable)
        return offers

    def _first_campaign(
        self,
        cid: str,
        seller_code: str,
        facts: CustomerFacts,
        history: ContactHistory | None,
    ) -> _Choice | None:
        """The first campaign whose every check holds; cheapest checks first."""
        day = self.day
        suggested = self.suggested.get(cid)
        for campaign, channel in self._offers(self._granted(cid, False)).usable:
            if self._campaign_held(history, campaign, suggested) is not None:
                continue
            if not campaign.audience.matches(facts, day):
                continue
            return _choice(cid, seller_code, facts, channel, campaign)
        return None

    def _explain_campaigns(
        self,
        cid: str,
        seller_code: str,
        facts: CustomerFacts,
        history: ContactHistory | None,
    ) -> _Choice | Explanation:
        """The campaign checks in the rule's order (audience, own quarantine, consent)."""
        day = self.day
        suggested = self.suggested.get(cid)
        offers = self._offers(self._granted(cid, True))
        first_failure: Explanation | None = None
        for campaign, channel_found in offers.firsts:
            if not campaign.audience.matches(facts, day):
                continue
            free_on = self._campaign_held(history, campaign, suggested)
            if free_on is None and channel_found is not None:
                return _choice(cid, seller_code, facts, channel_found, campaign)
            if first_failure is not None:
                continue
            if free_on is not None:
                first_failure = self._why(
                    cid,
                    SuggestionOutcome.QUARANTINED,
                    f"campaign {campaign.campaign_id} is in its own quarantine for the "
                    f"customer until {free_on}",
                    seller=seller_code,
                    campaign=campaign.campaign_id,
                    free_on=free_on,
                    rule=QuarantineRule.CAMPAIGN,
                )
            else:
                listed = ", ".join(c.value for c in campaign.channels)
                first_failure = self._why(
                    cid,
                    SuggestionOutcome.OPTED_OUT,
                    f"no consent on any channel of campaign {campaign.campaign_id} ({listed})",
                    seller=seller_code,
                    campaign=campaign.campaign_id,
                )
        if first_failure is not None:
            return first_failure
        if not self.running:
            detail = f"no campaign runs on {day}"
        else:
            detail = f"no campaign running on {day} has the customer in its audience"
        return self._why(cid, SuggestionOutcome.NO_CAMPAIGN_MATCHED, detail, seller=seller_code)

    def _campaign_held(
        self,
        history: ContactHistory | None,
        campaign: Campaign,
        suggested: dict[str, list[date]] | None,
    ) -> date | None:
        """The day the campaign's own quarantine frees the customer, or None when clear."""
        if not campaign.quarantine_days:
            return None
        days = () if suggested is None else suggested.get(campaign.campaign_id, ())
        if history is None:
            if not days:
                return None
            history = self.no_history
        status = history.status(self.day, campaign=campaign, suggested_on=days)
        return status.free_on if status.in_quarantine else None

    def _no(
        self,
        explain: bool,
        cid: str,
        outcome: SuggestionOutcome,
        detail: str,
        **extra: Any,
    ) -> Explanation | None:
        return self._why(cid, outcome, detail, **extra) if explain else None

    def _why(
        self,
        cid: str,
        outcome: SuggestionOutcome,
        detail: str,
        *,
        seller: str | None = None,
        campaign: str | None = None,
        channel: ContactChannel | None = None,
        free_on: date | None = None,
        rule: QuarantineRule | None = None,
    ) -> Explanation:
        return Explanation(
            customer_id=cid,
            day=self.day,
            outcome=outcome,
            detail=detail,
            seller_code=seller,
            campaign_id=campaign,
            channel=channel,
            free_on=free_on,
            quarantine_rule=rule,
        )

    def _portfolio_detail(self, cid: str, owner: str | None) -> str:
        if cid not in self.owner:
            return f"{cid} is in no carteira"
        if owner is None:
            return f"{cid} is unassigned (in nobody's carteira)"
        if owner not in self.sellers:
            return f"the seller of {cid}'s carteira ({owner}) is unknown"
        return f"the seller of {cid}'s carteira ({owner}) is inactive"

    def _block_detail(self, digits: str) -> str:
        event = self.blocks.latest(digits, BlockFeature.CAMPAIGNS, self.day)
        assert event is not None  # noqa: S101 - blocked implies an event
        masked = f"***.{digits[3:6]}.{digits[6:9]}-**"
        since = local_day(event.at, ZoneInfo(self.policy.time_zone))
        return f"CPF {masked} is blocked for campaigns since {since} by {event.by}: {event.reason}"


def _template(template: str) -> tuple[str, bool]:
    """The template, and whether any names of up to 200 characters make a valid message.

    A campaign's template is checked text (multiline, not blank, at most 1,000
    characters); filled with names (checked one-line text), the message stays
    so, and within ``Suggestion.message``'s limit when every placeholder is
    plain (no format spec or conversion, which could pad it) and the names
    cannot outgrow the limit.
    """
    fields = 0
    for _, name, spec, conversion in _FORMATTER.parse(template):
        if name is None:
            continue
        if spec or conversion:
            return template, False
        fields += 1
    return template, len(template) + fields * _MAX_NAME <= _MAX_MESSAGE


_FORMATTER = string.Formatter()


def _built(
    *,
    checked: bool,
    day: date,
    seller_code: str,
    customer_id: str,
    kind: SuggestionKind,
    campaign_id: str | None,
    channel: ContactChannel,
    message: str,
    reason: SuggestionReason,
    detail: str,
    rank: int,
    contact_id: str | None,
) -> Suggestion:
    """A :class:`Suggestion` of the engine, checked only where the input can make it invalid.

    Ids, day, kind, reason, channel and rank come from checked values and agree
    by construction, and so does a campaign's detail (ids, a name and a
    number, well under the limit). The message fills a template (up to 1,000
    characters) with names (up to 200 each), so it may outgrow the limit:
    unless ``checked`` (see :func:`_template`), it is checked as the
    constructor checks it, with its message; so is a follow-up's detail,
    which quotes the seller's note (by the caller). Tests rebuild every
    suggestion of a plan through the constructor.
    """
    if not checked:
        v.require_text("Suggestion.message", message, max_length=_MAX_MESSAGE, multiline=True)
    suggestion = _new(Suggestion)  # v.build_trusted, unrolled: a day holds 100,000 of them
    _set(suggestion, "suggestion_id", f"{day.isoformat()}:{customer_id}")
    _set(suggestion, "day", day)
    _set(suggestion, "seller_code", seller_code)
    _set(suggestion, "customer_id", customer_id)
    _set(suggestion, "kind", kind)
    _set(suggestion, "campaign_id", campaign_id)
    _set(suggestion, "channel", channel)
    _set(suggestion, "message", message)
    _set(suggestion, "reason", reason)
    _set(suggestion, "detail", detail)
    _set(suggestion, "rank", rank)
    _set(suggestion, "contact_id", contact_id)
    _set(suggestion, "status", SuggestionStatus.PENDING)
    return suggestion


_new = object.__new__
_set = object.__setattr__


def _check_zones(consent: Any, blocks: Any, zone: str) -> None:
    if not isinstance(consent, ConsentLedger):
        raise ValidationError("consent", consent, "must be a ConsentLedger")
    if consent.policy.time_zone != zone:
        raise ValidationError("consent", consent, f"must use the policy's time zone ({zone!r})")
    if not isinstance(blocks, BlockList):
        raise ValidationError("blocks", blocks, "must be a BlockList")
    if blocks.time_zone != zone:
        raise ValidationError("blocks", blocks, f"must use the policy's time zone ({zone!r})")


def _unique(field: str, items: Any, kind: type[_T], key: str) -> dict[str, _T]:
    listed = list(v.require_iterable(field, items, rule="must be an iterable"))
    if all(map(kind.__instancecheck__, listed)):  # the usual case, at C speed
        out = dict(zip(map(attrgetter(key), listed), listed, strict=True))
        if len(out) == len(listed):
            return out
    return _unique_each(field, listed, kind, key)  # names the item at fault


def _owners(assignments: Any) -> dict[str, str | None]:
    """Customer id -> the seller code of their carteira (or None), checked as :func:`_unique`."""
    listed = list(v.require_iterable("assignments", assignments, rule="must be an iterable"))
    if all(map(PortfolioAssignment.__instancecheck__, listed)):  # the usual case, at C speed
        owner = dict(
            zip(
                map(_CUSTOMER_ID, listed),
                map(_SELLER_CODE, listed),
                strict=True,
            )
        )
        if len(owner) == len(listed):
            return owner
    checked = _unique_each("assignments", listed, PortfolioAssignment, "customer_id")
    return {cid: a.seller_code for cid, a in checked.items()}


_CUSTOMER_ID = attrgetter("customer_id")
_SELLER_CODE = attrgetter("seller_code")


def _unique_each(field: str, items: list[Any], kind: type[_T], key: str) -> dict[str, _T]:
    out: dict[str, _T] = {}
    for i, item in enumerate(items):
        if not isinstance(item, kind):
            raise ValidationError(f"{field}[{i}]", item, f"must be a {kind.__name__}")
        value = getattr(item, key)
        if value in out:
            raise ValidationError(f"{field}[{i}].{key}", value, "must be unique")
        out[value] = item
    return out


def _unique_contacts(contacts: Any) -> dict[str, Contact]:
    by_id: dict[str, Contact] = {}
    for i, contact in enumerate(
        v.require_iterable("contacts", contacts, rule="must be an iterable")
    ):
        if not isinstance(contact, Contact):
            raise ValidationError(f"contacts[{i}]", contact, "must be a Contact")
        known = by_id.get(contact.contact_id)
        if known is None:
            by_id[contact.contact_id] = contact
        elif known != contact:
            raise ValidationError(
                f"contacts[{i}].contact_id",
                contact.contact_id,
                "must be unique (two different contacts share it)",
            )
    return by_id


def _suggested_days(earlier: Any, day: date) -> dict[str, dict[str, list[date]]]:
    """Customer id -> campaign id -> days it was suggested before ``day``."""
    out: dict[str, dict[str, list[date]]] = {}
    for i, suggestion in enumerate(
        v.require_iterable("earlier_suggestions", earlier, rule="must be an iterable")
    ):
        if not isinstance(suggestion, Suggestion):
            raise ValidationError(f"earlier_suggestions[{i}]", suggestion, "must be a Suggestion")
        if suggestion.campaign_id is None or suggestion.day >= day:
            continue
        per = out.setdefault(suggestion.customer_id, {})
        per.setdefault(suggestion.campaign_id, []).append(suggestion.day)
    return out


def _limits(
    active: Mapping[str, Seller], workloads: Any, policy: SuggestionPolicy
) -> dict[str, int]:
    if workloads is None:
        workloads = {}
    if not isinstance(workloads, Mapping):
        raise ValidationError(
            "workloads", workloads, "must be a mapping of seller code to SellerWorkload"
        )
    default = policy.default_workload
    limits: dict[str, int] = {}
    known: dict[SellerWorkload, int] = {}  # most sellers share a few workloads
    for code in sorted(active):
        workload = workloads.get(code)
        if workload is None:
            workload = default
        elif not isinstance(workload, SellerWorkload):
            raise ValidationError(f"workloads[{code!r}]", workload, "must be a SellerWorkload")
        limit = known.get(workload)
        if limit is None:
            limit = known[workload] = workload.with_defaults(default).daily_limit(policy.limiter)
        limits[code] = limit
    return limits


def _follow_up_detail(contact: Contact, reason: SuggestionReason, seller_code: str) -> str:
    assert contact.follow_up is not None  # noqa: S101 - only contacts with a follow-up get here
    text = (
        f"follow-up scheduled by {contact.seller_code} in contact {contact.contact_id} "
        f"on {contact.local_day}: {contact.follow_up.note}"
    )
    if reason is SuggestionReason.FOLLOW_UP_REASSIGNED:
        text += f" ({contact.seller_code} is inactive; {seller_code} has the customer now)"
    return text
