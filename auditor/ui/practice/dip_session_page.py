"""A dip-sample session: one form applied to many cases in one sitting, as a grid.

Type a case reference and press Enter to add it; answer the few questions (Y / N in yes-no columns,
F2 or Enter to edit any other cell); press O, G, R or I to grade the row; write why; Down for the next
case. Every change is saved as a draft straight away; "Finish" submits every case (saying which are
not ready and why) and shows the session summarised."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QStringListModel, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QCompleter,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.errors import AuditorError
from auditor.domain.forms import FieldType, FormDefinition
from auditor.domain.grades import Grade
from auditor.domain.permissions import Action, Principal
from auditor.domain.words import counted
from auditor.services import Services
from auditor.services.practice.dto import DipSessionDTO
from auditor.ui.models.dip_table_model import CHOICES_ROLE, DipRow, DipTableModel
from auditor.ui.shell import look
from auditor.ui.shell.background import Loader, Runner
from auditor.ui.shell.errors import show_problem, shown_in
from auditor.ui.widgets.autosave import Autosave
from auditor.ui.widgets.grade_picker import KEYS as GRADE_KEYS
from auditor.ui.widgets.permitted import permit


def _free_text(index) -> bool:
    """The "why" cell or a text question: typed at length, so saved while it is typed."""
    model = index.model()
    if not isinstance(model, DipTableModel):
        return False
    column = index.column()
    if column == model.col_why:
        return True
    question = model.questions[column - 1] if 1 <= column <= len(model.questions) else None
    return question is not None and question.type in (FieldType.TEXT, FieldType.TEXTAREA)


class ChoiceDelegate(QStyledItemDelegate):
    """A drop-down for cells whose question has fixed answers. A free-text cell is committed
    (and so saved) by the autosave rule while it is being typed, not only when it is left."""

    def createEditor(self, parent, option, index):
        choices = index.data(CHOICES_ROLE)
        if not choices:
            editor = super().createEditor(parent, option, index)
            if isinstance(editor, QLineEdit) and _free_text(index):
                autosave = Autosave(editor)
                editor.textEdited.connect(lambda _text: autosave.changed())
                autosave.due.connect(partial(self.commitData.emit, editor))
            return editor
        box = QComboBox(parent)
        box.setAccessibleName(
            str(index.model().headerData(index.column(), Qt.Orientation.Horizontal))
        )
        box.addItem("", "")
        for value, label in choices:
            box.addItem(label, value)
        return box

    def setEditorData(self, editor, index):
        if isinstance(editor, QComboBox):
            editor.setCurrentIndex(max(editor.findText(index.data() or ""), 0))
        elif isinstance(editor, QLineEdit) and editor.text().strip() == (index.data() or ""):
            return  # its own text came back, stripped: setText would lose the cursor and space
        else:
            super().setEditorData(editor, index)

    def setModelData(self, editor, model, index):
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData())
        else:
            super().setModelData(editor, model, index)


class DipGrid(QTableView):
    """O / G / R / I grade the current row; Y / N answer a yes-no cell; Delete clears a cell."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        model = self.model()
        if not isinstance(model, DipTableModel):
            super().keyPressEvent(event)
            return
        index = self.currentIndex()
        editing = self.state() == QAbstractItemView.State.EditingState
        if index.isValid() and not editing and not model.read_only and not event.modifiers():
            question = (
                model.questions[index.column() - 1]
                if 1 <= index.column() <= len(model.questions)
                else None
            )
            if (
                question is not None
                and question.type is FieldType.YES_NO
                and event.key() in (Qt.Key.Key_Y, Qt.Key.Key_N)
            ):
                model.setData(index, "yes" if event.key() == Qt.Key.Key_Y else "no")
                return
            if event.key() in GRADE_KEYS and not model.rows[index.row()].graded:
                model.set_grade(index.row(), GRADE_KEYS[Qt.Key(event.key())])
                self.setCurrentIndex(model.index(index.row(), model.col_why))
                return
            if (
                event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
                and model.flags(index) & Qt.ItemFlag.ItemIsEditable
            ):
                model.setData(index, "")
                return
        super().keyPressEvent(event)


