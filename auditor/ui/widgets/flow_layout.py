"""A layout that lays its items out in a row and wraps onto further rows when the row is full,
like words in a paragraph: a filter row or a button row that still fits on a small screen or at
a large font. After the flow layout in Qt's examples, written for this app.

An item with a stretch factor above zero (``addWidget(widget, stretch)``) is widened to share the
room left at the end of its row, so a row that does not wrap looks like a box layout's row.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget, QWidgetItem


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = -1) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._stretch: dict[int, int] = {}  # id(item) -> stretch factor
        self._spacing = spacing
        if parent is None:
            self.setContentsMargins(0, 0, 0, 0)

    # ------------------------------------------------------------------------- item list
    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def addWidget(self, widget: QWidget, stretch: int = 0) -> None:  # type: ignore[override]
        self.addChildWidget(widget)
        item = QWidgetItem(widget)
        self._stretch[id(item)] = stretch
        self.addItem(item)
        self.invalidate()

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # type: ignore[override]
        if not 0 <= index < len(self._items):
            return None
        item = self._items.pop(index)
        self._stretch.pop(id(item), None)
        return item

    # ------------------------------------------------------------------------------ sizes
    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def sizeHint(self) -> QSize:
        """One row holding everything."""
        m = self.contentsMargins()
        items = self._shown()
        width = sum(i.sizeHint().width() for i in items) + self._gap(True) * max(len(items) - 1, 0)
        height = max((i.sizeHint().height() for i in items), default=0)
        return QSize(width + m.left() + m.right(), height + m.top() + m.bottom())

    def minimumSize(self) -> QSize:
        """As narrow as the widest item; the height follows from heightForWidth."""
        size = QSize()
        for item in self._shown():
            size = size.expandedTo(item.minimumSize())
        m = self.contentsMargins()
        return size + QSize(m.left() + m.right(), m.top() + m.bottom())

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    # ---------------------------------------------------------------------------- arrange
    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _gap(self, horizontal: bool) -> int:
        """The spacing given, or the style's gap between two push buttons."""
        if self._spacing >= 0:
            return self._spacing
        widget = self.parentWidget()
        if widget is None:
            return 6
        gap = widget.style().layoutSpacing(
            QSizePolicy.ControlType.PushButton,
            QSizePolicy.ControlType.PushButton,
            Qt.Orientation.Horizontal if horizontal else Qt.Orientation.Vertical,
        )
        return gap if gap >= 0 else 6

    def _rows(self, width: int) -> list[list[QLayoutItem]]:
        rows: list[list[QLayoutItem]] = [[]]
        used = 0
        for item in self._shown():
            hint = min(item.sizeHint().width(), width)
            if rows[-1] and used + self._gap(True) + hint > width:
                rows.append([])
                used = 0
            used += (self._gap(True) if rows[-1] else 0) + max(hint, item.minimumSize().width())
            rows[-1].append(item)
        return [row for row in rows if row]

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place the items in rect (when move) and return the height they take."""
        m: QMargins = self.contentsMargins()
        area = rect.adjusted(m.left(), m.top(), -m.right(), -m.bottom())
        y = area.y()
        for number, row in enumerate(self._rows(area.width())):
            if number:
                y += self._gap(False)
            widths = self._widths(row, area.width())
            height = max(item.sizeHint().height() for item in row)
            x = area.x()
            for item, width in zip(row, widths, strict=True):
                if move:
                    item.setGeometry(QRect(QPoint(x, y), QSize(width, height)))
                x += width + self._gap(True)
            y += height
        return y - rect.y() + m.bottom()

    def _widths(self, row: list[QLayoutItem], width: int) -> list[int]:
        """Each item's width: its size hint (never below its minimum, never wider than the row),
        and what is left shared among the items that stretch."""
        widths = [
            min(max(i.sizeHint().width(), i.minimumSize().width()), max(width, 0)) for i in row
        ]
        room = width - sum(widths) - self._gap(True) * (len(row) - 1)
        stretches = [self._stretch.get(id(i), 0) if _grows(i) else 0 for i in row]
        total = sum(stretches)
        if room > 0 and total:
            widths = [w + room * f // total for w, f in zip(widths, stretches, strict=True)]
        return widths


def _grows(item: QLayoutItem) -> bool:
    widget = item.widget()
    if widget is None:
        return True
    return bool(
        widget.sizePolicy().horizontalPolicy().value & QSizePolicy.PolicyFlag.GrowFlag.value
    )
