"""Cadastro do cliente (customer record): who the customer is and how to reach them.

Reshop's customer module help page describes the *Cadastro* menu: a
central record of every customer who bought from the brand, searched "com base
em seu CPF (Cadastro de Pessoa Física) ou RG (Registro Geral)", whose "data de
nascimento, e-mail e número de celular" the SAC desk corrects, and which the
dashboard filters by "Sexo", "Estado civil", "Faixa etária", "Programa de
fidelidade" and "Categoria". Altegio's customer database help page adds the
customer's contact details and categories.

A :class:`Customer` needs only ``customer_id``, ``name`` and ``registered_at``
(an aware instant, kept in UTC); everything else is optional because real
records are incomplete. The contact fields are value types, each validated by
the library that does the job best, never by hand:

* :class:`Cpf`: 11 ASCII digits with valid check digits (python-stdnum's
  ``stdnum.br.cpf``); 111.111.111-11 and the other repeated-digit numbers are
  refused unless the brand's :class:`CpfPolicy` accepts them.
* :class:`Email`: checked and normalized by email-validator without a DNS
  look-up; the canonical form is all lowercase.
* :class:`Mobile`: parsed by phonenumbers (default region BR), kept in E.164.

>>> from datetime import UTC, datetime
>>> ana = Customer(
...     customer_id="C1",
...     name="Ana Souza",
...     registered_at=datetime(2026, 3, 1, 15, 0, tzinfo=UTC),
...     cpf=Cpf.parse("529.982.247-25"),
...     email=Email.parse("Ana.Souza@Example.COM"),
...     mobile=Mobile.parse("(11) 98765-4321"),
... )
>>> ana.cpf.formatted, ana.email.address, ana.mobile.e164
('529.982.247-25', 'ana.souza@example.com', '+5511987654321')
>>> ana.first_name
'Ana'

Each error names the field and the offending value:

>>> Cpf.parse("529.982.247-26")
Traceback (most recent call last):
...
otocore.errors.ValidationError: Customer.cpf has wrong check digits, got '529.982.247-26'
>>> Cpf.parse("111.111.111-11")
Traceback (most recent call last):
...
otocore.errors.ValidationError: Customer.cpf must not repeat one digit 11 times (a brand may accept it with CpfPolicy(allow_repeated_digits=True)), got '111.111.111-11'
>>> Email.parse("ana@")
Traceback (most recent call last):
...
otocore.errors.ValidationError: Customer.email is not a valid e-mail address (There must be something after the @-sign.), got 'ana@'
>>> Mobile.parse("(11) 3456-7890")
Traceback (most recent call last):
...
otocore.errors.ValidationError: Customer.mobile must be a mobile number (this is a fixed line), got '(11) 3456-7890'
"""

from __future__ import annotations

import enum
import functools
import re
from datetime import date, datetime
from typing import Any

import attrs
import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.br import cpf as stdnum_cpf

from otocore import _validate as v
from otocore.errors import ValidationError

__all__ = [
    "ANONYMOUS_ID_PREFIX",
    "Cpf",
    "CpfPolicy",
    "Customer",
    "Email",
    "Loyalty",
    "MaritalStatus",
    "Mobile",
    "Sex",
    "is_anonymous_id",
]

ANONYMOUS_ID_PREFIX = "anon-"
"""How the id of an anonymized customer begins (``anon-`` and 32 letters a-p, never digits).

An anonymized customer's orders keep this id (LGPD art. 16: fiscal records stay,
unlinked from the person); no customer record carries it, and the daily job leaves
such ids out of the carteira. Ids of real customers must not begin with it.
"""


def is_anonymous_id(customer_id: str) -> bool:
    """Whether ``customer_id`` is the anonymous id of an anonymized customer.

    >>> is_anonymous_id("anon-kfpgdjebhkmndlaafhgbnoefpnmbcohk"), is_anonymous_id("C1")
    (True, False)
    """
    return isinstance(customer_id, str) and customer_id.startswith(ANONYMOUS_ID_PREFIX)


_DIGITS = frozenset("0123456789")
_CPF_FORMAT_RULE = "must be 11 ASCII digits (0-9), optionally written as 000.000.000-00"
_CPF_SCIENTIFIC_RULE = (
    "is a number in scientific notation, as a spreadsheet shows a long number: its last"
    " digits are lost; export the CPF column as text"
)
# "5.29982E+10", "5,29982e10": what a spreadsheet writes for an 11-digit number.
_SCIENTIFIC = re.compile(r"\s*\d(?:[.,]\d+)?[eE][+]?\d+\s*")
_CPF_REPEATED_RULE = (
    "must not repeat one digit 11 times"
    " (a brand may accept it with CpfPolicy(allow_repeated_digits=True))"
)
_MIN_BIRTH_DATE = date(1900, 1, 1)
_RG_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz./- ")
_A_BOOL = v.boolean_with_rule("must be a bool")


