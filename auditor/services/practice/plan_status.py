"""Reading a practice week's plan out of the database: which planned items are done, the grade each
activity has so far, and the findings that count — every reading under the blind rule."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditor.domain.activities import ActivityKind
from auditor.domain.grades import Grade
from auditor.domain.workflow import AuditState, Part, ResponseStatus, hides_first_audit
from auditor.services.practice.dto import AllocationDTO
from db.models import Allocation, Audit, DipSession, Finding, PracticeWeek

#: Later parts first: the most considered grade so far.
_PART_ORDER = (Part.SECOND_AUDIT, Part.FIRST_AUDIT, Part.RECORD)


def week_activities(s: Session, week: PracticeWeek) -> tuple[dict[int, Audit], list[DipSession]]:
    """The audits and observations the week's plan links to (by id), and its dip sessions in the
    order they were started: what ``done_allocations`` reads."""
    linked = [x.audit_id for x in week.allocations if x.audit_id]
    audits = {a.id: a for a in s.scalars(select(Audit).where(Audit.id.in_(linked)))}
    sessions = list(
        s.scalars(
            select(DipSession)
            .where(DipSession.practice_week_id == week.id)
            .order_by(DipSession.started_at)
        )
    )
    return audits, sessions


def audit_grade_so_far(audit: Audit) -> Grade | None:
    """The final grade once there is one, else the most considered submitted grade that anyone
    may see: while a blind second audit is under way the first audit's grade is nobody's to read
    here (this view has no particular reader), so it does not count yet."""
    if audit.final_grade:
        return Grade(audit.final_grade)
    hidden = hides_first_audit(audit.blind, audit.state)
    submitted = {
        Part(r.part): r
        for r in audit.responses
        if r.status == ResponseStatus.SUBMITTED and r.overall_grade
    }
    for part in _PART_ORDER:
        if part in submitted and not (hidden and part is Part.FIRST_AUDIT):
            return Grade(submitted[part].overall_grade)
    return None


def finding_counts(finding: Finding, audit: Audit) -> bool:
    """A finding the first auditor wrote on a blind audit waiting for its second audit is part of
    the hidden first audit; it counts once the second audit is in."""
    return not (
        hides_first_audit(audit.blind, audit.state) and finding.author_id == audit.first_auditor_id
    )


def _finished_by(audit: Audit, person_id: int) -> bool:
    if audit.state == AuditState.CANCELLED:
        return False
    return any(
        r.status == ResponseStatus.SUBMITTED and r.author_id == person_id for r in audit.responses
    )


def done_allocations(
    allocations: Iterable[Allocation], audits: dict[int, Audit], sessions: list[DipSession]
) -> dict[int, tuple[bool, Grade | None]]:
    """Which planned items are done. An audit or observation is done when the person it was
    allocated to has submitted their part; a dip sample when its session is finished (a session
    started outside the plan pairs with an unstarted dip item of that form and person, in date
    order)."""
    result: dict[int, tuple[bool, Grade | None]] = {}
    by_id = {x.id: x for x in sessions}
    linked = {a.dip_session_id for a in allocations if a.dip_session_id is not None}
    loose = [x for x in sessions if x.finished_at is not None and x.id not in linked]
    for a in sorted(allocations, key=lambda x: (x.day, x.id)):
        if a.kind == ActivityKind.DIP_SAMPLE:
            if a.dip_session_id is not None:
                own = by_id.get(a.dip_session_id)
                result[a.id] = (own is not None and own.finished_at is not None, None)
                continue
            match = next(
                (x for x in loose if x.auditor_id == a.person_id and x.form_id == a.detail), None
            )
            if match is not None:
                loose.remove(match)
            result[a.id] = (match is not None, None)
        elif a.audit_id is not None and a.audit_id in audits:
            audit = audits[a.audit_id]
            result[a.id] = (_finished_by(audit, a.person_id), audit_grade_so_far(audit))
    return result


def allocation_dto(
    a: Allocation, done: tuple[bool, Grade | None] | None, names: dict[int, str], detail_label: str
) -> AllocationDTO:
    finished, grade = done or (False, None)
    return AllocationDTO(
        a.id,
        a.person.username,
        a.person.name,
        a.day,
        ActivityKind(a.kind),
        a.case.reference if a.case else None,
        names.get(a.practitioner_id) if a.practitioner_id else None,
        a.detail,
        detail_label,
        a.note,
        a.audit_id,
        finished,
        grade,
        a.dip_session_id,
    )
