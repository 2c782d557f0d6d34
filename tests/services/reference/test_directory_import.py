"""Importing teams, people and cases: all rows or none, every bad row named, the same rules as
adding one at a time."""

from __future__ import annotations

from pathlib import Path

import pytest
import xlsxwriter
from sqlalchemy import func, select

from auditor.domain.errors import AuditorError, ValidationError
from auditor.domain.reference import Role
from auditor.services.dto import DirectoryImportResult, DirectoryKind
from db.models import Base, Case, Person, PersonRole, Team
from tests.builders import as_admin, who

TEAMS = "name,service\nNorth,Strengthening Families\nSouth,Children in Care\n"
# sw1's line manager is further down the file; hos heads both
PEOPLE = (
    "Username,Name,Roles,Team,Line Manager\n"
    "sw1,Sam Worker,Social worker,North,tm1\n"
    "tm1,Tia Manager,team_manager; Senior social work manager,North,hos\n"
    "hos,Hal Head,head_of_service,,\n"
    "sw2,Sue Worker,social_worker,South,tm1\n"
)
CASES = (
    "reference,case type,team,worker,tags\n"
    "cf-1,CiN,North,sw1,neglect; domestic abuse\n"
    "CF-2,Child protection,South,,\n"
    "CF-3,child_in_care,North,SW2,\n"
)


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def workbook(path: Path, rows: list[list[str]], sheet: str = "Sheet1") -> Path:
    book = xlsxwriter.Workbook(str(path))
    page = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            page.write_string(r, c, value)
    book.close()
    return path


def count(services, model) -> int:
    with services.db.reading() as s:
        return s.scalar(select(func.count()).select_from(model))


def refusal(call, path: Path) -> str:
    with pytest.raises(ValidationError) as caught:
        call(path)
    return str(caught.value)


@pytest.fixture
def imported(services, tmp_path):
    """Teams and people in; the importer and the folder to write files to."""
    importer = as_admin(services, "directory_import")
    importer.import_teams(write(tmp_path / "teams.csv", TEAMS))
    importer.import_people(write(tmp_path / "people.csv", PEOPLE))
    return importer


def test_teams_people_and_cases_from_csv_are_stored_whole(services, imported, tmp_path):
    result = imported.import_cases(write(tmp_path / "cases.csv", CASES))
    assert result == DirectoryImportResult(DirectoryKind.CASES, 3, "cases.csv")
    assert [(t.name, t.service) for t in as_admin(services).teams()] == [
        ("South", "Children in Care"),
        ("North", "Strengthening Families"),
    ]
    people = {p.username: p for p in as_admin(services).people()}
    assert set(people) == {"admin.zed", "sw1", "tm1", "hos", "sw2"}  # the importer too
    assert people["tm1"].roles == (Role.TEAM_MANAGER, Role.SENIOR_SOCIAL_WORK_MANAGER)
    assert people["hos"].team is None
    # a line manager further down the file, and one further up, both found
    assert people["sw1"].line_manager_id == people["tm1"].id
    assert people["tm1"].line_manager_id == people["hos"].id
    assert people["sw2"].line_manager_id == people["tm1"].id
    cases = {c.reference: c for c in as_admin(services).cases()}
    assert (cases["CF-1"].case_type, cases["CF-1"].team, cases["CF-1"].worker_username) == (
        "child_in_need",
        "North",
        "sw1",
    )
    assert cases["CF-2"].worker is None and cases["CF-3"].worker_username == "sw2"
    assert services.sampling.tags(who=who(services, "hos")) == {"domestic_abuse": 1, "neglect": 1}


def test_a_workbook_imports_like_the_csv(services, tmp_path):
    importer = as_admin(services, "directory_import")
    teams = workbook(tmp_path / "teams.xlsx", [["Name", "SERVICE"], ["North", "MASH"]])
    assert importer.import_teams(teams).added == 1
    people = workbook(
        tmp_path / "people.xlsx",
        [
            ["username", "name", "roles", "team", "line_manager"],
            ["b", "Bo", "Team manager", "North", ""],
        ],
        sheet="Staff",
    )
    result = importer.import_people(people, sheet="staff")
    assert result == DirectoryImportResult(DirectoryKind.PEOPLE, 1, "people.xlsx")
    assert as_admin(services).person("b").roles == (Role.TEAM_MANAGER,)


