"""Código do vendedor (oto-faq.txt, "Para que serve o código do vendedor?").

"O código do vendedor é uma poderosa ferramenta para direcionar os clientes
através de um QR Code para a loja online da marca, atrelando a venda online ao
vendedor da loja física."
"""

from __future__ import annotations

import io
import random
import re
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


def _says(message: str) -> str:
    """A ``match=`` pattern for exactly this error message."""
    return f"^{re.escape(message)}$"


# --- the alphabet --------------------------------------------------------------


def test_alphabet_has_no_look_alike_characters() -> None:
    assert not set(SAFE_ALPHABET) & set("0O1IL" + "U")
    assert set(LOOK_ALIKES) == set("0O1ILU")
    assert len(SAFE_ALPHABET) == len(set(SAFE_ALPHABET)) == 30
    assert set(SAFE_ALPHABET) == set("23456789ABCDEFGHJKMNPQRSTVWXYZ")


_NOT_SAFE = "must use only characters of 23456789ABCDEFGHJKMNPQRSTVWXYZ"
_TOO_FEW = "must hold at least 2 characters, none repeated"


@pytest.mark.parametrize(
    ("alphabet", "rule"),
    [
        ("AB0", _NOT_SAFE),
        ("O2", _NOT_SAFE),
        ("AI", _NOT_SAFE),
        ("L3", _NOT_SAFE),
        ("U9", _NOT_SAFE),
        ("ab", _NOT_SAFE),
        ("AA", _TOO_FEW),
        ("ABA", _TOO_FEW),
        ("A", _TOO_FEW),
        ("", _TOO_FEW),
        (None, "must be a string of characters"),
        (["A", "B"], "must be a string of characters"),
    ],
)
def test_policy_refuses_look_alikes_repeats_and_tiny_alphabets(alphabet: object, rule: str) -> None:
    with pytest.raises(
        ValidationError, match=_says(f"SellerCodePolicy.alphabet {rule}, got {alphabet!r}")
    ) as err:
        SellerCodePolicy(alphabet=alphabet)  # type: ignore[arg-type]
    assert err.value.field == "SellerCodePolicy.alphabet"
    assert err.value.value == alphabet


@pytest.mark.parametrize(("length", "ok"), [(2, False), (3, True), (16, True), (17, False)])
def test_policy_length_bounds(length: int, ok: bool) -> None:
    if ok:
        assert SellerCodePolicy(length=length).length == length
    else:
        bound = "must be >= 3" if length < 3 else "must be <= 16"
        with pytest.raises(ValidationError, match=r"SellerCodePolicy\.length"):
            SellerCodePolicy(length=length)
        with pytest.raises(
            ValidationError, match=_says(f"SellerCodePolicy.length {bound}, got {length}")
        ):
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


def test_codes_after_a_legacy_code_in_taken_still_block() -> None:
    first = new_seller_code(random.Random(5), taken=[])
    # The legacy code is skipped, not the end of the list: the code after it still counts.
    assert new_seller_code(random.Random(5), taken=["V01", first]) != first
    assert new_seller_code(random.Random(5), taken=["V01", "loja-01", first.lower()]) != first


_RNG_RULE = "must be a random.Random (seeded or SystemRandom)"
_TAKEN_RULE = "must be a collection of seller codes"


@pytest.mark.parametrize(
    ("rng", "taken", "message"),
    [
        (None, [], f"rng {_RNG_RULE}, got None"),
        (42, [], f"rng {_RNG_RULE}, got 42"),
        (random.Random(1), "ABCDEF", f"taken {_TAKEN_RULE}, got 'ABCDEF'"),
        (random.Random(1), b"ABCDEF", f"taken {_TAKEN_RULE}, got b'ABCDEF'"),
        (random.Random(1), 7, f"taken {_TAKEN_RULE}, got 7"),
        (random.Random(1), [1], "taken[0] must be a string, got 1"),
        (random.Random(1), ["V01", None], "taken[1] must be a string, got None"),
    ],
)
def test_new_code_bad_input(rng: object, taken: object, message: str) -> None:
    with pytest.raises(ValidationError, match=_says(message)) as err:
        new_seller_code(rng, taken=taken)  # type: ignore[arg-type]
    assert err.value.value in (rng, taken, 1, None)


def test_new_code_bad_policy() -> None:
    with pytest.raises(ValidationError, match=_says("policy must be a SellerCodePolicy, got 'AB'")):
        new_seller_code(random.Random(1), taken=[], policy="AB")  # type: ignore[arg-type]


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


