"""How long the window freezes: the longest gap between ticks of a 5 ms heartbeat on the GUI
thread while the app does what a person does, on any database.

    .venv/bin/python benchmarks/bench_freeze.py --db PATH [--user NAME] [--runs 5]
    .venv/bin/python benchmarks/bench_freeze.py --audits 200000   (builds, and keeps, a database)

Scenarios, each run ``--runs`` times (median printed, beside the idle event loop measured in the
same run as the baseline): opening the main window (Home and All audits filled), Home's refresh,
All audits reloaded and sorted by a column, Moderation's first show, the QA report's preview, and
an xlsx export of every audit. Target: no gap over 100 ms (a person notices about 100 ms).
``elapsed`` is how long the work took to arrive; the window stays responsive meanwhile.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from common import report

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, Qt, QTimer

TARGET_S = 0.100
HEARTBEAT_MS = 5


class Heartbeat:
    """A timer on the GUI thread; the longest gap between its ticks is the longest freeze."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.setInterval(HEARTBEAT_MS)
        self.timer.timeout.connect(self._tick)
        self.last = self.longest = 0.0

    def _tick(self) -> None:
        now = time.perf_counter()
        self.longest = max(self.longest, now - self.last)
        self.last = now

    def measure(
        self, action: Callable[[], object], finished: Callable[[], bool], timeout_s: float = 600
    ) -> tuple[float, float]:
        """(longest gap, elapsed) from running ``action`` on the GUI thread until ``finished()``."""
        loop = QEventLoop()
        poll = QTimer()
        poll.setInterval(HEARTBEAT_MS)
        started = time.perf_counter()
        deadline = started + timeout_s

        def check() -> None:
            if finished() or time.perf_counter() > deadline:
                loop.quit()

        poll.timeout.connect(check)
        self.last, self.longest = time.perf_counter(), 0.0
        self.timer.start()
        poll.start()
        QTimer.singleShot(0, action)  # inside the loop, so its own time counts as a gap
        loop.exec()
        self.timer.stop()
        poll.stop()
        self._tick()
        if time.perf_counter() > deadline:
            raise TimeoutError("the scenario did not finish")
        return self.longest, time.perf_counter() - started


def build_database(audits: int) -> Path:
    """A cached database of ``audits`` closed audits (the simple generator in bench_engine)."""
    from bench_engine import build

    path = Path(tempfile.gettempdir()) / f"auditor-freeze-{audits}.db"
    if not path.exists():
        print(f"Building {audits:,} audits in {path} …", flush=True)
        partial = path.with_suffix(".part")
        partial.unlink(missing_ok=True)
        build(partial, audits)
        partial.rename(path)
    return path


def senior_user(services) -> str:
    """The first active senior manager or QA by name (they may run every scenario: the QA report,
    the export), else the first active person. Read straight from the database: listing people
    through the services needs someone signed in already."""
    from sqlalchemy import select

    from auditor.domain.reference import Role
    from db.models import Person

    with services.db.reading() as s:
        people = list(
            s.scalars(select(Person).where(Person.active.is_(True)).order_by(Person.name))
        )
        return next(
            (p.username for p in people if any(Role(r.role).is_senior_or_qa for r in p.roles)),
            people[0].username,
        )


class Scenarios:
    """What a person does, as (name, action, finished) over one main window."""

    def __init__(self, services, username: str, folder: Path) -> None:
        from auditor.ui.shell.background import BackgroundRunner

        self.services, self.username, self.folder = services, username, folder
        #: who is signed in: the benchmark is the program's own script, so no password is asked
        self.principal = services.accounts.principal_of(username)
        self.runner = BackgroundRunner()
        self.window = None

    def open_window(self) -> tuple[Callable[[], object], Callable[[], bool]]:
        from auditor.ui.shell.main_window import MainWindow

        def action() -> None:
            if self.window is not None:
                self.window.close()
                self.window.deleteLater()
            self.window = MainWindow(self.services, self.principal, self.runner)
            self.window.resize(1400, 900)
            self.window.show()

        return (
            action,
            lambda: (
                self.window is not None
                and not (self.window.home.loader.loading or self.window.audits.model.loading)
            ),
        )

    def home(self):
        w = self.window
        return lambda: (
            w.tabs.setCurrentWidget(w.audits),
            w.tabs.setCurrentWidget(w.home),
        ), lambda: not w.home.loader.loading

    def audits_sorted(self):
        w = self.window

        def action() -> None:  # by the worker's name, the other way round each time
            w.tabs.setCurrentWidget(w.audits)
            descending = not (w.audits.model.sort_key == "worker" and w.audits.model.descending)
            w.audits.table.sortByColumn(
                5, Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            )

        return action, lambda: not w.audits.model.loading

    def moderation(self):
        w = self.window

        def action() -> None:
            w.tabs.setCurrentWidget(w.home)
            w.moderation._loaded = False  # as on its first show
            w.go_to(w.moderation)

        return action, lambda: w.moderation._loaded and not w.moderation.loader.loading

    def qa_preview(self):
        w = self.window
        page = w.reports

        def action() -> None:
            w.go_to(page)
            page.report.setCurrentIndex(page.report.findData("qa"))
            page.preview_button.click()

        return action, lambda: not page.running

    def xlsx_export(self):
        import datetime as dt

        from auditor.ui.shell import file_dialogs

        w = self.window
        page = w.reports
        target = self.folder / "all-audits.xlsx"
        file_dialogs.run_dialog = lambda _dialog: str(target)

        def action() -> None:
            w.go_to(page)
            page.report.setCurrentIndex(page.report.findData("xlsx"))
            today = dt.date.today()  # every audit of the last ten years (the longest allowed)
            page.period.set_period(dt.date(today.year - 9, 4, 1), today)
            page.save_button.click()

        return action, lambda: not page.running


