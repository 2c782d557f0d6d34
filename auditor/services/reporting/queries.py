"""The queries behind the QA report and the agreement figures. Each takes an open session; counting
happens in SQL (GROUP BY on the covering indexes) and only small results come back to Python."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import ColumnElement, and_, func, select, true
from sqlalchemy.orm import Session

from auditor.domain.activities import THREE_TIER_KINDS, ActivityKind, Category
from auditor.domain.errors import FormDefinitionError, NotFound
from auditor.domain.grades import Grade
from auditor.domain.periods import FinancialYear, financial_quarter
from auditor.domain.summary import GradeCounts
from auditor.domain.workflow import AuditState, Part
from auditor.reports.data import ActionStats, GroupGrades, PracticeWeekLine
from db.models import (
    Audit,
    DomainGrade,
    FollowUpAction,
    HistoricGrade,
    PracticeWeek,
    Response,
    Team,
)
from forms import FormLibrary

CLOSED = AuditState.CLOSED.value
OVERALL = "overall"


def _closed_between(start: dt.date, end: dt.date) -> ColumnElement[bool]:
    return and_(
        Audit.state == CLOSED,
        Audit.final_grade.is_not(None),
        Audit.completed_on.between(start, end),
    )


def grade_counts(
    s: Session, start: dt.date, end: dt.date, with_history: bool = True
) -> dict[Category, GradeCounts]:
    """Completed, graded items per reporting category, live and imported."""
    out: dict[Category, GradeCounts] = {c: GradeCounts() for c in Category}
    query = (
        select(Audit.kind, Audit.final_grade, func.count())
        .where(_closed_between(start, end))
        .group_by(Audit.kind, Audit.final_grade)
    )
    for kind, grade, n in s.execute(query):
        out[ActivityKind(kind).category].add(Grade(grade), n)
    if with_history:
        history = (
            select(HistoricGrade.category, HistoricGrade.grade, func.count())
            .where(HistoricGrade.activity_on.between(start, end))
            .group_by(HistoricGrade.category, HistoricGrade.grade)
        )
        for category, grade, n in s.execute(history):
            out[Category(category)].add(Grade(grade), n)
    return out


def has_history(s: Session, start: dt.date, end: dt.date) -> bool:
    return bool(
        s.scalar(
            select(func.count())
            .select_from(HistoricGrade)
            .where(HistoricGrade.activity_on.between(start, end))
        )
    )


def by_team(s: Session, start: dt.date, end: dt.date) -> list[GroupGrades]:
    query = (
        select(Team.name, Audit.final_grade, func.count())
        .join(Team, Team.id == Audit.team_id)
        .where(_closed_between(start, end), Audit.kind.in_(THREE_TIER_KINDS))
        .group_by(Team.name, Audit.final_grade)
    )
    table: dict[str, GradeCounts] = defaultdict(GradeCounts)
    for team, grade, n in s.execute(query):
        table[team].add(Grade(grade), n)
    return [GroupGrades(name, table[name]) for name in sorted(table)]


def domain_labels(s: Session, forms: FormLibrary) -> dict[str, str]:
    """Domain id -> label, from every audit form in use (newest version wins)."""
    labels: dict[str, str] = {}
    used = s.execute(select(Audit.form_id, Audit.form_version).distinct()).all()
    for form_id, version in sorted(used, key=lambda fv: fv[1]):
        try:
            form = forms.get(form_id, version)
        except (NotFound, FormDefinitionError):  # a form file gone or broken: fall back to the ids
            continue
        labels.update({f.id: f.label for f in form.domains()})
        if form.overall:
            labels[form.overall.id] = form.overall.label
    return labels


def by_domain(
    s: Session, start: dt.date, end: dt.date, labels: dict[str, str]
) -> list[GroupGrades]:
    """The second audit's domain grades of audits closed in the period, most often RI or
    Inadequate first."""
    query = (
        select(DomainGrade.domain_id, DomainGrade.grade, func.count())
        .join(Response, Response.id == DomainGrade.response_id)
        .join(Audit, Audit.id == Response.audit_id)
        .where(
            _closed_between(start, end),
            Audit.kind.in_(THREE_TIER_KINDS),
            Response.part == Part.SECOND_AUDIT.value,
        )
        .group_by(DomainGrade.domain_id, DomainGrade.grade)
    )
    table: dict[str, GradeCounts] = defaultdict(GradeCounts)
    for domain, grade, n in s.execute(query):
        table[domain].add(Grade(grade), n)
    rows = [
        GroupGrades(labels.get(d, d.replace("_", " ").capitalize()), c) for d, c in table.items()
    ]
    return sorted(rows, key=lambda r: (-r.counts.percentages[1], -r.counts.total, r.name))


def action_stats(s: Session, start: dt.date, end: dt.date, today: dt.date) -> ActionStats:
    """Follow-up actions agreed in the period: open, overdue today, completed on time or late."""
    created = FollowUpAction.created_at
    rows = s.execute(
        select(FollowUpAction.due_on, FollowUpAction.completed_on).where(
            created >= dt.datetime.combine(start, dt.time()),
            created < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()),
        )
    ).all()
    open_ = [due for due, done in rows if done is None]
    done = [(due, d) for due, d in rows if d is not None]
    return ActionStats(
        total=len(rows),
        open=len(open_),
        overdue=sum(d < today for d in open_),
        completed_on_time=sum(d <= due for due, d in done),
        completed_late=sum(d > due for due, d in done),
        as_of=today,
    )


def practice_weeks(s: Session, start: dt.date, end: dt.date) -> list[PracticeWeekLine]:
    """Practice weeks overlapping the period, with the grades of the activities linked to them."""
    weeks = s.scalars(
        select(PracticeWeek)
        .where(PracticeWeek.starts_on <= end, PracticeWeek.ends_on >= start)
        .order_by(PracticeWeek.starts_on)
    ).all()
    out = []
    for week in weeks:
        linked = s.execute(
            select(Audit.kind, Audit.state, Audit.final_grade, func.count())
            .where(Audit.practice_week_id == week.id)
            .group_by(Audit.kind, Audit.state, Audit.final_grade)
        ).all()
        counts: dict[Category, GradeCounts] = {}
        for kind, state, grade, n in linked:
            if state == CLOSED and grade:
                counts.setdefault(ActivityKind(kind).category, GradeCounts()).add(Grade(grade), n)
        out.append(
            PracticeWeekLine(
                name=week.name,
                starts_on=week.starts_on,
                ends_on=week.ends_on,
                theme=week.theme or "",
                status=(week.status or "").replace("_", " ").capitalize(),
                activities=sum(n for *_, n in linked),
                counts=counts,
                details=_extra_facts(week),
                week_id=week.id,
            )
        )
    return out


def _extra_facts(week: PracticeWeek) -> tuple[tuple[str, str], ...]:
    """Text columns a newer schema may add to a practice week (summary, findings, ...)."""
    known = {"id", "name", "starts_on", "ends_on", "theme", "status"}
    out = []
    for column in PracticeWeek.__table__.columns:
        value: Any = getattr(week, column.key, None)
        if column.key in known or column.key.endswith("_id") or not isinstance(value, str):
            continue
        if value.strip():
            out.append((column.key.replace("_", " ").capitalize(), value.strip()))
    return tuple(out)


def quarterly(
    s: Session, end: dt.date, quarters: int = 8, visible: ColumnElement[bool] | None = None
) -> list[GroupGrades]:
    """Closed three-tier audits by financial quarter (Q1 = April–June), the last ``quarters``;
    only those ``visible`` allows (``visible_audits(who)``), if given."""
    year, quarter = financial_quarter(end)
    starts = []
    for _ in range(quarters):
        starts.append(year.quarter_start(quarter))
        year, quarter = (
            (year, quarter - 1) if quarter > 1 else (FinancialYear(year.start_year - 1), 4)
        )
    starts.reverse()
    day = Audit.completed_on  # counted per day (portable SQL), put into quarters here
    rows = s.execute(
        select(day, Audit.final_grade, func.count())
        .where(_closed_between(starts[0], end), Audit.kind.in_(THREE_TIER_KINDS))
        .where(true() if visible is None else visible)
        .group_by(day, Audit.final_grade)
    ).all()
    buckets = [GradeCounts() for _ in starts]
    for when, grade, n in rows:
        if when is None:  # a closed audit always has its closing date
            continue
        index = max(i for i, q in enumerate(starts) if q <= when)
        buckets[index].add(Grade(grade), n)
    return [GroupGrades(_quarter_label(q), c) for q, c in zip(starts, buckets, strict=True)]


def _quarter_label(start: dt.date) -> str:
    year, quarter = financial_quarter(start)
    return f"Q{quarter} {year.label}"
