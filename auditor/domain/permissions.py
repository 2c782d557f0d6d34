"""Who may do what: one table of role × action, the reach of each role's reading, and the signed-in
person every service call is made for.

The table is the coarse gate, checked inside the services on every call (``require``); the audit
rules in ``workflow`` then decide the particulars (the case's own worker writes its self-review, the
second auditor is someone other than the first...). Both must allow an action.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum

from auditor.domain.errors import AuditorError
from auditor.domain.reference import JOB_ROLES, Role


class NotPermitted(AuditorError):
    """The person signed in may not do this (their roles, or the records they may see)."""


class Action(Enum):
    START_AUDIT = "start_audit"
    WRITE_SELF_REVIEW = "write_self_review"
    WRITE_FIRST_AUDIT = "write_first_audit"
    WRITE_FAMILY_FEEDBACK = "write_family_feedback"
    WRITE_SECOND_AUDIT = "write_second_audit"
    TAKE_SECOND_AUDIT = "take_second_audit"
    ASSIGN_SECOND_AUDIT = "assign_second_audit"
    MAKE_NOT_BLIND = "make_not_blind"
    RECONCILE = "reconcile"
    WAIVE_SELF_REVIEW = "waive_self_review"
    SET_ACTIONS = "set_actions"
    CLOSE_AUDIT = "close_audit"
    CANCEL_AUDIT = "cancel_audit"
    RECORD_OBSERVATION = "record_observation"
    RUN_DIP_SAMPLE = "run_dip_sample"
    PLAN_PRACTICE_WEEK = "plan_practice_week"
    BUILD_SAMPLE = "build_sample"
    READ_AUDITS = "read_audits"
    PRINT_AUDIT = "print_audit"
    RUN_SUMMARY = "run_summary"
    RUN_QA_REPORT = "run_qa_report"
    VIEW_MODERATION = "view_moderation"
    EXPORT = "export"
    IMPORT_HISTORY = "import_history"
    IMPORT_DIRECTORY = "import_directory"
    MANAGE_PEOPLE = "manage_people"
    MANAGE_TEAMS = "manage_teams"
    MANAGE_CASES = "manage_cases"
    MANAGE_ACCOUNTS = "manage_accounts"
    READ_ACCESS_LOG = "read_access_log"
    SET_READ_SCOPE = "set_read_scope"
    RESTORE_BACKUP = "restore_backup"

    @property
    def label(self) -> str:
        return _ACTION_LABELS[self]


_ACTION_LABELS = {
    Action.START_AUDIT: "start an audit",
    Action.WRITE_SELF_REVIEW: "write a self-review",
    Action.WRITE_FIRST_AUDIT: "write a first-line audit",
    Action.WRITE_FAMILY_FEEDBACK: "record family feedback",
    Action.WRITE_SECOND_AUDIT: "write a second audit",
    Action.TAKE_SECOND_AUDIT: "take a second audit",
    Action.ASSIGN_SECOND_AUDIT: "assign a second auditor",
    Action.MAKE_NOT_BLIND: "make an audit not blind",
    Action.RECONCILE: "note differences between the audits",
    Action.WAIVE_SELF_REVIEW: "waive a self-review",
    Action.SET_ACTIONS: "set follow-up actions",
    Action.CLOSE_AUDIT: "close an audit",
    Action.CANCEL_AUDIT: "cancel an audit",
    Action.RECORD_OBSERVATION: "record an observation of practice",
    Action.RUN_DIP_SAMPLE: "run a dip sample",
    Action.PLAN_PRACTICE_WEEK: "plan a practice week",
    Action.BUILD_SAMPLE: "build a case sample",
    Action.READ_AUDITS: "read audits",
    Action.PRINT_AUDIT: "print an audit",
    Action.RUN_SUMMARY: "run the grade summary",
    Action.RUN_QA_REPORT: "run the QA report",
    Action.VIEW_MODERATION: "see the moderation figures",
    Action.EXPORT: "export audit data",
    Action.IMPORT_HISTORY: "import historic grades",
    Action.IMPORT_DIRECTORY: "import staff and cases",
    Action.MANAGE_PEOPLE: "manage people",
    Action.MANAGE_TEAMS: "manage teams",
    Action.MANAGE_CASES: "manage cases",
    Action.MANAGE_ACCOUNTS: "manage sign-ins",
    Action.READ_ACCESS_LOG: "read the access log",
    Action.SET_READ_SCOPE: "set what each role may read",
    Action.RESTORE_BACKUP: "restore the database from a backup",
}


class Scope(Enum):
    """How far a role's reading reaches. Everyone sees the activities they took part in."""

    OWN = "own"  # their own cases and the activities they took part in
    TEAM = "team"  # and the work of the teams they manage
    ALL = "all"  # every team's work

    @property
    def label(self) -> str:
        return {
            Scope.OWN: "their own cases and their own work",
            Scope.TEAM: "the teams they manage",
            Scope.ALL: "every team",
        }[self]

    @property
    def reach(self) -> int:
        return {Scope.OWN: 0, Scope.TEAM: 1, Scope.ALL: 2}[self]


