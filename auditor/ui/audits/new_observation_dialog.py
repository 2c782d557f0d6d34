"""Starting an observation of practice: whose practice, what kind, when, the case if there is one,
and the practice week it belongs to. The observation then opens as a draft that saves as you type."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from auditor.domain.activities import ActivityKind
from auditor.domain.permissions import Action, Principal
from auditor.domain.practice_weeks import OBSERVATION_TYPES
from auditor.services import Services
from auditor.ui.shell.service_dialog import ServiceDialog, running_weeks_combo
from auditor.ui.widgets.date_field import DateField
from auditor.ui.widgets.permitted import permit

FORM_ID = "practice_observation"


def _searchable(box: QComboBox) -> None:
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = box.completer()
    assert completer is not None  # an editable combo box makes its own
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)


class NewObservationDialog(ServiceDialog):
    def __init__(
        self,
        services: Services,
        principal: Principal,
        parent: QWidget | None = None,
        today: dt.date | None = None,
    ) -> None:
        super().__init__("Record an observation of practice", parent)
        self.services, self.principal = services, principal
        self.audit_id: int | None = None
        today = today or dt.date.today()
        self.practitioner = QComboBox(self)
        self.practitioner.setAccessibleName("Practitioner observed")
        for p in services.directory.people(who=principal):
            if p.username != principal.username:
                self.practitioner.addItem(
                    f"{p.name} ({p.role_labels}" + (f", {p.team})" if p.team else ")"), p.username
                )
        _searchable(self.practitioner)
        self.practitioner.setCurrentIndex(-1)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("What was observed")
        for code, label in OBSERVATION_TYPES.items():
            self.kind.addItem(label, code)
        self.day = DateField("Date of the observation", self, required=today)
        self.case = QComboBox(self)
        self.case.setAccessibleName("Case")
        self.case.addItem("No case (for example supervision or duty)", None)
        for c in services.directory.cases(who=principal):
            worker = f", {c.worker}" if c.worker else ", no allocated worker"
            self.case.addItem(f"{c.reference} — {c.case_type_label}, {c.team}{worker}", c.reference)
        _searchable(self.case)
        self.week = running_weeks_combo(services, self, who=principal)
        for label, widget in (
            ("&Practitioner", self.practitioner),
            ("&What", self.kind),
            ("&Date", self.day),
            ("&Case", self.case),
            ("Practice &week", self.week),
        ):
            self.form.addRow(label, widget)
        self.ok_button.setText("Start recording")
        permit(self.ok_button, principal, Action.RECORD_OBSERVATION)
        self.resize(560, self.sizeHint().height())
        self.practitioner.setFocus()

    def _chosen(self, box: QComboBox) -> str | None:
        """The item matching what was typed or picked (the typed text must name one)."""
        index = box.findText(box.currentText(), Qt.MatchFlag.MatchExactly)
        return box.itemData(index if index >= 0 else box.currentIndex())

    def apply(self) -> None:
        answers = {
            "observation_type": self.kind.currentData(),
            "observed_on": self.day.day().isoformat(),
        }
        self.audit_id = self.services.audits.record(
            ActivityKind.OBSERVATION,
            by=self.principal,
            form_id=FORM_ID,
            practitioner=self._chosen(self.practitioner),
            case_reference=self._chosen(self.case),
            answers=answers,
            complete=False,
            practice_week_id=self.week.currentData(),
        )
