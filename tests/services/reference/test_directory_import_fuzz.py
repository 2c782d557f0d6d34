"""The import fuzzer for teams, people and cases: seeded valid files, each changed by up to three of
the mutations the ``import-history`` fuzzer uses (``fuzz_cases``: headers, cells, long cells,
shapes, encodings, damaged bytes, workbooks). For every file: stored whole, or refused with an
``AuditorError`` (never another exception) of under 2,000 characters and nothing stored; a file
that was stored is refused when imported again."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable

import pytest
from sqlalchemy import select

from auditor.domain.errors import AuditorError
from auditor.domain.reference import CASE_TYPES, Role
from db.models import Base
from tests.builders import as_admin
from tests.services.reference.fuzz_cases import (
    JUNK,
    NAMES,
    TABLE_MUTATIONS,
    _byte_damage,
    _csv_text,
    _encode,
    _xlsx_bytes,
)
from tests.services.reference.xlsx_parts import sheet_xml

SEED = 20261203
PER_KIND = 150
TEAMS = ["North", "South", "Care Leavers"]
STAFF = ["tm.north", "sw.north", "sw.south"]  # in the database before the files
ROLE_WORDS = [r.value for r in Role] + [r.label for r in Role] + ["Social Worker", "wizard"]
Rows = Callable[[random.Random, int], tuple[list[str], list[list[str]]]]


def team_rows(rnd: random.Random, n: int) -> tuple[list[str], list[list[str]]]:
    return ["name", "service"], [
        [f"Team {rnd.randrange(10**6)}", rnd.choice(["MASH", "", "Care Leavers", *NAMES])]
        for _ in range(n)
    ]


def people_rows(rnd: random.Random, n: int) -> tuple[list[str], list[list[str]]]:
    usernames = [f"u{rnd.randrange(10**8)}" for _ in range(n)]
    rows = []
    for i, username in enumerate(usernames):
        roles = "; ".join(rnd.sample(ROLE_WORDS[:-1], rnd.randint(1, 2)))
        manager = rnd.choice(["", rnd.choice(STAFF), rnd.choice(usernames[i + 1 :] or [""])])
        name = rnd.choice(NAMES) or "Name"
        rows.append([username, name, roles, rnd.choice(TEAMS + [""]), manager])
    return ["username", "name", "roles", "team", "line manager"], rows


def case_rows(rnd: random.Random, n: int) -> tuple[list[str], list[list[str]]]:
    types = list(CASE_TYPES) + ["CiN", "LAC", "Child protection"]
    return ["reference", "case type", "team", "worker", "tags"], [
        [
            f"CF-{rnd.randrange(10**8)}",
            rnd.choice(types),
            rnd.choice(TEAMS),
            rnd.choice(["", "sw.north", "sw.south"]),
            rnd.choice(["", "", "", "neglect", "neglect; domestic abuse"])
            if rnd.random() < 0.95
            else rnd.choice(JUNK),
        ]
        for _ in range(n)
    ]


def mutate(rnd: random.Random, header: list[str], rows: list[list[str]]) -> str:
    try:
        return rnd.choice(TABLE_MUTATIONS)(rnd, header, rows)
    except ValueError:  # a mutation with nothing left to cut (a row emptied already)
        return "none"


def fuzz_files(rnd: random.Random, rows_of: Rows, count: int) -> list[tuple[str, bytes, str]]:
    files = []
    for index in range(count):
        header, rows = rows_of(rnd, rnd.randint(0, 30))
        kinds = [mutate(rnd, header, rows) for _ in range(rnd.randint(0, 3))]
        if rnd.random() < 0.25:
            data, suffix = _xlsx_bytes({"Sheet1": sheet_xml([header, *rows])}), ".xlsx"
            kinds.append("xlsx")
        else:
            data, encoding = _encode(rnd, _csv_text(rnd, header, rows))
            suffix = ".csv"
            kinds.append(encoding)
        if rnd.random() < 0.2:
            data, damage = _byte_damage(rnd, data)
            kinds.append(damage)
        files.append((f"file{index:03d}{suffix}", data, ", ".join(kinds)))
    return files


def snapshot(services) -> dict[str, list[tuple]]:
    with services.db.reading() as s:
        return {
            table.name: sorted(map(tuple, s.execute(select(table)).all()), key=repr)
            for table in Base.metadata.sorted_tables
            if table.name in ("team", "person", "person_role", "case_file", "case_tag")
        }


def attempt(call, path) -> tuple[bool, str]:
    try:
        call(path)
    except AuditorError as error:
        return False, str(error)
    return True, ""


@pytest.mark.timeout(300)
@pytest.mark.parametrize(
    ("kind", "rows_of"), [("teams", team_rows), ("people", people_rows), ("cases", case_rows)]
)
def test_fuzzed_directory_files_are_stored_whole_or_refused_plainly(
    services, tmp_path, kind, rows_of
):
    for name in TEAMS:
        as_admin(services).add_team(name)
    as_admin(services).add_person("tm.north", "Tia", [Role.TEAM_MANAGER], "North")
    as_admin(services).add_person("sw.north", "Sam", [Role.SOCIAL_WORKER], "North", "tm.north")
    as_admin(services).add_person("sw.south", "Sue", [Role.SOCIAL_WORKER], "South")
    call = getattr(as_admin(services, "directory_import"), f"import_{kind}")
    outcomes: Counter[str] = Counter()
    for name, data, what in fuzz_files(random.Random(f"{SEED}-{kind}"), rows_of, PER_KIND):
        path = tmp_path / name
        path.write_bytes(data)
        before = snapshot(services)
        stored, message = attempt(call, path)
        assert len(message) < 2000, (what, len(message))
        if stored:
            outcomes["stored"] += 1
            after = snapshot(services)
            again, message = attempt(call, path)
            assert not again and "there already" in message, (what, message)
            assert snapshot(services) == after
        else:
            outcomes["refused"] += 1
            assert snapshot(services) == before, what
            assert message.splitlines()[0].strip(), what
        path.unlink()
    print(
        f"\n{kind} fuzzer: {PER_KIND} files, {outcomes['stored']} stored, "
        f"{outcomes['refused']} refused"
    )
    assert outcomes["stored"] >= 5 and outcomes["refused"] >= 20  # really mixed
