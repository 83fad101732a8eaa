"""Write the golden vectors of quarantine, consent, the suggestion limiter and suggestions.

Run ``python tests/vectors/generate.py`` from the repository root (with otocore importable)
to rewrite ``tests/vectors/{quarantine,consent,suggestion_limiter,suggestions}/*.json``.

This script only **builds inputs**: it makes otocore value objects (contacts, consent
events, campaigns, customers...) and writes them with ``otocore.serialization.converter``,
so the JSON is exactly what otocore's converter writes. It never calls a rule function
(``quarantine_status``, ``consent_on``, ``daily_limit``, ``plan_suggestions``...).

Every ``description`` and every ``expected`` below is a literal typed by hand from the
rule's documented statement (docs/quarantine.md, docs/consent.md,
docs/rules/suggestion-limiter.md, docs/suggestions.md); each description carries the
reasoning. The replay tests (``tests/unit/test_*_vectors.py``) then check otocore agrees.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from otocore.blocking import BlockEvent, BlockFeature, BlockList
from otocore.campaigns import Campaign
from otocore.consent import (
    ConsentEvent,
    ConsentLedger,
    ConsentPolicy,
    ConsentSource,
    ContactChannel,
)
from otocore.contacts import Contact, ContactOutcome, FollowUp, SuggestionStatus
from otocore.customers import Cpf, Customer
from otocore.distribution import SuggestionLimiter
from otocore.filters import AllOf, BirthdayInMonth, Filter, HasPurchases, VScoreBetween
from otocore.orders import Order
from otocore.portfolio import AssignmentReason, PortfolioAssignment
from otocore.quarantine import CampaignQuarantine, QuarantinePolicy
from otocore.rfv import RfvScore
from otocore.sellers import Seller, SellerStatus, Store
from otocore.serialization import converter
from otocore.suggestions import (
    SellerWorkload,
    Suggestion,
    SuggestionKind,
    SuggestionPolicy,
    SuggestionReason,
)

HERE = Path(__file__).resolve().parent
SP = ZoneInfo("America/Sao_Paulo")
WA = ContactChannel.WHATSAPP
SMS = ContactChannel.SMS
EMAIL = ContactChannel.EMAIL
FAQ = "oto-faq.txt"
MANAGERS = "oto-managers-and-campaigns.txt"


def sp(y: int, m: int, d: int, hour: int = 10, minute: int = 0) -> datetime:
    """A wall time in São Paulo (the instant is written in UTC by the converter)."""
    return datetime(y, m, d, hour, minute, tzinfo=SP)


def utc(y: int, m: int, d: int, hour: int, minute: int = 0, *, second: int = 0) -> datetime:
    return datetime(y, m, d, hour, minute, second, tzinfo=UTC)


def dump(value: Any) -> Any:
    return converter.unstructure(value)


def write(family: str, name: str, vector: dict[str, Any]) -> None:
    folder = HERE / family
    folder.mkdir(exist_ok=True)
    text = json.dumps(vector, indent=2, ensure_ascii=False) + "\n"
    (folder / f"{name}.json").write_text(text, encoding="utf-8")


# quarantine ------------------------------------------------------------------------

QUARANTINE_SEED = (
    f"{MANAGERS}: O que é uma Quarentena? (A quarentena é uma periodicidade configurada "
    "para que a marca seja efetiva em sua mensagem); "
    f"{FAQ}: Por que eu devo registrar o atendimento do Oto?"
)


def contact(
    n: int,
    started: datetime,
    *,
    customer: str = "C1",
    seller: str = "V01",
    campaign: str | None = None,
    channel: ContactChannel = WA,
    minutes: int = 10,
    follow_up: date | None = None,
    note: str = "Voltar a falar do vestido azul",
    in_portfolio: bool = True,
    dismissed_suggestion: str | None = None,
) -> Contact:
    return Contact(
        contact_id=f"A{n}",
        seller_code=seller,
        customer_id=customer,
        campaign_id=campaign,
        channel=channel,
        started_at=started,
        finished_at=started + timedelta(minutes=minutes),
        follow_up=None if follow_up is None else FollowUp(day=follow_up, note=note),
        in_portfolio=in_portfolio,
        suggestion_id=dismissed_suggestion,
        outcome=ContactOutcome.FINISHED
        if dismissed_suggestion is None
        else ContactOutcome.DISMISSED,
        dismiss_reason=None if dismissed_suggestion is None else "Cliente não respondeu",
    )


def ask(
    on: str, campaign: tuple[str, int] | None = None, suggested_on: Iterable[str] = ()
) -> dict[str, Any]:
    return {
        "on": on,
        "campaign": None
        if campaign is None
        else dump(CampaignQuarantine(campaign_id=campaign[0], quarantine_days=campaign[1])),
        "suggested_on": list(suggested_on),
    }


def free(on: str) -> dict[str, Any]:
    return {"on": on, "in_quarantine": False, "rule": None, "free_on": None}


def held(on: str, rule: str, free_on: str) -> dict[str, Any]:
    return {"on": on, "in_quarantine": True, "rule": rule, "free_on": free_on}


def quarantine(  # noqa: PLR0917 - reads like the table it writes
    name: str,
    description: str,
    policy: QuarantinePolicy,
    contacts: list[Contact],
    questions: list[dict[str, Any]],
    expected: list[dict[str, Any]] | None = None,
    *,
    expected_error: dict[str, str] | None = None,
) -> None:
    vector: dict[str, Any] = {
        "format": "otocore-quarantine-vector/1",
        "description": description,
        "seed": QUARANTINE_SEED,
        "policy": dump(policy),
        "contacts": dump(contacts),
        "questions": questions,
    }
    if expected_error is None:
        assert expected is not None
        assert len(expected) == len(questions)
        vector["expected"] = expected
    else:
        vector["expected_error"] = expected_error
    write("quarantine", name, vector)


def quarantine_vectors() -> None:
    late = [contact(1, sp(2026, 5, 10, 23, 59), minutes=21)]
    quarantine(
        "01_after_contact_local_day",
        "AFTER_CONTACT counts local days of started_at. The only contact starts on Sunday "
        "2026-05-10 at 23:59 in São Paulo (02:59 UTC on the 11th) and runs past midnight: "
        "its day c is the 10th. With the default 7 days the customer is held on c .. c+6 = "
        "10 .. 16 May and free on c+7 = 17 May. On the 9th the contact had not happened "
        "yet (only contacts with c <= D count), so the customer is free. A UTC reading "
        "(day 11, free on the 18th) or the finishing day would give other answers.",
        QuarantinePolicy(),
        late,
        [ask("2026-05-09"), ask("2026-05-10"), ask("2026-05-16"), ask("2026-05-17")],
        [
            free("2026-05-09"),
            held("2026-05-10", "after_contact", "2026-05-17"),
            held("2026-05-16", "after_contact", "2026-05-17"),
            free("2026-05-17"),
        ],
    )
    quarantine(
        "02_brand_time_zone_utc",
        "The policy's time_zone decides the local day, not the contact's. The same contact "
        "(2026-05-10 23:59 in São Paulo = 2026-05-11 02:59 UTC) for a brand whose time_zone "
        "is UTC is on day 11: free on the 10th (not yet happened), held on 11 .. 17 May, "
        "free on 11 + 7 = 18 May (docs/quarantine.md: 'that brand frees the customer on the "
        "18th').",
        QuarantinePolicy(time_zone="UTC"),
        late,
        [ask("2026-05-10"), ask("2026-05-11"), ask("2026-05-17"), ask("2026-05-18")],
        [
            free("2026-05-10"),
            held("2026-05-11", "after_contact", "2026-05-18"),
            held("2026-05-17", "after_contact", "2026-05-18"),
            free("2026-05-18"),
        ],
    )
    quarantine(
        "03_dst_spring_forward_2018",
        "São Paulo skipped 00:00-00:59 on 2018-11-04 (the day began at 01:00 -02:00 = 03:00 "
        "UTC). Contact A1 about campaign A at 02:59 UTC is 23:59 -03:00 on 3 November; A2 "
        "about campaign B at 03:00 UTC is 01:00 -02:00 on 4 November. days_after_contact=0, "
        "so only the CAMPAIGN rule holds (quarantine_days=7): A is held 3 .. 9 Nov (free on "
        "the 10th), B is held 4 .. 10 Nov (free on the 11th); on 3 Nov B's contact has not "
        "happened yet. Reading both instants with the summer offset -02:00 would put A on 4 "
        "November as well.",
        QuarantinePolicy(days_after_contact=0),
        [
            contact(1, utc(2018, 11, 4, 2, 59), campaign="A"),
            contact(2, utc(2018, 11, 4, 3, 0), campaign="B"),
        ],
        [
            ask("2018-11-03", ("A", 7)),
            ask("2018-11-03", ("B", 7)),
            ask("2018-11-04", ("B", 7)),
            ask("2018-11-04"),
            ask("2018-11-10", ("A", 7)),
            ask("2018-11-10", ("B", 7)),
        ],
        [
            held("2018-11-03", "campaign", "2018-11-10"),
            free("2018-11-03"),
            held("2018-11-04", "campaign", "2018-11-11"),
            free("2018-11-04"),
            free("2018-11-10"),
            held("2018-11-10", "campaign", "2018-11-11"),
        ],
    )
    quarantine(
        "04_dst_fall_back_2019_repeated_hour",
        "On 2019-02-16 São Paulo lived 23:00-23:59 twice (-02:00, then -03:00 from 02:00 UTC "
        "on the 17th). Contacts at 01:30 UTC and 02:30 UTC on the 17th are both 23:30 on 16 "
        "February; 03:00 UTC is 00:00 on the 17th. With max_contacts=2 per_days=1 (and "
        "days_after_contact=0) the customer is held on D iff two contacts fall on D itself: "
        "on the 16th two do (two contacts on one day count twice), free on d_m + p = 16 + 1 "
        "= 17 February; on the 17th only one does, so free. On the 15th no contact is known. "
        "Reading 02:30 UTC as the 17th would invert both days. The first contact dismissed "
        "the suggestion it answered: every registered contact counts, whatever its outcome.",
        QuarantinePolicy(days_after_contact=0, max_contacts=2, per_days=1),
        [
            contact(1, utc(2019, 2, 17, 1, 30), dismissed_suggestion="2019-02-16:C1"),
            contact(2, utc(2019, 2, 17, 2, 30)),
            contact(3, utc(2019, 2, 17, 3, 0)),
        ],
        [ask("2019-02-15"), ask("2019-02-16"), ask("2019-02-17")],
        [
            free("2019-02-15"),
            held("2019-02-16", "max_contacts", "2019-02-17"),
            free("2019-02-17"),
        ],
    )
    quarantine(
        "05_rolling_cap_window_boundary",
        "max_contacts=2 per_days=30, days_after_contact=0; contacts on 1 April (about PROMO) "
        "and 20 April. On 19 April one contact is known: free. From 20 April the window "
        "(D-30, D] holds both (on 30 April it is (31 Mar, 30 Apr]): held, free on d_m + p = "
        "1 Apr + 30 = 1 May. On 1 May the window (1 Apr, 1 May] excludes 1 April: free. "
        "Asked about PROMO (quarantine_days=30): on 19 April only CAMPAIGN holds (1 Apr + 30 = "
        "1 May); on 20 April MAX_CONTACTS and CAMPAIGN both free on 1 May, a tie that goes to "
        "MAX_CONTACTS (ties: AFTER_CONTACT, MAX_CONTACTS, CAMPAIGN).",
        QuarantinePolicy(days_after_contact=0, max_contacts=2, per_days=30),
        [contact(1, sp(2026, 4, 1), campaign="PROMO"), contact(2, sp(2026, 4, 20))],
        [
            ask("2026-04-19"),
            ask("2026-04-20"),
            ask("2026-04-30"),
            ask("2026-05-01"),
            ask("2026-04-19", ("PROMO", 30)),
            ask("2026-04-20", ("PROMO", 30)),
        ],
        [
            free("2026-04-19"),
            held("2026-04-20", "max_contacts", "2026-05-01"),
            held("2026-04-30", "max_contacts", "2026-05-01"),
            free("2026-05-01"),
            held("2026-04-19", "campaign", "2026-05-01"),
            held("2026-04-20", "max_contacts", "2026-05-01"),
        ],
    )
    quarantine(
        "06_longest_rule_wins",
        "days_after_contact=7 with max_contacts=2 per_days=30; contacts on 1 and 10 May "
        "(docs/quarantine.md 'Longest rule wins'). On 1 May only AFTER_CONTACT holds: free on "
        "8 May; on 9 May nothing holds. On 10 May AFTER_CONTACT would free on the 17th but "
        "MAX_CONTACTS holds until 1 May + 30 = 31 May, so rule is MAX_CONTACTS and free_on 31 "
        "May, also on 17 and 30 May (the day AFTER_CONTACT has released); free on 31 May.",
        QuarantinePolicy(days_after_contact=7, max_contacts=2, per_days=30),
        [contact(1, sp(2026, 5, 1)), contact(2, sp(2026, 5, 10))],
        [
            ask("2026-05-01"),
            ask("2026-05-09"),
            ask("2026-05-10"),
            ask("2026-05-17"),
            ask("2026-05-30"),
            ask("2026-05-31"),
        ],
        [
            held("2026-05-01", "after_contact", "2026-05-08"),
            free("2026-05-09"),
            held("2026-05-10", "max_contacts", "2026-05-31"),
            held("2026-05-17", "max_contacts", "2026-05-31"),
            held("2026-05-30", "max_contacts", "2026-05-31"),
            free("2026-05-31"),
        ],
    )
    quarantine(
        "07_rule_ties",
        "days_after_contact=10, max_contacts=2 per_days=30; contacts on 1 May (about PROMO) "
        "and 21 May. On 21 May AFTER_CONTACT frees on 21 + 10 = 31 May and MAX_CONTACTS on "
        "1 May + 30 = 31 May: a tie, rule AFTER_CONTACT. Asked about PROMO with "
        "quarantine_days=30 the campaign also frees on 31 May: a three-way tie, still "
        "AFTER_CONTACT. With quarantine_days=40 CAMPAIGN holds longest (10 June). On 20 May "
        "(before the second contact) AFTER_CONTACT released on 11 May and only one contact "
        "counts, so only CAMPAIGN holds, until 31 May. On 31 May every rule has released.",
        QuarantinePolicy(days_after_contact=10, max_contacts=2, per_days=30),
        [contact(1, sp(2026, 5, 1), campaign="PROMO"), contact(2, sp(2026, 5, 21))],
        [
            ask("2026-05-21"),
            ask("2026-05-21", ("PROMO", 30)),
            ask("2026-05-21", ("PROMO", 40)),
            ask("2026-05-20", ("PROMO", 30)),
            ask("2026-05-31", ("PROMO", 30)),
        ],
        [
            held("2026-05-21", "after_contact", "2026-05-31"),
            held("2026-05-21", "after_contact", "2026-05-31"),
            held("2026-05-21", "campaign", "2026-06-10"),
            held("2026-05-20", "campaign", "2026-05-31"),
            free("2026-05-31"),
        ],
    )
    quarantine(
        "08_campaign_counted_from_latest_contact_about_it",
        "Two contacts about the same campaign: PROMO (quarantine_days=30) is held from the "
        "LATEST contact about it on or before D. Contacts (listed out of order): 20 April "
        "and 1 April about PROMO, 5 May about OUTRA; days_after_contact=0. On 10 April only "
        "the 1 April contact has happened: free on 1 May. From 20 April the latest is 20 "
        "April: on 1, 10 and 19 May PROMO is held until 20 May (counting from 1 April would "
        "free it on 1 May); free on 20 May. The contact about OUTRA does not touch PROMO; it "
        "holds OUTRA until 5 May + 30 = 4 June. Asked about no campaign, nothing holds.",
        QuarantinePolicy(days_after_contact=0),
        [
            contact(2, sp(2026, 4, 20), campaign="PROMO"),
            contact(1, sp(2026, 4, 1), campaign="PROMO"),
            contact(3, sp(2026, 5, 5), campaign="OUTRA"),
        ],
        [
            ask("2026-04-10", ("PROMO", 30)),
            ask("2026-05-01", ("PROMO", 30)),
            ask("2026-05-10", ("PROMO", 30)),
            ask("2026-05-19", ("PROMO", 30)),
            ask("2026-05-20", ("PROMO", 30)),
            ask("2026-05-10", ("OUTRA", 30)),
            ask("2026-05-10"),
        ],
        [
            held("2026-04-10", "campaign", "2026-05-01"),
            held("2026-05-01", "campaign", "2026-05-20"),
            held("2026-05-10", "campaign", "2026-05-20"),
            held("2026-05-19", "campaign", "2026-05-20"),
            free("2026-05-20"),
            held("2026-05-10", "campaign", "2026-06-04"),
            free("2026-05-10"),
        ],
    )
    quarantine(
        "09_campaign_suggested_on",
        "A campaign's earlier suggestion days count like contacts about it, but only days "
        "before D (regenerating a day must not hold the customer by that day's own "
        "suggestion). PROMO has quarantine_days=10, a contact about it on 20 April (free on "
        "30 April) and days_after_contact=0. On 25 April: held until 30 April. On 12 May "
        "with a suggestion on 5 May: the latest event is 5 May, held until 15 May; without "
        "it: free. On 5 May with suggested_on [5 May]: that day is ignored, so free. On 14 "
        "May with [5 May, 20 May]: 20 May is ignored, held until 15 May. On 15 May: free.",
        QuarantinePolicy(days_after_contact=0),
        [contact(1, sp(2026, 4, 20), campaign="PROMO")],
        [
            ask("2026-04-25", ("PROMO", 10)),
            ask("2026-05-12", ("PROMO", 10), ["2026-05-05"]),
            ask("2026-05-12", ("PROMO", 10)),
            ask("2026-05-05", ("PROMO", 10), ["2026-05-05"]),
            ask("2026-05-14", ("PROMO", 10), ["2026-05-05", "2026-05-20"]),
            ask("2026-05-15", ("PROMO", 10), ["2026-05-05"]),
        ],
        [
            held("2026-04-25", "campaign", "2026-04-30"),
            held("2026-05-12", "campaign", "2026-05-15"),
            free("2026-05-12"),
            free("2026-05-05"),
            held("2026-05-14", "campaign", "2026-05-15"),
            free("2026-05-15"),
        ],
    )
    quarantine(
        "10_rules_turned_off",
        "days_after_contact=0 turns AFTER_CONTACT off and a campaign's quarantine_days=0 "
        "never holds. A contact about PROMO on 10 May: asked about no campaign, or about "
        "PROMO with 0 days, the customer is free on the 10th itself. With quarantine_days=1 "
        "PROMO is held on c .. c+0 = 10 May only and free on 11 May.",
        QuarantinePolicy(days_after_contact=0),
        [contact(1, sp(2026, 5, 10), campaign="PROMO")],
        [
            ask("2026-05-10"),
            ask("2026-05-10", ("PROMO", 0)),
            ask("2026-05-10", ("PROMO", 1)),
            ask("2026-05-11", ("PROMO", 1)),
        ],
        [
            free("2026-05-10"),
            free("2026-05-10"),
            held("2026-05-10", "campaign", "2026-05-11"),
            free("2026-05-11"),
        ],
    )
    quarantine(
        "11_error_suggested_on_without_campaign",
        "suggested_on lists days a campaign was suggested, so it needs the campaign it is "
        "about: without campaign= it is a ValidationError naming suggested_on "
        "(docs/quarantine.md, Errors).",
        QuarantinePolicy(),
        [contact(1, sp(2026, 5, 1))],
        [ask("2026-05-12", None, ["2026-05-05"])],
        expected_error={"type": "ValidationError", "field": "suggested_on"},
    )
    quarantine(
        "12_error_contacts_of_two_customers",
        "The status is one customer's: contacts of two customers given together are a "
        "ValidationError naming contacts (docs/quarantine.md, Errors: 'contacts of two "
        "customers in contact_history'); use contact_histories for a brand.",
        QuarantinePolicy(),
        [contact(1, sp(2026, 5, 1)), contact(2, sp(2026, 5, 2), customer="C2")],
        [ask("2026-05-03")],
        expected_error={"type": "ValidationError", "field": "contacts"},
    )


# consent ---------------------------------------------------------------------------

CONSENT_SEED = (
    f"{FAQ}: O que é opt-in? (Opt-in é a autorização que o cliente dá para receber "
    "contatos [...] Caso o cliente não queira receber contatos da marca, é necessário "
    f"desabilitar essa opção); {MANAGERS}: Começando o contato (caso o cliente responda "
    "não, realize o Opt-out no Oto)"
)


def event(
    customer: str,
    channel: ContactChannel,
    granted: bool,
    at: datetime,
    *,
    source: ConsentSource | None = None,
    by: str | None = None,
) -> ConsentEvent:
    if source is None:
        source = ConsentSource.IMPORT if granted else ConsentSource.SELLER_APP
    if by is None:
        by = "import" if source is ConsentSource.IMPORT else "V01"
    return ConsentEvent(
        customer_id=customer, channel=channel, granted=granted, at=at, source=source, recorded_by=by
    )


def on(customer: str, channel: ContactChannel, day: str) -> dict[str, Any]:
    return {"customer_id": customer, "channel": channel.value, "on": day}


def at(customer: str, channel: ContactChannel, instant: str) -> dict[str, Any]:
    return {"customer_id": customer, "channel": channel.value, "at": instant}


def consent(
    name: str,
    description: str,
    events: list[ConsentEvent],
    questions: list[dict[str, Any]],
    expected: list[bool],
    *,
    policy: ConsentPolicy | None = None,
    events_json: list[dict[str, Any]] | None = None,
) -> None:
    assert len(expected) == len(questions)
    write(
        "consent",
        name,
        {
            "format": "otocore-consent-vector/1",
            "description": description,
            "seed": CONSENT_SEED,
            "policy": dump(policy or ConsentPolicy()),
            "events": events_json if events_json is not None else dump(events),
            "questions": questions,
            "expected": expected,
        },
    )


def consent_vectors() -> None:
    opt_in = event("C1", WA, True, sp(2026, 3, 2))
    consent(
        "01_opt_out_during_the_day",
        "An opt-in on 2 March and an opt-out registered by the seller on 10 May at 15:00 "
        "(São Paulo, 18:00 UTC). A day is read at its END: the latest event before the first "
        "instant of D+1 decides, so the whole of 10 May is already 'no' (no later suggestion "
        "that day), 9 May is 'yes', 11 May 'no'. 1 March has no event yet: the default "
        "(False). At an instant the latest event with at <= t decides: 17:59 UTC 'yes', "
        "18:00 UTC (the opt-out's own instant, inclusive) 'no'.",
        [opt_in, event("C1", WA, False, sp(2026, 5, 10, 15))],
        [
            on("C1", WA, "2026-03-01"),
            on("C1", WA, "2026-03-02"),
            on("C1", WA, "2026-05-09"),
            on("C1", WA, "2026-05-10"),
            on("C1", WA, "2026-05-11"),
            at("C1", WA, "2026-05-10T17:59:00+00:00"),
            at("C1", WA, "2026-05-10T18:00:00+00:00"),
        ],
        [False, True, True, False, False, True, False],
    )
    same_in = event("C1", WA, True, sp(2026, 5, 10, 15), source=ConsentSource.SELLER_APP)
    same_out = event("C1", WA, False, sp(2026, 5, 10, 15))
    c2_in = event("C2", WA, True, sp(2026, 5, 10, 15), source=ConsentSource.SELLER_APP)
    c2_out = event("C2", WA, False, sp(2026, 5, 10, 15))
    events = [opt_in, same_in, same_out, event("C2", WA, True, sp(2026, 3, 2)), c2_out, c2_in]
    written = dump(events)
    # the opt-outs are written with their São Paulo offset: the same instants, other zones
    written[2]["at"] = "2026-05-10T15:00:00-03:00"
    written[4]["at"] = "2026-05-10T15:00:00-03:00"
    consent(
        "02_opt_out_and_opt_in_at_the_same_instant",
        "An opt-out and an opt-in at the same instant (10 May 15:00 São Paulo): the opt-outs "
        "are written as 15:00-03:00 and the opt-ins as 18:00+00:00, the same instant. A "
        "revocation wins a tie, and the order the events are given in never matters: C1 "
        "lists the opt-in then the opt-out, C2 the opt-out then the opt-in; both are 'no' "
        "on 10 and 11 May and at 18:00 UTC, 'yes' on 9 May and at 17:59 UTC (the opt-in of "
        "2 March).",
        events,
        [
            on("C1", WA, "2026-05-09"),
            on("C1", WA, "2026-05-10"),
            on("C1", WA, "2026-05-11"),
            at("C1", WA, "2026-05-10T17:59:00+00:00"),
            at("C1", WA, "2026-05-10T18:00:00+00:00"),
            on("C2", WA, "2026-05-09"),
            on("C2", WA, "2026-05-10"),
            on("C2", WA, "2026-05-11"),
            at("C2", WA, "2026-05-10T18:00:00+00:00"),
        ],
        [True, False, False, True, False, True, False, False, False],
        events_json=written,
    )
    consent(
        "03_opt_out_then_opt_in_the_same_day",
        "Opt-in on 2 March, opt-out on 10 May at 09:00 and opt-in again at 15:00 (São "
        "Paulo). Read at its end, 10 May is 'yes' (the latest event of the day is the "
        "opt-in), and so are 9 and 11 May. At 09:00 (12:00 UTC) and at 14:59 (17:59 UTC) "
        "the opt-out holds: 'no'; at 15:00 (18:00 UTC): 'yes'.",
        [
            opt_in,
            event("C1", WA, False, sp(2026, 5, 10, 9)),
            event("C1", WA, True, sp(2026, 5, 10, 15), source=ConsentSource.SELLER_APP),
        ],
        [
            on("C1", WA, "2026-05-09"),
            on("C1", WA, "2026-05-10"),
            on("C1", WA, "2026-05-11"),
            at("C1", WA, "2026-05-10T12:00:00+00:00"),
            at("C1", WA, "2026-05-10T17:59:00+00:00"),
            at("C1", WA, "2026-05-10T18:00:00+00:00"),
        ],
        [True, True, True, False, False, True],
    )
    consent(
        "04_local_midnight",
        "docs/consent.md's table: each customer's only event is a WhatsApp opt-in. C1 at 10 "
        "May 09:00 São Paulo (12:00 UTC): no on the 9th, yes on the 10th and 11th. C2 at 10 "
        "May 23:59 (02:59 UTC on the 11th): still the 10th locally, so no, yes, yes. C3 at "
        "11 May 00:00 (03:00 UTC): no, no, yes. The local day is in the policy's zone "
        "(America/Sao_Paulo), not UTC.",
        [
            event("C1", WA, True, sp(2026, 5, 10, 9)),
            event("C2", WA, True, sp(2026, 5, 10, 23, 59)),
            event("C3", WA, True, sp(2026, 5, 11, 0, 0)),
        ],
        [
            on(c, WA, d)
            for c in ("C1", "C2", "C3")
            for d in ("2026-05-09", "2026-05-10", "2026-05-11")
        ],
        [False, True, True, False, True, True, False, False, True],
    )
    consent(
        "05_dst_spring_forward_2018",
        "On 2018-11-04 São Paulo skipped from 00:00 to 01:00, so 4 November began at 03:00 "
        "UTC. C1's opt-in at 02:59:59 UTC is 23:59:59 -03:00 on 3 November: 'no' on the 2nd, "
        "'yes' on the 3rd. C2's opt-in at 03:00 UTC is 01:00 -02:00 on 4 November: 'no' on "
        "the 3rd, 'yes' on the 4th.",
        [
            event("C1", WA, True, utc(2018, 11, 4, 2, 59, second=59)),
            event("C2", WA, True, utc(2018, 11, 4, 3, 0)),
        ],
        [
            on("C1", WA, "2018-11-02"),
            on("C1", WA, "2018-11-03"),
            on("C2", WA, "2018-11-03"),
            on("C2", WA, "2018-11-04"),
        ],
        [False, True, False, True],
    )
    consent(
        "06_dst_fall_back_2019",
        "On 2019-02-17 at 00:00 (-02:00, 02:00 UTC) São Paulo went back to 23:00 of the "
        "16th, so 16 February lasted until 03:00 UTC on the 17th. C1 opted in on 2 January "
        "and out at 02:30 UTC on the 17th, the second 23:30 of the 16th: 'yes' on the 15th, "
        "'no' on the 16th; at 01:30 UTC (the first 23:30) still 'yes'. C2's opt-in at 03:00 "
        "UTC is 00:00 -03:00 on the 17th: 'no' on the 16th, 'yes' on the 17th.",
        [
            event("C1", WA, True, sp(2019, 1, 2)),
            event("C1", WA, False, utc(2019, 2, 17, 2, 30)),
            event("C2", WA, True, utc(2019, 2, 17, 3, 0)),
        ],
        [
            on("C1", WA, "2019-02-15"),
            on("C1", WA, "2019-02-16"),
            at("C1", WA, "2019-02-17T01:30:00+00:00"),
            on("C2", WA, "2019-02-16"),
            on("C2", WA, "2019-02-17"),
        ],
        [True, False, True, False, True],
    )
    consent(
        "07_consent_missing_is_no",
        "Consent is per customer and per channel, and with no event at or before the moment "
        "the policy's default decides (default_granted=False: no event, no consent). C1 "
        "opted in on WhatsApp on 2 March: 'yes' on WhatsApp on 10 May, 'no' on SMS and "
        "e-mail (no event on those channels), 'no' on WhatsApp on 1 March (before the "
        "event). C2's opt-out does not touch C1; C9 has no event at all: 'no'.",
        [opt_in, event("C2", WA, False, sp(2026, 3, 2))],
        [
            on("C1", WA, "2026-05-10"),
            on("C1", SMS, "2026-05-10"),
            at("C1", EMAIL, "2026-05-10T12:00:00+00:00"),
            on("C1", WA, "2026-03-01"),
            on("C2", WA, "2026-05-10"),
            on("C9", WA, "2026-05-10"),
        ],
        [True, False, False, False, False, False],
    )
    consent(
        "08_presumed_consent_brand",
        "A brand whose ConsentPolicy has default_granted=True: with no event the answer is "
        "'yes'. C1 opts out of SMS on 10 May 15:00 and back in on 20 May 10:00. SMS: 'yes' "
        "on 9 May (no event yet, the default), 'no' on 10 and 19 May, 'yes' on 20 May. "
        "C1's WhatsApp and C9's e-mail have no event: 'yes'.",
        [
            event("C1", SMS, False, sp(2026, 5, 10, 15)),
            event("C1", SMS, True, sp(2026, 5, 20, 10), source=ConsentSource.CUSTOMER_REQUEST),
        ],
        [
            on("C1", SMS, "2026-05-09"),
            on("C1", SMS, "2026-05-10"),
            on("C1", SMS, "2026-05-19"),
            on("C1", SMS, "2026-05-20"),
            on("C1", WA, "2026-05-10"),
            on("C9", EMAIL, "2026-05-10"),
        ],
        [True, False, False, True, True, True],
        policy=ConsentPolicy(default_granted=True),
    )
    consent(
        "09_brand_time_zone_utc",
        "A brand whose time_zone is UTC reads days in UTC. C1 opted in on 2 March and out "
        "on 10 May at 23:59 São Paulo = 02:59 UTC on the 11th: 'yes' on 10 May, 'no' on 11 "
        "May; at 02:58 UTC on the 11th 'yes', at 02:59 'no'. C2's opt-in at 21:30 São Paulo "
        "on 10 May is 00:30 UTC on the 11th: 'no' on the 10th, 'yes' on the 11th.",
        [
            opt_in,
            event("C1", WA, False, sp(2026, 5, 10, 23, 59)),
            event("C2", WA, True, sp(2026, 5, 10, 21, 30)),
        ],
        [
            on("C1", WA, "2026-05-10"),
            on("C1", WA, "2026-05-11"),
            at("C1", WA, "2026-05-11T02:58:00+00:00"),
            at("C1", WA, "2026-05-11T02:59:00+00:00"),
            on("C2", WA, "2026-05-10"),
            on("C2", WA, "2026-05-11"),
        ],
        [True, False, True, False, False, True],
        policy=ConsentPolicy(time_zone="UTC"),
    )
    consent(
        "10_opt_in_again_after_opt_out",
        "The log is append-only: an opt-out does not delete the opt-in, and a later opt-in "
        "is a new event. WhatsApp: opt-in 2 March, opt-out 10 May 15:00, opt-in 20 May "
        "10:00 (13:00 UTC): 'no' on 15 and 19 May, 'yes' on 20 May; 'no' at 12:59 UTC on "
        "the 20th, 'yes' at 13:00 UTC. The SMS opt-in of 1 April is another channel and "
        "stays 'yes' on 15 May.",
        [
            opt_in,
            event("C1", WA, False, sp(2026, 5, 10, 15)),
            event("C1", WA, True, sp(2026, 5, 20, 10), source=ConsentSource.CUSTOMER_REQUEST),
            event("C1", SMS, True, sp(2026, 4, 1)),
        ],
        [
            on("C1", WA, "2026-05-15"),
            on("C1", WA, "2026-05-19"),
            on("C1", WA, "2026-05-20"),
            at("C1", WA, "2026-05-20T12:59:00+00:00"),
            at("C1", WA, "2026-05-20T13:00:00+00:00"),
            on("C1", SMS, "2026-05-15"),
        ],
        [False, False, True, False, True, True],
    )


# suggestion limiter ----------------------------------------------------------------

LIMITER_SEED = (
    f"{MANAGERS}: O Limitador de Sugestões define a quantidade ideal de sugestões diárias, "
    "considerando: horas trabalhadas, ociosidade, tempo médio de conversa."
)


def figures(hours: Any = None, idle: Any = None, minutes: Any = None) -> dict[str, Any]:
    """A SellerWorkload as the converter writes it (decimal strings); JSON numbers kept as given."""
    return {"hours_worked": hours, "idle_share": idle, "avg_conversation_minutes": minutes}


def limiter(
    name: str,
    description: str,
    bounds: dict[str, int],
    workloads: list[dict[str, Any]],
    expected: list[int] | None = None,
    *,
    default: SellerWorkload | None = None,
    expected_error: dict[str, str] | None = None,
) -> None:
    vector: dict[str, Any] = {
        "format": "otocore-suggestion-limiter-vector/1",
        "description": description,
        "seed": LIMITER_SEED,
        "limiter": bounds,
        "default_workload": None if default is None else dump(default),
        "workloads": workloads,
    }
    if expected_error is None:
        assert expected is not None
        assert len(expected) == len(workloads)
        vector["expected"] = expected
    else:
        vector["expected_error"] = expected_error
    write("suggestion_limiter", name, vector)


def limiter_vectors() -> None:
    # a check that the literal bounds are a valid limiter, written as the converter would
    assert dump(SuggestionLimiter(5, 40)) == {"minimum": 5, "maximum": 40}
    limiter(
        "01_worked_examples",
        "docs/rules/suggestion-limiter.md's table with SuggestionLimiter(5, 40): "
        "floor(8 x 60 x 0.25 / 6) = 120/6 = 20; floor(7.5 x 60 x 0.3 / 4) = floor(135/4 = "
        "33.75) = 33; 8 x 60 x 1 / 1 = 480, clamped to the maximum 40; 8 x 60 x 0 / 5 = 0, "
        "raised to the minimum 5; 6 x 60 x 0.35 / 1 = 126, clamped to 40.",
        {"minimum": 5, "maximum": 40},
        [
            figures("8", "0.25", "6"),
            figures("7.5", "0.3", "4"),
            figures("8", "1", "1"),
            figures("8", "0", "5"),
            figures("6", "0.35", "1"),
        ],
        [20, 33, 40, 5, 40],
    )
    limiter(
        "02_exact_floor",
        "The floor is of the exact value, never of a binary float. With SuggestionLimiter(0, "
        "1000): 6 x 60 x 0.35 / 1 = 126 exactly (125.99999999999999 in floats, floor 125); "
        "6 x 60 x 0.35 / 6 = 21 (floats: 20.999999999999996); 6 x 60 x 0.7 / 7 = 36 (floats: "
        "35.99999999999999); 7.5 x 60 x 0.3 / 4.5 = 135/4.5 = 30; 8.25 x 60 x 0.333 / 2.75 = "
        "164.835/2.75 = 59.94, floor 59.",
        {"minimum": 0, "maximum": 1000},
        [
            figures("6", "0.35", "1"),
            figures("6", "0.35", "6"),
            figures("6", "0.7", "7"),
            figures("7.5", "0.3", "4.5"),
            figures("8.25", "0.333", "2.75"),
        ],
        [126, 21, 36, 30, 59],
    )
    limiter(
        "03_clamp_boundaries",
        "SuggestionLimiter(10, 30) clamps to [10, 30], bounds included: 1 x 60 x 0.5 / 3 = 10 "
        "(exactly the minimum); 1 x 60 x 0.45 / 3 = 9, raised to 10; 2 x 60 x 0.5 / 3 = 20 "
        "(inside); 5 x 60 x 0.5 / 5 = 30 (exactly the maximum); 5 x 60 x 0.52 / 5 = 31.2, "
        "floor 31, lowered to 30; 5 x 60 x 0.5 / 4.9 = 30.61..., floor 30.",
        {"minimum": 10, "maximum": 30},
        [
            figures("1", "0.5", "3"),
            figures("1", "0.45", "3"),
            figures("2", "0.5", "3"),
            figures("5", "0.5", "5"),
            figures("5", "0.52", "5"),
            figures("5", "0.5", "4.9"),
        ],
        [10, 10, 20, 30, 30, 30],
    )
    limiter(
        "04_zero_hours_zero_idle",
        "With SuggestionLimiter(0, 40) a seller may get no suggestion: 0 hours gives 0; an "
        "idle share of 0 gives 0; 0.1 hour (6 minutes) fully idle with 7-minute "
        "conversations gives floor(6/7) = 0 (no whole conversation fits); with 6-minute "
        "conversations exactly 1.",
        {"minimum": 0, "maximum": 40},
        [
            figures("0", "0.5", "5"),
            figures("8", "0", "5"),
            figures("0.1", "1", "7"),
            figures("0.1", "1", "6"),
        ],
        [0, 0, 0, 1],
    )
    limiter(
        "05_fixed_limit",
        "minimum == maximum fixes the limit: SuggestionLimiter(12, 12) gives 12 whether the "
        "raw value is 0 (8 h, idle 0), 480 (8 h, idle 1, 1 minute) or exactly 12 (2 x 60 x "
        "0.5 / 5).",
        {"minimum": 12, "maximum": 12},
        [figures("8", "0", "5"), figures("8", "1", "1"), figures("2", "0.5", "5")],
        [12, 12, 12],
    )
    limiter(
        "06_missing_figures_from_the_brand_default",
        "A seller's missing figure is the brand's default (docs/suggestions.md: 'each missing "
        "figure taken from policy.default_workload'); default 8 h, idle 0.25, 6 minutes, "
        "SuggestionLimiter(5, 40). Only 4 h: 4 x 60 x 0.25 / 6 = 10. Only idle 0.5: 240/6 = "
        "40. Only 4.5 minutes: 120/4.5 = 26.67, floor 26. Nothing: the default, 20. All three "
        "given (10 h, 0.1, 7): 60/7 = 8.57, floor 8. Only 1 h: 15/6 = 2.5, floor 2, raised to "
        "the minimum 5.",
        {"minimum": 5, "maximum": 40},
        [
            figures("4"),
            figures(idle="0.5"),
            figures(minutes="4.5"),
            figures(),
            figures("10", "0.1", "7"),
            figures("1"),
        ],
        [10, 40, 26, 20, 8, 5],
        default=SellerWorkload(
            hours_worked=8, idle_share=Decimal("0.25"), avg_conversation_minutes=6
        ),
    )
    limiter(
        "07_error_idle_share_above_one",
        "idle_share is a share of the worked time, in [0, 1]: 1.2 is a ValidationError "
        "naming idle_share.",
        {"minimum": 5, "maximum": 40},
        [figures("8", "1.2", "5")],
        expected_error={"type": "ValidationError", "field": "idle_share"},
    )
    limiter(
        "08_error_zero_minutes",
        "avg_conversation_minutes must be > 0 (it divides): 0 is a ValidationError naming "
        "avg_conversation_minutes.",
        {"minimum": 5, "maximum": 40},
        [figures("8", "0.25", "0")],
        expected_error={"type": "ValidationError", "field": "avg_conversation_minutes"},
    )
    limiter(
        "09_error_negative_hours",
        "hours_worked must be >= 0: -0.5 is a ValidationError naming hours_worked.",
        {"minimum": 5, "maximum": 40},
        [figures("-0.5", "0.25", "6")],
        expected_error={"type": "ValidationError", "field": "hours_worked"},
    )
    limiter(
        "10_error_minimum_above_maximum",
        "The limiter needs 0 <= minimum <= maximum: SuggestionLimiter(30, 10) is a "
        "ValidationError naming SuggestionLimiter.minimum.",
        {"minimum": 30, "maximum": 10},
        [figures("8", "0.25", "6")],
        expected_error={"type": "ValidationError", "field": "SuggestionLimiter.minimum"},
    )
    limiter(
        "11_error_float_refused",
        "Floats are refused because the floor must be exact: a JSON number with a fraction "
        "(0.35, a float once parsed) for idle_share is a ValidationError naming idle_share; "
        "write decimals as strings ('0.35'), as otocore's converter does.",
        {"minimum": 0, "maximum": 1000},
        [figures("6", 0.35, "1")],
        expected_error={"type": "ValidationError", "field": "idle_share"},
    )


# suggestions -----------------------------------------------------------------------

SUGGESTIONS_SEED = (
    f"{FAQ}: O que é uma campanha? (podendo aplicar filtros diversos para organizar e "
    f"priorizar os seus contatos); O que é opt-in?; {MANAGERS}: O Limitador de Sugestões; "
    "O que é uma Quarentena?; caso o cliente responda não, realize o Opt-out no Oto"
)
DAY = date(2026, 5, 11)
HELLO = "Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}."
FOLLOW_UP_TAIL = " Como combinamos, estou passando para retomar a nossa conversa."
LONG_AGO = utc(2026, 2, 1, 12)


def valid_cpf(base: str) -> Cpf:
    """The CPF whose first nine digits are ``base``, with its two check digits."""
    digits = [int(c) for c in base]
    for _ in range(2):
        weight = len(digits) + 1
        total = sum(d * (weight - i) for i, d in enumerate(digits))
        digits.append(total * 10 % 11 % 10)
    return Cpf("".join(str(d) for d in digits))


def make_campaign(
    campaign_id: str,
    *,
    priority: int = 1,
    audience: Filter | None = None,
    channels: Iterable[ContactChannel] = (WA,),
    message: str = HELLO,
    channel_messages: dict[ContactChannel, str] | None = None,
    first_day: date = date(2026, 5, 1),
    last_day: date = date(2026, 5, 31),
    quarantine_days: int = 30,
    active: bool = True,
    name: str | None = None,
) -> Campaign:
    return Campaign(
        campaign_id=campaign_id,
        name=name or campaign_id.replace("_", " ").title(),
        priority=priority,
        first_day=first_day,
        last_day=last_day,
        audience=AllOf([]) if audience is None else audience,
        channels=list(channels),
        message=message,
        channel_messages=channel_messages or {},
        quarantine_days=quarantine_days,
        active=active,
    )


def person(cid: str, name: str, *, birth: date | None = None, cpf: Cpf | None = None) -> Customer:
    return Customer(
        customer_id=cid, name=name, registered_at=utc(2025, 1, 1, 12), birth_date=birth, cpf=cpf
    )


def score(cid: str, v: int) -> RfvScore:
    return RfvScore(
        customer_id=cid,
        recency_days=10,
        frequency=2,
        value=Decimal("100.00"),
        r=3,
        f=3,
        v=v,
        segment="loyal_customers",
    )


def assign(cid: str, seller: str | None) -> PortfolioAssignment:
    return PortfolioAssignment(
        customer_id=cid,
        seller_code=seller,
        since=date(2026, 1, 5),
        reason=AssignmentReason.NONE if seller is None else AssignmentReason.DAILY_RULE,
    )


def grants(cid: str, *channels: ContactChannel) -> list[ConsentEvent]:
    return [event(cid, ch, True, LONG_AGO) for ch in channels]


def block(
    cpf: Cpf,
    when: datetime,
    *,
    blocked: bool = True,
    features: Iterable[BlockFeature] = (BlockFeature.CAMPAIGNS,),
) -> BlockEvent:
    return BlockEvent(
        cpf=cpf,
        features=frozenset(features),
        blocked=blocked,
        reason="pediu para não receber ofertas" if blocked else "voltou a aceitar ofertas",
        by="u-gerente",
        at=when,
    )


def suggested(
    cid: str,
    seller: str,
    rank: int,
    channel: ContactChannel,
    message: str,
    *,
    campaign: str | None = None,
    contact_id: str | None = None,
    reassigned: bool = False,
) -> dict[str, Any]:
    """An expected Suggestion as the converter writes it, without ``detail`` (prose)."""
    if campaign is not None:
        kind, reason = "campaign", "campaign"
    else:
        kind, reason = "follow_up", "follow_up_reassigned" if reassigned else "follow_up"
    return {
        "suggestion_id": f"{DAY.isoformat()}:{cid}",
        "day": DAY.isoformat(),
        "seller_code": seller,
        "customer_id": cid,
        "kind": kind,
        "campaign_id": campaign,
        "channel": channel.value,
        "message": message,
        "reason": reason,
        "rank": rank,
        "contact_id": contact_id,
        "status": "pending",
    }


def outcome(
    outcome: str,
    seller: str | None = None,
    campaign: str | None = None,
    channel: ContactChannel | None = None,
    *,
    free_on: str | None = None,
    rule: str | None = None,
) -> dict[str, Any]:
    """An expected Explanation, without ``detail`` (prose) and ``suggestion``."""
    return {
        "outcome": outcome,
        "seller_code": seller,
        "campaign_id": campaign,
        "channel": None if channel is None else channel.value,
        "free_on": free_on,
        "quarantine_rule": rule,
    }


def earlier(cid: str, day: date, campaign: str, status: SuggestionStatus) -> Suggestion:
    return Suggestion(
        suggestion_id=f"{day.isoformat()}:{cid}",
        day=day,
        seller_code="V01",
        customer_id=cid,
        kind=SuggestionKind.CAMPAIGN,
        campaign_id=campaign,
        channel=WA,
        message="Olá! Uma oferta para você.",
        reason=SuggestionReason.CAMPAIGN,
        detail=f"campaign {campaign}",
        rank=1,
        status=status,
    )


BRUNO = Seller(code="V01", name="Bruno", store_id="L01")
CENTRO = Store(store_id="L01", name="Loja Centro")


def suggestions(
    name: str,
    description: str,
    *,
    customers: list[Customer],
    assignments: list[PortfolioAssignment],
    campaigns: list[Campaign],
    consent: list[ConsentEvent],
    expected: dict[str, Any],
    sellers: list[Seller] | None = None,
    stores: list[Store] | None = None,
    orders: list[Order] | None = None,
    rfv: list[RfvScore] | None = None,
    blocks: list[BlockEvent] | None = None,
    contacts: list[Contact] | None = None,
    earlier_suggestions: list[Suggestion] | None = None,
    workloads: dict[str, SellerWorkload] | None = None,
    anonymized: list[str] | None = None,
    policy: SuggestionPolicy | None = None,
) -> None:
    write(
        "suggestions",
        name,
        {
            "format": "otocore-suggestions-vector/1",
            "description": description,
            "seed": SUGGESTIONS_SEED,
            "day": DAY.isoformat(),
            "policy": dump(policy or SuggestionPolicy()),
            "sellers": dump(sellers or [BRUNO]),
            "stores": dump(stores or [CENTRO]),
            "assignments": dump(assignments),
            "customers": dump(customers),
            "orders": dump(orders or []),
            "rfv": dump(rfv or []),
            "campaigns": dump(campaigns),
            "consent": dump(ConsentLedger.from_events(consent)),
            "blocks": dump(BlockList.from_events(blocks or [])),
            "contacts": dump(contacts or []),
            "earlier_suggestions": dump(earlier_suggestions or []),
            "workloads": dump(workloads or {}),
            "anonymized": sorted(anonymized or []),
            "expected": expected,
        },
    )


def bruno(first_name: str) -> str:
    return HELLO.format(primeiro_nome=first_name, vendedor="Bruno", loja="Loja Centro")


def suggestion_vectors() -> None:
    birthday = "Feliz aniversário, {primeiro_nome}! Aqui é {vendedor}, da {loja}."
    ana_cpf, fabi_cpf = valid_cpf("529982247"), valid_cpf("111444777")
    suggestions(
        "01_worked_example",
        "docs/suggestions.md's worked example, Monday 2026-05-11 in São Paulo. V01 works 1 h, "
        "idle 0.25, 5-minute conversations: floor(60 x 0.25 / 5) = 3 (the policy's limiter "
        "is SuggestionLimiter(0, 40); under the default (5, 40) the minimum would raise it to "
        "5). C2's follow-up for today (scheduled on 9 May on WhatsApp) comes first (priority "
        "0) and ignores the quarantine of that contact; C1 (birthday in May) gets "
        "ANIVERSARIO (priority 1); C3 and C4 get TODOS (priority 2, channels sms then "
        "whatsapp): C3 has only WhatsApp consent, so whatsapp; C3 (v=4) ranks before C4 "
        "(v=3) and C4 is the 4th candidate: cut by the limit (its channel would be sms). C5 "
        "opted out today at 15:00: the whole day counts, no consent on TODOS' channels. C6's "
        "CPF is blocked for campaigns: blocked. C7's contact on 8 May holds them until 8 + 7 "
        "= 15 May.",
        customers=[
            person("C1", "Ana Souza", birth=date(1990, 5, 20)),
            person("C2", "Bia Lima"),
            person("C3", "Caio Reis"),
            person("C4", "Duda Melo"),
            person("C5", "Edu Alves"),
            person("C6", "Fabi Costa", cpf=fabi_cpf),
            person("C7", "Gabi Nunes"),
        ],
        assignments=[assign(f"C{i}", "V01") for i in range(1, 8)],
        rfv=[score("C1", 2), score("C2", 5), score("C3", 4), score("C4", 3)],
        campaigns=[
            make_campaign(
                "ANIVERSARIO",
                name="Aniversariantes do mês",
                audience=BirthdayInMonth(),
                message=birthday,
            ),
            make_campaign("TODOS", name="Todos", priority=2, channels=[SMS, WA]),
        ],
        consent=[
            *grants("C1", WA),
            *grants("C2", SMS, WA),
            *grants("C3", WA),
            *grants("C4", SMS),
            *grants("C5", WA),
            event("C5", WA, False, sp(2026, 5, 11, 15)),
            *grants("C6", WA),
            *grants("C7", WA),
        ],
        blocks=[block(fabi_cpf, sp(2026, 5, 10, 15))],
        contacts=[
            contact(1, sp(2026, 5, 9, 14), customer="C2", follow_up=DAY),
            contact(2, sp(2026, 5, 8, 11), customer="C7"),
        ],
        workloads={
            "V01": SellerWorkload(
                hours_worked=1, idle_share=Decimal("0.25"), avg_conversation_minutes=5
            )
        },
        policy=SuggestionPolicy(limiter=SuggestionLimiter(0, 40)),
        expected={
            "limits": {"V01": 3},
            "candidates": {"V01": 4},
            "suggestions": [
                suggested("C2", "V01", 1, WA, bruno("Bia") + FOLLOW_UP_TAIL, contact_id="A1"),
                suggested(
                    "C1",
                    "V01",
                    2,
                    WA,
                    "Feliz aniversário, Ana! Aqui é Bruno, da Loja Centro.",
                    campaign="ANIVERSARIO",
                ),
                suggested("C3", "V01", 3, WA, bruno("Caio"), campaign="TODOS"),
            ],
            "outcomes": {
                "C1": outcome("suggested", "V01", "ANIVERSARIO", WA),
                "C2": outcome("suggested", "V01", None, WA),
                "C3": outcome("suggested", "V01", "TODOS", WA),
                "C4": outcome("cut_by_limit", "V01", "TODOS", SMS),
                "C5": outcome("opted_out", "V01", "TODOS"),
                "C6": outcome("blocked", "V01"),
                "C7": outcome("quarantined", "V01", free_on="2026-05-15", rule="after_contact"),
            },
        },
    )

    names = {
        "C1": "Ana",
        "C2": "Bia",
        "C4": "Duda",
        "C5": "Edu",
        "C6": "Fabi",
        "C7": "Gabi",
        "C8": "Heitor",
        "C10": "João",
    }
    vs = {"C1": 5, "C8": 5, "C7": 4, "C2": 3, "C10": 3, "C5": 1}
    vip = "Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}: uma novidade VIP para você."
    suggestions(
        "02_order_ties_and_the_cut",
        "Order: priority, then RFV v (higher first, unscored last), then customer id in plain "
        "string order; then the cut at the limit. VIP (priority 1, v between 5 and 5) takes "
        "C1 and C8 (both v=5: 'C1' < 'C8'). A_TODOS and Z_TODOS tie on priority 2; the "
        "campaign_id decides, so everyone else gets A_TODOS: C7 (v=4), then C10 and C2 (v=3; "
        "'C10' < 'C2' as strings), C5 (v=1), then the unscored C4 and C6. V01's workload (2 "
        "h, 0.25, 6 min) gives floor(30/6) = 5: C1, C8, C7, C10, C2 are ranked 1-5 and C5, "
        "C4, C6 are cut by the limit; they do not move to V02, whose default workload gives "
        "20 and who has no candidate.",
        sellers=[BRUNO, Seller(code="V02", name="Carla", store_id="L01")],
        customers=[person(c, f"{n} Silva") for c, n in names.items()],
        assignments=[assign(c, "V01") for c in names],
        rfv=[score(c, v) for c, v in vs.items()],
        campaigns=[
            make_campaign("Z_TODOS", priority=2, message="Oi, {primeiro_nome}!"),
            make_campaign("VIP", audience=VScoreBetween(min=5, max=5), message=vip),
            make_campaign("A_TODOS", priority=2),
        ],
        consent=[e for c in names for e in grants(c, WA)],
        workloads={
            "V01": SellerWorkload(
                hours_worked=2, idle_share=Decimal("0.25"), avg_conversation_minutes=6
            )
        },
        policy=SuggestionPolicy(limiter=SuggestionLimiter(0, 40)),
        expected={
            "limits": {"V01": 5, "V02": 20},
            "candidates": {"V01": 8, "V02": 0},
            "suggestions": [
                suggested(
                    "C1",
                    "V01",
                    1,
                    WA,
                    "Olá, Ana! Aqui é Bruno, da Loja Centro: uma novidade VIP para você.",
                    campaign="VIP",
                ),
                suggested(
                    "C8",
                    "V01",
                    2,
                    WA,
                    "Olá, Heitor! Aqui é Bruno, da Loja Centro: uma novidade VIP para você.",
                    campaign="VIP",
                ),
                suggested("C7", "V01", 3, WA, bruno("Gabi"), campaign="A_TODOS"),
                suggested("C10", "V01", 4, WA, bruno("João"), campaign="A_TODOS"),
                suggested("C2", "V01", 5, WA, bruno("Bia"), campaign="A_TODOS"),
            ],
            "outcomes": {
                "C1": outcome("suggested", "V01", "VIP", WA),
                "C8": outcome("suggested", "V01", "VIP", WA),
                "C7": outcome("suggested", "V01", "A_TODOS", WA),
                "C10": outcome("suggested", "V01", "A_TODOS", WA),
                "C2": outcome("suggested", "V01", "A_TODOS", WA),
                "C5": outcome("cut_by_limit", "V01", "A_TODOS", WA),
                "C4": outcome("cut_by_limit", "V01", "A_TODOS", WA),
                "C6": outcome("cut_by_limit", "V01", "A_TODOS", WA),
            },
        },
    )

    people = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"]
    first = dict(
        zip(people, ["Ana", "Bia", "Caio", "Duda", "Edu", "Fabi", "Gabi", "Heitor"], strict=True)
    )
    suggestions(
        "03_campaign_own_quarantine",
        "A campaign's own quarantine (quarantine_days=30) counts from the LATEST contact "
        "about it, or the latest earlier suggestion of it, before 11 May. PROMO (priority 1) "
        "and TODOS (priority 2). C1 had contacts about PROMO on 20 March and 20 April: PROMO "
        "is held until 20 May (from 20 March it would be free since 19 April), so C1 gets "
        "TODOS. C2's only PROMO contact was on 1 April: free since 1 May, PROMO. C3's contact "
        "was about TODOS: it does not hold PROMO. C4 was suggested PROMO on 4 May (and "
        "dismissed it): held until 3 June, TODOS. C5's PROMO suggestion dated 11 May itself "
        "(an earlier generation of the same day) is ignored: PROMO. C6 has PROMO held until "
        "20 May and TODOS until 25 April + 30 = 25 May: quarantined, explained by the first "
        "campaign whose audience matched (PROMO, free on 20 May). Every contact is over 7 "
        "days old, so the policy's quarantine holds nobody. C7 and C8 have no consent at "
        "all; C7 also had a contact about PROMO on 20 April. The explanation is that of PROMO "
        "(the first campaign whose audience matched), its own quarantine before consent: C7 "
        "is quarantined (PROMO, free on 20 May), C8 opted out (PROMO). Unscored, so ids order "
        "each priority: C2, C3, C5, then C1, C4.",
        customers=[person(c, f"{first[c]} Rocha") for c in people],
        assignments=[assign(c, "V01") for c in people],
        campaigns=[
            make_campaign("TODOS", priority=2, first_day=date(2026, 3, 1)),
            make_campaign("PROMO", first_day=date(2026, 3, 1)),
        ],
        consent=[e for c in people[:6] for e in grants(c, WA)],
        contacts=[
            contact(7, sp(2026, 4, 20), customer="C7", campaign="PROMO"),
            contact(1, sp(2026, 3, 20), customer="C1", campaign="PROMO"),
            contact(2, sp(2026, 4, 20), customer="C1", campaign="PROMO"),
            contact(3, sp(2026, 4, 1), customer="C2", campaign="PROMO"),
            contact(4, sp(2026, 4, 20), customer="C3", campaign="TODOS"),
            contact(5, sp(2026, 4, 20), customer="C6", campaign="PROMO"),
            contact(6, sp(2026, 4, 25), customer="C6", campaign="TODOS"),
        ],
        earlier_suggestions=[
            earlier("C4", date(2026, 5, 4), "PROMO", SuggestionStatus.DISMISSED),
            earlier("C5", DAY, "PROMO", SuggestionStatus.PENDING),
        ],
        expected={
            "limits": {"V01": 20},
            "candidates": {"V01": 5},
            "suggestions": [
                suggested("C2", "V01", 1, WA, bruno("Bia"), campaign="PROMO"),
                suggested("C3", "V01", 2, WA, bruno("Caio"), campaign="PROMO"),
                suggested("C5", "V01", 3, WA, bruno("Edu"), campaign="PROMO"),
                suggested("C1", "V01", 4, WA, bruno("Ana"), campaign="TODOS"),
                suggested("C4", "V01", 5, WA, bruno("Duda"), campaign="TODOS"),
            ],
            "outcomes": {
                "C1": outcome("suggested", "V01", "TODOS", WA),
                "C2": outcome("suggested", "V01", "PROMO", WA),
                "C3": outcome("suggested", "V01", "PROMO", WA),
                "C4": outcome("suggested", "V01", "TODOS", WA),
                "C5": outcome("suggested", "V01", "PROMO", WA),
                "C6": outcome("quarantined", "V01", "PROMO", free_on="2026-05-20", rule="campaign"),
                "C7": outcome("quarantined", "V01", "PROMO", free_on="2026-05-20", rule="campaign"),
                "C8": outcome("opted_out", "V01", "PROMO"),
            },
        },
    )

    carla = Seller(code="V02", name="Carla", store_id="L02")
    davi = Seller(code="V03", name="Davi", store_id="L01", status=SellerStatus.INACTIVE)
    fu_tail = FOLLOW_UP_TAIL
    suggestions(
        "04_follow_ups",
        "Follow-ups due on 11 May (TODOS, priority 1, is the only campaign). C1 is V01's but "
        "V02 scheduled the follow-up on 8 May: it goes to V02, ignoring the quarantine of "
        "that contact. C2's follow-up was scheduled by V03, now inactive: it goes to C2's "
        "active seller V01 (follow_up_reassigned). C3's was by V03 and C3's carteira is V03's: "
        "dropped, and C3 is not in an active carteira. C4's follow-up is on SMS without SMS "
        "consent: opted out, and no campaign that day. C5 has three due: V03's (inactive, "
        "finished latest) loses to the active sellers', and of V02's (finished 7 May) and "
        "V01's (finished 8 May) the latest registered wins: V01, contact A7. C6's follow-up is "
        "for tomorrow; its contact of 6 May holds C6 until 13 May. C7's CPF is blocked for "
        "campaigns: blocked, follow-up or not. C8 is in no carteira, but V02's follow-up "
        "makes them V02's. Follow-ups have priority 0 and no score: ids order each list. The "
        "message is the policy's follow_up_message with the receiving seller and store.",
        sellers=[BRUNO, carla, davi],
        stores=[CENTRO, Store(store_id="L02", name="Loja Shopping")],
        customers=[
            person("C1", "Ana Prado"),
            person("C2", "Bia Prado"),
            person("C3", "Caio Prado"),
            person("C4", "Duda Prado"),
            person("C5", "Edu Prado"),
            person("C6", "Fabi Prado"),
            person("C7", "Gabi Prado", cpf=ana_cpf),
            person("C8", "Heitor Prado"),
        ],
        assignments=[
            assign("C1", "V01"),
            assign("C2", "V01"),
            assign("C3", "V03"),
            assign("C4", "V01"),
            assign("C5", "V01"),
            assign("C6", "V01"),
            assign("C7", "V01"),
        ],
        campaigns=[make_campaign("TODOS")],
        consent=[
            e for c in ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8") for e in grants(c, WA)
        ],
        blocks=[block(ana_cpf, sp(2026, 4, 1))],
        contacts=[
            contact(1, sp(2026, 5, 8, 16), customer="C1", seller="V02", follow_up=DAY),
            contact(2, sp(2026, 5, 7, 11), customer="C2", seller="V03", follow_up=DAY),
            contact(3, sp(2026, 5, 7, 15), customer="C3", seller="V03", follow_up=DAY),
            contact(4, sp(2026, 5, 6), customer="C4", channel=SMS, follow_up=DAY),
            contact(5, sp(2026, 5, 9, 17, 50), customer="C5", seller="V03", follow_up=DAY),
            contact(6, sp(2026, 5, 7), customer="C5", seller="V02", follow_up=DAY),
            contact(7, sp(2026, 5, 8), customer="C5", follow_up=DAY),
            contact(8, sp(2026, 5, 6), customer="C6", follow_up=date(2026, 5, 12)),
            contact(9, sp(2026, 5, 8), customer="C7", follow_up=DAY),
            contact(
                10,
                sp(2026, 5, 8, 17),
                customer="C8",
                seller="V02",
                follow_up=DAY,
                in_portfolio=False,
            ),
        ],
        expected={
            "limits": {"V01": 20, "V02": 20},
            "candidates": {"V01": 2, "V02": 2},
            "suggestions": [
                suggested(
                    "C2", "V01", 1, WA, bruno("Bia") + fu_tail, contact_id="A2", reassigned=True
                ),
                suggested("C5", "V01", 2, WA, bruno("Edu") + fu_tail, contact_id="A7"),
                suggested(
                    "C1",
                    "V02",
                    1,
                    WA,
                    "Olá, Ana! Aqui é Carla, da Loja Shopping." + fu_tail,
                    contact_id="A1",
                ),
                suggested(
                    "C8",
                    "V02",
                    2,
                    WA,
                    "Olá, Heitor! Aqui é Carla, da Loja Shopping." + fu_tail,
                    contact_id="A10",
                ),
            ],
            "outcomes": {
                "C1": outcome("suggested", "V02", None, WA),
                "C2": outcome("suggested", "V01", None, WA),
                "C3": outcome("not_in_active_portfolio", "V03"),
                "C4": outcome("opted_out", "V01", None, SMS),
                "C5": outcome("suggested", "V01", None, WA),
                "C6": outcome("quarantined", "V01", free_on="2026-05-13", rule="after_contact"),
                "C7": outcome("blocked", "V01"),
                "C8": outcome("suggested", "V02", None, WA),
            },
        },
    )

    cpfs = {c: valid_cpf(f"{i}{i + 1}{i + 2}456789") for i, c in enumerate(["C1", "C2", "C3"], 1)}
    cpfs.update(
        {
            "C4": valid_cpf("390533447"),
            "C5": valid_cpf("714602380"),
            "C6": valid_cpf("248438034"),
            "C8": valid_cpf("862735190"),
        }
    )
    everyone = ["C1", "C2", "C3", "C4", "C5", "C6", "C7", "C8"]
    suggestions(
        "05_blocked_cpfs",
        "A CPF blocked for campaigns on 11 May is never suggested; the day is read at its end "
        "and only events naming the campaigns feature count. C1: blocked at 15:00 on the day "
        "itself: blocked. C2: blocked for loyalty only: suggested. C3: blocked on 1 April, "
        "unblocked on 1 May: suggested. C4: blocked on 12 May (tomorrow): suggested today. "
        "C5: a block and an unblock at the same instant: the block wins, blocked. C6: "
        "blocked, with a follow-up due today: blocked, follow-up or not. C7 has no CPF: "
        "suggested. C8: blocked for campaigns and conecta, then unblocked for conecta only: "
        "still blocked for campaigns. The four suggested, unscored, are ranked by id.",
        customers=[person(c, f"Cliente {c}", cpf=cpfs.get(c)) for c in everyone],
        assignments=[assign(c, "V01") for c in everyone],
        campaigns=[make_campaign("TODOS")],
        consent=[e for c in everyone for e in grants(c, WA)],
        blocks=[
            block(cpfs["C1"], sp(2026, 5, 11, 15)),
            block(cpfs["C2"], sp(2026, 5, 1), features=[BlockFeature.LOYALTY]),
            block(cpfs["C3"], sp(2026, 4, 1)),
            block(cpfs["C3"], sp(2026, 5, 1), blocked=False),
            block(cpfs["C4"], sp(2026, 5, 12, 9)),
            block(cpfs["C5"], sp(2026, 5, 5)),
            block(cpfs["C5"], sp(2026, 5, 5), blocked=False),
            block(cpfs["C6"], sp(2026, 5, 1)),
            block(
                cpfs["C8"], sp(2026, 4, 1), features=[BlockFeature.CAMPAIGNS, BlockFeature.CONECTA]
            ),
            block(cpfs["C8"], sp(2026, 5, 1), blocked=False, features=[BlockFeature.CONECTA]),
        ],
        contacts=[contact(1, sp(2026, 5, 8), customer="C6", follow_up=DAY)],
        expected={
            "limits": {"V01": 20},
            "candidates": {"V01": 4},
            "suggestions": [
                suggested(c, "V01", rank, WA, bruno("Cliente"), campaign="TODOS")
                for rank, c in enumerate(["C2", "C3", "C4", "C7"], 1)
            ],
            "outcomes": {
                "C1": outcome("blocked", "V01"),
                "C2": outcome("suggested", "V01", "TODOS", WA),
                "C3": outcome("suggested", "V01", "TODOS", WA),
                "C4": outcome("suggested", "V01", "TODOS", WA),
                "C5": outcome("blocked", "V01"),
                "C6": outcome("blocked", "V01"),
                "C7": outcome("suggested", "V01", "TODOS", WA),
                "C8": outcome("blocked", "V01"),
            },
        },
    )

    sms_text = "{primeiro_nome}, novidades na {loja}! {vendedor}"
    seven = ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    first7 = dict(zip(seven, ["Ana", "Bia", "Caio", "Duda", "Edu", "Fabi", "Gabi"], strict=True))
    suggestions(
        "06_consent_and_channels",
        "Consent decides the channel. ZAP (priority 1, whatsapp) and MULTI (priority 2, "
        "whatsapp, sms, email; its own SMS template). C1 consents to e-mail and SMS: no ZAP; "
        "MULTI on the first of its channels with consent, in the campaign's order: sms (the "
        "SMS template). C2, e-mail only: MULTI on email. C3 has no consent event at all "
        "(default: no consent): opted out, explained by ZAP, the first campaign whose audience "
        "matched. C4 opted out of WhatsApp today at 15:00: the whole day counts, opted out. "
        "C5 opted in at 23:59 today (02:59 UTC tomorrow): it counts for today, ZAP. C6 opted "
        "in at 00:00 tomorrow: not today, opted out. C7 has e-mail, and a WhatsApp opt-in and "
        "opt-out at the same instant on 1 May: the revocation wins, MULTI on email. Ranks: "
        "ZAP's C5, then MULTI's C1, C2, C7.",
        customers=[person(c, f"{first7[c]} Teixeira") for c in seven],
        assignments=[assign(c, "V01") for c in seven],
        campaigns=[
            make_campaign(
                "MULTI",
                priority=2,
                channels=[WA, SMS, EMAIL],
                channel_messages={SMS: sms_text},
            ),
            make_campaign("ZAP"),
        ],
        consent=[
            *grants("C1", EMAIL, SMS),
            *grants("C2", EMAIL),
            *grants("C4", WA),
            event("C4", WA, False, sp(2026, 5, 11, 15)),
            event("C5", WA, True, sp(2026, 5, 11, 23, 59), source=ConsentSource.SELLER_APP),
            event("C6", WA, True, sp(2026, 5, 12, 0, 0), source=ConsentSource.SELLER_APP),
            *grants("C7", WA, EMAIL),
            event("C7", WA, True, utc(2026, 5, 1, 15), source=ConsentSource.SELLER_APP),
            event("C7", WA, False, utc(2026, 5, 1, 15)),
        ],
        expected={
            "limits": {"V01": 20},
            "candidates": {"V01": 4},
            "suggestions": [
                suggested("C5", "V01", 1, WA, bruno("Edu"), campaign="ZAP"),
                suggested(
                    "C1", "V01", 2, SMS, "Ana, novidades na Loja Centro! Bruno", campaign="MULTI"
                ),
                suggested("C2", "V01", 3, EMAIL, bruno("Bia"), campaign="MULTI"),
                suggested("C7", "V01", 4, EMAIL, bruno("Gabi"), campaign="MULTI"),
            ],
            "outcomes": {
                "C1": outcome("suggested", "V01", "MULTI", SMS),
                "C2": outcome("suggested", "V01", "MULTI", EMAIL),
                "C3": outcome("opted_out", "V01", "ZAP"),
                "C4": outcome("opted_out", "V01", "ZAP"),
                "C5": outcome("suggested", "V01", "ZAP", WA),
                "C6": outcome("opted_out", "V01", "ZAP"),
                "C7": outcome("suggested", "V01", "MULTI", EMAIL),
            },
        },
    )

    team = [
        BRUNO,
        Seller(code="V02", name="Carla", store_id="L01"),
        Seller(code="V03", name="Davi", store_id="L01"),
        Seller(code="V04", name="Eva", store_id="L01", status=SellerStatus.INACTIVE),
    ]
    owners: dict[str, str | None] = {
        "C01": "V01",
        "C02": "V01",
        "C03": "V01",
        "C04": "V01",
        "C05": "V01",
        "C06": "V02",
        "C07": "V04",
        "C08": "V09",
        "C09": None,
        "C10": "V01",
        "C11": "V01",
    }
    recorded = [c for c in owners if c != "C11"]
    suggestions(
        "07_seller_limits_and_carteiras",
        "Each active seller's limit, with SuggestionLimiter(2, 4) and the default workload "
        "(8 h, 0.25, 6 min). V01 (1 h, 0.25, 5 min): floor(15/5) = 3. V02 (only 0.5 h given; "
        "idle and minutes from the default): floor(7.5/6 = 1.25) = 1, raised to 2. V03 (no "
        "workload): floor(120/6) = 20, lowered to 4. V04 is inactive: no limit. V01's C01..C05 "
        "(v 5..1) are ranked C01, C02, C03 and C04, C05 are cut, and do not move to V03, who "
        "has room but no candidate. V02 gets C06. C07's seller V04 is inactive, C08's V09 is "
        "unknown, C09 is unassigned, C12 is in no carteira: not in an active carteira. C10 "
        "is anonymized. C11 is in V01's carteira without a customer record.",
        sellers=team,
        customers=[person(c, f"Cliente {c}") for c in recorded],
        assignments=[assign(c, s) for c, s in owners.items()],
        rfv=[score(f"C0{i}", 6 - i) for i in range(1, 6)],
        campaigns=[make_campaign("TODOS")],
        consent=[e for c in recorded for e in grants(c, WA)],
        workloads={
            "V01": SellerWorkload(
                hours_worked=1, idle_share=Decimal("0.25"), avg_conversation_minutes=5
            ),
            "V02": SellerWorkload(hours_worked=Decimal("0.5")),
        },
        anonymized=["C10"],
        policy=SuggestionPolicy(limiter=SuggestionLimiter(2, 4)),
        expected={
            "limits": {"V01": 3, "V02": 2, "V03": 4},
            "candidates": {"V01": 5, "V02": 1, "V03": 0},
            "suggestions": [
                suggested("C01", "V01", 1, WA, bruno("Cliente"), campaign="TODOS"),
                suggested("C02", "V01", 2, WA, bruno("Cliente"), campaign="TODOS"),
                suggested("C03", "V01", 3, WA, bruno("Cliente"), campaign="TODOS"),
                suggested(
                    "C06",
                    "V02",
                    1,
                    WA,
                    "Olá, Cliente! Aqui é Carla, da Loja Centro.",
                    campaign="TODOS",
                ),
            ],
            "outcomes": {
                "C01": outcome("suggested", "V01", "TODOS", WA),
                "C02": outcome("suggested", "V01", "TODOS", WA),
                "C03": outcome("suggested", "V01", "TODOS", WA),
                "C04": outcome("cut_by_limit", "V01", "TODOS", WA),
                "C05": outcome("cut_by_limit", "V01", "TODOS", WA),
                "C06": outcome("suggested", "V02", "TODOS", WA),
                "C07": outcome("not_in_active_portfolio", "V04"),
                "C08": outcome("not_in_active_portfolio", "V09"),
                "C09": outcome("not_in_active_portfolio"),
                "C10": outcome("anonymized", "V01"),
                "C11": outcome("no_customer_record", "V01"),
                "C12": outcome("not_in_active_portfolio"),
            },
        },
    )

    five = ["C1", "C2", "C3", "C4", "C5"]
    first5 = dict(zip(five, ["Ana", "Bia", "Caio", "Duda", "Edu"], strict=True))
    suggestions(
        "08_quarantine_local_days",
        "The policy's quarantine (7 days after a contact, and at most 3 contacts in any 30 "
        "days) in São Paulo days, on 11 May. C1's contact at 23:59 on 4 May (02:59 UTC on the "
        "5th) is on day 4: free on 11 May, suggested. C2's at 00:00 on 5 May: held until 12 "
        "May (after_contact). C3 had contacts on 15 April, 25 April and 1 May: three in (11 "
        "April, 11 May], held until 15 April + 30 = 15 May (max_contacts; after_contact freed "
        "them on 8 May). C4's were on 10 April, 25 April and 1 May: only two in the window, "
        "suggested. C5's only contact is on 12 May, after the day: it has not happened, "
        "suggested. Ranked by id: C1, C4, C5.",
        customers=[person(c, f"{first5[c]} Vieira") for c in five],
        assignments=[assign(c, "V01") for c in five],
        campaigns=[make_campaign("TODOS")],
        consent=[e for c in five for e in grants(c, WA)],
        contacts=[
            contact(1, sp(2026, 5, 4, 23, 59), customer="C1"),
            contact(2, sp(2026, 5, 5, 0, 0), customer="C2"),
            contact(3, sp(2026, 4, 15), customer="C3"),
            contact(4, sp(2026, 4, 25), customer="C3"),
            contact(5, sp(2026, 5, 1), customer="C3"),
            contact(6, sp(2026, 4, 10), customer="C4"),
            contact(7, sp(2026, 4, 25), customer="C4"),
            contact(8, sp(2026, 5, 1), customer="C4"),
            contact(9, sp(2026, 5, 12), customer="C5"),
        ],
        policy=SuggestionPolicy(
            quarantine=QuarantinePolicy(days_after_contact=7, max_contacts=3, per_days=30)
        ),
        expected={
            "limits": {"V01": 20},
            "candidates": {"V01": 3},
            "suggestions": [
                suggested("C1", "V01", 1, WA, bruno("Ana"), campaign="TODOS"),
                suggested("C4", "V01", 2, WA, bruno("Duda"), campaign="TODOS"),
                suggested("C5", "V01", 3, WA, bruno("Edu"), campaign="TODOS"),
            ],
            "outcomes": {
                "C1": outcome("suggested", "V01", "TODOS", WA),
                "C2": outcome("quarantined", "V01", free_on="2026-05-12", rule="after_contact"),
                "C3": outcome("quarantined", "V01", free_on="2026-05-15", rule="max_contacts"),
                "C4": outcome("suggested", "V01", "TODOS", WA),
                "C5": outcome("suggested", "V01", "TODOS", WA),
            },
        },
    )

    bday_sms = "{primeiro_nome}, feliz mês do aniversário! Passe na {loja}. {vendedor}"
    suggestions(
        "09_campaign_period_and_audience",
        "Which campaigns run on 11 May: DESLIGADA (switched off), ENCERRADA (ended 10 May) "
        "and FUTURA (starts 12 May) do not, though they have priority 1 and everyone in their "
        "audience. COMPRADORES (priority 2, starts today) and ULTIMO_DIA (priority 2, ends "
        "today) run, both for customers with purchases; they tie on priority and "
        "'COMPRADORES' < 'ULTIMO_DIA'. ANIVERSARIO (priority 1) is for birthdays in May. C1 "
        "(born 20 May, WhatsApp): ANIVERSARIO on whatsapp. C2 (born 3 May, SMS consent only): "
        "ANIVERSARIO on sms with the SMS template. C3 (born in June, bought on 1 May): "
        "COMPRADORES. C4 (no birthday, no purchase) and C5 (whose only order is on 12 May, "
        "after the day): no running campaign has them in its audience.",
        customers=[
            person("C1", "Ana Barros", birth=date(1990, 5, 20)),
            person("C2", "Bia Barros", birth=date(1985, 5, 3)),
            person("C3", "Caio Barros", birth=date(1992, 6, 10)),
            person("C4", "Duda Barros"),
            person("C5", "Edu Barros"),
        ],
        assignments=[assign(c, "V01") for c in five],
        orders=[
            Order(
                order_id="P1",
                customer_id="C3",
                store_id="L01",
                placed_at=sp(2026, 5, 1, 16),
                total=Decimal("199.90"),
                seller_code="V01",
            ),
            Order(
                order_id="P2",
                customer_id="C5",
                store_id="L01",
                placed_at=sp(2026, 5, 12, 11),
                total=Decimal("89.90"),
                seller_code="V01",
            ),
        ],
        campaigns=[
            make_campaign("DESLIGADA", active=False),
            make_campaign("ENCERRADA", first_day=date(2026, 4, 1), last_day=date(2026, 5, 10)),
            make_campaign("FUTURA", first_day=date(2026, 5, 12)),
            make_campaign(
                "ULTIMO_DIA",
                priority=2,
                audience=HasPurchases(),
                first_day=date(2026, 4, 11),
                last_day=DAY,
            ),
            make_campaign("COMPRADORES", priority=2, audience=HasPurchases(), first_day=DAY),
            make_campaign(
                "ANIVERSARIO",
                audience=BirthdayInMonth(),
                channels=[WA, SMS],
                message=birthday,
                channel_messages={SMS: bday_sms},
            ),
        ],
        consent=[
            *grants("C1", WA),
            *grants("C2", SMS),
            *grants("C3", WA),
            *grants("C4", WA),
            *grants("C5", WA),
        ],
        expected={
            "limits": {"V01": 20},
            "candidates": {"V01": 3},
            "suggestions": [
                suggested(
                    "C1",
                    "V01",
                    1,
                    WA,
                    "Feliz aniversário, Ana! Aqui é Bruno, da Loja Centro.",
                    campaign="ANIVERSARIO",
                ),
                suggested(
                    "C2",
                    "V01",
                    2,
                    SMS,
                    "Bia, feliz mês do aniversário! Passe na Loja Centro. Bruno",
                    campaign="ANIVERSARIO",
                ),
                suggested("C3", "V01", 3, WA, bruno("Caio"), campaign="COMPRADORES"),
            ],
            "outcomes": {
                "C1": outcome("suggested", "V01", "ANIVERSARIO", WA),
                "C2": outcome("suggested", "V01", "ANIVERSARIO", SMS),
                "C3": outcome("suggested", "V01", "COMPRADORES", WA),
                "C4": outcome("no_campaign_matched", "V01"),
                "C5": outcome("no_campaign_matched", "V01"),
            },
        },
    )


def main() -> None:
    quarantine_vectors()
    consent_vectors()
    limiter_vectors()
    suggestion_vectors()


if __name__ == "__main__":
    main()
