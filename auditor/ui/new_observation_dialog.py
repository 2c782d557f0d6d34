"""Starting an observation of practice: whose practice, what kind, when, the case if there is one,
and the practice week it belongs to. The observation then opens as a draft that saves as you type."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (QComboBox, QCompleter, QDateEdit, QDialog, QDialogButtonBox,
                               QFormLayout, QLabel, QVBoxLayout, QWidget)

from auditor.domain.activities import ActivityKind
from auditor.domain.errors import AuditorError
from auditor.domain.practice_weeks import OBSERVATION_TYPES, WeekStatus
from auditor.services import Services
from auditor.services.dto import PersonDTO
from auditor.ui import look

FORM_ID = "practice_observation"


def _searchable(box: QComboBox) -> None:
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.completer().setFilterMode(Qt.MatchFlag.MatchContains)
    box.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)


class NewObservationDialog(QDialog):
    def __init__(self, services: Services, user: PersonDTO, parent: QWidget | None = None,
                 today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.services, self.user = services, user
        self.audit_id: int | None = None
        today = today or dt.date.today()
        self.setWindowTitle("Record an observation of practice")
        self.practitioner = QComboBox(self)
        self.practitioner.setAccessibleName("Practitioner observed")
        for p in services.directory.people():
            if p.username != user.username:
                self.practitioner.addItem(f"{p.name} ({p.role_labels}"
                                          + (f", {p.team})" if p.team else ")"), p.username)
        _searchable(self.practitioner)
        self.practitioner.setCurrentIndex(-1)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("What was observed")
        for code, label in OBSERVATION_TYPES.items():
            self.kind.addItem(label, code)
        self.day = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setCalendarPopup(True)
        self.day.setAccessibleName("Date of the observation")
        self.case = QComboBox(self)
        self.case.setAccessibleName("Case")
        self.case.addItem("No case (for example supervision or duty)", None)
        for c in services.directory.cases():
            self.case.addItem(f"{c.reference} — {c.case_type_label}, {c.team}", c.reference)
        _searchable(self.case)
        self.week = QComboBox(self)
        self.week.setAccessibleName("Practice week")
        self.week.addItem("Not part of a practice week", None)
        for w in services.weeks.weeks():
            if w.status is WeekStatus.RUNNING:
                self.week.addItem(w.name, w.id)
        if self.week.count() == 2:
            self.week.setCurrentIndex(1)
        self.problem = QLabel(self)
        look.apply(self.problem, "problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow("&Practitioner", self.practitioner)
        form.addRow("&What", self.kind)
        form.addRow("&Date", self.day)
        form.addRow("&Case", self.case)
        form.addRow("Practice &week", self.week)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Start recording")
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())
        self.practitioner.setFocus()

    def _chosen(self, box: QComboBox) -> str | None:
        """The item matching what was typed or picked (the typed text must name one)."""
        index = box.findText(box.currentText(), Qt.MatchFlag.MatchExactly)
        return box.itemData(index if index >= 0 else box.currentIndex())

    def _on_ok(self) -> None:
        practitioner = self._chosen(self.practitioner)
        answers = {"observation_type": self.kind.currentData(),
                   "observed_on": self.day.date().toPython().isoformat()}
        try:
            self.audit_id = self.services.audits.record(
                ActivityKind.OBSERVATION, by=self.user.username, form_id=FORM_ID,
                practitioner=practitioner, case_reference=self._chosen(self.case),
                answers=answers, complete=False, practice_week_id=self.week.currentData())
        except AuditorError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        self.accept()
