"""Closed means closed on the command line: each refusal is exit code 2 and the rule's sentence."""

from __future__ import annotations

import pytest

from auditor.domain.reference import Role
from tests.builders import CliDriver, as_admin, feedback_answers
from tests.cli.conftest import PASSWORD


@pytest.fixture
def cli(db_path, org, services, tmp_path, capsys):
    return CliDriver(db_path, services, tmp_path, capsys, case_type=None)


def record(cli, by, practitioner):
    obs = cli.answers("obs", cli.form("practice_observation"))
    return cli(
        "observation", "record", "--practitioner", practitioner, "--answers", obs, "--user", by
    )


def test_a_finding_on_a_completed_observation_is_refused(cli, org):
    assert record(cli, org.senior, org.worker)[0] == 0
    code, out = cli(
        "finding",
        "add",
        "1",
        "--kind",
        "strength",
        "--text",
        "Warm and clear",
        "--user",
        org.senior,
    )
    assert code == 2 and "closed, so its findings can no longer be added" in out
    assert "Traceback" not in out


def test_a_social_worker_cannot_grade_her_own_team_manager(cli, org):
    code, out = record(cli, org.worker, org.manager)
    assert code == 2 and "You may not record an observation of practice" in out
    code, out = record(cli, org.manager, org.senior_lm)
    assert code == 2 and "Dan Senior is your line manager" in out


def test_the_second_auditor_cannot_write_the_first_audit_of_a_worker_without_a_manager(
    cli, org, services
):
    directory = as_admin(services)
    directory.add_person("sw.zoe", "Zoe Agency", [Role.SOCIAL_WORKER], "North")
    directory.add_case("CF-9", "child_in_need", "North", "sw.zoe")
    services.accounts.give_everyone(PASSWORD)
    start = ("audit", "start", "CF-9", "--second-auditor", org.senior, "--user", org.qa)
    assert cli(*start)[0] == 0
    self_review = cli.answers("t1", cli.form("self_review"))
    assert (
        cli("audit", "submit", "1", "--tier", "1", "--answers", self_review, "--user", "sw.zoe")[0]
        == 0
    )
    feedback = cli.answers("fb", feedback_answers(services))
    code, out = cli("audit", "feedback", "1", "--answers", feedback, "--user", org.senior)
    assert code == 2 and "You are the second auditor of this case" in out
    # another team's manager may no longer see the audit (record-level access), so the senior
    # manager who is not its second auditor steps in
    code, out = cli("audit", "feedback", "1", "--answers", feedback, "--user", org.other_manager)
    assert code == 2 and "not one you may see" in out
    code, out = cli("audit", "feedback", "1", "--answers", feedback, "--user", org.senior_lm)
    assert code == 0, out
