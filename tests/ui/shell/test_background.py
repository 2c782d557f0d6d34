"""The operation helper: work on the thread pool, answers on the GUI thread, only the newest one
shown, nothing for a widget that has gone, errors where they were always shown."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtWidgets import QMessageBox, QWidget

from auditor.domain.errors import StorageError
from auditor.ui.audits.audit_list import AuditListPage
from auditor.ui.reports.moderation_page import ModerationPage
from auditor.ui.shell.background import BackgroundRunner, Job, Loader
from tests.builders import run_to, who


@pytest.fixture
def runner():
    runner = BackgroundRunner()
    yield runner
    runner.wait()


@pytest.fixture
def messages(monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: shown.append(box.text()) or 0)
    return shown


def gated(answer: str, gate: threading.Event, calls: list[str]):
    def call() -> str:
        calls.append(answer)
        assert gate.wait(10)
        return answer

    return call


def test_only_the_newest_answer_is_shown_and_repeats_start_no_duplicate_work(qtbot, runner):
    owner = QWidget()
    qtbot.addWidget(owner)
    loading: list[bool] = []
    loader = Loader(runner, owner, loading.append)
    shown: list[str] = []
    calls: list[str] = []
    gate = threading.Event()
    loader.request(gated("first", gate, calls), shown.append)
    qtbot.waitUntil(lambda: calls == ["first"])
    loader.request(gated("second", gate, calls), shown.append)  # while the first is running
    loader.request(gated("third", gate, calls), shown.append)
    gate.set()
    qtbot.waitUntil(lambda: not loader.loading)
    assert shown == ["third"]  # the first answer came back stale and was dropped
    assert calls == ["first", "third"]  # the second was overtaken before it started
    assert loading == [True, False]


def test_an_answer_for_a_closed_widget_is_dropped(qtbot, runner):
    owner = QWidget()
    loader = Loader(runner, owner)
    shown: list[str] = []
    calls: list[str] = []
    gate = threading.Event()
    loader.request(gated("late", gate, calls), shown.append)
    qtbot.waitUntil(lambda: calls == ["late"])
    owner.deleteLater()
    qtbot.waitUntil(lambda: not loader._alive)
    gate.set()
    runner.wait()
    qtbot.wait(20)  # the event loop turns; nothing may arrive
    assert shown == []


def test_a_stale_list_never_overwrites_the_newer_filter(qtbot, services, org, runner, monkeypatch):
    run_to(services, org, "second_audit")
    page = AuditListPage(services, who(services, org.senior), runner=runner)
    qtbot.addWidget(page)
    qtbot.waitUntil(lambda: not page.model.loading)
    real_count, gate = page.model._count_source, threading.Event()  # as the person

    def slow_count(flt):
        if flt.case_search == "CF-9":  # the first request hangs until the second is made
            assert gate.wait(10)
        return real_count(flt)

    page.model._count_source = slow_count
    shown: list[int] = []
    page.model.reloaded.connect(lambda: shown.append(page.model.total))
    page.search.setText("CF-9")
    page.refresh()
    page.search.setText("")
    page.refresh()
    assert page.count_label.text() == "Loading…"
    gate.set()
    qtbot.waitUntil(lambda: not page.model.loading)
    assert shown == [1]  # the answer for "CF-9" (no audits) was never shown
    assert page.model.rowCount() == 1 and page.model.total == 1
    assert "1 audit " in page.count_label.text()


def test_a_refusal_in_the_worker_is_shown_as_before(
    qtbot, services, org, runner, messages, monkeypatch
):
    def broken(*_args, **_kwargs):
        raise StorageError("The database is busy: try again in a moment.")

    monkeypatch.setattr(services.reports, "agreement", broken)
    page = ModerationPage(services, who(services, org.qa), runner=runner)
    qtbot.addWidget(page)
    page.show()  # its first show asks for the figures
    qtbot.waitUntil(lambda: bool(messages))
    assert messages == ["The database is busy: try again in a moment."]


def test_a_bug_in_the_worker_reaches_the_crash_handler(qtbot, services, org, runner, monkeypatch):
    def buggy(*_args, **_kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(services.reports, "agreement", buggy)
    page = ModerationPage(services, who(services, org.qa), runner=runner)
    qtbot.addWidget(page)
    with qtbot.captureExceptions() as raised:
        page.refresh()
        qtbot.waitUntil(lambda: bool(raised))
    assert isinstance(raised[0][1], ZeroDivisionError)


def test_progress_reaches_the_gui_thread_throttled_and_the_last_report_always(qtbot, runner):
    reports: list[tuple[int, int]] = []
    done: list[int] = []

    def export(job: Job) -> int:
        for i in range(1, 100_001):
            job.progress(i, 100_000, "Writing")
        return 100_000

    runner.start_job(export, done.append, None, lambda a, b, _what: reports.append((a, b)))
    qtbot.waitUntil(lambda: bool(done), timeout=10_000)
    assert reports[-1] == (100_000, 100_000)
    assert len(reports) < 100  # not one queued event per row


def test_a_job_can_be_cancelled_while_it_runs(qtbot, runner):
    started, outcome = threading.Event(), []

    def long_job(job: Job) -> str:
        started.set()
        while not job.cancelled():
            job.progress(0, 1, "Waiting")
        return "stopped"

    job = runner.start_job(long_job, outcome.append)
    assert started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: outcome == ["stopped"])


def test_an_export_in_its_own_process_reports_progress_refusals_and_bugs(
    qtbot, services, org, tmp_path
):
    """The child process opens the same database; what it says arrives as from a thread."""
    from auditor.domain.errors import OutputError
    from auditor.ui.shell.child_process import ChildProcessFailed, in_child_process

    run_to(services, org, "second_audit")
    qa = who(services, org.qa)
    runner, outcome, seen = BackgroundRunner(), [], []
    target = tmp_path / "audits.xlsx"
    runner.start_job(
        in_child_process(services.path, "reports.write_export", fmt="xlsx", path=target, who=qa),
        outcome.append,
        outcome.append,
        lambda done, total, _what: seen.append((done, total)),
    )
    qtbot.waitUntil(lambda: bool(outcome), timeout=60_000)
    assert [result.path for result in outcome] == [target]
    assert target.stat().st_size > 0 and seen[-1][0] == seen[-1][1]

    runner.start_job(
        in_child_process(
            services.path,
            "reports.write_export",
            fmt="csv",
            path=tmp_path / "no such folder" / "grades.csv",
            who=qa,
        ),
        outcome.append,
        outcome.append,
    )
    qtbot.waitUntil(lambda: len(outcome) == 2, timeout=60_000)
    assert isinstance(outcome[1], OutputError)  # the same kind of refusal as in a thread

    runner.start_job(
        in_child_process(services.path, "reports.no_such_call"), outcome.append, outcome.append
    )
    qtbot.waitUntil(lambda: len(outcome) == 3, timeout=60_000)
    assert isinstance(outcome[2], ChildProcessFailed) and "no_such_call" in str(outcome[2])
    runner.wait()


class Released:
    """A call's function or callback that notes on which thread its last reference went."""

    def __init__(self, threads: list[bool], value: object = None, fail: bool = False) -> None:
        self.threads, self.value, self.fail = threads, value, fail

    def __call__(self, *_args: object) -> object:
        if self.fail:
            raise StorageError("The database is busy: try again in a moment.")
        return self.value

    def __del__(self) -> None:
        self.threads.append(threading.current_thread() is threading.main_thread())


def test_what_a_call_holds_is_released_on_the_gui_thread_never_on_a_worker(qtbot, runner):
    """The function (a closure that may hold a widget), the callbacks and the error are the GUI
    thread's to free: a widget or a QObject finalised on a worker thread crashes Qt. (Before, half
    of them were freed on the worker that ran the call.)"""
    on_gui: list[bool] = []
    for i in range(150):
        runner.run(Released(on_gui, i), Released(on_gui), Released(on_gui))
        runner.load(Released(on_gui, i, fail=True), Released(on_gui), Released(on_gui))
        runner.start_job(Released(on_gui, i), Released(on_gui), Released(on_gui))
    qtbot.waitUntil(lambda: not runner.busy, timeout=20_000)
    runner.wait()
    assert len(on_gui) == 150 * 9  # every one of them released once the answers are in
    assert on_gui.count(False) == 0
