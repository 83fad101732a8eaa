"""Exportação de clientes (customer export): the file's columns, its record and its link.

Altegio's customer database help page describes how a back office takes its
customer list out: the list is exported to Excel, and the file is not handed
over at once but "enviado por e-mail": a link to download it. Reshop's
customer module help page lists the registry fields the file holds (CPF, RG,
"data de nascimento, e-mail e número de celular", sex, marital status,
loyalty program and category).

**The file.** One row per customer, the columns of :data:`COLUMNS` in that
order, named exactly as the CSV import of customers names them (so an export
imports back unchanged: ``otocore import clientes.csv``, the CSV's formula
quotes below included). Each cell is text, written by :func:`customer_cells`: the CPF formatted (``529.982.247-25``), a
Brazilian mobile as written in Brazil (``(11) 98765-4321``; any other in
E.164), dates and instants in ISO 8601 (instants in UTC), the sex and marital
status as the import reads them (``female``, ``married``), an absent value
as an empty cell. In a CSV file, :func:`csv_cells` also neutralises formulas:
a free-text or e-mail cell (:data:`NEUTRALISED_COLUMNS`) that starts with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'``
(OWASP's "CSV Injection" guidance), so a name typed as ``=HYPERLINK(...)``
stays text when the file is opened in a spreadsheet; so does a cell that
already starts with a ``'``, which makes the rule reversible:
otocore's CSV import removes the quote again (:func:`restore_formula`).

**The link.** :class:`ExportRecord` is what otocore keeps of an export: who
asked, when, for which query, how many customers, the file's name inside the
brand's export directory, and the SHA-256 hash of the download token (256
random bits; the token itself is only in the e-mail). :func:`check_download`
decides whether a token opens an export for an account at an instant: the
token must hash to the record's hash (compared in constant time), the
instant must be before ``expires_at``, and the account must be the one who
asked. The link works any number of times until it expires (a download of a
large file may be interrupted and retried); every download is logged.

>>> from datetime import UTC, datetime, timedelta
>>> from otocore.auth import hash_token
>>> at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
>>> record = ExportRecord(
...     export_id="E1",
...     account_id="u-ana",
...     requested_at=at,
...     query="all customers",
...     format=ExportFormat.XLSX,
...     count=2,
...     file_name="E1-clientes.xlsx",
...     token_hash=hash_token("secret-token"),
...     expires_at=at + timedelta(hours=24),
... )
>>> check_download(record, "secret-token", account_id="u-ana", now=at + timedelta(hours=1))
>>> check_download(record, "secret-token", account_id="u-bia", now=at)
Traceback (most recent call last):
...
otocore.errors.DownloadRefused: the download link is invalid, has expired or is not yours; ask for a new export
"""

from __future__ import annotations

import enum
import hmac
import urllib.parse
from datetime import datetime, timedelta
from typing import Any

import attrs

from otocore import _validate as v
from otocore.auth import Role, hash_token
from otocore.customers import Customer
from otocore.errors import DownloadRefused, ValidationError

__all__ = [
    "COLUMNS",
    "FORMULA_TRIGGERS",
    "NEUTRALISED_COLUMNS",
    "QUOTE",
    "ExportAccess",
    "ExportAction",
    "ExportFormat",
    "ExportPolicy",
    "ExportRecord",
    "check_download",
    "csv_cells",
    "customer_cells",
    "download_link",
    "neutralise_formula",
    "restore_formula",
]

COLUMNS: tuple[str, ...] = (
    "customer_id",
    "name",
    "cpf",
    "rg",
    "birth_date",
    "email",
    "mobile",
    "sex",
    "marital_status",
    "home_store_id",
    "loyalty_program",
    "loyalty_category",
    "loyalty_card_number",
    "registered_at",
)
"""The columns of an export, in order: the names the CSV import of customers reads."""

_MAX_LINK_TTL = timedelta(days=7)


