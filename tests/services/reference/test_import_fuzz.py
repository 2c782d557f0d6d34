"""The import fuzzer: 1,000 seeded malformed or hostile CSV and XLSX files (``fuzz_cases``).

Each goes through the command line's own error translation in this process; the resource attacks
and a sample of the rest also go through a real process under a 1 GB address-space limit. For
every file: exit code 0 or 2 (never 1), a message under 2,000 characters, the database's rows
unchanged after a refusal (but for the sign-in's own record), and an accepted file refused when
imported a second time. Every import is made by a principal social worker, signed in.
"""

from __future__ import annotations

import contextlib
import resource
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

from auditor.cli import main
from tests.cli.conftest import PASSWORD, PSW, make_psw
from tests.db.damage import contents
from tests.services.reference.fuzz_cases import Case, cases

SEED = 20261202
COUNT = 1000
#: CPU seconds, not wall-clock: a loaded CI machine must not make a sound reader look slow.
SECONDS_PER_FILE = 20  # in this process; the slowest (a million empty cells) takes 3-6 s here
MEMORY_LIMIT = 1 << 30  # address space of a real process
OTHERS_IN_A_PROCESS = 6
ROOT = Path(__file__).resolve().parents[3]
CASES = cases(SEED, COUNT)


@pytest.fixture(autouse=True)
def importer(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """``PSW`` (may import history) with a sign-in; the command line (in this process or a child)
    signs them in with ``$AUDITOR_PASSWORD``."""
    monkeypatch.setenv("AUDITOR_PASSWORD", PASSWORD)
    return make_psw(db_path)


def database_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row but those signing in writes (the account's last sign-in, the access log)."""
    return contents(db)


def settle(db: Path) -> None:
    """Move what an import committed from the write-ahead log into the file, as closing the last
    connection may do at any later open (the rows are compared, so this only keeps the log
    short)."""
    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def run_in_process(db: Path, path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = main(["--db", str(db), "--user", PSW, "import-history", str(path)])
    captured = capsys.readouterr()
    return code, captured.err


def check(code: int, err: str, kind: str) -> None:
    assert code in (0, 2), (kind, err)
    assert len(err) < 2000, (kind, len(err))
    assert "Traceback" not in err and "should not have" not in err, (kind, err)


@pytest.mark.timeout(900)  # about two minutes on a loaded 2-core machine
def test_a_thousand_hostile_files_are_refused_plainly_and_change_nothing(db_path, tmp_path, capsys):
    outcomes: Counter[str] = Counter()
    slowest = 0.0
    for case in CASES:
        path = tmp_path / case.name
        path.write_bytes(case.data)
        before = database_rows(db_path)
        started = time.process_time()  # the work done, whatever else the machine is running
        code, err = run_in_process(db_path, path, capsys)
        took = time.process_time() - started
        slowest = max(slowest, took)
        check(code, err, case.kind)
        assert took < SECONDS_PER_FILE, (case.kind, took)
        if code == 2:
            assert database_rows(db_path) == before, case.kind
            outcomes["refused"] += 1
        else:
            outcomes["imported"] += 1
            settle(db_path)
            again_before = database_rows(db_path)
            code, err = run_in_process(db_path, path, capsys)
            assert code == 2 and "already imported" in err, (case.kind, err)
            assert database_rows(db_path) == again_before
            settle(db_path)
        path.unlink()
    print(
        f"\nimport fuzzer: {len(CASES)} files ({sum('xlsx' in c.kind for c in CASES)} xlsx), "
        f"{outcomes['imported']} imported, {outcomes['refused']} refused, 0 exit 1; "
        f"slowest {slowest:.2f} s"
    )
    assert outcomes["imported"] > 20 and outcomes["refused"] > 500  # the mix is really mixed


def _limits() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def _sample() -> list[Case]:
    """One of each kind of resource attack, and a spread of the rest."""
    by_kind: dict[str, list[Case]] = {}
    for case in CASES:
        if case.hostile:
            by_kind.setdefault(case.kind.rpartition(": ")[2].split(", ")[-1], []).append(case)
    hostile = [group[0] for group in by_kind.values()]
    rest = [c for c in CASES if not c.hostile]
    return hostile + rest[:: len(rest) // OTHERS_IN_A_PROCESS][:OTHERS_IN_A_PROCESS]


#: The command line, then the process's own high-water mark of resident memory (VmHWM: of this
#: program only, unlike the rusage of a child forked from a large test process).
IMPORT_THEN_REPORT = """
import re, sys
from pathlib import Path
from auditor.cli import main
code = main(sys.argv[1:], log_to_file=True)
status = Path("/proc/self/status").read_text()
print(int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) // 1024)
sys.exit(code)
"""


def run_limited(db: Path, path: Path) -> tuple[int, str, int]:
    """Exit code, stderr and the largest resident set (MB) of an import in a real process with
    at most ``MEMORY_LIMIT`` of address space; killed after a minute."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            IMPORT_THEN_REPORT,
            "--db",
            str(db),
            "--user",
            PSW,
            "import-history",
            str(path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=_limits,
    )
    return done.returncode, done.stderr, int(done.stdout.strip().splitlines()[-1])


@pytest.mark.timeout(600)
def test_hostile_files_stay_within_memory_and_time_in_a_real_process(db_path, tmp_path):
    sample = _sample()
    assert len([c for c in sample if c.hostile]) >= 10
    slowest = largest = 0.0
    for case in sample:
        path = tmp_path / case.name
        path.write_bytes(case.data)
        before = database_rows(db_path)
        started = children_cpu()
        code, err, resident = run_limited(db_path, path)
        took = children_cpu() - started
        slowest, largest = max(slowest, took), max(largest, resident)
        check(code, err, case.kind)
        assert took < 30, (case.kind, took)
        assert resident < 400, (case.kind, resident)
        if code == 2:
            assert database_rows(db_path) == before, case.kind
    print(
        f"\nin real processes under a 1 GB limit: {len(sample)} files, slowest {slowest:.2f} s, "
        f"largest resident set {largest:.0f} MB"
    )


def children_cpu() -> float:
    """CPU seconds used so far by the finished child processes of this one."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime
