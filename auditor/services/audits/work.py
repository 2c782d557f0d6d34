"""What is waiting for a person, and the dashboard figures for a period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Row, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from auditor.domain.activities import THREE_TIER_KINDS, ActivityKind, Category
from auditor.domain.grades import Grade
from auditor.domain.permissions import Action, Principal, Scope
from auditor.domain.practice_weeks import WeekStatus
from auditor.domain.workflow import AuditState, Part, ResponseStatus
from auditor.services.access.guard import check
from auditor.services.access.scope import visible_audits
from auditor.services.dto import ActionDTO
from auditor.services.reference.records import person_ref
from auditor.services.reporting.summary import SummaryService
from db.engine import Database
from db.models import (
    Allocation,
    Audit,
    Case,
    FollowUpAction,
    HistoricGrade,
    Person,
    PracticeWeek,
    Response,
    Team,
)


@dataclass(frozen=True)
class WorkItem:
    audit_id: int
    case_reference: str | None
    team: str | None
    worker: str | None
    part: Part
    what: str
    due_on: dt.date | None
    started_on: dt.date
    has_draft: bool


@dataclass(frozen=True)
class MyWork:
    self_reviews: list[WorkItem] = field(default_factory=list)
    first_audits: list[WorkItem] = field(default_factory=list)
    second_audits: list[WorkItem] = field(default_factory=list)
    to_close: list[WorkItem] = field(default_factory=list)
    actions: list[ActionDTO] = field(default_factory=list)
    practice_week: list[PlannedItem] = field(default_factory=list)


@dataclass(frozen=True)
class PlannedItem:
    """My work in a practice week that is planned or under way, not yet done."""

    week: str
    day: dt.date
    what: str
    case_reference: str | None
    audit_id: int | None  # once started (a dip session is opened from the practice week)


@dataclass(frozen=True)
class Dashboard:
    grade_counts: dict[Grade, int]
    by_state: dict[AuditState, int]
    open_actions: int
    overdue_actions: int


def _first_audit_words(a: Row[Any]) -> str:
    """What is left of the first tier: the feedback leaves the words once it is recorded."""
    if a.state == AuditState.SELF_REVIEW.value:
        return "First audit (waiting for the self-review)"
    if a.feedback_in:
        return "First audit (family feedback recorded)"
    return "First audit and family feedback"


class WorkService:
    def __init__(self, db: Database, summary: SummaryService) -> None:
        self.db, self.summary = db, summary

    def my_work(self, *, who: Principal, today: dt.date) -> MyWork:
        """What is waiting for ``who``. Needs no action of the matrix (everyone signed in has a
        Home), only an active account; it shows only audits within ``who``'s reach."""
        with self.db.reading() as s:
            me, fresh = check(s, who)
            senior = person_ref(me).is_senior_or_qa and fresh.may(Action.TAKE_SECOND_AUDIT)
            open_three_tier = and_(Audit.kind.in_(THREE_TIER_KINDS), visible_audits(fresh))
            second_mine = Audit.second_auditor_id == me.id
            if senior:  # unassigned second audits this person could take
                second_mine = or_(
                    second_mine,
                    and_(
                        Audit.second_auditor_id.is_(None),
                        Audit.worker_id != me.id,
                        Audit.first_auditor_id != me.id,
                        or_(
                            Audit.worker_line_manager_id.is_(None),
                            Audit.worker_line_manager_id != me.id,
                        ),
                    ),
                )
            return MyWork(
                self_reviews=self._items(
                    s,
                    me.id,
                    Part.SELF_REVIEW,
                    and_(
                        open_three_tier,
                        Audit.state == AuditState.SELF_REVIEW.value,
                        Audit.worker_id == me.id,
                    ),
                    lambda a: "Write your self-review",
                ),
                first_audits=self._items(
                    s,
                    me.id,
                    Part.FIRST_AUDIT,
                    and_(
                        open_three_tier,
                        Audit.first_auditor_id == me.id,
                        Audit.state.in_(
                            [AuditState.SELF_REVIEW.value, AuditState.FIRST_AUDIT.value]
                        ),
                    ),
                    _first_audit_words,
                ),
                second_audits=self._items(
                    s,
                    me.id,
                    Part.SECOND_AUDIT,
                    and_(
                        open_three_tier, Audit.state == AuditState.SECOND_AUDIT.value, second_mine
                    ),
                    lambda a: (
                        "Second audit"
                        if a.second_auditor_id == me.id
                        else "Second audit (unassigned — you could take it)"
                    ),
                ),
                to_close=self._items(
                    s,
                    me.id,
                    Part.SECOND_AUDIT,
                    and_(
                        visible_audits(fresh),
                        Audit.state == AuditState.RECONCILIATION.value,
                        Audit.second_auditor_id == me.id,
                    ),
                    lambda a: "Agree differences and actions, then close",
                ),
                actions=self._actions(s, me.id, today, fresh),
                practice_week=self._planned(s, me.id),
            )

    @staticmethod
    def _planned(s: Session, me: int) -> list[PlannedItem]:
        from auditor.services.practice.plan_status import done_allocations, week_activities

        weeks = s.scalars(
            select(PracticeWeek).where(
                PracticeWeek.status != WeekStatus.CLOSED.value,
                PracticeWeek.id.in_(select(Allocation.week_id).where(Allocation.person_id == me)),
            )
        )
        items = []
        for week in weeks:
            audits, sessions = week_activities(s, week)
            done = done_allocations(week.allocations, audits, sessions)
            items += [
                PlannedItem(
                    week.name,
                    a.day,
                    ActivityKind(a.kind).label,
                    a.case.reference if a.case else None,
                    a.audit_id,
                )
                for a in week.allocations
                if a.person_id == me and not done.get(a.id, (False, None))[0]
            ]
        return sorted(items, key=lambda i: (i.day, i.week))

    @staticmethod
    def _items(
        s: Session,
        me: int,
        part: Part,
        condition: ColumnElement[bool],
        describe: Callable[[Row[Any]], str],
    ) -> list[WorkItem]:
        """Only the columns a work item shows (``describe`` reads ``state``,
        ``second_auditor_id`` and ``feedback_in``): loading whole audits would pull in every
        response and grade."""
        drafts = select(Response.audit_id).where(
            Response.part == part.value,
            Response.author_id == me,
            Response.status == ResponseStatus.DRAFT,
        )
        feedback_in = select(Response.audit_id).where(
            Response.part == Part.FAMILY_FEEDBACK.value,
            Response.status == ResponseStatus.SUBMITTED,
        )
        worker = (
            select(Person.name)
            .where(Person.id == Audit.worker_id)
            .scalar_subquery()
            .label("worker_name")
        )
        query: Select[Any] = (
            select(
                Audit.id,
                Audit.state,
                Audit.second_auditor_id,
                Audit.due_on,
                Audit.created_at,
                Case.reference,
                Team.name.label("team"),
                worker,
                Audit.id.in_(drafts).label("has_draft"),
                Audit.id.in_(feedback_in).label("feedback_in"),
            )
            .outerjoin(Case, Case.id == Audit.case_id)
            .outerjoin(Team, Team.id == Audit.team_id)
            .where(condition)
            .order_by(Audit.due_on.is_(None), Audit.due_on, Audit.id)
        )
        return [
            WorkItem(
                a.id,
                a.reference,
                a.team,
                a.worker_name,
                part,
                describe(a),
                a.due_on,
                a.created_at.date(),
                bool(a.has_draft),
            )
            for a in s.execute(query)
        ]

    @staticmethod
    def _actions(s: Session, me: int, today: dt.date, who: Principal) -> list[ActionDTO]:
        query = (
            select(FollowUpAction, Case.reference)
            .join(Audit, Audit.id == FollowUpAction.audit_id)
            .outerjoin(Case, Case.id == Audit.case_id)
            .where(
                FollowUpAction.owner_id == me,
                FollowUpAction.completed_on.is_(None),
                visible_audits(who),
            )
            .order_by(FollowUpAction.due_on >= today, FollowUpAction.due_on, FollowUpAction.id)
        )
        return [
            ActionDTO(
                a.id, a.audit_id, a.description, a.owner.name, a.owner.username, a.due_on, None, ref
            )
            for a, ref in s.execute(query)
        ]

    def dashboard(
        self, start: dt.date, end: dt.date, today: dt.date, *, who: Principal
    ) -> Dashboard:
        """The Home figures for a period (``READ_AUDITS``), over the audits ``who`` may read: the
        grades of the audits closed in it (and, for those who read every team, the imported
        history), the open audits by state and the follow-up actions."""
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.READ_AUDITS)
            visible = visible_audits(fresh)
            grades = dict.fromkeys(Grade.ordered(), 0)
            audit_kinds = [k.value for k in ActivityKind if k.category is Category.AUDIT]
            for grade, n in s.execute(
                select(Audit.final_grade, func.count())
                .where(
                    visible,
                    Audit.state == AuditState.CLOSED.value,
                    Audit.kind.in_(audit_kinds),
                    Audit.final_grade.is_not(None),
                    Audit.completed_on.between(start, end),
                )
                .group_by(Audit.final_grade)
            ):
                grades[Grade(grade)] += n
            if fresh.scope is Scope.ALL:  # imported history names no team: only for all-readers
                for grade, n in s.execute(
                    select(HistoricGrade.grade, func.count())
                    .where(
                        HistoricGrade.category == Category.AUDIT.value,
                        HistoricGrade.activity_on.between(start, end),
                    )
                    .group_by(HistoricGrade.grade)
                ):
                    grades[Grade(grade)] += n
            in_period = or_(
                Audit.state != AuditState.CLOSED.value, Audit.completed_on.between(start, end)
            )
            by_state = {
                AuditState(state): n
                for state, n in s.execute(
                    select(Audit.state, func.count())
                    .where(Audit.kind.in_(THREE_TIER_KINDS), in_period, visible)
                    .group_by(Audit.state)
                )
            }
            open_q = (
                select(func.count())
                .select_from(FollowUpAction)
                .join(Audit, Audit.id == FollowUpAction.audit_id)
                .where(FollowUpAction.completed_on.is_(None), visible)
            )
            open_actions = s.scalar(open_q) or 0
            overdue = s.scalar(open_q.where(FollowUpAction.due_on < today)) or 0
        return Dashboard(grades, by_state, open_actions, overdue)
