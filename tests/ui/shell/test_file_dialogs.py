"""A file dialog on the database's own folder must not cost the running app its SQLite locks.

SQLite's POSIX locks belong to the process: if anything in it opens and closes the database file
(Qt sniffing a file's type to choose its icon did), the locks are gone, the next program to use the
database deletes the live -wal and -shm, and the app's later writes are lost. Here: a real dialog,
shown and filled in on the database's folder, then the real command line writing to the same
database in another process, then the app writing again and a new process reading it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QFileInfo, Qt
from PySide6.QtWidgets import QFileDialog

from auditor.domain.workflow import Part
from auditor.ui.shell import file_dialogs
from tests.builders import ADMIN, ADMIN_PASSWORD, run_to, who

ROOT = Path(__file__).resolve().parents[3]
pytestmark = pytest.mark.skipif(
    not Path("/proc/self/fd").is_dir(), reason="reads the process's open files from /proc"
)


def open_database_files(db: Path) -> list[str]:
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(db)):
            found.append(target)
    return found


def shown_and_filled(qtbot, dialog: QFileDialog, folder: Path) -> list[str]:
    """Show the dialog on ``folder``, wait for its listing, and look up every file's icon and
    type the way the dialog does (through its model's icon provider), hidden files included."""
    dialog.setViewMode(QFileDialog.ViewMode.Detail)
    source = dialog.findChild(file_dialogs.QFileSystemModel)
    proxy = dialog.proxyModel()

    def root():
        index = source.index(str(folder))
        return proxy.mapFromSource(index) if proxy else index

    model = proxy or source
    dialog.setDirectory(str(folder))  # the person goes to the database's folder
    dialog.show()
    qtbot.waitUntil(lambda: model.rowCount(root()) >= 1, timeout=10_000)
    names = []
    for row in range(model.rowCount(root())):
        index = model.index(row, 0, root())
        names.append(index.data())
        index.data(Qt.ItemDataRole.DecorationRole)
        model.index(row, 2, root()).data()  # the "Type" column
    provider = source.iconProvider()
    for path in folder.iterdir():  # as the model's gatherer thread does for every file
        provider.icon(QFileInfo(str(path)))
        provider.type(QFileInfo(str(path)))
    return names


def cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    """The command line, signed in as the organisation's administrator."""
    return subprocess.run(
        [sys.executable, "main.py", "--db", str(db), "--user", ADMIN, *args],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT), AUDITOR_PASSWORD=ADMIN_PASSWORD),
        capture_output=True,
        text=True,
        timeout=120,
    )


def read_in_new_process(db: Path, audit_id: int, username: str) -> str:
    """The self-review draft as a new process sees it."""
    code = (
        "import sys; from auditor.domain.workflow import Part; "
        "from auditor.services import open_services; s = open_services(sys.argv[1]); "
        "who = s.accounts.principal_of(sys.argv[3]); "
        "print(s.views.detail(int(sys.argv[2]), who=who).responses[Part.SELF_REVIEW]"
        ".answers['strengths'])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(db), str(audit_id), username],
        cwd=ROOT,
        env=dict(os.environ, PYTHONPATH=str(ROOT)),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_a_dialog_on_the_database_folder_keeps_the_live_wal(qtbot, services, org, db_path):
    audit_id = run_to(services, org, "self_review")
    services.audits.save_draft(
        audit_id,
        Part.SELF_REVIEW,
        by=who(services, org.worker),
        answers={"strengths": "first draft"},
    )
    (db_path.parent / "last-report.pdf").write_bytes(b"%PDF-1.4\n")
    dialog = file_dialogs.make_dialog(
        None, "Save", db_path.parent / "report.pdf", "PDF files (*.pdf)", db_path, save=True
    )
    qtbot.addWidget(dialog)
    names = shown_and_filled(qtbot, dialog, db_path.parent)
    assert "last-report.pdf" in names
    assert not {db_path.name, db_path.name + "-wal", db_path.name + "-shm"} & set(names)

    done = cli(db_path, "teams", "add", "East")  # another process writes, then closes
    assert done.returncode == 0, done.stderr
    assert not [f for f in open_database_files(db_path) if f.endswith("(deleted)")]
    services.audits.save_draft(
        audit_id,
        Part.SELF_REVIEW,
        by=who(services, org.worker),
        answers={"strengths": "saved after the command line ran"},
    )
    assert (
        read_in_new_process(db_path, audit_id, org.worker).strip()
        == "saved after the command line ran"
    )


def test_the_database_itself_cannot_be_chosen_as_a_report(qtbot, db_path, file_dialog, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    told: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: told.append(box.text()) or 0)
    file_dialog.path = db_path
    assert file_dialogs.save_file(None, "Save", db_path.parent / "x.db", ".db", db_path) is None
    assert told and "database itself" in told[0]
    file_dialog.path = db_path.parent / "summary"
    assert (
        file_dialogs.save_file(None, "Save", Path.home() / "x.pdf", ".pdf", db_path)
        == db_path.parent / "summary.pdf"
    )


def test_a_suggested_folder_holding_the_database_is_not_used(qtbot, db_path, file_dialog):
    file_dialog.path = ""
    file_dialogs.save_file(None, "Save", db_path.parent / "x.pdf", ".pdf", db_path)
    assert file_dialog.seen[-1][1] == str(Path.home())
