"""Edges of the shared calendar helpers (otocore._time) that the rules rely on."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import attrs
import pytest
from dateutil.relativedelta import relativedelta

from otocore._time import end_of_day, require_window, same_zone_as
from otocore.errors import ValidationError


def test_a_mixed_window_counts_a_month_as_31_days_at_the_limit() -> None:
    # 1 month (at most 31 days) + 36,493 days = 36,524 days: the longest accepted
    assert require_window("w", relativedelta(months=1, days=36493)) == relativedelta(
        months=1, days=36493
    )
    with pytest.raises(ValidationError, match=r"^w must be at most 100 years, got relativedelta"):
        require_window("w", relativedelta(months=1, days=36494))
    # a year counts as 366 days
    assert require_window("w", relativedelta(years=1, days=36158)).days == 36158
    with pytest.raises(ValidationError, match=r"^w must be at most 100 years"):
        require_window("w", relativedelta(years=1, days=36159))


def test_a_policy_of_the_wrong_type_is_named_by_its_field() -> None:
    # The classes are built here, not at import: the validator factory runs when the
    # test does (mutation testing switches a mutant on only while tests run).
    @attrs.frozen
    class Zoned:
        time_zone: str

    @attrs.frozen
    class Settings:
        first: Zoned
        second: Zoned = attrs.field(validator=same_zone_as("first", Zoned))

    with pytest.raises(ValidationError, match=r"^Settings\.second must be a Zoned") as raised:
        Settings(Zoned("America/Sao_Paulo"), "America/Sao_Paulo")  # type: ignore[arg-type]
    assert raised.value.field == "Settings.second"
    assert Settings(Zoned("UTC"), Zoned("UTC")).second == Zoned("UTC")


def test_the_end_of_a_local_day_is_an_instant_in_utc() -> None:
    end = end_of_day("on", date(2019, 2, 16), ZoneInfo("America/Sao_Paulo"))
    assert end.tzinfo is UTC  # not the machine's zone, whatever TZ says
    assert end == datetime(2019, 2, 17, 2, 59, 59, 999999, tzinfo=UTC)  # DST ended at 00:00
