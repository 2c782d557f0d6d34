"""The sign-in screen, driven by the keyboard: the right password signs in; a wrong one is said in
words and counts; the fifth in a row locks the account and says for how long; a password an
administrator reset is replaced before anything else."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit
from sqlalchemy import select, update

from auditor.domain.errors import AuditorError
from auditor.ui.shell.password_dialogs import ChangePasswordDialog
from auditor.ui.shell.sign_in import SignInDialog, ask_to_sign_in
from db.models import Account, Person
from tests.ui.shell.signing import PASSWORD, give_passwords, press_enter, type_into


@pytest.fixture
def signable(services, org):
    give_passwords(services)
    return org


def shown(qtbot, services, last: str | None = None) -> SignInDialog:
    dialog = SignInDialog(services, last)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    return dialog


def sign_in_by_keyboard(qtbot, dialog: SignInDialog, username: str, password: str) -> None:
    type_into(qtbot, dialog.username, username)
    qtbot.keyClick(dialog.username, Qt.Key.Key_Tab)
    type_into(qtbot, dialog.password, password)
    press_enter(qtbot)


def test_the_right_password_signs_in(qtbot, services, signable):
    dialog = shown(qtbot, services)
    sign_in_by_keyboard(qtbot, dialog, signable.worker, PASSWORD)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.signed_in is not None
    assert dialog.signed_in.principal.username == signable.worker
    assert dialog.password.text() == ""  # the password is not kept in the field


def test_the_last_username_is_filled_in_and_the_password_has_the_focus(qtbot, services, signable):
    dialog = shown(qtbot, services, signable.manager)
    assert dialog.username.text() == signable.manager
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.password)
    type_into(qtbot, dialog.password, PASSWORD)
    press_enter(qtbot)
    assert dialog.signed_in is not None
    assert dialog.signed_in.principal.username == signable.manager


def test_a_wrong_password_is_said_in_words_and_counts(qtbot, services, signable):
    dialog = shown(qtbot, services)
    sign_in_by_keyboard(qtbot, dialog, signable.worker, "not the password at all")
    assert dialog.isVisible() and dialog.signed_in is None
    assert dialog.error.isVisible()
    assert "not right" in dialog.error.text()
    assert "4 more wrong passwords will lock" in dialog.error.text()
    assert "Traceback" not in dialog.error.text()
    assert dialog.password.text() == ""
    assert QApplication.focusWidget() is dialog.password  # ready to try again at once


def test_an_unknown_username_reads_like_a_wrong_password(qtbot, services, signable):
    dialog = shown(qtbot, services)
    sign_in_by_keyboard(qtbot, dialog, "nobody.here", PASSWORD)
    assert dialog.signed_in is None
    assert dialog.error.text() == "The username or password is not right."


def test_empty_fields_are_asked_for(qtbot, services, signable):
    dialog = shown(qtbot, services)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.username)
    press_enter(qtbot)
    assert dialog.error.text() == "Type your username."
    type_into(qtbot, dialog.username, signable.worker)
    press_enter(qtbot)
    assert dialog.error.text() == "Type your password."
    assert QApplication.focusWidget() is dialog.password


def test_five_wrong_passwords_lock_the_account_and_say_for_how_long(qtbot, services, signable):
    dialog = shown(qtbot, services, signable.worker)
    for attempt in range(5):
        type_into(qtbot, dialog.password, f"wrong password {attempt}")
        press_enter(qtbot)
    assert "locked for 15 minutes" in dialog.error.text()
    type_into(qtbot, dialog.password, PASSWORD)  # the right one, too late
    press_enter(qtbot)
    assert dialog.signed_in is None
    assert "locked" in dialog.error.text()
    assert "Try again in 15 minutes" in dialog.error.text()


def when_shown(kind: type[QDialog], steps: Callable[[QDialog], None], errors: list) -> None:
    """Run ``steps`` in the next modal dialog of ``kind`` once it is up."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind) or not dialog.isVisible():
            QTimer.singleShot(10, poll)
            return
        try:
            steps(dialog)
        except BaseException as error:
            errors.append(error)
            dialog.reject()

    QTimer.singleShot(0, poll)


