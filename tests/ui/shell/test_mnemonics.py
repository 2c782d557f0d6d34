"""Alt+letter must do one thing: no two mnemonics clash on any page of the main window (the menu
bar, the page tabs and the page's own buttons and labels are live at once), nor inside one menu."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from PySide6.QtWidgets import QAbstractButton, QLabel, QMenu, QMessageBox, QWidget

from auditor.ui.shell.background import SyncRunner
from auditor.ui.shell.main_window import MainWindow
from tests.builders import run_to, who

MNEMONIC = re.compile(r"&([^&\s])")


@pytest.fixture(autouse=True)
def no_modal_boxes(monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", lambda self: 0)


def mnemonic(text: str) -> str | None:
    found = MNEMONIC.search(text.replace("&&", ""))
    return found.group(1).lower() if found else None


def clashes(named: list[tuple[str, str]]) -> dict[str, list[str]]:
    letters = Counter(letter for letter, _ in named)
    return {
        letter: sorted(text for key, text in named if key == letter)
        for letter, n in letters.items()
        if n > 1
    }


def window_level(window: MainWindow) -> list[tuple[str, str]]:
    named = [(mnemonic(a.text()), a.text()) for a in window.menuBar().actions()]
    named += [
        (mnemonic(window.tabs.tabText(i)), window.tabs.tabText(i))
        for i in range(window.tabs.count())
    ]
    return [(k, t) for k, t in named if k]


def page_level(page: QWidget) -> list[tuple[str, str]]:
    named = []
    for button in page.findChildren(QAbstractButton):
        if button.isVisibleTo(page):
            named.append((mnemonic(button.text()), button.text()))
    for label in page.findChildren(QLabel):
        if label.buddy() is not None and label.isVisibleTo(page):
            named.append((mnemonic(label.text()), label.text()))
    return [(k, t) for k, t in named if k]


def test_no_alt_key_does_two_things_on_any_page(qtbot, services, org):
    audit_id = run_to(services, org, "first_audit")
    window = MainWindow(services, who(services, org.manager), SyncRunner())
    qtbot.addWidget(window)
    window.show()
    window.open_audit(audit_id)
    window.open_dip_session(
        services.dips.start_session("dip_statutory_visits", by=who(services, org.manager))
    )
    top = window_level(window)
    assert not clashes(top), clashes(top)
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        page = window.tabs.widget(i)
        found = clashes(top + page_level(page))
        assert not found, (window.tabs.tabText(i), found)
    for menu in window.menuBar().findChildren(QMenu):
        inside = [(mnemonic(a.text()), a.text()) for a in menu.actions() if mnemonic(a.text())]
        assert not clashes(inside), (menu.title(), clashes(inside))
