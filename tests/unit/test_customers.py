"""Worked examples for the customer record (cadastro do cliente) and its value types."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import attrs
import pytest
from stdnum.br import cpf as stdnum_cpf

from _support.builders import customer as _customer
from otocore.customers import (
    Cpf,
    CpfPolicy,
    Customer,
    Email,
    Loyalty,
    MaritalStatus,
    Mobile,
    Sex,
    _cpf_from_base,
)
from otocore.errors import ValidationError
from otocore.serialization import converter, make_converter

WHEN = datetime(2026, 3, 1, 15, 0, tzinfo=UTC)


# CPF ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    ["529.982.247-25", "52998224725", " 529 982 247 25 ", "529982247-25", "529.982.24725"],
)
def test_cpf_parse_accepts_the_ways_people_write_it(text: str) -> None:
    cpf = Cpf.parse(text)
    assert cpf.digits == "52998224725"
    assert cpf.formatted == "529.982.247-25"
    assert str(cpf) == "529.982.247-25"


def test_cpf_other_valid_examples_and_formatting() -> None:
    assert Cpf.parse("390.533.447-05").digits == "39053344705"
    assert Cpf("39053344705").formatted == "390.533.447-05"
    assert repr(Cpf("39053344705")) == "Cpf('39053344705')"


def test_cpf_wrong_check_digit_names_the_field_and_value() -> None:
    with pytest.raises(ValidationError) as info:
        Cpf.parse("529.982.247-26")
    assert info.value.field == "Customer.cpf"
    assert info.value.value == "529.982.247-26"
    assert info.value.rule == "has wrong check digits"
    with pytest.raises(
        ValidationError, match=r"^Cpf\.digits has wrong check digits, got '52998224735'$"
    ):
        Cpf("52998224735")


def test_cpf_field_name_can_be_chosen() -> None:
    with pytest.raises(ValidationError) as info:
        Cpf.parse("123", field="row[3].cpf")
    assert info.value.field == "row[3].cpf"


def _script(text: str, zero: int) -> str:
    """Write the ASCII digits of ``text`` with the digits of another script."""
    return text.translate({ord("0") + d: zero + d for d in range(10)})


ARABIC_INDIC, PERSIAN, FULLWIDTH = 0x0660, 0x06F0, 0xFF10


@pytest.mark.parametrize(
    "text",
    [
        _script("52998224725", ARABIC_INDIC),
        _script("52998224725", PERSIAN),
        _script("529.982.247-25", FULLWIDTH),
        _script("52998224725", FULLWIDTH),
        "529.982.247-2" + _script("5", FULLWIDTH),  # one full-width digit
        "529\uff0e982\uff0e247\uff0d25",  # full-width separators
        "529\u2013982\u2013247\u201325",  # en dashes that stdnum would turn into '-'
    ],
)
def test_cpf_digits_from_other_scripts_are_refused(text: str) -> None:
    # python-stdnum alone would accept the full-width forms, so a block list keyed on
    # 52998224725 could be dodged; otocore refuses anything not ASCII.
    with pytest.raises(ValidationError) as info:
        Cpf.parse(text)
    assert info.value.field == "Customer.cpf"
    assert "ASCII" in info.value.rule
    with pytest.raises(ValidationError, match=r"^Cpf\.digits must be 11 ASCII digits") as bare:
        Cpf(text)
    assert bare.value.field == "Cpf.digits"
    assert bare.value.value == text


@pytest.mark.parametrize(
    "text", ["", "5299822472", "529982247255", "529.982.247-2a", "52998224725x", "abc", "\t"]
)
def test_cpf_malformed(text: str) -> None:
    with pytest.raises(ValidationError, match=r"^Customer\.cpf must be 11 ASCII digits"):
        Cpf.parse(text)


def test_cpf_constructor_takes_bare_digits_only() -> None:
    with pytest.raises(ValidationError) as info:
        Cpf("529.982.247-25")
    assert info.value.field == "Cpf.digits"
    with pytest.raises(ValidationError, match=r"^Cpf\.digits must be a string, got 52998224725$"):
        Cpf(52998224725)  # type: ignore[arg-type]


@pytest.mark.parametrize("digit", "123456789")
def test_repeated_digit_cpfs_refused_by_default_and_accepted_by_policy(digit: str) -> None:
    text = f"{digit * 3}.{digit * 3}.{digit * 3}-{digit * 2}"
    assert stdnum_cpf.is_valid(text)  # the library accepts it ...
    repeated = r"^Customer\.cpf must not repeat one digit 11 times"
    with pytest.raises(ValidationError, match=repeated):
        Cpf.parse(text)  # ... otocore does not, by default
    with pytest.raises(ValidationError, match=repeated) as info:
        CpfPolicy().parse(text)
    assert info.value.field == "Customer.cpf"
    assert info.value.value == text
    accepted = CpfPolicy(allow_repeated_digits=True).parse(text)
    assert accepted.digits == digit * 11
    assert accepted == Cpf.parse(text, allow_repeated=True)
    assert repr(accepted) == f"Cpf('{digit * 11}', allow_repeated=True)"


def test_all_zero_cpf_is_refused_even_by_a_permissive_policy() -> None:
    with pytest.raises(
        ValidationError,
        match=r"^Customer\.cpf is not a CPF \(000\.000\.000-00 is never issued\), got '000\.000\.000-00'$",
    ):
        CpfPolicy(allow_repeated_digits=True).parse("000.000.000-00")


def test_cpf_equality_ignores_the_policy_flag() -> None:
    assert Cpf("52998224725") == Cpf("52998224725", allow_repeated=True)
    assert len({Cpf("52998224725"), Cpf("52998224725", allow_repeated=True)}) == 1


def test_cpf_masked_hides_first_three_and_last_two_digits() -> None:
    assert Cpf("52998224725").masked == "***.982.247-**"


def test_cpf_from_base_agrees_with_stdnum() -> None:
    assert _cpf_from_base("529982247") == "52998224725"
    assert _cpf_from_base("390533447") == "39053344705"
    for n in range(1, 999_999_999, 7_654_321):
        digits = _cpf_from_base(f"{n:09d}")
        assert stdnum_cpf.is_valid(digits), digits


def test_policy_and_flag_must_be_bools() -> None:
    with pytest.raises(
        ValidationError, match=r"^CpfPolicy\.allow_repeated_digits must be a bool, got 'yes'$"
    ):
        CpfPolicy(allow_repeated_digits="yes")  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"^allow_repeated must be a bool, got 1$"):
        Cpf.parse("52998224725", allow_repeated=1)  # type: ignore[arg-type]


# E-mail -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("ana.souza@example.com", "ana.souza@example.com"),
        ("Ana.Souza@Example.COM", "ana.souza@example.com"),
        ("  ANA.SOUZA@EXAMPLE.COM\n", "ana.souza@example.com"),
        ("ana+loja@example.com.br", "ana+loja@example.com.br"),
        ("José.Silva@EXEMPLO.com.br", "josé.silva@exemplo.com.br"),
        ("ana@MÜNCHEN.de", "ana@münchen.de"),
    ],
)
def test_email_normalization(text: str, canonical: str) -> None:
    email = Email.parse(text)
    assert email.address == canonical
    assert str(email) == canonical
    assert Email.parse(canonical) == email


def test_email_case_variants_are_equal_and_hash_alike() -> None:
    variants = {Email.parse(t) for t in ["ana@example.com", "ANA@example.com", "Ana@EXAMPLE.com"]}
    assert variants == {Email("ana@example.com")}


@pytest.mark.parametrize(
    "text",
    ["", "ana", "ana@", "@example.com", "ana@example", "ana @example.com", "Ana <ana@example.com>"],
)
def test_email_invalid(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        Email.parse(text)
    assert info.value.field == "Customer.email"
    assert info.value.rule.startswith("is not a valid e-mail address")


def test_email_needs_no_dns() -> None:
    # a domain that does not exist is fine: deliverability is not checked
    assert Email.parse("x@nao-existe.invalido.example").address == "x@nao-existe.invalido.example"


def test_email_constructor_requires_canonical_form() -> None:
    with pytest.raises(ValidationError, match=r"^Email\.address must be in canonical form"):
        Email("Ana@example.com")
    with pytest.raises(ValidationError, match=r"^Email\.address must be a string, got None$"):
        Email(None)  # type: ignore[arg-type]


# Mobile -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "e164"),
    [
        ("(11) 98765-4321", "+5511987654321"),
        ("11 98765-4321", "+5511987654321"),
        ("011 98765 4321", "+5511987654321"),
        ("+55 11 98765-4321", "+5511987654321"),
        ("+5511987654321", "+5511987654321"),
        ("(21) 99999-0000", "+5521999990000"),
        ("+1 650-253-0000", "+16502530000"),  # the US does not tell mobiles from fixed lines
    ],
)
def test_mobile_parsing(text: str, e164: str) -> None:
    mobile = Mobile.parse(text)
    assert mobile.e164 == e164
    assert Mobile(e164) == mobile


def test_mobile_formatted_in_its_own_country() -> None:
    assert Mobile.parse("11987654321").formatted == "(11) 98765-4321"


@pytest.mark.parametrize(
    ("text", "rule"),
    [
        ("(11) 3456-7890", "must be a mobile number (this is a fixed line)"),
        ("98765-4321", "is not a valid phone number"),  # no area code
        ("(11) 98765-4321 ext. 12", "must be a mobile number without an extension"),
        ("", "is not a phone number"),
        ("abc", "is not a phone number"),
    ],
)
def test_mobile_invalid(text: str, rule: str) -> None:
    with pytest.raises(ValidationError) as info:
        Mobile.parse(text)
    assert info.value.field == "Customer.mobile"
    assert info.value.rule.startswith(rule)


def test_mobile_region() -> None:
    assert Mobile.parse("612 345 678", region="es").e164 == "+34612345678"
    with pytest.raises(
        ValidationError,
        match=r"^region must be a two-letter region code known to phonenumbers, such as 'BR', got 'XX'$",
    ):
        Mobile.parse("(11) 98765-4321", region="XX")


def test_mobile_constructor_requires_e164() -> None:
    with pytest.raises(ValidationError, match=r"^Mobile\.e164 must be in E\.164 form"):
        Mobile("11987654321")
    with pytest.raises(ValidationError, match=r"^Mobile\.e164 must be in E\.164 form"):
        Mobile("+55 11 98765-4321")


# Enumerations and loyalty -------------------------------------------------------


def test_enum_values_and_labels() -> None:
    assert [(s.value, s.label) for s in Sex] == [
        ("female", "Feminino"),
        ("male", "Masculino"),
        ("other", "Outro"),
    ]
    assert [(m.value, m.label) for m in MaritalStatus] == [
        ("single", "Solteiro(a)"),
        ("married", "Casado(a)"),
        ("stable_union", "União estável"),
        ("divorced", "Divorciado(a)"),
        ("widowed", "Viúvo(a)"),
        ("separated", "Separado(a)"),
    ]


def test_loyalty_program_and_optional_category() -> None:
    assert Loyalty(program="Clube Brisa").category is None
    with pytest.raises(ValidationError, match=r"^Loyalty\.category must not be empty, got ''$"):
        Loyalty(program="Clube Brisa", category="")


# Customer -----------------------------------------------------------------------


def test_customer_minimal_record() -> None:
    customer = _customer()
    assert customer.cpf is None
    assert customer.email is None
    assert customer.loyalty is None
    assert customer.registered_at == WHEN


def test_customer_complete_record_from_the_seed() -> None:
    # "nome, CPF, data de nascimento, e-mail, celular e outros dados cadastrais"
    customer = _customer(
        cpf=Cpf.parse("529.982.247-25"),
        rg="12.345.678-X",
        birth_date=date(1990, 5, 10),
        email=Email.parse("Ana.Souza@Example.com"),
        mobile=Mobile.parse("(11) 98765-4321"),
        sex=Sex.FEMALE,
        marital_status=MaritalStatus.STABLE_UNION,
        home_store_id="L01",
        loyalty=Loyalty(program="Clube Brisa", category="Ouro"),
    )
    assert customer.cpf is not None
    assert customer.cpf.formatted == "529.982.247-25"
    assert customer.age_on(date(2026, 5, 10)) == 36


def test_customer_is_frozen() -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        _customer().name = "Bia"  # type: ignore[misc]


def test_customer_registered_at_is_kept_in_utc() -> None:
    local = datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=-3)))
    customer = _customer(registered_at=local)
    assert customer.registered_at.utcoffset() == timedelta(0)
    assert customer.registered_at == local
    assert customer == _customer(registered_at=local.astimezone(UTC))


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("customer_id", "", "must not be empty"),
        ("name", "   ", "must not be empty"),
        ("name", 7, "must be a string"),
        ("registered_at", datetime(2026, 3, 1, 12, 0), "must be timezone-aware"),
        ("registered_at", date(2026, 3, 1), "must be a timezone-aware datetime"),
        ("cpf", "52998224725", "must be a Cpf or None (build it with Cpf.parse)"),
        ("email", "ana@example.com", "must be a Email or None (build it with Email.parse)"),
        ("mobile", "+5511987654321", "must be a Mobile or None (build it with Mobile.parse)"),
        ("sex", "female", "must be a Sex or None"),
        ("marital_status", "single", "must be a MaritalStatus or None"),
        ("loyalty", "Ouro", "must be a Loyalty or None"),
        ("birth_date", datetime(1990, 1, 1, tzinfo=UTC), "must be a datetime.date"),
        ("birth_date", date(1899, 12, 31), "must be on or after 1900-01-01"),
        ("rg", "", "must not be empty"),
        ("rg", "ABC", "must be ASCII letters, digits, '.', '/', '-' or spaces, with a digit"),
        (
            "rg",
            "12.345.678-" + _script("5", ARABIC_INDIC),
            "must be ASCII letters, digits, '.', '/', '-' or spaces, with a digit",
        ),
        ("rg", "1" * 21, "must be at most 20 characters"),
        ("home_store_id", "", "must not be empty"),
    ],
)
def test_customer_rejects_bad_input_naming_field_and_value(
    field: str, value: object, rule: str
) -> None:
    with pytest.raises(ValidationError) as info:
        _customer(**{field: value})
    assert info.value.field == f"Customer.{field}"
    assert info.value.value == value
    assert info.value.rule.startswith(rule)


@pytest.mark.parametrize(
    ("name", "first"),
    [
        ("Ana Souza", "Ana"),
        ("  Ana   Souza", "Ana"),
        ("MARIA DA CONCEIÇÃO", "Maria"),
        ("josé da silva", "José"),
        ("ANA-CLARA LIMA", "Ana-Clara"),
        ("McKenzie Lima", "McKenzie"),
        ("Ícaro", "Ícaro"),
    ],
)
def test_first_name_for_message_templates(name: str, first: str) -> None:
    assert _customer(name=name).first_name == first


@pytest.mark.parametrize(
    ("born", "day", "age"),
    [
        (date(1990, 5, 10), date(2026, 5, 9), 35),
        (date(1990, 5, 10), date(2026, 5, 10), 36),
        (date(1990, 5, 10), date(1990, 5, 10), 0),
        (date(2000, 2, 29), date(2026, 2, 28), 25),  # leaplings age on 1 March in common years
        (date(2000, 2, 29), date(2026, 3, 1), 26),
        (date(2000, 2, 29), date(2028, 2, 29), 28),
    ],
)
def test_age_on(born: date, day: date, age: int) -> None:
    assert _customer(birth_date=born).age_on(day) == age


def test_age_on_without_birth_date_and_bad_days() -> None:
    assert _customer().age_on(date(2026, 1, 1)) is None
    with pytest.raises(
        ValidationError,
        match=r"^day must not be before the birth date 1990-05-10, got datetime\.date\(1990, 5, 9\)$",
    ):
        _customer(birth_date=date(1990, 5, 10)).age_on(date(1990, 5, 9))
    with pytest.raises(
        ValidationError,
        match=r"^day must be a datetime\.date \(a local calendar day\), got datetime\.datetime\(",
    ):
        _customer(birth_date=date(1990, 5, 10)).age_on(WHEN)  # type: ignore[arg-type]


# Serialization ------------------------------------------------------------------


def test_serialized_forms() -> None:
    customer = _customer(
        cpf=Cpf("52998224725"),
        email=Email("ana@example.com"),
        mobile=Mobile("+5511987654321"),
        sex=Sex.FEMALE,
        loyalty=Loyalty(program="Clube Brisa", category="Ouro"),
        birth_date=date(1990, 5, 10),
    )
    data = converter.unstructure(customer)
    assert data["cpf"] == "52998224725"
    assert data["email"] == "ana@example.com"
    assert data["mobile"] == "+5511987654321"
    assert data["sex"] == "female"
    assert data["birth_date"] == "1990-05-10"
    assert data["registered_at"] == "2026-03-01T15:00:00+00:00"
    assert data["loyalty"] == {"program": "Clube Brisa", "category": "Ouro", "card_number": None}
    assert converter.structure(data, Customer) == customer


def test_structuring_normalizes_typed_input() -> None:
    data = converter.unstructure(_customer())
    data.update(cpf="529.982.247-25", email="ANA@Example.com", mobile="(11) 98765-4321")
    customer = converter.structure(data, Customer)
    assert customer.cpf == Cpf("52998224725")
    assert customer.email == Email("ana@example.com")
    assert customer.mobile == Mobile("+5511987654321")


def test_structuring_reports_every_bad_field_by_path() -> None:
    data = converter.unstructure(_customer())
    data.update(cpf="111.111.111-11", email="ana@", mobile="(11) 3456-7890", sex="F")
    with pytest.raises(ValidationError) as info:
        converter.structure(data, Customer)
    fields = sorted(e.field for e in info.value.errors)
    assert fields == ["Customer.cpf", "Customer.email", "Customer.mobile", "Customer.sex"]


def test_repeated_digit_cpf_round_trips_only_under_a_permissive_converter() -> None:
    from otocore.serialization import _customers as _hooks_customers

    customer = _customer(cpf=CpfPolicy(allow_repeated_digits=True).parse("111.111.111-11"))
    data = converter.unstructure(customer)
    assert data["cpf"] == "11111111111"
    with pytest.raises(ValidationError, match=r"^Customer\.cpf must not repeat one digit 11 times"):
        converter.structure(data, Customer)
    permissive = make_converter()
    _hooks_customers.configure(permissive, cpf_policy=CpfPolicy(allow_repeated_digits=True))
    assert permissive.structure(data, Customer) == customer
