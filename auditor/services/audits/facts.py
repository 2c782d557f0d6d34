"""Loading an audit and the facts the workflow rules need, inside one session."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from auditor.domain.activities import ActivityKind
from auditor.domain.errors import NotFound
from auditor.domain.forms import FormDefinition
from auditor.domain.grades import Grade
from auditor.domain.workflow import AuditFacts, AuditState, Part, PersonRef, ResponseStatus
from auditor.services.reference.records import person_ref
from db.models import Audit, Person, Response
from forms import FormLibrary


def get_audit(session: Session, audit_id: int) -> Audit:
    audit = session.get(Audit, audit_id)
    if audit is None:
        raise NotFound(
            f"There is no audit number {audit_id}. 'python main.py audit list' shows the audits."
        )
    return audit


def response_of(audit: Audit, part: Part) -> Response | None:
    return next((r for r in audit.responses if r.part == part), None)


def answers_of(response: Response | None) -> dict[str, Any]:
    if response is None:
        return {}
    return {a.field_id: json.loads(a.value) for a in response.answers}


def _ref(session: Session, person_id: int | None) -> PersonRef | None:
    if person_id is None:
        return None
    person = session.get(Person, person_id)
    return person_ref(person) if person else None


def domain_grades(response: Response | None) -> dict[str, Grade]:
    if response is None or response.status != ResponseStatus.SUBMITTED:
        return {}
    return {d.domain_id: Grade(d.grade) for d in response.domain_grades}


def differing_domains(audit: Audit, form: FormDefinition) -> dict[str, str]:
    """Domains both tiers graded, but differently: id -> label. The overall grade counts too."""
    first = response_of(audit, Part.FIRST_AUDIT)
    second = response_of(audit, Part.SECOND_AUDIT)
    a, b = domain_grades(first), domain_grades(second)
    if (
        (
            first is not None
            and second is not None
            and first.status == second.status == ResponseStatus.SUBMITTED
        )
        and first.overall_grade
        and second.overall_grade
    ):
        key = form.overall.id if form.overall else "overall"
        a[key], b[key] = Grade(first.overall_grade), Grade(second.overall_grade)
    labels = {f.id: f.label for f in form.all_fields()}
    return {key: labels.get(key, key) for key in a if key in b and a[key] != b[key]}


def load_facts(session: Session, audit: Audit, forms: FormLibrary) -> AuditFacts:
    family = response_of(audit, Part.FAMILY_FEEDBACK)
    form = forms.get(audit.form_id, audit.form_version)
    return AuditFacts(
        kind=ActivityKind(audit.kind),
        state=AuditState(audit.state),
        worker=_ref(session, audit.worker_id),
        worker_line_manager_id=audit.worker_line_manager_id,
        first_auditor=_ref(session, audit.first_auditor_id),
        second_auditor=_ref(session, audit.second_auditor_id),
        created_by_id=audit.created_by_id,
        blind=audit.blind,
        family_feedback_submitted=family is not None and family.status == ResponseStatus.SUBMITTED,
        final_grade=Grade(audit.final_grade) if audit.final_grade else None,
        action_count=len(audit.actions),
        differing_domains=differing_domains(audit, form),
        noted_domains=frozenset(n.domain_id for n in audit.notes if n.note.strip()),
    )
