"""Composition root of the desktop app: Qt set-up, which database, who is using it, the window."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QLocale, QSettings
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from auditor import APP_ID, APP_NAME
from auditor.domain.errors import AuditorError, FormDefinitionError
from auditor.paths import DB_ENV, config_dir, data_dir, database_path, resource
from auditor.ui.shell import look
from auditor.ui.shell.errors import install_excepthook, show_problem
from auditor.ui.shell.main_window import MainWindow

if TYPE_CHECKING:
    from auditor.services import Services

log = logging.getLogger(__name__)


def make_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv)
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


def choose_database(
    explicit: str | None, store: QSettings, parent: QWidget | None = None
) -> tuple[Path, str] | None:
    """(path, how to open it: 'open' | 'new' | 'demo'), or None if the user gave up."""
    import os

    if explicit or os.environ.get(DB_ENV):
        path = database_path(explicit)
        if path.exists():
            return path, "open"
        return (path, "new") if confirm_new_database(path, parent) else None
    last = store.value("database/last")
    if last and Path(last).exists():
        return Path(last), "open"
    default = database_path()
    if default.exists():
        return default, "open"
    from auditor.ui.shell.start_dialogs import FirstRunDialog

    dialog = FirstRunDialog(parent)
    if not dialog.exec() or dialog.choice is None:
        return None
    kind, path = dialog.choice
    return path, ("open" if kind == "demo" and path.exists() else kind)


def confirm_new_database(path: Path, parent: QWidget | None) -> bool:
    """A path given on the command line (or in the environment) where no file is: a mistyped name
    must not quietly become a new, empty database, so ask first; No is the default."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "No database there",
        f"There is no database at {path}.\n\nCreate a new, empty database there?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        parent,
    )
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes


def open_chosen(path: Path, how: str) -> Services:
    """Open (or make) the chosen database, and fill a new demo, off the GUI thread: the window
    keeps painting "Opening the database…" meanwhile."""
    from PySide6.QtCore import Qt

    from auditor.ui.shell.background import run_while_painting

    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        services: Services = run_while_painting(lambda: _open(path, how))
    finally:
        QApplication.restoreOverrideCursor()
    return services


def _open(path: Path, how: str) -> Services:
    from auditor.services import open_services

    services = open_services(path, create=how in ("new", "demo"))
    if how == "demo" and services.is_empty():
        from auditor.services.demo.build import build_demo

        try:
            build_demo(services)
        except BaseException:
            services.close()
            raise
    return services


def run(db: str | None = None, argv: list[str] | None = None) -> int:
    """The desktop app. The window is on screen first (it needs only Qt); the database layer loads
    while it says "Opening the database…", then someone signs in and their pages fill it."""
    app = make_application(argv or sys.argv[:1])
    store = settings()
    window = MainWindow(settings=store)
    window.show()
    app.processEvents()
    from auditor.logsetup import configure_logging  # after the window: it is the slow part of start

    install_excepthook(configure_logging())
    chosen = choose_database(db, store, window)
    if chosen is None:
        window.close()
        return 0
    while True:
        try:
            services = open_or_restore(window, *chosen)
        except FormDefinitionError as error:  # the database itself is fine: keep it as the last
            show_problem(window, error, "A form file has a mistake")
            window.close()
            return 2
        if services is None:
            store.remove("database/last")
            window.close()
            return 2
        store.setValue("database/last", str(services.path))
        signed_in = sign_in(window, services, store)
        if isinstance(signed_in, Path):  # the demo, chosen in the set-up wizard instead
            services.close()
            chosen = (signed_in, "demo")
            continue
        if not signed_in:
            window.close()
            services.close()
            return 0
        code = app.exec()
        if window.runner is not None:
            window.runner.wait()  # nothing still reading when the database closes
        services.close()
        if window.restore_requested is None:
            return code
        # File > Restore from backup…: the database is closed now, so it can be replaced.
        from auditor.ui.shell.restore_dialog import restore_backup

        restore_backup(None, services.path, *window.restore_requested)
        window = MainWindow(settings=store)
        window.show()
        chosen = (services.path, "open")


def open_or_restore(window: MainWindow, path: Path, how: str) -> Services | None:
    """The chosen database opened; if it is refused (damaged, say) and has backups, offer to
    restore one and try again. None if it cannot be opened."""
    while True:
        try:
            return open_chosen(path, how)
        except FormDefinitionError:
            raise  # not the database's fault: no restore to offer
        except AuditorError as error:
            if not offer_restore(window, path, error):
                return None


def offer_restore(window: MainWindow, path: Path, error: AuditorError) -> bool:
    """Show why the database was refused; with backups next to it, offer to put one back. True
    if one was restored (open it again)."""
    from auditor.services import maintenance

    if not path.is_file() or not maintenance.backups(path):
        show_problem(window, error, "The database cannot be opened")
        return False
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        "The database cannot be opened",
        str(error).split("\n")[0],
        QMessageBox.StandardButton.Close,
        window,
    )
    restore = box.addButton("Restore from backup…", QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(restore)
    box.exec()
    if box.clickedButton() is not restore:
        return False
    from auditor.ui.shell.restore_dialog import RestoreDialog, restore_backup

    try:  # nobody can sign in to a file that will not open; a sound one is not put over
        granted = maintenance.permit_restore_damaged(path)
    except AuditorError as refused:
        show_problem(window, refused, "The backup cannot be restored")
        return False
    dialog = RestoreDialog(path, "Auditor could not open the database.", window)
    chosen = dialog.chosen if dialog.exec() else None
    dialog.deleteLater()
    return chosen is not None and restore_backup(window, path, chosen, granted)


def sign_in(window: MainWindow, services: Services, store: QSettings) -> bool | Path:
    """The sign-in screen, then the window filled for who signed in; False if they quit. A
    database without an administrator (a new one, or one whose set-up was left half-way) opens
    the set-up wizard instead; a path back means: open that database (the demo) instead. A
    database made before sign-ins existed first has an administrator choose a password."""
    from auditor.ui.shell.background import BackgroundRunner
    from auditor.ui.shell.sign_in import ask_to_sign_in

    if not services.setup.progress().ready:
        return set_up(window, services, store)
    last = store.value("user/last")
    if not services.accounts.any_accounts():
        from auditor.ui.shell.password_dialogs import FirstSignInDialog

        first = FirstSignInDialog(services, window)
        if not first.exec() or first.username is None:
            return False
        last = first.username
    principal = ask_to_sign_in(services, str(last) if last else None, window)
    if principal is None:
        return False
    window.attach(services, principal, BackgroundRunner())
    return True


def set_up(window: MainWindow, services: Services, store: QSettings) -> bool | Path:
    """The set-up wizard; at its end the window opens signed in as the new administrator (who
    chose their password in it)."""
    from auditor.ui.setup.wizard import SetupWizard
    from auditor.ui.shell.background import BackgroundRunner

    runner = BackgroundRunner()
    wizard = SetupWizard(services, runner, window)
    accepted = wizard.exec()
    runner.wait()  # every add has landed before the wizard goes
    admin, demo = wizard.principal, wizard.demo_requested
    wizard.deleteLater()
    if demo:
        return data_dir() / "demo.db"
    if not accepted or admin is None:
        return False
    window.attach(services, admin, runner)
    return True
