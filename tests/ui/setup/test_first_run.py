"""From a new, empty database to a working organisation, in the app, by keyboard only.

``run()`` is driven in-process as in ``tests/ui/shell/test_start_up.py``; the set-up wizard's
``exec`` is replaced by the key presses a person makes in it (it is shown, not modal), and the
service calls go through the real background runner."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from auditor.domain.reference import Role
from auditor.services import open_services
from auditor.services.access.accounts import DEMO_PASSWORD
from auditor.ui.setup.wizard import SetupWizard
from auditor.ui.shell import app as app_module
from auditor.ui.shell.main_window import MainWindow
from auditor.ui.shell.sign_in import SignInDialog
from tests.builders import who
from tests.ui.setup.keys import alt, choose, enter, focused, press, tick, type_text
from tests.ui.shell.signing import PASSWORD, answer_sign_in, cheap_default_hashing


@pytest.fixture
def started(qtbot, monkeypatch):
    """Run the app; returns (exit code, the new main window or None). A new database is agreed to."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own hook
    monkeypatch.setattr("auditor.logsetup.configure_logging", lambda: None)
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    cheap_default_hashing(monkeypatch)
    monkeypatch.setattr(
        QMessageBox,
        "exec",
        lambda box: QMessageBox.StandardButton.Yes if "Create a new" in box.text() else 0,
    )

    def start(db: str) -> tuple[int, MainWindow | None]:
        before = set(QApplication.topLevelWidgets())
        code = app_module.run(db)
        windows = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w not in before and w.isVisible()
        ]
        for window in windows:
            qtbot.addWidget(window)
        return code, (windows[0] if windows else None)

    return start


def drive(monkeypatch, qtbot, steps) -> list[SetupWizard]:
    """The wizard, when the app opens it, is shown and ``steps(wizard)`` presses its keys."""
    seen: list[SetupWizard] = []

    def run_wizard(wizard: SetupWizard) -> int:
        seen.append(wizard)
        wizard.show()
        qtbot.waitExposed(wizard)
        wizard.activateWindow()
        qtbot.waitUntil(lambda: wizard.isActiveWindow() and focused() is not None)
        steps(wizard)
        qtbot.waitUntil(lambda: not wizard.runner.busy)
        return wizard.result()

    monkeypatch.setattr(SetupWizard, "exec", run_wizard)
    return seen


def added(qtbot, page, rows: int) -> None:
    def done() -> None:
        assert not page.problem.isVisible(), page.problem.text()
        assert [f.problem.text() for f in page.fields.values() if f.problem.text()] == []
        assert page.table.rowCount() == rows and page.add_button.isEnabled()

    qtbot.waitUntil(done)


def choose_password(qtbot, wizard: SetupWizard) -> None:
    """Alt+W to the password, Alt+G to typing it again."""
    alt(qtbot, "w")
    assert focused() is wizard.admin.password
    type_text(qtbot, PASSWORD)
    alt(qtbot, "g")
    assert focused() is wizard.admin.again
    type_text(qtbot, PASSWORD)


