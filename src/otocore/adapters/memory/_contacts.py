"""In-memory repositories of attendance: consent and block logs, contacts, campaigns, suggestions."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Iterator
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar

import attrs

if TYPE_CHECKING:  # Polars is imported by the bulk methods only, when called
    import polars as pl

from otocore.adapters._common import (
    campaign_sort_key,
    check_day_suggestions,
    check_workload,
    contact_sort_key,
    contact_taken,
    optional_bool,
    optional_enum,
    require,
    require_day,
    require_instant,
    require_key,
    same_event,
    status_taken,
    suggestion_sort_key,
)
from otocore.adapters.memory._base import INDEXES, Repository, Txn
from otocore.blocking import BlockEvent
from otocore.campaigns import Campaign
from otocore.consent import ConsentEvent
from otocore.contacts import Contact, SuggestionStatus
from otocore.customers import Cpf
from otocore.errors import ValidationError
from otocore.suggestions import SellerWorkload, Suggestion

# event logs -------------------------------------------------------------------------


Event = TypeVar("Event", ConsentEvent, BlockEvent)


def _event_key(item: tuple[int, ConsentEvent | BlockEvent]) -> tuple[datetime, int]:
    return (item[1].at, item[0])


class _EventLog(Repository, Generic[Event]):
    """An append-only log; keys are database-wide increasing integers (append order)."""

    _table: str
    _by_event_id: str
    _cls: type[Event]
    _kind: str

    def _append(self, field: str, event: Event) -> None:
        require(field, event, self._cls)
        txn = self._t
        if event.event_id is not None:
            stored = txn.lookup(self._by_event_id, event.event_id)
            if stored and same_event(self._kind, stored[0], event):
                return
        txn.put(self._table, next(self._uow.database._event_keys), event)

    def _sorted(self, items: Iterable[tuple[int, Event]]) -> list[Event]:
        return [event for _, event in sorted(items, key=_event_key)]

    def _keyed(self, index: str, value: Hashable) -> list[Event]:
        txn = self._t
        keys = set(txn.snapshot.index[index].get(value, frozenset()))
        keys |= txn.new_index[index].get(value, set())
        # a row the block deleted or moved to another key (erasure) is no longer under ``value``
        of = INDEXES[index][1]
        found = ((k, txn.get(self._table, k)) for k in keys)
        return self._sorted((k, e) for k, e in found if e is not None and of(e) == value)

    def _stream(self) -> Iterator[Event]:
        yield from self._sorted(self._t.rows(self._table).items())

    def append(self, event: Event) -> None:
        self._append("event", event)

    def append_many(self, events: Iterable[Event]) -> None:
        for i, event in enumerate(events):
            self._append(f"events[{i}]", event)

    def iter_all(self) -> Iterator[Event]:
        self._uow._check_active()  # now, not at the first next()
        return self._stream()


class Consent(_EventLog[ConsentEvent]):
    _table = "consent"
    _by_event_id = "consent_by_event_id"
    _cls = ConsentEvent
    _kind = "ConsentEvent"

    def for_customer(self, customer_id: str) -> list[ConsentEvent]:
        return self._keyed("consent_by_customer", require_key("customer_id", customer_id))


class Blocks(_EventLog[BlockEvent]):
    _table = "blocks"
    _by_event_id = "blocks_by_event_id"
    _cls = BlockEvent
    _kind = "BlockEvent"

    def for_cpf(self, cpf: Cpf) -> list[BlockEvent]:
        return self._keyed("blocks_by_cpf", require("cpf", cpf, Cpf).digits)


# contacts -------------------------------------------------------------------------


class Contacts(Repository):
    def _add(self, field: str, contact: Any) -> None:
        require(field, contact, Contact)
        txn = self._t
        if txn.get("contacts", contact.contact_id) is not None:
            raise contact_taken(contact.contact_id)
        txn.put("contacts", contact.contact_id, contact)

    def add(self, contact: Contact) -> None:
        self._add("contact", contact)

    def add_many(self, contacts: Iterable[Contact]) -> None:
        for i, contact in enumerate(contacts):
            self._add(f"contacts[{i}]", contact)

    def get(self, contact_id: str) -> Contact:
        return self._get("contacts", "contact_id", contact_id, Contact)

    def get_many(self, contact_ids: Iterable[str]) -> dict[str, Contact]:
        if isinstance(contact_ids, str | bytes):
            raise ValidationError("contact_ids", contact_ids, "must be an iterable of ids")
        keys = sorted({require_key("contact_ids[]", c) for c in contact_ids})
        txn = self._t
        found = {k: txn.get("contacts", k) for k in keys}
        return {k: contact for k, contact in found.items() if contact is not None}

    def for_customer(self, customer_id: str) -> list[Contact]:
        found: list[Contact] = self._t.lookup(
            "contacts_by_customer", require_key("customer_id", customer_id)
        )
        return sorted(found, key=contact_sort_key)

    def iter_since(self, since: datetime) -> Iterator[Contact]:
        start = require_instant("since", since)  # checked now, not at the first next()
        return self._since(self._t, start)

    @staticmethod
    def _since(txn: Txn, start: datetime) -> Iterator[Contact]:
        chosen = [c for c in txn.rows("contacts").values() if c.started_at >= start]
        chosen.sort(key=contact_sort_key)
        yield from chosen

    def started_frame(self, *, since: datetime, until: datetime) -> pl.DataFrame:
        import polars as pl

        from otocore.adapters import _frames as fr

        start, end = require_instant("since", since), require_instant("until", until)
        return pl.DataFrame(
            [
                (
                    c.contact_id,
                    c.seller_code,
                    c.customer_id,
                    c.started_at.astimezone(UTC),
                    c.outcome.value,
                )
                for c in self._t.rows("contacts").values()
                if start <= c.started_at < end
            ],
            schema=fr.CONTACTS,
            orient="row",
        )

    def follow_ups_due(self, day: date) -> list[Contact]:
        found: list[Contact] = self._t.lookup("contacts_by_follow_up", require_day("day", day))
        return sorted(found, key=contact_sort_key)

    def count(self) -> int:
        return self._t.count("contacts")


# campaigns ------------------------------------------------------------------------


class Campaigns(Repository):
    def add(self, campaign: Campaign) -> None:
        require("campaign", campaign, Campaign)
        self._t.put("campaigns", campaign.campaign_id, campaign)

    def get(self, campaign_id: str) -> Campaign:
        return self._get("campaigns", "campaign_id", campaign_id, Campaign)

    def list(self, *, active: bool | None = None) -> list[Campaign]:
        optional_bool("active", active)
        rows = self._t.rows("campaigns").values()
        chosen = [c for c in rows if active is None or c.active is active]
        return sorted(chosen, key=campaign_sort_key)


# suggestions ----------------------------------------------------------------------

_PENDING: Final = SuggestionStatus.PENDING


class Suggestions(Repository):
    def _of_day(self, txn: Txn, day: date) -> list[Suggestion]:
        found: list[Suggestion] = txn.lookup("suggestions_by_day", day)
        return found

    def save_day(self, day: date, suggestions: Iterable[Suggestion]) -> None:
        chosen = check_day_suggestions(day, suggestions)
        txn = self._t
        kept = set()
        for stored in self._of_day(txn, day):
            if stored.status is _PENDING:
                txn.delete("suggestions", stored.suggestion_id)
            else:
                kept.add(stored.suggestion_id)
        for suggestion in chosen:
            if suggestion.suggestion_id in kept:
                continue  # a seller acted on it: never overwritten
            txn.put("suggestions", suggestion.suggestion_id, suggestion)

    def list_day(
        self,
        day: date,
        *,
        seller_code: str | None = None,
        campaign_id: str | None = None,
        status: SuggestionStatus | None = None,
    ) -> list[Suggestion]:
        require_day("day", day)
        if seller_code is not None:
            require_key("seller_code", seller_code)
        if campaign_id is not None:
            require_key("campaign_id", campaign_id)
        optional_enum("status", status, SuggestionStatus)
        chosen = [
            s
            for s in self._of_day(self._t, day)
            if (seller_code is None or s.seller_code == seller_code)
            and (campaign_id is None or s.campaign_id == campaign_id)
            and (status is None or s.status is status)
        ]
        return sorted(chosen, key=suggestion_sort_key)

    def get(self, suggestion_id: str) -> Suggestion:
        return self._get("suggestions", "suggestion_id", suggestion_id, Suggestion)

    def set_status(
        self,
        suggestion_id: str,
        status: SuggestionStatus,
        *,
        expected: SuggestionStatus | None = None,
    ) -> Suggestion:
        require("status", status, SuggestionStatus)
        optional_enum("expected", expected, SuggestionStatus)
        # a state transition: like a database update, it takes the write lock
        self._uow._take_write_lock()
        current = self.get(suggestion_id)
        if expected is not None and current.status is not expected:
            raise status_taken(suggestion_id, current.status, expected)
        updated = attrs.evolve(current, status=status)
        self._t.put("suggestions", suggestion_id, updated)
        return updated

    def delete_pending(self, day: date) -> int:
        require_day("day", day)
        txn = self._t
        pending = [s for s in self._of_day(txn, day) if s.status is _PENDING]
        for suggestion in pending:
            txn.delete("suggestions", suggestion.suggestion_id)
        return len(pending)

    def for_customer(self, customer_id: str) -> list[Suggestion]:
        found: list[Suggestion] = self._t.lookup(
            "suggestions_by_customer", require_key("customer_id", customer_id)
        )
        return sorted(found, key=suggestion_sort_key)

    def days_frame(self, first: date, last: date) -> pl.DataFrame:
        import polars as pl

        from otocore.adapters import _frames as fr

        start, end = require_day("first", first), require_day("last", last)
        return pl.DataFrame(
            [
                (s.day, s.seller_code)
                for s in self._t.rows("suggestions").values()
                if start <= s.day <= end
            ],
            schema=fr.SUGGESTION_DAYS,
            orient="row",
        )

    def iter_days(self, first: date, last: date) -> Iterator[Suggestion]:
        require_day("first", first)
        require_day("last", last)
        return self._between(self._t, first, last)

    @staticmethod
    def _between(txn: Txn, first: date, last: date) -> Iterator[Suggestion]:
        chosen = [s for s in txn.rows("suggestions").values() if first <= s.day <= last]
        chosen.sort(key=suggestion_sort_key)
        yield from chosen

    def days(self) -> list[date]:
        return sorted({s.day for s in self._t.rows("suggestions").values()})


class Workloads(Repository):
    def set(self, seller_code: str, workload: SellerWorkload) -> None:
        code, checked = check_workload(seller_code, workload)
        self._t.put("workloads", code, checked)

    def get(self, seller_code: str) -> SellerWorkload | None:
        found: SellerWorkload | None = self._t.get(
            "workloads", require_key("seller_code", seller_code)
        )
        return found

    def all(self) -> dict[str, SellerWorkload]:
        rows = self._t.rows("workloads")
        return {k: rows[k] for k in sorted(rows)}

    def delete(self, seller_code: str) -> None:
        self._t.delete("workloads", require_key("seller_code", seller_code))
