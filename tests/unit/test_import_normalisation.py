"""An import parses and checks each row once, and each e-mail and phone once per value (issue 11).

The libraries are wrapped to count their calls while a file is imported:
every row names the same non-canonical e-mail and phone (which take the
libraries' path, not the shortcuts for canonical values), so one call each
is all the import may make, whatever the number of rows.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import phonenumbers
import pytest

from otocore import customers as c
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.importing import ImportRejected, _rows, import_file

HEADER = "customer_id,name,registered_at,email,mobile\n"


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    counted: Counter[str] = Counter()
    c._email_verdict.cache_clear()
    c._e164_verdict.cache_clear()

    def wrap(name: str, target: Any, attribute: str) -> None:
        real = getattr(target, attribute)

        def counting(*args: Any, **kwargs: Any) -> Any:
            counted[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(target, attribute, counting)

    wrap("validate_email", c, "validate_email")
    wrap("phonenumbers.parse", phonenumbers, "parse")
    return counted


def _customers(path: Path, n: int, *, bad_last: bool = False) -> Path:
    lines = [HEADER]
    for i in range(1, n + 1):
        name = "" if bad_last and i == n else f"Cliente {i}"
        lines.append(
            f"C{i},{name},2026-05-10T15:30:00-03:00,Ana.Souza@Example.COM,(11) 98765-4321\n"
        )
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_each_email_and_phone_goes_to_its_library_once(tmp_path: Path, calls: Counter[str]) -> None:
    summary = import_file(InMemoryUnitOfWork(), _customers(tmp_path / "customers.csv", 300))
    assert summary.imported == 300
    assert calls["validate_email"] == 2  # the address, then its lowercase form (stable)
    assert calls["phonenumbers.parse"] == 1


def test_each_good_row_is_built_once_and_never_by_the_careful_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: Counter[str] = Counter()
    schema = _rows.SCHEMAS["customers"]
    quick, careful = schema.quick, schema.careful

    def count_quick(*args: Any) -> Any:
        built["quick"] += 1
        return quick(*args)

    def count_careful(*args: Any) -> Any:
        built["careful"] += 1
        return careful(*args)

    monkeypatch.setitem(
        _rows.SCHEMAS,
        "customers",
        _rows.Schema(
            kind=schema.kind,
            columns=schema.columns,
            required=schema.required,
            careful=count_careful,
            quick=count_quick,
        ),
    )
    path = _customers(tmp_path / "customers.csv", 250, bad_last=True)
    with pytest.raises(ImportRejected, match="name is required"):
        import_file(InMemoryUnitOfWork(), path)
    assert built == Counter(quick=250, careful=1)  # one pass; only the bad row read twice
