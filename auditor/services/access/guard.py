"""The check every service call makes of who is asking.

A ``Principal`` comes from signing in. Each call looks the person up again inside its own
transaction (``check``): a person deactivated, an account switched off or a role taken away since
they signed in counts at once. ``principal_of`` makes a principal without a password, for the
program's own work only (the demo builder, tests); the desktop app and the command line reach one
only through ``AccountService.sign_in``.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from auditor.domain.errors import NotFound
from auditor.domain.permissions import Action, NotPermitted, Principal, Scope, require, widest_scope
from auditor.domain.reference import Role
from db.models import Account, Person, RoleScope


def scope_overrides(s: Session) -> dict[Role, Scope]:
    """The council's own reach for each role's reading, where set (``roles scope``)."""
    return {row.role: row.scope for row in s.scalars(select(RoleScope))}


def principal_for_person(s: Session, person: Person) -> Principal:
    """``person`` as the services see them now: roles, reach and the teams they read."""
    roles = frozenset(Role(r.role) for r in person.roles)
    scope = widest_scope(roles, scope_overrides(s))
    teams: set[int] = set()
    if scope is Scope.TEAM:
        if person.team_id is not None:
            teams.add(person.team_id)
        teams.update(
            t
            for t in s.scalars(
                select(Person.team_id).where(
                    Person.line_manager_id == person.id, Person.team_id.is_not(None)
                )
            )
            if t is not None
        )
    return Principal(person.id, person.username, person.name, roles, scope, frozenset(teams))


def principal_of(s: Session, username: str) -> Principal:
    """The principal of ``username`` without a password: for the program's own work (the demo
    builder, tests), never for anything a user typed."""
    person = s.scalar(select(Person).where(Person.username == username.strip().lower()))
    if person is None:
        raise NotFound(f"There is nobody with the username '{username}'.")
    return principal_for_person(s, person)


def check(s: Session, who: Principal, action: Action | None = None) -> tuple[Person, Principal]:
    """The person behind ``who`` and their principal as the database holds them now; refused
    (``NotPermitted``) if they are no longer active, their sign-in is switched off, or none of
    their roles may take ``action``."""
    if not isinstance(who, Principal):
        raise TypeError("services are called with the signed-in Principal")
    person = s.get(Person, who.person_id)
    if person is None or person.username != who.username or not person.active:
        raise NotPermitted(
            "Your account is no longer active. Sign in again, or ask an administrator."
        )
    account = s.scalar(select(Account).where(Account.person_id == person.id))
    if account is not None and not account.active:
        raise NotPermitted(
            "Your sign-in has been switched off. Ask an administrator if you need it back."
        )
    fresh = principal_for_person(s, person)
    if action is not None:
        require(fresh, action)
    return person, fresh
