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
from auditor.domain.summary import GradeCounts
from auditor.domain.workflow import AuditState, Part
from auditor.services.audits.facts import answers_of, response_of
from auditor.services.audits.service import AuditService, Link
from auditor.services.practice.dto import DipRowDTO, DipSessionDTO
from auditor.services.reference.directory import find_case, find_person, person_ref
from auditor.services.reference.form_releases import check_form_release
from db.engine import Database
from db.models import Audit, DipSession, Person, PracticeWeek
from forms import FormLibrary


def find_person_id(db: Database, who: str) -> int:
    with db.reading() as s:
        return find_person(s, who).id


class DipService:
    def __init__(
        self, db: Database, forms: FormLibrary, audits: AuditService, clock: Clock
    ) -> None:
        self.db, self.forms, self.audits, self.clock = db, forms, audits, clock

    def forms_available(self) -> list[tuple[str, str]]:
        """(form id, title) of every dip-sample form."""
        return [(f.id, f.title) for f in self.forms.latest_for(FormUse.DIP_SAMPLE)]

    def start_session(
        self,
        form_id: str,
        *,
        by: str,
        practice_week_id: int | None = None,
        link: Link | None = None,
    ) -> int:
        """Start a session; ``link`` runs in the same transaction once it has its number (a
        practice week's plan records it)."""
        if form_id not in dict(self.forms_available()):
            raise ValidationError(
                f"'{form_id}' is not a dip-sample form; use one of "
                f"{', '.join(dict(self.forms_available()))}."
            )
        form = self.forms.latest(form_id)
        with self.db.transaction() as s:
            auditor = find_person(s, by)
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
        by: str,
        complete: bool = True,
    ) -> int:
        """Save one case's answers (a draft, or graded and complete); a case already in the session
        is updated rather than added twice. Returns the activity number."""
        with self.db.reading() as s:
            session = self._session(s, session_id)
            if session.finished_at is not None:
                raise RuleViolation(
                    "This dip-sample session has been finished; start a new one "
                    "to look at more cases."
                )
            if find_person(s, by).id != session.auditor_id:
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

    def remove_case(self, session_id: int, audit_id: int, *, by: str) -> None:
        """Take a case out of an unfinished session (it is cancelled, with the reason kept)."""
        with self.db.reading() as s:
            audit = s.get(Audit, audit_id)
            if audit is None or audit.dip_session_id != session_id:
                raise NotFound(f"Activity {audit_id} is not part of dip session {session_id}.")
        self.audits.cancel(audit_id, by=by, reason="Taken out of the dip-sample session.")

    def finish(
        self, session_id: int, *, by: str, note: str = "", submit_drafts: bool = False
    ) -> DipSessionDTO:
        """Finish the session; with ``submit_drafts`` each case still in draft is submitted first
        (the grid saves drafts as you type), and any that cannot be are named with the reason."""
        if submit_drafts:
            self._submit_drafts(session_id, by)
        with self.db.transaction() as s:
            session = self._session(s, session_id)
            if find_person(s, by).id != session.auditor_id:
                raise RuleViolation("Only the auditor who started this session can finish it.")
            if session.finished_at is not None:
                raise RuleViolation("This dip-sample session is already finished.")
            rows = self._rows(s, session)
            if not rows:
                raise RuleViolation("Add at least one case before finishing the session.")
            open_rows = [r.case_reference for r in rows if not r.submitted]
            if open_rows:
                raise RuleViolation(
                    f"Grade or remove these cases before finishing: {', '.join(open_rows)}."
                )
            session.finished_at = self.clock.now()
            session.note = note.strip()
        return self.session(session_id)

    def _submit_drafts(self, session_id: int, by: str) -> None:
        session = self.session(session_id)
        if find_person_id(self.db, by) != find_person_id(self.db, session.auditor_username):
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

    def session(self, session_id: int) -> DipSessionDTO:
        with self.db.reading() as s:
            session = self._session(s, session_id)
            return self._dto(s, session, self._rows(s, session))

    def sessions(self, auditor: str | None = None) -> list[DipSessionDTO]:
        with self.db.reading() as s:
            query = select(DipSession).order_by(DipSession.started_at.desc())
            if auditor:
                query = query.where(DipSession.auditor_id == find_person(s, auditor).id)
            return [self._listed(s, x) for x in s.scalars(query)]

    def _listed(self, s: Session, session: DipSession) -> DipSessionDTO:
        """A session as the list shows it. One whose form file is missing or broken is still
        listed, titled as such and without figures, so that it stops only itself: opening it
        refuses with the form's own message."""
        try:
            form: FormDefinition | None = self.forms.get(session.form_id, session.form_version)
        except (NotFound, FormDefinitionError):
            form = None
        return self._dto(s, session, self._rows(s, session) if form else [], form is not None)

    def _rows(self, s: Session, session: DipSession) -> list[DipRowDTO]:
        audits = s.scalars(
            select(Audit)
            .where(Audit.dip_session_id == session.id, Audit.state != AuditState.CANCELLED)
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
