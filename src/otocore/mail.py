"""E-mails de acesso (access e-mails): what otocore sends, and the ``Mailer`` that sends it.

From Oto's FAQ: after a PIN reset "você receberá o novo código
em seu e-mail cadastrado" ("Esqueci o meu código PIN"), and password recovery
("esqueceu senha") ends with "Você receberá um e-mail com os novos dados de
acesso" ("Meu usuário foi bloqueado"). Oto's help page for managers and campaigns
("Usuários e permissões": "Novo Usuário") adds the welcome e-mail of a new
account.

This module is the domain side and does no I/O: a :class:`Message` (always
to one address, the account's own registered e-mail), its
:class:`MessageKind`, the Portuguese texts (:func:`welcome_message`,
:func:`password_recovery_message`, :func:`new_pin_message`,
:func:`pin_link_message`) and the :class:`Mailer` protocol. The adapters
(:mod:`otocore.adapters.mail`) deliver. The service
(:mod:`otocore.accounts`) calls the mailer only after its transaction
committed, and never stores a message: a PIN or a link with a token exists
only in the message on its way out. ``Message.body`` is left out of ``repr``
and out of every error.

>>> from datetime import timedelta
>>> from otocore.customers import Email
>>> message = new_pin_message(Email("ana.souza@example.com"), pin="042917")
>>> message
Message(to=Email('ana.souza@example.com'), kind=<MessageKind.NEW_PIN: 'new_pin'>, subject='Oto: o seu PIN de acesso')
>>> "042917" in message.body, "042917" in repr(message)
(True, False)
>>> link = "https://app.example.com/nova-senha?token=abc"
>>> print(password_recovery_message(message.to, link=link, valid_for=timedelta(hours=1)).body)
Olá!
<BLANKLINE>
Recebemos um pedido para criar uma nova senha para o seu acesso ao Oto.
Para criar a nova senha, abra o link abaixo. Ele vale por 1 hora e pode ser usado uma única vez:
<BLANKLINE>
https://app.example.com/nova-senha?token=abc
<BLANKLINE>
A nova senha não desbloqueia um usuário bloqueado: para isso, fale com o seu gerente.
Se você não fez esse pedido, ignore este e-mail.
"""

from __future__ import annotations

import enum
import re
from datetime import timedelta
from typing import Any, Protocol, runtime_checkable

import attrs

from otocore import _validate as v
from otocore.auth import REDACTED
from otocore.customers import Email
from otocore.errors import ValidationError

__all__ = [
    "Mailer",
    "Message",
    "MessageKind",
    "export_ready_message",
    "new_pin_message",
    "password_recovery_message",
    "pin_link_message",
    "welcome_message",
]


class MessageKind(enum.Enum):
    """Tipo de e-mail (kind of message) that otocore sends.

    ``WELCOME``: a new account's link to set its first password.
    ``PASSWORD_RECOVERY``: the "esqueceu senha" link. ``NEW_PIN``: the PIN
    itself (``PinDelivery.EMAIL_PIN``). ``PIN_LINK``: a link to set the PIN
    (``PinDelivery.EMAIL_LINK``; no secret in the e-mail). ``EXPORT_READY``: the
    link to download a customer export, for the user who asked for it.

    >>> MessageKind("new_pin")
    <MessageKind.NEW_PIN: 'new_pin'>
    """

    WELCOME = "welcome"
    PASSWORD_RECOVERY = "password_recovery"  # noqa: S105 (a kind of message, not a secret)
    NEW_PIN = "new_pin"
    PIN_LINK = "pin_link"
    EXPORT_READY = "export_ready"  # a customer export's download link (issue 15)


