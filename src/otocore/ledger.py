"""Registro encadeado com chave (keyed log chain): the HMAC chain of otocore's append-only logs.

The issue on exports and the access log ("Exports with an access log") asks
that the audit log, the customer history and the data-access log be
tamper-evident *against someone who can write to the database*: an unkeyed
SHA-256 chain can be recomputed by whoever rewrites it. So each entry carries
a MAC under a key that lives **outside** the database (configuration), and
the latest head can be exported and checked later.

**The rule, exactly.** Entry ``n`` of the log named ``log`` (``"audit"``,
``"customer_history"``, ``"data_access"``) carries ``key_id`` and ``mac``,
where ``mac`` is the lowercase hex HMAC-SHA256, under the secret of the key
``key_id``, of the bytes::

    b"otocore-ledger/1" NUL log NUL key_id NUL previous NUL payload

``previous`` is the ``mac`` of entry ``n - 1`` as ASCII hex (:data:`GENESIS_MAC`,
64 zeros, for the first entry) and ``payload`` the entry's canonical bytes
(each log documents its own). Rewriting an entry, inserting one, reordering or
deleting changes every later MAC, which nobody can recompute without the key.
Cutting entries from the end leaves a valid shorter chain: a :class:`LogHead`
(log, sequence, key id and MAC of the last entry), exported as a small JSON
value and kept elsewhere, detects it.

>>> keys = LogKeyring.of(LogKey(key_id="k1", secret=bytes(32)))
>>> first = chain_mac(keys.current_key, log="audit", previous=GENESIS_MAC, payload=b"a")
>>> second = chain_mac(keys.current_key, log="audit", previous=first, payload=b"b")
>>> links = [
...     ChainLink(sequence=1, key_id="k1", mac=first, payload=b"a"),
...     ChainLink(sequence=2, key_id="k1", mac=second, payload=b"b"),
... ]
>>> verify_chain(links, log="audit", keys=keys).ok
True
>>> head = LogHead(log="audit", sequence=2, key_id="k1", mac=second)
>>> verify_chain(links[:1], log="audit", keys=keys, head=head).problem
'the log ends at entry 1 but the head names entry 2 (entries were cut from the end)'
>>> LogKey(key_id="k1", secret=b"short")
Traceback (most recent call last):
...
otocore.errors.ValidationError: LogKey.secret must be at least 32 bytes, got '<redacted>'

**Keys and rotation.** A :class:`LogKeyring` holds one *current* key (new
entries are MACed with it) and any number of old keys, kept only to verify
the entries they MACed. Key files and the ``OTOCORE_LOG_KEY`` variable are
read by :func:`parse_keyring` and :func:`parse_key`; a secret never appears in
a repr, an error or a log line.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import secrets
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any

import attrs

from otocore import _validate as v
from otocore.errors import ValidationError

__all__ = [
    "GENESIS_MAC",
    "LOG_NAMES",
    "ChainLink",
    "ChainVerification",
    "LogHead",
    "LogKey",
    "LogKeyring",
    "chain_mac",
    "check_head",
    "check_link",
    "dump_head",
    "dump_keyring",
    "keyed_digest",
    "macs_equal",
    "new_log_key",
    "parse_head",
    "parse_key",
    "parse_keyring",
    "require_key_id",
    "verify_chain",
]

GENESIS_MAC = "0" * 64
"""The ``previous`` of a log's first entry: 64 zeros."""

LOG_NAMES = frozenset({"audit", "customer_history", "data_access"})
"""The names of otocore's chained logs (each MAC names its log, so entries cannot move)."""

MIN_SECRET_BYTES = 32
_KEY_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_KEY_ID_RULE = "must be 1-64 characters of A-Z a-z 0-9 . _ - (starting with a letter or digit)"
_HEX64 = re.compile(r"[0-9a-f]{64}")
_HEX64_RULE = "must be an HMAC-SHA256 as 64 lowercase hex digits"
_REDACTED = "<redacted>"
_DOMAIN = b"otocore-ledger/1"


def require_key_id(field: str, value: Any) -> str:
    """A key id: 1-64 characters of ``A-Z a-z 0-9 . _ -``, starting with a letter or digit.

    >>> require_key_id("key_id", "2026-01")
    '2026-01'
    """
    if not isinstance(value, str) or not _KEY_ID.fullmatch(value):
        raise ValidationError(field, value, _KEY_ID_RULE)
    return value


