"""One audit as the current user sees it: what they may write, what they may read, and — after the
second audit — the differences, actions and closing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QSplitter, QTabWidget,
                               QVBoxLayout, QWidget)

from auditor.domain.activities import ActivityKind
from auditor.domain.workflow import AuditState, Part
from auditor.services import Services
from auditor.services.dto import AuditDetail, ResponseDTO
from auditor.ui.shell.background import BackgroundRunner, SyncRunner
from auditor.ui.widgets.form_renderer import FormView, ScrollingForm
from auditor.ui.audits.part_editor import PartEditor
from auditor.ui.audits.reconciliation import ReconciliationPanel, grade_badge
from auditor.ui.shell import look

SENSITIVITY = "OFFICIAL-SENSITIVE"


class LazyTab(QWidget):
    """A tab whose content is built the first time it is shown, so opening an audit only builds
    what the reader looks at."""

    def __init__(self, build: Callable[[], QWidget], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self.content: QWidget | None = None
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)

    def ensure_built(self) -> QWidget:
        if self.content is None:
            self.content = self._build()
            self.layout().addWidget(self.content)
        return self.content

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 (Qt override)
        self.ensure_built()
        super().showEvent(event)


class AuditEditor(QWidget):
    audit_changed = Signal(int)

    def __init__(self, services: Services, runner: BackgroundRunner | SyncRunner, audit_id: int,
                 username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.runner = services, runner
        self.audit_id, self.username = audit_id, username
        self.part_editors: dict[Part, PartEditor] = {}
        self.layout_ = QVBoxLayout(self)
        self.body: QWidget | None = None
        self.reload()

    # ------------------------------------------------------------------------------------- build
    def reload(self) -> None:
        self.flush()
        if self.body is not None:
            self.layout_.removeWidget(self.body)
            self.body.deleteLater()
        self.part_editors = {}
        self.detail = self.services.views.detail(self.audit_id, self.username)
        self.body = self._build(self.detail)
        self.layout_.addWidget(self.body)

    def _build(self, d: AuditDetail) -> QWidget:
        body = QWidget(self)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._header(d, body))
        writable = self.services.audits.writable_parts(self.audit_id, self.username)
        own = QTabWidget(body)
        own.setAccessibleName("Your part of this audit")
        for part in writable:
            editor = self._part_editor(part, d)
            own.addTab(editor, f"Your {part.label[0].lower()}{part.label[1:]}")
        context = QTabWidget(body)
        context.setAccessibleName("What others have written")
        if d.comparisons and d.row.state in (AuditState.RECONCILIATION, AuditState.CLOSED):
            panel = ReconciliationPanel(self.services, d, self.username,
                                        self.services.audits.may_reconcile(self.audit_id,
                                                                           self.username), body)
            panel.changed.connect(self._on_something_changed)
            (own if self.services.audits.may_reconcile(self.audit_id, self.username)
             else context).addTab(panel, "Differences and actions")
        for part, response in d.responses.items():
            if part not in writable:
                context.addTab(LazyTab(lambda r=response: self._read_only(r, d), context),
                               self._read_only_title(response))
        if not d.row.kind.is_three_tier or d.row.state in (AuditState.RECONCILIATION,
                                                           AuditState.CLOSED):
            from auditor.ui.audits.findings_panel import FindingsPanel
            findings = FindingsPanel(self.services, self.audit_id, self.username, body)
            context.insertTab(0 if writable else context.count(), findings, "Findings")
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
        if self.part_editors:
            self.save_label.setText("Drafts save automatically as you type.")
        return body

    def _header(self, d: AuditDetail, parent: QWidget) -> QHBoxLayout:
        r = d.row
        title = QLabel(f"{r.case_reference or 'No case'} — {r.kind.label}", parent)
        look.apply(title, "pageTitle")
        case_type = (r.case_type or '').replace('_', ' ').capitalize()
        if r.kind.is_three_tier:
            who = (f"worker {r.worker or '-'} · first auditor {r.first_auditor or '-'} · second "
                   f"auditor {r.second_auditor or 'not yet chosen'}")
        else:
            who = (f"practitioner {r.worker or '-'} · "
                   f"{'observer' if r.kind is ActivityKind.OBSERVATION else 'auditor'} "
                   f"{r.first_auditor or '-'}")
        facts = QLabel(
            " · ".join(x for x in (case_type, r.team or "", who) if x)
            + f"<br><b>{r.state.label}</b>"
            + (f" — next: {d.waiting_for}" if d.waiting_for else "")
            + (" · blind second audit" if d.blind and r.kind.is_three_tier else ""), parent)
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
        self.pdf_button.setToolTip("A PDF of this audit as you see it, for the worker and their "
                                   "manager")
        self.pdf_button.clicked.connect(self._on_save_pdf_clicked)
        row.addWidget(self.pdf_button, alignment=Qt.AlignmentFlag.AlignTop)
        return row

    def _on_save_pdf_clicked(self) -> None:
        from auditor.ui.audits.audit_pdf_action import save_audit_pdf
        save_audit_pdf(self, self.services, self.runner, self.detail, self.username,
                       self.save_label)

    def _part_editor(self, part: Part, d: AuditDetail) -> PartEditor:
        mine = d.responses.get(part)
        editor = PartEditor(self.services, self.runner, self.audit_id, part, self.username,
                            self.services.audits.part_form(self.audit_id, part), d.row.case_type,
                            mine.answers if mine else {}, self)
        editor.save_state.connect(self._on_save_state)
        editor.submitted.connect(self._on_something_changed)
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
            f", submitted {response.submitted_at:%d/%m/%Y}" if response.submitted_at else " (draft)")
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
        return response.part.label + (" (hidden until you submit)" if response.hidden else "")

    # ------------------------------------------------------------------------------------ events
    def _on_save_state(self, state: str) -> None:
        saving = state in ("saving", "unsaved")
        text = {"saving": "Saving…", "unsaved": "Unsaved changes…"}.get(state)
        self.save_label.setText(text or state[0].upper() + state[1:])
        look.apply(self.save_label, "saving" if saving else "saved")

    def _on_something_changed(self, *_args: object) -> None:
        self.reload()
        self.audit_changed.emit(self.audit_id)

    def flush(self) -> None:
        for editor in self.part_editors.values():
            editor.flush()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self.flush()
        super().closeEvent(event)
