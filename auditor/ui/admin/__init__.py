"""The administration screens: people, teams, cases, sign-ins, roles and the access log, and the
"Who looked at this" panel an audit can show.

``add_admin_menu`` puts them in the main window's menu bar (an Administration menu holding only
the screens the signed-in person's roles allow; no menu at all for someone who may use none).
Each screen opens as a tab of the window, once; closing the tab closes the screen. The screens'
modules load when a screen is first opened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu, QTabWidget, QWidget

from auditor.domain.permissions import Action, Principal

if TYPE_CHECKING:
    from auditor.services import Services
    from auditor.ui.shell.background import Runner

MENU_NAME = "adminMenu"


@dataclass(frozen=True)
class Screen:
    key: str
    menu_text: str
    tab_text: str
    action: Action
    build: Callable[[Services, Principal, Runner, QWidget | None], QWidget]


def _people(services: Services, who: Principal, runner: Runner, parent: QWidget | None) -> QWidget:
    from auditor.ui.admin.people_page import PeopleAdminPage

    return PeopleAdminPage(services, who, runner, parent)


def _teams(services: Services, who: Principal, runner: Runner, parent: QWidget | None) -> QWidget:
    from auditor.ui.admin.teams_page import TeamsAdminPage

    return TeamsAdminPage(services, who, runner, parent)


def _cases(services: Services, who: Principal, runner: Runner, parent: QWidget | None) -> QWidget:
    from auditor.ui.admin.cases_page import CasesAdminPage

    return CasesAdminPage(services, who, runner, parent)


def _accounts(
    services: Services, who: Principal, runner: Runner, parent: QWidget | None
) -> QWidget:
    from auditor.ui.admin.accounts_page import AccountsPage

    return AccountsPage(services, who, runner, parent)


def _roles(services: Services, who: Principal, runner: Runner, parent: QWidget | None) -> QWidget:
    from auditor.ui.admin.roles_page import RolesPage

    return RolesPage(services, who, runner, parent)


def _log(services: Services, who: Principal, runner: Runner, parent: QWidget | None) -> QWidget:
    from auditor.ui.admin.access_log_page import AccessLogPage

    return AccessLogPage(services, who, runner, parent)


SCREENS = (
    Screen("people", "&People…", "People", Action.MANAGE_PEOPLE, _people),
    Screen("teams", "&Teams…", "Teams", Action.MANAGE_TEAMS, _teams),
    Screen("cases", "&Cases…", "Cases", Action.MANAGE_CASES, _cases),
    Screen("accounts", "&Sign-ins…", "Sign-ins", Action.MANAGE_ACCOUNTS, _accounts),
    Screen("roles", "&Roles and reading…", "Roles", Action.SET_READ_SCOPE, _roles),
    Screen("log", "Access &log…", "Access log", Action.READ_ACCESS_LOG, _log),
)


class AdminScreens(QObject):
    """What ``add_admin_menu`` adds to one window: its menu and the screens open in its tabs."""

    def __init__(
        self, window: QMainWindow, services: Services, principal: Principal, runner: Runner
    ) -> None:
        super().__init__(window)
        self.setObjectName("adminScreens")
        self.window_, self.services, self.principal, self.runner = (
            window,
            services,
            principal,
            runner,
        )
        self.open: dict[str, QWidget] = {}
        self.actions: dict[str, QAction] = {}
        self.menu = QMenu("A&dministration", window)
        self.menu.setObjectName(MENU_NAME)
        for screen in SCREENS:
            act = QAction(screen.menu_text, self.menu)
            act.setVisible(principal.may(screen.action))
            act.triggered.connect(lambda _checked=False, key=screen.key: self.show_screen(key))
            self.menu.addAction(act)
            self.actions[screen.key] = act
        self.menu.menuAction().setVisible(any(a.isVisible() for a in self.actions.values()))
        bar = window.menuBar()
        help_menu = next(
            (a for a in bar.actions() if a.text().replace("&", "").lower() == "help"), None
        )
        if help_menu is not None:  # Help stays last
            bar.insertMenu(help_menu, self.menu)
        else:
            bar.addMenu(self.menu)
        tabs = self.tabs()
        if tabs is not None:
            tabs.tabCloseRequested.connect(self._on_tab_close_requested)

    def tabs(self) -> QTabWidget | None:
        tabs = getattr(self.window_, "tabs", None)
        return tabs if isinstance(tabs, QTabWidget) else None

    def show_screen(self, key: str) -> QWidget:
        """Open the screen (or go to it if it is open already) and put the focus in it."""
        screen = next(s for s in SCREENS if s.key == key)
        page = self.open.get(key)
        tabs = self.tabs()
        if page is None:
            page = screen.build(self.services, self.principal, self.runner, tabs or self.window_)
            self.open[key] = page
            if tabs is not None:
                tabs.addTab(page, screen.tab_text)
            reload = getattr(page, "reload", None)
            if callable(reload):
                reload()
        if tabs is not None:
            tabs.setCurrentWidget(page)
        else:
            page.show()
        first = getattr(page, "first_input", None)
        target = first() if callable(first) else None
        if target is not None:
            target.setFocus()
        return page

    def _on_tab_close_requested(self, index: int) -> None:
        tabs = self.tabs()
        if tabs is None:
            return
        widget = tabs.widget(index)
        key = next((k for k, page in self.open.items() if page is widget), None)
        if key is None or widget is None:
            return
        del self.open[key]
        tabs.removeTab(index)
        widget.deleteLater()

    def remove(self) -> None:
        """Take the menu away and close the open screens (another person signs in)."""
        tabs = self.tabs()
        for page in self.open.values():
            if tabs is not None and tabs.indexOf(page) >= 0:
                tabs.removeTab(tabs.indexOf(page))
            page.deleteLater()
        self.open.clear()
        if tabs is not None:
            tabs.tabCloseRequested.disconnect(self._on_tab_close_requested)
        self.window_.menuBar().removeAction(self.menu.menuAction())
        self.menu.setObjectName("")
        self.setObjectName("")
        self.menu.deleteLater()
        self.deleteLater()


def admin_screens(window: QMainWindow) -> AdminScreens | None:
    """What ``add_admin_menu`` added to ``window``, if anything."""
    found = window.findChild(AdminScreens, "adminScreens")
    return found if isinstance(found, AdminScreens) and found.menu is not None else None


def add_admin_menu(window: QMainWindow, services: Services, principal: Principal) -> None:
    """Add the Administration menu to ``window`` for ``principal``: only the screens their roles
    allow, no menu if none. Called again (switch user) it replaces what it added before, closing
    the previous person's screens. The screens run their service calls on the window's runner
    (``attached_runner``) where it has one."""
    from auditor.ui.shell.background import SyncRunner

    before = admin_screens(window)
    if before is not None:
        before.setObjectName("")
        before.remove()
    runner = getattr(window, "attached_runner", None) or SyncRunner()
    AdminScreens(window, services, principal, runner)


def who_looked_panel(
    services: Services,
    principal: Principal,
    audit_id: int,
    parent: QWidget | None = None,
    *,
    runner: Runner | None = None,
) -> QWidget | None:
    """The 'Who looked at this' panel for one audit, or None for someone who may not read the
    access log (so the editor shows nothing rather than a refusal)."""
    from auditor.ui.admin.who_looked import WhoLookedPanel

    if not WhoLookedPanel.allowed_for(principal):
        return None
    return WhoLookedPanel(services, principal, audit_id, parent, runner=runner)


__all__ = ["SCREENS", "AdminScreens", "add_admin_menu", "admin_screens", "who_looked_panel"]
