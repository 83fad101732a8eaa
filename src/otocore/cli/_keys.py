"""The log keys the command line opens databases with: ``OTOCORE_LOG_KEY_FILE`` or ``OTOCORE_LOG_KEY``."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

KEY_FILE_VARIABLE = "OTOCORE_LOG_KEY_FILE"
"""The path of the key file (JSON: the current key's id and every key's base64 secret)."""
KEY_VARIABLE = "OTOCORE_LOG_KEY"
"""One key as ``KEY_ID:BASE64_SECRET`` (no older keys: rotating needs the key file)."""


def read_key_file(path: Path) -> Any:
    """The keyring in the key file ``path``; a ConfigurationError naming it when unreadable."""
    from otocore.errors import ConfigurationError
    from otocore.ledger import parse_keyring

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(
            f"cannot read the log key file {path} ({type(exc).__name__}: {_reason(exc)})"
        ) from None
    return parse_keyring(text)


def _reason(exc: OSError | UnicodeDecodeError) -> str:
    if isinstance(exc, OSError):
        return str(exc.strerror or exc)
    return "not UTF-8 text"


def configured_log_keys(key_file: Path | None = None) -> Any:
    """The keyring configured for this run, or ``None`` when none is.

    ``key_file`` (an option) wins over ``OTOCORE_LOG_KEY_FILE``; setting a key file and
    ``OTOCORE_LOG_KEY`` together is a ConfigurationError (which one would append?).
    """
    from otocore.errors import ConfigurationError
    from otocore.ledger import LogKeyring, parse_key

    path = key_file
    if path is None and os.environ.get(KEY_FILE_VARIABLE, "").strip():
        path = Path(os.environ[KEY_FILE_VARIABLE].strip())
    single = os.environ.get(KEY_VARIABLE, "").strip()
    if path is not None and single:
        raise ConfigurationError(
            f"both a log key file ({path}) and {KEY_VARIABLE} are set; set only one"
            " (the key file holds every key, the variable one)"
        )
    if path is not None:
        return read_key_file(path)
    if single:
        return LogKeyring.of(parse_key(single))
    return None
