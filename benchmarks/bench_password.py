"""What signing in costs: argon2id verification at the production parameters, against a whole
command-line process.

    .venv/bin/python benchmarks/bench_password.py [--runs N]

- ``verify``: the median of N ``PasswordHasher.verify`` calls with ``default_hasher()`` (argon2id,
  64 MiB, three passes, four lanes), in this process;
- ``main.py --db demo.db summary --user hos.marsh`` (signs in, then the grade summary) against
  ``main.py --help`` (no sign-in, no database), as new processes run in turn (A B A B …);
- the share of the signed-in command's wall time that is the password check.
Each figure is a median; the ratios are of medians measured in the same run.
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

from common import median_seconds, report

from auditor.services.access.accounts import DEMO_PASSWORD, default_hasher

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def wall(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs

    hasher = default_hasher()
    hashed = hasher.hash(DEMO_PASSWORD)
    hasher.verify(hashed, DEMO_PASSWORD)  # warm-up
    verify = median_seconds(lambda: hasher.verify(hashed, DEMO_PASSWORD), runs)
    print(
        f"argon2id: m={hasher.memory_cost // 1024} MiB, t={hasher.time_cost}, "
        f"p={hasher.parallelism}; {runs} runs per figure"
    )
    report("argon2 verify (in process)", verify, "-", verify, "-")

    subprocess.run(
        [PY, "-m", "compileall", "-q", "auditor", "db", "forms", "main.py"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    folder = Path(tempfile.mkdtemp(prefix="auditor-password-bench-"))
    os.environ["XDG_STATE_HOME"] = str(folder)  # the commands' log goes there, not your profile
    demo = folder / "demo.db"
    subprocess.run(
        [PY, "main.py", "--db", str(demo), "init", "--demo"],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    os.environ["AUDITOR_PASSWORD"] = DEMO_PASSWORD
    signed = [PY, "main.py", "--db", str(demo), "summary", "--user", "hos.marsh"]
    check = subprocess.run(signed, cwd=ROOT, capture_output=True, text=True, check=False)
    if check.returncode != 0:
        raise SystemExit(f"the signed-in command failed: {check.stderr.strip()}")
    bare = [PY, "main.py", "--help"]
    wall(signed), wall(bare)
    pairs = [(wall(signed), wall(bare)) for _ in range(runs)]
    command = statistics.median(a for a, _ in pairs)
    help_ = statistics.median(b for _, b in pairs)
    report("main.py --db demo.db summary --user …", command, "main.py --help", help_, "-")
    print(
        f"{'argon2 verify / signed-in summary':<44} {verify / command:6.1%} of the command's "
        f"wall time ({verify * 1000:.0f} ms of {command * 1000:.0f} ms)"
    )


if __name__ == "__main__":
    main()
