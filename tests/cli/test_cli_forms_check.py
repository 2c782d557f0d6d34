"""``forms check``: every file with every mistake, and the database's released versions; exit 2
if anything is wrong, "OK" per file otherwise. A broken form stops no other command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli import main
from forms import FORMS_DIR, FORMS_ENV
from tests.builders import ADMIN, ADMIN_PASSWORD, build_org, who
from tests.cli.conftest import PASSWORD
from tests.form_files import copy_forms, opened, record_observation, write_audit_v2

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted(p.name for p in FORMS_DIR.glob("*.yaml"))


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """A copy of the shipped forms, used by every command of the test (in-process and not)."""
    folder = copy_forms(tmp_path / "forms")
    monkeypatch.setenv(FORMS_ENV, str(folder))
    return folder


@pytest.fixture
def used_db(db_path, folder):
    """A database with an audit and an observation made with the folder's forms."""
    with opened(db_path, folder) as services:
        org = build_org(services)
        services.audits.start(org.case, by=who(services, org.manager))
        record_observation(services, org)
        services.accounts.change_password(who(services, ADMIN), ADMIN_PASSWORD, PASSWORD)
        services.accounts.give_everyone(PASSWORD)
    return db_path


def break_folder(folder: Path) -> None:
    write_audit_v2(
        folder,
        ("- id: planning", "- id: child_voice"),
        ("visible_if: {field: child_seen_alone,", "visible_if: {field: child_seen_alone_note,"),
    )
    (folder / "broken.v1.yaml").write_text("id: broken\n  bad: [indent\n", encoding="utf-8")
    shutil.copy(folder / "self_review.v1.yaml", folder / "self_review.yml")
    (folder / "practice_observation.v1.yaml").unlink()  # released: the observation used it


def test_forms_check_in_a_real_process_lists_every_file_and_every_mistake(used_db, folder):
    break_folder(folder)
    env = dict(os.environ, **{FORMS_ENV: str(folder)})
    run = subprocess.run(
        [sys.executable, "main.py", "--db", str(used_db), "forms", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 2, run.stderr
    out = run.stdout.splitlines()
    for name in set(SHIPPED) - {"practice_observation.v1.yaml"}:
        assert f"{name}: OK" in out
    assert "case_file_audit.v2.yaml: 2 problems" in out
    assert "broken.v1.yaml: 1 problem" in out and "self_review.yml: 1 problem" in out
    assert "practice_observation.v1.yaml: 1 problem" in out
    text = run.stdout
    assert "section 'child_voice': this section id is used twice" in text
    assert "'visible_if' refers to the field itself" in text
    assert "not valid YAML (line 2, column 6)" in text
    assert "form files end in '.yaml', not '.yml'" in text
    assert "form 'practice_observation' version 1 is missing" in text and "1 observation" in text
    assert f"Released form versions in {used_db}: 2 form versions used, 1 with a problem." in out
    assert run.stderr.startswith("error: 4 of ")
    assert "Traceback" not in run.stderr


def test_a_broken_form_stops_no_other_command(used_db, folder, capsys):
    break_folder(folder)
    db = ["--db", str(used_db), "--user", "hos.eve"]
    assert main([*db, "summary"]) == 0
    assert main([*db, "audit", "list"]) == 0
    assert main([*db, "audit", "show", "1"]) == 0  # made with case_file_audit v1
    assert main([*db, "dip", "forms"]) == 0
    capsys.readouterr()
    assert main([*db, "audit", "start", "CF-2", "--user", "tm.ben"]) == 2  # would use the broken v2
    err = capsys.readouterr().err
    assert err.startswith("error: case_file_audit.v2.yaml: 2 mistakes")
    assert "cannot be used until" in err and "Traceback" not in err
    assert main([*db, "audit", "show", "2"]) == 2  # the observation: its form file is gone
    assert "practice_observation.v1.yaml) in" in capsys.readouterr().err
    assert main(["forms", "list"]) == 0
    listed = capsys.readouterr()
    assert "self_review" in listed.out and "broken.v1.yaml" in listed.err


def test_forms_check_says_ok_per_file_and_exits_0_when_all_is_well(used_db, folder, capsys):
    assert main(["--db", str(used_db), "forms", "check"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[: len(SHIPPED)] == [f"{name}: OK" for name in SHIPPED]
    assert out[-1].endswith("2 form versions used, 0 with a problem.")


def test_without_a_database_the_files_are_still_checked(folder, capsys, tmp_path):
    assert main(["forms", "check"]) == 0  # no default database yet: nothing released to check
    assert "Released form versions not checked: there is no database" in capsys.readouterr().out
    missing = tmp_path / "typo.db"
    assert main(["--db", str(missing), "forms", "check"]) == 2  # asked for, and not there
    assert f"There is no database at {missing}" in capsys.readouterr().err
    assert not missing.exists()
