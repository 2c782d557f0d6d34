"""The first page: set up your own organisation, or look around the demo organisation instead."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QPushButton, QWidget

from auditor.domain.words import counted
from auditor.services import Services
from auditor.ui.setup.step import SetupStep
from auditor.ui.shell.background import Runner


class WelcomePage(SetupStep):
    title = "Set up Auditor for your organisation"
    set_up = Signal()
    demo = Signal()

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(services, runner, parent)
        progress = services.setup.progress()  # four counts: quick enough to read here
        so_far = (
            "has nobody in it yet"
            if not progress.people
            else f"has {counted(progress.people, 'person', 'people')} in it but no administrator"
        )
        self.intro(
            f"<p>This database ({services.path.name}) {so_far}. A few steps set it "
            "up, and everything you add is kept as you go: you can stop at any point and carry "
            "on next time.</p>"
            "<ol><li><b>You</b>, the first administrator, who looks after the set-up.</li>"
            "<li><b>Teams</b> and the services they belong to.</li>"
            "<li><b>People</b>: their roles, team and line manager.</li>"
            "<li><b>Cases</b>: reference, case type, team and allocated worker.</li></ol>"
            "<p>Teams, people and cases can be added later too, one at a time or from a "
            "spreadsheet.</p>"
            "<p>To look around first, open the demo organisation instead: invented teams, staff "
            "and cases with audits at every stage, in a file of its own.</p>"
        )
        self.set_up_button = QPushButton("Set up your &organisation", self)
        self.demo_button = QPushButton("Open the &demo organisation instead", self)
        self.set_up_button.clicked.connect(self.set_up)
        self.demo_button.clicked.connect(self.demo)
        self.column.addWidget(self.set_up_button)
        self.column.addWidget(self.demo_button)
        self.column.addStretch(1)

    def first_input(self) -> QWidget | None:
        return self.set_up_button
