"""Invariants of seller codes, links and online attribution (oto-faq.txt, código do vendedor)."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit

from hypothesis import given
from hypothesis import strategies as st

from otocore.errors import OtocoreError, RuleViolation, ValidationError
from otocore.orders import Channel, Order
from otocore.seller_codes import (
    LOOK_ALIKES,
    SAFE_ALPHABET,
    Attribution,
    AttributionOutcome,
    SellerCodePolicy,
    attribute_online_order,
    new_seller_code,
    normalize_code,
    seller_link,
)
from otocore.sellers import Seller, SellerStatus
from otocore.serialization import converter

policies = st.builds(
    SellerCodePolicy,
    alphabet=st.lists(st.sampled_from(SAFE_ALPHABET), min_size=2, max_size=30, unique=True).map(
        "".join
    ),
    length=st.integers(3, 8),
)
small_policies = st.builds(
    SellerCodePolicy,
    alphabet=st.sampled_from(["AB", "XYZ", "2345"]),
    length=st.just(3),
    max_tries=st.just(10_000),
)
codes = st.text(st.sampled_from(SAFE_ALPHABET), min_size=6, max_size=6)


@given(seed=st.integers(0, 2**32), policy=policies)
def test_a_new_code_is_canonical_and_drawn_from_the_policy(
    seed: int, policy: SellerCodePolicy
) -> None:
    code = new_seller_code(random.Random(seed), taken=(), policy=policy)
    assert len(code) == policy.length
    assert set(code) <= set(policy.alphabet)
    assert not set(code) & set(LOOK_ALIKES)
    assert normalize_code(code, policy=policy) == code


@given(seed=st.integers(0, 2**32), policy=small_policies, departed=st.data())
def test_codes_are_unique_and_never_reused(
    seed: int, policy: SellerCodePolicy, departed: st.DataObject
) -> None:
    """Issue codes until the space is full; departures never free a code."""
    rng = random.Random(seed)
    ever_issued: list[str] = []
    active: set[str] = set()
    while len(ever_issued) < policy.space:
        code = new_seller_code(rng, taken=ever_issued, policy=policy)
        assert code not in ever_issued
        ever_issued.append(code)
        active.add(code)
        if departed.draw(st.booleans()):
            active.discard(departed.draw(st.sampled_from(sorted(active))))
    assert len(set(ever_issued)) == policy.space
    try:
        new_seller_code(rng, taken=ever_issued, policy=policy)
    except RuleViolation:
        pass
    else:
        raise AssertionError("a departed seller's code was issued again")


@given(code=codes, noise=st.lists(st.sampled_from([" ", "-", "\t"]), max_size=6), data=st.data())
def test_normalize_undoes_case_and_separators(
    code: str, noise: list[str], data: st.DataObject
) -> None:
    typed = list(code.lower() if data.draw(st.booleans()) else code)
    for sep in noise:
        typed.insert(data.draw(st.integers(0, len(typed))), sep)
    assert normalize_code("".join(typed)) == code


@given(text=st.text(max_size=12))
def test_normalize_only_accepts_safe_codes(text: str) -> None:
    try:
        code = normalize_code(text)
    except ValidationError:
        return
    assert len(code) == 6
    assert set(code) <= set(SAFE_ALPHABET)


query_names = st.one_of(
    st.sampled_from(["utm_source", "utm_medium", "utm_campaign", "utm_content", "vendedor", "q"]),
    st.text(min_size=1, max_size=8),
)
query_pairs = st.lists(st.tuples(query_names, st.text(max_size=8)), max_size=6)


@given(
    pairs=query_pairs,
    code=st.one_of(codes, st.text(min_size=1, max_size=10).filter(str.strip)),
    parameter=st.sampled_from(["vendedor", "seller", "ref do vendedor"]),
    path=st.sampled_from(["", "/", "/colecao/inverno"]),
    fragment=st.sampled_from(["", "#topo"]),
)
def test_link_keeps_every_other_parameter_and_carries_the_code_once(
    pairs: list[tuple[str, str]], code: str, parameter: str, path: str, fragment: str
) -> None:
    query = f"?{urlencode(pairs)}" if pairs else ""
    store_url = f"https://loja.example.com.br{path}{query}{fragment}"
    try:
        link = seller_link(code, store_url, parameter=parameter)
    except ValidationError:
        assert any(ord(c) < 32 or ord(c) == 127 for c in code)
        return
    before, after = urlsplit(store_url), urlsplit(link)
    assert (after.scheme, after.netloc, after.path, after.fragment) == (
        before.scheme,
        before.netloc,
        before.path,
        before.fragment,
    )
    got = parse_qsl(after.query, keep_blank_values=True)
    assert got == [p for p in pairs if p[0] != parameter] + [(parameter, code)]


@given(url=st.text(max_size=40))
def test_link_only_raises_validation_errors(url: str) -> None:
    try:
        link = seller_link("K9X2MP", url)
    except ValidationError:
        return
    assert urlsplit(link).scheme.lower() in {"http", "https"}
    assert link.endswith("vendedor=K9X2MP") or "vendedor=K9X2MP#" in link


sellers = st.lists(
    st.builds(
        Seller,
        code=codes,
        name=st.just("Vendedor"),
        store_id=st.sampled_from(["L01", "L02"]),
        status=st.sampled_from(SellerStatus),
    ),
    max_size=5,
    unique_by=lambda s: s.code,
)


@given(
    team=sellers,
    submitted=st.one_of(st.none(), codes, st.text(max_size=8).filter(str.strip)),
    lower=st.booleans(),
    channel=st.sampled_from(Channel),
)
def test_attribution_credits_exactly_the_active_sellers_codes(
    team: list[Seller], submitted: str | None, lower: bool, channel: Channel
) -> None:
    if submitted is not None and lower:
        submitted = submitted.lower()
    try:
        order = Order(
            order_id="P1",
            customer_id="C1",
            store_id="L01",
            placed_at=datetime(2026, 5, 10, tzinfo=UTC),
            total=Decimal("10.00"),
            seller_code=submitted,
            channel=channel,
        )
    except ValidationError:
        return
    result = attribute_online_order(order, reversed(team))
    assert attribute_online_order(order, team) == result  # order of sellers is irrelevant
    assert result.submitted_code == submitted
    assert result.order.order_id == order.order_id
    if channel is not Channel.ONLINE:
        assert result.outcome is AttributionOutcome.NOT_ONLINE
        assert result.order == order
        return
    active = {s.code for s in team if s.is_active}
    known = {s.code for s in team}
    try:
        canonical: str | None = None if submitted is None else normalize_code(submitted)
    except OtocoreError:
        canonical = submitted
    if submitted is None:
        assert result.outcome is AttributionOutcome.NO_CODE
    elif canonical in active:
        assert result.outcome is AttributionOutcome.CREDITED
        assert result.seller_code == canonical
    elif canonical in known:
        assert result.outcome is AttributionOutcome.INACTIVE_SELLER
    else:
        assert result.outcome is AttributionOutcome.UNKNOWN_CODE
    if result.outcome is not AttributionOutcome.CREDITED:
        assert result.order.seller_code is None
    assert result.seller_code is None or result.seller_code in active


@given(team=sellers, submitted=st.one_of(st.none(), codes), policy=policies)
def test_attribution_and_policy_round_trip_through_the_converter(
    team: list[Seller], submitted: str | None, policy: SellerCodePolicy
) -> None:
    order = Order(
        order_id="P1",
        customer_id="C1",
        store_id="L01",
        placed_at=datetime(2026, 5, 10, tzinfo=UTC),
        total=Decimal("10.00"),
        seller_code=submitted,
        channel=Channel.ONLINE,
    )
    result = attribute_online_order(order, team)
    assert converter.structure(converter.unstructure(result), Attribution) == result
    assert converter.structure(converter.unstructure(policy), SellerCodePolicy) == policy
