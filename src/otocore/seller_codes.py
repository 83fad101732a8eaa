"""Código do vendedor (seller code): the code, its link, its QR code and online attribution.

From Oto's FAQ ("Para que serve o código do vendedor?"): the
seller code sends customers, through a QR code, to the brand's online store and
ties the online sale to the seller of the physical store.

**The code.** :func:`new_seller_code` draws a short code (6 characters by
default) from an injected :class:`random.Random`, over an alphabet without
look-alike characters: the digits 2-9 and the letters A-Z except I, L, O and U
(:data:`SAFE_ALPHABET`, Crockford's base 32 without 0 and 1). The brand passes
every code it has ever issued, including those of inactive and departed sellers,
so a code is unique in the brand and never reused.

>>> import random
>>> code = new_seller_code(random.Random(7), taken=set())
>>> len(code), set(code) <= set(SAFE_ALPHABET)
(6, True)
>>> normalize_code(" ab3-k9x ")
'AB3K9X'

**The link.** :func:`seller_link` adds the code to the online store's address
as a query parameter (``vendedor`` by default), keeping every other parameter
(UTM tags included) exactly as written; :func:`seller_qr_png` and
:func:`seller_qr_svg` draw it as a QR code.

>>> seller_link("AB3K9X", "https://loja.example.com.br/?utm_source=oto")
'https://loja.example.com.br/?utm_source=oto&vendedor=AB3K9X'

**Online attribution.** :func:`attribute_online_order` credits an online order
that carries a seller code to that seller when the code belongs to an active
seller of the brand; an unknown or inactive code leaves the order without a
seller, and the :class:`Attribution` records why. A credited order then counts
for the preferred seller (:func:`otocore.distribution.preferred_seller`) like
any sale with a seller code.

Errors: bad input is a :class:`~otocore.errors.ValidationError`; an exhausted
code space is a :class:`~otocore.errors.RuleViolation`.

>>> normalize_code("AB0K9X")
Traceback (most recent call last):
...
otocore.errors.ValidationError: code must use only the characters 23456789ABCDEFGHJKMNPQRSTVWXYZ (0, 1, I, L, O and U are never used), got 'AB0K9X'
>>> seller_link("AB3K9X", "ftp://loja.example.com.br/")
Traceback (most recent call last):
...
otocore.errors.ValidationError: store_url must be an absolute http:// or https:// address with a host, got 'ftp://loja.example.com.br/'
"""

from __future__ import annotations

import enum
import io
import random
import re
from collections.abc import Collection, Iterable
from typing import Any
from urllib.parse import quote_plus, unquote_plus, urlsplit, urlunsplit

import attrs

from otocore import _validate as v
from otocore.errors import RuleViolation, ValidationError
from otocore.orders import Channel, Order
from otocore.sellers import Seller

__all__ = [
    "LOOK_ALIKES",
    "SAFE_ALPHABET",
    "Attribution",
    "AttributionOutcome",
    "SellerCodePolicy",
    "attribute_online_order",
    "new_seller_code",
    "normalize_code",
    "seller_link",
    "seller_qr_png",
    "seller_qr_svg",
]

LOOK_ALIKES = "01ILOU"
"""Characters never used in a seller code: 0/O, 1/I/L look alike, U reads like V."""

SAFE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
"""The 30 characters a seller code may use: digits 2-9 and A-Z minus I, L, O, U."""

_MIN_LENGTH = 3
_MAX_LENGTH = 16
_SEPARATORS = re.compile(r"[\s\-]+")


