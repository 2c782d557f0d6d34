"""Read-only views of audits: one audit as a given person may see it, and filtered lists."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session, aliased

from auditor.domain import workflow as wf
from auditor.domain.activities import ActivityKind
from auditor.domain.clock import Clock, SystemClock
from auditor.domain.forms import FormDefinition
from auditor.domain.grades import Grade
from auditor.domain.permissions import AccessEventKind, Action, Principal
from auditor.domain.workflow import AuditState, Part, PersonRef, ResponseStatus
from auditor.services.access.guard import check
from auditor.services.access.log import record, record_refusal
from auditor.services.access.scope import OutOfReach, require_read, visible_audits
from auditor.services.audits.facts import (
    answers_of,
    domain_grades,
    get_audit,
    load_facts,
    response_of,
)
from auditor.services.audits.paging import SORT_KEYS, page_ids  # noqa: F401 (SORT_KEYS re-exported)
from auditor.services.dto import (
    ActionDTO,
    AuditDetail,
    AuditRow,
    DomainComparison,
    EventDTO,
    ResponseDTO,
)
from auditor.services.reference.records import find_person, person_ref
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
    auditor: str | None = None  # username: first or second auditor
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
        id=audit.id,
        kind=ActivityKind(audit.kind),
        state=AuditState(audit.state),
        case_reference=audit.case.reference if audit.case else None,
        case_type=audit.case_type,
        team=team,
        worker=name(audit.worker_id),
        first_auditor=name(audit.first_auditor_id),
        second_auditor=name(audit.second_auditor_id),
        final_grade=Grade(audit.final_grade) if audit.final_grade else None,
        created_on=audit.created_at.date(),
        completed_on=audit.completed_on,
    )


class AuditViews:
    def __init__(self, db: Database, forms: FormLibrary, clock: Clock | None = None) -> None:
        self.db = db
        self.forms = forms
        self.clock = clock or SystemClock()

    def detail(self, audit_id: int, *, who: Principal) -> AuditDetail:
        """One audit as ``who`` may see it (``READ_AUDITS``, within their reach): the blind rule
        and the privacy of drafts judged for the person signed in. The view is logged, and so is
        an attempt refused as out of reach."""
        try:
            with self.db.transaction() as s:
                _, fresh = check(s, who, Action.READ_AUDITS)
                audit = get_audit(s, audit_id)
                require_read(s, fresh, audit)
                record(
                    s,
                    AccessEventKind.VIEWED_AUDIT,
                    self.clock.now(),
                    person_id=fresh.person_id,
                    audit_id=audit.id,
                )
                return self._detail(s, audit, person_ref(find_person(s, fresh)))
        except OutOfReach as refused:
            record_refusal(self.db, self.clock.now(), who, refused, "view")
            raise

    def _detail(self, s: Session, audit: Audit, viewer: PersonRef) -> AuditDetail:
        who = viewer
        facts = load_facts(s, audit, self.forms)
        form = self.forms.get(audit.form_id, audit.form_version)
        hidden = not wf.may_see_first_audit(facts, who)
        people = _names(
            s,
            {audit.worker_id, audit.first_auditor_id, audit.second_auditor_id}
            | {r.author_id for r in audit.responses},
        )
        team = s.get_one(Team, audit.team_id).name if audit.team_id else None
        responses = {}
        for r in audit.responses:
            if r.status != ResponseStatus.SUBMITTED and who.id != r.author_id:
                continue  # drafts are private to their author
            part = Part(r.part)
            conceal = hidden and part is Part.FIRST_AUDIT
            responses[part] = self._response_dto(r, people[r.author_id], conceal)
        comparisons = [] if hidden else self._comparisons(audit, form)
        return AuditDetail(
            row=audit_row(audit, people, team),
            form_id=audit.form_id,
            form_version=audit.form_version,
            blind=audit.blind,
            theme=audit.theme,
            waived_reason=audit.self_review_waived_reason,
            cancelled_reason=audit.cancelled_reason,
            responses=responses,
            comparisons=comparisons,
            actions=[self._action(a, audit) for a in audit.actions],
            history=self._history(s, audit),
            first_audit_hidden=hidden,
            hidden_note=wf.first_audit_hidden_note(facts, who),
            waiting_for=self._waiting_for(facts),
        )

    @staticmethod
    def _response_dto(r: Response, author: Person, conceal: bool) -> ResponseDTO:
        """``conceal``: the blind rule withholds this response from the viewer — none of its
        answers, rationales or grades leave the service, only who wrote it and when."""
        return ResponseDTO(
            part=Part(r.part),
            form_id=r.form_id,
            form_version=r.form_version,
            author=author.name,
            author_username=author.username,
            status=ResponseStatus(r.status),
            answers={} if conceal else answers_of(r),
            overall_grade=None if conceal or not r.overall_grade else Grade(r.overall_grade),
            updated_at=r.updated_at,
            submitted_at=r.submitted_at,
            hidden=conceal,
        )

    @staticmethod
    def _comparisons(audit: Audit, form: FormDefinition) -> list[DomainComparison]:
        first, second = response_of(audit, Part.FIRST_AUDIT), response_of(audit, Part.SECOND_AUDIT)
        a, b = domain_grades(first), domain_grades(second)
        if not b:
            return []
        notes = {n.domain_id: n.note for n in audit.notes}
        out = [
            DomainComparison(f.id, f.label, a.get(f.id), b.get(f.id), notes.get(f.id, ""))
            for f in form.domains(audit.case_type)
        ]
        if form.overall and first is not None and second is not None:
            out.append(
                DomainComparison(
                    form.overall.id,
                    form.overall.label,
                    Grade(first.overall_grade) if first.overall_grade else None,
                    Grade(second.overall_grade) if second.overall_grade else None,
                    notes.get(form.overall.id, ""),
                )
            )
        return out

    @staticmethod
    def _action(a: FollowUpAction, audit: Audit) -> ActionDTO:
        return ActionDTO(
            a.id,
            a.audit_id,
            a.description,
            a.owner.name,
            a.owner.username,
            a.due_on,
            a.completed_on,
            audit.case.reference if audit.case else None,
        )

    @staticmethod
    def _history(s: Session, audit: Audit) -> list[EventDTO]:
        events = s.scalars(
            select(AuditEvent)
            .where(AuditEvent.audit_id == audit.id)
            .order_by(AuditEvent.at, AuditEvent.id)
        ).all()
        people = _names(s, {e.actor_id for e in events})
        return [
            EventDTO(e.at, people[e.actor_id].name, e.event, e.from_state, e.to_state, e.detail)
            for e in events
        ]

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
    def _filtered(self, s: Session, f: AuditFilter, who: Principal) -> Select[Any]:
        query = select(Audit).where(visible_audits(who))
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
                case.reference.contains(f.case_search.strip().upper())
            )
        if f.started_from:
            query = query.where(Audit.created_at >= dt.datetime.combine(f.started_from, dt.time()))
        if f.started_to:
            query = query.where(
                Audit.created_at
                < dt.datetime.combine(f.started_to + dt.timedelta(days=1), dt.time())
            )
        return query

    def count(self, f: AuditFilter = AuditFilter(), *, who: Principal) -> int:
        """How many audits match ``f`` among those ``who`` may read (``READ_AUDITS``)."""
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.READ_AUDITS)
            sub = self._filtered(s, f, fresh).with_only_columns(Audit.id).subquery()
            return s.scalar(select(func.count()).select_from(sub)) or 0

    def rows(
        self,
        f: AuditFilter = AuditFilter(),
        *,
        who: Principal,
        after: int | None = None,
        offset: int = 0,
        limit: int | None = None,
        sort: str = "id",
        descending: bool = True,
    ) -> list[AuditRow]:
        """A page of audits sorted by ``sort`` (``SORT_KEYS``), filtered and sorted in SQL.

        Pass ``after``, the id of the last audit already shown, for the next page: it seeks past
        that row (keyset paging), so every page costs the same. ``offset`` skips rows the slow way
        and is kept only for callers that count rows. Only the audits ``who`` may read
        (``READ_AUDITS``); listing is not logged as viewing."""
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.READ_AUDITS)
            query = self._filtered(s, f, fresh).with_only_columns(Audit.id)
            wanted = None if limit is None else offset + limit
            ids = page_ids(s, query, sort, descending, after, wanted)[offset:]
            return _list_rows(s, ids)


LIST_COLUMNS = (
    Audit.id,
    Audit.kind,
    Audit.state,
    Case.reference,
    Audit.case_type,
    Team.name,
    Audit.worker_id,
    Audit.first_auditor_id,
    Audit.second_auditor_id,
    Audit.final_grade,
    Audit.created_at,
    Audit.completed_on,
)


def _list_rows(s: Session, ids: list[int]) -> list[AuditRow]:
    """The rows of a page, in the order of ``ids``: one query for the audits, one for the names."""
    if not ids:
        return []
    found = {
        r.id: r
        for r in s.execute(
            select(*LIST_COLUMNS)
            .outerjoin(Case, Case.id == Audit.case_id)
            .outerjoin(Team, Team.id == Audit.team_id)
            .where(Audit.id.in_(ids))
        )
    }
    people = dict(
        s.execute(
            select(Person.id, Person.name).where(
                Person.id.in_(
                    {
                        p
                        for r in found.values()
                        for p in (r.worker_id, r.first_auditor_id, r.second_auditor_id)
                        if p is not None
                    }
                )
            )
        ).all()
    )
    return [
        AuditRow(
            id=r.id,
            kind=ActivityKind(r.kind),
            state=AuditState(r.state),
            case_reference=r.reference,
            case_type=r.case_type,
            team=r.name,
            worker=people.get(r.worker_id),
            first_auditor=people.get(r.first_auditor_id),
            second_auditor=people.get(r.second_auditor_id),
            final_grade=Grade(r.final_grade) if r.final_grade else None,
            created_on=r.created_at.date(),
            completed_on=r.completed_on,
        )
        for r in (found[i] for i in ids)
    ]
