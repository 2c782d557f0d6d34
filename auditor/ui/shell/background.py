"""Service calls off the GUI thread, with their results delivered back on the GUI thread.

The pattern is Anki's ``aqt.operations``: the function given is a service call that opens its own
session and never touches a widget; it runs on a thread pool, and ``on_done(result)`` or
``on_error(error)`` then run on the GUI thread. Three queues:

- ``run``: writes, one at a time and in order (an older draft can never overwrite a newer one);
- ``load``: reads, in parallel (SQLite in WAL mode lets readers run beside the writer);
- ``start_job``: long work (reports, exports) with progress and cancellation, on its own thread so
  that neither autosave nor loading waits behind an export.

``Loader`` adds what a screen needs on top: only the newest request's answer is shown (a
generation counter), repeated requests while one is in flight start no duplicate work, and nothing
reaches a widget that has gone. ``SyncRunner`` does the same at once on the calling thread (tests).

Lifetimes: a worker never holds the last reference to anything of a call. Each queue's relay owns
the function, the callbacks and the outcome and lets them go on the GUI thread; the worker sends
back only the call's number. A closure holding a widget, or a QObject, that was freed on a worker
thread would crash Qt.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, Signal, Slot

from auditor.domain.errors import AuditorError

log = logging.getLogger(__name__)

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]
Progress = Callable[[int, int, str], None]
#: at most this often a job's progress reaches the GUI thread (a flood of queued events freezes it)
PROGRESS_INTERVAL_S = 0.05


class Job:
    """Given to a long background call: report progress (throttled), ask whether to stop."""

    def __init__(self, report: Progress | None = None) -> None:
        self._report = report
        self._cancel = threading.Event()
        self._last = 0.0

    def progress(self, done: int, total: int, what: str) -> None:
        """Safe to call as often as you like, from the worker thread."""
        if self._report is None:
            return
        now = time.monotonic()
        if done >= total or now - self._last >= PROGRESS_INTERVAL_S:
            self._last = now
            self._report(done, total, what)

    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def cancel(self) -> None:
        self._cancel.set()


@dataclass
class _Call:
    fn: Callable[[], Any] | None
    on_done: Done | None
    on_error: Failed | None
    on_progress: Progress | None = None


class _Relay(QObject):
    """One per queue, made on the GUI thread and kept as long as the runner: the hand-over
    between the workers and the GUI thread.

    Every Python object of a call — the function (a closure that may hold a widget), the
    callbacks, the result or the error (whose traceback holds the frames and their widgets) — is
    owned here and released on the GUI thread. A worker only stores its outcome under a lock,
    drops its own references and then emits the call's number. (When the worker held them, half
    of them were freed on the worker thread: a widget or a QObject finalised there crashes Qt.)
    """

    settled = Signal(int)
    progressed = Signal(int, int, int, str)

    def __init__(self, pool: QThreadPool) -> None:
        super().__init__()
        self.pool = pool
        self.calls: dict[int, _Call] = {}  # GUI thread only
        self._outcomes: dict[int, tuple[bool, Any]] = {}  # filled by the workers
        self._lock = threading.Lock()
        self.settled.connect(self._on_settled)
        self.progressed.connect(self._on_progressed)

    def start(self, token: int, call: _Call) -> None:
        self.calls[token] = call
        self.pool.start(_Task(self, token, call.fn))

    def settle(self, token: int, outcome: tuple[bool, Any]) -> None:
        """From the worker: keep the outcome for the GUI thread."""
        with self._lock:
            self._outcomes[token] = outcome

    @Slot(int)
    def _on_settled(self, token: int) -> None:
        with self._lock:
            ok, value = self._outcomes.pop(token)
        call = self.calls.pop(token)
        if ok:
            if call.on_done:
                call.on_done(value)
        elif call.on_error:
            call.on_error(value)
        else:
            raise value

    @Slot(int, int, int, str)
    def _on_progressed(self, token: int, done: int, total: int, what: str) -> None:
        call = self.calls.get(token)
        if call is not None and call.on_progress is not None:
            call.on_progress(done, total, what)


class _Task(QRunnable):
    """Runs one call on a worker; holds nothing but the call's number once it has run."""

    def __init__(self, relay: _Relay, token: int, fn: Callable[[], Any] | None) -> None:
        super().__init__()
        self.relay, self.token, self.fn = relay, token, fn

    def run(self) -> None:
        fn, self.fn = self.fn, None
        assert fn is not None
        try:
            outcome: tuple[bool, Any] = (True, fn())
        except BaseException as exc:
            outcome = (False, exc)
        del fn  # the relay holds the function too: this is never the last reference
        self.relay.settle(self.token, outcome)
        del outcome
        self.relay.settled.emit(self.token)


