"""Cases: reference, case type, team and allocated worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from auditor.domain.reference import Role
from auditor.services import Services
from auditor.ui.setup.step import DirectoryStep, refill
from auditor.ui.shell.background import Runner


class CasesPage(DirectoryStep):
    title = "Cases"
    columns = ("Reference", "Case type", "Team", "Allocated worker")
    table_name = "Cases already in this database"
    import_kind = "cases"
    add_text = "&Add case"

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(services, runner, parent)
        self.intro(
            "<p>Add the cases to audit by their reference on your case recording system, never "
            "by the child's name. A case needs a team. Press Enter to add; you can skip this "
            "step.</p>"
        )
        self.reference = self.add_field("reference", "&Reference", QLineEdit(self), "Reference")
        self.case_type = self.add_field("case_type", "Case t&ype", QComboBox(self), "Case type")
        self.team = self.add_field("team", "&Team", QComboBox(self), "Team")
        self.worker = self.add_field(
            "worker", "Allocated &worker", QComboBox(self), "Allocated worker"
        )

        self.reference.setPlaceholderText("For example CF-10234")
        self.finish_layout()

    def fetch(self) -> Any:
        directory, who = self.services.directory, self.who
        return (
            directory.cases(who=who),
            directory.teams(who=who),
            directory.people(who=who),
            directory.case_type_labels(who=who),
        )

    def show_rows(self, data: Any) -> None:
        cases, teams, people, labels = data
        self.fill_table(
            [(c.reference, c.case_type_label, c.team, c.worker or "") for c in cases], "cases"
        )
        refill(self.case_type, [(label, code) for code, label in labels.items()])
        refill(self.team, [(t.name, t.name) for t in teams])
        workers = sorted(people, key=lambda p: Role.SOCIAL_WORKER not in p.roles)
        refill(
            self.worker,
            [("Not allocated", None)] + [(f"{p.name} ({p.username})", p.username) for p in workers],
        )
        self.team.setPlaceholderText("Add a team first (the step before)")

    def adding(self) -> tuple[Callable[[], Any], str] | None:
        reference, team = self.reference.text(), self.team.currentData()
        case_type, worker = self.case_type.currentData(), self.worker.currentData()
        if team is None:
            self.refuse("A case needs a team: add one on the Teams step first.", "team")
            return None
        who = self.who
        return (
            lambda: self.services.directory.add_case(reference, case_type, team, worker, who=who),
            f"Added the case {reference.strip().upper()}.",
        )

    def field_for(self, message: str) -> str | None:
        for word, key in (
            ("reference", "reference"),
            ("case type", "case_type"),
            ("team", "team"),
            ("username", "worker"),
        ):
            if word in message:
                return key
        return None

    def clear_form(self) -> None:
        self.reference.clear()  # type, team and worker stay: cases come in runs
