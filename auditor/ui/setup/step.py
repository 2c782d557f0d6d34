"""What every set-up page shares: a title, what is already in the database (a table), a small form
that adds one row with Enter, and each refusal shown next to the field it is about."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.errors import AuditorError, RuleViolation
from auditor.domain.permissions import Principal
from auditor.domain.reference import Role
from auditor.services import Services
from auditor.services.dto import DirectoryImportResult, DirectoryKind
from auditor.ui.shell import look
from auditor.ui.shell.background import Loader, Runner
from auditor.ui.widgets.tick_list import row_height, tick_list

W = TypeVar("W", bound=QWidget)

#: Letters a username cannot hold that have a plain-letter spelling (NFKD leaves them alone).
_PLAIN = str.maketrans({"ł": "l", "ø": "o", "ß": "ss", "æ": "ae", "œ": "oe", "đ": "d", "þ": "th"})


def suggest_username(name: str) -> str:
    """'Zoë O'Brien' -> 'zoe.obrien': the usernames the demo and most councils use."""
    plain = unicodedata.normalize("NFKD", name.lower().translate(_PLAIN))
    words = ["".join(c for c in w if c.isascii() and c.isalnum()) for w in plain.split()]
    return ".".join(w for w in words if w)


#: The widest a form grows: a name does not need the whole width of a large screen.
FORM_WIDTH = 760


