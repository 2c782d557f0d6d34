"""The Reports screen: choose a report and its period, preview a PDF in the app, save it; long
exports run in the background with a progress bar and a Cancel button."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from auditor.domain.errors import AuditorError, Cancelled
from auditor.domain.permissions import Action, Principal, refusal
from auditor.domain.workflow import AuditState
from auditor.services import Services
from auditor.services.audits.views import AuditFilter
from auditor.services.dto import AuditRow
from auditor.ui.shell import file_dialogs, look, report_settings
from auditor.ui.shell.background import Job, Loader, Runner
from auditor.ui.shell.child_process import in_child_process
from auditor.ui.shell.errors import show_problem
from auditor.ui.widgets.pdf_preview import PdfPreview, render_pages
from auditor.ui.widgets.period_picker import PeriodPicker

log = logging.getLogger(__name__)
HTML_TIP = (
    "The QA report as a web page with real headings and table headers, which screen "
    "readers can navigate: publish this one; the PDF is for printing."
)
T = TypeVar("T")

#: key, label, file suffix, what it is for
REPORTS = [
    (
        "qa",
        "QA report for a period (PDF)",
        ".pdf",
        "For the QA board, scrutiny and the self-assessment: the grade table, the trajectory, grades "
        "by team and area, consistency between auditors, actions and practice weeks. No case "
        "references.",
    ),
    (
        "audit",
        "Audit summary (PDF)",
        ".pdf",
        "One audit, observation or dip sample for the worker and their manager, as you may see it.",
    ),
    (
        "xlsx",
        "All audits in a period (Excel)",
        ".xlsx",
        "One row per audit and one per domain grade, for your own analysis. Holds case references: "
        "handle it as marked.",
    ),
    (
        "csv",
        "Grade table only (CSV)",
        ".csv",
        "The counts per year and activity, with no case identifiers: safe for board papers.",
    ),
]


#: The action each report needs (the services refuse the others; the buttons say why first).
REPORT_ACTION = {
    "qa": Action.RUN_QA_REPORT,
    "audit": Action.PRINT_AUDIT,
    "xlsx": Action.EXPORT,
    "csv": Action.EXPORT,
}


def _preview_images(write: Callable[[Path], Path], width: int) -> list[QImage]:
    """Write the PDF into a private folder, render its pages, leave nothing behind (worker side)."""
    with tempfile.TemporaryDirectory(prefix="auditor-preview-") as folder:
        return render_pages(write(Path(folder) / "preview.pdf"), width)


class ReportsPage(QWidget):
    #: (done, total, what) as the running report says how far it is (throttled)
    progressed = Signal(int, int, str)

    def __init__(
        self,
        services: Services,
        principal: Principal,
        runner: Runner,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services, self.principal = services, principal
        # Reports run as jobs: their own thread, so a long export never holds up autosave.
        self.runner = runner
        self.job: Job | None = None
        self.running = False
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
        if self.principal.may(Action.READ_AUDITS):
            self._suggest_latest_audit()
        self.period = PeriodPicker(form_box)
        self.marking = QLineEdit(report_settings.marking(), form_box)
        self.marking.setAccessibleName("Sensitivity marking")
        self.marking.setPlaceholderText("No marking")
        self.marking.editingFinished.connect(self._on_marking_edited)
        fields = QFormLayout()
        fields.addRow("Rep&ort", self.report)
        fields.addRow("", self.about)
        fields.addRow("Audit &number", self.audit_id)
        fields.addRow("Per&iod", self.period)
        fields.addRow("Mar&king", self.marking)
        self.fields = fields
        column.addLayout(fields)
        self._build_buttons(form_box, column)
        column.addStretch()
        # Kept narrow, but never narrower than its fields need (a large font needs 840 px).
        form_box.setMaximumWidth(max(560, form_box.minimumSizeHint().width()))
        self._set_busy(False)
        return form_box

    def _suggest_latest_audit(self) -> None:
        """The newest closed audit as the audit number, looked up in the background."""
        rows = partial(self.services.views.rows, who=self.principal)  # only what they may read
        self.latest = Loader(self.runner, self)

        def suggest(found: list[AuditRow]) -> None:
            if found:
                self.audit_id.setValue(found[0].id)

        self.latest.request(
            lambda: rows(AuditFilter(states=(AuditState.CLOSED,)), limit=1),
            suggest,
            lambda error: log.warning("No latest audit: %s", error),
        )

    def _build_buttons(self, form_box: QWidget, column: QVBoxLayout) -> None:
        buttons = QHBoxLayout()
        self.preview_button = QPushButton("Previe&w", form_box)
        self.preview_button.clicked.connect(self._on_preview_clicked)
        self.save_button = QPushButton("Sa&ve…", form_box)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self._on_save_document_clicked)
        # reportlab cannot tag a PDF: the HTML (headings, table headers) is the one to publish
        self.html_button = QPushButton("Save accessible H&TML…", form_box)
        self.html_button.setToolTip(HTML_TIP)
        self.html_button.clicked.connect(self._on_save_html_clicked)
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.html_button)
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

    @property
    def may_run(self) -> bool:
        """Whether the person signed in may run the chosen report (the matrix's action)."""
        return self.principal.may(REPORT_ACTION[self.kind])

    def _on_report_changed(self, index: int) -> None:
        key, _label, _suffix, about = REPORTS[index]
        # Said on the page too, not only on hover: why the buttons are grey for this person.
        refused = "" if self.may_run else f"<br><br><b>{refusal(REPORT_ACTION[key])}</b>"
        self.about.setText(about + refused)
        self.fields.setRowVisible(self.audit_id, key == "audit")
        self.fields.setRowVisible(self.period, key != "audit")
        self.html_button.setVisible(key == "qa")
        self._set_busy(self.running)

    def _on_marking_edited(self) -> None:
        report_settings.set_marking(self.marking.text())

    def _set_busy(self, busy: bool) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.report.setEnabled(not busy)
        allowed = self.may_run
        why = "" if allowed else refusal(REPORT_ACTION[self.kind])
        for button, usable in (
            (self.save_button, True),
            (self.html_button, True),
            (self.preview_button, self.kind in ("qa", "audit")),
        ):
            button.setEnabled(not busy and allowed and usable)
            if button is not self.html_button:
                button.setToolTip(why)
                button.setAccessibleDescription(why)
        self.html_button.setToolTip(why or HTML_TIP)
        if busy:
            self.progress.setRange(0, 0)  # busy until the first progress report

    def _on_progress(self, done: int, total: int, what: str) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)
        self.status.setText(f"{what}…")
        self.progressed.emit(done, total, what)

    def _on_cancel_clicked(self) -> None:
        if self.job is not None:
            self.job.cancel()
        self.status.setText("Stopping…")

    # ---------------------------------------------------------------------------- actions
    def _writer(self, html: bool = False) -> Callable[[Job, Path], Path]:
        """The service call that writes the chosen report (run off the GUI thread). Everything
        it needs from the widgets is read here, on the GUI thread."""
        reports, marking, user = self.services.reports, self.marking.text().strip(), self.principal
        start, end = self.period.period()
        audit_id = self.audit_id.value()
        kind = self.kind
        if kind == "audit":
            return lambda job, path: reports.write_activity_pdf(
                audit_id, path, who=user, marking=marking
            )
        if kind == "qa":
            write_qa = reports.write_qa_html if html else reports.write_qa_pdf
            return lambda job, path: write_qa(
                start,
                end,
                path,
                marking,
                user.name,
                progress=job.progress,
                cancelled=job.cancelled,
                who=user,
            )
        table = "summary" if kind == "csv" else "audits"
        database = self.services.path
        # An export runs in a child process: its C code holds the GIL for seconds at a time.
        return lambda job, path: in_child_process(
            database,
            "reports.write_export",
            fmt=kind,
            path=path,
            start=start,
            end=end,
            table=table,
            marking=marking,
            author=user.name,
            who=user,  # the child process checks and logs the export as this person
        )(job)

    def _run(self, work: Callable[[Job], T], on_done: Callable[[T], None]) -> None:
        if self.running:  # one report at a time; the buttons say so too
            return
        self.running = True
        self._set_busy(True)
        self.status.setText("Working…")
        self.job = Job()
        self.runner.start_job(
            work,
            lambda result: self._finished(on_done, result),
            self._on_failed,
            self._on_progress,
            self.job,
        )

    def _finished(self, on_done: Callable[[T], None], result: T) -> None:
        self.job, self.running = None, False
        self._set_busy(False)
        on_done(result)

    def _on_failed(self, error: BaseException) -> None:
        self.job, self.running = None, False
        self._set_busy(False)
        if isinstance(error, Cancelled):
            self.status.setText("Cancelled. Nothing was saved.")
        elif isinstance(error, AuditorError):
            self.status.setText("")
            show_problem(self, error, "The report could not be made")
        else:
            raise error

    def _on_preview_clicked(self) -> None:
        write, width = self._writer(), self.preview.page_width()
        self._run(
            lambda job: _preview_images(lambda path: write(job, path), width), self._show_preview
        )

    def _show_preview(self, images: list[QImage]) -> None:
        pages = self.preview.show_images(images)
        self.status.setText(
            f"Preview: {pages} page{'s' if pages != 1 else ''}. Save… keeps a copy."
        )

    def _on_save_html_clicked(self) -> None:
        self._on_save_clicked(html=True)

    def _on_save_document_clicked(self) -> None:  # ``clicked`` would pass its "checked" as html
        self._on_save_clicked(html=False)

    def _on_save_clicked(self, html: bool = False) -> None:
        _key, label, suffix, _about = REPORTS[self.report.currentIndex()]
        if html:
            label, suffix = "QA report for a period (accessible HTML)", ".html"
        start, end = self.period.period()
        name = (
            f"audit-{self.audit_id.value()}-summary{suffix}"
            if self.kind == "audit"
            else f"{'qa-report' if self.kind == 'qa' else 'audits'}-{start:%Y%m%d}-{end:%Y%m%d}"
            f"{suffix}"
        )
        path = file_dialogs.save_file(
            self, f"Save {label}", report_settings.save_folder() / name, suffix, self.services.path
        )
        if path is None:
            return
        report_settings.remember_folder(path)
        write = self._writer(html)
        self._run(lambda job: write(job, path), self._saved)

    def _saved(self, path: Path) -> None:
        self.status.setText(f"Saved {path.name} in {path.parent}.")
        log.info("Saved report %s", path)

    def shutdown(self) -> None:
        """Stop a running export (its file is not kept); the window then waits for the worker."""
        if self.job is not None:
            self.job.cancel()
