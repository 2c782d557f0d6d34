"""``check``, ``restore`` and ``-o``: the database file is looked after and never written over."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli import main
from tests.cli.conftest import ADMIN, make_psw
from tests.db.damage import quick_check

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cli(db_path, capsys):
    user = make_psw(db_path)

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--db", str(db_path), "--user", user, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def restore(cli):
    """``restore`` as the administrator, the one role that may put a backup over a sound file."""
    return lambda *args: cli("restore", *args, "--user", ADMIN)


def last_log_line(path: Path) -> tuple[str, str | None, str]:
    with sqlite3.connect(path) as conn:
        row = conn.execute(
            "SELECT e.kind, p.username, e.detail FROM access_event e "
            "LEFT JOIN person p ON p.id = e.person_id ORDER BY e.id DESC LIMIT 1"
        ).fetchone()
    conn.close()
    return row


def teams(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM team ORDER BY name")]
    conn.close()
    return names


def test_check_says_a_sound_file_is_sound_and_names_the_damage_otherwise(cli, db_path):
    assert cli("teams", "add", "North")[0] == 0  # takes the day's backup
    code, out, _ = cli("check")
    assert code == 0 and "no damage found" in out
    with sqlite3.connect(db_path) as conn:  # an index whose pages are another table's
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET rootpage = 2 WHERE name = 'ix_audit_case'")
    conn.close()
    code, out, _ = cli("check")
    assert code == 2 and "is damaged" in out and "restore --latest" in out
    before = db_path.read_bytes()
    code, _, err = cli("teams", "add", "South")
    assert code == 2 and "damaged" in err and db_path.read_bytes() == before


def test_restore_lists_puts_back_the_newest_and_keeps_the_current_file(cli, restore, db_path):
    code, out, _ = cli("restore")
    assert code == 0 and "no backup" in out
    assert cli("teams", "add", "North")[0] == 0  # the first open of the day backed up (empty)
    assert cli("teams", "add", "South")[0] == 0
    code, out, _ = cli("restore")
    assert code == 0 and "-daily.db" in out and "daily" in out and "when taken" in out
    code, out, _ = cli("restore", "--verify")
    assert code == 0 and "ok now" in out
    code, out, _ = restore("--latest")
    assert code == 0 and "Restored" in out
    assert teams(db_path) == []  # as it was at the first open of the day
    [kept] = db_path.parent.glob("auditor.before-restore-*.db")
    assert teams(kept) == ["North", "South"]
    kind, username, detail = last_log_line(db_path)  # the restored file says it was restored
    assert (kind, username) == ("backup_restored", ADMIN)
    assert detail.startswith("from auditor.backup-") and kept.name in detail
    assert cli("teams", "list")[0] == 0


def test_restore_refuses_an_unknown_or_damaged_backup_and_changes_nothing(cli, restore, db_path):
    assert cli("teams", "add", "North")[0] == 0
    [daily] = db_path.parent.glob("auditor.backup-*.db")
    code, _, err = restore("no-such.db")
    assert code == 2 and "no backup called" in err
    daily.write_bytes(daily.read_bytes()[:4096])  # the backup was damaged since
    code, _, err = restore(daily.name)
    assert code == 2 and "damaged" in err
    code, _, err = restore("--latest")
    assert code == 2 and "Every backup" in err
    assert teams(db_path) == ["North"]  # signing in was written; nothing else (no restore)
    assert not list(db_path.parent.glob("*.before-restore-*"))


def test_restore_refuses_while_another_process_has_the_database_open(cli, restore, db_path):
    assert cli("teams", "add", "North")[0] == 0
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('SELECT count(*) FROM team').fetchall(); print('open', flush=True); "
            "sys.stdin.read()",
            str(db_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        code, _, err = restore("--latest")
        assert code == 2 and "open in another" in err
        assert teams(db_path) == ["North"]
    finally:
        holder.communicate("", timeout=30)
    assert restore("--latest")[0] == 0


def test_only_an_administrator_puts_a_backup_over_a_sound_database(
    cli, restore, db_path, capsys, monkeypatch
):
    """A backup over a sound file throws away everyone's work since it was taken: without a
    sign-in, as someone else or with a wrong password nothing changes; listing needs nobody."""
    assert cli("teams", "add", "North")[0] == 0
    assert cli("teams", "add", "South")[0] == 0
    before = db_path.read_bytes()

    def bare(*args: str) -> tuple[int, str]:
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out + err

    code, out = bare("restore")
    assert code == 0 and "-daily.db" in out  # the list: names and dates, nothing of any case
    code, out = bare("restore", "--latest")
    assert code == 2 and "sign in as an administrator" in out and len(out.splitlines()) == 1
    assert db_path.read_bytes() == before  # refused before anything opened it
    code, out, err = cli("restore", "--latest")  # the principal social worker
    assert code == 2 and "restore the database from a backup" in err
    assert len(err.splitlines()) == 1 and out == ""
    monkeypatch.setenv("AUDITOR_PASSWORD", "not the administrator's password")
    code, out, err = restore("--latest")
    assert code == 2 and "password" in err.lower() and len(err.splitlines()) == 1
    assert teams(db_path) == ["North", "South"]  # their sign-ins were written, and nothing else
    assert not list(db_path.parent.glob("*.before-restore-*"))


def test_a_damaged_database_is_put_back_without_signing_in(cli, db_path, capsys):
    """Nobody can sign in to a file that will not open, and it holds nothing readable: anyone at
    the machine may put the newest sound backup over it (the damaged file is kept)."""
    assert cli("teams", "add", "North")[0] == 0
    with sqlite3.connect(db_path) as conn:  # an index whose pages are another table's
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute("UPDATE sqlite_master SET rootpage = 2 WHERE name = 'ix_audit_case'")
    conn.close()
    code = main(["--db", str(db_path), "restore", "--latest"])
    out, err = capsys.readouterr()
    assert code == 0 and "Restored" in out, err
    assert quick_check(db_path, full=True) == []
    kind, username, detail = last_log_line(db_path)
    assert (kind, username) == ("backup_restored", None)
    assert detail.endswith("(the database was damaged or missing)")
    assert len(list(db_path.parent.glob("auditor.before-restore-*.db"))) == 1


def test_restored_file_is_the_backup_and_no_old_journal_is_applied(cli, restore, db_path):
    assert cli("teams", "add", "North")[0] == 0
    [daily] = db_path.parent.glob("auditor.backup-*.db")
    assert restore(daily.name)[0] == 0
    assert quick_check(db_path, full=True) == []
    assert not (db_path.parent / "auditor.db-wal").exists()


# ----------------------------------------------------------------------------------------- -o


def test_an_export_over_the_open_database_is_refused(tmp_path, template_db, capsys):
    """Signing in writes to the database (the access log), so what is compared is that it is
    still the sound database, not an export written over it."""
    victim = tmp_path / "victim.xlsx"
    victim.write_bytes(template_db.read_bytes())
    user = make_psw(victim)
    args = ["--db", str(victim), "--user", user, "export", "xlsx", "-o", str(victim), "--force"]
    assert main(args) == 2
    assert "is the database" in capsys.readouterr().err
    assert quick_check(victim, full=True) == [] and teams(victim) == []


def test_an_export_over_another_name_of_the_database_or_a_backup_is_refused(cli, db_path):
    assert cli("teams", "add", "North")[0] == 0
    [daily] = db_path.parent.glob("auditor.backup-*.db")
    for protected, alias in ((db_path, "alias.csv"), (daily, "old.csv")):
        link = db_path.parent / alias
        link.hardlink_to(protected)
        before = protected.read_bytes()
        code, _, err = cli("export", "csv", "-o", str(link), "--force")
        assert code == 2 and "is the database or one of its own files" in err
        if protected == daily:
            assert protected.read_bytes() == before
        else:  # signing in wrote to the access log; the database is still itself
            assert quick_check(protected, full=True) == [] and teams(protected) == ["North"]


def test_an_existing_file_is_replaced_only_with_force(cli, tmp_path):
    out = tmp_path / "audits.csv"
    out.write_text("keep me", encoding="utf-8")
    code, _, err = cli("export", "csv", "-o", str(out))
    assert code == 2 and "already exists" in err and "--force" in err
    assert out.read_text(encoding="utf-8") == "keep me"
    code, _, _ = cli("export", "csv", "-o", str(out), "--force")
    assert code == 0 and out.read_text(encoding="utf-8") != "keep me"
