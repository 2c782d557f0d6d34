"""Seeded generator of malformed and hostile import files for the import fuzzer: CSV and XLSX, built
from a valid file of grades by one to three mutations each. The same seed gives the same files."""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from tests.services.reference.xlsx_parts import NS, column, sheet_xml, write_xlsx

HEADER = ["date", "activity", "grade", "team", "case_ref", "auditor", "theme"]
ACTIVITIES = ["audit", "observation", "dip", "Audit", "DIP", "case file audit"]
GRADES = ["Outstanding", "Good", "Requires improvement", "Inadequate", "O", "G", "RI", "i", "ri"]
NAMES = ["Zoë Brennan", "Łukasz Nowak", "Siobhan Walsh", "Priya Patel", "O'Neil", "Ngũgĩ", ""]
JUNK = [
    "rubbish",
    "??",
    "excellent",
    "=1+1",
    '=HYPERLINK("http://x")',
    "@SUM(A1)",
    "+1",
    "-1",
    "NULL",
    "null",
    "N/A",
    "#N/A",
    "\u202eevil",
    "\ufeff",
    "😀",
    "a\tb",
    "a\rb",
    "a\nb",
    "\x07",
    "′″",
    "　",
    " ",
    "0",
    "-0",
    "1e308",
    "NaN",
    "inf",
    "<b>",
    "&amp;",
    "]]>",
    "'",
    '"',
    '""',
]
DATES = [
    "2019-04-30",
    "30/04/2019",
    "2019-04-30 00:00:00",
    "2019-04-30T10:00",
    "30.04.2019",
    "2019-04-30 rubbish",
    "0001-01-01",
    "1066-10-14",
    "31/02/2019",
    "2019-13-01",
    "43585",
    "9999-12-31",
    "2099-01-01",
    "1999-12-31",
    "2000-01-01",
    "30/04/19",
    "April 2019",
    "",
    "2019-04-30 25:61",
    "٢٠١٩-٠٤-٣٠",
    "2019-4-3",
    "3/4/2019",
]


@dataclass(frozen=True)
class Case:
    name: str  # file name, with the suffix the import goes by
    data: bytes
    kind: str  # what was done to it
    hostile: bool = False  # a resource attack: also run in a real process under limits


def _valid_rows(rnd: random.Random, n: int) -> list[list[str]]:
    rows = []
    for _ in range(n):
        day = dt.date(2005, 1, 1) + dt.timedelta(days=rnd.randrange(6000))
        text = day.isoformat() if rnd.random() < 0.5 else f"{day:%d/%m/%Y}"
        rows.append(
            [
                text,
                rnd.choice(ACTIVITIES),
                rnd.choice(GRADES),
                rnd.choice(["North", "South", "Care Leavers", ""]),
                rnd.choice(["CF-10510", f"CF-{rnd.randrange(99999)}", ""]),
                rnd.choice(NAMES),
                rnd.choice(["neglect", "", "domestic abuse"]),
            ]
        )
    return rows


# ------------------------------------------------------------------------------- table mutations


def _m_header(rnd: random.Random, header: list[str], rows: list[list[str]]) -> str:
    i = rnd.randrange(len(header))
    choice = rnd.randrange(7)
    if choice == 0:
        header[i] = header[i].upper()
    elif choice == 1:
        header.append(rnd.choice([header[i], header[i].title(), f" {header[i]} "]))
        for r in rows:
            r.append(rnd.choice(r[: len(r)]) if r else "")
    elif choice == 2:
        header[i] = header[i].replace("_", " ") + "  "
    elif choice == 3:
        del header[i]
        for r in rows:
            if len(r) > i:
                del r[i]
    elif choice == 4:
        header[i] = rnd.choice(JUNK)
    elif choice == 5:
        header.insert(0, "Date")
        for r in rows:
            r.insert(0, rnd.choice(DATES))
    else:
        rnd.shuffle(header)
    return "header"


def _m_cells(rnd: random.Random, header: list[str], rows: list[list[str]]) -> str:
    if not rows:
        rows.append([""] * len(header))
    for _ in range(rnd.randint(1, 5)):
        r = rnd.choice(rows)
        if not r:
            continue
        j = rnd.randrange(len(r))
        r[j] = rnd.choice(
            [rnd.choice(DATES), rnd.choice(JUNK), rnd.choice(GRADES) * rnd.randint(1, 3)]
        )
    return "cells"


