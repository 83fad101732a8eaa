"""Quarantine and the contact log: invariants against a brute-force model, round trips, junk.

Contacts are drawn around the end of daylight saving in São Paulo
(2019-02-16, when 23:00-23:59 happened twice) and in several zones, so local
days differ from UTC days.
"""

from __future__ import annotations

import contextlib
import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support.strategies import json_values
from otocore._time import local_day
from otocore.contacts import (
    ConsentChange,
    Contact,
    FollowUp,
    SuggestionEvent,
    SuggestionStatus,
    advance,
)
from otocore.errors import OtocoreError, RuleViolation, ValidationError
from otocore.quarantine import (
    CampaignQuarantine,
    ContactHistory,
    QuarantinePolicy,
    QuarantineStatus,
    contact_histories,
    quarantine_status,
)
from otocore.serialization import _contacts as _hooks_contacts
from otocore.serialization import make_converter
from otocore.testing._contacts import (
    campaign_quarantines,
    consent_changes,
    contact_history_values,
    contacts,
    follow_ups,
    quarantine_policies,
    quarantine_statuses,
)
from otocore.testing._strategies import aware_datetimes

CONV = make_converter()
_hooks_contacts.configure(CONV)

FIRST, LAST = date(2019, 1, 25), date(2019, 3, 10)
INSTANTS = aware_datetimes(
    min_value=datetime(2019, 1, 25, tzinfo=UTC), max_value=datetime(2019, 3, 10, tzinfo=UTC)
)
CAMPAIGN_IDS = st.sampled_from(["CAMP01", "CAMP02"])
ONE_CUSTOMER = st.lists(
    contacts(
        customer_id=st.just("C001"), started_at=INSTANTS, campaign_id=st.none() | CAMPAIGN_IDS
    ),
    max_size=8,
)
DAYS = st.dates(min_value=FIRST - timedelta(days=3), max_value=LAST + timedelta(days=3))
CAMPAIGNS = st.none() | campaign_quarantines(campaign_id=CAMPAIGN_IDS)
SUGGESTED = st.lists(st.dates(min_value=FIRST, max_value=LAST), max_size=3)


def held_by_model(
    contacts: list[Contact],
    day: date,
    policy: QuarantinePolicy,
    campaign: CampaignQuarantine | None,
    *,
    suggested: list[date],
    asked_on: date,
) -> bool:
    """The rule as docs/quarantine.md states it, by brute force over the events known on ``asked_on``."""
    zone = policy.zone
    known = [(local_day(c.started_at, zone), c.campaign_id) for c in contacts]
    known = [(d, cid) for d, cid in known if d <= asked_on]
    n = policy.days_after_contact
    if any(d <= day < d + timedelta(days=n) for d, _ in known):
        return True
    m, p = policy.max_contacts, policy.per_days
    if (
        m is not None
        and p is not None
        and sum(1 for d, _ in known if day - timedelta(days=p) < d <= day) >= m
    ):
        return True
    if campaign is not None:
        q = timedelta(days=campaign.quarantine_days)
        events = [d for d, cid in known if cid == campaign.campaign_id]
        events += [s for s in suggested if s < asked_on]
        if any(e <= day < e + q for e in events):
            return True
    return False


@given(ONE_CUSTOMER, DAYS, quarantine_policies(), CAMPAIGNS, SUGGESTED)
def test_status_matches_the_stated_rule(
    contacts: list[Contact],
    on: date,
    policy: QuarantinePolicy,
    campaign: CampaignQuarantine | None,
    suggested: list[date],
) -> None:
    if campaign is None:
        suggested = []
    status = quarantine_status(contacts, on, policy, campaign=campaign, suggested_on=suggested)
    assert status.on == on
    assert status.in_quarantine == held_by_model(
        contacts, on, policy, campaign, suggested=suggested, asked_on=on
    )


@given(ONE_CUSTOMER, DAYS, quarantine_policies(), CAMPAIGNS, SUGGESTED)
def test_free_on_is_the_first_day_the_status_is_false(
    contacts: list[Contact],
    on: date,
    policy: QuarantinePolicy,
    campaign: CampaignQuarantine | None,
    suggested: list[date],
) -> None:
    if campaign is None:
        suggested = []
    status = quarantine_status(contacts, on, policy, campaign=campaign, suggested_on=suggested)
    if not status.in_quarantine:
        return
    assert status.free_on is not None
    # no new contact after ``on``: keep only what was known on ``on``
    zone = policy.zone
    known = [c for c in contacts if local_day(c.started_at, zone) <= on]
    earlier = [s for s in suggested if s < on]
    day = on
    while day < status.free_on:
        later = quarantine_status(known, day, policy, campaign=campaign, suggested_on=earlier)
        assert later.in_quarantine, day
        assert held_by_model(known, day, policy, campaign, suggested=earlier, asked_on=on), day
        day += timedelta(days=1)
    at_free = quarantine_status(known, day, policy, campaign=campaign, suggested_on=earlier)
    assert not at_free.in_quarantine
    assert not held_by_model(known, day, policy, campaign, suggested=earlier, asked_on=on)


@given(
    ONE_CUSTOMER,
    contacts(customer_id=st.just("C001"), started_at=INSTANTS),
    DAYS,
    quarantine_policies(),
    CAMPAIGNS,
)
def test_adding_a_contact_never_frees_a_customer_earlier(
    contacts: list[Contact],
    extra: Contact,
    on: date,
    policy: QuarantinePolicy,
    campaign: CampaignQuarantine | None,
) -> None:
    before = quarantine_status(contacts, on, policy, campaign=campaign)
    after = quarantine_status([*contacts, extra], on, policy, campaign=campaign)
    if before.in_quarantine:
        assert after.in_quarantine
        assert after.free_on is not None
        assert before.free_on is not None
        assert after.free_on >= before.free_on


