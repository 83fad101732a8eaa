"""Worked examples of otocore.history: the customer history, its redaction, the access log, masking."""

from __future__ import annotations

from datetime import UTC, datetime

import attrs
import pytest

from otocore.errors import ValidationError
from otocore.history import (
    AccessAction,
    AccessEntry,
    AccessEvent,
    HistoryChange,
    HistoryReason,
    mask_cpfs,
    redact_entry,
    seal_access,
    seal_change,
    values_digest,
    verify_access_log,
    verify_history,
)
from otocore.ledger import LogKey, LogKeyring

KEY = LogKey(key_id="k1", secret=bytes(range(32)))
KEYS = LogKeyring.of(KEY)
AT = datetime(2026, 6, 1, 14, 0, tzinfo=UTC)


def _change(field: str, old: str | None, new: str | None, customer: str = "C1") -> HistoryChange:
    return HistoryChange(
        customer_id=customer,
        field=field,
        old_value=old,
        new_value=new,
        actor="u-sac",
        at=AT,
        reason=HistoryReason.SAC_CALL,
    )


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("529.982.247-25", "***.982.247-**"),
        ("52998224725", "***982247**"),
        ("529 982 247 25", "*** 982 247 **"),
        ("529-982-247/25", "***-982-247/**"),
        ("5 2 9 9 8 2 2 4 7 2 5", "* * * 9 8 2 2 4 7 * *"),
        ("0052998224725", "00***982247**"),  # inside a longer run of digits
        ("5299822472552998224725", "***982247*****982247**"),  # two in a row
        ("cpf:529.982.247-25.", "cpf:***.982.247-**."),
        ("CPF 123.456.789-00 inválido", "CPF 123.456.789-00 inválido"),  # wrong check digits
        ("CNPJ 11.222.333/0001-81", "CNPJ 11.222.333/0001-81"),
        ("", ""),
    ],
)
def test_mask_cpfs(text: str, masked: str) -> None:
    assert mask_cpfs(text) == masked


def test_an_access_event_masks_its_query_and_detail() -> None:
    event = AccessEvent(
        actor="u-gerente",
        at=AT,
        action=AccessAction.EXPORT_REQUESTED,
        query="cpf in (52998224725, 111.444.777-35)",
        customers=2,
        detail="pedido de 529.982.247-25",
    )
    assert event.query == "cpf in (***982247**, ***.444.777-**)"
    assert event.detail == "pedido de ***.982.247-**"
    entry = seal_access(event, tail=None, key=KEY)
    stored = AccessEntry(**{**attrs.asdict(entry, recurse=False), "query": "52998224725"})
    assert stored.query == "***982247**"  # also when read back
    with pytest.raises(ValidationError, match=r"AccessEvent\.customers must be >= 0"):
        AccessEvent(actor="u", at=AT, action=AccessAction.HISTORY_READ, customers=-1)


def test_a_history_replays_in_order_and_redaction_keeps_the_facts() -> None:
    changes = [
        _change("email", "ana@example.com", "ana.souza@example.com"),
        _change("mobile", None, "+5511987654321", customer="C2"),
        _change("birth_date", "1990-01-02", "1990-02-01"),
    ]
    log = []
    for change in changes:
        log.append(seal_change(change, tail=log[-1] if log else None, key=KEY))
    assert [e.sequence for e in log] == [1, 2, 3]
    redacted = [redact_entry(e) if e.customer_id == "C1" else e for e in log]
    result = verify_history(redacted, keys=KEYS)
    assert (result.ok, result.redacted) == (True, (1, 3))
    assert [(e.field, e.old_value, e.new_value) for e in redacted] == [
        ("email", None, None),
        ("mobile", None, "+5511987654321"),
        ("birth_date", None, None),
    ]


def test_values_cannot_move_between_entries() -> None:
    a = seal_change(_change("email", "x@a.co", "y@a.co"), tail=None, key=KEY)
    b = seal_change(_change("email", "p@a.co", "q@a.co"), tail=a, key=KEY)
    swapped = [attrs.evolve(a, old_value=b.old_value, new_value=b.new_value), b]
    assert verify_history(swapped, keys=KEYS).first_bad_sequence == 1


def test_the_values_digest_is_keyed() -> None:
    args = {"sequence": 1, "customer_id": "C1", "field": "birth_date"}
    one = values_digest(KEY, old_value=None, new_value="1990-02-01", **args)  # type: ignore[arg-type]
    other = LogKey(key_id="k1", secret=bytes(32))
    assert one != values_digest(other, old_value=None, new_value="1990-02-01", **args)  # type: ignore[arg-type]


def test_an_edited_access_entry_fails() -> None:
    e1 = seal_access(
        AccessEvent(actor="u", at=AT, action=AccessAction.HISTORY_READ), tail=None, key=KEY
    )
    e2 = seal_access(
        AccessEvent(actor="u", at=AT, action=AccessAction.ACCESS_LOG_READ), tail=e1, key=KEY
    )
    assert verify_access_log([e1, e2], keys=KEYS).ok
    assert verify_access_log([e2], keys=KEYS).first_bad_sequence == 1
    assert verify_access_log([e1, attrs.evolve(e2, actor="v")], keys=KEYS).first_bad_sequence == 2


def test_bad_changes_name_the_field() -> None:
    with pytest.raises(ValidationError, match=r"HistoryChange\.old_value must be at most 1000"):
        _change("name", "x" * 1001, None)
    with pytest.raises(ValidationError, match=r"HistoryChange\.customer_id"):
        _change("name", None, None, customer="")
    with pytest.raises(ValidationError, match=r"HistoryChange\.at"):
        HistoryChange(customer_id="C1", field="name", old_value=None, new_value=None,
                      actor="u", at=datetime(2026, 1, 1), reason=HistoryReason.IMPORT)  # fmt: skip
