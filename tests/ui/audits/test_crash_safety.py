"""Kill -9 while typing: what was autosaved is there when the app starts again.

The app runs in a real child process (offscreen), with the real background saver; the test kills it
with SIGKILL, then a second process opens the same audit and reports what its editor shows.
"""

import json
import os
import queue
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO

import pytest

from auditor.domain.workflow import Part
from auditor.services import open_services
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
window = MainWindow(services, services.accounts.principal_of(user), BackgroundRunner())
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
window = MainWindow(services, services.accounts.principal_of(user), BackgroundRunner())
editor = window.open_audit(audit_id)
while not editor.is_loaded:
    app.processEvents()
    time.sleep(0.01)
print(json.dumps(editor.part_editors[Part.SELF_REVIEW].view.values()))
"""


def child_env():
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    return env


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


POSIX_ONLY = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")


@POSIX_ONLY
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


TYPE_WITHOUT_PAUSE = """
import random, sys, time
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from auditor.domain.workflow import Part
from auditor.services import open_services
from auditor.ui.shell.app import make_application
from auditor.ui.shell.background import BackgroundRunner
from auditor.ui.shell.main_window import MainWindow

db, audit_id, user, seed, text = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), sys.argv[5]
app = make_application(sys.argv[:1])
services = open_services(db)
window = MainWindow(services, services.accounts.principal_of(user), BackgroundRunner())
window.show()
editor = window.open_audit(audit_id)
rng = random.Random(seed)
typed = 0
keys = QTimer(singleShot=True)

def type_one():
    global typed
    QTest.keyClicks(box, text[typed % len(text)])
    typed += 1
    print(typed, time.monotonic(), flush=True)  # key number, when (the clock is system-wide)
    keys.start(int(rng.uniform(0.1, 0.4) * 1000))

def begin():
    global box
    if not editor.is_loaded:                    # the audit is fetched in the background
        QTimer.singleShot(10, begin)
        return
    box = editor.part_editors[Part.SELF_REVIEW].view.rows["strengths"].editor.edit
    box.setFocus()
    type_one()

keys.timeout.connect(type_one)
begin()
app.exec()                                      # types until it is killed
"""

TYPIST_TEXT = "Jay is seen alone at every visit and his wishes shape the plan. "
#: nothing typed longer ago than this before a kill may be missing from the saved draft
KILL_WINDOW_S = 2.5
TRIALS = 10


def kill_while_typing(db: Path, audit_id: int, user: str, seed: int, delay: float) -> tuple:
    """Start the app typing without pause, SIGKILL it ``delay`` s after its first key; return
    (when each key was typed, when it was killed)."""
    with subprocess.Popen(
        [
            sys.executable,
            "-c",
            TYPE_WITHOUT_PAUSE,
            str(db),
            str(audit_id),
            user,
            str(seed),
            TYPIST_TEXT,
        ],
        cwd=ROOT,
        env=child_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as child:
        lines: queue.Queue[str] = queue.Queue()
        threading.Thread(
            target=lambda: [lines.put(line) for line in child.stdout], daemon=True
        ).start()
        typed: list[float] = []
        try:
            first = lines.get(timeout=90)  # start-up, then the first key
            typed.append(float(first.split()[1]))
            kill_at = typed[0] + delay
            while (left := kill_at - time.monotonic()) > 0:
                try:
                    typed.append(float(lines.get(timeout=left).split()[1]))
                except queue.Empty:
                    break
            killed = time.monotonic()
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=10)
        assert child.returncode == -signal.SIGKILL, child.stderr.read()
    while not lines.empty():  # keys typed between the last read and the kill
        typed.append(float(lines.get().split()[1]))
    return typed, killed


@POSIX_ONLY
def test_killed_while_typing_without_pause_nothing_older_than_the_window_is_lost(
    services, org, db_path, tmp_path
):
    """A real app process types one key every 0.1-0.4 s and never pauses; SIGKILL after 3-7 s
    (seeded). Every key typed more than 2.5 s before the kill is in the saved draft."""
    audit_id = run_to(services, org, "self_review")
    services.close()
    rng = random.Random(1010)
    report = []
    for trial in range(TRIALS):
        db = tmp_path / f"trial{trial}.db"
        shutil.copy(db_path, db)
        typed, killed = kill_while_typing(
            db, audit_id, org.worker, rng.randrange(10**6), rng.uniform(3.0, 7.0)
        )
        again = open_services(db)
        try:
            worker = again.accounts.principal_of(org.worker)
            draft = again.views.detail(audit_id, who=worker).responses.get(Part.SELF_REVIEW)
        finally:
            again.close()
        saved = draft.answers.get("strengths", "") if draft else ""
        text = "".join(TYPIST_TEXT[i % len(TYPIST_TEXT)] for i in range(len(typed)))
        due = sum(1 for t in typed if t <= killed - KILL_WINDOW_S)
        unsaved_for = killed - typed[len(saved)] if len(saved) < len(typed) else 0.0
        report.append(
            (trial, round(killed - typed[0], 1), len(typed), due, len(saved), round(unsaved_for, 2))
        )
        assert text.startswith(saved), (trial, saved)
        assert len(saved) >= len(text[:due].rstrip()), (
            "trial, seconds typed, keys typed, keys due, keys saved, oldest unsaved key's age: "
            f"{report}"
        )
    print("\nkill trials (trial, s typed, typed, due, saved, oldest unsaved age s):", report)