@given(ONE_CUSTOMER, DAYS, quarantine_policies(), CAMPAIGNS, st.randoms(use_true_random=False))
def test_the_order_of_contacts_never_matters(
    contacts: list[Contact],
    on: date,
    policy: QuarantinePolicy,
    campaign: CampaignQuarantine | None,
    rnd: Any,
) -> None:
    shuffled = list(contacts)
    rnd.shuffle(shuffled)
    assert quarantine_status(shuffled, on, policy, campaign=campaign) == quarantine_status(
        contacts, on, policy, campaign=campaign
    )


@given(ONE_CUSTOMER, DAYS, quarantine_policies(), campaign_quarantines(campaign_id=CAMPAIGN_IDS))
def test_asking_about_a_campaign_never_loosens_the_quarantine(
    contacts: list[Contact], on: date, policy: QuarantinePolicy, campaign: CampaignQuarantine
) -> None:
    plain = quarantine_status(contacts, on, policy)
    about = quarantine_status(contacts, on, policy, campaign=campaign)
    if plain.in_quarantine:
        assert about.in_quarantine
        assert about.free_on is not None
        assert plain.free_on is not None
        assert about.free_on >= plain.free_on


@given(
    st.lists(
        contacts(started_at=INSTANTS, customer_id=st.sampled_from(["C1", "C2", "C3"])), max_size=12
    ),
    DAYS,
    quarantine_policies(),
)
def test_bulk_histories_give_the_same_answer_as_one_customer_at_a_time(
    contacts: list[Contact], on: date, policy: QuarantinePolicy
) -> None:
    histories = contact_histories(contacts, policy)
    assert set(histories) == {c.customer_id for c in contacts}
    for customer, history in histories.items():
        mine = [c for c in contacts if c.customer_id == customer]
        assert history.status(on) == quarantine_status(mine, on, policy)
        assert len(history.days) == len(mine)


# contacts ----------------------------------------------------------------------------------


@given(contacts())
def test_a_contact_is_consistent(contact: Contact) -> None:
    assert contact.started_at <= contact.finished_at
    assert contact.local_day <= contact.finished_local_day
    if contact.follow_up is not None:
        assert contact.follow_up.day > contact.finished_local_day


@given(st.lists(st.sampled_from(SuggestionEvent), max_size=5))
def test_a_suggestion_only_moves_forward(events: list[SuggestionEvent]) -> None:
    rank = {
        SuggestionStatus.PENDING: 0,
        SuggestionStatus.STARTED: 1,
        SuggestionStatus.FINISHED: 2,
        SuggestionStatus.DISMISSED: 2,
    }
    status = SuggestionStatus.PENDING
    for event in events:
        try:
            moved = advance(status, event)
        except RuleViolation:
            continue
        assert rank[moved] > rank[status]
        status = moved


# round trips and junk ---------------------------------------------------------------------

VALUES = st.one_of(
    contacts(),
    follow_ups(),
    consent_changes(),
    quarantine_policies(),
    quarantine_statuses(),
    campaign_quarantines(),
    contact_history_values(),
)


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(contacts(), id="Contact"),
        pytest.param(follow_ups(), id="FollowUp"),
        pytest.param(consent_changes(), id="ConsentChange"),
        pytest.param(quarantine_policies(), id="QuarantinePolicy"),
        pytest.param(quarantine_statuses(), id="QuarantineStatus"),
        pytest.param(campaign_quarantines(), id="CampaignQuarantine"),
        pytest.param(contact_history_values(), id="ContactHistory"),
    ],
)
@given(draws=st.data())
def test_round_trip_through_json(values: st.SearchStrategy[Any], draws: st.DataObject) -> None:
    value = draws.draw(values, label="value")
    text = json.dumps(CONV.unstructure(value))
    assert CONV.structure(json.loads(text), type(value)) == value


JSON = json_values(text_size=12)
TYPES = [
    Contact,
    FollowUp,
    ConsentChange,
    QuarantinePolicy,
    QuarantineStatus,
    CampaignQuarantine,
    ContactHistory,
]


@pytest.mark.parametrize("cls", TYPES)
@given(junk=JSON)
def test_junk_raises_only_validation_error(cls: type, junk: Any) -> None:
    with contextlib.suppress(ValidationError):
        CONV.structure(junk, cls)


@given(VALUES, st.data())
def test_a_bad_field_is_named_by_its_path(value: Any, data: st.DataObject) -> None:
    doc = CONV.unstructure(value)
    key = data.draw(st.sampled_from(sorted(doc)))
    doc[key] = data.draw(JSON)
    name = type(value).__name__
    try:
        CONV.structure(doc, type(value))
    except ValidationError as err:
        fields = [e.field for e in err.errors]
    else:
        return  # the junk happened to be a valid value for that field
    assert all(f.startswith(f"{name}.") for f in fields)
    # a fault that involves two fields may be reported on the other one
    cross = {"finished_at", "started_at", "follow_up", "time_zone", "outcome"}
    cross |= {"dismiss_reason", "suggestion_id", "in_quarantine", "rule", "free_on", "on"}
    cross |= {"max_contacts", "per_days"}
    if key not in cross:
        assert any(f.startswith(f"{name}.{key}") for f in fields)


@given(JSON, JSON, JSON, JSON)
def test_junk_arguments_raise_only_otocore_errors(a: Any, b: Any, c: Any, d: Any) -> None:
    with contextlib.suppress(OtocoreError):
        quarantine_status(a, b, QuarantinePolicy(), campaign=c, suggested_on=d)
    with contextlib.suppress(OtocoreError):
        quarantine_status([], date(2026, 5, 1), a)
    with contextlib.suppress(OtocoreError):
        advance(a, b)
