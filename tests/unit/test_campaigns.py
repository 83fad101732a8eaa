"""Campanhas: templates checked when a campaign is built, days, priorities, JSON.

The seeds: "A campanha é um conjunto de regras criadas pela marca para você
interagir melhor com o seu cliente, podendo aplicar filtros diversos para
organizar e priorizar os seus contatos" (``oto-faq.txt``); "As mensagens
sugeridas no Oto foram definidas pela marca" (``oto-managers-and-campaigns.txt``).
"""

from __future__ import annotations

import json
import os
import re
from datetime import date, datetime
from importlib import resources
from typing import Any

import attrs
import pytest

from otocore.campaigns import (
    PLACEHOLDERS,
    Campaign,
    by_priority,
    render,
    sample_campaigns,
    template_faults,
)
from otocore.consent import ContactChannel
from otocore.errors import ValidationError
from otocore.filters import AllOf, BirthdayInMonth, DaysSinceLastPurchase, SegmentIn
from otocore.rfv import default_grid
from otocore.serialization import OtocoreConverter, dump_campaigns, load_campaigns, make_converter
from otocore.serialization import _campaigns as _hooks_campaigns

WA, SMS, EMAIL = ContactChannel.WHATSAPP, ContactChannel.SMS, ContactChannel.EMAIL


def campaign(**changes: Any) -> Campaign:
    fields: dict[str, Any] = {
        "campaign_id": "POS_VENDA_30",
        "name": "Pós-venda 30 dias",
        "priority": 2,
        "first_day": date(2026, 5, 1),
        "last_day": date(2026, 5, 31),
        "audience": DaysSinceLastPurchase.exactly(30),
        "channels": [WA],
        "message": "Oi, {primeiro_nome}! Aqui é {vendedor}, da {loja}.",
    }
    fields.update(changes)
    return Campaign(**fields)


@pytest.fixture
def conv() -> OtocoreConverter:
    converter = make_converter()
    _hooks_campaigns.configure(converter)
    return converter


def fields_of(err: pytest.ExceptionInfo[ValidationError]) -> list[str]:
    return [e.field for e in err.value.errors]


# the value ------------------------------------------------------------------------


def test_defaults() -> None:
    c = campaign()
    assert (c.quarantine_days, c.active, c.channel_messages) == (30, True, ())
    assert c.channels == (WA,)


def test_render_fills_the_placeholders_in_portuguese() -> None:
    text = render(
        campaign(), channel=WA, customer_first_name="Ana", seller_name="Bruno", store_name="Centro"
    )
    assert text == "Oi, Ana! Aqui é Bruno, da Centro."


def test_render_uses_the_channel_template_and_refuses_other_channels() -> None:
    c = campaign(channels=[WA, EMAIL], channel_messages={EMAIL: "Prezada {primeiro_nome},\n\n"})
    names = {"customer_first_name": "Ana", "seller_name": "Bruno", "store_name": "Centro"}
    assert render(c, channel=EMAIL, **names) == "Prezada Ana,\n\n"
    assert render(c, channel=WA, **names).startswith("Oi, Ana!")
    with pytest.raises(ValidationError, match="channel must be one of the campaign's channels"):
        render(c, channel=SMS, **names)
    with pytest.raises(ValidationError, match="seller_name must be a string"):
        render(c, channel=WA, **{**names, "seller_name": None})
    with pytest.raises(ValidationError, match="campaign must be a Campaign"):
        render("POS_VENDA_30", channel=WA, **names)  # type: ignore[arg-type]


def test_values_with_braces_are_inserted_as_they_are() -> None:
    c = campaign(message="{{{primeiro_nome}}} {loja}")
    out = render(c, channel=WA, customer_first_name="{loja}", seller_name="x", store_name="L{0}")
    assert out == "{{loja}} L{0}"


