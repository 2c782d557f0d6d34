"""Plain objects for practice weeks and dip sessions, as handed to the UI, the CLI and the reports.
Standard library and domain only: the services that read the database fill them in."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from auditor.domain.activities import ActivityKind, Category
from auditor.domain.grades import Grade
from auditor.domain.practice_weeks import Progress, RecurringFinding, WeekStatus
from auditor.domain.summary import GradeCounts


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
    detail: str  # observation type or dip form id
    detail_label: str
    note: str
    audit_id: int | None
    done: bool
    grade: Grade | None
    dip_session_id: int | None = None

    @property
    def started(self) -> bool:
        """Begun already: its activity or dip session exists, so it is opened, not started."""
        return self.audit_id is not None or self.dip_session_id is not None

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
        return [
            self.starts_on + dt.timedelta(days=i)
            for i in range((self.ends_on - self.starts_on).days + 1)
        ]


@dataclass(frozen=True)
class WeekSummary:
    week: WeekDTO
    progress: Progress
    grades: dict[Category, GradeCounts]
    findings: list[RecurringFinding]
    activities: int  # activities recorded in the week, planned or not


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
