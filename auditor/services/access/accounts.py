"""Accounts and signing in.

Passwords are hashed with argon2id (argon2-cffi) at 64 MiB, three passes, four lanes: above
OWASP's recommended minimum (19 MiB, two passes, one lane). A hash made with weaker parameters is
replaced at the next sign-in. Five wrong passwords in a row lock the account for 15 minutes; the
lock is recorded. An unknown username costs the same time as a known one (a hash is still checked),
so the time taken does not tell who has an account. Passwords are never logged or returned.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from auditor.domain.clock import Clock
from auditor.domain.errors import AuditorError, NotFound, RuleViolation
from auditor.domain.passwords import check_password
from auditor.domain.permissions import AccessEventKind, Action, Principal
from auditor.domain.reference import Role
from auditor.paths import resource
from auditor.services.access import guard
from auditor.services.access.log import record
from db.engine import Database
from db.models import Account, Person, PersonRole

MAX_FAILURES = 5
LOCK_FOR = dt.timedelta(minutes=15)
#: The password every demo person signs in with (``init --demo``; the README says so).
DEMO_PASSWORD = "demo-password-2026"


#: argon2id's cost in production: above OWASP's minimum (19 MiB, two passes, one lane).
ARGON2_TIME_COST = 3
ARGON2_MEMORY_KIB = 64 * 1024
ARGON2_LANES = 4


def default_hasher() -> PasswordHasher:
    return PasswordHasher(
        time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_LANES
    )


class SignInRefused(AuditorError):
    """A wrong username or password, a locked or switched-off account."""


@functools.cache
def common_passwords() -> frozenset[str]:
    text = resource("common-passwords.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in text.splitlines() if line and not line.startswith("#")
    )


@dataclass(frozen=True)
class SignedIn:
    principal: Principal
    #: An administrator reset the password: a new one must be chosen before anything else.
    must_change: bool


@dataclass(frozen=True)
class AccountDTO:
    username: str
    name: str
    roles: tuple[Role, ...]
    active: bool
    must_change: bool
    locked_until: dt.datetime | None
    last_signed_in_at: dt.datetime | None


class AccountService:
    def __init__(self, db: Database, clock: Clock, hasher: PasswordHasher | None = None) -> None:
        self.db, self.clock = db, clock
        self.hasher = hasher or default_hasher()

    @functools.cached_property
    def _dummy_hash(self) -> str:
        return self.hasher.hash("not anybody's password")

    # ------------------------------------------------------------------ signing in

    def sign_in(self, username: str, password: str) -> SignedIn:
        """The principal of ``username`` if ``password`` is theirs; ``SignInRefused`` otherwise,
        with the failure counted (the fifth in a row locks the account for 15 minutes)."""
        return self._check_password(username, password, AccessEventKind.SIGNED_IN)

    def _check_password(self, username: str, password: str, success: AccessEventKind) -> SignedIn:
        """Signing in or unlocking: the password checked, a failure counted, and the outcome
        (``success``, or the failure and any lock-out) in the access log."""
        refused: str | None = None
        with self.db.transaction() as s:
            now = self.clock.now()
            account = _account_named(s, username)
            if account is None or not account.person.active:
                self._verify(self._dummy_hash, password)  # the same time as a real check
                refused = "The username or password is not right."
            elif not account.active:
                refused = "This sign-in has been switched off. Ask an administrator."
            elif account.locked_until and account.locked_until > now:
                minutes = -(-(account.locked_until - now).seconds // 60)
                refused = (
                    f"This account is locked after {MAX_FAILURES} wrong passwords. Try again in "
                    f"{minutes} minute{'s' if minutes != 1 else ''}, or ask an administrator."
                )
            elif not self._verify(account.password_hash, password):
                refused = self._count_failure(s, account, now)
            else:
                account.failed_attempts = 0
                account.locked_until = None
                account.last_signed_in_at = now
                if self.hasher.check_needs_rehash(account.password_hash):
                    account.password_hash = self.hasher.hash(password)
                record(s, success, now, person_id=account.person_id)
                return SignedIn(guard.principal_for_person(s, account.person), account.must_change)
        raise SignInRefused(refused)

    def _count_failure(self, s: Session, account: Account, now: dt.datetime) -> str:
        account.failed_attempts += 1
        record(s, AccessEventKind.SIGN_IN_FAILED, now, person_id=account.person_id)
        if account.failed_attempts >= MAX_FAILURES:
            account.failed_attempts = 0
            account.locked_until = now + LOCK_FOR
            record(s, AccessEventKind.LOCKED_OUT, now, person_id=account.person_id)
            return (
                f"That password is not right, and it was the {MAX_FAILURES}th in a row: the "
                f"account is locked for {LOCK_FOR.seconds // 60} minutes."
            )
        left = MAX_FAILURES - account.failed_attempts
        return (
            "The username or password is not right. "
            f"{left} more wrong password{'s' if left != 1 else ''} will lock the account."
        )

    def confirm(self, who: Principal, password: str) -> None:
        """Unlocking a locked session: ``password`` must be ``who``'s; a wrong one counts towards
        the lock-out like a wrong sign-in. Logged once, as UNLOCKED (the session goes on: no new
        sign-in)."""
        self._check_password(who.username, password, AccessEventKind.UNLOCKED)

    def _verify(self, hashed: str, password: str) -> bool:
        try:
            return self.hasher.verify(hashed, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def note(self, who: Principal, kind: AccessEventKind) -> None:
        """Record a session event: signed out, session locked, unlocked."""
        with self.db.transaction() as s:
            record(s, kind, self.clock.now(), person_id=who.person_id)

    # ------------------------------------------------------------------ passwords

    def change_password(self, who: Principal, current: str, new: str) -> None:
        """``who`` changes their own password; the current one must be given."""
        with self.db.transaction() as s:
            person, _ = guard.check(s, who)
            account = _account_of(s, person)
            if not self._verify(account.password_hash, current):
                raise SignInRefused("Your current password is not right; nothing was changed.")
            if new == current:
                raise RuleViolation("Choose a password different from the one you have now.")
            self._set_password(s, account, new, must_change=False)
            record(s, AccessEventKind.PASSWORD_CHANGED, self.clock.now(), person_id=person.id)

    def reset_password(self, who: Principal, username: str, temporary: str) -> None:
        """An administrator sets a password that must be changed at its next use."""
        with self.db.transaction() as s:
            guard.check(s, who, Action.MANAGE_ACCOUNTS)
            account = _account_named(s, username)
            person = account.person if account else _person(s, username)
            if account is None:
                account = self._new_account(s, person, temporary)
            else:
                self._set_password(s, account, temporary, must_change=True)
            account.must_change = True
            account.failed_attempts, account.locked_until = 0, None
            record(
                s,
                AccessEventKind.PASSWORD_RESET,
                self.clock.now(),
                person_id=who.person_id,
                detail=f"for {person.username}",
            )

    def set_active(self, who: Principal, username: str, active: bool) -> None:
        """An administrator switches a sign-in off (or on again). Nobody switches off their own,
        and the last active administrator's stays on."""
        with self.db.transaction() as s:
            me, _ = guard.check(s, who, Action.MANAGE_ACCOUNTS)
            account = _account_named(s, username)
            if account is None:
                raise NotFound(f"{username} has no sign-in.")
            if not active and account.person_id == me.id:
                raise RuleViolation("You cannot switch off your own sign-in.")
            if not active and _is_admin(account.person) and _active_admins(s) <= 1:
                raise RuleViolation(
                    "This is the last administrator who can sign in: make someone else an "
                    "administrator first."
                )
            account.active = active
            kind = (
                AccessEventKind.ACCOUNT_REACTIVATED
                if active
                else AccessEventKind.ACCOUNT_DEACTIVATED
            )
            record(
                s, kind, self.clock.now(), person_id=me.id, detail=f"for {account.person.username}"
            )

    def unlock(self, who: Principal, username: str) -> None:
        """An administrator lifts a lock-out before its 15 minutes are up (recorded)."""
        with self.db.transaction() as s:
            me, _ = guard.check(s, who, Action.MANAGE_ACCOUNTS)
            account = _account_named(s, username)
            if account is None:
                raise NotFound(f"{username} has no sign-in.")
            account.failed_attempts, account.locked_until = 0, None
            record(
                s,
                AccessEventKind.UNLOCKED,
                self.clock.now(),
                person_id=me.id,
                detail=f"for {account.person.username}",
            )

    def accounts(self, who: Principal) -> list[AccountDTO]:
        """Every sign-in, with its last use, lock and whether a new password is due (never the
        hash)."""
        with self.db.reading() as s:
            guard.check(s, who, Action.MANAGE_ACCOUNTS)
            rows = s.scalars(select(Account).join(Person).order_by(Person.name))
            return [
                AccountDTO(
                    a.person.username,
                    a.person.name,
                    tuple(Role(r.role) for r in a.person.roles),
                    a.active,
                    a.must_change,
                    a.locked_until,
                    a.last_signed_in_at,
                )
                for a in rows
            ]

    # ------------------------------------------------------------------ creating accounts

    def create(self, who: Principal, username: str, password: str) -> None:
        """An administrator gives an existing person a sign-in; they choose their own password at
        the first sign-in."""
        with self.db.transaction() as s:
            guard.check(s, who, Action.MANAGE_ACCOUNTS)
            person = _person(s, username)
            if _account_of_or_none(s, person) is not None:
                raise RuleViolation(f"{person.username} already has a sign-in.")
            account = self._new_account(s, person, password)
            account.must_change = True
            record(
                s,
                AccessEventKind.ACCOUNT_CREATED,
                self.clock.now(),
                person_id=who.person_id,
                detail=f"for {person.username}",
            )

    def create_first(self, username: str, password: str) -> Principal:
        """The sign-in of the database's first administrator, made at set-up: refused once any
        administrator can sign in."""
        with self.db.transaction() as s:
            person = _person(s, username)
            if not _is_admin(person):
                raise RuleViolation(f"{person.username} is not an administrator.")
            if _active_admins(s):
                raise RuleViolation(
                    "This database already has an administrator who can sign in. "
                    "Ask them to give you a sign-in."
                )
            if _account_of_or_none(s, person) is not None:
                raise RuleViolation(f"{person.username} already has a sign-in.")
            self._new_account(s, person, password)
            record(s, AccessEventKind.ACCOUNT_CREATED, self.clock.now(), person_id=person.id)
            return guard.principal_for_person(s, person)

    def give_everyone(self, password: str) -> int:
        """A sign-in with ``password`` for every person without one: the demo's, only. One hash
        is made and shared (they share the documented demo password anyway)."""
        hashed = self.hasher.hash(password)
        now = self.clock.now()
        with self.db.transaction() as s:
            have = set(s.scalars(select(Account.person_id)))
            people = [p for p in s.scalars(select(Person)) if p.id not in have]
            for p in people:
                s.add(
                    Account(
                        person_id=p.id,
                        password_hash=hashed,
                        must_change=False,
                        failed_attempts=0,
                        active=True,
                        created_at=now,
                        password_changed_at=now,
                    )
                )
            return len(people)

    def _new_account(self, s: Session, person: Person, password: str) -> Account:
        check_password(
            password, username=person.username, name=person.name, common=common_passwords()
        )
        now = self.clock.now()
        account = Account(
            person_id=person.id,
            password_hash=self.hasher.hash(password),
            must_change=False,
            failed_attempts=0,
            active=True,
            created_at=now,
            password_changed_at=now,
        )
        s.add(account)
        s.flush()
        return account

    def _set_password(self, s: Session, account: Account, new: str, *, must_change: bool) -> None:
        person = account.person
        check_password(new, username=person.username, name=person.name, common=common_passwords())
        account.password_hash = self.hasher.hash(new)
        account.must_change = must_change
        account.password_changed_at = self.clock.now()

    # ------------------------------------------------------------------ for the program's own use

    def principal_of(self, username: str) -> Principal:
        """``username``'s principal without a password: for the demo builder and tests only. The
        desktop app and the command line never call this (a test checks)."""
        with self.db.reading() as s:
            return guard.principal_of(s, username)

    def has_account(self, username: str) -> bool:
        with self.db.reading() as s:
            return _account_named(s, username) is not None

    def any_accounts(self) -> bool:
        with self.db.reading() as s:
            return bool(s.scalar(select(func.count(Account.id))))


def _account_named(s: Session, username: str) -> Account | None:
    return s.scalar(select(Account).join(Person).where(Person.username == username.strip().lower()))


def _account_of_or_none(s: Session, person: Person) -> Account | None:
    return s.scalar(select(Account).where(Account.person_id == person.id))


def _account_of(s: Session, person: Person) -> Account:
    account = _account_of_or_none(s, person)
    if account is None:
        raise NotFound(f"{person.username} has no sign-in.")
    return account


def _person(s: Session, username: str) -> Person:
    person = s.scalar(select(Person).where(Person.username == username.strip().lower()))
    if person is None:
        raise NotFound(
            f"There is nobody with the username '{username}'. "
            "'python main.py people list' shows everyone."
        )
    return person


def _is_admin(person: Person) -> bool:
    return any(r.role == Role.ADMINISTRATOR.value for r in person.roles)


def _active_admins(s: Session) -> int:
    return (
        s.scalar(
            select(func.count(func.distinct(Account.id)))
            .join(Person, Account.person_id == Person.id)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(
                PersonRole.role == Role.ADMINISTRATOR.value,
                Account.active.is_(True),
                Person.active.is_(True),
            )
        )
        or 0
    )
