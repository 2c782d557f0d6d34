"""Helper G's read paths for the per-role read-path test: what the app's pages show to ``who``.
The pages guard no action of their own (the services do; the pages only grey out what the
services would refuse), so there are no probes. Each path builds the page as the person signed in
and returns the audit numbers it shows; a page that cannot be filled shows nothing.

They need a QApplication; the offscreen platform is set by ``tests/conftest.py``."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QMessageBox

from auditor.domain.permissions import Action, Principal
from auditor.services import Services
from auditor.ui.shell.background import SyncRunner

Probe = Callable[[Services, Principal], object]

PROBES: dict[Action, Probe] = {}


def _app() -> None:
    """A QApplication, and message boxes that never wait for a click (a refusal is shown in one)."""
    if QApplication.instance() is None:
        QApplication([])
    QMessageBox.exec = lambda _self: 0  # type: ignore[method-assign]


def _all_audits(services: Services, who: Principal) -> set[int]:
    """The All audits page, every row (it pages as it scrolls: fetch them all)."""
    from auditor.ui.audits.audit_list import AuditListPage
    from auditor.ui.models.audit_table_model import ROW_ROLE

    _app()
    failed: list[BaseException] = []
    page = AuditListPage(services, who, runner=SyncRunner())
    page.model.failed.connect(failed.append)
    page.refresh()
    model = page.model
    while model.canFetchMore():
        before = model.rowCount()
        model.fetchMore()
        if model.rowCount() == before:
            break
    shown = {model.data(model.index(i, 0), ROW_ROLE).id for i in range(model.rowCount())}
    page.deleteLater()
    return set() if failed else shown


def _home(services: Services, who: Principal) -> set[int]:
    """Home's work lists: every audit they offer to open."""
    from PySide6.QtCore import Qt

    from auditor.ui.home.home_page import HomePage

    _app()
    page = HomePage(services, who, runner=SyncRunner())
    page.refresh()
    shown = set()
    for work in page.lists.values():
        for i in range(work.list.count()):
            audit_id = work.list.item(i).data(Qt.ItemDataRole.UserRole)
            if audit_id is not None:
                shown.add(audit_id)
    page.deleteLater()
    return shown


READ_PATHS: dict[str, Callable[[Services, Principal], set[int]]] = {
    "ui.all_audits": _all_audits,
    "ui.home": _home,
}
