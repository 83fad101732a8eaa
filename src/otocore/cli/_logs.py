"""``otocore audit``: verify the chained logs, export their head, make and rotate log keys.

The audit log, the customer history and the data-access log are MAC-chained
under log keys that live outside the database (docs/logs.md). The keys come from
``--key-file`` or the ``OTOCORE_LOG_KEY_FILE`` variable (a key file: every key,
one current), or ``OTOCORE_LOG_KEY`` (one key, ``KEY_ID:BASE64_SECRET``).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from otocore.cli._access_log import read_access_log
from otocore.cli._common import DbOption, console, open_db, usage_error
from otocore.cli._keys import configured_log_keys, read_key_file

audit_app = typer.Typer(
    help="The chained logs (audit, customer history, data access): verify, export the head,"
    " make and rotate log keys.",
    no_args_is_help=True,
)

LOGS = ("audit", "customer_history", "data_access")
KeyFileOption = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        metavar="FILE",
        help="The log key file (default: OTOCORE_LOG_KEY_FILE, or the key in OTOCORE_LOG_KEY).",
    ),
]


def _keys(key_file: Path | None) -> Any:
    from otocore.errors import ConfigurationError

    keys = configured_log_keys(key_file)
    if keys is None:
        raise ConfigurationError(
            "no log keys are configured: give --key-file FILE, or set OTOCORE_LOG_KEY_FILE"
            " or OTOCORE_LOG_KEY (docs/logs.md)"
        )
    return keys


def _read_head(path: Path) -> Any:
    from otocore.errors import ConfigurationError
    from otocore.ledger import parse_head

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(
            f"cannot read the head file {path} ({type(exc).__name__})"
        ) from None
    return parse_head(text.strip())


def _verify(uow: Any, log: str, keys: Any, head: Any) -> tuple[Any, str]:
    from otocore.access import verify_audit_log
    from otocore.history import verify_access_log, verify_history

    if log == "audit":
        count = uow.audit.count()
        audit = verify_audit_log(uow.audit.iter_all(), keys=keys, head=head)
        unkeyed = count - audit.macs_checked
        note = f"{count} entries"
        if audit.ok and unkeyed:
            note += f" ({unkeyed} written before the log had a key, sealed by the first keyed one)"
        return audit, note
    if log == "customer_history":
        history = verify_history(uow.customer_history.iter_all(), keys=keys, head=head)
        note = f"{history.entries} entries"
        if history.redacted:
            note += f" ({len(history.redacted)} redacted)"
        return history, note
    access = verify_access_log(uow.access_log.iter_all(), keys=keys, head=head)
    return access, f"{access.entries} entries"


@audit_app.command("verify")
def _audit_verify(
    db: DbOption,
    head: Annotated[
        list[Path] | None,
        typer.Option(
            "--head",
            metavar="FILE",
            help="A head exported by `otocore audit head`; repeat it for several logs.",
        ),
    ] = None,
    key_file: KeyFileOption = None,
) -> None:
    """Verify the three logs' MAC chains (and the exported heads); exit 1 at the first break.

    A head detects what the chain alone cannot: entries cut from the end, or
    a log rewritten whole by someone holding a key.
    """
    from otocore.errors import OtocoreError

    keys = _keys(key_file)
    heads: dict[str, Any] = {}
    for path in head or []:
        parsed = _read_head(path)
        if parsed.log in heads:
            raise usage_error(f"--head: two heads of the {parsed.log} log")
        heads[parsed.log] = parsed
    out = console()
    with open_db(db).unit_of_work() as uow:
        for log in LOGS:
            result, note = _verify(uow, log, keys, heads.get(log))
            if not result.ok:
                raise OtocoreError(f"the {log} log does not verify: {result.problem}")
            checked = " and its head" if log in heads else ""
            out.print(f"{log}: ok{checked}, {note}", markup=False)


@audit_app.command("head")
def _audit_head(
    db: DbOption,
    out: Annotated[Path, typer.Option("--out", metavar="FILE", help="Where to write the head.")],
    log: Annotated[
        str, typer.Option("--log", help="audit, customer_history or data_access.")
    ] = "audit",
) -> None:
    """Export the head (last sequence, key id and MAC) of a log as one line of JSON.

    Keep it where the database's writers cannot change it; `otocore audit
    verify --head FILE` checks the log against it later.
    """
    from otocore.access import audit_head
    from otocore.errors import OtocoreError
    from otocore.history import access_head, history_head
    from otocore.ledger import LogHead, dump_head

    if log not in LOGS:
        raise typer.BadParameter(f"--log must be one of {', '.join(LOGS)}, got {log!r}")
    with open_db(db).unit_of_work() as uow:
        repository = {
            "audit": uow.audit,
            "customer_history": uow.customer_history,
            "data_access": uow.access_log,
        }[log]
        tail = repository.tail()
    if tail is None:
        raise OtocoreError(f"the {log} log is empty: there is no head to export")
    exporter: dict[str, Callable[[Any], LogHead]] = {
        "audit": audit_head,
        "customer_history": history_head,
        "data_access": access_head,
    }
    text = dump_head(exporter[log](tail))
    try:
        out.write_text(text + "\n", encoding="utf-8")
    except OSError as exc:
        raise OtocoreError(f"cannot write {out} ({type(exc).__name__}: {exc.strerror})") from None
    console().print(f"{log} head at entry {tail.sequence} written to {out}", markup=False)


@audit_app.command("new-key")
def _audit_new_key(
    key_id: Annotated[str, typer.Argument(help="The new key's id, e.g. 2026-06.")],
    key_file: Annotated[
        Path, typer.Option("--key-file", metavar="FILE", help="The key file to create or rotate.")
    ],
) -> None:
    """Make a new log key: create the key file, or rotate (the new key becomes current).

    The older keys stay in the file, to verify the entries they MACed. The
    file holds secrets: it is written readable by its owner only.
    """
    from otocore.errors import OtocoreError
    from otocore.ledger import LogKeyring, dump_keyring, new_log_key, require_key_id

    require_key_id("KEY_ID", key_id)
    old: list[Any] = []
    if key_file.exists():
        ring = read_key_file(key_file)
        if key_id in ring.keys:
            raise usage_error(f"{key_file} already has a key {key_id!r}; choose a new id")
        old = list(ring.keys.values())
    keys = LogKeyring.of(new_log_key(key_id), *old)
    partial = key_file.with_name(key_file.name + ".new")
    try:
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(dump_keyring(keys) + "\n")
        partial.replace(key_file)
    except OSError as exc:
        raise OtocoreError(
            f"cannot write {key_file} ({type(exc).__name__}: {exc.strerror})"
        ) from None
    kept = f", keeping {len(old)} older key(s) for verification" if old else ""
    console().print(f"log key {key_id} is now current in {key_file}{kept}", markup=False)


audit_app.command("access-log")(read_access_log)
