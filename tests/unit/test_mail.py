"""Access e-mails: the Portuguese messages, the in-memory outbox and SMTP against a real server.

"você receberá o novo código em seu e-mail cadastrado" (Esqueci o meu código PIN);
"Você receberá um e-mail com os novos dados de acesso" (Meu usuário foi bloqueado).
The SMTP mailer is tested against a real SMTP server (aiosmtpd) on 127.0.0.1.
"""

from __future__ import annotations

import email.utils
import logging
import re
import smtplib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from otocore.adapters.mail import InMemoryMailer, SmtpMailer
from otocore.auth import REDACTED
from otocore.clock import FixedClock
from otocore.customers import Email
from otocore.errors import ValidationError
from otocore.mail import (
    Mailer,
    Message,
    MessageKind,
    new_pin_message,
    password_recovery_message,
    pin_link_message,
    welcome_message,
)

ANA = Email("ana.souza@example.com")
LINK = "https://app.example.com/nova-senha?token=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
PIN_LINK = "https://app.example.com/novo-pin?token=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"
SENT_AT = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


# messages -------------------------------------------------------------------------------


def test_a_pin_message_holds_the_pin_and_no_other_number() -> None:
    message = new_pin_message(ANA, pin="042917")
    assert message.to == ANA
    assert message.kind is MessageKind.NEW_PIN
    assert message.subject == "Oto: o seu PIN de acesso"
    assert re.findall(r"\d+", message.body) == ["042917"]
    assert "PIN de acesso ao Oto" in message.body
    assert "o anterior não funciona mais" in message.body


@pytest.mark.parametrize(
    "pin", ["", "123", "123456789", "12a456", "\uff11\uff12\uff13\uff14\uff15\uff16", 123456, None]
)
def test_a_pin_message_refuses_what_is_not_a_pin_without_showing_it(pin: Any) -> None:
    with pytest.raises(ValidationError) as info:
        new_pin_message(ANA, pin=pin)
    assert info.value.value == REDACTED


@pytest.mark.parametrize(
    ("build", "kind", "subject", "link"),
    [
        (welcome_message, MessageKind.WELCOME, "Bem-vindo ao Oto: crie a sua senha", LINK),
        (password_recovery_message, MessageKind.PASSWORD_RECOVERY, "Oto: crie uma nova senha", LINK),
        (pin_link_message, MessageKind.PIN_LINK, "Oto: crie o seu novo PIN", PIN_LINK),
    ],
)  # fmt: skip
def test_link_messages_carry_the_link_on_its_own_line_and_say_how_long_it_works(
    build: Any, kind: MessageKind, subject: str, link: str
) -> None:
    message = build(ANA, link=link, valid_for=timedelta(hours=1))
    assert (message.to, message.kind, message.subject) == (ANA, kind, subject)
    assert link in message.body.splitlines()
    assert "vale por 1 hora e pode ser usado uma única vez" in message.body


@pytest.mark.parametrize(
    ("valid_for", "text"),
    [
        (timedelta(minutes=30), "30 minutos"),
        (timedelta(minutes=1), "1 minuto"),
        (timedelta(seconds=20), "1 minuto"),
        (timedelta(hours=2), "2 horas"),
        (timedelta(hours=1, minutes=30), "1 hora e 30 minutos"),
        (timedelta(days=1), "1 dia"),
        (timedelta(days=7), "7 dias"),
        (timedelta(days=1, hours=2, minutes=5), "1 dia, 2 horas e 5 minutos"),
    ],
)
def test_the_validity_is_written_in_portuguese(valid_for: timedelta, text: str) -> None:
    message = password_recovery_message(ANA, link=LINK, valid_for=valid_for)
    assert f"vale por {text} e" in message.body


@pytest.mark.parametrize("valid_for", [timedelta(0), timedelta(minutes=-5), 3600, None])
def test_the_validity_must_be_a_positive_timedelta(valid_for: Any) -> None:
    with pytest.raises(ValidationError, match=r"^valid_for must be a positive timedelta"):
        welcome_message(ANA, link=LINK, valid_for=valid_for)


