"""Hand-made .xlsx files for the import tests: the parts written directly, so that a test can make a
workbook no spreadsheet program would (a cell at XFD1048576, a sheet that unpacks to 100 MB, a
formula with no saved result, a damaged part)."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/></Types>'
)
STYLES = (
    f'<styleSheet xmlns="{NS}"><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
    '</numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/>'
    "</cellXfs></styleSheet>"
)
EPOCH = dt.date(1899, 12, 30)


def column(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def serial(day: dt.date) -> int:
    """Excel's day number of a date."""
    return (day - EPOCH).days


def cell_xml(ref: str, value: object) -> str:
    """A cell: text inline, a date as a date-formatted number, a number, or raw XML ('<...')."""
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="1"><v>{serial(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value}</v></c>'
    text = str(value)
    if text.startswith("<"):
        return text.replace("REF", ref)
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def sheet_xml(rows: Iterable[Sequence[object]], *, start_row: int = 1, extra: str = "") -> str:
    body = []
    for number, row in enumerate(rows, start=start_row):
        cells = "".join(
            cell_xml(f"{column(i)}{number}", v) for i, v in enumerate(row) if v not in ("", None)
        )
        body.append(f'<row r="{number}">{cells}</row>')
    return (
        f'<worksheet xmlns="{NS}"><dimension ref="A1:XFD1048576"/>'
        f"<sheetData>{''.join(body)}{extra}</sheetData></worksheet>"
    )


def write_xlsx(
    path: Path,
    sheets: dict[str, str],
    *,
    shared_strings: str | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
    extra_parts: dict[str, bytes] | None = None,
) -> Path:
    """A workbook whose sheets are ``{name: sheet XML}``, in order."""
    entries = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, name in enumerate(sheets, start=1)
    )
    rels = "".join(
        f'<Relationship Id="rId{i}" Type="{REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, len(sheets) + 1)
    )
    rels += f'<Relationship Id="rIdS" Type="{REL}/styles" Target="styles.xml"/>'
    if shared_strings is not None:
        rels += f'<Relationship Id="rIdT" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    with zipfile.ZipFile(path, "w", compression) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{PKG}"><Relationship Id="r1" '
            f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>{entries}</sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}">{rels}</Relationships>'
        )
        archive.writestr("xl/styles.xml", STYLES)
        if shared_strings is not None:
            archive.writestr("xl/sharedStrings.xml", shared_strings)
        for i, xml in enumerate(sheets.values(), start=1):
            archive.writestr(f"xl/worksheets/sheet{i}.xml", xml)
        for name, data in (extra_parts or {}).items():
            archive.writestr(name, data)
    return path


def grades_xlsx(path: Path, rows: Sequence[Sequence[object]], **kwargs: object) -> Path:
    """One sheet, 'Grades', with a header and ``rows``."""
    header = ["date", "activity", "grade"]
    return write_xlsx(path, {"Grades": sheet_xml([header, *rows])}, **kwargs)  # type: ignore[arg-type]
