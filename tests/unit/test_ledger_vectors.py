"""Replay the golden vectors of the keyed log chains in ``tests/vectors/ledger``.

Each file is one JSON object another implementation can replay without otocore; the
rules are stated in docs/logs.md. Format ``"otocore-ledger-vector/1"``:

* ``description``; ``log``: ``"audit"``, ``"customer_history"`` or ``"data_access"``;
* ``keys``: key id → the secret, base64 (the key file's ``keys``);
* ``entries``: the entries' inputs, in order, each with the ``key_id`` that MACs it
  (``null``: an audit entry written before the log had a key);
* ``expected``: per entry, ``canonical`` (the text the MAC covers) and ``mac`` (hex), and
  for the audit log ``entry_hash``, for the history ``values`` and ``values_digest``, for
  the data-access log ``masked_query``;
* ``head``: the exported head of the last keyed entry (JSON text).

``tests/vectors/generate_ledger.py`` computed every expected value with the standard
library alone.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

from otocore.access import (
    AuditEntry,
    Outcome,
    Target,
    append_entry,
    audit_head,
    canonical_entry_json,
    seal_entry,
    verify_audit_log,
)
from otocore.history import (
    AccessAction,
    AccessEntry,
    AccessEvent,
    HistoryChange,
    HistoryEntry,
    HistoryReason,
    access_head,
    canonical_access_json,
    canonical_history_json,
    history_head,
    redact_entry,
    seal_access,
    seal_change,
    verify_access_log,
    verify_history,
)
from otocore.ledger import LogKeyring, dump_head, parse_head, parse_keyring

FORMAT = "otocore-ledger-vector/1"
FOLDER = Path(__file__).resolve().parents[1] / "vectors" / "ledger"
VECTORS = sorted(FOLDER.glob("*.json"))


def _load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _keys(vector: dict[str, Any], current: str) -> LogKeyring:
    return parse_keyring(json.dumps({"current": current, "keys": vector["keys"]}))


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_there_are_vectors_of_every_log() -> None:
    assert {_load(p)["log"] for p in VECTORS} == {"audit", "customer_history", "data_access"}
    assert all(_load(p)["format"] == FORMAT for p in VECTORS)


def _audit(vector: dict[str, Any]) -> None:
    log: list[AuditEntry] = []
    for raw, want in zip(vector["entries"], vector["expected"], strict=True):
        entry = append_entry(
            log[-1] if log else None,
            at=_at(raw["at"]),
            actor=raw["actor"],
            action=raw["action"],
            target=Target(**raw["target"]),
            outcome=Outcome(raw["outcome"]),
            detail=raw["detail"],
        )
        if raw["key_id"] is not None:
            key = _keys(vector, raw["key_id"]).current_key
            entry = seal_entry(entry, tail=log[-1] if log else None, key=key)
        assert canonical_entry_json(entry) == want["canonical"]
        assert entry.entry_hash == want["entry_hash"]
        assert entry.mac == want["mac"]
        log.append(entry)
    keys = _keys(vector, log[-1].key_id or "k1")
    head = parse_head(vector["head"])
    assert dump_head(audit_head(log[-1])) == vector["head"]
    assert verify_audit_log(log, keys=keys, head=head).ok


def _history(vector: dict[str, Any]) -> None:
    log: list[HistoryEntry] = []
    for raw, want in zip(vector["entries"], vector["expected"], strict=True):
        change = HistoryChange(
            customer_id=raw["customer_id"],
            field=raw["field"],
            old_value=raw["old_value"],
            new_value=raw["new_value"],
            actor=raw["actor"],
            at=_at(raw["at"]),
            reason=HistoryReason(raw["reason"]),
        )
        key = _keys(vector, raw["key_id"]).current_key
        entry = seal_change(change, tail=log[-1] if log else None, key=key)
        assert entry.values_digest == want["values_digest"]
        assert canonical_history_json(entry) == want["canonical"]
        assert entry.mac == want["mac"]
        log.append(entry)
    keys = _keys(vector, log[-1].key_id)
    head = parse_head(vector["head"])
    assert dump_head(history_head(log[-1])) == vector["head"]
    assert verify_history(log, keys=keys, head=head).ok
    redacted = [redact_entry(e) for e in log]
    result = verify_history(redacted, keys=keys, head=head)
    assert result.ok
    assert result.redacted == tuple(range(1, len(log) + 1))


def _access(vector: dict[str, Any]) -> None:
    log: list[AccessEntry] = []
    for raw, want in zip(vector["entries"], vector["expected"], strict=True):
        event = AccessEvent(
            actor=raw["actor"],
            at=_at(raw["at"]),
            action=AccessAction(raw["action"]),
            query=raw["query"],
            customers=raw["customers"],
            detail=raw["detail"],
        )
        assert event.query == want["masked_query"]
        key = _keys(vector, raw["key_id"]).current_key
        entry = seal_access(event, tail=log[-1] if log else None, key=key)
        assert canonical_access_json(entry) == want["canonical"]
        assert entry.mac == want["mac"]
        log.append(entry)
    keys = _keys(vector, log[-1].key_id)
    head = parse_head(vector["head"])
    assert dump_head(access_head(log[-1])) == vector["head"]
    assert verify_access_log(log, keys=keys, head=head).ok
    tampered = [attrs.evolve(log[0], customers=2), *log[1:]]
    assert verify_access_log(tampered, keys=keys).first_bad_sequence == 1


@pytest.mark.parametrize("path", VECTORS, ids=[p.stem for p in VECTORS])
def test_vector(path: Path) -> None:
    vector = _load(path)
    {"audit": _audit, "customer_history": _history, "data_access": _access}[vector["log"]](vector)
