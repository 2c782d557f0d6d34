"""Setting someone's temporary password: typed twice (or suggested), shown only while asked for.
The person must choose their own at the next sign-in; the policy (length, the deny-list) is the
services' and its refusal is shown on this dialog's parent screen."""

from __future__ import annotations

import secrets

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from auditor.ui.shell import look

#: letters and digits that cannot be mistaken for each other when read out (no 0/O, 1/l/I)
_PLAIN = "abcdefghjkmnpqrstuvwxyz23456789"


def suggested_password() -> str:
    """Fifteen random letters and digits in three groups: easy to read out, about 73 bits."""
    groups = ["".join(secrets.choice(_PLAIN) for _ in range(5)) for _ in range(3)]
    return "-".join(groups)


class PasswordDialog(QDialog):
    """``password`` (after ``exec``) is the temporary password typed; ``person`` the username
    chosen when the dialog offers a choice of people (giving someone a sign-in)."""

    def __init__(
        self,
        title: str,
        explanation: str,
        parent: QWidget | None = None,
        *,
        people: list[tuple[str, str]] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(520)
        column = QVBoxLayout(self)
        said = QLabel(explanation, self)
        said.setWordWrap(True)
        column.addWidget(said)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.people: QComboBox | None = None
        if people is not None:
            self.people = QComboBox(self)
            self.people.setAccessibleName("Person")
            for text, username in people:
                self.people.addItem(text, username)
            label = QLabel("&Person", self)
            label.setBuddy(self.people)
            form.addRow(label, self.people)
        self.first = QLineEdit(self)
        self.first.setAccessibleName("Temporary password")
        self.again = QLineEdit(self)
        self.again.setAccessibleName("Temporary password again")
        for edit in (self.first, self.again):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textEdited.connect(self._check)
        for text, edit in (("&Temporary password", self.first), ("A&gain", self.again)):
            label = QLabel(text, self)
            label.setBuddy(edit)
            form.addRow(label, edit)
        self.show_box = QCheckBox("S&how the password", self)
        self.show_box.toggled.connect(self._on_show)
        form.addRow("", self.show_box)
        self.suggest = QPushButton("&Suggest one", self)
        self.suggest.setAutoDefault(False)
        self.suggest.clicked.connect(self._on_suggest)
        form.addRow("", self.suggest)
        column.addLayout(form)
        self.problem = QLabel(self)
        look.apply(self.problem, "problem")
        self.problem.setWordWrap(True)
        column.addWidget(self.problem)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Set pass&word")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column.addWidget(self.buttons)
        self._check()
        (self.people or self.first).setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def password(self) -> str:
        return self.first.text()

    @property
    def person(self) -> str | None:
        return self.people.currentData() if self.people is not None else None

    def _on_show(self, shown: bool) -> None:
        mode = QLineEdit.EchoMode.Normal if shown else QLineEdit.EchoMode.Password
        self.first.setEchoMode(mode)
        self.again.setEchoMode(mode)

    def _on_suggest(self) -> None:
        word = suggested_password()
        self.first.setText(word)
        self.again.setText(word)
        self.show_box.setChecked(True)  # to be read out or written down, it must be seen
        self._check()

    def _check(self, _text: str = "") -> None:
        first, again = self.first.text(), self.again.text()
        differ = bool(again) and first != again
        self.problem.setText("The two passwords are not the same." if differ else "")
        self.problem.setVisible(differ)
        self.ok.setEnabled(bool(first) and first == again)

    def accept(self) -> None:
        if self.ok.isEnabled():
            super().accept()
