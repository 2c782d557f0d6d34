"""Plain objects for practice weeks and dip sessions, and the small readings of ORM rows they need."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from auditor.domain.activities import ActivityKind, Category
from auditor.domain.grades import Grade
from auditor.domain.practice_weeks import Progress, RecurringFinding, WeekStatus
from auditor.domain.summary import GradeCounts
from auditor.domain.workflow import AuditState, Part
from db.models import Allocation, Audit, DipSession

#: Later parts first: the most considered grade so far.
_PART_ORDER = (Part.SECOND_AUDIT, Part.FIRST_AUDIT, Part.RECORD)


@dataclass(frozen=True)
class ParticipantDTO:
    username: str
    name: str
    days: tuple[dt.date, ...]


@dataclass(frozen=True)
class AllocationDTO:
    id: int
    person_username: str
    person_name: str
    day: dt.date
    kind: ActivityKind
    case_reference: str | None
    practitioner: str | None
    detail: str              # observation type or dip form id
    detail_label: str
    note: str
    audit_id: int | None
    done: bool
    grade: Grade | None

    @staticmethod
    def of(a: Allocation, done: tuple[bool, Grade | None] | None, names: dict[int, str],
           detail_label: str) -> AllocationDTO:
        finished, grade = done or (False, None)
        return AllocationDTO(a.id, a.person.username, a.person.name, a.day, ActivityKind(a.kind),
                             a.case.reference if a.case else None,
                             names.get(a.practitioner_id) if a.practitioner_id else None,
                             a.detail, detail_label, a.note, a.audit_id, finished, grade)

    @property
    def what(self) -> str:
        if self.kind is ActivityKind.DIP_SAMPLE and self.detail_label:
            return self.detail_label  # the form's title says "Dip sample: ..."
        text = self.kind.label
        if self.detail_label:
            text += f": {self.detail_label}"
        return text


@dataclass(frozen=True)
class WeekDTO:
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    themes: tuple[str, ...]
    status: WeekStatus
    teams: tuple[str, ...]
    participants: tuple[ParticipantDTO, ...]
    allocations: tuple[AllocationDTO, ...] = ()

    @property
    def days(self) -> list[dt.date]:
        return [self.starts_on + dt.timedelta(days=i)
                for i in range((self.ends_on - self.starts_on).days + 1)]


@dataclass(frozen=True)
class WeekSummary:
    week: WeekDTO
    progress: Progress
    grades: dict[Category, GradeCounts]
    findings: list[RecurringFinding]
    activities: int   # activities recorded in the week, planned or not


@dataclass(frozen=True)
class DipRowDTO:
    audit_id: int
    case_reference: str
    team: str | None
    case_type: str | None
    answers: dict[str, Any]
    grade: Grade | None
    submitted: bool


@dataclass(frozen=True)
class DipSessionDTO:
    id: int
    form_id: str
    form_version: int
    title: str
    auditor_username: str
    auditor: str
    practice_week: str | None
    started_at: dt.datetime
    finished_at: dt.datetime | None
    note: str
    rows: tuple[DipRowDTO, ...] = ()
    grades: GradeCounts = field(default_factory=GradeCounts)
    #: For each yes/no question: (label, answered yes, answered at all)
    yes_counts: tuple[tuple[str, int, int], ...] = ()


def audit_grade_so_far(audit: Audit) -> Grade | None:
    """The final grade once there is one, else the most considered submitted grade."""
    if audit.final_grade:
        return Grade(audit.final_grade)
    submitted = {r.part: r for r in audit.responses if r.status == "submitted" and r.overall_grade}
    for part in _PART_ORDER:
        if part.value in submitted:
            return Grade(submitted[part.value].overall_grade)
    return None


def _finished_by(audit: Audit, person_id: int) -> bool:
    if audit.state == AuditState.CANCELLED.value:
        return False
    return any(r.status == "submitted" and r.author_id == person_id for r in audit.responses)


def done_allocations(allocations: list[Allocation], audits: dict[int, Audit],
                     sessions: list[DipSession]) -> dict[int, tuple[bool, Grade | None]]:
    """Which planned items are done. An audit or observation is done when the person it was
    allocated to has submitted their part; a dip sample when a finished dip session of that form
    by that person exists in the week (sessions are paired with allocations in date order)."""
    result: dict[int, tuple[bool, Grade | None]] = {}
    finished = [x for x in sessions if x.finished_at is not None]
    for a in sorted(allocations, key=lambda x: (x.day, x.id)):
        if a.kind == ActivityKind.DIP_SAMPLE.value:
            match = next((x for x in finished if x.auditor_id == a.person_id
                          and x.form_id == a.detail), None)
            if match is not None:
                finished.remove(match)
            result[a.id] = (match is not None, None)
        elif a.audit_id is not None and a.audit_id in audits:
            audit = audits[a.audit_id]
            result[a.id] = (_finished_by(audit, a.person_id), audit_grade_so_far(audit))
    return result
