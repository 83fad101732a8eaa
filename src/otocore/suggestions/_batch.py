"""The columnar planner: a whole brand's candidates at once, equal to the engine's one-by-one. Private.

:func:`allocate_columnar` gives the same lists and candidate counts as
:meth:`Engine.allocate_each <otocore.suggestions._engine.Engine.allocate_each>`
(tests/property/test_suggestions_batch.py compares them). It splits the
customers in two:

* the few whose evaluation reads more than their facts and consent (a
  follow-up due, a contact in the quarantine windows, an earlier suggestion)
  go through :meth:`Engine.evaluate`, the rule itself;
* every other customer of an active carteira is checked column-wise: facts
  present and built for the day, CPF not blocked, then, per running campaign
  in priority order, its audience over every customer at once
  (:func:`otocore.filters._batch.matches_many`) and the first of its channels
  the customer consents on (from the day's consent index); the first
  campaign with both wins. With no contact and no earlier suggestion, no
  quarantine can hold such a customer, so the rule needs nothing else.

Each seller's candidates are then sorted by the rule's key (priority, minus
the value score, customer id) and cut at the seller's limit in one Polars
sort; :class:`~otocore.suggestions.Suggestion` values are built for the kept
ones only. Whenever the input holds something the one-by-one path would
refuse (facts of another day or customer, a value that is not a
``CustomerFacts``, a date at the end of the calendar), the caller runs the
one-by-one path instead, so the same error is raised.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from datetime import date
from itertools import compress, filterfalse, repeat
from operator import attrgetter, is_not
from typing import Any, cast

import polars as pl

from otocore.consent import ContactChannel
from otocore.errors import ValidationError
from otocore.filters import CustomerFacts
from otocore.filters._batch import matches_many
from otocore.suggestions._engine import Engine, _Choice
from otocore.suggestions._values import Suggestion

_CHANNELS = tuple(ContactChannel)
_CHANNEL_NUMBER = {channel: i for i, channel in enumerate(_CHANNELS)}
_NONE = type(None)
_CPF = attrgetter("cpf")
_SLOW = -1  # "pos" of a candidate found one by one: its choice is in a list beside


class _Fallback(Exception):
    """The columnar path cannot promise the one-by-one path's answer: run that instead."""


COLUMNAR_FROM = 5_000
"""From this many customers (carteira plus follow-ups) on, planning runs column-wise."""


def allocate(
    engine: Engine, *, columnar: bool | None = None
) -> tuple[dict[str, tuple[Suggestion, ...]], dict[str, int]]:
    """Every seller's list, cut at its limit, and each seller's number of candidates.

    ``columnar`` picks the path: :func:`allocate_columnar` or
    :meth:`Engine.allocate_each`; both give the same answer. By default the
    columnar one runs from :data:`COLUMNAR_FROM` customers on.
    """
    if columnar is None:
        columnar = len(engine.owner) + len(engine.follow_ups) >= COLUMNAR_FROM
    if columnar:
        planned = allocate_columnar(engine)
        if planned is not None:
            return planned
    return engine.allocate_each()


def allocate_columnar(
    engine: Engine,
) -> tuple[dict[str, tuple[Suggestion, ...]], dict[str, int]] | None:
    """Every seller's list and candidate count, or ``None`` when the one-by-one path must run."""
    try:
        return _allocate(engine)
    except _Fallback:
        return None


def _allocate(engine: Engine) -> tuple[dict[str, tuple[Suggestion, ...]], dict[str, int]]:
    anonymized = engine.anonymized  # never a candidate, whatever else holds
    slow_choices: list[_Choice] = []
    for cid in engine.follow_ups:
        if cid in anonymized:
            continue
        try:
            choice = engine.evaluate(cid, explain=False)
        except ValidationError:  # raised again, for the same customer, one by one
            raise _Fallback from None
        if choice is not None:
            slow_choices.append(choice)  # type: ignore[arg-type]

    skip = set(anonymized).union(engine.follow_ups)
    resting, held = _quarantine(engine, skip)
    active = engine.active
    # the carteira's order (not a set's) keeps neighbouring records together in memory
    owner = engine.owner
    ids = list(
        filterfalse(skip.__contains__, compress(owner, map(active.__contains__, owner.values())))
    )
    ids, facts = _facts_of(engine, ids)  # checked before the quarantine, as one by one
    if resting:  # QUARANTINED
        free = [cid not in resting for cid in ids]
        ids = list(compress(ids, free))
        facts = list(compress(facts, free))
    numbers = {code: i for i, code in enumerate(engine.limits)}  # sorted codes
    ids, facts, granted = _consenting(engine, ids, facts)
    frame = _campaign_candidates(engine, ids, facts, granted=granted, held=held, numbers=numbers)
    if slow_choices:
        frame = pl.concat(
            [
                frame,
                _frame(
                    seller=[numbers[c.seller_code] for c in slow_choices],
                    key=[_key(numbers[c.seller_code], c.priority, c.minus_v) for c in slow_choices],
                    cid=[c.customer_id for c in slow_choices],
                    pos=[_SLOW - i for i in range(len(slow_choices))],
                    campaign=[0] * len(slow_choices),
                    channel=[0] * len(slow_choices),
                ),
            ]
        )
    return _cut(engine, frame, facts, slow_choices)


