"""Write the golden vectors of the keyed log chains (``tests/vectors/ledger``).

Run ``python tests/vectors/generate_ledger.py`` from the repository root to rewrite
``tests/vectors/ledger/*.json``.

This script never calls otocore: every canonical text, digest and MAC below is computed
with the standard library (``json``, ``hashlib``, ``hmac``) from the formulas stated in
docs/logs.md (and the module docs of ``otocore.ledger``, ``otocore.access`` and
``otocore.history``). The replay test (``tests/unit/test_ledger_vectors.py``) then builds
the same entries with otocore and checks it agrees, byte for byte.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "ledger"
FORMAT = "otocore-ledger-vector/1"
GENESIS = "0" * 64
KEYS = {"k1": bytes(range(32)), "k2": bytes(range(100, 140))}


def canonical(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_mac(key_id: str, log: str, previous: str, payload: str) -> str:
    message = b"\x00".join(
        (
            b"otocore-ledger/1",
            log.encode(),
            key_id.encode(),
            previous.encode(),
            payload.encode("utf-8"),
        )
    )
    return hmac.new(KEYS[key_id], message, hashlib.sha256).hexdigest()


def digest(key_id: str, purpose: str, payload: str) -> str:
    message = b"otocore-digest/1\x00" + purpose.encode() + b"\x00" + payload.encode("utf-8")
    return hmac.new(KEYS[key_id], message, hashlib.sha256).hexdigest()


def head(log: str, sequence: int, key_id: str, mac: str) -> str:
    return canonical({"v": 1, "log": log, "sequence": sequence, "key_id": key_id, "mac": mac})


def audit_vector(name: str, description: str, key_ids: list[str | None]) -> None:
    entries, expected = [], []
    previous_hash, previous_mac = GENESIS, GENESIS
    last: tuple[int, str, str] | None = None
    for n, key_id in enumerate(key_ids, start=1):
        entry = {
            "at": f"2026-06-0{n}T12:00:00.000000Z",
            "actor": "u-gerente",
            "action": "reset_pin" if n % 2 else "exportar relatório",
            "target": {"store_id": "L01", "account_id": f"u-{n}", "seller_code": None},
            "outcome": "allowed",
            "detail": "" if n % 2 else "ação às 9h",
            "key_id": key_id,
        }
        text = canonical(
            {
                "v": 1,
                "sequence": n,
                "at": entry["at"],
                "actor": entry["actor"],
                "action": entry["action"],
                "target": entry["target"],
                "outcome": entry["outcome"],
                "detail": entry["detail"],
                "previous_hash": previous_hash,
            }
        )
        entry_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
        mac = None
        if key_id is not None:
            mac = chain_mac(key_id, "audit", previous_mac, text)
            last = (n, key_id, mac)
        entries.append(entry)
        expected.append({"canonical": text, "entry_hash": entry_hash, "mac": mac})
        previous_hash = entry_hash
        previous_mac = mac if mac is not None else entry_hash
    write(name, description, "audit", entries, expected, last)


def history_vector() -> None:
    changes = [
        ("C1", "email", "ana@example.com", "ana.souza@example.com", "sac_call", "k1"),
        ("C2", "birth_date", None, "1990-02-01", "customer_request", "k1"),
        ("C1", "name", "Ana", "Ana Souza Conceição", "import", "k2"),
    ]
    entries, expected = [], []
    previous = GENESIS
    last = None
    for n, (customer, field, old, new, reason, key_id) in enumerate(changes, start=1):
        values = canonical(
            {"v": 1, "sequence": n, "customer_id": customer, "field": field, "old": old, "new": new}
        )
        values_digest = digest(key_id, "history-values", values)
        at = f"2026-06-0{n}T14:30:00.000000Z"
        text = canonical(
            {
                "v": 1,
                "sequence": n,
                "customer_id": customer,
                "field": field,
                "actor": "u-sac",
                "at": at,
                "reason": reason,
                "values_digest": values_digest,
            }
        )
        mac = chain_mac(key_id, "customer_history", previous, text)
        entries.append(
            {
                "customer_id": customer,
                "field": field,
                "old_value": old,
                "new_value": new,
                "actor": "u-sac",
                "at": at,
                "reason": reason,
                "key_id": key_id,
            }
        )
        expected.append(
            {"values": values, "values_digest": values_digest, "canonical": text, "mac": mac}
        )
        previous = mac
        last = (n, key_id, mac)
    write(
        "customer_history_rotated_key",
        "Three history entries; the key is rotated from k1 to k2 before the third. Each"
        " entry's values are replaced in the chain by their keyed digest.",
        "customer_history",
        entries,
        expected,
        last,
    )


def access_vector() -> None:
    events = [
        (
            "export_requested",
            "cpf = 529.982.247-25 and name ~ ana",
            "cpf = ***.982.247-** and name ~ ana",
            1,
        ),
        ("export_downloaded", "export 7 (52998224725)", "export 7 (***982247**)", 1),
    ]
    entries, expected = [], []
    previous = GENESIS
    last = None
    for n, (action, query, masked, customers) in enumerate(events, start=1):
        at = f"2026-06-0{n}T09:00:00.000000Z"
        text = canonical(
            {
                "v": 1,
                "sequence": n,
                "actor": "u-gerente",
                "at": at,
                "action": action,
                "query": masked,
                "customers": customers,
                "detail": "",
            }
        )
        mac = chain_mac("k1", "data_access", previous, text)
        entries.append(
            {
                "actor": "u-gerente",
                "at": at,
                "action": action,
                "query": query,
                "customers": customers,
                "detail": "",
                "key_id": "k1",
            }
        )
        expected.append({"masked_query": masked, "canonical": text, "mac": mac})
        previous = mac
        last = (n, "k1", mac)
    write(
        "data_access_masked_cpfs",
        "Two data-access entries whose queries hold a CPF, formatted and not: the chain"
        " covers the masked text only.",
        "data_access",
        entries,
        expected,
        last,
    )


def write(  # noqa: PLR0917 - the parts of one vector file, in its order
    name: str,
    description: str,
    log: str,
    entries: list[Any],
    expected: list[Any],
    last: tuple[int, str, str] | None,
) -> None:
    document = {
        "format": FORMAT,
        "description": description,
        "log": log,
        "keys": {k: base64.b64encode(v).decode() for k, v in KEYS.items()},
        "entries": entries,
        "expected": expected,
        "head": None if last is None else head(log, *last),
    }
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    (HERE / f"{name}.json").write_text(text, encoding="utf-8")


def main() -> None:
    HERE.mkdir(exist_ok=True)
    audit_vector(
        "audit_keyed",
        "Three audit entries, all MACed with k1; the first chains to 64 zeros.",
        ["k1", "k1", "k1"],
    )
    audit_vector(
        "audit_legacy_then_keyed",
        "Two entries written before the log had a key (no MAC), then two keyed ones: the"
        " first keyed entry chains to the last unkeyed entry's entry_hash, sealing them.",
        [None, None, "k1", "k2"],
    )
    history_vector()
    access_vector()


if __name__ == "__main__":
    main()