# CPF ------------------------------------------------------------------------


def _check_cpf_digits(field: str, value: Any, digits: Any, *, allow_repeated: bool) -> str:
    """Check an already compacted CPF; report ``value`` (what the caller gave)."""
    if not isinstance(digits, str):
        raise ValidationError(field, value, "must be a string")
    if len(digits) != 11 or not _DIGITS.issuperset(digits):
        raise ValidationError(field, value, _CPF_FORMAT_RULE)
    if digits == digits[0] * 11:
        if digits == "00000000000":
            raise ValidationError(field, value, "is not a CPF (000.000.000-00 is never issued)")
        if not allow_repeated:
            raise ValidationError(field, value, _CPF_REPEATED_RULE)
    # python-stdnum's check, done here without its compact() (already done): the
    # tests compare _cpf_from_base with stdnum.br.cpf.is_valid on every shape
    if _cpf_from_base(digits[:9]) != digits:
        raise ValidationError(field, value, "has wrong check digits")
    return digits


def _validate_cpf(instance: Cpf, attribute: attrs.Attribute[Any], value: Any) -> None:
    _check_cpf_digits("Cpf.digits", value, value, allow_repeated=instance.allow_repeated)


def _cpf_from_base(base: str) -> str:
    """Append the two check digits to a 9-digit CPF base.

    python-stdnum validates and formats CPFs but does not generate them; the
    sample brand and the test strategies need this, and the tests check every
    result against ``stdnum.br.cpf.is_valid``.
    """
    a, b, c, d, e, f, g, h, i = base.encode("ascii")  # the digits' codes: 48 + digit
    plain = a + b + c + d + e + f + g + h + i - 9 * 48  # the weights 10..2 and 11..3 differ by one
    first_total = 10 * a + 9 * b + 8 * c + 7 * d + 6 * e + 5 * f + 4 * g + 3 * h + 2 * i - 54 * 48
    first = (11 - first_total) % 11 % 10
    second = (11 - (first_total + plain + 2 * first)) % 11 % 10
    return f"{base}{first}{second}"


