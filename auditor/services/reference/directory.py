"""Teams, people and cases: the reference data audits are made about."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditor.domain.errors import NotFound
from auditor.domain.permissions import Principal
from auditor.domain.reference import Role
from auditor.domain.workflow import PersonRef
from auditor.services.dto import CaseDTO, PersonDTO, TeamDTO
from auditor.services.reference import directory_rules as rules
from db.engine import Database
from db.models import Case, CaseType, Person, PersonRole, Team


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
        return {c.code: c.label for c in self.s.scalars(select(CaseType))}


class DirectoryService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # teams --------------------------------------------------------------------------------------
    def add_team(self, name: str, service: str = "") -> TeamDTO:
        with self.db.transaction() as s:
            new = rules.check_team(name, service, SessionKnown(s)).or_raise()
            team = Team(name=new.name, service=new.service)
            s.add(team)
            s.flush()
            return TeamDTO(team.id, team.name, team.service)

    def teams(self) -> list[TeamDTO]:
        with self.db.reading() as s:
            return [
                TeamDTO(t.id, t.name, t.service)
                for t in s.scalars(select(Team).order_by(Team.service, Team.name))
            ]

    # people -------------------------------------------------------------------------------------
    def add_person(
        self,
        username: str,
        name: str,
        roles: list[Role],
        team: str | None = None,
        line_manager: str | None = None,
    ) -> PersonDTO:
        with self.db.transaction() as s:
            new = rules.check_person(
                username, name, roles, team, line_manager, SessionKnown(s)
            ).or_raise()
            person = Person(
                username=new.username,
                name=new.name,
                team_id=find_team(s, new.team).id if new.team else None,
                line_manager_id=find_person(s, new.line_manager).id if new.line_manager else None,
                roles=[PersonRole(role=r.value) for r in new.roles],
            )
            s.add(person)
            s.flush()
            return person_dto(person)

    def people(self, role: Role | None = None) -> list[PersonDTO]:
        with self.db.reading() as s:
            query = select(Person).order_by(Person.name)
            if role is not None:
                query = query.join(PersonRole).where(PersonRole.role == role.value)
            return [person_dto(p) for p in s.scalars(query).unique()]

    def person(self, who: str | int) -> PersonDTO:
        with self.db.reading() as s:
            return person_dto(find_person(s, who))

    # cases --------------------------------------------------------------------------------------
    def case_type_labels(self) -> dict[str, str]:
        with self.db.reading() as s:
            return {c.code: c.label for c in s.scalars(select(CaseType))}

    def add_case(
        self, reference: str, case_type: str, team: str, worker: str | None = None
    ) -> CaseDTO:
        with self.db.transaction() as s:
            new = rules.check_case(reference, case_type, team, worker, SessionKnown(s)).or_raise()
            case = Case(
                reference=new.reference,
                case_type=new.case_type,
                team_id=find_team(s, new.team).id,
                worker_id=find_person(s, new.worker).id if new.worker else None,
            )
            s.add(case)
            s.flush()
            s.refresh(case)
            return case_dto(case, {c.code: c.label for c in s.scalars(select(CaseType))})

    def case(self, reference: str) -> CaseDTO:
        labels = self.case_type_labels()
        with self.db.reading() as s:
            return case_dto(find_case(s, reference), labels)

    def cases(self, team: str | None = None, search: str = "") -> list[CaseDTO]:
        with self.db.reading() as s:
            labels = {c.code: c.label for c in s.scalars(select(CaseType))}
            query = select(Case).order_by(Case.reference)
            if team:
                query = query.where(Case.team_id == find_team(s, team).id)
            if search:
                query = query.where(Case.reference.contains(search.strip().upper()))
            return [case_dto(c, labels) for c in s.scalars(query)]