class Field(QWidget):
    """One input of a form with the place for its problem right under it. The problem is also
    the start of the input's accessible description, so a screen reader says it there."""

    def __init__(self, widget: QWidget, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.widget = widget
        widget.setAccessibleName(name)
        self.problem = QLabel(self)
        look.apply(self.problem, "problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(self.problem)
        self._plain = widget.accessibleDescription()
        self.on_enter: Callable[[], None] | None = None
        widget.installEventFilter(self)
        edit = widget.lineEdit() if isinstance(widget, QComboBox) else None
        if edit is not None:
            edit.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the field adds the form (an editable choice would keep it to itself)."""
        if (
            self.on_enter is not None
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.on_enter()
            return True
        return super().eventFilter(watched, event)

    def set_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))
        self.widget.setAccessibleDescription(
            f"Problem: {text} {self._plain}".strip() if text else self._plain
        )


def role_list(
    parent: QWidget, roles: Sequence[Role], name: str, *, most_rows: int = 5
) -> QListWidget:
    """A list of roles to tick, three to ``most_rows`` rows high."""
    box = tick_list(parent, name, [(role.label, role) for role in roles], most_rows=most_rows)
    box.setCurrentRow(0)
    box.setAccessibleDescription("Space ticks or unticks the role under the cursor.")
    box.setMinimumHeight(row_height(box) * 3 + 2 * box.frameWidth())
    return box


def make_editable(box: QComboBox, placeholder: str) -> None:
    """A choice that takes free text too, completed in place (a pop-up of completions would take
    the Enter meant to add the form)."""
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer, edit = box.completer(), box.lineEdit()
    assert completer is not None and edit is not None
    completer.setCompletionMode(QCompleter.CompletionMode.InlineCompletion)
    edit.setPlaceholderText(placeholder)


def refill(box: QComboBox, choices: Sequence[tuple[str, Any]]) -> None:
    """Replace a combo's choices, keeping the one chosen if it is still there."""
    kept = box.currentData()
    box.blockSignals(True)
    box.clear()
    for text, value in choices:
        box.addItem(text, value)
    index = box.findData(kept)
    box.setCurrentIndex(max(index, 0))
    box.blockSignals(False)


class SetupStep(QWidget):
    """A page of the wizard. ``changed`` says something was stored (the other pages reload)."""

    changed = Signal()
    title = ""

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.runner = services, runner
        #: the first administrator, once made: the later steps are done as them
        self.principal: Principal | None = None
        self.column = QVBoxLayout(self)
        heading = QLabel(self.title, self)
        look.apply(heading, "pageTitle")
        heading.setWordWrap(True)
        self.column.addWidget(heading)

    @property
    def who(self) -> Principal:
        """The administrator the step works as (every step after theirs has one)."""
        if self.principal is None:
            raise RuleViolation("Add yourself as the administrator first.")
        return self.principal

    def intro(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        self.column.addWidget(label)
        return label

    def first_input(self) -> QWidget | None:
        """Where the focus goes when the page is shown."""
        return None

    def submit(self) -> None:
        """Enter in the page's form."""

    def reload(self) -> None:
        """Show what is in the database now."""


class DirectoryStep(SetupStep):
    """A page that lists rows already stored and adds one by a form (teams, people, cases)."""

    columns: tuple[str, ...] = ()
    table_name = ""
    add_text = "&Add"
    #: what "Import from file…" brings in (a ``DirectoryKind`` value), or "" for no such button
    import_kind = ""
    #: whether the page reads anything before the administrator exists (only theirs does)
    reads_before_sign_in = False

    def __init__(self, services: Services, runner: Runner, parent: QWidget | None = None) -> None:
        super().__init__(services, runner, parent)
        self.loader = Loader(runner, self)
        self.fields: dict[str, Field] = {}
        self.table = QTableWidget(0, len(self.columns), self)
        self.table.setHorizontalHeaderLabels(list(self.columns))
        self.table.setAccessibleName(self.table_name)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table; the arrows move in it
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 3)
        self.count = QLabel(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.add_button = QPushButton(self.add_text, self)
        self.add_button.clicked.connect(self.submit)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.add_button)
        self.import_button = QPushButton("&Import from file…", self)
        self.import_button.setToolTip("A CSV or Excel file with one row each (see the README)")
        self.import_button.clicked.connect(self._on_import)
        self.import_button.setVisible(bool(self.import_kind))
        self.buttons.addWidget(self.import_button)
        self.buttons.addStretch(1)
        self.problem = QLabel(self)  # a refusal not about one field
        look.apply(self.problem, "problem")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.status = QLabel(self)
        look.apply(self.status, "saved")
        self.status.setWordWrap(True)

    def finish_layout(self) -> None:
        """The form first (what the page is for), then what is stored already."""
        form = QWidget(self)
        form.setMaximumWidth(FORM_WIDTH)
        inner = QVBoxLayout(form)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addLayout(self.form)
        inner.addLayout(self.buttons)
        inner.addWidget(self.problem)
        inner.addWidget(self.status)
        self.column.addWidget(form)
        self.column.addWidget(self.count)
        self.column.addWidget(self.table, 1)

    def add_field(self, key: str, label: str, widget: W, name: str) -> W:
        field = Field(widget, name, self)
        field.on_enter = self.submit
        self.fields[key] = field
        caption = QLabel(label, self)
        caption.setBuddy(widget)
        self.form.addRow(caption, field)
        return widget

    def first_input(self) -> QWidget | None:
        return next(iter(self.fields.values())).widget if self.fields else None

    # what a page fills in ---------------------------------------------------------------------
    def fetch(self) -> Any:
        """Read what the page shows (on a worker thread)."""
        raise NotImplementedError

    def show_rows(self, data: Any) -> None:
        raise NotImplementedError

    def adding(self) -> tuple[Callable[[], Any], str] | None:
        """The service call that stores the form, and what to say when it has; None to refuse."""
        raise NotImplementedError

    def field_for(self, message: str) -> str | None:
        """Which field a refusal is about (a key of ``fields``), None for the page."""
        return None

    def clear_form(self) -> None:
        raise NotImplementedError

    # the rest is the same on every page ---------------------------------------------------------
    def reload(self) -> None:
        if self.principal is None and not self.reads_before_sign_in:
            return  # reading needs the administrator, who is not made yet
        self.loader.request(self.fetch, self.show_rows)

    def fill_table(self, rows: Sequence[Sequence[str]], noun: str) -> None:
        self.table.setVisible(bool(rows))
        self.table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, text in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.count.setText(
            f"Already in this database: {len(rows)} {noun}." if rows else f"No {noun} yet."
        )

    def submit(self) -> None:
        self.clear_problems()
        call = self.adding()
        if call is None:
            return
        fn, said = call
        self.add_button.setEnabled(False)
        self.runner.run(fn, lambda _result: self._added(said), self._refused)

    def _on_import(self) -> None:
        from auditor.ui.shell.file_dialogs import open_file

        kind = DirectoryKind(self.import_kind)
        path = open_file(
            self,
            f"Import {kind.value} from a file",
            Path.home(),
            "Spreadsheets (*.csv *.xlsx);;All files (*)",
        )
        if path is None:
            return
        self.clear_problems()
        importer = self.services.directory_import
        call = {
            DirectoryKind.TEAMS: importer.import_teams,
            DirectoryKind.PEOPLE: importer.import_people,
            DirectoryKind.CASES: importer.import_cases,
        }[kind]
        self.import_button.setEnabled(False)
        who = self.who
        self.runner.run(lambda: call(path, who=who), self._imported, self._import_refused)

    def _imported(self, result: DirectoryImportResult) -> None:
        self.import_button.setEnabled(True)
        self._added(f"Imported {result.added} {result.kind.value} from {result.file_name}.")

    def _import_refused(self, error: BaseException) -> None:
        self.import_button.setEnabled(True)
        if not isinstance(error, AuditorError):
            raise error
        self.refuse(f"Nothing was imported. {error}", None)

    def _added(self, said: str) -> None:
        self.add_button.setEnabled(True)
        self.status.setText(said)
        self.clear_form()
        self.reload()
        self.changed.emit()
        first = self.first_input()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refused(self, error: BaseException) -> None:
        self.add_button.setEnabled(True)
        if not isinstance(error, AuditorError):
            raise error
        self.refuse(str(error), self.field_for(str(error).lower()))

    def refuse(self, text: str, key: str | None) -> None:
        """Show a refusal next to its field (and go there), or under the form."""
        self.status.clear()
        field = self.fields.get(key) if key else None
        if field is None:
            self.problem.setText(text)
            self.problem.show()
            return
        field.set_problem(text)
        field.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_problems(self) -> None:
        self.problem.hide()
        for field in self.fields.values():
            field.set_problem("")
