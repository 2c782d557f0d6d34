"""The audit editor's "Save PDF summary…": ask where, write the summary as this user sees the audit,
say where it went (or calmly why not)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QWidget

from auditor.domain.permissions import Principal
from auditor.services import Services
from auditor.services.dto import AuditDetail
from auditor.ui.shell.activity_pdf import save_activity_pdf
from auditor.ui.shell.background import Runner


def default_name(detail: AuditDetail) -> str:
    ref = detail.row.case_reference or "no-case"
    return f"audit-{detail.row.id}-{ref}-summary.pdf"


def save_audit_pdf(
    parent: QWidget,
    services: Services,
    runner: Runner,
    detail: AuditDetail,
    principal: Principal,
    status: QLabel,
) -> None:
    save_activity_pdf(
        parent, services, runner, detail.row.id, default_name(detail), principal, status
    )
