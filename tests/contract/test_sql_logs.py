"""The chained logs in SQL: append-only triggers and the upgrade of an unkeyed audit log.

On an SQLite file and on PostgreSQL:

* migration 0009's triggers refuse UPDATE and DELETE on ``audit_log``,
  ``customer_history`` and ``access_log`` (and TRUNCATE on PostgreSQL), and UPDATE
  on ``customer_history_values``, whose rows only a redaction deletes; through the
  store such an attempt is a :class:`~otocore.errors.StorageError` (an OtocoreError)
  naming the table, and nothing changes;
* a database at 0006 whose audit log holds unkeyed entries upgrades to 0009 keeping
  them; the first entry appended with a key seals them, so rewriting one of them
  afterwards (the hash chain recomputed, as the old attack did) is detected; a
  store opened without keys then refuses to append.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import attrs
import pytest
import sqlalchemy as sa
from alembic import command

from otocore.access import (
    Action,
    AuditEntry,
    Outcome,
    Target,
    append_entry,
    audit_head,
    verify_audit_log,
)
from otocore.adapters.sql import Database, head_revision, open_database, upgrade
from otocore.adapters.sql._base import Repository
from otocore.adapters.sql._engine import create_engine
from otocore.adapters.sql._schema import alembic_config
from otocore.errors import ConfigurationError, OtocoreError, StorageError
from otocore.history import (
    AccessAction,
    AccessEvent,
    HistoryChange,
    HistoryReason,
    verify_history,
)
from otocore.ledger import LogKey, LogKeyring

KEYS = LogKeyring.of(LogKey(key_id="2026-06", secret=bytes(range(7, 39))))
AT = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class _Raw(Repository):
    """A repository that runs any statement: what a bug or a careless script would do."""

    def run(self, statement: str) -> Any:
        return self._c.execute(sa.text(statement))


def _entry(tail: AuditEntry | None, n: int, actor: str = "u-gerente") -> AuditEntry:
    return append_entry(
        tail,
        at=AT + timedelta(minutes=n),
        actor=actor,
        action=Action.RESET_PIN,
        target=Target(store_id="L01", account_id=f"u-{n}"),
        outcome=Outcome.ALLOWED,
    )


def _fill(db: Database) -> None:
    uow = db.unit_of_work()
    with uow.writing():
        uow.audit.append(_entry(None, 1))
        uow.customer_history.append(
            HistoryChange(
                customer_id="C1",
                field="email",
                old_value="ana@example.com",
                new_value="ana.souza@example.com",
                actor="u-sac",
                at=AT,
                reason=HistoryReason.SAC_CALL,
            )
        )
        uow.access_log.append(
            AccessEvent(actor="u-gerente", at=AT, action=AccessAction.HISTORY_READ, customers=1)
        )


REFUSED = [
    "UPDATE audit_log SET actor = 'u-outro'",
    "DELETE FROM audit_log",
    "UPDATE customer_history SET field = 'name'",
    "DELETE FROM customer_history",
    "UPDATE customer_history_values SET new_value = 'x'",
    "UPDATE access_log SET customers = 0",
    "DELETE FROM access_log",
]


@pytest.mark.parametrize("statement", REFUSED)
def test_the_logs_refuse_update_and_delete(empty_url: str, statement: str) -> None:
    with open_database(empty_url, upgrade=True, log_keys=KEYS) as db:
        _fill(db)
        uow = db.unit_of_work()
        table = statement.split()[2 if statement.startswith("DELETE") else 1]
        with uow, pytest.raises(StorageError, match=rf"{table} is append-only") as info:
            _Raw(uow).run(statement)  # type: ignore[arg-type]
        assert isinstance(info.value, OtocoreError)
        with uow:
            log = list(uow.audit.iter_all())
            history = list(uow.customer_history.iter_all())
            assert uow.access_log.count() == 1
        assert [e.actor for e in log] == ["u-gerente"]
        assert [(e.field, e.new_value) for e in history] == [("email", "ana.souza@example.com")]
        assert verify_audit_log(log, keys=KEYS, head=audit_head(log[-1])).ok
        assert verify_history(history, keys=KEYS).ok


def test_postgresql_refuses_truncate(postgres_url: str) -> None:
    with open_database(postgres_url, upgrade=True, log_keys=KEYS) as db:
        _fill(db)
        for table in ("audit_log", "customer_history", "customer_history_values", "access_log"):
            uow = db.unit_of_work()
            with uow, pytest.raises(StorageError, match=rf"{table} is append-only"):
                _Raw(uow).run(f"TRUNCATE {table} CASCADE")  # type: ignore[arg-type]
        with db.unit_of_work() as uow:
            assert (uow.audit.count(), uow.customer_history.count()) == (1, 1)


def test_a_redaction_deletes_only_values(empty_url: str) -> None:
    with open_database(empty_url, upgrade=True, log_keys=KEYS) as db:
        _fill(db)
        uow = db.unit_of_work()
        with uow:
            assert uow.customer_history.redact("C1") == 1
        with uow:
            (entry,) = uow.customer_history.for_customer("C1")
            values = _Raw(uow).run("SELECT count(*) FROM customer_history_values").scalar_one()  # type: ignore[arg-type]
        assert entry.redacted
        assert entry.new_value is None
        assert values == 0
        assert verify_history([entry], keys=KEYS).redacted == (1,)


def _migrate(url: str, revision: str) -> None:
    engine = create_engine(url)
    try:
        with engine.connect() as conn, alembic_config(conn) as config:
            command.upgrade(config, revision)
            if conn.in_transaction():
                conn.commit()
    finally:
        engine.dispose()


def test_an_unkeyed_audit_log_is_kept_and_sealed_by_the_first_keyed_entry(empty_url: str) -> None:
    _migrate(empty_url, "0006")
    engine = create_engine(empty_url)
    legacy = [_entry(None, 1)]
    legacy.append(_entry(legacy[-1], 2))
    try:
        with engine.begin() as conn:
            for e in legacy:
                conn.execute(
                    sa.text(
                        "INSERT INTO audit_log (sequence, at, actor, action, target_store_id,"
                        " target_account_id, target_seller_code, outcome, detail, previous_hash,"
                        " entry_hash) VALUES (:s, :at, :actor, 'reset_pin', 'L01', :acc, NULL,"
                        " 'allowed', '', :prev, :hash)"
                    ),
                    {
                        "s": e.sequence,
                        "at": e.at
                        if conn.dialect.name == "postgresql"
                        else e.at.isoformat(timespec="microseconds"),
                        "actor": e.actor,
                        "acc": e.target.account_id,
                        "prev": e.previous_hash,
                        "hash": e.entry_hash,
                    },
                )
    finally:
        engine.dispose()
    assert upgrade(empty_url) == head_revision()
    with open_database(empty_url, log_keys=KEYS) as db:
        uow = db.unit_of_work()
        with uow.writing():
            assert [e.mac for e in uow.audit.iter_all()] == [None, None]  # kept, unkeyed
            uow.audit.append(_entry(uow.audit.tail(), 3))
        with uow:
            log = list(uow.audit.iter_all())
    head = audit_head(log[-1])
    result = verify_audit_log(log, keys=KEYS, head=head)
    assert result.ok
    assert result.macs_checked == 1
    # the old attack on an unkeyed entry: edit it and recompute the SHA-256 chain
    forged = [_entry(None, 1, actor="u-outro")]
    forged.append(_entry(forged[-1], 2))
    third = append_entry(
        forged[-1],
        at=log[2].at,
        actor=log[2].actor,
        action=log[2].action,
        target=log[2].target,
        outcome=log[2].outcome,
    )
    rewritten = [*forged, attrs.evolve(third, key_id=log[2].key_id, mac=log[2].mac)]
    assert verify_audit_log(rewritten).ok  # the hash chain alone is fooled
    assert not verify_audit_log(rewritten, keys=KEYS).ok  # the first keyed MAC is not
    # a store opened without the keys refuses to append to a keyed log
    with open_database(empty_url) as db:
        uow = db.unit_of_work()
        with uow.writing(), pytest.raises(ConfigurationError, match="opened without log keys"):
            uow.audit.append(_entry(log[-1], 4))
        with uow:
            assert uow.audit.count() == 3


def test_the_new_logs_need_keys(empty_url: str) -> None:
    with open_database(empty_url, upgrade=True) as db:
        uow = db.unit_of_work()
        with uow.writing():
            with pytest.raises(ConfigurationError, match="customer history is MAC-chained"):
                uow.customer_history.append(
                    HistoryChange(
                        customer_id="C1",
                        field="email",
                        old_value=None,
                        new_value="a@b.co",
                        actor="u",
                        at=AT,
                        reason=HistoryReason.IMPORT,
                    )
                )
            with pytest.raises(ConfigurationError, match="data-access log is MAC-chained"):
                uow.access_log.append(
                    AccessEvent(actor="u", at=AT, action=AccessAction.EXPORT_REQUESTED)
                )
            assert uow.customer_history.count() == uow.access_log.count() == 0