_A = Action
_READ = {_A.READ_AUDITS, _A.PRINT_AUDIT}
_FIRST_LINE = _READ | {
    _A.START_AUDIT,
    _A.WRITE_FIRST_AUDIT,
    _A.WRITE_FAMILY_FEEDBACK,
    _A.WAIVE_SELF_REVIEW,
    _A.SET_ACTIONS,
    _A.CLOSE_AUDIT,
    _A.CANCEL_AUDIT,
    _A.RECORD_OBSERVATION,
    _A.RUN_DIP_SAMPLE,
    _A.RUN_SUMMARY,
}
_SENIOR = _FIRST_LINE | {
    _A.MAKE_NOT_BLIND,
    _A.WRITE_SECOND_AUDIT,
    _A.TAKE_SECOND_AUDIT,
    _A.ASSIGN_SECOND_AUDIT,
    _A.RECONCILE,
    _A.PLAN_PRACTICE_WEEK,
    _A.BUILD_SAMPLE,
    _A.RUN_QA_REPORT,
    _A.VIEW_MODERATION,
    _A.EXPORT,
}
_QA = _SENIOR | {_A.IMPORT_HISTORY, _A.READ_ACCESS_LOG}

#: Role × action: what each role may do. A person holding several roles may do what any of them may.
PERMISSIONS: Mapping[Role, frozenset[Action]] = {
    Role.SOCIAL_WORKER: frozenset(_READ | {_A.WRITE_SELF_REVIEW}),
    Role.TEAM_MANAGER: frozenset(_FIRST_LINE),
    Role.SENIOR_SOCIAL_WORK_MANAGER: frozenset(_SENIOR),
    Role.SERVICE_MANAGER: frozenset(_SENIOR),
    Role.HEAD_OF_SERVICE: frozenset(_SENIOR),
    Role.ADVANCED_PRACTITIONER: frozenset(_QA),
    Role.PRINCIPAL_SOCIAL_WORKER: frozenset(
        _QA | {_A.MANAGE_PEOPLE, _A.MANAGE_TEAMS, _A.MANAGE_CASES, _A.IMPORT_DIRECTORY}
    ),
    Role.DIRECTOR: frozenset(_SENIOR | {_A.READ_ACCESS_LOG}),
    Role.IRO: frozenset(_READ),
    Role.ADMINISTRATOR: frozenset(
        {
            _A.MANAGE_PEOPLE,
            _A.MANAGE_TEAMS,
            _A.MANAGE_CASES,
            _A.MANAGE_ACCOUNTS,
            _A.IMPORT_DIRECTORY,
            _A.READ_ACCESS_LOG,
            _A.SET_READ_SCOPE,
            _A.RESTORE_BACKUP,
        }
    ),
}

