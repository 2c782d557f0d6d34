"""Expected failures, each with a message a social care manager can act on.

Anything raised that is *not* an ``AuditorError`` is a bug: the entry points log it and show a crash
message instead of a traceback.
"""

from __future__ import annotations


class AuditorError(Exception):
    """Base of every expected failure. ``str(error)`` is the message shown to the user."""


class RuleViolation(AuditorError):
    """An action that the audit rules do not allow (wrong person, wrong stage, missing action...)."""


class ValidationError(AuditorError):
    """Input that is incomplete or malformed: answers, a date, an import file.

    ``problems`` lists each problem on its own so that a screen can show it next to the thing to fix;
    ``field_ids`` (where known) names the form fields involved.
    """

    def __init__(
        self, message: str, problems: list[str] | None = None, field_ids: list[str] | None = None
    ) -> None:
        self.problems = list(problems or [])
        self.field_ids = list(field_ids or [])
        if self.problems:
            message = message + "\n" + "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(message)


class NotFound(AuditorError):
    """A reference (audit number, case reference, username...) that does not exist."""


class StorageError(AuditorError):
    """The database file cannot be used: missing, locked, damaged or from a newer version."""


class FormDefinitionError(AuditorError):
    """A form definition file with a mistake in it; the message names the file and the field."""


class OutputError(AuditorError):
    """A document or export cannot be written where asked (no such folder, no permission, disk
    full). Nothing is left half-written."""


class Cancelled(AuditorError):
    """The user stopped a long report or export; nothing was written."""
