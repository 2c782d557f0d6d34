"""Opening a database file: engine with SQLite pragmas, sessions, and translation of storage errors."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from auditor.domain.errors import StorageError

BUSY_TIMEOUT_MS = 5000


def make_engine(path: Path, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _set_pragmas(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    return engine


def storage_error(exc: BaseException, path: Path) -> StorageError:
    """Turn a driver error into a message the user can act on."""
    text = str(getattr(exc, "orig", exc)).lower()
    if "locked" in text or "busy" in text:
        return StorageError(
            f"The database {path} is busy: another copy of Auditor or another program is writing to "
            "it. Wait a moment and try again; if it stays busy, close the other program."
        )
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        from db.backup import newest_backup_hint

        return StorageError(
            f"The file {path} is damaged or is not an Auditor database. Nothing was changed. "
            + newest_backup_hint(path)
        )
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return StorageError(
            f"The database {path} cannot be written to. Check that the folder exists, that you may "
            "write to it, and that the disk is not full."
        )
    if "disk" in text and "full" in text:
        return StorageError(f"The disk holding {path} is full; free some space and try again.")
    return StorageError(f"The database {path} could not be used: {getattr(exc, 'orig', exc)}")


class Database:
    """One database file. Each user action runs in its own transaction via ``transaction()``."""

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self.engine = engine
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back entirely on any error."""
        try:
            with self._sessions.begin() as session:
                yield session
        except (OperationalError, DatabaseError) as exc:
            raise storage_error(exc, self.path) from exc

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        """A session for queries only."""
        try:
            with self._sessions() as session:
                yield session
        except (OperationalError, DatabaseError) as exc:
            raise storage_error(exc, self.path) from exc

    def close(self) -> None:
        self.engine.dispose()
