"""Checking a database file and keeping verified copies of it: integrity checks, rolling backups
through SQLite's backup API, and restoring one.

Every copy is written under a temporary name, checked in full (``PRAGMA integrity_check`` of the
copy, which is a full check of the source as it was) and only then given its backup name, so a
file named ``*.backup-*.db`` was good when it was taken; a copy that fails is deleted, never kept,
so a damaged source cannot push good backups out nor pile up bad ones.

Nothing here keeps a connection open: each check or copy opens the file, works and closes it,
before the application's own engine opens it (SQLite's POSIX locks are per process; see
shared/STACK.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import logging
import os
import re
import secrets
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from auditor.domain.errors import StorageError

log = logging.getLogger(__name__)

SQLITE_MAGIC = b"SQLite format 3\x00"
#: daily backups kept; backups taken before an upgrade are kept as well, whatever their age
KEEP_DAILY = 7
SIDE_FILES = ("-wal", "-shm", "-journal")
#: what Auditor notes beside the database: a failed full check, the state its last quick check saw
NOTES = (".damaged", ".checked")
_NAME = re.compile(r"^(?P<stem>.+)\.backup-(?P<stamp>\d{8}-\d{6})-(?P<label>[a-z0-9-]+)\.db$")
_STAMP = "%Y%m%d-%H%M%S"
#: the byte of the ``-shm`` file every open SQLite connection holds a shared lock on
_SHM_DMS_BYTE = 128


class Kind(enum.StrEnum):
    """Why a backup was taken."""

    DAILY = "daily"
    UPGRADE = "schema"  # before an upgrade; the label carries the revision: schema-0004


@dataclass(frozen=True)
class Backup:
    path: Path
    taken_at: dt.datetime
    label: str
    size: int

    @property
    def kind(self) -> Kind:
        return Kind.DAILY if self.label == Kind.DAILY else Kind.UPGRADE


def backups_of(db_path: Path) -> list[Backup]:
    """The verified backups next to ``db_path``, newest first."""
    found = []
    for candidate in db_path.parent.glob(f"{glob_escape(db_path.stem)}.backup-*.db"):
        match = _NAME.match(candidate.name)
        if not match or match["stem"] != db_path.stem:
            continue
        with contextlib.suppress(OSError, ValueError):
            taken = dt.datetime.strptime(match["stamp"], _STAMP)
            found.append(Backup(candidate, taken, match["label"], candidate.stat().st_size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def newest_backup_hint(db_path: Path) -> str:
    """The sentence every damage message ends with: which backup, and the exact command."""
    found = backups_of(db_path)
    if not found:
        return (
            "There is no backup of it next to the file; ask IT to restore it from their copies, "
            "or start a new database with 'python main.py --db NEW.db init'."
        )
    return (
        f"The newest backup is {found[0].path.name} ({found[0].taken_at:%d/%m/%Y %H:%M}); restore "
        f"it with 'python main.py --db \"{db_path}\" restore --latest' or, in the app, "
        "File > Restore from backup…"
    )


# --------------------------------------------------------------------------------------- checks


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that cannot change the data (``query_only``). Not ``mode=ro``: SQLite's
    checks skip the CHECK constraints on a read-only connection (measured with SQLite 3.40),
    and a grade or state that damage wrote past them is exactly what they should find."""
    if not path.is_file():
        raise sqlite3.OperationalError("unable to open database file")
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA query_only = ON")
    return conn


def problems(conn: sqlite3.Connection, *, full: bool) -> list[str]:
    """What SQLite's quick or full integrity check finds ([] when the file is sound)."""
    pragma = "integrity_check" if full else "quick_check"
    try:
        rows = [str(r[0]) for r in conn.execute(f"PRAGMA {pragma}(20)")]
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows


def check_file(path: Path, *, full: bool = True) -> list[str]:
    """Problems of the database file at ``path`` (read-only; [] when it is sound)."""
    if not has_sqlite_header(path):
        return ["the file does not start like an SQLite database"]
    try:
        conn = read_only(path)
    except sqlite3.Error as exc:
        return [str(exc)]
    try:
        return problems(conn, full=full)
    finally:
        conn.close()