@attrs.frozen(repr=False)
class Cpf:
    """CPF (Cadastro de Pessoas Físicas), the individual taxpayer number.

    Stored as exactly 11 ASCII digits with valid check digits (checked by
    python-stdnum). Digits from other scripts (Arabic-Indic, full-width) are
    refused, so a CPF block list cannot be dodged by writing the same number
    with other characters. Numbers that repeat one digit (111.111.111-11)
    pass the check-digit test but are placeholders typed when the customer
    gives no CPF; they are refused unless ``allow_repeated=True``, which
    :class:`CpfPolicy` sets for brands that chose to accept them. Equality
    compares the digits only.

    Build one from user input with :meth:`parse`; the constructor takes the
    bare digits.

    >>> cpf = Cpf("52998224725")
    >>> cpf
    Cpf('52998224725')
    >>> str(cpf), cpf.masked
    ('529.982.247-25', '***.982.247-**')
    >>> Cpf("11111111111", allow_repeated=True)
    Cpf('11111111111', allow_repeated=True)
    >>> Cpf("529.982.247-25")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Cpf.digits must be 11 ASCII digits (0-9), optionally written as 000.000.000-00, got '529.982.247-25'
    """

    digits: str = attrs.field(validator=_validate_cpf)
    allow_repeated: bool = attrs.field(default=False, kw_only=True, eq=False, validator=_A_BOOL)

    @classmethod
    def parse(
        cls,
        text: str,
        *,
        allow_repeated: bool = False,
        restore_leading_zeros: bool = False,
        field: str = "Customer.cpf",
    ) -> Cpf:
        """Read a CPF as people write it: "529.982.247-25", "52998224725", with spaces.

        Separators (``.``, ``-``, spaces) are removed by python-stdnum's
        ``compact``; anything that is not ASCII is refused before that, since
        stdnum would quietly turn full-width digits into ASCII ones.

        Spreadsheets store a CPF column as numbers and drop its leading zeros:
        ``012.345.678-90`` comes out as ``1234567890``. Such a value is refused
        with an error that says so, unless ``restore_leading_zeros=True`` (the
        brand's :class:`CpfPolicy` choice), which pads a value of fewer than 11
        digits with zeros on the left before the check digits are checked. A
        number in scientific notation (``5.29982E+10``) has lost digits for
        good and is always refused. ``000.000.000-00`` is refused either way.

        Args:
            text: the CPF, formatted or not.
            allow_repeated: accept repeated-digit numbers such as 111.111.111-11.
            restore_leading_zeros: pad a CPF that a spreadsheet shortened.
            field: the field named in a :class:`~otocore.errors.ValidationError`.

        Returns:
            The :class:`Cpf`.

        Raises:
            ValidationError: malformed, wrong check digits, a refused
                repeated-digit number, or leading zeros missing.

        >>> Cpf.parse(" 529 982 247 25 ")
        Cpf('52998224725')
        >>> Cpf.parse("\uff15\uff12\uff19\uff19\uff18\uff12\uff12\uff14\uff17\uff12\uff15")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: Customer.cpf must be 11 ASCII digits (0-9), optionally written as 000.000.000-00, got '\uff15\uff12\uff19\uff19\uff18\uff12\uff12\uff14\uff17\uff12\uff15'
        >>> Cpf.parse("1234567890")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: Customer.cpf has 10 digits, not 11: a spreadsheet may have dropped its leading zeros (012.345.678-90); write all 11 digits, or restore the zeros with CpfPolicy(restore_leading_zeros=True) (otocore import --cpf-restore-zeros), got '1234567890'
        >>> Cpf.parse("1234567890", restore_leading_zeros=True)
        Cpf('01234567890')
        """
        v.require_str(field, text)
        v.require_bool("allow_repeated", allow_repeated, rule="must be a bool")
        v.require_bool("restore_leading_zeros", restore_leading_zeros, rule="must be a bool")
        if len(text) == 11 and text.isascii() and text.isdigit():
            # already 11 ASCII digits: compact() and the checks below leave it as it is
            digits = _check_cpf_digits(field, text, text, allow_repeated=allow_repeated)
            return v.build_trusted(cls, digits=digits, allow_repeated=allow_repeated)
        if not text.isascii():
            raise ValidationError(field, text, _CPF_FORMAT_RULE)
        if _SCIENTIFIC.fullmatch(text):
            raise ValidationError(field, text, _CPF_SCIENTIFIC_RULE)
        digits = stdnum_cpf.compact(text)
        if 0 < len(digits) < 11 and _DIGITS.issuperset(digits):
            padded = digits.zfill(11)
            if restore_leading_zeros:
                digits = padded
            elif stdnum_cpf.is_valid(padded) and len(set(padded)) > 1:
                raise ValidationError(
                    field,
                    text,
                    f"has {len(digits)} digits, not 11: a spreadsheet may have dropped its"
                    f" leading zeros ({stdnum_cpf.format(padded)}); write all 11 digits, or"
                    " restore the zeros with CpfPolicy(restore_leading_zeros=True)"
                    " (otocore import --cpf-restore-zeros)",
                )
        _check_cpf_digits(field, text, digits, allow_repeated=allow_repeated)
        # the constructor's validator is the check just made: not run twice
        return v.build_trusted(cls, digits=digits, allow_repeated=allow_repeated)

    @property
    def formatted(self) -> str:
        """The CPF as "000.000.000-00" (python-stdnum's ``format``).

        >>> Cpf("52998224725").formatted
        '529.982.247-25'
        """
        return str(stdnum_cpf.format(self.digits))

    @property
    def masked(self) -> str:
        """The CPF with its first three and last two digits hidden, for screens and logs.

        >>> Cpf("52998224725").masked
        '***.982.247-**'
        """
        return f"***.{self.digits[3:6]}.{self.digits[6:9]}-**"

    def __str__(self) -> str:
        return self.formatted

    def __repr__(self) -> str:
        extra = ", allow_repeated=True" if self.allow_repeated else ""
        return f"Cpf({self.digits!r}{extra})"


