# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of a generated day's outcomes (``OutcomeRepository``)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.consent import ContactChannel
from otocore.contacts import SuggestionStatus
from otocore.errors import ValidationError
from otocore.quarantine import QuarantineRule
from otocore.suggestions import Explanation, SuggestionOutcome
from otocore.testing import suggestions
from otocore.testing.storage._builders import DAY, PROPERTY_SETTINGS, MakeUow, _suggestion

_OTHER = DAY + timedelta(days=1)


def _why(
    customer: str, outcome: SuggestionOutcome, *, day: date = DAY, **extra: object
) -> Explanation:
    return Explanation(
        customer_id=customer,
        day=day,
        outcome=outcome,
        detail=extra.pop("detail", f"{customer}: {outcome.value}"),  # type: ignore[arg-type]
        **extra,  # type: ignore[arg-type]
    )


def _suggested(customer: str, *, day: date = DAY, **changes: Any) -> Explanation:
    suggestion = attrs.evolve(_suggestion(customer, 1, day=day), **changes)
    return Explanation(
        customer_id=customer,
        day=day,
        outcome=SuggestionOutcome.SUGGESTED,
        detail=suggestion.detail,
        seller_code=suggestion.seller_code,
        campaign_id=suggestion.campaign_id,
        channel=suggestion.channel,
        suggestion=suggestion,
    )


def _every_kind(day: date = DAY) -> list[Explanation]:
    return [
        _suggested("C1", day=day),
        attrs.evolve(
            _suggested("C2", day=day, status=SuggestionStatus.STARTED, rank=7), seller_code="V01"
        ),
        _explained_follow_up("C3", day),
        _why(
            "C4",
            SuggestionOutcome.CUT_BY_LIMIT,
            day=day,
            seller_code="V02",
            campaign_id="ANIVERSARIO",
            channel=ContactChannel.SMS,
            detail="cut by the limit: V02 gets 20 suggestions on 2026-05-10 and 31 customers were candidates",
        ),
        _why(
            "C5",
            SuggestionOutcome.QUARANTINED,
            day=day,
            seller_code="V01",
            campaign_id="VOLTA",
            free_on=day + timedelta(days=6),
            quarantine_rule=QuarantineRule.CAMPAIGN,
        ),
        _why("C6", SuggestionOutcome.OPTED_OUT, day=day, channel=ContactChannel.EMAIL),
        _why(
            "C7", SuggestionOutcome.NOT_IN_ACTIVE_PORTFOLIO, day=day, detail="C7 is in no carteira"
        ),
        _why(
            "Ç8 ☃",
            SuggestionOutcome.BLOCKED,
            day=day,
            detail="CPF ***.982.247-** bloqueado\nlinha 2",
        ),
    ]


def _explained_follow_up(customer: str, day: date) -> Explanation:
    follow_up = _suggestion(customer, 2, day=day, campaign=None)
    return Explanation(
        customer_id=customer,
        day=day,
        outcome=SuggestionOutcome.SUGGESTED,
        detail=follow_up.detail,
        seller_code=follow_up.seller_code,
        channel=follow_up.channel,
        suggestion=follow_up,
    )


@st.composite
def _explanations(draw: st.DrawFn, day: date) -> Explanation:
    outcome = draw(st.sampled_from(SuggestionOutcome))
    if outcome is SuggestionOutcome.SUGGESTED:
        s = draw(suggestions(day=day))
        return Explanation(
            customer_id=s.customer_id,
            day=day,
            outcome=outcome,
            detail=s.detail,
            seller_code=s.seller_code,
            campaign_id=s.campaign_id,
            channel=s.channel,
            suggestion=s,
        )
    free_on = draw(st.none() | st.dates(day, day + timedelta(days=30)))
    return Explanation(
        customer_id=draw(st.text("CÇ0123456789", min_size=1, max_size=12)),
        day=day,
        outcome=outcome,
        detail=draw(st.text(_DETAIL, min_size=1, max_size=40).filter(lambda t: t.strip() == t)),
        seller_code=draw(st.none() | st.sampled_from(["V01", "V02"])),
        campaign_id=draw(st.none() | st.sampled_from(["A", "B"])),
        channel=draw(st.none() | st.sampled_from(ContactChannel)),
        free_on=free_on,
        quarantine_rule=None if free_on is None else draw(st.sampled_from(QuarantineRule)),
    )


_DETAIL = st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"])


class _Boom(RuntimeError):
    pass


