"""Steps the workflow tests share, each done by keyboard only: open an item from Home, get into
a part's form, answer it and submit."""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget, QWidget

from auditor.domain.forms import FieldType, FormDefinition
from auditor.domain.grades import Grade
from auditor.domain.workflow import Part
from auditor.ui.audits.audit_editor import AuditEditor
from auditor.ui.shell.main_window import MainWindow
from tests.builders import fill
from tests.ui.workflows.form_keys import fill_by_keyboard
from tests.ui.workflows.keyboard import Keyboard


def short_answers(
    form: FormDefinition,
    case_type: str | None,
    grade: Grade = Grade.GOOD,
    preset: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Every visible question answered (``tests.builders.fill``), in few words: fewer keys."""
    full = fill(form, case_type, grade=grade, preset=preset)
    answers = {f.id: full[f.id] for f in form.visible_fields(full, case_type) if f.id in full}
    for f in form.all_fields():
        value = answers.get(f.id)
        if f.type in (FieldType.TEXT, FieldType.TEXTAREA) and isinstance(value, str):
            answers[f.id] = "Seen."
        elif f.type is FieldType.GRADE and isinstance(value, dict):
            answers[f.id] = {**value, "rationale": "On file."}
    return answers


def open_from_home(kb: Keyboard, window: MainWindow, list_name: str) -> AuditEditor:
    """Tab to the Home list ``list_name`` and press Enter on its first item; the audit's tab."""
    before = set(window.editors)
    [home_list] = [w.list for w in window.home.lists.values() if w.title == list_name]
    kb.qtbot.waitUntil(
        lambda: (
            home_list.item(0) is not None
            and home_list.item(0).data(Qt.ItemDataRole.UserRole) is not None
        )
    )
    kb.tab_until(
        lambda w: isinstance(w, QListWidget) and w.accessibleName() == list_name, list_name
    )
    kb.enter()
    kb.qtbot.waitUntil(lambda: bool(set(window.editors) - before))
    [audit_id] = set(window.editors) - before
    editor = window.editors[audit_id]
    kb.qtbot.waitUntil(lambda: editor.is_loaded)
    return editor


def into(kb: Keyboard, container: QWidget, what: str) -> QWidget:
    """Tab until focus is inside ``container``."""
    return kb.tab_until(lambda w: w is container or container.isAncestorOf(w), what)


def write_part(kb: Keyboard, editor: AuditEditor, part: Part, answers: dict[str, Any]) -> None:
    """Tab into the part's form, answer it, Tab to its submit button and press Space; waits for the
    confirmation."""
    page = editor.part_editors[part]
    focus = kb.focus()
    if focus is None or not page.view.isAncestorOf(focus):
        into(kb, page.view, f"the form of the {part.value}")
    fill_by_keyboard(kb, page.view, answers, page.submit_button)
    kb.press(Qt.Key.Key_Space)
    kb.qtbot.waitUntil(
        lambda: not shiboken6.isValid(page) or page.message.isVisible(), timeout=10000
    )
    assert not shiboken6.isValid(page), f"{part.value} not submitted: {page.message.text()}"
    kb.qtbot.waitUntil(lambda: editor.is_loaded and editor.confirmation.isVisible())
