"""A date that is typed as dd/mm/yyyy (or 25112026, 25/11/26) or picked from a calendar.

It replaces QDateEdit's "special value" for a date that is not set: with that, typing into
"not set" gave "t set5112026", Tab never left the field and the calendar opened in 1900. Here an
empty box *is* "not set" (said by its placeholder and to a screen reader), Tab leaves it as any
text box, and Alt+Down or F4 opens a calendar on the date shown, or on today.
"""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import QDate, QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from auditor.ui.shell import look

SHOWN = "%d/%m/%Y"
NOT_SET = "Not set"
#: what may be typed at all: digits and the usual separators, at most a full dd/mm/yyyy.
TYPED = QRegularExpression(r"[0-9/.\- ]{0,10}")
_PARTS = re.compile(r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{2}|\d{4})$")


def parse_typed_date(text: str, today: dt.date | None = None) -> dt.date | None:
    """25/11/2026, 25-11-2026, 25112026, 251126 and 25/11/26 are all 25 November 2026; anything
    that is not a real day is None. Two-digit years are this century unless that is more than
    twenty years ahead (a date on a case file is not in 2060)."""
    text = text.strip()
    match = _PARTS.match(text)
    if match:
        day, month, year = match.groups()
    elif text.isdigit() and len(text) in (6, 8):
        day, month, year = text[:2], text[2:4], text[4:]
    else:
        return None
    full_year = int(year)
    if len(year) == 2:
        this_year = (today or dt.date.today()).year
        full_year += 2000 if 2000 + full_year <= this_year + 20 else 1900
    try:
        return dt.date(full_year, int(month), int(day))
    except ValueError:
        return None


def shown(day: dt.date) -> str:
    return day.strftime(SHOWN)


class DateBox(QLineEdit):
    """The text part: Alt+Down and F4 ask for the calendar, as on a QDateEdit."""

    calendar_wanted = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        alt_down = (
            event.key() == Qt.Key.Key_Down and event.modifiers() & Qt.KeyboardModifier.AltModifier
        )
        if (alt_down or event.key() == Qt.Key.Key_F4) and not self.isReadOnly():
            self.calendar_wanted.emit()
            return
        super().keyPressEvent(event)


