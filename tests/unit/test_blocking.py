"""Cadastros bloqueados: worked examples from the seed's wording, normalized CPFs, errors."""

from __future__ import annotations

import json
import re
from datetime import UTC, date, datetime
from typing import Any

import attrs
import pytest

from _support.builders import sp
from otocore.blocking import BlockEvent, BlockFeature, BlockList, is_blocked
from otocore.customers import Cpf
from otocore.errors import ValidationError
from otocore.serialization import _blocking as _hooks_blocking
from otocore.serialization import make_converter

ANA = Cpf.parse("529.982.247-25")
BIA = Cpf.parse("111.444.777-35")
CAMPAIGNS, LOYALTY = BlockFeature.CAMPAIGNS, BlockFeature.LOYALTY


def block(
    at: datetime,
    *features: BlockFeature,
    cpf: Cpf = ANA,
    blocked: bool = True,
    reason: str = "pedido do cliente",
    by: str = "u-gerente",
) -> BlockEvent:
    return BlockEvent(
        cpf=cpf,
        features=frozenset(features or {CAMPAIGNS}),
        blocked=blocked,
        reason=reason,
        by=by,
        at=at,
    )


def unblock(at: datetime, *features: BlockFeature, cpf: Cpf = ANA) -> BlockEvent:
    return block(at, *features, cpf=cpf, blocked=False, reason="voltou a aceitar")


# The seed ------------------------------------------------------------------------------


def test_a_block_for_campaigns_does_not_block_loyalty() -> None:
    # "realizar o bloqueio do mesmo nas funcionalidades de campanha, fidelidade, conecta e boomerang"
    history = [block(sp(10), CAMPAIGNS)]
    day = date(2026, 5, 10)
    assert is_blocked(history, ANA, CAMPAIGNS, day) is True
    for feature in (LOYALTY, BlockFeature.CONECTA, BlockFeature.BOOMERANG):
        assert is_blocked(history, ANA, feature, day) is False
    blocks = BlockList.from_events(history)
    assert blocks.blocked_features(ANA, day) == frozenset({CAMPAIGNS})


def test_one_block_can_name_several_features() -> None:
    history = [block(sp(10), CAMPAIGNS, LOYALTY, BlockFeature.CONECTA, BlockFeature.BOOMERANG)]
    assert BlockList.from_events(history).blocked_features(ANA, date(2026, 5, 10)) == frozenset(
        BlockFeature
    )


def test_unblock_restores_and_deletes_nothing() -> None:
    history = [block(sp(10), CAMPAIGNS, LOYALTY), unblock(sp(20), CAMPAIGNS)]
    assert [is_blocked(history, ANA, CAMPAIGNS, date(2026, 5, d)) for d in (9, 10, 19, 20)] == [
        False,
        True,
        True,
        False,
    ]
    # the unblock named only campaigns: loyalty stays blocked
    assert is_blocked(history, ANA, LOYALTY, date(2026, 5, 20)) is True
    blocks = BlockList.from_events(history[:1])
    blocks.record(history[1])
    assert len(blocks) == 2
    assert list(blocks.events()) == history
    assert blocks.latest(ANA, CAMPAIGNS, date(2026, 5, 20)) == history[1]
    assert blocks.latest(ANA, CAMPAIGNS, date(2026, 5, 15)) == history[0]
    assert blocks.is_blocked(ANA, CAMPAIGNS, date(2026, 5, 15)) is True  # the past is kept
    assert not any(hasattr(blocks, name) for name in ("remove", "delete", "discard", "pop"))


def test_a_block_holds_for_the_whole_local_day_it_is_registered_on() -> None:
    history = [block(sp(10, 23, 59))]  # 02:59 UTC on the 11th
    assert is_blocked(history, ANA, CAMPAIGNS, date(2026, 5, 10)) is True
    assert is_blocked(history, ANA, CAMPAIGNS, date(2026, 5, 9)) is False
    assert is_blocked(history, ANA, CAMPAIGNS, sp(10, 23, 58)) is False  # an instant before
    assert is_blocked(history, ANA, CAMPAIGNS, date(2026, 5, 10), time_zone="UTC") is False
    assert BlockList.from_events(history, time_zone="UTC").is_blocked(
        ANA, CAMPAIGNS, date(2026, 5, 11)
    )


