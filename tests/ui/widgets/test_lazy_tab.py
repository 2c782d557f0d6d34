"""Lazy tabs: built once when shown, and never tying their owner into a reference cycle.

A widget tree caught in a reference cycle is freed by Python's cyclic garbage collector, and
PySide6 crashes doing that (a segmentation fault in QWidget::window(), "Garbage-collecting",
whenever the collector happens to run: one CI run in five). Without a cycle a dropped widget is
freed at once, by its reference count, which is safe.
"""

from __future__ import annotations

import gc
import weakref
from functools import partial

import pytest
from PySide6.QtWidgets import QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from auditor.ui.widgets.lazy_tab import LazyTab


class Owner(QWidget):
    """Like the audit editor: tabs in a splitter, each built by a method of the owner."""

    def __init__(self, *, with_partial: bool) -> None:
        super().__init__()
        tabs = QTabWidget(self)
        for i in range(3):
            build = partial(self._page, i) if with_partial else self._first_page
            tabs.addTab(LazyTab(build, tabs), f"Tab {i}")
        splitter = QSplitter(self)
        splitter.addWidget(tabs)
        QVBoxLayout(self).addWidget(splitter)
        self.tabs = tabs

    def _page(self, i: int) -> QWidget:
        return QLabel(f"Page {i}")

    def _first_page(self) -> QWidget:
        return self._page(0)


@pytest.fixture
def no_collector():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


@pytest.mark.parametrize("with_partial", [True, False], ids=["partial", "method"])
def test_a_dropped_owner_is_freed_at_once_not_by_the_garbage_collector(
    qapp, no_collector, with_partial
):
    owner = Owner(with_partial=with_partial)
    owner.tabs.widget(1).ensure_built()  # one built, two not
    gone = weakref.ref(owner)
    del owner
    assert gone() is None


def test_a_tab_is_built_once_when_asked_for(qtbot):
    owner = Owner(with_partial=True)
    qtbot.addWidget(owner)
    tab = owner.tabs.widget(2)
    assert tab.content is None
    page = tab.ensure_built()
    assert page.text() == "Page 2" and tab.ensure_built() is page
