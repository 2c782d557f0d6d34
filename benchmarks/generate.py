"""A realistic organisation of any size for benchmarks: 20 teams, ~230 staff in the real mix of roles,
5,000 cases of every type, and ``audits`` activities in every stage, spread over six financial years
up to today, with both tiers' domain grades, family feedback, drafts, follow-up actions, cancelled
audits, observations and dip samples.

    from generate import realistic_db
    path = realistic_db(200_000)        # built once, then cached in the temp folder

Rows go in with Core ``insert()`` and lists of dicts, a chunk of audits at a time, so building does
not hold the whole database in memory. The same size and seed give the same data; a cached file is
reused until the generator's version, the schema, the seed or the month changes (dates are spread
"up to today").
Answers (the free text of each form) are not generated: grades, dates, states and people are what
the lists, summaries, agreement figures and exports read. Run directly to build and print counts:

    .venv/bin/python benchmarks/generate.py 50000
"""

from __future__ import annotations

import datetime as dt
import os
import random
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate_audits import AuditMaker, Org
from sqlalchemy import func, insert, select

from auditor.domain.grades import Grade
from auditor.domain.reference import Role
from auditor.services import open_services
from auditor.services.reporting.agreement import rebuild_agreement_counts
from db.migrate import HEAD
from db.models import (
    Audit,
    Case,
    DipSession,
    DomainGrade,
    FollowUpAction,
    Person,
    PersonRole,
    Response,
    Team,
)

VERSION = 1
TEAM_COUNT, CASE_COUNT = 20, 5_000
CHUNK = 5_000
# (team name, service, case types it holds)
TEAMS = [
    ("MASH", "Front Door", ["child_in_need", "early_help"]),
    ("Child Assessment Team 1", "Assessment", ["child_in_need", "child_protection"]),
    ("Child Assessment Team 2", "Assessment", ["child_in_need", "child_protection"]),
    (
        "Strengthening Families North",
        "Strengthening Families",
        ["child_in_need", "child_protection"],
    ),
    (
        "Strengthening Families South",
        "Strengthening Families",
        ["child_in_need", "child_protection"],
    ),
    (
        "Strengthening Families East",
        "Strengthening Families",
        ["child_in_need", "child_protection"],
    ),
    (
        "Strengthening Families West",
        "Strengthening Families",
        ["child_in_need", "child_protection"],
    ),
    ("Strengthening Families Central", "Strengthening Families", ["child_protection"]),
    ("Children in Care 1", "Children and Young People in Care", ["child_in_care"]),
    ("Children in Care 2", "Children and Young People in Care", ["child_in_care"]),
    ("Children in Care 3", "Children and Young People in Care", ["child_in_care"]),
    ("Care Leavers 16+", "Care Leavers", ["care_leaver"]),
    ("Care Leavers 18-25", "Care Leavers", ["care_leaver"]),
    ("Early Intervention North", "Early Intervention", ["early_help"]),
    ("Early Intervention South", "Early Intervention", ["early_help"]),
    ("Intensive Family Support", "Specialist Support", ["child_in_need", "child_protection"]),
    ("Family Group Conferencing", "Specialist Support", ["child_in_need"]),
    ("Disabled Children's Team", "Disabled Children", ["disabled_children"]),
    ("Fostering", "Fostering", ["child_in_care"]),
    ("Adoption", "Adoption", ["adoption"]),
]
# Senior and QA staff outside the teams: (role, how many)
SENIOR = [
    (Role.DIRECTOR, 1),
    (Role.HEAD_OF_SERVICE, 4),
    (Role.PRINCIPAL_SOCIAL_WORKER, 1),
    (Role.SERVICE_MANAGER, 6),
    (Role.SENIOR_SOCIAL_WORK_MANAGER, 10),
    (Role.ADVANCED_PRACTITIONER, 4),
    (Role.IRO, 4),
]
WORKERS_PER_TEAM = 9
FIRST = [
    "Priya",
    "Carys",
    "Liam",
    "Yasmin",
    "Tom",
    "Agnieszka",
    "Ross",
    "Rukhsana",
    "Jade",
    "Ama",
    "Zoë",
    "Łukasz",
    "Amélie",
    "Siobhan",
    "Bilal",
    "Claire",
    "Kofi",
    "Gareth",
    "Mei",
    "Owen",
    "Jaspreet",
    "Tunde",
    "Rebecca",
    "Helen",
    "Daniel",
    "Samina",
    "Grace",
    "Emma",
    "Olivia",
    "Noah",
    "Oliver",
    "Amelia",
    "Isla",
    "Mohammed",
    "Fatima",
    "Chloe",
    "Ewan",
    "Niamh",
]
LAST = [
    "Patel",
    "Jones",
    "O'Connor",
    "Ali",
    "Smith",
    "Kowalska",
    "Campbell",
    "Begum",
    "Taylor",
    "Osei",
    "Brennan",
    "Nowak",
    "Dubois",
    "Walsh",
    "Ahmed",
    "Pearson",
    "Mensah",
    "Rees",
    "Lin",
    "Hughes",
    "Kaur",
    "Adeyemi",
    "Clarke",
    "Fraser",
    "Marsh",
    "Iqbal",
    "Okafor",
    "Williams",
    "Brown",
    "Davies",
    "Evans",
    "Wilson",
    "Thomas",
    "Roberts",
    "Khan",
    "Wright",
    "Green",
]


