"""The values of the daily suggestions, error by error: each names its field path and rule.

``SellerWorkload``, ``SuggestionPolicy``, ``Suggestion``, ``Explanation`` and
``suggestion_id_for`` refuse bad input with a :class:`~otocore.errors.ValidationError`
whose message is ``"<field path> <rule>, got <value>"``; these tests pin the message, so
a rule that names the wrong field, or says the wrong thing, fails here.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import attrs
import pytest

from otocore.consent import ContactChannel as Ch
from otocore.contacts import SuggestionStatus
from otocore.distribution import SuggestionLimiter
from otocore.errors import ValidationError
from otocore.quarantine import QuarantinePolicy, QuarantineRule
from otocore.suggestions import (
    DEFAULT_FOLLOW_UP_MESSAGE,
    Explanation,
    SellerWorkload,
    Suggestion,
    SuggestionKind,
    SuggestionOutcome,
    SuggestionPolicy,
    SuggestionReason,
    suggestion_id_for,
)

DAY = date(2026, 5, 11)


def says(message: str) -> str:
    """A ``match=`` pattern for exactly ``message``."""
    return "^" + re.escape(message) + "$"


# SellerWorkload ----------------------------------------------------------------------------


FIGURES = {"hours_worked": "7.5", "idle_share": "0.25", "avg_conversation_minutes": "4.5"}


@pytest.mark.parametrize(("name", "example"), FIGURES.items())
def test_a_float_figure_is_refused_with_the_fields_own_example(name: str, example: str) -> None:
    with pytest.raises(ValidationError) as err:
        SellerWorkload(**{name: 0.5})
    assert str(err.value) == (
        f"SellerWorkload.{name} must be an int or a decimal.Decimal such as "
        f"Decimal('{example}'); floats are refused, got 0.5"
    )
    assert (err.value.field, err.value.value) == (f"SellerWorkload.{name}", 0.5)


@pytest.mark.parametrize(("name", "example"), FIGURES.items())
@pytest.mark.parametrize("junk", ["5", True, False, [1]])
def test_a_figure_that_is_not_a_number_is_refused(name: str, example: str, junk: Any) -> None:
    with pytest.raises(
        ValidationError,
        match=says(
            f"SellerWorkload.{name} must be an int or a decimal.Decimal such as "
            f"Decimal('{example}'), got {junk!r}"
        ),
    ):
        SellerWorkload(**{name: junk})


@pytest.mark.parametrize(("name", "example"), FIGURES.items())
@pytest.mark.parametrize("junk", [Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")])
def test_a_figure_that_is_not_finite_is_refused(name: str, example: str, junk: Decimal) -> None:
    with pytest.raises(ValidationError) as err:
        SellerWorkload(**{name: junk})
    assert err.value.field == f"SellerWorkload.{name}"
    assert err.value.rule == (
        f"must be an int or a decimal.Decimal such as Decimal('{example}') (finite)"
    )
    assert err.value.value is junk


@pytest.mark.parametrize("name", FIGURES)
def test_figures_are_kept_as_decimals_and_none_stays_none(name: str) -> None:
    kept = getattr(SellerWorkload(**{name: 1}), name)
    assert kept == Decimal(1)
    assert type(kept) is Decimal
    assert getattr(SellerWorkload(**{name: Decimal("0.5")}), name) == Decimal("0.5")
    assert getattr(SellerWorkload(), name) is None
    assert getattr(SellerWorkload(**{name: None}), name) is None


def test_the_bounds_of_each_figure() -> None:
    # hours_worked: at least 0
    assert SellerWorkload(hours_worked=0).hours_worked == 0
    with pytest.raises(
        ValidationError, match=says("SellerWorkload.hours_worked must be >= 0, got Decimal('-1')")
    ):
        SellerWorkload(hours_worked=-1)
    with pytest.raises(ValidationError, match=r"^SellerWorkload\.hours_worked must be >= 0"):
        SellerWorkload(hours_worked=Decimal("-0.01"))
    # idle_share in [0, 1], both ends included
    assert SellerWorkload(idle_share=0).idle_share == 0
    assert SellerWorkload(idle_share=1).idle_share == 1
    for bad in (Decimal("1.01"), Decimal("-0.01"), 2, -1):
        with pytest.raises(ValidationError) as err:
            SellerWorkload(idle_share=bad)
        assert str(err.value) == (
            f"SellerWorkload.idle_share must be between 0 and 1, got {Decimal(bad)!r}"
        )
    # avg_conversation_minutes > 0
    assert SellerWorkload(avg_conversation_minutes=Decimal("0.01")).avg_conversation_minutes
    for bad in (0, -1):
        with pytest.raises(
            ValidationError,
            match=says(
                f"SellerWorkload.avg_conversation_minutes must be > 0, got {Decimal(bad)!r}"
            ),
        ):
            SellerWorkload(avg_conversation_minutes=bad)


def test_the_checks_of_one_figure_do_not_touch_the_others() -> None:
    # each check reads its own figure (a large hours_worked is no idle share)
    w = SellerWorkload(hours_worked=100, idle_share=Decimal("0.5"), avg_conversation_minutes=2)
    assert (w.hours_worked, w.idle_share, w.avg_conversation_minutes) == (100, Decimal("0.5"), 2)
    assert (
        SellerWorkload(hours_worked=5, avg_conversation_minutes=Decimal("0.5")).is_complete is False
    )
    assert SellerWorkload(idle_share=Decimal("0.5"), hours_worked=0).hours_worked == 0


def test_is_complete_needs_all_three_figures() -> None:
    assert SellerWorkload(hours_worked=1, idle_share=0, avg_conversation_minutes=1).is_complete
    assert not SellerWorkload().is_complete
    assert not SellerWorkload(idle_share=0, avg_conversation_minutes=1).is_complete
    assert not SellerWorkload(hours_worked=1, avg_conversation_minutes=1).is_complete
    assert not SellerWorkload(hours_worked=1, idle_share=0).is_complete


def test_with_defaults_fills_only_the_missing_figures() -> None:
    brand = SellerWorkload(hours_worked=8, idle_share=Decimal("0.25"), avg_conversation_minutes=6)
    mine = SellerWorkload(idle_share=Decimal("0.5"), avg_conversation_minutes=3)
    assert mine.with_defaults(brand) == SellerWorkload(
        hours_worked=8, idle_share=Decimal("0.5"), avg_conversation_minutes=3
    )
    assert SellerWorkload(hours_worked=0).with_defaults(brand) == SellerWorkload(
        hours_worked=0, idle_share=Decimal("0.25"), avg_conversation_minutes=6
    )
    assert SellerWorkload().with_defaults(brand) == brand
    assert brand.with_defaults(SellerWorkload()) == brand
    assert SellerWorkload(hours_worked=1).with_defaults(SellerWorkload()) == SellerWorkload(
        hours_worked=1
    )
    with pytest.raises(
        ValidationError, match=says("default must be a SellerWorkload, got {'hours_worked': 8}")
    ):
        mine.with_defaults({"hours_worked": 8})  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=says("default must be a SellerWorkload, got None")):
        mine.with_defaults(None)  # type: ignore[arg-type]


def test_daily_limit_needs_a_limiter_and_every_figure() -> None:
    full = SellerWorkload(hours_worked=8, idle_share=Decimal("0.25"), avg_conversation_minutes=6)
    assert full.daily_limit(SuggestionLimiter(5, 40)) == 20
    assert full.daily_limit(SuggestionLimiter(0, 10)) == 10
    with pytest.raises(
        ValidationError, match=says("limiter must be a SuggestionLimiter, got (5, 40)")
    ):
        full.daily_limit((5, 40))  # type: ignore[arg-type]
    for name in FIGURES:
        with pytest.raises(ValidationError) as err:
            attrs.evolve(full, **{name: None}).daily_limit(SuggestionLimiter(5, 40))
        assert str(err.value) == (
            f"SellerWorkload.{name} is required to compute a daily limit "
            "(fill it with with_defaults), got None"
        )
        assert err.value.value is None


# SuggestionPolicy --------------------------------------------------------------------------


def test_the_policys_defaults() -> None:
    policy = SuggestionPolicy()
    assert policy.limiter == SuggestionLimiter(5, 40)
    assert policy.default_workload == SellerWorkload(
        hours_worked=8, idle_share=Decimal("0.25"), avg_conversation_minutes=6
    )
    assert policy.quarantine == QuarantinePolicy()
    assert policy.follow_up_message == DEFAULT_FOLLOW_UP_MESSAGE
    assert policy.time_zone == "America/Sao_Paulo"
    assert DEFAULT_FOLLOW_UP_MESSAGE == (
        "Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}. "
        "Como combinamos, estou passando para retomar a nossa conversa."
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"limiter": (5, 40)},
            "SuggestionPolicy.limiter must be a SuggestionLimiter, got (5, 40)",
        ),
        (
            {"default_workload": None},
            "SuggestionPolicy.default_workload must be a SellerWorkload, got None",
        ),
        (
            {"default_workload": 5},
            "SuggestionPolicy.default_workload must be a SellerWorkload, got 5",
        ),
        (
            {"default_workload": SellerWorkload(hours_worked=8, idle_share=0)},
            "SuggestionPolicy.default_workload must give all three figures (the brand's "
            "defaults), got SellerWorkload(hours_worked=Decimal('8'), idle_share=Decimal('0'), "
            "avg_conversation_minutes=None)",
        ),
        (
            {"quarantine": 7},
            "SuggestionPolicy.quarantine must be a QuarantinePolicy, got 7",
        ),
        (
            {"quarantine": QuarantinePolicy(time_zone="America/Manaus")},
            "SuggestionPolicy.quarantine must use the policy's time zone ('America/Sao_Paulo'), "
            "got 'America/Manaus'",
        ),
        (
            {"follow_up_message": "Oi, {cliente}"},
            "SuggestionPolicy.follow_up_message has an unknown placeholder {cliente}; use "
            "{primeiro_nome}, {vendedor} or {loja}, got 'Oi, {cliente}'",
        ),
        (
            {"follow_up_message": " "},
            "SuggestionPolicy.follow_up_message must not be empty, got ' '",
        ),
        (
            {"time_zone": "Mars/Olympus"},
            "SuggestionPolicy.time_zone must be an IANA time zone name such as "
            "'America/Sao_Paulo', got 'Mars/Olympus'",
        ),
    ],
)
def test_a_bad_policy_names_its_field(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=says(message)):
        SuggestionPolicy(**changes)


def test_a_follow_up_message_with_two_faults_reports_both() -> None:
    with pytest.raises(ValidationError) as err:
        SuggestionPolicy(follow_up_message="Oi, {cliente}! {loja!r}")
    assert [e.field for e in err.value.errors] == [
        "SuggestionPolicy.follow_up_message",
        "SuggestionPolicy.follow_up_message",
    ]
    assert [e.rule.split(";")[0] for e in err.value.errors] == [
        "has an unknown placeholder {cliente}",
        "has a conversion or format in {loja!r}",
    ]


def test_a_policy_in_another_zone_needs_its_quarantine_there_too() -> None:
    manaus = QuarantinePolicy(time_zone="America/Manaus")
    policy = SuggestionPolicy(time_zone="America/Manaus", quarantine=manaus)
    assert (policy.time_zone, policy.quarantine) == ("America/Manaus", manaus)
    assert SuggestionPolicy(follow_up_message="Oi, {primeiro_nome}!\nAté já.").follow_up_message


# suggestion_id_for -------------------------------------------------------------------------


def test_suggestion_id_for() -> None:
    assert suggestion_id_for(date(2026, 1, 2), "C-1") == "2026-01-02:C-1"
    assert suggestion_id_for(DAY, "x" * 100) == f"2026-05-11:{'x' * 100}"
    with pytest.raises(
        ValidationError,
        match=says(
            "day must be a datetime.date (a local calendar day), "
            "got datetime.datetime(2026, 5, 11, 0, 0)"
        ),
    ):
        suggestion_id_for(datetime(2026, 5, 11), "C1")
    with pytest.raises(ValidationError, match=r"^customer_id must be at most 100 characters, got"):
        suggestion_id_for(DAY, "x" * 101)
    with pytest.raises(ValidationError, match=says("customer_id must not be empty, got ''")):
        suggestion_id_for(DAY, "")


# Suggestion --------------------------------------------------------------------------------


def campaign_suggestion(**changes: Any) -> Suggestion:
    fields: dict[str, Any] = {
        "suggestion_id": "2026-05-11:C1",
        "day": DAY,
        "seller_code": "V01",
        "customer_id": "C1",
        "kind": SuggestionKind.CAMPAIGN,
        "campaign_id": "ANIVERSARIO",
        "channel": Ch.WHATSAPP,
        "message": "Feliz aniversário, Ana!",
        "reason": SuggestionReason.CAMPAIGN,
        "detail": "campaign ANIVERSARIO",
        "rank": 1,
    }
    fields.update(changes)
    return Suggestion(**fields)


def follow_up_suggestion(**changes: Any) -> Suggestion:
    fields: dict[str, Any] = {
        "kind": SuggestionKind.FOLLOW_UP,
        "campaign_id": None,
        "reason": SuggestionReason.FOLLOW_UP,
        "contact_id": "A1",
    }
    fields.update(changes)
    return campaign_suggestion(**fields)


def test_a_suggestions_text_fields_have_their_limits() -> None:
    long_id = "x" * 100
    kept = campaign_suggestion(
        suggestion_id=f"2026-05-11:{long_id}",
        customer_id=long_id,
        seller_code="v" * 100,
        campaign_id="c" * 100,
        message="m" * 20_000,
        detail="d" * 20_000,
        rank=10**6,
    )
    assert (len(kept.seller_code), len(kept.message), kept.rank) == (100, 20_000, 10**6)
    assert follow_up_suggestion(contact_id="a" * 100).contact_id == "a" * 100
    assert follow_up_suggestion(reason=SuggestionReason.FOLLOW_UP_REASSIGNED).reason is (
        SuggestionReason.FOLLOW_UP_REASSIGNED
    )
    assert campaign_suggestion(message="Oi!\n\tTudo bem?").message == "Oi!\n\tTudo bem?"
    assert campaign_suggestion(detail="linha 1\nlinha 2").detail == "linha 1\nlinha 2"


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        (
            {"suggestion_id": "x" * 121},
            "Suggestion.suggestion_id",
            "must be at most 120 characters",
        ),
        ({"suggestion_id": ""}, "Suggestion.suggestion_id", "must not be empty"),
        ({"day": datetime(2026, 5, 11)}, "Suggestion.day", "must be a datetime.date"),
        ({"seller_code": "v" * 101}, "Suggestion.seller_code", "must be at most 100 characters"),
        ({"seller_code": "V\n1"}, "Suggestion.seller_code", "must not contain control"),
        ({"customer_id": "c" * 101}, "Suggestion.customer_id", "must be at most 100 characters"),
        ({"kind": "campaign"}, "Suggestion.kind", "must be a SuggestionKind"),
        ({"campaign_id": "c" * 101}, "Suggestion.campaign_id", "must be at most 100 characters"),
        ({"channel": "sms"}, "Suggestion.channel", "must be a ContactChannel"),
        ({"message": "m" * 20_001}, "Suggestion.message", "must be at most 20000 characters"),
        ({"message": "Oi\x00"}, "Suggestion.message", "must not contain control characters"),
        ({"reason": "campaign"}, "Suggestion.reason", "must be a SuggestionReason"),
        ({"detail": "d" * 20_001}, "Suggestion.detail", "must be at most 20000 characters"),
        ({"detail": ""}, "Suggestion.detail", "must not be empty"),
        ({"rank": 0}, "Suggestion.rank", "must be >= 1"),
        ({"rank": True}, "Suggestion.rank", "must be an integer"),
        ({"contact_id": "a" * 101}, "Suggestion.contact_id", "must be at most 100 characters"),
        ({"status": "pending"}, "Suggestion.status", "must be a SuggestionStatus"),
    ],
)
def test_a_bad_suggestion_field_is_named(changes: dict[str, Any], field: str, rule: str) -> None:
    with pytest.raises(ValidationError) as err:
        campaign_suggestion(**changes)
    assert err.value.field == field
    assert err.value.rule.startswith(rule)


def test_the_statuses_of_a_suggestion() -> None:
    assert campaign_suggestion().status is SuggestionStatus.PENDING
    for status in SuggestionStatus:
        assert campaign_suggestion(status=status).status is status


def test_a_suggestion_is_consistent_with_its_day_customer_kind_and_reason() -> None:
    with pytest.raises(
        ValidationError,
        match=says("Suggestion.suggestion_id must be '2026-05-11:C1', got '2026-05-12:C1'"),
    ):
        campaign_suggestion(suggestion_id="2026-05-12:C1")
    with pytest.raises(
        ValidationError,
        match=says("Suggestion.suggestion_id must be '2026-05-11:C2', got '2026-05-11:C1'"),
    ):
        campaign_suggestion(customer_id="C2")
    with pytest.raises(
        ValidationError,
        match=says(
            "Suggestion.reason must be a reason of kind CAMPAIGN, "
            "got <SuggestionReason.FOLLOW_UP_REASSIGNED: 'follow_up_reassigned'>"
        ),
    ):
        campaign_suggestion(reason=SuggestionReason.FOLLOW_UP_REASSIGNED)
    with pytest.raises(
        ValidationError,
        match=says(
            "Suggestion.reason must be a reason of kind FOLLOW_UP, "
            "got <SuggestionReason.CAMPAIGN: 'campaign'>"
        ),
    ):
        follow_up_suggestion(reason=SuggestionReason.CAMPAIGN)
    with pytest.raises(
        ValidationError,
        match=says(
            "Suggestion.campaign_id must name the campaign of a CAMPAIGN suggestion, got None"
        ),
    ):
        campaign_suggestion(campaign_id=None)
    with pytest.raises(
        ValidationError,
        match=says("Suggestion.contact_id must be None for a CAMPAIGN suggestion, got 'A1'"),
    ):
        campaign_suggestion(contact_id="A1")
    with pytest.raises(
        ValidationError,
        match=says("Suggestion.campaign_id must be None for a FOLLOW_UP, got 'ANIVERSARIO'"),
    ):
        follow_up_suggestion(campaign_id="ANIVERSARIO")
    with pytest.raises(
        ValidationError,
        match=says(
            "Suggestion.contact_id must name the contact that scheduled the FOLLOW_UP, got None"
        ),
    ):
        follow_up_suggestion(contact_id=None)
    # the good ones
    assert campaign_suggestion().contact_id is None
    assert follow_up_suggestion().campaign_id is None


def test_reason_kinds() -> None:
    assert SuggestionReason.CAMPAIGN.kind is SuggestionKind.CAMPAIGN
    assert SuggestionReason.FOLLOW_UP.kind is SuggestionKind.FOLLOW_UP
    assert SuggestionReason.FOLLOW_UP_REASSIGNED.kind is SuggestionKind.FOLLOW_UP


# Explanation -------------------------------------------------------------------------------


def test_an_explanations_defaults_and_suggested() -> None:
    e = Explanation(customer_id="C1", day=DAY, outcome=SuggestionOutcome.BLOCKED, detail="x")
    assert (e.seller_code, e.campaign_id, e.channel, e.free_on, e.quarantine_rule) == (
        None,
        None,
        None,
        None,
        None,
    )
    assert e.suggestion is None
    assert not e.suggested
    for outcome in SuggestionOutcome:
        made = attrs.evolve(e, outcome=outcome)
        assert made.suggested is (outcome is SuggestionOutcome.SUGGESTED)
    full = Explanation(
        customer_id="c" * 100,
        day=DAY,
        outcome=SuggestionOutcome.SUGGESTED,
        detail="d\n" * 10_000,
        seller_code="v" * 100,
        campaign_id="a" * 100,
        channel=Ch.SMS,
        free_on=DAY,
        quarantine_rule=QuarantineRule.CAMPAIGN,
        suggestion=campaign_suggestion(),
    )
    assert full.suggestion == campaign_suggestion()


@pytest.mark.parametrize(
    ("changes", "field", "rule"),
    [
        ({"customer_id": "c" * 101}, "Explanation.customer_id", "must be at most 100 characters"),
        ({"day": "2026-05-11"}, "Explanation.day", "must be a datetime.date"),
        ({"outcome": "blocked"}, "Explanation.outcome", "must be a SuggestionOutcome"),
        ({"detail": "d" * 20_001}, "Explanation.detail", "must be at most 20000 characters"),
        ({"seller_code": "v" * 101}, "Explanation.seller_code", "must be at most 100 characters"),
        ({"campaign_id": "a" * 101}, "Explanation.campaign_id", "must be at most 100 characters"),
        ({"channel": "sms"}, "Explanation.channel", "must be a ContactChannel"),
        ({"free_on": datetime(2026, 5, 17)}, "Explanation.free_on", "must be a datetime.date"),
        (
            {"quarantine_rule": "campaign"},
            "Explanation.quarantine_rule",
            "must be a QuarantineRule",
        ),
        ({"suggestion": "S1"}, "Explanation.suggestion", "must be a Suggestion or None"),
    ],
)
def test_a_bad_explanation_field_is_named(changes: dict[str, Any], field: str, rule: str) -> None:
    fields: dict[str, Any] = {
        "customer_id": "C1",
        "day": DAY,
        "outcome": SuggestionOutcome.BLOCKED,
        "detail": "x",
    }
    with pytest.raises(ValidationError) as err:
        Explanation(**{**fields, **changes})
    assert err.value.field == field
    assert err.value.rule.startswith(rule)
    if field == "Explanation.suggestion":
        assert str(err.value) == "Explanation.suggestion must be a Suggestion or None, got 'S1'"
