"""First run: which database? (Who is using it is the sign-in screen, ``sign_in.py``.)"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from auditor.paths import data_dir


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
