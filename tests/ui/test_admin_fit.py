"""Every administration screen at 1366×768 and at 200 % text: it fits, nothing is cut off, every
input is named and reached by Tab, and no Alt+letter does two things — on the screen, nor with the
main window's menus and page tabs, which are live beside it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from auditor.domain.reference import Role
from auditor.services import Services
from auditor.ui.admin.access_log_page import AccessLogPage
from auditor.ui.admin.accounts_page import AccountsPage
from auditor.ui.admin.cases_page import CasesAdminPage
from auditor.ui.admin.people_page import PeopleAdminPage
from auditor.ui.admin.roles_page import RolesPage
from auditor.ui.admin.teams_page import TeamsAdminPage
from auditor.ui.shell import look
from auditor.ui.shell.background import SyncRunner
from tests.ui.shell.test_mnemonics import clashes, mnemonic, page_level
from tests.ui.shell.test_small_screens import SCREENS, _controls_on, _cut_off, text_size
from tests.ui.test_accessibility import check
from tests.ui.test_admin_menu import ADMIN, CASE, WORKER, small_org, who

__all__ = ["text_size"]  # the fixture, used by name

#: the main window's page tabs: Home, All audits, Practice weeks, Reports, Moderation, Case samples
TAB_LETTERS = {"h", "a", "p", "r", "m", "s"}
SCREENS_ = [
    (AccountsPage, WORKER),
    (AccessLogPage, None),
    (PeopleAdminPage, WORKER),
    (TeamsAdminPage, "North Team"),
    (CasesAdminPage, CASE),
    (RolesPage, Role.TEAM_MANAGER),
]


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch, qapp):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    look.set_up_application(qapp)  # the app's palette: disabled text readable


def window_letters(services: Services) -> set[str]:
    from auditor.ui.admin import add_admin_menu
    from auditor.ui.shell.main_window import MainWindow

    frame = MainWindow()
    add_admin_menu(frame, services, who(services, ADMIN))
    letters = {mnemonic(a.text()) for a in frame.menuBar().actions() if a.isVisible()}
    frame.deleteLater()
    return {x for x in letters if x} | TAB_LETTERS


@pytest.mark.parametrize(("screen", "width", "height", "factor"), SCREENS[::2], ids=str)
@pytest.mark.parametrize(("kind", "row"), SCREENS_, ids=lambda v: getattr(v, "__name__", ""))
def test_every_screen_fits_is_named_walkable_and_has_no_mnemonic_clash(
    qtbot, services, text_size, screen, width, height, factor, kind, row, tmp_path
) -> None:
    text_size(factor)
    small_org(services)
    if kind is AccountsPage:
        services.accounts.create(who(services, ADMIN), WORKER, "river-candle-orbit")
    page = kind(services, who(services, ADMIN), SyncRunner())
    qtbot.addWidget(page)
    page.resize(width, height)
    page.show()
    qtbot.waitExposed(page)
    page.reload()
    if row is not None:
        page.select(row)
    QApplication.processEvents()
    page.grab().save(str(tmp_path / f"{kind.__name__}-{screen.split()[0]}.png"))  # to look at
    needs = page.minimumSizeHint()
    assert needs.width() <= width and needs.height() <= height, needs
    cut = [why for w in _controls_on(page) if (why := _cut_off(w, page))]
    assert not cut, cut
    named = page_level(page)
    assert not clashes(named), clashes(named)
    assert all(mnemonic(text) for _, text in named)
    taken = window_letters(services)
    assert not [text for letter, text in named if letter in taken], taken
    found = check(qtbot, page)
    assert not found.unnamed and not found.unreached and not found.low_contrast, found
    assert not found.tab_kept, found
