"""Autosave keeps up with a typist who never pauses: a draft reaches the database at most about
two seconds after the first unsaved key, and keeps being saved while the typing goes on."""

from __future__ import annotations

import random
import time

import pytest
from PySide6.QtCore import QTimer

from auditor.domain.workflow import Part
from auditor.ui.audits.audit_editor import AuditEditor
from auditor.ui.shell.background import BackgroundRunner
from tests.builders import run_to, who

TEXT = "Visits are regular, Jay is seen alone and his wishes are recorded in every plan. "
#: the promise: nothing typed is unsaved for longer than this (the README's "about two seconds")
WINDOW_S = 2.5


class Typist:
    """Types ``TEXT`` into ``box`` one key every 0.1–0.3 s (seeded), never pausing; keeps the time
    each key was typed, and samples what the database holds every 50 ms."""

    def __init__(self, qtbot, box, stored, seed: int) -> None:
        self.qtbot, self.box, self.stored = qtbot, box, stored
        self.rng = random.Random(seed)
        self.typed: list[float] = []  # when key i was typed
        self.samples: list[tuple[float, str]] = []  # (when, the draft in the database)
        self.keys = QTimer(singleShot=True, timeout=self._type)
        self.sampler = QTimer(interval=50, timeout=self._sample)

    def start(self) -> None:
        self.box.setFocus()
        self.sampler.start()
        self._type()

    def stop(self) -> None:
        self.keys.stop()
        self.sampler.stop()

    def _type(self) -> None:
        self.qtbot.keyClicks(self.box, TEXT[len(self.typed) % len(TEXT)])
        self.typed.append(time.monotonic())
        self.keys.start(int(self.rng.uniform(0.1, 0.3) * 1000))

    def _sample(self) -> None:
        self.samples.append((time.monotonic(), self.stored()))

    def text(self, count: int) -> str:
        return "".join(TEXT[i % len(TEXT)] for i in range(count))


@pytest.mark.parametrize("seed", [7, 2024])
def test_a_typist_who_never_pauses_has_drafts_saved_all_along(qtbot, services, org, seed):
    audit_id = run_to(services, org, "self_review")
    runner = BackgroundRunner()
    editor = AuditEditor(services, runner, audit_id, who(services, org.worker))
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitUntil(lambda: editor.is_loaded)
    box = editor.part_editors[Part.SELF_REVIEW].view.rows["strengths"].editor.edit

    def stored() -> str:
        draft = services.views.detail(audit_id, who=who(services, org.worker)).responses.get(
            Part.SELF_REVIEW
        )
        return draft.answers.get("strengths", "") if draft else ""

    typist = Typist(qtbot, box, stored, seed)
    typist.start()
    try:
        qtbot.waitUntil(lambda: time.monotonic() - typist.typed[0] > 7.0, timeout=15_000)
    finally:
        typist.stop()
        runner.wait()
    first_key = typist.typed[0]
    first_save = next((t for t, text in typist.samples if text), None)
    assert first_save is not None, "nothing was saved in 7 s of typing"
    assert first_save - first_key <= WINDOW_S
    for when, text in typist.samples:
        due = sum(1 for t in typist.typed if t <= when - WINDOW_S)  # typed long enough ago
        assert typist.text(len(text)) == text  # what is stored is what was typed
        assert len(text) >= len(typist.text(due).rstrip()), (
            f"{when - first_key:.1f} s after the first key: {due} keys were typed more than "
            f"{WINDOW_S} s before, only {len(text)} saved"
        )
