"""import-history refuses what it should, in one plain message, within bounds of memory and time."""

import codecs
import datetime as dt
import logging
import time

import pytest
from sqlalchemy import func, select

from auditor.cli import main
from auditor.domain.errors import RuleViolation, ValidationError
from db.models import HistoricGrade, ImportBatch
from tests.builders import history_import
from tests.cli.conftest import PASSWORD, PSW, make_psw
from tests.db.damage import contents
from tests.services.reference.xlsx_parts import NS, grades_xlsx, sheet_xml, write_xlsx

HEADER = "date,activity,grade,team,auditor\n"
ROWS = [
    ("2019-05-01", "audit", "Good", "North", "Zoë Brennan"),
    ("2019-06-12", "dip", "RI", "South", "Łukasz Nowak"),
    ("03/07/2019", "observation", "Outstanding", "North", ""),
]


def counts(services):
    with services.db.reading() as s:
        return (
            s.scalar(select(func.count()).select_from(ImportBatch)),
            s.scalar(select(func.count()).select_from(HistoricGrade)),
        )


def csv_text(header=HEADER, rows=ROWS, newline="\n"):
    return (header + "".join(",".join(r) + "\n" for r in rows)).replace("\n", newline)


def refused(services, path, **kwargs):
    with pytest.raises(ValidationError) as caught:
        history_import(services).import_file(path, **kwargs)
    assert counts(services) == (0, 0)
    message = str(caught.value)
    assert len(message) < 2000 and "Traceback" not in message
    return message


@pytest.fixture
def importer(db_path, monkeypatch):
    """A principal social worker of ``db_path`` (may import history), whom the command line
    signs in with ``$AUDITOR_PASSWORD``."""
    monkeypatch.setenv("AUDITOR_PASSWORD", PASSWORD)
    return make_psw(db_path)


