"""Looking after the database file itself: the full integrity check, the verified backups kept
next to it, restoring one, and keeping documents from being written over any of them.

These work on a path, not on open ``Services``: a damaged database cannot be opened, and a
restore must not run while this process has the file open (SQLite's locks; see shared/STACK.md).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from auditor.domain.errors import NotFound, OutputError, StorageError
from auditor.domain.permissions import Action, NotPermitted, Principal
from db import backup
from db.engine import Database


@dataclass(frozen=True)
class BackupRow:
    """One verified backup, as listed to the user."""

    name: str
    path: Path
    taken_at: dt.datetime
    why: str  # "daily" or "before upgrading schema 0004"
    size: int
    verified: (
        str  # "when taken" (every kept backup passed the full check), or what a new check found
    )


@dataclass(frozen=True)
class CheckResult:
    path: Path
    problems: list[str]

    @property
    def sound(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class Restored:
    backup: Path
    kept_as: Path


def _row(found: backup.Backup, verify: bool) -> BackupRow:
    why = (
        "daily"
        if found.kind == backup.Kind.DAILY
        else f"before upgrading schema {found.label.removeprefix(backup.Kind.UPGRADE + '-')}"
    )
    verified = "when taken"
    if verify:
        problems = backup.check_file(found.path, full=True)
        verified = "ok now" if not problems else f"DAMAGED: {problems[0][:80]}"
    return BackupRow(found.path.name, found.path, found.taken_at, why, found.size, verified)


def backups(db_path: Path, *, verify: bool = False) -> list[BackupRow]:
    """The backups of ``db_path``, newest first; ``verify`` checks each one again now."""
    return [_row(b, verify) for b in backup.backups_of(Path(db_path))]


def check(db_path: Path) -> CheckResult:
    """SQLite's full integrity check of the file (read-only). A sound result lifts an earlier
    verdict of damage; a damaged one is remembered, so the next open refuses at once."""
    path = Path(db_path)
    if not path.is_file():
        raise StorageError(f"There is no database at {path}.")
    problems = backup.check_file(path, full=True)
    if problems:
        backup.mark_damaged(path, problems)
    else:
        backup.clear_mark(path)
    return CheckResult(path, problems)


@dataclass(frozen=True)
class RestorePermit:
    """Leave to put a backup over the database at ``path``: given to an administrator signed in
    to it (``permit_restore``), or to anyone when the file is missing or damaged, since then it
    holds nothing anyone can read through the program (``permit_restore_damaged``)."""

    path: Path
    username: str  # who was given it; "" for a missing or damaged file


def permit_restore(db: Database, who: Principal) -> RestorePermit:
    """A restore over the open database ``db`` for ``who``, if they may (``RESTORE_BACKUP``):
    it throws away whatever everyone has done since the backup was taken."""
    from auditor.services.access.guard import check

    with db.reading() as s:
        person, _ = check(s, who, Action.RESTORE_BACKUP)
        return RestorePermit(Path(db.path).resolve(), person.username)


def permit_restore_damaged(db_path: Path) -> RestorePermit:
    """A restore over a database that is missing or fails SQLite's integrity check; a sound one
    is refused, as what it holds is only the administrator's to throw away."""
    path = Path(db_path)
    if path.is_file() and not backup.check_file(path, full=True):
        raise NotPermitted(
            f"{path.name} is sound, so putting a backup over it would throw away everyone's work "
            "since the backup was taken: sign in as an administrator to do it."
        )
    return RestorePermit(path.resolve(), "")


def choose_backup(db_path: Path, name: str | None = None) -> Path:
    """The backup of ``db_path`` called ``name`` or, with None, the newest one that is sound.
    Chosen before anything opens the database (opening it may take the day's backup)."""
    path = Path(db_path)
    found = backup.backups_of(path)
    if not found:
        raise NotFound(
            f"There is no backup of {path.name} in {path.parent}; nothing was changed. Backups are "
            "named like " + f"{path.stem}.backup-YYYYMMDD-HHMMSS-daily.db."
        )
    if name is not None:
        chosen = [b for b in found if b.path.name == Path(name).name]
        if not chosen:
            raise NotFound(
                f"There is no backup called {name} next to {path.name}; 'restore' lists them."
            )
        return chosen[0].path
    for candidate in found:  # newest first; a backup damaged since it was taken is passed over
        if not backup.check_file(candidate.path, full=True):
            return candidate.path
    raise StorageError(
        f"Every backup of {path.name} is damaged; nothing was changed. Ask IT to restore the "
        "file from their own copies."
    )


def restore(db_path: Path, name: str | None = None, *, permit: RestorePermit) -> Restored:
    """Put the backup called ``name`` (or, with None, the newest sound one) in place of the
    database, with leave to (``permit``, for this very file); the file it replaces is kept as
    ``*.before-restore-*.db``."""
    path = Path(db_path)
    if permit.path != path.resolve():
        raise NotPermitted(f"Leave to restore was given for another file, not {path.name}.")
    chosen = choose_backup(path, name)
    done = Restored(chosen, backup.restore(path, chosen))
    _note_restore(path, done, permit)
    return done


def _note_restore(path: Path, done: Restored, permit: RestorePermit) -> None:
    """The restore, as the first line of the restored file's access log: the backup knows
    nothing of it, and whoever reviews the log must see that work since the backup was thrown
    away, by whom, and where the file it replaced is kept. The restore stands if the line cannot
    be written (it is the backup's own check that matters)."""
    import contextlib

    from sqlalchemy import select

    from auditor.domain.errors import AuditorError
    from auditor.domain.permissions import AccessEventKind
    from auditor.services.access.log import record
    from db.migrate import open_database
    from db.models import Person

    detail = f"from {done.backup.name}; the file it replaced is kept as {done.kept_as.name}"
    with contextlib.suppress(AuditorError):
        database = open_database(path, daily_backup=False)  # an older backup is upgraded here
        try:
            with database.transaction() as s:
                person_id = (
                    s.scalar(select(Person.id).where(Person.username == permit.username))
                    if permit.username
                    else None
                )
                if person_id is None:  # who it was, even if the backup predates them
                    detail += (
                        f" (by {permit.username})"
                        if permit.username
                        else " (the database was damaged or missing)"
                    )
                record(
                    s,
                    AccessEventKind.BACKUP_RESTORED,
                    dt.datetime.now(),
                    person_id=person_id,
                    detail=detail,
                )
        finally:
            database.close()


def protected_files(db_path: Path) -> set[Path]:
    """The database, its journals and every backup or kept copy of it: never an output file."""
    path = Path(db_path).resolve()
    names = {path, *(backup.sidecar(path, s) for s in (*backup.SIDE_FILES, *backup.NOTES))}
    folder, stem = path.parent, backup.glob_escape(path.stem)
    for pattern in (f"{stem}.backup-*", f"{stem}.before-restore-*"):
        names.update(p.resolve() for p in folder.glob(pattern))
    return names


def check_output(db_path: Path | None, output: Path, *, replace: bool) -> Path:
    """``output``, if a document may be written there: never over the database, its journals or
    its backups, and over another existing file only when ``replace`` is given."""
    target = Path(output).expanduser()
    resolved = target.resolve()
    if db_path is not None and any(
        resolved == kept or _same_file(resolved, kept) for kept in protected_files(db_path)
    ):
        raise OutputError(
            f"{target} is the database or one of its own files (journal or backup); "
            "writing there would destroy it. Nothing was written; choose another file name."
        )
    if target.exists() and not replace:
        raise OutputError(
            f"{target} already exists; nothing was written. Give --force to replace it, or "
            "choose another file name."
        )
    return target


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False
