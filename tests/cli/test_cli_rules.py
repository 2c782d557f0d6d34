"""Every rule of the three-tier audit, refused through the command line with exit code 2."""

import json

import pytest

from auditor.domain.grades import Grade
from tests.builders import CliDriver, feedback_answers


@pytest.fixture
def audit(db_path, org, services, tmp_path, capsys):
    """Helpers for driving audit 1 of CF-1 through the CLI."""

    class Driver(CliDriver):
        def to(self, stage, final=Grade.GOOD, start=("--user", org.manager)):
            assert self.run("audit", "start", "CF-1", *start)[0] == 0
            if stage == "self_review":
                return
            assert (
                self.run(
                    "audit",
                    "submit",
                    "1",
                    "--tier",
                    "1",
                    "--user",
                    org.worker,
                    "--answers",
                    self.answers("t1", self.form("self_review")),
                )[0]
                == 0
            )
            if stage == "first_audit":
                return
            assert (
                self.run(
                    "audit",
                    "feedback",
                    "1",
                    "--user",
                    org.manager,
                    "--answers",
                    self.answers("fb", feedback_answers(services)),
                )[0]
                == 0
            )
            assert (
                self.run(
                    "audit",
                    "submit",
                    "1",
                    "--tier",
                    "2",
                    "--user",
                    org.manager,
                    "--answers",
                    self.answers("t2", self.form("case_file_audit")),
                )[0]
                == 0
            )
            if stage == "second_audit":
                return
            assert (
                self.run(
                    "audit",
                    "submit",
                    "1",
                    "--tier",
                    "3",
                    "--user",
                    org.senior,
                    "--answers",
                    self.answers("t3", self.form("case_file_audit", grade=final)),
                )[0]
                == 0
            )

    return Driver(db_path, services, tmp_path, capsys)


def refused(result, message):
    code, text = result
    assert code == 2, text
    assert message in text and "Traceback" not in text
    assert len(text.strip().splitlines()) <= 12  # one line, plus the listed problems if any


def test_tier1_only_by_the_allocated_worker(audit, org):
    audit.to("self_review")
    refused(
        audit.run(
            "audit",
            "submit",
            "1",
            "--tier",
            "1",
            "--user",
            org.senior,
            "--answers",
            audit.answers("x", audit.form("self_review")),
        ),
        "You may not write a self-review",
    )


def test_tier2_not_by_the_worker_nor_before_the_self_review(audit, org):
    audit.to("self_review")
    t2 = audit.answers("t2", audit.form("case_file_audit"))
    refused(
        audit.run("audit", "submit", "1", "--tier", "2", "--user", org.worker, "--answers", t2),
        "You may not write a first-line audit",
    )
    refused(
        audit.run("audit", "submit", "1", "--tier", "2", "--user", org.manager, "--answers", t2),
        "self-review has not been submitted",
    )


def test_tier2_needs_family_feedback_or_why_not(audit, org):
    audit.to("first_audit")
    t2 = audit.answers("t2", audit.form("case_file_audit"))
    refused(
        audit.run("audit", "submit", "1", "--tier", "2", "--user", org.manager, "--answers", t2),
        "family or young person's feedback",
    )
    refused(
        audit.run(
            "audit",
            "feedback",
            "1",
            "--user",
            org.manager,
            "--answers",
            audit.answers("fb", {"contact_outcome": "declined"}),
        ),
        "Why was no feedback recorded",
    )


def test_every_grade_needs_a_rationale(audit, org):
    audit.to("first_audit")
    audit.run(
        "audit",
        "feedback",
        "1",
        "--user",
        org.manager,
        "--answers",
        audit.answers("fb", audit.form("family_feedback")),
    )
    answers = audit.form("case_file_audit")
    answers["overall"] = {"grade": "G"}
    refused(
        audit.run(
            "audit",
            "submit",
            "1",
            "--tier",
            "2",
            "--user",
            org.manager,
            "--answers",
            audit.answers("t2", answers),
        ),
        "a rationale is required",
    )


