"""First run (which database?) and choosing who is using the app."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from auditor.paths import data_dir
from auditor.services.dto import PersonDTO


class FirstRunDialog(QDialog):
    """No database yet: create an empty one, try the demo organisation, or open a file."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Auditor")
        self.choice: tuple[str, Path] | None = None
        intro = QLabel(
            "<h2>Welcome to Auditor</h2><p>Auditor keeps case-file audits, observations and dip "
            "samples in one file on this computer. Nothing is sent anywhere.</p>"
            "<p>To look around first, open the demo organisation: invented teams, staff and "
            "cases with audits at every stage.</p>",
            self,
        )
        intro.setWordWrap(True)
        demo = QPushButton("Open the &demo organisation", self)
        new = QPushButton("Create a &new, empty database", self)
        existing = QPushButton("&Open an existing database…", self)
        demo.clicked.connect(lambda: self._choose("demo", data_dir() / "demo.db"))
        new.clicked.connect(lambda: self._choose("new", data_dir() / "auditor.db"))
        existing.clicked.connect(self._on_open_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        for button in (demo, new, existing):
            layout.addWidget(button)
        demo.setDefault(True)
        self.resize(520, self.sizeHint().height())

    def _choose(self, kind: str, path: Path) -> None:
        self.choice = (kind, path)
        self.accept()

    def _on_open_clicked(self) -> None:
        from auditor.ui.shell.file_dialogs import open_file

        path = open_file(
            self, "Open an Auditor database", data_dir(), "Auditor databases (*.db);;All files (*)"
        )
        if path is not None:
            self._choose("open", path)


class UserPickerDialog(QDialog):
    """Who is using Auditor? (Sign-in with passwords comes later.)"""

    def __init__(
        self,
        people: list[PersonDTO],
        last_username: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is using Auditor?")
        self.people = people
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Type part of a name or role")
        self.filter.setAccessibleName("Filter people")
        self.list = QListWidget(self)
        self.list.setAccessibleName("People")
        for person in people:
            item = QListWidgetItem(
                f"{person.name} — {person.role_labels}"
                + (f", {person.team}" if person.team else "")
            )
            item.setData(Qt.ItemDataRole.UserRole, person)
            self.list.addItem(item)
            if person.username == last_username:
                self.list.setCurrentItem(item)
        if self.list.currentRow() < 0 and self.list.count():
            self.list.setCurrentRow(0)
        self.filter.textChanged.connect(self._on_filter_changed)
        self.list.itemActivated.connect(lambda _i: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Continue")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "Choose yourself from the list. What you can see and do depends on your roles.",
                self,
            )
        )
        layout.addWidget(self.filter)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.resize(520, 480)

    def _on_filter_changed(self, text: str) -> None:
        needle = text.strip().lower()
        first_visible = None
        for i in range(self.list.count()):
            item = self.list.item(i)
            hidden = needle not in item.text().lower()
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = item
        if first_visible is not None:
            self.list.setCurrentItem(first_visible)

    def chosen(self) -> PersonDTO | None:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item and not item.isHidden() else None
