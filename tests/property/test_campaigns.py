"""Campaigns: JSON round trips, templates that never fail when sent, junk, priority order."""

from __future__ import annotations

import contextlib
import json
import string
from datetime import date
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from _support.strategies import json_values
from otocore.campaigns import (
    PLACEHOLDERS,
    Campaign,
    by_priority,
    render,
    template_faults,
)
from otocore.errors import OtocoreError, ValidationError
from otocore.filters import HasPurchases
from otocore.serialization import _campaigns as _hooks_campaigns
from otocore.serialization import dump_campaigns, load_campaigns, make_converter
from otocore.testing._contacts import campaigns, message_templates

CONV = make_converter()
# where the audience plays no part, a fixed one keeps the tests fast
PLAIN = campaigns(audience=st.just(HasPurchases()))
_hooks_campaigns.configure(CONV)

NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=12
).filter(lambda s: bool(s.strip()))


@given(campaigns())
def test_round_trip_through_the_converter_and_json(campaign: Campaign) -> None:
    text = json.dumps(CONV.unstructure(campaign))
    assert CONV.structure(json.loads(text), Campaign) == campaign


@given(st.lists(campaigns(), max_size=3, unique_by=lambda c: c.campaign_id))
def test_round_trip_through_a_campaign_file(items: list[Campaign]) -> None:
    assert load_campaigns(dump_campaigns(items)) == tuple(items)


@given(st.lists(PLAIN, min_size=2, max_size=3, unique_by=lambda c: c.campaign_id))
def test_duplicate_ids_in_a_file_are_refused(items: list[Campaign]) -> None:
    data = json.loads(dump_campaigns([*items, items[0]]))
    try:
        load_campaigns(data)
    except ValidationError as err:
        fields = [e.field for e in err.errors]
    else:
        raise AssertionError("a repeated campaign id was accepted")
    assert fields == [f"campaigns[{len(items)}].campaign_id"]


TEMPLATE_TEXT = st.lists(
    st.sampled_from([*"{}!:.[]0 ab_\n", *(f"{{{p}}}" for p in PLACEHOLDERS)]), max_size=12
).map("".join)


@given(TEMPLATE_TEXT | message_templates())
@example("{primeiro_nome!s}")
@example("{loja[0]}")
@example("{vendedor.x}")
@example("{}")
@example("}{")
def test_an_accepted_template_never_fails_when_sent(template: str) -> None:
    values = {"primeiro_nome": "Ana", "vendedor": "Bruno", "loja": "Centro"}
    faults = template_faults("message", template)
    try:
        sent = template.format_map(values)
    except (ValueError, KeyError, IndexError, AttributeError, TypeError):
        assert faults, f"{template!r} fails when sent but was accepted"
        return
    if not faults:
        # an accepted template is text with the three values put in place
        literal = "".join(part[0] for part in string.Formatter().parse(template))
        assert len(sent) == len(literal) + sum(
            len(values[part[1]]) for part in string.Formatter().parse(template) if part[1]
        )


@given(PLAIN, st.data(), NAMES, NAMES, NAMES)
def test_render_works_on_every_channel_of_a_valid_campaign(
    campaign: Campaign, data: st.DataObject, first: str, seller: str, store: str
) -> None:
    channel = data.draw(st.sampled_from(campaign.channels))
    text = render(
        campaign, channel=channel, customer_first_name=first, seller_name=seller, store_name=store
    )
    template = campaign.message_for(channel)
    if "{primeiro_nome}" in template:
        assert first in text
    if (
        "{{" not in template
        and "}}" not in template
        and not any(f"{{{p}}}" in template for p in PLACEHOLDERS)
    ):
        assert text == template


@given(st.lists(PLAIN, max_size=6), st.randoms(use_true_random=False))
def test_priority_order_is_total_and_ignores_input_order(items: list[Campaign], rnd: Any) -> None:
    ordered = by_priority(items)
    keys = [(c.priority, c.campaign_id) for c in ordered]
    assert keys == sorted(keys)
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert [(c.priority, c.campaign_id) for c in by_priority(shuffled)] == keys


@given(PLAIN, st.dates(min_value=date(2023, 1, 1), max_value=date(2029, 12, 31)))
def test_runs_on_is_active_and_within_the_days(campaign: Campaign, day: date) -> None:
    inside = campaign.first_day <= day <= campaign.last_day
    assert campaign.in_period(day) is inside
    assert campaign.runs_on(day) is (inside and campaign.active)


JSON = json_values(text_size=12)


@given(JSON)
def test_junk_raises_only_validation_error(junk: Any) -> None:
    with contextlib.suppress(ValidationError):
        CONV.structure(junk, Campaign)
    with contextlib.suppress(ValidationError):
        load_campaigns(junk if isinstance(junk, list) else [junk])
    with contextlib.suppress(ValidationError):
        load_campaigns(json.dumps(junk))


@given(st.text(max_size=40) | st.binary(max_size=40))
def test_junk_text_raises_only_validation_error(text: str | bytes) -> None:
    with contextlib.suppress(ValidationError):
        load_campaigns(text)


@given(campaigns(), st.data())
def test_a_bad_field_is_named_by_its_path(campaign: Campaign, data: st.DataObject) -> None:
    doc = CONV.unstructure(campaign)
    key = data.draw(st.sampled_from(sorted(doc)))
    doc[key] = data.draw(JSON)
    try:
        CONV.structure(doc, Campaign)
    except ValidationError as err:
        fields = [e.field for e in err.errors]
    else:
        return  # the junk happened to be a valid value for that field
    assert all(f.startswith("Campaign.") for f in fields)
    related = {
        "first_day": ("Campaign.first_day", "Campaign.last_day"),
        "last_day": ("Campaign.last_day",),
        "channels": ("Campaign.channels", "Campaign.channel_messages"),
    }.get(key, (f"Campaign.{key}",))
    assert any(f.startswith(related) for f in fields)


@given(JSON, JSON, JSON)
def test_junk_arguments_raise_only_otocore_errors(a: Any, b: Any, c: Any) -> None:
    with contextlib.suppress(OtocoreError):
        Campaign(
            campaign_id=a,
            name=b,
            priority=c,
            first_day=a,
            last_day=b,
            audience=c,
            channels=a,
            message=b,
            channel_messages=c,
            quarantine_days=a,
            active=b,
        )
    with contextlib.suppress(OtocoreError):
        template_faults("m", a)
        by_priority(a)
