"""The command line signs in: ``--user`` and a password (``$AUDITOR_PASSWORD`` or typed without
echo), wrong passwords counted towards the lock-out, a reset password changed before anything else,
``init --admin``, ``passwd``, ``accounts`` and ``access-log``; and every command, walked from the
parser so a new one is covered at once, refused without a correct password and showing no case
data."""

from __future__ import annotations

import argparse
import shutil
import sqlite3
from pathlib import Path

import pytest

from auditor.cli import build_parser, main
from auditor.cli.common import input_file
from auditor.services import open_services
from auditor.services.access.accounts import DEMO_PASSWORD, MAX_FAILURES
from tests.cli.conftest import ADMIN, PASSWORD
from tests.cli.test_cli_exit_codes import FLAGS, leaf_commands

#: The commands that open no database, or (``init``) make one: they need no sign-in.
NO_SIGN_IN = {
    ("init",),
    ("forms", "list"),
    ("forms", "check"),
    ("forms", "template"),
    ("check",),
    ("restore",),
}
COMMANDS = list(leaf_commands(build_parser()))


@pytest.fixture
def demo(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the demo organisation, everyone signing in with the demo password (set in
    ``$AUDITOR_PASSWORD``)."""
    monkeypatch.setenv("AUDITOR_PASSWORD", DEMO_PASSWORD)
    path = tmp_path / "demo.db"
    shutil.copy(demo_template, path)
    services = open_services(path)
    services.accounts.give_everyone(DEMO_PASSWORD)  # the builder does it too, once merged
    services.close()
    return path


def case_data(path: Path) -> set[str]:
    """What must never be shown without a sign-in: every case reference and person's name."""
    with sqlite3.connect(path) as conn:
        found = {r[0] for r in conn.execute("SELECT reference FROM case_file")}
        found |= {r[0] for r in conn.execute("SELECT name FROM person")}
    conn.close()
    return found


def runnable_argv(words: tuple[str, ...], parser: argparse.ArgumentParser, folder: Path) -> list:
    """``words`` with a value for every required argument, such that the command line parses."""
    source = folder / "input.csv"
    source.write_text("name\nx\n", encoding="utf-8")
    argv = list(words)
    for action in parser._actions:
        if isinstance(action, FLAGS) or action.dest == "user":
            continue
        if not (action.required or (not action.option_strings and action.nargs != "?")):
            continue
        if action.choices is not None:
            value = str(next(iter(action.choices)))
        elif action.type is input_file:
            value = str(source)
        elif action.dest in ("start", "end", "day", "due", "days"):
            value = "2026-01-01"
        elif action.dest in ("roles", "role"):
            value = "team manager"
        elif action.dest == "case_type":
            value = "cp"
        elif action.dest == "grade":
            value = "good"
        else:
            value = "1"
        argv += [action.option_strings[-1], value] if action.option_strings else [value]
    for group in parser._mutually_exclusive_groups:
        if group.required:  # one of them: the first, given as a flag or with a value
            first = group._group_actions[0]
            argv += [first.option_strings[-1]] + ([] if isinstance(first, FLAGS) else ["1"])
    return argv


@pytest.mark.parametrize("words, parser", COMMANDS, ids=[" ".join(w) for w, _ in COMMANDS])
def test_every_command_without_a_correct_password_exits_2_and_shows_no_case_data(
    demo, tmp_path, monkeypatch, capsys, words, parser
):
    monkeypatch.chdir(tmp_path)
    argv = runnable_argv(words, parser, tmp_path)
    build_parser().parse_args(argv)  # it parses: what refuses it below is the sign-in
    secret = case_data(demo)
    before = set(tmp_path.iterdir())
    monkeypatch.delenv("AUDITOR_PASSWORD")
    attempts = {
        "no --user": [],
        "no password": ["--user", "hos.marsh"],
        "wrong password": ["--user", "hos.marsh"],
        "nobody": ["--user", "nobody.at.all"],
    }
    for why, extra in attempts.items():
        if why in ("wrong password", "nobody"):
            monkeypatch.setenv("AUDITOR_PASSWORD", "not the password at all")
        code = main(["--db", str(demo), *extra, *argv])
        out, err = capsys.readouterr()
        shown = [s for s in secret if s in out + err]
        if words in NO_SIGN_IN:
            assert not shown, (why, argv, shown)
            continue
        assert code == 2, (why, argv, out, err)
        assert out == "" and not shown, (why, argv, out, err)
        assert err.startswith("error: ") and err.count("\n") == 1, (why, argv, err)
        assert "Traceback" not in err
    assert set(tmp_path.iterdir()) == before  # no PDF, export or file of any kind written


def test_no_password_and_no_terminal_is_refused_before_the_database_is_opened(
    org, db_path, monkeypatch, capsys
):
    monkeypatch.delenv("AUDITOR_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    assert main(["--db", str(db_path), "summary", "--user", org.senior]) == 2
    assert capsys.readouterr().err.startswith("error: no password: set $AUDITOR_PASSWORD")


def test_at_a_terminal_the_password_is_asked_for_without_echo(org, db_path, monkeypatch, capsys):
    asked = []
    monkeypatch.delenv("AUDITOR_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or PASSWORD)
    assert main(["--db", str(db_path), "--user", org.senior, "summary"]) == 0
    out, err = capsys.readouterr()
    assert asked == [f"Password for {org.senior}: "] and PASSWORD not in out + err


def test_a_wrong_password_counts_and_the_fifth_locks_the_account(
    org, db_path, monkeypatch, capsys, caplog
):
    monkeypatch.setenv("AUDITOR_PASSWORD", "a wrong guess, long enough")
    for n in range(MAX_FAILURES):
        assert main(["--db", str(db_path), "audit", "list", "--user", org.worker]) == 2
        err = capsys.readouterr().err
        assert ("locked for 15 minutes" if n == MAX_FAILURES - 1 else "not right") in err
    monkeypatch.setenv("AUDITOR_PASSWORD", PASSWORD)
    assert main(["--db", str(db_path), "audit", "list", "--user", org.worker]) == 2
    assert "locked after 5 wrong passwords" in capsys.readouterr().err
    assert main(["--db", str(db_path), "access-log", "--user", org.qa, "--format", "csv"]) == 0
    log = capsys.readouterr().out
    assert log.count(f"sign_in_failed,{org.worker}") == MAX_FAILURES
    assert f"locked_out,{org.worker}" in log
    assert "a wrong guess" not in caplog.text and PASSWORD not in caplog.text


def test_as_is_gone_and_a_person_is_only_who_signs_in(org, db_path, capsys):
    assert main(["--db", str(db_path), "audit", "list", "--as", org.senior]) == 2
    assert "unrecognized arguments: --as" in capsys.readouterr().err


def test_init_admin_makes_the_first_administrator_with_a_password_the_policy_allows(
    tmp_path, monkeypatch, capsys
):
    db = ["--db", str(tmp_path / "new.db")]
    monkeypatch.setenv("AUDITOR_PASSWORD", "short")
    assert main([*db, "init", "--admin", "it.admin", "--name", "Iris Admin"]) == 2
    err = capsys.readouterr().err
    assert "That password cannot be used" in err and "at least 10 characters" in err
    monkeypatch.setenv("AUDITOR_PASSWORD", "password123")
    assert main([*db, "init", "--admin", "it.admin"]) == 2
    assert "passwords people use most often" in capsys.readouterr().err
    monkeypatch.setenv("AUDITOR_PASSWORD", PASSWORD)
    assert main([*db, "people", "list", "--user", "it.admin"]) == 2  # nobody there yet
    capsys.readouterr()
    assert main([*db, "init", "--admin", "it.admin", "--name", "Iris Admin"]) == 0
    assert "Iris Admin (it.admin) is its administrator" in capsys.readouterr().out
    assert main([*db, "people", "list", "--user", "it.admin"]) == 0
    assert "Iris Admin" in capsys.readouterr().out
    assert main([*db, "init", "--admin", "someone.else"]) == 2
    assert "already has an administrator" in capsys.readouterr().err


def test_init_admin_at_a_terminal_asks_twice_and_refuses_two_different_passwords(
    tmp_path, monkeypatch, capsys
):
    monkeypatch.delenv("AUDITOR_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    typed = iter([PASSWORD, PASSWORD + " but different"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(typed))
    assert main(["--db", str(tmp_path / "new.db"), "init", "--admin", "it.admin"]) == 2
    assert "not the same" in capsys.readouterr().err


def test_a_reset_password_must_be_changed_before_anything_else(org, db_path, monkeypatch, capsys):
    db = ["--db", str(db_path)]
    temporary, own = "temporary password 1", "my own new password 2"
    monkeypatch.setenv("AUDITOR_NEW_PASSWORD", temporary)
    assert main([*db, "accounts", "reset", org.worker, "--user", ADMIN]) == 0
    assert temporary not in capsys.readouterr().out
    monkeypatch.setenv("AUDITOR_PASSWORD", temporary)
    assert main([*db, "audit", "list", "--user", org.worker]) == 2
    assert "choose your own first with 'python main.py passwd" in capsys.readouterr().err
    monkeypatch.setenv("AUDITOR_NEW_PASSWORD", own)
    assert main([*db, "passwd", "--user", org.worker]) == 0
    assert "Your password is changed" in capsys.readouterr().out
    monkeypatch.setenv("AUDITOR_PASSWORD", own)
    assert main([*db, "audit", "list", "--user", org.worker]) == 0
    monkeypatch.setenv("AUDITOR_PASSWORD", temporary)
    assert main([*db, "audit", "list", "--user", org.worker]) == 2


def test_accounts_are_for_administrators(org, db_path, monkeypatch, capsys):
    db = ["--db", str(db_path)]
    assert main([*db, "accounts", "list", "--user", ADMIN]) == 0
    assert org.worker in capsys.readouterr().out
    for args in (["accounts", "list"], ["accounts", "deactivate", org.manager]):
        assert main([*db, *args, "--user", org.senior]) == 2
        assert "You may not manage sign-ins" in capsys.readouterr().err
    assert main([*db, "accounts", "deactivate", org.manager, "--user", ADMIN]) == 0
    assert main([*db, "audit", "list", "--user", org.manager]) == 2
    assert "switched off" in capsys.readouterr().err
    assert main([*db, "accounts", "activate", org.manager, "--user", ADMIN]) == 0
    assert main([*db, "audit", "list", "--user", org.manager]) == 0


def test_the_access_log_is_for_qa_and_administrators_and_filters(org, db_path, capsys):
    db = ["--db", str(db_path)]
    assert main([*db, "audit", "list", "--user", org.manager]) == 0
    capsys.readouterr()
    args = ["access-log", "--user-filter", org.manager, "--kind", "signed_in", "--format", "csv"]
    assert main([*db, *args, "--user", org.qa]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "at,kind,username,name,audit,detail,machine"
    assert len(lines) == 2 and f"signed_in,{org.manager}" in lines[1]
    assert main([*db, "access-log", "--user", org.worker]) == 2
    assert "You may not read the access log" in capsys.readouterr().err


# ------------------------------------------------------------------ the "What was seen"


def _other_teams_audit(path: Path, username: str) -> int:
    """An audit of a case outside ``username``'s team that they took no part in."""
    with sqlite3.connect(path) as conn:
        (audit_id,) = conn.execute(
            "SELECT a.id FROM audit a JOIN case_file c ON c.id = a.case_id "
            "JOIN person p ON p.username = ? "
            "WHERE c.team_id != p.team_id AND a.case_id IS NOT NULL "
            "AND p.id NOT IN (coalesce(a.first_auditor_id, 0), coalesce(a.second_auditor_id, 0)) "
            "ORDER BY a.id LIMIT 1",
            (username,),
        ).fetchone()
    conn.close()
    return int(audit_id)


def test_seen_people_add_director_needs_a_sign_in_and_the_right_role(demo, monkeypatch, capsys):
    db = ["--db", str(demo)]
    evil = ["people", "add", "evil", "--name", "E", "--role", "director"]
    monkeypatch.delenv("AUDITOR_PASSWORD")
    assert main([*db, *evil]) == 2
    monkeypatch.setenv("AUDITOR_PASSWORD", DEMO_PASSWORD)
    assert main([*db, *evil, "--user", "sw.patel"]) == 2
    assert "You may not manage people" in capsys.readouterr().err
    assert main([*db, "audit", "list", "--user", "evil"]) == 2  # nobody was added
    for args in (
        ["teams", "add", "Evil Team"],
        ["cases", "add", "CF-666", "--type", "cp", "--team", "Care Leavers Team"],
        ["cases", "tag", "CF-10510", "evil"],
    ):
        assert main([*db, *args, "--user", "sw.patel"]) == 2, args
        assert "You may not" in capsys.readouterr().err


def test_seen_another_teams_audit_is_refused_to_a_social_worker_in_show_and_pdf(
    demo, tmp_path, capsys
):
    audit_id = _other_teams_audit(demo, "sw.patel")
    db = ["--db", str(demo)]
    assert main([*db, "audit", "show", str(audit_id), "--user", "sw.patel"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "not one you may see" in err
    target = tmp_path / "x.pdf"
    assert main([*db, "pdf", "audit", str(audit_id), "-o", str(target), "--user", "sw.patel"]) == 2
    assert not target.exists()
    assert main([*db, "audit", "list", "--format", "json", "--user", "sw.patel"]) == 0
    assert f'"id": {audit_id},' not in capsys.readouterr().out


def test_seen_a_blind_audits_first_grades_are_not_shown_to_the_second_auditor(demo, capsys):
    """The second auditor signs in as themselves; claiming to be the first auditor needs that
    person's password, and --as is gone."""
    with sqlite3.connect(demo) as conn:
        audit_id, second, first = conn.execute(
            "SELECT a.id, s.username, f.username FROM audit a JOIN person s "
            "ON s.id = a.second_auditor_id JOIN person f ON f.id = a.first_auditor_id "
            "WHERE a.state = 'second_audit' AND a.blind ORDER BY a.id LIMIT 1"
        ).fetchone()
    conn.close()
    db = ["--db", str(demo)]
    assert main([*db, "audit", "show", str(audit_id), "--user", second]) == 0
    assert "hidden" in capsys.readouterr().out.lower()
    assert main([*db, "audit", "show", str(audit_id), "--user", second, "--as", first]) == 2
    assert "unrecognized arguments: --as" in capsys.readouterr().err
