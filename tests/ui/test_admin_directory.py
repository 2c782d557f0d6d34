"""The People, Teams and Cases screens driven from the keyboard: add, edit and make inactive a
person (and see it stored), reallocate a case and see who held it, add and rename a team; a bulk
import with bad rows names every row in its dialog and stores nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from auditor.domain.reference import Role
from auditor.services import Services
from auditor.ui.admin.cases_page import CasesAdminPage
from auditor.ui.admin.editing import ImportProblemsDialog
from auditor.ui.admin.people_page import PeopleAdminPage
from auditor.ui.admin.teams_page import TeamsAdminPage
from auditor.ui.shell.background import SyncRunner
from tests.ui.test_admin_menu import (
    ADMIN,
    CASE,
    MANAGER,
    OTHER_WORKER,
    WORKER,
    alt,
    enter,
    focused,
    shown,
    small_org,
    table_rows,
    type_text,
    who,
)


@pytest.fixture
def org_services(services: Services) -> Services:
    small_org(services)
    return services


def open_page(qtbot, services: Services, kind):
    page = kind(services, who(services, ADMIN), SyncRunner())
    shown(qtbot, page)
    page.reload()
    return page


def person(services: Services, username: str):
    return services.directory.person(username, who=who(services, ADMIN))


def test_a_person_is_added_from_the_keyboard(qtbot, org_services) -> None:
    page = open_page(qtbot, org_services, PeopleAdminPage)
    alt(qtbot, "w")  # New person
    assert focused() is page.name
    type_text(qtbot, "Tom Smith")
    assert page.username.text() == "tom.smith"
    alt(qtbot, "o")  # Roles
    type_text(qtbot, "Social")
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    alt(qtbot, "t")
    type_text(qtbot, "South")
    alt(qtbot, "n")
    enter(qtbot)  # Enter in a field saves
    assert "Added Tom Smith (tom.smith)" in page.status.text()
    stored = person(org_services, "tom.smith")
    assert stored.roles == (Role.SOCIAL_WORKER,) and stored.team == "South Team"
    assert "tom.smith" in [row[1] for row in table_rows(page.table)]
    assert page.editing == "tom.smith"  # the form now edits who was added


def test_a_person_is_edited_and_made_inactive_never_deleted(qtbot, org_services) -> None:
    page = open_page(qtbot, org_services, PeopleAdminPage)
    page.select(OTHER_WORKER)
    assert page.username.isReadOnly() and page.name.text() == "Carys Jones"
    alt(qtbot, "n")
    page.name.selectAll()
    type_text(qtbot, "Carys Jones-Evans")
    alt(qtbot, "l")  # Line manager
    page.manager.setCurrentIndex(page.manager.findData(MANAGER))
    alt(qtbot, "v")  # Save changes
    stored = person(org_services, OTHER_WORKER)
    assert stored.name == "Carys Jones-Evans"
    assert stored.line_manager_id == person(org_services, MANAGER).id
    assert "Saved the changes" in page.status.text()
    alt(qtbot, "c")  # Make inactive
    assert not person(org_services, OTHER_WORKER).active  # kept, not deleted
    assert OTHER_WORKER not in [row[1] for row in table_rows(page.table)]
    alt(qtbot, "i")  # Show inactive people too (a check box's mnemonic ticks it)
    assert page.inactive.isChecked()
    rows = {row[1]: row for row in table_rows(page.table)}
    assert rows[OTHER_WORKER][-1] == "No"
    page.select(OTHER_WORKER)
    assert page.active_button.text() == "Make a&ctive again"
    alt(qtbot, "c")
    assert person(org_services, OTHER_WORKER).active


def test_a_refusal_is_said_under_its_field(qtbot, org_services) -> None:
    page = open_page(qtbot, org_services, PeopleAdminPage)
    page.new()
    page.name.setText("Someone")
    page.username.setText(WORKER)  # taken
    page.roles.item(0).setCheckState(Qt.CheckState.Checked)
    page.save_button.click()
    assert page.fields["username"].problem.isVisible()
    assert WORKER in page.fields["username"].problem.text()


def test_deactivating_yourself_is_refused_in_words(qtbot, org_services) -> None:
    page = open_page(qtbot, org_services, PeopleAdminPage)
    page.select(ADMIN)
    page.active_button.click()
    assert page.problem.isVisible() and "yourself" in page.problem.text()
    assert person(org_services, ADMIN).active


def test_the_search_narrows_the_table(qtbot, org_services) -> None:
    page = open_page(qtbot, org_services, PeopleAdminPage)
    alt(qtbot, "k")
    type_text(qtbot, "patel")
    assert [row[1] for row in table_rows(page.table)] == [WORKER]
    assert page.count.text().startswith("1 of ")


def test_a_case_is_reallocated_and_who_held_it_is_shown(qtbot, org_services) -> None:
    page = open_page(qtbot, org_services, CasesAdminPage)
    page.select(CASE)
    assert len(table_rows(page.history)) == 1  # made with sw.patel
    alt(qtbot, "t")
    page.team.setCurrentIndex(page.team.findData("South Team"))
    alt(qtbot, "o")  # Allocated worker
    page.worker.setCurrentIndex(page.worker.findData(OTHER_WORKER))
    alt(qtbot, "v")
    assert "now with Carys Jones" in page.status.text()
    case = org_services.directory.case(CASE, who=who(org_services, ADMIN))
    assert case.worker_username == OTHER_WORKER and case.team == "South Team"
    history = table_rows(page.history)
    assert len(history) == 2
    newest, before = history
    assert newest[1] == "Now" and newest[3] == "Carys Jones" and newest[4] == ADMIN
    assert before[1] != "Now" and before[3] == "Priya Patel"
    assert page.history_title.text() == f"Who held {CASE}"


def test_a_case_is_added_and_made_inactive(qtbot, org_services) -> None:
    page = open_page(qtbot, org_services, CasesAdminPage)
    alt(qtbot, "w")
    type_text(qtbot, "cf-1002")
    alt(qtbot, "t")
    page.team.setCurrentIndex(page.team.findData("North Team"))
    alt(qtbot, "v")
    assert "Added the case CF-1002" in page.status.text()
    page.select("CF-1002")
    alt(qtbot, "c")
    admin = who(org_services, ADMIN)
    assert not org_services.directory.case("CF-1002", who=admin).active


def test_a_team_is_added_renamed_and_its_deactivation_refused_while_in_use(
    qtbot, org_services
) -> None:
    page = open_page(qtbot, org_services, TeamsAdminPage)
    alt(qtbot, "w")
    type_text(qtbot, "East Team")
    enter(qtbot)
    assert "Added the team East Team" in page.status.text()
    page.name.selectAll()
    type_text(qtbot, "East Side Team")
    enter(qtbot)
    assert "Renamed East Team to East Side Team" in page.status.text()
    names = [t.name for t in org_services.directory.teams(who=who(org_services, ADMIN))]
    assert "East Side Team" in names and "East Team" not in names
    page.select("North Team")
    alt(qtbot, "c")
    assert page.problem.isVisible() and "active people" in page.problem.text()


def test_an_import_with_bad_rows_names_them_and_stores_nothing(
    qtbot, org_services, file_dialog, monkeypatch, tmp_path: Path
) -> None:
    shown_text: list[str] = []
    monkeypatch.setattr(
        ImportProblemsDialog, "exec", lambda dialog: shown_text.append(dialog.text) or 0
    )
    bad = tmp_path / "staff.csv"
    bad.write_text(
        "username,name,roles,team,line manager\n"
        "amy.good,Amy Good,Social worker,North Team,tm.walsh\n"
        "bob.bad,Bob Bad,Wizard,North Team,\n"
        "cat.bad,,Social worker,Nowhere Team,\n",
        encoding="utf-8",
    )
    file_dialog.path = bad
    page = open_page(qtbot, org_services, PeopleAdminPage)
    before = len(page.rows)
    alt(qtbot, "b")
    assert shown_text, "the dialog naming the bad rows was not shown"
    assert "row 3" in shown_text[0] and "row 4" in shown_text[0]
    assert "Nothing was imported" in page.problem.text()
    usernames = {p.username for p in org_services.directory.people(who=who(org_services, ADMIN))}
    assert "amy.good" not in usernames and len(page.rows) == before


def test_a_good_import_is_stored_whole(qtbot, org_services, file_dialog, tmp_path) -> None:
    good = tmp_path / "cases.csv"
    good.write_text(
        f"reference,case type,team,worker\nCF-3001,CIN,North Team,{WORKER}\n"
        "CF-3002,CIN,South Team,\n",
        encoding="utf-8",
    )
    file_dialog.path = good
    page = open_page(qtbot, org_services, CasesAdminPage)
    alt(qtbot, "b")
    assert "Imported 2 cases from cases.csv" in page.status.text(), page.problem.text()
    assert {"CF-3001", "CF-3002"} <= {row[0] for row in table_rows(page.table)}