def cli(db_path, capsys, *args):
    """``import-history`` as ``PSW`` (the ``importer`` fixture gives them a sign-in)."""
    code = main(["--db", str(db_path), "--user", PSW, "import-history", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# ------------------------------------------------------------------------------------- headers


def test_headers_differing_only_by_case_or_spacing_are_refused_naming_both(
    db_path, tmp_path, capsys, importer
):
    source = tmp_path / "two-dates.csv"
    source.write_text("Date,date,activity,grade\n2019-05-01,2019-05-02,audit,Good\n")
    before = contents(db_path)
    code, _, err = cli(db_path, capsys, source)
    assert code == 2, err
    assert "columns A, B ('Date', 'date') all name the date column" in err
    assert contents(db_path) == before  # only the sign-in was recorded


def test_exact_duplicate_headers_are_refused_not_renamed(services, tmp_path):
    source = tmp_path / "dup.csv"
    source.write_text("date,activity,grade,grade\n2019-05-01,audit,Good,Inadequate\n")
    message = refused(services, source)
    assert "the column name 'grade' appears in columns C, D" in message
    source.write_text("date,activity,grade,Case Ref,case_ref\n2019-05-01,audit,Good,CF-1,CF-2\n")
    assert "all name the case_ref column" in refused(services, source)


def test_a_header_below_row_one_is_one_message_about_the_shape(services, tmp_path):
    source = tmp_path / "titled.csv"
    source.write_text("Audit grades 2019-20\n\n" + csv_text(rows=ROWS * 40))
    message = refused(services, source)
    assert "the column names are in row 3, not in row 1" in message
    assert "row 4" not in message and len(message.splitlines()) == 1


def test_values_beyond_the_named_columns_are_one_message_about_the_shape(services, tmp_path):
    source = tmp_path / "extra.csv"
    source.write_text(
        "date,activity,grade\n"
        + "".join(f"2019-05-{d:02d},audit,Good,North\n" for d in range(1, 29))
    )
    message = refused(services, source)
    assert (
        "28 row(s) have values in columns with no name in row 1 (the first: row 2, column D)"
        in (message)
    )
    assert len(message.splitlines()) == 1


# --------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "date, reason",
    [
        ("2019-04-30 rubbish", "'2019-04-30 rubbish' is not a date"),
        ("30/04/2019x", "'30/04/2019x' is not a date"),
        ("2019-04-30 25:00", "is not a date"),
        ("0001-01-01", "the date 01/01/0001 is before 2000; give dates from 01/01/2000 to today"),
        ("30/04/1066", "the date 30/04/1066 is before 2000"),
        ("1999-12-31", "is before 2000"),
        ("2099-01-01", "is in the future"),
        ("43585", "'43585' is not a date"),
    ],
)
def test_dates_must_be_whole_real_and_plausible(services, tmp_path, date, reason):
    source = tmp_path / "dates.csv"
    source.write_text(f"date,activity,grade\n2019-05-01,audit,Good\n{date},audit,Good\n")
    message = refused(services, source)
    assert "row 3: " in message and reason in message


def test_timestamps_and_workbook_date_cells_are_dates(services, tmp_path):
    source = tmp_path / "stamps.csv"
    source.write_text("date,activity,grade\n2019-05-01 00:00:00,audit,G\n2019-05-02T14:30,dip,O\n")
    assert history_import(services).import_file(source).rows == 2
    book = grades_xlsx(
        tmp_path / "cells.xlsx", [[dt.date(2020, 4, 1), "audit", "G"], ["02/04/2020", "dip", "I"]]
    )
    assert history_import(services).import_file(book).rows == 2
    with services.db.reading() as s:
        days = s.scalars(select(HistoricGrade.activity_on).order_by(HistoricGrade.id)).all()
    assert days == [
        dt.date(2019, 5, 1),
        dt.date(2019, 5, 2),
        dt.date(2020, 4, 1),
        dt.date(2020, 4, 2),
    ]


# ----------------------------------------------------------------------------- re-import by content


def test_the_same_rows_saved_another_way_are_recognised_as_already_imported(services, tmp_path):
    first = tmp_path / "grades.csv"
    first.write_text(csv_text(), encoding="utf-8")
    history_import(services).import_file(first)
    assert counts(services) == (1, 3)
    variants = {
        "crlf.csv": csv_text(newline="\r\n").encode("utf-8"),
        "bom.csv": codecs.BOM_UTF8 + csv_text().encode("utf-8"),
        "capitals.csv": csv_text(header="Date,Activity,GRADE,Team, Auditor\n").encode("utf-8"),
        "reordered.csv": csv_text(rows=ROWS[::-1]).encode("utf-8"),
        "columns.csv": b"grade,auditor,date,activity,team\n"
        + "".join(f"{g},{a},{d},{c},{t}\n" for d, c, g, t, a in ROWS).encode("utf-8"),
        "utf16.csv": csv_text().encode("utf-16"),
    }
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(RuleViolation, match="already imported"):
            history_import(services).import_file(tmp_path / name)
    book = write_xlsx(
        tmp_path / "same.xlsx",
        {"Grades": sheet_xml([HEADER.strip().split(","), *ROWS])},
    )
    with pytest.raises(RuleViolation, match="These rows were already imported on"):
        history_import(services).import_file(book)
    assert counts(services) == (1, 3)
    (tmp_path / "more.csv").write_text(csv_text(rows=[*ROWS, ROWS[0]]))
    assert (
        history_import(services).import_file(tmp_path / "more.csv").rows == 4
    )  # a row more is new


# --------------------------------------------------------------------------- long cells, sheets


def test_a_cell_longer_than_the_import_reads_is_named_with_the_limit(services, tmp_path):
    source = tmp_path / "long.csv"
    source.write_text(f"date,activity,grade,notes\n2019-05-01,audit,Good,{'x' * 5000}\n")
    message = refused(services, source)
    assert "the cell D2 holds 5,000 characters; a cell may hold at most 1,000" in message


def test_a_workbook_with_several_sheets_needs_the_sheet_named(db_path, tmp_path, capsys, importer):
    book = write_xlsx(
        tmp_path / "two.xlsx",
        {
            "Read me": sheet_xml([["These are the grades for 2019"]]),
            "Grades": sheet_xml([["date", "activity", "grade"], [dt.date(2019, 5, 1), "dip", "G"]]),
        },
    )
    code, _, err = cli(db_path, capsys, book)
    assert code == 2 and "the workbook has 2 sheets; say which one" in err
    assert "'Read me'" in err and "'Grades'" in err
    code, _, err = cli(db_path, capsys, book, "--sheet", "Nope")
    assert code == 2 and "has no sheet of that name" in err
    code, out, err = cli(db_path, capsys, book, "--sheet", "grades")
    assert code == 0, err
    assert "Imported 1 rows" in out
    (tmp_path / "flat.csv").write_text("date,activity,grade\n2019-05-01,audit,Good\n")
    code, _, err = cli(db_path, capsys, tmp_path / "flat.csv", "--sheet", "Grades")
    assert code == 2 and "is a CSV file, which has no sheets" in err


def test_empty_files_workbooks_and_sheets_are_named_as_such(services, tmp_path):
    (tmp_path / "empty.csv").write_bytes(b"")
    assert "it is empty" in refused(services, tmp_path / "empty.csv")
    write_xlsx(tmp_path / "blank.xlsx", {"Sheet1": sheet_xml([])})
    assert "it is empty" in refused(services, tmp_path / "blank.xlsx")
    write_xlsx(tmp_path / "none.xlsx", {})
    assert "the workbook has no sheets" in refused(services, tmp_path / "none.xlsx")


# ------------------------------------------------------------------------------------ encodings


def test_utf8_with_or_without_bom_and_utf16_with_bom_are_read(services, tmp_path):
    for i, data in enumerate(
        [
            csv_text().encode("utf-8"),
            codecs.BOM_UTF8 + csv_text(rows=ROWS[:1]).encode(),
            csv_text(rows=ROWS[1:]).replace(",", "\t").encode("utf-16"),
        ]
    ):
        (tmp_path / f"{i}.csv").write_bytes(data)
    for i in range(3):
        history_import(services).import_file(tmp_path / f"{i}.csv")
    with services.db.reading() as s:
        assert "Łukasz Nowak" in s.scalars(select(HistoricGrade.auditor)).all()


@pytest.mark.parametrize(
    "encoding, reason",
    [
        ("cp1252", "is not a UTF-8 text file"),
        ("shift_jis", "is not a UTF-8 text file"),
        ("utf-7", "UTF-7"),
        ("utf-16-le", "NUL characters"),
        ("mojibake", "look garbled"),
    ],
)
def test_other_encodings_are_refused_with_what_to_do(services, tmp_path, encoding, reason):
    text = csv_text(rows=[("2019-05-01", "audit", "Good", "North", "Zoë Brennan 山田")])
    if encoding == "cp1252":
        data = text.replace(" 山田", "").encode("cp1252")
    elif encoding == "shift_jis":
        data = text.replace("Zoë Brennan ", "").encode("shift_jis")
    elif encoding == "utf-16-le":
        data = csv_text(rows=ROWS[:1]).replace("Zoë", "Zoe").encode("utf-16-le")
    elif encoding == "mojibake":
        data = text.encode("utf-8").decode("cp1252", errors="replace").encode("utf-8")
    else:
        data = text.encode(encoding)
    (tmp_path / "x.csv").write_bytes(data)
    message = refused(services, tmp_path / "x.csv")
    assert reason in message and "CSV UTF-8" in message


# --------------------------------------------------------------------------- hostile workbooks


def test_one_cell_at_xfd1048576_is_refused_at_once(services, tmp_path):
    far = '<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>'
    book = write_xlsx(
        tmp_path / "far.xlsx", {"S": sheet_xml([["date", "activity", "grade"]], extra=far)}
    )
    assert book.stat().st_size < 5000
    started = time.process_time()
    message = refused(services, book)
    assert time.process_time() - started < 2
    assert "row 1048576 has a value in column XFD; the import reads columns A to BL only" in message


def test_empty_formatted_cells_far_away_are_ignored(services, tmp_path):
    far = '<row r="1048576"><c r="XFD1048576" s="1"/></row>'
    rows = [["date", "activity", "grade"], [dt.date(2019, 5, 1), "audit", "G"]]
    book = write_xlsx(tmp_path / "styled.xlsx", {"S": sheet_xml(rows, extra=far)})
    assert history_import(services).import_file(book).rows == 1


def test_a_sheet_that_unpacks_to_100_mb_is_refused_before_unpacking(services, tmp_path):
    bomb = f'<worksheet xmlns="{NS}"><sheetData>' + " " * 100_000_000 + "</sheetData></worksheet>"
    book = write_xlsx(tmp_path / "bomb.xlsx", {"S": bomb})
    assert book.stat().st_size < 200_000
    assert "unpacks to 100 MB; the import reads parts up to 64 MB" in refused(services, book)


def test_a_million_empty_cells_are_refused_within_seconds(services, tmp_path):
    wide = f'<worksheet xmlns="{NS}"><sheetData><row r="1">' + "<c/>" * 1_100_000 + "</row>"
    book = write_xlsx(tmp_path / "wide.xlsx", {"S": wide + "</sheetData></worksheet>"})
    started = time.process_time()
    assert "holds more than 1,000,000 XML elements" in refused(services, book)
    assert time.process_time() - started < 15  # about 3 s on a loaded 2-core machine


def test_many_bad_rows_give_a_short_message(services, tmp_path):
    """Once 300 million characters: now ten problems, each cut short, then how many more."""
    bad = "".join(f"{'9' * 900},{'a' * 900},{'b' * 900}\n" for _ in range(3000))
    (tmp_path / "bad.csv").write_text("date,activity,grade\n" + bad)
    message = refused(services, tmp_path / "bad.csv")
    assert len(message) < 2000
    assert (
        "3000 row(s) have problems" in message and "... and 2990 more rows with problems" in message
    )


def test_a_formula_without_its_result_and_a_damaged_part_are_refused(services, tmp_path):
    rows = [
        ["date", "activity", "grade"],
        [dt.date(2019, 5, 1), "audit", '<c r="REF"><f>A1</f></c>'],
    ]
    book = write_xlsx(tmp_path / "formula.xlsx", {"S": sheet_xml(rows)})
    assert "the cell C2 holds a formula whose result was not saved" in refused(services, book)
    damaged = write_xlsx(tmp_path / "damaged.xlsx", {"S": "<worksheet><sheetData><row>"})
    assert "the workbook is damaged (its part 'xl/worksheets/sheet1.xml'" in refused(
        services, damaged
    )
    saved = '<c r="REF" t="str"><f>"G"</f><v>G</v></c>'
    cached = [["date", "activity", "grade"], [dt.date(2019, 5, 1), "audit", saved]]
    book = write_xlsx(tmp_path / "cached.xlsx", {"S": sheet_xml(cached)})
    data = book.read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])  # cut short: no directory
    assert "not an Excel workbook" in refused(services, tmp_path / "cut.xlsx")
    assert (
        history_import(services).import_file(book).rows == 1
    )  # a formula counts by its saved result


