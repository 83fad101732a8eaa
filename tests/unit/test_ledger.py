"""Worked examples of the keyed chain (otocore.ledger) and the keyed audit log.

The defect of issue 15 ("an unkeyed SHA-256 chain can be rewritten whole, or cut at its
end, by anyone with write access"): ``test_a_rewritten_audit_log_is_detected_with_the_key``
and ``test_a_truncated_audit_log_is_detected_against_its_head`` fail on the unkeyed chain
(the old ``verify_audit_log`` accepts both) and pass with the keyed one.
"""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta

import attrs
import pytest

from otocore.access import (
    Action,
    AuditEntry,
    Outcome,
    Target,
    append_entry,
    audit_head,
    canonical_entry_json,
    seal_entry,
    verify_audit_log,
)
from otocore.adapters.memory import InMemoryDatabase
from otocore.errors import ConfigurationError, ValidationError
from otocore.ledger import (
    GENESIS_MAC,
    LogHead,
    LogKey,
    LogKeyring,
    chain_mac,
    dump_head,
    new_log_key,
    parse_head,
    parse_key,
    parse_keyring,
)

K1 = LogKey(key_id="2026-01", secret=bytes(range(32)))
K2 = LogKey(key_id="2026-06", secret=bytes(range(50, 90)))
T0 = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _entry(tail: AuditEntry | None, n: int, actor: str = "u-gerente") -> AuditEntry:
    return append_entry(
        tail,
        at=T0 + timedelta(minutes=n),
        actor=actor,
        action=Action.UNLOCK_ACCOUNT,
        target=Target(store_id="L01", account_id=f"u-{n}"),
        outcome=Outcome.ALLOWED,
    )


def _plain_log(actors: list[str]) -> list[AuditEntry]:
    log: list[AuditEntry] = []
    for n, actor in enumerate(actors, start=1):
        log.append(_entry(log[-1] if log else None, n, actor))
    return log


def _sealed(log: list[AuditEntry], key: LogKey) -> list[AuditEntry]:
    out: list[AuditEntry] = []
    for e in log:
        out.append(seal_entry(e, tail=out[-1] if out else None, key=key))
    return out


def test_a_rewritten_audit_log_is_detected_with_the_key() -> None:
    keys = LogKeyring.of(K1)
    stored = _sealed(_plain_log(["u-gerente", "u-gerente", "u-gerente"]), K1)
    # someone with write access rewrites entry 2 and recomputes the whole SHA-256 chain
    rewritten = _plain_log(["u-gerente", "u-intruso", "u-gerente"])
    rewritten = [
        attrs.evolve(e, key_id=s.key_id, mac=s.mac) for e, s in zip(rewritten, stored, strict=True)
    ]
    assert verify_audit_log(rewritten).ok  # the unkeyed check is fooled
    result = verify_audit_log(rewritten, keys=keys)
    assert not result.ok
    assert result.first_bad_sequence == 2
    assert result.problem == (
        "entry 2: its MAC does not match its content"
        " (the entry was edited, or MACed with another key)"
    )


def test_a_truncated_audit_log_is_detected_against_its_head() -> None:
    keys = LogKeyring.of(K1)
    stored = _sealed(_plain_log(["a", "b", "c"]), K1)
    head = parse_head(dump_head(audit_head(stored[-1])))
    assert verify_audit_log(stored[:2], keys=keys).ok  # a shorter chain verifies...
    result = verify_audit_log(stored[:2], keys=keys, head=head)
    assert (result.ok, result.first_bad_sequence) == (False, 3)  # ...its head does not
    assert result.problem == (
        "the log ends at entry 2 but the head names entry 3 (entries were cut from the end)"
    )


def test_a_head_with_another_mac_is_a_rewrite() -> None:
    keys = LogKeyring.of(K1)
    stored = _sealed(_plain_log(["a", "b"]), K1)
    other = LogHead(log="audit", sequence=2, key_id=K1.key_id, mac="ab" * 32)
    result = verify_audit_log(stored, keys=keys, head=other)
    assert result.problem == (
        "entry 2: its MAC differs from the exported head's (the log was rewritten)"
    )
    with pytest.raises(ValidationError, match="head needs keys"):
        verify_audit_log(stored, head=other)
    wrong_log = attrs.evolve(other, log="data_access")
    with pytest.raises(ValidationError, match="must be 'audit'"):
        verify_audit_log(stored, keys=keys, head=wrong_log)


def test_rotation_keeps_old_entries_verifiable() -> None:
    log = _plain_log(["a", "b", "c", "d"])
    first = _sealed(log[:2], K1)
    third = seal_entry(log[2], tail=first[-1], key=K2)
    fourth = seal_entry(log[3], tail=third, key=K2)
    rotated = [*first, third, fourth]
    assert verify_audit_log(rotated, keys=LogKeyring.of(K2, K1)).macs_checked == 4
    result = verify_audit_log(rotated, keys=LogKeyring.of(K2))  # the old key was dropped
    assert result.problem == "entry 1: key id '2026-01' is not in the keyring"


