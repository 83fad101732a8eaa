"""Código do vendedor (oto-faq.txt, "Para que serve o código do vendedor?").

"O código do vendedor é uma poderosa ferramenta para direcionar os clientes
através de um QR Code para a loja online da marca, atrelando a venda online ao
vendedor da loja física."
"""

from __future__ import annotations

import io
import random
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime
from decimal import Decimal
from urllib.parse import parse_qsl, urlsplit

import pytest
import zxingcpp
from PIL import Image

from otocore.distribution import preferred_seller
from otocore.errors import RuleViolation, ValidationError
from otocore.orders import Channel, Order, OrderStatus
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
    seller_qr_png,
    seller_qr_svg,
)
from otocore.sellers import Seller, SellerStatus

STORE = "https://loja.example.com.br/colecao?utm_source=oto&utm_medium=qrcode&utm_campaign=inverno"
ANA = Seller(code="K9X2MP", name="Ana Souza", store_id="L01")
BRUNO = Seller(code="T4W7RC", name="Bruno", store_id="L02", status=SellerStatus.INACTIVE)
CARLA = Seller(code="V01", name="Carla", store_id="L01")  # a code carried over from the ERP
TEAM = [ANA, BRUNO, CARLA]


def _order(
    code: str | None,
    *,
    channel: Channel = Channel.ONLINE,
    order_id: str = "P1",
    day: int = 10,
    customer: str = "C1",
) -> Order:
    return Order(
        order_id=order_id,
        customer_id=customer,
        store_id="L01",
        placed_at=datetime(2026, 5, day, 15, tzinfo=UTC),
        total=Decimal("199.90"),
        seller_code=code,
        channel=channel,
    )


def _decode(png: bytes) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


# --- the alphabet --------------------------------------------------------------


def test_alphabet_has_no_look_alike_characters() -> None:
    assert not set(SAFE_ALPHABET) & set("0O1IL" + "U")
    assert set(LOOK_ALIKES) == set("0O1ILU")
    assert len(SAFE_ALPHABET) == len(set(SAFE_ALPHABET)) == 30
    assert set(SAFE_ALPHABET) == set("23456789ABCDEFGHJKMNPQRSTVWXYZ")


@pytest.mark.parametrize("alphabet", ["AB0", "O2", "AI", "L3", "U9", "ab", "AA", "A", ""])
def test_policy_refuses_look_alikes_repeats_and_tiny_alphabets(alphabet: str) -> None:
    with pytest.raises(ValidationError) as err:
        SellerCodePolicy(alphabet=alphabet)
    assert err.value.field == "SellerCodePolicy.alphabet"


@pytest.mark.parametrize(("length", "ok"), [(2, False), (3, True), (16, True), (17, False)])
def test_policy_length_bounds(length: int, ok: bool) -> None:
    if ok:
        assert SellerCodePolicy(length=length).length == length
    else:
        with pytest.raises(ValidationError, match=r"SellerCodePolicy\.length"):
            SellerCodePolicy(length=length)


def test_default_policy_is_six_characters_of_the_safe_alphabet() -> None:
    policy = SellerCodePolicy()
    assert (policy.alphabet, policy.length, policy.space) == (SAFE_ALPHABET, 6, 30**6)


# --- drawing codes -------------------------------------------------------------


def test_new_code_is_short_safe_and_reproducible_with_a_seed() -> None:
    code = new_seller_code(random.Random(2026), taken=[])
    assert len(code) == 6
    assert set(code) <= set(SAFE_ALPHABET)
    assert new_seller_code(random.Random(2026), taken=[]) == code
    assert normalize_code(code) == code


def test_new_code_skips_taken_codes_including_departed_sellers() -> None:
    first = new_seller_code(random.Random(5), taken=[])
    again = new_seller_code(random.Random(5), taken=[first])
    assert again != first
    # Taken codes are compared in canonical form: a lower-case, hyphenated record still blocks.
    blocked = f"{first[:3].lower()}-{first[3:].lower()}"
    assert new_seller_code(random.Random(5), taken=[blocked]) != first


