"""Logging for the entry points: a rotating file in the user's log folder, nothing on screen."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from auditor.paths import log_dir


class _AuditorLogFile(logging.handlers.RotatingFileHandler):
    """The handler this module installs, told apart from any other by its class, so that
    configuring twice (the CLI after the app, or tests) adds no second handler."""


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Send log records to ``auditor.log`` (1 MB x 3 files). Returns the file, or None if the log
    folder cannot be written (the app still runs)."""
    root = logging.getLogger()
    for existing in root.handlers:
        if isinstance(existing, _AuditorLogFile):
            return Path(existing.baseFilename)
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler = _AuditorLogFile(
            folder / "auditor.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return Path(handler.baseFilename)