def has_sqlite_header(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_MAGIC)) == SQLITE_MAGIC
    except OSError:
        return False


# -------------------------------------------------------------------------------------- backups


def take_backup(source: sqlite3.Connection, db_path: Path, label: str) -> Path:
    """A verified copy of the open ``source`` next to ``db_path``, named for ``label``.

    Raises ``StorageError`` if the copy fails the full integrity check (the source is damaged;
    the copy is deleted) or cannot be written (nothing is kept)."""
    stamp = dt.datetime.now().strftime(_STAMP)
    target = db_path.with_name(f"{db_path.stem}.backup-{stamp}-{label}.db")
    # Named for this process: two programs opening the file in the same second each write their
    # own copy (and the last rename wins, both being verified), never one half-written file.
    partial = target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.partial")
    try:
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
            found = problems(dest, full=True)
        finally:
            dest.close()
        if found:
            raise DamagedCopy(found)
        os.replace(partial, target)
    except sqlite3.DatabaseError as exc:  # a page of the source could not be read
        raise DamagedCopy([str(exc)]) from None
    except (sqlite3.Error, OSError) as exc:
        raise StorageError(
            f"Could not back up {db_path} ({exc}); nothing was changed. Check that the disk has "
            "space and that you may write to its folder, then try again."
        ) from None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    log.info("Backed up %s to %s (verified)", db_path, target.name)
    return target


class DamagedCopy(Exception):
    """The copy of a database failed the full integrity check: the source is damaged."""

    def __init__(self, found: list[str]) -> None:
        super().__init__("; ".join(found))
        self.problems = found


def daily_backup_due(db_path: Path, today: dt.date | None = None) -> bool:
    day = today or dt.date.today()
    return not any(b.kind == Kind.DAILY and b.taken_at.date() == day for b in backups_of(db_path))


def prune(db_path: Path, keep_daily: int = KEEP_DAILY) -> list[Path]:
    """Keep the newest daily backup of each of the last ``keep_daily`` days that have one, and
    delete the other daily ones (two programs opening the file at once may both have taken the
    day's copy); pre-upgrade ones stay."""
    kept_days: set[dt.date] = set()
    surplus = []
    for daily in (b for b in backups_of(db_path) if b.kind == Kind.DAILY):  # newest first
        day = daily.taken_at.date()
        if day in kept_days or len(kept_days) >= keep_daily:
            surplus.append(daily)
        else:
            kept_days.add(day)
    gone = []
    for old in surplus:
        with contextlib.suppress(OSError):
            old.path.unlink()
            gone.append(old.path)
    return gone


def reusable_upgrade_backup(db_path: Path, revision: str) -> Path | None:
    """A backup taken before an earlier attempt to upgrade from ``revision`` today, or that the
    file has not changed since: no second copy is needed. (While an upgrade keeps failing, the app
    cannot write to the file at all, so a failed attempt every few minutes must not add a copy
    each time; one a day at most.)"""
    changed = max(
        (p.stat().st_mtime for p in (db_path, sidecar(db_path, "-wal")) if p.exists()),
        default=0.0,
    )
    today = dt.date.today()
    for found in backups_of(db_path):
        if found.label == f"{Kind.UPGRADE}-{revision}" and (
            found.taken_at.date() == today or found.path.stat().st_mtime >= changed
        ):
            return found.path
    return None


def sidecar(db_path: Path, suffix: str) -> Path:
    return db_path.with_name(db_path.name + suffix)


# ----------------------------------------------------------------------------- damage markers


def marker(db_path: Path) -> Path:
    return sidecar(db_path, ".damaged")


def _fingerprint(db_path: Path) -> str:
    stat = db_path.stat()
    return f"{stat.st_size}:{stat.st_mtime_ns}"


def mark_damaged(db_path: Path, found: list[str]) -> None:
    """Remember that the full check failed, so that the next command refuses at once instead of
    copying the file again (the mark holds while the file is unchanged)."""
    with contextlib.suppress(OSError):
        marker(db_path).write_text(
            _fingerprint(db_path) + "\n" + "\n".join(found[:20]) + "\n", encoding="utf-8"
        )


