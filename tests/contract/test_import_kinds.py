"""Importing consent, blocks and contacts gives the same stored rows on every store (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from _support.builders import SAMPLES
from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.importing import ImportFailed, import_directory, import_file
from otocore.repositories import UnitOfWork

ATTENDANCE = SAMPLES / "attendance"
UowFactory = Any


def logs(uow: UnitOfWork) -> tuple[list[Any], list[Any], list[Any]]:
    with uow:
        return (
            list(uow.consent.iter_all()),
            list(uow.blocks.iter_all()),
            list(uow.contacts.iter_since(datetime.min.replace(tzinfo=UTC))),
        )


def test_the_attendance_samples_import_alike_and_again_change_nothing(
    make_uow: UowFactory,
) -> None:
    memory = InMemoryUnitOfWork()
    import_directory(memory, SAMPLES)
    import_directory(memory, ATTENDANCE)
    uow = make_uow()
    import_directory(uow, SAMPLES)
    first = import_directory(uow, ATTENDANCE)
    stored = logs(uow)
    second = import_directory(uow, ATTENDANCE)
    assert logs(uow) == stored == logs(memory)
    assert [(s.imported, s.duplicates) for s in first] == [
        (s.imported, s.duplicates) for s in second
    ]
    assert [len(found) for found in stored] == [6, 3, 3]


def test_a_changed_fact_under_a_stored_id_is_refused_and_nothing_stays(
    make_uow: UowFactory, tmp_path: Path
) -> None:
    uow = make_uow()
    import_directory(uow, SAMPLES)
    import_directory(uow, ATTENDANCE)
    stored = logs(uow)
    consent = ATTENDANCE.joinpath("consent.csv").read_text(encoding="utf-8")
    changed = tmp_path / "consent.csv"
    changed.write_text(consent.replace("OPT-0002,C001,email,true", "OPT-0002,C001,email,false"))
    with pytest.raises(ImportFailed, match="OPT-0002") as refused:
        import_file(uow, changed)
    assert refused.value.lines == (3, 3)
    blocks = ATTENDANCE.joinpath("blocks.csv").read_text(encoding="utf-8")
    unblocked = tmp_path / "blocks.csv"
    unblocked.write_text(blocks.replace("voltou a aceitar o Conecta", "outro motivo"))
    with pytest.raises(ImportFailed, match="BLQ-02") as refused:
        import_file(uow, unblocked)
    assert refused.value.lines == (3, 3)
    contacts = ATTENDANCE.joinpath("contacts.csv").read_text(encoding="utf-8")
    edited = tmp_path / "contacts.csv"
    edited.write_text(contacts.replace("Gostou do vestido azul", "Gostou do vestido verde"))
    with pytest.raises(ImportFailed, match="'AT-0001' is already registered") as info:
        import_file(uow, edited)
    assert info.value.lines == (2, 2)
    assert logs(uow) == stored