def must_change(services, username: str) -> None:
    with services.db.transaction() as s:
        person_id = s.scalar(select(Person.id).where(Person.username == username))
        s.execute(update(Account).where(Account.person_id == person_id).values(must_change=True))


def test_a_reset_password_is_replaced_before_anything_else(qtbot, services, signable):
    must_change(services, signable.worker)
    errors: list[BaseException] = []
    new = "three quiet rivers"

    def sign(dialog: QDialog) -> None:
        assert isinstance(dialog, SignInDialog)
        dialog.activateWindow()
        sign_in_by_keyboard(qtbot, dialog, signable.worker, PASSWORD)
        when_shown(ChangePasswordDialog, change, errors)

    def change(dialog: QDialog) -> None:
        assert isinstance(dialog, ChangePasswordDialog)
        dialog.activateWindow()
        assert not dialog.current.isVisible()  # typed a moment ago: not asked again
        fields = dialog.fields
        type_into(qtbot, fields.new, "short")
        assert "at least 10 characters" in fields.problems.text()  # said while typing
        press_enter(qtbot)
        assert dialog.isVisible()
        fields.new.selectAll()
        type_into(qtbot, fields.new, new)
        qtbot.keyClick(fields.new, Qt.Key.Key_Tab)
        type_into(qtbot, fields.again, "three quiet river")
        press_enter(qtbot)
        assert "not the same" in fields.problems.text()
        assert dialog.isVisible()
        qtbot.keyClick(fields.again, Qt.Key.Key_S)
        press_enter(qtbot)

    when_shown(SignInDialog, sign, errors)
    principal = ask_to_sign_in(services, None)
    if errors:
        raise errors[0]
    assert principal is not None and principal.username == signable.worker
    assert not services.accounts.sign_in(signable.worker, new).must_change
    with pytest.raises(AuditorError):
        services.accounts.sign_in(signable.worker, PASSWORD)


def test_a_wrong_current_password_changes_nothing(qtbot, services, signable):
    principal = services.accounts.sign_in(signable.manager, PASSWORD).principal
    dialog = ChangePasswordDialog(services, principal)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    type_into(qtbot, dialog.current, "not my password")
    qtbot.keyClick(dialog.current, Qt.Key.Key_Tab)
    type_into(qtbot, dialog.fields.new, "four bright lanterns")
    qtbot.keyClick(dialog.fields.new, Qt.Key.Key_Tab)
    type_into(qtbot, dialog.fields.again, "four bright lanterns")
    press_enter(qtbot)
    assert dialog.isVisible()
    assert "current password is not right" in dialog.error.text()
    assert isinstance(QApplication.focusWidget(), QLineEdit)
    services.accounts.sign_in(signable.manager, PASSWORD)  # still the old one


def test_a_database_from_before_sign_ins_has_an_administrator_choose_a_password(qtbot, services):
    from auditor.domain.reference import Role
    from auditor.ui.shell.password_dialogs import FirstSignInDialog
    from db.models import PersonRole

    with services.db.transaction() as s:  # as an older version left it: people, no sign-ins
        s.add(
            Person(
                username="it.ivy",
                name="Ivy Admin",
                roles=[PersonRole(role=Role.ADMINISTRATOR.value)],
            )
        )
    assert services.setup.progress().ready and not services.accounts.any_accounts()
    dialog = FirstSignInDialog(services)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    type_into(qtbot, dialog.user, "it.ivy")
    qtbot.keyClick(dialog.user, Qt.Key.Key_Tab)
    type_into(qtbot, dialog.fields.new, "it.ivy")
    assert "your own name or username" in dialog.fields.problems.text()
    dialog.fields.new.selectAll()
    type_into(qtbot, dialog.fields.new, PASSWORD)
    qtbot.keyClick(dialog.fields.new, Qt.Key.Key_Tab)
    type_into(qtbot, dialog.fields.again, PASSWORD)
    press_enter(qtbot)
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.username == "it.ivy"
    assert services.accounts.sign_in("it.ivy", PASSWORD).principal.username == "it.ivy"
