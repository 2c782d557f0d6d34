"""The damaged-database sweep: truncations, bit flips, foreign and newer files and values written
past the CHECK constraints, each met by a read and a write command of every family.

0 internal errors, 0 writes to a file that fails ``PRAGMA integrity_check``, 0 changes to a file
by a command that refused it, and no command succeeds on a damaged file. (Figures of the last
run are in the report of issue 10: 59 files x 15 commands, in about a minute.)
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.services.access.accounts import DEMO_PASSWORD
from tests.db.sweep import sweep

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def demo_password(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sweep's commands sign in to copies of the demo, whose people share its password."""
    monkeypatch.setenv("AUDITOR_PASSWORD", DEMO_PASSWORD)


def test_every_command_refuses_every_damaged_file_and_writes_to_none(demo_template, tmp_path):
    result = sweep(demo_template, tmp_path)
    assert result.runs > 800 and result.damaged_files >= 30
    assert result.internal_errors == []
    assert result.writes_to_damaged == []
    assert result.silent_reinits == []
    assert result.accepted_damaged == []
    assert result.codes[0] > 100  # the sound variants (a flip in free space...) still work


def _subprocess(db: Path, args: list[str]) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    return done.returncode, done.stderr


def test_the_same_as_real_processes_for_a_few_files(demo_template, tmp_path):
    only = {"truncated at 1", "header byte 18 flipped", "NUL in completion dates"}

    def run(db: Path, args: list[str]) -> tuple[int, str]:
        if args[0] not in ("summary", "teams", "init"):
            return 0, ""  # the in-process sweep covers the rest
        return _subprocess(db, args)

    result = sweep(demo_template, tmp_path, run, only)
    assert result.internal_errors == []
    assert result.writes_to_damaged == [] and result.silent_reinits == []
    assert result.codes[1] == 0 and result.codes[2] >= 4  # refused by real processes too
