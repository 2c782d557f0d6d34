"""After the blind second audit: both tiers' grades side by side, a note on each difference,
follow-up actions, and closing the audit."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.errors import AuditorError
from auditor.domain.grades import Grade
from auditor.domain.permissions import Action, Principal
from auditor.domain.workflow import AuditState
from auditor.services import Services
from auditor.services.dto import AuditDetail, AuditRow, PersonDTO
from auditor.ui.shell import look
from auditor.ui.shell.errors import show_problem
from auditor.ui.widgets.date_field import DateField
from auditor.ui.widgets.permitted import permit


def grade_badge(grade: Grade | None, parent: QWidget) -> QLabel:
    label = look.badge(QLabel(grade.code if grade else "–", parent), grade)
    if grade is not None:
        label.setToolTip(grade.label)
        label.setAccessibleName(grade.label)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    return label


class ReconciliationPanel(QScrollArea):
    changed = Signal()

    def __init__(
        self,
        services: Services,
        detail: AuditDetail,
        principal: Principal,
        can_edit: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.detail, self.principal = services, detail, principal
        self.audit_id = detail.row.id
        self.can_edit = can_edit and detail.row.state is AuditState.RECONCILIATION
        self.note_edits: dict[str, QLineEdit] = {}
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.addWidget(self._grades_box(body))
        layout.addWidget(self._actions_box(body))
        self.message = QLabel(body)
        look.apply(self.message, "problem")
        self.message.setWordWrap(True)
        self.message.hide()
        layout.addWidget(self.message)
        if self.can_edit:
            self.close_button = QPushButton("Close the audit", body)
            self.close_button.clicked.connect(self._on_close_clicked)
            permit(self.close_button, principal, Action.CLOSE_AUDIT)
            layout.addWidget(self.close_button, alignment=Qt.AlignmentFlag.AlignRight)
        layout.addStretch()
        self.setWidget(body)
        self.setWidgetResizable(True)

    def _grades_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("First and second audit grades", parent)
        grid = QGridLayout(box)
        for col, title in enumerate(("Area", "First audit", "Second audit", "", "Why they differ")):
            header = QLabel(f"<b>{title}</b>", box)
            grid.addWidget(header, 0, col)
        for row, c in enumerate(self.detail.comparisons, start=1):
            area = QLabel(c.label, box)
            area.setWordWrap(True)
            grid.addWidget(area, row, 0)
            grid.addWidget(grade_badge(c.first, box), row, 1)
            grid.addWidget(grade_badge(c.second, box), row, 2)
            if c.differs:
                mark = QLabel("Different", box)
                look.apply(mark, "different")
                grid.addWidget(mark, row, 3)
                edit = QLineEdit(c.note, box)
                edit.setAccessibleName(f"Why the grades for {c.label} differ")
                edit.setPlaceholderText("Agreed explanation of the difference (required)")
                edit.setReadOnly(not self.can_edit)
                edit.setMinimumWidth(260)
                edit.editingFinished.connect(lambda d=c.domain_id, e=edit: self._save_note(d, e))
                self.note_edits[c.domain_id] = edit
                grid.addWidget(edit, row, 4)
        grid.setColumnStretch(0, 2)
        grid.setColumnStretch(4, 3)
        return box

    def _actions_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox("Follow-up actions", parent)
        layout = QVBoxLayout(box)
        if not self.detail.actions:
            layout.addWidget(
                QLabel(
                    "No actions yet. An audit graded Requires improvement or "
                    "Inadequate needs at least one before it can close.",
                    box,
                )
            )
        for a in self.detail.actions:
            done = f" — done {a.completed_on:%d/%m/%Y}" if a.completed_on else ""
            layout.addWidget(
                QLabel(f"• {a.description} — <b>{a.owner}</b>, due {a.due_on:%d/%m/%Y}{done}", box)
            )
        if self.can_edit:
            row = QHBoxLayout()
            self.action_text = QLineEdit(box)
            self.action_text.setAccessibleName("New action")
            self.action_text.setPlaceholderText("What needs to happen")
            self.action_owner = QComboBox(box)
            self.action_owner.setAccessibleName("Action owner")
            owner_label = QLabel("Owner", box)
            owner_label.setBuddy(self.action_owner)  # what a screen reader names the box by
            people = self.services.directory.people(who=self.principal)
            for person in people:
                self.action_owner.addItem(person.name, person.username)
            owner = self.action_owner.findData(_default_owner(self.detail.row, people))
            self.action_owner.setCurrentIndex(max(owner, 0))
            in_four_weeks = dt.date.today() + dt.timedelta(days=28)
            self.action_due = DateField("Action due date", box, required=in_four_weeks)
            due_label = QLabel("Due", box)
            due_label.setBuddy(self.action_due)
            add = self.add_action_button = QPushButton("Add action", box)
            add.clicked.connect(self._on_add_action_clicked)
            permit(add, self.principal, Action.SET_ACTIONS)
            for w, stretch in (
                (self.action_text, 3),
                (owner_label, 0),
                (self.action_owner, 1),
                (due_label, 0),
                (self.action_due, 0),
                (add, 0),
            ):
                row.addWidget(w, stretch)
            layout.addLayout(row)
        return box

    # ------------------------------------------------------------------------------------ events
    def _run(self, call) -> bool:
        self.message.hide()
        try:
            call()
        except AuditorError as error:
            self.message.setText(str(error))
            self.message.show()
            return False
        return True

    def _save_note(self, domain_id: str, edit: QLineEdit) -> None:
        if edit.text().strip() and self.can_edit:
            self._run(
                lambda: self.services.audits.note_difference(
                    self.audit_id, domain_id, edit.text(), by=self.principal
                )
            )

    def _on_add_action_clicked(self) -> None:
        due = self.action_due.day()
        if self._run(
            lambda: self.services.audits.add_action(
                self.audit_id,
                by=self.principal,
                owner=self.action_owner.currentData(),
                due_on=due,
                description=self.action_text.text(),
            )
        ):
            self.changed.emit()

    def _on_close_clicked(self) -> None:
        for domain_id, edit in self.note_edits.items():
            self._save_note(domain_id, edit)
        try:
            self.services.audits.close(self.audit_id, by=self.principal)
        except AuditorError as error:
            self.message.setText(str(error))
            self.message.show()
            show_problem(self, error, "The audit cannot close yet")
            return
        self.changed.emit()


def _default_owner(row: AuditRow, people: list[PersonDTO]) -> str | None:
    """Who usually owns a follow-up action: the worker's line manager, else the first auditor
    (who is usually that manager), never merely the first name in the alphabet."""
    worker = next((p for p in people if p.name == row.worker), None)
    manager = next((p for p in people if worker and p.id == worker.line_manager_id), None)
    if manager is not None:
        return manager.username
    return next((p.username for p in people if p.name == row.first_auditor), None)
