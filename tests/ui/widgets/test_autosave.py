"""The autosave rule: a save is due after a pause, and never later than the maximum wait after
the first unsaved change, however steadily the changes come."""

from __future__ import annotations

import itertools
import time

from PySide6.QtCore import QObject, QTimer

from auditor.ui.widgets.autosave import Autosave


def make(qtbot, quiet_ms=100, max_wait_ms=300):
    owner = QObject()
    autosave = Autosave(owner, quiet_ms=quiet_ms, max_wait_ms=max_wait_ms)
    due: list[float] = []
    autosave.due.connect(lambda: due.append(time.monotonic()))
    return owner, autosave, due


def test_a_pause_makes_a_save_due(qtbot):
    _owner, autosave, due = make(qtbot, max_wait_ms=1000)
    start = time.monotonic()
    autosave.changed()
    assert autosave.pending
    qtbot.waitUntil(lambda: bool(due), timeout=2000)
    assert len(due) == 1 and 0.09 <= due[0] - start < 0.6  # the pause, not the maximum wait
    assert not autosave.pending


def test_changes_that_never_pause_are_saved_by_the_maximum_wait(qtbot):
    _owner, autosave, due = make(qtbot)
    changes = QTimer(interval=20, timeout=autosave.changed)  # far quicker than the pause
    start = time.monotonic()
    autosave.changed()
    changes.start()
    qtbot.waitUntil(lambda: len(due) >= 3, timeout=3000)
    changes.stop()
    assert 0.29 <= due[0] - start < 0.6
    assert all(0.29 <= b - a < 0.6 for a, b in itertools.pairwise(due))  # again after each save


def test_flush_saves_at_once_only_when_something_waits(qtbot):
    _owner, autosave, due = make(qtbot)
    assert autosave.flush() is False and due == []
    autosave.changed()
    assert autosave.flush() is True and len(due) == 1
    autosave.changed()
    with qtbot.assertNotEmitted(autosave.due, wait=400):  # longer than both waits
        autosave.cancel()
