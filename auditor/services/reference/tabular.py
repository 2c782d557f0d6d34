"""Reading a CSV file, or one sheet of an Excel workbook, as rows of cells, within fixed bounds of
size, memory and time whatever the file holds.

Nothing here trusts what a file says about itself: a workbook's declared dimension is ignored
(one cell at XFD1048576 once made a reader build a billion-cell table), the sheet XML is streamed
and every element dropped once read, and reading stops at the first cell beyond the limits. A
refusal says what is wrong with the file in words and never quotes more than ``QUOTE_CHARS`` of a
cell; the first line of every message quotes no cell at all, so it can be logged (the data is
about children).

CSV: UTF-8 with or without a byte-order mark, and UTF-16 or UTF-32 *with* one (Excel's "Unicode
text"); anything else is refused rather than guessed (Windows-1252 and Shift-JIS cannot be told
apart reliably, and a wrong guess imports mojibake). Comma, semicolon or tab separated, decided
by the first line.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import lzma
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from xml.etree import ElementTree as ET

from auditor.domain.errors import ValidationError

MAX_FILE_BYTES = 20_000_000
MAX_ROWS = 20_000  # data rows, below the header
MAX_COLUMNS = 64
MAX_LINES = 2 * MAX_ROWS  # of a CSV file, blank ones included
MAX_CELL_CHARS = 1_000
MAX_PART_BYTES = 64_000_000  # one XML part of a workbook, uncompressed
MAX_XML_ELEMENTS = 1_000_000  # in one part: bounds the time a part takes (about 3 s)
QUOTE_CHARS = 80
SAVE_AS = "In Excel use 'Save as: CSV UTF-8', or import the .xlsx workbook itself."

Cell = str | dt.datetime  # text, or the moment in a date-formatted workbook cell


@dataclass(frozen=True)
class Row:
    number: int  # as a spreadsheet numbers it: the first row is 1
    cells: tuple[Cell, ...]  # trailing empty cells left out


def quote(value: object, limit: int = QUOTE_CHARS) -> str:
    """A cell's text in quotes, cut to ``limit`` characters (an ellipsis says so)."""
    text = str(value)
    return repr(text) if len(text) <= limit else repr(text[:limit]) + "…"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def display_name(path: Path) -> str:
    """The file's name, shortened in the middle if it is very long."""
    name = path.name
    return name if len(name) <= 60 else f"{name[:40]}…{name[-15:]}"


def refuse(name: str, what: str) -> ValidationError:
    return ValidationError(f"{name}: nothing was imported because {what}")


def check_cell(name: str, number: int, index: int, value: Cell, max_rows: int = MAX_ROWS) -> None:
    """Refuse the whole file at the first cell beyond the bounds."""
    if index >= MAX_COLUMNS:
        raise refuse(
            name,
            f"row {number} has a value in column {column_letter(index)}; the import reads "
            f"columns A to {column_letter(MAX_COLUMNS - 1)} only. Remove what is beyond them.",
        )
    if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
        raise refuse(
            name,
            f"the cell {column_letter(index)}{number} holds {len(value):,} characters; a cell may "
            f"hold at most {MAX_CELL_CHARS:,}.",
        )
    if number > max_rows + 1:
        raise refuse(
            name, f"it has more than {max_rows:,} rows of data; import it in smaller files."
        )


@contextlib.contextmanager
def open_rows(
    path: Path, sheet: str | None = None, max_rows: int = MAX_ROWS
) -> Iterator[Iterator[Row]]:
    """The non-blank rows of a CSV file or of one sheet of a workbook, read lazily: a refusal
    may come while iterating. ``sheet`` names the sheet of a workbook with several; a file with
    more than ``max_rows`` rows below the header is refused."""
    name = display_name(path)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise ValidationError(f"{name}: import a .csv or .xlsx file.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise ValidationError(f"Cannot read {name}: {exc.strerror or exc}.") from None
    if size > MAX_FILE_BYTES:
        raise refuse(
            name,
            f"it is {size / 1e6:.1f} MB; the import takes files up to "
            f"{MAX_FILE_BYTES / 1e6:.0f} MB. Split it into smaller files.",
        )
    if suffix == ".csv":
        if sheet is not None:
            raise ValidationError(f"{name} is a CSV file, which has no sheets; leave out --sheet.")
        yield _csv_rows(name, _decode(name, path.read_bytes()), max_rows)
        return
    from auditor.services.reference.workbook import Workbook

    with Workbook.open(path) as workbook:
        yield workbook.choose_sheet(sheet).rows(max_rows)


# ------------------------------------------------------------------------------------------- CSV

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_UTF7_BOMS = (b"+/v8", b"+/v9", b"+/v+", b"+/v/")
# A UTF-7 run: inside a word ("Zo+AOs"), or closed by "-" ("+XHF1MA-"); not a phone number.
_UTF7_RUN = re.compile(r"(?<=[^\W\d_])\+[A-Za-z0-9+/]{2,}-?|\+[A-Za-z0-9+/]{3,}-")
# UTF-8 read as Windows-1252 or Latin-1 and saved again: "Ã©" for "é", "â€™" for "’".
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]|â€")


