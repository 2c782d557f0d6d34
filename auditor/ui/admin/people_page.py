"""People (MANAGE_PEOPLE): everyone who audits or whose work is audited. Add, edit name, roles,
team and line manager; make inactive (kept with their history, their sign-in switched off) or
active again; import staff from a CSV or Excel file, all rows or none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from auditor.domain.permissions import Action, Principal
from auditor.domain.reference import Role
from auditor.services import Services
from auditor.services.dto import DirectoryKind, PersonDTO, TeamDTO
from auditor.ui.admin.editing import EditingPage
from auditor.ui.setup.step import refill, role_list, suggest_username
from auditor.ui.shell.background import Runner
from auditor.ui.widgets.tick_list import ticked


class PeopleAdminPage(EditingPage):
    action = Action.MANAGE_PEOPLE
    title = "People"
    intro_text = (
        "Everyone who audits or whose work is audited. Choose a person to change their name, "
        "roles, team or line manager. Someone who leaves is made inactive, never deleted: their "
        "audits still name them. A new person has no sign-in until one is given on Sign-ins."
    )
    noun, plural = "person", "people"
    columns = ("Name", "Username", "Roles", "Team", "Line manager", "Active")
    import_kind = DirectoryKind.PEOPLE

    def __init__(
        self,
        services: Services,
        principal: Principal,
        runner: Runner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, principal, runner, parent)
        self.people: list[PersonDTO] = []
        self.search.setPlaceholderText("Part of a name, username, role or team")
        self.name = self.add_field("name", "&Name", QLineEdit(self), "Name")
        self.username = self.add_field("username", "&Username", QLineEdit(self), "Username")
        self.roles = self.add_field(
            "roles", "R&oles", role_list(self, list(Role), "Roles", most_rows=len(Role)), "Roles"
        )
        self.team = self.add_field("team", "&Team", QComboBox(self), "Team")
        self.manager = self.add_field("manager", "&Line manager", QComboBox(self), "Line manager")
        box = self.roles  # every role in view, so none is missed for want of scrolling
        box.setMinimumHeight(box.maximumHeight())
        self.username.setPlaceholderText("Suggested from the name")
        self._username_typed = False
        self.name.textEdited.connect(self._on_name_edited)
        self.username.textEdited.connect(lambda text: setattr(self, "_username_typed", bool(text)))
        self.finish_layout()

    def _on_name_edited(self, text: str) -> None:
        if self.editing is None and not self._username_typed:
            self.username.setText(suggest_username(text))

    def fetch(self) -> Any:
        directory, who = self.services.directory, self.principal
        return (
            directory.people(who=who, include_inactive=self.inactive.isChecked()),
            directory.people(who=who),
            directory.teams(who=who),
        )

    def show_rows(self, data: Any) -> None:
        people, active, teams = data
        self.people = list(people)
        self._teams: list[TeamDTO] = list(teams)
        self._names = {p.id: p.name for p in self.people}
        self._active = list(active)
        super().show_rows(self.people)

    def key(self, row: Any) -> Any:
        return row.username

    def name_of(self, row: Any) -> str:
        return f"{row.name} ({row.username})"

    def cells(self, row: Any) -> tuple[str, ...]:
        p: PersonDTO = row
        return (
            p.name,
            p.username,
            p.role_labels,
            p.team or "",
            self._names.get(p.line_manager_id, "") if p.line_manager_id else "",
            "Yes" if p.active else "No",
        )

    def form_for(self, row: Any | None) -> None:
        p: PersonDTO | None = row
        refill(
            self.team, [("No team", None)] + [(t.name, t.name) for t in getattr(self, "_teams", [])]
        )
        others = [m for m in getattr(self, "_active", []) if p is None or m.username != p.username]
        managers = [m for m in others if any(r.is_manager for r in m.roles)] or others
        refill(
            self.manager,
            [("No line manager", None)]
            + [(f"{m.name} ({m.username})", m.username) for m in managers],
        )
        self.name.setText(p.name if p else "")
        self.username.setText(p.username if p else "")
        self.username.setReadOnly(p is not None)
        self.username.setToolTip("A username does not change once given" if p else "")
        self._username_typed = False
        held = set(p.roles) if p else set()
        for i in range(self.roles.count()):
            item = self.roles.item(i)
            item.setCheckState(
                Qt.CheckState.Checked
                if item.data(Qt.ItemDataRole.UserRole) in held
                else Qt.CheckState.Unchecked
            )
        self.team.setCurrentIndex(max(self.team.findData(p.team if p else None), 0))
        manager = next(
            (m.username for m in self.people if p is not None and m.id == p.line_manager_id), None
        )
        index = self.manager.findData(manager)
        if index < 0 and manager is not None:  # an inactive manager is still shown as theirs
            name = self._names.get(p.line_manager_id or 0, manager) if p else manager
            self.manager.addItem(f"{name} ({manager}, inactive)", manager)
            index = self.manager.count() - 1
        self.manager.setCurrentIndex(max(index, 0))

    def saving(self) -> tuple[Callable[[], Any], str]:
        directory, who = self.services.directory, self.principal
        name, roles = self.name.text(), ticked(self.roles)
        team, manager = self.team.currentData(), self.manager.currentData()
        username = self.username.text()
        if self.editing is not None:
            editing = self.editing
            return (
                lambda: directory.update_person(
                    editing, who=who, name=name, roles=roles, team=team, line_manager=manager
                ),
                f"Saved the changes to {' '.join(name.split())} ({editing}).",
            )
        return (
            lambda: directory.add_person(username, name, roles, team, manager, who=who),
            f"Added {' '.join(name.split())} ({username.strip().lower()}).",
        )

    def activating(self, row: Any, active: bool) -> Callable[[], Any]:
        directory, who, username = self.services.directory, self.principal, row.username
        return lambda: directory.set_person_active(username, active, who=who)

    def field_for(self, message: str) -> str | None:
        for word, key in (
            ("username", "username"),
            ("line manager", "manager"),
            ("manage", "manager"),
            ("role", "roles"),
            ("team", "team"),
        ):
            if word in message:
                return key
        return "name" if "name" in message else None
