"""``check`` and ``restore``: the database file itself — the full integrity check, the verified
backups kept next to it, and putting one back.

Both work on the file without opening it as a database (a damaged file cannot be opened, and a
restore must not run under an open connection), so they are ``no_db`` commands. Putting a backup
over a sound database throws away everyone's work since, so it needs an administrator to sign in
(``--user``) first; over a missing or damaged one it does not.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from auditor.cli.common import Commands, Format, add_user_option, command, render

if TYPE_CHECKING:
    from auditor.services.maintenance import RestorePermit

_UNITS = ("bytes", "kB", "MB", "GB")


def register(sub: Commands) -> None:
    command(
        sub,
        "check",
        cmd_check,
        "check the whole database file for damage (SQLite's full integrity check)",
        no_db=True,
    )
    p = command(
        sub,
        "restore",
        cmd_restore,
        "list the database's backups, or put one back (the current file is kept)",
        no_db=True,
    )
    which = p.add_mutually_exclusive_group()
    which.add_argument(
        "backup", nargs="?", metavar="BACKUP", help="a backup's file name, as listed"
    )
    which.add_argument("--latest", action="store_true", help="the newest backup that is sound")
    p.add_argument(
        "--verify", action="store_true", help="when listing: check every backup again now"
    )
    add_user_option(
        p, default=argparse.SUPPRESS
    )  # an administrator, to put a backup over a sound database


def _db(args: argparse.Namespace) -> Path:
    from auditor.paths import database_path

    return database_path(args.db)


def _size(n: int) -> str:
    value, unit = float(n), 0
    while value >= 1024 and unit < len(_UNITS) - 1:
        value, unit = value / 1024, unit + 1
    return f"{value:.0f} {_UNITS[unit]}" if unit == 0 else f"{value:.1f} {_UNITS[unit]}"


def cmd_check(_services: None, args: argparse.Namespace) -> int:
    from auditor.cli.common import EXIT_REFUSED
    from auditor.services import maintenance

    result = maintenance.check(_db(args))
    if result.sound:
        print(f"{result.path}: no damage found (SQLite's full integrity check).")
        return 0
    print(f"{result.path} is damaged; SQLite's integrity check found:")
    for problem in result.problems[:20]:
        print(f"  - {problem}")
    backups = maintenance.backups(result.path)
    if backups:
        print(
            f"Restore the newest backup ({backups[0].name}) with: python main.py --db "
            f'"{result.path}" restore --latest'
        )
    return EXIT_REFUSED


def cmd_restore(_services: None, args: argparse.Namespace) -> None:
    from auditor.services import maintenance

    db = _db(args)
    if args.backup is None and not args.latest:
        rows = maintenance.backups(db, verify=args.verify)
        if not rows:
            print(f"There is no backup of {db} yet; one is taken at the first use of each day.")
            return
        print(
            render(
                Format.TABLE,
                ("backup", "taken", "why", "size", "verified"),
                [
                    (r.name, f"{r.taken_at:%d/%m/%Y %H:%M:%S}", r.why, _size(r.size), r.verified)
                    for r in rows
                ],
            )
        )
        print(f'\nRestore one with: python main.py --db "{db}" restore BACKUP (or --latest).')
        return
    chosen = maintenance.choose_backup(db, None if args.latest else args.backup)
    done = maintenance.restore(db, chosen.name, permit=_permit(db, args))
    print(
        f"Restored {db} from {done.backup.name}. The file it replaced is kept as "
        f"{done.kept_as.name}."
    )


def _permit(db: Path, args: argparse.Namespace) -> RestorePermit:
    """Leave to restore: none is needed over a missing or damaged file; over a sound one the
    person given by ``--user`` signs in, and must be an administrator."""
    from auditor.cli.common import credentials, sign_in
    from auditor.domain.permissions import NotPermitted
    from auditor.services import maintenance, open_services

    try:
        return maintenance.permit_restore_damaged(db)
    except NotPermitted:
        if not getattr(args, "user", None):
            raise
    password = credentials(args)
    services = open_services(db)
    try:
        return maintenance.permit_restore(services.db, sign_in(services, args, password))
    finally:
        services.close()
