"""The export service: write the file, keep the record, e-mail the link, redeem it. Private."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Protocol

import attrs

from otocore import _validate as v
from otocore.access import Principal
from otocore.auth import hash_token, issue_token
from otocore.clock import Clock
from otocore.customers import Customer, Email
from otocore.errors import DownloadRefused, OtocoreError, PermissionDenied, ValidationError
from otocore.exporting._selection import DEFAULT_PAGE_SIZE, Selection
from otocore.exporting._writers import Progress, write_customers
from otocore.exports import (
    ExportAccess,
    ExportAction,
    ExportFormat,
    ExportPolicy,
    ExportRecord,
    check_download,
    download_link,
)
from otocore.history import AccessAction, AccessEvent
from otocore.mail import Mailer, export_ready_message
from otocore.repositories import UnitOfWork

_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


class AccessRecorder(Protocol):
    """Where each request and each download is written: the data-access log.

    Called inside the unit of work that stores the export (or counts the
    download), with that unit of work, so the log entry and the change
    commit together; an exception from it undoes both. A refused download
    is recorded in a block of its own.

    >>> events = []
    >>> def recorder(uow, event):
    ...     events.append(event)
    >>> isinstance(recorder, object)
    True
    """

    def __call__(self, uow: UnitOfWork, event: ExportAccess) -> None:
        """Record ``event``."""
        ...


_NO_DIGITS = str.maketrans("0123456789", "ghijklmnop")

_ACCESS_ACTIONS = {
    ExportAction.REQUESTED: AccessAction.EXPORT_REQUESTED,
    ExportAction.DOWNLOADED: AccessAction.EXPORT_DOWNLOADED,
    ExportAction.REFUSED: AccessAction.EXPORT_REFUSED,
}


def record_in_access_log(uow: UnitOfWork, event: ExportAccess) -> None:
    """The default :class:`AccessRecorder`: one entry of ``uow.access_log`` per event.

    Who (the account id), when, what (``export_requested``, ``export_downloaded`` or
    ``export_refused``), the export's query (CPFs masked by the log), how many
    customers, and the export's id and the refusal's reason as the detail. The
    store must be opened with the brand's log keys (:mod:`otocore.ledger`); without
    them the append, and so the export, fails with a ConfigurationError.

    >>> from datetime import UTC, datetime
    >>> from otocore.adapters.memory import InMemoryDatabase
    >>> from otocore.ledger import LogKey, LogKeyring
    >>> database = InMemoryDatabase(
    ...     log_keys=LogKeyring.of(LogKey(key_id="k1", secret=bytes(range(32))))
    ... )
    >>> uow = database.unit_of_work()
    >>> with uow.writing():
    ...     record_in_access_log(
    ...         uow,
    ...         ExportAccess(
    ...             action=ExportAction.REQUESTED,
    ...             account_id="u-ana",
    ...             at=datetime(2026, 5, 4, 9, tzinfo=UTC),
    ...             export_id="E1",
    ...             query="cpf = 529.982.247-25",
    ...             count=1,
    ...         ),
    ...     )
    ...     entry = uow.access_log.tail()
    ...     uow.commit()
    >>> entry.action.value, entry.query, entry.customers, entry.detail
    ('export_requested', 'cpf = ***.982.247-**', 1, 'export E1')
    """
    detail = "" if event.export_id is None else f"export {event.export_id}"
    if event.reason is not None:
        detail = f"{detail}; {event.reason}" if detail else event.reason
    uow.access_log.append(
        AccessEvent(
            actor=event.account_id,
            at=event.at,
            action=_ACCESS_ACTIONS[event.action],
            query=event.query or "",
            customers=event.count or 0,
            detail=detail,
        )
    )


@attrs.frozen(kw_only=True)
class ExportReceipt:
    """What a request returns: the export's id, how many customers, the file, where the link went.

    Never the token: it is only in the e-mail.

    >>> from datetime import UTC, datetime
    >>> ExportReceipt(
    ...     export_id="E1",
    ...     count=2,
    ...     path=Path("exports/E1-clientes.csv"),
    ...     sent_to=Email("ana@example.com"),
    ...     expires_at=datetime(2026, 5, 5, 9, tzinfo=UTC),
    ... ).count
    2
    """

    export_id: str
    count: int
    path: Path
    sent_to: Email
    expires_at: datetime


def _counted(pages: Iterator[list[Customer]], seen: list[int]) -> Iterator[Customer]:
    for page in pages:
        seen[0] += len(page)
        yield from page


class ExportService:
    """Customer exports as Altegio hands them over: a file, and a link e-mailed to the requester.

    Args:
        uow_factory: a zero-argument callable returning a new unit of work.
        mailer: sends the link (:class:`~otocore.mail.Mailer`).
        clock: "now" for the record and the link's expiry.
        policy: the brand's base address, link life and exporting roles.
        directory: the brand's export directory; files are written here and
            nowhere else.
        record_access: the data-access log's hook (:class:`AccessRecorder`); by
            default :func:`record_in_access_log`, the store's data-access log.
        rng_bytes: the random source of ids and tokens (``secrets.token_bytes``).
        writer_process: whether a .xlsx export runs XlsxWriter in a process of its
            own (:func:`write_customers`): ``None`` (the default) for a large export on
            two CPUs or more, ``False`` never (a host where a library must not start
            processes), ``True`` always.

    The flow of :meth:`request`: check the role, write the file (streaming,
    one page of customers at a time, all read in one block so the count is
    that of one snapshot), store the :class:`~otocore.exports.ExportRecord`
    and call ``record_access`` in one block, then e-mail the link to the
    requester's own login e-mail. :meth:`download` checks a token and returns
    the file's path.
    """

    def __init__(
        self,
        uow_factory: Callable[[], UnitOfWork],
        *,
        mailer: Mailer,
        clock: Clock,
        policy: ExportPolicy,
        directory: str | Path,
        record_access: AccessRecorder = record_in_access_log,
        rng_bytes: Callable[[int], bytes] = secrets.token_bytes,
        writer_process: bool | None = None,
    ) -> None:
        if not callable(uow_factory):
            raise ValidationError("uow_factory", uow_factory, "must be a callable")
        self._uow_factory = uow_factory
        self._mailer = mailer
        self._clock = clock
        self._policy = v.require_instance("policy", policy, ExportPolicy)
        self._directory = Path(directory)
        if not callable(record_access):
            raise ValidationError("record_access", record_access, "must be a callable")
        self._record_access = record_access
        self._rng_bytes = rng_bytes
        if writer_process is not None:
            v.require_bool("writer_process", writer_process, rule="must be True, False or None")
        self._writer_process = writer_process

    @property
    def directory(self) -> Path:
        """The export directory."""
        return self._directory

    def _now(self) -> datetime:
        return v.require_aware("clock.now()", self._clock.now())

    def request(
        self,
        principal: Principal,
        selection: Selection,
        *,
        file_format: ExportFormat,
        name: str = "clientes",
        on_progress: Progress | None = None,
        on_total: Callable[[int | None], None] | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
    ) -> ExportReceipt:
        """Export ``selection`` for ``principal``: write the file, record it, e-mail the link.

        Args:
            principal: who asks; needs one of ``policy.roles``.
            selection: which customers (:class:`Selection`).
            file_format: csv or xlsx.
            name: the file's name as the user gave it (its letters, digits,
                ``.``, ``_`` and ``-`` are kept after the export's id).
            on_progress: called with the rows written so far.
            on_total: called once, before writing, with ``selection.total``.
            page_size: customers read at a time.

        Returns:
            The :class:`ExportReceipt` (never the token).

        Raises:
            PermissionDenied: the principal's roles may not export.
            NotFound: the principal's account is not stored.
            OtocoreError: the file could not be written, or the e-mail not
                sent (the export is then recorded, and its file kept).
        """
        v.require_instance("principal", principal, Principal)
        if not isinstance(selection, Selection):
            raise ValidationError("selection", selection, "must be a Selection")
        v.require_instance("file_format", file_format, ExportFormat)
        v.require_text("name", name, max_length=100)
        if not principal.roles & self._policy.roles:
            allowed = ", ".join(sorted(r.value for r in self._policy.roles))
            raise PermissionDenied(
                f"account {principal.account_id!r} may not export customers (needs: {allowed})"
            )
        now = self._now()
        # 128 random bits as 32 letters a-p: no digits, so no run of them can ever read as a
        # CPF that the data-access log would mask (a hex id did, once in a few hundred)
        export_id = self._rng_bytes(16).hex().translate(_NO_DIGITS)
        token, token_record = issue_token(
            now=now, ttl=self._policy.link_ttl, rng_bytes=self._rng_bytes
        )
        stem = _UNSAFE_NAME.sub("_", Path(name).stem).strip("._") or "clientes"
        file_name = f"{export_id}-{stem[:60]}.{file_format.value}"
        path = self._directory / file_name
        query = selection.describe()
        uow = self._uow_factory()
        with uow:
            to = uow.accounts.get(principal.account_id).email
            if on_total is not None:
                on_total(selection.total(uow))
            seen = [0]
            count = write_customers(
                path,
                _counted(selection.pages(uow, page_size=page_size), seen),
                file_format=file_format,
                on_progress=on_progress,
                writer_process=self._writer_process,
            )
        record = ExportRecord(
            export_id=export_id,
            account_id=principal.account_id,
            requested_at=now,
            query=query,
            format=file_format,
            count=count,
            file_name=file_name,
            token_hash=token_record.token_hash,
            expires_at=token_record.expires_at,
        )
        event = ExportAccess(
            action=ExportAction.REQUESTED,
            account_id=principal.account_id,
            at=now,
            export_id=export_id,
            query=query,
            count=count,
        )
        try:
            with uow.writing():
                uow.exports.add(record)
                self._record_access(uow, event)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        message = export_ready_message(
            to,
            link=download_link(self._policy, token),
            valid_for=self._policy.link_ttl,
            count=count,
            file_format=file_format.value,
        )
        try:
            self._mailer.send(message)
        except OSError as exc:  # an SMTP failure (smtplib's errors are OSErrors): say what was kept
            raise OtocoreError(
                f"export {export_id} was written ({count} customers), but its link could not"
                f" be e-mailed ({type(exc).__name__}: {exc}); ask for the export again"
            ) from None
        return ExportReceipt(
            export_id=export_id,
            count=count,
            path=path,
            sent_to=to,
            expires_at=token_record.expires_at,
        )

    def download(self, token: str, principal: Principal) -> Path:
        """The file of the export whose link holds ``token``, for ``principal`` only.

        The token must hash to a stored export's hash (constant-time
        comparison), the link must not have expired, the principal must be
        the one who asked, and the file must still be in the export
        directory. The download is counted and logged; a refusal is logged
        too (with its reason) and raised.

        Raises:
            DownloadRefused: any of the above fails (one message; ``reason``).
        """
        v.require_instance("principal", principal, Principal)
        now = self._now()
        uow = self._uow_factory()
        found: ExportRecord | None = None
        try:
            with uow:
                if isinstance(token, str):
                    found = uow.exports.find(hash_token(token))
            check_download(found, token, account_id=principal.account_id, now=now)
            assert found is not None  # noqa: S101 - check_download refuses None
            path = self._directory / found.file_name
            if not path.is_file():
                raise DownloadRefused("file_missing")
        except DownloadRefused as refused:
            event = ExportAccess(
                action=ExportAction.REFUSED,
                account_id=principal.account_id,
                at=now,
                export_id=None if found is None or refused.reason == "unknown" else found.export_id,
                reason=refused.reason,
            )
            with uow.writing():
                self._record_access(uow, event)
            raise
        with uow.writing():
            uow.exports.record_download(found.export_id, now)
            self._record_access(
                uow,
                ExportAccess(
                    action=ExportAction.DOWNLOADED,
                    account_id=principal.account_id,
                    at=now,
                    export_id=found.export_id,
                    query=found.query,
                    count=found.count,
                ),
            )
        return path