def _body(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    # the body may hold a PIN or a token: never echo it back
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("Message.body", REDACTED, "must be a non-empty string")
    if len(value) > 20_000:
        raise ValidationError("Message.body", REDACTED, "must be at most 20000 characters")


@attrs.frozen(kw_only=True)
class Message:
    """One e-mail to one address: ``to``, ``kind``, ``subject`` and ``body`` (plain text).

    ``body`` may hold a PIN or a link with a token, so it is left out of
    ``repr`` and of every error; ``subject`` never holds a secret and is one
    line (no control characters, at most 200 characters).

    >>> from otocore.customers import Email
    >>> Message(
    ...     to=Email("ana@example.com"),
    ...     kind=MessageKind.NEW_PIN,
    ...     subject="Oto: o seu PIN de acesso",
    ...     body="O seu PIN: 042917",
    ... )
    Message(to=Email('ana@example.com'), kind=<MessageKind.NEW_PIN: 'new_pin'>, subject='Oto: o seu PIN de acesso')
    >>> Message(to=Email("ana@example.com"), kind=MessageKind.NEW_PIN, subject="PIN", body="")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Message.body must be a non-empty string, got '<redacted>'
    """

    to: Email = attrs.field(validator=v.instance_of(Email))
    kind: MessageKind = attrs.field(validator=v.member_of(MessageKind))
    subject: str = attrs.field(validator=v.text(200))
    body: str = attrs.field(validator=_body, repr=False)


@runtime_checkable
class Mailer(Protocol):
    """Anything that delivers a :class:`Message`: ``send(message)``.

    ``send`` returns once the message was handed over (to an SMTP server, a
    queue, a list) and raises if it could not be. otocore calls it only after
    the change the message announces was committed. An implementation must
    not log or keep the body outside its delivery path.

    >>> from otocore.adapters.mail import InMemoryMailer
    >>> isinstance(InMemoryMailer(), Mailer)
    True
    """

    def send(self, message: Message) -> None:
        """Deliver ``message`` to ``message.to``."""
        ...


# Portuguese texts ---------------------------------------------------------------


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _duration(valid_for: timedelta) -> str:
    v.require_positive_timedelta("valid_for", valid_for)
    minutes = max(1, int(valid_for.total_seconds() // 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = [
        text
        for n, text in (
            (days, _plural(days, "dia", "dias")),
            (hours, _plural(hours, "hora", "horas")),
            (minutes, _plural(minutes, "minuto", "minutos")),
        )
        if n
    ]
    return " e ".join(parts) if len(parts) <= 2 else f"{parts[0]}, {parts[1]} e {parts[2]}"


_UNSAFE_IN_LINK = re.compile(r"[\x00-\x20\x7f]")


def _link(link: object) -> str:
    if not isinstance(link, str) or not link.startswith(("https://", "http://")):
        raise ValidationError("link", REDACTED, "must be an http(s) address")
    if _UNSAFE_IN_LINK.search(link):
        raise ValidationError("link", REDACTED, "must not contain spaces or control characters")
    return link


def welcome_message(to: Email, *, link: str, valid_for: timedelta) -> Message:
    """The welcome e-mail of a new account: the link to set its first password.

    Args:
        to: the new account's login e-mail.
        link: ``{app_url}/nova-senha?token=...``.
        valid_for: how long the link works.

    >>> from datetime import timedelta
    >>> from otocore.customers import Email
    >>> m = welcome_message(
    ...     Email("ana@example.com"),
    ...     link="https://app.example.com/nova-senha?token=abc",
    ...     valid_for=timedelta(hours=1),
    ... )
    >>> m.kind, m.subject
    (<MessageKind.WELCOME: 'welcome'>, 'Bem-vindo ao Oto: crie a sua senha')
    """
    body = (
        "Olá!\n\n"
        "A sua marca criou um acesso ao Oto para este e-mail.\n"
        "Para criar a sua senha, abra o link abaixo. "
        f"Ele vale por {_duration(valid_for)} e pode ser usado uma única vez:\n\n"
        f"{_link(link)}\n\n"
        "Depois, entre no app com este e-mail, a sua senha e o seu PIN de acesso, "
        "que chega em outro e-mail.\n"
        'Se o link expirar, use "esqueceu senha" na tela de login do app.\n'
        "Se você não esperava este e-mail, ignore-o.\n"
    )
    return Message(
        to=to, kind=MessageKind.WELCOME, subject="Bem-vindo ao Oto: crie a sua senha", body=body
    )


def password_recovery_message(to: Email, *, link: str, valid_for: timedelta) -> Message:
    """The "esqueceu senha" e-mail: the link to set a new password.

    >>> from datetime import timedelta
    >>> from otocore.customers import Email
    >>> m = password_recovery_message(
    ...     Email("ana@example.com"),
    ...     link="https://app.example.com/nova-senha?token=abc",
    ...     valid_for=timedelta(minutes=90),
    ... )
    >>> m.subject, "1 hora e 30 minutos" in m.body
    ('Oto: crie uma nova senha', True)
    """
    body = (
        "Olá!\n\n"
        "Recebemos um pedido para criar uma nova senha para o seu acesso ao Oto.\n"
        "Para criar a nova senha, abra o link abaixo. "
        f"Ele vale por {_duration(valid_for)} e pode ser usado uma única vez:\n\n"
        f"{_link(link)}\n\n"
        "A nova senha não desbloqueia um usuário bloqueado: para isso, fale com o seu gerente.\n"
        "Se você não fez esse pedido, ignore este e-mail.\n"
    )
    return Message(
        to=to,
        kind=MessageKind.PASSWORD_RECOVERY,
        subject="Oto: crie uma nova senha",
        body=body,
    )


def new_pin_message(to: Email, *, pin: str) -> Message:
    """The e-mail with a new PIN ("você receberá o novo código em seu e-mail cadastrado").

    The body holds the PIN and no other run of digits.

    Raises:
        ValidationError: ``pin`` is not 4 to 8 ASCII digits (value redacted).

    >>> from otocore.customers import Email
    >>> m = new_pin_message(Email("ana@example.com"), pin="042917")
    >>> m.kind, "042917" in m.body
    (<MessageKind.NEW_PIN: 'new_pin'>, True)
    >>> new_pin_message(Email("ana@example.com"), pin="12ab")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: pin must be 4 to 8 ASCII digits, got '<redacted>'
    """
    if not (isinstance(pin, str) and 4 <= len(pin) <= 8 and pin.isascii() and pin.isdigit()):
        raise ValidationError("pin", REDACTED, "must be 4 to 8 ASCII digits")
    body = (
        "Olá!\n\n"
        "Este é o seu PIN de acesso ao Oto:\n\n"
        f"    {pin}\n\n"
        "Digite-o ao entrar no app, depois do seu e-mail e da sua senha. "
        "Se você já tinha um PIN, o anterior não funciona mais.\n"
        "Não compartilhe o seu PIN com ninguém: é ele que diferencia o seu acesso.\n"
        "Se você não pediu um PIN novo, avise o seu gerente.\n"
    )
    return Message(to=to, kind=MessageKind.NEW_PIN, subject="Oto: o seu PIN de acesso", body=body)


def pin_link_message(to: Email, *, link: str, valid_for: timedelta) -> Message:
    """The e-mail with a link to set a new PIN (no secret in the e-mail).

    >>> from datetime import timedelta
    >>> from otocore.customers import Email
    >>> m = pin_link_message(
    ...     Email("ana@example.com"),
    ...     link="https://app.example.com/novo-pin?token=abc",
    ...     valid_for=timedelta(days=1),
    ... )
    >>> m.subject, "1 dia" in m.body
    ('Oto: crie o seu novo PIN', True)
    """
    body = (
        "Olá!\n\n"
        "O seu PIN de acesso ao Oto foi redefinido: o anterior não funciona mais.\n"
        "Para criar o seu novo PIN, abra o link abaixo. "
        f"Ele vale por {_duration(valid_for)} e pode ser usado uma única vez:\n\n"
        f"{_link(link)}\n\n"
        "Não compartilhe o seu PIN com ninguém: é ele que diferencia o seu acesso.\n"
        "Se você não esperava este e-mail, avise o seu gerente.\n"
    )
    return Message(to=to, kind=MessageKind.PIN_LINK, subject="Oto: crie o seu novo PIN", body=body)


def export_ready_message(
    to: Email, *, link: str, valid_for: timedelta, count: int, file_format: str
) -> Message:
    """The e-mail with the link to download a customer export ("sua exportação está pronta").

    Args:
        to: the login e-mail of the user who asked for the export.
        link: ``{base_url}/exportacoes/download?token=...``.
        valid_for: how long the link works.
        count: how many customers the file holds.
        file_format: ``"csv"`` or ``"xlsx"``.

    >>> from datetime import timedelta
    >>> from otocore.customers import Email
    >>> m = export_ready_message(
    ...     Email("ana@example.com"),
    ...     link="https://admin.example.com/exportacoes/download?token=abc",
    ...     valid_for=timedelta(hours=24),
    ...     count=1234,
    ...     file_format="xlsx",
    ... )
    >>> m.kind, m.subject
    (<MessageKind.EXPORT_READY: 'export_ready'>, 'Oto: a sua exportação de clientes está pronta')
    >>> "1.234 clientes" in m.body, "1 dia" in m.body
    (True, True)
    """
    v.require_int("count", count, min_value=0)
    if file_format not in {"csv", "xlsx"}:
        raise ValidationError("file_format", file_format, "must be 'csv' or 'xlsx'")
    customers = f"{count:,}".replace(",", ".") + (" cliente" if count == 1 else " clientes")
    body = (
        "Olá!\n\n"
        f"A exportação de clientes que você pediu está pronta: {customers}, "
        f"em um arquivo .{file_format}.\n"
        "Para baixar o arquivo, abra o link abaixo e entre com o seu acesso. "
        f"Ele vale por {_duration(valid_for)} e só funciona para você:\n\n"
        f"{_link(link)}\n\n"
        "O arquivo tem dados pessoais de clientes (LGPD): guarde-o em local seguro, "
        "não o encaminhe e apague-o quando não precisar mais dele. "
        "Cada pedido e cada download ficam registrados.\n"
        "Se você não pediu esta exportação, avise o administrador da sua marca.\n"
    )
    return Message(
        to=to,
        kind=MessageKind.EXPORT_READY,
        subject="Oto: a sua exportação de clientes está pronta",
        body=body,
    )
