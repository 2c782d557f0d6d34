"""Setting up a new organisation: how far it has got, and the one way a first administrator is made.

A new database has nobody in it. Set-up is complete enough to start once it has an administrator;
teams, people and cases can come then or later, through ``DirectoryService`` (or the import).
``create_first_administrator`` is the only door to the first administrator: it opens only while
the database has none with their password, so it stays the one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher
from sqlalchemy import func, select

from auditor.domain.clock import Clock, SystemClock
from auditor.domain.errors import RuleViolation
from auditor.domain.permissions import Principal
from auditor.domain.reference import Role
from auditor.services.access.accounts import AccountService
from auditor.services.reference import directory_rules as rules
from auditor.services.reference.records import SessionKnown, insert_person, insert_team
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
    def __init__(
        self, db: Database, clock: Clock | None = None, hasher: PasswordHasher | None = None
    ) -> None:
        self.db = db
        self.clock = clock or SystemClock()
        self.hasher = hasher

    def progress(self) -> SetupProgress:
        """How far set-up has got: asked before anyone can sign in, so it checks no identity (and
        says only how many, never who)."""
        return self._progress()

    def _progress(self) -> SetupProgress:
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
        self,
        username: str,
        name: str,
        roles: list[Role],
        team: str | None = None,
        *,
        password: str,
    ) -> Principal:
        """The first administrator, holding ``roles`` (their job roles, if any) besides
        Administrator, in ``team`` (an existing team, or a new one of that name), with a sign-in
        of ``password`` (the password policy applies). Returns their principal: the wizard's
        later steps (teams, people, cases) are made as them. One transaction, holding the write
        lock from its start: two set-ups at once cannot both make one, and a refused password
        leaves nothing behind. The only method that checks no identity (nobody can sign in yet)."""
        with self.db.all_or_nothing() as db:
            return SetupService(db, self.clock, self.hasher).first_administrator_here(
                username, name, roles, team, password=password
            )

    def first_administrator_here(
        self,
        username: str,
        name: str,
        roles: list[Role],
        team: str | None = None,
        *,
        password: str,
    ) -> Principal:
        """``create_first_administrator`` inside a transaction the caller holds already (the
        demo builder's ``all_or_nothing``): the same refusals, no transaction of its own."""
        if self._progress().administrators:
            raise RuleViolation(
                "This database already has an administrator, so set-up is done. "
                "Ask an administrator to add you."
            )
        with self.db.transaction() as s:
            known = SessionKnown(s)
            team = " ".join((team or "").split()) or None
            if team and not known.has_team(team):
                insert_team(s, rules.check_team(team, "", known).or_raise())
            new = rules.check_person(
                username, name, [*roles, Role.ADMINISTRATOR], team, None, known
            ).or_raise()
            insert_person(s, new)
        return AccountService(self.db, self.clock, self.hasher).create_first(new.username, password)
