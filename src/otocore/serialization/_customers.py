"""cattrs hooks for the types of :mod:`otocore.customers` Private.

:class:`~otocore.customers.Cpf` travels as its 11 digits, :class:`~otocore.customers.Email`
as its canonical address and :class:`~otocore.customers.Mobile` as its E.164 string;
:class:`~otocore.customers.Customer` and :class:`~otocore.customers.Loyalty` use
cattrs' attrs support. Structuring goes through each type's ``parse``, so a CPF written
"529.982.247-25" or an e-mail in capitals is accepted and normalized; repeated-digit CPFs and
shortened ones follow the :class:`~otocore.customers.CpfPolicy` given to :func:`configure` (refused by
default). Hooks raise :class:`~otocore.errors.ValidationError` with an empty field: the
converter fills in the path where the value sits.
"""

from __future__ import annotations

from typing import Any

import cattrs

from otocore.customers import Cpf, CpfPolicy, Email, Mobile


def configure(conv: cattrs.Converter, *, cpf_policy: CpfPolicy | None = None) -> None:
    """Install the hooks this module's types need on ``conv``.

    Args:
        conv: the converter to configure.
        cpf_policy: the brand's choices about repeated-digit CPFs and missing
            leading zeros when structuring; default :class:`~otocore.customers.CpfPolicy`
            (refuse both).
    """
    policy = cpf_policy or CpfPolicy()

    def structure_cpf(value: Any, _: type) -> Cpf:
        return policy.parse(value, field="")

    def structure_email(value: Any, _: type) -> Email:
        return Email.parse(value, field="")

    def structure_mobile(value: Any, _: type) -> Mobile:
        return Mobile.parse(value, field="")

    conv.register_unstructure_hook(Cpf, lambda cpf: cpf.digits)
    conv.register_structure_hook(Cpf, structure_cpf)
    conv.register_unstructure_hook(Email, lambda email: email.address)
    conv.register_structure_hook(Email, structure_email)
    conv.register_unstructure_hook(Mobile, lambda mobile: mobile.e164)
    conv.register_structure_hook(Mobile, structure_mobile)
