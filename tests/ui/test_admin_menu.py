"""The Administration menu holds only what the signed-in person's roles allow, a screen is not
built for someone it is not for, and a screen opens once as a tab. The helpers at the top are the
other administration tests' too (tests/ui/test_admin_*.py)."""

from __future__ import annotations

import importlib

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMenu, QTabWidget, QWidget

from auditor.domain.permissions import Action, NotPermitted, Principal
from auditor.domain.reference import Role
from auditor.services import Services
from auditor.ui.admin import MENU_NAME, add_admin_menu, admin_screens, who_looked_panel
from auditor.ui.admin.who_looked import WhoLookedPanel
from auditor.ui.shell.background import SyncRunner

ADMIN = "helen.fraser"  # the administrator, also the principal social worker
QA = "ap.nowak"  # an advanced practitioner: reads the access log, manages nothing
MANAGER = "tm.walsh"
WORKER = "sw.patel"
OTHER_WORKER = "sw.jones"
CASE = "CF-1001"
ADMIN_PASSWORD = "an administrator's passphrase"


def who(services: Services, username: str) -> Principal:
    return services.accounts.principal_of(username)


def small_org(services: Services) -> Principal:
    """Two teams, an administrator, QA, a manager, two workers and a case, made through the
    services as the administrator; the administrator's principal."""
    admin = services.setup.create_first_administrator(
        ADMIN, "Helen Fraser", [Role.PRINCIPAL_SOCIAL_WORKER], password=ADMIN_PASSWORD
    )
    d = services.directory
    d.add_team("North Team", "Children in Need", who=admin)
    d.add_team("South Team", "Children in Need", who=admin)
    d.add_person(QA, "Łukasz Nowak", [Role.ADVANCED_PRACTITIONER], None, ADMIN, who=admin)
    d.add_person(MANAGER, "Siobhan Walsh", [Role.TEAM_MANAGER], "North Team", ADMIN, who=admin)
    d.add_person(WORKER, "Priya Patel", [Role.SOCIAL_WORKER], "North Team", MANAGER, who=admin)
    d.add_person(OTHER_WORKER, "Carys Jones", [Role.SOCIAL_WORKER], "South Team", None, who=admin)
    case_type = next(iter(d.case_type_labels(who=admin)))
    d.add_case(CASE, case_type, "North Team", WORKER, who=admin)
    return admin


@pytest.fixture
def org_services(services: Services) -> Services:
    small_org(services)
    return services


def shown(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget)
    return widget


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None, "nothing has the focus"
    return widget


def alt(qtbot, letter: str) -> None:
    """Alt+letter: a label's mnemonic moves the focus; a button's clicks it after its flash."""
    qtbot.keyClick(
        focused(), getattr(Qt.Key, f"Key_{letter.upper()}"), Qt.KeyboardModifier.AltModifier
    )
    qtbot.wait(160)  # a button's mnemonic clicks it at the end of a 100 ms flash


def type_text(qtbot, text: str) -> None:
    qtbot.keyClicks(focused(), text)


def enter(qtbot) -> None:
    qtbot.keyClick(focused(), Qt.Key.Key_Return)


def table_rows(table) -> list[list[str]]:
    return [
        [table.item(r, c).text() if table.item(r, c) else "" for c in range(table.columnCount())]
        for r in range(table.rowCount())
    ]


# ---------------------------------------------------------------------------------- the menu


@pytest.fixture
def window(qtbot, org_services: Services):
    from auditor.ui.shell.main_window import MainWindow

    frame = MainWindow()  # the frame only: the menus, no pages
    qtbot.addWidget(frame)
    return frame


def admin_menu(window) -> QMenu | None:
    found = window.findChild(QMenu, MENU_NAME)
    return found if found is not None and found.menuAction().isVisible() else None


def entries(window) -> list[str]:
    menu = admin_menu(window)
    if menu is None:
        return []
    return [a.text() for a in menu.actions() if a.isVisible()]


def test_the_menu_holds_only_what_the_roles_allow(window, org_services: Services) -> None:
    add_admin_menu(window, org_services, who(org_services, ADMIN))
    assert entries(window) == [
        "&People…",
        "&Teams…",
        "&Cases…",
        "&Sign-ins…",
        "&Roles and reading…",
        "Access &log…",
    ]
    bar = [a.text() for a in window.menuBar().actions()]
    assert bar.index("A&dministration") == len(bar) - 2  # before Help
    add_admin_menu(window, org_services, who(org_services, QA))  # switch user: replaced
    assert entries(window) == ["Access &log…"]
    assert len(window.findChildren(QMenu, MENU_NAME)) == 1
    add_admin_menu(window, org_services, who(org_services, WORKER))
    assert admin_menu(window) is None


@pytest.mark.parametrize(
    ("page", "action"),
    [
        ("auditor.ui.admin.accounts_page:AccountsPage", Action.MANAGE_ACCOUNTS),
        ("auditor.ui.admin.access_log_page:AccessLogPage", Action.READ_ACCESS_LOG),
        ("auditor.ui.admin.people_page:PeopleAdminPage", Action.MANAGE_PEOPLE),
        ("auditor.ui.admin.teams_page:TeamsAdminPage", Action.MANAGE_TEAMS),
        ("auditor.ui.admin.cases_page:CasesAdminPage", Action.MANAGE_CASES),
        ("auditor.ui.admin.roles_page:RolesPage", Action.SET_READ_SCOPE),
    ],
)
def test_a_screen_is_not_built_for_someone_it_is_not_for(
    qtbot, org_services: Services, page: str, action: Action
) -> None:
    module, name = page.split(":")
    kind = getattr(importlib.import_module(module), name)
    with pytest.raises(NotPermitted, match="You may not"):
        kind(org_services, who(org_services, WORKER), SyncRunner())
    assert not who(org_services, WORKER).may(action)


def test_the_panel_is_not_built_for_someone_who_may_not_read_the_log(
    qtbot, org_services: Services
) -> None:
    assert who_looked_panel(org_services, who(org_services, WORKER), 1) is None
    with pytest.raises(NotPermitted):
        WhoLookedPanel(org_services, who(org_services, WORKER), 1)


def test_a_screen_opens_as_a_tab_once_and_closes(qtbot, org_services: Services) -> None:
    from auditor.ui.shell.main_window import MainWindow

    frame = MainWindow()
    qtbot.addWidget(frame)
    frame.tabs = QTabWidget(frame)  # what attach() makes, without the pages
    frame.tabs.setTabsClosable(True)
    frame.setCentralWidget(frame.tabs)
    add_admin_menu(frame, org_services, who(org_services, ADMIN))
    screens = admin_screens(frame)
    assert screens is not None
    screens.actions["log"].trigger()
    page = frame.tabs.currentWidget()
    assert frame.tabs.tabText(frame.tabs.currentIndex()) == "Access log"
    screens.actions["log"].trigger()
    assert frame.tabs.count() == 1 and frame.tabs.currentWidget() is page
    frame.tabs.tabCloseRequested.emit(0)
    assert frame.tabs.count() == 0 and "log" not in screens.open