def test_at_the_same_instant_a_block_wins_whatever_the_order() -> None:
    b, u = block(sp(10)), unblock(sp(10))
    for history in ([b, u], [u, b]):
        assert is_blocked(history, ANA, CAMPAIGNS, sp(10)) is True
        assert BlockList.from_events(history).latest(ANA, CAMPAIGNS, sp(10)) == b


def test_events_alike_but_for_their_id_are_ordered_without_an_id_first() -> None:
    # the event id never changes a status, but it fixes which event ``latest`` names
    # and the order of ``events()``, whatever order the log came in: no id sorts first
    bare = block(sp(10))
    with_id = attrs.evolve(bare, event_id="A")
    for history in ([bare, with_id], [with_id, bare]):
        blocks = BlockList.from_events(history)
        assert list(blocks.events()) == [bare, with_id]
        assert blocks.latest(ANA, CAMPAIGNS, sp(10)) == with_id
        assert is_blocked(history, ANA, CAMPAIGNS, sp(10)) is True


# CPFs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["529.982.247-25", "52998224725", " 529 982 247 25 ", "529982247-25"]
)
def test_cpfs_are_compared_normalized(text: str) -> None:
    history = [block(sp(10))]
    assert is_blocked(history, text, CAMPAIGNS, date(2026, 5, 10)) is True
    assert BlockList.from_events(history).is_blocked(text, CAMPAIGNS, date(2026, 5, 10)) is True


def test_other_cpfs_are_not_blocked() -> None:
    history = [block(sp(10))]
    assert is_blocked(history, BIA, CAMPAIGNS, date(2026, 5, 10)) is False
    assert BlockList.from_events(history).blocked_cpfs(CAMPAIGNS, date(2026, 5, 10)) == {ANA}


DIGITS = r"must be 11 ASCII digits \(0-9\), optionally written as 000\.000\.000-00"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("529.982.247-26", "has wrong check digits"),
        ("5299822472", DIGITS),
        ("529.982.247-2X", DIGITS),
        ("", DIGITS),
        ("\uff15\uff12\uff19\uff19\uff18\uff12\uff12\uff14\uff17\uff12\uff15", DIGITS),
        ("000.000.000-00", r"is not a CPF \(000\.000\.000-00 is never issued\)"),
    ],
)
def test_a_malformed_cpf_is_a_validation_error(text: str, rule: str) -> None:
    rule = f"^cpf {rule}, got "
    with pytest.raises(ValidationError, match=rule) as info:
        is_blocked([], text, CAMPAIGNS, date(2026, 5, 10))
    assert info.value.field == "cpf"
    assert info.value.value == text
    with pytest.raises(ValidationError, match=rule):
        BlockList().is_blocked(text, CAMPAIGNS, date(2026, 5, 10))
    with pytest.raises(ValidationError, match=rule) as info:
        BlockList().blocked_features(text, date(2026, 5, 10))
    assert (info.value.field, info.value.value) == ("cpf", text)


def test_a_cpf_that_is_neither_a_cpf_nor_text_is_refused() -> None:
    rule = r"^cpf must be a Cpf or a CPF written as text such as '529\.982\.247-25', got "
    with pytest.raises(ValidationError, match=rule + "52998224725$") as info:
        is_blocked([], 52998224725, CAMPAIGNS, date(2026, 5, 10))  # type: ignore[arg-type]
    assert (info.value.field, info.value.value) == ("cpf", 52998224725)
    with pytest.raises(ValidationError, match=rule + "None$"):
        BlockList().blocked_features(None, date(2026, 5, 10))  # type: ignore[arg-type]


def test_repeated_digit_cpfs_accepted_by_a_brand_can_be_blocked_and_looked_up() -> None:
    placeholder = Cpf("11111111111", allow_repeated=True)
    history = [block(sp(10), cpf=placeholder)]
    assert is_blocked(history, "111.111.111-11", CAMPAIGNS, date(2026, 5, 10)) is True


