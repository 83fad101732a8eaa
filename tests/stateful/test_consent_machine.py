"""A consent ledger and a block list, driven by random appends, against plain dict models.

The models keep, per key, the list of ``(instant, status)`` pairs recorded so far
and answer "latest at or before the end of the local day; the restrictive
status wins a tie" by brute force.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from _support.builders import SP
from otocore.blocking import BlockEvent, BlockFeature, BlockList
from otocore.consent import (
    ConsentEvent,
    ConsentLedger,
    ConsentPolicy,
    ConsentSource,
    ContactChannel,
)
from otocore.customers import Cpf

START = date(2026, 5, 1)
DAYS = 6
CUSTOMERS = ("C1", "C2", "C3")
CPFS = {
    c: Cpf.parse(text)
    for c, text in zip(CUSTOMERS, ("52998224725", "11144477735", "39053344705"), strict=True)
}
# a few instants a day, including both sides of local midnight
TIMES = ((0, 0), (2, 59), (12, 0), (15, 0), (23, 59))
INSTANTS = st.builds(
    lambda d, hm: datetime.combine(
        START + timedelta(days=d), datetime.min.time(), tzinfo=SP
    ).replace(hour=hm[0], minute=hm[1]),
    st.integers(0, DAYS - 1),
    st.sampled_from(TIMES),
)


def _end_of(day: date) -> datetime:
    start_next = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=SP)
    return start_next.astimezone(UTC) - timedelta(microseconds=1)


class ConsentAndBlocks(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.policy = ConsentPolicy()
        self.ledger = ConsentLedger(policy=self.policy)
        self.blocks = BlockList()
        self.consent_model: dict[tuple[str, ContactChannel], list[tuple[datetime, bool]]] = {}
        self.block_model: dict[tuple[str, BlockFeature], list[tuple[datetime, bool]]] = {}
        self.recorded = 0

    @rule(
        customer=st.sampled_from(CUSTOMERS),
        channel=st.sampled_from(ContactChannel),
        granted=st.booleans(),
        at=INSTANTS,
        source=st.sampled_from(ConsentSource),
    )
    def consent_change(
        self,
        customer: str,
        channel: ContactChannel,
        granted: bool,
        at: datetime,
        source: ConsentSource,
    ) -> None:
        event = ConsentEvent(
            customer_id=customer,
            channel=channel,
            granted=granted,
            at=at,
            source=source,
            recorded_by="V01",
        )
        self.ledger.record(event)
        self.consent_model.setdefault((customer, channel), []).append((at, granted))
        self.recorded += 1

    @rule(
        customer=st.sampled_from(CUSTOMERS),
        features=st.sets(st.sampled_from(BlockFeature), min_size=1),
        blocked=st.booleans(),
        at=INSTANTS,
    )
    def block_change(
        self, customer: str, features: set[BlockFeature], blocked: bool, at: datetime
    ) -> None:
        self.blocks.record(
            BlockEvent(
                cpf=CPFS[customer], features=features, blocked=blocked, reason="r", by="u", at=at
            )
        )
        for feature in features:
            self.block_model.setdefault((customer, feature), []).append((at, blocked))

    @rule(customer=st.sampled_from(CUSTOMERS), at=INSTANTS)
    def opt_out_during_a_contact(self, customer: str, at: datetime) -> None:
        # the seed's opt-out: from that instant and for the rest of its day, no consent
        self.consent_change(customer, ContactChannel.WHATSAPP, False, at, ConsentSource.SELLER_APP)
        later = [t for t, _ in self.consent_model[(customer, ContactChannel.WHATSAPP)] if t > at]
        if not later:
            day = at.astimezone(SP).date()
            assert not self.ledger.granted(customer, ContactChannel.WHATSAPP, day)
            assert not self.ledger.granted(customer, ContactChannel.WHATSAPP, at)

    @invariant()
    def consent_matches_the_model(self) -> None:
        assert len(self.ledger) == self.recorded
        for offset in range(-1, DAYS + 1):
            day = START + timedelta(days=offset)
            bound = _end_of(day)
            for customer in CUSTOMERS:
                expected = set()
                for channel in ContactChannel:
                    seen = [
                        (t, g)
                        for t, g in self.consent_model.get((customer, channel), [])
                        if t <= bound
                    ]
                    if seen:
                        last = max(t for t, _ in seen)
                        if all(g for t, g in seen if t == last):
                            expected.add(channel)
                assert self.ledger.channels_granted(customer, day) == expected

    @invariant()
    def blocks_match_the_model(self) -> None:
        for offset in range(-1, DAYS + 1):
            day = START + timedelta(days=offset)
            bound = _end_of(day)
            for customer in CUSTOMERS:
                expected = set()
                for feature in BlockFeature:
                    seen = [
                        (t, b)
                        for t, b in self.block_model.get((customer, feature), [])
                        if t <= bound
                    ]
                    if seen:
                        last = max(t for t, _ in seen)
                        if any(b for t, b in seen if t == last):
                            expected.add(feature)
                assert self.blocks.blocked_features(CPFS[customer], day) == expected
                assert self.blocks.blocked_features(CPFS[customer].formatted, day) == expected

    @invariant()
    def rebuilding_from_the_log_gives_the_same_answers(self) -> None:
        assert ConsentLedger.from_events(self.ledger.events(), policy=self.policy) == self.ledger
        assert BlockList.from_events(self.blocks.events()) == self.blocks


TestConsentAndBlocks = ConsentAndBlocks.TestCase
TestConsentAndBlocks.settings = settings(stateful_step_count=25)
pytestmark = pytest.mark.slow  # a long machine: consent and blocks over many days
