"""Carteira de clientes (customer portfolio): which seller looks after which customer.

Oto's FAQ ("Como é feita a distribuição das sugestões da
carteira de clientes dentro do Oto?") and Oto's help page for managers and campaigns
("redistribua a carteira de clientes de um vendedor inativado") describe a
portfolio: every customer of a store is in the carteira of one seller, chosen
by the daily rule (the *vendedor de preferência*) or by the store manager when
a seller is inactivated. A customer nobody could be given to is kept as
*unassigned* so the store manager sees the list.

This module holds the stored facts, not the rules (those are in
:mod:`otocore.distribution`):

* :class:`PortfolioAssignment`: the customer's current seller, since which
  local day, and why (:class:`AssignmentReason`). ``seller_code`` is ``None``
  exactly when the reason is :attr:`AssignmentReason.NONE`.
* :class:`AssignmentChange` and :class:`DailyRun`: the log the daily job
  writes, one :class:`DailyRun` per run with every change it made.

>>> from datetime import date
>>> a = PortfolioAssignment(
...     customer_id="C1",
...     seller_code="V01",
...     since=date(2026, 5, 10),
...     reason=AssignmentReason.DAILY_RULE,
... )
>>> a.is_assigned
True
>>> PortfolioAssignment.unassigned("C2", since=date(2026, 5, 10))
PortfolioAssignment(customer_id='C2', seller_code=None, since=datetime.date(2026, 5, 10), reason=<AssignmentReason.NONE: 'none'>)

Inconsistent input is refused when the value is built:

>>> PortfolioAssignment(
...     customer_id="C1", seller_code=None, since=date(2026, 5, 10), reason=AssignmentReason.MANUAL
... )
Traceback (most recent call last):
...
otocore.errors.ValidationError: PortfolioAssignment.seller_code must name a seller unless the reason is AssignmentReason.NONE, got None
"""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import attrs

from otocore import _validate as v
from otocore.errors import ValidationError

__all__ = [
    "AssignmentChange",
    "AssignmentReason",
    "DailyRun",
    "PortfolioAssignment",
]


class AssignmentReason(enum.Enum):
    """Why a customer is in a seller's carteira (or in nobody's).

    * ``DAILY_RULE``: the daily job chose the vendedor de preferência.
    * ``MANUAL``: the store manager redistributed the carteira of an
      inactivated seller ("redistribua a carteira").
    * ``NONE``: unassigned; listed for the store manager.

    >>> AssignmentReason("manual_redistribution")
    <AssignmentReason.MANUAL: 'manual_redistribution'>
    """

    DAILY_RULE = "daily_rule"
    MANUAL = "manual_redistribution"
    NONE = "none"


def _check_seller_matches_reason(field: str, seller_code: str | None, reason: Any) -> None:
    if reason is AssignmentReason.NONE and seller_code is not None:
        raise ValidationError(
            field, seller_code, "must be None when the reason is AssignmentReason.NONE"
        )
    if reason is not AssignmentReason.NONE and seller_code is None:
        raise ValidationError(
            field, None, "must name a seller unless the reason is AssignmentReason.NONE"
        )


@attrs.frozen(kw_only=True)
class PortfolioAssignment:
    """A customer's place in the carteira: the seller, since when, and why.

    Attributes:
        customer_id: the customer.
        seller_code: the seller whose carteira holds the customer, or ``None``
            when unassigned.
        since: the local day (in the brand's time zone) the assignment started.
        reason: :class:`AssignmentReason`; ``NONE`` exactly when
            ``seller_code`` is ``None``.

    >>> from datetime import date
    >>> PortfolioAssignment(
    ...     customer_id="C1",
    ...     seller_code="V02",
    ...     since=date(2026, 5, 11),
    ...     reason=AssignmentReason.MANUAL,
    ... ).reason.value
    'manual_redistribution'
    >>> PortfolioAssignment(
    ...     customer_id="C1",
    ...     seller_code="V02",
    ...     since=date(2026, 5, 11),
    ...     reason=AssignmentReason.NONE,
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: PortfolioAssignment.seller_code must be None when the reason is AssignmentReason.NONE, got 'V02'
    """

    customer_id: str = attrs.field(validator=v.text(100))
    seller_code: str | None = attrs.field(validator=v.optional_text(100))
    since: date = attrs.field(validator=v.local_date)
    reason: AssignmentReason = attrs.field(validator=v.member_of(AssignmentReason))

    def __attrs_post_init__(self) -> None:
        _check_seller_matches_reason(
            "PortfolioAssignment.seller_code", self.seller_code, self.reason
        )

    @classmethod
    def unassigned(cls, customer_id: str, *, since: date) -> PortfolioAssignment:
        """A customer in nobody's carteira since ``since`` (reason ``NONE``).

        >>> from datetime import date
        >>> PortfolioAssignment.unassigned("C9", since=date(2026, 5, 10)).seller_code is None
        True
        """
        return cls(
            customer_id=customer_id, seller_code=None, since=since, reason=AssignmentReason.NONE
        )

    @property
    def is_assigned(self) -> bool:
        """True when a seller holds the customer.

        >>> from datetime import date
        >>> PortfolioAssignment.unassigned("C9", since=date(2026, 5, 10)).is_assigned
        False
        """
        return self.seller_code is not None


