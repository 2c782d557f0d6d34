"""Setting up a new organisation: how far it has got, and the one way a first administrator is made.

A new database has nobody in it. Set-up is complete enough to start once it has an administrator;
teams, people and cases can come then or later, through ``DirectoryService`` (or the import).
``create_first_administrator`` is the only door to the first administrator: it opens only while
the database has none (issue 12 adds the first password here, so keep it the one place).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from auditor.domain.errors import RuleViolation
from auditor.domain.reference import Role
from auditor.services.dto import PersonDTO
from auditor.services.reference.directory import DirectoryService
from db.engine import Database
from db.models import Case, Person, PersonRole, Team


@dataclass(frozen=True)
class SetupProgress:
    """What the organisation has so far (active administrators; every team, person and case)."""

    administrators: int
    teams: int
    people: int
    cases: int

    @property
    def ready(self) -> bool:
        """Complete enough to start: someone can look after the rest."""
        return self.administrators > 0


class SetupService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def progress(self) -> SetupProgress:
        with self.db.reading() as s:
            admins = s.scalar(
                select(func.count(func.distinct(Person.id)))
                .join(PersonRole)
                .where(PersonRole.role == Role.ADMINISTRATOR.value, Person.active.is_(True))
            )
            return SetupProgress(
                administrators=admins or 0,
                teams=s.scalar(select(func.count(Team.id))) or 0,
                people=s.scalar(select(func.count(Person.id))) or 0,
                cases=s.scalar(select(func.count(Case.id))) or 0,
            )

    def create_first_administrator(
        self, username: str, name: str, roles: list[Role], team: str | None = None
    ) -> PersonDTO:
        """The first administrator, holding ``roles`` (their job roles, if any) besides
        Administrator, in ``team`` (an existing team, or a new one of that name). One transaction,
        holding the write lock from its start: two set-ups at once cannot both make one."""
        with self.db.all_or_nothing() as db:
            if SetupService(db).progress().administrators:
                raise RuleViolation(
                    "This database already has an administrator, so set-up is done. "
                    "Ask an administrator to add you."
                )
            directory = DirectoryService(db)
            team = " ".join((team or "").split()) or None
            if team and team not in {t.name for t in directory.teams()}:
                directory.add_team(team)
            return directory.add_person(username, name, [*roles, Role.ADMINISTRATOR], team=team)
