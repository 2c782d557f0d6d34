"""The audit editor's "Save PDF summary…": ask where, write the summary as this user sees the audit,
say where it went (or calmly why not)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from auditor.domain.errors import AuditorError
from auditor.services import Services
from auditor.services.dto import AuditDetail
from auditor.ui.shell import report_settings
from auditor.ui.shell import look
from auditor.ui.shell.background import BackgroundRunner, SyncRunner
from auditor.ui.shell.errors import show_problem


def default_name(detail: AuditDetail) -> str:
    ref = detail.row.case_reference or "no-case"
    return f"audit-{detail.row.id}-{ref}-summary.pdf"


def save_audit_pdf(parent: QWidget, services: Services, runner: BackgroundRunner | SyncRunner,
                   detail: AuditDetail, username: str, status: QLabel) -> None:
    chosen, _filter = QFileDialog.getSaveFileName(
        parent, "Save PDF summary", str(report_settings.save_folder() / default_name(detail)),
        "PDF files (*.pdf)")
    if not chosen:
        return
    path = Path(chosen) if chosen.lower().endswith(".pdf") else Path(chosen + ".pdf")
    report_settings.remember_folder(path)
    marking = report_settings.marking()
    status.setText("Making the PDF…")

    def done(written: Path) -> None:
        status.setText(f"PDF saved: {written}")
        look.apply(status, "saved")

    def failed(error: BaseException) -> None:
        status.setText("")
        if not isinstance(error, AuditorError):
            raise error
        show_problem(parent, error, "The PDF could not be saved")

    runner.run(lambda: services.reports.write_activity_pdf(detail.row.id, path, username, marking),
               done, failed)
