"""Opening a database never creates one by accident, never writes to a damaged one, and keeps
verified backups: once a day, before an upgrade, never piling up."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

import pytest

from auditor.domain.errors import StorageError
from db import backup, migrate
from db.migrate import open_database
from tests.db.damage import break_quietly, copy, quick_check, store_anyway


def backups_in(folder: Path, stem: str = "auditor") -> list[Path]:
    return sorted(folder.glob(f"{stem}.backup-*.db"))


@pytest.mark.parametrize("content", [b"", b"x", b"SQLite format 3\x00"])
def test_an_empty_or_tiny_file_is_refused_and_left_as_it_was(tmp_path, content):
    (tmp_path / "db").mkdir()
    path = tmp_path / "db" / "auditor.db"
    path.write_bytes(content)
    with pytest.raises(StorageError, match="nothing was changed"):
        open_database(path)
    assert path.read_bytes() == content
    assert [p.name for p in path.parent.iterdir()] == ["auditor.db"]


def test_init_may_make_a_database_of_an_empty_file_but_not_of_a_one_byte_file(tmp_path):
    empty, tiny = tmp_path / "empty.db", tmp_path / "tiny.db"
    empty.write_bytes(b"")
    tiny.write_bytes(b"x")
    open_database(empty, create=True).close()
    assert quick_check(empty) == [] and empty.stat().st_size > 0
    with pytest.raises(StorageError, match="not an SQLite file"):
        open_database(tiny, create=True)
    assert tiny.read_bytes() == b"x"


def test_an_sqlite_file_without_tables_is_refused_except_by_init(tmp_path):
    path = tmp_path / "auditor.db"
    sqlite3.connect(path).execute("PRAGMA user_version = 1").connection.close()
    before = path.read_bytes()
    with pytest.raises(StorageError, match="holds no tables"):
        open_database(path)
    assert path.read_bytes() == before
    open_database(path, create=True).close()
    assert quick_check(path) == []


def test_a_file_failing_the_quick_check_is_refused_unchanged_naming_the_newest_backup(db_path):
    open_database(db_path).close()  # the day's backup
    [daily] = backups_in(db_path.parent)
    store_anyway(
        db_path,
        "INSERT INTO practice_week (name, starts_on, ends_on, theme, status) "
        "VALUES ('w', '2020-01-06', '2020-01-10', '', 'weird')",
    )
    assert quick_check(db_path)
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="damaged") as refused:
        open_database(db_path)
    assert daily.name in str(refused.value) and "restore --latest" in str(refused.value)
    assert db_path.read_bytes() == before
    assert backups_in(db_path.parent) == [daily]  # no copy of a damaged file


def test_damage_only_the_full_check_sees_is_caught_by_the_daily_copy_and_remembered(
    demo_template, tmp_path, monkeypatch
):
    db_path = copy(demo_template, tmp_path / "auditor.db")
    break_quietly(db_path)
    assert quick_check(db_path) == [] and quick_check(db_path, full=True)
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="damaged"):
        open_database(db_path)
    assert db_path.read_bytes() == before
    assert backups_in(db_path.parent) == []  # the failed copy was not kept
    copies = []
    monkeypatch.setattr(backup, "take_backup", lambda *a: copies.append(a))
    for _ in range(3):  # the verdict holds: no new copy, still refused
        with pytest.raises(StorageError, match="damaged"):
            open_database(db_path)
    assert copies == [] and db_path.read_bytes() == before


def test_the_first_open_of_each_day_keeps_one_verified_backup(db_path):
    for _ in range(3):
        open_database(db_path).close()
    [daily] = backups_in(db_path.parent)
    assert daily.name.endswith("-daily.db")
    assert quick_check(daily, full=True) == []
    assert not list(db_path.parent.glob(".*partial"))


def _aged(db_path: Path, days_ago: int, label: str = "daily") -> Path:
    stamp = (dt.datetime.now() - dt.timedelta(days=days_ago)).strftime("%Y%m%d-%H%M%S")
    return copy(db_path, db_path.with_name(f"{db_path.stem}.backup-{stamp}-{label}.db"))


def test_daily_backups_roll_over_after_seven_and_upgrade_backups_stay(db_path):
    old = [_aged(db_path, n) for n in range(1, 10)]
    upgrade = _aged(db_path, 30, "schema-0004")
    open_database(db_path).close()
    kept = backups_in(db_path.parent)
    daily = [p for p in kept if p.name.endswith("-daily.db")]
    assert len(daily) == backup.KEEP_DAILY
    assert set(old[: backup.KEEP_DAILY - 1]) <= set(daily)  # the newest old ones, and today's
    assert upgrade in kept


FAILING_REVISION = """
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade():
    op.execute("CREATE TABLE half_done (x INTEGER)")
    op.execute("INSERT INTO no_such_table VALUES (1)")


