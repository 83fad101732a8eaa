# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of the chained logs: the customer history and the data-access log."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.access import audit_head, verify_audit_log
from otocore.errors import ValidationError
from otocore.history import (
    AccessAction,
    AccessEntry,
    AccessEvent,
    HistoryChange,
    HistoryEntry,
    HistoryReason,
    access_head,
    history_head,
    verify_access_log,
    verify_history,
)
from otocore.ledger import LogKey, LogKeyring
from otocore.testing._history import access_events, history_changes
from otocore.testing.storage._builders import PROPERTY_SETTINGS, MakeUow, _entry

CONTRACT_LOG_KEYS = LogKeyring.of(
    LogKey(key_id="contract-2", secret=bytes(range(1, 33))),
    LogKey(key_id="contract-1", secret=bytes(range(101, 133))),
)
"""The keyring the contract expects ``make_uow``'s stores to be opened with (by default).

Override the ``log_keys`` fixture to use another one.
"""

_T0 = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)
_instants = st.none() | st.datetimes(
    min_value=datetime(2020, 1, 1),  # noqa: DTZ001 - made aware by ``timezones``
    max_value=datetime(2035, 1, 1),  # noqa: DTZ001
    timezones=st.just(UTC),
)


def _change(
    n: int, customer_id: str = "C1", *, field: str = "email", cleared: bool = False
) -> HistoryChange:
    return HistoryChange(
        customer_id=customer_id,
        field=field,
        old_value=f"old{n}@example.com",
        new_value=None if cleared else f"new{n}@example.com",
        actor="u-sac",
        at=_T0 + timedelta(minutes=n),
        reason=HistoryReason.SAC_CALL,
    )


def _access(n: int, *, query: str = "name ~ ana") -> AccessEvent:
    return AccessEvent(
        actor="u-gerente",
        at=_T0 + timedelta(minutes=n),
        action=AccessAction.EXPORT_REQUESTED,
        query=query,
        customers=n,
        detail="xlsx",
    )


def _values(entries: list[HistoryEntry]) -> list[tuple[str | None, str | None]]:
    return [(e.old_value, e.new_value) for e in entries]


