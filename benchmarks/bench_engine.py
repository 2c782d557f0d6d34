"""Audit engine benchmarks: the summary over 50,000 completed audits, and importing 10,000 rows.

    ./scripts/dev bench        (or: .venv/bin/python benchmarks/bench_engine.py [--audits N])

Each figure is a median, printed beside a baseline measured in the same run on the same data:
- summary: `Services.summary.by_financial_year(who=…)` for a head of service (who may run it and
  reads every team) vs one raw SQL GROUP BY over the audit table through sqlite3 (targets: under
  0.3 s, within 3x of the raw query);
- import-history: the whole validated import of a 10,000-row CSV, by an advanced practitioner (who
  may import history), vs reading that CSV with pandas and inserting its rows with sqlite3's
  executemany, no checks (target: under 3 s).
Each database is set up by its first administrator, made untimed before anything else.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sqlite3
import tempfile
import time
from pathlib import Path

import pandas as pd
from common import median_seconds, report
from sqlalchemy import insert, select

from auditor.domain.grades import Grade
from auditor.domain.permissions import Principal
from auditor.domain.reference import Role
from auditor.services import Services, open_services
from auditor.services.access.accounts import DEMO_PASSWORD
from db.models import Audit, Case, DomainGrade, Person, Response, Team

DOMAINS = [
    "child_voice",
    "assessment",
    "planning",
    "management_oversight",
    "multi_agency",
    "direct_work",
    "identity",
    "recording",
]
GRADES = [g.value for g in Grade]


def first_administrator(services: Services) -> Principal:
    """The new database's administrator, who adds everyone else."""
    return services.setup.create_first_administrator(
        "admin", "Benchmark Administrator", [], password=DEMO_PASSWORD
    )


def build(path: Path, audits: int) -> None:
    services = open_services(path, create=True)
    admin = first_administrator(services)
    services.directory.add_team("North", who=admin)
    services.directory.add_person("tm", "Team Manager", [Role.TEAM_MANAGER], "North", who=admin)
    services.directory.add_person("hos", "Head of Service", [Role.HEAD_OF_SERVICE], who=admin)
    services.directory.add_person(
        "sw", "Social Worker", [Role.SOCIAL_WORKER], "North", "tm", who=admin
    )
    services.directory.add_case("CF-1", "child_in_need", "North", "sw", who=admin)
    rng = random.Random(7)
    start = dt.date(2019, 4, 1)
    now = dt.datetime(2024, 1, 1)
    with services.db.transaction() as s:
        ids = {p.username: p.id for p in s.scalars(select(Person))}
        tm, hos, sw = ids["tm"], ids["hos"], ids["sw"]
        team_id = s.scalar(select(Team.id).where(Team.name == "North"))
        case_id = s.scalar(select(Case.id).where(Case.reference == "CF-1"))
        rows = []
        for i in range(audits):
            day = start + dt.timedelta(days=rng.randrange(5 * 365))
            rows.append(
                dict(
                    id=i + 1,
                    kind="case_file_audit",
                    state="closed",
                    case_id=case_id,
                    case_type="child_in_need",
                    team_id=team_id,
                    worker_id=sw,
                    worker_line_manager_id=tm,
                    first_auditor_id=tm,
                    second_auditor_id=hos,
                    form_id="case_file_audit",
                    form_version=1,
                    blind=True,
                    theme="",
                    created_by_id=tm,
                    created_at=now,
                    final_grade=rng.choice(GRADES),
                    completed_on=day,
                    cancelled_reason="",
                    self_review_waived_reason="",
                )
            )
        s.execute(insert(Audit), rows)
        responses, grades = [], []
        for i in range(audits):
            for part, offset in (("first_audit", 0), ("second_audit", audits)):
                rid = i + 1 + offset
                responses.append(
                    dict(
                        id=rid,
                        audit_id=i + 1,
                        part=part,
                        form_id="case_file_audit",
                        form_version=1,
                        author_id=tm if offset == 0 else hos,
                        status="submitted",
                        overall_grade=rows[i]["final_grade"],
                        overall_rationale="",
                        created_at=now,
                        updated_at=now,
                        submitted_at=now,
                    )
                )
                grades += [
                    dict(
                        response_id=rid,
                        domain_id=d,
                        grade=rng.choice(GRADES),
                        rationale="Evidence on file.",
                    )
                    for d in DOMAINS
                ]
        s.execute(insert(Response), responses)
        s.execute(insert(DomainGrade), grades)
    services.close()


def raw_group_by(path: Path) -> list:
    with sqlite3.connect(path) as conn:
        return conn.execute(
            "SELECT substr(completed_on, 1, 7), kind, final_grade, count(*) FROM audit "
            "WHERE state = 'closed' GROUP BY 1, 2, 3"
        ).fetchall()


def write_history(path: Path, rows: int) -> None:
    rng = random.Random(3)
    start = dt.date(2016, 4, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("date,activity,grade,team,case_ref,auditor,theme\n")
        for i in range(rows):
            day = start + dt.timedelta(days=rng.randrange(2500))
            out.write(
                f"{day:%d/%m/%Y},{rng.choice(['audit', 'observation', 'dip'])},"
                f"{rng.choice(['Good', 'RI', 'Inadequate', 'outstanding'])},North,"
                f"CF-{i},A. Auditor,neglect\n"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--audits", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="auditor-bench-"))

    path = folder / "big.db"
    began = time.perf_counter()
    build(path, args.audits)
    print(
        f"Built {args.audits:,} closed audits with {args.audits * 2 * len(DOMAINS):,} domain "
        f"grades in {time.perf_counter() - began:.1f} s ({path.stat().st_size / 1e6:.0f} MB)"
    )
    services = open_services(path, daily_backup=False)
    hos = services.accounts.principal_of("hos")
    rows = services.summary.by_financial_year(who=hos)
    assert sum(r.counts.total for r in rows) == args.audits
    summary = median_seconds(lambda: services.summary.by_financial_year(who=hos), args.runs)
    raw = median_seconds(lambda: raw_group_by(path), args.runs)
    report(f"summary of {args.audits:,} audits", summary, "raw GROUP BY", raw, "< 300 ms, < 3x")
    services.close()

    source = folder / "history.csv"
    write_history(source, 10_000)
    target = folder / "import.db"
    setup = open_services(target, create=True)
    admin = first_administrator(setup)
    setup.directory.add_person(
        "ap", "Advanced Practitioner", [Role.ADVANCED_PRACTITIONER], who=admin
    )
    importer = setup.accounts.principal_of("ap")  # the same in every copy of the template
    setup.close()
    template = target.read_bytes()

    def fresh() -> None:
        target.write_bytes(template)
        for suffix in ("-wal", "-shm"):
            Path(str(target) + suffix).unlink(missing_ok=True)

    def import_it() -> None:
        svc = open_services(target, daily_backup=False)
        svc.history.import_file(source, who=importer)
        svc.close()

    raw_target = folder / "raw.db"

    def raw_import() -> None:
        frame = pd.read_csv(source, dtype=str)
        with sqlite3.connect(raw_target) as conn:
            conn.execute("CREATE TABLE IF NOT EXISTS raw (d, a, g, t, c, au, th)")
            conn.executemany(
                "INSERT INTO raw VALUES (?, ?, ?, ?, ?, ?, ?)", frame.itertuples(index=False)
            )

    imported = median_seconds(import_it, 5, setup=fresh)
    baseline = median_seconds(raw_import, 5, setup=lambda: raw_target.unlink(missing_ok=True))
    report("import-history of 10,000 rows", imported, "pandas + executemany", baseline, "< 3 s")


if __name__ == "__main__":
    main()
