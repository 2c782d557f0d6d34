"""Logging for the entry points: a rotating file in the user's log folder, nothing on screen."""

from __future__ import annotations

import logging
import logging.handlers
from pathlib import Path

from auditor.paths import log_dir


def configure_logging(level: int = logging.INFO) -> Path | None:
    """Send log records to ``auditor.log`` (1 MB x 3 files). Returns the file, or None if the log
    folder cannot be written (the app still runs)."""
    root = logging.getLogger()
    if any(getattr(h, "_auditor", False) for h in root.handlers):
        return Path(next(h.baseFilename for h in root.handlers if getattr(h, "_auditor", False)))
    try:
        folder = log_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / "auditor.log", maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler._auditor = True  # type: ignore[attr-defined]
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    return Path(handler.baseFilename)
