"""Account service hardening: the recovery e-mail is capped, the dummy hash is made at start.

A reliability review found that ``request_password_recovery`` parsed (and echoed in its
error) an e-mail of any length, where login refuses more than 1000 characters unread; and
that the dummy Argon2 hash verified for unknown e-mails was made at the first such login,
which was then slower by one hashing. (SQLite's ``synchronous=FULL`` default is tested in
tests/unit/test_cli_failures.py.)
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import argon2
import pytest

from otocore.accounts import AccountService, SecurityPolicy
from otocore.adapters.mail import InMemoryMailer
from otocore.adapters.memory import InMemoryDatabase
from otocore.auth import SecretHasher
from otocore.clock import FixedClock
from otocore.errors import AuthenticationFailed, ValidationError

ADMIN = "admin@example.com"
PASSWORD = "cavalo correto bateria grampo"  # noqa: S105 - a test account's password
PIN = "482913"


def _service(hasher: SecretHasher, mailer: InMemoryMailer | None = None) -> AccountService:
    return AccountService(
        InMemoryDatabase().unit_of_work,
        mailer=mailer or InMemoryMailer(),
        clock=FixedClock(datetime(2026, 5, 4, 9, tzinfo=UTC)),
        policy=SecurityPolicy(app_url="https://app.example.com"),
        hasher=hasher,
    )


@pytest.mark.parametrize("length", [1001, 5_000_000])
def test_password_recovery_refuses_a_huge_email_unread(length: int) -> None:
    mailer = InMemoryMailer()
    service = _service(SecretHasher.insecure_for_tests(), mailer)
    service.create_first_admin(email=ADMIN, password=PASSWORD, pin=PIN)
    typed = "a" * (length - len("@example.com")) + "@example.com"
    with pytest.raises(ValidationError, match="must be at most 1000 characters") as caught:
        service.request_password_recovery(typed)
    assert caught.value.field == "email"
    assert len(str(caught.value)) < 200  # the start and the length, not the text
    assert f"({length} characters)" in str(caught.value)
    assert mailer.outbox == []


def test_password_recovery_still_parses_an_email_of_1000_characters() -> None:
    service = _service(SecretHasher.insecure_for_tests())
    typed = "a" * (1000 - len("@example.com")) + "@example.com"
    assert len(typed) == 1000
    with pytest.raises(ValidationError, match="not a valid e-mail address"):
        service.request_password_recovery(typed)  # too long a local part: parsed, refused


def test_the_dummy_hash_is_made_when_the_service_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    hashed: list[int] = []
    verified: list[int] = []
    real_hash, real_verify = argon2.PasswordHasher.hash, argon2.PasswordHasher.verify

    def counting_hash(self: argon2.PasswordHasher, secret: Any, **kw: Any) -> str:
        hashed.append(self.memory_cost)
        return real_hash(self, secret, **kw)

    def counting_verify(self: argon2.PasswordHasher, stored: Any, secret: Any) -> bool:
        verified.append(1)
        return real_verify(self, stored, secret)

    monkeypatch.setattr(argon2.PasswordHasher, "hash", counting_hash)
    monkeypatch.setattr(argon2.PasswordHasher, "verify", counting_verify)
    # parameters no other test uses, so no hash made elsewhere in this process is reused
    hasher = SecretHasher(memory_cost=24, time_cost=1, insecure=True)
    service = _service(hasher)
    assert hashed == [24]  # the dummy, made at start
    hashed.clear()
    with pytest.raises(AuthenticationFailed, match="wrong e-mail, password or PIN"):
        service.login("ninguem@example.com", PASSWORD, PIN)
    assert hashed == []  # the first unknown e-mail makes no hash: two verifications only
    assert len(verified) == 2
