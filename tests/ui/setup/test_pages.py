"""The set-up pages one by one: every refusal shown next to its field, the import buttons, and
each page usable at 1366×768 and at 200 % text (names, Tab order, mnemonics, nothing cut off)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from auditor.domain.permissions import Principal
from auditor.domain.reference import Role
from auditor.services import Services
from auditor.ui.setup.wizard import SetupWizard
from auditor.ui.shell.background import SyncRunner
from db.models import Person, PersonRole, Team
from tests.ui.setup.keys import alt, enter, focused, press, type_text
from tests.ui.shell.signing import PASSWORD, cheap_hashing
from tests.ui.shell.test_mnemonics import clashes, mnemonic, page_level
from tests.ui.shell.test_small_screens import SCREENS, _controls_on, _cut_off, text_size
from tests.ui.test_accessibility import check

EXAMPLES = Path(__file__).parents[3] / "docs" / "examples"
__all__ = ["text_size"]  # the fixture, used by name


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)


@pytest.fixture(autouse=True)
def cheap_passwords(services: Services) -> None:
    cheap_hashing(services)


@pytest.fixture
def wizard(qtbot, services: Services) -> SetupWizard:
    shown = SetupWizard(services, SyncRunner())
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    shown.activateWindow()
    qtbot.waitUntil(lambda: focused() is shown.welcome.set_up_button)
    return shown


def past_the_administrator(qtbot, wizard: SetupWizard, services: Services) -> Principal:
    principal = services.setup.create_first_administrator(
        "helen.fraser", "Helen Fraser", [], password=PASSWORD
    )
    wizard.admin.administrator = services.directory.person("helen.fraser", who=principal)
    wizard._on_administrator(principal)
    return principal


def older_database(services: Services) -> None:
    """A team and a person, as a database made before there were administrators holds them."""
    with services.db.transaction() as s:
        north = Team(name="North", service="Strengthening Families")
        s.add(north)
        s.flush()
        s.add(
            Person(
                username="sw.amy",
                name="Amy Worker",
                team_id=north.id,
                roles=[PersonRole(role=Role.SOCIAL_WORKER.value)],
            )
        )


def test_the_administrator_chooses_a_password_typed_twice(qtbot, wizard, services):
    enter(qtbot)
    type_text(qtbot, "Helen Fraser")
    alt(qtbot, "w")
    type_text(qtbot, PASSWORD)
    alt(qtbot, "g")
    type_text(qtbot, PASSWORD + "!")
    again = wizard.admin.fields["again"]
    assert again.problem.text() == "The two new passwords are not the same."
    enter(qtbot)
    assert wizard.administrator is None and not services.setup.progress().ready
    press(qtbot, Qt.Key.Key_Backspace)
    assert again.problem.text() == ""
    enter(qtbot)
    qtbot.waitUntil(lambda: wizard.principal is not None)
    assert wizard.admin.password.text() == "" and not wizard.admin.password.isEnabled()
    signed_in = services.accounts.sign_in("helen.fraser", PASSWORD)
    assert Role.ADMINISTRATOR in signed_in.principal.roles and not signed_in.must_change


def test_an_administrator_without_a_name_is_refused_next_to_the_name(qtbot, wizard, services):
    enter(qtbot)
    alt(qtbot, "w")
    type_text(qtbot, PASSWORD)
    alt(qtbot, "g")
    type_text(qtbot, PASSWORD)
    alt(qtbot, "u")
    type_text(qtbot, "helen")
    enter(qtbot)
    field = wizard.admin.fields["name"]
    said = field.problem.text()
    assert field.problem.isVisible() and "name" in said and "username" not in said
    assert wizard.admin.name.accessibleDescription().startswith(f"Problem: {said}")
    assert focused() is wizard.admin.name and not services.setup.progress().ready
    assert not wizard.next_button.isEnabled()  # the administrator cannot be skipped
    alt(qtbot, "n")
    qtbot.wait(200)  # the button's flash: Next must still not move on
    assert wizard.index == 1


def test_a_second_first_administrator_is_refused_in_the_wizard(qtbot, wizard, services):
    someone = services.setup.create_first_administrator(  # in another window
        "someone", "Someone Else", [], password=PASSWORD
    )
    enter(qtbot)
    type_text(qtbot, "Helen Fraser")
    alt(qtbot, "w")
    type_text(qtbot, PASSWORD)
    alt(qtbot, "g")
    type_text(qtbot, PASSWORD)
    enter(qtbot)
    assert "already has an administrator" in wizard.admin.problem.text()
    assert wizard.admin.problem.isVisible() and wizard.administrator is None
    assert [p.username for p in services.directory.people(who=someone)] == ["someone"]


def test_a_taken_username_and_a_missing_role_are_refused_on_the_people_page(
    qtbot, wizard, services
):
    helen = past_the_administrator(qtbot, wizard, services)
    wizard.go(3)
    type_text(qtbot, "Helen Fraser")  # the suggestion is the administrator's username
    enter(qtbot)
    roles = wizard.people.fields["roles"]
    assert roles.problem.text() == "Give the person at least one role." and roles.isVisible()
    alt(qtbot, "r")
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    enter(qtbot)
    username = wizard.people.fields["username"]
    assert username.problem.text() == "The username 'helen.fraser' is already taken."
    assert roles.problem.text() == "" and focused() is wizard.people.username
    assert len(services.directory.people(who=helen)) == 1
    assert wizard.people.name.text() == "Helen Fraser"  # nothing typed is lost


def test_a_case_needs_a_team_and_a_proper_reference(qtbot, wizard, services):
    helen = past_the_administrator(qtbot, wizard, services)
    wizard.go(4)
    type_text(qtbot, "CF 1")
    enter(qtbot)
    assert "Teams step" in wizard.cases.fields["team"].problem.text()
    services.directory.add_team("North", "", who=helen)
    wizard.cases.reload()
    enter(qtbot)
    assert "one word" in wizard.cases.fields["reference"].problem.text()
    assert services.directory.cases(who=helen) == []


def test_import_buttons_bring_in_a_good_file_and_refuse_a_bad_one_whole(
    qtbot, wizard, services, file_dialog, tmp_path
):
    helen = past_the_administrator(qtbot, wizard, services)
    wizard.go(2)
    file_dialog.path = EXAMPLES / "teams.csv"
    alt(qtbot, "i")
    qtbot.waitUntil(lambda: wizard.teams.status.text().startswith("Imported"))
    assert wizard.teams.status.text() == "Imported 4 teams from teams.csv."
    assert wizard.teams.table.rowCount() == 4
    wizard.go(3)
    bad = tmp_path / "people.csv"
    shutil.copy(EXAMPLES / "people.csv", bad)
    bad.write_text(bad.read_text(encoding="utf-8") + "x.y,X Y,Wizard,Nowhere,\n", encoding="utf-8")
    file_dialog.path = bad
    alt(qtbot, "i")
    qtbot.waitUntil(wizard.people.problem.isVisible)
    said = wizard.people.problem.text()
    assert said.startswith("Nothing was imported.") and "Wizard" in said and "row" in said
    assert len(services.directory.people(who=helen)) == 1  # the administrator only: all or nothing
    file_dialog.path = EXAMPLES / "people.csv"
    alt(qtbot, "i")
    qtbot.waitUntil(lambda: wizard.people.status.text().startswith("Imported"))
    assert not wizard.people.problem.isVisible()
    assert wizard.people.table.rowCount() == 1 + 8
    assert Role.TEAM_MANAGER in services.directory.person("tom.price", who=helen).roles
    assert wizard.cases.worker.count() == 1 + 9  # the other pages know them at once


PAGES = ["welcome", "admin", "teams", "people", "cases", "finish"]


@pytest.mark.parametrize(("screen", "width", "height", "factor"), SCREENS[::2], ids=str)
def test_every_page_fits_is_named_walkable_and_has_no_mnemonic_clash(
    qtbot, services, text_size, screen, width, height, factor, tmp_path
):
    text_size(factor)
    older_database(services)
    wizard = SetupWizard(services, SyncRunner())
    qtbot.addWidget(wizard)
    wizard.resize(width, height)
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    past_the_administrator(qtbot, wizard, services)
    for index, name in enumerate(PAGES):
        wizard.go(index)
        QApplication.processEvents()
        wizard.grab().save(str(tmp_path / f"setup-{name}-{screen.split()[0]}.png"))  # to look at
        needs = wizard.minimumSizeHint()
        assert needs.width() <= width and needs.height() <= height, (name, needs)
        cut = [why for w in _controls_on(wizard) if (why := _cut_off(w, wizard))]
        assert not cut, (name, cut)
        named = page_level(wizard)
        assert not clashes(named), (name, clashes(named))
        assert all(mnemonic(text) for _, text in named)
        found = check(qtbot, wizard)
        assert not found.unnamed and not found.unreached and not found.low_contrast, (name, found)


def test_the_welcome_says_what_an_older_database_already_holds(qtbot, services):
    """A database made before there were administrators has people but nobody to look after
    them: the welcome must not say it is empty."""
    empty = SetupWizard(services, SyncRunner())
    qtbot.addWidget(empty)
    said = " ".join(label.text() for label in empty.welcome.findChildren(QLabel))
    assert "has nobody in it yet" in said
    older_database(services)
    older = SetupWizard(services, SyncRunner())
    qtbot.addWidget(older)
    said = " ".join(label.text() for label in older.welcome.findChildren(QLabel))
    assert "has 1 person in it but no administrator" in said and "nobody" not in said
