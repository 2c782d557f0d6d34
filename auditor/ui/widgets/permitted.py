"""Buttons and menu entries that obey who is signed in: enabled for those whose roles allow the
action, else disabled with the reason on hover (``refusal``), the same words the services refuse
with. The services decide in the end; this only spares a person a button that cannot work."""

from __future__ import annotations

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from auditor.domain.permissions import Action, Principal, refusal


def permit(control: QWidget | QAction, who: Principal, action: Action, *, tip: str = "") -> bool:
    """Enable ``control`` if ``who`` may take ``action`` (hover text ``tip``), else disable it and
    say why on hover (and to a screen reader). True if allowed."""
    allowed = who.may(action)
    control.setEnabled(allowed)
    text = tip if allowed else refusal(action)
    control.setToolTip(text)
    if isinstance(control, QWidget):
        control.setAccessibleDescription(text)
    return allowed


def permit_all(
    control: QWidget | QAction, who: Principal, actions: tuple[Action, ...], *, tip: str = ""
) -> bool:
    """As ``permit``, for a control that needs every one of ``actions``: the first refused says why."""
    refused = next((a for a in actions if not who.may(a)), None)
    if refused is None:
        return permit(control, who, actions[0], tip=tip) if actions else True
    return permit(control, who, refused)
