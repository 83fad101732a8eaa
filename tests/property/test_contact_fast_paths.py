"""The fast paths of CPF, e-mail and mobile parsing answer exactly as the libraries do.

``otocore.customers`` skips python-stdnum, email-validator and phonenumbers for
values already in their canonical form (11 ASCII digits, a plain lowercase
address, a Brazilian mobile in E.164) and remembers the libraries' answer for
every other value. Each fast path is compared here with the library call it
replaces: same acceptance, same canonical form, same error.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

import phonenumbers
import pytest
from email_validator import EmailNotValidError, validate_email
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.br import cpf as stdnum_cpf

from otocore import customers as c
from otocore.customers import Cpf, Email, Mobile
from otocore.errors import ValidationError

# the library calls, as otocore made them before the fast paths ------------------------


def library_email(address: str) -> str | None:
    """email-validator's canonical form of ``address`` (the loop of _email_verdict), or None."""
    for _ in range(3):
        try:
            checked = validate_email(address, check_deliverability=False)
        except (EmailNotValidError, UnicodeError, ValueError):
            return None
        canonical = f"{checked.local_part.lower()}@{checked.domain}"
        if canonical == address:
            return address
        address = canonical
    return None


def library_e164(text: str, region: str | None) -> str | None:
    """phonenumbers' E.164 form of a valid mobile ``text``, or None."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if number.extension or not phonenumbers.is_valid_number(number):
        return None
    if phonenumbers.number_type(number) not in c._MOBILE_TYPES:
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def outcome(call: Any, *args: Any) -> tuple[str, Any]:
    try:
        return "ok", call(*args)
    except ValidationError as exc:
        return "error", (exc.field, exc.value, exc.rule)


# CPF ------------------------------------------------------------------------------


@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
@example("52998224725")
@example("11111111111")
@example("00000000000")
def test_the_cpf_check_digits_are_stdnums(digits: str) -> None:
    """Equal on every 11 digits but zero (stdnum refuses it; otocore refuses it before)."""
    expected = stdnum_cpf.is_valid(digits) or digits == "00000000000"
    assert (c._cpf_from_base(digits[:9]) == digits) is expected


def test_the_cpf_check_digits_are_stdnums_on_many_numbers() -> None:
    rng = random.Random(11)
    for _ in range(20_000):
        digits = "".join(rng.choice("0123456789") for _ in range(11))
        if rng.random() < 0.5:  # half of them valid
            digits = digits[:9] + stdnum_cpf._calc_check_digits(digits)
        expected = stdnum_cpf.is_valid(digits) or digits == "00000000000"
        assert (c._cpf_from_base(digits[:9]) == digits) is expected


@given(st.text(alphabet="0123456789", min_size=11, max_size=11), st.booleans())
def test_eleven_digits_parse_as_the_formatted_number_does(digits: str, repeated: bool) -> None:
    """The 11-digit shortcut of Cpf.parse agrees with the path through stdnum's compact()."""
    formatted = f"{digits[:3]}.{digits[3:6]}.{digits[6:9]}-{digits[9:]}"
    fast = outcome(lambda t: Cpf.parse(t, allow_repeated=repeated), digits)
    slow = outcome(lambda t: Cpf.parse(t, allow_repeated=repeated), formatted)
    assert fast[0] == slow[0]
    if fast[0] == "ok":
        assert fast[1] == slow[1] == Cpf(digits, allow_repeated=repeated)
        assert fast[1].allow_repeated is slow[1].allow_repeated is repeated
    else:
        assert fast[1][2] == slow[1][2]  # the same rule (each names the text it was given)


# e-mail ---------------------------------------------------------------------------

LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)
PLAIN = st.builds(
    lambda local, labels, tld: f"{local}@{'.'.join(labels)}.{tld}",
    st.from_regex(r"[a-z0-9_+-]{1,6}(?:\.[a-z0-9_+-]{1,6}){0,2}", fullmatch=True),
    st.lists(LABEL, min_size=1, max_size=3),
    st.sampled_from(["com", "br", "net", "org", "local", "test", "arpa", "onion", "invalid", "io"]),
)
EMAIL_LIKE = st.text(alphabet="aAzZ09.+-_@ \u00e9\u0130\u212a\u00df\u0301!#", max_size=30)


