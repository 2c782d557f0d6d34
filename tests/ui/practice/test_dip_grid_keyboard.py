"""The dip grid lets Tab go: arrows move between cells, Tab and Shift+Tab leave the grid to the
buttons and the case box (before, Tab went from cell to cell and never left)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.ui.practice.test_dip_session import add_case, no_modal_boxes, open_page

__all__ = ["no_modal_boxes"]


def test_tab_leaves_the_dip_grid_and_arrows_move_inside_it(qtbot, services, org):
    page = open_page(qtbot, services, org)
    qtbot.waitExposed(page)
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    row = add_case(qtbot, page, "CF-1")
    add_case(qtbot, page, "CF-2")
    grid = page.grid
    grid.setFocus()
    grid.setCurrentIndex(page.model.index(row, 1))
    qtbot.waitUntil(grid.hasFocus)
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.currentIndex() == page.model.index(row, 2) and grid.hasFocus()
    qtbot.keyClick(grid, Qt.Key.Key_Down)
    assert grid.currentIndex().row() == row + 1

    qtbot.keyClick(grid, Qt.Key.Key_Tab)
    assert not grid.hasFocus()
    assert QApplication.focusWidget() in (page.remove_button, page.finish_button)

    grid.setFocus()
    qtbot.waitUntil(grid.hasFocus)
    qtbot.keyClick(grid, Qt.Key.Key_Tab, Qt.KeyboardModifier.ShiftModifier)
    assert not grid.hasFocus()
    assert QApplication.focusWidget() is page.case