def _decode(name: str, data: bytes) -> str:
    encoding = next((enc for bom, enc in _BOMS if data.startswith(bom)), None)
    if data.startswith(_UTF7_BOMS):
        raise refuse(
            name, f"it is in the UTF-7 encoding, which the import does not read. {SAVE_AS}"
        )
    try:
        text = data.decode(encoding or "utf-8")
    except UnicodeDecodeError:
        raise refuse(
            name,
            f"it is not a UTF-8 text file (perhaps Windows-1252 or Shift-JIS, "
            f"or not text at all). {SAVE_AS}",
        ) from None
    if "\x00" in text:
        raise refuse(name, f"it holds NUL characters: it is not a UTF-8 text file. {SAVE_AS}")
    if _looks_like_utf7(text):
        raise refuse(name, f"it looks encoded in UTF-7, which the import does not read. {SAVE_AS}")
    if _MOJIBAKE.search(text):
        raise refuse(
            name,
            "its accented letters look garbled (such as 'Ã©' for 'é'): it was read in one "
            f"encoding and saved in another. Open the original and save it again. {SAVE_AS}",
        )
    return text


def _looks_like_utf7(text: str) -> bool:
    """Plain ASCII with runs such as ``+AOk-`` that UTF-7 would read as non-English letters."""
    if not text.isascii():
        return False
    for match in _UTF7_RUN.finditer(text):
        try:
            decoded = match.group().encode("ascii").decode("utf-7")
        except UnicodeDecodeError:
            continue
        if decoded and all(not c.isascii() and c.isprintable() for c in decoded):
            return True
    return False


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv_rows(name: str, text: str, max_rows: int = MAX_ROWS) -> Iterator[Row]:
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=_delimiter(text), skipinitialspace=True
    )
    number = 0
    try:
        for number, record in enumerate(reader, start=1):
            if number > 2 * max_rows:  # blank lines included
                raise refuse(
                    name, f"it has more than {2 * max_rows:,} lines; import it in smaller files."
                )
            beyond = next((i for i in range(MAX_COLUMNS, len(record)) if record[i].strip()), None)
            if beyond is not None:
                check_cell(name, number, beyond, record[beyond], max_rows)
            cells = record[:MAX_COLUMNS]
            while cells and not cells[-1].strip():
                cells.pop()
            for index, value in enumerate(cells):
                if value.strip():
                    check_cell(name, number, index, value, max_rows)
            if cells:
                yield Row(number, tuple(cells))
    except csv.Error:
        raise refuse(
            name,
            f"row {number + 1} cannot be read: a cell is far too long, or its quotes do not "
            f"pair up. {SAVE_AS}",
        ) from None


# --------------------------------------------------------------------------------- streamed XML


class PartTooBig(Exception):
    """An XML part with more elements than the bounds allow."""


class DocumentType(Exception):
    """An XML part with a document type declaration: workbooks never have one, and its entities
    could expand a few bytes into gigabytes."""


class _NoDocumentType:
    """A stream that refuses, as it is read, any document type or entity declaration (in UTF-8
    or UTF-16)."""

    MARKS = tuple(
        mark.encode(encoding)
        for mark in ("<!DOCTYPE", "<!ENTITY")
        for encoding in ("utf-8", "utf-16-le", "utf-16-be")
    )

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.tail = b""

    def read(self, size: int = -1) -> bytes:
        data = self.stream.read(size)
        window = self.tail + data
        if any(mark in window for mark in self.MARKS):
            raise DocumentType
        self.tail = window[-24:]
        return data


def parse_part(stream: IO[bytes], tags: frozenset[str]) -> Iterator[tuple[str, ET.Element]]:
    """(local tag, element) at the end of each element whose local tag is in ``tags``, whole,
    in a streamed parse; each is emptied once the caller has it, so memory stays bounded. At most
    ``MAX_XML_ELEMENTS`` elements are read, which bounds the time a part takes."""
    guarded = _NoDocumentType(stream)
    for count, (_event, element) in enumerate(ET.iterparse(guarded), start=1):
        if count > MAX_XML_ELEMENTS:
            raise PartTooBig
        tag = element.tag.rpartition("}")[2]
        if tag in tags:
            yield tag, element
            element.clear()


#: What a damaged workbook makes the unzipping and XML parsing raise. Anything else is a bug of
#: ours and propagates to the crash handler.
READ_ERRORS: tuple[type[BaseException], ...] = (
    ET.ParseError,
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    NotImplementedError,  # a compression method zipfile does not know
    RuntimeError,  # an encrypted part ("password required")
    OSError,  # bz2's "Invalid data stream"
    PartTooBig,
    DocumentType,
)
