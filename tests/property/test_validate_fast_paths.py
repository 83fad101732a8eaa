"""The attrs validators' shortcuts for plain good values agree with the ``require_*`` rules.

``otocore._validate.text``, ``money``, ``member_of`` and the ``instant``
converter let a plain good value through without building the field name;
anything else goes to the ``require_*`` function. Here both are called on the
same values: the same acceptance, the same error, the same converted value.
"""

from __future__ import annotations

import enum
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import attrs
from hypothesis import example, given
from hypothesis import strategies as st

from otocore import _validate as v
from otocore.errors import ValidationError


class Colour(enum.Enum):
    RED = "red"


@attrs.frozen
class Box:
    name: str = attrs.field(validator=v.text(5))
    note: str | None = attrs.field(default=None, validator=v.optional_text(8, multiline=True))
    total: Decimal = attrs.field(default=Decimal(0), validator=v.money)
    colour: Colour = attrs.field(default=Colour.RED, validator=v.member_of(Colour))
    at: datetime = attrs.field(  # type: ignore[misc]
        default=datetime(2026, 1, 1, tzinfo=UTC), converter=v.instant
    )


def outcome(call: Any) -> tuple[str, Any]:
    try:
        return "ok", call()
    except ValidationError as exc:
        return "error", (exc.field, exc.value, exc.rule)


TEXT = st.text(alphabet=" \t\n\x00\x7fab\u00a0\u2028", max_size=7)


@given(TEXT)
@example("")
@example("   ")
@example("\u00a0")
def test_text(value: str) -> None:
    got = outcome(lambda: Box(name=value).name)
    want = outcome(lambda: v.require_text("Box.name", value, max_length=5))
    assert got == want


@given(st.one_of(st.none(), TEXT))
def test_optional_multiline_text(value: str | None) -> None:
    got = outcome(lambda: Box(name="a", note=value).note)
    want = (
        ("ok", None)
        if value is None
        else outcome(lambda: v.require_text("Box.note", value, max_length=8, multiline=True))
    )
    assert got == want


@given(st.one_of(st.decimals(places=None), st.integers(), st.floats(allow_nan=False)))
@example(Decimal("-0"))
@example(Decimal("1.005"))
@example(Decimal("1E+2"))
@example(Decimal("NaN"))
@example(Decimal("-Infinity"))
def test_money(value: Any) -> None:
    got = outcome(lambda: Box(name="a", total=value).total)
    want = outcome(lambda: v.require_money("Box.total", value))
    assert got == want


@given(st.sampled_from([Colour.RED, "red", None, 1]))
def test_member_of(value: Any) -> None:
    got = outcome(lambda: Box(name="a", colour=value).colour)
    want = outcome(lambda: v.require_enum("Box.colour", value, Colour))
    assert got == want


@given(
    st.datetimes(timezones=st.sampled_from([UTC, timezone(timedelta(hours=-3)), None])),
    st.sampled_from([0, 1]),
)
def test_instant(value: datetime, fold: int) -> None:
    value = value.replace(fold=fold)
    got = outcome(lambda: Box(name="a", at=value).at)
    want = outcome(lambda: v.require_utc("Box.at", value))
    assert got == want
    if got[0] == "ok":
        assert got[1].tzinfo is want[1].tzinfo is UTC
        assert got[1].fold == want[1].fold
