"""The Sign-ins screen, driven from the keyboard: reset a password (the person must change it at
the next sign-in), switch a sign-in off and on, unlock a locked one, give someone a sign-in; what
is refused is said in words."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from auditor.services import Services
from auditor.services.access.accounts import MAX_FAILURES, SignInRefused
from auditor.ui.admin.accounts_page import AccountsPage
from auditor.ui.admin.password_dialog import PasswordDialog
from auditor.ui.shell.background import SyncRunner
from tests.ui.test_admin_menu import (
    ADMIN,
    WORKER,
    alt,
    shown,
    small_org,
    table_rows,
    type_text,
    who,
)

TEMPORARY = "river-candle-orbit"
OWN = "my own good passphrase"


def signed_in_ok(services: Services, username: str, password: str) -> bool:
    try:
        services.accounts.sign_in(username, password)
    except SignInRefused:
        return False
    return True


@pytest.fixture
def org_services(services: Services) -> Services:
    small_org(services)
    return services


@pytest.fixture
def page(qtbot, org_services: Services) -> AccountsPage:
    if not org_services.accounts.has_account(WORKER):
        org_services.accounts.create(who(org_services, ADMIN), WORKER, TEMPORARY)
    screen = AccountsPage(org_services, who(org_services, ADMIN), SyncRunner())
    shown(qtbot, screen)
    screen.reload()
    screen.table.setFocus()
    return screen


@pytest.fixture
def typed_password(qtbot, monkeypatch):
    """Answer the password dialog as a person would: the password, Tab, again, Enter."""
    answers: list[str] = []
    seen: list[PasswordDialog] = []

    def answer(dialog: PasswordDialog) -> int:
        seen.append(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        dialog.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
        if dialog.people is not None and answers and answers[0].startswith("person:"):
            username = answers.pop(0).removeprefix("person:")
            dialog.people.setCurrentIndex(dialog.people.findData(username))
        alt(qtbot, "t")
        type_text(qtbot, answers[0])
        alt(qtbot, "g")
        type_text(qtbot, answers[0])
        qtbot.keyClick(dialog.again, "\r")
        return dialog.result()

    monkeypatch.setattr(PasswordDialog, "exec", answer)
    return answers, seen


def test_a_reset_password_must_be_changed_at_the_next_sign_in(
    qtbot, page, org_services, typed_password
) -> None:
    answers, _ = typed_password
    answers.append("a fresh temporary one")
    page.select(WORKER)
    alt(qtbot, "w")
    assert "password is reset" in page.status.text()
    signed = org_services.accounts.sign_in(WORKER, "a fresh temporary one")
    assert signed.must_change
    row = table_rows(page.table)[page.table.currentRow()]
    assert row[1] == WORKER and row[-1] == "Must change at next sign-in"


def test_two_different_passwords_cannot_be_set(qtbot, page) -> None:
    dialog = PasswordDialog("Reset", "", page)
    qtbot.addWidget(dialog)
    dialog.first.setText("one long password")
    dialog.again.setText("another long one")
    dialog.again.textEdited.emit("x")
    assert not dialog.ok.isEnabled() and "not the same" in dialog.problem.text()
    dialog._on_suggest()
    assert dialog.ok.isEnabled() and len(dialog.password) == 17
    assert dialog.first.echoMode() == dialog.first.EchoMode.Normal


def test_a_short_temporary_password_is_refused_in_words(
    qtbot, page, org_services, typed_password
) -> None:
    answers, _ = typed_password
    answers.append("short")
    page.select(WORKER)
    alt(qtbot, "w")
    assert page.problem.isVisible() and "characters" in page.problem.text()
    assert signed_in_ok(org_services, WORKER, TEMPORARY)  # nothing changed


def test_a_sign_in_is_switched_off_and_on_again(qtbot, page, org_services) -> None:
    page.select(WORKER)
    alt(qtbot, "o")  # Switch off
    assert "can no longer sign in" in page.status.text()
    with pytest.raises(SignInRefused, match="switched off"):
        org_services.accounts.sign_in(WORKER, TEMPORARY)
    assert table_rows(page.table)[page.table.currentRow()][3] == "Switched off"
    assert page.switch_button.text() == "Switch &on"
    alt(qtbot, "o")  # Switch on
    assert signed_in_ok(org_services, WORKER, TEMPORARY)


def test_switching_off_your_own_sign_in_is_refused_in_words(qtbot, org_services) -> None:
    page = AccountsPage(org_services, who(org_services, ADMIN), SyncRunner())
    shown(qtbot, page)
    page.reload()
    page.select(ADMIN)
    page.switch_button.click()
    assert "your own sign-in" in page.problem.text() and page.problem.isVisible()


def test_a_locked_sign_in_is_unlocked(qtbot, page, org_services) -> None:
    for _ in range(MAX_FAILURES):
        assert not signed_in_ok(org_services, WORKER, "not the password")
    page.reload()
    page.select(WORKER)
    assert table_rows(page.table)[page.table.currentRow()][5]  # locked until …
    assert page.unlock_button.isEnabled()
    alt(qtbot, "u")
    assert "unlocked" in page.status.text()
    assert signed_in_ok(org_services, WORKER, TEMPORARY)


def test_a_person_is_given_a_sign_in(qtbot, page, org_services, typed_password) -> None:
    answers, seen = typed_password
    answers.extend(["person:sw.jones", TEMPORARY])
    alt(qtbot, "i")
    assert seen[0].people is not None
    assert seen[0].people.findData(WORKER) < 0  # who has one is not offered
    assert "sw.jones can now sign in" in page.status.text()
    assert org_services.accounts.sign_in("sw.jones", TEMPORARY).must_change
    assert "sw.jones" in [row[1] for row in table_rows(page.table)]
