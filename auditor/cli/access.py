"""``passwd``, ``accounts``, ``roles`` and ``access-log``: signing in and who looked at what.

Passwords are read from ``$AUDITOR_PASSWORD`` / ``$AUDITOR_NEW_PASSWORD`` or typed without echo
(``common.read_password``), and are never printed or logged.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from auditor.cli.common import (
    NEW_PASSWORD_ENV,
    Commands,
    Format,
    add_period,
    command,
    formats,
    group,
    number_arg,
    read_password,
    render,
    role_arg,
    whole_number,
)
from auditor.domain.permissions import AccessEventKind, Scope

if TYPE_CHECKING:
    from auditor.services import Services

LIMIT = whole_number(1, 1_000_000, "show 1 to 1,000,000 lines")


def register(sub: Commands) -> None:
    command(
        sub,
        "passwd",
        cmd_passwd,
        f"change your own password (the new one: ${NEW_PASSWORD_ENV}, else asked for twice)",
        wants_password=True,
    )

    accounts = group(sub, "accounts", "sign-ins: list, create, reset, switch off or on, unlock")
    command(accounts, "list", cmd_accounts_list, "every sign-in: active, locked, last used")
    for name, handler, text in (
        ("create", cmd_accounts_create, "give a person a sign-in with a first password"),
        ("reset", cmd_accounts_reset, "set a temporary password, to be changed at next sign-in"),
        ("deactivate", cmd_accounts_deactivate, "switch a sign-in off"),
        ("activate", cmd_accounts_activate, "switch a sign-in on again"),
        ("unlock", cmd_accounts_unlock, "lift the lock after five wrong passwords"),
    ):
        p = command(accounts, name, handler, text)
        p.add_argument("username", metavar="USERNAME")

    roles = group(sub, "roles", "how far each role reads: its own work, its teams', or all")
    command(roles, "list", cmd_roles_list, "each role's reach")
    p = command(roles, "scope", cmd_roles_scope, "set how far a role reads")
    p.add_argument("role", type=role_arg, metavar="ROLE")
    p.add_argument("scope", choices=[s.value for s in Scope], metavar="own|team|all")

    p = command(
        sub,
        "access-log",
        cmd_access_log,
        "who signed in, viewed, printed or exported what, newest first (QA and administrators)",
    )
    p.add_argument("--audit", type=number_arg, metavar="ID", help="only this audit")
    p.add_argument("--user-filter", metavar="USERNAME", default="", help="only this person")
    p.add_argument(
        "--kind",
        action="append",
        choices=[k.value for k in AccessEventKind],
        metavar="KIND",
        help="repeat for several: " + ", ".join(k.value for k in AccessEventKind),
    )
    add_period(p)
    p.add_argument("--limit", type=LIMIT, default=1000)
    p.add_argument(
        "--format", choices=formats(Format.TABLE, Format.CSV, Format.JSON), default=Format.TABLE
    )


def cmd_passwd(services: Services, args: argparse.Namespace) -> None:
    new = read_password("New password: ", NEW_PASSWORD_ENV, twice=True)
    services.accounts.change_password(args.who, args.password, new)
    print(f"Your password is changed, {args.who.name}.")


def _temporary(username: str) -> str:
    return read_password(
        f"Password for {username} (changed at their first sign-in): ", NEW_PASSWORD_ENV, twice=True
    )


def cmd_accounts_list(services: Services, args: argparse.Namespace) -> None:
    rows = services.accounts.accounts(args.who)
    print(
        render(
            Format.TABLE,
            ("username", "name", "active", "must change", "locked until", "last signed in"),
            [
                (
                    a.username,
                    a.name,
                    "yes" if a.active else "no",
                    "yes" if a.must_change else "",
                    f"{a.locked_until:%d/%m/%Y %H:%M}" if a.locked_until else "",
                    f"{a.last_signed_in_at:%d/%m/%Y %H:%M}" if a.last_signed_in_at else "",
                )
                for a in rows
            ],
        )
    )


def cmd_accounts_create(services: Services, args: argparse.Namespace) -> None:
    services.accounts.create(args.who, args.username, _temporary(args.username))
    print(f"{args.username} can sign in now; they choose their own password at the first sign-in.")


def cmd_accounts_reset(services: Services, args: argparse.Namespace) -> None:
    services.accounts.reset_password(args.who, args.username, _temporary(args.username))
    print(f"Password of {args.username} reset; they choose a new one at their next sign-in.")


def cmd_accounts_deactivate(services: Services, args: argparse.Namespace) -> None:
    services.accounts.set_active(args.who, args.username, False)
    print(f"The sign-in of {args.username} is switched off.")


def cmd_accounts_activate(services: Services, args: argparse.Namespace) -> None:
    services.accounts.set_active(args.who, args.username, True)
    print(f"The sign-in of {args.username} is switched on again.")


def cmd_accounts_unlock(services: Services, args: argparse.Namespace) -> None:
    services.accounts.unlock(args.who, args.username)
    print(f"The sign-in of {args.username} is unlocked.")


def cmd_roles_list(services: Services, args: argparse.Namespace) -> None:
    scopes = services.roles.read_scopes(who=args.who)
    print(
        render(
            Format.TABLE,
            ("role", "reads"),
            [(role.label, f"{scope.value}: {scope.label}") for role, scope in scopes.items()],
        )
    )


def cmd_roles_scope(services: Services, args: argparse.Namespace) -> None:
    scope = Scope(args.scope)
    services.roles.set_read_scope(args.role, scope, who=args.who)
    print(f"{args.role.label} now reads {scope.label}.")


def cmd_access_log(services: Services, args: argparse.Namespace) -> None:
    from auditor.services.access.log import LogFilter

    where = LogFilter(
        username=args.user_filter,
        audit_id=args.audit,
        kinds=frozenset(AccessEventKind(k) for k in args.kind or ()),
        start=args.start,
        end=args.end,
        limit=args.limit,
    )
    events = services.access_log.events(args.who, where)
    headers = ("at", "kind", "username", "name", "audit", "detail", "machine")
    rows = [
        (
            e.at.isoformat(timespec="seconds")
            if args.format != Format.TABLE
            else f"{e.at:%d/%m/%Y %H:%M:%S}",
            e.kind.value,
            e.username,
            e.name,
            e.audit_id if e.audit_id is not None else "",
            e.detail,
            e.machine,
        )
        for e in events
    ]
    print(render(args.format, headers, rows))
