"""Cadastros bloqueados: worked examples from the seed's wording, normalized CPFs, errors."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

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


@pytest.mark.parametrize(
    "text",
    [
        "529.982.247-26",
        "5299822472",
        "529.982.247-2X",
        "",
        "\uff15\uff12\uff19\uff19\uff18\uff12\uff12\uff14\uff17\uff12\uff15",
        "000.000.000-00",
    ],
)
def test_a_malformed_cpf_is_a_validation_error(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        is_blocked([], text, CAMPAIGNS, date(2026, 5, 10))
    assert info.value.field == "cpf"
    assert info.value.value == text
    with pytest.raises(ValidationError):
        BlockList().is_blocked(text, CAMPAIGNS, date(2026, 5, 10))


def test_a_cpf_that_is_neither_a_cpf_nor_text_is_refused() -> None:
    with pytest.raises(ValidationError, match="must be a Cpf or a CPF written as text"):
        is_blocked([], 52998224725, CAMPAIGNS, date(2026, 5, 10))  # type: ignore[arg-type]


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
    with pytest.raises(ValidationError) as info:
        BlockFeature.parse(text)
    assert info.value.field == "feature"
    with pytest.raises(ValidationError) as info:
        BlockEvent(cpf=ANA, features=[text], blocked=True, reason="x", by="u", at=sp(1))
    assert info.value.field == "BlockEvent.features"
    with pytest.raises(ValidationError) as info:
        is_blocked([], ANA, text, date(2026, 5, 10))  # type: ignore[arg-type]
    assert info.value.field == "feature"


@pytest.mark.parametrize(
    ("features", "rule"),
    [
        (frozenset(), "non-empty"),
        ("campaigns", "non-empty set"),
        (CAMPAIGNS, "non-empty set"),
        ({"campaigns": True}, "non-empty set"),
        (None, "non-empty set"),
        ([CAMPAIGNS, "loyalty"], "only BlockFeature"),
    ],
)
def test_features_must_be_a_non_empty_set_of_members(features: Any, rule: str) -> None:
    with pytest.raises(ValidationError, match=rule) as info:
        BlockEvent(cpf=ANA, features=features, blocked=True, reason="x", by="u", at=sp(1))
    assert info.value.field == "BlockEvent.features"


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
    ("field", "value"),
    [
        ("cpf", "52998224725"),
        ("cpf", None),
        ("blocked", 0),
        ("reason", ""),
        ("reason", "x" * 501),
        ("by", "\n"),
        ("at", datetime(2026, 5, 10, 18, 0)),
        ("event_id", 3),
    ],
)
def test_a_bad_event_field_is_named(field: str, value: Any) -> None:
    with pytest.raises(ValidationError) as info:
        BlockEvent(**{**GOOD, field: value})
    assert info.value.field == f"BlockEvent.{field}"


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: is_blocked([], ANA, CAMPAIGNS, datetime(2026, 5, 10)), "on"),
        (lambda: is_blocked([], ANA, CAMPAIGNS, "2026-05-10"), "on"),
        (
            lambda: is_blocked([], ANA, CAMPAIGNS, date(2026, 5, 10), time_zone="Brasil"),
            "time_zone",
        ),
        (lambda: is_blocked("x", ANA, CAMPAIGNS, date(2026, 5, 10)), "events"),
        (lambda: is_blocked([GOOD], ANA, CAMPAIGNS, date(2026, 5, 10)), "events[0]"),
        (lambda: BlockList.from_events([None]), "events[0]"),
        (lambda: BlockList.from_events([], time_zone=None), "time_zone"),
        (lambda: BlockList.from_events([], time_zone="America"), "time_zone"),
        (lambda: BlockList().record(GOOD), "event"),
        (lambda: BlockList().latest(ANA, "loyalty", date(2026, 5, 10)), "feature"),
        (lambda: BlockList().blocked_cpfs("loyalty", date(2026, 5, 10)), "feature"),
        (lambda: BlockList().blocked_features(ANA, 20260510), "on"),
        (lambda: BlockList().is_blocked(ANA, CAMPAIGNS, datetime(2026, 5, 10)), "on"),
    ],
)
def test_bad_arguments_are_validation_errors_naming_the_field(call: Any, field: str) -> None:
    with pytest.raises(ValidationError) as info:
        call()
    assert info.value.field == field


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
    with pytest.raises(ValidationError) as info:
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
