"""Report settings kept between sessions in the app's settings file: the sensitivity marking and the
folder documents were last saved to."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from auditor.paths import config_dir
from auditor.reports.data import DEFAULT_MARKING

MARKING_KEY = "reports/marking"
FOLDER_KEY = "reports/folder"


def _store() -> QSettings:
    return QSettings(str(config_dir() / "auditor.ini"), QSettings.Format.IniFormat)


def marking() -> str:
    value = _store().value(MARKING_KEY, DEFAULT_MARKING)
    return DEFAULT_MARKING if value is None else str(value)


def set_marking(text: str) -> None:
    _store().setValue(MARKING_KEY, text.strip())


def save_folder() -> Path:
    value = _store().value(FOLDER_KEY)
    return Path(str(value)) if value and Path(str(value)).is_dir() else Path.home()


def remember_folder(path: Path) -> None:
    _store().setValue(FOLDER_KEY, str(path.parent))