def test_blocked_cpfs_lists_the_blocked_ones_on_the_day() -> None:
    history = [block(sp(1)), block(sp(2), cpf=BIA), unblock(sp(5), cpf=BIA), block(sp(3), LOYALTY)]
    blocks = BlockList.from_events(history)
    assert blocks.blocked_cpfs(CAMPAIGNS, date(2026, 5, 2)) == {ANA, BIA}
    assert blocks.blocked_cpfs(CAMPAIGNS, date(2026, 5, 5)) == {ANA}
    assert blocks.blocked_cpfs(LOYALTY, date(2026, 5, 5)) == {ANA}
    assert blocks.blocked_cpfs(BlockFeature.CONECTA, date(2026, 5, 5)) == frozenset()


# The closed set of features ---------------------------------------------------------------


def test_labels() -> None:
    assert [f.label for f in BlockFeature] == ["Campanha", "Fidelidade", "Conecta", "Boomerang"]


@pytest.mark.parametrize("text", ["campaign", "Campanhas", "campanha", "CAMPAIGNS", "Conecta", ""])
def test_a_feature_typo_is_never_accepted(text: str) -> None:
    with pytest.raises(ValidationError, match=r"^feature must be one of 'campaigns', ") as info:
        BlockFeature.parse(text)
    assert info.value.field == "feature"
    only = r"^BlockEvent\.features must hold only BlockFeature members \('campaigns', "
    with pytest.raises(ValidationError, match=only) as info:
        BlockEvent(cpf=ANA, features=[text], blocked=True, reason="x", by="u", at=sp(1))
    assert info.value.field == "BlockEvent.features"
    with pytest.raises(ValidationError, match=r"^feature must be a BlockFeature \(") as info:
        is_blocked([], ANA, text, date(2026, 5, 10))  # type: ignore[arg-type]
    assert info.value.field == "feature"


NOT_A_SET = r"must be a non-empty set of BlockFeature such as \{BlockFeature\.CAMPAIGNS\}"


@pytest.mark.parametrize(
    ("features", "rule", "value"),
    [
        (frozenset(), NOT_A_SET, frozenset()),
        ([], NOT_A_SET, []),
        ("campaigns", NOT_A_SET, "campaigns"),
        (CAMPAIGNS, NOT_A_SET, CAMPAIGNS),
        # an enum member is never read as a collection, even one that iterates (a Flag)
        (re.IGNORECASE | re.MULTILINE, NOT_A_SET, re.IGNORECASE | re.MULTILINE),
        ({"campaigns": True}, NOT_A_SET, {"campaigns": True}),
        (None, NOT_A_SET, None),
        ([CAMPAIGNS, "loyalty"], "must hold only BlockFeature members", "loyalty"),
    ],
)
def test_features_must_be_a_non_empty_set_of_members(features: Any, rule: str, value: Any) -> None:
    with pytest.raises(ValidationError, match=rf"^BlockEvent\.features {rule}") as info:
        BlockEvent(cpf=ANA, features=features, blocked=True, reason="x", by="u", at=sp(1))
    assert info.value.field == "BlockEvent.features"
    assert info.value.value == value


def test_features_are_kept_as_a_frozenset_and_shown_in_order() -> None:
    event = BlockEvent(
        cpf=ANA, features=[LOYALTY, CAMPAIGNS, LOYALTY], blocked=True, reason="x", by="u", at=sp(1)
    )
    assert event.features == frozenset({CAMPAIGNS, LOYALTY})
    assert (
        "features=frozenset({<BlockFeature.CAMPAIGNS: 'campaigns'>, <BlockFeature.LOYALTY"
        in repr(event)
    )


# Other errors ----------------------------------------------------------------------------

