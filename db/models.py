"""ORM entities. Plain nouns; enum-like columns are typed with the domain's enums, stored as their
string values and checked by the database (CHECK constraints, migration 0003)."""

from __future__ import annotations

import datetime as dt
from enum import Enum as PyEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from auditor.domain.activities import THREE_TIER_KINDS, ActivityKind, Category
from auditor.domain.grades import Grade
from auditor.domain.practice_weeks import FindingKind, WeekStatus
from auditor.domain.reference import CASE_REFERENCE_MAX, Role
from auditor.domain.workflow import AuditState, Part, ResponseStatus
from db.decoding import guard_decoding


def grade_check(column: str, name: str, nullable: bool = False) -> CheckConstraint:
    """Grade columns stay text (the reporting queries count them as text); the database still
    refuses anything but a grade's value."""
    allowed = f"{column} IN ({', '.join(repr(g.value) for g in Grade)})"
    return CheckConstraint(f"{column} IS NULL OR {allowed}" if nullable else allowed, name=name)


def _values(members: tuple[PyEnum, ...] | list[PyEnum]) -> str:
    return ", ".join(repr(m.value) for m in members)


#: Which audits are "under way" for the rule one audit under way per case: a three-tier audit
#: that is neither closed nor cancelled (observations and dips of a case may overlap).
OPEN_THREE_TIER = (
    f"state NOT IN ({_values([s for s in AuditState if not s.is_open])}) "
    f"AND kind IN ({_values(THREE_TIER_KINDS)})"
)


def choice(enum: type[PyEnum], length: int, name: str) -> Enum:
    """A text column holding one of an enum's values (not its names), refused otherwise."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=True,
        length=length,
        name=name,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    pass


class Team(Base):
    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    service: Mapped[str] = mapped_column(String(120), default="")


class CaseType(Base):
    __tablename__ = "case_type"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))


class Person(Base):
    __tablename__ = "person"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    roles: Mapped[list[PersonRole]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    team: Mapped[Team | None] = relationship(lazy="joined")


class PersonRole(Base):
    __tablename__ = "person_role"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(40), primary_key=True)


class Case(Base):
    __tablename__ = "case_file"
    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(CASE_REFERENCE_MAX), unique=True)
    case_type: Mapped[str] = mapped_column(ForeignKey("case_type.code"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    team: Mapped[Team] = relationship(lazy="joined")
    worker: Mapped[Person | None] = relationship(lazy="joined")


class CaseTag(Base):
    """A theme a case fits (domestic abuse, neglect, exploitation...), for thematic sampling."""

    __tablename__ = "case_tag"
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True)


class PracticeWeek(Base):
    """Senior managers auditing alongside practitioners and observing practice, over a few days.

    ``theme`` holds the week's themes separated by "; "."""

    __tablename__ = "practice_week"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)
    theme: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[WeekStatus] = mapped_column(
        choice(WeekStatus, 20, "ck_week_status"), default=WeekStatus.PLANNED
    )
    teams: Mapped[list[Team]] = relationship(
        secondary="practice_week_team", lazy="selectin", order_by="Team.name"
    )
    days: Mapped[list[PracticeWeekDay]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="PracticeWeekDay.day"
    )
    allocations: Mapped[list[Allocation]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="Allocation.id"
    )


class PracticeWeekTeam(Base):
    __tablename__ = "practice_week_team"
    week_id: Mapped[int] = mapped_column(
        ForeignKey("practice_week.id", ondelete="CASCADE"), primary_key=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), primary_key=True)


