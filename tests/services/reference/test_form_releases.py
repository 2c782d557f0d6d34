"""A released form version is never edited in place: the content of each version is recorded the
first time it is used, and a changed file with the same id and version is refused."""

from __future__ import annotations

import shutil

import pytest
from sqlalchemy import select

from auditor.domain.activities import ActivityKind
from auditor.domain.errors import FormDefinitionError
from auditor.services import open_services
from db.models import FormRelease
from forms import FORMS_DIR, FormLibrary
from tests.builders import build_org, fill

AUDIT_FORM = "case_file_audit.v1.yaml"


@pytest.fixture
def forms_folder(tmp_path):
    folder = tmp_path / "forms"
    shutil.copytree(FORMS_DIR, folder, ignore=shutil.ignore_patterns("*.py", "__pycache__", "*.md"))
    return folder


def reopen(db_path, folder):
    return open_services(db_path, forms=FormLibrary(folder))


def test_an_edited_released_version_is_refused_and_a_new_version_is_used(db_path, forms_folder):
    services = reopen(db_path, forms_folder)
    org = build_org(services)
    services.audits.start(org.case, by=org.manager)
    with services.db.reading() as s:
        recorded = {(r.form_id, r.version): r for r in s.scalars(select(FormRelease))}
    assert (
        recorded[("case_file_audit", 1)].checksum
        == services.forms.latest("case_file_audit").checksum
    )
    assert recorded[("case_file_audit", 1)].file_name == AUDIT_FORM
    services.close()

    path = forms_folder / AUDIT_FORM
    original = path.read_text(encoding="utf-8")
    path.write_text(
        original.replace("title: Case-file audit", "title: Case file review", 1), encoding="utf-8"
    )
    services = reopen(db_path, forms_folder)
    try:
        with pytest.raises(FormDefinitionError) as refused:
            services.audits.start("CF-2", by="tm.ben")
        message = str(refused.value)
        assert message.startswith(AUDIT_FORM) and "edited since it was first used" in message
        assert "copy it to case_file_audit.v2.yaml" in message
        assert services.views.count() == 1  # nothing was started
    finally:
        services.close()

    path.write_text(original, encoding="utf-8")
    (forms_folder / "case_file_audit.v2.yaml").write_text(
        original.replace("version: 1", "version: 2", 1).replace(
            "title: Case-file audit", "title: Case file review", 1
        ),
        encoding="utf-8",
    )
    services = reopen(db_path, forms_folder)
    try:
        second = services.audits.start("CF-2", by="tm.ben")
        assert services.views.detail(second).form_version == 2
    finally:
        services.close()


def test_laying_a_file_out_differently_is_not_an_edit(db_path, forms_folder):
    services = reopen(db_path, forms_folder)
    org = build_org(services)
    form = services.forms.latest("practice_observation")
    services.audits.record(
        ActivityKind.OBSERVATION,
        by=org.senior,
        form_id=form.id,
        practitioner=org.worker,
        answers=fill(form, None),
        complete=False,
    )
    services.close()
    path = forms_folder / "practice_observation.v1.yaml"
    path.write_text(
        "# Comments and blank lines change nothing that is asked.\n\n"
        + path.read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    services = reopen(db_path, forms_folder)
    try:
        services.audits.record(
            ActivityKind.OBSERVATION,
            by=org.senior,
            form_id=form.id,
            practitioner=org.worker,
            answers=fill(form, None),
            complete=False,
        )
    finally:
        services.close()


def test_a_dip_session_checks_its_form_too(db_path, forms_folder):
    services = reopen(db_path, forms_folder)
    org = build_org(services)
    services.dips.start_session("dip_pathway_plans", by=org.senior)
    services.close()
    path = forms_folder / "dip_pathway_plans.v1.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Pathway", "Path way"), encoding="utf-8"
    )
    services = reopen(db_path, forms_folder)
    try:
        with pytest.raises(FormDefinitionError, match="dip_pathway_plans.v1.yaml"):
            services.dips.start_session("dip_pathway_plans", by=org.senior)
    finally:
        services.close()