@attrs.frozen(kw_only=True)
class CpfPolicy:
    """The brand's choices about CPFs that need one: repeated digits, missing zeros.

    Repeated-digit CPFs (111.111.111-11 and the like): check-digit libraries
    disagree on these numbers: python-stdnum accepts them, many Brazilian
    systems refuse them. They are valid by the check-digit rule but are what
    a clerk types when the customer has no CPF to give, so otocore refuses
    them by default; ``allow_repeated_digits=True`` accepts them.

    Missing leading zeros: a spreadsheet that stored the CPF column as
    numbers writes ``012.345.678-90`` as ``1234567890``. otocore refuses such
    a value by default, with an error that says what happened;
    ``restore_leading_zeros=True`` pads it back to 11 digits, and the check
    digits still decide. ``000.000.000-00`` is refused under every policy.

    >>> CpfPolicy().parse("111.111.111-11")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Customer.cpf must not repeat one digit 11 times (a brand may accept it with CpfPolicy(allow_repeated_digits=True)), got '111.111.111-11'
    >>> CpfPolicy(allow_repeated_digits=True).parse("111.111.111-11")
    Cpf('11111111111', allow_repeated=True)
    >>> CpfPolicy(restore_leading_zeros=True).parse("1234567890").formatted
    '012.345.678-90'
    """

    allow_repeated_digits: bool = attrs.field(default=False, validator=_A_BOOL)
    restore_leading_zeros: bool = attrs.field(default=False, validator=_A_BOOL)

    def parse(self, text: str, *, field: str = "Customer.cpf") -> Cpf:
        """:meth:`Cpf.parse` under this policy.

        >>> CpfPolicy().parse("52998224725").formatted
        '529.982.247-25'
        """
        return Cpf.parse(
            text,
            allow_repeated=self.allow_repeated_digits,
            restore_leading_zeros=self.restore_leading_zeros,
            field=field,
        )


# E-mail -------------------------------------------------------------------------


# An address already in the canonical form that email-validator keeps exactly as
# it is: a lowercase ASCII dot-atom local part, a lowercase ASCII host name of
# two or more labels (none with "--", so no Punycode or reserved R-LDH label)
# ending in a letters-only top-level label. tests/property/test_contact_fast_paths.py
# checks every address this matches against validate_email itself.
_PLAIN_EMAIL = re.compile(
    r"[a-z0-9_+-]+(?:\.[a-z0-9_+-]+)*@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
)
_EMAIL_CACHE = 65_536  # distinct addresses remembered by the slow path


def _is_plain_email(address: str) -> bool:
    """Whether ``address`` is an already-canonical address email-validator accepts unchanged."""
    if len(address) > 254 or not _PLAIN_EMAIL.fullmatch(address):
        return False
    at = address.index("@")
    domain = address[at + 1 :]
    if at > 64 or len(domain) > 253 or "--" in domain:
        return False
    special = _special_use_domains()
    if special is None:
        return False
    return domain[domain.rindex(".") + 1 :] not in special


@functools.cache
def _special_use_domains() -> frozenset[str] | None:
    """email-validator's special-use names, if all are top-level labels (else no fast path)."""
    import email_validator

    names = frozenset(email_validator.SPECIAL_USE_DOMAIN_NAMES)
    return None if any("." in name for name in names) else names


@functools.lru_cache(maxsize=_EMAIL_CACHE)
def _email_verdict(address: str) -> tuple[bool, str]:
    """``(True, canonical form)`` or ``(False, rule)``: email-validator's answer, once per value."""
    # Lowercasing can leave a string email-validator normalizes again (Unicode
    # NFC), so repeat until the form is stable: parse(canonical) == canonical.
    for _ in range(3):
        try:
            checked = validate_email(address, check_deliverability=False)
        except (EmailNotValidError, UnicodeError, ValueError) as exc:
            return False, f"is not a valid e-mail address ({exc})"
        canonical = f"{checked.local_part.lower()}@{checked.domain}"
        if canonical == address:
            return True, address
        address = canonical
    return False, "is not a valid e-mail address (no stable lowercase form)"


def _canonical_email(field: str, text: Any) -> str:
    address = v.require_str(field, text)
    if _is_plain_email(address):
        return address
    ok, answer = _email_verdict(address)
    if not ok:
        raise ValidationError(field, text, answer)
    return answer


def _validate_email(instance: Email, attribute: attrs.Attribute[Any], value: Any) -> None:
    canonical = _canonical_email("Email.address", value)
    if canonical != value:
        raise ValidationError(
            "Email.address",
            value,
            f"must be in canonical form ({canonical!r}); build it with Email.parse",
        )