def test_a_file_over_20_mb_is_refused_before_it_is_read(services, tmp_path):
    big = tmp_path / "big.csv"
    with big.open("wb") as f:
        f.truncate(20_000_001)  # sparse: costs no disk
    assert "it is 20.0 MB; the import takes files up to 20 MB" in refused(services, big)


@pytest.fixture
def own_log_file():
    """The root logger without any log file for the test's run, as it was afterwards."""
    root = logging.getLogger()
    before, level = list(root.handlers), root.level
    for handler in before:
        root.removeHandler(handler)
    yield
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    for handler in before:
        root.addHandler(handler)
    root.setLevel(level)


def test_the_log_never_holds_cell_contents(
    db_path, tmp_path, capsys, private_folders, own_log_file, importer
):
    source = tmp_path / "bad.csv"
    source.write_text("date,activity,grade,case_ref\n2019-05-01,audit,Splendid-CF-98765,CF-1\n")
    assert (
        main(
            ["--db", str(db_path), "--user", importer, "import-history", str(source)],
            log_to_file=True,
        )
        == 2
    )
    assert "Splendid-CF-98765" in capsys.readouterr().err  # the person sees it
    logs = list(private_folders.rglob("auditor.log"))
    assert logs
    text = "".join(p.read_text() for p in logs)
    assert "Refused import-history: bad.csv: nothing was imported because 1 row(s)" in text
    assert "Splendid" not in text


def test_csv_lines_and_fields_beyond_the_bounds_are_refused_quickly(services, tmp_path):
    source = tmp_path / "lines.csv"
    source.write_text("date,activity,grade\n" + "\n" * 50_000 + "2019-05-01,audit,G\n")
    started = time.process_time()
    assert "it has more than 40,000 lines" in refused(services, source)
    source.write_text("date,activity,grade\n2019-05-01,audit,G" + "," * 2_000_000 + "x\n")
    assert "row 2 has a value in column" in refused(services, source)
    assert time.process_time() - started < 10
