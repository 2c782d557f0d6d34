"""Noticing that nobody has used the app for a while (the idle lock), and holding input off the
app's windows while it is locked."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

#: How long without input before the app locks, unless the settings say otherwise.
DEFAULT_IDLE_MINUTES = 15.0
#: The longest a setting may make it: the settings file is the user's own to edit, and editing it
#: must not switch the lock off.
MOST_IDLE_MINUTES = 60.0
SETTING = "session/idle_minutes"

_INPUT = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.ShortcutOverride,
        QEvent.Type.Shortcut,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.ContextMenu,
        QEvent.Type.TouchBegin,
        QEvent.Type.TabletPress,
    }
)


def idle_minutes(value: object) -> float:
    """The setting as minutes: a positive number up to an hour (a longer one is an hour), else the
    default (a mistyped setting must not switch the lock off)."""
    try:
        minutes = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_IDLE_MINUTES
    if not minutes > 0:  # zero, negative, or not a number at all (nan)
        return DEFAULT_IDLE_MINUTES
    return min(minutes, MOST_IDLE_MINUTES)


class IdleWatch(QObject):
    """Emits ``idle`` once after ``minutes`` without keyboard or mouse input anywhere in the app.
    ``start`` (again) after the session is unlocked; ``stop`` while nobody is signed in."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, round(minutes * 60_000)))
        self.timer.timeout.connect(self.idle)
        self._watching = False

    def start(self) -> None:
        if not self._watching:
            app = QApplication.instance()
            if app is not None:
                app.installEventFilter(self)
            self._watching = True
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        if self._watching:
            app = QApplication.instance()
            if app is not None:
                app.removeEventFilter(self)
            self._watching = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT and self.timer.isActive():
            self.timer.start()  # from the beginning again
        return False


class InputGate(QObject):
    """While installed, keyboard and mouse input reaches only the widgets inside ``allowed``
    (the lock screen): menus' shortcuts, the editors underneath and every other window get
    nothing."""

    def __init__(self, allowed: QWidget) -> None:
        super().__init__(allowed)
        self.allowed = allowed

    def install(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() not in _INPUT or event.type() == QEvent.Type.MouseMove:
            return False
        if isinstance(watched, QWidget) and (
            watched is self.allowed or self.allowed.isAncestorOf(watched)
        ):
            return False
        # Window-system events reach the window first (a QWindow, not a widget): let them on to
        # the widget, where they are judged.
        return isinstance(watched, QWidget) or event.type() == QEvent.Type.Shortcut
