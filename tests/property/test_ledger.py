"""Invariants of the keyed log chains (otocore.ledger, otocore.access, otocore.history).

* a chain built with any keyring verifies, and so does its exported head;
* any single-byte change of any entry's canonical bytes or MAC, swapping two entries,
  deleting one, cutting the end (against an exported head) or verifying with a wrong key
  (same id, another secret) is detected;
* the audit log: an edit, even with the hash chain recomputed (the old attack), fails;
* the history: redacting any set of entries keeps the chain verifying, and editing a
  remaining value is detected;
* ``mask_cpfs``: no valid CPF survives in any formatting; only CPF digits change.
"""

from __future__ import annotations

import attrs
from hypothesis import assume, given
from hypothesis import strategies as st

from otocore.access import (
    AuditEntry,
    append_entry,
    audit_head,
    seal_entry,
    verify_audit_log,
)
from otocore.customers import Cpf
from otocore.errors import ValidationError
from otocore.history import (
    HistoryChange,
    HistoryEntry,
    history_head,
    mask_cpfs,
    redact_entry,
    seal_change,
    verify_history,
)
from otocore.ledger import (
    GENESIS_MAC,
    ChainLink,
    LogKey,
    LogKeyring,
    chain_mac,
    dump_head,
    dump_keyring,
    parse_head,
    parse_keyring,
    verify_chain,
)
from otocore.testing import audit_logs, cpfs, history_changes, log_keyrings


def _links(keys: LogKeyring, payloads: list[bytes], key_ids: list[str]) -> list[ChainLink]:
    links: list[ChainLink] = []
    previous = GENESIS_MAC
    for n, (payload, key_id) in enumerate(zip(payloads, key_ids, strict=True), start=1):
        key = keys.get(key_id)
        assert key is not None
        mac = chain_mac(key, log="data_access", previous=previous, payload=payload)
        links.append(ChainLink(sequence=n, key_id=key_id, mac=mac, payload=payload))
        previous = mac
    return links


@st.composite
def chains(draw: st.DrawFn, *, min_size: int = 1) -> tuple[LogKeyring, list[ChainLink]]:
    keys = draw(log_keyrings())
    payloads = draw(st.lists(st.binary(max_size=40), min_size=min_size, max_size=8))
    key_ids = [draw(st.sampled_from(sorted(keys.keys))) for _ in payloads]
    return keys, _links(keys, payloads, key_ids)


def _head(links: list[ChainLink]) -> object:
    from otocore.ledger import LogHead

    last = links[-1]
    return LogHead(log="data_access", sequence=last.sequence, key_id=last.key_id, mac=last.mac)


@given(chains())
def test_a_chain_verifies_with_its_head(chain: tuple[LogKeyring, list[ChainLink]]) -> None:
    keys, links = chain
    head = _head(links)
    assert parse_head(dump_head(head)) == head  # type: ignore[arg-type]
    result = verify_chain(links, log="data_access", keys=keys, head=head)  # type: ignore[arg-type]
    assert result.ok
    assert result.entries == len(links)


@given(chains(), st.data())
def test_any_single_byte_change_is_detected(
    chain: tuple[LogKeyring, list[ChainLink]], data: st.DataObject
) -> None:
    keys, links = chain
    i = data.draw(st.integers(0, len(links) - 1))
    link = links[i]
    if data.draw(st.booleans()) and link.payload:
        at = data.draw(st.integers(0, len(link.payload) - 1))
        flip = data.draw(st.integers(1, 255))
        payload = bytearray(link.payload)
        payload[at] ^= flip
        changed = attrs.evolve(link, payload=bytes(payload))
    else:
        at = data.draw(st.integers(0, 63))
        digit = data.draw(st.sampled_from("0123456789abcdef").filter(lambda d: d != link.mac[at]))
        changed = attrs.evolve(link, mac=link.mac[:at] + digit + link.mac[at + 1 :])
    tampered = [*links[:i], changed, *links[i + 1 :]]
    result = verify_chain(tampered, log="data_access", keys=keys, head=_head(links))  # type: ignore[arg-type]
    assert not result.ok
    assert result.first_bad_sequence == i + 1