def _key_id(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    require_key_id(v.field_name(instance, attribute), value)


def _secret(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    name = v.field_name(instance, attribute)
    if not isinstance(value, bytes):
        raise ValidationError(name, _REDACTED, "must be bytes")
    if len(value) < MIN_SECRET_BYTES:
        raise ValidationError(name, _REDACTED, f"must be at least {MIN_SECRET_BYTES} bytes")


def _hex64(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not _HEX64.fullmatch(value):
        raise ValidationError(v.field_name(instance, attribute), value, _HEX64_RULE)


def _log_name(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or value not in LOG_NAMES:
        allowed = ", ".join(sorted(LOG_NAMES))
        raise ValidationError(v.field_name(instance, attribute), value, f"must be one of {allowed}")


@attrs.frozen(kw_only=True)
class LogKey:
    """Chave de registro (log key): an id and a secret of at least 32 bytes.

    The secret is left out of the repr (and of equality's output): only the
    id is ever shown.

    >>> LogKey(key_id="2026-01", secret=bytes(range(32)))
    LogKey(key_id='2026-01')
    >>> LogKey(key_id="no spaces", secret=bytes(32))
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: LogKey.key_id must be 1-64 characters of A-Z a-z 0-9 . _ - (starting with a letter or digit), got 'no spaces'
    """

    key_id: str = attrs.field(validator=_key_id)
    secret: bytes = attrs.field(validator=_secret, repr=False)


def new_log_key(
    key_id: str, *, token_bytes: Callable[[int], bytes] = secrets.token_bytes
) -> LogKey:
    """A new key with a 32-byte secret from ``token_bytes`` (``secrets.token_bytes``).

    >>> new_log_key("2026-06", token_bytes=lambda n: b"\\x01" * n).key_id
    '2026-06'
    """
    return LogKey(key_id=key_id, secret=token_bytes(MIN_SECRET_BYTES))


def _keys(value: Any) -> Mapping[str, LogKey]:
    items = list(v.require_iterable("LogKeyring.keys", value, rule="must be LogKey values"))
    out: dict[str, LogKey] = {}
    for i, key in enumerate(items):
        if not isinstance(key, LogKey):
            raise ValidationError(f"LogKeyring.keys[{i}]", key, "must be a LogKey")
        if key.key_id in out:
            raise ValidationError(f"LogKeyring.keys[{i}]", key, "repeats a key id")
        out[key.key_id] = key
    if not out:
        raise ValidationError("LogKeyring.keys", value, "must hold at least one key")
    return MappingProxyType(out)


@attrs.frozen(kw_only=True)
class LogKeyring:
    """Chaveiro (keyring): the current key, which MACs new entries, and the old ones.

    Old keys verify the entries they MACed; only :attr:`current` appends.

    >>> old, new = LogKey(key_id="k1", secret=bytes(32)), LogKey(key_id="k2", secret=bytes(33))
    >>> ring = LogKeyring(keys=[old, new], current="k2")
    >>> ring
    LogKeyring(key_ids=('k1', 'k2'), current='k2')
    >>> ring.current_key.key_id, ring.get("k1") is old, ring.get("k9")
    ('k2', True, None)
    >>> LogKeyring(keys=[old], current="k2")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: LogKeyring.current must name one of its keys (k1), got 'k2'
    """

    keys: Mapping[str, LogKey] = attrs.field(converter=_keys)
    current: str = attrs.field(validator=_key_id)

    def __attrs_post_init__(self) -> None:
        if self.current not in self.keys:
            known = ", ".join(sorted(self.keys))
            raise ValidationError(
                "LogKeyring.current", self.current, f"must name one of its keys ({known})"
            )

    def __repr__(self) -> str:
        return f"LogKeyring(key_ids={tuple(sorted(self.keys))!r}, current={self.current!r})"

    @classmethod
    def of(cls, current: LogKey, *old: LogKey) -> LogKeyring:
        """A keyring whose current key is ``current``, keeping ``old`` for verification.

        >>> LogKeyring.of(
        ...     LogKey(key_id="k2", secret=bytes(32)), LogKey(key_id="k1", secret=bytes(32))
        ... )
        LogKeyring(key_ids=('k1', 'k2'), current='k2')
        """
        return cls(keys=[current, *old], current=current.key_id)

    @property
    def current_key(self) -> LogKey:
        """The key new entries are MACed with."""
        return self.keys[self.current]

    def get(self, key_id: str) -> LogKey | None:
        """The key named ``key_id``, or ``None`` when the keyring lacks it."""
        return self.keys.get(key_id) if isinstance(key_id, str) else None


def chain_mac(key: LogKey, *, log: str, previous: str, payload: bytes) -> str:
    """The MAC of an entry whose predecessor's MAC is ``previous`` (see the module docs).

    >>> chain_mac(
    ...     LogKey(key_id="k1", secret=bytes(32)), log="audit", previous=GENESIS_MAC, payload=b"{}"
    ... )[:16]
    '0e348a05146a5b1b'
    """
    v.require_instance("key", key, LogKey)
    if not isinstance(log, str) or log not in LOG_NAMES:
        raise ValidationError("log", log, "must be one of " + ", ".join(sorted(LOG_NAMES)))
    if not isinstance(previous, str) or not _HEX64.fullmatch(previous):
        raise ValidationError("previous", previous, _HEX64_RULE)
    v.require_instance("payload", payload, bytes)
    message = b"\x00".join(
        (
            _DOMAIN,
            log.encode("ascii"),
            key.key_id.encode("ascii"),
            previous.encode("ascii"),
            payload,
        )
    )
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


def keyed_digest(key: LogKey, *, purpose: str, payload: bytes) -> str:
    """HMAC-SHA256 (hex) of ``payload`` for ``purpose``: a digest nobody without the key can test.

    The customer history keeps such a digest of an entry's values, so the
    values can be removed while the chain still verifies, and a low-entropy
    value (a birth date) cannot be found by trying every candidate.

    >>> d = keyed_digest(
    ...     LogKey(key_id="k1", secret=bytes(32)), purpose="history-values", payload=b"x"
    ... )
    >>> len(d)
    64
    """
    v.require_instance("key", key, LogKey)
    v.require_text("purpose", purpose, max_length=64)
    v.require_instance("payload", payload, bytes)
    message = b"otocore-digest/1\x00" + purpose.encode("utf-8") + b"\x00" + payload
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


def macs_equal(a: str, b: str) -> bool:
    """Whether two MACs are equal, compared in constant time (``hmac.compare_digest``).

    >>> macs_equal("ab" * 32, "ab" * 32), macs_equal("ab" * 32, "ac" * 32)
    (True, False)
    """
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


@attrs.frozen(kw_only=True)
class LogHead:
    """Cabeça do registro (log head): the last entry's sequence, key id and MAC.

    Export it (:func:`dump_head`) somewhere the database's writers cannot
    reach (another machine, a ticket, a signed e-mail); verifying the log
    against it later detects a rewrite (the MAC at that sequence differs) and
    a truncation (the sequence is missing).

    >>> LogHead(log="audit", sequence=0, key_id="k1", mac=GENESIS_MAC)
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: LogHead.sequence must be >= 1, got 0
    """

    log: str = attrs.field(validator=_log_name)
    sequence: int = attrs.field(validator=v.integer(min_value=1))
    key_id: str = attrs.field(validator=_key_id)
    mac: str = attrs.field(validator=_hex64)


def dump_head(head: LogHead) -> str:
    """The head as one line of JSON (keys sorted): the export format.

    >>> print(
    ...     dump_head(LogHead(log="audit", sequence=7, key_id="k1", mac="ab" * 32))
    ... )  # doctest: +ELLIPSIS
    {"key_id":"k1","log":"audit","mac":"abab...","sequence":7,"v":1}
    """
    v.require_instance("head", head, LogHead)
    document = {
        "v": 1,
        "log": head.log,
        "sequence": head.sequence,
        "key_id": head.key_id,
        "mac": head.mac,
    }
    return json.dumps(document, sort_keys=True, separators=(",", ":"))


def parse_head(text: str) -> LogHead:
    """A head from :func:`dump_head`'s JSON; anything else is a ValidationError.

    >>> parse_head(
    ...     '{"v":1,"log":"audit","sequence":2,"key_id":"k1","mac":"%s"}' % ("0" * 64)
    ... ).sequence
    2
    >>> parse_head("[]")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: head must be a JSON object with v, log, sequence, key_id and mac, got '[]'
    """
    rule = "must be a JSON object with v, log, sequence, key_id and mac"
    v.require_instance("head", text, str)
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise ValidationError("head", text[:200], rule) from None
    fields = {"v", "log", "sequence", "key_id", "mac"}
    if not isinstance(document, dict) or set(document) != fields or document["v"] != 1:
        raise ValidationError("head", text[:200], rule)
    return LogHead(
        log=document["log"],
        sequence=document["sequence"],
        key_id=document["key_id"],
        mac=document["mac"],
    )


def _secret_from_text(field: str, text: Any) -> bytes:
    rule = "must be a base64 secret of at least 32 bytes"
    if not isinstance(text, str):
        raise ValidationError(field, _REDACTED, rule)
    try:
        secret = base64.b64decode(text.strip().encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raise ValidationError(field, _REDACTED, rule) from None
    if len(secret) < MIN_SECRET_BYTES:
        raise ValidationError(field, _REDACTED, rule)
    return secret


def parse_key(text: str) -> LogKey:
    """A key from ``KEY_ID:BASE64_SECRET`` (the ``OTOCORE_LOG_KEY`` variable's format).

    >>> import base64
    >>> parse_key("k1:" + base64.b64encode(bytes(32)).decode())
    LogKey(key_id='k1')
    >>> parse_key("k1:not base64!")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: OTOCORE_LOG_KEY must be a base64 secret of at least 32 bytes, got '<redacted>'
    """
    if not isinstance(text, str) or ":" not in text:
        raise ValidationError("OTOCORE_LOG_KEY", _REDACTED, "must be KEY_ID:BASE64_SECRET")
    key_id, _, secret = text.strip().partition(":")
    return LogKey(key_id=key_id, secret=_secret_from_text("OTOCORE_LOG_KEY", secret))


def parse_keyring(text: str) -> LogKeyring:
    """A keyring from a key file: ``{"current": ID, "keys": {ID: BASE64_SECRET, ...}}``.

    >>> import base64, json
    >>> s = base64.b64encode(bytes(32)).decode()
    >>> parse_keyring(json.dumps({"current": "k2", "keys": {"k1": s, "k2": s}}))
    LogKeyring(key_ids=('k1', 'k2'), current='k2')
    >>> parse_keyring('{"keys": {}}')
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: key file must be a JSON object {"current": KEY_ID, "keys": {KEY_ID: BASE64_SECRET, ...}}, got '<redacted>'
    """
    rule = 'must be a JSON object {"current": KEY_ID, "keys": {KEY_ID: BASE64_SECRET, ...}}'
    if not isinstance(text, str):
        raise ValidationError("key file", _REDACTED, rule)
    try:
        document = json.loads(text)
    except (ValueError, RecursionError):
        raise ValidationError("key file", _REDACTED, rule) from None
    if (
        not isinstance(document, dict)
        or set(document) != {"current", "keys"}
        or not isinstance(document["keys"], dict)
        or not document["keys"]
    ):
        raise ValidationError("key file", _REDACTED, rule)
    keys = [
        LogKey(key_id=key_id, secret=_secret_from_text(f"key file keys.{key_id}", secret))
        for key_id, secret in document["keys"].items()
    ]
    return LogKeyring(keys=keys, current=document["current"])


def dump_keyring(keyring: LogKeyring) -> str:
    """The key-file JSON of ``keyring`` (it holds the secrets: write it only to a protected file).

    >>> ring = LogKeyring.of(LogKey(key_id="k1", secret=bytes(32)))
    >>> parse_keyring(dump_keyring(ring)) == ring
    True
    """
    v.require_instance("keyring", keyring, LogKeyring)
    keys = {
        key_id: base64.b64encode(key.secret).decode("ascii")
        for key_id, key in sorted(keyring.keys.items())
    }
    return json.dumps({"current": keyring.current, "keys": keys}, indent=2, sort_keys=True)


@attrs.frozen(kw_only=True)
class ChainLink:
    """What :func:`verify_chain` reads of an entry: its sequence, key id, MAC and payload.

    >>> ChainLink(sequence=1, key_id="k1", mac=GENESIS_MAC, payload=b"{}").sequence
    1
    """

    sequence: int = attrs.field(validator=v.integer(min_value=1))
    key_id: str = attrs.field(validator=_key_id)
    mac: str = attrs.field(validator=_hex64)
    payload: bytes = attrs.field(validator=v.instance_of(bytes))


@attrs.frozen(kw_only=True)
class ChainVerification:
    """The result of verifying a log: ``ok``, else where it first breaks and why.

    ``entries`` counts the entries read; ``redacted`` lists the sequences
    whose personal values were removed (the customer history's redaction),
    which still verify.

    >>> ChainVerification(ok=True, entries=0)
    ChainVerification(ok=True, first_bad_sequence=None, problem=None, entries=0, redacted=())
    """

    ok: bool
    first_bad_sequence: int | None = None
    problem: str | None = None
    entries: int = 0
    redacted: tuple[int, ...] = ()


def check_head(
    head: LogHead | None, *, log: str, seen: Mapping[int, tuple[str, str]], last: int
) -> ChainVerification | None:
    """The failure when the log does not hold ``head``, else ``None``.

    ``seen`` maps each verified entry's sequence to its (key id, MAC);
    ``last`` is the log's last sequence. A helper of :func:`verify_chain`,
    public for the logs that verify their own way (the audit log).

    >>> head = LogHead(log="audit", sequence=3, key_id="k1", mac=GENESIS_MAC)
    >>> check_head(head, log="audit", seen={3: ("k1", GENESIS_MAC)}, last=3) is None
    True
    >>> check_head(head, log="audit", seen={}, last=2).first_bad_sequence
    3
    """
    if head is None:
        return None
    v.require_instance("head", head, LogHead)
    if head.log != log:
        raise ValidationError("head.log", head.log, f"must be {log!r} (the log being verified)")
    found = seen.get(head.sequence)
    if found is None:
        return ChainVerification(
            ok=False,
            first_bad_sequence=last + 1,
            problem=(
                f"the log ends at entry {last} but the head names entry {head.sequence}"
                " (entries were cut from the end)"
            ),
            entries=last,
        )
    if found[0] != head.key_id or not macs_equal(found[1], head.mac):
        return ChainVerification(
            ok=False,
            first_bad_sequence=head.sequence,
            problem=(
                f"entry {head.sequence}: its MAC differs from the exported head's"
                " (the log was rewritten)"
            ),
            entries=last,
        )
    return None


def verify_chain(
    links: Iterable[ChainLink],
    *,
    log: str,
    keys: LogKeyring,
    head: LogHead | None = None,
    start: str = GENESIS_MAC,
) -> ChainVerification:
    """Check a whole log's MAC chain, given in order from its first entry.

    Entry ``i`` (from 1) must have ``sequence == i``, a ``key_id`` the keyring
    holds and the MAC :func:`chain_mac` gives for it; ``head`` (when given)
    must be one of its entries, with the same key id and MAC. ``start`` is
    the ``previous`` of the first entry.

    >>> keys = LogKeyring.of(LogKey(key_id="k1", secret=bytes(32)))
    >>> mac = chain_mac(keys.current_key, log="audit", previous=GENESIS_MAC, payload=b"a")
    >>> verify_chain(
    ...     [ChainLink(sequence=1, key_id="k1", mac=mac, payload=b"A")], log="audit", keys=keys
    ... ).problem
    'entry 1: its MAC does not match its content (the entry was edited, or MACed with another key)'
    """
    v.require_instance("keys", keys, LogKeyring)
    previous = start
    position = 0
    seen: dict[int, tuple[str, str]] = {}
    for position, link in enumerate(links, start=1):
        failure = check_link(link, position=position, log=log, keys=keys, previous=previous)
        if failure is not None:
            return failure
        seen[link.sequence] = (link.key_id, link.mac)
        previous = link.mac
    failure = check_head(head, log=log, seen=seen, last=position)
    return failure if failure is not None else ChainVerification(ok=True, entries=position)


def check_link(
    link: ChainLink, *, position: int, log: str, keys: LogKeyring, previous: str
) -> ChainVerification | None:
    """The failure of one link at ``position`` chained to ``previous``, or ``None``.

    >>> keys = LogKeyring.of(LogKey(key_id="k1", secret=bytes(32)))
    >>> link = ChainLink(sequence=2, key_id="k1", mac=GENESIS_MAC, payload=b"")
    >>> check_link(link, position=1, log="audit", keys=keys, previous=GENESIS_MAC).problem
    'entry 1: found sequence 2 (an entry was removed, inserted or reordered)'
    """

    def bad(problem: str) -> ChainVerification:
        return ChainVerification(
            ok=False, first_bad_sequence=position, problem=problem, entries=position - 1
        )

    if link.sequence != position:
        return bad(
            f"entry {position}: found sequence {link.sequence}"
            " (an entry was removed, inserted or reordered)"
        )
    key = keys.get(link.key_id)
    if key is None:
        return bad(f"entry {position}: key id {link.key_id!r} is not in the keyring")
    expected = chain_mac(key, log=log, previous=previous, payload=link.payload)
    if not macs_equal(expected, link.mac):
        return bad(
            f"entry {position}: its MAC does not match its content"
            " (the entry was edited, or MACed with another key)"
        )
    return None
