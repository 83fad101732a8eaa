"""In-memory registry search: every customer read, the reference rules applied (otocore.search)."""

from __future__ import annotations

from otocore._time import DEFAULT_TIME_ZONE
from otocore.adapters._common import require
from otocore.adapters.memory._base import Repository
from otocore.customers import Customer
from otocore.orders import Order
from otocore.search import (
    CustomerQuery,
    PageRequest,
    SearchPage,
    Sort,
    customer_stats,
    hits_of,
    rank,
)


class CustomerSearch(Repository):
    def _matching(self, query: CustomerQuery) -> list[Customer]:
        require("query", query, CustomerQuery)
        everyone = self._by_key("customers", Customer)
        if query.everyone:
            return everyone
        return [c for c in everyone if query.matches(c)]

    def search(
        self,
        query: CustomerQuery,
        *,
        sort: Sort | None = None,
        page: PageRequest | None = None,
        time_zone: str | None = None,
    ) -> SearchPage:
        zone = DEFAULT_TIME_ZONE if time_zone is None else time_zone
        if sort is not None:
            require("sort", sort, Sort)
        if page is not None:
            require("page", page, PageRequest)
        found = self._matching(query)
        orders: list[Order] = []
        for customer in found:
            orders.extend(self._t.lookup("orders_by_customer", customer.customer_id))
        stats = customer_stats(orders, time_zone=zone)
        return rank(hits_of(found, stats), sort=sort, page=page)

    def matching_ids(self, query: CustomerQuery) -> list[str]:
        return [c.customer_id for c in self._matching(query)]
