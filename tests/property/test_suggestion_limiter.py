"""Invariants of the suggestion limiter (oto-managers-and-campaigns.txt, "Limitador de Sugestões")."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from otocore.distribution import SuggestionLimiter
from otocore.errors import ValidationError
from otocore.serialization import converter
from otocore.testing._distribution import suggestion_limiters


def decimals(lo: int, hi: int, places: int) -> st.SearchStrategy[Decimal]:
    """Decimals in [lo, hi] with up to ``places`` decimal places, built exactly."""
    scale = 10**places
    return st.integers(lo * scale, hi * scale).map(lambda n: Decimal(n).scaleb(-places))


hours = st.integers(0, 24) | decimals(0, 24, 2)
idle = st.integers(0, 1) | decimals(0, 1, 3)
minutes = st.integers(1, 60) | decimals(0, 60, 2).filter(lambda m: m > 0)


@given(suggestion_limiters(), hours, idle, minutes)
@example(SuggestionLimiter(0, 1000), 6, Decimal("0.35"), 1)  # float would say 125
def test_the_limit_is_the_exact_floor_clamped(
    limiter: SuggestionLimiter, h: int | Decimal, i: int | Decimal, m: int | Decimal
) -> None:
    limit = limiter.daily_limit(h, i, m)
    assert limiter.minimum <= limit <= limiter.maximum
    idle_minutes = Fraction(h) * 60 * Fraction(i)
    if limiter.minimum < limit < limiter.maximum:
        # limit is floor(idle_minutes / m): limit conversations fit, limit + 1 do not
        assert limit * Fraction(m) <= idle_minutes < (limit + 1) * Fraction(m)
    elif limit == limiter.maximum and limiter.minimum < limiter.maximum:
        assert limit * Fraction(m) <= idle_minutes
    elif limit == limiter.minimum and limiter.minimum < limiter.maximum:
        assert idle_minutes < (limit + 1) * Fraction(m)


@given(suggestion_limiters(), st.tuples(hours, hours), idle, st.tuples(minutes, minutes))
def test_more_hours_or_shorter_conversations_never_mean_fewer_suggestions(
    limiter: SuggestionLimiter,
    two_hours: tuple[int | Decimal, int | Decimal],
    i: int | Decimal,
    two_minutes: tuple[int | Decimal, int | Decimal],
) -> None:
    h_lo, h_hi = sorted(two_hours)
    m_lo, m_hi = sorted(two_minutes)
    assert limiter.daily_limit(h_lo, i, m_lo) <= limiter.daily_limit(h_hi, i, m_lo)
    assert limiter.daily_limit(h_lo, i, m_hi) <= limiter.daily_limit(h_lo, i, m_lo)


@given(suggestion_limiters(), st.integers(0, 24), st.integers(0, 1), st.integers(1, 60))
def test_int_and_decimal_inputs_agree(limiter: SuggestionLimiter, h: int, i: int, m: int) -> None:
    assert limiter.daily_limit(h, i, m) == limiter.daily_limit(
        Decimal(h), Decimal(i).quantize(Decimal("0.01")), Decimal(m)
    )


@given(
    suggestion_limiters(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["hours_worked", "idle_share", "avg_conversation_minutes"]),
)
def test_floats_are_always_refused(limiter: SuggestionLimiter, x: float, field: str) -> None:
    args = {"hours_worked": 8, "idle_share": Decimal("0.5"), "avg_conversation_minutes": 5}
    args[field] = x  # type: ignore[assignment]
    example = {"hours_worked": "7.5", "idle_share": "0.25", "avg_conversation_minutes": "4.5"}
    message = (
        f"{field} must be an int or a decimal.Decimal such as Decimal({example[field]!r}); "
        f"floats are refused because the floor must be exact, got {x!r}"
    )
    with pytest.raises(ValidationError, match=f"^{re.escape(message)}$") as info:
        limiter.daily_limit(**args)
    assert info.value.field == field
    assert "floats are refused" in info.value.rule


@given(st.integers(-5, 300), st.integers(-5, 300))
def test_bounds_are_validated(lo: int, hi: int) -> None:
    if 0 <= lo <= hi:
        assert SuggestionLimiter(lo, hi).maximum == hi
    else:
        if lo < 0:
            message = f"SuggestionLimiter.minimum must be >= 0, got {lo}"
        elif hi < 0:
            message = f"SuggestionLimiter.maximum must be >= 0, got {hi}"
        else:
            message = f"SuggestionLimiter.minimum must be <= maximum ({hi}), got {lo}"
        with pytest.raises(ValidationError, match=f"^{re.escape(message)}$"):
            SuggestionLimiter(lo, hi)


@given(suggestion_limiters())
def test_round_trip_through_json(limiter: SuggestionLimiter) -> None:
    text = json.dumps(converter.unstructure(limiter))
    assert converter.structure(json.loads(text), SuggestionLimiter) == limiter
