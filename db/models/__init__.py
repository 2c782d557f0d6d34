"""ORM entities, one module an area: ``reference`` (teams, people, cases, form releases),
``audits`` (audits and what they hold), ``practice`` (practice weeks, dip sessions), ``sampling``
and ``reporting`` (historic grades, agreement counts). Plain nouns; import them from here
(``from db.models import Audit``): importing this package defines every table, then guards the
decoding of the whole metadata once."""

from __future__ import annotations

from auditor.domain.activities import Category
from auditor.domain.grades import Grade
from auditor.domain.reference import Role
from db.decoding import guard_decoding
from db.models.accounts import AccessEvent, Account, CaseAllocation, RoleScope
from db.models.audits import (
    OPEN_THREE_TIER,
    Answer,
    Audit,
    AuditEvent,
    DomainGrade,
    Finding,
    FollowUpAction,
    ReconciliationNote,
    Response,
)
from db.models.base import Base, choice, enum_values, grade_check
from db.models.practice import (
    Allocation,
    DipSession,
    PracticeWeek,
    PracticeWeekDay,
    PracticeWeekTeam,
)
from db.models.reference import Case, CaseTag, CaseType, FormRelease, Person, PersonRole, Team
from db.models.reporting import AgreementAudits, AgreementCell, HistoricGrade, ImportBatch
from db.models.sampling import Sample, SampleCase

__all__ = [
    "OPEN_THREE_TIER",
    "AccessEvent",
    "Account",
    "AgreementAudits",
    "AgreementCell",
    "Allocation",
    "Answer",
    "Audit",
    "AuditEvent",
    "Base",
    "Case",
    "CaseAllocation",
    "CaseTag",
    "CaseType",
    "DipSession",
    "DomainGrade",
    "Finding",
    "FollowUpAction",
    "FormRelease",
    "HistoricGrade",
    "ImportBatch",
    "Person",
    "PersonRole",
    "PracticeWeek",
    "PracticeWeekDay",
    "PracticeWeekTeam",
    "ReconciliationNote",
    "Response",
    "RoleScope",
    "Sample",
    "SampleCase",
    "Team",
    "choice",
    "enum_values",
    "grade_check",
]

# Values read back that the application cannot decode are a damaged file, not a crash. This runs
# once, here, after every module above has put its tables in the metadata.
guard_decoding(
    Base.metadata,
    {
        **{
            column: [g.value for g in Grade]
            for column in (
                "audit.final_grade",
                "response.overall_grade",
                "domain_grade.grade",
                "historic_grade.grade",
                "agreement_cell.first_grade",
                "agreement_cell.second_grade",
            )
        },
        "historic_grade.category": [c.value for c in Category],
        "person_role.role": [r.value for r in Role],
    },
    json_columns=["answer.value"],
)
