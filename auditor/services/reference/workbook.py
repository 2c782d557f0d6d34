"""One sheet of an .xlsx workbook as a stream of rows, read straight from the zip.

Each part the import needs (the workbook, its relationships, shared strings, styles, the sheet) is
checked for its unpacked size before it is unzipped (zipfile never gives more than the size it
declares, so a zip bomb stops there) and parsed as a stream (``tabular.parse_part``). The declared
dimension is never read. Dates are the cells whose number format is a date format, as Excel shows
them; a formula counts by the result Excel saved with it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as ET

from auditor.domain.errors import ValidationError
from auditor.services.reference.tabular import (
    MAX_COLUMNS,
    MAX_PART_BYTES,
    MAX_ROWS,
    MAX_XML_ELEMENTS,
    READ_ERRORS,
    SAVE_AS,
    Cell,
    PartTooBig,
    Row,
    check_cell,
    column_letter,
    display_name,
    parse_part,
    quote,
    refuse,
)

MAX_SHEETS_LISTED = 10
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_DATE_FORMAT_IDS = {*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)}
_NOT_A_WORKBOOK = (
    "it is not an Excel workbook (.xlsx): perhaps an older .xls file, a password-protected "
    f"workbook or another kind of file renamed. {SAVE_AS}"
)


@dataclass(frozen=True)
class Sheet:
    name: str
    part: str  # the path of its XML inside the zip
    kind: str  # the relationship type's last word: worksheet, chartsheet…


def _int(text: str | None) -> int | None:
    return int(text) if text and text.strip().isdigit() and len(text) < 10 else None


def _text(element: ET.Element) -> str:
    """The text of a shared or inline string: its own ``t`` and its rich-text runs' ``t``,
    without phonetic guides."""
    parts: list[str] = []
    for child in element:
        tag = child.tag.rpartition("}")[2]
        if tag == "t":
            parts.append(child.text or "")
        elif tag == "r":
            parts += [t.text or "" for t in child if t.tag.rpartition("}")[2] == "t"]
    return "".join(parts)


class Workbook:
    def __init__(self, path: Path, archive: zipfile.ZipFile) -> None:
        self.name = display_name(path)
        self.archive = archive
        self.names = set(archive.namelist())

    @classmethod
    @contextlib.contextmanager
    def open(cls, path: Path) -> Iterator[Workbook]:
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise refuse(display_name(path), _NOT_A_WORKBOOK) from None
        with archive:
            workbook = cls(path, archive)
            if "[Content_Types].xml" not in workbook.names:
                raise refuse(display_name(path), _NOT_A_WORKBOOK)
            yield workbook

    @contextlib.contextmanager
    def _reading(self, part: str) -> Iterator[None]:
        """A damaged part becomes a refusal that names it."""
        try:
            yield
        except PartTooBig:
            raise refuse(
                self.name,
                f"its part {quote(part, 60)} holds more than {MAX_XML_ELEMENTS:,} XML elements "
                "(cells, empty ones included), more than the import reads. Copy the rows to "
                "import to a new workbook, or save them as CSV UTF-8.",
            ) from None
        except READ_ERRORS:
            raise refuse(
                self.name,
                f"the workbook is damaged (its part {quote(part, 60)} cannot be read). Open it "
                "in Excel and save it again, or save it as CSV UTF-8.",
            ) from None

    def _open_part(self, part: str) -> IO[bytes]:
        info = self.archive.getinfo(part)
        if info.file_size > MAX_PART_BYTES:
            raise refuse(
                self.name,
                f"its part {quote(part, 60)} unpacks to {info.file_size / 1e6:,.0f} MB; the "
                f"import reads parts up to {MAX_PART_BYTES / 1e6:.0f} MB. Save the sheet as CSV "
                "UTF-8 or split it.",
            )
        return self.archive.open(info)

    def _elements(self, part: str, tags: frozenset[str]) -> Iterator[tuple[str, ET.Element]]:
        if part not in self.names:
            return
        with self._reading(part), self._open_part(part) as stream:
            yield from parse_part(stream, tags)

    def _relations(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type's last word, target part) of ``part``."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        found: dict[str, tuple[str, str]] = {}
        for _tag, el in self._elements(rels, frozenset({"Relationship"})):
            target = el.get("Target") or ""
            if el.get("TargetMode") == "External":
                continue
            path = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            kind = (el.get("Type") or "").rpartition("/")[2]
            found[el.get("Id") or ""] = (kind, posixpath.normpath(path))
        return found

    def _main_part(self) -> str:
        for kind, target in self._relations("").values():
            if kind == "officeDocument":
                return target
        return "xl/workbook.xml"

    def sheets(self) -> tuple[list[Sheet], bool, dict[str, tuple[str, str]]]:
        """The sheets in order, whether dates count from 1904, and the workbook's relations."""
        main = self._main_part()
        relations = self._relations(main)
        sheets: list[Sheet] = []
        date1904 = False
        for tag, el in self._elements(main, frozenset({"sheet", "workbookPr"})):
            if tag == "workbookPr":
                date1904 = (el.get("date1904") or "").lower() in ("1", "true")
                continue
            rid = next((v for k, v in el.attrib.items() if k.rpartition("}")[2] == "id"), "")
            kind, part = relations.get(rid, ("", ""))
            sheets.append(Sheet(el.get("name") or "", part, kind))
        return sheets, date1904, relations

    def choose_sheet(self, wanted: str | None) -> SheetReader:
        sheets, date1904, relations = self.sheets()
        if not sheets:
            raise refuse(self.name, "the workbook has no sheets.")
        names = [quote(s.name, 31) for s in sheets[:MAX_SHEETS_LISTED]]
        if len(sheets) > MAX_SHEETS_LISTED:
            names.append(f"and {len(sheets) - MAX_SHEETS_LISTED} more")
        if wanted is None and len(sheets) > 1:
            raise ValidationError(
                f"{self.name}: nothing was imported because the workbook has {len(sheets)} "
                "sheets; say which one holds the grades with --sheet NAME. Its sheets:",
                names,
            )
        sheet = sheets[0]
        if wanted is not None:
            matches = [s for s in sheets if s.name == wanted] or [
                s for s in sheets if s.name.strip().casefold() == wanted.strip().casefold()
            ]
            if not matches:
                raise ValidationError(
                    f"{self.name}: nothing was imported because the workbook has no sheet of "
                    "that name. Its sheets:",
                    names,
                )
            sheet = matches[0]
        if sheet.kind != "worksheet" or sheet.part not in self.names:
            raise refuse(self.name, "the sheet holds no table (it is a chart, or it is missing).")
        kinds = dict(relations.values())
        strings = self._shared_strings(kinds.get("sharedStrings", ""))
        dates = self._date_styles(kinds.get("styles", ""))
        return SheetReader(self, sheet, strings, dates, date1904)

    def _shared_strings(self, part: str) -> list[str]:
        return [_text(el) for _tag, el in self._elements(part, frozenset({"si"}))]

    def _date_styles(self, part: str) -> set[int]:
        """The cell styles (indices into cellXfs) whose number format shows a date."""
        from openpyxl.styles.numbers import is_date_format

        custom: dict[int, str] = {}
        styles: list[int] = []
        for tag, el in self._elements(part, frozenset({"numFmt", "cellXfs"})):
            if tag == "numFmt":
                custom[_int(el.get("numFmtId")) or 0] = el.get("formatCode") or ""
            else:  # the cell styles, in order; cellStyleXfs has xf elements too
                styles += [_int(xf.get("numFmtId")) or 0 for xf in el]
        return {
            index
            for index, fmt in enumerate(styles)
            if (fmt in custom and is_date_format(custom[fmt]))
            or (fmt not in custom and fmt in _DATE_FORMAT_IDS)
        }


