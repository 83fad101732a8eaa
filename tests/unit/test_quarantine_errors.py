"""Quarentena: every refusal says which field, which rule and which value; the upper limits.

Each error is asserted by its whole message (``^field rule, got value$``) and, where
the value is an object, by ``excinfo.value.field`` and ``.value``.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from otocore.consent import ContactChannel
from otocore.contacts import Contact
from otocore.errors import ValidationError
from otocore.quarantine import (
    CampaignQuarantine,
    ContactHistory,
    QuarantinePolicy,
    QuarantineRule,
    QuarantineStatus,
    contact_history,
    quarantine_status,
)

DAY = date(2026, 5, 10)
ID_100 = "X" * 100
ID_101 = "X" * 101


def contact(n: int, customer: str, day: date = DAY, campaign: str | None = None) -> Contact:
    when = datetime(day.year, day.month, day.day, 15, tzinfo=UTC)
    return Contact(
        contact_id=f"A{n}",
        seller_code="V01",
        customer_id=customer,
        campaign_id=campaign,
        channel=ContactChannel.SMS,
        started_at=when,
        finished_at=when,
        in_portfolio=True,
    )


def whole(message: str) -> str:
    """A pattern that matches exactly ``message``."""
    return f"^{re.escape(message)}$"


# QuarantinePolicy ------------------------------------------------------------------


def test_policy_upper_limits_are_accepted() -> None:
    policy = QuarantinePolicy(days_after_contact=3660, max_contacts=1000, per_days=3660)
    assert (policy.days_after_contact, policy.max_contacts, policy.per_days) == (3660, 1000, 3660)
    lowest = QuarantinePolicy(days_after_contact=0, max_contacts=1, per_days=1)
    assert (lowest.days_after_contact, lowest.max_contacts, lowest.per_days) == (0, 1, 1)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"days_after_contact": 3661},
            "QuarantinePolicy.days_after_contact must be <= 3660, got 3661",
        ),
        (
            {"days_after_contact": -1},
            "QuarantinePolicy.days_after_contact must be >= 0, got -1",
        ),
        (
            {"max_contacts": 1001, "per_days": 30},
            "QuarantinePolicy.max_contacts must be <= 1000, got 1001",
        ),
        ({"max_contacts": 0, "per_days": 30}, "QuarantinePolicy.max_contacts must be >= 1, got 0"),
        (
            {"max_contacts": 2, "per_days": 3661},
            "QuarantinePolicy.per_days must be <= 3660, got 3661",
        ),
        ({"max_contacts": 2, "per_days": 0}, "QuarantinePolicy.per_days must be >= 1, got 0"),
        (
            {"max_contacts": 2.0, "per_days": 30},
            "QuarantinePolicy.max_contacts must be an integer, got 2.0",
        ),
        (
            {"max_contacts": 3},
            "QuarantinePolicy.per_days must be given together with max_contacts"
            " (both or neither), got None",
        ),
        (
            {"per_days": 30},
            "QuarantinePolicy.max_contacts must be given together with per_days"
            " (both or neither), got None",
        ),
    ],
)
def test_policy_refusals_name_the_field_the_rule_and_the_value(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=whole(message)):
        QuarantinePolicy(**changes)


# QuarantineStatus ------------------------------------------------------------------


def test_status_refusals_name_the_field_the_rule_and_the_value() -> None:
    after = QuarantineRule.AFTER_CONTACT
    with pytest.raises(
        ValidationError, match=whole("QuarantineStatus.in_quarantine must be True or False, got 1")
    ):
        QuarantineStatus(on=DAY, in_quarantine=1)  # type: ignore[arg-type]
    with pytest.raises(
        ValidationError,
        match=whole("QuarantineStatus.free_on must be set when in_quarantine is True, got None"),
    ):
        QuarantineStatus(on=DAY, in_quarantine=True, rule=after)
    with pytest.raises(ValidationError, match=r"^QuarantineStatus\.rule must be None when") as info:
        QuarantineStatus(on=DAY, in_quarantine=False, rule=after)
    assert (info.value.field, info.value.value) == ("QuarantineStatus.rule", after)
    with pytest.raises(
        ValidationError,
        match=whole(
            "QuarantineStatus.free_on must be None when in_quarantine is False,"
            " got datetime.date(2026, 5, 11)"
        ),
    ):
        QuarantineStatus(on=DAY, in_quarantine=False, free_on=date(2026, 5, 11))
    with pytest.raises(
        ValidationError,
        match=whole(
            "QuarantineStatus.free_on must be after on (2026-05-10), got datetime.date(2026, 5, 9)"
        ),
    ):
        QuarantineStatus(on=DAY, in_quarantine=True, rule=after, free_on=date(2026, 5, 9))


# CampaignQuarantine and other campaign objects --------------------------------------


def test_campaign_quarantine_limits() -> None:
    assert CampaignQuarantine(campaign_id=ID_100, quarantine_days=3660).quarantine_days == 3660
    with pytest.raises(
        ValidationError,
        match=whole(
            f"CampaignQuarantine.campaign_id must be at most 100 characters, got {ID_101!r}"
        ),
    ):
        CampaignQuarantine(campaign_id=ID_101, quarantine_days=1)
    with pytest.raises(
        ValidationError, match=whole("CampaignQuarantine.quarantine_days must be <= 3660, got 3661")
    ):
        CampaignQuarantine(campaign_id="X", quarantine_days=3661)


CAMPAIGN_RULE = (
    "campaign must be a Campaign or a CampaignQuarantine"
    " (a non-empty campaign_id and quarantine_days from 0 to 3660)"
)


@pytest.mark.parametrize(
    "fields",
    [
        pytest.param({"campaign_id": "", "quarantine_days": 7}, id="empty id"),
        pytest.param({"campaign_id": 5, "quarantine_days": 7}, id="id not a string"),
        pytest.param({"quarantine_days": 7}, id="no id"),
        pytest.param({"campaign_id": "X", "quarantine_days": "7"}, id="days a string"),
        pytest.param({"campaign_id": "X", "quarantine_days": True}, id="days a bool"),
        pytest.param({"campaign_id": "X", "quarantine_days": 7.0}, id="days a float"),
        pytest.param({"campaign_id": "X"}, id="no days"),
        pytest.param({"campaign_id": "X", "quarantine_days": -1}, id="days below 0"),
        pytest.param({"campaign_id": "X", "quarantine_days": 3661}, id="days above 3660"),
        pytest.param({"campaign_id": "", "quarantine_days": "7"}, id="both bad"),
    ],
)
def test_a_malformed_campaign_object_is_refused(fields: dict[str, Any]) -> None:
    malformed = SimpleNamespace(**fields)
    with pytest.raises(ValidationError, match=f"^{re.escape(CAMPAIGN_RULE)}, got ") as info:
        quarantine_status([], DAY, QuarantinePolicy(), campaign=malformed)
    assert (info.value.field, info.value.value) == ("campaign", malformed)


@pytest.mark.parametrize("days", [0, 1, 3660])
def test_a_campaign_object_within_the_limits_is_accepted(days: int) -> None:
    policy = QuarantinePolicy(days_after_contact=0)
    duck = SimpleNamespace(campaign_id="X", quarantine_days=days)
    status = quarantine_status([contact(1, "C1", campaign="X")], DAY, policy, campaign=duck)
    assert status.free_on == (DAY + timedelta(days=days) if days else None)


# ContactHistory ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"customer_id": ID_101},
            f"ContactHistory.customer_id must be at most 100 characters, got {ID_101!r}",
        ),
        ({"days": 5}, "ContactHistory.days must be a list of dates in ascending order, got 5"),
        (
            {"days": [DAY, "2026-05-11"]},
            "ContactHistory.days[1] must be a datetime.date (a local calendar day),"
            " got '2026-05-11'",
        ),
        (
            {"campaign_days": 5},
            "ContactHistory.campaign_days must map campaign ids to lists of dates"
            " in ascending order, got 5",
        ),
        (
            {"campaign_days": {ID_101: [DAY]}},
            f"ContactHistory.campaign_days[{ID_101!r}] must be at most 100 characters,"
            f" got {ID_101!r}",
        ),
        (
            {"campaign_days": {5: [DAY]}},
            "ContactHistory.campaign_days[5] must be a string, got 5",
        ),
        (
            {"campaign_days": [("X", [DAY]), ("X", [DAY])]},
            "ContactHistory.campaign_days['X'] must appear once, got [datetime.date(2026, 5, 10)]",
        ),
        (
            {"campaign_days": {"X": "2026-05-10"}},
            "ContactHistory.campaign_days['X'] must be a list of dates in ascending order,"
            " got '2026-05-10'",
        ),
        (
            {"campaign_days": {"X": ["2026-05-10"]}},
            "ContactHistory.campaign_days['X'][0] must be a datetime.date (a local calendar day),"
            " got '2026-05-10'",
        ),
        (
            {"campaign_days": {"X": [date(2026, 5, 11), DAY]}},
            "ContactHistory.campaign_days['X'][1] must not be before the day listed before,"
            " got datetime.date(2026, 5, 10)",
        ),
        (
            {"campaign_days": {"X": []}},
            "ContactHistory.campaign_days['X'] must list at least one day, got ()",
        ),
    ],
)
def test_history_refusals_name_the_field_the_rule_and_the_value(
    changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError, match=whole(message)):
        ContactHistory(policy=QuarantinePolicy(), **changes)


def test_history_limits_are_accepted() -> None:
    history = ContactHistory(
        policy=QuarantinePolicy(), customer_id=ID_100, campaign_days={ID_100: [DAY]}
    )
    assert history.customer_id == ID_100
    assert history.campaign_days == ((ID_100, (DAY,)),)


# the functions' arguments -------------------------------------------------------------


def test_contacts_of_three_customers_name_the_first_two() -> None:
    contacts = [contact(1, "C3"), contact(2, "C1"), contact(3, "C2")]
    with pytest.raises(
        ValidationError,
        match=whole(
            "contacts must all belong to one customer (found 'C1' and 'C2');"
            " use contact_histories() for many customers, got 'C2'"
        ),
    ) as info:
        contact_history(contacts, QuarantinePolicy())
    assert (info.value.field, info.value.value) == ("contacts", "C2")


def test_a_bad_policy_is_refused_with_or_without_contacts() -> None:
    for contacts in ([], [contact(1, "C1")]):
        with pytest.raises(
            ValidationError, match=whole("policy must be a QuarantinePolicy, got None")
        ):
            contact_history(contacts, None)  # type: ignore[arg-type]
        with pytest.raises(
            ValidationError, match=whole("policy must be a QuarantinePolicy, got None")
        ):
            quarantine_status(contacts, DAY, None)  # type: ignore[arg-type]


def test_suggested_on_refusals() -> None:
    promo = CampaignQuarantine(campaign_id="PROMO", quarantine_days=10)
    policy = QuarantinePolicy()
    with pytest.raises(
        ValidationError, match=whole("suggested_on must be an iterable of dates, got 5")
    ):
        quarantine_status([], DAY, policy, campaign=promo, suggested_on=5)  # type: ignore[arg-type]
    with pytest.raises(
        ValidationError,
        match=whole("suggested_on must be an iterable of dates, got '2026-05-01'"),
    ):
        quarantine_status([], DAY, policy, campaign=promo, suggested_on="2026-05-01")  # type: ignore[arg-type]
    days = [date(2026, 5, 1)]
    with pytest.raises(
        ValidationError,
        match=whole(
            "suggested_on needs the campaign it is about (campaign=...),"
            " got [datetime.date(2026, 5, 1)]"
        ),
    ) as info:
        quarantine_status([], DAY, policy, suggested_on=days)
    assert info.value.value is days
    with pytest.raises(
        ValidationError,
        match=whole(
            "suggested_on[1] must be a datetime.date (a local calendar day),"
            " got datetime.datetime(2026, 5, 1, 0, 0)"
        ),
    ):
        quarantine_status(
            [], DAY, policy, campaign=promo, suggested_on=[date(2026, 5, 1), datetime(2026, 5, 1)]
        )
    # a suggestion on or after the day asked about still needs the campaign
    with pytest.raises(ValidationError, match=r"^suggested_on needs the campaign"):
        quarantine_status([], DAY, policy, suggested_on=[DAY])


def test_the_end_of_the_calendar_names_the_day_and_the_days_added() -> None:
    policy = QuarantinePolicy()
    with pytest.raises(
        ValidationError,
        match=whole(
            "on is too close to the end of the calendar to add 7 days,"
            " got datetime.date(9999, 12, 30)"
        ),
    ) as info:
        quarantine_status([contact(1, "C1", date(9999, 12, 30))], date(9999, 12, 31), policy)
    assert (info.value.field, info.value.value) == ("on", date(9999, 12, 30))