class PracticeWeekDay(Base):
    """A day a participant gives to the practice week."""

    __tablename__ = "practice_week_day"
    week_id: Mapped[int] = mapped_column(
        ForeignKey("practice_week.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    day: Mapped[dt.date] = mapped_column(Date, primary_key=True)
    person: Mapped[Person] = relationship(lazy="joined")


class Allocation(Base):
    """One planned piece of work in a practice week: who does what, on which day, on which case.
    ``audit_id`` links the activity that carried it out."""

    __tablename__ = "allocation"
    id: Mapped[int] = mapped_column(primary_key=True)
    week_id: Mapped[int] = mapped_column(ForeignKey("practice_week.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    day: Mapped[dt.date] = mapped_column(Date)
    kind: Mapped[ActivityKind] = mapped_column(choice(ActivityKind, 40, "ck_allocation_kind"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"))
    practitioner_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    detail: Mapped[str] = mapped_column(String(60), default="")  # observation type or dip form
    note: Mapped[str] = mapped_column(Text, default="")
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id", ondelete="SET NULL"))
    dip_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("dip_session.id", ondelete="SET NULL")
    )
    person: Mapped[Person] = relationship(foreign_keys=[person_id], lazy="joined")
    case: Mapped[Case | None] = relationship(lazy="joined")
    __table_args__ = (
        Index("ix_allocation_week", "week_id", "day"),
        # Planned work is started once: an activity or a dip session carries out one item only.
        Index("ux_allocation_audit", "audit_id", unique=True),
        Index("ux_allocation_dip_session", "dip_session_id", unique=True),
    )

    @property
    def started(self) -> bool:
        return self.audit_id is not None or self.dip_session_id is not None


class DipSession(Base):
    """One auditor applying one dip-sample form to many cases in one sitting."""

    __tablename__ = "dip_session"
    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[str] = mapped_column(String(60))
    form_version: Mapped[int] = mapped_column(Integer)
    auditor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    practice_week_id: Mapped[int | None] = mapped_column(ForeignKey("practice_week.id"))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    note: Mapped[str] = mapped_column(Text, default="")


class Finding(Base):
    """A strength or an area for development found by an activity, tagged with a domain so that a
    practice week's findings can be counted."""

    __tablename__ = "finding"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    kind: Mapped[FindingKind] = mapped_column(choice(FindingKind, 20, "ck_finding_kind"))
    domain_id: Mapped[str] = mapped_column(String(60), default="")
    text: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    written_at: Mapped[dt.datetime] = mapped_column(DateTime)


class Sample(Base):
    """Cases proposed for a thematic audit or self-evaluation: reproducible from its seed."""

    __tablename__ = "sample"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    purpose: Mapped[str] = mapped_column(String(40))
    seed: Mapped[int] = mapped_column(Integer)
    size: Mapped[int] = mapped_column(Integer)
    criteria: Mapped[str] = mapped_column(Text)  # JSON: theme, teams, case types, exclusion
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    cases: Mapped[list[SampleCase]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="SampleCase.position"
    )


class SampleCase(Base):
    __tablename__ = "sample_case"
    sample_id: Mapped[int] = mapped_column(
        ForeignKey("sample.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    stratum: Mapped[str] = mapped_column(String(200), default="")
    swapped_out_reason: Mapped[str] = mapped_column(Text, default="")  # "" while in the sample
    case: Mapped[Case] = relationship(lazy="joined")


class Audit(Base):
    """One graded activity: a three-tier audit, an observation or one case of a dip sample.

    Worker, line manager, team and case type are copied from the case when the audit starts, so later
    changes to the case do not rewrite who the audit was about.
    """

    __tablename__ = "audit"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ActivityKind] = mapped_column(choice(ActivityKind, 40, "ck_audit_kind"))
    state: Mapped[AuditState] = mapped_column(choice(AuditState, 30, "ck_audit_state"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"))
    case_type: Mapped[str | None] = mapped_column(String(40))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    worker_line_manager_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    first_auditor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    second_auditor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    form_id: Mapped[str] = mapped_column(String(60))
    form_version: Mapped[int] = mapped_column(Integer)
    blind: Mapped[bool] = mapped_column(Boolean, default=True)
    theme: Mapped[str] = mapped_column(String(120), default="")
    practice_week_id: Mapped[int | None] = mapped_column(ForeignKey("practice_week.id"))
    dip_session_id: Mapped[int | None] = mapped_column(ForeignKey("dip_session.id"))
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    final_grade: Mapped[str | None] = mapped_column(String(30))  # a Grade value
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    cancelled_reason: Mapped[str] = mapped_column(Text, default="")
    self_review_waived_reason: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case | None] = relationship(lazy="joined")
    responses: Mapped[list[Response]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", back_populates="audit"
    )
    actions: Mapped[list[FollowUpAction]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="FollowUpAction.id"
    )
    notes: Mapped[list[ReconciliationNote]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (
        # Covers the summary: closed items grouped by month, kind and grade without reading the rows.
        Index("ix_audit_summary", "state", "completed_on", "kind", "final_grade"),
        Index("ix_audit_case", "case_id"),
        Index("ix_audit_first_auditor", "first_auditor_id", "state"),
        Index("ix_audit_second_auditor", "second_auditor_id", "state"),
        Index("ix_audit_worker", "worker_id", "state"),
        Index("ix_audit_week", "practice_week_id"),
        Index("ix_audit_dip_session", "dip_session_id"),
        grade_check("final_grade", "ck_audit_final_grade", nullable=True),
        # Sorting and keyset paging of All audits: (value, row id) in index order.
        Index("ix_audit_kind", "kind"),
        Index("ix_audit_state", "state"),
        Index("ix_audit_final_grade", "final_grade"),
        Index("ix_audit_team", "team_id"),
        Index("ix_audit_created", "created_at"),
        Index("ix_audit_completed", "completed_on"),
        # Rules held by the database as well as the services (migration 0006): one audit under
        # way per case, and a case graded once in a dip-sample session (until taken out of it).
        Index(
            "ux_audit_open_case",
            "case_id",
            unique=True,
            sqlite_where=text(OPEN_THREE_TIER),
        ),
        Index(
            "ux_audit_dip_case",
            "dip_session_id",
            "case_id",
            unique=True,
            sqlite_where=text("dip_session_id IS NOT NULL AND state != 'cancelled'"),
        ),
    )


class Response(Base):
    """A filled-in form: the self-review, the family feedback, a tier's audit, an observation..."""

    __tablename__ = "response"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"))
    part: Mapped[Part] = mapped_column(choice(Part, 30, "ck_response_part"))
    form_id: Mapped[str] = mapped_column(String(60))
    form_version: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    status: Mapped[ResponseStatus] = mapped_column(
        choice(ResponseStatus, 20, "ck_response_status"), default=ResponseStatus.DRAFT
    )
    overall_grade: Mapped[str | None] = mapped_column(String(30))  # a Grade value
    overall_rationale: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime)
    submitted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)

    audit: Mapped[Audit] = relationship(back_populates="responses")
    answers: Mapped[list[Answer]] = relationship(cascade="all, delete-orphan", lazy="selectin")
    domain_grades: Mapped[list[DomainGrade]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    __table_args__ = (
        UniqueConstraint("audit_id", "part"),
        grade_check("overall_grade", "ck_response_overall_grade", nullable=True),
    )


class Answer(Base):
    __tablename__ = "answer"
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    field_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)  # JSON


class DomainGrade(Base):
    """One graded domain of a submitted response, kept as rows for reporting by domain."""

    __tablename__ = "domain_grade"
    response_id: Mapped[int] = mapped_column(
        ForeignKey("response.id", ondelete="CASCADE"), primary_key=True
    )
    domain_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    grade: Mapped[str] = mapped_column(String(30))  # a Grade value
    rationale: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (grade_check("grade", "ck_domain_grade_grade"),)


class ReconciliationNote(Base):
    """Why the first and second audits graded a domain differently, agreed after the blind audit."""

    __tablename__ = "reconciliation_note"
    audit_id: Mapped[int] = mapped_column(
        ForeignKey("audit.id", ondelete="CASCADE"), primary_key=True
    )
    domain_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    note: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    written_at: Mapped[dt.datetime] = mapped_column(DateTime)


class FollowUpAction(Base):
    __tablename__ = "follow_up_action"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"))
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    due_on: Mapped[dt.date] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    completed_on: Mapped[dt.date | None] = mapped_column(Date)
    completed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    owner: Mapped[Person] = relationship(foreign_keys=[owner_id], lazy="joined")
    __table_args__ = (Index("ix_action_owner", "owner_id", "completed_on"),)


class AuditEvent(Base):
    """Every change of state and every submission: who, when, what."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    audit_id: Mapped[int] = mapped_column(ForeignKey("audit.id", ondelete="CASCADE"), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    actor_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    event: Mapped[str] = mapped_column(String(60))
    from_state: Mapped[str | None] = mapped_column(String(30))
    to_state: Mapped[str | None] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text, default="")


class ImportBatch(Base):
    """One import of historic grades. ``content_hash`` is the hash of its rows (in any order), unique,
    so the same rows cannot be imported twice however the file was saved; ``checksum`` is the
    file's bytes, kept for the record. Batches that repeated an earlier one before the hash existed
    have none (see migration 0007)."""

    __tablename__ = "import_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    file_name: Mapped[str] = mapped_column(String(260))
    imported_at: Mapped[dt.datetime] = mapped_column(DateTime)
    row_count: Mapped[int] = mapped_column(Integer)
    checksum: Mapped[str] = mapped_column(String(64), index=True)
    content_hash: Mapped[str | None] = mapped_column(String(64))
    __table_args__ = (Index("ux_import_batch_content_hash", "content_hash", unique=True),)


class HistoricGrade(Base):
    """A graded item from before the application, imported from a spreadsheet."""

    __tablename__ = "historic_grade"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    activity_on: Mapped[dt.date] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(20))
    grade: Mapped[str] = mapped_column(String(30))
    team: Mapped[str] = mapped_column(String(120), default="")
    case_ref: Mapped[str] = mapped_column(String(CASE_REFERENCE_MAX), default="")
    auditor: Mapped[str] = mapped_column(String(120), default="")
    theme: Mapped[str] = mapped_column(String(120), default="")
    __table_args__ = (Index("ix_historic_summary", "activity_on", "category", "grade"),)


class FormRelease(Base):
    """The content of each form version as it was when first used: a released version that is
    edited in place afterwards is refused (copy it to a new version number instead)."""

    __tablename__ = "form_release"
    form_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    checksum: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(260), default="")
    first_used_at: Mapped[dt.datetime] = mapped_column(DateTime)


class AgreementCell(Base):
    """How many (first grade, second grade) pairs closed three-tier audits gave, per closing month,
    first auditor and area (the overall grade is the area "overall"). Closed audits are final, so
    these counts are added when an audit closes, in the same transaction, and never change."""

    __tablename__ = "agreement_cell"
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[dt.date | None] = mapped_column(Date)  # first day of the closing month
    first_auditor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    area: Mapped[str] = mapped_column(String(60))
    first_grade: Mapped[str] = mapped_column(String(30))
    second_grade: Mapped[str] = mapped_column(String(30))
    n: Mapped[int] = mapped_column(Integer)
    __table_args__ = (
        UniqueConstraint(
            "month",
            "first_auditor_id",
            "area",
            "first_grade",
            "second_grade",
            name="uq_agreement_cell",
        ),
    )


class AgreementAudits(Base):
    """Per closing month and first auditor: closed audits with an area graded by both tiers, and
    with any pair at all (the overall grade included) — the ``audits`` of the agreement figures."""

    __tablename__ = "agreement_audits"
    id: Mapped[int] = mapped_column(primary_key=True)
    month: Mapped[dt.date | None] = mapped_column(Date)
    first_auditor_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    with_area_pair: Mapped[int] = mapped_column(Integer)
    with_any_pair: Mapped[int] = mapped_column(Integer)
    __table_args__ = (UniqueConstraint("month", "first_auditor_id", name="uq_agreement_audits"),)


# Values read back that the application cannot decode are a damaged file, not a crash.
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
