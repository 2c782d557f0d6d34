"""Closed means closed, and an audit cannot be steered into a dead end: refusals through the
services (the same rules refuse on the command line: tests/cli/test_cli_closed_means_closed.py)."""

from __future__ import annotations

import pytest

from auditor.domain.activities import ActivityKind
from auditor.domain.errors import NotFound, RuleViolation
from auditor.domain.permissions import NotPermitted
from auditor.domain.practice_weeks import FindingKind
from auditor.domain.reference import Role
from auditor.domain.workflow import AuditState, Part
from tests.builders import feedback_answers, fill, who

OBS = ActivityKind.OBSERVATION


def observe(services, by, practitioner, complete=True):
    return services.audits.record(
        OBS,
        by=who(services, by),
        form_id="practice_observation",
        practitioner=practitioner,
        answers=fill(services.forms.latest("practice_observation"), None),
        complete=complete,
    )


def test_findings_cannot_be_added_to_or_removed_from_a_closed_activity(services, org):
    audit_id = observe(services, org.senior, org.worker, complete=False)
    finding = services.findings.add(
        audit_id, FindingKind.STRENGTH, "Warm", by=who(services, org.senior)
    )
    services.audits.submit(audit_id, Part.RECORD, by=who(services, org.senior))
    assert services.views.detail(audit_id, who=who(services, org.qa)).row.state is AuditState.CLOSED
    with pytest.raises(RuleViolation, match="closed, so its findings can no longer be added"):
        services.findings.add(
            audit_id, FindingKind.DEVELOPMENT, "Late", by=who(services, org.senior)
        )
    with pytest.raises(RuleViolation, match="closed, so its findings can no longer be added"):
        services.findings.remove(finding, by=who(services, org.senior))
    assert not services.findings.may_write(
        audit_id, who(services, org.senior)
    )  # the panel is read-only
    assert [f.text for f in services.findings.of_audit(audit_id, who=who(services, org.qa))] == [
        "Warm"
    ]


def test_a_cancelled_audit_takes_no_findings(services, org):
    audit_id = services.audits.start(org.case, by=who(services, org.manager))
    services.audits.cancel(
        audit_id, by=who(services, org.manager), reason="Started on the wrong case."
    )
    with pytest.raises(RuleViolation, match="cancelled, so its findings"):
        services.findings.add(
            audit_id, FindingKind.STRENGTH, "Good plan", by=who(services, org.manager)
        )


def test_with_no_line_manager_the_second_auditor_cannot_do_the_first_audit(services, org):
    services.directory.add_person("sw.zoe", "Zoe Agency", [Role.SOCIAL_WORKER], "North")
    services.directory.add_case("CF-9", "child_in_need", "North", "sw.zoe")
    audit_id = services.audits.start("CF-9", by=who(services, org.qa), second_auditor=org.senior)
    a = services.audits
    a.submit(
        audit_id,
        Part.SELF_REVIEW,
        by=who(services, "sw.zoe"),
        answers=fill(services.forms.latest("self_review")),
    )
    for part in (Part.FAMILY_FEEDBACK, Part.FIRST_AUDIT):
        with pytest.raises(RuleViolation, match="You are the second auditor of this case"):
            a.save_draft(audit_id, part, by=who(services, org.senior), answers={})
    assert Part.FIRST_AUDIT not in a.writable_parts(audit_id, who(services, org.senior))
    # A manager of the case's team does tier 2, and the second auditor can then do tier 3: nothing is stuck.
    a.submit(
        audit_id,
        Part.FAMILY_FEEDBACK,
        by=who(services, org.manager),
        answers=feedback_answers(services),
    )
    form = services.forms.latest("case_file_audit")
    a.submit(audit_id, Part.FIRST_AUDIT, by=who(services, org.manager), answers=fill(form))
    assert a.submit(
        audit_id, Part.SECOND_AUDIT, by=who(services, org.senior), answers=fill(form)
    ) is (AuditState.RECONCILIATION)


def test_the_second_auditor_cannot_be_named_first_auditor_at_the_start(services, org):
    with pytest.raises(RuleViolation, match="independent|second auditor of this case"):
        services.audits.start(
            org.case, by=who(services, org.qa), first_auditor=org.senior, second_auditor=org.senior
        )
    with pytest.raises(NotFound):
        services.views.detail(1, who=who(services, org.qa))  # nothing was started


def test_observations_are_made_by_managers_of_someone_else_not_their_own_manager(services, org):
    with pytest.raises(NotPermitted, match="You may not record an observation"):
        observe(services, org.worker, org.manager)  # a social worker grading her team manager
    with pytest.raises(NotPermitted, match="You may not record an observation"):
        observe(services, org.iro, org.worker)
    with pytest.raises(RuleViolation, match="Dan Senior is your line manager"):
        observe(services, org.manager, org.senior_lm)
    with pytest.raises(RuleViolation, match="own practice"):
        observe(services, org.manager, org.manager)
    assert services.summary.by_financial_year() == []  # nothing was recorded
    assert services.views.detail(
        observe(services, org.manager, org.worker), who=who(services, org.qa)
    ).row.state is (AuditState.CLOSED)