_LENGTH_RULE = "must have 6 characters (spaces and hyphens aside)"
_CHARS_RULE = (
    "must use only the characters 23456789ABCDEFGHJKMNPQRSTVWXYZ"
    " (0, 1, I, L, O and U are never used)"
)


@pytest.mark.parametrize(
    ("typed", "rule"),
    [
        ("", _LENGTH_RULE),
        ("K9X2M", _LENGTH_RULE),
        ("K9X2MPP", _LENGTH_RULE),
        ("K9X2M!", _CHARS_RULE),
        ("K9X2MÉ", _CHARS_RULE),
        (None, "must be a string"),
        (123, "must be a string"),
    ],
)
def test_normalize_refuses_malformed_codes(typed: object, rule: str) -> None:
    with pytest.raises(ValidationError, match=_says(f"code {rule}, got {typed!r}")):
        normalize_code(typed)  # type: ignore[arg-type]


def test_normalize_follows_the_policy() -> None:
    policy = SellerCodePolicy(alphabet="ABC", length=4)
    assert normalize_code("ab-ca", policy=policy) == "ABCA"
    with pytest.raises(
        ValidationError,
        match=_says(
            "code must use only the characters ABC (0, 1, I, L, O and U are never used), got 'ABCD'"
        ),
    ):
        normalize_code("ABCD", policy=policy)
    with pytest.raises(
        ValidationError,
        match=_says("code must have 4 characters (spaces and hyphens aside), got 'AB-CAB'"),
    ):
        normalize_code("AB-CAB", policy=policy)
    with pytest.raises(ValidationError, match=_says("policy must be a SellerCodePolicy, got 4")):
        normalize_code("ABCA", policy=4)  # type: ignore[arg-type]


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


def test_link_replaces_the_seller_parameter_whatever_its_value() -> None:
    # The name is what precedes the first "=": "vendedor=A=B" is the seller parameter.
    link = seller_link("K9X2MP", "https://loja.example.com.br/?vendedor=A=B&utm_source=oto")
    assert link == "https://loja.example.com.br/?utm_source=oto&vendedor=K9X2MP"
    link = seller_link("K9X2MP", "https://loja.example.com.br/?vendedor&utm_source=a=b")
    assert link == "https://loja.example.com.br/?utm_source=a=b&vendedor=K9X2MP"


def test_link_keeps_path_and_fragment_and_encodes_the_code() -> None:
    link = seller_link("V 01&x", "http://loja.example.com.br:8080/a/b#destaque")
    assert link == "http://loja.example.com.br:8080/a/b?vendedor=V+01%26x#destaque"


_URL_RULE = "must be an absolute http:// or https:// address with a host"


@pytest.mark.parametrize(
    ("url", "rule"),
    [
        ("ftp://loja.example.com.br/", _URL_RULE),
        ("javascript:alert(1)", _URL_RULE),
        ("loja.example.com.br", _URL_RULE),
        ("/colecao", _URL_RULE),
        ("https://", _URL_RULE),
        ("https://loja example.com.br/", f"{_URL_RULE} and no spaces"),
        ("https://loja.example.com.br/\u00a0x", f"{_URL_RULE} and no spaces"),
        ("https://loja.example.com.br:porta/", _URL_RULE),
        ("https://[::1/", _URL_RULE),
        ("", "must not be empty"),
        (None, "must be a string"),
    ],
)
def test_link_refuses_anything_but_http_addresses(url: object, rule: str) -> None:
    with pytest.raises(ValidationError, match=_says(f"store_url {rule}, got {url!r}")) as err:
        seller_link("K9X2MP", url)  # type: ignore[arg-type]
    assert err.value.field == "store_url"
    assert err.value.value == url


def test_store_address_is_at_most_2000_characters() -> None:
    base = "https://loja.example.com.br/?q="
    longest = base + "a" * (2000 - len(base))
    assert seller_link("K9X2MP", longest) == longest + "&vendedor=K9X2MP"
    with pytest.raises(
        ValidationError,
        match=_says(f"store_url must be at most 2000 characters, got {longest + 'a'!r}"),
    ):
        seller_link("K9X2MP", longest + "a")


