"""Check-then-act races, run as they happen: two real `main.py` processes doing the same thing
while a third writer holds the database's write lock. Each round exactly one wins; the other is
refused (exit 2) in the rule's own words, and the database holds what the rule allows."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import fill, run_to, who

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5

#: The real command line, plus one line on stdout once it has signed in (then it waits for a line on
#: stdin: signing in writes the access log, so it must be done before the lock is held), and one
#: the moment the process is about to write (its first BEGIN, INSERT, UPDATE or DELETE after
#: signing in): by then it has read everything its rules check, and the lock holder knows both
#: racers are at the door.
RACER = """
import sys
from sqlalchemy import Engine, event

import auditor.cli.common as common

told, armed = [], []

@event.listens_for(Engine, "before_cursor_execute")
def _about_to_write(conn, cursor, statement, *args):
    if armed and not told and statement.lstrip().split(None, 1)[0].upper() in (
        "BEGIN", "INSERT", "UPDATE", "DELETE"
    ):
        told.append(statement)
        print("writing", flush=True)

_sign_in = common.sign_in

def _signed_in(*args, **kwargs):
    principal = _sign_in(*args, **kwargs)
    print("signed in", flush=True)
    sys.stdin.readline()
    armed.append(True)
    return principal

common.sign_in = _signed_in

from auditor.cli import main
sys.exit(main(sys.argv[1:]))
"""


def race(db: Path, *commands: list[str]) -> list[tuple[int, str]]:
    """Run the commands at once while another writer holds the lock; release it only when every
    racer has read what it checks and is about to write. Returns (exit code, stderr) each."""
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, "--db", str(db), *args],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for args in commands
    ]
    for racer in racers:
        assert racer.stdout is not None
        assert racer.stdout.readline().strip() == "signed in", racer.communicate()
    holder = sqlite3.connect(db, isolation_level=None, timeout=10)
    holder.execute("BEGIN IMMEDIATE")
    try:
        for racer in racers:
            assert racer.stdin is not None and racer.stdout is not None
            racer.stdin.write("go\n")
            racer.stdin.flush()
        for racer in racers:
            assert racer.stdout is not None
            assert racer.stdout.readline().strip() == "writing", racer.communicate()
    finally:
        holder.execute("COMMIT")
        holder.close()
    results = []
    for racer in racers:
        _out, err = racer.communicate(timeout=60)
        results.append((racer.returncode, err))
    return results


def one_winner(results: list[tuple[int, str]], refusal: str) -> str:
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    [loser] = [err for code, err in results if code == 2]
    assert refusal in loser and "constraint" not in loser.lower(), loser
    assert "Traceback" not in loser and loser.count("\n") == 1, loser
    return loser


def scalar(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        value = conn.execute(sql).fetchone()[0]
    conn.close()
    return int(value)


@pytest.fixture
def prepared(services, org, db_path, tmp_path):
    """A copy of a database per round, made from ``db_path`` as the test left it."""

    def copy(n: int) -> Path:
        services.close()
        target = tmp_path / f"round{n}.db"
        shutil.copy(db_path, target)
        return target

    return copy


def test_two_starts_of_the_same_case_leave_one_audit_under_way(prepared, services, org):
    # Another case's audit first: the form is then in use, so a start's first write is the
    # audit itself, after its check (as in everyday use, not only on a brand-new database).
    services.audits.start(org.cic_case, by=who(services, org.manager))
    for n in range(ROUNDS):
        db = prepared(n)
        start = ["audit", "start", org.case, "--user", org.manager]
        results = race(db, start, start)
        one_winner(results, f"Case {org.case} already has an audit under way")
        open_of_case = (
            "SELECT count(*) FROM audit a JOIN case_file c ON c.id = a.case_id "
            f"WHERE c.reference = '{org.case}' AND a.state NOT IN ('closed', 'cancelled')"
        )
        assert scalar(db, open_of_case) == 1
        assert scalar(db, "SELECT count(*) FROM audit_event WHERE event = 'started'") == 2


def test_two_seniors_taking_the_same_second_audit_leave_one_taker(
    prepared, services, org, tmp_path
):
    audit_id = run_to(services, org, "second_audit")
    answers = tmp_path / "second.json"
    answers.write_text(json.dumps(fill(services.forms.latest("case_file_audit"))), "utf-8")
    for n in range(ROUNDS):
        db = prepared(n)
        take = ["audit", "draft", str(audit_id), "--part", "second_audit", "--answers"]
        results = race(
            db, [*take, str(answers), "--user", org.senior], [*take, str(answers), "--user", org.qa]
        )
        loser = one_winner(results, "The second audit of this case is assigned to")
        [winner] = [name for name in ("Eve Head", "Fay Quality") if name in loser]
        assert scalar(db, "SELECT count(*) FROM response WHERE part = 'second_audit'") == 1
        assert (
            scalar(
                db,
                f"SELECT p.name = '{winner}' FROM audit a JOIN person p "
                f"ON p.id = a.second_auditor_id WHERE a.id = {audit_id}",
            )
            == 1
        )
        assert (
            scalar(
                db,
                "SELECT count(*) FROM audit a JOIN response r ON r.audit_id = a.id "
                f"WHERE a.id = {audit_id} AND r.part = 'second_audit' "
                "AND r.author_id = a.second_auditor_id",
            )
            == 1
        )
