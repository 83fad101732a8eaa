"""The audited transaction every management action runs in.

Authorize with :func:`~otocore.access.denial_reason`'s table, do the work and
append one hash-chained audit entry (ALLOWED, DENIED or FAILED), all in one
write-locked block.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

from otocore import _validate as v
from otocore.access import (
    PERMISSIONS,
    Action,
    Outcome,
    Principal,
    Target,
    append_entry,
    denial_reason,
    permission_denied,
)
from otocore.accounts._core import ServiceCore, is_active, principal_of
from otocore.clock import Clock
from otocore.errors import NotFound, OtocoreError, ValidationError
from otocore.repositories import UnitOfWork

_T = TypeVar("_T")

_MAX_DETAIL = 1000
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def _detail(text: str) -> str:
    """Text an audit entry can carry: one line, valid Unicode, at most 1000 characters."""
    clean = text.encode("utf-8", "replace").decode("utf-8")
    clean = _CONTROL.sub(" ", clean).strip()
    if len(clean) > _MAX_DETAIL:
        clean = clean[: _MAX_DETAIL - 3].rstrip() + "..."
    return clean


def require_principal(value: object) -> Principal:
    return v.require_instance("actor", value, Principal)


def _grants(principal: Principal, action: Action) -> bool:
    return any(action in PERMISSIONS[role] for role in principal.roles)


class Audited(ServiceCore):
    """Authorization and the audit entry around a management action's work."""

    def _bind(self, unit_of_work: object, clock: object) -> None:
        """Check and keep the collaborators of a service built on a store and a clock."""
        if not callable(unit_of_work):
            raise ValidationError(
                "unit_of_work",
                type(unit_of_work).__name__,
                "must be a callable that returns a new unit of work (pass db.unit_of_work)",
            )
        if not isinstance(clock, Clock):
            raise ValidationError("clock", clock, "must be a Clock")
        self._unit_of_work = unit_of_work
        self._clock = clock

    def _acting(self, uow: UnitOfWork, actor: Principal) -> tuple[Principal, str | None]:
        """The actor as stored now (its current roles), or why it may not act at all."""
        try:
            account = uow.accounts.get(actor.account_id)
        except NotFound:
            return actor, "the acting account does not exist"
        if not is_active(uow, account):
            return actor, "the acting account is inactive"
        return principal_of(account), None

    @staticmethod
    def _append(
        uow: UnitOfWork,
        *,
        now: datetime,
        actor: str,
        action: Action | str,  # free text for actions outside the permission table
        target: Target,
        outcome: Outcome,
        detail: str,
    ) -> None:
        entry = append_entry(
            uow.audit.tail(),
            at=now,
            actor=actor,
            action=action,
            target=target,
            outcome=outcome,
            detail=_detail(detail),
        )
        uow.audit.append(entry)

    def _audited(
        self,
        actor: Principal,
        actions: Sequence[Action],
        *,
        locate: Callable[[UnitOfWork], Target],
        fallback: Target,
        work: Callable[[UnitOfWork, datetime], _T],
        check: Callable[[UnitOfWork, Principal], str | None] | None = None,
        detail: Callable[[_T], str] = lambda _: "",
    ) -> _T:
        """Authorize, do the work and append one audit entry, in one write-locked block.

        DENIED: the entry is committed, then PermissionDenied is raised.
        The work raises an OtocoreError: its writes are rolled back, a FAILED
        entry is committed and the error re-raised. Otherwise the work and
        the ALLOWED entry commit together. An unknown target is FAILED
        (NotFound) for an actor with some role granting the action, DENIED
        for anyone else.
        """
        main = actions[0]
        uow = self._unit_of_work()
        with uow.writing():
            now = self._now()

            def record(action: Action, target: Target, outcome: Outcome, detail: str) -> None:
                self._append(
                    uow,
                    now=now,
                    actor=actor.account_id,
                    action=action,
                    target=target,
                    outcome=outcome,
                    detail=detail,
                )

            current, reason = self._acting(uow, actor)
            try:
                target = locate(uow)
            except OtocoreError as missing:
                if reason is None and not _grants(current, main):
                    reason = denial_reason(current, main, fallback)
                if reason is not None:
                    record(main, fallback, Outcome.DENIED, reason)
                    uow.commit()
                    raise permission_denied(actor, main, fallback, reason) from None
                record(main, fallback, Outcome.FAILED, str(missing))
                uow.commit()
                raise
            denied_action = main
            if reason is None:
                for action in actions:
                    reason = denial_reason(current, action, target)
                    if reason is not None:
                        denied_action = action
                        break
            if reason is None and check is not None:
                reason = check(uow, current)
            if reason is not None:
                record(denied_action, target, Outcome.DENIED, reason)
                uow.commit()
                raise permission_denied(actor, denied_action, target, reason)
            try:
                result = work(uow, now)
            except OtocoreError as error:
                uow.rollback()
                record(main, target, Outcome.FAILED, str(error))
                uow.commit()
                raise
            record(main, target, Outcome.ALLOWED, detail(result))
        return result
