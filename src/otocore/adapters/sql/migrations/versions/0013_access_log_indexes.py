"""Indexes for reading the data-access log: ``access_log`` by account, by action, by time.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06

``AccessLogService.read`` pages through the data-access log in sequence order with
optional filters (the account, the action, a period). Without an index, a filter few
entries pass makes the database walk the rest of the log (about 270 ms at 1M entries on
SQLite). This adds ``ix_access_log_actor_sequence`` (``actor, sequence``),
``ix_access_log_action_sequence`` (``action, sequence``) and ``ix_access_log_at``
(``at``). The log's rows are not touched (its triggers refuse UPDATE and DELETE, not new
indexes). Names are spelled out here so that this migration keeps creating the same
schema whatever later versions of otocore change.
"""

from __future__ import annotations

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create the three indexes of the data-access log."""
    op.create_index("ix_access_log_actor_sequence", "access_log", ["actor", "sequence"])
    op.create_index("ix_access_log_action_sequence", "access_log", ["action", "sequence"])
    op.create_index("ix_access_log_at", "access_log", ["at"])


def downgrade() -> None:
    """Drop them (reads filtered by account, action or period walk the log again)."""
    op.drop_index("ix_access_log_at", table_name="access_log")
    op.drop_index("ix_access_log_action_sequence", table_name="access_log")
    op.drop_index("ix_access_log_actor_sequence", table_name="access_log")
