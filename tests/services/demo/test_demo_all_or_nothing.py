"""`init --demo` is all or nothing: stopped at any moment, the database is either as empty as
before (and building again succeeds) or holds the whole demo organisation."""

from __future__ import annotations

import random
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from auditor.services.demo.build import DEMO_ADMIN, build_demo

ROOT = Path(__file__).resolve().parents[3]
TABLES = (
    "team",
    "person",
    "case_file",
    "audit",
    "response",
    "answer",
    "domain_grade",
    "follow_up_action",
    "reconciliation_note",
    "audit_event",
    "finding",
    "practice_week",
    "allocation",
    "dip_session",
    "case_tag",
    "agreement_cell",
)
KILLS = 10


def counts(path: Path) -> dict[str, int]:
    """Rows per table; {} when there is no database (yet) or no tables in it."""
    if not path.exists():
        return {}
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        result = (  # killed while migrating: some tables are there, not all
            {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
            if set(TABLES) <= tables
            else {}
        )
    conn.close()
    return result


def is_empty(found: dict[str, int]) -> bool:
    return not found or not any(found.values())


def init_demo(path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "main.py", "--db", str(path), "init", "--demo"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> str:
    out, err = process.communicate(timeout=240)
    assert process.returncode == 0, err
    return out


def test_a_demo_stopped_part_way_leaves_nothing_and_can_be_built_again(services):
    class Stop(Exception):
        pass

    def stop_at_audit_5(step: str) -> None:
        if step.startswith("audit 5 "):
            raise Stop

    with pytest.raises(Stop):
        build_demo(services, progress=stop_at_audit_5)
    assert services.is_empty() and not services.accounts.any_accounts()
    made = build_demo(services)
    admin = services.accounts.principal_of(DEMO_ADMIN)
    assert made["people"] == len(services.directory.people(who=admin)) > 0


def test_a_second_demo_is_refused_inside_the_same_transaction(services):
    build_demo(services)
    before = counts(services.path)
    with pytest.raises(Exception, match="already holds data"):
        build_demo(services)
    assert counts(services.path) == before


@pytest.mark.timeout(900)
def test_init_demo_killed_at_random_moments_is_empty_or_complete(tmp_path):
    reference = tmp_path / "whole.db"
    began = time.monotonic()
    finish(init_demo(reference))
    whole = counts(reference)
    took = time.monotonic() - began
    assert whole["audit"] > 50 and whole["finding"] > 0
    rng = random.Random(20)
    outcomes = []
    for trial in range(KILLS):
        path = tmp_path / f"killed{trial}.db"
        process = init_demo(path)
        try:
            process.wait(timeout=rng.uniform(0.2, took * 0.8))  # a kill at a random moment
        except subprocess.TimeoutExpired:
            process.kill()
        process.communicate()
        found = counts(path)
        if is_empty(found):
            outcomes.append("empty")
            assert "Demo organisation created" in finish(init_demo(path))  # and then succeeds
            assert counts(path) == whole
        else:
            outcomes.append("complete")
            assert found == whole, f"trial {trial}: half-built"
    print(f"init --demo killed {KILLS} times after up to {took * 0.8:.1f} s: {outcomes}")
    assert "empty" in outcomes, outcomes