GOOD: dict[str, Any] = {
    "cpf": ANA,
    "features": frozenset({CAMPAIGNS}),
    "blocked": True,
    "reason": "pedido do cliente",
    "by": "u-gerente",
    "at": datetime(2026, 5, 10, 18, 0, tzinfo=UTC),
}


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("cpf", "52998224725", r"must be a Cpf \(build it with Cpf\.parse\)"),
        ("cpf", None, r"must be a Cpf \(build it with Cpf\.parse\)"),
        ("blocked", 0, "must be True or False"),
        ("reason", "", "must not be empty"),
        ("reason", "x" * 501, "must be at most 500 characters"),
        ("by", "\n", "must not be empty"),
        ("by", "u" * 101, "must be at most 100 characters"),
        ("at", datetime(2026, 5, 10, 18, 0), "must be timezone-aware"),
        ("event_id", 3, "must be a string"),
        ("event_id", "e" * 101, "must be at most 100 characters"),
    ],
)
def test_a_bad_event_field_is_named(field: str, value: Any, rule: str) -> None:
    with pytest.raises(ValidationError, match=rf"^BlockEvent\.{field} {rule}, got ") as info:
        BlockEvent(**{**GOOD, field: value})
    assert info.value.field == f"BlockEvent.{field}"
    assert info.value.value == value


def test_the_longest_texts_are_accepted() -> None:
    event = BlockEvent(**{**GOOD, "reason": "r" * 500, "by": "u" * 100, "event_id": "e" * 100})
    assert is_blocked([event], ANA, CAMPAIGNS, date(2026, 5, 10)) is True


NAIVE = "must be timezone-aware"
NOT_A_DAY_OR_INSTANT = (
    r"must be a datetime\.date \(a local day\) or an aware datetime \(an instant\)"
)
NOT_A_ZONE = "must be an IANA time zone name such as 'America/Sao_Paulo'"
NOT_A_FEATURE = r"must be a BlockFeature \('campaigns', 'loyalty', 'conecta', 'boomerang'\)"


@pytest.mark.parametrize(
    ("call", "field", "rule"),
    [
        (lambda: is_blocked([], ANA, CAMPAIGNS, datetime(2026, 5, 10)), "on", NAIVE),
        (lambda: is_blocked([], ANA, CAMPAIGNS, "2026-05-10"), "on", NOT_A_DAY_OR_INSTANT),
        (
            lambda: is_blocked([], ANA, CAMPAIGNS, date(2026, 5, 10), time_zone="Brasil"),
            "time_zone",
            NOT_A_ZONE,
        ),
        (
            lambda: is_blocked("x", ANA, CAMPAIGNS, date(2026, 5, 10)),
            "events",
            "must be an iterable of BlockEvent",
        ),
        (
            lambda: is_blocked([GOOD], ANA, CAMPAIGNS, date(2026, 5, 10)),
            r"events\[0\]",
            "must be a BlockEvent",
        ),
        (lambda: BlockList.from_events([None]), r"events\[0\]", "must be a BlockEvent"),
        (lambda: BlockList.from_events([], time_zone=None), "time_zone", NOT_A_ZONE),
        (lambda: BlockList.from_events([], time_zone="America"), "time_zone", NOT_A_ZONE),
        (lambda: BlockList().record(GOOD), "event", "must be a BlockEvent"),
        (lambda: BlockList().latest(ANA, "loyalty", date(2026, 5, 10)), "feature", NOT_A_FEATURE),
        (lambda: BlockList().blocked_cpfs("loyalty", date(2026, 5, 10)), "feature", NOT_A_FEATURE),
        (lambda: BlockList().blocked_features(ANA, 20260510), "on", NOT_A_DAY_OR_INSTANT),
        (lambda: BlockList().blocked_cpfs(CAMPAIGNS, None), "on", NOT_A_DAY_OR_INSTANT),
        (lambda: BlockList().is_blocked(ANA, CAMPAIGNS, datetime(2026, 5, 10)), "on", NAIVE),
    ],
)
def test_bad_arguments_are_validation_errors_naming_the_field(
    call: Any, field: str, rule: str
) -> None:
    with pytest.raises(ValidationError, match=rf"^{field} {rule}, got ") as info:
        call()
    assert info.value.field == field.replace("\\", "")