class Queue(Enum):
    """Which of the runner's queues a call goes to (see the module's docstring)."""

    WRITES = "writes"
    READS = "reads"
    JOBS = "jobs"


class Runner(ABC):
    """What the screens call. ``run``, ``load`` and ``start_job`` are written once, here: each
    makes the call's record on the calling thread and hands it to ``_submit``, which is all that
    differs between running in the background and running at once."""

    @property
    @abstractmethod
    def busy(self) -> bool: ...

    def run(
        self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        self._submit(Queue.WRITES, _Call(fn, on_done, on_error))

    def load(
        self, fn: Callable[[], Any], on_done: Done | None = None, on_error: Failed | None = None
    ) -> None:
        self._submit(Queue.READS, _Call(fn, on_done, on_error))

    def start_job(
        self,
        fn: Callable[[Job], Any],
        on_done: Done | None = None,
        on_error: Failed | None = None,
        on_progress: Progress | None = None,
        job: Job | None = None,
    ) -> Job:
        """``fn(job)`` on the jobs queue. Pass ``job`` to hold it (to cancel) before it starts."""
        job = job or Job()
        self._submit(Queue.JOBS, _Call(lambda: fn(job), on_done, on_error, on_progress), job)
        return job

    @abstractmethod
    def _submit(self, queue: Queue, call: _Call, job: Job | None = None) -> None:
        """Run ``call`` on ``queue``; a job's progress is wired to ``call.on_progress``."""

    @abstractmethod
    def wait(self, msecs: int = 10_000) -> bool: ...

    @abstractmethod
    def wait_writes(self, msecs: int = 10_000) -> bool: ...


def _pool(threads: int) -> QThreadPool:
    pool = QThreadPool()
    pool.setMaxThreadCount(threads)
    return pool


class BackgroundRunner(Runner):
    """The app's thread pools (see the module's docstring). Create and call it on the GUI thread."""

    def __init__(self, threads: int = 1, readers: int = 2) -> None:
        self.writes = _Relay(_pool(threads))  # in order
        self.reads = _Relay(_pool(readers))
        self.jobs = _Relay(_pool(1))
        self._relays = {Queue.WRITES: self.writes, Queue.READS: self.reads, Queue.JOBS: self.jobs}
        self._tokens = itertools.count(1)

    def _submit(self, queue: Queue, call: _Call, job: Job | None = None) -> None:
        token, relay = next(self._tokens), self._relays[queue]
        if job is not None and call.on_progress is not None:
            job._report = lambda done, total, what: relay.progressed.emit(token, done, total, what)
        relay.start(token, call)

    @property
    def busy(self) -> bool:
        return any(relay.calls for relay in (self.writes, self.reads, self.jobs))

    def wait(self, msecs: int = 10_000) -> bool:
        """Wait for every queue (before the database closes). False on time-out."""
        return self._wait((self.writes, self.reads, self.jobs), msecs)

    def wait_writes(self, msecs: int = 10_000) -> bool:
        """Wait for the writes queued so far, then deliver their results at once rather than when
        the event loop comes round, so that a failed save is known before anyone relies on it.
        False on time-out."""
        return self._wait((self.writes,), msecs)

    def _wait(self, relays: tuple[_Relay, ...], msecs: int) -> bool:
        deadline = time.monotonic() + msecs / 1000
        finished = True
        for relay in relays:
            left = max(int((deadline - time.monotonic()) * 1000), 0)
            finished = relay.pool.waitForDone(left) and finished
        for relay in relays:
            QCoreApplication.sendPostedEvents(relay, 0)
        return finished


class SyncRunner(Runner):
    """Runs each task at once on the calling thread: for tests and for saving on exit."""

    busy = False

    def _submit(self, queue: Queue, call: _Call, job: Job | None = None) -> None:
        if job is not None:
            job._report = call.on_progress
        assert call.fn is not None
        try:
            result = call.fn()
        except Exception as exc:
            if call.on_error is None:
                raise
            call.on_error(exc)
        else:
            if call.on_done:
                call.on_done(result)

    def wait(self, msecs: int = 0) -> bool:
        return True

    wait_writes = wait


class Loader:
    """One kind of read for one widget (Home's figures, a page of audits…).

    ``request`` runs the call with ``runner.load``. Only the answer to the newest request reaches
    ``on_done``: a request made while another is in flight waits for it and replaces any request
    still waiting, so clicking twice starts no duplicate work and an older answer never overwrites a
    newer one. ``drop`` forgets what is outstanding (the widget moved on); after the owner is
    destroyed nothing is delivered. ``on_loading(True/False)`` lets the widget show a calm
    "Loading…" while it waits.
    """

    def __init__(
        self, runner: Runner, owner: QObject, on_loading: Callable[[bool], None] | None = None
    ) -> None:
        self.runner = runner
        self.on_loading = on_loading
        self.generation = 0
        self._in_flight = False
        self._waiting: tuple[int, Callable[[], Any], Done, Failed | None] | None = None
        self._alive = True
        owner.destroyed.connect(self._on_owner_destroyed)

    @property
    def loading(self) -> bool:
        return self._in_flight or self._waiting is not None

    def request(self, fn: Callable[[], Any], on_done: Done, on_error: Failed | None = None) -> None:
        self.generation += 1
        self._waiting = (self.generation, fn, on_done, on_error)
        if not self._in_flight:
            self._set_loading(True)
            self._next()

    def drop(self) -> None:
        """Whatever is outstanding will not be shown."""
        self.generation += 1
        self._waiting = None
        if not self._in_flight:
            self._set_loading(False)

    def _next(self) -> None:
        assert self._waiting is not None
        generation, fn, on_done, on_error = self._waiting
        self._waiting = None
        self._in_flight = True
        self.runner.load(
            fn,
            lambda result: self._arrived(generation, on_done, result),
            lambda error: self._failed(generation, on_error, error),
        )

    def _current(self, generation: int) -> bool:
        self._in_flight = False
        if not self._alive:
            return False
        if self._waiting is not None:
            self._next()
            return False
        self._set_loading(False)
        return generation == self.generation

    def _arrived(self, generation: int, on_done: Done, result: Any) -> None:
        if self._current(generation):
            on_done(result)

    def _failed(self, generation: int, on_error: Failed | None, error: BaseException) -> None:
        if not self._current(generation):
            if not isinstance(error, AuditorError):  # a bug is logged even if nobody waits
                log.warning("A request no longer wanted failed", exc_info=error)
            return
        if on_error is None:
            raise error
        on_error(error)

    def _set_loading(self, loading: bool) -> None:
        if self.on_loading is not None and self._alive:
            self.on_loading(loading)

    def _on_owner_destroyed(self, *_args: object) -> None:
        self._alive = False
        self._waiting = None


def run_while_painting(fn: Callable[[], Any]) -> Any:
    """``fn()`` on a worker thread while the GUI thread keeps painting, for the start-up steps
    that come before any runner exists: opening a database (the first open of a day takes its
    verified copy, seconds on a large file) and building the demo. Input is held back meanwhile,
    so nothing can be clicked or closed half-way. Returns what ``fn`` returns, or raises what
    it raised, on the GUI thread."""
    from PySide6.QtCore import QEventLoop, QTimer

    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["value"] = fn()
        except BaseException as exc:  # handed to the GUI thread below
            outcome["error"] = exc

    thread = threading.Thread(target=work, name="auditor-start", daemon=True)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(25)
    timer.timeout.connect(lambda: None if thread.is_alive() else loop.quit())
    thread.start()
    timer.start()
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    timer.stop()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
