"""Vendas a partir de contatos (sales from contacts): the managers' and the sellers' results.

Oto's help page for managers and campaigns ("Visão de Resultados para Gerentes de Loja") says
managers see "dados de receita, ranking dos vendedores e análise por lojas e vendedores", and
"Em cada período é possível visualizar: Atividades sugeridas; Conversas iniciadas; Conversas
finalizadas; Vendas atribuídas; Receita atribuída; Taxa de conversão; Receita gerando saldo".
Sellers see, for each sale, "O dia do contato; O dia da compra; A quantidade de produtos; O
valor total da compra". This module computes those figures exactly, for a period (its first
and last local day, in the brand's time zone) and a scope (the brand, one store, one seller).

**The definitions.** Days are local days in the brand's zone; the period includes both ends.

* *Atividades sugeridas* (suggested): the stored suggestions whose day is in the period, any
  status, of the scope's sellers.
* *Conversas iniciadas* (started): the registered contacts that started in the period, any
  outcome (a dismissed suggestion's contact was a message sent too).
* *Conversas finalizadas* (finished): those of them whose outcome is FINISHED (counted on
  the day they started, so never more than started).
* *Vendas atribuídas* (attributed sales): the orders placed in the period that
  :mod:`otocore.attribution` gives a contact, under the brand's policy, credited to the
  contact's seller; one cancelled or returned since (CANCELLED: otocore records a return
  as a cancellation) still counts here, and in ``cancelled_sales``.
* *Receita atribuída* (attributed revenue, **gross**): the total of the attributed sales.
* *Receita gerando saldo* (revenue still standing, **net**): the total of the attributed
  sales that were not cancelled or returned. The help page names it without defining it;
  otocore defines it so, and keeps gross and net side by side.
* *Taxa de conversão* (conversion rate): numerator over denominator, both kept. The
  denominator is the conversations started; the numerator the conversations started in the
  period that earned at least one of the period's attributed sales. A contact can earn
  several orders, so "attributed sales over conversations started" could pass 100%; counting
  the conversations that sold keeps the numerator within its denominator, and the sales
  count stays a figure of its own.
* A seller's store is the store the seller is registered in; a store's figures are its
  sellers' (an online order booked to another store still counts for the seller's store),
  and the brand's are its stores'. A seller code no registered seller has is shown under
  :data:`UNREGISTERED_STORE`.

The ranking orders sellers by attributed revenue (gross), then attributed sales, both
descending, then seller code. :class:`Results` has them all as attrs values, as rows
(:meth:`Results.to_rows`), as a frame of pandas, Polars or PyArrow
(:meth:`Results.to_frame`), and as notebook HTML; :func:`compare_results` puts two
policies side by side ("what if"); :func:`report_figures` feeds :mod:`otocore.report`.

>>> from datetime import date, datetime
>>> from decimal import Decimal
>>> from zoneinfo import ZoneInfo
>>> from otocore.consent import ContactChannel
>>> from otocore.contacts import Contact
>>> from otocore.orders import Order, OrderStatus
>>> from otocore.sellers import Seller
>>> SP = ZoneInfo("America/Sao_Paulo")
>>> talk = Contact(
...     contact_id="A1",
...     seller_code="V01",
...     customer_id="ANA",
...     channel=ContactChannel.WHATSAPP,
...     started_at=datetime(2026, 11, 2, 10, tzinfo=SP),
...     finished_at=datetime(2026, 11, 2, 10, 20, tzinfo=SP),
...     in_portfolio=True,
... )
>>> def sale(order_id, day, total, status=OrderStatus.COMPLETED):
...     return Order(
...         order_id=order_id,
...         customer_id="ANA",
...         store_id="L01",
...         seller_code=None,
...         placed_at=datetime(2026, 11, day, 15, tzinfo=SP),
...         total=Decimal(total),
...         status=status,
...     )
>>> r = compute_results(
...     first_day=date(2026, 11, 1),
...     last_day=date(2026, 11, 30),
...     contacts=[talk],
...     orders=[sale("P1", 3, "200.00"), sale("P2", 5, "50.00", OrderStatus.CANCELLED)],
...     sellers=[Seller(code="V01", name="Ana Souza", store_id="L01")],
... )
>>> t = r.totals
>>> t.started, t.attributed_sales, t.cancelled_sales, t.revenue_gross, t.revenue_net
(1, 2, 1, Decimal('250.00'), Decimal('200.00'))
>>> t.conversion_numerator, t.conversion_denominator, t.conversion_rate
(1, 1, Decimal('1.0000'))
>>> [(s.order_id, s.contact_day.day, s.purchase_day.day, s.total) for s in r.sales]
[('P1', 2, 3, Decimal('200.00')), ('P2', 2, 5, Decimal('50.00'))]

A bad period is a :class:`~otocore.errors.ValidationError`:

>>> compute_results(first_day=date(2026, 11, 1), last_day="2026-11-30")
Traceback (most recent call last):
...
otocore.errors.ValidationError: last_day must be a datetime.date (a local calendar day), got '2026-11-30'
"""

from __future__ import annotations

from otocore.results._columnar import (
    CONTACT_FRAME_COLUMNS,
    SUGGESTION_FRAME_COLUMNS,
    compute_results_frame,
)
from otocore.results._compute import (
    UNREGISTERED_STORE,
    compare_results,
    comparison_of,
    compute_results,
    report_figures,
)
from otocore.results._results import Comparison, Results, SellerComparison
from otocore.results._service import load_comparison, load_results
from otocore.results._values import (
    FIGURE_FIELDS,
    DayResults,
    Figures,
    SaleRow,
    Scope,
    SellerResults,
    StoreResults,
)

__all__ = [
    "CONTACT_FRAME_COLUMNS",
    "FIGURE_FIELDS",
    "SUGGESTION_FRAME_COLUMNS",
    "UNREGISTERED_STORE",
    "Comparison",
    "DayResults",
    "Figures",
    "Results",
    "SaleRow",
    "Scope",
    "SellerComparison",
    "SellerResults",
    "StoreResults",
    "compare_results",
    "comparison_of",
    "compute_results",
    "compute_results_frame",
    "load_comparison",
    "load_results",
    "report_figures",
]
