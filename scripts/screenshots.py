"""Regenerate docs/screenshots/*.png from a fresh demo database (offscreen; no display needed).

.venv/bin/python scripts/screenshots.py [--small] [--out DIR]

Each window is opened for one demo person, as after they signed in (the sign-in screen itself is
``sign_in.png``): the script is the program's own, so it takes their principal without a password
(``principal_of``). ``--out`` writes the images elsewhere (to try the script without touching the
committed ones).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from auditor.domain.permissions import NotPermitted, Principal  # noqa: E402
from auditor.domain.workflow import AuditState, Part  # noqa: E402
from auditor.services import Services, open_services  # noqa: E402
from auditor.services.access.accounts import DEMO_PASSWORD  # noqa: E402
from auditor.services.audits.views import AuditFilter  # noqa: E402
from auditor.services.demo.build import DEMO_ADMIN, build_demo  # noqa: E402
from auditor.ui.shell.app import make_application  # noqa: E402
from auditor.ui.shell.background import SyncRunner  # noqa: E402
from auditor.ui.shell.main_window import MainWindow  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
#: Where the images go this run (``--out``, else ``OUT``).
TARGET = {"out": OUT}
#: Reads every team's audits (a head of service): who looks for the audits to show.
READER = "hos.marsh"


def save(widget, name: str) -> None:
    QApplication.processEvents()
    out = TARGET["out"]
    widget.grab().save(str(out / f"{name}.png"))
    print(f"wrote {out / name}.png")


def who(services: Services, username: str) -> Principal:
    """``username`` as signed in (the program's own script: no password asked)."""
    return services.accounts.principal_of(username)


def rows(services: Services, state: AuditState, limit: int | None = None) -> list:
    """The audits in ``state``, newest first, of every team."""
    return services.views.rows(AuditFilter(states=(state,)), who=who(services, READER), limit=limit)


def second_auditor_of(services: Services, audit_id: int) -> str:
    """The one who writes the second audit of ``audit_id`` now."""

    def writes_it(username: str) -> bool:
        try:
            parts = services.audits.writable_parts(audit_id, who(services, username))
        except NotPermitted:  # may not read it, so not theirs to write
            return False
        return parts == [Part.SECOND_AUDIT]

    people = services.directory.people(who=who(services, DEMO_ADMIN))
    return next(p.username for p in people if writes_it(p.username))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--small", action="store_true", help="only the small-screen and large-text variants"
    )
    parser.add_argument("--out", type=Path, default=OUT, help=f"where to write (default {OUT})")
    args = parser.parse_args()
    TARGET["out"] = args.out
    args.out.mkdir(parents=True, exist_ok=True)
    make_application(sys.argv[:1])
    services = open_services(Path(tempfile.mkdtemp()) / "demo.db", create=True)
    build_demo(services)
    small_screens(services)
    if args.small:
        return
    sign_in_screen(services)
    [second] = rows(services, AuditState.SECOND_AUDIT, limit=1)
    reconciling = rows(services, AuditState.RECONCILIATION, limit=1)[0]
    reviewer = services.views.detail(reconciling.id, who=who(services, READER)).row.second_auditor
    second_by = second_auditor_of(services, second.id)
    window = MainWindow(services, who(services, second_by), SyncRunner())
    window.resize(1400, 900)
    window.show()
    save(window, "home")
    window.tabs.setCurrentWidget(window.audits)
    save(window, "audit_list")
    window.open_audit(second.id)
    save(window, "audit_editor_blind_second_audit")
    reviewer_name = next(
        p.username
        for p in services.directory.people(who=who(services, DEMO_ADMIN))
        if p.name == reviewer
    )
    window.close()
    window = MainWindow(services, who(services, reviewer_name), SyncRunner())
    window.resize(1400, 900)
    window.show()
    editor = window.open_audit(reconciling.id)
    save(editor, "reconciliation")
    window.close()
    practice_weeks(services)
    administration(services, reconciling.id)
    report_screens(services)
    report_pages(services)


def sign_in_screen(services: Services) -> None:
    """What the app opens at: the sign-in screen, the last person's username filled in."""
    from auditor.ui.shell.sign_in import SignInDialog

    dialog = SignInDialog(services, "tm.walsh")
    dialog.show()
    save(dialog, "sign_in")
    dialog.close()


def administration(services: Services, audit_id: int) -> None:
    """The administrator's people, sign-ins and roles, and the access log as a QA lead reads it, after
    a few people have looked at an audit (its 'Who looked at this' tab)."""
    from auditor.ui.admin import admin_screens

    window = MainWindow(services, who(services, DEMO_ADMIN), SyncRunner())
    window.resize(1400, 900)
    window.show()
    screens = admin_screens(window)
    assert screens is not None, "the administrator has an Administration menu"
    for key, name in (
        ("people", "admin_people"),
        ("accounts", "admin_sign_ins"),
        ("roles", "admin_roles"),
    ):
        screens.show_screen(key)
        save(window, name)
    window.close()
    qa = who(services, "ap.brennan")
    for reader in (READER, "ap.brennan"):
        services.views.detail(audit_id, who=who(services, reader))
    window = MainWindow(services, qa, SyncRunner())
    window.resize(1400, 900)
    window.show()
    screens = admin_screens(window)
    assert screens is not None, "QA reads the access log"
    screens.show_screen("log")
    save(window, "access_log")
    window.close()


