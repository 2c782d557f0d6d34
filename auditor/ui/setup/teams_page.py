"""Teams: name and the service each belongs to (suggestions from the usual services, free text)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from auditor.domain.reference import SUGGESTED_SERVICES
from auditor.services import Services
from auditor.ui.setup.step import DirectoryStep, make_editable
from auditor.ui.shell.background import Runner


class TeamsPage(DirectoryStep):
    title = "Teams"
    columns = ("Team", "Service")
    table_name = "Teams already in this database"
    import_kind = "teams"
    add_text = "&Add team"

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(services, runner, parent)
        self.intro(
            "<p>Add each team that audits are made about, with the service it belongs to. "
            "Press Enter to add; you can skip this step and add teams later.</p>"
        )
        self.name = self.add_field("name", "Team na&me", QLineEdit(self), "Team name")
        self.service = self.add_field("service", "&Service", QComboBox(self), "Service")
        make_editable(self.service, "Choose one or type another")
        self.service.addItems(["", *SUGGESTED_SERVICES])
        self.finish_layout()

    def fetch(self) -> Any:
        return self.services.directory.teams(who=self.who)

    def show_rows(self, data: Any) -> None:
        self.fill_table([(t.name, t.service) for t in data], "teams")
        known = {self.service.itemText(i) for i in range(self.service.count())}
        for service in sorted({t.service for t in data} - known - {""}):
            self.service.addItem(service)

    def adding(self) -> tuple[Callable[[], Any], str] | None:
        name, service = self.name.text(), self.service.currentText()
        who = self.who
        return (
            lambda: self.services.directory.add_team(name, service, who=who),
            f"Added the team {' '.join(name.split())}.",
        )

    def field_for(self, message: str) -> str | None:
        return "name" if "team" in message else None

    def clear_form(self) -> None:
        self.name.clear()  # the service stays: the next team is often in the same one
