# ruff: noqa: S101 - a test suite: its checks are asserts
"""The storage contract of access: login accounts, single-use tokens and the audit log."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from otocore.access import (
    Action,
    AuditEntry,
    Outcome,
    Target,
    append_entry,
    entry_hash,
    verify_audit_log,
)
from otocore.auth import (
    Account,
    AccountState,
    AccountToken,
    Role,
    TokenPurpose,
    hash_token,
    normalize_login_email,
)
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.testing import (
    account_tokens,
    accounts,
    audit_logs,
)
from otocore.testing.storage._builders import (
    PASSWORD,
    PIN,
    PROPERTY_SETTINGS,
    SP,
    T0,
    MakeUow,
    _account,
    _consent,
    _entry,
    _hashed,
    _token,
)


def _unsealed(entry: AuditEntry | None) -> AuditEntry | None:
    """``entry`` as appended: a store opened with log keys adds ``key_id`` and ``mac``."""
    return None if entry is None else attrs.evolve(entry, key_id=None, mac=None)


class AccountsContract:
    """The contract of the access repositories, as a pytest test class to subclass.

    Login accounts (unique ids and e-mails), single-use tokens (found by hash,
    stored once) and the hash-chained audit log (append-only), with their
    argument checks and Hypothesis round trips. Subclass it and define a
    ``make_uow`` fixture, as for :class:`~otocore.testing.storage.UnitOfWorkContract`.

    >>> "test_a_token_hash_is_stored_once" in dir(AccountsContract)
    True
    """

    # accounts -----------------------------------------------------------------

    def test_account_add_get_and_find_by_email(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        state = AccountState(failures=3, locked=True, must_change_password=True, active=False)
        ana = _account(state=state)
        with uow:
            uow.accounts.add(ana)
        with uow:
            stored = uow.accounts.get("u-ana")
            assert stored == ana  # hashes and state exactly as given
            assert stored.password_hash == _hashed(PASSWORD)
            assert stored.pin_hash == _hashed(PIN)
            assert stored.state == state
            assert uow.accounts.find_by_email(normalize_login_email(" ANA@Example.COM ")) == ana
            assert uow.accounts.find_by_email(normalize_login_email("bruno@example.com")) is None
            assert uow.accounts.for_seller("V01") == ana
            assert uow.accounts.for_seller("V99") is None
            with pytest.raises(NotFound, match="u-bruno"):
                uow.accounts.get("u-bruno")

    def test_an_account_without_secrets_round_trips(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        admin = _account(
            "u-admin",
            "admin@example.com",
            roles=frozenset(Role),
            store="L09",
            seller="V09",
            hashed=False,
        )
        with uow:
            uow.accounts.add(admin)
        with uow:
            stored = uow.accounts.get("u-admin")
            assert stored == admin
            assert stored.password_hash is None
            assert stored.pin_hash is None
            assert stored.roles == frozenset(Role)

    def test_account_ids_and_emails_are_unique(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        ana = _account()
        with uow:
            uow.accounts.add(ana)
        with uow:
            with pytest.raises(RuleViolation, match="account_id"):
                uow.accounts.add(_account(email="outra@example.com"))
            with pytest.raises(RuleViolation, match="e-mail"):
                uow.accounts.add(_account("u-bruno", "Ana@Example.com", seller="V02"))
            # the block is still usable after a refused add
            uow.accounts.add(_account("u-bruno", "bruno@example.com", seller="V02"))
        with uow:
            assert [a.account_id for a in uow.accounts.list()] == ["u-ana", "u-bruno"]
            assert uow.accounts.get("u-ana") == ana

    def test_account_save_replaces_and_keeps_emails_unique(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        ana = _account()
        bruno = _account("u-bruno", "bruno@example.com", seller="V02")
        with uow:
            uow.accounts.add(ana)
            uow.accounts.add(bruno)
        failed = attrs.evolve(ana, state=AccountState(failures=1), pin_hash=_hashed("73902846"))
        with uow.writing():
            uow.accounts.save(failed)
            assert uow.accounts.get("u-ana") == failed  # the block reads its own write
        with uow:
            assert uow.accounts.get("u-ana") == failed
            with pytest.raises(RuleViolation, match="e-mail"):
                uow.accounts.save(attrs.evolve(failed, email=bruno.email))
            with pytest.raises(NotFound):
                uow.accounts.save(_account("u-carla", "carla@example.com"))
            moved = attrs.evolve(failed, email=normalize_login_email("ana.souza@example.com"))
            uow.accounts.save(moved)
        with uow:
            assert uow.accounts.get("u-ana") == moved
            assert uow.accounts.find_by_email(ana.email) is None
            assert uow.accounts.find_by_email(moved.email) == moved
            assert uow.accounts.get("u-bruno") == bruno
            assert [a.account_id for a in uow.accounts.list()] == ["u-ana", "u-bruno"]

    def test_account_list_filters_by_store_and_role(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        people = [
            _account("u-4", "d@example.com", roles=frozenset({Role.CALL_CENTER}), seller=None),
            _account("u-1", "a@example.com", seller="V01"),
            _account("u-3", "c@example.com", roles=frozenset({Role.STORE_MANAGER}), seller=None),
            _account("u-2", "b@example.com", seller="V02", store="L02"),
            _account(
                "u-5",
                "e@example.com",
                roles=frozenset({Role.BRAND_ADMIN, Role.ORDER_APPROVER}),
                seller=None,
                store=None,
            ),
        ]
        with uow:
            for person in people:
                uow.accounts.add(person)
        with uow:

            def ids(found: list[Account]) -> list[str]:
                return [a.account_id for a in found]

            assert ids(uow.accounts.list()) == ["u-1", "u-2", "u-3", "u-4", "u-5"]
            assert ids(uow.accounts.list(store_id="L01")) == ["u-1", "u-3", "u-4"]
            assert ids(uow.accounts.list(role=Role.SELLER)) == ["u-1", "u-2"]
            assert ids(uow.accounts.list(role=Role.STORE_MANAGER)) == ["u-3"]
            assert ids(uow.accounts.list(role=Role.ORDER_APPROVER)) == ["u-5"]
            assert ids(uow.accounts.list(store_id="L02", role=Role.SELLER)) == ["u-2"]
            assert ids(uow.accounts.list(store_id="L09")) == []
            assert uow.accounts.list(store_id="L01", role=Role.BRAND_ADMIN) == []

    def test_for_seller_gives_the_lowest_account_id(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow:
            uow.accounts.add(_account("u-2", "b@example.com"))
            uow.accounts.add(_account("u-1", "a@example.com"))
        with uow:
            found = uow.accounts.for_seller("V01")
            assert found is not None
            assert found.account_id == "u-1"

    # tokens -------------------------------------------------------------------

    def test_tokens_are_found_by_hash_and_the_last_added_is_newest(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        text1, first = _token(1)
        text2, second = _token(2)  # issued in the same instant as the first
        _, pin = _token(3, purpose=TokenPurpose.PIN)
        with uow:
            uow.tokens.add(first)
            uow.tokens.add(second)
            assert uow.tokens.newest("u-ana", TokenPurpose.PASSWORD) == second
        with uow:
            uow.tokens.add(pin)
        with uow:
            assert uow.tokens.find(hash_token(text1)) == first
            assert uow.tokens.find(hash_token(text2)) == second
            assert uow.tokens.find(hash_token("not a token")) is None
            assert uow.tokens.newest("u-ana", TokenPurpose.PASSWORD) == second
            assert uow.tokens.newest("u-ana", TokenPurpose.PIN) == pin
            assert uow.tokens.newest("u-bruno", TokenPurpose.PASSWORD) is None

    def test_newest_is_the_token_added_last_not_the_latest_issued(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        _, later = _token(1, at=T0 + timedelta(minutes=30))
        _, earlier = _token(2, at=T0)
        with uow:
            uow.tokens.add(later)
        with uow:
            uow.tokens.add(earlier)
        with uow:
            assert uow.tokens.newest("u-ana", TokenPurpose.PASSWORD) == earlier

    def test_a_token_hash_is_stored_once(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        text, token = _token(1)
        with uow:
            uow.tokens.add(token)
        with uow:
            with pytest.raises(RuleViolation) as info:
                uow.tokens.add(attrs.evolve(token, account_id="u-bruno"))
            assert token.record.token_hash not in str(info.value)
            assert text not in str(info.value)
            _, other = _token(2)
            uow.tokens.add(other)  # the block is still usable
        with uow:
            assert uow.tokens.find(token.record.token_hash) == token
            assert uow.tokens.newest("u-bruno", TokenPurpose.PASSWORD) is None
            assert uow.tokens.newest("u-ana", TokenPurpose.PASSWORD) == other

    def test_mark_used_records_the_instant_in_utc(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        text, token = _token(1)
        when = datetime(2026, 5, 4, 6, 15, 0, 123456, tzinfo=SP)
        with uow.writing():
            uow.tokens.add(token)
            uow.tokens.mark_used(hash_token(text), when)
        with uow:
            found = uow.tokens.find(hash_token(text))
            assert found is not None
            assert found.record.used_at == when
            assert found.record.used_at.utcoffset() == timedelta(0)
            assert found == attrs.evolve(token, record=attrs.evolve(token.record, used_at=when))
            unknown = hash_token("not a token")
            with pytest.raises(NotFound) as info:
                uow.tokens.mark_used(unknown, when)
            assert unknown not in str(info.value)

    def test_issued_since_counts_tokens_issued_after_the_instant(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        minute = timedelta(minutes=1)
        with uow:
            for n, (purpose, at) in enumerate(
                [
                    (TokenPurpose.PASSWORD, T0 + 10 * minute),
                    (TokenPurpose.PASSWORD, T0),
                    (TokenPurpose.PASSWORD, T0),
                    (TokenPurpose.PIN, T0 + 20 * minute),
                ],
                start=1,
            ):
                uow.tokens.add(_token(n, purpose=purpose, at=at)[1])
            uow.tokens.add(_token(9, account="u-bruno", at=T0 + minute)[1])
        with uow:
            since = uow.tokens.issued_since
            assert since("u-ana", TokenPurpose.PASSWORD, T0 - minute) == [T0, T0, T0 + 10 * minute]
            assert since("u-ana", TokenPurpose.PASSWORD, T0) == [T0 + 10 * minute]  # strictly after
            assert since("u-ana", TokenPurpose.PIN, T0.astimezone(SP)) == [T0 + 20 * minute]
            assert since("u-ana", TokenPurpose.PASSWORD, T0 + 10 * minute) == []
            assert since("u-carla", TokenPurpose.PASSWORD, T0 - minute) == []

    # the audit log ------------------------------------------------------------

    def test_the_audit_log_appends_only_the_successor_of_its_tail(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        first = _entry(None)
        second = _entry(first, outcome=Outcome.DENIED, detail="not this store")
        third = _entry(second)
        with uow.writing():
            assert uow.audit.tail() is None
            assert uow.audit.count() == 0
            with pytest.raises(RuleViolation):
                uow.audit.append(second)  # the log is empty: only a first entry follows
            uow.audit.append(first)
            assert _unsealed(uow.audit.tail()) == first
        with uow.writing():
            forked = append_entry(
                first,
                at=T0,
                actor="u-outro",
                action=Action.RESET_PIN,
                target=Target(account_id="u-ana"),
                outcome=Outcome.ALLOWED,
            )
            uow.audit.append(second)
            for wrong in (
                first,  # already there
                attrs.evolve(third, sequence=4),  # a gap
                forked,  # sequence 2 again
                attrs.evolve(third, previous_hash=first.entry_hash),
            ):
                with pytest.raises(RuleViolation):
                    uow.audit.append(wrong)
            assert uow.audit.count() == 2  # nothing written by the refused appends
            uow.audit.append(third)
        with uow:
            assert _unsealed(uow.audit.tail()) == third
            assert uow.audit.count() == 3
            assert [_unsealed(e) for e in uow.audit.iter_all()] == [first, second, third]
            assert verify_audit_log(uow.audit.iter_all(), tail_hash=third.entry_hash).ok

    def test_audit_actions_come_back_as_actions_or_free_text(self, make_uow: MakeUow) -> None:
        uow = make_uow()
        with uow.writing():
            named = _entry(None, action="reset_pin")  # the text of an Action
            uow.audit.append(named)
            free = _entry(uow.audit.tail(), action="exportar relatório")
            uow.audit.append(free)
        with uow:
            stored = [attrs.evolve(e, key_id=None, mac=None) for e in uow.audit.iter_all()]
            assert [e.action for e in stored] == [Action.RESET_PIN, "exportar relatório"]
            assert stored[0] == attrs.evolve(named, action=Action.RESET_PIN)
            assert stored[1] == free
            assert entry_hash(stored[0]) == named.entry_hash  # the same entry to the chain
            assert verify_audit_log(stored).ok

    def test_bad_account_token_and_audit_arguments_are_validation_errors(
        self, make_uow: MakeUow
    ) -> None:
        uow = make_uow()
        with uow:
            with pytest.raises(ValidationError):
                uow.accounts.add("u-ana")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.accounts.get(42)  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.accounts.find_by_email("ana@example.com")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.accounts.list(role="seller")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):  # more than a signed 64-bit count
                uow.accounts.add(_account(state=AccountState(failures=2**63)))
            with pytest.raises(ValidationError) as info:
                uow.tokens.find("secret-token-text")
            assert "secret-token-text" not in str(info.value)
            with pytest.raises(ValidationError):
                uow.tokens.add(_token(1)[1].record)  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.tokens.newest("u-ana", "password")  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.tokens.mark_used(hash_token("x"), datetime(2026, 5, 4))  # noqa: DTZ001
            with pytest.raises(ValidationError):
                uow.tokens.issued_since("u-ana", TokenPurpose.PIN, date(2026, 5, 4))  # type: ignore[arg-type]
            with pytest.raises(ValidationError):
                uow.audit.append(_consent())  # type: ignore[arg-type]

    @PROPERTY_SETTINGS
    @given(
        people=st.lists(
            accounts(),
            max_size=6,
            unique_by=(lambda a: a.account_id, lambda a: a.email.address),
        )
    )
    def test_accounts_round_trip(self, make_uow: MakeUow, people: list[Account]) -> None:
        uow = make_uow()
        with uow:
            for person in people:
                uow.accounts.add(person)
        by_id = sorted(people, key=lambda a: a.account_id)
        with uow:
            assert uow.accounts.list() == by_id
            for person in people:
                assert uow.accounts.get(person.account_id) == person
                assert uow.accounts.find_by_email(person.email) == person
            for code in {a.seller_code for a in people if a.seller_code is not None}:
                assert uow.accounts.for_seller(code) == next(
                    a for a in by_id if a.seller_code == code
                )
            for role in Role:
                assert uow.accounts.list(role=role) == [a for a in by_id if role in a.roles]
            for store in {a.store_id for a in people if a.store_id is not None}:
                assert uow.accounts.list(store_id=store) == [
                    a for a in by_id if a.store_id == store
                ]

    @PROPERTY_SETTINGS
    @given(
        tokens=st.lists(
            account_tokens(account_id=st.sampled_from(["u-ana", "u-bruno"])),
            max_size=8,
            unique_by=lambda t: t.record.token_hash,
        ),
        since=st.datetimes(
            min_value=datetime(2026, 4, 30),  # noqa: DTZ001 - made aware by timezones=
            max_value=datetime(2026, 6, 2),  # noqa: DTZ001
            timezones=st.sampled_from([UTC, SP]),
        ),
    )
    def test_tokens_round_trip(
        self, make_uow: MakeUow, tokens: list[AccountToken], since: datetime
    ) -> None:
        uow = make_uow()
        with uow:
            for token in tokens:
                uow.tokens.add(token)
        with uow:
            for token in tokens:
                assert uow.tokens.find(token.record.token_hash) == token
            for account_id in ("u-ana", "u-bruno"):
                for purpose in TokenPurpose:
                    mine = [
                        t for t in tokens if t.account_id == account_id and t.purpose is purpose
                    ]
                    assert uow.tokens.newest(account_id, purpose) == (mine[-1] if mine else None)
                    assert uow.tokens.issued_since(account_id, purpose, since) == sorted(
                        t.record.issued_at for t in mine if t.record.issued_at > since
                    )

    @PROPERTY_SETTINGS
    @given(log=audit_logs(max_size=8), split=st.integers(0, 8))
    def test_audit_log_round_trip(
        self, make_uow: MakeUow, log: list[AuditEntry], split: int
    ) -> None:
        uow = make_uow()
        with uow.writing():
            for entry in log[:split]:
                uow.audit.append(entry)
        with uow.writing():
            for entry in log[split:]:
                uow.audit.append(entry)
        with uow:
            assert [_unsealed(e) for e in uow.audit.iter_all()] == log
            assert _unsealed(uow.audit.tail()) == (log[-1] if log else None)
            assert uow.audit.count() == len(log)
            assert verify_audit_log(uow.audit.iter_all()).ok