class OutcomesContract:
    """The contract of the outcome store, as a pytest test class to subclass.

    Each customer's :class:`~otocore.suggestions.Explanation` of a generated
    day comes back equal, a day is replaced as a whole, an empty day is still
    a generated day, bad input is refused, many rows go in chunks and a
    failure leaves the day as it was. Subclass it and define a ``make_uow``
    fixture, as for :class:`~otocore.testing.storage.UnitOfWorkContract`.

    >>> "test_outcomes_of_every_kind_round_trip" in dir(OutcomesContract)
    True
    """

    def test_outcomes_of_every_kind_round_trip(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        saved = _every_kind()
        with uow.writing():
            uow.outcomes.save_day(DAY, iter(saved))
        with uow:
            for explanation in saved:
                assert uow.outcomes.get(DAY, explanation.customer_id) == explanation
            assert uow.outcomes.get(DAY, "C9") is None
            assert uow.outcomes.get(_OTHER, "C1") is None
            assert uow.outcomes.count(DAY) == len(saved)
            assert uow.outcomes.count(_OTHER) == 0
            assert uow.outcomes.days() == [DAY]

    def test_saving_a_day_again_replaces_it_and_leaves_other_days(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing():
            uow.outcomes.save_day(DAY, _every_kind())
            uow.outcomes.save_day(_OTHER, _every_kind(_OTHER))
        again = [_why("C1", SuggestionOutcome.OPTED_OUT, channel=ContactChannel.SMS)]
        with uow.writing():
            uow.outcomes.save_day(DAY, again)
        with uow:
            assert uow.outcomes.get(DAY, "C1") == again[0]
            assert uow.outcomes.get(DAY, "C2") is None
            assert uow.outcomes.count(DAY) == 1
            assert uow.outcomes.get(_OTHER, "C2") == _every_kind(_OTHER)[1]
            assert uow.outcomes.days() == [DAY, _OTHER]

    def test_an_empty_day_is_generated_and_a_day_can_be_forgotten(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing():
            uow.outcomes.save_day(_OTHER, [])
            uow.outcomes.save_day(DAY, _every_kind())
        with uow:
            assert uow.outcomes.days() == [DAY, _OTHER]
            assert uow.outcomes.count(_OTHER) == 0
            assert uow.outcomes.delete_day(DAY) == len(_every_kind())
            assert uow.outcomes.delete_day(DAY) == 0
            assert uow.outcomes.delete_day(_OTHER) == 0
            assert uow.outcomes.days() == []
            assert uow.outcomes.get(DAY, "C1") is None

    def test_save_day_refuses_what_would_not_come_back(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        good = _every_kind()
        with uow.writing():
            uow.outcomes.save_day(DAY, good)
        suggested = good[0]
        assert suggested.suggestion is not None
        bad = [
            (
                [_why("C1", SuggestionOutcome.BLOCKED, day=_OTHER)],
                r"explanations\[0\]\.day must be 2026-05-10",
            ),
            (
                [good[3], good[3]],
                r"explanations\[1\]\.customer_id must appear once a day",
            ),
            (
                [good[0], "C2"],
                r"explanations\[1\] must be a Explanation|explanations\[1\] must be an Explanation",
            ),
            ("C1", r"explanations must be an iterable of Explanation"),
            (
                [attrs.evolve(suggested, suggestion=None)],
                r"explanations\[0\]\.suggestion must be given for SUGGESTED",
            ),
            (
                [attrs.evolve(good[3], suggestion=suggested.suggestion)],
                r"explanations\[0\]\.suggestion must be None unless SUGGESTED",
            ),
            (
                [attrs.evolve(suggested, seller_code="V07")],
                r"explanations\[0\]\.suggestion\.seller_code must be the explanation's seller_code \('V07'\)",
            ),
        ]
        for explanations, message in bad:
            with pytest.raises(ValidationError, match=message), uow.writing():
                uow.outcomes.save_day(DAY, explanations)  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"^day must be a datetime\.date"), uow:
            uow.outcomes.get("2026-05-10", "C1")  # type: ignore[arg-type]
        with pytest.raises(ValidationError, match=r"^customer_id must"), uow:
            uow.outcomes.get(DAY, "")
        with uow:  # nothing of the day changed
            assert [uow.outcomes.get(DAY, e.customer_id) for e in good] == good
            assert uow.outcomes.count(DAY) == len(good)

    def test_many_outcomes_stream_in_chunks_and_a_failure_keeps_the_day(
        self, make_uow: MakeUow
    ) -> None:
        uow = make_uow()
        many = 12_345  # more than two of the SQL store's chunks

        def generate(
            outcome: SuggestionOutcome, fail_at: int | None = None
        ) -> Iterator[Explanation]:
            for n in range(many):
                if n == fail_at:
                    raise _Boom("the plan failed half-way")
                yield _why(f"C{n:05d}", outcome, detail="no campaign runs on 2026-05-10")

        with uow.writing():
            uow.outcomes.save_day(DAY, generate(SuggestionOutcome.NO_CAMPAIGN_MATCHED))
        with pytest.raises(_Boom), uow.writing():
            uow.outcomes.save_day(DAY, generate(SuggestionOutcome.OPTED_OUT, fail_at=11_000))
        with uow:
            assert uow.outcomes.count(DAY) == many
            last = uow.outcomes.get(DAY, f"C{many - 1:05d}")
            assert last is not None
            assert last.outcome is SuggestionOutcome.NO_CAMPAIGN_MATCHED

    @PROPERTY_SETTINGS
    @given(st.lists(_explanations(DAY), max_size=8, unique_by=lambda e: e.customer_id))
    def test_outcomes_round_trip(self, make_uow: MakeUow, explanations: list[Explanation]) -> None:
        uow = make_uow()
        with uow.writing():
            uow.outcomes.save_day(DAY, explanations)
        with uow:
            assert uow.outcomes.count(DAY) == len(explanations)
            for explanation in explanations:
                assert uow.outcomes.get(DAY, explanation.customer_id) == explanation