def set_up_by_keyboard(qtbot, wizard: SetupWizard) -> None:
    assert focused() is wizard.welcome.set_up_button
    enter(qtbot)  # Set up your organisation
    assert focused() is wizard.admin.name
    type_text(qtbot, "Helen Fraser")
    assert wizard.admin.username.text() == "helen.fraser"  # suggested
    tick(qtbot, "j", "Principal")
    choose(qtbot, "t", "Quality")  # a new team, typed
    type_text(qtbot, " Assurance")
    assert wizard.admin.team.currentText() == "Quality Assurance"
    choose_password(qtbot, wizard)
    enter(qtbot)
    qtbot.waitUntil(lambda: wizard.administrator is not None)
    assert wizard.principal is not None and wizard.principal.username == "helen.fraser"
    assert wizard.administrator.team == "Quality Assurance"
    assert focused() is wizard.next_button
    enter(qtbot)  # Next

    assert focused() is wizard.teams.name
    type_text(qtbot, "North")
    choose(qtbot, "s", "Streng")
    enter(qtbot)
    added(qtbot, wizard.teams, 2)  # with the administrator's own team
    assert focused() is wizard.teams.name
    type_text(qtbot, "South")
    enter(qtbot)
    added(qtbot, wizard.teams, 3)
    alt(qtbot, "n")  # Next (a button's Alt+letter clicks it after a short flash)

    qtbot.waitUntil(lambda: focused() is wizard.people.name)
    type_text(qtbot, "Ben Manager")
    alt(qtbot, "u")
    press(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    type_text(qtbot, "tm.ben")
    tick(qtbot, "r", "Team")
    choose(qtbot, "t", "North")
    enter(qtbot)
    added(qtbot, wizard.people, 2)
    type_text(qtbot, "Amy Worker")
    alt(qtbot, "r")  # Home: the first role (typing would add to "Team" typed just before)
    press(qtbot, Qt.Key.Key_Home)
    press(qtbot, Qt.Key.Key_Space)
    choose(qtbot, "t", "North")
    choose(qtbot, "l", "Ben")
    enter(qtbot)
    added(qtbot, wizard.people, 3)
    alt(qtbot, "n")

    qtbot.waitUntil(lambda: focused() is wizard.cases.reference)
    type_text(qtbot, "cf-100")
    choose(qtbot, "y", "Ado")
    choose(qtbot, "t", "North")
    choose(qtbot, "w", "Amy")
    enter(qtbot)
    added(qtbot, wizard.cases, 1)
    alt(qtbot, "n")

    qtbot.waitUntil(lambda: focused() is wizard.finish.open_button)
    qtbot.waitUntil(lambda: wizard.finish.progress is not None)
    assert wizard.finish.counts.text() == (
        "This database now has 1 administrator, 3 teams, 3 people and 1 case."
    )
    enter(qtbot)  # Open Auditor


def test_a_whole_set_up_by_keyboard_ends_in_the_main_window_signed_in(
    started, qtbot, monkeypatch, tmp_path
):
    seen = drive(monkeypatch, qtbot, lambda w: set_up_by_keyboard(qtbot, w))
    code, window = started(str(tmp_path / "council.db"))
    assert code == 0 and len(seen) == 1 and window is not None
    assert "Helen Fraser" in window.windowTitle()
    assert window.principal.roles == {Role.PRINCIPAL_SOCIAL_WORKER, Role.ADMINISTRATOR}
    assert app_module.settings().value("user/last") == "helen.fraser"
    window.close()

    services = open_services(tmp_path / "council.db")
    try:
        helen = who(services, "helen.fraser")
        d = services.directory
        assert {(t.name, t.service) for t in d.teams(who=helen)} == {
            ("Quality Assurance", ""),
            ("North", "Strengthening Families"),
            ("South", "Strengthening Families"),
        }
        amy = d.person("amy.worker", who=helen)
        assert (amy.roles, amy.team, amy.line_manager_id) == (
            (Role.SOCIAL_WORKER,),
            "North",
            d.person("tm.ben", who=helen).id,
        )
        case = d.case("CF-100", who=helen)
        assert (case.case_type, case.team, case.worker_username) == (
            "adoption",
            "North",
            "amy.worker",
        )
    finally:
        services.close()

    # The next start: set-up is done, so the sign-in screen comes, and her password works.
    monkeypatch.setattr(SetupWizard, "exec", lambda _w: pytest.fail("set-up shown again"))
    signs: list[SignInDialog] = []
    answer_sign_in(monkeypatch, "helen.fraser", PASSWORD, signs)
    code, window = started(str(tmp_path / "council.db"))
    assert code == 0 and window is not None and "Helen Fraser" in window.windowTitle()
    assert len(signs) == 1
    window.close()


def test_a_password_the_policy_refuses_stores_nothing(started, qtbot, monkeypatch, tmp_path):
    path = tmp_path / "council.db"

    def weak_password(wizard: SetupWizard) -> None:
        enter(qtbot)
        type_text(qtbot, "Helen Fraser")
        alt(qtbot, "w")
        type_text(qtbot, "password")  # short, and one everybody tries
        problem = wizard.admin.fields["password"].problem
        assert "at least 10 characters" in problem.text()  # said while typing
        assert "passwords people use most often" in problem.text()
        alt(qtbot, "g")
        type_text(qtbot, "password")
        enter(qtbot)
        qtbot.waitUntil(lambda: not wizard.runner.busy)
        assert wizard.administrator is None
        assert focused() is wizard.admin.password
        alt(qtbot, "q")
        qtbot.waitUntil(lambda: not wizard.isVisible())

    seen = drive(monkeypatch, qtbot, weak_password)
    assert started(str(path)) == (0, None) and len(seen) == 1
    services = open_services(path)
    try:
        assert not services.setup.progress().ready and not services.accounts.any_accounts()
    finally:
        services.close()


def test_a_set_up_left_half_way_resumes_with_what_is_stored(started, qtbot, monkeypatch, tmp_path):
    path = tmp_path / "council.db"

    def quit_at_the_administrator(wizard: SetupWizard) -> None:
        enter(qtbot)
        type_text(qtbot, "Helen")  # typed, not added: there is nothing to keep yet
        alt(qtbot, "q")  # Quit set-up
        qtbot.waitUntil(lambda: not wizard.isVisible())

    seen = drive(monkeypatch, qtbot, quit_at_the_administrator)
    assert started(str(path)) == (0, None) and len(seen) == 1

    def resume(wizard: SetupWizard) -> None:
        enter(qtbot)
        type_text(qtbot, "Helen Fraser")
        choose_password(qtbot, wizard)
        enter(qtbot)
        qtbot.waitUntil(lambda: wizard.administrator is not None)
        enter(qtbot)  # Next
        qtbot.waitUntil(lambda: focused() is wizard.teams.name)
        type_text(qtbot, "North")
        enter(qtbot)
        added(qtbot, wizard.teams, 1)
        alt(qtbot, "q")  # and leave, the administrator made
        qtbot.waitUntil(lambda: not wizard.isVisible())

    seen = drive(monkeypatch, qtbot, resume)
    assert started(str(path)) == (0, None) and len(seen) == 1

    # The third start: there is an administrator, so the sign-in screen; the team is kept.
    monkeypatch.setattr(SetupWizard, "exec", lambda _w: pytest.fail("set-up shown again"))
    answer_sign_in(monkeypatch, "helen.fraser", PASSWORD)
    code, window = started(str(path))
    assert code == 0 and window is not None
    assert [t.name for t in window.services.directory.teams(who=window.principal)] == ["North"]
    window.close()


def test_the_demo_can_be_opened_from_the_welcome_page(started, qtbot, monkeypatch, tmp_path):
    def demo(wizard: SetupWizard) -> None:
        alt(qtbot, "d")
        qtbot.waitUntil(lambda: not wizard.isVisible())

    seen = drive(monkeypatch, qtbot, demo)
    chosen: list[SignInDialog] = []
    answer_sign_in(monkeypatch, "tm.walsh", DEMO_PASSWORD, chosen)
    code, window = started(str(tmp_path / "council.db"))
    assert code == 0 and len(seen) == 1
    assert [d.windowTitle() for d in chosen] == ["Sign in to Auditor"]
    assert window is not None and "Siobhan Walsh" in window.windowTitle()
    assert window.services.path.name == "demo.db"
    assert app_module.settings().value("database/last").endswith("demo.db")
    window.close()
