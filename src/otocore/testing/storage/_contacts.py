# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of attendance: consent and block logs, contacts, campaigns, suggestions."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.blocking import BlockEvent, BlockFeature
from otocore.campaigns import Campaign, sample_campaigns
from otocore.consent import ConsentEvent, ContactChannel
from otocore.contacts import ConsentChange, Contact, ContactOutcome, FollowUp, SuggestionStatus
from otocore.customers import Cpf
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.filters import (
    AgeBetween,
    AllOf,
    AnyOf,
    BirthdayWithin,
    ConsentOn,
    Filter,
    LastPurchaseBetween,
    Not,
    SegmentIn,
    ValueBetween,
)
from otocore.suggestions import (
    SellerWorkload,
    Suggestion,
    suggestion_id_for,
)
from otocore.testing import (
    block_events,
    consent_events,
    filters,
)
from otocore.testing.storage._builders import (
    ANA_CPF,
    DAY,
    PROPERTY_SETTINGS,
    SP,
    MakeUow,
    _block,
    _campaign,
    _consent,
    _contact,
    _suggestion,
)


class ContactsContract:
    """The contract of the attendance repositories, as a pytest test class to subclass.

    The consent and block logs (append-only, deduplicated by ``event_id``),
    contacts (registered once), campaigns, daily suggestions (never
    overwriting what a seller did) and seller workloads, with Hypothesis round
    trips. Subclass it and define a ``make_uow`` fixture, as for
    :class:`~otocore.testing.storage.UnitOfWorkContract`.

    >>> "test_a_contact_id_is_registered_once" in dir(ContactsContract)
    True
    """

    # consent ------------------------------------------------------------------

    def test_consent_log_comes_back_in_time_order(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        t0 = datetime(2026, 5, 10, 15, 0, tzinfo=SP)
        grant = _consent(when=t0 - timedelta(days=30), by="import")
        opt_out = _consent(granted=False, when=t0)  # "realize o Opt-out no Oto"
        same_instant = _consent(channel=ContactChannel.SMS, when=t0)
        other = _consent("C2", when=t0 - timedelta(days=1))
        with uow:
            assert uow.consent.for_customer("C1") == []
            uow.consent.append(opt_out)
            uow.consent.append_many([same_instant, other])
            uow.consent.append(grant)
            assert uow.consent.for_customer("C1") == [grant, opt_out, same_instant]
        with uow:
            # by instant, then in the order appended
            assert uow.consent.for_customer("C1") == [grant, opt_out, same_instant]
            assert uow.consent.for_customer("C2") == [other]
            everything = uow.consent.iter_all()
            assert not isinstance(everything, list | tuple)
            assert list(everything) == [grant, other, opt_out, same_instant]
            back = uow.consent.for_customer("C1")[1]
            assert back.at == t0
            assert back.at.utcoffset() == timedelta(0)

    def test_consent_events_are_never_replaced_and_event_ids_deduplicate(
        self, make_uow: MakeUow
    ) -> None:
        uow = make_uow()
        imported = _consent(event_id="crm-1", by="import")
        with uow:
            uow.consent.append(imported)
            uow.consent.append(_consent())
            uow.consent.append(_consent())  # no event_id: a second, equal event is kept
        with uow:
            uow.consent.append_many([imported, imported])  # re-running the import
            assert len(uow.consent.for_customer("C1")) == 3
            with pytest.raises(RuleViolation, match="crm-1"):
                uow.consent.append(attrs.evolve(imported, granted=False))
        with pytest.raises(RuleViolation), uow:  # the failed block keeps nothing
            uow.consent.append_many(
                [_consent(event_id="crm-2"), _consent(granted=False, event_id="crm-2")]
            )
        with uow:
            assert [e.event_id for e in uow.consent.for_customer("C1")] == ["crm-1", None, None]

    def test_consent_append_many_is_lazy_and_chunked(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        start = datetime(2026, 1, 1, tzinfo=UTC)
        n = 5_003  # more than one chunk of the SQL adapter

        def generate() -> Iterator[ConsentEvent]:
            for i in range(n):
                yield _consent(f"C{i % 7}", when=start + timedelta(minutes=i), event_id=f"E{i}")
            yield _consent("C0", when=start, event_id="E0")  # repeats the first, a chunk later

        with uow:
            uow.consent.append_many(generate())
        with uow:
            assert sum(1 for _ in uow.consent.iter_all()) == n
            assert len(uow.consent.for_customer("C0")) == len(range(0, n, 7))

    # blocked CPFs -------------------------------------------------------------

    def test_block_log_round_trips_by_cpf_in_time_order(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        t0 = datetime(2026, 5, 10, 15, 0, tzinfo=SP)
        both = frozenset({BlockFeature.LOYALTY, BlockFeature.CAMPAIGNS})
        block = _block(features=both, when=t0, event_id="B1")
        unblock = _block(blocked=False, when=t0 + timedelta(days=22), reason="voltou a aceitar")
        placeholder = _block(Cpf("11111111111", allow_repeated=True), when=t0 - timedelta(hours=1))
        every = frozenset(BlockFeature)
        other = _block(Cpf("11144477735"), features=every, when=t0)
        with uow:
            uow.blocks.append(unblock)
            uow.blocks.append_many([block, placeholder, other, block])
        with uow:
            assert uow.blocks.for_cpf(Cpf.parse("529.982.247-25")) == [block, unblock]
            assert uow.blocks.for_cpf(ANA_CPF)[0].features == both
            assert uow.blocks.for_cpf(Cpf("11111111111", allow_repeated=True)) == [placeholder]
            assert uow.blocks.for_cpf(Cpf("11144477735"))[0].features == every
            assert uow.blocks.for_cpf(Cpf("39053344705")) == []
            # same instant: append order (unblock... then block, other)
            assert list(uow.blocks.iter_all()) == [placeholder, block, other, unblock]
            with pytest.raises(RuleViolation):
                uow.blocks.append(attrs.evolve(block, blocked=False))

    # contacts -----------------------------------------------------------------

    def test_complete_contact_round_trips(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        full = Contact(
            contact_id="A1",
            seller_code="V01",
            customer_id="C1",
            suggestion_id="S1",
            campaign_id="ANIVERSARIO",
            channel=ContactChannel.WHATSAPP,
            started_at=datetime(2026, 5, 10, 23, 59, 59, 123456, tzinfo=SP),
            finished_at=datetime(2026, 5, 11, 0, 12, tzinfo=SP),
            products_offered=["SKU-123", "Vestido azul 38", "SKU-001"],
            follow_up=FollowUp(day=date(2026, 5, 17), note="Chegou o tamanho 38.\nLigar à tarde"),
            consent_change=ConsentChange(channel=ContactChannel.EMAIL, granted=False),
            notes="Cliente prefere WhatsApp; não gosta de e-mail",
            outcome=ContactOutcome.DISMISSED,
            dismiss_reason="Já comprou na loja",
            in_portfolio=False,
            time_zone="America/Manaus",
        )
        bare = _contact("A2")
        with uow:
            uow.contacts.add(full)
            uow.contacts.add(bare)
        with uow:
            back = uow.contacts.get("A1")
            assert back == full
            assert back.products_offered == ("SKU-123", "Vestido azul 38", "SKU-001")
            assert back.started_at == full.started_at
            assert back.local_day == date(2026, 5, 10)
            assert uow.contacts.get("A2") == bare
            assert uow.contacts.count() == 2
            with pytest.raises(NotFound) as info:
                uow.contacts.get("A9")
            assert (info.value.kind, info.value.key) == ("Contact", "A9")

    def test_a_contact_id_is_registered_once(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        first = _contact("A1")
        with uow:
            uow.contacts.add(first)
            with pytest.raises(RuleViolation, match="A1"):
                uow.contacts.add(first)  # even equal: contacts are facts
        with uow, pytest.raises(RuleViolation, match="A1"):
            uow.contacts.add(attrs.evolve(first, customer_id="C2"))
        # a failed add_many may have written part of its input: let the error leave the block
        with pytest.raises(RuleViolation, match="A3"), uow:
            uow.contacts.add_many([_contact("A2"), _contact("A3"), _contact("A3")])
        with pytest.raises(RuleViolation, match="A1"), uow:
            uow.contacts.add_many([_contact("A2"), _contact("A1")])
        with uow:
            assert uow.contacts.count() == 1
            assert uow.contacts.get("A1") == first

    def test_get_many_returns_the_stored_contacts_among_the_ids(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        first, second = _contact("A1"), _contact("A2", customer="C2")
        with uow:
            uow.contacts.add_many([first, second])
        with uow:
            assert uow.contacts.get_many(["A2", "A9", "A1", "A2"]) == {"A1": first, "A2": second}
            assert list(uow.contacts.get_many(iter(["A2", "A1"]))) == ["A1", "A2"]
            assert uow.contacts.get_many([]) == {}
            with pytest.raises(ValidationError, match="contact_ids"):
                uow.contacts.get_many("A1")
            with pytest.raises(ValidationError, match="contact_ids"):
                uow.contacts.get_many([""])
        with uow:  # an uncommitted add is seen by the same block
            uow.contacts.add(_contact("A3"))
            assert set(uow.contacts.get_many(["A3"])) == {"A3"}

    def test_contacts_by_customer_since_and_follow_up(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        t0 = datetime(2026, 5, 10, 14, 0, tzinfo=SP)
        later = _contact("A1", when=t0 + timedelta(days=3), follow_up=date(2026, 5, 20))
        early = _contact("A2", when=t0, follow_up=date(2026, 5, 20))
        tie = _contact("A0", when=t0 + timedelta(days=3))
        elsewhere = _contact("A3", customer="C2", when=t0 - timedelta(days=40))
        due_other_day = _contact("A4", customer="C2", when=t0, follow_up=date(2026, 5, 21))
        with uow:
            uow.contacts.add_many([later, early, tie, elsewhere, due_other_day])
        with uow:
            assert uow.contacts.for_customer("C1") == [early, tie, later]
            assert uow.contacts.for_customer("C9") == []
            since = uow.contacts.iter_since(datetime(2026, 5, 10, 17, 0, tzinfo=UTC))  # 14:00 SP
            assert not isinstance(since, list | tuple)
            assert list(since) == [early, due_other_day, tie, later]
            late = datetime(2026, 5, 10, 17, 0, 0, 1, tzinfo=UTC)
            assert list(uow.contacts.iter_since(late)) == [tie, later]
            assert uow.contacts.follow_ups_due(date(2026, 5, 20)) == [early, later]
            assert uow.contacts.follow_ups_due(date(2026, 5, 21)) == [due_other_day]
            assert uow.contacts.follow_ups_due(date(2026, 5, 19)) == []

    def test_started_frame_holds_the_range_of_contacts_exactly(self, make_uow: MakeUow) -> None:
        import polars as pl

        uow = make_uow()
        edge = datetime(2026, 5, 10, 23, 59, 59, 999999, tzinfo=SP)
        dismissed = attrs.evolve(
            _contact("A2", customer="C2", when=edge),
            outcome=ContactOutcome.DISMISSED,
            dismiss_reason="Cliente não respondeu",
            suggestion_id="S1",
        )
        with uow:
            uow.contacts.add_many(
                [
                    _contact("A1", when=datetime(2026, 5, 9, tzinfo=UTC)),  # since: inclusive
                    dismissed,
                    _contact("A3", when=edge + timedelta(microseconds=1)),  # until: exclusive
                    _contact("A4", when=datetime(2026, 5, 8, 23, 59, 59, 999999, tzinfo=UTC)),
                ]
            )
        with uow:
            frame = uow.contacts.started_frame(
                since=datetime(2026, 5, 8, 21, tzinfo=SP), until=edge + timedelta(microseconds=1)
            )
            none = uow.contacts.started_frame(since=edge, until=edge)
        instant = pl.Datetime("us", "UTC")
        schema: dict[str, Any] = {
            "contact_id": pl.String,
            "seller_code": pl.String,
            "customer_id": pl.String,
            "started_at": instant,
            "outcome": pl.String,
        }
        assert frame.schema == pl.Schema(schema)
        assert sorted(frame.rows()) == [
            ("A1", "V01", "C1", datetime(2026, 5, 9, tzinfo=UTC), "finished"),
            ("A2", "V01", "C2", edge.astimezone(UTC), "dismissed"),
        ]
        assert none.schema == pl.Schema(schema)
        assert none.height == 0
        with uow, pytest.raises(ValidationError, match="since"):
            uow.contacts.started_frame(since=datetime(2026, 5, 8), until=edge)  # noqa: DTZ001

    def test_days_frame_holds_the_suggestions_of_the_days(self, make_uow: MakeUow) -> None:
        import polars as pl

        uow = make_uow()
        days = [date(2026, 5, 9), date(2026, 5, 10), date(2026, 5, 11), date(2026, 5, 12)]
        with uow:
            for day in days:
                found = [_suggestion("C1", 1, day=day), _suggestion("C2", 2, day=day, seller="V02")]
                uow.suggestions.save_day(day, found)
        with uow:
            frame = uow.suggestions.days_frame(days[1], days[2])
            none = uow.suggestions.days_frame(days[3], days[2])
        schema = pl.Schema({"day": pl.Date, "seller_code": pl.String})
        assert frame.schema == schema
        assert sorted(frame.rows()) == [
            (days[1], "V01"),
            (days[1], "V02"),
            (days[2], "V01"),
            (days[2], "V02"),
        ]
        assert none.schema == schema
        assert none.height == 0
        with uow, pytest.raises(ValidationError, match="first"):
            uow.suggestions.days_frame("2026-05-10", days[2])  # type: ignore[arg-type]

    # campaigns ----------------------------------------------------------------

    def test_complete_campaign_round_trips(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        audience = AllOf(
            [
                AnyOf([SegmentIn(["at_risk", "hibernating"]), BirthdayWithin(days_after=7)]),
                Not(AgeBetween(max=17)),
                ValueBetween(min=Decimal("199.90"), max=Decimal("1000.05")),
                LastPurchaseBetween(start=date(2025, 11, 1), end=date(2026, 2, 28)),
                ConsentOn([ContactChannel.EMAIL, ContactChannel.SMS]),
            ]
        )
        campaign = Campaign(
            campaign_id="RECONQUISTA",
            name="Reconquista: clientes em risco",
            priority=3,
            first_day=date(2026, 5, 1),
            last_day=date(2026, 5, 31),
            audience=audience,
            channels=[ContactChannel.EMAIL, ContactChannel.WHATSAPP],
            message="Olá, {primeiro_nome}! Aqui é {vendedor}, da {loja}. {{novidades}}",
            channel_messages={ContactChannel.EMAIL: "Olá, {primeiro_nome},\n\nsentimos sua falta!"},
            quarantine_days=45,
            active=False,
        )
        with uow:
            uow.campaigns.add(campaign)
        with uow:
            back = uow.campaigns.get("RECONQUISTA")
            assert back == campaign
            assert back.audience == audience
            assert back.channels == (ContactChannel.EMAIL, ContactChannel.WHATSAPP)
            with pytest.raises(NotFound) as info:
                uow.campaigns.get("NATAL")
            assert (info.value.kind, info.value.key) == ("Campaign", "NATAL")

    def test_campaigns_upsert_and_list_by_priority_then_id(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            assert uow.campaigns.list() == []
            assert uow.suggestions.days() == []
            assert uow.workloads.all() == {}
            uow.campaigns.add(_campaign("B", 2))
            uow.campaigns.add(_campaign("C", 1, active=False))
            uow.campaigns.add(_campaign("A", 2))
            uow.campaigns.add(_campaign("Z", 10))
            uow.campaigns.add(_campaign("Z", 1))  # the same id: replaced
        with uow:
            assert [c.campaign_id for c in uow.campaigns.list()] == ["C", "Z", "A", "B"]
            assert [c.campaign_id for c in uow.campaigns.list(active=True)] == ["Z", "A", "B"]
            assert [c.campaign_id for c in uow.campaigns.list(active=False)] == ["C"]
            assert uow.campaigns.get("Z").priority == 1
            for sample in sample_campaigns():
                uow.campaigns.add(sample)
            assert uow.campaigns.get("POS_VENDA_30") == sample_campaigns()[1]

    # daily suggestions --------------------------------------------------------

    def test_suggestions_of_a_day_are_listed_with_filters(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        follow_up = _suggestion("C5", 1, campaign=None)
        bday = _suggestion("C2", 2)
        win_back = _suggestion("C1", 3, campaign="RECONQUISTA")
        other_seller = _suggestion("C3", 1, seller="V02")
        next_day = _suggestion("C1", 1, day=DAY + timedelta(days=1))
        with uow:
            assert uow.suggestions.days() == []
            assert uow.suggestions.list_day(DAY) == []
            uow.suggestions.save_day(DAY, [win_back, other_seller, bday, follow_up])
            uow.suggestions.save_day(DAY + timedelta(days=1), [next_day])
        with uow:
            assert uow.suggestions.list_day(DAY) == [follow_up, bday, win_back, other_seller]
            assert uow.suggestions.list_day(DAY, seller_code="V02") == [other_seller]
            assert uow.suggestions.list_day(DAY, campaign_id="ANIVERSARIO") == [
                bday,
                other_seller,
            ]
            pending = uow.suggestions.list_day(
                DAY, seller_code="V01", status=SuggestionStatus.PENDING
            )
            assert pending == [follow_up, bday, win_back]
            assert uow.suggestions.list_day(DAY, status=SuggestionStatus.FINISHED) == []
            assert uow.suggestions.get("2026-05-10:C5") == follow_up
            assert uow.suggestions.days() == [DAY, DAY + timedelta(days=1)]
            assert uow.suggestions.for_customer("C1") == [win_back, next_day]
            assert uow.suggestions.for_customer("C9") == []
            stream = uow.suggestions.iter_days(DAY - timedelta(days=7), DAY)
            assert not isinstance(stream, list | tuple)
            assert list(stream) == [follow_up, bday, win_back, other_seller]
            both = uow.suggestions.iter_days(DAY, DAY + timedelta(days=1))
            assert [s.suggestion_id for s in both][-1] == "2026-05-11:C1"
            assert (
                list(uow.suggestions.iter_days(DAY + timedelta(days=2), DAY + timedelta(days=9)))
                == []
            )
            with pytest.raises(NotFound) as info:
                uow.suggestions.get("2026-05-10:C9")
            assert (info.value.kind, info.value.key) == ("Suggestion", "2026-05-10:C9")

    def test_saving_a_day_again_never_overwrites_what_a_seller_did(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        first = [_suggestion("C1", 1), _suggestion("C2", 2), _suggestion("C3", 3)]
        elsewhere = _suggestion("C1", 1, day=DAY - timedelta(days=1))
        with uow.writing():
            uow.suggestions.save_day(DAY - timedelta(days=1), [elsewhere])
            uow.suggestions.save_day(DAY, first)
            started = uow.suggestions.set_status("2026-05-10:C1", SuggestionStatus.STARTED)
            dismissed = uow.suggestions.set_status("2026-05-10:C2", SuggestionStatus.DISMISSED)
        # generated again (a campaign changed): new seller, message and ranks
        again = [
            _suggestion("C4", 1, seller="V02"),
            _suggestion("C1", 2, seller="V02", message="Outra mensagem"),
            _suggestion("C2", 3, seller="V02"),
        ]
        with uow:
            uow.suggestions.save_day(DAY, again)
        with uow:
            assert uow.suggestions.list_day(DAY) == [started, dismissed, again[0]]
            assert uow.suggestions.get("2026-05-10:C1").message == first[0].message
            uow.suggestions.save_day(DAY, again)  # idempotent
            assert uow.suggestions.list_day(DAY) == [started, dismissed, again[0]]
            uow.suggestions.save_day(DAY, [])  # clears only what is pending
            assert uow.suggestions.list_day(DAY) == [started, dismissed]
            assert uow.suggestions.list_day(DAY - timedelta(days=1)) == [elsewhere]

    def test_suggestion_status_moves_and_pending_ones_are_deleted(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.suggestions.save_day(DAY, [_suggestion(f"C{i}", i) for i in range(1, 5)])
        with uow.writing():
            now = uow.suggestions.get("2026-05-10:C1")
            moved = uow.suggestions.set_status(
                now.suggestion_id, SuggestionStatus.STARTED, expected=now.status
            )
            assert moved == attrs.evolve(now, status=SuggestionStatus.STARTED)
            assert uow.suggestions.get("2026-05-10:C1") == moved
        with uow:
            # a compare-and-set that lost: someone else moved it meanwhile
            with pytest.raises(RuleViolation, match="started"):
                uow.suggestions.set_status(
                    "2026-05-10:C1", SuggestionStatus.DISMISSED, expected=SuggestionStatus.PENDING
                )
            assert uow.suggestions.get("2026-05-10:C1").status is SuggestionStatus.STARTED
            finished = uow.suggestions.set_status("2026-05-10:C1", SuggestionStatus.FINISHED)
            assert finished.status is SuggestionStatus.FINISHED
            with pytest.raises(NotFound):
                uow.suggestions.set_status("2026-05-10:C9", SuggestionStatus.STARTED)
            with pytest.raises(NotFound):
                uow.suggestions.set_status(
                    "2026-05-10:C9", SuggestionStatus.STARTED, expected=SuggestionStatus.PENDING
                )
        with uow:
            assert uow.suggestions.delete_pending(DAY) == 3
            assert uow.suggestions.delete_pending(DAY) == 0
            assert uow.suggestions.list_day(DAY) == [finished]
            assert uow.suggestions.days() == [DAY]

    def test_save_day_refuses_other_days_and_repeated_customers(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with pytest.raises(ValidationError, match=r"suggestions\[1\]\.day"), uow:
            uow.suggestions.save_day(
                DAY, [_suggestion("C1", 1), _suggestion("C2", 1, day=date(2026, 5, 11))]
            )
        with pytest.raises(ValidationError, match="once a day"), uow:
            uow.suggestions.save_day(
                DAY, [_suggestion("C1", 1), _suggestion("C1", 2, seller="V02")]
            )
        with uow:
            assert uow.suggestions.days() == []

    # seller workloads ---------------------------------------------------------

    def test_seller_workloads_round_trip_exactly(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        full = SellerWorkload(
            hours_worked=Decimal("7.5"),
            idle_share=Decimal("0.125"),
            avg_conversation_minutes=Decimal("4.50"),
        )
        partial = SellerWorkload(hours_worked=4)
        with uow:
            assert uow.workloads.all() == {}
            uow.workloads.set("V02", partial)
            uow.workloads.set("V01", SellerWorkload())
            uow.workloads.set("V01", full)
        with uow:
            assert uow.workloads.get("V01") == full
            assert uow.workloads.get("V01").avg_conversation_minutes == Decimal("4.50")  # type: ignore[union-attr]
            assert uow.workloads.get("V02") == partial
            assert uow.workloads.get("V03") is None
            assert list(uow.workloads.all().items()) == [("V01", full), ("V02", partial)]
            uow.workloads.delete("V02")
            uow.workloads.delete("V09")
        with uow:
            assert uow.workloads.all() == {"V01": full}

    # properties ---------------------------------------------------------------

    @PROPERTY_SETTINGS
    @given(
        events=st.lists(consent_events(), max_size=12, unique_by=lambda e: e.event_id or object()),
        split=st.integers(0, 12),
    )
    def test_consent_log_round_trip(
        self, make_uow: MakeUow, events: list[ConsentEvent], split: int
    ) -> None:
        uow = make_uow()
        with uow:
            for event in events[:split]:
                uow.consent.append(event)
            uow.consent.append_many(events[split:])
        by_time = sorted(events, key=lambda e: e.at)  # stable: ties keep the append order
        with uow:
            assert list(uow.consent.iter_all()) == by_time
            for customer in {e.customer_id for e in events}:
                mine = [e for e in by_time if e.customer_id == customer]
                assert uow.consent.for_customer(customer) == mine

    @PROPERTY_SETTINGS
    @given(events=st.lists(block_events(), max_size=10, unique_by=lambda e: e.event_id or object()))
    def test_block_log_round_trip(self, make_uow: MakeUow, events: list[BlockEvent]) -> None:
        uow = make_uow()
        with uow:
            uow.blocks.append_many(events)
        by_time = sorted(events, key=lambda e: e.at)
        with uow:
            assert list(uow.blocks.iter_all()) == by_time
            for cpf in {e.cpf for e in events}:
                assert uow.blocks.for_cpf(cpf) == [e for e in by_time if e.cpf == cpf]

    @PROPERTY_SETTINGS
    @given(
        audiences=st.lists(filters(max_leaves=6), min_size=1, max_size=3),
        priorities=st.lists(st.integers(1, 3), min_size=3, max_size=3),
    )
    def test_campaigns_round_trip(
        self, make_uow: MakeUow, audiences: list[Filter], priorities: list[int]
    ) -> None:
        uow = make_uow()
        made = [
            attrs.evolve(_campaign(f"K{i}", priorities[i]), audience=audience)
            for i, audience in enumerate(audiences)
        ]
        with uow:
            for campaign in made:
                uow.campaigns.add(campaign)
        with uow:
            assert uow.campaigns.list() == sorted(made, key=lambda c: (c.priority, c.campaign_id))

    @PROPERTY_SETTINGS
    @given(
        steps=st.lists(
            st.one_of(
                st.tuples(
                    st.just("save"),
                    st.sampled_from([DAY, DAY + timedelta(days=1)]),
                    st.lists(st.sampled_from(["C1", "C2", "C3", "C4"]), unique=True),
                ),
                st.tuples(
                    st.just("act"),
                    st.sampled_from([DAY, DAY + timedelta(days=1)]),
                    st.sampled_from(["C1", "C2", "C3", "C4"]),
                ),
            ),
            max_size=8,
        ),
    )
    def test_regenerated_days_never_lose_what_sellers_did(
        self, make_uow: MakeUow, steps: list[tuple[str, date, object]]
    ) -> None:
        uow = make_uow()
        model: dict[str, Suggestion] = {}
        for n, (op, day, arg) in enumerate(steps):
            with uow.writing():
                if op == "save":
                    assert isinstance(arg, list)
                    new = [
                        _suggestion(c, rank, day=day, seller=f"V{n % 2}")
                        for rank, c in enumerate(arg, 1)
                    ]
                    uow.suggestions.save_day(day, new)
                    model = {
                        k: s
                        for k, s in model.items()
                        if s.day != day or s.status is not SuggestionStatus.PENDING
                    }
                    for s in new:
                        model.setdefault(s.suggestion_id, s)
                else:
                    key = suggestion_id_for(day, str(arg))
                    if key in model:
                        done = uow.suggestions.set_status(key, SuggestionStatus.FINISHED)
                        model[key] = done
        with uow:
            for day in (DAY, DAY + timedelta(days=1)):
                expected = sorted(
                    (s for s in model.values() if s.day == day),
                    key=lambda s: (s.seller_code, s.rank, s.suggestion_id),
                )
                assert uow.suggestions.list_day(day) == expected