def _m_long(rnd: random.Random, header: list[str], rows: list[list[str]]) -> str:
    if not rows:
        return "none"
    r = rnd.choice(rows)
    j = rnd.randrange(len(r)) if r else 0
    size = rnd.choice([41, 121, 999, 1001, 5000, 140_000])
    if r:
        r[j] = ("CF-" if j == 4 else "x") * size
    return f"long cell {size}"


def _m_shape(rnd: random.Random, header: list[str], rows: list[list[str]]) -> str:
    choice = rnd.randrange(5)
    if choice == 0 and rows:
        rnd.choice(rows).extend(["extra"] * rnd.randint(1, 3))
        return "extra fields"
    if choice == 1 and rows:
        r = rnd.choice(rows)
        del r[rnd.randrange(len(r)) :]
        return "short row"
    if choice == 2:
        rows.extend(rnd.choice(rows) for _ in range(rnd.randint(1, 5))) if rows else None
        return "duplicate rows"
    if choice == 3:
        rows.insert(0, list(header))
        header[:] = ["Grades 2019-20"]
        return "header in row 2"
    rows[:] = []
    return "no rows"


TABLE_MUTATIONS: list[Callable[[random.Random, list[str], list[list[str]]], str]] = [
    _m_header,
    _m_cells,
    _m_cells,
    _m_long,
    _m_shape,
]


# ------------------------------------------------------------------------------------------ CSV


def _csv_text(rnd: random.Random, header: list[str], rows: list[list[str]]) -> str:
    delimiter = rnd.choice([",", ",", ",", ";", "\t"])
    newline = rnd.choice(["\n", "\r\n", "\r", "\n"])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def _encode(rnd: random.Random, text: str) -> tuple[bytes, str]:
    choice = rnd.choice(
        ["utf-8"] * 6 + ["bom", "utf-16", "utf-16-le", "cp1252", "shift_jis", "utf-7", "mojibake"]
    )
    if choice == "bom":
        return codecs.BOM_UTF8 + text.encode("utf-8"), choice
    if choice == "mojibake":
        return text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8"), choice
    return text.encode(choice, errors="replace"), choice


def _byte_damage(rnd: random.Random, data: bytes) -> tuple[bytes, str]:
    choice = rnd.randrange(6)
    if choice == 0 and data:
        return data[: rnd.randrange(len(data))], "truncated"
    if choice == 1 and data:
        i = rnd.randrange(len(data))
        return data[:i] + b"\x00" + data[i:], "NUL"
    if choice == 2:
        return rnd.randbytes(rnd.randrange(1, 3000)), "random bytes"
    if choice == 3 and data:
        i = rnd.randrange(len(data))
        return data[:i] + b'"' + data[i:], "stray quote"
    if choice == 4:
        return b"", "empty"
    return data, "as is"


def csv_case(rnd: random.Random, index: int) -> Case:
    header, rows = list(HEADER[: rnd.randint(3, 7)]), _valid_rows(rnd, rnd.randint(0, 40))
    rows = [r[: len(header)] for r in rows]
    kinds = [rnd.choice(TABLE_MUTATIONS)(rnd, header, rows) for _ in range(rnd.randint(0, 3))]
    if rnd.random() < 0.02:
        rows = rows * (25_000 // max(1, len(rows)) + 1)
        kinds.append("over the row limit")
    data, encoding = _encode(rnd, _csv_text(rnd, header, rows))
    kinds.append(encoding)
    if rnd.random() < 0.25:
        data, damage = _byte_damage(rnd, data)
        kinds.append(damage)
    suffix = ".xlsx" if rnd.random() < 0.03 else ".csv"  # a CSV named as a workbook
    return Case(f"case{index:04d}{suffix}", data, "csv: " + ", ".join(kinds))


# ----------------------------------------------------------------------------------------- XLSX


def _xlsx_bytes(sheets: dict[str, str], **kwargs: object) -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, sheets, **kwargs)  # type: ignore[arg-type]
    return buffer.getvalue()


def _typed(rnd: random.Random, rows: list[list[str]]) -> list[list[object]]:
    """Some dates as date cells, some numbers, booleans, errors and formulas."""
    out: list[list[object]] = []
    for r in rows:
        row: list[object] = list(r)
        if row and rnd.random() < 0.5:
            with contextlib.suppress(ValueError):  # not an ISO date: stays text
                row[0] = dt.date.fromisoformat(str(row[0]))
        if row and rnd.random() < 0.1:
            row[rnd.randrange(len(row))] = rnd.choice(
                [
                    43585,
                    -1,
                    1e308,
                    0.5,
                    2958466,
                    '<c r="REF" t="b"><v>1</v></c>',
                    '<c r="REF" t="e"><v>#N/A</v></c>',
                    '<c r="REF"><f>NOW()</f></c>',
                    '<c r="REF" t="str"><f>A1</f><v>Good</v></c>',
                    '<c r="REF" t="s"><v>99999</v></c>',
                    '<c r="REF" t="d"><v>2019-04-30</v></c>',
                    '<c r="REF" s="1"><v>NaN</v></c>',
                    '<c r="REF" s="1"><v>1e308</v></c>',
                    '<c r="REF" s="2"><v>43585.5</v></c>',
                    '<c r="REF" t="inlineStr"><is>'
                    "<r><t>Go</t></r><r><t>od</t></r><rPh><t>x</t></rPh></is></c>",
                ]
            )
        out.append(row)
    return out


