"""Import progress: reported to the caller's callback, never drawn by the service.

``otocore.importing`` imports no terminal library; the command line draws its
progress bar from the :class:`ImportProgress` values the callback receives.
"""

from __future__ import annotations

import ast
import gzip
from pathlib import Path

import pytest

from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.cli import main
from otocore.cli._import import progress_bar
from otocore.errors import ValidationError
from otocore.importing import (
    ImportProgress,
    ImportRejected,
    ImportStage,
    RecordKind,
    import_directory,
    import_file,
)

SRC = Path(__file__).resolve().parents[2] / "src" / "otocore"
ORDER_HEADER = "order_id,customer_id,store_id,placed_at,total\n"


def orders(path: Path, n: int, *, bad: frozenset[int] = frozenset()) -> Path:
    lines = [ORDER_HEADER]
    for i in range(1, n + 1):
        total = "1.234,56" if i in bad else "10.00"
        lines.append(f"P{i},C1,L01,2026-05-10T15:30:00-03:00,{total}\n")
    path.write_text("".join(lines), encoding="utf-8")
    return path


def stored(uow: InMemoryUnitOfWork) -> int:
    with uow:
        return uow.orders.count()


class Boom(Exception):
    pass


def test_the_importing_package_imports_no_terminal_library() -> None:
    for path in sorted((SRC / "importing").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] in {"rich", "typer", "click"} for n in names), path


def test_default_mode_reads_the_file_once_reporting_one_importing_pass(tmp_path: Path) -> None:
    path = orders(tmp_path / "orders.csv", 2500)
    seen: list[ImportProgress] = []
    summary = import_file(InMemoryUnitOfWork(), path, progress=seen.append, check_references=False)
    assert summary.imported == 2500
    size = path.stat().st_size
    steps = [(p.stage, p.rows_read, p.rows_total, p.done) for p in seen]
    assert steps == [  # each row is parsed and checked once, as it is written (issue 11)
        (ImportStage.IMPORTING, 0, None, False),
        (ImportStage.IMPORTING, 1000, None, False),
        (ImportStage.IMPORTING, 2000, None, False),
        (ImportStage.IMPORTING, 2500, None, True),
    ]
    assert {(p.file, p.kind, p.bytes_total) for p in seen} == {(path, RecordKind.ORDERS, size)}
    read = [p.bytes_read for p in seen]
    assert read == sorted(read)
    assert read[0] == 0
    assert read[-1] == size


def test_gzip_progress_counts_the_compressed_bytes(tmp_path: Path) -> None:
    plain = orders(tmp_path / "plain.csv", 10)
    path = tmp_path / "orders.csv.gz"
    path.write_bytes(gzip.compress(plain.read_bytes()))
    seen: list[ImportProgress] = []
    import_file(InMemoryUnitOfWork(), path, progress=seen.append, check_references=False)
    assert {p.bytes_total for p in seen} == {path.stat().st_size}
    assert seen[-1].bytes_read == path.stat().st_size
    assert seen[-1].rows_read == 10


def test_skip_invalid_reads_once_and_counts_bad_rows_as_read(tmp_path: Path) -> None:
    path = orders(tmp_path / "orders.csv", 3, bad=frozenset({2}))
    seen: list[ImportProgress] = []
    summary = import_file(
        InMemoryUnitOfWork(), path, skip_invalid=True, progress=seen.append, check_references=False
    )
    assert (summary.imported, summary.rejected) == (2, 1)
    assert [(p.stage, p.rows_read, p.rows_total, p.done) for p in seen] == [
        (ImportStage.IMPORTING, 0, None, False),
        (ImportStage.IMPORTING, 3, None, True),
    ]


def test_a_rejected_file_is_read_to_its_end_and_nothing_is_written(tmp_path: Path) -> None:
    path = orders(tmp_path / "orders.csv", 3, bad=frozenset({2}))
    seen: list[ImportProgress] = []
    uow = InMemoryUnitOfWork()
    with pytest.raises(ImportRejected, match=r"has 6 cells but the header has 5 columns"):
        import_file(uow, path, progress=seen.append)
    assert [(p.stage, p.rows_read, p.done) for p in seen] == [
        (ImportStage.IMPORTING, 0, False),
        (ImportStage.IMPORTING, 3, True),
    ]
    assert stored(uow) == 0


def test_a_directory_is_read_file_by_file_once(tmp_path: Path) -> None:
    (tmp_path / "stores.csv").write_text("store_id,name\nL01,Centro\n", encoding="utf-8")
    orders(tmp_path / "orders.csv", 2)
    seen: list[ImportProgress] = []
    import_directory(InMemoryUnitOfWork(), tmp_path, progress=seen.append)
    finished = [(p.stage.value, p.file.name, p.rows_read, p.rows_total) for p in seen if p.done]
    assert finished == [
        ("importing", "stores.csv", 1, None),
        ("importing", "orders.csv", 2, None),
    ]


@pytest.mark.parametrize(
    ("stage", "skip_invalid"),
    [(ImportStage.IMPORTING, False), (ImportStage.IMPORTING, True)],
)
def test_a_callback_that_raises_stops_the_import_and_nothing_is_written(
    tmp_path: Path, stage: ImportStage, skip_invalid: bool
) -> None:
    path = orders(tmp_path / "orders.csv", 1500)

    def stop(progress: ImportProgress) -> None:
        if progress.stage is stage and progress.rows_read == 1000:
            raise Boom

    uow = InMemoryUnitOfWork()
    with pytest.raises(Boom):
        import_file(uow, path, skip_invalid=skip_invalid, batch_size=100, progress=stop)
    assert stored(uow) == 0


@pytest.mark.parametrize("progress", [True, False, "bar", 1])
def test_progress_must_be_a_callable_or_none(tmp_path: Path, progress: object) -> None:
    path = orders(tmp_path / "orders.csv", 1)
    with pytest.raises(ValidationError) as caught:
        import_file(InMemoryUnitOfWork(), path, progress=progress)  # type: ignore[arg-type]
    assert caught.value.field == "progress"
    with pytest.raises(ValidationError, match=r"^progress must be None or a callable"):
        import_directory(InMemoryUnitOfWork(), tmp_path, progress=progress)  # type: ignore[arg-type]


def test_the_command_line_bar_draws_nothing_before_the_first_report(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "brand.sqlite")
    assert main(["db", "upgrade", db]) == 0
    capsys.readouterr()
    code = main(["import", str(tmp_path / "missing.csv"), "--db", db])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == f"error: File '{tmp_path / 'missing.csv'}' not found\n"


def test_the_command_line_bar_follows_the_reports(tmp_path: Path) -> None:
    path = orders(tmp_path / "orders.csv", 1)
    with progress_bar(False) as none:
        assert none is None
    with progress_bar(True) as draw:
        assert draw is not None
        summary = import_file(InMemoryUnitOfWork(), path, progress=draw, check_references=False)
    assert summary.imported == 1