@pytest.mark.parametrize(
    ("template", "rule"),
    [
        ("Oi, {nome}!", "has an unknown placeholder {nome}"),
        ("Oi, {Primeiro_Nome}!", "has an unknown placeholder {Primeiro_Nome}"),
        ("Oi, {}!", "has an empty placeholder {}"),
        ("Oi, {0}!", "has an unknown placeholder {0}"),
        ("Oi, {loja.nome}!", "has an unknown placeholder {loja.nome}"),
        ("Oi, {loja[0]}!", "has an unknown placeholder {loja[0]}"),
        ("Oi, {loja!r}!", "has a conversion or format in {loja!r}; write just {loja}"),
        ("Oi, {loja:>20}!", "has a conversion or format in {loja:>20}; write just {loja}"),
        ("Oi, {primeiro_nome", "has malformed braces"),
        ("Oi, primeiro_nome}", "has malformed braces"),
        ("Oi, {primeiro_nome}}", "has malformed braces"),
        ("   ", "must not be empty"),
        ("Oi\x00", "must not contain control characters"),
        ("x" * 1001, "must be at most 1000 characters"),
    ],
)
def test_a_bad_template_is_refused_when_the_campaign_is_built(template: str, rule: str) -> None:
    with pytest.raises(ValidationError, match="^Campaign\\.message " + re.escape(rule)) as info:
        campaign(message=template)
    assert fields_of(info) == ["Campaign.message"]
    assert info.value.rule.startswith(rule)


@pytest.mark.parametrize(
    "template",
    [
        "Sem placeholder nenhum.",
        "{{promo}} {primeiro_nome}",
        "{primeiro_nome}{vendedor}{loja}{primeiro_nome}",
        "Linha 1\nLinha 2\t{loja}",
    ],
)
def test_good_templates(template: str) -> None:
    assert template_faults("message", template) == []
    assert campaign(message=template).message == template


def test_every_unknown_placeholder_is_reported_once() -> None:
    faults = template_faults("m", "{a} {b} {a} {loja}")
    assert [f.rule.split(";")[0] for f in faults] == [
        "has an unknown placeholder {a}",
        "has an unknown placeholder {b}",
    ]


def test_the_three_placeholders() -> None:
    assert PLACEHOLDERS == ("primeiro_nome", "vendedor", "loja")


def test_every_fault_of_a_campaign_is_reported_at_once() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^8 errors:\n  Campaign\.campaign_id must not be empty, got ''\n"
        r"  Campaign\.priority must be >= 1, got 0\n"
        r"  Campaign\.last_day must not be before first_day \(2026-06-01\), ",
    ) as info:
        campaign(
            campaign_id="",
            priority=0,
            first_day=date(2026, 6, 1),
            audience="segment_in at_risk",
            channels=[],
            message="{nome}",
            quarantine_days=-1,
            active="yes",
        )
    assert fields_of(info) == [
        "Campaign.campaign_id",
        "Campaign.priority",
        "Campaign.last_day",
        "Campaign.audience",
        "Campaign.channels",
        "Campaign.message",
        "Campaign.quarantine_days",
        "Campaign.active",
    ]


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"channels": [WA, WA]}, "Campaign.channels[1]", "must appear once"),
        ({"channels": ["whatsapp"]}, "Campaign.channels[0]", "must be a ContactChannel"),
        ({"channels": WA}, "Campaign.channels", "must be a list of ContactChannel"),
        ({"priority": True}, "Campaign.priority", "must be an integer"),
        ({"priority": 1_000_001}, "Campaign.priority", "must be <= 1000000"),
        ({"quarantine_days": 3661}, "Campaign.quarantine_days", "must be <= 3660"),
        ({"first_day": datetime(2026, 5, 1)}, "Campaign.first_day", "must be a datetime.date"),
        ({"last_day": "2026-05-31"}, "Campaign.last_day", "must be a datetime.date"),
        ({"last_day": datetime(2026, 5, 31)}, "Campaign.last_day", "must be a datetime.date"),
        ({"channel_messages": {SMS: "Oi"}}, "Campaign.channel_messages['sms']", "must be one of"),
        ({"channel_messages": {"sms": "Oi"}}, "Campaign.channel_messages['sms']", "must be a"),
        ({"channel_messages": {WA: "{x}"}}, "Campaign.channel_messages['whatsapp']", "has an"),
        ({"channel_messages": "Oi"}, "Campaign.channel_messages", "must map channels"),
    ],
)
def test_field_rules(changes: dict[str, Any], field: str, rule: str) -> None:
    with pytest.raises(ValidationError, match="^" + re.escape(f"{field} {rule}")) as info:
        campaign(**changes)
    assert fields_of(info) == [field]
    assert info.value.rule.startswith(rule)