@pytest.mark.parametrize(
    "link",
    [
        "",
        "app.example.com/nova-senha?token=x",
        "javascript:alert(1)",
        "https://a b",
        "https://a\nb",
    ],
)
def test_a_link_must_be_an_http_address_and_is_not_echoed(link: str) -> None:
    with pytest.raises(ValidationError) as info:
        welcome_message(ANA, link=link, valid_for=timedelta(hours=1))
    assert info.value.value == REDACTED


def test_the_body_is_never_in_the_repr_or_an_error() -> None:
    message = new_pin_message(ANA, pin="042917")
    assert "042917" not in repr(message)
    assert repr(message) == (
        "Message(to=Email('ana.souza@example.com'), kind=<MessageKind.NEW_PIN: 'new_pin'>, "
        "subject='Oto: o seu PIN de acesso')"
    )
    with pytest.raises(ValidationError) as info:
        Message(to=ANA, kind=MessageKind.NEW_PIN, subject="PIN", body="   ")
    assert info.value.value == REDACTED
    with pytest.raises(ValidationError) as info:
        Message(to=ANA, kind=MessageKind.NEW_PIN, subject="PIN", body="042917 " * 5000)
    assert "042917" not in str(info.value)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("to", "ana.souza@example.com"),  # a str is not an Email
        ("kind", "new_pin"),
        ("subject", ""),
        ("subject", "Oto\r\nBcc: outro@example.com"),  # no header injection
        ("subject", "x" * 201),
        ("body", None),
    ],
)
def test_a_message_is_validated(field: str, value: Any) -> None:
    fields: dict[str, Any] = {
        "to": ANA,
        "kind": MessageKind.NEW_PIN,
        "subject": "Oto: o seu PIN de acesso",
        "body": "O seu PIN: 042917",
        field: value,
    }
    with pytest.raises(ValidationError) as info:
        Message(**fields)
    assert info.value.field == f"Message.{field}"


# InMemoryMailer --------------------------------------------------------------------


def test_the_in_memory_mailer_keeps_every_message_in_order() -> None:
    mailer = InMemoryMailer()
    assert isinstance(mailer, Mailer)
    first = new_pin_message(ANA, pin="042917")
    second = welcome_message(Email("bruno@example.com"), link=LINK, valid_for=timedelta(hours=1))
    mailer.send(first)
    mailer.send(second)
    assert mailer.outbox == [first, second]
    assert repr(mailer) == "InMemoryMailer(outbox=<2 messages>)"
    assert "042917" not in repr(mailer)
    with pytest.raises(ValidationError, match=r"^message must be an otocore\.mail\.Message"):
        mailer.send("042917")  # type: ignore[arg-type]
    assert len(mailer.outbox) == 2


# SmtpMailer against a real SMTP server -----------------------------------------------


def _mailer(server: Any, **overrides: Any) -> SmtpMailer:
    """An SmtpMailer for the ``smtp_server`` fixture, logging in with its credentials."""
    settings: dict[str, Any] = {
        "port": server.port,
        "sender": "Oto da Brisa <oto@brisa.example.com>",
        "username": server.user,
        "password": server.password,
        "starttls": False,
        "timeout": 5,
        "clock": FixedClock(SENT_AT),
        **overrides,
    }
    return SmtpMailer(server.host, **settings)


def test_the_smtp_mailer_delivers_to_the_accounts_own_address(smtp_server: Any) -> None:
    message = new_pin_message(ANA, pin="042917")
    _mailer(smtp_server).send(message)
    (got,) = smtp_server.received
    assert got.rcpt_tos == ["ana.souza@example.com"]
    assert got.mail_from == "oto@brisa.example.com"
    assert smtp_server.logins == [(smtp_server.user, smtp_server.password)]
    parsed = got.message
    assert parsed["To"] == "ana.souza@example.com"
    assert parsed["From"] == "Oto da Brisa <oto@brisa.example.com>"
    assert parsed["Subject"] == "Oto: o seu PIN de acesso"
    assert parsed["Auto-Submitted"] == "auto-generated"
    assert email.utils.parsedate_to_datetime(parsed["Date"]) == SENT_AT
    assert parsed["Message-ID"].endswith("@brisa.example.com>")
    assert got.body.replace("\r\n", "\n") == message.body  # accents and all


