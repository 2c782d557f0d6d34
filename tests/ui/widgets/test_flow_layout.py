"""FlowLayout: a row of controls that wraps onto more rows when the window is narrow."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton, QWidget

from auditor.ui.widgets.flow_layout import FlowLayout


def _row(qtbot, labels: list[str], stretch_first: bool = False):
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = FlowLayout(holder)
    search = QLineEdit(holder)
    layout.addWidget(search, 1 if stretch_first else 0)
    buttons = [QPushButton(text, holder) for text in labels]
    for button in buttons:
        layout.addWidget(button)
    holder.show()
    return holder, layout, [search, *buttons]


def _place(holder: QWidget, width: int) -> None:
    layout = holder.layout()
    assert layout is not None
    holder.resize(width, layout.heightForWidth(width))
    QApplication.processEvents()


def test_a_wide_row_stays_on_one_line(qtbot):
    holder, layout, widgets = _row(qtbot, ["One", "Two", "Three"])
    _place(holder, layout.sizeHint().width() + 50)
    assert len({w.y() for w in widgets}) == 1
    xs = [w.x() for w in widgets]
    assert xs == sorted(xs)


def test_a_narrow_row_wraps_and_every_control_is_inside_whole(qtbot):
    labels = [f"A filter with a long label {n}" for n in range(6)]
    holder, layout, widgets = _row(qtbot, labels)
    width = layout.sizeHint().width() // 3
    _place(holder, width)
    assert len({w.y() for w in widgets}) >= 3
    area = QRect(QPoint(0, 0), holder.size())
    for w in widgets:
        assert area.contains(w.geometry()), (w.geometry(), area)
        assert w.width() >= w.minimumSizeHint().width()
    boxes = [w.geometry() for w in widgets]
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
    assert layout.heightForWidth(width) > layout.heightForWidth(layout.sizeHint().width())


def test_the_minimum_width_is_the_widest_control_not_the_whole_row(qtbot):
    _holder, layout, widgets = _row(qtbot, ["x" * 40, "y" * 10, "z" * 10])
    widest = max(w.minimumSizeHint().width() for w in widgets)
    margins = layout.contentsMargins()
    assert layout.minimumSize().width() == widest + margins.left() + margins.right()
    assert layout.minimumSize().width() < layout.sizeHint().width()


def test_a_stretching_control_takes_the_room_left_on_its_row(qtbot):
    holder, layout, widgets = _row(qtbot, ["One", "Two"], stretch_first=True)
    _place(holder, layout.sizeHint().width() + 200)
    search, *_ = widgets
    assert search.width() >= search.sizeHint().width() + 150
    last = widgets[-1]
    right = holder.width() - layout.contentsMargins().right()
    assert abs(last.geometry().right() + 1 - right) <= 2


def test_hidden_controls_take_no_room(qtbot):
    _holder, layout, widgets = _row(qtbot, ["One", "Two", "Three"])
    before = layout.sizeHint().width()
    widgets[2].hide()
    assert layout.sizeHint().width() < before
    taken = layout.takeAt(0)
    assert taken is not None and taken.widget() is widgets[0] and layout.count() == 3
    assert layout.takeAt(7) is None and layout.itemAt(7) is None
