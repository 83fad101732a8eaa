"""The errors of an import: a bad row, a rejected file, a store that refused valid rows.

Private: the names are public from :mod:`otocore.importing`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from otocore.errors import RuleViolation, ValidationError

MAX_LISTED_ROWS = 20
"""How many bad rows an :class:`ImportRejected` lists (the rest are counted)."""


class RowError(ValidationError):
    """One fault of one row of an import file.

    ``field`` is the column name (``"(row)"`` for a fault of the whole row,
    such as malformed CSV or JSON), ``value`` the cell as found in the file,
    ``rule`` what would be valid; ``file`` and ``line`` say where. ``line`` is
    the physical line the row starts on (the CSV header is line 1).

    >>> err = RowError(file="orders.csv", line=7, field="total", value="-3", rule="must be >= 0")
    >>> print(err)
    orders.csv line 7: total must be >= 0, got '-3'
    >>> err.field, err.line
    ('total', 7)
    """

    file: str
    line: int

    def __init__(self, *, file: str, line: int, field: str, value: Any, rule: str) -> None:
        super().__init__(field, value, rule)
        self.file = file
        self.line = line
        self.args = (f"{file} line {line}: {field} {rule}, got {value!r}",)


class ImportRejected(ValidationError):
    """A file (or a directory's files) that was not imported because of bad rows.

    ``errors`` lists the faults of the first :data:`MAX_LISTED_ROWS` bad
    rows, each a :class:`RowError`; ``bad_rows`` counts every bad row and
    ``files`` names every file that has one. ``field``, ``value`` and
    ``rule`` are those of the first fault.

    >>> err = ImportRejected(
    ...     [RowError(file="s.csv", line=2, field="name", value=None, rule="is required")],
    ...     bad_rows=3,
    ... )
    >>> print(err)
    3 bad rows in s.csv, nothing imported:
      s.csv line 2: name is required, got None
      ... and 2 more bad rows
    >>> err.bad_rows, err.files
    (3, ('s.csv',))
    """

    errors: tuple[RowError, ...]
    bad_rows: int
    files: tuple[str, ...]

    def __init__(
        self,
        errors: Sequence[RowError],
        *,
        bad_rows: int | None = None,
        files: Sequence[str] = (),
    ) -> None:
        if not errors:
            raise ValueError("ImportRejected needs at least one RowError")
        first = errors[0]
        super().__init__(first.field, first.value, first.rule)
        listed_rows = len({(e.file, e.line) for e in errors})
        self.errors = tuple(errors)
        self.bad_rows = listed_rows if bad_rows is None else bad_rows
        self.files = tuple(dict.fromkeys([*(e.file for e in errors), *files]))
        noun = "row" if self.bad_rows == 1 else "rows"
        lines = [f"{self.bad_rows} bad {noun} in {', '.join(self.files)}, nothing imported:"]
        lines += [f"  {e}" for e in errors]
        more = self.bad_rows - listed_rows
        if more > 0:
            lines.append(f"  ... and {more} more bad row{'s' if more > 1 else ''}")
        self.args = ("\n".join(lines),)


class ImportFailed(RuleViolation):
    """The store refused rows that were valid on their own (a constraint, a limit).

    Nothing of the file was imported. ``file`` names it; ``lines`` is the
    first and last line of what the store refused: one row when the store
    said which, else the batch; ``None`` when it refused the whole
    transaction at commit.

    >>> print(ImportFailed("orders.csv", (2, 5001), "FOREIGN KEY constraint failed"))
    orders.csv lines 2-5001: the store refused the rows (FOREIGN KEY constraint failed); nothing was imported
    """

    file: str
    lines: tuple[int, int] | None
    reason: str

    def __init__(self, file: str, lines: tuple[int, int] | None, reason: str) -> None:
        self.file = file
        self.lines = lines
        self.reason = reason
        if lines is None:
            where, what = file, "the rows"
        elif lines[0] == lines[1]:
            where, what = f"{file} line {lines[0]}", "the row"
        else:
            where, what = f"{file} lines {lines[0]}-{lines[1]}", "the rows"
        super().__init__(f"{where}: the store refused {what} ({reason}); nothing was imported")


def cap(errors: list[RowError]) -> list[RowError]:
    """The faults of the first :data:`MAX_LISTED_ROWS` bad rows of ``errors``."""
    listed: list[RowError] = []
    seen: set[tuple[str, int]] = set()
    for err in errors:
        key = (err.file, err.line)
        if key not in seen and len(seen) >= MAX_LISTED_ROWS:
            break
        seen.add(key)
        listed.append(err)
    return listed
