"""The File menu offers each person only the work their roles allow; the rest is greyed out and
says on hover who may (the services refuse it all the same)."""

from __future__ import annotations

import pytest

from auditor.ui.shell.background import SyncRunner
from auditor.ui.shell.main_window import MainWindow
from tests.builders import ADMIN, who

ITEMS = ("new_action", "observation_action", "dip_action", "restore_action")


@pytest.mark.parametrize(
    ("user", "enabled"),
    [
        ("sw.amy", set()),
        ("iro.gus", set()),
        ("tm.ben", {"new_action", "observation_action", "dip_action"}),
        ("ap.fay", {"new_action", "observation_action", "dip_action"}),
        (ADMIN, {"restore_action"}),
    ],
)
def test_each_role_sees_its_own_work_in_the_file_menu(qtbot, services, org, user, enabled):
    window = MainWindow(services, who(services, user), SyncRunner())
    qtbot.addWidget(window)
    assert window.menuBar().actions()[0].menu().toolTipsVisible()
    for name in ITEMS:
        action = getattr(window, name)
        assert action.isEnabled() == (name in enabled), name
        if name not in enabled:
            assert action.toolTip().startswith("You may not ") and "that is for" in action.toolTip()