SCENARIOS = ["open_window", "home", "audits_sorted", "moderation", "qa_preview", "xlsx_export"]


def measure_freezes(
    path: Path,
    user: str | None = None,
    runs: int = 5,
    export_runs: int = 1,
    only: list[str] | None = None,
) -> tuple[float, dict[str, tuple[list[float], list[float]]]]:
    """The idle loop's longest gap, and per scenario (longest gaps, elapsed times) per run, in
    seconds, on the database at ``path``. For other benchmarks to reuse (e.g. a scaling run)."""
    from PySide6.QtWidgets import QMessageBox

    from auditor.services import open_services
    from auditor.ui.shell.app import make_application

    app = make_application(sys.argv[:1])
    QMessageBox.exec = lambda box: print(f"  (message: {box.text()})") or 0  # never block
    services = open_services(path, daily_backup=False)
    out = tempfile.TemporaryDirectory(prefix="auditor-freeze-out-")
    scenarios = Scenarios(services, user or senior_user(services), Path(out.name))
    beat = Heartbeat()
    idle = statistics.median(beat.measure(lambda: None, _after(0.3))[0] for _ in range(3))
    results: dict[str, tuple[list[float], list[float]]] = {}
    for name in SCENARIOS:
        if only and name not in only and name != "open_window":  # the others need the window
            continue
        gaps, took = [], []
        for _ in range(export_runs if name == "xlsx_export" else runs):
            action, finished = getattr(scenarios, name)()
            gap, elapsed = beat.measure(action, finished)
            gaps.append(gap)
            took.append(elapsed)
        results[name] = (gaps, took)
    scenarios.window.close()
    scenarios.runner.wait()
    services.close()
    app.processEvents()
    out.cleanup()
    return idle, results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="the database to use (left unchanged)")
    parser.add_argument(
        "--audits",
        type=int,
        default=50_000,
        help="without --db: build (once) a database of this many audits",
    )
    parser.add_argument("--user", help="who signs in (default: a senior manager or QA)")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--export-runs", type=int, default=1, help="runs of the (long) xlsx export")
    parser.add_argument("--only", nargs="*", choices=SCENARIOS, help="scenarios to run")
    args = parser.parse_args()
    path = args.db or build_database(args.audits)
    from auditor.services import open_services

    with_count = open_services(path, daily_backup=False)
    user = args.user or senior_user(with_count)
    everyone = with_count.views.count(_everything(), who=with_count.accounts.principal_of(user))
    print(f"Database {path}: {everyone:,} audits that {user} may read")
    with_count.close()
    idle, results = measure_freezes(path, user, args.runs, args.export_runs, args.only)
    for name, (gaps, took) in results.items():
        report(
            f"longest freeze: {name}",
            statistics.median(gaps),
            "idle loop",
            idle,
            f"< {TARGET_S * 1000:.0f} ms",
        )
        each = " ".join(f"{g * 1000:.0f}" for g in gaps)
        print(f"{'':<44} elapsed {statistics.median(took) * 1000:8.1f} ms | each run: {each} ms")


def _everything():
    from auditor.services.audits.views import AuditFilter

    return AuditFilter()


def _after(seconds: float) -> Callable[[], bool]:
    until = time.perf_counter() + seconds
    return lambda: time.perf_counter() > until


if __name__ == "__main__":
    main()
