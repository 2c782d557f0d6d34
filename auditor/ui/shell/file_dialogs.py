"""Every file dialog of the app, built here so that none of them can break the open database.

SQLite's locks on POSIX are per process and per file: when *any* code in the process opens and
closes the database file, all the process's locks on it go, and the next program that opens the
database and closes it again (the command line, say) believes it was the last user: it checkpoints
and deletes the live ``-wal`` and ``-shm``. What the app writes afterwards reaches a deleted file
and is lost on a crash. A file dialog showing the database's folder does exactly that open and
close: Qt's icon and file-type lookup sniffs each file's first bytes (seen with strace).

So the dialogs here are Qt's own (never the platform's, which may sniff in-process too), with an
icon provider that decides by file name alone and never reads a file, and the database's own files
(``auditor.db``, ``-wal``, ``-shm``, ``-journal``) are hidden, so nobody saves a report over them.
A suggested folder that holds the database is replaced by the home folder.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import (QFileInfo, QMimeDatabase, QModelIndex, QPersistentModelIndex,
                            QSortFilterProxyModel)
from PySide6.QtGui import QAbstractFileIconProvider
from PySide6.QtWidgets import QFileDialog, QFileIconProvider, QFileSystemModel, QWidget

SIDE_FILES = ("-wal", "-shm", "-journal")


class NameOnlyIconProvider(QFileIconProvider):
    """Icons and type names from the file's name only: never opens a file."""

    def __init__(self) -> None:
        super().__init__()
        self.mimes = QMimeDatabase()

    def icon(self, what):  # type: ignore[override]  # (IconType) or (QFileInfo), as Qt has it
        if isinstance(what, QFileInfo):
            kind = (QAbstractFileIconProvider.IconType.Folder if what.isDir()
                    else QAbstractFileIconProvider.IconType.File)
            return super().icon(kind)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:  # noqa: A003 (Qt's name)
        if info.isDir():
            return "Folder"
        mime = self.mimes.mimeTypeForFile(info.fileName(), QMimeDatabase.MatchMode.MatchExtension)
        return mime.comment() or mime.name()


class HideDatabase(QSortFilterProxyModel):
    """Leaves the database file and its companions out of the listing."""

    def __init__(self, database: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = database.resolve().parent
        self.names = {database.name, *(database.name + s for s in SIDE_FILES)}

    def filterAcceptsRow(self, row: int,  # noqa: N802 (Qt override)
                         parent: QModelIndex | QPersistentModelIndex) -> bool:
        source = self.sourceModel()
        if not isinstance(source, QFileSystemModel):
            return True
        index = source.index(row, 0, parent)
        if source.fileName(index) not in self.names:
            return True
        return Path(source.filePath(index)).resolve().parent != self.folder


def is_database_file(path: Path, database: Path | None) -> bool:
    if database is None:
        return False
    target, db = path.resolve(), database.resolve()
    return target.parent == db.parent and target.name in {db.name, *(db.name + s
                                                                      for s in SIDE_FILES)}


def safe_folder(folder: Path, database: Path | None) -> Path:
    """``folder``, unless it holds the database: then the home folder."""
    if database is not None and folder.resolve() == database.resolve().parent:
        return Path.home()
    return folder


def make_dialog(parent: QWidget | None, caption: str, suggested: Path, name_filter: str,
                database: Path | None, *, save: bool) -> QFileDialog:
    folder = suggested if suggested.is_dir() else suggested.parent
    start = safe_folder(folder, database)
    dialog = QFileDialog(parent, caption, str(start if suggested.is_dir()
                                              else start / suggested.name), name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    dialog.setIconProvider(NameOnlyIconProvider())
    if database is not None:
        dialog.setProxyModel(HideDatabase(database, dialog))
    if save:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    else:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    return dialog


def run_dialog(dialog: QFileDialog) -> str:
    """Show the dialog modally; the chosen path, or '' if the user cancelled. (Tests replace this
    one function to answer the dialog the app built.)"""
    if not dialog.exec():
        return ""
    files = dialog.selectedFiles()
    return files[0] if files else ""


def save_file(parent: QWidget | None, caption: str, suggested: Path, suffix: str,
              database: Path | None) -> Path | None:
    """Where to save a ``suffix`` file ('.pdf'); the suffix is added when not typed. None if the
    user cancelled or chose one of the database's own files (they are told why)."""
    label = f"{suffix[1:].upper()} files (*{suffix})"
    dialog = make_dialog(parent, caption, suggested, label, database, save=True)
    dialog.setDefaultSuffix(suffix[1:])
    chosen = run_dialog(dialog)
    dialog.deleteLater()
    if not chosen:
        return None
    path = Path(chosen)
    if path.suffix.lower() != suffix:
        path = path.with_name(path.name + suffix)
    if is_database_file(path, database):
        from PySide6.QtWidgets import QMessageBox
        QMessageBox(QMessageBox.Icon.Warning, caption, f"{path.name} is the database itself; "
                    "choose another name.", QMessageBox.StandardButton.Ok, parent).exec()
        return None
    return path


def open_file(parent: QWidget | None, caption: str, folder: Path, name_filter: str,
              database: Path | None = None) -> Path | None:
    dialog = make_dialog(parent, caption, folder, name_filter, database, save=False)
    chosen = run_dialog(dialog)
    dialog.deleteLater()
    return Path(chosen) if chosen else None
