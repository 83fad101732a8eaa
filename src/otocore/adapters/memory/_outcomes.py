"""The in-memory repository of each generated day's outcomes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from types import MappingProxyType

from otocore.adapters._common import require_key
from otocore.adapters._outcomes import check_day, checked_outcomes
from otocore.adapters.memory._base import Repository
from otocore.suggestions import Explanation


class Outcomes(Repository):
    """One row per saved day: a read-only mapping of customer id to :class:`Explanation`.

    A day is replaced as a whole, so a commit copies the mapping of days, never
    a day's million explanations.
    """

    def save_day(self, day: date, explanations: Iterable[Explanation]) -> None:
        checked = check_day(day)
        by_customer = {e.customer_id: e for e in checked_outcomes(checked, explanations)}
        self._t.put("outcomes", checked, MappingProxyType(by_customer))

    def get(self, day: date, customer_id: str) -> Explanation | None:
        found = self._t.get("outcomes", check_day(day))
        key = require_key("customer_id", customer_id)
        if found is None:
            return None
        explanation: Explanation | None = found.get(key)
        return explanation

    def count(self, day: date) -> int:
        found = self._t.get("outcomes", check_day(day))
        return 0 if found is None else len(found)

    def days(self) -> list[date]:
        return sorted(self._t.rows("outcomes"))

    def delete_day(self, day: date) -> int:
        checked = check_day(day)
        found = self._t.get("outcomes", checked)
        if found is None:
            return 0
        self._t.delete("outcomes", checked)
        return len(found)
