"""Opt-in / opt-out: worked examples from the seeds' wording, edges of the local day, errors."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import attrs
import pytest

from _support.builders import SP, sp
from otocore.consent import (
    ConsentEvent,
    ConsentLedger,
    ConsentPolicy,
    ConsentSource,
    ContactChannel,
    consent_at,
    consent_on,
)
from otocore.errors import ValidationError
from otocore.serialization import _consent as _hooks_consent
from otocore.serialization import make_converter

WA = ContactChannel.WHATSAPP


def event(
    granted: bool,
    at: datetime,
    *,
    customer_id: str = "C1",
    channel: ContactChannel = WA,
    source: ConsentSource = ConsentSource.SELLER_APP,
    recorded_by: str = "V01",
) -> ConsentEvent:
    return ConsentEvent(
        customer_id=customer_id,
        channel=channel,
        granted=granted,
        at=at,
        source=source,
        recorded_by=recorded_by,
    )


# The seeds ------------------------------------------------------------------------


def test_the_customer_says_no_during_a_contact_and_is_opted_out_at_once() -> None:
    # "pergunte se o cliente tem interesse em continuar recebendo mensagens suas,
    # caso o cliente responda não, realize o Opt-out no Oto."
    history = [
        event(True, sp(2, 10), source=ConsentSource.IMPORT, recorded_by="import"),
        event(False, sp(10, 15)),  # during a contact on 10/05, 15:00
    ]
    # before the contact the seller could write; from that moment, no more
    assert consent_at(history, "C1", WA, sp(10, 14, 59)) is True
    assert consent_at(history, "C1", WA, sp(10, 15)) is False
    # the local day of the contact already counts as opted out (no later suggestion that day)
    assert consent_on(history, "C1", WA, date(2026, 5, 10)) is False
    # ... and every day after
    assert [consent_on(history, "C1", WA, date(2026, 5, d)) for d in (9, 11, 30)] == [
        True,
        False,
        False,
    ]
    ledger = ConsentLedger.from_events(history)
    assert ledger.granted("C1", WA, date(2026, 5, 10)) is False
    assert ledger.granted("C1", WA, date(2026, 5, 9)) is True


def test_opt_in_is_the_customers_authorization_and_without_it_there_is_no_consent() -> None:
    # "Opt-in é a autorização que o cliente dá para receber contatos"
    assert consent_on([], "C1", WA, date(2026, 5, 10)) is False
    history = [event(True, sp(10, 9))]
    assert consent_on(history, "C1", WA, date(2026, 5, 10)) is True
    assert consent_on(history, "C1", WA, date(2026, 5, 9)) is False


def test_consent_is_per_channel_and_per_customer() -> None:
    history = [
        event(True, sp(1), channel=ContactChannel.EMAIL),
        event(False, sp(2), channel=WA),
        event(True, sp(1), customer_id="C2", channel=WA),
    ]
    day = date(2026, 5, 10)
    assert consent_on(history, "C1", ContactChannel.EMAIL, day) is True
    assert consent_on(history, "C1", WA, day) is False
    assert consent_on(history, "C1", ContactChannel.SMS, day) is False
    assert consent_on(history, "C2", WA, day) is True
    assert consent_on(history, "C2", ContactChannel.EMAIL, day) is False
    ledger = ConsentLedger.from_events(history)
    assert ledger.channels_granted("C1", day) == frozenset({ContactChannel.EMAIL})
    assert ledger.channels_granted("C2", day) == frozenset({WA})
    assert ledger.channels_granted("C3", day) == frozenset()


def test_a_new_opt_in_after_an_opt_out_restores_consent() -> None:
    history = [event(True, sp(1)), event(False, sp(5)), event(True, sp(8), recorded_by="V02")]
    assert [consent_on(history, "C1", WA, date(2026, 5, d)) for d in (1, 4, 5, 7, 8)] == [
        True,
        True,
        False,
        False,
        True,
    ]


def test_the_brand_policy_decides_when_there_is_no_event() -> None:
    permissive = ConsentPolicy(default_granted=True)
    assert consent_on([], "C1", ContactChannel.PUSH, date(2026, 5, 10), policy=permissive)
    # an explicit opt-out still wins over a permissive policy
    history = [event(False, sp(3), channel=ContactChannel.PUSH)]
    assert not consent_on(history, "C1", ContactChannel.PUSH, date(2026, 5, 10), policy=permissive)
    # before that opt-out, the policy holds
    assert consent_on(history, "C1", ContactChannel.PUSH, date(2026, 5, 2), policy=permissive)
    ledger = ConsentLedger.from_events(history, policy=permissive)
    assert ledger.channels_granted("C1", date(2026, 5, 10)) == frozenset(ContactChannel) - {
        ContactChannel.PUSH
    }


# Ties and order ---------------------------------------------------------------------


def test_at_the_same_instant_a_revocation_wins_whatever_the_order() -> None:
    when = sp(10, 15)
    grant, revoke = event(True, when), event(False, when, recorded_by="V02")
    for history in ([grant, revoke], [revoke, grant]):
        assert consent_at(history, "C1", WA, when) is False
        assert consent_on(history, "C1", WA, date(2026, 5, 10)) is False
        assert ConsentLedger.from_events(history).latest("C1", WA, when) == revoke


def test_events_alike_but_for_their_id_are_ordered_without_an_id_first() -> None:
    # the event id never changes a status, but it fixes which event ``latest`` names
    # and the order of ``events()``, whatever order the log came in: no id sorts first
    bare = event(False, sp(10, 15))
    with_id = attrs.evolve(bare, event_id="A")
    for history in ([bare, with_id], [with_id, bare]):
        ledger = ConsentLedger.from_events(history)
        assert list(ledger.events()) == [bare, with_id]
        assert ledger.latest("C1", WA, sp(10, 15)) == with_id
        assert consent_at(history, "C1", WA, sp(10, 15)) is False


def test_the_same_instant_written_in_two_zones_is_a_tie() -> None:
    grant = event(True, sp(10, 15))
    revoke = event(False, datetime(2026, 5, 10, 18, 0, tzinfo=UTC))
    assert grant.at == revoke.at
    assert consent_at([grant, revoke], "C1", WA, sp(10, 15)) is False


def test_a_later_day_opt_in_beats_an_earlier_opt_out_even_given_first() -> None:
    history = [event(True, sp(9)), event(False, sp(8))]
    assert consent_on(history, "C1", WA, date(2026, 5, 9)) is True
    assert consent_on(history, "C1", WA, date(2026, 5, 8)) is False


def test_events_after_the_instant_never_matter() -> None:
    history = [event(True, sp(1)), event(False, sp(20))]
    assert consent_at(history, "C1", WA, sp(19, 23, 59)) is True
    assert consent_on(history, "C1", WA, date(2026, 5, 19)) is True


# The local day ----------------------------------------------------------------------


def test_an_opt_out_at_23_59_local_counts_on_that_day_and_one_at_00_00_on_the_next() -> None:
    late = event(False, sp(10, 23, 59))
    assert late.at == datetime(2026, 5, 11, 2, 59, tzinfo=UTC)  # already the 11th in UTC
    history = [event(True, sp(1)), late]
    assert consent_on(history, "C1", WA, date(2026, 5, 10)) is False
    assert consent_on(history, "C1", WA, date(2026, 5, 9)) is True

    midnight = event(False, sp(11, 0, 0))
    history = [event(True, sp(1)), midnight]
    assert consent_on(history, "C1", WA, date(2026, 5, 10)) is True
    assert consent_on(history, "C1", WA, date(2026, 5, 11)) is False


def test_the_last_microsecond_of_the_day_still_counts() -> None:
    last = datetime(2026, 5, 11, 0, 0, tzinfo=SP) - timedelta(microseconds=1)
    history = [event(True, last)]
    assert consent_on(history, "C1", WA, date(2026, 5, 10)) is True
    assert ConsentLedger.from_events(history).granted("C1", WA, date(2026, 5, 10)) is True


def test_the_day_follows_the_policy_time_zone() -> None:
    history = [event(True, datetime(2026, 5, 11, 1, 0, tzinfo=UTC))]  # 22:00 on the 10th in SP
    assert consent_on(history, "C1", WA, date(2026, 5, 10)) is True
    utc = ConsentPolicy(time_zone="UTC")
    assert consent_on(history, "C1", WA, date(2026, 5, 10), policy=utc) is False
    assert ConsentLedger.from_events(history, policy=utc).granted("C1", WA, date(2026, 5, 11))


def test_daylight_saving_start_at_midnight_2018() -> None:
    # On 2018-11-04 São Paulo skipped from 00:00 to 01:00: the day began at 03:00 UTC.
    first = datetime(2018, 11, 4, 3, 0, tzinfo=UTC)
    assert first.astimezone(SP).hour == 1
    history = [event(True, first)]
    assert consent_on(history, "C1", WA, date(2018, 11, 3)) is False
    assert consent_on(history, "C1", WA, date(2018, 11, 4)) is True
    before = [event(True, first - timedelta(microseconds=1))]  # 23:59:59.999999 on the 3rd
    assert consent_on(before, "C1", WA, date(2018, 11, 3)) is True


def test_daylight_saving_end_2019_repeats_an_hour_of_the_16th() -> None:
    # On 2019-02-17 00:00 (-02) São Paulo went back to 23:00 (-03) on the 16th.
    second_23h = datetime(2019, 2, 17, 2, 30, tzinfo=UTC)  # 23:30 on the 16th, second time
    assert second_23h.astimezone(SP).date() == date(2019, 2, 16)
    history = [event(True, second_23h)]
    assert consent_on(history, "C1", WA, date(2019, 2, 16)) is True
    ledger = ConsentLedger.from_events(history)
    assert ledger.granted("C1", WA, date(2019, 2, 16)) is True
    assert ledger.granted("C1", WA, date(2019, 2, 15)) is False


def test_the_extreme_days_do_not_overflow() -> None:
    history = [event(True, datetime(9999, 12, 31, 23, 0, tzinfo=UTC))]
    assert consent_on(history, "C1", WA, date.max) is True
    assert consent_on(history, "C1", WA, date.min) is False
    ledger = ConsentLedger.from_events(history)
    assert ledger.granted("C1", WA, date.max) is True
    assert ledger.granted("C1", WA, date.min) is False


# The ledger -------------------------------------------------------------------------


def test_the_ledger_only_appends() -> None:
    ledger = ConsentLedger.from_events([event(True, sp(1))])
    ledger.record(event(False, sp(5)))
    ledger.record(event(True, sp(3), recorded_by="V02"))  # an older event, recorded late
    assert len(ledger) == 3
    assert [e.at for e in ledger.events()] == [sp(1), sp(3), sp(5)]
    assert ledger.granted("C1", WA, date(2026, 5, 4)) is True
    assert ledger.granted("C1", WA, date(2026, 5, 5)) is False
    assert not any(hasattr(ledger, name) for name in ("remove", "delete", "discard", "pop"))


def test_latest_explains_the_decision() -> None:
    opt_out = event(False, sp(10, 15))
    ledger = ConsentLedger.from_events([event(True, sp(1)), opt_out])
    found = ledger.latest("C1", WA, date(2026, 5, 10))
    assert found == opt_out
    assert found.source is ConsentSource.SELLER_APP
    assert found.recorded_by == "V01"
    assert ledger.latest("C1", WA, date(2026, 4, 30)) is None


def test_ledgers_compare_by_events_and_policy() -> None:
    a, b = event(True, sp(1)), event(False, sp(2))
    assert ConsentLedger.from_events([a, b]) == ConsentLedger.from_events([b, a])
    assert ConsentLedger.from_events([a]) != ConsentLedger.from_events([a, b])
    assert ConsentLedger.from_events([a]) != ConsentLedger.from_events(
        [a], policy=ConsentPolicy(default_granted=True)
    )
    assert repr(ConsentLedger.from_events([a])).startswith("<ConsentLedger of 1 events")


# Labels and parsing ------------------------------------------------------------------


def test_labels_and_exact_parsing() -> None:
    assert [c.label for c in ContactChannel] == [
        "WhatsApp",
        "SMS",
        "E-mail",
        "Ligação",
        "Notificação push",
    ]
    assert [s.label for s in ConsentSource] == [
        "App do vendedor",
        "Pedido do cliente",
        "Importação",
        "Marca",
    ]
    assert ContactChannel.parse("phone_call") is ContactChannel.PHONE_CALL
    assert ConsentSource.parse("customer_request") is ConsentSource.CUSTOMER_REQUEST
    for text in ("WhatsApp", "e-mail", "telefone", " sms", ""):
        with pytest.raises(ValidationError, match=r"^channel must be one of 'whatsapp', ") as info:
            ContactChannel.parse(text)
        assert info.value.field == "channel"
    with pytest.raises(ValidationError, match=r"^channel must be one of .*, got None$"):
        ContactChannel.parse(None)  # type: ignore[arg-type]
    with pytest.raises(
        ValidationError, match=r"^source must be one of 'seller_app', .*, got 'app'$"
    ):
        ConsentSource.parse("app")


# Errors -----------------------------------------------------------------------------

GOOD: dict[str, Any] = {
    "customer_id": "C1",
    "channel": WA,
    "granted": True,
    "at": datetime(2026, 5, 10, 18, 0, tzinfo=UTC),
    "source": ConsentSource.IMPORT,
    "recorded_by": "import",
}


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("customer_id", "", "must not be empty"),
        ("customer_id", 7, "must be a string"),
        ("customer_id", "C" * 101, "must be at most 100 characters"),
        ("channel", "whatsapp", r"must be a ContactChannel \('whatsapp', 'sms', 'email', "),
        ("granted", 1, "must be True or False"),
        ("granted", None, "must be True or False"),
        ("at", datetime(2026, 5, 10, 18, 0), "must be timezone-aware"),
        ("at", date(2026, 5, 10), "must be a timezone-aware datetime"),
        ("at", "2026-05-10T18:00:00+00:00", "must be a timezone-aware datetime"),
        ("source", "seller_app", r"must be a ConsentSource \('seller_app', 'customer_request', "),
        ("recorded_by", " ", "must not be empty"),
        ("recorded_by", "V" * 101, "must be at most 100 characters"),
        ("event_id", "", "must not be empty"),
        ("event_id", "E" * 101, "must be at most 100 characters"),
    ],
)
def test_a_bad_event_field_is_named(field: str, value: Any, rule: str) -> None:
    with pytest.raises(ValidationError, match=rf"^ConsentEvent\.{field} {rule}") as info:
        ConsentEvent(**{**GOOD, field: value})
    assert info.value.field == f"ConsentEvent.{field}"
    assert info.value.value == value


def test_the_longest_texts_are_accepted() -> None:
    longest = ConsentEvent(
        **{**GOOD, "customer_id": "C" * 100, "recorded_by": "V" * 100, "event_id": "E" * 100}
    )
    assert consent_at([longest], "C" * 100, WA, GOOD["at"]) is True
    ledger = ConsentLedger.from_events([longest])
    assert ledger.channels_granted("C" * 100, date(2026, 5, 10)) == frozenset({WA})


def test_event_instants_are_kept_in_utc() -> None:
    assert event(True, sp(10, 15)).at == datetime(2026, 5, 10, 18, 0, tzinfo=UTC)
    assert event(True, sp(10, 15)).at.tzinfo is UTC


NOT_A_DAY = r"must be a datetime\.date \(a local calendar day\)"
NOT_A_DAY_OR_INSTANT = (
    r"must be a datetime\.date \(a local day\) or an aware datetime \(an instant\)"
)
CHANNELS = r"must be a ContactChannel \('whatsapp', 'sms', 'email', 'phone_call', 'push'\)"
TOO_LONG = "C" * 101


@pytest.mark.parametrize(
    ("call", "field", "rule"),
    [
        (lambda: consent_at([], "C1", "whatsapp", sp(1)), "channel", CHANNELS),
        (lambda: consent_at([], "", WA, sp(1)), "customer_id", "must not be empty"),
        (
            lambda: consent_at([], TOO_LONG, WA, sp(1)),
            "customer_id",
            "must be at most 100 characters",
        ),
        (lambda: consent_at([], "C1", WA, datetime(2026, 5, 1)), "at", "must be timezone-aware"),
        (
            lambda: consent_at([], "C1", WA, date(2026, 5, 1)),
            "at",
            "must be a timezone-aware datetime",
        ),
        (
            lambda: consent_at([], "C1", WA, sp(1), policy=None),
            "policy",
            "must be a ConsentPolicy",
        ),
        (lambda: consent_on([], "C1", WA, sp(1)), "on", NOT_A_DAY),
        (lambda: consent_on([], "C1", WA, "2026-05-01"), "on", NOT_A_DAY),
        (
            lambda: consent_on([], TOO_LONG, WA, date(2026, 5, 1)),
            "customer_id",
            "must be at most 100 characters",
        ),
        (
            lambda: consent_on("events", "C1", WA, date(2026, 5, 1)),
            "events",
            "must be an iterable of ConsentEvent",
        ),
        (
            lambda: consent_on({"C1": True}, "C1", WA, date(2026, 5, 1)),
            "events",
            "must be an iterable of ConsentEvent",
        ),
        (
            lambda: consent_on(None, "C1", WA, date(2026, 5, 1)),
            "events",
            "must be an iterable of ConsentEvent",
        ),
        (
            lambda: consent_on([event(True, sp(1)), None], "C1", WA, date(2026, 5, 1)),
            r"events\[1\]",
            "must be a ConsentEvent",
        ),
        (
            lambda: consent_on([], "C1", WA, date(2026, 5, 1), policy=None),
            "policy",
            "must be a ConsentPolicy",
        ),
        (lambda: ConsentLedger.from_events([None]), r"events\[0\]", "must be a ConsentEvent"),
        (
            lambda: ConsentLedger.from_events([], policy="brand"),
            "policy",
            "must be a ConsentPolicy",
        ),
        (lambda: ConsentLedger().record("opt-out"), "event", "must be a ConsentEvent"),
        (lambda: ConsentLedger().granted("C1", WA, "2026-05-01"), "on", NOT_A_DAY_OR_INSTANT),
        (
            lambda: ConsentLedger().latest("C1", WA, None),
            "on",
            NOT_A_DAY_OR_INSTANT + ", got None$",
        ),
        (
            lambda: ConsentLedger().granted("C1", WA, datetime(2026, 5, 1)),
            "on",
            "must be timezone-aware",
        ),
        (lambda: ConsentLedger().granted("C1", "sms", date(2026, 5, 1)), "channel", CHANNELS),
        (
            lambda: ConsentLedger().granted(TOO_LONG, WA, date(2026, 5, 1)),
            "customer_id",
            "must be at most 100 characters",
        ),
        (
            lambda: ConsentLedger().channels_granted(None, date(2026, 5, 1)),
            "customer_id",
            "must be a string",
        ),
        (
            lambda: ConsentLedger().channels_granted(TOO_LONG, date(2026, 5, 1)),
            "customer_id",
            "must be at most 100 characters",
        ),
        (
            lambda: ConsentPolicy(default_granted="no"),
            r"ConsentPolicy\.default_granted",
            "must be True or False",
        ),
        (
            lambda: ConsentPolicy(time_zone="GMT-3"),
            r"ConsentPolicy\.time_zone",
            "must be an IANA time zone name",
        ),
        (
            lambda: ConsentPolicy(time_zone="America"),
            r"ConsentPolicy\.time_zone",
            "must be an IANA time zone name",
        ),
    ],
)
def test_bad_arguments_are_validation_errors_naming_the_field(
    call: Any, field: str, rule: str
) -> None:
    with pytest.raises(ValidationError, match=rf"^{field} {rule}") as info:
        call()
    assert info.value.field == field.replace("\\", "")


def test_a_bad_day_or_instant_is_reported_with_its_value() -> None:
    with pytest.raises(ValidationError) as info:
        ConsentLedger().granted("C1", WA, "2026-05-01")
    assert (info.value.field, info.value.value) == ("on", "2026-05-01")
    assert info.value.rule == (
        "must be a datetime.date (a local day) or an aware datetime (an instant)"
    )


# Serialization ------------------------------------------------------------------------


@pytest.fixture
def conv() -> Any:
    c = make_converter()
    _hooks_consent.configure(c)
    return c


def test_events_ledgers_and_policies_round_trip_through_json(conv: Any) -> None:
    history = [event(True, sp(1)), event(False, sp(10, 15), channel=ContactChannel.SMS)]
    data = conv.unstructure(history[1])
    assert data == {
        "customer_id": "C1",
        "channel": "sms",
        "granted": False,
        "at": "2026-05-10T18:00:00+00:00",
        "source": "seller_app",
        "recorded_by": "V01",
        "event_id": None,
    }
    assert conv.structure(json.loads(json.dumps(data)), ConsentEvent) == history[1]
    ledger = ConsentLedger.from_events(history, policy=ConsentPolicy(time_zone="America/Manaus"))
    text = json.dumps(conv.unstructure(ledger))
    assert json.loads(text)["policy"] == {"default_granted": False, "time_zone": "America/Manaus"}
    assert conv.structure(json.loads(text), ConsentLedger) == ledger


def test_bad_json_names_the_path(conv: Any) -> None:
    data = conv.unstructure(event(True, sp(1)))
    with pytest.raises(ValidationError) as info:
        conv.structure({**data, "channel": "WhatsApp", "at": "2026-05-01 12:00"}, ConsentEvent)
    assert sorted(e.field for e in info.value.errors) == ["ConsentEvent.at", "ConsentEvent.channel"]
    with pytest.raises(ValidationError) as info:
        conv.structure({"policy": {}, "events": [data, {**data, "granted": "yes"}]}, ConsentLedger)
    assert [e.field for e in info.value.errors] == ["ConsentLedger.events[1].granted"]
    with pytest.raises(
        ValidationError,
        match=r"^ConsentLedger\.events must be a JSON array of events, got '\[\]'$",
    ) as info:
        conv.structure({"policy": {}, "events": "[]"}, ConsentLedger)
    assert info.value.field == "ConsentLedger.events"


def test_the_hooks_work_whatever_the_configuration_order() -> None:
    from otocore.serialization import OtocoreConverter, configure_converter

    early = OtocoreConverter(forbid_extra_keys=True)
    _hooks_consent.configure(early)  # before the datetime hooks exist
    configure_converter(early)
    ledger = ConsentLedger.from_events([event(True, sp(1)), event(False, sp(10, 15))])
    data = early.unstructure(ledger)
    assert data["events"][1]["at"] == "2026-05-10T18:00:00+00:00"
    assert early.structure(data, ConsentLedger) == ledger
