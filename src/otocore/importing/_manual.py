"""Cadastro manual (adding a customer by hand): one record, validated as an import row. Private."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from otocore.customers import CpfPolicy, Customer
from otocore.errors import NotFound, RuleViolation, ValidationError
from otocore.importing._rows import SCHEMAS
from otocore.repositories import UnitOfWork

CUSTOMER_COLUMNS = SCHEMAS["customers"].columns
"""The fields of a customer added by hand: the columns of a customers import file."""


class CustomerExists(RuleViolation):
    """:func:`add_customer` was given an id (or a CPF) that a stored customer already has.

    >>> print(CustomerExists("customer_id", "C1"))
    customer_id 'C1' is already in the registry; nothing was added (correcting a customer is the SAC edit)
    """

    def __init__(self, field: str, value: str) -> None:
        self.field = field
        self.value = value
        super().__init__(
            f"{field} {value!r} is already in the registry; nothing was added"
            " (correcting a customer is the SAC edit)"
        )


def customer_from_cells(
    cells: Mapping[str, Any], *, cpf_policy: CpfPolicy | None = None
) -> Customer:
    """The :class:`~otocore.customers.Customer` of one record's cells, validated as a customers import row.

    ``cells`` maps the customers file's column names (:data:`CUSTOMER_COLUMNS`)
    to text; an empty or missing cell means "no value". Every fault is
    reported at once, each named by its column, with the rule the import
    gives (the same check: the customers schema of :mod:`otocore.importing`).

    >>> c = customer_from_cells(
    ...     {
    ...         "customer_id": "C1",
    ...         "name": "Ana Souza",
    ...         "registered_at": "2026-05-10T15:00:00-03:00",
    ...         "cpf": "529.982.247-25",
    ...         "mobile": "(11) 98765-4321",
    ...     }
    ... )
    >>> c.cpf.formatted, c.mobile.e164
    ('529.982.247-25', '+5511987654321')
    >>> customer_from_cells({"customer_id": "C1", "cpf": "123", "sexo": "f"})
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: 4 errors:
      sexo is not a customers column (the columns are customer_id, name, cpf, rg, birth_date, email, mobile, sex, marital_status, registered_at, home_store_id, loyalty_program, loyalty_category, loyalty_card_number), got 'f'
      name is required, got None
      registered_at is required, got None
      cpf must be 11 ASCII digits (0-9), optionally written as 000.000.000-00, got '123'
    """
    if not isinstance(cells, Mapping):
        raise ValidationError("cells", cells, "must be a mapping of column name to text")
    policy = CpfPolicy() if cpf_policy is None else cpf_policy
    if not isinstance(policy, CpfPolicy):
        raise ValidationError("cpf_policy", policy, "must be a CpfPolicy")
    faults = [
        ValidationError(
            str(column),
            value,
            f"is not a customers column (the columns are {', '.join(CUSTOMER_COLUMNS)})",
        )
        for column, value in cells.items()
        if column not in CUSTOMER_COLUMNS
    ]
    known = {k: val for k, val in cells.items() if k in CUSTOMER_COLUMNS}
    built = SCHEMAS["customers"].build(known, policy)
    if isinstance(built, list):
        faults.extend(ValidationError(f.column, f.value, f.rule) for f in built)
    if faults:
        raise ValidationError.collect(faults)
    assert isinstance(built, Customer)  # noqa: S101 - the customers schema builds customers
    return built


def add_customer(
    uow: UnitOfWork, cells: Mapping[str, Any], *, cpf_policy: CpfPolicy | None = None
) -> Customer:
    """Cadastro manual: validate one customer as an import row and add it; return it.

    Unaudited (no principal, nothing recorded): a person adding a customer goes through
    :meth:`otocore.bulk.BulkService.add_customer`, which authorizes and audits it.

    The record is checked by :func:`customer_from_cells` (the same columns,
    rules and messages as a customers import file). Unlike an import, which
    upserts, adding by hand never replaces anyone: an id or a CPF a stored
    customer already has is a :class:`CustomerExists`. Nothing is written
    on any error.

    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> uow = InMemoryUnitOfWork()
    >>> row = {
    ...     "customer_id": "C1",
    ...     "name": "ana souza",
    ...     "registered_at": "2026-05-10T18:00:00+00:00",
    ... }
    >>> add_customer(uow, row).name
    'ana souza'
    >>> try:
    ...     add_customer(uow, row)
    ... except CustomerExists as err:
    ...     print(err)
    customer_id 'C1' is already in the registry; nothing was added (correcting a customer is the SAC edit)
    """
    customer = customer_from_cells(cells, cpf_policy=cpf_policy)
    with uow.writing():
        if _stored(uow, customer.customer_id):
            raise CustomerExists("customer_id", customer.customer_id)
        if customer.cpf is not None and uow.customers.find_by_cpf(customer.cpf) is not None:
            raise CustomerExists("cpf", customer.cpf.formatted)
        uow.customers.add(customer)
    return customer


def _stored(uow: UnitOfWork, customer_id: str) -> bool:
    try:
        uow.customers.get(customer_id)
    except NotFound:
        return False
    return True
