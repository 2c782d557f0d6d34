"""Choosing a password: changing your own (File > Change my password…, or at once after signing
in when an administrator has reset it) and the first administrator's, at set-up.

The policy (``auditor.domain.passwords``) is shown as it is typed: what is wrong, in words, before
the button is pressed; the service checks it again."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.errors import AuditorError, ValidationError
from auditor.domain.passwords import MIN_LENGTH, password_problems
from auditor.ui.shell import look

if TYPE_CHECKING:
    from auditor.domain.permissions import Principal
    from auditor.services import Services

POLICY = (
    f"At least {MIN_LENGTH} characters; not one of the passwords people use most often, and not "
    "your name. Three random words make a long password that is easy to remember. It does not "
    "expire: change it only if someone may have seen it."
)


def centred(dialog: QDialog, card: QWidget, width: int = 500) -> None:
    """``card`` in the middle of ``dialog`` at a readable width, however large the dialog is
    (maximised, or the lock screen over a whole window)."""
    card.setMaximumWidth(width)
    card.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(card, 100)
    row.addStretch(1)
    outer = QVBoxLayout(dialog)
    outer.setContentsMargins(24, 24, 24, 24)
    outer.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)


def password_field(parent: QWidget, accessible_name: str) -> QLineEdit:
    field = QLineEdit(parent)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setAccessibleName(accessible_name)
    field.setMaxLength(256)
    return field


def common_passwords() -> frozenset[str]:
    from auditor.services.access.accounts import common_passwords as load

    return load()


def new_password_problems(new: str, again: str, *, username: str, name: str) -> list[str]:
    """What is wrong with the new password typed twice; empty when it may be used."""
    problems = password_problems(new, username=username, name=name, common=common_passwords())
    if new and again and new != again:
        problems.append("The two new passwords are not the same.")
    return problems


class NewPasswordFields:
    """A new password typed twice, with the policy's reasons shown as it is typed."""

    def __init__(self, parent: QWidget, form: QFormLayout, *, username: str, name: str) -> None:
        self.username, self.name = username, name
        self.new = password_field(parent, "New password")
        self.again = password_field(parent, "New password again")
        form.addRow("&New password", self.new)
        form.addRow("New password a&gain", self.again)
        self.problems = QLabel(parent)
        self.problems.setWordWrap(True)
        self.problems.setTextFormat(Qt.TextFormat.PlainText)
        self.problems.setAccessibleName("What is wrong with the new password")
        look.apply(self.problems, "problem")
        self.problems.hide()
        self.new.textChanged.connect(self.update)
        self.again.textChanged.connect(self.update)

    def current_problems(self) -> list[str]:
        return new_password_problems(
            self.new.text(), self.again.text(), username=self.username, name=self.name
        )

    def update(self) -> None:
        problems = self.current_problems() if self.new.text() else []
        self.show(problems)

    def show(self, problems: list[str]) -> None:
        self.problems.setText("\n".join(problems))
        self.problems.setVisible(bool(problems))

    def ready(self) -> list[str]:
        """Problems that stop the new password being used (also a missing repeat)."""
        problems = self.current_problems()
        if not self.again.text() and self.new.text():
            problems.append("Type the new password a second time, to be sure of it.")
        return problems


class ChangePasswordDialog(QDialog):
    """Change the signed-in person's password. ``current`` given: it was typed just now at
    sign-in (a reset password that must be changed), so it is not asked again."""

    def __init__(
        self,
        services: Services,
        principal: Principal,
        parent: QWidget | None = None,
        *,
        current: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.principal, self._current = services, principal, current
        self.setWindowTitle("Choose a new password" if current else "Change my password")
        card = QFrame(self)
        look.apply(card, "card")
        heading = QLabel("Choose a new password" if current else "Change your password", card)
        look.apply(heading, "pageTitle")
        intro = QLabel(
            (
                "An administrator has set a temporary password for you. Choose your own now; "
                "nobody else will know it."
                if current
                else f"Signed in as {principal.name} ({principal.username})."
            )
            + "\n\n"
            + POLICY,
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        self.current = password_field(self, "Current password")
        if current is None:
            form.addRow("&Current password", self.current)
        else:
            self.current.hide()
        self.fields = NewPasswordFields(
            self, form, username=principal.username, name=principal.name
        )
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setAccessibleName("Why the password was not changed")
        look.apply(self.error, "problem")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("&Change password")
        self.ok_button.setDefault(True)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            "&Sign out" if current else "Cancel"
        )
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(card)
        layout.setContentsMargins(28, 24, 28, 20)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.fields.problems)
        layout.addWidget(self.error)
        layout.addSpacing(4)
        layout.addWidget(buttons)
        centred(self, card, 560)
        self.setMinimumWidth(560)
        (self.current if current is None else self.fields.new).setFocus()

    def submit(self) -> None:
        self.error.hide()
        current = self._current if self._current is not None else self.current.text()
        problems = self.fields.ready()
        if current == "" and self._current is None:
            problems.insert(0, "Type your current password.")
        if problems:
            self.fields.show(problems)
            (self.current if not current else self.fields.new).setFocus()
            return
        try:
            self.services.accounts.change_password(self.principal, current, self.fields.new.text())
        except ValidationError as error:
            self.fields.show(error.problems or [str(error)])
            self.fields.new.setFocus()
            return
        except AuditorError as error:  # the current password is wrong, the same again, ...
            self.error.setText(str(error))
            self.error.show()
            target = self.current if self._current is None else self.fields.new
            target.selectAll()
            target.setFocus()
            return
        self.accept()


class FirstSignInDialog(QDialog):
    """A database made before there were sign-ins (it has an administrator but no accounts): one
    of its administrators chooses a password, and everyone else gets theirs from them."""

    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.username: str | None = None
        self.setWindowTitle("Sign-ins for this database")
        intro = QLabel(
            "This database was made by an earlier version of Auditor, before there were "
            "passwords. An administrator of it chooses a password now; they then give everyone "
            "else a sign-in (Administration > Sign-ins).\n\n" + POLICY,
            self,
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.PlainText)
        form = QFormLayout()
        self.user = QLineEdit(self)
        self.user.setAccessibleName("Administrator's username")
        form.addRow("Administrator's &username", self.user)
        self.fields = NewPasswordFields(self, form, username="", name="")
        self.user.textChanged.connect(self._on_user_changed)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        look.apply(self.error, "problem")
        self.error.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Set the password")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("&Quit")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.fields.problems)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.setMinimumWidth(480)
        self.user.setFocus()

    def _on_user_changed(self, text: str) -> None:
        self.fields.username = text.strip().lower()
        self.fields.update()

    def submit(self) -> None:
        self.error.hide()
        username = self.user.text().strip().lower()
        problems = self.fields.ready()
        if not username:
            problems.insert(0, "Type the administrator's username.")
        if problems:
            self.fields.show(problems)
            return
        try:
            self.services.accounts.create_first(username, self.fields.new.text())
        except ValidationError as error:
            self.fields.show(error.problems or [str(error)])
            return
        except AuditorError as error:
            self.error.setText(str(error).split("\n")[0])
            self.error.show()
            return
        self.username = username
        self.accept()
