"""A practice week run from the command line, and each of its refusals (exit code 2)."""

from __future__ import annotations

import json

import pytest

from tests.builders import CliDriver


@pytest.fixture
def cli(db_path, org, services, tmp_path, capsys):
    return CliDriver(db_path, services, tmp_path, capsys, case_type=None)


def plan(cli, org):
    assert (
        cli(
            "week",
            "create",
            "Feb 2027",
            "--from",
            "2027-02-01",
            "--to",
            "2027-02-12",
            "--theme",
            "Neglect",
            "--team",
            "North",
            "--user",
            org.qa,
        )[0]
        == 0
    )
    assert (
        cli(
            "week",
            "join",
            "Feb 2027",
            org.senior,
            "--days",
            "2027-02-01,02/02/2027",
            "--user",
            org.qa,
        )[0]
        == 0
    )
    assert (
        cli(
            "week",
            "allocate",
            "1",
            org.senior,
            "--day",
            "2027-02-01",
            "--kind",
            "observation",
            "--case",
            org.case,
            "--type",
            "home_visit",
            "--user",
            org.qa,
        )[0]
        == 0
    )
    assert (
        cli(
            "week",
            "allocate",
            "1",
            org.senior,
            "--day",
            "2027-02-02",
            "--kind",
            "dip",
            "--type",
            "dip_statutory_visits",
            "--user",
            org.qa,
        )[0]
        == 0
    )


def test_a_practice_week_from_plan_to_summary(cli, org):
    plan(cli, org)
    assert cli("week", "start", "1", "--user", org.qa)[0] == 0
    code, out = cli("week", "begin", "1", "--user", org.senior)
    assert code == 0 and "Started activity 1" in out
    obs = cli.answers(
        "obs",
        cli.form(
            "practice_observation",
            preset={"overall": {"grade": "G", "rationale": "Child at the centre throughout."}},
        ),
    )
    assert (
        cli(
            "finding",
            "add",
            "1",
            "--kind",
            "strength",
            "--domain",
            "child_voice",
            "--text",
            "Child seen alone",
            "--user",
            org.senior,
        )[0]
        == 0
    )
    assert cli("observation", "submit", "1", "--answers", obs, "--user", org.senior)[0] == 0
    code, out = cli("week", "begin", "2", "--user", org.senior)
    assert code == 0 and "session 1" in out
    dip = cli.answers(
        "dip",
        cli.form(
            "dip_statutory_visits",
            preset={"overall": {"grade": "RI", "rationale": "One visit late."}},
        ),
    )
    for ref in ("CF-1", "CF-2"):
        assert cli("dip", "record", "1", ref, "--answers", dip, "--user", org.senior)[0] == 0
    code, out = cli("dip", "finish", "1", "--note", "Visits mostly on time", "--user", org.senior)
    assert code == 0 and "2 cases graded" in out and "Yes in 2 of 2" in out

    code, out = cli("week", "summary", "Feb 2027", "--user", org.senior)
    assert code == 0
    assert "2 of 2 planned items done (100%)" in out
    grade_table = out.split("\n\n")[1].splitlines()  # the first table: grades by activity
    lines = {line.split("  ")[0]: line.split() for line in grade_table}
    assert lines["Observations"][1:] == ["0", "1", "1", "100", "0", "0", "0", "0", "1"]
    assert lines["Dip samples"][2:] == ["0", "0", "0", "0", "2", "0", "2", "100", "2"]
    assert "Child seen alone" in out
    code, out = cli("week", "progress", "1", "--format", "json", "--user", org.senior)
    data = json.loads(out)
    assert data["percent_done"] == 100 and data["by_activity"]["dip"]["done"] == 1
    code, out = cli("summary", "--user", org.senior)
    assert "observation" in out and "dip" in out  # own rows in the grade summary
    assert cli("week", "close", "1", "--user", org.qa)[0] == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (
            (
                "week",
                "join",
                "1",
                "hos.eve",
                "--days",
                "2027-02-01,2027-02-02,2027-02-03,2027-02-04,2027-02-05",
            ),
            "up to 4 days",
        ),
        (("week", "join", "1", "tm.ben", "--days", "2027-02-01"), "not a senior manager"),
        (
            (
                "week",
                "allocate",
                "1",
                "hos.eve",
                "--day",
                "2027-02-05",
                "--kind",
                "observation",
                "--practitioner",
                "sw.amy",
            ),
            "not giving Friday",
        ),
        (
            (
                "week",
                "allocate",
                "1",
                "hos.eve",
                "--day",
                "2027-02-01",
                "--kind",
                "observation",
                "--practitioner",
                "hos.eve",
            ),
            "Nobody observes their own practice",
        ),
        (
            ("week", "allocate", "1", "hos.eve", "--day", "2027-02-01", "--kind", "dip"),
            "Say which dip sample",
        ),
        (("week", "begin", "1"), "under way"),
        (("week", "close", "1"), "goes planned, then under way"),
        (
            ("week", "create", "Feb 2027", "--from", "2027-02-01", "--to", "2027-02-02"),
            "already a practice week",
        ),
    ],
)
def test_each_planning_rule_is_refused_with_exit_code_2(cli, org, args, message):
    plan(cli, org)
    who = org.senior if args[1] == "begin" else org.qa
    code, out = cli(*args, "--user", who)
    assert code == 2 and message in out and "Traceback" not in out


def test_an_observation_without_feedback_or_of_oneself_is_refused(cli, org):
    answers = cli.form("practice_observation")
    del answers["feedback_given"]
    code, out = cli(
        "observation",
        "record",
        "--practitioner",
        org.worker,
        "--answers",
        cli.answers("o", answers),
        "--user",
        org.senior,
    )
    assert code == 2 and "feedback" in out.lower()
    code, out = cli(
        "observation",
        "record",
        "--practitioner",
        org.worker,
        "--answers",
        cli.answers("o2", cli.form("practice_observation")),
        "--user",
        org.worker,
    )
    assert code == 2 and "You may not record an observation of practice" in out
    code, out = cli(
        "observation",
        "record",
        "--practitioner",
        org.worker,
        "--answers",
        cli.answers("o3", answers),
        "--draft",
        "--user",
        org.senior,
    )
    assert code == 0 and "draft" in out


def test_a_dip_session_cannot_finish_with_ungraded_cases(cli, org):
    assert cli("dip", "start", "dip_pathway_plans", "--user", org.senior)[0] == 0
    assert (
        cli(
            "dip",
            "record",
            "1",
            "CF-2",
            "--answers",
            cli.answers("d", {}),
            "--draft",
            "--user",
            org.senior,
        )[0]
        == 0
    )
    code, out = cli("dip", "finish", "1", "--user", org.senior)
    assert code == 2 and "CF-2" in out
    code, out = cli("dip", "start", "not_a_form", "--user", org.senior)
    assert code == 2 and "not a dip-sample form" in out
