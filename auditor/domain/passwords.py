"""What makes a password acceptable, after the NCSC's guidance: long enough, not one of the
passwords everybody tries first, not the person's own name. No rules about digits or symbols and
no forced periodic change: those push people to predictable passwords."""

from __future__ import annotations

from collections.abc import Container

from auditor.domain.errors import ValidationError

MIN_LENGTH = 10
MAX_LENGTH = 256


def password_problems(
    password: str, *, username: str = "", name: str = "", common: Container[str] = ()
) -> list[str]:
    """Everything wrong with ``password``, in words for the person choosing it; empty when it is
    acceptable. ``common``: the deny-list, lower-cased."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(
            f"Use at least {MIN_LENGTH} characters (this has {len(password)}). "
            "Three random words make a long password that is easy to remember."
        )
    if len(password) > MAX_LENGTH:
        problems.append(f"Use at most {MAX_LENGTH} characters.")
    folded = password.strip().lower()
    if folded and folded in common:
        problems.append("That is one of the passwords people use most often; choose another.")
    names = {username.strip().lower(), "".join(name.lower().split())} - {""}
    if folded and "".join(folded.split()) in names:
        problems.append("Do not use your own name or username as your password.")
    return problems


def check_password(
    password: str, *, username: str = "", name: str = "", common: Container[str] = ()
) -> None:
    problems = password_problems(password, username=username, name=name, common=common)
    if problems:
        raise ValidationError("That password cannot be used.", problems)
