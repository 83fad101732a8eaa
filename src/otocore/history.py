"""Histórico do cliente e registro de acesso a dados (customer history and data-access log).

The issue on the customer registry ("SAC edits and the LGPD history";
"Exports with an access log"), after Reshop's customer module ("os dados
cadastrais do cliente podem ser alterados pelo SAC") and Altegio's customer
database (an export "is not handed over directly" and every request is logged):

* the **customer history** records every change of a customer's registry
  field: which field, the old and the new value, who, when and why
  (:class:`HistoryReason`);
* the **data-access log** records every export request, every download and
  every read of a customer's history: who, what query, how many customers,
  when. CPFs in its text are masked (:func:`mask_cpfs`).

Both are chained like the audit log (:mod:`otocore.ledger`): entry ``n``
carries ``key_id`` and ``mac``, the HMAC-SHA256 chained to entry ``n - 1``'s
MAC over the entry's canonical JSON (keys sorted, no whitespace, UTF-8,
instants as ``YYYY-MM-DDTHH:MM:SS.ffffffZ``).

**Redaction.** When a customer is anonymized, the personal *values* of their
history must go, while the fact of each change stays and the chain still
verifies. So a history entry's chained JSON holds no value: it holds
``values_digest``, an HMAC under the entry's log key of the values (with the
entry's sequence, customer and field, so values cannot move between
entries), and the values are kept beside the chain, where they may be
removed. :func:`verify_history` checks the digest where the values remain and
reports the redacted entries; the digest is keyed, so nobody without the key
can find a low-entropy value (a birth date) by trying every candidate.

>>> from datetime import UTC, datetime
>>> from otocore.ledger import LogKey, LogKeyring
>>> keys = LogKeyring.of(LogKey(key_id="k1", secret=bytes(32)))
>>> change = HistoryChange(
...     customer_id="C1",
...     field="email",
...     old_value="ana@example.com",
...     new_value="ana.souza@example.com",
...     actor="u-sac",
...     at=datetime(2026, 6, 1, 14, 0, tzinfo=UTC),
...     reason=HistoryReason.SAC_CALL,
... )
>>> entry = seal_change(change, tail=None, key=keys.current_key)
>>> entry.sequence, entry.new_value
(1, 'ana.souza@example.com')
>>> verify_history([entry], keys=keys).ok
True
>>> gone = redact_entry(entry)
>>> gone.new_value, gone.redacted
(None, True)
>>> verify_history([gone], keys=keys)
ChainVerification(ok=True, first_bad_sequence=None, problem=None, entries=1, redacted=(1,))
>>> mask_cpfs("cliente 529.982.247-25 pediu exportação")
'cliente ***.982.247-** pediu exportação'
"""

from __future__ import annotations

import enum
import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import attrs

from otocore import _validate as v
from otocore.errors import ValidationError
from otocore.ledger import (
    GENESIS_MAC,
    ChainLink,
    ChainVerification,
    LogHead,
    LogKey,
    LogKeyring,
    chain_mac,
    check_head,
    check_link,
    keyed_digest,
    macs_equal,
    require_key_id,
    verify_chain,
)

__all__ = [
    "MAX_VALUE_LENGTH",
    "AccessAction",
    "AccessEntry",
    "AccessEvent",
    "HistoryChange",
    "HistoryEntry",
    "HistoryReason",
    "access_head",
    "canonical_access_json",
    "canonical_history_json",
    "history_head",
    "mask_cpfs",
    "redact_entry",
    "seal_access",
    "seal_change",
    "values_digest",
    "verify_access_log",
    "verify_history",
]

MAX_VALUE_LENGTH = 1000
"""The longest old or new value a history entry keeps (a registry field's text)."""

_MAX_QUERY = 4000
_MAX_DETAIL = 1000
_HEX64 = re.compile(r"[0-9a-f]{64}")


