"""Hypothesis strategies for :mod:`otocore.customers`, re-exported by :mod:`otocore.testing`."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import strategies as st

from otocore.customers import (
    Cpf,
    Customer,
    Email,
    Loyalty,
    MaritalStatus,
    Mobile,
    Sex,
    _cpf_from_base,
)
from otocore.testing._strategies import aware_datetimes, customer_ids, store_ids

__all__ = ["cpfs", "customers", "emails", "formula_customers", "loyalties", "mobiles"]

# Brazilian area codes (DDD) in use; every "9" + 8 digits after them is a valid mobile.
_DDDS = (
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68,
    69, 71, 73, 74, 75, 77, 79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95,
    96, 97, 98, 99,
)  # fmt: skip
_FIRST_NAMES = ("Ana", "JOSÉ", "maria", "João Pedro", "Ana-Clara", "Luíza", "Thiago", "Conceição")
_SURNAMES = ("Souza", "da Silva", "OLIVEIRA", "Gonçalves", "dos Santos", "Araújo")
_DOMAINS = ("example.com", "example.net", "example.org", "Exemplo.COM.br")


def cpfs() -> st.SearchStrategy[Cpf]:
    """Valid CPFs, never a repeated-digit one.

    >>> from hypothesis import find
    >>> len(find(cpfs(), lambda c: True).digits)
    11
    """
    bases = st.integers(0, 999_999_999).map(lambda n: f"{n:09d}")
    return bases.filter(lambda b: len(set(b)) > 1).map(lambda b: Cpf(_cpf_from_base(b)))


def emails() -> st.SearchStrategy[Email]:
    """E-mail addresses in canonical form, drawn from mixed-case input.

    >>> from hypothesis import find
    >>> find(emails(), lambda e: True).address.islower()
    True
    """
    local = st.from_regex(r"[A-Za-z][A-Za-z0-9]{0,10}([._+-][A-Za-z0-9]{1,8})?", fullmatch=True)
    return st.builds(lambda lp, d: Email.parse(f"{lp}@{d}"), local, st.sampled_from(_DOMAINS))


def mobiles() -> st.SearchStrategy[Mobile]:
    """Brazilian mobile numbers in E.164 ("+55", area code, "9", eight digits).

    >>> from hypothesis import find
    >>> find(mobiles(), lambda m: True).e164.startswith("+55")
    True
    """
    return st.builds(
        lambda ddd, rest: Mobile(f"+55{ddd}9{rest:08d}"),
        st.sampled_from(_DDDS),
        st.integers(0, 99_999_999),
    )


def loyalties() -> st.SearchStrategy[Loyalty]:
    """Loyalty memberships, with or without a category and a card number.

    >>> from hypothesis import find
    >>> find(loyalties(), lambda x: True).program
    'Clube Brisa'
    """
    return st.builds(
        Loyalty,
        program=st.sampled_from(["Clube Brisa", "Mais Brisa"]),
        category=st.none() | st.sampled_from(["Bronze", "Prata", "Ouro", "Diamante"]),
        card_number=st.none()
        | st.text(alphabet="0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=4, max_size=32),
    )


def customers(
    *,
    customer_id: st.SearchStrategy[str] | None = None,
    home_store_id: st.SearchStrategy[str | None] | None = None,
    registered_at: st.SearchStrategy[datetime] | None = None,
) -> st.SearchStrategy[Customer]:
    """Customer records, from the bare minimum to complete; optional fields are often None.

    Birth dates fall 0 to 90 years before the registration day.

    >>> from hypothesis import find
    >>> find(customers(customer_id=st.just("C1")), lambda c: True).customer_id
    'C1'
    """
    names = st.builds(
        lambda first, last: f"{first} {last}",
        st.sampled_from(_FIRST_NAMES),
        st.sampled_from(_SURNAMES),
    )

    @st.composite
    def build(draw: st.DrawFn) -> Customer:
        when = draw(aware_datetimes() if registered_at is None else registered_at)
        day = when.date()
        birth = draw(
            st.none()
            | st.integers(0, 90 * 366).map(lambda n: day - timedelta(days=n)).filter(_from_1900)
        )
        return Customer(
            customer_id=draw(customer_ids() if customer_id is None else customer_id),
            name=draw(names),
            registered_at=when,
            cpf=draw(st.none() | cpfs()),
            rg=draw(
                st.none() | st.from_regex(r"[0-9]{2}\.[0-9]{3}\.[0-9]{3}-[0-9X]", fullmatch=True)
            ),
            birth_date=birth,
            email=draw(st.none() | emails()),
            mobile=draw(st.none() | mobiles()),
            sex=draw(st.none() | st.sampled_from(Sex)),
            marital_status=draw(st.none() | st.sampled_from(MaritalStatus)),
            home_store_id=draw(
                (st.none() | store_ids()) if home_store_id is None else home_store_id
            ),
            loyalty=draw(st.none() | loyalties()),
        )

    return build()


# what a spreadsheet fears at the start of a cell: OWASP's formula triggers that a stored
# value may hold (the validators refuse a tab or a carriage return), and the single quote
_FORMULA_STARTS = "=+-@'"


def _formula_text(
    draw: st.DrawFn,
    value: str,
    *,
    max_length: int,
    alphabet: str = _FORMULA_STARTS,
    alone: bool = True,
) -> str:
    """``value``, or ``value`` behind a run of triggers and quotes, or (``alone``) the run alone."""
    run = draw(st.text(alphabet=alphabet, min_size=1, max_size=3))
    ways = ("as is", "prefixed", "prefixed", "alone") if alone else ("as is", "prefixed")
    how = draw(st.sampled_from(ways))
    if how == "as is":
        return value
    return run if how == "alone" else (run + value)[:max_length]


def formula_customers() -> st.SearchStrategy[Customer]:
    """:func:`customers` whose free text and e-mail often start like a formula or a quote.

    The id, the name, the home store, the loyalty program and category start
    with a run of ``=``, ``+``, ``-``, ``@`` and ``'`` (or are such a run
    alone: a name ``'``), and the e-mail's local part with one of ``=``,
    ``+``, ``-`` and ``'``: the cells a CSV export must neutralise against
    formulas (OWASP's "CSV Injection") and an import must read back as
    they were. Names also hold a quote inside (``D'Ávila``).

    >>> from hypothesis import find
    >>> from otocore.exports import FORMULA_TRIGGERS
    >>> find(formula_customers(), lambda c: c.name[:1] in FORMULA_TRIGGERS).name[:1] in "=+-@"
    True
    """

    @st.composite
    def build(draw: st.DrawFn) -> Customer:
        customer = draw(customers())
        name = draw(st.sampled_from((customer.name, f"Ana D'{customer.name}")))
        loyalty = customer.loyalty
        if loyalty is not None:
            category = loyalty.category
            loyalty = Loyalty(
                program=_formula_text(draw, loyalty.program, max_length=100),
                category=None
                if category is None
                else _formula_text(draw, category, max_length=100),
                card_number=loyalty.card_number,
            )
        email = customer.email
        if email is not None:
            # a local part of emails() is short and starts with a letter: any run is valid before it
            email = Email.parse(
                _formula_text(draw, email.address, max_length=254, alphabet="=+-'", alone=False)
            )
        home = customer.home_store_id
        return Customer(
            customer_id=_formula_text(draw, customer.customer_id, max_length=100),
            name=_formula_text(draw, name, max_length=200),
            registered_at=customer.registered_at,
            cpf=customer.cpf,
            rg=customer.rg,
            birth_date=customer.birth_date,
            email=email,
            mobile=customer.mobile,
            sex=customer.sex,
            marital_status=customer.marital_status,
            home_store_id=None if home is None else _formula_text(draw, home, max_length=100),
            loyalty=loyalty,
        )

    return build()


def _from_1900(day: date) -> bool:
    return day >= date(1900, 1, 1)


def strategy_table() -> dict[type, st.SearchStrategy[object]]:
    """Default strategies for this module's types, for ``st.from_type`` registration."""
    return {
        Cpf: cpfs(),
        Customer: customers(),
        Email: emails(),
        Loyalty: loyalties(),
        Mobile: mobiles(),
    }
