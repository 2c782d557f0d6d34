"""import-history: all rows or none, every bad row named, the published figures reproduced."""

import datetime as dt
import json

import pandas as pd
import pytest
from sqlalchemy import func, select

from auditor.cli import main
from auditor.domain.errors import RuleViolation, ValidationError
from db.models import HistoricGrade
from tests.builders import history_import, qa_of
from tests.cli.conftest import PASSWORD, make_psw
from tests.db.damage import contents

PUBLISHED_2016 = [("Outstanding", 1), ("Good", 31), ("Requires improvement", 41), ("Inadequate", 9)]


@pytest.fixture
def importer(db_path, monkeypatch):
    """A principal social worker of ``db_path`` (may import history and run the summary), whom
    the command line signs in with ``$AUDITOR_PASSWORD``."""
    monkeypatch.setenv("AUDITOR_PASSWORD", PASSWORD)
    return make_psw(db_path)


def historic_rows(services):
    with services.db.reading() as s:
        return s.scalar(select(func.count()).select_from(HistoricGrade))


def write_2016_csv(path, first_month=3):
    """82 audits with the published grades, dated from ``first_month`` to August 2016."""
    lines = ["date,activity,grade,team"]
    months = list(range(first_month, 9))
    day = 0
    for grade, n in PUBLISHED_2016:
        for _ in range(n):
            lines.append(
                f"{1 + day % 28:02d}/{months[day % len(months)]:02d}/2016,audit,{grade},North"
            )
            day += 1
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_published_2016_figures_give_the_published_row(db_path, tmp_path, capsys, importer):
    # Dated April-August so that all 82 fall in one financial year (2016-17) and form one row.
    source = write_2016_csv(tmp_path / "audits-2016.csv", first_month=4)
    assert main(["--db", str(db_path), "--user", importer, "import-history", str(source)]) == 0
    assert "Imported 82 rows" in capsys.readouterr().out
    assert main(["--db", str(db_path), "--user", importer, "summary", "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)
    assert row == {
        "period": "2016-17",
        "activity": "audit",
        "outstanding": 1,
        "good": 31,
        "good_or_better": 32,
        "good_or_better_pct": 39,
        "requires_improvement": 41,
        "inadequate": 9,
        "ri_or_inadequate": 50,
        "ri_or_inadequate_pct": 61,
        "total": 82,
    }


def test_march_rows_belong_to_the_previous_financial_year(services, tmp_path):
    history_import(services).import_file(write_2016_csv(tmp_path / "a.csv", first_month=3))
    rows = {r.period: r.as_dict() for r in services.summary.by_financial_year(who=qa_of(services))}
    assert set(rows) == {"2015-16", "2016-17"}
    totals = {
        k: sum(r[k] for r in rows.values())
        for k in ("outstanding", "good", "requires_improvement", "inadequate", "total")
    }
    assert totals == {
        "outstanding": 1,
        "good": 31,
        "requires_improvement": 41,
        "inadequate": 9,
        "total": 82,
    }
    only_march = services.summary.by_financial_year(end=dt.date(2016, 3, 31), who=qa_of(services))
    assert [r.period for r in only_march] == ["2015-16"]


def test_bad_rows_are_all_named_and_nothing_is_imported(services, tmp_path):
    source = tmp_path / "bad.csv"
    source.write_text(
        "Date, Activity ,Grade,case_ref\n"
        "2019-05-01,audit,Good,CF-1\n"
        "31/02/2019,audit,Good,\n"
        "2019-05-02,visit,Good,\n"
        "2019-05-03,dip,Excellent,\n"
        "\n"
        "2019-05-04,observation,,\n"
        "2099-01-01,dip,RI,\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        history_import(services).import_file(source)
    problems = caught.value.problems
    assert [p.split(":")[0] for p in problems] == ["row 3", "row 4", "row 5", "row 7", "row 8"]
    assert "'31/02/2019' is not a date" in problems[0]
    assert "'visit' is not an activity" in problems[1]
    assert "'Excellent' is not a grade" in problems[2]
    assert "the grade is missing" in problems[3]
    assert "in the future" in problems[4]
    assert "nothing was imported" in str(caught.value)
    assert historic_rows(services) == 0


def test_cli_import_with_bad_rows_exits_2_and_changes_nothing(db_path, tmp_path, capsys, importer):
    source = tmp_path / "bad.csv"
    source.write_text(
        "date,activity,grade\n2019-05-01,audit,G\n2019-05-01,audit,Z\n", encoding="utf-8"
    )
    before = contents(db_path)
    assert main(["--db", str(db_path), "--user", importer, "import-history", str(source)]) == 2
    err = capsys.readouterr().err
    assert "row 3" in err and "Traceback" not in err
    assert contents(db_path) == before  # only the sign-in was recorded


def test_xlsx_with_real_dates_and_short_codes(services, tmp_path):
    source = tmp_path / "history.xlsx"
    pd.DataFrame(
        {
            "date": pd.to_datetime(["2020-04-01", "2021-03-31"]),
            "activity": ["Dip", "Observation"],
            "grade": ["o", "i"],
            "auditor": ["Zoë Brennan", ""],
        }
    ).to_excel(source, index=False)
    result = history_import(services).import_file(source)
    assert result.rows == 2 and result.by_category == {"dip": 1, "observation": 1}
    [obs, dip] = [r.as_dict() for r in services.summary.by_financial_year(who=qa_of(services))]
    assert (dip["period"], dip["outstanding"], obs["inadequate"]) == ("2020-21", 1, 1)


@pytest.mark.parametrize(
    "content, message",
    [
        ("when,grade\n2019-01-01,G\n", "no 'date', 'activity' column"),
        ("date,activity,grade\n", "has no rows to import"),
    ],
)
def test_unusable_files(services, tmp_path, content, message):
    source = tmp_path / "x.csv"
    source.write_text(content, encoding="utf-8")
    with pytest.raises(ValidationError, match=message):
        history_import(services).import_file(source)


def test_wrong_file_types_and_missing_files(services, tmp_path):
    (tmp_path / "x.txt").write_text("hello", encoding="utf-8")
    with pytest.raises(ValidationError, match="import a .csv or .xlsx"):
        history_import(services).import_file(tmp_path / "x.txt")
    with pytest.raises(ValidationError, match="There is no file"):
        history_import(services).import_file(tmp_path / "missing.csv")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    with pytest.raises(ValidationError, match="not an Excel workbook"):
        history_import(services).import_file(tmp_path / "broken.xlsx")


def test_the_same_file_twice_is_refused(services, tmp_path):
    source = write_2016_csv(tmp_path / "a.csv")
    history_import(services).import_file(source)
    with pytest.raises(RuleViolation, match="already imported"):
        history_import(services).import_file(source)
    assert historic_rows(services) == 82


def test_a_case_reference_longer_than_the_database_keeps_is_named_not_cut(services, tmp_path):
    source = tmp_path / "long.csv"
    source.write_text(
        "date,activity,grade,case_ref,team\n"
        f"2019-05-01,audit,Good,{'CF-' + '1' * 37},North\n"  # 40: fits
        f"2019-05-02,audit,Good,{'CF-' + '9' * 57},North\n"  # 60: too long
        f"2019-05-03,audit,Good,CF-3,{'T' * 121}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValidationError) as caught:
        history_import(services).import_file(source)
    assert caught.value.problems == [
        "row 3: the case_ref is 60 characters long; at most 40 fit",
        "row 4: the team is 121 characters long; at most 120 fit",
    ]
    assert historic_rows(services) == 0
    source.write_text(
        f"date,activity,grade,case_ref\n2019-05-01,audit,Good,{'CF-' + '1' * 37}\n",
        encoding="utf-8",
    )
    history_import(services).import_file(source)
    with services.db.reading() as s:
        assert s.scalar(select(HistoricGrade.case_ref)) == "CF-" + "1" * 37


def test_a_bug_of_ours_is_not_reported_as_a_bad_spreadsheet(services, tmp_path, monkeypatch):
    """Only the file's real problems are a ValidationError; a fault in our own code (here: the
    XML parser called with an argument it does not take) propagates to the crash handler."""
    from xml.etree import ElementTree

    real = ElementTree.iterparse

    def iterparse_with_a_bug(*args, **kwargs):
        return real(*args, no_such_option=True, **kwargs)

    monkeypatch.setattr(ElementTree, "iterparse", iterparse_with_a_bug)
    source = tmp_path / "history.xlsx"
    pd.DataFrame({"date": ["2020-04-01"], "activity": ["dip"], "grade": ["G"]}).to_excel(
        source, index=False
    )
    with pytest.raises(TypeError):
        history_import(services).import_file(source)


def test_a_zip_that_is_not_a_workbook_is_a_bad_file(services, tmp_path):
    import zipfile

    with zipfile.ZipFile(tmp_path / "notes.xlsx", "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(ValidationError, match="not an Excel workbook"):
        history_import(services).import_file(tmp_path / "notes.xlsx")
