"""Properties of the registry search: formattings, accents and case, paging, memory = SQL."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from otocore.adapters.memory import InMemoryUnitOfWork
from otocore.adapters.sql import Database, open_database
from otocore.customers import Cpf, Customer, Mobile
from otocore.errors import ValidationError
from otocore.search import (
    CustomerQuery,
    CustomerStats,
    PageRequest,
    SearchField,
    SearchHit,
    Sort,
    SortKey,
    name_key,
    name_tokens,
    rank,
    sort_hits,
)
from otocore.testing import cpfs, customers, mobiles

WHEN = datetime(2026, 1, 1, tzinfo=UTC)
SEPARATORS = st.sampled_from(["", "", " ", ".", "-", "/"])


def _person(name: str = "Ana", **fields: object) -> Customer:
    return Customer(customer_id="C1", name=name, registered_at=WHEN, **fields)  # type: ignore[arg-type]


@given(cpf=cpfs(), data=st.data())
def test_any_formatting_of_a_stored_cpf_finds_it(cpf: Cpf, data: st.DataObject) -> None:
    seps = [data.draw(SEPARATORS) for _ in cpf.digits]
    text = "".join(d + s for d, s in zip(cpf.digits, seps, strict=True))
    text = (
        data.draw(st.sampled_from(["", " "]))
        + text.strip(".-/")
        + data.draw(st.sampled_from(["", " "]))
    )
    query = CustomerQuery.parse(text)
    assert (SearchField.CPF, cpf.digits) in [(c.field, c.key) for c in query.criteria]
    assert query.matches(_person(cpf=cpf))
    if "/" not in text:  # as a CPF field: the separators a CPF is written with
        assert CustomerQuery.parse(text, field=SearchField.CPF).matches(_person(cpf=cpf))


def _national(mobile: Mobile) -> list[str]:
    ddd, first, last = mobile.e164[3:5], mobile.e164[5:10], mobile.e164[10:]
    return [
        f"({ddd}) {first}-{last}",
        f"{ddd}{first}{last}",
        f"0{ddd} {first} {last}",
        f"+55 {ddd} {first}-{last}",
        f"+55{ddd}{first}{last}",
        f"55 ({ddd}) {first}{last}",
        mobile.formatted,
    ]


@given(mobile=mobiles(), data=st.data())
def test_any_brazilian_formatting_of_a_stored_mobile_finds_it(
    mobile: Mobile, data: st.DataObject
) -> None:
    text = data.draw(st.sampled_from(_national(mobile)))
    query = CustomerQuery.parse(text)
    assert query.matches(_person(mobile=mobile)), text
    assert CustomerQuery.parse(text, field=SearchField.MOBILE).matches(_person(mobile=mobile))


_LETTERS = st.sampled_from("aeioucnAEIOUCNbdlmrstz")
_ACCENTS = ("\u0301", "\u0300", "\u0302", "\u0303", "\u0308", "\u0327")
_WORDS = st.lists(st.text(_LETTERS, min_size=1, max_size=8), min_size=1, max_size=4)


@given(words=_WORDS, data=st.data())
def test_accent_and_case_variants_of_a_name_find_it(words: list[str], data: st.DataObject) -> None:
    stored = unicodedata.normalize("NFC", " ".join(words))

    def variant(word: str) -> str:
        out = []
        for letter in word:
            typed = letter.upper() if data.draw(st.booleans()) else letter.lower()
            if data.draw(st.booleans()):
                typed += data.draw(st.sampled_from(_ACCENTS))
            out.append(typed)
        return unicodedata.normalize(data.draw(st.sampled_from(["NFC", "NFD"])), "".join(out))

    chosen = data.draw(st.lists(st.sampled_from(words), min_size=1, max_size=len(words)))
    typed = " ".join(variant(w)[: max(1, data.draw(st.integers(1, len(w))))] for w in chosen)
    typed = unicodedata.normalize("NFC", typed)
    query = CustomerQuery.parse(typed, field=SearchField.NAME)
    assert query.matches(_person(name=stored)), (typed, stored)


@given(st.text(max_size=60))
def test_the_name_key_is_stable(text: str) -> None:
    key = name_key(text)
    assert name_key(key) == key
    assert key == " ".join(name_tokens(text))
    assert key == key.strip()
    assert "  " not in key


@given(st.text(max_size=200), st.none() | st.sampled_from(SearchField))
def test_a_query_is_read_or_refused_with_a_validation_error(
    text: str, field: SearchField | None
) -> None:
    refused: ValidationError | None = None
    try:
        query = CustomerQuery.parse(text, field=field)
    except ValidationError as exc:
        refused = exc
    if refused is not None:
        assert field is not None
        assert refused.field == "query"
        return
    assert query.text == text
    if field is None and text.strip():
        assert not query.everyone


@settings(max_examples=50)
@given(
    people=st.lists(customers(), min_size=0, max_size=12, unique_by=lambda c: c.customer_id),
    visits=st.lists(st.integers(0, 3), min_size=12, max_size=12),
    key=st.sampled_from(SortKey),
    descending=st.booleans(),
    size=st.integers(1, 5),
)
def test_pages_cover_every_match_exactly_once_in_order(
    people: list[Customer], visits: list[int], key: SortKey, descending: bool, size: int
) -> None:
    hits = [
        SearchHit(customer=c, stats=CustomerStats(visits=n))
        for c, n in zip(people, visits, strict=False)
    ]
    sort = Sort(key=key, descending=descending)
    whole = sort_hits(hits, sort)
    pages = []
    number = 1
    while True:
        page = rank(hits, sort=sort, page=PageRequest(number=number, size=size))
        assert page.total == len(hits)
        if not page.hits:
            break
        pages.extend(page.hits)
        number += 1
    assert pages == whole
    assert len({h.customer.customer_id for h in pages}) == len(hits)
    assert number - 1 == page.pages


@pytest.fixture(scope="module")
def sqlite() -> Iterator[Database]:
    db = open_database(":memory:", upgrade=True)
    yield db
    db.close()


@settings(max_examples=40, deadline=None)
@given(
    people=st.lists(customers(), min_size=1, max_size=10, unique_by=lambda c: c.customer_id),
    data=st.data(),
)
def test_memory_and_sqlite_give_the_same_page(
    sqlite: Database, people: list[Customer], data: st.DataObject
) -> None:
    someone = data.draw(st.sampled_from(people))
    words = name_tokens(someone.name)
    texts = ["", someone.name]
    if words:
        texts.append(" ".join(w[:2] for w in words))
    if someone.cpf is not None:
        texts.append(someone.cpf.formatted)
    if someone.rg is not None:
        texts.append(someone.rg)
    query = CustomerQuery.parse(data.draw(st.sampled_from(texts)))
    sort = Sort(key=data.draw(st.sampled_from(SortKey)), descending=data.draw(st.booleans()))
    page = PageRequest(number=data.draw(st.integers(1, 3)), size=data.draw(st.integers(1, 4)))
    memory = InMemoryUnitOfWork()
    sql = sqlite.unit_of_work()
    for uow in (memory, sql):
        with uow:
            uow.customers.add_many(people)
    try:
        with memory:
            expected = memory.customer_search.search(query, sort=sort, page=page)
        with sql:
            assert sql.customer_search.search(query, sort=sort, page=page) == expected
            assert sql.customer_search.matching_ids(query) == sorted(
                c.customer_id for c in people if query.matches(c)
            )
    finally:
        with sqlite.engine.begin() as conn:
            conn.exec_driver_sql("DELETE FROM customers")
