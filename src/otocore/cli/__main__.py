"""``python -m otocore.cli``: the same as the ``otocore`` command."""

from otocore.cli import run

run()
