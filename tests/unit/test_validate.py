"""The shared validation toolkit: each check names the field, the rule and the value."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import attrs
import pytest

from otocore import _validate as v
from otocore._time import same_zone_as
from otocore.errors import ValidationError


def fault(call: Any, *args: Any, **kwargs: Any) -> tuple[str, Any, str]:
    with pytest.raises(ValidationError) as info:
        call(*args, **kwargs)
    return info.value.field, info.value.value, info.value.rule


@pytest.mark.parametrize("value", ["ab", b"ab", {"a": 1}, 3, None])
def test_require_iterable_refuses_text_bytes_mappings_and_scalars(value: object) -> None:
    assert fault(v.require_iterable, "xs", value, rule="must be a list") == (
        "xs",
        value,
        "must be a list",
    )


def test_require_iterable_refuses_only_what_it_is_told() -> None:
    assert v.require_iterable("xs", {"a": 1}, rule="r", refuse=(str,)) == {"a": 1}
    assert fault(v.require_iterable, "xs", "ab", rule="r", refuse=(str,))[0] == "xs"


def test_iter_instances_checks_the_iterable_at_once_and_the_items_as_it_goes() -> None:
    assert fault(v.iter_instances, "orders", "P1", int) == (
        "orders",
        "P1",
        "must be an iterable of int",
    )

    def stream() -> Iterator[object]:
        yield 1
        yield "two"
        raise AssertionError("read past the first bad item")  # pragma: no cover

    checked = v.iter_instances("orders", stream(), int)
    assert next(checked) == 1
    assert fault(next, checked) == ("orders[1]", "two", "must be an int")


def test_item_rules_use_the_right_article() -> None:
    assert fault(v.require_instances, "xs", [1, None], int)[2] == "must be an int"
    assert fault(v.require_instances, "xs", [None], str)[2] == "must be a str"
    assert fault(v.require_instance, "policy", 1, str, rule="must be text")[2] == "must be text"


def test_require_tuple_of_wants_a_non_empty_tuple() -> None:
    assert v.require_tuple_of("xs", (1, 2), int, rule="r") == (1, 2)
    assert fault(v.require_tuple_of, "xs", [1], int, rule="r") == ("xs", [1], "r")
    assert fault(v.require_tuple_of, "xs", (), int, rule="r") == ("xs", (), "r")
    assert fault(v.require_tuple_of, "xs", (1, "2"), int, rule="r") == (
        "xs[1]",
        "2",
        "must be an int",
    )


def test_iter_pairs_reads_mappings_and_lists_of_pairs() -> None:
    assert list(v.iter_pairs("m", {"a": 1}, rule="r")) == [("a", 1)]
    assert list(v.iter_pairs("m", [["a", 1]], rule="r")) == [("a", 1)]
    assert fault(v.iter_pairs, "m", "a=1", rule="r") == ("m", "a=1", "r")
    assert fault(list, v.iter_pairs("m", [("a", 1), ("b",)], rule="r")) == (
        "m",
        [("a", 1), ("b",)],
        "r",
    )


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        (True, "must be an integer"),
        (1.0, "must be an integer"),
        (0, "must be >= 1"),
        (11, "must be <= 10"),
    ],
)
def test_require_int(value: object, rule: str) -> None:
    assert fault(v.require_int, "n", value, min_value=1, max_value=10) == ("n", value, rule)


def test_require_bool_keeps_each_modules_wording() -> None:
    assert fault(v.require_bool, "flag", 1)[2] == "must be True or False"
    assert fault(v.require_bool, "flag", 1, rule="must be a bool")[2] == "must be a bool"


def test_require_text_allows_line_breaks_only_when_multiline() -> None:
    assert v.require_text("note", "a\r\n\tb", multiline=True) == "a\r\n\tb"
    assert fault(v.require_text, "name", "a\nb")[2] == "must not contain control characters"
    assert fault(v.require_text, "note", "a\x00b", multiline=True)[2] == (
        "must not contain control characters"
    )


def test_require_positive_timedelta() -> None:
    assert v.require_positive_timedelta("ttl", timedelta(seconds=1)) == timedelta(seconds=1)
    for bad in (timedelta(0), timedelta(seconds=-1), 60):
        assert fault(v.require_positive_timedelta, "ttl", bad) == (
            "ttl",
            bad,
            "must be a positive timedelta",
        )


@attrs.frozen
class Box:
    size: int = attrs.field(validator=v.integer(min_value=1))
    label: str | None = attrs.field(default=None, validator=v.optional_instance_of(str, hint="!"))


def test_build_trusted_skips_the_validators_and_builds_an_equal_value() -> None:
    assert v.build_trusted(Box, size=3, label=None) == Box(3)
    assert v.build_trusted(Box, size=0, label=None).size == 0  # the caller's promise, unchecked


def test_optional_instance_of() -> None:
    assert Box(1, None).label is None
    assert fault(Box, 1, 2) == ("Box.label", 2, "must be a str or None!")


@attrs.frozen
class Zoned:
    time_zone: str


@attrs.frozen
class Settings:
    first: Zoned
    second: Zoned = attrs.field(validator=same_zone_as("first", Zoned))


def test_same_zone_as_wants_the_type_then_the_zone() -> None:
    assert Settings(Zoned("UTC"), Zoned("UTC")).second == Zoned("UTC")
    assert fault(Settings, Zoned("UTC"), "UTC") == ("Settings.second", "UTC", "must be a Zoned")
    assert fault(Settings, Zoned("UTC"), Zoned("America/Manaus"))[:2] == (
        "Settings.second.time_zone",
        "America/Manaus",
    )
