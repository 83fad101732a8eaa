"""Strategies for the chained logs: keys, customer history changes, data accesses."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import strategies as st

from otocore.history import (
    AccessAction,
    AccessEntry,
    AccessEvent,
    HistoryChange,
    HistoryEntry,
    HistoryReason,
    redact_entry,
    seal_access,
    seal_change,
)
from otocore.ledger import LOG_NAMES, LogHead, LogKey, LogKeyring
from otocore.testing._customers import cpfs
from otocore.testing._strategies import aware_datetimes

_START = datetime(2020, 1, 1, tzinfo=UTC)
_END = datetime(2035, 1, 1, tzinfo=UTC)
_FIELDS = ("name", "email", "mobile", "birth_date", "cpf", "rg", "city")
_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cc", "Cs")), min_size=1, max_size=40
).filter(lambda s: not s.isspace())


def log_keys() -> st.SearchStrategy[LogKey]:
    """Log keys with ids ``k0``-``k9`` and 32-byte secrets.

    >>> from hypothesis import find
    >>> find(log_keys(), lambda k: True).key_id
    'k0'
    """
    return st.builds(
        LogKey,
        key_id=st.integers(0, 9).map(lambda n: f"k{n}"),
        secret=st.binary(min_size=32, max_size=32),
    )


def log_keyrings() -> st.SearchStrategy[LogKeyring]:
    """Keyrings of one to three keys (distinct ids), the last one current.

    >>> from hypothesis import find
    >>> len(find(log_keyrings(), lambda r: len(r.keys) == 2).keys)
    2
    """
    return st.lists(log_keys(), min_size=1, max_size=3, unique_by=lambda k: k.key_id).map(
        lambda keys: LogKeyring(keys=keys, current=keys[-1].key_id)
    )


def history_changes(
    *, customer_ids: st.SearchStrategy[str] | None = None
) -> st.SearchStrategy[HistoryChange]:
    """Changes of a customer's registry field, values of any Unicode text (or ``None``).

    >>> from hypothesis import find
    >>> find(history_changes(), lambda c: c.old_value is None).field in _FIELDS
    True
    """
    values = st.none() | _TEXT | cpfs().map(lambda c: c.digits)
    return st.builds(
        HistoryChange,
        customer_id=customer_ids
        if customer_ids is not None
        else st.sampled_from(["C1", "C2", "C3"]),
        field=st.sampled_from(_FIELDS),
        old_value=values,
        new_value=values,
        actor=st.sampled_from(["u-sac", "u-gerente", "import"]),
        at=aware_datetimes(min_value=_START, max_value=_END),
        reason=st.sampled_from(HistoryReason),
    )


def access_events() -> st.SearchStrategy[AccessEvent]:
    """Data accesses; their query and detail may hold CPFs (masked when the event is built).

    >>> from hypothesis import find
    >>> "*" in find(access_events(), lambda e: "*" in e.query).query
    True
    """
    with_cpf = st.builds(lambda c, t: f"{t} cpf {c.formatted} ", cpfs(), _TEXT)
    return st.builds(
        AccessEvent,
        actor=st.sampled_from(["u-gerente", "u-admin"]),
        at=aware_datetimes(min_value=_START, max_value=_END),
        action=st.sampled_from(AccessAction),
        query=st.just("") | _TEXT | with_cpf,
        customers=st.integers(0, 10**6),
        detail=st.just("") | _TEXT,
    )


def history_entries() -> st.SearchStrategy[HistoryEntry]:
    """Single sealed history entries (``sequence`` 1), some redacted.

    >>> from hypothesis import find
    >>> find(history_entries(), lambda e: e.redacted).old_value is None
    True
    """
    sealed = st.builds(
        lambda change, key: seal_change(change, tail=None, key=key), history_changes(), log_keys()
    )
    return st.tuples(sealed, st.booleans()).map(lambda p: redact_entry(p[0]) if p[1] else p[0])


def access_entries() -> st.SearchStrategy[AccessEntry]:
    """Single sealed data-access entries (``sequence`` 1).

    >>> from hypothesis import find
    >>> find(access_entries(), lambda e: True).sequence
    1
    """
    return st.builds(
        lambda event, key: seal_access(event, tail=None, key=key), access_events(), log_keys()
    )


def log_heads() -> st.SearchStrategy[LogHead]:
    """Heads of any of the three logs.

    >>> from hypothesis import find
    >>> find(log_heads(), lambda h: h.log == "audit").log
    'audit'
    """
    return st.builds(
        LogHead,
        log=st.sampled_from(sorted(LOG_NAMES)),
        sequence=st.integers(1, 2**62),
        key_id=st.integers(0, 9).map(lambda n: f"k{n}"),
        mac=st.text("0123456789abcdef", min_size=64, max_size=64),
    )


def strategy_table() -> dict[type, st.SearchStrategy[object]]:
    """Default strategies for this module's types, for ``st.from_type`` registration."""
    return {
        HistoryChange: history_changes(),
        HistoryEntry: history_entries(),
        AccessEvent: access_events(),
        AccessEntry: access_entries(),
        LogHead: log_heads(),
        HistoryReason: st.sampled_from(HistoryReason),
        AccessAction: st.sampled_from(AccessAction),
    }
