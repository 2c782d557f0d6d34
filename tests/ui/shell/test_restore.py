"""Restoring a backup in the app: offered when the database is refused at start-up, and from
File > Restore from backup… while it runs (the database is closed first, then opened again)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from auditor.services import open_services
from auditor.ui.shell import app as app_module
from auditor.ui.shell.main_window import MainWindow
from auditor.ui.shell.restore_dialog import RestoreDialog
from tests.builders import ADMIN, ADMIN_PASSWORD, build_org, who
from tests.ui.shell.signing import answer_sign_in, cheap_default_hashing, give_passwords


def teams(path: Path) -> list[str]:
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM team ORDER BY name")]
    conn.close()
    return names


@pytest.fixture
def backed_up(db_path: Path) -> Path:
    """A database with people whose day's backup holds them and the teams North and South; a
    team 'Later' was added after the backup."""
    services = open_services(db_path)
    build_org(services)  # with its administrator: set-up is done
    give_passwords(services)
    services.close()
    for old in db_path.parent.glob("auditor.backup-*"):
        old.unlink()
    services = open_services(db_path)  # the day's backup: with the organisation
    services.directory.add_team("Later", "", who=who(services, "admin.zed"))
    services.close()
    return db_path


@pytest.fixture
def app_run(qtbot, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr("auditor.logsetup.configure_logging", lambda: None)
    cheap_default_hashing(monkeypatch)
    answer_sign_in(monkeypatch, "tm.ben")
    shown: list[str] = []

    def answer(box: QMessageBox) -> int:
        shown.append(box.text())
        for button in box.buttons():
            if "Restore" in button.text():
                button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)

    def choose_newest(dialog: RestoreDialog) -> int:
        shown.append("dialog: " + ", ".join(b.name for b in dialog.backups))
        dialog._on_restore_clicked()
        return dialog.result()

    monkeypatch.setattr(RestoreDialog, "exec", choose_newest)

    def run(db: Path) -> tuple[int, list[str]]:
        code = app_module.run(str(db))
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow):
                window.close()
                window.deleteLater()
        return code, shown

    return run


def test_a_refused_database_offers_its_backups_and_opens_the_restored_one(
    app_run, backed_up, monkeypatch
):
    with sqlite3.connect(backed_up) as conn:  # damage the quick check sees
        conn.execute("PRAGMA ignore_check_constraints = ON")
        conn.execute(
            "INSERT INTO practice_week (name, starts_on, ends_on, theme, status) "
            "VALUES ('w', '2020-01-06', '2020-01-10', '', 'weird')"
        )
    conn.close()
    opened: list[str] = []
    monkeypatch.setattr(
        QApplication,
        "exec",
        lambda *a: (
            opened.extend(
                w.windowTitle()
                for w in QApplication.topLevelWidgets()
                if isinstance(w, MainWindow) and w.isVisible()
            )
            or 0
        ),
    )
    code, shown = app_run(backed_up)
    assert code == 0
    assert "damaged" in shown[0]
    assert shown[1].startswith("dialog: auditor.backup-") and "-daily.db" in shown[1]
    assert "is now the backup" in shown[2]
    assert teams(backed_up) == ["North", "South"]  # 'Later' came after the backup
    assert list(backed_up.parent.glob("auditor.before-restore-*.db"))
    [title] = opened  # signed in, on the restored file
    assert title.startswith("Auditor — ") and title.endswith(" — auditor.db")


def test_file_restore_closes_the_database_restores_and_opens_it_again(
    app_run, backed_up, monkeypatch
):
    answer_sign_in(monkeypatch, ADMIN, ADMIN_PASSWORD)  # the one who may put a backup back
    runs: list[str] = []

    def event_loop(*_args) -> int:
        window = next(
            w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()
        )
        runs.append(window.windowTitle())
        if len(runs) == 1:
            assert window.restore_action.isEnabled()
            window.restore_action.trigger()
            assert not window.isVisible() and window.restore_requested is not None
            assert teams(backed_up) == ["Later", "North", "South"]  # not yet: still open
        return 0

    monkeypatch.setattr(QApplication, "exec", event_loop)
    code, shown = app_run(backed_up)
    assert code == 0 and len(runs) == 2  # opened again after the restore
    assert teams(backed_up) == ["North", "South"]
    assert any("is now the backup" in text for text in shown)


def test_keeping_unsaved_changes_cancels_the_restore(qtbot, backed_up, monkeypatch):
    from auditor.ui.shell.background import SyncRunner

    services = open_services(backed_up)
    window = MainWindow(services, who(services, ADMIN), SyncRunner())
    qtbot.addWidget(window)
    window.show()
    monkeypatch.setattr(RestoreDialog, "exec", lambda d: d._on_restore_clicked() or 1)
    monkeypatch.setattr(MainWindow, "unsaved", lambda self: ["a draft"])
    monkeypatch.setattr(MainWindow, "may_discard", lambda self, problems, text: False)
    window.restore_action.trigger()
    assert window.isVisible() and window.restore_requested is None
    services.close()
    assert teams(backed_up) == ["Later", "North", "South"]


def test_only_an_administrator_may_put_a_backup_over_the_open_database(
    qtbot, backed_up, monkeypatch
):
    """It throws away everyone's work since the backup: for anyone else File > Restore is off
    and says why on hover, and even triggered it refuses before a backup is chosen."""
    from auditor.ui.shell.background import SyncRunner

    services = open_services(backed_up)
    window = MainWindow(services, who(services, "tm.ben"), SyncRunner())
    qtbot.addWidget(window)
    window.show()
    action = window.restore_action
    assert not action.isEnabled()
    assert "restore the database from a backup" in action.toolTip()
    assert "Administrator" in action.toolTip()
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    chosen: list[RestoreDialog] = []
    monkeypatch.setattr(RestoreDialog, "exec", lambda d: chosen.append(d) or 0)
    window._on_restore_backup()  # as if the menu item had been reached another way
    assert chosen == [] and window.restore_requested is None and window.isVisible()
    assert shown and "restore the database from a backup" in shown[0]
    services.close()
    assert teams(backed_up) == ["Later", "North", "South"]
