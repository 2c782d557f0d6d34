"""Desktop app benchmarks (offscreen), each printed beside a baseline measured in the same run.

    .venv/bin/python benchmarks/bench_gui.py

- cold start: a new process that shows the main window (it is on screen before the database layer
  loads), then opens the database and fills in Home; each vs a new process that shows a bare PySide6
  window (targets: within 1.5x, under 1.5 s). Times run from starting the process to the moment
  the child reports;
- opening a case-file audit in the editor (target: under 150 ms), vs building a bare QWidget tab;
- All audits on a 50,000-audit database: count + first page shown (target: under 300 ms),
  vs the raw SQL for the same first page.
"""

from __future__ import annotations

import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import median_seconds, report

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent

BARE = """
import time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1280, 820); w.show(); app.processEvents()
print(time.time())
"""
# What auditor.ui.shell.app.run() does, minus the user picker (a modal dialog) and the event loop.
APP = """
import sys, time
from auditor.ui.shell.app import make_application
from auditor.ui.shell.main_window import MainWindow
app = make_application(sys.argv[:1])
w = MainWindow(); w.show(); app.processEvents()
print(time.time())
from auditor.services import open_services
from auditor.ui.shell.background import BackgroundRunner
services = open_services(sys.argv[1], daily_backup=False)
w.attach(services, services.directory.person(sys.argv[2]), BackgroundRunner())
app.processEvents()
print(time.time())
"""


def run_process(code: str, *args: str) -> list[float]:
    """Seconds from starting the process to each time it printed."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
    start = time.time()
    out = subprocess.run(
        [sys.executable, "-c", code, *args],
        check=True,
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    return [float(line) - start for line in out.split()]


def median_of(samples: list[list[float]], index: int) -> float:
    return statistics.median(s[index] for s in samples)


def main() -> None:
    from bench_engine import build
    from PySide6.QtWidgets import QWidget

    from auditor.domain.workflow import AuditState, Part
    from auditor.services import open_services
    from auditor.services.audits.views import AuditFilter
    from auditor.services.demo.build import build_demo
    from auditor.ui.audits.audit_list import AuditListPage
    from auditor.ui.shell.app import make_application
    from auditor.ui.shell.background import SyncRunner
    from auditor.ui.shell.main_window import MainWindow

    folder = Path(tempfile.mkdtemp(prefix="auditor-gui-bench-"))
    demo = folder / "demo.db"
    services = open_services(demo, create=True)
    build_demo(services)
    user = "tm.walsh"

    run_process(APP, str(demo), user)  # warm the file cache once, like any second start
    app_runs = [run_process(APP, str(demo), user) for _ in range(15)]
    bare = median_of([run_process(BARE) for _ in range(15)], 0)
    report(
        "cold start to main window shown",
        median_of(app_runs, 0),
        "bare PySide6 window",
        bare,
        "< 1500 ms, < 1.5x",
    )
    report(
        "cold start to Home filled in",
        median_of(app_runs, 1),
        "bare PySide6 window",
        bare,
        "< 1500 ms",
    )

    app = make_application(sys.argv[:1])
    [audit] = services.views.rows(AuditFilter(states=(AuditState.SECOND_AUDIT,)), limit=1)
    auditor = next(
        p.username
        for p in services.directory.people()  # writes the biggest form
        if services.audits.writable_parts(audit.id, p.username) == [Part.SECOND_AUDIT]
    )
    window = MainWindow(services, services.directory.person(auditor), SyncRunner())
    window.show()

    def open_and_close() -> None:
        editor = window.open_audit(audit.id)
        app.processEvents()
        window._on_tab_close_requested(window.tabs.indexOf(editor))

    def bare_tab() -> None:
        tab = QWidget()
        window.tabs.addTab(tab, "x")
        app.processEvents()
        window.tabs.removeTab(window.tabs.indexOf(tab))

    editor = median_seconds(open_and_close, 15)
    bare = median_seconds(bare_tab, 15)
    report("open a case-file audit (second auditor)", editor, "bare tab", bare, "< 150 ms")
    window.close()

    big = folder / "big.db"
    build(big, 50_000)
    big_services = open_services(big, daily_backup=False)
    page = AuditListPage(big_services)
    page.resize(1400, 800)
    page.show()

    def first_page() -> None:
        page.refresh()
        app.processEvents()

    def raw_page() -> None:
        with sqlite3.connect(big) as conn:
            conn.execute("SELECT count(*) FROM audit").fetchone()
            conn.execute("SELECT * FROM audit ORDER BY id DESC LIMIT 200").fetchall()

    shown = median_seconds(first_page, 11)
    raw = median_seconds(raw_page, 11)
    assert page.model.total == 50_000
    report("All audits, 50,000: first page shown", shown, "raw SQL first page", raw, "< 300 ms")


if __name__ == "__main__":
    main()
