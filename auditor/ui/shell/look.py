"""The app's look, set with palettes and fonts rather than a style sheet.

An application-wide Qt style sheet made every widget three times slower to create (opening an audit
took 0.31 s instead of 0.09 s), so styling is applied here, only to the widgets that need it.
Sizes are relative to the system font, so text still scales with the user's settings.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QWidget

from auditor.domain.grades import Grade

GREY = "#4a5560"
RED = "#a4161a"
GREEN = "#2d6a4f"
AMBER = "#8a5a00"
CHOSEN = "#e7f0fb"
WINDOW = "#f4f6f8"
HIGHLIGHT = "#1d4e89"
#: Text that is there but cannot be changed (disabled, "Nothing waiting"), and placeholders: still
#: at least 4.5:1 on the lightest backgrounds (Fusion's own #bebebe on #efefef was 1.6:1).
MUTED = "#5a6570"
PLACEHOLDER = "#5c6670"
#: Grade colours: white text on each is at least 4.5:1, and each is at least 4.5:1 on the window
#: and on white, so they serve as badge, text and chart colour. Four colours cannot also be 3:1
#: apart from each other, so charts add a pattern per grade (GRADE_PATTERNS) for greyscale.
GRADE_COLOURS = {
    Grade.OUTSTANDING: "#1b5e20",
    Grade.GOOD: "#2e7d32",
    Grade.REQUIRES_IMPROVEMENT: AMBER,
    Grade.INADEQUATE: RED,
}
#: Drawn in white over the grade colour: solid, rising lines, cross-hatch, level lines.
GRADE_PATTERNS = {
    Grade.OUTSTANDING: Qt.BrushStyle.NoBrush,
    Grade.GOOD: Qt.BrushStyle.BDiagPattern,
    Grade.REQUIRES_IMPROVEMENT: Qt.BrushStyle.DiagCrossPattern,
    Grade.INADEQUATE: Qt.BrushStyle.HorPattern,
}
_MUTED_ROLES = (
    QPalette.ColorRole.WindowText,
    QPalette.ColorRole.Text,
    QPalette.ColorRole.ButtonText,
)

_TEXT = {
    "help": (GREY, False),
    "subtitle": (GREY, False),
    "problem": (RED, True),
    "different": (RED, True),
    "sensitivity": (RED, True),
    "saved": (GREEN, False),
    "saving": (AMBER, False),
    "sectionTitle": (None, True),
    "pageTitle": (None, True),
}


def set_up_application(app: QApplication) -> None:
    if (
        app.style().name().lower() != "fusion"
    ):  # the same look everywhere; re-creating it costs 4 ms
        app.setStyle("Fusion")
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(WINDOW))
    palette.setColor(QPalette.ColorRole.Highlight, QColor(HIGHLIGHT))
    palette.setColor(QPalette.ColorRole.PlaceholderText, QColor(PLACEHOLDER))
    for role in _MUTED_ROLES:
        palette.setColor(QPalette.ColorGroup.Disabled, role, QColor(MUTED))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, QColor(MUTED))
    app.setPalette(palette)


def apply(widget: QWidget, role: str) -> QWidget:
    """Give a widget one of the app's roles: help, subtitle, problem, pageTitle, card, ..."""
    widget.setObjectName(role)
    if role == "card":
        if isinstance(widget, QFrame):
            widget.setFrameShape(QFrame.Shape.StyledPanel)
        widget.setAutoFillBackground(True)
        _background(widget, "#ffffff")
        return widget
    colour, bold = _TEXT[role]
    palette = widget.palette()
    palette.setColor(
        QPalette.ColorRole.WindowText,
        QColor(colour) if colour else QApplication.palette().color(QPalette.ColorRole.WindowText),
    )
    widget.setPalette(palette)
    font = widget.font()
    font.setBold(bold)
    if role == "pageTitle":
        font.setPointSizeF(QApplication.font().pointSizeF() * 1.5)
    widget.setFont(font)
    return widget


def set_chosen(frame: QFrame, chosen: bool) -> None:
    """Highlight the grade row that is chosen."""
    frame.setAutoFillBackground(chosen)
    frame.setFrameShape(QFrame.Shape.Box if chosen else QFrame.Shape.NoFrame)
    _background(frame, CHOSEN if chosen else None)


def badge(label: QLabel, grade: Grade | None) -> QLabel:
    """A coloured grade code (O / G / RI / I) with the full label for screen readers."""
    label.setObjectName("gradeBadge")
    label.setMinimumWidth(label.fontMetrics().horizontalAdvance("RI") * 3)
    label.setFixedHeight(label.fontMetrics().height() + 6)
    if grade is None:
        return label
    label.setAutoFillBackground(True)
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.Window, QColor(GRADE_COLOURS[grade]))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("white"))
    label.setPalette(palette)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


def _background(widget: QWidget, colour: str | None) -> None:
    palette = widget.palette()
    palette.setColor(
        QPalette.ColorRole.Window,
        QColor(colour) if colour else QApplication.palette().color(QPalette.ColorRole.Window),
    )
    widget.setPalette(palette)
