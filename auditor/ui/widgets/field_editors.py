"""One small editor widget per field type, all with the same face: value(), set_value(), changed.

The form renderer looks editors up by field type in its registry, so adding a field type means adding
one class and one registry entry — nothing else changes.
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from itertools import pairwise
from typing import Any, cast

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.forms import PEOPLE_CATEGORIES, Field
from auditor.ui.widgets import wheel_guard
from auditor.ui.widgets.date_field import DateField


class FieldEditor(QWidget):
    """Base of all editors. ``changed`` fires once for every edit the user makes."""

    changed = Signal()

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.setAccessibleName(field.label)
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        self.setEnabled(not read_only)

    def focus_target(self) -> QWidget:
        return self

    def input_widgets(self) -> list[QWidget]:
        """What a screen reader lands on to answer: each carries the question's problem."""
        return [self.focus_target()]

    def set_problem(self, text: str) -> None:
        """Tie the problem to the inputs (their accessible description starts with it), so a
        screen reader says it on arriving there; '' takes it away again."""
        saved = self.__dict__.setdefault("_plain_descriptions", {})
        for widget in self.input_widgets():
            plain = saved.setdefault(widget, widget.accessibleDescription())
            widget.setAccessibleDescription(f"Problem: {text} {plain}".strip() if text else plain)


class TextEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QLineEdit(self)
        self.edit.setAccessibleName(field.label)
        self.edit.setPlaceholderText(field.placeholder)
        self.edit.textEdited.connect(self.changed)
        self.column.addWidget(self.edit)

    def value(self) -> str:
        return self.edit.text().strip()

    def set_value(self, value: Any) -> None:
        self.edit.setText("" if value is None else str(value))

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def focus_target(self) -> QWidget:
        return self.edit


class TextAreaEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit = QPlainTextEdit(self)
        self.edit.setAccessibleName(field.label)
        self.edit.setPlaceholderText(field.placeholder)
        self.edit.setTabChangesFocus(True)
        line = self.edit.fontMetrics().lineSpacing()
        self.edit.setMinimumHeight(line * 4 + 12)
        self.edit.setMaximumHeight(line * 9 + 12)
        self.edit.textChanged.connect(self._on_text_changed)
        self._loading = False
        self.column.addWidget(self.edit)

    def _on_text_changed(self) -> None:
        if not self._loading:
            self.changed.emit()

    def value(self) -> str:
        return self.edit.toPlainText().rstrip()

    def set_value(self, value: Any) -> None:
        self._loading = True
        self.edit.setPlainText("" if value is None else str(value))
        self._loading = False

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def focus_target(self) -> QWidget:
        return self.edit


class ChoiceEditor(FieldEditor):
    """A drop-down; the first entry means 'not answered'. Yes/no fields use it too."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.combo = QComboBox(self)
        self.combo.setAccessibleName(field.label)
        self.combo.addItem("— choose —", None)
        options = (
            [(c.value, c.label) for c in field.choices]
            if field.choices
            else [("yes", "Yes"), ("no", "No")]
        )
        for value, label in options:
            self.combo.addItem(label, value)
        self.combo.activated.connect(lambda _i: self.changed.emit())
        self.column.addWidget(self.combo, alignment=Qt.AlignmentFlag.AlignLeft)

    def value(self) -> str | None:
        return self.combo.currentData()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(value)
        self.combo.setCurrentIndex(max(index, 0))

    def focus_target(self) -> QWidget:
        return self.combo


class MultiChoiceEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.boxes: dict[str, QCheckBox] = {}
        for choice in field.choices:
            box = QCheckBox(choice.label, self)
            box.setAccessibleName(f"{field.label}: {choice.label}")
            box.toggled.connect(lambda _on: self.changed.emit())
            self.boxes[choice.value] = box
            self.column.addWidget(box)

    def value(self) -> list[str]:
        return [v for v, box in self.boxes.items() if box.isChecked()]

    def set_value(self, value: Any) -> None:
        chosen = set(value or [])
        for v, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(v in chosen)
            box.blockSignals(False)

    def focus_target(self) -> QWidget:
        return next(iter(self.boxes.values()), self)

    def input_widgets(self) -> list[QWidget]:
        return list(self.boxes.values()) or [self]


class DateEditor(FieldEditor):
    """A date typed as dd/mm/yyyy or picked from a calendar; empty is 'not set'."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.date = DateField(field.label, self)
        self.edit = self.date.edit
        self.date.date_changed.connect(self.changed)
        self.column.addWidget(self.date)

    def value(self) -> str | None:
        day = self.date.value()
        return None if day is None else day.isoformat()

    def set_value(self, value: Any) -> None:
        self.date.set_value(dt.date.fromisoformat(str(value)) if value else None)

    def set_read_only(self, read_only: bool) -> None:
        self.date.set_read_only(read_only)

    def set_problem(self, text: str) -> None:
        self.date.set_error(text)

    def focus_target(self) -> QWidget:
        return self.edit


