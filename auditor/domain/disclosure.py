"""Who may take a case-level document (an audit summary PDF) away from the application.

Case-level material identifies children, so a summary goes to the people involved in the audit and to
those who oversee quality: the worker, the auditors, the worker's line manager, and senior managers or
the quality-assurance team. What each of them sees inside it follows the same rules as on screen.
"""

from __future__ import annotations

from auditor.domain.errors import RuleViolation
from auditor.domain.workflow import AuditFacts, PersonRef


def check_may_print(facts: AuditFacts, viewer: PersonRef) -> None:
    involved = {p.id for p in (facts.worker, facts.first_auditor, facts.second_auditor) if p}
    if facts.worker_line_manager_id is not None:
        involved.add(facts.worker_line_manager_id)
    if viewer.id in involved or viewer.is_senior_or_qa:
        return
    raise RuleViolation(
        f"{viewer.name} is not involved in this audit, so cannot produce its summary. It goes to "
        "the worker, the auditors, the worker's manager, senior managers and the QA team."
    )
