"""Where the application keeps its files, and the one way to reach bundled resources."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

from auditor import APP_ID

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
DB_ENV = "AUDITOR_DB"


def resource(name: str) -> Path:
    """A bundled file under resources/ (icons, fonts, style sheet)."""
    return RESOURCES / name


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_ID, appauthor=False))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_ID, appauthor=False))


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_ID, appauthor=False))


def database_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--db`` wins, then the AUDITOR_DB environment variable, then the user's data folder."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get(DB_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return data_dir() / "auditor.db"
