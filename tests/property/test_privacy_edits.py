"""Invariants of the SAC edit and its history (issue 15, "Tests"): the history replays to the
current record; an edit with a bad value changes nothing and names the field."""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support.sac import NOW, SacWorld, sac_world
from otocore.customers import Customer
from otocore.errors import RuleViolation, ValidationError
from otocore.history import HistoryReason
from otocore.importing import to_cells
from otocore.privacy import EDITABLE_FIELDS, replay_history, unwind_history
from otocore.testing import customers

TODAY = date(2026, 11, 2)  # NOW's local day in São Paulo
_FIRST = customers(customer_id=st.just("C1"))


@st.composite
def _edits(draw: st.DrawFn) -> tuple[str, str | None]:
    """A field and a value: a valid one (another customer's cell, or clearing), sometimes not."""
    field = draw(st.sampled_from(EDITABLE_FIELDS))
    donor = to_cells(draw(customers()))
    value = draw(st.sampled_from([donor[field], None, ""]) | st.just(donor[field]))
    return field, value


def _state(world: SacWorld) -> tuple[Customer, list[object]]:
    with world.db.unit_of_work() as uow:
        return uow.customers.get("C1"), list(uow.customer_history.for_customer("C1"))


@given(_FIRST, st.lists(_edits(), max_size=8), st.sampled_from(HistoryReason))
def test_the_history_replays_to_the_current_record(
    first: Customer, edits: list[tuple[str, str | None]], reason: HistoryReason
) -> None:
    world = sac_world()
    world.add(first)
    for field, value in edits:
        before = _state(world)
        try:
            world.service.edit_customer(world.sac, "C1", field, value, reason=reason)
        except (ValidationError, RuleViolation):
            assert _state(world) == before  # a refused edit changes nothing
    stored, _ = _state(world)
    history = world.service.customer_history(world.admin, "C1")
    assert replay_history(first, history) == stored
    assert unwind_history(stored, history) == first  # the earliest known values
    assert all(e.reason is reason and e.at == NOW for e in history)
    assert all(e.old_value != e.new_value for e in history)


def _bad_cpfs() -> st.SearchStrategy[str]:
    wrong_digit = st.from_regex(r"[0-9]{9}", fullmatch=True).map(lambda nine: nine + "00")
    return st.sampled_from(["123", "529.982.247-24", "5299822472a", "000.000.000-00"]) | (
        wrong_digit.filter(lambda text: not _valid_cpf(text))
    )


def _valid_cpf(text: str) -> bool:
    from otocore.customers import Cpf

    try:
        Cpf.parse(text)
    except ValidationError:
        return False
    return True


_BAD = st.one_of(
    st.tuples(st.just("cpf"), _bad_cpfs()),
    st.tuples(
        st.just("email"),
        st.sampled_from(["ana", "ana@", "@example.com", "ana@@example.com", "ana example@x.com"]),
    ),
    st.tuples(
        st.just("mobile"),
        st.sampled_from(["12345", "(11) 8765-432", "(11) 98765-43210", "abc"])
        | st.from_regex(r"[0-9]{1,7}", fullmatch=True),
    ),
    st.tuples(
        st.just("birth_date"),
        st.integers(1, 20_000).map(lambda n: (TODAY + timedelta(days=n)).isoformat()),
    ),
)


@given(_FIRST, _BAD, st.lists(_edits(), max_size=3))
def test_an_edit_with_a_bad_value_changes_nothing_and_names_the_field(
    first: Customer, bad: tuple[str, str], earlier: list[tuple[str, str | None]]
) -> None:
    world = sac_world()
    world.add(first)
    for field, value in earlier:  # some history first, so "nothing" is not trivially empty
        with contextlib.suppress(ValidationError, RuleViolation):
            world.service.edit_customer(world.sac, "C1", field, value, reason=HistoryReason.IMPORT)
    before = _state(world)
    field, value = bad
    with pytest.raises(ValidationError) as caught:
        world.service.edit_customer(world.sac, "C1", field, value, reason=HistoryReason.SAC_CALL)
    assert {e.field for e in caught.value.errors} == {field}
    assert repr(value) in str(caught.value)
    assert _state(world) == before
