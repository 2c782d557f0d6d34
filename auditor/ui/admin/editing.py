"""A screen that lists stored rows and edits one (people, teams, cases): a search and "show
inactive too" above the table, the chosen row's form beside it, and under the form New, Save and
Make inactive / Make active again. Nothing is deleted: a row with history is made inactive.

A refusal about one field is shown under that field (``Field`` from the set-up pages); any other
refusal under the buttons. A bulk import is all rows or none: when refused, every bad row is named
in a dialog (``ImportProblemsDialog``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.errors import AuditorError
from auditor.domain.permissions import Principal
from auditor.services import Services
from auditor.services.dto import DirectoryImportResult, DirectoryKind
from auditor.ui.admin.common import AdminPage, caption, key_of, make_table
from auditor.ui.setup.step import Field
from auditor.ui.shell import look
from auditor.ui.shell.background import Runner

W = TypeVar("W", bound=QWidget)
#: the widest the form beside the table grows
FORM_WIDTH = 540


class ImportProblemsDialog(QDialog):
    """Why nothing was imported: every bad row, one a line, to read or copy."""

    def __init__(self, file_name: str, message: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Nothing was imported")
        self.setMinimumSize(640, 360)
        column = QVBoxLayout(self)
        said = QLabel(
            f"Nothing was imported from {file_name}: the file is taken whole or not at all. "
            "Put right the rows below and import it again.",
            self,
        )
        said.setWordWrap(True)
        column.addWidget(said)
        self.problems = QPlainTextEdit(message, self)
        self.problems.setReadOnly(True)
        self.problems.setAccessibleName("What is wrong, row by row")
        self.problems.setTabChangesFocus(True)
        column.addWidget(self.problems, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        column.addWidget(buttons)
        self.problems.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def text(self) -> str:
        return self.problems.toPlainText()


class EditingPage(AdminPage):
    """Subclasses set ``noun``, the columns, and fill the ``fetch``/``show_rows``/``form_for``/
    ``saving``/``activating`` hooks. Rows are keyed by their name, username or reference."""

    noun: ClassVar[str] = ""  # "person", "team", "case"
    plural: ClassVar[str] = ""
    columns: ClassVar[tuple[str, ...]] = ()
    #: what "Bulk import…" brings in, or None for no such button
    import_kind: ClassVar[DirectoryKind | None] = None
    search_text: ClassVar[str] = "Loo&k for"

    def __init__(
        self,
        services: Services,
        principal: Principal,
        runner: Runner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, principal, runner, parent)
        self.fields: dict[str, Field] = {}
        self.editing: Any = None  # the key of the row in the form; None: a new one
        self.search = QLineEdit(self)
        self.search.setAccessibleName(f"Look for {self.plural}")
        self.search.setPlaceholderText("Part of a name, username or reference")
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _t: self.show_filtered())
        self.inactive = QCheckBox(f"Show &inactive {self.plural} too", self)
        self.inactive.toggled.connect(lambda _on: self.reload())
        top = QHBoxLayout()
        top.addWidget(caption(self, self.search_text, self.search))
        top.addWidget(self.search, 1)
        top.addWidget(self.inactive)
        if self.import_kind is not None:
            self.import_button = QPushButton("&Bulk import…", self)
            self.import_button.setToolTip(
                "A CSV or Excel file with one row each: all rows are stored or none (see the "
                "README for the columns)"
            )
            self.import_button.clicked.connect(self.import_file)
            top.addWidget(self.import_button)
        self.column.addLayout(top)
        self.table = make_table(self, self.columns, self.plural.capitalize())
        self.table.itemSelectionChanged.connect(self._on_chosen)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form_title = QLabel(self)
        look.apply(self.form_title, "sectionTitle")
        self.new_button = QPushButton(f"Ne&w {self.noun}", self)
        self.new_button.clicked.connect(self.new)
        self.save_button = QPushButton("Sa&ve", self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.active_button = QPushButton("Make ina&ctive", self)
        self.active_button.clicked.connect(self.switch_active)
        self.rows: list[Any] = []

    def add_field(self, key: str, label: str, widget: W, name: str) -> W:
        field = Field(widget, name, self)
        field.on_enter = self.save
        self.fields[key] = field
        self.form.addRow(caption(self, label, widget), field)
        return widget

    def finish_layout(self, *below_form: QWidget) -> None:  # type: ignore[override]
        side = QWidget(self)
        side.setMaximumWidth(max(FORM_WIDTH, self.fontMetrics().horizontalAdvance("M") * 38))
        inner = QVBoxLayout(side)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.form_title)
        inner.addLayout(self.form)
        buttons = QHBoxLayout()
        for button in (self.save_button, self.new_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        inner.addLayout(buttons)
        inner.addWidget(self.problem)
        inner.addWidget(self.status)
        for widget in below_form:
            inner.addWidget(widget)
        inner.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.count)
        left.addWidget(self.table, 1)
        body = QHBoxLayout()
        body.addLayout(left, 3)
        body.addWidget(side, 2)
        self.column.addLayout(body, 1)
        self.new()

    def first_input(self) -> QWidget | None:
        return self.search

    # hooks ------------------------------------------------------------------------------------
    def key(self, row: Any) -> Any:
        raise NotImplementedError

    def cells(self, row: Any) -> tuple[str, ...]:
        raise NotImplementedError

    def matches(self, row: Any, text: str) -> bool:
        return any(text in cell.lower() for cell in self.cells(row))

    def form_for(self, row: Any | None) -> None:
        """Fill the form with ``row`` (None: empty, for a new one)."""
        raise NotImplementedError

    def saving(self) -> tuple[Callable[[], Any], str]:
        """The service call that stores the form, and what to say when it has."""
        raise NotImplementedError

    def activating(self, row: Any, active: bool) -> Callable[[], Any]:
        raise NotImplementedError

    def name_of(self, row: Any) -> str:
        return str(self.key(row))

    def field_for(self, message: str) -> str | None:
        """Which field a refusal is about (a key of ``fields``), None for the screen."""
        return None

    # the rest is the same on every such screen ------------------------------------------------
    def show_rows(self, data: Any) -> None:
        self.rows = list(data)
        self.show_filtered()
        if self.editing is not None:
            row = self.row(self.editing)
            if row is not None:
                self.form_for(row)
                self._update_buttons(row)

    def show_filtered(self) -> None:
        from auditor.ui.admin.common import fill

        text = self.search.text().strip().lower()
        shown = [r for r in self.rows if not text or self.matches(r, text)]
        self.table.blockSignals(True)
        fill(self.table, [self.cells(r) for r in shown], [self.key(r) for r in shown])
        if self.editing is None:
            self.table.clearSelection()
        self.table.blockSignals(False)
        n, total = len(shown), len(self.rows)
        word = self.noun if total == 1 else self.plural
        self.count.setText(
            f"{n} of {total} {word}." if text else f"{total} {word}." if total else f"No {word}."
        )

    def row(self, key: Any) -> Any | None:
        return next((r for r in self.rows if self.key(r) == key), None)

    def select(self, key: Any) -> None:
        """Choose the row of ``key`` and show it in the form (as the arrows in the table do)."""
        for r in range(self.table.rowCount()):
            item = self.table.item(r, 0)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == key:
                self.table.selectRow(r)
                self._on_chosen()
                return
        raise LookupError(key)

    def _on_chosen(self) -> None:
        key = key_of(self.table)
        row = self.row(key) if key is not None and self.table.selectedItems() else None
        if row is None:
            return
        self.editing = key
        self.clear_messages()
        self.form_title.setText(f"Editing {self.name_of(row)}")
        self.form_for(row)
        self._update_buttons(row)

    def _update_buttons(self, row: Any | None) -> None:
        self.active_button.setEnabled(row is not None)
        self.save_button.setText("Sa&ve changes" if row is not None else f"Sa&ve new {self.noun}")
        active = getattr(row, "active", True) if row is not None else True
        self.active_button.setText("Make ina&ctive" if active else "Make a&ctive again")

    def new(self) -> None:
        """An empty form for a new row."""
        self.editing = None
        self.table.clearSelection()
        self.clear_messages()
        self.form_title.setText(f"A new {self.noun}")
        self.form_for(None)
        self._update_buttons(None)
        first = next(iter(self.fields.values()), None)
        if first is not None and self.isVisible():
            first.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def save(self) -> None:
        fn, said = self.saving()
        was_new = self.editing is None

        def then_result(result: Any) -> None:
            key = self.key(result)
            self.editing = key
            self.reload()
            if was_new:
                self.search.clear()

        self.clear_messages()

        def done(result: Any) -> None:
            self.status.setText(said)
            then_result(result)

        self.runner.run(fn, done, self.refused_in_form)

    def switch_active(self) -> None:
        row = self.row(self.editing) if self.editing is not None else None
        if row is None:
            return
        on = not getattr(row, "active", True)
        name = self.name_of(row)
        self.store(
            self.activating(row, on),
            f"{name} is active again."
            if on
            else f"{name} is inactive: kept, with everything that names them, but no longer "
            "offered for new work.",
        )

    def refused_in_form(self, error: BaseException) -> None:
        """Saving the form was refused: said under the field it is about, or the buttons."""
        if not isinstance(error, AuditorError):
            raise error
        self.status.clear()
        key = self.field_for(str(error).lower())
        field = self.fields.get(key) if key else None
        if field is None:
            super().refused(error)
            return
        field.set_problem(str(error))
        field.widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def clear_messages(self) -> None:
        super().clear_messages()
        for field in getattr(self, "fields", {}).values():
            field.set_problem("")

    # importing --------------------------------------------------------------------------------
    def import_file(self) -> None:
        from auditor.ui.shell.file_dialogs import open_file

        kind = self.import_kind
        assert kind is not None
        path = open_file(
            self,
            f"Import {kind.value} from a file",
            Path.home(),
            "Spreadsheets (*.csv *.xlsx);;All files (*)",
        )
        if path is None:
            return
        self.clear_messages()
        importer = self.services.directory_import
        call = {
            DirectoryKind.TEAMS: importer.import_teams,
            DirectoryKind.PEOPLE: importer.import_people,
            DirectoryKind.CASES: importer.import_cases,
        }[kind]
        who, name = self.principal, path.name
        self.runner.run(
            lambda: call(path, who=who),
            self._imported,
            lambda error: self._import_refused(name, error),
        )

    def _imported(self, result: DirectoryImportResult) -> None:
        self.status.setText(f"Imported {result.added} {result.kind.value} from {result.file_name}.")
        self.reload()

    def _import_refused(self, file_name: str, error: BaseException) -> None:
        if not isinstance(error, AuditorError):
            raise error
        self.problem.setText(f"Nothing was imported from {file_name}.")
        self.problem.show()
        dialog = ImportProblemsDialog(file_name, str(error), self)
        dialog.exec()
        dialog.deleteLater()
