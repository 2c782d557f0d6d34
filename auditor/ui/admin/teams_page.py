"""Teams (MANAGE_TEAMS): add a team, rename it or change its service, make it inactive (kept:
its audits name it; refused while active people or cases are in it) or active again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QLineEdit, QWidget

from auditor.domain.permissions import Action, Principal
from auditor.services import Services
from auditor.services.dto import DirectoryKind, TeamDTO
from auditor.ui.admin.editing import EditingPage
from auditor.ui.shell.background import Runner


class TeamsAdminPage(EditingPage):
    action = Action.MANAGE_TEAMS
    title = "Teams"
    intro_text = (
        "The teams whose work is audited. Choose a team to rename it. A team that closes is made "
        "inactive once its people and cases have moved: its audits still name it."
    )
    noun, plural = "team", "teams"
    columns = ("Team", "Service", "Active")
    import_kind = DirectoryKind.TEAMS

    def __init__(
        self,
        services: Services,
        principal: Principal,
        runner: Runner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, principal, runner, parent)
        self.search.setPlaceholderText("Part of a team's or service's name")
        self.name = self.add_field("name", "&Name", QLineEdit(self), "Team name")
        self.service = self.add_field("service", "Service (&optional)", QLineEdit(self), "Service")
        self.service.setPlaceholderText("e.g. Children in Care")
        self.finish_layout()

    def fetch(self) -> Any:
        return self.services.directory.teams(
            who=self.principal, include_inactive=self.inactive.isChecked()
        )

    def key(self, row: Any) -> Any:
        return row.name

    def cells(self, row: Any) -> tuple[str, ...]:
        t: TeamDTO = row
        return (t.name, t.service, "Yes" if t.active else "No")

    def form_for(self, row: Any | None) -> None:
        self.name.setText(row.name if row else "")
        self.service.setText(row.service if row else "")

    def saving(self) -> tuple[Callable[[], Any], str]:
        directory, who = self.services.directory, self.principal
        name, service = self.name.text(), self.service.text()
        shown = " ".join(name.split())
        if self.editing is not None:
            editing = self.editing
            return (
                lambda: directory.update_team(editing, who=who, new_name=name, service=service),
                f"Saved {shown}." if shown == editing else f"Renamed {editing} to {shown}.",
            )
        return (lambda: directory.add_team(name, service, who=who), f"Added the team {shown}.")

    def activating(self, row: Any, active: bool) -> Callable[[], Any]:
        directory, who, name = self.services.directory, self.principal, row.name
        return lambda: directory.set_team_active(name, active, who=who)

    def field_for(self, message: str) -> str | None:
        if "service" in message:
            return "service"
        return "name" if "name" in message or "team" in message else None