def _hostile_sheet(rnd: random.Random) -> tuple[str, str]:
    choice = rnd.randrange(6)  # each labelled by the last word of the case's kind
    head = [HEADER[:3]]
    if choice == 0:
        r, c = rnd.randrange(1, 1_048_577), rnd.randrange(16384)
        far = f'<row r="{r}"><c r="{column(c)}{r}" t="inlineStr"><is><t>x</t></is></c></row>'
        return sheet_xml(head, extra=far if r > 1 else ""), "far cell"
    if choice == 1:
        cells = "<c/>" * rnd.choice([10_000, 300_000, 1_100_000])
        return (
            f'<worksheet xmlns="{NS}"><sheetData><row r="1">{cells}</row></sheetData></worksheet>',
            ("wide row"),
        )
    if choice == 2:
        rows = "".join(f'<row r="{i}"/>' for i in range(1, rnd.choice([1000, 200_000])))
        return f'<worksheet xmlns="{NS}"><sheetData>{rows}</sheetData></worksheet>', "empty rows"
    if choice == 3:
        rows = "".join(f'<row r="{i}"><c r="A{i}"><v>1</v></c></row>' for i in (5, 3))
        return sheet_xml(head, extra=rows), "rows out of order"
    if choice == 4:
        deep = "<a>" * 5000 + "</a>" * 5000
        return f'<worksheet xmlns="{NS}"><sheetData>{deep}</sheetData></worksheet>', "deep XML"
    laugh = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
        + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
        + f']><worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&i;'
        "</t></is></c></row></sheetData></worksheet>"
    )
    return laugh, "entity expansion"


def _zip_damage(rnd: random.Random, data: bytes) -> tuple[bytes, str]:
    choice = rnd.randrange(5)
    if choice == 0:
        return data[: rnd.randrange(len(data))], "truncated zip"
    if choice == 1:
        i = rnd.randrange(len(data))
        return data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1 :], "flipped byte"
    if choice == 2:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("notes.txt", "hello")
        return buffer.getvalue(), "zip without a workbook"
    if choice == 3:
        return b"PK\x03\x04" + rnd.randbytes(500), "zip garbage"
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + rnd.randbytes(2000), "old .xls"


def xlsx_case(rnd: random.Random, index: int) -> Case:
    header, rows = list(HEADER[: rnd.randint(3, 7)]), _valid_rows(rnd, rnd.randint(0, 40))
    rows = [r[: len(header)] for r in rows]
    kinds = [rnd.choice(TABLE_MUTATIONS)(rnd, header, rows) for _ in range(rnd.randint(0, 2))]
    sheets = {"Grades": sheet_xml([header, *_typed(rnd, rows)])}
    hostile = rnd.random() < 0.12
    if hostile:
        sheets["Grades"], what = _hostile_sheet(rnd)
        kinds.append(what)
    if rnd.random() < 0.1:
        sheets["Lists"] = sheet_xml([["Outstanding"], ["Good"]])
        kinds.append("second sheet")
    if rnd.random() < 0.05:
        sheets = {}
        kinds.append("no sheets")
    data = _xlsx_bytes(sheets)
    if rnd.random() < 0.15:
        data, damage = _zip_damage(rnd, data)
        kinds.append(damage)
    return Case(f"case{index:04d}.xlsx", data, "xlsx: " + ", ".join(kinds), hostile)


def bomb_case(index: int) -> Case:
    sheet = f'<worksheet xmlns="{NS}"><sheetData>' + " " * 70_000_000 + "</sheetData></worksheet>"
    return Case(f"case{index:04d}.xlsx", _xlsx_bytes({"S": sheet}), "xlsx: zip bomb", True)


def cases(seed: int, count: int) -> list[Case]:
    rnd = random.Random(seed)
    made = [
        (xlsx_case if rnd.random() < 0.4 else csv_case)(rnd, index) for index in range(count - 1)
    ]
    return [*made, bomb_case(count - 1)]
