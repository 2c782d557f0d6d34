"""The Roles and reading screen, driven from the keyboard: every role with what it may do and how
far it reads; choosing a role and a reach and pressing Set changes what that role's people see at
their next step, and the change is in the access log."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from auditor.domain.permissions import READ_SCOPE, AccessEventKind, Scope
from auditor.domain.reference import Role
from auditor.services import Services
from auditor.services.audits.views import AuditFilter
from auditor.ui.admin.roles_page import RolesPage
from auditor.ui.shell.background import SyncRunner
from tests.ui.test_admin_menu import ADMIN, CASE, MANAGER, alt, shown, small_org, table_rows, who


def test_every_role_is_listed_with_what_it_may_do_and_reads(qtbot, services: Services) -> None:
    small_org(services)
    page = RolesPage(services, who(services, ADMIN), SyncRunner())
    shown(qtbot, page)
    page.reload()
    rows = {row[0]: row for row in table_rows(page.table)}
    assert set(rows) == {role.label for role in Role}
    assert rows["Team manager"][1:3] == [READ_SCOPE[Role.TEAM_MANAGER].label] * 2
    assert "start an audit" in rows["Team manager"][3]
    assert "write a second audit" not in rows["Team manager"][3]
    assert rows["Administrator"][3].endswith("restore the database from a backup")
    assert "each reads as usual" in page.count.text()
    assert rows["Administrator"][1] == "no audits"  # whatever is set: they read none
    page.select(Role.ADMINISTRATOR)
    assert not page.set_button.isEnabled() and "may not read audits" in page.set_button.toolTip()
    page.select(Role.IRO)
    assert page.set_button.isEnabled()
    assert page.detail.text().endswith("may: read audits, print an audit.")


def test_a_reach_set_by_keyboard_counts_at_once_and_is_logged(qtbot, services: Services) -> None:
    small_org(services)
    manager = who(services, MANAGER)
    audit = services.audits.start(CASE, by=manager)
    page = RolesPage(services, who(services, ADMIN), SyncRunner())
    shown(qtbot, page)
    page.reload()
    page.table.setFocus()
    page.select(Role.TEAM_MANAGER)
    assert page.reach.currentData() is Scope.TEAM
    alt(qtbot, "c")  # to the Reach choice
    assert QApplication.focusWidget() is page.reach
    while page.reach.currentData() is not Scope.OWN:
        qtbot.keyClick(page.reach, Qt.Key.Key_Up)
    alt(qtbot, "t")  # Set for this role
    assert "Team manager now reads their own cases" in page.status.text()
    assert services.roles.read_scopes(who=manager)[Role.TEAM_MANAGER] is Scope.OWN
    row = next(r for r in table_rows(page.table) if r[0] == "Team manager")
    assert row[1] == Scope.OWN.label and row[2] == Scope.TEAM.label
    assert "the council has set 1 of them" in page.count.text()
    # the manager started it, so still reads it; another team's work would now be out of reach
    assert [r.id for r in services.views.rows(AuditFilter(), who=manager)] == [audit]
    [line] = [
        e
        for e in services.access_log.events(who(services, ADMIN))
        if e.kind is AccessEventKind.READ_SCOPE_CHANGED
    ]
    assert line.username == ADMIN
    assert (
        line.detail
        == "Team manager: from the teams they manage to their own cases and their own work"
    )
    alt(qtbot, "t")  # again: nothing changes, and nothing more is logged
    assert "already reads" in page.status.text()
    assert [
        e
        for e in services.access_log.events(who(services, ADMIN))
        if e.kind is AccessEventKind.READ_SCOPE_CHANGED
    ] == [line]