def test_channel_messages_are_kept_in_channel_order() -> None:
    c = campaign(channels=[EMAIL, WA, SMS], channel_messages={SMS: "a", WA: "b"})
    assert c.channel_messages == ((WA, "b"), (SMS, "a"))
    assert c == campaign(channels=[EMAIL, WA, SMS], channel_messages={WA: "b", SMS: "a"})
    assert hash(c) == hash(
        campaign(channels=[EMAIL, WA, SMS], channel_messages={WA: "b", SMS: "a"})
    )


# days and priority -----------------------------------------------------------------


def test_runs_on_its_days_both_ends_included_and_only_when_active() -> None:
    c = campaign(first_day=date(2026, 5, 1), last_day=date(2026, 5, 31))
    assert [c.runs_on(date(2026, m, d)) for m, d in ((4, 30), (5, 1), (5, 31), (6, 1))] == [
        False,
        True,
        True,
        False,
    ]
    paused = attrs.evolve(c, active=False)
    assert not paused.runs_on(date(2026, 5, 10))
    assert paused.in_period(date(2026, 5, 10))
    one_day = campaign(first_day=date(2026, 5, 10), last_day=date(2026, 5, 10))
    assert one_day.runs_on(date(2026, 5, 10))
    with pytest.raises(ValidationError, match=r"day must be a datetime\.date"):
        c.runs_on(datetime(2026, 5, 10))


def test_by_priority_then_id() -> None:
    a = campaign(campaign_id="B", priority=2)
    b = campaign(campaign_id="A", priority=2)
    c = campaign(campaign_id="Z", priority=1)
    assert [x.campaign_id for x in by_priority([a, b, c])] == ["Z", "A", "B"]
    with pytest.raises(ValidationError, match=r"campaigns\[1\] must be a Campaign"):
        by_priority([a, "B"])  # type: ignore[list-item]


# samples and JSON ----------------------------------------------------------------------


def test_the_three_sample_campaigns() -> None:
    bday, post_sale, win_back = sample_campaigns()
    assert bday.audience == BirthdayInMonth()
    assert post_sale.audience == DaysSinceLastPurchase(min=30, max=30)
    assert win_back.audience == SegmentIn(["at_risk"])
    names = {"customer_first_name": "Ana", "seller_name": "Bruno", "store_name": "Loja Centro"}
    assert render(post_sale, channel=WA, **names) == (
        "Oi, Ana, tudo bem? Aqui é Bruno, da Loja Centro. Faz um mês da sua última compra: "
        "está gostando? Se precisar de algo, é só me chamar."
    )
    assert render(bday, channel=SMS, **names).startswith("Ana, feliz mês do aniversário!")
    assert render(win_back, channel=EMAIL, **names).endswith("\n\nBruno")
    assert all(c.runs_on(date(2026, 5, 10)) for c in sample_campaigns())


def test_the_shipped_sample_file_is_what_dump_writes() -> None:
    text = resources.files("otocore").joinpath("data/campaigns_sample.json").read_text("utf-8")
    assert dump_campaigns(sample_campaigns()) == text
    load_campaigns(text, grid=default_grid())  # the segment keys exist in the default grid


def test_load_accepts_text_or_parsed_data_and_fills_defaults() -> None:
    data = [
        {
            "campaign_id": "X",
            "name": "X",
            "priority": 1,
            "first_day": "2026-05-01",
            "last_day": "2026-05-31",
            "audience": {"all": []},
            "channels": ["sms"],
            "message": "Oi",
        }
    ]
    (c,) = load_campaigns(json.dumps(data))
    assert (c.quarantine_days, c.active, c.channel_messages, c.audience) == (
        30,
        True,
        (),
        AllOf([]),
    )
    assert load_campaigns(data) == (c,)
    assert load_campaigns(data[0:0]) == ()


