"""Invariants of consent: the latest event wins, whatever the order; the ledger agrees; junk is typed."""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from _support.strategies import JSON
from otocore.consent import (
    ConsentEvent,
    ConsentLedger,
    ConsentPolicy,
    ConsentSource,
    ContactChannel,
    consent_at,
    consent_on,
)
from otocore.errors import OtocoreError, ValidationError
from otocore.serialization import _consent as _hooks_consent
from otocore.serialization import make_converter
from otocore.testing._consent import consent_events, consent_ledgers, consent_policies
from otocore.testing._strategies import aware_datetimes

CUSTOMERS = ("C001", "C002")
CHANNELS = (ContactChannel.WHATSAPP, ContactChannel.SMS)
# A narrow pool of customers and channels, so that every key has several events.
EVENTS = st.lists(
    consent_events(customer_id=st.sampled_from(CUSTOMERS), channel=st.sampled_from(CHANNELS)),
    max_size=12,
)
DAYS = st.dates(date(2026, 4, 29), date(2026, 5, 16))
INSTANTS = aware_datetimes(
    min_value=datetime(2026, 4, 30, tzinfo=UTC), max_value=datetime(2026, 5, 16, tzinfo=UTC)
)
KEYS = st.tuples(st.sampled_from(CUSTOMERS), st.sampled_from(CHANNELS))

CONV = make_converter()
_hooks_consent.configure(CONV)

JUNK = (
    st.none()
    | st.integers()
    | st.text(max_size=12)
    | st.dates()
    | st.datetimes()
    | st.datetimes(timezones=st.just(UTC))
    | st.sampled_from(ContactChannel)
    | st.lists(st.integers(), max_size=2)
)


def model(
    events: list[ConsentEvent], key: tuple[str, ContactChannel], bound: datetime, default: bool
) -> bool:
    """The rule as written: the latest event at or before; a revocation wins a tie."""
    mine = [e for e in events if (e.customer_id, e.channel) == key and e.at <= bound]
    if not mine:
        return default
    last = max(e.at for e in mine)
    return all(e.granted for e in mine if e.at == last)


def end_of(day: date, zone: str) -> datetime:
    start_next = datetime.combine(
        day + timedelta(days=1), datetime.min.time(), tzinfo=ZoneInfo(zone)
    )
    return start_next.astimezone(UTC) - timedelta(microseconds=1)


@given(EVENTS, KEYS, INSTANTS, consent_policies())
def test_consent_at_is_the_latest_event_at_or_before(
    events: list[ConsentEvent],
    key: tuple[str, ContactChannel],
    at: datetime,
    policy: ConsentPolicy,
) -> None:
    expected = model(events, key, at, policy.default_granted)
    assert consent_at(events, *key, at, policy=policy) is expected


@given(EVENTS, KEYS, DAYS, consent_policies())
def test_consent_on_is_the_status_at_the_end_of_the_local_day(
    events: list[ConsentEvent], key: tuple[str, ContactChannel], day: date, policy: ConsentPolicy
) -> None:
    # in these zones (no DST jump across midnight in 2026) "at or before the end of D"
    # is "local day of the event <= D"
    zone = ZoneInfo(policy.time_zone)
    by_day = [e for e in events if e.at.astimezone(zone).date() <= day]
    expected = model(by_day, key, datetime.max.replace(tzinfo=UTC), policy.default_granted)
    assert consent_on(events, *key, day, policy=policy) is expected
    assert consent_at(events, *key, end_of(day, policy.time_zone), policy=policy) is expected


@given(st.data(), EVENTS, KEYS, DAYS, INSTANTS)
def test_the_order_of_the_events_never_matters(
    data: st.DataObject,
    events: list[ConsentEvent],
    key: tuple[str, ContactChannel],
    day: date,
    at: datetime,
) -> None:
    shuffled = data.draw(st.permutations(events))
    assert consent_on(events, *key, day) is consent_on(shuffled, *key, day)
    assert consent_at(events, *key, at) is consent_at(shuffled, *key, at)
    a, b = ConsentLedger.from_events(events), ConsentLedger.from_events(shuffled)
    assert a == b
    assert a.latest(*key, day) == b.latest(*key, day)
    assert list(a.events()) == list(b.events())


@given(EVENTS, EVENTS, KEYS, INSTANTS)
def test_events_after_the_instant_never_matter(
    events: list[ConsentEvent],
    later: list[ConsentEvent],
    key: tuple[str, ContactChannel],
    at: datetime,
) -> None:
    after = [e for e in later if e.at > at]
    assert consent_at(events + after, *key, at) is consent_at(events, *key, at)
    ledger = ConsentLedger.from_events(events)
    for e in after:
        ledger.record(e)
    assert ledger.granted(*key, at) is consent_at(events, *key, at)


