"""Findings of one activity: strengths and areas for development, each tagged with the area of
practice it is about, so a practice week can count what recurs. The people who audited or observed
add and remove their own; everyone who can see the activity reads them."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.errors import AuditorError
from auditor.domain.permissions import Principal
from auditor.domain.practice_weeks import FindingKind
from auditor.services import Services
from auditor.ui.shell import look
from auditor.ui.widgets.spoken import name_for_screen_readers


class FindingsPanel(QWidget):
    changed = Signal()

    def __init__(
        self, services: Services, audit_id: int, principal: Principal, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.services, self.audit_id, self.principal = services, audit_id, principal
        intro = QLabel(
            "What stood out? Tag each strength or area for development with the area "
            "of practice it is about: a practice week's summary counts what recurs.",
            self,
        )
        intro.setWordWrap(True)
        look.apply(intro, "help")
        self.list = QListWidget(self)
        self.list.setAccessibleName("Findings")
        self.list.setWordWrap(True)
        self.kind = QComboBox(self)
        name_for_screen_readers(self.kind, "Kind of finding")
        for kind in FindingKind:
            self.kind.addItem(kind.label, kind)
        self.domain = QComboBox(self)
        name_for_screen_readers(self.domain, "Area of practice")
        self.domain.addItem("Not tied to one area", "")
        for domain_id, title in services.findings.domains():
            self.domain.addItem(title, domain_id)
        self.text = QLineEdit(self)
        self.text.setAccessibleName("Finding")
        self.text.setPlaceholderText("In a few words, e.g. “Child seen alone and listened to”")
        self.text.returnPressed.connect(self._on_add_clicked)
        self.add_button = QPushButton("&Add finding", self)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button = QPushButton("Remove selected", self)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.problem = QLabel(self)
        look.apply(self.problem, "problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        choose = QHBoxLayout()
        choose.addWidget(self.kind)
        choose.addWidget(self.domain, 1)
        add = QHBoxLayout()
        add.addWidget(self.text, 1)
        add.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.remove_button, 0, Qt.AlignmentFlag.AlignRight)
        layout.addLayout(choose)
        layout.addLayout(add)
        layout.addWidget(self.problem)
        self.may_write = services.findings.may_write(audit_id, principal)
        for widget in (self.kind, self.domain, self.text, self.add_button, self.remove_button):
            widget.setVisible(self.may_write)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        for f in self.services.findings.of_audit(self.audit_id, who=self.principal):
            item = QListWidgetItem(
                f"{f.kind.label} · {f.domain or 'Not tied to one area'}\n{f.text} — {f.author}",
                self.list,
            )
            item.setData(Qt.ItemDataRole.UserRole, f)
            item.setForeground(QColor(look.GREEN if f.kind is FindingKind.STRENGTH else look.AMBER))
        if not self.list.count():
            empty = QListWidgetItem("No findings yet.", self.list)
            empty.setFlags(Qt.ItemFlag.NoItemFlags)

    def _on_add_clicked(self) -> None:
        try:
            self.services.findings.add(
                self.audit_id,
                FindingKind(self.kind.currentData()),
                self.text.text(),
                by=self.principal,
                domain_id=self.domain.currentData(),
            )
        except AuditorError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        self.problem.hide()
        self.text.clear()
        self.refresh()
        self.changed.emit()

    def _on_remove_clicked(self) -> None:
        item = self.list.currentItem()
        finding = item.data(Qt.ItemDataRole.UserRole) if item else None
        if finding is None:
            return
        try:
            self.services.findings.remove(finding.id, by=self.principal)
        except AuditorError as error:
            self.problem.setText(str(error))
            self.problem.show()
            return
        self.problem.hide()
        self.refresh()
        self.changed.emit()