#: How far each role reads unless the council has set otherwise (``role_scope`` in the database).
READ_SCOPE: Mapping[Role, Scope] = {
    Role.SOCIAL_WORKER: Scope.OWN,
    Role.TEAM_MANAGER: Scope.TEAM,
    Role.SENIOR_SOCIAL_WORK_MANAGER: Scope.ALL,
    Role.SERVICE_MANAGER: Scope.ALL,
    Role.HEAD_OF_SERVICE: Scope.ALL,
    Role.ADVANCED_PRACTITIONER: Scope.ALL,
    Role.PRINCIPAL_SOCIAL_WORKER: Scope.ALL,
    Role.DIRECTOR: Scope.ALL,
    Role.IRO: Scope.OWN,
    Role.ADMINISTRATOR: Scope.OWN,
}

assert set(PERMISSIONS) == set(Role) == set(READ_SCOPE)
assert set(JOB_ROLES) < set(Role)


@dataclass(frozen=True)
class Principal:
    """The person signed in, as the services see them for one call.

    Made only by signing in (``AccountService.sign_in``) or, for the program's own work (the demo
    builder, tests), by ``AccountService.principal_of``; the desktop app and the command line hold
    one only after a correct password. The services look the person up again on every call, so a
    deactivated account or a changed role counts at once.
    """

    person_id: int
    username: str
    name: str
    roles: frozenset[Role]
    #: How far their reading reaches (the widest of their roles', after the council's settings).
    scope: Scope = Scope.OWN
    #: The teams whose work they read at TEAM scope: their own team and those of the people they
    #: line-manage.
    team_ids: frozenset[int] = frozenset()

    def may(self, action: Action) -> bool:
        return allowed(self.roles, action)


def allowed(roles: Iterable[Role], action: Action) -> bool:
    return any(action in PERMISSIONS[role] for role in roles)


def who_may(action: Action) -> tuple[Role, ...]:
    """The roles that may take ``action``, in the order of ``Role``."""
    return tuple(role for role in Role if action in PERMISSIONS[role])


def refusal(action: Action) -> str:
    """Why ``action`` is refused, in words for the person refused (also the GUI's hover text)."""
    roles = who_may(action)
    names = ", ".join(r.label for r in roles) if roles else "nobody"
    return f"You may not {action.label}: that is for {names}."


def require(who: Principal, action: Action) -> None:
    """Raise ``NotPermitted`` unless one of ``who``'s roles may take ``action``."""
    if not who.may(action):
        raise NotPermitted(refusal(action))


def widest_scope(roles: Iterable[Role], overrides: Mapping[Role, Scope] | None = None) -> Scope:
    """The widest reach among ``roles``, the council's ``overrides`` counting over the defaults."""
    table = {**READ_SCOPE, **(overrides or {})}
    return max((table[r] for r in roles), key=lambda s: s.reach, default=Scope.OWN)


class AccessEventKind(Enum):
    """What the access log records."""

    SIGNED_IN = "signed_in"
    SIGN_IN_FAILED = "sign_in_failed"
    LOCKED_OUT = "locked_out"
    SIGNED_OUT = "signed_out"
    SESSION_LOCKED = "session_locked"
    UNLOCKED = "unlocked"
    PASSWORD_CHANGED = "password_changed"
    PASSWORD_RESET = "password_reset"
    ACCOUNT_CREATED = "account_created"
    ACCOUNT_DEACTIVATED = "account_deactivated"
    ACCOUNT_REACTIVATED = "account_reactivated"
    VIEWED_AUDIT = "viewed_audit"
    PRINTED_AUDIT = "printed_audit"
    PRINTED_REPORT = "printed_report"
    EXPORTED = "exported"
    REFUSED = "refused"
    READ_SCOPE_CHANGED = "read_scope_changed"  # what a role may read, changed by an administrator
    BACKUP_RESTORED = "backup_restored"  # the database put back to a backup (work since: set aside)

    @property
    def label(self) -> str:
        if self is AccessEventKind.READ_SCOPE_CHANGED:
            return "Changed what a role reads"
        if self is AccessEventKind.REFUSED:
            return "Refused: out of reach"
        return str(self.value).replace("_", " ").capitalize()
