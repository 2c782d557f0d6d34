"""Composition root of the desktop app: Qt set-up, which database, who is using it, the window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from auditor import APP_ID, APP_NAME
from auditor.domain.errors import AuditorError
from auditor.logsetup import configure_logging
from auditor.paths import DB_ENV, config_dir, database_path, resource
from auditor.services import Services, open_services
from auditor.ui.background import BackgroundRunner
from auditor.ui.errors import install_excepthook, show_problem
from auditor.ui.main_window import MainWindow
from auditor.ui.start_dialogs import FirstRunDialog, UserPickerDialog
from auditor.ui import look

log = logging.getLogger(__name__)


def make_application(argv: list[str]) -> QApplication:
    if QApplication.instance() is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
            Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_ID)
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    look.set_up_application(app)
    icon = resource("icon.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def settings() -> QSettings:
    return QSettings(str(config_dir() / "auditor.ini"), QSettings.Format.IniFormat)


def choose_database(explicit: str | None, store: QSettings) -> tuple[Path, str] | None:
    """(path, how to open it: 'open' | 'new' | 'demo'), or None if the user gave up."""
    import os
    if explicit or os.environ.get(DB_ENV):
        path = database_path(explicit)
        return path, ("open" if path.exists() else "new")
    last = store.value("database/last")
    if last and Path(last).exists():
        return Path(last), "open"
    default = database_path()
    if default.exists():
        return default, "open"
    dialog = FirstRunDialog()
    if not dialog.exec() or dialog.choice is None:
        return None
    kind, path = dialog.choice
    return path, ("open" if kind == "demo" and path.exists() else kind)


def open_chosen(path: Path, how: str) -> Services:
    services = open_services(path, create=how in ("new", "demo"))
    if how == "demo" and services.is_empty():
        from auditor.services.demo import build_demo
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            build_demo(services)
        finally:
            QApplication.restoreOverrideCursor()
    return services


def run(db: str | None = None, argv: list[str] | None = None) -> int:
    log_file = configure_logging()
    app = make_application(argv or sys.argv[:1])
    install_excepthook(log_file)
    store = settings()
    chosen = choose_database(db, store)
    if chosen is None:
        return 0
    try:
        services = open_chosen(*chosen)
    except AuditorError as error:
        show_problem(None, error, "The database cannot be opened")
        store.remove("database/last")
        return 2
    store.setValue("database/last", str(services.path))
    people = services.work.people_for_login()
    if not people:
        QMessageBox.information(
            None, APP_NAME, "This database has nobody in it yet. Add your teams, people and "
            f"cases with the command line (python main.py --db \"{services.path}\" people add …), "
            "or open the demo organisation to look around.")
        return 0
    picker = UserPickerDialog(people, store.value("user/last"))
    if not picker.exec() or picker.chosen() is None:
        return 0
    user = picker.chosen()
    store.setValue("user/last", user.username)
    window = MainWindow(services, user, BackgroundRunner(), store)
    window.show()
    code = app.exec()
    services.close()
    return code
