"""Run the command line in-process and capture what it printed (the CLI tests' ``_run``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from otocore.adapters.sql import Database, open_database
from otocore.cli import main

__all__ = ["LOG_KEY", "keyed_brand", "run"]

LOG_KEY = "k1:" + "A" * 43 + "="
"""A fixed test log key, as ``OTOCORE_LOG_KEY`` holds one (``KEY_ID:BASE64``)."""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``otocore ARGV...`` in this process: its exit code, and what it printed to stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def keyed_brand(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Database]:
    """A new brand file (``brand.sqlite``, migrated) and the log key the command line reads.

    The commands that write the chained logs (the SAC edit, an export, an LGPD action)
    need the brand's log key: this sets ``OTOCORE_LOG_KEY`` to :data:`LOG_KEY` (and
    unsets ``OTOCORE_LOG_KEY_FILE``) for the test. The caller seeds the database and
    closes it.
    """
    monkeypatch.delenv("OTOCORE_LOG_KEY_FILE", raising=False)
    monkeypatch.setenv("OTOCORE_LOG_KEY", LOG_KEY)
    path = tmp_path / "brand.sqlite"
    return path, open_database(str(path), upgrade=True)