class ExportFormat(enum.Enum):
    """The file format of an export: ``csv`` or ``xlsx``.

    >>> ExportFormat.from_file_name("clientes.XLSX")
    <ExportFormat.XLSX: 'xlsx'>
    >>> ExportFormat.from_file_name("clientes.ods")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: out must end in .csv or .xlsx, got 'clientes.ods'
    """

    CSV = "csv"
    XLSX = "xlsx"

    @classmethod
    def from_file_name(cls, name: str, *, field: str = "out") -> ExportFormat:
        """The format a file name asks for, by its suffix (any case).

        >>> ExportFormat.from_file_name("base.csv")
        <ExportFormat.CSV: 'csv'>
        """
        v.require_str(field, name)
        suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        for member in cls:
            if member.value == suffix:
                return member
        raise ValidationError(field, name, "must end in .csv or .xlsx")


def _mobile_cell(e164: str) -> str:
    # a Brazilian mobile (+55, a two-digit area code, nine digits) as written in Brazil,
    # the form phonenumbers' NATIONAL format gives it; the import reads it back (region BR)
    if len(e164) == 14 and e164.startswith("+55"):
        return f"({e164[3:5]}) {e164[5:10]}-{e164[10:]}"
    return e164


def customer_cells(customer: Customer) -> tuple[str, ...]:
    """The cells of one customer's row, in the order of :data:`COLUMNS`.

    >>> from datetime import UTC, date, datetime
    >>> from otocore.customers import Cpf, Email, Loyalty, Mobile, Sex
    >>> ana = Customer(
    ...     customer_id="C1",
    ...     name="Ana Souza",
    ...     registered_at=datetime(2026, 3, 1, 15, 0, tzinfo=UTC),
    ...     cpf=Cpf("52998224725"),
    ...     birth_date=date(1990, 5, 10),
    ...     email=Email("ana@example.com"),
    ...     mobile=Mobile("+5511987654321"),
    ...     sex=Sex.FEMALE,
    ...     loyalty=Loyalty(program="Clube", category="Ouro"),
    ... )
    >>> customer_cells(ana)
    ('C1', 'Ana Souza', '529.982.247-25', '', '1990-05-10', 'ana@example.com', '(11) 98765-4321', 'female', '', '', 'Clube', 'Ouro', '', '2026-03-01T15:00:00+00:00')
    """
    cpf, email, mobile, loyalty = customer.cpf, customer.email, customer.mobile, customer.loyalty
    birth, sex, marital = customer.birth_date, customer.sex, customer.marital_status
    digits = "" if cpf is None else cpf.digits
    return (
        customer.customer_id,
        customer.name,
        f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}" if digits else "",
        customer.rg or "",
        "" if birth is None else birth.isoformat(),
        "" if email is None else email.address,
        "" if mobile is None else _mobile_cell(mobile.e164),
        "" if sex is None else sex.value,
        "" if marital is None else marital.value,
        customer.home_store_id or "",
        "" if loyalty is None else loyalty.program,
        "" if loyalty is None or loyalty.category is None else loyalty.category,
        "" if loyalty is None or loyalty.card_number is None else loyalty.card_number,
        customer.registered_at.isoformat(),
    )


# CSV formula injection -------------------------------------------------------------

FORMULA_TRIGGERS: frozenset[str] = frozenset({"=", "+", "-", "@", "\t", "\r"})
"""The first characters that make a spreadsheet read a CSV cell as a formula (OWASP)."""

NEUTRALISED_COLUMNS: tuple[str, ...] = (
    "customer_id",
    "name",
    "email",
    "home_store_id",
    "loyalty_program",
    "loyalty_category",
)
"""The columns whose cells the CSV writer neutralises: the ones that can hold a formula.

Free text (the id, the name, the store id, the loyalty program and category)
and the e-mail, whose grammar lets ``=cmd|'/c calc'!a0@example.com`` through.
The other columns cannot start a formula that does anything: the CPF, the
dates and the instants are digits in a fixed form, the sex and marital status
are fixed words, the card number is letters and digits, the RG is letters,
digits, ``.``, ``/``, ``-`` and spaces (no parenthesis, ``!`` or ``|``: no
function call, no link, at worst a number), and the mobile is ``(11) ...`` or
E.164 (``+`` and digits: a number at worst); a quote there would also make the
import refuse the value.
"""

