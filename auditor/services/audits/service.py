"""Use cases that change audits: start, write drafts, submit each tier, explain differences, agree
actions, close. One transaction per call; the workflow rules decide before anything is written."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditor.domain import workflow as wf
from auditor.domain.activities import THREE_TIER_KINDS, ActivityKind
from auditor.domain.answers import GradeAnswer, clean_answers
from auditor.domain.clock import Clock
from auditor.domain.errors import NotFound, RuleViolation, ValidationError
from auditor.domain.forms import FormDefinition, FormUse
from auditor.domain.permissions import Action, Principal, require
from auditor.domain.workflow import AuditFacts, AuditState, Part, PersonRef, ResponseStatus
from auditor.services.access.guard import check
from auditor.services.access.scope import require_case_reach, require_read
from auditor.services.audits.facts import answers_of, get_audit, load_facts, response_of
from auditor.services.dto import ActionDTO
from auditor.services.reference.form_releases import check_form_release
from auditor.services.reference.records import find_case, find_person, person_ref
from auditor.services.reporting.agreement import record_closed_audit
from db.engine import Database
from db.models import (
    Allocation,
    Answer,
    Audit,
    AuditEvent,
    DomainGrade,
    FollowUpAction,
    Person,
    ReconciliationNote,
    Response,
)
from forms import FormLibrary

Link = Callable[[Session, int], None]

#: The form each part of a three-tier audit is written on (its newest version when the part starts).
PART_FORMS = {Part.SELF_REVIEW: "self_review", Part.FAMILY_FEEDBACK: "family_feedback"}
DEFAULT_AUDIT_FORM = "case_file_audit"

#: The action writing each part of a three-tier audit needs (``Part.RECORD``: see ``part_action``).
PART_ACTIONS = {
    Part.SELF_REVIEW: Action.WRITE_SELF_REVIEW,
    Part.FIRST_AUDIT: Action.WRITE_FIRST_AUDIT,
    Part.FAMILY_FEEDBACK: Action.WRITE_FAMILY_FEEDBACK,
    Part.SECOND_AUDIT: Action.WRITE_SECOND_AUDIT,
}


def record_action(kind: ActivityKind) -> Action:
    """The action recording an observation or a dip-sample case needs."""
    return Action.RECORD_OBSERVATION if kind is ActivityKind.OBSERVATION else Action.RUN_DIP_SAMPLE


def part_action(kind: ActivityKind, part: Part) -> Action:
    """The action writing ``part`` of an activity of ``kind`` needs."""
    return record_action(kind) if part is Part.RECORD else PART_ACTIONS[part]


class AuditService:
    def __init__(self, db: Database, forms: FormLibrary, clock: Clock) -> None:
        self.db = db
        self.forms = forms
        self.clock = clock

    # ------------------------------------------------------------------------------------ helpers
    def _event(
        self,
        s: Session,
        audit: Audit,
        actor: PersonRef,
        event: str,
        before: str | None = None,
        detail: str = "",
    ) -> None:
        s.add(
            AuditEvent(
                audit_id=audit.id,
                at=self.clock.now(),
                actor_id=actor.id,
                event=event,
                from_state=before,
                to_state=audit.state if before is not None else None,
                detail=detail,
            )
        )

    @contextlib.contextmanager
    def _acting(
        self, audit_id: int, by: Principal, action: Action
    ) -> Iterator[tuple[Session, Audit, PersonRef, AuditFacts]]:
        """One transaction in which ``by`` acts on an audit, with the facts the rules need: their
        roles must allow ``action`` and the audit must be one they may read."""
        with self.db.transaction() as s:
            person, fresh = check(s, by, action)
            audit = get_audit(s, audit_id)
            require_read(s, fresh, audit)
            yield s, audit, person_ref(person), load_facts(s, audit, self.forms)

    def _reading(self, s: Session, audit_id: int, who: Principal) -> tuple[Audit, Principal]:
        """``audit_id`` for ``who`` to read (``READ_AUDITS``, within their reach)."""
        _, fresh = check(s, who, Action.READ_AUDITS)
        audit = get_audit(s, audit_id)
        require_read(s, fresh, audit)
        return audit, fresh

    def _move(
        self,
        s: Session,
        audit: Audit,
        actor: PersonRef,
        target: AuditState,
        event: str,
        detail: str = "",
    ) -> None:
        before, audit.state = audit.state, target
        self._event(s, audit, actor, event, before, detail)

    def form_for(self, audit: Audit, part: Part) -> FormDefinition:
        existing = response_of(audit, part)
        if existing is not None:
            return self.forms.get(existing.form_id, existing.form_version)
        if part in PART_FORMS:
            return self.forms.latest(PART_FORMS[part])
        return self.forms.get(audit.form_id, audit.form_version)

    def writable_parts(self, audit_id: int, by: Principal) -> list[Part]:
        """The parts ``by`` may write now, by the same rules that judge a submission (their roles
        and the workflow's)."""
        with self.db.reading() as s:
            audit, fresh = self._reading(s, audit_id, by)
            actor = person_ref(find_person(s, fresh))
            facts = load_facts(s, audit, self.forms)
            allowed = []
            for part in Part:
                if (part is Part.RECORD) == facts.kind.is_three_tier:
                    continue
                if not fresh.may(part_action(facts.kind, part)):
                    continue
                if (
                    part is Part.SECOND_AUDIT
                    and audit.second_auditor_id is None
                    and not fresh.may(Action.TAKE_SECOND_AUDIT)
                ):
                    continue
                try:
                    wf.check_may_write(facts, part, actor)
                except RuleViolation:
                    continue
                allowed.append(part)
            return allowed

    def may_reconcile(self, audit_id: int, by: Principal) -> bool:
        with self.db.reading() as s:
            audit, fresh = self._reading(s, audit_id, by)
            return fresh.may(Action.RECONCILE) and wf.may_reconcile(
                load_facts(s, audit, self.forms), person_ref(find_person(s, fresh))
            )

    def part_form(self, audit_id: int, part: Part, *, who: Principal) -> FormDefinition:
        with self.db.reading() as s:
            audit, _ = self._reading(s, audit_id, who)
            return self.form_for(audit, part)

    # -------------------------------------------------------------------------------------- start
    def start(
        self,
        case_reference: str,
        *,
        by: Principal,
        kind: ActivityKind = ActivityKind.CASE_FILE_AUDIT,
        first_auditor: str | Principal | None = None,
        second_auditor: str | None = None,
        blind: bool = True,
        not_blind_reason: str = "",
        theme: str = "",
        due_on: dt.date | None = None,
        practice_week_id: int | None = None,
        link: Link | None = None,
    ) -> int:
        """Start a three-tier audit of a case; returns the audit number. ``link`` runs in the same
        transaction once the audit has its number (a practice week's plan records it). An audit
        that is not blind needs a senior manager or QA and ``not_blind_reason``
        (``MAKE_NOT_BLIND``); naming the second auditor needs ``ASSIGN_SECOND_AUDIT`` (or
        ``TAKE_SECOND_AUDIT`` when it is ``by``)."""
        with self.db.transaction() as s:
            person, fresh = check(s, by, Action.START_AUDIT)
            if not blind:
                require(fresh, Action.MAKE_NOT_BLIND)
            if not kind.is_three_tier:
                raise RuleViolation(
                    f"A {kind.label.lower()} is recorded, not started as a three-tier audit."
                )
            form = self.forms.latest(DEFAULT_AUDIT_FORM)
            actor = person_ref(person)
            if not actor.is_manager:
                raise RuleViolation("Audits are started by managers or the quality-assurance team.")
            reason = "" if blind else wf.check_not_blind(actor, not_blind_reason)
            check_form_release(s, form, self.clock.now())
            case = find_case(s, case_reference)
            if not _planned_for(s, practice_week_id, person.id, case.id):
                require_case_reach(fresh, case)  # a practice week's plan grants its own cases
            if case.worker is None:
                raise RuleViolation(
                    f"Case {case.reference} has no allocated social worker, so "
                    "there is nobody to write the self-review. Allocate a worker "
                    "first."
                )
            open_states = [st for st in AuditState if st.is_open]
            already = s.scalar(
                select(Audit.id).where(
                    Audit.case_id == case.id,
                    Audit.state.in_(open_states),
                    Audit.kind.in_(THREE_TIER_KINDS),
                )
            )
            if already is not None:
                raise wf.audit_under_way(case.reference, already)
            audit = Audit(
                kind=kind,
                state=wf.initial_state(kind),
                case_id=case.id,
                case_type=case.case_type,
                team_id=case.team_id,
                worker_id=case.worker_id,
                worker_line_manager_id=case.worker.line_manager_id,
                form_id=form.id,
                form_version=form.version,
                blind=blind,
                theme=theme.strip(),
                created_by_id=actor.id,
                created_at=self.clock.now(),
                due_on=due_on,
                practice_week_id=practice_week_id,
            )
            first = (
                find_person(s, first_auditor)
                if first_auditor
                else (
                    s.get(Person, case.worker.line_manager_id)
                    if case.worker.line_manager_id
                    else None
                )
            )
            s.add(audit)
            s.flush()
            facts = load_facts(s, audit, self.forms)
            if first is not None:
                wf.check_first_auditor(facts, person_ref(first))
                audit.first_auditor_id = first.id
            if second_auditor:
                second = person_ref(find_person(s, second_auditor))
                require(fresh, _second_action(actor, second))
                wf.check_second_auditor(load_facts(s, audit, self.forms), second)
                audit.second_auditor_id = second.id
            self._event(s, audit, actor, "started", "", detail=f"{kind.label} of {case.reference}")
            if reason:
                self._event(
                    s,
                    audit,
                    actor,
                    "made_not_blind",
                    detail=f"The second auditor sees the first audit while grading: {reason}",
                )
            if link is not None:
                link(s, audit.id)
            return audit.id

    def record(
        self,
        kind: ActivityKind,
        *,
        by: Principal,
        answers: Mapping[str, Any],
        form_id: str,
        case_reference: str | None = None,
        practitioner: str | None = None,
        complete: bool = True,
        theme: str = "",
        practice_week_id: int | None = None,
        dip_session_id: int | None = None,
        link: Link | None = None,
    ) -> int:
        """Record an observation of practice or one case of a dip sample (one stage, one form);
        ``complete=False`` keeps it as a draft to finish later. An observation needs
        ``RECORD_OBSERVATION``, a dip-sample case ``RUN_DIP_SAMPLE``."""
        with self.db.transaction() as s:
            actor_person, _ = check(s, by, record_action(kind))
            if kind.is_three_tier:
                raise RuleViolation(
                    "Case-file audits go through the three tiers; start one instead."
                )
            if kind is ActivityKind.OBSERVATION and not practitioner:
                raise ValidationError(
                    "Say whose practice you observed: an observation needs the "
                    "practitioner as well as the observer."
                )
            form = self.forms.latest(form_id)
            expected = (
                FormUse.OBSERVATION if kind is ActivityKind.OBSERVATION else FormUse.DIP_SAMPLE
            )
            if form.use is not expected:
                raise ValidationError(f"The form '{form.id}' is not a {kind.label.lower()} form.")
            check_form_release(s, form, self.clock.now())
            case = find_case(s, case_reference) if case_reference else None
            worker = (
                find_person(s, practitioner) if practitioner else (case.worker if case else None)
            )
            if kind is ActivityKind.OBSERVATION:
                wf.check_observer(
                    person_ref(actor_person),
                    actor_person.line_manager_id,
                    person_ref(worker) if worker else None,
                )
            audit = Audit(
                kind=kind,
                state=AuditState.IN_PROGRESS,
                case_id=case.id if case else None,
                case_type=case.case_type if case else None,
                team_id=case.team_id if case else (worker.team_id if worker else None),
                worker_id=worker.id if worker else None,
                worker_line_manager_id=worker.line_manager_id if worker else None,
                first_auditor_id=actor_person.id,
                form_id=form.id,
                form_version=form.version,
                theme=theme or form.theme,
                practice_week_id=practice_week_id,
                dip_session_id=dip_session_id,
                created_by_id=actor_person.id,
                created_at=self.clock.now(),
            )
            s.add(audit)
            s.flush()
            actor = person_ref(actor_person)
            self._event(s, audit, actor, "started", "", detail=kind.label)
            self._write(s, audit, Part.RECORD, actor, answers, submit=complete)
            if link is not None:
                link(s, audit.id)
            return audit.id

    # ------------------------------------------------------------------------------ drafts, submit
    def save_draft(
        self, audit_id: int, part: Part, *, by: Principal, answers: Mapping[str, Any]
    ) -> dt.datetime:
        """Keep unfinished answers; returns when they were saved. Drafts are seen only by their
        author."""
        with self._writing(audit_id, part, by) as (s, audit, actor):
            self._write(s, audit, part, actor, answers, submit=False)
            return self.clock.now()

    def submit(
        self,
        audit_id: int,
        part: Part,
        *,
        by: Principal,
        answers: Mapping[str, Any] | None = None,
    ) -> AuditState:
        """Submit a part (the saved draft when ``answers`` is None); returns the new state."""
        with self._writing(audit_id, part, by) as (s, audit, actor):
            if answers is None:
                answers = answers_of(response_of(audit, part))
            self._write(s, audit, part, actor, answers, submit=True)
            return AuditState(audit.state)

    @contextlib.contextmanager
    def _writing(
        self, audit_id: int, part: Part, by: Principal
    ) -> Iterator[tuple[Session, Audit, PersonRef]]:
        """One transaction in which ``by`` writes ``part``: the part's action (and taking an
        unassigned second audit, ``TAKE_SECOND_AUDIT``), within their reach."""
        with self.db.transaction() as s:
            if part is Part.RECORD:
                person, fresh = check(s, by)
                audit = get_audit(s, audit_id)
                require(fresh, record_action(ActivityKind(audit.kind)))
            else:
                person, fresh = check(s, by, PART_ACTIONS[part])
                audit = get_audit(s, audit_id)
            if part is Part.SECOND_AUDIT and audit.second_auditor_id is None:
                require(fresh, Action.TAKE_SECOND_AUDIT)
            require_read(s, fresh, audit)
            yield s, audit, person_ref(person)

    def _write(
        self,
        s: Session,
        audit: Audit,
        part: Part,
        actor: PersonRef,
        answers: Mapping[str, Any],
        *,
        submit: bool,
    ) -> None:
        facts = load_facts(s, audit, self.forms)
        wf.check_may_write(facts, part, actor)
        form = self.form_for(audit, part)
        check_form_release(s, form, self.clock.now())
        cleaned = clean_answers(form, answers, case_type=audit.case_type, complete=submit)
        target = wf.check_submit(facts, part, actor) if submit else None  # None: a draft
        response = response_of(audit, part)
        now = self.clock.now()
        if response is None:
            response = Response(
                part=part,
                form_id=form.id,
                form_version=form.version,
                author_id=actor.id,
                created_at=now,
            )
            audit.responses.append(response)
        response.author_id = actor.id
        response.updated_at = now
        response.answers = [
            Answer(field_id=k, value=json.dumps(v, ensure_ascii=False)) for k, v in cleaned.items()
        ]
        if part in (Part.FIRST_AUDIT, Part.FAMILY_FEEDBACK) and audit.first_auditor_id is None:
            audit.first_auditor_id = actor.id
        if part is Part.SECOND_AUDIT and audit.second_auditor_id is None:
            audit.second_auditor_id = actor.id
        if target is None:
            response.status = ResponseStatus.DRAFT
            return
        self._apply_grades(response, form, cleaned, audit.case_type)
        response.status = ResponseStatus.SUBMITTED
        response.submitted_at = now
        before = audit.state
        audit.state = target
        if part is Part.SECOND_AUDIT or part is Part.RECORD:
            audit.final_grade = response.overall_grade
        if audit.state is AuditState.CLOSED:
            audit.completed_on = now.date()
        self._event(s, audit, actor, f"submitted_{part.value}", before)

    @staticmethod
    def _apply_grades(
        response: Response, form: FormDefinition, answers: Mapping[str, Any], case_type: str | None
    ) -> None:
        response.domain_grades = [
            DomainGrade(domain_id=f.id, grade=g.grade.value, rationale=g.rationale)
            for f in form.domains(case_type)
            if (g := GradeAnswer.read(answers.get(f.id))).grade is not None
        ]
        overall = (
            GradeAnswer.read(answers.get(form.overall.id))
            if form.overall
            else GradeAnswer(None, "")
        )
        response.overall_grade = overall.grade.value if overall.grade else None
        response.overall_rationale = overall.rationale

    # ---------------------------------------------------------------------------- other workflow
    def waive_self_review(self, audit_id: int, *, by: Principal, reason: str) -> AuditState:
        with self._acting(audit_id, by, Action.WAIVE_SELF_REVIEW) as (s, audit, actor, facts):
            target = wf.check_waive_self_review(facts, actor, reason)
            audit.self_review_waived_reason = reason.strip()
            self._move(s, audit, actor, target, "self_review_waived", reason.strip())
            return target

    def assign_second_auditor(self, audit_id: int, *, by: Principal, to: str) -> None:
        """Make ``to`` the second auditor: ``TAKE_SECOND_AUDIT`` when it is ``by`` themselves,
        ``ASSIGN_SECOND_AUDIT`` for someone else."""
        with self.db.transaction() as s:
            me, fresh = check(s, by)
            actor = person_ref(me)
            person = person_ref(find_person(s, to))
            require(fresh, _second_action(actor, person))
            audit = get_audit(s, audit_id)
            require_read(s, fresh, audit)
            facts = load_facts(s, audit, self.forms)
            wf.check_assign_second_auditor(facts, actor, person)
            draft = response_of(audit, Part.SECOND_AUDIT)
            if draft is not None and draft.author_id != person.id:
                raise RuleViolation(
                    "Another manager has already started the second audit; it cannot be reassigned."
                )
            audit.second_auditor_id = person.id
            self._event(s, audit, actor, "second_auditor_assigned", detail=person.name)

    def note_difference(self, audit_id: int, domain_id: str, note: str, *, by: Principal) -> None:
        with self._acting(audit_id, by, Action.RECONCILE) as (s, audit, actor, facts):
            if not note.strip():
                raise ValidationError("Write a note explaining the difference.")
            wf.check_reconciliation_note(facts, actor, domain_id)
            existing = next((n for n in audit.notes if n.domain_id == domain_id), None)
            if existing is None:
                audit.notes.append(
                    ReconciliationNote(
                        domain_id=domain_id,
                        note=note.strip(),
                        author_id=actor.id,
                        written_at=self.clock.now(),
                    )
                )
            else:
                existing.note, existing.author_id = note.strip(), actor.id
                existing.written_at = self.clock.now()
            self._event(s, audit, actor, "difference_noted", detail=domain_id)

    def add_action(
        self,
        audit_id: int,
        *,
        by: Principal,
        owner: str,
        due_on: dt.date | None,
        description: str,
    ) -> ActionDTO:
        with self._acting(audit_id, by, Action.SET_ACTIONS) as (s, audit, actor, facts):
            if not description.strip():
                raise ValidationError("Describe the follow-up action.")
            if due_on is None:
                raise ValidationError("A follow-up action needs a due date.")
            wf.check_add_action(facts, actor)
            owner_person = find_person(s, owner)
            if due_on < audit.created_at.date():
                raise ValidationError(
                    f"The due date {due_on:%d/%m/%Y} is before the audit started."
                )
            action = FollowUpAction(
                description=description.strip(),
                owner_id=owner_person.id,
                due_on=due_on,
                created_by_id=actor.id,
                created_at=self.clock.now(),
            )
            audit.actions.append(action)
            s.flush()
            self._event(
                s,
                audit,
                actor,
                "action_added",
                detail=f"{description.strip()} — {owner_person.name}, due {due_on:%d/%m/%Y}",
            )
            return ActionDTO(
                action.id,
                audit.id,
                action.description,
                owner_person.name,
                owner_person.username,
                due_on,
                None,
                audit.case.reference if audit.case else None,
            )

    def complete_action(self, action_id: int, *, by: Principal) -> None:
        """Mark an action done: its owner may (whatever their role), anyone else needs
        ``SET_ACTIONS``; the audit must be one ``by`` may read."""
        with self.db.transaction() as s:
            person, fresh = check(s, by, Action.READ_AUDITS)
            action = s.get(FollowUpAction, action_id)
            if action is None:
                raise NotFound(f"There is no follow-up action number {action_id}.")
            if person.id != action.owner_id:
                require(fresh, Action.SET_ACTIONS)
            require_read(s, fresh, get_audit(s, action.audit_id))
            actor = person_ref(person)
            if action.completed_on is not None:
                raise RuleViolation("This action is already marked as done.")
            if actor.id != action.owner_id and not actor.is_senior_or_qa:
                raise RuleViolation(
                    f"Only the action's owner ({action.owner.name}) or a senior "
                    "manager can mark it as done."
                )
            action.completed_on = self.clock.now().date()
            action.completed_by_id = actor.id
            audit = get_audit(s, action.audit_id)
            self._event(s, audit, actor, "action_completed", detail=action.description)

    def close(self, audit_id: int, *, by: Principal) -> None:
        with self._acting(audit_id, by, Action.CLOSE_AUDIT) as (s, audit, actor, facts):
            target = wf.check_close(facts, actor)
            audit.completed_on = self.clock.now().date()
            self._move(s, audit, actor, target, "closed")
            record_closed_audit(s, audit.id)  # closed is final: its pairs count from now

    def cancel(self, audit_id: int, *, by: Principal, reason: str) -> None:
        with self._acting(audit_id, by, Action.CANCEL_AUDIT) as (s, audit, actor, facts):
            target = wf.check_cancel(facts, actor, reason)
            audit.cancelled_reason = reason.strip()
            self._move(s, audit, actor, target, "cancelled", reason.strip())


def _second_action(actor: PersonRef, second: PersonRef) -> Action:
    """Taking a second audit for yourself, or giving it to someone else."""
    return Action.TAKE_SECOND_AUDIT if second.id == actor.id else Action.ASSIGN_SECOND_AUDIT


def _planned_for(s: Session, week_id: int | None, person_id: int, case_id: int) -> bool:
    """Whether a practice week's plan gives this person this case's audit, not yet started:
    the organiser, who may read the case, lent it to them for the week."""
    if week_id is None:
        return False
    return (
        s.scalar(
            select(Allocation.id).where(
                Allocation.week_id == week_id,
                Allocation.person_id == person_id,
                Allocation.case_id == case_id,
                Allocation.audit_id.is_(None),
            )
        )
        is not None
    )
