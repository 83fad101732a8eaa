"""Envio de e-mail (sending e-mail): the in-memory, folder and SMTP :class:`~otocore.mail.Mailer` adapters.

Oto's FAQ promises e-mails: "você receberá o novo código em
seu e-mail cadastrado" ("Esqueci o meu código PIN") and "Você receberá um
e-mail com os novos dados de acesso" ("Meu usuário foi bloqueado").
:mod:`otocore.mail` says what is sent; this module delivers it.

- :class:`InMemoryMailer` keeps every message in a list: a **test double**.
  Its outbox holds PINs and tokens in clear, in memory, so a test can read
  them; never use it in production.
- :class:`DirectoryMailer` writes each message as an ``.eml`` file in a
  folder: a local mailbox for trying otocore or for tests (``otocore
  accounts create --mail-to-dir mail/``). Its files hold PINs and links in
  clear (readable by their owner only); never use it in production.
- :class:`SmtpMailer` speaks SMTP with the standard library (``smtplib``,
  ``email.message.EmailMessage``), with STARTTLS by default (the server's
  certificate is verified against the system's trust store) and an optional
  login. Its password stays out of ``repr``, and neither the body nor the
  recipient is ever logged.

Examples:
    >>> from otocore.customers import Email
    >>> from otocore.mail import new_pin_message
    >>> mailer = InMemoryMailer()
    >>> mailer.send(new_pin_message(Email("ana@example.com"), pin="042917"))
    >>> [(m.to.address, m.kind.value) for m in mailer.outbox]
    [('ana@example.com', 'new_pin')]
    >>> SmtpMailer("smtp.example.com", sender="oto@example.com", username="oto", password="s3gr3d0")
    SmtpMailer(host='smtp.example.com', port=587, sender='oto@example.com', username='oto', starttls=True, timeout=10.0)
"""

from __future__ import annotations

import email.utils
import logging
import os
import re
import smtplib
import ssl
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import attrs

from otocore import _validate as v
from otocore.auth import REDACTED
from otocore.clock import Clock, SystemClock
from otocore.customers import Email
from otocore.errors import ValidationError
from otocore.mail import Message

__all__ = ["DirectoryMailer", "InMemoryMailer", "SmtpMailer"]

logger = logging.getLogger(__name__)


def _message(value: object) -> Message:
    if not isinstance(value, Message):
        raise ValidationError("message", value, "must be an otocore.mail.Message")
    return value


class InMemoryMailer:
    """A test double: ``send`` appends the message to :attr:`outbox`.

    The outbox holds the messages as sent, PINs and links included, so tests
    can read them. Never use it in production: nothing is delivered.

    >>> from otocore.customers import Email
    >>> from otocore.mail import new_pin_message
    >>> mailer = InMemoryMailer()
    >>> mailer.send(new_pin_message(Email("ana@example.com"), pin="042917"))
    >>> mailer
    InMemoryMailer(outbox=<1 message>)
    """

    outbox: list[Message]
    """Every message sent, oldest first."""

    def __init__(self) -> None:
        self.outbox = []

    def send(self, message: Message) -> None:
        """Append ``message`` to :attr:`outbox`.

        >>> InMemoryMailer().send("hello")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: message must be an otocore.mail.Message, got 'hello'
        """
        self.outbox.append(_message(message))

    def __repr__(self) -> str:
        n = len(self.outbox)
        return f"InMemoryMailer(outbox=<{n} message{'' if n == 1 else 's'}>)"


