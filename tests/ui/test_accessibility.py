"""The accessibility walk: the main window on the demo database, every page, an audit of each kind,
a dip sample and every dialog the menus and buttons open. On each, every input a person can use
must have a name a screen reader can say (its accessible name, a label that is its buddy, or a
button's words) and pressing Tab from the first input must reach every input.

Colours are checked in ``tests/ui/shell/test_contrast.py``.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QCalendarWidget,
    QCheckBox,
    QComboBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from auditor.domain.activities import ActivityKind
from auditor.domain.workflow import AuditState
from auditor.services.container import Services
from auditor.ui.shell import contrast, look
from auditor.ui.shell.background import SyncRunner
from auditor.ui.shell.main_window import MainWindow
from auditor.ui.shell.restore_dialog import RestoreDialog

INPUTS = (
    QLineEdit,
    QTextEdit,
    QPlainTextEdit,
    QComboBox,
    QAbstractSpinBox,
    QCheckBox,
    QRadioButton,
    QAbstractItemView,
    QPushButton,
)
#: Inputs that are parts of another input (a spin box's line edit, a combo's list, a calendar).
COMPOUND = (QAbstractSpinBox, QComboBox, QAbstractItemView, QCalendarWidget)
USER = "psw.fraser"  # a principal social worker: plans weeks, sees reports and moderation


@dataclass
class Findings:
    checked: int = 0
    unnamed: list[str] = field(default_factory=list)
    unreached: list[str] = field(default_factory=list)
    low_contrast: list[str] = field(default_factory=list)
    tab_kept: list[str] = field(default_factory=list)  # item views that take Tab cell by cell


def describe(widget: QWidget) -> str:
    words = widget.accessibleName() or getattr(widget, "text", lambda: "")() or ""
    return f"{type(widget).__name__}({widget.objectName() or words[:30]!r})"


def _inside_another_input(widget: QWidget, root: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, COMPOUND):
            return True
        parent = parent.parentWidget()
    return False


def inputs_of(root: QWidget) -> list[QWidget]:
    """The inputs a person can use now: visible, enabled, not a part of another input."""
    return [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, INPUTS)
        and not isinstance(w, QHeaderView)
        and w.isVisible()
        and w.isEnabled()
        and not _inside_another_input(w, root)
    ]


def spoken_name(widget: QWidget, buddies: dict[int, QLabel]) -> str:
    """What a screen reader says for the widget: its accessible name, else its label's words,
    else a button's words. A drop-down is the exception: on Linux Qt gives it its current value
    as its name and ignores setAccessibleName, so a screen reader names it only by the label tied
    to it (a buddy label, which AT-SPI reports as "labelled by")."""
    label = buddies.get(id(widget))
    if isinstance(widget, QComboBox):  # only a label whose buddy is the box itself is heard
        return re.sub(r"<[^>]+>", "", label.text()).replace("&", "").strip() if label else ""
    name = widget.accessibleName().strip()
    if not name and label is not None:
        name = re.sub(r"<[^>]+>", "", label.text()).replace("&", "").strip()
    if not name and isinstance(widget, QAbstractButton):
        name = widget.text().replace("&", "").strip()
    return name


def owner(widget: QWidget | None, inputs: set[int], root: QWidget) -> QWidget | None:
    """The input that has the focus when ``widget`` (perhaps a part of it) has it."""
    found = None
    while widget is not None and widget is not root:
        if id(widget) in inputs:
            found = widget  # keep climbing: a spin box's line edit belongs to the spin box
        widget = widget.parentWidget()
    return found


def tab_through(qtbot, root: QWidget, inputs: list[QWidget]) -> set[int]:
    """Press Tab from the first input, as a person would, and record which inputs get the
    focus; a few presses more than there are inputs is enough for a walkable screen."""
    ids = {id(w) for w in inputs}
    tab = Qt.FocusPolicy.TabFocus
    first = next((w for w in _focus_chain(root) if id(w) in ids and w.focusPolicy() & tab), None)
    if first is None:
        return set()
    first.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is not None, timeout=2000)
    reached: set[int] = set()
    for _ in range(len(inputs) * 2 + 10):
        focused = QApplication.focusWidget()
        if focused is None or focused.window() is not root.window():
            break
        current = owner(focused, ids, root)
        if current is not None:
            reached.add(id(current))
        if reached == ids:
            break
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    return reached


def _focus_chain(root: QWidget) -> Iterator[QWidget]:
    widget = root.nextInFocusChain()
    seen = 0
    while widget is not None and widget is not root and seen < 5000:
        yield widget
        widget = widget.nextInFocusChain()
        seen += 1


def check(qtbot, root: QWidget) -> Findings:
    """Names and Tab order of every input now shown in ``root`` (a window or a dialog)."""
    inputs = inputs_of(root)
    buddies = {
        id(label.buddy()): label for label in root.findChildren(QLabel) if label.buddy() is not None
    }
    findings = Findings(checked=len(inputs))
    findings.low_contrast = low_contrast(root)
    findings.unnamed = [describe(w) for w in inputs if not spoken_name(w, buddies)]
    # Qt's item views move cell by cell on Tab unless told not to: with many rows a keyboard user
    # would press Tab once per cell to get past a table. The arrows move inside; Tab leaves.
    findings.tab_kept = [
        describe(w) for w in inputs if isinstance(w, QAbstractItemView) and w.tabKeyNavigation()
    ]
    reached = tab_through(qtbot, root, inputs)
    groups = radio_groups(inputs)
    findings.unreached = [
        describe(w)
        for w in inputs
        if id(w) not in reached and not any(id(r) in reached for r in groups.get(id(w), []))
    ]
    return findings


def low_contrast(root: QWidget) -> list[str]:
    """Widgets whose own palette draws their text below 4.5:1 on their background."""
    low = []
    for w in root.findChildren(QWidget):
        if not w.isVisible() or not isinstance(w, (QLabel, *INPUTS)):
            continue
        group = QPalette.ColorGroup.Active if w.isEnabled() else QPalette.ColorGroup.Disabled
        text, background = _pair_of(w)
        fg, bg = w.palette().color(group, text), w.palette().color(group, background)
        value = contrast.ratio(fg.name(), bg.name())
        if fg.alpha() == 255 and value < contrast.TEXT_MINIMUM:
            low.append(f"{describe(w)} {fg.name()} on {bg.name()}: {value:.2f}:1")
    return low


def _pair_of(widget: QWidget) -> tuple[QPalette.ColorRole, QPalette.ColorRole]:
    role = QPalette.ColorRole
    if isinstance(widget, QAbstractButton):
        return role.ButtonText, role.Button
    if isinstance(widget, QLabel):
        return role.WindowText, role.Window
    return role.Text, role.Base


def radio_groups(inputs: list[QWidget]) -> dict[int, list[QRadioButton]]:
    """Each exclusive radio button's group: one Tab stop, the arrow keys move inside it (the
    desktop convention), so the group is reached when any of its buttons is."""
    by_parent: dict[int, list[QRadioButton]] = {}
    for w in inputs:
        if isinstance(w, QRadioButton) and (w.group() is not None or w.autoExclusive()):
            together = w.group() if w.group() is not None else w.parentWidget()
            key = shiboken6.getCppPointer(together)[0]  # type: ignore[arg-type]
            by_parent.setdefault(key, []).append(w)
    return {id(r): group for group in by_parent.values() for r in group}


def check_every_tab(qtbot, root: QWidget, skip: QTabWidget | None = None) -> Findings:
    """``check`` as shown, then again with each tab of each tab widget on the screen open."""
    total = check(qtbot, root)
    inner = [t for t in root.findChildren(QTabWidget) if t is not skip and t.isVisible()]
    for tabs in inner:
        for index in range(tabs.count()):
            if index == tabs.currentIndex() or not tabs.isTabEnabled(index):
                continue
            tabs.setCurrentIndex(index)
            QApplication.processEvents()
            more = check(qtbot, root)
            total.checked += more.checked
            total.unnamed += [f"{tabs.tabText(index)}: {w}" for w in more.unnamed]
            total.unreached += [f"{tabs.tabText(index)}: {w}" for w in more.unreached]
            total.low_contrast += [f"{tabs.tabText(index)}: {w}" for w in more.low_contrast]
            total.tab_kept += [f"{tabs.tabText(index)}: {w}" for w in more.tab_kept]
    return total


# ---------------------------------------------------------------------------------- the window
def qtbot_app() -> QApplication:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    return app


@pytest.fixture
def open_window(qtbot, demo_services: Services, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)
    look.set_up_application(qtbot_app())

    def opened(username: str = USER) -> MainWindow:
        person = demo_services.accounts.principal_of(username)
        win = MainWindow(demo_services, person, SyncRunner())
        qtbot.addWidget(win)
        win.resize(1366, 768)
        win.show()
        win.activateWindow()
        qtbot.waitExposed(win)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=3000)
        return win

    return opened


@pytest.fixture
def window(open_window) -> MainWindow:
    return open_window()


def _audit(path: Path, state: AuditState, kind: ActivityKind, who: str) -> tuple[int, str]:
    """The first audit in this state and kind, and the username of the person it waits for."""
    with sqlite3.connect(path) as db:
        row = db.execute(
            f"SELECT audit.id, person.username FROM audit JOIN person ON person.id = audit.{who} "
            "WHERE audit.state = ? AND audit.kind = ? ORDER BY audit.id LIMIT 1",
            (state.value, kind.value),
        ).fetchone()
    assert row is not None, (state, kind)
    return int(row[0]), str(row[1])


PAGES: dict[str, Callable[[MainWindow], object]] = {
    "home": lambda w: w.tabs.setCurrentWidget(w.home),
    "all audits": lambda w: w.tabs.setCurrentWidget(w.audits),
    "practice weeks": lambda w: w.go_to_page("weeks"),
    "reports": lambda w: w.go_to_page("reports"),
    "moderation": lambda w: w.go_to_page("moderation"),
    "case samples": lambda w: w.go_to_page("sampling"),
    "dip sample": lambda w: w.open_dip_session(w.services.dips.sessions(who=w.principal)[0].id),
}


def assert_accessible(findings: Findings, where: str) -> None:
    print(f"walk {where}: {findings.checked} inputs checked")
    assert findings.checked > 0, f"{where}: no inputs found"
    assert not findings.unnamed, f"{where}: inputs with no accessible name: {findings.unnamed}"
    assert not findings.unreached, f"{where}: Tab does not reach: {findings.unreached}"
    assert not findings.low_contrast, f"{where}: text below 4.5:1: {findings.low_contrast}"
    assert not findings.tab_kept, f"{where}: tables that keep Tab cell by cell: {findings.tab_kept}"


@pytest.mark.parametrize("page", list(PAGES))
def test_every_input_on_every_page_is_named_and_reached_by_tab(qtbot, window, page) -> None:
    PAGES[page](window)
    qtbot.waitUntil(lambda: window.tabs.currentWidget().isVisible(), timeout=3000)
    QApplication.processEvents()
    assert_accessible(check_every_tab(qtbot, window, skip=window.tabs), page)


def test_an_open_dip_sample_is_named_and_reached_by_tab(qtbot, window, demo_services) -> None:
    form_id = demo_services.dips.forms_available()[0][0]
    page = window.open_dip_session(demo_services.dips.start_session(form_id, by=window.principal))
    with sqlite3.connect(demo_services.path) as db:
        references = [r for (r,) in db.execute("SELECT reference FROM case_file LIMIT 4")]
    for reference in references:  # typed as a person adds cases
        page.case.setFocus()
        qtbot.keyClicks(page.case, reference)
        qtbot.keyClick(page.case, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: page.grid.model() is not None, timeout=3000)
    qtbot.waitUntil(lambda: page.grid.model().rowCount() == len(references), timeout=3000)
    assert_accessible(check_every_tab(qtbot, window, skip=window.tabs), "open dip sample")


#: (state, kind, whose turn it is): each editor opened by the person who writes in it.
EDITORS = {
    "self-review": (AuditState.SELF_REVIEW, ActivityKind.CASE_FILE_AUDIT, "worker_id"),
    "first audit": (AuditState.FIRST_AUDIT, ActivityKind.CASE_FILE_AUDIT, "worker_line_manager_id"),
    "second audit": (AuditState.SECOND_AUDIT, ActivityKind.CASE_FILE_AUDIT, "second_auditor_id"),
    "reconciliation": (
        AuditState.RECONCILIATION,
        ActivityKind.CASE_FILE_AUDIT,
        "second_auditor_id",
    ),
    "closed audit": (AuditState.CLOSED, ActivityKind.CASE_FILE_AUDIT, "second_auditor_id"),
    "observation": (AuditState.CLOSED, ActivityKind.OBSERVATION, "first_auditor_id"),
}


def _open_editor(qtbot, open_window, services: Services, editor: str) -> MainWindow:
    audit_id, username = _audit(services.path, *EDITORS[editor])
    window = open_window(username)
    page = window.open_audit(audit_id)
    qtbot.waitUntil(lambda: page.isVisible() and page.detail is not None, timeout=5000)
    QApplication.processEvents()
    return window


@pytest.mark.parametrize("editor", list(EDITORS))
def test_every_input_of_an_audit_has_a_name(qtbot, open_window, demo_services, editor) -> None:
    window = _open_editor(qtbot, open_window, demo_services, editor)
    findings = check_every_tab(qtbot, window, skip=window.tabs)
    assert findings.checked > 0
    assert not findings.unnamed, f"{editor}: inputs with no accessible name: {findings.unnamed}"
    assert not findings.low_contrast, f"{editor}: text below 4.5:1: {findings.low_contrast}"


@pytest.mark.parametrize("editor", list(EDITORS))
def test_tab_reaches_every_input_of_an_audit(qtbot, open_window, demo_services, editor) -> None:
    window = _open_editor(qtbot, open_window, demo_services, editor)
    assert_accessible(check_every_tab(qtbot, window, skip=window.tabs), editor)


# ---------------------------------------------------------------------------------- the dialogs
def _menu_action(window: MainWindow, words: str) -> QAction:
    for menu in window.menuBar().findChildren(QMenu):
        for item in menu.actions():
            if item.text().replace("&", "").startswith(words):
                return item
    raise AssertionError(f"no menu item {words!r}")


def _on_weeks(window: MainWindow, button: str) -> None:
    """Press a button of the Practice weeks page (the week the page chose is open)."""
    window.go_to_page("weeks")
    getattr(window.weeks, button).click()


DIALOGS: dict[str, Callable[[MainWindow], object]] = {
    "new audit": lambda w: _menu_action(w, "New audit").trigger(),
    "new observation": lambda w: _menu_action(w, "New observation").trigger(),
    "dip sample": lambda w: _menu_action(w, "Dip sample").trigger(),
    # File > Restore is the administrator's; the dialog itself is what is walked here
    "restore from backup": lambda w: RestoreDialog(w.services.path, parent=w).exec(),
    "new practice week": lambda w: _on_weeks(w, "new_week"),
    "people and days": lambda w: _on_weeks(w, "days_button"),
    "add to the plan": lambda w: _on_weeks(w, "add_button"),
}


@pytest.mark.parametrize("dialog", list(DIALOGS))
def test_every_input_in_every_dialog_is_named_and_reached_by_tab(
    qtbot, window, dialog, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[Findings] = []

    def inspect(self: QDialog) -> int:
        self.show()
        self.activateWindow()
        qtbot.waitExposed(self)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is self, timeout=3000)
        seen.append(check(qtbot, self))
        self.reject()
        return 0

    monkeypatch.setattr(QDialog, "exec", inspect)
    DIALOGS[dialog](window)
    assert len(seen) == 1, f"{dialog}: the dialog did not open"
    assert_accessible(seen[0], dialog)
