"""The records a person may read: their own cases and the activities they took part in; at TEAM
reach also the work of the teams they manage; at ALL reach everything. One SQL condition for
every query that lists or counts audits, and the same rule in Python for one audit in hand."""

from __future__ import annotations

from sqlalchemy import ColumnElement, or_, select, true

from auditor.domain.permissions import NotPermitted, Principal, Scope
from db.models import Audit, Case, Response


def visible_audits(who: Principal) -> ColumnElement[bool]:
    """A condition on ``Audit``: true for the audits, observations and dips ``who`` may read."""
    if who.scope is Scope.ALL:
        return true()
    pid = who.person_id
    took_part = or_(
        Audit.worker_id == pid,
        Audit.first_auditor_id == pid,
        Audit.second_auditor_id == pid,
        Audit.created_by_id == pid,
        Audit.case_id.in_(select(Case.id).where(Case.worker_id == pid)),
        Audit.id.in_(select(Response.audit_id).where(Response.author_id == pid)),
    )
    if who.scope is Scope.TEAM and who.team_ids:
        return or_(took_part, Audit.team_id.in_(sorted(who.team_ids)))
    return took_part


def may_read(s: object, who: Principal, audit: Audit) -> bool:
    """Whether ``who`` may read ``audit`` (the rule of ``visible_audits`` for one audit)."""
    if who.scope is Scope.ALL:
        return True
    pid = who.person_id
    if pid in (
        audit.worker_id,
        audit.first_auditor_id,
        audit.second_auditor_id,
        audit.created_by_id,
    ):
        return True
    if audit.case is not None and audit.case.worker_id == pid:
        return True
    if any(r.author_id == pid for r in audit.responses):
        return True
    return who.scope is Scope.TEAM and audit.team_id in who.team_ids


class OutOfReach(NotPermitted):
    """An audit outside the reader's reach: refused, and the attempt worth a line in the access
    log (``log.record_refusal``), since a curious user shows first as refusals."""

    def __init__(self, audit_id: int) -> None:
        super().__init__(
            f"Audit {audit_id} is not one you may see: it is outside your cases and teams."
        )
        self.audit_id = audit_id


def require_read(s: object, who: Principal, audit: Audit) -> None:
    """Refuse (``OutOfReach``) an audit outside ``who``'s reach, without saying what it holds."""
    if not may_read(s, who, audit):
        raise OutOfReach(audit.id)


def require_case_reach(who: Principal, case: Case) -> None:
    """Refuse (``NotPermitted``) to start work on a case outside ``who``'s reach: whoever starts
    an audit reads it afterwards, self-review and all, so starting one must not be a way round
    the rule of ``visible_audits``."""
    if who.scope is Scope.ALL or case.worker_id == who.person_id:
        return
    if who.scope is Scope.TEAM and case.team_id in who.team_ids:
        return
    raise NotPermitted(
        f"Case {case.reference} is outside your cases and teams, so you may not start its "
        "audit. Ask a manager of its team or the quality-assurance team."
    )