class HistoryReason(enum.Enum):
    """Motivo (reason) of a change of a customer's registry data.

    >>> HistoryReason("sac_call")
    <HistoryReason.SAC_CALL: 'sac_call'>
    """

    SAC_CALL = "sac_call"
    """The SAC (customer service) changed it during a call or a chat with the customer."""
    CUSTOMER_REQUEST = "customer_request"
    """The customer asked for it in writing (an e-mail, a form, the store's counter)."""
    IMPORT = "import"
    """A file import (CSV or .xlsx) changed it."""
    LGPD_CORRECTION = "lgpd_correction"
    """A data-subject request for correction (LGPD article 18, III)."""
    ANONYMIZATION = "anonymization"
    """The customer was anonymized (LGPD article 18, IV): the value was removed or replaced."""
    DELETION = "deletion"
    """The customer's record was deleted (LGPD article 18, VI): the values were removed."""


class AccessAction(enum.Enum):
    """Ação de acesso (access action): what a data-access log entry records.

    >>> AccessAction("export_downloaded")
    <AccessAction.EXPORT_DOWNLOADED: 'export_downloaded'>
    """

    EXPORT_REQUESTED = "export_requested"
    """An export of a search was requested (the file is written, a link e-mailed)."""
    EXPORT_DOWNLOADED = "export_downloaded"
    """An export's file was downloaded through its link."""
    EXPORT_REFUSED = "export_refused"
    """A download link was presented and refused (unknown, expired, another user's)."""
    HISTORY_READ = "history_read"
    """A customer's history was read."""
    SUBJECT_DATA_EXPORTED = "subject_data_exported"
    """Everything held on one customer was exported (LGPD access or portability)."""
    ACCESS_LOG_READ = "access_log_read"
    """The data-access log itself was read."""


# CPF masking ------------------------------------------------------------------

_SEPARATORS = " .-/_\t"
_SPAN = re.compile(r"[0-9](?:[ .\-/_\t]{0,3}[0-9])*")


def _is_cpf(digits: str) -> bool:
    """Whether 11 ASCII digits have a CPF's check digits (repeated digits included)."""
    numbers = [ord(c) - 48 for c in digits]
    first = (11 - sum(n * w for n, w in zip(numbers[:9], range(10, 1, -1), strict=True))) % 11 % 10
    total = sum(n * w for n, w in zip(numbers[:9], range(11, 2, -1), strict=True)) + 2 * first
    second = (11 - total) % 11 % 10
    return numbers[9] == first and numbers[10] == second


def _mask_one(chars: list[str]) -> bool:
    text = "".join(chars)
    for span in _SPAN.finditer(text):
        where = [span.start() + i for i, c in enumerate(span.group()) if c.isdigit()]
        digits = "".join(text[i] for i in where)
        for start in range(len(digits) - 10):
            if _is_cpf(digits[start : start + 11]):
                for i in (0, 1, 2, 9, 10):
                    chars[where[start + i]] = "*"
                return True
    return False


def mask_cpfs(text: str) -> str:
    """``text`` with every CPF in it masked: its first three and last two digits become ``*``.

    A CPF is any 11 ASCII digits with valid check digits, written together or
    with up to three separators (space, tab, ``.``, ``-``, ``/``, ``_``)
    between any two digits, also inside a longer run of digits. The masked
    form keeps the separators and the six middle digits (``***.982.247-**``),
    which name nobody; masking repeats until no CPF is left, so none survives
    in any of those formats. Other text is unchanged.

    >>> mask_cpfs("52998224725 e 529 982 247 25")
    '***982247** e *** 982 247 **'
    >>> mask_cpfs("pedido 12345678900, total 10.50")
    'pedido 12345678900, total 10.50'
    """
    v.require_instance("text", text, str)
    if not any(c.isdigit() for c in text):
        return text
    chars = list(text)
    while _mask_one(chars):
        pass
    return "".join(chars)


def _masked(value: Any) -> Any:
    return mask_cpfs(value) if isinstance(value, str) else value


# shared field checks -------------------------------------------------------------


def _free_text(max_length: int, *, allow_empty: bool) -> Any:
    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        name = v.field_name(instance, attribute)
        if allow_empty and value == "":
            return
        v.require_text(name, value, max_length=max_length, multiline=True)
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValidationError(name, value, "must be valid Unicode text") from None

    return check


