"""The CLI in-process: a whole audit by three users, exit codes, imports and the summary."""

import functools
import json

import pytest

from auditor.cli import main
from auditor.domain.grades import Grade
from auditor.domain.summary import SUMMARY_COLUMNS
from auditor.services.access.accounts import DEMO_PASSWORD
from tests.builders import feedback_answers, fill


@pytest.fixture
def cli(db_path, capsys):
    def run(*args):
        code = main(["--db", str(db_path), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture
def write_json(tmp_path):
    def write(name, data):
        path = tmp_path / name
        path.write_text(json.dumps(data), encoding="utf-8")
        return str(path)

    return write


def test_three_users_run_a_whole_audit_from_the_command_line(cli, org, services, write_json):
    audit_form = services.forms.latest("case_file_audit")
    code, out, _ = cli("audit", "start", org.case, "--user", org.manager)
    assert code == 0 and "Started audit 1 of CF-1" in out
    review = write_json("review.json", fill(services.forms.latest("self_review")))
    assert (
        cli("audit", "submit", "1", "--tier", "1", "--user", org.worker, "--answers", review)[0]
        == 0
    )
    feedback = write_json("feedback.json", feedback_answers(services))
    assert cli("audit", "feedback", "1", "--user", org.manager, "--answers", feedback)[0] == 0
    tier2 = write_json("tier2.json", {"answers": fill(audit_form)})
    assert (
        cli("audit", "submit", "1", "--tier", "2", "--user", org.manager, "--answers", tier2)[0]
        == 0
    )
    tier3 = write_json("tier3.json", fill(audit_form, grade=Grade.REQUIRES_IMPROVEMENT))
    code, out, _ = cli(
        "audit", "submit", "1", "--tier", "3", "--user", org.senior, "--answers", tier3
    )
    assert code == 0 and "agreeing differences and actions" in out

    code, _, err = cli("audit", "close", "1", "--user", org.senior)
    assert code == 2 and "each difference needs a short note" in err
    code, out, _ = cli("audit", "show", "1", "--user", org.senior, "--format", "json")
    differing = [c["domain_id"] for c in json.loads(out)["comparisons"] if c["differs"]]
    for domain in differing:
        assert (
            cli(
                "audit",
                "note",
                "1",
                "--domain",
                domain,
                "--note",
                "Agreed RI.",
                "--user",
                org.senior,
            )[0]
            == 0
        )
    code, _, err = cli("audit", "close", "1", "--user", org.senior)
    assert code == 2 and "follow-up action" in err and "\n" not in err.strip()
    assert (
        cli(
            "audit",
            "action",
            "1",
            "--user",
            org.senior,
            "--owner",
            org.manager,
            "--due",
            "31/12/2099",
            "--text",
            "Supervise the plan",
        )[0]
        == 0
    )
    code, out, _ = cli("audit", "close", "1", "--user", org.senior)
    assert code == 0 and "closed" in out

    code, out, _ = cli("audit", "show", "1", "--user", org.senior)
    assert "Final grade: Requires improvement to be good" in out and "closed" in out
    code, out, _ = cli("audit", "list", "--format", "json", "--user", org.senior)
    [row] = json.loads(out)
    assert (row["id"], row["state"], row["final_grade"]) == (1, "closed", "requires_improvement")
    code, out, _ = cli("summary", "--format", "json", "--user", org.senior)
    assert json.loads(out)[0]["requires_improvement"] == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (["audit", "start", "CF-1", "--user", "sw.amy"], "You may not start an audit"),
        (["audit", "start", "CF-404", "--user", "tm.ben"], "no case with the reference"),
        (["audit", "show", "99", "--user", "hos.eve"], "no audit number 99"),
        (["audit", "close", "1", "--user", "nobody"], "username or password is not right"),
        (
            ["audit", "submit", "1", "--tier", "1", "--user", "sw.amy", "--answers", "/nope.json"],
            "Cannot read /nope.json",
        ),
        (["summary", "--from", "31/02/2020"], "not a date"),
        (["people", "add", "x", "--name", "X", "--role", "wizard"], "not a role"),
    ],
)
def test_refusals_exit_2_with_one_line_and_no_traceback(cli, org, args, message):
    code, out, err = cli(*args)
    assert code == 2
    assert message in err and "Traceback" not in err + out


