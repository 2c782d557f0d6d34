"""Practice weeks (teams, participants' days, planned work) and dip-sample sessions."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auditor.domain.activities import ActivityKind
from auditor.domain.practice_weeks import WeekStatus
from db.models.base import Base, choice
from db.models.reference import Case, Person, Team


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
