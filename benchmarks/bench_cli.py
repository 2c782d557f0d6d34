"""Command-line start-up: whole processes, each printed beside a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_cli.py [--runs N]

Each figure is the median wall time of N new processes, run in turn with its baseline (A B A B …)
so that both see the same machine; the ratio is the median of the pairs' ratios.
- ``main.py --help`` and a usage mistake vs ``python -c pass`` (target: under 0.15 s): building the
  parser loads no services, database layer, forms or report writers;
- ``main.py --db demo.db summary --user hos.marsh`` (signed in, the password in
  ``$AUDITOR_PASSWORD``) on the demo organisation vs ``python -c "import sqlite3"``
  (target: under 0.3 s, set before commands signed in), and vs ``python -c "import sqlalchemy.orm"``,
  the floor of any command that reads the database through the ORM. The figure includes checking
  the password (argon2id at the production cost, by design a good part of a second on this machine;
  ``bench_password.py`` measures that share on its own);
- ``main.py forms template case_file_audit`` (reads one form file, no database) vs ``python -c pass``.
Our modules are byte-compiled first, as ``scripts/dev`` does: with PYTHONDONTWRITEBYTECODE set,
Python would otherwise compile them again at every start.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import report

from auditor.services.access.accounts import DEMO_PASSWORD

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
#: Who signs in for the commands that open the database (a head of service may run the summary).
USER = "hos.marsh"


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def paired(a: list[str], b: list[str], runs: int) -> tuple[float, float, float]:
    """Medians of A and of B, and the median of A/B pair by pair (after one warm-up each)."""
    wall(a), wall(b)
    times = [(wall(a), wall(b)) for _ in range(runs)]
    return (
        statistics.median(t for t, _ in times),
        statistics.median(t for _, t in times),
        statistics.median(x / y for x, y in times),
    )


def line(name: str, a: list[str], base_name: str, b: list[str], runs: int, target: str) -> None:
    seconds, baseline, ratio = paired(a, b, runs)
    report(name, seconds, base_name, baseline, target)
    print(f"{'':<44} median of pair ratios {ratio:5.2f}x")


def modules_loaded(args: list[str]) -> int:
    code = (
        "import contextlib, io, sys, main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):\n"
        "    main.run(sys.argv[1:])\n"
        "print(len(sys.modules))"
    )
    out = subprocess.run(
        [PY, "-c", code, *args], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    return int(out.split()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    subprocess.run(
        [PY, "-m", "compileall", "-q", "auditor", "db", "forms", "main.py"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    folder = Path(tempfile.mkdtemp(prefix="auditor-cli-bench-"))
    os.environ["XDG_STATE_HOME"] = str(folder)  # the commands' log goes there, not to your profile
    os.environ["AUDITOR_PASSWORD"] = DEMO_PASSWORD  # every child process signs in with it
    demo = folder / "demo.db"
    subprocess.run(
        [PY, "main.py", "--db", str(demo), "init", "--demo"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    cli = [PY, "main.py"]
    bare, sqlite, orm = (
        [PY, "-c", "pass"],
        [PY, "-c", "import sqlite3"],
        [PY, "-c", "import sqlalchemy.orm"],
    )
    print(
        f"Python {sys.version.split()[0]}, {runs} runs per figure; modules loaded by --help: "
        f"{modules_loaded(['--help'])}, by summary: "
        f"{modules_loaded(['--db', str(demo), 'summary', '--user', USER])}"
    )
    line("main.py --help", [*cli, "--help"], "python -c pass", bare, runs, "under 0.15 s")
    line(
        "main.py audit list --grade zzz (refused)",
        [*cli, "audit", "list", "--grade", "zzz"],
        "python -c pass",
        bare,
        runs,
        "under 0.15 s",
    )
    summary = [*cli, "--db", str(demo), "summary", "--user", USER]
    # The timings hide the commands' output and exit status: make sure the sign-in works first.
    subprocess.run(summary, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    line("main.py --db demo.db summary", summary, "import sqlite3", sqlite, runs, "under 0.3 s")
    line(
        "main.py --db demo.db summary",
        summary,
        "import sqlalchemy.orm",
        orm,
        runs,
        "the ORM's floor",
    )
    line(
        "main.py forms template case_file_audit",
        [*cli, "forms", "template", "case_file_audit"],
        "python -c pass",
        bare,
        runs,
        "-",
    )


if __name__ == "__main__":
    main()
