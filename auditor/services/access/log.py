"""The access log: every sign-in, lock and password change, and every view, print and export of
an audit, with who, when and from which machine. Nothing in it names a child: an audit is named
by its number, a file by its name."""

from __future__ import annotations

import contextlib
import datetime as dt
import socket
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditor.domain.clock import Clock
from auditor.domain.errors import AuditorError
from auditor.domain.permissions import AccessEventKind, Action, Principal
from auditor.services.access.guard import check
from auditor.services.access.scope import OutOfReach
from db.engine import Database
from db.models import AccessEvent, Person


def machine_name() -> str:
    return socket.gethostname()[:120]


def record(
    s: Session,
    kind: AccessEventKind,
    at: dt.datetime,
    *,
    person_id: int | None,
    audit_id: int | None = None,
    detail: str = "",
) -> None:
    """One line of the log, in the caller's transaction (it lands with what it records)."""
    s.add(
        AccessEvent(
            at=at,
            person_id=person_id,
            kind=kind,
            audit_id=audit_id,
            detail=detail[:400],
            machine=machine_name(),
        )
    )


def record_refusal(
    db: Database, at: dt.datetime, who: Principal, refused: OutOfReach, what: str
) -> None:
    """A refused attempt to read an audit out of reach (``what``: view, print...), in a
    transaction of its own, as the refused one has rolled back. If even that cannot be written
    (the file locked, say), the refusal still stands: it is not lost for want of a log line."""
    with contextlib.suppress(AuditorError), db.transaction() as s:
        record(
            s,
            AccessEventKind.REFUSED,
            at,
            person_id=who.person_id,
            audit_id=refused.audit_id,
            detail=what,
        )


@dataclass(frozen=True)
class AccessEventDTO:
    id: int
    at: dt.datetime
    kind: AccessEventKind
    username: str
    name: str
    audit_id: int | None
    detail: str
    machine: str


@dataclass(frozen=True)
class LogFilter:
    username: str = ""
    audit_id: int | None = None
    kinds: frozenset[AccessEventKind] = frozenset()
    start: dt.date | None = None
    end: dt.date | None = None
    limit: int = 1000


class AccessLogService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self.db, self.clock = db, clock

    def record(
        self,
        who: Principal | None,
        kind: AccessEventKind,
        *,
        audit_id: int | None = None,
        detail: str = "",
    ) -> None:
        """A line of the log in a transaction of its own (for what is not itself written: a view,
        a PDF, an export)."""
        with self.db.transaction() as s:
            record(
                s,
                kind,
                self.clock.now(),
                person_id=who.person_id if who else None,
                audit_id=audit_id,
                detail=detail,
            )

    def events(self, who: Principal, where: LogFilter | None = None) -> list[AccessEventDTO]:
        """The log, newest first, for QA and administrators (``READ_ACCESS_LOG``)."""
        where = where or LogFilter()
        with self.db.reading() as s:
            check(s, who, Action.READ_ACCESS_LOG)
            q = select(AccessEvent).order_by(AccessEvent.at.desc(), AccessEvent.id.desc())
            if where.username:
                q = q.join(Person, AccessEvent.person_id == Person.id).where(
                    Person.username == where.username.strip().lower()
                )
            if where.audit_id is not None:
                q = q.where(AccessEvent.audit_id == where.audit_id)
            if where.kinds:
                q = q.where(AccessEvent.kind.in_(list(where.kinds)))
            if where.start:
                q = q.where(AccessEvent.at >= dt.datetime.combine(where.start, dt.time()))
            if where.end:
                q = q.where(
                    AccessEvent.at
                    < dt.datetime.combine(where.end + dt.timedelta(days=1), dt.time())
                )
            return [
                AccessEventDTO(
                    e.id,
                    e.at,
                    e.kind,
                    e.person.username if e.person else "",
                    e.person.name if e.person else "(unknown)",
                    e.audit_id,
                    e.detail,
                    e.machine,
                )
                for e in s.scalars(q.limit(where.limit))
            ]

    def who_looked(self, who: Principal, audit_id: int) -> list[AccessEventDTO]:
        """Every view, print and export of one audit, and every attempt refused as out of reach
        ("Who looked at this")."""
        kinds = frozenset(
            {
                AccessEventKind.VIEWED_AUDIT,
                AccessEventKind.PRINTED_AUDIT,
                AccessEventKind.EXPORTED,
                AccessEventKind.REFUSED,  # who tried to, from outside its reach
            }
        )
        return self.events(who, LogFilter(audit_id=audit_id, kinds=kinds))
