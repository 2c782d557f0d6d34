"""Every shipped form loads, covers what DOMAIN.md says audits judge, and typos are caught."""

from pathlib import Path

import pytest

from auditor.domain.answers import clean_answers
from auditor.domain.errors import FormDefinitionError
from auditor.domain.forms import FieldType, FormUse
from auditor.domain.grades import Grade
from auditor.domain.reference import CASE_TYPES
from forms import FORMS_DIR, FormLibrary, load_form_file
from tests.builders import fill

SHIPPED = sorted(FORMS_DIR.glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_form_file_loads_and_accepts_a_complete_answer_set(path):
    form = load_form_file(path)
    for case_type in CASE_TYPES:
        answers = fill(form, case_type)
        assert clean_answers(form, answers, case_type=case_type, complete=True)


def test_the_library_has_a_form_for_every_use():
    library = FormLibrary()
    uses = {f.use for f in library.all()}
    assert uses == set(FormUse)
    assert len(library.latest_for(FormUse.DIP_SAMPLE)) >= 3
    assert {f.theme for f in library.latest_for(FormUse.DIP_SAMPLE)} >= {
        "management_oversight",
        "statutory_visits",
        "pathway_plans",
    }


def test_case_file_audit_covers_the_domains_with_descriptors_and_impact():
    form = FormLibrary().latest("case_file_audit")
    domains = {f.id for f in form.domains()}
    assert domains >= {
        "child_voice",
        "assessment",
        "planning",
        "management_oversight",
        "multi_agency",
        "direct_work",
        "identity",
        "permanence",
        "recording",
    }
    for field in form.domains() + [form.overall]:
        assert field.required and field.descriptors is not None
        assert len({field.descriptors.for_grade(g) for g in Grade}) == 4  # four distinct texts
    assert form.field("impact_on_child").required
    assert form.field("impact_on_child").type is FieldType.TEXTAREA


def test_permanence_is_asked_only_for_children_in_care_and_adoption():
    form = FormLibrary().latest("case_file_audit")
    asked = {ct for ct in CASE_TYPES if "permanence" in {d.id for d in form.domains(ct)}}
    assert asked == {"child_in_care", "adoption"}


def test_observation_form_captures_voices_and_feedback():
    form = FormLibrary().latest("practice_observation")
    assert form.field("people_present").type is FieldType.PEOPLE
    assert form.field("feedback_given").required
    assert {c.value for c in form.field("observation_type").choices} >= {
        "home_visit",
        "cp_conference",
        "core_group",
        "supervision",
    }


@pytest.mark.parametrize(
    "name, text, message",
    [
        ("x.v1.yaml", "id: x\nversion: 1\nid: y\n", "the key 'id' appears twice"),
        ("x.v1.yaml", "id: x\n  bad: [indent\n", "not valid YAML (line"),
        (
            "x.v2.yaml",
            (FORMS_DIR / "self_review.v1.yaml").read_text().replace("id: self_review", "id: x"),
            "the file name and the contents must agree",
        ),
        ("self-review.yaml", "id: x\n", "named <id>.v<version>.yaml"),
    ],
)
def test_broken_form_files_name_the_file(tmp_path: Path, name, text, message):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormDefinitionError) as caught:
        load_form_file(path)
    assert str(caught.value).startswith(name.split("/")[-1])
    assert message in str(caught.value)


def test_a_typo_in_a_copied_form_is_caught_with_file_and_field(tmp_path):
    text = (FORMS_DIR / "case_file_audit.v1.yaml").read_text(encoding="utf-8")
    (tmp_path / "case_file_audit.v2.yaml").write_text(
        text.replace("version: 1", "version: 2").replace(
            "requires_improvement:", "requires_improvment:", 1
        ),
        encoding="utf-8",
    )
    with pytest.raises(FormDefinitionError) as caught:
        FormLibrary(tmp_path).all()
    assert str(caught.value).splitlines()[:3] == [
        "case_file_audit.v2.yaml: 2 mistakes",
        "  - field 'child_voice': unknown descriptor 'requires_improvment' "
        "(use: outstanding, good, requires_improvement, inadequate)",
        "  - field 'child_voice': the 'requires_improvement' descriptor is missing or empty",
    ]
    assert "cannot be used until" in str(caught.value)  # and what to do about it
