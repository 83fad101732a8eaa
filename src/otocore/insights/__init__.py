"""Painel do cliente (the customer dashboard): per customer, and per store and period.

Altegio's customer database lists, for each customer, "valores que gastaram, descontos,
número de visitas, data da primeira e última visita"; Reshop's customer module shows
"Vendas sem clientes por loja", "Participação (Categoria)", "Frequência de Clientes"
("semanal, quinzenal ou mensal"), "Média de clientes" ("o valor médio de vendas dos
clientes pesquisados") and "Percentual de retorno cliente por loja". This module computes
them exactly from orders (and the customer registry). Days are local days in the brand's
time zone; only COMPLETED orders count.

**Per customer** (:func:`compute_customer_insights`, on a day ``as_of``):

* *total spent*: the sum of ``Order.total`` of the customer's COMPLETED orders (any
  channel); *discounts*: the sum of their ``Order.discount``;
* *visits* (dias de loja): the distinct local days with a COMPLETED order of channel
  STORE; *first/last visit*: the earliest and latest of them (``None`` without one);
* *average ticket* (ticket médio): total spent / the number of COMPLETED orders, to the
  centavo (half to even), both kept (``total_spent``, ``completed_orders``);
* *purchase frequency*: over the distinct local days with a COMPLETED order (any channel)
  in the window ``as_of - window_days < day <= as_of`` (365 days by default), the mean
  interval ``span_days / (n - 1)``: WEEKLY up to 7 days, FORTNIGHTLY up to 15, MONTHLY up
  to 31, LESS_OFTEN above (exact fractions, the thresholds in :class:`InsightsPolicy`);
  with one purchase day or none there is no interval and no class (``None``).

**Per store and period** (:func:`compute_store_insights`, ``first_day`` to ``last_day``):
the period's COMPLETED orders (any channel) of each store; a sale's customer is
*identified* when the order's ``customer_id`` is a registered customer and not one of the
policy's ``anonymous_customer_ids`` (the tills' "consumidor não identificado"); the
others are the sales without a customer. *Average sale per customer*: the identified
customers' revenue / the distinct identified customers. *Return rate*: of those
customers, the share with another COMPLETED order at the store on a later local day at
most N days (the return window, 30 by default) after their first purchase day in the
period, numerator and denominator kept. *Loyalty participation*: those customers by
loyalty program and category, each with its share. The brand's figures are the same
rules with every store as one.

:class:`CustomerDashboard` and :class:`StoreDashboard` have them as attrs values, as rows
(``to_rows``), as frames of pandas, Polars or PyArrow (``to_frame``) and as notebook
HTML; ``compute_*_frame`` compute them over a frame of any engine
(:mod:`otocore.frames`), and ``load_*`` read them from a store.

>>> from datetime import date, datetime
>>> from decimal import Decimal
>>> from zoneinfo import ZoneInfo
>>> from otocore.orders import Channel, Order
>>> SP = ZoneInfo("America/Sao_Paulo")
>>> def sale(order_id, day, total, channel=Channel.STORE):
...     return Order(
...         order_id=order_id,
...         customer_id="ANA",
...         store_id="L01",
...         seller_code=None,
...         placed_at=datetime(2026, 11, day, 15, tzinfo=SP),
...         total=Decimal(total),
...         channel=channel,
...         discount=Decimal("5.00"),
...     )
>>> orders = [sale("P1", 3, "100.00"), sale("P2", 10, "50.00", Channel.ONLINE)]
>>> ana = customer_insights("ANA", orders, as_of=date(2026, 11, 30))
>>> ana.total_spent, ana.discounts, ana.average_ticket, ana.visits, ana.frequency
(Decimal('150.00'), Decimal('10.00'), Decimal('75.00'), 1, <FrequencyClass.WEEKLY: 'weekly'>)

A bad input is a :class:`~otocore.errors.ValidationError`:

>>> InsightsPolicy(monthly_days=10)
Traceback (most recent call last):
...
otocore.errors.ValidationError: InsightsPolicy.monthly_days must be > fortnightly_days 15, got 10
"""

from __future__ import annotations

from otocore.frequency import FrequencyClass
from otocore.insights._columnar import (
    compute_customer_insights_frame,
    compute_store_insights_frame,
)
from otocore.insights._compute import (
    DEFAULT_RETURN_WINDOW_DAYS,
    compute_customer_insights,
    compute_store_insights,
    customer_insights,
)
from otocore.insights._dashboards import CustomerDashboard, StoreDashboard
from otocore.insights._service import load_customer, load_customer_insights, load_store_insights
from otocore.insights._tables import CUSTOMER_COLUMNS, STORE_COLUMNS
from otocore.insights._values import (
    CustomerInsights,
    InsightsPolicy,
    LoyaltyShare,
    StoreFigures,
    StoreInsights,
)

__all__ = [
    "CUSTOMER_COLUMNS",
    "DEFAULT_RETURN_WINDOW_DAYS",
    "STORE_COLUMNS",
    "CustomerDashboard",
    "CustomerInsights",
    "FrequencyClass",
    "InsightsPolicy",
    "LoyaltyShare",
    "StoreDashboard",
    "StoreFigures",
    "StoreInsights",
    "compute_customer_insights",
    "compute_customer_insights_frame",
    "compute_store_insights",
    "compute_store_insights_frame",
    "customer_insights",
    "load_customer",
    "load_customer_insights",
    "load_store_insights",
]
