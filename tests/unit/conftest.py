"""Fixtures shared by the unit tests: a real SMTP server (aiosmtpd) on 127.0.0.1.

``smtp_server`` starts aiosmtpd's ``Controller`` on a free local port, without TLS and with
AUTH allowed in clear, and yields an :class:`SmtpServer`: its ``host`` and ``port``, the
credentials it accepts (``user``, ``password``; also ``SMTP_USER`` and ``SMTP_PASSWORD``
here), every message it received (:class:`ReceivedMail`) and every AUTH login tried. A wrong
login gets aiosmtpd's own ``535`` answer. ``free_port`` is a local port nobody listens on.

With ``--import-mode=importlib`` test modules cannot import this file, so they annotate the
fixtures with ``Any`` and reach the credentials through the yielded object.
"""

from __future__ import annotations

import email
import email.policy
import socket
from collections.abc import Iterator
from email.message import EmailMessage
from typing import Any

import attrs
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

SMTP_HOST = "127.0.0.1"
SMTP_USER = "oto-smtp"
SMTP_PASSWORD = "segredo do servidor smtp"  # noqa: S105 - a test secret


@attrs.frozen
class ReceivedMail:
    """One e-mail as the SMTP server received it: the envelope and the parsed message."""

    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def body(self) -> str:
        """The text/plain part, decoded (accents and all)."""
        part = self.message.get_body(preferencelist=("plain",))
        assert isinstance(part, EmailMessage), self.message
        return str(part.get_content())


@attrs.define
class SmtpServer:
    """The running server's address and credentials, what it received and the logins tried."""

    port: int
    host: str = SMTP_HOST
    user: str = SMTP_USER
    password: str = SMTP_PASSWORD
    received: list[ReceivedMail] = attrs.Factory(list)
    logins: list[tuple[str, str]] = attrs.Factory(list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        self.received.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos), parsed))
        return "250 OK"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        assert isinstance(auth_data, LoginPassword)
        login, password = auth_data.login.decode(), auth_data.password.decode()
        self.logins.append((login, password))
        # handled=False: aiosmtpd itself answers a failure with 535 (instead of hanging)
        return AuthResult(success=(login, password) == (self.user, self.password), handled=False)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind((SMTP_HOST, 0))
        port: int = s.getsockname()[1]
    return port


@pytest.fixture
def free_port() -> int:
    """A port on 127.0.0.1 that nobody listens on."""
    return _free_port()


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """A real SMTP server on 127.0.0.1 (no TLS; AUTH allowed in clear for the test)."""
    server = SmtpServer(port=_free_port())
    controller = Controller(
        server,
        hostname=server.host,
        port=server.port,
        authenticator=server.authenticate,
        auth_require_tls=False,
    )
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
