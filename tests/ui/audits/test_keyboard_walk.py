"""Every form can be walked end to end by Tab: from its first field, forward Tab reaches the part's
submit button (no date field, table or grade holds focus), and Shift+Tab walks back out."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QTabWidget, QWidget

from auditor.domain.workflow import Part
from auditor.ui.audits.audit_editor import AuditEditor
from auditor.ui.shell.background import SyncRunner
from tests.builders import run_to, who
from tests.ui.audits.test_observation import start_observation

MAX_STOPS = 400


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)


def tab_until(qtbot, start: QWidget, target: QWidget, key=Qt.Key.Key_Tab) -> list[QWidget]:
    """Press Tab (or Shift+Tab) on whatever has focus until ``target`` has it; the focus stops."""
    start.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    modifier = (
        Qt.KeyboardModifier.ShiftModifier
        if key == Qt.Key.Key_Backtab
        else Qt.KeyboardModifier.NoModifier
    )
    stops: list[QWidget] = []
    while QApplication.focusWidget() is not target:
        assert len(stops) < MAX_STOPS, f"Tab stayed in {_name(stops[-1])} and around"
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab, modifier)
        stops.append(QApplication.focusWidget())
    return stops


def _name(widget: QWidget) -> str:
    return f"{type(widget).__name__} {widget.accessibleName()!r}"


def _open(qtbot, services, audit_id, username) -> AuditEditor:
    editor = AuditEditor(services, SyncRunner(), audit_id, who(services, username))
    qtbot.addWidget(editor)
    editor.resize(1300, 900)
    editor.show()
    qtbot.waitExposed(editor)
    editor.activateWindow()
    return editor


def test_the_observation_form_is_walked_by_tab_past_who_was_present_to_complete(
    qtbot, services, org
):
    audit_id = start_observation(qtbot, services, org)
    editor = _open(qtbot, services, audit_id, org.senior)
    record = editor.part_editors[Part.RECORD]
    people = record.view.rows["people_present"].editor
    people.set_value([{"who": "Mother", "category": "parent_carer", "said": "Calmer now"}])
    first = next(iter(record.view.rows.values())).editor.focus_target()
    stops = tab_until(qtbot, first, record.submit_button)
    assert people.table in stops  # it is a stop on the way, not a trap
    category = people.table.cellWidget(0, 1)
    assert stops.index(category) == stops.index(people.table) + 1  # then the person's category
    assert len(set(stops)) == len(stops), "Tab went round before reaching Complete"
    assert record.view.rows["overall"].editor.rationale in stops
    back = tab_until(qtbot, record.submit_button, first, Qt.Key.Key_Backtab)
    assert people.table in back
    print(f"observation: {len(stops)} Tab stops to Complete, {len(back)} back")


def test_the_case_file_audit_form_is_walked_by_tab_past_empty_dates_to_submit(qtbot, services, org):
    audit_id = run_to(services, org, "first_audit")
    editor = _open(qtbot, services, audit_id, org.manager)
    part = editor.part_editors[Part.FIRST_AUDIT]
    [tabs] = [t for t in editor.findChildren(QTabWidget) if t.indexOf(part) >= 0]
    tabs.setCurrentWidget(part)
    rows = part.view.rows
    dates = [r for r in rows.values() if r.field.type.value == "date" and not r.isHidden()]
    assert dates and all(r.editor.value() is None for r in dates)  # "not set" ones on the way
    first = next(r for r in rows.values() if not r.isHidden()).editor.focus_target()
    stops = tab_until(qtbot, first, part.submit_button)
    assert all(r.editor.focus_target() in stops for r in dates)
    assert len(set(stops)) == len(stops), "Tab went round before reaching Submit"
    print(f"case-file audit: {len(stops)} Tab stops to Submit")


@pytest.mark.parametrize(
    ("stage", "who", "part"),
    [
        ("self_review", "worker", Part.SELF_REVIEW),
        ("first_audit", "manager", Part.FAMILY_FEEDBACK),
    ],
)
def test_the_self_review_and_family_feedback_forms_are_walked_by_tab(
    qtbot, services, org, stage, who, part
):
    audit_id = run_to(services, org, stage)
    editor = _open(qtbot, services, audit_id, getattr(org, who))
    page = editor.part_editors[part]
    [tabs] = [t for t in editor.findChildren(QTabWidget) if t.indexOf(page) >= 0]
    tabs.setCurrentWidget(page)
    first = next(r for r in page.view.rows.values() if not r.isHidden()).editor.focus_target()
    if part is Part.FAMILY_FEEDBACK:  # the family was reached: the questions about it appear
        outcome = page.view.rows["contact_outcome"].editor.combo
        outcome.setFocus()
        qtbot.waitUntil(outcome.hasFocus)
        while outcome.currentData() != "feedback_given":
            qtbot.keyClick(outcome, Qt.Key.Key_Down)
        assert page.view.rows["contact_outcome"].field.id in page.view.values()
    stops = tab_until(qtbot, first, page.submit_button)
    assert len(set(stops)) == len(stops)
    print(f"{part.value}: {len(stops)} Tab stops to submit")
