"""Restore from backup: the verified copies kept next to the database, newest first; one chosen
is put back by ``restore_backup`` once nothing in this process has the database open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.errors import AuditorError
from auditor.services import maintenance
from auditor.ui.shell.errors import show_problem


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(1, n // 1024)} kB"


class RestoreDialog(QDialog):
    """Which backup to put back; ``chosen`` is its file name once accepted."""

    def __init__(self, database: Path, reason: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Restore from backup")
        self.database = database
        self.chosen: str | None = None
        self.backups = maintenance.backups(database)
        intro = QLabel(
            (f"<p>{reason}</p>" if reason else "")
            + f"<p>Auditor keeps a checked copy of <b>{database.name}</b> from the first use of "
            "each day (the last seven days) and before every upgrade. Choose the copy to put "
            "back. Whatever was entered after it was taken is not in it; the file as it is now "
            "is kept beside it (<i>…before-restore-….db</i>), so nothing is thrown away.</p>",
            self,
        )
        intro.setWordWrap(True)
        self.list = QTreeWidget(self)
        self.list.setAccessibleName("Backups")
        self.list.setHeaderLabels(["Taken", "Why", "Size", "File"])
        self.list.setRootIsDecorated(False)
        items = [
            QTreeWidgetItem([f"{r.taken_at:%d/%m/%Y %H:%M}", r.why, _size(r.size), r.name])
            for r in self.backups
        ]
        self.list.addTopLevelItems(items)
        if items:
            self.list.setCurrentItem(items[0])
        for column in range(self.list.columnCount()):
            self.list.resizeColumnToContents(column)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.restore_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.restore_button.setText("Restore this backup")
        self.restore_button.setEnabled(bool(self.backups))
        self.buttons.accepted.connect(self._on_restore_clicked)
        self.buttons.rejected.connect(self.reject)
        self.list.itemActivated.connect(lambda _item, _col: self._on_restore_clicked())
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if not self.backups:
            layout.addWidget(QLabel("There is no backup of this database yet.", self))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        self.resize(760, 380)

    def _on_restore_clicked(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        self.chosen = item.text(3)
        self.accept()


def restore_backup(
    parent: QWidget | None, database: Path, name: str, permit: maintenance.RestorePermit
) -> bool:
    """Put the backup back (nothing in this process may have the database open), with the leave
    ``permit`` gives; says how it went. True if it was restored."""
    try:
        done = maintenance.restore(database, name, permit=permit)
    except AuditorError as error:
        show_problem(parent, error, "The backup could not be restored")
        return False
    QMessageBox(
        QMessageBox.Icon.Information,
        "Backup restored",
        f"{database.name} is now the backup {done.backup.name}. The file it replaced is kept "
        f"as {done.kept_as.name}.",
        QMessageBox.StandardButton.Ok,
        parent,
    ).exec()
    return True
