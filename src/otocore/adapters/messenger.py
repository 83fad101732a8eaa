"""Envio de mensagens (sending messages): the in-memory and outbox-file :class:`~otocore.bulk.Messenger` adapters.

otocore talks to no WhatsApp, SMS or e-mail provider itself: an integrator
implements :class:`otocore.bulk.Messenger` over theirs. These two adapters
are for tests and for trying bulk messages out:

- :class:`InMemoryMessenger` records every message in a list (a **test
  double**); it can be told to refuse some customers.
- :class:`JsonLinesMessenger` appends each message as one JSON line to a
  file (an outbox a real sender can read later): ``otocore customers message
  --outbox FILE``. The file holds the customers' mobiles and e-mails: keep
  it private.

>>> from datetime import UTC, datetime
>>> from otocore.consent import ContactChannel
>>> from otocore.customers import Customer
>>> ana = Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
>>> messenger = InMemoryMessenger(refuse={"C9": "invalid number"})
>>> messenger.send(ana, ContactChannel.PUSH, "Oi, Ana!")
SendOutcome(accepted=True, detail='')
>>> [(m.customer_id, m.channel.value, m.text) for m in messenger.sent]
[('C1', 'push', 'Oi, Ana!')]
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import attrs

from otocore import _validate as v
from otocore.bulk import SendOutcome
from otocore.consent import ContactChannel
from otocore.customers import Customer
from otocore.errors import StorageError, ValidationError

__all__ = ["InMemoryMessenger", "JsonLinesMessenger", "SentMessage"]


@attrs.frozen
class SentMessage:
    """One message a messenger accepted: to whom, on which channel, what.

    >>> SentMessage("C1", ContactChannel.SMS, "Oi")
    SentMessage(customer_id='C1', channel=<ContactChannel.SMS: 'sms'>, text='Oi')
    """

    customer_id: str = attrs.field(validator=v.text(100))
    channel: ContactChannel = attrs.field(validator=v.member_of(ContactChannel))
    text: str = attrs.field(validator=attrs.validators.instance_of(str))


def _checked(
    customer: object, channel: object, text: object
) -> tuple[Customer, ContactChannel, str]:
    if not isinstance(customer, Customer):
        raise ValidationError("customer", customer, "must be a Customer")
    return customer, v.require_enum("channel", channel, ContactChannel), v.require_str("text", text)


class InMemoryMessenger:
    """A :class:`~otocore.bulk.Messenger` that records what it sends: a test double.

    Args:
        refuse: customer ids it refuses, each with the refusal's detail.

    >>> InMemoryMessenger().sent
    []
    """

    def __init__(self, *, refuse: Mapping[str, str] | None = None) -> None:
        self.sent: list[SentMessage] = []
        self.refuse = dict(refuse or {})

    def send(self, customer: Customer, channel: ContactChannel, text: str) -> SendOutcome:
        """Record the message (or refuse it, for a customer in ``refuse``)."""
        customer, channel, text = _checked(customer, channel, text)
        refused = self.refuse.get(customer.customer_id)
        if refused is not None:
            return SendOutcome(accepted=False, detail=refused)
        self.sent.append(SentMessage(customer.customer_id, channel, text))
        return SendOutcome(accepted=True)

    def __repr__(self) -> str:
        return f"InMemoryMessenger(<{len(self.sent)} sent>)"


class JsonLinesMessenger:
    """A :class:`~otocore.bulk.Messenger` that appends each message to a JSON Lines file.

    Each line: ``customer_id``, ``channel``, ``to`` (the E.164 mobile, the
    e-mail address, or null for push), ``text``. Created readable by its
    owner only.

    >>> import tempfile
    >>> from datetime import UTC, datetime
    >>> from pathlib import Path
    >>> from otocore.customers import Customer, Email
    >>> outbox = Path(tempfile.mkdtemp()) / "outbox.jsonl"
    >>> ana = Customer(
    ...     customer_id="C1",
    ...     name="Ana",
    ...     registered_at=datetime(2026, 1, 1, tzinfo=UTC),
    ...     email=Email("ana@example.com"),
    ... )
    >>> JsonLinesMessenger(outbox).send(ana, ContactChannel.EMAIL, "Oi, Ana!")
    SendOutcome(accepted=True, detail='')
    >>> print(outbox.read_text(encoding="utf-8").strip())
    {"customer_id": "C1", "channel": "email", "to": "ana@example.com", "text": "Oi, Ana!"}
    """

    def __init__(self, path: Path | str) -> None:
        if not isinstance(path, Path | str) or not str(path):
            raise ValidationError("path", path, "must be a file path")
        self.path = Path(path)

    def send(self, customer: Customer, channel: ContactChannel, text: str) -> SendOutcome:
        """Append the message to the file."""
        customer, channel, text = _checked(customer, channel, text)
        if channel is ContactChannel.EMAIL:
            to = None if customer.email is None else customer.email.address
        elif channel is ContactChannel.PUSH:
            to = None
        else:
            to = None if customer.mobile is None else customer.mobile.e164
        line = {
            "customer_id": customer.customer_id,
            "channel": channel.value,
            "to": to,
            "text": text,
        }
        try:
            if not self.path.exists():
                self.path.touch(mode=0o600)
            with self.path.open("a", encoding="utf-8") as out:
                out.write(json.dumps(line, ensure_ascii=False) + "\n")
        except OSError as exc:
            raise StorageError(
                f"cannot write {self.path}: {exc.strerror}", store=str(self.path)
            ) from exc
        return SendOutcome(accepted=True)

    def __repr__(self) -> str:
        return f"JsonLinesMessenger({str(self.path)!r})"
