"""The SQL schema, as SQLAlchemy Core tables (the migrations create exactly this).

Types chosen so that one schema works on SQLite and PostgreSQL and values come
back exactly:

* instants (aware datetimes): ``TIMESTAMP WITH TIME ZONE`` on PostgreSQL; on
  SQLite, which has no time zone type, fixed-width ISO 8601 text in UTC
  (``2026-05-10T18:30:00.000000+00:00``), which sorts in time order;
* money (``Order.total``): ``BIGINT`` centavos (``total_cents``), exact and
  summable in SQL on both databases;
* other decimals (``RfvScore.value``, any number of places): ``NUMERIC`` on
  PostgreSQL, the decimal's text on SQLite;
* local days: ``DATE`` (ISO text on SQLite); enums: their value as text.
"""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

KEY = 100  # length of ids and codes (the value types accept at most 100 characters)
INSTANT_TEXT = 32  # len("2026-05-10T18:30:00.000000+00:00")


class Instant(sa.types.TypeDecorator[datetime]):
    """An aware datetime, stored in UTC; comes back as an aware datetime in UTC."""

    impl = sa.String(INSTANT_TEXT)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(postgresql.TIMESTAMP(timezone=True))
        return dialect.type_descriptor(sa.String(INSTANT_TEXT))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        utc = value.astimezone(UTC)
        if dialect.name == "postgresql":
            return utc
        return utc.isoformat(timespec="microseconds")

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            return datetime.fromisoformat(value)
        return value.astimezone(UTC)  # type: ignore[no-any-return]


