"""Teams, people and cases: the reference data audits are made about."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditor.domain.errors import NotFound, RuleViolation, ValidationError
from auditor.domain.reference import CASE_REFERENCE_MAX, Role, parse_case_type
from auditor.domain.workflow import PersonRef
from auditor.services.dto import CaseDTO, PersonDTO, TeamDTO
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


def find_person(session: Session, who: str | int) -> Person:
    """By username (case-insensitive) when given text, by number only when given a number: text
    such as ``--as 1`` names nobody, so a person cannot be picked by guessing a row number."""
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


class DirectoryService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # teams --------------------------------------------------------------------------------------
    def add_team(self, name: str, service: str = "") -> TeamDTO:
        name = " ".join(name.split())
        if not name:
            raise ValidationError("A team needs a name.")
        with self.db.transaction() as s:
            if s.scalar(select(Team).where(Team.name == name)):
                raise RuleViolation(f"There is already a team called '{name}'.")
            team = Team(name=name, service=service.strip())
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
        username = username.strip().lower()
        if (
            not username
            or not username.replace(".", "").replace("_", "").replace("-", "").isalnum()
        ):
            raise ValidationError(
                f"'{username}' is not a usable username: use letters, digits, "
                "dots, hyphens or underscores."
            )
        if not name.strip():
            raise ValidationError("A person needs a name.")
        if not roles:
            raise ValidationError("Give the person at least one role.")
        with self.db.transaction() as s:
            if s.scalar(select(Person).where(Person.username == username)):
                raise RuleViolation(f"The username '{username}' is already taken.")
            person = Person(
                username=username,
                name=" ".join(name.split()),
                team_id=find_team(s, team).id if team else None,
                line_manager_id=find_person(s, line_manager).id if line_manager else None,
                roles=[PersonRole(role=r.value) for r in dict.fromkeys(roles)],
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
        reference = reference.strip().upper()
        if not reference or len(reference) > CASE_REFERENCE_MAX or " " in reference:
            raise ValidationError(
                f"A case reference is one word of up to {CASE_REFERENCE_MAX} "
                "characters, "
                "for example CF-10234. Use references, not names."
            )
        code = parse_case_type(case_type)
        with self.db.transaction() as s:
            if s.scalar(select(Case).where(Case.reference == reference)):
                raise RuleViolation(f"There is already a case with the reference '{reference}'.")
            case = Case(
                reference=reference,
                case_type=code,
                team_id=find_team(s, team).id,
                worker_id=find_person(s, worker).id if worker else None,
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
