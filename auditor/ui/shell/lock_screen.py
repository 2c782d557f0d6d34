"""The lock screen: after a while without input (or File > Lock) every window of the app is
covered, the drafts underneath having been saved first; only the same person's password opens it
again, and everything is as it was. Someone else at the computer can sign the locked person out
instead (their drafts are saved already)."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from auditor import APP_NAME
from auditor.domain.errors import AuditorError
from auditor.domain.permissions import AccessEventKind
from auditor.ui.shell import look
from auditor.ui.shell.idle import InputGate
from auditor.ui.shell.password_dialogs import password_field
from auditor.ui.shell.sign_in import signing_in

if TYPE_CHECKING:
    from auditor.domain.permissions import Principal
    from auditor.services import Services


class Cover(QWidget):
    """An opaque sheet over one window: nothing of what is under it shows."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        palette = self.palette()  # the selection's colours: a pair the contrast test checks
        palette.setColor(self.backgroundRole(), palette.color(QPalette.ColorRole.Highlight))
        palette.setColor(self.foregroundRole(), palette.color(QPalette.ColorRole.HighlightedText))
        self.setPalette(palette)
        label = QLabel(f"<p align='center'>{APP_NAME} is locked.</p>", self)
        label.setPalette(palette)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        self.setGeometry(window.rect())
        window.installEventFilter(self)
        self.raise_()
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
            self.raise_()
        return False


class LockScreen(QDialog):
    """The unlock form, over everything: the locked person's password, or sign them out."""

    unlocked = Signal()
    sign_out_requested = Signal()

    def __init__(self, services: Services, principal: Principal, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.services, self.principal = services, principal
        self.setWindowTitle(f"{APP_NAME} is locked")
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), palette.color(QPalette.ColorRole.Highlight))
        self.setPalette(palette)
        card = QFrame(self)
        look.apply(card, "card")
        card.setMaximumWidth(520)
        title = QLabel(f"{APP_NAME} is locked", card)
        look.apply(title, "pageTitle")
        who = QLabel(
            f"Locked by {principal.name} ({principal.username}). Your work was saved before "
            "locking and is all there when you unlock.",
            card,
        )
        who.setWordWrap(True)
        self.password = password_field(card, f"Password of {principal.name}")
        prompt = QLabel("&Password", card)
        prompt.setBuddy(self.password)
        self.error = QLabel(card)
        self.error.setWordWrap(True)
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setAccessibleName("Why it is still locked")
        look.apply(self.error, "problem")
        self.error.hide()
        self.unlock_button = QPushButton("&Unlock", card)
        self.unlock_button.setDefault(True)
        self.unlock_button.clicked.connect(self.submit)
        self.sign_out_button = QPushButton("Sign &out (someone else wants to sign in)", card)
        self.sign_out_button.setToolTip(
            f"{principal.name}'s work is saved already; the sign-in screen opens."
        )
        self.sign_out_button.clicked.connect(self.sign_out_requested)
        row = QHBoxLayout()
        row.addWidget(self.sign_out_button)
        row.addStretch(1)
        row.addWidget(self.unlock_button)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(28, 24, 28, 20)
        inner.setSpacing(10)
        inner.addWidget(title)
        inner.addWidget(who)
        inner.addSpacing(6)
        inner.addWidget(prompt)
        inner.addWidget(self.password)
        inner.addWidget(self.error)
        inner.addSpacing(6)
        inner.addLayout(row)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        centre = QHBoxLayout()
        centre.addStretch(1)
        centre.addWidget(card, 2)
        centre.addStretch(1)
        outer.addLayout(centre)
        outer.addStretch(2)
        self.password.setFocus()

    def submit(self) -> None:
        password = self.password.text()
        self.password.clear()
        if not password:
            self.say("Type your password to unlock.")
            return
        try:
            signing_in(lambda: self.services.accounts.confirm(self.principal, password))
        except AuditorError as error:
            self.say(str(error))
            return
        self.unlocked.emit()

    def say(self, problem: str) -> None:
        self.error.setText(problem)
        self.error.show()
        self.password.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:  # Escape must not close the lock
            event.accept()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            self.sign_out_button.hasFocus()
        ):
            self.submit()
            event.accept()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        if getattr(self, "_may_close", False):
            super().closeEvent(event)
        else:
            event.ignore()  # the window manager's close button does not unlock

    def done(self, result: int) -> None:
        if getattr(self, "_may_close", False):
            super().done(result)

    def dismiss(self) -> None:
        self._may_close = True
        self.close()


