"""Registro do atendimento: the contact record and the moves of a suggestion.

The seed (``oto-faq.txt``): "Se você não registra e formaliza o atendimento
dentro do Oto, as informações sobre o seu atendimento, produtos oferecidos,
agendamentos e opt-in não ficam salvos para uma compra futura."
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import attrs
import pytest

from _support.builders import SP
from otocore.consent import ContactChannel
from otocore.contacts import (
    ConsentChange,
    Contact,
    ContactOutcome,
    FollowUp,
    SuggestionEvent,
    SuggestionStatus,
    advance,
    settle,
)
from otocore.errors import RuleViolation, ValidationError
from otocore.serialization import OtocoreConverter, make_converter
from otocore.serialization import _contacts as _hooks_contacts


@pytest.fixture
def conv() -> OtocoreConverter:
    converter = make_converter()
    _hooks_contacts.configure(converter)
    return converter


def contact(**changes: Any) -> Contact:
    fields: dict[str, Any] = {
        "contact_id": "A1",
        "seller_code": "V01",
        "customer_id": "C1",
        "channel": ContactChannel.WHATSAPP,
        "started_at": datetime(2026, 5, 10, 14, 0, tzinfo=SP),
        "finished_at": datetime(2026, 5, 10, 14, 20, tzinfo=SP),
        "in_portfolio": True,
    }
    fields.update(changes)
    return Contact(**fields)


# the record -------------------------------------------------------------------------


def test_a_registered_contact_keeps_products_follow_up_and_opt_in() -> None:
    # "as informações sobre o seu atendimento, produtos oferecidos, agendamentos e opt-in"
    c = contact(
        suggestion_id="S1",
        campaign_id="ANIVERSARIO",
        products_offered=["SKU-123", "SKU-456"],
        follow_up=FollowUp(day=date(2026, 5, 17), note="Mostrar a coleção nova"),
        consent_change=ConsentChange(channel=ContactChannel.WHATSAPP, granted=True),
        notes="Prefere ser chamada à tarde.\nTamanho 38.",
    )
    assert c.products_offered == ("SKU-123", "SKU-456")
    assert c.follow_up == FollowUp(day=date(2026, 5, 17), note="Mostrar a coleção nova")
    assert c.consent_change == ConsentChange(channel=ContactChannel.WHATSAPP, granted=True)
    assert c.outcome is ContactOutcome.FINISHED
    assert c.local_day == date(2026, 5, 10)


def test_instants_are_kept_in_utc() -> None:
    c = contact()
    assert c.started_at == datetime(2026, 5, 10, 17, 0, tzinfo=UTC)
    assert c.started_at.tzinfo is UTC


def test_opt_out_during_the_contact_is_recorded() -> None:
    # "caso o cliente responda não, realize o Opt-out no Oto"
    c = contact(consent_change=ConsentChange(channel=ContactChannel.WHATSAPP, granted=False))
    assert c.consent_change == ConsentChange(channel=ContactChannel.WHATSAPP, granted=False)


def test_a_walk_in_outside_the_portfolio_is_allowed_and_recorded_as_such() -> None:
    c = contact(in_portfolio=False)
    assert c.in_portfolio is False
    assert c != contact(in_portfolio=True)


def test_in_portfolio_must_be_said() -> None:
    fields = attrs.asdict(contact(), recurse=False)
    del fields["in_portfolio"]
    # a programming error: a required argument is missing
    with pytest.raises(
        TypeError, match=r"missing 1 required keyword-only argument: 'in_portfolio'"
    ):
        Contact(**fields)
    with pytest.raises(ValidationError, match=r"Contact\.in_portfolio must be True or False"):
        contact(in_portfolio="yes")


def test_finished_before_started_is_refused() -> None:
    with pytest.raises(ValidationError, match=r"Contact\.finished_at must not be before"):
        contact(finished_at=datetime(2026, 5, 10, 13, 59, tzinfo=SP))
    same = datetime(2026, 5, 10, 14, 0, tzinfo=SP)
    assert contact(started_at=same, finished_at=same).finished_at == same


def test_naive_instants_are_refused() -> None:
    with pytest.raises(ValidationError, match=r"Contact\.started_at must be timezone-aware"):
        contact(started_at=datetime(2026, 5, 10, 14, 0))  # naive


@pytest.mark.parametrize(
    ("skus", "field", "rule"),
    [
        ("SKU-1", "Contact.products_offered", "must be a list of SKUs"),
        (["SKU-1", "SKU-1"], r"Contact.products_offered\[1\]", "must name each SKU once"),
        (["SKU-1", ""], r"Contact.products_offered\[1\]", "must not be empty"),
        ([1], r"Contact.products_offered\[0\]", "must be a string"),
    ],
)
def test_products_offered_are_distinct_skus(skus: Any, field: str, rule: str) -> None:
    with pytest.raises(ValidationError, match=f"{field} {rule}"):
        contact(products_offered=skus)


def test_dismissed_needs_a_reason_and_the_suggestion() -> None:
    dismissed = contact(
        suggestion_id="S1", outcome=ContactOutcome.DISMISSED, dismiss_reason="Não respondeu"
    )
    assert dismissed.dismiss_reason == "Não respondeu"
    with pytest.raises(ValidationError, match=r"Contact\.dismiss_reason must say why"):
        contact(suggestion_id="S1", outcome=ContactOutcome.DISMISSED)
    with pytest.raises(ValidationError, match=r"Contact\.suggestion_id must name the suggestion"):
        contact(outcome=ContactOutcome.DISMISSED, dismiss_reason="Não respondeu")
    with pytest.raises(ValidationError, match=r"Contact\.dismiss_reason must be None unless"):
        contact(dismiss_reason="Não respondeu")


def test_notes_allow_line_breaks_but_not_other_control_characters() -> None:
    assert contact(notes="linha 1\r\nlinha 2\tfim").notes == "linha 1\r\nlinha 2\tfim"
    with pytest.raises(ValidationError, match=r"Contact\.notes must not contain control"):
        contact(notes="bip\x07")
    with pytest.raises(ValidationError, match=r"Contact\.notes must be at most 2000"):
        contact(notes="x" * 2001)
    with pytest.raises(ValidationError, match=r"FollowUp\.note must not be empty"):
        FollowUp(day=date(2026, 5, 11), note="\n")


def test_ids_and_channel_are_checked() -> None:
    with pytest.raises(ValidationError, match=r"Contact\.seller_code must not be empty"):
        contact(seller_code=" ")
    with pytest.raises(ValidationError, match=r"Contact\.channel must be a ContactChannel"):
        contact(channel="whatsapp")
    with pytest.raises(ValidationError, match=r"Contact\.follow_up must be a FollowUp or None"):
        contact(follow_up=date(2026, 5, 17))
    with pytest.raises(ValidationError, match=r"Contact\.time_zone must be an IANA time zone"):
        contact(time_zone="Brasil/Brasilia")


# the follow-up day ------------------------------------------------------------------


def test_the_follow_up_must_be_after_the_local_day_of_the_contact() -> None:
    with pytest.raises(ValidationError, match=r"Contact\.follow_up\.day must be after"):
        contact(follow_up=FollowUp(day=date(2026, 5, 10), note="Hoje mesmo"))
    with pytest.raises(ValidationError, match=r"Contact\.follow_up\.day must be after"):
        contact(follow_up=FollowUp(day=date(2026, 5, 9), note="Ontem"))
    assert contact(follow_up=FollowUp(day=date(2026, 5, 11), note="Amanhã")).follow_up is not None


def test_follow_up_at_2359_local_is_for_tomorrow_though_utc_is_already_tomorrow() -> None:
    late = datetime(2026, 5, 10, 23, 59, tzinfo=SP)  # 02:59 UTC on the 11th
    c = contact(
        started_at=late, finished_at=late, follow_up=FollowUp(day=date(2026, 5, 11), note="Ligar")
    )
    assert c.finished_local_day == date(2026, 5, 10)
    # the same instant for a brand in UTC is already the 11th
    with pytest.raises(ValidationError, match=r"2026-05-11 in UTC"):
        attrs.evolve(c, time_zone="UTC")


def test_a_contact_over_midnight_counts_its_follow_up_from_the_finish() -> None:
    c = contact(
        started_at=datetime(2026, 5, 10, 23, 50, tzinfo=SP),
        finished_at=datetime(2026, 5, 11, 0, 10, tzinfo=SP),
    )
    assert (c.local_day, c.finished_local_day) == (date(2026, 5, 10), date(2026, 5, 11))
    with pytest.raises(ValidationError, match=r"follow_up\.day must be after"):
        attrs.evolve(c, follow_up=FollowUp(day=date(2026, 5, 11), note="x"))
    assert attrs.evolve(c, follow_up=FollowUp(day=date(2026, 5, 12), note="x")).follow_up


def test_local_day_on_the_dst_start_of_2018() -> None:
    # 2018-11-04 in São Paulo began at 01:00 (-02:00): 00:00-00:59 did not exist
    before = datetime(2018, 11, 4, 2, 59, tzinfo=UTC)  # 23:59 -03:00 on the 3rd
    after = datetime(2018, 11, 4, 3, 0, tzinfo=UTC)  # 01:00 -02:00 on the 4th
    assert contact(started_at=before, finished_at=before).local_day == date(2018, 11, 3)
    assert contact(started_at=after, finished_at=after).local_day == date(2018, 11, 4)


# suggestion status ------------------------------------------------------------------

LEGAL = {
    (SuggestionStatus.PENDING, SuggestionEvent.START): SuggestionStatus.STARTED,
    (SuggestionStatus.PENDING, SuggestionEvent.DISMISS): SuggestionStatus.DISMISSED,
    (SuggestionStatus.STARTED, SuggestionEvent.FINISH): SuggestionStatus.FINISHED,
    (SuggestionStatus.STARTED, SuggestionEvent.DISMISS): SuggestionStatus.DISMISSED,
}


@pytest.mark.parametrize(
    ("status", "event"), list(itertools.product(SuggestionStatus, SuggestionEvent))
)
def test_advance_allows_exactly_the_forward_moves(
    status: SuggestionStatus, event: SuggestionEvent
) -> None:
    if (status, event) in LEGAL:
        assert advance(status, event) is LEGAL[status, event]
    else:
        with pytest.raises(RuleViolation, match=f"a {status.value} suggestion cannot"):
            advance(status, event)


def test_no_move_goes_back_to_pending_or_leaves_a_final_status() -> None:
    for status, event in itertools.product(SuggestionStatus, SuggestionEvent):
        try:
            moved = advance(status, event)
        except RuleViolation:
            continue
        assert moved is not SuggestionStatus.PENDING
        assert not status.is_final
    assert {s for s in SuggestionStatus if s.is_final} == {
        SuggestionStatus.FINISHED,
        SuggestionStatus.DISMISSED,
    }


def test_advance_rejects_strings() -> None:
    with pytest.raises(ValidationError, match="status must be a SuggestionStatus"):
        advance("pending", SuggestionEvent.START)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="event must be a SuggestionEvent"):
        advance(SuggestionStatus.PENDING, "start")  # type: ignore[arg-type]


def test_settle_applies_a_contact_to_its_suggestion() -> None:
    finished, dismissed = ContactOutcome.FINISHED, ContactOutcome.DISMISSED
    assert settle(SuggestionStatus.PENDING, finished) is SuggestionStatus.FINISHED
    assert settle(SuggestionStatus.STARTED, finished) is SuggestionStatus.FINISHED
    assert settle(SuggestionStatus.PENDING, dismissed) is SuggestionStatus.DISMISSED
    assert settle(SuggestionStatus.STARTED, dismissed) is SuggestionStatus.DISMISSED
    for final in (SuggestionStatus.FINISHED, SuggestionStatus.DISMISSED):
        for outcome in ContactOutcome:
            with pytest.raises(RuleViolation, match="it is final"):
                settle(final, outcome)


# JSON ---------------------------------------------------------------------------------


def test_a_contact_round_trips_through_json(conv: OtocoreConverter) -> None:
    c = contact(
        suggestion_id="S1",
        campaign_id="POS_VENDA_30",
        started_at=datetime(2026, 5, 10, 14, 0, tzinfo=timezone(timedelta(hours=-3))),
        products_offered=["SKU-1"],
        follow_up=FollowUp(day=date(2026, 6, 1), note="Nova coleção"),
        consent_change=ConsentChange(channel=ContactChannel.SMS, granted=False),
        outcome=ContactOutcome.DISMISSED,
        dismiss_reason="Pediu para falar depois",
    )
    data = conv.unstructure(c)
    assert data["started_at"] == "2026-05-10T17:00:00+00:00"
    assert data["follow_up"] == {"day": "2026-06-01", "note": "Nova coleção"}
    assert data["consent_change"] == {"channel": "sms", "granted": False}
    assert conv.structure(data, Contact) == c


def test_a_bad_contact_document_names_each_fault(conv: OtocoreConverter) -> None:
    data = conv.unstructure(contact())
    with pytest.raises(ValidationError) as info:
        conv.structure(dict(data, products_offered="SKU-1"), Contact)
    assert [e.field for e in info.value.errors] == ["Contact.products_offered"]
    bad = dict(data, channel="fax", started_at="ontem", in_portfolio="sim")
    with pytest.raises(ValidationError) as info:
        conv.structure(bad, Contact)
    assert sorted(e.field for e in info.value.errors) == [
        "Contact.channel",
        "Contact.in_portfolio",
        "Contact.started_at",
    ]


@pytest.mark.parametrize("configured_again", [False, True])
def test_a_follow_up_that_is_not_an_object_is_named_by_its_path(configured_again: bool) -> None:
    # found by the dev profile: the nested fault must name Contact.follow_up, not "$", also
    # when the area's hooks were configured again on a converter that installs them lazily
    conv = make_converter()
    if configured_again:
        _hooks_contacts.configure(conv)
    data = conv.unstructure(
        Contact(
            contact_id="A1",
            seller_code="V001",
            customer_id="C001",
            channel=ContactChannel.WHATSAPP,
            started_at=datetime(2018, 1, 1, tzinfo=UTC),
            finished_at=datetime(2018, 1, 1, tzinfo=UTC),
            outcome=ContactOutcome.FINISHED,
            in_portfolio=False,
        )
    )
    with pytest.raises(ValidationError) as caught:
        conv.structure({**data, "follow_up": []}, Contact)
    assert [e.field for e in caught.value.errors] == ["Contact.follow_up"]
