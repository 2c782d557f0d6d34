"""You, the first administrator: the one step of the set-up that cannot be skipped. It makes the
administrator and their sign-in (the password typed twice, the policy's reasons shown as it is
typed); the rest of the set-up is done signed in as them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from auditor.domain.permissions import Principal
from auditor.domain.reference import JOB_ROLES
from auditor.services import Services
from auditor.services.dto import PersonDTO
from auditor.ui.setup.step import (
    DirectoryStep,
    make_editable,
    role_list,
    suggest_username,
)
from auditor.ui.shell import look
from auditor.ui.shell.background import Runner
from auditor.ui.shell.password_dialogs import POLICY, new_password_problems, password_field
from auditor.ui.widgets.tick_list import ticked


class AdminPage(DirectoryStep):
    title = "You, the first administrator"
    columns = ("Name", "Username", "Roles", "Team")
    table_name = "People already in this database"
    add_text = "&Add me as the administrator"
    reads_before_sign_in = True
    #: the administrator made here (or None until then)
    created = Signal(object)

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(services, runner, parent)
        self.administrator: PersonDTO | None = None
        #: the administrator, signed in (with the password chosen here)
        self.principal: Principal | None = None
        self.intro(
            "<p>The administrator adds and looks after teams, people and cases. Being an "
            "administrator gives no audit rights of its own: tick your job roles too if you "
            "audit, observe practice or lead quality assurance.</p>"
        )
        self.name = self.add_field("name", "Your na&me", QLineEdit(self), "Your name")
        self.username = self.add_field("username", "&Username", QLineEdit(self), "Username")
        self.roles = self.add_field(
            "roles", "Your &job roles", role_list(self, JOB_ROLES, "Your job roles"), "Job roles"
        )
        self.team = self.add_field("team", "Your &team", QComboBox(self), "Your team (optional)")
        self.password = self.add_field(
            "password", "Your pass&word", password_field(self, "Password"), "Password"
        )
        self.again = self.add_field(
            "again",
            "Your password a&gain",
            password_field(self, "Password again"),
            "Password again",
        )
        policy = self.intro(POLICY)
        look.apply(policy, "help")
        self.form.addRow("", policy)
        self.password.textChanged.connect(self._on_password_edited)
        self.again.textChanged.connect(self._on_password_edited)

        make_editable(self.team, "None, or type a new team's name")
        self.username.setPlaceholderText("Suggested from your name")
        self._username_typed = False
        self.name.textEdited.connect(self._on_name_edited)
        self.username.textEdited.connect(self._on_username_edited)
        self.done = self.intro("")
        self.done.hide()
        self.finish_layout()

    def _on_name_edited(self, text: str) -> None:
        if not self._username_typed:
            self.username.setText(suggest_username(text))

    def _on_username_edited(self, text: str) -> None:
        self._username_typed = bool(text)

    def password_problems(self) -> list[str]:
        return new_password_problems(
            self.password.text(),
            self.again.text(),
            username=self.username.text().strip().lower(),
            name=self.name.text(),
        )

    def _on_password_edited(self) -> None:
        """The policy's reasons as the password is typed (only once there is something)."""
        problems = self.password_problems() if self.password.text() else []
        self.fields["password"].set_problem(" ".join(p for p in problems if "same" not in p))
        mismatch = [p for p in problems if "same" in p]
        self.fields["again"].set_problem(mismatch[0] if mismatch else "")

    def fetch(self) -> Any:
        """Nothing to read before the administrator exists (reading needs a sign-in); then
        who was made."""
        if self.principal is None:
            return [], []
        directory, who = self.services.directory, self.principal
        return directory.people(who=who), directory.teams(who=who)

    def show_rows(self, data: Any) -> None:
        people, teams = data
        self.fill_table(
            [(p.name, p.username, p.role_labels, p.team or "") for p in people], "people"
        )
        typed = self.team.currentText()
        self.team.clear()
        self.team.addItems([""] + [t.name for t in teams])
        self.team.setEditText(typed)

    def adding(self) -> tuple[Callable[[], Any], str] | None:
        if self.administrator is not None:
            return None
        username, name = self.username.text(), self.name.text()
        roles, team = ticked(self.roles), self.team.currentText().strip() or None
        password = self.password.text()
        services = self.services

        def create() -> tuple[PersonDTO, Principal]:
            principal = services.setup.create_first_administrator(
                username, name, roles, team, password=password
            )
            return services.directory.person(principal.username, who=principal), principal

        return create, ""

    def submit(self) -> None:
        self.clear_problems()
        call = self.adding()
        if call is None:
            return
        problems = self.password_problems()
        if not self.again.text():
            problems.append("Type the password a second time, to be sure of it.")
        if problems:  # said before anything is stored: the administrator must be able to sign in
            mismatch = [p for p in problems if "same" in p or "second" in p]
            rest = [p for p in problems if p not in mismatch]
            if rest:
                self.refuse(" ".join(rest), "password")
            if mismatch:
                self.fields["again"].set_problem(mismatch[0])
                if not rest:
                    self.again.setFocus()
            return
        self.add_button.setEnabled(False)
        self.runner.run(call[0], self._made, self._refused)

    def _made(self, made: tuple[PersonDTO, Principal]) -> None:
        person, self.principal = made
        self.administrator = person
        self.password.clear()
        self.again.clear()
        for field in self.fields.values():
            field.widget.setEnabled(False)
        self.add_button.hide()
        self.done.setText(
            f"<p><b>You are the administrator: {person.name} ({person.username}), "
            f"{person.role_labels}.</b> Next, add your teams (or skip them for now).</p>"
        )
        self.done.show()
        self.created.emit(self.principal)  # the pages get the principal before they reload
        self.reload()
        self.changed.emit()

    def field_for(self, message: str) -> str | None:
        if "password" in message:
            return "password"
        if "username" in message:
            return "username"
        if "name" in message:
            return "name"
        if "team" in message:
            return "team"
        return None

    def clear_form(self) -> None:
        """Nothing: the form shows who was made."""

    def first_input(self) -> QWidget | None:
        return self.name if self.administrator is None else None