@pytest.mark.parametrize(
    "who, message",
    [
        ("sw.amy", "You may not write a second audit"),
        ("tm.ben", "You may not write a second audit"),
        ("tm.cat", "You may not write a second audit"),
        ("iro.gus", "You may not write a second audit"),
    ],
)
def test_tier3_independent_and_senior(audit, org, who, message):
    audit.to("second_audit")
    refused(
        audit.run(
            "audit",
            "submit",
            "1",
            "--tier",
            "3",
            "--user",
            who,
            "--answers",
            audit.answers("t3", audit.form("case_file_audit")),
        ),
        message,
    )


def test_tier3_not_the_workers_line_manager(audit, org):
    assert (
        audit.run(
            "audit", "start", "CF-1", "--user", org.manager, "--first-auditor", org.other_manager
        )[0]
        == 0
    )
    refused(
        audit.run("audit", "assign", "1", "--second-auditor", org.manager, "--user", org.qa),
        "line manager",
    )


def test_blind_until_tier3_submits(audit, org):
    audit.to("second_audit")
    _code, text = audit.run("audit", "show", "1", "--user", org.senior, "--format", "json")
    shown = json.loads(text)
    assert shown["first_audit_hidden"] is True
    assert shown["responses"]["first_audit"]["overall_grade"] is None
    assert shown["responses"]["first_audit"]["answers"] == {}
    assert shown["responses"]["self_review"]["answers"]["strengths"]
    assert shown["responses"]["family_feedback"]["answers"]["their_words"]
    _code, text = audit.run("audit", "show", "1", "--user", org.senior)
    assert "The first audit is hidden until you submit your second audit" in text
    assert "Answer to impact_on_child" not in text and "Evidence for planning" not in text
    assert "Answer to strengths" in text  # the self-review stays visible
    _code, text = audit.run("audit", "show", "1", "--user", org.manager)
    assert "hidden" not in text and "Evidence for planning" in text


def test_not_blind_needs_a_senior_manager_and_a_reason(audit, org):
    refused(
        audit.run(
            "audit",
            "start",
            "CF-1",
            "--user",
            org.manager,
            "--not-blind",
            "--reason",
            "Moderation exercise",
        ),
        "You may not make an audit not blind",
    )
    refused(
        audit.run("audit", "start", "CF-1", "--user", org.qa, "--not-blind"),
        "Say why the second audit should not be blind",
    )
    audit.to(
        "second_audit",
        start=("--user", org.qa, "--not-blind", "--reason", "Moderation exercise with the team"),
    )
    code, text = audit.run("audit", "show", "1", "--user", org.senior)
    assert code == 0 and "hidden" not in text
    assert "Evidence for planning" in text and "Answer to impact_on_child" in text
    assert (
        "made not blind (The second auditor sees the first audit while grading: "
        "Moderation exercise with the team)" in text
    )


def test_close_ri_without_action_explains_what_is_needed(audit, org):
    audit.to("reconciliation", final=Grade.REQUIRES_IMPROVEMENT)
    _code, text = audit.run("audit", "show", "1", "--format", "json", "--user", org.senior)
    for c in json.loads(text)["comparisons"]:
        if c["differs"]:
            audit.run(
                "audit",
                "note",
                "1",
                "--domain",
                c["domain_id"],
                "--note",
                "Agreed.",
                "--user",
                org.senior,
            )
    refused(
        audit.run("audit", "close", "1", "--user", org.senior),
        "needs at least one follow-up action, with an owner and a due date",
    )
    refused(
        audit.run(
            "audit",
            "action",
            "1",
            "--user",
            org.senior,
            "--owner",
            org.worker,
            "--due",
            "someday",
            "--text",
            "Fix",
        ),
        "not a date",
    )
    refused(
        audit.run(
            "audit",
            "action",
            "1",
            "--user",
            org.worker,
            "--owner",
            org.worker,
            "--due",
            "2099-01-01",
            "--text",
            "Fix",
        ),
        "You may not set follow-up actions",
    )
    assert (
        audit.run(
            "audit",
            "action",
            "1",
            "--user",
            org.senior,
            "--owner",
            org.worker,
            "--due",
            "2099-01-01",
            "--text",
            "Fix",
        )[0]
        == 0
    )
    refused(audit.run("audit", "close", "1", "--user", org.manager), "closed by its second auditor")
    assert audit.run("audit", "close", "1", "--user", org.senior)[0] == 0
    refused(
        audit.run("audit", "cancel", "1", "--user", org.manager, "--reason", "Too late now"),
        "closed",
    )