@given(chains(min_size=2), st.data())
def test_reordering_deleting_and_truncating_are_detected(
    chain: tuple[LogKeyring, list[ChainLink]], data: st.DataObject
) -> None:
    keys, links = chain
    head = _head(links)
    i, j = data.draw(st.lists(st.integers(0, len(links) - 1), min_size=2, max_size=2, unique=True))
    swapped = list(links)
    swapped[i], swapped[j] = swapped[j], swapped[i]
    assert not verify_chain(swapped, log="data_access", keys=keys).ok
    # renumbered too: the MACs still chain to the wrong predecessors
    renumbered = [attrs.evolve(link, sequence=n) for n, link in enumerate(swapped, start=1)]
    assume(renumbered[i].payload != links[i].payload or renumbered[j].payload != links[j].payload)
    assert not verify_chain(renumbered, log="data_access", keys=keys).ok
    gone = data.draw(st.integers(0, len(links) - 2))
    deleted = [
        attrs.evolve(k, sequence=n) for n, k in enumerate(links[:gone] + links[gone + 1 :], 1)
    ]
    assert not verify_chain(deleted, log="data_access", keys=keys).ok
    cut = data.draw(st.integers(0, len(links) - 1))
    truncated = links[:cut]
    assert verify_chain(truncated, log="data_access", keys=keys).ok  # a shorter chain is valid...
    result = verify_chain(truncated, log="data_access", keys=keys, head=head)  # type: ignore[arg-type]
    assert not result.ok
    assert "cut from the end" in (result.problem or "")


@given(chains(), st.binary(min_size=32, max_size=32))
def test_a_wrong_key_is_detected(chain: tuple[LogKeyring, list[ChainLink]], secret: bytes) -> None:
    keys, links = chain
    key_id = links[0].key_id
    assume(secret != keys.keys[key_id].secret)
    others = [k for k in keys.keys.values() if k.key_id != key_id]
    wrong = LogKeyring.of(LogKey(key_id=key_id, secret=secret), *others)
    result = verify_chain(links, log="data_access", keys=wrong)
    assert not result.ok
    assert result.first_bad_sequence == 1


@given(log_keyrings())
def test_keyrings_round_trip_through_their_file(keys: LogKeyring) -> None:
    assert parse_keyring(dump_keyring(keys)) == keys
    assert "secret" not in repr(keys)
    assert all(repr(k.secret) not in repr(keys) for k in keys.keys.values())


# the audit log -----------------------------------------------------------------


def _sealed(log: list[AuditEntry], keys: LogKeyring) -> list[AuditEntry]:
    out: list[AuditEntry] = []
    for entry in log:
        out.append(seal_entry(entry, tail=out[-1] if out else None, key=keys.current_key))
    return out


def _rechained(log: list[AuditEntry]) -> list[AuditEntry]:
    """What an attacker without the key can do: recompute the SHA-256 chain."""
    out: list[AuditEntry] = []
    for e in log:
        out.append(
            append_entry(
                out[-1] if out else None,
                at=e.at,
                actor=e.actor,
                action=e.action,
                target=e.target,
                outcome=e.outcome,
                detail=e.detail,
            )
        )
    return out