def test_a_bad_day_or_instant_is_reported_with_its_value() -> None:
    for call in (
        lambda: is_blocked([], ANA, CAMPAIGNS, "2026-05-10"),  # type: ignore[arg-type]
        lambda: BlockList().is_blocked(ANA, CAMPAIGNS, "2026-05-10"),  # type: ignore[arg-type]
    ):
        with pytest.raises(ValidationError) as info:
            call()
        assert (info.value.field, info.value.value) == ("on", "2026-05-10")
        assert info.value.rule == (
            "must be a datetime.date (a local day) or an aware datetime (an instant)"
        )


def test_block_lists_compare_by_events_and_zone() -> None:
    a, b = block(sp(1)), unblock(sp(2))
    assert BlockList.from_events([a, b]) == BlockList.from_events([b, a])
    assert BlockList.from_events([a]) != BlockList.from_events([a, b])
    assert BlockList.from_events([a]) != BlockList.from_events([a], time_zone="UTC")
    assert (
        repr(BlockList.from_events([a])) == "<BlockList of 1 events, time_zone='America/Sao_Paulo'>"
    )


# Serialization ---------------------------------------------------------------------------


@pytest.fixture
def conv() -> Any:
    c = make_converter()
    _hooks_blocking.configure(c)
    return c


def test_events_and_lists_round_trip_with_sorted_features(conv: Any) -> None:
    event = block(sp(10, 15), LOYALTY, CAMPAIGNS, BlockFeature.BOOMERANG)
    data = conv.unstructure(event)
    assert data == {
        "cpf": "52998224725",
        "features": ["boomerang", "campaigns", "loyalty"],
        "blocked": True,
        "reason": "pedido do cliente",
        "by": "u-gerente",
        "at": "2026-05-10T18:00:00+00:00",
        "event_id": None,
    }
    assert conv.structure(json.loads(json.dumps(data)), BlockEvent) == event
    assert conv.structure({**data, "cpf": "529.982.247-25"}, BlockEvent) == event
    blocks = BlockList.from_events([event, unblock(sp(20))], time_zone="America/Recife")
    text = json.dumps(conv.unstructure(blocks))
    assert conv.structure(json.loads(text), BlockList) == blocks


@pytest.mark.parametrize(
    ("features", "field"),
    [
        (["campaigns", "campaign"], "BlockEvent.features[1]"),
        (["Campanhas"], "BlockEvent.features[0]"),
        ("campaigns", "BlockEvent.features"),
        ([], "BlockEvent.features"),
        (["loyalty", "loyalty"], "BlockEvent.features"),
        ({"campaigns": True}, "BlockEvent.features"),
    ],
)
def test_bad_features_in_json_are_named(conv: Any, features: Any, field: str) -> None:
    data = conv.unstructure(block(sp(10)))
    with pytest.raises(ValidationError) as info:
        conv.structure({**data, "features": features}, BlockEvent)
    assert [e.field for e in info.value.errors] == [field]


def test_bad_block_list_json_names_the_path(conv: Any) -> None:
    data = conv.unstructure(block(sp(10)))
    with pytest.raises(ValidationError) as info:
        conv.structure({"time_zone": "UTC", "events": [data, {**data, "cpf": "1"}]}, BlockList)
    assert [e.field for e in info.value.errors] == ["BlockList.events[1].cpf"]
    with pytest.raises(
        ValidationError,
        match=r"^BlockList\.time_zone must be an IANA time zone name such as 'America/Sao_Paulo', got 'Brasil'$",
    ) as info:
        conv.structure({"time_zone": "Brasil", "events": []}, BlockList)
    assert info.value.field == "BlockList.time_zone"


def test_the_hooks_work_whatever_the_configuration_order() -> None:
    from otocore.serialization import OtocoreConverter, configure_converter

    early = OtocoreConverter(forbid_extra_keys=True)
    _hooks_blocking.configure(early)  # before the CPF and datetime hooks exist
    configure_converter(early)
    blocks = BlockList.from_events([block(sp(10), LOYALTY, CAMPAIGNS)])
    data = early.unstructure(blocks)
    assert data["events"][0]["cpf"] == "52998224725"
    assert data["events"][0]["at"] == "2026-05-10T15:00:00+00:00"
    assert early.structure(data, BlockList) == blocks