# The rule's sort key (seller, priority, minus the value score) in one integer, the
# customer id after it: the value score is 1 to MAX_BINS (10), so minus it plus 16
# takes 5 bits; a priority (at most 1,000,000, 0 for a follow-up) 20 more.
_V_BITS = 5
_PRIORITY_BITS = 20


def _key(seller: int, priority: int, minus_v: int) -> int:
    return (((seller << _PRIORITY_BITS) | priority) << _V_BITS) | (minus_v + 16)


def _facts_of(engine: Engine, ids: list[str]) -> tuple[list[str], list[CustomerFacts]]:
    """The customers with facts for the day and no CPF blocked for campaigns, and their facts."""
    found: list[Any] = list(map(engine.facts.get, ids))
    kinds = set(map(type, found))
    if _NONE in kinds:  # no customer record: NO_CUSTOMER_RECORD
        present = list(map(is_not, found, repeat(None)))
        ids = list(compress(ids, present))
        found = list(compress(found, present))
        kinds.discard(_NONE)
    if kinds - {CustomerFacts}:
        raise _Fallback  # the one-by-one path names the customer and the fault
    customers = list(map(attrgetter("customer"), found))
    same_ids = list(map(attrgetter("customer_id"), customers)) == ids
    if not same_ids or set(map(attrgetter("on"), found)) - {engine.day}:
        raise _Fallback  # the one-by-one path names the customer and the fault
    blocked = engine.blocked
    if blocked:
        free = [cpf is None or cpf.digits not in blocked for cpf in map(_CPF, customers)]
        if not all(free):  # BLOCKED
            ids = list(compress(ids, free))
            found = list(compress(found, free))
    return ids, found


def _quarantine(engine: Engine, skip: set[str]) -> tuple[set[str], dict[str, list[int]]]:
    """The customers in quarantine, and for the others the running campaigns each one's own quarantine holds.

    Only customers with a contact in the windows or an earlier suggestion can
    be held; for them this is :meth:`Engine.evaluate`'s check
    (``ContactHistory.status`` for the customer, then each campaign's own
    rule: its latest contact or earlier suggestion plus its quarantine days).
    Campaigns are numbered in :attr:`Engine.running`'s order.
    """
    histories = engine.histories
    suggested = engine.suggested
    day = engine.day
    resting: set[str] = set()
    for cid, history in histories.items():
        if cid in skip:
            continue
        try:
            rests = history._rests(day)
        except ValidationError:  # raised again, for the same customer, one by one
            raise _Fallback from None
        if rests:  # QUARANTINED
            resting.add(cid)
    # per running campaign with a quarantine of its own: the customers' latest contact
    # about it (on or before the day) or earlier suggestion of it (before the day)
    own = {c.campaign_id: k for k, c in enumerate(engine.running) if c.quarantine_days}
    latest: dict[tuple[str, int], date] = {}
    if own:
        for cid, per_campaign in suggested.items():  # only days before the day
            if cid in skip or cid in resting:
                continue
            for campaign_id, days in per_campaign.items():
                k = own.get(campaign_id)
                if k is not None:
                    latest[cid, k] = max(days)
        for cid, history in histories.items():
            if cid in skip or cid in resting:
                continue
            for campaign_id, contacted in history._by_campaign.items():
                k = own.get(campaign_id)
                if k is None:
                    continue
                j = bisect_right(contacted, day)
                if j:
                    held_since = latest.get((cid, k))
                    if held_since is None or contacted[j - 1] > held_since:
                        latest[cid, k] = contacted[j - 1]
    running = engine.running
    held: dict[str, list[int]] = {}
    for (cid, k), last in latest.items():
        rest_days = running[k].quarantine_days
        if (date.max - last).days < rest_days:  # the one-by-one path raises there
            raise _Fallback
        if (day - last).days < rest_days:
            held.setdefault(cid, []).append(k)
    return resting, held


def _consenting(
    engine: Engine, ids: list[str], facts: list[CustomerFacts]
) -> tuple[list[str], list[CustomerFacts], list[frozenset[ContactChannel]]]:
    """The customers who consent on a channel of some running campaign, and their channels."""
    default = engine.no_event_channels
    granted = list(map(engine.channels.get, ids, repeat(default)))
    offered = frozenset(ch for c in engine.running for ch in c.channels)
    useful = {g: not offered.isdisjoint(g) for g in set(granted)}
    if not all(useful.values()):  # nobody can reach them today
        keep = list(map(useful.__getitem__, granted))
        ids = list(compress(ids, keep))
        facts = list(compress(facts, keep))
        granted = list(compress(granted, keep))
    return ids, facts, granted


