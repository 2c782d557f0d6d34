"""A tab whose content is built the first time it is shown (or asked for)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget


class LazyTab(QWidget):
    """Holds the place of a widget that is costly to build, so that a window or an audit opens
    with only what the reader looks at."""

    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self.content: QWidget | None = None
        self.column = QVBoxLayout(self)
        self.column.setContentsMargins(0, 0, 0, 0)

    def ensure_built(self) -> QWidget:
        if self.content is None:
            self.content = self._build()
            self.column.addWidget(self.content)
            if self.isVisible():  # shown now, not when the event loop comes round
                self.content.show()
        return self.content

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        self.ensure_built()
        super().showEvent(event)