def _optional_value(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    name = v.field_name(instance, attribute)
    v.require_instance(name, value, str, rule="must be a str or None")
    if len(value) > MAX_VALUE_LENGTH:
        raise ValidationError(name, value, f"must be at most {MAX_VALUE_LENGTH} characters")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError(name, value, "must be valid Unicode text") from None


def _hex64(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise ValidationError(
            v.field_name(instance, attribute), value, "must be 64 lowercase hex digits"
        )


def _key_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    require_key_id(v.field_name(instance, attribute), value)


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z"


def _canonical(document: dict[str, Any]) -> str:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


# the customer history ------------------------------------------------------------


@attrs.frozen(kw_only=True)
class HistoryChange:
    """Alteração cadastral (a change of a customer's registry field), before it is logged.

    ``field`` names the registry field (``"email"``, ``"mobile"``,
    ``"birth_date"``, ...); ``old_value`` and ``new_value`` are its values
    as text (``None``: no value).

    >>> from datetime import UTC, datetime
    >>> HistoryChange(
    ...     customer_id="C1",
    ...     field="mobile",
    ...     old_value=None,
    ...     new_value="+5511987654321",
    ...     actor="u-sac",
    ...     at=datetime(2026, 6, 1, tzinfo=UTC),
    ...     reason="sac_call",
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: HistoryChange.reason must be a HistoryReason ('sac_call', 'customer_request', 'import', 'lgpd_correction', 'anonymization', 'deletion'), got 'sac_call'
    """

    customer_id: str = attrs.field(validator=v.text(100))
    field: str = attrs.field(validator=v.text(100))
    old_value: str | None = attrs.field(validator=_optional_value)
    new_value: str | None = attrs.field(validator=_optional_value)
    actor: str = attrs.field(validator=v.text(200))
    at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    reason: HistoryReason = attrs.field(validator=v.member_of(HistoryReason))


@attrs.frozen(kw_only=True)
class HistoryEntry:
    """Entrada do histórico (a customer history entry): a change, sealed into the chain.

    Built by :func:`seal_change` (the stores call it); the constructor checks
    only the shape, so an entry read back can be verified by
    :func:`verify_history` rather than refused. ``redacted`` entries have
    lost their values (``None``), not their place in the chain.

    >>> from datetime import UTC, datetime
    >>> HistoryEntry(
    ...     sequence=1,
    ...     customer_id="C1",
    ...     field="email",
    ...     actor="u",
    ...     at=datetime(2026, 1, 1, tzinfo=UTC),
    ...     reason=HistoryReason.IMPORT,
    ...     values_digest="0" * 64,
    ...     old_value="x",
    ...     new_value=None,
    ...     redacted=True,
    ...     key_id="k1",
    ...     mac="0" * 64,
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: HistoryEntry.redacted a redacted entry keeps no value, got 'x'
    """

    sequence: int = attrs.field(validator=v.integer(min_value=1))
    customer_id: str = attrs.field(validator=v.text(100))
    field: str = attrs.field(validator=v.text(100))
    actor: str = attrs.field(validator=v.text(200))
    at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    reason: HistoryReason = attrs.field(validator=v.member_of(HistoryReason))
    values_digest: str = attrs.field(validator=_hex64)
    old_value: str | None = attrs.field(validator=_optional_value)
    new_value: str | None = attrs.field(validator=_optional_value)
    redacted: bool = attrs.field(default=False, validator=v.boolean)
    key_id: str = attrs.field(validator=_key_id)
    mac: str = attrs.field(validator=_hex64)

    def __attrs_post_init__(self) -> None:
        if self.redacted and (self.old_value is not None or self.new_value is not None):
            kept = self.old_value if self.old_value is not None else self.new_value
            raise ValidationError("HistoryEntry.redacted", kept, "a redacted entry keeps no value")


def values_digest(
    key: LogKey,
    *,
    sequence: int,
    customer_id: str,
    field: str,
    old_value: str | None,
    new_value: str | None,
) -> str:
    """The keyed digest a history entry's chain holds in place of its values.

    :func:`~otocore.ledger.keyed_digest` for the purpose ``"history-values"``
    of the canonical JSON ``{"customer_id", "field", "new", "old", "sequence", "v": 1}``.

    >>> from otocore.ledger import LogKey
    >>> key = LogKey(key_id="k1", secret=bytes(32))
    >>> a = values_digest(
    ...     key, sequence=1, customer_id="C1", field="email", old_value=None, new_value="a@b.co"
    ... )
    >>> a == values_digest(
    ...     key, sequence=2, customer_id="C1", field="email", old_value=None, new_value="a@b.co"
    ... )
    False
    """
    document = {
        "v": 1,
        "sequence": sequence,
        "customer_id": customer_id,
        "field": field,
        "old": old_value,
        "new": new_value,
    }
    payload = _canonical(document).encode("utf-8")
    return keyed_digest(key, purpose="history-values", payload=payload)


def canonical_history_json(entry: HistoryEntry) -> str:
    """The canonical JSON whose MAC is ``entry.mac``: the entry without its values.

    >>> from datetime import UTC, datetime
    >>> from otocore.ledger import LogKey
    >>> e = seal_change(
    ...     HistoryChange(
    ...         customer_id="C1",
    ...         field="email",
    ...         old_value=None,
    ...         new_value="a@b.co",
    ...         actor="u-sac",
    ...         at=datetime(2026, 6, 1, tzinfo=UTC),
    ...         reason=HistoryReason.IMPORT,
    ...     ),
    ...     tail=None,
    ...     key=LogKey(key_id="k1", secret=bytes(32)),
    ... )
    >>> print(canonical_history_json(e))  # doctest: +ELLIPSIS
    {"actor":"u-sac","at":"2026-06-01T00:00:00.000000Z","customer_id":"C1","field":"email","reason":"import","sequence":1,"v":1,"values_digest":"..."}
    """
    return _canonical(
        {
            "v": 1,
            "sequence": entry.sequence,
            "customer_id": entry.customer_id,
            "field": entry.field,
            "actor": entry.actor,
            "at": _stamp(entry.at),
            "reason": entry.reason.value,
            "values_digest": entry.values_digest,
        }
    )


def _tail_of(tail: Any, cls: type) -> tuple[int, str]:
    if tail is None:
        return 0, GENESIS_MAC
    v.require_instance("tail", tail, cls)
    return int(tail.sequence), str(tail.mac)


def seal_change(change: HistoryChange, *, tail: HistoryEntry | None, key: LogKey) -> HistoryEntry:
    """The history entry recording ``change`` after ``tail`` (``None``: the first), under ``key``.

    Its sequence is the tail's plus one; its ``values_digest`` is
    :func:`values_digest` and its ``mac`` the chain MAC (log
    ``"customer_history"``) of :func:`canonical_history_json`. Nothing is
    stored: the stores call it when appending.

    >>> from datetime import UTC, datetime
    >>> from otocore.ledger import LogKey
    >>> key = LogKey(key_id="k1", secret=bytes(32))
    >>> c = HistoryChange(
    ...     customer_id="C1",
    ...     field="birth_date",
    ...     old_value="1990-01-02",
    ...     new_value="1990-02-01",
    ...     actor="u-sac",
    ...     at=datetime(2026, 6, 1, tzinfo=UTC),
    ...     reason=HistoryReason.CUSTOMER_REQUEST,
    ... )
    >>> a = seal_change(c, tail=None, key=key)
    >>> b = seal_change(c, tail=a, key=key)
    >>> b.sequence, b.mac != a.mac
    (2, True)
    """
    v.require_instance("change", change, HistoryChange)
    v.require_instance("key", key, LogKey)
    last, previous = _tail_of(tail, HistoryEntry)
    sequence = last + 1
    digest = values_digest(
        key,
        sequence=sequence,
        customer_id=change.customer_id,
        field=change.field,
        old_value=change.old_value,
        new_value=change.new_value,
    )
    draft = HistoryEntry(
        sequence=sequence,
        customer_id=change.customer_id,
        field=change.field,
        actor=change.actor,
        at=change.at,
        reason=change.reason,
        values_digest=digest,
        old_value=change.old_value,
        new_value=change.new_value,
        key_id=key.key_id,
        mac=GENESIS_MAC,
    )
    payload = canonical_history_json(draft).encode("utf-8")
    mac = chain_mac(key, log="customer_history", previous=previous, payload=payload)
    return attrs.evolve(draft, mac=mac)


def redact_entry(entry: HistoryEntry) -> HistoryEntry:
    """``entry`` without its values (``redacted=True``); its chained part is unchanged.

    >>> from datetime import UTC, datetime
    >>> from otocore.ledger import LogKey
    >>> c = HistoryChange(
    ...     customer_id="C1",
    ...     field="name",
    ...     old_value="Ana",
    ...     new_value="Ana Souza",
    ...     actor="u-sac",
    ...     at=datetime(2026, 6, 1, tzinfo=UTC),
    ...     reason=HistoryReason.SAC_CALL,
    ... )
    >>> e = seal_change(c, tail=None, key=LogKey(key_id="k1", secret=bytes(32)))
    >>> r = redact_entry(e)
    >>> (
    ...     r.old_value,
    ...     r.new_value,
    ...     r.redacted,
    ...     canonical_history_json(r) == canonical_history_json(e),
    ... )
    (None, None, True, True)
    """
    v.require_instance("entry", entry, HistoryEntry)
    return attrs.evolve(entry, old_value=None, new_value=None, redacted=True)


def history_head(entry: HistoryEntry) -> LogHead:
    """The head to export after ``entry`` (the history's last entry).

    >>> from datetime import UTC, datetime
    >>> from otocore.ledger import LogKey
    >>> c = HistoryChange(
    ...     customer_id="C1",
    ...     field="name",
    ...     old_value=None,
    ...     new_value="Ana",
    ...     actor="u",
    ...     at=datetime(2026, 6, 1, tzinfo=UTC),
    ...     reason=HistoryReason.IMPORT,
    ... )
    >>> history_head(seal_change(c, tail=None, key=LogKey(key_id="k1", secret=bytes(32)))).log
    'customer_history'
    """
    v.require_instance("entry", entry, HistoryEntry)
    return LogHead(
        log="customer_history", sequence=entry.sequence, key_id=entry.key_id, mac=entry.mac
    )


def verify_history(
    entries: Iterable[HistoryEntry], *, keys: LogKeyring, head: LogHead | None = None
) -> ChainVerification:
    """Check the customer history's MAC chain, its values' digests and ``head``.

    The entries are the whole history, in order from its first entry. An
    entry whose values remain must match its ``values_digest``; a redacted
    one is listed in ``redacted`` and still verifies. See
    :func:`~otocore.ledger.verify_chain` for the chain and the head.

    >>> from datetime import UTC, datetime
    >>> from otocore.ledger import LogKey, LogKeyring
    >>> keys = LogKeyring.of(LogKey(key_id="k1", secret=bytes(32)))
    >>> c = HistoryChange(
    ...     customer_id="C1",
    ...     field="name",
    ...     old_value=None,
    ...     new_value="Ana",
    ...     actor="u",
    ...     at=datetime(2026, 6, 1, tzinfo=UTC),
    ...     reason=HistoryReason.IMPORT,
    ... )
    >>> e = seal_change(c, tail=None, key=keys.current_key)
    >>> verify_history([attrs.evolve(e, new_value="Bia")], keys=keys).problem
    'entry 1: its values do not match values_digest (a value was edited)'
    """
    v.require_instance("keys", keys, LogKeyring)
    previous = GENESIS_MAC
    seen: dict[int, tuple[str, str]] = {}
    redacted: list[int] = []
    position = 0
    for position, entry in enumerate(entries, start=1):
        if not isinstance(entry, HistoryEntry):
            raise ValidationError(f"entries[{position - 1}]", entry, "must be a HistoryEntry")
        link = ChainLink(
            sequence=entry.sequence,
            key_id=entry.key_id,
            mac=entry.mac,
            payload=canonical_history_json(entry).encode("utf-8"),
        )
        failure = check_link(
            link, position=position, log="customer_history", keys=keys, previous=previous
        )
        if failure is not None:
            return attrs.evolve(failure, redacted=tuple(redacted))
        key = keys.get(entry.key_id)
        assert key is not None  # noqa: S101 - check_link refused an unknown key id
        if entry.redacted:
            redacted.append(entry.sequence)
        elif not macs_equal(
            values_digest(
                key,
                sequence=entry.sequence,
                customer_id=entry.customer_id,
                field=entry.field,
                old_value=entry.old_value,
                new_value=entry.new_value,
            ),
            entry.values_digest,
        ):
            return ChainVerification(
                ok=False,
                first_bad_sequence=position,
                problem=f"entry {position}: its values do not match values_digest (a value was edited)",
                entries=position - 1,
                redacted=tuple(redacted),
            )
        seen[entry.sequence] = (entry.key_id, entry.mac)
        previous = entry.mac
    failure = check_head(head, log="customer_history", seen=seen, last=position)
    if failure is not None:
        return attrs.evolve(failure, redacted=tuple(redacted))
    return ChainVerification(ok=True, entries=position, redacted=tuple(redacted))


# the data-access log ------------------------------------------------------------


@attrs.frozen(kw_only=True)
class AccessEvent:
    """Acesso a dados (a data access), before it is logged: who, what, which query, how many.

    ``query`` and ``detail`` are free text; every CPF in them is masked when
    the event is built (:func:`mask_cpfs`), so an unmasked CPF never reaches
    the log.

    >>> from datetime import UTC, datetime
    >>> AccessEvent(
    ...     actor="u-gerente",
    ...     at=datetime(2026, 6, 1, tzinfo=UTC),
    ...     action=AccessAction.EXPORT_REQUESTED,
    ...     query="cpf = 529.982.247-25",
    ...     customers=1,
    ... ).query
    'cpf = ***.982.247-**'
    """

    actor: str = attrs.field(validator=v.text(200))
    at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    action: AccessAction = attrs.field(validator=v.member_of(AccessAction))
    query: str = attrs.field(
        default="",
        converter=_masked,
        validator=_free_text(_MAX_QUERY, allow_empty=True),
    )
    customers: int = attrs.field(default=0, validator=v.integer(min_value=0, max_value=2**63 - 1))
    detail: str = attrs.field(
        default="",
        converter=_masked,
        validator=_free_text(_MAX_DETAIL, allow_empty=True),
    )


@attrs.frozen(kw_only=True)
class AccessEntry:
    """Entrada do registro de acesso (a data-access log entry): an event, sealed into the chain.

    Built by :func:`seal_access` (the stores call it). Its text is masked as
    :class:`AccessEvent`'s is.

    >>> from datetime import UTC, datetime
    >>> AccessEntry(
    ...     sequence=0,
    ...     actor="u",
    ...     at=datetime(2026, 1, 1, tzinfo=UTC),
    ...     action=AccessAction.HISTORY_READ,
    ...     key_id="k1",
    ...     mac="0" * 64,
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: AccessEntry.sequence must be >= 1, got 0
    """

    sequence: int = attrs.field(validator=v.integer(min_value=1))
    actor: str = attrs.field(validator=v.text(200))
    at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    action: AccessAction = attrs.field(validator=v.member_of(AccessAction))
    query: str = attrs.field(
        default="",
        converter=_masked,
        validator=_free_text(_MAX_QUERY, allow_empty=True),
    )
    customers: int = attrs.field(default=0, validator=v.integer(min_value=0, max_value=2**63 - 1))
    detail: str = attrs.field(
        default="",
        converter=_masked,
        validator=_free_text(_MAX_DETAIL, allow_empty=True),
    )
    key_id: str = attrs.field(validator=_key_id)
    mac: str = attrs.field(validator=_hex64)


def canonical_access_json(entry: AccessEntry) -> str:
    """The canonical JSON whose MAC is ``entry.mac``.

    >>> from datetime import UTC, datetime
    >>> from otocore.ledger import LogKey
    >>> ev = AccessEvent(
    ...     actor="u",
    ...     at=datetime(2026, 6, 1, tzinfo=UTC),
    ...     action=AccessAction.HISTORY_READ,
    ...     query="customer C1",
    ...     customers=1,
    ... )
    >>> print(
    ...     canonical_access_json(
    ...         seal_access(ev, tail=None, key=LogKey(key_id="k1", secret=bytes(32)))
    ...     )
    ... )
    {"action":"history_read","actor":"u","at":"2026-06-01T00:00:00.000000Z","customers":1,"detail":"","query":"customer C1","sequence":1,"v":1}
    """
    return _canonical(
        {
            "v": 1,
            "sequence": entry.sequence,
            "actor": entry.actor,
            "at": _stamp(entry.at),
            "action": entry.action.value,
            "query": entry.query,
            "customers": entry.customers,
            "detail": entry.detail,
        }
    )


def seal_access(event: AccessEvent, *, tail: AccessEntry | None, key: LogKey) -> AccessEntry:
    """The data-access log entry recording ``event`` after ``tail``, under ``key``.

    >>> from datetime import UTC, datetime
    >>> from otocore.ledger import LogKey
    >>> ev = AccessEvent(
    ...     actor="u", at=datetime(2026, 6, 1, tzinfo=UTC), action=AccessAction.EXPORT_DOWNLOADED
    ... )
    >>> seal_access(ev, tail=None, key=LogKey(key_id="k1", secret=bytes(32))).sequence
    1
    """
    v.require_instance("event", event, AccessEvent)
    v.require_instance("key", key, LogKey)
    last, previous = _tail_of(tail, AccessEntry)
    draft = AccessEntry(
        sequence=last + 1,
        actor=event.actor,
        at=event.at,
        action=event.action,
        query=event.query,
        customers=event.customers,
        detail=event.detail,
        key_id=key.key_id,
        mac=GENESIS_MAC,
    )
    payload = canonical_access_json(draft).encode("utf-8")
    return attrs.evolve(
        draft, mac=chain_mac(key, log="data_access", previous=previous, payload=payload)
    )


def access_head(entry: AccessEntry) -> LogHead:
    """The head to export after ``entry`` (the data-access log's last entry).

    >>> from datetime import UTC, datetime
    >>> from otocore.ledger import LogKey
    >>> ev = AccessEvent(
    ...     actor="u", at=datetime(2026, 6, 1, tzinfo=UTC), action=AccessAction.HISTORY_READ
    ... )
    >>> access_head(seal_access(ev, tail=None, key=LogKey(key_id="k1", secret=bytes(32)))).log
    'data_access'
    """
    v.require_instance("entry", entry, AccessEntry)
    return LogHead(log="data_access", sequence=entry.sequence, key_id=entry.key_id, mac=entry.mac)


def verify_access_log(
    entries: Iterable[AccessEntry], *, keys: LogKeyring, head: LogHead | None = None
) -> ChainVerification:
    """Check the data-access log's MAC chain (and ``head``), given in order from its first entry.

    >>> from datetime import UTC, datetime
    >>> from otocore.ledger import LogKey, LogKeyring
    >>> keys = LogKeyring.of(LogKey(key_id="k1", secret=bytes(32)))
    >>> ev = AccessEvent(
    ...     actor="u", at=datetime(2026, 6, 1, tzinfo=UTC), action=AccessAction.HISTORY_READ
    ... )
    >>> e = seal_access(ev, tail=None, key=keys.current_key)
    >>> verify_access_log([e], keys=keys, head=access_head(e)).ok
    True
    >>> verify_access_log([attrs.evolve(e, customers=9)], keys=keys).first_bad_sequence
    1
    """

    def links() -> Iterable[ChainLink]:
        for i, entry in enumerate(entries):
            if not isinstance(entry, AccessEntry):
                raise ValidationError(f"entries[{i}]", entry, "must be an AccessEntry")
            yield ChainLink(
                sequence=entry.sequence,
                key_id=entry.key_id,
                mac=entry.mac,
                payload=canonical_access_json(entry).encode("utf-8"),
            )

    return verify_chain(links(), log="data_access", keys=keys, head=head)
