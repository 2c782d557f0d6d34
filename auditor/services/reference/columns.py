"""The first row of an imported table names its columns; this finds them and lists what is wrong.

Shared by every import (``import-history``, teams, people, cases): column names are compared
without case, and spaces, underscores or hyphens alike; each known column may be named once; the
required ones must all be there, in row 1; a value under no column name refuses the file (its
rows would not line up). A refusal lists at most ``MAX_LISTED`` problems of at most
``PROBLEM_CHARS`` characters each, and its first line quotes no cell, so it may be logged.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain, islice
from pathlib import Path

from auditor.domain.errors import ValidationError
from auditor.services.reference.tabular import (
    MAX_ROWS,
    Cell,
    Row,
    column_letter,
    display_name,
    open_rows,
    quote,
)

MAX_LISTED = 10
PROBLEM_CHARS = 150  # one listed problem, at most
HEADER_SEARCH_ROWS = 20


@dataclass(frozen=True)
class ColumnSet:
    """The columns an import reads, as compared (``header_key``)."""

    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    spaced: bool = False  # name the columns in messages with spaces ("line manager")

    def say(self, key: str) -> str:
        return key.replace("_", " ") if self.spaced else key

    @property
    def known(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass(frozen=True)
class DataRow:
    number: int  # as a spreadsheet numbers it
    values: dict[str, Cell]  # known column -> its cell; columns beyond the row's end left out


def header_key(name: Cell) -> str:
    """A column name as compared: without case, and spaces, underscores or hyphens alike."""
    return re.sub(r"[\s_\-]+", "_", str(name).strip().lower()).strip("_")


def refused(name: str, what: str, problems: list[str] | None = None) -> ValidationError:
    return ValidationError(f"{name}: nothing was imported because {what}", problems)


def listed(problems: list[str], what: str = "problems") -> list[str]:
    """At most ``MAX_LISTED`` problems, each cut to ``PROBLEM_CHARS``, then how many more."""
    shown = [p if len(p) <= PROBLEM_CHARS else p[: PROBLEM_CHARS - 1] + "…" for p in problems]
    more = len(shown) - MAX_LISTED
    return shown[:MAX_LISTED] + ([f"... and {more} more {what}"] if more > 0 else [])


def refuse_rows(name: str, rows: int, problems: list[str]) -> ValidationError:
    return refused(
        name,
        f"{rows} row(s) have problems (rows are numbered as in a spreadsheet, the header is "
        "row 1). Correct them and import the whole file again:",
        listed(problems, "problems"),
    )


def find_columns(header: Row, name: str, spec: ColumnSet) -> dict[str, int]:
    """Known column -> its index, refusing any known column named twice."""
    groups: dict[str, list[int]] = {}
    for index, cell in enumerate(header.cells):
        if header_key(cell) in spec.known:
            groups.setdefault(header_key(cell), []).append(index)
    clashes = []
    for key, indices in groups.items():
        if len(indices) < 2:
            continue
        texts = [str(header.cells[i]).strip() for i in indices]
        letters = ", ".join(column_letter(i) for i in indices)
        if len(set(texts)) == 1:
            clashes.append(f"the column name {quote(texts[0], 30)} appears in columns {letters}")
        else:
            names = ", ".join(quote(t, 30) for t in texts)
            clashes.append(f"columns {letters} ({names}) all name the {spec.say(key)} column")
    if clashes:
        raise refused(
            name,
            "some columns are named more than once (names are compared without case, spaces or "
            "underscores). Keep one column of each name:",
            listed(clashes),
        )
    return {key: indices[0] for key, indices in groups.items()}


def read_header(
    rows: Iterator[Row], name: str, spec: ColumnSet
) -> tuple[dict[str, int], Row, Iterator[Row]]:
    """The known columns, the header row and the data rows after it."""
    ahead = list(islice(rows, HEADER_SEARCH_ROWS))
    if not ahead:
        raise refused(name, "it is empty: the first row must name the columns.")
    header = ahead[0]
    columns = find_columns(header, name, spec) if header.number == 1 else {}
    missing = [c for c in spec.required if c not in columns]
    if missing:
        wanted = set(spec.required)
        found = next((r for r in ahead if wanted <= {header_key(c) for c in r.cells}), None)
        if found is not None and found.number > 1:
            raise refused(
                name,
                f"the column names are in row {found.number}, not in row 1. Delete the "
                f"{found.number - 1} row(s) above them and import the file again.",
            )
        optional = (
            f" and {', '.join(spec.say(c) for c in spec.optional)} (optional)"
            if spec.optional
            else ""
        )
        raise refused(
            name,
            f"the file has no {', '.join(repr(spec.say(m)) for m in missing)} column. The first "
            f"row must name the columns: {', '.join(spec.say(c) for c in spec.required)} "
            f"(required){optional}.",
        )
    return columns, header, chain(ahead[1:], rows)


def read_table(
    path: Path, spec: ColumnSet, sheet: str | None = None, max_rows: int = MAX_ROWS
) -> list[DataRow]:
    """The rows of the file that hold a value in a known column, each with its known cells; or a
    refusal of the whole file (no header, a column named twice, values under no name…)."""
    name = display_name(path)
    rows: list[DataRow] = []
    unnamed: list[str] = []  # rows with values under no column name
    with open_rows(path, sheet, max_rows=max_rows) as table:
        columns, header, data = read_header(table, name, spec)
        named = {i for i, c in enumerate(header.cells) if str(c).strip()}
        for row in data:
            values = {k: row.cells[i] for k, i in columns.items() if i < len(row.cells)}
            stray = [i for i, c in enumerate(row.cells) if i not in named and str(c).strip()]
            if stray:
                unnamed.append(f"row {row.number}, column {column_letter(stray[0])}")
            if any(str(v).strip() for v in values.values()):
                rows.append(DataRow(row.number, values))
    if unnamed:
        raise refused(
            name,
            f"{len(unnamed)} row(s) have values in columns with no name in row 1 (the first: "
            f"{unnamed[0]}): the rows do not line up with the column names. Name every column "
            "in row 1, or remove the values that are not under a name.",
        )
    return rows
