"""The repository protocol of customer exports: who exported what, and the link's hash."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the protocols loads no domain module
    from otocore.exports import ExportRecord


class ExportRepository(Protocol):
    """Exportações: one :class:`~otocore.exports.ExportRecord` per export, found by its token's hash.

    >>> from datetime import UTC, datetime, timedelta
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.auth import hash_token
    >>> from otocore.exports import ExportFormat, ExportRecord
    >>> at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    >>> record = ExportRecord(
    ...     export_id="E1",
    ...     account_id="u-ana",
    ...     requested_at=at,
    ...     query="all customers",
    ...     format=ExportFormat.CSV,
    ...     count=3,
    ...     file_name="E1.csv",
    ...     token_hash=hash_token("t"),
    ...     expires_at=at + timedelta(hours=24),
    ... )
    >>> uow = InMemoryUnitOfWork()
    >>> with uow:
    ...     uow.exports.add(record)
    ...     uow.exports.find(hash_token("t")).export_id
    'E1'
    """

    def add(self, record: ExportRecord) -> None:
        """Store a new export; an ``export_id`` or token hash already stored is a RuleViolation."""

    def get(self, export_id: str) -> ExportRecord:
        """The export with this id; raises :class:`~otocore.errors.NotFound`."""

    def find(self, token_hash: str) -> ExportRecord | None:
        """The export whose token hashes to ``token_hash``, or ``None``."""

    def record_download(self, export_id: str, at: datetime) -> None:
        """Count one download at ``at`` (``downloads`` + 1, ``downloaded_at`` = ``at``).

        NotFound if the export is not stored.
        """

    def list(self, *, account_id: str | None = None) -> builtins.list[ExportRecord]:
        """The exports (of ``account_id`` only, if given), newest first, then by id."""
