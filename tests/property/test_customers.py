"""Invariants of the customer value types: parsers round-trip, junk raises only OtocoreError."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from stdnum.br import cpf as stdnum_cpf

from _support.strategies import JSON
from otocore.customers import Cpf, CpfPolicy, Customer, Email, Loyalty, Mobile, _cpf_from_base
from otocore.errors import OtocoreError, ValidationError
from otocore.serialization import converter
from otocore.testing._customers import cpfs, customers, emails, loyalties, mobiles

PARSERS: dict[str, Callable[[Any], object]] = {
    "Cpf.parse": Cpf.parse,
    "Cpf.parse(allow_repeated)": lambda t: Cpf.parse(t, allow_repeated=True),
    "Cpf": Cpf,
    "Email.parse": Email.parse,
    "Email": Email,
    "Mobile.parse": Mobile.parse,
    "Mobile": Mobile,
}

CPF_LIKE = st.text(alphabet="0123456789.- \u0665\uff15\u0661", min_size=9, max_size=16)
PHONE_LIKE = st.text(alphabet="0123456789()+- ext.#\uff19", max_size=24)
EMAIL_LIKE = st.text(alphabet="aAzZ09.+-_@ \u00e9\u0130\u212a\u00df\u0301", max_size=24)


@given(cpfs())
def test_every_generated_cpf_round_trips_through_its_formatted_form(cpf: Cpf) -> None:
    assert stdnum_cpf.is_valid(cpf.digits)
    assert Cpf.parse(cpf.formatted) == cpf
    assert Cpf.parse(cpf.digits) == cpf
    assert cpf.formatted == stdnum_cpf.format(cpf.digits)


@given(st.integers(1, 999_999_998).map(lambda n: f"{n:09d}"))
def test_check_digits_agree_with_stdnum(base: str) -> None:
    digits = _cpf_from_base(base)
    assert stdnum_cpf.is_valid(digits)


@given(cpfs(), st.integers(1, 99))
def test_any_other_check_digits_are_refused(cpf: Cpf, shift: int) -> None:
    wrong = f"{cpf.digits[:9]}{(int(cpf.digits[9:]) + shift) % 100:02d}"
    with pytest.raises(
        ValidationError, match=rf"^Customer\.cpf has wrong check digits, got '{wrong}'$"
    ):
        Cpf.parse(wrong, allow_repeated=True)


@given(st.sampled_from("123456789"), st.booleans())
def test_repeated_digits_follow_the_policy(digit: str, allow: bool) -> None:
    policy = CpfPolicy(allow_repeated_digits=allow)
    text = digit * 11
    if allow:
        assert policy.parse(text).digits == text
    else:
        with pytest.raises(
            ValidationError, match=r"^Customer\.cpf must not repeat one digit 11 times"
        ) as info:
            policy.parse(text)
        assert info.value.field == "Customer.cpf"
        assert info.value.value == text


@given(emails())
def test_email_canonical_form_is_a_fixed_point(email: Email) -> None:
    assert Email.parse(email.address) == email
    assert Email.parse(email.address.upper()) == email
    assert email.address == email.address.lower()


@given(mobiles())
def test_mobile_round_trips_through_national_format(mobile: Mobile) -> None:
    assert Mobile.parse(mobile.formatted) == mobile
    assert Mobile.parse(mobile.e164) == mobile


@pytest.mark.parametrize("name", sorted(PARSERS))
@given(junk=st.text() | CPF_LIKE | PHONE_LIKE | EMAIL_LIKE | JSON)
@example(junk="\u0665\u0662\u0669\u0669\u0668\u0662\u0662\u0664\u0667\u0662\u0665")
@example(junk="\ud800")
@example(junk="+55 11 98765-4321 ext. 9")
def test_junk_to_every_parser_raises_only_otocore_errors(name: str, junk: Any) -> None:
    parse = PARSERS[name]
    try:
        value = parse(junk)
    except OtocoreError:
        return
    # whatever was accepted is a well-formed value that parses back to itself
    if isinstance(value, Cpf):
        assert value.digits.isascii()
        assert Cpf.parse(value.formatted, allow_repeated=True) == value
    elif isinstance(value, Email):
        assert Email.parse(value.address) == value
    elif isinstance(value, Mobile):
        assert Mobile(value.e164) == value


@pytest.mark.parametrize(
    "values",
    [
        pytest.param(customers(), id="Customer"),
        pytest.param(cpfs(), id="Cpf"),
        pytest.param(emails(), id="Email"),
        pytest.param(mobiles(), id="Mobile"),
        pytest.param(loyalties(), id="Loyalty"),
    ],
)
@given(draws=st.data())
def test_round_trip_through_json(values: st.SearchStrategy[Any], draws: st.DataObject) -> None:
    value = draws.draw(values, label="value")
    data = converter.unstructure(value)
    text = json.dumps(data)
    assert converter.structure(json.loads(text), type(value)) == value


@given(customers())
def test_customer_serialized_forms(customer: Customer) -> None:
    data = converter.unstructure(customer)
    if customer.cpf is not None:
        assert data["cpf"] == customer.cpf.digits
    if customer.email is not None:
        assert data["email"] == customer.email.address
    if customer.mobile is not None:
        assert data["mobile"] == customer.mobile.e164


@pytest.mark.parametrize("cls", [Customer, Cpf, Email, Mobile, Loyalty])
@given(junk=JSON)
def test_junk_to_the_converter_raises_only_validation_error(cls: type, junk: Any) -> None:
    with contextlib.suppress(ValidationError):
        converter.structure(junk, cls)


@given(
    customer=customers(),
    key=st.sampled_from(["cpf", "email", "mobile", "birth_date", "sex", "loyalty", "name"]),
    junk=JSON,
)
def test_a_bad_customer_field_is_named_by_its_path(customer: Customer, key: str, junk: Any) -> None:
    data = converter.unstructure(customer)
    data[key] = junk
    try:
        converter.structure(data, Customer)
    except ValidationError as err:
        fields = [e.field for e in err.errors]
    else:
        return
    assert all(f.startswith(f"Customer.{key}") for f in fields), fields
