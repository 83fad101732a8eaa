"""The SQL repository of customer exports (issue 15), table ``customer_exports``."""

from __future__ import annotations

import builtins
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from otocore._trusted import rebuilder
from otocore.adapters._common import require_instant, require_key, token_hash_key
from otocore.adapters._exports import check_export, export_taken
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._base import Repository
from otocore.adapters.sql._rows import RowMap, stored_enum
from otocore.customers import Cpf, Customer, Email, Loyalty, MaritalStatus, Mobile, Sex
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


# a whole base read a page at a time (customers.page): the row to Customer, fast ----------

_CUSTOMER_NAMES = (
    "customer_id",
    "name",
    "registered_at",
    "cpf",
    "rg",
    "birth_date",
    "email",
    "mobile",
    "sex",
    "marital_status",
    "home_store_id",
    "loyalty",
)
_new_customer = rebuilder(Customer, _CUSTOMER_NAMES)
_new_cpf = rebuilder(Cpf, ("digits", "allow_repeated"))
_new_email = rebuilder(Email, ("address",))
_new_mobile = rebuilder(Mobile, ("e164",))
_new_loyalty = rebuilder(Loyalty, ("program", "category", "card_number"))
_SEXES = {m.value: m for m in Sex}
_MARITAL = {m.value: m for m in MaritalStatus}


PAGED_COLUMNS = tuple(
    t.customers.c[name]
    for name in (
        "customer_id",
        "name",
        "registered_at",
        "cpf",
        "rg",
        "birth_date",
        "email",
        "mobile",
        "sex",
        "marital_status",
        "home_store_id",
        "loyalty_program",
        "loyalty_category",
        "loyalty_card",
    )
)
"""The columns :func:`paged_customer` reads, in its order (named: the table may grow)."""


def paged_customer(row: Any) -> Customer:
    """:func:`otocore.adapters.sql._rows.customer`, specialised for whole-base reads.

    The same value (the contract's paging tests compare them with what was
    stored); the enums are still checked, the rest was validated when written.
    """
    (
        cid,
        name,
        registered,
        cpf,
        rg,
        birth,
        email,
        mobile,
        sex,
        marital,
        home,
        program,
        category,
        card,
    ) = row
    sex_member = None if sex is None else _SEXES.get(sex)
    if sex_member is None and sex is not None:
        sex_member = stored_enum(Sex, sex, "Customer.sex")
    marital_member = None if marital is None else _MARITAL.get(marital)
    if marital_member is None and marital is not None:
        marital_member = stored_enum(MaritalStatus, marital, "Customer.marital_status")
    return _new_customer(
        cid,
        name,
        registered,
        None if cpf is None else _new_cpf(cpf, cpf == cpf[0] * 11),
        rg,
        birth,
        None if email is None else _new_email(email),
        None if mobile is None else _new_mobile(mobile),
        sex_member,
        marital_member,
        home,
        None if program is None else _new_loyalty(program, category, card),
    )
