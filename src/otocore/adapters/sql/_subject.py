"""The SQL repository of a customer's erasure: UPDATEs to an anonymous id, DELETEs by customer."""

from __future__ import annotations

import sqlalchemy as sa

from otocore.adapters._common import require, require_key
from otocore.adapters._subject import ERASED, RELINKED, check_ids, scrubbed_contact
from otocore.adapters.sql import _rows as r
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._base import Repository
from otocore.customers import Cpf

# the tables whose rows are keyed by a customer id, deleted by erase (in this order)
_ERASED_TABLES = (
    ("customers", t.customers),
    ("portfolio", t.portfolio),
    ("rfv_scores", t.rfv_scores),
    ("suggestions", t.suggestions),
    ("day_outcomes", t.day_outcomes),
    ("category_members", t.customer_category_members),
    ("consent_events", t.consent_events),
    ("contacts", t.contacts),
)
assert tuple(name for name, _ in _ERASED_TABLES) == ERASED  # noqa: S101 - a module invariant


class SubjectData(Repository):
    def relink(self, customer_id: str, anonymous_id: str) -> dict[str, int]:
        old, new = check_ids(customer_id, anonymous_id)
        conn = self._c
        counts = dict.fromkeys(RELINKED, 0)
        for name, table in (
            ("orders", t.orders),
            ("telesales_orders", t.telesales_orders),
            ("consent_events", t.consent_events),
        ):
            stmt = sa.update(table).where(table.c.customer_id == old).values(customer_id=new)
            counts[name] = int(conn.execute(stmt).rowcount)
        c = t.contacts.c
        rows = conn.execute(sa.select(t.contacts).where(c.customer_id == old)).all()
        for row in rows:
            scrubbed = r.contact_row(scrubbed_contact(r.contact(row), new))
            del scrubbed["contact_id"]
            conn.execute(
                sa.update(t.contacts).where(c.contact_id == row.contact_id).values(**scrubbed)
            )
        counts["contacts"] = len(rows)
        return counts

    def erase(self, customer_id: str) -> dict[str, int]:
        old = require_key("customer_id", customer_id)
        conn = self._c
        counts = {}
        for name, table in _ERASED_TABLES:
            stmt = sa.delete(table).where(table.c.customer_id == old)
            counts[name] = int(conn.execute(stmt).rowcount)
        return counts

    def erase_blocks(self, cpf: Cpf) -> int:
        digits = require("cpf", cpf, Cpf).digits
        stmt = sa.delete(t.block_events).where(t.block_events.c.cpf == digits)
        return int(self._c.execute(stmt).rowcount)