def test_tiny_space_is_filled_then_exhausted() -> None:
    tiny = SellerCodePolicy(alphabet="AB", length=3, max_tries=10_000)
    rng = random.Random(0)
    issued: list[str] = []
    for _ in range(tiny.space):
        issued.append(new_seller_code(rng, taken=issued, policy=tiny))
    assert len(set(issued)) == 8
    with pytest.raises(RuleViolation, match="all 8 seller codes"):
        new_seller_code(rng, taken=issued, policy=tiny)


def test_nearly_full_space_gives_up_after_max_tries() -> None:
    tiny = SellerCodePolicy(alphabet="AB", length=3, max_tries=1)
    every = sorted(a + b + c for a in "AB" for b in "AB" for c in "AB")
    free = every.pop()
    seeds = [
        s for s in range(50) if new_seller_code(random.Random(s), taken=[], policy=tiny) != free
    ]
    with pytest.raises(RuleViolation, match="1 draws in a row"):
        new_seller_code(random.Random(seeds[0]), taken=every, policy=tiny)


def test_legacy_codes_in_taken_are_ignored_not_rejected() -> None:
    assert len(new_seller_code(random.Random(1), taken=["V01", "loja-01"])) == 6


@pytest.mark.parametrize(
    ("rng", "taken"),
    [(None, []), (42, []), (random.Random(1), "ABCDEF"), (random.Random(1), [1])],
)
def test_new_code_bad_input(rng: object, taken: object) -> None:
    with pytest.raises(ValidationError):
        new_seller_code(rng, taken=taken)  # type: ignore[arg-type]


# --- normalizing what a person typed ------------------------------------------


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [("K9X2MP", "K9X2MP"), ("k9x2mp", "K9X2MP"), ("k9x-2mp", "K9X2MP"), (" K9X 2MP\t", "K9X2MP")],
)
def test_normalize_ignores_case_spaces_and_hyphens(typed: str, canonical: str) -> None:
    assert normalize_code(typed) == canonical


@pytest.mark.parametrize("typed", ["K9X2M0", "K9X2MO", "K9X2M1", "K9X2MI", "K9X2ML", "K9X2MU"])
def test_normalize_refuses_look_alikes_instead_of_guessing(typed: str) -> None:
    with pytest.raises(ValidationError, match="never used") as err:
        normalize_code(typed)
    assert (err.value.field, err.value.value) == ("code", typed)


@pytest.mark.parametrize("typed", ["", "K9X2M", "K9X2MPP", "K9X2M!", "K9X2MÉ", None, 123])
def test_normalize_refuses_malformed_codes(typed: object) -> None:
    with pytest.raises(ValidationError):
        normalize_code(typed)  # type: ignore[arg-type]


def test_normalize_follows_the_policy() -> None:
    policy = SellerCodePolicy(alphabet="ABC", length=4)
    assert normalize_code("ab-ca", policy=policy) == "ABCA"
    with pytest.raises(ValidationError):
        normalize_code("ABCD", policy=policy)


# --- the link ---------------------------------------------------------------


def test_link_keeps_utm_tags_and_adds_vendedor() -> None:
    link = seller_link("K9X2MP", STORE)
    assert link == STORE + "&vendedor=K9X2MP"
    assert parse_qsl(urlsplit(link).query) == [
        ("utm_source", "oto"),
        ("utm_medium", "qrcode"),
        ("utm_campaign", "inverno"),
        ("vendedor", "K9X2MP"),
    ]


def test_link_replaces_an_existing_seller_parameter() -> None:
    link = seller_link("K9X2MP", "https://loja.example.com.br/?vendedor=T4W7RC&utm_source=oto")
    assert link == "https://loja.example.com.br/?utm_source=oto&vendedor=K9X2MP"


def test_link_parameter_name_is_configurable() -> None:
    link = seller_link("K9X2MP", "https://loja.example.com.br/?vendedor=X", parameter="seller")
    assert link == "https://loja.example.com.br/?vendedor=X&seller=K9X2MP"


def test_link_keeps_path_and_fragment_and_encodes_the_code() -> None:
    link = seller_link("V 01&x", "http://loja.example.com.br:8080/a/b#destaque")
    assert link == "http://loja.example.com.br:8080/a/b?vendedor=V+01%26x#destaque"