@given(EVENTS, consent_policies(), st.lists(DAYS, max_size=4), st.lists(INSTANTS, max_size=4))
def test_the_ledger_agrees_with_the_pure_functions(
    events: list[ConsentEvent], policy: ConsentPolicy, days: list[date], instants: list[datetime]
) -> None:
    ledger = ConsentLedger.from_events(events, policy=policy)
    assert len(ledger) == len(events)
    for customer in (*CUSTOMERS, "C999"):
        for day in days:
            channels = {
                c for c in ContactChannel if consent_on(events, customer, c, day, policy=policy)
            }
            assert ledger.channels_granted(customer, day) == channels
        for channel in CHANNELS:
            for day in days:
                assert ledger.granted(customer, channel, day) is consent_on(
                    events, customer, channel, day, policy=policy
                )
            for at in instants:
                assert ledger.granted(customer, channel, at) is consent_at(
                    events, customer, channel, at, policy=policy
                )


@given(EVENTS, EVENTS)
def test_recording_one_by_one_equals_building_at_once(
    first: list[ConsentEvent], then: list[ConsentEvent]
) -> None:
    ledger = ConsentLedger.from_events(first)
    for e in then:
        ledger.record(e)
    assert ledger == ConsentLedger.from_events(then + first)
    assert len(ledger) == len(first) + len(then)


@given(EVENTS, KEYS, INSTANTS, st.sampled_from(ConsentSource), st.integers(0, 20 * 24))
def test_an_opt_out_takes_effect_at_once_and_holds_until_a_new_opt_in(
    events: list[ConsentEvent],
    key: tuple[str, ContactChannel],
    at: datetime,
    source: ConsentSource,
    hours_later: int,
) -> None:
    # registered now: later than everything already in the log
    now = max([at, *(e.at for e in events)])
    opt_out = ConsentEvent(
        customer_id=key[0], channel=key[1], granted=False, at=now, source=source, recorded_by="V01"
    )
    history = [*events, opt_out]
    policy = ConsentPolicy(default_granted=True)
    later = now + timedelta(hours=hours_later)
    assert consent_at(history, *key, later, policy=policy) is False
    today = now.astimezone(ZoneInfo(policy.time_zone)).date()
    assert consent_on(history, *key, today, policy=policy) is False
    granted = ConsentLedger.from_events(history, policy=policy).channels_granted(key[0], today)
    assert key[1] not in granted


# Serialization and junk ------------------------------------------------------------------


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(consent_events(), id="ConsentEvent"),
        pytest.param(consent_policies(), id="ConsentPolicy"),
    ],
)
@given(draws=st.data())
def test_values_round_trip_through_json(
    values: st.SearchStrategy[Any], draws: st.DataObject
) -> None:
    value = draws.draw(values, label="value")
    text = json.dumps(CONV.unstructure(value))
    assert CONV.structure(json.loads(text), type(value)) == value


@given(consent_ledgers())
def test_ledgers_round_trip_through_json(ledger: ConsentLedger) -> None:
    text = json.dumps(CONV.unstructure(ledger))
    back = CONV.structure(json.loads(text), ConsentLedger)
    assert back == ledger
    assert list(back.events()) == list(ledger.events())


@pytest.mark.parametrize("cls", [ConsentEvent, ConsentPolicy, ConsentLedger])
@given(junk=JSON)
@example(junk={"default_granted": False, "time_zone": "America"})
@example(junk={"policy": {"time_zone": "America"}, "events": []})
def test_junk_json_raises_only_validation_error(cls: type, junk: Any) -> None:
    with contextlib.suppress(ValidationError):
        CONV.structure(junk, cls)


@given(
    consent_events(), st.sampled_from(["customer_id", "channel", "granted", "at", "source"]), JSON
)
def test_a_bad_event_field_is_named_by_its_path(event: ConsentEvent, key: str, junk: Any) -> None:
    data = CONV.unstructure(event)
    data[key] = junk
    try:
        CONV.structure(data, ConsentEvent)
    except ValidationError as err:
        fields = [e.field for e in err.errors]
    else:
        return  # the junk happened to be a valid value for that field
    assert f"ConsentEvent.{key}" in fields


@given(st.lists(JUNK | consent_events(), max_size=3) | JUNK, JUNK, JUNK, JUNK)
def test_junk_arguments_raise_only_otocore_errors(
    events: Any, customer: Any, channel: Any, on: Any
) -> None:
    for call in (
        lambda: consent_at(events, customer, channel, on),
        lambda: consent_on(events, customer, channel, on),
        lambda: ConsentLedger.from_events(events).granted(customer, channel, on),
        lambda: ConsentLedger().channels_granted(customer, on),
        lambda: ConsentLedger().record(events),
    ):
        with contextlib.suppress(OtocoreError):
            call()