class ExactDecimal(sa.types.TypeDecorator[Decimal]):
    """A Decimal with any number of places: NUMERIC on PostgreSQL, its text on SQLite."""

    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(sa.Numeric(asdecimal=True))
        return dialect.type_descriptor(sa.Text())

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        return str(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        if value is None:
            return None
        return value if isinstance(value, Decimal) else Decimal(value)


metadata = sa.MetaData(naming_convention=NAMING)


def _key(name: str, **kwargs: Any) -> sa.Column[str]:
    return sa.Column(name, sa.String(KEY), **kwargs)


stores = sa.Table(
    "stores",
    metadata,
    _key("store_id", primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("city", sa.Text),
    sa.Column("state", sa.Text),
)

sellers = sa.Table(
    "sellers",
    metadata,
    _key("code", primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    _key("store_id", nullable=False, index=True),
    sa.Column("status", sa.String(16), nullable=False),
)

customers = sa.Table(
    "customers",
    metadata,
    _key("customer_id", primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("registered_at", Instant, nullable=False),
    sa.Column("cpf", sa.String(11), index=True),
    sa.Column("rg", sa.Text),
    sa.Column("birth_date", sa.Date),
    sa.Column("email", sa.Text),
    sa.Column("mobile", sa.Text),
    sa.Column("sex", sa.String(16)),
    sa.Column("marital_status", sa.String(16)),
    _key("home_store_id"),
    sa.Column("loyalty_program", sa.Text),
    sa.Column("loyalty_category", sa.Text),
    # search (issue 15, migration 0007): the normalized keys the registry search reads,
    # written by the repositories (otocore.search.name_key, rg_key); the name's own
    # indexes (SQLite FTS5, PostgreSQL GIN full text) are in SEARCH_OBJECTS below
    sa.Column("name_key", sa.Text),
    sa.Column("rg_key", sa.String(20), index=True),
    sa.Column("loyalty_card", sa.String(32), index=True),
    sa.Index("ix_customers_email", "email"),
    sa.Index("ix_customers_mobile", "mobile"),
)

orders = sa.Table(
    "orders",
    metadata,
    _key("order_id", primary_key=True),
    _key("customer_id", nullable=False, index=True),
    _key("store_id", nullable=False),
    sa.Column("placed_at", Instant, nullable=False),
    sa.Column("total_cents", sa.BigInteger, nullable=False),
    _key("seller_code"),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Index("ix_orders_placed_at_order_id", "placed_at", "order_id"),
)

portfolio = sa.Table(
    "portfolio",
    metadata,
    _key("customer_id", primary_key=True),
    _key("seller_code", index=True),
    sa.Column("since", sa.Date, nullable=False),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.CheckConstraint(
        "(seller_code IS NULL AND reason = 'none') OR (seller_code IS NOT NULL AND reason <> 'none')",
        name="seller_iff_reason",
    ),
)

rfv_snapshots = sa.Table(
    "rfv_snapshots",
    metadata,
    sa.Column("as_of", sa.Date, primary_key=True),
)

rfv_scores = sa.Table(
    "rfv_scores",
    metadata,
    sa.Column(
        "as_of",
        sa.Date,
        sa.ForeignKey("rfv_snapshots.as_of", ondelete="CASCADE"),
        primary_key=True,
    ),
    _key("customer_id", primary_key=True),
    sa.Column("recency_days", sa.Integer, nullable=False),
    sa.Column("frequency", sa.Integer, nullable=False),
    sa.Column("value", ExactDecimal, nullable=False),
    sa.Column("r", sa.SmallInteger, nullable=False),
    sa.Column("f", sa.SmallInteger, nullable=False),
    sa.Column("v", sa.SmallInteger, nullable=False),
    sa.Column("segment", sa.String(50), nullable=False),
)

daily_runs = sa.Table(
    "daily_runs",
    metadata,
    sa.Column("run_id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("as_of", sa.Date, nullable=False, index=True),
    sa.Column("started_at", Instant, nullable=False),
    sa.Column("finished_at", Instant, nullable=False),
)

daily_run_counts = sa.Table(
    "daily_run_counts",
    metadata,
    sa.Column(
        "run_id",
        sa.Integer,
        sa.ForeignKey("daily_runs.run_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("name", sa.String(KEY), primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)

daily_run_changes = sa.Table(
    "daily_run_changes",
    metadata,
    sa.Column(
        "run_id",
        sa.Integer,
        sa.ForeignKey("daily_runs.run_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True),
    _key("customer_id", nullable=False),
    _key("from_seller"),
    _key("to_seller"),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("decided_by", sa.Text),
)

sequences = sa.Table(
    "sequences",
    metadata,
    _key("name", primary_key=True),
    sa.Column("value", sa.BigInteger, nullable=False),
)


# revision 0002: consent, blocked CPFs, contacts, campaigns, suggestions ----------

# An autoincrementing 64-bit id (SQLite only autoincrements an INTEGER primary key,
# which is 64-bit there anyway).
SERIAL = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

consent_events = sa.Table(
    "consent_events",
    metadata,
    sa.Column("seq", SERIAL, primary_key=True, autoincrement=True),
    _key("customer_id", nullable=False, index=True),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("granted", sa.Boolean, nullable=False),
    sa.Column("at", Instant, nullable=False),
    sa.Column("source", sa.String(32), nullable=False),
    _key("recorded_by", nullable=False),
    _key("event_id"),
    sa.Index("ix_consent_events_at_seq", "at", "seq"),
    sa.Index("uq_consent_events_event_id", "event_id", unique=True),
)

block_events = sa.Table(
    "block_events",
    metadata,
    sa.Column("seq", SERIAL, primary_key=True, autoincrement=True),
    sa.Column("cpf", sa.String(11), nullable=False, index=True),
    # the features' values, sorted and comma-separated: "campaigns,loyalty"
    sa.Column("features", sa.String(100), nullable=False),
    sa.Column("blocked", sa.Boolean, nullable=False),
    sa.Column("reason", sa.Text, nullable=False),
    _key("by", nullable=False),
    sa.Column("at", Instant, nullable=False),
    _key("event_id"),
    sa.Index("ix_block_events_at_seq", "at", "seq"),
    sa.Index("uq_block_events_event_id", "event_id", unique=True),
)

contacts = sa.Table(
    "contacts",
    metadata,
    _key("contact_id", primary_key=True),
    _key("seller_code", nullable=False, index=True),
    _key("customer_id", nullable=False, index=True),
    _key("suggestion_id", index=True),
    _key("campaign_id"),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("started_at", Instant, nullable=False),
    sa.Column("finished_at", Instant, nullable=False),
    # the SKUs as a JSON array of strings, in the order given
    sa.Column("products_offered", sa.Text, nullable=False),
    sa.Column("follow_up_day", sa.Date, index=True),
    sa.Column("follow_up_note", sa.Text),
    sa.Column("consent_channel", sa.String(16)),
    sa.Column("consent_granted", sa.Boolean),
    sa.Column("notes", sa.Text),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("dismiss_reason", sa.Text),
    sa.Column("in_portfolio", sa.Boolean, nullable=False),
    sa.Column("time_zone", sa.String(64), nullable=False),
    sa.Index("ix_contacts_started_at_contact_id", "started_at", "contact_id"),
    sa.CheckConstraint(
        "(follow_up_day IS NULL) = (follow_up_note IS NULL)", name="follow_up_complete"
    ),
    sa.CheckConstraint(
        "(consent_channel IS NULL) = (consent_granted IS NULL)", name="consent_change_complete"
    ),
)

campaigns = sa.Table(
    "campaigns",
    metadata,
    _key("campaign_id", primary_key=True),
    sa.Column("name", sa.Text, nullable=False),
    sa.Column("priority", sa.Integer, nullable=False),
    sa.Column("first_day", sa.Date, nullable=False),
    sa.Column("last_day", sa.Date, nullable=False),
    # the filter's JSON form (otocore.filters.filter_to_data), as text
    sa.Column("audience", sa.Text, nullable=False),
    # a JSON array of the channels' values, in order of preference
    sa.Column("channels", sa.Text, nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    # a JSON object from channel value to template
    sa.Column("channel_messages", sa.Text, nullable=False),
    sa.Column("quarantine_days", sa.Integer, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Index("ix_campaigns_priority_campaign_id", "priority", "campaign_id"),
)

suggestions = sa.Table(
    "suggestions",
    metadata,
    sa.Column("suggestion_id", sa.String(120), primary_key=True),
    sa.Column("day", sa.Date, nullable=False),
    _key("seller_code", nullable=False),
    _key("customer_id", nullable=False, index=True),
    sa.Column("kind", sa.String(16), nullable=False),
    _key("campaign_id"),
    sa.Column("channel", sa.String(16), nullable=False),
    sa.Column("message", sa.Text, nullable=False),
    sa.Column("reason", sa.String(32), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("rank", sa.Integer, nullable=False),
    _key("contact_id"),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Index("ix_suggestions_day_seller_code_rank", "day", "seller_code", "rank"),
)

seller_workloads = sa.Table(
    "seller_workloads",
    metadata,
    _key("seller_code", primary_key=True),
    sa.Column("hours_worked", ExactDecimal),
    sa.Column("idle_share", ExactDecimal),
    sa.Column("avg_conversation_minutes", ExactDecimal),
)


# revision 0003: login accounts, single-use tokens, the audit log ----------------

accounts = sa.Table(
    "accounts",
    metadata,
    _key("account_id", primary_key=True),
    # the canonical Email.address: the login key, unique in the brand
    sa.Column("email", sa.Text, nullable=False),
    # the roles' values, sorted and comma-separated: "seller,store_manager"
    sa.Column("roles", sa.String(100), nullable=False),
    _key("seller_code", index=True),
    _key("store_id", index=True),
    # Argon2id hashes (never the secrets themselves); NULL until set
    sa.Column("password_hash", sa.Text),
    sa.Column("pin_hash", sa.Text),
    sa.Column("failures", sa.BigInteger, nullable=False),
    sa.Column("locked", sa.Boolean, nullable=False),
    sa.Column("must_change_password", sa.Boolean, nullable=False),
    sa.Column("active", sa.Boolean, nullable=False),
    sa.Index("uq_accounts_email", "email", unique=True),
)

auth_tokens = sa.Table(
    "auth_tokens",
    metadata,
    # the order tokens were added in: an account's newest token has the highest id
    sa.Column("id", SERIAL, primary_key=True, autoincrement=True),
    # the SHA-256 of the token's text, 64 lowercase hex digits (never the text)
    sa.Column("token_hash", sa.String(64), nullable=False),
    _key("account_id", nullable=False),
    sa.Column("purpose", sa.String(16), nullable=False),
    sa.Column("issued_at", Instant, nullable=False),
    sa.Column("expires_at", Instant, nullable=False),
    sa.Column("used_at", Instant),
    sa.Index("uq_auth_tokens_token_hash", "token_hash", unique=True),
    sa.Index("ix_auth_tokens_account_id_purpose_id", "account_id", "purpose", "id"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    # given by the entry (1, 2, 3, ...), never generated: a duplicate is refused
    sa.Column("sequence", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("at", Instant, nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    # an Action's value, or free text for actions outside the permission table
    sa.Column("action", sa.String(100), nullable=False),
    _key("target_store_id"),
    sa.Column("target_account_id", sa.String(200)),
    _key("target_seller_code"),
    sa.Column("outcome", sa.String(16), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("previous_hash", sa.String(64), nullable=False),
    sa.Column("entry_hash", sa.String(64), nullable=False),
)


# revision 0004: each customer's outcome of a generated day ------------------------

# one row per generated day: the day's outcomes were saved (even a day without customers)
outcome_days = sa.Table(
    "outcome_days",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    sa.Column("customers", sa.BigInteger, nullable=False),
)

# one row per customer and generated day: the Explanation the day's plan gave
day_outcomes = sa.Table(
    "day_outcomes",
    metadata,
    sa.Column("day", sa.Date, primary_key=True),
    _key("customer_id", primary_key=True),
    sa.Column("outcome", sa.String(32), nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    _key("seller_code"),
    _key("campaign_id"),
    sa.Column("channel", sa.String(16)),
    sa.Column("free_on", sa.Date),
    sa.Column("quarantine_rule", sa.String(32)),
    # SUGGESTED only: the planned suggestion's own fields (its id is "<day>:<customer id>",
    # its seller, campaign, channel and detail are the row's)
    sa.Column("reason", sa.String(32)),
    sa.Column("rank", sa.Integer),
    _key("contact_id"),
    sa.Column("message", sa.Text),
    sa.Column("status", sa.String(16)),
    sa.CheckConstraint(
        "(outcome = 'suggested') = (reason IS NOT NULL AND rank IS NOT NULL"
        " AND message IS NOT NULL AND status IS NOT NULL)",
        name="suggestion_iff_suggested",
    ),
    # SQLite: the rows live in the primary key's B-tree (no second copy of day and id)
    sqlite_with_rowid=False,
)


# revision 0005: telesales carts and orders, their items and histories ---------------

# one row per telesales cart or order: its scalar fields, the last authorization
# decision (approval_*, all NULL when there is none) and the compare-and-set pair
# (state, history_length) that TelesalesRepository.save checks
telesales_orders = sa.Table(
    "telesales_orders",
    metadata,
    _key("order_id", primary_key=True),
    _key("customer_id", nullable=False, index=True),
    _key("store_id", nullable=False),
    sa.Column("state", sa.String(32), nullable=False),
    sa.Column("built_by", sa.String(200), nullable=False),
    sa.Column("operator_email", sa.String(200), index=True),
    sa.Column("shared", sa.Boolean, nullable=False),
    sa.Column("completed_by_customer", sa.Boolean, nullable=False),
    # a JSON array of [sku, who] pairs, in order: who set each manual price (four eyes)
    sa.Column("manual_price_setters", sa.Text, nullable=False),
    sa.Column("payment_method", sa.String(32)),
    sa.Column("payment_status", sa.String(16), nullable=False),
    _key("commercial_policy"),
    sa.Column("approval_decided_by", sa.String(KEY)),
    sa.Column("approval_by_rule", sa.Boolean),
    sa.Column("approval_at", Instant),
    sa.Column("approval_outcome", sa.String(16)),
    sa.Column("approval_reason", sa.Text),
    sa.Column("approval_digest", sa.String(64)),
    # when the cart was opened (the first history entry) and when it was placed (or NULL)
    sa.Column("opened_at", Instant, nullable=False),
    sa.Column("placed_at", Instant),
    # placed_at, else opened_at: what the "Todos os pedidos" view sorts by
    sa.Column("sort_at", Instant, nullable=False),
    sa.Column("history_length", sa.Integer, nullable=False),
    # revision 0006: a shared cart's link, its TokenRecord (the SHA-256 of the token, 64
    # lowercase hex digits, never the token; when issued, expires, was used); all NULL
    # when the cart was not shared with a link
    sa.Column("share_token_hash", sa.String(64)),
    sa.Column("share_issued_at", Instant),
    sa.Column("share_expires_at", Instant),
    sa.Column("share_used_at", Instant),
    sa.CheckConstraint(
        "(approval_decided_by IS NULL) = (approval_outcome IS NULL)", name="approval_whole"
    ),
    sa.CheckConstraint(
        "(share_token_hash IS NULL AND share_issued_at IS NULL"
        " AND share_expires_at IS NULL AND share_used_at IS NULL)"
        " OR (share_token_hash IS NOT NULL AND share_issued_at IS NOT NULL"
        " AND share_expires_at IS NOT NULL)",
        name="share_link_whole",
    ),
    sa.Index("ix_telesales_orders_state_sort_at", "state", "sort_at"),
    sa.Index("ix_telesales_orders_sort_at_order_id", "sort_at", "order_id"),
)

# one row per item of an order, in the order's item order (position)
telesales_items = sa.Table(
    "telesales_items",
    metadata,
    sa.Column(
        "order_id",
        sa.String(KEY),
        sa.ForeignKey("telesales_orders.order_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True),
    _key("sku", nullable=False),
    sa.Column("quantity", sa.Integer, nullable=False),
    sa.Column("list_price", ExactDecimal, nullable=False),
    sa.Column("manual_price", ExactDecimal),
)

# one row per transition of an order's history, oldest first (position)
telesales_history = sa.Table(
    "telesales_history",
    metadata,
    sa.Column(
        "order_id",
        sa.String(KEY),
        sa.ForeignKey("telesales_orders.order_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    sa.Column("position", sa.Integer, primary_key=True),
    sa.Column("from_state", sa.String(32), nullable=False),
    sa.Column("to_state", sa.String(32), nullable=False),
    sa.Column("who", sa.String(200), nullable=False),
    sa.Column("at", Instant, nullable=False),
    sa.Column("why", sa.Text, nullable=False),
)


# revision 0006: the brand's telesales policy ---------------------------------------

# one row (id 1) or none: the TelesalesPolicy as the JSON text of
# otocore.serialization.converter's output; no row is the default policy
telesales_settings = sa.Table(
    "telesales_settings",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("policy", sa.Text, nullable=False),
    sa.CheckConstraint("id = 1", name="one_row"),
)


# revision 0011 (insights): an order's discount -------------------------------------

# Order.discount in centavos, as total_cents; 0 for the orders stored before it existed
orders.append_column(
    sa.Column("discount_cents", sa.BigInteger, nullable=False, server_default=sa.text("0"))
)


# revision 0008 (issue 15, categories): customer categories and their members ---------

# one row per category; the discount's three columns are all NULL (no discount) or the
# percentage is set (its days may each be NULL: an open end)
customer_categories = sa.Table(
    "customer_categories",
    metadata,
    _key("category_id", primary_key=True),
    sa.Column("name", sa.String(100), nullable=False),
    sa.Column("colour", sa.String(7), nullable=False),
    sa.Column("discount_percentage", ExactDecimal),
    sa.Column("discount_first_day", sa.Date),
    sa.Column("discount_last_day", sa.Date),
    sa.CheckConstraint(
        "discount_percentage IS NOT NULL"
        " OR (discount_first_day IS NULL AND discount_last_day IS NULL)",
        name="discount_whole",
    ),
)

# one row per (category, customer); a category's rows go with it
customer_category_members = sa.Table(
    "customer_category_members",
    metadata,
    sa.Column(
        "category_id",
        sa.String(KEY),
        sa.ForeignKey("customer_categories.category_id", ondelete="CASCADE"),
        primary_key=True,
    ),
    _key("customer_id", primary_key=True),
    sa.Index("ix_customer_category_members_customer_id", "customer_id"),
)


# revision 0010: customer exports (issue 15, the `export` part) -----------------------

# one row per export: who asked, when, for which query, how many customers, the file's
# name in the brand's export directory and the SHA-256 of the download token (never the
# token); downloads counts the downloads, downloaded_at is the latest
customer_exports = sa.Table(
    "customer_exports",
    metadata,
    _key("export_id", primary_key=True),
    _key("account_id", nullable=False),
    sa.Column("requested_at", Instant, nullable=False),
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("format", sa.String(8), nullable=False),
    sa.Column("count", sa.BigInteger, nullable=False),
    sa.Column("file_name", sa.String(200), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False),
    sa.Column("expires_at", Instant, nullable=False),
    sa.Column("downloaded_at", Instant),
    sa.Column("downloads", sa.BigInteger, nullable=False),
    sa.Index("uq_customer_exports_token_hash", "token_hash", unique=True),
    sa.Index("ix_customer_exports_account_id_requested_at", "account_id", "requested_at"),
)


# revision 0009 (logs, issue 15): the keyed audit log, the customer history, the data-access log

# the audit log's keyed MAC chain (otocore.ledger): both NULL on entries written before 0009
# or by a store opened without log keys
audit_log.append_column(sa.Column("key_id", sa.String(64)))
audit_log.append_column(sa.Column("mac", sa.String(64)))

# one row per customer history entry, without its values (the part the MAC chain covers);
# UPDATE and DELETE refused by triggers
customer_history = sa.Table(
    "customer_history",
    metadata,
    sa.Column("sequence", sa.BigInteger, primary_key=True, autoincrement=False),
    _key("customer_id", nullable=False),
    sa.Column("field", sa.String(100), nullable=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("at", Instant, nullable=False),
    sa.Column("reason", sa.String(32), nullable=False),
    # HMAC of the entry's values under its key (otocore.history.values_digest)
    sa.Column("values_digest", sa.String(64), nullable=False),
    sa.Column("key_id", sa.String(64), nullable=False),
    sa.Column("mac", sa.String(64), nullable=False),
    sa.Index("ix_customer_history_customer_id_sequence", "customer_id", "sequence"),
)

# the values of each history entry; deleted (never updated) when the customer is redacted
customer_history_values = sa.Table(
    "customer_history_values",
    metadata,
    sa.Column(
        "sequence",
        sa.BigInteger,
        sa.ForeignKey("customer_history.sequence"),
        primary_key=True,
        autoincrement=False,
    ),
    sa.Column("old_value", sa.Text),
    sa.Column("new_value", sa.Text),
)

# one row per data-access log entry; UPDATE and DELETE refused by triggers
access_log = sa.Table(
    "access_log",
    metadata,
    sa.Column("sequence", sa.BigInteger, primary_key=True, autoincrement=False),
    sa.Column("actor", sa.String(200), nullable=False),
    sa.Column("at", Instant, nullable=False),
    sa.Column("action", sa.String(32), nullable=False),
    # CPFs masked (otocore.history.mask_cpfs)
    sa.Column("query", sa.Text, nullable=False),
    sa.Column("customers", sa.BigInteger, nullable=False),
    sa.Column("detail", sa.Text, nullable=False),
    sa.Column("key_id", sa.String(64), nullable=False),
    sa.Column("mac", sa.String(64), nullable=False),
    # migration 0013: the reader's filters (AccessLogService.read) walk these, not the log
    sa.Index("ix_access_log_actor_sequence", "actor", "sequence"),
    sa.Index("ix_access_log_action_sequence", "action", "sequence"),
    sa.Index("ix_access_log_at", "at"),
)


# search (issue 15) ---------------------------------------------------------------------
# Objects of the registry search that migration 0007 creates with dialect-specific DDL
# and that SQLAlchemy's metadata cannot describe: on SQLite the name sort index, the
# FTS5 table over customers.name_key (and its shadow tables) and the triggers that keep
# it in step; on PostgreSQL the GIN full-text index over the words of name_key and the
# name sort index with COLLATE "C". tests/contract/test_sql_schema.py leaves these names out of its comparison.
SEARCH_FTS = "customers_name_fts"
SEARCH_OBJECTS = frozenset(
    {
        "ix_customers_name_key",
        "ix_customers_name_key_words",
        SEARCH_FTS,
        *(f"{SEARCH_FTS}_{shadow}" for shadow in ("data", "idx", "docsize", "config", "content")),
    }
)


# revision 0012: data-subject requests (issue 15, SAC) ----------------------------------

# one row per request of a customer under LGPD art. 18; the answer columns are NULL while
# the request is open and set once (compare-and-set on answered_at IS NULL)
data_requests = sa.Table(
    "data_requests",
    metadata,
    _key("request_id", primary_key=True),
    _key("customer_id", nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("received_at", Instant, nullable=False),
    sa.Column("form", sa.String(16), nullable=False),
    sa.Column("detail", sa.Text),
    sa.Column("answered_at", Instant),
    sa.Column("outcome", sa.String(32)),
    sa.Column("answer", sa.Text),
    sa.Index("ix_data_requests_customer_id_received_at", "customer_id", "received_at"),
    sa.Index("ix_data_requests_answered_at_received_at", "answered_at", "received_at"),
)
