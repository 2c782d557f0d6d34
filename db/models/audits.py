"""Graded activities: the audit, its filled-in forms (responses, answers, domain grades), the
reconciliation notes, follow-up actions, findings and the trail of events."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auditor.domain.activities import THREE_TIER_KINDS, ActivityKind
from auditor.domain.practice_weeks import FindingKind
from auditor.domain.workflow import AuditState, Part, ResponseStatus
from db.models.base import Base, choice, enum_values, grade_check
from db.models.reference import Case, Person

#: Which audits are "under way" for the rule one audit under way per case: a three-tier audit
#: that is neither closed nor cancelled (observations and dips of a case may overlap).
OPEN_THREE_TIER = (
    f"state NOT IN ({enum_values([s for s in AuditState if not s.is_open])}) "
    f"AND kind IN ({enum_values(THREE_TIER_KINDS)})"
)


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
