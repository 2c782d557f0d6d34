"""People: name, username, roles, team and line manager."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from auditor.domain.reference import Role
from auditor.services import Services
from auditor.ui.setup.step import (
    DirectoryStep,
    refill,
    role_list,
    suggest_username,
)
from auditor.ui.shell.background import Runner
from auditor.ui.widgets.tick_list import ticked, untick_all


class PeoplePage(DirectoryStep):
    title = "People"
    columns = ("Name", "Username", "Roles", "Team", "Line manager")
    table_name = "People already in this database"
    import_kind = "people"
    add_text = "&Add person"

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(services, runner, parent)
        self.intro(
            "<p>Add the people who audit or whose work is audited: social workers, managers, "
            "quality assurance. Add managers first, so they can be chosen as line managers. "
            "Press Enter to add; you can skip this step.</p>"
        )
        self.name = self.add_field("name", "Na&me", QLineEdit(self), "Name")
        self.username = self.add_field("username", "&Username", QLineEdit(self), "Username")
        self.roles = self.add_field(
            "roles", "&Roles", role_list(self, list(Role), "Roles"), "Roles"
        )
        self.team = self.add_field("team", "&Team", QComboBox(self), "Team")
        self.manager = self.add_field("manager", "&Line manager", QComboBox(self), "Line manager")

        self.username.setPlaceholderText("Suggested from the name")
        self._username_typed = False
        self.name.textEdited.connect(self._on_name_edited)
        self.username.textEdited.connect(lambda text: setattr(self, "_username_typed", bool(text)))
        self.finish_layout()

    def _on_name_edited(self, text: str) -> None:
        if not self._username_typed:
            self.username.setText(suggest_username(text))

    def fetch(self) -> Any:
        who = self.who
        return self.services.directory.people(who=who), self.services.directory.teams(who=who)

    def show_rows(self, data: Any) -> None:
        people, teams = data
        names = {p.id: p.name for p in people}
        self.fill_table(
            [
                (p.name, p.username, p.role_labels, p.team or "", names.get(p.line_manager_id, ""))
                for p in people
            ],
            "people",
        )
        refill(self.team, [("No team", None)] + [(t.name, t.name) for t in teams])
        managers = [p for p in people if any(r.is_manager for r in p.roles)] or people
        refill(
            self.manager,
            [("No line manager", None)]
            + [(f"{p.name} ({p.username})", p.username) for p in managers],
        )

    def adding(self) -> tuple[Callable[[], Any], str] | None:
        username, name, roles = self.username.text(), self.name.text(), ticked(self.roles)
        team, manager = self.team.currentData(), self.manager.currentData()
        who = self.who
        return (
            lambda: self.services.directory.add_person(
                username, name, roles, team, manager, who=who
            ),
            f"Added {' '.join(name.split())} ({username.strip().lower()}).",
        )

    def field_for(self, message: str) -> str | None:
        for word, key in (("username", "username"), ("role", "roles"), ("team", "team")):
            if word in message:
                return key
        return "name" if "name" in message else None

    def clear_form(self) -> None:
        self.name.clear()
        self.username.clear()
        self._username_typed = False
        untick_all(self.roles)
