"""Where the app may save a document: the save dialog asks before replacing a file, and an export
run in a child process is refused over the database or its backups before the child starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog

from auditor.domain.errors import OutputError
from auditor.services import open_services
from auditor.ui.shell import file_dialogs
from auditor.ui.shell.child_process import in_child_process


def test_the_save_dialog_asks_before_replacing_a_file(qtbot, db_path, tmp_path):
    dialog = file_dialogs.make_dialog(
        None, "Save", tmp_path / "report.pdf", "PDF files (*.pdf)", db_path, save=True
    )
    qtbot.addWidget(dialog)
    assert dialog.acceptMode() == QFileDialog.AcceptMode.AcceptSave
    assert not dialog.testOption(QFileDialog.Option.DontConfirmOverwrite)


@pytest.mark.parametrize("which", ["database", "backup"])
def test_an_export_over_the_database_or_a_backup_never_starts(db_path, which):
    open_services(db_path).close()  # the day's backup
    [daily] = db_path.parent.glob("auditor.backup-*.db")
    target = db_path if which == "database" else daily
    alias = db_path.parent / f"{which}.xlsx"
    alias.hardlink_to(target)
    before = target.read_bytes()
    with pytest.raises(OutputError, match="is the database or one of its own files"):
        in_child_process(db_path, "reports.write_export", fmt="xlsx", path=Path(alias))
    assert target.read_bytes() == before
