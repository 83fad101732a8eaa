"""Invariants of blocked CPFs: latest event wins, features are independent, the list agrees."""

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
from otocore.blocking import BlockEvent, BlockFeature, BlockList, is_blocked
from otocore.customers import Cpf
from otocore.errors import OtocoreError, ValidationError
from otocore.serialization import _blocking as _hooks_blocking
from otocore.serialization import make_converter
from otocore.testing._consent import block_events, block_lists
from otocore.testing._strategies import aware_datetimes

POOL = (Cpf.parse("529.982.247-25"), Cpf.parse("111.444.777-35"))
EVENTS = st.lists(block_events(cpf=st.sampled_from(POOL)), max_size=12)
DAYS = st.dates(date(2026, 4, 29), date(2026, 5, 16))
INSTANTS = aware_datetimes(
    min_value=datetime(2026, 4, 30, tzinfo=UTC), max_value=datetime(2026, 5, 16, tzinfo=UTC)
)
ZONES = st.sampled_from(["America/Sao_Paulo", "America/Manaus", "UTC"])
FEATURES = st.sampled_from(BlockFeature)

CONV = make_converter()
_hooks_blocking.configure(CONV)

JUNK = (
    st.none()
    | st.integers()
    | st.text(max_size=14)
    | st.text(alphabet="0123456789.- ", min_size=10, max_size=15)
    | st.dates()
    | st.datetimes()
    | st.datetimes(timezones=st.just(UTC))
    | st.sampled_from(BlockFeature)
    | st.lists(st.integers(), max_size=2)
)


def model(events: list[BlockEvent], cpf: Cpf, feature: BlockFeature, bound: datetime) -> bool:
    """The rule as written: the latest event naming the feature; a block wins a tie."""
    mine = [e for e in events if e.cpf == cpf and feature in e.features and e.at <= bound]
    if not mine:
        return False
    last = max(e.at for e in mine)
    return any(e.blocked for e in mine if e.at == last)


@given(EVENTS, st.sampled_from(POOL), FEATURES, INSTANTS)
def test_an_instant_is_decided_by_the_latest_event_at_or_before(
    events: list[BlockEvent], cpf: Cpf, feature: BlockFeature, at: datetime
) -> None:
    assert is_blocked(events, cpf, feature, at) is model(events, cpf, feature, at)


@given(EVENTS, st.sampled_from(POOL), FEATURES, DAYS, ZONES)
def test_a_day_is_decided_by_the_events_of_that_local_day_or_before(
    events: list[BlockEvent], cpf: Cpf, feature: BlockFeature, day: date, zone: str
) -> None:
    by_day = [e for e in events if e.at.astimezone(ZoneInfo(zone)).date() <= day]
    expected = model(by_day, cpf, feature, datetime.max.replace(tzinfo=UTC))
    assert is_blocked(events, cpf, feature, day, time_zone=zone) is expected
    assert BlockList.from_events(events, time_zone=zone).is_blocked(cpf, feature, day) is expected


@given(st.data(), EVENTS, st.sampled_from(POOL), FEATURES, DAYS)
def test_the_order_of_the_events_never_matters(
    data: st.DataObject, events: list[BlockEvent], cpf: Cpf, feature: BlockFeature, day: date
) -> None:
    shuffled = data.draw(st.permutations(events))
    assert is_blocked(events, cpf, feature, day) is is_blocked(shuffled, cpf, feature, day)
    a, b = BlockList.from_events(events), BlockList.from_events(shuffled)
    assert a == b
    assert a.latest(cpf, feature, day) == b.latest(cpf, feature, day)
    assert list(a.events()) == list(b.events())


@given(EVENTS, EVENTS, st.sampled_from(POOL), FEATURES, INSTANTS)
def test_events_after_the_instant_never_matter(
    events: list[BlockEvent],
    later: list[BlockEvent],
    cpf: Cpf,
    feature: BlockFeature,
    at: datetime,
) -> None:
    after = [e for e in later if e.at > at]
    assert is_blocked(events + after, cpf, feature, at) is is_blocked(events, cpf, feature, at)


@given(EVENTS, st.sampled_from(POOL), FEATURES, FEATURES, DAYS)
def test_events_for_other_features_never_matter(
    events: list[BlockEvent], cpf: Cpf, feature: BlockFeature, other: BlockFeature, day: date
) -> None:
    if other is feature:
        return
    extra = [
        BlockEvent(cpf=e.cpf, features={other}, blocked=not e.blocked, reason="x", by="u", at=e.at)
        for e in events
    ]
    assert is_blocked(events + extra, cpf, feature, day) is is_blocked(events, cpf, feature, day)


