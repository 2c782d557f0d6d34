"""What each document needs, as plain frozen dataclasses: the contract between the services, which
fill them from the database, and the writers, which lay them out. Standard library and domain only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from auditor.domain.activities import ActivityKind, Category
from auditor.domain.agreement import Agreement
from auditor.domain.grades import Grade
from auditor.domain.practice_weeks import Progress, RecurringFinding
from auditor.domain.report_periods import ReportPeriod
from auditor.domain.summary import GradeCounts

DEFAULT_MARKING = "OFFICIAL-SENSITIVE"


@dataclass(frozen=True)
class DocumentInfo:
    title: str
    marking: str = DEFAULT_MARKING
    author: str = ""  # who produced it (a person's name), for the PDF metadata
    generated: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    subject: str = ""


# ------------------------------------------------------------------------------ one activity


@dataclass(frozen=True)
class TierLine:
    """One part of the audit: who wrote it, when, and the grade it gave (if the reader may see it)."""

    label: str
    author: str
    status: str  # "Submitted 3 Oct 2026", "Not yet submitted", "Waived: ..."
    grade: Grade | None = None


@dataclass(frozen=True)
class DomainLine:
    """A graded area with both tiers' grades, the descriptor of the grade given, the rationales."""

    label: str
    first: Grade | None
    second: Grade | None
    descriptor: str = ""  # of the grade that stands (the second audit's, else the first's)
    first_rationale: str = ""
    second_rationale: str = ""
    note: str = ""  # the agreed note where the tiers differed


@dataclass(frozen=True)
class AnswerSection:
    """Questions and answers of a form section, already turned into readable text."""

    title: str
    rows: tuple[tuple[str, str], ...]
    voices: bool = False  # the section holds the "who was present and what they said" list


@dataclass(frozen=True)
class Voice:
    who: str
    category: str
    said: str


@dataclass(frozen=True)
class ActionLine:
    description: str
    owner: str
    due_on: dt.date
    completed_on: dt.date | None = None


@dataclass(frozen=True)
class ActivitySummary:
    """An audit, an observation or a dip sample, as the person producing the PDF may see it."""

    info: DocumentInfo
    audit_id: int
    kind: ActivityKind
    state_label: str
    is_final: bool
    case_reference: str | None
    case_type: str | None
    team: str | None
    worker: str | None
    tiers: tuple[TierLine, ...]
    final_grade: Grade | None
    final_descriptor: str = ""
    domains: tuple[DomainLine, ...] = ()
    overall: DomainLine | None = None
    self_review: tuple[tuple[str, str], ...] = ()  # (question, answer)
    self_review_note: str = ""
    family: tuple[tuple[str, str], ...] = ()
    family_note: str = ""  # why there is no feedback, or not yet
    impact: tuple[tuple[str, str], ...] = ()  # the difference made, next steps
    actions: tuple[ActionLine, ...] = ()
    sections: tuple[AnswerSection, ...] = ()  # observations and dips: the form's answers
    voices: tuple[Voice, ...] = ()
    form_title: str = ""
    theme: str = ""
    hidden_note: str = ""  # what this reader may not see yet, and why


# ------------------------------------------------------------------------------- the QA report


@dataclass(frozen=True)
class GradeTableRow:
    period: ReportPeriod
    category: Category
    counts: GradeCounts


@dataclass(frozen=True)
class GroupGrades:
    """Grades of one team, one domain, one month...: a name and its counts."""

    name: str
    counts: GradeCounts


@dataclass(frozen=True)
class AgreementRow:
    name: str
    agreement: Agreement


@dataclass(frozen=True)
class AgreementReport:
    """Consistency between first and second audits over a period."""

    overall_grade: Agreement  # the overall grade, one pair per audit
    all_domains: Agreement  # every domain grade, pooled
    by_domain: tuple[AgreementRow, ...] = ()
    by_auditor: tuple[AgreementRow, ...] = ()  # by first-line auditor, pooled domains + overall
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass(frozen=True)
class ActionStats:
    total: int = 0
    open: int = 0
    overdue: int = 0
    completed_on_time: int = 0
    completed_late: int = 0
    as_of: dt.date | None = None


@dataclass(frozen=True)
class PracticeWeekLine:
    name: str
    starts_on: dt.date
    ends_on: dt.date
    theme: str
    status: str
    activities: int  # every linked activity, graded or not
    counts: dict[Category, GradeCounts] = field(default_factory=dict)
    details: tuple[tuple[str, str], ...] = ()  # any further facts (plan, findings...)
    week_id: int = 0


@dataclass(frozen=True)
class QAReport:
    info: DocumentInfo
    start: dt.date
    end: dt.date
    table: tuple[GradeTableRow, ...]
    trajectories: tuple[str, ...]
    by_team: tuple[GroupGrades, ...]
    by_domain: tuple[GroupGrades, ...]
    agreement: AgreementReport
    actions: ActionStats
    practice_weeks: tuple[PracticeWeekLine, ...]
    over_time: tuple[GroupGrades, ...] = ()  # audits by quarter, for the chart
    includes_history: bool = False


# ------------------------------------------------------------------------------------- exports


@dataclass(frozen=True)
class AuditExport:
    """All activities in a period: one row per activity, one row per domain grade, the summary."""

    info: DocumentInfo
    start: dt.date | None
    end: dt.date | None
    audits: list[dict[str, Any]]
    domain_grades: list[dict[str, Any]]
    summary: list[dict[str, Any]]


@dataclass(frozen=True)
class PlanLine:
    day: dt.date
    who: str
    what: str
    case_reference: str
    done: bool
    grade: Grade | None
    audit_id: int | None = None  # the activity begun for it, if any (not printed)


@dataclass(frozen=True)
class PracticeWeekReport:
    """One practice week: what was planned and done, the grades so far and what recurred."""

    info: DocumentInfo
    name: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    themes: tuple[str, ...]
    teams: tuple[str, ...]
    participants: tuple[tuple[str, tuple[dt.date, ...]], ...]
    progress: Progress
    grades: dict[Category, GradeCounts]
    findings: tuple[RecurringFinding, ...]
    plan: tuple[PlanLine, ...]
    activities: int
