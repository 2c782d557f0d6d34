"""The Reports screen: choose a report and its period, preview a PDF in the app, save it; long
exports run in the background with a progress bar and a Cancel button."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTemporaryDir, Signal
from PySide6.QtWidgets import (QComboBox, QFileDialog, QFormLayout, QHBoxLayout, QLabel, QLineEdit,
                               QProgressBar, QPushButton, QSpinBox, QSplitter, QVBoxLayout,
                               QWidget)

from auditor.domain.errors import AuditorError, Cancelled
from auditor.domain.workflow import AuditState
from auditor.services import Services
from auditor.services.audits.views import AuditFilter
from auditor.services.dto import PersonDTO
from auditor.ui.shell import report_settings
from auditor.ui.shell import look
from auditor.ui.shell.background import BackgroundRunner, SyncRunner
from auditor.ui.shell.errors import show_problem
from auditor.ui.widgets.pdf_preview import PdfPreview
from auditor.ui.widgets.period_picker import PeriodPicker

log = logging.getLogger(__name__)

#: key, label, file suffix, what it is for
REPORTS = [
    ("qa", "QA report for a period (PDF)", ".pdf",
     "For the QA board, scrutiny and the self-assessment: the grade table, the trajectory, grades "
     "by team and area, consistency between auditors, actions and practice weeks. No case "
     "references."),
    ("audit", "Audit summary (PDF)", ".pdf",
     "One audit, observation or dip sample for the worker and their manager, as you may see it."),
    ("xlsx", "All audits in a period (Excel)", ".xlsx",
     "One row per audit and one per domain grade, for your own analysis. Holds case references: "
     "handle it as marked."),
    ("csv", "Grade table only (CSV)", ".csv",
     "The counts per year and activity, with no case identifiers: safe for board papers."),
]


class _Relay(QObject):
    """Carries progress from the worker thread to the GUI thread (queued)."""

    progress = Signal(int, int, str)


class ReportsPage(QWidget):
    def __init__(self, services: Services, user: PersonDTO, runner: BackgroundRunner | SyncRunner,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services, self.user = services, user
        # Reports get their own queue so that a long export never holds up autosaving drafts.
        self.runner = runner if isinstance(runner, SyncRunner) else BackgroundRunner()
        self.relay = _Relay(self)
        self.relay.progress.connect(self._on_progress)
        self.cancel_event = threading.Event()
        self.temp = QTemporaryDir()
        self.preview = PdfPreview(self)
        splitter = QSplitter(self)
        splitter.addWidget(self._build_form())
        splitter.addWidget(self.preview)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([440, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self._on_report_changed(0)

    # ------------------------------------------------------------------------------- build
    def _build_form(self) -> QWidget:
        form_box = QWidget(self)
        form_box.setMaximumWidth(560)
        column = QVBoxLayout(form_box)
        title = QLabel("Reports", form_box)
        look.apply(title, "pageTitle")
        column.addWidget(title)
        self.report = QComboBox(form_box)
        self.report.setAccessibleName("Report")
        for key, label, *_ in REPORTS:
            self.report.addItem(label, key)
        self.report.currentIndexChanged.connect(self._on_report_changed)
        self.about = QLabel(form_box)
        self.about.setWordWrap(True)
        look.apply(self.about, "help")
        self.audit_id = QSpinBox(form_box)
        self.audit_id.setRange(1, 2_000_000_000)
        self.audit_id.setAccessibleName("Audit number")
        latest = self.services.views.rows(AuditFilter(states=(AuditState.CLOSED,)), limit=1)
        if latest:
            self.audit_id.setValue(latest[0].id)
        self.period = PeriodPicker(form_box)
        self.marking = QLineEdit(report_settings.marking(), form_box)
        self.marking.setAccessibleName("Sensitivity marking")
        self.marking.setPlaceholderText("No marking")
        self.marking.editingFinished.connect(self._on_marking_edited)
        fields = QFormLayout()
        fields.addRow("&Report", self.report)
        fields.addRow("", self.about)
        fields.addRow("Audit &number", self.audit_id)
        fields.addRow("&Period", self.period)
        fields.addRow("&Marking", self.marking)
        self.fields = fields
        column.addLayout(fields)
        self._build_buttons(form_box, column)
        column.addStretch()
        self._set_busy(False)
        return form_box

    def _build_buttons(self, form_box: QWidget, column: QVBoxLayout) -> None:
        buttons = QHBoxLayout()
        self.preview_button = QPushButton("Pre&view", form_box)
        self.preview_button.clicked.connect(self._on_preview_clicked)
        self.save_button = QPushButton("&Save…", form_box)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._on_save_clicked)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch()
        column.addLayout(buttons)
        busy = QHBoxLayout()
        self.progress = QProgressBar(form_box)
        self.progress.setAccessibleName("Progress")
        self.cancel_button = QPushButton("Cancel", form_box)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        busy.addWidget(self.progress, 1)
        busy.addWidget(self.cancel_button)
        column.addLayout(busy)
        self.status = QLabel(form_box)
        self.status.setWordWrap(True)
        look.apply(self.status, "subtitle")
        column.addWidget(self.status)

    # ------------------------------------------------------------------------------ state
    @property
    def kind(self) -> str:
        return self.report.currentData()

    def _on_report_changed(self, index: int) -> None:
        key, _label, _suffix, about = REPORTS[index]
        self.about.setText(about)
        self.fields.setRowVisible(self.audit_id, key == "audit")
        self.fields.setRowVisible(self.period, key != "audit")
        self.preview_button.setEnabled(key in ("qa", "audit"))

    def _on_marking_edited(self) -> None:
        report_settings.set_marking(self.marking.text())

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.save_button.setEnabled(not busy)
        self.report.setEnabled(not busy)
        self.preview_button.setEnabled(not busy and self.kind in ("qa", "audit"))
        if busy:
            self.progress.setRange(0, 0)  # busy until the first progress report

    def _on_progress(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(f"{what}…")

    def _on_cancel_clicked(self) -> None:
        self.cancel_event.set()
        self.status.setText("Stopping…")

    # ---------------------------------------------------------------------------- actions
    def _job(self, path: Path) -> Callable[[], Path]:
        """The service call that writes the chosen report to ``path`` (run off the GUI thread)."""
        reports, marking, user = self.services.reports, self.marking.text().strip(), self.user
        start, end = self.period.period()
        audit_id = self.audit_id.value()
        progress, cancelled = self.relay.progress.emit, self.cancel_event.is_set
        kind = self.kind
        if kind == "audit":
            return lambda: reports.write_activity_pdf(audit_id, path, user.username, marking)
        if kind == "qa":
            return lambda: reports.write_qa_pdf(start, end, path, marking, user.name,
                                                progress=progress, cancelled=cancelled)
        table = "summary" if kind == "csv" else "audits"
        return lambda: reports.write_export(kind, path, start, end, table=table, marking=marking,
                                            author=user.name, progress=progress,
                                            cancelled=cancelled)

    def _run(self, path: Path, on_done: Callable[[Path], None]) -> None:
        self.cancel_event.clear()
        self._set_busy(True)
        self.status.setText("Working…")
        self.runner.run(self._job(path), lambda result: self._finished(on_done, result),
                        self._on_failed)

    def _finished(self, on_done: Callable[[Path], None], path: Path) -> None:
        self._set_busy(False)
        on_done(path)

    def _on_failed(self, error: BaseException) -> None:
        self._set_busy(False)
        if isinstance(error, Cancelled):
            self.status.setText("Cancelled. Nothing was saved.")
        elif isinstance(error, AuditorError):
            self.status.setText("")
            show_problem(self, error, "The report could not be made")
        else:
            raise error

    def _on_preview_clicked(self) -> None:
        path = Path(self.temp.path()) / f"preview-{dt.datetime.now():%H%M%S%f}.pdf"
        self._run(path, self._show_preview)

    def _show_preview(self, path: Path) -> None:
        pages = self.preview.show_pdf(path)
        path.unlink(missing_ok=True)
        self.status.setText(f"Preview: {pages} page{'s' if pages != 1 else ''}. Save… keeps a copy.")

    def _on_save_clicked(self) -> None:
        _key, label, suffix, _about = REPORTS[self.report.currentIndex()]
        start, end = self.period.period()
        name = (f"audit-{self.audit_id.value()}-summary{suffix}" if self.kind == "audit" else
                f"{'qa-report' if self.kind == 'qa' else 'audits'}-{start:%Y%m%d}-{end:%Y%m%d}"
                f"{suffix}")
        chosen, _filter = QFileDialog.getSaveFileName(
            self, f"Save {label}", str(report_settings.save_folder() / name),
            f"{suffix[1:].upper()} files (*{suffix})")
        if not chosen:
            return
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        report_settings.remember_folder(path)
        self._run(path, self._saved)

    def _saved(self, path: Path) -> None:
        self.status.setText(f"Saved {path.name} in {path.parent}.")
        log.info("Saved report %s", path)

    def shutdown(self) -> None:
        """Stop a running export (its file is not kept) and wait for the worker."""
        self.cancel_event.set()
        self.runner.wait()
