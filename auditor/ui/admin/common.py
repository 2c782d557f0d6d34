"""What the administration screens share: a title and a line on what the screen is for, a row of
buttons, what was done or refused said in words under them, and a table of what is stored.

Each screen is for one action of the permission matrix (``action``): made for a principal whose
roles do not allow it, it refuses to be built (``NotPermitted``), and the services refuse its calls
in any case. Reads go through ``Loader`` (the newest answer only), writes through ``Runner.run``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.errors import AuditorError
from auditor.domain.permissions import Action, Principal, refusal, require
from auditor.services import Services
from auditor.ui.shell import look
from auditor.ui.shell.background import Loader, Runner

#: How a moment is shown in the tables: the day as everywhere in the app, then the time.
WHEN = "%d/%m/%Y %H:%M"


def when(moment: dt.datetime | None, empty: str = "") -> str:
    return moment.strftime(WHEN) if moment else empty


def make_table(parent: QWidget, columns: Sequence[str], name: str) -> QTableWidget:
    """A read-only table of whole rows: the arrows move in it, Tab leaves it."""
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(list(columns))
    table.setAccessibleName(name)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setTabKeyNavigation(False)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    table.setMinimumHeight(table.verticalHeader().defaultSectionSize() * 4)
    return table


def fill(table: QTableWidget, rows: Sequence[Sequence[str]], keys: Sequence[Any] = ()) -> None:
    """Replace the rows, keeping the chosen row where its key is still there. ``keys[i]`` is kept
    on the first cell of row i (``key_of``)."""
    kept = key_of(table)
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            item = QTableWidgetItem(text)
            if c == 0 and r < len(keys):
                item.setData(Qt.ItemDataRole.UserRole, keys[r])
            table.setItem(r, c, item)
    table.resizeColumnsToContents()
    header = table.horizontalHeader()
    for c in range(table.columnCount()):  # a long cell does not push the others off screen
        header.resizeSection(c, min(header.sectionSize(c) + 16, 360))
    again = next((r for r in range(len(rows)) if r < len(keys) and keys[r] == kept), None)
    if again is not None:
        table.selectRow(again)
    elif rows and table.currentRow() < 0:
        table.setCurrentCell(0, 0)


def key_of(table: QTableWidget) -> Any:
    """The key of the chosen row (see ``fill``), or None."""
    row = table.currentRow()
    item = table.item(row, 0) if row >= 0 else None
    return item.data(Qt.ItemDataRole.UserRole) if item is not None else None


def caption(parent: QWidget, text: str, buddy: QWidget) -> QLabel:
    """A label whose mnemonic (the letter after &) takes the focus to ``buddy``."""
    label = QLabel(text, parent)
    label.setBuddy(buddy)
    plain = label.fontMetrics().horizontalAdvance(text.replace("&", "")) + 4
    label.setMinimumWidth(max(label.sizeHint().width(), plain))  # never squeezed by its field
    return label


class AdminPage(QWidget):
    """One administration screen. Subclasses set ``action``, ``title``, ``intro_text`` and fill
    ``fetch``/``show_rows``."""

    action: ClassVar[Action]
    title: ClassVar[str] = ""
    intro_text: ClassVar[str] = ""

    def __init__(
        self,
        services: Services,
        principal: Principal,
        runner: Runner,
        parent: QWidget | None = None,
    ) -> None:
        require(principal, self.action)  # not even built for someone it is not for
        super().__init__(parent)
        self.services, self.principal, self.runner = services, principal, runner
        self.loader = Loader(runner, self)
        self.column = QVBoxLayout(self)
        heading = QLabel(self.title, self)
        look.apply(heading, "pageTitle")
        self.column.addWidget(heading)
        if self.intro_text:
            intro = QLabel(self.intro_text, self)
            intro.setWordWrap(True)
            look.apply(intro, "help")
            self.column.addWidget(intro)
        self.buttons = QHBoxLayout()
        self.problem = QLabel(self)  # what was refused, in words
        look.apply(self.problem, "problem")
        self.problem.setWordWrap(True)
        self.problem.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem.hide()
        self.status = QLabel(self)  # what was done
        look.apply(self.status, "saved")
        self.status.setWordWrap(True)
        self.count = QLabel(self)
        look.apply(self.count, "subtitle")

    def button(self, text: str, slot: Callable[[], None], tip: str = "") -> QPushButton:
        button = QPushButton(text, self)
        button.clicked.connect(slot)
        if tip:
            button.setToolTip(tip)
        self.buttons.addWidget(button)
        return button

    def finish_layout(self, *tables: QWidget) -> None:
        self.buttons.addStretch(1)
        self.column.addLayout(self.buttons)
        self.column.addWidget(self.problem)
        self.column.addWidget(self.status)
        self.column.addWidget(self.count)
        for table in tables:
            self.column.addWidget(table, 1)

    # reading ----------------------------------------------------------------------------------
    def fetch(self) -> Any:
        """Read what the screen shows (a service call; on a worker thread)."""
        raise NotImplementedError

    def show_rows(self, data: Any) -> None:
        raise NotImplementedError

    def reload(self) -> None:
        self.loader.request(self.fetch, self.show_rows, self.refused)

    def first_input(self) -> QWidget | None:
        return None

    # writing ----------------------------------------------------------------------------------
    def store(
        self, fn: Callable[[], Any], said: str, then: Callable[[], None] | None = None
    ) -> None:
        """Run a service call that changes something; say ``said`` when it has, the refusal in
        words when it has not, and show what is stored now either way."""
        self.clear_messages()

        def done(_result: Any) -> None:
            self.status.setText(said)
            self.reload()
            if then is not None:
                then()

        def failed(error: BaseException) -> None:
            self.refused(error)
            self.reload()

        self.runner.run(fn, done, failed)

    def refused(self, error: BaseException) -> None:
        if not isinstance(error, AuditorError):
            raise error
        self.status.clear()
        self.problem.setText(str(error))
        self.problem.show()

    def clear_messages(self) -> None:
        self.problem.hide()
        self.problem.clear()
        self.status.clear()

    @classmethod
    def allowed_for(cls, principal: Principal) -> bool:
        return principal.may(cls.action)

    @classmethod
    def why_not(cls) -> str:
        return refusal(cls.action)