@given(st.one_of(PLAIN, EMAIL_LIKE))
@example("ana.souza@example.com")
@example("ana@xn--bcher-kva.com")
@example("ab--cd@ab--cd.com")
@example("ana@a.localhost")
@example("a@" + "b" * 64 + ".com")
@example("a" * 65 + "@example.com")
def test_the_plain_address_check_agrees_with_email_validator(address: str) -> None:
    if c._is_plain_email(address):
        assert library_email(address) == address
    expected = library_email(address)
    got = outcome(c._canonical_email, "Customer.email", address)
    assert got == ("ok", expected) if expected is not None else got[0] == "error"


@given(PLAIN)
def test_email_parse_is_what_email_validator_says(address: str) -> None:
    for text in (address, address.upper(), f" {address} "):
        expected = library_email(text.strip())
        got = outcome(Email.parse, text)
        if expected is None:
            assert got[0] == "error"
        else:
            assert got == ("ok", Email(expected))


def test_a_refused_address_gives_the_same_rule_from_the_cache() -> None:
    first = outcome(Email.parse, "ana@")
    assert first == outcome(Email.parse, "ana@")
    assert first[1][2].startswith("is not a valid e-mail address (")


# mobile ---------------------------------------------------------------------------


def test_the_br_fast_path_is_on_for_the_installed_metadata() -> None:
    assert c._br_fast_path()


@pytest.mark.parametrize("ddd", [f"{n:02d}" for n in range(100)])
def test_every_area_code_answers_as_phonenumbers(ddd: str) -> None:
    """Every two-digit area code, every next digit, several subscriber numbers."""
    rng = random.Random(int(ddd))
    for third, _ in itertools.product("0123456789", range(3)):
        rest = "".join(rng.choice("0123456789") for _ in range(8))
        for text in (f"+55{ddd}{third}{rest}", f"+55{ddd}{third}{rest[:7]}"):
            fast = bool(c._BR_MOBILE_E164.fullmatch(text))
            expected = library_e164(text, None)
            if fast:
                assert expected == text
                assert library_e164(text, "BR") == text
            assert outcome(c._e164, "f", text, None) == outcome(c._e164, "f", text, "US")
            got = outcome(Mobile.parse, text)
            if expected is None:
                assert got[0] == "error"
            else:
                assert got == ("ok", Mobile(expected))


@given(
    # a country code never starts with 0: "+0..." under a region whose international prefix
    # is "00" (PT, GB, AR, IN, BR) or "011" (US) is read through that prefix ("+001" under PT
    # is too short after it; under no region, a bad country code), so it is left out here
    st.text(alphabet="0123456789", min_size=0, max_size=17).filter(lambda d: not d.startswith("0")),
    st.sampled_from(["BR", "US", "PT", "AR", "GB", "IN"]),
)
@example("5511987654321", "US")
@example("", "BR")
def test_plus_and_digits_do_not_depend_on_the_region(digits: str, region: str) -> None:
    """The slow path files "+digits" under no region: phonenumbers agrees it does not matter."""
    text = "+" + digits

    def raw(reg: str | None) -> tuple[str, Any]:
        try:
            number = phonenumbers.parse(text, reg)
        except phonenumbers.NumberParseException as exc:
            return "error", exc._msg
        return "ok", number

    assert raw(region) == raw(None)
    assert library_e164(text, region) == library_e164(text, None)


PHONE_LIKE = st.text(alphabet="0123456789()+- ext.#\uff19", max_size=24)


@given(PHONE_LIKE, st.sampled_from(["BR", "US"]))
@example("(11) 98765-4321", "BR")
@example("+55 11 98765-4321", "BR")
@example("(11) 3456-7890", "BR")
def test_mobile_parse_is_what_phonenumbers_says(text: str, region: str) -> None:
    expected = library_e164(text, region)
    got = outcome(lambda t: Mobile.parse(t, region=region), text)
    if expected is None:
        assert got[0] == "error"
    else:
        assert got == ("ok", Mobile(expected))