def practice_weeks(services) -> None:
    """The QA lead's view of the practice week under way: the plan, then progress and summary."""
    window = MainWindow(services, who(services, "ap.brennan"), SyncRunner())
    window.resize(1400, 900)
    window.show()
    window.tabs.setCurrentWidget(window.weeks)
    save(window, "practice_week_plan")
    window.weeks.tabs.setCurrentWidget(window.weeks.progress)
    save(window, "practice_week_progress")
    window.close()
    observation_and_dip(services)


def observation_and_dip(services) -> None:
    """A senior manager's observation being typed up, and a dip sample half-way through."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    from auditor.domain.activities import ActivityKind
    from auditor.domain.grades import Grade

    reader = who(services, READER)
    week = next(w for w in services.weeks.weeks(who=reader) if w.status.value == "running")
    item = next(
        a
        for a in services.weeks.week(week.id, who=reader).allocations
        if not a.done and a.kind is ActivityKind.OBSERVATION
    )
    observer = who(services, item.person_username)
    _, audit_id = services.weeks.start_allocation(item.id, by=observer)
    window = MainWindow(services, observer, SyncRunner())
    window.resize(1400, 900)
    window.show()
    editor = window.open_audit(audit_id)
    view = next(iter(editor.part_editors.values())).view
    view.set_values(
        {
            **view.values(),
            "setting_notes": "Planned supervision, a week after the child protection conference.",
            "people_present": [
                {
                    "who": "Social worker",
                    "category": "professional",
                    "said": "I am worried the plan is not changing anything for the baby.",
                },
                {
                    "who": "Team manager (observed)",
                    "category": "professional",
                    "said": "Let's look at what the health visitor told us last week.",
                },
            ],
            "strengths": "Reflective, curious about the family's history; clear next steps agreed.",
        }
    )
    save(window, "observation_form")
    window.close()
    dipper = who(services, "hos.iqbal")
    window = MainWindow(services, dipper, SyncRunner())
    window.resize(1400, 900)
    window.show()
    page = window.open_dip_session(services.dips.start_session("dip_statutory_visits", by=dipper))
    for ref, yes_no, grade in (
        ("CF-10510", Qt.Key.Key_Y, Grade.GOOD),
        ("CF-10637", Qt.Key.Key_N, Grade.REQUIRES_IMPROVEMENT),
        ("CF-10713", Qt.Key.Key_Y, None),
    ):
        page.case.setText(ref)
        page._on_case_entered()
        QTest.keyClick(page.grid, yes_no)
        if grade is not None:
            row = page.grid.currentIndex().row()
            page.model.set_grade(row, grade)
            page.model.setData(
                page.model.index(row, page.model.col_why),
                "Visits on time, child seen alone."
                if grade is Grade.GOOD
                else "Two visits late; not seen alone in October.",
            )
    save(window, "dip_grid")
    window.close()
    window = MainWindow(services, who(services, "ap.brennan"), SyncRunner())
    window.resize(1400, 900)
    window.show()
    window.tabs.setCurrentWidget(window.sampling)
    page = window.sampling
    page.theme.setCurrentIndex(page.theme.findData("domestic_abuse"))
    page.exclude.setValue(6)
    page.size_box.setValue(10)
    page.seed.setValue(2027)
    page.propose()
    save(window, "case_sampler")
    window.close()


def report_screens(services) -> None:
    """The Reports screen with a QA report previewed, and the moderation dashboard."""
    window = MainWindow(services, who(services, "psw.fraser"), SyncRunner())
    window.resize(1400, 900)
    window.show()
    window.tabs.setCurrentWidget(window.reports)
    window.reports.period.preset.setCurrentIndex(0)  # this financial year
    window.reports.preview_button.click()
    save(window, "reports")
    window.tabs.setCurrentWidget(window.moderation)
    window.moderation.period.preset.setCurrentIndex(2)  # the last 12 months
    window.moderation.tabs.setCurrentIndex(2)  # by first-line auditor
    save(window, "moderation")
    window.tabs.setCurrentWidget(window.home)
    window.close()


#: name, window size (a maximised window above a 40 px task bar), text size factor
SMALL_SCREENS = [("1366x768", (1366, 728), 1.0), ("text200", (1920, 1040), 2.0)]


def small_screens(services) -> None:
    """The main pages in a maximised window on a 1366×768 laptop, and with the text at 200 % on
    a 1920×1080 screen: small_<page>_<variant>.png."""
    from PySide6.QtGui import QFont

    app = QApplication.instance()
    usual = QFont(app.font())
    [second] = rows(services, AuditState.SECOND_AUDIT, limit=1)
    second_by = second_auditor_of(services, second.id)
    for variant, (width, height), factor in SMALL_SCREENS:
        font = QFont(usual)
        font.setPointSizeF(usual.pointSizeF() * factor)
        app.setFont(font)
        window = MainWindow(services, who(services, second_by), SyncRunner())
        window.resize(width, height)
        window.show()
        save(window, f"small_home_{variant}")
        window.tabs.setCurrentWidget(window.audits)
        save(window, f"small_audit_list_{variant}")
        window.open_audit(second.id)
        save(window, f"small_audit_editor_{variant}")
        window.close()
        window = MainWindow(services, who(services, "psw.fraser"), SyncRunner())
        window.resize(width, height)
        window.show()
        window.go_to(window.reports)
        window.reports.period.preset.setCurrentIndex(0)
        window.reports.preview_button.click()
        save(window, f"small_reports_{variant}")
        window.go_to(window.weeks)
        save(window, f"small_practice_week_{variant}")
        window.go_to(window.moderation)
        save(window, f"small_moderation_{variant}")
        window.go_to(window.sampling)
        save(window, f"small_case_sampler_{variant}")
        window.close()
        dipper = who(services, "hos.iqbal")
        window = MainWindow(services, dipper, SyncRunner())
        window.resize(width, height)
        window.show()
        window.open_dip_session(services.dips.start_session("dip_statutory_visits", by=dipper))
        save(window, f"small_dip_grid_{variant}")
        window.close()
        set_up_wizard(width, height, variant)
    app.setFont(usual)


def set_up_wizard(width: int, height: int, variant: str) -> None:
    """The first run on a new, empty database: the set-up wizard's steps (small_setup_*)."""
    from auditor.domain.reference import Role
    from auditor.ui.setup.wizard import SetupWizard

    empty = open_services(Path(tempfile.mkdtemp()) / "auditor.db", create=True)
    wizard = SetupWizard(empty, SyncRunner())
    wizard.resize(width, height)
    wizard.show()
    save(wizard, f"small_setup_welcome_{variant}")
    admin = empty.setup.create_first_administrator(
        "pat.admin", "Pat Admin", [Role.PRINCIPAL_SOCIAL_WORKER], password=DEMO_PASSWORD
    )
    # as when the administrator page has made them: the later steps are done as them
    wizard.admin._made((empty.directory.person("pat.admin", who=admin), admin))
    empty.directory.add_team("North", "Strengthening Families", who=admin)
    empty.directory.add_person("tm.north", "Ola Manager", [Role.TEAM_MANAGER], "North", who=admin)
    for index, name in ((1, "administrator"), (3, "people"), (4, "cases")):
        wizard.go(index)
        save(wizard, f"small_setup_{name}_{variant}")
    wizard.close()
    empty.close()