def test_a_case_type_by_its_edited_label_is_accepted(services, imported, tmp_path):
    from db.models import CaseType

    with services.db.transaction() as s:
        s.get(CaseType, "child_in_care").label = "Children we look after"
    text = "reference,case type,team\nCF-9,children WE look after,North\n"
    path = write(tmp_path / "c.csv", text)
    imported.import_cases(path)
    assert as_admin(services).case("CF-9").case_type == "child_in_care"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("x1,,social_worker,North,", "row 2, name: the name is missing"),
        ("x1,Xi,,North,", "row 2, roles: give the person at least one role"),
        ("x1,Xi,wizard,North,", "row 2, roles: 'wizard' is not a role"),
        ("x 1,Xi,social_worker,North,", "row 2, username: 'x 1' is not a usable username"),
        (
            "SW1,Xi,social_worker,North,\nnew,N,iro,,",
            "row 2, username: the username 'sw1' is already taken",
        ),
        ("x1,Xi,social_worker,West,", "row 2, team: there is no team called 'West'"),
        ("x1,Xi,social_worker,North,nobody", "row 2, line manager: there is nobody with the"),
        ("x1,Xi,social_worker,North,x1", "row 2, line manager: a person cannot be their own"),
        ("x1," + "N" * 121 + ",social_worker,,", "row 2, name: the name is 121 characters long"),
        ("u" * 61 + ",Xi,iro,,", "row 2, username: the username is 61 characters long"),
        ("x1,X\x07i,iro,,", "row 2, name: the name holds a control character"),
    ],
)
def test_each_bad_person_is_named_by_row_and_column(services, imported, tmp_path, line, expected):
    path = write(tmp_path / "p.csv", "username,name,roles,team,line manager\n" + line + "\n")
    assert expected in refusal(imported.import_people, path)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("CF 1,CiN,North,,", "row 2, reference: a case reference is one word"),
        (",CiN,North,,", "row 2, reference: a case reference is one word"),
        ("CF-1,Fostering,North,,", "row 2, case type: 'Fostering' is not a case type"),
        ("CF-1,,North,,", "row 2, case type: the case type is missing"),
        ("CF-1,CiN,,,", "row 2, team: the team is missing"),
        ("CF-1,CiN,East,,", "row 2, team: there is no team called 'East'"),
        ("CF-1,CiN,North,ghost,", "row 2, worker: there is nobody with the username 'ghost'"),
        ("CF-1,CiN,North,hos,", "row 2, worker: 'hos' is in no team"),
        ("CF-1,CiN,North,,!!", "row 2, tags: '!!' is not a usable theme tag"),
    ],
)
def test_each_bad_case_is_named_by_row_and_column(services, imported, tmp_path, line, expected):
    path = write(tmp_path / "c.csv", "reference,case type,team,worker,tags\n" + line + "\n")
    assert expected in refusal(imported.import_cases, path)


def test_single_adds_refuse_what_the_import_refuses(services, imported):
    """The rules are shared: a worker in no team is refused by ``cases add`` as well."""
    with pytest.raises(AuditorError, match="'hos' is in no team"):
        as_admin(services).add_case("CF-77", "cin", "North", "hos")
    with pytest.raises(AuditorError, match="own line manager"):
        as_admin(services).add_person("zed", "Zed", [Role.SOCIAL_WORKER], "North", "zed")
    with pytest.raises(AuditorError, match="already a team called 'North'"):
        as_admin(services).add_team("  North ")


def test_repeats_within_the_file_are_named_with_the_first_row(services, imported, tmp_path):
    teams = write(tmp_path / "t.csv", "name\nEast\nWest\nEast\n")
    assert "row 4, name: 'East' is in row 2 as well" in refusal(imported.import_teams, teams)
    people = write(tmp_path / "p.csv", "username,name,roles\nnew1,A,iro\nNEW1,B,iro\n")
    assert "row 3, username: 'new1' is in row 2 as well" in refusal(imported.import_people, people)
    cases = write(tmp_path / "c.csv", "reference,case type,team\nCF-5,CP,North\ncf-5,CP,North\n")
    assert "row 3, reference: 'CF-5' is in row 2 as well" in refusal(imported.import_cases, cases)


def test_line_managers_going_round_in_a_circle_are_refused(services, imported, tmp_path):
    path = write(
        tmp_path / "p.csv",
        "username,name,roles,line manager\na,A,team_manager,b\nb,B,team_manager,c\n"
        "c,C,team_manager,a\nd,D,social_worker,a\n",
    )
    message = refusal(imported.import_people, path)
    assert "row 2, line manager: the line managers go round in a circle (a → b → c → a)" in message
    assert "row 3, line manager: the line managers go round in a circle (b → c → a → b)" in message
    assert "row 4, line manager" in message
    assert "row 5" not in message  # d is only under the circle, not in it


