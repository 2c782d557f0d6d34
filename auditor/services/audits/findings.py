"""Findings: strengths and areas for development an activity brought out, each tagged with the
audit domain it is about, so that a practice week's recurring findings can be counted."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditor.domain.clock import Clock
from auditor.domain.errors import NotFound, RuleViolation, ValidationError
from auditor.domain.permissions import Action, Principal
from auditor.domain.practice_weeks import FindingKind
from auditor.domain.workflow import AuditState, check_findings_open, may_see_first_audit
from auditor.services.access.guard import check
from auditor.services.access.scope import require_read
from auditor.services.audits.facts import get_audit, load_facts
from auditor.services.reference.records import find_person, person_ref
from db.engine import Database
from db.models import Audit, Finding, Person
from forms import FormLibrary

#: Findings are tagged with the domains of the case-file audit form, whatever the activity.
DOMAIN_FORM = "case_file_audit"


@dataclass(frozen=True)
class FindingDTO:
    id: int
    audit_id: int
    kind: FindingKind
    domain_id: str
    domain: str
    text: str
    author: str
    author_username: str = ""


class FindingService:
    def __init__(self, db: Database, forms: FormLibrary, clock: Clock) -> None:
        self.db, self.forms, self.clock = db, forms, clock

    def _audit(self, s: Session, audit_id: int, who: Principal) -> tuple[Audit, Person]:
        """``audit_id`` for ``who`` (``READ_AUDITS``, within their reach) and ``who``'s person."""
        person, fresh = check(s, who, Action.READ_AUDITS)
        audit = get_audit(s, audit_id)
        require_read(s, fresh, audit)
        return audit, person

    def domains(self) -> list[tuple[str, str]]:
        """(id, title) of the domains a finding can be tagged with. Checks no identity on
        purpose: it lists the form's domains, no record."""
        return [(f.id, f.label) for f in self.forms.latest_usable(DOMAIN_FORM).domains(None)]

    def add(
        self,
        audit_id: int,
        kind: FindingKind,
        text: str,
        *,
        by: Principal,
        domain_id: str = "",
    ) -> int:
        """A finding by one who audited or observed the activity (``READ_AUDITS``, in reach)."""
        with self.db.transaction() as s:
            audit, author = self._audit(s, audit_id, by)
            text = " ".join(text.split())
            if len(text) < 3:
                raise ValidationError("Write the finding in a few words.")
            if domain_id and domain_id not in dict(self.domains()):
                raise ValidationError(
                    f"'{domain_id}' is not an audit domain; use one of "
                    f"{', '.join(dict(self.domains()))}."
                )
            check_findings_open(AuditState(audit.state))
            if author.id not in (
                audit.first_auditor_id,
                audit.second_auditor_id,
                audit.created_by_id,
            ):
                raise RuleViolation(
                    "Findings are written by the people who audited or observed; "
                    "you are not one of them for this activity."
                )
            finding = Finding(
                audit_id=audit.id,
                kind=kind,
                domain_id=domain_id,
                text=text,
                author_id=author.id,
                written_at=self.clock.now(),
            )
            s.add(finding)
            s.flush()
            return finding.id

    def may_write(self, audit_id: int, by: Principal) -> bool:
        """Whether ``by`` audited or observed this activity (and so may add findings) and it is
        still under way."""
        with self.db.reading() as s:
            audit, me = self._audit(s, audit_id, by)
            return AuditState(audit.state).is_open and me.id in (
                audit.first_auditor_id,
                audit.second_auditor_id,
                audit.created_by_id,
            )

    def remove(self, finding_id: int, *, by: Principal) -> None:
        with self.db.transaction() as s:
            me, _ = check(s, by, Action.READ_AUDITS)
            finding = s.get(Finding, finding_id)
            if finding is None:
                raise NotFound(f"There is no finding number {finding_id}.")
            if finding.author_id != me.id:
                raise RuleViolation("Only the person who wrote a finding can remove it.")
            check_findings_open(AuditState(get_audit(s, finding.audit_id).state))
            s.delete(finding)

    def of_audit(self, audit_id: int, *, who: Principal) -> list[FindingDTO]:
        """The activity's findings as ``who`` may see them (``READ_AUDITS``, in reach): while a
        blind second audit is under way, the first auditor's findings are part of the hidden
        first audit."""
        titles = dict(self.domains())
        with self.db.reading() as s:
            audit, me = self._audit(s, audit_id, who)
            hide_first = not may_see_first_audit(load_facts(s, audit, self.forms), person_ref(me))
            rows = s.scalars(
                select(Finding)
                .where(Finding.audit_id == audit_id)
                .order_by(Finding.kind.desc(), Finding.id)
            )
            return [
                FindingDTO(
                    f.id,
                    f.audit_id,
                    FindingKind(f.kind),
                    f.domain_id,
                    titles.get(f.domain_id, ""),
                    f.text,
                    find_person(s, f.author_id).name,
                    find_person(s, f.author_id).username,
                )
                for f in rows
                if not (hide_first and f.author_id == audit.first_auditor_id)
            ]
