"""DirectoryMailer: each e-mail a file in a folder, in order, never overwritten, owner-only."""

from __future__ import annotations

import email
import email.policy
import stat
from datetime import UTC, datetime
from pathlib import Path

import pytest

from otocore.adapters.mail import DirectoryMailer
from otocore.clock import FixedClock
from otocore.customers import Email
from otocore.errors import ValidationError
from otocore.mail import new_pin_message

NOW = datetime(2026, 11, 2, 12, tzinfo=UTC)


def _mailer(folder: Path) -> DirectoryMailer:
    return DirectoryMailer(folder, sender="Oto <oto@example.com>", clock=FixedClock(NOW))


def test_each_message_is_a_whole_e_mail_file_in_sequence(tmp_path: Path) -> None:
    folder = tmp_path / "mail" / "new"  # created as needed
    mailer = _mailer(folder)
    mailer.send(new_pin_message(Email("ana@example.com"), pin="042917"))
    second = mailer.deliver(new_pin_message(Email("bia@example.com"), pin="913482"))
    assert sorted(p.name for p in folder.iterdir()) == [
        "0001-new_pin-ana@example.com.eml",
        "0002-new_pin-bia@example.com.eml",
    ]
    message = email.message_from_bytes(second.read_bytes(), policy=email.policy.default)
    assert message["To"] == "bia@example.com"
    assert message["From"] == "Oto <oto@example.com>"
    assert message["Date"].datetime == NOW
    body = message.get_body()
    assert body is not None
    assert "913482" in body.get_content()
    assert stat.S_IMODE(second.stat().st_mode) == 0o600


def test_a_file_already_there_is_never_overwritten(tmp_path: Path) -> None:
    taken = tmp_path / "0007-welcome-someone@example.com.eml"
    taken.write_text("kept", encoding="utf-8")
    path = _mailer(tmp_path).deliver(new_pin_message(Email("ana@example.com"), pin="042917"))
    assert path.name == "0008-new_pin-ana@example.com.eml"
    assert taken.read_text(encoding="utf-8") == "kept"


def test_an_address_becomes_a_safe_file_name(tmp_path: Path) -> None:
    path = _mailer(tmp_path).deliver(new_pin_message(Email("a/b@example.com"), pin="042917"))
    assert path.parent == tmp_path
    assert path.name == "0001-new_pin-a_b@example.com.eml"


def test_a_bad_sender_is_refused() -> None:
    with pytest.raises(
        ValidationError, match=r"^DirectoryMailer.sender is not a valid e-mail address"
    ):
        DirectoryMailer("mail", sender="nobody")
