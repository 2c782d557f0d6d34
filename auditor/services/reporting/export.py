"""The rows of the spreadsheet export: one per activity, one per domain grade, and the summary table.

An activity belongs to a period when it was started or completed in it. While a blind second audit
is under way the first audit's grades are left out, as on screen; drafts are never exported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from auditor.domain.activities import ActivityKind
from auditor.domain.grades import Grade
from auditor.domain.reference import CASE_TYPES
from auditor.domain.workflow import AuditState, Part, ResponseStatus, hides_first_audit
from db.models import Audit, Case, DomainGrade, Person, PracticeWeek, Response, Team

TIER = {
    Part.FIRST_AUDIT.value: 2,
    Part.SECOND_AUDIT.value: 3,
    Part.RECORD.value: None,
    Part.SELF_REVIEW.value: 1,
}
STREAM = {"yield_per": 2_000}  # rows come from the database a chunk at a time


Visible = ColumnElement[bool] | None


def _in_period(
    start: dt.date | None, end: dt.date | None, visible: Visible = None
) -> ColumnElement[bool]:
    """Started or completed within [start, end] (either end may be open), and among the audits
    ``visible`` allows (``visible_audits(who)``; None: every audit)."""
    lo = dt.datetime.combine(start or dt.date.min, dt.time())
    hi = dt.datetime.combine(
        (end or dt.date.max - dt.timedelta(days=1)) + dt.timedelta(days=1), dt.time()
    )
    started = and_(Audit.created_at >= lo, Audit.created_at < hi)
    completed = Audit.completed_on.between(start or dt.date.min, end or dt.date.max)
    return and_(or_(started, completed), true() if visible is None else visible)


def _grade(value: str | None) -> Grade | None:
    return Grade(value) if value else None


def _hidden(state: str, blind: bool) -> bool:
    return hides_first_audit(blind, state)


def audit_count(
    s: Session, start: dt.date | None, end: dt.date | None, visible: Visible = None
) -> int:
    query = select(func.count()).select_from(Audit).where(_in_period(start, end, visible))
    return s.scalar(query) or 0


def audit_rows(
    s: Session, start: dt.date | None, end: dt.date | None, visible: Visible = None
) -> list[dict[str, Any]]:
    return list(iter_audit_rows(s, start, end, visible))


def iter_audit_rows(
    s: Session, start: dt.date | None, end: dt.date | None, visible: Visible = None
) -> Iterator[dict[str, Any]]:
    """One row per activity in the period, streamed from the database."""
    people: dict[int | None, str] = dict(s.execute(select(Person.id, Person.name)).all())
    teams: dict[int | None, str] = dict(s.execute(select(Team.id, Team.name)).all())
    weeks = dict(s.execute(select(PracticeWeek.id, PracticeWeek.name)).all())
    first = aliased(Response)
    query = (
        select(
            Audit.id,
            Audit.kind,
            Audit.state,
            Case.reference,
            Audit.case_type,
            Audit.team_id,
            Audit.worker_id,
            Audit.first_auditor_id,
            Audit.second_auditor_id,
            first.overall_grade,
            first.status,
            Audit.final_grade,
            Audit.created_at,
            Audit.completed_on,
            Audit.due_on,
            Audit.theme,
            Audit.practice_week_id,
            Audit.blind,
        )
        .outerjoin(Case, Case.id == Audit.case_id)
        .outerjoin(
            first,
            and_(
                first.audit_id == Audit.id,
                first.part.in_([Part.FIRST_AUDIT.value, Part.RECORD.value]),
            ),
        )
        .where(_in_period(start, end, visible))
        .order_by(Audit.id)
    )
    for (
        audit_id,
        kind,
        state,
        ref,
        case_type,
        team,
        worker,
        a1,
        a2,
        g1,
        g1_status,
        final,
        created,
        completed,
        due,
        theme,
        week,
        blind,
    ) in s.execute(query, execution_options=STREAM):
        k = ActivityKind(kind)
        tier2 = (
            _grade(g1)
            if g1_status == ResponseStatus.SUBMITTED and not _hidden(state, blind)
            else None
        )
        final_grade = _grade(final)
        yield {
            "audit_id": audit_id,
            "activity": k.category.value,
            "kind": k.label,
            "stage": AuditState(state).label,
            "case_reference": ref or "",
            "case_type": CASE_TYPES.get(case_type or "", case_type or ""),
            "team": teams.get(team, ""),
            "worker": people.get(worker, ""),
            "first_auditor": people.get(a1, ""),
            "second_auditor": people.get(a2, ""),
            "first_audit_grade": tier2.short_label if tier2 and k.is_three_tier else "",
            "final_grade": final_grade.short_label if final_grade else "",
            "final_grade_code": final_grade.code if final_grade else "",
            "good_or_better": (
                "" if final_grade is None else "yes" if final_grade.rank <= 2 else "no"
            ),
            "started": created.date(),
            "completed": completed,
            "due": due,
            "theme": theme or "",
            "practice_week": weeks.get(week, ""),
        }


def _domain_grades(
    start: dt.date | None, end: dt.date | None, visible: Visible, *columns: Any
) -> Select[Any]:
    return (
        select(*columns)
        .select_from(Audit)
        .join(Response, Response.audit_id == Audit.id)
        .join(DomainGrade, DomainGrade.response_id == Response.id)
        .where(_in_period(start, end, visible), Response.status == ResponseStatus.SUBMITTED)
    )


def domain_grade_count(
    s: Session, start: dt.date | None, end: dt.date | None, visible: Visible = None
) -> int:
    """Submitted domain grades in the period (a few hidden blind ones included: for progress)."""
    return s.scalar(_domain_grades(start, end, visible, func.count())) or 0


def domain_grade_rows(
    s: Session,
    start: dt.date | None,
    end: dt.date | None,
    labels: dict[str, str],
    visible: Visible = None,
) -> list[dict[str, Any]]:
    return list(iter_domain_grade_rows(s, start, end, labels, visible))


def iter_domain_grade_rows(
    s: Session,
    start: dt.date | None,
    end: dt.date | None,
    labels: dict[str, str],
    visible: Visible = None,
) -> Iterator[dict[str, Any]]:
    """One row per submitted domain grade in the period, streamed from the database."""
    people = dict(s.execute(select(Person.id, Person.name)).all())
    teams = dict(s.execute(select(Team.id, Team.name)).all())
    query = (
        _domain_grades(
            start,
            end,
            visible,
            Audit.id,
            Case.reference,
            Audit.team_id,
            Audit.state,
            Audit.blind,
            Response.part,
            Response.author_id,
            DomainGrade.domain_id,
            DomainGrade.grade,
        )
        .outerjoin(Case, Case.id == Audit.case_id)
        .order_by(Audit.id, Response.part, DomainGrade.domain_id)
    )
    for audit_id, ref, team, state, blind, part, author, domain, grade in s.execute(
        query, execution_options=STREAM
    ):
        if part == Part.FIRST_AUDIT.value and _hidden(state, blind):
            continue
        g = Grade(grade)
        yield {
            "audit_id": audit_id,
            "case_reference": ref or "",
            "team": teams.get(team, ""),
            "tier": TIER.get(part),
            "part": Part(part).label,
            "auditor": people.get(author, ""),
            "domain_id": domain,
            "domain": labels.get(domain, domain),
            "grade": g.short_label,
            "grade_code": g.code,
        }
