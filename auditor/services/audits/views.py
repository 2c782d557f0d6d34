"""Read-only views of audits: one audit as a given person may see it, and filtered lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session, aliased, lazyload

from auditor.domain import workflow as wf
from auditor.domain.activities import ActivityKind
from auditor.domain.forms import FormDefinition
from auditor.domain.grades import Grade
from auditor.domain.workflow import AuditState, Part, PersonRef, ResponseStatus
from auditor.services.audits.facts import answers_of, domain_grades, get_audit, load_facts, response_of
from auditor.services.reference.directory import find_person, person_ref
from auditor.services.dto import (ActionDTO, AuditDetail, AuditRow, DomainComparison, EventDTO,
                                  ResponseDTO)
from db.engine import Database
from db.models import Audit, AuditEvent, Case, FollowUpAction, Person, Response, Team
from forms import FormLibrary


@dataclass(frozen=True)
class AuditFilter:
    states: tuple[AuditState, ...] = ()
    kinds: tuple[ActivityKind, ...] = ()
    team: str | None = None
    case_type: str | None = None
    final_grade: Grade | None = None
    auditor: str | None = None      # username: first or second auditor
    case_search: str = ""
    started_from: dt.date | None = None
    started_to: dt.date | None = None


def _names(session: Session, ids: set[int | None]) -> dict[int, Person]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {p.id: p for p in session.scalars(select(Person).where(Person.id.in_(wanted)))}


def audit_row(audit: Audit, people: dict[int, Person], team: str | None) -> AuditRow:
    def name(pid: int | None) -> str | None:
        return people[pid].name if pid in people else None
    return AuditRow(
        id=audit.id, kind=ActivityKind(audit.kind), state=AuditState(audit.state),
        case_reference=audit.case.reference if audit.case else None, case_type=audit.case_type,
        team=team, worker=name(audit.worker_id), first_auditor=name(audit.first_auditor_id),
        second_auditor=name(audit.second_auditor_id),
        final_grade=Grade(audit.final_grade) if audit.final_grade else None,
        created_on=audit.created_at.date(), completed_on=audit.completed_on)


class AuditViews:
    def __init__(self, db: Database, forms: FormLibrary) -> None:
        self.db = db
        self.forms = forms

    def detail(self, audit_id: int, viewer: str | None = None) -> AuditDetail:
        with self.db.reading() as s:
            audit = get_audit(s, audit_id)
            who = person_ref(find_person(s, viewer)) if viewer else None
            facts = load_facts(s, audit, self.forms)
            form = self.forms.get(audit.form_id, audit.form_version)
            hidden = not wf.may_see_first_audit(facts, who)
            people = _names(s, {audit.worker_id, audit.first_auditor_id, audit.second_auditor_id}
                            | {r.author_id for r in audit.responses})
            team = s.get(Team, audit.team_id).name if audit.team_id else None
            responses = {}
            for r in audit.responses:
                if r.status != ResponseStatus.SUBMITTED and (who is None
                                                                 or who.id != r.author_id):
                    continue  # drafts are private to their author
                part = Part(r.part)
                conceal = hidden and part is Part.FIRST_AUDIT
                responses[part] = self._response_dto(r, people[r.author_id], conceal)
            comparisons = [] if hidden else self._comparisons(audit, form)
            return AuditDetail(
                row=audit_row(audit, people, team), form_id=audit.form_id,
                form_version=audit.form_version, blind=audit.blind, theme=audit.theme,
                waived_reason=audit.self_review_waived_reason,
                cancelled_reason=audit.cancelled_reason, responses=responses,
                comparisons=comparisons, actions=[self._action(a, audit) for a in audit.actions],
                history=self._history(s, audit), first_audit_hidden=hidden,
                hidden_note=wf.first_audit_hidden_note(facts, who),
                waiting_for=self._waiting_for(facts))

    @staticmethod
    def _response_dto(r: Response, author: Person, conceal: bool) -> ResponseDTO:
        """``conceal``: the blind rule withholds this response from the viewer — none of its
        answers, rationales or grades leave the service, only who wrote it and when."""
        return ResponseDTO(
            part=Part(r.part), form_id=r.form_id, form_version=r.form_version, author=author.name,
            author_username=author.username, status=ResponseStatus(r.status),
            answers={} if conceal else answers_of(r),
            overall_grade=None if conceal or not r.overall_grade else Grade(r.overall_grade),
            updated_at=r.updated_at, submitted_at=r.submitted_at, hidden=conceal)

    @staticmethod
    def _comparisons(audit: Audit, form: FormDefinition) -> list[DomainComparison]:
        first, second = response_of(audit, Part.FIRST_AUDIT), response_of(audit, Part.SECOND_AUDIT)
        a, b = domain_grades(first), domain_grades(second)
        if not b:
            return []
        notes = {n.domain_id: n.note for n in audit.notes}
        out = [DomainComparison(f.id, f.label, a.get(f.id), b.get(f.id), notes.get(f.id, ""))
               for f in form.domains(audit.case_type)]
        if form.overall and first is not None and second is not None:
            out.append(DomainComparison(
                form.overall.id, form.overall.label,
                Grade(first.overall_grade) if first.overall_grade else None,
                Grade(second.overall_grade) if second.overall_grade else None,
                notes.get(form.overall.id, "")))
        return out

    @staticmethod
    def _action(a: FollowUpAction, audit: Audit) -> ActionDTO:
        return ActionDTO(a.id, a.audit_id, a.description, a.owner.name, a.owner.username, a.due_on,
                         a.completed_on, audit.case.reference if audit.case else None)

    @staticmethod
    def _history(s: Session, audit: Audit) -> list[EventDTO]:
        events = s.scalars(select(AuditEvent).where(AuditEvent.audit_id == audit.id)
                           .order_by(AuditEvent.at, AuditEvent.id)).all()
        people = _names(s, {e.actor_id for e in events})
        return [EventDTO(e.at, people[e.actor_id].name, e.event, e.from_state, e.to_state, e.detail)
                for e in events]

    @staticmethod
    def _waiting_for(facts: wf.AuditFacts) -> str:
        state = facts.state

        def who(p: PersonRef | None, role: str) -> str:
            return p.name if p else f"{role} (not yet assigned)"
        if state is AuditState.SELF_REVIEW:
            return f"Self-review by {who(facts.worker, 'the social worker')}"
        if state is AuditState.FIRST_AUDIT:
            return f"First audit by {who(facts.first_auditor, 'a first-line manager')}"
        if state is AuditState.SECOND_AUDIT:
            return f"Second audit by {who(facts.second_auditor, 'a senior manager')}"
        if state is AuditState.RECONCILIATION:
            return f"Differences and actions, then closing, by {who(facts.second_auditor, 'QA')}"
        if state is AuditState.IN_PROGRESS:
            return f"Completion by {who(facts.first_auditor, 'the observer')}"
        return ""

    # -------------------------------------------------------------------------------------- lists
    def _filtered(self, s: Session, f: AuditFilter) -> Select:
        query = select(Audit)
        if f.states:
            query = query.where(Audit.state.in_([st.value for st in f.states]))
        if f.kinds:
            query = query.where(Audit.kind.in_([k.value for k in f.kinds]))
        if f.team:
            query = query.join(Team, Team.id == Audit.team_id).where(Team.name == f.team)
        if f.case_type:
            query = query.where(Audit.case_type == f.case_type)
        if f.final_grade:
            query = query.where(Audit.final_grade == f.final_grade.value)
        if f.auditor:
            pid = find_person(s, f.auditor).id
            query = query.where(or_(Audit.first_auditor_id == pid, Audit.second_auditor_id == pid))
        if f.case_search:
            case = aliased(Case)
            query = query.join(case, case.id == Audit.case_id).where(
                case.reference.contains(f.case_search.strip().upper()))
        if f.started_from:
            query = query.where(Audit.created_at >= dt.datetime.combine(f.started_from, dt.time()))
        if f.started_to:
            query = query.where(Audit.created_at < dt.datetime.combine(
                f.started_to + dt.timedelta(days=1), dt.time()))
        return query

    def count(self, f: AuditFilter = AuditFilter()) -> int:
        with self.db.reading() as s:
            sub = self._filtered(s, f).with_only_columns(Audit.id).subquery()
            return s.scalar(select(func.count()).select_from(sub)) or 0

    def rows(self, f: AuditFilter = AuditFilter(), *, offset: int = 0, limit: int | None = None,
             sort: str = "id", descending: bool = True) -> list[AuditRow]:
        """A page of audits; sorting and filtering happen in SQL (``SORT_KEYS`` lists the sorts)."""
        with self.db.reading() as s:
            query, key = _sorted(self._filtered(s, f), sort)
            order = key.desc() if descending else key.asc()
            tiebreak = Audit.id.desc() if descending else Audit.id.asc()
            query = (query.order_by(order, tiebreak).offset(offset)
                     .options(lazyload(Audit.responses), lazyload(Audit.actions),
                              lazyload(Audit.notes)))
            if limit is not None:
                query = query.limit(limit)
            audits = s.scalars(query).unique().all()
            people = _names(s, {i for a in audits for i in
                                (a.worker_id, a.first_auditor_id, a.second_auditor_id)})
            teams = {t.id: t.name for t in s.scalars(select(Team))}
            return [audit_row(a, people, teams.get(a.team_id)) for a in audits]


SORT_KEYS = ("id", "case", "kind", "state", "team", "worker", "first_auditor", "second_auditor",
             "final_grade", "created", "completed")


def _sorted(query: Select, sort: str) -> tuple[Select, Any]:
    """Add what ordering by ``sort`` needs (joins for names) and return the expression to order by."""
    simple = {"id": Audit.id, "kind": Audit.kind, "state": Audit.state,
              "created": Audit.created_at, "completed": Audit.completed_on,
              "final_grade": case({g.value: g.rank for g in Grade}, value=Audit.final_grade,
                                  else_=9)}
    if sort in simple:
        return query, simple[sort]
    if sort == "case":
        joined = aliased(Case)
        return query.outerjoin(joined, joined.id == Audit.case_id), joined.reference
    if sort == "team":
        joined = aliased(Team)
        return query.outerjoin(joined, joined.id == Audit.team_id), joined.name
    columns = {"worker": Audit.worker_id, "first_auditor": Audit.first_auditor_id,
               "second_auditor": Audit.second_auditor_id}
    if sort in columns:
        joined = aliased(Person)
        return query.outerjoin(joined, joined.id == columns[sort]), joined.name
    raise ValueError(f"unknown sort key {sort!r}")
