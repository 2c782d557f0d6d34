"""Bulk import of reference data: 5,000 people and 50,000 cases from CSV.

    .venv/bin/python benchmarks/bench_directory_import.py [--people N] [--cases N] [--runs R]

Each figure is the median of ``--runs`` whole validated imports (``people import``, ``cases
import`` as the service runs them: read, every rule checked, stored in one transaction), each into
a fresh copy of a database holding what the import needs (50 teams; then the people). Beside it:
- the same rows added with ``DirectoryService.add_person`` / ``add_case`` one by one inside one
  transaction (``Database.all_or_nothing``): what a script would do without the import; for the
  cases timed on ``--sample`` rows and scaled to the whole, as the cost per row is flat;
- the same rows inserted with sqlite3's executemany and no checks at all: the floor.
Targets: people under 5 s, cases under 20 s on the project's 2-core machine. Everything is done as
the database's first administrator (made untimed at the start), who may import and manage people and
cases; the permission check each call makes is part of the figures.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

from common import median_seconds, report

from auditor.domain.permissions import Principal
from auditor.domain.reference import CASE_TYPES, Role
from auditor.services import open_services
from auditor.services.access.accounts import DEMO_PASSWORD

TEAMS = 50
PER_MANAGER = 10
ADMIN = "admin"


def team(i: int) -> str:
    return f"Team {i % TEAMS:02d}"


def write_files(folder: Path, people: int, cases: int) -> tuple[Path, Path, Path]:
    """Workers listed before their managers, so every line manager is found further down."""
    rng = random.Random(11)
    teams = folder / "teams.csv"
    teams.write_text(
        "name,service\n" + "".join(f"{team(i)},Service {i % 7}\n" for i in range(TEAMS))
    )
    managers = people // PER_MANAGER
    lines = ["username,name,roles,team,line manager"]
    for i in range(people - managers):
        lines.append(f"sw{i},Worker {i},Social worker,{team(i % managers)},tm{i % managers}")
    for m in range(managers):
        lines.append(f"tm{m},Manager {m},team_manager; senior social work manager,{team(m)},")
    staff = folder / "people.csv"
    staff.write_text("\n".join(lines) + "\n")
    types = list(CASE_TYPES)
    workers = people - managers
    rows = ["reference,case type,team,worker,tags"]
    for n in range(cases):
        w = rng.randrange(workers)
        tags = "neglect; domestic_abuse" if n % 5 == 0 else ""
        rows.append(f"CF-{n + 1:06d},{types[n % len(types)]},{team(w % managers)},sw{w},{tags}")
    case_file = folder / "cases.csv"
    case_file.write_text("\n".join(rows) + "\n")
    return teams, staff, case_file


def read_csv(path: Path) -> list[list[str]]:
    return [line.split(",") for line in path.read_text().splitlines()[1:]]


def add_people_one_by_one(db: Path, staff: Path, who: Principal) -> float:
    services = open_services(db, daily_backup=False)
    rows = read_csv(staff)
    start = time.perf_counter()
    with services.db.all_or_nothing() as joined:
        directory = type(services.directory)(joined)
        # managers first: add_person needs the line manager to exist
        for username, name, roles, team_name, manager in sorted(rows, key=lambda r: bool(r[4])):
            parsed = [Role.parse(r) for r in roles.split(";")]
            directory.add_person(username, name, parsed, team_name, manager or None, who=who)
    seconds = time.perf_counter() - start
    services.close()
    return seconds


def add_cases_one_by_one(db: Path, cases: Path, sample: int, who: Principal) -> float:
    services = open_services(db, daily_backup=False)
    rows = read_csv(cases)
    start = time.perf_counter()
    with services.db.all_or_nothing() as joined:
        directory = type(services.directory)(joined)
        for reference, case_type, team_name, worker, _tags in rows[:sample]:
            directory.add_case(reference, case_type, team_name, worker, who=who)
    seconds = time.perf_counter() - start
    services.close()
    return seconds * len(rows) / sample


def raw_insert(db: Path, table: str, rows: list[dict[str, object]]) -> float:
    """The floor: the same rows written by sqlite3 with no checks."""
    start = time.perf_counter()
    con = sqlite3.connect(db)
    with con:
        columns = list(rows[0])
        con.executemany(
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
            [tuple(r.values()) for r in rows],
        )
    con.close()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=5_000)
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sample", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        teams, staff, cases = write_files(folder, args.people, args.cases)
        with_teams, with_people, work = folder / "teams.db", folder / "people.db", folder / "w.db"
        services = open_services(with_teams, create=True, daily_backup=False)
        # every copy below holds this administrator, with the same id: one principal serves all
        admin = services.setup.create_first_administrator(
            ADMIN, "Benchmark Administrator", [], password=DEMO_PASSWORD
        )
        services.directory_import.import_teams(teams, who=admin)
        services.close()
        shutil.copy(with_teams, with_people)
        services = open_services(with_people, daily_backup=False)
        services.directory_import.import_people(staff, who=admin)
        services.close()

        def fresh(source: Path) -> None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{work}{suffix}").unlink(missing_ok=True)
            shutil.copy(source, work)

        def run(kind: str, path: Path) -> None:
            svc = open_services(work, daily_backup=False)
            added = getattr(svc.directory_import, f"import_{kind}")(path, who=admin).added
            svc.close()
            assert added == (args.people if kind == "people" else args.cases), added

        people_s = median_seconds(
            lambda: run("people", staff), args.runs, lambda: fresh(with_teams)
        )
        fresh(with_teams)
        one_by_one_people = add_people_one_by_one(work, staff, admin)
        fresh(with_teams)
        floor_people = raw_insert(
            work,
            "person",
            [{"username": r[0], "name": r[1], "active": 1} for r in read_csv(staff)],
        )
        cases_s = median_seconds(lambda: run("cases", cases), args.runs, lambda: fresh(with_people))
        fresh(with_people)
        one_by_one_cases = add_cases_one_by_one(work, cases, min(args.sample, args.cases), admin)
        fresh(with_people)
        floor_cases = raw_insert(
            work,
            "case_file",
            [
                {"reference": r[0], "case_type": r[1], "team_id": 1, "worker_id": None}
                for r in read_csv(cases)
            ],
        )
    print(f"people: {args.people:,} (with roles and line managers), cases: {args.cases:,}")
    report(
        f"people import ({args.people:,})", people_s, "add_person x N", one_by_one_people, "< 5 s"
    )
    report(f"people import ({args.people:,})", people_s, "raw insert", floor_people, "< 5 s")
    report(f"cases import ({args.cases:,})", cases_s, "add_case x N*", one_by_one_cases, "< 20 s")
    report(f"cases import ({args.cases:,})", cases_s, "raw insert", floor_cases, "< 20 s")
    print(f"* add_case timed on {min(args.sample, args.cases):,} rows and scaled to the whole")


if __name__ == "__main__":
    main()