def cache_dir() -> Path:
    folder = Path(
        os.environ.get("AUDITOR_BENCH_CACHE", Path(tempfile.gettempdir()) / "auditor-bench-cache")
    )
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def realistic_db(
    audits: int, *, seed: int = 7, today: dt.date | None = None, folder: Path | None = None
) -> Path:
    """The path of a generated database with ``audits`` activities, built if not cached."""
    today = today or dt.date.today()
    folder = folder or cache_dir()
    path = folder / f"realistic-v{VERSION}-schema{HEAD}-s{seed}-{today:%Y%m}-{audits}.db"
    if path.exists():
        return path
    partial = path.with_suffix(".building")
    for leftover in folder.glob(partial.name + "*"):
        leftover.unlink()
    build(partial, audits, seed=seed, today=today)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    os.replace(partial, path)
    return path


def build(path: Path, audits: int, *, seed: int = 7, today: dt.date | None = None) -> None:
    services = open_services(path, create=True)
    rng = random.Random(seed)
    today = today or dt.date.today()
    try:
        with services.db.transaction() as s:
            org = _organisation(s, rng)
        maker = AuditMaker(org, rng, today, services.forms)
        for start in range(0, audits, CHUNK):
            rows = maker.make(start + 1, min(CHUNK, audits - start))
            with services.db.transaction() as s:
                for table, values in (
                    (DipSession, rows.sessions),
                    (Audit, rows.audits),
                    (Response, rows.responses),
                    (DomainGrade, rows.grades),
                    (FollowUpAction, rows.actions),
                ):
                    if values:
                        s.execute(insert(table), values)
        with services.db.transaction() as s:  # rows went in around the services: count them
            rebuild_agreement_counts(s)
        with services.db.engine.begin() as conn:
            conn.exec_driver_sql("ANALYZE")
    finally:
        services.close()


