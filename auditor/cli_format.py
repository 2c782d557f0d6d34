"""Plain-text, CSV and JSON output for the command line."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
import json
from collections.abc import Sequence
from typing import Any


def plain(value: Any) -> Any:
    """A JSON-friendly version of a value (enums by value, dates as ISO text)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k.value if isinstance(k, enum.Enum) else k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]],
          right: Sequence[bool] | None = None) -> str:
    """Columns padded to their widest cell; numbers (or columns flagged in ``right``) aligned right."""
    text = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in text]) for i, h in enumerate(headers)]
    if right is None:
        right = [bool(rows) and all(isinstance(r[i], int | float) for r in rows)
                 for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.rjust(w) if r else c.ljust(w)
                         for c, w, r in zip(cells, widths, right, strict=True)).rstrip()
    out = [line(list(headers)), line(["-" * w for w in widths])]
    out += [line(r) for r in text]
    return "\n".join(out)


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows([["" if v is None else plain(v) for v in row] for row in rows])
    return buffer.getvalue().rstrip("\n")


def to_json(value: Any) -> str:
    return json.dumps(plain(value), indent=2, ensure_ascii=False)


def render(fmt: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    if fmt == "csv":
        return to_csv(headers, rows)
    if fmt == "json":
        return to_json([dict(zip(headers, row, strict=True)) for row in rows])
    return table(headers, rows) if rows else "(nothing to show)"
