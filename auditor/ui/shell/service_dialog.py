"""A dialog whose OK button runs one service call: a refusal is shown in red under the form and the
dialog stays open, so nothing the user chose is lost to a rule."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.errors import AuditorError
from auditor.domain.permissions import Principal
from auditor.domain.practice_weeks import WeekStatus
from auditor.services import Services
from auditor.ui.shell import look


class ServiceDialog(QDialog):
    def __init__(self, title: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.problem = QLabel(self)
        look.apply(self.problem, "problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._on_ok)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def apply(self) -> None:
        """Do the dialog's one service call; raise the engine's error to refuse."""
        raise NotImplementedError

    def _on_ok(self) -> None:
        try:
            self.apply()
        except AuditorError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        self.accept()


def running_weeks_combo(services: Services, parent: QWidget, *, who: Principal) -> QComboBox:
    """'Not part of a practice week' or one under way (chosen when it is the only one)."""
    box = QComboBox(parent)
    box.setAccessibleName("Practice week")
    box.addItem("Not part of a practice week", None)
    for week in services.weeks.weeks(who=who):
        if week.status is WeekStatus.RUNNING:
            box.addItem(week.name, week.id)
    if box.count() == 2:
        box.setCurrentIndex(1)
    return box
