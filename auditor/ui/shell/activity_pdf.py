"""Saving one activity's PDF summary (an audit, an observation, one case of a dip sample) from any
screen: ask where, write it as this user sees it, say where it went (or calmly why not)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel, QWidget
from shiboken6 import isValid

from auditor.domain.errors import AuditorError
from auditor.domain.permissions import Principal
from auditor.services import Services
from auditor.ui.shell import file_dialogs, look, report_settings
from auditor.ui.shell.background import Runner
from auditor.ui.shell.errors import show_problem


def save_activity_pdf(
    parent: QWidget,
    services: Services,
    runner: Runner,
    audit_id: int,
    name: str,
    who: Principal,
    status: QLabel,
) -> None:
    """Any activity (an audit, an observation, one case of a dip sample), as ``username`` sees it."""
    path = file_dialogs.save_file(
        parent,
        "Save PDF summary",
        report_settings.save_folder() / name,
        ".pdf",
        services.path,
    )
    if path is None:
        return
    report_settings.remember_folder(path)
    marking = report_settings.marking()
    status.setText("Making the PDF…")

    def done(written: Path) -> None:
        if not isValid(status):  # the audit's tab was closed meanwhile
            return
        status.setText(f"PDF saved: {written}")
        look.apply(status, "saved")

    def failed(error: BaseException) -> None:
        if isValid(status):
            status.setText("")
        if not isinstance(error, AuditorError):
            raise error
        show_problem(parent if isValid(parent) else None, error, "The PDF could not be saved")

    reports = services.reports
    runner.start_job(
        lambda _job: reports.write_activity_pdf(audit_id, path, who=who, marking=marking),
        done,
        failed,
    )
