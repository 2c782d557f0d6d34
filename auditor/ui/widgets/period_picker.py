"""Choosing a reporting period: a financial year, the last twelve months, or any two dates."""

from __future__ import annotations

import datetime as dt
from typing import cast

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QWidget

from auditor.domain.periods import FinancialYear
from auditor.ui.widgets import wheel_guard

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


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _date_edit(name: str, parent: QWidget) -> QDateEdit:
    edit = QDateEdit(parent)
    edit.setAccessibleName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("dd/MM/yyyy")
    return edit


class PeriodPicker(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None, today: dt.date | None = None) -> None:
        super().__init__(parent)
        self.preset = QComboBox(self)
        self.preset.setAccessibleName("Period")
        for label, span in presets(today or dt.date.today()):
            self.preset.addItem(label, span or CUSTOM)
        self.start = _date_edit("From", self)
        self.end = _date_edit("To", self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.preset, 2)
        layout.addWidget(QLabel("from", self))
        layout.addWidget(self.start, 1)
        layout.addWidget(QLabel("to", self))
        layout.addWidget(self.end, 1)
        self.preset.currentIndexChanged.connect(self._on_preset_changed)
        self.start.dateChanged.connect(self._on_date_changed)
        self.end.dateChanged.connect(self._on_date_changed)
        self._on_preset_changed(0)
        wheel_guard.guard(self)  # scrolling past it must not change the report's period

    def period(self) -> tuple[dt.date, dt.date]:
        return (
            cast(dt.date, self.start.date().toPython()),
            cast(dt.date, self.end.date().toPython()),
        )

    def set_period(self, start: dt.date, end: dt.date) -> None:
        self.preset.setCurrentIndex(self.preset.count() - 1)
        self.start.setDate(_qdate(start))
        self.end.setDate(_qdate(end))

    def _on_preset_changed(self, index: int) -> None:
        span = self.preset.itemData(index)
        custom = span == CUSTOM
        if not custom:
            for edit, value in zip((self.start, self.end), span, strict=True):
                edit.blockSignals(True)
                edit.setDate(_qdate(value))
                edit.blockSignals(False)
        self.changed.emit()

    def _on_date_changed(self, _date: QDate) -> None:
        if self.preset.itemData(self.preset.currentIndex()) != CUSTOM:
            self.preset.blockSignals(True)
            self.preset.setCurrentIndex(self.preset.count() - 1)
            self.preset.blockSignals(False)
        self.changed.emit()
