"""A customers import writes the customer history (reason IMPORT), on every store.

Issue 15: "every change is written to an append-only history: which field, old and new
value, who, when, why (SAC call, customer request, import)", and "the history replays to
the current record". A base of customers is imported, then changed rows (CSV or .xlsx,
some customers unchanged, some with one field changed, some wholly new values, some new
customers): replaying the history over each customer's first stored record gives the
stored record; a new customer has no entry; every entry says import, who and when.
An unchanged re-import writes nothing; a rolled-back import writes nothing.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.clock import FixedClock
from otocore.customers import Customer
from otocore.errors import ConfigurationError
from otocore.history import HistoryReason
from otocore.importing import (
    CUSTOMER_COLUMNS,
    ImportRejected,
    RecordKind,
    import_directory,
    import_file,
    to_cells,
)
from otocore.privacy import replay_history
from otocore.repositories import UnitOfWork
from otocore.testing import cpfs, customers, emails, mobiles

UowFactory = Callable[[], UnitOfWork]
FIXTURES = settings(suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
NOW = datetime(2026, 12, 1, 15, tzinfo=UTC)


def write(path: Path, people: list[Customer]) -> Path:
    """``people`` as a customers file: CSV or .xlsx, by ``path``'s suffix."""
    table = [to_cells(c) for c in people]
    if path.suffix == ".xlsx":
        book = openpyxl.Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(list(CUSTOMER_COLUMNS))
        for row in table:
            sheet.append([row.get(c) for c in CUSTOMER_COLUMNS])
        book.save(path)
        return path
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CUSTOMER_COLUMNS)
    for row in table:
        writer.writerow(["" if row.get(c) is None else row[c] for c in CUSTOMER_COLUMNS])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def changed(customer: Customer) -> st.SearchStrategy[Customer]:
    """``customer`` unchanged, with one field changed, or with wholly new values."""
    return st.one_of(
        st.just(customer),
        customers(customer_id=st.just(customer.customer_id)),
        st.sampled_from(["Ana Lima", "Bruno Souza"]).map(lambda n: attrs.evolve(customer, name=n)),
        (st.none() | emails()).map(lambda e: attrs.evolve(customer, email=e)),
        (st.none() | mobiles()).map(lambda m: attrs.evolve(customer, mobile=m)),
        (st.none() | cpfs()).map(lambda c: attrs.evolve(customer, cpf=c)),
    )


def stored(uow: UnitOfWork) -> dict[str, Customer]:
    with uow:
        return {c.customer_id: c for c in uow.customers.list()}


def history(uow: UnitOfWork) -> list[Any]:
    with uow:
        return list(uow.customer_history.iter_all())


BASES = st.lists(customers(), min_size=1, max_size=5, unique_by=lambda c: c.customer_id)
SUFFIXES = st.sampled_from([".csv", ".xlsx"])


@settings(FIXTURES, max_examples=25)
@given(base=BASES, data=st.data(), first_suffix=SUFFIXES)
def test_the_history_replays_to_the_current_record_after_imports(
    make_uow: UowFactory, base: list[Customer], data: st.DataObject, first_suffix: str
) -> None:
    uow = make_uow()
    folder = Path(tempfile.mkdtemp())
    clock = FixedClock(NOW)
    import_file(uow, write(folder / f"customers{first_suffix}", base), clock=clock)
    first = stored(uow)  # each base customer as first stored
    assert history(uow) == []  # new customers are their own first record
    rounds = data.draw(st.integers(1, 2), label="rounds")
    current = dict(first)
    for n in range(rounds):
        rows = [data.draw(changed(c), label=f"round {n}") for c in current.values()]
        drawn = data.draw(
            st.lists(customers(), max_size=2, unique_by=lambda c: c.customer_id),
            label="new customers",
        )
        fresh = [c for c in drawn if c.customer_id not in current]
        suffix = data.draw(SUFFIXES, label="suffix")
        before = len(history(uow))
        import_file(uow, write(folder / f"round{n}{suffix}", rows + fresh), RecordKind.CUSTOMERS,
                    clock=clock, actor="u-importer")  # fmt: skip
        now = stored(uow)
        written = history(uow)[before:]
        # one entry per changed field, in file order, old and new as the file's cells
        expected = [
            (c.customer_id, field, old, new)
            for c in rows
            for field, old, new in _diff(current[c.customer_id], now[c.customer_id])
        ]
        assert [(e.customer_id, e.field, e.old_value, e.new_value) for e in written] == expected
        assert all(e.reason is HistoryReason.IMPORT for e in written)
        assert {e.actor for e in written} <= {"u-importer"}
        assert {e.at for e in written} <= {NOW}
        assert not {e.customer_id for e in written} & {c.customer_id for c in fresh}
        first.update((c.customer_id, now[c.customer_id]) for c in fresh)  # first stored now
        current = now
    entries = history(uow)
    final = stored(uow)
    assert set(first) == set(final)
    for customer_id, record in first.items():
        assert replay_history(record, entries) == final[customer_id]


def _diff(before: Customer, after: Customer) -> list[tuple[str, str | None, str | None]]:
    old, new = to_cells(before), to_cells(after)
    return [(k, old[k], new[k]) for k in old if old[k] != new[k]]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_an_unchanged_reimport_writes_nothing(make_uow: UowFactory, suffix: str) -> None:
    uow = make_uow()
    people = [Customer(customer_id=f"C{i}", name=f"Ana {i}", registered_at=NOW) for i in range(3)]
    path = write(Path(tempfile.mkdtemp()) / f"customers{suffix}", people)
    import_file(uow, path)
    summary = import_file(uow, path)
    assert summary.imported == 3
    assert history(uow) == []