class LogsContract:
    """The contract of the chained logs, as a pytest test class to subclass.

    The customer history (append sealed with the store's current key,
    reading a customer's history in order, redaction that keeps the chain)
    and the data-access log (append, masked CPFs, the chain), and the audit
    log's keyed MACs. ``make_uow``'s stores must be opened with the keyring
    of the ``log_keys`` fixture (by default :data:`CONTRACT_LOG_KEYS`).

    >>> "test_redaction_removes_values_and_keeps_the_chain" in dir(LogsContract)
    True
    """

    @pytest.fixture
    def log_keys(self) -> LogKeyring:
        """The keyring ``make_uow``'s stores were opened with."""
        return CONTRACT_LOG_KEYS

    # the customer history -------------------------------------------------------

    def test_history_appends_in_sequence_and_reads_back_by_customer(
        self, make_uow: MakeUow, log_keys: LogKeyring
    ) -> None:
        uow = make_uow()
        with uow.writing():
            assert uow.customer_history.tail() is None
            assert uow.customer_history.count() == 0
            assert uow.customer_history.for_customer("C1") == []
            first = uow.customer_history.append(_change(1, "C1"))
            second = uow.customer_history.append(_change(2, "C2"))
        with uow.writing():
            third = uow.customer_history.append(_change(3, "C1", field="mobile", cleared=True))
        assert [e.sequence for e in (first, second, third)] == [1, 2, 3]
        assert {e.key_id for e in (first, second, third)} == {log_keys.current}
        with uow:
            assert uow.customer_history.for_customer("C1") == [first, third]
            assert uow.customer_history.for_customer("C2") == [second]
            assert uow.customer_history.for_customer("C9") == []
            assert uow.customer_history.tail() == third
            assert uow.customer_history.count() == 3
            everything = list(uow.customer_history.iter_all())
        assert everything == [first, second, third]
        assert third.new_value is None
        assert not third.redacted
        result = verify_history(everything, keys=log_keys, head=history_head(third))
        assert result.ok
        assert result.entries == 3
        assert result.redacted == ()

    def test_redaction_removes_values_and_keeps_the_chain(
        self, make_uow: MakeUow, log_keys: LogKeyring
    ) -> None:
        uow = make_uow()
        with uow.writing():
            for n, customer in enumerate(["C1", "C2", "C1", "C1"], start=1):
                uow.customer_history.append(_change(n, customer))
            head = history_head(uow.customer_history.tail())  # type: ignore[arg-type]
        with uow:
            assert uow.customer_history.redact("C1") == 3
        with uow:
            mine = uow.customer_history.for_customer("C1")
            other = uow.customer_history.for_customer("C2")
            everything = list(uow.customer_history.iter_all())
            assert uow.customer_history.count() == 4
            assert uow.customer_history.redact("C1") == 0  # twice is harmless
            assert uow.customer_history.redact("C9") == 0
        assert [e.sequence for e in mine] == [1, 3, 4]  # the facts stay, in order
        assert all(e.redacted and e.old_value is None and e.new_value is None for e in mine)
        assert [e.field for e in mine] == ["email"] * 3
        assert _values(other) == [("old2@example.com", "new2@example.com")]
        assert not other[0].redacted
        result = verify_history(everything, keys=log_keys, head=head)
        assert result.ok, result.problem
        assert result.redacted == (1, 3, 4)

    def test_a_redaction_rolled_back_keeps_the_values(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing():
            uow.customer_history.append(_change(1))
        with uow:
            assert uow.customer_history.redact("C1") == 1
            uow.rollback()
            assert _values(uow.customer_history.for_customer("C1")) == [
                ("old1@example.com", "new1@example.com")
            ]

    def test_history_appends_in_a_failed_block_leave_nothing(self, make_uow: MakeUow) -> None:
        uow = make_uow()

        class Boom(Exception):
            pass

        def append_then_fail() -> None:
            with uow.writing():
                uow.customer_history.append(_change(1))
                uow.access_log.append(_access(1))
                raise Boom

        with pytest.raises(Boom):
            append_then_fail()
        with uow.writing():
            assert uow.customer_history.count() == 0
            assert uow.access_log.count() == 0
            assert uow.customer_history.append(_change(2)).sequence == 1

    def test_bad_log_arguments_are_validation_errors(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing():
            with pytest.raises(ValidationError, match="change"):
                uow.customer_history.append("email")  # type: ignore[arg-type]
            with pytest.raises(ValidationError, match="customer_id"):
                uow.customer_history.for_customer("")
            with pytest.raises(ValidationError, match="customer_id"):
                uow.customer_history.redact(None)  # type: ignore[arg-type]
            with pytest.raises(ValidationError, match="event"):
                uow.access_log.append(_change(1))  # type: ignore[arg-type]
            assert uow.customer_history.count() == 0
            assert uow.access_log.count() == 0

    # the data-access log ------------------------------------------------------------

    def test_the_access_log_appends_in_sequence_with_cpfs_masked(
        self, make_uow: MakeUow, log_keys: LogKeyring
    ) -> None:
        uow = make_uow()
        with uow.writing():
            assert uow.access_log.tail() is None
            first = uow.access_log.append(_access(1, query="cpf = 529.982.247-25"))
            second = uow.access_log.append(_access(2))
        with uow:
            stored = list(uow.access_log.iter_all())
            assert uow.access_log.tail() == second
            assert uow.access_log.count() == 2
        assert stored == [first, second]
        assert stored[0].query == "cpf = ***.982.247-**"
        assert verify_access_log(stored, keys=log_keys, head=access_head(second)).ok
        assert not verify_access_log(stored[:1], keys=log_keys, head=access_head(second)).ok

    def test_the_access_log_reads_a_keyed_page_with_its_filters(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        H, X = AccessAction.HISTORY_READ, AccessAction.EXPORT_REQUESTED  # noqa: N806
        specs = [  # (actor, action, minute, query)
            ("u-sac", H, 1, "customer C1"),
            ("u-admin", X, 2, "name = ana"),
            ("u-sac", H, 3, "Customer C1"),  # another case: not "customer C1"
            ("u-sac", X, 4, "customerXid=C1"),  # a LIKE pattern "customer_id=C1" would match
            ("u-admin", H, 5, "customer_id=C1; after=0 limit=100"),
            ("u-sac", H, 6, "customer C10"),
            ("u-sac", X, 7, "100% = 100%"),
        ]
        with uow.writing():
            stored = [
                uow.access_log.append(
                    AccessEvent(
                        actor=actor,
                        at=_T0 + timedelta(minutes=minute),
                        action=action,
                        query=query,
                        customers=1,
                    )
                )
                for actor, action, minute, query in specs
            ]
        with uow:
            page = uow.access_log.page
            assert page(0, 3) == stored[:3]
            assert page(3, 100) == stored[3:]
            assert page(7, 5) == []
            assert page(0, 2, account="u-admin") == [stored[1], stored[4]]
            assert page(2, 10, action=X) == [stored[3], stored[6]]
            since, until = _T0 + timedelta(minutes=3), _T0 + timedelta(minutes=6)
            assert page(0, 10, since=since) == stored[2:]  # since: inclusive
            assert page(0, 10, until=until) == stored[:5]  # until: exclusive
            assert page(0, 10, since=since, until=until, account="u-sac") == stored[2:4]
            assert page(0, 10, query_contains=["customer C1"]) == [stored[0], stored[5]]
            assert page(0, 10, query_contains=["customer_id=C1"]) == [stored[4]]
            assert page(0, 10, query_contains=["customer C1", "customer_id=C1"]) == [
                stored[0],
                stored[4],
                stored[5],
            ]
            assert page(0, 10, query_contains=["%"]) == [stored[6]]
            assert page(0, 1, query_contains=["C1"], action=H, account="u-sac") == [stored[0]]
            assert page(1, 10, query_contains=["C1"], action=H, account="u-sac") == [
                stored[2],
                stored[5],
            ]

    @pytest.mark.parametrize(
        ("arguments", "field"),
        [
            ({"after": -1}, "after"),
            ({"after": True}, "after"),
            ({"limit": 0}, "limit"),
            ({"limit": "10"}, "limit"),
            ({"since": datetime(2026, 6, 1)}, "since"),  # noqa: DTZ001 - naive on purpose
            ({"until": "2026-06-01"}, "until"),
            ({"account": ""}, "account"),
            ({"action": "history_read"}, "action"),
            ({"query_contains": "customer C1"}, "query_contains"),
            ({"query_contains": [""]}, r"query_contains\[0\]"),
            ({"query_contains": ["a\x00b"]}, r"query_contains\[0\]"),
        ],
    )
    def test_a_bad_page_argument_is_a_validation_error(
        self, make_uow: MakeUow, arguments: dict[str, object], field: str
    ) -> None:
        uow = make_uow()
        given = {"after": 0, "limit": 10, **arguments}
        after, limit = given.pop("after"), given.pop("limit")
        with uow, pytest.raises(ValidationError, match=f"^{field} "):
            uow.access_log.page(after, limit, **given)  # type: ignore[arg-type]

    @PROPERTY_SETTINGS
    @given(
        events=st.lists(access_events(), max_size=8),
        after=st.integers(0, 9),
        limit=st.integers(1, 9),
        wanted=st.fixed_dictionaries(
            {
                "since": _instants,
                "until": _instants,
                "account": st.none() | st.sampled_from(["u-gerente", "u-admin"]),
                "action": st.none() | st.sampled_from(AccessAction),
                "query_contains": st.lists(
                    st.sampled_from(["cpf", "*", "a", "A", "_", "%", "ã"])
                    | st.text("ab_%*", min_size=1),
                    max_size=2,
                ),
            }
        ),
    )
    def test_an_access_log_page_is_the_log_filtered_by_hand(
        self,
        make_uow: MakeUow,
        events: list[AccessEvent],
        after: int,
        limit: int,
        wanted: dict[str, Any],
    ) -> None:
        uow = make_uow()
        with uow.writing():
            stored = [uow.access_log.append(e) for e in events]
        with uow:
            got = uow.access_log.page(after, limit, **wanted)
        since, until, needles = wanted["since"], wanted["until"], wanted["query_contains"]
        by_hand = [
            e
            for e in stored
            if e.sequence > after
            and (since is None or e.at >= since)
            and (until is None or e.at < until)
            and (wanted["account"] is None or e.actor == wanted["account"])
            and (wanted["action"] is None or e.action is wanted["action"])
            and (not needles or any(n in e.query for n in needles))
        ]
        assert got == by_hand[:limit]

    # the audit log, keyed ---------------------------------------------------------

    def test_the_audit_log_is_sealed_with_the_current_key(
        self, make_uow: MakeUow, log_keys: LogKeyring
    ) -> None:
        uow = make_uow()
        with uow.writing():
            uow.audit.append(_entry(None))
            uow.audit.append(_entry(uow.audit.tail()))
        with uow:
            log = list(uow.audit.iter_all())
        assert [e.key_id for e in log] == [log_keys.current] * 2
        result = verify_audit_log(log, keys=log_keys, head=audit_head(log[-1]))
        assert result.ok
        assert result.macs_checked == 2
        with uow.writing(), pytest.raises(ValidationError, match="the store seals"):
            uow.audit.append(attrs.evolve(_entry(log[-1]), key_id="x", mac="0" * 64))

    # properties -------------------------------------------------------------------

    @PROPERTY_SETTINGS
    @given(
        changes=st.lists(history_changes(), max_size=8),
        events=st.lists(access_events(), max_size=4),
        redact=st.sampled_from(["C1", "C2", "C3"]),
    )
    def test_logs_round_trip_and_verify(
        self,
        make_uow: MakeUow,
        log_keys: LogKeyring,
        changes: list[HistoryChange],
        events: list[AccessEvent],
        redact: str,
    ) -> None:
        uow = make_uow()
        with uow.writing():
            entries = [uow.customer_history.append(c) for c in changes]
            accesses: list[AccessEntry] = [uow.access_log.append(e) for e in events]
        with uow:
            for customer in ("C1", "C2", "C3"):
                assert uow.customer_history.for_customer(customer) == [
                    e for e in entries if e.customer_id == customer
                ]
            assert list(uow.access_log.iter_all()) == accesses
            assert uow.customer_history.redact(redact) == sum(
                1 for c in changes if c.customer_id == redact
            )
        with uow:
            stored = list(uow.customer_history.iter_all())
        assert [(e.old_value, e.new_value) for e in entries] == [
            (c.old_value, c.new_value) for c in changes
        ]
        result = verify_history(stored, keys=log_keys)
        assert result.ok, result.problem
        assert result.redacted == tuple(e.sequence for e in entries if e.customer_id == redact)
        assert verify_access_log(accesses, keys=log_keys).ok