class SheetReader:
    """The rows of one worksheet, streamed; stops at the first cell beyond the bounds."""

    def __init__(
        self, book: Workbook, sheet: Sheet, strings: list[str], dates: set[int], date1904: bool
    ) -> None:
        self.book = book
        self.sheet = sheet
        self.strings = strings
        self.dates = dates
        self.epoch = dt.datetime(1904, 1, 1) if date1904 else dt.datetime(1899, 12, 30)

    def rows(self, max_rows: int = MAX_ROWS) -> Iterator[Row]:
        number = 0
        cells: dict[int, Cell] = {}
        beyond: tuple[int, Cell] | None = None  # the first value past the last column read
        column = -1
        for tag, el in self.book._elements(self.sheet.part, frozenset({"c", "row"})):
            if tag == "c":
                column = self._column(el, column)
                value = self._value(el, column)
                if value is None or value == "":
                    continue
                if column < MAX_COLUMNS:
                    cells[column] = value
                elif beyond is None:
                    beyond = column, value
                continue
            given = _int(el.get("r"))
            if given is not None and given <= number:
                raise self._damaged(f"its row {given} comes after row {number}")
            number = given or number + 1
            for index, value in sorted(cells.items()) + ([beyond] if beyond else []):
                check_cell(self.book.name, number, index, value, max_rows)
            if cells:
                yield Row(number, tuple(cells.get(i, "") for i in range(max(cells) + 1)))
            cells, beyond, column = {}, None, -1

    def _damaged(self, what: str) -> ValidationError:
        return refuse(
            self.book.name, f"the sheet is damaged ({what}). Open it in Excel and save it again."
        )

    @staticmethod
    def _where(cell: ET.Element, column: int) -> str:
        """The cell's name (C5), or its column if it has none."""
        ref = cell.get("r") or ""
        return ref.upper() if _REF.fullmatch(ref) else f"in column {column_letter(column)}"

    def _column(self, cell: ET.Element, previous: int) -> int:
        ref = cell.get("r")
        if ref is None:
            return previous + 1
        match = _REF.fullmatch(ref)
        if match is None:
            raise self._damaged(f"a cell is named {quote(ref, 20)}")
        index = 0
        for letter in match.group(1).upper():
            index = index * 26 + ord(letter) - 64
        return index - 1

    def _value(self, cell: ET.Element, column: int) -> Cell | None:
        kind = cell.get("t", "n")
        children = {child.tag.rpartition("}")[2]: child for child in cell}
        if kind == "inlineStr":
            return _text(children["is"]) if "is" in children else None
        value = children["v"].text if "v" in children else None
        if value is None:
            if "f" in children:
                raise refuse(
                    self.book.name,
                    f"the cell {self._where(cell, column)} holds a formula whose result was "
                    "not saved with it. Open the workbook in Excel and save it again, or paste "
                    "the values in place of the formulas.",
                )
            return None
        if kind == "s":
            index = _int(value)
            if index is None or index >= len(self.strings):
                raise self._damaged(f"the cell {self._where(cell, column)} has no text")
            return self.strings[index]
        if kind == "b":
            return "TRUE" if value.strip() == "1" else "FALSE"
        if kind == "n" and (_int(cell.get("s")) or 0) in self.dates:
            return self._date(value)
        return value

    def _date(self, value: str) -> Cell:
        """The moment a date-formatted number shows, or the number as text if it is none."""
        from openpyxl.utils.datetime import from_excel

        try:
            moment = from_excel(float(value), self.epoch)
        except (ValueError, OverflowError):
            return value
        return moment if isinstance(moment, dt.datetime) else value
