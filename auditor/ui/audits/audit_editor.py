"""One audit as the current user sees it: what they may write, what they may read, and — after the
second audit — the differences, actions and closing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleEvent, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.activities import ActivityKind
from auditor.domain.errors import AuditorError
from auditor.domain.forms import FormDefinition
from auditor.domain.permissions import Action, Principal
from auditor.domain.workflow import AuditState, Part
from auditor.services import Services
from auditor.services.dto import AuditDetail, ResponseDTO
from auditor.ui.audits.part_editor import DONE_WORDS, PartEditor, first_field
from auditor.ui.audits.reconciliation import ReconciliationPanel, grade_badge
from auditor.ui.shell import look
from auditor.ui.shell.background import Loader, Runner
from auditor.ui.shell.errors import show_problem
from auditor.ui.widgets.form_renderer import FormView, ScrollingForm
from auditor.ui.widgets.lazy_tab import LazyTab
from auditor.ui.widgets.permitted import permit

SENSITIVITY = "OFFICIAL-SENSITIVE"
#: On screen, who writes each part in plain words; the model's tier number is in the tooltip.
PLAIN_TITLES = {
    Part.SELF_REVIEW: "Self-review (by the worker)",
    Part.FAMILY_FEEDBACK: "Family feedback",
    Part.FIRST_AUDIT: "First audit (by the manager)",
    Part.SECOND_AUDIT: "Second audit (by a senior manager)",
    Part.RECORD: "Record",
}


def plain_title(part: Part) -> str:
    return PLAIN_TITLES[part]


def tier_tip(part: Part) -> str:
    return f"{part.label}: part {part.tier} of the three-tier audit" if part.tier else part.label


@dataclass(frozen=True)
class EditorData:
    """Everything the editor needs from the services to build itself, fetched in one go."""

    detail: AuditDetail
    writable: list[Part]
    forms: dict[Part, FormDefinition]
    may_reconcile: bool

    @classmethod
    def fetch(cls, services: Services, audit_id: int, principal: Principal) -> EditorData:
        """Off the GUI thread: only service calls."""
        audits = services.audits
        writable = audits.writable_parts(audit_id, principal)
        return cls(
            services.views.detail(audit_id, who=principal),
            writable,
            {part: audits.part_form(audit_id, part, who=principal) for part in writable},
            audits.may_reconcile(audit_id, principal),
        )


class AuditEditor(QWidget):
    """Opens at once with "Opening the audit…"; the audit is fetched in the background and the
    editor built when it arrives (``loaded``), or ``open_failed`` says it could not be opened."""

    audit_changed = Signal(int)
    loaded = Signal(int)
    open_failed = Signal(int)
    go_home = Signal()

    def __init__(
        self,
        services: Services,
        runner: Runner,
        audit_id: int,
        principal: Principal,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.audit_id, self.principal = audit_id, principal
        self.part_editors: dict[Part, PartEditor] = {}
        self.detail: AuditDetail | None = None
        self.layout_ = QVBoxLayout(self)
        self.body: QWidget | None = None
        self.opening: QLabel | None = QLabel("<p align='center'>Opening the audit…</p>", self)
        look.apply(self.opening, "subtitle")
        self.layout_.addWidget(self.opening)
        self.loader = Loader(runner, self)
        self.just_done: tuple[Part, dt.datetime] | None = None  # the part submitted last
        self.focus_pending = False
        self.reload()

    @property
    def is_loaded(self) -> bool:
        return self.detail is not None and not self.loader.loading

    # ------------------------------------------------------------------------------------- build
    def reload(self) -> None:
        """Save what is pending, fetch the audit again and rebuild when it arrives."""
        self.flush()
        services, audit_id, principal = self.services, self.audit_id, self.principal
        self.loader.request(
            lambda: EditorData.fetch(services, audit_id, principal),
            self._on_data_arrived,
            self._on_open_failed,
        )

    def _on_data_arrived(self, data: EditorData) -> None:
        self.flush()  # anything typed while it was on its way
        #: the first arrival: the person has just opened it (focused now, or once it is shown)
        self.focus_pending = self.opening is not None
        if self.body is not None:
            self.layout_.removeWidget(self.body)
            self.body.hide()
            self.body.deleteLater()
        if self.opening is not None:
            self.layout_.removeWidget(self.opening)
            self.opening.hide()  # gone now, not when the event loop comes round to deleting it
            self.opening.deleteLater()
            self.opening = None
        self.part_editors = {}
        self.detail = data.detail
        self.body = self._build(data)
        self.layout_.addWidget(self.body)
        self.body.show()  # now, not on the next turn of the event loop: focus goes into it
        if self.just_done is not None:
            self._confirm(*self.just_done)
            self.just_done = None
        if self.focus_pending and self.isVisible():
            self._focus_first_work()
        self.loaded.emit(self.audit_id)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.focus_pending:
            self._focus_first_work()

    def _on_open_failed(self, error: BaseException) -> None:
        if not isinstance(error, AuditorError):
            raise error
        if self.opening is not None:
            self.opening.setText(f"<p align='center'>This audit cannot be opened: {error}</p>")
        show_problem(self, error, "The audit cannot be opened")
        self.open_failed.emit(self.audit_id)

    def _build(self, data: EditorData) -> QWidget:
        d = data.detail
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._header(d, body))
        writable = data.writable
        layout.addLayout(self._confirmation_row(body))
        own = self.own_tabs = QTabWidget(body)
        own.setAccessibleName("Your part of this audit")
        for part in writable:
            editor = self._part_editor(part, d, data.forms[part])
            title = plain_title(part)
            own.setTabToolTip(
                own.addTab(editor, f"Your {title[0].lower()}{title[1:]}"), tier_tip(part)
            )
        context = QTabWidget(body)
        context.setAccessibleName("What others have written")
        if d.comparisons and d.row.state in (AuditState.RECONCILIATION, AuditState.CLOSED):
            panel = ReconciliationPanel(self.services, d, self.principal, data.may_reconcile, body)
            panel.changed.connect(self._on_something_changed)
            (own if data.may_reconcile else context).addTab(panel, "Differences and actions")
        for part, response in d.responses.items():
            if part not in writable:
                index = context.addTab(
                    LazyTab(partial(self._read_only, response, d), context),
                    self._read_only_title(response),
                )
                context.setTabToolTip(index, tier_tip(part))
        if not d.row.kind.is_three_tier or d.row.state in (
            AuditState.RECONCILIATION,
            AuditState.CLOSED,
        ):
            from auditor.ui.audits.findings_panel import FindingsPanel

            findings = FindingsPanel(self.services, self.audit_id, self.principal, body)
            context.insertTab(0 if writable else context.count(), findings, "Findings")
        if self.principal.may(Action.READ_ACCESS_LOG):  # QA and administrators: who has looked
            from auditor.ui.admin.who_looked import WhoLookedPanel

            looked = WhoLookedPanel(
                self.services, self.principal, self.audit_id, context, runner=self.runner
            )
            context.addTab(looked, "Who looked at this")
        splitter = QSplitter(Qt.Orientation.Horizontal, body)
        for tabs in (own, context):
            if tabs.count():
                splitter.addWidget(tabs)
            else:  # not left floating over the header
                tabs.hide()
                tabs.deleteLater()
        if splitter.count() == 0:
            splitter.addWidget(QLabel("Nothing has been written for this audit yet.", body))
        if splitter.count() == 2:
            splitter.setSizes([640, 460] if d.row.kind.is_three_tier else [900, 420])
        layout.addWidget(splitter, 1)
        self.save_label = QLabel("", body)
        look.apply(self.save_label, "saved")
        self.save_label.setAccessibleName("Save status")
        layout.addWidget(self.save_label, alignment=Qt.AlignmentFlag.AlignRight)
        if any(not editor.is_done for editor in self.part_editors.values()):
            self.save_label.setText("Drafts save automatically as you type.")
        return body

    def _confirmation_row(self, parent: QWidget) -> QHBoxLayout:
        """Hidden until a part is submitted: what was done, and a way back to Home."""
        self.confirmation = QLabel(parent)
        self.confirmation.setAccessibleName("Confirmation")
        self.confirmation.setWordWrap(True)
        look.apply(self.confirmation, "sectionTitle")
        self.confirmation.hide()
        self.home_button = QPushButton("&Back to Home", parent)
        self.home_button.clicked.connect(self.go_home)
        self.home_button.hide()
        row = QHBoxLayout()
        row.addWidget(self.confirmation, 1)
        row.addWidget(self.home_button)
        return row

    def _confirm(self, part: Part, when: dt.datetime) -> None:
        """Say what was done (and have a screen reader announce it), then put focus on the next
        thing to do: the next part still to write, else the Back to Home button."""
        text = f"{DONE_WORDS[part]} at {when:%H:%M}."
        self.confirmation.setText(text)
        self.confirmation.show()
        self.save_label.setText(text)
        QAccessible.updateAccessibility(
            QAccessibleEvent(self.confirmation, QAccessible.Event.Alert)
        )
        nxt = next((e for e in self.part_editors.values() if not e.is_done), None)
        if nxt is None and self.own_tabs.count():  # e.g. differences to agree after the second
            page: QWidget | None = self.own_tabs.widget(0)
            nxt_page = page if not isinstance(page, PartEditor) else None
        else:
            nxt_page = nxt
        target = None
        if nxt_page is not None:
            self.own_tabs.setCurrentWidget(nxt_page)
            target = first_field(nxt_page.view if isinstance(nxt_page, PartEditor) else nxt_page)
        if target is None:
            self.confirmation.setText(f"{text} Nothing else is waiting for you in this audit.")
            self.home_button.show()
            target = self.home_button
        target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _focus_first_work(self) -> None:
        """Just opened and on screen: focus the first question of the first part still to write
        (not the window's tab bar, a dozen Tab presses away). An audit opened behind another
        tab takes focus only once it is shown."""
        self.focus_pending = False
        nxt = next((e for e in self.part_editors.values() if not e.is_done), None)
        if nxt is None:
            return
        self.own_tabs.setCurrentWidget(nxt)
        target = first_field(nxt.view)
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def _header(self, d: AuditDetail, parent: QWidget) -> QHBoxLayout:
        r = d.row
        title = QLabel(f"{r.case_reference or 'No case'} — {r.kind.label}", parent)
        look.apply(title, "pageTitle")
        case_type = (r.case_type or "").replace("_", " ").capitalize()
        if r.kind.is_three_tier:
            who = (
                f"worker {r.worker or '-'} · first auditor {r.first_auditor or '-'} · second "
                f"auditor {r.second_auditor or 'not yet chosen'}"
            )
        else:
            who = (
                f"practitioner {r.worker or '-'} · "
                f"{'observer' if r.kind is ActivityKind.OBSERVATION else 'auditor'} "
                f"{r.first_auditor or '-'}"
            )
        facts = QLabel(
            " · ".join(x for x in (case_type, r.team or "", who) if x)
            + f"<br><b>{r.state.label}</b>"
            + (f" — next: {d.waiting_for}" if d.waiting_for else "")
            + (" · blind second audit" if d.blind and r.kind.is_three_tier else ""),
            parent,
        )
        look.apply(facts, "subtitle")
        facts.setWordWrap(True)
        left = QVBoxLayout()
        left.addWidget(title)
        left.addWidget(facts)
        row = QHBoxLayout()
        row.addLayout(left, 1)
        if r.final_grade:
            row.addWidget(QLabel("Final grade", parent), alignment=Qt.AlignmentFlag.AlignTop)
            row.addWidget(grade_badge(r.final_grade, parent), alignment=Qt.AlignmentFlag.AlignTop)
        marking = QLabel(SENSITIVITY, parent)
        look.apply(marking, "sensitivity")
        row.addWidget(marking, alignment=Qt.AlignmentFlag.AlignTop)
        self.pdf_button = QPushButton("Save PDF summary…", parent)
        permit(
            self.pdf_button,
            self.principal,
            Action.PRINT_AUDIT,
            tip="A PDF of this audit as you see it, for the worker and their manager",
        )
        self.pdf_button.clicked.connect(self._on_save_pdf_clicked)
        row.addWidget(self.pdf_button, alignment=Qt.AlignmentFlag.AlignTop)
        return row

    def _on_save_pdf_clicked(self) -> None:
        from auditor.ui.audits.audit_pdf_action import save_audit_pdf

        if self.detail is None:  # the button is built with the audit's detail
            return
        save_audit_pdf(
            self, self.services, self.runner, self.detail, self.principal, self.save_label
        )

    def _part_editor(self, part: Part, d: AuditDetail, form: FormDefinition) -> PartEditor:
        mine = d.responses.get(part)
        editor = PartEditor(
            self.services,
            self.runner,
            self.audit_id,
            part,
            self.principal,
            form,
            d.row.case_type,
            mine.answers if mine else {},
            self,
            submitted_at=mine.submitted_at if mine and mine.submitted else None,
        )
        editor.save_state.connect(self._on_save_state)
        editor.submitted.connect(self._on_submitted)
        self.part_editors[part] = editor
        return editor

    def _read_only(self, response: ResponseDTO, d: AuditDetail) -> QWidget:
        form = self.services.forms.get(response.form_id, response.form_version)
        view = FormView(form, d.row.case_type, read_only=True)
        view.set_values(response.answers)
        holder = QWidget(self)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        note = f"By {response.author}" + (
            f", submitted {response.submitted_at:%d/%m/%Y}" if response.submitted_at else " (draft)"
        )
        label = QLabel(note, holder)
        look.apply(label, "help")
        label.setWordWrap(True)
        layout.addWidget(label)
        if response.hidden:  # the blind rule: nothing of it is shown, and the reader is told why
            hidden = QLabel(d.hidden_note, holder)
            look.apply(hidden, "sectionTitle")
            hidden.setAccessibleName("Hidden first audit")
            hidden.setWordWrap(True)
            layout.addWidget(hidden)
            layout.addStretch(1)
            return holder
        layout.addWidget(ScrollingForm(view, holder), 1)
        return holder

    @staticmethod
    def _read_only_title(response: ResponseDTO) -> str:
        hidden = " (hidden until you submit)" if response.hidden else ""
        return plain_title(response.part) + hidden

    # ------------------------------------------------------------------------------------ events
    def _on_save_state(self, state: str) -> None:
        saving = state in ("saving", "unsaved")
        text = {"saving": "Saving…", "unsaved": "Unsaved changes…"}.get(state)
        self.save_label.setText(text or state[0].upper() + state[1:])
        look.apply(self.save_label, "saving" if saving else "saved")

    def _on_submitted(self, part: Part) -> None:
        self.just_done = (part, dt.datetime.now())
        self._on_something_changed()

    def _on_something_changed(self, *_args: object) -> None:
        self.reload()
        self.audit_changed.emit(self.audit_id)

    def flush(self) -> list[str]:
        """Save what is pending and wait; what could not be saved, and why (one line each)."""
        problems = []
        for part, editor in self.part_editors.items():
            if not editor.flush():
                where = self.detail.row.case_reference if self.detail else None
                problems.append(
                    f"{where or f'Audit {self.audit_id}'}, {part.label.lower()}: "
                    f"{editor.problem or 'not saved'}"
                )
        return problems

    def closeEvent(self, event) -> None:
        self.flush()
        super().closeEvent(event)