class CalendarPopup(QWidget):
    """A calendar in a popup window; Enter or a click picks the day, Escape closes it."""

    picked = Signal(QDate)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.Popup)
        self.calendar = QCalendarWidget(self)
        self.calendar.setGridVisible(True)
        self.calendar.setAccessibleName("Choose a date")
        self.calendar.activated.connect(self._on_picked)
        self.calendar.clicked.connect(self._on_picked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.addWidget(self.calendar)

    def open_on(self, day: dt.date, below: QWidget) -> None:
        self.calendar.setSelectedDate(QDate(day.year, day.month, day.day))
        self.adjustSize()
        self.move(below.mapToGlobal(below.rect().bottomLeft()))
        self.show()
        self.calendar.setFocus()

    def _on_picked(self, day: QDate) -> None:
        self.hide()
        self.picked.emit(day)


class DateField(QWidget):
    """value() is a date or None (not set); ``date_changed`` fires when the user changes it.

    A ``required`` date (the day of an observation, the dates of a period) always has one: text
    that is not a date is said to be so while typed, and on leaving the box the date it had
    before comes back."""

    date_changed = Signal()

    def __init__(
        self,
        label: str,
        parent: QWidget | None = None,
        *,
        required: dt.date | None = None,
    ) -> None:
        super().__init__(parent)
        self.required = required is not None
        self.edit = DateBox(self)
        self.setFocusProxy(self.edit)  # a label's mnemonic, or setFocus(), lands in the text
        self.edit.setAccessibleName(label)
        self.edit.setPlaceholderText(f"{NOT_SET} — type dd/mm/yyyy")
        self.edit.setValidator(QRegularExpressionValidator(TYPED, self.edit))
        self.edit.setMaxLength(10)
        width = self.edit.fontMetrics().horizontalAdvance(self.edit.placeholderText())
        self.edit.setMinimumWidth(width + 24)
        self.edit.setMaximumWidth(width + 48)
        if self.required:
            self.edit.setPlaceholderText("type dd/mm/yyyy")
        self.button = QToolButton(self)
        self.button.setText("Calendar")
        self.button.setAccessibleName(f"{label}: open the calendar")
        self.button.setToolTip("Open the calendar (Alt+Down in the date)")
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Alt+Down does it from the keyboard
        self.popup = CalendarPopup(self)
        self.button.clicked.connect(self.open_calendar)
        self.edit.calendar_wanted.connect(self.open_calendar)
        self.popup.picked.connect(self._on_picked)
        self.edit.textEdited.connect(self._on_text_edited)
        self.edit.editingFinished.connect(self._tidy)
        self._value: dt.date | None = None
        self.problem = ""  # what is wrong with the text typed, said on the field
        self.error = ""  # what a failed submit said about this date
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit)
        row.addWidget(self.button)
        self.hint = QLabel(self)  # shown while the text typed is not a date
        look.apply(self.hint, "problem")
        self.hint.hide()
        row.addWidget(self.hint)
        row.addStretch(1)
        if required is not None:
            self.set_value(required)
        self._describe()

    def value(self) -> dt.date | None:
        return self._value

    def day(self) -> dt.date:
        """The date of a ``required`` field, which always has one."""
        if self._value is None:
            raise ValueError(f"{self.edit.accessibleName()} has no date")
        return self._value

    def set_value(self, day: dt.date | None) -> None:
        """Show ``day`` (None: not set) without firing ``date_changed``."""
        self._value = day
        self.edit.setText(shown(day) if day else "")
        self._describe()

    def set_error(self, text: str) -> None:
        self.error = text
        self._describe()

    def set_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)
        self.button.setEnabled(not read_only)

    def open_calendar(self) -> None:
        if not self.edit.isReadOnly():
            self.popup.open_on(self._value or dt.date.today(), self.edit)

    def _on_picked(self, day: QDate) -> None:
        self.edit.setFocus()
        self._set_from_user(dt.date(day.year(), day.month(), day.day()))
        self.edit.setText(shown(dt.date(day.year(), day.month(), day.day())))

    def _on_text_edited(self, text: str) -> None:
        day = parse_typed_date(text)
        if day is not None or not self.required:
            self._set_from_user(day)
        self._describe()

    def _set_from_user(self, day: dt.date | None) -> None:
        if day != self._value:
            self._value = day
            self._describe()
            self.date_changed.emit()

    def _tidy(self) -> None:
        """On leaving: a date is shown as dd/mm/yyyy; text that is no date stays, and says so."""
        if self._value is not None and (self.required or parse_typed_date(self.edit.text())):
            self.edit.setText(shown(self._value))
        self._describe()

    def _describe(self) -> None:
        text = self.edit.text().strip()
        if self.required and self._value is not None and parse_typed_date(text) != self._value:
            state = (
                f"'{text}' is not a date: type it as dd/mm/yyyy; "
                f"leaving the box keeps {shown(self._value)}"
            )
        elif self._value is not None:
            day = self._value
            state = f"{day:%A} {day.day} {day:%B %Y}"
        elif text:
            state = f"'{text}' is not a date: type it as dd/mm/yyyy, or leave it empty"
        else:
            state = f"{NOT_SET}. Type dd/mm/yyyy, or Alt+Down for a calendar"
        typed_wrong = bool(text) and parse_typed_date(text) is None
        self.problem = state if typed_wrong and (self._value is None or self.required) else ""
        self.hint.setText("Not a date: type dd/mm/yyyy" if self.problem else "")
        self.hint.setVisible(bool(self.problem))
        if self.error:
            state = f"Problem: {self.error} {state}"
        self.edit.setAccessibleDescription(state)
        self.edit.setToolTip(state)
