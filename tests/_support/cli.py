"""Run the command line in-process and capture what it printed (the CLI tests' ``_run``)."""

from __future__ import annotations

import pytest

from otocore.cli import main

__all__ = ["run"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """``otocore ARGV...`` in this process: its exit code, and what it printed to stdout and stderr."""
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
