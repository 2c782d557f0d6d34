"""Starting a dip sample (which dip form, and the practice week it belongs to), or going back to one
of my unfinished dip samples."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from auditor.domain.permissions import Action, Principal
from auditor.domain.words import counted
from auditor.services import Services
from auditor.ui.shell.service_dialog import ServiceDialog, running_weeks_combo
from auditor.ui.widgets.permitted import permit


class NewDipDialog(ServiceDialog):
    def __init__(
        self, services: Services, principal: Principal, parent: QWidget | None = None
    ) -> None:
        super().__init__("Dip sample", parent)
        self.services, self.principal = services, principal
        self.session_id: int | None = None
        self.session = QComboBox(self)
        self.session.setAccessibleName("Dip sample to work on")
        self.session.addItem("Start a new dip sample", None)
        for s in services.dips.sessions(principal.username, who=principal):
            if s.finished_at is None:
                self.session.addItem(
                    f"Carry on: {s.title}, started {s.started_at:%d/%m %H:%M} "
                    f"({counted(len(s.rows), 'case')})",
                    s.id,
                )
        self.form_choice = QComboBox(self)
        self.form_choice.setAccessibleName("Dip-sample form")
        for form_id, title in services.dips.forms_available():
            self.form_choice.addItem(title, form_id)
        self.week = running_weeks_combo(services, self, who=principal)
        self.session.currentIndexChanged.connect(self._on_session_changed)
        for label, widget in (
            ("&Sample", self.session),
            ("&What to check", self.form_choice),
            ("Practice &week", self.week),
        ):
            self.form.addRow(label, widget)
        permit(self.ok_button, principal, Action.RUN_DIP_SAMPLE)
        self.resize(560, self.sizeHint().height())

    def _on_session_changed(self) -> None:
        new = self.session.currentData() is None
        self.form_choice.setEnabled(new)
        self.week.setEnabled(new)

    def apply(self) -> None:
        self.session_id = self.session.currentData()
        if self.session_id is None:
            self.session_id = self.services.dips.start_session(
                self.form_choice.currentData(),
                by=self.principal,
                practice_week_id=self.week.currentData(),
            )
