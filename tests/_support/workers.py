"""The start line of the multi-process workers (``tests/contract/_*_worker.py``).

A test starts every worker, waits until each printed ``ready``, then creates the
go file, so that all of them begin their work at the same moment.
"""

from __future__ import annotations

import time
from pathlib import Path


def wait_for_go(go: str, *, timeout: float = 60) -> None:
    """Print ``ready``, then return once the file ``go`` exists (exit after ``timeout`` s).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile() as go:
    ...     wait_for_go(go.name)
    ready
    """
    print("ready", flush=True)  # noqa: T201
    deadline = time.monotonic() + timeout
    while not Path(go).exists():
        if time.monotonic() > deadline:
            raise SystemExit("never told to go")
        time.sleep(0.005)
