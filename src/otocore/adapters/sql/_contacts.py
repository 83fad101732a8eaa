"""SQL repositories of attendance: consent and block logs, contacts, campaigns, suggestions."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import sqlalchemy as sa

if TYPE_CHECKING:  # Polars is imported by the bulk methods only, when called
    import polars as pl

from otocore.adapters._common import (
    check_day_suggestions,
    check_workload,
    contact_taken,
    optional_bool,
    optional_enum,
    require,
    require_day,
    require_instant,
    require_key,
    same_event,
    status_taken,
)
from otocore.adapters.sql import _rows as r
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._base import CHUNK, Repository, where_enum, where_key
from otocore.blocking import BlockEvent
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent
from otocore.contacts import Contact, SuggestionStatus
from otocore.customers import Cpf
from otocore.errors import RuleViolation, ValidationError
from otocore.suggestions import SellerWorkload, Suggestion

Event = TypeVar("Event", ConsentEvent, BlockEvent)


class _EventLog(Repository, Generic[Event]):
    """An append-only log: ``seq`` (autoincrement) is the append order."""

    _table: sa.Table
    _cls: type[Event]
    _kind: str
    _row: Callable[[Event], dict[str, Any]]
    _load: Callable[[Any], Event]

    def _append_many(self, field: str, events: Iterable[Event], *, many: bool) -> None:
        conn = self._c
        chunk: list[Event] = []
        for i, event in enumerate(events):
            chunk.append(require(f"{field}[{i}]" if many else field, event, self._cls))
            if len(chunk) >= CHUNK:
                self._write(conn, chunk)
                chunk = []
        if chunk:
            self._write(conn, chunk)

    def _write(self, conn: sa.Connection, chunk: list[Event]) -> None:
        ids = {e.event_id for e in chunk if e.event_id is not None}
        seen: dict[str, Event] = {}
        if ids:
            column = self._table.c.event_id
            for row in conn.execute(sa.select(self._table).where(column.in_(sorted(ids)))):
                seen[row.event_id] = self._load(row)
        rows = []
        for event in chunk:
            if event.event_id is not None:
                stored = seen.get(event.event_id)
                if stored is not None and same_event(self._kind, stored, event):
                    continue
                seen[event.event_id] = event
            rows.append(self._row(event))
        if rows:
            try:
                conn.execute(sa.insert(self._table), rows)
            except sa.exc.IntegrityError:  # another transaction stored the same event_id
                raise RuleViolation(
                    f"{self._kind} event_id already stored by a concurrent transaction"
                ) from None

    def _in_order(self) -> sa.Select[Any]:
        return sa.select(self._table).order_by(self._table.c.at, self._table.c.seq)

    def _select(self, where: Any) -> list[Event]:
        return self._all(self._in_order().where(where), self._load, lock=True)

    def append(self, event: Event) -> None:
        self._append_many("event", [event], many=False)

    def append_many(self, events: Iterable[Event]) -> None:
        self._append_many("events", events, many=True)

    def iter_all(self) -> Iterator[Event]:
        return self._streamed(self._in_order(), self._load)


class Consent(_EventLog[ConsentEvent]):
    _table = t.consent_events
    _cls = ConsentEvent
    _kind = "ConsentEvent"
    _row = staticmethod(r.CONSENT.row)
    _load = staticmethod(r.CONSENT.load)

    def for_customer(self, customer_id: str) -> list[ConsentEvent]:
        key = require_key("customer_id", customer_id)
        return self._select(t.consent_events.c.customer_id == key)


class Blocks(_EventLog[BlockEvent]):
    _table = t.block_events
    _cls = BlockEvent
    _kind = "BlockEvent"
    _row = staticmethod(r.block_row)
    _load = staticmethod(r.block)

    def for_cpf(self, cpf: Cpf) -> list[BlockEvent]:
        digits = require("cpf", cpf, Cpf).digits
        return self._select(t.block_events.c.cpf == digits)


_CONTACT_SORT = (t.contacts.c.started_at, t.contacts.c.contact_id)


class Contacts(Repository):
    def _add_many(self, field: str, contacts: Iterable[Contact], *, many: bool) -> None:
        conn = self._c
        chunk: dict[str, dict[str, Any]] = {}
        for i, contact in enumerate(contacts):
            require(f"{field}[{i}]" if many else field, contact, Contact)
            if contact.contact_id in chunk:
                raise contact_taken(contact.contact_id)
            chunk[contact.contact_id] = r.contact_row(contact)
            if len(chunk) >= CHUNK:
                self._insert(conn, chunk)
                chunk = {}
        if chunk:
            self._insert(conn, chunk)

    @staticmethod
    def _insert(conn: sa.Connection, chunk: dict[str, dict[str, Any]]) -> None:
        column = t.contacts.c.contact_id
        taken = conn.execute(
            sa.select(column).where(column.in_(list(chunk))).order_by(column).limit(1)
        ).scalar()
        if taken is not None:
            raise contact_taken(taken)
        try:
            conn.execute(sa.insert(t.contacts), list(chunk.values()))
        except sa.exc.IntegrityError:  # registered by a concurrent transaction meanwhile
            raise RuleViolation(
                "a contact id was registered by a concurrent transaction;"
                " contacts are never replaced"
            ) from None

    def add(self, contact: Contact) -> None:
        self._add_many("contact", [contact], many=False)

    def add_many(self, contacts: Iterable[Contact]) -> None:
        self._add_many("contacts", contacts, many=True)

    def get(self, contact_id: str) -> Contact:
        return self._get_by(t.contacts.c.contact_id, contact_id, r.contact, "Contact")

    def get_many(self, contact_ids: Iterable[str]) -> dict[str, Contact]:
        if isinstance(contact_ids, str | bytes):
            raise ValidationError("contact_ids", contact_ids, "must be an iterable of ids")
        keys = sorted({require_key("contact_ids[]", c) for c in contact_ids})
        found: dict[str, Contact] = {}
        column = t.contacts.c.contact_id
        for start in range(0, len(keys), 500):
            stmt = sa.select(t.contacts).where(column.in_(keys[start : start + 500]))
            found.update((c.contact_id, c) for c in self._all(stmt, r.contact, lock=True))
        return {k: found[k] for k in sorted(found)}

    def for_customer(self, customer_id: str) -> list[Contact]:
        key = require_key("customer_id", customer_id)
        stmt = sa.select(t.contacts).where(t.contacts.c.customer_id == key).order_by(*_CONTACT_SORT)
        return self._all(stmt, r.contact, lock=True)

    def iter_since(self, since: datetime) -> Iterator[Contact]:
        start = require_instant("since", since)
        stmt = sa.select(t.contacts).where(t.contacts.c.started_at >= start)
        return self._streamed(stmt.order_by(*_CONTACT_SORT), r.contact)

    def started_frame(self, *, since: datetime, until: datetime) -> pl.DataFrame:
        from otocore.adapters import _frames as fr
        from otocore.adapters.sql import _columnar as b

        conn = self._c
        p = b.placeholder(conn)
        sql = (
            "SELECT contact_id, seller_code, customer_id,"  # noqa: S608 - constant SQL, values bound
            f" {b.instant_sql(conn, 'started_at')}, outcome FROM contacts"
            f" WHERE started_at >= {p} AND started_at < {p}"
        )
        params = (
            b.instant_param(conn, require_instant("since", since)),
            b.instant_param(conn, require_instant("until", until)),
        )
        return b.read(conn, sql, params, fr.CONTACTS)

    def follow_ups_due(self, day: date) -> list[Contact]:
        due = require_day("day", day)
        stmt = sa.select(t.contacts).where(t.contacts.c.follow_up_day == due)
        return self._all(stmt.order_by(*_CONTACT_SORT), r.contact)

    def count(self) -> int:
        return self._count(t.contacts)


_CAMPAIGN_SORT = (t.campaigns.c.priority, t.campaigns.c.campaign_id)


class Campaigns(Repository):
    def add(self, campaign: Campaign) -> None:
        self._upsert_many(t.campaigns, [r.campaign_row(require("campaign", campaign, Campaign))])

    def get(self, campaign_id: str) -> Campaign:
        return self._get_by(t.campaigns.c.campaign_id, campaign_id, r.campaign, "Campaign")

    def list(self, *, active: bool | None = None) -> list[Campaign]:
        stmt = sa.select(t.campaigns).order_by(*_CAMPAIGN_SORT)
        if optional_bool("active", active) is not None:
            stmt = stmt.where(t.campaigns.c.active == active)
        return self._all(stmt, r.campaign)


_S = t.suggestions.c
_SUGGESTION_SORT = (_S.day, _S.seller_code, _S.rank, _S.suggestion_id)
_PENDING = SuggestionStatus.PENDING.value


class Suggestions(Repository):
    def save_day(self, day: date, suggestions: Iterable[Suggestion]) -> None:
        chosen = check_day_suggestions(day, suggestions)
        conn = self._c
        conn.execute(sa.delete(t.suggestions).where(_S.day == day, _S.status == _PENDING))
        # what sellers acted on stays; the same customer's new suggestion is dropped
        kept = {
            row.suggestion_id
            for row in conn.execute(sa.select(_S.suggestion_id).where(_S.day == day))
        }
        rows = [r.SUGGESTION.row(s) for s in chosen if s.suggestion_id not in kept]
        self._insert_all(t.suggestions, rows)

    def list_day(
        self,
        day: date,
        *,
        seller_code: str | None = None,
        campaign_id: str | None = None,
        status: SuggestionStatus | None = None,
    ) -> list[Suggestion]:
        stmt = sa.select(t.suggestions).where(_S.day == require_day("day", day))
        stmt = where_key(stmt, _S.seller_code, "seller_code", seller_code)
        stmt = where_key(stmt, _S.campaign_id, "campaign_id", campaign_id)
        stmt = where_enum(stmt, _S.status, "status", status, SuggestionStatus)
        return self._all(stmt.order_by(*_SUGGESTION_SORT), r.SUGGESTION.load)

    def get(self, suggestion_id: str) -> Suggestion:
        return self._get_by(_S.suggestion_id, suggestion_id, r.SUGGESTION.load, "Suggestion")

    def set_status(
        self,
        suggestion_id: str,
        status: SuggestionStatus,
        *,
        expected: SuggestionStatus | None = None,
    ) -> Suggestion:
        key = require_key("suggestion_id", suggestion_id)
        require("status", status, SuggestionStatus)
        optional_enum("expected", expected, SuggestionStatus)
        stmt = sa.update(t.suggestions).where(_S.suggestion_id == key)
        if expected is not None:
            stmt = stmt.where(_S.status == expected.value)
        row = self._c.execute(stmt.values(status=status.value).returning(*t.suggestions.c)).first()
        if row is not None:
            return r.SUGGESTION.load(row)
        current = self.get(suggestion_id)  # NotFound, or the compare-and-set lost
        assert expected is not None  # noqa: S101 - without expected the update found the row
        raise status_taken(suggestion_id, current.status, expected)

    def delete_pending(self, day: date) -> int:
        stmt = sa.delete(t.suggestions).where(
            _S.day == require_day("day", day), _S.status == _PENDING
        )
        return int(self._c.execute(stmt).rowcount)

    def for_customer(self, customer_id: str) -> list[Suggestion]:
        key = require_key("customer_id", customer_id)
        stmt = sa.select(t.suggestions).where(_S.customer_id == key).order_by(*_SUGGESTION_SORT)
        return self._all(stmt, r.SUGGESTION.load)

    def days_frame(self, first: date, last: date) -> pl.DataFrame:
        from otocore.adapters import _frames as fr
        from otocore.adapters.sql import _columnar as b

        conn = self._c
        p = b.placeholder(conn)
        sql = f"SELECT day, seller_code FROM suggestions WHERE day >= {p} AND day <= {p}"  # noqa: S608 - constant SQL, values bound
        start, end = require_day("first", first), require_day("last", last)
        params = (start, end) if b.is_postgresql(conn) else (start.isoformat(), end.isoformat())
        return b.read(conn, sql, params, fr.SUGGESTION_DAYS)

    def iter_days(self, first: date, last: date) -> Iterator[Suggestion]:
        start, end = require_day("first", first), require_day("last", last)
        stmt = sa.select(t.suggestions).where(_S.day >= start, _S.day <= end)
        return self._streamed(stmt.order_by(*_SUGGESTION_SORT), r.SUGGESTION.load)

    def days(self) -> list[date]:
        stmt = sa.select(_S.day).distinct().order_by(_S.day)
        return [row.day for row in self._c.execute(stmt)]


_W = t.seller_workloads.c


class Workloads(Repository):
    def set(self, seller_code: str, workload: SellerWorkload) -> None:
        code, checked = check_workload(seller_code, workload)
        self._upsert_many(t.seller_workloads, [r.WORKLOAD.row(checked, seller_code=code)])

    def get(self, seller_code: str) -> SellerWorkload | None:
        return self._find_by(_W.seller_code, seller_code, r.WORKLOAD.load)

    def all(self) -> dict[str, SellerWorkload]:
        stmt = sa.select(t.seller_workloads).order_by(_W.seller_code)
        return {row.seller_code: r.WORKLOAD.load(row) for row in self._c.execute(stmt)}

    def delete(self, seller_code: str) -> None:
        key = require_key("seller_code", seller_code)
        self._c.execute(sa.delete(t.seller_workloads).where(_W.seller_code == key))
