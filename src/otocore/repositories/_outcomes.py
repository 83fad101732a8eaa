"""The repository protocol of a generated day's outcomes: each customer's answer to "why (not)?"."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the protocols loads no domain module
    from otocore.suggestions import Explanation


class OutcomeRepository(Protocol):
    """Resultados do dia: every customer's :class:`~otocore.suggestions.Explanation` of a generated day.

    :func:`otocore.attendance.generate_suggestions` saves, in the same
    transaction as the day's suggestions, what the day's plan decided for
    each customer it knew (suggested, cut by the limit, opted out, blocked,
    quarantined, ...), so :func:`~otocore.attendance.explain_customer` reads
    one row instead of planning the brand again. A day's outcomes are saved
    together and replaced together (:meth:`save_day`): generating a day again
    replaces them all. A stored explanation comes back equal to the one
    saved, its :class:`~otocore.suggestions.Suggestion` (for SUGGESTED) with
    the status it had when planned.

    >>> from datetime import date
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.suggestions import Explanation, SuggestionOutcome
    >>> day = date(2026, 5, 11)
    >>> why = Explanation(
    ...     customer_id="C1",
    ...     day=day,
    ...     outcome=SuggestionOutcome.NO_CAMPAIGN_MATCHED,
    ...     detail="no campaign runs on 2026-05-11",
    ...     seller_code="V01",
    ... )
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.outcomes.save_day(day, [why])
    ...     uow.outcomes.get(day, "C1") == why, uow.outcomes.get(day, "C2"), uow.outcomes.days()
    (True, None, [datetime.date(2026, 5, 11)])
    """

    def save_day(self, day: date, explanations: Iterable[Explanation]) -> None:
        """Store ``explanations`` as the outcomes of ``day``, replacing the day's earlier ones.

        Every explanation must be of ``day`` and name its customer once
        (:class:`~otocore.errors.ValidationError` otherwise; nothing of the
        day changes then if the block rolls back). The day counts as
        generated (:meth:`days`) even when ``explanations`` is empty.
        Written in bulk; ``explanations`` may be a generator, read once.
        """

    def get(self, day: date, customer_id: str) -> Explanation | None:
        """The customer's stored explanation of ``day``, or ``None`` (no row, or day not saved)."""

    def count(self, day: date) -> int:
        """How many customers have an outcome stored for ``day`` (0 for a day not saved)."""

    def days(self) -> list[date]:
        """The days whose outcomes were saved, ascending."""

    def delete_day(self, day: date) -> int:
        """Forget the outcomes of ``day`` (say, to keep only recent days); return how many rows went."""
