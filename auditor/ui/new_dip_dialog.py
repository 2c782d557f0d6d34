"""Starting a dip sample (which dip form, and the practice week it belongs to), or going back to one
of my unfinished dip samples."""

from __future__ import annotations

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QVBoxLayout, QWidget)

from auditor.domain.errors import AuditorError
from auditor.domain.practice_weeks import WeekStatus
from auditor.services import Services
from auditor.services.dto import PersonDTO
from auditor.ui import look


class NewDipDialog(QDialog):
    def __init__(self, services: Services, user: PersonDTO, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.user = services, user
        self.session_id: int | None = None
        self.setWindowTitle("Dip sample")
        self.session = QComboBox(self)
        self.session.setAccessibleName("Dip sample to work on")
        self.session.addItem("Start a new dip sample", None)
        for s in services.dips.sessions(user.username):
            if s.finished_at is None:
                self.session.addItem(f"Carry on: {s.title}, started {s.started_at:%d/%m %H:%M} "
                                     f"({len(s.rows)} cases)", s.id)
        self.form = QComboBox(self)
        self.form.setAccessibleName("Dip-sample form")
        for form_id, title in services.dips.forms_available():
            self.form.addItem(title, form_id)
        self.week = QComboBox(self)
        self.week.setAccessibleName("Practice week")
        self.week.addItem("Not part of a practice week", None)
        for w in services.weeks.weeks():
            if w.status is WeekStatus.RUNNING:
                self.week.addItem(w.name, w.id)
        self.session.currentIndexChanged.connect(self._on_session_changed)
        self.problem = QLabel(self)
        look.apply(self.problem, "problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        layout_form = QFormLayout()
        layout_form.addRow("&Sample", self.session)
        layout_form.addRow("&What to check", self.form)
        layout_form.addRow("Practice &week", self.week)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel, self)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(layout_form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _on_session_changed(self) -> None:
        new = self.session.currentData() is None
        self.form.setEnabled(new)
        self.week.setEnabled(new)

    def _on_ok(self) -> None:
        if self.session.currentData() is not None:
            self.session_id = self.session.currentData()
            self.accept()
            return
        try:
            self.session_id = self.services.dips.start_session(
                self.form.currentData(), by=self.user.username,
                practice_week_id=self.week.currentData())
        except AuditorError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        self.accept()
