"""The unique rules the database enforces as well as the services, refused in the rules' words.

The services check each rule before writing, inside a transaction that holds the write lock, so a
constraint failure means a writer that did not check (an older copy of the app, a script) or a bug.
Either way the person sees the plain sentence of the rule, never the driver's
"UNIQUE constraint failed: ...".
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from auditor.domain.errors import RuleViolation
from auditor.domain.workflow import audit_under_way

#: SQLite names the columns of a unique rule that failed ("audit.case_id"); each rule's sentence.
UNIQUE_RULES: dict[str, str] = {
    "audit.case_id": str(audit_under_way()),  # ux_audit_open_case: one audit under way per case
    "audit.dip_session_id, audit.case_id": (
        "This case is already in this dip-sample session (it was added a moment ago); open the "
        "session again and grade it there."
    ),
    "response.audit_id, response.part": (
        "Someone else has just started this part of the audit; nothing of yours was saved. Open "
        "the audit again to see who is writing it."
    ),
    "allocation.audit_id": "This planned work has just been started; open it from the plan.",
    "allocation.dip_session_id": "This planned work has just been started; open it from the plan.",
    "person.username": "That username is already taken; choose another.",
    "team.name": "There is already a team with that name; choose another name.",
    "case_file.reference": "There is already a case with that reference.",
    "practice_week.name": "There is already a practice week with that name; choose another name.",
}
SAVED_MEANWHILE = (
    "Someone else saved the same thing a moment ago, so nothing of yours was saved. Open it again "
    "and check before repeating the change."
)


def rule_violation(exc: IntegrityError) -> RuleViolation | None:
    """The rule a unique constraint holds, as the message the service would have given; None for
    other failures (a broken reference, a value no column accepts): those are a damaged file or
    a bug, not a rule a person broke, and stay storage errors."""
    kind, _, columns = str(exc.orig).partition(" constraint failed: ")
    if kind != "UNIQUE":
        return None
    return RuleViolation(UNIQUE_RULES.get(columns.strip(), SAVED_MEANWHILE))
