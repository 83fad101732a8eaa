"""The SAC desk against a model: edits (valid and bad), history reads, requests opened and
answered, the clock moving on.

Two customers in a memory store with log keys. Each step edits a field (a value that may be
valid or not; a refused edit must change nothing), reads a history, opens or answers a
request, or moves the clock. After every step: each customer's stored record is the replay of
its history onto its first record; the history only grew, by one entry per changed field; the
data-access log holds one entry per history read; the open requests are the model's, and the
overdue ones are the rule's.
"""

from __future__ import annotations

from datetime import timedelta

from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from _support.sac import sac_world
from otocore.customers import Customer
from otocore.errors import RuleViolation, ValidationError
from otocore.history import HistoryReason
from otocore.importing import to_cells
from otocore.privacy import (
    EDITABLE_FIELDS,
    DataSubjectRequest,
    RequestKind,
    RequestOutcome,
    overdue_requests,
    replay_history,
)
from otocore.testing import customers

IDS = ("C1", "C2")
_VALUES = st.one_of(
    customers().map(to_cells).flatmap(lambda cells: st.sampled_from(sorted(cells.items()))),
    st.tuples(
        st.sampled_from(EDITABLE_FIELDS),
        st.sampled_from(["", "x", "529.982.247-24", "ana@", "12345", "2999-01-01", "Prata"]),
    ),
).filter(lambda pair: pair[0] in EDITABLE_FIELDS)


class SacMachine(RuleBasedStateMachine):
    @initialize(
        first=st.tuples(customers(customer_id=st.just("C1")), customers(customer_id=st.just("C2")))
    )
    def start(self, first: tuple[Customer, Customer]) -> None:
        self.world = sac_world()
        self.world.add(*first)
        self.first = {c.customer_id: c for c in first}
        self.lengths = dict.fromkeys(IDS, 0)
        self.reads = 0
        self.open: dict[str, DataSubjectRequest] = {}

    def _stored(self, customer_id: str) -> Customer:
        with self.world.db.unit_of_work() as uow:
            return uow.customers.get(customer_id)

    def _history_length(self, customer_id: str) -> int:
        with self.world.db.unit_of_work() as uow:
            return len(uow.customer_history.for_customer(customer_id))

    @rule(
        customer_id=st.sampled_from(IDS),
        edit=_VALUES,
        reason=st.sampled_from(HistoryReason),
    )
    def edit(self, customer_id: str, edit: tuple[str, str | None], reason: HistoryReason) -> None:
        field, value = edit
        before = self._stored(customer_id)
        try:
            result = self.world.service.edit_customer(
                self.world.sac, customer_id, field, value, reason=reason
            )
        except (ValidationError, RuleViolation):
            assert self._stored(customer_id) == before
            assert self._history_length(customer_id) == self.lengths[customer_id]
            return
        assert self._stored(customer_id) == result.customer
        assert {e.field for e in result.entries} <= set(EDITABLE_FIELDS)
        self.lengths[customer_id] += len(result.entries)

    @rule(customer_id=st.sampled_from(IDS))
    def read_history(self, customer_id: str) -> None:
        entries = self.world.service.customer_history(self.world.admin, customer_id)
        self.reads += 1
        assert [e.sequence for e in entries] == sorted(e.sequence for e in entries)

    @rule(customer_id=st.sampled_from(IDS), kind=st.sampled_from(RequestKind))
    def open_request(self, customer_id: str, kind: RequestKind) -> None:
        request = self.world.service.open_request(self.world.sac, customer_id, kind)
        assert request.request_id not in self.open
        self.open[request.request_id] = request

    @rule(data=st.data(), outcome=st.sampled_from(RequestOutcome))
    def answer(self, data: st.DataObject, outcome: RequestOutcome) -> None:
        if not self.open:
            return
        request_id = data.draw(st.sampled_from(sorted(self.open)))
        done = self.world.service.answer_request(
            self.world.sac, request_id, outcome=outcome, answer="resposta"
        )
        assert not done.is_open
        del self.open[request_id]
        try:
            self.world.service.answer_request(
                self.world.sac, request_id, outcome=outcome, answer="outra"
            )
        except RuleViolation:
            pass
        else:
            raise AssertionError("a request was answered twice")

    @rule(days=st.integers(0, 20), hours=st.integers(0, 23))
    def wait(self, days: int, hours: int) -> None:
        self.world.clock.advance(timedelta(days=days, hours=hours))

    @invariant()
    def each_record_is_its_history_replayed(self) -> None:
        for customer_id in IDS:
            with self.world.db.unit_of_work() as uow:
                entries = uow.customer_history.for_customer(customer_id)
                stored = uow.customers.get(customer_id)
            assert len(entries) == self.lengths[customer_id]
            assert replay_history(self.first[customer_id], entries) == stored

    @invariant()
    def every_history_read_is_logged(self) -> None:
        with self.world.db.unit_of_work() as uow:
            assert uow.access_log.count() == self.reads

    @invariant()
    def the_open_and_overdue_requests_are_the_models(self) -> None:
        listed = self.world.service.open_requests(self.world.admin)
        assert {r.request_id for r in listed} == set(self.open)
        now = self.world.clock.now()
        assert self.world.service.overdue_requests(self.world.admin) == overdue_requests(
            self.open.values(), as_of=now
        )


TestSacMachine = SacMachine.TestCase
TestSacMachine.settings = settings(stateful_step_count=15, deadline=None)