def test_a_malformed_campaign_file_reports_every_fault_with_its_path() -> None:
    good = json.loads(dump_campaigns(sample_campaigns()))
    bad = dict(
        good[1],
        priority="2",
        audience={
            "all": [{"sex_in": ["female"]}, {"has_purchases": {}}, {"age_between": {"min": -1}}]
        },
        channels=["whatsapp", "fax"],
        message="Oi {nome}",
        extra=True,
    )
    with pytest.raises(
        ValidationError, match=r"^6 errors:\n  campaigns\[1\]\.priority must be an integer"
    ) as info:
        load_campaigns([good[0], bad, good[0]])
    assert fields_of(info) == [
        "campaigns[1].priority",
        "campaigns[1].audience.all[2].age_between.min",
        "campaigns[1].channels[1]",
        "campaigns[1].message",
        "campaigns[1].extra",
        "campaigns[2].campaign_id",
    ]
    assert info.value.errors[-1].rule == "must be unique; campaigns[0] has the same id"


def test_missing_fields_and_bad_shapes() -> None:
    with pytest.raises(
        ValidationError, match=r"^8 errors:\n  campaigns\[0\]\.name is required, got <missing>\n"
    ) as info:
        load_campaigns('[{"campaign_id": "X"}, 3]')
    assert fields_of(info) == [
        "campaigns[0].name",
        "campaigns[0].priority",
        "campaigns[0].first_day",
        "campaigns[0].last_day",
        "campaigns[0].audience",
        "campaigns[0].channels",
        "campaigns[0].message",
        "campaigns[1]",
    ]
    with pytest.raises(ValidationError, match="campaigns must be valid JSON"):
        load_campaigns("[{")
    with pytest.raises(ValidationError, match="campaigns must be a JSON array"):
        load_campaigns('"campanhas"')
    with pytest.raises(
        ValidationError, match=r"campaigns\[0\]\.first_day must be an ISO 8601 date"
    ):
        load_campaigns(
            [dict(json.loads(dump_campaigns(sample_campaigns()))[0], first_day="1/5/2026")]
        )


def test_segments_can_be_checked_against_the_brands_grid() -> None:
    data = json.loads(dump_campaigns(sample_campaigns()))
    data[2]["audience"] = {"segment_in": ["vips"]}
    assert load_campaigns(data)[2].audience == SegmentIn(["vips"])
    with pytest.raises(
        ValidationError, match=r"^campaigns\[2\]\.audience\.segment_in\[0\] must be "
    ) as info:
        load_campaigns(data, grid=default_grid())
    assert fields_of(info) == ["campaigns[2].audience.segment_in[0]"]


def test_campaigns_round_trip_through_the_converter(conv: OtocoreConverter) -> None:
    for c in sample_campaigns():
        data = json.loads(json.dumps(conv.unstructure(c)))
        assert conv.structure(data, Campaign) == c
    data = conv.unstructure(sample_campaigns()[0])
    data["audience"] = {"all": [{"birthday_in_month": {"month": 13}}]}
    with pytest.raises(
        ValidationError, match=r"^Campaign\.audience\.all\[0\]\.birthday_in_month\.month must "
    ) as info:
        conv.structure(data, Campaign)
    assert fields_of(info) == ["Campaign.audience.all[0].birthday_in_month.month"]
    with pytest.raises(ValidationError, match="Campaign must be a JSON object"):
        conv.structure(["x"], Campaign)


# errors, message by message


def says(message: str) -> str:
    """A ``match=`` pattern for exactly ``message``."""
    return "^" + re.escape(message) + "$"