@pytest.mark.parametrize(
    "url",
    [
        "ftp://loja.example.com.br/",
        "javascript:alert(1)",
        "loja.example.com.br",
        "/colecao",
        "https://",
        "https://loja example.com.br/",
        "https://loja.example.com.br:porta/",
        "https://[::1/",
        "",
        None,
    ],
)
def test_link_refuses_anything_but_http_addresses(url: object) -> None:
    with pytest.raises(ValidationError) as err:
        seller_link("K9X2MP", url)  # type: ignore[arg-type]
    assert err.value.field == "store_url"


@pytest.mark.parametrize(("code", "parameter"), [("", "vendedor"), ("K9X2MP", ""), (None, "v")])
def test_link_refuses_empty_code_or_parameter(code: object, parameter: str) -> None:
    with pytest.raises(ValidationError):
        seller_link(code, STORE, parameter=parameter)  # type: ignore[arg-type]


# --- the QR code ------------------------------------------------------------


def test_png_decodes_back_to_the_link() -> None:
    link = seller_link("K9X2MP", STORE)
    png = seller_qr_png(link)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert _decode(png) == [link]
    assert seller_qr_png(link) == png  # deterministic


def test_small_png_still_decodes() -> None:
    link = seller_link("T4W7RC", "https://loja.example.com.br/")
    assert _decode(seller_qr_png(link, box_size=4, border=4)) == [link]


def test_svg_is_well_formed_and_draws_the_qr() -> None:
    link = seller_link("K9X2MP", STORE)
    svg = seller_qr_svg(link)
    root = ET.fromstring(svg)  # noqa: S314 - our own output
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    paths = root.findall("{http://www.w3.org/2000/svg}path")
    assert len(paths) == 1
    assert paths[0].get("d", "").count("z") > 100  # the modules of the symbol
    # The SVG draws the same symbol as the PNG: same number of modules across.
    side = int(root.get("viewBox", "").split()[2])
    png_side = Image.open(io.BytesIO(seller_qr_png(link, box_size=1, border=4))).size[0]
    assert side == png_side


@pytest.mark.parametrize("render", [seller_qr_png, seller_qr_svg])
def test_qr_refuses_non_links_and_overlong_links(render: object) -> None:
    assert callable(render)
    with pytest.raises(ValidationError, match="link"):
        render("vendedor=K9X2MP")
    with pytest.raises(ValidationError, match="too long"):
        render("https://loja.example.com.br/?" + "a" * 2400)
    with pytest.raises(ValidationError, match="box_size"):
        render("https://loja.example.com.br/", box_size=0)


# --- online attribution -------------------------------------------------------


def test_online_order_with_an_active_sellers_code_is_credited() -> None:
    result = attribute_online_order(_order("K9X2MP"), TEAM)
    assert result.outcome is AttributionOutcome.CREDITED
    assert result.seller_code == result.order.seller_code == "K9X2MP"
    assert result.order == _order("K9X2MP")


def test_code_typed_loosely_is_credited_under_its_canonical_form() -> None:
    result = attribute_online_order(_order("k9x-2mp"), TEAM)
    assert (result.outcome, result.seller_code, result.submitted_code) == (
        AttributionOutcome.CREDITED,
        "K9X2MP",
        "k9x-2mp",
    )


def test_legacy_code_is_credited_as_written() -> None:
    assert attribute_online_order(_order("V01"), TEAM).seller_code == "V01"


def test_a_seller_of_any_store_of_the_brand_is_credited() -> None:
    other_store = Seller(code="HJ3K5N", name="Davi", store_id="L09")
    result = attribute_online_order(_order("HJ3K5N"), [*TEAM, other_store])
    assert result.outcome is AttributionOutcome.CREDITED


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        ("ZZZZZZ", AttributionOutcome.UNKNOWN_CODE),
        ("K9X2M0", AttributionOutcome.UNKNOWN_CODE),
        ("T4W7RC", AttributionOutcome.INACTIVE_SELLER),
        ("t4w7rc", AttributionOutcome.INACTIVE_SELLER),
    ],
)
def test_unknown_or_inactive_code_leaves_the_order_without_seller(
    code: str, outcome: AttributionOutcome
) -> None:
    result = attribute_online_order(_order(code), TEAM)
    assert result.outcome is outcome
    assert result.seller_code is None
    assert result.order.seller_code is None
    assert result.submitted_code == code  # recorded as such
    assert result.order.order_id == "P1"