class NumberBox(QSpinBox):
    """A digit typed over "not set" replaces it (it was refused: "not set1" is no number, so a
    number typed after a click into the box was lost)."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.value() == self.minimum() and event.text().isdigit():
            self.lineEdit().selectAll()
        super().keyPressEvent(event)


class NumberEditor(FieldEditor):
    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.spin = NumberBox(self)
        self.spin.setAccessibleName(field.label)
        self.spin.setRange(-1, 9999)
        self.spin.setSpecialValueText("not set")
        self.spin.setValue(-1)
        self.spin.valueChanged.connect(lambda _v: self.changed.emit())
        self.column.addWidget(self.spin, alignment=Qt.AlignmentFlag.AlignLeft)

    def value(self) -> int | None:
        return None if self.spin.value() < 0 else self.spin.value()

    def set_value(self, value: Any) -> None:
        self.spin.blockSignals(True)
        self.spin.setValue(-1 if value is None else int(value))
        self.spin.blockSignals(False)

    def focus_target(self) -> QWidget:
        return self.spin


class LiveCellDelegate(QStyledItemDelegate):
    """A cell's text reaches the table as it is typed, not only when the cell is left: otherwise
    what someone said, typed into one cell, is not in the form's values and autosave never sees
    it until the typist moves on."""

    def createEditor(self, parent, option, index):
        editor = super().createEditor(parent, option, index)
        if isinstance(editor, QLineEdit):
            editor.textEdited.connect(partial(self._on_cell_edited, editor))
        return editor

    def _on_cell_edited(self, editor: QLineEdit, _text: str) -> None:
        self.commitData.emit(editor)

    def setEditorData(self, editor, index):
        """The view hands a changed cell back to its open editor; when that change came from the
        editor itself, leave it be (setText would move the cursor to the end and clear undo)."""
        if isinstance(editor, QLineEdit) and editor.text() == (index.data() or ""):
            return
        super().setEditorData(editor, index)


class PeopleEditor(FieldEditor):
    """Who was present and what each said: a row per person."""

    COLUMNS = ("Who (role or relationship, not a name)", "Category", "What they said")

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.table = QTableWidget(0, 3, self)
        self.table.setAccessibleName(field.label)
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(True)
        self.table.setMinimumHeight(140)
        # Arrows move between cells; Tab and Shift+Tab leave the table (Qt's convention for item
        # views) — with Tab moving between cells, nothing after the table could be reached.
        self.table.setTabKeyNavigation(False)
        # Typing starts editing the cell, as in a spreadsheet: quick to fill in after a visit.
        triggers = QAbstractItemView.EditTrigger
        self.edit_triggers = (
            triggers.DoubleClicked | triggers.EditKeyPressed | triggers.AnyKeyPressed
        )
        self.table.setEditTriggers(self.edit_triggers)
        self.table.setItemDelegate(LiveCellDelegate(self.table))
        self.table.itemChanged.connect(lambda _i: self.changed.emit())
        buttons = QHBoxLayout()
        self.add_button = QPushButton("Add person", self)
        self.remove_button = QPushButton("Remove selected", self)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch()
        self.column.addWidget(self.table)
        self.column.addLayout(buttons)

    def _add_row(self, who: str = "", category: str = "other", said: str = "") -> QTableWidgetItem:
        """A row at the end; returns its 'who' cell."""
        row = self.table.rowCount()
        self.table.blockSignals(True)
        self.table.insertRow(row)
        who_item = QTableWidgetItem(who)
        self.table.setItem(row, 0, who_item)
        combo = QComboBox(self.table)
        combo.setAccessibleName(f"Category of person {row + 1}")
        for value, label in PEOPLE_CATEGORIES.items():
            combo.addItem(label, value)
        combo.setCurrentIndex(max(combo.findData(category), 0))
        combo.activated.connect(lambda _i: self.changed.emit())
        wheel_guard.guard(combo)
        self.table.setCellWidget(row, 1, combo)
        self.table.setItem(row, 2, QTableWidgetItem(said))
        self.table.blockSignals(False)
        self._chain_tabs()
        return who_item

    def _chain_tabs(self) -> None:
        """Tab goes table, each row's category, Add person: a combo placed in a cell would
        otherwise come last in the window's Tab order, after Complete."""
        chain = [self.table, *(self._category(r) for r in range(self.table.rowCount()))]
        chain += [self.add_button, self.remove_button]
        for before, after in pairwise(chain):
            QWidget.setTabOrder(before, after)

    def _on_add_clicked(self) -> None:
        who = self._add_row()
        self.table.setCurrentCell(self.table.rowCount() - 1, 0)
        self.table.editItem(who)
        self.changed.emit()

    def _on_remove_clicked(self) -> None:
        rows = sorted({i.row() for i in self.table.selectedIndexes()}, reverse=True)
        for row in rows:
            self.table.removeRow(row)
        self._chain_tabs()
        if rows:
            self.changed.emit()

    def _text(self, row: int, column: int) -> str:
        item = self.table.item(row, column)
        return item.text().strip() if item is not None else ""

    def _category(self, row: int) -> QComboBox:
        """The category chooser; _add_row gives every row one."""
        return cast(QComboBox, self.table.cellWidget(row, 1))

    def value(self) -> list[dict[str, str]]:
        out = []
        for row in range(self.table.rowCount()):
            who, said = self._text(row, 0), self._text(row, 2)
            if who or said:
                out.append(
                    {"who": who, "category": self._category(row).currentData(), "said": said}
                )
        return out

    def set_value(self, value: Any) -> None:
        self.table.setRowCount(0)
        for person in value or []:
            self._add_row(
                person.get("who", ""), person.get("category", "other"), person.get("said", "")
            )

    def set_read_only(self, read_only: bool) -> None:
        self.add_button.setVisible(not read_only)
        self.remove_button.setVisible(not read_only)
        # Not AllEditTriggers: with CurrentChanged among them, Tab into the table opened a cell
        # editor at once, and the walk through the form went round inside the table.
        self.table.setEditTriggers(
            QTableWidget.EditTrigger.NoEditTriggers if read_only else self.edit_triggers
        )
        for row in range(self.table.rowCount()):
            self._category(row).setEnabled(not read_only)

    def focus_target(self) -> QWidget:
        return self.table
