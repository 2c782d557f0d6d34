"""Kill -9 while typing: what was autosaved is there when the app starts again.

The app runs in a real child process (offscreen), with the real background saver; the test kills it
with SIGKILL, then a second process opens the same audit and reports what its editor shows.
"""

import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from tests.builders import run_to

ROOT = Path(__file__).resolve().parents[3]

TYPE_THEN_WAIT = """
import sys, time
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from auditor.domain.workflow import Part
from auditor.services import open_services
from auditor.ui.shell.app import make_application
from auditor.ui.shell.background import BackgroundRunner
from auditor.ui.shell.main_window import MainWindow

db, audit_id, user, first, second = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
app = make_application(sys.argv[:1])
services = open_services(db)
window = MainWindow(services, services.directory.person(user), BackgroundRunner())
window.show()
editor = window.open_audit(audit_id)
while not editor.is_loaded:         # the audit is fetched in the background
    app.processEvents()
    time.sleep(0.01)
box = editor.part_editors[Part.SELF_REVIEW].view.rows["strengths"].editor.edit
box.setFocus()
QTest.keyClicks(box, first)
deadline = time.time() + 10
while not editor.save_label.text().startswith("Saved") and time.time() < deadline:
    app.processEvents()
    time.sleep(0.01)
print("SAVED" if editor.save_label.text().startswith("Saved") else "TIMEOUT", flush=True)
QTest.keyClicks(box, second)       # typed after the last autosave: may be lost
print("TYPED-MORE", flush=True)
while True:                         # keep running until killed
    app.processEvents()
    time.sleep(0.01)
"""

READ_BACK = """
import json, sys, time
from auditor.domain.workflow import Part
from auditor.services import open_services
from auditor.ui.shell.app import make_application
from auditor.ui.shell.background import BackgroundRunner
from auditor.ui.shell.main_window import MainWindow

db, audit_id, user = sys.argv[1], int(sys.argv[2]), sys.argv[3]
app = make_application(sys.argv[:1])
services = open_services(db)
window = MainWindow(services, services.directory.person(user), BackgroundRunner())
editor = window.open_audit(audit_id)
while not editor.is_loaded:
    app.processEvents()
    time.sleep(0.01)
print(json.dumps(editor.part_editors[Part.SELF_REVIEW].view.values()))
"""


def child_env():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return env


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def lines_within(stream: IO[str], n: int, *, seconds: float) -> list[str]:
    """Up to ``n`` lines the child prints within ``seconds``: a child that hangs fails the test
    (with what it said so far) instead of blocking the run on ``readline``."""
    found: queue.Queue[str] = queue.Queue()

    def read() -> None:
        for _ in range(n):
            found.put(stream.readline().strip())

    threading.Thread(target=read, daemon=True).start()
    deadline, lines = time.monotonic() + seconds, []
    while len(lines) < n:
        try:
            lines.append(found.get(timeout=max(0.0, deadline - time.monotonic())))
        except queue.Empty:
            break
    return lines


def test_killing_the_app_keeps_the_autosaved_draft(services, org, db_path):
    audit_id = run_to(services, org, "self_review")
    services.close()
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            TYPE_THEN_WAIT,
            str(db_path),
            str(audit_id),
            org.worker,
            "Visits are regular and Jay trusts me",
            " and more typed just before the crash",
        ],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        try:
            said = lines_within(child.stdout, 2, seconds=90)
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
        assert said == ["SAVED", "TYPED-MORE"], child.stderr.read()
    assert child.returncode == -signal.SIGKILL

    again = subprocess.run(
        [sys.executable, "-c", READ_BACK, str(db_path), str(audit_id), org.worker],
        cwd=ROOT,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert again.returncode == 0, again.stderr
    shown = json.loads(again.stdout.strip().splitlines()[-1])
    assert shown["strengths"].startswith("Visits are regular and Jay trusts me")
