"""Plain objects the services return. No ORM object ever leaves the services."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from auditor.domain.activities import ActivityKind
from auditor.domain.grades import Grade
from auditor.domain.reference import Role
from auditor.domain.workflow import AuditState, Part, ResponseStatus


@dataclass(frozen=True)
class TeamDTO:
    id: int
    name: str
    service: str
    active: bool = True


@dataclass(frozen=True)
class PersonDTO:
    id: int
    username: str
    name: str
    roles: tuple[Role, ...]
    team: str | None
    line_manager_id: int | None
    active: bool = True

    @property
    def role_labels(self) -> str:
        return ", ".join(r.label for r in self.roles)


@dataclass(frozen=True)
class CaseDTO:
    id: int
    reference: str
    case_type: str
    case_type_label: str
    team: str
    worker: str | None
    worker_username: str | None
    active: bool = True


@dataclass(frozen=True)
class CaseAllocationDTO:
    """Who held a case, from when to when (``to_at`` None: they hold it now)."""

    team: str
    worker: str | None
    worker_username: str | None
    from_at: dt.datetime
    to_at: dt.datetime | None
    changed_by: str | None


class DirectoryKind(StrEnum):
    """What a bulk import of reference data brings in."""

    TEAMS = "teams"
    PEOPLE = "people"
    CASES = "cases"


@dataclass(frozen=True)
class DirectoryImportResult:
    kind: DirectoryKind
    added: int
    file_name: str


@dataclass(frozen=True)
class ActionDTO:
    id: int
    audit_id: int
    description: str
    owner: str
    owner_username: str
    due_on: dt.date
    completed_on: dt.date | None
    case_reference: str | None = None

    def is_overdue(self, today: dt.date) -> bool:
        return self.completed_on is None and self.due_on < today


@dataclass(frozen=True)
class EventDTO:
    at: dt.datetime
    actor: str
    event: str
    from_state: str | None
    to_state: str | None
    detail: str


@dataclass(frozen=True)
class ResponseDTO:
    part: Part
    form_id: str
    form_version: int
    author: str
    author_username: str
    status: ResponseStatus
    answers: dict[str, Any]  # empty when the blind rule hides the response from the viewer
    overall_grade: Grade | None
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    hidden: bool = False  # the blind rule withholds its content from this viewer

    @property
    def submitted(self) -> bool:
        return self.status is ResponseStatus.SUBMITTED


@dataclass(frozen=True)
class DomainComparison:
    domain_id: str
    label: str
    first: Grade | None
    second: Grade | None
    note: str = ""

    @property
    def differs(self) -> bool:
        return self.first is not None and self.second is not None and self.first != self.second


@dataclass(frozen=True)
class AuditRow:
    """One line of an audit list."""

    id: int
    kind: ActivityKind
    state: AuditState
    case_reference: str | None
    case_type: str | None
    team: str | None
    worker: str | None
    first_auditor: str | None
    second_auditor: str | None
    final_grade: Grade | None
    created_on: dt.date
    completed_on: dt.date | None


@dataclass(frozen=True)
class AuditDetail:
    """Everything one viewer may see of an audit."""

    row: AuditRow
    form_id: str
    form_version: int
    blind: bool
    theme: str
    waived_reason: str
    cancelled_reason: str
    responses: dict[Part, ResponseDTO]
    comparisons: list[DomainComparison]
    actions: list[ActionDTO]
    history: list[EventDTO]
    first_audit_hidden: bool  # the blind rule withholds the whole first audit from the viewer
    hidden_note: str = ""  # what to tell the viewer about it, in the product's words
    waiting_for: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
