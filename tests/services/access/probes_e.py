"""Helper E's probes for the lead's whole-matrix test: one service call per action of the
reference and access services. Each is refused (``NotPermitted``) before it looks at its
arguments when ``who`` may not take the action; when allowed, any other outcome will do.

There are no ``READ_PATHS`` here: the directory shows cases, people and teams, not audits (its
case list obeys the read scope through ``visible_cases``, tested in ``test_directory_access``)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select

from auditor.domain.permissions import Action, Principal, Scope
from auditor.domain.reference import Role
from auditor.services import Services, maintenance
from db.models import Team

_n = itertools.count(1)


def _team(services: Services) -> str:
    with services.db.reading() as s:
        return s.scalars(select(Team.name).order_by(Team.id)).first() or "North"


def _missing_file(services: Services) -> Path:
    return services.path.parent / f"no-such-import-{next(_n)}.csv"


PROBES: dict[Action, Callable[[Services, Principal], object]] = {
    Action.MANAGE_TEAMS: lambda sv, who: sv.directory.add_team(f"Probe team {next(_n)}", who=who),
    Action.MANAGE_PEOPLE: lambda sv, who: sv.directory.add_person(
        f"probe.{next(_n)}", "Probe Person", [Role.SOCIAL_WORKER], _team(sv), who=who
    ),
    Action.MANAGE_CASES: lambda sv, who: sv.directory.add_case(
        f"PROBE-{next(_n)}", "child_in_need", _team(sv), None, who=who
    ),
    Action.IMPORT_DIRECTORY: lambda sv, who: sv.directory_import.import_people(
        _missing_file(sv), who=who
    ),
    Action.IMPORT_HISTORY: lambda sv, who: sv.history.import_file(_missing_file(sv), who=who),
    Action.SET_READ_SCOPE: lambda sv, who: sv.roles.set_read_scope(Role.IRO, Scope.OWN, who=who),
    Action.MANAGE_ACCOUNTS: lambda sv, who: sv.accounts.accounts(who),
    Action.READ_ACCESS_LOG: lambda sv, who: sv.access_log.events(who),
    # leave only: the restore itself needs the database closed (tests/cli/test_cli_maintenance)
    Action.RESTORE_BACKUP: lambda sv, who: maintenance.permit_restore(sv.db, who),
}