@attrs.frozen(kw_only=True)
class AssignmentChange:
    """One move of a customer between carteiras, as logged by the daily job.

    Attributes:
        customer_id: the customer moved.
        from_seller: the previous seller, or ``None`` if the customer was
            unassigned or new.
        to_seller: the new seller, or ``None`` when the customer becomes
            unassigned (then ``reason`` is ``NONE``).
        reason: why the customer is where they are now.
        decided_by: who or what decided, as free text: the user id of the
            store manager for a manual redistribution, or the criterion of the
            daily rule (``"tally"``, ``"recency"``, ``"code"``); ``None`` when
            not recorded.

    A change must change something: ``from_seller`` and ``to_seller`` differ.

    >>> AssignmentChange(
    ...     customer_id="C1",
    ...     from_seller="V01",
    ...     to_seller="V02",
    ...     reason=AssignmentReason.DAILY_RULE,
    ...     decided_by="tally",
    ... ).to_seller
    'V02'
    >>> AssignmentChange(
    ...     customer_id="C1",
    ...     from_seller="V01",
    ...     to_seller="V01",
    ...     reason=AssignmentReason.DAILY_RULE,
    ...     decided_by=None,
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: AssignmentChange.to_seller must differ from from_seller ('V01'), got 'V01'
    """

    customer_id: str = attrs.field(validator=v.text(100))
    from_seller: str | None = attrs.field(validator=v.optional_text(100))
    to_seller: str | None = attrs.field(validator=v.optional_text(100))
    reason: AssignmentReason = attrs.field(validator=v.member_of(AssignmentReason))
    decided_by: str | None = attrs.field(default=None, validator=v.optional_text(200))

    def __attrs_post_init__(self) -> None:
        _check_seller_matches_reason("AssignmentChange.to_seller", self.to_seller, self.reason)
        if self.from_seller == self.to_seller:
            raise ValidationError(
                "AssignmentChange.to_seller",
                self.to_seller,
                f"must differ from from_seller ({self.from_seller!r})",
            )


def _to_counts(value: Any, self_: Any, field: attrs.Attribute[Any]) -> tuple[tuple[str, int], ...]:
    name = v.field_name(self_, field)
    rule = "must be a mapping of names to integers >= 0"
    out: dict[str, int] = {}
    for key, count in v.iter_pairs(name, value, rule=rule):
        if not isinstance(key, str) or not key:
            raise ValidationError(f"{name}[{key!r}]", key, "must be a non-empty string")
        if not v.is_int(count) or count < 0:
            raise ValidationError(f"{name}[{key!r}]", count, "must be an integer >= 0")
        if key in out:
            raise ValidationError(f"{name}[{key!r}]", count, "must appear once")
        out[key] = count
    return tuple(sorted(out.items()))


def _to_changes(
    value: Any, self_: Any, field: attrs.Attribute[Any]
) -> tuple[AssignmentChange, ...]:
    rule = "must be a sequence of AssignmentChange"
    return tuple(v.iter_instances(v.field_name(self_, field), value, AssignmentChange, rule=rule))


@attrs.frozen(kw_only=True)
class DailyRun:
    """The log of one run of the daily job (rotina diária).

    Attributes:
        as_of: the local day the run computed the carteiras for.
        started_at: when the run started (aware; kept in UTC).
        finished_at: when it finished; not before ``started_at``.
        counts: named tallies of the run (``{"assigned": 10, "unassigned": 2}``).
            Given as a mapping; kept as a tuple of ``(name, count)`` pairs
            sorted by name, so the run is hashable and two runs with the same
            counts are equal whatever the order they were given in. Read it
            back with :meth:`count` or ``dict(run.counts)``.
        changes: every :class:`AssignmentChange` the run made, in order.

    >>> from datetime import UTC, date, datetime
    >>> run = DailyRun(
    ...     as_of=date(2026, 5, 10),
    ...     started_at=datetime(2026, 5, 10, 6, 0, tzinfo=UTC),
    ...     finished_at=datetime(2026, 5, 10, 6, 2, tzinfo=UTC),
    ...     counts={"unassigned": 2, "assigned": 10},
    ... )
    >>> run.counts
    (('assigned', 10), ('unassigned', 2))
    >>> run.count("assigned"), run.count("moved")
    (10, 0)
    >>> DailyRun(
    ...     as_of=date(2026, 5, 10),
    ...     started_at=datetime(2026, 5, 10, 6, 0, tzinfo=UTC),
    ...     finished_at=datetime(2026, 5, 10, 5, 0, tzinfo=UTC),
    ... )
    Traceback (most recent call last):
    ...
    otocore.errors.ValidationError: DailyRun.finished_at must not be before started_at (2026-05-10 06:00:00+00:00), got datetime.datetime(2026, 5, 10, 5, 0, tzinfo=datetime.timezone.utc)
    """

    as_of: date = attrs.field(validator=v.local_date)
    started_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    finished_at: datetime = attrs.field(converter=v.instant)  # type: ignore[misc]
    counts: tuple[tuple[str, int], ...] = attrs.field(
        default=(),
        converter=attrs.Converter(_to_counts, takes_self=True, takes_field=True),  # type: ignore[misc]
    )
    changes: tuple[AssignmentChange, ...] = attrs.field(
        default=(),
        converter=attrs.Converter(_to_changes, takes_self=True, takes_field=True),  # type: ignore[misc]
    )

    def __attrs_post_init__(self) -> None:
        if self.finished_at < self.started_at:
            raise ValidationError(
                "DailyRun.finished_at",
                self.finished_at,
                f"must not be before started_at ({self.started_at})",
            )

    def count(self, name: str) -> int:
        """The tally called ``name``, 0 if the run did not record it.

        >>> from datetime import UTC, date, datetime
        >>> when = datetime(2026, 5, 10, 6, 0, tzinfo=UTC)
        >>> DailyRun(
        ...     as_of=date(2026, 5, 10), started_at=when, finished_at=when, counts={"moved": 3}
        ... ).count("moved")
        3
        """
        return dict(self.counts).get(name, 0)