class SessionLock(QObject):
    """Locks and unlocks the app for the person signed in in ``window``.

    ``save`` saves every open editor's draft and returns what could not be saved; the lock waits for
    it before covering anything (a failure is said on the lock screen: the text is still in the
    editor underneath and is saved again on unlocking).
    """

    locked_changed = Signal(bool)

    def __init__(
        self,
        services: Services,
        principal: Principal,
        window: QWidget,
        save: Callable[[], list[str]],
        sign_out: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.services, self.principal, self.window_ = services, principal, window
        self.save, self.sign_out = save, sign_out
        self.screen: LockScreen | None = None
        self.covers: list[Cover] = []
        self.gate: InputGate | None = None
        self._focus: QWidget | None = None

    @property
    def locked(self) -> bool:
        return self.screen is not None

    def lock(self) -> None:
        if self.locked:
            return
        for _ in range(10):  # an open menu or drop-down goes (a sub-menu is a popup too)
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        self._focus = QApplication.focusWidget()
        problems = self.save()
        on_top = QApplication.activeModalWidget() or self.window_
        self.screen = LockScreen(self.services, self.principal, on_top)
        self.screen.setObjectName("lockScreen")
        if problems:
            self.screen.say(
                "Some changes could not be saved before locking; they are still there and are "
                "saved again once you unlock:\n" + "\n".join(problems)
            )
        self.covers = [
            Cover(w)
            for w in QApplication.topLevelWidgets()
            if w.isVisible() and w.isWindow() and w is not self.screen and not _is_popup(w)
        ]
        self.gate = InputGate(self.screen)
        self.gate.install()
        self.screen.unlocked.connect(self.unlock)
        self.screen.sign_out_requested.connect(self._on_sign_out)
        self.screen.resize(on_top.window().size().expandedTo(self.screen.sizeHint()))
        self.screen.show()
        self.screen.raise_()
        self.screen.activateWindow()
        self.screen.password.setFocus()
        _note(self.services, self.principal, AccessEventKind.SESSION_LOCKED)
        self.locked_changed.emit(True)

    def _take_down(self) -> None:
        if self.gate is not None:
            self.gate.remove()
            self.gate = None
        for cover in self.covers:
            cover.hide()
            cover.deleteLater()
        self.covers = []
        if self.screen is not None:
            self.screen.dismiss()
            self.screen.deleteLater()
            self.screen = None

    def unlock(self) -> None:
        self._take_down()  # the unlocking is logged by the password check (accounts.confirm)
        focus, self._focus = self._focus, None
        if focus is not None:
            try:
                focus.window().activateWindow()
                focus.setFocus()
            except RuntimeError:  # deleted meanwhile
                pass
        self.locked_changed.emit(False)

    def _on_sign_out(self) -> None:
        self._take_down()
        self._focus = None
        self.locked_changed.emit(False)
        self.sign_out()

    def release(self) -> None:
        """The session ends (signed out, the app closes): take the lock down without a note."""
        self._take_down()


def _is_popup(widget: QWidget) -> bool:
    kind = widget.windowType()
    return kind in (Qt.WindowType.Popup, Qt.WindowType.ToolTip, Qt.WindowType.SplashScreen)


def _note(services: Services, principal: Principal, kind: AccessEventKind) -> None:
    with contextlib.suppress(AuditorError):  # the log is not reachable: the lock still holds
        services.accounts.note(principal, kind)
