"""A released form version is never edited in place: the content of each version is recorded the
first time it is used, and a changed file with the same id and version is refused."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from auditor.domain.errors import FormDefinitionError, NotFound
from auditor.services.reference.form_releases import release_problems
from db.models import FormRelease
from tests.builders import build_org, who
from tests.form_files import (
    AUDIT_FORM,
    AUDIT_FORM_V2,
    copy_forms,
    opened,
    record_observation,
    started_audit,
    write_audit_v2,
)


@pytest.fixture
def forms_folder(tmp_path):
    return copy_forms(tmp_path / "forms")


def test_an_edited_released_version_is_refused_and_a_new_version_is_used(db_path, forms_folder):
    with opened(db_path, forms_folder) as services:
        org = build_org(services)
        services.audits.start(org.case, by=who(services, org.manager))
        with services.db.reading() as s:
            recorded = {(r.form_id, r.version): r for r in s.scalars(select(FormRelease))}
        assert (
            recorded[("case_file_audit", 1)].checksum
            == services.forms.latest("case_file_audit").checksum
        )
        assert recorded[("case_file_audit", 1)].file_name == AUDIT_FORM

    path = forms_folder / AUDIT_FORM
    original = path.read_text(encoding="utf-8")
    path.write_text(
        original.replace("title: Case-file audit", "title: Case file review", 1), encoding="utf-8"
    )
    with opened(db_path, forms_folder) as services:
        manager = who(services, org.manager)
        with pytest.raises(FormDefinitionError) as refused:
            services.audits.start("CF-2", by=manager)
        message = str(refused.value)
        assert message.startswith(AUDIT_FORM) and "edited since it was first used" in message
        assert f"copy it to {AUDIT_FORM_V2}" in message
        assert services.views.count(who=manager) == 1  # nothing was started

    path.write_text(original, encoding="utf-8")
    write_audit_v2(forms_folder, ("title: Case-file audit", "title: Case file review"))
    with opened(db_path, forms_folder) as services:
        manager = who(services, org.manager)
        second = services.audits.start("CF-2", by=manager)
        assert services.views.detail(second, who=manager).form_version == 2


def test_laying_a_file_out_differently_is_not_an_edit(db_path, forms_folder):
    with opened(db_path, forms_folder) as services:
        org = build_org(services)
        record_observation(services, org)
    path = forms_folder / "practice_observation.v1.yaml"
    path.write_text(
        "# Comments and blank lines change nothing that is asked.\n\n"
        + path.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    with opened(db_path, forms_folder) as services:
        record_observation(services, org)


def test_a_dip_session_checks_its_form_too(db_path, forms_folder):
    with opened(db_path, forms_folder) as services:
        org = build_org(services)
        services.dips.start_session("dip_pathway_plans", by=who(services, org.senior))
    path = forms_folder / "dip_pathway_plans.v1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Pathway", "Path way"), encoding="utf-8"
    )
    with (
        opened(db_path, forms_folder) as services,
        pytest.raises(FormDefinitionError, match="dip_pathway_plans.v1.yaml"),
    ):
        services.dips.start_session("dip_pathway_plans", by=who(services, org.senior))


def test_a_deleted_released_version_is_named_and_refuses_only_what_used_it(db_path, forms_folder):
    with opened(db_path, forms_folder) as services:
        org = build_org(services)
        audit = services.audits.start(org.case, by=who(services, org.manager))
        observation = record_observation(services, org)
        services.dips.start_session("dip_pathway_plans", by=who(services, org.senior))
        assert release_problems(services.db, services.forms)[1] == []

    (forms_folder / "practice_observation.v1.yaml").unlink()
    (forms_folder / "dip_pathway_plans.v1.yaml").unlink()
    with opened(db_path, forms_folder) as services:
        checked, problems = release_problems(services.db, services.forms)
        assert checked == 3  # case_file_audit, practice_observation, dip_pathway_plans
        by_file = {p.file_name: p.message for p in problems}
        assert set(by_file) == {"practice_observation.v1.yaml", "dip_pathway_plans.v1.yaml"}
        assert (
            "form 'practice_observation' version 1 is missing"
            in by_file["practice_observation.v1.yaml"]
        )
        assert "1 observation in" in by_file["practice_observation.v1.yaml"]
        assert "1 dip-sample session in" in by_file["dip_pathway_plans.v1.yaml"]
        senior = who(services, org.senior)
        assert services.views.detail(audit, who=senior).form_id == "case_file_audit"  # opens
        with pytest.raises(NotFound, match=r"practice_observation.v1.yaml\) in .*must be kept"):
            services.views.detail(observation, who=senior)


def test_an_edited_released_version_is_a_problem_for_forms_check(db_path, forms_folder):
    started_audit(db_path, forms_folder)
    path = forms_folder / AUDIT_FORM
    path.write_text(path.read_text(encoding="utf-8").replace("Case-file audit", "Review", 1))
    with opened(db_path, forms_folder) as services:
        [problem] = release_problems(services.db, services.forms)[1]
        assert problem.file_name == AUDIT_FORM
        assert "has been edited since it was first used" in problem.message


def test_a_broken_new_version_stops_only_new_work_with_that_form(db_path, forms_folder):
    org, audit = started_audit(db_path, forms_folder)
    write_audit_v2(forms_folder, ("- id: planning", "- id: child_voice"), count=-1)
    with opened(db_path, forms_folder) as services:
        manager = who(services, org.manager)
        with pytest.raises(FormDefinitionError) as refused:
            services.audits.start("CF-2", by=manager)
        assert str(refused.value).startswith(f"{AUDIT_FORM_V2}: ")
        assert "section 'child_voice': this section id is used twice" in str(refused.value)
        assert services.views.count(who=manager) == 1  # nothing was started
        assert services.views.detail(audit, who=manager).form_version == 1  # v1's audit opens
        assert "planning" in dict(services.findings.domains())  # labels from v1 meanwhile
        assert record_observation(services, org)  # other forms work as before
        assert services.dips.forms_available()
        assert release_problems(services.db, services.forms)[1] == []  # v2 was never used


def test_a_broken_released_file_does_not_stop_the_qa_report(db_path, forms_folder):
    """The report takes domain labels from the forms in use; a released file that was damaged after
    use leaves the ids in place of the labels instead of refusing the board's figures."""
    org, _ = started_audit(db_path, forms_folder)
    (forms_folder / AUDIT_FORM).write_text("sections: [\n", encoding="utf-8")
    with opened(db_path, forms_folder) as services:
        report = services.reports.qa_report(
            dt.date(2020, 4, 1), dt.date(2030, 3, 31), who=who(services, org.senior)
        )
        assert report.table  # the figures are there


def test_a_dip_session_whose_form_is_gone_is_listed_and_stops_only_itself(db_path, forms_folder):
    with opened(db_path, forms_folder) as services:
        org = build_org(services)
        senior = who(services, org.senior)
        gone = services.dips.start_session("dip_pathway_plans", by=senior)
        kept = services.dips.start_session("dip_strategy_meetings", by=senior)

    (forms_folder / "dip_pathway_plans.v1.yaml").unlink()
    with opened(db_path, forms_folder) as services:
        senior = who(services, org.senior)
        listed = {d.id: d for d in services.dips.sessions(who=senior)}
        assert set(listed) == {gone, kept}
        assert "form file missing or broken" in listed[gone].title
        assert listed[kept].title == services.forms.latest("dip_strategy_meetings").title
        assert services.dips.session(kept, who=senior).id == kept
        with pytest.raises(NotFound, match="dip_pathway_plans"):
            services.dips.session(gone, who=senior)
