"""Reference data: teams, people and their roles, cases and their themes, and the released
version of each form."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auditor.domain.reference import CASE_REFERENCE_MAX
from db.models.base import Base


class Team(Base):
    __tablename__ = "team"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    service: Mapped[str] = mapped_column(String(120), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


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
    #: A closed or transferred-out case: kept (its audits name it) but offered for no new work.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    team: Mapped[Team] = relationship(lazy="joined")
    worker: Mapped[Person | None] = relationship(lazy="joined")


class CaseTag(Base):
    """A theme a case fits (domestic abuse, neglect, exploitation...), for thematic sampling."""

    __tablename__ = "case_tag"
    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True)


class FormRelease(Base):
    """The content of each form version as it was when first used: a released version that is
    edited in place afterwards is refused (copy it to a new version number instead)."""

    __tablename__ = "form_release"
    form_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    checksum: Mapped[str] = mapped_column(String(64))
    file_name: Mapped[str] = mapped_column(String(260), default="")
    first_used_at: Mapped[dt.datetime] = mapped_column(DateTime)
