"""The in-memory repository of customer exports (issue 15)."""

from __future__ import annotations

import builtins
from datetime import datetime

import attrs

from otocore.adapters._common import require_instant, require_key, token_hash_key
from otocore.adapters._exports import check_export, export_taken
from otocore.adapters.memory._base import Repository
from otocore.exports import ExportRecord


class Exports(Repository):
    """One row per export: the frozen :class:`ExportRecord` itself, under its id."""

    def add(self, record: ExportRecord) -> None:
        checked = check_export(record)
        self._uow._take_write_lock()
        txn = self._t
        if txn.get("exports", checked.export_id) is not None:
            raise export_taken("export_id")
        if txn.lookup("exports_by_token", checked.token_hash):
            raise export_taken("token")
        txn.put("exports", checked.export_id, checked)

    def get(self, export_id: str) -> ExportRecord:
        return self._get("exports", "export_id", export_id, ExportRecord)

    def find(self, token_hash: str) -> ExportRecord | None:
        found: list[ExportRecord] = self._t.lookup("exports_by_token", token_hash_key(token_hash))
        return found[0] if found else None

    def record_download(self, export_id: str, at: datetime) -> None:
        key = require_key("export_id", export_id)
        require_instant("at", at)
        self._uow._take_write_lock()
        record = self.get(key)
        self._t.put(
            "exports", key, attrs.evolve(record, downloaded_at=at, downloads=record.downloads + 1)
        )

    def list(self, *, account_id: str | None = None) -> builtins.list[ExportRecord]:
        if account_id is not None:
            require_key("account_id", account_id)
        rows = [
            r
            for r in self._t.rows("exports").values()
            if account_id is None or r.account_id == account_id
        ]
        rows.sort(key=lambda r: r.export_id)
        rows.sort(key=lambda r: r.requested_at, reverse=True)
        return rows
