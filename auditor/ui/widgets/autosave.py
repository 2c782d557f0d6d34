"""When typed text is saved: the one rule for every editor that saves as you type.

A pure debounce (restart a timer on every key) never fires for a typist who never pauses, so
nothing is saved until they stop. The rule here is a debounce with a maximum wait: ``due`` is
emitted ``quiet_ms`` after the last change, and never later than ``max_wait_ms`` after the first
change that has not been saved yet, whatever the typing rhythm. A change made while a save is on
its way starts a new wait, so it is saved after that save.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt, QTimer, Signal

#: a typist who pauses this long has finished a thought: save it
QUIET_MS = 1000
#: a change is never left unsaved longer than this, even while typing goes on
MAX_WAIT_MS = 2000


class Autosave(QObject):
    """Call ``changed()`` on every edit; save when ``due`` is emitted.

    ``flush()`` emits ``due`` at once when a change is waiting (before submitting or closing);
    ``cancel()`` forgets the wait (the owner saves by other means).
    """

    due = Signal()

    def __init__(
        self,
        parent: QObject | None = None,
        *,
        quiet_ms: int = QUIET_MS,
        max_wait_ms: int = MAX_WAIT_MS,
    ) -> None:
        super().__init__(parent)
        self.quiet = self._timer(quiet_ms)
        self.deadline = self._timer(max_wait_ms)

    def _timer(self, interval_ms: int) -> QTimer:
        timer = QTimer(self)
        timer.setSingleShot(True)
        timer.setTimerType(Qt.TimerType.PreciseTimer)  # a coarse timer may fire 5% late
        timer.setInterval(interval_ms)
        timer.timeout.connect(self._on_timer_timeout)
        return timer

    @property
    def pending(self) -> bool:
        """A change is waiting to be saved."""
        return self.deadline.isActive()

    def changed(self) -> None:
        """Something was edited: save after a pause, or when the first unsaved change has waited
        ``max_wait_ms``."""
        self.quiet.start()
        if not self.deadline.isActive():
            self.deadline.start()

    def flush(self) -> bool:
        """Save now if a change is waiting (``due`` is emitted before this returns). True when
        there was one."""
        if not self.pending:
            return False
        self._on_timer_timeout()
        return True

    def cancel(self) -> None:
        self.quiet.stop()
        self.deadline.stop()

    def _on_timer_timeout(self) -> None:
        self.cancel()
        self.due.emit()
