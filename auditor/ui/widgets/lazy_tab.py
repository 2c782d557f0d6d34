"""A tab whose content is built the first time it is shown (or asked for)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import partial
from weakref import WeakMethod

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

from auditor.domain.errors import AuditorError


def held_weakly(build: Callable[[], QWidget]) -> Callable[[], QWidget]:
    """``build`` without a strong reference to the object it is a method of (also inside a
    ``functools.partial``).

    A tab's builder is usually a method of the widget that holds the tab, so holding it strongly
    ties that widget into a reference cycle (widget -> child tab -> builder -> widget). A widget
    tree in a cycle is freed by Python's cyclic garbage collector instead of at once, and PySide6
    crashes doing that ("Segmentation fault … Garbage-collecting", in QWidget::window()) — at any
    later allocation, on whichever thread happens to allocate.
    """
    args: tuple[object, ...] = ()
    keywords: dict[str, object] = {}
    method: object = build
    if isinstance(build, partial):
        method, args, keywords = build.func, build.args, build.keywords
    if not inspect.ismethod(method):
        return build
    weak = WeakMethod(method)

    def call() -> QWidget:
        bound = weak()
        if bound is None:
            raise AuditorError("This tab's window has closed; open it again.")
        return bound(*args, **keywords)

    return call


class LazyTab(QWidget):
    """Holds the place of a widget that is costly to build, so that a window or an audit opens
    with only what the reader looks at. The builder is held weakly (see ``held_weakly``)."""

    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build: Callable[[], QWidget] | None = held_weakly(build)
        self.content: QWidget | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    def ensure_built(self) -> QWidget:
        if self.content is None:
            assert self._build is not None
            self.content = self._build()
            self._build = None  # built once: nothing more to hold on to
            self._layout.addWidget(self.content)
            if self.isVisible():  # shown now, not when the event loop comes round
                self.content.show()
        return self.content

    def showEvent(self, event: QShowEvent) -> None:
        self.ensure_built()
        super().showEvent(event)
