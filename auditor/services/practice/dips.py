"""Dip-sample sessions: one auditor applies one dip form to many cases in one sitting, grading each,
then finishes the session and sees it summarised. Each case is an activity of kind dip sample."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditor.domain.activities import ActivityKind
from auditor.domain.answers import GradeAnswer
from auditor.domain.clock import Clock
from auditor.domain.errors import FormDefinitionError, NotFound, RuleViolation, ValidationError
from auditor.domain.forms import FieldType, FormDefinition, FormUse
from auditor.domain.permissions import Action, NotPermitted, Principal, Scope
from auditor.domain.summary import GradeCounts
from auditor.domain.workflow import AuditState, Part
from auditor.services.access.guard import check
from auditor.services.access.scope import visible_audits
from auditor.services.audits.facts import answers_of, response_of
from auditor.services.audits.service import AuditService, Link
from auditor.services.practice.dto import DipRowDTO, DipSessionDTO
from auditor.services.reference.form_releases import check_form_release
from auditor.services.reference.records import find_case, find_person, person_ref
from db.engine import Database
from db.models import Audit, DipSession, Person, PracticeWeek
from forms import FormLibrary


class DipService:
    def __init__(
        self, db: Database, forms: FormLibrary, audits: AuditService, clock: Clock
    ) -> None:
        self.db, self.forms, self.audits, self.clock = db, forms, audits, clock

    def forms_available(self) -> list[tuple[str, str]]:
        """(form id, title) of every dip-sample form. Checks no identity on purpose: it lists
        forms, no record."""
        return [(f.id, f.title) for f in self.forms.latest_for(FormUse.DIP_SAMPLE)]

    def start_session(
        self,
        form_id: str,
        *,
        by: Principal,
        practice_week_id: int | None = None,
        link: Link | None = None,
    ) -> int:
        """Start a session (``RUN_DIP_SAMPLE``); ``link`` runs in the same transaction once it has
        its number (a practice week's plan records it)."""
        with self.db.transaction() as s:
            auditor, _ = check(s, by, Action.RUN_DIP_SAMPLE)
            if form_id not in dict(self.forms_available()):
                raise ValidationError(
                    f"'{form_id}' is not a dip-sample form; use one of "
                    f"{', '.join(dict(self.forms_available()))}."
                )
            form = self.forms.latest(form_id)
            if not person_ref(auditor).is_manager:
                raise RuleViolation(
                    "Dip samples are carried out by managers and the quality-assurance team."
                )
            if practice_week_id is not None and s.get(PracticeWeek, practice_week_id) is None:
                raise NotFound(f"There is no practice week number {practice_week_id}.")
            check_form_release(s, form, self.clock.now())
            session = DipSession(
                form_id=form.id,
                form_version=form.version,
                auditor_id=auditor.id,
                practice_week_id=practice_week_id,
                started_at=self.clock.now(),
                note="",
            )
            s.add(session)
            s.flush()
            if link is not None:
                link(s, session.id)
            return session.id

    def _session(self, s: Session, session_id: int) -> DipSession:
        session = s.get(DipSession, session_id)
        if session is None:
            raise NotFound(f"There is no dip-sample session number {session_id}.")
        return session

    def record_case(
        self,
        session_id: int,
        case_reference: str,
        answers: Mapping[str, Any],
        *,
        by: Principal,
        complete: bool = True,
    ) -> int:
        """Save one case's answers (a draft, or graded and complete); a case already in the session
        is updated rather than added twice. Returns the activity number. ``RUN_DIP_SAMPLE``."""
        with self.db.reading() as s:
            me, _ = check(s, by, Action.RUN_DIP_SAMPLE)
            session = self._session(s, session_id)
            if session.finished_at is not None:
                raise RuleViolation(
                    "This dip-sample session has been finished; start a new one "
                    "to look at more cases."
                )
            if me.id != session.auditor_id:
                raise RuleViolation(
                    "Only the auditor who started this dip-sample session can add cases to it."
                )
            case = find_case(s, case_reference)
            existing = s.scalar(  # one per case and session (ux_audit_dip_case), until taken out
                select(Audit.id).where(
                    Audit.dip_session_id == session.id,
                    Audit.case_id == case.id,
                    Audit.state != AuditState.CANCELLED,
                )
            )
            week_id, form_id = session.practice_week_id, session.form_id
        if existing is None:
            return self.audits.record(
                ActivityKind.DIP_SAMPLE,
                by=by,
                answers=answers,
                form_id=form_id,
                case_reference=case_reference,
                complete=complete,
                practice_week_id=week_id,
                dip_session_id=session_id,
            )
        if complete:
            self.audits.submit(existing, Part.RECORD, by=by, answers=answers)
        else:
            self.audits.save_draft(existing, Part.RECORD, by=by, answers=answers)
        return existing

    def remove_case(self, session_id: int, audit_id: int, *, by: Principal) -> None:
        """Take a case out of an unfinished session (it is cancelled, with the reason kept):
        ``RUN_DIP_SAMPLE``, and cancelling needs ``CANCEL_AUDIT``."""
        with self.db.reading() as s:
            check(s, by, Action.RUN_DIP_SAMPLE)
            audit = s.get(Audit, audit_id)
            if audit is None or audit.dip_session_id != session_id:
                raise NotFound(f"Activity {audit_id} is not part of dip session {session_id}.")
        self.audits.cancel(audit_id, by=by, reason="Taken out of the dip-sample session.")

    def finish(
        self, session_id: int, *, by: Principal, note: str = "", submit_drafts: bool = False
    ) -> DipSessionDTO:
        """Finish the session (``RUN_DIP_SAMPLE``); with ``submit_drafts`` each case still in draft
        is submitted first (the grid saves drafts as you type), and any that cannot be are named
        with the reason."""
        with self.db.reading() as s:
            check(s, by, Action.RUN_DIP_SAMPLE)
        if submit_drafts:
            self._submit_drafts(session_id, by)
        with self.db.transaction() as s:
            me, fresh = check(s, by, Action.RUN_DIP_SAMPLE)
            session = self._session(s, session_id)
            if me.id != session.auditor_id:
                raise RuleViolation("Only the auditor who started this session can finish it.")
            if session.finished_at is not None:
                raise RuleViolation("This dip-sample session is already finished.")
            rows = self._rows(s, session, fresh)
            if not rows:
                raise RuleViolation("Add at least one case before finishing the session.")
            open_rows = [r.case_reference for r in rows if not r.submitted]
            if open_rows:
                raise RuleViolation(
                    f"Grade or remove these cases before finishing: {', '.join(open_rows)}."
                )
            session.finished_at = self.clock.now()
            session.note = note.strip()
        return self.session(session_id, who=by)

    def _submit_drafts(self, session_id: int, by: Principal) -> None:
        session = self.session(session_id, who=by)
        if by.username != session.auditor_username:
            raise RuleViolation("Only the auditor who started this session can finish it.")
        problems = []
        for row in session.rows:
            if row.submitted:
                continue
            try:
                self.audits.submit(row.audit_id, Part.RECORD, by=by)
            except ValidationError as error:
                problems.append(f"{row.case_reference}: {error}")
        if problems:
            raise RuleViolation("Some cases are not ready: " + " ".join(problems))

    def session(self, session_id: int, *, who: Principal) -> DipSessionDTO:
        """One session (``READ_AUDITS``) with the cases ``who`` may read; refused when it is
        neither theirs nor holds any case of theirs."""
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.READ_AUDITS)
            session = self._session(s, session_id)
            if not self._may_see(s, fresh, session):
                raise NotPermitted(
                    f"Dip-sample session {session_id} is not one you may see: it is outside "
                    "your cases and teams."
                )
            return self._dto(s, session, self._rows(s, session, fresh))

    def sessions(self, auditor: str | None = None, *, who: Principal) -> list[DipSessionDTO]:
        """The sessions ``who`` may see (``READ_AUDITS``): their own, and those holding a case
        within their reach (only those cases shown)."""
        with self.db.reading() as s:
            _, fresh = check(s, who, Action.READ_AUDITS)
            query = select(DipSession).order_by(DipSession.started_at.desc())
            if auditor:
                query = query.where(DipSession.auditor_id == find_person(s, auditor).id)
            if fresh.scope is not Scope.ALL:
                query = query.where(
                    (DipSession.auditor_id == fresh.person_id)
                    | DipSession.id.in_(select(Audit.dip_session_id).where(visible_audits(fresh)))
                )
            return [self._listed(s, x, fresh) for x in s.scalars(query)]

    @staticmethod
    def _may_see(s: Session, who: Principal, session: DipSession) -> bool:
        if who.scope is Scope.ALL or session.auditor_id == who.person_id:
            return True
        return (
            s.scalar(
                select(Audit.id)
                .where(Audit.dip_session_id == session.id, visible_audits(who))
                .limit(1)
            )
            is not None
        )

    def _listed(self, s: Session, session: DipSession, who: Principal) -> DipSessionDTO:
        """A session as the list shows it. One whose form file is missing or broken is still
        listed, titled as such and without figures, so that it stops only itself: opening it
        refuses with the form's own message."""
        try:
            form: FormDefinition | None = self.forms.get(session.form_id, session.form_version)
        except (NotFound, FormDefinitionError):
            form = None
        rows = self._rows(s, session, who) if form else []
        return self._dto(s, session, rows, form is not None)

    def _rows(self, s: Session, session: DipSession, who: Principal) -> list[DipRowDTO]:
        audits = s.scalars(
            select(Audit)
            .where(
                Audit.dip_session_id == session.id,
                Audit.state != AuditState.CANCELLED,
                visible_audits(who),
            )
            .order_by(Audit.id)
        )
        overall = self.forms.get(session.form_id, session.form_version).overall
        rows = []
        for a in audits:
            answers = answers_of(response_of(a, Part.RECORD))
            grade = GradeAnswer.read(answers.get(overall.id)).grade if overall else None
            rows.append(
                DipRowDTO(
                    a.id,
                    a.case.reference if a.case else "",
                    a.case.team.name if a.case else None,
                    a.case_type,
                    answers,
                    grade,
                    a.state == AuditState.CLOSED,
                )
            )
        return rows

    def _dto(
        self, s: Session, session: DipSession, rows: list[DipRowDTO], usable: bool = True
    ) -> DipSessionDTO:
        """``usable=False``: the session's form file is missing or broken (listed, not opened)."""
        form = self.forms.get(session.form_id, session.form_version) if usable else None
        auditor = s.get_one(Person, session.auditor_id)
        week = s.get(PracticeWeek, session.practice_week_id) if session.practice_week_id else None
        grades = GradeCounts()
        for row in rows:
            if row.grade is not None:
                grades.add(row.grade)
        yes_counts = tuple(
            (
                f.label,
                sum(1 for r in rows if r.answers.get(f.id) == "yes"),
                sum(1 for r in rows if r.answers.get(f.id) in ("yes", "no")),
            )
            for f in (form.all_fields() if form else ())
            if f.type is FieldType.YES_NO
        )
        return DipSessionDTO(
            session.id,
            session.form_id,
            session.form_version,
            form.title
            if form
            else f"{session.form_id} v{session.form_version} (form file missing or broken)",
            auditor.username,
            auditor.name,
            week.name if week else None,
            session.started_at,
            session.finished_at,
            session.note,
            tuple(rows),
            grades,
            yes_counts,
        )
