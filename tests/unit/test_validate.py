"""The shared validation toolkit: each check names the field, the rule and the value."""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
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


def test_a_or_an_reads_only_the_first_letter() -> None:
    assert v.a_or_an("Order") == "an Order"
    assert v.a_or_an("item") == "an item"
    assert v.a_or_an("Seller") == "a Seller"
    assert v.a_or_an("Xml") == "a Xml"


def test_iter_instances_passes_its_refusals_on() -> None:
    assert list(v.iter_instances("xs", {"a": 1}, str, refuse=(bytes,))) == ["a"]
    assert fault(v.iter_instances, "xs", b"a", int, refuse=(bytes,))[:2] == ("xs", b"a")


def test_require_instances_uses_both_rules_it_is_given() -> None:
    assert v.require_instances("xs", iter((1, 2)), int) == [1, 2]
    assert fault(v.require_instances, "xs", 5, int, rule="must list numbers") == (
        "xs",
        5,
        "must list numbers",
    )
    assert fault(v.require_instances, "xs", [1, "b"], int, item_rule="must be a number") == (
        "xs[1]",
        "b",
        "must be a number",
    )


def test_require_int_bounds_are_inclusive() -> None:
    assert v.require_int("n", 1, min_value=1, max_value=10) == 1
    assert v.require_int("n", 10, min_value=1, max_value=10) == 10
    assert v.require_int("n", -5) == -5


def test_require_text_defaults_to_200_characters() -> None:
    assert v.require_text("name", "n" * 200) == "n" * 200
    assert fault(v.require_text, "name", "n" * 201) == (
        "name",
        "n" * 201,
        "must be at most 200 characters",
    )


def test_require_utc_reports_the_instant_it_cannot_convert() -> None:
    edge = datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1)))
    assert fault(v.require_utc, "at", edge) == (
        "at",
        edge,
        "must be an instant between years 1 and 9999 in UTC",
    )


MONEY_RULE = "must be >= 0 with at most 2 decimal places"
NUMBER_RULE = "must be a decimal number such as '10.50'"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("0"), Decimal("0")),
        (Decimal("0.50"), Decimal("0.50")),
        (Decimal("10.5"), Decimal("10.5")),
        (Decimal("1E+2"), Decimal("100")),
    ],
)
def test_require_money_accepts_zero_cents_and_positive_exponents(
    value: Decimal, expected: Decimal
) -> None:
    assert v.require_money("total", value) == expected


@pytest.mark.parametrize(
    ("value", "rule"),
    [
        (Decimal("-0.01"), MONEY_RULE),
        (Decimal("0.001"), MONEY_RULE),
        (Decimal("NaN"), MONEY_RULE),
        (Decimal("Infinity"), MONEY_RULE),
        (1, "must be a decimal.Decimal (never a float)"),
        (1.5, "must be a decimal.Decimal (never a float)"),
        (True, "must be a decimal.Decimal (never a float)"),
    ],
)
def test_require_money_refuses(value: object, rule: str) -> None:
    assert fault(v.require_money, "total", value) == ("total", value, rule)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("10.50"), Decimal("10.50")),
        (0, Decimal("0")),
        (12, Decimal("12")),
        ("10.50", Decimal("10.50")),
        (" 7.5\n", Decimal("7.5")),
        ("+3", Decimal("3")),
        ("1e2", Decimal("100")),
        ("1E-2", Decimal("0.01")),
        ("0", Decimal("0")),
    ],
)
def test_parse_money_reads_decimals_ints_and_strings(value: object, expected: Decimal) -> None:
    parsed = v.parse_money("total", value)
    assert parsed == expected
    assert type(parsed) is Decimal


@pytest.mark.parametrize(
    ("value", "reported", "rule"),
    [
        (Decimal("1.005"), Decimal("1.005"), MONEY_RULE),
        (Decimal("-1"), Decimal("-1"), MONEY_RULE),
        (-1, Decimal("-1"), MONEY_RULE),
        ("-0.01", Decimal("-0.01"), MONEY_RULE),
        ("1.000", Decimal("1.000"), MONEY_RULE),
        ("1e-3", Decimal("0.001"), MONEY_RULE),
        ("NaN", Decimal("NaN"), MONEY_RULE),
        ("-Infinity", Decimal("-Infinity"), MONEY_RULE),
        ("10,50", "10,50", NUMBER_RULE),
        ("1,000.50", "1,000.50", NUMBER_RULE),
        ("R$ 10", "R$ 10", NUMBER_RULE),
        ("", "", NUMBER_RULE),
        ("1e999999999999999999999", "1e999999999999999999999", NUMBER_RULE),
        (None, None, NUMBER_RULE),
        (b"10", b"10", NUMBER_RULE),
        (10.5, 10.5, "must be a decimal string such as '10.50', not a float"),
        (True, True, "must be a decimal string such as '10.50', not a float"),
    ],
)
def test_parse_money_refuses(value: object, reported: object, rule: str) -> None:
    field, got, said = fault(v.parse_money, "total", value)
    assert (field, said) == ("total", rule)
    assert repr(got) == repr(reported)  # the parsed Decimal when there is one; NaN != NaN