@pytest.mark.parametrize(
    ("code", "parameter", "message"),
    [
        ("", "vendedor", "code must not be empty, got ''"),
        ("K9X2MP", "", "parameter must not be empty, got ''"),
        (None, "v", "code must be a string, got None"),
        ("K9X2MP", None, "parameter must be a string, got None"),
        ("K" * 101, "v", f"code must be at most 100 characters, got {'K' * 101!r}"),
        ("K9X2MP", "v" * 101, f"parameter must be at most 100 characters, got {'v' * 101!r}"),
    ],
)
def test_link_refuses_empty_code_or_parameter(code: object, parameter: str, message: str) -> None:
    with pytest.raises(ValidationError, match=_says(message)):
        seller_link(code, STORE, parameter=parameter)  # type: ignore[arg-type]


def test_link_code_and_parameter_may_be_100_characters() -> None:
    link = seller_link("K" * 100, "https://loja.example.com.br/", parameter="v" * 100)
    assert link == "https://loja.example.com.br/?" + "v" * 100 + "=" + "K" * 100


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


def _png_side(png: bytes) -> int:
    width, height = Image.open(io.BytesIO(png)).size
    assert width == height
    return int(width)


def test_png_default_is_ten_pixels_a_module_and_a_quiet_zone_of_four() -> None:
    link = seller_link("K9X2MP", STORE)
    modules = _png_side(seller_qr_png(link, box_size=1, border=0))
    assert (modules - 17) % 4 == 0  # a QR symbol is 17 + 4 * version modules across
    assert _png_side(seller_qr_png(link)) == (modules + 2 * 4) * 10
    assert seller_qr_png(link) == seller_qr_png(link, box_size=10, border=4)


@pytest.mark.parametrize(("box_size", "border"), [(1, 0), (1, 1), (2, 0), (3, 2), (1, 7)])
def test_png_size_follows_box_size_and_border(box_size: int, border: int) -> None:
    link = seller_link("K9X2MP", "https://loja.example.com.br/")
    modules = _png_side(seller_qr_png(link, box_size=1, border=0))
    assert modules == 33  # version 4 holds this link at level M
    png = seller_qr_png(link, box_size=box_size, border=border)
    assert _png_side(png) == (modules + 2 * border) * box_size
    assert png.startswith(b"\x89PNG\r\n\x1a\n")


def test_png_uses_error_correction_level_m_and_decodes_without_a_quiet_zone() -> None:
    link = seller_link("K9X2MP", STORE)
    (found,) = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(seller_qr_png(link, box_size=4, border=0)))
    )
    assert (found.text, found.ec_level, found.format) == (
        link,
        "M",
        zxingcpp.BarcodeFormat.QRCode,
    )


def test_svg_size_follows_border() -> None:
    link = seller_link("K9X2MP", "https://loja.example.com.br/")
    sides = []
    for border in (0, 1, 4):
        root = ET.fromstring(seller_qr_svg(link, border=border))  # noqa: S314 - our own output
        sides.append(int(root.get("viewBox", "").split()[2]))
    assert sides == [33, 35, 41]


@pytest.mark.parametrize("render", [seller_qr_png, seller_qr_svg])
def test_qr_refuses_non_links_and_overlong_links(render: object) -> None:
    assert callable(render)
    with pytest.raises(ValidationError, match="link"):
        render("vendedor=K9X2MP")
    with pytest.raises(ValidationError, match="too long"):
        render("https://loja.example.com.br/?" + "a" * 2400)
    with pytest.raises(ValidationError, match="box_size"):
        render("https://loja.example.com.br/", box_size=0)
    with pytest.raises(
        ValidationError, match=_says(f"link {_URL_RULE}, got 'vendedor=K9X2MP'")
    ) as err:
        render("vendedor=K9X2MP")
    assert (err.value.field, err.value.value) == ("link", "vendedor=K9X2MP")
    overlong = "https://loja.example.com.br/?" + "a" * 2400
    with pytest.raises(ValidationError, match=r"^link is too long for a QR code, got ") as err:
        render(overlong)
    assert (err.value.field, err.value.value, err.value.rule) == (
        "link",
        overlong,
        "is too long for a QR code",
    )


@pytest.mark.parametrize("render", [seller_qr_png, seller_qr_svg])
def test_qr_link_is_at_most_8000_characters(render: object) -> None:
    assert callable(render)
    link = "https://loja.example.com.br/?" + "a" * (8001 - 29)
    assert len(link) == 8001
    with pytest.raises(ValidationError, match=r"^link must be at most 8000 characters, got "):
        render(link)
    with pytest.raises(ValidationError, match=r"^link is too long for a QR code, got "):
        render(link[:-1])