def test_online_order_without_code() -> None:
    result = attribute_online_order(_order(None), TEAM)
    assert (result.outcome, result.seller_code, result.submitted_code) == (
        AttributionOutcome.NO_CODE,
        None,
        None,
    )


@pytest.mark.parametrize("channel", [Channel.STORE, Channel.TELESALES])
def test_store_and_telesales_orders_are_left_alone(channel: Channel) -> None:
    order = _order("ZZZZZZ", channel=channel)  # even a code no seller has
    result = attribute_online_order(order, TEAM)
    assert result.outcome is AttributionOutcome.NOT_ONLINE
    assert result.order is order


def test_attribution_bad_input() -> None:
    with pytest.raises(ValidationError, match="order"):
        attribute_online_order("P1", TEAM)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"sellers\[1\]"):
        attribute_online_order(_order("K9X2MP"), [ANA, "B"])  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="unique"):
        attribute_online_order(_order("K9X2MP"), [ANA, ANA])


def test_attribution_record_is_consistent() -> None:
    with pytest.raises(ValidationError, match="CREDITED"):
        Attribution(order=_order(None), outcome=AttributionOutcome.CREDITED, submitted_code="X")
    with pytest.raises(ValidationError, match="UNKNOWN_CODE"):
        Attribution(
            order=_order("K9X2MP"), outcome=AttributionOutcome.UNKNOWN_CODE, submitted_code="X"
        )
    with pytest.raises(ValidationError, match="ONLINE"):
        Attribution(
            order=_order("K9X2MP", channel=Channel.STORE),
            outcome=AttributionOutcome.CREDITED,
            submitted_code="K9X2MP",
        )


def test_credited_online_orders_count_for_the_preferred_seller() -> None:
    # Ana sold once in the store; two online orders came with codes.
    history = [
        _order("V01", channel=Channel.STORE, order_id="P1", day=2),  # Carla, in store
        _order("K9X2MP", order_id="P2", day=3),  # Ana's link
        _order("k9x 2mp", order_id="P3", day=4),  # Ana's code, typed
    ]
    attributed = [attribute_online_order(o, TEAM).order for o in history]
    pref = preferred_seller(attributed, date(2026, 5, 10))
    assert pref is not None
    assert pref.seller_code == "K9X2MP"
    assert [(t.seller_code, t.tally) for t in pref.tallies] == [("K9X2MP", 2), ("V01", 1)]


def test_uncredited_online_orders_do_not_count_for_the_preferred_seller() -> None:
    history = [
        _order("V01", channel=Channel.STORE, order_id="P1", day=2),
        _order("T4W7RC", order_id="P2", day=3),  # inactive seller's code
        _order("T4W7RC", order_id="P3", day=4),
        _order("ZZZZZZ", order_id="P4", day=5),  # nobody's code
    ]
    attributed = [attribute_online_order(o, TEAM).order for o in history]
    pref = preferred_seller(attributed, date(2026, 5, 10))
    assert pref is not None
    assert [t.seller_code for t in pref.tallies] == ["V01"]
    # Without attribution the inactive seller's raw code would have won.
    raw = preferred_seller(history, date(2026, 5, 10))
    assert raw is not None
    assert raw.seller_code == "T4W7RC"


def test_cancelled_online_order_is_attributed_but_never_counts() -> None:
    order = Order(
        order_id="P9",
        customer_id="C1",
        store_id="L01",
        placed_at=datetime(2026, 5, 3, tzinfo=UTC),
        total=Decimal("10.00"),
        seller_code="K9X2MP",
        channel=Channel.ONLINE,
        status=OrderStatus.CANCELLED,
    )
    result = attribute_online_order(order, TEAM)
    assert result.outcome is AttributionOutcome.CREDITED
    assert preferred_seller([result.order], date(2026, 5, 10)) is None
