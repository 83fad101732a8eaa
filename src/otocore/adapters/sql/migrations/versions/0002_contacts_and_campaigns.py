"""Consent and block logs, contacts, campaigns, daily suggestions and seller workloads.

Revision ID: 0002
Revises: 0001
Create Date: 2026-05-11

Only creates tables: a database at 0001 keeps every row it had. Types are
spelled out here (not imported from otocore) so that this migration keeps
creating the same schema whatever later versions of otocore change.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None

KEY = 100


def _instant() -> sa.String:
    # UTC ISO 8601 text of fixed width on SQLite; timestamptz on PostgreSQL
    return sa.String(32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")


def _exact_decimal() -> sa.Text:
    return sa.Text().with_variant(sa.Numeric(), "postgresql")


def _serial() -> sa.BigInteger:
    # SQLite only autoincrements an INTEGER primary key (64-bit there anyway)
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _key(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(KEY), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "consent_events",
        sa.Column("seq", _serial(), autoincrement=True, nullable=False),
        _key("customer_id"),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("granted", sa.Boolean, nullable=False),
        sa.Column("at", _instant(), nullable=False),
        sa.Column("source", sa.String(32), nullable=False),
        _key("recorded_by"),
        _key("event_id", nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_consent_events"),
    )
    op.create_index("ix_consent_events_customer_id", "consent_events", ["customer_id"])
    op.create_index("ix_consent_events_at_seq", "consent_events", ["at", "seq"])
    op.create_index("uq_consent_events_event_id", "consent_events", ["event_id"], unique=True)

    op.create_table(
        "block_events",
        sa.Column("seq", _serial(), autoincrement=True, nullable=False),
        sa.Column("cpf", sa.String(11), nullable=False),
        sa.Column("features", sa.String(100), nullable=False),
        sa.Column("blocked", sa.Boolean, nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        _key("by"),
        sa.Column("at", _instant(), nullable=False),
        _key("event_id", nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_block_events"),
    )
    op.create_index("ix_block_events_cpf", "block_events", ["cpf"])
    op.create_index("ix_block_events_at_seq", "block_events", ["at", "seq"])
    op.create_index("uq_block_events_event_id", "block_events", ["event_id"], unique=True)

    op.create_table(
        "contacts",
        _key("contact_id"),
        _key("seller_code"),
        _key("customer_id"),
        _key("suggestion_id", nullable=True),
        _key("campaign_id", nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("started_at", _instant(), nullable=False),
        sa.Column("finished_at", _instant(), nullable=False),
        sa.Column("products_offered", sa.Text, nullable=False),
        sa.Column("follow_up_day", sa.Date, nullable=True),
        sa.Column("follow_up_note", sa.Text, nullable=True),
        sa.Column("consent_channel", sa.String(16), nullable=True),
        sa.Column("consent_granted", sa.Boolean, nullable=True),
        sa.Column("notes", sa.Text, nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("dismiss_reason", sa.Text, nullable=True),
        sa.Column("in_portfolio", sa.Boolean, nullable=False),
        sa.Column("time_zone", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("contact_id", name="pk_contacts"),
        sa.CheckConstraint(
            "(follow_up_day IS NULL) = (follow_up_note IS NULL)",
            name="ck_contacts_follow_up_complete",
        ),
        sa.CheckConstraint(
            "(consent_channel IS NULL) = (consent_granted IS NULL)",
            name="ck_contacts_consent_change_complete",
        ),
    )
    op.create_index("ix_contacts_seller_code", "contacts", ["seller_code"])
    op.create_index("ix_contacts_customer_id", "contacts", ["customer_id"])
    op.create_index("ix_contacts_suggestion_id", "contacts", ["suggestion_id"])
    op.create_index("ix_contacts_follow_up_day", "contacts", ["follow_up_day"])
    op.create_index("ix_contacts_started_at_contact_id", "contacts", ["started_at", "contact_id"])

    op.create_table(
        "campaigns",
        _key("campaign_id"),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("priority", sa.Integer, nullable=False),
        sa.Column("first_day", sa.Date, nullable=False),
        sa.Column("last_day", sa.Date, nullable=False),
        sa.Column("audience", sa.Text, nullable=False),
        sa.Column("channels", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("channel_messages", sa.Text, nullable=False),
        sa.Column("quarantine_days", sa.Integer, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("campaign_id", name="pk_campaigns"),
    )
    op.create_index("ix_campaigns_priority_campaign_id", "campaigns", ["priority", "campaign_id"])

    op.create_table(
        "suggestions",
        sa.Column("suggestion_id", sa.String(120), nullable=False),
        sa.Column("day", sa.Date, nullable=False),
        _key("seller_code"),
        _key("customer_id"),
        sa.Column("kind", sa.String(16), nullable=False),
        _key("campaign_id", nullable=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("reason", sa.String(32), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("rank", sa.Integer, nullable=False),
        _key("contact_id", nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("suggestion_id", name="pk_suggestions"),
    )
    op.create_index("ix_suggestions_customer_id", "suggestions", ["customer_id"])
    op.create_index(
        "ix_suggestions_day_seller_code_rank", "suggestions", ["day", "seller_code", "rank"]
    )

    op.create_table(
        "seller_workloads",
        _key("seller_code"),
        sa.Column("hours_worked", _exact_decimal(), nullable=True),
        sa.Column("idle_share", _exact_decimal(), nullable=True),
        sa.Column("avg_conversation_minutes", _exact_decimal(), nullable=True),
        sa.PrimaryKeyConstraint("seller_code", name="pk_seller_workloads"),
    )


def downgrade() -> None:
    for table in (
        "seller_workloads",
        "suggestions",
        "campaigns",
        "contacts",
        "block_events",
        "consent_events",
    ):
        op.drop_table(table)