def report_pages(services) -> None:
    """Page images (pdftoppm, 60 dpi) of each kind of PDF report, made from the demo data."""
    import datetime as dt
    import shutil
    import subprocess

    from auditor.domain.activities import ActivityKind
    from auditor.domain.periods import FinancialYear

    if shutil.which("pdftoppm") is None:
        print("pdftoppm not found (install poppler-utils): PDF page images skipped")
        return
    closed = rows(services, AuditState.CLOSED)
    lead = who(services, "psw.fraser")  # may print every audit, run the QA report, see the weeks

    def first(kind):
        return next(
            r
            for r in closed
            if r.kind is kind
            and (kind is not ActivityKind.CASE_FILE_AUDIT or r.final_grade.needs_follow_up)
        )

    year = FinancialYear.of(dt.date.today())  # compared with the year before
    work = Path(tempfile.mkdtemp())
    documents = {
        "report_audit_summary": lambda p: services.reports.write_activity_pdf(
            first(ActivityKind.CASE_FILE_AUDIT).id, p, who=lead
        ),
        "report_observation": lambda p: services.reports.write_activity_pdf(
            first(ActivityKind.OBSERVATION).id, p, who=lead
        ),
        "report_dip": lambda p: services.reports.write_activity_pdf(
            first(ActivityKind.DIP_SAMPLE).id, p, who=lead
        ),
        "report_qa": lambda p: services.reports.write_qa_pdf(
            year.first_day, year.last_day, p, author="Helen Fraser", who=lead
        ),
        "report_practice_week": lambda p: services.reports.write_week_pdf(
            services.weeks.weeks(who=lead)[0].id, p, author="Zoë Brennan", who=lead
        ),
    }
    out = TARGET["out"]
    for old in out.glob("report_*.png"):
        old.unlink()
    for name, write in documents.items():
        pdf = write(work / f"{name}.pdf")
        subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out / name)], check=True)
        print(f"wrote {out / name}-*.png")


if __name__ == "__main__":
    main()