@given(EVENTS, ZONES, st.lists(DAYS, max_size=3), st.lists(INSTANTS, max_size=3))
def test_the_block_list_agrees_with_is_blocked(
    events: list[BlockEvent], zone: str, days: list[date], instants: list[datetime]
) -> None:
    blocks = BlockList.from_events(events, time_zone=zone)
    assert len(blocks) == len(events)
    for on in (*days, *instants):
        for feature in BlockFeature:
            expected = {c for c in POOL if is_blocked(events, c, feature, on, time_zone=zone)}
            assert blocks.blocked_cpfs(feature, on) == expected
        for cpf in POOL:
            features = {f for f in BlockFeature if is_blocked(events, cpf, f, on, time_zone=zone)}
            assert blocks.blocked_features(cpf, on) == features
            assert blocks.blocked_features(cpf.formatted, on) == features


@given(EVENTS, EVENTS)
def test_recording_one_by_one_equals_building_at_once(
    first: list[BlockEvent], then: list[BlockEvent]
) -> None:
    blocks = BlockList.from_events(first)
    for e in then:
        blocks.record(e)
    assert blocks == BlockList.from_events(then + first)
    assert len(blocks) == len(first) + len(then)


@given(EVENTS, st.sampled_from(POOL), FEATURES, DAYS)
def test_a_cpf_as_text_is_the_same_cpf(
    events: list[BlockEvent], cpf: Cpf, feature: BlockFeature, day: date
) -> None:
    expected = is_blocked(events, cpf, feature, day)
    for text in (cpf.digits, cpf.formatted, f" {cpf.digits[:3]} {cpf.digits[3:]} "):
        assert is_blocked(events, text, feature, day) is expected


@given(EVENTS, st.sampled_from(POOL), st.sets(FEATURES, min_size=1), INSTANTS, st.integers(0, 480))
def test_a_block_holds_from_its_instant_until_an_unblock(
    events: list[BlockEvent],
    cpf: Cpf,
    features: set[BlockFeature],
    at: datetime,
    hours_later: int,
) -> None:
    now = max([at, *(e.at for e in events)])
    history = [
        *events,
        BlockEvent(cpf=cpf, features=features, blocked=True, reason="LGPD", by="u", at=now),
    ]
    later = now + timedelta(hours=hours_later)
    today = now.astimezone(ZoneInfo("America/Sao_Paulo")).date()
    blocks = BlockList.from_events(history)
    assert blocks.blocked_features(cpf, later) >= features
    assert blocks.blocked_features(cpf, today) >= features
    history.append(
        BlockEvent(cpf=cpf, features=features, blocked=False, reason="ok", by="u", at=later)
    )
    if later > now:
        assert not BlockList.from_events(history).blocked_features(cpf, later) & features


# Serialization and junk ------------------------------------------------------------------


@given(block_events())
def test_events_round_trip_through_json(event: BlockEvent) -> None:
    data = CONV.unstructure(event)
    assert data["features"] == sorted(data["features"])
    assert CONV.structure(json.loads(json.dumps(data)), BlockEvent) == event


@given(block_lists())
def test_block_lists_round_trip_through_json(blocks: BlockList) -> None:
    back = CONV.structure(json.loads(json.dumps(CONV.unstructure(blocks))), BlockList)
    assert back == blocks
    assert list(back.events()) == list(blocks.events())


@pytest.mark.parametrize("cls", [BlockEvent, BlockList])
@given(junk=JSON)
def test_junk_json_raises_only_validation_error(cls: type, junk: Any) -> None:
    with contextlib.suppress(ValidationError):
        CONV.structure(junk, cls)


@given(block_events(), st.sampled_from(["cpf", "features", "blocked", "reason", "at"]), JSON)
def test_a_bad_event_field_is_named_by_its_path(event: BlockEvent, key: str, junk: Any) -> None:
    data = CONV.unstructure(event)
    data[key] = junk
    try:
        CONV.structure(data, BlockEvent)
    except ValidationError as err:
        fields = [e.field for e in err.errors]
    else:
        return  # the junk happened to be a valid value for that field
    assert any(f == f"BlockEvent.{key}" or f.startswith(f"BlockEvent.{key}[") for f in fields)


@given(st.lists(JUNK | block_events(), max_size=3) | JUNK, JUNK, JUNK, JUNK, JUNK)
@example([], "529.982.247-25", BlockFeature.CAMPAIGNS, date(2026, 5, 1), "America")
def test_junk_arguments_raise_only_otocore_errors(
    events: Any, cpf: Any, feature: Any, on: Any, zone: Any
) -> None:
    for call in (
        lambda: is_blocked(events, cpf, feature, on),
        lambda: is_blocked([], POOL[0], BlockFeature.CAMPAIGNS, date(2026, 5, 1), time_zone=zone),
        lambda: BlockList.from_events(events).is_blocked(cpf, feature, on),
        lambda: BlockList().blocked_features(cpf, on),
        lambda: BlockList().blocked_cpfs(feature, on),
        lambda: BlockList(time_zone=zone),
        lambda: BlockList().record(events),
    ):
        with contextlib.suppress(OtocoreError):
            call()
