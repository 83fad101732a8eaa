"""SQL repositories of access: login accounts, single-use tokens and the audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime

import sqlalchemy as sa

from otocore.access import AuditEntry
from otocore.adapters._common import (
    account_taken,
    check_account,
    check_audit_successor,
    optional_enum,
    require,
    require_instant,
    require_key,
    token_hash_key,
    token_taken,
)
from otocore.adapters.sql import _rows as r
from otocore.adapters.sql import _tables as t
from otocore.adapters.sql._base import Repository, where_key
from otocore.auth import REDACTED, Account, AccountToken, Role, TokenPurpose
from otocore.customers import Email
from otocore.errors import NotFound, RuleViolation

_A = t.accounts.c


class Accounts(Repository):
    def _clash(self, account: Account, *, new: bool) -> RuleViolation | None:
        """What stops ``account`` from being added (``new``) or saved; NotFound on save."""
        stmt = sa.select(_A.account_id, _A.email).where(
            sa.or_(_A.account_id == account.account_id, _A.email == account.email.address)
        )
        rows = self._c.execute(self._for_read(stmt)).all()
        ids = {row.account_id for row in rows}
        if new and account.account_id in ids:
            return account_taken("account_id", account.account_id)
        if not new and account.account_id not in ids:
            raise NotFound("Account", account.account_id)
        if any(row.account_id != account.account_id for row in rows):
            return account_taken("e-mail", account.email.address)
        return None

    def _checked(self, account: Account, *, new: bool) -> Callable[[], RuleViolation]:
        """Raise what stops ``account`` now; return the conflict of a race lost later."""
        clash = self._clash(account, new=new)
        if clash is not None:
            raise clash

        def conflict() -> RuleViolation:
            return self._clash(account, new=new) or RuleViolation(
                "the account's id or e-mail was taken by a concurrent transaction"
            )

        return conflict

    def add(self, account: Account) -> None:
        checked = check_account("account", account)
        conflict = self._checked(checked, new=True)
        self._write_once(sa.insert(t.accounts).values(**r.account_row(checked)), conflict)

    def get(self, account_id: str) -> Account:
        return self._get_by(_A.account_id, account_id, r.account, "Account")

    def find_by_email(self, email: Email) -> Account | None:
        address = require("email", email, Email).address
        return self._find(sa.select(t.accounts).where(_A.email == address), r.account)

    def for_seller(self, seller_code: str) -> Account | None:
        code = require_key("seller_code", seller_code)
        stmt = sa.select(t.accounts).where(_A.seller_code == code).order_by(_A.account_id).limit(1)
        return self._find(stmt, r.account)

    def save(self, account: Account) -> None:
        checked = check_account("account", account)
        conflict = self._checked(checked, new=False)
        values = r.account_row(checked)
        del values["account_id"]
        stmt = sa.update(t.accounts).where(_A.account_id == checked.account_id).values(**values)
        if self._write_once(stmt, conflict).rowcount == 0:
            raise NotFound("Account", checked.account_id)  # pragma: no cover - never deleted

    def list(self, *, store_id: str | None = None, role: Role | None = None) -> list[Account]:
        stmt = sa.select(t.accounts).order_by(_A.account_id)
        stmt = where_key(stmt, _A.store_id, "store_id", store_id)
        if optional_enum("role", role, Role) is not None:
            assert role is not None  # noqa: S101 - narrowed above
            roles = sa.literal(",") + _A.roles + sa.literal(",")
            stmt = stmt.where(roles.contains(f",{role.value},", autoescape=True))
        return self._all(stmt, r.account)


_T = t.auth_tokens.c


class Tokens(Repository):
    def add(self, token: AccountToken) -> None:
        row = r.token_row(require("token", token, AccountToken))
        if self._first(sa.select(_T.id).where(_T.token_hash == row["token_hash"])) is not None:
            raise token_taken()
        self._write_once(sa.insert(t.auth_tokens).values(**row), token_taken)

    def find(self, token_hash: str) -> AccountToken | None:
        key = token_hash_key(token_hash)
        return self._find(sa.select(t.auth_tokens).where(_T.token_hash == key), r.token)

    def newest(self, account_id: str, purpose: TokenPurpose) -> AccountToken | None:
        key = require_key("account_id", account_id)
        value = require("purpose", purpose, TokenPurpose).value
        stmt = (
            sa.select(t.auth_tokens)
            .where(_T.account_id == key, _T.purpose == value)
            .order_by(_T.id.desc())
            .limit(1)
        )
        return self._find(stmt, r.token)

    def mark_used(self, token_hash: str, used_at: datetime) -> None:
        key = token_hash_key(token_hash)
        when = require_instant("used_at", used_at)
        stmt = sa.update(t.auth_tokens).where(_T.token_hash == key).values(used_at=when)
        if self._write_once(stmt, token_taken).rowcount == 0:
            raise NotFound("Token", REDACTED)

    def issued_since(
        self, account_id: str, purpose: TokenPurpose, since: datetime
    ) -> list[datetime]:
        start = require_instant("since", since)
        key = require_key("account_id", account_id)
        value = require("purpose", purpose, TokenPurpose).value
        stmt = (
            sa.select(_T.issued_at)
            .where(_T.account_id == key, _T.purpose == value, _T.issued_at > start)
            .order_by(_T.issued_at)
        )
        return [row.issued_at for row in self._c.execute(stmt)]


_L = t.audit_log.c


class Audit(Repository):
    def append(self, entry: AuditEntry) -> None:
        self._uow._take_write_lock()  # the tail checked is the tail appended to
        checked = check_audit_successor(self.tail(), entry, self._uow._log_keys)

        def conflict() -> RuleViolation:
            return RuleViolation(
                f"audit entry {checked.sequence} was appended by a concurrent transaction;"
                " the log is append-only (append inside `with uow.writing():`)"
            )

        self._write_once(sa.insert(t.audit_log).values(**r.audit_row(checked)), conflict)

    def tail(self) -> AuditEntry | None:
        return self._find(sa.select(t.audit_log).order_by(_L.sequence.desc()).limit(1), r.audit)

    def iter_all(self) -> Iterator[AuditEntry]:
        return self._streamed(sa.select(t.audit_log).order_by(_L.sequence), r.audit)

    def count(self) -> int:
        return self._count(t.audit_log)
