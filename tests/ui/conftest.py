"""Fixtures for the GUI tests."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QFileDialog

from auditor.ui.shell import file_dialogs


class FileDialogAnswers:
    """Answers the app's file dialogs (built by ``file_dialogs``) without showing them; keeps the
    dialogs it was shown so a test can look at them."""

    def __init__(self) -> None:
        self.path: Path | str = ""
        self.seen: list[tuple[str, str]] = []  # (caption, folder it opened in)

    def __call__(self, dialog: QFileDialog) -> str:
        assert dialog.testOption(QFileDialog.Option.DontUseNativeDialog)
        assert isinstance(dialog.iconProvider(), file_dialogs.NameOnlyIconProvider)
        self.seen.append((dialog.windowTitle(), dialog.directory().absolutePath()))
        return str(self.path)


@pytest.fixture
def file_dialog(monkeypatch: pytest.MonkeyPatch) -> FileDialogAnswers:
    """``file_dialog.path = …`` answers the next dialog with that path ('' cancels)."""
    answers = FileDialogAnswers()
    monkeypatch.setattr(file_dialogs, "run_dialog", answers)
    return answers


@pytest.fixture(autouse=True)
def collect_after_gui_test(qapp):
    """After each GUI test: run Qt's pending deletions and the garbage collector at once. An
    object whose lifetime is wrong (a QObject finalised by the collector on a worker thread, a
    relay deleted while a worker still emits to it) then crashes this test, every time, instead
    of one CI run in five at some later, unrelated point."""
    yield
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    gc.collect()
