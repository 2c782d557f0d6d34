"""Small screens: every page of the main window fits and nothing on it is cut off at 1366×768 (a
maximised window above a 40 px task bar), at 1280×720 with 125 % scaling (1024×576 logical) and
with the text twice its usual size on a 1920×1080 screen (1920×1040 for the window).

"Cut off" is measured, not looked at: after scrolling it into view (as a person would), each
button, input and marked control must lie wholly inside the window and inside every widget it is
drawn in, and be at least as wide as it needs to be to show itself."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QTabBar,
    QWidget,
)

from auditor.domain.permissions import NotPermitted
from auditor.domain.workflow import AuditState, Part
from auditor.services import Services
from auditor.services.audits.views import AuditFilter
from auditor.ui.audits.audit_editor import SENSITIVITY
from auditor.ui.practice.dip_session_page import DipSessionPage
from auditor.ui.shell.background import SyncRunner
from auditor.ui.shell.main_window import MainWindow
from tests.builders import who

#: (name, window width, window height, text size factor)
SCREENS = [
    ("1366x768", 1366, 728, 1.0),
    ("1280x720 at 125%", 1024, 576, 1.0),
    ("1920x1080, text 200%", 1920, 1040, 2.0),
]
PAGES = ["home", "audits", "editor", "weeks", "dip", "reports", "moderation", "sampling"]
INPUTS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox)


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)


@pytest.fixture
def text_size(qapp: QApplication) -> Iterator[Callable[[float], None]]:
    usual = QFont(qapp.font())

    def scale(factor: float) -> None:
        font = QFont(usual)
        font.setPointSizeF(usual.pointSizeF() * factor)
        qapp.setFont(font)

    yield scale
    qapp.setFont(usual)


#: the demo's principal social worker: reads every team's work
LEAD = "psw.fraser"


def _second_audit(services: Services) -> int:
    [audit] = services.views.rows(
        AuditFilter(states=(AuditState.SECOND_AUDIT,)), who=who(services, LEAD), limit=1
    )
    return audit.id


def _user(services: Services, page: str) -> str:
    """The QA lead, or for the editor the person whose second audit it is (a part to write)."""
    if page == "dip":
        return "hos.iqbal"  # whose dip sample it is
    if page != "editor":
        return "psw.fraser"
    audit_id = _second_audit(services)

    def writes_the_second_audit(username: str) -> bool:
        try:
            parts = services.audits.writable_parts(audit_id, who(services, username))
        except NotPermitted:  # not someone who may see it at all
            return False
        return parts == [Part.SECOND_AUDIT]

    return next(
        p.username
        for p in services.directory.people(who=who(services, LEAD))
        if writes_the_second_audit(p.username)
    )


def _open(window: MainWindow, services: Services, page: str) -> list[QWidget]:
    """Show the page; return the controls on it that must never be out of reach."""
    if page == "editor":
        editor = window.open_audit(_second_audit(services))
        marking = next(w for w in editor.findChildren(QLabel) if w.text() == SENSITIVITY)
        submits = [e.submit_button for e in editor.part_editors.values()]
        assert submits, "the demo audit should have a part to write"
        return [editor.pdf_button, marking, editor.save_label, *submits]
    if page == "dip":
        dip = window.open_dip_session(
            services.dips.start_session("dip_statutory_visits", by=who(services, "hos.iqbal"))
        )
        assert isinstance(dip, DipSessionPage)
        return [dip.case, dip.finish_button, dip.remove_button]
    if page == "reports":
        reports = window.reports
        window.go_to(reports)
        return [reports.save_button, reports.preview_button, reports.marking, reports.status]
    target = {"home": window.home, "audits": window.audits}.get(page)
    window.go_to(target if target is not None else getattr(window, page))
    return []


def _rect_in(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def _cut_off(widget: QWidget, window: QWidget) -> str | None:
    """Why the widget cannot be seen whole once scrolled to, or None if it can."""
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        content = parent.widget() if isinstance(parent, QScrollArea) else None
        if isinstance(parent, QScrollArea) and content is not None:
            # ensureWidgetVisible shows only the text cursor of an input: scroll to all of it
            centre = widget.mapTo(content, widget.rect().center())
            half = widget.size() / 2
            parent.ensureVisible(centre.x(), centre.y(), half.width() + 1, half.height() + 1)
        parent = parent.parentWidget()
    QApplication.processEvents()
    name = widget.accessibleName() or getattr(widget, "text", lambda: "")() or type(widget).__name__
    where = _rect_in(widget, window)
    if not window.rect().contains(where):
        return f"{name!r} at {where.getRect()} is outside the window {window.size().toTuple()}"
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if not _rect_in(parent, window).contains(where):
            return (
                f"{name!r} at {where.getRect()} is cut off by {type(parent).__name__} "
                f"{parent.objectName()} at {_rect_in(parent, window).getRect()}"
            )
        parent = parent.parentWidget()
    if not isinstance(widget, QLabel) and widget.width() < widget.minimumSizeHint().width():
        return f"{name!r} is {widget.width()} px wide, needs {widget.minimumSizeHint().width()}"
    return None


def _controls_on(page: QWidget) -> list[QWidget]:
    """The visible buttons and inputs of the page, leaving out the tab bars' own buttons and
    the editors inside tables."""

    def inside(widget: QWidget, kind: type) -> bool:
        parent = widget.parentWidget()
        while parent is not None and parent is not page:
            if isinstance(parent, kind):
                return True
            parent = parent.parentWidget()
        return False

    return [
        w
        for w in page.findChildren(QWidget)
        if isinstance(w, INPUTS)
        and w.isVisible()
        and not inside(w, QTabBar)
        and not inside(w, QAbstractItemView)
        and not isinstance(w.parentWidget(), QAbstractSpinBox | QComboBox)
    ]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("screen", "width", "height", "factor"), SCREENS, ids=str)
def test_every_page_fits_and_nothing_is_cut_off(
    qtbot, demo_services, text_size, screen, width, height, factor, page
):
    text_size(factor)
    window = MainWindow(demo_services, who(demo_services, _user(demo_services, page)), SyncRunner())
    qtbot.addWidget(window)
    window.resize(width, height)
    window.show()
    important = _open(window, demo_services, page)
    QApplication.processEvents()
    needs = window.minimumSizeHint()
    assert needs.width() <= width and needs.height() <= height, (
        f"{page} at {screen} needs {needs.width()}×{needs.height()}"
    )
    assert window.width() <= width and window.height() <= height
    current = window.current_page()
    for widget in important:
        assert widget.isVisible(), f"{page} at {screen}: {widget.accessibleName()!r} is hidden"
    problems = [p for w in (*important, *_controls_on(current)) if (p := _cut_off(w, window))]
    assert not problems, f"{page} at {screen}: " + "; ".join(dict.fromkeys(problems))


def _dialogs(services: Services) -> dict[str, QWidget]:
    from auditor.ui.audits.new_audit_dialog import NewAuditDialog
    from auditor.ui.audits.new_observation_dialog import NewObservationDialog
    from auditor.ui.practice.new_dip_dialog import NewDipDialog
    from auditor.ui.practice.week_dialogs import AllocationDialog, DaysDialog, NewWeekDialog
    from auditor.ui.shell.restore_dialog import RestoreDialog

    lead = who(services, "psw.fraser")
    week = services.weeks.week(services.weeks.weeks(who=lead)[0].id, who=lead)
    return {
        "new audit": NewAuditDialog(services, lead),
        "new observation": NewObservationDialog(services, lead),
        "new dip sample": NewDipDialog(services, lead),
        "new practice week": NewWeekDialog(services, lead),
        "people and days": DaysDialog(services, lead, week),
        "add to the plan": AllocationDialog(services, lead, week),
        "restore": RestoreDialog(services.path),
    }


@pytest.mark.parametrize(("screen", "width", "height", "factor"), SCREENS, ids=str)
def test_every_dialog_fits_on_the_screen(
    qtbot, demo_services, text_size, screen, width, height, factor
):
    text_size(factor)
    for name, dialog in _dialogs(demo_services).items():
        qtbot.addWidget(dialog)
        dialog.show()
        QApplication.processEvents()
        needs = dialog.minimumSizeHint()
        assert needs.width() <= width and needs.height() <= height, (
            f"the {name} dialog at {screen} needs {needs.width()}×{needs.height()}"
        )
        problems = [p for w in _controls_on(dialog) if (p := _cut_off(w, dialog))]
        assert not problems, f"the {name} dialog at {screen}: " + "; ".join(problems)
        dialog.close()


def _one_of_each_role(services: Services) -> dict[str, str]:
    """A demo person for each role (their first role), by role."""
    people: dict[str, str] = {}
    for p in services.directory.people(who=who(services, LEAD)):
        for role in p.roles:
            people.setdefault(role.value, p.username)
    return people


@pytest.mark.parametrize(("screen", "width", "height", "factor"), [SCREENS[0], SCREENS[2]])
def test_every_page_fits_whoever_signs_in(
    qtbot, demo_services, text_size, screen, width, height, factor
):
    """A page that refuses someone says why in a sentence: it must wrap, not widen the window
    (the All audits page once made an administrator's window 1442 px wide)."""
    text_size(factor)
    too_wide = []
    for role, username in sorted(_one_of_each_role(demo_services).items()):
        window = MainWindow(demo_services, who(demo_services, username), SyncRunner())
        qtbot.addWidget(window)
        window.resize(width, height)
        window.show()
        for page in ("home", "audits", "weeks", "reports", "moderation", "sampling"):
            _open(window, demo_services, page)
        QApplication.processEvents()
        needs = window.minimumSizeHint()
        if needs.width() > width or needs.height() > height:
            too_wide.append(f"{role} ({username}) needs {needs.width()}×{needs.height()}")
        window.close()
    assert not too_wide, f"at {screen}: " + "; ".join(too_wide)
