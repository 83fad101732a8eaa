"""The SQL repository of each generated day's outcomes (tables ``outcome_days``, ``day_outcomes``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

import sqlalchemy as sa

from otocore.adapters._common import require_key
from otocore.adapters._outcomes import check_day, checked_outcomes
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._base import CHUNK, Repository
from otocore.adapters.sql._rows import stored_enum
from otocore.consent import ContactChannel
from otocore.contacts import SuggestionStatus
from otocore.quarantine import QuarantineRule
from otocore.suggestions import Explanation, Suggestion, SuggestionOutcome, SuggestionReason

_O = t.day_outcomes.c
_D = t.outcome_days.c


def _value(member: Any) -> Any:
    return None if member is None else member.value


_COLUMNS = tuple(c.name for c in t.day_outcomes.columns)


def _insert(paramstyle: str) -> str:
    """The driver's own INSERT of one ``day_outcomes`` row (qmark on SQLite, format on psycopg)."""
    mark = "?" if paramstyle == "qmark" else "%s"
    names = ", ".join(_COLUMNS)
    return f"INSERT INTO day_outcomes ({names}) VALUES ({', '.join([mark] * len(_COLUMNS))})"  # noqa: S608 - fixed column names


def outcome_row(e: Explanation, *, dates_as_text: bool) -> tuple[Any, ...]:
    """The ``day_outcomes`` row storing ``e``, in column order, as the driver takes it.

    ``e`` was checked by ``checked_outcomes``. Days are ISO text on SQLite (what
    ``sa.Date`` stores there), ``date`` values for PostgreSQL.
    """
    s = e.suggestion
    day: Any = e.day
    free_on: Any = e.free_on
    if dates_as_text:
        day = day.isoformat()
        free_on = None if free_on is None else free_on.isoformat()
    return (
        day,
        e.customer_id,
        e.outcome.value,
        e.detail,
        e.seller_code,
        e.campaign_id,
        _value(e.channel),
        free_on,
        _value(e.quarantine_rule),
        None if s is None else s.reason.value,
        None if s is None else s.rank,
        None if s is None else s.contact_id,
        None if s is None else s.message,
        None if s is None else s.status.value,
    )


def outcome(row: Any) -> Explanation:
    """The :class:`Explanation` stored in a ``day_outcomes`` row."""
    channel = None if row.channel is None else stored_enum(ContactChannel, row.channel, "channel")
    rule = row.quarantine_rule
    suggestion = None
    if row.reason is not None:
        reason = stored_enum(SuggestionReason, row.reason, "Suggestion.reason")
        suggestion = Suggestion(
            suggestion_id=f"{row.day.isoformat()}:{row.customer_id}",
            day=row.day,
            seller_code=row.seller_code,
            customer_id=row.customer_id,
            kind=reason.kind,
            campaign_id=row.campaign_id,
            channel=stored_enum(ContactChannel, row.channel, "Suggestion.channel"),
            message=row.message,
            reason=reason,
            detail=row.detail,
            rank=row.rank,
            contact_id=row.contact_id,
            status=stored_enum(SuggestionStatus, row.status, "Suggestion.status"),
        )
    return Explanation(
        customer_id=row.customer_id,
        day=row.day,
        outcome=stored_enum(SuggestionOutcome, row.outcome, "Explanation.outcome"),
        detail=row.detail,
        seller_code=row.seller_code,
        campaign_id=row.campaign_id,
        channel=channel,
        free_on=row.free_on,
        quarantine_rule=None
        if rule is None
        else stored_enum(QuarantineRule, rule, "Explanation.quarantine_rule"),
        suggestion=suggestion,
    )


class Outcomes(Repository):
    def save_day(self, day: date, explanations: Iterable[Explanation]) -> None:
        checked = check_day(day)
        rows = checked_outcomes(checked, explanations)
        conn = self._c
        conn.execute(sa.delete(t.day_outcomes).where(_O.day == checked))
        conn.execute(sa.delete(t.outcome_days).where(_D.day == checked))
        # the driver's executemany with plain tuples: SQLAlchemy's per-row parameter
        # processing would cost more than SQLite's own insert
        insert = _insert(conn.dialect.paramstyle)
        as_text = conn.dialect.name == "sqlite"
        count = 0
        chunk: list[tuple[Any, ...]] = []
        for explanation in rows:
            chunk.append(outcome_row(explanation, dates_as_text=as_text))
            if len(chunk) >= CHUNK:
                conn.exec_driver_sql(insert, chunk)
                count += len(chunk)
                chunk = []
        if chunk:
            conn.exec_driver_sql(insert, chunk)
            count += len(chunk)
        conn.execute(sa.insert(t.outcome_days), [{"day": checked, "customers": count}])

    def get(self, day: date, customer_id: str) -> Explanation | None:
        stmt = sa.select(t.day_outcomes).where(
            _O.day == check_day(day), _O.customer_id == require_key("customer_id", customer_id)
        )
        row = self._c.execute(stmt).first()
        return None if row is None else outcome(row)

    def count(self, day: date) -> int:
        stmt = sa.select(_D.customers).where(_D.day == check_day(day))
        found = self._c.execute(stmt).scalar()
        return 0 if found is None else int(found)

    def days(self) -> list[date]:
        return list(self._c.execute(sa.select(_D.day).order_by(_D.day)).scalars())

    def delete_day(self, day: date) -> int:
        checked = check_day(day)
        conn = self._c
        gone = conn.execute(sa.delete(t.day_outcomes).where(_O.day == checked)).rowcount
        conn.execute(sa.delete(t.outcome_days).where(_D.day == checked))
        return int(gone)
