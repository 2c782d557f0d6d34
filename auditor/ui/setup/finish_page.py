"""The last page: what the organisation has now, in counts, and into the app."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from auditor.domain.words import counted
from auditor.services import Services
from auditor.services.reference.setup import SetupProgress
from auditor.ui.setup.step import SetupStep
from auditor.ui.shell.background import Loader, Runner


def summary(progress: SetupProgress) -> str:
    return (
        f"{counted(progress.administrators, 'administrator')}, "
        f"{counted(progress.teams, 'team')}, "
        f"{counted(progress.people, 'person', 'people')} and "
        f"{counted(progress.cases, 'case')}."
    )


class FinishPage(SetupStep):
    title = "Ready to start"

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(services, runner, parent)
        self.loader = Loader(runner, self)
        self.progress: SetupProgress | None = None
        self.counts = QLabel(self)
        self.counts.setWordWrap(True)
        self.column.addWidget(self.counts)
        self.intro(
            "<p>Anything skipped can be added later. Auditor opens now, with you signed in as "
            "the administrator.</p>"
        )
        self.open_button = QPushButton("&Open Auditor", self)
        self.column.addWidget(self.open_button)
        self.column.addStretch(1)

    def reload(self) -> None:
        self.loader.request(self.services.setup.progress, self._show)

    def _show(self, progress: SetupProgress) -> None:
        self.progress = progress
        self.counts.setText(f"This database now has {summary(progress)}")
        self.open_button.setEnabled(progress.ready)

    def first_input(self) -> QWidget | None:
        return self.open_button
