"""A stored value the application does not understand is a damaged database (exit 2, a message
naming the table and column), never an internal error."""

from __future__ import annotations

import pytest

from auditor.cli import main
from auditor.domain.errors import StorageError
from auditor.services import open_services
from auditor.services.access.accounts import DEMO_PASSWORD
from tests.builders import who
from tests.db.damage import copy, store_anyway

#: A demo reader who sees every audit (principal social worker: read scope ALL).
READER = "psw.fraser"

# Columns without a CHECK constraint: the quick check at opening cannot see these.
UNCHECKED = [
    (
        "UPDATE audit SET completed_on = '20' || char(0) || '19-04-30' "
        "WHERE completed_on IS NOT NULL",
        ["summary"],
        "audit, column completed_on",
    ),
    (
        "UPDATE audit SET created_at = '2019-04-30 1' || char(0) || '2'",
        ["audit", "list"],
        "audit, column created_at",
    ),
    (
        "UPDATE person_role SET role = 'wizard' WHERE rowid = (SELECT min(rowid) FROM person_role)",
        ["people", "list"],
        "person_role, column role",
    ),
    ("UPDATE answer SET value = '{not json'", ["audit", "show", "1"], "answer, column value"),
    (
        "UPDATE practice_week SET starts_on = char(0, 0)",
        ["week", "summary", "1"],
        "practice_week, column starts_on",
    ),
]


@pytest.mark.parametrize(("sql", "command", "where"), UNCHECKED)
def test_an_undecodable_value_is_a_damaged_database(
    demo_template, tmp_path, capsys, monkeypatch, sql, command, where
):
    path = copy(demo_template, tmp_path / "auditor.db")
    store_anyway(path, sql)
    monkeypatch.setenv("AUDITOR_PASSWORD", DEMO_PASSWORD)  # everyone's in the demo
    assert main(["--db", str(path), "--user", READER, *command]) == 2
    err = capsys.readouterr().err
    assert "does not understand" in err and where in err and "restore --latest" in err
    assert "something went wrong" not in err


@pytest.mark.parametrize(
    ("sql", "where"),
    [
        (
            "UPDATE audit SET final_grade = 'excellent' WHERE final_grade IS NOT NULL",
            "audit, column final_grade",
        ),
        (
            "UPDATE audit SET state = 'weird' WHERE id = (SELECT min(id) FROM audit)",
            "audit, column state",
        ),
        ("UPDATE audit SET kind = '??'", "audit, column kind"),
    ],
)
def test_damage_after_opening_past_the_check_constraints_is_refused_too(
    demo_template, tmp_path, sql, where
):
    services = open_services(copy(demo_template, tmp_path / "auditor.db"))
    try:
        reader = who(services, READER)
        with services.db.transaction() as session:
            connection = session.connection()
            connection.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
            connection.exec_driver_sql(sql)
            connection.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")
        with pytest.raises(StorageError, match="does not understand") as refused:
            services.views.rows(who=reader)
        assert where in str(refused.value)
    finally:
        services.close()