def _sender(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    rule = "must be an e-mail address, optionally with a display name ('Oto <oto@example.com>')"
    field = f"{type(instance).__name__}.sender"
    v.require_text(field, value, max_length=400)
    _, address = email.utils.parseaddr(value)
    if not address:
        raise ValidationError(field, value, rule)
    Email.parse(address, field=field)


def _password(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise ValidationError("SmtpMailer.password", REDACTED, "must be a non-empty string or None")


def _timeout(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 600:
        raise ValidationError(
            "SmtpMailer.timeout", value, "must be a number of seconds in (0, 600]"
        )


def _flag(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, bool):
        raise ValidationError(f"SmtpMailer.{attribute.name}", value, "must be a bool")


def _clock(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Clock):
        raise ValidationError("SmtpMailer.clock", value, "must be a Clock")


def _email_message(
    message: Message, *, sender: str, clock: Clock, cte: str | None = None
) -> EmailMessage:
    """The e-mail of ``message``: From, To, Subject, Date, Message-ID and the text body."""
    out = EmailMessage()
    out["From"] = sender
    out["To"] = message.to.address
    out["Subject"] = message.subject
    out["Date"] = email.utils.format_datetime(clock.now())
    sender_domain = email.utils.parseaddr(sender)[1].rpartition("@")[2]
    out["Message-ID"] = email.utils.make_msgid(domain=sender_domain)
    out["Auto-Submitted"] = "auto-generated"
    out.set_content(message.body, cte=cte)
    return out


def _directory(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, Path) or not str(value):
        raise ValidationError("DirectoryMailer.directory", value, "must be a folder path")


@attrs.frozen
class DirectoryMailer:
    """Write each message as an ``.eml`` file in :attr:`directory` (a local mailbox).

    The files are named ``0001-welcome-ana@example.com.eml``,
    ``0002-new_pin-ana@example.com.eml``, ...: a sequence number (one more
    than the highest in the folder), the message's kind and its recipient. Each
    is a whole e-mail (headers and a UTF-8 text body, as
    :class:`SmtpMailer` would send it) that any mail program opens. The
    folder is created if needed; a file is never overwritten, and is readable
    by its owner only, since it holds a PIN or a link in clear. For trying
    otocore and for tests, never for production: nothing leaves the machine.

    Attributes:
        directory: the folder of the messages (a ``str`` is converted).
        sender: the ``From`` address, as for :class:`SmtpMailer`.
        clock: where the ``Date`` header comes from (default the system clock).

    >>> import tempfile
    >>> from otocore.customers import Email
    >>> from otocore.mail import new_pin_message
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     mailer = DirectoryMailer(tmp, sender="oto@example.com")
    ...     path = mailer.deliver(new_pin_message(Email("ana@example.com"), pin="042917"))
    ...     text = path.read_text(encoding="utf-8")
    ...     print(path.name, "042917" in text, "To: ana@example.com" in text)
    0001-new_pin-ana@example.com.eml True True
    """

    directory: Path = attrs.field(converter=Path, validator=_directory)
    sender: str = attrs.field(kw_only=True, validator=_sender)
    clock: Clock = attrs.field(factory=SystemClock, kw_only=True, validator=_clock, repr=False)

    def send(self, message: Message) -> None:
        """Write ``message`` as the folder's next ``.eml`` file (see :meth:`deliver`).

        >>> DirectoryMailer("mail", sender="oto@example.com").send("hello")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: message must be an otocore.mail.Message, got 'hello'
        """
        self.deliver(message)

    def deliver(self, message: Message) -> Path:
        """Write ``message`` as the folder's next ``.eml`` file and return its path.

        Raises :class:`OSError` when the folder cannot be created or written.

        >>> import tempfile
        >>> from otocore.customers import Email
        >>> from otocore.mail import new_pin_message
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     mailer = DirectoryMailer(tmp, sender="oto@example.com")
        ...     first = mailer.deliver(new_pin_message(Email("ana@example.com"), pin="042917"))
        ...     second = mailer.deliver(new_pin_message(Email("bia@example.com"), pin="913482"))
        ...     print(first.name, second.name)
        0001-new_pin-ana@example.com.eml 0002-new_pin-bia@example.com.eml
        """
        outgoing = _email_message(
            _message(message), sender=self.sender, clock=self.clock, cte="8bit"
        )
        data = outgoing.as_bytes()
        self.directory.mkdir(parents=True, exist_ok=True)
        number = 1 + max(
            (int(p.name[:4]) for p in self.directory.glob("[0-9][0-9][0-9][0-9]-*.eml")),
            default=0,
        )
        # an address may hold characters a file name should not ("/" is valid before the @)
        recipient = re.sub(r"[^A-Za-z0-9@._+-]", "_", message.to.address)
        while True:
            path = self.directory / f"{number:04d}-{message.kind.value}-{recipient}.eml"
            try:
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except FileExistsError:
                number += 1
                continue
            with os.fdopen(fd, "wb") as file:
                file.write(data)
            logger.info("wrote a %s e-mail to %s", message.kind.value, self.directory)
            return path


@attrs.frozen
class SmtpMailer:
    """Send each message over SMTP (``smtplib``), one connection per message.

    Attributes:
        host: the SMTP server.
        port: its port (default 587, the submission port).
        sender: the ``From`` address, optionally with a display name
            (``"Oto <oto@marca.com.br>"``).
        username: the SMTP login, or ``None`` for a server that needs none.
        password: the SMTP password (with ``username``); never in ``repr``.
        starttls: upgrade the connection with STARTTLS before logging in and
            sending (default ``True``); the server's certificate and host name
            are verified with :func:`ssl.create_default_context`. A server that
            does not offer STARTTLS is an error: nothing is sent in clear.
            Turn it off only for a relay on the same host or network.
        timeout: seconds to wait for the server (default 10).
        clock: where the ``Date`` header comes from (default the system clock).

    ``send`` raises what ``smtplib`` raises (:class:`smtplib.SMTPException`,
    :class:`OSError`) when the message could not be handed over.

    >>> SmtpMailer("smtp.example.com", sender="oto@example.com", password="x")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SmtpMailer.username must be set when a password is given, got None
    """

    host: str = attrs.field(validator=v.text(253))
    port: int = attrs.field(default=587, validator=v.integer(min_value=1, max_value=65535))
    sender: str = attrs.field(kw_only=True, validator=_sender)
    username: str | None = attrs.field(default=None, kw_only=True, validator=v.optional_text(320))
    password: str | None = attrs.field(default=None, kw_only=True, validator=_password, repr=False)
    starttls: bool = attrs.field(default=True, kw_only=True, validator=_flag)
    timeout: float = attrs.field(default=10.0, kw_only=True, validator=_timeout)
    clock: Clock = attrs.field(factory=SystemClock, kw_only=True, validator=_clock, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.password is not None and self.username is None:
            raise ValidationError(
                "SmtpMailer.username", None, "must be set when a password is given"
            )
        if self.username is not None and self.password is None:
            raise ValidationError(
                "SmtpMailer.password", REDACTED, "must be set when a username is given"
            )

    def _email(self, message: Message) -> EmailMessage:
        return _email_message(message, sender=self.sender, clock=self.clock)

    def send(self, message: Message) -> None:
        """Deliver ``message``: connect, STARTTLS, log in, send, quit.

        >>> from otocore.customers import Email
        >>> from otocore.mail import new_pin_message
        >>> mailer = SmtpMailer("127.0.0.1", 1, sender="oto@example.com", timeout=1)
        >>> try:
        ...     mailer.send(new_pin_message(Email("ana@example.com"), pin="042917"))
        ... except OSError:
        ...     print("nobody listens on port 1")
        nobody listens on port 1
        """
        outgoing = self._email(_message(message))
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if self.username is not None and self.password is not None:
                smtp.login(self.username, self.password)
            smtp.send_message(outgoing)
        logger.info("sent a %s e-mail through %s:%d", message.kind.value, self.host, self.port)