def _person(
    people: list[dict[str, Any]],
    roles: list[dict[str, Any]],
    rng: random.Random,
    role: Role,
    team: int | None,
    manager: int | None,
) -> int:
    pid = len(people) + 1
    prefix = {
        Role.SOCIAL_WORKER: "sw",
        Role.TEAM_MANAGER: "tm",
        Role.DIRECTOR: "dcs",
        Role.HEAD_OF_SERVICE: "hos",
        Role.PRINCIPAL_SOCIAL_WORKER: "psw",
        Role.SERVICE_MANAGER: "sm",
        Role.SENIOR_SOCIAL_WORK_MANAGER: "sswm",
        Role.ADVANCED_PRACTITIONER: "ap",
        Role.IRO: "iro",
    }[role]
    first, last = rng.choice(FIRST), rng.choice(LAST)
    username = f"{prefix}.{last.lower().replace(chr(39), '')}{pid}"
    people.append(
        dict(
            id=pid,
            username=username,
            name=f"{first} {last}",
            team_id=team,
            line_manager_id=manager,
            active=rng.random() > 0.03,
        )
    )
    roles.append(dict(person_id=pid, role=role.value))
    return pid


def _organisation(s: Any, rng: random.Random) -> Org:
    s.execute(
        insert(Team),
        [
            dict(id=i + 1, name=name, service=service)
            for i, (name, service, _types) in enumerate(TEAMS)
        ],
    )
    people: list[dict[str, Any]] = []
    roles: list[dict[str, Any]] = []
    org = Org()
    for role, count in SENIOR:
        for _ in range(count):
            boss = (
                None
                if role is Role.DIRECTOR
                else org.by_role[Role.DIRECTOR][0]
                if role in (Role.HEAD_OF_SERVICE, Role.PRINCIPAL_SOCIAL_WORKER)
                else rng.choice(org.by_role.get(Role.HEAD_OF_SERVICE, [1]))
            )
            org.by_role.setdefault(role, []).append(_person(people, roles, rng, role, None, boss))
    for team in range(1, TEAM_COUNT + 1):
        boss = rng.choice(org.by_role[Role.SENIOR_SOCIAL_WORK_MANAGER])
        manager = _person(people, roles, rng, Role.TEAM_MANAGER, team, boss)
        org.by_role.setdefault(Role.TEAM_MANAGER, []).append(manager)
        org.manager_of[manager] = boss
        org.team_workers[team] = []
        for _ in range(WORKERS_PER_TEAM + rng.randrange(-2, 3)):
            worker = _person(people, roles, rng, Role.SOCIAL_WORKER, team, manager)
            org.team_workers[team].append(worker)
            org.manager_of[worker] = manager
    s.execute(insert(Person), people)
    s.execute(insert(PersonRole), roles)
    org.cases = _cases(s, rng, org)
    return org


def _cases(s: Any, rng: random.Random, org: Org) -> list[tuple[int, str, int, int]]:
    rows, cases = [], []
    for i in range(CASE_COUNT):
        team = rng.randrange(1, TEAM_COUNT + 1)
        case_type = rng.choice(TEAMS[team - 1][2])
        worker = rng.choice(org.team_workers[team])
        rows.append(
            dict(
                id=i + 1,
                reference=f"CF-{10_000 + i}",
                case_type=case_type,
                team_id=team,
                worker_id=worker,
            )
        )
        cases.append((i + 1, case_type, team, worker))
    s.execute(insert(Case), rows)
    return cases


def counts(path: Path) -> dict[str, int]:
    services = open_services(path, daily_backup=False)
    try:
        with services.db.reading() as s:
            out = {
                t.__tablename__: s.scalar(select(func.count()).select_from(t)) or 0
                for t in (Team, Person, Case, Audit, Response, DomainGrade, FollowUpAction)
            }
            out.update(
                {
                    f"audits {state}": n
                    for state, n in s.execute(
                        select(Audit.state, func.count()).group_by(Audit.state)
                    )
                }
            )
            out["closed with a final grade"] = (
                s.scalar(
                    select(func.count()).where(
                        Audit.final_grade.in_([g.value for g in Grade]), Audit.state == "closed"
                    )
                )
                or 0
            )
            return out
    finally:
        services.close()


if __name__ == "__main__":
    import time

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000
    began = time.perf_counter()
    built = realistic_db(size)
    print(f"{built} ({time.perf_counter() - began:.1f} s)")
    for name, n in counts(built).items():
        print(f"  {name:<28} {n:>10,}")