def _campaign_candidates(
    engine: Engine,
    ids: list[str],
    facts: list[CustomerFacts],
    *,
    granted: list[frozenset[ContactChannel]],
    held: dict[str, list[int]],
    numbers: dict[str, int],
) -> pl.DataFrame:
    """One row per customer of ``ids`` with a campaign: its sort key, campaign and channel."""
    running = engine.running
    n = len(ids)
    if not running or not n:
        return _frame(seller=[], key=[], cid=[], pos=[], campaign=[], channel=[])
    # the day's consent: each distinct set of channels gets a number
    sets = {key: i for i, key in enumerate(dict.fromkeys(granted))}
    consent = pl.Series(list(map(sets.__getitem__, granted)), dtype=pl.UInt32)
    audiences = matches_many([c.audience for c in running], facts, engine.day)
    held_at: dict[int, list[int]] = {}  # campaign number -> positions it is held at
    if held:
        for i, cid in enumerate(ids):
            if cid in held:
                for k in held[cid]:
                    held_at.setdefault(k, []).append(i)
    firsts = []
    channels = []
    for k, (campaign, audience) in enumerate(zip(running, audiences, strict=True)):
        by_set = [
            next((_CHANNEL_NUMBER[ch] for ch in campaign.channels if ch in g), None) for g in sets
        ]
        if all(ch is None for ch in by_set):
            continue  # nobody consents on any of its channels
        channel = pl.Series(by_set, dtype=pl.Int8).gather(consent)
        usable = audience & channel.is_not_null()
        if k in held_at:
            usable = usable & ~pl.Series([False] * n, dtype=pl.Boolean).scatter(held_at[k], True)
        firsts.append(pl.when(usable).then(pl.lit(k, dtype=pl.Int32)))
        channels.append(pl.when(usable).then(channel))
    if not firsts:
        return _frame(seller=[], key=[], cid=[], pos=[], campaign=[], channel=[])
    found = pl.select(
        campaign=pl.coalesce(firsts),
        channel=pl.coalesce(channels),
    )
    priorities = pl.Series([c.priority for c in running], dtype=pl.Int64)
    seller_of = cast("Callable[[str], str]", engine.owner.__getitem__)  # active: a code
    frame = pl.DataFrame(
        {
            "seller": list(map(numbers.__getitem__, map(seller_of, ids))),
            "cid": ids,
            "pos": pl.int_range(n, eager=True, dtype=pl.Int64),
            "campaign": found["campaign"],
            "channel": found["channel"],
        },
        schema_overrides={"seller": pl.Int64},
    ).filter(pl.col("campaign").is_not_null())
    scores = map(attrgetter("rfv"), map(facts.__getitem__, frame["pos"].to_list()))
    minus_v = pl.Series([0 if score is None else -score.v for score in scores], dtype=pl.Int64)
    key = (
        (frame["seller"] * (1 << _PRIORITY_BITS) + priorities.gather(frame["campaign"]))
        * (1 << _V_BITS)
        + minus_v
        + 16
    )
    return _frame(
        seller=frame["seller"],
        key=key,
        cid=frame["cid"],
        pos=frame["pos"],
        campaign=frame["campaign"],
        channel=frame["channel"],
    )


def _frame(
    *, seller: Any, key: Any, cid: Any, pos: Any, campaign: Any, channel: Any
) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "seller": seller,
            "key": key,
            "cid": cid,
            "pos": pos,
            "campaign": campaign,
            "channel": channel,
        },
        schema={
            "seller": pl.Int64,
            "key": pl.Int64,
            "cid": pl.String,
            "pos": pl.Int64,
            "campaign": pl.Int32,
            "channel": pl.Int8,
        },
    )


def _cut(
    engine: Engine,
    frame: pl.DataFrame,
    facts: list[CustomerFacts],
    slow_choices: list[_Choice],
) -> tuple[dict[str, tuple[Suggestion, ...]], dict[str, int]]:
    """Sort each seller's candidates by the rule's key, keep the first ``limit``, build those."""
    if not frame.height:
        return {}, {}
    codes = list(engine.limits)  # by number
    counts = dict(frame.group_by("seller").len().iter_rows())
    limits = pl.Series(list(engine.limits.values()), dtype=pl.Int64)
    kept = (
        frame.sort(["key", "cid"])
        .with_columns(rank=pl.int_range(pl.len()).over("seller"))
        .filter(pl.col("rank") < pl.lit(limits).gather(pl.col("seller")))
    )
    running = engine.running
    build = engine.campaign_suggestion
    lists: dict[int, list[Suggestion]] = {}
    for seller, _, cid, pos, k, ch, rank in kept.iter_rows():
        if pos < 0:
            made = engine._suggestion(slow_choices[_SLOW - pos], rank + 1)
        else:
            made = build(
                codes[seller], cid, facts[pos].customer, running[k], _CHANNELS[ch], rank=rank + 1
            )
        lists.setdefault(seller, []).append(made)
    # every seller with a candidate has a list, empty under a limit of 0
    sellers = sorted(counts)
    return {codes[i]: tuple(lists.get(i, ())) for i in sellers}, {
        codes[i]: counts[i] for i in sellers
    }
