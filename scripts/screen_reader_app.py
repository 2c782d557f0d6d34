"""The app's side of ``scripts/screen_reader.py``: a demo database, and the main window opened on
one scene of the audit editor (run in the venv, on the display and buses the session made).

Everything goes through the services and the real main window, as a person would have it: the first
audit is opened by the manager who writes it; the observation is started by a senior manager of a
social worker's practice; the failed submit presses Space on the focused Submit button. The person
of each scene signs in with the demo's password (``DEMO_PASSWORD``) and the window opens on their
work, as after the sign-in screen; the scene's setting up (finding the audit, starting the
observation) is the program's own work, made with their principal (``principal_of``)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from auditor.domain.activities import ActivityKind
from auditor.domain.permissions import NotPermitted
from auditor.domain.workflow import AuditState, Part
from auditor.services import Services, open_services
from auditor.services.access.accounts import DEMO_PASSWORD
from auditor.services.audits.views import AuditFilter
from auditor.services.demo.build import DEMO_ADMIN, build_demo
from auditor.ui.shell.app import make_application
from auditor.ui.shell.background import SyncRunner
from auditor.ui.shell.main_window import MainWindow

READY = "READY"
OBSERVER, PRACTITIONER = "ap.nowak", "sw.patel"
#: Reads every team's audits: who looks for the scene's audit.
READER = "hos.marsh"


def build(path: Path) -> None:
    """A demo database at ``path`` (the same organisation every time: the demo's seed)."""
    services = open_services(path, create=True)
    try:
        build_demo(services)
    finally:
        services.close()


def first_audit(services: Services) -> tuple[int, str]:
    """The first open audit waiting for its first audit, and who writes it."""
    principal_of = services.accounts.principal_of
    [row] = services.views.rows(
        AuditFilter(states=(AuditState.FIRST_AUDIT,)), who=principal_of(READER), limit=1
    )

    def writes_it(username: str) -> bool:
        try:
            return Part.FIRST_AUDIT in services.audits.writable_parts(
                row.id, principal_of(username)
            )
        except NotPermitted:  # may not read it, so not theirs to write
            return False

    writer = next(
        p.username
        for p in services.directory.people(who=principal_of(DEMO_ADMIN))
        if writes_it(p.username)
    )
    return row.id, writer


def new_observation(services: Services) -> tuple[int, str]:
    """An observation just started (as the New observation dialog starts one), and its observer."""
    observer = services.accounts.principal_of(OBSERVER)
    case = next(
        c for c in services.directory.cases(who=observer) if c.worker_username == PRACTITIONER
    )
    audit_id = services.audits.record(
        ActivityKind.OBSERVATION,
        by=observer,
        form_id="practice_observation",
        practitioner=PRACTITIONER,
        case_reference=case.reference,
        answers={
            "observation_type": "home_visit",
            "observed_on": services.clock.today().isoformat(),
        },
        complete=False,
    )
    return audit_id, OBSERVER


def open_scene(scene: str, db: Path) -> int:
    """Show ``scene`` and keep the app running (until killed); prints READY when it is shown."""
    app = make_application(sys.argv[:1])
    services = open_services(db)
    if scene == "observation":
        audit_id, user = new_observation(services)
    else:  # the demo's draft set aside: nothing answered yet
        audit_id, user = first_audit(services)
        services.audits.save_draft(
            audit_id, Part.FIRST_AUDIT, by=services.accounts.principal_of(user), answers={}
        )
    signed_in = services.accounts.sign_in(user, DEMO_PASSWORD)  # as the sign-in screen does
    window = MainWindow(services, signed_in.principal, SyncRunner())
    window.resize(1400, 950)
    window.show()
    editor = window.open_audit(audit_id)
    QTest.qWaitForWindowExposed(window, 10_000)
    window.activateWindow()  # no window manager on Xvfb: the app makes itself the active window
    QTest.qWaitForWindowActive(window, 10_000)
    if scene != "observation":  # the manager also has the family's feedback to record
        part = editor.part_editors[Part.FIRST_AUDIT]
        editor.own_tabs.setCurrentWidget(part)
    if scene == "failed_submit":
        part.submit_button.setFocus(Qt.FocusReason.TabFocusReason)
        QTest.keyClick(part.submit_button, Qt.Key.Key_Space)
    QApplication.processEvents()
    QTimer.singleShot(200, lambda: print(READY, flush=True))
    return app.exec()
