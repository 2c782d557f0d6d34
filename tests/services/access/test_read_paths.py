"""Every read path, signed in as someone of each role in the demo organisation, shows only what
that person may read. What they may read is worked out here again, in plain SQL over the file and
apart from the services' own rule: a social worker their own cases and the work they took part
in, a team manager also the teams they manage, the senior roles, QA and the principal social
worker everything; an administrator or an IRO only what they took part in."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from auditor.domain.permissions import NotPermitted
from auditor.domain.reference import Role
from auditor.services import Services
from tests.services.access import probes_a, probes_b

READ_PATHS = {**probes_a.READ_PATHS, **probes_b.READ_PATHS}
#: The paths that list everything the person may read (the others show a part of it: my work, one
#: week's allocations).
WHOLE = {"views.rows", "views.count", "views.detail", "reports.export_data"}

EVERYTHING = {
    Role.SENIOR_SOCIAL_WORK_MANAGER,
    Role.SERVICE_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.ADVANCED_PRACTITIONER,
    Role.PRINCIPAL_SOCIAL_WORKER,
    Role.DIRECTOR,
}


def may_read(path: Path, username: str) -> set[int]:
    conn = sqlite3.connect(path)
    try:
        (pid, team) = conn.execute(
            "SELECT id, team_id FROM person WHERE username = ?", (username,)
        ).fetchone()
        roles = {
            Role(r)
            for (r,) in conn.execute("SELECT role FROM person_role WHERE person_id = ?", (pid,))
        }
        if roles & EVERYTHING:
            return {i for (i,) in conn.execute("SELECT id FROM audit")}
        ids = {
            i
            for (i,) in conn.execute(
                "SELECT a.id FROM audit a LEFT JOIN case_file c ON c.id = a.case_id "
                "WHERE ? IN (a.worker_id, a.first_auditor_id, a.second_auditor_id, "
                "a.created_by_id, c.worker_id) "
                "OR a.id IN (SELECT audit_id FROM response WHERE author_id = ?)",
                (pid, pid),
            )
        }
        if Role.TEAM_MANAGER in roles:
            teams = {
                t
                for (t,) in conn.execute(
                    "SELECT team_id FROM person WHERE line_manager_id = ? AND team_id IS NOT NULL",
                    (pid,),
                )
            } | ({team} if team is not None else set())
            ids |= {
                i
                for (i,) in conn.execute(
                    f"SELECT id FROM audit WHERE team_id IN ({','.join('?' * len(teams))})",
                    sorted(teams),
                )
            }
        return ids
    finally:
        conn.close()


def someone_in_each_role(path: Path) -> dict[Role, str]:
    """The first active demo person holding each role and no role that reads more."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute(
            "SELECT p.username, r.role FROM person p JOIN person_role r ON r.person_id = p.id "
            "WHERE p.active ORDER BY p.id"
        ).fetchall()
    finally:
        conn.close()
    held: dict[str, set[Role]] = {}
    for username, role in rows:
        held.setdefault(username, set()).add(Role(role))
    chosen: dict[Role, str] = {}
    for username, roles in held.items():
        if len(roles) == 1:
            chosen.setdefault(next(iter(roles)), username)
    return chosen


def test_the_demo_has_someone_in_every_job_role(demo_services: Services) -> None:
    people = someone_in_each_role(demo_services.path)
    assert set(people) >= {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}


@pytest.mark.parametrize("path_name", sorted(READ_PATHS))
def test_every_read_path_shows_each_role_only_what_it_may_read(
    demo_services: Services, path_name: str
) -> None:
    read = READ_PATHS[path_name]
    everything = may_read(
        demo_services.path, someone_in_each_role(demo_services.path)[Role.HEAD_OF_SERVICE]
    )
    shown_to_someone = False
    for role, username in someone_in_each_role(demo_services.path).items():
        allowed = may_read(demo_services.path, username)
        who = demo_services.accounts.principal_of(username)
        try:
            shown = read(demo_services, who)
        except NotPermitted:
            shown = set()  # the path is not this role's at all
        assert shown <= allowed, (role, sorted(shown - allowed)[:10])
        if path_name in WHOLE and shown:
            assert shown == allowed, (role, sorted(allowed - shown)[:10])
        if role is Role.SOCIAL_WORKER:
            assert allowed < everything  # the demo's worker does not read everything
        shown_to_someone = shown_to_someone or bool(shown)
    assert shown_to_someone, f"{path_name} showed nobody anything: the test would prove nothing"