def test_a_rolled_back_import_writes_no_entry(make_uow: UowFactory) -> None:
    uow = make_uow()
    folder = Path(tempfile.mkdtemp())
    ana = Customer(customer_id="C1", name="Ana", registered_at=NOW)
    bia = Customer(customer_id="C2", name="Bia", registered_at=NOW)
    import_file(uow, write(folder / "customers.csv", [ana, bia]))
    path = folder / "changed.csv"
    write(path, [attrs.evolve(ana, name="Ana Souza"), attrs.evolve(bia, name="Bia Lima")])
    with path.open("a", encoding="utf-8") as f:  # a bad third row: all or nothing
        f.write("C3,Caio,,,,,,,,2026-05-10 15:00,,,,\r\n")
    with pytest.raises(ImportRejected, match="registered_at"):
        import_file(uow, path, RecordKind.CUSTOMERS, batch_size=1)  # the good rows were flushed
    assert history(uow) == []
    assert stored(uow) == {"C1": ana, "C2": bia}


def test_a_directory_import_writes_the_history_of_its_customers_file(
    make_uow: UowFactory,
) -> None:
    uow = make_uow()
    folder = Path(tempfile.mkdtemp())
    ana = Customer(customer_id="C1", name="Ana", registered_at=NOW)
    import_file(uow, write(folder / "first.csv", [ana]), RecordKind.CUSTOMERS)
    directory = folder / "brand"
    directory.mkdir()
    write(directory / "clientes.xlsx", [attrs.evolve(ana, name="Ana Souza")])
    import_directory(uow, directory, actor="u-7", clock=FixedClock(NOW))
    [entry] = history(uow)
    assert (entry.field, entry.old_value, entry.new_value, entry.actor, entry.at) == (
        "name",
        "Ana",
        "Ana Souza",
        "u-7",
        NOW,
    )


def test_without_log_keys_a_changing_import_is_refused_whole() -> None:
    """As the SAC edit: the history is MAC-chained; a store without keys cannot write it."""
    uow = InMemoryUnitOfWork()  # no log keys
    folder = Path(tempfile.mkdtemp())
    ana = Customer(customer_id="C1", name="Ana", registered_at=NOW)
    import_file(uow, write(folder / "customers.csv", [ana]))  # new customers need no key
    bia = Customer(customer_id="C2", name="Bia", registered_at=NOW)
    path = write(folder / "changed.csv", [bia, attrs.evolve(ana, email=None, name="Ana Souza")])
    with pytest.raises(
        ConfigurationError, match=r"changed.csv line 3 changes stored customer 'C1' \(name\)"
    ):
        import_file(uow, path, RecordKind.CUSTOMERS)
    assert stored(uow) == {"C1": ana}  # nothing imported, not even the new customer


def test_append_many_chains_as_append_does(make_uow: UowFactory) -> None:
    """The import's bulk append: the same entries, MACs included, as one append at a time."""
    from otocore.history import HistoryChange, seal_change, verify_history
    from otocore.testing.storage import CONTRACT_LOG_KEYS

    changes = [
        HistoryChange(
            customer_id=f"C{i % 2}",
            field="name",
            old_value=f"Ana {i}",
            new_value=f"Ana {i + 1}",
            actor="import",
            at=NOW,
            reason=HistoryReason.IMPORT,
        )
        for i in range(3)
    ]
    expected, tail = [], None
    for change in changes:  # what append() one at a time seals
        tail = seal_change(change, tail=tail, key=CONTRACT_LOG_KEYS.current_key)
        expected.append(tail)
    uow = make_uow()
    with uow.writing():
        assert uow.customer_history.append_many([]) == []
        assert uow.customer_history.append_many(changes) == expected
        assert uow.customer_history.append(changes[0]).sequence == 4
    entries = history(uow)
    assert entries[:3] == expected
    assert verify_history(entries, keys=CONTRACT_LOG_KEYS).ok


def test_skip_invalid_writes_the_history_of_the_good_rows(make_uow: UowFactory) -> None:
    uow = make_uow()
    folder = Path(tempfile.mkdtemp())
    ana = Customer(customer_id="C1", name="Ana", registered_at=NOW)
    import_file(uow, write(folder / "customers.csv", [ana]))
    path = write(folder / "changed.csv", [attrs.evolve(ana, name="Ana Souza")])
    with path.open("a", encoding="utf-8") as f:
        f.write("C2,,2026-05-10T15:00:00+00:00,,,,,,,,,,,\r\n")  # no name: rejected
    summary = import_file(uow, path, RecordKind.CUSTOMERS, skip_invalid=True, actor="u-9")
    assert (summary.imported, summary.rejected) == (1, 1)
    assert [(e.field, e.new_value, e.actor) for e in history(uow)] == [("name", "Ana Souza", "u-9")]


@pytest.mark.parametrize("actor", ["", "  ", "x" * 201, 7])
def test_a_bad_actor_is_refused_before_anything_is_read(actor: Any) -> None:
    from otocore.errors import ValidationError

    path = write(Path(tempfile.mkdtemp()) / "customers.csv", [])
    with pytest.raises(ValidationError, match=r"^actor "):
        import_file(InMemoryUnitOfWork(), path, actor=actor)