_NEUTRALISED_AT = tuple(COLUMNS.index(name) for name in NEUTRALISED_COLUMNS)


QUOTE = "'"
"""The single quote :func:`neutralise_formula` puts in front of a cell, and :func:`restore_formula` takes off."""

_QUOTED_STARTS = FORMULA_TRIGGERS | {QUOTE}


def neutralise_formula(cell: str) -> str:
    """``cell`` with a single quote before it when it starts with a formula trigger or a quote.

    OWASP's "CSV Injection" guidance: a cell starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return is read as a formula by Excel
    and LibreOffice; a leading ``'`` makes it text. A cell that already
    starts with a ``'`` gets one more, so the rule can be undone exactly
    (:func:`restore_formula`): a leading quote in the file is otocore's if,
    and only if, what follows it starts with a trigger or a quote. Any other
    cell is returned as it is.

    >>> print(neutralise_formula('=HYPERLINK("http://x.example","clique")'))
    '=HYPERLINK("http://x.example","clique")
    >>> print(neutralise_formula("'Zé"))
    ''Zé
    >>> neutralise_formula("Ana"), neutralise_formula("")
    ('Ana', '')
    """
    return QUOTE + cell if cell[:1] in _QUOTED_STARTS else cell


def restore_formula(cell: str) -> str:
    """The value a CSV cell stands for: :func:`neutralise_formula` undone.

    One leading ``'`` is removed when what follows it starts with a formula
    trigger (``=``, ``+``, ``-``, ``@``, a tab, a carriage return) or with
    another ``'``; any other cell, one that starts with a quote followed by
    anything else (``'Zé``) or by nothing (``'``) included, is the value
    itself. So ``restore_formula(neutralise_formula(value)) == value`` for
    every value. otocore's CSV import of customers reads the cells of
    :data:`NEUTRALISED_COLUMNS` through it (never an .xlsx or JSON Lines
    file's: those are never neutralised).

    >>> print(restore_formula("'=1+1"), restore_formula("''Zé"), restore_formula("'Zé"))
    =1+1 'Zé 'Zé
    >>> restore_formula("'"), restore_formula("Ana"), restore_formula("")
    ("'", 'Ana', '')
    """
    return cell[1:] if cell[:1] == QUOTE and cell[1:2] in _QUOTED_STARTS else cell


def csv_cells(customer: Customer) -> tuple[str, ...]:
    """The cells of a customer's CSV row: :func:`customer_cells`, formula-neutralised.

    Each cell of :data:`NEUTRALISED_COLUMNS` goes through
    :func:`neutralise_formula` (a quote before a formula trigger or a
    quote); the other cells are :func:`customer_cells`'. The .xlsx file
    needs none of it (every cell is a text string there).

    >>> from datetime import UTC, datetime
    >>> from otocore.customers import Mobile
    >>> evil = Customer(
    ...     customer_id="C1",
    ...     name="=1+1",
    ...     registered_at=datetime(2026, 1, 1, tzinfo=UTC),
    ...     mobile=Mobile("+16502530000"),
    ... )
    >>> cells = csv_cells(evil)
    >>> cells[1], cells[6]
    ("'=1+1", '+16502530000')
    >>> csv_cells(attrs.evolve(evil, name="'=1+1"))[1]
    "''=1+1"
    """
    cells = customer_cells(customer)
    for i in _NEUTRALISED_AT:
        if cells[i][:1] in _QUOTED_STARTS:
            cells = tuple(
                neutralise_formula(c) if j in _NEUTRALISED_AT else c for j, c in enumerate(cells)
            )
            break
    return cells


# the link ------------------------------------------------------------------------


def _base_url(value: Any) -> Any:
    return value.rstrip("/") if isinstance(value, str) else value