@attrs.frozen(repr=False)
class Email:
    """E-mail address, checked by email-validator (syntax only, no DNS look-up).

    ``address`` is the canonical form: email-validator's normalized address
    (Unicode NFC, domain lowercased and IDNA-checked) with the local part
    lowercased too. Mail providers treat ``Ana.Souza@`` and ``ana.souza@`` as
    one mailbox and customers type either, so case variants of one address
    are equal. Nothing else is rewritten (dots and ``+tags`` stay).

    The constructor takes the canonical form; :meth:`parse` builds it.

    >>> Email("ana.souza@example.com")
    Email('ana.souza@example.com')
    >>> Email.parse("ANA.SOUZA@EXAMPLE.COM") == Email.parse("ana.souza@example.com")
    True
    >>> Email("Ana@example.com")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Email.address must be in canonical form ('ana@example.com'); build it with Email.parse, got 'Ana@example.com'
    """

    address: str = attrs.field(validator=_validate_email)

    @classmethod
    def parse(cls, text: str, *, field: str = "Customer.email") -> Email:
        """Check and normalize an e-mail address as typed; surrounding spaces are dropped.

        Args:
            text: the address.
            field: the field named in a :class:`~otocore.errors.ValidationError`.

        Returns:
            The :class:`Email` in canonical (lowercase) form.

        Raises:
            ValidationError: not a valid address.

        >>> Email.parse("  José.Silva@Exemplo.COM.br ")
        Email('josé.silva@exemplo.com.br')
        """
        canonical = _canonical_email(field, v.require_str(field, text).strip())
        # the constructor's check is _canonical_email(canonical) == canonical, true by
        # construction (the fast path keeps the text; the slow one loops until stable)
        return v.build_trusted(cls, address=canonical)

    def __str__(self) -> str:
        return self.address

    def __repr__(self) -> str:
        return f"Email({self.address!r})"


# Mobile -----------------------------------------------------------------------

