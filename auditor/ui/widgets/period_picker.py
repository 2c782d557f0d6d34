"""Choosing a reporting period: a financial year, the last twelve months, or any two dates."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from auditor.domain.periods import FinancialYear
from auditor.ui.widgets import wheel_guard
from auditor.ui.widgets.date_field import DateField
from auditor.ui.widgets.spoken import name_for_screen_readers

CUSTOM = "custom"


def presets(today: dt.date) -> list[tuple[str, tuple[dt.date, dt.date] | None]]:
    year = FinancialYear.of(today)
    last = FinancialYear(year.start_year - 1)
    twelve = (
        today.replace(year=today.year - 1) + dt.timedelta(days=1)
        if not (today.month == 2 and today.day == 29)
        else today - dt.timedelta(days=365)
    )
    return [
        (f"This financial year ({year.label})", (year.first_day, year.last_day)),
        (f"Last financial year ({last.label})", (last.first_day, last.last_day)),
        ("The last 12 months", (twelve, today)),
        ("Other dates", None),
    ]


class PeriodPicker(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.preset = QComboBox(self)
        name_for_screen_readers(self.preset, "Period")
        today = today or dt.date.today()
        for label, span in presets(today):
            self.preset.addItem(label, span or CUSTOM)
        self.start = DateField("From", self, required=today)
        self.end = DateField("To", self, required=today)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preset, 2)
        layout.addWidget(QLabel("from", self))
        layout.addWidget(self.start, 1)
        layout.addWidget(QLabel("to", self))
        layout.addWidget(self.end, 1)
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.start.date_changed.connect(self._on_date_changed)
        self.end.date_changed.connect(self._on_date_changed)
        self._on_preset_changed(0)
        wheel_guard.guard(self)  # scrolling past it must not change the report's period
        # A label's mnemonic ("Per&iod") goes only to a buddy that takes focus: pass it on.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setFocusProxy(self.preset)

    def period(self) -> tuple[dt.date, dt.date]:
        return (self.start.day(), self.end.day())

    def set_period(self, start: dt.date, end: dt.date) -> None:
        self.preset.setCurrentIndex(self.preset.count() - 1)
        self.start.set_value(start)
        self.end.set_value(end)
        self.changed.emit()

    def _on_preset_changed(self, index: int) -> None:
        span = self.preset.itemData(index)
        custom = span == CUSTOM
        if not custom:
            for edit, value in zip((self.start, self.end), span, strict=True):
                edit.set_value(value)  # does not fire date_changed
        self.changed.emit()

    def _on_date_changed(self) -> None:
        if self.preset.itemData(self.preset.currentIndex()) != CUSTOM:
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.count() - 1)
            self.preset.blockSignals(False)
        self.changed.emit()