def test_message_for_and_render_name_the_bad_argument() -> None:
    c = campaign(channels=[WA, SMS])
    with pytest.raises(
        ValidationError,
        match=says(
            "channel must be a ContactChannel ('whatsapp', 'sms', 'email', 'phone_call', "
            "'push'), got 'sms'"
        ),
    ):
        c.message_for("sms")  # type: ignore[arg-type]
    with pytest.raises(
        ValidationError,
        match=says(
            "channel must be one of the campaign's channels ('whatsapp', 'sms'), "
            "got <ContactChannel.EMAIL: 'email'>"
        ),
    ):
        c.message_for(EMAIL)
    names = {"customer_first_name": "Ana", "seller_name": "Bruno", "store_name": "Centro"}
    for name in names:
        with pytest.raises(ValidationError, match=says(f"{name} must be a string, got None")):
            render(c, channel=WA, **{**names, name: None})
        with pytest.raises(ValidationError, match=says(f"{name} must not be empty, got ' '")):
            render(c, channel=WA, **{**names, name: " "})


def test_the_channel_rules_report_the_value() -> None:
    with pytest.raises(ValidationError) as info:
        campaign(channels=[])
    assert str(info.value) == "Campaign.channels must name at least one channel, got ()"
    assert info.value.value == ()
    with pytest.raises(ValidationError) as info:
        campaign(channels=WA)
    assert str(info.value) == (
        "Campaign.channels must be a list of ContactChannel, got <ContactChannel.WHATSAPP: "
        "'whatsapp'>"
    )
    assert info.value.value is WA
    with pytest.raises(ValidationError) as info:
        campaign(channels=[WA, "fax"])
    assert str(info.value) == (
        "Campaign.channels[1] must be a ContactChannel ('whatsapp', 'sms', 'email', "
        "'phone_call', 'push'), got 'fax'"
    )
    with pytest.raises(ValidationError) as info:
        campaign(channel_messages="Oi")
    assert str(info.value) == (
        "Campaign.channel_messages must map channels of the campaign to templates, got 'Oi'"
    )
    with pytest.raises(ValidationError) as info:
        campaign(channel_messages=[(WA, "Oi", "x")])
    assert str(info.value) == (
        "Campaign.channel_messages must map channels of the campaign to templates, "
        "got ((<ContactChannel.WHATSAPP: 'whatsapp'>, 'Oi', 'x'),)"
    )


def assert_at_the_callers_line(caught: pytest.WarningsRecorder) -> None:
    """The warnings point at this file's line, never into otocore.campaigns."""
    assert len(caught) == 1
    assert not caught[0].filename.endswith(os.path.join("otocore", "campaigns.py"))
    if "MUTANT_UNDER_TEST" not in os.environ:  # mutmut's trampolines add frames to each call
        assert caught[0].filename == __file__


def test_the_deprecated_aliases_warn_at_the_callers_line_and_pass_the_grid() -> None:
    from otocore import campaigns as module

    data = json.loads(dump_campaigns(sample_campaigns()))
    data[2]["audience"] = {"segment_in": ["vips"]}
    with pytest.warns(
        DeprecationWarning,
        match=says(
            "otocore.campaigns.load_campaigns is deprecated; "
            "use otocore.serialization.load_campaigns"
        ),
    ) as caught:
        assert module.load_campaigns(data)[2].audience == SegmentIn(["vips"])
    assert_at_the_callers_line(caught)
    assert all(w.category is DeprecationWarning for w in caught)
    with (
        pytest.warns(DeprecationWarning, match=r"load_campaigns is deprecated"),
        pytest.raises(ValidationError, match=r"^campaigns\[2\]\.audience\.segment_in\[0\] "),
    ):
        module.load_campaigns(data, grid=default_grid())
    with pytest.warns(
        DeprecationWarning,
        match=says(
            "otocore.campaigns.dump_campaigns is deprecated; "
            "use otocore.serialization.dump_campaigns"
        ),
    ) as caught:
        text = module.dump_campaigns(sample_campaigns())
    assert_at_the_callers_line(caught)
    assert text == dump_campaigns(sample_campaigns())


def test_the_shipped_file_reads_to_the_sample_campaigns() -> None:
    text = resources.files("otocore").joinpath("data/campaigns_sample.json").read_text("utf-8")
    assert load_campaigns(text) == sample_campaigns()


