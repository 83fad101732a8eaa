"""The registry search: normalized keys on ``customers`` and the indexes that read them.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06

Adds three nullable columns to ``customers``: ``name_key`` (the name's words,
unaccented and case-folded, joined by single spaces), ``rg_key`` (the RG's
ASCII letters and digits, upper-cased) and ``loyalty_card`` (the loyalty card
number), fills the keys of the customers already stored, and creates the
indexes of the search:

* plain B-tree indexes on ``email``, ``mobile``, ``rg_key`` and
  ``loyalty_card`` (exact matches; ``cpf`` has had one since 0001);
* the name sort index ``ix_customers_name_key`` on ``(name_key, customer_id)``
  (on PostgreSQL with ``COLLATE "C"``, code point order, as otocore sorts);
* SQLite: ``customers_name_fts``, an external-content FTS5 table over
  ``customers.name_key`` (``ascii`` tokenizer: the key is already folded and
  split by otocore; prefix indexes for 1 to 4 characters), kept in step by
  three triggers on ``customers``;
* PostgreSQL: a GIN full-text index on the words of ``name_key``
  (``array_to_tsvector(string_to_array(name_key, ' '))``: the lexemes are
  otocore's words exactly, no parser or dictionary between), which answers
  prefix queries such as ``'joao':* & 'sil':*``.

The key functions are copied here (not imported from otocore) so that this
migration keeps writing the same keys whatever later versions of otocore
change; tests/contract/test_registry_sql.py checks that they agree with
``otocore.search.name_key`` and ``rg_key``.
"""

from __future__ import annotations

import re
import unicodedata

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | None = None
depends_on: str | None = None

_WORD = re.compile(r"[^\W_]+")
_SQLITE = (
    "CREATE INDEX ix_customers_name_key ON customers (name_key, customer_id)",
    "CREATE VIRTUAL TABLE customers_name_fts USING fts5(name_key, content='customers',"
    " content_rowid='rowid', tokenize='ascii', prefix='1 2 3 4')",
    "CREATE TRIGGER customers_name_fts_ai AFTER INSERT ON customers BEGIN"
    " INSERT INTO customers_name_fts(rowid, name_key) VALUES (new.rowid, new.name_key); END",
    "CREATE TRIGGER customers_name_fts_ad AFTER DELETE ON customers BEGIN"
    " INSERT INTO customers_name_fts(customers_name_fts, rowid, name_key)"
    " VALUES ('delete', old.rowid, old.name_key); END",
    "CREATE TRIGGER customers_name_fts_au AFTER UPDATE OF name_key ON customers BEGIN"
    " INSERT INTO customers_name_fts(customers_name_fts, rowid, name_key)"
    " VALUES ('delete', old.rowid, old.name_key);"
    " INSERT INTO customers_name_fts(rowid, name_key) VALUES (new.rowid, new.name_key); END",
    "INSERT INTO customers_name_fts(customers_name_fts) VALUES ('rebuild')",
)
_SQLITE_DOWN = (
    "DROP TRIGGER customers_name_fts_au",
    "DROP TRIGGER customers_name_fts_ad",
    "DROP TRIGGER customers_name_fts_ai",
    "DROP TABLE customers_name_fts",
    "DROP INDEX ix_customers_name_key",
)
_POSTGRESQL = (
    "CREATE INDEX ix_customers_name_key_words ON customers"
    " USING gin (array_to_tsvector(string_to_array(name_key, ' ')))",
    'CREATE INDEX ix_customers_name_key ON customers (name_key COLLATE "C", customer_id COLLATE "C")',
)
_POSTGRESQL_DOWN = (
    "DROP INDEX ix_customers_name_key",
    "DROP INDEX ix_customers_name_key_words",
)
_EXACT = (
    ("ix_customers_email", "email"),
    ("ix_customers_mobile", "mobile"),
    ("ix_customers_rg_key", "rg_key"),
    ("ix_customers_loyalty_card", "loyalty_card"),
)


_UNDECOMPOSED = str.maketrans(
    {"æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ħ": "h",
     "ŧ": "t", "\u0131": "i", "ŀ": "l"}
)  # fmt: skip


def name_key(text: str) -> str:
    """otocore.search.name_key as of 0007."""
    folded = unicodedata.normalize("NFKD", text).casefold().translate(_UNDECOMPOSED)
    decomposed = unicodedata.normalize("NFKD", folded)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_WORD.findall(bare))


def rg_key(text: str) -> str:
    """otocore.search.rg_key as of 0007."""
    return "".join(ch for ch in text if ch.isascii() and ch.isalnum()).upper()


def _fill_keys() -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT customer_id, name, rg FROM customers")).all()
    update = sa.text(
        "UPDATE customers SET name_key = :name_key, rg_key = :rg_key WHERE customer_id = :id"
    )
    batch: list[dict[str, object]] = []
    for customer_id, name, rg in rows:
        batch.append(
            {
                "id": customer_id,
                "name_key": name_key(name),
                "rg_key": None if rg is None else rg_key(rg),
            }
        )
        if len(batch) >= 5000:
            conn.execute(update, batch)
            batch.clear()
    if batch:
        conn.execute(update, batch)


def upgrade() -> None:
    op.add_column("customers", sa.Column("name_key", sa.Text, nullable=True))
    op.add_column("customers", sa.Column("rg_key", sa.String(20), nullable=True))
    op.add_column("customers", sa.Column("loyalty_card", sa.String(32), nullable=True))
    _fill_keys()
    for name, column in _EXACT:
        op.create_index(name, "customers", [column])
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE if dialect == "sqlite" else _POSTGRESQL:
        op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for statement in _SQLITE_DOWN if dialect == "sqlite" else _POSTGRESQL_DOWN:
        op.execute(statement)
    for name, _ in reversed(_EXACT):
        op.drop_index(name, table_name="customers")
    with op.batch_alter_table("customers") as batch:
        batch.drop_column("loyalty_card")
        batch.drop_column("rg_key")
        batch.drop_column("name_key")
