"""The sign-in screen: username and password, Enter signs in. What is wrong is said in words under
the fields (a wrong password, how many tries are left, a locked account and for how long); a
traceback never reaches it. A password an administrator reset is replaced at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from auditor import APP_NAME
from auditor.domain.errors import AuditorError
from auditor.ui.shell import look
from auditor.ui.shell.password_dialogs import centred, password_field

if TYPE_CHECKING:
    from auditor.domain.permissions import Principal
    from auditor.services import Services
    from auditor.services.access.accounts import SignedIn


def signing_in(verify):  # type: ignore[no-untyped-def]
    """Run a password check (a third of a second of argon2) with the wait cursor up."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        return verify()
    finally:
        QApplication.restoreOverrideCursor()


class SignInDialog(QDialog):
    """``exec()`` true once ``signed_in`` holds who signed in (and whether they must choose a new
    password); false if they chose Quit."""

    def __init__(
        self,
        services: Services,
        last_username: str | None = None,
        parent: QWidget | None = None,
        *,
        quit_text: str = "&Quit",
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.signed_in: SignedIn | None = None
        #: the password that worked (kept only until a reset one has been replaced)
        self.password_used = ""
        self.setWindowTitle(f"Sign in to {APP_NAME}")
        card = QFrame(self)
        look.apply(card, "card")
        title = QLabel(f"Sign in to {APP_NAME}", card)
        look.apply(title, "pageTitle")
        where = QLabel(f"Database: {services.path.name}", card)
        where.setToolTip(str(services.path))
        look.apply(where, "subtitle")
        self.username = QLineEdit(card)
        self.username.setAccessibleName("Username")
        self.username.setPlaceholderText("e.g. sw.patel")
        self.password = password_field(card, "Password")
        form = QFormLayout()
        form.addRow("&Username", self.username)
        form.addRow("&Password", self.password)
        self.error = QLabel(card)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setAccessibleName("Why you are not signed in")
        look.apply(self.error, "problem")
        self.error.hide()
        hint = QLabel("Forgotten your password? An administrator can set a new one for you.", card)
        hint.setWordWrap(True)
        look.apply(hint, "help")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, card
        )
        self.sign_in_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText("&Sign in")
        self.sign_in_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(quit_text)
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 20)
        inner.setSpacing(10)
        inner.addWidget(title)
        inner.addWidget(where)
        inner.addSpacing(6)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addWidget(hint)
        inner.addSpacing(6)
        inner.addWidget(buttons)
        centred(self, card, 480)
        self.setMinimumWidth(480)
        if last_username:
            self.username.setText(last_username)
            self.password.setFocus()
        else:
            self.username.setFocus()

    def say(self, problem: str) -> None:
        self.error.setText(problem)
        self.error.show()

    def submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username:
            self.say("Type your username.")
            self.username.setFocus()
            return
        if not password:
            self.say("Type your password.")
            self.password.setFocus()
            return
        try:
            self.signed_in = signing_in(lambda: self.services.accounts.sign_in(username, password))
        except AuditorError as error:
            self.say(str(error))
            self.password.clear()
            self.password.setFocus()
            return
        self.password_used = password
        self.password.clear()
        self.accept()


def ask_to_sign_in(
    services: Services,
    last_username: str | None,
    parent: QWidget | None = None,
    *,
    quit_text: str = "&Quit",
) -> Principal | None:
    """Who signs in (after choosing a new password if theirs was reset), or None if they quit."""
    from auditor.ui.shell.password_dialogs import ChangePasswordDialog

    while True:
        dialog = SignInDialog(services, last_username, parent, quit_text=quit_text)
        accepted = dialog.exec()
        signed_in, password = dialog.signed_in, dialog.password_used
        dialog.deleteLater()
        if not accepted or signed_in is None:
            return None
        if not signed_in.must_change:
            return signed_in.principal
        change = ChangePasswordDialog(services, signed_in.principal, parent, current=password)
        changed = change.exec()
        change.deleteLater()
        if changed:
            return signed_in.principal
        from auditor.domain.permissions import AccessEventKind

        services.accounts.note(signed_in.principal, AccessEventKind.SIGNED_OUT)
        last_username = signed_in.principal.username  # not changed: not signed in; try again
