"""Cases (MANAGE_CASES): add a case, change its type or team, reallocate it to another worker
(who held it, from when to when, is kept and shown), make it inactive (closed or transferred
out: kept, its audits name it) or active again; import cases from a file, all rows or none."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHeaderView, QLabel, QLineEdit, QWidget

from auditor.domain.permissions import Action, Principal
from auditor.services import Services
from auditor.services.dto import CaseAllocationDTO, CaseDTO, DirectoryKind, PersonDTO
from auditor.ui.admin.common import fill, make_table, when
from auditor.ui.admin.editing import EditingPage
from auditor.ui.setup.step import refill
from auditor.ui.shell import look
from auditor.ui.shell.background import Loader, Runner

HISTORY_COLUMNS = ("From", "To", "Team", "Worker", "Changed by")
DAY = "%d/%m/%Y"


class CasesAdminPage(EditingPage):
    action = Action.MANAGE_CASES
    title = "Cases"
    intro_text = (
        "The cases that can be audited. Choose a case to change its type or team or to "
        "reallocate it: who held it before is kept, and shown under the form. A case that closes "
        "or moves to another authority is made inactive: its audits still name it."
    )
    noun, plural = "case", "cases"
    columns = ("Reference", "Case type", "Team", "Worker", "Active")
    import_kind = DirectoryKind.CASES

    def __init__(
        self,
        services: Services,
        principal: Principal,
        runner: Runner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, principal, runner, parent)
        self.search.setPlaceholderText("Part of a reference, a team or a worker")
        self.reference = self.add_field(
            "reference", "Case refere&nce", QLineEdit(self), "Case reference"
        )
        self.case_type = self.add_field("case_type", "Case t&ype", QComboBox(self), "Case type")
        self.team = self.add_field("team", "&Team", QComboBox(self), "Team")
        self.worker = self.add_field("worker", "Allocated w&orker", QComboBox(self), "Worker")
        self.history_title = QLabel("Who held this case", self)
        look.apply(self.history_title, "sectionTitle")
        self.history = make_table(self, HISTORY_COLUMNS, "Who held this case")
        self.history.setMinimumHeight(self.history.verticalHeader().defaultSectionSize() * 4)
        self.history.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setWordWrap(True)
        self.history_loader = Loader(runner, self)
        self.allocations: list[CaseAllocationDTO] = []
        self.workers: list[PersonDTO] = []
        self.labels: dict[str, str] = {}
        self.team_names: list[str] = []
        self.finish_layout(self.history_title, self.history)

    def fetch(self) -> Any:
        directory, who = self.services.directory, self.principal
        return (
            directory.cases(who=who, include_inactive=self.inactive.isChecked()),
            directory.teams(who=who),
            directory.people(who=who),
            directory.case_type_labels(who=who),
        )

    def show_rows(self, data: Any) -> None:
        cases, teams, people, labels = data
        self.team_names = [t.name for t in teams]
        self.workers = list(people)
        self.labels = dict(labels)
        super().show_rows(cases)

    def key(self, row: Any) -> Any:
        return row.reference

    def cells(self, row: Any) -> tuple[str, ...]:
        c: CaseDTO = row
        worker = f"{c.worker} ({c.worker_username})" if c.worker else "Not allocated"
        return (c.reference, c.case_type_label, c.team, worker, "Yes" if c.active else "No")

    def form_for(self, row: Any | None) -> None:
        c: CaseDTO | None = row
        refill(self.case_type, [(label, code) for code, label in self.labels.items()])
        refill(self.team, [(name, name) for name in self.team_names])
        refill(
            self.worker,
            [("Not allocated", None)]
            + [(f"{p.name} ({p.username})", p.username) for p in self.workers],
        )
        self.reference.setText(c.reference if c else "")
        self.reference.setReadOnly(c is not None)
        self.reference.setToolTip("A case's reference does not change" if c else "")
        if c is not None:
            self.case_type.setCurrentIndex(max(self.case_type.findData(c.case_type), 0))
            index = self.team.findData(c.team)
            if index < 0:  # an inactive team is still shown as the case's
                self.team.addItem(f"{c.team} (inactive)", c.team)
                index = self.team.count() - 1
            self.team.setCurrentIndex(index)
            index = self.worker.findData(c.worker_username)
            if index < 0 and c.worker_username:
                self.worker.addItem(
                    f"{c.worker} ({c.worker_username}, inactive)", c.worker_username
                )
                index = self.worker.count() - 1
            self.worker.setCurrentIndex(max(index, 0))
        self._load_history(c)

    def _load_history(self, case: CaseDTO | None) -> None:
        self.history_title.setVisible(case is not None)
        self.history.setVisible(case is not None)
        if case is None:
            self.history_loader.drop()
            self.allocations = []
            self.history.setRowCount(0)
            return
        directory, who, reference = self.services.directory, self.principal, case.reference
        self.history_title.setText(f"Who held {reference}")
        self.history_loader.request(
            lambda: directory.case_allocations(reference, who=who),
            self._show_history,
            self.refused,
        )

    def _show_history(self, rows: list[CaseAllocationDTO]) -> None:
        self.allocations = list(rows)
        newest_first = list(reversed(self.allocations))
        fill(
            self.history,
            [
                (
                    a.from_at.strftime(DAY),
                    a.to_at.strftime(DAY) if a.to_at else "Now",
                    a.team,
                    a.worker or "Not allocated",
                    a.changed_by or "",
                )
                for a in newest_first
            ],
            list(range(len(newest_first))),
        )
        header = self.history.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        for r, a in enumerate(newest_first):  # the time, for who wants it
            for c, moment in ((0, a.from_at), (1, a.to_at)):
                item = self.history.item(r, c)
                if item is not None and moment is not None:
                    item.setToolTip(when(moment))
            worker = self.history.item(r, 3)
            if worker is not None and a.worker_username:
                worker.setToolTip(a.worker_username)
        self.history.clearSelection()

    def saving(self) -> tuple[Callable[[], Any], str]:
        directory, who = self.services.directory, self.principal
        case_type, team = self.case_type.currentData(), self.team.currentData()
        worker = self.worker.currentData()
        reference = self.reference.text()
        if self.editing is not None:
            editing = self.editing
            before = self.row(editing)
            moved = before is not None and (before.worker_username != worker or before.team != team)
            said = (
                f"{editing} is now with {self.worker.currentText()} in {team}; who held it "
                "before is kept below."
                if moved
                else f"Saved the changes to {editing}."
            )
            return (
                lambda: directory.update_case(
                    editing, who=who, case_type=case_type, team=team, worker=worker
                ),
                said,
            )
        return (
            lambda: directory.add_case(reference, case_type or "", team or "", worker, who=who),
            f"Added the case {reference.strip().upper()}.",
        )

    def activating(self, row: Any, active: bool) -> Callable[[], Any]:
        directory, who, reference = self.services.directory, self.principal, row.reference
        return lambda: directory.set_case_active(reference, active, who=who)

    def field_for(self, message: str) -> str | None:
        for word, key in (
            ("reference", "reference"),
            ("case type", "case_type"),
            ("type", "case_type"),
            ("worker", "worker"),
            ("team", "team"),
        ):
            if word in message:
                return key
        return None
