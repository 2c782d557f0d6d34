"""The directory's rows inside a session, as every service finds, describes and writes them: a
person, team or case found by what a person types (``find_*``), turned into what the services hand
out (``*_dto``, ``person_ref``), and a checked new one written (``insert_*``, also set-up's). No
permission is checked here: the calling service has checked who is asking."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditor.domain.errors import NotFound
from auditor.domain.permissions import Principal
from auditor.domain.reference import Role
from auditor.domain.workflow import PersonRef
from auditor.services.dto import CaseDTO, PersonDTO, TeamDTO
from auditor.services.reference import directory_rules as rules
from db.models import Case, CaseAllocation, CaseType, Person, PersonRole, Team


def person_dto(p: Person) -> PersonDTO:
    roles = tuple(sorted((Role(r.role) for r in p.roles), key=lambda r: list(Role).index(r)))
    return PersonDTO(
        p.id,
        p.username,
        p.name,
        roles,
        p.team.name if p.team else None,
        p.line_manager_id,
        p.active,
    )


#: The largest integer SQLite stores; a bigger id names nothing (and would overflow the driver).
SQLITE_MAX_INT = 2**63 - 1


def person_ref(p: Person) -> PersonRef:
    return PersonRef(p.id, p.name, frozenset(Role(r.role) for r in p.roles))


def find_person(session: Session, who: str | int | Principal) -> Person:
    """By username (case-insensitive) when given text, by number only when given a number: text
    such as ``--as 1`` names nobody, so a person cannot be picked by guessing a row number."""
    if isinstance(who, Principal):  # the signed-in person (services are moving to these)
        person = session.get(Person, who.person_id)
        if person is None or person.username != who.username:
            raise NotFound(f"There is nobody with the username '{who.username}'.")
        return person
    if isinstance(who, int):
        person = session.get(Person, who) if 0 < who <= SQLITE_MAX_INT else None
    else:
        person = session.scalar(select(Person).where(Person.username == who.strip().lower()))
    if person is None:
        raise NotFound(
            f"There is nobody with the username or number '{who}'. "
            "'python main.py people list' shows everyone."
        )
    return person


def find_team(session: Session, name: str) -> Team:
    team = session.scalar(select(Team).where(Team.name == name.strip()))
    if team is None:
        names = ", ".join(session.scalars(select(Team.name).order_by(Team.name)))
        raise NotFound(f"There is no team called '{name}'. Teams: {names or 'none yet'}.")
    return team


def find_case(session: Session, reference: str) -> Case:
    case = session.scalar(select(Case).where(Case.reference == reference.strip().upper()))
    if case is None:
        raise NotFound(
            f"There is no case with the reference '{reference}'. "
            "'python main.py cases list' shows the cases."
        )
    return case


def case_dto(c: Case, labels: dict[str, str]) -> CaseDTO:
    return CaseDTO(
        c.id,
        c.reference,
        c.case_type,
        labels.get(c.case_type, c.case_type),
        c.team.name,
        c.worker.name if c.worker else None,
        c.worker.username if c.worker else None,
        c.active,
    )


class SessionKnown:
    """What exists, as the rules of a single add ask it: one query a question."""

    def __init__(self, session: Session) -> None:
        self.s = session

    def has_team(self, name: str) -> bool:
        return self.s.scalar(select(Team.id).where(Team.name == name)) is not None

    def staff(self, username: str) -> rules.Staff | None:
        person = self.s.scalar(select(Person).where(Person.username == username))
        if person is None:
            return None
        return rules.Staff(person.username, person.team.name if person.team else None)

    def has_username(self, username: str) -> bool:
        return self.staff(username) is not None

    def has_case(self, reference: str) -> bool:
        return self.s.scalar(select(Case.id).where(Case.reference == reference)) is not None

    def case_type_labels(self) -> dict[str, str]:
        return case_type_labels(self.s)


def case_type_labels(s: Session) -> dict[str, str]:
    return {c.code: c.label for c in s.scalars(select(CaseType))}


def team_dto(t: Team) -> TeamDTO:
    return TeamDTO(t.id, t.name, t.service, t.active)


def insert_team(s: Session, new: rules.NewTeam) -> Team:
    """A checked new team, written (also set-up's, before anyone can sign in)."""
    team = Team(name=new.name, service=new.service)
    s.add(team)
    s.flush()
    return team


def insert_person(s: Session, new: rules.NewPerson) -> Person:
    """A checked new person, written; they get no sign-in (an administrator gives one)."""
    person = Person(
        username=new.username,
        name=new.name,
        team_id=find_team(s, new.team).id if new.team else None,
        line_manager_id=find_person(s, new.line_manager).id if new.line_manager else None,
        roles=[PersonRole(role=r.value) for r in new.roles],
    )
    s.add(person)
    s.flush()
    return person


def insert_case(s: Session, new: rules.NewCase, at: dt.datetime, by: int | None = None) -> Case:
    """A checked new case, written with its first allocation (from ``at``)."""
    case = Case(
        reference=new.reference,
        case_type=new.case_type,
        team_id=find_team(s, new.team).id,
        worker_id=find_person(s, new.worker).id if new.worker else None,
    )
    s.add(case)
    s.flush()
    s.add(
        CaseAllocation(
            case_id=case.id,
            team_id=case.team_id,
            worker_id=case.worker_id,
            from_at=at,
            changed_by_id=by,
        )
    )
    s.flush()
    s.refresh(case)
    return case
