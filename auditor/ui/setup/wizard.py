"""The set-up wizard: welcome, you (the first administrator), teams, people, cases, finish.

Shown instead of the sign-in screen while the database has no administrator: on a new, empty
database, and on every later start until there is one (it resumes with what is already stored). Each
page stores what it adds at once; Enter adds the form of the page it is typed in; Back and Next
move between the pages, and every step but the administrator can be skipped.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.permissions import Principal
from auditor.services import Services
from auditor.services.dto import PersonDTO
from auditor.ui.setup.admin_page import AdminPage
from auditor.ui.setup.cases_page import CasesPage
from auditor.ui.setup.finish_page import FinishPage
from auditor.ui.setup.people_page import PeoplePage
from auditor.ui.setup.step import SetupStep
from auditor.ui.setup.teams_page import TeamsPage
from auditor.ui.setup.welcome_page import WelcomePage
from auditor.ui.shell import look
from auditor.ui.shell.background import Runner


class SetupWizard(QDialog):
    """``exec()`` is true when set-up is done and ``principal`` is the administrator, signed in
    with the password they chose on the administrator page, or when
    ``demo_requested`` (open the demo organisation instead). False: the user quit set-up."""

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Set up Auditor")
        self.services, self.runner = services, runner
        self.administrator: PersonDTO | None = None
        self.principal: Principal | None = None
        self.demo_requested = False
        self.welcome = WelcomePage(services, runner, self)
        self.admin = AdminPage(services, runner, self)
        self.teams = TeamsPage(services, runner, self)
        self.people = PeoplePage(services, runner, self)
        self.cases = CasesPage(services, runner, self)
        self.finish = FinishPage(services, runner, self)
        self.pages: list[SetupStep] = [
            self.welcome,
            self.admin,
            self.teams,
            self.people,
            self.cases,
            self.finish,
        ]
        self.stack = QStackedWidget(self)
        for page in self.pages:
            scroll = QScrollArea(self.stack)
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QScrollArea.Shape.NoFrame)
            scroll.setWidget(page)
            self.stack.addWidget(scroll)
            page.changed.connect(self._on_changed)
        self.step = QLabel(self)
        look.apply(self.step, "subtitle")
        self.back_button = QPushButton("&Back", self)
        self.next_button = QPushButton("&Next", self)
        self.quit_button = QPushButton("&Quit set-up", self)
        self.quit_button.setToolTip("Everything added so far is kept; set-up carries on next time.")
        self.back_button.clicked.connect(lambda: self.go(self.index - 1))
        self.next_button.clicked.connect(lambda: self.go(self.index + 1))
        self.quit_button.clicked.connect(self.reject)
        self.welcome.set_up.connect(lambda: self.go(1))
        self.welcome.demo.connect(self._on_demo)
        self.admin.created.connect(self._on_administrator)
        self.finish.open_button.clicked.connect(self._on_open)
        nav = QHBoxLayout()
        nav.addWidget(self.quit_button)
        nav.addStretch(1)
        nav.addWidget(self.back_button)
        nav.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step)
        layout.addWidget(self.stack, 1)
        layout.addLayout(nav)
        self._fit_screen()
        self.go(0)

    @property
    def index(self) -> int:
        return self.stack.currentIndex()

    @property
    def page(self) -> SetupStep:
        return self.pages[self.index]

    def go(self, index: int) -> None:
        index = max(0, min(index, len(self.pages) - 1))
        if index > 1 and self.administrator is None:
            index = 1  # nothing past the administrator until there is one
        self.stack.setCurrentIndex(index)
        page = self.page
        self.step.setText(f"Step {index + 1} of {len(self.pages)}: {page.title}")
        self.back_button.setVisible(index > 0)
        last = index == len(self.pages) - 1
        self.next_button.setVisible(index > 0 and not last)
        self._update_next()
        page.reload()
        target = page.first_input()
        if target is not None and target.isEnabled():
            target.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _update_next(self) -> None:
        self.next_button.setEnabled(self.index != 1 or self.administrator is not None)
        self.next_button.setToolTip(
            "" if self.next_button.isEnabled() else "Add yourself as the administrator first."
        )

    def _on_changed(self) -> None:
        for page in self.pages:
            if page is not self.page:
                page.reload()

    def _on_administrator(self, principal: Principal) -> None:
        self.administrator, self.principal = self.admin.administrator, principal
        for page in self.pages:
            page.principal = principal  # the later steps are done as the administrator
        self._update_next()
        self.next_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def _on_demo(self) -> None:
        self.demo_requested = True
        self.accept()

    def _on_open(self) -> None:
        if self.administrator is not None:
            self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter adds the form it is typed in (never presses Next or Quit by surprise)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            focus = QApplication.focusWidget()
            if (
                focus is not None
                and not isinstance(focus, QAbstractButton)
                and self.page.isAncestorOf(focus)
            ):
                self.page.submit()
            event.accept()
            return
        super().keyPressEvent(event)

    def _fit_screen(self) -> None:
        screen = self.screen().availableGeometry()
        self.resize(min(980, screen.width() - 40), min(720, screen.height() - 40))
