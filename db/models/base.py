"""The declarative base every entity shares, and the column helpers of more than one area: enum-like
columns are typed with the domain's enums, stored as their string values and checked by the
database (CHECK constraints, migration 0003)."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum as PyEnum

from sqlalchemy import CheckConstraint, Enum
from sqlalchemy.orm import DeclarativeBase

from auditor.domain.grades import Grade


class Base(DeclarativeBase):
    pass


def grade_check(column: str, name: str, nullable: bool = False) -> CheckConstraint:
    """Grade columns stay text (the reporting queries count them as text); the database still
    refuses anything but a grade's value."""
    allowed = f"{column} IN ({', '.join(repr(g.value) for g in Grade)})"
    return CheckConstraint(f"{column} IS NULL OR {allowed}" if nullable else allowed, name=name)


def enum_values(members: Iterable[PyEnum]) -> str:
    """The members' stored values as a SQL list body: 'a', 'b'."""
    return ", ".join(repr(m.value) for m in members)


def choice(enum: type[PyEnum], length: int, name: str) -> Enum:
    """A text column holding one of an enum's values (not its names), refused otherwise."""
    return Enum(
        enum,
        native_enum=False,
        create_constraint=True,
        length=length,
        name=name,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