def test_unkeyed_entries_before_the_first_keyed_one_are_sealed_by_it() -> None:
    keys = LogKeyring.of(K1)
    legacy = _plain_log(["a", "b"])
    keyed = seal_entry(_entry(legacy[-1], 3), tail=legacy[-1], key=K1)
    payload = canonical_entry_json(keyed).encode()
    assert keyed.mac == chain_mac(K1, log="audit", previous=legacy[-1].entry_hash, payload=payload)
    assert verify_audit_log([*legacy, keyed], keys=keys).macs_checked == 1
    forged = _plain_log(["intruso", "b"])  # an unkeyed entry rewritten, the chain recomputed
    forged_third = attrs.evolve(_entry(forged[-1], 3), key_id=keyed.key_id, mac=keyed.mac)
    result = verify_audit_log([*forged, forged_third], keys=keys)
    assert (result.ok, result.first_bad_sequence) == (False, 3)
    # once keyed, always keyed: an unkeyed entry after a keyed one is a break
    after = _entry(keyed, 4)
    result = verify_audit_log([*legacy, keyed, after], keys=keys)
    assert result.problem == (
        "entry 4: not keyed, though the log is keyed since entry 3"
        " (written or rewritten without the key)"
    )


def test_the_memory_store_seals_and_refuses_unkeyed_appends_to_a_keyed_log() -> None:
    keys = LogKeyring.of(K1)
    plain = InMemoryDatabase()
    with plain.unit_of_work().writing() as uow:
        uow.audit.append(_entry(None, 1))
    # the same state, now opened with keys (as after upgrading and configuring a key)
    keyed = InMemoryDatabase(log_keys=keys)
    keyed._snapshot = plain._snapshot
    with keyed.unit_of_work().writing() as uow:
        uow.audit.append(_entry(uow.audit.tail(), 2))
        log = list(uow.audit.iter_all())
    assert [e.key_id for e in log] == [None, "2026-01"]
    assert verify_audit_log(log, keys=keys, head=audit_head(log[-1])).macs_checked == 1
    plain._snapshot = keyed._snapshot
    with plain.unit_of_work().writing() as uow:
        with pytest.raises(
            ConfigurationError, match="opened without log keys; nothing was written"
        ):
            uow.audit.append(_entry(log[-1], 3))
        assert uow.audit.count() == 2


def test_keys_never_show_their_secret() -> None:
    key = new_log_key("k1", token_bytes=lambda n: b"\xaa" * n)
    assert repr(key) == "LogKey(key_id='k1')"
    assert repr(LogKeyring.of(key)) == "LogKeyring(key_ids=('k1',), current='k1')"
    secret = base64.b64encode(b"\xaa" * 32).decode()
    with pytest.raises(ValidationError) as info:
        parse_key("k1:" + secret[:-8])
    assert secret[:10] not in str(info.value)
    with pytest.raises(ValidationError, match="must be KEY_ID:BASE64_SECRET"):
        parse_key(secret)
    with pytest.raises(ValidationError, match=r"LogKey\.secret must be at least 32 bytes") as short:
        LogKey(key_id="k1", secret=b"x" * 31)
    assert "xxx" not in str(short.value)


def test_key_files() -> None:
    s1, s2 = (base64.b64encode(k.secret).decode() for k in (K1, K2))
    ring = parse_keyring(
        f'{{"current": "2026-06", "keys": {{"2026-01": "{s1}", "2026-06": "{s2}"}}}}'
    )
    assert (ring.current_key, ring.get("2026-01")) == (K2, K1)
    for bad in ("{}", "[]", "not json", f'{{"current": "x", "keys": {{"2026-01": "{s1}"}}}}'):
        with pytest.raises(ValidationError) as info:
            parse_keyring(bad)
        assert s1 not in str(info.value)
    with pytest.raises(ValidationError, match="repeats a key id"):
        LogKeyring(keys=[K1, K1], current=K1.key_id)


def test_a_head_round_trips_and_junk_is_refused() -> None:
    head = LogHead(log="customer_history", sequence=12, key_id="k1", mac=GENESIS_MAC)
    assert parse_head(dump_head(head)) == head
    for junk in (
        "",
        "{}",
        '{"v": 2}',
        "[1]",
        '{"v":1,"log":"x","sequence":1,"key_id":"k","mac":"0"}',
    ):
        with pytest.raises(ValidationError) as info:
            parse_head(junk)
        assert info.value.field.startswith("head") or info.value.field.startswith("LogHead")
