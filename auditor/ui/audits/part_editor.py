"""Writing one part of an audit: the rendered form, autosave as a draft, and submission."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from auditor.domain.errors import AuditorError, ValidationError
from auditor.domain.forms import FormDefinition
from auditor.domain.permissions import Principal
from auditor.domain.workflow import Part
from auditor.services import Services
from auditor.ui.shell import look
from auditor.ui.shell.background import Runner
from auditor.ui.shell.errors import show_problem
from auditor.ui.widgets.autosave import Autosave
from auditor.ui.widgets.form_renderer import FormView, ScrollingForm

log = logging.getLogger(__name__)

SUBMIT_LABELS = {
    Part.SELF_REVIEW: "Submit self-review",
    Part.FAMILY_FEEDBACK: "Record feedback",
    Part.FIRST_AUDIT: "Submit first audit",
    Part.SECOND_AUDIT: "Submit second audit",
    Part.RECORD: "Complete",
}
#: What a person is told, and a screen reader announces, once a part is in.
DONE_WORDS = {
    Part.SELF_REVIEW: "Self-review submitted",
    Part.FAMILY_FEEDBACK: "Family feedback recorded",
    Part.FIRST_AUDIT: "First audit submitted",
    Part.SECOND_AUDIT: "Second audit submitted",
    Part.RECORD: "Record completed",
}


def first_field(container: QWidget) -> QWidget | None:
    """The first widget inside ``container`` that Tab would stop on."""
    widget = container.nextInFocusChain()
    while widget is not None and widget is not container:
        if (
            container.isAncestorOf(widget)
            and widget.focusPolicy() & Qt.FocusPolicy.TabFocus
            and widget.isEnabled()
            and widget.isVisibleTo(container)
        ):
            return widget
        widget = widget.nextInFocusChain()
        if widget is container.nextInFocusChain():  # round the whole chain
            break
    return None


class PartEditor(QWidget):
    """Edits are saved as a draft on a background thread, in order: a second after the typist
    pauses, and at most two seconds after the first unsaved change while they type on
    (``widgets.autosave``). ``save_state`` tells the window what to show: 'saving', 'saved HH:MM:SS', or an
    error."""

    save_state = Signal(str)
    submitted = Signal(object)  # Part

    def __init__(
        self,
        services: Services,
        runner: Runner,
        audit_id: int,
        part: Part,
        principal: Principal,
        form: FormDefinition,
        case_type: str | None,
        answers: dict[str, Any],
        parent: QWidget | None = None,
        submitted_at: dt.datetime | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.audit_id, self.part, self.principal = audit_id, part, principal
        self.form, self.case_type = form, case_type
        #: a part already in (the family feedback, until the first audit) is shown read-only
        #: until its author asks to change it
        self.submitted_at = submitted_at
        self.view = self._new_view(answers, read_only=submitted_at is not None)
        self.form_scroll = ScrollingForm(self.view, self)
        self.done_note = QLabel(self)
        self.done_note.setWordWrap(True)
        look.apply(self.done_note, "help")
        self.change_button = QPushButton(f"Change {part.label.split(' (')[0].lower()}", self)
        self.change_button.clicked.connect(self._on_change_clicked)
        self.message = QLabel(self)
        look.apply(self.message, "problem")
        self.message.setWordWrap(True)
        self.message.hide()
        self.submit_button = QPushButton(SUBMIT_LABELS[part], self)
        self.submit_button.setAccessibleName(SUBMIT_LABELS[part])
        self.submit_button.clicked.connect(self._on_submit_clicked)
        bar = QHBoxLayout()
        bar.addWidget(self.message, 1)
        bar.addWidget(self.done_note, 1)
        bar.addWidget(self.change_button)
        bar.addWidget(self.submit_button)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.form_scroll, 1)
        self.layout_.addLayout(bar)
        self.autosave = Autosave(self)
        self.autosave.due.connect(self.save_now)
        self._show_submitted(submitted_at is not None)
        self.dirty = False
        self.saving = False
        self.submitting = False
        self.problem = ""  # why the last save failed, while what is typed is not saved

    def _new_view(self, answers: dict[str, Any], read_only: bool) -> FormView:
        view = FormView(self.form, self.case_type, read_only=read_only)
        view.set_values(answers)
        view.changed.connect(self._on_view_changed)  # after the values: loading is no edit
        return view

    def _show_submitted(self, done: bool) -> None:
        self.submit_button.setVisible(not done)
        self.change_button.setVisible(done)
        self.done_note.setVisible(done)
        if done and self.submitted_at is not None:
            self.done_note.setText(
                f"{DONE_WORDS[self.part]} on {self.submitted_at:%d/%m/%Y at %H:%M}. "
                "It is shown read-only"
                + (
                    "; you can change it until you submit the first audit."
                    if self.part is Part.FAMILY_FEEDBACK
                    else "."
                )
            )

    @property
    def is_done(self) -> bool:
        """Submitted and shown read-only (nothing to do here unless its author changes it)."""
        return self.change_button.isVisibleTo(self)

    def _on_change_clicked(self) -> None:
        """Make the submitted part editable again: its answers, now as drafts until resubmitted."""
        view = self._new_view(self.view.values(), read_only=False)
        scroll = ScrollingForm(view, self)
        self.layout_.replaceWidget(self.form_scroll, scroll)
        self.form_scroll.hide()
        self.form_scroll.deleteLater()
        self.view, self.form_scroll = view, scroll
        self._show_submitted(False)
        target = first_field(view)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    # ---------------------------------------------------------------------------------- autosave
    def _on_view_changed(self) -> None:
        self.dirty = True
        self.save_state.emit("unsaved")
        self.autosave.changed()

    def save_now(self) -> None:
        """Send the current answers to the database as a draft (queued behind earlier saves)."""
        self.autosave.cancel()
        if not self.dirty:
            return
        self.dirty = False
        self.saving = True
        answers = self.view.values()
        self.save_state.emit("saving")
        self.runner.run(
            lambda: self.services.audits.save_draft(
                self.audit_id, self.part, by=self.principal, answers=answers
            ),
            self._on_saved,
            self._on_save_failed,
        )

    def _on_saved(self, when: dt.datetime) -> None:
        self.saving = False
        if not self.dirty:
            self.problem = ""
            self.save_state.emit(f"saved {when:%H:%M:%S}")

    def _on_save_failed(self, error: BaseException) -> None:
        self.saving = False
        self.dirty = True  # try again with the next edit
        if isinstance(error, AuditorError):
            self.problem = str(error).splitlines()[0]
        else:
            log.error("Draft save failed", exc_info=error)
            self.problem = "an unexpected error (see the log)"
        self.save_state.emit(f"not saved: {self.problem}")

    def flush(self) -> bool:
        """Save anything pending and wait for it: before submitting and before closing. True when
        everything typed is saved; if not, ``problem`` says why.

        Queued background saves finish first (and their results are in), so an older draft can
        never overwrite a newer one and a failed save is never mistaken for a saved one.
        """
        self.autosave.cancel()
        if not self.runner.wait_writes():
            self.problem = "saving is taking too long"
            return False
        if self.dirty:
            self.dirty = False
            try:
                when = self.services.audits.save_draft(
                    self.audit_id, self.part, by=self.principal, answers=self.view.values()
                )
                self._on_saved(when)
            except AuditorError as error:
                self._on_save_failed(error)
        return not self.dirty

    # ------------------------------------------------------------------------------------ submit
    def _on_submit_clicked(self) -> None:
        """Submit in the queue of writes (after the drafts); a second click meanwhile is ignored."""
        if self.submitting:
            return
        self.flush()
        self.view.clear_problems()
        self.message.hide()
        self.submitting = True
        self.submit_button.setEnabled(False)
        audits, audit_id, part, by = self.services.audits, self.audit_id, self.part, self.principal
        answers = self.view.values()
        self.runner.run(
            lambda: audits.submit(audit_id, part, by=by, answers=answers),
            self._on_submit_done,
            self._on_submit_failed,
        )

    def _on_submit_done(self, _result: object) -> None:
        self.submitting = False
        self.submit_button.setEnabled(True)
        self.submitted.emit(self.part)

    def _on_submit_failed(self, error: BaseException) -> None:
        self.submitting = False
        self.submit_button.setEnabled(True)
        if isinstance(error, ValidationError):
            self.view.show_problems(error.field_ids, error.problems)
            count = len(error.problems)
            self.message.setText(
                f"{count} thing{'s' if count != 1 else ''} to finish before "
                "submitting — shown in red next to each question."
            )
            self.message.show()
            self.form_scroll.reveal(error.field_ids)
        elif isinstance(error, AuditorError):
            self.message.setText(str(error))
            self.message.show()
            show_problem(self, error)
        else:
            raise error