def test_invalid_json_and_wrong_user_for_a_tier(cli, org, tmp_path, write_json):
    cli("audit", "start", org.case, "--user", org.manager)
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    code, _, err = cli(
        "audit", "submit", "1", "--tier", "1", "--user", org.worker, "--answers", str(bad)
    )
    assert code == 2 and "not valid JSON (line 1" in err
    code, _, err = cli(
        "audit",
        "submit",
        "1",
        "--tier",
        "1",
        "--user",
        org.manager,
        "--answers",
        write_json("a.json", {"strengths": "x", "weaknesses": "y"}),
    )
    assert code == 2 and "You may not write a self-review" in err
    code, _, err = cli(
        "audit",
        "submit",
        "1",
        "--tier",
        "1",
        "--user",
        org.worker,
        "--answers",
        write_json("b.json", {"strengths": "x"}),
    )
    assert code == 2 and "needs an answer" in err


def test_missing_database_is_a_clear_error(tmp_path, capsys):
    assert main(["--db", str(tmp_path / "none.db"), "summary", "--user", "hos.eve"]) == 2
    assert "There is no database" in capsys.readouterr().err


def test_damaged_database_is_refused_and_left_alone(tmp_path, capsys):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not sqlite" * 100)
    assert main(["--db", str(junk), "summary", "--user", "hos.eve"]) == 2
    assert "damaged or is not an Auditor database" in capsys.readouterr().err
    assert junk.read_bytes() == b"this is not sqlite" * 100


def test_db_comes_from_environment_when_no_option(tmp_path, monkeypatch, capsys):
    target = tmp_path / "env.db"
    monkeypatch.setenv("AUDITOR_DB", str(target))
    assert main(["init"]) == 0
    assert target.exists() and str(target) in capsys.readouterr().out


def test_demo_then_summary_prints_a_sensible_table(tmp_path, capsys, monkeypatch):
    path = str(tmp_path / "demo.db")
    monkeypatch.delenv("AUDITOR_PASSWORD")
    assert main(["--db", path, "init", "--demo"]) == 0
    out = capsys.readouterr().out
    assert "Demo organisation created" in out and DEMO_PASSWORD in out and "sw.patel" in out
    monkeypatch.setenv("AUDITOR_PASSWORD", DEMO_PASSWORD)
    path = [path, "--user", "hos.marsh"]
    assert main(["--db", *path, "summary", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["activity"] for r in rows} == {"audit", "observation", "dip"}
    assert len({r["period"] for r in rows}) == 2
    assert all(r["good_or_better_pct"] + r["ri_or_inadequate_pct"] == 100 for r in rows)
    assert main(["--db", *path, "summary"]) == 0
    table = capsys.readouterr().out
    assert table.splitlines()[0].split() == list(SUMMARY_COLUMNS)
    assert main(["--db", *path, "audit", "list", "--format", "json", "--limit", "500"]) == 0
    states = {r["state"] for r in json.loads(capsys.readouterr().out)}
    assert states == {"self_review", "first_audit", "second_audit", "reconciliation", "closed"}
    assert main(["--db", path[0], "init", "--demo"]) == 2  # never on top of existing data


def test_forms_template_gives_a_fillable_answer_file(capsys):
    assert main(["forms", "template", "self_review"]) == 0
    template = json.loads(capsys.readouterr().out)
    assert set(template) == {"strengths", "weaknesses", "support_needed", "self_grade"}
    assert main(["forms", "check"]) == 0


def test_reference_data_commands(cli, admin):
    cli = functools.partial(cli, "--user", admin)
    assert cli("teams", "add", "East", "--service", "Assessment")[0] == 0
    assert (
        cli(
            "people",
            "add",
            "TM.Zed",
            "--name",
            "Zed Manager",
            "--role",
            "team_manager",
            "--team",
            "East",
        )[0]
        == 0
    )
    assert (
        cli(
            "people",
            "add",
            "sw.yan",
            "--name",
            "Yan Worker",
            "--role",
            "social worker",
            "--team",
            "East",
            "--line-manager",
            "tm.zed",
        )[0]
        == 0
    )
    assert (
        cli("cases", "add", "cf-77", "--type", "CP", "--team", "East", "--worker", "sw.yan")[0] == 0
    )
    code, out, _ = cli("cases", "list")
    assert code == 0 and "CF-77" in out and "Child protection" in out
    code, _, err = cli("cases", "add", "CF-77", "--type", "CP", "--team", "East")
    assert code == 2 and "already a case" in err
