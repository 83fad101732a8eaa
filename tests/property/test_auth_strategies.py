"""otocore.testing's strategies for accounts, tokens, principals and audit logs draw valid values."""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from _support.builders import HASHER
from otocore.access import (
    Action,
    AuditEntry,
    Outcome,
    Principal,
    Target,
    entry_hash,
    verify_audit_log,
)
from otocore.auth import (
    Account,
    AccountState,
    AccountToken,
    LockoutPolicy,
    PasswordPolicy,
    PinDelivery,
    PinPolicy,
    RecoveryRateLimit,
    Role,
    TokenPurpose,
    TokenRecord,
    check_pin_format,
)
from otocore.serialization import converter
from otocore.testing import (
    SAMPLE_PASSWORDS,
    SAMPLE_PINS,
    _auth,
    accounts,
    audit_logs,
    principals,
    token_records,
)

AUTH_TYPES: list[type] = [
    AccountState,
    LockoutPolicy,
    PinPolicy,
    PasswordPolicy,
    RecoveryRateLimit,
    TokenRecord,
    AccountToken,
    Account,
    Principal,
    Target,
    AuditEntry,
    Role,
    TokenPurpose,
    PinDelivery,
    Action,
    Outcome,
]


def _fits_roles(roles: frozenset[Role], store_id: str | None, seller_code: str | None) -> bool:
    if Role.SELLER in roles:
        return store_id is not None and seller_code is not None
    if Role.STORE_MANAGER in roles:
        return store_id is not None and seller_code is None
    return seller_code is None


@pytest.mark.parametrize("cls", AUTH_TYPES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_from_type_draws_values_of_the_type(cls: type, data: st.DataObject) -> None:
    value = data.draw(st.from_type(cls))
    assert type(value) is cls


@pytest.mark.parametrize("cls", AUTH_TYPES, ids=lambda c: c.__name__)
@given(data=st.data())
def test_the_converter_round_trips_them_through_json(cls: type, data: st.DataObject) -> None:
    value = data.draw(st.from_type(cls))
    text = json.dumps(converter.unstructure(value))
    assert converter.structure(json.loads(text), cls) == value


@given(st.from_type(Account))
def test_accounts_fit_their_roles_and_hash_the_sample_secrets(account: Account) -> None:
    assert _fits_roles(account.roles, account.store_id, account.seller_code)
    if account.password_hash is not None:
        assert any(HASHER.verify(account.password_hash, p) for p in SAMPLE_PASSWORDS)
        assert not any(HASHER.verify(account.password_hash, p) for p in SAMPLE_PINS)
    if account.pin_hash is not None:
        assert any(HASHER.verify(account.pin_hash, p) for p in SAMPLE_PINS)
    assert "argon2" not in repr(account)


def test_the_sample_pins_fit_pin_policies_of_their_length() -> None:
    for pin in SAMPLE_PINS:
        assert check_pin_format(pin, PinPolicy(length=len(pin)))


@given(st.lists(accounts(), min_size=5, max_size=10))
def test_secrets_are_hashed_once_not_per_example(drawn: list[Account]) -> None:
    hashes = {a.password_hash for a in drawn} | {a.pin_hash for a in drawn}
    assert len(hashes - {None}) <= len(SAMPLE_PASSWORDS) + len(SAMPLE_PINS)
    assert _auth._hashes.cache_info().currsize <= 2


@given(st.from_type(Principal))
def test_principals_fit_their_roles(principal: Principal) -> None:
    assert _fits_roles(principal.roles, principal.store_id, principal.seller_code)


@given(principals(roles=st.just(frozenset({Role.STORE_MANAGER})), store_id=st.just("L09")))
def test_principal_roles_and_store_can_be_pinned(principal: Principal) -> None:
    assert principal.roles == {Role.STORE_MANAGER}
    assert principal.store_id == "L09"


@given(token_records())
def test_token_records_are_used_only_within_their_life(record: TokenRecord) -> None:
    assert record.issued_at < record.expires_at
    if record.used_at is not None:
        assert record.issued_at <= record.used_at < record.expires_at


@given(audit_logs(max_size=12))
def test_every_drawn_audit_log_verifies(log: list[AuditEntry]) -> None:
    assert len(log) <= 12
    tail = log[-1].entry_hash if log else None
    assert verify_audit_log(log, tail_hash=tail).ok
    assert [e.sequence for e in log] == list(range(1, len(log) + 1))
    for a, b in itertools.pairwise(log):
        assert a.at <= b.at
    for entry in log:
        assert entry_hash(entry) == entry.entry_hash
        # free-text actions never spell an Action, so they survive serialization as text
        if isinstance(entry.action, str):
            assert entry.action not in {a.value for a in Action}


@given(audit_logs(min_size=2, max_size=6), st.data())
def test_a_drawn_log_with_an_entry_removed_does_not_verify(
    log: list[AuditEntry], data: st.DataObject
) -> None:
    gone = data.draw(st.integers(0, len(log) - 2))  # not the last: that needs tail_hash
    assert not verify_audit_log(log[:gone] + log[gone + 1 :]).ok


@given(st.from_type(AuditEntry))
def test_single_entries_come_from_a_verified_chain(entry: AuditEntry) -> None:
    assert entry_hash(entry) == entry.entry_hash
    if entry.sequence == 1:
        assert verify_audit_log([entry]).ok


@given(st.from_type(AuditEntry))
def test_entries_round_trip_with_their_hash(entry: AuditEntry) -> None:
    data: Any = json.loads(json.dumps(converter.unstructure(entry)))
    again = converter.structure(data, AuditEntry)
    assert again == entry
    assert entry_hash(again) == entry.entry_hash
