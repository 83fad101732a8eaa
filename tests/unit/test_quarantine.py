"""Quarentena: worked examples, the 23:59 and daylight-saving edges, the rolling cap, campaigns.

The seed (``oto-managers-and-campaigns.txt``): "A quarentena é uma periodicidade
configurada para que a marca seja efetiva em sua mensagem, entregando as
informações para o cliente certo e com a melhor frequência possível."
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from _support.builders import SP
from otocore.campaigns import sample_campaigns
from otocore.consent import ContactChannel
from otocore.contacts import Contact, ContactOutcome
from otocore.errors import ValidationError
from otocore.quarantine import (
    CampaignQuarantine,
    ContactHistory,
    QuarantinePolicy,
    QuarantineRule,
    QuarantineStatus,
    contact_histories,
    contact_history,
    quarantine_status,
)
from otocore.serialization import _contacts as _hooks_contacts
from otocore.serialization import make_converter

AFTER = QuarantineRule.AFTER_CONTACT
CAP = QuarantineRule.MAX_CONTACTS
CAMPAIGN = QuarantineRule.CAMPAIGN
_ids = iter(range(1_000_000))


def contact(when: datetime, *, customer: str = "C1", campaign: str | None = None) -> Contact:
    return Contact(
        contact_id=f"A{next(_ids)}",
        seller_code="V01",
        customer_id=customer,
        campaign_id=campaign,
        channel=ContactChannel.WHATSAPP,
        started_at=when,
        finished_at=when + timedelta(minutes=5),
        in_portfolio=True,
    )


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SP)


def held_days(contacts: list[Contact], policy: QuarantinePolicy, start: date, n: int) -> list[int]:
    """The days of the month, among ``start .. start + n - 1``, on which the customer is held."""
    days = [start + timedelta(days=i) for i in range(n)]
    return [d.day for d in days if quarantine_status(contacts, d, policy).in_quarantine]


# AFTER_CONTACT ----------------------------------------------------------------------


def test_default_policy_is_seven_days_in_sao_paulo() -> None:
    assert QuarantinePolicy() == QuarantinePolicy(
        days_after_contact=7, max_contacts=None, per_days=None, time_zone="America/Sao_Paulo"
    )


def test_a_contact_blocks_its_day_and_the_next_days_until_n_days_have_passed() -> None:
    contacts = [contact(at(date(2026, 5, 10)))]
    assert held_days(contacts, QuarantinePolicy(), date(2026, 5, 8), 12) == [
        10,
        11,
        12,
        13,
        14,
        15,
        16,
    ]
    status = quarantine_status(contacts, date(2026, 5, 10), QuarantinePolicy())
    assert status == QuarantineStatus(
        on=date(2026, 5, 10), in_quarantine=True, rule=AFTER, free_on=date(2026, 5, 17)
    )


def test_without_contacts_a_customer_is_free() -> None:
    assert quarantine_status([], date(2026, 5, 10), QuarantinePolicy()) == QuarantineStatus.free(
        date(2026, 5, 10)
    )


def test_the_latest_contact_counts() -> None:
    contacts = [contact(at(date(2026, 5, 1))), contact(at(date(2026, 5, 5)))]
    assert quarantine_status(contacts, date(2026, 5, 7), QuarantinePolicy()).free_on == date(
        2026, 5, 12
    )


def test_a_contact_after_the_day_asked_about_had_not_happened_yet() -> None:
    contacts = [contact(at(date(2026, 5, 12)))]
    assert not quarantine_status(contacts, date(2026, 5, 11), QuarantinePolicy()).in_quarantine
    assert quarantine_status(contacts, date(2026, 5, 12), QuarantinePolicy()).in_quarantine


def test_zero_days_after_contact_turns_the_rule_off() -> None:
    contacts = [contact(at(date(2026, 5, 10)))]
    policy = QuarantinePolicy(days_after_contact=0)
    assert not quarantine_status(contacts, date(2026, 5, 10), policy).in_quarantine


def test_one_day_after_contact_blocks_only_the_day_of_the_contact() -> None:
    contacts = [contact(at(date(2026, 5, 10)))]
    policy = QuarantinePolicy(days_after_contact=1)
    assert held_days(contacts, policy, date(2026, 5, 9), 3) == [10]


def test_every_registered_outcome_counts_a_dismissed_contact_too() -> None:
    when = at(date(2026, 5, 10))
    dismissed = Contact(
        contact_id="A9",
        seller_code="V01",
        customer_id="C1",
        suggestion_id="S1",
        channel=ContactChannel.SMS,
        started_at=when,
        finished_at=when,
        outcome=ContactOutcome.DISMISSED,
        dismiss_reason="Não respondeu",
        in_portfolio=True,
    )
    assert quarantine_status([dismissed], date(2026, 5, 12), QuarantinePolicy()).in_quarantine


# 23:59 and daylight saving ------------------------------------------------------------


def test_a_contact_at_2359_local_belongs_to_that_day_not_to_the_utc_day() -> None:
    late = [contact(datetime(2026, 5, 10, 23, 59, tzinfo=SP))]  # 02:59 UTC on the 11th
    midnight = [contact(datetime(2026, 5, 11, 0, 0, tzinfo=SP))]
    policy = QuarantinePolicy()
    assert quarantine_status(late, date(2026, 5, 16), policy).free_on == date(2026, 5, 17)
    assert not quarantine_status(late, date(2026, 5, 17), policy).in_quarantine
    assert quarantine_status(midnight, date(2026, 5, 17), policy).free_on == date(2026, 5, 18)
    # a brand in UTC puts the same 23:59 contact on the 11th
    utc = QuarantinePolicy(time_zone="UTC")
    assert quarantine_status(late, date(2026, 5, 17), utc).free_on == date(2026, 5, 18)


def test_dst_start_2018_11_04_the_missing_hour() -> None:
    # São Paulo jumped from 00:00 to 01:00 on 2018-11-04: that day had 23 hours
    policy = QuarantinePolicy()
    last_minute = [contact(datetime(2018, 11, 4, 2, 59, tzinfo=UTC))]  # 23:59 -03 on the 3rd
    first_minute = [contact(datetime(2018, 11, 4, 3, 0, tzinfo=UTC))]  # 01:00 -02 on the 4th
    assert quarantine_status(last_minute, date(2018, 11, 4), policy).free_on == date(2018, 11, 10)
    assert quarantine_status(first_minute, date(2018, 11, 4), policy).free_on == date(2018, 11, 11)
    # a wall time that never existed (00:30) is read as the instant 03:30 UTC: still the 4th
    ghost = [contact(datetime(2018, 11, 4, 0, 30, tzinfo=SP))]
    assert ghost[0].started_at == datetime(2018, 11, 4, 3, 30, tzinfo=UTC)
    assert quarantine_status(ghost, date(2018, 11, 4), policy).free_on == date(2018, 11, 11)
    # the 23-hour day still counts as one day: held 4..10, free on the 11th
    assert held_days(first_minute, policy, date(2018, 11, 3), 10) == [4, 5, 6, 7, 8, 9, 10]


def test_dst_end_2019_02_16_the_repeated_hour() -> None:
    # 23:00-23:59 happened twice on 2019-02-16 (first at -02:00, then at -03:00)
    policy = QuarantinePolicy()
    first_pass = [contact(datetime(2019, 2, 17, 1, 30, tzinfo=UTC))]  # 23:30 -02:00
    second_pass = [contact(datetime(2019, 2, 17, 2, 30, tzinfo=UTC))]  # 23:30 -03:00
    next_day = [contact(datetime(2019, 2, 17, 3, 0, tzinfo=UTC))]  # 00:00 -03:00 on the 17th
    for contacts in (first_pass, second_pass):
        status = quarantine_status(contacts, date(2019, 2, 16), policy)
        assert status.free_on == date(2019, 2, 23)
    assert quarantine_status(next_day, date(2019, 2, 17), policy).free_on == date(2019, 2, 24)
    assert not quarantine_status(
        second_pass, date(2019, 2, 17), QuarantinePolicy(days_after_contact=1)
    ).in_quarantine


# MAX_CONTACTS --------------------------------------------------------------------------


def test_max_contacts_in_a_rolling_window_of_days() -> None:
    policy = QuarantinePolicy(days_after_contact=0, max_contacts=2, per_days=30)
    contacts = [contact(at(date(2026, 4, 1))), contact(at(date(2026, 4, 20)))]
    assert not quarantine_status(contacts, date(2026, 4, 19), policy).in_quarantine  # one so far
    status = quarantine_status(contacts, date(2026, 4, 20), policy)
    assert (status.rule, status.free_on) == (CAP, date(2026, 5, 1))
    # April 30: the window (March 31, April 30] still holds April 1
    assert quarantine_status(contacts, date(2026, 4, 30), policy).in_quarantine
    # May 1: the window (April 1, May 1] does not
    assert not quarantine_status(contacts, date(2026, 5, 1), policy).in_quarantine


def test_two_contacts_on_one_day_count_twice() -> None:
    policy = QuarantinePolicy(days_after_contact=0, max_contacts=2, per_days=7)
    day = date(2026, 5, 10)
    contacts = [contact(at(day, 10)), contact(at(day, 16))]
    assert quarantine_status(contacts, day, policy).free_on == date(2026, 5, 17)
    assert not quarantine_status(contacts[:1], day, policy).in_quarantine


def test_max_contacts_frees_when_the_mth_latest_contact_leaves_the_window() -> None:
    policy = QuarantinePolicy(days_after_contact=0, max_contacts=3, per_days=10)
    days = [date(2026, 5, d) for d in (1, 3, 5, 8)]
    contacts = [contact(at(d)) for d in days]
    # on the 8th the last 10 days (Apr 29 .. May 8) hold 4 contacts; the 3rd latest is May 3
    assert quarantine_status(contacts, date(2026, 5, 8), policy).free_on == date(2026, 5, 13)
    assert held_days(contacts, policy, date(2026, 5, 1), 14) == [5, 6, 7, 8, 9, 10, 11, 12]


def test_max_contacts_and_per_days_come_together() -> None:
    with pytest.raises(ValidationError, match=r"QuarantinePolicy\.per_days must be given together"):
        QuarantinePolicy(max_contacts=2)
    with pytest.raises(ValidationError, match=r"QuarantinePolicy\.max_contacts must be given"):
        QuarantinePolicy(per_days=30)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"days_after_contact": -1}, r"days_after_contact must be >= 0"),
        ({"days_after_contact": 3661}, r"days_after_contact must be <= 3660"),
        ({"days_after_contact": 7.0}, r"days_after_contact must be an integer"),
        ({"days_after_contact": True}, r"days_after_contact must be an integer"),
        ({"max_contacts": 0, "per_days": 30}, r"max_contacts must be >= 1"),
        ({"max_contacts": 2, "per_days": 0}, r"per_days must be >= 1"),
        ({"time_zone": "Brasília"}, r"time_zone must be an IANA time zone"),
    ],
)
def test_policy_bounds(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        QuarantinePolicy(**changes)


# which rule, and until when ------------------------------------------------------------


def test_the_rule_that_holds_longest_is_named_and_free_on_is_the_latest() -> None:
    policy = QuarantinePolicy(days_after_contact=7, max_contacts=2, per_days=30)
    contacts = [contact(at(date(2026, 5, 1))), contact(at(date(2026, 5, 10)))]
    status = quarantine_status(contacts, date(2026, 5, 10), policy)
    assert (status.rule, status.free_on) == (CAP, date(2026, 5, 31))
    # once the cap no longer holds, only AFTER_CONTACT could, and it ended on the 17th
    assert not quarantine_status(contacts, date(2026, 5, 31), policy).in_quarantine


def test_ties_go_to_after_contact_then_max_contacts() -> None:
    policy = QuarantinePolicy(days_after_contact=7, max_contacts=1, per_days=7)
    contacts = [contact(at(date(2026, 5, 10)), campaign="X")]
    bday = CampaignQuarantine(campaign_id="X", quarantine_days=7)
    status = quarantine_status(contacts, date(2026, 5, 10), policy, campaign=bday)
    assert (status.rule, status.free_on) == (AFTER, date(2026, 5, 17))
    no_after = QuarantinePolicy(days_after_contact=0, max_contacts=1, per_days=7)
    assert quarantine_status(contacts, date(2026, 5, 10), no_after, campaign=bday).rule is CAP


# CAMPAIGN --------------------------------------------------------------------------------


def test_a_campaign_rests_for_its_own_quarantine_after_a_contact_about_it() -> None:
    policy = QuarantinePolicy(days_after_contact=0)
    bday = CampaignQuarantine(campaign_id="ANIVERSARIO", quarantine_days=30)
    contacts = [
        contact(at(date(2026, 4, 20)), campaign="ANIVERSARIO"),
        contact(at(date(2026, 5, 1)), campaign="POS_VENDA"),
    ]
    status = quarantine_status(contacts, date(2026, 5, 10), policy, campaign=bday)
    assert (status.rule, status.free_on) == (CAMPAIGN, date(2026, 5, 20))
    assert not quarantine_status(contacts, date(2026, 5, 20), policy, campaign=bday).in_quarantine
    # another campaign is not held by it, and the customer as such is not held either
    other = CampaignQuarantine(campaign_id="RECONQUISTA", quarantine_days=30)
    assert not quarantine_status(contacts, date(2026, 5, 10), policy, campaign=other).in_quarantine
    assert not quarantine_status(contacts, date(2026, 5, 10), policy).in_quarantine


def test_two_contacts_about_one_campaign_the_latest_known_one_counts() -> None:
    # found by the local profile only: the CAMPAIGN rule must count from the latest contact
    # about the campaign on or before the day asked about, not from the one before it
    policy = QuarantinePolicy(days_after_contact=0)
    promo = CampaignQuarantine(campaign_id="PROMO", quarantine_days=30)
    contacts = [
        contact(at(date(2026, 4, 1)), campaign="PROMO"),
        contact(at(date(2026, 4, 20)), campaign="PROMO"),
        contact(at(date(2026, 6, 1)), campaign="PROMO"),
    ]
    # on May 1: April 1 alone would have freed it on May 1; April 20 holds it to May 19
    status = quarantine_status(contacts, date(2026, 5, 1), policy, campaign=promo)
    assert (status.rule, status.free_on) == (CAMPAIGN, date(2026, 5, 20))
    # on April 10 only April 1 is known: June 1 had not happened yet
    status = quarantine_status(contacts, date(2026, 4, 10), policy, campaign=promo)
    assert (status.rule, status.free_on) == (CAMPAIGN, date(2026, 5, 1))
    # the same from a brand's histories
    history = contact_histories(contacts, policy)["C1"]
    assert history.status(date(2026, 5, 1), campaign=promo).free_on == date(2026, 5, 20)


def test_of_contacts_and_earlier_suggestions_the_latest_counts() -> None:
    policy = QuarantinePolicy(days_after_contact=0)
    promo = CampaignQuarantine(campaign_id="PROMO", quarantine_days=10)
    contacts = [contact(at(date(2026, 5, 3)), campaign="PROMO")]
    suggested = [date(2026, 5, 6), date(2026, 5, 1), date(2026, 5, 6), date(2026, 5, 20)]
    status = quarantine_status(contacts, date(2026, 5, 10), policy, campaign=promo)
    assert status.free_on == date(2026, 5, 13)
    status = quarantine_status(
        contacts, date(2026, 5, 10), policy, campaign=promo, suggested_on=suggested
    )
    assert (status.rule, status.free_on) == (CAMPAIGN, date(2026, 5, 16))
    later = [contact(at(date(2026, 5, 8)), campaign="PROMO")]
    status = quarantine_status(
        later, date(2026, 5, 10), policy, campaign=promo, suggested_on=suggested
    )
    assert status.free_on == date(2026, 5, 18)


def test_a_campaign_with_zero_quarantine_days_is_never_held_by_it() -> None:
    contacts = [contact(at(date(2026, 5, 10)), campaign="X")]
    policy = QuarantinePolicy(days_after_contact=0)
    free = CampaignQuarantine(campaign_id="X", quarantine_days=0)
    assert not quarantine_status(contacts, date(2026, 5, 10), policy, campaign=free).in_quarantine


def test_earlier_suggestions_of_the_campaign_count_but_not_the_days_own() -> None:
    policy = QuarantinePolicy(days_after_contact=0)
    promo = CampaignQuarantine(campaign_id="PROMO", quarantine_days=10)
    status = quarantine_status(
        [], date(2026, 5, 12), policy, campaign=promo, suggested_on=[date(2026, 5, 5)]
    )
    assert (status.rule, status.free_on) == (CAMPAIGN, date(2026, 5, 15))
    # regenerating the 12th: its own suggestion (and any later one) does not hold it
    same_day = quarantine_status(
        [], date(2026, 5, 12), policy, campaign=promo, suggested_on=[date(2026, 5, 12)]
    )
    assert not same_day.in_quarantine


def test_suggested_on_needs_a_campaign() -> None:
    with pytest.raises(ValidationError, match="suggested_on needs the campaign"):
        quarantine_status(
            [], date(2026, 5, 12), QuarantinePolicy(), suggested_on=[date(2026, 5, 20)]
        )
    with pytest.raises(ValidationError, match=r"suggested_on\[0\] must be a datetime\.date"):
        quarantine_status(
            [],
            date(2026, 5, 12),
            QuarantinePolicy(),
            campaign=CampaignQuarantine(campaign_id="X", quarantine_days=1),
            suggested_on=["2026-05-01"],
        )


def test_a_real_campaign_is_accepted_and_junk_is_not() -> None:
    bday = sample_campaigns()[0]
    contacts = [contact(at(date(2026, 5, 1)), campaign=bday.campaign_id)]
    policy = QuarantinePolicy(days_after_contact=0)
    status = quarantine_status(contacts, date(2026, 5, 10), policy, campaign=bday)
    assert status.free_on == date(2026, 5, 1) + timedelta(days=bday.quarantine_days)
    with pytest.raises(
        ValidationError, match="campaign must be a Campaign or a CampaignQuarantine"
    ):
        quarantine_status(contacts, date(2026, 5, 10), policy, campaign="ANIVERSARIO_DO_MES")  # type: ignore[arg-type]


# histories ----------------------------------------------------------------------------------


def test_contact_history_needs_one_customer_and_histories_group_many() -> None:
    contacts = [
        contact(at(date(2026, 5, 10)), customer="C2"),
        contact(at(date(2026, 5, 1)), customer="C1", campaign="X"),
        contact(at(date(2026, 5, 3)), customer="C2", campaign="X"),
    ]
    with pytest.raises(ValidationError, match="must all belong to one customer"):
        contact_history(contacts, QuarantinePolicy())
    histories = contact_histories(contacts, QuarantinePolicy())
    assert sorted(histories) == ["C1", "C2"]
    assert {c: h.customer_id for c, h in histories.items()} == {"C1": "C1", "C2": "C2"}
    assert contact_history(contacts[1:2], QuarantinePolicy()).customer_id == "C1"
    assert histories["C2"].days == (date(2026, 5, 3), date(2026, 5, 10))
    assert histories["C2"].campaign_days == (("X", (date(2026, 5, 3),)),)
    for customer, history in histories.items():
        mine = [c for c in contacts if c.customer_id == customer]
        for d in (date(2026, 5, 2), date(2026, 5, 11)):
            assert history.status(d) == quarantine_status(mine, d, QuarantinePolicy())


def test_history_is_checked() -> None:
    with pytest.raises(ValidationError, match=r"ContactHistory\.policy must be a QuarantinePolicy"):
        ContactHistory(policy=None)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"ContactHistory\.days\[1\] must not be before"):
        ContactHistory(policy=QuarantinePolicy(), days=[date(2026, 5, 2), date(2026, 5, 1)])
    with pytest.raises(ValidationError, match=r"ContactHistory\.campaign_days\['X'\] must list"):
        ContactHistory(policy=QuarantinePolicy(), campaign_days={"X": []})


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: quarantine_status("C1", date(2026, 5, 1), QuarantinePolicy()), "contacts must be"),
        (lambda: quarantine_status([1], date(2026, 5, 1), QuarantinePolicy()), r"contacts\[0\]"),
        (lambda: quarantine_status([], "2026-05-01", QuarantinePolicy()), "on must be a datetime"),
        (
            lambda: quarantine_status([], date(2026, 5, 1), None),
            "policy must be a QuarantinePolicy",
        ),
    ],
)
def test_bad_arguments_are_validation_errors(call: Any, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        call()


def test_the_end_of_the_calendar_is_a_validation_error() -> None:
    contacts = [contact(datetime(9999, 12, 30, 12, tzinfo=UTC))]
    with pytest.raises(ValidationError, match="too close to the end of the calendar"):
        quarantine_status(contacts, date(9999, 12, 30), QuarantinePolicy())


def test_status_is_consistent() -> None:
    with pytest.raises(ValidationError, match=r"QuarantineStatus\.free_on must be set"):
        QuarantineStatus(on=date(2026, 5, 1), in_quarantine=True, rule=AFTER)
    with pytest.raises(ValidationError, match=r"QuarantineStatus\.rule must be None"):
        QuarantineStatus(on=date(2026, 5, 1), in_quarantine=False, rule=AFTER)
    with pytest.raises(ValidationError, match=r"QuarantineStatus\.rule must be a QuarantineRule"):
        QuarantineStatus(on=date(2026, 5, 1), in_quarantine=True, free_on=date(2026, 5, 2))


# JSON ---------------------------------------------------------------------------------------


def test_quarantine_values_round_trip_through_json() -> None:
    conv = make_converter()
    _hooks_contacts.configure(conv)
    policy = QuarantinePolicy(days_after_contact=3, max_contacts=2, per_days=30)
    history = contact_histories(
        [contact(at(date(2026, 5, 1)), campaign="X"), contact(at(date(2026, 5, 3)))], policy
    )["C1"]
    data = conv.unstructure(history)
    assert data["campaign_days"] == {"X": ["2026-05-01"]}
    assert data["days"] == ["2026-05-01", "2026-05-03"]
    assert conv.structure(data, ContactHistory) == history
    status = history.status(date(2026, 5, 3))
    assert conv.unstructure(status) == {
        "on": "2026-05-03",
        "in_quarantine": True,
        "rule": "max_contacts",
        "free_on": "2026-05-31",
    }
    assert conv.structure(conv.unstructure(status), QuarantineStatus) == status
    with pytest.raises(ValidationError) as info:
        conv.structure(dict(data, campaign_days={"X": ["2026-05-32"]}), ContactHistory)
    assert [e.field for e in info.value.errors] == ["ContactHistory.campaign_days['X'][0]"]
