"""The SQL repository of customer exports (issue 15), table ``customer_exports``."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from otocore.adapters._common import require_instant, require_key, token_hash_key
from otocore.adapters._exports import check_export, export_taken
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._base import Repository
from otocore.adapters.sql._rows import RowMap
from otocore.errors import NotFound
from otocore.exports import ExportFormat, ExportRecord

_E = t.customer_exports.c
_EXPORT = RowMap(
    ExportRecord,
    (
        "export_id",
        "account_id",
        "requested_at",
        "query",
        "count",
        "file_name",
        "token_hash",
        "expires_at",
        "downloaded_at",
        "downloads",
    ),
    {"format": ExportFormat},
)


def _load(row: Any) -> ExportRecord:
    return _EXPORT.load(row)


class Exports(Repository):
    def add(self, record: ExportRecord) -> None:
        row = _EXPORT.row(check_export(record))
        if self._first(sa.select(_E.export_id).where(_E.export_id == row["export_id"])):
            raise export_taken("export_id")
        if self._first(sa.select(_E.export_id).where(_E.token_hash == row["token_hash"])):
            raise export_taken("token")
        self._write_once(
            sa.insert(t.customer_exports).values(**row), lambda: export_taken("id or token")
        )

    def get(self, export_id: str) -> ExportRecord:
        return self._get_by(
            _E.export_id, require_key("export_id", export_id), _load, "ExportRecord"
        )

    def find(self, token_hash: str) -> ExportRecord | None:
        key = token_hash_key(token_hash)
        return self._find(sa.select(t.customer_exports).where(_E.token_hash == key), _load)

    def record_download(self, export_id: str, at: datetime) -> None:
        key = require_key("export_id", export_id)
        when = require_instant("at", at)
        stmt = (
            sa.update(t.customer_exports)
            .where(_E.export_id == key)
            .values(downloaded_at=when, downloads=_E.downloads + 1)
        )
        if self._c.execute(stmt).rowcount == 0:
            raise NotFound("ExportRecord", key)

    def list(self, *, account_id: str | None = None) -> builtins.list[ExportRecord]:
        stmt = sa.select(t.customer_exports).order_by(_E.requested_at.desc(), _E.export_id)
        if account_id is not None:
            stmt = stmt.where(_E.account_id == require_key("account_id", account_id))
        return self._all(stmt, _load)