def test_every_fault_of_the_channel_messages_is_reported() -> None:
    with pytest.raises(ValidationError) as info:
        campaign(
            channels=[WA, SMS],
            channel_messages=[
                (WA, "Oi", "x"),
                ("fax", "Oi"),
                (SMS, "a"),
                (SMS, "b"),
                (EMAIL, "{x}"),
            ],
        )
    assert [str(e) for e in info.value.errors] == [
        "Campaign.channel_messages must map channels of the campaign to templates, "
        "got ((<ContactChannel.WHATSAPP: 'whatsapp'>, 'Oi', 'x'), ('fax', 'Oi'), "
        "(<ContactChannel.SMS: 'sms'>, 'a'), (<ContactChannel.SMS: 'sms'>, 'b'), "
        "(<ContactChannel.EMAIL: 'email'>, '{x}'))",
        "Campaign.channel_messages['fax'] must be a ContactChannel ('whatsapp', 'sms', "
        "'email', 'phone_call', 'push'), got 'fax'",
        "Campaign.channel_messages['sms'] must appear once, got 'b'",
        "Campaign.channel_messages['email'] must be one of the campaign's channels "
        "('whatsapp', 'sms'), got '{x}'",
        "Campaign.channel_messages['email'] has an unknown placeholder {x}; use "
        "{primeiro_nome}, {vendedor} or {loja}, got '{x}'",
    ]


def test_template_faults_word_for_word() -> None:
    use = "use {primeiro_nome}, {vendedor} or {loja}"
    cases = {
        "{{promo}} {nome}": [
            f"m has an unknown placeholder {{nome}}; {use}, got '{{{{promo}}}} {{nome}}'"
        ],
        "{a} {a} {b}": [
            f"m has an unknown placeholder {{a}}; {use}, got '{{a}} {{a}} {{b}}'",
            f"m has an unknown placeholder {{b}}; {use}, got '{{a}} {{a}} {{b}}'",
        ],
        "Oi {": [
            "m has malformed braces (Single '{' encountered in format string); "
            "write {{ and }} for literal braces, got 'Oi {'"
        ],
        "{loja!r:>3}": [
            "m has a conversion or format in {loja!r:>3}; write just {loja}, got '{loja!r:>3}'"
        ],
        "{} {}": [f"m has an empty placeholder {{}}; {use}, got '{{}} {{}}'"],
    }
    for template, messages in cases.items():
        assert [str(e) for e in template_faults("m", template)] == messages
    assert [str(e) for e in template_faults("m", None)] == ["m must be a string, got None"]


def test_the_lengths_and_bounds_of_a_campaign() -> None:
    longest = campaign(
        campaign_id="c" * 100,
        name="n" * 200,
        priority=1,
        message="m" * 1000,
        quarantine_days=0,
        channels=[WA, SMS],
        channel_messages={SMS: "s" * 1000},
    )
    assert (len(longest.campaign_id), len(longest.name), len(longest.message)) == (100, 200, 1000)
    assert (longest.priority, longest.quarantine_days) == (1, 0)
    assert campaign(priority=1_000_000, quarantine_days=3660).quarantine_days == 3660
    for changes, message in [
        ({"campaign_id": "c" * 101}, "Campaign.campaign_id must be at most 100 characters"),
        ({"name": "n" * 201}, "Campaign.name must be at most 200 characters"),
        ({"active": None}, "Campaign.active must be True or False, got None"),
        (
            {"audience": None},
            "Campaign.audience must be a filter (a node of otocore.filters), got None",
        ),
        (
            {"last_day": date(2026, 4, 30)},
            "Campaign.last_day must not be before first_day (2026-05-01), got datetime.date(2026, 4, 30)",
        ),
    ]:
        with pytest.raises(ValidationError, match="^" + re.escape(message)):
            campaign(**changes)


def test_channel_messages_are_not_checked_against_channels_that_are_not_a_list() -> None:
    with pytest.raises(ValidationError) as info:
        campaign(channels="sms", channel_messages={SMS: "Oi"})
    assert [str(e) for e in info.value.errors] == [
        "Campaign.channels must be a list of ContactChannel, got 'sms'"
    ]
    data = json.loads(dump_campaigns(sample_campaigns()))[0]
    del data["channels"]
    with pytest.raises(ValidationError) as info:
        load_campaigns([data])
    assert fields_of(info) == ["campaigns[0].channels"]
