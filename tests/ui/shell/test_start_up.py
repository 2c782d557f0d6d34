"""Start-up as a user meets it: the window appears, then which database, then the sign-in screen.

``run()`` is driven in-process; the modal dialogs are answered the way a person would (clicking the
demo button, typing a username and password) and the event loop returns at once.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from auditor.services.access.accounts import DEMO_PASSWORD
from auditor.ui.shell import app as app_module
from auditor.ui.shell.main_window import MainWindow
from auditor.ui.shell.sign_in import SignInDialog
from auditor.ui.shell.start_dialogs import FirstRunDialog
from tests.ui.shell.signing import answer_sign_in, cheap_default_hashing


@pytest.fixture
def started(qtbot, monkeypatch):
    """Run the app; returns (exit code, the main window) with the loop replaced by a no-op."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run() installs its own hook
    monkeypatch.setattr("auditor.logsetup.configure_logging", lambda: None)
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    cheap_default_hashing(monkeypatch)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    monkeypatch.setattr(
        QMessageBox, "information", lambda _parent, _title, text: shown.append(text) or 0
    )

    def start(db: str | None = None) -> tuple[int, MainWindow | None, list[str]]:
        before = set(QApplication.topLevelWidgets())
        code = app_module.run(db)
        windows = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w not in before
        ]
        for window in windows:
            qtbot.addWidget(window)
        return code, (windows[0] if windows else None), shown

    return start


def click_demo(dialog: FirstRunDialog) -> int:
    next(b for b in dialog.findChildren(QPushButton) if "demo" in b.text()).click()
    return dialog.result()


def test_first_run_opens_the_demo_and_asks_who_signs_in(
    started, qtbot, monkeypatch, private_folders
):
    monkeypatch.setattr(FirstRunDialog, "exec", click_demo)
    answer_sign_in(monkeypatch, "tm.walsh", DEMO_PASSWORD)
    code, window, _ = started()
    assert code == 0 and window is not None
    assert "Siobhan Walsh" in window.windowTitle() and window.opening is None
    assert window.new_action.isEnabled()
    qtbot.waitUntil(lambda: not window.home.loader.loading)  # Home fills in from the background
    assert window.home.lists["first_audits"].list.count() > 0
    store = app_module.settings()
    assert store.value("user/last") == "tm.walsh"
    assert store.value("database/last").endswith("demo.db")
    window.close()

    # Second start: the database and the username are remembered; only the password is typed.
    monkeypatch.setattr(FirstRunDialog, "exec", lambda _d: pytest.fail("asked again"))
    filled: list[str] = []

    def password_only(dialog: SignInDialog) -> int:
        filled.append(dialog.username.text())
        dialog.password.setText(DEMO_PASSWORD)
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(SignInDialog, "exec", password_only)
    code, window, _ = started()
    assert filled == ["tm.walsh"]
    assert code == 0 and "Siobhan Walsh" in window.windowTitle()
    window.close()


def test_the_window_is_on_screen_before_the_database_opens(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    assert "Opening the database" in window.opening.text()
    assert not window.new_action.isEnabled()  # nothing to act on yet


def test_giving_up_at_the_first_run_dialog_quits_quietly(started, monkeypatch):
    monkeypatch.setattr(FirstRunDialog, "exec", lambda _d: 0)
    code, window, shown = started()
    assert code == 0 and shown == [] and not window.isVisible()


def test_a_damaged_database_is_refused_with_a_plain_message(started, tmp_path):
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"this is not a database" * 100)
    code, window, shown = started(str(broken))
    assert code == 2 and not window.isVisible()
    assert shown and "Traceback" not in shown[0]
    assert broken.read_bytes() == b"this is not a database" * 100  # untouched


def answer_yes_to_create(monkeypatch, shown: list[str]) -> None:
    def answer(box: QMessageBox) -> int:
        shown.append(box.text())
        return QMessageBox.StandardButton.Yes if "Create a new" in box.text() else 0

    monkeypatch.setattr(QMessageBox, "exec", answer)


def test_an_empty_database_leads_to_the_set_up_wizard_not_a_dead_end(
    started, tmp_path, monkeypatch
):
    """It used to say "add people with the command line" and quit."""
    from auditor.ui.setup.wizard import SetupWizard

    shown: list[str] = []
    answer_yes_to_create(monkeypatch, shown)
    wizards: list[str] = []
    monkeypatch.setattr(SetupWizard, "exec", lambda w: wizards.append(w.step.text()) or 0)
    code, window, told = started(str(tmp_path / "new.db"))
    assert "There is no database at" in shown[0] and str(tmp_path / "new.db") in shown[0]
    assert wizards == ["Step 1 of 6: Set up Auditor for your organisation"]
    assert not [t for t in told if "command line" in t]
    assert code == 0 and not window.isVisible()  # set-up quit: nothing else to do
    assert (tmp_path / "new.db").is_file()


def test_a_mistyped_path_does_not_quietly_become_a_new_database(started, tmp_path):
    code, window, shown = started(str(tmp_path / "typo.db"))  # the question answered No
    assert code == 0 and not window.isVisible()
    assert "There is no database at" in shown[0]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("typo")]  # nothing made


RUN_PREVIEW_AND_QUIT = """
import sys
from auditor.services import open_services
from auditor.ui.shell.app import make_application
from auditor.ui.shell.background import BackgroundRunner
from auditor.ui.shell.main_window import MainWindow

app = make_application(sys.argv[:1])
services = open_services(sys.argv[1])
window = MainWindow(services, services.accounts.principal_of(sys.argv[2]), BackgroundRunner())
window.show()
window.go_to(window.reports)
window.reports.report.setCurrentIndex(window.reports.report.findData("qa"))
window.reports.preview_button.click()
while window.reports.running:
    app.processEvents()
print(len(window.reports.preview.pages), flush=True)
sys.stdin.readline()                # the test looks at the temp folder meanwhile
window.close()
app.processEvents()
services.close()
"""


def test_a_run_leaves_nothing_in_the_temp_folder(services, org, db_path, tmp_path):
    """Not at exit, and not while it runs either: a crash or a kill leaves nothing behind."""
    import os
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]
    services.close()
    temp = tmp_path / "temp"
    temp.mkdir()

    def ours() -> list[str]:
        return [p.name for p in temp.iterdir() if p.name.lower().startswith(("auditor", "prev"))]

    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(root), TMPDIR=str(temp))
    with subprocess.Popen(
        [sys.executable, "-c", RUN_PREVIEW_AND_QUIT, str(db_path), org.qa],
        cwd=root,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as app:
        pages = app.stdout.readline()
        running = ours()
        _out, err = app.communicate("quit\n", timeout=120)
    assert app.returncode == 0, err
    assert int(pages) >= 1  # the preview was made, through the temp folder
    assert running == [] and ours() == []


def test_the_database_opens_off_the_gui_thread(started, services, org, db_path, monkeypatch):
    """The first open of a day takes the verified copy (seconds on a large file): the window
    keeps painting meanwhile, so the opening runs on another thread."""
    import threading

    from auditor.services import container

    services.close()  # set up: the organisation has its administrator
    opened_on: list[threading.Thread] = []
    real = container.open_database

    def recording(*args, **kwargs):
        opened_on.append(threading.current_thread())
        return real(*args, **kwargs)

    monkeypatch.setattr(container, "open_database", recording)
    monkeypatch.setattr(SignInDialog, "exec", lambda _dialog: 0)
    code, _window, shown = started(str(db_path))
    assert code == 0 and shown == []
    assert len(opened_on) == 1 and opened_on[0] is not threading.main_thread()