@pytest.mark.parametrize(
    ("box_size", "border", "message"),
    [
        (0, 4, "box_size must be an integer from 1 to 100, got 0"),
        (101, 4, "box_size must be an integer from 1 to 100, got 101"),
        (True, 4, "box_size must be an integer from 1 to 100, got True"),
        (2.0, 4, "box_size must be an integer from 1 to 100, got 2.0"),
        (10, -1, "border must be an integer from 0 to 100, got -1"),
        (10, 101, "border must be an integer from 0 to 100, got 101"),
        (10, "4", "border must be an integer from 0 to 100, got '4'"),
    ],
)
@pytest.mark.parametrize("render", [seller_qr_png, seller_qr_svg])
def test_qr_refuses_bad_sizes(
    render: object, box_size: object, border: object, message: str
) -> None:
    assert callable(render)
    with pytest.raises(ValidationError, match=_says(message)) as err:
        render("https://loja.example.com.br/", box_size=box_size, border=border)
    assert err.value.value is (box_size if err.value.field == "box_size" else border)


@pytest.mark.parametrize(("box_size", "border"), [(1, 0), (100, 4), (1, 100), (100, 100)])
def test_qr_accepts_the_extreme_sizes(box_size: int, border: int) -> None:
    link = "https://loja.example.com.br/"
    root = ET.fromstring(seller_qr_svg(link, box_size=box_size, border=border))  # noqa: S314
    side = Decimal(root.get("viewBox", "").split()[2])  # millimetres
    assert side == Decimal((29 + 2 * border) * box_size) / 10  # version 3 holds this link at M


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
    with pytest.raises(ValidationError, match=_says("order must be an Order, got 'P1'")):
        attribute_online_order("P1", TEAM)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=_says("sellers[1] must be a Seller, got 'B'")):
        attribute_online_order(_order("K9X2MP"), [ANA, "B"])  # type: ignore[list-item]
    with pytest.raises(
        ValidationError, match=_says("sellers[2].code must be unique in the brand, got 'K9X2MP'")
    ) as err:
        attribute_online_order(_order("K9X2MP"), [ANA, BRUNO, ANA])
    assert (err.value.field, err.value.value) == ("sellers[2].code", "K9X2MP")
    with pytest.raises(ValidationError, match=_says("policy must be a SellerCodePolicy, got 6")):
        attribute_online_order(_order("K9X2MP"), TEAM, policy=6)  # type: ignore[arg-type]


@pytest.mark.parametrize("sellers", ["K9X2MP", b"K9X2MP", {"K9X2MP": ANA}, {ANA: "Ana"}, 3])
def test_attribution_refuses_a_string_or_mapping_of_sellers(sellers: object) -> None:
    with pytest.raises(
        ValidationError, match=_says(f"sellers must be an iterable of Seller, got {sellers!r}")
    ):
        attribute_online_order(_order("K9X2MP"), sellers)  # type: ignore[arg-type]


def test_attribution_reads_the_code_under_the_brands_policy() -> None:
    short = SellerCodePolicy(length=4)
    team = [Seller(code="AB3K", name="Eva", store_id="L01")]
    result = attribute_online_order(_order("ab-3k"), team, policy=short)
    assert (result.outcome, result.seller_code) == (AttributionOutcome.CREDITED, "AB3K")
    # Under the default policy (6 characters) "ab-3k" is no code at all.
    assert attribute_online_order(_order("ab-3k"), team).outcome is AttributionOutcome.UNKNOWN_CODE


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


def test_attribution_record_errors_name_the_field_and_the_rule() -> None:
    with pytest.raises(
        ValidationError,
        match=_says(
            "Attribution.order.seller_code must be set when the outcome is CREDITED, got None"
        ),
    ):
        Attribution(order=_order(None), outcome=AttributionOutcome.CREDITED, submitted_code="X")
    for outcome in (
        AttributionOutcome.UNKNOWN_CODE,
        AttributionOutcome.INACTIVE_SELLER,
        AttributionOutcome.NO_CODE,
    ):
        with pytest.raises(
            ValidationError,
            match=_says(
                "Attribution.order.seller_code must be None when the outcome is "
                f"{outcome.name}, got 'K9X2MP'"
            ),
        ):
            Attribution(order=_order("K9X2MP"), outcome=outcome, submitted_code="X")
    with pytest.raises(
        ValidationError,
        match=_says(
            "Attribution.order.channel must be ONLINE when the outcome is NO_CODE, "
            "got <Channel.TELESALES: 'telesales'>"
        ),
    ) as err:
        Attribution(
            order=_order(None, channel=Channel.TELESALES),
            outcome=AttributionOutcome.NO_CODE,
            submitted_code=None,
        )
    assert err.value.value is Channel.TELESALES


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
