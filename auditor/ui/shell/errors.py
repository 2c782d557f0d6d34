"""How problems reach the user: plain messages for expected ones, a calm crash dialog for bugs."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from auditor.domain.errors import AuditorError, RuleViolation, StorageError, ValidationError
from auditor.domain.permissions import NotPermitted

log = logging.getLogger(__name__)


def show_problem(parent: QWidget | None, error: AuditorError, title: str = "") -> None:
    """An expected problem: say what is wrong and what to do, nothing technical. A refusal of
    the role table or of the records someone may read (``NotPermitted``) is one of them."""
    if not title:
        title = (
            "Not allowed"
            if isinstance(error, (RuleViolation, NotPermitted))
            else "Please check"
            if isinstance(error, ValidationError)
            else "The database cannot be used"
            if isinstance(error, StorageError)
            else "Auditor"
        )
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        title,
        str(error).split("\n")[0],
        QMessageBox.StandardButton.Ok,
        parent,
    )
    details = str(error).split("\n", 1)
    if len(details) > 1:
        box.setInformativeText(details[1])
    box.exec()


def shown_in(parent: QWidget | None, title: str = "") -> Callable[[BaseException], None]:
    """An ``on_error`` for background calls: an expected problem as a message over ``parent``,
    anything else raised again on the GUI thread, so it reaches the crash dialog as before."""

    def on_error(error: BaseException) -> None:
        if isinstance(error, AuditorError):
            show_problem(parent, error, title)
        else:
            raise error

    return on_error


def install_excepthook(log_file: Path | None) -> None:
    """Unexpected errors are logged in full and shown as a short, calm message."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        if isinstance(error, AuditorError):
            show_problem(QApplication.activeWindow(), error)
            return
        log.error("Unexpected error:\n%s", "".join(traceback.format_exception(kind, error, tb)))
        where = f"\n\nDetails were written to {log_file}." if log_file else ""
        QMessageBox.critical(
            QApplication.activeWindow(),
            "Something went wrong",
            "Auditor ran into a problem it did not expect. Your work is saved up to the last "
            "autosave (every couple of seconds). You can carry on; if it happens again, please "
            f"send the log file to your IT or QA team.{where}",
        )

    sys.excepthook = hook
