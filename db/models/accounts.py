"""Sign-ins and what the access log holds: each person's account (one at most), every sign-in,
lock, password change and every view, print and export of an audit; the council's own reach for
each role's reading; and who held each case when."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from auditor.domain.permissions import AccessEventKind, Scope
from auditor.domain.reference import Role
from db.models.base import Base, choice
from db.models.reference import Person


class Account(Base):
    """A person's sign-in. ``password_hash`` is an argon2id hash (never the password); five wrong
    passwords in a row set ``locked_until``. Deactivated accounts are kept (the access log names
    them)."""

    __tablename__ = "account"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    #: Set by an administrator's reset: a new password must be chosen at the next sign-in.
    must_change: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime)
    password_changed_at: Mapped[dt.datetime] = mapped_column(DateTime)
    last_signed_in_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    person: Mapped[Person] = relationship(lazy="joined")


class AccessEvent(Base):
    """One line of the access log: who, when, what, from which machine."""

    __tablename__ = "access_event"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    kind: Mapped[AccessEventKind] = mapped_column(choice(AccessEventKind, 30, "ck_access_kind"))
    audit_id: Mapped[int | None] = mapped_column(ForeignKey("audit.id"))
    #: What was read or written, in words without names of children (a file name, a report).
    detail: Mapped[str] = mapped_column(String(400), default="")
    machine: Mapped[str] = mapped_column(String(120), default="")
    person: Mapped[Person | None] = relationship(lazy="joined")
    __table_args__ = (
        Index("ix_access_event_at", "at"),
        Index("ix_access_event_audit", "audit_id"),
        Index("ix_access_event_person", "person_id"),
    )


class RoleScope(Base):
    """The council's own reach for a role's reading, where it differs from ``READ_SCOPE``."""

    __tablename__ = "role_scope"
    role: Mapped[Role] = mapped_column(choice(Role, 40, "ck_role_scope_role"), primary_key=True)
    scope: Mapped[Scope] = mapped_column(choice(Scope, 10, "ck_role_scope_scope"))


class CaseAllocation(Base):
    """Who held a case, and from when to when: a reallocation closes one row and opens the next."""

    __tablename__ = "case_allocation"
    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"))
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    from_at: Mapped[dt.datetime] = mapped_column(DateTime)
    to_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    __table_args__ = (Index("ix_case_allocation_case", "case_id"),)