def downgrade():
    pass
"""


def with_a_failing_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The migrations with one more that fails half-way; returns the head before it."""
    folder = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, folder)
    current = migrate.HEAD
    (folder / "versions" / "9999_fails.py").write_text(
        FAILING_REVISION.format(head=current), encoding="utf-8"
    )
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", folder)
    monkeypatch.setattr(migrate, "HEAD", "9999")
    return current


def test_a_failed_upgrade_keeps_one_backup_however_often_it_is_tried(
    db_path, tmp_path, monkeypatch
):
    current = with_a_failing_migration(tmp_path, monkeypatch)
    with pytest.raises(StorageError):
        open_database(db_path)
    [first] = backups_in(db_path.parent)
    assert first.name.endswith(f"-schema-{current}.db")
    taken = first.name.split(".backup-")[1][:15]  # as if the first attempt were hours ago
    earlier = first.with_name(first.name.replace(taken, taken[:9] + "000000"))
    first.rename(earlier)
    for _ in range(3):
        with pytest.raises(StorageError):
            open_database(db_path)
    assert backups_in(db_path.parent) == [earlier]


def test_the_quick_check_runs_again_only_when_the_file_changed(db_path, monkeypatch):
    checks: list[bool] = []
    real = backup.problems
    monkeypatch.setattr(
        backup, "problems", lambda conn, full: checks.append(full) or real(conn, full=full)
    )
    open_database(db_path).close()
    assert checks.count(False) == 1
    open_database(db_path).close()
    assert checks.count(False) == 1  # unchanged since it passed
    database = open_database(db_path)
    with database.transaction() as session:
        session.connection().exec_driver_sql("INSERT INTO team (name, service) VALUES ('N', '')")
    database.close()
    open_database(db_path).close()
    assert checks.count(False) == 2


def test_benchmarks_may_open_without_the_daily_backup(db_path):
    open_database(db_path, daily_backup=False).close()
    assert backups_in(db_path.parent) == []


def test_a_failed_upgrade_changes_nothing_in_the_file(db_path, tmp_path, monkeypatch):
    """Migrations run in one transaction: the table the failing step made first is not left in
    the file (SQLite commits DDL at once unless a transaction was begun explicitly)."""
    open_database(db_path).close()
    before = with_a_failing_migration(tmp_path, monkeypatch)
    with pytest.raises(StorageError):
        open_database(db_path)
    with sqlite3.connect(db_path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        [(revision,)] = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    conn.close()
    assert "half_done" not in tables
    assert revision == before


def test_two_programs_opening_at_the_same_moment_both_open_and_keep_one_copy_a_day(db_path):
    """Both may find the day's backup due: each writes its own partial copy (they shared one name,
    and the second rename failed with a traceback), and pruning keeps one copy per day."""
    import threading

    open_database(db_path, daily_backup=False).close()
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def take() -> None:
        conn = sqlite3.connect(db_path)
        try:
            start.wait()
            backup.take_backup(conn, db_path, backup.Kind.DAILY)
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)
        finally:
            conn.close()

    threads = [threading.Thread(target=take) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert not list(db_path.parent.glob(".*partial"))
    early = f"{dt.date.today():%Y%m%d}-000000"  # another copy of today, taken at midnight
    copy(db_path, db_path.with_name(f"{db_path.stem}.backup-{early}-daily.db"))
    assert len(backups_in(db_path.parent)) >= 2
    backup.prune(db_path)
    [daily] = backups_in(db_path.parent)
    assert quick_check(daily, full=True) == []