_MOBILE_TYPES = frozenset(
    {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
)
_REGION_RULE = "must be a two-letter region code known to phonenumbers, such as 'BR'"


# A Brazilian mobile number already in E.164 form: +55, a two-digit area code
# (DDD) and 9 + 8 digits, exactly as phonenumbers' metadata for BR describes a
# mobile number (_BR_MOBILE_PATTERN); such a number is valid, of type MOBILE and
# its own E.164 form, whatever the default region. Used only while the installed
# metadata still says so; tests/property/test_contact_fast_paths.py compares it
# with phonenumbers on every area code.
_BR_MOBILE_PATTERN = "(?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])(?:7|9\\d)\\d{7}"
_BR_MOBILE_E164 = re.compile(r"\+55(?:[14689][1-9]|2[12478]|3[1-578]|5[13-5]|7[13-579])9[0-9]{8}")
_MOBILE_CACHE = 65_536  # distinct numbers remembered by the slow path


@functools.cache
def _br_fast_path() -> bool:
    """Whether the installed phonenumbers metadata is the one _BR_MOBILE_E164 was read from."""
    from phonenumbers.phonemetadata import PhoneMetadata

    meta = PhoneMetadata.metadata_for_region("BR")
    if meta is None or meta.mobile is None or meta.fixed_line is None:
        return False
    return bool(
        meta.mobile.national_number_pattern == _BR_MOBILE_PATTERN
        and meta.fixed_line.possible_length == (10,)
    )


def _e164(field: str, text: Any, region: str | None) -> str:
    v.require_str(field, text)
    if len(text) == 14 and _BR_MOBILE_E164.fullmatch(text) and _br_fast_path():
        return str(text)
    if text[:1] == "+" and text[1:].isascii() and text[1:].isdigit():
        region = None  # "+" and digits only: the country code decides, not the region
    ok, answer = _e164_verdict(text, region)
    if not ok:
        raise ValidationError(field, text, answer)
    return answer


@functools.lru_cache(maxsize=_MOBILE_CACHE)
def _e164_verdict(text: str, region: str | None) -> tuple[bool, str]:
    """``(True, E.164 form)`` or ``(False, rule)``: phonenumbers' answer, once per value."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        return False, f"is not a phone number ({exc._msg})"
    except (UnicodeError, ValueError, IndexError) as exc:  # pragma: no cover - defensive
        return False, f"is not a phone number ({exc})"
    if number.extension:
        return False, "must be a mobile number without an extension"
    if not phonenumbers.is_valid_number(number):
        return False, "is not a valid phone number"
    kind = phonenumbers.number_type(number)
    if kind not in _MOBILE_TYPES:
        what = "a fixed line" if kind == phonenumbers.PhoneNumberType.FIXED_LINE else "not a mobile"
        return False, f"must be a mobile number (this is {what})"
    return True, str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _validate_mobile(instance: Mobile, attribute: attrs.Attribute[Any], value: Any) -> None:
    if not isinstance(value, str) or not value.startswith("+"):
        raise ValidationError(
            "Mobile.e164", value, "must be in E.164 form such as '+5511987654321'"
        )
    e164 = _e164("Mobile.e164", value, None)
    if e164 != value:
        raise ValidationError(
            "Mobile.e164", value, f"must be in E.164 form ({e164!r}); build it with Mobile.parse"
        )


@attrs.frozen(repr=False)
class Mobile:
    """Celular (mobile number), parsed by phonenumbers and kept in E.164.

    Only numbers phonenumbers knows to be valid mobile numbers (or, where a
    country does not tell them apart, fixed-or-mobile) are accepted; a
    Brazilian fixed line is refused, since the brand sends messages to it.
    Numbers with an extension are refused.

    The constructor takes the E.164 form; :meth:`parse` reads what people type.

    >>> Mobile("+5511987654321")
    Mobile('+5511987654321')
    >>> Mobile("+55 11 98765-4321")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Mobile.e164 must be in E.164 form ('+5511987654321'); build it with Mobile.parse, got '+55 11 98765-4321'
    """

    e164: str = attrs.field(validator=_validate_mobile)

    @classmethod
    def parse(cls, text: str, *, region: str = "BR", field: str = "Customer.mobile") -> Mobile:
        """Read a mobile number as typed; numbers without a country code are in ``region``.

        Args:
            text: the number: "(11) 98765-4321", "011 98765 4321", "+55 11 98765-4321".
            region: ISO 3166 region for numbers written without "+country code".
            field: the field named in a :class:`~otocore.errors.ValidationError`.

        Returns:
            The :class:`Mobile` in E.164 form.

        Raises:
            ValidationError: not a valid mobile number, or an unknown region.

        >>> Mobile.parse("(11) 98765-4321").e164
        '+5511987654321'
        >>> Mobile.parse("+1 650-253-0000").e164
        '+16502530000'
        """
        if not isinstance(region, str) or region.upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ValidationError("region", region, _REGION_RULE)
        e164 = _e164(field, text, region.upper())
        if e164 is text:  # the fast path: text is its own E.164 form, the constructor's check
            return v.build_trusted(cls, e164=e164)
        return cls(e164)

    @property
    def formatted(self) -> str:
        """The number as written in its own country ("(11) 98765-4321" for Brazil).

        >>> Mobile("+5511987654321").formatted
        '(11) 98765-4321'
        """
        number = phonenumbers.parse(self.e164, None)
        return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL))

    def __str__(self) -> str:
        return self.e164

    def __repr__(self) -> str:
        return f"Mobile({self.e164!r})"


# Enumerations -------------------------------------------------------------------


class Sex(enum.Enum):
    """Sexo (sex) as the customer declared it; ``None`` on a customer means "não informado".

    | value    | pt-BR label |
    |----------|-------------|
    | `female` | Feminino    |
    | `male`   | Masculino   |
    | `other`  | Outro       |

    >>> Sex("female").label
    'Feminino'
    """

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The pt-BR label shown to users.

        >>> Sex.OTHER.label
        'Outro'
        """
        return _SEX_LABELS[self]


_SEX_LABELS = {Sex.FEMALE: "Feminino", Sex.MALE: "Masculino", Sex.OTHER: "Outro"}


class MaritalStatus(enum.Enum):
    """Estado civil (marital status); ``None`` on a customer means "não informado".

    | value          | pt-BR label   |
    |----------------|---------------|
    | `single`       | Solteiro(a)   |
    | `married`      | Casado(a)     |
    | `stable_union` | União estável |
    | `divorced`     | Divorciado(a) |
    | `widowed`      | Viúvo(a)      |
    | `separated`    | Separado(a)   |

    >>> MaritalStatus("stable_union").label
    'União estável'
    """

    SINGLE = "single"
    MARRIED = "married"
    STABLE_UNION = "stable_union"
    DIVORCED = "divorced"
    WIDOWED = "widowed"
    SEPARATED = "separated"

    @property
    def label(self) -> str:
        """The pt-BR label shown to users.

        >>> MaritalStatus.WIDOWED.label
        'Viúvo(a)'
        """
        return _MARITAL_LABELS[self]


_MARITAL_LABELS = {
    MaritalStatus.SINGLE: "Solteiro(a)",
    MaritalStatus.MARRIED: "Casado(a)",
    MaritalStatus.STABLE_UNION: "União estável",
    MaritalStatus.DIVORCED: "Divorciado(a)",
    MaritalStatus.WIDOWED: "Viúvo(a)",
    MaritalStatus.SEPARATED: "Separado(a)",
}


_CARD_MIN, _CARD_MAX = 4, 32
_CARD_CHARS = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_CARD_STORED = frozenset("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_CARD_SEPARATORS = str.maketrans("", "", " .-/")
_CARD_RULE = (
    f"must be {_CARD_MIN} to {_CARD_MAX} ASCII letters or digits"
    " (spaces, '.', '-' and '/' are ignored)"
)


def _validate_card_number(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if (
        type(value) is str
        and _CARD_MIN <= len(value) <= _CARD_MAX
        and _CARD_STORED.issuperset(value)
    ):
        return
    field = v.field_name(instance, attribute)
    v.require_str(field, value)
    raise ValidationError(
        field,
        value,
        f"must be {_CARD_MIN} to {_CARD_MAX} ASCII digits or upper-case letters"
        " (build it with Loyalty.normalize_card_number)",
    )


@attrs.frozen(kw_only=True)
class Loyalty:
    """Fidelidade: the loyalty program a customer belongs to, their category and card.

    ``category`` is ``None`` for a member not yet placed in a category.
    ``card_number`` is the member's loyalty card number (Altegio's customer
    database help page searches by "número do cartão"), or ``None``: 4 to 32
    ASCII digits and upper-case letters, as :meth:`normalize_card_number`
    writes what people type.

    >>> Loyalty(program="Clube Brisa", category="Ouro")
    Loyalty(program='Clube Brisa', category='Ouro', card_number=None)
    >>> Loyalty(program="Clube Brisa", card_number="6012 3456")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Loyalty.card_number must be 4 to 32 ASCII digits or upper-case letters (build it with Loyalty.normalize_card_number), got '6012 3456'
    >>> Loyalty(program=" ")
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Loyalty.program must not be empty, got ' '
    """

    program: str = attrs.field(validator=v.text(100))
    category: str | None = attrs.field(default=None, validator=v.optional_text(100))
    card_number: str | None = attrs.field(default=None, validator=_validate_card_number)

    @staticmethod
    def normalize_card_number(text: str, *, field: str = "Loyalty.card_number") -> str:
        """Read a loyalty card number as people write it: "1234 5678-90", "ab12cd".

        Spaces, ``.``, ``-`` and ``/`` are dropped and letters are upper-cased;
        what is left must be 4 to 32 ASCII letters and digits, the form
        :class:`Loyalty` stores and the registry search matches exactly.

        Raises:
            ValidationError: anything else, naming ``field``.

        >>> Loyalty.normalize_card_number(" 6012 3456-78 ")
        '6012345678'
        >>> Loyalty.normalize_card_number("br-00a7")
        'BR00A7'
        >>> Loyalty.normalize_card_number("12")
        Traceback (most recent call last):
        ...
        otocore.errors.ValidationError: Loyalty.card_number must be 4 to 32 ASCII letters or digits (spaces, '.', '-' and '/' are ignored), got '12'
        """
        v.require_str(field, text)
        compact = text.translate(_CARD_SEPARATORS).upper()
        if not (_CARD_MIN <= len(compact) <= _CARD_MAX) or not _CARD_CHARS.issuperset(compact):
            raise ValidationError(field, text, _CARD_RULE)
        return compact


# Customer ---------------------------------------------------------------------


def _validate_rg(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None:
        return
    if (
        type(value) is str
        and 0 < len(value) <= 20
        and not value.isspace()
        and _RG_CHARS.issuperset(value)
        and not _DIGITS.isdisjoint(value)
    ):
        return  # _RG_CHARS has no control character: every rule below holds
    field = v.field_name(instance, attribute)
    v.require_text(field, value, max_length=20)
    if not _RG_CHARS.issuperset(value) or not _DIGITS.intersection(value):
        raise ValidationError(
            field, value, "must be ASCII letters, digits, '.', '/', '-' or spaces, with a digit"
        )


def _validate_birth_date(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
    if value is None or (type(value) is date and value >= _MIN_BIRTH_DATE):
        return
    field = v.field_name(instance, attribute)
    v.require_date(field, value)
    if value < _MIN_BIRTH_DATE:
        raise ValidationError(field, value, "must be on or after 1900-01-01")


def _capitalize_word(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:].lower() for part in word.split("-"))


@attrs.frozen(kw_only=True)
class Customer:
    """Cadastro do cliente (customer record).

    Attributes:
        customer_id: the brand's id of the customer.
        name: the full name, as registered.
        registered_at: when the record was created; aware, kept in UTC.
        cpf: the :class:`Cpf`, if given.
        rg: the RG (Registro Geral) exactly as written; formats differ by
            state, so it is only checked to be short ASCII text with a digit.
        birth_date: a local calendar day, not before 1900-01-01.
        email: the :class:`Email`, if given.
        mobile: the :class:`Mobile`, if given.
        sex: :class:`Sex`, or ``None`` when not informed.
        marital_status: :class:`MaritalStatus`, or ``None`` when not informed.
        home_store_id: the store the customer belongs to (loja de cadastro).
        loyalty: the :class:`Loyalty` program and category, if a member.

    >>> from datetime import UTC, datetime
    >>> Customer(customer_id="C1", name="Ana", registered_at=datetime(2026, 1, 1, tzinfo=UTC))
    Customer(customer_id='C1', name='Ana', registered_at=datetime.datetime(2026, 1, 1, 0, 0, tzinfo=datetime.timezone.utc), cpf=None, rg=None, birth_date=None, email=None, mobile=None, sex=None, marital_status=None, home_store_id=None, loyalty=None)
    >>> Customer(
    ...     customer_id="C1",
    ...     name="Ana",
    ...     registered_at=datetime(2026, 1, 1, tzinfo=UTC),
    ...     cpf="52998224725",
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: Customer.cpf must be a Cpf or None (build it with Cpf.parse), got '52998224725'
    """

    customer_id: str = attrs.field(validator=v.text(100))
    name: str = attrs.field(validator=v.text(200))
    registered_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    cpf: Cpf | None = attrs.field(
        default=None, validator=v.optional_instance_of(Cpf, hint=" (build it with Cpf.parse)")
    )
    rg: str | None = attrs.field(default=None, validator=_validate_rg)
    birth_date: date | None = attrs.field(default=None, validator=_validate_birth_date)
    email: Email | None = attrs.field(
        default=None, validator=v.optional_instance_of(Email, hint=" (build it with Email.parse)")
    )
    mobile: Mobile | None = attrs.field(
        default=None, validator=v.optional_instance_of(Mobile, hint=" (build it with Mobile.parse)")
    )
    sex: Sex | None = attrs.field(default=None, validator=v.optional_instance_of(Sex))
    marital_status: MaritalStatus | None = attrs.field(
        default=None, validator=v.optional_instance_of(MaritalStatus)
    )
    home_store_id: str | None = attrs.field(default=None, validator=v.optional_text(100))
    loyalty: Loyalty | None = attrs.field(default=None, validator=v.optional_instance_of(Loyalty))

    @property
    def first_name(self) -> str:
        """The first word of ``name``, for message templates ("Olá, Ana!").

        A name typed all in capitals or all in lowercase (common in legacy
        systems) is capitalized; a mixed-case name is kept as written.
        Hyphenated parts are capitalized each.

        >>> from datetime import UTC, datetime
        >>> when = datetime(2026, 1, 1, tzinfo=UTC)
        >>> Customer(customer_id="C1", name="JOSÉ DA SILVA", registered_at=when).first_name
        'José'
        >>> Customer(customer_id="C1", name="ana-clara souza", registered_at=when).first_name
        'Ana-Clara'
        >>> Customer(customer_id="C1", name="McKenzie Lima", registered_at=when).first_name
        'McKenzie'
        """
        word = self.name.split()[0]
        if word.isupper() or word.islower():
            return _capitalize_word(word)
        return word

    def age_on(self, day: date) -> int | None:
        """Completed years of age on ``day``, or ``None`` without a birth date.

        Someone born on 29 February turns a year older on 1 March in
        common years.

        Args:
            day: the local calendar day to compute the age on.

        Returns:
            The age in whole years, or ``None``.

        Raises:
            ValidationError: ``day`` is not a date, or is before the birth date.

        >>> from datetime import UTC, date, datetime
        >>> c = Customer(
        ...     customer_id="C1",
        ...     name="Ana",
        ...     registered_at=datetime(2026, 1, 1, tzinfo=UTC),
        ...     birth_date=date(1990, 5, 10),
        ... )
        >>> c.age_on(date(2026, 5, 9)), c.age_on(date(2026, 5, 10))
        (35, 36)
        """
        v.require_date("day", day)
        if self.birth_date is None:
            return None
        born = self.birth_date
        if day < born:
            raise ValidationError("day", day, f"must not be before the birth date {born}")
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))