def _check_alphabet(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    field = v.field_name(instance, attribute)
    v.require_instance(field, value, str, rule="must be a string of characters")
    if len(value) < 2 or len(set(value)) != len(value):
        raise ValidationError(field, value, "must hold at least 2 characters, none repeated")
    if not set(value) <= set(SAFE_ALPHABET):
        raise ValidationError(field, value, f"must use only characters of {SAFE_ALPHABET}")


@attrs.frozen(kw_only=True)
class SellerCodePolicy:
    """Política do código do vendedor (seller code policy) of a brand.

    Attributes:
        alphabet: the characters a code is drawn from, a subset of
            :data:`SAFE_ALPHABET` without repeats (default: all of it).
        length: the number of characters of a code, 3 to 16 (default 6:
            30**6, about 729 million codes).
        max_tries: how many random draws :func:`new_seller_code` makes before
            it gives up because the space is (nearly) full, 1 to 10000
            (default 100).

    >>> SellerCodePolicy().space
    729000000
    >>> SellerCodePolicy(alphabet="AB", length=3).space
    8
    >>> SellerCodePolicy(alphabet="AB0")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: SellerCodePolicy.alphabet must use only characters of 23456789ABCDEFGHJKMNPQRSTVWXYZ, got 'AB0'
    """

    alphabet: str = attrs.field(default=SAFE_ALPHABET, validator=_check_alphabet)
    length: int = attrs.field(
        default=6, validator=v.integer(min_value=_MIN_LENGTH, max_value=_MAX_LENGTH)
    )
    max_tries: int = attrs.field(default=100, validator=v.integer(min_value=1, max_value=10_000))

    @property
    def space(self) -> int:
        """How many distinct codes the policy allows: ``len(alphabet) ** length``."""
        space: int = len(self.alphabet) ** self.length
        return space


_DEFAULT_POLICY = SellerCodePolicy()


def normalize_code(text: str, *, policy: SellerCodePolicy = _DEFAULT_POLICY) -> str:
    """The canonical form of a seller code typed or read aloud by a person.

    Case is ignored, and spaces and hyphens anywhere are dropped (a code may be
    shown as ``AB3-K9X``). Look-alike characters are *not* guessed: the
    alphabet holds neither member of a look-alike pair (0/O, 1/I/L), so a code
    with one of them was mistyped and is refused rather than mapped to some
    other seller's code.

    Args:
        text: what the person typed.
        policy: the brand's :class:`SellerCodePolicy`.

    Returns:
        The code in upper case, exactly ``policy.length`` characters of
        ``policy.alphabet``.

    Raises:
        ValidationError: ``text`` is not a string, or has the wrong length or a
            character outside the alphabet.

    >>> normalize_code("k9x 2mp")
    'K9X2MP'
    >>> normalize_code("K9X2M")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: code must have 6 characters (spaces and hyphens aside), got 'K9X2M'
    """
    policy = v.require_instance("policy", policy, SellerCodePolicy)
    v.require_str("code", text)
    compact = _SEPARATORS.sub("", text).upper()
    if len(compact) != policy.length:
        raise ValidationError(
            "code", text, f"must have {policy.length} characters (spaces and hyphens aside)"
        )
    allowed = set(policy.alphabet)
    if not set(compact) <= allowed:
        never = ", ".join(sorted(LOOK_ALIKES)[:-1]) + f" and {sorted(LOOK_ALIKES)[-1]}"
        raise ValidationError(
            "code",
            text,
            f"must use only the characters {policy.alphabet} ({never} are never used)",
        )
    return compact


def new_seller_code(
    rng: random.Random,
    *,
    taken: Collection[str],
    policy: SellerCodePolicy = _DEFAULT_POLICY,
) -> str:
    """Draw a new seller code that the brand has never issued.

    Each character is drawn uniformly from ``policy.alphabet`` with ``rng``,
    so the same seed and the same ``taken`` give the same code. A draw that
    hits a taken code is thrown away and drawn again.

    Args:
        rng: the injected random source (for production use
            :class:`random.SystemRandom`, so codes can't be predicted).
        taken: every code ever issued in the brand, including those of inactive
            and departed sellers, so that no code is ever reused. Compared in
            canonical form (:func:`normalize_code`), so ``"ab3-k9x"`` blocks
            ``"AB3K9X"``.
        policy: the brand's :class:`SellerCodePolicy`.

    Returns:
        A code of ``policy.length`` characters not in ``taken``.

    Raises:
        ValidationError: ``rng`` is not a :class:`random.Random` or ``taken``
            is not a collection of strings.
        RuleViolation: every code of the policy is taken, or ``policy.max_tries``
            draws in a row were all taken (the space is nearly full: use a longer
            code).

    >>> import random
    >>> new_seller_code(random.Random(1), taken=set()) == new_seller_code(
    ...     random.Random(1), taken=set()
    ... )
    True
    >>> tiny = SellerCodePolicy(alphabet="AB", length=3)
    >>> every = {a + b + c for a in "AB" for b in "AB" for c in "AB"}
    >>> new_seller_code(random.Random(1), taken=every, policy=tiny)
    Traceback (most recent call last):
    ...
    otocore.errors.RuleViolation: all 8 seller codes of the policy are taken; use a longer code
    """
    policy = v.require_instance("policy", policy, SellerCodePolicy)
    if not isinstance(rng, random.Random):
        raise ValidationError("rng", rng, "must be a random.Random (seeded or SystemRandom)")
    used = _canonical_taken(taken, policy)
    if len(used) >= policy.space:
        raise RuleViolation(
            f"all {policy.space} seller codes of the policy are taken; use a longer code"
        )
    alphabet = policy.alphabet
    for _ in range(policy.max_tries):
        code = "".join(rng.choice(alphabet) for _ in range(policy.length))
        if code not in used:
            return code
    raise RuleViolation(
        f"{policy.max_tries} draws in a row hit taken codes ({len(used)} of "
        f"{policy.space} are taken); use a longer code"
    )


def _canonical_taken(taken: Any, policy: SellerCodePolicy) -> set[str]:
    if isinstance(taken, str | bytes) or not isinstance(taken, Collection):
        raise ValidationError("taken", taken, "must be a collection of seller codes")
    used: set[str] = set()
    for i, code in enumerate(taken):
        v.require_str(f"taken[{i}]", code)
        try:
            used.add(normalize_code(code, policy=policy))
        except ValidationError:
            continue  # a code outside the policy (say a legacy "V01") can't collide
    return used


# --------------------------------------------------------------------------
# Link and QR code
# --------------------------------------------------------------------------


def _check_url(field: str, value: Any, *, max_length: int = 2000) -> str:
    rule = "must be an absolute http:// or https:// address with a host"
    url = v.require_text(field, value, max_length=max_length)
    if any(ch.isspace() for ch in url):
        raise ValidationError(field, url, f"{rule} and no spaces")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        raise ValidationError(field, url, rule) from None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        raise ValidationError(field, url, rule)
    return url


def seller_link(code: str, store_url: str, *, parameter: str = "vendedor") -> str:
    """The online store's address carrying the seller code.

    ``parameter=code`` is appended to the query string (percent-encoded).
    Every other query parameter, UTM tags included, is kept exactly as
    written and in its place; a parameter already named ``parameter`` is
    replaced (so a link is never credited to two sellers). The scheme, host,
    path and fragment are kept.

    Args:
        code: the seller's code (any seller code, issued by
            :func:`new_seller_code` or carried over from an older system).
        store_url: the brand's online store address, ``http`` or ``https``.
        parameter: the query parameter's name, default ``vendedor``.

    Returns:
        The link, ready for :func:`seller_qr_png` or :func:`seller_qr_svg`.

    Raises:
        ValidationError: empty code or parameter, or a store address that is
            not an absolute http(s) URL.

    >>> seller_link(
    ...     "K9X2MP",
    ...     "https://loja.example.com.br/novidades?utm_source=oto&vendedor=OLD#topo",
    ... )
    'https://loja.example.com.br/novidades?utm_source=oto&vendedor=K9X2MP#topo'
    >>> seller_link("K9X2MP", "https://loja.example.com.br", parameter="ref")
    'https://loja.example.com.br?ref=K9X2MP'
    """
    v.require_text("code", code, max_length=100)
    v.require_text("parameter", parameter, max_length=100)
    _check_url("store_url", store_url)
    parts = urlsplit(store_url)
    kept = [
        segment
        for segment in parts.query.split("&")
        if segment and unquote_plus(segment.partition("=")[0]) != parameter
    ]
    kept.append(f"{quote_plus(parameter)}={quote_plus(code)}")
    return urlunsplit(parts._replace(query="&".join(kept)))


def _qr(link: str, image_factory: Any, box_size: int, border: int) -> Any:
    import qrcode  # type: ignore[import-untyped]
    import qrcode.exceptions  # type: ignore[import-untyped]

    _check_url("link", link, max_length=8000)  # a longer one never fits a QR code
    for name, value, low, high in (("box_size", box_size, 1, 100), ("border", border, 0, 100)):
        if not v.is_int(value) or not low <= value <= high:
            raise ValidationError(name, value, f"must be an integer from {low} to {high}")
    qr = qrcode.QRCode(
        error_correction=qrcode.constants.ERROR_CORRECT_M,
        box_size=box_size,
        border=border,
        image_factory=image_factory,
    )
    qr.add_data(link)
    try:
        qr.make()  # no version given: the smallest version that fits
    except (qrcode.exceptions.DataOverflowError, ValueError):  # ValueError: "version 41"
        raise ValidationError("link", link, "is too long for a QR code") from None
    return qr.make_image()


def seller_qr_png(link: str, *, box_size: int = 10, border: int = 4) -> bytes:
    """The QR code of a seller link as a PNG image (black on white).

    Error correction level M (15% of the symbol can be damaged). Needs
    ``pillow`` (``qrcode[pil]``). The same link gives the same bytes.

    Args:
        link: the link from :func:`seller_link` (an http(s) address).
        box_size: pixels per module, 1 to 100.
        border: quiet zone in modules, 0 to 100 (the QR standard asks for 4).

    Returns:
        The PNG file's bytes.

    Raises:
        ValidationError: not an http(s) address, too long for a QR code, or a
            bad size.

    >>> png = seller_qr_png("https://loja.example.com.br/?vendedor=K9X2MP")
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    from qrcode.image.pil import PilImage  # type: ignore[import-untyped]

    image = _qr(link, PilImage, box_size, border)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def seller_qr_svg(link: str, *, box_size: int = 10, border: int = 4) -> str:
    """The QR code of a seller link as an SVG document (one ``<path>``).

    Error correction level M, as :func:`seller_qr_png`. Needs no imaging
    library. Sizes are in millimetres (``box_size`` tenths of a millimetre per
    module).

    Args:
        link: the link from :func:`seller_link` (an http(s) address).
        box_size: size of a module, 1 to 100.
        border: quiet zone in modules, 0 to 100.

    Returns:
        The SVG document as text.

    Raises:
        ValidationError: as :func:`seller_qr_png`.

    >>> svg = seller_qr_svg("https://loja.example.com.br/?vendedor=K9X2MP")
    >>> svg.startswith("<svg") and "<path" in svg
    True
    """
    from qrcode.image.svg import SvgPathImage  # type: ignore[import-untyped]

    image = _qr(link, SvgPathImage, box_size, border)
    text: str = image.to_string(encoding="unicode")
    return text


# --------------------------------------------------------------------------
# Online attribution
# --------------------------------------------------------------------------


class AttributionOutcome(enum.Enum):
    """Resultado da atribuição (attribution outcome) of one order.

    - CREDITED: an online order whose code is an active seller's: credited.
    - UNKNOWN_CODE: an online order whose code is no seller's: no seller.
    - INACTIVE_SELLER: an online order whose code is an inactive seller's:
      no seller.
    - NO_CODE: an online order without a code: no seller.
    - NOT_ONLINE: a store or telesales order: left as it is.

    >>> AttributionOutcome("unknown_code")
    <AttributionOutcome.UNKNOWN_CODE: 'unknown_code'>
    """

    CREDITED = "credited"
    UNKNOWN_CODE = "unknown_code"
    INACTIVE_SELLER = "inactive_seller"
    NO_CODE = "no_code"
    NOT_ONLINE = "not_online"


_WITHOUT_SELLER = frozenset(
    {
        AttributionOutcome.UNKNOWN_CODE,
        AttributionOutcome.INACTIVE_SELLER,
        AttributionOutcome.NO_CODE,
    }
)


@attrs.frozen(kw_only=True)
class Attribution:
    """The record of how one order was attributed.

    Attributes:
        order: the order as it is to be stored: its ``seller_code`` is the
            credited seller's code, or ``None`` when the code was refused.
        outcome: the :class:`AttributionOutcome`.
        submitted_code: the code the order came with, as received (kept even
            when it was refused, so the refusal is on record).

    ``seller_code`` is the order's seller code after attribution.

    >>> from datetime import UTC, datetime
    >>> from decimal import Decimal
    >>> order = Order(
    ...     order_id="P1",
    ...     customer_id="C1",
    ...     store_id="L01",
    ...     placed_at=datetime(2026, 5, 10, tzinfo=UTC),
    ...     total=Decimal("99.90"),
    ...     seller_code=None,
    ...     channel=Channel.ONLINE,
    ... )
    >>> Attribution(
    ...     order=order, outcome=AttributionOutcome.UNKNOWN_CODE, submitted_code="ZZZZZZ"
    ... ).seller_code is None
    True
    >>> Attribution(order=order, outcome=AttributionOutcome.CREDITED, submitted_code="K9X2MP")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Attribution.order.seller_code must be set when the outcome is CREDITED, got None
    """

    order: Order = attrs.field(validator=v.instance_of(Order))
    outcome: AttributionOutcome = attrs.field(validator=v.member_of(AttributionOutcome))
    submitted_code: str | None = attrs.field(validator=v.optional_text(100))

    def __attrs_post_init__(self) -> None:
        code = self.order.seller_code
        if self.outcome is AttributionOutcome.CREDITED and code is None:
            raise ValidationError(
                "Attribution.order.seller_code", code, "must be set when the outcome is CREDITED"
            )
        if self.outcome in _WITHOUT_SELLER and code is not None:
            raise ValidationError(
                "Attribution.order.seller_code",
                code,
                f"must be None when the outcome is {self.outcome.name}",
            )
        if self.outcome is not AttributionOutcome.NOT_ONLINE and (
            self.order.channel is not Channel.ONLINE
        ):
            raise ValidationError(
                "Attribution.order.channel",
                self.order.channel,
                f"must be ONLINE when the outcome is {self.outcome.name}",
            )

    @property
    def seller_code(self) -> str | None:
        """The seller the order is credited to (``order.seller_code``)."""
        return self.order.seller_code


def attribute_online_order(
    order: Order,
    sellers: Iterable[Seller],
    *,
    policy: SellerCodePolicy = _DEFAULT_POLICY,
) -> Attribution:
    """Credit an online order to the seller whose code it carries, or to no one.

    Only ONLINE orders are attributed; any other order comes back unchanged
    with outcome NOT_ONLINE. An online order's code is looked up among the
    brand's sellers as written and then, failing that, in canonical form
    (:func:`normalize_code`: ``"k9x-2mp"`` finds ``K9X2MP``). The seller's store
    does not matter: the code belongs to the brand. Pure: nothing is stored.

    Args:
        order: the order as received from the online store.
        sellers: every seller of the brand, active or not (codes unique).
        policy: the brand's :class:`SellerCodePolicy`, for the canonical form.

    Returns:
        The :class:`Attribution`: the order with ``seller_code`` set to the
        seller's code (CREDITED) or cleared (UNKNOWN_CODE, INACTIVE_SELLER),
        and the code as received.

    Raises:
        ValidationError: ``order`` is not an Order, ``sellers`` holds a
            non-Seller or repeats a code.

    >>> from datetime import UTC, datetime
    >>> from decimal import Decimal
    >>> from otocore.sellers import SellerStatus
    >>> team = [
    ...     Seller(code="K9X2MP", name="Ana", store_id="L01"),
    ...     Seller(code="T4W7RC", name="Bruno", store_id="L02", status=SellerStatus.INACTIVE),
    ... ]
    >>> def online(code):
    ...     return Order(
    ...         order_id="P1",
    ...         customer_id="C1",
    ...         store_id="L01",
    ...         placed_at=datetime(2026, 5, 10, tzinfo=UTC),
    ...         total=Decimal("99.90"),
    ...         seller_code=code,
    ...         channel=Channel.ONLINE,
    ...     )
    >>> a = attribute_online_order(online("k9x-2mp"), team)
    >>> a.outcome, a.seller_code, a.submitted_code
    (<AttributionOutcome.CREDITED: 'credited'>, 'K9X2MP', 'k9x-2mp')
    >>> a = attribute_online_order(online("T4W7RC"), team)
    >>> a.outcome, a.seller_code
    (<AttributionOutcome.INACTIVE_SELLER: 'inactive_seller'>, None)
    """
    v.require_instance("order", order, Order)
    policy = v.require_instance("policy", policy, SellerCodePolicy)
    by_code = _sellers_by_code(sellers)
    submitted = order.seller_code
    if order.channel is not Channel.ONLINE:
        return Attribution(
            order=order, outcome=AttributionOutcome.NOT_ONLINE, submitted_code=submitted
        )
    if submitted is None:
        return Attribution(order=order, outcome=AttributionOutcome.NO_CODE, submitted_code=None)
    seller = by_code.get(submitted)
    if seller is None:
        try:
            seller = by_code.get(normalize_code(submitted, policy=policy))
        except ValidationError:
            seller = None
    if seller is None:
        outcome = AttributionOutcome.UNKNOWN_CODE
        credited: str | None = None
    elif not seller.is_active:
        outcome = AttributionOutcome.INACTIVE_SELLER
        credited = None
    else:
        outcome = AttributionOutcome.CREDITED
        credited = seller.code
    return Attribution(
        order=attrs.evolve(order, seller_code=credited),
        outcome=outcome,
        submitted_code=submitted,
    )


def _sellers_by_code(sellers: Any) -> dict[str, Seller]:
    checked = v.iter_instances("sellers", sellers, Seller)  # a str, bytes or mapping is refused
    by_code: dict[str, Seller] = {}
    for i, seller in enumerate(checked):
        if seller.code in by_code:
            raise ValidationError(f"sellers[{i}].code", seller.code, "must be unique in the brand")
        by_code[seller.code] = seller
    return by_code