def _check_base_url(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.require_base_url("ExportPolicy.base_url", value)


def _check_ttl(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, timedelta) or not timedelta(0) < value <= _MAX_LINK_TTL:
        raise ValidationError(
            "ExportPolicy.link_ttl", value, "must be a timedelta above 0 and at most 7 days"
        )


def _roles(value: Any) -> frozenset[Role]:
    return v.require_enum_set("ExportPolicy.roles", value, Role)  # refuses an empty set


@attrs.frozen(kw_only=True)
class ExportPolicy:
    """A brand's settings for exports: where links point, how long they work, who may export.

    Attributes:
        base_url: the brand's configured address (its back office); the
            link is ``{base_url}/exportacoes/download?token=...``, never
            built from a request. ``https://``, or ``http://`` only for
            ``localhost``/``127.0.0.1``; a trailing ``/`` is dropped.
        link_ttl: how long a link works (default 24 hours, at most 7 days).
        roles: the roles that may export the customer base (default: brand
            administrators only; a store manager sees one store, not the base).

    >>> ExportPolicy(base_url="https://admin.example.com/").base_url
    'https://admin.example.com'
    >>> ExportPolicy(base_url="http://admin.example.com")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: ExportPolicy.base_url must be an https:// address (http:// only for localhost or 127.0.0.1), without user, query or fragment, got 'http://admin.example.com'
    """

    base_url: str = attrs.field(converter=_base_url, validator=_check_base_url)
    link_ttl: timedelta = attrs.field(default=timedelta(hours=24), validator=_check_ttl)
    roles: frozenset[Role] = attrs.field(default=frozenset({Role.BRAND_ADMIN}), converter=_roles)


def download_link(policy: ExportPolicy, token: str) -> str:
    """The download address e-mailed for ``token``, built from ``policy.base_url`` only.

    >>> download_link(ExportPolicy(base_url="https://admin.example.com"), "abc_-1")
    'https://admin.example.com/exportacoes/download?token=abc_-1'
    """
    v.require_instance("policy", policy, ExportPolicy)
    v.require_str("token", token)
    return f"{policy.base_url}/exportacoes/download?token={urllib.parse.quote(token, safe='')}"


# the record ---------------------------------------------------------------------


def _token_hash(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    ok = isinstance(value, str) and len(value) == 64 and set(value) <= set("0123456789abcdef")
    if not ok:
        raise ValidationError(
            "ExportRecord.token_hash", "<redacted>", "must be a lowercase SHA-256 hex digest"
        )


def _file_name(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    v.require_text("ExportRecord.file_name", value, max_length=200)
    if "/" in value or "\\" in value or value in {".", ".."} or value.startswith("."):
        raise ValidationError(
            "ExportRecord.file_name",
            value,
            "must be a plain file name inside the export directory (no folder, not hidden)",
        )


@attrs.frozen(kw_only=True)
class ExportRecord:
    """What otocore keeps of one export (the data-access log records the same facts).

    Attributes:
        export_id: the export's id (random, from the service).
        account_id: who asked; the only account the link works for.
        requested_at: when (aware, kept in UTC).
        query: what was exported, as text (the filter's JSON, or "all customers").
        format: :class:`ExportFormat`.
        count: how many customers the file holds.
        file_name: the file's name inside the brand's export directory.
        token_hash: SHA-256 hex digest of the download token (left out of repr).
        expires_at: when the link stops working (after ``requested_at``).
        downloaded_at: the latest download, or ``None``.
        downloads: how many times the file was downloaded.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    >>> ExportRecord(
    ...     export_id="E1",
    ...     account_id="u-ana",
    ...     requested_at=at,
    ...     query="all customers",
    ...     format=ExportFormat.CSV,
    ...     count=0,
    ...     file_name="../etc/passwd",
    ...     token_hash="0" * 64,
    ...     expires_at=at,
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: ExportRecord.file_name must be a plain file name inside the export directory (no folder, not hidden), got '../etc/passwd'
    """

    export_id: str = attrs.field(validator=v.text(100))
    account_id: str = attrs.field(validator=v.text(100))
    requested_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    query: str = attrs.field(validator=v.text(20_000, multiline=True))
    format: ExportFormat = attrs.field(validator=v.member_of(ExportFormat))
    count: int = attrs.field(validator=v.integer(min_value=0))
    file_name: str = attrs.field(validator=_file_name)
    token_hash: str = attrs.field(validator=_token_hash, repr=False)
    expires_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    downloaded_at: datetime | None = attrs.field(default=None, converter=v.instant)  # type: ignore[misc]
    downloads: int = attrs.field(default=0, validator=v.integer(min_value=0))

    @expires_at.validator
    def _check_expiry(self, attribute: attrs.Attribute[datetime], value: datetime) -> None:
        if value <= self.requested_at:
            raise ValidationError("ExportRecord.expires_at", value, "must be after requested_at")


def check_download(
    record: ExportRecord | None, token: object, *, account_id: str, now: datetime
) -> None:
    """Whether ``token`` opens ``record`` for ``account_id`` at ``now``; raises if not.

    ``record`` is the export found under the token's hash (``None`` if
    none). In order: the token must hash to ``record.token_hash`` (compared
    with ``hmac.compare_digest``), ``now`` must be before ``expires_at``, and
    ``account_id`` must be the one who asked. Each failure is
    :class:`~otocore.errors.DownloadRefused` with the same message; its
    ``reason`` tells them apart for the log.

    >>> from datetime import UTC, datetime
    >>> at = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
    >>> record = ExportRecord(
    ...     export_id="E1",
    ...     account_id="u-ana",
    ...     requested_at=at,
    ...     query="all customers",
    ...     format=ExportFormat.CSV,
    ...     count=0,
    ...     file_name="E1.csv",
    ...     token_hash=hash_token("t"),
    ...     expires_at=at + timedelta(hours=1),
    ... )
    >>> try:
    ...     check_download(record, "t", account_id="u-ana", now=at + timedelta(hours=1))
    ... except DownloadRefused as refused:
    ...     print(refused.reason)
    expired
    """
    v.require_str("account_id", account_id)
    now = v.require_aware("now", now)
    if record is None or not isinstance(token, str):
        raise DownloadRefused("unknown")
    presented = hash_token(token).encode("ascii")
    if not hmac.compare_digest(presented, record.token_hash.encode("ascii")):
        raise DownloadRefused("unknown")
    if not record.requested_at <= now < record.expires_at:
        raise DownloadRefused("expired")
    if not hmac.compare_digest(account_id.encode("utf-8"), record.account_id.encode("utf-8")):
        raise DownloadRefused("other_account")


# what the data-access log is told ------------------------------------------------------


class ExportAction(enum.Enum):
    """What happened to an export, as the data-access log records it.

    ``requested``: a user exported customers (the file was written, the link
    sent). ``downloaded``: the user downloaded it. ``refused``: a download
    link was presented and did not work (``reason`` says why).

    >>> ExportAction("downloaded")
    <ExportAction.DOWNLOADED: 'downloaded'>
    """

    REQUESTED = "requested"
    DOWNLOADED = "downloaded"
    REFUSED = "refused"


def _optional_reason(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is not None and (type(value) is not str or value not in DownloadRefused.REASONS):
        raise ValidationError(
            "ExportAccess.reason",
            value,
            f"must be None or one of {sorted(DownloadRefused.REASONS)}",
        )


@attrs.frozen(kw_only=True)
class ExportAccess:
    """One event for the data-access log: who did what to which export, when, over how many customers.

    ``query`` is the export's query as text: it may name a CPF (a search by
    CPF), so the log must mask CPFs before it keeps it. A refused download
    of an unknown token has no ``export_id``, ``query`` or ``count``.

    >>> from datetime import UTC, datetime
    >>> ExportAccess(
    ...     action=ExportAction.DOWNLOADED,
    ...     account_id="u-ana",
    ...     at=datetime(2026, 5, 4, 9, tzinfo=UTC),
    ...     export_id="E1",
    ...     query="all customers",
    ...     count=3,
    ... ).action.value
    'downloaded'
    """

    action: ExportAction = attrs.field(validator=v.member_of(ExportAction))
    account_id: str = attrs.field(validator=v.text(100))
    at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    export_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    query: str | None = attrs.field(default=None, validator=v.optional_text(20_000, multiline=True))
    count: int | None = attrs.field(default=None, validator=v.optional_integer(min_value=0))
    reason: str | None = attrs.field(default=None, validator=_optional_reason)
