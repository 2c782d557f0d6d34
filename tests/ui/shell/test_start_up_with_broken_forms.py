"""A form file with a mistake makes only its own form unavailable: the app still opens, audits made
with other forms (or other versions) still open, and a form problem is never called a database
problem."""

from __future__ import annotations

import shutil
import sys

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from auditor.services import open_services
from auditor.ui.shell import app as app_module
from auditor.ui.shell.main_window import MainWindow
from auditor.ui.shell.start_dialogs import FirstRunDialog
from forms import FORMS_DIR, FORMS_ENV, FormLibrary
from tests.builders import build_org, who
from tests.ui.shell.signing import answer_sign_in, cheap_default_hashing, give_passwords


@pytest.fixture
def broken_forms(tmp_path, monkeypatch):
    """The shipped forms with a broken new version of the case-file audit, a file that is not
    YAML and a misnamed one, chosen as the app's forms folder."""
    folder = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
    audit = (folder / "case_file_audit.v1.yaml").read_text(encoding="utf-8")
    (folder / "case_file_audit.v2.yaml").write_text(
        audit.replace("version: 1", "version: 2", 1).replace("- id: planning", "- id: child_voice"),
        encoding="utf-8",
    )
    (folder / "broken.v1.yaml").write_text("id: broken\n  bad: [indent\n", encoding="utf-8")
    shutil.copy(folder / "self_review.v1.yaml", folder / "Self_Review.v1.yaml")
    monkeypatch.setenv(FORMS_ENV, str(folder))
    return folder


@pytest.fixture
def started(qtbot, monkeypatch):
    """Run the app with its event loop a no-op; message boxes are recorded (title, text)."""
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr("auditor.logsetup.configure_logging", lambda: None)
    monkeypatch.setattr(QApplication, "exec", lambda *args: 0)
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(
        QMessageBox, "exec", lambda box: shown.append((box.windowTitle(), box.text())) or 0
    )

    def start(db: str | None = None) -> tuple[int, MainWindow, list[tuple[str, str]]]:
        before = set(QApplication.topLevelWidgets())
        code = app_module.run(db)
        [window] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, MainWindow) and w not in before
        ]
        qtbot.addWidget(window)
        return code, window, shown

    return start


def test_the_app_opens_and_audits_open_with_a_broken_form_in_the_folder(
    started, broken_forms, db_path, qtbot, monkeypatch
):
    services = open_services(db_path, forms=FormLibrary(FORMS_DIR))
    org = build_org(services)  # with its administrator: set-up is done
    audit_id = services.audits.start(  # with case_file_audit v1
        org.case, by=who(services, org.manager)
    )
    give_passwords(services)
    services.close()
    cheap_default_hashing(monkeypatch)
    answer_sign_in(monkeypatch, org.manager)

    code, window, shown = started(str(db_path))
    assert code == 0 and shown == []
    assert "Ben Manager" in window.windowTitle()
    qtbot.waitUntil(lambda: not window.home.loader.loading)
    editor = window.open_audit(audit_id)
    qtbot.waitUntil(lambda: editor.detail is not None, timeout=10_000)
    assert editor.detail.form_version == 1 and shown == []
    window.close()


def test_a_form_problem_at_start_is_not_called_a_database_problem(
    started, broken_forms, monkeypatch
):
    """The demo needs the newest case-file audit, whose file has a mistake: the message says
    which file and what is wrong, under a title about forms."""

    def click_demo(dialog: FirstRunDialog) -> int:
        from PySide6.QtWidgets import QPushButton

        next(b for b in dialog.findChildren(QPushButton) if "demo" in b.text()).click()
        return dialog.result()

    monkeypatch.setattr(FirstRunDialog, "exec", click_demo)
    code, _window, shown = started()
    assert code == 2
    [(title, text)] = shown
    assert title == "A form file has a mistake"
    assert text == "case_file_audit.v2.yaml: 2 mistakes"  # listed under it, with what to do
