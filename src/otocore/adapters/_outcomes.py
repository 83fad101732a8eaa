"""Checks of a day's outcomes shared by every adapter, so they all refuse the same input."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from typing import Any

from otocore.adapters._common import require, require_day
from otocore.errors import ValidationError
from otocore.suggestions import Explanation, SuggestionOutcome


def check_day(day: Any) -> date:
    """``day`` of an outcome method, checked."""
    return require_day("day", day)


def checked_outcomes(day: date, explanations: Any) -> Iterator[Explanation]:
    """The explanations of ``OutcomeRepository.save_day``, each checked as it is read.

    Raises :class:`~otocore.errors.ValidationError` (when the iteration
    reaches it) for a value that is not an :class:`Explanation`, one of
    another day, or a customer named twice.
    """
    if isinstance(explanations, str | bytes | Mapping) or not isinstance(explanations, Iterable):
        raise ValidationError("explanations", explanations, "must be an iterable of Explanation")
    return _checked(day, explanations)


def _checked(day: date, explanations: Iterable[Any]) -> Iterator[Explanation]:
    seen: set[str] = set()
    for i, explanation in enumerate(explanations):
        require(f"explanations[{i}]", explanation, Explanation)
        if explanation.day != day:
            raise ValidationError(f"explanations[{i}].day", explanation.day, f"must be {day}")
        if explanation.customer_id in seen:
            raise ValidationError(
                f"explanations[{i}].customer_id",
                explanation.customer_id,
                "must appear once a day (one outcome per customer per day)",
            )
        _check_suggestion(f"explanations[{i}]", explanation)
        seen.add(explanation.customer_id)
        yield explanation


def _check_suggestion(field: str, e: Explanation) -> None:
    """A SUGGESTED explanation carries its suggestion, which agrees with it; no other does."""
    s = e.suggestion
    if e.outcome is not SuggestionOutcome.SUGGESTED:
        if s is not None:
            raise ValidationError(f"{field}.suggestion", s, "must be None unless SUGGESTED")
        return
    if s is None:
        raise ValidationError(f"{field}.suggestion", None, "must be given for SUGGESTED")
    for name in ("customer_id", "day", "seller_code", "campaign_id", "channel", "detail"):
        if getattr(s, name) != getattr(e, name):
            raise ValidationError(
                f"{field}.suggestion.{name}",
                getattr(s, name),
                f"must be the explanation's {name} ({getattr(e, name)!r})",
            )