def test_parse_money_reports_the_parsed_nan() -> None:
    assert fault(v.parse_money, "total", "NaN")[1].is_nan()
    with pytest.raises(
        ValidationError,
        match=r"^total must be >= 0 with at most 2 decimal places, got Decimal\('NaN'\)$",
    ):
        v.parse_money("total", "NaN")


class Colour(enum.Enum):
    RED = "red"
    GREEN = "green"


class Perm(enum.Flag):
    READ = 1
    WRITE = 2


COLOURS = "must be a Colour ('red', 'green')"


@pytest.mark.parametrize(
    "value",
    [
        [Colour.RED],
        (Colour.RED, Colour.RED),
        {Colour.RED},
        frozenset({Colour.RED}),
    ],
)
def test_require_enum_set_takes_any_collection_of_members(value: object) -> None:
    assert v.require_enum_set("colours", value, Colour) == frozenset({Colour.RED})
    assert v.require_enum_set("colours", iter([Colour.RED]), Colour) == frozenset({Colour.RED})


def test_require_enum_set_keeps_every_member() -> None:
    both = [Colour.GREEN, Colour.RED, Colour.GREEN]
    assert v.require_enum_set("colours", both, Colour) == frozenset(Colour)
    assert v.require_enum_set("perms", [Perm.READ, Perm.WRITE], Perm) == {Perm.READ, Perm.WRITE}


@pytest.mark.parametrize(
    "value",
    ["red", b"red", "", Colour.RED, {Colour.RED: True}, {Colour.GREEN: False}, None, 1],
)
def test_require_enum_set_refuses_what_is_not_a_collection_of_items(value: object) -> None:
    assert fault(v.require_enum_set, "colours", value, Colour) == (
        "colours",
        value,
        "must be a set of Colour",
    )


def test_require_enum_set_refuses_a_single_flag_member() -> None:
    both = Perm.READ | Perm.WRITE
    assert fault(v.require_enum_set, "perms", both, Perm) == (
        "perms",
        both,
        "must be a set of Perm",
    )


def test_require_enum_set_refuses_empty_collections_and_wrong_members() -> None:
    assert fault(v.require_enum_set, "colours", [], Colour) == ("colours", [], "must not be empty")
    assert fault(v.require_enum_set, "colours", (), Colour) == ("colours", (), "must not be empty")
    assert fault(v.require_enum_set, "colours", [Colour.RED, "green"], Colour) == (
        "colours",
        "green",
        COLOURS,
    )
    assert fault(v.require_enum_set, "colours", [[Colour.RED]], Colour) == (  # unhashable
        "colours",
        [Colour.RED],
        COLOURS,
    )
    assert fault(v.require_enum_set, "colours", [Perm.READ], Colour) == (
        "colours",
        Perm.READ,
        COLOURS,
    )


def test_require_enum_names_the_allowed_values() -> None:
    assert v.require_enum("colour", Colour.RED, Colour) is Colour.RED
    assert fault(v.require_enum, "colour", "red", Colour) == ("colour", "red", COLOURS)


@pytest.mark.parametrize(("text", "member"), [("red", Colour.RED), ("green", Colour.GREEN)])
def test_parse_enum_finds_the_member_by_value(text: str, member: Colour) -> None:
    assert v.parse_enum(Colour, text, "colour") is member


@pytest.mark.parametrize("text", ["RED", " red", "blue", "", None, 1, Colour.RED])
def test_parse_enum_refuses_other_values(text: object) -> None:
    assert fault(v.parse_enum, Colour, text, "colour") == (
        "colour",
        text,
        "must be one of 'red', 'green'",
    )


def test_an_account_given_a_mapping_of_roles_is_refused_not_granted_its_keys() -> None:
    from otocore.auth import Account, Role, normalize_login_email

    email = normalize_login_email("ana@example.com")
    with pytest.raises(
        ValidationError,
        match=r"^Account\.roles must be a set of Role, got \{<Role\.BRAND_ADMIN: 'brand_admin'>: False\}$",
    ):
        Account(account_id="A1", email=email, roles={Role.BRAND_ADMIN: False})
