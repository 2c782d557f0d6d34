"""Running service calls off the GUI thread, with results delivered back on the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class _Relay(QObject):
    """Lives on the GUI thread; the worker's signals reach it queued, so callbacks run there."""

    done = Signal(object)
    failed = Signal(object)

    def __init__(self, runner: BackgroundRunner, on_done: Done | None, on_error: Failed | None):
        super().__init__()
        self.runner, self.on_done, self.on_error = runner, on_done, on_error
        self.done.connect(self._on_done)
        self.failed.connect(self._on_failed)

    @Slot(object)
    def _on_done(self, result: Any) -> None:
        self.runner._finished(self)
        if self.on_done:
            self.on_done(result)

    @Slot(object)
    def _on_failed(self, error: BaseException) -> None:
        self.runner._finished(self)
        if self.on_error:
            self.on_error(error)
        else:
            raise error


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


class BackgroundRunner:
    """A queue of work on its own threads. With one thread (the default) tasks run in order, which
    is what saving drafts needs."""

    def __init__(self, threads: int = 1) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(threads)
        self._pending: set[_Relay] = set()

    def run(self, fn: Callable[[], Any], on_done: Done | None = None,
            on_error: Failed | None = None) -> None:
        relay = _Relay(self, on_done, on_error)
        self._pending.add(relay)
        self.pool.start(_Task(fn, relay))

    def _finished(self, relay: _Relay) -> None:
        self._pending.discard(relay)

    @property
    def busy(self) -> bool:
        return bool(self._pending)

    def wait(self, msecs: int = 10_000) -> bool:
        return self.pool.waitForDone(msecs)


class SyncRunner:
    """Runs each task at once on the calling thread: for tests and for saving on exit."""

    busy = False

    def run(self, fn: Callable[[], Any], on_done: Done | None = None,
            on_error: Failed | None = None) -> None:
        try:
            result = fn()
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
        else:
            if on_done:
                on_done(result)

    def wait(self, msecs: int = 0) -> bool:
        return True
