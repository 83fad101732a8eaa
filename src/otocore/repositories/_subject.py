"""The repository protocol of a customer's erasure: relinking to an anonymous id, and deleting."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:  # annotations only: importing the protocols loads no domain module
    from otocore.customers import Cpf


class SubjectDataRepository(Protocol):
    """Dados do titular (a data subject's rows): the LGPD anonymization and deletion steps.

    The steps :mod:`otocore.privacy` composes, inside one write block, to
    anonymize or delete a customer (LGPD art. 16 and 18). None of them writes
    a log: the service appends the history and audit entries. Every method
    returns how many rows it changed, by the name of what it changed (the
    same names on every store), and a second call finds nothing left to do.

    * :meth:`relink` moves what article 16 lets the brand keep to an anonymous
      id: the orders, the telesales orders (fiscal records), the consent log
      (proof of what the customer had agreed to) and the contacts (the
      sellers' results read them), each contact without its free text (notes,
      follow-up note; a dismissed one's reason becomes ``"anonimizado"``) and
      its suggestion id re-pointed from ``"<day>:<old id>"`` to
      ``"<day>:<anonymous id>"``.
    * :meth:`erase` deletes every row keyed by the customer id that is left:
      the record (its search keys go with it), the carteira, the RFV scores,
      the suggestions, the day outcomes, the category memberships, the
      consent events and the contacts. Orders and telesales orders are never
      deleted here.
    * :meth:`erase_blocks` deletes the block events of a CPF.

    >>> from datetime import UTC, datetime
    >>> from decimal import Decimal
    >>> from otocore.adapters.memory import InMemoryUnitOfWork
    >>> from otocore.customers import Customer
    >>> from otocore.orders import Order
    >>> uow = InMemoryUnitOfWork()
    >>> at = datetime(2026, 5, 10, tzinfo=UTC)
    >>> with uow:
    ...     uow.customers.add(Customer(customer_id="C1", name="Ana", registered_at=at))
    ...     uow.orders.add(
    ...         Order(
    ...             order_id="P1",
    ...             customer_id="C1",
    ...             store_id="L01",
    ...             placed_at=at,
    ...             total=Decimal("10"),
    ...             seller_code=None,
    ...         )
    ...     )
    ...     (
    ...         uow.subject_data.relink("C1", "anon-x")["orders"],
    ...         uow.subject_data.erase("C1")["customers"],
    ...     )
    (1, 1)
    >>> with uow:
    ...     uow.orders.get("P1").customer_id, uow.customers.count()
    ('anon-x', 0)
    """

    def relink(self, customer_id: str, anonymous_id: str) -> dict[str, int]:
        """Move the orders, telesales orders, consent events and contacts to ``anonymous_id``.

        Returns the counts under ``"orders"``, ``"telesales_orders"``,
        ``"consent_events"`` and ``"contacts"``.
        """

    def erase(self, customer_id: str) -> dict[str, int]:
        """Delete the record and every row keyed by ``customer_id`` except orders.

        Returns the counts under ``"customers"``, ``"portfolio"``,
        ``"rfv_scores"``, ``"suggestions"``, ``"day_outcomes"``,
        ``"category_members"``, ``"consent_events"`` and ``"contacts"``.
        """

    def erase_blocks(self, cpf: Cpf) -> int:
        """Delete every block event of ``cpf``; how many there were."""
