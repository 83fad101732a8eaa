"""In-memory repositories of access: login accounts, single-use tokens and the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import attrs

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
from otocore.adapters.memory._base import Repository
from otocore.auth import REDACTED, Account, AccountToken, Role, TokenPurpose
from otocore.customers import Email
from otocore.errors import NotFound

# accounts, tokens and the audit log ---------------------------------------------------


class Accounts(Repository):
    def _owner_of_email(self, email: Email) -> Account | None:
        found: list[Account] = self._t.lookup("accounts_by_email", email.address)
        return found[0] if found else None

    def add(self, account: Account) -> None:
        check_account("account", account)
        # uniqueness holds across concurrent blocks only under the write lock
        self._uow._take_write_lock()
        txn = self._t
        if txn.get("accounts", account.account_id) is not None:
            raise account_taken("account_id", account.account_id)
        if self._owner_of_email(account.email) is not None:
            raise account_taken("e-mail", account.email.address)
        txn.put("accounts", account.account_id, account)

    def get(self, account_id: str) -> Account:
        return self._get("accounts", "account_id", account_id, Account)

    def find_by_email(self, email: Email) -> Account | None:
        return self._owner_of_email(require("email", email, Email))

    def for_seller(self, seller_code: str) -> Account | None:
        found: list[Account] = self._t.lookup(
            "accounts_by_seller", require_key("seller_code", seller_code)
        )
        return min(found, key=lambda a: a.account_id) if found else None

    def save(self, account: Account) -> None:
        check_account("account", account)
        self._uow._take_write_lock()
        self.get(account.account_id)
        owner = self._owner_of_email(account.email)
        if owner is not None and owner.account_id != account.account_id:
            raise account_taken("e-mail", account.email.address)
        self._t.put("accounts", account.account_id, account)

    def list(self, *, store_id: str | None = None, role: Role | None = None) -> list[Account]:
        if store_id is not None:
            require_key("store_id", store_id)
        optional_enum("role", role, Role)
        return [
            a
            for a in self._by_key("accounts", Account)
            if (store_id is None or a.store_id == store_id) and (role is None or role in a.roles)
        ]


class Tokens(Repository):
    def add(self, token: AccountToken) -> None:
        require("token", token, AccountToken)
        self._uow._take_write_lock()
        key = token.record.token_hash
        if self._t.get("tokens", key) is not None:
            raise token_taken()
        self._t.put("tokens", key, (next(self._uow.database._event_keys), token))

    def find(self, token_hash: str) -> AccountToken | None:
        row = self._t.get("tokens", token_hash_key(token_hash))
        return None if row is None else row[1]

    def _owned(self, account_id: str, purpose: TokenPurpose) -> list[tuple[int, AccountToken]]:
        key = (require_key("account_id", account_id), require("purpose", purpose, TokenPurpose))
        return sorted(self._t.lookup("tokens_by_owner", key), key=lambda row: row[0])

    def newest(self, account_id: str, purpose: TokenPurpose) -> AccountToken | None:
        owned = self._owned(account_id, purpose)
        return owned[-1][1] if owned else None

    def mark_used(self, token_hash: str, used_at: datetime) -> None:
        key = token_hash_key(token_hash)
        require_instant("used_at", used_at)
        self._uow._take_write_lock()
        row = self._t.get("tokens", key)
        if row is None:
            raise NotFound("Token", REDACTED)
        order, token = row
        record = attrs.evolve(token.record, used_at=used_at)
        self._t.put("tokens", key, (order, attrs.evolve(token, record=record)))

    def issued_since(
        self, account_id: str, purpose: TokenPurpose, since: datetime
    ) -> list[datetime]:
        start = require_instant("since", since)
        return sorted(
            t.record.issued_at
            for _, t in self._owned(account_id, purpose)
            if t.record.issued_at > start
        )


class Audit(Repository):
    def append(self, entry: AuditEntry) -> None:
        self._uow._take_write_lock()
        checked = check_audit_successor(self.tail(), entry, self._uow.database.log_keys)
        self._t.put("audit", checked.sequence, checked)

    def tail(self) -> AuditEntry | None:
        rows = self._t.rows("audit")
        return rows[max(rows)] if rows else None

    def iter_all(self) -> Iterator[AuditEntry]:
        rows = self._t.rows("audit")
        return iter([rows[k] for k in sorted(rows)])

    def count(self) -> int:
        return self._t.count("audit")
