""".xlsx exports through the writer process: the same file, no file left on failure, no process left.

A large .xlsx export runs XlsxWriter in a second Python process
(``otocore.exporting._xlsx_process``) fed through a pipe. These tests check that the
workbook is part for part the one written in this process, that the automatic choice
starts the process only past ``PROCESS_AFTER`` rows on two CPUs or more, and that every
way it can fail (the rows, the writer, the interpreter) leaves no file and no process.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otocore.customers import Customer
from otocore.errors import OtocoreError
from otocore.exporting import _writers, write_customers
from otocore.exports import ExportFormat
from otocore.testing import customers

AT = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)


def _odd(customer_id: str, name: str) -> Customer:
    """A record as a store without the validators may rebuild it (any text in the name)."""
    person = Customer(customer_id=customer_id, name="Ana", registered_at=AT)
    odd = attrs.evolve(person)
    object.__setattr__(odd, "name", name)
    return odd


def _parts(path: Path) -> dict[str, bytes]:
    """Every part of the workbook but its creation time (docProps/core.xml)."""
    with zipfile.ZipFile(path) as book:
        return {n: book.read(n) for n in book.namelist() if n != "docProps/core.xml"}


class _Spy:
    """Wraps ``subprocess.Popen`` to keep the writer processes a test started."""

    def __init__(self) -> None:
        self.children: list[subprocess.Popen[bytes]] = []
        self._popen = subprocess.Popen

    def __call__(self, *args: Any, **kwargs: Any) -> subprocess.Popen[bytes]:
        child = self._popen(*args, **kwargs)
        self.children.append(child)
        return child


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> _Spy:
    watcher = _Spy()
    monkeypatch.setattr(subprocess, "Popen", watcher)
    return watcher


odd_names = st.text(st.characters(codec="utf-8"), min_size=1, max_size=12)


@settings(max_examples=8, deadline=None)
@given(
    st.lists(customers(), max_size=4, unique_by=lambda c: c.customer_id),
    st.lists(odd_names, max_size=3),
)
def test_the_writer_process_writes_the_same_workbook(
    people: list[Customer], names: list[str]
) -> None:
    people = people + [_odd(f"Z{n}", name) for n, name in enumerate(names)]
    with tempfile.TemporaryDirectory() as folder:
        here, there = Path(folder) / "here.xlsx", Path(folder) / "there.xlsx"
        here_count = write_customers(
            here, people, file_format=ExportFormat.XLSX, writer_process=False
        )
        there_count = write_customers(
            there, people, file_format=ExportFormat.XLSX, writer_process=True
        )
        assert here_count == there_count == len(people)
        assert _parts(here) == _parts(there)


def test_progress_through_the_writer_process(tmp_path: Path, spy: _Spy) -> None:
    many = [Customer(customer_id=f"C{n:05d}", name="Ana", registered_at=AT) for n in range(2500)]
    seen: list[int] = []
    path = tmp_path / "many.xlsx"
    assert (
        write_customers(
            path, many, file_format=ExportFormat.XLSX, on_progress=seen.append, writer_process=True
        )
        == 2500
    )
    assert seen == [1000, 2000, 2500]
    assert len(spy.children) == 1
    assert spy.children[0].returncode == 0
    assert _parts(path)["xl/worksheets/sheet1.xml"].count(b"<row ") == 2501


def test_the_process_starts_only_past_the_threshold_on_two_cpus(
    tmp_path: Path, spy: _Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_writers, "PROCESS_AFTER", 5)
    monkeypatch.setattr(_writers, "_cpus", lambda: 2)
    few = [Customer(customer_id=f"C{n}", name="Ana", registered_at=AT) for n in range(4)]
    five = [*few, Customer(customer_id="C4", name="Bia", registered_at=AT)]
    write_customers(tmp_path / "few.xlsx", few, file_format=ExportFormat.XLSX)
    assert spy.children == []
    write_customers(tmp_path / "five.xlsx", five, file_format=ExportFormat.XLSX)
    assert len(spy.children) == 1
    sheet = _parts(tmp_path / "five.xlsx")["xl/worksheets/sheet1.xml"]
    assert sheet.count(b"<row ") == 6
    assert b"Bia" in sheet  # the rows held back to decide went to the process too
    monkeypatch.setattr(_writers, "_cpus", lambda: 1)
    write_customers(tmp_path / "one-cpu.xlsx", five, file_format=ExportFormat.XLSX)
    assert len(spy.children) == 1  # one CPU: written here
    write_customers(
        tmp_path / "never.xlsx", five, file_format=ExportFormat.XLSX, writer_process=False
    )
    assert len(spy.children) == 1


def test_a_failure_of_the_rows_stops_the_process_and_leaves_no_file(
    tmp_path: Path, spy: _Spy
) -> None:
    class Boom(Exception):
        pass

    def failing() -> Iterator[Customer]:
        for n in range(1500):
            yield Customer(customer_id=f"C{n}", name="Ana", registered_at=AT)
        raise Boom

    with pytest.raises(Boom):
        write_customers(
            tmp_path / "x.xlsx", failing(), file_format=ExportFormat.XLSX, writer_process=True
        )
    assert list(tmp_path.iterdir()) == []
    (child,) = spy.children
    assert child.returncode is not None  # killed and reaped, not left running


def test_a_failure_of_the_writer_is_one_otocore_error_and_leaves_no_file(
    tmp_path: Path, spy: _Spy
) -> None:
    folder = tmp_path / "out"
    folder.mkdir()

    def vanishing() -> Iterator[Customer]:
        for n in range(1500):
            if n == 1200:  # the folder goes away while the writer is still writing
                for entry in folder.iterdir():
                    entry.unlink()
                folder.rmdir()
            yield Customer(customer_id=f"C{n}", name="Ana", registered_at=AT)

    with pytest.raises(OtocoreError, match=r"clientes\.xlsx: the \.xlsx writer stopped: "):
        write_customers(
            folder / "clientes.xlsx",
            vanishing(),
            file_format=ExportFormat.XLSX,
            writer_process=True,
        )
    assert not folder.exists()
    (child,) = spy.children
    assert child.returncode == 1


def test_without_an_interpreter_to_start_the_export_is_written_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    people = [Customer(customer_id=f"C{n}", name="Ana", registered_at=AT) for n in range(3)]
    write_customers(
        tmp_path / "here.xlsx", people, file_format=ExportFormat.XLSX, writer_process=False
    )
    monkeypatch.setattr(sys, "executable", str(tmp_path / "no-such-python"))
    there = tmp_path / "there.xlsx"
    assert write_customers(there, people, file_format=ExportFormat.XLSX, writer_process=True) == 3
    assert _parts(there) == _parts(tmp_path / "here.xlsx")
    monkeypatch.setattr(sys, "executable", "")
    monkeypatch.setattr(_writers, "PROCESS_AFTER", 1)
    monkeypatch.setattr(_writers, "_cpus", lambda: 2)
    spy = _Spy()
    monkeypatch.setattr(subprocess, "Popen", spy)
    write_customers(tmp_path / "auto.xlsx", people, file_format=ExportFormat.XLSX)
    assert spy.children == []  # no interpreter known: not even tried


def test_the_writer_finds_xlsxwriter_where_the_caller_did(tmp_path: Path, spy: _Spy) -> None:
    import pickle

    import xlsxwriter

    from otocore.exporting import _xlsx_process

    library = str(Path(xlsxwriter.__file__).resolve().parents[1])
    feed = b"".join(pickle.dumps(part) for part in (("clientes", ("id",)), [("C1",)], None))
    # -S: an interpreter without its site-packages, so without XlsxWriter of its own
    for extra, status in (((), 1), ((library,), 0)):
        out = tmp_path / f"x{len(extra)}.xlsx"
        done = subprocess.run(  # noqa: S603 - this interpreter and otocore's own script
            [sys.executable, "-P", "-S", _xlsx_process.__file__, str(out), *extra],
            input=feed,
            capture_output=True,
            check=False,
        )
        assert done.returncode == status, done.stderr
        assert out.exists() is (status == 0)
    assert (
        b"No module named 'xlsxwriter'"
        in subprocess.run(  # noqa: S603 - the same
            [sys.executable, "-P", "-S", _xlsx_process.__file__, str(tmp_path / "y.xlsx")],
            input=feed,
            capture_output=True,
            check=False,
        ).stderr
    )
    # and the export passes the folder it found XlsxWriter in
    people = [Customer(customer_id="C1", name="Ana", registered_at=AT)]
    write_customers(tmp_path / "z.xlsx", people, file_format=ExportFormat.XLSX, writer_process=True)
    assert spy.children[-1].args[-1] == library  # type: ignore[index]


def test_writer_process_is_true_false_or_none(tmp_path: Path) -> None:
    from otocore.adapters.mail import InMemoryMailer
    from otocore.adapters.memory import InMemoryDatabase
    from otocore.clock import FixedClock
    from otocore.errors import ValidationError
    from otocore.exporting import ExportService
    from otocore.exports import ExportPolicy

    with pytest.raises(ValidationError, match="writer_process must be True, False or None"):
        write_customers(tmp_path / "x.xlsx", [], file_format=ExportFormat.XLSX, writer_process=1)  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(ValidationError, match="writer_process must be True, False or None"):
        ExportService(
            InMemoryDatabase().unit_of_work,
            mailer=InMemoryMailer(),
            clock=FixedClock(AT),
            policy=ExportPolicy(base_url="https://admin.example.com"),
            directory=tmp_path,
            writer_process="yes",  # type: ignore[arg-type]
        )
