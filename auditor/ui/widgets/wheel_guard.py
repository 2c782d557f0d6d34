"""The mouse wheel scrolls the form; it changes an answer only in the widget that has focus.

Scrolling a long form over a choice, date or number box used to change its value and autosave it
("Parent or carer" became "Other"). One event filter, installed on every value widget of a form by
the renderer: a wheel over a widget without focus goes to the scroll area around it instead.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QWidget,
)

#: the widgets whose value a wheel turn changes.
GUARDED = (QComboBox, QAbstractSpinBox)


class WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget):
            return False
        if watched.hasFocus():
            return False
        scroller = _scroll_area_around(watched)
        if scroller is not None:
            QApplication.sendEvent(scroller.verticalScrollBar(), event)
        return True


def guard(root: QWidget) -> None:
    """Guard ``root`` and every value widget in it, now; a widget added later needs its own call."""
    the_guard = WheelGuard(root)
    widgets: list[QWidget] = [root] if isinstance(root, GUARDED) else []
    widgets += [w for kind in GUARDED for w in root.findChildren(kind)]
    for widget in widgets:
        # Not WheelFocus: a wheel turn must not give the widget focus (and so the next turn).
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        widget.installEventFilter(the_guard)


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea) and parent.verticalScrollBar().isVisible():
            return parent
        parent = parent.parentWidget()
    return None
