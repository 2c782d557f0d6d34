"""Passwords for the GUI tests: everyone in a test organisation gets the same one, hashed cheaply
(the production argon2 parameters take a third of a second a check), and a keyboard types it."""

from __future__ import annotations

from argon2 import PasswordHasher
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from auditor.services import Services

PASSWORD = "a long test passphrase"


def cheap_hashing(services: Services) -> None:
    services.accounts.hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    services.accounts.__dict__.pop("_dummy_hash", None)


def give_passwords(services: Services) -> str:
    """Everyone without a sign-in gets ``PASSWORD``."""
    cheap_hashing(services)
    services.accounts.give_everyone(PASSWORD)
    return PASSWORD


def type_into(qtbot, widget: QWidget, text: str) -> None:
    """Keys, as a person types them, into ``widget`` (which must have the focus)."""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is widget)
    qtbot.keyClicks(widget, text)


def press_enter(qtbot) -> None:
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, Qt.Key.Key_Return)


def cheap_default_hashing(monkeypatch) -> None:
    """Services the app opens itself (``run``) hash cheaply too."""
    monkeypatch.setattr(
        "auditor.services.access.accounts.default_hasher",
        lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )


def answer_sign_in(monkeypatch, username: str, password: str = PASSWORD, seen=None) -> None:
    """The next sign-in screens the app shows are answered with ``username`` and ``password``
    (typed into its fields, then Sign in); ``seen`` collects the dialogs."""
    from auditor.ui.shell.sign_in import SignInDialog

    def answer(dialog: SignInDialog) -> int:
        if seen is not None:
            seen.append(dialog)
        dialog.username.setText(username)
        dialog.password.setText(password)
        dialog.submit()
        return dialog.result()

    monkeypatch.setattr(SignInDialog, "exec", answer)