def test_a_link_survives_the_trip(smtp_server: Any) -> None:
    _mailer(smtp_server).send(
        password_recovery_message(ANA, link=LINK, valid_for=timedelta(hours=1))
    )
    body = smtp_server.received[0].body
    assert LINK in body.splitlines() or LINK in body.replace("\r\n", "\n").splitlines()


def test_a_server_without_login_needs_no_credentials(smtp_server: Any) -> None:
    _mailer(smtp_server, username=None, password=None, sender="oto@brisa.example.com").send(
        new_pin_message(ANA, pin="042917")
    )
    assert smtp_server.logins == []
    assert len(smtp_server.received) == 1


def test_starttls_is_required_by_default_and_nothing_is_sent_in_clear(smtp_server: Any) -> None:
    mailer = _mailer(smtp_server, starttls=True)
    with pytest.raises(smtplib.SMTPNotSupportedError):
        mailer.send(new_pin_message(ANA, pin="042917"))
    assert smtp_server.received == []
    assert smtp_server.logins == []  # the password never left either


def test_wrong_smtp_credentials_are_an_smtp_error(smtp_server: Any) -> None:
    wrong = _mailer(smtp_server, password=smtp_server.password + "!")
    with pytest.raises(smtplib.SMTPAuthenticationError) as info:
        wrong.send(new_pin_message(ANA, pin="042917"))
    assert smtp_server.received == []
    assert "042917" not in str(info.value)


def test_nobody_listening_is_an_os_error(smtp_server: Any, free_port: int) -> None:
    with pytest.raises(OSError):  # noqa: PT011 - the OS's refusal, whatever its subclass
        _mailer(smtp_server, port=free_port).send(new_pin_message(ANA, pin="042917"))


def test_the_smtp_mailer_logs_neither_body_nor_recipient(
    smtp_server: Any, caplog: pytest.LogCaptureFixture
) -> None:
    port = smtp_server.port
    with caplog.at_level(logging.DEBUG, logger="otocore"):
        _mailer(smtp_server).send(new_pin_message(ANA, pin="042917"))
    otocore_lines = [r.getMessage() for r in caplog.records if r.name.startswith("otocore")]
    assert otocore_lines == [f"sent a new_pin e-mail through 127.0.0.1:{port}"]
    assert all("042917" not in line and "ana.souza" not in line for line in otocore_lines)


def test_the_smtp_password_is_not_in_the_repr() -> None:
    password = "segredo do servidor smtp"  # noqa: S105 - a test secret
    mailer = SmtpMailer(
        "smtp.example.com", sender="oto@example.com", username="oto", password=password
    )
    assert password not in repr(mailer)
    assert repr(mailer) == (
        "SmtpMailer(host='smtp.example.com', port=587, sender='oto@example.com', "
        "username='oto', starttls=True, timeout=10.0)"
    )
    assert isinstance(mailer, Mailer)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"sender": "não é e-mail"}, "SmtpMailer.sender"),
        ({"sender": ""}, "SmtpMailer.sender"),
        ({"sender": "oto@example.com", "port": 0}, "SmtpMailer.port"),
        ({"sender": "oto@example.com", "port": 70000}, "SmtpMailer.port"),
        ({"sender": "oto@example.com", "password": "x"}, "SmtpMailer.username"),
        ({"sender": "oto@example.com", "username": "oto"}, "SmtpMailer.password"),
        ({"sender": "oto@example.com", "username": "oto", "password": ""}, "SmtpMailer.password"),
        ({"sender": "oto@example.com", "starttls": "yes"}, "SmtpMailer.starttls"),
        ({"sender": "oto@example.com", "timeout": 0}, "SmtpMailer.timeout"),
        ({"sender": "oto@example.com", "timeout": True}, "SmtpMailer.timeout"),
        ({"sender": "oto@example.com", "clock": "now"}, "SmtpMailer.clock"),
    ],
)
def test_smtp_settings_are_validated(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        SmtpMailer("smtp.example.com", **kwargs)
    assert info.value.field == field
    if field == "SmtpMailer.password":
        assert info.value.value == REDACTED


def test_the_smtp_mailer_sends_only_messages(smtp_server: Any) -> None:
    with pytest.raises(ValidationError, match=r"^message must be an otocore\.mail\.Message"):
        _mailer(smtp_server).send("042917")  # type: ignore[arg-type]
    assert smtp_server.received == []
