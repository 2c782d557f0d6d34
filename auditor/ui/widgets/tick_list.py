"""A list whose items are ticked (Space ticks the one under the cursor): teams in scope, case
types to sample, a person's roles. Each item carries its value; ``ticked`` gives the values back."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QWidget


def tick_list(
    parent: QWidget, name: str, items: Sequence[tuple[str, object]], *, most_rows: int = 8
) -> QListWidget:
    """Nothing ticked at first; never taller than ``most_rows`` rows (it scrolls beyond)."""
    box = QListWidget(parent)
    box.setAccessibleName(name)
    for label, value in items:
        item = QListWidgetItem(label, box)
        item.setData(Qt.ItemDataRole.UserRole, value)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
    box.setMaximumHeight(row_height(box) * most_rows + 2 * box.frameWidth())
    return box


def row_height(box: QListWidget) -> int:
    return box.sizeHintForRow(0) if box.count() else box.fontMetrics().height() + 4


def ticked(box: QListWidget) -> list:
    """The values of the ticked items, in the list's order."""
    return [
        box.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(box.count())
        if box.item(i).checkState() is Qt.CheckState.Checked
    ]


def untick_all(box: QListWidget) -> None:
    for i in range(box.count()):
        box.item(i).setCheckState(Qt.CheckState.Unchecked)
