"""The main window: Home, All audits, and a tab per open audit.

The window is built in two steps so that it can be on screen at once: the frame (menus, an
"opening" message) needs only Qt; ``attach`` adds the pages once the database is open and someone
has signed in. The pages' modules, and with them the database layer, load in ``attach``.

Signing out or switching user (File menu, or from the lock screen) saves every draft, then
``detach`` takes down everything of that person's (pages, open audits, dialogs, the
Administration menu) before the sign-in screen asks who is next.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QTabWidget,
    QWidget,
)

from auditor import APP_NAME, __version__
from auditor.ui.shell import look
from auditor.ui.widgets.lazy_tab import LazyTab

if TYPE_CHECKING:
    from auditor.domain.permissions import Principal
    from auditor.services import Services
    from auditor.services.maintenance import RestorePermit
    from auditor.ui.audits.audit_editor import AuditEditor
    from auditor.ui.practice.practice_weeks_page import PracticeWeeksPage
    from auditor.ui.reports.moderation_page import ModerationPage
    from auditor.ui.reports.reports_page import ReportsPage
    from auditor.ui.sampling.sampling_page import SamplingPage
    from auditor.ui.shell.background import Runner
    from auditor.ui.shell.idle import IdleWatch
    from auditor.ui.shell.lock_screen import SessionLock

P = TypeVar("P", bound=QWidget)


def role_labels(principal: Principal) -> str:
    from auditor.domain.reference import Role

    return ", ".join(r.label for r in Role if r in principal.roles)


class MainWindow(QMainWindow):
    def __init__(
        self,
        services: Services | None = None,
        principal: Principal | None = None,
        runner: Runner | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(APP_NAME)
        self.editors: dict[int, AuditEditor] = {}
        #: the backup to put back once the window has closed the database (File > Restore…), and
        #: the administrator's leave to
        self.restore_requested: tuple[str, RestorePermit] | None = None
        self.dip_pages: dict[int, QWidget] = {}
        self.runner: Runner | None = None
        #: who is signed in (None before sign-in and between people)
        self.principal: Principal | None = None
        self.idle: IdleWatch | None = None
        self.session_lock: SessionLock | None = None
        self.status: QLabel | None = None
        self.resize(1280, 820)
        if settings is not None and settings.value("window/geometry"):
            self.restoreGeometry(QByteArray(settings.value("window/geometry")))
        # Centred by rich text rather than Qt.AlignmentFlag: the Qt namespace takes 10 ms to load.
        self.opening: QLabel | None = QLabel("<p align='center'>Opening the database…</p>", self)
        look.apply(self.opening, "subtitle")
        self.setCentralWidget(self.opening)
        self._build_menus()
        if services is not None and principal is not None and runner is not None:
            self.attach(services, principal, runner)

    def attach(self, services: Services, principal: Principal, runner: Runner) -> None:
        """Fill the window for the person signed in on this database. Home and All audits are
        built now; the other pages the first time they are shown (or asked for), so the window
        opens fast."""
        from auditor.ui.audits.audit_list import AuditListPage
        from auditor.ui.home.home_page import HomePage

        self.services, self.principal, self.runner = services, principal, runner
        self.attached_runner = runner  # what the pages use: never None once attached
        if self.settings is not None:
            self.settings.setValue("user/last", principal.username)
        self.setWindowTitle(f"{APP_NAME} — {principal.name} — {services.path.name}")
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName("Pages")  # the page tabs: Home, All audits, … and open audits
        self.tabs.setDocumentMode(True)
        self.tabs.setTabsClosable(True)
        self.tabs.tabCloseRequested.connect(self._on_tab_close_requested)
        self.home = HomePage(services, principal, self, runner=runner)
        self.home.open_audit.connect(self.open_audit)
        self.audits = AuditListPage(services, principal, self, runner=runner)
        self.audits.open_audit.connect(self.open_audit)
        self.tabs.addTab(self.home, "&Home")
        self.tabs.addTab(self.audits, "&All audits")
        self.pages: dict[str, LazyTab] = {}
        for name, label in (
            ("weeks", "&Practice weeks"),
            ("reports", "&Reports"),
            ("moderation", "&Moderation"),
            ("sampling", "Case &samples"),
        ):
            self.pages[name] = LazyTab(getattr(self, f"_build_{name}"), self.tabs)
            self.tabs.addTab(self.pages[name], label)
        for i in range(self.tabs.count()):  # the pages stay
            self.tabs.tabBar().setTabButton(i, self.tabs.tabBar().ButtonPosition.RightSide, None)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.setCentralWidget(self.tabs)
        self.opening = None
        self.status = QLabel(
            f"Signed in as {principal.name} ({role_labels(principal)}) · database {services.path}",
            self,
        )
        look.apply(self.status, "subtitle")
        self.statusBar().addWidget(self.status)
        for act in self.needs_database:
            act.setEnabled(True)
        from auditor.domain.permissions import Action
        from auditor.ui.widgets.permitted import permit

        for act, needs in (  # what the person's roles allow; the rest say why on hover
            (self.new_action, Action.START_AUDIT),
            (self.observation_action, Action.RECORD_OBSERVATION),
            (self.dip_action, Action.RUN_DIP_SAMPLE),
            (self.restore_action, Action.RESTORE_BACKUP),  # it throws away everyone's work since
        ):
            permit(act, principal, needs)
        self._add_admin_menu()
        self._start_session()
        self.home.focus_work_when_loaded()  # signed in: the first thing waiting is one Enter away
        self.home.refresh()
        self.audits.refresh()

    # ----------------------------------------------------------------------- pages built later
    def _build_weeks(self) -> QWidget:
        from auditor.ui.practice.practice_weeks_page import PracticeWeeksPage

        page = PracticeWeeksPage(self.services, self.signed_in, self, runner=self.attached_runner)
        page.open_activity.connect(self._on_open_activity)
        return page

    def _build_reports(self) -> QWidget:
        from auditor.ui.reports.reports_page import ReportsPage

        return ReportsPage(self.services, self.signed_in, self.attached_runner, self)

    def _build_moderation(self) -> QWidget:
        from auditor.ui.reports.moderation_page import ModerationPage

        return ModerationPage(self.services, self.signed_in, self, runner=self.attached_runner)

    def _build_sampling(self) -> QWidget:
        from auditor.ui.sampling.sampling_page import SamplingPage

        return SamplingPage(self.services, self.signed_in, self, runner=self.attached_runner)

    def _page(self, name: str, kind: type[P]) -> P:
        page = self.pages[name].ensure_built()
        if not isinstance(page, kind):
            raise TypeError(f"the {name} tab holds {type(page).__name__}, not {kind.__name__}")
        return page

    @property
    def weeks(self) -> PracticeWeeksPage:
        from auditor.ui.practice.practice_weeks_page import PracticeWeeksPage

        return self._page("weeks", PracticeWeeksPage)

    @property
    def reports(self) -> ReportsPage:
        from auditor.ui.reports.reports_page import ReportsPage

        return self._page("reports", ReportsPage)

    @property
    def moderation(self) -> ModerationPage:
        from auditor.ui.reports.moderation_page import ModerationPage

        return self._page("moderation", ModerationPage)

    @property
    def sampling(self) -> SamplingPage:
        from auditor.ui.sampling.sampling_page import SamplingPage

        return self._page("sampling", SamplingPage)

    def _built(self, name: str) -> bool:
        """Whether that later page exists yet (its module loaded)."""
        return hasattr(self, "pages") and self.pages[name].content is not None

    def go_to_page(self, name: str) -> None:
        self.tabs.setCurrentWidget(self.pages[name])

    def go_to(self, page: QWidget) -> None:
        """Show a page (Home, All audits, one of the later ones, or an open tab)."""
        holder = next((tab for tab in self.pages.values() if tab.content is page), page)
        self.tabs.setCurrentWidget(holder)

    def current_page(self) -> QWidget:
        widget = self.tabs.currentWidget()
        return widget.ensure_built() if isinstance(widget, LazyTab) else widget

    def _build_menus(self) -> None:
        def action(menu, text: str, shortcut, slot) -> QAction:
            act = QAction(text, self)
            if shortcut is not None:
                act.setShortcut(QKeySequence(shortcut))
            act.triggered.connect(slot)
            menu.addAction(act)
            return act

        def database_action(menu, text: str, shortcut, slot) -> QAction:
            act = action(menu, text, shortcut, slot)
            act.setEnabled(False)  # until attach()
            self.needs_database.append(act)
            return act

        self.needs_database: list[QAction] = []
        file_menu = self.menuBar().addMenu("&File")
        file_menu.setToolTipsVisible(True)  # why an action is not available
        self.new_action = database_action(
            file_menu, "&New audit…", QKeySequence.StandardKey.New, self._on_new_audit
        )
        self.observation_action = database_action(
            file_menu, "New &observation…", "Ctrl+Shift+O", self._on_new_observation
        )
        self.dip_action = database_action(
            file_menu, "&Dip sample…", "Ctrl+Shift+D", self._on_dip_sample
        )
        database_action(
            file_menu,
            "&Close tab",
            QKeySequence.StandardKey.Close,
            lambda: self._on_tab_close_requested(self.tabs.currentIndex()),
        )
        file_menu.addSeparator()
        self.restore_action = database_action(
            file_menu, "&Restore from backup…", None, self._on_restore_backup
        )
        file_menu.addSeparator()
        self.change_password_action = database_action(
            file_menu, "Change my pass&word…", None, self.change_password
        )
        self.lock_action = database_action(file_menu, "&Lock", "Ctrl+L", self.lock)
        self.switch_user_action = database_action(
            file_menu, "Switch &user…", None, self.switch_user
        )
        self.sign_out_action = database_action(file_menu, "Sign ou&t", None, self.sign_out)
        file_menu.addSeparator()
        action(file_menu, "&Quit", QKeySequence.StandardKey.Quit, self.close)
        go = self.menuBar().addMenu("&Go")
        database_action(go, "&Home", "Ctrl+1", lambda: self.tabs.setCurrentWidget(self.home))
        database_action(
            go, "&All audits", "Ctrl+2", lambda: self.tabs.setCurrentWidget(self.audits)
        )
        database_action(go, "&Practice weeks", "Ctrl+3", lambda: self.go_to_page("weeks"))
        database_action(go, "&Reports", "Ctrl+4", lambda: self.go_to_page("reports"))
        database_action(go, "&Moderation", "Ctrl+5", lambda: self.go_to_page("moderation"))
        database_action(go, "Case &samples", "Ctrl+6", lambda: self.go_to_page("sampling"))
        database_action(go, "&Find a case…", QKeySequence.StandardKey.Find, self._on_find)
        database_action(go, "R&efresh", QKeySequence.StandardKey.Refresh, self._refresh_pages)
        help_menu = self.menuBar().addMenu("H&elp")  # Alt+H is the Home tab
        action(
            help_menu,
            "&About Auditor",
            None,
            lambda: QMessageBox.about(
                self,
                f"About {APP_NAME}",
                f"<b>{APP_NAME} {__version__}</b><p>Case-file audit and quality assurance for "
                "children's social care. Everything stays on this computer.</p>",
            ),
        )

    # --------------------------------------------------------------------------------- actions
    def open_audit(self, audit_id: int) -> AuditEditor:
        """The audit's tab, opened at once; it fills in when the audit arrives. Asking again
        (a double-click) shows the same tab."""
        from auditor.ui.audits.audit_editor import AuditEditor

        editor = self.editors.get(audit_id)
        if editor is None:
            editor = AuditEditor(
                self.services, self.attached_runner, audit_id, self.signed_in, self
            )
            editor.audit_changed.connect(self._on_audit_changed)
            editor.go_home.connect(self._on_go_home)
            editor.loaded.connect(self._on_editor_loaded)
            editor.open_failed.connect(self._on_editor_open_failed)
            self.editors[audit_id] = editor
            self.tabs.addTab(editor, f"Audit no. {audit_id}")
            if editor.detail is not None:  # a synchronous runner has built it already
                self._on_editor_loaded(audit_id)
        self.tabs.setCurrentWidget(editor)
        return editor

    def _on_editor_loaded(self, audit_id: int) -> None:
        editor = self.editors.get(audit_id)
        if editor is not None and editor.detail is not None:
            row = editor.detail.row
            self.tabs.setTabText(
                self.tabs.indexOf(editor), f"{row.case_reference or 'Audit'} (no. {audit_id})"
            )

    def _on_editor_open_failed(self, audit_id: int) -> None:
        editor = self.editors.pop(audit_id, None)
        if editor is not None:
            self.tabs.removeTab(self.tabs.indexOf(editor))
            editor.deleteLater()

    def _on_new_audit(self) -> None:
        from auditor.ui.audits.new_audit_dialog import NewAuditDialog

        dialog = NewAuditDialog(self.services, self.signed_in, self)
        if dialog.exec() and dialog.audit_id is not None:
            self._refresh_pages()
            self.open_audit(dialog.audit_id)

    def _on_new_observation(self) -> None:
        from auditor.ui.audits.new_observation_dialog import NewObservationDialog

        dialog = NewObservationDialog(self.services, self.signed_in, self)
        if dialog.exec() and dialog.audit_id is not None:
            self._refresh_pages()
            self.open_audit(dialog.audit_id)

    def _on_find(self) -> None:
        self.tabs.setCurrentWidget(self.audits)
        self.audits.search.setFocus()
        self.audits.search.selectAll()

    def _on_go_home(self) -> None:
        self.tabs.setCurrentWidget(self.home)
        self.home.focus_work()

    def _on_audit_changed(self, _audit_id: int) -> None:
        self._refresh_pages()

    def _refresh_pages(self) -> None:
        self.home.refresh()
        self.audits.refresh()
        if self._built("weeks") and self.weeks.loaded:
            self.weeks.refresh()

    def _on_tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is self.home:
            self.home.refresh()
        elif widget is self.pages["weeks"] and not self.weeks.loaded:
            self.weeks.refresh()
        elif widget is self.pages["sampling"] and not self.sampling.loaded:
            self.sampling.refresh()

    def _on_open_activity(self, kind: str, number: int) -> None:
        if kind == "audit":
            self.open_audit(number)
        else:
            self.open_dip_session(number)

    def open_dip_session(self, session_id: int) -> QWidget:
        from auditor.ui.practice.dip_session_page import DipSessionPage

        page = self.dip_pages.get(session_id)
        if page is None:
            page = DipSessionPage(
                self.services, self.attached_runner, session_id, self.signed_in, self
            )
            page.session_changed.connect(lambda _n: self._refresh_pages())
            self.dip_pages[session_id] = page
            self.tabs.addTab(page, f"Dip sample (no. {session_id})")
        self.tabs.setCurrentWidget(page)
        return page

    def _on_dip_sample(self) -> None:
        from auditor.ui.practice.new_dip_dialog import NewDipDialog

        dialog = NewDipDialog(self.services, self.signed_in, self)
        if dialog.exec() and dialog.session_id is not None:
            self.open_dip_session(dialog.session_id)

    def _on_tab_close_requested(self, index: int) -> None:
        widget = self.tabs.widget(index)
        editor = next((e for e in self.editors.values() if e is widget), None)
        if widget is not None and widget in self.dip_pages.values():
            self.attached_runner.wait_writes()
            self.dip_pages = {k: v for k, v in self.dip_pages.items() if v is not widget}
            self.tabs.removeTab(index)
            widget.deleteLater()
        elif editor is not None:
            problems = editor.flush()
            if problems and not self.may_discard(problems, "Close this audit anyway"):
                return
            self.editors.pop(editor.audit_id, None)
            self.tabs.removeTab(index)
            editor.deleteLater()

    def _on_restore_backup(self) -> None:
        """Choose a backup; the window then closes (drafts saved first, as at Quit) so that
        nothing has the database open, and the app puts the backup back and opens it again."""
        from auditor.domain.errors import AuditorError
        from auditor.services import maintenance
        from auditor.ui.shell.errors import show_problem
        from auditor.ui.shell.restore_dialog import RestoreDialog

        try:  # asked first: a person who may not is told before choosing anything
            granted = maintenance.permit_restore(self.services.db, self.signed_in)
        except AuditorError as error:
            show_problem(self, error, "The backup cannot be restored")
            return
        dialog = RestoreDialog(self.services.path, parent=self)
        chosen = dialog.chosen if dialog.exec() else None
        dialog.deleteLater()
        if chosen is None:
            return
        self.restore_requested = (chosen, granted)
        self.close()
        if self.isVisible():  # the person chose to keep unsaved changes: nothing is restored
            self.restore_requested = None

    def unsaved(self) -> list[str]:
        """Save everything pending and wait; what could not be saved (one line each)."""
        problems = [p for editor in self.editors.values() for p in editor.flush()]
        if self.runner is not None and not self.runner.wait_writes():
            problems.append("Some changes are still being written to the database.")
        return problems

    def may_discard(self, problems: list[str], discard_text: str) -> bool:
        """Warn that changes would be lost; True only if the person chooses to discard them."""
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Changes not saved",
            "Some of your changes could not be saved.",
            parent=self,
        )
        box.setInformativeText(
            "\n".join(problems) + "\n\nKeep the window open and try again "
            "(check the database is reachable and the disk is not full), or "
            "discard these changes."
        )
        keep = box.addButton("Keep the window open", QMessageBox.ButtonRole.RejectRole)
        discard = box.addButton(discard_text, QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.exec()
        return box.clickedButton() is discard

    # ------------------------------------------------------------------------------ the session
    @property
    def signed_in(self) -> Principal:
        """Who is signed in; only asked while someone is (the pages exist only then)."""
        if self.principal is None:
            raise RuntimeError("nobody is signed in")
        return self.principal

    def _add_admin_menu(self) -> None:
        """The Administration menu for this person (helper module ``auditor.ui.admin``)."""
        import importlib

        try:
            admin = importlib.import_module("auditor.ui.admin")
        except ImportError:  # a build without the administration screens
            return
        admin.add_admin_menu(self, self.services, self.signed_in)

    def _remove_admin_menu(self) -> None:
        import importlib

        try:
            admin = importlib.import_module("auditor.ui.admin")
        except ImportError:
            return
        screens = admin.admin_screens(self)
        if screens is not None:
            screens.setObjectName("")
            screens.remove()

    def _start_session(self) -> None:
        """The idle lock for the person now signed in."""
        from auditor.ui.shell.idle import SETTING, IdleWatch, idle_minutes
        from auditor.ui.shell.lock_screen import SessionLock

        self._end_session_watch()
        minutes = idle_minutes(self.settings.value(SETTING) if self.settings else None)
        self.idle = IdleWatch(minutes, self)
        self.idle.idle.connect(self.lock)
        self.session_lock = SessionLock(
            self.services, self.signed_in, self, self.unsaved, self.sign_out
        )
        self.session_lock.locked_changed.connect(self._on_locked_changed)
        self.idle.start()

    def _end_session_watch(self) -> None:
        if self.idle is not None:
            self.idle.stop()
            self.idle.deleteLater()
            self.idle = None
        if self.session_lock is not None:
            self.session_lock.release()
            self.session_lock.deleteLater()
            self.session_lock = None

    def _on_locked_changed(self, locked: bool) -> None:
        if self.idle is not None:
            if locked:
                self.idle.stop()
            else:
                self.idle.start()

    @property
    def locked(self) -> bool:
        return self.session_lock is not None and self.session_lock.locked

    def lock(self) -> None:
        """Save every draft, then cover every window until the same person's password is typed
        (File > Lock, Ctrl+L; and after the idle time)."""
        if self.session_lock is not None:
            self.session_lock.lock()

    def change_password(self) -> None:
        from auditor.ui.shell.password_dialogs import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.services, self.signed_in, self)
        changed = dialog.exec()
        dialog.deleteLater()
        if changed:
            box = QMessageBox(
                QMessageBox.Icon.Information,
                "Password changed",
                "Your password is changed. Use it from now on.",
                QMessageBox.StandardButton.Ok,
                self,
            )
            box.exec()

    def sign_out(self) -> None:
        """Drafts saved, the person's work taken off the screen, and the sign-in screen."""
        self._end_session(switching=False)

    def switch_user(self) -> None:
        """Sign out and let someone else sign in, without quitting."""
        self._end_session(switching=True)

    def _end_session(self, *, switching: bool) -> None:
        if self.principal is None:
            return
        problems = self.unsaved()
        if problems and not self.may_discard(problems, "Discard them and sign out"):
            return
        leaving = self.principal
        self._note_signed_out()
        self.detach()
        from auditor.ui.shell.sign_in import ask_to_sign_in

        principal = ask_to_sign_in(
            self.services, None if switching else leaving.username, self, quit_text="&Quit"
        )
        if principal is None:
            self.close()
            return
        runner = self.runner
        assert runner is not None
        self.attach(self.services, principal, runner)

    def _note_signed_out(self) -> None:
        from auditor.domain.errors import AuditorError
        from auditor.domain.permissions import AccessEventKind

        if self.principal is None:
            return
        with contextlib.suppress(AuditorError):
            self.services.accounts.note(self.principal, AccessEventKind.SIGNED_OUT)

    def detach(self) -> None:
        """Take down everything of the person signed in: the lock, their dialogs and windows,
        their pages and open audits, the Administration menu. Drafts are saved before this (the
        caller asks ``unsaved``)."""
        self._end_session_watch()
        for widget in QApplication.topLevelWidgets():
            if widget is self or not widget.isVisible() or not widget.isWindow():
                continue
            if isinstance(widget, QDialog):
                widget.reject()
            widget.close()
        self._remove_admin_menu()
        if self._built("reports"):
            self.reports.shutdown()
        if self.runner is not None:
            self.runner.wait()
        for editor in self.editors.values():
            editor.deleteLater()
        self.editors.clear()
        self.dip_pages.clear()
        if self.status is not None:
            self.statusBar().removeWidget(self.status)
            self.status.deleteLater()
            self.status = None
        for act in self.needs_database:
            act.setEnabled(False)
        tabs = self.__dict__.get("tabs")
        if isinstance(tabs, QTabWidget):  # going: it must not report its pages going
            tabs.currentChanged.disconnect(self._on_tab_changed)
            tabs.tabCloseRequested.disconnect(self._on_tab_close_requested)
            tabs.blockSignals(True)
        signed_out = QLabel("<p align='center'>Signed out.</p>", self)
        look.apply(signed_out, "subtitle")
        self.setCentralWidget(signed_out)  # the pages go with the tabs that held them
        for name in ("pages", "tabs", "home", "audits"):
            self.__dict__.pop(name, None)
        self.principal = None
        self.setWindowTitle(APP_NAME)

    def closeEvent(self, event: QCloseEvent) -> None:
        problems = self.unsaved()
        if problems and not self.may_discard(problems, "Discard them and quit"):
            event.ignore()
            return
        self._end_session_watch()
        if self.principal is not None:
            self._note_signed_out()
        if self.runner is not None:
            if self._built("reports"):
                self.reports.shutdown()
            self.runner.wait()
        if self.settings is not None:
            self.settings.setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)
