"""Two real processes importing the same file at once, while a third connection holds the write
lock so that both have checked for an earlier import before either can write: one batch, and the
other is told plainly that the rows are already there."""

import shutil
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.cli.conftest import make_psw

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = 5


def waiting_for_the_lock(process: subprocess.Popen) -> bool:
    """SQLite's busy handler sleeps between tries; nothing else in an import does."""
    try:
        return Path(f"/proc/{process.pid}/wchan").read_text() == "hrtimer_nanosleep"
    except OSError:
        return False


def wait_until(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    pause = threading.Event()
    while not predicate():
        assert time.monotonic() < deadline, "the importers never reached the lock"
        pause.wait(0.02)


def race_two(db: Path, command: list[str]) -> list[tuple[int, str, str]]:
    """(exit code, stdout, stderr) of two processes running ``command`` at once, both held at
    the write lock of ``db`` until both are waiting there."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    importers = [
        subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    try:
        wait_until(lambda: all(map(waiting_for_the_lock, importers)), timeout=60)
    finally:
        holder.execute("COMMIT")
        holder.close()
    return [(p.wait(timeout=120), *(s.decode() for s in p.communicate())) for p in importers]


@pytest.mark.skipif(not Path("/proc/self/wchan").exists(), reason="needs Linux's /proc")
@pytest.mark.parametrize("round_", range(ROUNDS))
def test_the_same_file_imported_twice_at_once_makes_one_batch(template_db, tmp_path, round_):
    db = tmp_path / "race.db"
    shutil.copy(template_db, db)
    source = tmp_path / "grades.csv"
    source.write_text(
        "date,activity,grade,team\n"
        + "".join(f"2019-05-{1 + i % 28:02d},audit,Good,Team {i}\n" for i in range(2000))
    )
    command = [sys.executable, "main.py", "--db", str(db), "--user", make_psw(db)]
    command += ["import-history", str(source)]
    results = race_two(db, command)
    codes = sorted(code for code, _, _ in results)
    assert codes == [0, 2], results
    [(_, _, refusal)] = [r for r in results if r[0] == 2]
    assert "These rows were already imported on" in refusal and "Nothing was imported" in refusal
    assert len(refusal.strip().splitlines()) == 1 and "Traceback" not in refusal
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM import_batch").fetchone() == (1,)
        assert conn.execute("SELECT count(*) FROM historic_grade").fetchone() == (2000,)
    conn.close()
