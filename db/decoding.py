"""Reading stored values back: a value the database holds that the application does not
understand (a grade ``excellent``, a state ``weird``, a date with a NUL byte in it, answers that
are not JSON) means the file is damaged, and is refused as such (``StorageError``), never a crash.

The check sits where a stored value is decoded — the column types — and nowhere else: every
date, timestamp and enum column, and the text columns that hold a fixed set of values (grades,
roles, categories), are wrapped at import time in ``Decoded``, which runs the column's own
decoding and translates its failure, naming the table and column. Writing is unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Date, DateTime, Dialect, Enum, MetaData, String
from sqlalchemy.types import TypeDecorator, TypeEngine

from auditor.domain.errors import StorageError

#: at most this much of a stored value is quoted in a message
QUOTE_MAX = 40


def _quote(value: object) -> str:
    text = repr(value)
    return text if len(text) <= QUOTE_MAX else text[: QUOTE_MAX - 1] + "…'"


def damaged_value(where: str, value: object) -> StorageError:
    return StorageError(
        f"The database holds a value it does not understand in {where} ({_quote(value)}): the "
        "file is damaged. Nothing was changed. Restore the newest backup ('python main.py "
        "restore --latest', or File > Restore from backup… in the app)."
    )


class Decoded(TypeDecorator[Any]):
    """A column type that refuses stored values it cannot decode (see the module's docstring).

    ``allowed``: the only text values the column may hold; ``json_text``: the text must be JSON."""

    impl: Any = String  # the wrapped column type, set per column in __init__
    cache_ok = True

    def __init__(
        self,
        inner: TypeEngine[Any],
        where: str,
        allowed: frozenset[str] | None = None,
        json_text: bool = False,
    ) -> None:
        super().__init__()
        self.impl = inner
        self.where = where
        self.allowed = allowed
        self.json_text = json_text

    @property
    def python_type(self) -> type[Any]:
        return self.impl_instance.python_type

    def result_processor(self, dialect: Dialect, coltype: object) -> Callable[[Any], Any] | None:
        inner = self.impl_instance.result_processor(dialect, coltype)
        where, allowed, json_text = self.where, self.allowed, self.json_text

        def process(value: Any) -> Any:
            if value is None:
                return None
            if allowed is not None and value not in allowed:
                raise damaged_value(where, value)
            if json_text:
                try:
                    json.loads(value)
                except (ValueError, TypeError):
                    raise damaged_value(where, value) from None
            if inner is None:
                return value
            try:
                return inner(value)
            except (ValueError, TypeError, LookupError):
                raise damaged_value(where, value) from None

        return process


def guard_decoding(
    metadata: MetaData,
    allowed: Mapping[str, Iterable[str]],
    json_columns: Iterable[str] = (),
) -> None:
    """Wrap every date, timestamp and enum column of ``metadata``, and the text columns named in
    ``allowed`` ("table.column": its values) and ``json_columns``, in ``Decoded``."""
    json_set = set(json_columns)
    for table in metadata.tables.values():
        for column in table.columns:
            where = f"{table.name}.{column.name}"
            values = allowed.get(where)
            kind = column.type
            if isinstance(kind, Decoded):
                continue
            if (
                values is None
                and where not in json_set
                and not isinstance(kind, Date | DateTime | Enum)
            ):
                continue
            column.type = Decoded(
                kind,
                f"the table {table.name}, column {column.name}",
                None if values is None else frozenset(values),
                where in json_set,
            )
