"""Starting a three-tier audit of a case."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.activities import THREE_TIER_KINDS, ActivityKind
from auditor.domain.errors import AuditorError
from auditor.domain.permissions import Action, Principal
from auditor.services import Services
from auditor.ui.shell import look
from auditor.ui.widgets.permitted import permit


class NewAuditDialog(QDialog):
    def __init__(
        self, services: Services, principal: Principal, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services, self.principal = services, principal
        self.audit_id: int | None = None
        self.setWindowTitle("Start an audit")
        self.case = QComboBox(self)
        self.case.setEditable(True)
        self.case.setAccessibleName("Case reference")
        for c in services.directory.cases(who=principal):
            self.case.addItem(
                f"{c.reference} — {c.case_type_label}, {c.team}, {c.worker or 'unallocated'}",
                c.reference,
            )
        completer = self.case.completer()
        assert completer is not None  # an editable combo box makes its own
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.case.setCurrentIndex(-1)
        self.kind = QComboBox(self)
        self.kind.setAccessibleName("Kind of audit")
        for k in THREE_TIER_KINDS:
            self.kind.addItem(k.label, k)
        people = services.directory.people(who=principal)
        self.first = QComboBox(self)
        self.first.setAccessibleName("First auditor")
        self.first.addItem("The worker's line manager", None)
        self.second = QComboBox(self)
        self.second.setAccessibleName("Second auditor")
        self.second.addItem("Choose later (any eligible senior manager can take it)", None)
        for p in people:
            if any(r.is_manager for r in p.roles):
                self.first.addItem(f"{p.name} ({p.role_labels})", p.username)
            if any(r.is_senior_or_qa for r in p.roles):
                self.second.addItem(f"{p.name} ({p.role_labels})", p.username)
        self.blind = QCheckBox(
            "Blind second audit: hide the first audit from the second auditor "
            "until they submit theirs",
            self,
        )
        self.blind.setChecked(True)
        permit(self.blind, principal, Action.MAKE_NOT_BLIND)
        permit(
            self.second,
            principal,
            Action.ASSIGN_SECOND_AUDIT,
            tip="Anyone eligible can take it later if you leave it open",
        )
        self.reason = QLineEdit(self)
        self.reason.setAccessibleName("Why the second audit is not blind")
        self.reason.setPlaceholderText(
            "Why the second auditor may see the first audit (kept in the audit's history)"
        )
        self.reason.setEnabled(False)
        self.blind.toggled.connect(lambda blind: self.reason.setEnabled(not blind))
        self.problem = QLabel(self)
        look.apply(self.problem, "problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        form = QFormLayout()
        form.addRow("&Case", self.case)
        form.addRow("&Kind", self.kind)
        form.addRow("&First auditor", self.first)
        form.addRow("&Second auditor", self.second)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        start = buttons.button(QDialogButtonBox.StandardButton.Ok)
        start.setText("Start audit")
        permit(start, principal, Action.START_AUDIT)
        buttons.accepted.connect(self._on_start_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.blind)
        layout.addWidget(self.reason)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        self.resize(640, self.sizeHint().height())

    def chosen_case(self) -> str:
        data = self.case.currentData()
        text = self.case.currentText().strip()
        if data and self.case.itemText(self.case.currentIndex()) == text:
            return data
        return text.split(" ")[0]

    def _on_start_clicked(self) -> None:
        try:
            self.audit_id = self.services.audits.start(
                self.chosen_case(),
                by=self.principal,
                kind=ActivityKind(self.kind.currentData()),  # Qt returns a StrEnum as a str
                first_auditor=self.first.currentData(),
                second_auditor=self.second.currentData(),
                blind=self.blind.isChecked(),
                not_blind_reason="" if self.blind.isChecked() else self.reason.text(),
            )
        except AuditorError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        self.accept()