@pytest.mark.timeout(60)
def test_a_chain_of_5000_line_managers_is_followed_once(services, imported, tmp_path):
    """Each person managed by the next one down the file: looking for circles must not walk the
    chain again from every person (that took hours)."""
    lines = [f"c{n},C {n},team_manager,North,c{n + 1}" for n in range(4999)]
    path = write(
        tmp_path / "chain.csv",
        "username,name,roles,team,line manager\n" + "\n".join(lines) + "\nc4999,Top,director,,\n",
    )
    assert imported.import_people(path).added == 5000
    assert as_admin(services).person("c0").line_manager_id == as_admin(services).person("c1").id


def snapshot(services) -> dict[str, list[tuple]]:
    """Every row of every table."""
    with services.db.reading() as s:
        return {
            table.name: sorted(map(tuple, s.execute(select(table)).all()), key=repr)
            for table in Base.metadata.sorted_tables
        }


@pytest.mark.parametrize("kind", ["teams", "people", "cases"])
def test_one_bad_row_stores_nothing(services, imported, tmp_path, kind):
    good, bad = {
        "teams": ("name\n" + "\n".join(f"T{n}" for n in range(40)), "\n" + "x" * 200),
        "people": (
            "username,name,roles,team\n" + "\n".join(f"u{n},U,iro,North" for n in range(40)),
            "\nu99,U,iro,Nowhere",
        ),
        "cases": (
            "reference,case type,team,worker,tags\n"
            + "\n".join(f"CF-{n},CiN,North,sw1,neglect" for n in range(40)),
            "\nCF-999,CiN,Nowhere,,",
        ),
    }[kind]
    path = write(tmp_path / "f.csv", good + bad + "\n")
    before = snapshot(services)
    message = refusal(getattr(imported, f"import_{kind}"), path)
    assert message.startswith("f.csv: nothing was imported because 1 row(s) have problems")
    assert "row 42, " in message
    assert snapshot(services) == before


def test_every_bad_row_is_counted_and_the_list_stays_short(services, imported, tmp_path):
    rows = "\n".join(f"CF-{n},CiN,Nowhere,ghost," for n in range(30))
    path = write(tmp_path / "c.csv", f"reference,case type,team,worker,tags\n{rows}\n")
    message = refusal(imported.import_cases, path)
    assert "30 row(s) have problems" in message
    assert "... and 50 more problems" in message  # 60 problems, 10 listed
    assert len(message.splitlines()) == 12


def test_a_file_imported_twice_is_refused_as_a_whole(services, imported, tmp_path):
    people_before = count(services, Person)
    message = refusal(imported.import_people, tmp_path / "people.csv")
    assert message == (
        "people.csv: nothing was imported because all of its 4 people are there already: the "
        "file was imported before. Import only new rows."
    )
    path = write(tmp_path / "cases.csv", CASES)
    imported.import_cases(path)
    assert "all of its 3 cases are there already" in refusal(imported.import_cases, path)
    assert "all of its 2 teams are there already" in refusal(
        imported.import_teams, tmp_path / "teams.csv"
    )
    assert count(services, Person) == people_before


def test_a_file_with_some_rows_already_there_names_them(services, imported, tmp_path):
    path = write(tmp_path / "t.csv", "name\nNorth\nEast\n")
    message = refusal(imported.import_teams, path)
    assert "row 2, name: there is already a team called 'North'" in message
    assert count(services, Team) == 2


def test_the_header_is_checked_as_import_history_checks_it(services, imported, tmp_path):
    missing = write(tmp_path / "p.csv", "username,name\nx,X\n")
    assert "the file has no 'roles' column" in refusal(imported.import_people, missing)
    assert "line manager (optional)" in refusal(imported.import_people, missing)
    twice = write(tmp_path / "c.csv", "reference,Case Type,case_type,team\nCF-1,CP,CP,North\n")
    assert "all name the case type column" in refusal(imported.import_cases, twice)
    assert refusal(imported.import_teams, write(tmp_path / "e.csv", "")).endswith(
        "it is empty: the first row must name the columns."
    )
    only_header = write(tmp_path / "h.csv", "name,service\n")
    assert refusal(imported.import_teams, only_header) == "h.csv has no rows to import."
    assert "There is no file at" in refusal(imported.import_teams, tmp_path / "absent.csv")


def test_more_cases_than_import_history_takes_fit_in_one_file(services, imported, tmp_path):
    rows = "\n".join(f"CF-{n},CP,North,sw1" for n in range(25_000))
    path = write(tmp_path / "many.csv", f"reference,case type,team,worker\n{rows}\n")
    assert imported.import_cases(path).added == 25_000
    assert count(services, Case) == 25_000


def test_people_and_roles_are_stored_once_each(services, imported):
    with services.db.reading() as s:
        roles = s.execute(
            select(Person.username, PersonRole.role).join(PersonRole).order_by(PersonRole.role)
        ).all()
    tm1 = sorted(r for u, r in roles if u == "tm1")
    assert tm1 == ["senior_social_work_manager", "team_manager"]
