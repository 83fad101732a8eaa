"""Login accounts, single-use tokens and the audit log.

Revision ID: 0003
Revises: 0002
Create Date: 2026-05-12

Only creates tables: a database at 0002 keeps every row it had. Types are
spelled out here (not imported from otocore) so that this migration keeps
creating the same schema whatever later versions of otocore change.
Passwords and PINs are kept only as Argon2id hashes and tokens only as
SHA-256 hashes: no column holds a secret.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None

KEY = 100


def _instant() -> sa.String:
    # UTC ISO 8601 text of fixed width on SQLite; timestamptz on PostgreSQL
    return sa.String(32).with_variant(postgresql.TIMESTAMP(timezone=True), "postgresql")


def _serial() -> sa.BigInteger:
    # SQLite only autoincrements an INTEGER primary key (64-bit there anyway)
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _key(name: str, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(KEY), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "accounts",
        _key("account_id"),
        sa.Column("email", sa.Text, nullable=False),
        sa.Column("roles", sa.String(100), nullable=False),
        _key("seller_code", nullable=True),
        _key("store_id", nullable=True),
        sa.Column("password_hash", sa.Text, nullable=True),
        sa.Column("pin_hash", sa.Text, nullable=True),
        sa.Column("failures", sa.BigInteger, nullable=False),
        sa.Column("locked", sa.Boolean, nullable=False),
        sa.Column("must_change_password", sa.Boolean, nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.PrimaryKeyConstraint("account_id", name="pk_accounts"),
    )
    op.create_index("uq_accounts_email", "accounts", ["email"], unique=True)
    op.create_index("ix_accounts_seller_code", "accounts", ["seller_code"])
    op.create_index("ix_accounts_store_id", "accounts", ["store_id"])

    op.create_table(
        "auth_tokens",
        sa.Column("id", _serial(), autoincrement=True, nullable=False),
        sa.Column("token_hash", sa.String(64), nullable=False),
        _key("account_id"),
        sa.Column("purpose", sa.String(16), nullable=False),
        sa.Column("issued_at", _instant(), nullable=False),
        sa.Column("expires_at", _instant(), nullable=False),
        sa.Column("used_at", _instant(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_auth_tokens"),
    )
    op.create_index("uq_auth_tokens_token_hash", "auth_tokens", ["token_hash"], unique=True)
    op.create_index(
        "ix_auth_tokens_account_id_purpose_id", "auth_tokens", ["account_id", "purpose", "id"]
    )

    op.create_table(
        "audit_log",
        sa.Column("sequence", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("at", _instant(), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("action", sa.String(100), nullable=False),
        _key("target_store_id", nullable=True),
        sa.Column("target_account_id", sa.String(200), nullable=True),
        _key("target_seller_code", nullable=True),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("detail", sa.Text, nullable=False),
        sa.Column("previous_hash", sa.String(64), nullable=False),
        sa.Column("entry_hash", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("sequence", name="pk_audit_log"),
    )


def downgrade() -> None:
    for table in ("audit_log", "auth_tokens", "accounts"):
        op.drop_table(table)
