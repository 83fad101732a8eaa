"""``explain_customer`` on a generated day reads the stored answer; on other days it plans one customer.

The brand is test_attendance's (four customers of V01: C1 and C2 suggested, C3 without
consent, C4 blocked), in memory and in an SQLite file.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.attendance import (
    AttendancePolicy,
    explain_customer,
    generate_suggestions,
    register_contact,
)
from otocore.consent import ContactChannel
from otocore.contacts import ConsentChange, Contact, SuggestionStatus
from otocore.distribution import SuggestionLimiter
from otocore.errors import ValidationError
from otocore.portfolio import PortfolioAssignment
from otocore.repositories import UnitOfWork
from otocore.suggestions import SuggestionOutcome, SuggestionPolicy
from unit.test_attendance import DAY, _brand, _brand_units  # the same brand


@pytest.fixture(params=["memory", "sqlite"])
def uow(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[UnitOfWork]:
    yield from _brand_units(request.param, tmp_path)


def _opt_out(customer: str) -> Contact:
    start = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)
    return Contact(
        contact_id="K-OUT",
        seller_code="V01",
        customer_id=customer,
        channel=ContactChannel.WHATSAPP,
        started_at=start,
        finished_at=start + timedelta(minutes=5),
        consent_change=ConsentChange(channel=ContactChannel.WHATSAPP, granted=False),
        in_portfolio=True,
    )


def test_generating_a_day_stores_every_customers_answer(uow: UnitOfWork) -> None:
    plan = generate_suggestions(uow, DAY)
    with uow:
        assert uow.outcomes.days() == [DAY]
        assert uow.outcomes.count(DAY) == 4
        stored = {cid: uow.outcomes.get(DAY, cid) for cid in ("C1", "C2", "C3", "C4")}
    assert stored == {cid: plan.explain(cid) for cid in stored}
    assert stored["C2"] is not None
    assert stored["C2"].suggestion == plan.suggestion_for("C2")
    assert [stored[c].outcome for c in ("C3", "C4")] == [  # type: ignore[union-attr]
        SuggestionOutcome.OPTED_OUT,
        SuggestionOutcome.BLOCKED,
    ]
    for cid, answer in stored.items():
        assert explain_customer(uow, cid, DAY) == answer


def test_the_stored_answer_is_what_the_day_decided_and_replan_is_today(uow: UnitOfWork) -> None:
    plan = generate_suggestions(uow, DAY)
    first = plan.for_seller("V01")[0]
    register_contact(uow, _opt_out(first.customer_id))  # after the day was generated
    stored = explain_customer(uow, first.customer_id, DAY)
    assert stored.outcome is SuggestionOutcome.SUGGESTED
    assert stored.suggestion == first  # as planned: pending
    with uow:
        assert uow.suggestions.get(first.suggestion_id).status is SuggestionStatus.PENDING
    now = explain_customer(uow, first.customer_id, DAY, replan=True)
    assert now.outcome is SuggestionOutcome.QUARANTINED  # the contact, today
    assert now.detail == f"in quarantine (after_contact) until {DAY + timedelta(days=7)}"
    # generating the day again makes today's answer the stored one
    generate_suggestions(uow, DAY)
    assert explain_customer(uow, first.customer_id, DAY) == now


def test_a_customer_the_day_did_not_know_is_in_no_carteira(uow: UnitOfWork) -> None:
    generate_suggestions(uow, DAY)
    with uow:
        uow.portfolio.set(
            PortfolioAssignment.unassigned("C77", since=DAY)  # known only after generation
        )
    answer = explain_customer(uow, "C77", DAY)
    assert answer.outcome is SuggestionOutcome.NOT_IN_ACTIVE_PORTFOLIO
    assert answer.detail == "C77 is in no carteira"
    assert explain_customer(uow, "C77", DAY, replan=True).detail == (
        "C77 is unassigned (in nobody's carteira)"
    )


def test_a_day_not_generated_is_planned_for_the_customer_alone(uow: UnitOfWork) -> None:
    tomorrow = DAY + timedelta(days=1)
    generate_suggestions(uow, DAY)
    same_brand = InMemoryUnitOfWork()
    _brand(same_brand)
    generate_suggestions(same_brand, DAY)
    plan = generate_suggestions(same_brand, tomorrow)  # the whole brand's plan of that day
    for cid in ("C1", "C2", "C3", "C4", "C9"):
        assert explain_customer(uow, cid, tomorrow) == plan.explain(cid)
    with uow:
        assert uow.outcomes.days() == [DAY]  # explaining writes nothing


def test_the_limits_cut_is_explained_the_same_stored_or_planned(uow: UnitOfWork) -> None:
    one = AttendancePolicy(suggestions=SuggestionPolicy(limiter=SuggestionLimiter(1, 1)))
    planned = explain_customer(uow, "C1", DAY, one)  # not generated yet: planned
    assert planned.outcome is SuggestionOutcome.CUT_BY_LIMIT
    assert planned.detail == (
        f"cut by the limit: V01 gets 1 suggestions on {DAY} and 2 customers were candidates"
    )
    generate_suggestions(uow, DAY, one)
    assert explain_customer(uow, "C1", DAY) == planned  # stored


class _Boom(RuntimeError):
    pass


class _FailingOutcomes:
    """A unit of work whose outcome store fails after the day's suggestions were saved."""

    def __init__(self, inner: UnitOfWork) -> None:
        self._inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __enter__(self) -> Any:
        return self._inner.__enter__()

    def __exit__(self, *exc: Any) -> None:
        self._inner.__exit__(*exc)

    def writing(self) -> Any:
        return self._inner.writing()

    @property
    def outcomes(self) -> Any:
        return self

    def save_day(self, day: Any, explanations: Any) -> None:
        for n, _ in enumerate(explanations):
            if n == 2:
                raise _Boom("disk full")


def test_a_failure_storing_outcomes_leaves_the_day_as_before(uow: UnitOfWork) -> None:
    one = AttendancePolicy(suggestions=SuggestionPolicy(limiter=SuggestionLimiter(1, 1)))
    generate_suggestions(uow, DAY, one)
    with uow:
        before = (uow.suggestions.list_day(DAY), [uow.outcomes.get(DAY, c) for c in ("C1", "C2")])
    with pytest.raises(_Boom):
        generate_suggestions(_FailingOutcomes(uow), DAY)  # type: ignore[arg-type]
    with uow:
        after = (uow.suggestions.list_day(DAY), [uow.outcomes.get(DAY, c) for c in ("C1", "C2")])
    assert after == before  # neither the new suggestions nor any outcome were kept


def test_bad_arguments(uow: UnitOfWork) -> None:
    with pytest.raises(ValidationError, match=r"^replan must be True or False, got 'yes'"):
        explain_customer(uow, "C1", DAY, replan="yes")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^customer_id must"):
        explain_customer(uow, "", DAY)
    with pytest.raises(ValidationError, match=r"^day must be a datetime\.date"):
        explain_customer(uow, "C1", "2026-06-01")  # type: ignore[arg-type]