class DipSessionPage(QWidget):
    session_changed = Signal(int)

    def __init__(
        self,
        services: Services,
        runner: Runner,
        session_id: int,
        principal: Principal,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.runner, self.principal = services, runner, principal
        self.session_id = session_id
        self.model: DipTableModel | None = None
        self.title = QLabel("Opening the dip sample…", self)
        look.apply(self.title, "pageTitle")
        self.facts = QLabel(self)
        look.apply(self.facts, "subtitle")
        self.case = QLineEdit(self)
        self.case.setAccessibleName("Add a case by its reference")
        self.case.setPlaceholderText("Case reference, then Enter")
        self.case.setMinimumWidth(self.case.fontMetrics().horizontalAdvance("M") * 18)
        self.case.returnPressed.connect(self._on_case_entered)
        self.add_problem = QLabel(self)
        look.apply(self.add_problem, "problem")
        self.grid = DipGrid(self)
        self.grid.setAccessibleName("Cases in this dip sample")
        # Arrows move between cells; Tab and Shift+Tab leave the grid (Qt's convention for item
        # views): with Tab going from cell to cell, the buttons below could not be reached.
        self.grid.setTabKeyNavigation(False)
        self.grid.setItemDelegate(ChoiceDelegate(self.grid))
        self.grid.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.grid.verticalHeader().hide()
        header = self.grid.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter | Qt.TextFlag.TextWordWrap
        )
        header.setMinimumHeight(header.fontMetrics().height() * 3 + 12)
        self.grid.horizontalHeader().setStretchLastSection(True)
        self.grid.setWordWrap(True)
        # mnemonics clear of the window's: Alt+R is Reports, Alt+F the File menu
        self.remove_button = QPushButton("Remo&ve case", self)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        self.pdf_button = QPushButton("Save PDF &of this case…", self)
        permit(
            self.pdf_button,
            principal,
            Action.PRINT_AUDIT,
            tip="A PDF summary of the selected case's dip sample, as you see it",
        )
        self.pdf_button.clicked.connect(self._on_pdf_clicked)
        self.finish_button = QPushButton("F&inish the session…", self)
        self.finish_button.clicked.connect(self._on_finish_clicked)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.hint = QLabel(
            "Keys: Y / N answer yes-no questions · F2 edits a cell · O, G, R, I "
            "grade the case · every change is saved as a draft at once.",
            self,
        )
        look.apply(self.hint, "help")
        add = QHBoxLayout()
        case_label = QLabel("&Case:", self)
        case_label.setBuddy(self.case)
        add.addWidget(case_label)
        add.addWidget(self.case)
        add.addWidget(self.add_problem, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.pdf_button)
        buttons.addStretch()
        buttons.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        for widget in (self.title, self.facts):
            layout.addWidget(widget)
        layout.addLayout(add)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.hint)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        for hidden in self._editing_widgets():
            hidden.setVisible(False)  # until the session is in
        self.summaries = Loader(runner, self)
        self.opening = Loader(runner, self)
        self._open()

    def _editing_widgets(self) -> tuple[QWidget, ...]:
        """What only the session's own auditor, while it is open, sees."""
        return (self.case, self.remove_button, self.finish_button, self.hint)

    def _open(self) -> None:
        """Fetch the session, its form and the case references in the background."""
        dips, forms, directory = self.services.dips, self.services.forms, self.services.directory
        session_id, principal = self.session_id, self.principal

        def fetch() -> tuple:
            session = dips.session(session_id, who=principal)
            return (
                session,
                forms.get(session.form_id, session.form_version),
                [c.reference for c in directory.cases(who=principal)],
            )

        self.opening.request(
            fetch,
            lambda found: self._on_session_arrived(*found),
            shown_in(self, "The dip sample cannot be opened"),
        )

    def _on_session_arrived(
        self, session: DipSessionDTO, form: FormDefinition, references: list[str]
    ) -> None:
        self.model = DipTableModel(form, self)
        self.model.row_edited.connect(self._on_row_edited)
        self.grid.setModel(self.model)
        self.title.setText(session.title)
        completer = QCompleter(QStringListModel(references, self), self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.case.setCompleter(completer)
        self._show(session, reload_rows=True)
        self.case.setFocus()

    # ------------------------------------------------------------------------------ showing
    def _show(self, session: DipSessionDTO, *, reload_rows: bool) -> None:
        finished = session.finished_at is not None
        self.facts.setText(
            f"By {session.auditor} · started {session.started_at:%d/%m/%Y %H:%M}"
            + (f" · {session.practice_week}" if session.practice_week else "")
            + (f" · <b>finished {session.finished_at:%d/%m/%Y %H:%M}</b>" if finished else "")
        )
        model = self.model
        if model is not None:
            if reload_rows:
                model.read_only = finished or session.auditor_username != self.principal.username
                model.set_rows([DipRow.of(r) for r in session.rows])
                self._size_columns(model)
            for widget in self._editing_widgets():
                widget.setVisible(not model.read_only)
        self.summary.setText(_summary_html(session))

    def _size_columns(self, model: DipTableModel) -> None:
        header = self.grid.horizontalHeader()
        for col in range(model.columnCount()):
            width = 90 if col == 0 else 150
            if col == model.col_grade:
                width = 110
            elif col == model.col_why:
                width = 260
            header.resizeSection(col, width)
        self.grid.verticalHeader().setDefaultSectionSize(self.grid.fontMetrics().height() * 2 + 10)

    def refresh_summary(self) -> None:
        """The session's figures again, fetched in the background."""
        dips, session_id, principal = self.services.dips, self.session_id, self.principal
        self.summaries.request(
            lambda: dips.session(session_id, who=principal),
            lambda session: self._show(session, reload_rows=False),
            shown_in(self, "The dip sample's summary cannot be shown"),
        )

    # ------------------------------------------------------------------------------ actions
    def _on_case_entered(self) -> None:
        reference = self.case.text().strip().upper()
        if not reference or self.model is None:
            return
        existing = [r.case_reference for r in self.model.rows]
        if reference in existing:
            row = existing.index(reference)
        else:
            try:
                self.services.directory.case(reference, who=self.principal)
            except AuditorError as error:
                self.add_problem.setText(str(error))
                return
            row = self.model.add_case(reference)
            self._on_row_edited(row)
        self.add_problem.setText("")
        self.case.clear()
        self.grid.setFocus()
        self.grid.setCurrentIndex(self.model.index(row, 1))

    def _on_row_edited(self, row: int) -> None:
        model = self.model
        if model is None:
            return
        model.set_status(row, "Saving…")
        reference, answers = model.rows[row].case_reference, dict(model.rows[row].answers)

        def save() -> int:
            return self.services.dips.record_case(
                self.session_id, reference, answers, by=self.principal, complete=False
            )

        def saved(audit_id: int) -> None:
            if row < len(model.rows) and model.rows[row].case_reference == reference:
                graded = model.grade_of(row) is not None
                model.set_status(
                    row, "Saved, graded" if graded else "Saved, not graded", audit_id=audit_id
                )
                self.refresh_summary()

        def failed(error: BaseException) -> None:
            if not isinstance(error, AuditorError):
                raise error
            model.set_status(row, str(error), problem=True)

        self.runner.run(save, saved, failed)

    def _on_remove_clicked(self) -> None:
        index, model = self.grid.currentIndex(), self.model
        if not index.isValid() or model is None:
            return
        row = model.rows[index.row()]
        self.runner.wait_writes()
        try:
            if row.audit_id is not None:
                self.services.dips.remove_case(self.session_id, row.audit_id, by=self.principal)
        except AuditorError as error:
            show_problem(self, error)
            return
        model.remove(index.row())
        self.refresh_summary()

    def _on_pdf_clicked(self) -> None:
        from auditor.ui.shell.activity_pdf import save_activity_pdf

        index, model = self.grid.currentIndex(), self.model
        row = model.rows[index.row()] if model is not None and index.isValid() else None
        if row is None or row.audit_id is None:
            self.summary.setText("Choose a case in the table first, then Save PDF.")
            return
        name = f"dip-{self.session_id}-{row.case_reference or row.audit_id}-summary.pdf"
        self.runner.wait_writes()  # the PDF shows what was typed
        save_activity_pdf(
            self, self.services, self.runner, row.audit_id, name, self.principal, self.summary
        )

    def _on_finish_clicked(self) -> None:
        note = self._ask_finish_note()
        if note is not None:
            self.finish(note)

    def _ask_finish_note(self) -> str | None:
        """The note for the summary; None if cancelled. Not ``getMultiLineText``: its text box
        keeps Tab for itself, so a keyboard user could not reach OK."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle("Finish the dip sample")
        dialog.setLabelText(
            "What did this dip sample find? (optional; a sentence or two for the summary)"
        )
        dialog.setOption(QInputDialog.InputDialogOption.UsePlainTextEditForTextInput)
        for box in dialog.findChildren(QPlainTextEdit):
            box.setTabChangesFocus(True)
            box.setAccessibleName("What this dip sample found")
        accepted = dialog.exec()
        note = dialog.textValue()
        dialog.deleteLater()
        return note if accepted else None

    def finish(self, note: str = "") -> bool:
        self.runner.wait_writes()  # every draft saved first
        try:
            session = self.services.dips.finish(
                self.session_id, by=self.principal, note=note, submit_drafts=True
            )
        except AuditorError as error:
            self.summary.setText(
                f"<span style='color:{look.RED}'><b>Not finished.</b> {error}</span>"
            )
            return False
        self._show(session, reload_rows=True)
        self.session_changed.emit(self.session_id)
        return True


def _summary_html(session: DipSessionDTO) -> str:
    g = session.grades
    lines = []
    graded = sum(1 for r in session.rows if r.grade is not None)
    lines.append(
        f"<b>{counted(len(session.rows), 'case')}</b>, {graded} graded so far."
        if session.finished_at is None
        else f"<b>{counted(g.total, 'case')} graded.</b>"
    )
    if g.total:
        good, poor = g.percentages
        counts = " · ".join(f"{grade.label} {g[grade]}" for grade in Grade.ordered())
        lines.append(
            f"{counts}<br>Good or better {g.good_or_better} ({good}%) · requires "
            f"improvement or inadequate {g.ri_or_inadequate} ({poor}%)"
            + (" — few cases: percentages move a lot." if g.is_small else "")
        )
    for label, yes, answered in session.yes_counts:
        if answered:
            lines.append(f"{label} <b>Yes in {yes} of {answered}</b>")
    if session.note:
        lines.append(f"<i>{session.note}</i>")
    return "<br>".join(lines)
