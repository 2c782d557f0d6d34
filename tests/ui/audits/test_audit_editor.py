"""A three-tier audit driven through the audit editor by three people, and the GUI's refusals."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QTabWidget

from auditor.domain.grades import Grade
from auditor.domain.workflow import AuditState, Part
from auditor.ui.audits.audit_editor import AuditEditor
from auditor.ui.audits.reconciliation import ReconciliationPanel
from auditor.ui.shell.background import SyncRunner
from auditor.ui.widgets.form_renderer import FormView
from tests.builders import Org, feedback_answers, fill, run_to, who


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    """Message boxes would block; record what they would have said instead."""
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(self.text()) or 0)
    return shown


@pytest.fixture
def open_editor(qtbot, services):
    def make(audit_id, username):
        editor = AuditEditor(services, SyncRunner(), audit_id, who(services, username))
        qtbot.addWidget(editor)
        editor.resize(1200, 800)
        editor.show()
        return editor

    return make


def _read_only_tab(editor, title):
    for tabs in editor.findChildren(QTabWidget):
        for i in range(tabs.count()):
            if tabs.tabText(i) == title:
                return tabs.widget(i).ensure_built()
    raise AssertionError(f"no tab {title!r}")


def state_of(services, audit_id):
    return services.views.detail(audit_id, who=who(services, Org.qa)).row.state


def test_three_people_complete_an_audit_in_the_gui(
    qtbot, services, org, open_editor, no_modal_boxes
):
    audit_id = services.audits.start(org.case, by=who(services, org.manager))

    # Tier 1: the worker types the self-review and submits it.
    worker = open_editor(audit_id, org.worker)
    assert list(worker.part_editors) == [Part.SELF_REVIEW]
    review = worker.part_editors[Part.SELF_REVIEW]
    qtbot.keyClicks(review.view.rows["strengths"].editor.edit, "Regular visits; trusted by Jay.")
    qtbot.keyClicks(review.view.rows["weaknesses"].editor.edit, "Chronology out of date.")
    qtbot.mouseClick(review.submit_button, Qt.MouseButton.LeftButton)
    assert state_of(services, audit_id) is AuditState.FIRST_AUDIT
    stored = (
        services.views.detail(audit_id, who=who(services, org.qa))
        .responses[Part.SELF_REVIEW]
        .answers
    )
    assert stored["strengths"] == "Regular visits; trusted by Jay."

    # Tier 2: the manager records the family's feedback and the first audit.
    manager = open_editor(audit_id, org.manager)
    assert list(manager.part_editors) == [Part.FAMILY_FEEDBACK, Part.FIRST_AUDIT]
    feedback = manager.part_editors[Part.FAMILY_FEEDBACK]
    feedback.view.set_values(feedback_answers(services))
    qtbot.mouseClick(feedback.submit_button, Qt.MouseButton.LeftButton)
    first = manager.part_editors[Part.FIRST_AUDIT]
    first.view.set_values(fill(services.forms.latest("case_file_audit"), grade=Grade.GOOD))
    qtbot.mouseClick(first.submit_button, Qt.MouseButton.LeftButton)
    assert state_of(services, audit_id) is AuditState.SECOND_AUDIT

    # Tier 3: blind — the whole first audit is hidden, and the page says so; the self-review and
    # the family's feedback are shown.
    senior = open_editor(audit_id, org.senior)
    titles = _tab_titles(senior)
    assert "First audit (by the manager) (hidden until you submit)" in titles
    assert "Self-review (by the worker)" in titles and "Family feedback" in titles
    hidden = _read_only_tab(senior, "First audit (by the manager) (hidden until you submit)")
    [note] = [w for w in hidden.findChildren(QLabel) if w.accessibleName() == "Hidden first audit"]
    assert "hidden until you submit your second audit" in note.text()
    assert hidden.findChildren(FormView) == []  # no answers, no empty rationale boxes
    review = _read_only_tab(senior, "Self-review (by the worker)")
    assert review.findChildren(FormView)
    second = senior.part_editors[Part.SECOND_AUDIT]
    answers = fill(
        services.forms.latest("case_file_audit"),
        grade=Grade.GOOD,
        grades={"planning": Grade.REQUIRES_IMPROVEMENT, "overall": Grade.REQUIRES_IMPROVEMENT},
    )
    second.view.set_values(answers)
    qtbot.mouseClick(second.submit_button, Qt.MouseButton.LeftButton)
    assert state_of(services, audit_id) is AuditState.RECONCILIATION

    # Reconciliation: both tiers side by side, a note per difference, an action, close.
    panel = senior.findChild(ReconciliationPanel)
    assert set(panel.note_edits) == {"planning", "overall"}
    no_modal_boxes.clear()
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert no_modal_boxes and "each difference needs a short note" in panel.message.text()
    for edit in panel.note_edits.values():
        qtbot.keyClicks(edit, "Agreed: the plan has no timescales.")
        edit.editingFinished.emit()
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)
    assert "follow-up action" in panel.message.text()
    qtbot.keyClicks(panel.action_text, "Rewrite the plan with dates")
    panel.action_owner.setCurrentIndex(panel.action_owner.findData(org.manager))
    qtbot.mouseClick(panel.add_action_button, Qt.MouseButton.LeftButton)
    panel = senior.findChild(ReconciliationPanel)
    qtbot.mouseClick(panel.close_button, Qt.MouseButton.LeftButton)

    detail = services.views.detail(audit_id, who=who(services, org.senior))
    assert detail.row.state is AuditState.CLOSED
    assert detail.row.final_grade is Grade.REQUIRES_IMPROVEMENT
    assert {c.domain_id: c.note for c in detail.comparisons if c.differs} == {
        "planning": "Agreed: the plan has no timescales.",
        "overall": "Agreed: the plan has no timescales.",
    }
    assert [a.description for a in detail.actions] == ["Rewrite the plan with dates"]


def _tab_titles(widget):
    from PySide6.QtWidgets import QTabWidget

    return [
        tabs.tabText(i) for tabs in widget.findChildren(QTabWidget) for i in range(tabs.count())
    ]


def test_missing_rationale_is_shown_next_to_the_question(qtbot, services, org, open_editor):
    audit_id = run_to(services, org, "first_audit")
    services.audits.submit(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services),
    )
    window = open_editor(audit_id, org.manager)
    editor = window.part_editors[Part.FIRST_AUDIT]
    answers = fill(services.forms.latest("case_file_audit"))
    answers["assessment"] = {"grade": "good", "rationale": ""}
    editor.view.set_values(answers)
    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    assert "explain why you gave this grade" in editor.view.rows["assessment"].problem.text()
    assert editor.view.rows["planning"].problem.isHidden()
    assert "1 thing to finish" in editor.message.text()
    assert state_of(services, audit_id) is AuditState.FIRST_AUDIT


def test_the_first_auditor_is_not_offered_the_second_audit(services, org, open_editor):
    audit_id = run_to(services, org, "second_audit")
    assert open_editor(audit_id, org.manager).part_editors == {}
    assert open_editor(audit_id, org.worker).part_editors == {}
    assert list(open_editor(audit_id, org.senior).part_editors) == [Part.SECOND_AUDIT]


def test_once_the_audit_arrives_nothing_says_it_is_still_opening(services, org, open_editor):
    """The "Opening the audit…" notice goes the moment the audit is shown, not when Qt gets round
    to deleting it (it used to sit over the title until the next pass of the event loop)."""
    editor = open_editor(run_to(services, org, "second_audit"), org.senior)
    still_there = [
        label
        for label in editor.findChildren(QLabel)
        if "Opening the audit" in label.text() and label.isVisible()
    ]
    assert editor.part_editors and still_there == []


def test_engine_refusal_is_shown_in_the_editor(qtbot, services, org, open_editor, no_modal_boxes):
    audit_id = run_to(services, org, "first_audit")
    window = open_editor(audit_id, org.manager)
    editor = window.part_editors[Part.FIRST_AUDIT]
    editor.view.set_values(fill(services.forms.latest("case_file_audit")))
    qtbot.mouseClick(editor.submit_button, Qt.MouseButton.LeftButton)
    assert "family or young person's feedback" in editor.message.text()
    assert any("family" in text for text in no_modal_boxes)


def test_typing_is_autosaved_as_a_draft(qtbot, services, org, open_editor):
    audit_id = run_to(services, org, "self_review")
    editor = open_editor(audit_id, org.worker)
    review = editor.part_editors[Part.SELF_REVIEW]
    review.autosave.quiet.setInterval(50)
    qtbot.keyClicks(review.view.rows["strengths"].editor.edit, "Half a thought")
    qtbot.waitUntil(lambda: editor.save_label.text().startswith("Saved"), timeout=3000)
    draft = services.views.detail(audit_id, who=who(services, org.worker)).responses[
        Part.SELF_REVIEW
    ]
    assert draft.status == "draft" and draft.answers == {"strengths": "Half a thought"}
    reopened = open_editor(audit_id, org.worker)
    assert reopened.part_editors[Part.SELF_REVIEW].view.values() == {"strengths": "Half a thought"}


def test_a_closed_audit_editor_is_freed_at_once(qtbot, services, org):
    """No reference cycle through its tabs: the cyclic garbage collector freeing a widget tree
    crashed the GUI tests one run in five (a segmentation fault while "Garbage-collecting")."""
    import gc
    import weakref

    audit_id = run_to(services, org, "second_audit")
    gc.collect()
    gc.disable()
    try:
        editor = AuditEditor(services, SyncRunner(), audit_id, who(services, org.senior))
        assert editor.part_editors  # built, with read-only tabs of the earlier parts
        gone = weakref.ref(editor)
        del editor
        assert gone() is None
    finally:
        gc.enable()


def active(qtbot, widget):
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow, timeout=2000)


def _press(qtbot, button):
    """As a keyboard user: focus the button and press Space."""
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def test_recording_feedback_confirms_shows_it_read_only_and_moves_on(
    qtbot, services, org, open_editor
):
    from PySide6.QtWidgets import QApplication

    audit_id = run_to(services, org, "first_audit")
    editor = open_editor(audit_id, org.manager)
    feedback = editor.part_editors[Part.FAMILY_FEEDBACK]
    feedback.view.set_values(feedback_answers(services))
    active(qtbot, editor)
    _press(qtbot, feedback.submit_button)
    assert (
        services.views.detail(audit_id, who=who(services, org.qa))
        .responses[Part.FAMILY_FEEDBACK]
        .submitted
    )
    focus_after_submit = QApplication.focusWidget()
    assert focus_after_submit is not None

    # a clear confirmation, in words a screen reader is sent as an alert
    assert editor.confirmation.isVisible()
    assert editor.confirmation.text().startswith("Family feedback recorded at ")
    assert not [t for t in _tab_titles(editor) if "tier" in t]  # plain words on the tabs
    assert "Drafts save" not in editor.save_label.text()
    assert "Family feedback recorded" in editor.save_label.text()
    # the feedback is shown read-only: typing in it changes nothing
    feedback = editor.part_editors[Part.FAMILY_FEEDBACK]
    assert feedback.is_done and not feedback.submit_button.isVisibleTo(feedback)
    before = feedback.view.values()
    text_box = next(r.editor.edit for r in feedback.view.rows.values() if hasattr(r.editor, "edit"))
    text_box.setFocus()
    qtbot.keyClicks(text_box, "typed after submitting")
    assert feedback.view.values() == before and not feedback.dirty
    # focus on the next thing to do: the first audit's first field, its tab shown
    first = editor.part_editors[Part.FIRST_AUDIT]
    assert editor.own_tabs.currentWidget() is first
    assert first.view.isAncestorOf(focus_after_submit)


def test_after_the_last_part_focus_goes_to_back_to_home(qtbot, services, org, open_editor):
    from PySide6.QtWidgets import QApplication

    audit_id = run_to(services, org, "first_audit")
    services.audits.submit(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services),
    )
    editor = open_editor(audit_id, org.manager)
    feedback = editor.part_editors[Part.FAMILY_FEEDBACK]
    assert feedback.is_done  # shown read-only when the editor opens, too
    first = editor.part_editors[Part.FIRST_AUDIT]
    first.view.set_values(fill(services.forms.latest("case_file_audit"), grade=Grade.GOOD))
    active(qtbot, editor)
    _press(qtbot, first.submit_button)
    assert state_of(services, audit_id) is AuditState.SECOND_AUDIT
    assert editor.confirmation.text().startswith("First audit submitted at ")
    assert "Nothing else is waiting" in editor.confirmation.text()
    assert QApplication.focusWidget() is editor.home_button
    with qtbot.waitSignal(editor.go_home, timeout=1000):
        qtbot.keyClick(editor.home_button, Qt.Key.Key_Space)


def test_submitted_feedback_can_be_changed_on_purpose(qtbot, services, org, open_editor):
    audit_id = run_to(services, org, "first_audit")
    services.audits.submit(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services),
    )
    editor = open_editor(audit_id, org.manager)
    feedback = editor.part_editors[Part.FAMILY_FEEDBACK]
    editor.own_tabs.setCurrentWidget(feedback)
    assert "you can change it until you submit the first audit" in feedback.done_note.text()
    _press(qtbot, feedback.change_button)
    assert not feedback.is_done and feedback.submit_button.isVisibleTo(feedback)
    text_box = next(r.editor.edit for r in feedback.view.rows.values() if hasattr(r.editor, "edit"))
    assert not text_box.isReadOnly()


def test_a_new_action_is_owned_by_the_workers_manager_by_default(services, org, open_editor):
    audit_id = run_to(services, org, "reconciliation", final=Grade.REQUIRES_IMPROVEMENT)
    editor = open_editor(audit_id, org.senior)
    panel = editor.findChild(ReconciliationPanel)
    assert panel.action_owner.itemData(0) == org.worker  # the first name in the alphabet
    assert panel.action_owner.currentData() == org.manager  # Amy Worker's line manager
