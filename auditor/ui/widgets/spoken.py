"""Names a screen reader says for inputs that have no visible label of their own.

On Linux (AT-SPI) Qt reports a drop-down's current value as its name and does not use
setAccessibleName: Orca says "Any stage" or "— choose —", not "Stage". It names the box by the
label tied to it instead, a QLabel whose buddy it is and which has the same parent. Where the screen
shows no label (a filter row whose boxes say what they filter), that label is kept hidden: it is
still heard. The accessible name is set too, for Windows and macOS, which read it.
"""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget


def name_for_screen_readers(widget: QWidget, name: str) -> QLabel:
    """Give ``widget`` the spoken ``name`` on every platform; returns the (hidden) label."""
    widget.setAccessibleName(name)
    parent = widget.parentWidget()
    label = QLabel(name, parent)
    label.setBuddy(widget)
    label.hide()
    return label
