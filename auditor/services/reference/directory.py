"""Teams, people and cases: the reference data audits are made about.

Every method takes the signed-in ``who``. Reading the directory needs only an active sign-in;
changing it needs MANAGE_TEAMS, MANAGE_PEOPLE or MANAGE_CASES (checked first, before any argument
is looked at). Cases are listed only as far as ``who`` reads (``visible_cases``). Nothing with a
history is deleted: people, teams and cases are deactivated, and a case's reallocations are kept
(``CaseAllocation``)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum
from typing import Final

from sqlalchemy import ColumnElement, delete, func, or_, select, true, update
from sqlalchemy.orm import Session

from auditor.domain.clock import Clock, SystemClock
from auditor.domain.errors import RuleViolation, ValidationError
from auditor.domain.permissions import AccessEventKind, Action, NotPermitted, Principal, Scope
from auditor.domain.reference import Role
from auditor.services.access.guard import check
from auditor.services.access.log import record
from auditor.services.access.scope import visible_audits
from auditor.services.dto import CaseAllocationDTO, CaseDTO, PersonDTO, TeamDTO
from auditor.services.reference import directory_rules as rules
from auditor.services.reference.records import (
    SessionKnown,
    case_dto,
    case_type_labels,
    find_case,
    find_person,
    find_team,
    insert_case,
    insert_person,
    insert_team,
    person_dto,
    team_dto,
)
from db.engine import Database
from db.models import (
    Account,
    Audit,
    Base,
    Case,
    CaseAllocation,
    Person,
    PersonRole,
    Team,
)


class _Unchanged(Enum):
    UNCHANGED = "unchanged"


#: "Leave as it is" for the ``update_*`` arguments where ``None`` means "none" (team, manager).
UNCHANGED: Final = _Unchanged.UNCHANGED

#: Tables whose rows naming a person are not history of their own (removed with the person).
_NOT_HISTORY = {"person_role", "account"}


def visible_cases(who: Principal) -> ColumnElement[bool]:
    """A condition on ``Case``: the cases ``who`` may see. Everything at ALL reach and for those
    who manage cases; otherwise their own cases, those of the teams they read at TEAM reach, and
    the cases of the audits they may read."""
    if who.scope is Scope.ALL or who.may(Action.MANAGE_CASES):
        return true()
    seen = or_(
        Case.worker_id == who.person_id,
        Case.id.in_(select(Audit.case_id).where(Audit.case_id.is_not(None), visible_audits(who))),
    )
    if who.scope is Scope.TEAM and who.team_ids:
        return or_(seen, Case.team_id.in_(sorted(who.team_ids)))
    return seen


def active_administrators(s: Session) -> int:
    """Active people holding the Administrator role."""
    return (
        s.scalar(
            select(func.count(func.distinct(Person.id)))
            .join(PersonRole)
            .where(PersonRole.role == Role.ADMINISTRATOR.value, Person.active.is_(True))
        )
        or 0
    )


def _is_admin(person: Person) -> bool:
    return any(r.role == Role.ADMINISTRATOR.value for r in person.roles)


def history_of(s: Session, person: Person) -> dict[str, int]:
    """Every row elsewhere that names ``person`` (audits, answers, cases, the access log, people
    they line-manage...), counted by table: a person with any is never deleted."""
    found: dict[str, int] = {}
    for table in Base.metadata.sorted_tables:
        if table.name in _NOT_HISTORY:
            continue
        for column in table.columns:
            if any(fk.column.table.name == "person" for fk in column.foreign_keys):
                n = s.scalar(select(func.count()).select_from(table).where(column == person.id))
                if n:
                    found[table.name] = found.get(table.name, 0) + n
    return found


class DirectoryService:
    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or SystemClock()

    # teams --------------------------------------------------------------------------------------
    def add_team(self, name: str, service: str = "", *, who: Principal) -> TeamDTO:
        with self.db.transaction() as s:
            check(s, who, Action.MANAGE_TEAMS)
            new = rules.check_team(name, service, SessionKnown(s)).or_raise()
            return team_dto(insert_team(s, new))

    def update_team(
        self, name: str, *, who: Principal, new_name: str | None = None, service: str | None = None
    ) -> TeamDTO:
        """Rename a team or change its service (``None``: leave as it is)."""
        with self.db.transaction() as s:
            check(s, who, Action.MANAGE_TEAMS)
            team = find_team(s, name)
            wanted_name = team.name if new_name is None else new_name
            wanted_service = team.service if service is None else service
            checked = rules.check_team(wanted_name, wanted_service, _KnownBut(s, team=team.name))
            new = checked.or_raise()
            team.name, team.service = new.name, new.service
            s.flush()
            return team_dto(team)

    def set_team_active(self, name: str, active: bool, *, who: Principal) -> TeamDTO:
        """Deactivate a team (kept: its audits name it) once nobody active and no open case is
        left in it; or make it active again."""
        with self.db.transaction() as s:
            check(s, who, Action.MANAGE_TEAMS)
            team = find_team(s, name)
            if not active:
                people = s.scalar(
                    select(func.count(Person.id)).where(
                        Person.team_id == team.id, Person.active.is_(True)
                    )
                )
                cases = s.scalar(
                    select(func.count(Case.id)).where(
                        Case.team_id == team.id, Case.active.is_(True)
                    )
                )
                if people or cases:
                    raise RuleViolation(
                        f"{team.name} still has {people or 0} active people and {cases or 0} "
                        "active cases: move or deactivate them first."
                    )
            team.active = active
            return team_dto(team)

    def teams(self, *, who: Principal, include_inactive: bool = False) -> list[TeamDTO]:
        with self.db.reading() as s:
            check(s, who)
            query = select(Team).order_by(Team.service, Team.name)
            if not include_inactive:
                query = query.where(Team.active.is_(True))
            return [team_dto(t) for t in s.scalars(query)]

    # people -------------------------------------------------------------------------------------
    def add_person(
        self,
        username: str,
        name: str,
        roles: list[Role],
        team: str | None = None,
        line_manager: str | None = None,
        *,
        who: Principal,
    ) -> PersonDTO:
        """A new person, without a sign-in (``AccountService.create`` gives one)."""
        with self.db.transaction() as s:
            check(s, who, Action.MANAGE_PEOPLE)
            new = rules.check_person(
                username, name, roles, team, line_manager, SessionKnown(s)
            ).or_raise()
            return person_dto(insert_person(s, new))

    def update_person(
        self,
        username: str,
        *,
        who: Principal,
        name: str | None = None,
        roles: Sequence[Role] | None = None,
        team: str | _Unchanged | None = UNCHANGED,
        line_manager: str | _Unchanged | None = UNCHANGED,
    ) -> PersonDTO:
        """Change a person's name, roles, team or line manager. ``name``/``roles`` ``None`` and
        ``team``/``line_manager`` ``UNCHANGED`` leave them as they are; ``team=None`` takes them
        out of any team, ``line_manager=None`` leaves them without one."""
        with self.db.transaction() as s:
            check(s, who, Action.MANAGE_PEOPLE)
            person = find_person(s, username)
            current_roles = [Role(r.role) for r in person.roles]
            wanted_roles = current_roles if roles is None else list(roles)
            wanted_team = (person.team.name if person.team else None) if team is UNCHANGED else team
            current_manager = (
                s.get(Person, person.line_manager_id) if person.line_manager_id else None
            )
            wanted_manager = (
                (current_manager.username if current_manager else None)
                if line_manager is UNCHANGED
                else line_manager
            )
            new = rules.check_person(
                person.username,
                person.name if name is None else name,
                wanted_roles,
                wanted_team,
                wanted_manager,
                _KnownBut(s, username=person.username),
            ).or_raise()
            if (
                _is_admin(person)
                and Role.ADMINISTRATOR not in new.roles
                and person.active
                and active_administrators(s) <= 1
            ):
                raise RuleViolation(
                    "This is the last active administrator: make someone else an administrator "
                    "first."
                )
            manager = find_person(s, new.line_manager) if new.line_manager else None
            if manager is not None:
                _refuse_circle(s, person, manager)
            person.name = new.name
            if set(new.roles) != set(current_roles):
                person.roles = [PersonRole(role=r.value) for r in new.roles]
            person.team_id = find_team(s, new.team).id if new.team else None
            person.line_manager_id = manager.id if manager else None
            s.flush()
            s.refresh(person)
            return person_dto(person)

    def set_person_active(self, username: str, active: bool, *, who: Principal) -> PersonDTO:
        """Deactivate a person (kept, with their history; their sign-in is switched off too) or
        make them active again (their sign-in, if they have one, with them). Nobody deactivates
        themselves, and the last active administrator stays."""
        with self.db.transaction() as s:
            me, _ = check(s, who, Action.MANAGE_PEOPLE)
            person = find_person(s, username)
            if not active and person.id == me.id:
                raise RuleViolation("You cannot deactivate yourself; ask another administrator.")
            if not active and person.active and _is_admin(person) and active_administrators(s) <= 1:
                raise RuleViolation(
                    "This is the last active administrator: make someone else an administrator "
                    "first."
                )
            changed = person.active != active
            person.active = active
            account = s.scalar(select(Account).where(Account.person_id == person.id))
            if account is not None and (changed or account.active != active):
                account.active = active
                kind = (
                    AccessEventKind.ACCOUNT_REACTIVATED
                    if active
                    else AccessEventKind.ACCOUNT_DEACTIVATED
                )
                record(s, kind, self.clock.now(), person_id=me.id, detail=f"for {person.username}")
            s.flush()
            return person_dto(person)

    def remove_person(self, username: str, *, who: Principal) -> None:
        """Delete a person added by mistake: refused once anything names them (an audit, an
        answer, a case, the access log, someone they line-manage) — deactivate them instead."""
        with self.db.transaction() as s:
            me, _ = check(s, who, Action.MANAGE_PEOPLE)
            person = find_person(s, username)
            if person.id == me.id:
                raise RuleViolation("You cannot remove yourself.")
            history = history_of(s, person)
            if history:
                raise RuleViolation(
                    f"{person.username} has a history here ({', '.join(sorted(history))}), so "
                    "they are deactivated, never deleted: use deactivate instead."
                )
            if _is_admin(person) and person.active and active_administrators(s) <= 1:
                raise RuleViolation("This is the last active administrator.")
            s.execute(delete(Account).where(Account.person_id == person.id))
            s.delete(person)

    def people(
        self, role: Role | None = None, *, who: Principal, include_inactive: bool = False
    ) -> list[PersonDTO]:
        with self.db.reading() as s:
            check(s, who)
            query = select(Person).order_by(Person.name)
            if role is not None:
                query = query.join(PersonRole).where(PersonRole.role == role.value)
            if not include_inactive:
                query = query.where(Person.active.is_(True))
            return [person_dto(p) for p in s.scalars(query).unique()]

    def person(self, username: str | int, *, who: Principal) -> PersonDTO:
        with self.db.reading() as s:
            check(s, who)
            return person_dto(find_person(s, username))

    # cases --------------------------------------------------------------------------------------
    def case_type_labels(self, *, who: Principal) -> dict[str, str]:
        with self.db.reading() as s:
            check(s, who)
            return case_type_labels(s)

    def add_case(
        self,
        reference: str,
        case_type: str,
        team: str,
        worker: str | None = None,
        *,
        who: Principal,
    ) -> CaseDTO:
        with self.db.transaction() as s:
            me, _ = check(s, who, Action.MANAGE_CASES)
            new = rules.check_case(reference, case_type, team, worker, SessionKnown(s)).or_raise()
            case = insert_case(s, new, self.clock.now(), me.id)
            return case_dto(case, case_type_labels(s))

    def update_case(
        self,
        reference: str,
        *,
        who: Principal,
        case_type: str | None = None,
        team: str | None = None,
        worker: str | _Unchanged | None = UNCHANGED,
    ) -> CaseDTO:
        """Change a case's type, team or allocated worker (``None``/``UNCHANGED``: as it is;
        ``worker=None`` unallocates it). A new team or worker closes the current allocation and
        opens the next, so who held the case when is kept."""
        with self.db.transaction() as s:
            me, _ = check(s, who, Action.MANAGE_CASES)
            case = find_case(s, reference)
            wanted_worker = (
                (case.worker.username if case.worker else None) if worker is UNCHANGED else worker
            )
            checked = rules.check_case(
                case.reference,
                case_type if case_type is not None else case.case_type,
                team if team is not None else case.team.name,
                wanted_worker,
                _KnownBut(s, reference=case.reference),
            )
            new = checked.or_raise()
            new_team = find_team(s, new.team)
            new_worker = find_person(s, new.worker) if new.worker else None
            if new_worker is not None and not new_worker.active and new_worker.id != case.worker_id:
                raise RuleViolation(
                    f"{new_worker.username} is no longer active; allocate the case to someone "
                    "who is."
                )
            if new_team.id != case.team_id and not new_team.active:
                raise RuleViolation(f"{new_team.name} is no longer an active team.")
            moved = new_team.id != case.team_id or (new_worker.id if new_worker else None) != (
                case.worker_id
            )
            case.case_type = new.case_type
            if moved:
                now = self.clock.now()
                s.execute(
                    update(CaseAllocation)
                    .where(CaseAllocation.case_id == case.id, CaseAllocation.to_at.is_(None))
                    .values(to_at=now)
                )
                case.team_id = new_team.id
                case.worker_id = new_worker.id if new_worker else None
                s.add(
                    CaseAllocation(
                        case_id=case.id,
                        team_id=case.team_id,
                        worker_id=case.worker_id,
                        from_at=now,
                        changed_by_id=me.id,
                    )
                )
            s.flush()
            s.refresh(case)
            return case_dto(case, case_type_labels(s))

    def case_allocations(self, reference: str, *, who: Principal) -> list[CaseAllocationDTO]:
        """Who held the case, from when to when, the oldest first."""
        with self.db.reading() as s:
            check(s, who, Action.MANAGE_CASES)
            case = find_case(s, reference)
            rows = s.scalars(
                select(CaseAllocation)
                .where(CaseAllocation.case_id == case.id)
                .order_by(CaseAllocation.from_at, CaseAllocation.id)
            )
            out = []
            for row in rows:
                team = s.get(Team, row.team_id)
                worker = s.get(Person, row.worker_id) if row.worker_id else None
                by = s.get(Person, row.changed_by_id) if row.changed_by_id else None
                out.append(
                    CaseAllocationDTO(
                        team.name if team else "",
                        worker.name if worker else None,
                        worker.username if worker else None,
                        row.from_at,
                        row.to_at,
                        by.username if by else None,
                    )
                )
            return out

    def set_case_active(self, reference: str, active: bool, *, who: Principal) -> CaseDTO:
        """A closed or transferred-out case is deactivated (kept: its audits name it)."""
        with self.db.transaction() as s:
            check(s, who, Action.MANAGE_CASES)
            case = find_case(s, reference)
            case.active = active
            s.flush()
            return case_dto(case, case_type_labels(s))

    def case(self, reference: str, *, who: Principal) -> CaseDTO:
        """One case, if ``who`` may see it (``NotPermitted`` otherwise)."""
        with self.db.reading() as s:
            _, me = check(s, who)
            case = find_case(s, reference)
            seen = s.scalar(select(Case.id).where(Case.id == case.id, visible_cases(me)))
            if seen is None:
                raise NotPermitted(
                    f"Case {case.reference} is not one you may see: it is outside your cases "
                    "and teams."
                )
            return case_dto(case, case_type_labels(s))

    def cases(
        self,
        team: str | None = None,
        search: str = "",
        *,
        who: Principal,
        include_inactive: bool = False,
    ) -> list[CaseDTO]:
        """The cases ``who`` may see (``visible_cases``), active ones unless ``include_inactive``."""
        with self.db.reading() as s:
            _, me = check(s, who)
            labels = case_type_labels(s)
            query = select(Case).where(visible_cases(me)).order_by(Case.reference)
            if team:
                query = query.where(Case.team_id == find_team(s, team).id)
            if search:
                query = query.where(Case.reference.contains(search.strip().upper()))
            if not include_inactive:
                query = query.where(Case.active.is_(True))
            return [case_dto(c, labels) for c in s.scalars(query)]


class _KnownBut(SessionKnown):
    """What exists, less the one record being edited (its own name is not "taken")."""

    def __init__(
        self, session: Session, *, team: str = "", username: str = "", reference: str = ""
    ) -> None:
        super().__init__(session)
        self.team, self.username, self.reference = team, username, reference

    def has_team(self, name: str) -> bool:
        if self.team and name == self.team:
            return False
        return super().has_team(name)

    def has_username(self, username: str) -> bool:
        return username != self.username and super().has_username(username)

    def has_case(self, reference: str) -> bool:
        return reference != self.reference and super().has_case(reference)


def _refuse_circle(s: Session, person: Person, manager: Person) -> None:
    """Refuse a line manager who is (through others) managed by ``person``."""
    seen: set[int] = set()
    current: Person | None = manager
    while current is not None and current.id not in seen:
        if current.id == person.id:
            raise ValidationError(
                f"{manager.username} is line-managed (through others) by {person.username}, so "
                "cannot be their line manager."
            )
        seen.add(current.id)
        current = s.get(Person, current.line_manager_id) if current.line_manager_id else None