def marked_damaged(db_path: Path) -> list[str] | None:
    """What the last full check found, if it failed and the file is unchanged since."""
    try:
        first, *rest = marker(db_path).read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if first != _fingerprint(db_path):
        with contextlib.suppress(OSError):
            marker(db_path).unlink()
        return None
    return rest or ["the full integrity check failed"]


def clear_mark(db_path: Path) -> None:
    with contextlib.suppress(OSError):
        marker(db_path).unlink()


def _state(db_path: Path) -> str:
    """The file and its ``-wal`` as they are now (size and modification time)."""
    parts = [_fingerprint(db_path)]
    wal = sidecar(db_path, "-wal")
    with contextlib.suppress(OSError):
        if wal.stat().st_size:  # an empty one comes and goes with every connection
            parts.append(_fingerprint(wal))
    return " ".join(parts)


def checked_unchanged(db_path: Path) -> bool:
    """Whether the file is exactly as it was when its last quick check passed (then the check
    need not run again: at 200,000 activities it costs about a second)."""
    try:
        return sidecar(db_path, ".checked").read_text(encoding="utf-8") == _state(db_path)
    except (OSError, UnicodeDecodeError):
        return False


def remember_checked(db_path: Path) -> None:
    with contextlib.suppress(OSError):
        sidecar(db_path, ".checked").write_text(_state(db_path), encoding="utf-8")


# --------------------------------------------------------------------------------------- restore


def in_use(db_path: Path) -> bool:
    """Whether another process has the database open (it holds a shared lock on the ``-shm``
    file for as long as its connection lives). Only meaningful when this process has no
    connection of its own to it: closing the probe drops this process's locks on the file."""
    shm = sidecar(db_path, "-shm")
    if not shm.exists():
        return False
    try:
        import fcntl
    except ImportError:  # Windows: an open file cannot be replaced; os.replace says so
        return False
    try:
        fd = os.open(shm, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, _SHM_DMS_BYTE)
    except OSError:
        return True
    else:
        fcntl.lockf(fd, fcntl.LOCK_UN, 1, _SHM_DMS_BYTE)
        return False
    finally:
        os.close(fd)


def restore(db_path: Path, backup: Path) -> Path:
    """Put ``backup`` in place of ``db_path``; returns where the file it replaced was kept.

    The backup is checked in full first; the current file (with its ``-wal``) is kept as
    ``*.before-restore-*.db``; the backup is copied beside the database and renamed over it, so
    the database is always either the old file or the whole backup."""
    found = check_file(backup, full=True)
    if found:
        raise StorageError(
            f"The backup {backup.name} is damaged too ({found[0]}); nothing was changed. "
            "Choose an older backup."
        )
    if in_use(db_path):
        raise StorageError(
            f"{db_path.name} is open in another copy of Auditor or another program; close it "
            "there first, then restore. Nothing was changed."
        )
    stamp = dt.datetime.now().strftime(_STAMP)
    kept = db_path.with_name(f"{db_path.stem}.before-restore-{stamp}.db")
    incoming = db_path.with_name(f".{db_path.name}.restoring")
    try:
        if db_path.exists():
            shutil.copy2(db_path, kept)
            if sidecar(db_path, "-wal").exists():
                shutil.copy2(sidecar(db_path, "-wal"), sidecar(kept, "-wal"))
        shutil.copy2(backup, incoming)
        with open(incoming, "rb+") as handle:
            os.fsync(handle.fileno())
        for suffix in SIDE_FILES:  # an old journal must never be applied to the restored file
            with contextlib.suppress(FileNotFoundError):
                sidecar(db_path, suffix).unlink()
        os.replace(incoming, db_path)
    except OSError as exc:
        raise StorageError(
            f"Could not restore {backup.name} over {db_path.name} ({exc.strerror or exc}). "
            f"The file as it was is kept as {kept.name} if it exists."
        ) from None
    finally:
        with contextlib.suppress(OSError):
            incoming.unlink()
    clear_mark(db_path)
    with contextlib.suppress(OSError):
        sidecar(db_path, ".checked").unlink()
    log.info("Restored %s from %s; the previous file is %s", db_path, backup.name, kept.name)
    return kept