@given(audit_logs(min_size=1, max_size=6), log_keyrings(), log_keyrings(), st.data())
def test_a_rewritten_audit_log_fails_with_the_key(
    log: list[AuditEntry], keys: LogKeyring, other: LogKeyring, data: st.DataObject
) -> None:
    sealed = _sealed(log, keys)
    head = audit_head(sealed[-1])
    assert verify_audit_log(sealed, keys=keys, head=head).macs_checked == len(log)
    i = data.draw(st.integers(0, len(log) - 1))
    edited = [*log[:i], attrs.evolve(log[i], actor=log[i].actor + "x"), *log[i + 1 :]]
    rewritten = _rechained(edited)
    assert verify_audit_log(rewritten).ok  # the old, unkeyed check is fooled...
    assert not verify_audit_log(rewritten, keys=keys, head=head).ok  # ...the keyed one is not
    resealed = _sealed(rewritten, other)  # sealed again: with another key, or even the same one
    assert not verify_audit_log(resealed, keys=keys, head=head).ok
    unkeyed_tail = [*sealed[:-1], attrs.evolve(sealed[-1], key_id=None, mac=None)]
    assert not verify_audit_log(unkeyed_tail, keys=keys, head=head).ok
    if len(sealed) > 1:
        assert not verify_audit_log(sealed[:-1], keys=keys, head=head).ok


# the customer history ----------------------------------------------------------


def _history(changes: list[HistoryChange], keys: LogKeyring) -> list[HistoryEntry]:
    out: list[HistoryEntry] = []
    for change in changes:
        out.append(seal_change(change, tail=out[-1] if out else None, key=keys.current_key))
    return out


@given(st.lists(history_changes(), min_size=1, max_size=8), log_keyrings(), st.data())
def test_redaction_keeps_the_history_verifying(
    changes: list[HistoryChange], keys: LogKeyring, data: st.DataObject
) -> None:
    log = _history(changes, keys)
    head = history_head(log[-1])
    chosen = data.draw(st.sets(st.integers(0, len(log) - 1)))
    redacted = [redact_entry(e) if n in chosen else e for n, e in enumerate(log)]
    result = verify_history(redacted, keys=keys, head=head)
    assert result.ok, result.problem
    assert result.redacted == tuple(n + 1 for n in sorted(chosen))
    kept = [n for n in range(len(log)) if n not in chosen]
    if kept:
        n = data.draw(st.sampled_from(kept))
        value = redacted[n].new_value
        edited = attrs.evolve(redacted[n], new_value=(value or "") + "!")
        tampered = [*redacted[:n], edited, *redacted[n + 1 :]]
        assert verify_history(tampered, keys=keys).first_bad_sequence == n + 1


# masking CPFs ---------------------------------------------------------------------

SEPARATORS = st.text(st.sampled_from(" .-/_\t"), max_size=3)
TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=20)


def _windows(text: str) -> set[str]:
    """Every 11 consecutive digits of a run of digits and separators (the formats masked)."""
    import re

    found = set()
    for span in re.finditer(r"[0-9](?:[ .\-/_\t]{0,3}[0-9])*", text):
        digits = "".join(c for c in span.group() if c.isdigit())
        found |= {digits[i : i + 11] for i in range(len(digits) - 10)}
    return found


def _is_valid(digits: str) -> bool:
    try:
        Cpf(digits, allow_repeated=True)
    except ValidationError:
        return False
    return True


@st.composite
def formatted(draw: st.DrawFn) -> str:
    digits = draw(cpfs()).digits
    return "".join(d + draw(SEPARATORS) for d in digits[:-1]) + digits[-1]


@given(st.lists(st.tuples(TEXT, formatted()), min_size=1, max_size=3), TEXT)
def test_no_cpf_survives_masking(parts: list[tuple[str, str]], end: str) -> None:
    text = "".join(before + cpf for before, cpf in parts) + end
    masked = mask_cpfs(text)
    assert not any(_is_valid(w) for w in _windows(masked))
    assert len(masked) == len(text)
    for a, b in zip(text, masked, strict=True):
        assert a == b or (a.isdigit() and b == "*")
    assert mask_cpfs(masked) == masked


@given(TEXT)
def test_text_without_a_cpf_is_unchanged(text: str) -> None:
    assume(not any(_is_valid(w) for w in _windows(text)))
    assert mask_cpfs(text) == text
